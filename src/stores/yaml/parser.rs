//! The YAML parser: turns scanner tokens into events, attaching the comments
//! the scanner collected to the events the way go-yaml v3 does.

use std::borrow::Cow;

use super::scanner::{Mark, SResult, ScalarStyle, Scanner, SyntaxError, TokenKind};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub(super) enum EventKind {
    #[default]
    None,
    StreamStart,
    StreamEnd,
    DocumentStart,
    DocumentEnd,
    Alias,
    Scalar,
    SequenceStart,
    SequenceEnd,
    MappingStart,
    MappingEnd,
}

/// A parsing or emitting event. Emitted scalar text may borrow (`'a`).
#[derive(Clone, Debug, Default)]
pub(super) struct Event<'a> {
    pub kind: EventKind,
    pub start: Mark,
    pub anchor: Vec<u8>,
    pub tag: Vec<u8>,
    pub value: Cow<'a, [u8]>,
    /// Scalar: plain implicit. Collections and documents: implicit.
    pub implicit: bool,
    pub quoted_implicit: bool,
    pub style: ScalarStyle,
    /// Flow style for collections.
    pub flow: bool,
    /// A `%YAML` directive was given (document start).
    pub version_directive: bool,
    /// The emitter's analysis of `value`, when already known.
    pub analysis: Option<super::emitter::Analysis>,
    pub head_comment: Vec<u8>,
    pub line_comment: Vec<u8>,
    pub foot_comment: Vec<u8>,
    pub tail_comment: Vec<u8>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    StreamStart,
    ImplicitDocumentStart,
    DocumentStart,
    DocumentContent,
    DocumentEnd,
    BlockNode,
    BlockSequenceFirstEntry,
    BlockSequenceEntry,
    IndentlessSequenceEntry,
    BlockMappingFirstKey,
    BlockMappingKey,
    BlockMappingValue,
    FlowSequenceFirstEntry,
    FlowSequenceEntry,
    FlowSequenceEntryMappingKey,
    FlowSequenceEntryMappingValue,
    FlowSequenceEntryMappingEnd,
    FlowMappingFirstKey,
    FlowMappingKey,
    FlowMappingValue,
    FlowMappingEmptyValue,
    End,
}

pub(super) struct Parser<'a> {
    pub scanner: Scanner<'a>,
    state: State,
    states: Vec<State>,
    marks: Vec<Mark>,
    tag_directives: Vec<(Vec<u8>, Vec<u8>)>,
}

fn parser_error(
    context: &'static str,
    context_mark: Mark,
    problem: &str,
    problem_mark: Mark,
) -> SyntaxError {
    SyntaxError {
        context,
        context_mark,
        problem: problem.to_string(),
        problem_mark,
    }
}

impl<'a> Parser<'a> {
    pub fn new(buf: &'a [u8]) -> Self {
        Parser {
            scanner: Scanner::new(buf),
            state: State::StreamStart,
            states: Vec::new(),
            marks: Vec::new(),
            tag_directives: Vec::new(),
        }
    }

