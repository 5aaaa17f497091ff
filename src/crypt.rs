//! Walking a tree to encrypt or decrypt every leaf and compute the MAC.
//!
//! The rules are sops': a leaf's additional data is its map-key path joined
//! with `:` plus a trailing `:` (list indices are not part of the path);
//! comments are encrypted too (type `comment`) but never enter the MAC; the
//! MAC is SHA-512 over the plaintext bytes of every non-comment leaf in
//! document order (only encrypted leaves, after a fixed prefix, when
//! `mac_only_encrypted` is set), printed as upper-case hex; which leaves are
//! encrypted follows the file's single partial-encryption rule.

use regex::Regex;
use sha2::{Digest, Sha512};

use crate::cipher::{Cipher, Slot};
use crate::error::{code, Error, Result};
use crate::metadata::{Metadata, Rule};
use crate::tree::{scalar_bytes, Branch, Key, Value};

/// sops' fixed MAC prefix for `mac_only_encrypted` files.
const MAC_ONLY_ENCRYPTED_INIT: [u8; 32] = [
    0x8a, 0x3f, 0xd2, 0xad, 0x54, 0xce, 0x66, 0x52, 0x7b, 0x10, 0x34, 0xf3, 0xd1, 0x47, 0xbe, 0x0b,
    0x0b, 0x97, 0x5b, 0x3b, 0xf4, 0x4f, 0x72, 0xc6, 0xfd, 0xad, 0xec, 0x81, 0x76, 0xf2, 0x7d, 0x69,
];

/// Deepest nesting the walker accepts (stores reject deeper input earlier).
const MAX_DEPTH: usize = 20_000;

enum Compiled {
    UnencryptedSuffix(String),
    EncryptedSuffix(String),
    UnencryptedRegex(Regex),
    EncryptedRegex(Regex),
    UnencryptedCommentRegex(Regex),
    EncryptedCommentRegex(Regex),
}

/// Which leaves a file's partial-encryption rule encrypts, tracked during a
/// walk: path rules look at the keys above a leaf (`matched`), comment rules
/// at sops' stack of comments preceding the leaf and its ancestors. Shared
/// by the encryption walk here and by `rsops check`.
pub(crate) struct RuleScope {
    rule: Compiled,
    comments: Vec<Vec<String>>,
}

impl RuleScope {
    pub fn new(rule: &Rule) -> Result<RuleScope> {
        let re = |s: &str| {
            Regex::new(s).map_err(|e| {
                Error::new(
                    code::ERROR_GENERIC,
                    format!("invalid {} {s:?}: {e}", rule.field()),
                )
            })
        };
        let rule = match rule {
            Rule::UnencryptedSuffix(s) => Compiled::UnencryptedSuffix(s.clone()),
            Rule::EncryptedSuffix(s) => Compiled::EncryptedSuffix(s.clone()),
            Rule::UnencryptedRegex(s) => Compiled::UnencryptedRegex(re(s)?),
            Rule::EncryptedRegex(s) => Compiled::EncryptedRegex(re(s)?),
            Rule::UnencryptedCommentRegex(s) => Compiled::UnencryptedCommentRegex(re(s)?),
            Rule::EncryptedCommentRegex(s) => Compiled::EncryptedCommentRegex(re(s)?),
        };
        Ok(RuleScope {
            rule,
            comments: Vec::new(),
        })
    }

    /// Does this map key count for a path rule? (`matched` for the subtree
    /// is the parent's `matched || key_matches(key)`.)
    pub fn key_matches(&self, key: &str) -> bool {
        match &self.rule {
            Compiled::UnencryptedSuffix(s) | Compiled::EncryptedSuffix(s) => {
                key.ends_with(s.as_str())
            }
            Compiled::UnencryptedRegex(r) | Compiled::EncryptedRegex(r) => r.is_match(key),
            _ => false,
        }
    }

