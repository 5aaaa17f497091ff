//! From the tree back to YAML text, the way sops does it: tree → go-yaml
//! nodes (comments become head/foot comments) → events → emitter.

use std::borrow::Cow;

use super::emitter::{analyze_scalar, EmitError, Emitter};
use super::node::{style, Arena, Kind, Node, NodeId};
use super::parser::{Event, EventKind};
use super::resolve::{
    encode_base64_go, go_format_float_g, long_tag, resolve_plain_tag, short_tag, BINARY_TAG,
    MAP_TAG, MERGE_TAG, SEQ_TAG, STR_TAG, TIMESTAMP_TAG,
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
fn is_base60_float(s: &str) -> bool {
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
            let s = match go_format_float_g(*f).as_str() {
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

fn add_comments_head(node: &mut Node<'_>, comments: &mut Vec<&str>) {
    if comments.is_empty() {
        return;
    }
    let c = format!("#{}", comments.join("\n#"));
    if node.head().is_empty() {
        node.set_head(c);
    } else {
        let h = format!("{c}\n{}", node.head());
        node.set_head(h);
    }
    comments.clear();
}

fn add_comments_foot(node: &mut Node<'_>, comments: &mut Vec<&str>) {
    if comments.is_empty() {
        return;
    }
    let c = format!("#{}", comments.join("\n#"));
    if node.foot().is_empty() {
        node.set_foot(c);
    } else {
        let f = node.foot_mut();
        f.push('\n');
        f.push_str(&c);
    }
    comments.clear();
}

enum Src<'a> {
    Map(&'a [Item]),
    List(&'a [Value]),
}

struct BuildFrame<'a> {
    node: NodeId,
    src: Src<'a>,
    idx: usize,
    comments: Vec<&'a str>,
    beginning: bool,
    /// Comments the parent list puts before this node; prepended to its
    /// head comment once the node is complete (as sops does).
    outer: Vec<&'a str>,
}

/// sops' `treeValueToNode` / `appendTreeBranch` / `appendSequence`, without
/// recursion. Returns the node for `v`.
pub(super) fn value_to_node<'a>(arena: &mut Arena<'a>, v: &'a Value) -> NodeId {
    let mut stack: Vec<BuildFrame> = Vec::new();
    let root = new_value_node(arena, v, &mut stack);
    fill(arena, stack);
    root
}

/// Like [`value_to_node`] for a map given as its items.
pub(super) fn branch_to_node<'a>(arena: &mut Arena<'a>, items: &'a [Item]) -> NodeId {
    let mut stack: Vec<BuildFrame> = Vec::new();
    let root = new_map_node(arena, items, &mut stack);
    fill(arena, stack);
    root
}

fn fill<'a>(arena: &mut Arena<'a>, mut stack: Vec<BuildFrame<'a>>) {
    while let Some(top) = stack.last_mut() {
        let len = match top.src {
            Src::Map(m) => m.len(),
            Src::List(l) => l.len(),
        };
        if top.idx >= len {
            let frame = stack.pop().expect("non-empty");
            let mut comments = frame.comments;
            if !comments.is_empty() {
                let content = &arena.nodes[frame.node].content;
                if frame.beginning || content.is_empty() {
                    add_comments_head(&mut arena.nodes[frame.node], &mut comments);
                } else {
                    let target = match frame.src {
                        Src::Map(_) => content[content.len().saturating_sub(2)],
                        Src::List(_) => content[content.len() - 1],
                    };
                    add_comments_foot(&mut arena.nodes[target], &mut comments);
                }
            }
            let mut outer = frame.outer;
            add_comments_head(&mut arena.nodes[frame.node], &mut outer);
            continue;
        }
        let i = top.idx;
        top.idx += 1;
        match top.src {
            Src::Map(items) => {
                let item = &items[i];
                match &item.key {
                    Key::Comment(c) => top.comments.push(&c.value),
                    Key::Str(k) => {
                        let parent = top.node;
                        let mut comments = std::mem::take(&mut top.comments);
                        if top.beginning {
                            add_comments_head(&mut arena.nodes[parent], &mut comments);
                            top.beginning = false;
                        }
                        let mut key_node = string_node(k);
                        add_comments_head(&mut key_node, &mut comments);
                        let key_id = arena.add(key_node);
                        arena.nodes[parent].content.push(key_id);
                        let val_id = new_value_node(arena, &item.value, &mut stack);
                        arena.nodes[parent].content.push(val_id);
                    }
                }
            }
            Src::List(values) => {
                let value = &values[i];
                if let Value::Comment(c) = value {
                    top.comments.push(&c.value);
                    continue;
                }
                let parent = top.node;
                let mut comments = std::mem::take(&mut top.comments);
                if top.beginning {
                    add_comments_head(&mut arena.nodes[parent], &mut comments);
                    top.beginning = false;
                }
                let depth = stack.len();
                let val_id = new_value_node(arena, value, &mut stack);
                if stack.len() > depth {
                    // A map or list: its own head comments come first.
                    if let Some(child) = stack.last_mut() {
                        child.outer = comments;
                    }
                } else {
                    add_comments_head(&mut arena.nodes[val_id], &mut comments);
                }
                arena.nodes[parent].content.push(val_id);
            }
        }
    }
}

