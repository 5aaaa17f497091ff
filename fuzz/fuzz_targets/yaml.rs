//! YAML store: arbitrary bytes must parse or fail cleanly, and whatever
//! parses must be written and read back to the same tree, up to the layout
//! changes [`rsops_fuzz::YAML`] allows.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rsops::stores::yaml;

fuzz_target!(|data: &[u8]| {
    rsops_fuzz::check_round_trip(
        data,
        yaml::parse,
        &|docs| yaml::emit(docs, 4),
        rsops_fuzz::YAML,
    );
});
