//! age recipients (X25519, post-quantum hybrid, SSH, plugins) and the
//! identities that open them, found where sops 3.13 looks for them:
//!
//! - SSH keys: `SOPS_AGE_SSH_PRIVATE_KEY_FILE`, the output of
//!   `SOPS_AGE_SSH_PRIVATE_KEY_CMD`, `~/.ssh/id_ed25519`, `~/.ssh/id_rsa`;
//! - age identities: `SOPS_AGE_KEY` (several per line allowed),
//!   `SOPS_AGE_KEY_FILE`, the output of `SOPS_AGE_KEY_CMD`, and
//!   `<user config dir>/sops/age/keys.txt` (one per line).
//!
//! Both commands run once per age recipient being decrypted, with
//! `SOPS_AGE_RECIPIENT` set to that recipient. Any of the identity sources may
//! be a passphrase-protected age file (as `age -p` writes it, binary or
//! armored); SSH key files may be passphrase-protected too. Passphrases are
//! asked on the terminal (`/dev/tty`), only when a recipient stanza could be
//! for that source, after every identity that needs no question has been
//! tried (age 1.3's order: X25519 and post-quantum identities first).

mod gpg_agent;
pub mod pq;
mod sshkey;
mod tty;

use crate::keys::KeyError;
use std::cell::RefCell;
use std::collections::HashMap;
use std::ffi::OsString;
use std::io::{BufReader, Read, Write};
use std::path::PathBuf;
use std::rc::Rc;
use std::str::FromStr;
use std::sync::{Arc, Mutex};

use age::secrecy::SecretString;
use age_core::format::{FileKey, Stanza};
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use crate::error::{code, Error, Result};

/// Asks for a passphrase given a prompt; the terminal in real use.
type Prompter =
    Arc<dyn Fn(&str) -> std::result::Result<SecretString, super::KeyError> + Send + Sync>;

/// Terminal interaction for age plugins, protected identity files and
/// protected SSH keys: messages go to stderr, questions to `/dev/tty`.
/// Questions that could not be asked are kept for the error message.
#[derive(Clone)]
struct Ui {
    prompter: Prompter,
    failures: Arc<Mutex<Vec<String>>>,
    /// gpg-agent's socket, asked first for protected identity files.
    agent: Option<PathBuf>,
}

impl Ui {
    fn terminal() -> Ui {
        Ui {
            prompter: Arc::new(tty::read_secret),
            failures: Arc::default(),
            agent: None,
        }
    }

    /// Ask for a passphrase; the caller holds `tty::lock()`.
    fn passphrase(&self, prompt: &str) -> std::result::Result<SecretString, KeyError> {
        (self.prompter)(prompt)
    }

    fn note_failure(&self, msg: String) {
        let mut f = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        if !f.contains(&msg) {
            f.push(msg);
        }
    }

    fn take_failures(&self) -> Vec<String> {
        std::mem::take(&mut *self.failures.lock().unwrap_or_else(|p| p.into_inner()))
    }
}

impl age::Callbacks for Ui {
    fn display_message(&self, message: &str) {
        eprintln!("{message}");
    }

    fn confirm(&self, message: &str, yes: &str, no: Option<&str>) -> Option<bool> {
        let _guard = tty::lock();
        let prompt = match no {
            Some(no) => format!("{message} [{yes}/{no}]: "),
            None => format!("{message} [{yes}]: "),
        };
        for _ in 0..3 {
            let answer = match tty::read_line(&prompt) {
                Ok(a) => a,
                Err(e) => {
                    self.note_failure(format!(
                        "an age plugin asked a question rsops could not ask: {e}"
                    ));
                    return None;
                }
            };
            let a = answer.trim();
            if no.is_none() || a.eq_ignore_ascii_case(yes) {
                return Some(true);
            }
            if no.is_some_and(|n| a.eq_ignore_ascii_case(n)) {
                return Some(false);
            }
        }
        None
    }

    fn request_public_string(&self, description: &str) -> Option<String> {
        let _guard = tty::lock();
        match tty::read_line(&format!("{description} ")) {
            Ok(s) => Some(s),
            Err(e) => {
                self.note_failure(format!(
                    "an age plugin asked for a value rsops could not ask for: {e}"
                ));
                None
            }
        }
    }

    fn request_passphrase(&self, description: &str) -> Option<SecretString> {
        let _guard = tty::lock();
        match self.passphrase(&format!("{description} ")) {
            Ok(s) => Some(s),
            Err(e) => {
                self.note_failure(format!(
                    "an age plugin asked for a secret ({description}) rsops could not ask for: {e}"
                ));
                None
            }
        }
    }
}

/// Passphrase-protected sources opened in this process, by SHA-256 of their
/// (binary) contents: one question per protected file per run, however many
/// files, recipients and threads need it.
mod cache {
    use std::sync::Mutex;

    use zeroize::Zeroizing;

    use crate::keys::KeyError;

    #[derive(Clone)]
    pub(super) enum Entry {
        /// The decrypted text of a protected age identity file.
        Text(Zeroizing<Vec<u8>>),
        /// A decrypted SSH key.
        Ssh(age::ssh::Identity),
        /// A wrong passphrase or a broken file: the error, not retried.
        Failed(KeyError),
        /// No passphrase could be asked for (no terminal): why.
        Unavailable(String),
    }

