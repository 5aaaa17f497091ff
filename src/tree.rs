//! The format-neutral document model shared by every store and command.
//!
//! A document is a [`Branch`]: an ordered list of [`Item`]s. An item's key is
//! either a string or a comment (comments sit between entries, the way sops
//! keeps them); values are maps, lists or scalars. Lists may hold comments as
//! elements. Several documents (multi-document YAML) are a `Vec<Branch>`.

use std::fmt;

/// The top-level key holding a file's `sops` metadata.
pub const SOPS_KEY: &str = "sops";

/// A comment line without its leading `#`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Comment {
    pub value: String,
    /// Written on the same line as the value it follows (YAML line comment).
    pub inline: bool,
}

impl Comment {
    pub fn new(value: impl Into<String>) -> Self {
        Comment {
            value: value.into(),
            inline: false,
        }
    }
}

/// The key of a map entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Key {
    Str(String),
    /// A comment standing between entries; its item's value is `Value::Null`.
    Comment(Comment),
}

/// One entry of a map.
#[derive(Clone, Debug, PartialEq)]
pub struct Item {
    pub key: Key,
    pub value: Value,
}

impl Item {
    pub fn new(key: impl Into<String>, value: Value) -> Self {
        Item {
            key: Key::Str(key.into()),
            value,
        }
    }
    pub fn comment(c: Comment) -> Self {
        Item {
            key: Key::Comment(c),
            value: Value::Null,
        }
    }
    /// The string key, or `None` for a comment entry.
    pub fn key_str(&self) -> Option<&str> {
        match &self.key {
            Key::Str(s) => Some(s),
            Key::Comment(_) => None,
        }
    }
}

/// An ordered map.
pub type Branch = Vec<Item>;

/// A value in the tree.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Map(Branch),
    List(Vec<Value>),
    Str(String),
    Int(i64),
    Float(f64),
    Bool(bool),
    /// A YAML timestamp, held as Go's `time.Time.MarshalText` form (RFC 3339
    /// with nanoseconds as needed), which is also its plaintext when encrypted.
    Time(String),
    Bytes(Vec<u8>),
    Null,
    /// A comment as a list element.
    Comment(Comment),
}

impl Value {
    pub fn is_comment(&self) -> bool {
        matches!(self, Value::Comment(_))
    }
    pub fn as_map(&self) -> Option<&Branch> {
        match self {
            Value::Map(m) => Some(m),
            _ => None,
        }
    }
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }
}

/// The bytes sops feeds into the MAC (and encrypts) for a scalar: Go's
/// `sops.ToBytes` (floats as `strconv.FormatFloat(f, 'f', -1, 64)`).
/// Returns `None` for values that are not leaves.
pub fn scalar_bytes(v: &Value) -> Option<std::borrow::Cow<'_, [u8]>> {
    use std::borrow::Cow;
    Some(match v {
        Value::Str(s) => Cow::Borrowed(s.as_bytes()),
        Value::Int(i) => Cow::Owned(i.to_string().into_bytes()),
        Value::Float(f) => Cow::Owned(crate::gofmt::go_format_float(*f, 'f').into_bytes()),
        Value::Bool(true) => Cow::Borrowed(b"True"),
        Value::Bool(false) => Cow::Borrowed(b"False"),
        Value::Time(t) => Cow::Borrowed(t.as_bytes()),
        Value::Bytes(b) => Cow::Borrowed(b.as_slice()),
        Value::Comment(c) => Cow::Borrowed(c.value.as_bytes()),
        Value::Map(_) | Value::List(_) | Value::Null => return None,
    })
}

/// Overwrite a value's text with zeros, nested values (keys and comments
/// included) too: decrypted values must not linger in freed memory. Numbers
/// become 0. Recurses as deep as the (bounded) tree.
pub fn zeroize_value(v: &mut Value) {
    use zeroize::Zeroize;
    match v {
        Value::Str(s) | Value::Time(s) => s.zeroize(),
        Value::Bytes(b) => b.zeroize(),
        Value::Comment(c) => c.value.zeroize(),
        Value::Map(m) => zeroize_branch(m),
        Value::List(l) => l.iter_mut().for_each(zeroize_value),
        Value::Int(i) => *i = 0,
        Value::Float(f) => *f = 0.0,
        Value::Bool(_) | Value::Null => {}
    }
}

fn zeroize_branch(b: &mut Branch) {
    use zeroize::Zeroize;
    for it in b.iter_mut() {
        match &mut it.key {
            Key::Str(k) => k.zeroize(),
            Key::Comment(c) => c.value.zeroize(),
        }
        zeroize_value(&mut it.value);
    }
}

/// [`zeroize_value`] for every document.
pub fn zeroize_docs(docs: &mut [Branch]) {
    docs.iter_mut().for_each(zeroize_branch);
}

/// One step of a path into a tree, as written in `--extract '["a"][0]'`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PathStep {
    Key(String),
    Index(usize),
}

