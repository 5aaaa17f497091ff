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
//! `RSOPS_GCP_KMS_ENDPOINT` overrides the API endpoint (tests, private
//! endpoints).
//!
//! The stored `enc` is the base64 (standard alphabet, padded) of the
//! ciphertext bytes, exactly as sops 3.11 stores it.

use std::sync::{Mutex, OnceLock};

use base64::Engine;
use zeroize::Zeroizing;

use super::cloud;
use super::GcpKmsKey;
use crate::error::{Error, Result};

const DEFAULT_ENDPOINT: &str = "https://cloudkms.googleapis.com";
const DEFAULT_TOKEN_URI: &str = "https://oauth2.googleapis.com/token";
const SCOPE: &str = "https://www.googleapis.com/auth/cloud-platform";

const B64: base64::engine::GeneralPurpose = base64::engine::general_purpose::STANDARD;
const B64URL: base64::engine::GeneralPurpose = base64::engine::general_purpose::URL_SAFE_NO_PAD;

/// Check a resource ID against sops' pattern.
pub fn validate_resource_id(id: &str) -> std::result::Result<(), String> {
    static RE: OnceLock<regex::Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        regex::Regex::new(r"^projects/[^/]+/locations/[^/]+/keyRings/[^/]+/cryptoKeys/[^/]+$")
            .expect("static regex")
    });
    if re.is_match(id) {
        Ok(())
    } else {
        Err(format!(
            "no valid resource ID found in {id:?} (expected projects/PROJECT/locations/LOCATION/keyRings/RING/cryptoKeys/KEY)"
        ))
    }
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
    validate_resource_id(&id).map_err(|e| Error::generic(format!("invalid GCP KMS key: {e}")))?;
    Ok(GcpKmsKey {
        resource_id: id,
        ..Default::default()
    })
}

fn endpoint() -> String {
    cloud::env("RSOPS_GCP_KMS_ENDPOINT")
        .unwrap_or_else(|| DEFAULT_ENDPOINT.to_string())
        .trim_end_matches('/')
        .to_string()
}

/// The access token, obtained once per process.
fn token_cache() -> &'static Mutex<Option<String>> {
    static T: OnceLock<Mutex<Option<String>>> = OnceLock::new();
    T.get_or_init(|| Mutex::new(None))
}

pub(crate) async fn access_token() -> std::result::Result<String, String> {
    if let Some(t) = token_cache().lock().ok().and_then(|t| t.clone()) {
        return Ok(t);
    }
    let t = fetch_token().await?;
    if let Ok(mut c) = token_cache().lock() {
        *c = Some(t.clone());
    }
    Ok(t)
}

