//! End-to-end tests of the rsops binary as a user runs it: files,
//! stdin/stdout, $EDITOR, exit codes. Offline (age only).

mod common;
use common::*;
use std::path::Path;

const YAML: &str = "# settings\ndb:\n    user: admin\n    password: hunter2\n    port: 5432\nlist:\n    - a\n    - b\npublic_unencrypted: yes-visible\n";

fn encrypt_file(dir: &Path, name: &str, content: &str) -> std::path::PathBuf {
    let p = write(dir, name, content.as_bytes());
    let o = ok(rsops()
        .args(["encrypt", "-i", "--age", &recipient(1)])
        .arg(&p));
    assert!(o.stdout.is_empty());
    p
}

fn dec(p: &Path) -> std::process::Output {
    run(rsops()
        .arg("decrypt")
        .arg(p)
        .env("SOPS_AGE_KEY_FILE", key_file(1)))
}

#[test]
fn yaml_round_trip_in_place_and_legacy_forms() {
    let d = tmpdir();
    let p = encrypt_file(d.path(), "s.yaml", YAML);
    let enc = std::fs::read_to_string(&p).unwrap();
    assert!(enc.contains("password: ENC[AES256_GCM,data:"));
    assert!(enc.contains("public_unencrypted: yes-visible"));
    assert!(enc.contains("\nsops:\n"));
    let o = dec(&p);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(String::from_utf8_lossy(&o.stdout), YAML);
    // Legacy -d.
    let o2 = ok(rsops()
        .arg("-d")
        .arg(&p)
        .env("SOPS_AGE_KEY_FILE", key_file(1)));
    assert_eq!(o2.stdout, o.stdout);
    // Legacy -e with SOPS_AGE_RECIPIENTS, --output.
    let plain = write(d.path(), "p.yaml", YAML.as_bytes());
    let out = d.path().join("o.yaml");
    ok(rsops()
        .args(["-e", "--output"])
        .arg(&out)
        .arg(&plain)
        .env("SOPS_AGE_RECIPIENTS", recipient(1)));
    assert_eq!(dec(&out).stdout, YAML.as_bytes());
}

