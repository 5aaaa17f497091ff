//! A connection to a remote key service (`--keyservice URI`), made on first
//! use and kept for the rest of the run. Calls are plain gRPC over HTTP/2
//! without TLS, as in sops: use loopback addresses, unix sockets or a
//! tunnel.

use crate::keys::KeyError;
use std::sync::OnceLock;
use std::time::Duration;

use tonic::transport::{Channel, Endpoint};
use zeroize::Zeroizing;

use super::proto;
use super::proto::key_service_client::KeyServiceClient;
use super::uri::endpoint;

/// How long to wait for a connection to a key service.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// One remote key service.
pub struct Remote {
    uri: String,
    /// The tonic endpoint, or why the URI is invalid (reported on use).
    endpoint: Result<String, KeyError>,
    client: Option<KeyServiceClient<Channel>>,
}

impl std::fmt::Debug for Remote {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Remote").field("uri", &self.uri).finish()
    }
}

static RUNTIME: OnceLock<Result<tokio::runtime::Runtime, KeyError>> = OnceLock::new();

/// Run a call on the process-wide runtime; calls from several threads (bulk
/// operations) take turns.
fn block_on<F: std::future::Future>(f: F) -> Result<F::Output, KeyError> {
    static TURN: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let _turn = TURN.lock().unwrap_or_else(|e| e.into_inner());
    let rt = RUNTIME.get_or_init(|| {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| {
                KeyError::Service(format!(
                    "cannot start the async runtime for key services: {e}"
                ))
            })
    });
    match rt {
        Ok(rt) => Ok(rt.block_on(f)),
        Err(e) => Err(e.clone()),
    }
}

impl Remote {
    /// A key service named by its URI; an invalid URI fails on use.
    pub fn new(uri: &str) -> Remote {
        Remote {
            uri: uri.to_string(),
            endpoint: endpoint(uri),
            client: None,
        }
    }

    pub fn uri(&self) -> &str {
        &self.uri
    }

    async fn client(&mut self) -> Result<KeyServiceClient<Channel>, KeyError> {
        if let Some(c) = &self.client {
            return Ok(c.clone());
        }
        let ep = Endpoint::from_shared(self.endpoint.clone()?)
            .map_err(|e| KeyError::Service(format!("invalid address: {e}")))?
            .connect_timeout(CONNECT_TIMEOUT);
        let channel = ep
            .connect()
            .await
            .map_err(|e| KeyError::Service(format!("cannot connect: {}", error_chain(&e))))?;
        let c = KeyServiceClient::new(channel);
        self.client = Some(c.clone());
        Ok(c)
    }

    /// Ask the service to encrypt `plaintext` with `key`; returns the
    /// encrypted data key as it is stored in a file.
    pub fn encrypt(&mut self, key: &proto::Key, plaintext: &[u8]) -> Result<Vec<u8>, KeyError> {
        let req = proto::EncryptRequest {
            key: Some(key.clone()),
            plaintext: plaintext.to_vec(),
        };
        block_on(async {
            let mut c = self.client().await?;
            c.encrypt(tonic::Request::new(req))
                .await
                .map(|r| r.into_inner().ciphertext)
                .map_err(|s| KeyError::Service(status_text(&s)))
        })
        .and_then(|r| r)
    }

    /// Ask the service to decrypt a stored encrypted data key.
    pub fn decrypt(
        &mut self,
        key: &proto::Key,
        ciphertext: &[u8],
    ) -> Result<Zeroizing<Vec<u8>>, KeyError> {
        let req = proto::DecryptRequest {
            key: Some(key.clone()),
            ciphertext: ciphertext.to_vec(),
        };
        block_on(async {
            let mut c = self.client().await?;
            c.decrypt(tonic::Request::new(req))
                .await
                .map(|r| Zeroizing::new(r.into_inner().plaintext))
                .map_err(|s| KeyError::Service(status_text(&s)))
        })
        .and_then(|r| r)
    }
}

/// An error and its causes, joined: tonic's transport errors say little
/// at the top level ("transport error") and the cause underneath.
fn error_chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut out = e.to_string();
    let mut src = e.source();
    while let Some(s) = src {
        let t = s.to_string();
        if !out.contains(&t) {
            out.push_str(": ");
            out.push_str(&t);
        }
        src = s.source();
    }
    out
}

/// A gRPC error as the user should read it: the service's message, and the
/// code when the message alone does not say what happened.
fn status_text(s: &tonic::Status) -> String {
    use tonic::Code;
    let msg = s.message().trim();
    match s.code() {
        Code::Unknown if !msg.is_empty() => msg.to_string(),
        Code::Unavailable => format!("unavailable: {msg}"),
        code if msg.is_empty() => format!("{code:?}"),
        code => format!("{msg} ({code:?})"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_uris_fail_on_use() {
        assert!(Remote::new("tcp://127.0.0.1").endpoint.is_err());
        assert!(Remote::new("tcp://127.0.0.1:5000").endpoint.is_ok());
    }
}
