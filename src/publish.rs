//! `rsops publish` destinations (`.sops.yaml` `destination_rules`), as sops
//! uploads to them: the encrypted file to S3 or GCS, the decrypted values
//! to a Vault KV secret (v1 or v2).
//!
//! * S3: one SigV4-signed `PUT`, credentials and region from the AWS SDK's
//!   chain (environment, profiles, SSO, …); `AWS_ENDPOINT_URL_S3` or
//!   `AWS_ENDPOINT_URL` send it elsewhere (path-style URLs, as S3-compatible
//!   servers expect).
//! * GCS: the JSON API's media upload with the GCP credentials the KMS key
//!   source uses; `STORAGE_EMULATOR_HOST` (as in Google's clients) sends it
//!   to an emulator without credentials.
//! * Vault: `VAULT_ADDR`/`vault_address`, `VAULT_TOKEN` or `~/.vault-token`,
//!   `VAULT_NAMESPACE`, `VAULT_CACERT`; a secret whose data is already the
//!   same is left alone (no new version).

use crate::config::Destination;
use crate::error::{code, Error, Result};
use crate::keys::{cloud, KeyError};
use crate::tree::{Branch, Value};

/// Where a file named `name` goes, for messages (sops' form).
pub fn describe(d: &Destination, name: &str) -> String {
    match d {
        Destination::S3 { bucket, prefix } => format!("s3://{bucket}/{prefix}{name}"),
        Destination::Gcs { bucket, prefix } => format!("gcs://{bucket}/{prefix}{name}"),
        Destination::Vault { .. } => {
            format!("{}/v1/{}", vault_address(d), vault_secret_path(d, name))
        }
    }
}

/// Upload the encrypted file (S3, GCS).
pub fn upload(d: &Destination, contents: &[u8], name: &str) -> Result<()> {
    let target = describe(d, name);
    let r = match d {
        Destination::S3 { bucket, prefix } => {
            cloud::block_on(s3_put(bucket, &format!("{prefix}{name}"), contents)).and_then(|r| r)
        }
        Destination::Gcs { bucket, prefix } => {
            cloud::block_on(gcs_put(bucket, &format!("{prefix}{name}"), contents)).and_then(|r| r)
        }
        Destination::Vault { .. } => {
            return Err(Error::generic(format!(
                "could not upload to {target}: Vault does not support uploading encrypted sops files directly"
            )))
        }
    };
    r.map_err(|e| {
        Error::with_source(
            code::ERROR_GENERIC,
            format!("could not upload to {target}"),
            e,
        )
    })
}

/// Write the decrypted values as a KV secret (Vault). Returns false when
/// the secret already held the same data (nothing written).
pub fn upload_unencrypted(d: &Destination, data: &serde_json::Value, name: &str) -> Result<bool> {
    let target = describe(d, name);
    let r = match d {
        Destination::Vault { kv_version, .. } => cloud::block_on(vault_put(
            &vault_address(d),
            &vault_secret_path(d, name),
            *kv_version,
            data,
        ))
        .and_then(|r| r),
        _ => {
            return Err(Error::generic(format!(
                "could not write {target}: S3 and GCS do not support uploading the unencrypted file contents"
            )))
        }
    };
    r.map_err(|e| Error::with_source(code::ERROR_GENERIC, format!("could not write {target}"), e))
}

/// The decrypted documents as one JSON object, as sops publishes them to
/// Vault: the top-level keys of every document; nested maps as objects.
pub fn tree_to_json(docs: &[Branch]) -> serde_json::Value {
    let mut out = serde_json::Map::new();
    for d in docs {
        merge_branch(&mut out, d);
    }
    serde_json::Value::Object(out)
}

fn merge_branch(out: &mut serde_json::Map<String, serde_json::Value>, b: &Branch) {
    for item in b {
        // Comments have no string key and are skipped.
        if let Some(k) = item.key_str() {
            out.insert(k.to_string(), value_to_json(&item.value));
        }
    }
}

