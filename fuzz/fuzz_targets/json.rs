//! JSON store: arbitrary bytes must parse or fail cleanly, and whatever
//! parses must be written and read back to the same tree, up to the layout
//! changes [`rsops_fuzz::JSON`] allows.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rsops::stores::json;

fuzz_target!(|data: &[u8]| {
    rsops_fuzz::check_round_trip(
        data,
        json::parse,
        &|docs| json::emit(docs, None),
        rsops_fuzz::JSON,
    );
});
