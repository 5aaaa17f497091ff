//! `rsops publish FILE|DIR`: send encrypted files to the destination their
//! `.sops.yaml` `destination_rules` name, as sops does: S3 and GCS get the
//! encrypted file (re-encrypted first for the `recreation_rule`'s keys, if
//! it names any), Vault KV gets the decrypted values.

use std::path::{Component, Path};

use crate::config::{Config, Destination};
use crate::error::{code, Error, Result};
use crate::format::Format;
use crate::metadata::Metadata;

use super::args::Global;
use super::common;

/// The `publish` flags.
pub struct Opts {
    pub yes: bool,
    pub omit_extensions: bool,
    pub recursive: bool,
}

pub fn run(g: &Global, path: &str, opts: &Opts) -> Result<i32> {
    let cfg = Config::discover(g.config.as_deref())?.ok_or_else(|| {
        Error::generic("config file not found: publish needs a .sops.yaml with destination_rules")
    })?;
    let p = Path::new(path);
    let meta = std::fs::metadata(p).map_err(|e| {
        Error::with_source(code::NO_FILE_SPECIFIED, format!("cannot publish {path}"), e)
    })?;
    if meta.is_dir() && !opts.recursive {
        return Err(Error::generic(
            "can't operate on a directory without --recursive flag.",
        ));
    }
    let files = crate::walk::files(p)?;
    let mut ctx = common::key_ctx(g);
    for f in &files {
        publish_one(g, &cfg, f, p, opts, &mut ctx)?;
    }
    Ok(0)
}

/// The name a file gets at its destination: its base name, or with
/// `--recursive` its path relative to the directory given (as sops 3.11
/// names them), without the extension when asked.
fn destination_name(file: &Path, root: &Path, recursive: bool, omit_extension: bool) -> String {
    let base = || {
        file.file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default()
    };
    let mut name = if recursive {
        let parts: Vec<String> = file
            .strip_prefix(root)
            .unwrap_or(file)
            .components()
            .filter_map(|c| match c {
                Component::Normal(s) => Some(s.to_string_lossy().to_string()),
                _ => None,
            })
            .collect();
        if parts.is_empty() {
            // A file given with --recursive: its base name (sops says ".").
            base()
        } else {
            parts.join("/")
        }
    } else {
        base()
    };
    if omit_extension {
        if let Some(ext) = file.extension() {
            let dotted = format!(".{}", ext.to_string_lossy());
            if let Some(stripped) = name.strip_suffix(&dotted) {
                name = stripped.to_string();
            }
        }
    }
    name
}

fn log(g: &Global, msg: &str) {
    if g.verbose {
        eprintln!("rsops publish: {msg}");
    }
}

fn publish_one(
    g: &Global,
    cfg: &Config,
    file: &Path,
    root: &Path,
    opts: &Opts,
    ctx: &mut crate::datakey::Context,
) -> Result<()> {
    let shown = file.display().to_string();
    let rule = cfg
        .destination_rule_for(&shown)
        .map_err(|e| e.context(&shown))?;
    let Some(dest) = rule.destination.clone() else {
        return Err(Error::generic(format!(
            "{shown}: no destination configured for this file"
        )));
    };
    let name = destination_name(
        file,
        root,
        opts.recursive,
        opts.omit_extensions || rule.omit_extensions,
    );
    let target = crate::publish::describe(&dest, &name);
    let fmt = Format::resolve(g.input_type.as_deref(), &shown);
    let bytes = crate::io::read_input(Some(file))?;
    // Only sops files are published.
    let mut f = common::load_encrypted(&bytes, fmt, &shown)?;

    enum Payload {
        Encrypted(Vec<u8>),
        Values(serde_json::Value),
    }
    let payload = match &dest {
        Destination::S3 { .. } | Destination::Gcs { .. } => {
            let wanted = rule.recreation.key_groups.clone();
            if wanted.first().is_some_and(|g| !g.is_empty()) {
                log(
                    g,
                    &format!("re-encrypting {shown} for the recreation_rule's keys"),
                );
                common::decrypt_file(&mut f, g, ctx, &shown, false)?;
                let old_th = f.md.shamir_threshold;
                let new_th = rule.recreation.shamir_threshold;
                let diffs = super::keygroups::diff_groups(&f.md.key_groups, &wanted);
                if diffs.iter().any(|d| d.changes()) {
                    crate::io::write_stdout(
                        super::keygroups::print_diff(old_th, new_th, &diffs).as_bytes(),
                    )?;
                }
                let mut md = Metadata {
                    key_groups: wanted,
                    shamir_threshold: new_th,
                    mac_only_encrypted: rule.recreation.mac_only_encrypted,
                    ..Default::default()
                };
                if let Some(r) = rule.recreation.rule.clone() {
                    md.rule = Some(r);
                }
                if fmt == Format::Binary {
                    md.rule = None;
                    md.mac_only_encrypted = false;
                }
                f.md = md;
                common::encrypt_new(&mut f.docs, &mut f.md, ctx)?;
                let indent = common::indent(g, Some(cfg), fmt)?;
                Payload::Encrypted(common::emit_encrypted(&mut f, fmt, indent)?)
            } else {
                Payload::Encrypted(bytes)
            }
        }
        Destination::Vault { .. } => {
            common::decrypt_file(&mut f, g, ctx, &shown, false)?;
            let data = crate::publish::tree_to_json(&f.docs);
            crate::tree::zeroize_docs(&mut f.docs);
            Payload::Values(data)
        }
    };

    if !opts.yes {
        let abs = std::path::absolute(file).unwrap_or_else(|_| file.to_path_buf());
        if !common::confirm(
            &format!("uploading {} to {target} ? (y/n): ", abs.display()),
            "pass --yes to publish without asking",
        )? {
            let msg = format!("Publication of {} canceled", abs.display());
            if opts.recursive {
                println!("{msg}");
                return Ok(());
            }
            return Err(Error::generic(msg));
        }
    }

    match payload {
        Payload::Encrypted(contents) => {
            crate::publish::upload(&dest, &contents, &name)?;
            log(g, &format!("uploaded {shown} to {target}"));
        }
        Payload::Values(data) => {
            if crate::publish::upload_unencrypted(&dest, &data, &name)? {
                log(g, &format!("wrote the values of {shown} to {target}"));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn destination_names() {
        let n = |p: &str, root: &str, r: bool, o: bool| {
            destination_name(Path::new(p), Path::new(root), r, o)
        };
        assert_eq!(n("dir/sub/a.enc.yaml", "dir", false, false), "a.enc.yaml");
        assert_eq!(n("dir/sub/a.enc.yaml", "dir", false, true), "a.enc");
        assert_eq!(n("./dir/sub/a.yaml", "./dir", true, false), "sub/a.yaml");
        assert_eq!(n("dir/sub/a.yaml", "dir/", true, true), "sub/a");
        assert_eq!(n("dir/a.yaml", "dir/a.yaml", true, false), "a.yaml");
        assert_eq!(n("noext", "noext", false, true), "noext");
    }
}
