//! The node graph go-yaml builds from events (its `yaml.Node`), kept in an
//! arena so aliases can point at anchored nodes and nothing recurses.

use std::borrow::Cow;
use std::collections::HashMap;

use super::parser::{Event, EventKind, Parser};
use super::resolve::{
    resolve_plain, resolve_plain_tag, short_tag, Resolved, MAP_TAG, MERGE_TAG, NULL_TAG, SEQ_TAG,
    STR_TAG,
};
use super::scanner::{Mark, SResult, ScalarStyle, SyntaxError};

pub(super) type NodeId = usize;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Kind {
    Document,
    Sequence,
    Mapping,
    Scalar,
    Alias,
}

/// Node style bits (go-yaml's `Style`).
pub(super) mod style {
    pub const TAGGED: u8 = 1;
    pub const DOUBLE_QUOTED: u8 = 2;
    pub const SINGLE_QUOTED: u8 = 4;
    pub const LITERAL: u8 = 8;
    pub const FOLDED: u8 = 16;
    pub const FLOW: u8 = 32;
    pub const QUOTED_OR_BLOCK: u8 = DOUBLE_QUOTED | SINGLE_QUOTED | LITERAL | FOLDED;
}

/// The children of a collection node. Boxed: most nodes are scalars, and
/// an empty `Vec` would still cost each of them 24 bytes.
#[derive(Clone, Debug, Default)]
#[allow(clippy::box_collection)] // 8 bytes per node instead of 24, on purpose
pub(super) struct Content(Option<Box<Vec<NodeId>>>);

impl Content {
    pub fn push(&mut self, id: NodeId) {
        self.0.get_or_insert_with(Default::default).push(id);
    }
}

impl std::ops::Deref for Content {
    type Target = [NodeId];
    fn deref(&self) -> &[NodeId] {
        self.0.as_deref().map_or(&[], Vec::as_slice)
    }
}

impl<'c> IntoIterator for &'c Content {
    type Item = &'c NodeId;
    type IntoIter = std::slice::Iter<'c, NodeId>;
    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

/// A node's rarely used parts: anchor, alias target and comments. Boxed
/// and absent in most nodes, which keeps a node small (the parse and emit
/// arenas hold one per key and value of a file).
#[derive(Clone, Debug, Default)]
pub(super) struct Extra {
    pub anchor: String,
    /// Target of an alias node.
    pub alias: Option<NodeId>,
    pub head: String,
    pub line: String,
    pub foot: String,
}

/// A node. Values borrow from the tree when emitting (`'a`) and are owned
/// when parsing.
#[derive(Clone, Debug)]
pub(super) struct Node<'a> {
    pub kind: Kind,
    pub style: u8,
    /// The emitter's analysis of the value, when already made.
    pub analysis: Option<super::emitter::Analysis>,
    /// 1-based position.
    pub line_no: u32,
    pub column: u32,
    /// Short form (`!!str`); empty when none.
    pub tag: Cow<'static, str>,
    pub value: Cow<'a, str>,
    pub content: Content,
    /// The plain-scalar resolution made when the tag was chosen.
    pub resolved: Option<Resolved>,
    extra: Option<Box<Extra>>,
}

impl<'a> Node<'a> {
    pub fn new(kind: Kind) -> Self {
        Node {
            kind,
            style: 0,
            analysis: None,
            line_no: 0,
            column: 0,
            tag: Cow::Borrowed(""),
            value: Cow::Borrowed(""),
            content: Content::default(),
            resolved: None,
            extra: None,
        }
    }

    pub fn alias(&self) -> Option<NodeId> {
        self.extra.as_ref().and_then(|e| e.alias)
    }
    pub fn anchor(&self) -> &str {
        self.extra.as_ref().map_or("", |e| &e.anchor)
    }
    pub fn head(&self) -> &str {
        self.extra.as_ref().map_or("", |e| &e.head)
    }
    pub fn line(&self) -> &str {
        self.extra.as_ref().map_or("", |e| &e.line)
    }
    pub fn foot(&self) -> &str {
        self.extra.as_ref().map_or("", |e| &e.foot)
    }
    fn extra_mut(&mut self) -> &mut Extra {
        self.extra.get_or_insert_with(Default::default)
    }
    pub fn set_anchor(&mut self, a: String) {
        if !a.is_empty() || self.extra.is_some() {
            self.extra_mut().anchor = a;
        }
    }
    pub fn set_alias(&mut self, t: NodeId) {
        self.extra_mut().alias = Some(t);
    }
    pub fn set_head(&mut self, c: String) {
        if !c.is_empty() || self.extra.is_some() {
            self.extra_mut().head = c;
        }
    }
    pub fn set_line(&mut self, c: String) {
        if !c.is_empty() || self.extra.is_some() {
            self.extra_mut().line = c;
        }
    }
    pub fn set_foot(&mut self, c: String) {
        if !c.is_empty() || self.extra.is_some() {
            self.extra_mut().foot = c;
        }
    }
    pub fn take_foot(&mut self) -> String {
        self.extra
            .as_mut()
            .map(|e| std::mem::take(&mut e.foot))
            .unwrap_or_default()
    }
}

