//! Behaviour that sops 3.11–3.13 define and sops' own functional tests
//! check: what rsops must do the same way (issue: "The sops people run
//! today"). Each test names the sops behaviour it pins.

mod common;
use common::*;

use std::path::Path;

fn stderr(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn encrypt_yaml(dir: &Path, name: &str, yaml: &str) -> std::path::PathBuf {
    let p = write(dir, name, yaml.as_bytes());
    ok(rsops()
        .args(["encrypt", "-i", "--age", &recipient(1)])
        .arg(&p));
    p
}

fn field<'a>(text: &'a str, key: &str) -> Option<&'a str> {
    text.lines()
        .find_map(|l| l.trim_start().strip_prefix(&format!("{key}: ")))
}

/// sops' `set` writes the file even when the value is already the one
/// given (new `lastmodified` and MAC); `--idempotent` asks for no write.
#[test]
fn set_writes_an_unchanged_value_unless_idempotent() {
    let d = tmpdir();
    let p = encrypt_yaml(d.path(), "s.yaml", "a: x\nb: y\n");
    let set = |extra: &[&str]| {
        ok(rsops()
            .arg("set")
            .args(extra)
            .arg(&p)
            .args(["[\"a\"]", "\"x\""])
            .env("SOPS_AGE_KEY_FILE", key_file(1)))
    };
    let before = std::fs::read_to_string(&p).unwrap();
    std::thread::sleep(std::time::Duration::from_millis(1100));
    set(&["--idempotent"]);
    assert_eq!(
        std::fs::read_to_string(&p).unwrap(),
        before,
        "--idempotent: no write"
    );
    set(&[]);
    let after = std::fs::read_to_string(&p).unwrap();
    assert_ne!(
        field(&after, "lastmodified"),
        field(&before, "lastmodified")
    );
    assert_ne!(field(&after, "mac"), field(&before, "mac"));
    // Values keep their ciphertext.
    assert_eq!(field(&after, "a"), field(&before, "a"));
    assert_eq!(field(&after, "b"), field(&before, "b"));
}

/// A creation rule that matches but names no key: sops' exact message
/// (its functional tests compare it), exit 1, nothing written.
#[test]
fn a_matching_rule_without_keys_is_an_empty_key_group() {
    let d = tmpdir();
    write(
        d.path(),
        ".sops.yaml",
        format!(
            "creation_rules:\n  - path_regex: none\\.yaml\n  - path_regex: zero\\.yaml\n    key_groups: []\n  - path_regex: empty\\.yaml\n    key_groups:\n      - {{}}\n  - path_regex: second\\.yaml\n    key_groups:\n      - age: [{}]\n      - {{}}\n",
            recipient(1)
        )
        .as_bytes(),
    );
    for name in ["none.yaml", "zero.yaml", "empty.yaml", "second.yaml"] {
        let p = write(d.path(), name, b"a: secret\n");
        let o = run(rsops()
            .args(["encrypt", "-i"])
            .arg(name)
            .current_dir(d.path()));
        assert_eq!(o.status.code(), Some(1), "{name}");
        assert_eq!(
            stderr(&o),
            "Could not generate data key: [empty key group provided]\n",
            "{name}"
        );
        assert_eq!(std::fs::read(&p).unwrap(), b"a: secret\n");
    }
}

/// sops reads the file of `set`, `unset`, `rotate`, `exec-env` and
/// `exec-file` with a plain read: a missing file is exit 2; `decrypt` and
/// `encrypt` say "cannot operate on non-existent file" with 100.
#[test]
fn a_missing_file_gives_sops_exit_codes() {
    let d = tmpdir();
    let missing = d.path().join("missing.yaml");
    let m = missing.to_str().unwrap();
    for (args, want) in [
        (vec!["set", m, "[\"a\"]", "1"], 2),
        (vec!["unset", m, "[\"a\"]"], 2),
        (vec!["rotate", m], 2),
        (vec!["exec-env", m, "true"], 2),
        (vec!["exec-file", m, "true"], 2),
        (vec!["decrypt", m], 100),
        (vec!["encrypt", m], 100),
    ] {
        let o = run(rsops().args(&args));
        assert_eq!(o.status.code(), Some(want), "{args:?}: {}", stderr(&o));
        assert!(stderr(&o).contains("missing.yaml"), "{args:?}");
    }
}

/// `edit` raises `version` to rsops' sops version only when that is
/// newer: a file from a newer sops keeps its version; a version that is
/// not semver stops the edit with 202.
#[test]
fn edit_never_lowers_the_version() {
    let d = tmpdir();
    let tmp = tmpdir();
    let p = encrypt_yaml(d.path(), "s.yaml", "a: x\n");
    let ed = d.path().join("ed.sh");
    std::fs::write(&ed, "#!/bin/sh\nsed -i \"s/^a: .*/a: v$$/\" \"$1\"\n").unwrap();
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&ed, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let set_version = |v: &str| {
        let text = std::fs::read_to_string(&p).unwrap();
        let out: String = text
            .lines()
            .map(|l| {
                if l.trim_start().starts_with("version: ") {
                    format!("    version: {v}\n")
                } else {
                    format!("{l}\n")
                }
            })
            .collect();
        std::fs::write(&p, out).unwrap();
    };
    let edit = || {
        run(rsops()
            .arg("edit")
            .arg(&p)
            .env("EDITOR", &ed)
            .env("TMPDIR", tmp.path())
            .env("SOPS_AGE_KEY_FILE", key_file(1)))
    };
    set_version("3.99.1");
    let o = edit();
    assert!(o.status.success(), "{}", stderr(&o));
    let text = std::fs::read_to_string(&p).unwrap();
    assert_eq!(field(&text, "version"), Some("3.99.1"));
    assert_eq!(field(&text, "a").map(|v| v.starts_with("ENC[")), Some(true));
    set_version("banana");
    let before = std::fs::read(&p).unwrap();
    let o = edit();
    assert_eq!(o.status.code(), Some(202), "{}", stderr(&o));
    assert!(stderr(&o).contains("Failed to compare document version"));
    assert_eq!(std::fs::read(&p).unwrap(), before);
}
