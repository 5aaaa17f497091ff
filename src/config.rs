//! `.sops.yaml`: discovery (from the working directory upwards, or
//! `--config`/`SOPS_CONFIG`), creation rules matched by `path_regex` (first
//! match wins), key groups, partial-encryption options and store settings.

use std::path::{Path, PathBuf};

use regex::Regex;

use crate::error::{code, Error, Result};
use crate::keys::{self, KeyError, KeyOptions};
use crate::metadata::{KeyGroup, Rule};
use crate::tree::{Branch, Value};

pub const CONFIG_FILE_NAME: &str = ".sops.yaml";
const MAX_DEPTH: usize = 100;

/// Look for `.sops.yaml` in `start` and its parents (sops checks 100 levels).
pub fn find_config(start: &Path) -> Option<PathBuf> {
    let mut dir = std::path::absolute(start).ok()?;
    for _ in 0..MAX_DEPTH {
        let p = dir.join(CONFIG_FILE_NAME);
        if p.is_file() {
            return Some(p);
        }
        if !dir.pop() {
            break;
        }
    }
    None
}

/// Settings that apply to a file from its creation rule.
#[derive(Debug, Default, Clone)]
pub struct CreationConfig {
    pub key_groups: Vec<KeyGroup>,
    pub shamir_threshold: usize,
    pub rule: Option<Rule>,
    pub mac_only_encrypted: bool,
    /// The keys come from the rule's flat fields (`kms`, `age`, …), not
    /// from `key_groups`: `--encryption-context` then applies to its KMS keys.
    pub flat_keys: bool,
}

impl CreationConfig {
    /// Apply `--encryption-context` to the KMS keys of a rule without
    /// `key_groups`, as sops does (key-group entries carry their own).
    pub fn apply_encryption_context(&mut self, context: &[(String, String)]) {
        if !self.flat_keys || context.is_empty() {
            return;
        }
        for k in self.key_groups.iter_mut().flatten() {
            k.set_encryption_context(context);
        }
    }
}

/// Store settings (`stores:`).
#[derive(Debug, Default, Clone, Copy)]
pub struct StoresConfig {
    pub yaml_indent: Option<usize>,
    pub json_indent: Option<usize>,
    pub json_binary_indent: Option<usize>,
}

/// A loaded config file.
#[derive(Debug, Clone)]
pub struct Config {
    pub path: PathBuf,
    root: Branch,
}

fn err(path: &Path, msg: impl std::fmt::Display) -> Error {
    Error::new(
        code::ERROR_GENERIC,
        format!("error loading config {}: {msg}", path.display()),
    )
}

fn get<'a>(m: &'a Branch, k: &str) -> Option<&'a Value> {
    m.iter().find(|i| i.key_str() == Some(k)).map(|i| &i.value)
}

impl Config {
    pub fn load(path: &Path) -> Result<Config> {
        let bytes = std::fs::read(path)
            .map_err(|e| err(path, format!("could not read config file: {e}")))?;
        let docs = crate::stores::yaml::parse(&bytes)
            .map_err(|e| err(path, format!("Could not unmarshal config file: {}", e)))?;
        let root = docs.into_iter().next().unwrap_or_default();
        Ok(Config {
            path: path.to_path_buf(),
            root,
        })
    }

    /// Find and load the config: an explicit path must exist; otherwise a
    /// missing config is not an error.
    pub fn discover(explicit: Option<&str>) -> Result<Option<Config>> {
        match explicit {
            Some(p) if !p.is_empty() => {
                let path = PathBuf::from(p);
                if !path.exists() {
                    return Err(Error::new(
                        code::CONFIG_FILE_NOT_FOUND,
                        format!("config file {} not found", path.display()),
                    ));
                }
                Config::load(&path).map(Some)
            }
            _ => match find_config(Path::new(".")) {
                Some(p) => Config::load(&p).map(Some),
                None => Ok(None),
            },
        }
    }

