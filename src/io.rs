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
                Error::new(
                    code::COULD_NOT_READ_INPUT_FILE,
                    format!("Error reading from stdin: {e}"),
                )
            })?;
            Ok(buf)
        }
    }
}

#[cfg(unix)]
fn default_mode() -> u32 {
    // The mode a plain create would give: 0666 minus the umask.
    // SAFETY: umask is process-global; we set and immediately restore it.
    let mask = unsafe {
        let m = libc::umask(0o022);
        libc::umask(m);
        m
    };
    0o666 & !(mask as u32)
}

/// Replace `path` with `data` atomically: write a temporary file beside it,
/// fsync it, give it the old file's mode, and rename it over the target, so
/// the file is always either the complete old or the complete new version.
pub fn write_atomic(path: &Path, data: &[u8]) -> Result<()> {
    let fail = |what: &str, e: std::io::Error| {
        Error::new(
            code::COULD_NOT_WRITE_OUTPUT_FILE,
            format!(
                "could not write {}: {what}: {e}; the original file is unchanged",
                path.display()
            ),
        )
    };
    // Follow a symlink so the link itself stays in place.
    let target: PathBuf = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    let dir = match target.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let mut tmp = tempfile::Builder::new()
        .prefix(".rsops-")
        .suffix(".tmp")
        .tempfile_in(&dir)
        .map_err(|e| fail("cannot create a temporary file in its directory", e))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = match std::fs::metadata(&target) {
            Ok(m) => m.permissions().mode() & 0o7777,
            Err(_) => default_mode(),
        };
        tmp.as_file()
            .set_permissions(std::fs::Permissions::from_mode(mode))
            .map_err(|e| fail("cannot set the file mode", e))?;
    }
    tmp.write_all(data).map_err(|e| fail("write failed", e))?;
    tmp.as_file()
        .sync_all()
        .map_err(|e| fail("fsync failed", e))?;
    tmp.persist(&target)
        .map_err(|e| fail("rename failed", e.error))?;
    #[cfg(unix)]
    if let Ok(d) = std::fs::File::open(&dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

/// Write to stdout, treating a closed pipe as the end of output.
pub fn write_stdout(data: &[u8]) -> Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(data).and_then(|_| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(Error::new(
            code::COULD_NOT_WRITE_OUTPUT_FILE,
            format!("could not write to stdout: {e}"),
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
}
