//! Owned YAML nodes (go-yaml v3's `yaml.Node`): the parsed document with
//! its scalar styles, tags, anchors and comments kept, and the encoder that
//! writes such nodes back (go-yaml's `encoder.node`). This is what tools
//! built on kyaml (kustomize, kpt, KRM functions) read and write, unlike the
//! sops tree of the rest of this module, which drops styles.
//!
//! Depth: the parser refuses more than 10 000 nesting levels; converting
//! and encoding walk the nodes with explicit stacks.

use std::borrow::Cow;

use super::emitter::{EmitError, Emitter};
use super::node::{style as nstyle, Composer, Kind, NodeId};
use super::parser::{Event, EventKind};
use super::resolve::{long_tag, resolve_plain_tag, short_tag, MAP_TAG, SEQ_TAG, STR_TAG};
use super::scanner::ScalarStyle;
use crate::stores::{Result, StoreError};

/// Node kinds, numbered as in go-yaml (`unhandled node kind 8` names a scalar).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum YKind {
    Document = 1,
    Sequence = 2,
    Mapping = 4,
    Scalar = 8,
    Alias = 16,
}

/// Style bits (go-yaml's `Style`).
pub mod style {
    pub const TAGGED: u8 = super::nstyle::TAGGED;
    pub const DOUBLE_QUOTED: u8 = super::nstyle::DOUBLE_QUOTED;
    pub const SINGLE_QUOTED: u8 = super::nstyle::SINGLE_QUOTED;
    pub const LITERAL: u8 = super::nstyle::LITERAL;
    pub const FOLDED: u8 = super::nstyle::FOLDED;
    pub const FLOW: u8 = super::nstyle::FLOW;
}

/// One node. A mapping's `content` alternates keys and values; an alias's
/// `value` is the anchor it names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct YNode {
    pub kind: YKind,
    pub style: u8,
    /// Short form (`!!str`), empty when none.
    pub tag: String,
    pub value: String,
    pub anchor: String,
    pub head: String,
    pub line: String,
    pub foot: String,
    pub content: Vec<YNode>,
}

impl YNode {
    fn new(kind: YKind) -> YNode {
        YNode {
            kind,
            style: 0,
            tag: String::new(),
            value: String::new(),
            anchor: String::new(),
            head: String::new(),
            line: String::new(),
            foot: String::new(),
            content: Vec::new(),
        }
    }

    /// A string scalar with go-yaml's `!!str` tag and the given style bits
    /// (0: plain when that reads back as a string, else double-quoted).
    pub fn string(s: impl Into<String>, style: u8) -> YNode {
        let mut n = YNode::new(YKind::Scalar);
        n.tag = STR_TAG.to_string();
        n.value = s.into();
        n.style = style;
        n
    }

    /// An empty block mapping.
    pub fn mapping() -> YNode {
        let mut n = YNode::new(YKind::Mapping);
        n.tag = MAP_TAG.to_string();
        n
    }

    /// An empty block sequence.
    pub fn sequence() -> YNode {
        let mut n = YNode::new(YKind::Sequence);
        n.tag = SEQ_TAG.to_string();
        n
    }

    /// Append a key and its value to a mapping.
    pub fn push_pair(&mut self, key: YNode, value: YNode) {
        self.content.push(key);
        self.content.push(value);
    }

    /// The value of `key` in a mapping (the first match; keys compared as text).
    pub fn get(&self, key: &str) -> Option<&YNode> {
        if self.kind != YKind::Mapping {
            return None;
        }
        self.content
            .chunks(2)
            .find(|kv| kv.len() == 2 && kv[0].kind == YKind::Scalar && kv[0].value == key)
            .map(|kv| &kv[1])
    }

    /// Overwrite every text of this node and its children with zeros (for
    /// nodes that held decrypted values) and drop the children.
    pub fn wipe(&mut self) {
        use zeroize::Zeroize;
        let mut stack: Vec<YNode> = vec![std::mem::replace(self, YNode::new(YKind::Scalar))];
        while let Some(mut n) = stack.pop() {
            n.value.zeroize();
            n.tag.zeroize();
            n.anchor.zeroize();
            n.head.zeroize();
            n.line.zeroize();
            n.foot.zeroize();
            stack.append(&mut n.content);
        }
    }

