//! INI store: arbitrary bytes must parse or fail cleanly, and whatever
//! parses must be written and read back to the same tree, up to the layout
//! changes [`rsops_fuzz::INI`] allows.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rsops::stores::ini;

fuzz_target!(|data: &[u8]| {
    rsops_fuzz::check_round_trip(
        data,
        ini::parse,
        &|docs| ini::emit(docs, None),
        rsops_fuzz::INI,
    );
});
