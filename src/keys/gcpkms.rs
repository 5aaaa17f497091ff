//! GCP Cloud KMS master keys through the documented REST API
//! (`POST https://cloudkms.googleapis.com/v1/{resource}:encrypt|:decrypt`).
//!
//! Credentials, in sops' order: `GOOGLE_CREDENTIALS` (a credentials file's
//! path or its JSON), `GOOGLE_OAUTH_ACCESS_TOKEN` (a bearer token, e.g. from
//! `gcloud auth print-access-token`), then Application Default Credentials:
//! `GOOGLE_APPLICATION_CREDENTIALS`, gcloud's
//! `application_default_credentials.json`, and the metadata server when
//! `GCE_METADATA_HOST` names it. Service-account keys (signed JWT
//! exchanged at the file's `token_uri`) and `gcloud auth
//! application-default login` files (refresh token) are supported.
//!
//! The endpoint is `https://cloudkms.googleapis.com` unless the user sets
//! one, never anything from a file: `RSOPS_GCP_KMS_ENDPOINT` (a base URL;
//! tests, private endpoints), else sops' `SOPS_GCP_KMS_ENDPOINT` (`HOST[:PORT]`
//! as for sops' gRPC client, meaning `https://HOST[:PORT]`, or a base URL as
//! for its REST client), else sops' `SOPS_GCP_KMS_UNIVERSE_DOMAIN` (`D`
//! means `https://cloudkms.D`). A file's `resource_id` must have the shape
//! of a Cloud KMS key name with strict segment characters (checked before
//! any token is fetched), so it can only name a key, never another API path.
//!
//! The stored `enc` is the base64 (standard alphabet, padded) of the
//! ciphertext bytes, exactly as sops 3.11 stores it.

use crate::keys::KeyError;
#[cfg(feature = "gcp")]
use std::sync::{Mutex, OnceLock};

#[cfg(feature = "gcp")]
use base64::Engine;
use zeroize::Zeroizing;

use super::cloud;
use crate::error::{Error, Result};

const DEFAULT_ENDPOINT: &str = "https://cloudkms.googleapis.com";
#[cfg(feature = "gcp")]
const DEFAULT_TOKEN_URI: &str = "https://oauth2.googleapis.com/token";
#[cfg(feature = "gcp")]
const SCOPE: &str = "https://www.googleapis.com/auth/cloud-platform";

#[cfg(feature = "gcp")]
const B64: base64::engine::GeneralPurpose = base64::engine::general_purpose::STANDARD;
#[cfg(feature = "gcp")]
const B64URL: base64::engine::GeneralPurpose = base64::engine::general_purpose::URL_SAFE_NO_PAD;

/// The user's settings that choose the endpoint, in order of precedence.
pub const ENDPOINT_ENV: &str = "RSOPS_GCP_KMS_ENDPOINT";
pub const SOPS_ENDPOINT_ENV: &str = "SOPS_GCP_KMS_ENDPOINT";
pub const SOPS_UNIVERSE_DOMAIN_ENV: &str = "SOPS_GCP_KMS_UNIVERSE_DOMAIN";

const EXPECTED: &str =
    "expected projects/PROJECT/locations/LOCATION/keyRings/RING/cryptoKeys/KEY, \
     PROJECT a project ID (6 to 30 lowercase letters, digits and hyphens), a project number \
     or a legacy DOMAIN:PROJECT, LOCATION lowercase letters, digits and hyphens, RING and KEY \
     1 to 63 letters, digits, underscores and hyphens";

fn is_project_id(s: &str) -> bool {
    let b = s.as_bytes();
    (6..=30).contains(&b.len())
        && b[0].is_ascii_lowercase()
        && b.iter()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-')
        && b[b.len() - 1] != b'-'
}

/// A project ID, a project number, or a legacy domain-scoped
/// `example.com:project`.
fn is_project(s: &str) -> bool {
    if let Some((domain, id)) = s.split_once(':') {
        return cloud::is_dns_name(domain)
            && domain.contains('.')
            && !domain.bytes().any(|c| c.is_ascii_uppercase())
            && is_project_id(id);
    }
    is_project_id(s) || (!s.is_empty() && s.len() <= 20 && s.bytes().all(|c| c.is_ascii_digit()))
}

