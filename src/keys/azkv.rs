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
//!
//! A file's `vault_url` is written by whoever wrote the file, so it never
//! decides where the Entra ID token goes: before any token is fetched or
//! request sent (encrypt, decrypt, rotate, key service), the entry must be
//! `https://NAME.SUFFIX` (optional `:443`, nothing else) with SUFFIX one of
//! Azure's Key Vault and Managed HSM DNS suffixes ([`KNOWN_SUFFIXES`]) or
//! one the user lists in `RSOPS_AZURE_KEYVAULT_ALLOWED_HOSTS`; the token
//! audience is `https://SUFFIX`. Key names and versions must have Azure's
//! shapes, and are percent-encoded in request paths anyway.

use crate::keys::KeyError;
#[cfg(feature = "azure")]
use std::collections::HashMap;
#[cfg(feature = "azure")]
use std::sync::Mutex;
use std::sync::OnceLock;

#[cfg(feature = "azure")]
use base64::Engine;
use zeroize::Zeroizing;

use super::cloud;
use crate::error::{Error, Result};

#[cfg(feature = "azure")]
const API_VERSION: &str = "7.4";
#[cfg(feature = "azure")]
const ALGORITHM: &str = "RSA-OAEP-256";
#[cfg(feature = "azure")]
const B64URL: base64::engine::GeneralPurpose = base64::engine::general_purpose::URL_SAFE_NO_PAD;

/// Azure's Key Vault and Managed HSM DNS suffixes: public cloud, Azure
/// China, Azure US Government, Azure Germany (legacy). A vault host is one
/// DNS label followed by one of them.
pub const KNOWN_SUFFIXES: [&str; 7] = [
    "vault.azure.net",
    "managedhsm.azure.net",
    "vault.azure.cn",
    "managedhsm.azure.cn",
    "vault.usgovcloudapi.net",
    "managedhsm.usgovcloudapi.net",
    "vault.microsoftazure.de",
];

/// The user's setting that admits more vault host suffixes (comma-separated
/// DNS suffixes such as `vault.azurestack.example`; still https only).
pub const ALLOWED_HOSTS_ENV: &str = "RSOPS_AZURE_KEYVAULT_ALLOWED_HOSTS";

/// A vault URL that passed [`check_vault_url`]: where its requests go and
/// the audience of the token they carry.
#[derive(Debug, PartialEq, Eq)]
pub struct Vault {
    /// `https://NAME.SUFFIX`, lowercase, no port, no trailing slash.
    pub origin: String,
    /// `https://SUFFIX`: the token audience (resource).
    pub resource: String,
}

/// The suffixes of [`ALLOWED_HOSTS_ENV`], lowercase (empty entries are
/// skipped; an entry that is not a DNS suffix is an error).
fn allowed_suffixes() -> std::result::Result<Vec<String>, KeyError> {
    let Some(list) = cloud::env(ALLOWED_HOSTS_ENV) else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for entry in list.split(',').map(str::trim).filter(|e| !e.is_empty()) {
        let suffix = entry.trim_start_matches('.').to_ascii_lowercase();
        if !cloud::is_dns_name(&suffix) {
            return Err(KeyError::Service(format!(
                "{ALLOWED_HOSTS_ENV} entry {entry:?} is not a DNS suffix (give host suffixes such as \
                 vault.example.internal, without scheme, port or path)"
            )));
        }
        out.push(suffix);
    }
    Ok(out)
}

/// Check a `vault_url` (from a file, a flag or `.sops.yaml`): it must be
/// `https://NAME.SUFFIX[:443][/]`, NAME one DNS label and SUFFIX a known
/// Key Vault suffix or one listed in [`ALLOWED_HOSTS_ENV`]. The error says
/// what is wrong and names the setting.
pub fn check_vault_url(url: &str) -> std::result::Result<Vault, KeyError> {
    check_vault_url_in(url, &allowed_suffixes()?)
}

