//! The built-in OpenPGP path (sequoia-openpgp, pure-Rust crypto): used when
//! `gpg` is absent or fails, or always with `RSOPS_PGP_BACKEND=builtin`.
//!
//! Keys come from, in this order and merged by fingerprint:
//! - `RSOPS_PGP_KEY`: armored (or binary) keys, public or secret, e.g. the
//!   output of `gpg --export-secret-keys --armor FP` kept in a CI secret;
//! - `RSOPS_PGP_KEY_FILE`: a file with such keys;
//! - the keyring files sops' own built-in path reads in the GnuPG home
//!   (`$GNUPGHOME`, else `~/.gnupg`): `secring.gpg` and `pubring.gpg`; and,
//!   for public keys only, GnuPG 2.1+'s `pubring.kbx` (its secret keys live
//!   in gpg-agent's store, which only gpg can use).
//!
//! Encryption picks, like gpg, the newest valid encryption-capable key of
//! the certificate named by the fingerprint (or exactly the subkey named
//! with a trailing `!`), refusing revoked and expired certificates.
//! Decryption tries every secret key whose key ID a PKESK names (every key
//! for anonymous recipients), whatever its expiry: old files must open.
//! Passphrase-protected secret keys cannot be unlocked here (no prompt):
//! the error says so and points at gpg.

use crate::keys::KeyError;
use std::io::Write;
use std::path::PathBuf;
use std::sync::OnceLock;

use openpgp::cert::prelude::*;
use openpgp::crypto::SessionKey;
use openpgp::packet::{PKESK, SKESK};
use openpgp::parse::stream::{
    DecryptionHelper, DecryptorBuilder, MessageLayer, MessageStructure, VerificationHelper,
};
use openpgp::parse::Parse;
use openpgp::policy::StandardPolicy;
use openpgp::serialize::stream::{Armorer, Encryptor, LiteralWriter, Message};
use openpgp::types::{RevocationStatus, SymmetricAlgorithm};
use openpgp::{Cert, KeyHandle};
use sequoia_openpgp as openpgp;
use zeroize::Zeroizing;

/// The certificates the built-in path can use, and where they came from.
#[derive(Default)]
struct Keyring {
    certs: Vec<Cert>,
    /// Every place looked at, with what was found there (for errors).
    sources: Vec<String>,
    /// Files or variables that could not be read or parsed.
    problems: Vec<String>,
}

/// `$GNUPGHOME`, else `~/.gnupg`; none when neither is set (never a
/// directory relative to where rsops runs).
fn gnupg_home() -> Option<PathBuf> {
    match std::env::var_os("GNUPGHOME") {
        Some(h) if !h.is_empty() => Some(PathBuf::from(h)),
        _ => super::cloud::home().map(|h| h.join(".gnupg")),
    }
}

impl Keyring {
    fn load() -> Keyring {
        let mut ring = Keyring::default();
        if let Ok(v) = std::env::var("RSOPS_PGP_KEY") {
            let v = Zeroizing::new(v);
            if !v.trim().is_empty() {
                ring.add("RSOPS_PGP_KEY", v.as_bytes());
            }
        }
        if let Some(p) = std::env::var_os("RSOPS_PGP_KEY_FILE").filter(|p| !p.is_empty()) {
            let p = PathBuf::from(p);
            match std::fs::read(&p) {
                Ok(b) => ring.add(
                    &format!("RSOPS_PGP_KEY_FILE {}", p.display()),
                    &Zeroizing::new(b),
                ),
                Err(e) => ring
                    .problems
                    .push(format!("RSOPS_PGP_KEY_FILE {}: {e}", p.display())),
            }
        }
        let Some(home) = gnupg_home() else {
            ring.sources
                .push("no GnuPG home (neither GNUPGHOME nor HOME is set)".into());
            return ring;
        };
        for name in ["secring.gpg", "pubring.gpg"] {
            let p = home.join(name);
            match std::fs::read(&p) {
                Ok(b) => ring.add(&p.display().to_string(), &Zeroizing::new(b)),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                    ring.sources.push(format!("{} (absent)", p.display()))
                }
                Err(e) => ring.problems.push(format!("{}: {e}", p.display())),
            }
        }
        let kbx = home.join("pubring.kbx");
        match std::fs::read(&kbx) {
            Ok(b) => {
                let label = kbx.display().to_string();
                match keybox_keyblocks(&b) {
                    Ok(blocks) => {
                        let before = ring.certs.len();
                        for block in blocks {
                            ring.parse_into(&label, block);
                        }
                        let n = ring.certs.len() - before;
                        ring.sources.push(format!("{label} ({n} certificates)"));
                    }
                    Err(e) => ring.problems.push(format!("{label}: {e}")),
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                ring.sources.push(format!("{} (absent)", kbx.display()))
            }
            Err(e) => ring.problems.push(format!("{}: {e}", kbx.display())),
        }
        ring
    }