    /// The next event; `StreamEnd` repeats at the end.
    pub fn next_event(&mut self) -> SResult<Event<'a>> {
        if self.scanner.stream_end_produced || self.state == State::End {
            return Ok(Event {
                kind: EventKind::StreamEnd,
                ..Event::default()
            });
        }
        match self.state {
            State::StreamStart => self.parse_stream_start(),
            State::ImplicitDocumentStart => self.parse_document_start(true),
            State::DocumentStart => self.parse_document_start(false),
            State::DocumentContent => self.parse_document_content(),
            State::DocumentEnd => self.parse_document_end(),
            State::BlockNode => self.parse_node(true, false),
            State::BlockSequenceFirstEntry => self.parse_block_sequence_entry(true),
            State::BlockSequenceEntry => self.parse_block_sequence_entry(false),
            State::IndentlessSequenceEntry => self.parse_indentless_sequence_entry(),
            State::BlockMappingFirstKey => self.parse_block_mapping_key(true),
            State::BlockMappingKey => self.parse_block_mapping_key(false),
            State::BlockMappingValue => self.parse_block_mapping_value(),
            State::FlowSequenceFirstEntry => self.parse_flow_sequence_entry(true),
            State::FlowSequenceEntry => self.parse_flow_sequence_entry(false),
            State::FlowSequenceEntryMappingKey => self.parse_flow_sequence_entry_mapping_key(),
            State::FlowSequenceEntryMappingValue => self.parse_flow_sequence_entry_mapping_value(),
            State::FlowSequenceEntryMappingEnd => self.parse_flow_sequence_entry_mapping_end(),
            State::FlowMappingFirstKey => self.parse_flow_mapping_key(true),
            State::FlowMappingKey => self.parse_flow_mapping_key(false),
            State::FlowMappingValue => self.parse_flow_mapping_value(false),
            State::FlowMappingEmptyValue => self.parse_flow_mapping_value(true),
            State::End => unreachable!("handled above"),
        }
    }

    fn pop_state(&mut self) {
        self.state = self.states.pop().unwrap_or(State::End);
    }

    fn set_event_comments(&mut self, ev: &mut Event<'a>) {
        let s = &mut self.scanner;
        ev.head_comment = std::mem::take(&mut s.head_comment);
        ev.line_comment = std::mem::take(&mut s.line_comment);
        ev.foot_comment = std::mem::take(&mut s.foot_comment);
        s.stem_comment = None;
    }

    fn parse_stream_start(&mut self) -> SResult<Event<'a>> {
        let (kind, start, _) = self.scanner.peek_kind()?;
        if kind != TokenKind::StreamStart {
            return Err(parser_error(
                "",
                Mark::default(),
                "did not find expected <stream-start>",
                start,
            ));
        }
        self.state = State::ImplicitDocumentStart;
        self.scanner.skip_token();
        Ok(Event {
            kind: EventKind::StreamStart,
            start,
            ..Event::default()
        })
    }

    fn parse_document_start(&mut self, implicit: bool) -> SResult<Event<'a>> {
        let (mut kind, _, _) = self.scanner.peek_kind()?;
        if !implicit {
            while kind == TokenKind::DocumentEnd {
                self.scanner.skip_token();
                kind = self.scanner.peek_kind()?.0;
            }
        }
        let (kind, start, _) = self.scanner.peek_kind()?;
        if implicit
            && kind != TokenKind::VersionDirective
            && kind != TokenKind::TagDirective
            && kind != TokenKind::DocumentStart
            && kind != TokenKind::StreamEnd
        {
            self.process_directives()?;
            self.states.push(State::DocumentEnd);
            self.state = State::BlockNode;

            // Split the head comment: the part before the last blank line
            // belongs to the document, the rest to the first node.
            let mut head_comment = Vec::new();
            let hc = &mut self.scanner.head_comment;
            if !hc.is_empty() {
                let mut i = hc.len() - 1;
                while i > 0 {
                    if hc[i] == b'\n' {
                        if i == hc.len() - 1 {
                            head_comment = hc[..i].to_vec();
                            *hc = hc[i + 1..].to_vec();
                            break;
                        } else if hc[i - 1] == b'\n' {
                            head_comment = hc[..i - 1].to_vec();
                            *hc = hc[i + 1..].to_vec();
                            break;
                        }
                    }
                    i -= 1;
                }
            }
            return Ok(Event {
                kind: EventKind::DocumentStart,
                start,
                implicit: true,
                head_comment,
                ..Event::default()
            });
        }
        if kind != TokenKind::StreamEnd {
            let start_mark = start;
            let version = self.process_directives()?;
            let (kind, tstart, _) = self.scanner.peek_kind()?;
            if kind != TokenKind::DocumentStart {
                return Err(parser_error(
                    "",
                    Mark::default(),
                    "did not find expected <document start>",
                    tstart,
                ));
            }
            self.states.push(State::DocumentEnd);
            self.state = State::DocumentContent;
            self.scanner.skip_token();
            return Ok(Event {
                kind: EventKind::DocumentStart,
                start: start_mark,
                implicit: false,
                version_directive: version,
                ..Event::default()
            });
        }
        self.state = State::End;
        self.scanner.skip_token();
        Ok(Event {
            kind: EventKind::StreamEnd,
            start,
            ..Event::default()
        })
    }

    fn parse_document_content(&mut self) -> SResult<Event<'a>> {
        let (kind, start, _) = self.scanner.peek_kind()?;
        if matches!(
            kind,
            TokenKind::VersionDirective
                | TokenKind::TagDirective
                | TokenKind::DocumentStart
                | TokenKind::DocumentEnd
                | TokenKind::StreamEnd
        ) {
            self.pop_state();
            return Ok(empty_scalar(start));
        }
        self.parse_node(true, false)
    }

    fn parse_document_end(&mut self) -> SResult<Event<'a>> {
        let (kind, start, _) = self.scanner.peek_kind()?;
        let mut implicit = true;
        if kind == TokenKind::DocumentEnd {
            self.scanner.skip_token();
            implicit = false;
        }
        self.tag_directives.clear();
        self.state = State::DocumentStart;
        let mut ev = Event {
            kind: EventKind::DocumentEnd,
            start,
            implicit,
            ..Event::default()
        };
        self.set_event_comments(&mut ev);
        if !ev.head_comment.is_empty() && ev.foot_comment.is_empty() {
            ev.foot_comment = std::mem::take(&mut ev.head_comment);
        }
        Ok(ev)
    }

    fn parse_node(&mut self, block: bool, indentless_sequence: bool) -> SResult<Event<'a>> {
        let (kind, tstart, _) = self.scanner.peek_kind()?;
        if kind == TokenKind::Alias {
            self.pop_state();
            let tok = self.scanner.take_token();
            let mut ev = Event {
                kind: EventKind::Alias,
                start: tstart,
                anchor: tok.value,
                ..Event::default()
            };
            self.set_event_comments(&mut ev);
            return Ok(ev);
        }

        let mut start_mark = tstart;
        let mut tag_token = false;
        let mut tag_handle = Vec::new();
        let mut tag_suffix = Vec::new();
        let mut anchor = Vec::new();
        let mut tag_mark = Mark::default();

        let mut kind = kind;
        if kind == TokenKind::Anchor {
            let tok = self.scanner.take_token();
            anchor = tok.value;
            start_mark = tok.start;
            let (k, s, _) = self.scanner.peek_kind()?;
            kind = k;
            if kind == TokenKind::Tag {
                let tok = self.scanner.take_token();
                tag_token = true;
                tag_handle = tok.value;
                tag_suffix = tok.suffix;
                tag_mark = s;
                kind = self.scanner.peek_kind()?.0;
            }
        } else if kind == TokenKind::Tag {
            let tok = self.scanner.take_token();
            tag_token = true;
            tag_handle = tok.value;
            tag_suffix = tok.suffix;
            start_mark = tok.start;
            tag_mark = tok.start;
            kind = self.scanner.peek_kind()?.0;
            if kind == TokenKind::Anchor {
                let tok = self.scanner.take_token();
                anchor = tok.value;
                kind = self.scanner.peek_kind()?.0;
            }
        }

        let mut tag: Vec<u8> = Vec::new();
        if tag_token {
            if tag_handle.is_empty() {
                tag = tag_suffix;
            } else {
                match self.tag_directives.iter().find(|(h, _)| *h == tag_handle) {
                    Some((_, prefix)) => {
                        tag = prefix.clone();
                        tag.extend_from_slice(&tag_suffix);
                    }
                    None => {
                        return Err(parser_error(
                            "while parsing a node",
                            start_mark,
                            "found undefined tag handle",
                            tag_mark,
                        ))
                    }
                }
            }
        }

        let implicit = tag.is_empty();
        let (_, cur_start, _) = self.scanner.peek_kind()?;
        if indentless_sequence && kind == TokenKind::BlockEntry {
            self.state = State::IndentlessSequenceEntry;
            return Ok(Event {
                kind: EventKind::SequenceStart,
                start: start_mark,
                anchor,
                tag,
                implicit,
                flow: false,
                ..Event::default()
            });
        }
        if kind == TokenKind::Scalar {
            let tok = self.scanner.take_token();
            let mut plain_implicit = false;
            let mut quoted_implicit = false;
            if (tag.is_empty() && tok.style == ScalarStyle::Plain) || tag == b"!" {
                plain_implicit = true;
            } else if tag.is_empty() {
                quoted_implicit = true;
            }
            self.pop_state();
            let mut ev = Event {
                kind: EventKind::Scalar,
                start: start_mark,
                anchor,
                tag,
                value: match tok.span {
                    Some((a, b)) => Cow::Borrowed(self.scanner.slice(a, b)),
                    None => Cow::Owned(tok.value),
                },
                implicit: plain_implicit,
                quoted_implicit,
                style: tok.style,
                ..Event::default()
            };
            self.set_event_comments(&mut ev);
            return Ok(ev);
        }
        if kind == TokenKind::FlowSequenceStart {
            self.state = State::FlowSequenceFirstEntry;
            let mut ev = Event {
                kind: EventKind::SequenceStart,
                start: start_mark,
                anchor,
                tag,
                implicit,
                flow: true,
                ..Event::default()
            };
            self.set_event_comments(&mut ev);
            return Ok(ev);
        }
        if kind == TokenKind::FlowMappingStart {
            self.state = State::FlowMappingFirstKey;
            let mut ev = Event {
                kind: EventKind::MappingStart,
                start: start_mark,
                anchor,
                tag,
                implicit,
                flow: true,
                ..Event::default()
            };
            self.set_event_comments(&mut ev);
            return Ok(ev);
        }
        if block && kind == TokenKind::BlockSequenceStart {
            self.state = State::BlockSequenceFirstEntry;
            let mut ev = Event {
                kind: EventKind::SequenceStart,
                start: start_mark,
                anchor,
                tag,
                implicit,
                flow: false,
                ..Event::default()
            };
            if let Some(stem) = self.scanner.stem_comment.take() {
                ev.head_comment = stem;
            }
            return Ok(ev);
        }
        if block && kind == TokenKind::BlockMappingStart {
            self.state = State::BlockMappingFirstKey;
            let mut ev = Event {
                kind: EventKind::MappingStart,
                start: start_mark,
                anchor,
                tag,
                implicit,
                flow: false,
                ..Event::default()
            };
            if let Some(stem) = self.scanner.stem_comment.take() {
                ev.head_comment = stem;
            }
            return Ok(ev);
        }
        if !anchor.is_empty() || !tag.is_empty() {
            self.pop_state();
            return Ok(Event {
                kind: EventKind::Scalar,
                start: start_mark,
                anchor,
                tag,
                implicit,
                quoted_implicit: false,
                style: ScalarStyle::Plain,
                ..Event::default()
            });
        }
        let context = if block {
            "while parsing a block node"
        } else {
            "while parsing a flow node"
        };
        Err(parser_error(
            context,
            start_mark,
            "did not find expected node content",
            cur_start,
        ))
    }

    fn split_stem_comment(&mut self, stem_len: usize) -> SResult<()> {
        if stem_len == 0 {
            return Ok(());
        }
        let (kind, _, _) = self.scanner.peek_kind()?;
        if kind != TokenKind::BlockSequenceStart && kind != TokenKind::BlockMappingStart {
            return Ok(());
        }
        let hc = &mut self.scanner.head_comment;
        let stem = hc[..stem_len.min(hc.len())].to_vec();
        if hc.len() <= stem_len {
            hc.clear();
        } else {
            *hc = hc[stem_len + 1..].to_vec();
        }
        self.scanner.stem_comment = Some(stem);
        Ok(())
    }

    fn parse_block_sequence_entry(&mut self, first: bool) -> SResult<Event<'a>> {
        if first {
            let (_, start, _) = self.scanner.peek_kind()?;
            self.marks.push(start);
            self.scanner.skip_token();
        }
        let (kind, start, end) = self.scanner.peek_kind()?;
        if kind == TokenKind::BlockEntry {
            let mark = end;
            let prior_head_len = self.scanner.head_comment.len();
            self.scanner.skip_token();
            self.split_stem_comment(prior_head_len)?;
            let (kind, _, _) = self.scanner.peek_kind()?;
            if kind != TokenKind::BlockEntry && kind != TokenKind::BlockEnd {
                self.states.push(State::BlockSequenceEntry);
                return self.parse_node(true, false);
            }
            self.state = State::BlockSequenceEntry;
            return Ok(empty_scalar(mark));
        }
        if kind == TokenKind::BlockEnd {
            self.pop_state();
            self.marks.pop();
            self.scanner.skip_token();
            return Ok(Event {
                kind: EventKind::SequenceEnd,
                start,
                ..Event::default()
            });
        }
        let context_mark = self.marks.pop().unwrap_or_default();
        Err(parser_error(
            "while parsing a block collection",
            context_mark,
            "did not find expected '-' indicator",
            start,
        ))
    }

    fn parse_indentless_sequence_entry(&mut self) -> SResult<Event<'a>> {
        let (kind, start, end) = self.scanner.peek_kind()?;
        if kind == TokenKind::BlockEntry {
            let mark = end;
            let prior_head_len = self.scanner.head_comment.len();
            self.scanner.skip_token();
            self.split_stem_comment(prior_head_len)?;
            let (kind, _, _) = self.scanner.peek_kind()?;
            if kind != TokenKind::BlockEntry
                && kind != TokenKind::Key
                && kind != TokenKind::Value
                && kind != TokenKind::BlockEnd
            {
                self.states.push(State::IndentlessSequenceEntry);
                return self.parse_node(true, false);
            }
            self.state = State::IndentlessSequenceEntry;
            return Ok(empty_scalar(mark));
        }
        self.pop_state();
        Ok(Event {
            kind: EventKind::SequenceEnd,
            start,
            ..Event::default()
        })
    }

    fn parse_block_mapping_key(&mut self, first: bool) -> SResult<Event<'a>> {
        if first {
            let (_, start, _) = self.scanner.peek_kind()?;
            self.marks.push(start);
            self.scanner.skip_token();
        }
        let (kind, start, end) = self.scanner.peek_kind()?;
        if kind == TokenKind::Key {
            let mark = end;
            self.scanner.skip_token();
            let (kind, _, _) = self.scanner.peek_kind()?;
            if kind != TokenKind::Key && kind != TokenKind::Value && kind != TokenKind::BlockEnd {
                self.states.push(State::BlockMappingValue);
                return self.parse_node(true, true);
            }
            self.state = State::BlockMappingValue;
            return Ok(empty_scalar(mark));
        } else if kind == TokenKind::BlockEnd {
            self.pop_state();
            self.marks.pop();
            let mut ev = Event {
                kind: EventKind::MappingEnd,
                start,
                ..Event::default()
            };
            self.set_event_comments(&mut ev);
            self.scanner.skip_token();
            return Ok(ev);
        }
        let context_mark = self.marks.pop().unwrap_or_default();
        Err(parser_error(
            "while parsing a block mapping",
            context_mark,
            "did not find expected key",
            start,
        ))
    }

    fn parse_block_mapping_value(&mut self) -> SResult<Event<'a>> {
        let (kind, start, end) = self.scanner.peek_kind()?;
        if kind == TokenKind::Value {
            let mark = end;
            self.scanner.skip_token();
            let (kind, _, _) = self.scanner.peek_kind()?;
            if kind != TokenKind::Key && kind != TokenKind::Value && kind != TokenKind::BlockEnd {
                self.states.push(State::BlockMappingKey);
                return self.parse_node(true, true);
            }
            self.state = State::BlockMappingKey;
            return Ok(empty_scalar(mark));
        }
        self.state = State::BlockMappingKey;
        Ok(empty_scalar(start))
    }

    fn parse_flow_sequence_entry(&mut self, first: bool) -> SResult<Event<'a>> {
        if first {
            let (_, start, _) = self.scanner.peek_kind()?;
            self.marks.push(start);
            self.scanner.skip_token();
        }
        let (mut kind, mut start, _) = self.scanner.peek_kind()?;
        if kind != TokenKind::FlowSequenceEnd {
            if !first {
                if kind == TokenKind::FlowEntry {
                    self.scanner.skip_token();
                    (kind, start, _) = self.scanner.peek_kind()?;
                } else {
                    let context_mark = self.marks.pop().unwrap_or_default();
                    return Err(parser_error(
                        "while parsing a flow sequence",
                        context_mark,
                        "did not find expected ',' or ']'",
                        start,
                    ));
                }
            }
            if kind == TokenKind::Key {
                self.state = State::FlowSequenceEntryMappingKey;
                self.scanner.skip_token();
                return Ok(Event {
                    kind: EventKind::MappingStart,
                    start,
                    implicit: true,
                    flow: true,
                    ..Event::default()
                });
            } else if kind != TokenKind::FlowSequenceEnd {
                self.states.push(State::FlowSequenceEntry);
                return self.parse_node(false, false);
            }
        }
        self.pop_state();
        self.marks.pop();
        let mut ev = Event {
            kind: EventKind::SequenceEnd,
            start,
            ..Event::default()
        };
        self.set_event_comments(&mut ev);
        self.scanner.skip_token();
        Ok(ev)
    }

    fn parse_flow_sequence_entry_mapping_key(&mut self) -> SResult<Event<'a>> {
        let (kind, _, end) = self.scanner.peek_kind()?;
        if kind != TokenKind::Value
            && kind != TokenKind::FlowEntry
            && kind != TokenKind::FlowSequenceEnd
        {
            self.states.push(State::FlowSequenceEntryMappingValue);
            return self.parse_node(false, false);
        }
        let mark = end;
        self.scanner.skip_token();
        self.state = State::FlowSequenceEntryMappingValue;
        Ok(empty_scalar(mark))
    }

    fn parse_flow_sequence_entry_mapping_value(&mut self) -> SResult<Event<'a>> {
        let (kind, start, _) = self.scanner.peek_kind()?;
        if kind == TokenKind::Value {
            self.scanner.skip_token();
            let (kind, _, _) = self.scanner.peek_kind()?;
            if kind != TokenKind::FlowEntry && kind != TokenKind::FlowSequenceEnd {
                self.states.push(State::FlowSequenceEntryMappingEnd);
                return self.parse_node(false, false);
            }
        }
        self.state = State::FlowSequenceEntryMappingEnd;
        Ok(empty_scalar(start))
    }

    fn parse_flow_sequence_entry_mapping_end(&mut self) -> SResult<Event<'a>> {
        let (_, start, _) = self.scanner.peek_kind()?;
        self.state = State::FlowSequenceEntry;
        Ok(Event {
            kind: EventKind::MappingEnd,
            start,
            ..Event::default()
        })
    }

    fn parse_flow_mapping_key(&mut self, first: bool) -> SResult<Event<'a>> {
        if first {
            let (_, start, _) = self.scanner.peek_kind()?;
            self.marks.push(start);
            self.scanner.skip_token();
        }
        let (mut kind, mut start, _) = self.scanner.peek_kind()?;
        if kind != TokenKind::FlowMappingEnd {
            if !first {
                if kind == TokenKind::FlowEntry {
                    self.scanner.skip_token();
                    (kind, start, _) = self.scanner.peek_kind()?;
                } else {
                    let context_mark = self.marks.pop().unwrap_or_default();
                    return Err(parser_error(
                        "while parsing a flow mapping",
                        context_mark,
                        "did not find expected ',' or '}'",
                        start,
                    ));
                }
            }
            if kind == TokenKind::Key {
                self.scanner.skip_token();
                let (kind, start, _) = self.scanner.peek_kind()?;
                if kind != TokenKind::Value
                    && kind != TokenKind::FlowEntry
                    && kind != TokenKind::FlowMappingEnd
                {
                    self.states.push(State::FlowMappingValue);
                    return self.parse_node(false, false);
                }
                self.state = State::FlowMappingValue;
                return Ok(empty_scalar(start));
            } else if kind != TokenKind::FlowMappingEnd {
                self.states.push(State::FlowMappingEmptyValue);
                return self.parse_node(false, false);
            }
        }
        self.pop_state();
        self.marks.pop();
        let mut ev = Event {
            kind: EventKind::MappingEnd,
            start,
            ..Event::default()
        };
        self.set_event_comments(&mut ev);
        self.scanner.skip_token();
        Ok(ev)
    }

    fn parse_flow_mapping_value(&mut self, empty: bool) -> SResult<Event<'a>> {
        let (kind, start, _) = self.scanner.peek_kind()?;
        if empty {
            self.state = State::FlowMappingKey;
            return Ok(empty_scalar(start));
        }
        if kind == TokenKind::Value {
            self.scanner.skip_token();
            let (kind, start2, _) = self.scanner.peek_kind()?;
            if kind != TokenKind::FlowEntry && kind != TokenKind::FlowMappingEnd {
                self.states.push(State::FlowMappingKey);
                return self.parse_node(false, false);
            }
            self.state = State::FlowMappingKey;
            return Ok(empty_scalar(start2));
        }
        self.state = State::FlowMappingKey;
        Ok(empty_scalar(start))
    }

    /// Read `%YAML` and `%TAG` directives; returns whether `%YAML` was seen.
    fn process_directives(&mut self) -> SResult<bool> {
        let mut version = false;
        let mut own: Vec<Vec<u8>> = Vec::new();
        loop {
            let (kind, start, _) = self.scanner.peek_kind()?;
            if kind == TokenKind::VersionDirective {
                let tok = self.scanner.take_token();
                if version {
                    return Err(parser_error(
                        "",
                        Mark::default(),
                        "found duplicate %YAML directive",
                        start,
                    ));
                }
                if tok.major != 1 || tok.minor != 1 {
                    return Err(parser_error(
                        "",
                        Mark::default(),
                        "found incompatible YAML document",
                        start,
                    ));
                }
                version = true;
            } else if kind == TokenKind::TagDirective {
                let tok = self.scanner.take_token();
                if own.contains(&tok.value)
                    || self.tag_directives.iter().any(|(h, _)| *h == tok.value)
                {
                    return Err(parser_error(
                        "",
                        Mark::default(),
                        "found duplicate %TAG directive",
                        start,
                    ));
                }
                own.push(tok.value.clone());
                self.tag_directives.push((tok.value, tok.prefix));
            } else {
                break;
            }
        }
        for (h, p) in [
            (&b"!"[..], &b"!"[..]),
            (&b"!!"[..], &b"tag:yaml.org,2002:"[..]),
        ] {
            if !self.tag_directives.iter().any(|(eh, _)| eh == h) {
                self.tag_directives.push((h.to_vec(), p.to_vec()));
            }
        }
        Ok(version)
    }
}

fn empty_scalar(mark: Mark) -> Event<'static> {
    Event {
        kind: EventKind::Scalar,
        start: mark,
        implicit: true,
        style: ScalarStyle::Plain,
        ..Event::default()
    }
}
