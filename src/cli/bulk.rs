//! Many files in one run: `encrypt`/`decrypt`/`rotate` with several paths
//! or `--recursive` directories, in place. Files are processed by a small
//! pool of threads (remote key services are called in parallel); each
//! thread loads identities once and reuses them for all its files. One bad
//! file does not stop the others: every file gets a result line, then a
//! summary, and the exit code is the first failure's.

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use crate::error::{code, Error, Result};

use super::args::Global;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Op {
    Encrypt,
    Decrypt,
    Rotate,
}

impl Op {
    fn verb(self) -> &'static str {
        match self {
            Op::Encrypt => "encrypted",
            Op::Decrypt => "decrypted",
            Op::Rotate => "rotated",
        }
    }
}

/// Does the file look like a sops-encrypted file? (cheap: no parsing)
pub fn looks_encrypted(bytes: &[u8]) -> bool {
    let has = |needle: &[u8]| bytes.windows(needle.len()).any(|w| w == needle);
    has(b"sops") && has(b"mac") && has(b"ENC[AES256_GCM")
}

/// Expand directories (with `recursive`) into the files an operation
/// applies to: encrypted files for decrypt/rotate, plaintext files matching
/// a `.sops.yaml` creation rule for encrypt. Directories stand for the files
/// of `crate::walk`.
pub fn expand(
    paths: &[String],
    recursive: bool,
    op: Option<Op>,
    cfg: Option<&crate::config::Config>,
) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for p in paths {
        let path = PathBuf::from(p);
        if path.is_dir() {
            if !recursive {
                return Err(Error::generic(format!(
                    "{p} is a directory: add --recursive to process the files in it"
                )));
            }
            out.extend(crate::walk::files(&path)?);
        } else {
            // Named files are always processed (and fail loudly if wrong).
            out.push(path);
            continue;
        }
    }
    // Files found by walking are filtered to those the operation applies to.
    let named: Vec<PathBuf> = paths
        .iter()
        .map(PathBuf::from)
        .filter(|p| !p.is_dir())
        .collect();
    let mut files = Vec::new();
    for f in out {
        if named.contains(&f) {
            files.push(f);
            continue;
        }
        let Ok(bytes) = std::fs::read(&f) else {
            continue;
        };
        let enc = looks_encrypted(&bytes);
        let keep = match op {
            Some(Op::Decrypt) | Some(Op::Rotate) | None => enc,
            Some(Op::Encrypt) => {
                !enc && cfg.is_some_and(|c| matches!(c.creation_rule_for(&f), Ok(Some(_))))
            }
        };
        if keep {
            files.push(f);
        }
    }
    files.sort();
    files.dedup();
    Ok(files)
}

/// Run `op` on many files in place.
pub fn run(g: &Global, paths: &[String], recursive: bool, op: Op) -> Result<i32> {
    if !g.in_place {
        return Err(Error::new(
            code::ERROR_CONFLICTING_PARAMETERS,
            "Error: several files (or --recursive) need --in-place (-i): each file is rewritten where it is",
        ));
    }
    if g.output.is_some() || g.extract.is_some() {
        return Err(Error::new(
            code::ERROR_CONFLICTING_PARAMETERS,
            "Error: --output and --extract take a single file",
        ));
    }
    let cfg = crate::config::Config::discover(g.config.as_deref())?;
    let files = expand(paths, recursive, Some(op), cfg.as_ref())?;
    if files.is_empty() {
        eprintln!("rsops: no files to process");
        return Ok(0);
    }
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<(usize, std::result::Result<(), Error>)>> = Mutex::new(Vec::new());
    let workers = files.len().min(8);
    std::thread::scope(|s| {
        for _ in 0..workers {
            s.spawn(|| {
                let mut ctx = super::common::key_ctx(g);
                loop {
                    let i = next.fetch_add(1, Ordering::SeqCst);
                    let Some(f) = files.get(i) else { break };
                    let name = f.display().to_string();
                    let r = match op {
                        Op::Encrypt => super::encrypt::run(g, Some(&name), &mut ctx),
                        Op::Decrypt => super::decrypt::run(g, Some(&name), &mut ctx),
                        Op::Rotate => super::rotate::run(g, Some(&name), &mut ctx),
                    };
                    if let Ok(mut v) = results.lock() {
                        v.push((i, r));
                    }
                }
            });
        }
    });
    let mut results = results.into_inner().unwrap_or_default();
    results.sort_by_key(|(i, _)| *i);
    let mut failed = 0;
    let mut first_code = None;
    for (i, r) in &results {
        match r {
            Ok(()) => eprintln!("ok      {}", files[*i].display()),
            Err(e) => {
                failed += 1;
                first_code.get_or_insert(e.code());
                let msg = e.message().replace('\n', "\n        ");
                eprintln!("FAILED  {}: {msg}", files[*i].display());
            }
        }
    }
    eprintln!(
        "{} file(s): {} {}, {} failed",
        results.len(),
        results.len() - failed,
        op.verb(),
        failed
    );
    Ok(first_code.unwrap_or(0))
}