#[derive(Default)]
pub(super) struct Arena<'a> {
    pub nodes: Vec<Node<'a>>,
}

impl<'a> Arena<'a> {
    pub fn add(&mut self, n: Node<'a>) -> NodeId {
        self.nodes.push(n);
        self.nodes.len() - 1
    }

    /// go-yaml's `indicatedString`.
    pub fn indicated_string(&self, id: NodeId) -> bool {
        let n = &self.nodes[id];
        n.kind == Kind::Scalar
            && (short_tag(&n.tag) == STR_TAG
                || ((n.tag.is_empty() || n.tag == "!") && n.style & style::QUOTED_OR_BLOCK != 0))
    }

    /// go-yaml's `ShortTag`.
    pub fn short_tag_of(&self, id: NodeId) -> Cow<'_, str> {
        if self.indicated_string(id) {
            return Cow::Borrowed(STR_TAG);
        }
        let n = &self.nodes[id];
        if n.tag.is_empty() || n.tag == "!" {
            return Cow::Borrowed(match n.kind {
                Kind::Mapping => MAP_TAG,
                Kind::Sequence => SEQ_TAG,
                Kind::Alias => match n.alias() {
                    Some(t) if t != id => return self.short_tag_of(t),
                    _ => "",
                },
                Kind::Scalar => resolve_plain_tag(&n.value),
                Kind::Document => "",
            });
        }
        short_tag(&n.tag)
    }

    pub fn is_null_scalar(&self, id: NodeId) -> bool {
        self.short_tag_of(id) == NULL_TAG
    }

    /// go-yaml's `isMerge`: a `<<` key.
    pub fn is_merge_key(&self, id: NodeId) -> bool {
        let n = &self.nodes[id];
        n.kind == Kind::Scalar
            && n.value == "<<"
            && (n.tag.is_empty() || n.tag == "!" || short_tag(&n.tag) == MERGE_TAG)
    }
}

fn text(v: Vec<u8>) -> String {
    if v.is_empty() {
        return String::new();
    }
    match String::from_utf8(v) {
        Ok(s) => s,
        Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
    }
}

fn compose_error(problem: String, mark: Mark) -> SyntaxError {
    SyntaxError {
        context: "",
        context_mark: Mark::default(),
        problem,
        problem_mark: mark,
    }
}

/// Builds nodes from parser events, one document at a time (go-yaml's
/// decoder-side `parser`). Anchors stay known across documents, as in
/// go-yaml's `Decoder`.
pub(super) struct Composer<'a> {
    text: &'a str,
    parser: Parser<'a>,
    peeked: Option<Event<'a>>,
    anchors: HashMap<String, NodeId>,
    pub arena: Arena<'a>,
    /// Alias nodes met in the current document.
    pub aliases_in_doc: usize,
    started: bool,
}

#[derive(Clone, Copy)]
enum Frame {
    Document(NodeId),
    Sequence(NodeId),
    Mapping(NodeId),
}

impl<'a> Composer<'a> {
    pub fn new(text: &'a str) -> Self {
        let buf = text.as_bytes();
        Composer {
            text,
            parser: Parser::new(buf),
            peeked: None,
            anchors: HashMap::new(),
            arena: Arena {
                // A rough guess of the node count, to avoid regrowing.
                nodes: Vec::with_capacity(buf.len() / 12 + 16),
            },
            aliases_in_doc: 0,
            started: false,
        }
    }

