//! Binary files: the whole file is one value under the key `data`; the
//! encrypted form is a JSON document.

use crate::stores::{Result, StoreError};
use crate::tree::{Branch, Item, Value};

/// The plaintext file as a one-entry document.
pub fn parse_plain(input: &[u8]) -> Vec<Branch> {
    let v = match std::str::from_utf8(input) {
        Ok(s) => Value::Str(s.to_string()),
        Err(_) => Value::Bytes(input.to_vec()),
    };
    vec![vec![Item::new("data", v)]]
}

/// The bytes stored under `data`.
pub fn emit_plain(docs: &[Branch]) -> Result<Vec<u8>> {
    let not_binary = || {
        StoreError::write("error emitting binary store: no binary data found in tree. This is likely not an encrypted binary file; if not, use --output-type to select the correct output type",
        )
    };
    if docs.len() != 1 {
        return Err(not_binary());
    }
    for it in &docs[0] {
        if it.key_str() == Some("data") {
            return match &it.value {
                Value::Str(s) => Ok(s.as_bytes().to_vec()),
                Value::Bytes(b) => Ok(b.clone()),
                _ => Err(not_binary()),
            };
        }
    }
    Err(not_binary())
}