    /// `path_regex_forward_slashes: true` at the top level of .sops.yaml.
    /// sops ignores unknown top-level keys, so the file stays valid for it.
    pub fn forward_slashes(&self) -> bool {
        matches!(
            get(&self.root, "path_regex_forward_slashes"),
            Some(Value::Bool(true))
        )
    }

    pub fn stores(&self) -> Result<StoresConfig> {
        let mut s = StoresConfig::default();
        if let Some(Value::Map(st)) = get(&self.root, "stores") {
            let indent = |name: &str| -> Result<Option<usize>> {
                match get(st, name)
                    .and_then(|v| v.as_map())
                    .and_then(|m| get(m, "indent"))
                {
                    None | Some(Value::Null) => Ok(None),
                    Some(Value::Int(i)) if *i >= 0 => Ok(Some(*i as usize)),
                    Some(Value::Int(_)) => Ok(None),
                    Some(_) => Err(err(
                        &self.path,
                        format!("stores.{name}.indent must be an integer"),
                    )),
                }
            };
            s.yaml_indent = indent("yaml")?;
            s.json_indent = indent("json")?;
            s.json_binary_indent = indent("json_binary")?;
        }
        Ok(s)
    }

    /// The creation rule for `file` (its absolute path, made relative to the
    /// config's directory, is matched against each `path_regex`).
    pub fn creation_rule_for(&self, file: &Path) -> Result<Option<CreationConfig>> {
        let rules = match get(&self.root, "creation_rules") {
            None | Some(Value::Null) => return Ok(None),
            Some(Value::List(l)) => l,
            Some(_) => return Err(err(&self.path, "creation_rules must be a list")),
        };
        let abs = std::path::absolute(file).unwrap_or_else(|_| file.to_path_buf());
        let dir = std::path::absolute(self.path.parent().unwrap_or(Path::new(".")))
            .unwrap_or_else(|_| PathBuf::from("."));
        let abs_s = abs.display().to_string();
        let prefix = format!("{}{}", dir.display(), std::path::MAIN_SEPARATOR);
        let mut rel = abs_s.strip_prefix(&prefix).unwrap_or(&abs_s).to_string();
        if self.forward_slashes() {
            // Opt-in (rsops extension): match `path_regex` against
            // `/`-separated paths on every platform, so one .sops.yaml
            // works for Windows and Unix users alike.
            rel = rel.replace('\\', "/");
        }
        for (i, r) in rules.iter().filter(|r| !r.is_comment()).enumerate() {
            let rule = r
                .as_map()
                .ok_or_else(|| err(&self.path, format!("creation rule {i} is not a map")))?;
            let matched = match get(rule, "path_regex") {
                None | Some(Value::Null) => true,
                Some(Value::Str(re)) if re.is_empty() => true,
                Some(Value::Str(re)) => Regex::new(re)
                    .map_err(|e| {
                        err(
                            &self.path,
                            format!("creation rule {i}: can not compile path_regex: {e}"),
                        )
                    })?
                    .is_match(&rel),
                Some(_) => {
                    return Err(err(
                        &self.path,
                        format!("creation rule {i}: path_regex must be a string"),
                    ))
                }
            };
            if matched {
                return self.rule_config(rule, i).map(Some);
            }
        }
        Err(err(
            &self.path,
            format!("no matching creation rules found for {rel}"),
        ))
    }

