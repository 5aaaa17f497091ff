//! YAML store: arbitrary bytes must parse or fail cleanly, and whatever
//! parses must survive emit -> parse unchanged.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rsops_fuzz::{Layout, EXACT};
use rsops::stores::yaml;

/// A comment written on its own line instead of after a value is still
/// the same comment in the same place.
const LAYOUT: Layout = Layout {
    comment_inline: true,
    ..EXACT
};

fuzz_target!(|data: &[u8]| {
    rsops_fuzz::check_round_trip(data, yaml::parse, &|docs| yaml::emit(docs, 4), LAYOUT);
});
