//! The YAML store: YAML text to and from the [`crate::tree`] model, with the
//! same results as sops 3.11 (which uses go-yaml v3).
//!
//! Parsing goes scanner → parser → node graph (`node`), then the nodes are
//! turned into a tree the way sops' YAML store does it: comments become
//! comment items (maps) or comment elements (lists) where sops puts them,
//! aliases are expanded, scalars get go-yaml's types. Emitting goes tree →
//! events (with sops' comment placement) → emitter.
//!
//! Nothing here recurses on input depth: every stage keeps its own stack.
//! Nesting is limited as in go-yaml (10 000 block indentation levels and
//! 10 000 nested flow collections), aliases are expanded with go-yaml's
//! guard against excessive aliasing, and error messages never quote scalar
//! values.

mod emitter;
mod encode;
mod node;
pub mod nodes;
mod parser;
mod resolve;
mod scanner;
pub mod v2;

use std::borrow::Cow;
use std::collections::HashMap;

use crate::stores::{Result, StoreError};
use crate::tree::{Branch, Comment, Item, Key, Value};

use node::{Arena, Composer, Kind, NodeId};
use resolve::{decode_base64_go, Resolved, BINARY_TAG};

/// Parse a YAML stream: one [`Branch`] per document.
///
/// Empty input gives no documents. Input with only comments or blank lines
/// is an error (as in sops, which fails to read such a file). Each document
/// must be a mapping or empty/`null` (an empty branch).
pub fn parse(input: &[u8]) -> Result<Vec<Branch>> {
    parse_with_alias_budget(input, alias_budget(input.len()))
}

/// The most bytes that alias expansion may add to one document: the larger
/// of 16 MiB ([`ALIAS_BYTES_FLOOR`]) and 10 times the input's size
/// ([`ALIAS_BYTES_PER_INPUT_BYTE`]).
///
/// An alias is expanded into a copy of its anchor's node (the tree has no
/// shared nodes), so a few bytes of `*a` can stand for megabytes: a 2 MiB
/// anchored string and 1000 aliases of it would be 2 GB of copies. go-yaml
/// only limits the *number* of aliased nodes (see `allowed_alias_ratio`);
/// this limits their bytes: the text of every scalar, key and comment that
/// an alias copies, counted when the alias is reached (aliases inside an
/// anchor count each time they are expanded). Files sops and rsops write
/// never contain aliases (encrypted files hold the expanded values), so
/// only hand-written plaintext uses them, and a normal use (a block of
/// defaults merged into a few entries) stays far below the limit.
pub fn alias_budget(input_len: usize) -> u64 {
    (ALIAS_BYTES_FLOOR as u64).max((input_len as u64).saturating_mul(ALIAS_BYTES_PER_INPUT_BYTE))
}

/// See [`alias_budget`].
pub const ALIAS_BYTES_FLOOR: usize = 16 << 20;
/// See [`alias_budget`].
pub const ALIAS_BYTES_PER_INPUT_BYTE: u64 = 10;

/// [`parse`] with another limit on the bytes alias expansion may add to a
/// document (the fuzz targets use a small one to reach it).
pub fn parse_with_alias_budget(input: &[u8], alias_budget: u64) -> Result<Vec<Branch>> {
    if input.is_empty() {
        return Ok(Vec::new());
    }
    let text = read_input(input)?;
    let mut composer = Composer::new(&text);
    let mut docs = Vec::new();
    let mut index = 0usize;
    loop {
        let doc = composer
            .next_document()
            .map_err(|e| parse_error(e.message()))?;
        let Some(doc) = doc else { break };
        let mut walker = Walker::new(&composer.arena, index == 0, alias_budget);
        let branch = walker.document(doc).map_err(|e| match e {
            WalkError::Unwalkable(m) => StoreError::Unwalkable(m),
            WalkError::Invalid(m) => parse_error(format!("document {}: {m}", index + 1)),
        })?;
        docs.push(branch);
        index += 1;
    }
    if docs.is_empty() {
        return Err(parse_error(
            "the file holds no YAML document (only comments or blank lines)".into(),
        ));
    }
    // A file written by a sops older than 3.13 is read as that sops read
    // it: its end-of-line comments are ordinary comments, which go back on
    // a line of their own when it is written again.
    if docs
        .first()
        .and_then(crate::metadata::writer_version)
        .is_some_and(|v| !crate::metadata::yaml_keeps_inline_comments(&v))
    {
        for d in &mut docs {
            no_inline_comments(d);
        }
    }
    Ok(docs)
}

