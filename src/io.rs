//! File input and output: reading inputs, atomic replacement of files that
//! keeps their mode, and private temporary files for the edit flow.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use crate::error::{code, Error, Result};

/// Read a file, or stdin for `None`.
pub fn read_input(path: Option<&Path>) -> Result<Vec<u8>> {
    match path {
        Some(p) => std::fs::read(p).map_err(|e| {
            Error::new(
                code::COULD_NOT_READ_INPUT_FILE,
                format!("Error reading file {}: {e}", p.display()),
            )
        }),
        None => {
            let mut buf = Vec::new();
            std::io::stdin().lock().read_to_end(&mut buf).map_err(|e| {
                Error::with_source(
                    code::COULD_NOT_READ_INPUT_FILE,
                    "Error reading from stdin",
                    e,
                )
            })?;
            Ok(buf)
        }
    }
}

/// Replace `path` with `data` atomically: write a temporary file beside it,
/// fsync it, give it the old file's owner, group and mode, and rename it
/// over the target, so the file is always either the complete old or the
/// complete new version. A symlink is followed (the link stays in place).
///
/// Refused, leaving the file as it was:
/// * a file this user may not write (sops says "permission denied" too;
///   replacing it through the directory would get around that);
/// * a file with several hard links: the other names would keep the old
///   content, which after `encrypt -i` is the plaintext;
/// * a file whose owner and group cannot be kept (another user's file,
///   writable through its group, say): the owner would be locked out.
///
/// Something that is not a regular file (`/dev/stdout`, a FIFO) is written
/// through, as sops does.
pub fn write_atomic(path: &Path, data: &[u8]) -> Result<()> {
    let fail_with = |what: &str, e: std::io::Error, hint: &str| {
        // The OS error is in the message (sops' wording puts it before the
        // reassurance) and kept as the cause for programs.
        Error::with_source(
            code::COULD_NOT_WRITE_OUTPUT_FILE,
            format!(
                "could not write {}: {what}: {e}; the original file is unchanged{hint}",
                path.display()
            ),
            e,
        )
    };
    let fail = |what: &str, e: std::io::Error| fail_with(what, e, "");
    let target: PathBuf = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    let existing = match std::fs::metadata(&target) {
        Ok(m) => Some(m),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(fail("cannot read its metadata", e)),
    };
    if let Some(m) = &existing {
        if !m.is_file() {
            return write_through(&target, data).map_err(|e| fail("write failed", e));
        }
        crate::platform::check_writable(&target)
            .map_err(|e| fail("cannot open it for writing", e))?;
        let id = crate::platform::file_identity(m);
        if id.links > 1 {
            return Err(Error::new(
                code::COULD_NOT_WRITE_OUTPUT_FILE,
                format!(
                    "refusing to replace {}: it has {} hard links, and the other names would keep its previous content (the plaintext, after encrypting in place). \
                     Remove the other links (find / -xdev -samefile {}) or write the result elsewhere with --output; the file is unchanged",
                    path.display(),
                    id.links,
                    path.display()
                ),
            ));
        }
    }
    let dir = match target.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let mut tmp = tempfile::Builder::new()
        .prefix(".rsops-")
        .suffix(".tmp")
        .tempfile_in(&dir)
        .map_err(|e| fail("cannot create a temporary file in its directory", e))?;
    let (owner, mode) = match &existing {
        Some(m) => {
            let id = crate::platform::file_identity(m);
            (id.owner, id.mode)
        }
        None => (None, crate::platform::default_file_mode()),
    };
    crate::platform::set_owner_and_mode(tmp.as_file(), owner, mode).map_err(|(what, e)| {
        let hint = if owner.is_some() {
            " (rsops keeps a file's owner and group when it replaces it; run it as the file's owner, or as root)"
        } else {
            ""
        };
        fail_with(what, e, hint)
    })?;
    tmp.write_all(data).map_err(|e| fail("write failed", e))?;
    tmp.as_file()
        .sync_all()
        .map_err(|e| fail("fsync failed", e))?;
    tmp.persist(&target)
        .map_err(|e| fail("rename failed", e.error))?;
    if let Ok(d) = std::fs::File::open(&dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

/// Write into an existing non-regular file (a device, a FIFO).
fn write_through(path: &Path, data: &[u8]) -> std::io::Result<()> {
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .truncate(true)
        .open(path)?;
    f.write_all(data)?;
    f.flush()
}

/// Write to stdout, treating a closed pipe as the end of output.
pub fn write_stdout(data: &[u8]) -> Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(data).and_then(|_| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(Error::with_source(
            code::COULD_NOT_WRITE_OUTPUT_FILE,
            "could not write to stdout",
            e,
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atomic_write_keeps_mode() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("f");
        std::fs::write(&p, "old").unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o640)).unwrap();
        }
        write_atomic(&p, b"new").unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"new");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(
                std::fs::metadata(&p).unwrap().permissions().mode() & 0o777,
                0o640
            );
        }
        assert_eq!(
            std::fs::read_dir(d.path()).unwrap().count(),
            1,
            "no temp file left"
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_file_with_other_names_is_not_replaced() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("f");
        std::fs::write(&p, "plain").unwrap();
        std::fs::hard_link(&p, d.path().join("g")).unwrap();
        let e = write_atomic(&p, b"sealed").unwrap_err();
        assert_eq!(e.code(), code::COULD_NOT_WRITE_OUTPUT_FILE);
        assert!(e.message().contains("2 hard links"), "{}", e.message());
        assert_eq!(std::fs::read(&p).unwrap(), b"plain");
        assert_eq!(std::fs::read_dir(d.path()).unwrap().count(), 2);
    }

    #[cfg(unix)]
    #[test]
    fn a_symlink_stays_a_symlink() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("real");
        std::fs::write(&p, "old").unwrap();
        let l = d.path().join("link");
        std::os::unix::fs::symlink(&p, &l).unwrap();
        write_atomic(&l, b"new").unwrap();
        assert!(std::fs::symlink_metadata(&l)
            .unwrap()
            .file_type()
            .is_symlink());
        assert_eq!(std::fs::read(&p).unwrap(), b"new");
    }
}
