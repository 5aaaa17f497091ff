//! Questions on the controlling terminal (`/dev/tty`), never on stdin: stdin
//! may carry the data being encrypted or decrypted. Used for the passphrases
//! of protected age identity files and SSH keys, and for age plugins' prompts.

use crate::keys::KeyError;
use std::sync::{Mutex, MutexGuard};

use age::secrecy::SecretString;
use zeroize::Zeroizing;

/// Held while a question is on the terminal, so that threads (`rsops check`
/// decrypts with several) never interleave prompts, and so that a caller can
/// look at a cache and prompt atomically.
static PROMPT_LOCK: Mutex<()> = Mutex::new(());

pub fn lock() -> MutexGuard<'static, ()> {
    PROMPT_LOCK.lock().unwrap_or_else(|p| p.into_inner())
}

/// Longest answer read (a passphrase or a plugin's question).
const MAX_ANSWER: usize = 64 * 1024;

/// Ask for a secret: the prompt goes to the terminal, echo is off while the
/// answer is typed. The caller holds [`lock`].
pub fn read_secret(prompt: &str) -> Result<SecretString, KeyError> {
    let answer = ask(prompt, false)?;
    let s = String::from_utf8(answer.to_vec())
        .map_err(|_| KeyError::Local("the answer is not valid UTF-8".to_string()))?;
    Ok(SecretString::from(s))
}

/// Ask a question whose answer is not secret (echo on). The caller holds
/// [`lock`].
pub fn read_line(prompt: &str) -> Result<String, KeyError> {
    let answer = ask(prompt, true)?;
    String::from_utf8(answer.to_vec())
        .map_err(|_| KeyError::Local("the answer is not valid UTF-8".to_string()))
}

#[cfg(unix)]
fn ask(prompt: &str, echo: bool) -> Result<Zeroizing<Vec<u8>>, KeyError> {
    use std::io::{Read, Write};
    use std::os::unix::io::AsRawFd;

    let mut tty = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open("/dev/tty")
        .map_err(|e| KeyError::Local(format!("there is no terminal to ask on (/dev/tty: {e})")))?;
    let fd = tty.as_raw_fd();
    // SAFETY: termios is plain data; tcgetattr fills it for a valid fd.
    let mut term: libc::termios = unsafe { std::mem::zeroed() };
    if unsafe { libc::tcgetattr(fd, &mut term) } != 0 {
        return Err(KeyError::Local(format!(
            "/dev/tty is not a terminal ({})",
            std::io::Error::last_os_error()
        )));
    }
    struct Restore {
        fd: i32,
        term: libc::termios,
    }
    impl Drop for Restore {
        fn drop(&mut self) {
            // SAFETY: restores the settings read above on the same fd.
            unsafe {
                libc::tcsetattr(self.fd, libc::TCSANOW, &self.term);
            }
        }
    }
    let _restore = Restore { fd, term };
    if !echo {
        let mut quiet = term;
        quiet.c_lflag &= !libc::ECHO;
        quiet.c_lflag |= libc::ICANON;
        // SAFETY: valid fd and a termios derived from the current one.
        if unsafe { libc::tcsetattr(fd, libc::TCSAFLUSH, &quiet) } != 0 {
            return Err(KeyError::Local(format!(
                "could not turn off echo on the terminal ({})",
                std::io::Error::last_os_error()
            )));
        }
    }
    tty.write_all(prompt.as_bytes())
        .and_then(|_| tty.flush())
        .map_err(|e| KeyError::Local(format!("could not write to the terminal: {e}")))?;
    let mut answer = Zeroizing::new(Vec::with_capacity(64));
    let mut byte = [0u8; 1];
    let mut ended = false;
    loop {
        match tty.read(&mut byte) {
            Ok(0) => break,
            Ok(_) if byte[0] == b'\n' => {
                ended = true;
                break;
            }
            Ok(_) => {
                if answer.len() >= MAX_ANSWER {
                    return Err(KeyError::Local("the answer is too long".into()));
                }
                answer.push(byte[0]);
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => {
                return Err(KeyError::Local(format!(
                    "could not read from the terminal: {e}"
                )))
            }
        }
    }
    zeroize::Zeroize::zeroize(&mut byte);
    if !echo {
        // The newline the user typed was not echoed.
        let _ = tty.write_all(b"\n");
    }
    if answer.last() == Some(&b'\r') {
        answer.pop();
    }
    if !ended && answer.is_empty() {
        return Err(KeyError::Local(
            "no answer was given (end of input on the terminal)".into(),
        ));
    }
    Ok(answer)
}

#[cfg(not(unix))]
fn ask(_prompt: &str, _echo: bool) -> Result<Zeroizing<Vec<u8>>, KeyError> {
    Err(KeyError::Local(
        "asking on the terminal is only supported on Unix".into(),
    ))
}