    fn rule_config(&self, rule: &Branch, i: usize) -> Result<CreationConfig> {
        let ctx = |m: String| err(&self.path, format!("creation rule {i}: {m}"));
        let mut cfg = CreationConfig::default();
        let mut rules = Vec::new();
        for (field, make) in Rule::FIELDS {
            match get(rule, field) {
                None | Some(Value::Null) => {}
                Some(Value::Str(s)) if s.is_empty() => {}
                Some(Value::Str(s)) => rules.push(make(s.clone())),
                Some(_) => return Err(ctx(format!("{field} must be a string"))),
            }
        }
        if rules.len() > 1 {
            return Err(ctx("cannot use more than one of encrypted_suffix, unencrypted_suffix, encrypted_regex, unencrypted_regex, encrypted_comment_regex, or unencrypted_comment_regex for the same rule".into()));
        }
        cfg.rule = rules.pop();
        cfg.mac_only_encrypted = matches!(get(rule, "mac_only_encrypted"), Some(Value::Bool(true)));
        cfg.shamir_threshold = match get(rule, "shamir_threshold") {
            None | Some(Value::Null) => 0,
            Some(Value::Int(n)) if *n >= 0 => *n as usize,
            Some(_) => return Err(ctx("shamir_threshold must be a non-negative integer".into())),
        };
        match get(rule, "key_groups") {
            Some(Value::List(groups)) if !groups.is_empty() => {
                for (gi, g) in groups.iter().filter(|g| !g.is_comment()).enumerate() {
                    let gm = g
                        .as_map()
                        .ok_or_else(|| ctx(format!("key group {gi} is not a map")))?;
                    let mut group = KeyGroup::new();
                    group_keys(gm, &mut group).map_err(|m| ctx(format!("key group {gi}: {m}")))?;
                    dedup(&mut group);
                    cfg.key_groups.push(group);
                }
            }
            _ => {
                let mut group = KeyGroup::new();
                let opts = KeyOptions {
                    aws_profile: match get(rule, "aws_profile") {
                        None | Some(Value::Null) => String::new(),
                        Some(Value::Str(s)) => s.clone(),
                        Some(_) => return Err(ctx("aws_profile must be a string".into())),
                    },
                    ..Default::default()
                };
                for src in keys::sources() {
                    let field = src.names().rule_field;
                    let list = key_field(get(rule, field), field)
                        .map_err(|e| ctx(e.to_string()))?
                        .join(",");
                    group.extend(src.parse_list(&list, &opts).map_err(|e| ctx(e.message()))?);
                }
                cfg.flat_keys = true;
                cfg.key_groups.push(group);
            }
        }
        Ok(cfg)
    }
}

/// Where `rsops publish` sends a file (`destination_rules`).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg(feature = "publish")]
pub enum Destination {
    /// `s3_bucket`, `s3_prefix`: the encrypted file.
    S3 { bucket: String, prefix: String },
    /// `gcs_bucket`, `gcs_prefix`: the encrypted file.
    Gcs { bucket: String, prefix: String },
    /// `vault_path`, `vault_address`, `vault_kv_mount_name`,
    /// `vault_kv_version`: the decrypted values, as a KV secret.
    Vault {
        /// Empty: `VAULT_ADDR`, or Vault's default.
        address: String,
        /// Ends with `/`.
        path: String,
        /// Ends with `/` (default `secret/`).
        mount: String,
        /// 1 or 2 (default 2).
        kv_version: u8,
    },
}

/// The destination rule matching a file.
#[derive(Debug, Clone)]
#[cfg(feature = "publish")]
pub struct DestinationRule {
    /// None when the rule names no destination.
    pub destination: Option<Destination>,
    /// `recreation_rule`: the keys (and options) to re-encrypt with before
    /// an S3 or GCS upload; no keys means the file is uploaded as it is.
    pub recreation: CreationConfig,
    pub omit_extensions: bool,
}

