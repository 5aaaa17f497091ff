//! The TOML store. sops has no TOML store, so the layout follows what rops
//! (gibbz00/rops) users know, with the values and metadata rsops writes for
//! every other format:
//!
//! ```toml
//! # a comment (encrypted, as sops does in YAML)
//! password = "ENC[AES256_GCM,data:…,iv:…,tag:…,type:str]"
//! port = "ENC[AES256_GCM,data:…,iv:…,tag:…,type:int]"
//! public_unencrypted = "visible"
//!
//! [database]
//! user = "ENC[AES256_GCM,data:…,type:str]"
//!
//! [sops]
//! lastmodified = "2024-01-01T00:00:00Z"
//! mac = "ENC[AES256_GCM,data:…,type:str]"
//! unencrypted_suffix = "_unencrypted"
//! version = "3.13.2"
//!
//! [[sops.age]]
//! enc = """
//! -----BEGIN AGE ENCRYPTED FILE-----
//! …
//! -----END AGE ENCRYPTED FILE-----
//! """
//! recipient = "age1…"
//! ```
//!
//! * Every encrypted value is a TOML string `ENC[…]` whose `type:` tag
//!   (`str`, `int`, `float`, `bool`, `time`) restores the TOML type on
//!   decryption. The additional data is the key path, as in every store.
//! * The metadata is a `[sops]` table with the same fields, nested the same
//!   way, as the YAML/JSON `sops` map: key lists are arrays of tables
//!   (`[[sops.age]]`, `[[sops.key_groups]]` with `[[sops.key_groups.age]]`…).
//!   Its scalars come first, then its arrays of tables (TOML requires it).
//! * Key order is kept (the tree's order, which is the MAC's order). Tables
//!   are written as `[a.b]` sections and arrays of tables as `[[a]]`, unless
//!   a plain value follows them in the same table: then they are written as
//!   dotted keys (`a.b = 1`) or inline, so that reading the file back gives
//!   the same order.
//! * Comments are kept: a comment line stands before the entry it precedes
//!   (and is encrypted, with the `comment` type, like sops' YAML comments);
//!   a comment at the end of a line (`a = 1 # note`) is recorded before its
//!   entry as an inline comment and written back at the end of the line.
//!   Comments inside inline tables cannot be written back and are dropped.
//! * Integers, floats, booleans and offset date-times map to the tree's
//!   `Int`, `Float`, `Bool` and `Time` (an offset date-time is normalised to
//!   RFC 3339 as Go prints it: `T`, `Z` for UTC, no trailing zeros in the
//!   fraction). TOML's local date-times, local dates and local times have no
//!   counterpart in the sops value types, so they are refused with an error
//!   naming the key (write an offset date-time or a string instead).
//! * TOML has no null: a null value (from another format) cannot be written.
//!
//! Parse errors give the line and column and never quote the input.

use crate::stores::{Result, StoreError};
use crate::tree::{Branch, Comment, Item, Key, Value};

/// Parse a TOML document into one [`Branch`].
pub fn parse(input: &[u8]) -> Result<Vec<Branch>> {
    let src = std::str::from_utf8(input).map_err(|e| {
        let (line, col) = line_col(input, e.valid_up_to());
        parse_err(format!("line {line}, column {col}: invalid UTF-8"))
    })?;
    let doc: toml_edit::DocumentMut = src.parse().map_err(|e: toml_edit::TomlError| {
        let at = match e.span() {
            Some(span) => {
                let (line, col) = line_col(input, span.start);
                format!("line {line}, column {col}: ")
            }
            None => String::new(),
        };
        // toml_edit's Display quotes the offending line; its message alone
        // does not.
        let msg = e.message().trim().replace('\n', "; ");
        parse_err(format!("{at}{msg}"))
    })?;
    let mut p = Parser { path: Vec::new() };
    let mut root = Branch::new();
    p.table(doc.as_table(), &mut root)?;
    if let Some(t) = doc.trailing().as_str() {
        for c in comments_in(t) {
            root.push(Item::comment(c));
        }
    }
    Ok(vec![root])
}

fn parse_err(msg: String) -> StoreError {
    StoreError::read(format!("invalid TOML at {msg}"))
}

use super::line_col;

/// The comments of a decor or trailing text (whitespace, newlines and `#…`).
fn comments_in(raw: &str) -> Vec<Comment> {
    raw.split('\n').filter_map(comment_of_line).collect()
}

fn comment_of_line(seg: &str) -> Option<Comment> {
    let t = seg.trim_start_matches([' ', '\t']);
    let text = t.strip_prefix('#')?;
    Some(Comment::new(text.strip_suffix('\r').unwrap_or(text)))
}

fn inline(mut c: Comment) -> Comment {
    c.inline = true;
    c
}

