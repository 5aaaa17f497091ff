//! Post-quantum hybrid age recipients and identities: ML-KEM-768 combined
//! with X25519 ("X-Wing" as draft-ietf-hpke-pq and c2sp.org/age define it),
//! written `age1pq1…` / `AGE-SECRET-KEY-PQ-1…`, with recipient stanzas of type
//! `mlkem768x25519`. age 1.3 (Go) added this type and sops 3.12 accepts it;
//! the Rust age crate does not have it, so it is built here on the RustCrypto
//! primitives and plugged into the age crate through its `Recipient` and
//! `Identity` traits.
//!
//! The construction, step by step (c2sp.org/age, "The MLKEM768-X25519 hybrid
//! post-quantum recipient type"):
//! - identity: 32 random bytes; SHAKE256 of them gives the 64-byte ML-KEM-768
//!   seed (d‖z, FIPS 203 KeyGen_internal) and then the 32-byte X25519 scalar;
//! - recipient: the ML-KEM encapsulation key (1184 bytes) ‖ the X25519 public
//!   key (32 bytes), in Bech32 (no 90-character limit);
//! - wrapping a file key: HPKE base mode (RFC 9180) with that KEM (id 0x647a),
//!   HKDF-SHA256 and ChaCha20-Poly1305, info `age-encryption.org/mlkem768x25519`;
//!   the shared secret is SHA3-256(ss_PQ ‖ ss_X25519 ‖ ct_X25519 ‖ pk_X25519 ‖
//!   the label `\./` `/^\`); the stanza is `-> mlkem768x25519 base64(enc)` with
//!   the 32-byte sealed file key as its body.

use crate::keys::KeyError;
use std::collections::HashSet;
use std::fmt;
use std::str::FromStr;

use age_core::format::{FileKey, Stanza, FILE_KEY_BYTES};
use age_core::secrecy::ExposeSecret;
use base64::engine::general_purpose::STANDARD_NO_PAD;
use base64::Engine;
use bech32::{FromBase32, ToBase32, Variant};
use chacha20poly1305::aead::{Aead, KeyInit};
use chacha20poly1305::ChaCha20Poly1305;
use hkdf::Hkdf;
use ml_kem::{Decapsulate, Encapsulate, KeyExport};
use sha2::Sha256;
use sha3::digest::{ExtendableOutput, Update, XofReader};
use sha3::{Digest, Sha3_256, Shake256};
use zeroize::{Zeroize, Zeroizing};

/// Bech32 human-readable part of recipients (`age1pq1…`).
pub const RECIPIENT_HRP: &str = "age1pq";
/// Bech32 human-readable part of identities, written upper-case
/// (`AGE-SECRET-KEY-PQ-1…`).
pub const IDENTITY_HRP: &str = "age-secret-key-pq-";
/// Recipient stanza type.
pub const STANZA_TAG: &str = "mlkem768x25519";

const INFO: &[u8] = b"age-encryption.org/mlkem768x25519";
/// The X-Wing combiner label: the six bytes `\./` `/^\`.
const XWING_LABEL: &[u8] = b"\\.//^\\";
/// "HPKE" ‖ KEM 0x647a ‖ KDF 0x0001 (HKDF-SHA256) ‖ AEAD 0x0003 (ChaCha20Poly1305).
const SUITE_ID: &[u8] = b"HPKE\x64\x7a\x00\x01\x00\x03";

const MLKEM_EK_LEN: usize = 1184;
const MLKEM_CT_LEN: usize = 1088;
const X25519_LEN: usize = 32;
const PUBLIC_KEY_LEN: usize = MLKEM_EK_LEN + X25519_LEN;
const ENC_LEN: usize = MLKEM_CT_LEN + X25519_LEN;
const SEED_LEN: usize = 32;
const SEALED_FILE_KEY_LEN: usize = FILE_KEY_BYTES + 16;

