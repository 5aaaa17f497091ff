//! `rsops diff`, `git diff` through a textconv filter, and the merge driver,
//! in real temporary git repositories.

mod common;
use common::*;
use std::path::Path;
use std::process::Command;

const YAML: &str = "db:\n    user: admin\n    password: hunter2\nport: 5432\nfeature: false\n";

fn rs(args: &[&str]) -> Command {
    let mut c = rsops();
    c.args(args).env("SOPS_AGE_KEY_FILE", key_file(1));
    c
}

fn git(dir: &Path) -> Command {
    let mut c = Command::new("git");
    let home = std::env::temp_dir().join("rsops-test-home");
    c.current_dir(dir)
        .env("HOME", &home)
        .env("XDG_CONFIG_HOME", home.join(".config"))
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_NAME", "t")
        .env("GIT_AUTHOR_EMAIL", "t@example.com")
        .env("GIT_COMMITTER_NAME", "t")
        .env("GIT_COMMITTER_EMAIL", "t@example.com")
        .env("SOPS_AGE_KEY_FILE", key_file(1))
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE");
    c
}

fn g(dir: &Path, args: &[&str]) -> String {
    let o = ok(git(dir).args(args));
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn set(p: &Path, path: &str, value: &str) {
    ok(rs(&["set"]).arg(p).args([path, value]));
}

fn decrypt(p: &Path) -> String {
    String::from_utf8_lossy(&ok(rs(&["decrypt"]).arg(p)).stdout).into_owned()
}

fn repo() -> tempfile::TempDir {
    let d = tmpdir();
    g(d.path(), &["init", "-q", "-b", "main"]);
    let p = write(d.path(), "s.enc.yaml", YAML.as_bytes());
    ok(rsops()
        .args(["encrypt", "-i", "--age", &recipient(1)])
        .arg(&p));
    let bin = env!("CARGO_BIN_EXE_rsops");
    write(
        d.path(),
        ".gitattributes",
        b"*.enc.yaml diff=sopsdiffer merge=rsops\n*.enc.toml diff=sopsdiffer merge=rsops\n",
    );
    g(
        d.path(),
        &[
            "config",
            "diff.sopsdiffer.textconv",
            &format!("{bin} decrypt"),
        ],
    );
    g(
        d.path(),
        &[
            "config",
            "merge.rsops.driver",
            &format!("{bin} merge-driver %O %A %B %P"),
        ],
    );
    g(d.path(), &["add", "."]);
    g(d.path(), &["commit", "-qm", "initial"]);
    d
}

#[test]
fn diff_exit_codes_and_output() {
    let d = tmpdir();
    let a = write(d.path(), "a.enc.yaml", YAML.as_bytes());
    ok(rsops()
        .args(["encrypt", "-i", "--age", &recipient(1)])
        .arg(&a));
    let b = d.path().join("b.enc.yaml");
    std::fs::copy(&a, &b).unwrap();
    let o = run(rs(&["diff"]).arg(&a).arg(&b));
    assert_eq!(o.status.code(), Some(0));
    assert!(o.stdout.is_empty());
    set(&b, "[\"db\"][\"password\"]", "\"changed\"");
    let o = run(rs(&["diff"]).arg(&a).arg(&b));
    assert_eq!(
        o.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        out.ends_with(
            "@@ -1,5 +1,5 @@\n db:\n     user: admin\n-    password: hunter2\n+    password: changed\n port: 5432\n feature: false\n"
        ),
        "{out}"
    );
    assert!(out.starts_with(&format!("--- {}\n+++ {}\n", a.display(), b.display())));
    // A plaintext file compares as it reads; other formats via --output-type.
    let plain = write(d.path(), "p.yaml", YAML.as_bytes());
    let o = run(rs(&["diff"]).arg(&a).arg(&plain));
    assert_eq!(o.status.code(), Some(0));
    let o = run(rs(&["diff", "-U", "0", "--output-type", "json"])
        .arg(&a)
        .arg(&b));
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stdout)
        .contains("@@ -4 +4 @@\n-\t\t\"password\": \"hunter2\"\n+\t\t\"password\": \"changed\"\n"));
    // Errors are never exit code 1.
    let o = run(rs(&["diff"]).arg(&a).arg(d.path().join("missing.yaml")));
    assert!(!matches!(o.status.code(), Some(0) | Some(1)));
    let o = run(rsops().arg("diff").arg(&a).arg(&b)); // no key
    assert!(!matches!(o.status.code(), Some(0) | Some(1)));
    assert!(o.stdout.is_empty());
}