    /// A scalar's text, if this is a scalar.
    pub fn scalar(&self) -> Option<&str> {
        (self.kind == YKind::Scalar).then_some(self.value.as_str())
    }

    /// The tag go-yaml reports (`ShortTag`): the explicit one, else the one
    /// the kind or the plain text implies.
    pub fn short_tag(&self) -> String {
        if self.kind == YKind::Scalar
            && (self.tag.is_empty() || self.tag == "!")
            && self.style
                & (style::DOUBLE_QUOTED | style::SINGLE_QUOTED | style::LITERAL | style::FOLDED)
                != 0
        {
            return STR_TAG.to_string();
        }
        if self.tag.is_empty() || self.tag == "!" {
            return match self.kind {
                YKind::Mapping => MAP_TAG.to_string(),
                YKind::Sequence => SEQ_TAG.to_string(),
                YKind::Scalar => resolve_plain_tag(&self.value).to_string(),
                _ => String::new(),
            };
        }
        short_tag(&self.tag).into_owned()
    }
}

/// Parse a YAML stream into its documents (`Document` nodes), as go-yaml's
/// decoder does, one `Decode` per document.
pub fn parse(input: &[u8]) -> Result<Vec<YNode>> {
    let text = std::str::from_utf8(input).map_err(|e| {
        StoreError::read(format!("yaml: invalid UTF-8 at byte {}", e.valid_up_to()))
    })?;
    let mut composer = Composer::new(text);
    let mut docs = Vec::new();
    loop {
        let doc = composer
            .next_document()
            .map_err(|e| StoreError::read(e.message()))?;
        let Some(doc) = doc else { break };
        docs.push(convert(&composer, doc));
    }
    Ok(docs)
}

fn convert(c: &Composer<'_>, root: NodeId) -> YNode {
    let one = |id: NodeId| -> YNode {
        let n = &c.arena.nodes[id];
        let mut y = YNode::new(match n.kind {
            Kind::Document => YKind::Document,
            Kind::Sequence => YKind::Sequence,
            Kind::Mapping => YKind::Mapping,
            Kind::Scalar => YKind::Scalar,
            Kind::Alias => YKind::Alias,
        });
        y.style = n.style;
        y.tag = n.tag.to_string();
        y.value = n.value.to_string();
        y.head = n.head().to_string();
        y.line = n.line().to_string();
        y.foot = n.foot().to_string();
        y.anchor = n.anchor().to_string();
        y
    };
    // Build children first (post-order) with an explicit stack.
    let mut stack: Vec<(NodeId, usize, Vec<YNode>)> = vec![(root, 0, Vec::new())];
    loop {
        let Some(top) = stack.last_mut() else {
            return YNode::new(YKind::Document);
        };
        let (id, next) = (top.0, top.1);
        let children = &c.arena.nodes[id].content;
        if next < children.len() {
            top.1 += 1;
            let child = children[next];
            stack.push((child, 0, Vec::new()));
            continue;
        }
        let Some((id, _, built)) = stack.pop() else {
            return YNode::new(YKind::Document);
        };
        let mut y = one(id);
        y.content = built;
        match stack.last_mut() {
            Some(parent) => parent.2.push(y),
            None => return y,
        }
    }
}

/// Writing options: `indent` spaces per level; kyaml's compact sequences;
/// a line width (None: unlimited, as go-yaml v3's encoder).
#[derive(Clone, Copy, Debug)]
pub struct Layout {
    pub indent: usize,
    pub compact_seq: bool,
    pub width: Option<usize>,
}

impl Layout {
    /// kyaml's encoder (`kio`, the KRM function SDK): indent 2, compact sequences.
    pub const KYAML: Layout = Layout {
        indent: 2,
        compact_seq: true,
        width: None,
    };
}

