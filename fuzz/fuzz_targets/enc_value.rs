//! `ENC[AES256_GCM,…]` values: `cipher::parse` and `Cipher::decrypt` with a
//! fixed key on arbitrary text must fail cleanly; and authentic values of
//! every type (the type field is not authenticated, so any plaintext can
//! arrive under any type) must decrypt or fail cleanly, re-encrypt to the
//! same value, and never reuse an IV for a different plaintext.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rsops::cipher::{self, Cipher, DataKey};
use rsops::tree::Value;

const TYPES: [&str; 8] = [
    "str", "int", "float", "bool", "time", "comment", "bytes", "other",
];

fn cipher() -> Cipher {
    Cipher::new(DataKey::from_bytes((0u8..32).collect())).expect("32-byte key")
}

fuzz_target!(|data: &[u8]| {
    // 1. Any text as an ENC value.
    let text = String::from_utf8_lossy(data);
    let _ = cipher::parse(&text);
    let _ = cipher().decrypt(&text, "a:b:");

    // 2. An authentic value: the first byte picks the type, the rest is the
    // plaintext.
    let Some((&sel, plain)) = data.split_first() else {
        return;
    };
    let datatype = TYPES[usize::from(sel) % TYPES.len()];
    let aad = "k:";
    let sealed = cipher()
        .encrypt(&Value::Bytes(plain.to_vec()), aad)
        .expect("encrypting a byte string cannot fail");
    if plain.is_empty() {
        assert_eq!(sealed, "", "an empty value must stay empty");
        return;
    }
    let typed = sealed
        .strip_suffix(",type:str]")
        .map(|s| format!("{s},type:{datatype}]"))
        .expect("a byte string is sealed with type str");
    let original = cipher::parse(&typed).expect("a value we sealed must parse");
    assert_eq!(original.data.len(), plain.len());
    assert!(
        cipher().decrypt(&typed, "other:").is_err(),
        "a value must not decrypt under another path"
    );

    let mut c = cipher();
    let Ok(value) = c.decrypt(&typed, aad) else {
        return;
    };
    let again = c
        .encrypt(&value, aad)
        .expect("a decrypted value re-encrypts");
    let reopened = cipher::parse(&again).expect("a value we sealed must parse");
    if reopened.iv == original.iv {
        // IV memory: reusing the IV is only safe for the very same message.
        assert_eq!(
            again, typed,
            "the IV of a {datatype} value was reused for a different plaintext or type"
        );
    }
    let back = cipher()
        .decrypt(&again, aad)
        .expect("a value we sealed decrypts");
    // A byte string is re-encrypted as type str (as sops does), so it may
    // come back as a string with the same bytes.
    let same = match (&value, &back) {
        (Value::Bytes(a), Value::Str(b)) => a.as_slice() == b.as_bytes(),
        _ => rsops_fuzz::same_value(&value, &back),
    };
    assert!(
        same,
        "a {datatype} value changed on re-encryption: {value:?} -> {back:?}"
    );
});