    static ENTRIES: Mutex<Vec<([u8; 32], Entry)>> = Mutex::new(Vec::new());

    pub(super) fn get(digest: &[u8; 32]) -> Option<Entry> {
        let e = ENTRIES.lock().unwrap_or_else(|p| p.into_inner());
        e.iter().find(|(d, _)| d == digest).map(|(_, v)| v.clone())
    }

    pub(super) fn put(digest: [u8; 32], entry: Entry) {
        let mut e = ENTRIES.lock().unwrap_or_else(|p| p.into_inner());
        e.retain(|(d, _)| *d != digest);
        e.push((digest, entry));
    }
}

fn is_plugin_recipient(r: &str) -> bool {
    r.starts_with("age1") && r.matches('1').count() > 1
}

/// A recipient parsed in sops' order: `age1pq1…` (post-quantum hybrid),
/// other `age1…` with more than one `1` (plugin), `age1…` (X25519), `ssh-…`.
enum ParsedRecipient {
    Pq(Box<pq::Recipient>),
    Plugin(age::plugin::Recipient),
    X25519(age::x25519::Recipient),
    Ssh(age::ssh::Recipient),
}

fn parse_recipient(r: &str) -> Result<ParsedRecipient> {
    let bad = |what: &str| {
        Error::generic(format!(
            "invalid age recipient {r:?}: {what} (expected age1…, age1pq1…, ssh-ed25519 … or ssh-rsa …)"
        ))
    };
    if r.starts_with("age1pq1") {
        pq::Recipient::from_str(r)
            .map(|p| ParsedRecipient::Pq(Box::new(p)))
            .map_err(|e| bad(&e.to_string()))
    } else if is_plugin_recipient(r) {
        age::plugin::Recipient::from_str(r)
            .map(ParsedRecipient::Plugin)
            .map_err(|_| bad("not a valid plugin recipient"))
    } else if r.starts_with("age1") {
        age::x25519::Recipient::from_str(r)
            .map(ParsedRecipient::X25519)
            .map_err(|_| bad("not a valid Bech32 public key"))
    } else if r.starts_with("ssh-") {
        age::ssh::Recipient::from_str(r)
            .map(ParsedRecipient::Ssh)
            .map_err(|_| bad("not a supported SSH public key"))
    } else {
        Err(bad("unknown recipient type"))
    }
}

/// Check that a recipient string is one rsops can encrypt to.
pub fn validate_recipient(recipient: &str) -> Result<()> {
    parse_recipient(recipient.trim()).map(|_| ())
}

/// Encrypt `secret` to one recipient; returns the ASCII-armored age file
/// (one age file per recipient, as sops writes them).
pub fn wrap(recipient: &str, secret: &[u8]) -> super::KeyResult<String> {
    let r = recipient.trim();
    let fail = |e: &dyn std::fmt::Display| {
        KeyError::Crypto(format!(
            "could not encrypt the data key for age recipient {r}: {e}"
        ))
    };
    let parsed = parse_recipient(r).map_err(|e| KeyError::Invalid(e.message()))?;
    let boxed: Box<dyn age::Recipient> = match parsed {
        ParsedRecipient::Pq(pr) => pr,
        ParsedRecipient::Plugin(pr) => {
            let plugin = age::plugin::RecipientPluginV1::new(
                pr.plugin(),
                std::slice::from_ref(&pr),
                &[],
                Ui::terminal(),
            )
            .map_err(|e| fail(&e))?;
            Box::new(plugin)
        }
        ParsedRecipient::X25519(xr) => Box::new(xr),
        ParsedRecipient::Ssh(sr) => Box::new(sr),
    };
    let enc =
        age::Encryptor::with_recipients(std::iter::once(boxed.as_ref())).map_err(|e| fail(&e))?;
    let mut out = Vec::with_capacity(512);
    {
        let armor =
            age::armor::ArmoredWriter::wrap_output(&mut out, age::armor::Format::AsciiArmor)
                .map_err(|e| fail(&e))?;
        let mut w = enc.wrap_output(armor).map_err(|e| fail(&e))?;
        w.write_all(secret).map_err(|e| fail(&e))?;
        let armor = w.finish().map_err(|e| fail(&e))?;
        armor.finish().map_err(|e| fail(&e))?;
    }
    String::from_utf8(out).map_err(|e| fail(&e))
}

/// Identities from some sources, and what happened while loading them.
#[derive(Default)]
struct Found {
    /// X25519 and post-quantum identities: tried first, never ask anything.
    native: Vec<Box<dyn age::Identity>>,
    /// SSH keys, plugins and passphrase-protected sources.
    other: Vec<Box<dyn age::Identity>>,
    /// Places consulted that held no identity.
    not_found: Vec<String>,
    /// Problems while loading (never containing key material).
    errors: Vec<String>,
    /// Places identities came from.
    sources: Vec<String>,
}

impl Found {
    fn is_empty(&self) -> bool {
        self.native.is_empty() && self.other.is_empty()
    }
}

/// Identities found in the places sops looks, with a record of where we
/// looked and what went wrong, for error messages. The two commands
/// (`SOPS_AGE_KEY_CMD`, `SOPS_AGE_SSH_PRIVATE_KEY_CMD`) run when a recipient
/// is decrypted, once per recipient.
pub struct Identities {
    base: Found,
    key_cmd: Option<String>,
    ssh_cmd: Option<String>,
    per_recipient: RefCell<HashMap<String, Rc<Found>>>,
    ui: Ui,
}

