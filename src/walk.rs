//! The one walk of a directory tree, shared by every command that takes a
//! directory: `check`, `encrypt`/`decrypt`/`rotate -i --recursive`,
//! `updatekeys --recursive` and `publish --recursive`. Each command then
//! picks, from the files found, those it applies to (creation rules,
//! encrypted or not).
//!
//! The policy (the README's "Which files a directory stands for"):
//!
//! * **Ignore files decide**: inside a git repository, `.gitignore` files,
//!   `.git/info/exclude` and git's global excludes (`core.excludesFile`)
//!   are respected as git respects them (no `.gitignore` above the
//!   repository's root); `.ignore` files are respected everywhere. An
//!   ignored file is not committed, so it is not one the repository's
//!   secrets are in; and local plaintext copies (say a gitignored
//!   `secrets/prod.dec.yaml`) are neither checked, nor encrypted in place,
//!   nor published.
//! * **`.git` is always skipped**; nothing else is skipped by name
//!   (`target/` or `node_modules/` only when an ignore file says so).
//! * **Hidden files and directories are kept**: a `.env` or
//!   `.config/app.yaml` is found.
//! * **Symbolic links are skipped**, to files and to directories alike:
//!   git commits the link, not what it points to, and an in-place rewrite
//!   must not write outside the tree (nor can a link loop trap the walk).
//!   Name the target to process it.
//! * **`.sops.yaml` is never a result** (it is the configuration).
//! * **A path named on the command line is always taken**: a file as is
//!   (even if ignored, even a link), a directory is walked even when it is
//!   ignored itself (the ignore rules then apply to what is below it).
//! * **Order**: depth-first, each directory's entries by name (as sops'
//!   `filepath.Walk` visits them).
//! * **Errors**: a directory that cannot be read is an error naming it (a
//!   walk that silently missed files would let `check` pass); a malformed
//!   ignore-file line is a warning on stderr and is skipped, as git skips it.

use std::path::{Path, PathBuf};

use crate::error::{code, Error, Result};

/// The files `root` stands for (see the module docs): `root` itself when it
/// is not a directory, else the files of the tree below it.
pub fn files(root: &Path) -> Result<Vec<PathBuf>> {
    files_with(root, |w| eprintln!("rsops: warning: {w}"))
}

/// [`files`], handing warnings to `warn` instead of printing them.
pub fn files_with(root: &Path, warn: impl FnMut(String)) -> Result<Vec<PathBuf>> {
    walk(root, true, warn)
}

/// The walk; `git_global` false leaves out the user's global git excludes
/// (for tests that must not depend on the machine's git configuration).
fn walk(root: &Path, git_global: bool, mut warn: impl FnMut(String)) -> Result<Vec<PathBuf>> {
    let unreadable = |what: &Path, e: &dyn std::fmt::Display| {
        Error::new(
            code::COULD_NOT_READ_INPUT_FILE,
            format!("cannot read {}: {e}", what.display()),
        )
    };
    let meta = std::fs::metadata(root).map_err(|e| unreadable(root, &e))?;
    if !meta.is_dir() {
        return Ok(vec![root.to_path_buf()]);
    }
    let walk = ignore::WalkBuilder::new(root)
        // .gitignore, .ignore, .git/info/exclude, core.excludesFile, and
        // the ignore files of the directories above `root`...
        .standard_filters(true)
        .git_global(git_global)
        // ...but hidden files are kept,
        .hidden(false)
        // git's files only in a git repository, as git reads them,
        .require_git(true)
        // no link is followed,
        .follow_links(false)
        // .git never entered,
        .filter_entry(|e| e.file_name() != ".git")
        .sort_by_file_name(|a, b| a.cmp(b))
        .build();
    let mut out = Vec::new();
    for entry in walk {
        match entry {
            Ok(e) => {
                // A directory whose ignore files have bad lines.
                if let Some(err) = e.error() {
                    warn(format!("{err} (the line is skipped)"));
                }
                if e.file_type().is_some_and(|t| t.is_file())
                    && e.file_name() != crate::config::CONFIG_FILE_NAME
                {
                    out.push(e.into_path());
                }
            }
            Err(err) => match err.io_error() {
                // Removed while we walked: nothing to process.
                Some(io) if io.kind() == std::io::ErrorKind::NotFound => {}
                Some(_) => {
                    let path = error_path(&err).unwrap_or(root);
                    return Err(unreadable(path, &err));
                }
                None => warn(format!("{err} (the line is skipped)")),
            },
        }
    }
    Ok(out)
}

