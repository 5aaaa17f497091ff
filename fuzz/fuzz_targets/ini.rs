//! INI store: arbitrary bytes must parse or fail cleanly, and whatever
//! parses must be written and read back to the same tree, up to the layout
//! changes [`rsops_fuzz::INI`] allows.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rsops::format::Format;

fuzz_target!(|data: &[u8]| rsops_fuzz::store(Format::Ini, data));
