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