/// The path an error of the walk is about, if it names one.
fn error_path(err: &ignore::Error) -> Option<&Path> {
    match err {
        ignore::Error::WithPath { path, .. } => Some(path),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            error_path(err)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The walk without the machine's global git excludes.
    fn files(root: &Path) -> Result<Vec<PathBuf>> {
        walk(root, false, |w| panic!("unexpected warning: {w}"))
    }

    fn files_with(root: &Path, warn: impl FnMut(String)) -> Result<Vec<PathBuf>> {
        walk(root, false, warn)
    }

    fn put(dir: &Path, rel: &str, text: &str) {
        let p = dir.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }

    fn rel(dir: &Path, files: &[PathBuf]) -> Vec<String> {
        files
            .iter()
            .map(|f| f.strip_prefix(dir).unwrap().display().to_string())
            .collect()
    }

    /// A repository with ignored files, hidden files, a .git directory,
    /// nested directories and links (a loop, one to a file outside the
    /// tree, one inside it). The repository is `repo` under the directory
    /// returned; `outside.yaml` is beside it.
    struct Tree {
        _d: tempfile::TempDir,
        repo: PathBuf,
    }

    impl Tree {
        fn path(&self) -> &Path {
            &self.repo
        }
    }

    fn tree() -> Tree {
        let d = tempfile::tempdir().unwrap();
        put(d.path(), "outside.yaml", "a: 1\n");
        let p = &d.path().join("repo");
        std::fs::create_dir_all(p.join(".git/info")).unwrap();
        put(p, ".git/config.yaml", "a: 1\n");
        put(p, ".git/info/exclude", "excluded.yaml\n");
        put(p, ".gitignore", "*.dec.yaml\n/build/\n");
        put(p, ".sops.yaml", "creation_rules: []\n");
        put(p, ".env", "A=1\n");
        put(p, ".config/app.yaml", "a: 1\n");
        put(p, "a.yaml", "a: 1\n");
        put(p, "excluded.yaml", "a: 1\n");
        put(p, "secrets/prod.yaml", "a: 1\n");
        put(p, "secrets/prod.dec.yaml", "a: 1\n");
        put(p, "secrets/deep/er/x.json", "{}\n");
        put(p, "secrets/deep/.ignore", "skip.json\n");
        put(p, "secrets/deep/skip.json", "{}\n");
        put(p, "build/out.yaml", "a: 1\n");
        put(p, "target/t.yaml", "a: 1\n");
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(p, p.join("secrets/loop")).unwrap();
            std::os::unix::fs::symlink(d.path().join("outside.yaml"), p.join("far.yaml")).unwrap();
            std::os::unix::fs::symlink(p.join("a.yaml"), p.join("b.yaml")).unwrap();
            std::os::unix::fs::symlink(d.path(), p.join("up")).unwrap();
        }
        let repo = p.clone();
        Tree { _d: d, repo }
    }

    #[test]
    fn the_policy_on_a_repository() {
        let d = tree();
        let mut warnings = Vec::new();
        let got = files_with(d.path(), |w| warnings.push(w)).unwrap();
        assert_eq!(
            rel(d.path(), &got),
            [
                ".config/app.yaml",
                ".env",
                ".gitignore",
                "a.yaml",
                "secrets/deep/.ignore",
                "secrets/deep/er/x.json",
                "secrets/prod.yaml",
                "target/t.yaml",
            ]
        );
        assert!(warnings.is_empty(), "{warnings:?}");
    }

    #[test]
    fn named_paths_are_taken() {
        let d = tree();
        let p = d.path();
        // An ignored file named: itself.
        let f = p.join("secrets/prod.dec.yaml");
        assert_eq!(files(&f).unwrap(), [f]);
        // An ignored directory named: walked.
        assert_eq!(
            rel(p, &files(&p.join("build")).unwrap()),
            ["build/out.yaml"]
        );
        // A subdirectory: the ignore files above it still apply.
        assert_eq!(
            rel(p, &files(&p.join("secrets")).unwrap()),
            [
                "secrets/deep/.ignore",
                "secrets/deep/er/x.json",
                "secrets/prod.yaml"
            ]
        );
        // A path that does not exist: an error naming it.
        let e = files(&p.join("nope")).unwrap_err();
        assert_eq!(e.code(), code::COULD_NOT_READ_INPUT_FILE);
        assert!(e.message().contains("nope"), "{}", e.message());
    }

    /// Outside a git repository, .gitignore means nothing (as for git);
    /// .ignore files still apply.
    #[test]
    fn gitignore_only_inside_a_repository() {
        let d = tree();
        std::fs::remove_dir_all(d.path().join(".git")).unwrap();
        let got = rel(d.path(), &files(d.path()).unwrap());
        assert!(
            got.contains(&"secrets/prod.dec.yaml".to_string()),
            "{got:?}"
        );
        assert!(got.contains(&"build/out.yaml".to_string()), "{got:?}");
        assert!(
            !got.contains(&"secrets/deep/skip.json".to_string()),
            "{got:?}"
        );
    }

    #[cfg(unix)]
    #[test]
    fn an_unreadable_directory_is_an_error() {
        use std::os::unix::fs::PermissionsExt;
        let d = tree();
        let locked = d.path().join("secrets/deep");
        std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
        // root reads it anyway: then there is nothing to test.
        let readable = std::fs::read_dir(&locked).is_ok();
        let r = files(d.path());
        std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o755)).unwrap();
        if !readable {
            let e = r.unwrap_err();
            assert_eq!(e.code(), code::COULD_NOT_READ_INPUT_FILE);
            assert!(e.message().contains("deep"), "{}", e.message());
        }
    }

    #[test]
    fn a_bad_ignore_line_is_a_warning() {
        let d = tree();
        put(d.path(), "secrets/.ignore", "[z-a].yaml\nprod.yaml\n");
        let mut warnings = Vec::new();
        let got = rel(
            d.path(),
            &files_with(d.path(), |w| warnings.push(w)).unwrap(),
        );
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(warnings[0].contains("[z-a]"), "{warnings:?}");
        // The other lines still apply.
        assert!(got.contains(&"a.yaml".to_string()), "{got:?}");
        assert!(!got.contains(&"secrets/prod.yaml".to_string()), "{got:?}");
    }
}
