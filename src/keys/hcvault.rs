//! HashiCorp Vault transit master keys through Vault's HTTP API, as sops
//! 3.11 uses them: `PUT {address}/v1/{engine}/encrypt/{key}` with the
//! base64 data key, storing the `vault:v1:…` ciphertext as returned, and
//! `…/decrypt/{key}` back. The token comes from `VAULT_TOKEN`, else
//! `~/.vault-token`; `VAULT_NAMESPACE` is sent as the namespace header and
//! `VAULT_CACERT` adds a trusted CA (PEM). Requests go to the key's
//! `vault_address`, as in sops.
//!
//! A file's entry is written by whoever wrote the file, so before the token
//! is read or any request sent (encrypt, decrypt, rotate, key service) the
//! entry is checked ([`check`]):
//!
//! - `vault_address` is `http(s)://HOST[:PORT]` (no user name, path, query
//!   or fragment); `engine_path` segments and `key_name` are
//!   `[A-Za-z0-9_.-]+` and not `.` or `..`, and are percent-encoded in the
//!   request path, so an entry only ever reaches
//!   `/v1/ENGINE/encrypt|decrypt/KEY`.
//! - The address must be trusted by the user. With `SOPS_HC_VAULT_ALLOWLIST`
//!   set, exactly as in sops 3.13: `all` admits every address, `none` no
//!   address, otherwise a comma-separated list of address prefixes (each
//!   ending in `/` once normalised; the address plus `/` must start with
//!   one of them). Without it, the address must be the user's `VAULT_ADDR`
//!   (same scheme, host and port); with neither set, the entry is refused.
//! - Plain `http` only to an address the user named: listed in the
//!   allowlist or equal to `VAULT_ADDR` (`all` alone admits https only).

use crate::keys::KeyError;
#[cfg(feature = "vault")]
use base64::Engine;
use zeroize::Zeroizing;

use super::cloud;
use crate::error::{Error, Result};

#[cfg(feature = "vault")]
const B64: base64::engine::GeneralPurpose = base64::engine::general_purpose::STANDARD;

/// The user's allowlist of Vault addresses (sops 3.13).
pub const ALLOWLIST_ENV: &str = "SOPS_HC_VAULT_ALLOWLIST";

/// A parsed `SOPS_HC_VAULT_ALLOWLIST`, with sops 3.13's semantics.
#[derive(Debug, PartialEq, Eq)]
pub struct AllowList {
    pub all: bool,
    /// Address prefixes, each ending in `/`.
    pub uris: Vec<String>,
}

impl AllowList {
    /// sops' `parseAllowlistString`: `all`, `none`, or comma-separated
    /// prefixes (spaces trimmed, `/` appended when missing; an empty entry
    /// is an error).
    pub fn parse(s: &str) -> std::result::Result<AllowList, KeyError> {
        match s {
            "all" => {
                return Ok(AllowList {
                    all: true,
                    uris: Vec::new(),
                })
            }
            "none" => {
                return Ok(AllowList {
                    all: false,
                    uris: Vec::new(),
                })
            }
            _ => {}
        }
        let mut uris = Vec::new();
        for (i, uri) in s.split(',').enumerate() {
            let uri = uri.trim_matches(' ');
            if uri.is_empty() {
                return Err(KeyError::Invalid(format!(
                    "{ALLOWLIST_ENV}'s entry {} is empty",
                    i + 1
                )));
            }
            let mut uri = uri.to_string();
            if !uri.ends_with('/') {
                uri.push('/');
            }
            uris.push(uri);
        }
        Ok(AllowList { all: false, uris })
    }

    /// sops' `Allows`: the address, with a `/` appended when missing,
    /// starts with one of the prefixes.
    pub fn allows(&self, address: &str) -> bool {
        if self.all {
            return true;
        }
        let mut a = address.to_string();
        if !a.ends_with('/') {
            a.push('/');
        }
        self.uris.iter().any(|u| a.starts_with(u.as_str()))
    }

    /// Whether the address is named by a prefix (not only by `all`).
    fn names(&self, address: &str) -> bool {
        !self.all && self.allows(address)
    }
}

/// Scheme, host and port of an address.
#[derive(Debug, PartialEq, Eq)]
struct Origin {
    scheme: String,
    host: String,
    port: u16,
}

