//! Checks shared by the rsops fuzz targets (see `fuzz/README.md`).
//!
//! Every check either returns normally or panics with a message that says
//! which property broke; libFuzzer records the panicking input as a crash.

use rsops::error::Result;
use rsops::tree::{Branch, Item, Key, Value};

/// Do two trees hold the same data? Like `==`, except that floats are
/// compared bit for bit (so `-0.0` differs from `0.0`, as the stores keep
/// negative zero) and every NaN equals every NaN (YAML `.nan`).
/// Iterative, so a deep tree cannot overflow the stack here.
pub fn same_docs(a: &[Branch], b: &[Branch]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let mut todo: Vec<(&Value, &Value)> = Vec::new();
    for (x, y) in a.iter().zip(b) {
        if !same_items(x, y, &mut todo) {
            return false;
        }
    }
    drain(todo)
}

/// [`same_docs`] for two values.
pub fn same_value(a: &Value, b: &Value) -> bool {
    drain(vec![(a, b)])
}

fn same_items<'a>(x: &'a [Item], y: &'a [Item], todo: &mut Vec<(&'a Value, &'a Value)>) -> bool {
    if x.len() != y.len() {
        return false;
    }
    for (i, j) in x.iter().zip(y) {
        let keys_equal = match (&i.key, &j.key) {
            (Key::Str(p), Key::Str(q)) => p == q,
            (Key::Comment(p), Key::Comment(q)) => p == q,
            _ => false,
        };
        if !keys_equal {
            return false;
        }
        todo.push((&i.value, &j.value));
    }
    true
}

fn drain(mut todo: Vec<(&Value, &Value)>) -> bool {
    while let Some((a, b)) = todo.pop() {
        match (a, b) {
            (Value::Float(x), Value::Float(y)) => {
                if !(x.to_bits() == y.to_bits() || (x.is_nan() && y.is_nan())) {
                    return false;
                }
            }
            (Value::Map(x), Value::Map(y)) => {
                if !same_items(x, y, &mut todo) {
                    return false;
                }
            }
            (Value::List(x), Value::List(y)) => {
                if x.len() != y.len() {
                    return false;
                }
                todo.extend(x.iter().zip(y));
            }
            (Value::Map(_) | Value::List(_) | Value::Float(_), _) => return false,
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
/// `parse` reads the written text back to the same tree. (rsops' output
/// must mean what the input meant, for rsops and for sops.)
///
/// Returns the parsed documents (`None` when `data` was rejected).
pub fn check_round_trip(
    data: &[u8],
    parse: fn(&[u8]) -> Result<Vec<Branch>>,
    emit: &dyn Fn(&[Branch]) -> Result<Vec<u8>>,
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
        same_docs(&docs, &again),
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
