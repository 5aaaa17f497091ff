//! From the tree back to YAML text, the way sops does it (tree → go-yaml
//! nodes, comments becoming head/foot comments → events → emitter), but
//! streamed: each tree entry becomes its events directly.

use std::borrow::Cow;

use super::emitter::{analyze_scalar, EmitError, Emitter};
use super::node::{style, Kind, Node};
use super::parser::{Event, EventKind};
use super::resolve::{
    encode_base64_go, long_tag, resolve_plain_tag, short_tag, BINARY_TAG, MERGE_TAG, STR_TAG,
    TIMESTAMP_TAG,
};
use super::scanner::ScalarStyle;
use crate::tree::{Item, Key, Value};

/// YAML 1.1 booleans that go-yaml quotes on output.
fn is_old_bool(s: &str) -> bool {
    matches!(
        s,
        "y" | "Y"
            | "yes"
            | "Yes"
            | "YES"
            | "on"
            | "On"
            | "ON"
            | "n"
            | "N"
            | "no"
            | "No"
            | "NO"
            | "off"
            | "Off"
            | "OFF"
    )
}

/// `^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$` (YAML 1.1 base 60).
pub(super) fn is_base60_float(s: &str) -> bool {
    let b = s.as_bytes();
    let Some(&c) = b.first() else { return false };
    if !(c == b'+' || c == b'-' || c.is_ascii_digit()) || !s.contains(':') {
        return false;
    }
    let mut i = 0;
    if b[i] == b'+' || b[i] == b'-' {
        i += 1;
    }
    if i >= b.len() || !b[i].is_ascii_digit() {
        return false;
    }
    i += 1;
    while i < b.len() && (b[i].is_ascii_digit() || b[i] == b'_') {
        i += 1;
    }
    let mut groups = 0;
    while i < b.len() && b[i] == b':' {
        i += 1;
        // [0-5]?[0-9]
        let st = i;
        while i < b.len() && b[i].is_ascii_digit() && i - st < 2 {
            i += 1;
        }
        let n = i - st;
        if n == 0 {
            return false;
        }
        if n == 2 && b[st] > b'5' {
            // Try a single digit instead (regex backtracking).
            i = st + 1;
        }
        groups += 1;
    }
    if groups == 0 {
        return false;
    }
    if i < b.len() && b[i] == b'.' {
        i += 1;
        while i < b.len() && (b[i].is_ascii_digit() || b[i] == b'_') {
            i += 1;
        }
    }
    i == b.len()
}

/// The node go-yaml's `Node.Encode` makes for a string: it encodes the
/// string as a document of its own and parses it back, so the node keeps
/// the style the emitter picked at the top level.
fn string_node(s: &str) -> Node<'_> {
    let rtag = resolve_plain_tag(s);
    let can_use_plain = rtag == STR_TAG && !(is_base60_float(s) || is_old_bool(s));
    let mut st = if s.contains('\n') {
        ScalarStyle::Literal
    } else if can_use_plain {
        ScalarStyle::Plain
    } else {
        ScalarStyle::DoubleQuoted
    };
    // The emitter's choice at the document root.
    let a = analyze_scalar(s.as_bytes());
    if st == ScalarStyle::Plain && !a.block_plain_allowed {
        st = ScalarStyle::SingleQuoted;
    }
    if st == ScalarStyle::SingleQuoted && !a.single_quoted_allowed {
        st = ScalarStyle::DoubleQuoted;
    }
    if st == ScalarStyle::Literal && !a.block_allowed {
        st = ScalarStyle::DoubleQuoted;
    }
    if st == ScalarStyle::Literal && s.starts_with('\t') {
        // go-yaml writes this as a literal block it cannot read back (a
        // tab where the indentation is detected), so `Node.Encode` fails;
        // sops ignores the error and writes `null`, losing the value. We
        // write it double-quoted instead, which reads back exactly.
        st = ScalarStyle::DoubleQuoted;
    }
    let mut n = Node::new(Kind::Scalar);
    n.value = Cow::Borrowed(s);
    n.analysis = Some(a);
    match st {
        ScalarStyle::Plain => {
            // Parsed back as a plain scalar.
            n.tag = Cow::Borrowed(if s == "<<" { MERGE_TAG } else { rtag });
        }
        ScalarStyle::SingleQuoted => {
            n.tag = Cow::Borrowed(STR_TAG);
            n.style = style::SINGLE_QUOTED;
        }
        ScalarStyle::DoubleQuoted => {
            n.tag = Cow::Borrowed(STR_TAG);
            n.style = style::DOUBLE_QUOTED;
        }
        _ => {
            n.tag = Cow::Borrowed(STR_TAG);
            n.style = style::LITERAL;
        }
    }
    n
}

