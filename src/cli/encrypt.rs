//! `rsops encrypt`: a plaintext file in, an encrypted file out.

use crate::error::{code, Error, Result};
use crate::metadata::{self, Metadata};

use super::args::Global;
use super::common;

pub fn run(g: &Global, file: Option<&str>, ctx: &mut crate::datakey::Context) -> Result<()> {
    let input = common::input(g, file)?;
    // Plaintext: wiped when dropped, right after parsing.
    let bytes = zeroize::Zeroizing::new(input.read()?);
    let mut docs = input.in_format.parse_plain(&bytes).map_err(|e| {
        let name = input.display();
        crate::stores::read_error(e, false, &name, code::COULD_NOT_READ_INPUT_FILE, || {
            format!("Error unmarshalling file {name}")
        })
    })?;
    drop(bytes);
    if docs.is_empty() {
        return Err(Error::new(
            code::NEED_AT_LEAST_ONE_DOCUMENT,
            "File cannot be completely empty, it must contain at least one document",
        ));
    }
    if metadata::has_metadata(&docs[0]) {
        return Err(Error::new(
            code::FILE_ALREADY_ENCRYPTED,
            format!(
                "{}: the file already has a top-level 'sops' entry, so it is most likely encrypted already. \
                 To change it, use `rsops edit` or `rsops set`; if it is a plaintext file, rename its 'sops' entry.",
                input.display()
            ),
        ));
    }
    common::check_plain_keys(&docs, &input.display())?;
    let cfg = crate::config::Config::discover(g.config.as_deref())?;
    let indent = common::indent(g, cfg.as_ref(), input.out_format)?;
    if let Some(old) = &g.reuse_ciphertext_from {
        return reencrypt_over(g, &input, docs, old, indent, ctx);
    }
    let mut md = new_metadata(g, &input.name, cfg.as_ref())?;
    if input.in_format == crate::format::Format::Binary {
        // One value that must always be encrypted: sops records no rule.
        if common::rule_from_flags(g)?.is_some() || g.mac_only_encrypted {
            eprintln!(
                "rsops: partial-encryption options do not apply to binary files and are ignored"
            );
        }
        md.rule = None;
        md.mac_only_encrypted = false;
    }
    common::encrypt_new(&mut docs, &mut md, ctx)?;
    let mut file = common::SopsFile { docs, md };
    let out = common::emit_encrypted(&mut file, input.out_format, indent)?;
    let written = common::write_output(g, &input, &out);
    // The tree holds ciphertexts and the values the rules leave in clear
    // (written out as they are): nothing to wipe first.
    let len = out.len();
    common::free_after_output((file, out), len);
    written
}

/// Encrypt `docs` as a new version of the encrypted file `old`: same data
/// key, recipients and rules; every value whose path, type and plaintext
/// are unchanged keeps its ciphertext, and when no value changed at all
/// the old file is written back byte for byte (no new MAC or lastmodified).
fn reencrypt_over(
    g: &Global,
    input: &common::Input,
    mut docs: Vec<crate::tree::Branch>,
    old: &str,
    indent: Option<usize>,
    ctx: &mut crate::datakey::Context,
) -> Result<()> {
    if !common::keys_from_flags(g)?.is_empty() || common::rule_from_flags(g)?.is_some() {
        return Err(Error::new(
            code::ERROR_CONFLICTING_PARAMETERS,
            "Error: --reuse-ciphertext-from keeps the recipients and rules of the old file; \
             do not combine it with key or partial-encryption flags (use rotate or updatekeys to change keys)",
        ));
    }
    let old_path = std::path::Path::new(old);
    let old_bytes = crate::io::read_input(Some(old_path))?;
    let mut prev = common::load_encrypted(&old_bytes, input.out_format, old)?;
    let mut cipher = common::decrypt_file(&mut prev, g, ctx, old, true)?;
    if prev.docs == docs {
        return common::write_output(g, input, &old_bytes);
    }
    let mut md = prev.md.clone();
    crate::crypt::encrypt_and_seal(&mut docs, &mut md, &mut cipher)?;
    let mut file = common::SopsFile { docs, md };
    let out = common::emit_encrypted(&mut file, input.out_format, indent)?;
    common::write_output(g, input, &out)
}

/// Metadata for a new file: keys from the flags, or else from the matching
/// creation rule of `.sops.yaml`; flags win over the rule for every option.
pub fn new_metadata(
    g: &Global,
    name: &str,
    cfg: Option<&crate::config::Config>,
) -> Result<Metadata> {
    let mut rule_cfg = match cfg {
        Some(c) => c.creation_rule_for(std::path::Path::new(name))?,
        None => None,
    };
    if let Some(r) = rule_cfg.as_mut() {
        let context =
            crate::keys::awskms::parse_context(g.encryption_context.as_deref().unwrap_or(""))?;
        r.apply_encryption_context(&context);
    }
    let flag_keys = common::keys_from_flags(g)?;
    let from_flags = !flag_keys.is_empty();
    let key_groups = if from_flags {
        vec![flag_keys]
    } else {
        rule_cfg
            .as_ref()
            .map(|r| r.key_groups.clone())
            .unwrap_or_default()
    };
    // A creation rule that matched but names no key (no key_groups, an
    // empty list, or an empty group) fails as in sops, word for word (its
    // own tests compare the message).
    if !from_flags
        && rule_cfg.is_some()
        && (key_groups.is_empty() || key_groups.iter().any(|g| g.is_empty()))
    {
        return Err(Error::generic(
            "Could not generate data key: [empty key group provided]",
        ));
    }
    if key_groups.iter().all(|g| g.is_empty()) {
        return Err(Error::generic(
            "config file not found, or has no creation rules, and no keys provided through command line options: \
             give recipients with --age (or SOPS_AGE_RECIPIENTS) or add a creation rule to .sops.yaml",
        ));
    }
    let mut md = Metadata {
        key_groups,
        mac_only_encrypted: g.mac_only_encrypted
            || rule_cfg.as_ref().is_some_and(|r| r.mac_only_encrypted),
        ..Default::default()
    };
    if let Some(r) =
        common::rule_from_flags(g)?.or_else(|| rule_cfg.as_ref().and_then(|r| r.rule.clone()))
    {
        md.rule = Some(r);
    }
    md.shamir_threshold = g
        .shamir_threshold
        .or_else(|| rule_cfg.as_ref().map(|r| r.shamir_threshold))
        .unwrap_or(0);
    if md.key_groups.len() > 1 && md.shamir_threshold == 1 {
        return Err(Error::generic(
            "Could not generate data key: the Shamir threshold must be at least 2 (or 0 for all key groups)",
        ));
    }
    Ok(md)
}
