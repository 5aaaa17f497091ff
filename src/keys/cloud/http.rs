//! The network half of [`super`]: the runtime, the connector, requests,
//! answers and their error wording. Built with any cloud key service.

// A toolkit shared by the kinds: a build without some of them (see
// Cargo.toml's features) leaves some helpers unused. The full build still
// reports any helper no kind uses.
#![cfg_attr(
    not(all(
        feature = "aws",
        feature = "gcp",
        feature = "azure",
        feature = "vault",
        feature = "huaweicloud"
    )),
    allow(dead_code)
)]

use crate::keys::KeyError;
use std::future::Future;
use std::sync::OnceLock;
use std::time::Duration;

use aws_smithy_http_client::tls::{rustls_provider::CryptoMode, Provider};
use aws_smithy_runtime_api::client::http::{
    HttpConnector, HttpConnectorSettings, SharedHttpClient,
};

use super::{env, pct};

/// The largest answer body read from any service (key services answer with
/// a few kilobytes); a larger one is an error, so a broken or hostile
/// endpoint cannot exhaust memory.
pub const MAX_RESPONSE_BYTES: usize = 1 << 20;

/// How long to wait for a TCP/TLS connection and for a response.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
const READ_TIMEOUT: Duration = Duration::from_secs(60);

static RUNTIME: OnceLock<Result<tokio::runtime::Runtime, KeyError>> = OnceLock::new();

/// Run a future to completion on the process-wide current-thread runtime.
pub fn block_on<F: Future>(f: F) -> Result<F::Output, KeyError> {
    let rt = RUNTIME.get_or_init(|| {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| {
                KeyError::Local(format!(
                    "cannot start the async runtime for network key services: {e}"
                ))
            })
    });
    match rt {
        Ok(rt) => Ok(rt.block_on(f)),
        Err(e) => Err(e.clone()),
    }
}

fn settings() -> HttpConnectorSettings {
    HttpConnectorSettings::builder()
        .connect_timeout(CONNECT_TIMEOUT)
        .read_timeout(READ_TIMEOUT)
        .build()
}

/// The HTTP client handed to the AWS SDK: rustls with ring (so no second
/// TLS or crypto stack is built) and the proxy settings of the environment.
pub fn aws_http_client() -> SharedHttpClient {
    static CLIENT: OnceLock<SharedHttpClient> = OnceLock::new();
    CLIENT
        .get_or_init(|| {
            aws_smithy_http_client::Builder::new().build_with_connector_fn(
                |settings, components| {
                    let mut b = aws_smithy_http_client::Connector::builder();
                    b.set_connector_settings(settings.cloned());
                    if let Some(c) = components {
                        b.set_sleep_impl(c.sleep_impl());
                    }
                    b.proxy_config(aws_smithy_http_client::proxy::ProxyConfig::from_env())
                        .tls_provider(Provider::Rustls(CryptoMode::Ring))
                        .build()
                },
            )
        })
        .clone()
}

fn build_connector(extra_ca_pem: Option<Vec<u8>>) -> aws_smithy_http_client::Connector {
    use aws_smithy_http_client::tls::{TlsContext, TrustStore};
    let mut trust = TrustStore::default();
    if let Some(pem) = extra_ca_pem {
        trust = trust.with_pem_certificate(pem);
    }
    let tls = TlsContext::builder()
        .with_trust_store(trust)
        .build()
        .unwrap_or_default();
    aws_smithy_http_client::Connector::builder()
        .connector_settings(settings())
        .sleep_impl(aws_smithy_async::rt::sleep::TokioSleep::new())
        .proxy_config(aws_smithy_http_client::proxy::ProxyConfig::from_env())
        .tls_provider(Provider::Rustls(CryptoMode::Ring))
        .tls_context(tls)
        .build()
}

/// Which trust roots a request uses.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Trust {
    /// The system roots (with `SSL_CERT_FILE`/`SSL_CERT_DIR`).
    System,
    /// The system roots plus the CA in `VAULT_CACERT`, as Vault's client does.
    Vault,
}

fn connector(trust: Trust) -> Result<&'static aws_smithy_http_client::Connector, KeyError> {
    static SYSTEM: OnceLock<aws_smithy_http_client::Connector> = OnceLock::new();
    static VAULT: OnceLock<Result<aws_smithy_http_client::Connector, KeyError>> = OnceLock::new();
    match (trust, env("VAULT_CACERT")) {
        (Trust::Vault, Some(path)) => VAULT
            .get_or_init(|| {
                let pem = std::fs::read(&path).map_err(|e| {
                    KeyError::Local(format!("cannot read VAULT_CACERT {path}: {e}"))
                })?;
                Ok(build_connector(Some(pem)))
            })
            .as_ref()
            .map_err(|e| e.clone()),
        _ => Ok(SYSTEM.get_or_init(|| build_connector(None))),
    }
}

/// A response: status and body.
pub struct Response {
    pub status: u16,
    pub body: Vec<u8>,
}

