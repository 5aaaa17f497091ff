//! sops' key service: a gRPC API (proto/keyservice.proto) through which a
//! file's data key is encrypted and decrypted with one master key by a
//! process that may hold credentials the caller lacks.
//!
//! * [`server`] is `rsops keyservice`: it answers sops and rsops clients
//!   with the key sources in [`crate::keys`].
//! * [`Services`] is the client side: the key services a run uses, in
//!   sops' order: the local one (this process's own key sources) first when
//!   enabled, then each `--keyservice` URI. Wrapping a data key for a
//!   master key uses the first service that succeeds; so does unwrapping.

#[rustfmt::skip]
#[allow(
    clippy::all,
    clippy::pedantic,
    missing_docs,
    unused_qualifications,
    unreachable_pub
)]
pub mod proto {
    include!("generated.rs");
}

mod client;
pub mod server;

use std::fmt;

use zeroize::Zeroizing;

use crate::error::{Error, Result};
use crate::keys::{AgeKey, AzureKvKey, Ctx, GcpKmsKey, HcVaultKey, KmsKey, MasterKey, PgpKey};
use proto::key::KeyType;

pub use client::{check_uri, Remote};

// The generated messages that carry a data key print it redacted.
impl fmt::Debug for proto::EncryptRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EncryptRequest")
            .field("key", &self.key)
            .field(
                "plaintext",
                &format_args!("<{} bytes>", self.plaintext.len()),
            )
            .finish()
    }
}

impl fmt::Debug for proto::DecryptResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DecryptResponse")
            .field(
                "plaintext",
                &format_args!("<{} bytes>", self.plaintext.len()),
            )
            .finish()
    }
}

/// The key services used to wrap and unwrap data keys, in the order they
/// are tried: the local one first (when enabled), then the remote ones in
/// the order given.
#[derive(Debug)]
pub struct Services {
    /// Use this process's own key sources (`--enable-local-keyservice`).
    pub local: bool,
    pub remotes: Vec<Remote>,
}

impl Default for Services {
    /// Local only, as without any key service flag.
    fn default() -> Self {
        Services {
            local: true,
            remotes: Vec::new(),
        }
    }
}

impl Services {
    /// From `--enable-local-keyservice` and the `--keyservice` URIs
    /// (`tcp://HOST:PORT`, `unix:///PATH`; the CLI checks them with
    /// [`check_uri`], and an invalid one fails when used). Connections are
    /// made on first use.
    pub fn new(local: bool, uris: &[String]) -> Services {
        let remotes = uris
            .iter()
            .map(|u| u.trim())
            .filter(|u| !u.is_empty())
            .map(Remote::new)
            .collect();
        Services { local, remotes }
    }

    fn local_only(&self) -> bool {
        self.local && self.remotes.is_empty()
    }

    fn none_error(&self) -> String {
        "no key service to use: the local key service is disabled (--enable-local-keyservice=false) and no --keyservice was given".to_string()
    }
}

/// The key service message naming `key`.
pub fn to_proto(key: &MasterKey) -> proto::Key {
    let kt = match key {
        MasterKey::Age(k) => KeyType::AgeKey(proto::AgeKey {
            recipient: k.recipient.clone(),
        }),
        MasterKey::Pgp(k) => KeyType::PgpKey(proto::PgpKey {
            fingerprint: k.fp.clone(),
        }),
        MasterKey::Kms(k) => KeyType::KmsKey(proto::KmsKey {
            arn: k.arn.clone(),
            role: k.role.clone(),
            context: k.context.iter().cloned().collect(),
            aws_profile: k.aws_profile.clone(),
        }),
        MasterKey::GcpKms(k) => KeyType::GcpKmsKey(proto::GcpKmsKey {
            resource_id: k.resource_id.clone(),
        }),
        MasterKey::AzureKv(k) => KeyType::AzureKeyvaultKey(proto::AzureKeyVaultKey {
            vault_url: k.vault_url.clone(),
            name: k.name.clone(),
            version: k.version.clone(),
        }),
        MasterKey::HcVault(k) => KeyType::VaultKey(proto::VaultKey {
            vault_address: k.vault_address.clone(),
            engine_path: k.engine_path.clone(),
            key_name: k.key_name.clone(),
        }),
    };
    proto::Key { key_type: Some(kt) }
}