    fn uses_comments(&self) -> bool {
        matches!(
            self.rule,
            Compiled::UnencryptedCommentRegex(_) | Compiled::EncryptedCommentRegex(_)
        )
    }

    /// sops' `shouldBeEncrypted` for the current leaf.
    pub fn should_encrypt(&self, path_matched: bool, is_comment: bool) -> bool {
        match &self.rule {
            Compiled::UnencryptedSuffix(_) | Compiled::UnencryptedRegex(_) => !path_matched,
            Compiled::EncryptedSuffix(_) | Compiled::EncryptedRegex(_) => path_matched,
            Compiled::UnencryptedCommentRegex(r) => {
                !self.comments.iter().flatten().any(|c| r.is_match(c))
            }
            Compiled::EncryptedCommentRegex(r) => {
                let last_level = self.comments.len().saturating_sub(1);
                self.comments.iter().enumerate().any(|(i, level)| {
                    level.iter().enumerate().any(|(j, c)| {
                        let is_self = is_comment && i == last_level && j + 1 == level.len();
                        !is_self && r.is_match(c)
                    })
                })
            }
        }
    }

    /// A comment seen at the current level.
    pub fn push_comment(&mut self, c: &str) {
        if self.uses_comments() {
            if let Some(level) = self.comments.last_mut() {
                level.push(c.to_string());
            }
        }
    }

    /// After a non-comment entry, the comments before it no longer apply.
    pub fn reset(&mut self) {
        if let Some(level) = self.comments.last_mut() {
            level.clear();
        }
    }

    /// Entering a map or list.
    pub fn enter(&mut self) {
        if self.uses_comments() {
            self.comments.push(Vec::new());
        }
    }

    pub fn leave(&mut self) {
        if self.uses_comments() {
            self.comments.pop();
        }
    }

    /// The encrypted comment must not look like a marker comment.
    fn unencrypted_comment_regex(&self) -> Option<&Regex> {
        match &self.rule {
            Compiled::UnencryptedCommentRegex(r) => Some(r),
            _ => None,
        }
    }
}

/// One step of the path from a document's root to a value.
#[derive(Clone, Copy)]
enum Step {
    /// A map key: where it is in the walk's additional data.
    Key(usize, usize),
    /// A list element.
    Index(usize),
}

/// A leaf (a scalar or a comment) as a walk reaches it: what the rule
/// decides for it, its additional data, its position for the IV memory and
/// its path for messages.
pub struct Leaf<'a> {
    aad: &'a str,
    path: &'a [Step],
    /// Its position, when the walk tracks positions.
    pub slot: Option<&'a Slot>,
    /// Whether the rule encrypts it.
    pub encrypted: bool,
    pub is_comment: bool,
    scope: &'a RuleScope,
}

impl Leaf<'_> {
    /// The additional data sops binds to the value: its map keys, each
    /// followed by `:` (`:` alone at the top level; list indices are not
    /// part of it).
    pub fn aad(&self) -> &str {
        if self.aad.is_empty() {
            ":"
        } else {
            self.aad
        }
    }

    /// Its path in sops' syntax: `["a"][0]["b"]` (empty at the top level).
    pub fn path(&self) -> String {
        let mut s = String::new();
        for step in self.path {
            match *step {
                Step::Key(a, b) => s.push_str(&format!("[{:?}]", self.aad.get(a..b).unwrap_or(""))),
                Step::Index(i) => s.push_str(&format!("[{i}]")),
            }
        }
        s
    }

    /// Where the leaf is, for messages: `at ["a"][0]["b"]`.
    pub fn describe(&self) -> String {
        if self.path.is_empty() {
            "at the top level".to_string()
        } else {
            format!("at {}", self.path())
        }
    }
}

/// What a walk does at each leaf: returns the value to put in its place.
pub trait Visitor {
    fn leaf(&mut self, v: Value, at: &Leaf) -> Result<Value>;
}

