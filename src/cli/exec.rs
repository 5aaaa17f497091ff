//! `rsops exec-env` and `rsops exec-file`: run a command with the decrypted
//! values in its environment, or with the decrypted file at `{}`.
//!
//! exec-file hands the plaintext over through a FIFO by default (nothing is
//! written to disk); with `--no-fifo` it is a 0600 file. Either lives in a
//! private 0700 directory removed when the command ends.

use std::path::PathBuf;
use std::process::Command;

use zeroize::Zeroizing;

use crate::error::{code, Error, Result};
use crate::format::Format;
use crate::stores::flatten::value_to_string;
use crate::tree::Value;

use super::args::Global;
use super::common;

fn shell(command: &str) -> Command {
    let mut c = Command::new("/bin/sh");
    c.arg("-c").arg(command);
    c
}

/// Become `--user` (groups, group, user) and return the login variables
/// (`HOME`, `USER`, `LOGNAME`) the command gets.
fn become_user(user: &Option<String>) -> Result<Vec<(String, String)>> {
    match user {
        Some(u) => crate::platform::switch_user(u).map_err(Error::generic_from),
        None => Ok(Vec::new()),
    }
}

fn decrypt(g: &Global, file: &str) -> Result<(common::SopsFile, Format, Option<usize>)> {
    let mut input = common::existing_input(g, Some(file))?;
    let cfg = crate::config::Config::discover(g.config.as_deref())?;
    let bytes = input.read_encrypted(g)?;
    let indent = common::indent(g, cfg.as_ref(), input.out_format)?;
    let mut f = common::load_encrypted(&bytes, input.in_format, file)?;
    let mut ctx = common::key_ctx(g);
    common::decrypt_file(&mut f, g, &mut ctx, file, false)?;
    Ok((f, input.out_format, indent))
}

pub struct EnvOpts {
    pub pristine: bool,
    pub background: bool,
    pub same_process: bool,
    pub user: Option<String>,
}

pub fn exec_env(g: &Global, file: &str, command: &str, o: &EnvOpts) -> Result<i32> {
    if o.background && o.same_process {
        return Err(Error::new(
            code::ERROR_CONFLICTING_PARAMETERS,
            "Error: The --same-process flag cannot be used with --background",
        ));
    }
    let (f, _, _) = decrypt(g, file)?;
    let mut vars: Vec<crate::platform::SecretVar> = Vec::new();
    for item in f.docs.first().map(|d| d.as_slice()).unwrap_or(&[]) {
        let Some(key) = item.key_str() else { continue };
        if matches!(item.value, Value::Map(_) | Value::List(_)) {
            return Err(Error::generic(format!(
                "cannot use complex value in environment; offending key {key}"
            )));
        }
        crate::stores::names::check_env_name(key).map_err(|e| {
            Error::with_source(
                code::ERROR_GENERIC,
                format!("{file}: cannot pass the key {key:?} to the command's environment"),
                e,
            )
        })?;
        let value = Zeroizing::new(value_to_string(&item.value));
        vars.push(crate::platform::SecretVar::new(key, &value));
    }
    // The tree is wiped here; from now on the values exist only in `vars`,
    // which are wiped as soon as the command has its environment.
    drop(f);
    let login = become_user(&o.user)?;
    // Where a command cannot replace rsops, it runs as a child.
    if o.same_process && crate::platform::CAN_REPLACE_PROCESS {
        let mut cmd = shell(command);
        if o.pristine {
            cmd.env_clear();
        }
        for (k, v) in &login {
            cmd.env(k, v);
        }
        for v in &vars {
            let (k, val) = v.split();
            cmd.env(k, val);
        }
        let e = crate::platform::replace_process(&mut cmd);
        return Err(Error::with_source(
            code::ERROR_GENERIC,
            "cannot run /bin/sh",
            e,
        ));
    }
    let code =
        crate::platform::spawn_shell_with_secrets(command, vars, &login, o.pristine, !o.background)
            .map_err(|e| Error::with_source(code::ERROR_GENERIC, "cannot run the command", e))?;
    if code != 0 {
        eprintln!("exit status {code}");
    }
    Ok(code)
}

