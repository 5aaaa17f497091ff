//! Key names: the rules every document obeys, whatever its store, and the
//! stricter ones of the formats that write keys as lines of text.
//!
//! A sops file's MAC covers its values, not its key names, and a value that
//! is empty (`""`, `null`, `{}`, `[]`) adds nothing to it. So anyone who can
//! change the encrypted file can add keys with empty values, and the file
//! still verifies. Such keys must not be able to change what a consumer of
//! the decrypted output reads:
//!
//! * **Duplicate keys** (the same name twice in one map): JSON parsers,
//!   dotenv readers and shells keep the last one, so an empty duplicate after
//!   the real key blanks the secret. sops keeps both (JSON, dotenv) or
//!   refuses them (YAML's first document); rsops refuses them everywhere.
//! * **Control characters and line separators in a name** (U+0000–U+001F
//!   but tab, U+007F–U+009F, U+2028, U+2029): a name holding a line break becomes
//!   extra lines in dotenv and INI output (`x\nLD_PRELOAD=…`) and extra
//!   variables for anything that writes the environment out as lines.
//!
//! [`check_docs`] applies both rules to every map of every document; the
//! commands call it on each encrypted file they load and on each plaintext
//! they encrypt. The output formats then check what they write themselves:
//! [`check_dotenv_key`], [`check_ini_section`], the INI emitter's own
//! read-back check for keys, and [`check_env_name`] for `exec-env`.

use std::fmt::Write as _;

use crate::tree::{Branch, Key, Value};

/// Whether `c` may not appear in any key name: a control character (C0,
/// DEL, C1, which includes NEL) other than tab, or a Unicode line or
/// paragraph separator. Tab is horizontal white space like a space (sops'
/// own dotenv files can hold it in a name) and ends no line.
pub fn is_forbidden_char(c: char) -> bool {
    (c.is_control() && c != '\t') || c == '\u{2028}' || c == '\u{2029}'
}

/// The first character of `name` that no key name may hold.
pub fn forbidden_char(name: &str) -> Option<char> {
    name.chars().find(|&c| is_forbidden_char(c))
}

/// What is wrong with a key, found by [`check_docs`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyProblem {
    /// The document (0-based) holding the key.
    pub doc: usize,
    /// The key's path in sops' syntax: `["a"][0]["b"]`, names quoted and
    /// escaped as Rust strings (so a newline shows as `\n`).
    pub path: String,
    pub kind: ProblemKind,
    /// Whether the offending entry's value is empty (`""`, `null`, `{}`,
    /// `[]`): then it adds nothing to the MAC and can be deleted by hand
    /// without invalidating it.
    pub value_is_empty: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ProblemKind {
    /// The key is the second one with its name in its map.
    Duplicate,
    /// The key's name holds this character.
    Forbidden(char),
}

impl KeyProblem {
    /// What is wrong, without advice (callers add what fits their input).
    pub fn describe(&self) -> String {
        let doc = if self.doc > 0 {
            format!(" (document {})", self.doc + 1)
        } else {
            String::new()
        };
        match self.kind {
            ProblemKind::Duplicate => format!(
                "the key {}{doc} appears more than once in its map: readers that keep the last one (JSON parsers, dotenv files, shells) would see only the later value",
                self.path
            ),
            ProblemKind::Forbidden(c) => format!(
                "the key name {}{doc} contains {}, which no key name may hold: in dotenv or INI output and in exec-env it would start a new line or end the name early",
                self.path,
                char_name(c)
            ),
        }
    }
}

/// A character as `U+000A (line feed)` for messages.
pub fn char_name(c: char) -> String {
    let what = match c {
        '\n' => " (line feed)",
        '\r' => " (carriage return)",
        '\0' => " (NUL)",
        '\u{85}' => " (next line)",
        '\u{2028}' => " (line separator)",
        '\u{2029}' => " (paragraph separator)",
        _ => "",
    };
    format!("U+{:04X}{what}", c as u32)
}

fn empty_value(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::Str(s) => s.is_empty(),
        Value::Map(m) => m.iter().all(|i| matches!(i.key, Key::Comment(_))),
        Value::List(l) => l.iter().all(Value::is_comment),
        _ => false,
    }
}