/// The one walk over documents, in sops' order, applying a file's
/// partial-encryption rule: the encryption, decryption and MAC of this
/// module and `rsops check` are visitors of it.
struct Walk<'v, V: Visitor> {
    scope: RuleScope,
    /// Additional data of the current map: each key followed by `:`.
    aad: String,
    depth: usize,
    path: Vec<Step>,
    /// The current position for the cipher's IV memory, when tracked.
    slot: Option<Slot>,
    visitor: &'v mut V,
}

impl<V: Visitor> Walk<'_, V> {
    fn enter(&mut self) -> Result<()> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(Error::new(
                code::ERROR_ENCRYPTING_TREE,
                format!("the document is nested more than {MAX_DEPTH} levels deep"),
            ));
        }
        self.scope.enter();
        Ok(())
    }

    fn leave(&mut self) {
        self.depth -= 1;
        self.scope.leave();
    }

    fn slot_mark(&self) -> usize {
        self.slot.as_ref().map_or(0, Slot::mark)
    }

    fn slot_back(&mut self, mark: usize) {
        if let Some(s) = &mut self.slot {
            s.truncate(mark);
        }
    }

    fn branch(&mut self, b: &mut Branch, matched: bool) -> Result<()> {
        self.enter()?;
        for (i, item) in b.iter_mut().enumerate() {
            let mark = self.slot_mark();
            match &mut item.key {
                Key::Comment(c) => {
                    let text = c.value.clone();
                    let inline = c.inline;
                    self.scope.push_comment(&text);
                    if let Some(s) = &mut self.slot {
                        s.index(i);
                    }
                    let v = Value::Comment(std::mem::replace(c, crate::tree::Comment::new("")));
                    let out = self.leaf(v, matched)?;
                    // An encrypted comment stays where it was (end of line
                    // or own line), as in sops 3.13; a decrypted one comes
                    // back on its own line (the cipher does not keep it).
                    *c = match out {
                        Value::Comment(nc) => nc,
                        Value::Str(s) => crate::tree::Comment { value: s, inline },
                        _ => crate::tree::Comment::new(text),
                    };
                }
                Key::Str(k) => {
                    let m = matched || self.scope.key_matches(k);
                    let len = self.aad.len();
                    self.aad.push_str(k);
                    self.aad.push(':');
                    self.path.push(Step::Key(len, len + k.len()));
                    if let Some(s) = &mut self.slot {
                        s.key(k);
                    }
                    self.value(&mut item.value, m)?;
                    self.path.pop();
                    self.aad.truncate(len);
                    self.scope.reset();
                }
            }
            self.slot_back(mark);
        }
        self.leave();
        Ok(())
    }

    fn list(&mut self, l: &mut [Value], matched: bool) -> Result<()> {
        self.enter()?;
        for (i, v) in l.iter_mut().enumerate() {
            let mark = self.slot_mark();
            if let Some(s) = &mut self.slot {
                s.index(i);
            }
            self.path.push(Step::Index(i));
            if let Value::Comment(c) = v {
                let text = c.value.clone();
                self.scope.push_comment(&text);
                let old = std::mem::replace(v, Value::Null);
                *v = self.leaf(old, matched)?;
            } else {
                self.value(v, matched)?;
                self.scope.reset();
            }
            self.path.pop();
            self.slot_back(mark);
        }
        self.leave();
        Ok(())
    }

    fn value(&mut self, v: &mut Value, matched: bool) -> Result<()> {
        match v {
            Value::Map(b) => self.branch(b, matched),
            Value::List(l) => self.list(l, matched),
            Value::Null => Ok(()),
            _ => {
                let old = std::mem::replace(v, Value::Null);
                *v = self.leaf(old, matched)?;
                Ok(())
            }
        }
    }

    fn leaf(&mut self, v: Value, matched: bool) -> Result<Value> {
        let is_comment = v.is_comment();
        let at = Leaf {
            aad: &self.aad,
            path: &self.path,
            slot: self.slot.as_ref(),
            encrypted: self.scope.should_encrypt(matched, is_comment),
            is_comment,
            scope: &self.scope,
        };
        self.visitor.leaf(v, &at)
    }
}

