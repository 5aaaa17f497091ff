//! The YAML emitter: writes events as text with go-yaml v3's layout rules
//! (indentation, scalar styles, where comments go). Lines are never wrapped
//! (go-yaml's encoder sets an unlimited width).

use std::collections::VecDeque;

use super::parser::{Event, EventKind};
use super::scanner::class::{
    is_alpha, is_blank, is_blankz, is_bom, is_break, is_printable, is_space,
};
use super::scanner::{width, ScalarStyle};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    StreamStart,
    FirstDocumentStart,
    DocumentStart,
    DocumentContent,
    DocumentEnd,
    FlowSequenceFirstItem,
    FlowSequenceTrailItem,
    FlowSequenceItem,
    FlowMappingFirstKey,
    FlowMappingTrailKey,
    FlowMappingKey,
    FlowMappingSimpleValue,
    FlowMappingValue,
    BlockSequenceFirstItem,
    BlockSequenceItem,
    BlockMappingFirstKey,
    BlockMappingKey,
    BlockMappingSimpleValue,
    BlockMappingValue,
    End,
}

#[derive(Default)]
struct ScalarAnalysis {
    value: Vec<u8>,
    multiline: bool,
    flow_plain_allowed: bool,
    block_plain_allowed: bool,
    single_quoted_allowed: bool,
    block_allowed: bool,
    style: ScalarStyle,
}

pub(super) struct EmitError(pub String);

type EResult = Result<(), EmitError>;

pub(super) struct Emitter<'a> {
    pub out: Vec<u8>,
    best_indent: i64,
    best_width: i64,
    state: State,
    states: Vec<State>,
    events: VecDeque<Event<'a>>,
    indents: Vec<i64>,
    tag_directives: Vec<(Vec<u8>, Vec<u8>)>,
    indent: i64,
    flow_level: i64,
    root_context: bool,
    sequence_context: bool,
    mapping_context: bool,
    simple_key_context: bool,
    line: i64,
    column: i64,
    whitespace: bool,
    indention: bool,
    open_ended: bool,
    space_above: bool,
    foot_indent: i64,
    anchor: Option<(Vec<u8>, bool)>,
    tag_handle: Vec<u8>,
    tag_suffix: Vec<u8>,
    scalar: ScalarAnalysis,
    head_comment: Vec<u8>,
    line_comment: Vec<u8>,
    foot_comment: Vec<u8>,
    tail_comment: Vec<u8>,
    key_line_comment: Vec<u8>,
    /// kyaml's `CompactSeqIndent`: a sequence in a mapping starts its `- `
    /// at the key's column.
    compact_seq: bool,
    /// yaml.v2's analysis: a tab rules out block scalars too.
    v2_tabs: bool,
}

impl<'a> Emitter<'a> {
    /// An emitter with go-yaml's encoder settings and the given indent.
    pub fn new(indent: usize) -> Self {
        let mut best_indent = if indent == 0 { 4 } else { indent as i64 };
        if !(2..=9).contains(&best_indent) {
            best_indent = 2;
        }
        Emitter {
            out: Vec::new(),
            best_indent,
            best_width: i64::from(i32::MAX),
            state: State::StreamStart,
            states: Vec::new(),
            events: VecDeque::new(),
            indents: Vec::new(),
            tag_directives: Vec::new(),
            indent: -1,
            flow_level: 0,
            root_context: false,
            sequence_context: false,
            mapping_context: false,
            simple_key_context: false,
            line: 0,
            column: 0,
            whitespace: true,
            indention: true,
            open_ended: false,
            space_above: true,
            foot_indent: -1,
            anchor: None,
            tag_handle: Vec::new(),
            tag_suffix: Vec::new(),
            scalar: ScalarAnalysis::default(),
            head_comment: Vec::new(),
            line_comment: Vec::new(),
            foot_comment: Vec::new(),
            tail_comment: Vec::new(),
            key_line_comment: Vec::new(),
            compact_seq: false,
            v2_tabs: false,
        }
    }

    /// An emitter with kyaml's layout (compact sequences) or yaml.v2's line
    /// width (`width`, 80 in yaml.v2; None: unlimited, as in yaml.v3).
    pub fn with_layout(indent: usize, compact_seq: bool, width: Option<usize>) -> Self {
        let mut em = Emitter::new(indent);
        em.compact_seq = compact_seq;
        if let Some(w) = width {
            em.best_width = i64::try_from(w).unwrap_or(i64::from(i32::MAX));
            // Only yaml.v2 folds lines; it also treats tabs as special.
            em.v2_tabs = true;
        }
        em
    }

    /// Clears `open_ended` before the stream end (go-yaml's `finish`).
    pub fn finish(&mut self) -> EResult {
        self.open_ended = false;
        self.emit(Event {
            kind: EventKind::StreamEnd,
            ..Event::default()
        })
    }

    fn err(problem: &str) -> EmitError {
        EmitError(problem.to_string())
    }

    // ----- output primitives ---------------------------------------------------

    #[inline]
    fn put(&mut self, c: u8) {
        self.out.push(c);
        self.column += 1;
    }

    fn put_break(&mut self) {
        self.out.push(b'\n');
        if self.column == 0 {
            self.space_above = true;
        }
        self.column = 0;
        self.line += 1;
        self.indention = true;
    }

    /// Copy one character of `s` at `*i`.
    #[inline]
    fn write(&mut self, s: &[u8], i: &mut usize) {
        let w = width(s[*i]).max(1);
        let end = (*i + w).min(s.len());
        self.out.extend_from_slice(&s[*i..end]);
        self.column += 1;
        *i += w;
    }

    fn write_all(&mut self, s: &[u8]) {
        let mut i = 0;
        while i < s.len() {
            self.write(s, &mut i);
        }
    }

    fn write_break(&mut self, s: &[u8], i: &mut usize) {
        if s[*i] == b'\n' {
            self.put_break();
            *i += 1;
        } else {
            self.write(s, i);
            if self.column == 0 {
                self.space_above = true;
            }
            self.column = 0;
            self.line += 1;
            self.indention = true;
        }
    }

    // ----- event queue -----------------------------------------------------------

