//! sops' flattened metadata form, used by the dotenv and INI stores, plus the
//! Go string conversions those flat formats rely on.
//!
//! Flat formats cannot hold the nested `sops` metadata map, so sops writes it
//! as one `key = value` pair per leaf (see sops `stores/flatten.go`):
//!
//! * a map entry `k` below a path `p` becomes `p__map_k` (top-level keys are
//!   written bare: `mac`, `lastmodified`, …);
//! * list element `i` below `p` becomes `p__list_i`;
//! * so the first age recipient's key is `age__list_0__map_enc`.
//!
//! Values are strings. A newline inside a value is written as the two
//! characters `\n` (sops `EncodeNewLines`), so the armoured age key stays on
//! one line. `shamir_threshold` is written as decimal text and
//! `mac_only_encrypted` as `true`/`false` (sops `EncodeNonStrings`). Null
//! leaves and empty maps/lists produce no entries. Entries come in the
//! order of the sops version the metadata names: from 3.13 on, depth first
//! over the (sorted) metadata tree, so `…__list_2` comes before
//! `…__list_10`; before, sorted by key (byte order), which is the order
//! sops 3.11 uses for dotenv (for INI it wrote them in Go map order, random),
//! so any order must be accepted on input.
//!
//! [`unflatten_metadata`] reverses this and returns **every leaf as a
//! `Value::Str`** (sops is weakly typed here: `shamir_threshold` comes back as
//! `"2"`, `mac_only_encrypted` as `"true"`), so the metadata reader must
//! accept strings for its integer and boolean fields.
//!
//! The dotenv store adds the `sops_` prefix to each flat key; the INI store
//! puts them in a `[sops]` section. Both call these functions so that the
//! rest of the program only ever sees a nested `sops` map.

use crate::gofmt::go_format_float;
use std::collections::HashMap;
use std::fmt::Write as _;

use crate::stores::{Result, StoreError};
use crate::tree::{Branch, Item, Key, Value};

const MAP_SEP: &str = "__map_";
const LIST_SEP: &str = "__list_";

/// Flatten the nested `sops` metadata map into sops' flat form (keys without
/// any `sops_` prefix, string values, in the order of the metadata's
/// version). See the module docs.
pub fn flatten_metadata(meta: &Branch) -> Branch {
    let depth_first = crate::metadata::Layout::of_version(&crate::metadata::block_version(meta))
        == crate::metadata::Layout::Sorted;
    let mut flat: Vec<(String, String)> = Vec::new();
    // Iterative walk: (path prefix, value). The top level uses bare keys.
    let mut stack: Vec<(String, &Value)> = Vec::new();
    for item in meta.iter().rev() {
        if let Key::Str(k) = &item.key {
            stack.push((k.clone(), &item.value));
        }
    }
    while let Some((path, value)) = stack.pop() {
        match value {
            Value::Map(m) => {
                for item in m.iter().rev() {
                    if let Key::Str(k) = &item.key {
                        stack.push((format!("{path}{MAP_SEP}{k}"), &item.value));
                    }
                }
            }
            Value::List(l) => {
                for (i, v) in l.iter().enumerate().rev() {
                    stack.push((format!("{path}{LIST_SEP}{i}"), v));
                }
            }
            Value::Null | Value::Comment(_) => {}
            Value::Str(s) => flat.push((path, s.replace('\n', "\\n"))),
            Value::Float(f) if path == "shamir_threshold" => {
                // sops: fmt.Sprintf("%.0f", v)
                flat.push((path, format!("{f:.0}")));
            }
            other => flat.push((path, value_to_string(other))),
        }
    }
    // sops 3.13 walks the tree; older versions sorted the flat keys. Keep
    // the last of equal keys (a Go map keeps the last).
    if !depth_first {
        flat.sort_by(|a, b| a.0.cmp(&b.0));
    }
    let mut out: Branch = Vec::with_capacity(flat.len());
    for (k, v) in flat {
        match out.last_mut() {
            Some(last) if last.key_str() == Some(k.as_str()) => last.value = Value::Str(v),
            _ => out.push(Item::new(k, Value::Str(v))),
        }
    }
    out
}

