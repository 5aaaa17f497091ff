//! Checks shared by the rsops fuzz targets (see `fuzz/README.md`).
//!
//! Every check either returns normally or panics with a message that says
//! which property broke; libFuzzer records the panicking input as a crash.

use rsops::cipher::{self, Cipher, DataKey};
use rsops::file::{emit_encrypted, load_encrypted};
use rsops::format::Format;
use rsops::metadata::Metadata;
use rsops::stores::flatten::flatten_metadata;
use rsops::stores::{dotenv, ini, json, names, yaml};
use rsops::tree::{Branch, Comment, Item, Key, Value};

/// What a round trip may change without changing the data. Keys, values,
/// their types and order, and the text of every comment must always
/// survive; these switches allow the layout changes sops makes too.
#[derive(Clone, Copy, Debug, Default)]
pub struct Layout {
    /// Comments may move (sops' YAML store attaches a comment to a
    /// different node when it writes it back: `- # c` becomes a comment
    /// line before the item, an end-of-line comment a line of its own),
    /// but the same comment texts must come in the same order.
    pub comments_move: bool,
    /// Comments may be lost (with `comments_move`): sops' YAML emitter
    /// drops a list's head comment when the first item's map starts with a
    /// comment of its own; rsops writes what sops writes. The comments
    /// read back must still be some of the original texts, in order.
    pub comments_dropped: bool,
    /// Comment markers and whitespace at the ends of each comment line are
    /// layout: INI writes `; text` lines trimmed, as go-ini does, so `;;x`
    /// and `x\r` both come back as `x`, and a comment left empty is not
    /// written at all.
    pub comment_markers: bool,
    /// The order of the entries of a top-level `sops` map is layout: the
    /// flat stores write its flattened keys sorted, as sops does.
    pub flat_metadata: bool,
    /// A float with an integral value may come back as that integer: YAML
    /// writes the float 1.0 as `1` and -0.0 as `-0` (read back as the int
    /// 0), JSON writes 1.0 as `1`, exactly as sops does.
    pub integral_floats: bool,
}

/// Exact comparison: only the float rules of [`same_docs`] apply.
pub const EXACT: Layout = Layout {
    comments_move: false,
    comments_dropped: false,
    comment_markers: false,
    flat_metadata: false,
    integral_floats: false,
};

/// YAML: sops' comment model moves (and in one case drops) comments when
/// it writes them, and integral floats are written as integers.
pub const YAML: Layout = Layout {
    comments_move: true,
    comments_dropped: true,
    integral_floats: true,
    ..EXACT
};
/// JSON: no comments, no flattened metadata. Integral floats are written
/// as integers (`1.0` as `1`, 1.11e18 as `1110000000000000000`), as sops
/// writes them (Go's encoding/json), and an integer that fits 64 bits reads
/// back as an int (sops 3.13's number rule).
pub const JSON: Layout = Layout {
    integral_floats: true,
    ..EXACT
};
/// dotenv: `sops_*` lines are written sorted, as sops does.
pub const DOTENV: Layout = Layout {
    flat_metadata: true,
    ..EXACT
};
/// INI: `[sops]` keys are written sorted, comment lines as `; text`
/// trimmed, as go-ini does.
pub const INI: Layout = Layout {
    flat_metadata: true,
    comment_markers: true,
    ..EXACT
};

/// The layout rules of a store.
pub fn layout_of(fmt: Format) -> Layout {
    match fmt {
        Format::Yaml => YAML,
        Format::Dotenv => DOTENV,
        Format::Ini => INI,
        _ => JSON,
    }
}

