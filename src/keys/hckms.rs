//! HuaweiCloud KMS master keys (`hckms`), as sops 3.12 and 3.13 use them
//! through the HuaweiCloud Go SDK: `POST {endpoint}/v1.0/{project_id}/kms/
//! encrypt-data` with the base64 text of the data key, storing the returned
//! `cipher_text` verbatim as `enc`, and `…/kms/decrypt-data` back (its
//! `plain_text` is that base64 text again). Requests are signed with the
//! SDK's `SDK-HMAC-SHA256` scheme (`sign`).
//!
//! A key is named `REGION:KEY-ID` (`tr-west-1:0d0466b0-e727-4d9c-b35d-
//! f84bb474a37f`): the region picks the endpoint, the key ID goes in the
//! request body. The project comes from the credentials.
//!
//! Credentials, in the SDK's order: `HUAWEICLOUD_SDK_AK` and
//! `HUAWEICLOUD_SDK_SK` (with the optional `HUAWEICLOUD_SDK_SECURITY_TOKEN`
//! and `HUAWEICLOUD_SDK_PROJECT_ID`), else the `[basic]` section of the INI
//! file `HUAWEICLOUD_SDK_CREDENTIALS_FILE` or `~/.huaweicloud/credentials`
//! (`ak`, `sk`, `security_token`, `project_id`, `iam_endpoint`). Without a
//! project ID it is looked up once per process at IAM (`GET {iam}/v3/
//! projects?name={region}`, signed the same way), IAM being the user's
//! `iam_endpoint` or `HUAWEICLOUD_SDK_IAM_ENDPOINT`, else the SDK's IAM
//! endpoint of the region, else `https://iam.myhuaweicloud.com`. rsops does
//! not query the ECS metadata service, nor exchange an identity-federation
//! token (`HUAWEICLOUD_SDK_IDP_ID`/`HUAWEICLOUD_SDK_ID_TOKEN_FILE`, refused
//! with an explanation).
//!
//! The endpoint of a region, in the SDK's order: the user's
//! `HUAWEICLOUD_SDK_REGION_KMS_<REGION>` (region upper-cased, `-` as `_`;
//! comma-separated endpoints are tried in turn when one is unreachable),
//! else the user's regions file (`HUAWEICLOUD_SDK_REGIONS_FILE` or
//! `~/.huaweicloud/regions.yaml`, `KMS: [{id: REGION, endpoint: URL}]`),
//! else the SDK's table of KMS regions ([`KMS_REGIONS`]):
//! `https://kms.REGION.myhuaweicloud.com` (`.eu` for `eu-west-101`).
//!
//! A file's `key_id` is written by whoever wrote the file, so it never
//! decides where the credentials go: before any credential is read or
//! request sent (encrypt, decrypt, rotate, key service), the region must be
//! lowercase letters, digits and hyphens and either in the table or named by
//! the user's own settings, and the key ID must be a KMS key's UUID
//! ([`check`]).

use crate::keys::KeyError;
use std::collections::HashMap;
#[cfg(feature = "huaweicloud")]
use std::sync::Mutex;
use std::sync::OnceLock;

#[cfg(feature = "huaweicloud")]
use base64::Engine;
use zeroize::Zeroizing;

use super::cloud;
use crate::error::{Error, Result};
use crate::tree::{Branch, Value};

#[cfg(feature = "huaweicloud")]
const B64: base64::engine::GeneralPurpose = base64::engine::general_purpose::STANDARD;

pub const AK_ENV: &str = "HUAWEICLOUD_SDK_AK";
pub const SK_ENV: &str = "HUAWEICLOUD_SDK_SK";
pub const SECURITY_TOKEN_ENV: &str = "HUAWEICLOUD_SDK_SECURITY_TOKEN";
pub const PROJECT_ID_ENV: &str = "HUAWEICLOUD_SDK_PROJECT_ID";
pub const IDP_ID_ENV: &str = "HUAWEICLOUD_SDK_IDP_ID";
pub const ID_TOKEN_FILE_ENV: &str = "HUAWEICLOUD_SDK_ID_TOKEN_FILE";
pub const CREDENTIALS_FILE_ENV: &str = "HUAWEICLOUD_SDK_CREDENTIALS_FILE";
pub const IAM_ENDPOINT_ENV: &str = "HUAWEICLOUD_SDK_IAM_ENDPOINT";
pub const REGIONS_FILE_ENV: &str = "HUAWEICLOUD_SDK_REGIONS_FILE";
/// Followed by the region, upper-cased with `-` as `_`.
pub const REGION_ENV_PREFIX: &str = "HUAWEICLOUD_SDK_REGION_KMS_";

/// The signing algorithm's name (the SDK's default, `HmacSHA256`).
pub const ALGORITHM: &str = "SDK-HMAC-SHA256";

/// The KMS regions of the HuaweiCloud Go SDK (v0.1.187/188,
/// `services/kms/v2/region`), sorted as the SDK lists them in errors.
pub const KMS_REGIONS: [&str; 32] = [
    "ae-ad-1",
    "af-north-1",
    "af-south-1",
    "ap-southeast-1",
    "ap-southeast-2",
    "ap-southeast-3",
    "ap-southeast-4",
    "ap-southeast-5",
    "cn-east-2",
    "cn-east-3",
    "cn-east-4",
    "cn-east-5",
    "cn-north-1",
    "cn-north-11",
    "cn-north-12",
    "cn-north-2",
    "cn-north-4",
    "cn-north-9",
    "cn-south-1",
    "cn-south-2",
    "cn-south-4",
    "cn-southwest-2",
    "cn-southwest-3",
    "eu-west-101",
    "la-north-2",
    "la-south-2",
    "me-east-1",
    "my-kualalumpur-1",
    "na-mexico-1",
    "ru-moscow-1",
    "sa-brazil-1",
    "tr-west-1",
];