    fn peek(&mut self) -> SResult<&Event<'a>> {
        if self.peeked.is_none() {
            self.peeked = Some(self.parser.next_event()?);
        }
        Ok(self.peeked.as_ref().expect("just set"))
    }

    fn peek_kind(&mut self) -> SResult<EventKind> {
        Ok(self.peek()?.kind)
    }

    fn take(&mut self) -> SResult<Event<'a>> {
        match self.peeked.take() {
            Some(ev) => Ok(ev),
            None => self.parser.next_event(),
        }
    }

    /// go-yaml's `parser.node`: a node with tag and comments from `ev`.
    fn make_node(kind: Kind, default_tag: &'static str, ev: &mut Event<'a>) -> Node<'a> {
        let mut n = Node::new(kind);
        let tag = std::str::from_utf8(&ev.tag).unwrap_or("");
        if !tag.is_empty() && tag != "!" {
            n.tag = Cow::Owned(short_tag(tag).into_owned());
            n.style = style::TAGGED;
        } else if !default_tag.is_empty() {
            n.tag = Cow::Borrowed(default_tag);
        } else if kind == Kind::Scalar {
            let v = std::str::from_utf8(&ev.value).unwrap_or("");
            let (t, r) = resolve_plain(v);
            n.tag = Cow::Borrowed(t);
            n.resolved = Some(r);
        }
        n.line_no = u32::try_from(ev.start.line + 1).unwrap_or(u32::MAX);
        n.column = u32::try_from(ev.start.column + 1).unwrap_or(u32::MAX);
        if !ev.head_comment.is_empty() {
            n.set_head(text(std::mem::take(&mut ev.head_comment)));
        }
        if !ev.line_comment.is_empty() {
            n.set_line(text(std::mem::take(&mut ev.line_comment)));
        }
        if !ev.foot_comment.is_empty() {
            n.set_foot(text(std::mem::take(&mut ev.foot_comment)));
        }
        n
    }

    /// A scalar's text: borrowed from the input when it is a slice of it.
    fn value_text(&self, v: Cow<'a, [u8]>) -> Cow<'a, str> {
        match v {
            Cow::Owned(bytes) => Cow::Owned(text(bytes)),
            Cow::Borrowed(bytes) => {
                let base = self.text.as_ptr() as usize;
                let off = (bytes.as_ptr() as usize).wrapping_sub(base);
                match self.text.get(off..off.wrapping_add(bytes.len())) {
                    Some(t) if !bytes.is_empty() => Cow::Borrowed(t),
                    _ => Cow::Owned(String::from_utf8_lossy(bytes).into_owned()),
                }
            }
        }
    }

    fn register_anchor(&mut self, id: NodeId, anchor: Vec<u8>) {
        if !anchor.is_empty() {
            let a = text(anchor);
            self.arena.nodes[id].set_anchor(a.clone());
            self.anchors.insert(a, id);
        }
    }

    /// The next document's root (a `Document` node), or `None` at the end.
    pub fn next_document(&mut self) -> SResult<Option<NodeId>> {
        self.aliases_in_doc = 0;
        if !self.started {
            let ev = self.take()?;
            if ev.kind != EventKind::StreamStart {
                return Err(compose_error(
                    "expected the start of the stream".into(),
                    ev.start,
                ));
            }
            self.started = true;
        }
        match self.peek_kind()? {
            EventKind::StreamEnd => Ok(None),
            EventKind::DocumentStart => self.document().map(Some),
            _ => {
                let m = self.peek()?.start;
                Err(compose_error("expected the start of a document".into(), m))
            }
        }
    }

    fn document(&mut self) -> SResult<NodeId> {
        let mut ev = self.take()?;
        let doc = self.arena.add(Self::make_node(Kind::Document, "", &mut ev));
        let mut stack: Vec<Frame> = vec![Frame::Document(doc)];

        while let Some(top) = stack.last() {
            // The next event, moved once out of the parser.
            let mut ev = self.take()?;
            // Close finished containers.
            match (*top, ev.kind) {
                (Frame::Document(d), kind) if !self.arena.nodes[d].content.is_empty() => {
                    if kind == EventKind::DocumentEnd {
                        self.arena.nodes[d].set_foot(text(std::mem::take(&mut ev.foot_comment)));
                    } else {
                        return Err(compose_error(
                            "expected the end of the document".into(),
                            ev.start,
                        ));
                    }
                    stack.pop();
                    continue;
                }
                (Frame::Sequence(s), EventKind::SequenceEnd) => {
                    let n = &mut self.arena.nodes[s];
                    n.set_line(text(std::mem::take(&mut ev.line_comment)));
                    n.set_foot(text(std::mem::take(&mut ev.foot_comment)));
                    stack.pop();
                    self.child_done(&stack, s);
                    continue;
                }
                (Frame::Mapping(m), EventKind::MappingEnd) => {
                    let line = text(std::mem::take(&mut ev.line_comment));
                    let foot = text(std::mem::take(&mut ev.foot_comment));
                    let n = &mut self.arena.nodes[m];
                    n.set_line(line);
                    n.set_foot(foot);
                    if n.style & style::FLOW == 0 && !n.foot().is_empty() && n.content.len() > 1 {
                        let k = n.content[n.content.len() - 2];
                        let foot = self.arena.nodes[m].take_foot();
                        self.arena.nodes[k].set_foot(foot);
                    }
                    stack.pop();
                    self.child_done(&stack, m);
                    continue;
                }
                _ => {}
            }

            // Start a child node.
            match ev.kind {
                EventKind::Scalar => {
                    let mut node_style = 0u8;
                    match ev.style {
                        ScalarStyle::DoubleQuoted => node_style = style::DOUBLE_QUOTED,
                        ScalarStyle::SingleQuoted => node_style = style::SINGLE_QUOTED,
                        ScalarStyle::Literal => node_style = style::LITERAL,
                        ScalarStyle::Folded => node_style = style::FOLDED,
                        _ => {}
                    }
                    let default_tag = if node_style == 0 {
                        if *ev.value == *b"<<" {
                            MERGE_TAG
                        } else {
                            ""
                        }
                    } else {
                        STR_TAG
                    };
                    let mut n = Self::make_node(Kind::Scalar, default_tag, &mut ev);
                    n.value = self.value_text(std::mem::take(&mut ev.value));
                    n.style |= node_style;
                    let id = self.arena.add(n);
                    self.register_anchor(id, std::mem::take(&mut ev.anchor));
                    self.child_done(&stack, id);
                }
                EventKind::Alias => {
                    let mut n = Self::make_node(Kind::Alias, "", &mut ev);
                    let name = text(std::mem::take(&mut ev.anchor));
                    match self.anchors.get(&name) {
                        Some(&t) => n.set_alias(t),
                        None => {
                            return Err(compose_error(
                                format!("unknown anchor '{name}' referenced"),
                                ev.start,
                            ))
                        }
                    }
                    n.value = Cow::Owned(name);
                    self.aliases_in_doc += 1;
                    let id = self.arena.add(n);
                    self.child_done(&stack, id);
                }
                EventKind::SequenceStart => {
                    let mut n = Self::make_node(Kind::Sequence, SEQ_TAG, &mut ev);
                    if ev.flow {
                        n.style |= style::FLOW;
                    }
                    let id = self.arena.add(n);
                    self.register_anchor(id, std::mem::take(&mut ev.anchor));
                    stack.push(Frame::Sequence(id));
                }
                EventKind::MappingStart => {
                    let mut n = Self::make_node(Kind::Mapping, MAP_TAG, &mut ev);
                    if ev.flow {
                        n.style |= style::FLOW;
                    }
                    let id = self.arena.add(n);
                    self.register_anchor(id, std::mem::take(&mut ev.anchor));
                    stack.push(Frame::Mapping(id));
                }
                _ => {
                    return Err(compose_error(
                        "unexpected event while reading a node".into(),
                        ev.start,
                    ));
                }
            }
        }
        Ok(doc)
    }

    /// Append a finished child to its parent, moving foot comments the way
    /// go-yaml does for mapping keys and values.
    fn child_done(&mut self, stack: &[Frame], child: NodeId) {
        let Some(parent) = stack.last() else { return };
        match *parent {
            Frame::Document(d) | Frame::Sequence(d) => self.arena.nodes[d].content.push(child),
            Frame::Mapping(m) => {
                let nodes = &mut self.arena.nodes;
                nodes[m].content.push(child);
                let len = nodes[m].content.len();
                let block = nodes[m].style & style::FLOW == 0;
                if len % 2 == 1 {
                    // A key.
                    if block && !nodes[child].foot().is_empty() && len > 2 {
                        let prev = nodes[m].content[len - 3];
                        let foot = nodes[child].take_foot();
                        nodes[prev].set_foot(foot);
                    }
                } else {
                    // A value.
                    let k = nodes[m].content[len - 2];
                    if nodes[k].foot().is_empty() && !nodes[child].foot().is_empty() {
                        let foot = nodes[child].take_foot();
                        nodes[k].set_foot(foot);
                    }
                }
            }
        }
    }
}