#[test]
fn git_diff_through_textconv_shows_plaintext() {
    let d = repo();
    let p = d.path().join("s.enc.yaml");
    set(&p, "[\"port\"]", "6543");
    let out = g(d.path(), &["diff"]);
    assert!(out.contains("-port: 5432\n+port: 6543\n"), "{out}");
    assert!(!out.contains("ENC["), "{out}");
    g(d.path(), &["commit", "-qam", "port"]);
    let out = g(d.path(), &["log", "-p", "-1"]);
    assert!(out.contains("-port: 5432\n+port: 6543\n"), "{out}");
    // Without textconv the ciphertext shows.
    let out = g(d.path(), &["diff", "--no-textconv", "HEAD~1"]);
    assert!(out.contains("ENC["), "{out}");
}

#[test]
fn merge_driver_merges_keys_changed_on_different_branches() {
    let d = repo();
    let dir = d.path();
    let p = dir.join("s.enc.yaml");
    g(dir, &["checkout", "-qb", "feature"]);
    set(&p, "[\"db\"][\"user\"]", "\"root\"");
    g(dir, &["commit", "-qam", "user"]);
    let theirs = std::fs::read_to_string(&p).unwrap();
    g(dir, &["checkout", "-q", "main"]);
    set(&p, "[\"port\"]", "6543");
    set(&p, "[\"new_key\"]", "\"new\"");
    g(dir, &["commit", "-qam", "port"]);
    let ours = std::fs::read_to_string(&p).unwrap();
    let o = run(git(dir).args(["merge", "--no-edit", "feature"]));
    assert!(
        o.status.success(),
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    assert_eq!(
        decrypt(&p),
        "db:\n    user: root\n    password: hunter2\nport: 6543\nfeature: false\nnew_key: new\n"
    );
    // The real sops agrees (MAC and all).
    let o = ok(sops()
        .arg("decrypt")
        .arg(&p)
        .env("SOPS_AGE_KEY_FILE", key_file(1)));
    assert_eq!(String::from_utf8_lossy(&o.stdout), decrypt(&p));
    // Unchanged values keep ours' ciphertext, theirs' change keeps theirs'.
    let merged = std::fs::read_to_string(&p).unwrap();
    let line = |text: &str, key: &str| {
        text.lines()
            .find(|l| l.trim_start().starts_with(&format!("{key}:")))
            .unwrap()
            .to_string()
    };
    assert_eq!(line(&merged, "user"), line(&theirs, "user"));
    for k in ["password", "port", "new_key", "feature"] {
        assert_eq!(line(&merged, k), line(&ours, k), "{k}");
    }
    assert!(!merged.contains("hunter2") && !merged.contains("root"));
    assert!(g(dir, &["status", "--porcelain"]).is_empty());
}

#[test]
fn merge_driver_same_change_and_rotation() {
    let d = tmpdir();
    let dir = d.path();
    let base = write(dir, "base.tmp", YAML.as_bytes());
    ok(rsops()
        .args([
            "encrypt",
            "-i",
            "--input-type",
            "yaml",
            "--age",
            &recipient(1),
        ])
        .arg(&base));
    let copy = |name: &str| {
        let p = dir.join(name);
        std::fs::copy(&base, &p).unwrap();
        p
    };
    let driver = |o: &Path, t: &Path| {
        run(rs(&["merge-driver"])
            .arg(&base)
            .arg(o)
            .arg(t)
            .arg("s.enc.yaml"))
    };
    // The same change on both sides (other IVs, mac, lastmodified): ours
    // is kept byte for byte.
    let (o, t) = (copy("o1.yaml"), copy("t1.yaml"));
    set(&o, "[\"port\"]", "1");
    set(&t, "[\"port\"]", "1");
    assert_ne!(std::fs::read(&o).unwrap(), std::fs::read(&t).unwrap());
    let before = std::fs::read(&o).unwrap();
    let r = driver(&o, &t);
    assert_eq!(
        r.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&r.stderr)
    );
    assert_eq!(std::fs::read(&o).unwrap(), before);
    // Theirs rotated the data key, ours changed a value: by default a
    // conflict (a new data key is whoever wrote theirs' choice), ours left
    // as it was and the reason printed.
    let (o, t) = (copy("o2.yaml"), copy("t2.yaml"));
    set(&o, "[\"port\"]", "2");
    ok(rs(&["rotate", "-i", "--input-type", "yaml"]).arg(&t));
    let ours_before = std::fs::read(&o).unwrap();
    let r = driver(&o, &t);
    let err = String::from_utf8_lossy(&r.stderr);
    assert_eq!(r.status.code(), Some(1), "{err}");
    assert!(err.contains("theirs changed the keys"), "{err}");
    assert!(err.contains("the data key changed"), "{err}");
    assert!(err.contains("--allow-key-change"), "{err}");
    assert_eq!(std::fs::read(&o).unwrap(), ours_before);
    // With --allow-key-change in the driver's configuration, theirs' key
    // and recipients are used, and the real sops decrypts the result.
    let r = run(rs(&["merge-driver", "--allow-key-change"])
        .arg(&base)
        .arg(&o)
        .arg(&t)
        .arg("s.enc.yaml"));
    assert_eq!(
        r.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&r.stderr)
    );
    let merged = std::fs::read_to_string(&o).unwrap();
    let theirs = std::fs::read_to_string(&t).unwrap();
    let armor = |s: &str| s[s.find("-----BEGIN").unwrap()..s.find("-----END").unwrap()].to_string();
    assert_eq!(armor(&merged), armor(&theirs));
    let out = ok(sops()
        .args(["decrypt", "--input-type", "yaml"])
        .arg(&o)
        .env("SOPS_AGE_KEY_FILE", key_file(1)));
    assert!(String::from_utf8_lossy(&out.stdout).contains("port: 2\n"));
}

