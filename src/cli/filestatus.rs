//! `rsops filestatus`: `{"encrypted":true}` or `{"encrypted":false}`.

use crate::error::{code, Error, Result};
use crate::format::Format;

use super::args::Global;

pub fn run(g: &Global, file: &str) -> Result<i32> {
    let fmt = Format::resolve(g.input_type.as_deref(), file);
    let bytes = std::fs::read(file).map_err(|e| {
        Error::with_source(
            code::ERROR_GENERIC,
            format!("cannot check file status: cannot load encrypted file: {file}"),
            e,
        )
    })?;
    let mut docs = fmt.parse_tree(&bytes).map_err(|e| {
        Error::with_source(
            code::ERROR_GENERIC,
            "cannot check file status: cannot load encrypted file",
            e,
        )
    })?;
    let encrypted = match docs
        .first_mut()
        .map(crate::metadata::take_metadata)
        .transpose()?
    {
        Some(Some(meta)) => match crate::metadata::Metadata::from_value(&meta) {
            Ok(md) => !md.version.is_empty() && !md.mac.is_empty(),
            Err(e) => {
                return Err(Error::generic(format!(
                    "cannot check file status: cannot load encrypted file: {}",
                    e.message()
                )))
            }
        },
        _ => false,
    };
    crate::io::write_stdout(format!("{{\"encrypted\":{encrypted}}}\n").as_bytes())?;
    Ok(0)
}
