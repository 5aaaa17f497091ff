//! Failing safe: hostile input never panics or hangs, interrupted writes
//! never leave a partial file, errors never contain secrets.

mod common;
use common::*;
use std::time::{Duration, Instant};

/// Run rsops encrypt on `content` named `name`; must fail cleanly (not a
/// panic, which exits 101), quickly, with a message.
fn rejects(name: &str, content: &[u8]) {
    let d = tmpdir();
    let p = write(d.path(), name, content);
    let start = Instant::now();
    let o = run(rsops().args(["encrypt", "--age", &recipient(1)]).arg(&p));
    let took = start.elapsed();
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(!o.status.success(), "{name}: accepted hostile input");
    assert_ne!(o.status.code(), Some(101), "{name}: panicked: {err}");
    assert!(!err.contains("panicked"), "{name}: {err}");
    assert!(!err.trim().is_empty(), "{name}: no error message");
    assert!(took < Duration::from_secs(60), "{name}: took {took:?}");
}

#[test]
fn hostile_yaml_is_rejected_cleanly() {
    let mut bomb = String::from(
        "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    let mut prev = 'a';
    for c in 'b'..='j' {
        bomb.push_str(&format!(
            "{c}: &{c} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n"
        ));
        prev = c;
    }
    rejects("bomb.yaml", bomb.as_bytes());
    rejects(
        "deep.yaml",
        format!("a: {}{}\n", "[".repeat(100_000), "]".repeat(100_000)).as_bytes(),
    );
    let mut nested = String::new();
    for i in 0..20_000 {
        nested.push_str(&" ".repeat(i));
        nested.push_str("a:\n");
    }
    rejects("deepmap.yaml", nested.as_bytes());
    rejects("dup.yaml", b"a: 1\na: 2\n");
    rejects("utf8.yaml", b"a: \xff\xfe\n");
    rejects("list.yaml", b"- a\n- b\n");
    rejects("scalar.yaml", b"just a scalar\n");
    rejects("empty.yaml", b"");
    rejects("sops.yaml", b"sops: 1\na: 2\n");
    rejects("nul.yaml", b"a: \x00\n");
}

#[test]
fn hostile_json_dotenv_ini_are_rejected_cleanly() {
    rejects(
        "deep.json",
        format!("{{\"a\": {}{}}}", "[".repeat(100_000), "]".repeat(100_000)).as_bytes(),
    );
    rejects("bad.json", b"{\"a\": }");
    rejects("trail.json", b"{\"a\": 1} x");
    rejects("list.json", b"[1, 2]");
    rejects("utf8.json", b"{\"a\": \"\xff\"}");
    rejects("sops.json", b"{\"sops\": 1}");
    rejects("empty.json", b"");
    rejects("sops.env", b"sops_version=1\n");
}

#[test]
fn a_huge_line_is_handled_with_bounded_time() {
    // 20 MB on one line: encrypts (it is valid). The bound only catches a
    // hang or quadratic blow-up (a debug build on a loaded 2-core machine
    // needs ~25 s; release needs about a second).
    let d = tmpdir();
    let mut big = b"a: ".to_vec();
    big.extend(std::iter::repeat_n(b'x', 20 << 20));
    big.push(b'\n');
    let p = write(d.path(), "big.yaml", &big);
    let start = Instant::now();
    let o = run(rsops().args(["encrypt", "--age", &recipient(1)]).arg(&p));
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(start.elapsed() < Duration::from_secs(180));
}

#[test]
fn errors_never_contain_secret_values() {
    let d = tmpdir();
    let secret = "TopSecretValue-8f3a";
    let p = write(
        d.path(),
        "s.yaml",
        format!("a: {secret}\nb: other\n").as_bytes(),
    );
    ok(rsops()
        .args(["encrypt", "-i", "--age", &recipient(1)])
        .arg(&p));
    let enc = std::fs::read_to_string(&p).unwrap();
    // Move a's ciphertext to b: authentication fails; the message names the
    // path but shows no plaintext and no ciphertext.
    let a = enc
        .lines()
        .find(|l| l.starts_with("a: "))
        .unwrap()
        .to_string();
    let b = enc
        .lines()
        .find(|l| l.starts_with("b: "))
        .unwrap()
        .to_string();
    let t = enc.replace(&b, &format!("b: {}", &a[3..]));
    let t = write(d.path(), "t.yaml", t.as_bytes());
    for args in [vec!["decrypt"], vec!["decrypt", "--ignore-mac"]] {
        let o = run(rsops()
            .args(&args)
            .arg(&t)
            .env("SOPS_AGE_KEY_FILE", key_file(1)));
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(25));
        assert!(err.contains("[\"b\"]"), "{err}");
        assert!(!err.contains(secret) && !err.contains(&a[3..20]), "{err}");
        assert!(!String::from_utf8_lossy(&o.stdout).contains(secret));
    }
    // Invalid plaintext syntax: the error does not echo the document.
    let p = write(
        d.path(),
        "bad.yaml",
        format!("a: {secret}\n  b: [\n").as_bytes(),
    );
    let o = run(rsops().args(["encrypt", "--age", &recipient(1)]).arg(&p));
    assert!(!String::from_utf8_lossy(&o.stderr).contains(secret));
}

