//! Hostile encrypted files, built the way someone who can only change the
//! file (a pull request) would: starting from a file the real sops wrote
//! with the test key (testdata/sops), adding keys with empty values (the
//! MAC still verifies), duplicate keys, an alias bomb, or a recipient entry
//! whose `enc` expands to megabytes. Every command refuses, names what is
//! wrong, prints nothing on stdout and stays within a bounded memory.

mod common;
use common::*;
use std::path::Path;
use std::process::{Command, Output, Stdio};

fn sops_file(name: &str) -> String {
    std::fs::read_to_string(testdata().join("sops").join(name)).expect("sops fixture")
}

/// `text` with `entry` inserted as the top-level entry just before the
/// `sops` metadata of a JSON file (so after every real entry).
fn json_with(text: &str, entry: &str) -> String {
    let at = text.find("\t\"sops\": {").expect("sops entry");
    format!("{}\t{entry},\n{}", &text[..at], &text[at..])
}

/// `text` (a JSON file) with `entries` added to the `sops` metadata.
fn json_meta_with(text: &str, entries: &str) -> String {
    let at = text.find("\t\"sops\": {").expect("sops entry") + "\t\"sops\": {".len();
    format!("{}\n\t\t{entries},{}", &text[..at], &text[at..])
}

/// Run, and return the output and the peak resident memory (KiB) of the
/// command. Measured by a small python3 parent (getrusage of its reaped
/// child): the test process itself is too large to spawn it directly, as
/// Linux counts the spawning process's memory in a child's peak when the
/// child is started with vfork, as std does.
fn run_measured(c: &mut Command) -> (Output, u64) {
    let d = tmpdir();
    let rss_file = d.path().join("rss");
    let script = "import resource, subprocess, sys\n\
                  r = subprocess.run(sys.argv[2:])\n\
                  open(sys.argv[1], 'w').write(str(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss))\n\
                  sys.exit(r.returncode if r.returncode >= 0 else 128 - r.returncode)\n";
    let mut py = Command::new("python3");
    py.arg("-c")
        .arg(script)
        .arg(&rss_file)
        .arg(c.get_program())
        .args(c.get_args());
    for (k, v) in c.get_envs() {
        match v {
            Some(v) => py.env(k, v),
            None => py.env_remove(k),
        };
    }
    let o = py
        .stdin(Stdio::null())
        .output()
        .expect("python3 is needed to measure memory");
    let rss = std::fs::read_to_string(&rss_file)
        .expect("the measured command's peak memory")
        .trim()
        .parse()
        .expect("a number");
    (o, rss)
}

/// The command failed cleanly (no panic, no signal), printed nothing on
/// stdout and said something on stderr; returns stderr.
fn refused(o: &Output, what: &str) -> String {
    let err = String::from_utf8_lossy(&o.stderr).to_string();
    assert!(!o.status.success(), "{what}: accepted");
    assert!(
        matches!(o.status.code(), Some(c) if c != 101),
        "{what}: crashed ({:?}): {err}",
        o.status
    );
    assert!(o.stdout.is_empty(), "{what}: partial output {:?}", o.stdout);
    assert!(!err.trim().is_empty(), "{what}: no message");
    err
}

fn with_key(c: &mut Command) -> &mut Command {
    c.env("SOPS_AGE_KEY_FILE", key_file(1))
}

/// Every command that decrypts the file, each expected to refuse it: the
/// stderr of each, labelled.
fn every_decrypting_command(p: &Path, marker: &Path) -> Vec<(String, Output)> {
    let f = p.to_str().unwrap();
    let m = marker.to_str().unwrap();
    let touch = format!("touch {m}");
    let runs: Vec<Vec<&str>> = vec![
        vec!["decrypt", f],
        vec!["decrypt", "--output-type", "dotenv", f],
        vec!["decrypt", "--output-type", "ini", f],
        vec!["decrypt", "--extract", "[\"name\"]", f],
        vec!["exec-env", f, &touch],
        vec!["exec-file", f, &touch],
        vec!["edit", f],
        vec!["set", f, "[\"name\"]", "\"x\""],
        vec!["unset", f, "[\"name\"]"],
        vec!["rotate", f],
    ];
    runs.into_iter()
        .map(|args| {
            let o = run(with_key(rsops().args(&args)).env("EDITOR", "true"));
            (args.join(" "), o)
        })
        .collect()
}