    pub fn emit(&mut self, event: Event<'a>) -> EResult {
        if self.events.is_empty()
            && !matches!(
                event.kind,
                EventKind::DocumentStart | EventKind::SequenceStart | EventKind::MappingStart
            )
        {
            // Needs no look-ahead: handle it without queueing.
            self.analyze_event(&event)?;
            return self.state_machine(&event);
        }
        self.events.push_back(event);
        while !self.need_more_events() {
            let ev = self.events.pop_front().expect("queue not empty");
            self.analyze_event(&ev)?;
            self.state_machine(&ev)?;
        }
        Ok(())
    }

    fn need_more_events(&self) -> bool {
        let Some(first) = self.events.front() else {
            return true;
        };
        let accumulate = match first.kind {
            EventKind::DocumentStart => 1,
            EventKind::SequenceStart => 2,
            EventKind::MappingStart => 3,
            _ => return false,
        };
        if self.events.len() > accumulate {
            return false;
        }
        let mut level = 0i64;
        for ev in &self.events {
            match ev.kind {
                EventKind::StreamStart
                | EventKind::DocumentStart
                | EventKind::SequenceStart
                | EventKind::MappingStart => level += 1,
                EventKind::StreamEnd
                | EventKind::DocumentEnd
                | EventKind::SequenceEnd
                | EventKind::MappingEnd => level -= 1,
                _ => {}
            }
            if level == 0 {
                return false;
            }
        }
        true
    }

    /// go-yaml v3's encoder never folds lines (width i32::MAX); the fast
    /// paths that write a scalar in one go rely on that.
    fn unlimited_width(&self) -> bool {
        self.best_width >= i64::from(i32::MAX)
    }

    fn increase_indent(&mut self, flow: bool, indentless: bool) {
        self.increase_indent_compact(flow, indentless, false);
    }

    /// The kyaml fork's `increase_indent_compact`: with `compact_seq`, a
    /// block sequence's `- ` counts as part of the indentation.
    fn increase_indent_compact(&mut self, flow: bool, indentless: bool, compact_seq: bool) {
        self.indents.push(self.indent);
        if self.indent < 0 {
            self.indent = if flow { self.best_indent } else { 0 };
        } else if !indentless {
            if self.states.last() == Some(&State::BlockSequenceItem) {
                // The first indent inside a sequence skips the "- ".
                self.indent += 2;
            } else {
                self.indent =
                    self.best_indent * ((self.indent + self.best_indent) / self.best_indent);
                if compact_seq {
                    self.indent -= 2;
                }
            }
        }
    }

    fn pop_indent(&mut self) {
        self.indent = self.indents.pop().unwrap_or(-1);
    }

    fn pop_state(&mut self) {
        self.state = self.states.pop().unwrap_or(State::End);
    }

    fn state_machine(&mut self, ev: &Event<'_>) -> EResult {
        match self.state {
            State::StreamStart => self.emit_stream_start(ev),
            State::FirstDocumentStart => self.emit_document_start(ev, true),
            State::DocumentStart => self.emit_document_start(ev, false),
            State::DocumentContent => self.emit_document_content(ev),
            State::DocumentEnd => self.emit_document_end(ev),
            State::FlowSequenceFirstItem => self.emit_flow_sequence_item(ev, true, false),
            State::FlowSequenceTrailItem => self.emit_flow_sequence_item(ev, false, true),
            State::FlowSequenceItem => self.emit_flow_sequence_item(ev, false, false),
            State::FlowMappingFirstKey => self.emit_flow_mapping_key(ev, true, false),
            State::FlowMappingTrailKey => self.emit_flow_mapping_key(ev, false, true),
            State::FlowMappingKey => self.emit_flow_mapping_key(ev, false, false),
            State::FlowMappingSimpleValue => self.emit_flow_mapping_value(ev, true),
            State::FlowMappingValue => self.emit_flow_mapping_value(ev, false),
            State::BlockSequenceFirstItem => self.emit_block_sequence_item(ev, true),
            State::BlockSequenceItem => self.emit_block_sequence_item(ev, false),
            State::BlockMappingFirstKey => self.emit_block_mapping_key(ev, true),
            State::BlockMappingKey => self.emit_block_mapping_key(ev, false),
            State::BlockMappingSimpleValue => self.emit_block_mapping_value(ev, true),
            State::BlockMappingValue => self.emit_block_mapping_value(ev, false),
            State::End => Err(Self::err("expected nothing after STREAM-END")),
        }
    }

    fn emit_stream_start(&mut self, ev: &Event<'_>) -> EResult {
        if ev.kind != EventKind::StreamStart {
            return Err(Self::err("expected STREAM-START"));
        }
        self.indent = -1;
        self.line = 0;
        self.column = 0;
        self.whitespace = true;
        self.indention = true;
        self.space_above = true;
        self.foot_indent = -1;
        self.state = State::FirstDocumentStart;
        Ok(())
    }

    fn emit_document_start(&mut self, ev: &Event<'_>, first: bool) -> EResult {
        if ev.kind == EventKind::DocumentStart {
            for (h, p) in [
                (&b"!"[..], &b"!"[..]),
                (&b"!!"[..], &b"tag:yaml.org,2002:"[..]),
            ] {
                if !self.tag_directives.iter().any(|(eh, _)| eh == h) {
                    self.tag_directives.push((h.to_vec(), p.to_vec()));
                }
            }
            let mut implicit = ev.implicit;
            if !first {
                implicit = false;
            }
            if self.open_ended && ev.version_directive {
                self.write_indicator(b"...", true, false, false);
                self.write_indent();
            }
            if ev.version_directive {
                implicit = false;
                self.write_indicator(b"%YAML", true, false, false);
                self.write_indicator(b"1.1", true, false, false);
                self.write_indent();
            }
            if !implicit {
                self.write_indent();
                self.write_indicator(b"---", true, false, false);
                self.write_indent();
            }
            if !self.head_comment.is_empty() {
                self.process_head_comment();
                self.put_break();
            }
            self.state = State::DocumentContent;
            return Ok(());
        }
        if ev.kind == EventKind::StreamEnd {
            if self.open_ended {
                self.write_indicator(b"...", true, false, false);
                self.write_indent();
            }
            self.state = State::End;
            return Ok(());
        }
        Err(Self::err("expected DOCUMENT-START or STREAM-END"))
    }