#[test]
fn merge_driver_conflict_leaves_ours_encrypted_and_names_keys() {
    let d = repo();
    let dir = d.path();
    let p = dir.join("s.enc.yaml");
    g(dir, &["checkout", "-qb", "feature"]);
    set(&p, "[\"db\"][\"password\"]", "\"theirs-secret\"");
    set(&p, "[\"feature\"]", "true");
    g(dir, &["commit", "-qam", "theirs"]);
    g(dir, &["checkout", "-q", "main"]);
    set(&p, "[\"db\"][\"password\"]", "\"ours-secret\"");
    g(dir, &["commit", "-qam", "ours"]);
    let ours = std::fs::read(&p).unwrap();
    let o = run(git(dir).args(["merge", "--no-edit", "feature"]));
    assert!(!o.status.success());
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(
        all.contains("[\"db\"][\"password\"]: changed on both sides"),
        "{all}"
    );
    assert!(!all.contains("[\"feature\"]"), "{all}");
    assert!(!all.contains("secret") && !all.contains("hunter2"), "{all}");
    // The work tree holds ours, still encrypted, byte for byte.
    assert_eq!(std::fs::read(&p).unwrap(), ours);
    assert!(g(dir, &["status", "--porcelain"]).contains("UU s.enc.yaml"));
    // Resolve with set, then conclude the merge.
    set(&p, "[\"db\"][\"password\"]", "\"resolved\"");
    g(dir, &["add", "s.enc.yaml"]);
    g(dir, &["commit", "-qm", "merge"]);
    assert!(decrypt(&p).contains("password: resolved"));
}

