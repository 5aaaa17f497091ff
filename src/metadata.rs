//! The `sops` metadata block as a typed struct, read from and written to the
//! format-neutral tree in the field order sops 3.11 writes.

use crate::error::{code, Error, Result};
use crate::keys::{AgeKey, AzureKvKey, GcpKmsKey, HcVaultKey, KmsKey, MasterKey, PgpKey};
use crate::tree::{Branch, Item, Value};

pub const SOPS_KEY: &str = "sops";
pub const DEFAULT_UNENCRYPTED_SUFFIX: &str = "_unencrypted";
/// The sops version whose file layout rsops writes.
pub const SOPS_VERSION: &str = "3.11.0";

/// Which values are encrypted. At most one rule is active in a file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Rule {
    UnencryptedSuffix(String),
    EncryptedSuffix(String),
    UnencryptedRegex(String),
    EncryptedRegex(String),
    UnencryptedCommentRegex(String),
    EncryptedCommentRegex(String),
}

impl Rule {
    pub fn field(&self) -> &'static str {
        match self {
            Rule::UnencryptedSuffix(_) => "unencrypted_suffix",
            Rule::EncryptedSuffix(_) => "encrypted_suffix",
            Rule::UnencryptedRegex(_) => "unencrypted_regex",
            Rule::EncryptedRegex(_) => "encrypted_regex",
            Rule::UnencryptedCommentRegex(_) => "unencrypted_comment_regex",
            Rule::EncryptedCommentRegex(_) => "encrypted_comment_regex",
        }
    }
    pub fn value(&self) -> &str {
        match self {
            Rule::UnencryptedSuffix(s)
            | Rule::EncryptedSuffix(s)
            | Rule::UnencryptedRegex(s)
            | Rule::EncryptedRegex(s)
            | Rule::UnencryptedCommentRegex(s)
            | Rule::EncryptedCommentRegex(s) => s,
        }
    }
}

impl Default for Rule {
    fn default() -> Self {
        Rule::UnencryptedSuffix(DEFAULT_UNENCRYPTED_SUFFIX.to_string())
    }
}

pub type KeyGroup = Vec<MasterKey>;

#[derive(Clone, Debug, PartialEq)]
pub struct Metadata {
    pub key_groups: Vec<KeyGroup>,
    /// 0 when unset (then all groups are needed).
    pub shamir_threshold: usize,
    pub lastmodified: String,
    pub mac: String,
    /// The partial-encryption rule; `None` only for binary files, whose
    /// metadata sops writes without any rule.
    pub rule: Option<Rule>,
    pub mac_only_encrypted: bool,
    pub version: String,
}

impl Default for Metadata {
    fn default() -> Self {
        Metadata {
            key_groups: vec![],
            shamir_threshold: 0,
            lastmodified: String::new(),
            mac: String::new(),
            rule: Some(Rule::default()),
            mac_only_encrypted: false,
            version: SOPS_VERSION.to_string(),
        }
    }
}

fn bad(msg: impl Into<String>) -> Error {
    Error::new(
        code::COULD_NOT_READ_INPUT_FILE,
        format!("invalid sops metadata: {}", msg.into()),
    )
}

/// A scalar as text (metadata read from flat formats arrives as strings).
fn text(v: &Value, field: &str) -> Result<String> {
    Ok(match v {
        Value::Str(s) => s.clone(),
        Value::Int(i) => i.to_string(),
        Value::Float(f) => crate::gofmt::go_format_float(*f, 'f'),
        Value::Bool(b) => b.to_string(),
        Value::Time(t) => t.clone(),
        Value::Null => String::new(),
        _ => return Err(bad(format!("field {field:?} must be a string"))),
    })
}

fn entries<'a>(v: &'a Value, field: &str) -> Result<Vec<&'a Branch>> {
    match v {
        Value::Null => Ok(vec![]),
        Value::List(items) => items
            .iter()
            .filter(|i| !i.is_comment())
            .map(|i| {
                i.as_map()
                    .ok_or_else(|| bad(format!("entries of {field:?} must be maps")))
            })
            .collect(),
        _ => Err(bad(format!("field {field:?} must be a list"))),
    }
}

fn get<'a>(m: &'a Branch, k: &str) -> Option<&'a Value> {
    m.iter().find(|i| i.key_str() == Some(k)).map(|i| &i.value)
}

