//! Passphrases of protected age identity files through gpg-agent, as sops
//! 3.13 asks for them (getsops/gopgagent): the agent shows its pinentry and
//! caches the answer under `SopsAge` + base32(SHA-256(file)[:25]), the key
//! sops 3.13.1+ uses, so a passphrase cached by sops serves rsops and the
//! other way round. Without a reachable agent, rsops asks on the terminal.

#![cfg_attr(not(unix), allow(unused_imports, dead_code))]

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use age::secrecy::SecretString;
use zeroize::Zeroizing;

/// Where the agent listens, found as gopgagent does: the first field of
/// `GPG_AGENT_INFO` when set; otherwise `~/.gnupg/S.gpg-agent` if that is a
/// socket, else `$XDG_RUNTIME_DIR/gnupg/S.gpg-agent`. (gopgagent takes the
/// home directory from the password database; rsops from `HOME`.)
pub(super) fn socket_path(env: super::Env) -> Option<PathBuf> {
    if let Some(info) = env("GPG_AGENT_INFO") {
        let info = info.to_string_lossy().into_owned();
        let first = info.split(':').next().unwrap_or("");
        return (!first.is_empty()).then(|| PathBuf::from(first));
    }
    let home = env("HOME")
        .filter(|h| !h.is_empty())
        .map(|h| PathBuf::from(h).join(".gnupg").join("S.gpg-agent"));
    if home.as_deref().is_some_and(is_socket) {
        return home;
    }
    if let Some(run) = env("XDG_RUNTIME_DIR").filter(|r| !r.is_empty()) {
        return Some(PathBuf::from(run).join("gnupg").join("S.gpg-agent"));
    }
    home
}

#[cfg(unix)]
fn is_socket(p: &Path) -> bool {
    use std::os::unix::fs::FileTypeExt;
    std::fs::metadata(p).is_ok_and(|m| m.file_type().is_socket())
}

#[cfg(not(unix))]
fn is_socket(_p: &Path) -> bool {
    false
}

/// The gpg-agent cache key sops 3.13.1+ uses for a protected identity file
/// (`contents`: the binary age file, armor removed).
pub(super) fn cache_key(digest: &[u8; 32]) -> String {
    const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let mut out = String::from("SopsAge");
    // 25 bytes = 200 bits = 40 base32 digits, no padding.
    let mut acc: u64 = 0;
    let mut bits = 0;
    for &b in &digest[..25] {
        acc = (acc << 8) | u64::from(b);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(char::from(ALPHABET[((acc >> bits) & 31) as usize]));
        }
    }
    out
}

/// Go's `url.QueryEscape`, which gopgagent applies to every argument.
fn query_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for &b in s.as_bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(char::from(b))
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// What the agent said.
pub(super) enum Answer {
    /// No agent to talk to: ask on the terminal.
    NoAgent,
    Passphrase(SecretString),
    /// The user cancelled the agent's dialog.
    Cancelled,
    /// The agent answered with an error (e.g. no pinentry could run).
    Failed(String),
}

#[cfg(unix)]
struct Conn {
    w: std::os::unix::net::UnixStream,
    r: BufReader<std::os::unix::net::UnixStream>,
}

#[cfg(unix)]
impl Conn {
    fn open(path: &Path) -> Option<Conn> {
        let s = std::os::unix::net::UnixStream::connect(path).ok()?;
        s.set_read_timeout(Some(Duration::from_secs(10))).ok()?;
        s.set_write_timeout(Some(Duration::from_secs(10))).ok()?;
        let mut c = Conn {
            w: s.try_clone().ok()?,
            r: BufReader::new(s),
        };
        let greeting = c.line().ok()?;
        greeting.starts_with("OK").then_some(c)
    }

    fn line(&mut self) -> std::io::Result<Zeroizing<String>> {
        loop {
            let mut l = Zeroizing::new(String::new());
            // An Assuan line is at most 1000 bytes; a passphrase reply is
            // hex, so allow some more and stop there.
            std::io::Read::take(&mut self.r, 64 * 1024).read_line(&mut l)?;
            if l.is_empty() {
                return Err(std::io::ErrorKind::UnexpectedEof.into());
            }
            // Status and comment lines may precede the answer.
            if l.starts_with("S ") || l.starts_with('#') {
                continue;
            }
            while l.ends_with('\n') || l.ends_with('\r') {
                l.pop();
            }
            return Ok(l);
        }
    }

    fn command(&mut self, cmd: &str) -> std::io::Result<Zeroizing<String>> {
        self.w.write_all(cmd.as_bytes())?;
        self.w.write_all(b"\n")?;
        self.line()
    }
}

