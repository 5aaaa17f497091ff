//! OpenPGP recipients. Two paths, chosen by `RSOPS_PGP_BACKEND`:
//! - `gpg`: the `gpg` binary, as sops does: gpg-agent, pinentry and
//!   smartcards work unchanged. `SOPS_GPG_EXEC` names another binary;
//!   `GNUPGHOME` selects the keyring.
//! - `builtin`: sequoia-openpgp in process (see `openpgp.rs`), for
//!   machines without gpg.
//! - `auto` (the default): gpg first, the built-in path when gpg is missing
//!   or fails; an error reports both.

use std::io::Write;
use std::process::{Command, Stdio};

use zeroize::Zeroizing;

use crate::error::{Error, Result};

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

fn run_gpg(args: &[&str], input: &[u8]) -> std::result::Result<Zeroizing<Vec<u8>>, String> {
    let bin = gpg_binary();
    let mut child = Command::new(&bin)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| {
            if e.kind() == std::io::ErrorKind::NotFound {
                format!("the gpg binary {bin:?} was not found: install GnuPG or set SOPS_GPG_EXEC")
            } else {
                format!("cannot run {bin}: {e}")
            }
        })?;
    let mut stdin = child.stdin.take().ok_or("cannot write to gpg")?;
    let data = input.to_vec();
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(&data);
    });
    let out = child
        .wait_with_output()
        .map_err(|e| format!("gpg failed: {e}"))?;
    let _ = writer.join();
    let stdout = Zeroizing::new(out.stdout);
    if !out.status.success() {
        let err = String::from_utf8_lossy(&out.stderr).trim().to_string();
        return Err(if err.is_empty() {
            format!("gpg exited with {}", out.status)
        } else {
            err
        });
    }
    Ok(stdout)
}

#[derive(Clone, Copy, PartialEq, Debug)]
enum Backend {
    Auto,
    Gpg,
    Builtin,
}

fn backend() -> std::result::Result<Backend, String> {
    let v = std::env::var("RSOPS_PGP_BACKEND").unwrap_or_default();
    match v.trim().to_ascii_lowercase().as_str() {
        "" | "auto" => Ok(Backend::Auto),
        "gpg" => Ok(Backend::Gpg),
        "builtin" | "built-in" => Ok(Backend::Builtin),
        other => Err(format!(
            "RSOPS_PGP_BACKEND={other:?} is not one of auto, gpg, builtin"
        )),
    }
}

/// Run the gpg path and, when allowed and needed, the built-in one; the
/// error names what each path said.
fn either<T>(
    gpg: impl FnOnce() -> std::result::Result<T, String>,
    builtin: impl FnOnce() -> std::result::Result<T, String>,
) -> std::result::Result<T, String> {
    match backend()? {
        Backend::Gpg => gpg().map_err(|e| format!("gpg: {e}")),
        Backend::Builtin => builtin().map_err(|e| format!("built-in OpenPGP: {e}")),
        Backend::Auto => match gpg() {
            Ok(v) => Ok(v),
            Err(g) => builtin().map_err(|b| format!("gpg: {g}; built-in OpenPGP: {b}")),
        },
    }
}

/// Encrypt `secret` for the key with fingerprint `fp`; returns the armored message.
pub fn wrap(fp: &str, secret: &[u8]) -> Result<String> {
    either(|| wrap_gpg(fp, secret), || super::openpgp::wrap(fp, secret)).map_err(|e| {
        Error::generic(format!(
            "could not encrypt the data key with PGP key {fp}: {e}"
        ))
    })
}

fn wrap_gpg(fp: &str, secret: &[u8]) -> std::result::Result<String, String> {
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
    )?;
    Ok(String::from_utf8_lossy(&out).trim().to_string())
}

/// Decrypt an armored PGP message holding a data key.
pub fn unwrap(enc: &str) -> std::result::Result<Zeroizing<Vec<u8>>, String> {
    either(|| unwrap_gpg(enc), || super::openpgp::unwrap(enc))
        .map_err(|e| format!("could not decrypt the data key: {e}"))
}

fn unwrap_gpg(enc: &str) -> std::result::Result<Zeroizing<Vec<u8>>, String> {
    let out = run_gpg(&["-d"], enc.as_bytes())?;
    if out.is_empty() {
        return Err("gpg returned no data".into());
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

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
