//! The `sops` metadata block: bytes -> tree (YAML, JSON, dotenv, INI) ->
//! `Metadata::from_value`, as `rsops decrypt` loads a file. Whatever loads
//! must be written back (`emit_encrypted`) and load again to the same
//! metadata and documents; a metadata value that reads must also survive
//! `to_value` -> `from_value`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rsops::cli::common::{emit_encrypted, load_encrypted};
use rsops::format::Format;
use rsops::metadata::Metadata;
use rsops::tree::Value;

fn check_metadata_round_trip(md: &Metadata) {
    match Metadata::from_value(&md.to_value()) {
        Ok(back) => assert_eq!(&back, md, "metadata changed through to_value -> from_value"),
        Err(e) => panic!("metadata we write does not read back: {}\n{md:?}", e.msg),
    }
}

fuzz_target!(|data: &[u8]| {
    for fmt in [Format::Yaml, Format::Json, Format::Dotenv, Format::Ini] {
        // The document itself as a metadata block (no `sops:` wrapper needed).
        if let Ok(docs) = fmt.parse_tree(data) {
            for doc in docs {
                if let Ok(md) = Metadata::from_value(&Value::Map(doc)) {
                    check_metadata_round_trip(&md);
                }
            }
        }
        // A whole encrypted file, as the commands load it.
        let Ok(mut file) = load_encrypted(data, fmt, "fuzz") else {
            continue;
        };
        check_metadata_round_trip(&file.md);
        let groups = &file.md.key_groups;
        let unwritable = fmt.is_flat() && groups.len() > 1 && groups.iter().any(Vec::is_empty);
        let out = match emit_encrypted(&mut file, fmt, None) {
            Ok(out) => {
                assert!(
                    !unwritable,
                    "{fmt:?}: an empty key group was written (and lost)"
                );
                out
            }
            // The flat formats cannot hold an empty key group: refusing to
            // write one is right (dropping it would break the Shamir shares).
            Err(_) if unwritable => continue,
            Err(e) => panic!("{fmt:?}: a loaded file could not be written: {}", e.msg),
        };
        let again = match load_encrypted(&out, fmt, "fuzz") {
            Ok(f) => f,
            Err(e) => panic!(
                "{fmt:?}: a file we wrote does not load: {}\nwritten: {:?}",
                e.msg,
                String::from_utf8_lossy(&out)
            ),
        };
        assert_eq!(
            again.md, file.md,
            "{fmt:?}: the metadata changed when written and read"
        );
        assert!(
            rsops_fuzz::same_docs_with(&again.docs, &file.docs, rsops_fuzz::layout_of(fmt)),
            "{fmt:?}: the documents changed when written and read\nfirst:  {}\nsecond: {}",
            rsops_fuzz::show(&file.docs, 2000),
            rsops_fuzz::show(&again.docs, 2000)
        );
    }
});