/// The regions with their own IAM endpoint in the SDK
/// (`core/auth/internal/iam_endpoint.go`); others use [`DEFAULT_IAM`].
#[cfg(feature = "huaweicloud")]
const IAM_REGIONS: [&str; 27] = [
    "cn-north-2",
    "cn-north-4",
    "cn-north-1",
    "cn-east-2",
    "cn-east-3",
    "cn-south-1",
    "cn-south-2",
    "cn-southwest-2",
    "ap-southeast-1",
    "ap-southeast-2",
    "ap-southeast-3",
    "af-south-1",
    "sa-brazil-1",
    "la-south-2",
    "na-mexico-1",
    "la-north-2",
    "cn-north-9",
    "eu-west-0",
    "my-kualalumpur-1",
    "ru-moscow-1",
    "me-east-1",
    "ap-southeast-4",
    "ae-ad-1",
    "cn-east-4",
    "cn-east-5",
    "tr-west-1",
    "cn-north-12",
];

#[cfg(feature = "huaweicloud")]
const DEFAULT_IAM: &str = "https://iam.myhuaweicloud.com";

// ---------------------------------------------------------------------------
// Key IDs

/// sops' `parseKeyID`: the whole ID trimmed, split at its first `:`, both
/// parts trimmed and non-empty. Errors are sops' own.
pub fn parse_key_id(id: &str) -> std::result::Result<(&str, &str), KeyError> {
    let t = id.trim();
    let Some((region, uuid)) = t.split_once(':') else {
        return Err(KeyError::Invalid(format!(
            "invalid key ID format: expected 'region:key-uuid', got {t:?}"
        )));
    };
    let (region, uuid) = (region.trim(), uuid.trim());
    if region.is_empty() {
        return Err(KeyError::Invalid(format!(
            "region cannot be empty in key ID: {t:?}"
        )));
    }
    if uuid.is_empty() {
        return Err(KeyError::Invalid(format!(
            "key UUID cannot be empty in key ID: {t:?}"
        )));
    }
    Ok((region, uuid))
}

/// A region ID: 1 to 63 lowercase letters, digits and hyphens, neither
/// starting nor ending with a hyphen (`tr-west-1`, `eu-west-101`).
pub fn is_region(s: &str) -> bool {
    cloud::is_dns_label(s) && !s.bytes().any(|b| b.is_ascii_uppercase())
}

/// A KMS key ID: a UUID, 8-4-4-4-12 hexadecimal digits.
pub fn is_key_uuid(s: &str) -> bool {
    s.len() == 36
        && s.bytes().enumerate().all(|(i, b)| match i {
            8 | 13 | 18 | 23 => b == b'-',
            _ => b.is_ascii_hexdigit(),
        })
}

/// sops' parse, then the shapes of both parts: `(region, key uuid)`.
pub fn validate_key_id(id: &str) -> std::result::Result<(&str, &str), KeyError> {
    let (region, uuid) = parse_key_id(id)?;
    if !is_region(region) {
        return Err(KeyError::Invalid(format!(
            "the region {region:?} is not a HuaweiCloud region ID (lowercase letters, digits and hyphens, e.g. tr-west-1)"
        )));
    }
    if !is_key_uuid(uuid) {
        return Err(KeyError::Invalid(format!(
            "the key ID {uuid:?} is not a KMS key ID (a UUID: 8-4-4-4-12 hexadecimal digits, e.g. 0d0466b0-e727-4d9c-b35d-f84bb474a37f)"
        )));
    }
    Ok((region, uuid))
}

/// A key for a `--hckms` entry, a creation rule or a key group: the ID as
/// given (like sops), checked.
pub fn key_from_id(id: &str) -> Result<HckmsKey> {
    validate_key_id(id).map_err(|e| {
        Error::with_source(
            crate::error::code::ERROR_GENERIC,
            format!("invalid HuaweiCloud KMS key ID {id:?}"),
            e,
        )
    })?;
    Ok(HckmsKey {
        key_id: id.to_string(),
        ..Default::default()
    })
}

/// Keys from a comma-separated `--hckms`/`SOPS_HUAWEICLOUD_KMS_IDS` list
/// (entries trimmed, empty ones skipped; one bad entry fails the list).
pub fn keys_from_list(list: &str) -> Result<Vec<HckmsKey>> {
    super::split_list(list).map(key_from_id).collect()
}

// ---------------------------------------------------------------------------
// Endpoints

/// Where the requests for one key go, and which setting said so.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Endpoint {
    /// Base URLs, no trailing `/`, tried in order while unreachable.
    pub urls: Vec<String>,
    /// The setting that named them (for messages).
    pub origin: String,
}

/// The environment variable overriding a region's KMS endpoint (the SDK's
/// name: region upper-cased, `-` replaced by `_`).
pub fn region_env(region: &str) -> String {
    format!(
        "{REGION_ENV_PREFIX}{}",
        region.to_ascii_uppercase().replace('-', "_")
    )
}

