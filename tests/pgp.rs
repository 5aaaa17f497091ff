//! OpenPGP through gpg, both ways with sops 3.11, with a throwaway
//! passphrase-less key made at test time in a private GNUPGHOME.

mod common;
use common::*;
use std::path::{Path, PathBuf};

struct GpgHome {
    dir: tempfile::TempDir,
    fp: String,
}

impl GpgHome {
    fn new() -> GpgHome {
        let dir = tmpdir();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o700)).unwrap();
        }
        let o = std::process::Command::new("gpg")
            .args([
                "--batch",
                "--passphrase",
                "",
                "--quick-gen-key",
                "rsops test (TEST ONLY) <test@example.invalid>",
                "default",
                "default",
                "never",
            ])
            .env("GNUPGHOME", dir.path())
            .output()
            .expect("gpg is needed for these tests (apt install gnupg)");
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let l = std::process::Command::new("gpg")
            .args(["--list-keys", "--with-colons"])
            .env("GNUPGHOME", dir.path())
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&l.stdout);
        let fp = text
            .lines()
            .find_map(|l| {
                l.strip_prefix("fpr:::::::::")
                    .map(|r| r.trim_end_matches(':').to_string())
            })
            .expect("fingerprint");
        GpgHome { dir, fp }
    }
    fn path(&self) -> &Path {
        self.dir.path()
    }
}

impl Drop for GpgHome {
    fn drop(&mut self) {
        let _ = std::process::Command::new("gpgconf")
            .args(["--kill", "gpg-agent"])
            .env("GNUPGHOME", self.dir.path())
            .output();
    }
}

fn input(dir: &Path) -> PathBuf {
    write(
        dir,
        "s.yaml",
        b"user: admin\npassword: hunter2\nnested:\n    num: 1\n",
    )
}

#[test]
fn pgp_files_cross_both_ways() {
    let g = GpgHome::new();
    let d = tmpdir();
    let p = input(d.path());
    let ours = ok(rsops()
        .args(["encrypt", "--pgp", &g.fp])
        .arg(&p)
        .env("GNUPGHOME", g.path()));
    let text = String::from_utf8_lossy(&ours.stdout).to_string();
    assert!(
        text.contains("    pgp:\n        - created_at: \"")
            && text.contains(&format!("          fp: {}\n", g.fp)),
        "{text}"
    );
    let f = write(d.path(), "ours.yaml", &ours.stdout);
    let a = ok(sops().arg("decrypt").arg(&f).env("GNUPGHOME", g.path()));
    assert_eq!(a.stdout, std::fs::read(&p).unwrap());
    let theirs = ok(sops()
        .args(["encrypt", "--pgp", &g.fp])
        .arg(&p)
        .env("GNUPGHOME", g.path()));
    let t = write(d.path(), "theirs.yaml", &theirs.stdout);
    let b = ok(rsops().arg("decrypt").arg(&t).env("GNUPGHOME", g.path()));
    assert_eq!(b.stdout, a.stdout);
    // SOPS_PGP_FP works like --pgp.
    ok(rsops()
        .arg("encrypt")
        .arg(&p)
        .env("SOPS_PGP_FP", &g.fp)
        .env("GNUPGHOME", g.path()));
}

#[test]
fn a_file_for_age_and_pgp_opens_with_either() {
    let g = GpgHome::new();
    let d = tmpdir();
    let p = input(d.path());
    let enc = ok(rsops()
        .args(["encrypt", "--pgp", &g.fp, "--age", &recipient(1)])
        .arg(&p)
        .env("GNUPGHOME", g.path()));
    let f = write(d.path(), "both.yaml", &enc.stdout);
    // age only (an empty GNUPGHOME has no secret key).
    let empty = tmpdir();
    ok(rsops()
        .arg("decrypt")
        .arg(&f)
        .env("SOPS_AGE_KEY_FILE", key_file(1))
        .env("GNUPGHOME", empty.path()));
    ok(sops()
        .arg("decrypt")
        .arg(&f)
        .env("SOPS_AGE_KEY_FILE", key_file(1))
        .env("GNUPGHOME", empty.path()));
    // pgp only.
    ok(rsops().arg("decrypt").arg(&f).env("GNUPGHOME", g.path()));
    ok(sops().arg("decrypt").arg(&f).env("GNUPGHOME", g.path()));
    // Neither: exit 128 and the error names both recipients.
    let o = run(rsops()
        .arg("decrypt")
        .arg(&f)
        .env("GNUPGHOME", empty.path()));
    assert_eq!(o.status.code(), Some(128));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains(&g.fp) && err.contains(&recipient(1)), "{err}");
}

#[test]
fn pgp_errors_are_clear() {
    let g = GpgHome::new();
    let d = tmpdir();
    let p = input(d.path());
    // Unknown fingerprint.
    let o = run(rsops()
        .args([
            "encrypt",
            "--pgp",
            "0000000000000000000000000000000000000000",
        ])
        .arg(&p)
        .env("GNUPGHOME", g.path()));
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("0000000000000000000000000000000000000000"));
    // gpg missing.
    let o = run(rsops()
        .args(["encrypt", "--pgp", &g.fp])
        .arg(&p)
        .env("GNUPGHOME", g.path())
        .env("SOPS_GPG_EXEC", "/nonexistent/gpg"));
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("not found"));
}
