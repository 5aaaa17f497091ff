//! `rsops edit`: decrypt to a private temporary file, run the editor,
//! re-encrypt. Unchanged values keep their ciphertext (see [`crate::cipher`]).
//!
//! The plaintext lives in a fresh directory of mode 0700 holding one file
//! of mode 0600 named like the original (so editors pick the right syntax).
//! The whole directory (with any swap or backup file the editor left in it)
//! is removed on every exit path: normal return, error, editor failure, and
//! SIGINT/SIGTERM/SIGHUP/SIGQUIT to rsops ([`crate::platform::edit_guard`]).

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use crate::cipher::{Cipher, DataKey};
use crate::error::{code, Error, Result};
use crate::format::Format;
use crate::tree::{Branch, Comment, Item, Value};

use super::args::Global;
use super::common::{self, SopsFile};

pub fn run(g: &Global, file: &str) -> Result<()> {
    let path = PathBuf::from(file);
    let name = g
        .filename_override
        .clone()
        .unwrap_or_else(|| file.to_string());
    let (mut in_fmt, mut out_fmt) = common::formats(g, &name);
    let cfg = crate::config::Config::discover(g.config.as_deref())?;
    let exists = path.exists();
    let existing = if exists {
        Some(crate::io::read_input(Some(&path))?)
    } else {
        None
    };
    if let Some(b) = &existing {
        (in_fmt, out_fmt) = common::sniff_formats(g, in_fmt, out_fmt, b);
    }
    let indent = common::indent(g, cfg.as_ref(), out_fmt)?;
    let mut ctx = common::key_ctx(g);
    let (mut f, mut cipher) = if let Some(bytes) = existing {
        let mut f = common::load_encrypted(&bytes, in_fmt, file)?;
        let cipher = common::decrypt_file(&mut f, g, &mut ctx, file, true)?;
        (f, cipher)
    } else {
        let md = super::encrypt::new_metadata(g, &name, cfg.as_ref())?;
        let docs = example(in_fmt);
        let key = DataKey::generate();
        let mut f = SopsFile { docs, md };
        crate::datakey::wrap_data_key(&mut f.md, &key, &mut ctx)
            .map_err(|e| Error::from_source(code::COULD_NOT_RETRIEVE_KEY, e))?;
        (f, Cipher::new(key)?)
    };
    let before = f.docs.clone();
    let plain = Zeroizing::new(if g.show_master_keys {
        common::emit_encrypted(&mut f, out_fmt, indent)?
    } else {
        out_fmt.emit_plain(&f.docs, indent).map_err(|e| {
            Error::with_source(code::ERROR_DUMPING_TREE, "Could not marshal tree", e)
        })?
    });
    let base = path
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_else(|| "file".into());
    let tmp = PrivateTemp::create(&base, &plain)?;
    let orig_hash = Sha256::digest(&plain[..]);
    drop(plain);
    loop {
        run_editor(tmp.file())?;
        let edited = Zeroizing::new(std::fs::read(tmp.file()).map_err(|e| {
            Error::with_source(
                code::COULD_NOT_READ_INPUT_FILE,
                "Could not read edited file",
                e,
            )
        })?);
        if Sha256::digest(&edited[..]).as_slice() == orig_hash.as_slice() {
            return Err(Error::new(
                code::FILE_HAS_NOT_BEEN_MODIFIED,
                "File has not changed, exiting.",
            ));
        }
        let parsed = if g.show_master_keys {
            common::load_encrypted(&edited, in_fmt, file)
                .map(|mut sf| (std::mem::take(&mut sf.docs), Some(sf.md.clone())))
        } else {
            in_fmt.parse_plain(&edited).map(|d| (d, None)).map_err(|e| {
                crate::stores::read_error(
                    e,
                    false,
                    "the edited file",
                    code::COULD_NOT_READ_INPUT_FILE,
                    || "the edited file".to_string(),
                )
            })
        };
        match parsed {
            Ok((docs, md)) => {
                if let Some(md) = md {
                    f.md.key_groups = md.key_groups;
                    f.md.rule = md.rule;
                    f.md.mac_only_encrypted = md.mac_only_encrypted;
                    f.md.shamir_threshold = md.shamir_threshold;
                }
                if f.md.all_keys().next().is_none() {
                    wait_for_retry(
                        "No master keys were provided, so the file can't be encrypted.",
                    )?;
                    continue;
                }
                if docs.is_empty()
                    || docs.iter().any(crate::metadata::has_metadata) && !g.show_master_keys
                {
                    wait_for_retry("The edited file must hold at least one document and no top-level 'sops' entry.")?;
                    continue;
                }
                if let Err(e) = common::check_plain_keys(&docs, "the edited file") {
                    wait_for_retry(&e.message())?;
                    continue;
                }
                f.docs = docs;
                break;
            }
            Err(e) => {
                wait_for_retry(&format!(
                    "Could not load the edited file, probably due to invalid syntax: {}",
                    e.message()
                ))?;
                continue;
            }
        }
    }
    drop(tmp);
    if exists && f.docs == before && !g.show_master_keys {
        eprintln!("rsops: no value changed; {file} was left as it was");
        return Ok(());
    }
    // As sops: the version is raised to ours when ours is newer, never
    // lowered; a version that cannot be compared stops the edit (202).
    if crate::metadata::version_is_older(&f.md.version, crate::metadata::SOPS_VERSION).map_err(
        |e| {
            Error::with_source(
                code::FAILED_TO_COMPARE_VERSIONS,
                format!(
                    "Failed to compare document version {:?} with program version {:?}",
                    f.md.version,
                    crate::metadata::SOPS_VERSION
                ),
                e,
            )
        },
    )? {
        f.md.version = crate::metadata::SOPS_VERSION.to_string();
    }
    if !exists || g.show_master_keys {
        // Recipients may have changed in the editor: wrap the key for them.
        crate::datakey::wrap_data_key(&mut f.md, cipher.key(), &mut ctx)
            .map_err(Error::generic_from)?;
    }
    crate::crypt::encrypt_and_seal(&mut f.docs, &mut f.md, &mut cipher)?;
    let out = common::emit_encrypted(&mut f, out_fmt, indent)?;
    crate::io::write_atomic(&path, &out)
}

