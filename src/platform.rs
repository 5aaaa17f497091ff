//! Everything that depends on the operating system, in one place. Each
//! function has a Unix implementation and a portable fallback, so the crate
//! builds for Linux, macOS and Windows; the README says what each platform
//! gets.

use std::path::Path;

/// What the program's allocator does when the library is about to build a
/// large tree (see [`expect_allocations`]); set once by the program.
static ALLOCATION_HINT: std::sync::OnceLock<fn(usize)> = std::sync::OnceLock::new();

/// Install the program's allocation hint: `hint(bytes)` is called when about
/// `bytes` of small blocks are about to be allocated (a large file's tree).
/// The `rsops` binary prepares glibc's heap for huge pages there; a program
/// that installs nothing gets nothing. Only the first call counts.
pub fn set_allocation_hint(hint: fn(usize)) {
    let _ = ALLOCATION_HINT.set(hint);
}

/// About `bytes` of small blocks are about to be allocated: tell the
/// program's allocator, if it asked to be told.
pub fn expect_allocations(bytes: usize) {
    if let Some(hint) = ALLOCATION_HINT.get() {
        hint(bytes);
    }
}

/// Who owns a file, and how many names it has.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FileIdentity {
    /// Permission bits (Unix mode & 0o7777); `None` where there are none.
    pub mode: Option<u32>,
    /// Owner and group; `None` where the platform has no such thing.
    pub owner: Option<(u32, u32)>,
    /// Number of hard links (1 where unknown).
    pub links: u64,
}

/// The identity of an existing file (following symlinks).
pub fn file_identity(meta: &std::fs::Metadata) -> FileIdentity {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        FileIdentity {
            mode: Some(meta.mode() & 0o7777),
            owner: Some((meta.uid(), meta.gid())),
            links: meta.nlink(),
        }
    }
    #[cfg(not(unix))]
    {
        let _ = meta;
        FileIdentity {
            mode: None,
            owner: None,
            links: 1,
        }
    }
}

/// The mode a plain `create` gives a new file: 0666 minus the umask.
pub fn default_file_mode() -> Option<u32> {
    #[cfg(unix)]
    {
        // SAFETY: umask is process-global; it is set and restored at once.
        let mask = unsafe {
            let m = libc::umask(0o022);
            libc::umask(m);
            m
        };
        Some(0o666 & !(mask as u32))
    }
    #[cfg(not(unix))]
    None
}

/// Give an open file an owner, group and mode (owner first: changing the
/// owner clears set-id bits).
pub fn set_owner_and_mode(
    file: &std::fs::File,
    owner: Option<(u32, u32)>,
    mode: Option<u32>,
) -> std::result::Result<(), (&'static str, std::io::Error)> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::{MetadataExt, PermissionsExt};
        if let Some((uid, gid)) = owner {
            let cur = file.metadata().map_err(|e| ("cannot read its owner", e))?;
            if (cur.uid(), cur.gid()) != (uid, gid) {
                std::os::unix::fs::fchown(file, Some(uid), Some(gid)).map_err(|e| {
                    (
                        "cannot give the new file the owner and group of the old one",
                        e,
                    )
                })?;
            }
        }
        if let Some(m) = mode {
            file.set_permissions(std::fs::Permissions::from_mode(m))
                .map_err(|e| ("cannot set the file mode", e))?;
        }
        Ok(())
    }
    #[cfg(not(unix))]
    {
        let _ = (file, owner, mode);
        Ok(())
    }
}

/// Make the process non-dumpable: no core file, and other processes of the
/// same user cannot attach a debugger or read its memory through /proc,
/// while it holds data keys and plaintext. Linux only; a no-op elsewhere.
pub fn protect_process_memory() {
    #[cfg(target_os = "linux")]
    // SAFETY: prctl with constant arguments; failure leaves the default.
    unsafe {
        libc::prctl(libc::PR_SET_DUMPABLE, 0, 0, 0, 0);
    }
}

/// This machine's host name ("" when unknown).
pub fn hostname() -> String {
    #[cfg(unix)]
    {
        let mut buf = [0u8; 256];
        // SAFETY: the buffer is valid for its length; gethostname
        // NUL-terminates or truncates within it, and we stop at the first NUL.
        let rc = unsafe { libc::gethostname(buf.as_mut_ptr().cast(), buf.len()) };
        if rc != 0 {
            return String::new();
        }
        let end = buf.iter().position(|b| *b == 0).unwrap_or(buf.len());
        String::from_utf8_lossy(&buf[..end]).into_owned()
    }
    #[cfg(not(unix))]
    {
        std::env::var("COMPUTERNAME").unwrap_or_default()
    }
}