impl Default for Identities {
    fn default() -> Identities {
        Identities {
            base: Found::default(),
            key_cmd: None,
            ssh_cmd: None,
            per_recipient: RefCell::default(),
            ui: Ui::terminal(),
        }
    }
}

/// Which environment variables the loader sees (the process environment, or
/// a test's).
type Env<'a> = &'a dyn Fn(&str) -> Option<OsString>;

impl Identities {
    /// Identities holding just `id` (tests).
    #[cfg(test)]
    pub(crate) fn of(id: age::x25519::Identity) -> Identities {
        let mut me = Identities::default();
        me.base.native.push(Box::new(id));
        me
    }

    /// Identities from the text of an identity file (`AGE-SECRET-KEY-…`
    /// lines, one per line), or a passphrase-protected age file holding one.
    pub fn from_text(label: &str, text: &[u8]) -> Identities {
        let mut me = Identities::default();
        let ui = me.ui.clone();
        add_text(&mut me.base, label, text, false, &ui);
        me
    }

    /// Whether no identity can possibly be found (the commands, which run
    /// per recipient, count as a possible source).
    pub fn is_empty(&self) -> bool {
        self.base.is_empty() && self.key_cmd.is_none() && self.ssh_cmd.is_none()
    }

    /// Load identities from the process environment and the usual files,
    /// as sops 3.13 does (see the module documentation).
    pub fn load() -> Identities {
        Identities::load_from(&|k| std::env::var_os(k), Ui::terminal())
    }

    fn load_from(env: Env, ui: Ui) -> Identities {
        let ui = Ui {
            agent: gpg_agent::socket_path(env),
            ..ui
        };
        let mut me = Identities {
            ui: ui.clone(),
            ..Default::default()
        };
        let f = &mut me.base;
        match env("SOPS_AGE_SSH_PRIVATE_KEY_FILE") {
            Some(p) => add_ssh_file(f, PathBuf::from(p), "SOPS_AGE_SSH_PRIVATE_KEY_FILE", &ui),
            None => f.not_found.push("SOPS_AGE_SSH_PRIVATE_KEY_FILE".into()),
        }
        match env("SOPS_AGE_SSH_PRIVATE_KEY_CMD") {
            Some(c) => me.ssh_cmd = Some(c.to_string_lossy().into_owned()),
            None => f.not_found.push("SOPS_AGE_SSH_PRIVATE_KEY_CMD".into()),
        }
        if let Some(home) = env("HOME").filter(|h| !h.is_empty()).map(PathBuf::from) {
            for name in ["id_ed25519", "id_rsa"] {
                let p = home.join(".ssh").join(name);
                if p.exists() {
                    add_ssh_file(f, p, "", &ui);
                } else {
                    f.not_found.push(p.display().to_string());
                }
            }
        }
        let mut found_text = false;
        match env("SOPS_AGE_KEY") {
            Some(v) => {
                found_text = true;
                let text = Zeroizing::new(v.to_string_lossy().into_owned());
                add_text(f, "SOPS_AGE_KEY", text.as_bytes(), true, &ui);
            }
            None => f.not_found.push("SOPS_AGE_KEY".into()),
        }
        match env("SOPS_AGE_KEY_FILE") {
            Some(p) => {
                found_text = true;
                let path = PathBuf::from(&p);
                match std::fs::read(&path) {
                    Ok(b) => {
                        let b = Zeroizing::new(b);
                        add_text(
                            f,
                            &format!("SOPS_AGE_KEY_FILE ({})", path.display()),
                            &b,
                            false,
                            &ui,
                        );
                    }
                    Err(e) => f.errors.push(format!(
                        "failed to open SOPS_AGE_KEY_FILE file {}: {e}",
                        path.display()
                    )),
                }
            }
            None => f.not_found.push("SOPS_AGE_KEY_FILE".into()),
        }
        match env("SOPS_AGE_KEY_CMD") {
            Some(c) => {
                found_text = true;
                me.key_cmd = Some(c.to_string_lossy().into_owned());
            }
            None => me.base.not_found.push("SOPS_AGE_KEY_CMD".into()),
        }
        let f = &mut me.base;
        if let Some(dir) = user_config_dir(env) {
            let path = dir.join("sops").join("age").join("keys.txt");
            match std::fs::read(&path) {
                Ok(b) => {
                    let b = Zeroizing::new(b);
                    add_text(f, &path.display().to_string(), &b, false, &ui);
                }
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                    if !found_text && f.is_empty() {
                        f.not_found.push(path.display().to_string());
                    }
                }
                Err(e) => f
                    .errors
                    .push(format!("failed to open {}: {e}", path.display())),
            }
        }
        me
    }

    /// The identities the commands give for `recipient` (run at most once
    /// per recipient).
    fn for_recipient(&self, recipient: &str) -> Rc<Found> {
        if self.key_cmd.is_none() && self.ssh_cmd.is_none() {
            return Rc::default();
        }
        if let Some(f) = self.per_recipient.borrow().get(recipient) {
            return f.clone();
        }
        let mut f = Found::default();
        if let Some(cmd) = &self.ssh_cmd {
            match run_cmd("SOPS_AGE_SSH_PRIVATE_KEY_CMD", cmd, recipient) {
                Ok(out) => add_ssh_cmd_output(&mut f, &out),
                Err(e) => f.errors.push(e.to_string()),
            }
        }
        if let Some(cmd) = &self.key_cmd {
            match run_cmd("SOPS_AGE_KEY_CMD", cmd, recipient) {
                Ok(out) => add_text(&mut f, "SOPS_AGE_KEY_CMD", &out, false, &self.ui),
                Err(e) => f.errors.push(e.to_string()),
            }
        }
        let f = Rc::new(f);
        self.per_recipient
            .borrow_mut()
            .insert(recipient.to_string(), f.clone());
        f
    }

    /// A one-line account of where identities were looked for, for errors.
    pub fn explain(&self) -> String {
        self.explain_with(&Found::default(), &[])
    }

    fn explain_with(&self, extra: &Found, failures: &[String]) -> String {
        let b = &self.base;
        let empty = b.is_empty() && extra.is_empty();
        let mut s = String::new();
        if empty {
            s.push_str("no age identity found");
        } else {
            let sources: Vec<&str> = b
                .sources
                .iter()
                .chain(&extra.sources)
                .map(String::as_str)
                .collect();
            s.push_str(&format!("age identities from {}", sources.join(", ")));
        }
        let errors: Vec<&str> = b
            .errors
            .iter()
            .chain(&extra.errors)
            .chain(failures)
            .map(String::as_str)
            .collect();
        if !errors.is_empty() {
            s.push_str(&format!("; errors while loading: {}", errors.join("; ")));
        }
        if empty {
            let not_found: Vec<&str> = b
                .not_found
                .iter()
                .chain(&extra.not_found)
                .map(String::as_str)
                .collect();
            if !not_found.is_empty() {
                s.push_str(&format!("; looked in {}", not_found.join(", ")));
            }
            s.push_str(
                "; set SOPS_AGE_KEY_FILE to your keys.txt, or SOPS_AGE_KEY to the key itself",
            );
        }
        s
    }
}

