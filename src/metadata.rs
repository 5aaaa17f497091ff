//! The `sops` metadata block as a typed struct, read from and written to
//! the format-neutral tree.
//!
//! Layouts: sops up to 3.12 wrote the block's fields in its Go struct's
//! order; sops 3.13 writes every map of the block sorted by key. A file is
//! rewritten in the layout of the sops version its `version` names
//! ([`Layout::of_version`]), so a 3.11 file keeps 3.11's order and a 3.13
//! file stays sorted; new files get [`SOPS_VERSION`]'s layout (sorted).
//!
//! Fields and key kinds this version does not know are kept verbatim
//! ([`Metadata::extra`], [`crate::keys::UnknownKey`]) and reported by
//! [`Metadata::unknown_fields`]: a rewrite never drops them.

use crate::error::{code, Error, Result};
use crate::keys::{self, MasterKey, UnknownKey};
use crate::tree::{Branch, Item, Value};

pub use crate::tree::SOPS_KEY;
pub const DEFAULT_UNENCRYPTED_SUFFIX: &str = "_unencrypted";
/// The sops version whose behaviour and file layout rsops follows, written
/// as `version` into new files.
pub const SOPS_VERSION: &str = "3.13.2";

/// Makes a [`Rule`] from its value (see [`Rule::FIELDS`]).
pub type RuleMaker = fn(String) -> Rule;

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
    /// Each rule's field name (in the `sops` block, `.sops.yaml` and flags
    /// without dashes) and its constructor, in sops' order.
    pub const FIELDS: [(&'static str, RuleMaker); 6] = [
        ("unencrypted_suffix", Rule::UnencryptedSuffix),
        ("encrypted_suffix", Rule::EncryptedSuffix),
        ("unencrypted_regex", Rule::UnencryptedRegex),
        ("encrypted_regex", Rule::EncryptedRegex),
        ("unencrypted_comment_regex", Rule::UnencryptedCommentRegex),
        ("encrypted_comment_regex", Rule::EncryptedCommentRegex),
    ];

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

/// Whether a file's `version` is older than `program` (sops' rule for
/// raising it on edit): a leading `v` is ignored, and versions from the
/// 1.x line count as older. Fails on a version that is not semver.
pub fn version_is_older(file: &str, program: &str) -> std::result::Result<bool, semver::Error> {
    if file.starts_with("1.") {
        return Ok(true);
    }
    let parse = |v: &str| semver::Version::parse(v.strip_prefix('v').unwrap_or(v));
    Ok(parse(file)? < parse(program)?)
}

pub type KeyGroup = Vec<MasterKey>;

/// How the fields of the `sops` block are ordered.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Layout {
    /// sops 3.12 and older: Go struct order (see [`GO_STRUCT_TOP`]); in
    /// JSON, the empty `hc_vault`/`age` lists of a key group are `null`.
    GoStruct,
    /// sops 3.13 and newer: every map sorted by key; empty lists are `[]`.
    Sorted,
}

impl Layout {
    /// The layout sops `version` writes: sorted from 3.13.0 on. A version
    /// rsops cannot read is taken as written by the newest sops.
    pub fn of_version(version: &str) -> Layout {
        let v = version.strip_prefix('v').unwrap_or(version);
        match semver::Version::parse(v) {
            Ok(v) if v < semver::Version::new(3, 13, 0) => Layout::GoStruct,
            Err(_) if version.starts_with("1.") || version.starts_with("2.") => Layout::GoStruct,
            _ => Layout::Sorted,
        }
    }
}

/// Whether sops `version` reads a JSON integer that fits 64 bits as an
/// integer (sops 3.13.2 and newer) rather than as a float (every older
/// sops): what a JSON file's MAC covers for its unencrypted numbers (see
/// [`crate::stores::json::Numbers`]). A version rsops cannot read is taken
/// as written by the newest sops, as in [`Layout::of_version`].
pub fn json_reads_ints(version: &str) -> bool {
    let v = version.strip_prefix('v').unwrap_or(version);
    match semver::Version::parse(v) {
        Ok(v) => v >= semver::Version::new(3, 13, 2),
        Err(_) => !(version.starts_with("1.") || version.starts_with("2.")),
    }
}

/// Whether sops `version` keeps YAML end-of-line comments at the end of
/// their line (sops 3.13.0 and newer; older versions write them on a line
/// of their own above the entry). Same threshold as [`Layout::Sorted`].
pub fn yaml_keeps_inline_comments(version: &str) -> bool {
    Layout::of_version(version) == Layout::Sorted
}