fn is_host(h: &str) -> bool {
    if let Some(v6) = h.strip_prefix('[').and_then(|r| r.strip_suffix(']')) {
        return v6.parse::<std::net::Ipv6Addr>().is_ok();
    }
    !h.is_empty()
        && h.len() <= 253
        && h.split('.').all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && l.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        })
}

/// Parse `http(s)://HOST[:PORT]`. `strict` (an entry's address): nothing
/// else but one trailing `/`. Otherwise (`VAULT_ADDR`): a path is ignored.
fn parse_origin(s: &str, strict: bool) -> std::result::Result<Origin, KeyError> {
    let (scheme, rest) = s.split_once("://").ok_or(KeyError::Invalid(
        "it is not an http:// or https:// address".into(),
    ))?;
    let scheme = scheme.to_ascii_lowercase();
    let default_port = match scheme.as_str() {
        "https" => 443,
        "http" => 80,
        _ => {
            return Err(KeyError::Invalid(
                "it is not an http:// or https:// address".into(),
            ))
        }
    };
    let (authority, tail) = match rest.find(['/', '?', '#']) {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, ""),
    };
    if strict && !(tail.is_empty() || tail == "/") {
        return Err(KeyError::Invalid(
            "it has a path, query or fragment after HOST[:PORT]".into(),
        ));
    }
    if authority.contains(['@', '\\', '%']) || authority.chars().any(|c| c.is_whitespace()) {
        return Err(KeyError::Invalid(
            "its host part has a user name or characters a host cannot have".into(),
        ));
    }
    let (host, port) = match authority.rsplit_once(':') {
        Some((h, p)) if !p.contains(']') => {
            let port = p
                .parse::<u16>()
                .ok()
                .filter(|n| *n > 0 && p.bytes().all(|b| b.is_ascii_digit()))
                .ok_or(KeyError::Invalid(
                    "its port is not a number from 1 to 65535".into(),
                ))?;
            (h, port)
        }
        _ => (authority, default_port),
    };
    if !is_host(host) {
        return Err(KeyError::Invalid(
            "its host is not a host name or IP address".into(),
        ));
    }
    Ok(Origin {
        scheme,
        host: host.to_ascii_lowercase(),
        port,
    })
}

fn is_segment(s: &str) -> bool {
    !s.is_empty()
        && s != "."
        && s != ".."
        && s.len() <= 255
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-'))
}

/// The engine path's segments and the key name, checked.
fn check_path(engine_path: &str, key_name: &str) -> std::result::Result<Vec<String>, KeyError> {
    let segs: Vec<&str> = engine_path.trim_matches('/').split('/').collect();
    if let Some(bad) = segs.iter().find(|s| !is_segment(s)) {
        return Err(KeyError::Service(format!(
            "the engine_path {engine_path:?} has a segment {bad:?} that is not a mount name \
             (letters, digits, '_', '.', '-'; not '.' or '..')"
        )));
    }
    if !is_segment(key_name) {
        return Err(KeyError::Service(format!(
            "the key_name {key_name:?} is not a transit key name (letters, digits, '_', '.', '-'; not '.' or '..')"
        )));
    }
    Ok(segs.into_iter().map(str::to_string).collect())
}

