//! Scalar resolution as go-yaml v3 does it for plain scalars and explicit
//! tags, plus Go-compatible number and timestamp formatting.

use std::borrow::Cow;

/// The resolved value of a scalar.
#[derive(Clone, Debug, PartialEq)]
pub(super) enum Resolved {
    Null,
    Bool(bool),
    Int(i64),
    /// An integer that only fits unsigned 64 bits.
    Uint(u64),
    Float(f64),
    /// RFC 3339 text as Go's `time.Time.MarshalText` prints it (boxed:
    /// rare, and it would double the size of every node).
    #[allow(clippy::box_collection)]
    Time(Box<String>),
    Str,
}

pub(super) const NULL_TAG: &str = "!!null";
pub(super) const BOOL_TAG: &str = "!!bool";
pub(super) const STR_TAG: &str = "!!str";
pub(super) const INT_TAG: &str = "!!int";
pub(super) const FLOAT_TAG: &str = "!!float";
pub(super) const TIMESTAMP_TAG: &str = "!!timestamp";
pub(super) const SEQ_TAG: &str = "!!seq";
pub(super) const MAP_TAG: &str = "!!map";
pub(super) const BINARY_TAG: &str = "!!binary";
pub(super) const MERGE_TAG: &str = "!!merge";

const LONG_PREFIX: &str = "tag:yaml.org,2002:";

/// `tag:yaml.org,2002:x` → `!!x` (other tags unchanged).
pub(super) fn short_tag(tag: &str) -> Cow<'_, str> {
    match tag.strip_prefix(LONG_PREFIX) {
        Some(rest) => Cow::Owned(format!("!!{rest}")),
        None => Cow::Borrowed(tag),
    }
}

/// `!!x` → `tag:yaml.org,2002:x`.
pub(super) fn long_tag(tag: &str) -> String {
    match tag.strip_prefix("!!") {
        Some(rest) => format!("{LONG_PREFIX}{rest}"),
        None => tag.to_string(),
    }
}

fn resolvable_tag(tag: &str) -> bool {
    matches!(
        tag,
        "" | STR_TAG | BOOL_TAG | INT_TAG | FLOAT_TAG | NULL_TAG | TIMESTAMP_TAG
    )
}

/// The outcome of resolving: the tag and value, or an error message
/// (`cannot decode ...`) that never includes the scalar text.
pub(super) type ResolveResult = Result<(Cow<'static, str>, Resolved), TagMismatch>;

/// A scalar whose text does not resolve to the type its tag names.
#[derive(Debug, thiserror::Error)]
#[error("cannot decode {found} value as a {tag}")]
pub(super) struct TagMismatch {
    found: &'static str,
    tag: String,
}

fn hint(c: u8) -> u8 {
    match c {
        b'+' | b'-' => b'S',
        b'0'..=b'9' => b'D',
        b'y' | b'Y' | b'n' | b'N' | b't' | b'T' | b'f' | b'F' | b'o' | b'O' | b'~' => b'M',
        b'.' => b'.',
        _ => 0,
    }
}

fn lookup_map(s: &str) -> Option<(&'static str, Resolved)> {
    Some(match s {
        "true" | "True" | "TRUE" => (BOOL_TAG, Resolved::Bool(true)),
        "false" | "False" | "FALSE" => (BOOL_TAG, Resolved::Bool(false)),
        "" | "~" | "null" | "Null" | "NULL" => (NULL_TAG, Resolved::Null),
        ".nan" | ".NaN" | ".NAN" => (FLOAT_TAG, Resolved::Float(f64::NAN)),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => {
            (FLOAT_TAG, Resolved::Float(f64::INFINITY))
        }
        "-.inf" | "-.Inf" | "-.INF" => (FLOAT_TAG, Resolved::Float(f64::NEG_INFINITY)),
        "<<" => (MERGE_TAG, Resolved::Str),
        _ => return None,
    })
}

/// The tag and value of an untagged plain scalar (`resolve("", value)`).
pub(super) fn resolve_plain(value: &str) -> (&'static str, Resolved) {
    resolve_untyped("", value, true)
}

/// Only the tag of an untagged plain scalar (timestamps are not formatted).
pub(super) fn resolve_plain_tag(value: &str) -> &'static str {
    resolve_untyped("", value, false).0
}