#[test]
fn every_format_round_trips() {
    let d = tmpdir();
    for (name, content) in [
        (
            "a.json",
            "{\n\t\"a\": \"x\",\n\t\"b\": [\n\t\t1,\n\t\t2.5\n\t]\n}\n",
        ),
        ("a.env", "A=1\nB=two words\n"),
        ("a.ini", "[s]\nk = v\n"),
    ] {
        let p = encrypt_file(d.path(), name, content);
        let o = dec(&p);
        assert!(
            o.status.success(),
            "{name}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        assert_eq!(String::from_utf8_lossy(&o.stdout), content, "{name}");
    }
    // Binary: any bytes, including invalid UTF-8.
    let bytes: Vec<u8> = (0..=255u8).cycle().take(5000).collect();
    let p = write(d.path(), "blob.bin", &bytes);
    ok(rsops()
        .args(["encrypt", "-i", "--age", &recipient(1)])
        .arg(&p));
    assert!(std::fs::read_to_string(&p)
        .unwrap()
        .starts_with("{\n\t\"data\": \"ENC["));
    assert_eq!(dec(&p).stdout, bytes);
}

#[test]
fn stdin_needs_a_type_and_then_works() {
    let o = run_stdin(
        rsops().args(["encrypt", "--age", &recipient(1)]),
        YAML.as_bytes(),
    );
    assert_eq!(o.status.code(), Some(8));
    let o = run_stdin(
        rsops().args([
            "encrypt",
            "--filename-override",
            "x.yaml",
            "--age",
            &recipient(1),
        ]),
        YAML.as_bytes(),
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let back = run_stdin(
        rsops()
            .args(["decrypt", "--input-type", "yaml", "-"])
            .env("SOPS_AGE_KEY_FILE", key_file(1)),
        &o.stdout,
    );
    assert_eq!(String::from_utf8_lossy(&back.stdout), YAML);
}

#[test]
fn extract_prints_a_value_or_a_subtree() {
    let d = tmpdir();
    let p = encrypt_file(d.path(), "s.yaml", YAML);
    let run_x = |path: &str| {
        run(rsops()
            .args(["decrypt", "--extract", path])
            .arg(&p)
            .env("SOPS_AGE_KEY_FILE", key_file(1)))
    };
    assert_eq!(run_x("[\"db\"][\"password\"]").stdout, b"hunter2");
    assert_eq!(
        String::from_utf8_lossy(&run_x("[\"db\"]").stdout),
        "user: admin\npassword: hunter2\nport: 5432\n"
    );
    assert_eq!(run_x("[\"list\"][1]").stdout, b"b");
    assert_eq!(run_x("[\"nope\"]").status.code(), Some(1));
    assert_eq!(run_x("nope").status.code(), Some(91));
}

#[test]
fn exit_codes_match_sops() {
    let d = tmpdir();
    let r = recipient(1);
    assert_eq!(
        run(rsops().args(["encrypt", "--age", &r, "missing.yaml"]))
            .status
            .code(),
        Some(100)
    );
    let p = encrypt_file(d.path(), "s.yaml", YAML);
    assert_eq!(
        run(rsops().args(["encrypt", "--age", &r]).arg(&p))
            .status
            .code(),
        Some(203)
    );
    let empty = write(d.path(), "e.yaml", b"");
    assert_eq!(
        run(rsops().args(["encrypt", "--age", &r]).arg(&empty))
            .status
            .code(),
        Some(92)
    );
    let bad = write(d.path(), "b.yaml", b"a: [\n");
    assert_eq!(
        run(rsops().args(["encrypt", "--age", &r]).arg(&bad))
            .status
            .code(),
        Some(2)
    );
    let plain = write(d.path(), "p.yaml", YAML.as_bytes());
    assert_eq!(
        run(rsops().args(["encrypt"]).arg(&plain)).status.code(),
        Some(1)
    );
    assert_eq!(dec(&plain).status.code(), Some(1), "not encrypted");
    // Wrong identity.
    let o = run(rsops()
        .arg("decrypt")
        .arg(&p)
        .env("SOPS_AGE_KEY_FILE", key_file(2)));
    assert_eq!(o.status.code(), Some(128));
    assert!(String::from_utf8_lossy(&o.stderr).contains(&recipient(1)));
    // No identity at all: the message says where rsops looked.
    let o = run(rsops().arg("decrypt").arg(&p));
    assert_eq!(o.status.code(), Some(128));
    assert!(String::from_utf8_lossy(&o.stderr).contains("SOPS_AGE_KEY_FILE"));
}

#[test]
fn tampering_is_detected() {
    let d = tmpdir();
    let p = encrypt_file(d.path(), "s.yaml", YAML);
    let enc = std::fs::read_to_string(&p).unwrap();
    // A changed unencrypted value breaks the MAC (51).
    let t = write(
        d.path(),
        "t1.yaml",
        enc.replace("yes-visible", "changed").as_bytes(),
    );
    assert_eq!(dec(&t).status.code(), Some(51));
    assert!(ok(rsops()
        .args(["decrypt", "--ignore-mac"])
        .arg(&t)
        .env("SOPS_AGE_KEY_FILE", key_file(1)))
    .status
    .success());
    // Swapped ciphertexts fail authentication (25) and never print plaintext.
    let lines: Vec<&str> = enc.lines().collect();
    let ui = lines
        .iter()
        .position(|l| l.trim_start().starts_with("user:"))
        .unwrap();
    let pi = lines
        .iter()
        .position(|l| l.trim_start().starts_with("password:"))
        .unwrap();
    let mut swapped: Vec<String> = lines.iter().map(|s| s.to_string()).collect();
    let uval = lines[ui].split_once(": ").unwrap().1;
    let pval = lines[pi].split_once(": ").unwrap().1;
    swapped[ui] = format!("    user: {pval}");
    swapped[pi] = format!("    password: {uval}");
    let t = write(d.path(), "t2.yaml", (swapped.join("\n") + "\n").as_bytes());
    let o = dec(&t);
    assert_eq!(o.status.code(), Some(25));
    assert!(o.stdout.is_empty());
    assert!(!String::from_utf8_lossy(&o.stderr).contains("hunter2"));
    // A removed MAC.
    let t = write(
        d.path(),
        "t3.yaml",
        regex::Regex::new("(?m)^    mac: .*$")
            .unwrap()
            .replace(&enc, "    mac: \"\"")
            .as_bytes(),
    );
    assert_eq!(dec(&t).status.code(), Some(51));
}

#[test]
fn set_unset_and_filestatus() {
    let d = tmpdir();
    let p = encrypt_file(d.path(), "s.yaml", YAML);
    let env = ("SOPS_AGE_KEY_FILE", key_file(1));
    ok(rsops()
        .args(["set"])
        .arg(&p)
        .args(["[\"db\"][\"password\"]", "\"new\""])
        .env(env.0, &env.1));
    ok(rsops()
        .args(["set"])
        .arg(&p)
        .args(["[\"added\"]", "{\"x\": [1, true]}"])
        .env(env.0, &env.1));
    ok(rsops()
        .args(["unset"])
        .arg(&p)
        .args(["[\"list\"]"])
        .env(env.0, &env.1));
    assert_eq!(
        run(rsops()
            .args(["unset"])
            .arg(&p)
            .args(["[\"list\"]"])
            .env(env.0, &env.1))
        .status
        .code(),
        Some(1)
    );
    ok(rsops()
        .args(["unset", "--idempotent"])
        .arg(&p)
        .args(["[\"list\"]"])
        .env(env.0, &env.1));
    let out = String::from_utf8_lossy(&dec(&p).stdout).to_string();
    assert!(out.contains("password: new"), "{out}");
    assert!(
        out.contains("added:\n    x:\n        - 1\n        - true\n"),
        "{out}"
    );
    assert!(!out.contains("list:"));
    // Setting the same value again leaves the file byte-identical.
    let before = std::fs::read(&p).unwrap();
    ok(rsops()
        .args(["set", "--idempotent"])
        .arg(&p)
        .args(["[\"db\"][\"password\"]", "\"new\""])
        .env(env.0, &env.1));
    assert_eq!(std::fs::read(&p).unwrap(), before);
    assert_eq!(
        ok(rsops().args(["filestatus"]).arg(&p)).stdout,
        b"{\"encrypted\":true}\n"
    );
    let plain = write(d.path(), "plain.yaml", YAML.as_bytes());
    assert_eq!(
        ok(rsops().args(["filestatus"]).arg(&plain)).stdout,
        b"{\"encrypted\":false}\n"
    );
}

fn editor_script(dir: &Path, body: &str) -> std::path::PathBuf {
    let p = dir.join("editor.sh");
    std::fs::write(&p, format!("#!/bin/sh\n{body}\n")).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    p
}

fn leftover_temp(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .filter(|n| n.starts_with("rsops-edit-"))
        .collect()
}

#[test]
fn edit_with_a_scripted_editor_keeps_unchanged_ciphertexts() {
    let d = tmpdir();
    let tmp = tmpdir();
    let p = encrypt_file(d.path(), "s.yaml", YAML);
    let before = std::fs::read_to_string(&p).unwrap();
    let ed = editor_script(
        d.path(),
        "sed -i 's/hunter2/changed/' \"$1\"; ls -l \"$1\" >&2",
    );
    let o = run(rsops()
        .arg("edit")
        .arg(&p)
        .env("EDITOR", &ed)
        .env("TMPDIR", tmp.path())
        .env("SOPS_AGE_KEY_FILE", key_file(1)));
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(
        String::from_utf8_lossy(&o.stderr).starts_with("-rw-------"),
        "temp file is 0600"
    );
    let after = std::fs::read_to_string(&p).unwrap();
    let changed: Vec<_> = before
        .lines()
        .zip(after.lines())
        .filter(|(a, b)| a != b)
        .map(|(a, _)| a.trim().split(':').next().unwrap().to_string())
        .collect();
    // lastmodified changes too unless the edit happened within the same second.
    let changed: Vec<_> = changed
        .into_iter()
        .filter(|k| k != "lastmodified")
        .collect();
    assert_eq!(changed, ["password", "mac"]);
    assert!(String::from_utf8_lossy(&dec(&p).stdout).contains("password: changed"));
    assert!(leftover_temp(tmp.path()).is_empty());
    // An editor that changes nothing: exit 200, file untouched.
    let noop = editor_script(d.path(), "true");
    let o = run(rsops()
        .arg("edit")
        .arg(&p)
        .env("EDITOR", &noop)
        .env("TMPDIR", tmp.path())
        .env("SOPS_AGE_KEY_FILE", key_file(1)));
    assert_eq!(o.status.code(), Some(200));
    assert_eq!(std::fs::read_to_string(&p).unwrap(), after);
    // A failing editor: exit 201, file untouched, no plaintext left.
    let fail = editor_script(d.path(), "echo junk >> \"$1\"; exit 3");
    let o = run(rsops()
        .arg("edit")
        .arg(&p)
        .env("EDITOR", &fail)
        .env("TMPDIR", tmp.path())
        .env("SOPS_AGE_KEY_FILE", key_file(1)));
    assert_eq!(o.status.code(), Some(201));
    assert_eq!(std::fs::read_to_string(&p).unwrap(), after);
    assert!(leftover_temp(tmp.path()).is_empty());
    // Invalid content and no terminal: an error, nothing written.
    let broken = editor_script(d.path(), "echo 'a: [' > \"$1\"");
    let o = run(rsops()
        .arg("edit")
        .arg(&p)
        .env("EDITOR", &broken)
        .env("TMPDIR", tmp.path())
        .env("SOPS_AGE_KEY_FILE", key_file(1)));
    assert!(!o.status.success());
    assert_eq!(std::fs::read_to_string(&p).unwrap(), after);
    assert!(leftover_temp(tmp.path()).is_empty());
}

#[test]
fn edit_creates_a_new_file_from_the_example_with_keys_from_config() {
    let d = tmpdir();
    write(
        d.path(),
        ".sops.yaml",
        format!(
            "creation_rules:\n  - path_regex: \\.yaml$\n    age: {}\n",
            recipient(1)
        )
        .as_bytes(),
    );
    let ed = editor_script(d.path(), "sed -i 's/example_value$/mine/' \"$1\"");
    let o = run(rsops()
        .current_dir(d.path())
        .args(["edit", "new.yaml"])
        .env("EDITOR", &ed));
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let out = String::from_utf8_lossy(&dec(&d.path().join("new.yaml")).stdout).to_string();
    assert!(out.starts_with("hello: Welcome to SOPS! Edit this file as you please!\nexample_key: mine\n# Example comment\n"), "{out}");
}

#[test]
fn in_place_keeps_the_file_mode() {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let d = tmpdir();
        let p = write(d.path(), "s.yaml", YAML.as_bytes());
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o640)).unwrap();
        ok(rsops()
            .args(["encrypt", "-i", "--age", &recipient(1)])
            .arg(&p));
        assert_eq!(
            std::fs::metadata(&p).unwrap().permissions().mode() & 0o777,
            0o640
        );
    }
}