fn value_to_json(v: &Value) -> serde_json::Value {
    use serde_json::Value as J;
    match v {
        Value::Map(m) => {
            let mut o = serde_json::Map::new();
            merge_branch(&mut o, m);
            J::Object(o)
        }
        Value::List(l) => J::Array(
            l.iter()
                .filter(|v| !v.is_comment())
                .map(value_to_json)
                .collect(),
        ),
        Value::Str(s) | Value::Time(s) => J::String(s.clone()),
        Value::Int(i) => J::from(*i),
        Value::Float(f) => serde_json::Number::from_f64(*f).map_or(J::Null, J::Number),
        Value::Bool(b) => J::Bool(*b),
        Value::Bytes(b) => {
            use base64::Engine;
            J::String(base64::engine::general_purpose::STANDARD.encode(b))
        }
        Value::Null | Value::Comment(_) => J::Null,
    }
}

/// Percent-encode an object key, keeping its `/` separators.
fn key_path(key: &str) -> String {
    key.split('/').map(cloud::pct).collect::<Vec<_>>().join("/")
}

async fn s3_put(bucket: &str, key: &str, body: &[u8]) -> std::result::Result<(), KeyError> {
    use aws_credential_types::provider::ProvideCredentials;
    let cfg = aws_config::defaults(aws_config::BehaviorVersion::latest())
        .http_client(cloud::aws_http_client())
        .load()
        .await;
    let region = cfg
        .region()
        .map(|r| r.to_string())
        .unwrap_or_else(|| "us-east-1".to_string());
    let creds = cfg
        .credentials_provider()
        .ok_or_else(|| {
            KeyError::NoCredentials(
                "no AWS credentials: configure them as for the AWS CLI (environment, ~/.aws, SSO, …)"
                    .into(),
            )
        })?
        .provide_credentials()
        .await
        .map_err(|e| KeyError::NoCredentials(format!("no AWS credentials: {}", cloud::error_chain(&e))))?;
    let endpoint =
        cloud::env("AWS_ENDPOINT_URL_S3").or_else(|| cfg.endpoint_url().map(str::to_string));
    let url = match endpoint {
        Some(ep) => format!(
            "{}/{}/{}",
            ep.trim_end_matches('/'),
            cloud::pct(bucket),
            key_path(key)
        ),
        None if bucket.contains('.') => format!(
            "https://s3.{region}.amazonaws.com/{}/{}",
            cloud::pct(bucket),
            key_path(key)
        ),
        None => format!(
            "https://{bucket}.s3.{region}.amazonaws.com/{}",
            key_path(key)
        ),
    };
    let host = cloud::host_of(&url);
    let identity = creds.into();
    let mut settings = aws_sigv4::http_request::SigningSettings::default();
    settings.payload_checksum_kind = aws_sigv4::http_request::PayloadChecksumKind::XAmzSha256;
    settings.percent_encoding_mode = aws_sigv4::http_request::PercentEncodingMode::Single;
    settings.uri_path_normalization_mode =
        aws_sigv4::http_request::UriPathNormalizationMode::Disabled;
    let params: aws_sigv4::http_request::SigningParams<'_> =
        aws_sigv4::sign::v4::SigningParams::builder()
            .identity(&identity)
            .region(&region)
            .name("s3")
            .time(std::time::SystemTime::now())
            .settings(settings)
            .build()
            .map_err(|e| KeyError::Service(format!("cannot sign the request: {e}")))?
            .into();
    let length = body.len().to_string();
    let base = [("host", host.as_str()), ("content-length", length.as_str())];
    let signable = aws_sigv4::http_request::SignableRequest::new(
        "PUT",
        url.as_str(),
        base.iter().copied(),
        aws_sigv4::http_request::SignableBody::Bytes(body),
    )
    .map_err(|e| KeyError::Service(format!("cannot sign the request: {e}")))?;
    let (instructions, _) = aws_sigv4::http_request::sign(signable, &params)
        .map_err(|e| KeyError::Service(format!("cannot sign the request: {e}")))?
        .into_parts();
    let mut headers: Vec<(&str, &str)> = base.to_vec();
    headers.extend(instructions.headers());
    let resp = cloud::send("PUT", &url, &headers, body.to_vec()).await?;
    if !(200..300).contains(&resp.status) {
        return Err(KeyError::Service(cloud::http_failure(&resp)));
    }
    Ok(())
}

