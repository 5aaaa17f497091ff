//! Stores translate a file format to and from the [`crate::tree`] model.
//! They parse and emit only: they never encrypt.

pub mod binary;
pub mod dotenv;
pub mod flatten;
pub mod ini;
pub mod json;
pub mod toml;
pub mod yaml;
