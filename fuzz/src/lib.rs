//! Checks shared by the rsops fuzz targets (see `fuzz/README.md`).
//!
//! Every check either returns normally or panics with a message that says
//! which property broke; libFuzzer records the panicking input as a crash.

use rsops::error::Result;
use rsops::stores::flatten::flatten_metadata;
use rsops::tree::{Branch, Comment, Item, Key, Value};

/// What a round trip may change without changing the data. Keys, values,
/// their types and order, and the text of comments must always survive.
#[derive(Clone, Copy, Debug, Default)]
pub struct Layout {
    /// Whether a YAML comment sat on its value's line (`a: 1 # c`) is layout.
    pub comment_inline: bool,
    /// Whitespace around each line of a comment is layout (INI writes
    /// `; text` lines trimmed, as go-ini does, so a `\r` is dropped).
    pub comment_line_space: bool,
    /// The order of the entries of a top-level `sops` map is layout: the
    /// flat stores write its flattened keys sorted, as sops does.
    pub flat_metadata: bool,
}

/// Exact comparison: only the float rules of [`same_docs_with`] apply.
pub const EXACT: Layout = Layout {
    comment_inline: false,
    comment_line_space: false,
    flat_metadata: false,
};

/// Do two trees hold the same data? Like `==`, except that floats are
/// compared bit for bit (so `-0.0` differs from `0.0`, as the stores keep
/// negative zero) and every NaN equals every NaN (YAML `.nan`).
/// Iterative, so a deep tree cannot overflow the stack here.
pub fn same_docs(a: &[Branch], b: &[Branch]) -> bool {
    same_docs_with(a, b, EXACT)
}

/// [`same_docs`], with the differences `layout` allows.
pub fn same_docs_with(a: &[Branch], b: &[Branch], layout: Layout) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let mut todo: Vec<(&Value, &Value)> = Vec::new();
    for (x, y) in a.iter().zip(b) {
        if layout.flat_metadata {
            // Compare the `sops` maps in their sorted flat form.
            let (xm, xr): (Vec<&Item>, Vec<&Item>) = x.iter().partition(|i| is_meta(i));
            let (ym, yr): (Vec<&Item>, Vec<&Item>) = y.iter().partition(|i| is_meta(i));
            let flat = |m: &[&Item]| -> Vec<Branch> {
                m.iter()
                    .filter_map(|i| i.value.as_map().map(flatten_metadata))
                    .collect()
            };
            if flat(&xm) != flat(&ym) || !same_items(&xr, &yr, layout, &mut todo) {
                return false;
            }
        } else {
            let xs: Vec<&Item> = x.iter().collect();
            let ys: Vec<&Item> = y.iter().collect();
            if !same_items(&xs, &ys, layout, &mut todo) {
                return false;
            }
        }
    }
    drain(todo, layout)
}

fn is_meta(i: &Item) -> bool {
    i.key_str() == Some("sops") && matches!(i.value, Value::Map(_))
}

/// [`same_docs`] for two values.
pub fn same_value(a: &Value, b: &Value) -> bool {
    drain(vec![(a, b)], EXACT)
}

fn same_comment(p: &Comment, q: &Comment, layout: Layout) -> bool {
    let text = if layout.comment_line_space {
        p.value.split('\n').map(str::trim).eq(q.value.split('\n').map(str::trim))
    } else {
        p.value == q.value
    };
    text && (layout.comment_inline || p.inline == q.inline)
}

fn same_items<'a>(
    x: &[&'a Item],
    y: &[&'a Item],
    layout: Layout,
    todo: &mut Vec<(&'a Value, &'a Value)>,
) -> bool {
    if x.len() != y.len() {
        return false;
    }
    for (i, j) in x.iter().zip(y) {
        let keys_equal = match (&i.key, &j.key) {
            (Key::Str(p), Key::Str(q)) => p == q,
            (Key::Comment(p), Key::Comment(q)) => same_comment(p, q, layout),
            _ => false,
        };
        if !keys_equal {
            return false;
        }
        todo.push((&i.value, &j.value));
    }
    true
}

fn drain<'a>(mut todo: Vec<(&'a Value, &'a Value)>, layout: Layout) -> bool {
    while let Some((a, b)) = todo.pop() {
        match (a, b) {
            (Value::Float(x), Value::Float(y)) => {
                if !(x.to_bits() == y.to_bits() || (x.is_nan() && y.is_nan())) {
                    return false;
                }
            }
            (Value::Map(x), Value::Map(y)) => {
                let xs: Vec<&Item> = x.iter().collect();
                let ys: Vec<&Item> = y.iter().collect();
                if !same_items(&xs, &ys, layout, &mut todo) {
                    return false;
                }
            }
            (Value::List(x), Value::List(y)) => {
                if x.len() != y.len() {
                    return false;
                }
                todo.extend(x.iter().zip(y));
            }
            (Value::Comment(p), Value::Comment(q)) => {
                if !same_comment(p, q, layout) {
                    return false;
                }
            }
            (Value::Map(_) | Value::List(_) | Value::Float(_) | Value::Comment(_), _) => {
                return false
            }
            (x, y) => {
                if x != y {
                    return false;
                }
            }
        }
    }
    true
}

/// At most `max` characters of a debug rendering, for panic messages.
pub fn show(what: &impl std::fmt::Debug, max: usize) -> String {
    let s = format!("{what:?}");
    match s.char_indices().nth(max) {
        Some((i, _)) => format!("{}… ({} chars)", &s[..i], s.len()),
        None => s,
    }
}

/// The store property: whatever `parse` accepts, `emit` can write, and
/// `parse` reads the written text back to the same tree, up to `layout`.
/// (rsops' output must mean what the input meant, for rsops and for sops.)
///
/// Returns the parsed documents (`None` when `data` was rejected).
pub fn check_round_trip(
    data: &[u8],
    parse: fn(&[u8]) -> Result<Vec<Branch>>,
    emit: &dyn Fn(&[Branch]) -> Result<Vec<u8>>,
    layout: Layout,
) -> Option<Vec<Branch>> {
    let docs = parse(data).ok()?;
    let out = match emit(&docs) {
        Ok(out) => out,
        Err(e) => panic!(
            "a parsed tree could not be written: {}\ntree: {}",
            e.msg,
            show(&docs, 2000)
        ),
    };
    let again = match parse(&out) {
        Ok(d) => d,
        Err(e) => panic!(
            "the emitted text does not parse: {}\ntree: {}\nemitted: {:?}",
            e.msg,
            show(&docs, 2000),
            String::from_utf8_lossy(&out)
        ),
    };
    assert!(
        same_docs_with(&docs, &again, layout),
        "parse -> emit -> parse changed the tree\nfirst:  {}\nsecond: {}\nemitted: {:?}",
        show(&docs, 2000),
        show(&again, 2000),
        String::from_utf8_lossy(&out)
    );
    Some(docs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floats_compare_by_bits_and_nan_equals_nan() {
        assert!(same_value(&Value::Float(f64::NAN), &Value::Float(-f64::NAN)));
        assert!(!same_value(&Value::Float(0.0), &Value::Float(-0.0)));
        let a = vec![vec![Item::new("a", Value::List(vec![Value::Float(1.0)]))]];
        let b = vec![vec![Item::new("a", Value::List(vec![Value::Int(1)]))]];
        assert!(same_docs(&a, &a.clone()));
        assert!(!same_docs(&a, &b));
    }
}