    fn emit_document_content(&mut self, ev: &Event<'_>) -> EResult {
        self.states.push(State::DocumentEnd);
        self.process_head_comment();
        self.emit_node(ev, true, false, false, false)?;
        self.process_line_comment(false);
        self.process_foot_comment();
        Ok(())
    }

    fn emit_document_end(&mut self, ev: &Event<'_>) -> EResult {
        if ev.kind != EventKind::DocumentEnd {
            return Err(Self::err("expected DOCUMENT-END"));
        }
        // Force document foot separation.
        self.foot_indent = 0;
        self.process_foot_comment();
        self.foot_indent = -1;
        self.write_indent();
        if !ev.implicit {
            self.write_indicator(b"...", true, false, false);
            self.write_indent();
        }
        self.state = State::DocumentStart;
        self.tag_directives.clear();
        Ok(())
    }

    fn has_trailing_comments(&self) -> bool {
        !self.line_comment.is_empty()
            || !self.foot_comment.is_empty()
            || !self.tail_comment.is_empty()
    }

    fn emit_flow_sequence_item(&mut self, ev: &Event<'_>, first: bool, trail: bool) -> EResult {
        if first {
            self.write_indicator(b"[", true, true, false);
            self.increase_indent(true, false);
            self.flow_level += 1;
        }
        if ev.kind == EventKind::SequenceEnd {
            self.flow_level -= 1;
            self.pop_indent();
            if self.column == 0 {
                self.write_indent();
            }
            self.write_indicator(b"]", false, false, false);
            self.process_line_comment(false);
            self.process_foot_comment();
            self.pop_state();
            return Ok(());
        }
        if !first && !trail {
            self.write_indicator(b",", false, false, false);
        }
        self.process_head_comment();
        if self.column == 0 {
            self.write_indent();
        }
        if self.column > self.best_width {
            self.write_indent();
        }
        if self.has_trailing_comments() {
            self.states.push(State::FlowSequenceTrailItem);
        } else {
            self.states.push(State::FlowSequenceItem);
        }
        self.emit_node(ev, false, true, false, false)?;
        if self.has_trailing_comments() {
            self.write_indicator(b",", false, false, false);
        }
        self.process_line_comment(false);
        self.process_foot_comment();
        Ok(())
    }

    fn emit_flow_mapping_key(&mut self, ev: &Event<'_>, first: bool, trail: bool) -> EResult {
        if first {
            self.write_indicator(b"{", true, true, false);
            self.increase_indent(true, false);
            self.flow_level += 1;
        }
        if ev.kind == EventKind::MappingEnd {
            if (!self.head_comment.is_empty()
                || !self.foot_comment.is_empty()
                || !self.tail_comment.is_empty())
                && !first
                && !trail
            {
                self.write_indicator(b",", false, false, false);
            }
            self.process_head_comment();
            self.flow_level -= 1;
            self.pop_indent();
            self.write_indicator(b"}", false, false, false);
            self.process_line_comment(false);
            self.process_foot_comment();
            self.pop_state();
            return Ok(());
        }
        if !first && !trail {
            self.write_indicator(b",", false, false, false);
        }
        self.process_head_comment();
        if self.column == 0 {
            self.write_indent();
        }
        if self.column > self.best_width {
            self.write_indent();
        }
        if self.check_simple_key(ev) {
            self.states.push(State::FlowMappingSimpleValue);
            return self.emit_node(ev, false, false, true, true);
        }
        self.write_indicator(b"?", true, false, false);
        self.states.push(State::FlowMappingValue);
        self.emit_node(ev, false, false, true, false)
    }

    fn emit_flow_mapping_value(&mut self, ev: &Event<'_>, simple: bool) -> EResult {
        if simple {
            self.write_indicator(b":", false, false, false);
        } else {
            if self.column > self.best_width {
                self.write_indent();
            }
            self.write_indicator(b":", true, false, false);
        }
        if self.has_trailing_comments() {
            self.states.push(State::FlowMappingTrailKey);
        } else {
            self.states.push(State::FlowMappingKey);
        }
        self.emit_node(ev, false, false, true, false)?;
        if self.has_trailing_comments() {
            self.write_indicator(b",", false, false, false);
        }
        self.process_line_comment(false);
        self.process_foot_comment();
        Ok(())
    }

    fn emit_block_sequence_item(&mut self, ev: &Event<'_>, first: bool) -> EResult {
        if first {
            let seq =
                self.mapping_context && (self.column == 0 || !self.indention) && self.compact_seq;
            self.increase_indent_compact(false, false, seq);
        }
        if ev.kind == EventKind::SequenceEnd {
            self.pop_indent();
            self.pop_state();
            return Ok(());
        }
        self.process_head_comment();
        self.write_indent();
        self.write_indicator(b"-", true, false, true);
        self.states.push(State::BlockSequenceItem);
        self.emit_node(ev, false, true, false, false)?;
        self.process_line_comment(false);
        self.process_foot_comment();
        Ok(())
    }

    fn emit_block_mapping_key(&mut self, ev: &Event<'_>, first: bool) -> EResult {
        if first {
            self.increase_indent(false, false);
        }
        self.process_head_comment();
        if ev.kind == EventKind::MappingEnd {
            self.pop_indent();
            self.pop_state();
            return Ok(());
        }
        self.write_indent();
        if !self.line_comment.is_empty() {
            // A line comment on a key is kept and written with the value.
            self.key_line_comment = std::mem::take(&mut self.line_comment);
        }
        if self.check_simple_key(ev) {
            self.states.push(State::BlockMappingSimpleValue);
            return self.emit_node(ev, false, false, true, true);
        }
        self.write_indicator(b"?", true, false, true);
        self.states.push(State::BlockMappingValue);
        self.emit_node(ev, false, false, true, false)
    }

    fn emit_block_mapping_value(&mut self, ev: &Event<'_>, simple: bool) -> EResult {
        if simple {
            self.write_indicator(b":", false, false, false);
        } else {
            self.write_indent();
            self.write_indicator(b":", true, false, true);
        }
        if !self.key_line_comment.is_empty() {
            if ev.kind == EventKind::Scalar {
                if self.line_comment.is_empty() {
                    self.line_comment = std::mem::take(&mut self.key_line_comment);
                }
            } else if !(ev.kind == EventKind::SequenceStart && ev.flow)
                && (ev.kind == EventKind::MappingStart || ev.kind == EventKind::SequenceStart)
            {
                // An indented block follows: write the comment now.
                std::mem::swap(&mut self.line_comment, &mut self.key_line_comment);
                self.process_line_comment(false);
                std::mem::swap(&mut self.line_comment, &mut self.key_line_comment);
            }
        }
        self.states.push(State::BlockMappingKey);
        self.emit_node(ev, false, false, true, false)?;
        self.process_line_comment(false);
        self.process_foot_comment();
        Ok(())
    }

