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

/// Run gpg with `input` on stdin. At most `max_out` bytes of its output
/// are kept: when it writes more, it is killed and the run fails (so a
/// hostile message cannot make rsops buffer what it expands to). Its
/// messages (stderr) are kept up to 64 KiB.
fn run_gpg(
    args: &[&str],
    input: &[u8],
    max_out: usize,
) -> std::result::Result<Zeroizing<Vec<u8>>, String> {
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
        return Err(format!(
            "gpg wrote more than {max_out} bytes, more than the message can hold if sops wrote it; stopped"
        ));
    }
    let status = child.wait().map_err(|e| format!("gpg failed: {e}"))?;
    let _ = writer.join();
    let err = errors.join().unwrap_or_default();
    read.map_err(|e| format!("reading gpg's output failed: {e}"))?;
    if !status.success() {
        let err = String::from_utf8_lossy(&err).trim().to_string();
        return Err(if err.is_empty() {
            format!("gpg exited with {status}")
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
/// The message must be encrypted ([`super::openpgp::check_message_structure`],
/// checked here before gpg runs, and again by the built-in path); gpg runs
/// with `--max-output` and both paths read at most
/// [`super::MAX_DATA_KEY_LEN`] + 1 bytes of what it decrypts to.
pub fn unwrap(enc: &str) -> std::result::Result<Zeroizing<Vec<u8>>, String> {
    super::openpgp::check_message_structure(enc.as_bytes())
        .map_err(|e| format!("could not decrypt the data key: {e}"))?;
    either(|| unwrap_gpg(enc), || super::openpgp::unwrap(enc))
        .map_err(|e| format!("could not decrypt the data key: {e}"))
}

/// gpg's `--max-output` for a data key: it stops writing (and fails) past
/// [`super::MAX_DATA_KEY_LEN`] bytes.
const MAX_OUTPUT: &str = "64";

fn unwrap_gpg(enc: &str) -> std::result::Result<Zeroizing<Vec<u8>>, String> {
    let out = run_gpg(
        &["--max-output", MAX_OUTPUT, "-d"],
        enc.as_bytes(),
        super::MAX_DATA_KEY_LEN,
    )?;
    if out.is_empty() {
        return Err("gpg returned no data".into());
    }
    Ok(out)
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