/// [`check_vault_url`] with the extra suffixes given.
fn check_vault_url_in(url: &str, allowed: &[String]) -> std::result::Result<Vault, KeyError> {
    let how = || {
        format!(
            "rsops sends Azure credentials only over https to a Key Vault host, \
             https://NAME.SUFFIX with SUFFIX one of {} (no port other than 443, no path, \
             query or user name); to allow another host suffix, list it in {ALLOWED_HOSTS_ENV} \
             (comma-separated, e.g. {ALLOWED_HOSTS_ENV}=vault.example.internal)",
            KNOWN_SUFFIXES.join(", ")
        )
    };
    let refuse = |why: &str| KeyError::Refused(format!("the vault_url {url:?} {why}; {}", how()));
    let rest = url
        .strip_prefix("https://")
        .ok_or_else(|| refuse("is not an https:// URL"))?;
    let rest = rest.strip_suffix('/').unwrap_or(rest);
    if rest.contains(['/', '?', '#', '@', '\\', '%']) || rest.chars().any(|c| c.is_whitespace()) {
        return Err(refuse(
            "has a path, query, user name or other characters after the host",
        ));
    }
    let host = match rest.rsplit_once(':') {
        Some((h, "443")) => h,
        Some(_) => return Err(refuse("names a port other than 443")),
        None => rest,
    };
    let host = host.to_ascii_lowercase();
    let Some((name, suffix)) = host.split_once('.') else {
        return Err(refuse("has no vault name before a Key Vault suffix"));
    };
    if !cloud::is_dns_label(name) || !cloud::is_dns_name(suffix) {
        return Err(refuse("has a host that is not a DNS name"));
    }
    if !KNOWN_SUFFIXES.contains(&suffix) && !allowed.iter().any(|a| a == suffix) {
        return Err(refuse(&format!(
            "is not a Key Vault host (its host {host} is not one name followed by a Key Vault suffix)"
        )));
    }
    Ok(Vault {
        origin: format!("https://{host}"),
        resource: format!("https://{suffix}"),
    })
}

/// Check a key name (`[0-9A-Za-z-]{1,127}`) and version (hexadecimal, or
/// empty for "the current version").
pub fn check_name_and_version(name: &str, version: &str) -> std::result::Result<(), KeyError> {
    if name.is_empty()
        || name.len() > 127
        || !name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
    {
        return Err(KeyError::Invalid(format!(
            "the key name {name:?} is not an Azure Key Vault key name (1 to 127 letters, digits and hyphens)"
        )));
    }
    if version.len() > 64 || !version.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(KeyError::Invalid(format!(
            "the key version {version:?} is not an Azure Key Vault key version (hexadecimal, or empty for the current version)"
        )));
    }
    Ok(())
}

/// Every check of an `azure_kv` entry, run before any token is fetched or
/// request sent; the error names the entry.
pub fn check(k: &AzureKvKey) -> std::result::Result<Vault, KeyError> {
    let fail = |e: KeyError| {
        KeyError::Refused(format!(
            "refused the azure_kv entry {}/keys/{}/{}: {e}",
            k.vault_url, k.name, k.version
        ))
    };
    let vault = check_vault_url(&k.vault_url).map_err(fail)?;
    check_name_and_version(&k.name, &k.version).map_err(fail)?;
    Ok(vault)
}

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
    let k = AzureKvKey {
        vault_url: part(1).to_string(),
        name: part(2).to_string(),
        version: part(3).trim_start_matches('/').to_string(),
        ..Default::default()
    };
    check(&k).map_err(Error::generic_from)?;
    Ok(k)
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
    let k = AzureKvKey {
        vault_url: vault_url.trim_end_matches('/').to_string(),
        name: name.to_string(),
        version: version.to_string(),
        ..Default::default()
    };
    check(&k).map_err(Error::generic_from)?;
    Ok(k)
}

/// Where a checked vault's requests go: the user's
/// `RSOPS_AZURE_KEYVAULT_ENDPOINT`, else the checked vault origin.
#[cfg(feature = "azure")]
fn base_url(v: &Vault) -> String {
    cloud::env("RSOPS_AZURE_KEYVAULT_ENDPOINT")
        .unwrap_or_else(|| v.origin.clone())
        .trim_end_matches('/')
        .to_string()
}