/// Walk every leaf of `docs` under `rule`, in sops' order; `slots` tracks
/// each leaf's position (for the IV memory).
pub fn walk_docs<V: Visitor>(
    docs: &mut [Branch],
    rule: &Rule,
    slots: bool,
    visitor: &mut V,
) -> Result<()> {
    let mut w = Walk {
        scope: RuleScope::new(rule)?,
        aad: String::new(),
        depth: 0,
        path: Vec::new(),
        slot: slots.then(Slot::new),
        visitor,
    };
    for (i, d) in docs.iter_mut().enumerate() {
        if let Some(s) = &mut w.slot {
            s.truncate(0);
            s.doc(i);
        }
        w.branch(d, false)?;
    }
    Ok(())
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Encrypt,
    Decrypt,
}

/// Encryption or decryption of the values, and their MAC.
struct Crypt<'a> {
    mode: Mode,
    mac_only: bool,
    hash: Sha512,
    cipher: &'a mut Cipher,
}

impl Crypt<'_> {
    fn hash_leaf(&mut self, v: &Value) {
        if let Some(b) = scalar_bytes(v) {
            self.hash.update(&b);
        }
    }
}

impl Visitor for Crypt<'_> {
    fn leaf(&mut self, v: Value, at: &Leaf) -> Result<Value> {
        let (is_comment, encrypted) = (at.is_comment, at.encrypted);
        match self.mode {
            Mode::Encrypt => {
                let hashed = (!self.mac_only || encrypted) && !is_comment;
                if !encrypted {
                    if hashed {
                        self.hash_leaf(&v);
                    }
                    return Ok(v);
                }
                // The plaintext leaves the tree here: it is encrypted in
                // place or wiped before it is freed. The MAC covers the
                // same bytes.
                let hash = &mut self.hash;
                let enc = self
                    .cipher
                    .encrypt_owned(v, at.aad(), at.slot, |p| {
                        if hashed {
                            hash.update(p)
                        }
                    })
                    .map_err(|e| {
                        Error::with_source(
                            code::ERROR_ENCRYPTING_TREE,
                            format!("could not encrypt {}", at.describe()),
                            e,
                        )
                    })?;
                if is_comment {
                    if let Some(r) = at.scope.unencrypted_comment_regex() {
                        if r.is_match(&enc) {
                            return Err(Error::new(
                                code::ERROR_ENCRYPTING_TREE,
                                format!(
                                    "an encrypted comment {} matches unencrypted_comment_regex; choose a regex that cannot match ENC[…] values",
                                    at.describe()
                                ),
                            ));
                        }
                    }
                }
                // Comments in lists become plain ENC[…] strings, as in sops;
                // the walk turns the result back into a comment key in maps.
                Ok(Value::Str(enc))
            }
            Mode::Decrypt => {
                let out = if !encrypted {
                    v
                } else {
                    let aad = at.aad();
                    let cipher = &mut *self.cipher;
                    let mut open = |s: &str| match at.slot {
                        Some(slot) => cipher.decrypt_at(s, aad, slot),
                        None => cipher.decrypt(s, aad),
                    };
                    match v {
                        Value::Comment(c) => match open(&c.value) {
                            Ok(Value::Comment(nc)) => Value::Comment(nc),
                            Ok(Value::Str(s)) => Value::Comment(crate::tree::Comment::new(s)),
                            // A comment that was never encrypted (older sops) stays.
                            _ => Value::Comment(c),
                        },
                        Value::Str(s) => open(&s).map_err(|e| {
                            Error::new(
                                code::ERROR_DECRYPTING_TREE,
                                format!("could not decrypt the value {}: {e}", at.describe()),
                            )
                        })?,
                        other => {
                            return Err(Error::new(
                                code::ERROR_DECRYPTING_TREE,
                                format!(
                                    "the value {} should be encrypted but is a plain {}: the file was altered or not written by sops",
                                    at.describe(),
                                    type_name(&other)
                                ),
                            ))
                        }
                    }
                };
                if (!self.mac_only || encrypted) && !out.is_comment() {
                    self.hash_leaf(&out);
                }
                Ok(out)
            }
        }
    }
}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Int(_) => "integer",
        Value::Float(_) => "float",
        Value::Bool(_) => "boolean",
        Value::Time(_) => "timestamp",
        Value::Bytes(_) => "byte string",
        _ => "value",
    }
}