#[test]
fn config_rules_pick_keys_and_options() {
    let d = tmpdir();
    write(
        d.path(),
        ".sops.yaml",
        format!(
            "creation_rules:\n  - path_regex: ^dev/\n    age: {}\n    encrypted_regex: ^password$\n  - age: {}\nstores:\n    yaml:\n        indent: 2\n",
            recipient(1),
            recipient(2)
        )
        .as_bytes(),
    );
    std::fs::create_dir(d.path().join("dev")).unwrap();
    write(&d.path().join("dev"), "s.yaml", YAML.as_bytes());
    write(d.path(), "other.yaml", YAML.as_bytes());
    let a = ok(rsops()
        .current_dir(d.path())
        .args(["encrypt", "dev/s.yaml"]));
    let a = String::from_utf8_lossy(&a.stdout).to_string();
    assert!(
        a.contains("  user: admin\n") && a.contains("encrypted_regex: ^password$"),
        "{a}"
    );
    assert!(a.contains(&recipient(1)));
    let b = ok(rsops()
        .current_dir(d.path())
        .args(["encrypt", "other.yaml"]));
    assert!(String::from_utf8_lossy(&b.stdout).contains(&recipient(2)));
}

#[test]
fn help_and_version() {
    let o = ok(rsops().arg("--help"));
    assert!(String::from_utf8_lossy(&o.stdout).contains("encrypt"));
    // `sops X.Y.Z (rsops …)`: clients that look for sops match `^sops X.Y.Z`
    // (Ansible's community.sops: `^sops ([0-9]+)\.([0-9]+)\.([0-9]+)`).
    let line = regex::Regex::new(r"^sops 3\.13\.2 \(rsops \d+\.\d+\.\d+\)\n$").unwrap();
    for flag in ["--version", "-v", "-V"] {
        let o = ok(rsops().arg(flag));
        let out = String::from_utf8_lossy(&o.stdout);
        assert!(line.is_match(&out), "{flag}: {out:?}");
    }
    // Global flags before or after the subcommand, and a file named like a
    // subcommand, parse as with the full command.
    let d = tmpdir();
    let p = write(d.path(), "decrypt", b"a: b\n");
    let before = ok(rsops()
        .args(["--input-type", "yaml", "encrypt", "--age", &recipient(1)])
        .arg(&p));
    assert!(String::from_utf8_lossy(&before.stdout).contains("ENC[AES256_GCM"));
    let o = ok(rsops()
        .args(["-e", "--input-type", "yaml", "--age", &recipient(1)])
        .arg(&p));
    assert!(String::from_utf8_lossy(&o.stdout).contains("ENC[AES256_GCM"));
    let o = run(rsops().args(["encrpyt", "x.yaml"]));
    assert!(!o.status.success());
    for sub in [
        "encrypt",
        "decrypt",
        "edit",
        "set",
        "unset",
        "rotate",
        "filestatus",
    ] {
        ok(rsops().args([sub, "--help"]));
    }
}