/// Encode values the way go-yaml v3's `Encoder.Encode` does, one call per
/// node: each becomes a document (a `Document` node keeps its own
/// comments), the second and later preceded by `---`.
pub fn emit(nodes: &[&YNode], layout: Layout) -> Result<Vec<u8>> {
    let emit_error = |e: EmitError| StoreError::write(format!("Error marshaling to YAML: {}", e.0));
    let mut em = Emitter::with_layout(layout.indent, layout.compact_seq, layout.width);
    em.emit(Event {
        kind: EventKind::StreamStart,
        ..Event::default()
    })
    .map_err(emit_error)?;
    for n in nodes {
        if n.kind == YKind::Document {
            encode(n, &mut em).map_err(emit_error)?;
        } else {
            em.emit(Event {
                kind: EventKind::DocumentStart,
                implicit: true,
                ..Event::default()
            })
            .map_err(emit_error)?;
            encode(n, &mut em).map_err(emit_error)?;
            em.emit(Event {
                kind: EventKind::DocumentEnd,
                implicit: true,
                ..Event::default()
            })
            .map_err(emit_error)?;
        }
    }
    em.finish().map_err(emit_error)?;
    Ok(em.out)
}

fn bytes(s: &str) -> Vec<u8> {
    s.as_bytes().to_vec()
}

/// Work left while encoding: a node to start (with the tail comment go-yaml
/// passes along, and whether its foot comment is dropped because a mapping
/// moved it to the next key), or the end of an open collection.
enum Step<'a> {
    Node {
        n: &'a YNode,
        tail: String,
        drop_foot: bool,
    },
    EndDoc(&'a YNode),
    EndSeq(&'a YNode),
    EndMap {
        n: &'a YNode,
        tail: String,
    },
}

/// go-yaml's `encoder.node`, without recursion.
fn encode<'a>(root: &'a YNode, em: &mut Emitter<'a>) -> std::result::Result<(), EmitError> {
    let mut todo: Vec<Step<'a>> = vec![Step::Node {
        n: root,
        tail: String::new(),
        drop_foot: false,
    }];
    while let Some(step) = todo.pop() {
        match step {
            Step::EndDoc(n) => em.emit(Event {
                kind: EventKind::DocumentEnd,
                implicit: true,
                foot_comment: bytes(&n.foot),
                ..Event::default()
            })?,
            Step::EndSeq(n) => em.emit(Event {
                kind: EventKind::SequenceEnd,
                line_comment: bytes(&n.line),
                foot_comment: bytes(&n.foot),
                ..Event::default()
            })?,
            Step::EndMap { n, tail } => em.emit(Event {
                kind: EventKind::MappingEnd,
                tail_comment: bytes(&tail),
                line_comment: bytes(&n.line),
                foot_comment: bytes(&n.foot),
                ..Event::default()
            })?,
            Step::Node { n, tail, drop_foot } => {
                start_node(n, tail, drop_foot, em, &mut todo)?;
            }
        }
    }
    Ok(())
}