fn raw(d: Option<&toml_edit::RawString>) -> &str {
    d.and_then(|r| r.as_str()).unwrap_or("")
}

/// Split a decor prefix that follows a token on the same line (`[`, `,`)
/// into the comment on that line and the comments on lines of their own.
fn split_first_line(raw: &str) -> (Option<Comment>, Vec<Comment>) {
    match raw.split_once('\n') {
        Some((first, rest)) => (comment_of_line(first), comments_in(rest)),
        None => (comment_of_line(raw), Vec::new()),
    }
}

struct Parser {
    path: Vec<String>,
}

impl Parser {
    fn where_(&self) -> String {
        self.path.iter().map(|p| format!("[{p:?}]")).collect()
    }

    fn table(&mut self, t: &toml_edit::Table, out: &mut Branch) -> Result<()> {
        for (k, item) in t.iter() {
            let key = t.key(k);
            if let Some(key) = key {
                for c in comments_in(raw(key.leaf_decor().prefix())) {
                    out.push(Item::comment(c));
                }
            }
            self.path.push(k.to_string());
            match item {
                toml_edit::Item::None => {}
                toml_edit::Item::Value(v) => {
                    let value = self.value(v)?;
                    for c in comments_in(raw(v.decor().suffix())) {
                        out.push(Item::comment(inline(c)));
                    }
                    out.push(Item::new(k, value));
                }
                toml_edit::Item::Table(sub) => {
                    for c in comments_in(raw(sub.decor().prefix())) {
                        out.push(Item::comment(c));
                    }
                    for c in comments_in(raw(sub.decor().suffix())) {
                        out.push(Item::comment(inline(c)));
                    }
                    let mut b = Branch::new();
                    self.table(sub, &mut b)?;
                    out.push(Item::new(k, Value::Map(b)));
                }
                toml_edit::Item::ArrayOfTables(a) => {
                    let mut list = Vec::with_capacity(a.len());
                    for sub in a.iter() {
                        for c in comments_in(raw(sub.decor().prefix())) {
                            list.push(Value::Comment(c));
                        }
                        for c in comments_in(raw(sub.decor().suffix())) {
                            list.push(Value::Comment(inline(c)));
                        }
                        let mut b = Branch::new();
                        self.table(sub, &mut b)?;
                        list.push(Value::Map(b));
                    }
                    out.push(Item::new(k, Value::List(list)));
                }
            }
            self.path.pop();
        }
        Ok(())
    }

    fn inline_table(&mut self, t: &toml_edit::InlineTable) -> Result<Branch> {
        let mut out = Branch::new();
        for (k, v) in t.iter() {
            if let Some(key) = t.key(k) {
                for c in comments_in(raw(key.leaf_decor().prefix())) {
                    out.push(Item::comment(c));
                }
            }
            self.path.push(k.to_string());
            let value = self.value(v)?;
            self.path.pop();
            for c in comments_in(raw(v.decor().suffix())) {
                out.push(Item::comment(inline(c)));
            }
            out.push(Item::new(k, value));
        }
        for c in comments_in(t.trailing().as_str().unwrap_or("")) {
            out.push(Item::comment(c));
        }
        Ok(out)
    }

    fn value(&mut self, v: &toml_edit::Value) -> Result<Value> {
        use toml_edit::Value as T;
        Ok(match v {
            T::String(s) => Value::Str(s.value().clone()),
            T::Integer(i) => Value::Int(*i.value()),
            T::Float(f) => Value::Float(*f.value()),
            T::Boolean(b) => Value::Bool(*b.value()),
            T::Datetime(d) => Value::Time(self.datetime(d.value())?),
            T::Array(a) => Value::List(self.array(a)?),
            T::InlineTable(t) => Value::Map(self.inline_table(t)?),
        })
    }

    fn array(&mut self, a: &toml_edit::Array) -> Result<Vec<Value>> {
        let mut list = Vec::with_capacity(a.len());
        // Where the previous element starts in `list` (its inline comment
        // goes before it, as the YAML store records line comments).
        let mut prev: Option<usize> = None;
        for v in a.iter() {
            let (first, own) = split_first_line(raw(v.decor().prefix()));
            if let Some(c) = first {
                match prev {
                    Some(at) => list.insert(at, Value::Comment(inline(c))),
                    None => list.push(Value::Comment(c)),
                }
            }
            list.extend(own.into_iter().map(Value::Comment));
            let start = list.len();
            for c in comments_in(raw(v.decor().suffix())) {
                list.push(Value::Comment(inline(c)));
            }
            list.push(self.value(v)?);
            prev = Some(start);
        }
        let (first, own) = split_first_line(a.trailing().as_str().unwrap_or(""));
        if let Some(c) = first {
            match prev {
                Some(at) => list.insert(at, Value::Comment(inline(c))),
                None => list.push(Value::Comment(c)),
            }
        }
        list.extend(own.into_iter().map(Value::Comment));
        Ok(list)
    }