/// Clear the end-of-line mark of every comment in a document.
fn no_inline_comments(doc: &mut Branch) {
    enum It<'a> {
        Map(std::slice::IterMut<'a, Item>),
        List(std::slice::IterMut<'a, Value>),
    }
    // An explicit stack: documents may nest deeply.
    let mut stack = vec![It::Map(doc.iter_mut())];
    while let Some(top) = stack.last_mut() {
        let next = match top {
            It::Map(i) => i.next().map(|it| {
                if let crate::tree::Key::Comment(c) = &mut it.key {
                    c.inline = false;
                }
                &mut it.value
            }),
            It::List(i) => i.next(),
        };
        let Some(v) = next else {
            stack.pop();
            continue;
        };
        match v {
            Value::Map(m) => stack.push(It::Map(m.iter_mut())),
            Value::List(l) => stack.push(It::List(l.iter_mut())),
            Value::Comment(c) => c.inline = false,
            _ => {}
        }
    }
}

/// Write documents as YAML with `indent` spaces per level (sops' default
/// is 4). Documents after the first are preceded by `---`.
pub fn emit(docs: &[Branch], indent: usize) -> Result<Vec<u8>> {
    if docs.is_empty() {
        return Ok(Vec::new());
    }
    let mut em = emitter::Emitter::new(indent);
    em.out.reserve(emit_size(docs, indent));
    start_stream(&mut em)?;
    for doc in docs {
        encode::encode_document(encode::Root::Branch(doc), &mut em).map_err(emit_error)?;
    }
    em.finish().map_err(emit_error)?;
    Ok(em.out)
}

/// About how many bytes [`emit`] writes for `docs` (a little more, never
/// much less, for plain layouts), so the output is allocated once instead
/// of grown by copying.
fn emit_size(docs: &[Branch], indent: usize) -> usize {
    let indent = if (2..=9).contains(&indent) { indent } else { 4 };
    let mut bytes = 0usize;
    let mut stack: Vec<(&[Item], &[Value], usize)> =
        docs.iter().map(|d| (d.as_slice(), &[][..], 0)).collect();
    while let Some((items, values, depth)) = stack.pop() {
        let pad = depth * indent + 4;
        for item in items {
            match &item.key {
                Key::Comment(c) => bytes += c.value.len() + pad,
                Key::Str(k) => {
                    bytes += k.len() + pad;
                    match &item.value {
                        Value::Map(m) => stack.push((m, &[], depth + 1)),
                        Value::List(l) => stack.push((&[], l, depth + 1)),
                        v => bytes += scalar_len(v),
                    }
                }
            }
        }
        for v in values {
            match v {
                Value::Comment(c) => bytes += c.value.len() + pad,
                Value::Map(m) => stack.push((m, &[], depth + 1)),
                Value::List(l) => stack.push((&[], l, depth + 1)),
                v => bytes += pad + scalar_len(v),
            }
        }
    }
    bytes + 64
}

fn scalar_len(v: &Value) -> usize {
    match v {
        Value::Str(s) | Value::Time(s) => s.len() + 2,
        Value::Bytes(b) => b.len() * 4 / 3 + 4,
        _ => 24,
    }
}

/// Write one value as its own YAML document (sops' `EmitValue`, used by
/// `decrypt --extract`).
pub fn emit_value(v: &Value, indent: usize) -> Result<Vec<u8>> {
    let mut em = emitter::Emitter::new(indent);
    start_stream(&mut em)?;
    encode::encode_document(encode::Root::Value(v), &mut em).map_err(emit_error)?;
    em.finish().map_err(emit_error)?;
    Ok(em.out)
}

fn start_stream(em: &mut emitter::Emitter) -> Result<()> {
    em.emit(parser::Event {
        kind: parser::EventKind::StreamStart,
        ..parser::Event::default()
    })
    .map_err(emit_error)
}

fn parse_error(msg: String) -> StoreError {
    StoreError::read(format!("Error unmarshalling input YAML: {msg}"))
}

fn emit_error(e: emitter::EmitError) -> StoreError {
    StoreError::write(format!("Error marshaling to YAML: {}", e.0))
}

// ----- reading -------------------------------------------------------------------

/// Line and column (1-based) of byte `offset`.
fn position(input: &[u8], offset: usize) -> (usize, usize) {
    let before = &input[..offset.min(input.len())];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let col_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |p| p + 1);
    (line, offset - col_start + 1)
}

