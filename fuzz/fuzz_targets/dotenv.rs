//! dotenv store: arbitrary bytes must parse or fail cleanly, and whatever
//! parses must be written and read back to the same tree, up to the layout
//! changes [`rsops_fuzz::DOTENV`] allows.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rsops::stores::dotenv;

fuzz_target!(|data: &[u8]| {
    rsops_fuzz::check_round_trip(
        data,
        dotenv::parse,
        &|docs| dotenv::emit(docs, None),
        rsops_fuzz::DOTENV,
    );
});