#[test]
fn bulk_operations_report_each_file_and_keep_going() {
    let d = tmpdir();
    write(
        d.path(),
        ".sops.yaml",
        format!(
            "creation_rules:\n  - path_regex: \\.yaml$\n    age: {}\n",
            recipient(1)
        )
        .as_bytes(),
    );
    std::fs::create_dir_all(d.path().join("app/sub")).unwrap();
    for i in 0..40 {
        write(
            &d.path().join("app/sub"),
            &format!("f{i}.yaml"),
            format!("user: u{i}\npassword: p{i}\n").as_bytes(),
        );
    }
    write(&d.path().join("app"), "notes.txt", b"not a secret\n");
    // Without -i, several files are refused.
    assert_eq!(
        run(rsops()
            .current_dir(d.path())
            .args(["encrypt", "--recursive", "app"]))
        .status
        .code(),
        Some(8)
    );
    let o = ok(rsops()
        .current_dir(d.path())
        .args(["encrypt", "-i", "--recursive", "app"]));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("40 file(s): 40 encrypted, 0 failed"), "{err}");
    assert_eq!(
        std::fs::read(d.path().join("app/notes.txt")).unwrap(),
        b"not a secret\n"
    );
    assert!(!std::fs::read_to_string(d.path().join(".sops.yaml"))
        .unwrap()
        .contains("ENC["));
    // One broken file: the others are processed, the exit code says it failed.
    write(&d.path().join("app/sub"), "zz-broken.yaml", b"a: [\n");
    let o = run(rsops()
        .current_dir(d.path())
        .args(["rotate", "-i", "--recursive", "app"])
        .env("SOPS_AGE_KEY_FILE", key_file(1)));
    assert!(
        o.status.success(),
        "broken plaintext is not an encrypted file, so rotate skips it"
    );
    let o = run(rsops()
        .current_dir(d.path())
        .args(["encrypt", "-i", "--recursive", "app"]));
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("zz-broken.yaml"));
    let o = ok(rsops()
        .current_dir(d.path())
        .args(["decrypt", "-i", "--recursive", "app"])
        .env("SOPS_AGE_KEY_FILE", key_file(1)));
    assert!(String::from_utf8_lossy(&o.stderr).contains("40 file(s): 40 decrypted"));
    assert_eq!(
        std::fs::read_to_string(d.path().join("app/sub/f3.yaml")).unwrap(),
        "user: u3\npassword: p3\n"
    );
}