fn is_location(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 63
        && s.bytes()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-')
}

fn is_ring_or_key(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 63
        && s.bytes()
            .all(|c| c.is_ascii_alphanumeric() || c == b'_' || c == b'-')
}

/// Check a resource ID: sops' pattern, with strict characters in every
/// segment (no `..`, `?`, `#`, `%` or `/` inside one).
pub fn validate_resource_id(id: &str) -> std::result::Result<(), KeyError> {
    let parts: Vec<&str> = id.split('/').collect();
    let shape = parts.len() == 8
        && parts[0] == "projects"
        && parts[2] == "locations"
        && parts[4] == "keyRings"
        && parts[6] == "cryptoKeys";
    if !shape {
        return Err(KeyError::Invalid(format!(
            "no valid resource ID found in {id:?} ({EXPECTED})"
        )));
    }
    let bad = if !is_project(parts[1]) {
        "project"
    } else if !is_location(parts[3]) {
        "location"
    } else if !is_ring_or_key(parts[5]) {
        "key ring"
    } else if !is_ring_or_key(parts[7]) {
        "key"
    } else {
        return Ok(());
    };
    Err(KeyError::Invalid(format!(
        "no valid resource ID found in {id:?}: the {bad} is not a valid name ({EXPECTED})"
    )))
}

/// Every check of a `gcp_kms` entry, run before any token is fetched or
/// request sent; the error names the entry. Returns the endpoint.
pub fn check(k: &GcpKmsKey) -> std::result::Result<String, KeyError> {
    validate_resource_id(&k.resource_id).map_err(|e| {
        KeyError::Refused(format!(
            "refused the gcp_kms entry {}: {e}; rsops sends GCP credentials only to the Cloud KMS \
             endpoint, with a key name as the path (the endpoint is set by {ENDPOINT_ENV}, \
             {SOPS_ENDPOINT_ENV} or {SOPS_UNIVERSE_DOMAIN_ENV}, never by a file)",
            k.resource_id
        ))
    })?;
    endpoint()
}

/// Keys from a comma-separated `--gcp-kms`/`SOPS_GCP_KMS_IDS` list (spaces
/// removed, as sops does).
pub fn keys_from_list(list: &str) -> Result<Vec<GcpKmsKey>> {
    let mut out = Vec::new();
    for entry in list.split(',').map(str::trim).filter(|e| !e.is_empty()) {
        out.push(key_from_resource_id(entry)?);
    }
    Ok(out)
}

pub fn key_from_resource_id(id: &str) -> Result<GcpKmsKey> {
    let id: String = id.chars().filter(|c| *c != ' ').collect();
    validate_resource_id(&id).map_err(|e| {
        Error::with_source(crate::error::code::ERROR_GENERIC, "invalid GCP KMS key", e)
    })?;
    Ok(GcpKmsKey {
        resource_id: id,
        ..Default::default()
    })
}

/// A non-empty environment variable, as Go's `os.Getenv(..) != ""`.
fn raw_env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

/// The API base URL from the user's settings (see the module docs).
fn endpoint() -> std::result::Result<String, KeyError> {
    endpoint_from(
        cloud::env(ENDPOINT_ENV).as_deref(),
        raw_env(SOPS_ENDPOINT_ENV).as_deref(),
        raw_env(SOPS_UNIVERSE_DOMAIN_ENV).as_deref(),
    )
}

