//! The YAML scanner: turns bytes into tokens and collects comments.
//!
//! This follows the token and comment rules of go-yaml v3 (which sops uses)
//! closely, because where a comment ends up (head, line or foot comment of
//! which node) is decided here, and sops' output depends on it. Marks count
//! characters (`index`, `column`) and lines from zero, like libyaml.
//!
//! The whole input is in memory; reading past its end yields NUL bytes,
//! which is how the end of the stream is recognised (the reader rejected NUL
//! characters inside the input beforehand).

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// A fast hasher for small integer keys (token numbers).
#[derive(Default)]
struct IntHasher(u64);

impl Hasher for IntHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0.rotate_left(5) ^ b as u64).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
        }
    }
    fn write_usize(&mut self, n: usize) {
        self.0 = (n as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
}

type IntMap<V> = HashMap<usize, V, BuildHasherDefault<IntHasher>>;

/// A position in the input. Fields are signed because the comment logic
/// does arithmetic that may step below zero.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(super) struct Mark {
    pub index: i64,
    pub line: i64,
    pub column: i64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub(super) enum TokenKind {
    #[default]
    None,
    StreamStart,
    StreamEnd,
    VersionDirective,
    TagDirective,
    DocumentStart,
    DocumentEnd,
    BlockSequenceStart,
    BlockMappingStart,
    BlockEnd,
    FlowSequenceStart,
    FlowSequenceEnd,
    FlowMappingStart,
    FlowMappingEnd,
    BlockEntry,
    FlowEntry,
    Key,
    Value,
    Alias,
    Anchor,
    Tag,
    Scalar,
}

/// How a scalar was written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub(super) enum ScalarStyle {
    #[default]
    Any,
    Plain,
    SingleQuoted,
    DoubleQuoted,
    Literal,
    Folded,
}

#[derive(Clone, Debug, Default)]
pub(super) struct Token {
    pub kind: TokenKind,
    pub start: Mark,
    pub end: Mark,
    /// Scalar text, anchor/alias name, tag handle or %TAG handle.
    pub value: Vec<u8>,
    /// The value is the input bytes in this range (and `value` is empty).
    pub span: Option<(usize, usize)>,
    /// Tag suffix.
    pub suffix: Vec<u8>,
    /// %TAG prefix.
    pub prefix: Vec<u8>,
    pub style: ScalarStyle,
    pub major: i8,
    pub minor: i8,
}

/// What the parser takes out of a token.
pub(super) struct Taken {
    pub start: Mark,
    pub value: Vec<u8>,
    pub span: Option<(usize, usize)>,
    pub suffix: Vec<u8>,
    pub prefix: Vec<u8>,
    pub style: ScalarStyle,
    pub major: i8,
    pub minor: i8,
}

/// A comment collected by the scanner, waiting to be attached to a token.
#[derive(Clone, Debug, Default)]
pub(super) struct PendingComment {
    /// Where scanning for this comment started.
    pub scan_mark: Mark,
    /// Tokens starting at or after this mark take the comment.
    pub token_mark: Mark,
    /// Position of the `#`.
    pub start_mark: Mark,
    /// Where the comment ended.
    pub end_mark: Mark,
    pub head: Vec<u8>,
    pub line: Vec<u8>,
    pub foot: Vec<u8>,
}

#[derive(Clone, Copy, Debug, Default)]
struct SimpleKey {
    possible: bool,
    required: bool,
    token_number: usize,
    mark: Mark,
}

/// A syntax error with the position where it was found. Messages never
/// contain scalar text.
#[derive(Clone, Debug)]
pub(super) struct SyntaxError {
    pub context: &'static str,
    pub context_mark: Mark,
    pub problem: String,
    pub problem_mark: Mark,
}

impl SyntaxError {
    pub fn message(&self) -> String {
        let m = self.problem_mark;
        let mut s = format!(
            "YAML syntax error at line {}, column {}: {}",
            m.line + 1,
            m.column + 1,
            self.problem
        );
        if !self.context.is_empty() {
            s.push_str(&format!(
                " ({} started at line {}, column {})",
                self.context.trim_start_matches("while "),
                self.context_mark.line + 1,
                self.context_mark.column + 1
            ));
        }
        s
    }
}

pub(super) type SResult<T> = Result<T, SyntaxError>;

/// Maximum number of nested flow collections (as go-yaml).
const MAX_FLOW_LEVEL: usize = 10_000;
/// Maximum number of nested block indentation levels (as go-yaml).
const MAX_INDENTS: usize = 10_000;

/// UTF-8 sequence width from its first byte (0 for a continuation byte).
#[inline]
pub(super) fn width(b: u8) -> usize {
    if b & 0x80 == 0 {
        1
    } else if b & 0xE0 == 0xC0 {
        2
    } else if b & 0xF0 == 0xE0 {
        3
    } else if b & 0xF8 == 0xF0 {
        4
    } else {
        0
    }
}

/// Byte-class helpers over a slice, reading NUL past its end.
pub(super) mod class {
    #[inline]
    pub fn at(b: &[u8], i: usize) -> u8 {
        b.get(i).copied().unwrap_or(0)
    }
    #[inline]
    pub fn is_alpha(b: &[u8], i: usize) -> bool {
        let c = at(b, i);
        c.is_ascii_alphanumeric() || c == b'_' || c == b'-'
    }
    #[inline]
    pub fn is_blank(b: &[u8], i: usize) -> bool {
        let c = at(b, i);
        c == b' ' || c == b'\t'
    }
    #[inline]
    pub fn is_space(b: &[u8], i: usize) -> bool {
        at(b, i) == b' '
    }
    #[inline]
    pub fn is_tab(b: &[u8], i: usize) -> bool {
        at(b, i) == b'\t'
    }
    #[inline]
    pub fn is_z(b: &[u8], i: usize) -> bool {
        at(b, i) == 0
    }
    #[inline]
    pub fn is_break(b: &[u8], i: usize) -> bool {
        let c = at(b, i);
        c == b'\r'
            || c == b'\n'
            || (c == 0xC2 && at(b, i + 1) == 0x85)
            || (c == 0xE2 && at(b, i + 1) == 0x80 && (at(b, i + 2) == 0xA8 || at(b, i + 2) == 0xA9))
    }
    #[inline]
    pub fn is_crlf(b: &[u8], i: usize) -> bool {
        at(b, i) == b'\r' && at(b, i + 1) == b'\n'
    }
    #[inline]
    pub fn is_breakz(b: &[u8], i: usize) -> bool {
        is_break(b, i) || is_z(b, i)
    }
    #[inline]
    pub fn is_blankz(b: &[u8], i: usize) -> bool {
        is_blank(b, i) || is_breakz(b, i)
    }
    #[inline]
    pub fn is_bom(b: &[u8], i: usize) -> bool {
        at(b, i) == 0xEF && at(b, i + 1) == 0xBB && at(b, i + 2) == 0xBF
    }
    #[inline]
    pub fn is_printable(b: &[u8], i: usize) -> bool {
        let c = at(b, i);
        let d = at(b, i + 1);
        c == 0x0A
            || (0x20..=0x7E).contains(&c)
            || (c == 0xC2 && d >= 0xA0)
            || (c > 0xC2 && c < 0xED)
            || (c == 0xED && d < 0xA0)
            || c == 0xEE
            || (c == 0xEF
                && !(d == 0xBB && at(b, i + 2) == 0xBF)
                && !(d == 0xBF && (at(b, i + 2) == 0xBE || at(b, i + 2) == 0xBF)))
    }
}

use class::*;

/// The scanner state plus the comment slots the parser reads.
pub(super) struct Scanner<'a> {
    buf: &'a [u8],
    pos: usize,
    pub mark: Mark,
    /// Line breaks since the last non-blank, non-break character.
    newlines: i64,

    stream_start_produced: bool,
    pub stream_end_produced: bool,
    flow_level: usize,

    tokens: Vec<Token>,
    tokens_head: usize,
    tokens_parsed: usize,
    token_available: bool,

    indent: i64,
    indents: Vec<i64>,

    simple_key_allowed: bool,
    simple_keys: Vec<SimpleKey>,
    simple_keys_by_tok: IntMap<usize>,

    comments: Vec<PendingComment>,
    comments_head: usize,

    /// Comments unfolded onto the tokens the parser has peeked.
    pub head_comment: Vec<u8>,
    pub line_comment: Vec<u8>,
    pub foot_comment: Vec<u8>,
    pub stem_comment: Option<Vec<u8>>,
    /// Line-break and blank buffers reused by each plain or quoted scalar.
    scalar_scratch: [Vec<u8>; 3],
}

