//! Key-management commands that re-wrap the existing data key without
//! touching the values: `updatekeys` (make recipients match .sops.yaml) and
//! `groups add|delete`.
//!
//! The data key is unchanged, so every value, the MAC and `lastmodified`
//! stay as they were; only the `sops` key entries change.

use std::path::Path;

use crate::error::{code, Error, Result};
use crate::format::Format;
use crate::keys::MasterKey;
use crate::metadata::KeyGroup;

use super::args::Global;
use super::common;

/// Per-group differences between the file's keys and the wanted keys.
pub(super) struct GroupDiff {
    common: Vec<String>,
    added: Vec<String>,
    removed: Vec<String>,
}

impl GroupDiff {
    /// Whether keys are added to or removed from the group.
    #[cfg(feature = "publish")]
    pub(super) fn changes(&self) -> bool {
        !self.added.is_empty() || !self.removed.is_empty()
    }
}

fn id(k: &MasterKey) -> (String, String) {
    (k.type_id().to_string(), k.describe())
}

pub(super) fn diff_groups(ours: &[KeyGroup], theirs: &[KeyGroup]) -> Vec<GroupDiff> {
    let n = ours.len().max(theirs.len());
    (0..n)
        .map(|i| {
            let empty = KeyGroup::new();
            let o = ours.get(i).unwrap_or(&empty);
            let t = theirs.get(i).unwrap_or(&empty);
            let oids: Vec<_> = o.iter().map(id).collect();
            let tids: Vec<_> = t.iter().map(id).collect();
            GroupDiff {
                common: t
                    .iter()
                    .filter(|k| oids.contains(&id(k)))
                    .map(|k| k.describe())
                    .collect(),
                added: t
                    .iter()
                    .filter(|k| !oids.contains(&id(k)))
                    .map(|k| k.describe())
                    .collect(),
                removed: o
                    .iter()
                    .filter(|k| !tids.contains(&id(k)))
                    .map(|k| k.describe())
                    .collect(),
            }
        })
        .collect()
}

pub(super) fn print_diff(old_th: usize, new_th: usize, diffs: &[GroupDiff]) -> String {
    let mut s = String::from("The following changes will be made to the file's groups:\n");
    if old_th > 0 && old_th == new_th {
        s.push_str(&format!("shamir_threshold: {new_th}\n"));
    } else {
        if new_th > 0 {
            s.push_str(&format!("+++ shamir_threshold: {new_th}\n"));
        }
        if old_th > 0 {
            s.push_str(&format!("--- shamir_threshold: {old_th}\n"));
        }
    }
    for (i, d) in diffs.iter().enumerate() {
        s.push_str(&format!("Group {}\n", i + 1));
        for c in &d.common {
            s.push_str(&format!("    {c}\n"));
        }
        for c in &d.added {
            s.push_str(&format!("+++ {c}\n"));
        }
        for c in &d.removed {
            s.push_str(&format!("--- {c}\n"));
        }
    }
    s
}

/// `rsops updatekeys FILE…`
pub fn updatekeys(g: &Global, files: &[String], yes: bool) -> Result<i32> {
    if files.is_empty() {
        return Err(Error::new(
            code::NO_FILE_SPECIFIED,
            "Error: no file specified",
        ));
    }
    let cfg = match crate::config::Config::discover(g.config.as_deref())? {
        Some(c) => c,
        None => {
            return Err(Error::generic(
                "config file not found: updatekeys needs a .sops.yaml with creation rules",
            ))
        }
    };
    let mut ctx = common::key_ctx(g);
    let mut failed = 0;
    for f in files {
        let r = update_one(g, &cfg, f, yes, &mut ctx);
        if let Err(e) = r {
            if files.len() == 1 {
                return Err(e);
            }
            eprintln!("{f}: {}", e.message());
            failed += 1;
        }
    }
    if failed > 0 {
        return Err(Error::generic(format!("failed updating {failed} key(s)")));
    }
    Ok(0)
}

