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
        GpgHome::with("default", "never", "")
    }

    /// A home with one key: `algo` as gpg's --quick-gen-key takes it
    /// (`default` is RSA on GnuPG 2.2, `future-default` ed25519/cv25519).
    fn with(algo: &str, expire: &str, passphrase: &str) -> GpgHome {
        let dir = tmpdir();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o700)).unwrap();
        }
        let o = std::process::Command::new("gpg")
            .args([
                "--batch",
                "--pinentry-mode",
                "loopback",
                "--passphrase",
                passphrase,
                "--quick-gen-key",
                "rsops test (TEST ONLY) <test@example.invalid>",
                algo,
                "default",
                expire,
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

    #[cfg(feature = "pgp-builtin")]
    fn gpg(&self, args: &[&str]) -> Vec<u8> {
        let o = std::process::Command::new("gpg")
            .args(["--batch", "--pinentry-mode", "loopback", "--passphrase", ""])
            .args(args)
            .env("GNUPGHOME", self.path())
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        o.stdout
    }

    /// The secret key, armored, as a CI secret would hold it.
    #[cfg(feature = "pgp-builtin")]
    fn secret_armored(&self) -> String {
        String::from_utf8(self.gpg(&["--export-secret-keys", "--armor", &self.fp])).unwrap()
    }

    /// A GnuPG home laid out as GnuPG 1.x left it: secring.gpg and
    /// pubring.gpg, the files sops' own built-in OpenPGP path reads.
    #[cfg(feature = "pgp-builtin")]
    fn legacy_home(&self) -> tempfile::TempDir {
        let d = tmpdir();
        std::fs::write(
            d.path().join("secring.gpg"),
            self.gpg(&["--export-secret-keys", &self.fp]),
        )
        .unwrap();
        std::fs::write(
            d.path().join("pubring.gpg"),
            self.gpg(&["--export", &self.fp]),
        )
        .unwrap();
        d
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
    // gpg missing: the built-in path takes over (the public key is in
    // pubring.kbx) unless gpg is forced; a build without it names the
    // feature it lacks.
    let mut c = rsops();
    c.args(["encrypt", "--pgp", &g.fp])
        .arg(&p)
        .env("GNUPGHOME", g.path())
        .env("SOPS_GPG_EXEC", "/nonexistent/gpg");
    if cfg!(feature = "pgp-builtin") {
        ok(&mut c);
    } else {
        let o = run(&mut c);
        assert_eq!(o.status.code(), Some(1));
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(
            err.contains("not found")
                && err.contains(
                    "built-in OpenPGP: this rsops was built without the `pgp-builtin` feature"
                ),
            "{err}"
        );
    }
    let o = run(rsops()
        .args(["encrypt", "--pgp", &g.fp])
        .arg(&p)
        .env("GNUPGHOME", g.path())
        .env("RSOPS_PGP_BACKEND", "gpg")
        .env("SOPS_GPG_EXEC", "/nonexistent/gpg"));
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("not found"));
}

/// The decrypted YAML of `f` by sops with the given environment.
#[cfg(feature = "pgp-builtin")]
fn sops_decrypts(f: &Path, env: &[(&str, &Path)]) -> Vec<u8> {
    let mut c = sops();
    c.arg("decrypt").arg(f);
    for (k, v) in env {
        c.env(k, v);
    }
    ok(&mut c).stdout
}

#[test]
#[cfg(feature = "pgp-builtin")]
fn builtin_path_without_gpg_crosses_both_ways_with_sops() {
    for algo in ["default", "future-default"] {
        let g = GpgHome::with(algo, "never", "");
        let d = tmpdir();
        let p = input(d.path());
        let plain = std::fs::read(&p).unwrap();
        let empty = tmpdir();
        let key = g.secret_armored();
        // No gpg at all, the key in an environment variable (auto falls
        // back to the built-in path).
        let enc = ok(rsops()
            .args(["encrypt", "--pgp", &g.fp])
            .arg(&p)
            .env("SOPS_GPG_EXEC", "/nonexistent/gpg")
            .env("GNUPGHOME", empty.path())
            .env("RSOPS_PGP_KEY", &key));
        let f = write(d.path(), "ours.yaml", &enc.stdout);
        let text = String::from_utf8_lossy(&enc.stdout);
        assert!(
            text.contains("-----BEGIN PGP MESSAGE-----") && text.contains(&format!("fp: {}", g.fp)),
            "{text}"
        );
        // sops opens it through gpg …
        assert_eq!(
            sops_decrypts(&f, &[("GNUPGHOME", g.path())]),
            plain,
            "{algo}"
        );
        // … and through its own OpenPGP code (legacy keyrings, gpg refused).
        let legacy = g.legacy_home();
        assert_eq!(
            sops_decrypts(
                &f,
                &[
                    ("GNUPGHOME", legacy.path()),
                    ("SOPS_GPG_EXEC", Path::new("/bin/false"))
                ]
            ),
            plain,
            "{algo}"
        );
        // A file sops wrote with gpg opens here without gpg, key from a
        // variable or a file.
        let theirs = ok(sops()
            .args(["encrypt", "--pgp", &g.fp])
            .arg(&p)
            .env("GNUPGHOME", g.path()));
        let t = write(d.path(), "theirs.yaml", &theirs.stdout);
        let out = ok(rsops()
            .arg("decrypt")
            .arg(&t)
            .env("SOPS_GPG_EXEC", "/nonexistent/gpg")
            .env("GNUPGHOME", empty.path())
            .env("RSOPS_PGP_KEY", &key));
        assert_eq!(out.stdout, plain, "{algo}");
        let kf = write(d.path(), "key.asc", key.as_bytes());
        let out = ok(rsops()
            .arg("decrypt")
            .arg(&t)
            .env("RSOPS_PGP_BACKEND", "builtin")
            .env("GNUPGHOME", empty.path())
            .env("RSOPS_PGP_KEY_FILE", &kf));
        assert_eq!(out.stdout, plain, "{algo}");
    }
}

#[test]
#[cfg(feature = "pgp-builtin")]
fn builtin_path_reads_the_keyrings_sops_reads() {
    let g = GpgHome::new();
    let d = tmpdir();
    let p = input(d.path());
    let plain = std::fs::read(&p).unwrap();
    let legacy = g.legacy_home();
    // sops' built-in path (gpg refused) writes a file from pubring.gpg …
    let theirs = ok(sops()
        .args(["encrypt", "--pgp", &g.fp])
        .arg(&p)
        .env("GNUPGHOME", legacy.path())
        .env("SOPS_GPG_EXEC", "/bin/false"));
    let t = write(d.path(), "theirs.yaml", &theirs.stdout);
    // … which rsops' built-in path opens from secring.gpg.
    let out = ok(rsops()
        .arg("decrypt")
        .arg(&t)
        .env("RSOPS_PGP_BACKEND", "builtin")
        .env("GNUPGHOME", legacy.path()));
    assert_eq!(out.stdout, plain);
    // The built-in path encrypts from a GnuPG 2.1+ keybox (pubring.kbx);
    // gpg (forced) decrypts the result.
    let enc = ok(rsops()
        .args(["encrypt", "--pgp", &g.fp])
        .arg(&p)
        .env("RSOPS_PGP_BACKEND", "builtin")
        .env("GNUPGHOME", g.path()));
    let f = write(d.path(), "ours.yaml", &enc.stdout);
    let out = ok(rsops()
        .arg("decrypt")
        .arg(&f)
        .env("RSOPS_PGP_BACKEND", "gpg")
        .env("GNUPGHOME", g.path()));
    assert_eq!(out.stdout, plain);
    // Forcing gpg when it is missing fails, naming only gpg.
    let o = run(rsops()
        .arg("decrypt")
        .arg(&f)
        .env("RSOPS_PGP_BACKEND", "gpg")
        .env("SOPS_GPG_EXEC", "/nonexistent/gpg")
        .env("GNUPGHOME", legacy.path()));
    assert_eq!(o.status.code(), Some(128));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("not found") && !err.contains("built-in"),
        "{err}"
    );
}