impl fmt::Display for PathStep {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PathStep::Key(k) => write!(f, "[{k:?}]"),
            PathStep::Index(i) => write!(f, "[{i}]"),
        }
    }
}

/// Build the value that `path` would lead to, ending in `leaf` (sops'
/// `valueFromPathAndLeaf`).
fn value_from_path(path: &[PathStep], leaf: Value) -> Value {
    match path.split_first() {
        None => leaf,
        Some((PathStep::Index(_), rest)) => Value::List(vec![value_from_path(rest, leaf)]),
        Some((PathStep::Key(k), rest)) => {
            Value::Map(vec![Item::new(k.clone(), value_from_path(rest, leaf))])
        }
    }
}

fn set_in(node: &mut Value, path: &[PathStep], leaf: Value) -> bool {
    let Some((first, rest)) = path.split_first() else {
        let changed = *node != leaf;
        *node = leaf;
        return changed;
    };
    match (node, first) {
        (Value::Map(m), PathStep::Key(k)) => set_in_branch(m, path, leaf, k, rest),
        (Value::List(l), PathStep::Index(i)) => {
            if *i >= l.len() {
                l.push(value_from_path(rest, leaf));
                true
            } else {
                set_in(&mut l[*i], rest, leaf)
            }
        }
        (node, _) => {
            let new = value_from_path(path, leaf);
            let changed = *node != new;
            *node = new;
            changed
        }
    }
}

fn set_in_branch(
    m: &mut Branch,
    _path: &[PathStep],
    leaf: Value,
    k: &str,
    rest: &[PathStep],
) -> bool {
    if let Some(item) = m.iter_mut().find(|i| i.key_str() == Some(k)) {
        return set_in(&mut item.value, rest, leaf);
    }
    m.push(Item::new(k.to_string(), value_from_path(rest, leaf)));
    true
}

/// Why [`set_path`] or [`unset_path`] could not follow a path.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PathError {
    /// The path has no step.
    #[error("the path is empty")]
    Empty,
    /// A path into a document must start with a key.
    #[error("the top level of a document is a map: the path must start with a key")]
    StartsWithIndex,
    /// A key the path names is not there (sops' wording).
    #[error("Key not found: {0}")]
    KeyNotFound(String),
    /// A list index beyond the list (sops' wording).
    #[error("Index {0} out of bounds")]
    IndexOutOfBounds(usize),
}

/// Set the value at `path` in a document, creating maps and lists on the
/// way as sops does; returns whether anything changed.
pub fn set_path(doc: &mut Branch, path: &[PathStep], leaf: Value) -> Result<bool, PathError> {
    match path.split_first() {
        None => Err(PathError::Empty),
        Some((PathStep::Key(k), rest)) => Ok(set_in_branch(doc, path, leaf, k, rest)),
        Some((PathStep::Index(_), _)) => Err(PathError::StartsWithIndex),
    }
}

/// Remove the entry at `path`; the error says which step was missing.
pub fn unset_path(doc: &mut Branch, path: &[PathStep]) -> Result<(), PathError> {
    fn in_value(v: &mut Value, path: &[PathStep]) -> Result<(), PathError> {
        match (v, path.first()) {
            (Value::Map(m), Some(_)) => in_branch(m, path),
            (Value::List(l), Some(PathStep::Index(i))) => {
                if *i >= l.len() {
                    return Err(PathError::IndexOutOfBounds(*i));
                }
                if path.len() == 1 {
                    l.remove(*i);
                    Ok(())
                } else {
                    in_value(&mut l[*i], &path[1..])
                }
            }
            (_, Some(step)) => Err(PathError::KeyNotFound(step.to_string())),
            (_, None) => Ok(()),
        }
    }
    fn in_branch(m: &mut Branch, path: &[PathStep]) -> Result<(), PathError> {
        let Some(PathStep::Key(k)) = path.first() else {
            return Err(PathError::KeyNotFound(
                path.first().map(ToString::to_string).unwrap_or_default(),
            ));
        };
        let Some(pos) = m.iter().position(|i| i.key_str() == Some(k.as_str())) else {
            return Err(PathError::KeyNotFound(k.clone()));
        };
        if path.len() == 1 {
            m.remove(pos);
            Ok(())
        } else {
            in_value(&mut m[pos].value, &path[1..])
        }
    }
    if path.is_empty() {
        return Err(PathError::Empty);
    }
    in_branch(doc, path)
}

