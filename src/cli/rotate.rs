//! `rsops rotate`: a new data key, every value re-encrypted, recipients
//! optionally added (to the first key group, as sops does) or removed (from
//! every group).

use crate::error::{Error, Result};
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

/// The keys named by --add-*/--rm-* flags.
fn named_keys(
    age: &Option<String>,
    pgp: &Option<String>,
    others: &[(&str, &Option<String>)],
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
    for (flag, v) in others {
        if !list(v).is_empty() {
            return Err(Error::generic(format!(
                "{flag} keys are not supported by this build of rsops yet"
            )));
        }
    }
    Ok(out)
}

pub fn run(g: &Global, file: Option<&str>) -> Result<()> {
    let input = common::input(g, file)?;
    let add = named_keys(
        &g.add_age,
        &g.add_pgp,
        &[
            ("--add-kms", &g.add_kms),
            ("--add-gcp-kms", &g.add_gcp_kms),
            ("--add-azure-kv", &g.add_azure_kv),
            ("--add-hc-vault-transit", &g.add_hc_vault_transit),
        ],
    )?;
    let rm = named_keys(
        &g.rm_age,
        &g.rm_pgp,
        &[
            ("--rm-kms", &g.rm_kms),
            ("--rm-gcp-kms", &g.rm_gcp_kms),
            ("--rm-azure-kv", &g.rm_azure_kv),
            ("--rm-hc-vault-transit", &g.rm_hc_vault_transit),
        ],
    )?;
    let bytes = input.read()?;
    let mut f = common::load_encrypted(&bytes, input.in_format, &input.display())?;
    drop(bytes);
    let cfg = crate::config::Config::discover(g.config.as_deref())?;
    let indent = common::indent(g, cfg.as_ref(), input.out_format)?;
    let mut ctx = keys::Ctx::default();
    common::decrypt_file(&mut f, g, &mut ctx, &input.display(), false)?;
    if let Some(first) = f.md.key_groups.first_mut() {
        for k in add {
            if !first
                .iter()
                .any(|e| e.type_id() == k.type_id() && e.describe() == k.describe())
            {
                first.push(k);
            }
        }
    }
    for k in &rm {
        for group in f.md.key_groups.iter_mut() {
            group.retain(|e| !(e.type_id() == k.type_id() && e.describe() == k.describe()));
        }
    }
    common::encrypt_new(&mut f.docs, &mut f.md)?;
    let out = common::emit_encrypted(&mut f, input.out_format, indent)?;
    common::write_output(g, &input, &out)
}