#[test]
#[cfg(feature = "pgp-builtin")]
fn builtin_path_with_age_and_pgp_recipients() {
    let g = GpgHome::new();
    let d = tmpdir();
    let p = input(d.path());
    let plain = std::fs::read(&p).unwrap();
    let empty = tmpdir();
    let enc = ok(rsops()
        .args(["encrypt", "--pgp", &g.fp, "--age", &recipient(1)])
        .arg(&p)
        .env("RSOPS_PGP_BACKEND", "builtin")
        .env("GNUPGHOME", g.path()));
    let f = write(d.path(), "both.yaml", &enc.stdout);
    assert_eq!(
        sops_decrypts(
            &f,
            &[
                ("SOPS_AGE_KEY_FILE", &key_file(1)),
                ("GNUPGHOME", empty.path())
            ]
        ),
        plain
    );
    assert_eq!(sops_decrypts(&f, &[("GNUPGHOME", g.path())]), plain);
    let out = ok(rsops()
        .arg("decrypt")
        .arg(&f)
        .env("RSOPS_PGP_BACKEND", "builtin")
        .env("GNUPGHOME", empty.path())
        .env("RSOPS_PGP_KEY", g.secret_armored()));
    assert_eq!(out.stdout, plain);
}

#[test]
#[cfg(feature = "pgp-builtin")]
fn builtin_path_errors_are_clear() {
    let d = tmpdir();
    let p = input(d.path());
    let empty = tmpdir();
    let builtin = |c: &mut std::process::Command| {
        c.env("RSOPS_PGP_BACKEND", "builtin")
            .env("GNUPGHOME", empty.path());
    };
    // Unknown fingerprint: exit 1 as sops ("could not generate data key").
    let mut c = rsops();
    c.args([
        "encrypt",
        "--pgp",
        "0000000000000000000000000000000000000000",
    ])
    .arg(&p);
    builtin(&mut c);
    let o = run(&mut c);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("no public key with fingerprint 0000000000000000000000000000000000000000")
            && err.contains("RSOPS_PGP_KEY"),
        "{err}"
    );

    // Expired key.
    let exp = GpgHome::with("default", "seconds=1", "");
    std::thread::sleep(std::time::Duration::from_secs(2));
    let mut c = rsops();
    c.args(["encrypt", "--pgp", &exp.fp])
        .arg(&p)
        .env("RSOPS_PGP_KEY", exp.secret_armored());
    builtin(&mut c);
    let o = run(&mut c);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("expired on"), "{err}");

    // Revoked key: import the revocation gpg made at key creation.
    let rev = GpgHome::new();
    let cert = rev
        .path()
        .join("openpgp-revocs.d")
        .join(format!("{}.rev", rev.fp));
    let text = std::fs::read_to_string(&cert)
        .unwrap()
        .replace(":-----BEGIN", "-----BEGIN");
    let rf = write(d.path(), "rev.asc", text.as_bytes());
    rev.gpg(&["--import", rf.to_str().unwrap()]);
    let mut c = rsops();
    c.args(["encrypt", "--pgp", &rev.fp]).arg(&p).env(
        "RSOPS_PGP_KEY",
        String::from_utf8(rev.gpg(&["--export", "--armor", &rev.fp])).unwrap(),
    );
    builtin(&mut c);
    let o = run(&mut c);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("is revoked"), "{err}");

    // A passphrase-protected secret key: no prompt, a pointer to gpg.
    let locked = GpgHome::with("default", "never", "correct horse");
    let enc = ok(rsops()
        .args(["encrypt", "--pgp", &locked.fp])
        .arg(&p)
        .env("GNUPGHOME", locked.path()));
    let f = write(d.path(), "locked.yaml", &enc.stdout);
    let exported = std::process::Command::new("gpg")
        .args([
            "--batch",
            "--pinentry-mode",
            "loopback",
            "--passphrase",
            "correct horse",
        ])
        .args(["--export-secret-keys", "--armor", &locked.fp])
        .env("GNUPGHOME", locked.path())
        .output()
        .unwrap();
    assert!(exported.status.success());
    let mut c = rsops();
    c.arg("decrypt")
        .arg(&f)
        .env("RSOPS_PGP_KEY", String::from_utf8(exported.stdout).unwrap());
    builtin(&mut c);
    let o = run(&mut c);
    assert_eq!(o.status.code(), Some(128));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("protected by a passphrase") && err.contains("gpg"),
        "{err}"
    );
    assert!(!err.contains("correct horse"));

    // A wrong secret key: the message's recipients are named.
    let other = GpgHome::new();
    let mut c = rsops();
    c.arg("decrypt")
        .arg(&f)
        .env("RSOPS_PGP_KEY", other.secret_armored());
    builtin(&mut c);
    let o = run(&mut c);
    assert_eq!(o.status.code(), Some(128));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("no secret key for this message"), "{err}");

    // An unknown backend name.
    let o = run(rsops()
        .args(["encrypt", "--pgp", &other.fp])
        .arg(&p)
        .env("RSOPS_PGP_BACKEND", "pgpme"));
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("RSOPS_PGP_BACKEND"));
}

