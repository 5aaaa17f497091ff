//! go-yaml v2's output for maps of strings, as written by
//! `sigs.k8s.io/yaml` (`Marshal`: JSON, then a yaml.v2 generic map) and so by
//! `kubectl … -o yaml` and KSOPS' `secretFrom` Secrets: keys in yaml.v2's
//! natural order, strings plain unless YAML 1.1 would read them as
//! something else (then double-quoted), multi-line strings as literal
//! blocks, lines folded at 80 columns, indent 2.

use std::cmp::Ordering;

use super::nodes::{self, Layout, YKind, YNode};
use super::resolve::{is_yaml_style_float, STR_TAG};
use crate::stores::Result;

/// A value of such a document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum V2Value {
    Str(String),
    /// Entries in any order: they are sorted on output.
    Map(Vec<(String, V2Value)>),
    Null,
}

/// yaml.v2's `Marshal` of `v` (a map at the top).
pub fn marshal(v: &V2Value) -> Result<Vec<u8>> {
    let node = to_node(v);
    nodes::emit(
        &[&node],
        Layout {
            indent: 2,
            compact_seq: false,
            width: Some(80),
        },
    )
}

fn to_node(v: &V2Value) -> YNode {
    // Maps nest only a few levels here (a Secret's metadata), so plain
    // recursion is bounded by the caller's structure, never by input.
    match v {
        V2Value::Str(s) => string_node(s),
        V2Value::Null => {
            let mut n = YNode::string("null", 0);
            n.tag = String::new();
            n
        }
        V2Value::Map(entries) => {
            let mut sorted: Vec<&(String, V2Value)> = entries.iter().collect();
            sorted.sort_by(|a, b| key_order(&a.0, &b.0));
            let mut m = YNode::mapping();
            m.tag = String::new();
            for (k, v) in sorted {
                m.push_pair(string_node(k), to_node(v));
            }
            m
        }
    }
}

/// yaml.v2's `encoder.stringv` style choice.
fn string_node(s: &str) -> YNode {
    let st = if s.contains('\n') {
        nodes::style::LITERAL
    } else if resolves_to_string(s) && !super::encode::is_base60_float(s) {
        0
    } else {
        nodes::style::DOUBLE_QUOTED
    };
    let mut n = YNode::string(s, st);
    if st == 0 {
        // Written plain without a second opinion from yaml.v3's resolver.
        n.tag = String::new();
    } else {
        n.tag = STR_TAG.to_string();
    }
    debug_assert_eq!(n.kind, YKind::Scalar);
    n
}

/// yaml.v2's `resolve("", s)` gives `!!str` (YAML 1.1 rules).
pub fn resolves_to_string(s: &str) -> bool {
    const SPECIAL: &[&str] = &[
        "y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON", "n", "N", "no",
        "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF", "", "~", "null", "Null",
        "NULL", ".nan", ".NaN", ".NAN", ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf",
        "-.Inf", "-.INF",
    ];
    if SPECIAL.contains(&s) {
        return false;
    }
    let Some(&c) = s.as_bytes().first() else {
        return false;
    };
    match c {
        b'.' => go_parse_float(s).is_none(),
        b'+' | b'-' | b'0'..=b'9' => {
            if super::resolve::is_go_timestamp(s) {
                return false;
            }
            let plain: String = s.chars().filter(|&c| c != '_').collect();
            if go_parse_int_base0(&plain) {
                return false;
            }
            if is_yaml_style_float(&plain) && go_parse_float(&plain).is_some() {
                return false;
            }
            true
        }
        _ => true,
    }
}

/// Go's `strconv.ParseInt(s, 0, 64)` or `ParseUint(s, 0, 64)` succeeds
/// (underscores already removed).
fn go_parse_int_base0(s: &str) -> bool {
    let (neg, body) = match s.as_bytes().first() {
        Some(b'+') => (false, &s[1..]),
        Some(b'-') => (true, &s[1..]),
        _ => (false, s),
    };
    let b = body.as_bytes();
    let (radix, digits) = if b.len() >= 2 && b[0] == b'0' && matches!(b[1], b'x' | b'X') {
        (16, &body[2..])
    } else if b.len() >= 2 && b[0] == b'0' && matches!(b[1], b'b' | b'B') {
        (2, &body[2..])
    } else if b.len() >= 2 && b[0] == b'0' && matches!(b[1], b'o' | b'O') {
        (8, &body[2..])
    } else if b.len() >= 2 && b[0] == b'0' {
        (8, &body[1..])
    } else {
        (10, body)
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return false;
    }
    match u128::from_str_radix(digits, radix) {
        Ok(v) => {
            if neg {
                v <= 1u128 << 63
            } else {
                v <= u128::from(u64::MAX)
            }
        }
        Err(_) => false,
    }
}