/// go-yaml's reader: detect the encoding (UTF-8, or UTF-16 with a byte
/// order mark), drop the byte order mark, and reject invalid UTF-8 and
/// characters YAML does not allow (control characters other than tab,
/// line feed and carriage return; NEL is allowed).
fn read_input(input: &[u8]) -> Result<Cow<'_, str>> {
    let text: Cow<'_, str> = if input.starts_with(&[0xFF, 0xFE]) || input.starts_with(&[0xFE, 0xFF])
    {
        let le = input[0] == 0xFF;
        let body = &input[2..];
        if body.len() & 1 == 1 {
            return Err(parse_error(
                "incomplete UTF-16 character at the end of the input".into(),
            ));
        }
        let units = body.chunks_exact(2).map(|c| {
            if le {
                u16::from_le_bytes([c[0], c[1]])
            } else {
                u16::from_be_bytes([c[0], c[1]])
            }
        });
        let mut s = String::with_capacity(body.len());
        for (i, r) in char::decode_utf16(units).enumerate() {
            match r {
                Ok(c) => s.push(c),
                Err(_) => {
                    return Err(parse_error(format!(
                        "invalid UTF-16 surrogate at byte offset {}",
                        2 + i * 2
                    )))
                }
            }
        }
        Cow::Owned(s)
    } else {
        let body = input.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(input);
        match std::str::from_utf8(body) {
            Ok(s) => Cow::Borrowed(s),
            Err(e) => {
                let (line, col) = position(body, e.valid_up_to());
                return Err(parse_error(format!(
                    "invalid UTF-8 at line {line}, column {col} (byte offset {})",
                    e.valid_up_to() + (input.len() - body.len())
                )));
            }
        }
    };
    // Only look at characters when a byte outside the common range shows.
    let bytes = text.as_bytes();
    if bytes
        .iter()
        .any(|&b| (b < 0x20 && b != b'\t' && b != b'\n' && b != b'\r') || b >= 0x7F)
    {
        for (off, c) in text.char_indices() {
            let v = c as u32;
            let ok = matches!(v, 0x09 | 0x0A | 0x0D | 0x20..=0x7E | 0x85 | 0xA0..=0xD7FF | 0xE000..=0xFFFD | 0x10000..=0x10FFFF);
            if !ok {
                let (line, col) = position(bytes, off);
                return Err(parse_error(format!(
                    "control characters are not allowed (U+{v:04X} at line {line}, column {col})"
                )));
            }
        }
    }
    Ok(text)
}

// ----- nodes to tree -------------------------------------------------------------------

/// The deepest tree (maps and lists inside each other) parse returns.
/// go-yaml limits block indentation and flow nesting to 10 000 levels each;
/// the tree is limited to 10 000 levels in all, so that code walking it
/// recursively (and dropping it) stays within a thread's stack.
const MAX_TREE_DEPTH: usize = 10_000;

/// Guards against alias bombs the way go-yaml's decoder does: once more
/// than 1000 nodes were decoded and more than 100 came from aliases, the
/// share coming from aliases may not exceed a ratio that shrinks from 99%
/// (small documents) to 10% (4 million decoded nodes).
fn allowed_alias_ratio(decode_count: u64) -> f64 {
    const LOW: f64 = 400_000.0;
    const HIGH: f64 = 4_000_000.0;
    let d = decode_count as f64;
    if d <= LOW {
        0.99
    } else if d >= HIGH {
        0.10
    } else {
        0.99 - 0.89 * ((d - LOW) / (HIGH - LOW))
    }
}

/// A decoded scalar.
enum Scalar {
    Value(Value),
    /// An integer above `i64::MAX`: sops cannot handle it.
    Uint,
    /// A timestamp Go cannot print back (offset of 24 hours or more).
    BadTime,
}

enum WalkFrame {
    Map {
        node: NodeId,
        /// Next key index (even).
        i: usize,
        branch: Branch,
        handled: bool,
        /// Key waiting for its value, and whether the value's own comments
        /// were taken here.
        pending: Option<(String, NodeId, NodeId, bool)>,
        /// Alias target entered through this frame (left when it ends).
        alias_target: Option<NodeId>,
    },
    Seq {
        node: NodeId,
        i: usize,
        list: Vec<Value>,
        handled: bool,
        pending: Option<NodeId>,
        alias_target: Option<NodeId>,
    },
}

