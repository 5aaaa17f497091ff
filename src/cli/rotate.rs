//! `rsops rotate`: a new data key, every value re-encrypted, recipients
//! optionally added (to the first key group, as sops does) or removed (from
//! every group).

use crate::datakey::Context;
use crate::error::Result;
use crate::keys;

use super::args::Global;
use super::common;

pub fn run(g: &Global, file: Option<&str>, ctx: &mut Context) -> Result<()> {
    let mut input = common::existing_input(g, file)?;
    let opts = common::key_options(g)?;
    let add = keys::keys_from_lists(g.keys.added(), &opts)?;
    let rm = keys::keys_from_lists(g.keys.removed(), &opts)?;
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
