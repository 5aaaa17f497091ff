//! Subcommands. Each one is the same pipeline: read bytes, parse with a
//! store, transform the tree (decrypt, encrypt, edit, set, rotate…), emit
//! with a store, write.

pub mod args;
pub mod bulk;
pub mod check;
pub mod common;
pub mod decrypt;
pub mod diff;
pub mod edit;
pub mod encrypt;
pub mod exec;
pub mod filestatus;
pub mod keygroups;
pub mod merge;
#[cfg(feature = "publish")]
pub mod publish;
pub mod rotate;
pub mod secret;
pub mod set;

use crate::error::{code, Error, Result};
use args::{Cli, Command};

/// The `publish` feature, and whether this build has it.
pub const PUBLISH: crate::keys::Feature = crate::keys::Feature {
    name: "publish",
    enabled: cfg!(feature = "publish"),
};

/// The error of a command this build does not have.
#[cfg(not(all(feature = "keyservice", feature = "publish")))]
fn unbuilt_command(name: &str, feature: &crate::keys::Feature) -> Error {
    Error::generic(format!("rsops {name}: {}", feature.missing()))
}

/// Run the parsed command line; returns the process exit code on success.
pub fn run(cli: Cli) -> Result<i32> {
    let g = cli.g.clone();
    if let Some(cmd) = cli.command {
        return match cmd {
            Command::Encrypt { files, recursive } => {
                one_or_many(&g, &files, recursive, bulk::Op::Encrypt)
            }
            Command::Decrypt { files, recursive } => {
                one_or_many(&g, &files, recursive, bulk::Op::Decrypt)
            }
            Command::Rotate { files, recursive } => {
                one_or_many(&g, &files, recursive, bulk::Op::Rotate)
            }
            Command::ExecEnv {
                file,
                command,
                pristine,
                background,
                same_process,
                user,
            } => exec::exec_env(
                &g,
                &file,
                &command,
                &exec::EnvOpts {
                    pristine,
                    background,
                    same_process,
                    user,
                },
            ),
            Command::ExecFile {
                file,
                command,
                no_fifo,
                background,
                user,
                filename,
            } => exec::exec_file(
                &g,
                &file,
                &command,
                &exec::FileOpts {
                    background,
                    no_fifo,
                    user,
                    filename,
                },
            ),
            Command::Filestatus { file } => filestatus::run(&g, &file),
            Command::Completion { shell } => completion(&shell).map(|_| 0),
            Command::Updatekeys {
                files,
                yes,
                recursive,
            } => {
                let cfg = crate::config::Config::discover(g.config.as_deref())?;
                let files: Vec<String> = bulk::expand(&files, recursive, None, cfg.as_ref())?
                    .iter()
                    .map(|p| p.display().to_string())
                    .collect();
                keygroups::updatekeys(&g, &files, yes)
            }
            Command::Groups { action } => match action {
                args::GroupsAction::Add { file } => {
                    let group = common::keys_from_flags(&g)?;
                    keygroups::groups(&g, &file, Some(group), None)
                }
                args::GroupsAction::Delete { file, index } => {
                    keygroups::groups(&g, &file, None, Some(index))
                }
            },
            Command::Diff { a, b, unified } => diff::run(&g, &a, &b, unified),
            Command::MergeDriver {
                allow_key_change,
                base,
                ours,
                theirs,
                path,
            } => merge::run(&g, &base, &ours, &theirs, path.as_deref(), allow_key_change),
            Command::Check {
                paths,
                only_matching,
            } => check::run(&g, &paths, only_matching),
            #[cfg(not(feature = "publish"))]
            Command::Publish { .. } => Err(unbuilt_command("publish", &PUBLISH)),
            #[cfg(feature = "publish")]
            Command::Publish {
                file,
                yes,
                omit_extensions,
                recursive,
            } => publish::run(
                &g,
                &file,
                &publish::Opts {
                    yes,
                    omit_extensions,
                    recursive,
                },
            ),
            #[cfg(feature = "keyservice")]
            Command::Keyservice {
                network,
                address,
                prompt,
                allow_remote,
            } => crate::keyservice::server::run(&crate::keyservice::server::Opts {
                network,
                address,
                prompt,
                verbose: g.verbose,
                allow_remote,
            })
            .map(|_| 0),
            #[cfg(not(feature = "keyservice"))]
            Command::Keyservice { .. } => {
                Err(unbuilt_command("keyservice", &crate::keyservice::FEATURE))
            }
            Command::Manpage => manpage().map(|_| 0),
            Command::Secret { kind } => secret::run(&g, &kind),
            Command::Edit { file } => edit::run(&g, &file).map(|_| 0),
            Command::Set {
                file,
                path,
                value,
                value_file,
                value_stdin,
                idempotent,
            } => set::run_set(
                &g,
                &file,
                &path,
                value.as_deref(),
                value_file,
                value_stdin,
                idempotent,
            )
            .map(|_| 0),
            Command::Unset {
                file,
                path,
                idempotent,
            } => set::run_unset(&g, &file, &path, idempotent).map(|_| 0),
        };
    }
    let file = cli.file.as_deref();
    let modes = [cli.encrypt, cli.decrypt, cli.rotate, cli.set.is_some()]
        .iter()
        .filter(|b| **b)
        .count();
    if modes > 1 {
        return Err(Error::new(
            code::ERROR_CONFLICTING_PARAMETERS,
            "Error: use only one of --encrypt, --decrypt, --rotate and --set",
        ));
    }
    let Some(file) = file else {
        return Err(Error::new(
            code::NO_FILE_SPECIFIED,
            "Error: no file specified (see rsops --help)",
        ));
    };
    let mut ctx = common::key_ctx(&g);
    if cli.encrypt {
        encrypt::run(&g, Some(file), &mut ctx).map(|_| 0)
    } else if cli.decrypt {
        decrypt::run(&g, Some(file), &mut ctx).map(|_| 0)
    } else if cli.rotate {
        rotate::run(&g, Some(file), &mut ctx).map(|_| 0)
    } else if let Some(set) = &cli.set {
        // --set '["key"] value': the path, a space, then the JSON value.
        let (path, value) = set.split_once(' ').ok_or_else(|| {
            Error::new(
                code::ERROR_INVALID_SET_FORMAT,
                "Invalid --set format: expected 'PATH VALUE'",
            )
        })?;
        set::run_set(&g, file, path, Some(value), false, false, false).map(|_| 0)
    } else {
        edit::run(&g, file).map(|_| 0)
    }
}