/// sops' Go OpenPGP code wrote RSA session keys as MPIs with leading zero
/// bits (sops' own test files have them); gpg reads them, sequoia's parser
/// refuses them. The structure check before gpg reads packet headers only,
/// so such files decrypt through gpg as they do with sops. (The message is
/// made with sequoia: run with the `pgp-builtin` feature; the header walk
/// under test is the same in every build.)
#[cfg(feature = "pgp-builtin")]
#[test]
fn pgp_session_keys_with_leading_zero_bits_decrypt_through_gpg() {
    use openpgp::parse::Parse;
    use sequoia_openpgp as openpgp;
    use std::io::{Read, Write};
    let g = GpgHome::with("rsa2048", "never", "");
    // An RSA encryption subkey (the primary key only signs).
    g.gpg(&["--quick-add-key", &g.fp, "rsa2048", "encr", "never"]);
    let d = tmpdir();
    let p = input(d.path());
    let text = String::from_utf8(
        ok(rsops()
            .args(["encrypt", "--pgp", &g.fp])
            .arg(&p)
            .env("GNUPGHOME", g.path()))
        .stdout,
    )
    .unwrap();
    // The armored message of the pgp entry (a `|-` block, 12 spaces in).
    let start = text.find("-----BEGIN PGP MESSAGE-----").unwrap();
    let end = text.find("-----END PGP MESSAGE-----").unwrap() + "-----END PGP MESSAGE-----".len();
    let armored: String = text[start..end]
        .lines()
        .map(|l| format!("{}\n", l.trim_start()))
        .collect();
    let mut bin = Vec::new();
    openpgp::armor::Reader::from_bytes(
        armored.as_bytes(),
        openpgp::armor::ReaderMode::Tolerant(None),
    )
    .read_to_end(&mut bin)
    .unwrap();
    // The first packet: the PKESK (tag 1), in either header format.
    let ctb = bin[0];
    let (tag, body_at, len) = if ctb & 0x40 == 0 {
        let n = [1usize, 2, 4][(ctb & 3) as usize];
        let len = bin[1..1 + n]
            .iter()
            .fold(0usize, |a, &b| (a << 8) | b as usize);
        ((ctb >> 2) & 0x0f, 1 + n, len)
    } else if bin[1] < 192 {
        (ctb & 0x3f, 2, bin[1] as usize)
    } else {
        (
            ctb & 0x3f,
            3,
            ((bin[1] as usize - 192) << 8) + bin[2] as usize + 192,
        )
    };
    assert_eq!(tag, 1);
    let body = &bin[body_at..body_at + len];
    assert_eq!((body[0], body[9]), (3, 1), "a v3 PKESK for RSA");
    let nbytes = body[12..].len();
    // The same value with one more (zero) byte, its bit count saying so.
    let mut padded = body[..10].to_vec();
    padded.extend((((nbytes + 1) * 8) as u16).to_be_bytes());
    padded.push(0);
    padded.extend(&body[12..]);
    let mut msg = vec![0xc0 | 1, 0xff];
    msg.extend((padded.len() as u32).to_be_bytes());
    msg.extend(&padded);
    msg.extend(&bin[body_at + len..]);
    assert!(
        openpgp::parse::PacketParser::from_bytes(&msg).is_err(),
        "sequoia reads it now: this test no longer checks the header-only path"
    );
    let mut rearmored = Vec::new();
    {
        let mut w =
            openpgp::armor::Writer::new(&mut rearmored, openpgp::armor::Kind::Message).unwrap();
        w.write_all(&msg).unwrap();
        w.finalize().unwrap();
    }
    let block: String = String::from_utf8(rearmored)
        .unwrap()
        .trim_end()
        .lines()
        .map(|l| {
            if l.is_empty() {
                String::new()
            } else {
                format!("            {l}")
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    let line_start = text[..start].rfind('\n').unwrap() + 1;
    let patched = format!("{}{}{}", &text[..line_start], block, &text[end..]);
    let f = write(d.path(), "padded.yaml", patched.as_bytes());
    let o = ok(rsops().arg("decrypt").arg(&f).env("GNUPGHOME", g.path()));
    assert_eq!(o.stdout, std::fs::read(&p).unwrap());
    let o = ok(sops().arg("decrypt").arg(&f).env("GNUPGHOME", g.path()));
    assert_eq!(o.stdout, std::fs::read(&p).unwrap());
}