    /// An offset date-time as Go's `time.Time.MarshalText` prints it.
    fn datetime(&self, d: &toml_edit::Datetime) -> Result<String> {
        let (Some(date), Some(time), Some(offset)) = (d.date, d.time, d.offset) else {
            let kind = match (d.date.is_some(), d.time.is_some()) {
                (true, true) => "a local date-time",
                (true, false) => "a local date",
                _ => "a local time",
            };
            return Err(StoreError::read(format!(
                    "the TOML value at {} is {kind}, which has no sops value type: write an offset date-time (such as 2024-01-31T12:00:00Z) or a string",
                    self.where_()
                ),
            ));
        };
        let mut s = format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
            date.year,
            date.month,
            date.day,
            time.hour,
            time.minute,
            time.second.unwrap_or(0)
        );
        if let Some(ns) = time.nanosecond.filter(|n| *n != 0) {
            s.push_str(&format!(".{ns:09}"));
        }
        match offset {
            toml_edit::Offset::Z => s.push('Z'),
            toml_edit::Offset::Custom { minutes } => {
                let sign = if minutes < 0 { '-' } else { '+' };
                let m = minutes.unsigned_abs();
                s.push_str(&format!("{sign}{:02}:{:02}", m / 60, m % 60));
            }
        }
        crate::timefmt::normalize_rfc3339(&s).map_err(|_| {
            StoreError::read(format!(
                "the TOML date-time at {} cannot be represented as an RFC 3339 timestamp",
                self.where_()
            ))
        })
    }
}

// ---------------------------------------------------------------------------
// Emitter

/// Emit the document as TOML. `indent` is the indentation of the elements
/// of multi-line arrays (default 4 spaces). A top-level `sops` map is written
/// as the `[sops]` table, its scalars before its arrays of tables.
pub fn emit(docs: &[Branch], indent: Option<usize>) -> Result<Vec<u8>> {
    let doc = match docs {
        [d] => d,
        [] => return Err(dump_err("there is no document to write".into())),
        _ => {
            return Err(dump_err(format!(
                "a TOML file holds one document, the input has {}",
                docs.len()
            )))
        }
    };
    let mut e = Emitter {
        out: String::with_capacity(64 + doc.len() * 48),
        indent: indent.unwrap_or(4),
        path: Vec::new(),
    };
    let reordered;
    let doc: &Branch = if doc
        .iter()
        .any(|i| i.key_str() == Some(crate::tree::SOPS_KEY))
    {
        reordered = doc
            .iter()
            .map(|i| {
                if i.key_str() == Some(crate::tree::SOPS_KEY) {
                    Item {
                        key: i.key.clone(),
                        value: tables_last(&i.value),
                    }
                } else {
                    i.clone()
                }
            })
            .collect::<Branch>();
        &reordered
    } else {
        doc
    };
    e.table(doc, &[], true)?;
    Ok(e.out.into_bytes())
}

/// One value as TOML writes it on the right of `=` (for `--extract`).
pub fn emit_value(v: &Value) -> Result<Vec<u8>> {
    let mut e = Emitter {
        out: String::new(),
        indent: 4,
        path: Vec::new(),
    };
    let s = e.inline_value(v)?;
    Ok(s.into_bytes())
}

fn dump_err(msg: String) -> StoreError {
    StoreError::write(format!("error writing TOML: {msg}"))
}

/// The metadata map with every map's tables and arrays of tables after its
/// other entries (its order carries no meaning; TOML needs this one).
fn tables_last(v: &Value) -> Value {
    match v {
        Value::Map(b) => {
            let (mut plain, tables): (Branch, Branch) = b
                .iter()
                .map(|i| Item {
                    key: i.key.clone(),
                    value: tables_last(&i.value),
                })
                .partition(|i| !is_section(&i.value));
            plain.extend(tables);
            Value::Map(plain)
        }
        Value::List(l) => Value::List(l.iter().map(tables_last).collect()),
        other => other.clone(),
    }
}

/// Written as a `[table]` or `[[array of tables]]` when it may be.
fn is_section(v: &Value) -> bool {
    match v {
        Value::Map(_) => true,
        Value::List(l) => is_table_array(l),
        _ => false,
    }
}

/// A comment encrypted in a list: the tree walk turns it into an `ENC[…]`
/// string; TOML writes it back as a comment.
fn encrypted_comment(v: &Value) -> Option<&str> {
    match v {
        Value::Str(s) if crate::cipher::looks_encrypted(s) && s.ends_with(",type:comment]") => {
            Some(s)
        }
        _ => None,
    }
}

