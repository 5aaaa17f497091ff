//! Inputs that the fuzz targets (`fuzz/`, see `fuzz/README.md`) found to
//! break a property, replayed by plain `cargo test`.
//!
//! Each file `testdata/fuzz-regressions/<target>/<name>` is one input. It is
//! run through the very check its fuzz target runs (the target bodies live
//! in `fuzz/src/lib.rs`, included below), and its expected outcome through
//! the public API (parsed or rejected: never a panic) is listed in
//! [`EXPECTED`]. The tests after that pin the fixes themselves.

#[allow(dead_code)]
#[path = "../fuzz/src/lib.rs"]
mod fuzz_checks;

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;

use rsops::cipher::{self, Cipher, DataKey};
use rsops::file::{emit_encrypted, load_encrypted, SopsFile};
use rsops::format::Format;
use rsops::keys::age::AgeKey;
use rsops::keys::MasterKey;
use rsops::metadata::Metadata;
use rsops::stores::{ini, yaml};
use rsops::tree::{Item, Value};

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("testdata/fuzz-regressions")
}

/// Every saved input: (target, file name, bytes).
fn inputs() -> Vec<(String, String, Vec<u8>)> {
    let mut out = Vec::new();
    for target in std::fs::read_dir(dir()).expect("testdata/fuzz-regressions") {
        let target = target.unwrap().path();
        let t = target.file_name().unwrap().to_string_lossy().into_owned();
        for f in std::fs::read_dir(&target).unwrap() {
            let f = f.unwrap().path();
            let name = f.file_name().unwrap().to_string_lossy().into_owned();
            out.push((t.clone(), name, std::fs::read(&f).unwrap()));
        }
    }
    out.sort();
    out
}

/// What each input does through the public API: `true` when it parses
/// (the metadata inputs: when it loads as an encrypted file), `false` when
/// it is rejected with an error. Every input must be listed here.
const EXPECTED: &[(&str, &str, bool)] = &[
    // YAML comments that sops moves when it writes them (on an anchor
    // line; after a list item's dash): the layout may change, the comment
    // texts and their order may not.
    ("yaml", "comment-on-anchor-line.yaml", true),
    ("yaml", "comment-after-list-dash.yaml", true),
    // A list's head comment, then an item whose map starts with a line
    // comment: sops' emitter (and so ours) writes only one of the two.
    ("yaml", "list-head-comment-and-line-comment.yaml", true),
    // A string key `<<` is written `!!merge <<: value`, as sops writes it
    // (and sops reads such files back); it failed to parse as a bad merge.
    ("yaml", "explicit-merge-tag-scalar-value.yaml", true),
    ("yaml", "sops-wrote-merge-tag-string-key.yaml", true),
    // A multi-line string starting with a tab was written `null` (sops
    // does that, losing the value); it is now written double-quoted.
    ("yaml", "tab-led-multiline-string.yaml", true),
    // A multi-line string starting with a space, in a list, was written as
    // `- |4-` over lines indented by 2 (go-yaml's and sops' output, which
    // neither can read back); the indicator now counts from the `-`.
    ("yaml", "block-scalar-indicator-in-sequence.yaml", true),
    // `!!float 1` is written `1` (as sops does) and reads back as the int 1.
    ("yaml", "integral-float-tag.yaml", true),
    // The float -0.0 is written `-0` (as sops does) and reads back as 0.
    ("yaml", "negative-zero-float.yaml", true),
    // A JSON float with an integral value (1.11e18 written with a fraction)
    // is written as an integer, as sops writes it (Go's encoding/json), and
    // reads back as an int under sops 3.13's number rule.
    ("json", "integral-float-written-as-integer.json", true),
    // `sops_*` lines in any order are written back sorted.
    ("dotenv", "metadata-lines-unsorted.env", true),
    // Comment text is normalised by go-ini's rules (CR, markers, empty).
    ("ini", "crlf-two-line-comment.ini", true),
    ("ini", "comment-markers-and-empty-comment.ini", true),
    ("ini", "inline-comment-starting-with-cr.ini", true),
    // A bare key holding `"`, `` ` `` and `"""`: go-ini's backquotes cannot
    // hold it, the bare form can.
    ("ini", "raw-key-with-quotes-and-backtick.ini", true),
    // A key starting with U+FEFF, written first in the file, lost it to the
    // byte order mark check on reading.
    ("ini", "key-starting-with-byte-order-mark.ini", true),
    // A multi-line value holding `"""` was written in `"""` quotes, so it
    // ended early and its remaining lines were read as keys and sections.
    ("ini", "multiline-value-holding-triple-quotes.ini", true),
    // `type:bool` holding `1`: re-encrypting `True` reused the IV.
    ("enc_value", "bool-1-iv-reuse.bin", true),
    // An empty second key group vanished when written as INI. Its second
    // group also holds a field of no known kind whose name has control
    // characters: fields of unknown kinds are now kept (not dropped), and
    // such a name is refused as in any other key name.
    ("metadata", "ini-empty-key-group.ini", false),
    // An INI comment `;)` came back as `)`. The input as found holds a key
    // name with NUL characters, which rsops now refuses in every file
    // (`stores::names`); the same input without them still checks the
    // comment.
    ("metadata", "ini-semicolon-comment.ini", false),
    ("metadata", "ini-semicolon-comment-without-nul.ini", true),
    // A metadata value ending in `\` was written bare and read as a
    // continuation line, swallowing the next key.
    // As found it has a section name with NUL characters, now refused
    // (`stores::names`); the same input without them still checks the fix.
    ("metadata", "ini-value-ending-in-backslash.ini", false),
    (
        "metadata",
        "ini-value-ending-in-backslash-without-nul.ini",
        true,
    ),
];