/// Is `path` writable by this process? Checked by opening it for writing
/// without truncating, so ACLs, read-only mounts and root are all honoured.
pub fn check_writable(path: &Path) -> std::io::Result<()> {
    std::fs::OpenOptions::new().write(true).open(path).map(drop)
}

/// Cleanup of the edit flow's private directory when rsops is told to stop.
///
/// While armed, a signal thread owns SIGINT, SIGTERM, SIGHUP and SIGQUIT:
/// * while the editor runs, SIGINT and SIGQUIT belong to it (the terminal
///   sends them to both; rsops stays to clean up after the editor returns);
///   SIGTERM and SIGHUP are passed on to the editor, and the edit ends once
///   it exits, with the whole directory removed (the editor's swap and
///   backup files included) and nothing written;
/// * otherwise the directory is removed at once and rsops exits with
///   128 + the signal number.
///
/// Once disarmed, the signals have their default effect again. SIGKILL
/// cannot be caught: the directory then stays until the system's temporary
/// directory is cleaned (SECURITY.md says so).
pub mod edit_guard {
    use std::path::{Path, PathBuf};

    /// How long the signal thread waits for the editor to exit and the
    /// edit to clean up after itself before removing the directory itself.
    #[cfg(unix)]
    const GRACE: std::time::Duration = std::time::Duration::from_secs(5);

    #[derive(Default)]
    struct State {
        dir: Option<PathBuf>,
        editor: Option<u32>,
        stopped_by: Option<i32>,
    }

    #[cfg(unix)]
    fn state() -> &'static std::sync::Mutex<State> {
        static S: std::sync::OnceLock<std::sync::Mutex<State>> = std::sync::OnceLock::new();
        S.get_or_init(Default::default)
    }

    #[cfg(unix)]
    fn with<T>(f: impl FnOnce(&mut State) -> T) -> T {
        let mut g = state().lock().unwrap_or_else(|p| p.into_inner());
        f(&mut g)
    }

    #[cfg(unix)]
    fn start_thread() -> std::io::Result<()> {
        use signal_hook::consts::signal::{SIGHUP, SIGINT, SIGQUIT, SIGTERM};
        // The first attempt's outcome, kept for later callers (an
        // io::Error is not Clone: its kind and text are kept).
        static STARTED: std::sync::OnceLock<std::result::Result<(), (std::io::ErrorKind, String)>> =
            std::sync::OnceLock::new();
        let r = STARTED.get_or_init(|| {
            let mut signals =
                signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP, SIGQUIT])
                    .map_err(|e| (e.kind(), e.to_string()))?;
            std::thread::Builder::new()
                .name("signals".into())
                .spawn(move || {
                    for sig in signals.forever() {
                        on_signal(sig);
                    }
                })
                .map(drop)
                .map_err(|e| (e.kind(), e.to_string()))
        });
        r.clone()
            .map_err(|(kind, text)| std::io::Error::new(kind, text))
    }

    #[cfg(unix)]
    fn on_signal(sig: i32) {
        use signal_hook::consts::signal::{SIGINT, SIGQUIT};
        let (dir, editor) = with(|s| {
            if s.dir.is_some() && s.editor.is_some() && sig != SIGINT && sig != SIGQUIT {
                s.stopped_by.get_or_insert(sig);
            }
            (s.dir.clone(), s.editor)
        });
        let Some(dir) = dir else {
            // Disarmed: what the signal would have done without rsops.
            if signal_hook::low_level::emulate_default_handler(sig).is_err() {
                std::process::exit(128 + sig);
            }
            return;
        };
        if let Some(pid) = editor {
            if sig == SIGINT || sig == SIGQUIT {
                return;
            }
            // SAFETY: kill with a pid rsops started and a valid signal.
            unsafe {
                libc::kill(pid as libc::pid_t, sig);
            }
            let start = std::time::Instant::now();
            while start.elapsed() < GRACE && dir.exists() {
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
        }
        let _ = std::fs::remove_dir_all(&dir);
        std::process::exit(128 + sig);
    }

    /// Start guarding `dir`.
    pub fn arm(dir: &Path) -> std::io::Result<()> {
        #[cfg(unix)]
        {
            with(|s| {
                s.dir = Some(dir.to_path_buf());
                s.editor = None;
                s.stopped_by = None;
            });
            start_thread()
        }
        #[cfg(not(unix))]
        {
            let _ = dir;
            Ok(())
        }
    }

    /// The editor process now running (or `None` once it has exited).
    pub fn editor(pid: Option<u32>) {
        #[cfg(unix)]
        with(|s| s.editor = pid);
        #[cfg(not(unix))]
        let _ = pid;
    }

    /// The signal that ended the editor on rsops' behalf, if any: the edit
    /// must then stop without writing.
    pub fn stopped_by() -> Option<i32> {
        #[cfg(unix)]
        return with(|s| s.stopped_by);
        #[cfg(not(unix))]
        None
    }

    /// Stop guarding (the directory is gone).
    pub fn disarm() {
        #[cfg(unix)]
        with(|s| *s = State::default());
    }
}

