//! Passphrase-protected OpenSSH keys as age identities: the passphrase is
//! asked only when a recipient stanza is for this very key (same key type
//! and the same 4-byte key tag), as Go age's `EncryptedSSHIdentity` does,
//! and the decrypted key is kept for the rest of the process.

use crate::keys::KeyError;
use age::secrecy::SecretString;
use age_core::format::{FileKey, Stanza};
use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD};
use base64::Engine;
use sha2::{Digest, Sha256};

use super::{cache, Ui};

/// The public key blob (SSH wire format) of an `openssh-key-v1` private key
/// file, which is stored unencrypted ahead of the encrypted part.
pub(super) fn openssh_public_key(pem: &[u8]) -> Option<Vec<u8>> {
    let text = std::str::from_utf8(pem).ok()?;
    let begin = "-----BEGIN OPENSSH PRIVATE KEY-----";
    let end = "-----END OPENSSH PRIVATE KEY-----";
    let start = text.find(begin)? + begin.len();
    let stop = start + text[start..].find(end)?;
    let b64: String = text[start..stop]
        .chars()
        .filter(|c| !c.is_ascii_whitespace())
        .collect();
    let raw = STANDARD.decode(b64).ok()?;
    let mut rest = raw.strip_prefix(b"openssh-key-v1\0")?;
    fn string<'a>(rest: &mut &'a [u8]) -> Option<&'a [u8]> {
        let len = u32::from_be_bytes(rest.get(..4)?.try_into().ok()?) as usize;
        let s = rest.get(4..4usize.checked_add(len)?)?;
        *rest = &rest[4 + len..];
        Some(s)
    }
    let _cipher = string(&mut rest)?;
    let _kdf = string(&mut rest)?;
    let _kdf_options = string(&mut rest)?;
    let n = u32::from_be_bytes(rest.get(..4)?.try_into().ok()?);
    rest = &rest[4..];
    if n != 1 {
        return None;
    }
    string(&mut rest).map(<[u8]>::to_vec)
}

/// The key type named at the start of an SSH public key blob.
fn key_type(blob: &[u8]) -> Option<&str> {
    let len = u32::from_be_bytes(blob.get(..4)?.try_into().ok()?) as usize;
    std::str::from_utf8(blob.get(4..4usize.checked_add(len)?)?).ok()
}

/// An encrypted OpenSSH private key, opened on first use.
pub(super) struct EncryptedSsh {
    /// The key file, as shown in the prompt and in errors.
    path: String,
    /// Which setting named it (`SOPS_AGE_SSH_PRIVATE_KEY_FILE`, or empty for
    /// `~/.ssh/id_*`), for the advice in errors.
    var: String,
    key: age::ssh::EncryptedKey,
    stanza_type: String,
    tag: [u8; 4],
    /// SHA-256 of the file, the key of the process-wide cache.
    digest: [u8; 32],
    ui: Ui,
}

impl EncryptedSsh {
    /// None when the public key cannot be read from the file (then the key
    /// is reported as unusable by the caller).
    pub(super) fn new(
        path: String,
        var: &str,
        file: &[u8],
        key: age::ssh::EncryptedKey,
        ui: Ui,
    ) -> Option<EncryptedSsh> {
        let blob = openssh_public_key(file)?;
        let stanza_type = match key_type(&blob)? {
            "ssh-ed25519" => "ssh-ed25519",
            "ssh-rsa" => "ssh-rsa",
            _ => return None,
        }
        .to_string();
        let mut tag = [0u8; 4];
        tag.copy_from_slice(&Sha256::digest(&blob)[..4]);
        Some(EncryptedSsh {
            path,
            var: var.to_string(),
            key,
            stanza_type,
            tag,
            digest: Sha256::digest(file).into(),
            ui,
        })
    }

    fn is_for_me(&self, s: &Stanza) -> bool {
        s.tag == self.stanza_type
            && s.args
                .first()
                .and_then(|a| STANDARD_NO_PAD.decode(a).ok())
                .is_some_and(|t| t == self.tag)
    }

