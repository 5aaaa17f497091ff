//! HashiCorp Vault transit master keys through Vault's HTTP API, as sops
//! 3.11 uses them: `PUT {address}/v1/{engine}/encrypt/{key}` with the
//! base64 data key, storing the `vault:v1:…` ciphertext as returned, and
//! `…/decrypt/{key}` back. The token comes from `VAULT_TOKEN`, else
//! `~/.vault-token`; `VAULT_NAMESPACE` is sent as the namespace header and
//! `VAULT_CACERT` adds a trusted CA (PEM). The address is the one in the key
//! URI (the stored `vault_address`), as in sops; `VAULT_ADDR` is not
//! consulted.

use base64::Engine;
use zeroize::Zeroizing;

use super::cloud;
use super::HcVaultKey;
use crate::error::{Error, Result};

const B64: base64::engine::GeneralPurpose = base64::engine::general_purpose::STANDARD;

/// Parse `https://vault.example:8200/v1/transit/keys/NAME` into address,
/// engine path and key name, with sops' rules (the engine path may have
/// several segments; a prefix before `/v1` is refused).
pub fn key_from_uri(uri: &str) -> Result<HcVaultKey> {
    let bad = |m: &str| Error::generic(format!("invalid Vault transit key URI {uri:?}: {m}"));
    let (scheme, rest) = uri.split_once("://").ok_or_else(|| {
        bad("missing scheme (should be like https://vault.example.com:8200/v1/transit/keys/keyName)")
    })?;
    if scheme.is_empty()
        || !scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
    {
        return Err(bad("missing scheme (should be like https://vault.example.com:8200/v1/transit/keys/keyName)"));
    }
    let rest = rest.split('#').next().unwrap_or(rest);
    let (host, path) = match rest.find(['/', '?']) {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, ""),
    };
    let path = path.split('?').next().unwrap_or("");
    if host.is_empty() {
        return Err(bad("missing host"));
    }
    let prefixed = regex::Regex::new(r"/[^/]+/v[\d]+/[^/]+/[^/]+/[^/]+").expect("static regex");
    let plain = regex::Regex::new(r"/v[\d]+/[^/]+/[^/]+/[^/]+").expect("static regex");
    if prefixed.is_match(path) {
        return Err(bad(
            "running Vault with a prefixed URL is not supported (the format is https://vault.example.com:8200/v1/transit/keys/keyName)",
        ));
    }
    if !plain.is_match(path) {
        return Err(bad(
            "the path does not look like /v1/ENGINE/keys/NAME (e.g. https://vault.example.com:8200/v1/transit/keys/keyName)",
        ));
    }
    let dirs: Vec<&str> = path.trim_matches('/').split('/').collect();
    if dirs.len() < 4 {
        return Err(bad("the path does not look like /v1/ENGINE/keys/NAME"));
    }
    let key_name = dirs[dirs.len() - 1].to_string();
    let engine_path = dirs[1..dirs.len() - 2]
        .iter()
        .filter(|d| !d.is_empty() && **d != ".")
        .copied()
        .collect::<Vec<_>>()
        .join("/");
    Ok(HcVaultKey {
        vault_address: format!("{scheme}://{host}"),
        engine_path,
        key_name,
        ..Default::default()
    })
}

/// Keys from a comma-separated `--hc-vault-transit`/`SOPS_VAULT_URIS` list.
pub fn keys_from_list(list: &str) -> Result<Vec<HcVaultKey>> {
    list.split(',')
        .map(str::trim)
        .filter(|e| !e.is_empty())
        .map(key_from_uri)
        .collect()
}

pub(crate) fn vault_token() -> std::result::Result<String, String> {
    if let Some(t) = cloud::env("VAULT_TOKEN") {
        return Ok(t.trim().to_string());
    }
    if let Some(home) = cloud::home() {
        let p = home.join(".vault-token");
        match std::fs::read_to_string(&p) {
            Ok(t) if !t.trim().is_empty() => return Ok(t.trim().to_string()),
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => {
                return Err(format!(
                    "cannot read the Vault token file {}: {e}",
                    p.display()
                ))
            }
        }
    }
    Err("no Vault token: set VAULT_TOKEN or log in with `vault login` (~/.vault-token)".into())
}