    fn emit_node(
        &mut self,
        ev: &Event<'_>,
        root: bool,
        sequence: bool,
        mapping: bool,
        simple_key: bool,
    ) -> EResult {
        self.root_context = root;
        self.sequence_context = sequence;
        self.mapping_context = mapping;
        self.simple_key_context = simple_key;
        match ev.kind {
            EventKind::Alias => {
                self.process_anchor();
                self.pop_state();
                Ok(())
            }
            EventKind::Scalar => self.emit_scalar(ev),
            EventKind::SequenceStart => {
                self.process_anchor();
                self.process_tag();
                if self.flow_level > 0 || ev.flow || self.next_is(EventKind::SequenceEnd) {
                    self.state = State::FlowSequenceFirstItem;
                } else {
                    self.state = State::BlockSequenceFirstItem;
                }
                Ok(())
            }
            EventKind::MappingStart => {
                self.process_anchor();
                self.process_tag();
                if self.flow_level > 0 || ev.flow || self.next_is(EventKind::MappingEnd) {
                    self.state = State::FlowMappingFirstKey;
                } else {
                    self.state = State::BlockMappingFirstKey;
                }
                Ok(())
            }
            _ => Err(Self::err(
                "expected SCALAR, SEQUENCE-START, MAPPING-START, or ALIAS",
            )),
        }
    }

    fn emit_scalar(&mut self, ev: &Event<'_>) -> EResult {
        self.select_scalar_style(ev)?;
        self.process_anchor();
        self.process_tag();
        self.increase_indent(true, false);
        self.process_scalar();
        self.pop_indent();
        self.pop_state();
        Ok(())
    }

    /// Whether the collection being started is empty: the event after it
    /// is its end. (The current event was already taken off the queue, so
    /// the queue's front is the next one.)
    fn next_is(&self, end: EventKind) -> bool {
        matches!(self.events.front(), Some(e) if e.kind == end)
    }

    fn check_simple_key(&self, ev: &Event<'_>) -> bool {
        let anchor_len = self.anchor.as_ref().map_or(0, |(a, _)| a.len());
        let length = match ev.kind {
            EventKind::Alias => anchor_len,
            EventKind::Scalar => {
                if self.scalar.multiline {
                    return false;
                }
                anchor_len + self.tag_handle.len() + self.tag_suffix.len() + self.scalar.value.len()
            }
            EventKind::SequenceStart => {
                if !self.next_is(EventKind::SequenceEnd) {
                    return false;
                }
                anchor_len + self.tag_handle.len() + self.tag_suffix.len()
            }
            EventKind::MappingStart => {
                if !self.next_is(EventKind::MappingEnd) {
                    return false;
                }
                anchor_len + self.tag_handle.len() + self.tag_suffix.len()
            }
            _ => return false,
        };
        length <= 128
    }

    fn select_scalar_style(&mut self, ev: &Event<'_>) -> EResult {
        let no_tag = self.tag_handle.is_empty() && self.tag_suffix.is_empty();
        if no_tag && !ev.implicit && !ev.quoted_implicit {
            return Err(Self::err("neither tag nor implicit flags are specified"));
        }
        let mut style = ev.style;
        if style == ScalarStyle::Any {
            style = ScalarStyle::Plain;
        }
        if self.simple_key_context && self.scalar.multiline {
            style = ScalarStyle::DoubleQuoted;
        }
        if style == ScalarStyle::Plain {
            if (self.flow_level > 0 && !self.scalar.flow_plain_allowed)
                || (self.flow_level == 0 && !self.scalar.block_plain_allowed)
            {
                style = ScalarStyle::SingleQuoted;
            }
            if self.scalar.value.is_empty() && (self.flow_level > 0 || self.simple_key_context) {
                style = ScalarStyle::SingleQuoted;
            }
            if no_tag && !ev.implicit {
                style = ScalarStyle::SingleQuoted;
            }
        }
        if style == ScalarStyle::SingleQuoted && !self.scalar.single_quoted_allowed {
            style = ScalarStyle::DoubleQuoted;
        }
        if (style == ScalarStyle::Literal || style == ScalarStyle::Folded)
            && (!self.scalar.block_allowed || self.flow_level > 0 || self.simple_key_context)
        {
            style = ScalarStyle::DoubleQuoted;
        }
        if no_tag && !ev.quoted_implicit && style != ScalarStyle::Plain {
            self.tag_handle = b"!".to_vec();
        }
        self.scalar.style = style;
        Ok(())
    }

    fn process_anchor(&mut self) {
        if let Some((a, alias)) = self.anchor.take() {
            self.write_indicator(if alias { b"*" } else { b"&" }, true, false, false);
            self.write_all(&a);
            self.whitespace = false;
            self.indention = false;
            self.anchor = Some((a, alias));
        }
    }

    fn process_tag(&mut self) {
        if self.tag_handle.is_empty() && self.tag_suffix.is_empty() {
            return;
        }
        let handle = std::mem::take(&mut self.tag_handle);
        let suffix = std::mem::take(&mut self.tag_suffix);
        if !handle.is_empty() {
            self.write_tag_handle(&handle);
            if !suffix.is_empty() {
                self.write_tag_content(&suffix, false);
            }
        } else {
            self.write_indicator(b"!<", true, false, false);
            self.write_tag_content(&suffix, false);
            self.write_indicator(b">", false, false, false);
        }
        self.tag_handle = handle;
        self.tag_suffix = suffix;
    }

    fn process_scalar(&mut self) {
        let value = std::mem::take(&mut self.scalar.value);
        let allow_breaks = !self.simple_key_context;
        match self.scalar.style {
            ScalarStyle::Plain | ScalarStyle::Any => self.write_plain_scalar(&value, allow_breaks),
            ScalarStyle::SingleQuoted => self.write_single_quoted_scalar(&value, allow_breaks),
            ScalarStyle::DoubleQuoted => self.write_double_quoted_scalar(&value, allow_breaks),
            ScalarStyle::Literal => self.write_literal_scalar(&value),
            ScalarStyle::Folded => self.write_folded_scalar(&value),
        }
        self.scalar.value = value;
    }

