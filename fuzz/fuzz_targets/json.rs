//! JSON store: arbitrary bytes must parse or fail cleanly, and whatever
//! parses must survive emit -> parse unchanged.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rsops_fuzz::EXACT;
use rsops::stores::json;

fuzz_target!(|data: &[u8]| {
    rsops_fuzz::check_round_trip(data, json::parse, &|docs| json::emit(docs, None), EXACT);
});
