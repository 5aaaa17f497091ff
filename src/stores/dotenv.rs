//! The dotenv store, reproducing sops 3.11 (`stores/dotenv/store.go`).
//!
//! sops' dotenv format is deliberately simple:
//!
//! * The input is split at `\n`; empty lines are dropped (they do not
//!   survive a round trip).
//! * A line starting with `#` is a comment; its text is everything after
//!   the `#` (kept byte for byte, including a trailing `\r`).
//! * Any other line must contain `=`: the key is everything before the first
//!   `=` and the value everything after it, both verbatim. There is no
//!   quoting, `export` or whitespace trimming: `export A = "x"` has the key
//!   `export A ` and the value ` "x"`.
//! * In values the two characters `\n` stand for a newline (and a newline is
//!   written back as `\n`). All values are strings.
//! * Output is `#comment` / `KEY=value` lines, each ending in a newline.
//!
//! Metadata: sops writes its metadata as `sops_`-prefixed flat keys, sorted,
//! at the end of the file (see [`super::flatten`]). [`parse`] gathers every
//! `sops_*` line into one nested `sops` entry at the end of the document, and
//! [`emit`] flattens a `sops` map entry back into `sops_*` lines, so callers
//! only ever see the nested form. Leaves of the unflattened metadata are all
//! strings (`shamir_threshold` is `"2"`).
//!
//! Differences from sops: invalid UTF-8 is an error (sops passes bytes
//! through); error messages give the line number but never quote the line.
//! [`emit`] refuses a key that would not read back as that one key
//! ([`names::check_dotenv_key`]: `=`, a leading `#`, control characters or
//! line separators) and a key written twice (readers keep the last line),
//! where sops writes them as they come.

use crate::stores::{flatten, names};
use crate::stores::{Result, StoreError};
use crate::tree::{Branch, Comment, Item, Key, Value};

/// The prefix of the flattened metadata keys.
pub const SOPS_PREFIX: &str = "sops_";

/// Parse a dotenv file into one [`Branch`] (see the module docs).
pub fn parse(input: &[u8]) -> Result<Vec<Branch>> {
    let src = std::str::from_utf8(input).map_err(|e| {
        let upto = &input[..e.valid_up_to()];
        let line = upto.iter().filter(|&&c| c == b'\n').count() + 1;
        StoreError::read(format!(
            "invalid dotenv input: line {line} is not valid UTF-8"
        ))
    })?;
    let mut branch: Branch = Vec::new();
    let mut meta: Branch = Vec::new();
    for (n, line) in src.split('\n').enumerate() {
        if line.is_empty() {
            continue;
        }
        if let Some(text) = line.strip_prefix('#') {
            branch.push(Item::comment(Comment::new(text)));
            continue;
        }
        let Some((key, value)) = line.split_once('=') else {
            return Err(StoreError::read(format!(
                "invalid dotenv input line {}: expected KEY=VALUE or a # comment",
                n + 1
            )));
        };
        let value = if value.contains("\\n") {
            value.replace("\\n", "\n")
        } else {
            value.to_string()
        };
        match key.strip_prefix(SOPS_PREFIX) {
            Some(meta_key) => meta.push(Item::new(meta_key, Value::Str(value))),
            None => branch.push(Item::new(key, Value::Str(value))),
        }
    }
    if !meta.is_empty() {
        let nested = flatten::unflatten_metadata(&meta)?;
        branch.push(Item::new("sops", Value::Map(nested)));
    }
    Ok(vec![branch])
}

/// Emit the first document as sops writes a dotenv file. `indent` is ignored.
/// A `sops` entry holding a map is written as flattened `sops_*` lines.
pub fn emit(docs: &[Branch], _indent: Option<usize>) -> Result<Vec<u8>> {
    let doc = docs
        .first()
        .ok_or_else(|| StoreError::write("error writing dotenv: there is no document to write"))?;
    let mut out = Vec::with_capacity(doc.len() * 32);
    let mut seen = std::collections::HashSet::with_capacity(doc.len());
    for item in doc {
        if let Key::Str(k) = &item.key {
            let is_meta = k == "sops" && matches!(item.value, Value::Map(_));
            if !is_meta {
                check_key(k, &item.value)?;
                if !seen.insert(k.as_str()) {
                    return Err(StoreError::write(format!(
                            "cannot write the key {k:?} twice to a dotenv file: readers keep only the last line, which would hide the first value. Remove one of them{}",
                            REPAIR
                        ),
                    ));
                }
            }
        }
        match (&item.key, &item.value) {
            (Key::Comment(c), _) => {
                out.push(b'#');
                out.extend_from_slice(c.value.as_bytes());
                out.push(b'\n');
            }
            (Key::Str(k), Value::Map(meta)) if k == "sops" => {
                for flat in flatten::flatten_metadata(meta) {
                    if let (Some(fk), Value::Str(v)) = (flat.key_str(), &flat.value) {
                        line(&mut out, &format!("{SOPS_PREFIX}{fk}"), v);
                    }
                }
            }
            (Key::Str(k), Value::Map(_) | Value::List(_)) => {
                return Err(StoreError::write(format!(
                    "cannot use complex value in dotenv file; offending key {k}"
                )))
            }
            (Key::Str(k), Value::Str(s)) => line(&mut out, k, &s.replace('\n', "\\n")),
            (Key::Str(k), other) => line(&mut out, k, &flatten::value_to_string(other)),
        }
    }
    Ok(out)
}

