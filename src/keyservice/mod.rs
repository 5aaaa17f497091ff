//! sops' key service: a gRPC API (proto/keyservice.proto, in
//! [`crate::proto`]) through which a file's data key is encrypted and
//! decrypted with one master key by a process that may hold credentials
//! the caller lacks.
//!
//! * [`server`] is `rsops keyservice`: it answers sops and rsops clients
//!   with the key sources in [`crate::keys`].
//! * [`Remote`] is one server as a client sees it; the order in which the
//!   local and remote services are tried is [`crate::datakey::Services`].
//!
//! Both need the `keyservice` feature (tonic). Without it, `--keyservice`
//! URIs are still checked, and using one fails naming the feature; the
//! `keyservice` command says the same.

#[cfg(feature = "keyservice")]
mod client;
#[cfg(feature = "keyservice")]
pub mod server;
mod uri;

pub use crate::proto;
#[cfg(feature = "keyservice")]
pub use client::Remote;
pub use uri::check_uri;

/// The `keyservice` feature, and whether this build has it.
pub const FEATURE: crate::keys::Feature = crate::keys::Feature {
    name: "keyservice",
    enabled: cfg!(feature = "keyservice"),
};

/// A remote key service in a build without the client: each use fails,
/// naming the feature.
#[cfg(not(feature = "keyservice"))]
#[derive(Debug)]
pub struct Remote {
    uri: String,
}

#[cfg(not(feature = "keyservice"))]
impl Remote {
    pub fn new(uri: &str) -> Remote {
        Remote {
            uri: uri.to_string(),
        }
    }

    pub fn uri(&self) -> &str {
        &self.uri
    }

    pub fn encrypt(
        &mut self,
        _key: &proto::Key,
        _plaintext: &[u8],
    ) -> Result<Vec<u8>, crate::keys::KeyError> {
        Err(crate::keys::KeyError::NotBuilt(FEATURE.missing()))
    }

    pub fn decrypt(
        &mut self,
        _key: &proto::Key,
        _ciphertext: &[u8],
    ) -> Result<zeroize::Zeroizing<Vec<u8>>, crate::keys::KeyError> {
        Err(crate::keys::KeyError::NotBuilt(FEATURE.missing()))
    }
}

#[cfg(test)]
mod tests {
    use crate::datakey::{unwrap_key, wrap_key, Context, Services};
    use crate::keys::age::AgeKey;
    use crate::keys::awskms::KmsKey;
    use crate::keys::azkv::AzureKvKey;
    use crate::keys::gcpkms::GcpKmsKey;
    use crate::keys::hcvault::HcVaultKey;
    use crate::keys::pgp::PgpKey;
    use crate::keys::{from_proto, to_proto, MasterKey};
    use crate::proto;

    fn roundtrip(k: MasterKey) {
        let p = to_proto(&k).expect("a known kind");
        let back = from_proto(&p, k.enc()).expect("known type");
        // Only the fields the protocol carries survive (created_at does not).
        assert_eq!(to_proto(&back), Some(p));
        assert_eq!(back.describe(), k.describe());
        assert_eq!(back.enc(), k.enc());
    }

    #[test]
    fn every_key_type_converts_both_ways() {
        roundtrip(MasterKey::new(AgeKey {
            recipient: "age1xyz".into(),
            enc: "ENC".into(),
        }));
        roundtrip(MasterKey::new(PgpKey {
            fp: "ABCDEF".into(),
            enc: "-----BEGIN PGP MESSAGE-----".into(),
            ..Default::default()
        }));
        roundtrip(MasterKey::new(KmsKey {
            arn: "arn:aws:kms:us-east-1:111122223333:key/k".into(),
            role: "arn:aws:iam::111122223333:role/r".into(),
            context: vec![("a".into(), "1".into()), ("b".into(), "2".into())],
            aws_profile: "p".into(),
            enc: "Zm9v".into(),
            ..Default::default()
        }));
        roundtrip(MasterKey::new(GcpKmsKey {
            resource_id: "projects/p/locations/l/keyRings/r/cryptoKeys/k".into(),
            enc: "x".into(),
            ..Default::default()
        }));
        roundtrip(MasterKey::new(AzureKvKey {
            vault_url: "https://v.vault.azure.net".into(),
            name: "n".into(),
            version: "1".into(),
            enc: "x".into(),
            ..Default::default()
        }));
        roundtrip(MasterKey::new(HcVaultKey {
            vault_address: "http://127.0.0.1:8200".into(),
            engine_path: "transit".into(),
            key_name: "k".into(),
            enc: "vault:v1:x".into(),
            ..Default::default()
        }));
        assert!(from_proto(&proto::Key { key_type: None }, "").is_none());
    }

    #[test]
    fn wire_format_matches_sops_field_numbers() {
        use prost::Message;
        // EncryptRequest{key: Key{age_key(6): AgeKey{recipient(1): "r"}}, plaintext(2): "p"}
        let req = proto::EncryptRequest {
            key: to_proto(&MasterKey::new(AgeKey {
                recipient: "r".into(),
                enc: String::new(),
            })),
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
        let mut ctx = Context::with_services(Services::new(false, &[]));
        let mut k = MasterKey::new(AgeKey {
            recipient: "age1x".into(),
            enc: String::new(),
        });
        let e = wrap_key(&mut ctx, &mut k, b"secret").unwrap_err();
        assert!(
            e.to_string().contains("no key service"),
            "{}",
            e.to_string()
        );
        assert!(unwrap_key(&mut ctx, &k)
            .unwrap_err()
            .to_string()
            .contains("no key service"));
    }
}