/// sops' example document for a new file of each format.
fn example(fmt: Format) -> Vec<Branch> {
    let s = |x: &str| Value::Str(x.to_string());
    let welcome = "Welcome to SOPS! Edit this file as you please!";
    match fmt {
        Format::Yaml | Format::Json | Format::Toml => vec![vec![
            Item::new("hello", s(welcome)),
            Item::new("example_key", s("example_value")),
            Item::comment(Comment::new(" Example comment")),
            Item::new(
                "example_array",
                Value::List(vec![s("example_value1"), s("example_value2")]),
            ),
            Item::new("example_number", Value::Float(1234.56789)),
            Item::new(
                "example_booleans",
                Value::List(vec![Value::Bool(true), Value::Bool(false)]),
            ),
        ]],
        Format::Dotenv => vec![vec![
            Item::comment(Comment::new(" This is an example file.")),
            Item::new("hello", s(welcome)),
            Item::new("example_key", s("example_value")),
            Item::new("example_multiline", s("foo\nbar\nbaz")),
        ]],
        Format::Ini => vec![vec![Item::new(
            "Welcome!",
            Value::Map(vec![
                Item::comment(Comment::new(" This is an example file.")),
                Item::new("hello", s(welcome)),
                Item::new("example_key", s("example_value")),
            ]),
        )]],
        Format::Binary => vec![vec![Item::new("data", s(welcome))]],
    }
}