/// Run `SOPS_AGE_KEY_CMD` / `SOPS_AGE_SSH_PRIVATE_KEY_CMD` as sops does:
/// split like a shell would (no shell runs), with `SOPS_AGE_RECIPIENT` set
/// to the recipient being decrypted, stdin empty (it may carry the data
/// rsops works on), stderr shown; only stdout is used. Errors never quote
/// the command line (it may hold a secret).
fn run_cmd(
    var: &str,
    cmd: &str,
    recipient: &str,
) -> std::result::Result<Zeroizing<Vec<u8>>, KeyError> {
    let args = match shell_words(cmd) {
        Some(a) if !a.is_empty() => a,
        _ => {
            return Err(KeyError::Crypto(format!(
                "{var} is empty or not a valid command line"
            )))
        }
    };
    match std::process::Command::new(&args[0])
        .args(&args[1..])
        .env("SOPS_AGE_RECIPIENT", recipient)
        .stdin(std::process::Stdio::null())
        .stderr(std::process::Stdio::inherit())
        .output()
    {
        Ok(out) if out.status.success() => Ok(Zeroizing::new(out.stdout)),
        Ok(out) => {
            let _ = Zeroizing::new(out.stdout);
            Err(KeyError::Crypto(format!(
                "the command from {var} failed ({})",
                out.status
            )))
        }
        Err(e) => Err(KeyError::Crypto(format!(
            "failed to run the command from {var}: {e}"
        ))),
    }
}

/// Where to point users whose protected identity source cannot be opened.
fn unprotected_advice(label: &str) -> String {
    let var = label.split(' ').next().unwrap_or(label);
    let how = match var {
        "SOPS_AGE_KEY" => "set SOPS_AGE_KEY to the identities themselves".to_string(),
        "SOPS_AGE_KEY_FILE" => {
            "point SOPS_AGE_KEY_FILE at an unprotected identity file (age -d -o keys.txt FILE makes one)".to_string()
        }
        "SOPS_AGE_KEY_CMD" => "make SOPS_AGE_KEY_CMD print unprotected identities".to_string(),
        _ => "use an unprotected identity file with SOPS_AGE_KEY_FILE (age -d -o keys.txt FILE makes one)".to_string(),
    };
    format!("run rsops where it can ask on a terminal, or {how}")
}

/// The longest protected identity file read (as sops).
const MAX_PROTECTED_LEN: usize = 1 << 24;