/// The master key a key service message names, with `enc` as its stored
/// encrypted data key. None when the message names no key type this
/// version knows (protobuf drops unknown fields).
pub fn from_proto(key: &proto::Key, enc: String) -> Option<MasterKey> {
    Some(match key.key_type.as_ref()? {
        KeyType::AgeKey(k) => MasterKey::Age(AgeKey {
            recipient: k.recipient.clone(),
            enc,
        }),
        KeyType::PgpKey(k) => MasterKey::Pgp(PgpKey {
            fp: k.fingerprint.clone(),
            enc,
            ..Default::default()
        }),
        KeyType::KmsKey(k) => {
            let mut context: Vec<(String, String)> = k
                .context
                .iter()
                .map(|(a, b)| (a.clone(), b.clone()))
                .collect();
            context.sort();
            MasterKey::Kms(KmsKey {
                arn: k.arn.clone(),
                role: k.role.clone(),
                context,
                aws_profile: k.aws_profile.clone(),
                enc,
                ..Default::default()
            })
        }
        KeyType::GcpKmsKey(k) => MasterKey::GcpKms(GcpKmsKey {
            resource_id: k.resource_id.clone(),
            enc,
            ..Default::default()
        }),
        KeyType::AzureKeyvaultKey(k) => MasterKey::AzureKv(AzureKvKey {
            vault_url: k.vault_url.clone(),
            name: k.name.clone(),
            version: k.version.clone(),
            enc,
            ..Default::default()
        }),
        KeyType::VaultKey(k) => MasterKey::HcVault(HcVaultKey {
            vault_address: k.vault_address.clone(),
            engine_path: k.engine_path.clone(),
            key_name: k.key_name.clone(),
            enc,
            ..Default::default()
        }),
    })
}

/// How a key is named in logs, prompts and errors: its type and its public
/// name (recipient, fingerprint, ARN, resource ID or URL), never key
/// material.
pub fn label(key: &MasterKey) -> String {
    let kind = match key {
        MasterKey::Age(_) => "age recipient",
        MasterKey::Pgp(_) => "PGP key",
        MasterKey::Kms(_) => "AWS KMS key",
        MasterKey::GcpKms(_) => "GCP KMS key",
        MasterKey::AzureKv(_) => "Azure Key Vault key",
        MasterKey::HcVault(_) => "Vault transit key",
    };
    format!("{kind} {}", key.describe())
}

/// Store a ciphertext a key service returned as the key's `enc`, stamping
/// `created_at` as the local key sources do.
fn set_encrypted(key: &mut MasterKey, ciphertext: Vec<u8>) -> std::result::Result<(), String> {
    let enc = String::from_utf8(ciphertext).map_err(|_| {
        "the key service returned an encrypted data key that is not text".to_string()
    })?;
    if enc.is_empty() {
        return Err("the key service returned an empty encrypted data key".to_string());
    }
    let now = crate::timefmt::now_rfc3339();
    match key {
        MasterKey::Age(k) => k.enc = enc,
        MasterKey::Pgp(k) => {
            k.enc = enc;
            k.created_at = now;
        }
        MasterKey::Kms(k) => {
            k.enc = enc;
            k.created_at = now;
        }
        MasterKey::GcpKms(k) => {
            k.enc = enc;
            k.created_at = now;
        }
        MasterKey::AzureKv(k) => {
            k.enc = enc;
            k.created_at = now;
        }
        MasterKey::HcVault(k) => {
            k.enc = enc;
            k.created_at = now;
        }
    }
    Ok(())
}

/// Wrap `secret` (the data key or a Shamir share) for `key` with the first
/// key service of `ctx` that succeeds.
pub fn wrap(ctx: &mut Ctx, key: &mut MasterKey, secret: &[u8]) -> Result<()> {
    if ctx.services.local_only() {
        return key.wrap(secret);
    }
    let mut errs = Vec::new();
    if ctx.services.local {
        match key.wrap(secret) {
            Ok(()) => return Ok(()),
            Err(e) => errs.push(format!("local key service: {}", e.msg)),
        }
    }
    let msg = to_proto(key);
    for remote in ctx.services.remotes.iter_mut() {
        match remote
            .encrypt(&msg, secret)
            .and_then(|ct| set_encrypted(key, ct))
        {
            Ok(()) => return Ok(()),
            Err(e) => errs.push(format!("key service {}: {e}", remote.uri())),
        }
    }
    if errs.is_empty() {
        errs.push(ctx.services.none_error());
    }
    Err(Error::generic(format!(
        "could not encrypt the data key with {}: {}",
        label(key),
        errs.join("; ")
    )))
}