fn endpoint_from(
    rsops: Option<&str>,
    sops: Option<&str>,
    universe: Option<&str>,
) -> std::result::Result<String, KeyError> {
    let base_url = |v: &str, name: &str| -> std::result::Result<String, KeyError> {
        let v = v.trim().trim_end_matches('/');
        let rest = v
            .strip_prefix("https://")
            .or_else(|| v.strip_prefix("http://"))
            .unwrap_or("");
        let host = rest.split('/').next().unwrap_or("");
        if host.is_empty()
            || v.contains(['?', '#', '@'])
            || v.chars().any(|c| c.is_whitespace() || c.is_control())
        {
            return Err(KeyError::Service(format!(
                "{name}={v:?} is not a base URL (expected https://HOST[:PORT][/PATH])"
            )));
        }
        Ok(v.to_string())
    };
    if let Some(v) = rsops {
        return base_url(v, ENDPOINT_ENV);
    }
    if let Some(v) = sops {
        if v.contains("://") {
            return base_url(v, SOPS_ENDPOINT_ENV);
        }
        // HOST[:PORT], as sops' default gRPC client takes it (over TLS).
        let (host, port) = match v.rsplit_once(':') {
            Some((h, p)) if !h.ends_with(':') => (h, Some(p)),
            _ => (v, None),
        };
        let host_ok = cloud::is_dns_name(host)
            || (host.starts_with('[')
                && host.ends_with(']')
                && host[1..host.len() - 1]
                    .parse::<std::net::Ipv6Addr>()
                    .is_ok());
        let port_ok = port.is_none_or(|p| p.parse::<u16>().is_ok_and(|n| n > 0));
        if !host_ok || !port_ok {
            return Err(KeyError::Service(format!(
                "{SOPS_ENDPOINT_ENV}={v:?} is neither HOST[:PORT] nor a base URL like https://HOST[:PORT]"
            )));
        }
        return Ok(format!("https://{v}"));
    }
    if let Some(d) = universe {
        if !cloud::is_dns_name(d) {
            return Err(KeyError::Service(format!(
                "{SOPS_UNIVERSE_DOMAIN_ENV}={d:?} is not a domain name (e.g. s3nsapis.fr)"
            )));
        }
        return Ok(format!("https://cloudkms.{}", d.to_ascii_lowercase()));
    }
    Ok(DEFAULT_ENDPOINT.to_string())
}

/// The access token, obtained once per process.
#[cfg(feature = "gcp")]
fn token_cache() -> &'static Mutex<Option<String>> {
    static T: OnceLock<Mutex<Option<String>>> = OnceLock::new();
    T.get_or_init(|| Mutex::new(None))
}

#[cfg(feature = "gcp")]
pub(crate) async fn access_token() -> std::result::Result<String, KeyError> {
    if let Some(t) = token_cache().lock().ok().and_then(|t| t.clone()) {
        return Ok(t);
    }
    let t = fetch_token().await?;
    if let Ok(mut c) = token_cache().lock() {
        *c = Some(t.clone());
    }
    Ok(t)
}

#[cfg(feature = "gcp")]
async fn fetch_token() -> std::result::Result<String, KeyError> {
    if let Some(v) = cloud::env("GOOGLE_CREDENTIALS") {
        let json = if std::path::Path::new(&v).exists() {
            std::fs::read_to_string(&v).map_err(|e| {
                KeyError::NoCredentials(format!("cannot read GOOGLE_CREDENTIALS file {v}: {e}"))
            })?
        } else {
            v
        };
        return token_from_credentials(&json, "GOOGLE_CREDENTIALS").await;
    }
    if let Some(t) = cloud::env("GOOGLE_OAUTH_ACCESS_TOKEN") {
        return Ok(t.trim().to_string());
    }
    if let Some(p) = cloud::env("GOOGLE_APPLICATION_CREDENTIALS") {
        let json = std::fs::read_to_string(&p).map_err(|e| {
            KeyError::NoCredentials(format!(
                "cannot read GOOGLE_APPLICATION_CREDENTIALS file {p}: {e}"
            ))
        })?;
        return token_from_credentials(&json, &p).await;
    }
    let gcloud_dir = cloud::env("CLOUDSDK_CONFIG")
        .map(std::path::PathBuf::from)
        .or_else(|| cloud::home().map(|h| h.join(".config").join("gcloud")));
    if let Some(dir) = gcloud_dir {
        let p = dir.join("application_default_credentials.json");
        if let Ok(json) = std::fs::read_to_string(&p) {
            return token_from_credentials(&json, &p.display().to_string()).await;
        }
    }
    if let Some(host) = cloud::env("GCE_METADATA_HOST") {
        let url =
            format!("http://{host}/computeMetadata/v1/instance/service-accounts/default/token");
        let resp = cloud::send("GET", &url, &[("metadata-flavor", "Google")], vec![]).await?;
        return token_from_response(&resp, "the metadata server");
    }
    Err(KeyError::NoCredentials("no GCP credentials found: set GOOGLE_OAUTH_ACCESS_TOKEN (e.g. `gcloud auth print-access-token`), \
         GOOGLE_CREDENTIALS or GOOGLE_APPLICATION_CREDENTIALS, or run `gcloud auth application-default login`"
        .to_string()))
}