impl Response {
    pub fn json(&self) -> Result<serde_json::Value, KeyError> {
        serde_json::from_slice(&self.body).map_err(|_| {
            KeyError::Service(format!(
                "the service answered with HTTP {} and a body that is not JSON ({} bytes)",
                self.status,
                self.body.len()
            ))
        })
    }
}

/// Send one request. `url` is absolute (http or https); `headers` are added
/// as given. Network failures are described as such (host unreachable,
/// timeout, TLS), never with the request body.
pub async fn send(
    method: &str,
    url: &str,
    headers: &[(&str, &str)],
    body: Vec<u8>,
) -> Result<Response, KeyError> {
    send_trusting(Trust::System, method, url, headers, body).await
}

/// [`send`] with a choice of trust roots.
pub async fn send_trusting(
    trust: Trust,
    method: &str,
    url: &str,
    headers: &[(&str, &str)],
    body: Vec<u8>,
) -> Result<Response, KeyError> {
    use aws_smithy_types::body::SdkBody;
    let host = host_of(url);
    let mut req = aws_smithy_runtime_api::http::Request::new(SdkBody::from(body));
    req.set_method(method)
        .map_err(|e| KeyError::Service(format!("invalid HTTP method {method}: {e}")))?;
    req.set_uri(url)
        .map_err(|_| KeyError::Service(format!("invalid URL {url:?}")))?;
    for (k, v) in headers {
        req.headers_mut().insert(k.to_string(), v.to_string());
    }
    if !headers
        .iter()
        .any(|(k, _)| k.eq_ignore_ascii_case("user-agent"))
    {
        req.headers_mut()
            .insert("user-agent", concat!("rsops/", env!("CARGO_PKG_VERSION")));
    }
    let resp = connector(trust)?.call(req).await.map_err(|e| {
        let detail = error_chain(&e);
        KeyError::Service(if e.is_timeout() {
            format!("network error: {host} did not answer in time ({detail})")
        } else if e.is_io() {
            format!("network error: {host} is unreachable ({detail})")
        } else {
            format!("network error talking to {host}: {detail}")
        })
    })?;
    let status = resp.status().as_u16();
    let too_big = || {
        format!(
            "the answer of {host} is larger than {} MiB, more than any key service sends; \
             rsops stopped reading it (a broken or hostile endpoint)",
            MAX_RESPONSE_BYTES >> 20
        )
    };
    let announced = resp
        .headers()
        .get("content-length")
        .and_then(|v| v.trim().parse::<u64>().ok());
    if announced.is_some_and(|n| n > MAX_RESPONSE_BYTES as u64) {
        return Err(KeyError::Service(too_big()));
    }
    let mut stream = aws_smithy_types::byte_stream::ByteStream::new(resp.into_body());
    let mut body = Vec::new();
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(|e| {
            KeyError::Service(format!("network error reading the answer of {host}: {e}"))
        })?;
        if body.len() + chunk.len() > MAX_RESPONSE_BYTES {
            return Err(KeyError::Service(too_big()));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(Response { status, body })
}

/// POST (or PUT) a JSON document and return the answer.
pub async fn send_json(
    method: &str,
    url: &str,
    headers: &[(&str, &str)],
    doc: &serde_json::Value,
) -> Result<Response, KeyError> {
    send_json_trusting(Trust::System, method, url, headers, doc).await
}

/// [`send_json`] with a choice of trust roots.
pub async fn send_json_trusting(
    trust: Trust,
    method: &str,
    url: &str,
    headers: &[(&str, &str)],
    doc: &serde_json::Value,
) -> Result<Response, KeyError> {
    let mut h: Vec<(&str, &str)> = vec![
        ("content-type", "application/json"),
        ("accept", "application/json"),
    ];
    h.extend_from_slice(headers);
    send_trusting(trust, method, url, &h, doc.to_string().into_bytes()).await
}

/// POST an `application/x-www-form-urlencoded` body (OAuth2 token requests).
pub async fn send_form(
    url: &str,
    headers: &[(&str, &str)],
    fields: &[(&str, &str)],
) -> Result<Response, KeyError> {
    let body = form_encode(fields);
    let mut h: Vec<(&str, &str)> = vec![
        ("content-type", "application/x-www-form-urlencoded"),
        ("accept", "application/json"),
    ];
    h.extend_from_slice(headers);
    send("POST", url, &h, body.into_bytes()).await
}

/// An error and its sources, `outer: inner: …`, without debug dumps
/// (repeated messages are written once).
pub fn error_chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut cur: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(err) = cur {
        let s = err.to_string();
        if !s.is_empty() && !parts.iter().any(|p| p.contains(&s)) {
            parts.push(s);
        }
        cur = err.source();
    }
    parts.join(": ")
}

/// What an HTTP error status means for a key operation.
pub fn status_meaning(status: u16) -> &'static str {
    match status {
        400 => "the request was rejected",
        401 => "authentication failed (missing, invalid or expired credentials)",
        403 => "access denied",
        404 => "key not found",
        408 | 504 => "the service timed out",
        429 => "the request was throttled",
        500..=599 => "the service failed",
        _ => "unexpected answer",
    }
}