    fn add(&mut self, label: &str, bytes: &[u8]) {
        let before = self.certs.len();
        self.parse_into(label, bytes);
        let n = self.certs.len() - before;
        self.sources.push(format!("{label} ({n} certificates)"));
    }

    fn parse_into(&mut self, label: &str, bytes: &[u8]) {
        let parser = match CertParser::from_bytes(bytes) {
            Ok(p) => p,
            Err(e) => {
                self.problems
                    .push(format!("{label}: not OpenPGP key material: {e}"));
                return;
            }
        };
        for cert in parser {
            match cert {
                Ok(cert) => self.insert(cert),
                Err(e) => self.problems.push(format!("{label}: {e}")),
            }
        }
    }

    /// Add `cert`, merging it with a certificate of the same fingerprint
    /// (a public key from one source and its secret from another).
    fn insert(&mut self, cert: Cert) {
        if let Some(i) = self
            .certs
            .iter()
            .position(|c| c.fingerprint() == cert.fingerprint())
        {
            let old = self.certs.swap_remove(i);
            match old.clone().merge_public_and_secret(cert) {
                Ok(m) => self.certs.push(m),
                Err(_) => self.certs.push(old),
            }
        } else {
            self.certs.push(cert);
        }
    }

    fn describe(&self) -> String {
        let mut s = format!("looked in {}", self.sources.join(", "));
        let set = |v: &str| std::env::var_os(v).is_some_and(|x| !x.is_empty());
        if !set("RSOPS_PGP_KEY") && !set("RSOPS_PGP_KEY_FILE") {
            s.push_str(" (RSOPS_PGP_KEY and RSOPS_PGP_KEY_FILE are not set)");
        }
        if !self.problems.is_empty() {
            s.push_str(&format!("; unreadable: {}", self.problems.join("; ")));
        }
        s
    }
}

fn keyring() -> &'static Keyring {
    static RING: OnceLock<Keyring> = OnceLock::new();
    RING.get_or_init(Keyring::load)
}

/// The OpenPGP keyblocks of a GnuPG keybox (`pubring.kbx`): a sequence of
/// blobs, each `u32 length | u8 type | u8 version | u16 flags | u32 offset |
/// u32 length | …`; type 2 blobs hold one keyblock at `offset` from the
/// blob's start. Other blob types (header, X.509) are skipped.
fn keybox_keyblocks(data: &[u8]) -> Result<Vec<&[u8]>, KeyError> {
    let be32 = |b: &[u8], at: usize| -> Option<usize> {
        let s = b.get(at..at + 4)?;
        Some(u32::from_be_bytes([s[0], s[1], s[2], s[3]]) as usize)
    };
    let mut out = Vec::new();
    let mut pos = 0;
    while pos < data.len() {
        let len = be32(data, pos).ok_or(KeyError::Crypto("truncated keybox blob".into()))?;
        if len < 5 || pos + len > data.len() {
            return Err(KeyError::Crypto(format!(
                "keybox blob at byte {pos} has a bad length {len}"
            )));
        }
        let blob = &data[pos..pos + len];
        if blob[4] == 2 {
            let off = be32(blob, 8).ok_or(KeyError::Crypto("truncated keybox blob".into()))?;
            let klen = be32(blob, 12).ok_or(KeyError::Crypto("truncated keybox blob".into()))?;
            let block = off
                .checked_add(klen)
                .and_then(|end| blob.get(off..end))
                .ok_or_else(|| {
                    KeyError::Crypto(format!("keybox blob at byte {pos} points outside itself"))
                })?;
            out.push(block);
        }
        pos += len;
    }
    Ok(out)
}