/// The `version` in a document's `sops` entry, read before the metadata
/// is: the stores read a file as the sops version that wrote it did (JSON
/// numbers, YAML end-of-line comments). `None` when the document has no
/// `sops` map (a plaintext document); a version that is not text (SOPS 1.x
/// wrote a number) comes as its text.
pub fn writer_version(doc: &Branch) -> Option<String> {
    let Some(Value::Map(md)) = doc
        .iter()
        .find(|i| i.key_str() == Some(SOPS_KEY))
        .map(|i| &i.value)
    else {
        return None;
    };
    Some(block_version(md))
}

/// The `version` of a `sops` metadata map, as text (empty when missing).
pub fn block_version(md: &Branch) -> String {
    get_text(md, "version").unwrap_or_default()
}

/// The top-level fields in sops' Go struct order (3.12 added `hckms` after
/// `gcp_kms`); fields not in it come before `version`.
pub const GO_STRUCT_TOP: [&str; 19] = [
    "shamir_threshold",
    "key_groups",
    "kms",
    "gcp_kms",
    "hckms",
    "azure_kv",
    "hc_vault",
    "age",
    "lastmodified",
    "mac",
    "pgp",
    "unencrypted_suffix",
    "encrypted_suffix",
    "unencrypted_regex",
    "encrypted_regex",
    "unencrypted_comment_regex",
    "encrypted_comment_regex",
    "mac_only_encrypted",
    "version",
];

/// The fields of a key group in sops' Go struct order.
pub const GO_STRUCT_GROUP: [&str; 7] = [
    "pgp", "kms", "gcp_kms", "hckms", "azure_kv", "hc_vault", "age",
];

/// Fields of a key group sops always writes, even when empty.
const ALWAYS_IN_GROUP: [&str; 2] = ["hc_vault", "age"];

/// The top-level fields that are not key lists.
const PLAIN_FIELDS: [&str; 12] = [
    "shamir_threshold",
    "key_groups",
    "lastmodified",
    "mac",
    "unencrypted_suffix",
    "encrypted_suffix",
    "unencrypted_regex",
    "encrypted_regex",
    "unencrypted_comment_regex",
    "encrypted_comment_regex",
    "mac_only_encrypted",
    "version",
];

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
    /// Top-level fields this version does not know, kept as they were.
    pub extra: Vec<Item>,
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
            extra: Vec::new(),
        }
    }
}

fn bad(msg: impl Into<String>) -> Error {
    Error::new(
        code::COULD_NOT_READ_INPUT_FILE,
        format!("invalid sops metadata: {}", msg.into()),
    )
}

/// A field of a map, its name matched without regard to ASCII case (as
/// sops 3.13 reads the block).
fn get<'a>(m: &'a Branch, k: &str) -> Option<&'a Value> {
    m.iter()
        .find(|i| i.key_str() == Some(k))
        .or_else(|| {
            m.iter()
                .find(|i| i.key_str().is_some_and(|x| x.eq_ignore_ascii_case(k)))
        })
        .map(|i| &i.value)
}

fn get_text(m: &Branch, k: &str) -> Result<String> {
    match get(m, k) {
        None => Ok(String::new()),
        Some(v) => keys::scalar_text(v).ok_or_else(|| bad(format!("field {k:?} must be a string"))),
    }
}

/// The entries of a key list (a list of maps; null for none).
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

fn is_known_field(k: &str, top: bool) -> bool {
    keys::source(&k.to_ascii_lowercase()).is_some()
        || (top && PLAIN_FIELDS.iter().any(|f| f.eq_ignore_ascii_case(k)))
}