#[cfg(feature = "gcp")]
fn token_from_response(
    resp: &cloud::Response,
    from: &str,
) -> std::result::Result<String, KeyError> {
    if !(200..300).contains(&resp.status) {
        return Err(KeyError::NoCredentials(format!(
            "could not get an access token from {from}: {}",
            cloud::http_failure(resp)
        )));
    }
    resp.json()?
        .get("access_token")
        .and_then(|t| t.as_str())
        .map(str::to_string)
        .ok_or_else(|| {
            KeyError::NoCredentials(format!(
                "could not get an access token from {from}: the answer has no access_token"
            ))
        })
}

/// Exchange a credentials file (service account or authorized user) for
/// an access token.
#[cfg(feature = "gcp")]
async fn token_from_credentials(json: &str, origin: &str) -> std::result::Result<String, KeyError> {
    let v: serde_json::Value = serde_json::from_str(json).map_err(|e| {
        KeyError::NoCredentials(format!(
            "the GCP credentials in {origin} are not valid JSON: {e}"
        ))
    })?;
    let field = |k: &str| v.get(k).and_then(|x| x.as_str()).unwrap_or("").to_string();
    let kind = field("type");
    let token_uri = Some(field("token_uri"))
        .filter(|u| !u.is_empty())
        .unwrap_or_else(|| DEFAULT_TOKEN_URI.to_string());
    match kind.as_str() {
        "service_account" => {
            let assertion = service_account_jwt(&v, &token_uri, cloud::unix_now())
                .map_err(|e| KeyError::NoCredentials(format!("the GCP service-account key in {origin} cannot be used: {e}")))?;
            let resp = cloud::send_form(
                &token_uri,
                &[],
                &[("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer"), ("assertion", &assertion)],
            )
            .await?;
            token_from_response(&resp, &token_uri)
        }
        "authorized_user" => {
            let (id, secret, refresh) = (field("client_id"), field("client_secret"), field("refresh_token"));
            if refresh.is_empty() {
                return Err(KeyError::NoCredentials(format!("the GCP credentials in {origin} have no refresh_token")));
            }
            let resp = cloud::send_form(
                &token_uri,
                &[],
                &[
                    ("grant_type", "refresh_token"),
                    ("client_id", &id),
                    ("client_secret", &secret),
                    ("refresh_token", &refresh),
                ],
            )
            .await?;
            token_from_response(&resp, &token_uri)
        }
        other => Err(KeyError::NoCredentials(format!(
            "GCP credentials of type {other:?} (from {origin}) are not supported by rsops; \
             use a service-account key or set GOOGLE_OAUTH_ACCESS_TOKEN (e.g. `gcloud auth print-access-token`)"
        ))),
    }
}

/// A signed JWT (RS256) asserting the service account, for the OAuth2
/// JWT-bearer grant.
#[cfg(feature = "gcp")]
pub(crate) fn service_account_jwt(
    v: &serde_json::Value,
    aud: &str,
    now: u64,
) -> std::result::Result<String, KeyError> {
    let field = |k: &str| v.get(k).and_then(|x| x.as_str()).unwrap_or("");
    let email = field("client_email");
    if email.is_empty() {
        return Err(KeyError::Service("client_email is missing".into()));
    }
    let pem = field("private_key");
    let der = pem_to_der(pem).ok_or(KeyError::Service(
        "private_key is not a PEM private key".into(),
    ))?;
    let key = ring::signature::RsaKeyPair::from_pkcs8(&der)
        .or_else(|_| ring::signature::RsaKeyPair::from_der(&der))
        .map_err(|e| KeyError::Service(format!("private_key is not a usable RSA key ({e})")))?;
    let mut header = serde_json::json!({"alg": "RS256", "typ": "JWT"});
    let kid = field("private_key_id");
    if !kid.is_empty() {
        header["kid"] = serde_json::Value::String(kid.to_string());
    }
    let claims = serde_json::json!({
        "iss": email,
        "scope": SCOPE,
        "aud": aud,
        "iat": now,
        "exp": now + 3600,
    });
    let signing_input = format!(
        "{}.{}",
        B64URL.encode(header.to_string()),
        B64URL.encode(claims.to_string())
    );
    let mut sig = vec![0u8; key.public().modulus_len()];
    key.sign(
        &ring::signature::RSA_PKCS1_SHA256,
        &ring::rand::SystemRandom::new(),
        signing_input.as_bytes(),
        &mut sig,
    )
    .map_err(|_| KeyError::Service("signing failed".to_string()))?;
    Ok(format!("{signing_input}.{}", B64URL.encode(sig)))
}