/// Normalise a fingerprint, key ID or `FP!` as sops and gpg accept them.
fn parse_name(fp: &str) -> (String, bool) {
    let exact = fp.ends_with('!');
    let hex = super::pgp::normalize_fingerprint(fp.trim_end_matches('!'));
    let hex = hex.trim_start_matches("0x").to_ascii_uppercase();
    (hex, exact)
}

fn names_key(cert: &Cert, hex: &str) -> bool {
    cert.keys()
        .any(|k| k.key().fingerprint().to_hex() == hex || k.key().keyid().to_hex() == hex)
}

fn date(t: std::time::SystemTime) -> String {
    let t: time::OffsetDateTime = t.into();
    t.date().to_string()
}

/// Encrypt `secret` for the key `fp`; returns an armored PGP message, as
/// gpg and sops write it.
pub fn wrap(fp: &str, secret: &[u8]) -> Result<String, KeyError> {
    let ring = keyring();
    let (hex, exact) = parse_name(fp);
    let policy = StandardPolicy::new();
    let cert = ring
        .certs
        .iter()
        .find(|c| c.fingerprint().to_hex() == hex)
        .or_else(|| ring.certs.iter().find(|c| names_key(c, &hex)))
        .ok_or_else(|| {
            KeyError::Invalid(format!(
                "no public key with fingerprint {fp} ({}); import it or set RSOPS_PGP_KEY",
                ring.describe()
            ))
        })?;
    let vc = cert
        .with_policy(&policy, None)
        .map_err(|e| KeyError::Crypto(format!("key {fp} cannot be used: {e}")))?;
    if let RevocationStatus::Revoked(_) = vc.revocation_status() {
        return Err(KeyError::Crypto(format!("key {fp} is revoked")));
    }
    if vc.alive().is_err() {
        let when = vc
            .primary_key()
            .key_expiration_time()
            .map(date)
            .unwrap_or_else(|| "an unknown date".into());
        return Err(KeyError::Crypto(format!("key {fp} expired on {when}")));
    }
    let key = vc
        .keys()
        .supported()
        .alive()
        .revoked(false)
        .for_storage_encryption()
        .for_transport_encryption()
        .filter(|k| !exact || k.key().fingerprint().to_hex() == hex || k.key().keyid().to_hex() == hex)
        .max_by_key(|k| k.key().creation_time())
        .ok_or_else(|| {
            KeyError::Invalid(format!("key {fp} has no valid encryption key (every candidate is expired, revoked or not for encryption)"))
        })?;

    let mut armored = Vec::new();
    let message = Message::new(&mut armored);
    let run = || -> openpgp::Result<()> {
        let message = Armorer::new(message).build()?;
        let message = Encryptor::for_recipients(message, [key]).build()?;
        let mut w = LiteralWriter::new(message).build()?;
        w.write_all(secret)?;
        w.finalize()?;
        Ok(())
    };
    run().map_err(|e| KeyError::Crypto(format!("OpenPGP encryption for {fp} failed: {e}")))?;
    String::from_utf8(armored)
        .map(|s| s.trim().to_string())
        .map_err(|_| KeyError::Crypto("OpenPGP armor was not text".to_string()))
}

struct Helper<'a> {
    ring: &'a Keyring,
}

