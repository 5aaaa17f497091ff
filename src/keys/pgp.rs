//! OpenPGP recipients. Two paths, chosen by `RSOPS_PGP_BACKEND`:
//! - `gpg`: the `gpg` binary, as sops does: gpg-agent, pinentry and
//!   smartcards work unchanged. `SOPS_GPG_EXEC` names another binary;
//!   `GNUPGHOME` selects the keyring.
//! - `builtin`: sequoia-openpgp in process (see `openpgp.rs`), for
//!   machines without gpg.
//! - `auto` (the default): gpg first, the built-in path when gpg is missing
//!   or fails; an error reports both.
//!
//! Without the `pgp-builtin` feature there is no built-in path: gpg only,
//! and `builtin` fails naming the feature.

use crate::keys::KeyError;
use std::io::Write;
use std::process::{Command, Stdio};

use zeroize::Zeroizing;

use crate::error::Result;

#[cfg(feature = "pgp-builtin")]
use super::openpgp as builtin;
use packets::check_message_structure;

/// The structure check of `enc` (packet headers only), in every build.
pub(crate) mod packets;

/// The built-in path of a build without it: each use names the feature.
#[cfg(not(feature = "pgp-builtin"))]
mod builtin {
    use zeroize::Zeroizing;

    fn missing() -> String {
        crate::keys::Feature {
            name: "pgp-builtin",
            enabled: false,
        }
        .missing()
    }

    pub fn wrap(_fp: &str, _secret: &[u8]) -> Result<String, crate::keys::KeyError> {
        Err(crate::keys::KeyError::NotBuilt(missing()))
    }

    pub fn unwrap(_enc: &str) -> Result<Zeroizing<Vec<u8>>, crate::keys::KeyError> {
        Err(crate::keys::KeyError::NotBuilt(missing()))
    }
}

fn gpg_binary() -> String {
    match std::env::var("SOPS_GPG_EXEC") {
        Ok(b) if !b.is_empty() => b,
        _ => "gpg".to_string(),
    }
}

/// The last 16 hex digits of a fingerprint (its long key ID).
fn short_id(fp: &str) -> &str {
    let fp = fp.strip_suffix('!').unwrap_or(fp);
    if fp.len() > 16 {
        &fp[fp.len() - 16..]
    } else {
        fp
    }
}

/// Normalise a fingerprint as given on the command line (spaces removed).
pub fn normalize_fingerprint(fp: &str) -> String {
    fp.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Run gpg with `input` on stdin. At most `max_out` bytes of its output
/// are kept: when it writes more, it is killed and the run fails (so a
/// hostile message cannot make rsops buffer what it expands to). Its
/// messages (stderr) are kept up to 64 KiB.
fn run_gpg(
    args: &[&str],
    input: &[u8],
    max_out: usize,
) -> std::result::Result<Zeroizing<Vec<u8>>, KeyError> {
    use std::io::Read;
    const MAX_ERR: u64 = 64 << 10;
    let bin = gpg_binary();
    let mut child = Command::new(&bin)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| {
            KeyError::Local(if e.kind() == std::io::ErrorKind::NotFound {
                format!("the gpg binary {bin:?} was not found: install GnuPG or set SOPS_GPG_EXEC")
            } else {
                format!("cannot run {bin}: {e}")
            })
        })?;
    let mut stdin = child
        .stdin
        .take()
        .ok_or(KeyError::Service("cannot write to gpg".into()))?;
    let data = input.to_vec();
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(&data);
    });
    let stderr = child.stderr.take();
    let errors = std::thread::spawn(move || {
        let mut text = Vec::new();
        if let Some(mut e) = stderr {
            let _ = (&mut e).take(MAX_ERR).read_to_end(&mut text);
            // Drain the rest so gpg never blocks on a full pipe.
            let _ = std::io::copy(&mut e, &mut std::io::sink());
        }
        text
    });
    let mut stdout = Zeroizing::new(Vec::with_capacity(max_out.min(1 << 20) + 1));
    let read = match child.stdout.take() {
        Some(o) => o.take(max_out as u64 + 1).read_to_end(&mut stdout),
        None => Ok(0),
    };
    if stdout.len() > max_out {
        let _ = child.kill();
        let _ = child.wait();
        let _ = writer.join();
        let _ = errors.join();
        return Err(KeyError::Service(format!(
            "gpg wrote more than {max_out} bytes, more than the message can hold if sops wrote it; stopped"
        )));
    }
    let status = child
        .wait()
        .map_err(|e| KeyError::Service(format!("gpg failed: {e}")))?;
    let _ = writer.join();
    let err = errors.join().unwrap_or_default();
    read.map_err(|e| KeyError::Service(format!("reading gpg's output failed: {e}")))?;
    if !status.success() {
        let err = String::from_utf8_lossy(&err).trim().to_string();
        return Err(KeyError::Service(if err.is_empty() {
            format!("gpg exited with {status}")
        } else {
            err
        }));
    }
    Ok(stdout)
}