#[test]
fn reuse_ciphertext_keeps_unchanged_values_and_bytes() {
    let d = tmpdir();
    let p = encrypt_file(d.path(), "s.yaml", YAML);
    let env = ("SOPS_AGE_KEY_FILE", key_file(1));
    let plain = ok(rsops().arg("decrypt").arg(&p).env(env.0, &env.1)).stdout;
    let q = write(d.path(), "plain.yaml", &plain);
    let out = d.path().join("out.yaml");
    // Nothing changed: the old file's bytes exactly.
    ok(rsops()
        .args(["encrypt", "--reuse-ciphertext-from"])
        .arg(&p)
        .arg("--output")
        .arg(&out)
        .arg(&q)
        .env(env.0, &env.1));
    assert_eq!(std::fs::read(&out).unwrap(), std::fs::read(&p).unwrap());
    // One change: only that value (and mac/lastmodified) differ.
    write(
        d.path(),
        "plain.yaml",
        String::from_utf8_lossy(&plain)
            .replace("hunter2", "changed")
            .as_bytes(),
    );
    ok(rsops()
        .args(["encrypt", "--reuse-ciphertext-from"])
        .arg(&p)
        .arg("--output")
        .arg(&out)
        .arg(&q)
        .env(env.0, &env.1));
    let (a, b) = (
        std::fs::read_to_string(&p).unwrap(),
        std::fs::read_to_string(&out).unwrap(),
    );
    let changed: Vec<_> = a
        .lines()
        .zip(b.lines())
        .filter(|(x, y)| x != y)
        .map(|(x, _)| x.trim().split(':').next().unwrap().to_string())
        .filter(|k| k != "lastmodified")
        .collect();
    assert_eq!(changed, ["password", "mac"]);
    // Key flags conflict with reusing the old file's keys.
    let o = run(rsops()
        .args(["encrypt", "--age", &recipient(2), "--reuse-ciphertext-from"])
        .arg(&p)
        .arg(&q)
        .env(env.0, &env.1));
    assert_eq!(o.status.code(), Some(8));
}