impl<'a> Scanner<'a> {
    /// `buf` must be valid UTF-8 without NUL or other disallowed characters.
    pub fn new(buf: &'a [u8]) -> Self {
        Scanner {
            buf,
            pos: 0,
            mark: Mark::default(),
            newlines: 0,
            stream_start_produced: false,
            stream_end_produced: false,
            flow_level: 0,
            tokens: Vec::with_capacity(16),
            tokens_head: 0,
            tokens_parsed: 0,
            token_available: false,
            indent: 0,
            indents: Vec::new(),
            simple_key_allowed: false,
            simple_keys: Vec::new(),
            simple_keys_by_tok: IntMap::default(),
            comments: Vec::new(),
            comments_head: 0,
            head_comment: Vec::new(),
            line_comment: Vec::new(),
            foot_comment: Vec::new(),
            stem_comment: None,
            scalar_scratch: Default::default(),
        }
    }

    /// Input bytes `a..b`.
    pub fn slice(&self, a: usize, b: usize) -> &'a [u8] {
        let b = b.min(self.buf.len());
        &self.buf[a.min(b)..b]
    }

    // ----- low level reading -------------------------------------------

    #[inline]
    fn c(&self, k: usize) -> u8 {
        at(self.buf, self.pos + k)
    }

    fn error(&self, context: &'static str, context_mark: Mark, problem: &str) -> SyntaxError {
        SyntaxError {
            context,
            context_mark,
            problem: problem.to_string(),
            problem_mark: self.mark,
        }
    }

    #[inline]
    fn skip(&mut self) {
        if !is_blank(self.buf, self.pos) {
            self.newlines = 0;
        }
        self.mark.index += 1;
        self.mark.column += 1;
        self.pos += width(self.c(0)).max(1);
    }

    #[inline]
    fn skip_line(&mut self) {
        if is_crlf(self.buf, self.pos) {
            self.mark.index += 2;
            self.mark.column = 0;
            self.mark.line += 1;
            self.pos += 2;
            self.newlines += 1;
        } else if is_break(self.buf, self.pos) {
            self.mark.index += 1;
            self.mark.column = 0;
            self.mark.line += 1;
            self.pos += width(self.c(0)).max(1);
            self.newlines += 1;
        }
    }

    /// Copy one character into `s` and advance.
    #[inline]
    fn read(&mut self, s: &mut Vec<u8>) {
        if !is_blank(self.buf, self.pos) {
            self.newlines = 0;
        }
        let w = width(self.c(0)).max(1);
        let end = (self.pos + w).min(self.buf.len());
        if self.pos < end {
            s.extend_from_slice(&self.buf[self.pos..end]);
        }
        self.pos += w;
        self.mark.index += 1;
        self.mark.column += 1;
    }

    /// Copy a line break into `s` (normalised to `\n` except LS/PS).
    fn read_line(&mut self, s: &mut Vec<u8>) {
        let c0 = self.c(0);
        let c1 = self.c(1);
        if c0 == b'\r' && c1 == b'\n' {
            s.push(b'\n');
            self.pos += 2;
            self.mark.index += 1;
        } else if c0 == b'\r' || c0 == b'\n' {
            s.push(b'\n');
            self.pos += 1;
        } else if c0 == 0xC2 && c1 == 0x85 {
            s.push(b'\n');
            self.pos += 2;
        } else if c0 == 0xE2 && c1 == 0x80 && (self.c(2) == 0xA8 || self.c(2) == 0xA9) {
            s.extend_from_slice(&[c0, c1, self.c(2)]);
            self.pos += 3;
        } else {
            return;
        }
        self.mark.index += 1;
        self.mark.column = 0;
        self.mark.line += 1;
        self.newlines += 1;
    }

    // ----- token queue -----------------------------------------------------

    fn insert_token(&mut self, pos: Option<usize>, token: Token) {
        // Drop consumed tokens now and then, keeping the queue's tail.
        if self.tokens_head > 64 && self.tokens_head * 2 > self.tokens.len() {
            let keep_from = self.tokens_head.saturating_sub(2);
            self.tokens.drain(..keep_from);
            self.tokens_head -= keep_from;
        }
        match pos {
            None => self.tokens.push(token),
            Some(p) => {
                let at = (self.tokens_head + p).min(self.tokens.len());
                self.tokens.insert(at, token);
            }
        }
    }

    /// The next token, with comments unfolded into the comment slots.
    pub fn peek_token(&mut self) -> SResult<&Token> {
        if !self.token_available {
            self.fetch_more_tokens()?;
        }
        self.unfold_comments();
        Ok(&self.tokens[self.tokens_head])
    }

    /// Kind and marks of the next token (cheap copy).
    pub fn peek_kind(&mut self) -> SResult<(TokenKind, Mark, Mark)> {
        let t = self.peek_token()?;
        Ok((t.kind, t.start, t.end))
    }

    /// Take the next token out of the queue (after a peek).
    pub fn take_token(&mut self) -> Taken {
        // The token stays in the queue (kind and marks are looked at
        // later); only its text moves out.
        let t = &mut self.tokens[self.tokens_head];
        let taken = Taken {
            start: t.start,
            value: std::mem::take(&mut t.value),
            span: t.span,
            suffix: std::mem::take(&mut t.suffix),
            prefix: std::mem::take(&mut t.prefix),
            style: t.style,
            major: t.major,
            minor: t.minor,
        };
        self.skip_token();
        taken
    }

    pub fn skip_token(&mut self) {
        self.token_available = false;
        self.tokens_parsed += 1;
        self.stream_end_produced = self.tokens[self.tokens_head].kind == TokenKind::StreamEnd;
        self.tokens_head += 1;
    }

    fn unfold_comments(&mut self) {
        let token = &self.tokens[self.tokens_head];
        let (kind, start) = (token.kind, token.start);
        while self.comments_head < self.comments.len()
            && start.index >= self.comments[self.comments_head].token_mark.index
        {
            let comment = &mut self.comments[self.comments_head];
            if !comment.head.is_empty() {
                if kind == TokenKind::BlockEnd {
                    // No heads on ends. They go on the next token.
                    break;
                }
                if !self.head_comment.is_empty() {
                    self.head_comment.push(b'\n');
                }
                self.head_comment.extend_from_slice(&comment.head);
            }
            if !comment.foot.is_empty() {
                if !self.foot_comment.is_empty() {
                    self.foot_comment.push(b'\n');
                }
                self.foot_comment.extend_from_slice(&comment.foot);
            }
            if !comment.line.is_empty() {
                if !self.line_comment.is_empty() {
                    self.line_comment.push(b'\n');
                }
                self.line_comment.extend_from_slice(&comment.line);
            }
            *comment = PendingComment::default();
            self.comments_head += 1;
        }
    }

    fn fetch_more_tokens(&mut self) -> SResult<()> {
        loop {
            // Keep two tokens of look-ahead so foot and line comments can
            // be attached to the right tokens.
            if (self.tokens_head as i64) < self.tokens.len() as i64 - 2 {
                match self.simple_keys_by_tok.get(&self.tokens_parsed) {
                    None => break,
                    Some(&idx) => {
                        if !self.simple_key_is_valid(idx)? {
                            break;
                        }
                    }
                }
            }
            self.fetch_next_token()?;
        }
        self.token_available = true;
        Ok(())
    }

    fn fetch_next_token(&mut self) -> SResult<()> {
        if !self.stream_start_produced {
            self.fetch_stream_start();
            return Ok(());
        }
        let scan_mark = self.mark;
        self.scan_to_next_token()?;
        self.unroll_indent(self.mark.column, scan_mark);

        if is_z(self.buf, self.pos) {
            return self.fetch_stream_end();
        }
        let c = self.c(0);
        if self.mark.column == 0 && c == b'%' {
            return self.fetch_directive();
        }
        if self.mark.column == 0
            && c == b'-'
            && self.c(1) == b'-'
            && self.c(2) == b'-'
            && is_blankz(self.buf, self.pos + 3)
        {
            return self.fetch_document_indicator(TokenKind::DocumentStart);
        }
        if self.mark.column == 0
            && c == b'.'
            && self.c(1) == b'.'
            && self.c(2) == b'.'
            && is_blankz(self.buf, self.pos + 3)
        {
            return self.fetch_document_indicator(TokenKind::DocumentEnd);
        }

        let mut comment_mark = self.mark;
        if !self.tokens.is_empty()
            && ((self.flow_level == 0 && c == b':') || (self.flow_level > 0 && c == b','))
        {
            // Associate any following comments with the prior token.
            comment_mark = self.tokens[self.tokens.len() - 1].start;
        }

        self.fetch_token_body(c)?;

        if let Some(last) = self.tokens.last() {
            if last.kind == TokenKind::BlockEntry {
                // Sequence indicators alone have no line comments; it
                // becomes a head comment for whatever follows.
                return Ok(());
            }
        }
        self.scan_line_comment(comment_mark)
    }

    fn fetch_token_body(&mut self, c: u8) -> SResult<()> {
        match c {
            b'[' => return self.fetch_flow_collection_start(TokenKind::FlowSequenceStart),
            b'{' => return self.fetch_flow_collection_start(TokenKind::FlowMappingStart),
            b']' => return self.fetch_flow_collection_end(TokenKind::FlowSequenceEnd),
            b'}' => return self.fetch_flow_collection_end(TokenKind::FlowMappingEnd),
            b',' => return self.fetch_flow_entry(),
            _ => {}
        }
        if c == b'-' && is_blankz(self.buf, self.pos + 1) {
            return self.fetch_block_entry();
        }
        if c == b'?' && (self.flow_level > 0 || is_blankz(self.buf, self.pos + 1)) {
            return self.fetch_key();
        }
        if c == b':' && (self.flow_level > 0 || is_blankz(self.buf, self.pos + 1)) {
            return self.fetch_value();
        }
        match c {
            b'*' => return self.fetch_anchor(TokenKind::Alias),
            b'&' => return self.fetch_anchor(TokenKind::Anchor),
            b'!' => return self.fetch_tag(),
            b'|' if self.flow_level == 0 => return self.fetch_block_scalar(true),
            b'>' if self.flow_level == 0 => return self.fetch_block_scalar(false),
            b'\'' => return self.fetch_flow_scalar(true),
            b'"' => return self.fetch_flow_scalar(false),
            _ => {}
        }
        let indicator = matches!(
            c,
            b'-' | b'?'
                | b':'
                | b','
                | b'['
                | b']'
                | b'{'
                | b'}'
                | b'#'
                | b'&'
                | b'*'
                | b'!'
                | b'|'
                | b'>'
                | b'\''
                | b'"'
                | b'%'
                | b'@'
                | b'`'
        );
        if !(is_blankz(self.buf, self.pos) || indicator)
            || (c == b'-' && !is_blank(self.buf, self.pos + 1))
            || (self.flow_level == 0
                && (c == b'?' || c == b':')
                && !is_blankz(self.buf, self.pos + 1))
        {
            return self.fetch_plain_scalar();
        }
        Err(self.error(
            "while scanning for the next token",
            self.mark,
            "found character that cannot start any token",
        ))
    }

    // ----- simple keys and indentation ----------------------------------------

    fn simple_key_is_valid(&mut self, idx: usize) -> SResult<bool> {
        let sk = self.simple_keys[idx];
        if !sk.possible {
            return Ok(false);
        }
        if sk.mark.line < self.mark.line || sk.mark.index + 1024 < self.mark.index {
            if sk.required {
                return Err(self.error(
                    "while scanning a simple key",
                    sk.mark,
                    "could not find expected ':'",
                ));
            }
            self.simple_keys[idx].possible = false;
            return Ok(false);
        }
        Ok(true)
    }

    fn save_simple_key(&mut self) -> SResult<()> {
        let required = self.flow_level == 0 && self.indent == self.mark.column;
        if self.simple_key_allowed {
            let sk = SimpleKey {
                possible: true,
                required,
                token_number: self.tokens_parsed + (self.tokens.len() - self.tokens_head),
                mark: self.mark,
            };
            self.remove_simple_key()?;
            let last = self.simple_keys.len() - 1;
            self.simple_keys[last] = sk;
            self.simple_keys_by_tok.insert(sk.token_number, last);
        }
        Ok(())
    }

    fn remove_simple_key(&mut self) -> SResult<()> {
        let i = self.simple_keys.len() - 1;
        if self.simple_keys[i].possible {
            if self.simple_keys[i].required {
                return Err(self.error(
                    "while scanning a simple key",
                    self.simple_keys[i].mark,
                    "could not find expected ':'",
                ));
            }
            self.simple_keys[i].possible = false;
            let tn = self.simple_keys[i].token_number;
            self.simple_keys_by_tok.remove(&tn);
        }
        Ok(())
    }

    fn increase_flow_level(&mut self) -> SResult<()> {
        self.simple_keys.push(SimpleKey {
            possible: false,
            required: false,
            token_number: self.tokens_parsed + (self.tokens.len() - self.tokens_head),
            mark: self.mark,
        });
        self.flow_level += 1;
        if self.flow_level > MAX_FLOW_LEVEL {
            let m = self.mark;
            return Err(self.error(
                "while increasing flow level",
                m,
                &format!("exceeded max depth of {MAX_FLOW_LEVEL}"),
            ));
        }
        Ok(())
    }

    fn decrease_flow_level(&mut self) {
        if self.flow_level > 0 {
            self.flow_level -= 1;
            if let Some(last) = self.simple_keys.pop() {
                self.simple_keys_by_tok.remove(&last.token_number);
            }
        }
    }

    /// Push an indentation level and queue a block start token if the
    /// column is deeper than the current level. `number` is an absolute
    /// token number or `None` to append.
    fn roll_indent(
        &mut self,
        column: i64,
        number: Option<usize>,
        kind: TokenKind,
        mark: Mark,
    ) -> SResult<()> {
        if self.flow_level > 0 {
            return Ok(());
        }
        if self.indent < column {
            self.indents.push(self.indent);
            self.indent = column;
            if self.indents.len() > MAX_INDENTS {
                let m = self.mark;
                return Err(self.error(
                    "while increasing indent level",
                    m,
                    &format!("exceeded max depth of {MAX_INDENTS}"),
                ));
            }
            let token = Token {
                kind,
                start: mark,
                end: mark,
                ..Token::default()
            };
            let pos = number.map(|n| n.saturating_sub(self.tokens_parsed));
            self.insert_token(pos, token);
        }
        Ok(())
    }

    /// Pop indentation levels deeper than `column`, queueing BLOCK-END
    /// tokens placed before foot comments that belong to outer levels.
    fn unroll_indent(&mut self, column: i64, scan_mark: Mark) {
        if self.flow_level > 0 {
            return;
        }
        let mut block_mark = scan_mark;
        block_mark.index -= 1;
        while self.indent > column {
            let mut stop_index = block_mark.index;
            for i in (0..self.comments.len()).rev() {
                let comment = &self.comments[i];
                if comment.end_mark.index < stop_index {
                    break;
                }
                if comment.start_mark.column == self.indent + 1 {
                    block_mark = comment.start_mark;
                }
                stop_index = comment.scan_mark.index;
            }
            let token = Token {
                kind: TokenKind::BlockEnd,
                start: block_mark,
                end: block_mark,
                ..Token::default()
            };
            self.insert_token(None, token);
            self.indent = self.indents.pop().unwrap_or(-1);
        }
    }

    // ----- token fetchers ------------------------------------------------------

    fn fetch_stream_start(&mut self) {
        self.indent = -1;
        self.simple_keys.push(SimpleKey::default());
        self.simple_key_allowed = true;
        self.stream_start_produced = true;
        let m = self.mark;
        self.insert_token(
            None,
            Token {
                kind: TokenKind::StreamStart,
                start: m,
                end: m,
                ..Token::default()
            },
        );
    }

    fn fetch_stream_end(&mut self) -> SResult<()> {
        if self.mark.column != 0 {
            self.mark.column = 0;
            self.mark.line += 1;
        }
        let m = self.mark;
        self.unroll_indent(-1, m);
        self.remove_simple_key()?;
        self.simple_key_allowed = false;
        self.insert_token(
            None,
            Token {
                kind: TokenKind::StreamEnd,
                start: m,
                end: m,
                ..Token::default()
            },
        );
        Ok(())
    }

    fn fetch_directive(&mut self) -> SResult<()> {
        let m = self.mark;
        self.unroll_indent(-1, m);
        self.remove_simple_key()?;
        self.simple_key_allowed = false;
        let token = self.scan_directive()?;
        self.insert_token(None, token);
        Ok(())
    }

    fn fetch_document_indicator(&mut self, kind: TokenKind) -> SResult<()> {
        let m = self.mark;
        self.unroll_indent(-1, m);
        self.remove_simple_key()?;
        self.simple_key_allowed = false;
        let start = self.mark;
        self.skip();
        self.skip();
        self.skip();
        let end = self.mark;
        self.insert_token(
            None,
            Token {
                kind,
                start,
                end,
                ..Token::default()
            },
        );
        Ok(())
    }

    fn push_simple(&mut self, kind: TokenKind) {
        let start = self.mark;
        self.skip();
        let end = self.mark;
        self.insert_token(
            None,
            Token {
                kind,
                start,
                end,
                ..Token::default()
            },
        );
    }

    fn fetch_flow_collection_start(&mut self, kind: TokenKind) -> SResult<()> {
        self.save_simple_key()?;
        self.increase_flow_level()?;
        self.simple_key_allowed = true;
        self.push_simple(kind);
        Ok(())
    }

    fn fetch_flow_collection_end(&mut self, kind: TokenKind) -> SResult<()> {
        self.remove_simple_key()?;
        self.decrease_flow_level();
        self.simple_key_allowed = false;
        self.push_simple(kind);
        Ok(())
    }

    fn fetch_flow_entry(&mut self) -> SResult<()> {
        self.remove_simple_key()?;
        self.simple_key_allowed = true;
        self.push_simple(TokenKind::FlowEntry);
        Ok(())
    }

    fn fetch_block_entry(&mut self) -> SResult<()> {
        if self.flow_level == 0 {
            if !self.simple_key_allowed {
                return Err(self.error(
                    "",
                    self.mark,
                    "block sequence entries are not allowed in this context",
                ));
            }
            let m = self.mark;
            self.roll_indent(m.column, None, TokenKind::BlockSequenceStart, m)?;
        }
        self.remove_simple_key()?;
        self.simple_key_allowed = true;
        self.push_simple(TokenKind::BlockEntry);
        Ok(())
    }

    fn fetch_key(&mut self) -> SResult<()> {
        if self.flow_level == 0 {
            if !self.simple_key_allowed {
                return Err(self.error(
                    "",
                    self.mark,
                    "mapping keys are not allowed in this context",
                ));
            }
            let m = self.mark;
            self.roll_indent(m.column, None, TokenKind::BlockMappingStart, m)?;
        }
        self.remove_simple_key()?;
        self.simple_key_allowed = self.flow_level == 0;
        self.push_simple(TokenKind::Key);
        Ok(())
    }

    fn fetch_value(&mut self) -> SResult<()> {
        let idx = self.simple_keys.len() - 1;
        if self.simple_key_is_valid(idx)? {
            let sk = self.simple_keys[idx];
            let token = Token {
                kind: TokenKind::Key,
                start: sk.mark,
                end: sk.mark,
                ..Token::default()
            };
            self.insert_token(
                Some(sk.token_number.saturating_sub(self.tokens_parsed)),
                token,
            );
            self.roll_indent(
                sk.mark.column,
                Some(sk.token_number),
                TokenKind::BlockMappingStart,
                sk.mark,
            )?;
            self.simple_keys[idx].possible = false;
            self.simple_keys_by_tok.remove(&sk.token_number);
            self.simple_key_allowed = false;
        } else {
            if self.flow_level == 0 {
                if !self.simple_key_allowed {
                    return Err(self.error(
                        "",
                        self.mark,
                        "mapping values are not allowed in this context",
                    ));
                }
                let m = self.mark;
                self.roll_indent(m.column, None, TokenKind::BlockMappingStart, m)?;
            }
            self.simple_key_allowed = self.flow_level == 0;
        }
        self.push_simple(TokenKind::Value);
        Ok(())
    }

    fn fetch_anchor(&mut self, kind: TokenKind) -> SResult<()> {
        self.save_simple_key()?;
        self.simple_key_allowed = false;
        let t = self.scan_anchor(kind)?;
        self.insert_token(None, t);
        Ok(())
    }

    fn fetch_tag(&mut self) -> SResult<()> {
        self.save_simple_key()?;
        self.simple_key_allowed = false;
        let t = self.scan_tag()?;
        self.insert_token(None, t);
        Ok(())
    }

    fn fetch_block_scalar(&mut self, literal: bool) -> SResult<()> {
        self.remove_simple_key()?;
        self.simple_key_allowed = true;
        let t = self.scan_block_scalar(literal)?;
        self.insert_token(None, t);
        Ok(())
    }

    fn fetch_flow_scalar(&mut self, single: bool) -> SResult<()> {
        self.save_simple_key()?;
        self.simple_key_allowed = false;
        let t = self.scan_flow_scalar(single)?;
        self.insert_token(None, t);
        Ok(())
    }

    fn fetch_plain_scalar(&mut self) -> SResult<()> {
        self.save_simple_key()?;
        self.simple_key_allowed = false;
        let t = self.scan_plain_scalar()?;
        self.insert_token(None, t);
        Ok(())
    }

    // ----- whitespace and comments ---------------------------------------------

    fn scan_to_next_token(&mut self) -> SResult<()> {
        let scan_mark = self.mark;
        loop {
            if self.mark.column == 0 && is_bom(self.buf, self.pos) {
                self.skip();
            }
            // Tabs are allowed in flow context and after a key/value/entry
            // indicator, not for indentation.
            let tabs_ok = self.flow_level > 0 || !self.simple_key_allowed;
            let mut n = 0usize;
            loop {
                let c = at(self.buf, self.pos + n);
                if c == b' ' || (tabs_ok && c == b'\t') {
                    n += 1;
                } else {
                    break;
                }
            }
            // Blanks leave `newlines` alone.
            self.pos += n;
            self.mark.index += n as i64;
            self.mark.column += n as i64;

            // A line comment right after a sequence entry indicator that
            // looks like a header of the following content becomes a head
            // comment ("- # comment\n  - data").
            if !self.comments.is_empty() && self.tokens.len() > 1 {
                let n = self.tokens.len();
                let a = self.tokens[n - 2].kind;
                let b = self.tokens[n - 1].kind;
                let at_break = is_break(self.buf, self.pos);
                let line_now = self.mark.line;
                let mark_now = self.mark;
                let comment = self.comments.last_mut().expect("non-empty");
                if a == TokenKind::BlockSequenceStart
                    && b == TokenKind::BlockEntry
                    && !comment.line.is_empty()
                    && !at_break
                {
                    comment.head = std::mem::take(&mut comment.line);
                    if comment.start_mark.line == line_now - 1 {
                        comment.token_mark = mark_now;
                    }
                }
            }

            if self.c(0) == b'#' {
                self.scan_comments(scan_mark);
            }

            if is_break(self.buf, self.pos) {
                self.skip_line();
                if self.flow_level == 0 {
                    self.simple_key_allowed = true;
                }
            } else {
                break;
            }
        }
        Ok(())
    }

    fn scan_line_comment(&mut self, token_mark: Mark) -> SResult<()> {
        if self.newlines > 0 {
            return Ok(());
        }
        let mut start_mark = Mark::default();
        let mut text: Vec<u8> = Vec::new();
        let mut peek = 0usize;
        while peek < 512 {
            if is_blank(self.buf, self.pos + peek) {
                peek += 1;
                continue;
            }
            if at(self.buf, self.pos + peek) == b'#' {
                let seen = self.mark.index + peek as i64;
                loop {
                    if is_breakz(self.buf, self.pos) {
                        if self.mark.index >= seen {
                            break;
                        }
                        self.skip_line();
                    } else if self.mark.index >= seen {
                        if text.is_empty() {
                            start_mark = self.mark;
                        }
                        self.read(&mut text);
                    } else {
                        self.skip();
                    }
                }
            }
            break;
        }
        if !text.is_empty() {
            self.comments.push(PendingComment {
                token_mark,
                start_mark,
                line: text,
                ..PendingComment::default()
            });
        }
        Ok(())
    }

    fn scan_comments(&mut self, scan_mark_in: Mark) {
        let mut scan_mark = scan_mark_in;
        let ntok = self.tokens.len();
        let mut token = &self.tokens[ntok - 1];
        if token.kind == TokenKind::FlowEntry && ntok > 1 {
            token = &self.tokens[ntok - 2];
        }
        let token_kind = token.kind;
        let mut token_mark = token.start;
        let mut start_mark = Mark::default();
        let mut next_indent = self.indent.max(0);

        let mut recent_empty = false;
        let mut first_empty = self.newlines <= 1;

        let mut line = self.mark.line;
        let mut column = self.mark.column;

        let mut text: Vec<u8> = Vec::new();

        // The foot line is where a comment must start to still be a foot of
        // the prior content.
        let mut foot_line: i64 = -1;
        if scan_mark.line > 0 {
            foot_line = self.mark.line - self.newlines + 1;
            if self.newlines == 0 && self.mark.column > 1 {
                foot_line += 1;
            }
        }

        let mut peek: usize = 0;
        while peek < 512 {
            column += 1;
            let p = self.pos + peek;
            if is_blank(self.buf, p) {
                peek += 1;
                continue;
            }
            let c = at(self.buf, p);
            let close_flow = self.flow_level > 0 && (c == b']' || c == b'}');
            if close_flow || is_breakz(self.buf, p) {
                // Got line break or terminator.
                if close_flow || !recent_empty {
                    if close_flow
                        || (first_empty
                            && ((start_mark.line == foot_line && token_kind != TokenKind::Value)
                                || start_mark.column - 1 < next_indent))
                    {
                        // The first empty line after a comment: this part is
                        // a foot of the prior token. Split it off.
                        if !text.is_empty() {
                            if start_mark.column - 1 < next_indent {
                                // Dedented: unrelated to the prior token.
                                token_mark = start_mark;
                            }
                            let end = Mark {
                                index: self.mark.index + peek as i64,
                                line,
                                column,
                            };
                            self.comments.push(PendingComment {
                                scan_mark,
                                token_mark,
                                start_mark,
                                end_mark: end,
                                foot: std::mem::take(&mut text),
                                ..PendingComment::default()
                            });
                            scan_mark = end;
                            token_mark = scan_mark;
                        }
                    } else if !text.is_empty() && c != 0 {
                        text.push(b'\n');
                    }
                }
                if !is_break(self.buf, p) {
                    break;
                }
                first_empty = false;
                recent_empty = true;
                column = 0;
                line += 1;
                peek += 1;
                continue;
            }

            if !text.is_empty()
                && (close_flow || (column - 1 < next_indent && column != start_mark.column))
            {
                // A comment at a different indentation is a foot of the
                // preceding data rather than a head of what follows.
                let end = Mark {
                    index: self.mark.index + peek as i64,
                    line,
                    column,
                };
                self.comments.push(PendingComment {
                    scan_mark,
                    token_mark,
                    start_mark,
                    end_mark: end,
                    foot: std::mem::take(&mut text),
                    ..PendingComment::default()
                });
                scan_mark = end;
                token_mark = scan_mark;
            }

            if c != b'#' {
                break;
            }

            if text.is_empty() {
                start_mark = Mark {
                    index: self.mark.index + peek as i64,
                    line,
                    column,
                };
            } else {
                text.push(b'\n');
            }

            recent_empty = false;

            // Consume up to and including the comment line.
            let seen = self.mark.index + peek as i64;
            loop {
                if is_breakz(self.buf, self.pos) {
                    if self.mark.index >= seen {
                        break;
                    }
                    self.skip_line();
                } else if self.mark.index >= seen {
                    self.read_to_break(&mut text);
                } else {
                    self.skip();
                }
            }

            // go-yaml resets peek to 0 and then its loop increments it,
            // so the line break ending the comment is not examined.
            peek = 1;
            column = 0;
            line = self.mark.line;
            next_indent = self.indent.max(0);
        }

        if !text.is_empty() {
            self.comments.push(PendingComment {
                scan_mark,
                token_mark: start_mark,
                start_mark,
                end_mark: Mark {
                    index: self.mark.index + peek as i64 - 1,
                    line,
                    column,
                },
                head: text,
                ..PendingComment::default()
            });
        }
    }

    /// Copy characters up to a line break or the end.
    fn read_to_break(&mut self, s: &mut Vec<u8>) {
        let start = self.pos;
        let mut p = self.pos;
        let mut chars = 0i64;
        let mut non_blank = false;
        loop {
            let c = at(self.buf, p);
            match c {
                0 | b'\r' | b'\n' => break,
                0x80..=0xFF => {
                    if is_break(self.buf, p) {
                        break;
                    }
                    non_blank = true;
                    p += width(c).max(1);
                }
                b' ' | b'\t' => p += 1,
                _ => {
                    non_blank = true;
                    p += 1;
                }
            }
            chars += 1;
        }
        let end = p.min(self.buf.len());
        s.extend_from_slice(&self.buf[start..end]);
        self.pos = p;
        self.mark.index += chars;
        self.mark.column += chars;
        if non_blank {
            self.newlines = 0;
        }
    }

    // ----- directives, anchors, tags ------------------------------------------

    fn skip_blanks(&mut self) {
        while is_blank(self.buf, self.pos) {
            self.skip();
        }
    }

    fn scan_directive(&mut self) -> SResult<Token> {
        let start = self.mark;
        self.skip();
        let name = self.scan_directive_name(start)?;
        let mut token;
        if name == b"YAML" {
            self.skip_blanks();
            let major = self.scan_version_directive_number(start)?;
            if self.c(0) != b'.' {
                return Err(self.error(
                    "while scanning a %YAML directive",
                    start,
                    "did not find expected digit or '.' character",
                ));
            }
            self.skip();
            let minor = self.scan_version_directive_number(start)?;
            token = Token {
                kind: TokenKind::VersionDirective,
                start,
                end: self.mark,
                major,
                minor,
                ..Token::default()
            };
        } else if name == b"TAG" {
            self.skip_blanks();
            let handle = self.scan_tag_handle(true, start)?;
            if !is_blank(self.buf, self.pos) {
                return Err(self.error(
                    "while scanning a %TAG directive",
                    start,
                    "did not find expected whitespace",
                ));
            }
            self.skip_blanks();
            let prefix = self.scan_tag_uri(true, None, start)?;
            if !is_blankz(self.buf, self.pos) {
                return Err(self.error(
                    "while scanning a %TAG directive",
                    start,
                    "did not find expected whitespace or line break",
                ));
            }
            token = Token {
                kind: TokenKind::TagDirective,
                start,
                end: self.mark,
                value: handle,
                prefix,
                ..Token::default()
            };
        } else {
            return Err(self.error(
                "while scanning a directive",
                start,
                "found unknown directive name",
            ));
        }
        token.end = self.mark;
        self.skip_blanks();
        if self.c(0) == b'#' {
            while !is_breakz(self.buf, self.pos) {
                self.skip();
            }
        }
        if !is_breakz(self.buf, self.pos) {
            return Err(self.error(
                "while scanning a directive",
                start,
                "did not find expected comment or line break",
            ));
        }
        if is_break(self.buf, self.pos) {
            self.skip_line();
        }
        Ok(token)
    }

    fn scan_directive_name(&mut self, start: Mark) -> SResult<Vec<u8>> {
        let mut s = Vec::new();
        while is_alpha(self.buf, self.pos) {
            self.read(&mut s);
        }
        if s.is_empty() {
            return Err(self.error(
                "while scanning a directive",
                start,
                "could not find expected directive name",
            ));
        }
        if !is_blankz(self.buf, self.pos) {
            return Err(self.error(
                "while scanning a directive",
                start,
                "found unexpected non-alphabetical character",
            ));
        }
        Ok(s)
    }

    fn scan_version_directive_number(&mut self, start: Mark) -> SResult<i8> {
        let mut value: i8 = 0;
        let mut length = 0;
        while self.c(0).is_ascii_digit() {
            length += 1;
            if length > 2 {
                return Err(self.error(
                    "while scanning a %YAML directive",
                    start,
                    "found extremely long version number",
                ));
            }
            value = value * 10 + (self.c(0) - b'0') as i8;
            self.skip();
        }
        if length == 0 {
            return Err(self.error(
                "while scanning a %YAML directive",
                start,
                "did not find expected version number",
            ));
        }
        Ok(value)
    }

    fn scan_anchor(&mut self, kind: TokenKind) -> SResult<Token> {
        let start = self.mark;
        self.skip();
        let mut s = Vec::new();
        while is_alpha(self.buf, self.pos) {
            self.read(&mut s);
        }
        let end = self.mark;
        let c = self.c(0);
        if s.is_empty()
            || !(is_blankz(self.buf, self.pos)
                || matches!(c, b'?' | b':' | b',' | b']' | b'}' | b'%' | b'@' | b'`'))
        {
            let context = if kind == TokenKind::Anchor {
                "while scanning an anchor"
            } else {
                "while scanning an alias"
            };
            return Err(self.error(
                context,
                start,
                "did not find expected alphabetic or numeric character",
            ));
        }
        Ok(Token {
            kind,
            start,
            end,
            value: s,
            ..Token::default()
        })
    }

    fn scan_tag(&mut self) -> SResult<Token> {
        let start = self.mark;
        let handle;
        let suffix;
        if self.c(1) == b'<' {
            self.skip();
            self.skip();
            suffix = self.scan_tag_uri(false, None, start)?;
            if self.c(0) != b'>' {
                return Err(self.error(
                    "while scanning a tag",
                    start,
                    "did not find the expected '>'",
                ));
            }
            self.skip();
            handle = Vec::new();
        } else {
            let h = self.scan_tag_handle(false, start)?;
            if h.len() > 1 && h[0] == b'!' && h[h.len() - 1] == b'!' {
                suffix = self.scan_tag_uri(false, None, start)?;
                handle = h;
            } else {
                let s = self.scan_tag_uri(false, Some(&h), start)?;
                if s.is_empty() {
                    // The '!' tag alone.
                    handle = Vec::new();
                    suffix = b"!".to_vec();
                } else {
                    handle = b"!".to_vec();
                    suffix = s;
                }
            }
        }
        if !is_blankz(self.buf, self.pos) {
            return Err(self.error(
                "while scanning a tag",
                start,
                "did not find expected whitespace or line break",
            ));
        }
        Ok(Token {
            kind: TokenKind::Tag,
            start,
            end: self.mark,
            value: handle,
            suffix,
            ..Token::default()
        })
    }

    fn tag_context(directive: bool) -> &'static str {
        if directive {
            "while parsing a %TAG directive"
        } else {
            "while parsing a tag"
        }
    }

    fn scan_tag_handle(&mut self, directive: bool, start: Mark) -> SResult<Vec<u8>> {
        if self.c(0) != b'!' {
            return Err(self.error(
                Self::tag_context(directive),
                start,
                "did not find expected '!'",
            ));
        }
        let mut s = Vec::new();
        self.read(&mut s);
        while is_alpha(self.buf, self.pos) {
            self.read(&mut s);
        }
        if self.c(0) == b'!' {
            self.read(&mut s);
        } else if directive && s != b"!" {
            return Err(self.error(
                Self::tag_context(directive),
                start,
                "did not find expected '!'",
            ));
        }
        Ok(s)
    }

    fn scan_tag_uri(
        &mut self,
        directive: bool,
        head: Option<&[u8]>,
        start: Mark,
    ) -> SResult<Vec<u8>> {
        let mut s = Vec::new();
        let mut has_tag = head.is_some_and(|h| !h.is_empty());
        if let Some(h) = head {
            if h.len() > 1 {
                s.extend_from_slice(&h[1..]);
            }
        }
        loop {
            let c = self.c(0);
            let ok = is_alpha(self.buf, self.pos)
                || matches!(
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
                        | b'.'
                        | b'!'
                        | b'~'
                        | b'*'
                        | b'\''
                        | b'('
                        | b')'
                        | b'['
                        | b']'
                        | b'%'
                );
            if !ok {
                break;
            }
            if c == b'%' {
                self.scan_uri_escapes(directive, start, &mut s)?;
            } else {
                self.read(&mut s);
            }
            has_tag = true;
        }
        if !has_tag {
            return Err(self.error(
                Self::tag_context(directive),
                start,
                "did not find expected tag URI",
            ));
        }
        Ok(s)
    }

    fn scan_uri_escapes(&mut self, directive: bool, start: Mark, s: &mut Vec<u8>) -> SResult<()> {
        let mut w: usize = 1024;
        while w > 0 {
            if !(self.c(0) == b'%'
                && self.c(1).is_ascii_hexdigit()
                && self.c(2).is_ascii_hexdigit())
            {
                return Err(self.error(
                    Self::tag_context(directive),
                    start,
                    "did not find URI escaped octet",
                ));
            }
            let octet = (hex_val(self.c(1)) << 4) + hex_val(self.c(2));
            if w == 1024 {
                w = width(octet);
                if w == 0 {
                    return Err(self.error(
                        Self::tag_context(directive),
                        start,
                        "found an incorrect leading UTF-8 octet",
                    ));
                }
            } else if octet & 0xC0 != 0x80 {
                return Err(self.error(
                    Self::tag_context(directive),
                    start,
                    "found an incorrect trailing UTF-8 octet",
                ));
            }
            s.push(octet);
            self.skip();
            self.skip();
            self.skip();
            w -= 1;
        }
        Ok(())
    }

    // ----- scalars -------------------------------------------------------------

    fn scan_block_scalar(&mut self, literal: bool) -> SResult<Token> {
        let start = self.mark;
        self.skip();

        let mut chomping = 0i32;
        let mut increment = 0i64;
        let c = self.c(0);
        if c == b'+' || c == b'-' {
            chomping = if c == b'+' { 1 } else { -1 };
            self.skip();
            if self.c(0).is_ascii_digit() {
                if self.c(0) == b'0' {
                    return Err(self.error(
                        "while scanning a block scalar",
                        start,
                        "found an indentation indicator equal to 0",
                    ));
                }
                increment = (self.c(0) - b'0') as i64;
                self.skip();
            }
        } else if c.is_ascii_digit() {
            if c == b'0' {
                return Err(self.error(
                    "while scanning a block scalar",
                    start,
                    "found an indentation indicator equal to 0",
                ));
            }
            increment = (c - b'0') as i64;
            self.skip();
            let c = self.c(0);
            if c == b'+' || c == b'-' {
                chomping = if c == b'+' { 1 } else { -1 };
                self.skip();
            }
        }

        self.skip_blanks();
        if self.c(0) == b'#' {
            self.scan_line_comment(start)?;
            while !is_breakz(self.buf, self.pos) {
                self.skip();
            }
        }
        if !is_breakz(self.buf, self.pos) {
            return Err(self.error(
                "while scanning a block scalar",
                start,
                "did not find expected comment or line break",
            ));
        }
        if is_break(self.buf, self.pos) {
            self.skip_line();
        }
        let mut end = self.mark;

        let mut indent: i64 = 0;
        if increment > 0 {
            indent = if self.indent >= 0 {
                self.indent + increment
            } else {
                increment
            };
        }

        let mut s: Vec<u8> = Vec::new();
        let mut leading_break: Vec<u8> = Vec::new();
        let mut trailing_breaks: Vec<u8> = Vec::new();
        self.scan_block_scalar_breaks(&mut indent, &mut trailing_breaks, start, &mut end)?;

        let mut leading_blank = false;
        while self.mark.column == indent && !is_z(self.buf, self.pos) {
            let trailing_blank = is_blank(self.buf, self.pos);
            if !literal
                && !leading_blank
                && !trailing_blank
                && leading_break.first() == Some(&b'\n')
            {
                if trailing_breaks.is_empty() {
                    s.push(b' ');
                }
            } else {
                s.extend_from_slice(&leading_break);
            }
            leading_break.clear();
            s.extend_from_slice(&trailing_breaks);
            trailing_breaks.clear();

            leading_blank = is_blank(self.buf, self.pos);

            // Copy the line in one go.
            let line_start = self.pos;
            let mut chars = 0i64;
            while !is_breakz(self.buf, self.pos) {
                self.pos += width(self.c(0)).max(1);
                chars += 1;
            }
            if chars > 0 {
                // The line holds a non-blank unless it is all blanks.
                if !self.buf[line_start..self.pos]
                    .iter()
                    .all(|&b| b == b' ' || b == b'\t')
                {
                    self.newlines = 0;
                }
                s.extend_from_slice(&self.buf[line_start..self.pos]);
                self.mark.index += chars;
                self.mark.column += chars;
            }

            self.read_line(&mut leading_break);
            self.scan_block_scalar_breaks(&mut indent, &mut trailing_breaks, start, &mut end)?;
        }

        if chomping != -1 {
            s.extend_from_slice(&leading_break);
        }
        if chomping == 1 {
            s.extend_from_slice(&trailing_breaks);
        }

        Ok(Token {
            kind: TokenKind::Scalar,
            start,
            end,
            value: s,
            style: if literal {
                ScalarStyle::Literal
            } else {
                ScalarStyle::Folded
            },
            ..Token::default()
        })
    }

    fn scan_block_scalar_breaks(
        &mut self,
        indent: &mut i64,
        breaks: &mut Vec<u8>,
        start: Mark,
        end: &mut Mark,
    ) -> SResult<()> {
        *end = self.mark;
        let mut max_indent = 0i64;
        loop {
            while (*indent == 0 || self.mark.column < *indent) && is_space(self.buf, self.pos) {
                self.skip();
            }
            if self.mark.column > max_indent {
                max_indent = self.mark.column;
            }
            if (*indent == 0 || self.mark.column < *indent) && is_tab(self.buf, self.pos) {
                return Err(self.error(
                    "while scanning a block scalar",
                    start,
                    "found a tab character where an indentation space is expected",
                ));
            }
            if !is_break(self.buf, self.pos) {
                break;
            }
            self.read_line(breaks);
            *end = self.mark;
        }
        if *indent == 0 {
            *indent = max_indent;
            if *indent < self.indent + 1 {
                *indent = self.indent + 1;
            }
            if *indent < 1 {
                *indent = 1;
            }
        }
        Ok(())
    }

    fn scan_flow_scalar(&mut self, single: bool) -> SResult<Token> {
        let start = self.mark;
        self.skip();
        // Until an escape, a doubled quote or a line break shows, the value
        // is exactly the input from `content_start` on and is not copied.
        let content_start = self.pos;
        let mut verbatim = true;

        let mut s: Vec<u8> = Vec::new();
        // Scratch buffers kept by the scanner (nearly every plain scalar
        // ends with a line break, which would otherwise cost an allocation).
        let [mut leading_break, mut trailing_breaks, mut whitespaces] =
            std::mem::take(&mut self.scalar_scratch);
        leading_break.clear();
        trailing_breaks.clear();
        whitespaces.clear();

        loop {
            if self.mark.column == 0
                && ((self.c(0) == b'-' && self.c(1) == b'-' && self.c(2) == b'-')
                    || (self.c(0) == b'.' && self.c(1) == b'.' && self.c(2) == b'.'))
                && is_blankz(self.buf, self.pos + 3)
            {
                return Err(self.error(
                    "while scanning a quoted scalar",
                    start,
                    "found unexpected document indicator",
                ));
            }
            if is_z(self.buf, self.pos) {
                return Err(self.error(
                    "while scanning a quoted scalar",
                    start,
                    "found unexpected end of stream",
                ));
            }

            let mut leading_blanks = false;
            while !is_blankz(self.buf, self.pos) {
                if self.read_quoted_run(if verbatim { None } else { Some(&mut s) }, single) {
                    continue;
                }
                let c = self.c(0);
                let closing =
                    (single && c == b'\'' && self.c(1) != b'\'') || (!single && c == b'"');
                if verbatim && !closing {
                    // Something other than plain text: copy what we have.
                    s.extend_from_slice(&self.buf[content_start..self.pos]);
                    verbatim = false;
                }
                if single && c == b'\'' && self.c(1) == b'\'' {
                    s.push(b'\'');
                    self.skip();
                    self.skip();
                } else if (single && c == b'\'') || (!single && c == b'"') {
                    // The closing quote.
                    break;
                } else if !single && c == b'\\' && is_break(self.buf, self.pos + 1) {
                    self.skip();
                    self.skip_line();
                    leading_blanks = true;
                    break;
                } else if !single && c == b'\\' {
                    let mut code_length = 0usize;
                    match self.c(1) {
                        b'0' => s.push(0),
                        b'a' => s.push(0x07),
                        b'b' => s.push(0x08),
                        b't' | b'\t' => s.push(0x09),
                        b'n' => s.push(0x0A),
                        b'v' => s.push(0x0B),
                        b'f' => s.push(0x0C),
                        b'r' => s.push(0x0D),
                        b'e' => s.push(0x1B),
                        b' ' => s.push(0x20),
                        b'"' => s.push(b'"'),
                        b'\'' => s.push(b'\''),
                        b'\\' => s.push(b'\\'),
                        b'N' => s.extend_from_slice(&[0xC2, 0x85]),
                        b'_' => s.extend_from_slice(&[0xC2, 0xA0]),
                        b'L' => s.extend_from_slice(&[0xE2, 0x80, 0xA8]),
                        b'P' => s.extend_from_slice(&[0xE2, 0x80, 0xA9]),
                        b'x' => code_length = 2,
                        b'u' => code_length = 4,
                        b'U' => code_length = 8,
                        _ => {
                            return Err(self.error(
                                "while parsing a quoted scalar",
                                start,
                                "found unknown escape character",
                            ))
                        }
                    }
                    self.skip();
                    self.skip();
                    if code_length > 0 {
                        let mut value: u32 = 0;
                        for k in 0..code_length {
                            let h = self.c(k);
                            if !h.is_ascii_hexdigit() {
                                return Err(self.error(
                                    "while parsing a quoted scalar",
                                    start,
                                    "did not find expected hexdecimal number",
                                ));
                            }
                            value = (value << 4) + hex_val(h) as u32;
                        }
                        match char::from_u32(value) {
                            Some(ch) => {
                                let mut tmp = [0u8; 4];
                                s.extend_from_slice(ch.encode_utf8(&mut tmp).as_bytes());
                            }
                            None => {
                                return Err(self.error(
                                    "while parsing a quoted scalar",
                                    start,
                                    "found invalid Unicode character escape code",
                                ))
                            }
                        }
                        for _ in 0..code_length {
                            self.skip();
                        }
                    }
                } else {
                    self.read(&mut s);
                }
            }

            let c = self.c(0);
            if (single && c == b'\'') || (!single && c == b'"') {
                break;
            }

            let ws_start = self.pos;
            while is_blank(self.buf, self.pos) || is_break(self.buf, self.pos) {
                if is_blank(self.buf, self.pos) {
                    if !leading_blanks && !verbatim {
                        self.read(&mut whitespaces);
                    } else {
                        self.skip();
                    }
                } else if !leading_blanks {
                    if verbatim {
                        // Pending blanks before the break are dropped.
                        s.extend_from_slice(&self.buf[content_start..ws_start]);
                        verbatim = false;
                    }
                    whitespaces.clear();
                    self.read_line(&mut leading_break);
                    leading_blanks = true;
                } else {
                    self.read_line(&mut trailing_breaks);
                }
            }

            if leading_blanks {
                if leading_break.first() == Some(&b'\n') {
                    if trailing_breaks.is_empty() {
                        s.push(b' ');
                    } else {
                        s.extend_from_slice(&trailing_breaks);
                    }
                } else {
                    s.extend_from_slice(&leading_break);
                    s.extend_from_slice(&trailing_breaks);
                }
                trailing_breaks.clear();
                leading_break.clear();
            } else {
                if !verbatim {
                    s.extend_from_slice(&whitespaces);
                }
                whitespaces.clear();
            }
        }

        let content_end = self.pos;
        self.skip();
        let end = self.mark;
        self.scalar_scratch = [leading_break, trailing_breaks, whitespaces];
        Ok(Token {
            kind: TokenKind::Scalar,
            start,
            end,
            value: s,
            span: if verbatim {
                Some((content_start, content_end))
            } else {
                None
            },
            style: if single {
                ScalarStyle::SingleQuoted
            } else {
                ScalarStyle::DoubleQuoted
            },
            ..Token::default()
        })
    }

    /// Move over the current character and the run of ordinary characters
    /// after it (those the plain scalar loop would take one by one),
    /// copying them into `s` when given.
    fn advance_plain_run(&mut self, s: Option<&mut Vec<u8>>) {
        let start = self.pos;
        let mut chars = 1i64;
        let mut p = self.pos + width(self.c(0)).max(1);
        let buf = self.buf;
        let ordinary = if self.flow_level > 0 {
            &PLAIN_ORDINARY_FLOW
        } else {
            &PLAIN_ORDINARY_BLOCK
        };
        loop {
            // Most bytes of a plain scalar are ASCII that no rule looks at.
            if let Some(rest) = buf.get(p..) {
                let n = rest
                    .iter()
                    .position(|&b| !ordinary[b as usize])
                    .unwrap_or(rest.len());
                p += n;
                chars += n as i64;
            }
            let c = at(buf, p);
            match c {
                0 | b' ' | b'\t' | b'\r' | b'\n' => break,
                b':' if is_blankz(buf, p + 1) => break,
                b',' | b'?' | b'[' | b']' | b'{' | b'}' if self.flow_level > 0 => break,
                0x80..=0xFF => {
                    if is_break(self.buf, p) {
                        break;
                    }
                    p += width(c).max(1);
                }
                _ => p += 1,
            }
            chars += 1;
        }
        if let Some(s) = s {
            let end = p.min(self.buf.len());
            s.extend_from_slice(&self.buf[start.min(end)..end]);
        }
        self.pos = p;
        self.mark.index += chars;
        self.mark.column += chars;
        self.newlines = 0;
    }

    /// Copy a run of characters of a quoted scalar that need no special
    /// handling (no quote, backslash, blank or line break).
    fn read_quoted_run(&mut self, s: Option<&mut Vec<u8>>, single: bool) -> bool {
        let start = self.pos;
        let mut p = self.pos;
        let mut chars = 0i64;
        loop {
            let c = at(self.buf, p);
            match c {
                0 | b' ' | b'\t' | b'\r' | b'\n' => break,
                b'\'' if single => break,
                b'"' | b'\\' if !single => break,
                0x80..=0xFF => {
                    if is_break(self.buf, p) {
                        break;
                    }
                    p += width(c).max(1);
                }
                _ => p += 1,
            }
            chars += 1;
        }
        if chars == 0 {
            return false;
        }
        if let Some(s) = s {
            let end = p.min(self.buf.len());
            s.extend_from_slice(&self.buf[start..end]);
        }
        self.pos = p;
        self.mark.index += chars;
        self.mark.column += chars;
        self.newlines = 0;
        true
    }

    fn scan_plain_scalar(&mut self) -> SResult<Token> {
        // Until a line break is folded in, the value is exactly the input
        // from `start_pos` to `end_pos` and is not copied.
        let start_pos = self.pos;
        let mut end_pos = self.pos;
        let mut verbatim = true;
        let mut ws_pending = false;
        let mut s: Vec<u8> = Vec::new();
        // Scratch buffers kept by the scanner (nearly every plain scalar
        // ends with a line break, which would otherwise cost an allocation).
        let [mut leading_break, mut trailing_breaks, mut whitespaces] =
            std::mem::take(&mut self.scalar_scratch);
        leading_break.clear();
        trailing_breaks.clear();
        whitespaces.clear();
        let mut leading_blanks = false;
        let indent = self.indent + 1;

        let start = self.mark;
        let mut end = self.mark;

        loop {
            if self.mark.column == 0
                && ((self.c(0) == b'-' && self.c(1) == b'-' && self.c(2) == b'-')
                    || (self.c(0) == b'.' && self.c(1) == b'.' && self.c(2) == b'.'))
                && is_blankz(self.buf, self.pos + 3)
            {
                break;
            }
            if self.c(0) == b'#' {
                break;
            }

            while !is_blankz(self.buf, self.pos) {
                let c = self.c(0);
                if (c == b':' && is_blankz(self.buf, self.pos + 1))
                    || (self.flow_level > 0 && matches!(c, b',' | b'?' | b'[' | b']' | b'{' | b'}'))
                {
                    break;
                }
                if leading_blanks || ws_pending || !whitespaces.is_empty() {
                    if leading_blanks {
                        if verbatim {
                            s.extend_from_slice(&self.buf[start_pos..end_pos]);
                            verbatim = false;
                        }
                        if leading_break.first() == Some(&b'\n') {
                            if trailing_breaks.is_empty() {
                                s.push(b' ');
                            } else {
                                s.extend_from_slice(&trailing_breaks);
                            }
                        } else {
                            s.extend_from_slice(&leading_break);
                            s.extend_from_slice(&trailing_breaks);
                        }
                        trailing_breaks.clear();
                        leading_break.clear();
                        leading_blanks = false;
                    } else {
                        if !verbatim {
                            s.extend_from_slice(&whitespaces);
                        }
                        whitespaces.clear();
                        ws_pending = false;
                    }
                }
                if verbatim {
                    self.advance_plain_run(None);
                } else {
                    self.advance_plain_run(Some(&mut s));
                }
                end = self.mark;
                end_pos = self.pos;
            }

            if !(is_blank(self.buf, self.pos) || is_break(self.buf, self.pos)) {
                break;
            }

            while is_blank(self.buf, self.pos) || is_break(self.buf, self.pos) {
                if is_blank(self.buf, self.pos) {
                    if leading_blanks && self.mark.column < indent && is_tab(self.buf, self.pos) {
                        return Err(self.error(
                            "while scanning a plain scalar",
                            start,
                            "found a tab character that violates indentation",
                        ));
                    }
                    if !leading_blanks {
                        if verbatim {
                            self.skip();
                            ws_pending = true;
                        } else {
                            self.read(&mut whitespaces);
                        }
                    } else {
                        self.skip();
                    }
                } else if !leading_blanks {
                    whitespaces.clear();
                    ws_pending = false;
                    self.read_line(&mut leading_break);
                    leading_blanks = true;
                } else {
                    self.read_line(&mut trailing_breaks);
                }
            }

            if self.flow_level == 0 && self.mark.column < indent {
                break;
            }
        }

        if leading_blanks {
            self.simple_key_allowed = true;
        }
        self.scalar_scratch = [leading_break, trailing_breaks, whitespaces];
        Ok(Token {
            kind: TokenKind::Scalar,
            start,
            end,
            value: s,
            span: if verbatim {
                Some((start_pos, end_pos))
            } else {
                None
            },
            style: ScalarStyle::Plain,
            ..Token::default()
        })
    }
}

#[inline]
fn hex_val(c: u8) -> u8 {
    match c {
        b'0'..=b'9' => c - b'0',
        b'a'..=b'f' => c - b'a' + 10,
        b'A'..=b'F' => c - b'A' + 10,
        _ => 0,
    }
}

/// ASCII bytes a plain scalar's loop takes without looking: not NUL, blank,
/// line break, `:`, nor the start of a multi-byte character; in flow
/// context also not a flow indicator or `?`.
const fn plain_ordinary(flow: bool) -> [bool; 256] {
    let mut t = [false; 256];
    let mut c = 0;
    while c < 128 {
        let b = c as u8;
        let stops = matches!(b, 0 | b' ' | b'\t' | b'\r' | b'\n' | b':')
            || (flow && matches!(b, b',' | b'?' | b'[' | b']' | b'{' | b'}'));
        t[c] = !stops;
        c += 1;
    }
    t
}

static PLAIN_ORDINARY_FLOW: [bool; 256] = plain_ordinary(true);
static PLAIN_ORDINARY_BLOCK: [bool; 256] = plain_ordinary(false);