impl VerificationHelper for Helper<'_> {
    fn get_certs(&mut self, _: &[KeyHandle]) -> openpgp::Result<Vec<Cert>> {
        Ok(Vec::new())
    }
    fn check(&mut self, structure: MessageStructure) -> openpgp::Result<()> {
        // A data key message is not signed; nothing to verify. It must be
        // encrypted ([`check_message_structure`] made sure of that before).
        if structure
            .iter()
            .any(|l| matches!(l, MessageLayer::Encryption { .. }))
        {
            Ok(())
        } else {
            Err(helper_error("the message is not encrypted".into()).into())
        }
    }
}

impl DecryptionHelper for Helper<'_> {
    fn decrypt(
        &mut self,
        pkesks: &[PKESK],
        _: &[SKESK],
        sym_algo: Option<SymmetricAlgorithm>,
        decrypt: &mut dyn FnMut(Option<SymmetricAlgorithm>, &SessionKey) -> bool,
    ) -> openpgp::Result<Option<Cert>> {
        let mut locked = Vec::new();
        let mut failed = Vec::new();
        for pkesk in pkesks {
            let want = pkesk.recipient();
            for cert in &self.ring.certs {
                for ka in cert.keys().secret() {
                    let key = ka.key();
                    let matches = match &want {
                        None => true,
                        Some(KeyHandle::KeyID(id)) => *id == key.keyid(),
                        Some(KeyHandle::Fingerprint(f)) => *f == key.fingerprint(),
                    };
                    if !matches {
                        continue;
                    }
                    if !key.has_unencrypted_secret() {
                        locked.push(key.keyid().to_hex());
                        continue;
                    }
                    let Ok(mut pair) = key.clone().into_keypair() else {
                        failed.push(key.keyid().to_hex());
                        continue;
                    };
                    match pkesk.decrypt(&mut pair, sym_algo) {
                        Some((algo, sk)) if decrypt(algo, &sk) => return Ok(None),
                        _ => failed.push(key.keyid().to_hex()),
                    }
                }
            }
        }
        let recipients: Vec<String> = pkesks
            .iter()
            .map(|p| match p.recipient() {
                Some(h) => h.to_hex(),
                None => "anonymous".into(),
            })
            .collect();
        let mut msg = format!(
            "no secret key for this message (its recipients: {})",
            recipients.join(", ")
        );
        if !locked.is_empty() {
            msg.push_str(&format!(
                "; secret key {} is protected by a passphrase, which the built-in path cannot ask for: decrypt through gpg (gpg-agent), or give an unprotected key in RSOPS_PGP_KEY",
                locked.join(", ")
            ));
        }
        if !failed.is_empty() {
            msg.push_str(&format!("; key {} could not decrypt it", failed.join(", ")));
        }
        msg.push_str(&format!("; {}", self.ring.describe()));
        Err(helper_error(msg).into())
    }
}

fn helper_error(msg: String) -> openpgp::Error {
    openpgp::Error::InvalidOperation(msg)
}

/// The structure check (packet headers only) lives with the PGP key
/// source, so builds without this module keep it.
pub use super::pgp::packets::check_message_structure;

/// Decrypt an armored PGP message holding a data key. At most
/// [`super::MAX_DATA_KEY_LEN`] bytes are read from it (and sequoia buffers
/// at most about 2 KiB ahead), whatever the message expands to.
pub fn unwrap(enc: &str) -> Result<Zeroizing<Vec<u8>>, KeyError> {
    unwrap_with(enc, keyring())
}

/// [`unwrap`] with these certificates (and their secret keys) instead of
/// the ones found in the environment: for the fuzz targets.
#[doc(hidden)]
pub fn unwrap_with_certs(enc: &str, certs: Vec<Cert>) -> Result<Zeroizing<Vec<u8>>, KeyError> {
    unwrap_with(
        enc,
        &Keyring {
            certs,
            ..Default::default()
        },
    )
}

