//! rsops follows sops 3.13.2 (issue 16): JSON integers, YAML end-of-line
//! comments, the errors for documents sops' tree walker refuses, the flat
//! metadata of 3.13.0/3.13.1, and files of older sops read as those
//! versions read them. Checked against the installed sops, which writes
//! 3.11 files (`SOPS_BIN`, see tests/common).

mod common;
use common::*;

use std::path::Path;
use std::process::Output;

fn out(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn err(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn decrypt(c: std::process::Command, f: &Path) -> Output {
    let mut c = c;
    run(c
        .arg("decrypt")
        .arg(f)
        .env("SOPS_AGE_KEY_FILE", key_file(1)))
}

/// The `ENC[…]` of a top-level JSON key (its type tag is the last field).
fn json_type(text: &str, key: &str) -> String {
    let line = text
        .lines()
        .find(|l| l.trim_start().starts_with(&format!("\"{key}\": ")))
        .unwrap_or_else(|| panic!("no {key} in {text}"));
    let t = line.rsplit("type:").next().unwrap_or("");
    t.trim_end_matches(&['"', ',', ']'][..]).to_string()
}

/// A JSON file of sops 3.11 read every number as a float: its MAC covers
/// `1234567890123456800` for 1234567890123456789 and `-0` for -0. rsops
/// still verifies and decrypts it exactly as sops does, and rewrites it
/// (keeping its version) so that sops still verifies it.
#[test]
fn json_files_of_older_sops_keep_float_numbers() {
    let d = tmpdir();
    let plain = write(
        d.path(),
        "p.json",
        br#"{"id_unencrypted": 1234567890123456789, "z_unencrypted": -0, "l_unencrypted": [-0, 2.0, 1e3, 9007199254740993], "x": 5, "big": 1234567890123456789, "nz": -0}"#,
    );
    let enc = d.path().join("old.json");
    let o = ok(sops().args(["encrypt", "--age", &recipient(1)]).arg(&plain));
    std::fs::write(&enc, &o.stdout).unwrap();
    assert!(out(&o).contains("\"version\": \"3.11.0\""));
    let theirs = decrypt(sops(), &enc);
    let ours = decrypt(rsops(), &enc);
    assert!(ours.status.success(), "{}", err(&ours));
    assert_eq!(out(&ours), out(&theirs));
    assert!(
        out(&ours).contains("\"z_unencrypted\": -0,"),
        "{}",
        out(&ours)
    );
    // Rewritten by rsops (rotate keeps the version): still 3.11's numbers,
    // which sops verifies.
    let rotated = write(
        d.path(),
        "rotated.json",
        &ok(rsops()
            .arg("rotate")
            .arg(&enc)
            .env("SOPS_AGE_KEY_FILE", key_file(1)))
        .stdout,
    );
    assert_eq!(
        json_type(&std::fs::read_to_string(&rotated).unwrap(), "x"),
        "float"
    );
    let back = decrypt(sops(), &rotated);
    assert!(back.status.success(), "{}", err(&back));
    assert_eq!(out(&back), out(&theirs));
    // `set` of an object into that file: its numbers are floats too, so
    // the file verifies as a 3.11 file (with sops as well).
    ok(rsops()
        .args(["set"])
        .arg(&rotated)
        .args([r#"["o_unencrypted"]"#, r#"{"n": 1234567890123456789}"#])
        .env("SOPS_AGE_KEY_FILE", key_file(1)));
    let back = decrypt(sops(), &rotated);
    assert!(back.status.success(), "{}", err(&back));
    assert!(
        out(&back).contains("\"n\": 1234567890123456800"),
        "{}",
        out(&back)
    );
    assert_eq!(out(&decrypt(rsops(), &rotated)), out(&back));
}

/// A JSON file of sops 3.13.2 holds integers as integers: `type:int`
/// values and unencrypted integers above 2^53, exact in its MAC. Made here
/// from sops' own output (a YAML document written as JSON has exactly
/// that) labelled 3.13.2: rsops verifies it and prints the integers
/// exactly; labelled 3.11.0 it fails in both tools, as it must.
#[test]
fn json_files_of_sops_3_13_2_keep_integers() {
    let d = tmpdir();
    let plain = write(
        d.path(),
        "y.yaml",
        b"id_unencrypted: 1234567890123456789\nn: 42\nbig: 1234567890123456789\nl_unencrypted: [1, 9007199254740993]\n",
    );
    let o = ok(sops()
        .args(["encrypt", "--output-type", "json", "--age", &recipient(1)])
        .arg(&plain));
    let text = out(&o);
    assert_eq!(json_type(&text, "n"), "int");
    let new = write(
        d.path(),
        "new.json",
        text.replace("\"version\": \"3.11.0\"", "\"version\": \"3.13.2\"")
            .as_bytes(),
    );
    let o = decrypt(rsops(), &new);
    assert!(o.status.success(), "{}", err(&o));
    assert_eq!(
        out(&o),
        "{\n\t\"id_unencrypted\": 1234567890123456789,\n\t\"n\": 42,\n\t\"big\": 1234567890123456789,\n\t\"l_unencrypted\": [\n\t\t1,\n\t\t9007199254740993\n\t]\n}\n"
    );
    let old = write(d.path(), "old.json", text.as_bytes());
    for c in [rsops(), sops()] {
        assert_eq!(decrypt(c, &old).status.code(), Some(51));
    }
}

/// New files are sops 3.13.2's: an integer that fits 64 bits is
/// `type:int` and written exactly; other numbers are floats.
#[test]
fn new_json_files_keep_int64_integers() {
    let d = tmpdir();
    let plain = write(
        d.path(),
        "p.json",
        br#"{"n": 2, "f": 2.0, "e": 1e3, "huge": 18446744073709551616, "max": 9223372036854775807, "z": -0, "id_unencrypted": 1234567890123456789}"#,
    );
    let o = ok(rsops()
        .args(["encrypt", "--age", &recipient(1)])
        .arg(&plain));
    let text = out(&o);
    for (k, t) in [
        ("n", "int"),
        ("f", "float"),
        ("e", "float"),
        ("huge", "float"),
        ("max", "int"),
        ("z", "int"),
    ] {
        assert_eq!(json_type(&text, k), t, "{k}");
    }
    assert!(text.contains("\"id_unencrypted\": 1234567890123456789,"));
    assert!(text.contains("\"version\": \"3.13.2\""));
    let enc = write(d.path(), "e.json", text.as_bytes());
    let o = decrypt(rsops(), &enc);
    assert_eq!(
        out(&o),
        "{\n\t\"n\": 2,\n\t\"f\": 2,\n\t\"e\": 1000,\n\t\"huge\": 18446744073709552000,\n\t\"max\": 9223372036854775807,\n\t\"z\": 0,\n\t\"id_unencrypted\": 1234567890123456789\n}\n"
    );
    // sops 3.11 reads integers as floats: it decrypts the encrypted ones
    // by their type, but an unencrypted integer above 2^53 no longer
    // hashes the same for it (as with files of the real sops 3.13.2).
    assert_eq!(decrypt(sops(), &enc).status.code(), Some(51));
    let small = write(d.path(), "s.json", br#"{"n": 2, "p_unencrypted": 7}"#);
    let enc = write(
        d.path(),
        "s.enc.json",
        &ok(rsops()
            .args(["encrypt", "--age", &recipient(1)])
            .arg(&small))
        .stdout,
    );
    let o = decrypt(sops(), &enc);
    assert_eq!(
        out(&o),
        "{\n\t\"n\": 2,\n\t\"p_unencrypted\": 7\n}\n",
        "{}",
        err(&o)
    );
    // A top-level array or scalar: sops 3.13's message, exit 2.
    let arr = write(d.path(), "a.json", b"[1]");
    let o = run(rsops().args(["encrypt", "--age", &recipient(1)]).arg(&arr));
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("SOPS only supports JSON files with a top-level object (starting with '{'), not arrays or other types. Got delimiter [ instead."), "{}", err(&o));
    let secret = write(d.path(), "s2.json", b"\"hunter2\"");
    let o = run(rsops()
        .args(["encrypt", "--age", &recipient(1)])
        .arg(&secret));
    assert_eq!(o.status.code(), Some(2));
    assert!(
        err(&o).contains("Got a value of type string instead"),
        "{}",
        err(&o)
    );
    assert!(!err(&o).contains("hunter2"));
}

/// What sops' tree walker refuses: a map key that is not a string, an
/// integer beyond int64. Exit 23 when encrypting, 25 when reading an
/// encrypted file, with sops' words — as the installed sops.
#[test]
fn documents_sops_cannot_walk_exit_like_sops() {
    let d = tmpdir();
    for (name, yaml, what) in [
        (
            "i.yaml",
            "1: a\n",
            "Tree contains a non-string key (type int)",
        ),
        (
            "b.yaml",
            "a:\n  true: x\n",
            "Tree contains a non-string key (type bool)",
        ),
        (
            "n.yaml",
            "~: x\n",
            "Tree contains a non-string key (type <nil>)",
        ),
        (
            "u.yaml",
            "a: 18446744073709551615\n",
            "Cannot walk value, unknown type: uint64",
        ),
    ] {
        let f = write(d.path(), name, yaml.as_bytes());
        let theirs = run(sops().args(["encrypt", "--age", &recipient(1)]).arg(&f));
        let ours = run(rsops().args(["encrypt", "--age", &recipient(1)]).arg(&f));
        assert_eq!(theirs.status.code(), Some(23), "{name}: {}", err(&theirs));
        assert_eq!(ours.status.code(), Some(23), "{name}: {}", err(&ours));
        let prefix = format!("Error encrypting tree: Error walking tree: {what}");
        assert!(err(&theirs).starts_with(&prefix), "{}", err(&theirs));
        assert!(err(&ours).starts_with(&prefix), "{}", err(&ours));
    }
    // A key that is a collection is a YAML error in both (exit 2).
    let f = write(d.path(), "c.yaml", b"a:\n  [1]: x\n");
    for c in [sops(), rsops()] {
        let mut c = c;
        let o = run(c.args(["encrypt", "--age", &recipient(1)]).arg(&f));
        assert_eq!(o.status.code(), Some(2), "{}", err(&o));
    }
    // In an encrypted file: 25, "Error decrypting tree".
    let f = write(d.path(), "ok.yaml", b"a: b\n");
    let enc = out(&ok(sops()
        .args(["encrypt", "--age", &recipient(1)])
        .arg(&f)));
    let bad = write(
        d.path(),
        "bad.enc.yaml",
        enc.replacen("a: ", "1: ", 1).as_bytes(),
    );
    for c in [sops(), rsops()] {
        let o = decrypt(c, &bad);
        assert_eq!(o.status.code(), Some(25), "{}", err(&o));
        assert!(
            err(&o).starts_with("Error decrypting tree: Error walking tree: Tree contains a non-string key (type int)"),
            "{}",
            err(&o)
        );
    }
}

const COMMENTED: &str = "key1: value1 # inline comment\nkey2: value2\n# head comment\nkey3: value3 # another inline\nlist:\n    - foo # on an item\n    - bar\n";

/// sops 3.13 keeps end-of-line comments at the end of the line: encrypted
/// comments of mappings stay there, comments in lists become ENC elements
/// as before, and decryption puts encrypted comments back on their own
/// line (so the installed sops decrypts rsops' files to the same text).
#[test]
fn yaml_end_of_line_comments_as_sops_3_13() {
    let d = tmpdir();
    let plain = write(d.path(), "c.yaml", COMMENTED.as_bytes());
    let text = out(&ok(rsops()
        .args(["encrypt", "--age", &recipient(1)])
        .arg(&plain)));
    let shape = regex::Regex::new(r"ENC\[AES256_GCM,data:[^,]*,iv:[^,]*,tag:[^,]*,type:([a-z]+)\]")
        .unwrap()
        .replace_all(&text, "ENC[$1]")
        .into_owned();
    assert!(
        shape.starts_with("key1: ENC[str] #ENC[comment]\nkey2: ENC[str]\n#ENC[comment]\nkey3: ENC[str] #ENC[comment]\nlist:\n    - ENC[comment]\n    - ENC[str]\n    - ENC[str]\nsops:\n"),
        "{shape}"
    );
    let enc = write(d.path(), "c.enc.yaml", text.as_bytes());
    let moved = "# inline comment\nkey1: value1\nkey2: value2\n# head comment\n# another inline\nkey3: value3\nlist:\n    # on an item\n    - foo\n    - bar\n";
    assert_eq!(out(&decrypt(rsops(), &enc)), moved);
    assert_eq!(out(&decrypt(sops(), &enc)), moved);
    // Comments left in clear keep their place through encryption and
    // decryption.
    let text = out(&ok(rsops()
        .args([
            "encrypt",
            "--encrypted-regex",
            "^key2$",
            "--age",
            &recipient(1),
        ])
        .arg(&plain)));
    assert!(
        text.starts_with("key1: value1 # inline comment\nkey2: ENC["),
        "{text}"
    );
    let enc = write(d.path(), "r.enc.yaml", text.as_bytes());
    assert_eq!(out(&decrypt(rsops(), &enc)), COMMENTED);
}

/// A file of the installed sops (3.11) keeps 3.11's comment placement
/// when rsops writes it again, even with an end-of-line comment added by
/// hand; labelled 3.13.0 the comment stays at the end of its line.
#[test]
fn yaml_files_of_older_sops_keep_their_comment_placement() {
    let d = tmpdir();
    let plain = write(d.path(), "c.yaml", b"a: one\nb: two\n");
    let text = out(&ok(sops()
        .args([
            "encrypt",
            "--encrypted-regex",
            "^a$",
            "--age",
            &recipient(1),
        ])
        .arg(&plain)));
    let edited = text.replacen("b: two\n", "b: two # by hand\n", 1);
    let old = write(d.path(), "old.yaml", edited.as_bytes());
    let new = write(
        d.path(),
        "new.yaml",
        edited
            .replace("version: 3.11.0", "version: 3.13.0")
            .as_bytes(),
    );
    assert_eq!(out(&decrypt(rsops(), &old)), out(&decrypt(sops(), &old)));
    assert_eq!(out(&decrypt(rsops(), &old)), "a: one\n# by hand\nb: two\n");
    assert_eq!(out(&decrypt(rsops(), &new)), "a: one\nb: two # by hand\n");
}

/// sops 3.13.0 and 3.13.1 wrote multi-line metadata values of INI files
/// triple-quoted over several lines; 3.13.2 reads both forms, and so does
/// rsops. Made from the installed sops' file.
#[test]
fn ini_metadata_of_sops_3_13_0_and_3_13_1() {
    let d = tmpdir();
    let plain = write(d.path(), "p.ini", b"[foo]\nbar = baz\n");
    let text = out(&ok(sops()
        .args(["encrypt", "--age", &recipient(1)])
        .arg(&plain)));
    let triple: String = text
        .lines()
        .map(|l| match l.split_once(" = ") {
            Some((k, v)) if v.contains("\\n") => {
                format!("{k} = \"\"\"{}\"\"\"\n", v.replace("\\n", "\n"))
            }
            _ if l.starts_with("version ") => l.replace("3.11.0", "3.13.1") + "\n",
            _ => format!("{l}\n"),
        })
        .collect();
    assert!(
        triple.contains("= \"\"\"-----BEGIN AGE ENCRYPTED FILE-----\n"),
        "{triple}"
    );
    let f = write(d.path(), "t.ini", triple.as_bytes());
    let o = decrypt(rsops(), &f);
    assert_eq!(out(&o), "[foo]\nbar = baz\n", "{}", err(&o));
    // Rewritten in 3.13.2's form (escaped newlines), which sops reads.
    let rotated = write(
        d.path(),
        "r.ini",
        &ok(rsops()
            .arg("rotate")
            .arg(&f)
            .env("SOPS_AGE_KEY_FILE", key_file(1)))
        .stdout,
    );
    let r = std::fs::read_to_string(&rotated).unwrap();
    assert!(
        !r.contains("\"\"\"") && r.contains("-----BEGIN AGE ENCRYPTED FILE-----\\n"),
        "{r}"
    );
    assert_eq!(out(&decrypt(sops(), &rotated)), "[foo]\nbar = baz\n");
}

/// sops' functional test `test_ini_values_as_strings`: values of other
/// types written to INI as text.
#[test]
fn ini_output_writes_values_as_text() {
    let d = tmpdir();
    let plain = write(
        d.path(),
        "v.yaml",
        b"the_section:\n  int: 123\n  float: 1.23\n  bool: true\n  date: 2025-01-02\n  timestamp: 2025-01-02T03:04:05Z\n  utc_timestamp: 2025-01-02T03:04:05+00:00\n  string: this is a string\n",
    );
    let enc = write(
        d.path(),
        "v.enc.yaml",
        &ok(rsops()
            .args(["encrypt", "--age", &recipient(1)])
            .arg(&plain))
        .stdout,
    );
    let mut c = rsops();
    c.args(["decrypt", "--output-type", "ini"])
        .arg(&enc)
        .env("SOPS_AGE_KEY_FILE", key_file(1));
    assert_eq!(
        out(&ok(&mut c)),
        "[the_section]\nint           = 123\nfloat         = 1.23\nbool          = true\ndate          = 2025-01-02T00:00:00Z\ntimestamp     = 2025-01-02T03:04:05Z\nutc_timestamp = 2025-01-02T03:04:05Z\nstring        = this is a string\n"
    );
}

/// sops' functional tests `set_*_with_value_file` / `_with_value_stdin`.
#[test]
fn set_takes_the_value_from_a_file_or_stdin() {
    let d = tmpdir();
    let plain = write(d.path(), "s.json", br#"{"a": 1}"#);
    let f = write(
        d.path(),
        "s.enc.json",
        &ok(rsops()
            .args(["encrypt", "--age", &recipient(1)])
            .arg(&plain))
        .stdout,
    );
    let value = write(d.path(), "value.json", br#"{"cc": "ccc"}"#);
    ok(rsops()
        .args(["set", "--value-file"])
        .arg(&f)
        .arg(r#"["c"]"#)
        .arg(&value)
        .env("SOPS_AGE_KEY_FILE", key_file(1)));
    let o = run_stdin(
        rsops()
            .args(["set", "--value-stdin"])
            .arg(&f)
            .arg(r#"["d"]"#)
            .env("SOPS_AGE_KEY_FILE", key_file(1)),
        br#"{"dd": 4}"#,
    );
    assert!(o.status.success(), "{}", err(&o));
    let text = std::fs::read_to_string(&f).unwrap();
    assert_eq!(json_type(&text, "cc"), "str");
    assert_eq!(json_type(&text, "dd"), "int");
    assert_eq!(
        out(&decrypt(rsops(), &f)),
        "{\n\t\"a\": 1,\n\t\"c\": {\n\t\t\"cc\": \"ccc\"\n\t},\n\t\"d\": {\n\t\t\"dd\": 4\n\t}\n}\n"
    );
}