fn update_one(
    g: &Global,
    cfg: &crate::config::Config,
    file: &str,
    yes: bool,
    ctx: &mut crate::datakey::Context,
) -> Result<()> {
    let path = Path::new(file);
    if path.is_dir() {
        return Err(Error::generic(format!(
            "{file}: can't operate on a directory"
        )));
    }
    let fmt = Format::resolve(g.input_type.as_deref(), file);
    let bytes = crate::io::read_input(Some(path))?;
    let mut f = common::load_encrypted(&bytes, fmt, file)?;
    eprintln!("Syncing keys for file {file}");
    let rule = cfg.creation_rule_for(path)?.ok_or_else(|| {
        Error::generic(format!(
            "The config file {} does not contain any creation rule",
            cfg.path.display()
        ))
    })?;
    let diffs = diff_groups(&f.md.key_groups, &rule.key_groups);
    let keys_change = diffs
        .iter()
        .any(|d| !d.added.is_empty() || !d.removed.is_empty());
    let mut th = g
        .shamir_threshold
        .filter(|t| *t != 0)
        .unwrap_or(f.md.shamir_threshold);
    th = th.min(rule.key_groups.len());
    let th_change = th != f.md.shamir_threshold;
    if !keys_change && !th_change {
        eprintln!("File {file} already up to date");
        return Ok(());
    }
    crate::io::write_stdout(print_diff(f.md.shamir_threshold, th, &diffs).as_bytes())?;
    if !yes
        && !common::confirm(
            "Is this okay? (y/n):",
            "pass --yes to apply the changes without asking",
        )?
    {
        eprintln!("File {file} left unchanged");
        return Ok(());
    }
    let key = crate::datakey::unwrap_data_key(&f.md, &common::decryption_order(g), ctx)
        .map_err(|e| e.context(file))?;
    f.md.key_groups = rule.key_groups;
    f.md.shamir_threshold = th;
    crate::datakey::wrap_data_key(&mut f.md, &key, ctx).map_err(Error::generic_from)?;
    let indent = common::indent(g, Some(cfg), fmt)?;
    let out = common::emit_encrypted(&mut f, fmt, indent)?;
    crate::io::write_atomic(path, &out)?;
    eprintln!("File {file} synced with new keys");
    Ok(())
}

/// `rsops groups add --file F [keys…]` and `rsops groups delete --file F INDEX`.
pub fn groups(g: &Global, file: &str, add: Option<KeyGroup>, delete: Option<usize>) -> Result<i32> {
    let fmt = Format::resolve(g.input_type.as_deref(), file);
    let out_fmt = g
        .output_type
        .as_deref()
        .and_then(Format::from_name)
        .unwrap_or(fmt);
    let path = Path::new(file);
    let bytes = crate::io::read_input(Some(path))?;
    let mut f = common::load_encrypted(&bytes, fmt, file)?;
    let mut ctx = common::key_ctx(g);
    let key = crate::datakey::unwrap_data_key(&f.md, &common::decryption_order(g), &mut ctx)
        .map_err(|e| e.context(file))?;
    if let Some(group) = add {
        if group.is_empty() {
            return Err(Error::generic(
                "the new key group has no keys: give --age, --pgp, --kms, …",
            ));
        }
        f.md.key_groups.push(group);
    }
    if let Some(i) = delete {
        if i >= f.md.key_groups.len() {
            return Err(Error::generic(format!(
                "{file}: there is no key group {i} (the file has {})",
                f.md.key_groups.len()
            )));
        }
        f.md.key_groups.remove(i);
    }
    if let Some(t) = g.shamir_threshold.filter(|t| *t != 0) {
        f.md.shamir_threshold = t;
    }
    if f.md.key_groups.len() < f.md.shamir_threshold {
        return Err(Error::generic(format!(
            "removing this key group will make the Shamir threshold impossible to satisfy: Shamir threshold is {}, but we only have {} key groups",
            f.md.shamir_threshold,
            f.md.key_groups.len()
        )));
    }
    if f.md.key_groups.len() <= 1 {
        f.md.shamir_threshold = 0;
    }
    crate::datakey::wrap_data_key(&mut f.md, &key, &mut ctx).map_err(Error::generic_from)?;
    let cfg = crate::config::Config::discover(g.config.as_deref())?;
    let indent = common::indent(g, cfg.as_ref(), out_fmt)?;
    let out = common::emit_encrypted(&mut f, out_fmt, indent)?;
    if g.in_place {
        crate::io::write_atomic(path, &out)?;
    } else {
        crate::io::write_stdout(&out)?;
    }
    Ok(0)
}