#[cfg(feature = "azure")]
fn authority() -> String {
    cloud::env("AZURE_AUTHORITY_HOST")
        .unwrap_or_else(|| "https://login.microsoftonline.com".to_string())
        .trim_end_matches('/')
        .to_string()
}

/// Tokens by resource, obtained once per process.
#[cfg(feature = "azure")]
fn tokens() -> &'static Mutex<HashMap<String, String>> {
    static T: OnceLock<Mutex<HashMap<String, String>>> = OnceLock::new();
    T.get_or_init(|| Mutex::new(HashMap::new()))
}

#[cfg(feature = "azure")]
async fn token(resource: &str) -> std::result::Result<String, KeyError> {
    if let Some(t) = tokens().lock().ok().and_then(|m| m.get(resource).cloned()) {
        return Ok(t);
    }
    let t = fetch_token(resource).await?;
    if let Ok(mut m) = tokens().lock() {
        m.insert(resource.to_string(), t.clone());
    }
    Ok(t)
}

#[cfg(feature = "azure")]
fn token_from(resp: &cloud::Response, from: &str) -> std::result::Result<String, KeyError> {
    if !(200..300).contains(&resp.status) {
        return Err(KeyError::NoCredentials(format!(
            "could not get an Azure access token from {from}: {}",
            cloud::http_failure(resp)
        )));
    }
    resp.json()?
        .get("access_token")
        .and_then(|t| t.as_str())
        .map(str::to_string)
        .ok_or_else(|| {
            KeyError::NoCredentials(format!(
                "could not get an Azure access token from {from}: the answer has no access_token"
            ))
        })
}

#[cfg(feature = "azure")]
async fn fetch_token(resource: &str) -> std::result::Result<String, KeyError> {
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
            let assertion = std::fs::read_to_string(&file).map_err(|e| {
                KeyError::NoCredentials(format!(
                    "cannot read AZURE_FEDERATED_TOKEN_FILE {file}: {e}"
                ))
            })?;
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
            return Err(KeyError::NoCredentials("AZURE_CLIENT_CERTIFICATE_PATH (certificate credentials) is not supported by rsops; \
                        use AZURE_CLIENT_SECRET, workload identity or `az login`"
                .into()));
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
    Err(KeyError::NoCredentials("no Azure credentials found: set AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET (or \
         AZURE_FEDERATED_TOKEN_FILE), or log in with `az login`"
        .into()))
}

/// `az account get-access-token`, when the Azure CLI is installed.
#[cfg(feature = "azure")]
fn az_cli_token(
    resource: &str,
    tenant: Option<&str>,
) -> std::result::Result<Option<String>, KeyError> {
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
        Err(e) => return Err(KeyError::Service(format!("cannot run the Azure CLI: {e}"))),
    };
    if !out.status.success() {
        let err = String::from_utf8_lossy(&out.stderr);
        let first = err
            .lines()
            .find(|l| !l.trim().is_empty())
            .unwrap_or("")
            .trim()
            .to_string();
        return Err(KeyError::Service(format!(
            "the Azure CLI could not get a token (run `az login`): {first}"
        )));
    }
    let v: serde_json::Value = serde_json::from_slice(&out.stdout)
        .map_err(|_| KeyError::Service("the Azure CLI printed no JSON token".to_string()))?;
    Ok(v.get("accessToken")
        .and_then(|t| t.as_str())
        .map(str::to_string))
}

#[cfg(feature = "azure")]
async fn authorized(v: &Vault) -> std::result::Result<String, KeyError> {
    Ok(format!("Bearer {}", token(&v.resource).await?))
}