/// Whether the user trusts `address` with the Vault token: the allowlist
/// (`SOPS_HC_VAULT_ALLOWLIST`, sops 3.13) when set, else `VAULT_ADDR`.
fn trust(
    address: &str,
    origin: &Origin,
    allowlist: Option<&str>,
    vault_addr: Option<&str>,
) -> std::result::Result<(), KeyError> {
    let is_vault_addr = vault_addr
        .and_then(|v| parse_origin(v.trim(), false).ok())
        .is_some_and(|v| &v == origin);
    let how = format!(
        "list it in {ALLOWLIST_ENV} (comma-separated address prefixes, as in sops 3.13) \
         or set VAULT_ADDR to it to let rsops send your Vault token there"
    );
    match allowlist {
        Some(list) => {
            let al = AllowList::parse(list)?;
            if !al.allows(address) {
                return Err(KeyError::Service(format!(
                    "the vault_address {address} is not allowed by {ALLOWLIST_ENV}={list:?}; \
                     rsops sends your Vault token only to an address it allows: add the address to \
                     {ALLOWLIST_ENV} (comma-separated address prefixes, as in sops 3.13)"
                )));
            }
            if origin.scheme == "http" && !al.names(address) && !is_vault_addr {
                return Err(KeyError::Service(format!(
                    "the vault_address {address} is plain http, and {ALLOWLIST_ENV}=all admits only \
                     https addresses; to send your Vault token there unencrypted, {how}"
                )));
            }
            Ok(())
        }
        None if is_vault_addr => Ok(()),
        None => {
            let which = match vault_addr {
                Some(v) => format!("it is not VAULT_ADDR ({v})"),
                None => format!("neither VAULT_ADDR nor {ALLOWLIST_ENV} is set"),
            };
            Err(KeyError::Service(format!(
                "rsops sends your Vault token only to a Vault server you chose, and the \
                 vault_address {address} is not one: {which}; {how}"
            )))
        }
    }
}

/// Every check of an `hc_vault` entry, run before the token is read or any
/// request sent; the error names the entry. Returns the request base URL
/// (`scheme://host[:port]/v1/ENGINE…`, segments percent-encoded).
pub fn check(k: &HcVaultKey) -> std::result::Result<String, KeyError> {
    let allowlist = std::env::var(ALLOWLIST_ENV).ok().filter(|v| !v.is_empty());
    let vault_addr = cloud::env("VAULT_ADDR");
    check_with(k, allowlist.as_deref(), vault_addr.as_deref())
}

fn check_with(
    k: &HcVaultKey,
    allowlist: Option<&str>,
    vault_addr: Option<&str>,
) -> std::result::Result<String, KeyError> {
    let fail =
        |e: String| KeyError::Refused(format!("refused the hc_vault entry {}: {e}", path(k)));
    let origin = parse_origin(&k.vault_address, true).map_err(|e| {
        fail(format!(
            "the vault_address {:?} is not http(s)://HOST[:PORT]: {e}",
            k.vault_address
        ))
    })?;
    let segs = check_path(&k.engine_path, &k.key_name).map_err(|e| fail(e.to_string()))?;
    trust(&k.vault_address, &origin, allowlist, vault_addr).map_err(|e| fail(e.to_string()))?;
    let encoded: Vec<String> = segs.iter().map(|s| cloud::pct(s)).collect();
    Ok(format!(
        "{}/v1/{}",
        k.vault_address.trim_end_matches('/'),
        encoded.join("/")
    ))
}

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
    if rest.contains(['?', '#']) {
        return Err(bad(
            "a Vault transit key URI has no query or fragment (e.g. https://vault.example.com:8200/v1/transit/keys/keyName)",
        ));
    }
    let (host, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, ""),
    };
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
    let k = HcVaultKey {
        vault_address: format!("{scheme}://{host}"),
        engine_path,
        key_name,
        ..Default::default()
    };
    // The shape only: whether the address is trusted is decided when the
    // key is used (the user's settings may differ then).
    parse_origin(&k.vault_address, true).map_err(|e| bad(&format!("the address: {e}")))?;
    check_path(&k.engine_path, &k.key_name).map_err(|e| bad(&e.to_string()))?;
    Ok(k)
}

/// Keys from a comma-separated `--hc-vault-transit`/`SOPS_VAULT_URIS` list.
pub fn keys_from_list(list: &str) -> Result<Vec<HcVaultKey>> {
    list.split(',')
        .map(str::trim)
        .filter(|e| !e.is_empty())
        .map(key_from_uri)
        .collect()
}

#[cfg(feature = "vault")]
pub(crate) fn vault_token() -> std::result::Result<String, KeyError> {
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
                return Err(KeyError::NoCredentials(format!(
                    "cannot read the Vault token file {}: {e}",
                    p.display()
                )))
            }
        }
    }
    Err(KeyError::NoCredentials(
        "no Vault token: set VAULT_TOKEN or log in with `vault login` (~/.vault-token)".into(),
    ))
}