async fn fetch_token() -> std::result::Result<String, String> {
    if let Some(v) = cloud::env("GOOGLE_CREDENTIALS") {
        let json = if std::path::Path::new(&v).exists() {
            std::fs::read_to_string(&v)
                .map_err(|e| format!("cannot read GOOGLE_CREDENTIALS file {v}: {e}"))?
        } else {
            v
        };
        return token_from_credentials(&json, "GOOGLE_CREDENTIALS").await;
    }
    if let Some(t) = cloud::env("GOOGLE_OAUTH_ACCESS_TOKEN") {
        return Ok(t.trim().to_string());
    }
    if let Some(p) = cloud::env("GOOGLE_APPLICATION_CREDENTIALS") {
        let json = std::fs::read_to_string(&p)
            .map_err(|e| format!("cannot read GOOGLE_APPLICATION_CREDENTIALS file {p}: {e}"))?;
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
    Err("no GCP credentials found: set GOOGLE_OAUTH_ACCESS_TOKEN (e.g. `gcloud auth print-access-token`), \
         GOOGLE_CREDENTIALS or GOOGLE_APPLICATION_CREDENTIALS, or run `gcloud auth application-default login`"
        .to_string())
}

fn token_from_response(resp: &cloud::Response, from: &str) -> std::result::Result<String, String> {
    if !(200..300).contains(&resp.status) {
        return Err(format!(
            "could not get an access token from {from}: {}",
            cloud::http_failure(resp)
        ));
    }
    resp.json()?
        .get("access_token")
        .and_then(|t| t.as_str())
        .map(str::to_string)
        .ok_or_else(|| {
            format!("could not get an access token from {from}: the answer has no access_token")
        })
}

/// Exchange a credentials file (service account or authorized user) for
/// an access token.
async fn token_from_credentials(json: &str, origin: &str) -> std::result::Result<String, String> {
    let v: serde_json::Value = serde_json::from_str(json)
        .map_err(|e| format!("the GCP credentials in {origin} are not valid JSON: {e}"))?;
    let field = |k: &str| v.get(k).and_then(|x| x.as_str()).unwrap_or("").to_string();
    let kind = field("type");
    let token_uri = Some(field("token_uri"))
        .filter(|u| !u.is_empty())
        .unwrap_or_else(|| DEFAULT_TOKEN_URI.to_string());
    match kind.as_str() {
        "service_account" => {
            let assertion = service_account_jwt(&v, &token_uri, cloud::unix_now())
                .map_err(|e| format!("the GCP service-account key in {origin} cannot be used: {e}"))?;
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
                return Err(format!("the GCP credentials in {origin} have no refresh_token"));
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
        other => Err(format!(
            "GCP credentials of type {other:?} (from {origin}) are not supported by rsops; \
             use a service-account key or set GOOGLE_OAUTH_ACCESS_TOKEN (e.g. `gcloud auth print-access-token`)"
        )),
    }
}

/// A signed JWT (RS256) asserting the service account, for the OAuth2
/// JWT-bearer grant.
pub(crate) fn service_account_jwt(
    v: &serde_json::Value,
    aud: &str,
    now: u64,
) -> std::result::Result<String, String> {
    let field = |k: &str| v.get(k).and_then(|x| x.as_str()).unwrap_or("");
    let email = field("client_email");
    if email.is_empty() {
        return Err("client_email is missing".into());
    }
    let pem = field("private_key");
    let der = pem_to_der(pem).ok_or("private_key is not a PEM private key")?;
    let key = ring::signature::RsaKeyPair::from_pkcs8(&der)
        .or_else(|_| ring::signature::RsaKeyPair::from_der(&der))
        .map_err(|e| format!("private_key is not a usable RSA key ({e})"))?;
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
    .map_err(|_| "signing failed".to_string())?;
    Ok(format!("{signing_input}.{}", B64URL.encode(sig)))
}

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

async fn call(
    k: &GcpKmsKey,
    op: &str,
    field: &str,
    value: &[u8],
) -> std::result::Result<Vec<u8>, String> {
    validate_resource_id(&k.resource_id)?;
    let token = access_token().await?;
    let url = format!("{}/v1/{}:{op}", endpoint(), k.resource_id);
    let auth = format!("Bearer {token}");
    let doc = serde_json::json!({ field: B64.encode(value) });
    let resp = cloud::send_json("POST", &url, &[("authorization", &auth)], &doc).await?;
    if !(200..300).contains(&resp.status) {
        return Err(cloud::http_failure(&resp));
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
        _ => return Err(format!("the answer has no {want}")),
    };
    B64.decode(text.as_bytes())
        .map_err(|_| format!("the answer's {want} is not base64"))
}

/// Encrypt `secret`; fills `enc` and `created_at`.
pub fn wrap(k: &mut GcpKmsKey, secret: &[u8]) -> Result<()> {
    let key = k.clone();
    let ct = cloud::block_on(call(&key, "encrypt", "plaintext", secret))
        .and_then(|r| r)
        .map_err(|e| {
            Error::generic(format!(
                "could not encrypt the data key with GCP KMS key {}: {e}",
                k.resource_id
            ))
        })?;
    k.enc = B64.encode(ct);
    k.created_at = crate::timefmt::now_rfc3339();
    Ok(())
}

/// Decrypt the stored data key.
pub fn unwrap(k: &GcpKmsKey) -> std::result::Result<Zeroizing<Vec<u8>>, String> {
    let ct = B64
        .decode(k.enc.trim())
        .map_err(|e| format!("GCP KMS: the stored encrypted data key is not valid base64: {e}"))?;
    cloud::block_on(call(k, "decrypt", "ciphertext", &ct))
        .and_then(|r| r)
        .map(Zeroizing::new)
        .map_err(|e| format!("GCP KMS: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resource_ids() {
        assert!(
            validate_resource_id("projects/p/locations/global/keyRings/r/cryptoKeys/k").is_ok()
        );
        assert!(validate_resource_id(
            "projects/p/locations/global/keyRings/r/cryptoKeys/k/cryptoKeyVersions/1"
        )
        .is_err());
        assert!(validate_resource_id("projects/p/keyRings/r/cryptoKeys/k").is_err());
        assert!(validate_resource_id("").is_err());
        let ks = keys_from_list(" projects/a/locations/l/keyRings/r/cryptoKeys/k1 ,projects/b/locations/l/keyRings/r/cryptoKeys/k 2").unwrap();
        assert_eq!(ks.len(), 2);
        assert_eq!(
            ks[1].resource_id,
            "projects/b/locations/l/keyRings/r/cryptoKeys/k2"
        );
        assert!(keys_from_list("projects/x").is_err());
    }

    /// A TEST-ONLY RSA key (PKCS#8), public in this repository.
    const TEST_KEY: &str = include_str!("../../testdata/keys/gcp-service-account.json");

    #[test]
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
