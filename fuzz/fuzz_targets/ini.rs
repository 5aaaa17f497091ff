//! INI store: arbitrary bytes must parse or fail cleanly, and whatever
//! parses (including a `[sops]` section) must survive emit -> parse
//! unchanged.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rsops::stores::ini;

fuzz_target!(|data: &[u8]| {
    rsops_fuzz::check_round_trip(data, ini::parse, &|docs| ini::emit(docs, None));
});