/// go-ini's implicit first section: the INI store always starts a document
/// with a `DEFAULT` section for the keys before the first header, empty
/// when there are none, so a file with an explicit `[DEFAULT]` section has
/// two. An empty first one hides nothing and is not a duplicate.
fn is_implicit_ini_default(k: &str, v: &Value) -> bool {
    k == super::ini::DEFAULT_SECTION
        && matches!(v, Value::Map(m) if m.iter().all(|i| matches!(i.key, Key::Comment(_))))
}

/// Check every map of every document: no key twice in one map, no key
/// name with a character [`is_forbidden_char`] refuses. Returns the first
/// problem in document order (a map's own keys before those of its
/// children). A document's first entry `DEFAULT` holding an empty map is
/// skipped (go-ini's implicit section, see the INI store). Never recurses
/// (the tree may be 10 000 levels deep).
pub fn check_docs(docs: &[Branch]) -> Result<(), KeyProblem> {
    enum Node<'a> {
        Map(&'a Branch),
        List(&'a [Value]),
    }
    enum Step<'a> {
        Root,
        Key(&'a str),
        Index(usize),
    }
    // One step per map or list entered (its parent's index and its own key
    // or index): the path of a problem is rebuilt from them, so the walk
    // costs memory in proportion to the tree, not to its depth squared.
    let mut steps: Vec<(usize, Step<'_>)> = Vec::new();
    let path_of = |steps: &[(usize, Step<'_>)], mut at: usize, last: Step<'_>| {
        let mut parts = vec![last];
        let mut out = String::new();
        loop {
            let (parent, step) = &steps[at];
            match step {
                Step::Root => break,
                Step::Key(k) => parts.push(Step::Key(k)),
                Step::Index(i) => parts.push(Step::Index(*i)),
            }
            at = *parent;
        }
        for p in parts.iter().rev() {
            let _ = match p {
                Step::Key(k) => write!(out, "[{k:?}]"),
                Step::Index(i) => write!(out, "[{i}]"),
                Step::Root => Ok(()),
            };
        }
        out
    };
    // (node, its step, document)
    let mut stack: Vec<(Node<'_>, usize, usize)> = Vec::new();
    for (d, doc) in docs.iter().enumerate().rev() {
        steps.push((0, Step::Root));
        stack.push((Node::Map(doc), steps.len() - 1, d));
    }
    let mut children: Vec<(Node<'_>, usize, usize)> = Vec::new();
    while let Some((node, at, doc)) = stack.pop() {
        match node {
            Node::Map(m) => {
                let top = matches!(steps[at].1, Step::Root);
                let skip_first = top
                    && matches!(m.first(), Some(item) if matches!(&item.key, Key::Str(k) if is_implicit_ini_default(k, &item.value)));
                // One pass over the names (they are far apart in memory):
                // the first forbidden character and the first repeat.
                let mut forbidden: Option<(usize, char)> = None;
                let duplicate = first_repeat(
                    m.iter()
                        .enumerate()
                        .skip(usize::from(skip_first))
                        .filter_map(|(i, item)| match &item.key {
                            Key::Str(k) => Some((k.as_str(), i)),
                            _ => None,
                        }),
                    |k, i| {
                        if forbidden.is_none() {
                            forbidden = forbidden_char(k).map(|c| (i, c));
                        }
                    },
                );
                for (i, item) in m.iter().enumerate() {
                    let Key::Str(k) = &item.key else { continue };
                    if skip_first && i == 0 {
                        continue;
                    }
                    let kind = if let Some((_, c)) = forbidden.filter(|(at, _)| *at == i) {
                        Some(ProblemKind::Forbidden(c))
                    } else if duplicate == Some(i) {
                        Some(ProblemKind::Duplicate)
                    } else {
                        None
                    };
                    if let Some(kind) = kind {
                        return Err(KeyProblem {
                            doc,
                            path: path_of(&steps, at, Step::Key(k)),
                            kind,
                            value_is_empty: empty_value(&item.value),
                        });
                    }
                    let child = match &item.value {
                        Value::Map(c) => Node::Map(c),
                        Value::List(l) => Node::List(l),
                        _ => continue,
                    };
                    steps.push((at, Step::Key(k)));
                    children.push((child, steps.len() - 1, doc));
                }
            }
            Node::List(l) => {
                for (i, v) in l.iter().enumerate() {
                    let child = match v {
                        Value::Map(c) => Node::Map(c),
                        Value::List(c) => Node::List(c),
                        _ => continue,
                    };
                    steps.push((at, Step::Index(i)));
                    children.push((child, steps.len() - 1, doc));
                }
            }
        }
        stack.extend(children.drain(..).rev());
    }
    Ok(())
}

/// The position of the first entry (in map order) whose name an earlier
/// entry already has, among `names` (name, position). Small maps are
/// compared pairwise. Larger ones are sorted by a hash of each name (a
/// fast one, seeded per process), and only names with equal hashes are
/// compared, sorted by name: names a file chooses to collide still cost
/// O(n log n), never O(n²).
///
/// Memory: 8 bytes per name in the common case (no repeat). `each` sees
/// every name once, in order, while it is read.
fn first_repeat<'a>(
    names: impl Iterator<Item = (&'a str, usize)> + Clone,
    mut each: impl FnMut(&str, usize),
) -> Option<usize> {
    use std::hash::BuildHasher as _;
    if names.clone().nth(16).is_none() {
        let small: Vec<(&str, usize)> = names.inspect(|&(k, i)| each(k, i)).collect();
        return (1..small.len())
            .find(|&j| small[..j].iter().any(|(k, _)| *k == small[j].0))
            .map(|j| small[j].1);
    }
    let state = foldhash::fast::RandomState::default();
    // The common case, no repeat: sorted hashes alone show it.
    let mut hashes: Vec<u64> = names
        .clone()
        .map(|(k, i)| {
            each(k, i);
            state.hash_one(k)
        })
        .collect();
    hashes.sort_unstable();
    if hashes.windows(2).all(|w| w[0] != w[1]) {
        return None;
    }
    drop(hashes);
    let names: Vec<(&str, usize)> = names.collect();
    let mut hashed: Vec<(u64, usize)> = names
        .iter()
        .enumerate()
        .map(|(j, (k, _))| (state.hash_one(k), j))
        .collect();
    hashed.sort_unstable();
    let mut first = None;
    let mut run: Vec<(&str, usize)> = Vec::new();
    for group in hashed.chunk_by(|a, b| a.0 == b.0).filter(|g| g.len() > 1) {
        run.clear();
        run.extend(group.iter().map(|&(_, j)| names[j]));
        run.sort_unstable();
        // Within equal names (sorted by position), the second entry is
        // that name's first repeat.
        for w in run.windows(2).filter(|w| w[0].0 == w[1].0) {
            first = Some(first.map_or(w[1].1, |f: usize| f.min(w[1].1)));
        }
    }
    first
}

/// Why a key or section name cannot be written in a format (or passed to
/// a program) without changing what it reads back as. The message names
/// the offending character, never a value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct BadName(pub String);

/// Why `name` cannot be a key of a dotenv file rsops writes, if it cannot.
///
/// sops' dotenv reader splits the file at `\n`, takes a line starting with
/// `#` as a comment and splits every other line at its first `=`; other
/// readers (docker's `--env-file`, python-dotenv, shells) also end lines at
/// `\r`. So a name must not contain `=` (the rest of the name would become
/// the value: `LD_PRELOAD=/x.so` with an empty value reads back as the
/// variable `LD_PRELOAD`), must not start with `#` (it would read back as a
/// comment) and must hold no control character or line separator
/// ([`is_forbidden_char`]). An empty name reads back as itself and is
/// allowed, as in sops.
pub fn check_dotenv_key(name: &str) -> Result<(), BadName> {
    if let Some(c) = forbidden_char(name) {
        return Err(BadName(format!(
            "it contains {}, which would start a new line or end the name early",
            char_name(c)
        )));
    }
    if name.contains('=') {
        return Err(BadName(
            "it contains '=', and a dotenv line ends its name at the first '=' (the rest would be read as the value)"
                .into(),));
    }
    if name.starts_with('#') {
        return Err(BadName(
            "it starts with '#', so the line would be read back as a comment".into(),
        ));
    }
    Ok(())
}

/// Why `name` cannot be an environment variable name for `exec-env`, if
/// it cannot: it must not be empty, must not contain `=` (the environment
/// holds `NAME=value` strings, so the name would end at the `=` and the
/// rest would join the value: `LD_PRELOAD=/x.so` with an empty value sets
/// `LD_PRELOAD`) and must hold no control character (NUL ends the string;
/// a line break makes extra lines wherever the environment is written out,
/// as by `env` or `docker --env-file`) or line separator. Other characters
/// (`-`, `.`, non-ASCII) are passed on, as sops does.
pub fn check_env_name(name: &str) -> Result<(), BadName> {
    if name.is_empty() {
        return Err(BadName(
            "an environment variable name cannot be empty".into(),
        ));
    }
    if let Some(c) = forbidden_char(name) {
        return Err(BadName(format!(
            "the environment variable name {name:?} contains {}, which is not allowed in a variable name",
            char_name(c)
        )));
    }
    if name.contains('=') {
        return Err(BadName(format!(
            "the environment variable name {name:?} contains '=', which ends a name in the environment (the rest would become part of the value)"
        )));
    }
    Ok(())
}

/// Why `name` cannot be an INI section name, if it cannot: it must not be
/// empty and must hold no control character or line separator (a section
/// header `[name]` is one line). Anything else reads back (go-ini takes the
/// name up to the line's last `]`).
pub fn check_ini_section(name: &str) -> Result<(), BadName> {
    if name.is_empty() {
        return Err(BadName("a section name cannot be empty".into()));
    }
    if let Some(c) = forbidden_char(name) {
        return Err(BadName(format!(
            "it contains {}, and a section header must be one line",
            char_name(c)
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tree::{Comment, Item};

    /// The first repeat, pairwise or sorted, is the one a naive scan finds,
    /// for maps on both sides of the cut-over.
    #[test]
    fn first_repeat_matches_a_naive_scan() {
        let naive = |keys: &[String]| (1..keys.len()).find(|&j| keys[..j].contains(&keys[j]));
        let mut seed = 7u64;
        for n in [0usize, 1, 2, 5, 16, 17, 40, 300] {
            for round in 0..20 {
                let keys: Vec<String> = (0..n)
                    .map(|_| {
                        seed = seed
                            .wrapping_mul(6364136223846793005)
                            .wrapping_add(1442695040888963407);
                        // Few distinct names in some rounds, many in others.
                        let range = if round % 2 == 0 { n as u64 * 4 + 1 } else { 3 };
                        format!("k{}", (seed >> 33) % range)
                    })
                    .collect();
                let names: Vec<(&str, usize)> = keys
                    .iter()
                    .enumerate()
                    .map(|(i, k)| (k.as_str(), i))
                    .collect();
                assert_eq!(
                    first_repeat(names.iter().copied(), |_, _| {}),
                    naive(&keys),
                    "{keys:?}"
                );
            }
        }
    }

    fn s(v: &str) -> Value {
        Value::Str(v.into())
    }

    #[test]
    fn duplicates_are_found_at_every_level() {
        assert_eq!(check_docs(&[vec![Item::new("a", s("x"))]]), Ok(()));
        let p =
            check_docs(&[vec![Item::new("a", s("ENC[x]")), Item::new("a", s(""))]]).unwrap_err();
        assert_eq!(p.path, r#"["a"]"#);
        assert_eq!(p.kind, ProblemKind::Duplicate);
        assert!(p.value_is_empty);
        // In a map inside a list inside a map, in the second document.
        let inner = Value::Map(vec![Item::new("k", s("1")), Item::new("k", s("2"))]);
        let docs = [
            vec![Item::new("a", s("1"))],
            vec![Item::new("l", Value::List(vec![s("x"), inner]))],
        ];
        let p = check_docs(&docs).unwrap_err();
        assert_eq!((p.doc, p.path.as_str()), (1, r#"["l"][1]["k"]"#));
        assert!(!p.value_is_empty);
        assert!(p.describe().contains("(document 2)"), "{}", p.describe());
        // The same name in different maps, and comments, are fine.
        let ok = vec![
            Item::comment(Comment::new("c")),
            Item::comment(Comment::new("c")),
            Item::new("a", Value::Map(vec![Item::new("a", s("1"))])),
            Item::new("b", Value::Map(vec![Item::new("a", s("1"))])),
        ];
        assert_eq!(check_docs(&[ok]), Ok(()));
        // The INI store's implicit empty DEFAULT section, then an explicit one.
        let ini = vec![
            Item::new("DEFAULT", Value::Map(vec![])),
            Item::new("DEFAULT", Value::Map(vec![Item::new("d", s("1"))])),
        ];
        assert_eq!(check_docs(&[ini]), Ok(()));
        let ini = vec![
            Item::new("DEFAULT", Value::Map(vec![Item::new("d", s("1"))])),
            Item::new("DEFAULT", Value::Map(vec![])),
        ];
        assert!(check_docs(&[ini]).is_err());
        // Empty maps and lists count as empty values.
        let p = check_docs(&[vec![
            Item::new("a", s("1")),
            Item::new("a", Value::Map(vec![])),
        ]])
        .unwrap_err();
        assert!(p.value_is_empty);
    }

    #[test]
    fn control_characters_in_names_are_refused() {
        for bad in [
            "x\nLD_PRELOAD",
            "a\rb",
            "nul\0",
            "esc\u{1b}",
            "nel\u{85}",
            "ls\u{2028}",
        ] {
            let p = check_docs(&[vec![Item::new(bad, s(""))]]).unwrap_err();
            assert!(matches!(p.kind, ProblemKind::Forbidden(_)), "{bad:?}");
            // The message shows the name escaped, never raw.
            assert!(!p.describe().contains(bad), "{}", p.describe());
        }
        let p = check_docs(&[vec![Item::new("x\nLD_PRELOAD", s(""))]]).unwrap_err();
        assert!(
            p.describe().contains(r#"["x\nLD_PRELOAD"]"#) && p.describe().contains("U+000A"),
            "{}",
            p.describe()
        );
        // Deep in a tree (the walk itself does not recurse; dropping the
        // tree does, so it stays within a test thread's stack).
        let mut v = Value::Map(vec![Item::new("bad\n", s(""))]);
        for _ in 0..2_000 {
            v = Value::List(vec![v]);
        }
        let docs = [vec![Item::new("a", v)]];
        assert!(check_docs(&docs).is_err());
        // Ordinary names, also non-ASCII and with '=' or '#', are fine here.
        let ok = vec![
            Item::new("a=b", s("")),
            Item::new("#c", s("")),
            Item::new("ключ", s("")),
            Item::new("", s("")),
            Item::new("tab\t", s("")),
        ];
        assert_eq!(check_docs(&[ok]), Ok(()));
    }

    #[test]
    fn dotenv_names() {
        for good in ["A", "my-key", "a.b", "", " x ", "ключ", "A#B", "TAB\t"] {
            assert_eq!(check_dotenv_key(good), Ok(()), "{good:?}");
        }
        for bad in [
            "x\nLD_PRELOAD",
            "LD_PRELOAD=/x.so",
            "#A",
            "a\rb",
            "a\0",
            "=",
            "a\u{2028}",
        ] {
            assert!(check_dotenv_key(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn env_names() {
        for good in ["A", "my-key", "a.b", "_", "ключ", "#x"] {
            assert_eq!(check_env_name(good), Ok(()), "{good:?}");
        }
        for bad in ["", "A=B", "=", "a\0b", "x\nLD_PRELOAD", "a\r", "a\u{85}"] {
            let e = check_env_name(bad).unwrap_err();
            assert!(!e.0.contains('\n') && !e.0.contains('\0'), "{e}");
        }
    }

    #[test]
    fn ini_sections() {
        for good in ["s", "a]b", "[x]", " spaced ", "DEFAULT"] {
            assert_eq!(check_ini_section(good), Ok(()), "{good:?}");
        }
        for bad in ["", "a\n[evil", "a\rb", "x\u{2029}"] {
            assert!(check_ini_section(bad).is_err(), "{bad:?}");
        }
    }
}