pub struct FileOpts {
    pub background: bool,
    pub no_fifo: bool,
    pub user: Option<String>,
    pub filename: Option<String>,
}

pub fn exec_file(g: &Global, file: &str, command: &str, o: &FileOpts) -> Result<i32> {
    if o.background && o.no_fifo {
        return Err(Error::new(
            code::ERROR_CONFLICTING_PARAMETERS,
            "Error: --background needs the FIFO: with --no-fifo the plaintext file could not be removed after a command rsops does not wait for",
        ));
    }
    let (f, fmt, indent) = decrypt(g, file)?;
    let mut plain = Zeroizing::new(
        fmt.emit_plain(&f.docs, indent)
            .map_err(|e| Error::with_source(code::ERROR_DUMPING_TREE, "Error dumping file", e))?,
    );
    drop(f);
    let login = become_user(&o.user)?;
    let dir = tempfile::Builder::new()
        .prefix(".rsops")
        .tempdir()
        .map_err(|e| {
            Error::with_source(
                code::COULD_NOT_WRITE_OUTPUT_FILE,
                "cannot create a temporary directory",
                e,
            )
        })?;
    let _ = crate::platform::make_owner_only(dir.path());
    let name = o.filename.clone().unwrap_or_else(|| "tmp-file".to_string());
    if name.contains('/') || name == ".." || name == "." {
        return Err(Error::generic("--filename must be a plain file name"));
    }
    let path: PathBuf = dir.path().join(&name);
    // Without named pipes (not Unix), the plaintext goes to a private file.
    let fifo = !o.no_fifo && crate::platform::HAS_FIFOS;
    let mut writer = None;
    if fifo {
        crate::platform::make_fifo(&path)
            .map_err(|e| Error::with_source(code::ERROR_GENERIC, "cannot create a FIFO", e))?;
        let p = path.clone();
        // The writer owns the plaintext and wipes it once the command has
        // read it.
        let data = std::mem::take(&mut plain);
        writer = Some(std::thread::spawn(move || {
            use std::io::Write;
            if let Ok(mut h) = std::fs::OpenOptions::new().write(true).open(&p) {
                let _ = h.write_all(&data);
            }
        }));
    } else {
        use std::io::Write;
        let mut h = crate::platform::create_private_file(&path).map_err(|e| {
            Error::with_source(
                code::COULD_NOT_WRITE_OUTPUT_FILE,
                "cannot create the temporary file",
                e,
            )
        })?;
        h.write_all(&plain).map_err(|e| {
            Error::with_source(
                code::COULD_NOT_WRITE_OUTPUT_FILE,
                "cannot write the temporary file",
                e,
            )
        })?;
    }
    // Nothing of the plaintext stays in this process but what the FIFO
    // writer still has to hand over.
    drop(plain);
    let command = command.replace("{}", &path.display().to_string());
    let mut cmd = shell(&command);
    for (k, v) in &login {
        cmd.env(k, v);
    }
    if o.background {
        cmd.spawn()
            .map_err(|e| Error::with_source(code::ERROR_GENERIC, "cannot run the command", e))?;
        // The background command reads the FIFO; once the writer is done
        // the data is in the pipe and the directory can go.
        if let Some(w) = writer {
            let _ = w.join();
        }
        drop(dir);
        return Ok(0);
    }
    let status = cmd
        .status()
        .map_err(|e| Error::with_source(code::ERROR_GENERIC, "cannot run the command", e))?;
    if let Some(w) = writer {
        if !w.is_finished() {
            // The command never opened the FIFO: open it for reading
            // ourselves so the writer is released, and discard the data.
            if let Ok(mut r) = std::fs::File::open(&path) {
                let mut sink = Vec::new();
                let _ = std::io::Read::read_to_end(&mut r, &mut sink);
                zeroize::Zeroize::zeroize(&mut sink);
            }
        }
        let _ = w.join();
    }
    drop(dir);
    if !status.success() {
        eprintln!("exit status {}", crate::platform::exit_code(status));
    }
    Ok(crate::platform::exit_code(status))
}