/// One step of a pre-order walk of a tree.
#[derive(Debug)]
enum Tok<'a> {
    Doc,
    Map,
    List,
    End,
    Key(&'a str),
    Comment(&'a Comment),
    Scalar(&'a Value),
    /// A top-level `sops` map, flattened (compared as a sorted list).
    Meta(Branch),
}

enum Work<'a> {
    Value(&'a Value),
    Item(&'a Item, bool),
    End,
}

/// The walk of `docs` as a flat list of steps; iterative, so a deep tree
/// cannot overflow the stack here.
fn walk(docs: &[Branch], layout: Layout) -> Vec<Tok<'_>> {
    let mut out = Vec::new();
    let mut stack: Vec<Work<'_>> = Vec::new();
    for doc in docs {
        out.push(Tok::Doc);
        stack.push(Work::End);
        stack.extend(doc.iter().rev().map(|i| Work::Item(i, true)));
        while let Some(w) = stack.pop() {
            match w {
                Work::End => out.push(Tok::End),
                Work::Item(item, top) => match &item.key {
                    Key::Comment(c)
                        if layout.comment_markers && comment_text(c, layout).is_empty() => {}
                    Key::Comment(c) => out.push(Tok::Comment(c)),
                    Key::Str(k) => {
                        out.push(Tok::Key(k));
                        match &item.value {
                            Value::Map(m) if top && layout.flat_metadata && k == "sops" => {
                                out.push(Tok::Meta(flatten_metadata(m)));
                            }
                            v => stack.push(Work::Value(v)),
                        }
                    }
                },
                Work::Value(Value::Map(m)) => {
                    out.push(Tok::Map);
                    stack.push(Work::End);
                    stack.extend(m.iter().rev().map(|i| Work::Item(i, false)));
                }
                Work::Value(Value::List(l)) => {
                    out.push(Tok::List);
                    stack.push(Work::End);
                    stack.extend(l.iter().rev().map(Work::Value));
                }
                Work::Value(Value::Comment(c)) => out.push(Tok::Comment(c)),
                Work::Value(v) => out.push(Tok::Scalar(v)),
            }
        }
    }
    out
}

fn comment_text(c: &Comment, layout: Layout) -> String {
    if layout.comment_markers {
        let lines: Vec<&str> = c
            .value
            .split('\n')
            .map(|l| {
                l.trim_start_matches(|c: char| c == '#' || c == ';' || c.is_whitespace())
                    .trim_end()
            })
            .collect();
        lines.join("\n")
    } else {
        c.value.clone()
    }
}

fn same_tok(a: &Tok<'_>, b: &Tok<'_>, layout: Layout) -> bool {
    match (a, b) {
        (Tok::Doc, Tok::Doc)
        | (Tok::Map, Tok::Map)
        | (Tok::List, Tok::List)
        | (Tok::End, Tok::End) => true,
        (Tok::Key(x), Tok::Key(y)) => x == y,
        (Tok::Meta(x), Tok::Meta(y)) => x == y,
        (Tok::Comment(x), Tok::Comment(y)) => {
            comment_text(x, layout) == comment_text(y, layout)
                && (layout.comments_move || x.inline == y.inline)
        }
        (Tok::Scalar(Value::Float(x)), Tok::Scalar(Value::Float(y))) => {
            x.to_bits() == y.to_bits() || (x.is_nan() && y.is_nan())
        }
        (Tok::Scalar(Value::Float(f)), Tok::Scalar(Value::Int(i)))
        | (Tok::Scalar(Value::Int(i)), Tok::Scalar(Value::Float(f))) => {
            // `-0` reads back as the int 0, so compare as numbers.
            layout.integral_floats && *f == *i as f64 && f.fract() == 0.0
        }
        (Tok::Scalar(x), Tok::Scalar(y)) => x == y,
        _ => false,
    }
}

/// Do two trees hold the same data? Like `==`, except that floats are
/// compared bit for bit (so `-0.0` differs from `0.0`, as the stores keep
/// negative zero) and every NaN equals every NaN (YAML `.nan`).
pub fn same_docs(a: &[Branch], b: &[Branch]) -> bool {
    same_docs_with(a, b, EXACT)
}

/// [`same_docs`], with the differences `layout` allows.
pub fn same_docs_with(a: &[Branch], b: &[Branch], layout: Layout) -> bool {
    let (ta, tb) = (walk(a, layout), walk(b, layout));
    if layout.comments_move {
        let ((da, ca), (db, cb)) = (split_comments(ta), split_comments(tb));
        let comments_ok = if layout.comments_dropped {
            // `cb` must be a subsequence of `ca`.
            let mut rest = ca.iter();
            cb.iter().all(|y| rest.any(|x| same_tok(x, y, layout)))
        } else {
            same_toks(&ca, &cb, layout)
        };
        same_toks(&da, &db, layout) && comments_ok
    } else {
        same_toks(&ta, &tb, layout)
    }
}

/// (data steps, comment steps)
fn split_comments(t: Vec<Tok<'_>>) -> (Vec<Tok<'_>>, Vec<Tok<'_>>) {
    t.into_iter().partition(|x| !matches!(x, Tok::Comment(_)))
}

fn same_toks(a: &[Tok<'_>], b: &[Tok<'_>], layout: Layout) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| same_tok(x, y, layout))
}

