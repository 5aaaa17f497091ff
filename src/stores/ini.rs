//! The INI store, reproducing sops 3.11 (`stores/ini/store.go`), which uses
//! `gopkg.in/ini.v1` (v1.67.1 in the sops 3.11.0 release binary) with
//! `AllowNonUniqueSections` and otherwise default options.
//!
//! The document is a map of sections, each a map of string keys to string
//! values. Parsing, as go-ini:
//!
//! * A UTF-8 (or UTF-16) byte order mark is skipped; leading whitespace on
//!   every line is ignored; blank lines are dropped.
//! * Keys before the first `[section]` belong to a section named `DEFAULT`,
//!   which always comes first in the tree (empty if there are no such keys).
//!   Repeated `[name]` headers make separate sections with the same name.
//! * `key = value` or `key: value`; the key and value are trimmed; a key may
//!   be quoted with `"`, `` ` `` or `"""`; a key `-` is auto-numbered `#1`,
//!   `#2`… per section. A repeated key replaces the earlier value in place.
//! * A value starting with `"""` or `` ` `` runs to the last such quote,
//!   possibly over several lines (a line holding the closing quote but
//!   ending in `\` does not end it). Otherwise a value ending in `\` continues
//!   on the next line; else everything from the first `#` or `;` is an inline
//!   comment, and one pair of surrounding `"` or `'` quotes is removed.
//! * Comment lines (`#` or `;`) collect and attach to the next key or
//!   section header (with any inline comment); comments after the last key
//!   are lost. In the tree a section comment is the section's first item and
//!   a key's comment follows the key, with its leading `#`/`;` and spaces
//!   removed.
//!
//! Writing, as go-ini's `WriteTo` with sops' settings: a section comment and
//! `[name]` header (no header for a first section named `DEFAULT` in any case,
//! which is skipped entirely when it has no keys), then for each key its
//! comment lines (`; text`) and `key = value` with the `=` aligned to the
//! longest key in the section; values containing a newline or `` ` `` are
//! written in `"""`, values with `#` or `;` in backquotes, values with outer
//! whitespace in `"`. Sections are separated by one blank line.
//!
//! Metadata: sops keeps it in a `[sops]` section of flattened keys (see
//! [`super::flatten`]). [`parse`] turns the first `[sops]` section into a
//! nested `sops` map entry (all leaves strings), and [`emit`] flattens a
//! `sops` entry back, keys sorted. sops itself writes those keys in random
//! (Go map) order, so our encrypted files differ from sops' only in the
//! order of the lines of the `[sops]` section.
//!
//! Differences from sops: invalid UTF-8 is an error (go-ini passes bytes
//! through); a second `[sops]` section is an error; an empty comment line in
//! a tree comment is written as `; ` (sops panics); error messages give the
//! line number but never quote input text. Every key and value written is
//! checked to read back unchanged: where go-ini's quoting would not (a value
//! ending in `\`, wrapped in quotes, or holding `"""` on a line before its
//! last; a key such as `#1`, go-ini's name for `-`), another quoting that
//! does is used, and a key or value that no quoting can hold is an error
//! rather than a silently different file (sops writes those as they come).
//! Likewise a key twice in one section (go-ini keeps the last value), a key
//! or section name holding a control character or line separator, and an
//! empty section name are errors ([`names`]). Repeated sections read back
//! as they are and are written; the commands refuse them when they load or
//! encrypt a file ([`names::check_docs`]).

use std::collections::HashMap;

use crate::stores::{flatten, json, names};
use crate::stores::{Result, StoreError};
use crate::tree::{Branch, Comment, Item, Key, Value};

/// The name of go-ini's implicit first section.
pub const DEFAULT_SECTION: &str = "DEFAULT";

fn read_err(line: usize, what: &str) -> StoreError {
    StoreError::read(format!("invalid INI input at line {line}: {what}"))
}

/// How to get past a name the INI format cannot hold.
const REPAIR: &str = " (an entry whose value is empty is not part of the MAC: it can be deleted from the encrypted file by hand and the file still verifies), or write another format (--output-type yaml or json)";