#[cfg(feature = "publish")]
impl Config {
    /// The first destination rule whose `path_regex` matches `file` (the
    /// path as given, as sops matches it; no `path_regex` matches all).
    pub fn destination_rule_for(&self, file: &str) -> Result<DestinationRule> {
        let rules = match get(&self.root, "destination_rules") {
            Some(Value::List(l)) => l,
            None | Some(Value::Null) => &Vec::new(),
            Some(_) => return Err(err(&self.path, "destination_rules must be a list")),
        };
        for (i, r) in rules.iter().filter(|r| !r.is_comment()).enumerate() {
            let ctx = |m: &str| err(&self.path, format!("destination rule {i}: {m}"));
            let rule = r.as_map().ok_or_else(|| ctx("not a map"))?;
            let text = |k: &str| -> Result<String> {
                match get(rule, k) {
                    None | Some(Value::Null) => Ok(String::new()),
                    Some(Value::Str(s)) => Ok(s.clone()),
                    Some(_) => Err(ctx(&format!("{k} must be a string"))),
                }
            };
            let re = text("path_regex")?;
            if !re.is_empty() {
                let re = Regex::new(&re)
                    .map_err(|e| ctx(&format!("can not compile path_regex: {e}")))?;
                if !re.is_match(file) {
                    continue;
                }
            }
            let (s3, gcs, vault) = (text("s3_bucket")?, text("gcs_bucket")?, text("vault_path")?);
            if [&s3, &gcs, &vault].iter().filter(|s| !s.is_empty()).count() > 1 {
                return Err(ctx("more than one destinations were found in a single destination rule, you can only use one per rule"));
            }
            let slash = |mut s: String| {
                if !s.ends_with('/') {
                    s.push('/');
                }
                s
            };
            let destination = if !s3.is_empty() {
                Some(Destination::S3 {
                    bucket: s3,
                    prefix: text("s3_prefix")?,
                })
            } else if !gcs.is_empty() {
                Some(Destination::Gcs {
                    bucket: gcs,
                    prefix: text("gcs_prefix")?,
                })
            } else if !vault.is_empty() {
                let mount = Some(text("vault_kv_mount_name")?)
                    .filter(|m| !m.is_empty())
                    .unwrap_or_else(|| "secret/".to_string());
                let kv_version = match get(rule, "vault_kv_version") {
                    Some(Value::Int(1)) => 1,
                    None | Some(Value::Null) | Some(Value::Int(_)) => 2,
                    Some(_) => return Err(ctx("vault_kv_version must be 1 or 2")),
                };
                Some(Destination::Vault {
                    address: text("vault_address")?,
                    path: slash(vault),
                    mount: slash(mount),
                    kv_version,
                })
            } else {
                None
            };
            let recreation = match get(rule, "recreation_rule") {
                None | Some(Value::Null) => self.rule_config(&Branch::new(), i)?,
                Some(Value::Map(m)) => self.rule_config(m, i)?,
                Some(_) => return Err(ctx("recreation_rule must be a map")),
            };
            return Ok(DestinationRule {
                destination,
                recreation,
                omit_extensions: matches!(get(rule, "omit_extensions"), Some(Value::Bool(true))),
            });
        }
        Err(err(&self.path, "no matching destination found in config"))
    }
}

/// A key field: a comma-separated string or a list of strings.
fn key_field(v: Option<&Value>, name: &str) -> std::result::Result<Vec<String>, KeyError> {
    match v {
        None | Some(Value::Null) => Ok(vec![]),
        Some(Value::Str(s)) => Ok(s
            .split(',')
            .map(|k| k.trim().to_string())
            .filter(|k| !k.is_empty())
            .collect()),
        Some(Value::List(l)) => l
            .iter()
            .filter(|x| !x.is_comment())
            .map(|x| match x {
                Value::Str(s) => Ok(s.trim().to_string()),
                _ => Err(KeyError::Invalid(format!(
                    "invalid {name} key configuration: expected a string in the list"
                ))),
            })
            .collect(),
        Some(_) => Err(KeyError::Invalid(format!(
            "invalid {name} key configuration: expected a string or a list of strings"
        ))),
    }
}

fn group_keys(gm: &Branch, group: &mut KeyGroup) -> std::result::Result<(), KeyError> {
    if let Some(Value::List(merge)) = get(gm, "merge") {
        for m in merge.iter().filter(|m| !m.is_comment()) {
            let mm = m
                .as_map()
                .ok_or_else(|| KeyError::Invalid("merge entries must be maps".into()))?;
            group_keys(mm, group)?;
        }
    }
    for src in keys::sources() {
        if let Some(v) = get(gm, src.names().group_field) {
            group.extend(src.parse_group_value(v)?);
        }
    }
    Ok(())
}

