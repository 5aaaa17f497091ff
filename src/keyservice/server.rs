//! `rsops keyservice`: a key service server for sops and rsops clients
//! (`--keyservice tcp://HOST:PORT`). Each request names one master key; the
//! server encrypts or decrypts the data key with this process's key
//! sources: age identities from the usual places (`SOPS_AGE_KEY_FILE`, …),
//! PGP through gpg, and the cloud key services with this process's
//! credentials.
//!
//! There is no TLS and no authentication, as in sops: whoever can connect
//! can decrypt with the server's keys. So a TCP address must be a loopback
//! one unless `--allow-remote` is given, and a unix socket is created
//! readable and writable by its owner only.

use std::net::{SocketAddr, ToSocketAddrs};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use tonic::{Request, Response, Status};
use zeroize::Zeroizing;

use super::proto::key_service_server::{KeyService, KeyServiceServer};
use super::proto::{DecryptRequest, DecryptResponse, EncryptRequest, EncryptResponse};
use crate::error::{Error, Result};
use crate::keys::from_proto;

/// What `rsops keyservice` was asked to do.
#[derive(Clone, Debug)]
pub struct Opts {
    /// `tcp` (also `tcp4`, `tcp6`) or `unix`.
    pub network: String,
    /// `HOST:PORT` for TCP, a socket path for unix.
    pub address: String,
    /// Ask on the terminal before answering each request.
    pub prompt: bool,
    /// Log each request (key type and name, never key material).
    pub verbose: bool,
    /// Allow a TCP address that is not a loopback one.
    pub allow_remote: bool,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Op {
    Encrypt,
    Decrypt,
}

impl Op {
    fn name(self) -> &'static str {
        match self {
            Op::Encrypt => "encrypt",
            Op::Decrypt => "decrypt",
        }
    }
}

struct Svc {
    prompt: bool,
    verbose: bool,
    /// Requests are answered one at a time: prompts do not interleave, and
    /// the key sources (gpg, the cloud clients' runtime) are used from one
    /// thread at a time.
    lock: Arc<Mutex<()>>,
}

fn log(msg: &str) {
    eprintln!("rsops keyservice: {msg}");
}

impl Svc {
    /// Answer one request on a blocking thread (the key sources block).
    async fn answer(
        &self,
        op: Op,
        peer: Option<SocketAddr>,
        key: Option<super::proto::Key>,
        data: Zeroizing<Vec<u8>>,
    ) -> std::result::Result<Zeroizing<Vec<u8>>, Status> {
        let (prompt, verbose, lock) = (self.prompt, self.verbose, self.lock.clone());
        tokio::task::spawn_blocking(move || {
            let _guard = lock.lock().unwrap_or_else(|e| e.into_inner());
            let from = peer.map(|p| format!(" from {p}")).unwrap_or_default();
            let r = answer(op, key, &data, prompt);
            if verbose {
                match &r {
                    Ok((name, _)) => log(&format!("{} request{from} with {name}: ok", op.name())),
                    Err((name, s)) => log(&format!(
                        "{} request{from} with {name}: failed: {}",
                        op.name(),
                        s.message()
                    )),
                }
            }
            r.map(|(_, out)| out).map_err(|(_, s)| s)
        })
        .await
        .map_err(|_| Status::internal("the request handler failed"))?
    }
}

type Answer = std::result::Result<(String, Zeroizing<Vec<u8>>), (String, Status)>;

