//! Azure Key Vault master keys through the documented REST API, as sops
//! 3.11 uses them: `POST {vault}/keys/{name}/{version}/encrypt` and
//! `/decrypt` with RSA-OAEP-256; a key given without a version is pinned to
//! its current version (`GET {vault}/keys/{name}`) before it is stored. The
//! stored `enc` is the ciphertext in unpadded base64url, like sops.
//!
//! Tokens, in the order of Azure's DefaultAzureCredential: a client secret
//! (`AZURE_TENANT_ID`, `AZURE_CLIENT_ID`, `AZURE_CLIENT_SECRET`), workload
//! identity (`AZURE_FEDERATED_TOKEN_FILE` with tenant and client IDs),
//! App Service/Functions managed identity (`IDENTITY_ENDPOINT`,
//! `IDENTITY_HEADER`), then the Azure CLI (`az account get-access-token`).
//! `AZURE_AUTHORITY_HOST` selects another Entra ID authority. rsops does not
//! probe the VM instance-metadata service. `RSOPS_AZURE_KEYVAULT_ENDPOINT`
//! sends the vault requests to another base URL (tests, private links); the
//! stored `vault_url` is unchanged.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

use base64::Engine;
use zeroize::Zeroizing;

use super::cloud;
use super::AzureKvKey;
use crate::error::{Error, Result};

const API_VERSION: &str = "7.4";
const ALGORITHM: &str = "RSA-OAEP-256";
const B64URL: base64::engine::GeneralPurpose = base64::engine::general_purpose::URL_SAFE_NO_PAD;

/// Parse `https://VAULT/keys/NAME[/VERSION]` (sops' pattern).
pub fn key_from_url(url: &str) -> Result<AzureKvKey> {
    static RE: OnceLock<regex::Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        regex::Regex::new(r"^(https://[^/]+)/keys/([^/]+)(/[^/]*)?$").expect("static regex")
    });
    let url = url.trim();
    let c = re.captures(url).ok_or_else(|| {
        Error::generic(format!(
            "could not parse {url:?} into a valid Azure Key Vault key (expected https://VAULT.vault.azure.net/keys/NAME/VERSION)"
        ))
    })?;
    let part = |i: usize| c.get(i).map(|m| m.as_str()).unwrap_or("");
    Ok(AzureKvKey {
        vault_url: part(1).to_string(),
        name: part(2).to_string(),
        version: part(3).trim_start_matches('/').to_string(),
        ..Default::default()
    })
}

/// Keys from a comma-separated `--azure-kv`/`SOPS_AZURE_KEYVAULT_URLS` list.
pub fn keys_from_list(list: &str) -> Result<Vec<AzureKvKey>> {
    list.split(',')
        .map(str::trim)
        .filter(|e| !e.is_empty())
        .map(key_from_url)
        .collect()
}

/// A key from a `.sops.yaml` `azure_keyvault` entry (vaultUrl, key, version).
pub fn key_from_parts(vault_url: &str, name: &str, version: &str) -> Result<AzureKvKey> {
    if vault_url.is_empty() || name.is_empty() {
        return Err(Error::generic(
            "an azure_keyvault entry needs vaultUrl and key",
        ));
    }
    Ok(AzureKvKey {
        vault_url: vault_url.trim_end_matches('/').to_string(),
        name: name.to_string(),
        version: version.to_string(),
        ..Default::default()
    })
}

/// The token audience for a vault: the vault host without its first label
/// (`myvault.vault.azure.net` → `https://vault.azure.net`), which covers
/// the public, sovereign and managed-HSM clouds.
pub fn resource_for(vault_url: &str) -> String {
    let host = cloud::host_of(vault_url);
    let host = host.split(':').next().unwrap_or(&host).to_string();
    match host.split_once('.') {
        Some((_, rest)) if rest.contains('.') => format!("https://{rest}"),
        _ => "https://vault.azure.net".to_string(),
    }
}

fn base_url(k: &AzureKvKey) -> String {
    cloud::env("RSOPS_AZURE_KEYVAULT_ENDPOINT")
        .unwrap_or_else(|| k.vault_url.clone())
        .trim_end_matches('/')
        .to_string()
}

fn authority() -> String {
    cloud::env("AZURE_AUTHORITY_HOST")
        .unwrap_or_else(|| "https://login.microsoftonline.com".to_string())
        .trim_end_matches('/')
        .to_string()
}

/// Tokens by resource, obtained once per process.
fn tokens() -> &'static Mutex<HashMap<String, String>> {
    static T: OnceLock<Mutex<HashMap<String, String>>> = OnceLock::new();
    T.get_or_init(|| Mutex::new(HashMap::new()))
}

async fn token(resource: &str) -> std::result::Result<String, String> {
    if let Some(t) = tokens().lock().ok().and_then(|m| m.get(resource).cloned()) {
        return Ok(t);
    }
    let t = fetch_token(resource).await?;
    if let Ok(mut m) = tokens().lock() {
        m.insert(resource.to_string(), t.clone());
    }
    Ok(t)
}

