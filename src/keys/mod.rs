//! Master keys: the recipients a file's data key is wrapped for.
//!
//! Every kind of master key (age, OpenPGP, AWS KMS, GCP KMS, Azure Key
//! Vault, HashiCorp Vault transit…) is one module implementing two traits:
//!
//! * [`KeySource`], the kind: its names on the command line, in the
//!   environment, in `.sops.yaml` and in the metadata ([`Names`]); how keys
//!   of this kind are read from a list, a `.sops.yaml` key group, a
//!   metadata entry and a key-service message;
//! * [`Key`], one key of that kind: its public name, its metadata entry and
//!   key-service message, and how it wraps and unwraps a data key.
//!
//! The kinds are listed once, in [`sources`]: adding a key source is its
//! module, one line there and its key-service message in the protocol.
//! Nothing else matches on key kinds. A metadata entry of a kind this
//! version does not know is kept verbatim as an [`UnknownKey`]: it survives
//! every rewrite and is named in errors, but cannot be used. A kind whose
//! Cargo feature this build lacks ([`KeySource::feature`]) is read, kept
//! and named like any other: only its client is missing, so using a key of
//! that kind locally fails naming the feature (a key service can still use
//! it).
//!
//! What is *done* with keys (key groups, Shamir's scheme, local and remote
//! key services) is [`crate::datakey`]'s business, above this module.

pub mod age;
pub mod awskms;
pub mod azkv;
pub(crate) mod cloud;
mod error;
pub mod gcpkms;
pub mod hckms;
pub mod hcvault;
#[cfg(feature = "pgp-builtin")]
pub mod openpgp;
pub mod pgp;

pub use error::{KeyError, KeyResult};

use std::any::Any;
use std::collections::HashMap;
use std::fmt;

use zeroize::Zeroizing;

use crate::error::Result;
use crate::proto;
use crate::tree::{Branch, Value};

/// Every kind of master key rsops knows, in the order sops reads them from
/// a file's metadata (which is also the order flags are read in).
pub fn sources() -> &'static [&'static dyn KeySource] {
    static SOURCES: [&dyn KeySource; 7] = [
        &awskms::SOURCE,
        &gcpkms::SOURCE,
        &hckms::SOURCE,
        &azkv::SOURCE,
        &hcvault::SOURCE,
        &pgp::SOURCE,
        &age::SOURCE,
    ];
    &SOURCES
}

/// The key source of a kind, by its identifier (`age`, `kms`, …).
pub fn source(id: &str) -> Option<&'static dyn KeySource> {
    sources().iter().copied().find(|s| s.names().id == id)
}

/// How a kind of key is named: in the metadata, on the command line, in
/// the environment and in `.sops.yaml`.
#[derive(Debug)]
pub struct Names {
    /// sops' type identifier: the metadata field and the name in
    /// `--decryption-order` (`age`, `pgp`, `kms`, `gcp_kms`, `azure_kv`,
    /// `hc_vault`).
    pub id: &'static str,
    /// A key of this kind in messages ("age recipient", "AWS KMS key").
    pub noun: &'static str,
    /// The long flag naming keys for new files (`age` for `--age`), also
    /// taken by `groups add`.
    pub flag: &'static str,
    /// Its short form, if any (`-a`).
    pub short: Option<char>,
    /// The environment variable the flag falls back to.
    pub env: Option<&'static str>,
    /// `rotate`'s flags adding and removing keys (`add-age`, `rm-age`).
    pub add_flag: &'static str,
    pub rm_flag: &'static str,
    /// The placeholder of the flags' value in help (`RECIPIENTS`).
    pub value_name: &'static str,
    /// The help of the flag: what the comma-separated list holds.
    pub help: &'static str,
    /// The field of a `.sops.yaml` creation rule listing such keys.
    pub rule_field: &'static str,
    /// The field of a `.sops.yaml` key group listing such keys.
    pub group_field: &'static str,
}

