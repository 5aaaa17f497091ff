//! dotenv store: arbitrary bytes must parse or fail cleanly, and whatever
//! parses must be written and read back to the same tree, up to the layout
//! changes [`rsops_fuzz::DOTENV`] allows.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rsops::format::Format;

fuzz_target!(|data: &[u8]| rsops_fuzz::store(Format::Dotenv, data));