fn write_err(what: String) -> StoreError {
    StoreError::write(format!("error writing INI: {what}"))
}

// ---------------------------------------------------------------------------
// Parsing

/// A section as go-ini holds it.
struct Section {
    name: String,
    comment: String,
    keys: Vec<KeyEntry>,
    index: HashMap<String, usize>,
}

struct KeyEntry {
    name: String,
    value: String,
    comment: String,
}

impl Section {
    fn new(name: String, comment: String) -> Self {
        Section {
            name,
            comment,
            keys: Vec::new(),
            index: HashMap::new(),
        }
    }

    /// go-ini `NewKey` (without shadows): a repeated key keeps its place and
    /// takes the new value and comment.
    fn set(&mut self, name: String, value: String, comment: String) {
        match self.index.get(&name) {
            Some(&i) => {
                self.keys[i].value = value;
                self.keys[i].comment = comment;
            }
            None => {
                self.index.insert(name.clone(), self.keys.len());
                self.keys.push(KeyEntry {
                    name,
                    value,
                    comment,
                });
            }
        }
    }
}

/// Lines of the input, each with its `\n` if it has one.
struct Lines<'a> {
    rest: &'a str,
    /// Number of the line last returned (1-based).
    line_no: usize,
}

impl<'a> Lines<'a> {
    fn next_line(&mut self) -> Option<&'a str> {
        if self.rest.is_empty() {
            return None;
        }
        let end = self.rest.find('\n').map_or(self.rest.len(), |i| i + 1);
        let (line, rest) = self.rest.split_at(end);
        self.rest = rest;
        self.line_no += 1;
        Some(line)
    }
}

/// go-ini's `cleanComment`: the text from the first `#` or `;`.
fn clean_comment(s: &str) -> Option<&str> {
    s.find(['#', ';']).map(|i| &s[i..])
}

/// go-ini's `hasSurroundedQuote`: `q` first and last, and nowhere else.
fn has_surrounded_quote(s: &str, q: u8) -> bool {
    let b = s.as_bytes();
    b.len() >= 2
        && b[0] == q
        && b[b.len() - 1] == q
        && b[1..].iter().position(|&c| c == q) == Some(b.len() - 2)
}

/// go-ini's `readKeyName`: the key and the offset just past the delimiter.
fn read_key_name(line: &str, line_no: usize) -> Result<(String, usize)> {
    let quote = if line.starts_with('"') {
        if line.len() > 6 && line.starts_with("\"\"\"") {
            "\"\"\""
        } else {
            "\""
        }
    } else if line.starts_with('`') {
        "`"
    } else {
        ""
    };
    if !quote.is_empty() {
        let start = quote.len();
        let pos = match line[start..].find(quote) {
            Some(p) => p + start,
            None => return Err(read_err(line_no, "missing closing key quote")),
        };
        let after = pos + start;
        let i = match line[after..].find(['=', ':']) {
            Some(i) => i,
            None => return Err(read_err(line_no, "key-value delimiter not found")),
        };
        return Ok((line[start..pos].trim().to_string(), after + i + 1));
    }
    match line.find(['=', ':']) {
        None => Err(read_err(line_no, "key-value delimiter not found")),
        Some(0) => Err(read_err(line_no, "empty key name")),
        Some(end) => Ok((line[..end].trim().to_string(), end + 1)),
    }
}