fn walk(docs: &mut [Branch], md: &Metadata, cipher: &mut Cipher, mode: Mode) -> Result<String> {
    let slots = cipher.tracks_positions(mode == Mode::Decrypt);
    let mut c = Crypt {
        mode,
        mac_only: md.mac_only_encrypted,
        hash: Sha512::new(),
        cipher,
    };
    if c.mac_only {
        c.hash.update(MAC_ONLY_ENCRYPTED_INIT);
    }
    walk_docs(docs, &md.effective_rule(), slots, &mut c)?;
    Ok(hex_upper(&c.hash.finalize()))
}

fn hex_upper(b: &[u8]) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut s = String::with_capacity(b.len() * 2);
    for x in b {
        s.push(HEX[(x >> 4) as usize] as char);
        s.push(HEX[(x & 15) as usize] as char);
    }
    s
}

/// Encrypt every leaf the rule selects; returns the plaintext MAC (hex).
pub fn encrypt_docs(docs: &mut [Branch], md: &Metadata, cipher: &mut Cipher) -> Result<String> {
    walk(docs, md, cipher, Mode::Encrypt)
}

/// Decrypt every encrypted leaf; returns the MAC computed over the plaintext.
pub fn decrypt_docs(docs: &mut [Branch], md: &Metadata, cipher: &mut Cipher) -> Result<String> {
    walk(docs, md, cipher, Mode::Decrypt)
}

/// Compute the MAC of a plaintext tree without changing it.
pub fn mac_of_plain(docs: &[Branch], md: &Metadata) -> Result<String> {
    // Walk a copy in encrypt mode with a throwaway key: the MAC depends only
    // on the plaintext leaves and the rule.
    let mut copy = docs.to_vec();
    let mut c = Cipher::new(crate::cipher::DataKey::generate())?.without_memory();
    encrypt_docs(&mut copy, md, &mut c)
}

/// Encrypt the documents and seal the MAC into `md` with a fresh `lastmodified`.
pub fn encrypt_and_seal(docs: &mut [Branch], md: &mut Metadata, cipher: &mut Cipher) -> Result<()> {
    let mac = encrypt_docs(docs, md, cipher)?;
    md.lastmodified = crate::timefmt::now_rfc3339();
    let aad = crate::timefmt::mac_aad(&md.lastmodified).map_err(|e| {
        Error::with_source(code::ERROR_ENCRYPTING_MAC, "the metadata's lastmodified", e)
    })?;
    md.mac = cipher
        .encrypt_str(&mac, &aad)
        .map_err(|e| Error::from_source(code::ERROR_ENCRYPTING_MAC, e))?;
    Ok(())
}