/// One step of a flat key: `__map_name` or `__list_N`.
enum Token<'a> {
    Map(&'a str),
    List(usize),
}

/// Split a flat key into its steps, the way sops' `tokenize` scans for the
/// separators left to right. The first step is always a map key.
fn tokenize(path: &str, max_index: usize) -> Result<Vec<Token<'_>>> {
    #[derive(Clone, Copy)]
    enum State {
        Normal,
        Map,
        List,
    }
    let bytes = path.as_bytes();
    let mut tokens = Vec::new();
    let mut state = State::Normal;
    let mut last = 0;
    let mut i = 0;
    // `from` is where the token (including its separator) starts.
    let finish = |state: State, from: usize, to: usize| match state {
        State::Normal => Ok(Token::Map(&path[from..to])),
        State::Map => Ok(Token::Map(&path[from + MAP_SEP.len()..to])),
        State::List => {
            let digits = &path[from + LIST_SEP.len()..to];
            let n = if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
                digits.parse::<usize>().ok()
            } else {
                None
            };
            match n {
                Some(n) if n <= max_index => Ok(Token::List(n)),
                Some(_) => Err(bad_meta(path, "list index too large")),
                None => Err(bad_meta(path, "list index is not a number")),
            }
        }
    };
    while i < bytes.len() {
        let rest = &bytes[i..];
        let next = if rest.starts_with(MAP_SEP.as_bytes()) {
            Some((State::Map, MAP_SEP.len()))
        } else if rest.starts_with(LIST_SEP.as_bytes()) {
            Some((State::List, LIST_SEP.len()))
        } else {
            None
        };
        match next {
            Some((new_state, len)) => {
                let t = finish(state, last, i)?;
                tokens.push(t);
                last = i;
                state = new_state;
                i += len;
            }
            None => i += 1,
        }
    }
    let t = finish(state, last, bytes.len())?;
    tokens.push(t);
    Ok(tokens)
}

fn bad_meta(key: &str, what: &str) -> StoreError {
    // Metadata keys are not secret; values are never included.
    StoreError::read(format!("invalid sops metadata key {key:?}: {what}"))
}

/// A node of the metadata tree being rebuilt. Map entries and list slots
/// are `Option`s: `None` is a list hole (or a slot not yet filled).
enum Node {
    Map(Vec<(String, Option<Node>)>, HashMap<String, usize>),
    List(Vec<Option<Node>>),
    Leaf(Value),
}

impl Node {
    fn container_for(next: &Token<'_>) -> Node {
        match next {
            Token::Map(_) => Node::Map(Vec::new(), HashMap::new()),
            Token::List(_) => Node::List(Vec::new()),
        }
    }

    fn into_value(self) -> Value {
        match self {
            Node::Leaf(v) => v,
            Node::Map(entries, _) => Value::Map(
                entries
                    .into_iter()
                    .map(|(k, n)| Item::new(k, n.map_or(Value::Null, Node::into_value)))
                    .collect(),
            ),
            Node::List(items) => Value::List(
                items
                    .into_iter()
                    .map(|n| n.map_or(Value::Null, Node::into_value))
                    .collect(),
            ),
        }
    }
}