fn format_of(target: &str, name: &str) -> Format {
    match target {
        "yaml" => Format::Yaml,
        "json" => Format::Json,
        "dotenv" => Format::Dotenv,
        "ini" => Format::Ini,
        _ => Format::from_path(name),
    }
}

#[test]
fn every_input_is_listed_and_parses_or_fails_as_expected() {
    let all = inputs();
    assert!(all.len() >= EXPECTED.len());
    for (target, name, data) in &all {
        let Some(&(_, _, ok)) = EXPECTED.iter().find(|(t, n, _)| t == target && n == name) else {
            panic!("{target}/{name} is not listed in EXPECTED");
        };
        let fmt = format_of(target, name);
        let got = catch_unwind(|| match target.as_str() {
            "enc_value" => {
                let (&sel, plain) = data.split_first().expect("non-empty");
                let datatype = fuzz_checks::TYPES[usize::from(sel) % fuzz_checks::TYPES.len()];
                let sealed = seal_as(plain, datatype, "k:");
                Cipher::new(key()).unwrap().decrypt(&sealed, "k:").is_ok()
            }
            "metadata" => load_encrypted(data, fmt, name).is_ok(),
            _ => fmt.parse_tree(data).is_ok(),
        });
        match got {
            Ok(got) => assert_eq!(got, ok, "{target}/{name}: parsed = {got}"),
            Err(_) => panic!("{target}/{name}: panicked"),
        }
    }
    for (t, n, _) in EXPECTED {
        assert!(
            all.iter().any(|(target, name, _)| target == t && name == n),
            "{t}/{n} is listed but missing"
        );
    }
}

