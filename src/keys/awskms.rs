//! AWS KMS master keys, through the AWS SDK and its standard configuration:
//! the credential chain (environment, `~/.aws` profiles, SSO, web identity,
//! `credential_process`, container and instance metadata), `--aws-profile`
//! or the stored `aws_profile`, `AWS_ENDPOINT_URL`/`AWS_ENDPOINT_URL_KMS`
//! (and `AWS_ENDPOINT_URL_STS` for role assumption). As in sops, the region
//! is the one in the key's ARN, a `+arn:…:iam::…:role/…` suffix assumes
//! that role through STS first, and the encryption context is bound to the
//! ciphertext.
//!
//! The region picks the endpoint the signed requests go to, and a file's
//! entry is written by whoever wrote the file: before any credential is
//! loaded or request sent, the key ARN, the role ARN and the profile name
//! must have AWS's shapes ([`check`]): a known partition, a region of
//! letters, hyphens and a number, a 12-digit account, a key ID or alias of
//! plain characters, a profile name of `[A-Za-z0-9_.-]`.

use crate::keys::KeyError;
#[cfg(feature = "aws")]
use std::collections::HashMap;
#[cfg(feature = "aws")]
use std::sync::Mutex;
use std::sync::OnceLock;

#[cfg(feature = "aws")]
use aws_sdk_kms::error::{ProvideErrorMetadata, SdkError};
#[cfg(feature = "aws")]
use aws_sdk_kms::primitives::Blob;
use zeroize::Zeroizing;

#[cfg(feature = "aws")]
use super::cloud;
use crate::error::{code, Error, Result};

/// The AWS partitions a KMS key or IAM role ARN may name.
pub const PARTITIONS: [&str; 8] = [
    "aws",
    "aws-cn",
    "aws-us-gov",
    "aws-iso",
    "aws-iso-b",
    "aws-iso-e",
    "aws-iso-f",
    "aws-eusc",
];

/// A KMS key ARN; the first group is the region. Regions are two to four
/// letters, one or more hyphenated words and a number (`us-east-1`,
/// `us-gov-west-1`, `eusc-de-east-1`), so a region cannot change the host
/// of the endpoint built from it.
const ARN_PATTERN: &str = r"^arn:(?:aws|aws-cn|aws-us-gov|aws-iso|aws-iso-b|aws-iso-e|aws-iso-f|aws-eusc):kms:([a-z]{2,4}(?:-[a-z]+)+-[0-9]{1,2}):[0-9]{12}:(?:key/[A-Za-z0-9-]{1,128}|alias/[A-Za-z0-9/_-]{1,256})$";

/// An IAM role ARN (path and name).
const ROLE_PATTERN: &str = r"^arn:(?:aws|aws-cn|aws-us-gov|aws-iso|aws-iso-b|aws-iso-e|aws-iso-f|aws-eusc):iam::[0-9]{12}:role/[A-Za-z0-9+=,.@_/-]{1,512}$";

const EXPECTED: &str = "expected arn:PARTITION:kms:REGION:ACCOUNT:key/ID or …:alias/NAME, \
     with PARTITION one of aws, aws-cn, aws-us-gov, aws-iso, aws-iso-b, aws-iso-e, aws-iso-f, aws-eusc, \
     REGION like us-east-1 and ACCOUNT 12 digits";

/// The region of a KMS key ARN; anything but a well-formed ARN is refused.
pub fn region_from_arn(arn: &str) -> std::result::Result<String, KeyError> {
    static RE: OnceLock<regex::Regex> = OnceLock::new();
    let re = RE.get_or_init(|| regex::Regex::new(ARN_PATTERN).expect("static regex"));
    re.captures(arn)
        .and_then(|c| c.get(1))
        .map(|m| m.as_str().to_string())
        .ok_or_else(|| KeyError::Invalid(format!("no valid ARN found in {arn:?} ({EXPECTED})")))
}

