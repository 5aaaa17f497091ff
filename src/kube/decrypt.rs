//! Decrypting many files at once for the Kubernetes commands: the one place
//! that uses rsops' decrypt pipeline (load, recover the data key, decrypt
//! and check the MAC, emit the plaintext as `sops decrypt FILE` prints it
//! with default store settings).
//!
//! Files are read, parsed, decrypted and emitted on a few threads. The data
//! keys are recovered on the calling thread with one key context: the
//! identities (age keys, PGP keyring) are loaded once, and a data key
//! wrapped identically in several files (copies, or files written with the
//! same key by `rsops`) is unwrapped once. Plaintext only ever lives in
//! memory, in buffers that are wiped when dropped.

use std::collections::HashMap;
use std::sync::Mutex;

use zeroize::Zeroizing;

use crate::cipher::{Cipher, DataKey};
use crate::error::{code, Error, Result};
use crate::file::{load_encrypted, SopsFile};
use crate::format::Format;

/// What one file decrypted to.
pub type Plain = Zeroizing<Vec<u8>>;

/// Why a file could not be decrypted: reading it, or anything after.
#[derive(Debug)]
pub enum Failure {
    /// The file could not be read (the OS error text).
    Read(String),
    /// Parsing, key recovery, decryption or the MAC check failed.
    Decrypt(Error),
}

impl Failure {
    pub fn code(&self) -> i32 {
        match self {
            Failure::Read(_) => code::COULD_NOT_READ_INPUT_FILE,
            Failure::Decrypt(e) => e.code(),
        }
    }
}

/// Worker threads for `n` files: the machine's parallelism, at most
/// `limit`, at least one.
fn workers(n: usize, limit: usize) -> usize {
    let cpus = std::thread::available_parallelism().map_or(2, |n| n.get());
    n.min(cpus).min(limit.max(1)).max(1)
}

/// Run `f` on every index in `0..n` on up to `threads` threads; results in
/// index order (None only where a worker could not store its result).
pub(crate) fn parallel<T: Send>(
    n: usize,
    threads: usize,
    f: impl Fn(usize) -> T + Sync,
) -> Vec<Option<T>> {
    if threads <= 1 || n <= 1 {
        return (0..n).map(|i| Some(f(i))).collect();
    }
    let next = std::sync::atomic::AtomicUsize::new(0);
    let out: Mutex<Vec<Option<T>>> = Mutex::new((0..n).map(|_| None).collect());
    std::thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                if i >= n {
                    break;
                }
                let r = f(i);
                if let Ok(mut v) = out.lock() {
                    v[i] = Some(r);
                }
            });
        }
    });
    out.into_inner().unwrap_or_else(|p| p.into_inner())
}

fn lost<T>() -> std::result::Result<T, Failure> {
    Err(Failure::Decrypt(Error::generic(
        "internal error: a file was not processed",
    )))
}

/// The format sops picks for `path` (its extension; anything else is
/// binary), for an encrypted file's bytes.
fn format_for(path: &str, bytes: &[u8]) -> Format {
    Format::from_path(path).sniff(bytes)
}

/// The decryption order from `SOPS_DECRYPTION_ORDER`, as the CLI reads it.
fn decryption_order() -> Vec<String> {
    std::env::var("SOPS_DECRYPTION_ORDER")
        .map(|s| crate::datakey::parse_decryption_order(&s))
        .unwrap_or_default()
}

/// Identifies a wrapped data key: the same recipients with the same
/// ciphertexts always unwrap to the same data key.
fn wrapped_key_id(file: &SopsFile) -> String {
    let mut id = String::new();
    id.push_str(&file.md.shamir_threshold.to_string());
    for g in &file.md.key_groups {
        id.push('|');
        for k in g {
            id.push_str(k.type_id());
            id.push(':');
            id.push_str(&k.describe());
            id.push(':');
            id.push_str(k.enc());
            id.push(';');
        }
    }
    id
}

/// Decrypt `paths` (read relative to the working directory); one result
/// per path, in order. At most `limit` threads work at once.
pub fn decrypt_files(paths: &[String], limit: usize) -> Vec<std::result::Result<Plain, Failure>> {
    let threads = workers(paths.len(), limit);
    // 1. Read and parse.
    let loaded: Vec<Option<std::result::Result<(SopsFile, Format), Failure>>> =
        parallel(paths.len(), threads, |i| {
            let p = &paths[i];
            let bytes = Zeroizing::new(std::fs::read(p).map_err(|e| Failure::Read(io_text(&e)))?);
            let fmt = format_for(p, &bytes);
            let f = load_encrypted(&bytes, fmt, p).map_err(Failure::Decrypt)?;
            Ok((f, fmt))
        });
    // 2. Recover the data keys with one key context.
    let mut ctx = crate::datakey::Context::default();
    let order = decryption_order();
    let mut cache: HashMap<String, DataKey> = HashMap::new();
    let mut work: Vec<Option<(SopsFile, Format, DataKey)>> = Vec::with_capacity(paths.len());
    let mut results: Vec<Option<std::result::Result<Plain, Failure>>> =
        (0..paths.len()).map(|_| None).collect();
    for (i, r) in loaded.into_iter().enumerate() {
        match r.unwrap_or_else(lost) {
            Err(e) => {
                results[i] = Some(Err(e));
                work.push(None);
            }
            Ok((f, fmt)) => {
                let id = wrapped_key_id(&f);
                let key = match cache.get(&id) {
                    Some(k) => Ok(k.clone()),
                    None => crate::datakey::unwrap_data_key(&f.md, &order, &mut ctx)
                        .map_err(|e| e.context(&paths[i])),
                };
                match key {
                    Ok(k) => {
                        cache.insert(id, k.clone());
                        work.push(Some((f, fmt, k)));
                    }
                    Err(e) => {
                        results[i] = Some(Err(Failure::Decrypt(e)));
                        work.push(None);
                    }
                }
            }
        }
    }
    drop(cache);
    // 3. Decrypt, verify and emit.
    let work: Vec<Mutex<Option<(SopsFile, Format, DataKey)>>> =
        work.into_iter().map(Mutex::new).collect();
    let done = parallel(paths.len(), threads, |i| {
        let item = work[i].lock().ok().and_then(|mut w| w.take());
        item.map(|(mut f, fmt, key)| {
            decrypt_loaded(&mut f, fmt, key).map_err(|e| Failure::Decrypt(e.context(&paths[i])))
        })
    });
    for (slot, d) in results.iter_mut().zip(done) {
        if let Some(Some(r)) = d {
            *slot = Some(r);
        }
    }
    results
        .into_iter()
        .map(|r| r.unwrap_or_else(lost))
        .collect()
}

fn decrypt_loaded(f: &mut SopsFile, fmt: Format, key: DataKey) -> Result<Plain> {
    let mut cipher = Cipher::new(key)?.without_memory();
    crate::crypt::decrypt_and_verify(&mut f.docs, &f.md, &mut cipher, false)?;
    let out = fmt
        .emit_plain(&f.docs, None)
        .map_err(|e| Error::with_source(code::ERROR_DUMPING_TREE, "Error dumping file", e))?;
    Ok(Zeroizing::new(out))
}

/// Go's text for the common `open` errors (`no such file or directory`),
/// so messages read like KSOPS' where it matters.
fn io_text(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        std::io::ErrorKind::IsADirectory => "is a directory".into(),
        _ => {
            let s = e.to_string();
            match s.find(" (os error") {
                Some(i) => s[..i].to_lowercase(),
                None => s,
            }
        }
    }
}