    // ----- comments ----------------------------------------------------------------

    fn process_head_comment(&mut self) {
        if !self.tail_comment.is_empty() {
            self.write_indent();
            let c = std::mem::take(&mut self.tail_comment);
            self.write_comment(&c);
            self.foot_indent = self.indent.max(0);
        }
        if self.head_comment.is_empty() {
            return;
        }
        self.write_indent();
        let c = std::mem::take(&mut self.head_comment);
        self.write_comment(&c);
    }

    fn process_line_comment(&mut self, linebreak: bool) {
        if self.line_comment.is_empty() {
            if linebreak {
                self.put_break();
            }
            return;
        }
        if !self.whitespace {
            self.put(b' ');
        }
        let c = std::mem::take(&mut self.line_comment);
        self.write_comment(&c);
    }

    fn process_foot_comment(&mut self) {
        if self.foot_comment.is_empty() {
            return;
        }
        self.write_indent();
        let c = std::mem::take(&mut self.foot_comment);
        self.write_comment(&c);
        self.foot_indent = self.indent.max(0);
    }

    // ----- analysis ------------------------------------------------------------------

    fn analyze_event(&mut self, ev: &Event<'_>) -> EResult {
        self.anchor = None;
        self.tag_handle.clear();
        self.tag_suffix.clear();
        self.scalar.value.clear();
        if !ev.head_comment.is_empty() {
            self.head_comment = ev.head_comment.clone();
        }
        if !ev.line_comment.is_empty() {
            self.line_comment = ev.line_comment.clone();
        }
        if !ev.foot_comment.is_empty() {
            self.foot_comment = ev.foot_comment.clone();
        }
        if !ev.tail_comment.is_empty() {
            self.tail_comment = ev.tail_comment.clone();
        }
        match ev.kind {
            EventKind::Alias => self.analyze_anchor(&ev.anchor, true)?,
            EventKind::Scalar => {
                if !ev.anchor.is_empty() {
                    self.analyze_anchor(&ev.anchor, false)?;
                }
                if !ev.tag.is_empty() && !ev.implicit && !ev.quoted_implicit {
                    self.analyze_tag(&ev.tag)?;
                }
                let mut facts = match ev.analysis {
                    Some(a) => a,
                    None => analyze_scalar(&ev.value),
                };
                if self.v2_tabs && ev.value.contains(&b'\t') {
                    // yaml.v2 counts a tab as a special character: no
                    // block scalar either.
                    facts.block_allowed = false;
                }
                self.scalar.value.extend_from_slice(&ev.value);
                self.scalar.multiline = facts.multiline;
                self.scalar.flow_plain_allowed = facts.flow_plain_allowed;
                self.scalar.block_plain_allowed = facts.block_plain_allowed;
                self.scalar.single_quoted_allowed = facts.single_quoted_allowed;
                self.scalar.block_allowed = facts.block_allowed;
            }
            EventKind::SequenceStart | EventKind::MappingStart => {
                if !ev.anchor.is_empty() {
                    self.analyze_anchor(&ev.anchor, false)?;
                }
                if !ev.tag.is_empty() && !ev.implicit {
                    self.analyze_tag(&ev.tag)?;
                }
            }
            _ => {}
        }
        Ok(())
    }

    fn analyze_anchor(&mut self, anchor: &[u8], alias: bool) -> EResult {
        if anchor.is_empty() {
            return Err(Self::err("anchor value must not be empty"));
        }
        let mut i = 0;
        while i < anchor.len() {
            if !is_alpha(anchor, i) {
                return Err(Self::err(
                    "anchor value must contain alphanumerical characters only",
                ));
            }
            i += width(anchor[i]).max(1);
        }
        self.anchor = Some((anchor.to_vec(), alias));
        Ok(())
    }

    fn analyze_tag(&mut self, tag: &[u8]) -> EResult {
        for (handle, prefix) in &self.tag_directives {
            if tag.starts_with(prefix) {
                self.tag_handle = handle.clone();
                self.tag_suffix = tag[prefix.len()..].to_vec();
                return Ok(());
            }
        }
        self.tag_suffix = tag.to_vec();
        Ok(())
    }

    // ----- writers -----------------------------------------------------------------

    fn write_indent(&mut self) {
        let indent = self.indent.max(0);
        if !self.indention || self.column > indent || (self.column == indent && !self.whitespace) {
            self.put_break();
        }
        if self.foot_indent == indent {
            self.put_break();
        }
        while self.column < indent {
            self.put(b' ');
        }
        self.whitespace = true;
        self.space_above = false;
        self.foot_indent = -1;
    }

    fn write_indicator(
        &mut self,
        indicator: &[u8],
        need_whitespace: bool,
        is_whitespace: bool,
        is_indention: bool,
    ) {
        if need_whitespace && !self.whitespace {
            self.put(b' ');
        }
        self.write_all(indicator);
        self.whitespace = is_whitespace;
        self.indention = self.indention && is_indention;
        self.open_ended = false;
    }

    fn write_tag_handle(&mut self, value: &[u8]) {
        if !self.whitespace {
            self.put(b' ');
        }
        self.write_all(value);
        self.whitespace = false;
        self.indention = false;
    }

    fn write_tag_content(&mut self, value: &[u8], need_whitespace: bool) {
        if need_whitespace && !self.whitespace {
            self.put(b' ');
        }
        let mut i = 0;
        while i < value.len() {
            let c = value[i];
            let must_write = matches!(
                c,
                b';' | b'/'
                    | b'?'
                    | b':'
                    | b'@'
                    | b'&'
                    | b'='
                    | b'+'
                    | b'$'
                    | b','
                    | b'_'
                    | b'.'
                    | b'~'
                    | b'*'
                    | b'\''
                    | b'('
                    | b')'
                    | b'['
                    | b']'
            ) || is_alpha(value, i);
            if must_write {
                self.write(value, &mut i);
            } else {
                let w = width(c).max(1);
                for _ in 0..w {
                    let Some(&octet) = value.get(i) else { break };
                    i += 1;
                    self.put(b'%');
                    self.put(hex_digit(octet >> 4));
                    self.put(hex_digit(octet & 0x0F));
                }
            }
        }
        self.whitespace = false;
        self.indention = false;
    }