/// Store `leaf` at the path `tokens` below `root`, creating containers as
/// needed (sops `unflatten`). Conflicting shapes are an error where sops
/// would panic.
fn insert(root: &mut Node, tokens: &[Token<'_>], leaf: Value, key: &str) -> Result<()> {
    let conflict = || bad_meta(key, "conflicts with another metadata key");
    let mut node = root;
    for (i, step) in tokens.iter().enumerate() {
        let slot: &mut Option<Node> = match (node, step) {
            (Node::Map(entries, index), Token::Map(name)) => {
                let at = match index.get(*name) {
                    Some(&at) => at,
                    None => {
                        index.insert((*name).to_string(), entries.len());
                        entries.push(((*name).to_string(), None));
                        entries.len() - 1
                    }
                };
                &mut entries[at].1
            }
            (Node::List(items), Token::List(n)) => {
                if *n >= items.len() {
                    items.resize_with(*n + 1, || None);
                }
                &mut items[*n]
            }
            _ => return Err(conflict()),
        };
        match tokens.get(i + 1) {
            None => {
                // A duplicate key overwrites the earlier leaf, as in a Go map.
                if matches!(slot, Some(Node::Map(..)) | Some(Node::List(_))) {
                    return Err(conflict());
                }
                *slot = Some(Node::Leaf(leaf));
                return Ok(());
            }
            Some(next) => {
                let child = slot.get_or_insert_with(|| Node::container_for(next));
                match (next, &*child) {
                    (Token::Map(_), Node::Map(..)) | (Token::List(_), Node::List(_)) => {}
                    _ => return Err(conflict()),
                }
                node = child;
            }
        }
    }
    Ok(())
}

/// Rebuild the nested `sops` metadata map from its flattened form (keys
/// without the `sops_` prefix). `\n` in string values becomes a newline
/// (sops `DecodeNewLines`). **All leaves stay strings**: see the module docs.
/// Holes in lists (an index with no entries) become `Value::Null`, as they do
/// in sops. Errors (never panics) on keys that conflict (`a` and `a__map_b`),
/// bad list indices, or implausibly large list indices.
pub fn unflatten_metadata(flat: &Branch) -> Result<Branch> {
    let max_index = flat.len().saturating_mul(2).max(1024);
    let mut root = Node::Map(Vec::new(), HashMap::new());
    for item in flat {
        let Key::Str(key) = &item.key else { continue };
        let leaf = match &item.value {
            Value::Str(s) if s.contains("\\n") => Value::Str(s.replace("\\n", "\n")),
            v => v.clone(),
        };
        let tokens = tokenize(key, max_index)?;
        insert(&mut root, &tokens, leaf, key)?;
    }
    match root.into_value() {
        Value::Map(m) => Ok(m),
        _ => Ok(Vec::new()),
    }
}

// ---------------------------------------------------------------------------
// Go string conversions shared by the flat stores.

/// Go's `time.Time.Format(time.RFC3339)` from the RFC 3339 (nanosecond) text
/// held in `Value::Time`: the same text without fractional seconds.
fn time_rfc3339(t: &str) -> String {
    match t.find('.') {
        Some(dot) => {
            let frac_end = t[dot + 1..]
                .find(|c: char| !c.is_ascii_digit())
                .map_or(t.len(), |i| dot + 1 + i);
            format!("{}{}", &t[..dot], &t[frac_end..])
        }
        None => t.to_string(),
    }
}

/// Approximation of Go's `time.Time.String()` ("2006-01-02 15:04:05.999999999
/// -0700 MST") for a timestamp held as RFC 3339 text.
fn time_go_string(t: &str) -> String {
    let (date, rest) = t.split_once('T').unwrap_or((t, ""));
    let zone_at = rest.find(['Z', 'z', '+', '-']).unwrap_or(rest.len());
    let (clock, zone) = rest.split_at(zone_at);
    let zone = if zone.is_empty() || zone.eq_ignore_ascii_case("z") {
        "+0000 UTC".to_string()
    } else {
        let z = zone.replace(':', "");
        format!("{z} {z}")
    };
    format!("{date} {clock} {zone}")
}

/// sops' `stores.ValToString`: how the flat stores (dotenv, INI) write a
/// non-string value. Floats use Go's `%G` with at least one decimal
/// (`1.0`, `1.5`, `1E+21`), booleans `true`/`false`, timestamps RFC 3339
/// without fractional seconds, null `<nil>`, and anything else Go's `%v`.
pub fn value_to_string(v: &Value) -> String {
    match v {
        Value::Str(s) => s.clone(),
        Value::Float(f) => {
            let s = go_format_float(*f, 'G');
            if s.contains('.') || s.contains('E') || !f.is_finite() {
                s
            } else {
                // FormatFloat(v, 'f', 1, 64) of an integral value
                format!("{s}.0")
            }
        }
        Value::Bool(b) => b.to_string(),
        Value::Time(t) => time_rfc3339(t),
        other => go_fmt_v(other),
    }
}

/// Maximum nesting formatted by [`go_fmt_v`] (guarded recursion).
const MAX_FMT_DEPTH: usize = 1000;

/// Go's `fmt.Sprintf("%v", v)` for a tree value: lists `[a b]`, maps as
/// sops' `TreeBranch` slice of `{key value}` structs, null `<nil>`, floats
/// `%g`. Used for values sops writes with `%v` (e.g. a list in an INI key).
pub fn go_fmt_v(v: &Value) -> String {
    let mut out = String::new();
    fmt_v_into(&mut out, v, 0);
    out
}

fn fmt_v_into(out: &mut String, v: &Value, depth: usize) {
    if depth > MAX_FMT_DEPTH {
        out.push_str("[...]");
        return;
    }
    match v {
        Value::Str(s) => out.push_str(s),
        Value::Int(i) => {
            let _ = write!(out, "{i}");
        }
        Value::Float(f) => out.push_str(&go_format_float(*f, 'g')),
        Value::Bool(b) => {
            let _ = write!(out, "{b}");
        }
        Value::Time(t) => out.push_str(&time_go_string(t)),
        Value::Null => out.push_str("<nil>"),
        Value::Comment(c) => {
            out.push('{');
            out.push_str(&c.value);
            out.push('}');
        }
        Value::Bytes(b) => {
            out.push('[');
            for (i, byte) in b.iter().enumerate() {
                if i > 0 {
                    out.push(' ');
                }
                let _ = write!(out, "{byte}");
            }
            out.push(']');
        }
        Value::List(l) => {
            out.push('[');
            for (i, e) in l.iter().enumerate() {
                if i > 0 {
                    out.push(' ');
                }
                fmt_v_into(out, e, depth + 1);
            }
            out.push(']');
        }
        Value::Map(m) => {
            out.push('[');
            for (i, item) in m.iter().enumerate() {
                if i > 0 {
                    out.push(' ');
                }
                out.push('{');
                match &item.key {
                    Key::Str(k) => out.push_str(k),
                    Key::Comment(c) => {
                        out.push('{');
                        out.push_str(&c.value);
                        out.push('}');
                    }
                }
                out.push(' ');
                fmt_v_into(out, &item.value, depth + 1);
                out.push('}');
            }
            out.push(']');
        }
    }
}

/// Shared helpers for the store tests: run a corpus directory.
#[cfg(test)]
pub(crate) mod test_support {
    use crate::stores::Result;
    use crate::tree::Branch;
    use std::path::PathBuf;

    pub type ParseFn = fn(&[u8]) -> Result<Vec<Branch>>;
    pub type EmitFn = fn(&[Branch], Option<usize>) -> Result<Vec<u8>>;

    pub fn corpus_dir(name: &str) -> PathBuf {
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("testdata")
            .join(name)
    }

    /// Files of `dir` ending in `.ext`, sorted, as (file name, bytes).
    pub fn files(dir: &std::path::Path, ext: &str) -> Vec<(String, Vec<u8>)> {
        let mut out: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .filter_map(|e| e.ok())
            .map(|e| e.path())
            .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == ext))
            .map(|p| {
                let name = p.file_name().unwrap().to_string_lossy().into_owned();
                (name, std::fs::read(&p).unwrap())
            })
            .collect();
        out.sort();
        out
    }

    pub fn show(b: &[u8]) -> String {
        String::from_utf8_lossy(b).into_owned()
    }

    /// For each input `NAME.ext` of the corpus: `emit(parse(input))` must be
    /// `NAME.expected.ext` byte for byte, and emitting is idempotent.
    /// Returns the number of inputs checked.
    pub fn run_round_trips(corpus: &str, ext: &str, parse: ParseFn, emit: EmitFn) -> usize {
        let dir = corpus_dir(corpus);
        let all = files(&dir, ext);
        let mut failures = Vec::new();
        let mut n = 0;
        for (name, input) in &all {
            if name.contains(".expected.") {
                continue;
            }
            let stem = name.strip_suffix(&format!(".{ext}")).unwrap();
            let expected_name = format!("{stem}.expected.{ext}");
            let Some((_, expected)) = all.iter().find(|(n, _)| *n == expected_name) else {
                failures.push(format!("{name}: no {expected_name}"));
                continue;
            };
            n += 1;
            let got = match parse(input).and_then(|d| emit(&d, None)) {
                Ok(g) => g,
                Err(e) => {
                    failures.push(format!("{name}: error {e}"));
                    continue;
                }
            };
            if &got != expected {
                failures.push(format!(
                    "{name}: output differs\n--- got\n{}\n--- expected\n{}",
                    show(&got),
                    show(expected)
                ));
                continue;
            }
            let again = parse(&got).and_then(|d| emit(&d, None));
            if again.as_ref().ok() != Some(&got) {
                failures.push(format!("{name}: not idempotent: {again:?}"));
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n\n"));
        n
    }

    /// Every file in `corpus/invalid` must be rejected with exit code 2.
    pub fn run_invalid(corpus: &str, ext: &str, parse: ParseFn) -> usize {
        let all = files(&corpus_dir(corpus).join("invalid"), ext);
        for (name, input) in &all {
            match parse(input) {
                Ok(d) => panic!("{name}: accepted: {d:?}"),
                Err(e) => {
                    assert!(
                        matches!(e, crate::stores::StoreError::Read(_)),
                        "{name}: {e}"
                    );
                }
            }
        }
        all.len()
    }

    /// Parse every prefix of `input` and every single-byte mutation with a
    /// few interesting bytes: must never panic; whatever parses must emit.
    pub fn no_panic_on_mutations(input: &[u8], parse: ParseFn, emit: EmitFn) {
        let check = |b: &[u8]| {
            if let Ok(d) = parse(b) {
                let _ = emit(&d, None);
            }
        };
        for i in 0..=input.len() {
            check(&input[..i]);
        }
        let mut buf = input.to_vec();
        for i in 0..input.len() {
            let orig = buf[i];
            for &c in b"\"\\{}[],:=#;`\n\r \x00\xff\xe2-0e" {
                buf[i] = c;
                check(&buf);
            }
            buf[i] = orig;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &str) -> Value {
        Value::Str(v.to_string())
    }

    fn flat(pairs: &[(&str, &str)]) -> Branch {
        pairs.iter().map(|(k, v)| Item::new(*k, s(v))).collect()
    }

    /// sops 3.13 writes the flat metadata depth first over its sorted
    /// tree (`…_2` before `…_10`); 3.11 sorted the flat keys as text.
    #[test]
    fn flat_order_follows_the_metadata_version() {
        for (version, want) in [
            (
                "3.13.2",
                [
                    "pgp__list_0__map_fp",
                    "pgp__list_2__map_fp",
                    "pgp__list_10__map_fp",
                ],
            ),
            (
                "3.13.0",
                [
                    "pgp__list_0__map_fp",
                    "pgp__list_2__map_fp",
                    "pgp__list_10__map_fp",
                ],
            ),
            (
                "3.11.0",
                [
                    "pgp__list_0__map_fp",
                    "pgp__list_10__map_fp",
                    "pgp__list_2__map_fp",
                ],
            ),
            (
                "3.12.2",
                [
                    "pgp__list_0__map_fp",
                    "pgp__list_10__map_fp",
                    "pgp__list_2__map_fp",
                ],
            ),
        ] {
            let pgp = (0..11)
                .map(|i| Value::Map(vec![Item::new("fp", s(&format!("F{i}")))]))
                .collect();
            let meta = vec![
                Item::new("pgp", Value::List(pgp)),
                Item::new("version", s(version)),
            ];
            let keys: Vec<String> = flatten_metadata(&meta)
                .iter()
                .filter_map(|i| i.key_str())
                .filter(|k| {
                    [0, 2, 10]
                        .iter()
                        .any(|n| *k == format!("pgp__list_{n}__map_fp"))
                })
                .map(str::to_string)
                .collect();
            assert_eq!(keys, want, "{version}");
            // Either order reads back.
            let back = unflatten_metadata(&flatten_metadata(&meta)).unwrap();
            assert_eq!(back, meta);
        }
    }

    #[test]
    fn flatten_and_back() {
        let meta = vec![
            Item::new(
                "age",
                Value::List(vec![Value::Map(vec![
                    Item::new("recipient", s("age1xyz")),
                    Item::new("enc", s("-----BEGIN-----\nabc\n-----END-----\n")),
                ])]),
            ),
            Item::new("lastmodified", s("2024-01-01T00:00:00Z")),
            Item::new("mac", s("ENC[...]")),
            Item::new("shamir_threshold", Value::Int(2)),
            Item::new("mac_only_encrypted", Value::Bool(true)),
            Item::new("unencrypted_suffix", s("_unencrypted")),
            Item::new("empty_list", Value::List(vec![])),
            Item::new("nothing", Value::Null),
            Item::new("version", s("3.11.0")),
        ];
        let f = flatten_metadata(&meta);
        let keys: Vec<&str> = f.iter().filter_map(Item::key_str).collect();
        assert_eq!(
            keys,
            [
                "age__list_0__map_enc",
                "age__list_0__map_recipient",
                "lastmodified",
                "mac",
                "mac_only_encrypted",
                "shamir_threshold",
                "unencrypted_suffix",
                "version"
            ]
        );
        assert_eq!(f[0].value, s("-----BEGIN-----\\nabc\\n-----END-----\\n"));
        assert_eq!(f[4].value, s("true"));
        assert_eq!(f[5].value, s("2"));
        let back = unflatten_metadata(&f).unwrap();
        // Leaves come back as strings, nested structure restored.
        let age = back.iter().find(|i| i.key_str() == Some("age")).unwrap();
        let Value::List(l) = &age.value else { panic!() };
        let Value::Map(m) = &l[0] else { panic!() };
        assert_eq!(m[0].key_str(), Some("enc"));
        assert_eq!(m[0].value, s("-----BEGIN-----\nabc\n-----END-----\n"));
        let st = back
            .iter()
            .find(|i| i.key_str() == Some("shamir_threshold"))
            .unwrap();
        assert_eq!(st.value, s("2"));
        // And flattening again gives the same flat form.
        assert_eq!(flatten_metadata(&back), f);
    }

    #[test]
    fn float_shamir_threshold() {
        let f = flatten_metadata(&vec![Item::new("shamir_threshold", Value::Float(3.0))]);
        assert_eq!(f, flat(&[("shamir_threshold", "3")]));
    }

    #[test]
    fn key_groups_with_holes() {
        let f = flat(&[
            ("key_groups__list_1__map_age__list_0__map_recipient", "r2"),
            ("key_groups__list_0__map_age__list_0__map_recipient", "r1"),
            ("key_groups__list_3__map_age__list_0__map_recipient", "r4"),
        ]);
        let back = unflatten_metadata(&f).unwrap();
        let Value::List(groups) = &back[0].value else {
            panic!()
        };
        assert_eq!(groups.len(), 4);
        assert_eq!(groups[2], Value::Null);
        let Value::Map(g0) = &groups[0] else { panic!() };
        assert_eq!(g0[0].key_str(), Some("age"));
    }

    #[test]
    fn tokenizer_edge_cases() {
        let t = |k: &str| {
            tokenize(k, 100)
                .unwrap()
                .iter()
                .map(|t| match t {
                    Token::Map(m) => format!("m:{m}"),
                    Token::List(i) => format!("l:{i}"),
                })
                .collect::<Vec<_>>()
        };
        assert_eq!(t("a"), ["m:a"]);
        assert_eq!(t(""), ["m:"]);
        assert_eq!(t("a__map___map_b"), ["m:a", "m:", "m:b"]);
        assert_eq!(t("a__list_10__map_x"), ["m:a", "l:10", "m:x"]);
        assert_eq!(t("__map_x"), ["m:", "m:x"]);
        assert!(tokenize("a__list_x", 100).is_err());
        assert!(tokenize("a__list_-1", 100).is_err());
        assert!(tokenize("a__list_", 100).is_err());
        assert!(tokenize("a__list_101", 100).is_err());
        assert!(tokenize("a__list_99999999999999999999999", 100).is_err());
    }

    #[test]
    fn conflicts_are_errors_not_panics() {
        for pairs in [
            &[("a", "1"), ("a__map_b", "2")][..],
            &[("a__map_b", "2"), ("a", "1")],
            &[("a__map_b", "1"), ("a__list_0", "2")],
            &[("a__list_0", "1"), ("a__list_0__map_x", "2")],
            &[("a__list_0__map_x", "1"), ("a__list_0__list_0", "2")],
        ] {
            let e = unflatten_metadata(&flat(pairs)).unwrap_err();
            assert!(matches!(e, crate::stores::StoreError::Read(_)), "{}", e);
        }
        // A repeated key: the last value wins.
        let back = unflatten_metadata(&flat(&[("mac", "1"), ("mac", "2")])).unwrap();
        assert_eq!(back, flat(&[("mac", "2")]));
    }

    #[test]
    fn go_float_formats() {
        let g = |f: f64| go_format_float(f, 'g');
        assert_eq!(g(1.0), "1");
        assert_eq!(g(1.5), "1.5");
        assert_eq!(g(123456.0), "123456");
        assert_eq!(g(1234567.0), "1.234567e+06");
        assert_eq!(g(1e6), "1e+06");
        assert_eq!(g(1e21), "1e+21");
        assert_eq!(g(1e100), "1e+100");
        assert_eq!(g(0.0001), "0.0001");
        assert_eq!(g(0.00001), "1e-05");
        assert_eq!(g(-2.5e-7), "-2.5e-07");
        assert_eq!(g(0.0), "0");
        assert_eq!(g(-0.0), "-0");
        assert_eq!(g(f64::INFINITY), "+Inf");
        let v = |f: f64| value_to_string(&Value::Float(f));
        assert_eq!(v(1.0), "1.0");
        assert_eq!(v(100.0), "100.0");
        assert_eq!(v(1.5), "1.5");
        assert_eq!(v(1e21), "1E+21");
        assert_eq!(v(1e-7), "1E-07");
        assert_eq!(v(123456789.0), "1.23456789E+08");
        assert_eq!(v(-0.0), "-0.0");
    }

    #[test]
    #[allow(clippy::excessive_precision)] // the exact binary values, on purpose
    fn shortest_digits_break_ties_like_go() {
        // Exactly halfway between two 17-digit candidates: Go (and Python)
        // pick the even digit, Rust's formatter rounds up.
        assert_eq!(
            go_format_float(1326373591031975.25, 'f'),
            "1326373591031975.2"
        );
        assert_eq!(
            go_format_float(1326373591031975.75, 'f'),
            "1326373591031975.8"
        );
        assert_eq!(
            go_format_float(640340979115781.25, 'f'),
            "640340979115781.2"
        );
        assert_eq!(
            go_format_float(-640340979115781.25, 'e'),
            "-6.403409791157812e+14"
        );
        // No tie: unchanged.
        assert_eq!(go_format_float(0.1, 'f'), "0.1");
        assert_eq!(go_format_float(1e23, 'e'), "1e+23");
        assert_eq!(go_format_float(5e-324, 'e'), "5e-324");
        assert_eq!(go_format_float(123456789.0, 'f'), "123456789");
        assert_eq!(go_format_float(1e21, 'f'), "1000000000000000000000");
        assert_eq!(go_format_float(1.5e-7, 'f'), "0.00000015");
    }

    #[test]
    fn go_value_strings() {
        assert_eq!(value_to_string(&Value::Null), "<nil>");
        assert_eq!(value_to_string(&Value::Int(-3)), "-3");
        assert_eq!(value_to_string(&Value::Bool(false)), "false");
        assert_eq!(
            value_to_string(&Value::Time("2001-12-14T21:59:43.1-05:00".into())),
            "2001-12-14T21:59:43-05:00"
        );
        let list = Value::List(vec![
            Value::Float(1.0),
            Value::Float(1.5),
            s("s"),
            Value::Bool(true),
            Value::Null,
            Value::Float(1e6),
            Value::List(vec![Value::Float(2.0)]),
            Value::Map(vec![
                Item::new("k", s("v")),
                Item::new("k2", Value::Float(2.0)),
            ]),
        ]);
        assert_eq!(
            value_to_string(&list),
            "[1 1.5 s true <nil> 1e+06 [2] [{k v} {k2 2}]]"
        );
        assert_eq!(value_to_string(&Value::Map(vec![])), "[]");
        assert_eq!(value_to_string(&Value::Bytes(b"hi".to_vec())), "[104 105]");
    }
}