/// Add the identities of one text source. `label` names the source in
/// messages (never its contents). With `multi`, a line may hold several
/// identities separated by white space (`SOPS_AGE_KEY` in sops 3.13);
/// otherwise each line is one identity, used verbatim. Empty lines and
/// lines starting with `#` are skipped. A passphrase-protected age file
/// (binary or armored) becomes one protected source, opened on first use.
fn add_text(f: &mut Found, label: &str, text: &[u8], multi: bool, ui: &Ui) {
    if text.starts_with(b"age-encryption") || text.starts_with(b"-----BEGIN AGE") {
        let mut contents = Zeroizing::new(Vec::new());
        let read = if text.starts_with(b"-----BEGIN AGE") {
            age::armor::ArmoredReader::new(text)
                .take(MAX_PROTECTED_LEN as u64)
                .read_to_end(&mut contents)
        } else {
            text.take(MAX_PROTECTED_LEN as u64)
                .read_to_end(&mut contents)
        };
        if let Err(e) = read {
            f.errors
                .push(format!("failed to read the age identity file {label}: {e}"));
            return;
        }
        if contents.len() >= MAX_PROTECTED_LEN {
            f.errors.push(format!(
                "failed to read the age identity file {label}: file too long"
            ));
            return;
        }
        f.sources.push(format!("{label} (passphrase-protected)"));
        f.other.push(Box::new(ProtectedIdentities {
            label: label.to_string(),
            digest: Sha256::digest(&contents[..]).into(),
            contents,
            ui: ui.clone(),
            opened: RefCell::new(None),
        }));
        return;
    }
    let mut native: Vec<Box<dyn age::Identity>> = Vec::new();
    let mut plugins: Vec<age::plugin::Identity> = Vec::new();
    for (n, line) in text.split(|&b| b == b'\n').enumerate() {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if line.is_empty() || line.starts_with(b"#") {
            continue;
        }
        let where_ = |word: Option<usize>| match word {
            Some(w) => format!("line {}, word {}", n + 1, w + 1),
            None => format!("line {}", n + 1),
        };
        let Ok(line) = std::str::from_utf8(line) else {
            f.errors.push(format!(
                "failed to parse the age identities in {label}: {} is not valid UTF-8",
                where_(None)
            ));
            return;
        };
        let words: Vec<(Option<usize>, &str)> = if multi {
            line.split_whitespace()
                .enumerate()
                .map(|(i, w)| (Some(i), w))
                .collect()
        } else {
            vec![(None, line)]
        };
        for (i, word) in words {
            match parse_identity(word) {
                Ok(OneIdentity::Native(id)) => native.push(id),
                Ok(OneIdentity::Plugin(p)) => plugins.push(p),
                Err(e) => {
                    f.errors.push(format!(
                        "failed to parse the age identities in {label}: {}: {e}",
                        where_(i)
                    ));
                    return;
                }
            }
        }
    }
    if native.is_empty() && plugins.is_empty() {
        f.not_found.push(label.to_string());
        return;
    }
    f.sources.push(label.to_string());
    f.native.extend(native);
    // One plugin process per plugin, for all its identities (as age does).
    let mut names: Vec<String> = plugins.iter().map(|p| p.plugin().to_string()).collect();
    names.sort();
    names.dedup();
    for name in names {
        let mine: Vec<age::plugin::Identity> = plugins
            .iter()
            .filter(|p| p.plugin() == name)
            .cloned()
            .collect();
        match age::plugin::IdentityPluginV1::new(&name, &mine, ui.clone()) {
            Ok(p) => f.other.push(Box::new(p)),
            Err(e) => f
                .errors
                .push(format!("age plugin identities in {label}: {e}")),
        }
    }
}

enum OneIdentity {
    Native(Box<dyn age::Identity>),
    Plugin(age::plugin::Identity),
}

/// One identity, by prefix as sops 3.13: `AGE-PLUGIN-`, `AGE-SECRET-KEY-PQ-1`,
/// `AGE-SECRET-KEY-1`. Errors never quote the text.
fn parse_identity(s: &str) -> std::result::Result<OneIdentity, KeyError> {
    if s.starts_with("AGE-PLUGIN-") {
        age::plugin::Identity::from_str(s)
            .map(OneIdentity::Plugin)
            .map_err(|_| KeyError::Invalid("malformed age plugin identity".to_string()))
    } else if s.starts_with("AGE-SECRET-KEY-PQ-1") {
        pq::Identity::from_str(s).map(|i| OneIdentity::Native(Box::new(i)))
    } else if s.starts_with("AGE-SECRET-KEY-1") {
        age::x25519::Identity::from_str(s)
            .map(|i| OneIdentity::Native(Box::new(i)))
            .map_err(|e| KeyError::Invalid(format!("malformed age secret key: {e}")))
    } else {
        Err(KeyError::Invalid("unknown identity type (expected AGE-SECRET-KEY-1…, AGE-SECRET-KEY-PQ-1… or AGE-PLUGIN-…)".into()))
    }
}

/// The identities inside a decrypted protected identity file, parsed as age
/// 1.3 does (`ParseIdentities`): X25519 and post-quantum identities, one per
/// line, `#` comments and empty lines skipped, valid UTF-8, at least one.
fn parse_inner_identities(
    text: &[u8],
) -> std::result::Result<Vec<Box<dyn age::Identity>>, KeyError> {
    let text = std::str::from_utf8(text)
        .map_err(|_| KeyError::Crypto("the identities are not valid UTF-8".to_string()))?;
    let mut ids: Vec<Box<dyn age::Identity>> = Vec::new();
    for (n, line) in text.split('\n').enumerate() {
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let id: Box<dyn age::Identity> = if line.starts_with("AGE-SECRET-KEY-PQ-1") {
            Box::new(
                pq::Identity::from_str(line)
                    .map_err(|e| KeyError::Crypto(format!("line {}: {e}", n + 1)))?,
            )
        } else if line.starts_with("AGE-SECRET-KEY-1") {
            Box::new(age::x25519::Identity::from_str(line).map_err(|e| {
                KeyError::Crypto(format!("line {}: malformed age secret key: {e}", n + 1))
            })?)
        } else {
            return Err(KeyError::Crypto(format!(
                "line {}: unknown identity type (a protected identity file holds AGE-SECRET-KEY-1… or AGE-SECRET-KEY-PQ-1… lines)",
                n + 1
            )));
        };
        ids.push(id);
    }
    if ids.is_empty() {
        return Err(KeyError::Crypto("no identities found".into()));
    }
    Ok(ids)
}