/// The label that keeps age from mixing this recipient with classic ones in
/// one file (as age 1.3's `WrapWithLabels` does).
const POSTQUANTUM_LABEL: &str = "postquantum";

/// Decode a Bech32 string (BIP-173 checksum, any length) with human-readable
/// part `hrp`. Errors never quote the input (it may be a secret key).
fn bech32_decode(s: &str, hrp: &str) -> Result<Zeroizing<Vec<u8>>, KeyError> {
    let (got, data, variant) =
        bech32::decode(s).map_err(|e| KeyError::Invalid(format!("invalid Bech32: {e}")))?;
    if variant != Variant::Bech32 {
        return Err(KeyError::Invalid(
            "invalid Bech32: the checksum is Bech32m, not Bech32".into(),
        ));
    }
    if got != hrp {
        return Err(KeyError::Invalid(format!(
            "unexpected type {got:?} (expected {hrp:?})"
        )));
    }
    Vec::<u8>::from_base32(&data)
        .map(Zeroizing::new)
        .map_err(|e| KeyError::Invalid(format!("invalid Bech32 data: {e}")))
}

fn bech32_encode(hrp: &str, data: &[u8]) -> Zeroizing<String> {
    // Encoding only fails for an invalid human-readable part, and both of
    // ours are valid constants.
    Zeroizing::new(bech32::encode(hrp, data.to_base32(), Variant::Bech32).unwrap_or_default())
}

/// A post-quantum hybrid recipient (`age1pq1…`).
#[derive(Clone)]
pub struct Recipient {
    ek: ml_kem::EncapsulationKey768,
    pk_t: x25519_dalek::PublicKey,
}

impl Recipient {
    fn from_bytes(b: &[u8]) -> Result<Recipient, KeyError> {
        if b.len() != PUBLIC_KEY_LEN {
            return Err(KeyError::Invalid(format!(
                "invalid public key length {} (expected {PUBLIC_KEY_LEN} bytes)",
                b.len()
            )));
        }
        let (pq, t) = b.split_at(MLKEM_EK_LEN);
        let key = ml_kem::Key::<ml_kem::EncapsulationKey768>::try_from(pq)
            .map_err(|_| KeyError::Invalid("invalid ML-KEM-768 encapsulation key".to_string()))?;
        let ek = ml_kem::EncapsulationKey768::new(&key)
            .map_err(|_| KeyError::Invalid("invalid ML-KEM-768 encapsulation key".to_string()))?;
        let mut pk = [0u8; X25519_LEN];
        pk.copy_from_slice(t);
        Ok(Recipient {
            ek,
            pk_t: x25519_dalek::PublicKey::from(pk),
        })
    }

    fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(PUBLIC_KEY_LEN);
        out.extend_from_slice(self.ek.to_bytes().as_slice());
        out.extend_from_slice(self.pk_t.as_bytes());
        out
    }
}

impl FromStr for Recipient {
    type Err = KeyError;

    /// Parse `age1pq1…`; errors say what is wrong without quoting the key.
    fn from_str(s: &str) -> Result<Recipient, KeyError> {
        let data = bech32_decode(s, RECIPIENT_HRP)
            .map_err(|e| KeyError::Invalid(format!("malformed post-quantum age recipient: {e}")))?;
        Recipient::from_bytes(&data)
            .map_err(|e| KeyError::Invalid(format!("malformed post-quantum age recipient: {e}")))
    }
}

impl fmt::Display for Recipient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&bech32_encode(RECIPIENT_HRP, &self.to_bytes()))
    }
}

impl fmt::Debug for Recipient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "pq::Recipient({self})")
    }
}

