//! Key service URIs (`--keyservice`, `SOPS_KEYSERVICE`), checked as sops
//! reads them in every build (without the `keyservice` feature, a URI is
//! accepted and fails on use, naming the feature).

use crate::keys::KeyError;

/// Check a key service URI as sops reads it: `tcp://HOST:PORT` (also
/// `tcp4://`, `tcp6://`) or `unix:///PATH` (also `unix:PATH`). Returns the
/// URI (for clap's value parser).
pub fn check_uri(uri: &str) -> Result<String, KeyError> {
    endpoint(uri).map(|_| uri.to_string())
}

/// The tonic endpoint for a key service URI.
pub(super) fn endpoint(uri: &str) -> Result<String, KeyError> {
    let bad = |why: &str| {
        KeyError::Invalid(format!(
            "invalid key service {uri:?}: {why} (expected tcp://HOST:PORT or unix:///PATH)"
        ))
    };
    let Some((scheme, rest)) = uri
        .split_once(':')
        .filter(|(s, _)| !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric()))
        .filter(|(s, _)| s.bytes().any(|b| b.is_ascii_alphabetic()))
    else {
        return Err(bad("no scheme"));
    };
    let endpoint = match scheme.to_ascii_lowercase().as_str() {
        "tcp" | "tcp4" | "tcp6" => {
            let Some(rest) = rest.strip_prefix("//") else {
                return Err(bad("no address"));
            };
            // sops uses the URI's host (with its port); any path is ignored.
            let host = rest.split(['/', '?', '#']).next().unwrap_or("");
            let host = host.rsplit_once('@').map_or(host, |(_, h)| h);
            let port = if host.starts_with('[') {
                host.rsplit_once("]:").map(|(_, p)| p)
            } else {
                host.rsplit_once(':').map(|(_, p)| p)
            };
            match port {
                Some(p) if !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()) => {}
                _ => return Err(bad("the address needs a port")),
            }
            if host.starts_with(':') {
                return Err(bad("the address needs a host"));
            }
            format!("http://{host}")
        }
        "unix" => {
            let path = rest.strip_prefix("//").unwrap_or(rest);
            let path = path.split(['?', '#']).next().unwrap_or("");
            if path.is_empty() {
                return Err(bad("no socket path"));
            }
            format!("unix:{path}")
        }
        _ => return Err(bad(&format!("unsupported network {scheme:?}"))),
    };
    #[cfg(feature = "keyservice")]
    tonic::transport::Endpoint::from_shared(endpoint.clone()).map_err(|e| bad(&e.to_string()))?;
    Ok(endpoint)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris() {
        let ok = |u: &str| endpoint(u).unwrap();
        assert_eq!(ok("tcp://127.0.0.1:5000"), "http://127.0.0.1:5000");
        assert_eq!(ok("tcp://localhost:5000/"), "http://localhost:5000");
        assert_eq!(ok("tcp://[::1]:5000"), "http://[::1]:5000");
        assert_eq!(ok("unix:///tmp/sops.sock"), "unix:/tmp/sops.sock");
        assert_eq!(ok("unix:/tmp/sops.sock"), "unix:/tmp/sops.sock");
        for bad in [
            "127.0.0.1:5000",
            "tcp://127.0.0.1",
            "tcp://:5000",
            "tcp://[::1]",
            "http://127.0.0.1:5000",
            "unix://",
            "tcp:127.0.0.1:5000",
        ] {
            assert!(check_uri(bad).is_err(), "{bad}");
        }
    }
}