/// Check a role ARN (`arn:PARTITION:iam::ACCOUNT:role/PATH/NAME`).
pub fn validate_role(role: &str) -> std::result::Result<(), KeyError> {
    static RE: OnceLock<regex::Regex> = OnceLock::new();
    let re = RE.get_or_init(|| regex::Regex::new(ROLE_PATTERN).expect("static regex"));
    if re.is_match(role) {
        Ok(())
    } else {
        Err(KeyError::Invalid(format!(
            "the role {role:?} is not an IAM role ARN (expected arn:PARTITION:iam::ACCOUNT:role/NAME)"
        )))
    }
}

/// Check a profile name (letters, digits, `_`, `.`, `-`; empty for none).
pub fn validate_profile(profile: &str) -> std::result::Result<(), KeyError> {
    if profile.len() <= 128
        && profile
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-'))
    {
        Ok(())
    } else {
        Err(KeyError::Invalid(format!(
            "the aws_profile {profile:?} is not a profile name (letters, digits, '_', '.' and '-')"
        )))
    }
}

/// Every check of a `kms` entry, run before any credential is loaded or
/// request sent; the error names the entry. Returns the region.
pub fn check(k: &KmsKey) -> std::result::Result<String, KeyError> {
    let name = if k.role.is_empty() {
        k.arn.clone()
    } else {
        format!("{}+{}", k.arn, k.role)
    };
    let fail = |e: KeyError| {
        KeyError::Refused(format!(
            "refused the kms entry {name}: {e}; rsops sends AWS credentials only to the endpoint \
             of a well-formed key's region (set AWS_ENDPOINT_URL_KMS to use another endpoint)"
        ))
    };
    let region = region_from_arn(&k.arn).map_err(fail)?;
    if !k.role.is_empty() {
        validate_role(&k.role).map_err(fail)?;
    }
    validate_profile(&k.aws_profile).map_err(fail)?;
    Ok(region)
}

/// Parse `--encryption-context k:v,k2:v2` the way sops does: every pair
/// must have exactly one colon. Returns the pairs sorted by key (a later
/// duplicate key wins). An empty string means no context.
pub fn parse_context(s: &str) -> Result<Vec<(String, String)>> {
    if s.is_empty() {
        return Ok(vec![]);
    }
    let mut map = std::collections::BTreeMap::new();
    for kv in s.split(',') {
        let parts: Vec<&str> = kv.split(':').collect();
        if parts.len() != 2 {
            return Err(Error::new(
                code::ERROR_INVALID_KMS_ENCRYPTION_CONTEXT_FORMAT,
                format!(
                    "Invalid KMS encryption context format: {kv:?} is not a key:value pair \
                     (use --encryption-context key1:value1,key2:value2)"
                ),
            ));
        }
        map.insert(parts[0].to_string(), parts[1].to_string());
    }
    Ok(map.into_iter().collect())
}

/// A key from one `--kms` entry: spaces are removed and what follows the
/// first `+arn:` is the role to assume, in any partition (sops 3.13's rule:
/// an ARN cannot contain `:` in its path, so `+arn:` separates two ARNs).
pub fn key_from_arn(entry: &str, context: &[(String, String)], profile: &str) -> KmsKey {
    let entry: String = entry.chars().filter(|c| *c != ' ').collect();
    let (arn, role) = match entry.find("+arn:") {
        Some(i) if i > 0 => (entry[..i].to_string(), entry[i + 1..].to_string()),
        _ => (entry, String::new()),
    };
    KmsKey {
        arn,
        role,
        context: context.to_vec(),
        created_at: String::new(),
        enc: String::new(),
        aws_profile: profile.to_string(),
    }
}

/// Keys from a comma-separated `--kms`/`SOPS_KMS_ARN` list, checking each ARN.
pub fn keys_from_list(
    list: &str,
    context: &[(String, String)],
    profile: &str,
) -> Result<Vec<KmsKey>> {
    let mut out = Vec::new();
    for entry in list.split(',').map(str::trim).filter(|e| !e.is_empty()) {
        let k = key_from_arn(entry, context, profile);
        check(&k).map_err(|e| Error::with_source(code::ERROR_GENERIC, "invalid AWS KMS key", e))?;
        out.push(k);
    }
    Ok(out)
}

