//! `rsops secret generic`: a Kubernetes Secret manifest from encrypted
//! files, printed as `kubectl create secret generic … --dry-run=client -o
//! yaml` prints it for the same plaintext, so that
//! `rsops secret generic … | kubectl apply -f -` never puts plaintext on disk.
//!
//! Sources, in the order kubectl reads them:
//! * `--from-file [KEY=]FILE`: the whole decrypted file (what `rsops decrypt
//!   FILE` prints) under KEY (default: the file's name). A directory adds
//!   each regular file in it.
//! * `--from-env-file FILE`: a decrypted dotenv file, read with kubectl's
//!   env-file rules (one `KEY=value` per line, value verbatim).
//! * `--from-keys FILE`: one key per top-level key of a decrypted YAML,
//!   JSON, dotenv or INI file: strings as they are, numbers and booleans as
//!   their text, maps and lists in the file's format (as `rsops decrypt
//!   --extract '["KEY"]' FILE` prints them).

use std::collections::BTreeMap;

use base64::Engine;
use zeroize::Zeroizing;

use super::decrypt::{decrypt_files, Failure};
use super::dotenv;
use crate::error::{code, Error, Result};
use crate::format::Format;
use crate::stores::yaml::v2::{self, V2Value};
use crate::tree::Value;

/// Where a Secret's data comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Source {
    /// `--from-file`: an optional key and a path.
    File { key: Option<String>, path: String },
    /// `--from-env-file`.
    EnvFile(String),
    /// `--from-keys`.
    Keys(String),
}

/// What the Secret looks like besides its data.
#[derive(Clone, Debug, Default)]
pub struct Meta {
    pub name: String,
    pub namespace: Option<String>,
    pub type_: Option<String>,
    pub labels: Vec<(String, String)>,
    pub annotations: Vec<(String, String)>,
}

/// kubectl's `--from-file` argument: `[KEY=]PATH`.
pub fn parse_from_file(arg: &str) -> Result<Source> {
    let parts: Vec<&str> = arg.split('=').collect();
    match parts.as_slice() {
        [p] if !p.is_empty() => Ok(Source::File {
            key: None,
            path: p.to_string(),
        }),
        [k, p] if !k.is_empty() && !p.is_empty() => Ok(Source::File {
            key: Some(k.to_string()),
            path: p.to_string(),
        }),
        [_, _] => Err(Error::new(
            code::ERROR_CONFLICTING_PARAMETERS,
            format!("--from-file={arg}: key names or file paths cannot be empty"),
        )),
        _ => Err(Error::new(
            code::ERROR_CONFLICTING_PARAMETERS,
            format!("--from-file={arg}: key names or file paths cannot contain '='"),
        )),
    }
}

/// `k=v` of `--label`/`--annotation`.
pub fn parse_pair(flag: &str, arg: &str) -> Result<(String, String)> {
    match arg.split_once('=') {
        Some((k, v)) if !k.is_empty() => Ok((k.to_string(), v.to_string())),
        _ => Err(Error::new(
            code::ERROR_CONFLICTING_PARAMETERS,
            format!("{flag} {arg:?}: expected KEY=VALUE"),
        )),
    }
}

