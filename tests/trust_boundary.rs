//! The trust boundary (SECURITY.md, "Threat model"): an encrypted file may
//! be written by an attacker, and the commands that read or replace it must
//! not leak what they hold. Each test plays the attacker (or the unlucky
//! user) against the built binary.

mod common;
use common::*;

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

fn stderr(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn encrypt_yaml(dir: &Path, name: &str, yaml: &str) -> std::path::PathBuf {
    let p = write(dir, name, yaml.as_bytes());
    ok(rsops()
        .args(["encrypt", "-i", "--age", &recipient(1)])
        .arg(&p));
    p
}

#[cfg(unix)]
fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions.
    unsafe { libc::geteuid() == 0 }
}

/// The longest run of hexadecimal digits in `s`.
fn longest_hex_run(s: &str) -> usize {
    let (mut best, mut cur) = (0, 0);
    for c in s.chars() {
        if c.is_ascii_hexdigit() {
            cur += 1;
            best = best.max(cur);
        } else {
            cur = 0;
        }
    }
    best
}

/// An attacker strips a file down (here: drops one entry) and reads the CI
/// log: the MAC error must say which file and that the MAC does not match,
/// and print no digest (the computed one is an unsalted SHA-512 of the
/// remaining plaintext values, which would allow offline guessing).
#[test]
fn a_mac_mismatch_names_the_file_and_prints_no_digest() {
    let d = tmpdir();
    let p = encrypt_yaml(d.path(), "s.yaml", "pin: \"4711\"\nother: x\n");
    let text = std::fs::read_to_string(&p).unwrap();
    let stripped: String = text
        .lines()
        .filter(|l| !l.starts_with("other:"))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(&p, stripped).unwrap();
    let o = run(rsops()
        .arg("decrypt")
        .arg(&p)
        .env("SOPS_AGE_KEY_FILE", key_file(1)));
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(51), "{err}");
    assert!(err.contains("MAC mismatch"), "{err}");
    assert!(err.contains(&p.display().to_string()), "{err}");
    assert!(longest_hex_run(&err) < 32, "a digest is printed: {err}");
    assert!(o.stdout.is_empty());
}

/// Equal values in one list are independent values: re-encrypting after a
/// `set` elsewhere must not give them one ciphertext (which would show that
/// they are equal); each keeps its own.
#[test]
fn equal_list_elements_never_share_a_ciphertext() {
    let d = tmpdir();
    let p = encrypt_yaml(d.path(), "s.yaml", "codes:\n- same\n- same\n- same\nn: 1\n");
    let encs = |p: &Path| -> Vec<String> {
        std::fs::read_to_string(p)
            .unwrap()
            .lines()
            .filter(|l| l.trim_start().starts_with("- ENC["))
            .map(str::to_string)
            .collect()
    };
    let before = encs(&p);
    assert_eq!(before.len(), 3);
    ok(rsops()
        .args(["set"])
        .arg(&p)
        .args(["[\"n\"]", "2"])
        .env("SOPS_AGE_KEY_FILE", key_file(1)));
    let after = encs(&p);
    assert_eq!(after, before, "unchanged values keep their own ciphertext");
    assert!(after[0] != after[1] && after[1] != after[2] && after[0] != after[2]);
    // Editing a list element leaves the others their own ciphertexts too.
    ok(rsops()
        .args(["set"])
        .arg(&p)
        .args(["[\"codes\"][0]", "\"other\""])
        .env("SOPS_AGE_KEY_FILE", key_file(1)));
    let after = encs(&p);
    assert_ne!(after[0], before[0]);
    assert_eq!(after[1..], before[1..]);
}