/// HPKE key schedule, base mode (RFC 9180 §5.1), for our suite: the AEAD
/// key and nonce derived from the KEM shared secret.
fn key_schedule(shared: &[u8; 32]) -> (Zeroizing<[u8; 32]>, [u8; 12]) {
    fn labeled_ikm(label: &[u8], ikm: &[u8]) -> Zeroizing<Vec<u8>> {
        let mut v = Zeroizing::new(Vec::with_capacity(
            7 + SUITE_ID.len() + label.len() + ikm.len(),
        ));
        v.extend_from_slice(b"HPKE-v1");
        v.extend_from_slice(SUITE_ID);
        v.extend_from_slice(label);
        v.extend_from_slice(ikm);
        v
    }
    fn labeled_info(len: u16, label: &[u8], info: &[u8]) -> Vec<u8> {
        let mut v = Vec::with_capacity(2 + 7 + SUITE_ID.len() + label.len() + info.len());
        v.extend_from_slice(&len.to_be_bytes());
        v.extend_from_slice(b"HPKE-v1");
        v.extend_from_slice(SUITE_ID);
        v.extend_from_slice(label);
        v.extend_from_slice(info);
        v
    }
    // LabeledExtract(salt, label, ikm) = HKDF-Extract(salt, "HPKE-v1" ‖ suite ‖ label ‖ ikm)
    let extract = |salt: &[u8], label: &[u8], ikm: &[u8]| {
        let (prk, _) = Hkdf::<Sha256>::extract(Some(salt), &labeled_ikm(label, ikm));
        let mut out = Zeroizing::new([0u8; 32]);
        out.copy_from_slice(&prk);
        out
    };
    let psk_id_hash = extract(b"", b"psk_id_hash", b"");
    let info_hash = extract(b"", b"info_hash", INFO);
    let mut ks_context = Vec::with_capacity(65);
    ks_context.push(0u8); // mode_base
    ks_context.extend_from_slice(&psk_id_hash[..]);
    ks_context.extend_from_slice(&info_hash[..]);
    let secret = extract(shared, b"secret", b"");
    let mut key = Zeroizing::new([0u8; 32]);
    let mut nonce = [0u8; 12];
    // `from_prk` only fails for a PRK shorter than the hash output, and
    // `expand` only for outputs longer than 255 hash blocks: neither here.
    if let Ok(kdf) = Hkdf::<Sha256>::from_prk(&secret[..]) {
        let _ = kdf.expand(&labeled_info(32, b"key", &ks_context), &mut key[..]);
        let _ = kdf.expand(&labeled_info(12, b"base_nonce", &ks_context), &mut nonce);
    }
    (key, nonce)
}

/// SHA3-256(ss_PQ ‖ ss_T ‖ ct_T ‖ pk_T ‖ label): the X-Wing combiner.
fn combine(ss_pq: &[u8], ss_t: &[u8; 32], ct_t: &[u8; 32], pk_t: &[u8; 32]) -> Zeroizing<[u8; 32]> {
    let mut h = Sha3_256::new();
    Digest::update(&mut h, ss_pq);
    Digest::update(&mut h, ss_t);
    Digest::update(&mut h, ct_t);
    Digest::update(&mut h, pk_t);
    Digest::update(&mut h, XWING_LABEL);
    let mut out = Zeroizing::new([0u8; 32]);
    out.copy_from_slice(&h.finalize());
    out
}

fn is_all_zero(b: &[u8; 32]) -> bool {
    b.iter().fold(0u8, |acc, x| acc | x) == 0
}

impl Recipient {
    /// Seal a 16-byte file key; returns (enc, body) of the stanza.
    fn seal(&self, file_key: &[u8; FILE_KEY_BYTES]) -> Result<(Vec<u8>, Vec<u8>), KeyError> {
        let eph = x25519_dalek::StaticSecret::random_from_rng(rand::rngs::OsRng);
        let ct_t = x25519_dalek::PublicKey::from(&eph);
        let ss_t = eph.diffie_hellman(&self.pk_t);
        if is_all_zero(ss_t.as_bytes()) {
            return Err(KeyError::Crypto(
                "the recipient's X25519 key is a low-order point".into(),
            ));
        }
        let (ct_pq, ss_pq) = self.ek.encapsulate();
        let ss = combine(
            ss_pq.as_slice(),
            ss_t.as_bytes(),
            ct_t.as_bytes(),
            self.pk_t.as_bytes(),
        );
        let (key, nonce) = key_schedule(&ss);
        let body = ChaCha20Poly1305::new((&*key).into())
            .encrypt((&nonce).into(), &file_key[..])
            .map_err(|_| KeyError::Crypto("sealing the file key failed".into()))?;
        let mut enc = Vec::with_capacity(ENC_LEN);
        enc.extend_from_slice(ct_pq.as_slice());
        enc.extend_from_slice(ct_t.as_bytes());
        Ok((enc, body))
    }
}