fn get_text(m: &Branch, k: &str, ctx: &str) -> Result<String> {
    match get(m, k) {
        Some(v) => text(v, &format!("{ctx}.{k}")),
        None => Ok(String::new()),
    }
}

fn keys_of(m: &Branch, group: &mut KeyGroup) -> Result<()> {
    // sops reads the key types in this order: kms, gcp_kms, azure_kv,
    // hc_vault, pgp, age (the order decryption is attempted in, after
    // --decryption-order sorting).
    if let Some(v) = get(m, "kms") {
        for e in entries(v, "kms")? {
            let mut context = Vec::new();
            if let Some(Value::Map(c)) = get(e, "context") {
                for it in c {
                    if let Some(k) = it.key_str() {
                        context.push((k.to_string(), text(&it.value, "kms.context")?));
                    }
                }
                context.sort();
            }
            group.push(MasterKey::Kms(KmsKey {
                arn: get_text(e, "arn", "kms")?,
                role: get_text(e, "role", "kms")?,
                context,
                created_at: get_text(e, "created_at", "kms")?,
                enc: get_text(e, "enc", "kms")?,
                aws_profile: get_text(e, "aws_profile", "kms")?,
            }));
        }
    }
    if let Some(v) = get(m, "gcp_kms") {
        for e in entries(v, "gcp_kms")? {
            group.push(MasterKey::GcpKms(GcpKmsKey {
                resource_id: get_text(e, "resource_id", "gcp_kms")?,
                created_at: get_text(e, "created_at", "gcp_kms")?,
                enc: get_text(e, "enc", "gcp_kms")?,
            }));
        }
    }
    if let Some(v) = get(m, "azure_kv") {
        for e in entries(v, "azure_kv")? {
            group.push(MasterKey::AzureKv(AzureKvKey {
                vault_url: get_text(e, "vault_url", "azure_kv")?,
                name: get_text(e, "name", "azure_kv")?,
                version: get_text(e, "version", "azure_kv")?,
                created_at: get_text(e, "created_at", "azure_kv")?,
                enc: get_text(e, "enc", "azure_kv")?,
            }));
        }
    }
    if let Some(v) = get(m, "hc_vault") {
        for e in entries(v, "hc_vault")? {
            group.push(MasterKey::HcVault(HcVaultKey {
                vault_address: get_text(e, "vault_address", "hc_vault")?,
                engine_path: get_text(e, "engine_path", "hc_vault")?,
                key_name: get_text(e, "key_name", "hc_vault")?,
                created_at: get_text(e, "created_at", "hc_vault")?,
                enc: get_text(e, "enc", "hc_vault")?,
            }));
        }
    }
    if let Some(v) = get(m, "pgp") {
        for e in entries(v, "pgp")? {
            group.push(MasterKey::Pgp(PgpKey {
                fp: get_text(e, "fp", "pgp")?,
                created_at: get_text(e, "created_at", "pgp")?,
                enc: get_text(e, "enc", "pgp")?,
            }));
        }
    }
    if let Some(v) = get(m, "age") {
        for e in entries(v, "age")? {
            group.push(MasterKey::Age(AgeKey {
                recipient: get_text(e, "recipient", "age")?.trim().to_string(),
                enc: get_text(e, "enc", "age")?,
            }));
        }
    }
    Ok(())
}