fn token_from(resp: &cloud::Response, from: &str) -> std::result::Result<String, String> {
    if !(200..300).contains(&resp.status) {
        return Err(format!(
            "could not get an Azure access token from {from}: {}",
            cloud::http_failure(resp)
        ));
    }
    resp.json()?
        .get("access_token")
        .and_then(|t| t.as_str())
        .map(str::to_string)
        .ok_or_else(|| {
            format!(
                "could not get an Azure access token from {from}: the answer has no access_token"
            )
        })
}

async fn fetch_token(resource: &str) -> std::result::Result<String, String> {
    let scope = format!("{resource}/.default");
    let tenant = cloud::env("AZURE_TENANT_ID");
    let client = cloud::env("AZURE_CLIENT_ID");
    if let (Some(tenant), Some(client)) = (&tenant, &client) {
        let url = format!("{}/{}/oauth2/v2.0/token", authority(), cloud::pct(tenant));
        if let Some(secret) = cloud::env("AZURE_CLIENT_SECRET") {
            let resp = cloud::send_form(
                &url,
                &[],
                &[
                    ("grant_type", "client_credentials"),
                    ("client_id", client),
                    ("client_secret", &secret),
                    ("scope", &scope),
                ],
            )
            .await?;
            return token_from(&resp, "Entra ID (client secret)");
        }
        if let Some(file) = cloud::env("AZURE_FEDERATED_TOKEN_FILE") {
            let assertion = std::fs::read_to_string(&file)
                .map_err(|e| format!("cannot read AZURE_FEDERATED_TOKEN_FILE {file}: {e}"))?;
            let resp = cloud::send_form(
                &url,
                &[],
                &[
                    ("grant_type", "client_credentials"),
                    ("client_id", client),
                    (
                        "client_assertion_type",
                        "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
                    ),
                    ("client_assertion", assertion.trim()),
                    ("scope", &scope),
                ],
            )
            .await?;
            return token_from(&resp, "Entra ID (workload identity)");
        }
        if cloud::env("AZURE_CLIENT_CERTIFICATE_PATH").is_some() {
            return Err("AZURE_CLIENT_CERTIFICATE_PATH (certificate credentials) is not supported by rsops; \
                        use AZURE_CLIENT_SECRET, workload identity or `az login`"
                .into());
        }
    }
    if let (Some(endpoint), Some(header)) = (
        cloud::env("IDENTITY_ENDPOINT"),
        cloud::env("IDENTITY_HEADER"),
    ) {
        let mut url = format!(
            "{endpoint}?api-version=2019-08-01&resource={}",
            cloud::pct(resource)
        );
        if let Some(c) = &client {
            url.push_str(&format!("&client_id={}", cloud::pct(c)));
        }
        let resp = cloud::send("GET", &url, &[("x-identity-header", &header)], vec![]).await?;
        return token_from(&resp, "the managed identity endpoint");
    }
    if let Some(t) = az_cli_token(resource, tenant.as_deref())? {
        return Ok(t);
    }
    Err("no Azure credentials found: set AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET (or \
         AZURE_FEDERATED_TOKEN_FILE), or log in with `az login`"
        .into())
}

/// `az account get-access-token`, when the Azure CLI is installed.
fn az_cli_token(
    resource: &str,
    tenant: Option<&str>,
) -> std::result::Result<Option<String>, String> {
    let mut cmd = std::process::Command::new("az");
    cmd.args([
        "account",
        "get-access-token",
        "--output",
        "json",
        "--resource",
        resource,
    ]);
    if let Some(t) = tenant {
        cmd.args(["--tenant", t]);
    }
    let out = match cmd.stdin(std::process::Stdio::null()).output() {
        Ok(o) => o,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(format!("cannot run the Azure CLI: {e}")),
    };
    if !out.status.success() {
        let err = String::from_utf8_lossy(&out.stderr);
        let first = err
            .lines()
            .find(|l| !l.trim().is_empty())
            .unwrap_or("")
            .trim()
            .to_string();
        return Err(format!(
            "the Azure CLI could not get a token (run `az login`): {first}"
        ));
    }
    let v: serde_json::Value = serde_json::from_slice(&out.stdout)
        .map_err(|_| "the Azure CLI printed no JSON token".to_string())?;
    Ok(v.get("accessToken")
        .and_then(|t| t.as_str())
        .map(str::to_string))
}

async fn authorized(k: &AzureKvKey) -> std::result::Result<String, String> {
    Ok(format!(
        "Bearer {}",
        token(&resource_for(&k.vault_url)).await?
    ))
}