impl age::Recipient for Recipient {
    fn wrap_file_key(
        &self,
        file_key: &FileKey,
    ) -> Result<(Vec<Stanza>, HashSet<String>), age::EncryptError> {
        let (enc, body) = self
            .seal(file_key.expose_secret())
            .map_err(|e| age::EncryptError::Io(std::io::Error::other(e)))?;
        let stanza = Stanza {
            tag: STANZA_TAG.to_string(),
            args: vec![STANDARD_NO_PAD.encode(enc)],
            body,
        };
        Ok((vec![stanza], HashSet::from([POSTQUANTUM_LABEL.to_string()])))
    }
}

/// A post-quantum hybrid identity (`AGE-SECRET-KEY-PQ-1…`).
pub struct Identity {
    seed: Zeroizing<[u8; SEED_LEN]>,
    dk: ml_kem::DecapsulationKey768,
    sk_t: x25519_dalek::StaticSecret,
    pk_t: x25519_dalek::PublicKey,
}

impl Identity {
    /// Expand a 32-byte seed: SHAKE256(seed) = ML-KEM seed (64) ‖ X25519 scalar (32).
    pub fn from_seed(seed: &[u8; SEED_LEN]) -> Identity {
        let mut xof = Shake256::default();
        xof.update(seed);
        let mut reader = xof.finalize_xof();
        let mut pq_seed = ml_kem::Seed::default();
        reader.read(pq_seed.as_mut_slice());
        let mut t_seed = [0u8; 32];
        reader.read(&mut t_seed);
        let dk = ml_kem::DecapsulationKey768::from_seed(pq_seed);
        pq_seed.as_mut_slice().zeroize();
        let sk_t = x25519_dalek::StaticSecret::from(t_seed);
        t_seed.zeroize();
        let pk_t = x25519_dalek::PublicKey::from(&sk_t);
        Identity {
            seed: Zeroizing::new(*seed),
            dk,
            sk_t,
            pk_t,
        }
    }

    /// A new random identity.
    pub fn generate() -> Result<Identity, KeyError> {
        use rand::RngCore;
        let mut seed = Zeroizing::new([0u8; SEED_LEN]);
        rand::rngs::OsRng
            .try_fill_bytes(&mut seed[..])
            .map_err(|e| {
                KeyError::Local(format!("the system random number generator failed: {e}"))
            })?;
        Ok(Identity::from_seed(&seed))
    }

    /// The recipient this identity decrypts for.
    pub fn to_public(&self) -> Recipient {
        Recipient {
            ek: self.dk.encapsulation_key().clone(),
            pk_t: self.pk_t,
        }
    }

    /// The identity in its upper-case Bech32 form (secret).
    pub fn to_bech32(&self) -> Zeroizing<String> {
        let mut s = bech32_encode(IDENTITY_HRP, &self.seed[..]);
        s.make_ascii_uppercase();
        s
    }