    fn advice(&self) -> String {
        if self.var.is_empty() {
            "run rsops where it can ask on a terminal, or give an unprotected copy of the key with SOPS_AGE_SSH_PRIVATE_KEY_FILE (ssh-keygen -p -N '' -f COPY removes the passphrase of a copy) or SOPS_AGE_SSH_PRIVATE_KEY_CMD".to_string()
        } else {
            format!("run rsops where it can ask on a terminal, or point {} at an unprotected copy of the key (ssh-keygen -p -N '' -f COPY removes the passphrase of a copy), or use SOPS_AGE_SSH_PRIVATE_KEY_CMD", self.var)
        }
    }

    /// The decrypted key, from the cache or by asking for the passphrase.
    /// `Ok(None)` when no passphrase could be asked for (noted in the UI's
    /// failures); `Err` for a wrong passphrase.
    fn open(&self) -> Result<Option<age::ssh::Identity>, KeyError> {
        let _guard = super::tty::lock();
        match cache::get(&self.digest) {
            Some(cache::Entry::Ssh(id)) => return Ok(Some(id)),
            Some(cache::Entry::Failed(e)) => return Err(e),
            Some(cache::Entry::Unavailable(e)) => {
                self.ui.note_failure(e);
                return Ok(None);
            }
            _ => {}
        }
        let prompt = format!("Enter passphrase for {:?}: ", self.path);
        let pass: SecretString = match self.ui.passphrase(&prompt) {
            Ok(p) => p,
            Err(why) => {
                let msg = format!(
                    "the SSH key {:?} is protected by a passphrase, which rsops could not ask for: {why}; {}",
                    self.path,
                    self.advice()
                );
                cache::put(self.digest, cache::Entry::Unavailable(msg.clone()));
                self.ui.note_failure(msg);
                return Ok(None);
            }
        };
        match self.key.decrypt(pass) {
            Ok(k) => {
                let id = age::ssh::Identity::from(k);
                cache::put(self.digest, cache::Entry::Ssh(id.clone()));
                Ok(Some(id))
            }
            Err(_) => {
                let msg = KeyError::Crypto(format!(
                    "wrong passphrase for the SSH key {:?} (or a key rsops cannot decrypt)",
                    self.path
                ));
                cache::put(self.digest, cache::Entry::Failed(msg.clone()));
                Err(msg)
            }
        }
    }
}

impl age::Identity for EncryptedSsh {
    fn unwrap_stanza(&self, stanza: &Stanza) -> Option<Result<FileKey, age::DecryptError>> {
        self.unwrap_stanzas(std::slice::from_ref(stanza))
    }

    fn unwrap_stanzas(&self, stanzas: &[Stanza]) -> Option<Result<FileKey, age::DecryptError>> {
        if !stanzas.iter().any(|s| self.is_for_me(s)) {
            return None;
        }
        match self.open() {
            Ok(Some(id)) => age::Identity::unwrap_stanzas(&id, stanzas),
            Ok(None) => None,
            Err(msg) => Some(Err(age::DecryptError::Io(std::io::Error::other(msg)))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_public_key_of_an_openssh_file() {
        assert!(openssh_public_key(b"not a key").is_none());
        assert!(openssh_public_key(
            b"-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n-----END OPENSSH PRIVATE KEY-----\n"
        )
        .is_none());
        // Truncated length fields never panic.
        let mut raw = b"openssh-key-v1\0".to_vec();
        raw.extend_from_slice(&[0xff, 0xff, 0xff, 0xff]);
        let pem = format!(
            "-----BEGIN OPENSSH PRIVATE KEY-----\n{}\n-----END OPENSSH PRIVATE KEY-----\n",
            STANDARD.encode(&raw)
        );
        assert!(openssh_public_key(pem.as_bytes()).is_none());
        assert!(key_type(&[0, 0, 0, 9, b'a']).is_none());
    }
}