/// Resolve `value` under `tag` (short or long form, or empty for implicit).
pub(super) fn resolve(tag: &str, value: &str) -> ResolveResult {
    let tag = short_tag(tag);
    if !resolvable_tag(&tag) {
        return Ok((Cow::Owned(tag.into_owned()), Resolved::Str));
    }
    let (rtag, out) = resolve_untyped(&tag, value, true);
    match tag.as_ref() {
        "" | STR_TAG | BINARY_TAG => return Ok((Cow::Borrowed(rtag), out)),
        t if t == rtag => return Ok((Cow::Borrowed(rtag), out)),
        FLOAT_TAG if rtag == INT_TAG => {
            let f = match out {
                Resolved::Int(i) => i as f64,
                // go-yaml keeps uint64 results as they are here, which then
                // fails the tag check below.
                _ => {
                    return Err(TagMismatch {
                        found: rtag,
                        tag: tag.into_owned(),
                    })
                }
            };
            return Ok((Cow::Borrowed(FLOAT_TAG), Resolved::Float(f)));
        }
        _ => {}
    }
    Err(TagMismatch {
        found: rtag,
        tag: tag.into_owned(),
    })
}

fn resolve_untyped(tag: &str, value: &str, want_value: bool) -> (&'static str, Resolved) {
    let h = match value.as_bytes().first() {
        None => b'N',
        Some(&c) => hint(c),
    };
    if h != 0 && tag != STR_TAG && tag != BINARY_TAG {
        if let Some((t, v)) = lookup_map(value) {
            return (t, v);
        }
        match h {
            b'.' => {
                if let Some(f) = go_parse_float(value) {
                    return (FLOAT_TAG, Resolved::Float(f));
                }
            }
            b'D' | b'S' => {
                if tag.is_empty() || tag == TIMESTAMP_TAG {
                    if let Some(t) = timestamp_parts(value) {
                        let text = if want_value {
                            t.format()
                        } else {
                            String::new()
                        };
                        return (TIMESTAMP_TAG, Resolved::Time(Box::new(text)));
                    }
                }
                let plain: Cow<str> = if value.contains('_') {
                    Cow::Owned(value.chars().filter(|&c| c != '_').collect())
                } else {
                    Cow::Borrowed(value)
                };
                if let Some(r) = go_parse_int(&plain, 0) {
                    return (INT_TAG, r);
                }
                if is_yaml_style_float(&plain) {
                    // Go's ParseFloat fails (ErrRange) when the value
                    // overflows to infinity.
                    if let Ok(f) = plain.parse::<f64>() {
                        if f.is_finite() {
                            return (FLOAT_TAG, Resolved::Float(f));
                        }
                    }
                }
                if let Some(rest) = plain.strip_prefix("0b") {
                    if let Some(r) = go_parse_int(rest, 2) {
                        return (INT_TAG, r);
                    }
                } else if let Some(rest) = plain.strip_prefix("-0b") {
                    if let Some(Resolved::Int(i)) = go_parse_int(&format!("-{rest}"), 2) {
                        return (INT_TAG, Resolved::Int(i));
                    }
                }
                if let Some(rest) = plain.strip_prefix("0o") {
                    if let Some(r) = go_parse_int(rest, 8) {
                        return (INT_TAG, r);
                    }
                } else if let Some(rest) = plain.strip_prefix("-0o") {
                    if let Some(Resolved::Int(i)) = go_parse_int(&format!("-{rest}"), 8) {
                        return (INT_TAG, Resolved::Int(i));
                    }
                }
            }
            _ => {}
        }
    }
    (STR_TAG, Resolved::Str)
}

/// `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$` (yaml.v3's
/// float pattern; yaml.v2 uses the same one).
pub(super) fn is_yaml_style_float(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    if i < b.len() && (b[i] == b'-' || b[i] == b'+') {
        i += 1;
    }
    let digits = |i: &mut usize| {
        let st = *i;
        while *i < b.len() && b[*i].is_ascii_digit() {
            *i += 1;
        }
        *i - st
    };
    if i < b.len() && b[i] == b'.' {
        i += 1;
        if digits(&mut i) == 0 {
            return false;
        }
    } else {
        if digits(&mut i) == 0 {
            return false;
        }
        if i < b.len() && b[i] == b'.' {
            i += 1;
            digits(&mut i);
        }
    }
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        i += 1;
        if i < b.len() && (b[i] == b'-' || b[i] == b'+') {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return false;
        }
    }
    i == b.len()
}