#[cfg(feature = "gcp")]
fn pem_to_der(pem: &str) -> Option<Zeroizing<Vec<u8>>> {
    let mut body = String::new();
    let mut inside = false;
    for line in pem.lines() {
        let line = line.trim();
        if line.starts_with("-----BEGIN") {
            inside = true;
        } else if line.starts_with("-----END") {
            break;
        } else if inside {
            body.push_str(line);
        }
    }
    let body = Zeroizing::new(body);
    B64.decode(body.as_bytes()).ok().map(Zeroizing::new)
}

#[cfg(feature = "gcp")]
async fn call(
    k: &GcpKmsKey,
    op: &str,
    field: &str,
    value: &[u8],
) -> std::result::Result<Vec<u8>, KeyError> {
    let endpoint = check(k)?;
    let token = access_token().await?;
    let url = format!("{endpoint}/v1/{}:{op}", k.resource_id);
    let auth = format!("Bearer {token}");
    let doc = serde_json::json!({ field: B64.encode(value) });
    let resp = cloud::send_json("POST", &url, &[("authorization", &auth)], &doc).await?;
    if !(200..300).contains(&resp.status) {
        return Err(KeyError::Service(cloud::http_failure(&resp)));
    }
    let want = if op == "encrypt" {
        "ciphertext"
    } else {
        "plaintext"
    };
    let v = resp.json()?;
    let text = match v.get(want) {
        Some(serde_json::Value::String(s)) => s.clone(),
        // An empty plaintext is omitted from the JSON answer.
        None if want == "plaintext" => String::new(),
        _ => return Err(KeyError::Service(format!("the answer has no {want}"))),
    };
    B64.decode(text.as_bytes())
        .map_err(|_| KeyError::Service(format!("the answer's {want} is not base64")))
}

/// Encrypt `secret`; fills `enc` and `created_at`.
#[cfg(feature = "gcp")]
pub fn wrap(k: &mut GcpKmsKey, secret: &[u8]) -> super::KeyResult<()> {
    check(k).map_err(|e| KeyError::Service(format!("GCP KMS: {e}")))?;
    let key = k.clone();
    let ct = cloud::block_on(call(&key, "encrypt", "plaintext", secret))
        .and_then(|r| r)
        .map_err(|e| {
            KeyError::Service(format!(
                "could not encrypt the data key with GCP KMS key {}: {e}",
                k.resource_id
            ))
        })?;
    k.enc = B64.encode(ct);
    k.created_at = crate::timefmt::now_rfc3339();
    Ok(())
}

/// Decrypt the stored data key.
#[cfg(feature = "gcp")]
pub fn unwrap(k: &GcpKmsKey) -> std::result::Result<Zeroizing<Vec<u8>>, KeyError> {
    check(k).map_err(|e| KeyError::Service(format!("GCP KMS: {e}")))?;
    let ct = B64.decode(k.enc.trim()).map_err(|e| {
        KeyError::Service(format!(
            "GCP KMS: the stored encrypted data key is not valid base64: {e}"
        ))
    })?;
    cloud::block_on(call(k, "decrypt", "ciphertext", &ct))
        .and_then(|r| r)
        .map(Zeroizing::new)
        .map_err(|e| KeyError::Service(format!("GCP KMS: {e}")))
}