/// What a value node turned into: a finished value, or a frame to run.
enum Step {
    Done(Value),
    Frame(WalkFrame),
}

/// Turns a document's nodes into a tree like sops' YAML store.
struct Walker<'a> {
    arena: &'a Arena<'a>,
    /// The first document is also decoded by sops into a Go map first,
    /// which checks for duplicate keys, bad merges and undecodable scalars.
    first: bool,
    decode_count: u64,
    alias_count: u64,
    alias_depth: u64,
    active_aliases: Vec<NodeId>,
    /// Bytes copied by alias expansion so far, and the limit ([`alias_budget`]).
    alias_bytes: u64,
    alias_budget: u64,
    /// The bytes one expansion of an anchored node copies (its subtree's
    /// scalars, keys and comments, not counting aliases inside it), by node.
    anchor_bytes: HashMap<NodeId, u64>,
}

/// Why the walker stopped: the document is not one sops' YAML decoder
/// reads, or sops' tree walker could not walk it.
#[derive(Debug)]
enum WalkError {
    Invalid(String),
    Unwalkable(String),
}

impl From<String> for WalkError {
    fn from(msg: String) -> WalkError {
        WalkError::Invalid(msg)
    }
}

impl From<&str> for WalkError {
    fn from(msg: &str) -> WalkError {
        WalkError::Invalid(msg.to_string())
    }
}

type WalkResult<T> = std::result::Result<T, WalkError>;

impl<'a> Walker<'a> {
    fn new(arena: &'a Arena<'a>, first: bool, alias_budget: u64) -> Self {
        Walker {
            arena,
            first,
            decode_count: 0,
            alias_count: 0,
            alias_depth: 0,
            active_aliases: Vec::new(),
            alias_bytes: 0,
            alias_budget,
            anchor_bytes: HashMap::new(),
        }
    }

    /// The bytes one expansion of `target` copies: the text of its scalars
    /// (keys included) and comments, without descending into aliases
    /// (those are counted when they are expanded in turn).
    fn subtree_bytes(&mut self, target: NodeId) -> u64 {
        if let Some(&b) = self.anchor_bytes.get(&target) {
            return b;
        }
        let arena = self.arena;
        let mut total = 0u64;
        let mut stack = vec![target];
        while let Some(id) = stack.pop() {
            let n = &arena.nodes[id];
            total += (n.head().len() + n.line().len() + n.foot().len()) as u64;
            match n.kind {
                Kind::Alias => {}
                Kind::Scalar => total += n.value.len() as u64,
                _ => stack.extend(n.content.iter().copied()),
            }
        }
        self.anchor_bytes.insert(target, total);
        total
    }

    /// Count the bytes the expansion of `alias` (pointing at `target`)
    /// copies, and refuse it past the budget.
    fn charge_alias(&mut self, alias: NodeId, target: NodeId) -> WalkResult<()> {
        let bytes = self.subtree_bytes(target);
        self.alias_bytes = self.alias_bytes.saturating_add(bytes);
        if self.alias_bytes <= self.alias_budget {
            return Ok(());
        }
        let name = &self.arena.nodes[alias].value;
        Err(format!(
            "the alias *{name} at {} would bring the bytes copied by alias expansion past {} (the limit is the larger of {} MiB and {} times the file's size): each *{name} copies the {bytes} bytes of its anchor &{name}, and the tree holds every copy. Use fewer aliases of large values, or write the values out",
            self.where_(alias),
            self.alias_budget,
            ALIAS_BYTES_FLOOR >> 20,
            ALIAS_BYTES_PER_INPUT_BYTE,
        ).into())
    }

    fn where_(&self, id: NodeId) -> String {
        let n = &self.arena.nodes[id];
        format!("line {}, column {}", n.line_no, n.column)
    }

    fn count(&mut self) -> WalkResult<()> {
        self.decode_count += 1;
        if self.alias_depth > 0 {
            self.alias_count += 1;
        }
        if self.alias_count > 100
            && self.decode_count > 1000
            && self.alias_count as f64 / self.decode_count as f64
                > allowed_alias_ratio(self.decode_count)
        {
            return Err("document contains excessive aliasing".into());
        }
        Ok(())
    }