/// A passphrase-protected age identity file (`age -p`), opened on first use:
/// only when a stanza could be for an identity it may hold (X25519 or
/// post-quantum), and once per process (see [`cache`]).
struct ProtectedIdentities {
    /// The source, as shown in the prompt and errors.
    label: String,
    /// The binary age file (armor removed).
    contents: Zeroizing<Vec<u8>>,
    digest: [u8; 32],
    ui: Ui,
    opened: RefCell<Option<Vec<Box<dyn age::Identity>>>>,
}

impl ProtectedIdentities {
    /// The decrypted identity text: from the cache, or by asking for the
    /// passphrase. `Ok(None)` when it could not be asked for (noted).
    fn open_text(&self) -> std::result::Result<Option<Zeroizing<Vec<u8>>>, KeyError> {
        let _guard = tty::lock();
        match cache::get(&self.digest) {
            Some(cache::Entry::Text(t)) => return Ok(Some(t)),
            Some(cache::Entry::Failed(e)) => return Err(e),
            Some(cache::Entry::Unavailable(e)) => {
                self.ui.note_failure(e);
                return Ok(None);
            }
            _ => {}
        }
        let result = self.decrypt();
        match &result {
            Ok(Some(t)) => cache::put(self.digest, cache::Entry::Text(t.clone())),
            Ok(None) => {}
            Err(e) => cache::put(self.digest, cache::Entry::Failed(e.clone())),
        }
        result
    }

    fn decrypt(&self) -> std::result::Result<Option<Zeroizing<Vec<u8>>>, KeyError> {
        let label = &self.label;
        let dec = age::Decryptor::new(&self.contents[..]).map_err(|e| {
            KeyError::Crypto(format!(
                "the age identity file {label} is not a valid age file: {e}"
            ))
        })?;
        if !dec.is_scrypt() {
            return Err(KeyError::Crypto(format!(
                "the age identity file {label} is an age file encrypted to recipients, not with a passphrase alone; rsops can only open passphrase-protected identity files (age -p)"
            )));
        }
        // As sops: gpg-agent first (its dialog, its cache, under sops' cache
        // key), then the terminal.
        let desc = format!("Enter passphrase for identity '{label}':");
        let agent_key = gpg_agent::cache_key(&self.digest);
        let agent = self.ui.agent.as_deref();
        let mut agent_trouble = String::new();
        let (pass, from_agent) = match gpg_agent::get_passphrase(agent, &agent_key, &desc) {
            gpg_agent::Answer::Passphrase(p) => (p, true),
            gpg_agent::Answer::Cancelled => {
                return Err(KeyError::Crypto(format!(
                    "no passphrase for the age identity file {label}: the gpg-agent dialog was cancelled"
                )))
            }
            other => {
                if let gpg_agent::Answer::Failed(e) = other {
                    agent_trouble = format!(" ({e}, then the terminal)");
                }
                match self.ui.passphrase(&format!("{desc} ")) {
                    Ok(p) => (p, false),
                    Err(why) => {
                        let msg = format!(
                            "the age identity file {label} is passphrase-protected, and rsops could not ask for the passphrase{agent_trouble}: {why}; {}",
                            unprotected_advice(label)
                        );
                        cache::put(self.digest, cache::Entry::Unavailable(msg.clone()));
                        self.ui.note_failure(msg);
                        return Ok(None);
                    }
                }
            }
        };
        let forget = || {
            if from_agent {
                gpg_agent::forget(agent, &agent_key);
            }
        };
        if age::secrecy::ExposeSecret::expose_secret(&pass).is_empty() {
            forget();
            return Err(KeyError::Crypto(format!(
                "no passphrase given for the age identity file {label}"
            )));
        }
        let mut scrypt = age::scrypt::Identity::new(pass);
        // Go age's default limit (2^22): files age or sops can open, no more.
        scrypt.set_max_work_factor(22);
        let mut r = dec
            .decrypt(std::iter::once(&scrypt as &dyn age::Identity))
            .map_err(|e| {
                KeyError::Crypto(match e {
                    age::DecryptError::DecryptionFailed | age::DecryptError::NoMatchingKeys => {
                        forget();
                        format!("incorrect passphrase for the age identity file {label}")
                    }
                    other => format!("failed to decrypt the age identity file {label}: {other}"),
                })
            })?;
        let mut text = Zeroizing::new(Vec::new());
        r.by_ref()
            .take(MAX_PROTECTED_LEN as u64)
            .read_to_end(&mut text)
            .map_err(|e| {
                KeyError::Crypto(format!(
                    "failed to decrypt the age identity file {label}: {e}"
                ))
            })?;
        parse_inner_identities(&text).map_err(|e| {
            KeyError::Crypto(format!(
                "the age identity file {label} holds no usable identity: {e}"
            ))
        })?;
        Ok(Some(text))
    }
}

impl age::Identity for ProtectedIdentities {
    fn unwrap_stanza(
        &self,
        stanza: &Stanza,
    ) -> Option<std::result::Result<FileKey, age::DecryptError>> {
        self.unwrap_stanzas(std::slice::from_ref(stanza))
    }