/// Go's `strconv.ParseInt(s, base, 64)`, falling back to `ParseUint` for
/// values above `i64::MAX`. Base 0 detects `0x`, `0o`, `0b` and leading `0`
/// (octal) prefixes. Underscores were already removed by the caller (for
/// base 0) or are rejected (explicit bases).
fn go_parse_int(s: &str, base: u32) -> Option<Resolved> {
    let (neg, body) = match s.as_bytes().first() {
        Some(b'+') => (false, &s[1..]),
        Some(b'-') => (true, &s[1..]),
        _ => (false, s),
    };
    let (radix, digits) = if base == 0 {
        // The letter of a `0x`/`0o`/`0b` prefix, any case (both ASCII).
        let letter = match body.as_bytes() {
            [b'0', l, ..] => Some(l.to_ascii_lowercase()),
            _ => None,
        };
        match letter {
            Some(b'x') => (16, &body[2..]),
            Some(b'o') => (8, &body[2..]),
            Some(b'b') => (2, &body[2..]),
            _ if body.len() > 1 && body.starts_with('0') => (8, &body[1..]),
            _ => (10, body),
        }
    } else {
        (base, body)
    };
    if digits.is_empty() || !digits.bytes().all(|c| (c as char).is_digit(radix)) {
        return None;
    }
    let mag = u64::from_str_radix(digits, radix).ok()?;
    if neg {
        if mag <= i64::MAX as u64 + 1 {
            return Some(Resolved::Int((mag as i128).wrapping_neg() as i64));
        }
        return None;
    }
    if mag <= i64::MAX as u64 {
        Some(Resolved::Int(mag as i64))
    } else if s.starts_with('+') {
        // ParseUint does not accept a sign.
        None
    } else {
        Some(Resolved::Uint(mag))
    }
}

/// Go's `strconv.ParseFloat(s, 64)` for the inputs the resolver gives it
/// (strings starting with '.'): decimal floats with optional exponent and
/// digit-separating underscores.
fn go_parse_float(s: &str) -> Option<f64> {
    let b = s.as_bytes();
    // Validate underscores: only between digits.
    let mut cleaned = String::with_capacity(s.len());
    for (i, &c) in b.iter().enumerate() {
        if c == b'_' {
            let prev = i.checked_sub(1).map(|j| b[j]);
            let next = b.get(i + 1).copied();
            if !(prev.is_some_and(|p| p.is_ascii_digit())
                && next.is_some_and(|n| n.is_ascii_digit()))
            {
                return None;
            }
            continue;
        }
        cleaned.push(c as char);
    }
    if !is_yaml_style_float(&cleaned) {
        return None;
    }
    cleaned.parse::<f64>().ok().filter(|f| f.is_finite())
}

/// Parse a YAML timestamp the way go-yaml does (a subset of formats via
/// Go's `time.Parse`) and return Go's `MarshalText` form.
#[cfg(test)]
pub(super) fn parse_timestamp(s: &str) -> Option<String> {
    timestamp_parts(s).map(|p| p.format())
}

/// Whether Go's `time.Parse` accepts `s` in one of go-yaml's timestamp
/// formats (yaml.v2 and v3 share them).
pub(super) fn is_go_timestamp(s: &str) -> bool {
    timestamp_parts(s).is_some()
}

fn timestamp_parts(s: &str) -> Option<TimeParts> {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
    }
    if i != 4 || i == b.len() || b[i] != b'-' {
        return None;
    }
    // Formats, in order: "2006-1-2T15:4:5.999999999Z07:00",
    // "2006-1-2t15:4:5.999999999Z07:00", "2006-1-2 15:4:5.999999999",
    // "2006-1-2". They differ in what follows the date, so at most one
    // can match.
    parse_time_format(b)
}

/// Whether Go's `time.Time.MarshalText` accepts the time printed as
/// `text` (it refuses time zone offsets of 24 hours or more).
pub(super) fn time_marshals(text: &str) -> bool {
    if text.ends_with('Z') || text.len() < 6 {
        return true;
    }
    let tz = &text.as_bytes()[text.len() - 5..];
    let hour = (tz[0].wrapping_sub(b'0') as u32) * 10 + tz[1].wrapping_sub(b'0') as u32;
    hour < 24
}

/// Reads 1 or 2 digits (Go's `getnum(s, false)`).
fn getnum(b: &[u8], i: &mut usize) -> Option<u32> {
    let d0 = *b.get(*i)?;
    if !d0.is_ascii_digit() {
        return None;
    }
    *i += 1;
    match b.get(*i) {
        Some(&d1) if d1.is_ascii_digit() => {
            *i += 1;
            Some(((d0 - b'0') * 10 + (d1 - b'0')) as u32)
        }
        _ => Some((d0 - b'0') as u32),
    }
}