#[cfg(unix)]
#[test]
fn sigkill_during_in_place_writes_leaves_old_or_new_file() {
    let d = tmpdir();
    let mut plain = String::new();
    for i in 0..20_000 {
        plain.push_str(&format!("key{i}: value-{i}-xxxxxxxxxxxxxxxxxxxxxxxx\n"));
    }
    let p = write(d.path(), "s.yaml", plain.as_bytes());
    ok(rsops()
        .args(["encrypt", "-i", "--age", &recipient(1)])
        .arg(&p));
    let decrypts = |bytes: &[u8]| {
        let q = write(d.path(), "check.yaml", bytes);
        run(rsops()
            .arg("decrypt")
            .arg(&q)
            .env("SOPS_AGE_KEY_FILE", key_file(1)))
        .status
        .success()
    };
    let mut kills = 0;
    for i in 0..24u64 {
        let before = std::fs::read(&p).unwrap();
        let mut c = rsops();
        c.env("SOPS_AGE_KEY_FILE", key_file(1));
        match i % 2 {
            0 => c.args(["rotate", "-i"]).arg(&p),
            _ => c
                .args(["set"])
                .arg(&p)
                .args(["[\"key5\"]", &format!("\"v{i}\"")]),
        };
        let mut child = c
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(5 + (i * 37) % 150));
        if child.try_wait().unwrap().is_none() {
            kills += 1;
        }
        let _ = child.kill();
        let _ = child.wait();
        let after = std::fs::read(&p).unwrap();
        assert!(
            after == before || decrypts(&after),
            "iteration {i}: file is neither the old nor a valid new version"
        );
        assert!(decrypts(&after), "iteration {i}: file no longer decrypts");
        let stray: Vec<_> = std::fs::read_dir(d.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
            .filter(|n| n.starts_with(".rsops-") && !n.ends_with(".tmp"))
            .collect();
        assert!(stray.is_empty(), "{stray:?}");
    }
    assert!(
        kills > 0,
        "no run was interrupted; the file is too small to test"
    );
}

#[test]
fn unwritable_output_fails_with_code_3_and_changes_nothing() {
    let d = tmpdir();
    let p = write(d.path(), "s.yaml", b"a: 1\n");
    let o = run(rsops()
        .args(["encrypt", "--age", &recipient(1), "--output"])
        .arg(d.path().join("missing-dir/out.yaml"))
        .arg(&p));
    assert_eq!(o.status.code(), Some(3));
    assert_eq!(std::fs::read(&p).unwrap(), b"a: 1\n");
}

#[cfg(unix)]
#[test]
fn edit_leaves_no_plaintext_on_signals_or_editor_death() {
    let d = tmpdir();
    let p = write(d.path(), "s.yaml", b"secret: TopSecretValue-1\n");
    ok(rsops()
        .args(["encrypt", "-i", "--age", &recipient(1)])
        .arg(&p));
    let before = std::fs::read(&p).unwrap();
    let editor = d.path().join("slow-editor.sh");
    let pidfile = d.path().join("editor.pid");
    std::fs::write(
        &editor,
        format!(
            "#!/bin/sh\n: > \"$(dirname \"$1\")/.$(basename \"$1\").swp\"\necho $$ > '{}'\nexec sleep 30\n",
            pidfile.display()
        ),
    )
    .unwrap();
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&editor, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let leftovers = |t: &std::path::Path| -> Vec<String> {
        std::fs::read_dir(t)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
            .collect()
    };
    // (signal to rsops, signal to the editor)
    for (to_rsops, to_editor) in [
        (Some(libc_sig::TERM), None),
        (Some(libc_sig::HUP), None),
        (Some(libc_sig::INT), Some(libc_sig::TERM)),
        (None, Some(libc_sig::KILL)),
    ] {
        let tmp = tmpdir();
        let _ = std::fs::remove_file(&pidfile);
        let mut child = rsops()
            .arg("edit")
            .arg(&p)
            .env("EDITOR", &editor)
            .env("TMPDIR", tmp.path())
            .env("SOPS_AGE_KEY_FILE", key_file(1))
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let start = Instant::now();
        while !pidfile.exists() && start.elapsed() < Duration::from_secs(30) {
            std::thread::sleep(Duration::from_millis(20));
        }
        assert!(
            !leftovers(tmp.path()).is_empty(),
            "the plaintext temp dir exists while editing"
        );
        let editor_pid = std::fs::read_to_string(&pidfile)
            .unwrap()
            .trim()
            .to_string();
        if let Some(sig) = to_rsops {
            kill(&child.id().to_string(), sig);
        }
        if let Some(sig) = to_editor {
            std::thread::sleep(Duration::from_millis(100));
            kill(&editor_pid, sig);
        }
        let status = child.wait().unwrap();
        // rsops stops its editor; make sure nothing outlives the test.
        kill(&editor_pid, libc_sig::KILL);
        assert!(!status.success());
        if let Some(code) = match to_rsops {
            Some(libc_sig::TERM) => Some(128 + 15),
            Some(libc_sig::HUP) => Some(128 + 1),
            _ => None,
        } {
            assert_eq!(status.code(), Some(code), "{to_rsops:?}");
        }
        assert!(
            leftovers(tmp.path()).is_empty(),
            "{:?}: plaintext left behind: {:?}",
            (to_rsops, to_editor),
            leftovers(tmp.path())
        );
        assert_eq!(
            std::fs::read(&p).unwrap(),
            before,
            "the encrypted file is unchanged"
        );
    }
}