fn list_comment(v: &Value) -> Option<Comment> {
    match v {
        Value::Comment(c) => Some(c.clone()),
        other => encrypted_comment(other).map(Comment::new),
    }
}

/// A non-empty list of maps (and comments) becomes an array of tables.
fn is_table_array(l: &[Value]) -> bool {
    let mut maps = 0;
    for v in l {
        match v {
            Value::Map(_) => maps += 1,
            other if list_comment(other).is_some() => {}
            _ => return false,
        }
    }
    maps > 0
}

fn bare_key(k: &str) -> bool {
    !k.is_empty()
        && k.bytes()
            .all(|c| c.is_ascii_alphanumeric() || c == b'_' || c == b'-')
}

fn key_text(k: &str) -> String {
    if bare_key(k) {
        k.to_string()
    } else {
        basic_string(k)
    }
}

fn dotted(path: &[String]) -> String {
    path.iter()
        .map(|k| key_text(k))
        .collect::<Vec<_>>()
        .join(".")
}

fn escape_into(out: &mut String, c: char, multiline: bool) {
    match c {
        '"' => out.push_str("\\\""),
        '\\' => out.push_str("\\\\"),
        '\n' if multiline => out.push('\n'),
        '\n' => out.push_str("\\n"),
        '\t' => out.push('\t'),
        '\r' => out.push_str("\\r"),
        '\u{8}' => out.push_str("\\b"),
        '\u{c}' => out.push_str("\\f"),
        c if (c as u32) < 0x20 || c == '\u{7f}' => {
            out.push_str(&format!("\\u{:04X}", c as u32));
        }
        c => out.push(c),
    }
}

fn basic_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        escape_into(&mut out, c, false);
    }
    out.push('"');
    out
}

/// A string with newlines as a multi-line basic string (the newline after
/// the opening quotes is not part of the value).
fn multiline_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    out.push_str("\"\"\"\n");
    for c in s.chars() {
        escape_into(&mut out, c, true);
    }
    out.push_str("\"\"\"");
    out
}

/// A comment's text on one line (a line break in it would end the comment).
fn comment_text(c: &Comment) -> std::borrow::Cow<'_, str> {
    if c.value.contains(['\n', '\r']) {
        std::borrow::Cow::Owned(c.value.replace(['\n', '\r'], " "))
    } else {
        std::borrow::Cow::Borrowed(&c.value)
    }
}

fn float_text(f: f64) -> String {
    if f.is_nan() {
        "nan".into()
    } else if f.is_infinite() {
        if f > 0.0 { "inf" } else { "-inf" }.into()
    } else {
        // Rust's Debug form is the shortest text that reads back to the
        // same float and always has a '.' or an exponent, as TOML wants.
        format!("{f:?}")
    }
}

/// Is this a timestamp TOML can hold as an offset date-time literal?
fn toml_time(t: &str) -> bool {
    t.len() >= 20
        && t.as_bytes()[..4].iter().all(u8::is_ascii_digit)
        && crate::timefmt::parse_rfc3339(t).is_ok()
}

struct Emitter {
    out: String,
    indent: usize,
    /// Keys of the value being written, for error messages.
    path: Vec<String>,
}

impl Emitter {
    fn where_(&self) -> String {
        if self.path.is_empty() {
            "the top level".into()
        } else {
            self.path.iter().map(|p| format!("[{p:?}]")).collect()
        }
    }

    fn comment_line(&mut self, pad: &str, c: &Comment) {
        self.out.push_str(pad);
        self.out.push('#');
        self.out.push_str(&comment_text(c));
        self.out.push('\n');
    }

    fn end_line(&mut self, inline: Option<&Comment>) {
        if let Some(c) = inline {
            self.out.push_str(" #");
            self.out.push_str(&comment_text(c));
        }
        self.out.push('\n');
    }

    /// Write a table at `path` (`[]` for the document): its plain entries,
    /// then its sub-tables and arrays of tables as sections.
    fn table(&mut self, b: &Branch, path: &[String], is_root: bool) -> Result<()> {
        // Entries up to the last plain value stay in the body (sub-tables
        // there become dotted keys), so that the order reads back the same.
        let split = b
            .iter()
            .rposition(|i| matches!(&i.key, Key::Str(_)) && !is_section(&i.value))
            .map_or(0, |p| p + 1);
        let tail = b
            .iter()
            .rposition(|i| i.key_str().is_some())
            .map_or(0, |p| p + 1);
        if split >= tail {
            return self.body(b, &[], "");
        }
        self.body(&b[..split], &[], "")?;
        if !is_root {
            // Comments after the last sub-table would be read back as part
            // of whatever follows: keep them in this table's body.
            self.body(&b[tail..], &[], "")?;
        }
        // Sections.
        let mut pending: Vec<&Comment> = Vec::new();
        for item in &b[split..tail] {
            let k = match &item.key {
                Key::Comment(c) => {
                    pending.push(c);
                    continue;
                }
                Key::Str(k) => k,
            };
            let mut full = path.to_vec();
            full.push(k.clone());
            self.path.push(k.clone());
            let (own, inl) = split_pending(&pending);
            pending.clear();
            match &item.value {
                Value::Map(m) => self.section(m, &full, &own, inl)?,
                Value::List(l) => self.table_array(l, &full, &own, inl)?,
                _ => unreachable!("only sections follow the body"),
            }
            self.path.pop();
        }
        for c in &pending {
            // Comments between sections are always followed by one.
            self.comment_line("", c);
        }
        if is_root && tail < b.len() {
            self.blank_line();
            self.body(&b[tail..], &[], "")?;
        }
        Ok(())
    }