/// `sops@<hostname>` with characters STS refuses removed, at most 64 long.
#[cfg(feature = "aws")]
fn session_name() -> String {
    let host = crate::platform::hostname();
    let clean: String = host
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || "=,.@-_".contains(*c))
        .collect();
    let mut name = format!("sops@{clean}");
    name.truncate(64);
    name
}

#[cfg(feature = "aws")]
type ClientKey = (String, String, String);

/// KMS clients by (region, profile, role), built once per process.
#[cfg(feature = "aws")]
fn clients() -> &'static Mutex<HashMap<ClientKey, aws_sdk_kms::Client>> {
    static C: OnceLock<Mutex<HashMap<ClientKey, aws_sdk_kms::Client>>> = OnceLock::new();
    C.get_or_init(|| Mutex::new(HashMap::new()))
}

#[cfg(feature = "aws")]
async fn client(k: &KmsKey) -> std::result::Result<aws_sdk_kms::Client, KeyError> {
    let region = check(k)?;
    let id = (region.clone(), k.aws_profile.clone(), k.role.clone());
    if let Some(c) = clients().lock().ok().and_then(|m| m.get(&id).cloned()) {
        return Ok(c);
    }
    let mut loader = aws_config::defaults(aws_config::BehaviorVersion::latest())
        .region(aws_config::Region::new(region))
        .http_client(cloud::aws_http_client());
    if !k.aws_profile.is_empty() {
        loader = loader.profile_name(&k.aws_profile);
    }
    let cfg = loader.load().await;
    let c = if k.role.is_empty() {
        aws_sdk_kms::Client::new(&cfg)
    } else {
        let provider = aws_config::sts::AssumeRoleProvider::builder(&k.role)
            .session_name(session_name())
            .configure(&cfg)
            .build()
            .await;
        let conf = aws_sdk_kms::config::Builder::from(&cfg)
            .credentials_provider(provider)
            .build();
        aws_sdk_kms::Client::from_conf(conf)
    };
    if let Ok(mut m) = clients().lock() {
        m.insert(id, c.clone());
    }
    Ok(c)
}

/// Describe an SDK failure by cause: no credentials, access denied, key not
/// found, network unreachable, …
#[cfg(feature = "aws")]
fn describe<E>(
    e: &SdkError<E, aws_smithy_runtime_api::client::orchestrator::HttpResponse>,
    k: &KmsKey,
) -> String
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
{
    let full = cloud::error_chain(e);
    let lower = full.to_ascii_lowercase();
    let role = |s: String| {
        if !k.role.is_empty()
            && (full.contains("AssumeRole")
                || full.contains("sts")
                || lower.contains("loading credentials"))
        {
            format!("could not assume role {}: {s}", k.role)
        } else {
            s
        }
    };
    match e {
        SdkError::ServiceError(se) => {
            let err = se.err();
            let code = err.code().unwrap_or("");
            let msg = err.message().unwrap_or("");
            let what = match code {
                "AccessDeniedException" => "access denied",
                "NotFoundException" => "key not found",
                "DisabledException" => "the key is disabled",
                "KMSInvalidStateException" => "the key is not usable in its current state",
                "InvalidCiphertextException" => {
                    "the ciphertext does not belong to this key or the encryption context differs"
                }
                "IncorrectKeyException" => "the ciphertext was encrypted under another key",
                "UnrecognizedClientException" | "InvalidClientTokenId" => {
                    "the credentials are not valid (unknown access key)"
                }
                "InvalidSignatureException" | "SignatureDoesNotMatch" => {
                    "the credentials are not valid (bad secret key)"
                }
                "ExpiredTokenException" | "ExpiredToken" => "the credentials have expired",
                _ => "",
            };
            let s = match (what.is_empty(), msg.is_empty()) {
                (true, true) => code.to_string(),
                (true, false) => format!("{code}: {msg}"),
                (false, true) => format!("{what} ({code})"),
                (false, false) => format!("{what} ({code}: {msg})"),
            };
            role(s)
        }
        SdkError::DispatchFailure(d) if d.is_io() || d.is_timeout() => role(format!(
            "network error: the KMS endpoint is unreachable ({full})"
        )),
        SdkError::TimeoutError(_) => role(format!("network error: the request timed out ({full})")),
        _ => {
            if [
                "tcp connect error",
                "connection refused",
                "dns error",
                "failed to lookup address",
                "unreachable",
            ]
            .iter()
            .any(|p| lower.contains(p))
            {
                role(format!(
                    "network error: an AWS endpoint is unreachable ({full})"
                ))
            } else if lower.contains("timed out") || lower.contains("timeout") {
                role(format!("network error: the request timed out ({full})"))
            } else if lower.contains("no credentials")
                || lower.contains("credentialsnotloaded")
                || lower.contains("failed to load credentials")
                || lower.contains("could not find credentials")
                || lower.contains("no providers in chain provided credentials")
            {
                role(format!(
                    "no AWS credentials found (set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AWS_PROFILE or \
                     --aws-profile, or configure ~/.aws): {full}"
                ))
            } else {
                role(full.clone())
            }
        }
    }
}

