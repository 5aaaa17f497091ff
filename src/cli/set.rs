//! `rsops set` and `rsops unset`: change one value in place. Every other
//! value keeps its ciphertext. As in sops, the file is written even when
//! the value was already set (new `lastmodified` and MAC), unless
//! `--idempotent` asks for no write in that case.

use zeroize::Zeroizing;

use crate::error::{code, Error, Result};
use crate::format::Format;
use crate::tree::{self, Value};

use super::args::Global;
use super::common;

fn open(
    g: &Global,
    file: &str,
) -> Result<(
    common::SopsFile,
    crate::cipher::Cipher,
    Format,
    Option<usize>,
)> {
    let path = std::path::Path::new(file);
    if let Err(e) = std::fs::metadata(path) {
        return Err(Error::with_source(
            code::COULD_NOT_READ_INPUT_FILE,
            format!("Error reading file: {file}"),
            e,
        ));
    }
    let name = g
        .filename_override
        .clone()
        .unwrap_or_else(|| file.to_string());
    let (mut in_fmt, mut out_fmt) = common::formats(g, &name);
    let cfg = crate::config::Config::discover(g.config.as_deref())?;
    let bytes = crate::io::read_input(Some(path))?;
    (in_fmt, out_fmt) = common::sniff_formats(g, in_fmt, out_fmt, &bytes);
    let indent = common::indent(g, cfg.as_ref(), out_fmt)?;
    let mut f = common::load_encrypted(&bytes, in_fmt, file)?;
    let mut ctx = common::key_ctx(g);
    let cipher = common::decrypt_file(&mut f, g, &mut ctx, file, true)?;
    Ok((f, cipher, out_fmt, indent))
}

fn save(
    file: &str,
    mut f: common::SopsFile,
    mut cipher: crate::cipher::Cipher,
    fmt: Format,
    indent: Option<usize>,
) -> Result<()> {
    crate::crypt::encrypt_and_seal(&mut f.docs, &mut f.md, &mut cipher)?;
    let out = common::emit_encrypted(&mut f, fmt, indent)?;
    crate::io::write_atomic(std::path::Path::new(file), &out)
}

/// Parse the value given to `set` as sops does: JSON, with scalar numbers
/// as floats (Go's encoding/json), maps and lists through the JSON store
/// (from sops 3.13.2 their integers are integers). With `floats`, numbers
/// in maps and lists are floats too: what a JSON file of a sops older than
/// 3.13.2 holds (see [`crate::stores::json::Numbers`]).
pub fn json_value(text: &str, floats: bool) -> Result<Value> {
    use crate::stores::json::{parse_numbers, Numbers};
    let bad = || {
        Error::new(
            code::ERROR_INVALID_SET_FORMAT,
            "Value for set is not valid JSON",
        )
    };
    let wrapped = Zeroizing::new(format!("{{\"v\":{text}}}"));
    let value = |numbers| -> Result<Value> {
        let docs = parse_numbers(wrapped.as_bytes(), numbers).map_err(|_| bad())?;
        docs.into_iter()
            .next()
            .and_then(|d| d.into_iter().next())
            .map(|i| i.value)
            .ok_or_else(bad)
    };
    let v = value(if floats {
        Numbers::Floats
    } else {
        Numbers::OfWriter
    })?;
    match v {
        // A scalar number: Go's encoding/json reads a float64 (`-0` too).
        Value::Int(_) => value(Numbers::Floats),
        other => Ok(other),
    }
}

pub fn run_set(
    g: &Global,
    file: &str,
    path: &str,
    value: Option<&str>,
    value_file: bool,
    value_stdin: bool,
    idempotent: bool,
) -> Result<()> {
    if value_file && value_stdin {
        return Err(Error::generic(
            "Error: cannot use both --value-file and --value-stdin",
        ));
    }
    let path = common::parse_tree_path(path)
        .map_err(|_| Error::new(code::ERROR_INVALID_SET_FORMAT, "Invalid set index format"))?;
    let data: Zeroizing<String> = if value_stdin {
        if value.is_some() {
            return Err(Error::new(
                code::NO_FILE_SPECIFIED,
                "Error: file specified, or index and value are missing. Need precisely 2 positional arguments since --value-stdin is used.",
            ));
        }
        let b = crate::io::read_input(None)?;
        Zeroizing::new(String::from_utf8(b).map_err(|_| {
            Error::new(
                code::ERROR_INVALID_SET_FORMAT,
                "the value on stdin is not UTF-8",
            )
        })?)
    } else {
        let v = value.ok_or_else(|| {
            Error::new(
                code::NO_FILE_SPECIFIED,
                "Error: no file specified, or index and value are missing. Need precisely 3 positional arguments.",
            )
        })?;
        if value_file {
            let b = std::fs::read(v).map_err(|e| {
                Error::with_source(
                    code::ERROR_GENERIC,
                    format!("cannot read value file {v}"),
                    e,
                )
            })?;
            Zeroizing::new(String::from_utf8(b).map_err(|_| {
                Error::new(
                    code::ERROR_INVALID_SET_FORMAT,
                    "the value file is not UTF-8",
                )
            })?)
        } else {
            Zeroizing::new(v.to_string())
        }
    };
    let mut value = json_value(&data, false)?;
    let (mut f, cipher, fmt, indent) = open(g, file)?;
    if matches!(fmt, Format::Json) && !crate::metadata::json_reads_ints(&f.md.version) {
        // The file keeps its version: its numbers must be what that sops
        // version reads back, or its MAC would not verify.
        value = json_value(&data, true)?;
    }
    let doc = f
        .docs
        .first_mut()
        .ok_or_else(|| Error::generic(format!("{file}: the file has no document")))?;
    let changed = tree::set_path(doc, &path, value)
        .map_err(|e| Error::from_source(code::ERROR_INVALID_SET_FORMAT, e))?;
    // The path or a map in the value may bring a key no file may hold.
    common::check_plain_keys(&f.docs, file)?;
    if !changed && idempotent {
        // --idempotent: nothing to write, the file stays byte for byte.
        return Ok(());
    }
    // As sops does, an unchanged value still writes the file (a new
    // `lastmodified` and MAC); every value keeps its ciphertext.
    save(file, f, cipher, fmt, indent)
}

pub fn run_unset(g: &Global, file: &str, path: &str, idempotent: bool) -> Result<()> {
    let path = common::parse_tree_path(path)
        .map_err(|_| Error::new(code::ERROR_INVALID_SET_FORMAT, "Invalid unset index format"))?;
    let (mut f, cipher, fmt, indent) = open(g, file)?;
    let doc = f
        .docs
        .first_mut()
        .ok_or_else(|| Error::generic(format!("{file}: the file has no document")))?;
    match tree::unset_path(doc, &path) {
        Ok(()) => save(file, f, cipher, fmt, indent),
        Err(_) if idempotent => Ok(()),
        Err(e) => Err(Error::with_source(code::ERROR_GENERIC, file, e)),
    }
}