/// Reads exactly 2 digits (Go's `getnum(s, true)`).
fn getnum2(b: &[u8], i: &mut usize) -> Option<i64> {
    let d0 = *b.get(*i)?;
    let d1 = *b.get(*i + 1)?;
    if !d0.is_ascii_digit() || !d1.is_ascii_digit() {
        return None;
    }
    *i += 2;
    Some(((d0 - b'0') * 10 + (d1 - b'0')) as i64)
}

fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ => {
            let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
            if leap {
                29
            } else {
                28
            }
        }
    }
}

/// A parsed timestamp.
struct TimeParts {
    year: i64,
    month: u32,
    day: u32,
    hour: u32,
    min: u32,
    sec: u32,
    nanos: u32,
    offset_secs: i64,
}

fn parse_time_format(b: &[u8]) -> Option<TimeParts> {
    let year: i64 = std::str::from_utf8(&b[..4]).ok()?.parse().ok()?;
    let mut i = 5;
    let month = getnum(b, &mut i)?;
    if b.get(i) != Some(&b'-') {
        return None;
    }
    i += 1;
    let day = getnum(b, &mut i)?;
    if !(1..=12).contains(&month) {
        return None;
    }
    let mut t = TimeParts {
        year,
        month,
        day,
        hour: 0,
        min: 0,
        sec: 0,
        nanos: 0,
        offset_secs: 0,
    };
    if i < b.len() {
        let sep = b[i];
        let zone = match sep {
            b'T' | b't' => true,
            b' ' => false,
            _ => return None,
        };
        i += 1;
        t.hour = getnum(b, &mut i)?;
        if b.get(i) != Some(&b':') {
            return None;
        }
        i += 1;
        t.min = getnum(b, &mut i)?;
        if b.get(i) != Some(&b':') {
            return None;
        }
        i += 1;
        t.sec = getnum(b, &mut i)?;
        // Optional fraction: '.' or ',' followed by digits (only the first
        // nine count).
        if matches!(b.get(i), Some(b'.') | Some(b','))
            && b.get(i + 1).is_some_and(|c| c.is_ascii_digit())
        {
            i += 1;
            let mut n: u32 = 0;
            let mut k = 0;
            while i < b.len() && b[i].is_ascii_digit() {
                if k < 9 {
                    n = n * 10 + (b[i] - b'0') as u32;
                }
                k += 1;
                i += 1;
            }
            while k < 9 {
                n *= 10;
                k += 1;
            }
            t.nanos = n;
        }
        if zone {
            match b.get(i) {
                Some(b'Z') => i += 1,
                Some(&c @ (b'+' | b'-')) => {
                    i += 1;
                    let hh = getnum2(b, &mut i)?;
                    if b.get(i) != Some(&b':') {
                        return None;
                    }
                    i += 1;
                    let mm = getnum2(b, &mut i)?;
                    if hh > 24 || mm > 60 {
                        return None;
                    }
                    t.offset_secs = (hh * 3600 + mm * 60) * if c == b'-' { -1 } else { 1 };
                }
                _ => return None,
            }
        }
        if t.hour > 23 || t.min > 59 || t.sec > 59 {
            return None;
        }
    }
    if i != b.len() {
        return None;
    }
    if day < 1 || day > days_in_month(year, month) {
        return None;
    }
    Some(t)
}

fn push_2(s: &mut String, n: u32) {
    s.push((b'0' + (n / 10 % 10) as u8) as char);
    s.push((b'0' + (n % 10) as u8) as char);
}

impl TimeParts {
    /// Go's RFC 3339 with nanoseconds (`time.RFC3339Nano`).
    fn format(&self) -> String {
        let mut s = String::with_capacity(36);
        let y = self.year as u32;
        push_2(&mut s, y / 100);
        push_2(&mut s, y % 100);
        s.push('-');
        push_2(&mut s, self.month);
        s.push('-');
        push_2(&mut s, self.day);
        s.push('T');
        push_2(&mut s, self.hour);
        s.push(':');
        push_2(&mut s, self.min);
        s.push(':');
        push_2(&mut s, self.sec);
        if self.nanos > 0 {
            let mut digits = [0u8; 9];
            let mut n = self.nanos;
            for d in digits.iter_mut().rev() {
                *d = b'0' + (n % 10) as u8;
                n /= 10;
            }
            let mut len = 9;
            while len > 0 && digits[len - 1] == b'0' {
                len -= 1;
            }
            s.push('.');
            for &d in &digits[..len] {
                s.push(d as char);
            }
        }
        if self.offset_secs == 0 {
            s.push('Z');
        } else {
            s.push(if self.offset_secs < 0 { '-' } else { '+' });
            let a = self.offset_secs.unsigned_abs() as u32;
            push_2(&mut s, a / 3600);
            s.push(':');
            push_2(&mut s, (a % 3600) / 60);
        }
        s
    }
}

