//! `rsops rotate`: a new data key, every value re-encrypted, recipients
//! optionally added (to the first key group, as sops does) or removed (from
//! every group).

use crate::error::Result;
use crate::keys::{self, AgeKey, MasterKey, PgpKey};

use super::args::Global;
use super::common;

fn list(s: &Option<String>) -> Vec<String> {
    s.as_deref()
        .map(|v| {
            v.split(',')
                .map(|x| x.trim().to_string())
                .filter(|x| !x.is_empty())
                .collect()
        })
        .unwrap_or_default()
}

/// The keys named by --add-*/--rm-* flags; `cloud` holds the KMS, GCP KMS,
/// Azure Key Vault and Vault lists.
fn named_keys(
    g: &Global,
    age: &Option<String>,
    pgp: &Option<String>,
    cloud: [&Option<String>; 4],
) -> Result<Vec<MasterKey>> {
    let mut out = Vec::new();
    for r in list(age) {
        keys::age::validate_recipient(&r)?;
        out.push(MasterKey::Age(AgeKey {
            recipient: r,
            enc: String::new(),
        }));
    }
    for fp in list(pgp) {
        out.push(MasterKey::Pgp(PgpKey {
            fp: keys::pgp::normalize_fingerprint(&fp),
            ..Default::default()
        }));
    }
    out.extend(keys::cloud_keys_from_lists(
        cloud[0].as_deref(),
        cloud[1].as_deref(),
        cloud[2].as_deref(),
        cloud[3].as_deref(),
        g.encryption_context.as_deref(),
        g.aws_profile.as_deref(),
    )?);
    Ok(out)
}

pub fn run(g: &Global, file: Option<&str>, ctx: &mut keys::Ctx) -> Result<()> {
    let mut input = common::existing_input(g, file)?;
    let add = named_keys(
        g,
        &g.add_age,
        &g.add_pgp,
        [
            &g.add_kms,
            &g.add_gcp_kms,
            &g.add_azure_kv,
            &g.add_hc_vault_transit,
        ],
    )?;
    let rm = named_keys(
        g,
        &g.rm_age,
        &g.rm_pgp,
        [
            &g.rm_kms,
            &g.rm_gcp_kms,
            &g.rm_azure_kv,
            &g.rm_hc_vault_transit,
        ],
    )?;
    let bytes = input.read_encrypted(g)?;
    let mut f = common::load_encrypted(&bytes, input.in_format, &input.display())?;
    drop(bytes);
    let cfg = crate::config::Config::discover(g.config.as_deref())?;
    let indent = common::indent(g, cfg.as_ref(), input.out_format)?;
    common::decrypt_file(&mut f, g, ctx, &input.display(), false)?;
    if let Some(first) = f.md.key_groups.first_mut() {
        for k in add {
            if !first.iter().any(|e| e.matches(&k)) {
                first.push(k);
            }
        }
    }
    for k in &rm {
        for group in f.md.key_groups.iter_mut() {
            group.retain(|e| !e.matches(k));
        }
    }
    common::encrypt_new(&mut f.docs, &mut f.md, ctx)?;
    let out = common::emit_encrypted(&mut f, input.out_format, indent)?;
    let written = common::write_output(g, &input, &out);
    // Re-encrypted: the tree holds ciphertexts (and clear-by-rule values).
    let len = out.len();
    common::free_after_output((f, out), len);
    written
}