/// Decrypt the documents and check the stored MAC unless `ignore_mac`.
pub fn decrypt_and_verify(
    docs: &mut [Branch],
    md: &Metadata,
    cipher: &mut Cipher,
    ignore_mac: bool,
) -> Result<()> {
    let computed = decrypt_docs(docs, md, cipher)?;
    if ignore_mac {
        return Ok(());
    }
    let aad = crate::timefmt::mac_aad(&md.lastmodified)
        .map_err(|e| Error::with_source(code::MAC_MISMATCH, "the metadata's lastmodified", e))?;
    let stored = match cipher.decrypt(&md.mac, &aad) {
        Ok(Value::Str(s)) => s,
        Ok(_) => return Err(Error::new(code::MAC_MISMATCH, "the stored MAC is not a string")),
        Err(e) => {
            return Err(Error::new(
                code::MAC_MISMATCH,
                format!("cannot decrypt the MAC: {e}; the metadata was altered (use --ignore-mac to decrypt anyway)"),
            ))
        }
    };
    // Constant-time comparison, and no digest in the message: the computed
    // MAC is an unsalted SHA-512 of the plaintext values, so printing it
    // (in a CI log, say) would let anyone who can shape the file test
    // guesses of a secret offline.
    if !bool::from(subtle::ConstantTimeEq::ct_eq(
        stored.as_bytes(),
        computed.as_bytes(),
    )) {
        let what = if stored.is_empty() {
            "the file has no MAC"
        } else {
            "the MAC stored in the file does not match its values"
        };
        return Err(Error::new(
            code::MAC_MISMATCH,
            format!(
                "MAC mismatch: {what}. The file was changed outside sops/rsops (a value, a key or their order) or tampered with; \
                 restore it from version control, or use --ignore-mac to decrypt it anyway if you trust its content"
            ),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cipher::DataKey;
    use crate::tree::{Comment, Item};

    fn doc() -> Branch {
        vec![
            Item::comment(Comment::new(" top")),
            Item::new("a", Value::Int(1)),
            Item::new(
                "b",
                Value::Map(vec![
                    Item::new("c", Value::Str("x".into())),
                    Item::new("d_unencrypted", Value::Bool(true)),
                ]),
            ),
            Item::new(
                "l",
                Value::List(vec![
                    Value::Comment(Comment::new(" c")),
                    Value::Float(1.5),
                    Value::Null,
                ]),
            ),
            Item::new("e", Value::Str(String::new())),
        ]
    }

    #[test]
    fn round_trip_and_mac() {
        let md = Metadata::default();
        let mut docs = vec![doc()];
        let mut c = Cipher::new(DataKey::generate()).unwrap();
        let mac1 = encrypt_docs(&mut docs, &md, &mut c).unwrap();
        assert!(matches!(&docs[0][0].key, Key::Comment(c) if c.value.starts_with("ENC[")));
        assert_eq!(
            docs[0][2].value.as_map().unwrap()[1].value,
            Value::Bool(true)
        );
        assert!(
            matches!(&docs[0][3].value, Value::List(l) if matches!(&l[0], Value::Str(s) if s.starts_with("ENC[")))
        );
        let mac2 = decrypt_docs(&mut docs, &md, &mut c).unwrap();
        assert_eq!(mac1, mac2);
        assert_eq!(docs, vec![doc()]);
    }

    #[test]
    fn mac_of_known_tree_matches_sops_definition() {
        // SHA-512 of "1" + "x" + "True" + "1.5" + "", upper-case hex.
        let md = Metadata::default();
        let mac = mac_of_plain(&[doc()], &md).unwrap();
        let expect = hex_upper(&Sha512::digest(b"1xTrue1.5"));
        assert_eq!(mac, expect);
    }

    #[test]
    fn swapped_values_fail_to_decrypt() {
        let md = Metadata::default();
        let mut docs = vec![vec![
            Item::new("a", Value::Str("1".into())),
            Item::new("b", Value::Str("2".into())),
        ]];
        let mut c = Cipher::new(DataKey::generate()).unwrap();
        encrypt_docs(&mut docs, &md, &mut c).unwrap();
        let (x, y) = (docs[0][0].value.clone(), docs[0][1].value.clone());
        docs[0][0].value = y;
        docs[0][1].value = x;
        let e = decrypt_docs(&mut docs, &md, &mut c).unwrap_err();
        assert_eq!(e.code(), code::ERROR_DECRYPTING_TREE);
        assert!(e.message().contains("[\"a\"]"));
    }
}