/// A plain scalar node whose tag is what its text resolves to.
fn plain_node(text: Cow<'_, str>) -> Node<'_> {
    let mut n = Node::new(Kind::Scalar);
    n.tag = Cow::Borrowed(resolve_plain_tag(&text));
    n.value = text;
    n
}

/// The node sops gets from `yaml.Node.Encode` for a scalar tree value.
fn scalar_node(v: &Value) -> Node<'_> {
    match v {
        Value::Str(s) => string_node(s),
        Value::Int(i) => plain_node(Cow::Owned(i.to_string())),
        Value::Float(f) => {
            // yaml.v3 writes floats with strconv.FormatFloat(f, 'g', -1, 64).
            let s = match crate::gofmt::go_format_float(*f, 'g').as_str() {
                "+Inf" => ".inf".to_string(),
                "-Inf" => "-.inf".to_string(),
                "NaN" => ".nan".to_string(),
                other => other.to_string(),
            };
            plain_node(Cow::Owned(s))
        }
        Value::Bool(b) => plain_node(Cow::Borrowed(if *b { "true" } else { "false" })),
        Value::Null => plain_node(Cow::Borrowed("null")),
        Value::Time(t) => {
            if resolve_plain_tag(t) == TIMESTAMP_TAG {
                plain_node(Cow::Borrowed(t))
            } else {
                // Not a timestamp go-yaml would print: keep it a string.
                string_node(t)
            }
        }
        Value::Bytes(b) => match std::str::from_utf8(b) {
            Ok(s) => string_node(s),
            Err(_) => {
                // go-yaml writes invalid UTF-8 as base64 under !!binary.
                let enc = encode_base64_go(b);
                let mut n = Node::new(Kind::Scalar);
                n.style = style::TAGGED;
                if enc.contains('\n') {
                    n.style |= style::LITERAL;
                }
                n.value = Cow::Owned(enc);
                n.tag = Cow::Borrowed(BINARY_TAG);
                n
            }
        },
        // Only reached for malformed trees (maps and lists are handled by
        // the caller); a comment as a value is written as its text.
        Value::Comment(c) => string_node(&c.value),
        Value::Map(_) | Value::List(_) => plain_node(Cow::Borrowed("null")),
    }
}

/// Comments as go-yaml holds them on a node: `#` before each, one per line.
fn comment_block(comments: &[&str]) -> Vec<u8> {
    let mut out = Vec::new();
    for (i, c) in comments.iter().enumerate() {
        if i > 0 {
            out.push(b'\n');
        }
        out.push(b'#');
        out.extend_from_slice(c.as_bytes());
    }
    out
}

/// The comment items among `items`, in order: those written on their own
/// lines (`head`), then, with `line`, the end-of-line ones (sops 3.13
/// keeps the `inline` mark of a value's line comment; comments gathered
/// into one head or foot put the inline ones last, as sops does).
fn item_comments(items: &[Item], head: bool, line: bool) -> Vec<&str> {
    let pick = |want_inline: bool| {
        items.iter().filter_map(move |i| match &i.key {
            Key::Comment(c) if c.inline == want_inline => Some(c.value.as_str()),
            _ => None,
        })
    };
    let mut out: Vec<&str> = Vec::new();
    if head {
        out.extend(pick(false));
    }
    if line {
        out.extend(pick(true));
    }
    out
}

/// The comment elements among `values`, as [`item_comments`].
fn element_comments(values: &[Value], head: bool, line: bool) -> Vec<&str> {
    let pick = |want_inline: bool| {
        values.iter().filter_map(move |v| match v {
            Value::Comment(c) if c.inline == want_inline => Some(c.value.as_str()),
            _ => None,
        })
    };
    let mut out: Vec<&str> = Vec::new();
    if head {
        out.extend(pick(false));
    }
    if line {
        out.extend(pick(true));
    }
    out
}

/// A collection being written: its entries, the next one to look at, the
/// first and last entries that are not comments, and the foot comment its
/// end event carries.
struct Frame<'a> {
    src: Src<'a>,
    next: usize,
    first: usize,
    last: usize,
    foot: Vec<u8>,
    /// The collection's line comment, which go-yaml's encoder puts on its
    /// end event.
    line: Vec<u8>,
}