/// Pin a version-less key to the key's current version.
#[cfg(feature = "azure")]
async fn resolve_version(k: &mut AzureKvKey, v: &Vault) -> std::result::Result<(), KeyError> {
    if !k.version.is_empty() {
        return Ok(());
    }
    let auth = authorized(v).await?;
    let url = format!(
        "{}/keys/{}?api-version={API_VERSION}",
        base_url(v),
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
        return Err(KeyError::Service(format!(
            "could not look up the key's current version: {}",
            cloud::http_failure(&resp)
        )));
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
        return Err(KeyError::Service(
            "the key's current version is unknown (no kid in the answer)".into(),
        ));
    }
    check_name_and_version(&k.name, &version).map_err(|e| {
        KeyError::Service(format!(
            "the service named an unusable current version: {e}"
        ))
    })?;
    k.version = version;
    Ok(())
}

#[cfg(feature = "azure")]
async fn call(
    k: &AzureKvKey,
    v: &Vault,
    op: &str,
    value: &[u8],
) -> std::result::Result<Vec<u8>, KeyError> {
    let auth = authorized(v).await?;
    let url = format!(
        "{}/keys/{}/{}/{op}?api-version={API_VERSION}",
        base_url(v),
        cloud::pct(&k.name),
        cloud::pct(&k.version)
    );
    let doc = serde_json::json!({"alg": ALGORITHM, "value": B64URL.encode(value)});
    let resp = cloud::send_json("POST", &url, &[("authorization", &auth)], &doc).await?;
    if !(200..300).contains(&resp.status) {
        return Err(KeyError::Service(cloud::http_failure(&resp)));
    }
    let text = resp
        .json()?
        .get("value")
        .and_then(|x| x.as_str())
        .map(str::to_string)
        .ok_or(KeyError::Service("the answer has no value".into()))?;
    decode_b64url(&text)
        .ok_or_else(|| KeyError::Service("the answer's value is not base64url".to_string()))
}

/// Key Vault answers in base64url; accept padding too.
#[cfg(feature = "azure")]
fn decode_b64url(s: &str) -> Option<Vec<u8>> {
    B64URL.decode(s.trim().trim_end_matches('=')).ok()
}