fn unwrap_with(enc: &str, ring: &Keyring) -> Result<Zeroizing<Vec<u8>>, KeyError> {
    check_message_structure(enc.as_bytes())?;
    let policy = StandardPolicy::new();
    let builder = DecryptorBuilder::from_bytes(enc.as_bytes())
        .map_err(|e| KeyError::Crypto(format!("not an OpenPGP message: {e}")))?
        .buffer_size(1024);
    let dec = builder
        .with_policy(&policy, None, Helper { ring })
        .map_err(|e| {
            KeyError::Crypto(match e.downcast_ref::<openpgp::Error>() {
                Some(openpgp::Error::InvalidOperation(m)) => m.clone(),
                _ => format!("{e:#}"),
            })
        })?;
    let out = super::read_data_key(dec, "the decrypted message")?;
    if out.is_empty() {
        return Err(KeyError::Crypto("the message holds no data".into()));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    use openpgp::parse::PacketParser;
    use openpgp::serialize::stream::Compressor;
    use openpgp::types::CompressionAlgorithm;

    /// A throwaway certificate with its secret keys.
    fn cert() -> Cert {
        CertBuilder::general_purpose(Some("rsops test (TEST ONLY)"))
            .generate()
            .unwrap()
            .0
    }

    /// An armored message: `layers` decide encryption (for `to`) and
    /// compression around a literal packet of `payload`.
    fn message(to: Option<&Cert>, compress: bool, payload: &[u8]) -> String {
        let policy = StandardPolicy::new();
        let mut out = Vec::new();
        let m = Message::new(&mut out);
        let m = Armorer::new(m).build().unwrap();
        let m = match to {
            Some(c) => {
                let keys = c
                    .keys()
                    .with_policy(&policy, None)
                    .supported()
                    .for_transport_encryption();
                Encryptor::for_recipients(m, keys).build().unwrap()
            }
            None => m,
        };
        let m = if compress {
            Compressor::new(m)
                .algo(CompressionAlgorithm::Zip)
                .build()
                .unwrap()
        } else {
            m
        };
        let mut w = LiteralWriter::new(m).build().unwrap();
        w.write_all(payload).unwrap();
        w.finalize().unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn only_encrypted_messages_pass_the_structure_check() {
        let c = cert();
        let key = [7u8; 32];
        assert_eq!(
            check_message_structure(message(Some(&c), false, &key).as_bytes()),
            Ok(())
        );
        assert_eq!(
            check_message_structure(message(Some(&c), true, &key).as_bytes()),
            Ok(())
        );
        // A compressed literal packet, or a bare one: no key needed to read
        // them, and 1 MiB of zeros compresses to about 1 KiB.
        let zeros = vec![0u8; 1 << 20];
        let bomb = message(None, true, &zeros);
        assert!(bomb.len() < 4096, "{}", bomb.len());
        let e = check_message_structure(bomb.as_bytes()).unwrap_err();
        assert!(
            e.to_string().contains("starts with a Compressed Data")
                && e.to_string().contains("tag 8"),
            "{e}"
        );
        assert!(e.to_string().contains("not written by sops"), "{e}");
        let e = check_message_structure(message(None, false, &key).as_bytes()).unwrap_err();
        assert!(e.to_string().contains("Literal"), "{e}");
        // Anything after the encrypted packet.
        let binary = |s: &str| {
            let mut r = openpgp::armor::Reader::from_bytes(
                s.as_bytes(),
                openpgp::armor::ReaderMode::Tolerant(None),
            );
            let mut b = Vec::new();
            std::io::Read::read_to_end(&mut r, &mut b).unwrap();
            b
        };
        let sealed = binary(&message(Some(&c), false, &key));
        let mut two = sealed.clone();
        two.extend(binary(&message(None, false, &key)));
        let e = check_message_structure(&two).unwrap_err();
        assert!(
            e.to_string().contains("follows the encrypted data packet"),
            "{e}"
        );
        // Session keys only (the first packet: a new-format header with a
        // one-octet length), junk, nothing.
        let esk = &sealed[..2 + sealed[1] as usize];
        let e = check_message_structure(esk).unwrap_err();
        assert!(e.to_string().contains("no encrypted data packet"), "{e}");
        assert!(check_message_structure(b"not a message").is_err());
        assert!(check_message_structure(b"").is_err());
    }

    /// Builds without sequoia read the armor themselves
    /// (`pgp::packets::dearmor_text`): the same packets as sequoia's reader
    /// for what sequoia and gpg write, and the same packet names.
    #[test]
    fn the_armor_reader_of_builds_without_sequoia_agrees() {
        use crate::keys::pgp::packets::{dearmor_text, tag_name};
        let c = cert();
        let key = [7u8; 32];
        let sequoia = |text: &[u8]| {
            let mut r = openpgp::armor::Reader::from_bytes(
                text,
                openpgp::armor::ReaderMode::Tolerant(None),
            );
            let mut b = Vec::new();
            std::io::Read::read_to_end(&mut r, &mut b).unwrap();
            b
        };
        let mut texts = Vec::new();
        for (to, compress) in [(Some(&c), false), (Some(&c), true), (None, true)] {
            let m = message(to, compress, &key);
            texts.push(m.replace('\n', "\r\n"));
            texts.push(format!("\n  {}\n", m.trim_end().replace('\n', "\n  ")));
            texts.push(m);
        }
        // Header lines, as gpg writes them with --comment.
        let mut with_headers = Vec::new();
        {
            let mut w = openpgp::armor::Writer::with_headers(
                &mut with_headers,
                openpgp::armor::Kind::Message,
                vec![("Comment", "rsops test"), ("Version", "x")],
            )
            .unwrap();
            w.write_all(&sequoia(message(Some(&c), false, &key).as_bytes()))
                .unwrap();
            w.finalize().unwrap();
        }
        texts.push(String::from_utf8(with_headers).unwrap());
        for t in &texts {
            let packets = sequoia(t.as_bytes());
            assert!(!packets.is_empty());
            assert_eq!(dearmor_text(t.as_bytes()).unwrap(), packets, "{t}");
        }
        for tag in 0..=63u8 {
            assert_eq!(tag_name(tag), openpgp::packet::Tag::from(tag).to_string());
        }
    }

    /// What sops' Go OpenPGP code wrote (sops' test files have it): an RSA
    /// session key whose value has leading zero bits. gpg reads it;
    /// sequoia's packet parser refuses it. The check reads headers only,
    /// so it passes — in old-format headers and with partial lengths too.
    #[test]
    fn the_structure_check_reads_headers_only() {
        // PKESK v3: version, key ID, RSA, then an MPI of 2048 bits whose
        // first byte is zero (its leading bit is not set).
        let mut pkesk = vec![3u8];
        pkesk.extend([0x25, 0x29, 0x4a, 0x17, 0xcd, 0x90, 0x50, 0x7f, 1]);
        pkesk.extend([0x08, 0x00]);
        pkesk.push(0);
        pkesk.extend([0x5a; 255]);
        assert!(
            PacketParser::from_bytes(&new_format(1, &pkesk)).is_err(),
            "sequoia accepts it now: the comment above is stale"
        );
        let seip = [1u8; 80];
        let mut msg = new_format(1, &pkesk);
        msg.extend(new_format(18, &seip));
        assert_eq!(check_message_structure(&msg), Ok(()));
        // Armored, as sops stores it.
        let mut armored = Vec::new();
        {
            let mut w =
                openpgp::armor::Writer::new(&mut armored, openpgp::armor::Kind::Message).unwrap();
            w.write_all(&msg).unwrap();
            w.finalize().unwrap();
        }
        assert_eq!(check_message_structure(&armored), Ok(()));
        // Old-format headers (two-octet length; a SED packet, tag 9, of
        // indeterminate length: old headers hold tags up to 15 only).
        let mut old = vec![0x80 | (1 << 2) | 1];
        old.extend((pkesk.len() as u16).to_be_bytes());
        old.extend(&pkesk);
        old.push(0x80 | (9 << 2) | 3);
        old.extend(seip);
        assert_eq!(check_message_structure(&old), Ok(()));
        // A data packet in partial chunks: 64 bytes, then the last 16.
        let mut partial = new_format(1, &pkesk);
        partial.extend([0xc0 | 18, 0xe0 | 6]);
        partial.extend(&seip[..64]);
        partial.push(16);
        partial.extend(&seip[64..]);
        assert_eq!(check_message_structure(&partial), Ok(()));
        // Cut short anywhere: refused, never read past the end.
        for n in 1..msg.len() {
            assert!(check_message_structure(&msg[..n]).is_err(), "{n}");
        }
        let mut cut = partial.clone();
        cut.truncate(partial.len() - 1);
        assert!(check_message_structure(&cut).is_err());
        // A literal packet behind a session key is still refused.
        let mut lit = new_format(1, &pkesk);
        lit.extend(new_format(11, b"b\x00\x00\x00\x00\x00key"));
        let e = check_message_structure(&lit).unwrap_err();
        assert!(
            e.to_string().contains("after its session keys") && e.to_string().contains("tag 11"),
            "{e}"
        );
    }

    /// A packet with a new-format header.
    fn new_format(tag: u8, body: &[u8]) -> Vec<u8> {
        let mut out = vec![0xc0 | tag];
        match body.len() {
            n @ 0..=191 => out.push(n as u8),
            n @ 192..=8383 => {
                let n = n - 192;
                out.extend([((n >> 8) + 192) as u8, n as u8]);
            }
            n => {
                out.push(255);
                out.extend((n as u32).to_be_bytes());
            }
        }
        out.extend(body);
        out
    }

    #[test]
    fn unwrap_reads_at_most_the_data_key_cap() {
        let c = cert();
        let ring = Keyring {
            certs: vec![c.clone()],
            ..Default::default()
        };
        let key = [7u8; 32];
        let ok = unwrap_with(&message(Some(&c), false, &key), &ring).unwrap();
        assert_eq!(&ok[..], &key);
        let share = [9u8; 33];
        assert_eq!(
            &unwrap_with(&message(Some(&c), true, &share), &ring).unwrap()[..],
            &share
        );
        // Encrypted to the right key (anyone can: the public key is in the
        // file), compressed, 8 MiB: refused after reading 65 bytes.
        let big = vec![0u8; 8 << 20];
        let e = unwrap_with(&message(Some(&c), true, &big), &ring).unwrap_err();
        assert!(e.to_string().contains("more than 64 bytes"), "{e}");
        let e = unwrap_with(&message(Some(&c), false, &[1u8; 65]), &ring).unwrap_err();
        assert!(e.to_string().contains("more than 64 bytes"), "{e}");
        assert_eq!(
            unwrap_with(&message(Some(&c), false, &[1u8; 64]), &ring)
                .unwrap()
                .len(),
            64
        );
        // Not encrypted: refused before decryption is tried.
        let e = unwrap_with(&message(None, true, &big), &ring).unwrap_err();
        assert!(e.to_string().contains("Compressed Data"), "{e}");
    }

    #[test]
    fn names() {
        assert_eq!(parse_name("ab cd!"), ("ABCD".to_string(), true));
        assert_eq!(parse_name("0xabcd"), ("ABCD".to_string(), false));
    }

    #[test]
    fn keybox_blobs() {
        // A header blob (type 1) then one OpenPGP blob (type 2) whose
        // keyblock is the 3 bytes after its 16-byte head.
        let mut kbx = vec![0, 0, 0, 8, 1, 1, 0, 0];
        kbx.extend_from_slice(&[0, 0, 0, 19, 2, 1, 0, 0, 0, 0, 0, 16, 0, 0, 0, 3]);
        kbx.extend_from_slice(b"abc");
        assert_eq!(keybox_keyblocks(&kbx).unwrap(), vec![&b"abc"[..]]);
        // Truncated or out-of-range blobs are errors, not panics.
        assert!(keybox_keyblocks(&kbx[..10]).is_err());
        let mut bad = kbx.clone();
        bad[19] = 200;
        assert!(keybox_keyblocks(&bad).is_err());
    }
}
