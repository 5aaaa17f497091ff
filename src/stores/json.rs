//! The JSON store: a hand-written parser and emitter that reproduce sops
//! 3.11's JSON handling byte for byte (sops `stores/json/store.go`, which
//! walks `encoding/json` tokens and re-indents with `json.Indent`).
//!
//! Behaviour, as sops:
//!
//! * The document must be a JSON object; key order and duplicate keys are
//!   kept. A top-level array or scalar is an error (sops 3.13's message;
//!   the value of a scalar is not shown, as it may be a secret).
//! * Numbers are read as the sops version that wrote the file read them
//!   (sops 3.13.2 changed it; see [`Numbers`]): from 3.13.2 on, and for a
//!   document without `sops` metadata (a plaintext file), a number written
//!   as an integer that fits 64 bits is a `Value::Int` (`-0` is `0`) and
//!   every other number a `Value::Float`; a file whose `sops.version` is
//!   older reads every number as a `Value::Float`, as Go's `float64` (`1`,
//!   `1.0` and `1e0` are the same value, big integers lose precision, `-0`
//!   stays negative zero), so its MAC still verifies. A number beyond the
//!   `f64` range is an error. Floats are written in Go's `encoding/json`
//!   form: shortest round-trip digits (ties broken to even as Go does, see
//!   `crate::gofmt::go_shortest_digits`), plain decimal for
//!   1e-6 <= |x| < 1e21, else `1e+21` / `1e-7`. `Value::Int` is written as
//!   an integer, `Value::Time` as its RFC 3339 text,
//!   `Value::Bytes` as base64, as Go's `json.Marshal` does; NaN and
//!   infinities cannot be written (an error, as in sops).
//! * Invalid surrogate `\u` escapes decode to U+FFFD.
//! * Strings are written as Go does with HTML escaping on: `<`, `>`, `&`,
//!   U+2028 and U+2029 as `\u003c`…, control characters as `\n`, `\t`, `\r`,
//!   `\b`, `\f` or `\u00XX`; other non-ASCII text is written as is.
//! * Output is indented with a tab (or `indent` spaces), `"key": value`,
//!   empty containers as `{}` / `[]`, and ends with a newline. Comments in
//!   the tree are not written.
//! * Nesting deeper than 10 000 containers is refused, the limit Go's JSON
//!   scanner applies when sops re-indents.
//!
//! Deliberate differences (safer than sops, which silently loses data): we
//! reject invalid UTF-8 (sops replaces each bad byte with U+FFFD), any
//! non-whitespace text after the top-level object (sops ignores it), and a
//! document truncated inside a nested array (sops drops that entry).
//!
//! Error messages give line and column but never quote input text, which may
//! be secret. Parse errors have exit code 2 (`COULD_NOT_READ_INPUT_FILE`),
//! write errors 4 (`ERROR_DUMPING_TREE`).
//!
//! For `--extract`, sops prints a string value raw and a map with [`emit`];
//! only other values go through [`emit_value`] / [`emit_value_indent`].

use std::io::Write as _;

use crate::stores::{Result, StoreError};
use crate::tree::{Branch, Item, Key, Value};

/// Deepest container nesting accepted (the top-level object counts as 1).
pub const MAX_DEPTH: usize = 10_000;

/// How JSON numbers are read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Numbers {
    /// As the sops version that wrote the document: integers that fit 64
    /// bits are `Value::Int` from sops 3.13.2 on (and in a document without
    /// `sops` metadata), every number a `Value::Float` in a file an older
    /// sops wrote ([`crate::metadata::json_reads_ints`]). The MAC of a file
    /// covers its unencrypted numbers in the form its writer read them
    /// (`1234567890123456789` hashes as `1234567890123456800` before 3.13.2),
    /// so this is what keeps both kinds of files verifying.
    OfWriter,
    /// Every number a `Value::Float`, as Go's `encoding/json` reads into an
    /// `interface{}` (and every sops before 3.13.2 read JSON files).
    Floats,
}

/// Parse a JSON document into one [`Branch`], its numbers read as the sops
/// version that wrote it did ([`Numbers::OfWriter`]).
pub fn parse(input: &[u8]) -> Result<Vec<Branch>> {
    parse_numbers(input, Numbers::OfWriter)
}

/// [`parse`] with every number a float ([`Numbers::Floats`]).
pub fn parse_floats(input: &[u8]) -> Result<Vec<Branch>> {
    parse_numbers(input, Numbers::Floats)
}

/// Parse a JSON document, reading numbers as `numbers` says.
pub fn parse_numbers(input: &[u8], numbers: Numbers) -> Result<Vec<Branch>> {
    let src = match std::str::from_utf8(input) {
        Ok(s) => s,
        Err(e) => {
            let (line, col) = line_col(input, e.valid_up_to());
            return Err(StoreError::read(format!(
                "invalid JSON at line {line}, column {col}: invalid UTF-8"
            )));
        }
    };
    let mut p = Parser {
        src,
        b: src.as_bytes(),
        pos: 0,
        ints: 0,
        neg_zeros: Vec::new(),
    };
    let mut branch = p.document()?;
    // The parser reads integers as sops 3.13.2 does and notes which were
    // written `-0`; a file from an older sops gets its floats back (one
    // walk, only when it holds integers).
    if p.ints > 0 && (numbers == Numbers::Floats || !writer_reads_ints(&branch)) {
        ints_to_floats(&mut branch, &p.neg_zeros);
    }
    Ok(vec![branch])
}

/// Whether the sops version named in a document's `sops` metadata read
/// JSON integers as integers; a document without one is a plaintext file,
/// read as the sops rsops follows reads it.
fn writer_reads_ints(doc: &Branch) -> bool {
    crate::metadata::writer_version(doc).is_none_or(|v| crate::metadata::json_reads_ints(&v))
}