/// go-ini's `readValue` (no Python multi-line values, inline comments on).
/// Inline comments are appended to `comment`.
fn read_value(input: &str, lines: &mut Lines<'_>, comment: &mut String) -> Result<String> {
    let start_line = lines.line_no;
    let line = input.trim_start();
    if line.is_empty() {
        return Ok(String::new());
    }
    let quote = if line.len() > 3 && line.starts_with("\"\"\"") {
        "\"\"\""
    } else if line.starts_with('`') {
        "`"
    } else {
        ""
    };
    if !quote.is_empty() {
        let start = quote.len();
        if let Some(pos) = line[start..].rfind(quote) {
            return Ok(line[start..start + pos].to_string());
        }
        // Multi-line value: read on to the first line holding the quote.
        let mut val = line[start..].to_string();
        loop {
            let next = lines.next_line().unwrap_or("");
            if let Some(pos) = next.rfind(quote) {
                if next.trim().ends_with('\\') {
                    // go-ini v1.67.1: a closing-quote line ending in a
                    // backslash is kept whole and the value goes on.
                    val.push_str(next);
                    continue;
                }
                val.push_str(&next[..pos]);
                if let Some(c) = clean_comment(&next[pos..]) {
                    comment.push_str(c.trim());
                }
                return Ok(val);
            }
            val.push_str(next);
            if !next.ends_with('\n') {
                return Err(read_err(
                    start_line,
                    "missing closing quote of a multi-line value",
                ));
            }
        }
    }
    let mut line = line.trim();
    if let Some(first) = line.strip_suffix('\\') {
        // Continuation lines, joined after trimming, up to a blank line or
        // one not ending in a backslash.
        let mut val = first.to_string();
        loop {
            let next = lines.next_line().unwrap_or("").trim();
            if next.is_empty() {
                break;
            }
            val.push_str(next);
            if !val.ends_with('\\') {
                break;
            }
            val.pop();
        }
        return Ok(val);
    }
    if let Some(i) = line.find(['#', ';']) {
        comment.push_str(&line[i..]);
        line = line[..i].trim();
    }
    if has_surrounded_quote(line, b'\'') || has_surrounded_quote(line, b'"') {
        line = &line[1..line.len() - 1];
    }
    Ok(line.to_string())
}

/// Parse INI text into go-ini's sections.
fn parse_sections(src: &str) -> Result<Vec<Section>> {
    let mut sections = vec![Section::new(DEFAULT_SECTION.to_string(), String::new())];
    let mut comment = String::new();
    let mut count = 1usize;
    let mut lines = Lines {
        rest: src,
        line_no: 0,
    };
    while let Some(raw) = lines.next_line() {
        let line_no = lines.line_no;
        let line = raw.trim_start();
        if line.is_empty() {
            continue;
        }
        if line.starts_with('#') || line.starts_with(';') {
            comment.push_str(line);
            continue;
        }
        if line.starts_with('[') {
            let close = match line.rfind(']') {
                Some(i) => i,
                None => return Err(read_err(line_no, "unclosed section header")),
            };
            let name = &line[1..close];
            if name.is_empty() {
                return Err(read_err(line_no, "empty section name"));
            }
            if let Some(c) = clean_comment(&line[close + 1..]) {
                comment.push_str(c);
            }
            sections.push(Section::new(name.to_string(), comment.trim().to_string()));
            comment.clear();
            count = 1;
            continue;
        }
        let (mut name, offset) = read_key_name(line, line_no)?;
        if name == "-" {
            name = format!("#{count}");
            count += 1;
        }
        let value = read_value(&line[offset..], &mut lines, &mut comment)?;
        if name.is_empty() {
            return Err(read_err(line_no, "empty key name"));
        }
        let key_comment = comment.trim().to_string();
        comment.clear();
        if let Some(section) = sections.last_mut() {
            section.set(name, value, key_comment);
        }
    }
    Ok(sections)
}

/// sops' `stripCommentChar`.
fn strip_comment_char(c: &str) -> &str {
    if c.starts_with(';') {
        c.trim_start_matches([';', ' '])
    } else if c.starts_with('#') {
        c.trim_start_matches(['#', ' '])
    } else {
        c
    }
}