/// A Cargo feature of rsops that a kind of key (or a command) needs, and
/// whether this build has it. A kind whose feature is off is still read,
/// kept verbatim through every rewrite, named in errors and usable through
/// a key service; only its own client is missing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Feature {
    pub name: &'static str,
    pub enabled: bool,
}

impl Feature {
    /// Why this build cannot do what needs the feature, and how to get one
    /// that can.
    pub fn missing(&self) -> String {
        format!(
            "this rsops was built without the `{0}` feature (rebuild with --features {0}, or use a default build)",
            self.name
        )
    }

    /// `text`, with a note when this build lacks the feature (for help).
    pub fn help(&self, text: &str) -> String {
        if self.enabled {
            text.to_string()
        } else {
            format!(
                "{text} [not in this build: needs the `{}` feature]",
                self.name
            )
        }
    }
}

/// The error of a key whose kind's client is not in this build: the
/// stubs of the kinds whose feature is off.
#[cfg(not(all(
    feature = "aws",
    feature = "gcp",
    feature = "azure",
    feature = "vault",
    feature = "huaweicloud"
)))]
pub(crate) fn unbuilt(key: &dyn Key) -> String {
    let source = key.source();
    let why = source
        .feature()
        .map(|f| f.missing())
        .unwrap_or_else(|| "this rsops cannot use it".to_string());
    format!(
        "the {} entry {} cannot be used: {why}",
        source.names().id,
        key.name()
    )
}

/// Options that apply to keys named on the command line or in a creation
/// rule (only AWS KMS keys use them today).
#[derive(Clone, Debug, Default)]
pub struct KeyOptions {
    /// `--encryption-context`, sorted by key.
    pub encryption_context: Vec<(String, String)>,
    /// `--aws-profile` / a rule's `aws_profile`.
    pub aws_profile: String,
}

/// A kind of master key. One value per kind (a `static` in its module),
/// registered in [`sources`].
pub trait KeySource: Sync + Send + 'static {
    fn names(&self) -> &'static Names;

    /// The Cargo feature this kind's client needs (`None`: always built).
    fn feature(&self) -> Option<Feature> {
        None
    }

    /// Keys from a comma-separated list: a flag, its environment variable,
    /// or a creation rule's field (spaces around entries ignored, empty
    /// entries skipped). An invalid entry fails the whole list.
    fn parse_list(&self, list: &str, opts: &KeyOptions) -> Result<Vec<MasterKey>>;

    /// Keys from the value of this kind's field in a `.sops.yaml` key
    /// group. By default a string or a list of strings, each parsed as a
    /// list.
    fn parse_group_value(&self, v: &Value) -> std::result::Result<Vec<MasterKey>, KeyError> {
        let field = self.names().group_field;
        let lists = string_or_list(v, field)?;
        let mut out = Vec::new();
        for l in lists {
            out.extend(
                self.parse_list(&l, &KeyOptions::default())
                    .map_err(|e| KeyError::Invalid(e.message()))?,
            );
        }
        Ok(out)
    }

    /// A key from its metadata entry (the map under this kind's field).
    fn read_entry(&self, entry: &Branch) -> KeyResult<MasterKey>;

    /// The key a key-service message names, when it is of this kind; `enc`
    /// is its wrapped data key (empty when encrypting).
    fn read_proto(&self, key: &proto::key::KeyType, enc: &str) -> Option<MasterKey>;
}

/// One master key of some kind, with what is stored for it in a file.
pub trait Key: fmt::Debug + Send + Sync + Any {
    /// The kind of this key.
    fn source(&self) -> &'static dyn KeySource;

    /// The metadata field holding entries of this kind (the kind's `id`).
    fn field(&self) -> &str {
        self.source().names().id
    }

    /// Its public name, as sops prints it: a recipient, a fingerprint, an
    /// ARN (`+ROLE`), a resource ID, a URL. Never key material.
    fn name(&self) -> String;