/// [`same_docs`] for two values.
pub fn same_value(a: &Value, b: &Value) -> bool {
    let doc = |v: &Value| vec![vec![Item::new("v", v.clone())]];
    same_docs(&doc(a), &doc(b))
}

/// At most `max` characters of a debug rendering, for panic messages.
pub fn show(what: &impl std::fmt::Debug, max: usize) -> String {
    let s = format!("{what:?}");
    match s.char_indices().nth(max) {
        Some((i, _)) => format!("{}… ({} chars)", &s[..i], s.len()),
        None => s,
    }
}

/// The store property: whatever `parse` accepts, `emit` can write, and
/// `parse` reads the written text back to the same tree, up to `layout`.
/// (rsops' output must mean what the input meant, for rsops and for sops.)
///
/// Returns the parsed documents (`None` when `data` was rejected).
pub fn check_round_trip(
    data: &[u8],
    parse: fn(&[u8]) -> rsops::stores::Result<Vec<Branch>>,
    emit: &dyn Fn(&[Branch]) -> rsops::stores::Result<Vec<u8>>,
    layout: Layout,
) -> Option<Vec<Branch>> {
    let docs = parse(data).ok()?;
    // Trees with duplicate keys or control characters in key names are
    // refused by every command (`stores::names::check_docs`), so they
    // never reach an emitter; the emitters may refuse them too.
    names::check_docs(&docs).ok()?;
    let out = match emit(&docs) {
        Ok(out) => out,
        Err(e) => panic!(
            "a parsed tree could not be written: {e}\ntree: {}",
            show(&docs, 2000)
        ),
    };
    let again = match parse(&out) {
        Ok(d) => d,
        Err(e) => panic!(
            "the emitted text does not parse: {e}\ntree: {}\nemitted: {:?}",
            show(&docs, 2000),
            String::from_utf8_lossy(&out)
        ),
    };
    assert!(
        same_docs_with(&docs, &again, layout),
        "parse -> emit -> parse changed the tree\nfirst:  {}\nsecond: {}\nemitted: {:?}",
        show(&docs, 2000),
        show(&again, 2000),
        String::from_utf8_lossy(&out)
    );
    Some(docs)
}

// ---------------------------------------------------------------------------
// The fuzz targets' bodies (`fuzz_targets/*.rs` call these; so does the
// main crate's `tests/fuzz_regressions.rs`, on the inputs that once failed).

/// Target `yaml`, `json`, `dotenv` or `ini`: see [`check_round_trip`].
pub fn store(fmt: Format, data: &[u8]) {
    let layout = layout_of(fmt);
    match fmt {
        Format::Yaml => check_round_trip(data, yaml::parse, &|d| yaml::emit(d, 4), layout),
        Format::Json => check_round_trip(data, json::parse, &|d| json::emit(d, None), layout),
        Format::Dotenv => check_round_trip(data, dotenv::parse, &|d| dotenv::emit(d, None), layout),
        Format::Ini => check_round_trip(data, ini::parse, &|d| ini::emit(d, None), layout),
        other => panic!("no store target for {other:?}"),
    };
}

/// The value types [`enc_value`] picks from with its first byte.
pub const TYPES: [&str; 8] = [
    "str", "int", "float", "bool", "time", "comment", "bytes", "other",
];

fn cipher() -> Cipher {
    Cipher::new(DataKey::from_bytes((0u8..32).collect())).expect("32-byte key")
}