/// Why [`switch_user`] could not switch: the user, the step that failed
/// and the system's error where there is one.
#[derive(Debug, thiserror::Error)]
#[error("cannot switch to user {user:?}: {what}")]
pub struct SwitchUserError {
    user: String,
    what: &'static str,
    #[source]
    source: Option<std::io::Error>,
}

/// Switch this process to another user for `exec-env`/`exec-file --user`:
/// the user's own supplementary groups (the caller's are dropped), group,
/// then user; returns the variables a login as that user would set
/// (`HOME`, `USER`, `LOGNAME`).
pub fn switch_user(user: &str) -> std::result::Result<Vec<(String, String)>, SwitchUserError> {
    let err = |what: &'static str, source: Option<std::io::Error>| SwitchUserError {
        user: user.to_string(),
        what,
        source,
    };
    #[cfg(unix)]
    {
        use std::ffi::{CStr, CString};
        let name = CString::new(user).map_err(|_| err("the name holds a NUL byte", None))?;
        // SAFETY: getpwnam returns null or a pointer to static storage that
        // is read before any other passwd call.
        let pw = unsafe { libc::getpwnam(name.as_ptr()) };
        if pw.is_null() {
            return Err(err("no such user", None));
        }
        let (uid, gid, home, login) = unsafe {
            (
                (*pw).pw_uid,
                (*pw).pw_gid,
                CStr::from_ptr((*pw).pw_dir).to_string_lossy().into_owned(),
                CStr::from_ptr((*pw).pw_name).to_string_lossy().into_owned(),
            )
        };
        let fail = |what: &'static str| err(what, Some(std::io::Error::last_os_error()));
        // SAFETY: plain syscalls on values from the passwd entry.
        unsafe {
            #[cfg(any(target_os = "linux", target_os = "android"))]
            let groups_ok = libc::initgroups(name.as_ptr(), gid) == 0;
            #[cfg(not(any(target_os = "linux", target_os = "android")))]
            let groups_ok = libc::initgroups(name.as_ptr(), gid as _) == 0;
            if !groups_ok && libc::setgroups(1, &gid) != 0 {
                return Err(fail("setting its supplementary groups failed"));
            }
            if libc::setgid(gid) != 0 {
                return Err(fail("setting its group failed"));
            }
            if libc::setuid(uid) != 0 {
                return Err(fail("setting its user ID failed"));
            }
            // setuid must be irreversible here: a process that can get
            // root back did not drop it.
            if uid != 0 && libc::setuid(0) == 0 {
                return Err(err("root privileges could be regained", None));
            }
        }
        Ok(vec![
            ("HOME".into(), home),
            ("USER".into(), login.clone()),
            ("LOGNAME".into(), login),
        ])
    }
    #[cfg(not(unix))]
    {
        Err(err("--user is not supported on this platform", None))
    }
}

/// How a child ended, as a shell reports it: its exit code, or 128 + the
/// signal that killed it (Unix).
pub fn exit_code(status: std::process::ExitStatus) -> ExitCode {
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        if let Some(sig) = status.signal() {
            return 128 + sig;
        }
    }
    status.code().unwrap_or(1)
}

/// Can [`replace_process`] run a command in this process's place?
pub const CAN_REPLACE_PROCESS: bool = cfg!(unix);