    /// How messages and key-service prompts name it: by default its kind
    /// and public name ("age recipient age1…"); a kind may word it as sops
    /// does. Never key material.
    fn label(&self) -> String {
        format!("{} {}", self.source().names().noun, self.name())
    }

    /// The wrapped data key (or Shamir share) stored for it.
    fn enc(&self) -> &str;

    /// Its metadata entry, fields in the order sops 3.11 writes them.
    fn to_entry(&self) -> Branch;

    /// The key-service message naming it.
    fn to_proto(&self) -> proto::key::KeyType;

    /// Wrap `secret` (a data key or a Shamir share) with this process's
    /// own credentials; stores the result as `enc` (and stamps
    /// `created_at` where the kind keeps one).
    fn wrap(&mut self, secret: &[u8]) -> KeyResult<()>;

    /// Unwrap the stored `enc` with this process's own credentials, read
    /// once per run into `creds`. At most [`MAX_DATA_KEY_LEN`] bytes.
    fn unwrap(&self, creds: &mut Credentials) -> KeyResult<Zeroizing<Vec<u8>>>;

    /// Store a wrapped key that a key service returned (stamping
    /// `created_at` where the kind keeps one).
    fn set_enc(&mut self, enc: String);

    fn clone_key(&self) -> Box<dyn Key>;

    /// Whether this key (in a file) is the one `named` designates on the
    /// command line (`rotate --rm-*`, duplicates): the same kind and name.
    fn matches(&self, named: &dyn Key) -> bool {
        self.field() == named.field() && self.name() == named.name()
    }

    /// Apply `--encryption-context` to a key named without one.
    fn set_encryption_context(&mut self, _context: &[(String, String)]) {}

    /// Whether rsops can use this key at all (false for kinds it does not
    /// know, kept as they are).
    fn known(&self) -> bool {
        true
    }
}

/// One recipient entry of a file's metadata: a key of any kind.
pub struct MasterKey(Box<dyn Key>);

impl MasterKey {
    pub fn new(k: impl Key) -> MasterKey {
        MasterKey(Box::new(k))
    }

    /// sops' type identifier (`--decryption-order`, the metadata field).
    pub fn type_id(&self) -> &str {
        self.0.field()
    }

    /// How sops names the key in messages.
    pub fn describe(&self) -> String {
        self.0.name()
    }

    /// Its kind and public name ("age recipient age1…"), never key material
    /// (see [`Key::label`]).
    pub fn label(&self) -> String {
        self.0.label()
    }

    /// The key as its own type, when it is one (`MasterKey::get::<age::AgeKey>()`).
    pub fn get<T: Key>(&self) -> Option<&T> {
        (self.0.as_ref() as &dyn Any).downcast_ref::<T>()
    }

    /// Unwrap with this process's own credentials, after checking the
    /// stored `enc` fits [`MAX_ENC_LEN`].
    pub fn unwrap_key(
        &self,
        creds: &mut Credentials,
    ) -> std::result::Result<Zeroizing<Vec<u8>>, KeyError> {
        check_enc_len(self.enc())?;
        let out = self.0.unwrap(creds)?;
        check_data_key_len(out.len())?;
        Ok(out)
    }

    pub fn matches(&self, named: &MasterKey) -> bool {
        self.0.matches(named.0.as_ref())
    }
}

impl std::ops::Deref for MasterKey {
    type Target = dyn Key;
    fn deref(&self) -> &dyn Key {
        self.0.as_ref()
    }
}

impl std::ops::DerefMut for MasterKey {
    fn deref_mut(&mut self) -> &mut dyn Key {
        self.0.as_mut()
    }
}

impl Clone for MasterKey {
    fn clone(&self) -> Self {
        MasterKey(self.0.clone_key())
    }
}

impl fmt::Debug for MasterKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl PartialEq for MasterKey {
    fn eq(&self, other: &Self) -> bool {
        self.type_id() == other.type_id() && self.to_entry() == other.to_entry()
    }
}