/// Turn every `Value::Int` into the float Go would have read from its
/// text; `neg_zeros` are the ordinals (in document order) of the integers
/// written `-0`, which are negative zero as floats.
fn ints_to_floats(doc: &mut Branch, neg_zeros: &[usize]) {
    enum It<'a> {
        Map(std::slice::IterMut<'a, Item>),
        List(std::slice::IterMut<'a, Value>),
    }
    let mut nth = 0usize;
    let mut neg = neg_zeros.iter().peekable();
    // An explicit stack: documents nest up to MAX_DEPTH deep.
    let mut stack = vec![It::Map(doc.iter_mut())];
    while let Some(top) = stack.last_mut() {
        let next = match top {
            It::Map(i) => i.next().map(|it| &mut it.value),
            It::List(i) => i.next(),
        };
        let Some(v) = next else {
            stack.pop();
            continue;
        };
        match v {
            Value::Map(m) => stack.push(It::Map(m.iter_mut())),
            Value::List(l) => stack.push(It::List(l.iter_mut())),
            Value::Int(i) => {
                *v = if neg.next_if_eq(&&nth).is_some() {
                    Value::Float(-0.0)
                } else {
                    Value::Float(*i as f64)
                };
                nth += 1;
            }
            _ => {}
        }
    }
}

/// Emit the first document as sops writes a JSON file. `indent`: `None` for
/// sops' default (one tab per level), `Some(n)` for `n` spaces (`--indent`).
pub fn emit(docs: &[Branch], indent: Option<usize>) -> Result<Vec<u8>> {
    let doc = docs
        .first()
        .ok_or_else(|| dump_err("there is no document to write".into()))?;
    let mut w = Writer::new(indent, 64 + doc.len() * 32);
    w.map(doc)?;
    w.out.push(b'\n');
    Ok(w.out)
}

/// What sops' JSON store prints for a single value (`decrypt --extract`):
/// indented like [`emit`] but with no trailing newline. A string is written
/// as a JSON string here; note sops' `--extract` itself prints a string
/// value raw and a map through [`emit`], using this only for other values.
pub fn emit_value(v: &Value) -> Result<Vec<u8>> {
    emit_value_indent(v, None)
}

/// [`emit_value`] with an explicit indent (`--indent` / `.sops.yaml`).
pub fn emit_value_indent(v: &Value, indent: Option<usize>) -> Result<Vec<u8>> {
    let mut w = Writer::new(indent, 64);
    w.value(v)?;
    Ok(w.out)
}

fn dump_err(msg: String) -> StoreError {
    StoreError::write(format!("error writing JSON: {msg}"))
}

use super::line_col;

// ---------------------------------------------------------------------------
// Parser

/// A container being parsed.
enum Frame {
    /// An object's entries so far, and the key waiting for a nested value.
    Object(Branch, Option<String>),
    Array(Vec<Value>),
}

struct Parser<'a> {
    src: &'a str,
    b: &'a [u8],
    pos: usize,
    /// How many numbers were read as `Value::Int`.
    ints: usize,
    /// The ordinals, among those, of the ones written `-0`.
    neg_zeros: Vec<usize>,
}

