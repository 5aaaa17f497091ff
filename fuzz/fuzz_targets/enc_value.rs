//! `ENC[AES256_GCM,…]` values: `cipher::parse` and `Cipher::decrypt` with a
//! fixed key on arbitrary text must fail cleanly; and authentic values of
//! every type (the type field is not authenticated, so any plaintext can
//! arrive under any type) must decrypt or fail cleanly, re-encrypt to the
//! same value, and never reuse an IV for a different plaintext.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| rsops_fuzz::enc_value(data));