/// What this process's key sources loaded once per run (identities,
/// tokens…): each kind keeps its own entry, created on first use.
#[derive(Default)]
pub struct Credentials {
    by_kind: HashMap<&'static str, Box<dyn Any>>,
}

impl Credentials {
    /// The entry of kind `id`, made by `load` on first use.
    pub fn get_or_load<T: Any>(&mut self, id: &'static str, load: impl FnOnce() -> T) -> &mut T {
        let fresh = !self.by_kind.get(id).is_some_and(|v| v.is::<T>());
        if fresh {
            self.by_kind.insert(id, Box::new(load()));
        }
        self.by_kind
            .get_mut(id)
            .and_then(|v| v.downcast_mut::<T>())
            .expect("the slot holds a T: it was just checked or filled")
    }

    /// Put an entry in place (tests, or a caller that loaded it itself).
    pub fn insert<T: Any>(&mut self, id: &'static str, value: T) {
        self.by_kind.insert(id, Box::new(value));
    }
}

/// The key-service message's key as a master key of whichever kind it
/// names; `None` when no kind rsops knows matches.
pub fn from_proto(key: &proto::Key, enc: &str) -> Option<MasterKey> {
    let kt = key.key_type.as_ref()?;
    sources().iter().find_map(|s| s.read_proto(kt, enc))
}

/// The key-service message naming `key` (`None` for an unknown kind).
pub fn to_proto(key: &MasterKey) -> Option<proto::Key> {
    key.known().then(|| proto::Key {
        key_type: Some(key.0.to_proto()),
    })
}

/// The keys named on the command line or in a creation rule: one
/// comma-separated list per kind, by kind identifier.
///
/// ```
/// let keys = rsops::keys::keys_from_lists(
///     [("age", "age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p")],
///     &Default::default(),
/// )?;
/// assert_eq!(keys[0].label(), "age recipient age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p");
/// # Ok::<(), rsops::error::Error>(())
/// ```
pub fn keys_from_lists<'a>(
    lists: impl IntoIterator<Item = (&'a str, &'a str)>,
    opts: &KeyOptions,
) -> Result<Vec<MasterKey>> {
    let lists: Vec<(&str, &str)> = lists.into_iter().collect();
    let mut out = Vec::new();
    for s in sources() {
        for (_, list) in lists.iter().filter(|(id, _)| *id == s.names().id) {
            out.extend(s.parse_list(list, opts)?);
        }
    }
    Ok(out)
}

/// Split a comma-separated list: entries trimmed, empty ones skipped.
pub fn split_list(list: &str) -> impl Iterator<Item = &str> {
    list.split(',').map(str::trim).filter(|e| !e.is_empty())
}

/// A `.sops.yaml` value that is a string or a list of strings.
pub fn string_or_list(v: &Value, field: &str) -> std::result::Result<Vec<String>, KeyError> {
    match v {
        Value::Null => Ok(vec![]),
        Value::Str(s) => Ok(vec![s.clone()]),
        Value::List(l) => l
            .iter()
            .filter(|x| !x.is_comment())
            .map(|x| match x {
                Value::Str(s) => Ok(s.clone()),
                _ => Err(KeyError::Invalid(format!(
                    "invalid {field} key configuration: expected a string in the list"
                ))),
            })
            .collect(),
        _ => Err(KeyError::Invalid(format!(
            "invalid {field} key configuration: expected a string or a list of strings"
        ))),
    }
}

/// A scalar field of a metadata or `.sops.yaml` entry as text ("" when
/// absent or null); metadata read from flat formats arrives as strings,
/// and YAML may type a value (a number, a date).
pub fn entry_text(m: &Branch, k: &str, what: &str) -> std::result::Result<String, KeyError> {
    match m.iter().find(|i| i.key_str() == Some(k)).map(|i| &i.value) {
        None => Ok(String::new()),
        Some(v) => scalar_text(v)
            .ok_or_else(|| KeyError::Invalid(format!("{what}: field {k:?} must be a string"))),
    }
}