impl Parser<'_> {
    fn err(&self, what: &str) -> StoreError {
        let (line, col) = line_col(self.b, self.pos);
        StoreError::read(format!("invalid JSON at line {line}, column {col}: {what}"))
    }

    fn peek(&self) -> Option<u8> {
        self.b.get(self.pos).copied()
    }

    fn skip_ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.pos += 1;
        }
    }

    /// The whole document: one object, then only whitespace.
    fn document(&mut self) -> Result<Branch> {
        const ONLY_OBJECTS: &str =
            "SOPS only supports JSON files with a top-level object (starting with '{'), not";
        self.skip_ws();
        match self.peek() {
            Some(b'{') => self.pos += 1,
            None => return Err(self.err("unexpected end of input, expected a JSON object")),
            Some(b'[') => {
                return Err(StoreError::read(format!("{ONLY_OBJECTS} arrays or other types. Got delimiter [ instead. To encrypt this file, wrap it in an object, e.g., {{\"data\": [...]}}"),
                ))
            }
            Some(_) => {
                // Report a syntax error in the scalar first, as Go does.
                // sops also prints the value; it may be a secret.
                let v = self.scalar()?;
                let go_type = match v {
                    Value::Str(_) => "string",
                    Value::Int(_) => "int",
                    Value::Float(_) => "float64",
                    Value::Bool(_) => "bool",
                    _ => "<nil>",
                };
                return Err(StoreError::read(format!("{ONLY_OBJECTS} other JSON types. Got a value of type {go_type} instead (the value is not shown)"),
                ));
            }
        }
        let branch = self.containers()?;
        self.skip_ws();
        if self.pos < self.b.len() {
            return Err(self.err("unexpected data after the top-level object"));
        }
        Ok(branch)
    }

    /// Parse from just after the top-level `{` to its closing `}`, keeping
    /// an explicit stack so deep nesting cannot overflow the call stack.
    fn containers(&mut self) -> Result<Branch> {
        let mut stack: Vec<Frame> = vec![Frame::Object(Vec::new(), None)];
        // True right after `{` or `[`: the container may close at once and
        // no separator is expected.
        let mut fresh = true;
        loop {
            self.skip_ws();
            let is_obj = matches!(stack.last(), Some(Frame::Object(..)));
            let (close, what) = if is_obj {
                (b'}', "object")
            } else {
                (b']', "array")
            };
            let closing = match self.peek() {
                None => return Err(self.err(&format!("unexpected end of input in {what}"))),
                Some(c) if c == close => true,
                Some(b',') if !fresh => {
                    self.pos += 1;
                    self.skip_ws();
                    false
                }
                Some(_) if fresh => false,
                Some(_) if is_obj => {
                    return Err(self.err("expected ',' or '}' after object key:value pair"))
                }
                Some(_) => return Err(self.err("expected ',' or ']' after array element")),
            };
            if closing {
                self.pos += 1;
                let done = match stack.pop() {
                    Some(Frame::Object(items, _)) => Value::Map(items),
                    Some(Frame::Array(items)) => Value::List(items),
                    None => return Err(self.err("internal parser state error")),
                };
                if stack.is_empty() {
                    return match done {
                        Value::Map(m) => Ok(m),
                        _ => Err(self.err("internal parser state error")),
                    };
                }
                self.attach(&mut stack, done)?;
                fresh = false;
                continue;
            }
            // An entry follows: `"key": value` in an object, a value in an array.
            let key = if is_obj {
                match self.peek() {
                    Some(b'"') => {}
                    None => return Err(self.err("unexpected end of input in object")),
                    Some(_) => return Err(self.err("expected a string as object key")),
                }
                let key = self.string()?;
                self.skip_ws();
                match self.peek() {
                    Some(b':') => self.pos += 1,
                    None => return Err(self.err("unexpected end of input in object")),
                    Some(_) => return Err(self.err("expected ':' after object key")),
                }
                self.skip_ws();
                Some(key)
            } else {
                None
            };
            match self.peek() {
                Some(b'{' | b'[') => {
                    if let (Some(k), Some(Frame::Object(_, pending))) = (key, stack.last_mut()) {
                        *pending = Some(k);
                    }
                    self.open(&mut stack)?;
                    fresh = true;
                }
                _ => {
                    let v = self.scalar()?;
                    match (stack.last_mut(), key) {
                        (Some(Frame::Object(items, _)), Some(k)) => items.push(Item::new(k, v)),
                        (Some(Frame::Array(items)), None) => items.push(v),
                        _ => return Err(self.err("internal parser state error")),
                    }
                    fresh = false;
                }
            }
        }
    }

    /// Push a new container for the `{` or `[` at the current position.
    fn open(&mut self, stack: &mut Vec<Frame>) -> Result<()> {
        if stack.len() >= MAX_DEPTH {
            return Err(self.err("nesting exceeds the maximum depth of 10000"));
        }
        let frame = if self.b[self.pos] == b'{' {
            Frame::Object(Vec::new(), None)
        } else {
            Frame::Array(Vec::new())
        };
        self.pos += 1;
        stack.push(frame);
        Ok(())
    }

    /// Give a finished container to its parent.
    fn attach(&self, stack: &mut [Frame], v: Value) -> Result<()> {
        match stack.last_mut() {
            Some(Frame::Object(items, pending)) => match pending.take() {
                Some(k) => {
                    items.push(Item::new(k, v));
                    Ok(())
                }
                None => Err(self.err("internal parser state error")),
            },
            Some(Frame::Array(items)) => {
                items.push(v);
                Ok(())
            }
            None => Err(self.err("internal parser state error")),
        }
    }

    /// A string, number, `true`, `false` or `null`.
    fn scalar(&mut self) -> Result<Value> {
        match self.peek() {
            Some(b'"') => Ok(Value::Str(self.string()?)),
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(b't') => self.literal("true", Value::Bool(true)),
            Some(b'f') => self.literal("false", Value::Bool(false)),
            Some(b'n') => self.literal("null", Value::Null),
            None => Err(self.err("unexpected end of input, expected a value")),
            Some(_) => Err(self.err("invalid character looking for beginning of value")),
        }
    }

    fn literal(&mut self, word: &str, v: Value) -> Result<Value> {
        for &expected in word.as_bytes() {
            if self.peek() != Some(expected) {
                return Err(self.err(&format!("invalid literal (expected {word})")));
            }
            self.pos += 1;
        }
        Ok(v)
    }

    fn digits(&mut self) -> usize {
        let start = self.pos;
        while let Some(b'0'..=b'9') = self.peek() {
            self.pos += 1;
        }
        self.pos - start
    }

    /// A number, with JSON's grammar: as sops 3.13.2 reads it, an integer
    /// when the text is one that fits an `i64` (Go's `ParseInt`), else Go's
    /// `float64`.
    fn number(&mut self) -> Result<Value> {
        let start = self.pos;
        let mut integer = true;
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        match self.peek() {
            Some(b'0') => self.pos += 1,
            Some(b'1'..=b'9') => {
                self.digits();
            }
            _ => return Err(self.err("invalid character in numeric literal")),
        }
        if self.peek() == Some(b'.') {
            integer = false;
            self.pos += 1;
            if self.digits() == 0 {
                return Err(self.err("expected a digit after decimal point in numeric literal"));
            }
        }
        if let Some(b'e' | b'E') = self.peek() {
            integer = false;
            self.pos += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.pos += 1;
            }
            if self.digits() == 0 {
                return Err(self.err("expected a digit in exponent of numeric literal"));
            }
        }
        let text = &self.src[start..self.pos];
        if integer {
            if let Ok(i) = text.parse::<i64>() {
                if i == 0 && text.starts_with('-') {
                    self.neg_zeros.push(self.ints);
                }
                self.ints += 1;
                return Ok(Value::Int(i));
            }
        }
        match text.parse::<f64>() {
            Ok(f) if f.is_finite() => Ok(Value::Float(f)),
            _ => {
                self.pos = start;
                Err(self.err("number is out of the range of a 64-bit float"))
            }
        }
    }

    /// A string starting at the current `"`.
    fn string(&mut self) -> Result<String> {
        self.pos += 1; // opening quote
        let start = self.pos;
        // Fast path: no escapes.
        loop {
            match self.peek() {
                Some(b'"') => {
                    let s = self.src[start..self.pos].to_string();
                    self.pos += 1;
                    return Ok(s);
                }
                Some(b'\\') => break,
                Some(c) if c < 0x20 => {
                    return Err(self.err("invalid control character in string literal"))
                }
                Some(_) => self.pos += 1,
                None => return Err(self.err("unexpected end of input in string literal")),
            }
        }
        let mut s = String::with_capacity(self.pos - start + 16);
        s.push_str(&self.src[start..self.pos]);
        let mut run = self.pos;
        loop {
            match self.peek() {
                Some(b'"') => {
                    s.push_str(&self.src[run..self.pos]);
                    self.pos += 1;
                    return Ok(s);
                }
                Some(b'\\') => {
                    s.push_str(&self.src[run..self.pos]);
                    self.escape(&mut s)?;
                    run = self.pos;
                }
                Some(c) if c < 0x20 => {
                    return Err(self.err("invalid control character in string literal"))
                }
                Some(_) => self.pos += 1,
                None => return Err(self.err("unexpected end of input in string literal")),
            }
        }
    }

    /// Decode the escape sequence at the current backslash into `s`.
    fn escape(&mut self, s: &mut String) -> Result<()> {
        self.pos += 1;
        let c = match self.peek() {
            Some(c) => c,
            None => return Err(self.err("unexpected end of input in string escape")),
        };
        self.pos += 1;
        match c {
            b'"' => s.push('"'),
            b'\\' => s.push('\\'),
            b'/' => s.push('/'),
            b'b' => s.push('\u{8}'),
            b'f' => s.push('\u{c}'),
            b'n' => s.push('\n'),
            b'r' => s.push('\r'),
            b't' => s.push('\t'),
            b'u' => {
                let hi = self.hex4()?;
                if (0xD800..0xE000).contains(&hi) {
                    // Go: a valid high+low pair is one character; anything
                    // else is U+FFFD and the next escape is read on its own.
                    if (0xD800..0xDC00).contains(&hi)
                        && self.b.get(self.pos) == Some(&b'\\')
                        && self.b.get(self.pos + 1) == Some(&b'u')
                    {
                        let save = self.pos;
                        self.pos += 2;
                        match self.hex4() {
                            Ok(lo) if (0xDC00..0xE000).contains(&lo) => {
                                let cp = 0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00);
                                s.push(char::from_u32(cp).unwrap_or('\u{FFFD}'));
                                return Ok(());
                            }
                            _ => self.pos = save,
                        }
                    }
                    s.push('\u{FFFD}');
                } else {
                    s.push(char::from_u32(hi).unwrap_or('\u{FFFD}'));
                }
            }
            _ => {
                self.pos -= 1;
                return Err(self.err("invalid character in string escape code"));
            }
        }
        Ok(())
    }

    fn hex4(&mut self) -> Result<u32> {
        let mut v = 0u32;
        for _ in 0..4 {
            let d = match self.peek() {
                Some(c @ b'0'..=b'9') => c - b'0',
                Some(c @ b'a'..=b'f') => c - b'a' + 10,
                Some(c @ b'A'..=b'F') => c - b'A' + 10,
                _ => return Err(self.err("invalid character in \\u hexadecimal character escape")),
            };
            v = v * 16 + u32::from(d);
            self.pos += 1;
        }
        Ok(v)
    }
}