/// The keys of one group (or of the top level), known kinds in sops'
/// reading order, then entries of unknown kinds as they stand.
fn keys_of(m: &Branch, top: bool, group: &mut KeyGroup) -> Result<()> {
    for s in keys::sources() {
        let id = s.names().id;
        if let Some(v) = get(m, id) {
            for e in entries(v, id)? {
                group.push(s.read_entry(e).map_err(|e| {
                    Error::with_source(code::COULD_NOT_READ_INPUT_FILE, "invalid sops metadata", e)
                })?);
            }
        }
    }
    for it in m {
        let Some(k) = it.key_str() else { continue };
        if is_known_field(k, top) {
            continue;
        }
        if let Some(c) = crate::stores::names::forbidden_char(k) {
            return Err(bad(format!(
                "the field {k:?} contains {}, which no field name may hold",
                crate::stores::names::char_name(c)
            )));
        }
        // At the top level only lists of maps are taken for keys; anything
        // else is an unknown plain field (kept in `extra`).
        match &it.value {
            Value::List(l) if l.iter().all(|x| x.is_comment() || x.as_map().is_some()) => {
                for x in l.iter().filter(|x| !x.is_comment()) {
                    group.push(MasterKey::new(UnknownKey {
                        field: k.to_string(),
                        entry: x.as_map().cloned().unwrap_or_default(),
                        whole: None,
                    }));
                }
            }
            _ if top => {}
            other => group.push(MasterKey::new(UnknownKey {
                field: k.to_string(),
                entry: Branch::new(),
                whole: Some(other.clone()),
            })),
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
        keys_of(m, true, &mut top)?;
        if !top.is_empty() {
            md.key_groups.push(top);
        } else if let Some(v) = get(m, "key_groups") {
            for g in entries(v, "key_groups")? {
                let mut group = KeyGroup::new();
                keys_of(g, false, &mut group)?;
                md.key_groups.push(group);
            }
        }
        // Key groups that are all empty cannot give the data key back.
        if md.all_keys().next().is_none() {
            return Err(bad("no keys found in file"));
        }
        let th = get_text(m, "shamir_threshold")?;
        md.shamir_threshold = if th.is_empty() {
            0
        } else {
            th.parse()
                .map_err(|_| bad("shamir_threshold is not a number"))?
        };
        md.lastmodified = get_text(m, "lastmodified")?;
        crate::timefmt::parse_rfc3339(&md.lastmodified)
            .map_err(|_| bad("lastmodified is not an RFC 3339 timestamp"))?;
        md.mac = get_text(m, "mac")?;
        md.version = get_text(m, "version")?;
        let moe = get_text(m, "mac_only_encrypted")?;
        md.mac_only_encrypted = matches!(moe.as_str(), "true" | "True" | "TRUE" | "1");
        let mut rules = Vec::new();
        for (field, make) in Rule::FIELDS {
            let v = get_text(m, field)?;
            if !v.is_empty() {
                rules.push(make(v));
            }
        }
        if rules.len() > 1 {
            return Err(bad("Cannot use more than one of encrypted_suffix, unencrypted_suffix, encrypted_regex, unencrypted_regex, encrypted_comment_regex, or unencrypted_comment_regex in the same file"));
        }
        md.rule = Some(rules.pop().unwrap_or_default());
        // Unknown plain fields (key lists of unknown kinds are in the
        // groups): kept as they are.
        // In name order: flat formats (dotenv, INI) do not keep an order.
        md.extra = m
            .iter()
            .filter(|it| {
                it.key_str().is_some_and(|k| {
                    !is_known_field(k, true)
                        && !matches!(&it.value, Value::List(l) if l.iter().all(|x| x.is_comment() || x.as_map().is_some()))
                })
            })
            .cloned()
            .collect();
        md.extra.sort_by(|a, b| a.key_str().cmp(&b.key_str()));
        Ok(md)
    }

    /// The fields and key kinds this version does not know, by name (a key
    /// group's as `key_groups[i].NAME`): kept in every rewrite, never used.
    pub fn unknown_fields(&self) -> Vec<String> {
        let mut out: Vec<String> = self
            .extra
            .iter()
            .filter_map(|i| i.key_str())
            .map(str::to_string)
            .collect();
        let several = self.key_groups.len() > 1;
        for (gi, g) in self.key_groups.iter().enumerate() {
            for k in g.iter().filter(|k| !k.known()) {
                let name = if several {
                    format!("key_groups[{gi}].{}", k.type_id())
                } else {
                    k.type_id().to_string()
                };
                if !out.contains(&name) {
                    out.push(name);
                }
            }
        }
        out
    }

    /// The `sops` map in the layout of the file's version (YAML and the
    /// flat formats).
    pub fn to_value(&self) -> Value {
        self.to_value_for(false)
    }

    /// The `sops` map; `json` writes a key group's empty `hc_vault`/`age`
    /// lists as sops' JSON store does in the Go struct layout (`null`).
    pub fn to_value_for(&self, json: bool) -> Value {
        let layout = Layout::of_version(&self.version);
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
                    let mut gm = key_lists(g, true, json && layout == Layout::GoStruct);
                    order(&mut gm, layout, &GO_STRUCT_GROUP);
                    Value::Map(gm)
                })
                .collect();
            m.push(Item::new("key_groups", Value::List(groups)));
        }
        if single {
            m.extend(key_lists(&self.key_groups[0], false, false));
        }
        m.push(Item::new(
            "lastmodified",
            Value::Str(self.lastmodified.clone()),
        ));
        m.push(Item::new("mac", Value::Str(self.mac.clone())));
        if let Some(rule) = &self.rule {
            m.push(Item::new(
                rule.field(),
                Value::Str(rule.value().to_string()),
            ));
        }
        if self.mac_only_encrypted {
            m.push(Item::new("mac_only_encrypted", Value::Bool(true)));
        }
        m.extend(self.extra.iter().cloned());
        m.push(Item::new("version", Value::Str(self.version.clone())));
        order(&mut m, layout, &GO_STRUCT_TOP);
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