/// A scalar as the text sops reads it as ("" for null); `None` for a map
/// or list.
pub fn scalar_text(v: &Value) -> Option<String> {
    Some(match v {
        Value::Null => String::new(),
        Value::Str(s) => s.clone(),
        Value::Int(i) => i.to_string(),
        Value::Float(f) => crate::gofmt::go_format_float(*f, 'f'),
        Value::Bool(b) => b.to_string(),
        Value::Time(t) => t.clone(),
        _ => return None,
    })
}

/// The maps of a `.sops.yaml` key-group field that lists maps (`kms`,
/// `gcp_kms`, `azure_keyvault`).
pub fn entry_maps<'a>(v: &'a Value, field: &str) -> std::result::Result<Vec<&'a Branch>, KeyError> {
    match v {
        Value::Null => Ok(vec![]),
        Value::List(l) => l
            .iter()
            .filter(|x| !x.is_comment())
            .map(|x| {
                x.as_map().ok_or_else(|| {
                    KeyError::Invalid(format!(
                        "invalid {field} key configuration: expected a list of maps"
                    ))
                })
            })
            .collect(),
        _ => Err(KeyError::Invalid(format!(
            "invalid {field} key configuration: expected a list of maps"
        ))),
    }
}

/// `key: "text"` for an entry.
pub fn text_item(k: &str, v: &str) -> crate::tree::Item {
    crate::tree::Item::new(k, Value::Str(v.to_string()))
}

/// A key of a kind this version does not know (a newer sops wrote it),
/// kept exactly as it was read so no recipient is lost when the file is
/// rewritten. It cannot wrap or unwrap a data key.
#[derive(Clone, Debug, PartialEq)]
pub struct UnknownKey {
    /// The metadata field it was found under.
    pub field: String,
    /// The entry, verbatim.
    pub entry: Branch,
    /// When the field's value was not a list of entries: that value,
    /// verbatim (and `entry` is empty).
    pub whole: Option<Value>,
}

/// The (placeholder) kind of [`UnknownKey`]s.
struct Unknown;

static UNKNOWN_NAMES: Names = Names {
    id: "unknown",
    noun: "key of an unknown type",
    flag: "",
    short: None,
    env: None,
    add_flag: "",
    rm_flag: "",
    value_name: "",
    help: "",
    rule_field: "",
    group_field: "",
};

impl KeySource for Unknown {
    fn names(&self) -> &'static Names {
        &UNKNOWN_NAMES
    }
    fn parse_list(&self, _list: &str, _opts: &KeyOptions) -> Result<Vec<MasterKey>> {
        Ok(vec![])
    }
    fn read_entry(&self, _entry: &Branch) -> std::result::Result<MasterKey, KeyError> {
        Err(KeyError::Invalid("unknown key type".into()))
    }
    fn read_proto(&self, _key: &proto::key::KeyType, _enc: &str) -> Option<MasterKey> {
        None
    }
}

static UNKNOWN: Unknown = Unknown;

impl UnknownKey {
    fn refusal(&self) -> String {
        format!(
            "this version of rsops does not know the key type {:?} (written by a newer sops?): the entry is kept in the file, but rsops cannot use it",
            self.field
        )
    }
}

