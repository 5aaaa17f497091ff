//! Which files a directory stands for: one walk (src/walk.rs) for `check`,
//! `encrypt`/`decrypt`/`rotate -i --recursive` and `updatekeys
//! --recursive` (`publish --recursive` is in tests/publish.rs). A git
//! repository with gitignored plaintext and an ignored directory, hidden
//! files, `.git`, nested directories, a link loop and links to files inside
//! and outside the tree goes through every command: each touches exactly
//! the same files.

mod common;
use common::*;
use std::path::{Path, PathBuf};

const PLAIN: &str = "db:\n    user: admin\n    password: hunter2\n";

/// The files every command must find (relative to the repository).
const FOUND: [&str; 4] = [
    ".config/app.yaml",
    ".env",
    "app.yaml",
    "secrets/deep/er/db.yaml",
];

struct Repo {
    _dir: tempfile::TempDir,
    repo: PathBuf,
    outside: PathBuf,
}

fn put(dir: &Path, rel: &str, text: &[u8]) -> PathBuf {
    let p = dir.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(&p, text).unwrap();
    p
}

fn encrypted(plain: &str) -> Vec<u8> {
    let d = tmpdir();
    let p = put(d.path(), "x.yaml", plain.as_bytes());
    ok(rsops().args(["encrypt", "--age", &recipient(1)]).arg(&p)).stdout
}

fn setup() -> Repo {
    let dir = tmpdir();
    let repo = dir.path().join("repo");
    let r = &repo;
    std::fs::create_dir_all(r.join(".git")).unwrap();
    put(
        r,
        ".sops.yaml",
        format!(
            "creation_rules:\n  - path_regex: (^|/)(\\.env|[^/]*\\.yaml)$\n    age: {}\n",
            recipient(1)
        )
        .as_bytes(),
    );
    put(r, ".gitignore", b"*.dec.yaml\n/build/\n");
    put(r, ".env", b"PASSWORD=hunter2\n");
    put(r, ".config/app.yaml", PLAIN.as_bytes());
    put(r, "app.yaml", PLAIN.as_bytes());
    put(r, "secrets/deep/er/db.yaml", PLAIN.as_bytes());
    // Never to be touched: gitignored plaintext, an ignored directory (with
    // an encrypted file too), the inside of .git, links.
    put(r, "secrets/prod.dec.yaml", PLAIN.as_bytes());
    put(r, "build/out.yaml", PLAIN.as_bytes());
    put(r, "build/enc.yaml", &encrypted(PLAIN));
    put(r, ".git/x.yaml", PLAIN.as_bytes());
    let outside = put(dir.path(), "outside/far.yaml", &encrypted(PLAIN));
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(r, r.join("secrets/loop")).unwrap();
        std::os::unix::fs::symlink(&outside, r.join("far.yaml")).unwrap();
        std::os::unix::fs::symlink(r.join("app.yaml"), r.join("secrets/app-link.yaml")).unwrap();
        std::os::unix::fs::symlink(dir.path().join("outside"), r.join("outside")).unwrap();
    }
    Repo {
        _dir: dir,
        repo,
        outside,
    }
}

impl Repo {
    fn cmd(&self, key: u32, args: &[&str]) -> std::process::Output {
        run(rsops()
            .current_dir(&self.repo)
            .env("SOPS_AGE_KEY_FILE", key_file(key))
            .args(args))
    }

    fn read(&self, rel: &str) -> Vec<u8> {
        std::fs::read(self.repo.join(rel)).unwrap()
    }

    fn is_encrypted(&self, rel: &str) -> bool {
        String::from_utf8_lossy(&self.read(rel)).contains("ENC[AES256_GCM")
    }

    /// Nothing outside FOUND changed.
    fn untouched(&self, build_enc: &[u8], far: &[u8]) {
        for rel in ["secrets/prod.dec.yaml", "build/out.yaml", ".git/x.yaml"] {
            assert_eq!(self.read(rel), PLAIN.as_bytes(), "{rel} was touched");
        }
        assert_eq!(self.read("build/enc.yaml"), build_enc, "build/enc.yaml");
        assert_eq!(std::fs::read(&self.outside).unwrap(), far, "outside file");
        assert!(self.read(".sops.yaml").starts_with(b"creation_rules:"));
        assert_eq!(self.read(".gitignore"), b"*.dec.yaml\n/build/\n");
    }
}