#[cfg(feature = "aws")]
fn context_map(k: &KmsKey) -> Option<HashMap<String, String>> {
    if k.context.is_empty() {
        None
    } else {
        Some(k.context.iter().cloned().collect())
    }
}

/// Encrypt `secret` with the key; fills `enc` (base64 of the ciphertext
/// blob, as sops stores it) and `created_at`.
#[cfg(feature = "aws")]
pub fn wrap(k: &mut KmsKey, secret: &[u8]) -> super::KeyResult<()> {
    let fail = |m: KeyError| {
        m.context(format!(
            "could not encrypt the data key with AWS KMS key {}",
            k.arn
        ))
    };
    check(k).map_err(|e| e.context("AWS KMS"))?;
    let key = k.clone();
    let blob = cloud::block_on(async {
        let c = client(&key).await?;
        let out = c
            .encrypt()
            .key_id(&key.arn)
            .plaintext(Blob::new(secret.to_vec()))
            .set_encryption_context(context_map(&key))
            .send()
            .await
            .map_err(|e| KeyError::Service(describe(&e, &key)))?;
        out.ciphertext_blob()
            .map(|b| b.as_ref().to_vec())
            .ok_or_else(|| KeyError::Service("KMS returned no ciphertext".into()))
    })
    .and_then(|r| r)
    .map_err(fail)?;
    use base64::Engine;
    k.enc = base64::engine::general_purpose::STANDARD.encode(blob);
    k.created_at = crate::timefmt::now_rfc3339();
    Ok(())
}

/// Decrypt the stored data key with the stored context, role and profile.
#[cfg(feature = "aws")]
pub fn unwrap(k: &KmsKey) -> std::result::Result<Zeroizing<Vec<u8>>, KeyError> {
    use base64::Engine;
    let blob = base64::engine::general_purpose::STANDARD
        .decode(k.enc.trim())
        .map_err(|e| {
            KeyError::Service(format!(
                "AWS KMS: the stored encrypted data key is not valid base64: {e}"
            ))
        })?;
    check(k).map_err(|e| KeyError::Service(format!("AWS KMS: {e}")))?;
    let out = cloud::block_on(async {
        let c = client(k).await?;
        let out = c
            .decrypt()
            .key_id(&k.arn)
            .ciphertext_blob(Blob::new(blob))
            .set_encryption_context(context_map(k))
            .send()
            .await
            .map_err(|e| KeyError::Service(describe(&e, k)))?;
        out.plaintext()
            .map(|b| Zeroizing::new(b.as_ref().to_vec()))
            .ok_or_else(|| KeyError::Service("KMS returned no plaintext".to_string()))
    })
    .and_then(|r| r)
    .map_err(|e| KeyError::Service(format!("AWS KMS: {e}")))?;
    Ok(out)
}

/// Without the `aws` feature: the entry is kept and named, never used.
#[cfg(not(feature = "aws"))]
pub fn wrap(k: &mut KmsKey, _secret: &[u8]) -> super::KeyResult<()> {
    Err(KeyError::NotBuilt(super::unbuilt(k)))
}