    fn blank_line(&mut self) {
        if !self.out.is_empty() && !self.out.ends_with("\n\n") {
            self.out.push('\n');
        }
    }

    fn section(
        &mut self,
        m: &Branch,
        path: &[String],
        own: &[&Comment],
        inl: Option<&Comment>,
    ) -> Result<()> {
        let keyed = |sec: bool| {
            m.iter()
                .any(|i| i.key_str().is_some() && is_section(&i.value) == sec)
        };
        let has_body = keyed(false) || !keyed(true);
        self.blank_line();
        for c in own {
            self.comment_line("", c);
        }
        if has_body || !own.is_empty() || inl.is_some() {
            self.out.push('[');
            self.out.push_str(&dotted(path));
            self.out.push(']');
            self.end_line(inl);
        }
        self.table(m, path, false)
    }

    fn table_array(
        &mut self,
        l: &[Value],
        path: &[String],
        own: &[&Comment],
        inl: Option<&Comment>,
    ) -> Result<()> {
        let mut pending: Vec<Comment> = own.iter().map(|c| (*c).clone()).collect();
        if let Some(c) = inl {
            pending.push(c.clone());
        }
        for v in l {
            if let Some(c) = list_comment(v) {
                pending.push(c);
                continue;
            }
            let Value::Map(m) = v else {
                unreachable!("checked by is_table_array")
            };
            let refs: Vec<&Comment> = pending.iter().collect();
            let (own, inl) = split_pending(&refs);
            self.blank_line();
            for c in own {
                self.comment_line("", c);
            }
            self.out.push_str("[[");
            self.out.push_str(&dotted(path));
            self.out.push_str("]]");
            self.end_line(inl);
            pending.clear();
            self.table(m, path, false)?;
        }
        for c in &pending {
            self.comment_line("", c);
        }
        Ok(())
    }

    /// Plain entries (and maps written as dotted keys) of a table body.
    fn body(&mut self, items: &[Item], prefix: &[String], pad: &str) -> Result<()> {
        let mut pending: Vec<&Comment> = Vec::new();
        for item in items {
            let k = match &item.key {
                Key::Comment(c) => {
                    pending.push(c);
                    continue;
                }
                Key::Str(k) => k,
            };
            let (own, inl) = split_pending(&pending);
            pending.clear();
            for c in own {
                self.comment_line(pad, c);
            }
            let mut key = prefix.to_vec();
            key.push(k.clone());
            self.path.push(k.clone());
            match &item.value {
                Value::Map(m) if !m.is_empty() => {
                    if let Some(c) = inl {
                        self.comment_line(pad, c);
                    }
                    self.body(m, &key, pad)?;
                }
                v => {
                    let text = self.value(v, pad)?;
                    self.out.push_str(pad);
                    self.out.push_str(&dotted(&key));
                    self.out.push_str(" = ");
                    self.out.push_str(&text);
                    self.end_line(inl);
                }
            }
            self.path.pop();
        }
        for c in pending {
            self.comment_line(pad, c);
        }
        Ok(())
    }

    /// A value on the right of `=`; arrays with comments, long arrays and
    /// arrays of multi-line strings are written one element per line.
    fn value(&mut self, v: &Value, pad: &str) -> Result<String> {
        if let Value::List(l) = v {
            let has_comments = l.iter().any(|x| list_comment(x).is_some());
            if !has_comments {
                let one = self.inline_value(v)?;
                if one.len() <= 80 && !one.contains('\n') {
                    return Ok(one);
                }
            }
            return self.multiline_array(l, pad);
        }
        self.inline_value(v)
    }