enum Src<'a> {
    Map(&'a [Item]),
    List(&'a [Value]),
}

/// Write one value as a document, the way sops does: its
/// `treeValueToNode`/`appendTreeBranch`/`appendSequence` followed by
/// go-yaml's encoder, without building the node graph and without
/// recursion. Comments land where sops puts them: those before the first
/// entry of a collection become the collection's head comment (after any
/// comments its parent list put before it), those between entries the head
/// of the next key or element, and those after the last entry the foot of
/// the last key (written after its value) or of the last list element; a
/// collection with only comments gets them all as its head. End-of-line
/// comments (sops 3.13) before an entry become the line comment of its
/// value (of the element in a list) instead.
pub(super) fn encode_document<'a>(root: Root<'a>, em: &mut Emitter<'a>) -> Result<(), EmitError> {
    em.emit(Event {
        kind: EventKind::DocumentStart,
        implicit: true,
        ..Event::default()
    })?;
    let mut stack: Vec<Frame<'a>> = Vec::new();
    match root {
        Root::Branch(items) => {
            start_collection(Src::Map(items), &[], Vec::new(), Vec::new(), em, &mut stack)?
        }
        Root::Value(v) => start_value(v, &[], Vec::new(), Vec::new(), em, &mut stack)?,
    }
    while let Some(top) = stack.last_mut() {
        let len = match top.src {
            Src::Map(m) => m.len(),
            Src::List(l) => l.len(),
        };
        if top.next > top.last || top.next >= len {
            let Some(frame) = stack.pop() else { break };
            match frame.src {
                Src::Map(items) => {
                    // Comments after the last key are its foot, which
                    // go-yaml writes after the value, as the map's tail.
                    let tail = if frame.last < items.len() {
                        comment_block(&item_comments(&items[frame.last + 1..], true, true))
                    } else {
                        Vec::new()
                    };
                    em.emit(Event {
                        kind: EventKind::MappingEnd,
                        tail_comment: tail,
                        line_comment: frame.line,
                        foot_comment: frame.foot,
                        ..Event::default()
                    })?;
                }
                Src::List(_) => em.emit(Event {
                    kind: EventKind::SequenceEnd,
                    line_comment: frame.line,
                    foot_comment: frame.foot,
                    ..Event::default()
                })?,
            }
            continue;
        }
        let (i, first, last) = (top.next, top.first, top.last);
        // The comments since the previous entry (the first entry's went to
        // the collection's head).
        let mut at = i;
        match top.src {
            Src::Map(items) => {
                while let Some(Item {
                    key: Key::Comment(_),
                    ..
                }) = items.get(at)
                {
                    at += 1;
                }
                let Some(item) = items.get(at) else {
                    top.next = len;
                    continue;
                };
                top.next = at + 1;
                let Key::Str(k) = &item.key else { continue };
                let head = if at == first {
                    Vec::new()
                } else {
                    comment_block(&item_comments(&items[i..at], true, false))
                };
                let line = comment_block(&item_comments(&items[i..at], false, true));
                em.emit(scalar_event(string_node(k), head, Vec::new(), Vec::new()))?;
                start_value(&item.value, &[], line, Vec::new(), em, &mut stack)?;
            }
            Src::List(values) => {
                while let Some(Value::Comment(_)) = values.get(at) {
                    at += 1;
                }
                let Some(value) = values.get(at) else {
                    top.next = len;
                    continue;
                };
                top.next = at + 1;
                let before = if at == first {
                    Vec::new()
                } else {
                    element_comments(&values[i..at], true, false)
                };
                let line = comment_block(&element_comments(&values[i..at], false, true));
                let foot = if at == last {
                    comment_block(&element_comments(&values[last + 1..], true, true))
                } else {
                    Vec::new()
                };
                start_value(value, &before, line, foot, em, &mut stack)?;
            }
        }
    }
    em.emit(Event {
        kind: EventKind::DocumentEnd,
        implicit: true,
        ..Event::default()
    })
}

/// What a document holds: a branch (a file) or any value (`--extract`).
pub(super) enum Root<'a> {
    Branch(&'a [Item]),
    Value(&'a Value),
}

/// Write a value: a scalar event, or the start of a collection (whose
/// entries follow from the stack). `before` are the comments a parent list
/// puts before it, `line` its line comment, `foot` its foot comment.
fn start_value<'a>(
    v: &'a Value,
    before: &[&str],
    line: Vec<u8>,
    foot: Vec<u8>,
    em: &mut Emitter<'a>,
    stack: &mut Vec<Frame<'a>>,
) -> Result<(), EmitError> {
    match v {
        Value::Map(items) => start_collection(Src::Map(items), before, line, foot, em, stack),
        Value::List(values) => start_collection(Src::List(values), before, line, foot, em, stack),
        other => em.emit(scalar_event(
            scalar_node(other),
            comment_block(before),
            line,
            foot,
        )),
    }
}

