//! Errors carry sops' exit code for their failure class and a message that
//! says what went wrong and, where possible, what to do.

use std::fmt;

/// sops' exit statuses (cmd/sops/codes).
pub mod code {
    pub const ERROR_GENERIC: i32 = 1;
    pub const COULD_NOT_READ_INPUT_FILE: i32 = 2;
    pub const COULD_NOT_WRITE_OUTPUT_FILE: i32 = 3;
    pub const ERROR_DUMPING_TREE: i32 = 4;
    pub const ERROR_READING_CONFIG: i32 = 5;
    pub const ERROR_INVALID_KMS_ENCRYPTION_CONTEXT_FORMAT: i32 = 6;
    pub const ERROR_INVALID_SET_FORMAT: i32 = 7;
    pub const ERROR_CONFLICTING_PARAMETERS: i32 = 8;
    pub const ERROR_ENCRYPTING_MAC: i32 = 21;
    pub const ERROR_ENCRYPTING_TREE: i32 = 23;
    pub const ERROR_DECRYPTING_MAC: i32 = 24;
    pub const ERROR_DECRYPTING_TREE: i32 = 25;
    pub const CANNOT_CHANGE_KEYS_FROM_NON_EXISTENT_FILE: i32 = 49;
    pub const MAC_MISMATCH: i32 = 51;
    pub const MAC_NOT_FOUND: i32 = 52;
    pub const CONFIG_FILE_NOT_FOUND: i32 = 61;
    pub const KEYBOARD_INTERRUPT: i32 = 85;
    pub const INVALID_TREE_PATH_FORMAT: i32 = 91;
    pub const NEED_AT_LEAST_ONE_DOCUMENT: i32 = 92;
    pub const NO_FILE_SPECIFIED: i32 = 100;
    pub const COULD_NOT_RETRIEVE_KEY: i32 = 128;
    pub const NO_ENCRYPTION_KEY_FOUND: i32 = 111;
    pub const DUPLICATE_DECRYPTION_KEY_TYPE: i32 = 112;
    pub const FILE_HAS_NOT_BEEN_MODIFIED: i32 = 200;
    pub const NO_EDITOR_FOUND: i32 = 201;
    pub const FAILED_TO_COMPARE_VERSIONS: i32 = 202;
    pub const FILE_ALREADY_ENCRYPTED: i32 = 203;
}