fn dedup(group: &mut KeyGroup) {
    let mut seen = std::collections::HashSet::new();
    group.retain(|k| seen.insert((k.type_id().to_string(), k.describe())));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keys::awskms::KmsKey;
    use crate::keys::azkv::AzureKvKey;
    use crate::keys::gcpkms::GcpKmsKey;
    use crate::keys::hcvault::HcVaultKey;

    fn cfg(text: &str) -> Config {
        let root = crate::stores::yaml::parse(text.as_bytes())
            .unwrap()
            .into_iter()
            .next()
            .unwrap();
        Config {
            path: PathBuf::from("/repo/.sops.yaml"),
            root,
        }
    }

    #[test]
    fn first_matching_rule_wins_and_paths_are_relative_to_the_config() {
        let c = cfg("creation_rules:\n  - path_regex: ^dev/.*\\.yaml$\n    encrypted_regex: ^a$\n    age: age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p\n  - age: age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p\n");
        let r = c
            .creation_rule_for(Path::new("/repo/dev/x.yaml"))
            .unwrap()
            .unwrap();
        assert_eq!(r.rule, Some(Rule::EncryptedRegex("^a$".into())));
        let r = c
            .creation_rule_for(Path::new("/repo/prod/x.yaml"))
            .unwrap()
            .unwrap();
        assert_eq!(r.rule, None);
        assert_eq!(r.key_groups.len(), 1);
    }

    #[test]
    fn invalid_rules_name_the_rule_and_field() {
        let c = cfg("creation_rules:\n  - path_regex: '['\n");
        let e = c.creation_rule_for(Path::new("/repo/x")).unwrap_err();
        assert!(
            e.message().contains("creation rule 0") && e.message().contains("path_regex"),
            "{}",
            e.message()
        );
        let c = cfg("creation_rules:\n  - age: 5\n");
        assert!(c
            .creation_rule_for(Path::new("/repo/x"))
            .unwrap_err()
            .message()
            .contains("age"));
        let c = cfg("creation_rules:\n  - path_regex: nomatch\n");
        assert!(c
            .creation_rule_for(Path::new("/repo/x"))
            .unwrap_err()
            .message()
            .contains("no matching creation rules"));
    }

    #[test]
    fn forward_slash_matching_is_opt_in() {
        let c = cfg("path_regex_forward_slashes: true\ncreation_rules:\n  - path_regex: ^a/b$\n    age: age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p\n");
        assert!(c.forward_slashes());
        assert!(c
            .creation_rule_for(Path::new("/repo/a/b"))
            .unwrap()
            .is_some());
        assert!(!cfg("creation_rules: []\n").forward_slashes());
    }

    #[test]
    fn cloud_keys_in_rules_and_key_groups() {
        let arn = "arn:aws:kms:eu-west-1:111122223333:key/k1";
        let gcp = "projects/my-project/locations/global/keyRings/r/cryptoKeys/k";
        let c = cfg(&format!(
            "creation_rules:\n  - path_regex: flat\n    kms: {arn}+arn:aws:iam::111122223333:role/r\n    aws_profile: prod\n    gcp_kms: [{gcp}]\n    azure_keyvault: https://v.vault.azure.net/keys/n/1\n    hc_vault_transit_uri: https://vault:8200/v1/transit/keys/t\n  - path_regex: groups\n    key_groups:\n      - kms:\n          - arn: {arn}\n            role: arn:aws:iam::111122223333:role/g\n            aws_profile: dev\n            context:\n              z: 1\n              a: b\n        gcp_kms:\n          - resource_id: {gcp}\n        azure_keyvault:\n          - vaultUrl: https://v.vault.azure.net\n            key: n\n            version: \"2\"\n        hc_vault:\n          - https://vault:8200/v1/team/transit/keys/t\n"
        ));
        let mut flat = c
            .creation_rule_for(Path::new("/repo/flat"))
            .unwrap()
            .unwrap();
        let types: Vec<&str> = flat.key_groups[0].iter().map(|k| k.type_id()).collect();
        assert_eq!(types, ["kms", "gcp_kms", "azure_kv", "hc_vault"]);
        flat.apply_encryption_context(&[("from".into(), "flag".into())]);
        let k = flat.key_groups[0][0].get::<KmsKey>().unwrap();
        assert_eq!(k.arn, arn);
        assert_eq!(k.role, "arn:aws:iam::111122223333:role/r");
        assert_eq!(k.aws_profile, "prod");
        assert_eq!(k.context, vec![("from".to_string(), "flag".to_string())]);
        let mut groups = c
            .creation_rule_for(Path::new("/repo/groups"))
            .unwrap()
            .unwrap();
        groups.apply_encryption_context(&[("from".into(), "flag".into())]);
        let g = &groups.key_groups[0];
        let k = g[0].get::<KmsKey>().unwrap();
        assert_eq!(k.role, "arn:aws:iam::111122223333:role/g");
        assert_eq!(k.aws_profile, "dev");
        assert_eq!(
            k.context,
            vec![
                ("a".to_string(), "b".to_string()),
                ("z".to_string(), "1".to_string())
            ]
        );
        assert_eq!(g[1].get::<GcpKmsKey>().unwrap().resource_id, gcp);
        let a = g[2].get::<AzureKvKey>().unwrap();
        assert!(a.name == "n" && a.version == "2");
        assert_eq!(
            g[3].get::<HcVaultKey>().unwrap().engine_path,
            "team/transit"
        );
        let bad = cfg("creation_rules:\n  - key_groups:\n      - kms:\n          - arn: nope\n");
        assert!(bad.creation_rule_for(Path::new("/repo/x")).is_err());
    }

    #[test]
    fn hostile_cloud_keys_fail_when_the_rule_is_read() {
        for (rule, want) in [
            ("kms: arn:aws:kms:us-east-1.evil.example:111122223333:key/k", "no valid ARN"),
            ("kms: arn:aws:kms:us-east-1:111122223333:key/k+arn:aws:iam::111122223333:role/r?x", "IAM role"),
            ("gcp_kms: projects/my-project/locations/global/keyRings/r/cryptoKeys/k?x", "no valid resource ID"),
            ("azure_keyvault: https://evil.example/keys/k/1", "RSOPS_AZURE_KEYVAULT_ALLOWED_HOSTS"),
            ("hc_vault_transit_uri: https://vault:8200/v1/transit/../kv/keys/k", "not '.' or '..'"),
            ("key_groups:\n      - kms:\n          - arn: arn:aws:kms:us-east-1:111122223333:key/k\n            role: arn:aws:iam::111122223333:role/r#", "IAM role"),
            ("key_groups:\n      - kms:\n          - arn: arn:aws:kms:us-east-1:111122223333:key/k\n            aws_profile: a/b", "profile"),
            ("key_groups:\n      - gcp_kms:\n          - resource_id: projects/../locations/global/keyRings/r/cryptoKeys/k", "no valid resource ID"),
            ("key_groups:\n      - azure_keyvault:\n          - vaultUrl: http://127.0.0.1:1\n            key: k\n            version: \"\"", "RSOPS_AZURE_KEYVAULT_ALLOWED_HOSTS"),
            ("key_groups:\n      - hc_vault:\n          - https://vault:8200/v1/transit/keys/k?x", "no query"),
        ] {
            let c = cfg(&format!("creation_rules:\n  - {rule}\n"));
            let e = c.creation_rule_for(Path::new("/repo/x")).unwrap_err().message();
            assert!(e.contains(want), "{rule}: {e}");
        }
    }
}