    fn multiline_array(&mut self, l: &[Value], pad: &str) -> Result<String> {
        let inner = format!("{pad}{}", " ".repeat(self.indent));
        let mut s = String::from("[\n");
        let mut pending: Vec<Comment> = Vec::new();
        for (i, v) in l.iter().enumerate() {
            if let Some(c) = list_comment(v) {
                pending.push(c);
                continue;
            }
            let refs: Vec<&Comment> = pending.iter().collect();
            let (own, inl) = split_pending(&refs);
            for c in own {
                s.push_str(&inner);
                s.push('#');
                s.push_str(&comment_text(c));
                s.push('\n');
            }
            self.path.push(i.to_string());
            let text = match v {
                Value::List(sub) if sub.iter().any(|x| list_comment(x).is_some()) => {
                    self.multiline_array(sub, &inner)?
                }
                other => self.inline_value(other)?,
            };
            self.path.pop();
            s.push_str(&inner);
            s.push_str(&text);
            s.push(',');
            if let Some(c) = inl {
                s.push_str(" #");
                s.push_str(&comment_text(c));
            }
            s.push('\n');
            pending.clear();
        }
        for c in &pending {
            s.push_str(&inner);
            s.push('#');
            s.push_str(&comment_text(c));
            s.push('\n');
        }
        s.push_str(pad);
        s.push(']');
        Ok(s)
    }

    /// A value in inline form (arrays on one line, maps as inline tables
    /// without their comments).
    fn inline_value(&mut self, v: &Value) -> Result<String> {
        Ok(match v {
            Value::Str(s) if s.contains('\n') => multiline_string(s),
            Value::Str(s) => basic_string(s),
            Value::Int(i) => i.to_string(),
            Value::Float(f) => float_text(*f),
            Value::Bool(b) => b.to_string(),
            Value::Time(t) if toml_time(t) => t.clone(),
            Value::Time(t) => basic_string(t),
            Value::Bytes(b) => {
                use base64::Engine;
                basic_string(&base64::engine::general_purpose::STANDARD.encode(b))
            }
            Value::Comment(c) => {
                // Only reachable for a comment given on its own (--extract).
                basic_string(&c.value)
            }
            Value::Null => {
                return Err(dump_err(format!(
                    "TOML has no null value: the value at {} is null",
                    self.where_()
                )))
            }
            Value::List(l) => {
                let mut parts = Vec::with_capacity(l.len());
                for (i, x) in l.iter().enumerate() {
                    if list_comment(x).is_some() {
                        continue;
                    }
                    self.path.push(i.to_string());
                    parts.push(self.inline_value(x)?);
                    self.path.pop();
                }
                format!("[{}]", parts.join(", "))
            }
            Value::Map(m) => {
                let mut parts = Vec::with_capacity(m.len());
                for it in m {
                    let Some(k) = it.key_str() else { continue };
                    self.path.push(k.to_string());
                    let text = self.inline_value(&it.value)?;
                    self.path.pop();
                    parts.push(format!("{} = {text}", key_text(k)));
                }
                if parts.is_empty() {
                    "{}".to_string()
                } else {
                    format!("{{ {} }}", parts.join(", "))
                }
            }
        })
    }
}