impl Key for UnknownKey {
    fn source(&self) -> &'static dyn KeySource {
        &UNKNOWN
    }
    fn field(&self) -> &str {
        &self.field
    }
    fn name(&self) -> String {
        // The most telling scalar of the entry: an identifier of sorts.
        self.entry
            .iter()
            .filter(|i| {
                i.key_str()
                    .is_some_and(|k| !matches!(k, "enc" | "created_at"))
            })
            .find_map(|i| match &i.value {
                Value::Str(s) if !s.is_empty() => {
                    Some(format!("{}={s}", i.key_str().unwrap_or("")))
                }
                _ => None,
            })
            .map(|n| format!("{} ({n})", self.field))
            .unwrap_or_else(|| self.field.clone())
    }
    fn enc(&self) -> &str {
        self.entry
            .iter()
            .find(|i| i.key_str() == Some("enc"))
            .and_then(|i| i.value.as_str())
            .unwrap_or("")
    }
    fn to_entry(&self) -> Branch {
        self.entry.clone()
    }
    fn to_proto(&self) -> proto::key::KeyType {
        // Never sent: `keys::to_proto` refuses unknown kinds.
        proto::key::KeyType::AgeKey(proto::AgeKey::default())
    }
    fn wrap(&mut self, _secret: &[u8]) -> KeyResult<()> {
        Err(KeyError::Refused(format!(
            "cannot wrap the data key for the {:?} entry {}: {}; rotate or change the key groups with a sops version that knows it, or remove the entry",
            self.field,
            self.name(),
            self.refusal()
        )))
    }
    fn unwrap(
        &self,
        _creds: &mut Credentials,
    ) -> std::result::Result<Zeroizing<Vec<u8>>, KeyError> {
        Err(KeyError::Invalid(self.refusal()))
    }
    fn set_enc(&mut self, _enc: String) {}
    fn clone_key(&self) -> Box<dyn Key> {
        Box::new(self.clone())
    }
    fn known(&self) -> bool {
        false
    }
}

/// The most bytes a key source may give back as a data key. A data key is
/// 32 bytes and a Shamir share 33; anything longer did not come from sops
/// or rsops. Enforced once for every key type in [`MasterKey::unwrap_key`]
/// and [`crate::datakey::unwrap_data_key`] (and by the key service's
/// server), and while reading each local source's output
/// ([`read_data_key`]), so that no source can make rsops buffer more: a
/// hostile `enc` entry (a compressed OpenPGP message, a large age payload)
/// can expand to gigabytes.
pub const MAX_DATA_KEY_LEN: usize = 64;

/// The longest `enc` field (a wrapped data key) rsops accepts from a file,
/// in bytes, checked before it is decoded or handed to a key source. The
/// largest real ones are a few KiB (an RSA-4096 OpenPGP message is about
/// 1 KiB armored; a post-quantum age stanza about 2 KiB).
pub const MAX_ENC_LEN: usize = 64 << 10;

/// Refuse an `enc` field longer than [`MAX_ENC_LEN`].
pub fn check_enc_len(enc: &str) -> std::result::Result<(), KeyError> {
    if enc.len() > MAX_ENC_LEN {
        return Err(KeyError::Refused(format!(
            "its enc field is {} bytes, more than the {} KiB any wrapped data key needs: the entry was not written by sops; remove it from the file's sops metadata",
            enc.len(),
            MAX_ENC_LEN >> 10
        )));
    }
    Ok(())
}

/// Read a recovered data key from `r`: at most [`MAX_DATA_KEY_LEN`] bytes,
/// and an error (after reading one byte more, never the rest) when there
/// are more. `what` names the source in the error.
pub fn read_data_key(
    r: impl std::io::Read,
    what: &str,
) -> std::result::Result<Zeroizing<Vec<u8>>, KeyError> {
    use std::io::Read;
    let mut out = Zeroizing::new(Vec::with_capacity(MAX_DATA_KEY_LEN + 1));
    r.take(MAX_DATA_KEY_LEN as u64 + 1)
        .read_to_end(&mut out)
        .map_err(|e| KeyError::Invalid(format!("reading {what} failed: {e}")))?;
    check_data_key_len(out.len()).map_err(|e| KeyError::Invalid(format!("{what}: {e}")))?;
    Ok(out)
}