/// Parse an INI file into one [`Branch`] of sections (see the module docs).
pub fn parse(input: &[u8]) -> Result<Vec<Branch>> {
    // go-ini's BOM handling: UTF-16 BOMs (2 bytes) or the UTF-8 BOM.
    let body = if input.starts_with(&[0xFE, 0xFF]) || input.starts_with(&[0xFF, 0xFE]) {
        &input[2..]
    } else if input.starts_with(&[0xEF, 0xBB, 0xBF]) {
        &input[3..]
    } else {
        input
    };
    let src = std::str::from_utf8(body).map_err(|e| {
        let line = body[..e.valid_up_to()]
            .iter()
            .filter(|&&c| c == b'\n')
            .count()
            + 1;
        read_err(line, "not valid UTF-8")
    })?;
    let sections = parse_sections(src)?;
    let mut branch: Branch = Vec::with_capacity(sections.len());
    let mut seen_sops = false;
    for section in sections {
        if section.name == "sops" {
            if seen_sops {
                return Err(StoreError::read(
                    "invalid INI input: more than one [sops] section",
                ));
            }
            seen_sops = true;
            let flat: Branch = section
                .keys
                .into_iter()
                .map(|k| Item::new(k.name, Value::Str(k.value)))
                .collect();
            let nested = flatten::unflatten_metadata(&flat)?;
            branch.push(Item::new("sops", Value::Map(nested)));
            continue;
        }
        let mut items: Branch = Vec::with_capacity(section.keys.len() * 2 + 1);
        if !section.comment.is_empty() {
            items.push(Item::comment(Comment::new(strip_comment_char(
                &section.comment,
            ))));
        }
        for key in section.keys {
            items.push(Item::new(key.name, Value::Str(key.value)));
            if !key.comment.is_empty() {
                items.push(Item::comment(Comment::new(strip_comment_char(
                    &key.comment,
                ))));
            }
        }
        branch.push(Item::new(section.name, Value::Map(items)));
    }
    Ok(vec![branch])
}

// ---------------------------------------------------------------------------
// Writing

/// A section to write.
struct OutSection<'a> {
    name: &'a str,
    comment: &'a str,
    keys: Vec<OutKey<'a>>,
}

struct OutKey<'a> {
    name: &'a str,
    value: String,
    comment: &'a str,
}

/// Build a section from a tree map, as sops' `encodeTree` fills go-ini.
fn out_section<'a>(name: &'a str, items: &'a Branch) -> Result<OutSection<'a>> {
    let mut sec = OutSection {
        name,
        comment: "",
        keys: Vec::new(),
    };
    let mut rest = &items[..];
    if let Some(Item {
        key: Key::Comment(c),
        ..
    }) = items.first()
    {
        sec.comment = &c.value;
        rest = &items[1..];
    }
    let mut index: HashMap<&str, usize> = HashMap::new();
    let mut last: Option<usize> = None;
    for item in rest {
        match &item.key {
            Key::Comment(c) => {
                if let Some(i) = last {
                    sec.keys[i].comment = &c.value;
                }
            }
            Key::Str(k) => {
                if k.is_empty() {
                    return Err(write_err(format!("empty key name in section [{name}]")));
                }
                if let Some(c) = names::forbidden_char(k) {
                    return Err(write_err(format!(
                        "the key {k:?} in section [{name}] contains {}, which would start a new line or end the name early; rename or remove the key{REPAIR}",
                        names::char_name(c)
                    )));
                }
                let value = flatten::value_to_string(&item.value);
                let i = match index.get(k.as_str()) {
                    Some(_) => {
                        // go-ini (and so sops) would keep the last value
                        // only, hiding the first from every reader.
                        return Err(write_err(format!(
                            "the key {k:?} appears twice in section [{name}]: an INI reader keeps one value only; remove one of them{REPAIR}"
                        )));
                    }
                    None => {
                        index.insert(k, sec.keys.len());
                        sec.keys.push(OutKey {
                            name: k,
                            value,
                            comment: "",
                        });
                        sec.keys.len() - 1
                    }
                };
                last = Some(i);
            }
        }
    }
    Ok(sec)
}

/// go-ini's way of writing a comment line (`; text` unless it already
/// starts with `#` or `;`). Section comments keep their text untrimmed.
fn push_comment_lines(out: &mut Vec<u8>, comment: &str, trim: bool) {
    for line in comment.split('\n') {
        match line.as_bytes().first() {
            Some(&c @ (b'#' | b';')) => {
                out.push(c);
                out.push(b' ');
                out.extend_from_slice(line[1..].trim().as_bytes());
            }
            _ => {
                out.extend_from_slice(b"; ");
                out.extend_from_slice(if trim { line.trim() } else { line }.as_bytes());
            }
        }
        out.push(b'\n');
    }
}

fn key_needs_backquotes(k: &str) -> bool {
    k.contains(['"', '=', ':'])
}