    fn unwrap_stanzas(
        &self,
        stanzas: &[Stanza],
    ) -> Option<std::result::Result<FileKey, age::DecryptError>> {
        if !stanzas
            .iter()
            .any(|s| s.tag == "X25519" || s.tag == pq::STANZA_TAG)
        {
            return None;
        }
        if self.opened.borrow().is_none() {
            let text = match self.open_text() {
                Ok(Some(t)) => t,
                Ok(None) => return None,
                Err(e) => return Some(Err(age::DecryptError::Io(std::io::Error::other(e)))),
            };
            match parse_inner_identities(&text) {
                Ok(ids) => *self.opened.borrow_mut() = Some(ids),
                Err(e) => {
                    return Some(Err(age::DecryptError::Io(std::io::Error::other(format!(
                        "the age identity file {} holds no usable identity: {e}",
                        self.label
                    )))))
                }
            }
        }
        let opened = self.opened.borrow();
        opened
            .as_ref()?
            .iter()
            .find_map(|id| id.unwrap_stanzas(stanzas))
    }
}

fn add_ssh_file(f: &mut Found, path: PathBuf, var: &str, ui: &Ui) {
    let label = if var.is_empty() {
        path.display().to_string()
    } else {
        format!("{var} ({})", path.display())
    };
    let data = match std::fs::read(&path) {
        Ok(d) => Zeroizing::new(d),
        Err(e) => {
            f.errors
                .push(format!("failed to read SSH key {label}: {e}"));
            return;
        }
    };
    match age::ssh::Identity::from_buffer(
        BufReader::new(&data[..]),
        Some(path.display().to_string()),
    ) {
        Ok(age::ssh::Identity::Unsupported(_)) => f.errors.push(format!(
            "SSH key {label} is of a type or format age does not support"
        )),
        Ok(age::ssh::Identity::Encrypted(key)) => {
            match sshkey::EncryptedSsh::new(path.display().to_string(), var, &data, key, ui.clone()) {
                Some(id) => {
                    f.sources.push(format!("{label} (passphrase-protected)"));
                    f.other.push(Box::new(id));
                }
                None => f.errors.push(format!(
                    "SSH key {label} is passphrase-protected and its public key could not be read from it"
                )),
            }
        }
        Ok(id) => {
            f.sources.push(label);
            f.other.push(Box::new(id));
        }
        Err(e) => f
            .errors
            .push(format!("failed to parse SSH key {label}: {e}")),
    }
}

/// The output of `SOPS_AGE_SSH_PRIVATE_KEY_CMD`: one unprotected OpenSSH or
/// PEM private key (ed25519 or RSA), as sops 3.12+ requires.
fn add_ssh_cmd_output(f: &mut Found, out: &[u8]) {
    const VAR: &str = "SOPS_AGE_SSH_PRIVATE_KEY_CMD";
    match age::ssh::Identity::from_buffer(BufReader::new(out), None) {
        Ok(age::ssh::Identity::Encrypted(_)) => f.errors.push(format!(
            "the SSH key printed by {VAR} is passphrase-protected, which is not supported there: make the command print an unprotected key, or use SOPS_AGE_SSH_PRIVATE_KEY_FILE for a protected one"
        )),
        Ok(age::ssh::Identity::Unsupported(_)) => f.errors.push(format!(
            "the SSH key printed by {VAR} is of a type or format age does not support"
        )),
        Ok(id) => {
            f.sources.push(VAR.to_string());
            f.other.push(Box::new(id));
        }
        Err(e) => f
            .errors
            .push(format!("malformed SSH identity printed by {VAR}: {e}")),
    }
}

/// Decrypt an armored age file holding a data key (or a Shamir share),
/// with no recipient known (the commands get an empty `SOPS_AGE_RECIPIENT`).
pub fn unwrap(enc: &str, ids: &Identities) -> std::result::Result<Zeroizing<Vec<u8>>, KeyError> {
    unwrap_for("", enc, ids)
}

/// Decrypt the armored age file `enc` stored for `recipient`.
pub fn unwrap_for(
    recipient: &str,
    enc: &str,
    ids: &Identities,
) -> std::result::Result<Zeroizing<Vec<u8>>, KeyError> {
    let extra = ids.for_recipient(recipient);
    if ids.base.is_empty() && extra.is_empty() {
        return Err(KeyError::Crypto(ids.explain_with(&extra, &[])));
    }
    let reader = age::armor::ArmoredReader::new(enc.as_bytes());
    let dec = age::Decryptor::new(reader)
        .map_err(|e| KeyError::Crypto(format!("the stored age data key is damaged: {e}")))?;
    ids.ui.take_failures();
    // age 1.3's order: identities that never ask anything first.
    let all = ids
        .base
        .native
        .iter()
        .chain(&extra.native)
        .chain(&ids.base.other)
        .chain(&extra.other)
        .map(|i| i.as_ref() as &dyn age::Identity);
    let r = dec.decrypt(all).map_err(|e| {
        let failures = ids.ui.take_failures();
        match e {
            age::DecryptError::NoMatchingKeys => KeyError::Crypto(format!(
                "none of the age identities matches ({})",
                ids.explain_with(&extra, &failures)
            )),
            other => KeyError::Crypto(format!("age decryption failed: {other}")),
        }
    })?;
    // At most MAX_DATA_KEY_LEN + 1 bytes are read, whatever the payload.
    super::read_data_key(r, "the age payload")
}

