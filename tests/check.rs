//! `rsops check`: which files must be encrypted (creation rules), the two
//! levels of checking (MAC with a key, structure without), explicit paths,
//! the pre-commit hook manifest, and speed on thousands of files.

mod common;
use common::*;
use std::path::Path;

const SECRET: &str = "db:\n    user: admin\n    password: hunter2\nport: 5432\n";

fn setup() -> tempfile::TempDir {
    let d = tmpdir();
    let dir = d.path();
    let r = recipient(1);
    // The first rule would also match .sops.yaml itself, which is skipped.
    write(
        dir,
        ".sops.yaml",
        format!(
            "creation_rules:\n  - path_regex: (^|/)secrets/.*\\.yaml$|^\\.sops\\.yaml$\n    age: {r}\n  - path_regex: \\.enc\\.json$\n    age: {r}\n    encrypted_regex: ^(password|token)$\n"
        )
        .as_bytes(),
    );
    std::fs::create_dir_all(dir.join("secrets")).unwrap();
    let enc = |name: &str, extra: &[&str]| {
        let p = write(dir, name, SECRET.as_bytes());
        ok(rsops()
            .current_dir(dir)
            .args(["encrypt", "-i"])
            .args(extra)
            .arg(name));
        p
    };
    enc("secrets/ok.yaml", &[]);
    write(dir, "secrets/plain.yaml", SECRET.as_bytes());
    // A value put back in plaintext.
    let p = enc("secrets/leaked.yaml", &[]);
    let text = std::fs::read_to_string(&p).unwrap();
    let text: String = text
        .lines()
        .map(|l| {
            if l.starts_with("    password: ENC[") {
                "    password: hunter2".to_string()
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    std::fs::write(&p, text + "\n").unwrap();
    // An entry removed: only the MAC shows it.
    let p = enc("secrets/tampered.yaml", &[]);
    let text = std::fs::read_to_string(&p).unwrap();
    let text: String = text
        .lines()
        .filter(|l| !l.starts_with("port: "))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(&p, text).unwrap();
    // Encrypted with looser flags than its creation rule asks for.
    enc("secrets/loose.yaml", &["--encrypted-regex", "^password$"]);
    // The JSON rule only encrypts passwords.
    let j = write(
        dir,
        "app.enc.json",
        b"{\"password\": \"x\", \"user\": \"visible\"}",
    );
    ok(rsops().current_dir(dir).args(["encrypt", "-i"]).arg(&j));
    // Not selected: no rule matches, gitignored (the directory is a git
    // repository: it has a .git), or in .git.
    write(dir, "README.md", b"# hello\n");
    write(dir, "config.yaml", b"a: 1\n");
    write(dir, ".gitignore", b"/target/\n");
    std::fs::create_dir_all(dir.join("target/secrets")).unwrap();
    write(dir, "target/secrets/built.yaml", b"a: 1\n");
    std::fs::create_dir_all(dir.join(".git/secrets")).unwrap();
    write(dir, ".git/secrets/x.yaml", b"a: 1\n");
    d
}

fn check(dir: &Path, key: bool, args: &[&str]) -> (i32, String) {
    let mut c = rsops();
    c.current_dir(dir).arg("check").args(args);
    if key {
        c.env("SOPS_AGE_KEY_FILE", key_file(1));
    }
    let o = run(&mut c);
    assert!(
        o.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stdout).into_owned(),
    )
}

#[test]
fn check_with_a_key_verifies_macs() {
    let d = setup();
    let (code, out) = check(d.path(), true, &[]);
    assert_eq!(code, 1, "{out}");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 5, "{out}");
    assert!(lines[0].starts_with("FAILED secrets/leaked.yaml: [\"db\"][\"password\"] is not encrypted, but the file's rule"), "{out}");
    assert!(lines[1].starts_with("FAILED secrets/loose.yaml: [\"db\"][\"user\"] is not encrypted, but the creation rule in"), "{out}");
    assert!(
        lines[2].starts_with(
            "FAILED secrets/plain.yaml: not encrypted: there is no top-level 'sops' metadata"
        ),
        "{out}"
    );
    assert!(
        lines[3].starts_with("FAILED secrets/tampered.yaml: MAC mismatch"),
        "{out}"
    );
    assert_eq!(
        lines[4],
        "rsops check: 6 files checked: 2 ok (2 with the MAC verified, 0 structure only), 4 failed"
    );
    assert!(!out.contains("hunter2") && !out.contains("admin"), "{out}");
    let (code, out) = check(
        d.path(),
        true,
        &["--verbose", "secrets/ok.yaml", "app.enc.json"],
    );
    assert_eq!(code, 0, "{out}");
    assert!(
        out.starts_with(
            "ok     secrets/ok.yaml (MAC verified)\nok     app.enc.json (MAC verified)\n"
        ),
        "{out}"
    );
}

#[test]
fn check_without_a_key_checks_structure() {
    let d = setup();
    let (code, out) = check(d.path(), false, &["--verbose"]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("ok     secrets/tampered.yaml (structure only: no key)\n"),
        "{out}"
    );
    assert!(
        out.contains("ok     app.enc.json (structure only: no key)\n"),
        "{out}"
    );
    assert!(
        out.contains("FAILED secrets/leaked.yaml: [\"db\"][\"password\"] is not encrypted"),
        "{out}"
    );
    assert!(out.contains("FAILED secrets/loose.yaml:"), "{out}");
    assert!(out.contains("FAILED secrets/plain.yaml:"), "{out}");
    assert!(
        out.contains("rsops check: 6 files checked: 3 ok (0 with the MAC verified, 3 structure only), 3 failed\n  structure only: no age identity was found"),
        "{out}"
    );
    // A key that is not a recipient: structure only, and said so.
    let mut c = rsops();
    c.current_dir(d.path())
        .args(["check", "secrets/ok.yaml"])
        .env("SOPS_AGE_KEY_FILE", key_file(2));
    let out = String::from_utf8_lossy(&ok(&mut c).stdout).into_owned();
    assert!(
        out.contains("1 ok (0 with the MAC verified, 1 structure only)"),
        "{out}"
    );
    assert!(
        out.contains("none of the age identities found can decrypt"),
        "{out}"
    );
}

#[test]
fn check_explicit_paths_and_only_matching() {
    let d = setup();
    let (code, out) = check(
        d.path(),
        true,
        &["secrets/ok.yaml", "README.md", "config.yaml"],
    );
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("FAILED README.md: not encrypted"), "{out}");
    assert!(out.contains("FAILED config.yaml: not encrypted"), "{out}");
    let (code, out) = check(
        d.path(),
        true,
        &[
            "--only-matching",
            "secrets/ok.yaml",
            "README.md",
            "config.yaml",
        ],
    );
    assert_eq!(code, 0, "{out}");
    assert!(
        out.starts_with("rsops check: 1 file checked: 1 ok"),
        "{out}"
    );
    // A directory: the files in it that a rule selects.
    let (code, out) = check(d.path(), true, &["secrets"]);
    assert_eq!(code, 1);
    assert!(out.contains("5 files checked"), "{out}");
    // No .sops.yaml and no paths: an error saying what to do.
    let e = tmpdir();
    let o = run(rsops().current_dir(e.path()).arg("check"));
    assert_eq!(o.status.code(), Some(61));
    assert!(String::from_utf8_lossy(&o.stderr).contains("give the files to check"));
}