/// One file (or stdin) the classic way; several files or directories in bulk.
fn one_or_many(g: &args::Global, files: &[String], recursive: bool, op: bulk::Op) -> Result<i32> {
    if files.len() <= 1
        && !recursive
        && !files
            .first()
            .is_some_and(|f| std::path::Path::new(f).is_dir())
    {
        let mut ctx = common::key_ctx(g);
        let file = files.first().map(String::as_str);
        return match op {
            bulk::Op::Encrypt => encrypt::run(g, file, &mut ctx),
            bulk::Op::Decrypt => decrypt::run(g, file, &mut ctx),
            bulk::Op::Rotate => rotate::run(g, file, &mut ctx),
        }
        .map(|_| 0);
    }
    bulk::run(g, files, recursive, op)
}

fn completion(shell: &str) -> Result<()> {
    use clap::CommandFactory;
    let sh: clap_complete::Shell = shell.parse().map_err(|_| {
        Error::generic(format!(
            "unknown shell {shell:?}: use bash, zsh, fish, powershell or elvish"
        ))
    })?;
    let mut cmd = Cli::command();
    let mut out = Vec::new();
    clap_complete::generate(sh, &mut cmd, "rsops", &mut out);
    crate::io::write_stdout(&out)
}

fn manpage() -> Result<()> {
    use clap::CommandFactory;
    let mut out = Vec::new();
    clap_mangen::Man::new(Cli::command())
        .render(&mut out)
        .map_err(|e| Error::with_source(code::ERROR_GENERIC, "cannot render the man page", e))?;
    crate::io::write_stdout(&out)
}