/// Without the `gcp` feature: the entry is kept and named, never used.
#[cfg(not(feature = "gcp"))]
pub fn wrap(k: &mut GcpKmsKey, _secret: &[u8]) -> super::KeyResult<()> {
    Err(KeyError::NotBuilt(super::unbuilt(k)))
}

/// Without the `gcp` feature: the entry is kept and named, never used.
#[cfg(not(feature = "gcp"))]
pub fn unwrap(k: &GcpKmsKey) -> std::result::Result<Zeroizing<Vec<u8>>, KeyError> {
    Err(KeyError::NotBuilt(super::unbuilt(k)))
}

/// A GCP Cloud KMS entry: the key's resource ID and the stored ciphertext.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct GcpKmsKey {
    pub resource_id: String,
    pub created_at: String,
    pub enc: String,
}

/// The GCP KMS key source.
pub struct Source;
pub static SOURCE: Source = Source;

static NAMES: super::Names = super::Names {
    id: "gcp_kms",
    noun: "GCP KMS key",
    flag: "gcp-kms",
    short: None,
    env: Some("SOPS_GCP_KMS_IDS"),
    add_flag: "add-gcp-kms",
    rm_flag: "rm-gcp-kms",
    value_name: "IDS",
    help: "GCP KMS resource IDs (projects/P/locations/L/keyRings/R/cryptoKeys/K)",
    rule_field: "gcp_kms",
    group_field: "gcp_kms",
};

impl super::KeySource for Source {
    fn names(&self) -> &'static super::Names {
        &NAMES
    }
    fn feature(&self) -> Option<super::Feature> {
        Some(super::Feature {
            name: "gcp",
            enabled: cfg!(feature = "gcp"),
        })
    }
    fn parse_list(&self, list: &str, _opts: &super::KeyOptions) -> Result<Vec<super::MasterKey>> {
        Ok(keys_from_list(list)?
            .into_iter()
            .map(super::MasterKey::new)
            .collect())
    }
    /// Maps with `resource_id`.
    fn parse_group_value(
        &self,
        v: &crate::tree::Value,
    ) -> std::result::Result<Vec<super::MasterKey>, KeyError> {
        let mut out = Vec::new();
        for e in super::entry_maps(v, "gcp_kms")? {
            let id = super::entry_text(e, "resource_id", "gcp_kms")?;
            out.push(super::MasterKey::new(
                key_from_resource_id(&id).map_err(|e| KeyError::Invalid(e.message()))?,
            ));
        }
        Ok(out)
    }
    fn read_entry(
        &self,
        e: &crate::tree::Branch,
    ) -> std::result::Result<super::MasterKey, KeyError> {
        Ok(super::MasterKey::new(GcpKmsKey {
            resource_id: super::entry_text(e, "resource_id", "gcp_kms")?,
            created_at: super::entry_text(e, "created_at", "gcp_kms")?,
            enc: super::entry_text(e, "enc", "gcp_kms")?,
        }))
    }
    fn read_proto(&self, key: &crate::proto::key::KeyType, enc: &str) -> Option<super::MasterKey> {
        match key {
            crate::proto::key::KeyType::GcpKmsKey(k) => Some(super::MasterKey::new(GcpKmsKey {
                resource_id: k.resource_id.clone(),
                enc: enc.to_string(),
                ..Default::default()
            })),
            _ => None,
        }
    }
}