#[derive(Clone, Copy, PartialEq, Debug)]
enum Backend {
    Auto,
    Gpg,
    Builtin,
}

fn backend() -> std::result::Result<Backend, KeyError> {
    let v = std::env::var("RSOPS_PGP_BACKEND").unwrap_or_default();
    match v.trim().to_ascii_lowercase().as_str() {
        "" | "auto" => Ok(Backend::Auto),
        "gpg" => Ok(Backend::Gpg),
        "builtin" | "built-in" => Ok(Backend::Builtin),
        other => Err(KeyError::Local(format!(
            "RSOPS_PGP_BACKEND={other:?} is not one of auto, gpg, builtin"
        ))),
    }
}

/// Run the gpg path and, when allowed and needed, the built-in one; the
/// error names what each path said.
fn either<T>(
    gpg: impl FnOnce() -> std::result::Result<T, KeyError>,
    builtin: impl FnOnce() -> std::result::Result<T, KeyError>,
) -> std::result::Result<T, KeyError> {
    match backend()? {
        Backend::Gpg => gpg().map_err(|e| KeyError::Service(format!("gpg: {e}"))),
        Backend::Builtin => {
            builtin().map_err(|e| KeyError::Service(format!("built-in OpenPGP: {e}")))
        }
        Backend::Auto => match gpg() {
            Ok(v) => Ok(v),
            Err(g) => {
                builtin().map_err(|b| KeyError::Service(format!("gpg: {g}; built-in OpenPGP: {b}")))
            }
        },
    }
}

/// Encrypt `secret` for the key with fingerprint `fp`; returns the armored message.
pub fn wrap(fp: &str, secret: &[u8]) -> super::KeyResult<String> {
    either(|| wrap_gpg(fp, secret), || builtin::wrap(fp, secret)).map_err(|e| {
        KeyError::Service(format!(
            "could not encrypt the data key with PGP key {fp}: {e}"
        ))
    })
}

fn wrap_gpg(fp: &str, secret: &[u8]) -> std::result::Result<String, KeyError> {
    // An armored message for one recipient is about 1 KiB.
    let out = run_gpg(
        &[
            "--no-default-recipient",
            "--yes",
            "--encrypt",
            "-a",
            "-r",
            fp,
            "--trusted-key",
            short_id(fp),
            "--no-encrypt-to",
        ],
        secret,
        1 << 20,
    )?;
    Ok(String::from_utf8_lossy(&out).trim().to_string())
}

/// Decrypt an armored PGP message holding a data key.
///
/// The message must be encrypted (`check_message_structure`, checked here
/// before gpg runs, and again by the built-in path); gpg runs
/// with `--max-output` and both paths read at most
/// [`super::MAX_DATA_KEY_LEN`] + 1 bytes of what it decrypts to.
pub fn unwrap(enc: &str) -> std::result::Result<Zeroizing<Vec<u8>>, KeyError> {
    check_message_structure(enc.as_bytes())
        .map_err(|e| KeyError::Service(format!("could not decrypt the data key: {e}")))?;
    either(|| unwrap_gpg(enc), || builtin::unwrap(enc))
        .map_err(|e| KeyError::Service(format!("could not decrypt the data key: {e}")))
}

/// gpg's `--max-output` for a data key: it stops writing (and fails) past
/// [`super::MAX_DATA_KEY_LEN`] bytes.
const MAX_OUTPUT: &str = "64";