fn err(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn out(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn every_command_walks_the_same_files() {
    let r = setup();
    let build_enc = r.read("build/enc.yaml");
    let far = std::fs::read(&r.outside).unwrap();

    // check, everything in plaintext: exactly the four files fail.
    let o = r.cmd(1, &["check"]);
    assert_eq!(o.status.code(), Some(1), "{}", err(&o));
    let failed: Vec<String> = out(&o)
        .lines()
        .filter_map(|l| l.strip_prefix("FAILED "))
        .map(|l| l.split(':').next().unwrap().to_string())
        .collect();
    assert_eq!(failed, FOUND, "{}", out(&o));

    // encrypt -i --recursive: the same four.
    let o = r.cmd(1, &["encrypt", "-i", "--recursive", "."]);
    assert!(o.status.success(), "{}", err(&o));
    assert!(
        err(&o).contains("4 file(s): 4 encrypted, 0 failed"),
        "{}",
        err(&o)
    );
    for f in FOUND {
        assert!(r.is_encrypted(f), "{f} not encrypted");
    }
    r.untouched(&build_enc, &far);

    // check with the key: all four verified.
    let o = r.cmd(1, &["check"]);
    assert_eq!(o.status.code(), Some(0), "{}", out(&o));
    assert!(
        out(&o).contains("4 files checked: 4 ok (4 with the MAC verified"),
        "{}",
        out(&o)
    );

    // rotate -i --recursive: the four encrypted files, not the encrypted
    // file in the ignored directory, nor the one behind the link.
    let before = r.read("app.yaml");
    let o = r.cmd(1, &["rotate", "-i", "--recursive", "."]);
    assert!(o.status.success(), "{}", err(&o));
    assert!(
        err(&o).contains("4 file(s): 4 rotated, 0 failed"),
        "{}",
        err(&o)
    );
    assert_ne!(r.read("app.yaml"), before);
    r.untouched(&build_enc, &far);

    // updatekeys --recursive: a second recipient for the four.
    let cfg = String::from_utf8(r.read(".sops.yaml")).unwrap();
    std::fs::write(
        r.repo.join(".sops.yaml"),
        cfg.replace(&recipient(1), &format!("{},{}", recipient(1), recipient(2))),
    )
    .unwrap();
    let o = r.cmd(1, &["updatekeys", "--yes", "--recursive", "."]);
    assert!(o.status.success(), "{}", err(&o));
    for f in FOUND {
        let o = r.cmd(2, &["decrypt", f]);
        assert!(o.status.success(), "{f}: {}", err(&o));
    }
    let o = r.cmd(2, &["decrypt", "build/enc.yaml"]);
    assert!(
        !o.status.success(),
        "the ignored file got the new recipient"
    );
    std::fs::write(r.repo.join(".sops.yaml"), cfg).unwrap();
    r.untouched(&build_enc, &far);

    // decrypt -i --recursive: the four again, back to plaintext.
    let o = r.cmd(1, &["decrypt", "-i", "--recursive", "."]);
    assert!(o.status.success(), "{}", err(&o));
    assert!(
        err(&o).contains("4 file(s): 4 decrypted, 0 failed"),
        "{}",
        err(&o)
    );
    assert_eq!(r.read("app.yaml"), PLAIN.as_bytes());
    assert_eq!(r.read(".env"), b"PASSWORD=hunter2\n");
    r.untouched(&build_enc, &far);
}

/// A directory named on the command line is walked even when it is
/// ignored itself; a file named is taken even when ignored.
#[test]
fn named_paths_are_taken_even_when_ignored() {
    let r = setup();
    let o = r.cmd(1, &["check", "build", "secrets/prod.dec.yaml"]);
    assert_eq!(o.status.code(), Some(1));
    let failed: Vec<String> = out(&o)
        .lines()
        .filter_map(|l| l.strip_prefix("FAILED "))
        .map(|l| l.split(':').next().unwrap().to_string())
        .collect();
    assert_eq!(
        failed,
        ["build/out.yaml", "secrets/prod.dec.yaml"],
        "{}",
        out(&o)
    );
    let o = r.cmd(1, &["decrypt", "-i", "--recursive", "build"]);
    assert!(o.status.success(), "{}", err(&o));
    assert_eq!(r.read("build/enc.yaml"), PLAIN.as_bytes());
}

/// Outside a git repository, .gitignore files mean nothing (as for git):
/// the gitignored plaintext is then found; .git-less trees still skip
/// links.
#[test]
fn gitignore_needs_a_repository() {
    let r = setup();
    std::fs::remove_dir_all(r.repo.join(".git")).unwrap();
    let o = r.cmd(1, &["check"]);
    let o = out(&o);
    assert!(o.contains("FAILED secrets/prod.dec.yaml"), "{o}");
    assert!(o.contains("FAILED build/out.yaml"), "{o}");
    assert!(!o.contains("far.yaml") && !o.contains("app-link"), "{o}");
}

/// git's global excludes (`$XDG_CONFIG_HOME/git/ignore`) count inside a
/// repository, as for git.
#[test]
fn git_global_excludes_apply() {
    let r = setup();
    let xdg = tmpdir();
    put(xdg.path(), "git/ignore", b"/secrets/deep/\n");
    let o = run(rsops()
        .current_dir(&r.repo)
        .env("XDG_CONFIG_HOME", xdg.path())
        .arg("check"));
    let failed: Vec<String> = out(&o)
        .lines()
        .filter_map(|l| l.strip_prefix("FAILED "))
        .map(|l| l.split(':').next().unwrap().to_string())
        .collect();
    assert_eq!(failed, FOUND[..3], "{}", out(&o));
}