    /// Open an `mlkem768x25519` stanza: None when the stanza is of another
    /// type or is for someone else; an error when it is malformed (age's
    /// "header failure"): wrong argument count, non-canonical base64, an
    /// `enc` of the wrong size, a body that is not exactly 32 bytes, or an
    /// X25519 share giving the all-zero secret.
    fn open(&self, stanza: &Stanza) -> Option<Result<FileKey, age::DecryptError>> {
        if stanza.tag != STANZA_TAG {
            return None;
        }
        let bad = || Some(Err(age::DecryptError::InvalidHeader));
        let [arg] = &stanza.args[..] else {
            return bad();
        };
        let Ok(enc) = STANDARD_NO_PAD.decode(arg) else {
            return bad();
        };
        if enc.len() != ENC_LEN || stanza.body.len() != SEALED_FILE_KEY_LEN {
            return bad();
        }
        let (ct_pq, ct_t) = enc.split_at(MLKEM_CT_LEN);
        let mut ct_t_arr = [0u8; 32];
        ct_t_arr.copy_from_slice(ct_t);
        let Ok(ss_pq) = self.dk.decapsulate_slice(ct_pq) else {
            return bad();
        };
        let ss_t = self
            .sk_t
            .diffie_hellman(&x25519_dalek::PublicKey::from(ct_t_arr));
        if is_all_zero(ss_t.as_bytes()) {
            return bad();
        }
        let ss = combine(
            ss_pq.as_slice(),
            ss_t.as_bytes(),
            &ct_t_arr,
            self.pk_t.as_bytes(),
        );
        let (key, nonce) = key_schedule(&ss);
        // ML-KEM rejects implicitly: a stanza for another key decapsulates to
        // a pseudo-random secret, and only the AEAD tells it apart.
        let pt = ChaCha20Poly1305::new((&*key).into())
            .decrypt((&nonce).into(), &stanza.body[..])
            .ok()?;
        let pt = Zeroizing::new(pt);
        let key = FileKey::try_init_with_mut(|k| {
            if pt.len() == k.len() {
                k.copy_from_slice(&pt);
                Ok(())
            } else {
                Err(age::DecryptError::InvalidHeader)
            }
        });
        Some(key)
    }
}

impl FromStr for Identity {
    type Err = KeyError;

    /// Parse `AGE-SECRET-KEY-PQ-1…`; errors never quote the key.
    fn from_str(s: &str) -> Result<Identity, KeyError> {
        let data = bech32_decode(s, IDENTITY_HRP).map_err(|e| {
            KeyError::Invalid(format!("malformed post-quantum age secret key: {e}"))
        })?;
        let seed: [u8; SEED_LEN] = data[..].try_into().map_err(|_| {
            KeyError::Invalid(format!(
                "malformed post-quantum age secret key: {} bytes of key data (expected {SEED_LEN})",
                data.len()
            ))
        })?;
        let seed = Zeroizing::new(seed);
        Ok(Identity::from_seed(&seed))
    }
}