#[test]
fn check_is_fast_on_thousands_of_files() {
    let d = tmpdir();
    let dir = d.path();
    write(
        dir,
        ".sops.yaml",
        format!(
            "creation_rules:\n  - path_regex: \\.enc\\.yaml$\n    age: {}\n",
            recipient(1)
        )
        .as_bytes(),
    );
    let one = write(dir, "one.enc.yaml", SECRET.as_bytes());
    ok(rsops()
        .current_dir(dir)
        .args(["encrypt", "-i", "one.enc.yaml"]));
    let n = 2000;
    for i in 0..n {
        let sub = dir.join(format!("d{}", i % 30));
        std::fs::create_dir_all(&sub).unwrap();
        std::fs::copy(&one, sub.join(format!("f{i}.enc.yaml"))).unwrap();
        std::fs::write(sub.join(format!("f{i}.txt")), "not selected").unwrap();
    }
    for key in [true, false] {
        let t = std::time::Instant::now();
        let (code, out) = check(dir, key, &[]);
        let took = t.elapsed();
        assert_eq!(code, 0, "{out}");
        assert!(
            out.starts_with(&format!("rsops check: {} files checked", n + 1)),
            "{out}"
        );
        eprintln!("rsops check, {} files, key {key}: {took:?}", n + 1);
        // Generous for a debug build on a small shared machine.
        assert!(took.as_secs() < 60, "{took:?}");
    }
}

