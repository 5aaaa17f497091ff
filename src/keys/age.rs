//! age recipients (X25519, SSH, plugins) and the identities that open them,
//! found where sops looks for them.

use std::io::{BufReader, Write};
use std::path::PathBuf;
use std::str::FromStr;

use zeroize::Zeroizing;

use crate::error::{code, Error, Result};

/// Terminal interaction for plugins and encrypted SSH keys: messages go to
/// stderr; passphrase prompts are not supported (no secret is read from the
/// terminal by rsops itself).
#[derive(Clone, Copy)]
struct Ui;

impl age::Callbacks for Ui {
    fn display_message(&self, message: &str) {
        eprintln!("{message}");
    }
    fn confirm(&self, _message: &str, _yes: &str, _no: Option<&str>) -> Option<bool> {
        None
    }
    fn request_public_string(&self, _description: &str) -> Option<String> {
        None
    }
    fn request_passphrase(&self, _description: &str) -> Option<age::secrecy::SecretString> {
        None
    }
}

fn is_plugin_recipient(r: &str) -> bool {
    r.starts_with("age1") && r.matches('1').count() > 1
}

/// Check that a recipient string is one rsops can encrypt to.
pub fn validate_recipient(recipient: &str) -> Result<()> {
    let r = recipient.trim();
    let bad = |what: &str| {
        Error::generic(format!(
            "invalid age recipient {r:?}: {what} (expected age1…, ssh-ed25519 … or ssh-rsa …)"
        ))
    };
    if is_plugin_recipient(r) {
        age::plugin::Recipient::from_str(r)
            .map(|_| ())
            .map_err(|_| bad("not a valid plugin recipient"))
    } else if r.starts_with("age1") {
        age::x25519::Recipient::from_str(r)
            .map(|_| ())
            .map_err(|_| bad("not a valid Bech32 public key"))
    } else if r.starts_with("ssh-") {
        age::ssh::Recipient::from_str(r)
            .map(|_| ())
            .map_err(|_| bad("not a supported SSH public key"))
    } else {
        Err(bad("unknown recipient type"))
    }
}