/// `field: [entries]` for each kind present in `group`, in first-seen
/// order; in a key group, `hc_vault` and `age` are always written (as
/// sops does), `null` when `null_empty`.
fn key_lists(group: &[MasterKey], in_group: bool, null_empty: bool) -> Branch {
    let mut out: Branch = Vec::new();
    for k in group {
        let field = k.type_id();
        if let Some(whole) = k.get::<UnknownKey>().and_then(|u| u.whole.as_ref()) {
            out.push(Item::new(field, whole.clone()));
            continue;
        }
        let entry = Value::Map(k.to_entry());
        match out.iter_mut().find(|i| i.key_str() == Some(field)) {
            Some(Item {
                value: Value::List(l),
                ..
            }) => l.push(entry),
            _ => out.push(Item::new(field, Value::List(vec![entry]))),
        }
    }
    if in_group {
        for f in ALWAYS_IN_GROUP {
            if !out.iter().any(|i| i.key_str() == Some(f)) {
                let empty = if null_empty {
                    Value::Null
                } else {
                    Value::List(vec![])
                };
                out.push(Item::new(f, empty));
            }
        }
    }
    out
}

/// Order a map for a layout: sorted (every nested map too), or by a Go
/// struct's field order with unknown fields last (at the top level: just
/// before `version`, which sops always writes last).
fn order(m: &mut Branch, layout: Layout, go_order: &[&str]) {
    match layout {
        Layout::Sorted => sort_deep(m),
        Layout::GoStruct => {
            let rank = |i: &Item| {
                let k = i.key_str().unwrap_or("");
                match go_order.iter().position(|f| *f == k) {
                    Some(_) if k == "version" => go_order.len() + 1,
                    Some(p) => p,
                    None => go_order.len(),
                }
            };
            m.sort_by_key(rank);
        }
    }
}

fn sort_deep(m: &mut Branch) {
    m.sort_by(|a, b| a.key_str().cmp(&b.key_str()));
    for it in m.iter_mut() {
        sort_value(&mut it.value);
    }
}

