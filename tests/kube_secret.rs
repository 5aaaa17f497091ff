//! `rsops secret generic` against kubectl: for the same plaintext, rsops'
//! output from the encrypted files equals `kubectl create secret generic …
//! --dry-run=client -o yaml` (labels and annotations as `kubectl label
//! --local` and `kubectl annotate --local` add them). The encrypted inputs
//! are testdata/kube/enc (the real sops, test-only age key); kubectl gets
//! their decryption, written to a temporary directory by the test.

mod common;
use common::*;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

fn need_kubectl() {
    let found = Command::new("kubectl")
        .args(["version", "--client"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok();
    assert!(
        found,
        "`kubectl` is not installed: these tests compare with `kubectl create secret generic`. Install the package kubectl (on this project's machines it comes with the machine image)"
    );
}

fn enc(name: &str) -> PathBuf {
    testdata().join("kube/enc").join(name)
}

/// The plaintext of an encrypted fixture, written under `dir` as `name`.
fn plain(dir: &Path, encrypted: &str, name: &str) -> PathBuf {
    let o = ok(rsops()
        .env("SOPS_AGE_KEY_FILE", key_file(1))
        .arg("decrypt")
        .arg(enc(encrypted)));
    write(dir, name, &o.stdout)
}

fn rsops_secret(args: &[String]) -> std::process::Output {
    run(rsops()
        .env("SOPS_AGE_KEY_FILE", key_file(1))
        .args(["secret", "generic"])
        .args(args))
}

fn kubectl(args: &[String]) -> String {
    let o = Command::new("kubectl")
        .args(["create", "secret", "generic"])
        .args(args)
        .args(["--dry-run=client", "-o", "yaml"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8(o.stdout).unwrap()
}

fn kubectl_pipe(input: &str, args: &[&str]) -> String {
    use std::io::Write;
    let mut child = Command::new("kubectl")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let o = child.wait_with_output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8(o.stdout).unwrap()
}

fn strs(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

#[test]
fn secret_equals_kubectl_for_the_same_plaintext() {
    need_kubectl();
    let d = tmpdir();
    let p = d.path();
    let notes = plain(p, "notes.txt", "notes.txt");
    let blob = plain(p, "blob.bin", "blob.bin");
    let json = plain(p, "config.enc.json", "config.json");
    let env = plain(p, "kubectl.enc.env", "kubectl.env");
    // A directory of plaintext files, and the same names encrypted.
    let pdir = d.path().join("pdir");
    let edir = d.path().join("edir");
    std::fs::create_dir_all(&pdir).unwrap();
    std::fs::create_dir_all(&edir).unwrap();
    plain(&pdir, "notes.txt", "notes.txt");
    plain(&pdir, "blob.bin", "blob.bin");
    std::fs::copy(enc("notes.txt"), edir.join("notes.txt")).unwrap();
    std::fs::copy(enc("blob.bin"), edir.join("blob.bin")).unwrap();
    let e = |n: &str| enc(n).display().to_string();
    let s = |p: &Path| p.display().to_string();
    let cases: Vec<(Vec<String>, Vec<String>)> = vec![
        (
            strs(&["s1", "--from-file", &e("notes.txt")]),
            strs(&["s1", "--from-file", &s(&notes)]),
        ),
        (
            vec![
                "s2".into(),
                "--from-file".into(),
                format!("config.json={}", e("config.enc.json")),
                "--from-file".into(),
                format!("raw={}", e("blob.bin")),
                "--type".into(),
                "kubernetes.io/tls".into(),
                "-n".into(),
                "prod".into(),
            ],
            vec![
                "s2".into(),
                "--from-file".into(),
                format!("config.json={}", s(&json)),
                "--from-file".into(),
                format!("raw={}", s(&blob)),
                "--type".into(),
                "kubernetes.io/tls".into(),
                "-n".into(),
                "prod".into(),
            ],
        ),
        (
            strs(&["s3", "--from-env-file", &e("kubectl.enc.env")]),
            strs(&["s3", "--from-env-file", &s(&env)]),
        ),
        (
            strs(&["s4", "--from-file", &s(&edir)]),
            strs(&["s4", "--from-file", &s(&pdir)]),
        ),
    ];
    for (ours, theirs) in cases {
        let o = rsops_secret(&ours);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        assert_eq!(
            String::from_utf8_lossy(&o.stdout),
            kubectl(&theirs),
            "{ours:?}"
        );
    }
    // Labels and annotations, as kubectl label/annotate add them.
    let o = rsops_secret(&strs(&[
        "s5",
        "--from-file",
        &e("notes.txt"),
        "--label",
        "app=web",
        "--label",
        "tier=db",
        "--annotation",
        "owner=ops",
    ]));
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let base = kubectl(&strs(&["s5", "--from-file", &s(&notes)]));
    let labelled = kubectl_pipe(
        &base,
        &[
            "label", "--local", "-f", "-", "app=web", "tier=db", "-o", "yaml",
        ],
    );
    let annotated = kubectl_pipe(
        &labelled,
        &["annotate", "--local", "-f", "-", "owner=ops", "-o", "yaml"],
    );
    assert_eq!(String::from_utf8_lossy(&o.stdout), annotated);
}

/// `--from-keys`: one data key per top-level key, as kubectl's
/// `--from-literal` would give for the same values.
#[test]
fn secret_from_keys() {
    need_kubectl();
    let o = rsops_secret(&strs(&[
        "s",
        "--from-keys",
        &enc("config.enc.json").display().to_string(),
    ]));
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let want = kubectl(&strs(&[
        "s",
        "--from-literal=user=admin",
        "--from-literal=password=hunter2",
        "--from-literal=port=5432",
    ]));
    assert_eq!(String::from_utf8_lossy(&o.stdout), want);
    // A manifest's top-level keys include maps, written in its format.
    let o = rsops_secret(&strs(&[
        "s",
        "--from-keys",
        &enc("secret-a.enc.yaml").display().to_string(),
    ]));
    assert!(o.status.success());
    let out = String::from_utf8_lossy(&o.stdout).into_owned();
    // stringData: "token: tok-a\n"
    assert!(
        out.contains("  stringData: dG9rZW46IHRvay1hCg==\n"),
        "{out}"
    );
}

/// Errors: kubectl's texts for keys, rsops' for decryption; nothing on stdout.
#[test]
fn secret_errors() {
    let e = |n: &str| enc(n).display().to_string();
    for (args, code, want) in [
        (
            strs(&[
                "s",
                "--from-file",
                &e("notes.txt"),
                "--from-file",
                &e("notes.txt"),
            ]),
            1,
            "cannot add key notes.txt, another key by that name already exists",
        ),
        (
            strs(&["s", "--from-file", &format!("bad key={}", e("notes.txt"))]),
            1,
            "\"bad key\" is not valid key name for a Secret",
        ),
        (
            strs(&["s", "--from-file", &format!("a=b={}", e("notes.txt"))]),
            8,
            "cannot contain '='",
        ),
        (strs(&["s"]), 8, "give at least one --from-file"),
        (
            strs(&["s", "--from-file", "/nonexistent/x.yaml"]),
            2,
            "error reading /nonexistent/x.yaml",
        ),
        (
            strs(&["s", "--from-keys", &e("blob.bin")]),
            1,
            "only YAML, JSON, dotenv and INI files have top-level keys",
        ),
    ] {
        let o = rsops_secret(&args);
        assert_eq!(
            o.status.code(),
            Some(code),
            "{args:?}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        assert!(o.stdout.is_empty());
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains(want), "{args:?}: {err}");
    }
    // No identity: rsops' message, the file named, its exit code.
    let o = run(rsops()
        .args(["secret", "generic", "s", "--from-env-file"])
        .arg(enc("app.enc.env")));
    assert_eq!(o.status.code(), Some(128));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("app.enc.env: Failed to get the data key"),
        "{err}"
    );
    assert!(err.contains("looked in"), "{err}");
    assert!(o.stdout.is_empty());
}

/// Keys that come from decrypted text are plaintext: errors name the file
/// and line, never the text (kubectl quotes it).
#[test]
fn secret_errors_never_quote_decrypted_text() {
    let d = tmpdir();
    let p = write(d.path(), "bad.env", b"OK=1\nTOP SECRET=1\n");
    ok(rsops()
        .current_dir(d.path())
        .args(["encrypt", "-i", "--age", &recipient(1)])
        .arg(&p));
    let o = run(rsops()
        .env("SOPS_AGE_KEY_FILE", key_file(1))
        .current_dir(d.path())
        .args(["secret", "generic", "s", "--from-env-file", "bad.env"]));
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("env file bad.env, line 2"), "{err}");
    assert!(!err.contains("TOP SECRET"), "{err}");
    assert!(o.stdout.is_empty());
}