#[cfg(feature = "vault")]
async fn call(
    k: &HcVaultKey,
    op: &str,
    doc: serde_json::Value,
    want: &str,
) -> std::result::Result<String, KeyError> {
    let base = check(k)?;
    let token = vault_token()?;
    let url = format!("{base}/{op}/{}", cloud::pct(&k.key_name));
    let ns = cloud::env("VAULT_NAMESPACE");
    let mut headers: Vec<(&str, &str)> =
        vec![("x-vault-token", &token), ("x-vault-request", "true")];
    if let Some(ns) = &ns {
        headers.push(("x-vault-namespace", ns));
    }
    let resp = cloud::send_json_trusting(cloud::Trust::Vault, "PUT", &url, &headers, &doc).await?;
    if !(200..300).contains(&resp.status) {
        return Err(KeyError::Service(cloud::http_failure(&resp)));
    }
    let v = resp.json()?;
    v.pointer(&format!("/data/{want}"))
        .and_then(|x| x.as_str())
        .map(str::to_string)
        .ok_or_else(|| KeyError::Service(format!("the transit backend's answer has no {want}")))
}

fn path(k: &HcVaultKey) -> String {
    format!(
        "{}/v1/{}/keys/{}",
        k.vault_address, k.engine_path, k.key_name
    )
}

/// Encrypt `secret`; fills `enc` (`vault:v1:…`) and `created_at`.
#[cfg(feature = "vault")]
pub fn wrap(k: &mut HcVaultKey, secret: &[u8]) -> super::KeyResult<()> {
    check(k).map_err(|e| KeyError::Service(format!("Vault transit: {e}")))?;
    let doc = serde_json::json!({"plaintext": B64.encode(secret)});
    let ct = cloud::block_on(call(k, "encrypt", doc, "ciphertext"))
        .and_then(|r| r)
        .map_err(|e| {
            KeyError::Service(format!(
                "could not encrypt the data key with Vault transit key {}: {e}",
                path(k)
            ))
        })?;
    k.enc = ct;
    k.created_at = crate::timefmt::now_rfc3339();
    Ok(())
}

/// Decrypt the stored data key.
#[cfg(feature = "vault")]
pub fn unwrap(k: &HcVaultKey) -> std::result::Result<Zeroizing<Vec<u8>>, KeyError> {
    check(k).map_err(|e| KeyError::Service(format!("Vault transit: {e}")))?;
    let doc = serde_json::json!({"ciphertext": k.enc});
    let pt = cloud::block_on(call(k, "decrypt", doc, "plaintext"))
        .and_then(|r| r)
        .map(Zeroizing::new)
        .map_err(|e| KeyError::Service(format!("Vault transit: {e}")))?;
    B64.decode(pt.trim()).map(Zeroizing::new).map_err(|_| {
        KeyError::Service("Vault transit: the decrypted plaintext is not base64".to_string())
    })
}

/// Without the `vault` feature: the entry is kept and named, never used.
#[cfg(not(feature = "vault"))]
pub fn wrap(k: &mut HcVaultKey, _secret: &[u8]) -> super::KeyResult<()> {
    Err(KeyError::NotBuilt(super::unbuilt(k)))
}

/// Without the `vault` feature: the entry is kept and named, never used.
#[cfg(not(feature = "vault"))]
pub fn unwrap(k: &HcVaultKey) -> std::result::Result<Zeroizing<Vec<u8>>, KeyError> {
    Err(KeyError::NotBuilt(super::unbuilt(k)))
}

/// A HashiCorp Vault transit entry: the server, the engine's mount path
/// and the key's name.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct HcVaultKey {
    pub vault_address: String,
    pub engine_path: String,
    pub key_name: String,
    pub created_at: String,
    pub enc: String,
}

/// The HashiCorp Vault transit key source.
pub struct Source;
pub static SOURCE: Source = Source;

static NAMES: super::Names = super::Names {
    id: "hc_vault",
    noun: "Vault transit key",
    flag: "hc-vault-transit",
    short: None,
    env: Some("SOPS_VAULT_URIS"),
    add_flag: "add-hc-vault-transit",
    rm_flag: "rm-hc-vault-transit",
    value_name: "URIS",
    help: "Vault transit key URIs (https://vault:8200/v1/transit/keys/dev)",
    rule_field: "hc_vault_transit_uri",
    group_field: "hc_vault",
};