/// Go's `os.UserConfigDir`, with sops' XDG override on macOS.
fn user_config_dir(env: Env) -> Option<PathBuf> {
    let home = || env("HOME").filter(|h| !h.is_empty()).map(PathBuf::from);
    if cfg!(target_os = "macos") {
        if let Some(x) = env("XDG_CONFIG_HOME").filter(|x| !x.is_empty()) {
            return Some(PathBuf::from(x));
        }
        return home().map(|h| h.join("Library").join("Application Support"));
    }
    if cfg!(windows) {
        return env("AppData").map(PathBuf::from);
    }
    if let Some(x) = env("XDG_CONFIG_HOME").filter(|x| !x.is_empty()) {
        return Some(PathBuf::from(x));
    }
    home().map(|h| h.join(".config"))
}

/// Split a command line into words, with single and double quotes and
/// backslash escapes (enough for `SOPS_AGE_KEY_CMD`, as shlex does).
pub fn shell_words(s: &str) -> Option<Vec<String>> {
    let mut words = Vec::new();
    let mut cur = String::new();
    let mut in_word = false;
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                in_word = true;
                loop {
                    match chars.next()? {
                        '\'' => break,
                        c => cur.push(c),
                    }
                }
            }
            '"' => {
                in_word = true;
                loop {
                    match chars.next()? {
                        '"' => break,
                        '\\' => cur.push(chars.next()?),
                        c => cur.push(c),
                    }
                }
            }
            '\\' => {
                in_word = true;
                cur.push(chars.next()?);
            }
            c if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut cur));
                    in_word = false;
                }
            }
            c => {
                in_word = true;
                cur.push(c);
            }
        }
    }
    if in_word {
        words.push(cur);
    }
    Some(words)
}

/// An age recipient entry: `recipient` and the armored age file `enc`.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct AgeKey {
    pub recipient: String,
    pub enc: String,
}

impl AgeKey {
    /// A key for `recipient`, checked.
    pub fn new(recipient: &str) -> Result<AgeKey> {
        let r = recipient.trim();
        validate_recipient(r)?;
        Ok(AgeKey {
            recipient: r.to_string(),
            enc: String::new(),
        })
    }
}

/// The age key source.
pub struct Source;
pub static SOURCE: Source = Source;

static NAMES: super::Names = super::Names {
    id: "age",
    noun: "age recipient",
    flag: "age",
    short: Some('a'),
    env: Some("SOPS_AGE_RECIPIENTS"),
    add_flag: "add-age",
    rm_flag: "rm-age",
    value_name: "RECIPIENTS",
    help: "age recipients (age1…, age1pq1…, ssh-ed25519 …, ssh-rsa …, plugin recipients)",
    rule_field: "age",
    group_field: "age",
};

impl super::KeySource for Source {
    fn names(&self) -> &'static super::Names {
        &NAMES
    }
    fn parse_list(&self, list: &str, _opts: &super::KeyOptions) -> Result<Vec<super::MasterKey>> {
        super::split_list(list)
            .map(|r| AgeKey::new(r).map(super::MasterKey::new))
            .collect()
    }
    fn read_entry(
        &self,
        e: &crate::tree::Branch,
    ) -> std::result::Result<super::MasterKey, KeyError> {
        Ok(super::MasterKey::new(AgeKey {
            recipient: super::entry_text(e, "recipient", "age")?.trim().to_string(),
            enc: super::entry_text(e, "enc", "age")?,
        }))
    }
    fn read_proto(&self, key: &crate::proto::key::KeyType, enc: &str) -> Option<super::MasterKey> {
        match key {
            crate::proto::key::KeyType::AgeKey(k) => Some(super::MasterKey::new(AgeKey {
                recipient: k.recipient.clone(),
                enc: enc.to_string(),
            })),
            _ => None,
        }
    }
}

impl super::Key for AgeKey {
    fn source(&self) -> &'static dyn super::KeySource {
        &SOURCE
    }
    fn name(&self) -> String {
        self.recipient.clone()
    }
    fn enc(&self) -> &str {
        &self.enc
    }
    fn to_entry(&self) -> crate::tree::Branch {
        vec![
            super::text_item("recipient", &self.recipient),
            super::text_item("enc", &self.enc),
        ]
    }
    fn to_proto(&self) -> crate::proto::key::KeyType {
        crate::proto::key::KeyType::AgeKey(crate::proto::AgeKey {
            recipient: self.recipient.clone(),
        })
    }
    fn wrap(&mut self, secret: &[u8]) -> super::KeyResult<()> {
        self.enc = wrap(&self.recipient, secret)?;
        Ok(())
    }
    fn unwrap(
        &self,
        creds: &mut super::Credentials,
    ) -> std::result::Result<Zeroizing<Vec<u8>>, KeyError> {
        unwrap_for(
            &self.recipient,
            &self.enc,
            creds.get_or_load("age", Identities::load),
        )
    }
    fn set_enc(&mut self, enc: String) {
        self.enc = enc;
    }
    fn clone_key(&self) -> Box<dyn super::Key> {
        Box::new(self.clone())
    }
}

/// Map a failure to unwrap to sops' exit code.
pub fn no_key_error(msg: String) -> Error {
    Error::new(code::COULD_NOT_RETRIEVE_KEY, msg)
}

#[cfg(test)]
mod tests;