/// Refuse a recovered data key longer than [`MAX_DATA_KEY_LEN`].
pub fn check_data_key_len(len: usize) -> std::result::Result<(), KeyError> {
    if len > MAX_DATA_KEY_LEN {
        return Err(KeyError::Refused(format!(
            "it holds more than {MAX_DATA_KEY_LEN} bytes, but a data key is 32 bytes (a Shamir share 33): the entry was not written by sops"
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_distinct_names() {
        let mut ids = std::collections::HashSet::new();
        let mut flags = std::collections::HashSet::new();
        for s in sources() {
            let n = s.names();
            assert!(ids.insert(n.id), "{} is used twice", n.id);
            for name in [n.flag, n.add_flag, n.rm_flag] {
                assert!(flags.insert(name), "--{name} is used twice");
            }
            assert_eq!(source(n.id).map(|x| x.names().id), Some(n.id));
        }
    }

    /// A build without some cloud feature still reads, keeps and names
    /// keys of those kinds; using one (locally) names the feature.
    #[cfg(not(all(
        feature = "aws",
        feature = "gcp",
        feature = "azure",
        feature = "vault",
        feature = "huaweicloud"
    )))]
    #[test]
    fn kinds_without_their_feature_are_kept_and_name_it() {
        let samples = [
            ("kms", "arn:aws:kms:us-east-1:111122223333:key/k"),
            (
                "gcp_kms",
                "projects/p-123456/locations/global/keyRings/r/cryptoKeys/k",
            ),
            (
                "azure_kv",
                "https://v.vault.azure.net/keys/k/0123456789abcdef0123456789abcdef",
            ),
            ("hc_vault", "https://vault.example:8200/v1/transit/keys/k"),
            ("hckms", "cn-north-4:0f1e2d3c-4b5a-4978-8796-a5b4c3d2e1f0"),
        ];
        let mut disabled = 0;
        for s in sources() {
            let Some(f) = s.feature().filter(|f| !f.enabled) else {
                continue;
            };
            disabled += 1;
            let id = s.names().id;
            let list = samples.iter().find(|(k, _)| *k == id).map(|(_, l)| *l);
            let mut k = s
                .parse_list(
                    list.expect("a sample of every kind"),
                    &KeyOptions::default(),
                )
                .unwrap_or_else(|e| panic!("{id}: {}", e.message()))
                .remove(0);
            let want = format!(
                "the {id} entry {} cannot be used: this rsops was built without the `{1}` feature (rebuild with --features {1}, or use a default build)",
                k.name(),
                f.name
            );
            let mut creds = Credentials::default();
            assert_eq!(
                k.unwrap_key(&mut creds).unwrap_err(),
                KeyError::NotBuilt(want.clone())
            );
            assert_eq!(k.wrap(b"data key").unwrap_err(), KeyError::NotBuilt(want));
            assert!(k.known() && k.enc().is_empty());
            // The entry reads back as it was; a key service can still use it.
            k.set_enc("ENC".into());
            assert_eq!(s.read_entry(&k.to_entry()).unwrap(), k);
            assert!(to_proto(&k).is_some());
        }
        assert!(disabled > 0);
    }

    #[test]
    fn unknown_keys_are_kept_and_refuse_to_work() {
        let entry = vec![text_item("key_id", "r:1"), text_item("enc", "x")];
        let mut k = MasterKey::new(UnknownKey {
            field: "future_kms".into(),
            entry: entry.clone(),
            whole: None,
        });
        assert_eq!(k.type_id(), "future_kms");
        assert_eq!(k.to_entry(), entry);
        assert_eq!(k.enc(), "x");
        assert!(k.describe().contains("key_id=r:1"));
        assert!(to_proto(&k).is_none());
        let mut creds = Credentials::default();
        assert!(k
            .unwrap_key(&mut creds)
            .unwrap_err()
            .to_string()
            .contains("does not know"));
        assert!(k.wrap(b"k").is_err());
        assert_eq!(k.clone(), k);
    }
}
