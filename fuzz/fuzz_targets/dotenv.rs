//! dotenv store: arbitrary bytes must parse or fail cleanly, and whatever
//! parses (including `sops_*` metadata lines) must survive emit -> parse
//! unchanged.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rsops_fuzz::{Layout, EXACT};
use rsops::stores::dotenv;

/// `sops_*` lines are written sorted, as sops does.
const LAYOUT: Layout = Layout {
    flat_metadata: true,
    ..EXACT
};

fuzz_target!(|data: &[u8]| {
    rsops_fuzz::check_round_trip(data, dotenv::parse, &|docs| dotenv::emit(docs, None), LAYOUT);
});
