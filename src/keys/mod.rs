//! Master keys: the recipients a file's data key is wrapped for.
//!
//! Each key source lives in its own module and knows how to wrap and unwrap
//! a data key; this module holds the stored form of every key type sops
//! knows, so files carrying keys we cannot use still load, keep every entry
//! when rewritten, and name those keys in errors.

pub mod age;
pub mod awskms;
pub mod azkv;
pub(crate) mod cloud;
pub mod gcpkms;
pub mod hcvault;
pub mod openpgp;
pub mod pgp;

use crate::error::Result;

/// The most bytes a key source may give back as a data key. A data key is
/// 32 bytes and a Shamir share 33; anything longer did not come from sops
/// or rsops. Enforced once for every key type in [`unwrap_data_key`] (and
/// by the key service's server), and while reading each local source's
/// output ([`read_data_key`]), so that no source can make rsops buffer
/// more: a hostile `enc` entry (a compressed OpenPGP message, a large age
/// payload) can expand to gigabytes.
pub const MAX_DATA_KEY_LEN: usize = 64;

/// The longest `enc` field (a wrapped data key) rsops accepts from a file,
/// in bytes, checked before it is decoded or handed to a key source. The
/// largest real ones are a few KiB (an RSA-4096 OpenPGP message is about
/// 1 KiB armored; a post-quantum age stanza about 2 KiB).
pub const MAX_ENC_LEN: usize = 64 << 10;

/// Refuse an `enc` field longer than [`MAX_ENC_LEN`].
pub fn check_enc_len(enc: &str) -> std::result::Result<(), String> {
    if enc.len() > MAX_ENC_LEN {
        return Err(format!(
            "its enc field is {} bytes, more than the {} KiB any wrapped data key needs: the entry was not written by sops; remove it from the file's sops metadata",
            enc.len(),
            MAX_ENC_LEN >> 10
        ));
    }
    Ok(())
}

/// Read a recovered data key from `r`: at most [`MAX_DATA_KEY_LEN`] bytes,
/// and an error (after reading one byte more, never the rest) when there
/// are more. `what` names the source in the error.
pub fn read_data_key(
    r: impl std::io::Read,
    what: &str,
) -> std::result::Result<zeroize::Zeroizing<Vec<u8>>, String> {
    use std::io::Read;
    let mut out = zeroize::Zeroizing::new(Vec::with_capacity(MAX_DATA_KEY_LEN + 1));
    r.take(MAX_DATA_KEY_LEN as u64 + 1)
        .read_to_end(&mut out)
        .map_err(|e| format!("reading {what} failed: {e}"))?;
    check_data_key_len(out.len()).map_err(|e| format!("{what}: {e}"))?;
    Ok(out)
}

/// Refuse a recovered data key longer than [`MAX_DATA_KEY_LEN`].
pub fn check_data_key_len(len: usize) -> std::result::Result<(), String> {
    if len > MAX_DATA_KEY_LEN {
        return Err(format!(
            "it holds more than {MAX_DATA_KEY_LEN} bytes, but a data key is 32 bytes (a Shamir share 33): the entry was not written by sops"
        ));
    }
    Ok(())
}

/// One recipient entry of the `sops` metadata, as stored in the file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MasterKey {
    Age(AgeKey),
    Pgp(PgpKey),
    Kms(KmsKey),
    GcpKms(GcpKmsKey),
    AzureKv(AzureKvKey),
    HcVault(HcVaultKey),
}