/// Without the `aws` feature: the entry is kept and named, never used.
#[cfg(not(feature = "aws"))]
pub fn unwrap(k: &KmsKey) -> std::result::Result<Zeroizing<Vec<u8>>, KeyError> {
    Err(KeyError::NotBuilt(super::unbuilt(k)))
}

/// An AWS KMS entry: the key ARN, an optional role to assume, the
/// encryption context (sorted by key, as sops stores a map), the profile.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct KmsKey {
    pub arn: String,
    pub role: String,
    pub context: Vec<(String, String)>,
    pub created_at: String,
    pub enc: String,
    pub aws_profile: String,
}

/// The AWS KMS key source.
pub struct Source;
pub static SOURCE: Source = Source;

static NAMES: super::Names = super::Names {
    id: "kms",
    noun: "AWS KMS key",
    flag: "kms",
    short: Some('k'),
    env: Some("SOPS_KMS_ARN"),
    add_flag: "add-kms",
    rm_flag: "rm-kms",
    value_name: "ARNS",
    help: "AWS KMS key ARNs (ARN+ROLE_ARN assumes that role)",
    rule_field: "kms",
    group_field: "kms",
};

/// The text of a context value as sops reads it (YAML may type it).
fn context_of(
    v: Option<&crate::tree::Value>,
) -> std::result::Result<Vec<(String, String)>, KeyError> {
    use crate::tree::Value;
    let mut context: Vec<(String, String)> = Vec::new();
    match v {
        None | Some(Value::Null) => {}
        Some(Value::Map(c)) => {
            for it in c.iter() {
                let Some(k) = it.key_str() else { continue };
                let v = match &it.value {
                    Value::Str(s) => s.clone(),
                    Value::Int(i) => i.to_string(),
                    Value::Bool(b) => b.to_string(),
                    Value::Float(x) => crate::gofmt::go_format_float(*x, 'f'),
                    _ => {
                        return Err(KeyError::Service(
                            "kms context values must be strings".into(),
                        ))
                    }
                };
                context.retain(|(ck, _)| ck != k);
                context.push((k.to_string(), v));
            }
            context.sort();
        }
        Some(_) => {
            return Err(KeyError::Service(
                "invalid kms key configuration: context must be a map".into(),
            ))
        }
    }
    Ok(context)
}

fn get<'a>(m: &'a crate::tree::Branch, k: &str) -> Option<&'a crate::tree::Value> {
    m.iter().find(|i| i.key_str() == Some(k)).map(|i| &i.value)
}

impl super::KeySource for Source {
    fn names(&self) -> &'static super::Names {
        &NAMES
    }
    fn feature(&self) -> Option<super::Feature> {
        Some(super::Feature {
            name: "aws",
            enabled: cfg!(feature = "aws"),
        })
    }
    fn parse_list(&self, list: &str, opts: &super::KeyOptions) -> Result<Vec<super::MasterKey>> {
        Ok(
            keys_from_list(list, &opts.encryption_context, &opts.aws_profile)?
                .into_iter()
                .map(super::MasterKey::new)
                .collect(),
        )
    }
    /// Maps with `arn`, `role`, `context`, `aws_profile`.
    fn parse_group_value(
        &self,
        v: &crate::tree::Value,
    ) -> std::result::Result<Vec<super::MasterKey>, KeyError> {
        let mut out = Vec::new();
        for e in super::entry_maps(v, "kms")? {
            let k = KmsKey {
                arn: super::entry_text(e, "arn", "kms")?,
                role: super::entry_text(e, "role", "kms")?,
                context: context_of(get(e, "context"))?,
                aws_profile: super::entry_text(e, "aws_profile", "kms")?,
                ..Default::default()
            };
            check(&k).map_err(|m| KeyError::Service(format!("invalid kms key: {m}")))?;
            out.push(super::MasterKey::new(k));
        }
        Ok(out)
    }
    fn read_entry(
        &self,
        e: &crate::tree::Branch,
    ) -> std::result::Result<super::MasterKey, KeyError> {
        Ok(super::MasterKey::new(KmsKey {
            arn: super::entry_text(e, "arn", "kms")?,
            role: super::entry_text(e, "role", "kms")?,
            context: context_of(get(e, "context"))
                .map_err(|m| KeyError::Invalid(format!("kms: {m}")))?,
            created_at: super::entry_text(e, "created_at", "kms")?,
            enc: super::entry_text(e, "enc", "kms")?,
            aws_profile: super::entry_text(e, "aws_profile", "kms")?,
        }))
    }
    fn read_proto(&self, key: &crate::proto::key::KeyType, enc: &str) -> Option<super::MasterKey> {
        match key {
            crate::proto::key::KeyType::KmsKey(k) => {
                let mut context: Vec<(String, String)> = k
                    .context
                    .iter()
                    .map(|(a, b)| (a.clone(), b.clone()))
                    .collect();
                context.sort();
                Some(super::MasterKey::new(KmsKey {
                    arn: k.arn.clone(),
                    role: k.role.clone(),
                    context,
                    aws_profile: k.aws_profile.clone(),
                    enc: enc.to_string(),
                    ..Default::default()
                }))
            }
            _ => None,
        }
    }
}