/// Target `enc_value`: `cipher::parse` and `Cipher::decrypt` with a fixed
/// key on arbitrary text must fail cleanly; and authentic values of every
/// type (the type field is not authenticated, so any plaintext can arrive
/// under any type) must decrypt or fail cleanly, re-encrypt to the same
/// value, and never reuse an IV for a different plaintext or type. The
/// first byte picks the type, the rest is the plaintext.
pub fn enc_value(data: &[u8]) {
    // 1. Any text as an ENC value.
    let text = String::from_utf8_lossy(data);
    let _ = cipher::parse(&text);
    let _ = cipher().decrypt(&text, "a:b:");

    // 2. An authentic value: the first byte picks the type, the rest is the
    // plaintext.
    let Some((&sel, plain)) = data.split_first() else {
        return;
    };
    let datatype = TYPES[usize::from(sel) % TYPES.len()];
    let aad = "k:";
    let sealed = cipher()
        .encrypt(&Value::Bytes(plain.to_vec()), aad)
        .expect("encrypting a byte string cannot fail");
    if plain.is_empty() {
        assert_eq!(sealed, "", "an empty value must stay empty");
        return;
    }
    let typed = sealed
        .strip_suffix(",type:str]")
        .map(|s| format!("{s},type:{datatype}]"))
        .expect("a byte string is sealed with type str");
    let original = cipher::parse(&typed).expect("a value we sealed must parse");
    assert_eq!(original.data.len(), plain.len());
    assert!(
        cipher().decrypt(&typed, "other:").is_err(),
        "a value must not decrypt under another path"
    );

    let mut c = cipher();
    let slot = cipher::Slot::new();
    let Ok(value) = c.decrypt_at(&typed, aad, &slot) else {
        return;
    };
    let again = c
        .encrypt_at(&value, aad, &slot)
        .expect("a decrypted value re-encrypts");
    let reopened = cipher::parse(&again).expect("a value we sealed must parse");
    if reopened.iv == original.iv {
        // IV memory: reusing the IV is only safe for the very same message.
        assert_eq!(
            again, typed,
            "the IV of a {datatype} value was reused for a different plaintext or type"
        );
    }
    let back = cipher()
        .decrypt(&again, aad)
        .expect("a value we sealed decrypts");
    // A byte string is re-encrypted as type str (as sops does), so it may
    // come back as a string with the same bytes.
    let same = match (&value, &back) {
        (Value::Bytes(a), Value::Str(b)) => a.as_slice() == b.as_bytes(),
        _ => same_value(&value, &back),
    };
    assert!(
        same,
        "a {datatype} value changed on re-encryption: {value:?} -> {back:?}"
    );
}

fn check_metadata_round_trip(md: &Metadata) {
    match Metadata::from_value(&md.to_value()) {
        Ok(back) => assert_eq!(&back, md, "metadata changed through to_value -> from_value"),
        Err(e) => panic!(
            "metadata we write does not read back: {}\n{md:?}",
            e.message()
        ),
    }
}

/// Target `metadata`: bytes -> tree (YAML, JSON, dotenv, INI) ->
/// `Metadata::from_value`, as `rsops decrypt` loads a file. Whatever loads
/// must be written back (`emit_encrypted`) and load again to the same
/// metadata and documents; a metadata value that reads must also survive
/// `to_value` -> `from_value`.
pub fn metadata(data: &[u8]) {
    for fmt in [Format::Yaml, Format::Json, Format::Dotenv, Format::Ini] {
        // The document itself as a metadata block (no `sops:` wrapper needed).
        if let Ok(docs) = fmt.parse_tree(data) {
            for doc in docs {
                if let Ok(md) = Metadata::from_value(&Value::Map(doc)) {
                    check_metadata_round_trip(&md);
                }
            }
        }
        // A whole encrypted file, as the commands load it.
        let Ok(mut file) = load_encrypted(data, fmt, "fuzz") else {
            continue;
        };
        check_metadata_round_trip(&file.md);
        let groups = &file.md.key_groups;
        let unwritable = fmt.is_flat() && groups.len() > 1 && groups.iter().any(Vec::is_empty);
        let out = match emit_encrypted(&mut file, fmt, None) {
            Ok(out) => {
                assert!(
                    !unwritable,
                    "{fmt:?}: an empty key group was written (and lost)"
                );
                out
            }
            // The flat formats cannot hold an empty key group: refusing to
            // write one is right (dropping it would break the Shamir shares).
            Err(_) if unwritable => continue,
            Err(e) => panic!(
                "{fmt:?}: a loaded file could not be written: {}",
                e.message()
            ),
        };
        let again = match load_encrypted(&out, fmt, "fuzz") {
            Ok(f) => f,
            Err(e) => panic!(
                "{fmt:?}: a file we wrote does not load: {}\nwritten: {:?}",
                e.message(),
                String::from_utf8_lossy(&out)
            ),
        };
        assert_eq!(
            again.md, file.md,
            "{fmt:?}: the metadata changed when written and read"
        );
        assert!(
            same_docs_with(&again.docs, &file.docs, layout_of(fmt)),
            "{fmt:?}: the documents changed when written and read\nfirst:  {}\nsecond: {}",
            show(&file.docs, 2000),
            show(&again.docs, 2000)
        );
    }
}