/// Run `cmd` in place of this process (`exec`); returns only on failure.
/// Where that is not possible ([`CAN_REPLACE_PROCESS`] false) it fails
/// with `Unsupported`: run the command as a child instead.
pub fn replace_process(cmd: &mut std::process::Command) -> std::io::Error {
    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt;
        cmd.exec()
    }
    #[cfg(not(unix))]
    {
        let _ = cmd;
        std::io::Error::new(
            std::io::ErrorKind::Unsupported,
            "a command cannot replace this process on this platform",
        )
    }
}

/// Make an existing file or directory reachable by its owner only (0600
/// for a file, 0700 for a directory). Elsewhere nothing changes: a
/// temporary directory is already the user's own.
pub fn make_owner_only(path: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = if std::fs::metadata(path)?.is_dir() {
            0o700
        } else {
            0o600
        };
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        Ok(())
    }
}

/// Create a new file (never an existing one) that only its owner can read
/// and write (mode 0600 from the start on Unix).
pub fn create_private_file(path: &Path) -> std::io::Result<std::fs::File> {
    let mut o = std::fs::OpenOptions::new();
    o.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.mode(0o600);
    }
    o.open(path)
}

/// Can [`make_fifo`] make named pipes here?
pub const HAS_FIFOS: bool = cfg!(unix);

/// Make a named pipe (FIFO) at `path`, for its owner only (0600): data
/// written to it goes to whoever opens it for reading and is never on disk.
/// `Unsupported` where there are none ([`HAS_FIFOS`] false).
pub fn make_fifo(path: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let c = std::ffi::CString::new(path.as_os_str().as_bytes()).map_err(|_| {
            std::io::Error::new(std::io::ErrorKind::InvalidInput, "a NUL byte in the path")
        })?;
        // SAFETY: mkfifo with a NUL-terminated path alive for the call.
        if unsafe { libc::mkfifo(c.as_ptr(), 0o600) } != 0 {
            return Err(std::io::Error::last_os_error());
        }
        Ok(())
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        Err(std::io::Error::new(
            std::io::ErrorKind::Unsupported,
            "named pipes are not supported on this platform",
        ))
    }
}

/// A listening socket at a path in the file system, that only this user
/// can connect to (`rsops keyservice --network unix`).
#[cfg(unix)]
pub type PrivateSocket = std::os::unix::net::UnixListener;
/// No such socket without unix sockets in std: the type has no values.
#[cfg(not(unix))]
pub enum PrivateSocket {}

/// Listen on a unix socket at `path`, created readable and writable by its
/// owner only: nobody else on the machine may use what it serves.
/// `Unsupported` where there are no unix sockets.
pub fn bind_private_socket(path: &Path) -> std::io::Result<PrivateSocket> {
    #[cfg(unix)]
    {
        // The mode comes from the umask at bind time (a chmod afterwards
        // would leave a moment where anyone could connect). The umask is
        // process-wide: it is set and restored around the bind, which the
        // key service does before it starts any thread.
        // SAFETY: umask only changes this process's file creation mask.
        let old = unsafe { libc::umask(0o177) };
        let r = std::os::unix::net::UnixListener::bind(path);
        // SAFETY: as above.
        unsafe { libc::umask(old) };
        r
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        Err(std::io::Error::new(
            std::io::ErrorKind::Unsupported,
            "unix sockets are not supported on this platform",
        ))
    }
}

/// Wait for the request to stop a server: SIGINT or SIGTERM on Unix,
/// Ctrl-C elsewhere. Returns its name. Without signal handling, waits
/// forever (the server runs until killed).
#[cfg(feature = "keyservice")]
pub async fn stop_signal() -> &'static str {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        let (Ok(mut int), Ok(mut term)) = (
            signal(SignalKind::interrupt()),
            signal(SignalKind::terminate()),
        ) else {
            return std::future::pending().await;
        };
        tokio::select! {
            _ = int.recv() => "SIGINT",
            _ = term.recv() => "SIGTERM",
        }
    }
    #[cfg(not(unix))]
    {
        match tokio::signal::ctrl_c().await {
            Ok(()) => "Ctrl-C",
            Err(_) => std::future::pending().await,
        }
    }
}

/// A variable for a child's environment whose value is secret: held as
/// `NAME=VALUE\0` in a buffer that is wiped when dropped.
pub struct SecretVar(zeroize::Zeroizing<Vec<u8>>);