fn unwrap_gpg(enc: &str) -> std::result::Result<Zeroizing<Vec<u8>>, KeyError> {
    let out = run_gpg(
        &["--max-output", MAX_OUTPUT, "-d"],
        enc.as_bytes(),
        super::MAX_DATA_KEY_LEN,
    )?;
    if out.is_empty() {
        return Err(KeyError::Service("gpg returned no data".into()));
    }
    Ok(out)
}

/// An OpenPGP recipient entry: the fingerprint, the armored message `enc`
/// and when it was made.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct PgpKey {
    pub fp: String,
    pub created_at: String,
    pub enc: String,
}

/// The OpenPGP key source.
pub struct Source;
pub static SOURCE: Source = Source;

static NAMES: super::Names = super::Names {
    id: "pgp",
    noun: "PGP key",
    flag: "pgp",
    short: Some('p'),
    env: Some("SOPS_PGP_FP"),
    add_flag: "add-pgp",
    rm_flag: "rm-pgp",
    value_name: "FPS",
    help: "PGP fingerprints (through gpg, else the built-in OpenPGP code; RSOPS_PGP_BACKEND=gpg|builtin forces one)",
    rule_field: "pgp",
    group_field: "pgp",
};

impl super::KeySource for Source {
    fn names(&self) -> &'static super::Names {
        &NAMES
    }
    fn parse_list(&self, list: &str, _opts: &super::KeyOptions) -> Result<Vec<super::MasterKey>> {
        Ok(super::split_list(list)
            .map(|fp| {
                super::MasterKey::new(PgpKey {
                    fp: normalize_fingerprint(fp),
                    ..Default::default()
                })
            })
            .collect())
    }
    fn read_entry(
        &self,
        e: &crate::tree::Branch,
    ) -> std::result::Result<super::MasterKey, KeyError> {
        Ok(super::MasterKey::new(PgpKey {
            fp: super::entry_text(e, "fp", "pgp")?,
            created_at: super::entry_text(e, "created_at", "pgp")?,
            enc: super::entry_text(e, "enc", "pgp")?,
        }))
    }
    fn read_proto(&self, key: &crate::proto::key::KeyType, enc: &str) -> Option<super::MasterKey> {
        match key {
            crate::proto::key::KeyType::PgpKey(k) => Some(super::MasterKey::new(PgpKey {
                fp: k.fingerprint.clone(),
                enc: enc.to_string(),
                ..Default::default()
            })),
            _ => None,
        }
    }
}

impl super::Key for PgpKey {
    fn source(&self) -> &'static dyn super::KeySource {
        &SOURCE
    }
    fn name(&self) -> String {
        self.fp.clone()
    }
    fn enc(&self) -> &str {
        &self.enc
    }
    fn to_entry(&self) -> crate::tree::Branch {
        vec![
            super::text_item("created_at", &self.created_at),
            super::text_item("enc", &self.enc),
            super::text_item("fp", &self.fp),
        ]
    }
    fn to_proto(&self) -> crate::proto::key::KeyType {
        crate::proto::key::KeyType::PgpKey(crate::proto::PgpKey {
            fingerprint: self.fp.clone(),
        })
    }
    fn wrap(&mut self, secret: &[u8]) -> super::KeyResult<()> {
        self.enc = wrap(&self.fp, secret)?;
        self.created_at = crate::timefmt::now_rfc3339();
        Ok(())
    }
    fn unwrap(
        &self,
        _creds: &mut super::Credentials,
    ) -> std::result::Result<Zeroizing<Vec<u8>>, KeyError> {
        unwrap(&self.enc)
    }
    fn set_enc(&mut self, enc: String) {
        self.enc = enc;
        self.created_at = crate::timefmt::now_rfc3339();
    }
    fn clone_key(&self) -> Box<dyn super::Key> {
        Box::new(self.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gpg_output_limit_matches_the_data_key_cap() {
        assert_eq!(MAX_OUTPUT, super::super::MAX_DATA_KEY_LEN.to_string());
    }

    #[test]
    fn short_ids() {
        assert_eq!(
            short_id("FBC7B9E2A4F9289AC0C1D4843D16CEE4A27381B4"),
            "3D16CEE4A27381B4"
        );
        assert_eq!(short_id("ABC!"), "ABC");
        assert_eq!(normalize_fingerprint("AB CD EF"), "ABCDEF");
    }
}
