//! Machinery shared by the cloud key services (AWS KMS, GCP KMS, Azure Key
//! Vault, HashiCorp Vault, HuaweiCloud KMS). Always built: the small text
//! helpers their entries' checks use (DNS names, percent-encoding, the
//! environment). With any cloud feature, [`http`] adds one tokio
//! current-thread runtime per process, created on first use; one HTTP(S)
//! connector (the AWS SDK's hyper client with rustls and ring, trusting the
//! system roots, `SSL_CERT_FILE` and `SSL_CERT_DIR`, honouring
//! `HTTPS_PROXY`/`HTTP_PROXY`/`NO_PROXY`); a small JSON-over-HTTP helper;
//! and error wording that names the cause without ever including a secret.

#[cfg(feature = "__cloud")]
mod http;
// (`__cloud` alone, an internal feature, builds it for no kind.)
#[cfg(any(
    feature = "aws",
    feature = "gcp",
    feature = "azure",
    feature = "vault",
    feature = "huaweicloud"
))]
pub use http::*;

/// Percent-encode everything but RFC 3986 unreserved characters.
pub fn pct(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// One DNS label: 1 to 63 ASCII letters, digits and hyphens, neither
/// starting nor ending with a hyphen.
pub fn is_dns_label(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 63
        && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        && !s.starts_with('-')
        && !s.ends_with('-')
}

/// A DNS name of one or more labels (no trailing dot).
pub fn is_dns_name(s: &str) -> bool {
    !s.is_empty() && s.len() <= 253 && s.split('.').all(is_dns_label)
}

/// Read a non-empty environment variable.
pub fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

/// The user's home directory ($HOME).
pub fn home() -> Option<std::path::PathBuf> {
    env("HOME").map(std::path::PathBuf::from)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dns_names() {
        assert!(is_dns_label("my-vault1"));
        assert!(!is_dns_label(""));
        assert!(!is_dns_label("-a"));
        assert!(!is_dns_label("a-"));
        assert!(!is_dns_label("a_b"));
        assert!(!is_dns_label(&"a".repeat(64)));
        assert!(is_dns_name("vault.azure.net"));
        assert!(!is_dns_name("vault..azure.net"));
        assert!(!is_dns_name("vault.azure.net."));
        assert!(!is_dns_name("evil.example/x"));
    }
}