#[test]
fn every_input_passes_its_fuzz_target() {
    let mut failures = Vec::new();
    for (target, name, data) in inputs() {
        let run = || match target.as_str() {
            "yaml" => fuzz_checks::store(Format::Yaml, &data),
            "json" => fuzz_checks::store(Format::Json, &data),
            "dotenv" => fuzz_checks::store(Format::Dotenv, &data),
            "ini" => fuzz_checks::store(Format::Ini, &data),
            "enc_value" => fuzz_checks::enc_value(&data),
            "metadata" => fuzz_checks::metadata(&data),
            other => panic!("unknown fuzz target {other}"),
        };
        if let Err(e) = catch_unwind(AssertUnwindSafe(run)) {
            let msg = e
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            failures.push(format!("{target}/{name}: {msg}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

fn key() -> DataKey {
    DataKey::from_bytes((0u8..32).collect())
}

/// Seal `plain` as a value of type `datatype` under the test key.
fn seal_as(plain: &[u8], datatype: &str, aad: &str) -> String {
    let sealed = Cipher::new(key())
        .unwrap()
        .encrypt(&Value::Bytes(plain.to_vec()), aad)
        .unwrap();
    format!(
        "{},type:{datatype}]",
        sealed.strip_suffix(",type:str]").unwrap()
    )
}

#[test]
fn a_value_read_in_a_non_canonical_form_does_not_lend_its_iv() {
    for (plain, datatype) in [
        ("1", "bool"),
        ("true", "bool"),
        ("+7", "int"),
        ("007", "int"),
        ("1.50", "float"),
        ("2024-01-01T00:00:00.000Z", "time"),
    ] {
        let old = seal_as(plain.as_bytes(), datatype, "k:");
        let mut c = Cipher::new(key()).unwrap();
        let slot = cipher::Slot::new();
        let v = c.decrypt_at(&old, "k:", &slot).unwrap();
        let new = c.encrypt_at(&v, "k:", &slot).unwrap();
        let (o, n) = (cipher::parse(&old).unwrap(), cipher::parse(&new).unwrap());
        assert_ne!(
            o.iv, n.iv,
            "{datatype} {plain:?}: IV reused for another plaintext"
        );
    }
    // The canonical forms still keep their ciphertext (minimal diffs).
    for (plain, datatype) in [
        ("True", "bool"),
        ("7", "int"),
        ("1.5", "float"),
        ("x", "str"),
    ] {
        let old = seal_as(plain.as_bytes(), datatype, "k:");
        let mut c = Cipher::new(key()).unwrap();
        let slot = cipher::Slot::new();
        let v = c.decrypt_at(&old, "k:", &slot).unwrap();
        assert_eq!(
            c.encrypt_at(&v, "k:", &slot).unwrap(),
            old,
            "{datatype} {plain:?}"
        );
    }
}

fn ini_round_trip(key: &str, value: &str) -> Result<(String, String), String> {
    let doc = vec![Item::new(
        "s",
        Value::Map(vec![
            Item::new(key, Value::Str(value.into())),
            Item::new("next", Value::Str("after".into())),
        ]),
    )];
    let out = ini::emit(&[doc], None).map_err(|e| e.to_string())?;
    let back = ini::parse(&out).map_err(|e| e.to_string())?;
    let Value::Map(m) = &back[0][1].value else {
        panic!("no section")
    };
    assert_eq!(m.len(), 2, "{:?}", String::from_utf8_lossy(&out));
    assert_eq!(m[1], Item::new("next", Value::Str("after".into())));
    Ok((
        m[0].key_str().unwrap().to_string(),
        m[0].value.as_str().unwrap().to_string(),
    ))
}

#[test]
fn ini_writes_only_what_reads_back() {
    for value in [
        "ends in a backslash\\",
        "\"surrounded by quotes\"",
        "'single quotes'",
        "line one\nport = \"\"\"2\n[server]\nname = x",
        "a\"\"\"b\nc",
        "`tick\nand newline",
        "plain",
        "  outer space  ",
        "semi;colon and # hash",
        "",
    ] {
        let got = ini_round_trip("k", value).unwrap_or_else(|e| panic!("{value:?}: {e}"));
        assert_eq!(got, ("k".to_string(), value.to_string()));
    }
    for key in ["#1", ";k", "[k]", "a=b", "a`b", "a\"b:c"] {
        let got = ini_round_trip(key, "v").unwrap_or_else(|e| panic!("{key:?}: {e}"));
        assert_eq!(got, (key.to_string(), "v".to_string()));
    }
    // What no quoting can hold is an error, which never shows the value.
    let e = ini_round_trip("k", "secret`\n\"\"\"\nx").unwrap_err();
    assert!(e.contains("\"k\"") && !e.contains("secret"), "{e}");
    assert!(ini_round_trip(" padded ", "v").is_err());
    assert!(ini_round_trip("-", "v").is_err());
}

fn age(n: u8) -> MasterKey {
    MasterKey::new(AgeKey {
        recipient: format!("age1recipient{n}"),
        enc: format!(
            "-----BEGIN AGE ENCRYPTED FILE-----\nkey{n}\n-----END AGE ENCRYPTED FILE-----\n"
        ),
    })
}

fn file_with_groups(groups: Vec<Vec<MasterKey>>, fmt: Format) -> SopsFile {
    let leaf = Item::new("a", Value::Str("ENC[x]".into()));
    SopsFile {
        docs: vec![if fmt == Format::Ini {
            vec![Item::new("DEFAULT", Value::Map(vec![leaf]))]
        } else {
            vec![leaf]
        }],
        md: Metadata {
            key_groups: groups,
            shamir_threshold: 1,
            lastmodified: "2024-01-01T00:00:00Z".into(),
            mac: "ENC[mac]".into(),
            ..Default::default()
        },
    }
}

#[test]
fn flat_formats_refuse_an_empty_key_group_yaml_keeps_it() {
    for fmt in [Format::Ini, Format::Dotenv] {
        let mut f = file_with_groups(vec![vec![age(1)], vec![]], fmt);
        let e = emit_encrypted(&mut f, fmt, None).unwrap_err();
        assert!(e.message().contains("empty key group"), "{}", e.message());
        // Without the empty group it writes and reads back.
        let mut f = file_with_groups(vec![vec![age(1)], vec![age(2)]], fmt);
        let out = emit_encrypted(&mut f, fmt, None).unwrap();
        assert_eq!(load_encrypted(&out, fmt, "t").unwrap().md, f.md);
    }
    let mut f = file_with_groups(vec![vec![age(1)], vec![]], Format::Yaml);
    let out = emit_encrypted(&mut f, Format::Yaml, None).unwrap();
    assert_eq!(load_encrypted(&out, Format::Yaml, "t").unwrap().md, f.md);
}

#[test]
fn metadata_whose_key_groups_are_all_empty_is_rejected() {
    let mut v = file_with_groups(vec![vec![age(1)], vec![]], Format::Yaml)
        .md
        .to_value();
    let Value::Map(m) = &mut v else { panic!() };
    let groups = m
        .iter_mut()
        .find(|i| i.key_str() == Some("key_groups"))
        .unwrap();
    groups.value = Value::List(vec![Value::Map(vec![]), Value::Map(vec![])]);
    let e = Metadata::from_value(&v).unwrap_err();
    assert!(e.message().contains("no keys found"), "{}", e.message());
}

#[test]
fn an_explicit_merge_tag_is_a_plain_key_as_sops_reads_it() {
    // What sops writes for a string key `<<` (and decrypts again).
    let docs = yaml::parse(b"a:\n    !!merge <<: ENC[AES256_GCM,data:YQ==,iv:x,tag:y,type:str]\n")
        .unwrap();
    let Value::Map(m) = &docs[0][0].value else {
        panic!()
    };
    assert_eq!(m[0].key_str(), Some("<<"));
    // The emitter writes it the same way, and it reads back.
    let out = yaml::emit(&docs, 4).unwrap();
    assert!(String::from_utf8_lossy(&out).contains("!!merge <<:"));
    assert_eq!(yaml::parse(&out).unwrap(), docs);
    // A plain `<<` with a scalar value is still refused, as sops does.
    assert!(yaml::parse(b"a:\n    <<: x\n").is_err());
}

/// SECURITY.md promises that the stored MAC is encrypted with
/// `lastmodified` as its additional data: changing either breaks it.
#[test]
fn the_mac_is_bound_to_lastmodified() {
    use rsops::crypt::{decrypt_and_verify, encrypt_and_seal};
    let plain = vec![vec![
        Item::new("a", Value::Str("secret".into())),
        Item::new("b_unencrypted", Value::Str("visible".into())),
    ]];
    let mut md = file_with_groups(vec![vec![age(1)]], Format::Yaml)
        .md
        .clone();
    let mut docs = plain.clone();
    encrypt_and_seal(&mut docs, &mut md, &mut Cipher::new(key()).unwrap()).unwrap();
    let check = |md: &Metadata| {
        let mut d = docs.clone();
        decrypt_and_verify(&mut d, md, &mut Cipher::new(key()).unwrap(), false).map(|()| d)
    };
    assert_eq!(check(&md).unwrap(), plain);
    let mut moved = md.clone();
    moved.lastmodified = "2001-01-01T00:00:00Z".into();
    assert!(
        check(&moved).is_err(),
        "a changed lastmodified must break the MAC"
    );
    let mut docs2 = docs.clone();
    docs2[0][1].value = Value::Str("changed".into());
    let mut d = docs2;
    assert!(decrypt_and_verify(&mut d, &md, &mut Cipher::new(key()).unwrap(), false).is_err());
}