/// How to get past a key the dotenv format cannot hold.
const REPAIR: &str = " (an entry whose value is empty is not part of the MAC: it can be deleted from the encrypted file by hand and the file still verifies), or write another format (--output-type yaml or json)";

/// Refuse a key that would not read back as itself, one line
/// ([`names::check_dotenv_key`]).
fn check_key(k: &str, v: &Value) -> Result<()> {
    names::check_dotenv_key(k).map_err(|why| {
        let empty = matches!(v, Value::Null) || matches!(v, Value::Str(s) if s.is_empty());
        StoreError::write(format!(
            "cannot write the key {k:?} to a dotenv file: {why}. Rename or remove the key{}{}",
            if empty {
                " (its value is empty: if you did not add it, someone else did)"
            } else {
                ""
            },
            REPAIR
        ))
    })
}

/// Why `name` cannot be an environment variable name, if it cannot (see
/// [`names::check_env_name`]; `exec-env` calls it for every key).
pub use super::names::check_env_name;

fn line(out: &mut Vec<u8>, key: &str, value: &str) {
    out.extend_from_slice(key.as_bytes());
    out.push(b'=');
    out.extend_from_slice(value.as_bytes());
    out.push(b'\n');
}

/// What sops' dotenv store prints for a single value (`--extract`): a string
/// as is; anything else is an error, as in sops.
pub fn emit_value(v: &Value) -> Result<Vec<u8>> {
    match v {
        Value::Str(s) => Ok(s.as_bytes().to_vec()),
        other => Err(StoreError::write(format!(
            "the dotenv store only supports emitting strings, got {}",
            go_type_name(other)
        ))),
    }
}