/// Split the comments waiting before an entry into those written on their
/// own lines and the one written at the end of the entry's line (the last
/// inline comment, as the parser records it just before the entry).
fn split_pending<'a>(pending: &[&'a Comment]) -> (Vec<&'a Comment>, Option<&'a Comment>) {
    match pending.last() {
        Some(c) if c.inline => (pending[..pending.len() - 1].to_vec(), Some(*c)),
        _ => (pending.to_vec(), None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rt(src: &str) -> (Vec<Branch>, String) {
        let docs = parse(src.as_bytes()).unwrap();
        let out = String::from_utf8(emit(&docs, None).unwrap()).unwrap();
        let again = parse(out.as_bytes()).unwrap_or_else(|e| panic!("{}\n---\n{out}", e));
        assert_eq!(again, docs, "re-read differs:\n{out}");
        let out2 = String::from_utf8(emit(&again, None).unwrap()).unwrap();
        assert_eq!(out, out2, "not a fixed point");
        (docs, out)
    }

    #[test]
    fn types_map_to_the_tree() {
        let (d, _) = rt("s = \"x\"\ni = -3\nf = 2.5\nb = true\nt = 1979-05-27 07:32:00.500+01:30\nz = 2024-01-01T00:00:00+00:00\n");
        let d = &d[0];
        assert_eq!(d[0].value, Value::Str("x".into()));
        assert_eq!(d[1].value, Value::Int(-3));
        assert_eq!(d[2].value, Value::Float(2.5));
        assert_eq!(d[3].value, Value::Bool(true));
        assert_eq!(
            d[4].value,
            Value::Time("1979-05-27T07:32:00.5+01:30".into())
        );
        assert_eq!(d[5].value, Value::Time("2024-01-01T00:00:00Z".into()));
    }

    #[test]
    fn plain_file_round_trips_byte_for_byte() {
        let src = "\
# top comment
title = \"TOML\" # inline
ports = [8000, 8001]
multi = \"\"\"
line one
line \\\"two\\\"\"\"\"

[database]
enabled = true
temp = [79.5, 72.0, -0.0, inf, -inf]

[servers.alpha]
ip = \"10.0.0.1\"

# products
[[products]]
name = \"Hammer\"

[[products]]
name = \"Nail\"

[products.dims]
w = 1

# the end
";
        let (_, out) = rt(src);
        assert_eq!(out, src);
    }

    #[test]
    fn order_is_kept_with_dotted_keys_and_late_headers() {
        let (d, out) = rt("a = 1\nb.c = 2\nd = 3\n[t]\nx = 1\n[u.v]\ny = 2\n[t2]\n[u]\nz = 3\n");
        let keys: Vec<_> = d[0].iter().filter_map(|i| i.key_str()).collect();
        // toml_edit moves a table made explicit later to that place.
        assert_eq!(keys, ["a", "b", "d", "t", "t2", "u"]);
        assert!(out.starts_with("a = 1\nb.c = 2\nd = 3\n"), "{out}");
        assert!(out.contains("[u]\nv.y = 2\nz = 3\n"), "{out}");
    }

    #[test]
    fn comments_in_arrays_and_tables() {
        let src = "arr = [ # open\n  1, # one\n  # own\n  2,\n  # end\n]\n[t] # hdr\nk = 1\n";
        let (d, out) = rt(src);
        let Value::List(l) = &d[0][0].value else {
            panic!()
        };
        assert_eq!(l[0], Value::Comment(Comment::new(" open")));
        assert_eq!(
            l[1],
            Value::Comment(Comment {
                value: " one".into(),
                inline: true
            })
        );
        assert_eq!(l[2], Value::Int(1));
        assert!(
            out.contains("    1, # one\n    # own\n    2,\n    # end\n]"),
            "{out}"
        );
        assert!(out.contains("[t] # hdr\n"), "{out}");
    }

    #[test]
    fn inline_tables_and_nested_arrays() {
        rt("p = { x = 1, y = { z = \"q\" } }\nn = [[1, 2], [\"a\"]]\nm = [{ a = 1 }, { b = [2] }]\nlast = 0\n");
        rt("e = {}\nl = []\n[empty]\n[x]\nq = {}\n");
        rt("\"quoted key\" = 1\n\"a.b\".\"\" = 2\n\"\\u0001\" = \"tab\\there\\u0007\"\n");
    }

    #[test]
    fn metadata_is_a_sops_table_with_arrays_of_tables() {
        let md = crate::metadata::Metadata {
            key_groups: vec![vec![crate::keys::MasterKey::new(crate::keys::age::AgeKey {
                recipient: "age1xyz".into(),
                enc: "-----BEGIN AGE ENCRYPTED FILE-----\nabc\n-----END AGE ENCRYPTED FILE-----\n"
                    .into(),
            })]],
            lastmodified: "2024-01-01T00:00:00Z".into(),
            mac: "ENC[AES256_GCM,data:x,iv:y,tag:z,type:str]".into(),
            ..Default::default()
        };
        let doc = vec![
            Item::new("a", Value::Str("ENC[…]".into())),
            Item::new("sops", md.to_value()),
        ];
        let out = String::from_utf8(emit(&[doc], None).unwrap()).unwrap();
        assert_eq!(
            out,
            "a = \"ENC[…]\"\n\n[sops]\nlastmodified = \"2024-01-01T00:00:00Z\"\nmac = \"ENC[AES256_GCM,data:x,iv:y,tag:z,type:str]\"\nunencrypted_suffix = \"_unencrypted\"\nversion = \"3.13.2\"\n\n[[sops.age]]\nenc = \"\"\"\n-----BEGIN AGE ENCRYPTED FILE-----\nabc\n-----END AGE ENCRYPTED FILE-----\n\"\"\"\nrecipient = \"age1xyz\"\n"
        );
        let mut back = parse(out.as_bytes()).unwrap();
        let meta = crate::metadata::take_metadata(&mut back[0])
            .unwrap()
            .unwrap();
        assert_eq!(crate::metadata::Metadata::from_value(&meta).unwrap(), md);
    }

    #[test]
    fn encrypted_list_comments_are_written_as_comments() {
        let enc = "ENC[AES256_GCM,data:AA==,iv:AA==,tag:AA==,type:comment]";
        let doc = vec![Item::new(
            "l",
            Value::List(vec![
                Value::Str(enc.into()),
                Value::Map(vec![Item::new("a", Value::Int(1))]),
            ]),
        )];
        let out = String::from_utf8(emit(&[doc], None).unwrap()).unwrap();
        assert_eq!(out, format!("#{enc}\n[[l]]\na = 1\n"));
    }

    #[test]
    fn refusals_and_errors_never_quote_input() {
        let e = parse(b"[a]\nd = 1979-05-27\n").unwrap_err();
        assert!(
            e.to_string().contains("[\"a\"][\"d\"]") && e.to_string().contains("local date"),
            "{}",
            e.to_string()
        );
        assert!(parse(b"t = 07:32:00\n").is_err());
        assert!(parse(b"t = 1979-05-27T07:32:00\n").is_err());
        let e = parse(b"ok = 1\npassword = \"hunter2\nx = 1\n").unwrap_err();
        assert!(e.to_string().contains("line 2"), "{}", e.to_string());
        assert!(!e.to_string().contains("hunter2"), "{}", e.to_string());
        let e = parse(b"a = 1\na = 2\n").unwrap_err();
        assert!(matches!(e, crate::stores::StoreError::Read(_)), "{}", e);
        assert!(parse(b"\xff = 1").is_err());
        let e = emit(&[vec![Item::new("n", Value::Null)]], None).unwrap_err();
        assert!(e.to_string().contains("[\"n\"]"), "{}", e.to_string());
        assert!(emit(&[vec![], vec![]], None).is_err());
    }

    #[test]
    fn comments_cannot_break_out_of_their_line() {
        let doc = vec![
            Item::comment(Comment::new(" a\nb = 1")),
            Item::new(
                "l",
                Value::List(vec![
                    Value::Comment(Comment::new("x\r\ny = 2")),
                    Value::Int(1),
                ]),
            ),
        ];
        let out = String::from_utf8(emit(&[doc], None).unwrap()).unwrap();
        let back = parse(out.as_bytes()).unwrap();
        let keys: Vec<_> = back[0].iter().filter_map(|i| i.key_str()).collect();
        assert_eq!(keys, ["l"], "{out}");
    }

    #[test]
    fn values_from_other_formats() {
        let doc = vec![
            Item::comment(Comment::new(" c")),
            Item::new(
                "m",
                Value::Map(vec![Item::new("x", Value::Bytes(vec![0xff]))]),
            ),
            Item::new("after", Value::Float(1e21)),
            Item::new("big", Value::Float(1.0)),
        ];
        let out = String::from_utf8(emit(std::slice::from_ref(&doc), None).unwrap()).unwrap();
        assert_eq!(out, "# c\nm.x = \"/w==\"\nafter = 1e21\nbig = 1.0\n");
        assert_eq!(emit_value(&Value::Float(1.0)).unwrap(), b"1.0");
    }

    /// Random trees without comments read back identically (order, types).
    #[test]
    fn random_trees_read_back_identically() {
        use rand::{Rng, SeedableRng};
        fn scalar(r: &mut rand::rngs::StdRng) -> Value {
            match r.gen_range(0..6) {
                0 => Value::Int(r.gen()),
                1 => Value::Float(f64::from_bits(r.gen::<u64>() & !(0x7ff << 52)) * 1e3),
                2 => Value::Bool(r.gen()),
                3 => Value::Time("2024-02-29T23:59:59.123+05:30".into()),
                4 => Value::Str("multi\nline \"q\" \\ \u{1}".into()),
                _ => Value::Str(format!("s{}", r.gen::<u8>())),
            }
        }
        fn key(r: &mut rand::rngs::StdRng, i: usize) -> String {
            match r.gen_range(0..4) {
                0 => format!("k{i}"),
                1 => format!("key with space {i}"),
                2 => format!("dot.{i}"),
                _ => format!("K-{i}_x"),
            }
        }
        fn value(r: &mut rand::rngs::StdRng, depth: usize) -> Value {
            if depth > 3 {
                return scalar(r);
            }
            match r.gen_range(0..10) {
                0..=4 => scalar(r),
                5 | 6 => Value::Map(branch(r, depth + 1)),
                7 => Value::List((0..r.gen_range(0..3)).map(|_| scalar(r)).collect()),
                8 => Value::List(
                    (0..r.gen_range(1..3))
                        .map(|_| Value::Map(branch(r, depth + 1)))
                        .collect(),
                ),
                _ => Value::List(
                    (0..r.gen_range(0..3))
                        .map(|_| value(r, depth + 1))
                        .collect(),
                ),
            }
        }
        fn branch(r: &mut rand::rngs::StdRng, depth: usize) -> Branch {
            (0..r.gen_range(0..5))
                .map(|i| Item::new(key(r, i), value(r, depth)))
                .collect()
        }
        let mut r = rand::rngs::StdRng::seed_from_u64(9);
        for n in 0..2000 {
            let doc = branch(&mut r, 0);
            let out =
                String::from_utf8(emit(std::slice::from_ref(&doc), Some(2)).unwrap()).unwrap();
            let back = parse(out.as_bytes()).unwrap_or_else(|e| panic!("#{n}: {}\n{out}", e));
            assert_eq!(back, vec![doc], "#{n}:\n{out}");
        }
    }
}