// ---------------------------------------------------------------------------
// Emitter

/// A container being written: its remaining entries.
enum EFrame<'a> {
    Map(std::slice::Iter<'a, Item>),
    List(std::slice::Iter<'a, Value>),
}

/// Writes the indented form `json.Indent` gives sops' compact encoding.
struct Writer {
    out: Vec<u8>,
    indent: Vec<u8>,
}

impl Writer {
    fn new(indent: Option<usize>, capacity: usize) -> Self {
        Writer {
            out: Vec::with_capacity(capacity),
            indent: match indent {
                None => b"\t".to_vec(),
                Some(n) => vec![b' '; n],
            },
        }
    }

    fn newline(&mut self, depth: usize) {
        self.out.push(b'\n');
        for _ in 0..depth {
            self.out.extend_from_slice(&self.indent);
        }
    }

    fn map(&mut self, m: &Branch) -> Result<()> {
        self.container(Container::Map(m))
    }

    fn value(&mut self, v: &Value) -> Result<()> {
        match v {
            Value::Map(m) => self.container(Container::Map(m)),
            Value::List(l) => self.container(Container::List(l)),
            other => scalar(&mut self.out, other),
        }
    }

    /// Write a map or list and everything below it, iteratively.
    fn container(&mut self, root: Container<'_>) -> Result<()> {
        let mut stack: Vec<EFrame<'_>> = Vec::new();
        self.open(root, &mut stack)?;
        loop {
            let depth = stack.len();
            let Some(frame) = stack.last_mut() else { break };
            // Next entry of the innermost container, skipping comments.
            let next: Option<(Option<&String>, &Value)> = match frame {
                EFrame::Map(it) => it.find_map(|item| match &item.key {
                    Key::Str(k) => Some((Some(k), &item.value)),
                    Key::Comment(_) => None,
                }),
                EFrame::List(it) => it.find(|v| !v.is_comment()).map(|v| (None, v)),
            };
            match next {
                None => {
                    let close = match stack.pop() {
                        Some(EFrame::Map(_)) => b'}',
                        _ => b']',
                    };
                    self.newline(depth - 1);
                    self.out.push(close);
                }
                Some((key, v)) => {
                    // The first entry directly follows its container's
                    // opening bracket; later ones need a comma.
                    let last = self.out.last().copied();
                    if last != Some(b'{') && last != Some(b'[') {
                        self.out.push(b',');
                    }
                    self.newline(depth);
                    if let Some(k) = key {
                        write_str(&mut self.out, k);
                        self.out.extend_from_slice(b": ");
                    }
                    match v {
                        Value::Map(m) => self.open(Container::Map(m), &mut stack)?,
                        Value::List(l) => self.open(Container::List(l), &mut stack)?,
                        other => scalar(&mut self.out, other)?,
                    }
                }
            }
        }
        Ok(())
    }

    /// Write the opening of a container; empty ones are written whole.
    fn open<'a>(&mut self, c: Container<'a>, stack: &mut Vec<EFrame<'a>>) -> Result<()> {
        let (open, close, empty) = match c {
            Container::Map(m) => (b'{', b'}', !m.iter().any(|i| matches!(i.key, Key::Str(_)))),
            Container::List(l) => (b'[', b']', l.iter().all(Value::is_comment)),
        };
        if stack.len() >= MAX_DEPTH {
            return Err(dump_err(
                "nesting exceeds the maximum depth of 10000".into(),
            ));
        }
        self.out.push(open);
        if empty {
            self.out.push(close);
        } else {
            stack.push(match c {
                Container::Map(m) => EFrame::Map(m.iter()),
                Container::List(l) => EFrame::List(l.iter()),
            });
        }
        Ok(())
    }
}