/// Tell the user what is wrong and wait for a key before reopening the
/// editor; without a terminal to answer (stdin at end), give up instead of
/// looping forever. The original file is untouched either way.
fn wait_for_retry(msg: &str) -> Result<()> {
    eprintln!("{msg}\nPress Enter to return to the editor, or Ctrl+C to exit.");
    let mut b = [0u8; 1];
    match std::io::stdin().read(&mut b) {
        Ok(1) => Ok(()),
        _ => Err(Error::new(
            code::COULD_NOT_READ_INPUT_FILE,
            format!("{msg}\nNo terminal input to continue editing; the file was left unchanged."),
        )),
    }
}

fn run_editor(path: &Path) -> Result<()> {
    let (var, editor) = match std::env::var("SOPS_EDITOR") {
        Ok(e) if !e.is_empty() => ("SOPS_EDITOR", e),
        _ => ("EDITOR", std::env::var("EDITOR").unwrap_or_default()),
    };
    let mut cmd = if editor.is_empty() {
        let found = ["vim", "nano", "vi"].iter().find_map(|e| which(e)).ok_or_else(|| {
            Error::new(
                code::NO_EDITOR_FOUND,
                "no editor available: set SOPS_EDITOR or EDITOR (for example EDITOR=nano); vim, nano and vi were not found",
            )
        })?;
        std::process::Command::new(found)
    } else {
        let words = crate::keys::age::shell_words(&editor)
            .filter(|w| !w.is_empty())
            .ok_or_else(|| {
                Error::new(
                    code::NO_EDITOR_FOUND,
                    format!("invalid ${var}: cannot split it into words"),
                )
            })?;
        let mut c = std::process::Command::new(&words[0]);
        c.args(&words[1..]);
        c
    };
    cmd.arg(path);
    let mut child = cmd
        .spawn()
        .map_err(|e| Error::with_source(code::NO_EDITOR_FOUND, "Could not run editor", e))?;
    crate::platform::edit_guard::editor(Some(child.id()));
    let status = child.wait();
    crate::platform::edit_guard::editor(None);
    if let Some(sig) = crate::platform::edit_guard::stopped_by() {
        return Err(Error::new(
            128 + sig,
            format!("rsops was told to stop (signal {sig}) while the editor ran: the editor was stopped too, its files removed, and the file was left unchanged"),
        ));
    }
    let status =
        status.map_err(|e| Error::with_source(code::NO_EDITOR_FOUND, "Could not run editor", e))?;
    if !status.success() {
        return Err(Error::new(
            code::NO_EDITOR_FOUND,
            format!("Could not run editor: the editor exited with {status}; the file was left unchanged"),
        ));
    }
    Ok(())
}

fn which(name: &str) -> Option<PathBuf> {
    std::env::var_os("PATH").and_then(|p| {
        std::env::split_paths(&p)
            .map(|d| d.join(name))
            .find(|c| c.is_file())
    })
}

/// The temporary directory and file holding the plaintext.
struct PrivateTemp {
    dir: PathBuf,
    file: PathBuf,
}

impl PrivateTemp {
    fn create(name: &std::ffi::OsStr, content: &[u8]) -> Result<PrivateTemp> {
        let fail = |e: std::io::Error| {
            Error::with_source(
                code::COULD_NOT_WRITE_OUTPUT_FILE,
                "Could not create temporary file",
                e,
            )
        };
        let dir = tempfile::Builder::new()
            .prefix("rsops-edit-")
            .tempdir()
            .map_err(fail)?
            .keep();
        let file = dir.join(name);
        let t = PrivateTemp { dir, file };
        crate::platform::edit_guard::arm(&t.dir).map_err(fail)?;
        crate::platform::make_owner_only(&t.dir).map_err(fail)?;
        let mut f = crate::platform::create_private_file(&t.file).map_err(fail)?;
        f.write_all(content).map_err(fail)?;
        f.sync_all().map_err(fail)?;
        Ok(t)
    }
    fn file(&self) -> &Path {
        &self.file
    }
}

impl Drop for PrivateTemp {
    fn drop(&mut self) {
        // Editors may leave swap or backup files: remove the whole directory.
        let _ = std::fs::remove_dir_all(&self.dir);
        crate::platform::edit_guard::disarm();
    }
}