impl SecretVar {
    pub fn new(name: &str, value: &str) -> SecretVar {
        let mut b = zeroize::Zeroizing::new(Vec::with_capacity(name.len() + value.len() + 2));
        b.extend_from_slice(name.as_bytes());
        b.push(b'=');
        b.extend_from_slice(value.as_bytes());
        b.push(0);
        SecretVar(b)
    }
    fn name(&self) -> &[u8] {
        let eq = self.0.iter().position(|&c| c == b'=').unwrap_or(0);
        &self.0[..eq]
    }
    /// Name and value (built from text, so valid UTF-8).
    pub fn split(&self) -> (&str, &str) {
        let text = std::str::from_utf8(&self.0[..self.0.len() - 1]).unwrap_or("");
        text.split_once('=').unwrap_or((text, ""))
    }
}

/// How a child ended, as a shell reports it: its exit code, or 128 + the
/// signal that killed it.
pub type ExitCode = i32;

/// Run `/bin/sh -c command` with `vars` added to the environment (only
/// those, plus `plain`, when `pristine`), without handing the values to
/// any buffer rsops does not wipe: the environment is built here and
/// wiped as soon as the child has its copy, so the parent holds no
/// plaintext while the child runs. `wait` false returns at once (0).
pub fn spawn_shell_with_secrets(
    command: &str,
    vars: Vec<SecretVar>,
    plain: &[(String, String)],
    pristine: bool,
    wait: bool,
) -> std::io::Result<ExitCode> {
    #[cfg(unix)]
    {
        use std::ffi::CString;
        use std::os::unix::ffi::OsStrExt;
        fn nul<E>(_: E) -> std::io::Error {
            std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                "a NUL byte in the command or environment",
            )
        }
        let mut own: Vec<CString> = Vec::new();
        let taken = |n: &[u8]| {
            vars.iter().any(|v| v.name() == n) || plain.iter().any(|(k, _)| k.as_bytes() == n)
        };
        if !pristine {
            for (k, v) in std::env::vars_os() {
                if taken(k.as_bytes()) {
                    continue;
                }
                let mut e = k.as_bytes().to_vec();
                e.push(b'=');
                e.extend_from_slice(v.as_bytes());
                own.push(CString::new(e).map_err(nul)?);
            }
        }
        for (k, v) in plain {
            if vars.iter().any(|s| s.name() == k.as_bytes()) {
                continue;
            }
            own.push(CString::new(format!("{k}={v}")).map_err(nul)?);
        }
        for v in &vars {
            if v.0[..v.0.len() - 1].contains(&0) {
                return Err(nul(()));
            }
        }
        let mut envp: Vec<*mut libc::c_char> = own.iter().map(|c| c.as_ptr() as *mut _).collect();
        envp.extend(vars.iter().map(|v| v.0.as_ptr() as *mut libc::c_char));
        envp.push(std::ptr::null_mut());
        let sh = CString::new("/bin/sh").map_err(nul)?;
        let dash_c = CString::new("-c").map_err(nul)?;
        let cmd = CString::new(command).map_err(nul)?;
        let argv: [*mut libc::c_char; 4] = [
            sh.as_ptr() as *mut _,
            dash_c.as_ptr() as *mut _,
            cmd.as_ptr() as *mut _,
            std::ptr::null_mut(),
        ];
        let mut pid: libc::pid_t = 0;
        // SAFETY: every pointer refers to a NUL-terminated buffer alive
        // until posix_spawn returns; the attributes are initialised and
        // destroyed here. The child starts with an empty signal mask and
        // SIGPIPE at its default (Rust ignores it in this process).
        let rc = unsafe {
            let mut attr: libc::posix_spawnattr_t = std::mem::zeroed();
            libc::posix_spawnattr_init(&mut attr);
            let mut none: libc::sigset_t = std::mem::zeroed();
            libc::sigemptyset(&mut none);
            libc::posix_spawnattr_setsigmask(&mut attr, &none);
            let mut dfl: libc::sigset_t = std::mem::zeroed();
            libc::sigemptyset(&mut dfl);
            libc::sigaddset(&mut dfl, libc::SIGPIPE);
            libc::posix_spawnattr_setsigdefault(&mut attr, &dfl);
            libc::posix_spawnattr_setflags(
                &mut attr,
                (libc::POSIX_SPAWN_SETSIGMASK | libc::POSIX_SPAWN_SETSIGDEF) as _,
            );
            let rc = libc::posix_spawn(
                &mut pid,
                sh.as_ptr(),
                std::ptr::null(),
                &attr,
                argv.as_ptr(),
                envp.as_ptr(),
            );
            libc::posix_spawnattr_destroy(&mut attr);
            rc
        };
        drop(envp);
        // The child has its own copy: wipe ours now.
        drop(vars);
        if rc != 0 {
            return Err(std::io::Error::from_raw_os_error(rc));
        }
        if !wait {
            return Ok(0);
        }
        loop {
            let mut status: libc::c_int = 0;
            // SAFETY: waiting for the child started above.
            let r = unsafe { libc::waitpid(pid, &mut status, 0) };
            if r == pid {
                return Ok(if libc::WIFSIGNALED(status) {
                    128 + libc::WTERMSIG(status)
                } else {
                    libc::WEXITSTATUS(status)
                });
            }
            let e = std::io::Error::last_os_error();
            if e.kind() != std::io::ErrorKind::Interrupted {
                return Err(e);
            }
        }
    }
    #[cfg(not(unix))]
    {
        // No way to hand over an environment we can wipe: the values live
        // in std's copy until the child ends.
        let mut c = std::process::Command::new("cmd");
        c.arg("/C").arg(command);
        if pristine {
            c.env_clear();
        }
        for (k, v) in plain {
            c.env(k, v);
        }
        for v in &vars {
            let s = String::from_utf8_lossy(&v.0[..v.0.len() - 1]).into_owned();
            if let Some((k, val)) = s.split_once('=') {
                c.env(k, val);
            }
        }
        drop(vars);
        if !wait {
            c.spawn()?;
            return Ok(0);
        }
        Ok(c.status()?.code().unwrap_or(1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The library tells the program's allocator what is coming, once one
    /// is installed (before: nothing happens).
    #[test]
    fn allocation_hints_reach_the_installed_hook() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        static SEEN: AtomicUsize = AtomicUsize::new(0);
        fn hook(bytes: usize) {
            SEEN.store(bytes, Ordering::SeqCst);
        }
        expect_allocations(5);
        assert_eq!(SEEN.load(Ordering::SeqCst), 0);
        set_allocation_hint(hook);
        expect_allocations(7 << 20);
        assert_eq!(SEEN.load(Ordering::SeqCst), 7 << 20);
    }

    #[cfg(unix)]
    fn mode(p: &Path) -> u32 {
        use std::os::unix::fs::PermissionsExt;
        std::fs::symlink_metadata(p).unwrap().permissions().mode() & 0o7777
    }

    /// Private files, directories, FIFOs and sockets are their owner's
    /// alone from the start, whatever the umask; a private file is never
    /// an existing one.
    #[cfg(unix)]
    #[test]
    fn private_things_are_owner_only() {
        let d = tempfile::tempdir().unwrap();
        let f = d.path().join("f");
        drop(create_private_file(&f).unwrap());
        assert_eq!(mode(&f), 0o600);
        std::fs::write(d.path().join("g"), "x").unwrap();
        let e = create_private_file(&d.path().join("g")).unwrap_err();
        assert_eq!(e.kind(), std::io::ErrorKind::AlreadyExists);
        let sub = d.path().join("sub");
        std::fs::create_dir(&sub).unwrap();
        make_owner_only(&sub).unwrap();
        assert_eq!(mode(&sub), 0o700);
        let fifo = d.path().join("fifo");
        make_fifo(&fifo).unwrap();
        use std::os::unix::fs::FileTypeExt;
        assert!(std::fs::metadata(&fifo).unwrap().file_type().is_fifo());
        assert_eq!(mode(&fifo), 0o600);
        let sock = d.path().join("sock");
        let _l = bind_private_socket(&sock).unwrap();
        assert_eq!(mode(&sock), 0o600);
    }

    /// A child killed by a signal reports 128 + the signal, as a shell does.
    #[cfg(unix)]
    #[test]
    fn exit_codes_like_a_shell() {
        let st = |script: &str| {
            std::process::Command::new("/bin/sh")
                .args(["-c", script])
                .status()
                .unwrap()
        };
        assert_eq!(exit_code(st("exit 3")), 3);
        assert_eq!(exit_code(st("kill -9 $$")), 128 + 9);
    }

    #[test]
    fn the_host_name_is_the_systems() {
        let h = hostname();
        assert!(!h.contains('\0'));
        #[cfg(target_os = "linux")]
        if let Ok(k) = std::fs::read_to_string("/proc/sys/kernel/hostname") {
            assert_eq!(h, k.trim_end());
        }
    }
}