/// One decryption job: the Secret key it fills (None: keys from the file)
/// and the path.
struct Job {
    key: Option<String>,
    path: String,
    kind: JobKind,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum JobKind {
    File,
    Env,
    Keys,
}

fn expand_sources(sources: &[Source]) -> Result<Vec<Job>> {
    let mut jobs = Vec::new();
    let mut push = |kind, key, path: String| jobs.push(Job { key, path, kind });
    // kubectl: files, then env files (and rsops' --from-keys after them).
    for s in sources {
        if let Source::File { key, path } = s {
            let p = std::path::Path::new(path);
            if p.is_dir() {
                if key.is_some() {
                    return Err(Error::new(
                        code::ERROR_CONFLICTING_PARAMETERS,
                        format!(
                            "--from-file={}={path}: a directory takes no key name",
                            key.as_deref().unwrap_or("")
                        ),
                    ));
                }
                let mut names: Vec<(String, String)> = Vec::new();
                let rd = std::fs::read_dir(p).map_err(|e| {
                    Error::with_source(
                        code::COULD_NOT_READ_INPUT_FILE,
                        format!("error listing files in {path}"),
                        e,
                    )
                })?;
                for e in rd.flatten() {
                    if e.file_type().map(|t| t.is_file()).unwrap_or(false) {
                        let name = e.file_name().to_string_lossy().into_owned();
                        names.push((name, e.path().display().to_string()));
                    }
                }
                names.sort();
                for (name, full) in names {
                    push(JobKind::File, Some(name), full);
                }
            } else {
                let k = key
                    .clone()
                    .unwrap_or_else(|| super::generator::go_base(path));
                push(JobKind::File, Some(k), path.clone());
            }
        }
    }
    for s in sources {
        if let Source::EnvFile(p) = s {
            push(JobKind::Env, None, p.clone());
        }
    }
    for s in sources {
        if let Source::Keys(p) = s {
            push(JobKind::Keys, None, p.clone());
        }
    }
    Ok(jobs)
}

/// Add a data key. `origin` is None for a key named on the command line
/// (quoted in errors), or the file whose decrypted text it comes from
/// (never quoted: it is plaintext).
fn add(
    data: &mut BTreeMap<String, Zeroizing<Vec<u8>>>,
    key: String,
    value: Vec<u8>,
    origin: Option<&str>,
) -> Result<()> {
    let named = |k: &str| match origin {
        None => format!("{k:?}"),
        Some(f) => format!("a key from {f}"),
    };
    if !dotenv::is_config_map_key(&key) {
        return Err(Error::generic(format!(
            "{} is not valid key name for a Secret a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')",
            named(&key)
        )));
    }
    if data.contains_key(&key) {
        return Err(Error::generic(match origin {
            None => format!("cannot add key {key}, another key by that name already exists"),
            Some(_) => format!(
                "cannot add {}, another key by that name already exists",
                named(&key)
            ),
        }));
    }
    data.insert(key, Zeroizing::new(value));
    Ok(())
}

/// The top-level keys of a decrypted structured file and their values as
/// `--extract` prints them.
fn top_level(path: &str, plain: &[u8]) -> Result<Vec<(String, Vec<u8>)>> {
    let fmt = Format::from_path(path);
    if fmt == Format::Binary || fmt == Format::Toml {
        return Err(Error::generic(format!(
            "--from-keys {path}: only YAML, JSON, dotenv and INI files have top-level keys; use --from-file for this file"
        )));
    }
    let mut docs = fmt.parse_plain(plain).map_err(|e| {
        Error::with_source(
            code::COULD_NOT_READ_INPUT_FILE,
            format!("--from-keys {path}"),
            e,
        )
    })?;
    let collect = |docs: &[crate::tree::Branch]| -> Result<Vec<(String, Vec<u8>)>> {
        let mut out = Vec::new();
        for item in docs.first().map(Vec::as_slice).unwrap_or_default() {
            let Some(k) = item.key_str() else { continue };
            let bytes = match &item.value {
                Value::Str(s) => s.clone().into_bytes(),
                Value::Bytes(b) => b.clone(),
                Value::Map(m) => fmt
                    .emit_plain(std::slice::from_ref(m), None)
                    .map_err(dump)?,
                Value::List(_) => fmt.emit_value(&item.value, None).map_err(dump)?,
                // Numbers, booleans, dates: their text, without the line
                // break that ends a document.
                other => {
                    let mut b = fmt.emit_value(other, None).map_err(dump)?;
                    if b.last() == Some(&b'\n') {
                        b.pop();
                    }
                    b
                }
            };
            out.push((k.to_string(), bytes));
        }
        Ok(out)
    };
    let out = collect(&docs);
    crate::tree::zeroize_docs(&mut docs);
    let out = out?;
    if out.is_empty() {
        return Err(Error::generic(format!(
            "--from-keys {path}: the decrypted file has no top-level key"
        )));
    }
    Ok(out)
}

/// Build the Secret manifest (kubectl's YAML).
pub fn build(meta: &Meta, sources: &[Source]) -> Result<Zeroizing<Vec<u8>>> {
    if sources.is_empty() {
        return Err(Error::new(
            code::ERROR_CONFLICTING_PARAMETERS,
            "rsops secret generic: give at least one --from-file, --from-env-file or --from-keys",
        ));
    }
    let jobs = expand_sources(sources)?;
    let paths: Vec<String> = jobs.iter().map(|j| j.path.clone()).collect();
    let results = decrypt_files(&paths, usize::MAX);
    let mut data: BTreeMap<String, Zeroizing<Vec<u8>>> = BTreeMap::new();
    for (job, r) in jobs.iter().zip(results) {
        let plain = r.map_err(|f| match f {
            Failure::Read(e) => Error::new(
                code::COULD_NOT_READ_INPUT_FILE,
                format!("error reading {}: {e}", job.path),
            ),
            Failure::Decrypt(e) => e,
        })?;
        match job.kind {
            JobKind::File => add(
                &mut data,
                job.key.clone().unwrap_or_default(),
                plain.to_vec(),
                None,
            )?,
            JobKind::Env => {
                let pairs = dotenv::kubectl(&plain, &job.path).map_err(Error::generic_from)?;
                for (k, v) in pairs {
                    add(&mut data, k, v.into_bytes(), Some(&job.path))?;
                }
            }
            JobKind::Keys => {
                for (k, v) in top_level(&job.path, &plain)? {
                    add(&mut data, k, v, Some(&job.path))?;
                }
            }
        }
    }
    let b64 = base64::engine::general_purpose::STANDARD;
    let mut md = vec![
        ("name".to_string(), V2Value::Str(meta.name.clone())),
        ("creationTimestamp".to_string(), V2Value::Null),
    ];
    if let Some(ns) = &meta.namespace {
        md.push(("namespace".to_string(), V2Value::Str(ns.clone())));
    }
    let pairs = |v: &[(String, String)]| {
        V2Value::Map(
            v.iter()
                .map(|(k, v)| (k.clone(), V2Value::Str(v.clone())))
                .collect(),
        )
    };
    if !meta.labels.is_empty() {
        md.push(("labels".to_string(), pairs(&meta.labels)));
    }
    if !meta.annotations.is_empty() {
        md.push(("annotations".to_string(), pairs(&meta.annotations)));
    }
    let mut top = vec![
        ("apiVersion".to_string(), V2Value::Str("v1".into())),
        ("kind".to_string(), V2Value::Str("Secret".into())),
        ("metadata".to_string(), V2Value::Map(md)),
    ];
    if !data.is_empty() {
        top.push((
            "data".to_string(),
            V2Value::Map(
                data.iter()
                    .map(|(k, v)| (k.clone(), V2Value::Str(b64.encode(v.as_slice()))))
                    .collect(),
            ),
        ));
    }
    if let Some(t) = &meta.type_ {
        top.push(("type".to_string(), V2Value::Str(t.clone())));
    }
    Ok(Zeroizing::new(
        v2::marshal(&V2Value::Map(top)).map_err(dump)?,
    ))
}

/// A value or the manifest could not be written (exit code 4, as sops
/// gives a tree it cannot dump).
fn dump(e: crate::stores::StoreError) -> Error {
    Error::with_source(code::ERROR_DUMPING_TREE, "could not write the Secret", e)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn from_file_arguments() {
        assert_eq!(
            parse_from_file("a.yaml").unwrap(),
            Source::File {
                key: None,
                path: "a.yaml".into()
            }
        );
        assert_eq!(
            parse_from_file("k=a.yaml").unwrap(),
            Source::File {
                key: Some("k".into()),
                path: "a.yaml".into()
            }
        );
        assert!(parse_from_file("a=b=c").is_err());
        assert!(parse_from_file("=c").is_err());
    }

    #[test]
    fn keys_are_checked() {
        let mut d = BTreeMap::new();
        add(&mut d, "a".into(), b"1".to_vec(), None).unwrap();
        assert!(add(&mut d, "a".into(), b"2".to_vec(), None)
            .unwrap_err()
            .message()
            .contains("already exists"));
        assert!(add(&mut d, "bad key".into(), vec![], None).is_err());
        // Keys from decrypted text are never quoted.
        let e = add(&mut d, "TOP SECRET".into(), vec![], Some("f.env")).unwrap_err();
        assert!(!e.message().contains("TOP SECRET") && e.message().contains("a key from f.env"));
        let e = add(&mut d, "a".into(), vec![], Some("f.env")).unwrap_err();
        assert!(!e.message().contains("key a,"), "{}", e.message());
    }

    #[test]
    fn nothing_to_build() {
        let m = Meta {
            name: "x".into(),
            ..Meta::default()
        };
        assert!(build(&m, &[]).is_err());
    }
}