/// `encrypt -i` on a file with a second name: replacing it would leave the
/// plaintext under the other name. Refused, nothing changed.
#[cfg(unix)]
#[test]
fn in_place_writes_refuse_files_with_other_names() {
    let d = tmpdir();
    let p = write(d.path(), "s.yaml", b"secret: TopSecret\n");
    let q = d.path().join("backup.yaml");
    std::fs::hard_link(&p, &q).unwrap();
    let o = run(rsops()
        .args(["encrypt", "-i", "--age", &recipient(1)])
        .arg(&p));
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(3), "{err}");
    assert!(err.contains("hard links"), "{err}");
    assert_eq!(std::fs::read(&p).unwrap(), b"secret: TopSecret\n");
    assert_eq!(std::fs::read(&q).unwrap(), b"secret: TopSecret\n");
    let names: Vec<_> = std::fs::read_dir(d.path()).unwrap().collect();
    assert_eq!(names.len(), 2, "no temporary file left");
}

/// Root rewriting another user's file (a shared deploy checkout, say) must
/// leave it theirs, with its mode.
#[cfg(unix)]
#[test]
fn in_place_writes_keep_owner_group_and_mode() {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    let d = tmpdir();
    let p = write(d.path(), "s.yaml", b"secret: TopSecret\n");
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o640)).unwrap();
    let want = if is_root() {
        std::os::unix::fs::chown(&p, Some(65534), Some(65534)).unwrap();
        (65534, 65534)
    } else {
        let m = std::fs::metadata(&p).unwrap();
        (m.uid(), m.gid())
    };
    ok(rsops()
        .args(["encrypt", "-i", "--age", &recipient(1)])
        .arg(&p));
    let m = std::fs::metadata(&p).unwrap();
    assert_eq!((m.uid(), m.gid()), want);
    assert_eq!(m.mode() & 0o7777, 0o640);
    assert!(std::fs::read_to_string(&p).unwrap().contains("ENC["));
    // And through `set` on the encrypted file.
    ok(rsops()
        .args(["set"])
        .arg(&p)
        .args(["[\"secret\"]", "\"other\""])
        .env("SOPS_AGE_KEY_FILE", key_file(1)));
    let m = std::fs::metadata(&p).unwrap();
    assert_eq!((m.uid(), m.gid()), want);
    assert_eq!(m.mode() & 0o7777, 0o640);
}

/// A file its user may not write is not replaced through the (writable)
/// directory: sops says "permission denied", so does rsops.
#[cfg(unix)]
#[test]
fn a_read_only_file_is_not_replaced() {
    use std::os::unix::fs::PermissionsExt;
    let d = tmpdir();
    std::fs::set_permissions(d.path(), std::fs::Permissions::from_mode(0o777)).unwrap();
    let p = write(d.path(), "s.yaml", b"secret: TopSecret\n");
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o444)).unwrap();
    let mut c = if is_root() {
        // Root may write anything: run as an ordinary user instead.
        std::os::unix::fs::chown(&p, Some(65534), Some(65534)).unwrap();
        let mut c = Command::new("setpriv");
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(env!("CARGO_BIN_EXE_rsops"));
        c
    } else {
        rsops()
    };
    let o = run(c
        .args(["encrypt", "-i", "--age", &recipient(1)])
        .arg(&p)
        .env("HOME", d.path()));
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(3), "{err}");
    assert!(err.to_lowercase().contains("permission denied"), "{err}");
    assert_eq!(std::fs::read(&p).unwrap(), b"secret: TopSecret\n");
}