fn new_map_node<'a>(
    arena: &mut Arena<'a>,
    items: &'a [Item],
    stack: &mut Vec<BuildFrame<'a>>,
) -> NodeId {
    let mut n = Node::new(Kind::Mapping);
    n.content.reserve(
        items
            .iter()
            .filter(|i| matches!(i.key, Key::Str(_)))
            .count()
            * 2,
    );
    n.tag = Cow::Borrowed(MAP_TAG);
    let id = arena.add(n);
    stack.push(BuildFrame {
        node: id,
        src: Src::Map(items),
        idx: 0,
        comments: Vec::new(),
        beginning: true,
        outer: Vec::new(),
    });
    id
}

/// A node for `v`; maps and lists get a frame to be filled in.
fn new_value_node<'a>(
    arena: &mut Arena<'a>,
    v: &'a Value,
    stack: &mut Vec<BuildFrame<'a>>,
) -> NodeId {
    match v {
        Value::Map(items) => new_map_node(arena, items, stack),
        Value::List(values) => {
            let mut n = Node::new(Kind::Sequence);
            n.content
                .reserve(values.iter().filter(|v| !v.is_comment()).count());
            n.tag = Cow::Borrowed(SEQ_TAG);
            let id = arena.add(n);
            stack.push(BuildFrame {
                node: id,
                src: Src::List(values),
                idx: 0,
                comments: Vec::new(),
                beginning: true,
                outer: Vec::new(),
            });
            id
        }
        other => arena.add(scalar_node(other)),
    }
}

fn bytes(s: &str) -> Vec<u8> {
    s.as_bytes().to_vec()
}

/// go-yaml's `encoder.node` for a scalar: the scalar event.
fn scalar_event<'a>(n: &'a Node<'a>, tail: &str) -> Event<'a> {
    let stag = short_tag(&n.tag);
    let mut drop_tag = n.tag.is_empty();
    let mut force_quoting = false;
    if !n.tag.is_empty() && n.style & style::TAGGED == 0 {
        if stag == STR_TAG && n.style & style::QUOTED_OR_BLOCK != 0 {
            drop_tag = true;
        } else {
            let rtag = resolve_plain_tag(&n.value);
            if rtag == stag {
                drop_tag = true;
            } else if stag == STR_TAG {
                drop_tag = true;
                force_quoting = true;
            }
        }
    }
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
    } else if force_quoting {
        ScalarStyle::DoubleQuoted
    } else {
        ScalarStyle::Plain
    };
    let implicit = drop_tag;
    Event {
        kind: EventKind::Scalar,
        anchor: bytes(n.anchor()),
        tag: if implicit {
            Vec::new()
        } else {
            bytes(&long_tag(&n.tag))
        },
        value: Cow::Borrowed(n.value.as_bytes()),
        implicit,
        quoted_implicit: implicit,
        style: st,
        head_comment: bytes(n.head()),
        line_comment: bytes(n.line()),
        foot_comment: bytes(n.foot()),
        tail_comment: bytes(tail),
        analysis: n.analysis,
        ..Event::default()
    }
}

fn collection_tag(n: &Node<'_>) -> (Vec<u8>, bool) {
    let stag = short_tag(&n.tag);
    let mut drop_tag = n.tag.is_empty();
    if !n.tag.is_empty() && n.style & style::TAGGED == 0 {
        let rtag = if n.kind == Kind::Mapping {
            MAP_TAG
        } else {
            SEQ_TAG
        };
        if rtag == stag {
            drop_tag = true;
        }
    }
    (
        if drop_tag {
            Vec::new()
        } else {
            bytes(&long_tag(&n.tag))
        },
        drop_tag,
    )
}