    /// Append text that holds no line break; the column advances by its
    /// number of characters.
    fn write_run(&mut self, v: &[u8]) {
        self.out.extend_from_slice(v);
        self.column += v.iter().filter(|&&b| b & 0xC0 != 0x80).count() as i64;
    }

    fn write_plain_scalar(&mut self, value: &[u8], allow_breaks: bool) {
        if !value.is_empty() && !self.whitespace {
            self.put(b' ');
        }
        debug_assert_eq!(self.scalar.multiline, has_break(value));
        if self.unlimited_width() && self.column <= self.best_width / 2 && !self.scalar.multiline {
            // Lines are never wrapped at this width: write it in one go.
            self.write_run(value);
            if !value.is_empty() {
                self.whitespace = false;
            }
            self.indention = false;
            if self.root_context {
                self.open_ended = true;
            }
            return;
        }
        let mut spaces = false;
        let mut breaks = false;
        let mut i = 0;
        while i < value.len() {
            if is_space(value, i) {
                if allow_breaks
                    && !spaces
                    && self.column > self.best_width
                    && !is_space(value, i + 1)
                {
                    self.write_indent();
                    i += 1;
                } else {
                    self.write(value, &mut i);
                }
                spaces = true;
            } else if is_break(value, i) {
                if !breaks && value[i] == b'\n' {
                    self.put_break();
                }
                self.write_break(value, &mut i);
                breaks = true;
            } else {
                if breaks {
                    self.write_indent();
                }
                self.write(value, &mut i);
                self.indention = false;
                spaces = false;
                breaks = false;
            }
        }
        if !value.is_empty() {
            self.whitespace = false;
        }
        self.indention = false;
        if self.root_context {
            self.open_ended = true;
        }
    }

    fn write_single_quoted_scalar(&mut self, value: &[u8], allow_breaks: bool) {
        self.write_indicator(b"'", true, false, false);
        debug_assert_eq!(self.scalar.multiline, has_break(value));
        if self.unlimited_width() && self.column <= self.best_width / 2 && !self.scalar.multiline {
            // Lines are never wrapped at this width: only quotes change.
            for part in value.split_inclusive(|&b| b == b'\'') {
                self.write_run(part);
                if part.last() == Some(&b'\'') {
                    self.put(b'\'');
                }
            }
            if !value.is_empty() {
                self.indention = false;
            }
            self.write_indicator(b"'", false, false, false);
            self.whitespace = false;
            self.indention = false;
            return;
        }
        let mut spaces = false;
        let mut breaks = false;
        let mut i = 0;
        while i < value.len() {
            if is_space(value, i) {
                if allow_breaks
                    && !spaces
                    && self.column > self.best_width
                    && i > 0
                    && i < value.len() - 1
                    && !is_space(value, i + 1)
                {
                    self.write_indent();
                    i += 1;
                } else {
                    self.write(value, &mut i);
                }
                spaces = true;
            } else if is_break(value, i) {
                if !breaks && value[i] == b'\n' {
                    self.put_break();
                }
                self.write_break(value, &mut i);
                breaks = true;
            } else {
                if breaks {
                    self.write_indent();
                }
                if value[i] == b'\'' {
                    self.put(b'\'');
                }
                self.write(value, &mut i);
                self.indention = false;
                spaces = false;
                breaks = false;
            }
        }
        self.write_indicator(b"'", false, false, false);
        self.whitespace = false;
        self.indention = false;
    }

    fn write_double_quoted_scalar(&mut self, value: &[u8], allow_breaks: bool) {
        let mut spaces = false;
        // go-yaml's BOM check looks at the start of the value, not at the
        // current character: a value starting with U+FEFF is fully escaped.
        let starts_with_bom = is_bom(value, 0);
        self.write_indicator(b"\"", true, false, false);
        let mut i = 0;
        while i < value.len() {
            let c = value[i];
            if !is_printable(value, i)
                || starts_with_bom
                || is_break(value, i)
                || c == b'"'
                || c == b'\\'
            {
                let w = width(c).max(1);
                let mut v: u32 = match w {
                    1 => (c & 0x7F) as u32,
                    2 => (c & 0x1F) as u32,
                    3 => (c & 0x0F) as u32,
                    _ => (c & 0x07) as u32,
                };
                for k in 1..w {
                    let o = value.get(i + k).copied().unwrap_or(0x80);
                    v = (v << 6) + (o as u32 & 0x3F);
                }
                i += w;
                self.put(b'\\');
                match v {
                    0x00 => self.put(b'0'),
                    0x07 => self.put(b'a'),
                    0x08 => self.put(b'b'),
                    0x09 => self.put(b't'),
                    0x0A => self.put(b'n'),
                    0x0B => self.put(b'v'),
                    0x0C => self.put(b'f'),
                    0x0D => self.put(b'r'),
                    0x1B => self.put(b'e'),
                    0x22 => self.put(b'"'),
                    0x5C => self.put(b'\\'),
                    0x85 => self.put(b'N'),
                    0xA0 => self.put(b'_'),
                    0x2028 => self.put(b'L'),
                    0x2029 => self.put(b'P'),
                    _ => {
                        let (letter, digits) = if v <= 0xFF {
                            (b'x', 2)
                        } else if v <= 0xFFFF {
                            (b'u', 4)
                        } else {
                            (b'U', 8)
                        };
                        self.put(letter);
                        for k in (0..digits).rev() {
                            self.put(hex_digit(((v >> (k * 4)) & 0x0F) as u8));
                        }
                    }
                }
                spaces = false;
            } else if is_space(value, i) {
                if allow_breaks
                    && !spaces
                    && self.column > self.best_width
                    && i > 0
                    && i < value.len() - 1
                {
                    self.write_indent();
                    if is_space(value, i + 1) {
                        self.put(b'\\');
                    }
                    i += 1;
                } else {
                    self.write(value, &mut i);
                }
                spaces = true;
            } else {
                // A run of characters written as they are.
                let start = i;
                let mut j = i;
                while j < value.len() {
                    let c = value[j];
                    let plain_ascii = (0x21..=0x7E).contains(&c) && c != b'"' && c != b'\\';
                    if !plain_ascii {
                        break;
                    }
                    j += 1;
                }
                if j > start && !starts_with_bom {
                    self.write_run(&value[start..j]);
                    i = j;
                } else {
                    self.write(value, &mut i);
                }
                spaces = false;
            }
        }
        self.write_indicator(b"\"", false, false, false);
        self.whitespace = false;
        self.indention = false;
    }