#[derive(Clone, Copy)]
enum Container<'a> {
    Map(&'a Branch),
    List(&'a [Value]),
}

/// A leaf as Go's `json.Marshal` writes it.
fn scalar(out: &mut Vec<u8>, v: &Value) -> Result<()> {
    match v {
        Value::Str(s) => write_str(out, s),
        Value::Time(t) => write_str(out, t),
        Value::Int(i) => {
            let _ = write!(out, "{i}");
        }
        Value::Float(f) => write_float(out, *f)?,
        Value::Bool(true) => out.extend_from_slice(b"true"),
        Value::Bool(false) => out.extend_from_slice(b"false"),
        Value::Null => out.extend_from_slice(b"null"),
        Value::Bytes(b) => {
            use base64::Engine as _;
            out.push(b'"');
            out.extend_from_slice(
                base64::engine::general_purpose::STANDARD
                    .encode(b)
                    .as_bytes(),
            );
            out.push(b'"');
        }
        Value::Comment(c) => {
            // json.Marshal(sops.Comment{Value: …})
            out.extend_from_slice(b"{\"Value\":");
            write_str(out, &c.value);
            out.push(b'}');
        }
        Value::Map(_) | Value::List(_) => {
            return Err(dump_err(
                "internal error: container written as a scalar".into(),
            ))
        }
    }
    Ok(())
}

/// A float as Go's `encoding/json` writes a `float64` (ES6 number form).
fn write_float(out: &mut Vec<u8>, f: f64) -> Result<()> {
    if !f.is_finite() {
        return Err(dump_err(
            "unsupported value: NaN and infinity cannot be written in JSON".into(),
        ));
    }
    let abs = f.abs();
    if f.fract() == 0.0 && abs < 1e15 {
        // Integral values below 2^53 print as integers; fast path.
        if f == 0.0 && f.is_sign_negative() {
            out.extend_from_slice(b"-0");
        } else {
            let _ = write!(out, "{}", f as i64);
        }
        return Ok(());
    }
    if abs != 0.0 && !(1e-6..1e21).contains(&abs) {
        // Exponent form; Go then shortens `e-07` to `e-7`.
        let s = crate::gofmt::go_format_float(f, 'e');
        match s.split_once("e-0") {
            Some((mant, digit)) => {
                out.extend_from_slice(mant.as_bytes());
                out.extend_from_slice(b"e-");
                out.extend_from_slice(digit.as_bytes());
            }
            None => out.extend_from_slice(s.as_bytes()),
        }
    } else {
        out.extend_from_slice(crate::gofmt::go_format_float(f, 'f').as_bytes());
    }
    Ok(())
}

/// Bytes written unchanged inside a JSON string (Go's `htmlSafeSet`).
static SAFE: [bool; 128] = {
    let mut t = [false; 128];
    let mut i = 0x20;
    while i < 128 {
        t[i] = !matches!(i as u8, b'"' | b'\\' | b'<' | b'>' | b'&');
        i += 1;
    }
    t
};

/// A JSON string as Go's `json.Marshal` (HTML escaping on) writes it.
pub(crate) fn write_str(out: &mut Vec<u8>, s: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let b = s.as_bytes();
    out.reserve(b.len() + 2);
    out.push(b'"');
    let mut run = 0;
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c < 0x80 {
            if SAFE[c as usize] {
                i += 1;
                continue;
            }
            out.extend_from_slice(&b[run..i]);
            match c {
                b'"' => out.extend_from_slice(b"\\\""),
                b'\\' => out.extend_from_slice(b"\\\\"),
                b'\n' => out.extend_from_slice(b"\\n"),
                b'\r' => out.extend_from_slice(b"\\r"),
                b'\t' => out.extend_from_slice(b"\\t"),
                0x08 => out.extend_from_slice(b"\\b"),
                0x0c => out.extend_from_slice(b"\\f"),
                _ => out.extend_from_slice(&[
                    b'\\',
                    b'u',
                    b'0',
                    b'0',
                    HEX[(c >> 4) as usize],
                    HEX[(c & 0xf) as usize],
                ]),
            }
            i += 1;
            run = i;
        } else if c == 0xE2
            && b.get(i + 1) == Some(&0x80)
            && matches!(b.get(i + 2), Some(0xA8 | 0xA9))
        {
            // U+2028 LINE SEPARATOR / U+2029 PARAGRAPH SEPARATOR
            out.extend_from_slice(&b[run..i]);
            out.extend_from_slice(if b[i + 2] == 0xA8 {
                b"\\u2028"
            } else {
                b"\\u2029"
            });
            i += 3;
            run = i;
        } else {
            i += 1;
        }
    }
    out.extend_from_slice(&b[run..]);
    out.push(b'"');
}

// ---------------------------------------------------------------------------
// Compact Go marshalling (used by the INI store's `emit_value`)

/// Go's `json.Marshal(v)` of a sops tree value, compact. Maps are sops
/// `TreeBranch` values, i.e. Go slices of `TreeItem` structs, so they come
/// out as `[{"Key":"k","Value":…}]`; comments as `{"Value":"…"}`.
pub(crate) fn go_marshal_compact(v: &Value) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    marshal_into(&mut out, v, 0)?;
    Ok(out)
}

/// Maximum nesting for the (recursive) compact marshaller.
const MAX_COMPACT_DEPTH: usize = 1000;