/// A key as written before ` = `: go-ini's quoting (what sops writes) when
/// that reads back as the same key, else the first other quoting that does
/// (a key `#1` from go-ini's `-` would otherwise turn into a comment line);
/// `None` when no quoting reads back (a newline, outer spaces, `-`).
fn encode_key(k: &str) -> Option<String> {
    let go_ini = if key_needs_backquotes(k) {
        format!("`{k}`")
    } else if k.contains('`') {
        format!("\"\"\"{k}\"\"\"")
    } else {
        k.to_string()
    };
    if k.contains('\n') || k == "-" {
        return None;
    }
    let reads_back = |w: &String| {
        let line = format!("{w} = x\n");
        let line = line.trim_start();
        // A byte order mark would be dropped if the key began the file.
        !line.starts_with(['#', ';', '[', '\u{feff}'])
            && matches!(read_key_name(line, 1), Ok((name, off)) if name == k && &line[off..] == " x\n")
    };
    [
        go_ini,
        k.to_string(),
        format!("`{k}`"),
        format!("\"\"\"{k}\"\"\""),
        format!("\"{k}\""),
    ]
    .into_iter()
    .find(reads_back)
}

/// A value as written after ` = `: go-ini's quoting (what sops writes)
/// when that reads back as the same value, else the first other quoting
/// that does; `None` when none does. go-ini's own choice fails for, e.g., a
/// value ending in `\` (read as a continuation), one with surrounding `"`
/// (unquoted on reading), or a multi-line value holding `"""` (which would
/// end it early and let the rest be read as keys and sections).
fn encode_value(v: &str) -> Option<String> {
    let go_ini = if v.contains(['\n', '`']) {
        format!("\"\"\"{v}\"\"\"")
    } else if v.contains(['#', ';']) {
        format!("`{v}`")
    } else if v.trim().len() != v.len() {
        format!("\"{v}\"")
    } else {
        v.to_string()
    };
    let reads_back = |w: &String| {
        let text = format!(" {w}\n");
        let (first, rest) = text.split_at(text.find('\n').map_or(text.len(), |i| i + 1));
        let mut lines = Lines { rest, line_no: 1 };
        let mut comment = String::new();
        matches!(read_value(first, &mut lines, &mut comment), Ok(r) if r == v)
            && comment.is_empty()
            && lines.rest.is_empty()
    };
    if reads_back(&go_ini) {
        return Some(go_ini);
    }
    [
        v.to_string(),
        format!("`{v}`"),
        format!("\"\"\"{v}\"\"\""),
        format!("\"{v}\""),
    ]
    .into_iter()
    .find(reads_back)
}