async fn gcs_put(bucket: &str, object: &str, body: &[u8]) -> std::result::Result<(), KeyError> {
    let (endpoint, token) = match cloud::env("STORAGE_EMULATOR_HOST") {
        Some(h) if h.starts_with("http://") || h.starts_with("https://") => (h, None),
        Some(h) => (format!("http://{h}"), None),
        None => (
            "https://storage.googleapis.com".to_string(),
            Some(crate::keys::gcpkms::access_token().await?),
        ),
    };
    let url = format!(
        "{}/upload/storage/v1/b/{}/o?uploadType=media&name={}",
        endpoint.trim_end_matches('/'),
        cloud::pct(bucket),
        cloud::pct(object)
    );
    let auth = token.map(|t| format!("Bearer {t}"));
    let mut headers = vec![("content-type", "application/octet-stream")];
    if let Some(a) = &auth {
        headers.push(("authorization", a));
    }
    let resp = cloud::send("POST", &url, &headers, body.to_vec()).await?;
    if !(200..300).contains(&resp.status) {
        return Err(KeyError::Service(cloud::http_failure(&resp)));
    }
    Ok(())
}

fn vault_address(d: &Destination) -> String {
    let given = match d {
        Destination::Vault { address, .. } => address.clone(),
        _ => String::new(),
    };
    let a = if given.is_empty() {
        cloud::env("VAULT_ADDR").unwrap_or_else(|| "https://127.0.0.1:8200".to_string())
    } else {
        given
    };
    a.trim_end_matches('/').to_string()
}

/// The secret's API path: `MOUNT/PATH/NAME` (KV v1) or
/// `MOUNT/data/PATH/NAME` (KV v2).
fn vault_secret_path(d: &Destination, name: &str) -> String {
    match d {
        Destination::Vault {
            path,
            mount,
            kv_version: 1,
            ..
        } => format!("{mount}{path}{name}"),
        Destination::Vault { path, mount, .. } => format!("{mount}data/{path}{name}"),
        _ => name.to_string(),
    }
}

async fn vault_put(
    address: &str,
    secret: &str,
    kv_version: u8,
    data: &serde_json::Value,
) -> std::result::Result<bool, KeyError> {
    let token = crate::keys::hcvault::vault_token()?;
    let url = format!("{address}/v1/{secret}");
    let ns = cloud::env("VAULT_NAMESPACE");
    let mut headers: Vec<(&str, &str)> =
        vec![("x-vault-token", &token), ("x-vault-request", "true")];
    if let Some(ns) = &ns {
        headers.push(("x-vault-namespace", ns));
    }
    // The current secret: unchanged data is not written again.
    match cloud::send_trusting(cloud::Trust::Vault, "GET", &url, &headers, vec![]).await {
        Ok(r) if r.status == 200 => {
            let current = r.json().ok().and_then(|v| {
                let p = if kv_version == 1 { "/data" } else { "/data/data" };
                v.pointer(p).cloned()
            });
            if current.as_ref() == Some(data) {
                eprintln!("rsops: the secret in {secret} is already up to date");
                return Ok(false);
            }
        }
        Ok(r) if r.status == 404 => {}
        _ => eprintln!(
            "rsops: cannot check whether the secret in {secret} already exists: a new version is written even if the data has not changed"
        ),
    }
    let doc = if kv_version == 1 {
        data.clone()
    } else {
        serde_json::json!({ "data": data })
    };
    let resp = cloud::send_json_trusting(cloud::Trust::Vault, "PUT", &url, &headers, &doc).await?;
    if !(200..300).contains(&resp.status) {
        return Err(KeyError::Service(cloud::http_failure(&resp)));
    }
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_as_sops_names_them() {
        let v2 = Destination::Vault {
            address: "http://127.0.0.1:8200".into(),
            path: "app/".into(),
            mount: "secret/".into(),
            kv_version: 2,
        };
        assert_eq!(
            describe(&v2, "db"),
            "http://127.0.0.1:8200/v1/secret/data/app/db"
        );
        let v1 = Destination::Vault {
            address: "http://127.0.0.1:8200/".into(),
            path: "app/".into(),
            mount: "kv/".into(),
            kv_version: 1,
        };
        assert_eq!(describe(&v1, "db"), "http://127.0.0.1:8200/v1/kv/app/db");
        let s3 = Destination::S3 {
            bucket: "b".into(),
            prefix: "p/".into(),
        };
        assert_eq!(describe(&s3, "x.yaml"), "s3://b/p/x.yaml");
        assert_eq!(key_path("a b/c+d.yaml"), "a%20b/c%2Bd.yaml");
    }
}