/// The SDK's built-in KMS endpoint of a region, if it knows the region.
pub fn builtin_endpoint(region: &str) -> Option<String> {
    KMS_REGIONS.contains(&region).then(|| {
        if region == "eu-west-101" {
            format!("https://kms.{region}.myhuaweicloud.eu")
        } else {
            format!("https://kms.{region}.myhuaweicloud.com")
        }
    })
}

/// A user-given endpoint as a base URL: `https://` added when there is no
/// scheme (as the SDK does), http or https, a host, no query, fragment or
/// user name, no trailing `/`.
pub fn user_url(v: &str, setting: &str) -> std::result::Result<String, KeyError> {
    let v = v.trim();
    let url = if v.contains("://") {
        v.to_string()
    } else {
        format!("https://{v}")
    };
    let url = url.trim_end_matches('/').to_string();
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .unwrap_or("");
    let authority = rest.split('/').next().unwrap_or("");
    let (host, port) = if authority.starts_with('[') {
        match authority.split_once(']') {
            Some((h, "")) => (format!("{h}]"), None),
            Some((h, p)) => (format!("{h}]"), Some(p.strip_prefix(':').unwrap_or("x"))),
            None => (authority.to_string(), None),
        }
    } else {
        match authority.rsplit_once(':') {
            Some((h, p)) => (h.to_string(), Some(p)),
            None => (authority.to_string(), None),
        }
    };
    let host = host.as_str();
    let host_ok = cloud::is_dns_name(host)
        || host.parse::<std::net::Ipv4Addr>().is_ok()
        || host
            .strip_prefix('[')
            .and_then(|h| h.strip_suffix(']'))
            .is_some_and(|h| h.parse::<std::net::Ipv6Addr>().is_ok());
    let port_ok = port.is_none_or(|p| p.parse::<u16>().is_ok_and(|n| n > 0));
    if !host_ok
        || !port_ok
        || url.contains(['?', '#', '@'])
        || url.chars().any(|c| c.is_whitespace() || c.is_control())
    {
        return Err(KeyError::Invalid(format!(
            "{setting}: {v:?} is not an endpoint (expected https://HOST[:PORT][/PATH])"
        )));
    }
    Ok(url)
}

/// The KMS endpoints of the user's regions file: region → endpoints.
pub type RegionsFile = HashMap<String, Vec<String>>;

/// Read a regions file (YAML: `SERVICE: [{id, endpoint, endpoints}]`),
/// keeping the `KMS` service (named in any case, as the SDK does).
pub fn parse_regions_file(text: &[u8], origin: &str) -> std::result::Result<RegionsFile, KeyError> {
    let bad =
        |what: &str| KeyError::Invalid(format!("the regions file {origin} is not valid: {what}"));
    let docs = crate::stores::yaml::parse(text).map_err(|e| bad(&e.to_string()))?;
    let mut out = RegionsFile::new();
    let Some(doc) = docs.into_iter().next() else {
        return Ok(out);
    };
    for it in &doc {
        let Some(service) = it.key_str() else {
            continue;
        };
        if !service.eq_ignore_ascii_case("KMS") {
            continue;
        }
        let list = match &it.value {
            Value::Null => continue,
            Value::List(l) => l,
            _ => return Err(bad(&format!("{service} must be a list of regions"))),
        };
        for r in list.iter().filter(|x| !x.is_comment()) {
            let m = r
                .as_map()
                .ok_or_else(|| bad(&format!("the entries of {service} must be maps")))?;
            let id = super::entry_text(m, "id", "regions file").map_err(|e| bad(&e.to_string()))?;
            if id.is_empty() {
                continue;
            }
            let mut urls = Vec::new();
            let one = super::entry_text(m, "endpoint", "regions file")
                .map_err(|e| bad(&e.to_string()))?;
            if !one.is_empty() {
                urls.push(one);
            }
            if let Some(i) = m.iter().find(|i| i.key_str() == Some("endpoints")) {
                urls.extend(
                    super::string_or_list(&i.value, "endpoints")
                        .map_err(|e| bad(&e.to_string()))?,
                );
            }
            if !urls.is_empty() {
                out.insert(id, urls);
            }
        }
    }
    Ok(out)
}

/// The user's regions file, read once per process (none: empty).
fn regions_file() -> std::result::Result<&'static (String, RegionsFile), KeyError> {
    static FILE: OnceLock<std::result::Result<(String, RegionsFile), KeyError>> = OnceLock::new();
    FILE.get_or_init(|| {
        let path = match raw_env(REGIONS_FILE_ENV) {
            Some(p) => std::path::PathBuf::from(p),
            None => match cloud::home() {
                Some(h) => h.join(".huaweicloud").join("regions.yaml"),
                None => return Ok((String::new(), RegionsFile::new())),
            },
        };
        let shown = path.display().to_string();
        match std::fs::read(&path) {
            Ok(text) => Ok((shown.clone(), parse_regions_file(&text, &shown)?)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok((shown, RegionsFile::new())),
            Err(e) => Err(KeyError::Invalid(format!(
                "cannot read the regions file {shown}: {e}"
            ))),
        }
    })
    .as_ref()
    .map_err(|e| e.clone())
}