/// `exec-env --user`: the command runs with that user's groups (none of
/// the caller's) and that user's HOME, USER and LOGNAME.
#[cfg(unix)]
#[test]
fn exec_as_another_user_drops_the_callers_groups() {
    let d = tmpdir();
    let p = encrypt_yaml(d.path(), "s.yaml", "TOKEN: abc\n");
    let o = run(rsops()
        .args(["exec-env", "--user", "nobody"])
        .arg(&p)
        .arg("id -u; id -G; echo \"$HOME|$USER|$LOGNAME|$TOKEN\"")
        .env("SOPS_AGE_KEY_FILE", key_file(1))
        .env("HOME", "/root")
        .env("USER", "root")
        .env("LOGNAME", "root"));
    if !is_root() {
        // Only root can switch users: a clear error, no command run.
        assert!(!o.status.success());
        assert!(
            stderr(&o).contains("cannot switch to user"),
            "{}",
            stderr(&o)
        );
        return;
    }
    assert!(o.status.success(), "{}", stderr(&o));
    let out = String::from_utf8_lossy(&o.stdout).into_owned();
    let lines: Vec<&str> = out.lines().collect();
    let id = |args: &[&str]| {
        String::from_utf8_lossy(&Command::new("id").args(args).output().unwrap().stdout)
            .trim()
            .to_string()
    };
    assert_eq!(lines[0], id(&["-u", "nobody"]));
    assert_eq!(lines[1], id(&["-G", "nobody"]), "only nobody's groups");
    let home = String::from_utf8_lossy(
        &Command::new("getent")
            .args(["passwd", "nobody"])
            .output()
            .unwrap()
            .stdout,
    )
    .split(':')
    .nth(5)
    .unwrap_or("")
    .to_string();
    assert_eq!(lines[2], format!("{home}|nobody|nobody|abc"));
}

/// While the command of `exec-env` runs, rsops holds none of the
/// plaintext: the values were handed over and wiped. (Reading another
/// process's memory needs root here; rsops is also non-dumpable, so an
/// ordinary user of the same uid cannot read it at all.)
#[cfg(target_os = "linux")]
#[test]
fn exec_env_holds_no_plaintext_while_the_command_runs() {
    use std::io::{Read, Seek, SeekFrom};
    let d = tmpdir();
    let needle = "Needle-6f1d2c9a-SECRET";
    let p = encrypt_yaml(d.path(), "s.yaml", &format!("TOKEN: {needle}\n"));
    let ready = d.path().join("ready");
    // The command must not carry the needle itself (its text is in argv).
    let expected = write(d.path(), "expected", needle.as_bytes());
    let mut child = rsops()
        .arg("exec-env")
        .arg(&p)
        .arg(format!(
            "test \"$TOKEN\" = \"$(cat '{}')\" && : > '{}' && sleep 5",
            expected.display(),
            ready.display()
        ))
        .env("SOPS_AGE_KEY_FILE", key_file(1))
        .spawn()
        .unwrap();
    let start = Instant::now();
    while !ready.exists() && start.elapsed() < Duration::from_secs(20) {
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(ready.exists(), "the command saw its variable");
    let pid = child.id();
    let maps = std::fs::read_to_string(format!("/proc/{pid}/maps")).unwrap_or_default();
    let mem = std::fs::File::open(format!("/proc/{pid}/mem"));
    let mut found = Vec::new();
    if let (Ok(mut mem), true) = (mem, is_root()) {
        for line in maps.lines() {
            let mut f = line.split_whitespace();
            let (Some(range), Some(perms)) = (f.next(), f.next()) else {
                continue;
            };
            if !perms.starts_with("rw") {
                continue;
            }
            let Some((a, b)) = range.split_once('-') else {
                continue;
            };
            let (a, b) = (
                u64::from_str_radix(a, 16).unwrap(),
                u64::from_str_radix(b, 16).unwrap(),
            );
            let mut buf = vec![0u8; (b - a) as usize];
            if mem.seek(SeekFrom::Start(a)).is_err() || mem.read_exact(&mut buf).is_err() {
                continue;
            }
            if buf.windows(needle.len()).any(|w| w == needle.as_bytes()) {
                found.push(line.to_string());
            }
        }
    } else {
        // Not root: the process must not be readable at all.
        assert!(
            std::fs::read(format!("/proc/{pid}/mem")).is_err(),
            "rsops' memory is readable by another process"
        );
    }
    let _ = child.wait();
    assert!(
        found.is_empty(),
        "plaintext still in rsops' memory: {found:?}"
    );
}