    fn enter_alias(&mut self, alias: NodeId) -> WalkResult<NodeId> {
        let n = &self.arena.nodes[alias];
        let target = n
            .alias()
            .ok_or_else(|| format!("unknown anchor '{}' referenced", n.value))?;
        if self.active_aliases.contains(&target) {
            return Err(format!("anchor '{}' value contains itself", n.value).into());
        }
        self.charge_alias(alias, target)?;
        self.active_aliases.push(target);
        self.alias_depth += 1;
        Ok(target)
    }

    fn leave_alias(&mut self, target: NodeId) {
        if let Some(p) = self.active_aliases.iter().rposition(|&t| t == target) {
            self.active_aliases.remove(p);
        }
        self.alias_depth = self.alias_depth.saturating_sub(1);
    }

    /// Comment lines of `text` (go-yaml's joined comment) as tree comments.
    fn comments(text: &str, inline: bool, mut push: impl FnMut(Comment)) {
        if text.is_empty() {
            return;
        }
        for line in text.split('\n') {
            if !line.is_empty() {
                // Drop the leading '#'.
                let value = line.get(1..).unwrap_or("").to_string();
                push(Comment { value, inline });
            }
        }
    }

    fn map_comments(branch: &mut Branch, text: &str, inline: bool) {
        Self::comments(text, inline, |c| branch.push(Item::comment(c)));
    }

    fn list_comments(list: &mut Vec<Value>, text: &str, inline: bool) {
        Self::comments(text, inline, |c| list.push(Value::Comment(c)));
    }

    /// sops' `appendYamlNodeToTreeBranch` for a document.
    fn document(&mut self, doc: NodeId) -> WalkResult<Branch> {
        let arena = self.arena;
        self.count()?;
        let d = &arena.nodes[doc];
        let mut branch = Branch::new();
        Self::map_comments(&mut branch, d.head(), false);
        Self::map_comments(&mut branch, d.line(), false);
        for &child in &d.content {
            self.append_root(child, &mut branch)?;
        }
        Self::map_comments(&mut branch, d.foot(), false);
        Ok(branch)
    }

    /// The document's content, appended into the document's branch.
    fn append_root(&mut self, id: NodeId, branch: &mut Branch) -> WalkResult<()> {
        let arena = self.arena;
        let n = &arena.nodes[id];
        match n.kind {
            Kind::Mapping => {
                self.count()?;
                let frame = WalkFrame::Map {
                    node: id,
                    i: 0,
                    branch: std::mem::take(branch),
                    handled: false,
                    pending: None,
                    alias_target: None,
                };
                match self.run(frame)? {
                    Value::Map(b) => *branch = b,
                    _ => unreachable!("a map frame yields a map"),
                }
                Ok(())
            }
            Kind::Sequence => Err("YAML documents that are sequences are not supported".into()),
            Kind::Scalar => {
                Self::map_comments(branch, n.head(), false);
                Self::map_comments(branch, n.line(), false);
                if arena.is_null_scalar(id) {
                    Ok(())
                } else {
                    Err("YAML documents that are values are not supported".into())
                }
            }
            Kind::Alias => {
                Self::map_comments(branch, n.head(), false);
                Self::map_comments(branch, n.line(), false);
                self.count()?;
                let target = self.enter_alias(id)?;
                let r = self.append_root(target, branch);
                self.leave_alias(target);
                r?;
                Self::map_comments(branch, n.foot(), false);
                Ok(())
            }
            Kind::Document => Err("nested document".into()),
        }
    }