impl super::KeySource for Source {
    fn names(&self) -> &'static super::Names {
        &NAMES
    }
    fn feature(&self) -> Option<super::Feature> {
        Some(super::Feature {
            name: "vault",
            enabled: cfg!(feature = "vault"),
        })
    }
    fn parse_list(&self, list: &str, _opts: &super::KeyOptions) -> Result<Vec<super::MasterKey>> {
        Ok(keys_from_list(list)?
            .into_iter()
            .map(super::MasterKey::new)
            .collect())
    }
    fn read_entry(
        &self,
        e: &crate::tree::Branch,
    ) -> std::result::Result<super::MasterKey, KeyError> {
        Ok(super::MasterKey::new(HcVaultKey {
            vault_address: super::entry_text(e, "vault_address", "hc_vault")?,
            engine_path: super::entry_text(e, "engine_path", "hc_vault")?,
            key_name: super::entry_text(e, "key_name", "hc_vault")?,
            created_at: super::entry_text(e, "created_at", "hc_vault")?,
            enc: super::entry_text(e, "enc", "hc_vault")?,
        }))
    }
    fn read_proto(&self, key: &crate::proto::key::KeyType, enc: &str) -> Option<super::MasterKey> {
        match key {
            crate::proto::key::KeyType::VaultKey(k) => Some(super::MasterKey::new(HcVaultKey {
                vault_address: k.vault_address.clone(),
                engine_path: k.engine_path.clone(),
                key_name: k.key_name.clone(),
                enc: enc.to_string(),
                ..Default::default()
            })),
            _ => None,
        }
    }
}