/// Encrypt `secret` to one recipient; returns the ASCII-armored age file.
pub fn wrap(recipient: &str, secret: &[u8]) -> Result<String> {
    let r = recipient.trim();
    let fail = |e: &dyn std::fmt::Display| {
        Error::generic(format!(
            "could not encrypt the data key for age recipient {r}: {e}"
        ))
    };
    let boxed: Box<dyn age::Recipient> = if is_plugin_recipient(r) {
        let pr = age::plugin::Recipient::from_str(r).map_err(|e| fail(&e))?;
        let plugin =
            age::plugin::RecipientPluginV1::new(pr.plugin(), std::slice::from_ref(&pr), &[], Ui)
                .map_err(|e| fail(&e))?;
        Box::new(plugin)
    } else if r.starts_with("age1") {
        Box::new(age::x25519::Recipient::from_str(r).map_err(|e| fail(&e))?)
    } else if r.starts_with("ssh-") {
        Box::new(age::ssh::Recipient::from_str(r).map_err(|e| fail(&format!("{e:?}")))?)
    } else {
        validate_recipient(r)?;
        unreachable!("validate_recipient rejects unknown recipient types")
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

/// Identities found in the places sops looks, with a record of where we
/// looked and what went wrong, for error messages.
#[derive(Default)]
pub struct Identities {
    ids: Vec<Box<dyn age::Identity>>,
    /// Places consulted that held no identity.
    pub not_found: Vec<String>,
    /// Problems while loading (never containing key material).
    pub errors: Vec<String>,
    /// Places identities came from.
    pub sources: Vec<String>,
}

impl Identities {
    /// Identities holding just `id` (tests).
    #[cfg(test)]
    pub(crate) fn of(id: age::x25519::Identity) -> Identities {
        Identities {
            ids: vec![Box::new(id)],
            ..Default::default()
        }
    }

    /// Identities from the text of an identity file (`AGE-SECRET-KEY-…`
    /// lines), as `SOPS_AGE_KEY` holds it.
    pub fn from_text(label: &str, text: &[u8]) -> Identities {
        let mut me = Identities::default();
        me.add_text(label, text);
        me
    }

    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// Load identities: SSH keys (`SOPS_AGE_SSH_PRIVATE_KEY_FILE`,
    /// `~/.ssh/id_ed25519`, `~/.ssh/id_rsa`), then `SOPS_AGE_KEY`,
    /// `SOPS_AGE_KEY_FILE`, `SOPS_AGE_KEY_CMD` and the user config file
    /// `sops/age/keys.txt`, as sops 3.11 does.
    pub fn load() -> Identities {
        let mut me = Identities::default();
        me.load_ssh();
        let mut found_text = false;
        if let Some(v) = std::env::var_os("SOPS_AGE_KEY") {
            found_text = true;
            let text = Zeroizing::new(v.to_string_lossy().into_owned());
            me.add_text("SOPS_AGE_KEY", text.as_bytes());
        } else {
            me.not_found.push("SOPS_AGE_KEY".into());
        }
        if let Some(p) = std::env::var_os("SOPS_AGE_KEY_FILE") {
            found_text = true;
            match std::fs::read(&p) {
                Ok(b) => {
                    let b = Zeroizing::new(b);
                    me.add_text(
                        &format!("SOPS_AGE_KEY_FILE ({})", PathBuf::from(&p).display()),
                        &b,
                    );
                }
                Err(e) => me.errors.push(format!(
                    "failed to open SOPS_AGE_KEY_FILE file {}: {e}",
                    PathBuf::from(&p).display()
                )),
            }
        } else {
            me.not_found.push("SOPS_AGE_KEY_FILE".into());
        }
        if let Some(cmd) = std::env::var_os("SOPS_AGE_KEY_CMD") {
            found_text = true;
            let cmd = cmd.to_string_lossy().into_owned();
            match shell_words(&cmd) {
                Some(args) if !args.is_empty() => {
                    match std::process::Command::new(&args[0])
                        .args(&args[1..])
                        .stdin(std::process::Stdio::inherit())
                        .stderr(std::process::Stdio::inherit())
                        .output()
                    {
                        Ok(out) if out.status.success() => {
                            let b = Zeroizing::new(out.stdout);
                            me.add_text("SOPS_AGE_KEY_CMD", &b);
                        }
                        Ok(out) => me.errors.push(format!(
                            "the command from SOPS_AGE_KEY_CMD failed ({})",
                            out.status
                        )),
                        Err(e) => me.errors.push(format!(
                            "failed to run the command from SOPS_AGE_KEY_CMD: {e}"
                        )),
                    }
                }
                _ => me
                    .errors
                    .push("SOPS_AGE_KEY_CMD is empty or not a valid command line".into()),
            }
        } else {
            me.not_found.push("SOPS_AGE_KEY_CMD".into());
        }
        if let Some(dir) = user_config_dir() {
            let path = dir.join("sops").join("age").join("keys.txt");
            match std::fs::read(&path) {
                Ok(b) => {
                    let b = Zeroizing::new(b);
                    me.add_text(&path.display().to_string(), &b);
                }
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                    if !found_text && me.ids.is_empty() {
                        me.not_found.push(path.display().to_string());
                    }
                }
                Err(e) => me
                    .errors
                    .push(format!("failed to open {}: {e}", path.display())),
            }
        }
        me
    }

    fn load_ssh(&mut self) {
        if let Some(p) = std::env::var_os("SOPS_AGE_SSH_PRIVATE_KEY_FILE") {
            self.add_ssh(PathBuf::from(p), "SOPS_AGE_SSH_PRIVATE_KEY_FILE");
        } else {
            self.not_found.push("SOPS_AGE_SSH_PRIVATE_KEY_FILE".into());
        }
        if let Some(home) = home_dir() {
            for name in ["id_ed25519", "id_rsa"] {
                let p = home.join(".ssh").join(name);
                if p.exists() {
                    self.add_ssh(p, "");
                } else {
                    self.not_found.push(p.display().to_string());
                }
            }
        }
    }

    fn add_ssh(&mut self, path: PathBuf, var: &str) {
        let label = if var.is_empty() {
            path.display().to_string()
        } else {
            format!("{var} ({})", path.display())
        };
        let data = match std::fs::read(&path) {
            Ok(d) => Zeroizing::new(d),
            Err(e) => {
                self.errors
                    .push(format!("failed to read SSH key {label}: {e}"));
                return;
            }
        };
        match age::ssh::Identity::from_buffer(
            BufReader::new(&data[..]),
            Some(path.display().to_string()),
        ) {
            Ok(age::ssh::Identity::Unsupported(_)) => self
                .errors
                .push(format!("SSH key {label} is of a type age does not support")),
            Ok(id) => {
                self.sources.push(label);
                self.ids.push(Box::new(id.with_callbacks(Ui)));
            }
            Err(e) => self
                .errors
                .push(format!("failed to parse SSH key {label}: {e}")),
        }
    }

    fn add_text(&mut self, label: &str, text: &[u8]) {
        match age::IdentityFile::from_buffer(BufReader::new(text)) {
            Ok(file) => match file.with_callbacks(Ui).into_identities() {
                Ok(ids) if ids.is_empty() => self.not_found.push(label.to_string()),
                Ok(ids) => {
                    self.sources.push(label.to_string());
                    self.ids.extend(ids);
                }
                Err(e) => self
                    .errors
                    .push(format!("failed to load age identities from {label}: {e}")),
            },
            Err(e) => self
                .errors
                .push(format!("failed to parse age identities from {label}: {e}")),
        }
    }

    /// A one-line account of where identities were looked for, for errors.
    pub fn explain(&self) -> String {
        let mut s = String::new();
        if self.ids.is_empty() {
            s.push_str("no age identity found");
        } else {
            s.push_str(&format!("age identities from {}", self.sources.join(", ")));
        }
        if !self.errors.is_empty() {
            s.push_str(&format!(
                "; errors while loading: {}",
                self.errors.join("; ")
            ));
        }
        if self.ids.is_empty() && !self.not_found.is_empty() {
            s.push_str(&format!("; looked in {}", self.not_found.join(", ")));
        }
        if self.ids.is_empty() {
            s.push_str(
                "; set SOPS_AGE_KEY_FILE to your keys.txt, or SOPS_AGE_KEY to the key itself",
            );
        }
        s
    }
}

/// Decrypt an armored age file holding a data key (or a Shamir share).
pub fn unwrap(enc: &str, ids: &Identities) -> std::result::Result<Zeroizing<Vec<u8>>, String> {
    if ids.ids.is_empty() {
        return Err(ids.explain());
    }
    let reader = age::armor::ArmoredReader::new(enc.as_bytes());
    let dec = age::Decryptor::new(reader)
        .map_err(|e| format!("the stored age data key is damaged: {e}"))?;
    let r = dec
        .decrypt(ids.ids.iter().map(|i| i.as_ref() as &dyn age::Identity))
        .map_err(|e| match e {
            age::DecryptError::NoMatchingKeys => {
                format!("none of the age identities matches ({})", ids.explain())
            }
            other => format!("age decryption failed: {other}"),
        })?;
    // At most MAX_DATA_KEY_LEN + 1 bytes are read, whatever the payload.
    super::read_data_key(r, "the age payload")
}

fn home_dir() -> Option<PathBuf> {
    std::env::var_os("HOME")
        .filter(|h| !h.is_empty())
        .map(PathBuf::from)
}

/// Go's `os.UserConfigDir`, with sops' XDG override on macOS.
fn user_config_dir() -> Option<PathBuf> {
    if cfg!(target_os = "macos") {
        if let Some(x) = std::env::var_os("XDG_CONFIG_HOME").filter(|x| !x.is_empty()) {
            return Some(PathBuf::from(x));
        }
        return home_dir().map(|h| h.join("Library").join("Application Support"));
    }
    if cfg!(windows) {
        return std::env::var_os("AppData").map(PathBuf::from);
    }
    if let Some(x) = std::env::var_os("XDG_CONFIG_HOME").filter(|x| !x.is_empty()) {
        return Some(PathBuf::from(x));
    }
    home_dir().map(|h| h.join(".config"))
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
    fn read_entry(&self, e: &crate::tree::Branch) -> std::result::Result<super::MasterKey, String> {
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
    fn wrap(&mut self, secret: &[u8]) -> Result<()> {
        self.enc = wrap(&self.recipient, secret)?;
        Ok(())
    }
    fn unwrap(
        &self,
        creds: &mut super::Credentials,
    ) -> std::result::Result<Zeroizing<Vec<u8>>, String> {
        unwrap(&self.enc, creds.get_or_load("age", Identities::load))
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
mod tests {
    use super::*;

    #[test]
    fn wraps_and_unwraps() {
        let id = age::x25519::Identity::generate();
        let r = id.to_public().to_string();
        let enc = wrap(&r, b"0123456789abcdef0123456789abcdef").unwrap();
        assert!(enc.starts_with("-----BEGIN AGE ENCRYPTED FILE-----\n"));
        assert!(enc.ends_with("-----END AGE ENCRYPTED FILE-----\n"));
        let ids = Identities {
            ids: vec![Box::new(id)],
            ..Default::default()
        };
        assert_eq!(
            &unwrap(&enc, &ids).unwrap()[..],
            b"0123456789abcdef0123456789abcdef"
        );
    }

    #[test]
    fn unwrap_reads_at_most_the_data_key_cap() {
        let id = age::x25519::Identity::generate();
        let r = id.to_public().to_string();
        let ids = Identities::of(id);
        // Anyone can encrypt to the recipient named in the file.
        let enc = wrap(&r, &vec![0u8; 1 << 20]).unwrap();
        let e = unwrap(&enc, &ids).unwrap_err();
        assert!(e.contains("more than 64 bytes"), "{e}");
        assert_eq!(
            unwrap(&wrap(&r, &[1u8; 64]).unwrap(), &ids).unwrap().len(),
            64
        );
        assert!(unwrap(&wrap(&r, &[1u8; 65]).unwrap(), &ids).is_err());
    }

    #[test]
    fn words() {
        assert_eq!(
            shell_words("a 'b c' \"d\\\"e\" f\\ g").unwrap(),
            ["a", "b c", "d\"e", "f g"]
        );
        assert!(shell_words("'open").is_none());
    }

    #[test]
    fn rejects_bad_recipients() {
        assert!(validate_recipient("age1notakey").is_err());
        assert!(validate_recipient("bob").is_err());
    }
}