// ---------------------------------------------------------------------------
// Limits on what a hostile file can make rsops allocate.

/// The alias budget [`yaml_aliases`] parses with: small, so that inputs of
/// a few hundred bytes reach it.
pub const SMALL_ALIAS_BUDGET: u64 = 256;

/// The bytes of text a tree holds: keys, strings, byte strings, times and
/// comments.
pub fn text_bytes(docs: &[Branch]) -> u64 {
    fn value(v: &Value) -> u64 {
        match v {
            Value::Str(s) | Value::Time(s) => s.len() as u64,
            Value::Bytes(b) => b.len() as u64,
            Value::Comment(c) => c.value.len() as u64,
            Value::Map(m) => branch(m),
            Value::List(l) => l.iter().map(value).sum(),
            _ => 0,
        }
    }
    fn branch(b: &Branch) -> u64 {
        b.iter()
            .map(|i| {
                let k = match &i.key {
                    Key::Str(k) => k.len(),
                    Key::Comment(c) => c.value.len(),
                };
                k as u64 + value(&i.value)
            })
            .sum()
    }
    docs.iter().map(branch).sum()
}

/// Target `yaml_aliases`: the YAML alias budget. Parsed with a budget of
/// [`SMALL_ALIAS_BUDGET`] bytes, a document may hold at most its input's
/// text (three times over: a short timestamp is written out in full) plus
/// the budget, per document; what parses under the small budget parses the
/// same under the default one, and an input refused for any other reason
/// is refused the same way under both (the budget only adds a refusal).
pub fn yaml_aliases(data: &[u8]) {
    let small = yaml::parse_with_alias_budget(data, SMALL_ALIAS_BUDGET);
    match &small {
        Ok(docs) => {
            let bound = 3 * data.len() as u64 + SMALL_ALIAS_BUDGET * docs.len() as u64;
            let got = text_bytes(docs);
            assert!(
                got <= bound,
                "{got} bytes of text from {} bytes of YAML (bound {bound})",
                data.len()
            );
            match yaml::parse(data) {
                Ok(full) => assert!(
                    same_docs_with(docs, &full, EXACT),
                    "the alias budget changed the tree"
                ),
                Err(e) => {
                    panic!("accepted under a small alias budget, refused under the default: {e}")
                }
            }
        }
        Err(e) if e.to_string().contains("copied by alias expansion") => {}
        Err(e) => match yaml::parse(data) {
            Ok(_) => panic!("refused under a small alias budget, not for its size: {e}"),
            Err(full) => assert_eq!(
                full.to_string(),
                e.to_string(),
                "a different error under the default budget"
            ),
        },
    }
}