/// Ask the agent at `socket` for the passphrase cached under `key`,
/// describing it with `desc`.
#[cfg(unix)]
pub(super) fn get_passphrase(socket: Option<&Path>, key: &str, desc: &str) -> Answer {
    let Some(mut c) = socket.and_then(Conn::open) else {
        return Answer::NoAgent;
    };
    let mut options = Vec::new();
    if let Some(d) = std::env::var_os("DISPLAY").filter(|d| !d.is_empty()) {
        options.push(format!("display={}", d.to_string_lossy()));
    }
    if let Ok(tty) = std::fs::read_link("/proc/self/fd/0") {
        if tty.starts_with("/dev/") {
            options.push(format!("ttyname={}", tty.display()));
        }
    }
    if let Some(t) = std::env::var_os("TERM").filter(|t| !t.is_empty()) {
        options.push(format!("ttytype={}", t.to_string_lossy()));
    }
    for o in options {
        match c.command(&format!("OPTION {o}")) {
            Ok(l) if l.starts_with("OK") => {}
            Ok(l) => return Answer::Failed(format!("gpg-agent refused OPTION {o}: {}", &*l)),
            Err(e) => return Answer::Failed(format!("gpg-agent: {e}")),
        }
    }
    // The user may take a while at the pinentry.
    let _ =
        c.r.get_ref()
            .set_read_timeout(Some(Duration::from_secs(600)));
    let req = format!(
        "GET_PASSPHRASE {} X Passphrase {}",
        query_escape(key),
        query_escape(desc)
    );
    let reply = match c.command(&req) {
        Ok(l) => l,
        Err(e) => return Answer::Failed(format!("gpg-agent: {e}")),
    };
    if let Some(hex) = reply.strip_prefix("OK ") {
        return match decode_hex(hex.trim()) {
            Some(p) => Answer::Passphrase(p),
            None => Answer::Failed("gpg-agent sent an unreadable passphrase".into()),
        };
    }
    let mut f = reply.split(' ');
    match (f.next(), f.next()) {
        (Some("ERR"), Some("83886179")) => Answer::Cancelled,
        _ => Answer::Failed(format!(
            "gpg-agent answered {:?}",
            reply.chars().take(200).collect::<String>()
        )),
    }
}

#[cfg(not(unix))]
pub(super) fn get_passphrase(_socket: Option<&Path>, _key: &str, _desc: &str) -> Answer {
    Answer::NoAgent
}

/// Forget the passphrase cached under `key` (after a wrong or empty one).
#[cfg(unix)]
pub(super) fn forget(socket: Option<&Path>, key: &str) {
    if let Some(mut c) = socket.and_then(Conn::open) {
        let _ = c.command(&format!("CLEAR_PASSPHRASE {}", query_escape(key)));
    }
}

#[cfg(not(unix))]
pub(super) fn forget(_socket: Option<&Path>, _key: &str) {}

fn decode_hex(s: &str) -> Option<SecretString> {
    if !s.len().is_multiple_of(2) {
        return None;
    }
    let mut out = Zeroizing::new(Vec::with_capacity(s.len() / 2));
    for pair in s.as_bytes().chunks(2) {
        let hi = (pair[0] as char).to_digit(16)?;
        let lo = (pair[1] as char).to_digit(16)?;
        out.push((hi * 16 + lo) as u8);
    }
    let text = String::from_utf8(out.to_vec()).ok()?;
    Some(SecretString::from(text))
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    #[test]
    fn cache_key_is_sops_3_13_1s() {
        // sops: "SopsAge" + base32.StdEncoding(sha256(contents)[:25]).
        let key = cache_key(&[0u8; 32]);
        assert_eq!(key, format!("SopsAge{}", "A".repeat(40)));
        let mut d = [0u8; 32];
        d[0] = 0xff;
        d[24] = 0x01;
        let key = cache_key(&d);
        assert_eq!(key.len(), 47);
        assert!(key.starts_with("SopsAge74"));
        assert!(key.ends_with("AB"));
    }

    #[test]
    fn escapes_like_go() {
        assert_eq!(
            query_escape("Enter passphrase for identity 'SOPS_AGE_KEY_FILE (/a b)':"),
            "Enter+passphrase+for+identity+%27SOPS_AGE_KEY_FILE+%28%2Fa+b%29%27%3A"
        );
        assert!(decode_hex("6869").is_some());
        assert!(decode_hex("6g").is_none());
        assert!(decode_hex("686").is_none());
    }

    /// A fake gpg-agent on a Unix socket: answers `reply` to GET_PASSPHRASE
    /// and records every line received.
    #[cfg(unix)]
    pub(crate) fn fake_agent(
        dir: &Path,
        reply: &'static str,
    ) -> (PathBuf, std::sync::Arc<std::sync::Mutex<Vec<String>>>) {
        let path = dir.join("S.gpg-agent");
        let listener = std::os::unix::net::UnixListener::bind(&path).unwrap();
        let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let log = seen.clone();
        std::thread::spawn(move || {
            for conn in listener.incoming() {
                let Ok(mut s) = conn else { return };
                let _ = s.write_all(b"OK Pleased to meet you\n");
                let mut r = BufReader::new(s.try_clone().unwrap());
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
    fn talks_to_an_agent() {
        let d = tempfile::tempdir().unwrap();
        // "OK " + hex("pw") after a status line.
        let (sock, seen) = fake_agent(d.path(), "S PROGRESS\nOK 7077");
        match get_passphrase(
            Some(&sock),
            "SopsAgeX",
            "Enter passphrase for identity 'k':",
        ) {
            Answer::Passphrase(p) => {
                assert_eq!(age::secrecy::ExposeSecret::expose_secret(&p), "pw")
            }
            _ => panic!("no passphrase"),
        }
        forget(Some(&sock), "SopsAgeX");
        let lines = seen.lock().unwrap().clone();
        assert!(lines.contains(
            &"GET_PASSPHRASE SopsAgeX X Passphrase Enter+passphrase+for+identity+%27k%27%3A"
                .to_string()
        ));
        assert!(lines.contains(&"CLEAR_PASSPHRASE SopsAgeX".to_string()));
        let d2 = tempfile::tempdir().unwrap();
        let (sock, _) = fake_agent(d2.path(), "ERR 83886179 Operation cancelled <Pinentry>");
        assert!(matches!(
            get_passphrase(Some(&sock), "k", "d"),
            Answer::Cancelled
        ));
        assert!(matches!(
            get_passphrase(Some(&d2.path().join("none")), "k", "d"),
            Answer::NoAgent
        ));
    }
}