impl super::Key for GcpKmsKey {
    fn source(&self) -> &'static dyn super::KeySource {
        &SOURCE
    }
    fn name(&self) -> String {
        self.resource_id.clone()
    }
    fn enc(&self) -> &str {
        &self.enc
    }
    fn to_entry(&self) -> crate::tree::Branch {
        vec![
            super::text_item("resource_id", &self.resource_id),
            super::text_item("created_at", &self.created_at),
            super::text_item("enc", &self.enc),
        ]
    }
    fn to_proto(&self) -> crate::proto::key::KeyType {
        crate::proto::key::KeyType::GcpKmsKey(crate::proto::GcpKmsKey {
            resource_id: self.resource_id.clone(),
        })
    }
    fn wrap(&mut self, secret: &[u8]) -> super::KeyResult<()> {
        wrap(self, secret)
    }
    fn unwrap(
        &self,
        _creds: &mut super::Credentials,
    ) -> std::result::Result<Zeroizing<Vec<u8>>, KeyError> {
        unwrap(self)
    }
    fn set_enc(&mut self, enc: String) {
        self.enc = enc;
        self.created_at = crate::timefmt::now_rfc3339();
    }
    fn clone_key(&self) -> Box<dyn super::Key> {
        Box::new(self.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resource_ids() {
        assert!(validate_resource_id(
            "projects/my-project/locations/global/keyRings/r/cryptoKeys/k"
        )
        .is_ok());
        assert!(validate_resource_id(
            "projects/my-project/locations/global/keyRings/r/cryptoKeys/k/cryptoKeyVersions/1"
        )
        .is_err());
        assert!(validate_resource_id("projects/my-project/keyRings/r/cryptoKeys/k").is_err());
        assert!(validate_resource_id("").is_err());
        let ks = keys_from_list(" projects/project-a/locations/l/keyRings/r/cryptoKeys/k1 ,projects/project-b/locations/l/keyRings/r/cryptoKeys/k 2").unwrap();
        assert_eq!(ks.len(), 2);
        assert_eq!(
            ks[1].resource_id,
            "projects/project-b/locations/l/keyRings/r/cryptoKeys/k2"
        );
        assert!(keys_from_list("projects/x").is_err());
    }

    #[test]
    fn real_resource_id_shapes_are_accepted() {
        for id in [
            "projects/my-project-123/locations/global/keyRings/sops/cryptoKeys/sops-key",
            "projects/abcdef/locations/us-east1/keyRings/Ring_1/cryptoKeys/KEY-2",
            "projects/a23456789012345678901234567890/locations/europe-west4/keyRings/r/cryptoKeys/k",
            "projects/123456789012/locations/nam-eur-asia1/keyRings/r/cryptoKeys/k",
            "projects/example.com:my-project/locations/us/keyRings/r/cryptoKeys/k",
            &format!(
                "projects/my-project/locations/global/keyRings/{}/cryptoKeys/{}",
                "r".repeat(63),
                "k".repeat(63)
            ),
        ] {
            assert!(validate_resource_id(id).is_ok(), "{id}");
        }
    }

    #[test]
    fn hostile_resource_ids_are_refused() {
        let id = |p: &str, l: &str, r: &str, k: &str| {
            format!("projects/{p}/locations/{l}/keyRings/{r}/cryptoKeys/{k}")
        };
        for bad in [
            id("..", "global", "r", "k"),
            id("my-project", "..", "r", "k"),
            id("my-project", "global", "..", "k"),
            id("my-project", "global", "r", ".."),
            id("my-project", "global", "r", "k?alt=media"),
            id("my-project", "global", "r", "k#x"),
            id("my-project", "global", "r", "k%2F..%2F..%2Fx"),
            id("my-project", "global", "r", "k:decrypt"),
            id("my-project", "global", "r", "k.x"),
            id("my-project", "global", "r", &"k".repeat(64)),
            id("my-project", "Global", "r", "k"),
            id("my-project", "us_east1", "r", "k"),
            id("my-project", "global", "", "k"),
            id("My-Project", "global", "r", "k"),
            id("short", "global", "r", "k"),
            id("my-project-", "global", "r", "k"),
            id("1my-project", "global", "r", "k"),
            id(&"a".repeat(31), "global", "r", "k"),
            id("evil.example:", "global", "r", "k"),
            id(":my-project", "global", "r", "k"),
            id("localhost:my-project", "global", "r", "k"),
            id("Example.com:my-project", "global", "r", "k"),
            id("p?x=", "global", "r", "k"),
            "projects/my-project/locations/global/keyRings/r/cryptoKeys/k/".to_string(),
            "/projects/my-project/locations/global/keyRings/r/cryptoKeys/k".to_string(),
            "projects/my-project/locations/global/keyRings/r/../../../../x/cryptoKeys/k"
                .to_string(),
        ] {
            let e = validate_resource_id(&bad).unwrap_err();
            assert!(e.to_string().contains("no valid resource ID"), "{bad}: {e}");
        }
    }

    #[cfg(feature = "gcp")]
    #[test]
    fn hostile_entries_are_refused_before_any_request() {
        let k = GcpKmsKey {
            resource_id: "projects/my-project/locations/global/keyRings/r/cryptoKeys/k?x".into(),
            enc: "AAAA".into(),
            ..Default::default()
        };
        let e = unwrap(&k).unwrap_err();
        assert!(
            e.to_string()
                .contains("refused the gcp_kms entry projects/my-project/")
                && e.to_string().contains(SOPS_ENDPOINT_ENV),
            "{e}"
        );
        let mut k = k;
        assert!(wrap(&mut k, b"x")
            .unwrap_err()
            .to_string()
            .contains("refused the gcp_kms entry"));
    }

    #[test]
    fn endpoints_come_from_the_user_settings_only() {
        assert_eq!(
            endpoint_from(None, None, None).unwrap(),
            "https://cloudkms.googleapis.com"
        );
        // RSOPS_GCP_KMS_ENDPOINT first, a base URL (http for local tests).
        assert_eq!(
            endpoint_from(
                Some("http://127.0.0.1:9/"),
                Some("x.example"),
                Some("d.example")
            )
            .unwrap(),
            "http://127.0.0.1:9"
        );
        // sops' SOPS_GCP_KMS_ENDPOINT: HOST[:PORT] (gRPC style) means https.
        assert_eq!(
            endpoint_from(None, Some("cloudkms.example.com:443"), Some("d.example")).unwrap(),
            "https://cloudkms.example.com:443"
        );
        assert_eq!(
            endpoint_from(None, Some("cloudkms.s3nsapis.fr"), None).unwrap(),
            "https://cloudkms.s3nsapis.fr"
        );
        assert_eq!(
            endpoint_from(None, Some("https://kms.example/base/"), None).unwrap(),
            "https://kms.example/base"
        );
        // sops' SOPS_GCP_KMS_UNIVERSE_DOMAIN: cloudkms.DOMAIN.
        assert_eq!(
            endpoint_from(None, None, Some("s3nsapis.fr")).unwrap(),
            "https://cloudkms.s3nsapis.fr"
        );
        for (r, s, u) in [
            (Some("ftp://x"), None, None),
            (Some("https://"), None, None),
            (Some("https://a?b"), None, None),
            (None, Some("evil.example/x"), None),
            (None, Some("host:port"), None),
            (None, Some("https://u@x"), None),
            (None, None, Some("evil.example/x?")),
            (None, None, Some("a b")),
        ] {
            assert!(endpoint_from(r, s, u).is_err(), "{r:?} {s:?} {u:?}");
        }
    }

    /// A TEST-ONLY RSA key (PKCS#8), public in this repository.
    #[cfg(feature = "gcp")]
    const TEST_KEY: &str = include_str!("../../testdata/keys/gcp-service-account.json");

    #[test]
    #[cfg(feature = "gcp")]
    fn service_account_jwts_verify() {
        let v: serde_json::Value = serde_json::from_str(TEST_KEY).unwrap();
        let jwt = service_account_jwt(&v, "https://oauth2.example/token", 1_700_000_000).unwrap();
        let parts: Vec<&str> = jwt.split('.').collect();
        assert_eq!(parts.len(), 3);
        let claims: serde_json::Value =
            serde_json::from_slice(&B64URL.decode(parts[1]).unwrap()).unwrap();
        assert_eq!(claims["iss"], v["client_email"]);
        assert_eq!(claims["aud"], "https://oauth2.example/token");
        assert_eq!(claims["exp"], 1_700_003_600u64);
        let der = pem_to_der(v["private_key"].as_str().unwrap()).unwrap();
        let kp = ring::signature::RsaKeyPair::from_pkcs8(&der).unwrap();
        let public = ring::signature::UnparsedPublicKey::new(
            &ring::signature::RSA_PKCS1_2048_8192_SHA256,
            ring::signature::KeyPair::public_key(&kp).as_ref().to_vec(),
        );
        let signed = format!("{}.{}", parts[0], parts[1]);
        public
            .verify(signed.as_bytes(), &B64URL.decode(parts[2]).unwrap())
            .unwrap();
    }
}