impl age::Identity for Identity {
    fn unwrap_stanza(&self, stanza: &Stanza) -> Option<Result<FileKey, age::DecryptError>> {
        self.open(stanza)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The identity/recipient pair published in the C2SP age specification
    /// (c2sp.org/age, "The MLKEM768-X25519 (i.e. X-Wing) hybrid post-quantum
    /// recipient type"; C2SP/C2SP commit 5ba5ee830903e91240fc6f9f3a7a9293d49e69c9).
    pub(crate) const SPEC_IDENTITY: &str =
        "AGE-SECRET-KEY-PQ-1XX76JRALNLXDMEW0CRK45QMCCH4X06SE84UN3VPM33W6HWDX0H3SK3ZQFR";
    pub(crate) const SPEC_RECIPIENT: &str =
        include_str!("../../../testdata/age-pq/spec-recipient.txt");

    #[test]
    fn spec_identity_gives_spec_recipient() {
        let id: Identity = SPEC_IDENTITY.parse().unwrap();
        let r = id.to_public().to_string();
        assert_eq!(r, SPEC_RECIPIENT.trim());
        assert_eq!(r.len(), 1959);
        assert_eq!(&id.to_bech32()[..], SPEC_IDENTITY);
        // The recipient parses back to the same bytes.
        let back: Recipient = SPEC_RECIPIENT.trim().parse().unwrap();
        assert_eq!(back.to_string(), r);
    }

    #[test]
    fn label_and_suite() {
        assert_eq!(XWING_LABEL, [0x5c, 0x2e, 0x2f, 0x2f, 0x5e, 0x5c]);
        assert_eq!(SUITE_ID.len(), 10);
    }

    #[test]
    fn round_trip() {
        let id = Identity::generate().unwrap();
        let r = id.to_public();
        let fk = FileKey::new(Box::new([7u8; 16]));
        let (stanzas, labels) = age::Recipient::wrap_file_key(&r, &fk).unwrap();
        assert_eq!(labels, HashSet::from(["postquantum".to_string()]));
        assert_eq!(stanzas.len(), 1);
        assert_eq!(stanzas[0].tag, "mlkem768x25519");
        assert_eq!(stanzas[0].body.len(), 32);
        let got = age::Identity::unwrap_stanza(&id, &stanzas[0])
            .unwrap()
            .unwrap();
        assert_eq!(got.expose_secret(), &[7u8; 16]);
        // Another identity does not match (implicit rejection, then AEAD).
        let other = Identity::generate().unwrap();
        assert!(age::Identity::unwrap_stanza(&other, &stanzas[0]).is_none());
        // Another stanza type is not ours.
        let mut s = Stanza {
            tag: "X25519".into(),
            args: stanzas[0].args.clone(),
            body: stanzas[0].body.clone(),
        };
        assert!(age::Identity::unwrap_stanza(&id, &s).is_none());
        // Malformed stanzas are header failures.
        s.tag = STANZA_TAG.into();
        s.args.push("x".into());
        assert!(matches!(
            age::Identity::unwrap_stanza(&id, &s),
            Some(Err(age::DecryptError::InvalidHeader))
        ));
        s.args.pop();
        s.body.push(0);
        assert!(matches!(
            age::Identity::unwrap_stanza(&id, &s),
            Some(Err(age::DecryptError::InvalidHeader))
        ));
    }

    #[test]
    fn rejects_malformed_keys_without_quoting_them() {
        // Wrong type, Bech32m, short data, mixed case, a flipped character.
        let good = SPEC_IDENTITY;
        let mixed = format!("{}{}", &good[..30], good[30..].to_lowercase());
        let mut flipped = good.to_string();
        flipped.replace_range(40..41, if &good[40..41] == "Q" { "P" } else { "Q" });
        for bad in [
            mixed.as_str(),
            flipped.as_str(),
            "AGE-SECRET-KEY-PQ-1",
            "AGE-SECRET-KEY-1QQQQ",
        ] {
            let e = bad.parse::<Identity>().err().expect("must fail");
            assert!(!e.to_string().contains(&good[20..]), "{e}");
        }
        let x25519 = age::x25519::Identity::generate().to_public().to_string();
        let e = x25519.parse::<Recipient>().unwrap_err();
        assert!(e.to_string().contains("unexpected type"), "{e}");
        // An ML-KEM key whose coefficients are out of range (all 0xff) fails
        // the FIPS 203 modulus check.
        let bytes = vec![0xffu8; PUBLIC_KEY_LEN];
        let s = bech32_encode(RECIPIENT_HRP, &bytes);
        let e = s.parse::<Recipient>().unwrap_err();
        assert!(e.to_string().contains("encapsulation key"), "{e}");
    }

    #[test]
    fn long_bech32_round_trips() {
        // No 90-character limit (BIP-173's limit does not apply to age keys).
        let r = Identity::generate().unwrap().to_public().to_string();
        assert!(r.starts_with("age1pq1") && r.len() == 1959);
        let upper = r.to_uppercase();
        // All-upper-case Bech32 is valid Bech32 too.
        assert_eq!(upper.parse::<Recipient>().unwrap().to_string(), r);
    }
}