fn sort_value(v: &mut Value) {
    match v {
        Value::Map(b) => sort_deep(b),
        Value::List(l) => l.iter_mut().for_each(sort_value),
        _ => {}
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
    use crate::keys::age::AgeKey;
    use crate::keys::KeySource;

    fn s(v: &str) -> Value {
        Value::Str(v.to_string())
    }

    fn age(r: &str) -> MasterKey {
        MasterKey::new(AgeKey {
            recipient: r.into(),
            enc: "E".into(),
        })
    }

    fn field_names(v: &Value) -> Vec<String> {
        v.as_map()
            .unwrap()
            .iter()
            .filter_map(|i| i.key_str())
            .map(str::to_string)
            .collect()
    }

    #[test]
    fn layouts_follow_the_writing_version() {
        assert_eq!(Layout::of_version("3.11.0"), Layout::GoStruct);
        assert_eq!(Layout::of_version("3.12.2"), Layout::GoStruct);
        assert_eq!(Layout::of_version("3.13.0"), Layout::Sorted);
        assert_eq!(Layout::of_version("3.14.1"), Layout::Sorted);
        assert_eq!(Layout::of_version("2.0.10"), Layout::GoStruct);
        let pgp = crate::keys::pgp::SOURCE
            .parse_list("ABCD", &Default::default())
            .unwrap()
            .remove(0);
        let mut md = Metadata {
            key_groups: vec![vec![age("age1x"), pgp.clone()]],
            lastmodified: "2024-01-01T00:00:00Z".into(),
            mac: "M".into(),
            version: "3.11.0".into(),
            ..Default::default()
        };
        let go = md.to_value();
        assert_eq!(
            field_names(&go),
            [
                "age",
                "lastmodified",
                "mac",
                "pgp",
                "unencrypted_suffix",
                "version"
            ]
        );
        md.version = "3.13.2".into();
        let sorted = md.to_value();
        assert_eq!(
            field_names(&sorted),
            [
                "age",
                "lastmodified",
                "mac",
                "pgp",
                "unencrypted_suffix",
                "version"
            ]
        );
        // Inside entries: 3.11 writes recipient before enc; 3.13 sorts.
        let entry = |v: &Value| {
            field_names(&match v.as_map().unwrap()[0].value.clone() {
                Value::List(l) => l[0].clone(),
                _ => unreachable!(),
            })
        };
        assert_eq!(entry(&go), ["recipient", "enc"]);
        assert_eq!(entry(&sorted), ["enc", "recipient"]);
        // Key groups: 3.11 JSON writes an empty list as null, 3.13 as [].
        md.key_groups = vec![vec![age("age1a")], vec![pgp]];
        md.shamir_threshold = 2;
        md.version = "3.11.0".into();
        let groups = |v: &Value| match &v.as_map().unwrap()[1].value {
            Value::List(l) => l.clone(),
            other => panic!("{other:?}"),
        };
        let g = groups(&md.to_value_for(true));
        assert_eq!(field_names(&g[1]), ["pgp", "hc_vault", "age"]);
        assert_eq!(g[1].as_map().unwrap()[1].value, Value::Null);
        assert_eq!(field_names(&md.to_value())[0], "shamir_threshold");
        md.version = "3.13.2".into();
        let v = md.to_value_for(true);
        assert_eq!(field_names(&v)[0], "key_groups");
        let g = groups(&Value::Map(vec![
            Item::new("x", Value::Null),
            v.as_map().unwrap()[0].clone(),
        ]));
        assert_eq!(field_names(&g[1]), ["age", "hc_vault", "pgp"]);
        assert_eq!(g[1].as_map().unwrap()[1].value, Value::List(vec![]));
    }

    #[test]
    fn unknown_fields_and_key_kinds_are_kept() {
        let mut v = Metadata {
            key_groups: vec![vec![age("age1x")]],
            lastmodified: "2024-01-01T00:00:00Z".into(),
            version: "3.99.0".into(),
            ..Default::default()
        }
        .to_value();
        if let Value::Map(m) = &mut v {
            m.push(Item::new(
                "future_kms",
                Value::List(vec![Value::Map(vec![
                    Item::new("key_id", s("r:1")),
                    Item::new("enc", s("ct")),
                ])]),
            ));
            m.push(Item::new("future_flag", s("on")));
        }
        let md = Metadata::from_value(&v).unwrap();
        assert_eq!(md.unknown_fields(), ["future_flag", "future_kms"]);
        assert_eq!(md.key_groups[0].len(), 2);
        let again = md.to_value();
        let names = field_names(&again);
        assert!(
            names.contains(&"future_kms".to_string()) && names.contains(&"future_flag".to_string())
        );
        // Sorted layout (version 3.99): the entry's fields come back sorted,
        // and stay as they are from then on.
        assert_eq!(Metadata::from_value(&again).unwrap().to_value(), again);
        let unknown = Metadata::from_value(&again).unwrap().key_groups[0][1].to_entry();
        assert_eq!(
            unknown,
            vec![Item::new("enc", s("ct")), Item::new("key_id", s("r:1"))]
        );
        // A file whose only keys are of an unknown kind still loads (and
        // says which key it cannot use when decrypting).
        let only = Value::Map(vec![
            Item::new(
                "future_kms",
                Value::List(vec![Value::Map(vec![Item::new("enc", s("ct"))])]),
            ),
            Item::new("lastmodified", s("2024-01-01T00:00:00Z")),
            Item::new("version", s("3.99.0")),
        ]);
        assert!(Metadata::from_value(&only).is_ok());
    }

    #[test]
    fn round_trips_and_orders_fields_like_sops() {
        let md = Metadata {
            key_groups: vec![vec![MasterKey::new(AgeKey {
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
    fn versions_are_only_raised() {
        assert_eq!(version_is_older("3.11.0", "3.13.2").ok(), Some(true));
        assert_eq!(version_is_older("v3.13.2", "3.13.2").ok(), Some(false));
        assert_eq!(version_is_older("3.14.0", "3.13.2").ok(), Some(false));
        assert_eq!(version_is_older("1.15", "3.13.2").ok(), Some(true));
        assert!(version_is_older("banana", "3.13.2").is_err());
    }

    #[test]
    fn two_rules_are_rejected() {
        let mut md = Metadata {
            key_groups: vec![vec![MasterKey::new(AgeKey::default())]],
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