    fn write_block_scalar_hints(&mut self, value: &[u8]) {
        if is_space(value, 0) || is_break(value, 0) {
            // The indentation indicator counts from the parent's indentation
            // (the `-` of a sequence entry, the keys of a mapping), which
            // `emit_scalar` has just pushed. go-yaml writes `best_indent`,
            // which is wrong inside a sequence (`- |4-` over lines indented
            // by 2 more than the `-`) and so unreadable, by sops too.
            let parent = self.indents.last().copied().unwrap_or(-1);
            let step = if parent < 0 {
                self.indent
            } else {
                self.indent - parent
            };
            let hint = [b'0' + step.clamp(1, 9) as u8];
            self.write_indicator(&hint, false, false, false);
        }
        self.open_ended = false;
        let mut chomp: Option<u8> = None;
        if value.is_empty() {
            chomp = Some(b'-');
        } else {
            let mut i = value.len() - 1;
            while i > 0 && value[i] & 0xC0 == 0x80 {
                i -= 1;
            }
            if !is_break(value, i) {
                chomp = Some(b'-');
            } else if i == 0 {
                chomp = Some(b'+');
                self.open_ended = true;
            } else {
                i -= 1;
                while i > 0 && value[i] & 0xC0 == 0x80 {
                    i -= 1;
                }
                if is_break(value, i) {
                    chomp = Some(b'+');
                    self.open_ended = true;
                }
            }
        }
        if let Some(c) = chomp {
            self.write_indicator(&[c], false, false, false);
        }
    }

    fn write_literal_scalar(&mut self, value: &[u8]) {
        self.write_indicator(b"|", true, false, false);
        self.write_block_scalar_hints(value);
        self.process_line_comment(true);
        self.whitespace = true;
        let mut breaks = true;
        let mut i = 0;
        while i < value.len() {
            if is_break(value, i) {
                self.write_break(value, &mut i);
                breaks = true;
            } else {
                if breaks {
                    self.write_indent();
                }
                self.write(value, &mut i);
                self.indention = false;
                breaks = false;
            }
        }
    }

    fn write_folded_scalar(&mut self, value: &[u8]) {
        self.write_indicator(b">", true, false, false);
        self.write_block_scalar_hints(value);
        self.process_line_comment(true);
        self.whitespace = true;
        let mut breaks = true;
        let mut leading_spaces = true;
        let mut i = 0;
        while i < value.len() {
            if is_break(value, i) {
                if !breaks && !leading_spaces && value[i] == b'\n' {
                    let mut k = 0;
                    while is_break(value, k) {
                        k += width(value[k]).max(1);
                    }
                    if !is_blankz(value, k) {
                        self.put_break();
                    }
                }
                self.write_break(value, &mut i);
                breaks = true;
            } else {
                if breaks {
                    self.write_indent();
                    leading_spaces = is_blank(value, i);
                }
                if !breaks
                    && is_space(value, i)
                    && !is_space(value, i + 1)
                    && self.column > self.best_width
                {
                    self.write_indent();
                    i += 1;
                } else {
                    self.write(value, &mut i);
                }
                self.indention = false;
                breaks = false;
            }
        }
    }

    fn write_comment(&mut self, comment: &[u8]) {
        let mut breaks = false;
        let mut pound = false;
        let mut i = 0;
        while i < comment.len() {
            if is_break(comment, i) {
                self.write_break(comment, &mut i);
                breaks = true;
                pound = false;
            } else {
                if breaks {
                    self.write_indent();
                }
                if !pound {
                    if comment[i] != b'#' {
                        self.put(b'#');
                        self.put(b' ');
                    }
                    pound = true;
                }
                self.write(comment, &mut i);
                self.indention = false;
                breaks = false;
            }
        }
        if !breaks {
            self.put_break();
        }
        self.whitespace = true;
    }
}

/// Whether `v` holds a line break character.
fn has_break(v: &[u8]) -> bool {
    // A quick scan for the bytes a break can start with, then the exact test.
    if !v
        .iter()
        .any(|&b| b == b'\n' || b == b'\r' || b == 0xC2 || b == 0xE2)
    {
        return false;
    }
    v.iter()
        .enumerate()
        .any(|(i, &b)| (b == b'\n' || b == b'\r' || b == 0xC2 || b == 0xE2) && is_break(v, i))
}

fn hex_digit(d: u8) -> u8 {
    if d < 10 {
        b'0' + d
    } else {
        b'A' + d - 10
    }
}

/// The full analysis of a scalar's text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(super) struct Analysis {
    pub multiline: bool,
    pub flow_plain_allowed: bool,
    pub block_plain_allowed: bool,
    pub single_quoted_allowed: bool,
    pub block_allowed: bool,
}

/// Bytes that never change the analysis of a scalar when they are not its
/// first or last byte: letters, digits and `_-./+=()~$^; ` (no indicator,
/// no quote, no break, no tab).
const fn quiet_bytes() -> [bool; 256] {
    let mut t = [false; 256];
    let mut c = 0;
    while c < 256 {
        let b = c as u8;
        t[c] = b.is_ascii_alphanumeric()
            || matches!(
                b,
                b'_' | b'-'
                    | b'.'
                    | b'/'
                    | b'+'
                    | b'='
                    | b'('
                    | b')'
                    | b'~'
                    | b'$'
                    | b'^'
                    | b';'
                    | b' '
            );
        c += 1;
    }
    t
}

static QUIET: [bool; 256] = quiet_bytes();

/// The bytes of an `ENC[…]` value: base64, letters, `,` `:` `[` `]` `_`.
const fn enc_bytes() -> [bool; 256] {
    let mut t = [false; 256];
    let mut c = 0;
    while c < 256 {
        let b = c as u8;
        t[c] = b.is_ascii_alphanumeric()
            || matches!(b, b'+' | b'/' | b'=' | b',' | b':' | b'[' | b']' | b'_');
        c += 1;
    }
    t
}