fn marshal_into(out: &mut Vec<u8>, v: &Value, depth: usize) -> Result<()> {
    if depth > MAX_COMPACT_DEPTH {
        return Err(dump_err("value is nested too deeply".into()));
    }
    match v {
        Value::List(l) => {
            out.push(b'[');
            for (i, e) in l.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                marshal_into(out, e, depth + 1)?;
            }
            out.push(b']');
        }
        Value::Map(m) => {
            out.push(b'[');
            for (i, item) in m.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                out.extend_from_slice(b"{\"Key\":");
                match &item.key {
                    Key::Str(k) => write_str(out, k),
                    Key::Comment(c) => {
                        out.extend_from_slice(b"{\"Value\":");
                        write_str(out, &c.value);
                        out.push(b'}');
                    }
                }
                out.extend_from_slice(b",\"Value\":");
                marshal_into(out, &item.value, depth + 1)?;
                out.push(b'}');
            }
            out.push(b']');
        }
        other => scalar(out, other)?,
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stores::flatten::test_support as ts;
    use crate::tree::Comment;

    fn rt(input: &str) -> String {
        String::from_utf8(emit(&parse(input.as_bytes()).unwrap(), None).unwrap()).unwrap()
    }

    #[test]
    fn corpus_round_trips_match_sops() {
        // The expected outputs were made with sops 3.11, which read every
        // number as a float.
        let n = ts::run_round_trips("json-corpus", "json", parse_floats, emit);
        assert!(n >= 15, "only {n} corpus files");
    }

    #[test]
    fn corpus_indents_match_sops() {
        let dir = ts::corpus_dir("json-corpus");
        let all = ts::files(&dir, "json");
        let mut n = 0;
        for (name, expected) in &all {
            let Some((stem, rest)) = name.split_once(".indent") else {
                continue;
            };
            let indent: usize = rest.split('.').next().unwrap().parse().unwrap();
            let input = std::fs::read(dir.join(format!("{stem}.json"))).unwrap();
            let got = emit(&parse(&input).unwrap(), Some(indent)).unwrap();
            assert_eq!(ts::show(&got), ts::show(expected), "{name}");
            n += 1;
        }
        assert!(n >= 9);
    }

    #[test]
    fn corpus_invalid_inputs_rejected() {
        assert!(ts::run_invalid("json-corpus", "json", parse) >= 30);
    }

    #[test]
    fn sops_encrypted_files_round_trip_exactly() {
        let all = ts::files(&ts::corpus_dir("json-corpus").join("encrypted"), "json");
        assert!(all.len() >= 2);
        for (name, enc) in &all {
            let docs = parse(enc).unwrap();
            // The metadata is an ordinary nested map in JSON.
            let sops = docs[0]
                .iter()
                .find(|i| i.key_str() == Some("sops"))
                .unwrap();
            assert!(matches!(sops.value, Value::Map(_)), "{name}");
            assert_eq!(
                ts::show(&emit(&docs, None).unwrap()),
                ts::show(enc),
                "{name}"
            );
        }
    }

    fn num(d: &[Branch], k: &str) -> Value {
        d[0].iter()
            .find(|i| i.key_str() == Some(k))
            .map(|i| i.value.clone())
            .unwrap()
    }

    fn is_neg_zero(v: &Value) -> bool {
        matches!(v, Value::Float(f) if *f == 0.0 && f.is_sign_negative())
    }

    const NUMBERS: &str = r#""a": 1, "b": -0, "c": 1e3, "d": [2, [-0, 3]], "e": 2.0,
        "big": 1234567890123456789, "max": 9223372036854775807, "min": -9223372036854775808,
        "over": 9223372036854775808, "neg": -5, "f": -0.0"#;

    /// sops 3.13.2: an integer that fits 64 bits is an int (`-0` is `0`),
    /// anything else a float. A plaintext document (no metadata) and a
    /// file of 3.13.2 or newer are read so.
    #[test]
    fn integers_are_ints_from_sops_3_13_2() {
        for doc in [
            format!("{{{NUMBERS}}}"),
            format!("{{{NUMBERS}, \"sops\": {{\"version\": \"3.13.2\"}}}}"),
            format!("{{{NUMBERS}, \"sops\": {{\"Version\": \"3.14.0\"}}}}"),
        ] {
            let d = parse(doc.as_bytes()).unwrap();
            assert_eq!(num(&d, "a"), Value::Int(1));
            assert_eq!(num(&d, "b"), Value::Int(0));
            assert_eq!(num(&d, "c"), Value::Float(1000.0));
            assert_eq!(
                num(&d, "d"),
                Value::List(vec![
                    Value::Int(2),
                    Value::List(vec![Value::Int(0), Value::Int(3)])
                ])
            );
            assert_eq!(num(&d, "e"), Value::Float(2.0));
            assert_eq!(num(&d, "big"), Value::Int(1234567890123456789));
            assert_eq!(num(&d, "max"), Value::Int(i64::MAX));
            assert_eq!(num(&d, "min"), Value::Int(i64::MIN));
            assert_eq!(num(&d, "over"), Value::Float(9223372036854775808.0));
            assert_eq!(num(&d, "neg"), Value::Int(-5));
            assert!(is_neg_zero(&num(&d, "f")));
            // Written back exactly.
            let out = String::from_utf8(emit(&d, Some(0)).unwrap()).unwrap();
            assert!(out.contains("\"big\": 1234567890123456789,"), "{out}");
            assert!(out.contains("\"b\": 0,"), "{out}");
        }
    }

    /// Older sops read every JSON number as a float; a file it wrote is
    /// still read so (its MAC covers the float forms), `-0` included.
    #[test]
    fn files_of_older_sops_read_every_number_as_a_float() {
        for version in ["3.11.0", "3.13.1", "v3.12.0", "2.0.10", "1.15"] {
            let doc = format!("{{{NUMBERS}, \"sops\": {{\"version\": \"{version}\"}}}}");
            let d = parse(doc.as_bytes()).unwrap();
            assert_eq!(num(&d, "a"), Value::Float(1.0), "{version}");
            assert!(is_neg_zero(&num(&d, "b")), "{version}");
            let Value::List(l) = num(&d, "d") else {
                panic!()
            };
            assert_eq!(l[0], Value::Float(2.0));
            let Value::List(inner) = &l[1] else { panic!() };
            assert!(is_neg_zero(&inner[0]) && inner[1] == Value::Float(3.0));
            assert_eq!(num(&d, "big"), Value::Float(1234567890123456789.0));
            assert_eq!(num(&d, "neg"), Value::Float(-5.0));
            assert!(is_neg_zero(&num(&d, "f")));
            // The metadata's numbers too: they are read as text anyway.
            let out = String::from_utf8(emit(&d, Some(0)).unwrap()).unwrap();
            assert!(out.contains("\"big\": 1234567890123456800,"), "{out}");
            assert!(out.contains("\"b\": -0,"), "{out}");
        }
        // SOPS 1.x wrote the version as a number.
        let d = parse(br#"{"a": 1, "sops": {"version": 1.8}}"#).unwrap();
        assert_eq!(num(&d, "a"), Value::Float(1.0));
        // parse_floats: always floats.
        let d = parse_floats(br#"{"a": -0, "b": 7}"#).unwrap();
        assert!(is_neg_zero(&num(&d, "a")));
        assert_eq!(num(&d, "b"), Value::Float(7.0));
    }

    #[test]
    fn top_level_non_objects_are_refused_with_sops_3_13_text() {
        let e = parse(b" [1, 2]").unwrap_err();
        assert!(matches!(e, crate::stores::StoreError::Read(_)), "{}", e);
        assert_eq!(
            e.to_string(),
            "SOPS only supports JSON files with a top-level object (starting with '{'), not arrays or other types. Got delimiter [ instead. To encrypt this file, wrap it in an object, e.g., {\"data\": [...]}"
        );
        for (doc, t) in [
            ("42", "int"),
            ("4.5", "float64"),
            ("1e400", ""),
            ("\"x\"", "string"),
            ("true", "bool"),
            ("null", "<nil>"),
        ] {
            let e = parse(doc.as_bytes()).unwrap_err();
            if t.is_empty() {
                // Not a number a float64 holds: the syntax error first.
                assert!(e.to_string().contains("range"), "{}", e.to_string());
                continue;
            }
            assert_eq!(
                e.to_string(),
                format!("SOPS only supports JSON files with a top-level object (starting with '{{'), not other JSON types. Got a value of type {t} instead (the value is not shown)")
            );
        }
    }

    #[test]
    fn float_output_matches_go() {
        let f = |x: f64| {
            let mut o = Vec::new();
            write_float(&mut o, x).unwrap();
            String::from_utf8(o).unwrap()
        };
        assert_eq!(f(1.0), "1");
        assert_eq!(f(-0.0), "-0");
        assert_eq!(f(1e21), "1e+21");
        assert_eq!(f(1e20), "100000000000000000000");
        assert_eq!(f(1e-6), "0.000001");
        assert_eq!(f(1e-7), "1e-7");
        assert_eq!(f(1.5e-10), "1.5e-10");
        assert_eq!(f(1.2345678901234568e22), "1.2345678901234568e+22");
        assert_eq!(f(5e-324), "5e-324");
        assert!(write_float(&mut Vec::new(), f64::NAN).is_err());
        assert!(write_float(&mut Vec::new(), f64::INFINITY).is_err());
    }

    #[test]
    fn stricter_than_sops() {
        // sops ignores trailing data, replaces invalid UTF-8 with U+FFFD and
        // silently drops an entry truncated inside an array: we refuse.
        for bad in [
            &b"{\"a\": 1} garbage"[..],
            b"{\"a\": 1}}",
            b"{\"a\": 1}\n{\"b\": 2}",
            b"{\"a\": 1}\x00",
            b"{\"a\": \"\xff\"}",
            b"{\"\xed\xa0\x80\": 1}",
            b"{\"x\": 1, \"a\": [1, 2",
        ] {
            let e = parse(bad).unwrap_err();
            assert!(matches!(e, crate::stores::StoreError::Read(_)), "{}", e);
        }
    }

    #[test]
    fn errors_have_position_but_no_values() {
        let e = parse(b"{\n  \"password\": \"hunter2\" x}").unwrap_err();
        assert!(e.to_string().contains("line 2"), "{}", e.to_string());
        assert!(!e.to_string().contains("hunter2") && !e.to_string().contains("password"));
        let e = parse(b"{\"a\": 1e999}").unwrap_err();
        assert!(!e.to_string().contains("999"), "{}", e.to_string());
        let e = parse(b"[\"secret\"]").unwrap_err();
        assert!(!e.to_string().contains("secret"), "{}", e.to_string());
        let e = parse(b"\"secret\"").unwrap_err();
        assert!(!e.to_string().contains("secret"), "{}", e.to_string());
    }

    fn nested(depth: usize) -> Vec<u8> {
        // `depth` containers in total, the top-level object included.
        let mut s = b"{\"a\":".to_vec();
        s.extend(std::iter::repeat_n(b'[', depth - 1));
        s.extend(std::iter::repeat_n(b']', depth - 1));
        s.push(b'}');
        s
    }

    #[test]
    fn depth_limit_matches_sops() {
        // sops (Go's scanner) accepts 10000 levels and refuses 10001.
        let docs = parse(&nested(MAX_DEPTH)).unwrap();
        let out = emit(&docs, Some(0)).unwrap();
        assert_eq!(out.iter().filter(|&&c| c == b'[').count(), MAX_DEPTH - 1);
        let e = parse(&nested(MAX_DEPTH + 1)).unwrap_err();
        assert!(matches!(e, crate::stores::StoreError::Read(_)), "{}", e);
        assert!(e.to_string().contains("depth"));
        // A tree built elsewhere (e.g. from YAML) that is too deep to write.
        let mut v = Value::List(vec![]);
        for _ in 0..MAX_DEPTH {
            v = Value::List(vec![v]);
        }
        let e = emit(&[vec![Item::new("a", v)]], None).unwrap_err();
        assert!(matches!(e, crate::stores::StoreError::Write(_)), "{}", e);
        drop(docs);
    }

    #[test]
    fn layout() {
        assert_eq!(rt("{}"), "{}\n");
        assert_eq!(
            rt(r#"{"a":{},"b":[]}"#),
            "{\n\t\"a\": {},\n\t\"b\": []\n}\n"
        );
        assert_eq!(
            rt(r#"{"a":[[1],[]]}"#),
            "{\n\t\"a\": [\n\t\t[\n\t\t\t1\n\t\t],\n\t\t[]\n\t]\n}\n"
        );
        let d = parse(br#"{"a":[1,{"b":2}]}"#).unwrap();
        assert_eq!(
            String::from_utf8(emit(&d, Some(2)).unwrap()).unwrap(),
            "{\n  \"a\": [\n    1,\n    {\n      \"b\": 2\n    }\n  ]\n}\n"
        );
        assert_eq!(
            String::from_utf8(emit(&d, Some(0)).unwrap()).unwrap(),
            "{\n\"a\": [\n1,\n{\n\"b\": 2\n}\n]\n}\n"
        );
    }

    #[test]
    fn other_value_kinds_and_comments() {
        let doc = vec![
            Item::comment(Comment::new(" dropped")),
            Item::new("i", Value::Int(-7)),
            Item::new("t", Value::Time("2001-12-14T21:59:43.1Z".into())),
            Item::new("b", Value::Bytes(b"hi".to_vec())),
            Item::new(
                "l",
                Value::List(vec![Value::Comment(Comment::new("x")), Value::Bool(false)]),
            ),
            Item::new(
                "only_comments",
                Value::List(vec![Value::Comment(Comment::new("x"))]),
            ),
            Item::new("m", Value::Map(vec![Item::comment(Comment::new("c"))])),
        ];
        assert_eq!(
            String::from_utf8(emit(&[doc], None).unwrap()).unwrap(),
            "{\n\t\"i\": -7,\n\t\"t\": \"2001-12-14T21:59:43.1Z\",\n\t\"b\": \"aGk=\",\n\t\"l\": [\n\t\tfalse\n\t],\n\t\"only_comments\": [],\n\t\"m\": {}\n}\n"
        );
        let e = emit(&[vec![Item::new("n", Value::Float(f64::NAN))]], None).unwrap_err();
        assert!(matches!(e, crate::stores::StoreError::Write(_)), "{}", e);
        assert!(emit(&[], None).is_err());
    }

    #[test]
    fn extract_values_match_sops() {
        let d = parse(br#"{"a": {"b": [1, "x", {"c": true}], "e": {}, "f": []}, "s": "hi<>", "n": null, "num": 1.5}"#)
            .unwrap();
        let get = |k: &str| &d[0].iter().find(|i| i.key_str() == Some(k)).unwrap().value;
        let Value::Map(a) = get("a") else { panic!() };
        let ev = |v: &Value| String::from_utf8(emit_value(v).unwrap()).unwrap();
        assert_eq!(
            ev(&a[0].value),
            "[\n\t1,\n\t\"x\",\n\t{\n\t\t\"c\": true\n\t}\n]"
        );
        assert_eq!(ev(&a[2].value), "[]");
        assert_eq!(ev(&a[1].value), "{}");
        assert_eq!(ev(get("n")), "null");
        assert_eq!(ev(get("num")), "1.5");
        assert_eq!(ev(get("s")), "\"hi\\u003c\\u003e\"");
        assert_eq!(
            String::from_utf8(emit_value_indent(&a[0].value, Some(1)).unwrap()).unwrap(),
            "[\n 1,\n \"x\",\n {\n  \"c\": true\n }\n]"
        );
    }

    #[test]
    fn compact_go_marshal() {
        let v = Value::List(vec![
            Value::Str("a".into()),
            Value::Float(1.0),
            Value::Map(vec![
                Item::new("k", Value::Null),
                Item::comment(Comment::new("c")),
            ]),
            Value::Comment(Comment::new("d")),
        ]);
        assert_eq!(
            String::from_utf8(go_marshal_compact(&v).unwrap()).unwrap(),
            r#"["a",1,[{"Key":"k","Value":null},{"Key":{"Value":"c"},"Value":null}],{"Value":"d"}]"#
        );
    }

    #[test]
    fn never_panics_on_mutated_corpus() {
        let dir = ts::corpus_dir("json-corpus");
        let mut inputs = ts::files(&dir, "json");
        inputs.extend(ts::files(&dir.join("invalid"), "json"));
        for (_, input) in inputs
            .iter()
            .filter(|(n, i)| !n.contains(".expected.") && i.len() < 1200)
        {
            ts::no_panic_on_mutations(input, parse, emit);
        }
    }

    /// `cargo test --release --lib stores::json::tests::speed -- --ignored --nocapture`
    #[test]
    #[ignore]
    fn speed() {
        let mut s = String::from("{\"items\": [");
        let mut i = 0;
        while s.len() < 1_000_000 {
            if i > 0 {
                s.push(',');
            }
            s.push_str(&format!(
                "{{\"id\": {i}, \"name\": \"item number {i}\", \"price\": {}.25, \"tags\": [\"a\", \"b<c>\", \"caf\u{e9}\"], \"ok\": true, \"note\": null, \"esc\": \"line\\nbreak \\u00e9\"}}",
                i * 3
            ));
            i += 1;
        }
        s.push_str("]}");
        let runs = 20;
        let mut best = std::time::Duration::MAX;
        let mut best_parse = std::time::Duration::MAX;
        for _ in 0..runs {
            let t = std::time::Instant::now();
            let d = parse(s.as_bytes()).unwrap();
            let tp = t.elapsed();
            let out = emit(&d, None).unwrap();
            let el = t.elapsed();
            assert!(out.len() > s.len() / 2);
            best = best.min(el);
            best_parse = best_parse.min(tp);
        }
        eprintln!(
            "JSON {} bytes: parse {:?}, parse+emit {:?} (best of {runs})",
            s.len(),
            best_parse,
            best
        );
    }
}
