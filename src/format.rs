//! File formats: choosing one from a name or an extension, and dispatching
//! parse and emit to its store. Their errors are the stores'
//! ([`StoreError`]): the caller, which knows what it was reading or
//! writing, gives them their exit code.

use crate::stores::{self, Result, StoreError};
use crate::tree::{Branch, Value};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Yaml,
    Json,
    Dotenv,
    Ini,
    Binary,
    Toml,
}

impl Format {
    /// sops' `--input-type`/`--output-type` names.
    pub fn from_name(s: &str) -> Option<Format> {
        Some(match s {
            "yaml" => Format::Yaml,
            "json" => Format::Json,
            "dotenv" => Format::Dotenv,
            "ini" => Format::Ini,
            "binary" => Format::Binary,
            "toml" => Format::Toml,
            _ => return None,
        })
    }

    /// sops' choice by file extension; anything unknown is binary.
    pub fn from_path(path: &str) -> Format {
        if path.ends_with(".yaml") || path.ends_with(".yml") {
            Format::Yaml
        } else if path.ends_with(".json") {
            Format::Json
        } else if path.ends_with(".env") {
            Format::Dotenv
        } else if path.ends_with(".ini") {
            Format::Ini
        } else if path.ends_with(".toml") {
            Format::Toml
        } else {
            Format::Binary
        }
    }

    /// An explicit type name wins; an unknown name falls back to the
    /// extension, as sops does.
    pub fn resolve(explicit: Option<&str>, path: &str) -> Format {
        explicit
            .and_then(Format::from_name)
            .unwrap_or_else(|| Format::from_path(path))
    }

    pub fn name(self) -> &'static str {
        match self {
            Format::Yaml => "yaml",
            Format::Json => "json",
            Format::Dotenv => "dotenv",
            Format::Ini => "ini",
            Format::Binary => "binary",
            Format::Toml => "toml",
        }
    }

    /// The format to read `input` with: sops has no TOML store and encrypts
    /// `.toml` files as binary (a JSON document, which no TOML document can
    /// be, as it starts with `{`), so such a file is read as binary.
    pub fn sniff(self, input: &[u8]) -> Format {
        let first = input.iter().find(|b| !b.is_ascii_whitespace());
        if self == Format::Toml && first == Some(&b'{') {
            Format::Binary
        } else {
            self
        }
    }

    /// Parse a plaintext file.
    pub fn parse_plain(self, input: &[u8]) -> Result<Vec<Branch>> {
        match self {
            Format::Binary => Ok(stores::binary::parse_plain(input)),
            other => other.parse_tree(input),
        }
    }

    /// Parse a file into documents (an encrypted file keeps its `sops` entry).
    pub fn parse_tree(self, input: &[u8]) -> Result<Vec<Branch>> {
        match self {
            Format::Yaml => stores::yaml::parse(input),
            Format::Json | Format::Binary => stores::json::parse(input),
            Format::Dotenv => stores::dotenv::parse(input),
            Format::Ini => stores::ini::parse(input),
            // Reading it as TOML would fail, and `edit` would then rewrite
            // sops' binary file as TOML: callers sniff first (diff, check,
            // merge-driver) or the user says --input-type binary.
            Format::Toml if self.sniff(input) == Format::Binary => Err(StoreError::read(
                "this .toml file holds a JSON document, which is how sops encrypts .toml files (as binary): read it with --input-type binary",
            )),
            Format::Toml => stores::toml::parse(input),
        }
    }

    /// Emit documents (plaintext, or encrypted with their `sops` entry).
    pub fn emit_tree(self, docs: &[Branch], indent: Option<usize>) -> Result<Vec<u8>> {
        match self {
            Format::Yaml => stores::yaml::emit(docs, indent.unwrap_or(4)),
            Format::Json | Format::Binary => stores::json::emit(docs, indent),
            Format::Dotenv => stores::dotenv::emit(docs, indent),
            Format::Ini => stores::ini::emit(docs, indent),
            Format::Toml => stores::toml::emit(docs, indent),
        }
    }

    /// Emit a decrypted file in this format.
    pub fn emit_plain(self, docs: &[Branch], indent: Option<usize>) -> Result<Vec<u8>> {
        match self {
            Format::Binary => stores::binary::emit_plain(docs),
            other => other.emit_tree(docs, indent),
        }
    }

    /// Emit one extracted value.
    pub fn emit_value(self, v: &Value, indent: Option<usize>) -> Result<Vec<u8>> {
        match self {
            // sops marshals extracted YAML values with yaml.v3's default indent.
            Format::Yaml => stores::yaml::emit_value(v, 4),
            Format::Json | Format::Binary => stores::json::emit_value_indent(v, indent),
            Format::Dotenv => stores::dotenv::emit_value(v),
            Format::Ini => stores::ini::emit_value(v),
            Format::Toml => stores::toml::emit_value(v),
        }
    }

    /// Flat formats store only strings at one or two levels.
    pub fn is_flat(self) -> bool {
        matches!(self, Format::Dotenv | Format::Ini)
    }
}