/// An error of the library or the command: sops' exit code for its
/// failure class, a message saying what failed (which file, which entry)
/// and, where a lower layer failed, that failure as its
/// [`source`](std::error::Error::source).
///
/// The exit code is decided once, where the failure is classified (the
/// layer that knows the operation: reading the plaintext to encrypt,
/// loading an encrypted file, writing the output…); adding context
/// ([`Error::context`]) keeps it. `Display` shows this error's own message;
/// [`Error::report`] adds the causes, as the `rsops` command prints them.
///
/// `std::error::Error` is implemented by hand rather than derived: an
/// error made by [`Error::from_source`] is transparent (its message and
/// causes are its source's), which thiserror's attributes cannot say of a
/// struct that also holds an exit code. The lower layers' errors are
/// thiserror types.
#[derive(Debug)]
pub struct Error {
    code: i32,
    /// `None`: the message is the source's ([`Error::from_source`]).
    msg: Option<String>,
    source: Option<Box<dyn std::error::Error + Send + Sync + 'static>>,
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// An error with exit code `code` and no cause.
    pub fn new(code: i32, msg: impl Into<String>) -> Self {
        Error {
            code,
            msg: Some(msg.into()),
            source: None,
        }
    }
    /// An error with exit code `code` caused by `source` (a lower layer's
    /// error): `msg` says what was being done, the source what went wrong.
    pub fn with_source(
        code: i32,
        msg: impl Into<String>,
        source: impl std::error::Error + Send + Sync + 'static,
    ) -> Self {
        Error {
            code,
            msg: Some(msg.into()),
            source: Some(Box::new(source)),
        }
    }
    /// A lower layer's error as it is (its message and causes), given the
    /// exit code of the operation that met it.
    pub fn from_source(code: i32, source: impl std::error::Error + Send + Sync + 'static) -> Self {
        Error {
            code,
            msg: None,
            source: Some(Box::new(source)),
        }
    }
    /// Exit code 1 ([`code::ERROR_GENERIC`]).
    pub fn generic(msg: impl Into<String>) -> Self {
        Error::new(code::ERROR_GENERIC, msg)
    }
    /// Exit code 1 ([`code::ERROR_GENERIC`]) for a lower layer's error,
    /// shown as it is.
    pub fn generic_from(source: impl std::error::Error + Send + Sync + 'static) -> Self {
        Error::from_source(code::ERROR_GENERIC, source)
    }
    /// Prefix the message with context (a file name, a path), keeping the
    /// code and the cause.
    pub fn context(mut self, ctx: impl fmt::Display) -> Self {
        self.msg = Some(match self.msg.take() {
            Some(m) => format!("{ctx}: {m}"),
            // The source's message now follows the context as a cause.
            None => ctx.to_string(),
        });
        self
    }
    /// sops' exit code for this failure.
    pub fn code(&self) -> i32 {
        self.code
    }
    /// The message with its causes: what the command prints (see
    /// [`Error::report`]).
    pub fn message(&self) -> String {
        self.report().to_string()
    }
    /// The message followed by its causes, as the command prints it.
    pub fn report(&self) -> Report<'_> {
        Report(self)
    }
    /// The lower layer's error this one was made of, when it is an `E`.
    pub fn source_as<E: std::error::Error + 'static>(&self) -> Option<&E> {
        self.source.as_deref().and_then(|s| s.downcast_ref::<E>())
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.msg, &self.source) {
            (Some(m), _) => f.write_str(m),
            (None, Some(s)) => s.fmt(f),
            (None, None) => Ok(()),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        let s = self.source.as_deref()?;
        if self.msg.is_some() {
            Some(s)
        } else {
            s.source()
        }
    }
}

/// An error and its causes in one line, `outer: cause: cause`; a cause
/// whose text the line already holds is not repeated.
pub struct Report<'a>(pub &'a (dyn std::error::Error + 'static));

impl fmt::Display for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut line = self.0.to_string();
        let mut cause = self.0.source();
        while let Some(c) = cause {
            let text = c.to_string();
            if !text.is_empty() && !line.contains(&text) {
                if !line.is_empty() {
                    line.push_str(": ");
                }
                line.push_str(&text);
            }
            cause = c.source();
        }
        f.write_str(&line)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keys::KeyError;

    #[test]
    fn the_code_is_kept_and_the_causes_follow() {
        let io = std::io::Error::new(std::io::ErrorKind::NotFound, "no such file");
        let e = Error::with_source(code::COULD_NOT_READ_INPUT_FILE, "cannot read a.yaml", io)
            .context("step one");
        assert_eq!(e.code(), code::COULD_NOT_READ_INPUT_FILE);
        assert_eq!(e.to_string(), "step one: cannot read a.yaml");
        assert_eq!(e.message(), "step one: cannot read a.yaml: no such file");
        let cause = std::error::Error::source(&e).map(ToString::to_string);
        assert_eq!(cause.as_deref(), Some("no such file"));
    }

    #[test]
    fn a_transparent_error_shows_its_source() {
        let e = Error::from_source(
            code::COULD_NOT_RETRIEVE_KEY,
            KeyError::NoCredentials("no age identity found".into()),
        );
        assert_eq!(e.code(), code::COULD_NOT_RETRIEVE_KEY);
        assert_eq!(e.message(), "no age identity found");
        assert!(matches!(
            e.source_as::<KeyError>(),
            Some(KeyError::NoCredentials(_))
        ));
        // Context turns the source into a cause after it.
        let e = e.context("f.yaml");
        assert_eq!(e.message(), "f.yaml: no age identity found");
        assert!(e.source_as::<KeyError>().is_some());
    }

    #[test]
    fn a_cause_already_in_the_message_is_not_repeated() {
        let k = KeyError::Service("HTTP 403".into());
        let e = Error::with_source(code::ERROR_GENERIC, format!("KMS said {k}"), k);
        assert_eq!(e.message(), "KMS said HTTP 403");
    }
}