#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct AgeKey {
    pub recipient: String,
    pub enc: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct PgpKey {
    pub fp: String,
    pub created_at: String,
    pub enc: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct KmsKey {
    pub arn: String,
    pub role: String,
    /// Encryption context, sorted by key (sops stores a map).
    pub context: Vec<(String, String)>,
    pub created_at: String,
    pub enc: String,
    pub aws_profile: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct GcpKmsKey {
    pub resource_id: String,
    pub created_at: String,
    pub enc: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct AzureKvKey {
    pub vault_url: String,
    pub name: String,
    pub version: String,
    pub created_at: String,
    pub enc: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct HcVaultKey {
    pub vault_address: String,
    pub engine_path: String,
    pub key_name: String,
    pub created_at: String,
    pub enc: String,
}

impl MasterKey {
    /// sops' key type identifier (used by `--decryption-order`).
    pub fn type_id(&self) -> &'static str {
        match self {
            MasterKey::Age(_) => "age",
            MasterKey::Pgp(_) => "pgp",
            MasterKey::Kms(_) => "kms",
            MasterKey::GcpKms(_) => "gcp_kms",
            MasterKey::AzureKv(_) => "azure_kv",
            MasterKey::HcVault(_) => "hc_vault",
        }
    }

    /// How sops names the key in messages (`ToString`).
    pub fn describe(&self) -> String {
        match self {
            MasterKey::Age(k) => k.recipient.clone(),
            MasterKey::Pgp(k) => k.fp.clone(),
            MasterKey::Kms(k) => {
                if k.role.is_empty() {
                    k.arn.clone()
                } else {
                    format!("{}+{}", k.arn, k.role)
                }
            }
            MasterKey::GcpKms(k) => k.resource_id.clone(),
            MasterKey::AzureKv(k) => format!("{}/keys/{}/{}", k.vault_url, k.name, k.version),
            MasterKey::HcVault(k) => format!(
                "{}/v1/{}/keys/{}",
                k.vault_address, k.engine_path, k.key_name
            ),
        }
    }

    pub fn enc(&self) -> &str {
        match self {
            MasterKey::Age(k) => &k.enc,
            MasterKey::Pgp(k) => &k.enc,
            MasterKey::Kms(k) => &k.enc,
            MasterKey::GcpKms(k) => &k.enc,
            MasterKey::AzureKv(k) => &k.enc,
            MasterKey::HcVault(k) => &k.enc,
        }
    }

    /// Wrap `secret` (the data key or a Shamir share) for this recipient.
    pub fn wrap(&mut self, secret: &[u8]) -> Result<()> {
        match self {
            MasterKey::Age(k) => {
                k.enc = age::wrap(&k.recipient, secret)?;
                Ok(())
            }
            MasterKey::Pgp(k) => {
                k.enc = pgp::wrap(&k.fp, secret)?;
                k.created_at = crate::timefmt::now_rfc3339();
                Ok(())
            }
            MasterKey::Kms(k) => awskms::wrap(k, secret),
            MasterKey::GcpKms(k) => gcpkms::wrap(k, secret),
            MasterKey::AzureKv(k) => azkv::wrap(k, secret),
            MasterKey::HcVault(k) => hcvault::wrap(k, secret),
        }
    }

    /// Unwrap the secret stored for this recipient (an `enc` field longer
    /// than [`MAX_ENC_LEN`] is refused first).
    pub fn unwrap_key(
        &self,
        ctx: &mut Ctx,
    ) -> std::result::Result<zeroize::Zeroizing<Vec<u8>>, String> {
        check_enc_len(self.enc())?;
        match self {
            MasterKey::Age(k) => age::unwrap_for(&k.recipient, &k.enc, ctx.age()),
            MasterKey::Pgp(k) => pgp::unwrap(&k.enc),
            MasterKey::Kms(k) => awskms::unwrap(k),
            MasterKey::GcpKms(k) => gcpkms::unwrap(k),
            MasterKey::AzureKv(k) => azkv::unwrap(k),
            MasterKey::HcVault(k) => hcvault::unwrap(k),
        }
    }

    /// Whether `self` (a key in a file) is the key `named` designates on the
    /// command line (`rotate --rm-*`, duplicate checks): same type and name;
    /// an Azure key named without a version matches every version.
    pub fn matches(&self, named: &MasterKey) -> bool {
        match (self, named) {
            (MasterKey::AzureKv(a), MasterKey::AzureKv(b)) if b.version.is_empty() => {
                a.vault_url.trim_end_matches('/') == b.vault_url.trim_end_matches('/')
                    && a.name == b.name
            }
            _ => self.type_id() == named.type_id() && self.describe() == named.describe(),
        }
    }
}

/// The cloud keys named by comma-separated lists (`--kms`, `--gcp-kms`,
/// `--azure-kv`, `--hc-vault-transit` and their `--add-*`/`--rm-*` forms),
/// in sops' order. `encryption_context` (`k:v,k2:v2`) and `aws_profile`
/// apply to the KMS keys; an invalid context fails with exit code 6 as in
/// sops.
pub fn cloud_keys_from_lists(
    kms: Option<&str>,
    gcp_kms: Option<&str>,
    azure_kv: Option<&str>,
    hc_vault: Option<&str>,
    encryption_context: Option<&str>,
    aws_profile: Option<&str>,
) -> Result<Vec<MasterKey>> {
    let context = awskms::parse_context(encryption_context.unwrap_or(""))?;
    let mut out = Vec::new();
    for k in awskms::keys_from_list(kms.unwrap_or(""), &context, aws_profile.unwrap_or(""))? {
        out.push(MasterKey::Kms(k));
    }
    for k in gcpkms::keys_from_list(gcp_kms.unwrap_or(""))? {
        out.push(MasterKey::GcpKms(k));
    }
    for k in azkv::keys_from_list(azure_kv.unwrap_or(""))? {
        out.push(MasterKey::AzureKv(k));
    }
    for k in hcvault::keys_from_list(hc_vault.unwrap_or(""))? {
        out.push(MasterKey::HcVault(k));
    }
    Ok(out)
}

/// Lazily loaded credentials shared by every key of a run, so identities
/// are read once per process however many files or keys are processed;
/// and the key services that wrap and unwrap data keys (local only by
/// default; the CLI builds it from its flags with `cli::common::key_ctx`).
#[derive(Default)]
pub struct Ctx {
    age: Option<age::Identities>,
    pub services: crate::keyservice::Services,
}

impl Ctx {
    /// A context using these key services.
    pub fn with_services(services: crate::keyservice::Services) -> Ctx {
        Ctx {
            age: None,
            services,
        }
    }

    pub fn age(&mut self) -> &age::Identities {
        self.age.get_or_insert_with(age::Identities::load)
    }
}

/// Wrap a new data key for every recipient, splitting it with Shamir's
/// scheme when there are several key groups.
pub fn wrap_data_key(
    md: &mut crate::metadata::Metadata,
    key: &crate::cipher::DataKey,
    ctx: &mut Ctx,
) -> Result<()> {
    use crate::error::{code, Error};
    if md.key_groups.is_empty() || md.key_groups.iter().all(|g| g.is_empty()) {
        return Err(Error::new(
            code::ERROR_GENERIC,
            "no recipients: give keys with --age (or SOPS_AGE_RECIPIENTS), --pgp, --kms, … or a creation rule in .sops.yaml",
        ));
    }
    if md.key_groups.iter().any(|g| g.is_empty()) {
        return Err(Error::generic(
            "Could not generate data key: [empty key group provided]",
        ));
    }
    let parts: Vec<zeroize::Zeroizing<Vec<u8>>> = if md.key_groups.len() == 1 {
        vec![zeroize::Zeroizing::new(key.as_bytes().to_vec())]
    } else {
        if md.shamir_threshold == 0 {
            md.shamir_threshold = md.key_groups.len();
        }
        crate::shamir::split(key.as_bytes(), md.key_groups.len(), md.shamir_threshold).map_err(
            |e| {
                Error::generic(format!(
                    "could not split the data key for Shamir secret sharing: {e}"
                ))
            },
        )?
    };
    let mut errors = Vec::new();
    for (group, part) in md.key_groups.iter_mut().zip(parts.iter()) {
        for k in group.iter_mut() {
            if let Err(e) = crate::keyservice::wrap(ctx, k, part) {
                errors.push(e.msg);
            }
        }
    }
    if !errors.is_empty() {
        return Err(Error::generic(format!(
            "could not encrypt the data key: {}",
            errors.join("; ")
        )));
    }
    Ok(())
}

/// Default order in which key types are tried (sops: age, then pgp, then the rest).
pub const DEFAULT_DECRYPTION_ORDER: [&str; 2] = ["age", "pgp"];

/// Recover the data key: in each group try the keys in decryption order until
/// one works; with several groups, combine shares once the threshold is met.
pub fn unwrap_data_key(
    md: &crate::metadata::Metadata,
    order: &[String],
    ctx: &mut Ctx,
) -> Result<crate::cipher::DataKey> {
    use crate::error::{code, Error};
    let prio = |k: &MasterKey| {
        let t = k.type_id();
        if order.is_empty() {
            DEFAULT_DECRYPTION_ORDER
                .iter()
                .position(|o| *o == t)
                .unwrap_or(DEFAULT_DECRYPTION_ORDER.len())
        } else {
            order.iter().position(|o| o == t).unwrap_or(order.len())
        }
    };
    let groups = md.key_groups.len();
    let needed = if groups > 1 {
        if md.shamir_threshold == 0 {
            groups
        } else {
            md.shamir_threshold
        }
    } else {
        1
    };
    let mut parts = Vec::new();
    let mut report = String::new();
    for (gi, group) in md.key_groups.iter().enumerate() {
        let mut idx: Vec<usize> = (0..group.len()).collect();
        idx.sort_by_key(|&i| prio(&group[i]));
        let mut errs = Vec::new();
        let mut ok = false;
        for i in idx {
            let got = check_enc_len(group[i].enc())
                .and_then(|()| crate::keyservice::unwrap(ctx, &group[i]))
                .and_then(|p| check_data_key_len(p.len()).map(|()| p));
            match got {
                Ok(p) => {
                    parts.push(p);
                    ok = true;
                    break;
                }
                Err(e) => errs.push((group[i].describe(), e)),
            }
        }
        if ok {
            report.push_str(&format!("Group {gi}: SUCCESS\n"));
        } else {
            report.push_str(&format!("Group {gi}: FAILED\n"));
            for (name, e) in errs {
                report.push_str(&format!("  {name}: FAILED\n    - {e}\n"));
            }
        }
        if parts.len() >= needed {
            break;
        }
    }
    if parts.len() < needed {
        let why = if groups > 1 {
            format!("Recovery failed because only {} key group(s) could be decrypted, and {needed} are needed.", parts.len())
        } else {
            "Recovery failed because no master key was able to decrypt the file. At least one key has to be successful.".to_string()
        };
        return Err(Error::new(
            code::COULD_NOT_RETRIEVE_KEY,
            format!(
                "Failed to get the data key required to decrypt the SOPS file.\n\n{report}\n{why}"
            ),
        ));
    }
    let key = if groups > 1 {
        crate::shamir::combine(&parts).map_err(|e| {
            Error::new(
                code::COULD_NOT_RETRIEVE_KEY,
                format!("could not combine the key shares: {e}"),
            )
        })?
    } else {
        parts.pop().unwrap_or_default()
    };
    Ok(crate::cipher::DataKey::from_bytes(key.to_vec()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metadata::Metadata;

    fn age_key(recipient: &str, secret: &[u8]) -> MasterKey {
        MasterKey::Age(AgeKey {
            recipient: recipient.to_string(),
            enc: age::wrap(recipient, secret).unwrap(),
        })
    }

    #[test]
    fn recovered_data_keys_and_enc_fields_are_capped() {
        let id = ::age::x25519::Identity::generate();
        let r = id.to_public().to_string();
        let mut ctx = Ctx {
            age: Some(age::Identities::of(id)),
            ..Default::default()
        };
        let md = |group: Vec<MasterKey>| Metadata {
            key_groups: vec![group],
            ..Default::default()
        };
        let good = [5u8; 32];
        // A key that gives back more than MAX_DATA_KEY_LEN bytes fails like
        // a key that cannot decrypt; another key of the group still works.
        let long = age_key(&r, &[1u8; MAX_DATA_KEY_LEN + 1]);
        let e = unwrap_data_key(&md(vec![long.clone()]), &[], &mut ctx).unwrap_err();
        assert_eq!(e.code, crate::error::code::COULD_NOT_RETRIEVE_KEY);
        assert!(e.msg.contains("more than 64 bytes"), "{}", e.msg);
        let k = unwrap_data_key(&md(vec![long, age_key(&r, &good)]), &[], &mut ctx).unwrap();
        assert_eq!(k.as_bytes(), &good);
        // An enc field over MAX_ENC_LEN is refused before it is decoded.
        let mut huge = age_key(&r, &good);
        if let MasterKey::Age(a) = &mut huge {
            a.enc.push_str(&" ".repeat(MAX_ENC_LEN));
        }
        let e = unwrap_data_key(&md(vec![huge.clone()]), &[], &mut ctx).unwrap_err();
        assert!(e.msg.contains("enc field is"), "{}", e.msg);
        assert!(huge
            .unwrap_key(&mut ctx)
            .unwrap_err()
            .contains("enc field is"));
        // The caps fit what sops writes: a data key, a Shamir share.
        assert!(check_data_key_len(33).is_ok() && check_data_key_len(65).is_err());
        assert!(check_enc_len(&"x".repeat(MAX_ENC_LEN)).is_ok());
    }
}