mod libc_sig {
    pub const HUP: &str = "HUP";
    pub const INT: &str = "INT";
    pub const TERM: &str = "TERM";
    pub const KILL: &str = "KILL";
}

fn kill(pid: &str, sig: &str) {
    let _ = std::process::Command::new("kill")
        .args([&format!("-{sig}"), pid])
        .stderr(std::process::Stdio::null())
        .status();
}

/// A full disk: a 64 KiB tmpfs (needs permission to mount, as root in CI
/// containers; elsewhere the test says so and checks nothing).
#[cfg(target_os = "linux")]
#[test]
fn full_disk_leaves_the_original_intact() {
    let d = tmpdir();
    let mnt = d.path().join("small");
    std::fs::create_dir(&mnt).unwrap();
    let mounted = std::process::Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=64k", "tmpfs"])
        .arg(&mnt)
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !mounted {
        eprintln!("full_disk_leaves_the_original_intact: cannot mount a tmpfs here (not root?); not checked");
        return;
    }
    let mut content = b"a: 1\nb: ".to_vec();
    content.extend(std::iter::repeat_n(b'x', 40_000));
    content.push(b'\n');
    let p = write(&mnt, "s.yaml", &content);
    let o = run(rsops()
        .args(["encrypt", "-i", "--age", &recipient(1)])
        .arg(&p));
    let after = std::fs::read(&p).unwrap();
    let left: Vec<_> = std::fs::read_dir(&mnt)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    let _ = std::process::Command::new("umount").arg(&mnt).status();
    assert_eq!(
        o.status.code(),
        Some(3),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(String::from_utf8_lossy(&o.stderr).contains("No space left"));
    assert_eq!(after, content, "the original is intact");
    assert_eq!(left.len(), 1, "no temporary file left: {left:?}");
}

#[test]
fn every_kind_of_tampering_is_rejected() {
    let d = tmpdir();
    let p = write(
        d.path(),
        "s.yaml",
        b"a: one\nb: two\nc_unencrypted: three\n",
    );
    ok(rsops()
        .args(["encrypt", "-i", "--age", &recipient(1)])
        .arg(&p));
    let enc = std::fs::read_to_string(&p).unwrap();
    let line_a = enc
        .lines()
        .find(|l| l.starts_with("a: "))
        .unwrap()
        .to_string();
    let field = |name: &str| {
        let start = line_a.find(&format!("{name}:")).unwrap() + name.len() + 1;
        let end = start + line_a[start..].find([',', ']']).unwrap();
        line_a[start..end].to_string()
    };
    // Flip one base64 character of a field (keeping valid base64).
    let flip = |s: &str| {
        let mut c: Vec<char> = s.chars().collect();
        c[0] = if c[0] == 'A' { 'B' } else { 'A' };
        c.into_iter().collect::<String>()
    };
    let cases: Vec<(&str, String, i32)> = vec![
        (
            "changed ciphertext",
            enc.replace(&field("data"), &flip(&field("data"))),
            25,
        ),
        (
            "changed IV",
            enc.replace(&field("iv"), &flip(&field("iv"))),
            25,
        ),
        (
            "changed tag",
            enc.replace(&field("tag"), &flip(&field("tag"))),
            25,
        ),
        ("removed value", enc.replace(&format!("{line_a}\n"), ""), 51),
        (
            "added value",
            enc.replacen("b: ", "z_unencrypted: extra\nb: ", 1),
            51,
        ),
        (
            "changed unencrypted value",
            enc.replace("three", "four"),
            51,
        ),
        ("renamed key", enc.replacen("a: ENC", "x: ENC", 1), 25),
        (
            "changed lastmodified",
            regex::Regex::new(r#"lastmodified: "[^"]*""#)
                .unwrap()
                .replace(&enc, "lastmodified: \"2020-01-01T00:00:00Z\"")
                .into_owned(),
            51,
        ),
    ];
    for (what, text, code) in cases {
        assert_ne!(text, enc, "{what}: the edit did not apply");
        let t = write(d.path(), "t.yaml", text.as_bytes());
        let o = run(rsops()
            .arg("decrypt")
            .arg(&t)
            .env("SOPS_AGE_KEY_FILE", key_file(1)));
        assert_eq!(
            o.status.code(),
            Some(code),
            "{what}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        assert!(o.stdout.is_empty(), "{what}: printed output");
        // The real sops agrees that the file is bad.
        let s = run(sops()
            .arg("decrypt")
            .arg(&t)
            .env("SOPS_AGE_KEY_FILE", key_file(1)));
        assert!(!s.status.success(), "{what}: sops accepted it");
    }
}