impl Metadata {
    /// Read the metadata from the value of the `sops` key.
    pub fn from_value(v: &Value) -> Result<Metadata> {
        let m = v
            .as_map()
            .ok_or_else(|| bad("the top-level 'sops' entry is not a map"))?;
        let mut md = Metadata::default();
        let mut top = KeyGroup::new();
        keys_of(m, &mut top)?;
        if !top.is_empty() {
            md.key_groups.push(top);
        } else if let Some(v) = get(m, "key_groups") {
            for g in entries(v, "key_groups")? {
                let mut group = KeyGroup::new();
                keys_of(g, &mut group)?;
                md.key_groups.push(group);
            }
        }
        // Key groups that are all empty cannot give the data key back.
        if md.all_keys().next().is_none() {
            return Err(bad("no keys found in file"));
        }
        let th = get_text(m, "shamir_threshold", "sops")?;
        md.shamir_threshold = if th.is_empty() {
            0
        } else {
            th.parse()
                .map_err(|_| bad("shamir_threshold is not a number"))?
        };
        md.lastmodified = get_text(m, "lastmodified", "sops")?;
        crate::timefmt::parse_rfc3339(&md.lastmodified)
            .map_err(|_| bad("lastmodified is not an RFC 3339 timestamp"))?;
        md.mac = get_text(m, "mac", "sops")?;
        md.version = get_text(m, "version", "sops")?;
        let moe = get_text(m, "mac_only_encrypted", "sops")?;
        md.mac_only_encrypted = matches!(moe.as_str(), "true" | "True" | "TRUE" | "1");
        let mut rules = Vec::new();
        for (field, make) in [
            (
                "unencrypted_suffix",
                Rule::UnencryptedSuffix as fn(String) -> Rule,
            ),
            ("encrypted_suffix", Rule::EncryptedSuffix),
            ("unencrypted_regex", Rule::UnencryptedRegex),
            ("encrypted_regex", Rule::EncryptedRegex),
            ("unencrypted_comment_regex", Rule::UnencryptedCommentRegex),
            ("encrypted_comment_regex", Rule::EncryptedCommentRegex),
        ] {
            let v = get_text(m, field, "sops")?;
            if !v.is_empty() {
                rules.push(make(v));
            }
        }
        if rules.len() > 1 {
            return Err(bad("Cannot use more than one of encrypted_suffix, unencrypted_suffix, encrypted_regex, unencrypted_regex, encrypted_comment_regex, or unencrypted_comment_regex in the same file"));
        }
        md.rule = Some(rules.pop().unwrap_or_default());
        Ok(md)
    }

    /// The `sops` map in sops 3.11's field order.
    pub fn to_value(&self) -> Value {
        let mut m = Branch::new();
        if self.shamir_threshold > 0 {
            m.push(Item::new(
                "shamir_threshold",
                Value::Int(self.shamir_threshold as i64),
            ));
        }
        let single = self.key_groups.len() == 1;
        if !single && !self.key_groups.is_empty() {
            let groups = self
                .key_groups
                .iter()
                .map(|g| {
                    let mut gm = Branch::new();
                    push_keys(&mut gm, g, "pgp", false);
                    push_keys(&mut gm, g, "kms", false);
                    push_keys(&mut gm, g, "gcp_kms", false);
                    push_keys(&mut gm, g, "azure_kv", false);
                    push_keys(&mut gm, g, "hc_vault", true);
                    push_keys(&mut gm, g, "age", true);
                    Value::Map(gm)
                })
                .collect();
            m.push(Item::new("key_groups", Value::List(groups)));
        }
        let empty = KeyGroup::new();
        let g = if single { &self.key_groups[0] } else { &empty };
        push_keys(&mut m, g, "kms", false);
        push_keys(&mut m, g, "gcp_kms", false);
        push_keys(&mut m, g, "azure_kv", false);
        push_keys(&mut m, g, "hc_vault", false);
        push_keys(&mut m, g, "age", false);
        m.push(Item::new(
            "lastmodified",
            Value::Str(self.lastmodified.clone()),
        ));
        m.push(Item::new("mac", Value::Str(self.mac.clone())));
        push_keys(&mut m, g, "pgp", false);
        if let Some(rule) = &self.rule {
            m.push(Item::new(
                rule.field(),
                Value::Str(rule.value().to_string()),
            ));
        }
        if self.mac_only_encrypted {
            m.push(Item::new("mac_only_encrypted", Value::Bool(true)));
        }
        m.push(Item::new("version", Value::Str(self.version.clone())));
        Value::Map(m)
    }

    /// The rule in force (sops' default when none is recorded).
    pub fn effective_rule(&self) -> Rule {
        self.rule.clone().unwrap_or_default()
    }

    pub fn all_keys(&self) -> impl Iterator<Item = &MasterKey> {
        self.key_groups.iter().flatten()
    }
}

fn s(v: &str) -> Value {
    Value::Str(v.to_string())
}