/// The Go type sops would name for a value in its error message.
fn go_type_name(v: &Value) -> &'static str {
    match v {
        Value::Str(_) => "string",
        Value::Int(_) => "int",
        Value::Float(_) => "float64",
        Value::Bool(_) => "bool",
        Value::Null => "<nil>",
        Value::Map(_) => "sops.TreeBranch",
        Value::List(_) => "[]interface {}",
        Value::Time(_) => "time.Time",
        Value::Bytes(_) => "[]uint8",
        Value::Comment(_) => "sops.Comment",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stores::flatten::test_support as ts;

    fn rt(input: &str) -> String {
        String::from_utf8(emit(&parse(input.as_bytes()).unwrap(), None).unwrap()).unwrap()
    }

    #[test]
    fn corpus_round_trips_match_sops() {
        let n = ts::run_round_trips("dotenv-corpus", "env", parse, emit);
        assert!(n >= 10, "only {n} corpus files");
    }

    #[test]
    fn corpus_invalid_inputs_rejected() {
        assert!(ts::run_invalid("dotenv-corpus", "env", parse) >= 3);
        // sops passes invalid UTF-8 through; we refuse it.
        assert!(parse(b"A=\xff\n").is_err());
    }

    #[test]
    fn sops_encrypted_files_round_trip_exactly() {
        let all = ts::files(&ts::corpus_dir("dotenv-corpus").join("encrypted"), "env");
        assert!(all.len() >= 2);
        for (name, enc) in &all {
            let docs = parse(enc).unwrap();
            // The metadata is gathered into one nested `sops` map …
            let sops: Vec<_> = docs[0]
                .iter()
                .filter(|i| i.key_str() == Some("sops"))
                .collect();
            assert_eq!(sops.len(), 1, "{name}");
            let Value::Map(meta) = &sops[0].value else {
                panic!("{name}")
            };
            assert!(meta.iter().any(|i| i.key_str() == Some("mac")));
            assert!(!docs[0]
                .iter()
                .any(|i| i.key_str().is_some_and(|k| k.starts_with("sops_"))));
            // … and written back flattened, exactly as sops wrote it.
            assert_eq!(
                ts::show(&emit(&docs, None).unwrap()),
                ts::show(enc),
                "{name}"
            );
        }
    }

    #[test]
    fn metadata_shape() {
        let docs = parse(
            b"A=1\nsops_age__list_0__map_enc=x\\ny\nsops_mac_only_encrypted=true\nsops_shamir_threshold=2\n",
        )
        .unwrap();
        assert_eq!(docs[0].len(), 2);
        let Value::Map(m) = &docs[0][1].value else {
            panic!()
        };
        let Value::List(age) = &m[0].value else {
            panic!()
        };
        let Value::Map(k) = &age[0] else { panic!() };
        assert_eq!(k[0].value, Value::Str("x\ny".into()));
        assert_eq!(m[1].value, Value::Str("true".into()));
        assert_eq!(m[2].value, Value::Str("2".into()));
        // Conflicting flat keys are an error, not a panic (sops panics).
        assert!(parse(b"sops_a=1\nsops_a__map_b=2\n").is_err());
    }

    #[test]
    fn format_details() {
        assert_eq!(rt("K=a\\nb\n"), "K=a\\nb\n");
        assert_eq!(
            parse(b"K=a\\nb").unwrap()[0][0].value,
            Value::Str("a\nb".into())
        );
        assert_eq!(rt("#c\n\nK=v"), "#c\nK=v\n");
        assert_eq!(rt(""), "");
        let e = parse(b"A=1\nsecret-without-equals\n").unwrap_err();
        assert!(matches!(e, crate::stores::StoreError::Read(_)), "{}", e);
        assert!(
            e.to_string().contains("line 2") && !e.to_string().contains("secret"),
            "{}",
            e.to_string()
        );
    }

    #[test]
    fn non_string_values_as_sops() {
        let doc = vec![
            Item::new("f", Value::Float(1.0)),
            Item::new("g", Value::Float(1e21)),
            Item::new("i", Value::Int(3)),
            Item::new("b", Value::Bool(true)),
            Item::new("n", Value::Null),
            Item::new("t", Value::Time("2020-01-02T03:04:05.5Z".into())),
        ];
        assert_eq!(
            String::from_utf8(emit(&[doc], None).unwrap()).unwrap(),
            "f=1.0\ng=1E+21\ni=3\nb=true\nn=<nil>\nt=2020-01-02T03:04:05Z\n"
        );
        let e = emit(&[vec![Item::new("sec", Value::Map(vec![]))]], None).unwrap_err();
        assert!(matches!(e, crate::stores::StoreError::Write(_)), "{}", e);
        assert!(e.to_string().contains("offending key sec"));
        assert!(emit(&[vec![Item::new("l", Value::List(vec![]))]], None).is_err());
    }

    #[test]
    fn extract_values_match_sops() {
        assert_eq!(
            emit_value(&Value::Str("raw\nvalue".into())).unwrap(),
            b"raw\nvalue"
        );
        let e = emit_value(&Value::Float(1.0)).unwrap_err();
        assert!(matches!(e, crate::stores::StoreError::Write(_)), "{}", e);
        assert!(e.to_string().ends_with("got float64"));
        assert!(emit_value(&Value::Null)
            .unwrap_err()
            .to_string()
            .ends_with("got <nil>"));
    }

    #[test]
    fn never_panics_on_mutated_corpus() {
        let dir = ts::corpus_dir("dotenv-corpus");
        let mut inputs = ts::files(&dir, "env");
        inputs.extend(ts::files(&dir.join("encrypted"), "env"));
        inputs.push((
            "meta".into(),
            b"sops_a__list_0__map_b=1\nsops_a__list_1=2\n".to_vec(),
        ));
        for (_, input) in inputs.iter().filter(|(n, _)| !n.contains(".expected.")) {
            ts::no_panic_on_mutations(&input[..input.len().min(700)], parse, emit);
        }
    }

    /// `cargo test --release --lib stores::dotenv::tests::speed -- --ignored --nocapture`
    #[test]
    #[ignore]
    fn speed() {
        let mut s = String::new();
        let mut i = 0;
        while s.len() < 1_000_000 {
            s.push_str(&format!(
                "# comment {i}\nKEY_{i}=value number {i} with a\\nnewline\n"
            ));
            i += 1;
        }
        let mut best = std::time::Duration::MAX;
        for _ in 0..20 {
            let t = std::time::Instant::now();
            let out = emit(&parse(s.as_bytes()).unwrap(), None).unwrap();
            best = best.min(t.elapsed());
            assert_eq!(out.len(), s.len());
        }
        eprintln!("dotenv {} bytes: parse+emit {best:?} (best of 20)", s.len());
    }
}