/// Emit all documents' sections as sops writes an INI file. `indent` is
/// ignored. A `sops` map entry is written as the flattened `[sops]` section.
pub fn emit(docs: &[Branch], _indent: Option<usize>) -> Result<Vec<u8>> {
    // Flattened metadata must outlive the borrowed sections.
    let mut flat_meta: Vec<Branch> = Vec::new();
    for item in docs.iter().flatten() {
        if let (Key::Str(k), Value::Map(m)) = (&item.key, &item.value) {
            if k == "sops" {
                flat_meta.push(flatten::flatten_metadata(m));
            }
        }
    }
    let mut flat_meta = flat_meta.iter();
    let mut sections: Vec<OutSection<'_>> = Vec::new();
    for item in docs.iter().flatten() {
        let name = match &item.key {
            Key::Comment(_) => continue,
            Key::Str(k) => k.as_str(),
        };
        if let Err(why) = names::check_ini_section(name) {
            return Err(write_err(format!(
                "cannot write the section name {name:?}: {why}; rename or remove the section{REPAIR}"
            )));
        }

        let Value::Map(m) = &item.value else {
            return Err(write_err(format!(
                "section values should always be maps, but [{name}] is not"
            )));
        };
        if name == "sops" {
            if let Some(flat) = flat_meta.next() {
                sections.push(out_section(name, flat)?);
                continue;
            }
        }
        sections.push(out_section(name, m)?);
    }

    let mut out = Vec::new();
    let last = sections.len().saturating_sub(1);
    for (i, sec) in sections.iter().enumerate() {
        if !sec.comment.is_empty() {
            push_comment_lines(&mut out, sec.comment, false);
        }
        if i > 0 || sec.name.to_uppercase() != DEFAULT_SECTION {
            out.push(b'[');
            out.extend_from_slice(sec.name.as_bytes());
            out.extend_from_slice(b"]\n");
        } else if sec.keys.is_empty() {
            continue;
        }
        let mut names = Vec::with_capacity(sec.keys.len());
        for key in &sec.keys {
            names.push(encode_key(key.name).ok_or_else(|| {
                write_err(format!(
                    "the key {:?} in section [{}] cannot be written so that it reads back (INI trims keys and has no escapes)",
                    key.name, sec.name
                ))
            })?);
        }
        let align = names.iter().map(String::len).max().unwrap_or(0);
        for (key, name) in sec.keys.iter().zip(&names) {
            if !key.comment.is_empty() {
                push_comment_lines(&mut out, key.comment, true);
            }
            out.extend_from_slice(name.as_bytes());
            out.resize(out.len() + align - name.len(), b' ');
            out.extend_from_slice(b" = ");
            // Values are secret: the error names only the key.
            let value = encode_value(&key.value).ok_or_else(|| {
                write_err(format!(
                    "the value of {:?} in section [{}] cannot be written so that it reads back as the same value",
                    key.name, sec.name
                ))
            })?;
            out.extend_from_slice(value.as_bytes());
            out.push(b'\n');
        }
        if i != last {
            out.push(b'\n');
        }
    }
    Ok(out)
}