#[test]
fn pre_commit_hook_manifest() {
    // A top-level YAML list, which the sops YAML store (maps only) does not
    // read: checked as text.
    let text = std::fs::read_to_string(root().join(".pre-commit-hooks.yaml")).unwrap();
    for (id, lang) in [("rsops-check", "rust"), ("rsops-check-system", "system")] {
        let at = text
            .find(&format!("\n- id: {id}\n"))
            .unwrap_or_else(|| panic!("no hook {id}"));
        let hook = &text[at + 1..];
        let hook = &hook[..hook.find("\n- ").map_or(hook.len(), |e| e + 1)];
        assert!(
            hook.contains("\n  entry: rsops check --only-matching\n"),
            "{hook}"
        );
        assert!(hook.contains(&format!("\n  language: {lang}\n")), "{hook}");
        assert!(hook.contains("\n  name: "), "{hook}");
    }
}

/// Kubernetes manifests under `encrypted_regex: ^(data|stringData)$`: a
/// Secret encrypted with the rule passes; one encrypted whole (kind and
/// metadata unreadable for kustomize, kubectl and Flux) fails, and so does
/// one that left stringData in clear.
#[test]
fn check_kubernetes_manifests_encrypt_exactly_data_and_string_data() {
    let d = tmpdir();
    let dir = d.path();
    let r = recipient(1);
    write(
        dir,
        ".sops.yaml",
        format!("creation_rules:\n  - path_regex: \\.yaml$\n    encrypted_regex: ^(data|stringData)$\n    age: {r}\n").as_bytes(),
    );
    let manifest = b"apiVersion: v1\nkind: Secret\nmetadata:\n    name: db\n    labels:\n        app: db\ntype: Opaque\ndata:\n    password: aHVudGVyMg==\nstringData:\n    user: admin\n";
    write(dir, "good.yaml", manifest);
    ok(rsops()
        .current_dir(dir)
        .args(["encrypt", "-i", "good.yaml"]));
    // Encrypted elsewhere, without the rule: every value is ENC[…].
    let other = tmpdir();
    write(other.path(), "whole.yaml", manifest);
    ok(rsops()
        .current_dir(other.path())
        .args(["encrypt", "-i", "--age", &r, "whole.yaml"]));
    std::fs::copy(other.path().join("whole.yaml"), dir.join("whole.yaml")).unwrap();
    // Too narrow: stringData stays in clear.
    write(other.path(), "narrow.yaml", manifest);
    ok(rsops().current_dir(other.path()).args([
        "encrypt",
        "-i",
        "--age",
        &r,
        "--encrypted-regex",
        "^data$",
        "narrow.yaml",
    ]));
    std::fs::copy(other.path().join("narrow.yaml"), dir.join("narrow.yaml")).unwrap();
    for key in [true, false] {
        let (code, out) = check(dir, key, &["good.yaml"]);
        assert_eq!(code, 0, "{out}");
        let (code, out) = check(dir, key, &["whole.yaml"]);
        assert_eq!(code, 1, "{out}");
        assert!(
            out.contains("[\"apiVersion\"] is encrypted, but the creation rule")
                && out.contains("stays in clear"),
            "{out}"
        );
        let (code, out) = check(dir, key, &["narrow.yaml"]);
        assert_eq!(code, 1, "{out}");
        assert!(
            out.contains("[\"stringData\"][\"user\"] is not encrypted"),
            "{out}"
        );
    }
}