/// Encrypt `secret`; pins the version if needed, fills `enc` and `created_at`.
#[cfg(feature = "azure")]
pub fn wrap(k: &mut AzureKvKey, secret: &[u8]) -> super::KeyResult<()> {
    let mut key = k.clone();
    let name = |k: &AzureKvKey| format!("{}/keys/{}/{}", k.vault_url, k.name, k.version);
    let vault = check(k).map_err(|e| KeyError::Service(format!("Azure Key Vault: {e}")))?;
    let res = cloud::block_on(async {
        resolve_version(&mut key, &vault).await?;
        call(&key, &vault, "encrypt", secret).await
    })
    .and_then(|r| r);
    let ct = res.map_err(|e| {
        KeyError::Service(format!(
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
#[cfg(feature = "azure")]
pub fn unwrap(k: &AzureKvKey) -> std::result::Result<Zeroizing<Vec<u8>>, KeyError> {
    let vault = check(k).map_err(|e| KeyError::Service(format!("Azure Key Vault: {e}")))?;
    let ct = decode_b64url(&k.enc).ok_or(KeyError::Service(
        "Azure Key Vault: the stored encrypted data key is not valid base64url".into(),
    ))?;
    cloud::block_on(call(k, &vault, "decrypt", &ct))
        .and_then(|r| r)
        .map(Zeroizing::new)
        .map_err(|e| KeyError::Service(format!("Azure Key Vault: {e}")))
}

/// Without the `azure` feature: the entry is kept and named, never used.
#[cfg(not(feature = "azure"))]
pub fn wrap(k: &mut AzureKvKey, _secret: &[u8]) -> super::KeyResult<()> {
    Err(KeyError::NotBuilt(super::unbuilt(k)))
}

/// Without the `azure` feature: the entry is kept and named, never used.
#[cfg(not(feature = "azure"))]
pub fn unwrap(k: &AzureKvKey) -> std::result::Result<Zeroizing<Vec<u8>>, KeyError> {
    Err(KeyError::NotBuilt(super::unbuilt(k)))
}

/// An Azure Key Vault entry: vault URL, key name and version.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct AzureKvKey {
    pub vault_url: String,
    pub name: String,
    pub version: String,
    pub created_at: String,
    pub enc: String,
}

/// The Azure Key Vault key source.
pub struct Source;
pub static SOURCE: Source = Source;

static NAMES: super::Names = super::Names {
    id: "azure_kv",
    noun: "Azure Key Vault key",
    flag: "azure-kv",
    short: None,
    env: Some("SOPS_AZURE_KEYVAULT_URLS"),
    add_flag: "add-azure-kv",
    rm_flag: "rm-azure-kv",
    value_name: "URLS",
    help: "Azure Key Vault key URLs (https://VAULT.vault.azure.net/keys/NAME[/VERSION])",
    rule_field: "azure_keyvault",
    group_field: "azure_keyvault",
};

impl super::KeySource for Source {
    fn names(&self) -> &'static super::Names {
        &NAMES
    }
    fn feature(&self) -> Option<super::Feature> {
        Some(super::Feature {
            name: "azure",
            enabled: cfg!(feature = "azure"),
        })
    }
    fn parse_list(&self, list: &str, _opts: &super::KeyOptions) -> Result<Vec<super::MasterKey>> {
        Ok(keys_from_list(list)?
            .into_iter()
            .map(super::MasterKey::new)
            .collect())
    }
    /// Maps with `vaultUrl`, `key`, `version`.
    fn parse_group_value(
        &self,
        v: &crate::tree::Value,
    ) -> std::result::Result<Vec<super::MasterKey>, KeyError> {
        let mut out = Vec::new();
        for e in super::entry_maps(v, "azure_keyvault")? {
            let k = key_from_parts(
                &super::entry_text(e, "vaultUrl", "azure_keyvault")?,
                &super::entry_text(e, "key", "azure_keyvault")?,
                &super::entry_text(e, "version", "azure_keyvault")?,
            )
            .map_err(|e| KeyError::Invalid(e.message()))?;
            out.push(super::MasterKey::new(k));
        }
        Ok(out)
    }
    fn read_entry(
        &self,
        e: &crate::tree::Branch,
    ) -> std::result::Result<super::MasterKey, KeyError> {
        Ok(super::MasterKey::new(AzureKvKey {
            vault_url: super::entry_text(e, "vault_url", "azure_kv")?,
            name: super::entry_text(e, "name", "azure_kv")?,
            version: super::entry_text(e, "version", "azure_kv")?,
            created_at: super::entry_text(e, "created_at", "azure_kv")?,
            enc: super::entry_text(e, "enc", "azure_kv")?,
        }))
    }
    fn read_proto(&self, key: &crate::proto::key::KeyType, enc: &str) -> Option<super::MasterKey> {
        match key {
            crate::proto::key::KeyType::AzureKeyvaultKey(k) => {
                Some(super::MasterKey::new(AzureKvKey {
                    vault_url: k.vault_url.clone(),
                    name: k.name.clone(),
                    version: k.version.clone(),
                    enc: enc.to_string(),
                    ..Default::default()
                }))
            }
            _ => None,
        }
    }
}

impl super::Key for AzureKvKey {
    fn source(&self) -> &'static dyn super::KeySource {
        &SOURCE
    }
    fn name(&self) -> String {
        format!("{}/keys/{}/{}", self.vault_url, self.name, self.version)
    }
    fn enc(&self) -> &str {
        &self.enc
    }
    fn to_entry(&self) -> crate::tree::Branch {
        vec![
            super::text_item("vault_url", &self.vault_url),
            super::text_item("name", &self.name),
            super::text_item("version", &self.version),
            super::text_item("created_at", &self.created_at),
            super::text_item("enc", &self.enc),
        ]
    }
    fn to_proto(&self) -> crate::proto::key::KeyType {
        crate::proto::key::KeyType::AzureKeyvaultKey(crate::proto::AzureKeyVaultKey {
            vault_url: self.vault_url.clone(),
            name: self.name.clone(),
            version: self.version.clone(),
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
    /// A key named without a version designates every version of it.
    fn matches(&self, named: &dyn super::Key) -> bool {
        match (named as &dyn std::any::Any).downcast_ref::<AzureKvKey>() {
            Some(b) if b.version.is_empty() => {
                self.vault_url.trim_end_matches('/') == b.vault_url.trim_end_matches('/')
                    && self.name == b.name
            }
            Some(b) => self.name() == super::Key::name(b),
            None => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const V: &str = "0123456789abcdef0123456789abcdef";

    #[test]
    fn urls() {
        let k = key_from_url(&format!(" https://v.vault.azure.net/keys/sops/{V} ")).unwrap();
        assert_eq!(
            (k.vault_url.as_str(), k.name.as_str(), k.version.as_str()),
            ("https://v.vault.azure.net", "sops", V)
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
            key_from_parts("https://a.vault.azure.net/", "k", "abc1")
                .unwrap()
                .vault_url,
            "https://a.vault.azure.net"
        );
    }

    #[test]
    fn flags_and_config_refuse_hostile_entries_early() {
        for url in [
            "https://evil.example/keys/k/1",
            "https://a.b.vault.azure.net/keys/k/1",
            "https://vault.azure.net.evil.example/keys/k/1",
            "https://v.vault.azure.net:8443/keys/k/1",
            "https://v.vault.azure.net/keys/k/v1",
            "https://v.vault.azure.net/keys/k%2F..%2Fx/1",
        ] {
            let e = key_from_url(url).unwrap_err().message();
            assert!(e.contains("azure_kv entry"), "{url}: {e}");
        }
        let e = key_from_parts("https://127.0.0.1:1", "k", "")
            .unwrap_err()
            .message();
        assert!(e.contains(ALLOWED_HOSTS_ENV), "{e}");
        assert!(key_from_parts("https://v.vault.azure.net", "k/../x", "").is_err());
        assert!(key_from_parts("https://v.vault.azure.net", "k", "1?x=").is_err());
    }

    #[test]
    fn vault_urls_of_every_azure_cloud_are_accepted() {
        for (url, resource) in [
            ("https://myvault.vault.azure.net", "https://vault.azure.net"),
            (
                "https://MyVault.Vault.Azure.Net/",
                "https://vault.azure.net",
            ),
            ("https://v.vault.azure.net:443", "https://vault.azure.net"),
            (
                "https://h.managedhsm.azure.net",
                "https://managedhsm.azure.net",
            ),
            ("https://v.vault.azure.cn", "https://vault.azure.cn"),
            (
                "https://h.managedhsm.azure.cn",
                "https://managedhsm.azure.cn",
            ),
            (
                "https://v.vault.usgovcloudapi.net",
                "https://vault.usgovcloudapi.net",
            ),
            (
                "https://h.managedhsm.usgovcloudapi.net",
                "https://managedhsm.usgovcloudapi.net",
            ),
            (
                "https://v.vault.microsoftazure.de",
                "https://vault.microsoftazure.de",
            ),
        ] {
            let v = check_vault_url_in(url, &[]).unwrap_or_else(|e| panic!("{url}: {e}"));
            assert_eq!(v.resource, resource, "{url}");
            assert!(v.origin.starts_with("https://") && !v.origin.ends_with('/'));
        }
        assert_eq!(
            check_vault_url_in("https://MyVault.vault.azure.net", &[])
                .unwrap()
                .origin,
            "https://myvault.vault.azure.net"
        );
    }

    #[test]
    fn hostile_vault_urls_are_refused() {
        for url in [
            // Not TLS, or not a Key Vault host.
            "http://v.vault.azure.net",
            "http://127.0.0.1:8080",
            "https://127.0.0.1",
            "https://evil.example",
            "https://localhost:8443",
            "https://vault.azure.net.evil.example",
            "https://v.vault.azure.net.evil.example",
            "https://v.evilvault.azure.net",
            // Too few or too many labels before the suffix.
            "https://vault.azure.net",
            "https://azure.net",
            "https://a.b.vault.azure.net",
            "https://127.0.0.1.vault.azure.net",
            // Ports, user names, paths, queries, fragments, encodings.
            "https://v.vault.azure.net:8443",
            "https://v.vault.azure.net:",
            "https://user@v.vault.azure.net",
            "https://evil.example@v.vault.azure.net",
            "https://v.vault.azure.net@evil.example",
            "https://v.vault.azure.net/x",
            "https://v.vault.azure.net?x=1",
            "https://v.vault.azure.net#x",
            "https://v.vault.azure.net%2F@evil.example",
            "https://v.vault.azure.net\\@evil.example",
            "https://v .vault.azure.net",
            "https://-v.vault.azure.net",
            "https://v_x.vault.azure.net",
            "https://v..vault.azure.net",
            "https://v.vault.azure.net.",
            "",
            "https://",
        ] {
            let e = check_vault_url_in(url, &[]).unwrap_err();
            assert!(e.to_string().contains(ALLOWED_HOSTS_ENV), "{url}: {e}");
        }
    }

    #[test]
    fn allowed_host_suffixes_admit_more_hosts_over_https_only() {
        let allowed = vec!["vault.example.internal".to_string()];
        let v = check_vault_url_in("https://kv1.vault.example.internal", &allowed).unwrap();
        assert_eq!(
            v,
            Vault {
                origin: "https://kv1.vault.example.internal".into(),
                resource: "https://vault.example.internal".into(),
            }
        );
        for url in [
            "http://kv1.vault.example.internal",
            "https://vault.example.internal",
            "https://a.kv1.vault.example.internal",
            "https://kv1.vault.example.internal:8443",
            "https://kv1.vault.example.internal.evil.example",
            "https://kv1.evil.example",
        ] {
            assert!(check_vault_url_in(url, &allowed).is_err(), "{url}");
        }
    }

    #[test]
    fn names_and_versions() {
        assert!(check_name_and_version("sops-key-1", V).is_ok());
        assert!(check_name_and_version("k", "").is_ok());
        assert!(check_name_and_version(&"k".repeat(127), "AB12").is_ok());
        for (name, version) in [
            ("", ""),
            (&*"k".repeat(128), ""),
            ("k/../x", ""),
            ("k?x", ""),
            ("k#x", ""),
            ("k%2F", ""),
            ("k_x", ""),
            ("k", "v1"),
            ("k", "../x"),
            ("k", "1?api-version=1"),
            ("k", "1/decrypt#"),
            ("k", &*"a".repeat(65)),
        ] {
            assert!(
                check_name_and_version(name, version).is_err(),
                "{name:?} {version:?}"
            );
        }
    }

    #[test]
    #[cfg(feature = "azure")]
    fn stored_entries_are_checked_before_any_request() {
        let k = AzureKvKey {
            vault_url: "http://127.0.0.1:9".into(),
            name: "k".into(),
            version: V.into(),
            enc: "AAAA".into(),
            ..Default::default()
        };
        let e = unwrap(&k).unwrap_err();
        assert!(
            e.to_string()
                .contains("refused the azure_kv entry http://127.0.0.1:9/keys/k/")
                && e.to_string().contains(ALLOWED_HOSTS_ENV),
            "{e}"
        );
        let mut k = k;
        let e = wrap(&mut k, b"data key").unwrap_err().to_string();
        assert!(e.contains("refused the azure_kv entry"), "{e}");
        assert!(k.enc == "AAAA" && k.created_at.is_empty());
    }

    #[test]
    #[cfg(feature = "azure")]
    fn base64url_like_sops() {
        // sops: base64.RawURLEncoding (no padding, - and _).
        assert_eq!(B64URL.encode([0xfbu8, 0xff]), "-_8");
        assert_eq!(decode_b64url("-_8=").unwrap(), vec![0xfb, 0xff]);
    }
}
