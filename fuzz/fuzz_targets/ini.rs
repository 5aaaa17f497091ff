//! INI store: arbitrary bytes must parse or fail cleanly, and whatever
//! parses (including a `[sops]` section) must survive emit -> parse
//! unchanged.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rsops_fuzz::{Layout, EXACT};
use rsops::stores::ini;

/// `[sops]` keys are written sorted; comment lines are written trimmed, as
/// go-ini does.
const LAYOUT: Layout = Layout {
    flat_metadata: true,
    comment_line_space: true,
    ..EXACT
};

fuzz_target!(|data: &[u8]| {
    rsops_fuzz::check_round_trip(data, ini::parse, &|docs| ini::emit(docs, None), LAYOUT);
});