/// Pull a human-readable message out of a JSON error body (GCP
/// `error.message`, Azure `error.message`, Vault `errors[]`, OAuth2
/// `error_description`), cut to a sane length. Never echoes request data.
pub fn error_detail(body: &[u8]) -> String {
    let text = match serde_json::from_slice::<serde_json::Value>(body) {
        Ok(v) => {
            let pick = |p: &str| v.pointer(p).and_then(|x| x.as_str()).map(str::to_string);
            pick("/error/message")
                .or_else(|| pick("/error_description"))
                .or_else(|| {
                    v.get("errors").and_then(|e| e.as_array()).map(|a| {
                        a.iter()
                            .filter_map(|x| x.as_str())
                            .collect::<Vec<_>>()
                            .join("; ")
                    })
                })
                .or_else(|| pick("/error/code"))
                .or_else(|| pick("/error"))
                .or_else(|| pick("/message"))
                .unwrap_or_default()
        }
        Err(_) => String::new(),
    };
    let text = text.trim().replace(['\n', '\r'], " ");
    if text.chars().count() > 300 {
        let cut: String = text.chars().take(300).collect();
        format!("{cut}…")
    } else {
        text
    }
}

/// `HTTP 403 (access denied): detail`.
pub fn http_failure(resp: &Response) -> String {
    let detail = error_detail(&resp.body);
    if detail.is_empty() {
        format!("HTTP {} ({})", resp.status, status_meaning(resp.status))
    } else {
        format!(
            "HTTP {} ({}): {detail}",
            resp.status,
            status_meaning(resp.status)
        )
    }
}

/// `k=v&k2=v2` with RFC 3986 percent-encoding.
pub fn form_encode(fields: &[(&str, &str)]) -> String {
    fields
        .iter()
        .map(|(k, v)| format!("{}={}", pct(k), pct(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// `scheme://host[:port]` of a URL, for messages.
pub fn host_of(url: &str) -> String {
    let rest = url.split_once("://").map(|(_, r)| r).unwrap_or(url);
    let host = rest.split(['/', '?', '#']).next().unwrap_or(rest);
    // Drop any user:password@ part.
    host.rsplit_once('@')
        .map(|(_, h)| h)
        .unwrap_or(host)
        .to_string()
}

/// Seconds since the Unix epoch.
pub fn unix_now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_forms_and_hosts() {
        assert_eq!(
            form_encode(&[("a", "b c"), ("x", "1/2+3=")]),
            "a=b%20c&x=1%2F2%2B3%3D"
        );
        assert_eq!(
            host_of("https://u:p@vault.example:8200/v1/x"),
            "vault.example:8200"
        );
        assert_eq!(host_of("http://127.0.0.1:1"), "127.0.0.1:1");
    }

    /// Serve one canned HTTP answer on 127.0.0.1 and return the URL.
    fn serve_once(answer: Vec<u8>) -> String {
        use std::io::{Read, Write};
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}/x", l.local_addr().unwrap());
        std::thread::spawn(move || {
            if let Ok((mut s, _)) = l.accept() {
                let mut buf = [0u8; 4096];
                let _ = s.read(&mut buf);
                let _ = s.write_all(&answer);
            }
        });
        url
    }

    #[test]
    fn answers_larger_than_the_cap_are_refused() {
        let big = vec![b'a'; MAX_RESPONSE_BYTES + 1];
        // Announced with Content-Length.
        let mut answer = format!(
            "HTTP/1.1 200 OK\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
            big.len()
        )
        .into_bytes();
        answer.extend_from_slice(&big);
        let url = serve_once(answer);
        let e = block_on(send("GET", &url, &[], vec![]))
            .unwrap()
            .err()
            .unwrap();
        assert!(e.to_string().contains("larger than 1 MiB"), "{e}");
        // Streamed without a length (read until close).
        let mut answer = b"HTTP/1.1 200 OK\r\nconnection: close\r\n\r\n".to_vec();
        answer.extend_from_slice(&big);
        let url = serve_once(answer);
        let e = block_on(send("GET", &url, &[], vec![]))
            .unwrap()
            .err()
            .unwrap();
        assert!(e.to_string().contains("larger than 1 MiB"), "{e}");
        // A body of exactly the cap is read.
        let ok = vec![b'b'; MAX_RESPONSE_BYTES];
        let mut answer = format!(
            "HTTP/1.1 200 OK\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
            ok.len()
        )
        .into_bytes();
        answer.extend_from_slice(&ok);
        let url = serve_once(answer);
        let r = block_on(send("GET", &url, &[], vec![])).unwrap().unwrap();
        assert_eq!((r.status, r.body.len()), (200, MAX_RESPONSE_BYTES));
    }

    #[test]
    fn error_details_from_services() {
        assert_eq!(
            error_detail(br#"{"errors":["permission denied"]}"#),
            "permission denied"
        );
        assert_eq!(
            error_detail(br#"{"error":{"code":403,"message":"Permission denied on key","status":"PERMISSION_DENIED"}}"#),
            "Permission denied on key"
        );
        assert_eq!(
            error_detail(br#"{"error":"invalid_grant","error_description":"Bad"}"#),
            "Bad"
        );
        assert_eq!(error_detail(b"not json"), "");
    }
}