/// The endpoint of a (well-formed) region from these settings, in the
/// SDK's order: the environment override, the regions file, the table.
pub fn endpoint_from(
    region: &str,
    env_value: Option<&str>,
    file: &(String, RegionsFile),
) -> std::result::Result<Endpoint, KeyError> {
    let var = region_env(region);
    if let Some(v) = env_value {
        let urls = v
            .split(',')
            .map(str::trim)
            .filter(|e| !e.is_empty())
            .map(|e| user_url(e, &var))
            .collect::<std::result::Result<Vec<_>, _>>()?;
        if !urls.is_empty() {
            return Ok(Endpoint { urls, origin: var });
        }
    }
    if let Some(list) = file.1.get(region) {
        let origin = format!("the regions file {}", file.0);
        let urls = list
            .iter()
            .map(|e| user_url(e, &origin))
            .collect::<std::result::Result<Vec<_>, _>>()?;
        return Ok(Endpoint { urls, origin });
    }
    if let Some(url) = builtin_endpoint(region) {
        return Ok(Endpoint {
            urls: vec![url],
            origin: "the SDK's region table".into(),
        });
    }
    Err(KeyError::Service(format!(
        "region id '{region}' is not in the following supported regions of service 'KMS': [{}]; \
         to use another region, set {var} to its KMS endpoint (or list it under KMS in \
         {REGIONS_FILE_ENV} or ~/.huaweicloud/regions.yaml)",
        KMS_REGIONS.join(", ")
    )))
}

/// Every check of an `hckms` entry, run before any credential is read or
/// request sent; the error names the entry. Returns the region, the key
/// UUID and the endpoint.
pub fn check(k: &HckmsKey) -> std::result::Result<(String, String, Endpoint), KeyError> {
    let refuse = |e: KeyError| {
        KeyError::Refused(format!(
            "refused the hckms entry {:?}: {e}; rsops sends HuaweiCloud credentials only to the KMS \
             endpoint of a known region (https://kms.REGION.myhuaweicloud.com) or to one the user \
             sets ({REGION_ENV_PREFIX}<REGION>, the regions file), never to one a file chooses",
            k.key_id
        ))
    };
    let (region, uuid) = validate_key_id(&k.key_id).map_err(refuse)?;
    let file = regions_file().map_err(refuse)?;
    let ep = endpoint_from(region, raw_env(&region_env(region)).as_deref(), file)
        .map_err(|e| refuse(e.context(format!("invalid region {region:?}"))))?;
    Ok((region.to_string(), uuid.to_string(), ep))
}

// ---------------------------------------------------------------------------
// Signing (SDK-HMAC-SHA256, the SDK's core/auth/signer/signer.go)

/// The SDK's escaping: every byte but `A-Z a-z 0-9 _ - ~ .` as `%XX`.
#[cfg(feature = "huaweicloud")]
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'~' | b'.') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The path, each segment escaped, always ending in `/`.
#[cfg(feature = "huaweicloud")]
pub fn canonical_uri(path: &str) -> String {
    let mut uri = path.split('/').map(escape).collect::<Vec<_>>().join("/");
    if !uri.ends_with('/') {
        uri.push('/');
    }
    uri
}

/// Keys sorted, each key's values sorted, `k=v` escaped, joined by `&`.
#[cfg(feature = "huaweicloud")]
pub fn canonical_query(query: &[(&str, &str)]) -> String {
    let mut by_key: std::collections::BTreeMap<&str, Vec<&str>> = Default::default();
    for (k, v) in query {
        by_key.entry(k).or_default().push(v);
    }
    let mut parts = Vec::new();
    for (k, mut vs) in by_key {
        vs.sort();
        for v in vs {
            parts.push(format!("{}={}", escape(k), escape(v)));
        }
    }
    parts.join("&")
}

/// The signed headers: every header name lower-cased, except those
/// starting with `content-type` and those holding `_`; sorted.
#[cfg(feature = "huaweicloud")]
pub fn signed_headers(headers: &[(&str, &str)]) -> Vec<String> {
    let mut names: Vec<String> = headers
        .iter()
        .map(|(k, _)| k.to_ascii_lowercase())
        .filter(|k| !k.starts_with("content-type") && !k.contains('_'))
        .collect();
    names.sort();
    names.dedup();
    names
}

#[cfg(feature = "huaweicloud")]
fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(feature = "huaweicloud")]
fn sha256_hex(data: &[u8]) -> String {
    hex(ring::digest::digest(&ring::digest::SHA256, data).as_ref())
}

/// The canonical request of the SDK's signer.
#[cfg(feature = "huaweicloud")]
pub fn canonical_request(
    method: &str,
    path: &str,
    query: &[(&str, &str)],
    headers: &[(&str, &str)],
    body: &[u8],
) -> String {
    let signed = signed_headers(headers);
    let mut lines = Vec::new();
    for name in &signed {
        let mut values: Vec<&str> = headers
            .iter()
            .filter(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.trim())
            .collect();
        values.sort();
        for v in values {
            lines.push(format!("{name}:{v}"));
        }
    }
    format!(
        "{method}\n{}\n{}\n{}\n\n{}\n{}",
        canonical_uri(path),
        canonical_query(query),
        lines.join("\n"),
        signed.join(";"),
        sha256_hex(body)
    )
}

/// The `Authorization` header for a request whose headers include
/// `X-Sdk-Date` (`YYYYMMDDTHHMMSSZ`).
#[cfg(feature = "huaweicloud")]
pub fn sign(
    method: &str,
    path: &str,
    query: &[(&str, &str)],
    headers: &[(&str, &str)],
    body: &[u8],
    ak: &str,
    sk: &[u8],
) -> String {
    let date = headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("x-sdk-date"))
        .map(|(_, v)| *v)
        .unwrap_or("");
    let cr = canonical_request(method, path, query, headers, body);
    let sts = format!("{ALGORITHM}\n{date}\n{}", sha256_hex(cr.as_bytes()));
    let key = ring::hmac::Key::new(ring::hmac::HMAC_SHA256, sk);
    let sig = hex(ring::hmac::sign(&key, sts.as_bytes()).as_ref());
    format!(
        "{ALGORITHM} Access={ak}, SignedHeaders={}, Signature={sig}",
        signed_headers(headers).join(";")
    )
}