#[test]
fn exec_env_and_exec_file_pass_values_and_leave_nothing() {
    let d = tmpdir();
    let tmp = tmpdir();
    let p = encrypt_file(
        d.path(),
        "s.yaml",
        "user: admin\npassword: hunter2\nport: 5432\nratio: 2.0\n",
    );
    let env = ("SOPS_AGE_KEY_FILE", key_file(1));
    let o = ok(rsops()
        .args(["exec-env"])
        .arg(&p)
        .arg("echo \"$user $password $port $ratio\"")
        .env(env.0, &env.1));
    assert_eq!(
        String::from_utf8_lossy(&o.stdout),
        "admin hunter2 5432 2.0\n"
    );
    let o = ok(rsops()
        .args(["exec-env", "--pristine"])
        .arg(&p)
        .arg("echo \"[$HOME]\"")
        .env(env.0, &env.1));
    assert_eq!(String::from_utf8_lossy(&o.stdout), "[]\n");
    // The child's exit code is passed on.
    let o = run(rsops()
        .args(["exec-env"])
        .arg(&p)
        .arg("exit 7")
        .env(env.0, &env.1));
    assert_eq!(o.status.code(), Some(7));
    // A nested map cannot be an environment variable.
    let q = encrypt_file(d.path(), "n.yaml", "a:\n    b: 1\n");
    assert_eq!(
        run(rsops()
            .args(["exec-env"])
            .arg(&q)
            .arg("true")
            .env(env.0, &env.1))
        .status
        .code(),
        Some(1)
    );
    for fifo in [true, false] {
        let mut c = rsops();
        c.arg("exec-file");
        if !fifo {
            c.arg("--no-fifo");
        }
        let o = ok(c
            .arg(&p)
            .arg("cat {}; test -p {} && echo FIFO || ls -l {} | cut -c1-10")
            .env("TMPDIR", tmp.path())
            .env(env.0, &env.1));
        let out = String::from_utf8_lossy(&o.stdout).to_string();
        assert!(out.starts_with("user: admin\npassword: hunter2\n"), "{out}");
        assert!(
            out.trim_end()
                .ends_with(if fifo { "FIFO" } else { "-rw-------" }),
            "{out}"
        );
        assert_eq!(
            std::fs::read_dir(tmp.path()).unwrap().count(),
            0,
            "nothing left behind"
        );
    }
    let o = run(rsops()
        .args(["exec-file", "--background", "--no-fifo"])
        .arg(&p)
        .arg("true")
        .env(env.0, &env.1));
    assert_eq!(o.status.code(), Some(8));
}