async fn call(
    k: &HcVaultKey,
    op: &str,
    doc: serde_json::Value,
    want: &str,
) -> std::result::Result<String, String> {
    let token = vault_token()?;
    let url = format!(
        "{}/v1/{}/{op}/{}",
        k.vault_address.trim_end_matches('/'),
        k.engine_path.trim_matches('/'),
        k.key_name
    );
    let ns = cloud::env("VAULT_NAMESPACE");
    let mut headers: Vec<(&str, &str)> =
        vec![("x-vault-token", &token), ("x-vault-request", "true")];
    if let Some(ns) = &ns {
        headers.push(("x-vault-namespace", ns));
    }
    let resp = cloud::send_json_trusting(cloud::Trust::Vault, "PUT", &url, &headers, &doc).await?;
    if !(200..300).contains(&resp.status) {
        return Err(cloud::http_failure(&resp));
    }
    let v = resp.json()?;
    v.pointer(&format!("/data/{want}"))
        .and_then(|x| x.as_str())
        .map(str::to_string)
        .ok_or_else(|| format!("the transit backend's answer has no {want}"))
}

fn path(k: &HcVaultKey) -> String {
    format!(
        "{}/v1/{}/keys/{}",
        k.vault_address, k.engine_path, k.key_name
    )
}

/// Encrypt `secret`; fills `enc` (`vault:v1:…`) and `created_at`.
pub fn wrap(k: &mut HcVaultKey, secret: &[u8]) -> Result<()> {
    let doc = serde_json::json!({"plaintext": B64.encode(secret)});
    let ct = cloud::block_on(call(k, "encrypt", doc, "ciphertext"))
        .and_then(|r| r)
        .map_err(|e| {
            Error::generic(format!(
                "could not encrypt the data key with Vault transit key {}: {e}",
                path(k)
            ))
        })?;
    k.enc = ct;
    k.created_at = crate::timefmt::now_rfc3339();
    Ok(())
}

/// Decrypt the stored data key.
pub fn unwrap(k: &HcVaultKey) -> std::result::Result<Zeroizing<Vec<u8>>, String> {
    let doc = serde_json::json!({"ciphertext": k.enc});
    let pt = cloud::block_on(call(k, "decrypt", doc, "plaintext"))
        .and_then(|r| r)
        .map(Zeroizing::new)
        .map_err(|e| format!("Vault transit: {e}"))?;
    B64.decode(pt.trim())
        .map(Zeroizing::new)
        .map_err(|_| "Vault transit: the decrypted plaintext is not base64".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris() {
        let k = key_from_uri("https://vault.example.org:8200/v1/transit/keys/dev").unwrap();
        assert_eq!(k.vault_address, "https://vault.example.org:8200");
        assert_eq!(k.engine_path, "transit");
        assert_eq!(k.key_name, "dev");
        let k = key_from_uri("http://127.0.0.1:8200/v1/team/one/transit/keys/k1").unwrap();
        assert_eq!(k.vault_address, "http://127.0.0.1:8200");
        assert_eq!(k.engine_path, "team/one/transit");
        assert_eq!(k.key_name, "k1");
        assert!(key_from_uri("vault.example.org/v1/transit/keys/dev").is_err());
        assert!(key_from_uri("https://vault.example.org/prefix/v1/transit/keys/dev").is_err());
        assert!(key_from_uri("https://vault.example.org/v1/transit/dev").is_err());
        assert!(key_from_uri("https:///v1/transit/keys/dev").is_err());
        assert_eq!(
            keys_from_list("http://a/v1/t/keys/x,,http://b/v1/t/keys/y")
                .unwrap()
                .len(),
            2
        );
    }
}