/// The current time as `X-Sdk-Date` wants it.
#[cfg(feature = "huaweicloud")]
fn sdk_date() -> String {
    let t = time::OffsetDateTime::now_utc();
    format!(
        "{:04}{:02}{:02}T{:02}{:02}{:02}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

// ---------------------------------------------------------------------------
// Credentials

/// AK/SK credentials (never printed: `Debug` hides the secrets).
#[derive(Clone)]
#[cfg(feature = "huaweicloud")]
pub(crate) struct Creds {
    pub ak: String,
    pub sk: Zeroizing<String>,
    pub security_token: Option<Zeroizing<String>>,
    pub project_id: String,
    /// The profile's `iam_endpoint`.
    pub iam_endpoint: Option<String>,
    /// Where they came from (for messages).
    pub origin: String,
}

#[cfg(feature = "huaweicloud")]
impl std::fmt::Debug for Creds {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Creds")
            .field("origin", &self.origin)
            .field("project_id", &self.project_id)
            .finish_non_exhaustive()
    }
}

/// A non-empty environment variable, as Go's `os.Getenv(..) != ""`.
fn raw_env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

/// The SDK's `fillCommonAttrs` for one provider's values.
#[allow(clippy::too_many_arguments)]
#[cfg(feature = "huaweicloud")]
fn creds_from(
    ak: Option<String>,
    sk: Option<String>,
    token: Option<String>,
    project_id: Option<String>,
    idp: (Option<String>, Option<String>),
    iam_endpoint: Option<String>,
    origin: String,
) -> std::result::Result<Creds, KeyError> {
    if idp.0.is_some() && idp.1.is_some() {
        return Err(KeyError::Service(format!(
            "{origin}: identity federation (an IdP ID with an ID token file) is not supported by \
             rsops; use an AK/SK pair (temporary ones with a security token are fine)"
        )));
    }
    match (ak, sk) {
        (Some(ak), Some(sk)) => Ok(Creds {
            ak,
            sk: Zeroizing::new(sk),
            security_token: token.map(Zeroizing::new),
            project_id: project_id.unwrap_or_default(),
            iam_endpoint,
            origin,
        }),
        _ => Err(KeyError::Service(format!(
            "{origin}: AK&SK or IdpId&IdTokenFile does not exist"
        ))),
    }
}

#[cfg(feature = "huaweicloud")]
fn env_creds() -> std::result::Result<Creds, KeyError> {
    creds_from(
        raw_env(AK_ENV),
        raw_env(SK_ENV),
        raw_env(SECURITY_TOKEN_ENV),
        raw_env(PROJECT_ID_ENV),
        (raw_env(IDP_ID_ENV), raw_env(ID_TOKEN_FILE_ENV)),
        None,
        format!("the environment ({AK_ENV}, {SK_ENV})"),
    )
}

/// The `[basic]` section of a credentials file (later keys win).
#[cfg(feature = "huaweicloud")]
pub(crate) fn profile_creds(text: &[u8], origin: &str) -> std::result::Result<Creds, KeyError> {
    let docs = crate::stores::ini::parse(text).map_err(|e| {
        KeyError::NoCredentials(format!(
            "the credentials file {origin} is not a valid INI file: {e}"
        ))
    })?;
    let mut basic: HashMap<String, String> = HashMap::new();
    for it in docs.iter().flatten() {
        if it.key_str() != Some("basic") {
            continue;
        }
        for kv in it.value.as_map().map(|m| m.as_slice()).unwrap_or(&[]) {
            if let (Some(k), Some(v)) = (kv.key_str(), kv.value.as_str()) {
                basic.insert(k.to_string(), v.to_string());
            }
        }
    }
    let mut get = |k: &str| basic.remove(k).filter(|v| !v.is_empty());
    creds_from(
        get("ak"),
        get("sk"),
        get("security_token"),
        get("project_id"),
        (get("idp_id"), get("id_token_file")),
        get("iam_endpoint"),
        format!("the [basic] section of {origin}"),
    )
}

#[cfg(feature = "huaweicloud")]
fn file_creds() -> std::result::Result<Creds, KeyError> {
    let path = match raw_env(CREDENTIALS_FILE_ENV) {
        Some(p) => std::path::PathBuf::from(p),
        None => cloud::home()
            .ok_or(KeyError::NoCredentials(
                "no credentials file: HOME is not set".into(),
            ))?
            .join(".huaweicloud")
            .join("credentials"),
    };
    let shown = path.display().to_string();
    let text = std::fs::read(&path).map_err(|e| {
        KeyError::NoCredentials(format!("cannot read the credentials file {shown}: {e}"))
    })?;
    profile_creds(&text, &shown)
}

/// The SDK's basic credential chain (environment, then the profile file);
/// read afresh each time (a key service picks up changed credentials).
#[cfg(feature = "huaweicloud")]
pub(crate) fn load_credentials() -> std::result::Result<Creds, KeyError> {
    let e1 = match env_creds() {
        Ok(c) => return Ok(c),
        Err(e) => e,
    };
    let e2 = match file_creds() {
        Ok(c) => return Ok(c),
        Err(e) => e,
    };
    Err(KeyError::NoCredentials(format!(
        "failed to get HuaweiCloud credentials: {e1}; {e2}; set {AK_ENV} and {SK_ENV} (and \
         {PROJECT_ID_ENV}), or write ak, sk and project_id in the [basic] section of \
         ~/.huaweicloud/credentials (rsops does not query the ECS metadata service)"
    )))
}

/// A project ID (it goes into the request path and a header): letters,
/// digits, `_` and `-`, at most 64 (HuaweiCloud's are 32 hex digits).
pub fn is_project_id(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 64
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

/// The IAM endpoint for the project lookup: the profile's `iam_endpoint`,
/// `HUAWEICLOUD_SDK_IAM_ENDPOINT`, the SDK's endpoint of the region, or
/// the global one.
#[cfg(feature = "huaweicloud")]
pub(crate) fn iam_endpoint(creds: &Creds, region: &str) -> std::result::Result<String, KeyError> {
    if let Some(e) = &creds.iam_endpoint {
        return user_url(e, &format!("iam_endpoint in {}", creds.origin));
    }
    if let Some(e) = raw_env(IAM_ENDPOINT_ENV) {
        return user_url(&e, IAM_ENDPOINT_ENV);
    }
    Ok(if IAM_REGIONS.contains(&region) {
        format!("https://iam.{region}.myhuaweicloud.com")
    } else {
        DEFAULT_IAM.to_string()
    })
}

/// Project IDs looked up at IAM, by AK and region (the SDK's cache).
#[cfg(feature = "huaweicloud")]
fn project_cache() -> &'static Mutex<HashMap<(String, String), String>> {
    static C: OnceLock<Mutex<HashMap<(String, String), String>>> = OnceLock::new();
    C.get_or_init(|| Mutex::new(HashMap::new()))
}

/// The credentials' project ID, or the region's project looked up at IAM.
#[cfg(feature = "huaweicloud")]
async fn project_id(creds: &Creds, region: &str) -> std::result::Result<String, KeyError> {
    if !creds.project_id.is_empty() {
        if !is_project_id(&creds.project_id) {
            return Err(KeyError::Service(format!(
                "the project ID from {} is not a project ID (letters, digits, _ and -)",
                creds.origin
            )));
        }
        return Ok(creds.project_id.clone());
    }
    let cache_key = (creds.ak.clone(), region.to_string());
    if let Some(p) = project_cache()
        .lock()
        .ok()
        .and_then(|c| c.get(&cache_key).cloned())
    {
        return Ok(p);
    }
    let iam = iam_endpoint(creds, region)?;
    let failed = |e: KeyError| {
        KeyError::Service(format!(
            "failed to get project id of region '{region}' automatically from {}: {e}; set {PROJECT_ID_ENV} \
             (or project_id in the credentials file)",
            cloud::host_of(&iam)
        ))
    };
    let path = "/v3/projects";
    let query = [("name", region)];
    let url = format!("{iam}{path}?{}", cloud::form_encode(&query));
    let resp = signed_send(creds, "GET", &url, path, &query, &[], Vec::new())
        .await
        .map_err(failed)?;
    if resp.status >= 400 {
        return Err(failed(KeyError::Service(failure(&resp))));
    }
    let v = resp.json().map_err(failed)?;
    let ids: Vec<String> = v
        .get("projects")
        .and_then(|p| p.as_array())
        .map(|a| {
            a.iter()
                .filter_map(|p| p.get("id").and_then(|i| i.as_str()).map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    let id = match ids.as_slice() {
        [one] => one.clone(),
        [] => return Err(failed(KeyError::Service(
            "IAM lists no project of that name; confirm that the project exists in your account"
                .into(),
        ))),
        many => {
            let shown: Vec<&str> = many.iter().take(10).map(String::as_str).collect();
            return Err(failed(KeyError::Service(format!(
                "multiple project ids found: [{}]",
                shown.join(",")
            ))));
        }
    };
    if !is_project_id(&id) {
        return Err(failed(KeyError::Service(
            "IAM answered with a malformed project ID".into(),
        )));
    }
    if let Ok(mut c) = project_cache().lock() {
        c.insert(cache_key, id.clone());
    }
    Ok(id)
}

// ---------------------------------------------------------------------------
// Requests

/// Send one signed request. `path` and `query` are what `url` holds after
/// its base, as the SDK signs them; `extra` headers are signed too.
#[cfg(feature = "huaweicloud")]
async fn signed_send(
    creds: &Creds,
    method: &str,
    url: &str,
    path: &str,
    query: &[(&str, &str)],
    extra: &[(&str, &str)],
    body: Vec<u8>,
) -> std::result::Result<cloud::Response, KeyError> {
    let date = sdk_date();
    let ua = concat!("rsops/", env!("CARGO_PKG_VERSION"));
    let mut headers: Vec<(&str, &str)> = vec![("User-Agent", ua), ("X-Sdk-Date", &date)];
    headers.extend_from_slice(extra);
    if let Some(t) = &creds.security_token {
        headers.push(("X-Security-Token", t.as_str()));
    }
    let auth = sign(
        method,
        path,
        query,
        &headers,
        &body,
        &creds.ak,
        creds.sk.as_bytes(),
    );
    headers.push(("Authorization", &auth));
    cloud::send(method, url, &headers, body).await
}

/// A failed answer: HTTP status and meaning, and the service's error code
/// and message (`error_code`/`error_msg` or `code`/`message`, at the top
/// or nested one level), or the start of the raw body.
#[cfg(feature = "huaweicloud")]
pub(crate) fn failure(resp: &cloud::Response) -> String {
    let mut detail = String::new();
    if let Ok(v) = serde_json::from_slice::<serde_json::Value>(&resp.body) {
        let pick = |o: &serde_json::Value| {
            for (c, m) in [("error_code", "error_msg"), ("code", "message")] {
                let code = o.get(c).and_then(|x| x.as_str()).unwrap_or("");
                let msg = o.get(m).and_then(|x| x.as_str()).unwrap_or("");
                if !code.is_empty() || !msg.is_empty() {
                    return Some(
                        format!("{code}: {msg}")
                            .trim_matches([':', ' '])
                            .to_string(),
                    );
                }
            }
            None
        };
        detail = pick(&v)
            .or_else(|| {
                v.as_object()
                    .and_then(|o| o.values().find_map(|x| x.is_object().then(|| pick(x))?))
            })
            .unwrap_or_default();
    }
    if detail.is_empty() {
        detail = String::from_utf8_lossy(&resp.body).into_owned();
    }
    let detail: String = detail
        .replace(['\n', '\r'], " ")
        .chars()
        .filter(|c| !c.is_control())
        .take(300)
        .collect();
    let head = format!(
        "HTTP {} ({})",
        resp.status,
        cloud::status_meaning(resp.status)
    );
    if detail.trim().is_empty() {
        head
    } else {
        format!("{head}: {}", detail.trim())
    }
}

/// One KMS call: the credentials and project, then the request to each
/// endpoint in turn until one is reachable. Returns the answer's JSON.
#[cfg(feature = "huaweicloud")]
async fn kms_call(
    region: &str,
    ep: &Endpoint,
    op: &str,
    body: Zeroizing<Vec<u8>>,
) -> std::result::Result<serde_json::Value, KeyError> {
    let client_err = |e: KeyError| e.context("failed to create HuaweiCloud KMS client");
    let creds = load_credentials().map_err(client_err)?;
    let project = project_id(&creds, region).await.map_err(client_err)?;
    let path = format!("/v1.0/{project}/kms/{op}");
    let extra = [
        ("Content-Type", "application/json;charset=UTF-8"),
        ("X-Project-Id", project.as_str()),
    ];
    let mut errs = Vec::new();
    for base in &ep.urls {
        let url = format!("{base}{path}");
        match signed_send(&creds, "POST", &url, &path, &[], &extra, body.to_vec()).await {
            Ok(resp) if resp.status >= 400 => return Err(KeyError::Service(failure(&resp))),
            Ok(resp) => return resp.json(),
            Err(e) => errs.push(e),
        }
    }
    let errs: Vec<String> = errs.iter().map(ToString::to_string).collect();
    Err(KeyError::Service(format!(
        "{} (endpoint from {})",
        errs.join("; "),
        ep.origin
    )))
}

/// A JSON string literal.
#[cfg(feature = "huaweicloud")]
fn js(s: &str) -> String {
    serde_json::Value::String(s.to_string()).to_string()
}

/// Encrypt `secret`; fills `enc` and `created_at`.
#[cfg(feature = "huaweicloud")]
pub fn wrap(k: &mut HckmsKey, secret: &[u8]) -> super::KeyResult<()> {
    let fail = |e: KeyError| {
        e.context(format!(
            "could not encrypt the data key with HuaweiCloud KMS key {}",
            k.key_id
        ))
    };
    let (region, uuid, ep) = check(k).map_err(fail)?;
    let plain = Zeroizing::new(B64.encode(secret));
    // The SDK's body: these fields in this order, then Go's encoder's LF.
    let body = Zeroizing::new(
        format!(
            "{{\"key_id\":{},\"plain_text\":{},\"encryption_algorithm\":\"SYMMETRIC_DEFAULT\"}}\n",
            js(&uuid),
            js(&plain)
        )
        .into_bytes(),
    );
    let v = cloud::block_on(kms_call(&region, &ep, "encrypt-data", body))
        .and_then(|r| r)
        .map_err(|e| {
            fail(
                if e.to_string()
                    .starts_with("failed to create HuaweiCloud KMS client")
                {
                    e
                } else {
                    e.context("failed to encrypt sops data key with HuaweiCloud KMS")
                },
            )
        })?;
    let ct = match v.get("cipher_text") {
        Some(serde_json::Value::String(s)) if !s.is_empty() => s.clone(),
        _ => {
            return Err(fail(KeyError::Service(
                "encryption response missing ciphertext".into(),
            )))
        }
    };
    if ct.len() > super::MAX_ENC_LEN {
        return Err(fail(KeyError::Refused(format!(
            "the ciphertext KMS returned is larger than {} KiB",
            super::MAX_ENC_LEN >> 10
        ))));
    }
    k.enc = ct;
    k.created_at = crate::timefmt::now_rfc3339();
    Ok(())
}

/// Decrypt the stored data key.
#[cfg(feature = "huaweicloud")]
pub fn unwrap(k: &HckmsKey) -> std::result::Result<Zeroizing<Vec<u8>>, KeyError> {
    let (region, uuid, ep) = check(k)?;
    let body = Zeroizing::new(
        format!(
            "{{\"cipher_text\":{},\"encryption_algorithm\":\"SYMMETRIC_DEFAULT\",\"key_id\":{}}}\n",
            js(&k.enc),
            js(&uuid)
        )
        .into_bytes(),
    );
    let v = cloud::block_on(kms_call(&region, &ep, "decrypt-data", body))
        .and_then(|r| r)
        .map_err(|e| {
            if e.to_string()
                .starts_with("failed to create HuaweiCloud KMS client")
            {
                e
            } else {
                e.context("failed to decrypt sops data key with HuaweiCloud KMS")
            }
        })?;
    let text = match v.get("plain_text") {
        Some(serde_json::Value::String(s)) => Zeroizing::new(s.clone()),
        _ => {
            return Err(KeyError::Service(
                "decryption response missing plaintext".into(),
            ))
        }
    };
    B64.decode(text.trim().as_bytes())
        .map(Zeroizing::new)
        .map_err(|e| KeyError::Service(format!("failed to base64 decode decrypted data key: {e}")))
}

// ---------------------------------------------------------------------------
// The key source

/// Without the `huaweicloud` feature: the entry is kept and named, never used.
#[cfg(not(feature = "huaweicloud"))]
pub fn wrap(k: &mut HckmsKey, _secret: &[u8]) -> super::KeyResult<()> {
    Err(KeyError::NotBuilt(super::unbuilt(k)))
}

/// Without the `huaweicloud` feature: the entry is kept and named, never used.
#[cfg(not(feature = "huaweicloud"))]
pub fn unwrap(k: &HckmsKey) -> std::result::Result<Zeroizing<Vec<u8>>, KeyError> {
    Err(KeyError::NotBuilt(super::unbuilt(k)))
}

/// An `hckms` entry: `REGION:KEY-ID` and the stored ciphertext.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct HckmsKey {
    /// The whole `region:uuid`, as stored and sent to key services.
    pub key_id: String,
    pub created_at: String,
    /// The `cipher_text` HuaweiCloud KMS returned, verbatim.
    pub enc: String,
}

/// The HuaweiCloud KMS key source.
pub struct Source;
pub static SOURCE: Source = Source;

static NAMES: super::Names = super::Names {
    id: "hckms",
    noun: "HuaweiCloud KMS key",
    flag: "hckms",
    short: None,
    env: Some("SOPS_HUAWEICLOUD_KMS_IDS"),
    add_flag: "add-hckms",
    rm_flag: "rm-hckms",
    value_name: "IDS",
    help: "HuaweiCloud KMS key IDs (REGION:KEY-ID, e.g. tr-west-1:0d0466b0-e727-4d9c-b35d-f84bb474a37f)",
    rule_field: "hckms",
    group_field: "hckms",
};

impl super::KeySource for Source {
    fn names(&self) -> &'static super::Names {
        &NAMES
    }
    fn feature(&self) -> Option<super::Feature> {
        Some(super::Feature {
            name: "huaweicloud",
            enabled: cfg!(feature = "huaweicloud"),
        })
    }
    fn parse_list(&self, list: &str, _opts: &super::KeyOptions) -> Result<Vec<super::MasterKey>> {
        Ok(keys_from_list(list)?
            .into_iter()
            .map(super::MasterKey::new)
            .collect())
    }
    /// Maps with `key_id` (sops' `hckmsKey`).
    fn parse_group_value(&self, v: &Value) -> std::result::Result<Vec<super::MasterKey>, KeyError> {
        let mut out = Vec::new();
        for e in super::entry_maps(v, "hckms")? {
            let id = super::entry_text(e, "key_id", "hckms")?;
            out.push(super::MasterKey::new(
                key_from_id(&id).map_err(|e| KeyError::Invalid(e.message()))?,
            ));
        }
        Ok(out)
    }
    /// The entry as it is: a malformed `key_id` is refused when the key is
    /// used ([`check`]), so the file's other keys still work.
    fn read_entry(&self, e: &Branch) -> std::result::Result<super::MasterKey, KeyError> {
        Ok(super::MasterKey::new(HckmsKey {
            key_id: super::entry_text(e, "key_id", "hckms")?,
            created_at: super::entry_text(e, "created_at", "hckms")?,
            enc: super::entry_text(e, "enc", "hckms")?,
        }))
    }
    fn read_proto(&self, key: &crate::proto::key::KeyType, enc: &str) -> Option<super::MasterKey> {
        match key {
            crate::proto::key::KeyType::HckmsKey(k) => Some(super::MasterKey::new(HckmsKey {
                key_id: k.key_id.clone(),
                enc: enc.to_string(),
                ..Default::default()
            })),
            _ => None,
        }
    }
}

impl super::Key for HckmsKey {
    fn source(&self) -> &'static dyn super::KeySource {
        &SOURCE
    }
    fn name(&self) -> String {
        self.key_id.clone()
    }
    /// sops' key service names it so.
    fn label(&self) -> String {
        format!("HuaweiCloud KMS key with ID {}", self.key_id)
    }
    fn enc(&self) -> &str {
        &self.enc
    }
    /// sops 3.12's field order (3.13 sorts them).
    fn to_entry(&self) -> Branch {
        vec![
            super::text_item("key_id", &self.key_id),
            super::text_item("created_at", &self.created_at),
            super::text_item("enc", &self.enc),
        ]
    }
    fn to_proto(&self) -> crate::proto::key::KeyType {
        crate::proto::key::KeyType::HckmsKey(crate::proto::HckmsKey {
            key_id: self.key_id.clone(),
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
mod tests;