impl super::Key for HcVaultKey {
    fn source(&self) -> &'static dyn super::KeySource {
        &SOURCE
    }
    fn name(&self) -> String {
        format!(
            "{}/v1/{}/keys/{}",
            self.vault_address, self.engine_path, self.key_name
        )
    }
    fn enc(&self) -> &str {
        &self.enc
    }
    fn to_entry(&self) -> crate::tree::Branch {
        vec![
            super::text_item("vault_address", &self.vault_address),
            super::text_item("engine_path", &self.engine_path),
            super::text_item("key_name", &self.key_name),
            super::text_item("created_at", &self.created_at),
            super::text_item("enc", &self.enc),
        ]
    }
    fn to_proto(&self) -> crate::proto::key::KeyType {
        crate::proto::key::KeyType::VaultKey(crate::proto::VaultKey {
            vault_address: self.vault_address.clone(),
            engine_path: self.engine_path.clone(),
            key_name: self.key_name.clone(),
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
        // Hostile shapes fail when parsed from flags or .sops.yaml.
        for uri in [
            "https://vault.example.org/v1/transit/keys/dev?x=1",
            "https://vault.example.org/v1/transit/keys/dev#x",
            "https://vault.example.org/v1/transit/../kv/keys/dev",
            "https://vault.example.org/v1/transit/keys/..",
            "https://vault.example.org/v1/tran%73it/keys/dev",
            "https://u:p@vault.example.org/v1/transit/keys/dev",
            "ftp://vault.example.org/v1/transit/keys/dev",
            "https://vault.example.org:99999/v1/transit/keys/dev",
        ] {
            assert!(key_from_uri(uri).is_err(), "{uri}");
        }
        assert_eq!(
            keys_from_list("http://a/v1/t/keys/x,,http://b/v1/t/keys/y")
                .unwrap()
                .len(),
            2
        );
    }

    fn key(address: &str, engine: &str, name: &str) -> HcVaultKey {
        HcVaultKey {
            vault_address: address.into(),
            engine_path: engine.into(),
            key_name: name.into(),
            enc: "vault:v1:AAAA".into(),
            ..Default::default()
        }
    }

    /// sops 3.13's TestAllowlistParse vectors.
    #[test]
    fn allowlists_parse_like_sops() {
        let al = |all: bool, uris: &[&str]| AllowList {
            all,
            uris: uris.iter().map(|u| u.to_string()).collect(),
        };
        assert_eq!(AllowList::parse("all").unwrap(), al(true, &[]));
        assert_eq!(AllowList::parse("none").unwrap(), al(false, &[]));
        assert_eq!(AllowList::parse("non").unwrap(), al(false, &["non/"]));
        assert_eq!(
            AllowList::parse("foo,bar/,baz").unwrap(),
            al(false, &["foo/", "bar/", "baz/"])
        );
        assert_eq!(
            AllowList::parse(" foo/ ,  bar,   baz    ").unwrap(),
            al(false, &["foo/", "bar/", "baz/"])
        );
        for (s, n) in [("", 1), (",", 1), (",a", 1), ("a,", 2)] {
            assert_eq!(
                AllowList::parse(s).unwrap_err().to_string(),
                format!("SOPS_HC_VAULT_ALLOWLIST's entry {n} is empty"),
                "{s:?}"
            );
        }
    }

    /// sops 3.13's TestAllowlistAllow vectors.
    #[test]
    fn allowlists_allow_like_sops() {
        let all = AllowList::parse("all").unwrap();
        for a in ["", "foo", "http://example.com", "https://example.com/foo"] {
            assert!(all.allows(a), "{a}");
        }
        let none = AllowList::parse("none").unwrap();
        for a in ["", "foo", "http://example.com", "https://example.com/foo"] {
            assert!(!none.allows(a), "{a}");
        }
        let one = AllowList::parse("http://example.com").unwrap();
        for (a, want) in [
            ("http://example.co", false),
            ("http://example.com", true),
            ("http://example.comm", false),
            ("http://example.com:80", false),
            ("http://example.com/", true),
            ("http://example.com/foo", true),
            ("http://fiz@example.com/", false),
            ("http://example.com:123/", false),
            ("https://example.com", false),
            ("https://example.com/", false),
            ("", false),
        ] {
            assert_eq!(one.allows(a), want, "{a}");
        }
        let many =
            AllowList::parse("http://example.com, https://example.org/bar/,http://foo:80").unwrap();
        for (a, want) in [
            ("http://example.com", true),
            ("http://example.com/foo", true),
            ("http://fiz@example.com/", false),
            ("https://example.com", false),
            ("http://example.org", false),
            ("https://example.org", false),
            ("https://example.org/bar", true),
            ("https://example.org/barr", false),
            ("https://example.org/bar/baz", true),
            ("http://foo", false),
            ("http://foo:80", true),
            ("http://foo:80/", true),
            ("http://foo:8080", false),
            ("", false),
        ] {
            assert_eq!(many.allows(a), want, "{a}");
        }
    }

    #[test]
    fn request_paths_are_built_from_checked_segments() {
        let k = key(
            "https://vault.example.org:8200",
            "team/one/transit",
            "k-1.v2_x",
        );
        assert_eq!(
            check_with(&k, None, Some("https://vault.example.org:8200/")).unwrap(),
            "https://vault.example.org:8200/v1/team/one/transit"
        );
        for (engine, name) in [
            ("transit/../kv", "k"),
            ("..", "k"),
            ("transit", ".."),
            ("transit", "."),
            ("./transit", "k"),
            ("transit?x=", "k"),
            ("transit#", "k"),
            ("transit", "k?x=1"),
            ("transit", "k#"),
            ("transit", "k/../../sys/seal"),
            ("transit%2F..", "k"),
            ("tran sit", "k"),
            ("transit//x", "k"),
            ("", "k"),
            ("transit", ""),
        ] {
            let e = check_with(
                &key("https://vault.example.org:8200", engine, name),
                Some("all"),
                None,
            )
            .unwrap_err();
            assert!(
                e.to_string().contains("refused the hc_vault entry")
                    && e.to_string().contains("not '.' or '..'"),
                "{engine:?} {name:?}: {e}"
            );
        }
    }

    #[test]
    fn addresses_must_be_bare_origins() {
        for a in [
            "https://vault.example.org:8200",
            "https://vault.example.org:8200/",
            "http://127.0.0.1:8200",
            "http://[::1]:8200",
            "https://vault_1",
        ] {
            assert!(parse_origin(a, true).is_ok(), "{a}");
        }
        for a in [
            "",
            "vault.example.org",
            "unix:///run/vault.sock",
            "ftp://vault.example.org",
            "https://",
            "https://user@vault.example.org",
            "https://vault.example.org@evil.example",
            "https://vault.example.org/v1/sys",
            "https://vault.example.org?x",
            "https://vault.example.org#x",
            "https://vault.example.org:0",
            "https://vault.example.org:x",
            "https://vault.example.org:",
            "https://vault%2eexample.org",
            "https://vault example.org",
            "https://[::1",
        ] {
            let e = check_with(&key(a, "transit", "k"), Some("all"), Some(a)).unwrap_err();
            assert!(
                e.to_string().contains("is not http(s)://HOST[:PORT]"),
                "{a}: {e}"
            );
        }
    }

    #[test]
    fn the_address_must_be_trusted_by_the_user() {
        let k = key("https://vault.example.org:8200", "transit", "k");
        // No allowlist: VAULT_ADDR decides (scheme, host and port).
        assert!(check_with(&k, None, Some("https://vault.example.org:8200")).is_ok());
        assert!(check_with(&k, None, Some("https://VAULT.example.org:8200/ui")).is_ok());
        let e = check_with(&k, None, None).unwrap_err();
        assert!(
            e.to_string()
                .contains("neither VAULT_ADDR nor SOPS_HC_VAULT_ALLOWLIST is set"),
            "{e}"
        );
        for other in [
            "https://vault.example.org",
            "http://vault.example.org:8200",
            "https://evil.example:8200",
            "unix:///x",
        ] {
            let e = check_with(&k, None, Some(other)).unwrap_err();
            assert!(
                e.to_string()
                    .contains(&format!("it is not VAULT_ADDR ({other})"))
                    && e.to_string().contains("SOPS_HC_VAULT_ALLOWLIST"),
                "{e}"
            );
        }
        let k443 = key("https://vault.example.org", "transit", "k");
        assert!(check_with(&k443, None, Some("https://vault.example.org:443")).is_ok());
        // An allowlist decides alone (sops 3.13), VAULT_ADDR or not.
        assert!(check_with(&k, Some("https://vault.example.org:8200"), None).is_ok());
        assert!(check_with(&k, Some("all"), None).is_ok());
        for list in ["none", "https://vault.example.org", "https://other:8200"] {
            let e = check_with(&k, Some(list), Some("https://vault.example.org:8200")).unwrap_err();
            assert!(
                e.to_string()
                    .contains("is not allowed by SOPS_HC_VAULT_ALLOWLIST"),
                "{list}: {e}"
            );
        }
        let e = check_with(&k, Some("a,,b"), None).unwrap_err();
        assert!(
            e.to_string()
                .contains("SOPS_HC_VAULT_ALLOWLIST's entry 2 is empty"),
            "{e}"
        );
        // Plain http only to an address the user named.
        let h = key("http://127.0.0.1:8200", "transit", "k");
        assert!(check_with(&h, None, Some("http://127.0.0.1:8200")).is_ok());
        assert!(check_with(&h, Some("http://127.0.0.1:8200"), None).is_ok());
        assert!(check_with(&h, Some("all"), Some("http://127.0.0.1:8200")).is_ok());
        let e = check_with(&h, Some("all"), None).unwrap_err();
        assert!(e.to_string().contains("admits only https"), "{e}");
    }

    #[test]
    #[cfg(feature = "vault")]
    fn stored_entries_are_checked_before_the_token_is_read() {
        // With neither setting, unwrap refuses before reading VAULT_TOKEN
        // (which would otherwise say "no Vault token") or sending anything.
        if std::env::var_os(ALLOWLIST_ENV).is_some() || std::env::var_os("VAULT_ADDR").is_some() {
            return;
        }
        let k = key("http://127.0.0.1:9", "transit/../kv", "k");
        let e = unwrap(&k).unwrap_err();
        assert!(
            e.to_string()
                .contains("refused the hc_vault entry http://127.0.0.1:9/v1/transit/../kv/keys/k"),
            "{e}"
        );
        let mut k = key("http://127.0.0.1:9", "transit", "k");
        let e = unwrap(&k).unwrap_err();
        assert!(e.to_string().contains("neither VAULT_ADDR nor"), "{e}");
        let e = wrap(&mut k, b"x").unwrap_err().to_string();
        assert!(e.contains("refused the hc_vault entry"), "{e}");
    }
}