enum EncFrame {
    Mapping { id: NodeId, i: usize, tail: String },
    Sequence { id: NodeId, i: usize },
}

/// go-yaml's `encoder.node` for a document holding `root`, without
/// recursion: sends the events to the emitter.
pub(super) fn encode_document<'a>(
    arena: &'a Arena<'a>,
    root: Option<NodeId>,
    em: &mut Emitter<'a>,
) -> Result<(), EmitError> {
    em.emit(Event {
        kind: EventKind::DocumentStart,
        implicit: true,
        ..Event::default()
    })?;
    if let Some(root) = root {
        encode_node(arena, root, em)?;
    }
    em.emit(Event {
        kind: EventKind::DocumentEnd,
        implicit: true,
        ..Event::default()
    })
}

fn start_node<'a>(
    arena: &'a Arena<'a>,
    id: NodeId,
    tail: &str,
    key_without_foot: bool,
    em: &mut Emitter<'a>,
    stack: &mut Vec<EncFrame>,
) -> Result<(), EmitError> {
    let n = &arena.nodes[id];
    match n.kind {
        Kind::Scalar => {
            let mut ev = scalar_event(n, tail);
            if key_without_foot {
                ev.foot_comment.clear();
            }
            em.emit(ev)
        }
        Kind::Sequence => {
            let (tag, implicit) = collection_tag(n);
            em.emit(Event {
                kind: EventKind::SequenceStart,
                anchor: bytes(n.anchor()),
                tag,
                implicit,
                flow: n.style & style::FLOW != 0,
                head_comment: bytes(n.head()),
                ..Event::default()
            })?;
            stack.push(EncFrame::Sequence { id, i: 0 });
            Ok(())
        }
        Kind::Mapping => {
            let (tag, implicit) = collection_tag(n);
            em.emit(Event {
                kind: EventKind::MappingStart,
                anchor: bytes(n.anchor()),
                tag,
                implicit,
                flow: n.style & style::FLOW != 0,
                head_comment: bytes(n.head()),
                tail_comment: bytes(tail),
                ..Event::default()
            })?;
            stack.push(EncFrame::Mapping {
                id,
                i: 0,
                tail: String::new(),
            });
            Ok(())
        }
        Kind::Alias => em.emit(Event {
            kind: EventKind::Alias,
            anchor: bytes(&n.value),
            head_comment: bytes(n.head()),
            line_comment: bytes(n.line()),
            foot_comment: bytes(n.foot()),
            ..Event::default()
        }),
        Kind::Document => Ok(()),
    }
}

fn encode_node<'a>(
    arena: &'a Arena<'a>,
    root: NodeId,
    em: &mut Emitter<'a>,
) -> Result<(), EmitError> {
    let mut stack: Vec<EncFrame> = Vec::new();
    start_node(arena, root, "", false, em, &mut stack)?;
    while let Some(top) = stack.last_mut() {
        match top {
            EncFrame::Sequence { id, i } => {
                let n = &arena.nodes[*id];
                if *i < n.content.len() {
                    let child = n.content[*i];
                    *i += 1;
                    start_node(arena, child, "", false, em, &mut stack)?;
                } else {
                    em.emit(Event {
                        kind: EventKind::SequenceEnd,
                        line_comment: bytes(n.line()),
                        foot_comment: bytes(n.foot()),
                        ..Event::default()
                    })?;
                    stack.pop();
                }
            }
            EncFrame::Mapping { id, i, tail } => {
                let n = &arena.nodes[*id];
                if *i + 1 < n.content.len() {
                    let k = n.content[*i];
                    let v = n.content[*i + 1];
                    *i += 2;
                    // A key's foot comment is written after its value: it
                    // travels as the tail of the next key or of the end.
                    let key_foot = arena.nodes[k].foot().to_string();
                    let prev_tail = std::mem::replace(tail, key_foot.clone());
                    start_node(arena, k, &prev_tail, !key_foot.is_empty(), em, &mut stack)?;
                    start_node(arena, v, "", false, em, &mut stack)?;
                } else {
                    let tail = std::mem::take(tail);
                    em.emit(Event {
                        kind: EventKind::MappingEnd,
                        tail_comment: bytes(&tail),
                        line_comment: bytes(n.line()),
                        foot_comment: bytes(n.foot()),
                        ..Event::default()
                    })?;
                    stack.pop();
                }
            }
        }
    }
    Ok(())
}
