//! End-to-end tests of the TOML store through the binary: encrypt, decrypt,
//! set, edit, conversions, and the `.toml` files sops writes (as binary).

mod common;
use common::*;
use std::path::Path;

const TOML: &str = "\
# Application settings
title = \"demo\"
port = 8080
ratio = 0.75
debug = false
started = 2024-05-01T10:00:00+02:00
hosts = [\"a\", \"b\"]
public_unencrypted = \"visible\"
note = \"\"\"
two
lines\"\"\"

[database]
# credentials
user = \"admin\"
password = \"hunter2\"

[[servers]]
name = \"alpha\"
ip = \"10.0.0.1\"

[[servers]]
name = \"beta\"
ip = \"10.0.0.2\"
";

fn encrypt_file(dir: &Path, name: &str, content: &str) -> std::path::PathBuf {
    let p = write(dir, name, content.as_bytes());
    ok(rsops()
        .args(["encrypt", "-i", "--age", &recipient(1)])
        .arg(&p));
    p
}

fn dec(args: &[&str], p: &Path) -> std::process::Output {
    run(rsops()
        .arg("decrypt")
        .args(args)
        .arg(p)
        .env("SOPS_AGE_KEY_FILE", key_file(1)))
}

#[test]
fn toml_round_trip_layout_and_types() {
    let d = tmpdir();
    let p = encrypt_file(d.path(), "app.toml", TOML);
    let enc = std::fs::read_to_string(&p).unwrap();
    assert!(!enc.contains("hunter2") && !enc.contains("admin") && !enc.contains("8080"));
    assert!(enc.contains("public_unencrypted = \"visible\"\n"), "{enc}");
    let tag = |key: &str, t: &str| {
        let line = enc
            .lines()
            .find(|l| l.starts_with(&format!("{key} = ")))
            .unwrap_or_else(|| panic!("no {key} in {enc}"));
        assert!(
            line.contains("\"ENC[AES256_GCM,data:") && line.ends_with(&format!(",type:{t}]\"")),
            "{line}"
        );
    };
    tag("title", "str");
    tag("port", "int");
    tag("ratio", "float");
    tag("debug", "bool");
    tag("started", "time");
    assert!(enc.contains("\n[database]\n#ENC[AES256_GCM,"), "{enc}");
    assert!(enc.contains("\n[[servers]]\nname = \"ENC["), "{enc}");
    // The metadata: a [sops] table, scalars first, then [[sops.age]].
    let meta = &enc[enc.find("\n[sops]\n").expect("a [sops] table")..];
    assert!(meta.contains("\nlastmodified = \"20"), "{meta}");
    assert!(meta.contains("\nmac = \"ENC[AES256_GCM,"), "{meta}");
    assert!(
        meta.contains("\nunencrypted_suffix = \"_unencrypted\"\n"),
        "{meta}"
    );
    assert!(meta.contains("\nversion = \"3.13.2\"\n"), "{meta}");
    // sops 3.13's sorted layout: enc before recipient.
    assert!(
        meta.contains("\n[[sops.age]]\nenc = \"\"\"\n-----BEGIN AGE ENCRYPTED FILE-----\n")
            && meta.contains(&format!(
                "\n-----END AGE ENCRYPTED FILE-----\n\"\"\"\nrecipient = \"{}\"\n",
                recipient(1)
            )),
        "{meta}"
    );
    let o = dec(&[], &p);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(String::from_utf8_lossy(&o.stdout), TOML);
    // Types survive a conversion to JSON (ints, floats, bools, times).
    let o = dec(&["--output-type", "json", "--extract", "[\"port\"]"], &p);
    assert_eq!(String::from_utf8_lossy(&o.stdout), "8080");
    let o = dec(&["--extract", "[\"debug\"]"], &p);
    assert_eq!(String::from_utf8_lossy(&o.stdout), "false");
    let o = dec(&["--extract", "[\"started\"]"], &p);
    assert_eq!(
        String::from_utf8_lossy(&o.stdout),
        "2024-05-01T10:00:00+02:00"
    );
    let o = dec(&["--extract", "[\"database\"][\"password\"]"], &p);
    assert_eq!(String::from_utf8_lossy(&o.stdout), "hunter2");
}

#[test]
fn toml_set_and_edit_keep_other_ciphertexts() {
    let d = tmpdir();
    let p = encrypt_file(d.path(), "s.toml", TOML);
    let before = std::fs::read_to_string(&p).unwrap();
    ok(rsops()
        .args(["set"])
        .arg(&p)
        .args(["[\"database\"][\"password\"]", "\"s3cret\""])
        .env("SOPS_AGE_KEY_FILE", key_file(1)));
    let after = std::fs::read_to_string(&p).unwrap();
    let changed: Vec<&str> = before
        .lines()
        .zip(after.lines())
        .filter(|(a, b)| a != b)
        .map(|(a, _)| a.split(" = ").next().unwrap_or(""))
        .filter(|k| *k != "lastmodified")
        .collect();
    assert_eq!(changed, ["password", "mac"], "{after}");
    let o = dec(&["--extract", "[\"database\"][\"password\"]"], &p);
    assert_eq!(String::from_utf8_lossy(&o.stdout), "s3cret");

    // edit: a scripted editor changes one value and adds a table.
    let script = write(
        d.path(),
        "ed.sh",
        b"#!/bin/sh\nsed -i 's/^ratio = 0.75$/ratio = 0.5/' \"$1\"\nprintf '\\n[extra]\\nk = 1\\n' >> \"$1\"\n",
    );
    std::fs::set_permissions(&script, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    let o = run(rsops()
        .arg("edit")
        .arg(&p)
        .env("EDITOR", &script)
        .env("SOPS_AGE_KEY_FILE", key_file(1)));
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let o = dec(&[], &p);
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(text.contains("\nratio = 0.5\n"), "{text}");
    assert!(text.ends_with("\n[extra]\nk = 1\n"), "{text}");
    assert!(text.contains("password = \"s3cret\""), "{text}");
}

#[test]
fn toml_conversions_stdin_and_errors() {
    let d = tmpdir();
    // YAML in, TOML out (encrypted), and back.
    let y = write(
        d.path(),
        "c.yaml",
        b"a: 1\nb:\n    c: x\n    d: [1, 2]\nlist:\n    - k: v\n    - k: w\n",
    );
    let out = d.path().join("c.toml");
    ok(rsops()
        .args([
            "encrypt",
            "--age",
            &recipient(1),
            "--output-type",
            "toml",
            "--output",
        ])
        .arg(&out)
        .arg(&y));
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(text.contains("\n[[list]]\nk = \"ENC["), "{text}");
    let o = dec(&["--output-type", "yaml"], &out);
    assert_eq!(
        String::from_utf8_lossy(&o.stdout),
        "a: 1\nb:\n    c: x\n    d:\n        - 1\n        - 2\nlist:\n    - k: v\n    - k: w\n"
    );
    // stdin with --input-type toml.
    let o = run_stdin(
        rsops().args(["encrypt", "--input-type", "toml", "--age", &recipient(1)]),
        b"k = \"v\"\n",
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let back = run_stdin(
        rsops()
            .args(["decrypt", "--input-type", "toml", "-"])
            .env("SOPS_AGE_KEY_FILE", key_file(1)),
        &o.stdout,
    );
    assert_eq!(String::from_utf8_lossy(&back.stdout), "k = \"v\"\n");
    // Local dates have no sops type: refused, naming the key, not the value.
    let p = write(d.path(), "bad.toml", b"[t]\nwhen = 1979-05-27\n");
    let o = run(rsops().args(["encrypt", "--age", &recipient(1)]).arg(&p));
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("[\"t\"][\"when\"]") && err.contains("local date"),
        "{err}"
    );
    assert!(!err.contains("1979"), "{err}");
    // Syntax errors give a position and never quote the text.
    let p = write(d.path(), "bad2.toml", b"ok = 1\npassword = \"hunter2\n");
    let o = run(rsops().args(["encrypt", "--age", &recipient(1)]).arg(&p));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(!o.status.success());
    assert!(err.contains("line 2") && !err.contains("hunter2"), "{err}");
    // TOML has no null.
    let p = write(d.path(), "n.yaml", b"a: null\n");
    let o = run(rsops()
        .args(["encrypt", "--age", &recipient(1), "--output-type", "toml"])
        .arg(&p));
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("no null"));
}

/// sops has no TOML store: it encrypts `x.toml` as a binary file (a JSON
/// document). `rsops diff` reads those too.
#[test]
fn toml_files_sops_encrypted_as_binary() {
    let d = tmpdir();
    let plain = write(d.path(), "app.toml", TOML.as_bytes());
    let o = ok(sops().args(["encrypt", "--age", &recipient(1)]).arg(&plain));
    let sops_file = write(d.path(), "sops.toml", &o.stdout);
    let o = run(rsops()
        .arg("diff")
        .arg(&sops_file)
        .arg(&plain)
        .env("SOPS_AGE_KEY_FILE", key_file(1)));
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    // decrypt recognises sops' binary form and prints the file as it was.
    let o = ok(rsops()
        .arg("decrypt")
        .arg(&sops_file)
        .env("SOPS_AGE_KEY_FILE", key_file(1)));
    assert_eq!(String::from_utf8_lossy(&o.stdout), TOML);
    // rotate keeps it in sops' binary form, so sops still reads it.
    ok(rsops()
        .args(["rotate", "-i"])
        .arg(&sops_file)
        .env("SOPS_AGE_KEY_FILE", key_file(1)));
    assert!(std::fs::read_to_string(&sops_file)
        .unwrap()
        .starts_with("{"));
    let o = ok(sops()
        .arg("decrypt")
        .arg(&sops_file)
        .env("SOPS_AGE_KEY_FILE", key_file(1)));
    assert_eq!(String::from_utf8_lossy(&o.stdout), TOML);
    let o = ok(rsops()
        .args(["decrypt", "--input-type", "binary"])
        .arg(&sops_file)
        .env("SOPS_AGE_KEY_FILE", key_file(1)));
    assert_eq!(String::from_utf8_lossy(&o.stdout), TOML);
}
