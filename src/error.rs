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

/// What failed, for the few errors a caller words differently from the
/// rest of their exit code's class.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Kind {
    #[default]
    Other,
    /// Something sops' tree walker cannot handle: a map key that is not a
    /// string, an integer beyond the signed 64-bit range. rsops finds it
    /// while reading the document, sops when it walks the tree to encrypt
    /// it (exit code 23, `Error encrypting tree: Error walking tree: …`) or
    /// to decrypt it (25, `Error decrypting tree: …`). See
    /// [`Error::unwalkable`].
    Unwalkable,
}

/// An error with sops' exit code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    pub code: i32,
    pub msg: String,
    pub kind: Kind,
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn new(code: i32, msg: impl Into<String>) -> Self {
        Error {
            code,
            msg: msg.into(),
            kind: Kind::Other,
        }
    }
    /// A document sops' tree walker cannot walk ([`Kind::Unwalkable`]):
    /// exit code 23, as sops encrypting it (where such documents come
    /// from); see [`Error::in_walk`] for the decrypting side.
    pub fn unwalkable(msg: impl fmt::Display) -> Self {
        Error {
            code: code::ERROR_ENCRYPTING_TREE,
            msg: format!("Error walking tree: {msg}"),
            kind: Kind::Unwalkable,
        }
    }
    /// An [`Kind::Unwalkable`] error met reading `file` to encrypt it
    /// (`decrypting` false: exit code 23) or an encrypted file (true: 25),
    /// worded as sops words its tree walker's errors. Other errors are
    /// returned unchanged.
    pub fn in_walk(self, decrypting: bool, file: &str) -> Self {
        if self.kind != Kind::Unwalkable {
            return self;
        }
        let (code, what) = if decrypting {
            (code::ERROR_DECRYPTING_TREE, "decrypting")
        } else {
            (code::ERROR_ENCRYPTING_TREE, "encrypting")
        };
        Error {
            code,
            msg: format!("Error {what} tree: {} (in {file})", self.msg),
            kind: Kind::Unwalkable,
        }
    }
    pub fn generic(msg: impl Into<String>) -> Self {
        Error::new(code::ERROR_GENERIC, msg)
    }
    /// Prefix the message with context (a file name, a path), keeping the code.
    pub fn context(mut self, ctx: impl fmt::Display) -> Self {
        self.msg = format!("{ctx}: {}", self.msg);
        self
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.msg)
    }
}

impl std::error::Error for Error {}
