//! `rsops decrypt`: an encrypted file in, the plaintext (or one value) out.

use crate::error::{code, Error, Result};
use crate::tree::{Branch, PathStep, Value};

use super::args::Global;
use super::common;

pub fn run(g: &Global, file: Option<&str>, ctx: &mut crate::datakey::Context) -> Result<()> {
    let mut input = common::input(g, file)?;
    let extract = g
        .extract
        .as_deref()
        .map(common::parse_tree_path)
        .transpose()?;
    let bytes = input.read_encrypted(g)?;
    let mut f = common::load_encrypted(&bytes, input.in_format, &input.display())?;
    drop(bytes);
    let cfg = crate::config::Config::discover(g.config.as_deref())?;
    let indent = common::indent(g, cfg.as_ref(), input.out_format)?;
    common::decrypt_file(&mut f, g, ctx, &input.display(), false)?;
    let out = match extract {
        Some(path) if !path.is_empty() => {
            extract_value(std::mem::take(&mut f.docs), &path, input.out_format, indent)?
        }
        _ => input
            .out_format
            .emit_plain(&f.docs, indent)
            .map_err(|e| Error::with_source(code::ERROR_DUMPING_TREE, "Error dumping file", e))?,
    };
    let out = zeroize::Zeroizing::new(out);
    let written = common::write_output(g, &input, &out);
    // Plaintext is wiped now; only the freeing may happen later.
    let len = out.len();
    drop(out);
    let mut docs = std::mem::take(&mut f.docs);
    crate::tree::zeroize_docs(&mut docs);
    common::free_after_output(docs, len);
    written
}

fn extract_value(
    mut docs: Vec<Branch>,
    path: &[PathStep],
    fmt: crate::format::Format,
    indent: Option<usize>,
) -> Result<Vec<u8>> {
    let first = docs
        .first()
        .ok_or_else(|| Error::generic("error truncating tree: the file has no document"))?;
    let v = crate::tree::lookup(first, path)?.clone();
    match v {
        Value::Map(m) => {
            docs[0] = m;
            fmt.emit_plain(&docs, indent)
                .map_err(|e| Error::with_source(code::ERROR_DUMPING_TREE, "Error dumping file", e))
        }
        Value::Str(s) => Ok(s.into_bytes()),
        Value::Bytes(b) => Ok(b),
        other => fmt
            .emit_value(&other, indent)
            .map_err(|e| Error::with_source(code::ERROR_DUMPING_TREE, "Error dumping tree", e)),
    }
}
