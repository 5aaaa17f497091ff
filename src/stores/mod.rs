//! Stores translate a file format to and from the [`crate::tree`] model.
//! They parse and emit only: they never encrypt.

pub mod binary;
pub mod dotenv;
pub mod flatten;
pub mod ini;
pub mod json;
pub mod names;
pub mod toml;
pub mod yaml;

/// Why a store could not read or write a document. Messages never hold a
/// value of the document: they say where the problem is instead. Which
/// exit code a failure gets is decided by the operation (reading the
/// plaintext to encrypt, loading an encrypted file, writing the output):
/// see [`crate::format::Format`]'s callers.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The input is not a document this store reads: its syntax, its
    /// encoding, its depth, its metadata, or a value the format allows but
    /// sops has no type for. The message gives the line (and column) where
    /// the store knows it.
    #[error("{0}")]
    Read(String),
    /// A document sops' tree walker cannot walk (a map key that is not a
    /// string, an integer beyond the signed 64-bit range): sops meets it
    /// walking the tree to encrypt it (exit code 23) or to decrypt it (25),
    /// rsops while reading the document.
    #[error("Error walking tree: {0}")]
    Unwalkable(String),
    /// The tree cannot be written in this format.
    #[error("{0}")]
    Write(String),
}

impl StoreError {
    pub fn read(msg: impl Into<String>) -> StoreError {
        StoreError::Read(msg.into())
    }
    pub fn write(msg: impl Into<String>) -> StoreError {
        StoreError::Write(msg.into())
    }
}

/// What the stores return.
pub type Result<T> = std::result::Result<T, StoreError>;

/// A store's error met while reading `file`, with the exit code sops gives
/// that failure; the only place a store error gets a code:
///
/// - a document sops' tree walker cannot walk: `Error encrypting tree`
///   (exit code 23) when `file` is a plaintext being encrypted, `Error
///   decrypting tree` (25) when it is an encrypted file;
/// - anything else: `code`, with `what` saying what was being read (the
///   store's error follows as the cause).
pub fn read_error(
    e: StoreError,
    decrypting: bool,
    file: &str,
    code: i32,
    what: impl FnOnce() -> String,
) -> crate::error::Error {
    use crate::error::{code as codes, Error};
    match e {
        StoreError::Unwalkable(_) => {
            let (code, doing) = if decrypting {
                (codes::ERROR_DECRYPTING_TREE, "decrypting")
            } else {
                (codes::ERROR_ENCRYPTING_TREE, "encrypting")
            };
            // sops' wording, the file named after it; the cause's text is
            // in the message already, so a report does not repeat it.
            Error::with_source(code, format!("Error {doing} tree: {e} (in {file})"), e)
        }
        e => Error::with_source(code, what(), e),
    }
}

/// 1-based line and column (in characters) of byte offset `pos`, for
/// parse errors.
pub(crate) fn line_col(b: &[u8], pos: usize) -> (usize, usize) {
    let pos = pos.min(b.len());
    let before = &b[..pos];
    let line = before.iter().filter(|&&c| c == b'\n').count() + 1;
    let start = before
        .iter()
        .rposition(|&c| c == b'\n')
        .map_or(0, |i| i + 1);
    let col = String::from_utf8_lossy(&before[start..]).chars().count() + 1;
    (line, col)
}
