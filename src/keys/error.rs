//! What a key source reports when it cannot use a key.

/// Why a master key could not be read, checked, or used to wrap or unwrap
/// a data key. Messages name the key (its public name, never material)
/// and, where one helps, what to do. The exit code is decided by the
/// operation that needed the key ([`crate::datakey`], the commands), not
/// here.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyError {
    /// A key entry, key name or setting that is not well-formed: a field
    /// missing or of the wrong type, an ID or URL that does not parse.
    #[error("{0}")]
    Invalid(String),
    /// A rule refused what a file or a setting names: a host or address
    /// that is not allowed, plain HTTP, a size beyond the limits. Nothing
    /// was sent.
    #[error("{0}")]
    Refused(String),
    /// Nothing to authenticate with: no identity, token or credential was
    /// found where the source looks for them.
    #[error("{0}")]
    NoCredentials(String),
    /// The key's service (a KMS, Vault, gpg, a key service) could not be
    /// reached or answered with an error.
    #[error("{0}")]
    Service(String),
    /// The wrapped data key could not be unwrapped with the identities at
    /// hand, or the data key could not be wrapped.
    #[error("{0}")]
    Crypto(String),
    /// Something on this machine failed: a terminal prompt, a program to
    /// run, the runtime for network calls.
    #[error("{0}")]
    Local(String),
    /// This build has no client for the key's kind: the Cargo feature that
    /// brings it was left out (the message names it).
    #[error("{0}")]
    NotBuilt(String),
}

impl KeyError {
    /// The same error with its message prefixed (the key, the setting).
    pub fn context(self, ctx: impl std::fmt::Display) -> KeyError {
        self.map(|m| format!("{ctx}: {m}"))
    }

    /// The same kind of error with its message rewritten.
    pub fn map(self, f: impl FnOnce(String) -> String) -> KeyError {
        match self {
            KeyError::Invalid(m) => KeyError::Invalid(f(m)),
            KeyError::Refused(m) => KeyError::Refused(f(m)),
            KeyError::NoCredentials(m) => KeyError::NoCredentials(f(m)),
            KeyError::Service(m) => KeyError::Service(f(m)),
            KeyError::Crypto(m) => KeyError::Crypto(f(m)),
            KeyError::Local(m) => KeyError::Local(f(m)),
            KeyError::NotBuilt(m) => KeyError::NotBuilt(f(m)),
        }
    }
}

/// What the key sources return.
pub type KeyResult<T> = std::result::Result<T, KeyError>;