static ENC_BYTES: [bool; 256] = enc_bytes();

/// go-yaml's `yaml_emitter_analyze_scalar` (with unicode output allowed).
pub(super) fn analyze_scalar(value: &[u8]) -> Analysis {
    // Fast path for the values sops writes most: `ENC[AES256_GCM,data:…,
    // iv:…,tag:…,type:…]` holds only base64, `,` `:` `[` `]` and letters,
    // never `: `/` #`, so it is plain in block context and not in flow
    // context (the brackets and commas are flow indicators).
    if value.len() > 20
        && value.starts_with(b"ENC[AES256_GCM,data:")
        && value.last() == Some(&b']')
        && value.iter().all(|&b| ENC_BYTES[b as usize])
    {
        return Analysis {
            multiline: false,
            flow_plain_allowed: false,
            block_plain_allowed: true,
            single_quoted_allowed: true,
            block_allowed: true,
        };
    }
    analyze_scalar_general(value)
}

fn analyze_scalar_general(value: &[u8]) -> Analysis {
    // Fast path: starts with a letter or digit, ends with neither space
    // nor special character, holds only quiet bytes, and is not "...".
    if let (Some(&first), Some(&last)) = (value.first(), value.last()) {
        if first.is_ascii_alphanumeric() && last != b' ' && value.iter().all(|&b| QUIET[b as usize])
        {
            return Analysis {
                multiline: false,
                flow_plain_allowed: true,
                block_plain_allowed: true,
                single_quoted_allowed: true,
                block_allowed: true,
            };
        }
    }
    if value.is_empty() {
        return Analysis {
            multiline: false,
            flow_plain_allowed: false,
            block_plain_allowed: true,
            single_quoted_allowed: true,
            block_allowed: false,
        };
    }
    let mut block_indicators = false;
    let mut flow_indicators = false;
    let mut line_breaks = false;
    let mut special_characters = false;
    let mut tab_characters = false;
    let mut leading_space = false;
    let mut leading_break = false;
    let mut trailing_space = false;
    let mut trailing_break = false;
    let mut break_space = false;
    let mut space_break = false;
    let mut previous_space = false;
    let mut previous_break = false;

    if value.len() >= 3 && (value.starts_with(b"---") || value.starts_with(b"...")) {
        block_indicators = true;
        flow_indicators = true;
    }
    let mut preceded_by_whitespace = true;
    let mut i = 0;
    while i < value.len() {
        let w = width(value[i]).max(1);
        let followed_by_whitespace = i + w >= value.len() || is_blank(value, i + w);
        let c = value[i];
        if i == 0 {
            match c {
                b'#' | b',' | b'[' | b']' | b'{' | b'}' | b'&' | b'*' | b'!' | b'|' | b'>'
                | b'\'' | b'"' | b'%' | b'@' | b'`' => {
                    flow_indicators = true;
                    block_indicators = true;
                }
                b'?' | b':' => {
                    flow_indicators = true;
                    if followed_by_whitespace {
                        block_indicators = true;
                    }
                }
                b'-' if followed_by_whitespace => {
                    flow_indicators = true;
                    block_indicators = true;
                }
                _ => {}
            }
        } else {
            match c {
                b',' | b'?' | b'[' | b']' | b'{' | b'}' => flow_indicators = true,
                b':' => {
                    flow_indicators = true;
                    if followed_by_whitespace {
                        block_indicators = true;
                    }
                }
                b'#' if preceded_by_whitespace => {
                    flow_indicators = true;
                    block_indicators = true;
                }
                _ => {}
            }
        }
        if c == b'\t' {
            tab_characters = true;
        } else if !is_printable(value, i) {
            special_characters = true;
        }
        if is_space(value, i) {
            if i == 0 {
                leading_space = true;
            }
            if i + w == value.len() {
                trailing_space = true;
            }
            if previous_break {
                break_space = true;
            }
            previous_space = true;
            previous_break = false;
        } else if is_break(value, i) {
            line_breaks = true;
            if i == 0 {
                leading_break = true;
            }
            if i + w == value.len() {
                trailing_break = true;
            }
            if previous_space {
                space_break = true;
            }
            previous_space = false;
            previous_break = true;
        } else {
            previous_space = false;
            previous_break = false;
        }
        preceded_by_whitespace = is_blankz(value, i);
        i += w;
    }

    let mut a = Analysis {
        multiline: line_breaks,
        flow_plain_allowed: true,
        block_plain_allowed: true,
        single_quoted_allowed: true,
        block_allowed: true,
    };
    if leading_space || leading_break || trailing_space || trailing_break {
        a.flow_plain_allowed = false;
        a.block_plain_allowed = false;
    }
    if trailing_space {
        a.block_allowed = false;
    }
    if break_space {
        a.flow_plain_allowed = false;
        a.block_plain_allowed = false;
        a.single_quoted_allowed = false;
    }
    if space_break || tab_characters || special_characters {
        a.flow_plain_allowed = false;
        a.block_plain_allowed = false;
        a.single_quoted_allowed = false;
    }
    if space_break || special_characters {
        a.block_allowed = false;
    }
    if line_breaks {
        a.flow_plain_allowed = false;
        a.block_plain_allowed = false;
    }
    if flow_indicators {
        a.flow_plain_allowed = false;
    }
    if block_indicators {
        a.block_plain_allowed = false;
    }
    a
}

#[cfg(test)]
mod enc_fast_path_tests {
    use super::*;

    #[test]
    fn enc_fast_path_agrees_with_the_full_analysis() {
        for v in [
            "ENC[AES256_GCM,data:AQ==,iv:damy5bRS/2TGoGM5LF+hokzHcSllEpFgWl4vXEGmlrs=,tag:MOztljtfg6j9uiz/D6RfWA==,type:int]",
            "ENC[AES256_GCM,data:3MuI5cXKu713,iv:HAbHhGPPlcnSIrfKxoLEi0dmq55BxrEeeyE1VeC8z1Y=,tag:xnfRoMNwSN30wf7nPiAEQg==,type:str]",
            "ENC[AES256_GCM,data:,iv:,tag:,type:comment]",
        ] {
            assert_eq!(analyze_scalar(v.as_bytes()), analyze_scalar_general(v.as_bytes()), "{v}");
        }
    }
}