fn start_node<'a>(
    n: &'a YNode,
    tail: String,
    drop_foot: bool,
    em: &mut Emitter<'a>,
    todo: &mut Vec<Step<'a>>,
) -> std::result::Result<(), EmitError> {
    // Drop the tag when it is implied; a string whose plain form would read
    // as something else is forced into quotes instead.
    let mut tag: Cow<'_, str> = Cow::Borrowed(&n.tag);
    let stag = short_tag(&n.tag).into_owned();
    let mut force_quoting = false;
    if !n.tag.is_empty() && n.style & style::TAGGED == 0 {
        if n.kind == YKind::Scalar {
            let quoted = n.style
                & (style::SINGLE_QUOTED | style::DOUBLE_QUOTED | style::LITERAL | style::FOLDED)
                != 0;
            if stag == STR_TAG && quoted {
                tag = Cow::Borrowed("");
            } else {
                let rtag = resolve_plain_tag(&n.value);
                if rtag == stag {
                    tag = Cow::Borrowed("");
                } else if stag == STR_TAG {
                    tag = Cow::Borrowed("");
                    force_quoting = true;
                }
            }
        } else {
            let rtag = match n.kind {
                YKind::Mapping => MAP_TAG,
                YKind::Sequence => SEQ_TAG,
                _ => "",
            };
            if rtag == stag {
                tag = Cow::Borrowed("");
            }
        }
    }
    let implicit = tag.is_empty();
    let long = if implicit {
        Vec::new()
    } else {
        long_tag(&tag).into_bytes()
    };
    let foot = if drop_foot { "" } else { n.foot.as_str() };
    match n.kind {
        YKind::Document => {
            em.emit(Event {
                kind: EventKind::DocumentStart,
                implicit: true,
                head_comment: bytes(&n.head),
                ..Event::default()
            })?;
            todo.push(Step::EndDoc(n));
            for c in n.content.iter().rev() {
                todo.push(Step::Node {
                    n: c,
                    tail: String::new(),
                    drop_foot: false,
                });
            }
        }
        YKind::Sequence => {
            em.emit(Event {
                kind: EventKind::SequenceStart,
                anchor: bytes(&n.anchor),
                tag: long,
                implicit,
                flow: n.style & style::FLOW != 0,
                head_comment: bytes(&n.head),
                ..Event::default()
            })?;
            todo.push(Step::EndSeq(n));
            for c in n.content.iter().rev() {
                todo.push(Step::Node {
                    n: c,
                    tail: String::new(),
                    drop_foot: false,
                });
            }
        }
        YKind::Mapping => {
            em.emit(Event {
                kind: EventKind::MappingStart,
                anchor: bytes(&n.anchor),
                tag: long,
                implicit,
                flow: n.style & style::FLOW != 0,
                tail_comment: bytes(&tail),
                head_comment: bytes(&n.head),
                ..Event::default()
            })?;
            // A key's foot comment is written as the tail of the next key
            // (or of the mapping's end), after the value is streamed.
            let mut steps: Vec<Step<'a>> = Vec::new();
            let mut tail = String::new();
            for kv in n.content.chunks(2) {
                let k = &kv[0];
                steps.push(Step::Node {
                    n: k,
                    tail: std::mem::take(&mut tail),
                    drop_foot: !k.foot.is_empty(),
                });
                tail = k.foot.clone();
                if let Some(v) = kv.get(1) {
                    steps.push(Step::Node {
                        n: v,
                        tail: String::new(),
                        drop_foot: false,
                    });
                }
            }
            steps.push(Step::EndMap { n, tail });
            todo.extend(steps.into_iter().rev());
        }
        YKind::Alias => em.emit(Event {
            kind: EventKind::Alias,
            anchor: bytes(&n.value),
            head_comment: bytes(&n.head),
            line_comment: bytes(&n.line),
            foot_comment: bytes(foot),
            ..Event::default()
        })?,
        YKind::Scalar => {
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
            em.emit(Event {
                kind: EventKind::Scalar,
                anchor: bytes(&n.anchor),
                tag: long,
                value: Cow::Borrowed(n.value.as_bytes()),
                implicit,
                quoted_implicit: implicit,
                style: st,
                head_comment: bytes(&n.head),
                line_comment: bytes(&n.line),
                foot_comment: bytes(foot),
                tail_comment: bytes(&tail),
                ..Event::default()
            })?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn roundtrip(s: &str) -> String {
        let docs = parse(s.as_bytes()).unwrap();
        let refs: Vec<&YNode> = docs.iter().collect();
        String::from_utf8(emit(&refs, Layout::KYAML).unwrap()).unwrap()
    }

    #[test]
    fn kyaml_layout_keeps_styles_and_compacts_sequences() {
        let src = "a:\n    b: 'x'\n    c: \"true\"\n    l:\n        - 1\n        - k: v\n          m: |\n            text\n";
        assert_eq!(
            roundtrip(src),
            "a:\n  b: 'x'\n  c: \"true\"\n  l:\n  - 1\n  - k: v\n    m: |\n      text\n"
        );
    }

    #[test]
    fn comments_survive() {
        let src = "# head\na: 1 # line\n# foot\nb: 2\n";
        assert_eq!(roundtrip(src), src);
    }

    #[test]
    fn documents_are_separated() {
        assert_eq!(roundtrip("a: 1\n---\nb: 2\n"), "a: 1\n---\nb: 2\n");
    }

    #[test]
    fn kinds_are_numbered_as_in_go_yaml() {
        let docs = parse(b"x\n").unwrap();
        assert_eq!(docs[0].content[0].kind as u8, 8);
    }
}