#[test]
fn key_names_with_line_breaks_are_refused_by_every_command() {
    let d = tmpdir();
    let marker = d.path().join("ran");
    // The attacker's key: its value is empty, so the MAC still verifies.
    let text = json_with(&sops_file("basic.json"), r#""x\nLD_PRELOAD": """#);
    let p = write(d.path(), "hostile.json", text.as_bytes());
    let before = std::fs::read(&p).unwrap();
    for (what, o) in every_decrypting_command(&p, &marker) {
        let err = refused(&o, &what);
        assert!(err.contains(r#"["x\nLD_PRELOAD"]"#), "{what}: {err}");
        assert!(err.contains("U+000A"), "{what}: {err}");
        assert!(err.contains("Delete that entry"), "{what}: {err}");
    }
    assert!(!marker.exists(), "a command ran");
    assert_eq!(std::fs::read(&p).unwrap(), before, "the file was changed");
    // The advice is right: without the entry the file decrypts again.
    let p = write(d.path(), "fixed.json", sops_file("basic.json").as_bytes());
    ok(with_key(rsops().arg("decrypt").arg(&p)));
    // `rsops check` (a CI gate for such pull requests) fails it too.
    let p = write(d.path(), "hostile.json", text.as_bytes());
    let o = run(rsops().arg("check").arg(&p));
    assert!(!o.status.success());
    let out = String::from_utf8_lossy(&o.stdout).to_string() + &String::from_utf8_lossy(&o.stderr);
    assert!(out.contains(r#"["x\nLD_PRELOAD"]"#), "{out}");
}

/// A JSON file of maps (one per INI section), encrypted by rsops, with
/// tabs for indentation as [`json_with`] expects.
fn encrypted_json(d: &Path, plain: &str) -> String {
    let pp = write(d, "plain.json", plain.as_bytes());
    let enc = ok(rsops()
        .args(["encrypt", "--age", &recipient(1), "--output-type", "json"])
        .arg(&pp))
    .stdout;
    String::from_utf8(enc).unwrap().replace("    ", "\t")
}

#[test]
fn an_ini_section_name_cannot_inject_sections() {
    let d = tmpdir();
    let enc = encrypted_json(d.path(), r#"{"database": {"password": "s3cret"}}"#);
    // Written as an INI section header, this name would add a second
    // [database] section whose password hides the real one.
    let text = json_with(&enc, r#""x]\n[database]\npassword = attacker": {}"#);
    let p = write(d.path(), "hostile.json", text.as_bytes());
    let err = refused(
        &run(with_key(
            rsops().args(["decrypt", "--output-type", "ini"]).arg(&p),
        )),
        "ini",
    );
    assert!(
        err.contains(r#"["x]\n[database]\npassword = attacker"]"#),
        "{err}"
    );
    let out = ok(with_key(
        rsops().args(["decrypt", "--output-type", "ini"]).arg(write(
            d.path(),
            "legit.json",
            enc.as_bytes(),
        )),
    ))
    .stdout;
    assert_eq!(
        String::from_utf8_lossy(&out),
        "[database]\npassword = s3cret\n"
    );
}

#[test]
fn dotenv_output_refuses_names_that_would_read_back_as_other_keys() {
    let d = tmpdir();
    // No control character: the file loads, but such a name written as a
    // dotenv line would set LD_PRELOAD, or turn into a comment.
    // A flat file, as dotenv consumers use, encrypted by rsops.
    let enc = encrypted_json(d.path(), r#"{"DB_PASSWORD": "s3cret"}"#);
    for (entry, shown) in [
        (
            r#""LD_PRELOAD=/tmp/evil.so": """#,
            r#""LD_PRELOAD=/tmp/evil.so""#,
        ),
        (r##""#hidden": """##, r##""#hidden""##),
    ] {
        // Plain text to a dotenv file: refused when writing.
        let plain = format!("{{\"DB_PASSWORD\": \"s3cret\", {entry}}}");
        let pp = write(d.path(), "plain.json", plain.as_bytes());
        let err = refused(
            &run(rsops()
                .args(["encrypt", "--age", &recipient(1), "--output-type", "dotenv"])
                .arg(&pp)),
            entry,
        );
        assert!(err.contains(shown), "{err}");
        // The encrypted JSON file given the key by someone else, decrypted
        // to dotenv (as a deploy script would).
        let text = json_with(&enc, entry);
        let p = write(d.path(), "hostile.json", text.as_bytes());
        for args in [
            vec!["decrypt", "--output-type", "dotenv"],
            vec!["exec-file", "--output-type", "dotenv"],
        ] {
            let mut c = rsops();
            c.args(&args).arg(&p);
            if args[0] == "exec-file" {
                c.arg("cat {}");
            }
            let err = refused(&run(with_key(&mut c)), entry);
            assert!(err.contains(shown) && err.contains("dotenv"), "{err}");
            assert!(!err.contains("s3cret"));
        }
        // Other formats write such a name quoted: no problem there.
        let out = ok(with_key(rsops().arg("decrypt").arg(&p))).stdout;
        assert!(String::from_utf8_lossy(&out).contains("s3cret"));
    }
}

#[test]
fn a_duplicate_key_cannot_blank_a_secret() {
    let d = tmpdir();
    // JSON: an empty "escapes" after the real one (JSON readers keep the last).
    let text = json_with(&sops_file("basic.json"), r#""escapes": """#);
    let p = write(d.path(), "dup.json", text.as_bytes());
    for args in [
        vec!["decrypt"],
        vec!["decrypt", "--output-type", "dotenv"],
        vec!["exec-env", "--pristine"],
    ] {
        let mut c = rsops();
        c.args(&args).arg(&p);
        if args[0] == "exec-env" {
            c.arg("env");
        }
        let err = refused(&run(with_key(&mut c)), &args.join(" "));
        assert!(err.contains(r#"["escapes"]"#), "{err}");
        assert!(err.contains("more than once"), "{err}");
        assert!(err.contains("value is empty"), "{err}");
    }
    // dotenv: a second, empty DB_PASSWORD line.
    let text = sops_file("basic.env").replace("EMPTY=\n", "EMPTY=\nDB_PASSWORD=\n");
    let p = write(d.path(), "dup.env", text.as_bytes());
    let err = refused(&run(with_key(rsops().arg("decrypt").arg(&p))), "dotenv");
    assert!(err.contains(r#"["DB_PASSWORD"]"#), "{err}");
    // Binary: an empty "data" before the real one (rsops' binary output
    // takes the first).
    let text = sops_file("random.bin.json").replacen("{", "{\n\t\"data\": \"\",", 1);
    let p = write(d.path(), "dup.bin", text.as_bytes());
    let err = refused(
        &run(with_key(
            rsops().args(["decrypt", "--input-type", "binary"]).arg(&p),
        )),
        "binary",
    );
    assert!(err.contains(r#"["data"]"#), "{err}");
    // A duplicate holding a value: the advice names the MAC and rotate.
    let line = sops_file("basic.json")
        .lines()
        .find(|l| l.contains("\"name\""))
        .unwrap()
        .trim()
        .trim_end_matches(',')
        .to_string();
    let p = write(
        d.path(),
        "dup2.json",
        json_with(&sops_file("basic.json"), &line).as_bytes(),
    );
    let err = refused(&run(with_key(rsops().arg("decrypt").arg(&p))), "valued");
    assert!(
        err.contains("holds a value") && err.contains("rotate --ignore-mac"),
        "{err}"
    );
}

#[test]
fn encrypt_refuses_duplicate_keys_and_control_characters_in_names() {
    let d = tmpdir();
    for (name, plain, shown) in [
        ("a.json", &b"{\"a\": \"1\", \"a\": \"\"}"[..], r#"["a"]"#),
        ("a.env", b"A=1\nA=\n", r#"["A"]"#),
        ("b.json", b"{\"a\": {\"k\\rx\": 1}}", r#"["a"]["k\rx"]"#),
        (
            "c.yaml",
            b"a: 1\n---\nb: 1\nb: 2\n",
            r#"["b"] (document 2)"#,
        ),
    ] {
        let p = write(d.path(), name, plain);
        let err = refused(
            &run(rsops().args(["encrypt", "--age", &recipient(1)]).arg(&p)),
            name,
        );
        assert!(err.contains(shown), "{name}: {err}");
    }
}

#[test]
fn a_yaml_alias_bomb_by_bytes_is_refused_in_bounded_memory() {
    let d = tmpdir();
    // Few nodes, so go-yaml's node-count guard (which sops relies on)
    // lets it through: a 2 MiB string and 1000 aliases of it, 2 GB as a tree.
    let mut text = format!("big: &big {}\nl:\n", "x".repeat(2 << 20));
    for _ in 0..1000 {
        text.push_str("  - *big\n");
    }
    let p = write(d.path(), "bomb.yaml", text.as_bytes());
    let (o, rss) = run_measured(rsops().args(["encrypt", "--age", &recipient(1)]).arg(&p));
    let err = refused(&o, "encrypt");
    assert!(err.contains("*big") && err.contains("&big"), "{err}");
    eprintln!("peak RSS {rss} KiB");
    assert!(rss < 300 << 10, "peak RSS {rss} KiB");
    // The same in an encrypted file (sops never writes aliases there).
    let enc = sops_file("basic.yaml");
    let hostile = format!(
        "{}\nz: &z {}\nzz: [{}]\n",
        enc.trim_end(),
        "y".repeat(1 << 20),
        "*z, ".repeat(999) + "*z"
    );
    let p = write(d.path(), "hostile.yaml", hostile.as_bytes());
    let (o, rss) = run_measured(with_key(rsops().arg("decrypt").arg(&p)));
    let err = refused(&o, "decrypt");
    assert!(err.contains("*z"), "{err}");
    eprintln!("peak RSS {rss} KiB");
    assert!(rss < 300 << 10, "peak RSS {rss} KiB");
}

/// An armored OpenPGP message made by gpg without any key: a literal
/// packet of `mib` MiB of zeros, compressed with `algo`.
fn compressed_literal(algo: &str, mib: usize) -> String {
    let home = tmpdir();
    let mut child = Command::new("gpg")
        .args(["--batch", "--homedir"])
        .arg(home.path())
        .args(["--store", "--compress-algo", algo, "-z", "9", "--armor"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("gpg is needed for these tests (apt install gnupg)");
    let mut stdin = child.stdin.take().unwrap();
    let w = std::thread::spawn(move || {
        use std::io::Write;
        let zeros = vec![0u8; 1 << 20];
        for _ in 0..mib {
            stdin.write_all(&zeros).unwrap();
        }
    });
    let o = child.wait_with_output().unwrap();
    w.join().unwrap();
    assert!(o.status.success());
    String::from_utf8(o.stdout).unwrap()
}

fn with_pgp_entry(enc: &str) -> String {
    let enc = enc.trim().replace('\n', "\\n");
    json_meta_with(
        &sops_file("basic.json"),
        &format!(
            r#""pgp": [{{"created_at": "2025-01-01T00:00:00Z", "enc": "{enc}", "fp": "FBC7B9E2A4F9289AC0C1D4843D16CEE4A27381B4"}}]"#
        ),
    )
}

#[test]
fn a_compressed_pgp_message_without_encryption_is_refused_unread() {
    let d = tmpdir();
    let home = tmpdir();
    // bzip2: 64 MiB of zeros in well under 1 KiB (gpg only); zip: 32 MiB
    // in about 45 KiB (under the enc cap, and sequoia reads it too).
    for (algo, mib, backend) in [
        ("bzip2", 64, "gpg"),
        ("zip", 32, "gpg"),
        ("zip", 32, "builtin"),
    ] {
        let msg = compressed_literal(algo, mib);
        assert!(msg.len() < 60 << 10, "{}", msg.len());
        let p = write(d.path(), "pgp.json", with_pgp_entry(&msg).as_bytes());
        // No age identity: the age key fails and the pgp entry is tried.
        let (o, rss) = run_measured(
            rsops()
                .arg("decrypt")
                .arg(&p)
                .env("GNUPGHOME", home.path())
                .env("RSOPS_PGP_BACKEND", backend),
        );
        let err = refused(&o, algo);
        assert_eq!(o.status.code(), Some(128), "{err}");
        assert!(
            err.contains("starts with a Compressed Data"),
            "{algo}/{backend}: {err}"
        );
        eprintln!("{algo}/{backend}: peak RSS {rss} KiB");
        assert!(rss < 48 << 10, "{algo}/{backend}: peak RSS {rss} KiB");
    }
    // An enc field larger than any wrapped data key is refused unread.
    let p = write(
        d.path(),
        "big.json",
        with_pgp_entry(&"A".repeat(100 << 10)).as_bytes(),
    );
    let err = refused(
        &run(rsops().arg("decrypt").arg(&p).env("GNUPGHOME", home.path())),
        "enc",
    );
    assert!(err.contains("enc field is"), "{err}");
}

#[test]
fn an_age_payload_larger_than_a_data_key_is_refused() {
    // Anyone can encrypt to the recipient named in the file: replace the
    // wrapped data key with 60 KiB (under the enc cap, age does not
    // compress) for the same recipient.
    let d = tmpdir();
    let enc = rsops::keys::age::wrap(&recipient(1), &vec![0u8; 40 << 10]).unwrap();
    assert!(enc.len() < 64 << 10);
    let text: String = sops_file("basic.json")
        .lines()
        .map(|l| {
            if l.contains("\"enc\": \"-----BEGIN AGE") {
                format!("\t\t\t\t\"enc\": \"{}\"\n", enc.replace('\n', "\\n"))
            } else {
                format!("{l}\n")
            }
        })
        .collect();
    let p = write(d.path(), "age.json", text.as_bytes());
    let err = refused(&run(with_key(rsops().arg("decrypt").arg(&p))), "age");
    assert!(err.contains("more than 64 bytes"), "{err}");
}