    /// Decode a scalar node like go-yaml decoding into `interface{}`.
    fn decode_scalar(&self, id: NodeId) -> WalkResult<Scalar> {
        let n = &self.arena.nodes[id];
        if self.arena.indicated_string(id) {
            return Ok(Scalar::Value(Value::Str(n.value.to_string())));
        }
        let (tag, resolved) = match &n.resolved {
            // Resolved when the node was made (untagged plain scalar).
            Some(r) => (std::borrow::Cow::Borrowed(""), r.clone()),
            None => resolve::resolve(&n.tag, &n.value)
                .map_err(|e| format!("{e} at {}", self.where_(id)))?,
        };
        if tag == BINARY_TAG {
            let data = decode_base64_go(&n.value).ok_or_else(|| {
                format!(
                    "!!binary value contains invalid base64 data at {}",
                    self.where_(id)
                )
            })?;
            return Ok(Scalar::Value(match String::from_utf8(data) {
                Ok(s) => Value::Str(s),
                Err(e) => Value::Bytes(e.into_bytes()),
            }));
        }
        Ok(Scalar::Value(match resolved {
            Resolved::Null => Value::Null,
            Resolved::Bool(b) => Value::Bool(b),
            Resolved::Int(i) => Value::Int(i),
            Resolved::Uint(_) => return Ok(Scalar::Uint),
            Resolved::Float(f) => Value::Float(f),
            Resolved::Time(t) => {
                if !resolve::time_marshals(&t) {
                    return Ok(Scalar::BadTime);
                }
                Value::Time(*t)
            }
            Resolved::Str => Value::Str(n.value.to_string()),
        }))
    }

    /// A scalar value; decode errors only fail the first document (later
    /// documents get null, as sops ignores the error there).
    fn scalar_value(&self, id: NodeId) -> WalkResult<Value> {
        match self.decode_scalar(id) {
            Ok(Scalar::Value(v)) => Ok(v),
            Ok(Scalar::Uint) => Err(self.unwalkable(format!(
                "Cannot walk value, unknown type: uint64 (the integer at {} is beyond the signed 64-bit range)",
                self.where_(id)
            ))),
            Ok(Scalar::BadTime) => Err(format!(
                "timestamp at {} has a time zone offset of 24 hours or more, which sops cannot write",
                self.where_(id)
            ).into()),
            Err(e) if self.first => Err(e),
            Err(_) => Ok(Value::Null),
        }
    }

    /// An error sops' tree walker reports ([`StoreError::Unwalkable`]).
    fn unwalkable(&self, msg: String) -> WalkError {
        WalkError::Unwalkable(msg)
    }

    /// A mapping key: must decode to a string. A scalar of another type is
    /// refused as sops' tree walker does; a collection as go-yaml does.
    fn key_string(&self, id: NodeId) -> WalkResult<String> {
        let n = &self.arena.nodes[id];
        // The Go type sops names.
        let go_type = |v: &Value| match v {
            Value::Int(_) => "int",
            Value::Float(_) => "float64",
            Value::Bool(_) => "bool",
            Value::Time(_) => "time.Time",
            Value::Null => "<nil>",
            Value::Bytes(_) => "[]uint8",
            _ => "other",
        };
        let refused = |t: &str| {
            self.unwalkable(format!(
                "Tree contains a non-string key (type {t}) at {}. Only string keys are supported",
                self.where_(id)
            ))
        };
        match n.kind {
            Kind::Scalar => match self.decode_scalar(id)? {
                Scalar::Value(Value::Str(s)) => Ok(s),
                Scalar::Value(v) => Err(refused(go_type(&v))),
                Scalar::Uint => Err(refused("uint64")),
                Scalar::BadTime => Err(refused("time.Time")),
            },
            Kind::Alias => match n.alias() {
                Some(t) if self.arena.nodes[t].kind == Kind::Scalar => self.key_string(t),
                _ => Err(format!(
                    "non-string key at {}: only string keys are supported",
                    self.where_(id)
                )
                .into()),
            },
            _ => Err(format!(
                "complex (collection) key at {}: only string keys are supported",
                self.where_(id)
            )
            .into()),
        }
    }