/// Parse sops' tree path syntax: `["key"][0]['other']`.
///
/// ```
/// use rsops::tree::{lookup, parse_tree_path, Item, PathStep, Value};
/// let path = parse_tree_path(r#"["db"][0]"#)?;
/// assert_eq!(path, [PathStep::Key("db".into()), PathStep::Index(0)]);
/// let doc = vec![Item::new("db", Value::List(vec![Value::Int(5)]))];
/// assert_eq!(lookup(&doc, &path)?, &Value::Int(5));
/// # Ok::<(), rsops::error::Error>(())
/// ```
pub fn parse_tree_path(s: &str) -> crate::error::Result<Vec<PathStep>> {
    let bad = |m: String| {
        crate::error::Error::new(
            crate::error::code::INVALID_TREE_PATH_FORMAT,
            format!("error parsing path {s:?}: {m}"),
        )
    };
    let mut out = Vec::new();
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'[' {
            return Err(bad(format!("expected '[' at offset {i}")));
        }
        i += 1;
        if i < b.len() && (b[i] == b'"' || b[i] == b'\'') {
            let q = b[i];
            let start = i + 1;
            let mut j = start;
            while j < b.len() && !(b[j] == q && j + 1 < b.len() && b[j + 1] == b']') {
                j += 1;
            }
            if j >= b.len() {
                return Err(bad("unterminated quoted key".into()));
            }
            out.push(PathStep::Key(s[start..j].to_string()));
            i = j + 2;
        } else {
            let start = i;
            while i < b.len() && b[i] != b']' {
                i += 1;
            }
            if i >= b.len() {
                return Err(bad(format!("component {} doesn't end with ]", &s[start..])));
            }
            let n: usize = s[start..i].trim().parse().map_err(|_| {
                bad(format!(
                    "{:?} is neither a quoted key nor a list index",
                    &s[start..i]
                ))
            })?;
            out.push(PathStep::Index(n));
            i += 1;
        }
    }
    Ok(out)
}

/// Follow a path into a tree (sops' `Truncate`).
pub fn lookup<'a>(doc: &'a Branch, path: &[PathStep]) -> crate::error::Result<&'a Value> {
    let not_found = |m: String| crate::error::Error::generic(format!("error truncating tree: {m}"));
    let mut cur: Option<&Value> = None;
    for step in path {
        match step {
            PathStep::Key(k) => {
                let map = match cur {
                    None => doc,
                    Some(Value::Map(m)) => m,
                    Some(_) => return Err(not_found(format!("component ['{k}'] not found"))),
                };
                cur = Some(
                    map.iter()
                        .find(|i| i.key_str() == Some(k.as_str()))
                        .map(|i| &i.value)
                        .ok_or_else(|| not_found(format!("component ['{k}'] not found")))?,
                );
            }
            PathStep::Index(n) => {
                let list = match cur {
                    Some(Value::List(l)) => l,
                    _ => {
                        return Err(not_found(format!(
                            "component [{n}] is integer, but tree part is not a slice"
                        )))
                    }
                };
                cur =
                    Some(list.get(*n).ok_or_else(|| {
                        not_found(format!("component [{n}] accesses out of bounds"))
                    })?);
            }
        }
    }
    cur.ok_or_else(|| not_found("empty path".into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn k(s: &str) -> PathStep {
        PathStep::Key(s.into())
    }

    #[test]
    fn set_creates_and_reports_change() {
        let mut d: Branch = vec![Item::new("a", Value::Int(1))];
        assert!(!set_path(&mut d, &[k("a")], Value::Int(1)).unwrap());
        assert!(set_path(&mut d, &[k("a")], Value::Int(2)).unwrap());
        assert!(set_path(
            &mut d,
            &[k("b"), PathStep::Index(0), k("c")],
            Value::Bool(true)
        )
        .unwrap());
        assert_eq!(
            d[1].value,
            Value::List(vec![Value::Map(vec![Item::new("c", Value::Bool(true))])])
        );
        assert!(set_path(&mut d, &[k("b"), PathStep::Index(5)], Value::Null).unwrap());
        assert!(matches!(&d[1].value, Value::List(l) if l.len() == 2));
    }

    #[test]
    fn unset_removes_or_explains() {
        let mut d: Branch = vec![Item::new(
            "a",
            Value::List(vec![Value::Int(1), Value::Int(2)]),
        )];
        unset_path(&mut d, &[k("a"), PathStep::Index(0)]).unwrap();
        assert_eq!(d[0].value, Value::List(vec![Value::Int(2)]));
        assert_eq!(
            unset_path(&mut d, &[k("x")]).unwrap_err().to_string(),
            "Key not found: x"
        );
        assert_eq!(
            unset_path(&mut d, &[k("a"), PathStep::Index(3)])
                .unwrap_err()
                .to_string(),
            "Index 3 out of bounds"
        );
        unset_path(&mut d, &[k("a")]).unwrap();
        assert!(d.is_empty());
    }

    #[test]
    fn tree_paths() {
        assert_eq!(
            parse_tree_path(r#"["a"][0]['b[c]']"#).unwrap(),
            vec![
                PathStep::Key("a".into()),
                PathStep::Index(0),
                PathStep::Key("b[c]".into())
            ]
        );
        assert_eq!(
            parse_tree_path("bad").unwrap_err().code(),
            crate::error::code::INVALID_TREE_PATH_FORMAT
        );
        assert!(parse_tree_path("[\"a\"").is_err());
        assert!(parse_tree_path("[x]").is_err());
        assert_eq!(parse_tree_path("").unwrap(), vec![]);
    }
}