/// Pin a version-less key to the key's current version.
async fn resolve_version(k: &mut AzureKvKey) -> std::result::Result<(), String> {
    if !k.version.is_empty() {
        return Ok(());
    }
    let auth = authorized(k).await?;
    let url = format!(
        "{}/keys/{}?api-version={API_VERSION}",
        base_url(k),
        cloud::pct(&k.name)
    );
    let resp = cloud::send(
        "GET",
        &url,
        &[("authorization", &auth), ("accept", "application/json")],
        vec![],
    )
    .await?;
    if !(200..300).contains(&resp.status) {
        return Err(format!(
            "could not look up the key's current version: {}",
            cloud::http_failure(&resp)
        ));
    }
    let kid = resp
        .json()?
        .pointer("/key/kid")
        .and_then(|x| x.as_str())
        .map(str::to_string)
        .unwrap_or_default();
    let version = kid
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or("")
        .to_string();
    if version.is_empty() || version == k.name {
        return Err("the key's current version is unknown (no kid in the answer)".into());
    }
    k.version = version;
    Ok(())
}

async fn call(k: &AzureKvKey, op: &str, value: &[u8]) -> std::result::Result<Vec<u8>, String> {
    let auth = authorized(k).await?;
    let url = format!(
        "{}/keys/{}/{}/{op}?api-version={API_VERSION}",
        base_url(k),
        cloud::pct(&k.name),
        cloud::pct(&k.version)
    );
    let doc = serde_json::json!({"alg": ALGORITHM, "value": B64URL.encode(value)});
    let resp = cloud::send_json("POST", &url, &[("authorization", &auth)], &doc).await?;
    if !(200..300).contains(&resp.status) {
        return Err(cloud::http_failure(&resp));
    }
    let text = resp
        .json()?
        .get("value")
        .and_then(|x| x.as_str())
        .map(str::to_string)
        .ok_or("the answer has no value")?;
    decode_b64url(&text).ok_or_else(|| "the answer's value is not base64url".to_string())
}

/// Key Vault answers in base64url; accept padding too.
fn decode_b64url(s: &str) -> Option<Vec<u8>> {
    B64URL.decode(s.trim().trim_end_matches('=')).ok()
}

/// Encrypt `secret`; pins the version if needed, fills `enc` and `created_at`.
pub fn wrap(k: &mut AzureKvKey, secret: &[u8]) -> Result<()> {
    let mut key = k.clone();
    let name = |k: &AzureKvKey| format!("{}/keys/{}/{}", k.vault_url, k.name, k.version);
    let res = cloud::block_on(async {
        resolve_version(&mut key).await?;
        call(&key, "encrypt", secret).await
    })
    .and_then(|r| r);
    let ct = res.map_err(|e| {
        Error::generic(format!(
            "could not encrypt the data key with Azure Key Vault key {}: {e}",
            name(&key)
        ))
    })?;
    k.version = key.version;
    k.enc = B64URL.encode(ct);
    k.created_at = crate::timefmt::now_rfc3339();
    Ok(())
}

/// Decrypt the stored data key.
pub fn unwrap(k: &AzureKvKey) -> std::result::Result<Zeroizing<Vec<u8>>, String> {
    let ct = decode_b64url(&k.enc)
        .ok_or("Azure Key Vault: the stored encrypted data key is not valid base64url")?;
    cloud::block_on(call(k, "decrypt", &ct))
        .and_then(|r| r)
        .map(Zeroizing::new)
        .map_err(|e| format!("Azure Key Vault: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls() {
        let k = key_from_url(" https://v.vault.azure.net/keys/sops/0123abcd ").unwrap();
        assert_eq!(
            (k.vault_url.as_str(), k.name.as_str(), k.version.as_str()),
            ("https://v.vault.azure.net", "sops", "0123abcd")
        );
        let k = key_from_url("https://v.vault.azure.net/keys/sops").unwrap();
        assert_eq!(k.version, "");
        let k = key_from_url("https://v.vault.azure.net/keys/sops/").unwrap();
        assert_eq!(k.version, "");
        assert!(key_from_url("http://v.vault.azure.net/keys/sops/1").is_err());
        assert!(key_from_url("https://v.vault.azure.net/secrets/sops/1").is_err());
        assert!(key_from_url("https://v.vault.azure.net/keys/sops/1/2").is_err());
        assert_eq!(
            keys_from_list("https://a.vault.azure.net/keys/x/1,https://b.vault.azure.net/keys/y/2")
                .unwrap()
                .len(),
            2
        );
        assert!(key_from_parts("", "k", "").is_err());
        assert_eq!(
            key_from_parts("https://a.vault.azure.net/", "k", "v")
                .unwrap()
                .vault_url,
            "https://a.vault.azure.net"
        );
    }

    #[test]
    fn resources() {
        assert_eq!(
            resource_for("https://myvault.vault.azure.net"),
            "https://vault.azure.net"
        );
        assert_eq!(
            resource_for("https://v.vault.azure.cn"),
            "https://vault.azure.cn"
        );
        assert_eq!(
            resource_for("https://h.managedhsm.azure.net"),
            "https://managedhsm.azure.net"
        );
        assert_eq!(
            resource_for("https://localhost:8443"),
            "https://vault.azure.net"
        );
    }

    #[test]
    fn base64url_like_sops() {
        // sops: base64.RawURLEncoding (no padding, - and _).
        assert_eq!(B64URL.encode([0xfbu8, 0xff]), "-_8");
        assert_eq!(decode_b64url("-_8=").unwrap(), vec![0xfb, 0xff]);
    }
}