    /// Checks go-yaml makes when the first document is decoded into a map.
    fn check_mapping(&self, id: NodeId) -> WalkResult<()> {
        let arena = self.arena;
        let n = &arena.nodes[id];
        // Duplicate keys: same kind and same text. Reported like go-yaml:
        // the first key (in order) that has a later twin, and that twin.
        let keys: Vec<&node::Node> = n
            .content
            .iter()
            .step_by(2)
            .map(|&k| &arena.nodes[k])
            .collect();
        let same = |a: &node::Node, b: &node::Node| a.kind == b.kind && a.value == b.value;
        let mut first_dup: Option<(usize, usize)> = None;
        if keys.len() <= 32 {
            'outer: for i in 0..keys.len() {
                for j in i + 1..keys.len() {
                    if same(keys[i], keys[j]) {
                        first_dup = Some((i, j));
                        break 'outer;
                    }
                }
            }
        } else {
            let mut seen: HashMap<(u8, &str), usize> = HashMap::with_capacity(keys.len());
            for (pos, k) in keys.iter().enumerate() {
                match seen.get(&(k.kind as u8, k.value.as_ref())) {
                    Some(&prev) => {
                        let earlier = match first_dup {
                            None => true,
                            Some(found) => (prev, pos) < found,
                        };
                        if earlier {
                            first_dup = Some((prev, pos));
                        }
                    }
                    None => {
                        seen.insert((k.kind as u8, k.value.as_ref()), pos);
                    }
                }
            }
        }
        if let Some((a, b)) = first_dup {
            let (ka, kb) = (keys[a], keys[b]);
            return Err(format!(
                "line {}: mapping key {:?} already defined at line {}",
                kb.line_no, kb.value, ka.line_no
            )
            .into());
        }
        // Merge keys need a map, an alias of a map, or a list of those.
        // Only a plain `<<` is checked: sops writes a string key `<<` as
        // `!!merge <<: value` and reads such files back (it decodes an
        // encrypted file without this check), so an explicitly tagged one
        // is a plain key whatever its value.
        for pair in n.content.chunks(2) {
            let implicit = |k: NodeId| arena.nodes[k].style & node::style::TAGGED == 0;
            if pair.len() == 2 && arena.is_merge_key(pair[0]) && implicit(pair[0]) {
                let is_map = |x: NodeId| {
                    let m = &arena.nodes[x];
                    m.kind == Kind::Mapping
                        || (m.kind == Kind::Alias
                            && m.alias()
                                .is_some_and(|t| arena.nodes[t].kind == Kind::Mapping))
                };
                let v = &arena.nodes[pair[1]];
                let ok = match v.kind {
                    Kind::Sequence => v.content.iter().all(|&x| is_map(x)),
                    _ => is_map(pair[1]),
                };
                if !ok {
                    return Err(format!(
                        "map merge requires map or sequence of maps as the value (at {})",
                        self.where_(pair[1])
                    )
                    .into());
                }
            }
        }
        Ok(())
    }

    /// Start a value node (sops' `nodeToTreeValue(node, handled)`).
    fn start_value(&mut self, id: NodeId, handled: bool) -> WalkResult<Step> {
        let arena = self.arena;
        let mut id = id;
        let mut handled = handled;
        let mut alias_target = None;
        let n = loop {
            let n = &arena.nodes[id];
            if n.kind != Kind::Alias {
                break n;
            }
            let target = self.enter_alias(id)?;
            if alias_target.is_some() {
                // Aliases of aliases cannot be written in YAML; be safe.
                return Err(format!("alias of an alias at {}", self.where_(id)).into());
            }
            alias_target = Some(target);
            id = target;
            handled = false;
            self.count()?;
        };
        match n.kind {
            Kind::Scalar => {
                let v = self.scalar_value(id);
                if let Some(t) = alias_target {
                    self.leave_alias(t);
                }
                Ok(Step::Done(v?))
            }
            Kind::Mapping => {
                if self.first {
                    self.check_mapping(id)?;
                }
                let mut branch = Branch::with_capacity(n.content.len() / 2);
                if !handled {
                    Self::map_comments(&mut branch, n.head(), false);
                    Self::map_comments(&mut branch, n.line(), false);
                }
                Ok(Step::Frame(WalkFrame::Map {
                    node: id,
                    i: 0,
                    branch,
                    handled,
                    pending: None,
                    alias_target,
                }))
            }
            Kind::Sequence => {
                let mut list = Vec::with_capacity(n.content.len());
                if !handled {
                    Self::list_comments(&mut list, n.head(), false);
                    Self::list_comments(&mut list, n.line(), false);
                }
                Ok(Step::Frame(WalkFrame::Seq {
                    node: id,
                    i: 0,
                    list,
                    handled,
                    pending: None,
                    alias_target,
                }))
            }
            Kind::Alias | Kind::Document => {
                Err(format!("unexpected node at {}", self.where_(id)).into())
            }
        }
    }

    /// Run a mapping frame (and everything below it) to completion.
    fn run(&mut self, first_frame: WalkFrame) -> WalkResult<Value> {
        let arena = self.arena;
        if self.first {
            if let WalkFrame::Map { node, .. } = &first_frame {
                self.check_mapping(*node)?;
            }
        }
        // The root frame's own head/line comments.
        let mut first_frame = first_frame;
        if let WalkFrame::Map {
            node,
            branch,
            handled: false,
            ..
        } = &mut first_frame
        {
            let n = &arena.nodes[*node];
            Self::map_comments(branch, n.head(), false);
            Self::map_comments(branch, n.line(), false);
        }
        let mut stack: Vec<WalkFrame> = vec![first_frame];
        let mut delivered: Option<Value> = None;
        loop {
            let Some(top) = stack.last_mut() else {
                return Ok(delivered.unwrap_or(Value::Null));
            };
            // Hand a finished child value to its parent.
            if let Some(v) = delivered.take() {
                match top {
                    WalkFrame::Map {
                        branch, pending, ..
                    } => {
                        if let Some((key, value_node, key_node, handle_value_comments)) =
                            pending.take()
                        {
                            branch.push(Item {
                                key: Key::Str(key),
                                value: v,
                            });
                            if handle_value_comments {
                                Self::map_comments(branch, arena.nodes[value_node].foot(), false);
                            }
                            Self::map_comments(branch, arena.nodes[key_node].foot(), false);
                        }
                    }
                    WalkFrame::Seq { list, pending, .. } => {
                        if let Some(item) = pending.take() {
                            list.push(v);
                            Self::list_comments(list, arena.nodes[item].foot(), false);
                        }
                    }
                }
            }
            let step = match top {
                WalkFrame::Map {
                    node,
                    i,
                    branch,
                    pending,
                    ..
                } => {
                    let n = &arena.nodes[*node];
                    if *i + 1 < n.content.len() {
                        let key = n.content[*i];
                        let value = n.content[*i + 1];
                        *i += 2;
                        let kn = &arena.nodes[key];
                        Self::map_comments(branch, kn.head(), false);
                        Self::map_comments(branch, kn.line(), false);
                        let vn = &arena.nodes[value];
                        let handle_value_comments =
                            vn.kind == Kind::Scalar || vn.kind == Kind::Alias;
                        if handle_value_comments {
                            Self::map_comments(branch, vn.head(), false);
                            Self::map_comments(branch, vn.line(), true);
                        }
                        self.count()?;
                        if kn.kind == Kind::Alias {
                            if let Some(t) = kn.alias() {
                                self.charge_alias(key, t)?;
                            }
                        }
                        let key_text = self.key_string(key)?;
                        *pending = Some((key_text, value, key, handle_value_comments));
                        self.count()?;
                        Some((value, handle_value_comments))
                    } else {
                        None
                    }
                }
                WalkFrame::Seq {
                    node,
                    i,
                    list,
                    pending,
                    ..
                } => {
                    let n = &arena.nodes[*node];
                    if *i < n.content.len() {
                        let item = n.content[*i];
                        *i += 1;
                        let inode = &arena.nodes[item];
                        Self::list_comments(list, inode.head(), false);
                        Self::list_comments(list, inode.line(), true);
                        *pending = Some(item);
                        self.count()?;
                        Some((item, true))
                    } else {
                        None
                    }
                }
            };
            match step {
                Some((value, handled)) => match self.start_value(value, handled)? {
                    Step::Done(v) => delivered = Some(v),
                    Step::Frame(f) => {
                        if stack.len() >= MAX_TREE_DEPTH {
                            return Err(format!(
                                "nesting deeper than {MAX_TREE_DEPTH} levels of maps and lists (at {})",
                                self.where_(value)
                            ).into());
                        }
                        stack.push(f)
                    }
                },
                None => {
                    // The frame is complete.
                    let frame = stack.pop().expect("non-empty");
                    let (value, target) = match frame {
                        WalkFrame::Map {
                            node,
                            mut branch,
                            handled,
                            alias_target,
                            ..
                        } => {
                            if !handled {
                                Self::map_comments(&mut branch, arena.nodes[node].foot(), false);
                            }
                            (Value::Map(branch), alias_target)
                        }
                        WalkFrame::Seq {
                            node,
                            mut list,
                            handled,
                            alias_target,
                            ..
                        } => {
                            if !handled {
                                Self::list_comments(&mut list, arena.nodes[node].foot(), false);
                            }
                            (Value::List(list), alias_target)
                        }
                    };
                    if let Some(t) = target {
                        self.leave_alias(t);
                    }
                    delivered = Some(value);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests;