#[test]
fn merge_driver_toml_and_direct_use() {
    let d = repo();
    let dir = d.path();
    let t = write(dir, "app.enc.toml", b"a = 1\nb = \"x\"\n\n[t]\nc = true\n");
    ok(rsops()
        .args(["encrypt", "-i", "--age", &recipient(1)])
        .arg(&t));
    g(dir, &["add", "."]);
    g(dir, &["commit", "-qm", "toml"]);
    g(dir, &["checkout", "-qb", "feature"]);
    set(&t, "[\"t\"][\"c\"]", "false");
    g(dir, &["commit", "-qam", "theirs"]);
    g(dir, &["checkout", "-q", "main"]);
    set(&t, "[\"a\"]", "2");
    g(dir, &["commit", "-qam", "ours"]);
    let o = run(git(dir).args(["merge", "--no-edit", "feature"]));
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(decrypt(&t), "a = 2.0\nb = \"x\"\n\n[t]\nc = false\n");

    // Called directly: an empty ancestor (both sides added the file).
    let base = write(dir, "base", b"");
    let a = dir.join("ours.toml");
    let b = dir.join("theirs.toml");
    std::fs::copy(&t, &a).unwrap();
    std::fs::copy(&t, &b).unwrap();
    set(&b, "[\"b\"]", "\"y\"");
    let o = run(rs(&["merge-driver"])
        .arg(&base)
        .arg(&a)
        .arg(&b)
        .arg("app.enc.toml"));
    assert_eq!(
        o.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(String::from_utf8_lossy(&o.stderr).contains("[\"b\"]: added on both sides"));
    // Without a key: an error, and ours untouched.
    let before = std::fs::read(&a).unwrap();
    let o = run(rsops()
        .args(["merge-driver"])
        .arg(dir.join("app.enc.toml"))
        .arg(&a)
        .arg(&b)
        .arg("app.enc.toml"));
    assert!(!o.status.success());
    assert_eq!(std::fs::read(&a).unwrap(), before);
}

/// An attacker's "theirs": the file re-created under a data key they know
/// (wrapped for the usual recipient, so it looks routine), or the same
/// file with their own recipient added. Neither may be merged silently:
/// ours' new secret would be sealed for them.
#[test]
fn merge_driver_never_adopts_foreign_keys_or_recipients() {
    let d = tmpdir();
    let dir = d.path();
    let base = write(dir, "base.tmp", YAML.as_bytes());
    ok(rsops()
        .args([
            "encrypt",
            "-i",
            "--input-type",
            "yaml",
            "--age",
            &recipient(1),
        ])
        .arg(&base));
    let copy = |name: &str| {
        let p = dir.join(name);
        std::fs::copy(&base, &p).unwrap();
        p
    };
    let driver = |o: &Path, t: &Path| {
        run(rs(&["merge-driver"])
            .arg(&base)
            .arg(o)
            .arg(t)
            .arg("s.enc.yaml"))
    };
    // Ours adds a secret; theirs is the plaintext re-encrypted from scratch.
    let o = copy("o.yaml");
    set(&o, "[\"new_secret\"]", "\"hunter3\"");
    let ours_before = std::fs::read(&o).unwrap();
    let plain = write(dir, "p.tmp", YAML.as_bytes());
    let t = dir.join("t.yaml");
    let out = ok(rsops()
        .args([
            "encrypt",
            "--input-type",
            "yaml",
            "--output-type",
            "yaml",
            "--age",
            &recipient(1),
        ])
        .arg(&plain));
    std::fs::write(&t, &out.stdout).unwrap();
    let r = driver(&o, &t);
    let err = String::from_utf8_lossy(&r.stderr);
    assert_eq!(r.status.code(), Some(1), "{err}");
    assert!(err.contains("the data key changed"), "{err}");
    assert_eq!(std::fs::read(&o).unwrap(), ours_before, "ours untouched");
    assert!(!err.contains("hunter3"));

    // Theirs adds a recipient (a normal-looking `rotate --add-age`).
    let t2 = copy("t2.yaml");
    ok(rs(&[
        "rotate",
        "-i",
        "--input-type",
        "yaml",
        "--add-age",
        &recipient(2),
    ])
    .arg(&t2));
    let r = driver(&o, &t2);
    let err = String::from_utf8_lossy(&r.stderr);
    assert_eq!(r.status.code(), Some(1), "{err}");
    assert!(
        err.contains(&format!("recipients added: age {}", recipient(2))),
        "{err}"
    );
    assert_eq!(std::fs::read(&o).unwrap(), ours_before, "ours untouched");

    // Ours changing keys is reported too (either side).
    let (o3, t3) = (copy("o3.yaml"), copy("t3.yaml"));
    ok(rs(&["rotate", "-i", "--input-type", "yaml"]).arg(&o3));
    set(&t3, "[\"port\"]", "9");
    let r = driver(&o3, &t3);
    let err = String::from_utf8_lossy(&r.stderr);
    assert_eq!(r.status.code(), Some(1), "{err}");
    assert!(err.contains("ours changed the keys"), "{err}");
}
