//! Recovered data keys are capped wherever they come from: OpenPGP
//! messages (structure check, compressed payloads), age files, and what
//! any key source returns ([`rsops_fuzz::data_key`]).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| rsops_fuzz::data_key(data));
