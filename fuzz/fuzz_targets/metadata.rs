//! The `sops` metadata block: bytes -> tree (YAML, JSON, dotenv, INI) ->
//! `Metadata::from_value`, as `rsops decrypt` loads a file. Whatever loads
//! must be written back (`emit_encrypted`) and load again to the same
//! metadata and documents; a metadata value that reads must also survive
//! `to_value` -> `from_value`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| rsops_fuzz::metadata(data));