/// Target `data_key`: recovered data keys are capped at
/// `keys::MAX_DATA_KEY_LEN` bytes wherever they come from. The first byte
/// picks the check, the rest is its input:
///
/// * 0: the bytes as an OpenPGP message: the structure check and the
///   built-in decryption (with a throwaway key) fail cleanly, and decrypt
///   only what the structure check let through;
/// * 1: the bytes as an armored age file, opened with a throwaway identity;
/// * 2: the bytes as a data key wrapped for age, then unwrapped;
/// * 3: the bytes (after two that say how often) repeated up to 2^16 times
///   (64 KiB at most) as a data key wrapped in OpenPGP (encrypted, then
///   compressed, so that a short message expands far past the cap), then
///   unwrapped;
/// * 4: the bytes as what a key source returns (`read_data_key`).
///
/// Wherever a key comes back, it is the original and at most the cap; a
/// longer one is an error that says so.
pub fn data_key(data: &[u8]) {
    use rsops::keys::{self, MAX_DATA_KEY_LEN};
    let Some((&sel, rest)) = data.split_first() else {
        return;
    };
    let check = |got: std::result::Result<zeroize::Zeroizing<Vec<u8>>, rsops::keys::KeyError>,
                 want: &[u8]| match got {
        Ok(k) => {
            assert!(k.len() <= MAX_DATA_KEY_LEN, "{} bytes came back", k.len());
            assert_eq!(&k[..], want, "a different key came back");
        }
        Err(e) => assert!(
            want.len() > MAX_DATA_KEY_LEN || want.is_empty(),
            "a {}-byte key was refused: {e}",
            want.len()
        ),
    };
    match sel % 5 {
        0 => {
            let structure = keys::openpgp::check_message_structure(rest);
            let text = String::from_utf8_lossy(rest);
            let r = keys::openpgp::unwrap_with_certs(&text, vec![pgp_cert().clone()]);
            if let Ok(k) = &r {
                assert!(k.len() <= MAX_DATA_KEY_LEN);
                assert!(
                    structure.is_ok() || text.as_bytes() != rest,
                    "decrypted a message the structure check refuses"
                );
            }
        }
        1 => {
            let text = String::from_utf8_lossy(rest);
            if let Ok(k) = keys::age::unwrap(&text, &age_identities()) {
                assert!(k.len() <= MAX_DATA_KEY_LEN);
            }
        }
        2 => {
            let enc = keys::age::wrap(AGE_RECIPIENT, rest).expect("age wrap");
            check(keys::age::unwrap(&enc, &age_identities()), rest);
        }
        3 => {
            let (reps, key) = match rest {
                [a, b, key @ ..] => (u16::from_le_bytes([*a, *b]) as usize + 1, key),
                _ => return,
            };
            // At most 64 KiB of plaintext (a thousand times the cap; more
            // only makes each run slower).
            let reps = reps.min((64 << 10) / key.len().max(1));
            let plain = key.repeat(reps);
            let enc = pgp_message(&plain);
            check(
                keys::openpgp::unwrap_with_certs(&enc, vec![pgp_cert().clone()]),
                &plain,
            );
        }
        _ => check(keys::read_data_key(rest, "fuzz input"), rest),
    }
}

/// The TEST-ONLY age identity 1 of `testdata/keys`.
const AGE_RECIPIENT: &str = "age1kpr6yzsgqy8khrsna83dc9mdhwvzm7932t74yuc700hs7r6a39jq2upaal";

/// Its identity (parsed per call: identities are not `Sync`).
fn age_identities() -> rsops::keys::age::Identities {
    rsops::keys::age::Identities::from_text(
        "testdata/keys/age1.txt",
        include_bytes!("../../testdata/keys/age1.txt"),
    )
}

/// A throwaway OpenPGP key (made once per process).
fn pgp_cert() -> &'static sequoia_openpgp::Cert {
    static CERT: std::sync::OnceLock<sequoia_openpgp::Cert> = std::sync::OnceLock::new();
    CERT.get_or_init(|| {
        sequoia_openpgp::cert::CertBuilder::general_purpose(Some("rsops fuzz (TEST ONLY)"))
            .generate()
            .expect("a key")
            .0
    })
}

/// `plain` encrypted for [`pgp_cert`], compressed inside the encryption.
fn pgp_message(plain: &[u8]) -> String {
    use sequoia_openpgp::policy::StandardPolicy;
    use sequoia_openpgp::serialize::stream::{
        Armorer, Compressor, Encryptor, LiteralWriter, Message,
    };
    use std::io::Write;
    let policy = StandardPolicy::new();
    let keys = pgp_cert()
        .keys()
        .with_policy(&policy, None)
        .supported()
        .for_transport_encryption();
    let mut out = Vec::new();
    let m = Armorer::new(Message::new(&mut out)).build().expect("armor");
    let m = Encryptor::for_recipients(m, keys)
        .build()
        .expect("encryptor");
    let m = Compressor::new(m).build().expect("compressor");
    let mut w = LiteralWriter::new(m).build().expect("literal");
    w.write_all(plain).expect("write");
    w.finalize().expect("finalize");
    String::from_utf8(out).expect("armor is text")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floats_compare_by_bits_and_nan_equals_nan() {
        assert!(same_value(
            &Value::Float(f64::NAN),
            &Value::Float(-f64::NAN)
        ));
        assert!(!same_value(&Value::Float(0.0), &Value::Float(-0.0)));
        let a = vec![vec![Item::new("a", Value::List(vec![Value::Float(1.0)]))]];
        let b = vec![vec![Item::new("a", Value::List(vec![Value::Int(1)]))]];
        assert!(same_docs(&a, &a.clone()));
        assert!(!same_docs(&a, &b));
    }
}