fn key_entry(k: &MasterKey) -> Value {
    let mut e = Branch::new();
    match k {
        MasterKey::Age(k) => {
            e.push(Item::new("recipient", s(&k.recipient)));
            e.push(Item::new("enc", s(&k.enc)));
        }
        MasterKey::Pgp(k) => {
            e.push(Item::new("created_at", s(&k.created_at)));
            e.push(Item::new("enc", s(&k.enc)));
            e.push(Item::new("fp", s(&k.fp)));
        }
        MasterKey::Kms(k) => {
            e.push(Item::new("arn", s(&k.arn)));
            if !k.role.is_empty() {
                e.push(Item::new("role", s(&k.role)));
            }
            if !k.context.is_empty() {
                let c = k
                    .context
                    .iter()
                    .map(|(a, b)| Item::new(a.clone(), s(b)))
                    .collect();
                e.push(Item::new("context", Value::Map(c)));
            }
            e.push(Item::new("created_at", s(&k.created_at)));
            e.push(Item::new("enc", s(&k.enc)));
            e.push(Item::new("aws_profile", s(&k.aws_profile)));
        }
        MasterKey::GcpKms(k) => {
            e.push(Item::new("resource_id", s(&k.resource_id)));
            e.push(Item::new("created_at", s(&k.created_at)));
            e.push(Item::new("enc", s(&k.enc)));
        }
        MasterKey::AzureKv(k) => {
            e.push(Item::new("vault_url", s(&k.vault_url)));
            e.push(Item::new("name", s(&k.name)));
            e.push(Item::new("version", s(&k.version)));
            e.push(Item::new("created_at", s(&k.created_at)));
            e.push(Item::new("enc", s(&k.enc)));
        }
        MasterKey::HcVault(k) => {
            e.push(Item::new("vault_address", s(&k.vault_address)));
            e.push(Item::new("engine_path", s(&k.engine_path)));
            e.push(Item::new("key_name", s(&k.key_name)));
            e.push(Item::new("created_at", s(&k.created_at)));
            e.push(Item::new("enc", s(&k.enc)));
        }
    }
    Value::Map(e)
}

/// Append `field: [entries]` for keys of one type; `always` writes an
/// empty list too (sops' key groups always carry hc_vault and age).
fn push_keys(m: &mut Branch, group: &[MasterKey], field: &str, always: bool) {
    let list: Vec<Value> = group
        .iter()
        .filter(|k| k.type_id() == field)
        .map(key_entry)
        .collect();
    if !list.is_empty() || always {
        m.push(Item::new(field, Value::List(list)));
    }
}

/// Split a document into its data and the `sops` metadata entry.
pub fn take_metadata(doc: &mut Branch) -> Result<Option<Value>> {
    let mut found = None;
    let mut i = 0;
    while i < doc.len() {
        if doc[i].key_str() == Some(SOPS_KEY) {
            let it = doc.remove(i);
            if found.is_some() {
                return Err(bad("found duplicate sops entry"));
            }
            found = Some(it.value);
        } else {
            i += 1;
        }
    }
    Ok(found)
}

pub fn has_metadata(doc: &Branch) -> bool {
    doc.iter().any(|i| i.key_str() == Some(SOPS_KEY))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_orders_fields_like_sops() {
        let md = Metadata {
            key_groups: vec![vec![MasterKey::Age(AgeKey {
                recipient: "age1x".into(),
                enc: "E".into(),
            })]],
            lastmodified: "2024-01-01T00:00:00Z".into(),
            mac: "ENC[…]".into(),
            ..Default::default()
        };
        let v = md.to_value();
        let keys: Vec<_> = v
            .as_map()
            .unwrap()
            .iter()
            .filter_map(|i| i.key_str())
            .collect();
        assert_eq!(
            keys,
            [
                "age",
                "lastmodified",
                "mac",
                "unencrypted_suffix",
                "version"
            ]
        );
        assert_eq!(Metadata::from_value(&v).unwrap(), md);
    }

    #[test]
    fn two_rules_are_rejected() {
        let mut md = Metadata {
            key_groups: vec![vec![MasterKey::Age(AgeKey::default())]],
            lastmodified: "2024-01-01T00:00:00Z".into(),
            ..Default::default()
        }
        .to_value();
        if let Value::Map(m) = &mut md {
            m.push(Item::new("encrypted_regex", s("x")));
        }
        assert!(Metadata::from_value(&md).is_err());
    }
}