impl super::Key for KmsKey {
    fn source(&self) -> &'static dyn super::KeySource {
        &SOURCE
    }
    fn name(&self) -> String {
        if self.role.is_empty() {
            self.arn.clone()
        } else {
            format!("{}+{}", self.arn, self.role)
        }
    }
    fn enc(&self) -> &str {
        &self.enc
    }
    fn to_entry(&self) -> crate::tree::Branch {
        use crate::tree::{Item, Value};
        let mut e = vec![super::text_item("arn", &self.arn)];
        if !self.role.is_empty() {
            e.push(super::text_item("role", &self.role));
        }
        if !self.context.is_empty() {
            let c = self
                .context
                .iter()
                .map(|(a, b)| super::text_item(a, b))
                .collect();
            e.push(Item::new("context", Value::Map(c)));
        }
        e.push(super::text_item("created_at", &self.created_at));
        e.push(super::text_item("enc", &self.enc));
        e.push(super::text_item("aws_profile", &self.aws_profile));
        e
    }
    fn to_proto(&self) -> crate::proto::key::KeyType {
        crate::proto::key::KeyType::KmsKey(crate::proto::KmsKey {
            arn: self.arn.clone(),
            role: self.role.clone(),
            context: self.context.iter().cloned().collect(),
            aws_profile: self.aws_profile.clone(),
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
    fn set_encryption_context(&mut self, context: &[(String, String)]) {
        if self.context.is_empty() {
            self.context = context.to_vec();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regions_from_arns() {
        assert_eq!(
            region_from_arn(
                "arn:aws:kms:us-west-2:107501996527:key/612d5f0p-p1l3-45e6-aca6-a5b005693a48"
            )
            .unwrap(),
            "us-west-2"
        );
        assert_eq!(
            region_from_arn("arn:aws-cn:kms:cn-north-1:111122223333:alias/x").unwrap(),
            "cn-north-1"
        );
        assert_eq!(
            region_from_arn("arn:aws-us-gov:kms:us-gov-west-1:111122223333:key/k").unwrap(),
            "us-gov-west-1"
        );
        assert!(region_from_arn("arn:aws:s3:us-east-1:111122223333:key/x").is_err());
        assert!(region_from_arn("arn:aws:kms:us-east-1:abc:key/x").is_err());
        assert!(region_from_arn("not an arn").is_err());
    }

    #[test]
    fn real_arn_shapes_are_accepted() {
        for (arn, region) in [
            (
                "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
                "us-east-1",
            ),
            (
                "arn:aws:kms:eu-central-2:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab",
                "eu-central-2",
            ),
            (
                "arn:aws:kms:ap-southeast-5:111122223333:alias/sops/prod_key-1",
                "ap-southeast-5",
            ),
            (
                "arn:aws-cn:kms:cn-northwest-1:111122223333:alias/x",
                "cn-northwest-1",
            ),
            (
                "arn:aws-us-gov:kms:us-gov-east-1:111122223333:key/k",
                "us-gov-east-1",
            ),
            (
                "arn:aws-iso:kms:us-iso-east-1:111122223333:key/k",
                "us-iso-east-1",
            ),
            (
                "arn:aws-iso-b:kms:us-isob-east-1:111122223333:key/k",
                "us-isob-east-1",
            ),
            (
                "arn:aws-iso-e:kms:eu-isoe-west-1:111122223333:key/k",
                "eu-isoe-west-1",
            ),
            (
                "arn:aws-iso-f:kms:us-isof-south-1:111122223333:key/k",
                "us-isof-south-1",
            ),
            (
                "arn:aws-eusc:kms:eusc-de-east-1:111122223333:key/k",
                "eusc-de-east-1",
            ),
        ] {
            assert_eq!(region_from_arn(arn).unwrap(), region, "{arn}");
        }
        for role in [
            "arn:aws:iam::111122223333:role/ops",
            "arn:aws-cn:iam::111122223333:role/path/to/Ops+Admin=,.@_-1",
            "arn:aws-eusc:iam::111122223333:role/r",
        ] {
            assert!(validate_role(role).is_ok(), "{role}");
        }
        for p in ["", "default", "prod-eu_1.admin"] {
            assert!(validate_profile(p).is_ok(), "{p}");
        }
    }

    #[test]
    fn hostile_arns_roles_and_profiles_are_refused() {
        for arn in [
            // Regions that would change the endpoint host or path.
            "arn:aws:kms:us-east-1.evil.example:111122223333:key/k",
            "arn:aws:kms:evil.example/#:111122223333:key/k",
            "arn:aws:kms:127.0.0.1:8080/x?:111122223333:key/k",
            "arn:aws:kms:us-east-1/..:111122223333:key/k",
            "arn:aws:kms:us-east-1@evil:111122223333:key/k",
            "arn:aws:kms:US-EAST-1:111122223333:key/k",
            "arn:aws:kms:useast1:111122223333:key/k",
            "arn:aws:kms::111122223333:key/k",
            // Partitions, accounts, key IDs, aliases.
            "arn:aws-evil:kms:us-east-1:111122223333:key/k",
            "arn:awsx:kms:us-east-1:111122223333:key/k",
            "arn:aws:kms:us-east-1:1:key/k",
            "arn:aws:kms:us-east-1:1111222233334:key/k",
            "arn:aws:kms:us-east-1:111122223333:key/k/../x",
            "arn:aws:kms:us-east-1:111122223333:key/k?x",
            "arn:aws:kms:us-east-1:111122223333:key/",
            "arn:aws:kms:us-east-1:111122223333:alias/a#b",
            "arn:aws:kms:us-east-1:111122223333:alias/a b",
            "arn:aws:kms:us-east-1:111122223333:grant/k",
        ] {
            assert!(region_from_arn(arn).is_err(), "{arn}");
        }
        for role in [
            "arn:aws:iam::1:role/r",
            "arn:aws:iam::111122223333:user/r",
            "arn:aws:iam:us-east-1:111122223333:role/r",
            "arn:aws-evil:iam::111122223333:role/r",
            "arn:aws:iam::111122223333:role/",
            "arn:aws:iam::111122223333:role/r?x",
            "arn:aws:iam::111122223333:role/r#x",
            "arn:aws:sts::111122223333:assumed-role/r",
        ] {
            assert!(validate_role(role).is_err(), "{role}");
        }
        for p in ["a b", "../x", "p/q", "p\nq", "[default]", "p;q"] {
            assert!(validate_profile(p).is_err(), "{p}");
        }
    }

    #[cfg(feature = "aws")]
    #[test]
    fn hostile_entries_are_refused_before_any_request() {
        let k = KmsKey {
            arn: "arn:aws:kms:us-east-1.evil.example:111122223333:key/k".into(),
            enc: "AAAA".into(),
            ..Default::default()
        };
        let e = unwrap(&k).unwrap_err();
        assert!(
            e.to_string()
                .contains("refused the kms entry arn:aws:kms:us-east-1.evil.example:")
                && e.to_string().contains("AWS_ENDPOINT_URL_KMS"),
            "{e}"
        );
        let mut k = k;
        assert!(wrap(&mut k, b"x")
            .unwrap_err()
            .to_string()
            .contains("refused the kms entry"));
        let k = KmsKey {
            arn: "arn:aws:kms:us-east-1:111122223333:key/k".into(),
            role: "arn:aws:iam::111122223333:role/r?x".into(),
            enc: "AAAA".into(),
            ..Default::default()
        };
        assert!(unwrap(&k)
            .unwrap_err()
            .to_string()
            .contains("is not an IAM role ARN"));
        let k = KmsKey {
            arn: "arn:aws:kms:us-east-1:111122223333:key/k".into(),
            aws_profile: "x y".into(),
            enc: "AAAA".into(),
            ..Default::default()
        };
        assert!(unwrap(&k)
            .unwrap_err()
            .to_string()
            .contains("is not a profile name"));
    }

    #[test]
    fn roles_and_spaces() {
        let k = key_from_arn(
            "arn:aws:kms:eu-west-1:111122223333:key/k +arn:aws:iam::111122223333:role/ops",
            &[("a".into(), "b".into())],
            "prof",
        );
        assert_eq!(k.arn, "arn:aws:kms:eu-west-1:111122223333:key/k");
        assert_eq!(k.role, "arn:aws:iam::111122223333:role/ops");
        assert_eq!(k.context, vec![("a".to_string(), "b".to_string())]);
        assert_eq!(k.aws_profile, "prof");
        let k = key_from_arn("arn:aws:kms:eu-west-1:111122223333:key/k", &[], "");
        assert_eq!(k.role, "");
        let ks = keys_from_list(
            "arn:aws:kms:us-east-1:111122223333:key/x, arn:aws:kms:us-west-2:444455556666:alias/y+arn:aws:iam::444455556666:role/r,",
            &[],
            "",
        )
        .unwrap();
        assert_eq!(ks.len(), 2);
        assert_eq!(ks[1].role, "arn:aws:iam::444455556666:role/r");
        assert!(keys_from_list("arn:aws:kms:nope", &[], "").is_err());
        // sops 3.13: the role is split off on "+arn:" in every partition.
        for partition in ["aws-cn", "aws-us-gov", "aws-iso-b", "aws-eusc"] {
            let role = format!("arn:{partition}:iam::111122223333:role/ops");
            let k = key_from_arn(
                &format!("arn:{partition}:kms:cn-north-1:111122223333:key/k+{role}"),
                &[],
                "",
            );
            assert_eq!(
                k.arn,
                format!("arn:{partition}:kms:cn-north-1:111122223333:key/k")
            );
            assert_eq!(k.role, role);
        }
        // "+arn:" at the very start is not a separator (as in sops).
        assert_eq!(key_from_arn("+arn:x", &[], "").role, "");
        // A hostile role or profile on the command line fails early.
        assert!(keys_from_list(
            "arn:aws:kms:us-east-1:111122223333:key/x+arn:aws:iam::111122223333:role/r?x",
            &[],
            ""
        )
        .is_err());
        assert!(keys_from_list("arn:aws:kms:us-east-1:111122223333:key/x", &[], "a b").is_err());
    }

    #[test]
    fn contexts() {
        assert_eq!(parse_context("").unwrap(), vec![]);
        assert_eq!(
            parse_context("b:2,a:1").unwrap(),
            vec![
                ("a".to_string(), "1".to_string()),
                ("b".to_string(), "2".to_string())
            ]
        );
        assert_eq!(
            parse_context("a:1,a:2").unwrap(),
            vec![("a".to_string(), "2".to_string())]
        );
        assert_eq!(
            parse_context("a:").unwrap(),
            vec![("a".to_string(), String::new())]
        );
        for bad in ["a", "a:1:2", "a:1,", "a:1,b"] {
            assert_eq!(
                parse_context(bad).unwrap_err().code(),
                code::ERROR_INVALID_KMS_ENCRYPTION_CONTEXT_FORMAT,
                "{bad}"
            );
        }
    }

    #[test]
    #[cfg(feature = "aws")]
    fn session_names_are_valid() {
        let n = session_name();
        assert!(n.starts_with("sops@"));
        assert!(n.len() <= 64);
        assert!(n
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "=,.@-_".contains(c)));
    }
}