fn answer(op: Op, key: Option<super::proto::Key>, data: &[u8], prompt: bool) -> Answer {
    let unnamed = || "no key".to_string();
    let Some(key) = key else {
        return Err((
            unnamed(),
            Status::invalid_argument("the request names no key"),
        ));
    };
    let enc = match op {
        Op::Encrypt => String::new(),
        Op::Decrypt => match std::str::from_utf8(data) {
            Ok(s) => s.to_string(),
            Err(_) => {
                return Err((
                    unnamed(),
                    Status::invalid_argument("the encrypted data key is not text"),
                ))
            }
        },
    };
    let Some(mut mk) = from_proto(&key, &enc) else {
        return Err((
            "an unknown key type".to_string(),
            Status::unimplemented(format!(
                "the request names no key of a type this key service supports ({})",
                crate::keys::sources()
                    .iter()
                    .map(|s| s.names().noun)
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
        ));
    };
    let name = mk.label();
    if prompt {
        if let Err(s) = ask(op, &name) {
            return Err((name, s));
        }
    }
    match op {
        Op::Encrypt => match mk.wrap(data) {
            Ok(()) => Ok((name, Zeroizing::new(mk.enc().as_bytes().to_vec()))),
            Err(e) => Err((name, Status::unknown(e.to_string()))),
        },
        Op::Decrypt => {
            // A fresh context per request: identities are read as sops
            // reads them, so a changed key file is picked up.
            let mut creds = crate::keys::Credentials::default();
            match mk.unwrap_key(&mut creds) {
                Ok(p) => Ok((name, p)),
                Err(e) => Err((
                    name.clone(),
                    Status::unknown(format!("could not decrypt the data key with {name}: {e}")),
                )),
            }
        }
    }
}

/// `--prompt`: ask on the terminal (stderr, stdin) whether to answer.
fn ask(op: Op, name: &str) -> std::result::Result<(), Status> {
    use std::io::{BufRead, Write};
    let stdin = std::io::stdin();
    loop {
        eprint!(
            "\nReceived {} request using {name}. Respond to request? (y/n): ",
            op.name()
        );
        let _ = std::io::stderr().flush();
        let mut line = String::new();
        match stdin.lock().read_line(&mut line) {
            Ok(0) | Err(_) => {
                return Err(Status::permission_denied(
                    "request rejected: no answer from the key service's terminal",
                ))
            }
            Ok(_) => {}
        }
        match line.trim() {
            "y" => return Ok(()),
            "n" => return Err(Status::permission_denied("Request rejected by user")),
            _ => {}
        }
    }
}

#[tonic::async_trait]
impl KeyService for Svc {
    async fn encrypt(
        &self,
        request: Request<EncryptRequest>,
    ) -> std::result::Result<Response<EncryptResponse>, Status> {
        let peer = request.remote_addr();
        let req = request.into_inner();
        let out = self
            .answer(Op::Encrypt, peer, req.key, Zeroizing::new(req.plaintext))
            .await?;
        Ok(Response::new(EncryptResponse {
            ciphertext: out.to_vec(),
        }))
    }

    async fn decrypt(
        &self,
        request: Request<DecryptRequest>,
    ) -> std::result::Result<Response<DecryptResponse>, Status> {
        let peer = request.remote_addr();
        let req = request.into_inner();
        let out = self
            .answer(Op::Decrypt, peer, req.key, Zeroizing::new(req.ciphertext))
            .await?;
        Ok(Response::new(DecryptResponse {
            plaintext: out.to_vec(),
        }))
    }
}

/// The addresses a TCP address names, IPv4 first (as Go listens).
fn tcp_addrs(network: &str, address: &str) -> Result<Vec<SocketAddr>> {
    let bad = |why: String| Error::generic(format!("invalid address {address:?}: {why}"));
    // Go accepts ":PORT" for every interface.
    let address_full = if address.starts_with(':') {
        if network == "tcp6" {
            format!("[::]{address}")
        } else {
            format!("0.0.0.0{address}")
        }
    } else {
        address.to_string()
    };
    let mut addrs: Vec<SocketAddr> = address_full
        .to_socket_addrs()
        .map_err(|e| bad(format!("{e} (expected HOST:PORT)")))?
        .filter(|a| match network {
            "tcp4" => a.is_ipv4(),
            "tcp6" => a.is_ipv6(),
            _ => true,
        })
        .collect();
    addrs.sort_by_key(|a| !a.is_ipv4());
    if addrs.is_empty() {
        return Err(bad(format!("no {network} address")));
    }
    Ok(addrs)
}

/// Refuse an address that other machines could reach, unless allowed.
fn check_loopback(address: &str, addrs: &[SocketAddr], allow_remote: bool) -> Result<()> {
    if allow_remote {
        return Ok(());
    }
    if let Some(a) = addrs.iter().find(|a| !a.ip().is_loopback()) {
        return Err(Error::generic(format!(
            "refusing to listen on {address} ({}): it is not a loopback address, and a key \
             service has no TLS and no authentication, so anyone who can connect could decrypt \
             with this machine's keys. Listen on 127.0.0.1 or a unix socket (and tunnel), or \
             pass --allow-remote to listen there anyway",
            a.ip()
        )));
    }
    Ok(())
}

enum Listener {
    Tcp(std::net::TcpListener),
    Unix(crate::platform::PrivateSocket, PathBuf),
}

fn bind(opts: &Opts) -> Result<Listener> {
    match opts.network.as_str() {
        "tcp" | "tcp4" | "tcp6" => {
            let addrs = tcp_addrs(&opts.network, &opts.address)?;
            check_loopback(&opts.address, &addrs, opts.allow_remote)?;
            let mut last = None;
            for a in &addrs {
                match std::net::TcpListener::bind(a) {
                    Ok(l) => return Ok(Listener::Tcp(l)),
                    Err(e) => last = Some(e),
                }
            }
            Err(Error::generic(format!(
                "cannot listen on tcp://{}: {}",
                opts.address,
                last.map(|e| e.to_string()).unwrap_or_default()
            )))
        }
        "unix" => {
            let path = PathBuf::from(&opts.address);
            if opts.address.is_empty() {
                return Err(Error::generic(
                    "--address must name a socket path for --network unix",
                ));
            }
            // Owner only: nobody else on the machine may use these keys.
            let l = crate::platform::bind_private_socket(&path).map_err(|e| {
                let hint = if e.kind() == std::io::ErrorKind::AddrInUse {
                    " (remove the file if no key service is running there)"
                } else {
                    ""
                };
                Error::generic(format!(
                    "cannot listen on unix://{}: {e}{hint}",
                    path.display()
                ))
            })?;
            Ok(Listener::Unix(l, path))
        }
        other => Err(Error::generic(format!(
            "unsupported network {other:?}: use tcp, tcp4, tcp6 or unix"
        ))),
    }
}

/// Run the key service until SIGINT or SIGTERM.
pub fn run(opts: &Opts) -> Result<()> {
    let listener = bind(opts)?;
    let socket = match &listener {
        Listener::Unix(_, p) => Some(p.clone()),
        Listener::Tcp(_) => None,
    };
    let r = serve(opts, listener);
    if let Some(p) = socket {
        let _ = std::fs::remove_file(p);
    }
    r
}

type ServeResult = std::result::Result<(), tonic::transport::Error>;

fn serve(opts: &Opts, listener: Listener) -> Result<()> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| {
            Error::with_source(
                crate::error::code::ERROR_GENERIC,
                "cannot start the async runtime",
                e,
            )
        })?;
    let svc = KeyServiceServer::new(Svc {
        prompt: opts.prompt,
        verbose: opts.verbose,
        lock: Arc::new(Mutex::new(())),
    });
    let fail = |e: &dyn std::fmt::Display| Error::generic(format!("key service: {e}"));
    let r = rt.block_on(async {
        let server = tonic::transport::Server::builder();
        let serving = match listener {
            Listener::Tcp(l) => {
                l.set_nonblocking(true).map_err(|e| fail(&e))?;
                let l = tokio::net::TcpListener::from_std(l).map_err(|e| fail(&e))?;
                let addr = l.local_addr().map_err(|e| fail(&e))?;
                log(&format!("listening on tcp://{addr}"));
                let incoming = tokio_stream::wrappers::TcpListenerStream::new(l);
                Box::pin(async move { server.serve_with_incoming(svc, incoming).await })
                    as std::pin::Pin<Box<dyn std::future::Future<Output = ServeResult>>>
            }
            #[cfg(not(unix))]
            Listener::Unix(l, _) => match l {},
            #[cfg(unix)]
            Listener::Unix(l, path) => {
                l.set_nonblocking(true).map_err(|e| fail(&e))?;
                let l = tokio::net::UnixListener::from_std(l).map_err(|e| fail(&e))?;
                log(&format!("listening on unix://{}", path.display()));
                let incoming = tokio_stream::wrappers::UnixListenerStream::new(l);
                Box::pin(async move { server.serve_with_incoming(svc, incoming).await })
            }
        };
        tokio::select! {
            r = serving => r.map_err(|e| fail(&e)),
            sig = crate::platform::stop_signal() => {
                log(&format!("caught {sig}: shutting down"));
                Ok(())
            }
        }
    });
    // Do not wait for a request still being answered (a pending prompt).
    rt.shutdown_background();
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_loopback_without_allow_remote() {
        let lo = tcp_addrs("tcp", "127.0.0.1:5000").unwrap();
        assert!(check_loopback("127.0.0.1:5000", &lo, false).is_ok());
        let v6 = tcp_addrs("tcp", "[::1]:5000").unwrap();
        assert!(check_loopback("[::1]:5000", &v6, false).is_ok());
        let any = tcp_addrs("tcp", ":5000").unwrap();
        let e = check_loopback(":5000", &any, false).unwrap_err();
        assert!(e.message().contains("--allow-remote"), "{}", e.message());
        assert!(check_loopback(":5000", &any, true).is_ok());
        let all = tcp_addrs("tcp", "0.0.0.0:5000").unwrap();
        assert!(check_loopback("0.0.0.0:5000", &all, false).is_err());
        assert!(tcp_addrs("tcp4", "[::1]:5000").is_err());
        assert!(tcp_addrs("tcp", "127.0.0.1").is_err());
    }
}
