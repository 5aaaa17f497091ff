//! The YAML alias budget: with a small budget, what parses holds at most
//! its input's text plus the budget, and parses the same under the default
//! budget; the budget adds a refusal and changes nothing else
//! ([`rsops_fuzz::yaml_aliases`]).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| rsops_fuzz::yaml_aliases(data));