/// Decode standard base64 as Go's `StdEncoding.DecodeString` does
/// (padding required; CR and LF ignored; trailing bits tolerated).
pub(super) fn decode_base64_go(s: &str) -> Option<Vec<u8>> {
    use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
    use base64::Engine;
    let cleaned: Vec<u8> = s.bytes().filter(|&c| c != b'\r' && c != b'\n').collect();
    let engine = GeneralPurpose::new(
        &base64::alphabet::STANDARD,
        GeneralPurposeConfig::new()
            .with_decode_allow_trailing_bits(true)
            .with_decode_padding_mode(DecodePaddingMode::RequireCanonical),
    );
    engine.decode(cleaned).ok()
}

/// go-yaml's `encodeBase64`: standard base64 in lines of 70 characters,
/// each ending in a newline when there is more than one line.
pub(super) fn encode_base64_go(data: &[u8]) -> String {
    use base64::Engine;
    let enc = base64::engine::general_purpose::STANDARD.encode(data);
    const LINE: usize = 70;
    let lines = enc.len() / LINE + 1;
    if lines <= 1 {
        return enc;
    }
    let mut out = String::with_capacity(enc.len() + lines);
    let mut i = 0;
    while i < enc.len() {
        let j = (i + LINE).min(enc.len());
        out.push_str(&enc[i..j]);
        out.push('\n');
        i = j;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ints_and_floats_resolve() {
        assert_eq!(resolve("", "0x1F").unwrap().1, Resolved::Int(31));
        assert_eq!(resolve("", "0o17").unwrap().1, Resolved::Int(15));
        assert_eq!(resolve("", "017").unwrap().1, Resolved::Int(15));
        assert_eq!(resolve("", "+1").unwrap().1, Resolved::Int(1));
        assert_eq!(resolve("", "1_000").unwrap().1, Resolved::Int(1000));
        assert_eq!(resolve("", "0b101").unwrap().1, Resolved::Int(5));
        assert_eq!(resolve("", "1e3").unwrap().1, Resolved::Float(1000.0));
        assert_eq!(resolve("", ".5").unwrap().1, Resolved::Float(0.5));
        assert_eq!(resolve("", "1.").unwrap().1, Resolved::Float(1.0));
        assert_eq!(resolve("", "08").unwrap().1, Resolved::Float(8.0));
        assert_eq!(resolve("", "yes").unwrap().1, Resolved::Str);
        assert_eq!(
            resolve("", "18446744073709551615").unwrap().1,
            Resolved::Uint(u64::MAX)
        );
        assert_eq!(
            resolve("", "-9223372036854775808").unwrap().1,
            Resolved::Int(i64::MIN)
        );
        assert!(resolve("!!int", "abc").is_err());
        assert_eq!(resolve("!!float", "1").unwrap().1, Resolved::Float(1.0));
    }

    #[test]
    fn timestamps_resolve() {
        assert_eq!(
            parse_timestamp("2024-01-01").unwrap(),
            "2024-01-01T00:00:00Z"
        );
        assert_eq!(parse_timestamp("2024-1-2").unwrap(), "2024-01-02T00:00:00Z");
        assert_eq!(
            parse_timestamp("2001-12-14t21:59:43.10-05:00").unwrap(),
            "2001-12-14T21:59:43.1-05:00"
        );
        assert_eq!(
            parse_timestamp("2001-12-14 21:59:43.10").unwrap(),
            "2001-12-14T21:59:43.1Z"
        );
        assert_eq!(
            parse_timestamp("2001-12-14T21:59:43+00:00").unwrap(),
            "2001-12-14T21:59:43Z"
        );
        assert!(parse_timestamp("2024-02-30").is_none());
        assert!(parse_timestamp("2024-01-01T10:00:00").is_none());
        assert!(parse_timestamp("2001-12-14 21:59:43.10 -5").is_none());
    }
}