/// Unwrap the data key (or share) stored for `key` with the first key
/// service of `ctx` that succeeds.
pub fn unwrap(ctx: &mut Ctx, key: &MasterKey) -> std::result::Result<Zeroizing<Vec<u8>>, String> {
    if ctx.services.local_only() {
        return key.unwrap_key(ctx);
    }
    let mut errs = Vec::new();
    if ctx.services.local {
        match key.unwrap_key(ctx) {
            Ok(p) => return Ok(p),
            Err(e) => errs.push(format!("local key service: {e}")),
        }
    }
    let msg = to_proto(key);
    for remote in ctx.services.remotes.iter_mut() {
        match remote.decrypt(&msg, key.enc().as_bytes()) {
            Ok(p) => return Ok(p),
            Err(e) => errs.push(format!("key service {}: {e}", remote.uri())),
        }
    }
    if errs.is_empty() {
        errs.push(ctx.services.none_error());
    }
    Err(errs.join("; "))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn roundtrip(k: MasterKey) {
        let p = to_proto(&k);
        let back = from_proto(&p, k.enc().to_string()).expect("known type");
        // Only the fields the protocol carries survive (created_at does not).
        assert_eq!(to_proto(&back), p);
        assert_eq!(back.describe(), k.describe());
        assert_eq!(back.enc(), k.enc());
    }

    #[test]
    fn every_key_type_converts_both_ways() {
        roundtrip(MasterKey::Age(AgeKey {
            recipient: "age1xyz".into(),
            enc: "ENC".into(),
        }));
        roundtrip(MasterKey::Pgp(PgpKey {
            fp: "ABCDEF".into(),
            enc: "-----BEGIN PGP MESSAGE-----".into(),
            ..Default::default()
        }));
        roundtrip(MasterKey::Kms(KmsKey {
            arn: "arn:aws:kms:us-east-1:1:key/k".into(),
            role: "arn:aws:iam::1:role/r".into(),
            context: vec![("a".into(), "1".into()), ("b".into(), "2".into())],
            aws_profile: "p".into(),
            enc: "Zm9v".into(),
            ..Default::default()
        }));
        roundtrip(MasterKey::GcpKms(GcpKmsKey {
            resource_id: "projects/p/locations/l/keyRings/r/cryptoKeys/k".into(),
            enc: "x".into(),
            ..Default::default()
        }));
        roundtrip(MasterKey::AzureKv(AzureKvKey {
            vault_url: "https://v.vault.azure.net".into(),
            name: "n".into(),
            version: "1".into(),
            enc: "x".into(),
            ..Default::default()
        }));
        roundtrip(MasterKey::HcVault(HcVaultKey {
            vault_address: "http://127.0.0.1:8200".into(),
            engine_path: "transit".into(),
            key_name: "k".into(),
            enc: "vault:v1:x".into(),
            ..Default::default()
        }));
        assert!(from_proto(&proto::Key { key_type: None }, String::new()).is_none());
    }

    #[test]
    fn wire_format_matches_sops_field_numbers() {
        use prost::Message;
        // EncryptRequest{key: Key{age_key(6): AgeKey{recipient(1): "r"}}, plaintext(2): "p"}
        let req = proto::EncryptRequest {
            key: Some(to_proto(&MasterKey::Age(AgeKey {
                recipient: "r".into(),
                enc: String::new(),
            }))),
            plaintext: b"p".to_vec(),
        };
        assert_eq!(
            req.encode_to_vec(),
            vec![0x0a, 0x05, 0x32, 0x03, 0x0a, 0x01, b'r', 0x12, 0x01, b'p']
        );
        let dbg = format!("{req:?}");
        assert!(dbg.contains("<1 bytes>") && !dbg.contains("112"), "{dbg}");
    }

    #[test]
    fn no_service_is_an_error() {
        let mut ctx = Ctx::default();
        ctx.services = Services::new(false, &[]);
        let mut k = MasterKey::Age(AgeKey {
            recipient: "age1x".into(),
            enc: String::new(),
        });
        let e = wrap(&mut ctx, &mut k, b"secret").unwrap_err();
        assert!(e.msg.contains("no key service"), "{}", e.msg);
        assert!(unwrap(&mut ctx, &k).unwrap_err().contains("no key service"));
    }
}