/// What sops' INI store prints for a single value (`--extract`): Go's
/// compact `json.Marshal` of it (`"text"`, `1`, `true`, `["a",1]`; maps as
/// sops' `[{"Key":…,"Value":…}]`). sops' `--extract` itself prints strings
/// raw and maps as a whole INI file, using this only for other values.
pub fn emit_value(v: &Value) -> Result<Vec<u8>> {
    json::go_marshal_compact(v)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stores::flatten::test_support as ts;

    fn rt(input: &str) -> String {
        String::from_utf8(emit(&parse(input.as_bytes()).unwrap(), None).unwrap()).unwrap()
    }

    fn s(v: &str) -> Value {
        Value::Str(v.into())
    }

    #[test]
    fn corpus_round_trips_match_sops() {
        let n = ts::run_round_trips("ini-corpus", "ini", parse, emit);
        assert!(n >= 10, "only {n} corpus files");
    }

    #[test]
    fn corpus_invalid_inputs_rejected() {
        assert!(ts::run_invalid("ini-corpus", "ini", parse) >= 6);
        assert!(parse(b"[s]\nk = \xff\n").is_err());
        assert!(parse(b"[sops]\na = 1\n[sops]\nb = 2\n").is_err());
    }

    /// sops writes the `[sops]` keys in Go map order (random); we write them
    /// sorted. Sort that section's lines of a sops-made file to compare.
    fn sort_sops_section(enc: &[u8]) -> String {
        let text = ts::show(enc);
        let Some(start) = text.find("[sops]\n") else {
            return text;
        };
        let body_start = start + "[sops]\n".len();
        let body_end = text[body_start..]
            .find("\n\n")
            .map_or(text.len(), |i| body_start + i + 1);
        let mut lines: Vec<&str> = text[body_start..body_end].lines().collect();
        lines.sort_by_key(|l| l.split(' ').next().unwrap_or(""));
        let mut out = text[..body_start].to_string();
        for l in lines {
            out.push_str(l);
            out.push('\n');
        }
        out.push_str(&text[body_end..]);
        out
    }

    #[test]
    fn sops_encrypted_files_round_trip() {
        let all = ts::files(&ts::corpus_dir("ini-corpus").join("encrypted"), "ini");
        assert!(all.len() >= 2);
        for (name, enc) in &all {
            let docs = parse(enc).unwrap();
            let sops: Vec<_> = docs[0]
                .iter()
                .filter(|i| i.key_str() == Some("sops"))
                .collect();
            assert_eq!(sops.len(), 1, "{name}");
            let Value::Map(meta) = &sops[0].value else {
                panic!("{name}")
            };
            assert!(meta.iter().any(|i| i.key_str() == Some("mac")));
            let got = emit(&docs, None).unwrap();
            // Identical to sops' bytes up to the order of the [sops] lines.
            assert_eq!(ts::show(&got), sort_sops_section(enc), "{name}");
            assert_eq!(got.len(), enc.len());
        }
    }

    #[test]
    fn default_section_rules() {
        // Keys before any header: a first DEFAULT section, written headerless.
        let d = parse(b"a = 1\n[s]\nb = 2\n").unwrap();
        assert_eq!(d[0][0].key_str(), Some("DEFAULT"));
        assert_eq!(rt("a = 1\n[s]\nb = 2\n"), "a = 1\n\n[s]\nb = 2\n");
        // An empty implicit DEFAULT section is always there and never written.
        let d = parse(b"[s]\nb = 2\n").unwrap();
        assert_eq!(d[0][0], Item::new("DEFAULT", Value::Map(vec![])));
        assert_eq!(rt("[s]\nb = 2\n"), "[s]\nb = 2\n");
        assert_eq!(rt(""), "");
        // The auto-numbered key `-`.
        let d = parse(b"[s]\n- = a\n- = b\n").unwrap();
        let Value::Map(m) = &d[0][1].value else {
            panic!()
        };
        assert_eq!(m[0].key_str(), Some("#1"));
        assert_eq!(m[1].key_str(), Some("#2"));
    }

    #[test]
    fn comments_in_tree() {
        let d = parse(b"; sect\n[s]\n# about k\nk = v ; inline\n").unwrap();
        assert_eq!(
            d[0][1].value,
            Value::Map(vec![
                Item::comment(Comment::new("sect")),
                Item::new("k", s("v")),
                Item::comment(Comment::new("about k\n; inline")),
            ])
        );
    }

    #[test]
    fn writing_values_from_other_formats() {
        let doc = vec![
            Item::comment(Comment::new("top-level comments are not written")),
            Item::new(
                "sec",
                Value::Map(vec![
                    Item::new("f1", Value::Float(1.0)),
                    Item::new("f3", Value::Float(1e21)),
                    Item::new("b", Value::Bool(true)),
                    Item::new("n", Value::Null),
                    Item::new("s", s(" sp ")),
                    Item::new("h", s("a#b")),
                    Item::new("nl", s("x\ny")),
                    Item::new(
                        "l",
                        Value::List(vec![Value::Float(1.0), s("s"), Value::Float(1e6)]),
                    ),
                    Item::new("m", Value::Map(vec![Item::new("a", Value::Float(1.0))])),
                    Item::new("em", Value::Map(vec![])),
                ]),
            ),
            Item::new("default", Value::Map(vec![Item::new("x", s("1"))])),
        ];
        assert_eq!(
            String::from_utf8(emit(&[doc], None).unwrap()).unwrap(),
            "[sec]\nf1 = 1.0\nf3 = 1E+21\nb  = true\nn  = <nil>\ns  = \" sp \"\nh  = `a#b`\nnl = \"\"\"x\ny\"\"\"\nl  = [1 s 1e+06]\nm  = [{a 1}]\nem = []\n\n[default]\nx = 1\n"
        );
        let e = emit(&[vec![Item::new("k", s("v"))]], None).unwrap_err();
        assert!(matches!(e, crate::stores::StoreError::Write(_)), "{}", e);
        assert!(emit(&[vec![Item::new("", Value::Map(vec![]))]], None).is_err());
        let empty_key = vec![Item::new("s", Value::Map(vec![Item::new("", s("v"))]))];
        assert!(emit(&[empty_key], None).is_err());
    }

    #[test]
    fn metadata_section() {
        let d = parse(
            b"[s]\nk = v\n\n[sops]\nmac = M\nage__list_0__map_enc = a\\nb\nversion = 3.11.0\n",
        )
        .unwrap();
        let Value::Map(meta) = &d[0][2].value else {
            panic!()
        };
        assert_eq!(meta[0], Item::new("mac", s("M")));
        let Value::List(age) = &meta[1].value else {
            panic!()
        };
        assert_eq!(age[0], Value::Map(vec![Item::new("enc", s("a\nb"))]));
        assert_eq!(
            String::from_utf8(emit(&d, None).unwrap()).unwrap(),
            "[s]\nk = v\n\n[sops]\nage__list_0__map_enc = a\\nb\nmac                  = M\nversion              = 3.11.0\n"
        );
    }

    /// sops 3.13.0 and 3.13.1 wrote multi-line metadata values as
    /// triple-quoted multi-line INI values; 3.13.2 (and 3.11) escape the
    /// newlines. Both read to the same metadata; rsops writes the escaped
    /// form, as 3.13.2 does.
    #[test]
    fn metadata_values_in_both_newline_forms() {
        let enc = "-----BEGIN PGP MESSAGE-----\n\nwcBM\n-----END PGP MESSAGE-----";
        let triple = format!(
            "[s]\nk = v\n\n[sops]\npgp__list_0__map_enc = \"\"\"{enc}\"\"\"\nversion              = 3.13.1\n"
        );
        let escaped = format!(
            "[s]\nk = v\n\n[sops]\npgp__list_0__map_enc = {}\nversion              = 3.13.1\n",
            enc.replace('\n', "\\n")
        );
        let a = parse(triple.as_bytes()).unwrap();
        let b = parse(escaped.as_bytes()).unwrap();
        assert_eq!(a, b);
        let Value::Map(meta) = &a[0][2].value else {
            panic!()
        };
        let Value::List(pgp) = &meta[0].value else {
            panic!()
        };
        assert_eq!(pgp[0], Value::Map(vec![Item::new("enc", s(enc))]));
        assert_eq!(String::from_utf8(emit(&a, None).unwrap()).unwrap(), escaped);
    }

    #[test]
    fn extract_values_match_sops() {
        let ev = |v: &Value| String::from_utf8(emit_value(v).unwrap()).unwrap();
        assert_eq!(ev(&Value::Float(1.0)), "1");
        assert_eq!(ev(&Value::Bool(true)), "true");
        assert_eq!(ev(&Value::Null), "null");
        assert_eq!(ev(&s("x<y")), "\"x\\u003cy\"");
    }

    #[test]
    fn errors_have_line_but_no_text() {
        let e = parse(b"[s]\nk = v\nsecret_line_without_delimiter\n").unwrap_err();
        assert!(matches!(e, crate::stores::StoreError::Read(_)), "{}", e);
        assert!(
            e.to_string().contains("line 3") && !e.to_string().contains("secret"),
            "{}",
            e.to_string()
        );
        let e = parse(b"[s]\nk = \"\"\"secret\nmore").unwrap_err();
        assert!(
            e.to_string().contains("line 2") && !e.to_string().contains("secret"),
            "{}",
            e.to_string()
        );
    }

    #[test]
    fn never_panics_on_mutated_corpus() {
        let dir = ts::corpus_dir("ini-corpus");
        let mut inputs = ts::files(&dir, "ini");
        inputs.extend(ts::files(&dir.join("invalid"), "ini"));
        for (_, input) in inputs
            .iter()
            .filter(|(n, i)| !n.contains(".expected.") && i.len() < 700)
        {
            ts::no_panic_on_mutations(input, parse, emit);
        }
    }

    /// `cargo test --release --lib stores::ini::tests::speed -- --ignored --nocapture`
    #[test]
    #[ignore]
    fn speed() {
        let mut s = String::new();
        let mut i = 0;
        while s.len() < 1_000_000 {
            if i % 50 == 0 {
                s.push_str(&format!("[section{i}]\n"));
            }
            s.push_str(&format!("; comment {i}\nkey_{i} = value number {i}\n"));
            i += 1;
        }
        let mut best = std::time::Duration::MAX;
        for _ in 0..20 {
            let t = std::time::Instant::now();
            let out = emit(&parse(s.as_bytes()).unwrap(), None).unwrap();
            best = best.min(t.elapsed());
            assert!(out.len() > s.len() / 2);
        }
        eprintln!("INI {} bytes: parse+emit {best:?} (best of 20)", s.len());
    }
}