fn start_collection<'a>(
    src: Src<'a>,
    before: &[&str],
    line: Vec<u8>,
    foot: Vec<u8>,
    em: &mut Emitter<'a>,
    stack: &mut Vec<Frame<'a>>,
) -> Result<(), EmitError> {
    // The comments before the first entry are the collection's head; its
    // end-of-line ones stay for that entry. Without entries, all of them.
    let (first, last, leading) = match src {
        Src::Map(items) => {
            let is_entry = |i: &Item| matches!(i.key, Key::Str(_));
            let first = items.iter().position(is_entry).unwrap_or(items.len());
            let last = items.iter().rposition(is_entry).unwrap_or(items.len());
            let none = first == items.len();
            (first, last, item_comments(&items[..first], true, none))
        }
        Src::List(values) => {
            let is_entry = |v: &Value| !v.is_comment();
            let first = values.iter().position(is_entry).unwrap_or(values.len());
            let last = values.iter().rposition(is_entry).unwrap_or(values.len());
            let none = first == values.len();
            (first, last, element_comments(&values[..first], true, none))
        }
    };
    let head = if before.is_empty() {
        comment_block(&leading)
    } else {
        let mut all = before.to_vec();
        all.extend(leading);
        comment_block(&all)
    };
    em.emit(Event {
        kind: match src {
            Src::Map(_) => EventKind::MappingStart,
            Src::List(_) => EventKind::SequenceStart,
        },
        // The map and sequence tags are implied.
        implicit: true,
        head_comment: head,
        ..Event::default()
    })?;
    stack.push(Frame {
        src,
        next: 0,
        first,
        last,
        foot,
        line,
    });
    Ok(())
}

/// go-yaml's `encoder.node` for a scalar node: the scalar event. The nodes
/// built here carry either the tag their own plain text resolves to, or
/// `!!str` on a quoted or block scalar, or an explicit tag (`!!binary`,
/// style `TAGGED`), or `!!merge` on a plain `<<` (which go-yaml writes
/// out): it drops all tags but the last two and never has to force quotes,
/// so the text is not resolved a second time.
fn scalar_event(n: Node<'_>, head: Vec<u8>, line: Vec<u8>, foot: Vec<u8>) -> Event<'_> {
    let plain = n.style & style::QUOTED_OR_BLOCK == 0;
    let implicit = n.style & style::TAGGED == 0 && !(plain && n.tag == MERGE_TAG);
    debug_assert_eq!((implicit, false), go_tag_decision(&n), "{:?}", n.value);
    let st = if n.style & style::DOUBLE_QUOTED != 0 {
        ScalarStyle::DoubleQuoted
    } else if n.style & style::SINGLE_QUOTED != 0 {
        ScalarStyle::SingleQuoted
    } else if n.style & style::LITERAL != 0 {
        ScalarStyle::Literal
    } else if n.style & style::FOLDED != 0 {
        ScalarStyle::Folded
    } else if n.value.contains('\n') {
        ScalarStyle::Literal
    } else {
        ScalarStyle::Plain
    };
    Event {
        kind: EventKind::Scalar,
        tag: if implicit {
            Vec::new()
        } else {
            long_tag(&n.tag).into_bytes()
        },
        value: match n.value {
            Cow::Borrowed(s) => Cow::Borrowed(s.as_bytes()),
            Cow::Owned(s) => Cow::Owned(s.into_bytes()),
        },
        implicit,
        quoted_implicit: implicit,
        style: st,
        head_comment: head,
        line_comment: line,
        foot_comment: foot,
        analysis: n.analysis,
        ..Event::default()
    }
}

/// go-yaml's own decision for a scalar node, for checking [`scalar_event`]
/// in debug builds: whether the tag is dropped, and whether the scalar had
/// to be forced into double quotes (which matters unless it holds a line
/// break and is written as a literal block anyway).
fn go_tag_decision(n: &Node<'_>) -> (bool, bool) {
    let stag = short_tag(&n.tag);
    if n.tag.is_empty() {
        return (true, false);
    }
    if n.style & style::TAGGED != 0 {
        return (false, false);
    }
    if stag == STR_TAG && n.style & style::QUOTED_OR_BLOCK != 0 {
        return (true, false);
    }
    let rtag = resolve_plain_tag(&n.value);
    if rtag == stag {
        (true, false)
    } else if stag == STR_TAG {
        (true, !n.value.contains('\n'))
    } else {
        (false, false)
    }
}