/// Go's `strconv.ParseFloat(s, 64)` without a range error, for the inputs
/// that reach it here (decimal forms; Go's hex floats and `Inf`/`NaN`
/// words start with other characters or are matched before).
fn go_parse_float(s: &str) -> Option<f64> {
    let b = s.as_bytes();
    let ok_chars = b
        .iter()
        .all(|c| c.is_ascii_digit() || matches!(c, b'.' | b'e' | b'E' | b'+' | b'-' | b'_'));
    if !ok_chars || s.contains('_') {
        return None;
    }
    let v: f64 = s.parse().ok()?;
    v.is_finite().then_some(v)
}

/// yaml.v2's `keyList.Less` for string keys: runs of digits compare as
/// numbers, a non-letter sorts before a letter, otherwise by code point.
pub fn key_order(a: &str, b: &str) -> Ordering {
    if less(a, b) {
        Ordering::Less
    } else if less(b, a) {
        Ordering::Greater
    } else {
        Ordering::Equal
    }
}

fn less(a: &str, b: &str) -> bool {
    let ar: Vec<char> = a.chars().collect();
    let br: Vec<char> = b.chars().collect();
    let digit = |c: char| c.is_ascii_digit() || (!c.is_ascii() && c.is_numeric());
    let mut i = 0;
    while i < ar.len() && i < br.len() {
        if ar[i] == br[i] {
            i += 1;
            continue;
        }
        let al = ar[i].is_alphabetic();
        let bl = br[i].is_alphabetic();
        if al && bl {
            return ar[i] < br[i];
        }
        if al || bl {
            return bl;
        }
        let (mut an, mut bn): (i64, i64) = (0, 0);
        if ar[i] == '0' || br[i] == '0' {
            let mut j = i;
            while j > 0 && digit(ar[j - 1]) {
                j -= 1;
                if ar[j] != '0' {
                    an = 1;
                    bn = 1;
                    break;
                }
            }
        }
        let mut ai = i;
        while ai < ar.len() && digit(ar[ai]) {
            an = an
                .wrapping_mul(10)
                .wrapping_add(i64::from(ar[ai] as u32).wrapping_sub('0' as i64));
            ai += 1;
        }
        let mut bi = i;
        while bi < br.len() && digit(br[bi]) {
            bn = bn
                .wrapping_mul(10)
                .wrapping_add(i64::from(br[bi] as u32).wrapping_sub('0' as i64));
            bi += 1;
        }
        if an != bn {
            return an < bn;
        }
        if ai != bi {
            return ai < bi;
        }
        return ar[i] < br[i];
    }
    ar.len() < br.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &str) -> V2Value {
        V2Value::Str(v.to_string())
    }

    fn map(entries: &[(&str, V2Value)]) -> V2Value {
        V2Value::Map(
            entries
                .iter()
                .map(|(k, v)| (k.to_string(), v.clone()))
                .collect(),
        )
    }

    #[test]
    fn natural_key_order() {
        let mut keys = vec!["m10", "m2", "b", "a1", "a", "A", "_x", "m1"];
        keys.sort_by(|a, b| key_order(a, b));
        assert_eq!(keys, vec!["_x", "A", "a", "a1", "b", "m1", "m2", "m10"]);
    }

    #[test]
    fn yaml11_scalars_are_quoted() {
        for v in [
            "yes",
            "Y",
            "on",
            "true",
            "null",
            "~",
            "123",
            "0755",
            "1e3",
            "1_000",
            "2001-12-14",
            ".inf",
            "0x1F",
            "0o17",
            "+1",
            "-1",
            "1:20",
            "1.5",
            "",
        ] {
            assert!(!resolves_to_string(v) || v == "1:20", "{v}");
        }
        for v in ["it's", "x#y", "a:b", "08x", "1e400", ".", "1.2.3", "yess"] {
            assert!(resolves_to_string(v), "{v}");
        }
    }

    #[test]
    fn secret_layout() {
        let v = map(&[
            ("kind", s("Secret")),
            ("apiVersion", s("v1")),
            (
                "metadata",
                map(&[("name", s("x")), ("creationTimestamp", V2Value::Null)]),
            ),
            ("stringData", map(&[("f", s("a\nb\n")), ("y", s("yes"))])),
        ]);
        assert_eq!(
            String::from_utf8(marshal(&v).unwrap()).unwrap(),
            "apiVersion: v1\nkind: Secret\nmetadata:\n  creationTimestamp: null\n  name: x\nstringData:\n  f: |\n    a\n    b\n  \"y\": \"yes\"\n"
        );
    }
}
