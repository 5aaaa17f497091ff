//! Checks shared by the rsops fuzz targets (see `fuzz/README.md`).
//!
//! Every check either returns normally or panics with a message that says
//! which property broke; libFuzzer records the panicking input as a crash.

use rsops::error::Result;
use rsops::format::Format;
use rsops::stores::flatten::flatten_metadata;
use rsops::tree::{Branch, Comment, Item, Key, Value};

/// What a round trip may change without changing the data. Keys, values,
/// their types and order, and the text of every comment must always
/// survive; these switches allow the layout changes sops makes too.
#[derive(Clone, Copy, Debug, Default)]
pub struct Layout {
    /// Comments may move (sops' YAML store attaches a comment to a
    /// different node when it writes it back: `- # c` becomes a comment
    /// line before the item, an end-of-line comment a line of its own),
    /// but the same comment texts must come in the same order.
    pub comments_move: bool,
    /// Comment markers and whitespace at the ends of each comment line are
    /// layout: INI writes `; text` lines trimmed, as go-ini does, so `;;x`
    /// and `x\r` both come back as `x`, and a comment left empty is not
    /// written at all.
    pub comment_markers: bool,
    /// The order of the entries of a top-level `sops` map is layout: the
    /// flat stores write its flattened keys sorted, as sops does.
    pub flat_metadata: bool,
}

/// Exact comparison: only the float rules of [`same_docs`] apply.
pub const EXACT: Layout = Layout {
    comments_move: false,
    comment_markers: false,
    flat_metadata: false,
};

/// YAML: sops' comment model moves some comments when it writes them.
pub const YAML: Layout = Layout {
    comments_move: true,
    ..EXACT
};
/// JSON: no comments, no flattened metadata: exact.
pub const JSON: Layout = EXACT;
/// dotenv: `sops_*` lines are written sorted, as sops does.
pub const DOTENV: Layout = Layout {
    flat_metadata: true,
    ..EXACT
};
/// INI: `[sops]` keys are written sorted, comment lines as `; text`
/// trimmed, as go-ini does.
pub const INI: Layout = Layout {
    flat_metadata: true,
    comment_markers: true,
    ..EXACT
};

/// The layout rules of a store.
pub fn layout_of(fmt: Format) -> Layout {
    match fmt {
        Format::Yaml => YAML,
        Format::Dotenv => DOTENV,
        Format::Ini => INI,
        _ => JSON,
    }
}

/// One step of a pre-order walk of a tree.
#[derive(Debug)]
enum Tok<'a> {
    Doc,
    Map,
    List,
    End,
    Key(&'a str),
    Comment(&'a Comment),
    Scalar(&'a Value),
    /// A top-level `sops` map, flattened (compared as a sorted list).
    Meta(Branch),
}

enum Work<'a> {
    Value(&'a Value),
    Item(&'a Item, bool),
    End,
}

/// The walk of `docs` as a flat list of steps; iterative, so a deep tree
/// cannot overflow the stack here.
fn walk(docs: &[Branch], layout: Layout) -> Vec<Tok<'_>> {
    let mut out = Vec::new();
    let mut stack: Vec<Work<'_>> = Vec::new();
    for doc in docs {
        out.push(Tok::Doc);
        stack.push(Work::End);
        stack.extend(doc.iter().rev().map(|i| Work::Item(i, true)));
        while let Some(w) = stack.pop() {
            match w {
                Work::End => out.push(Tok::End),
                Work::Item(item, top) => match &item.key {
                    Key::Comment(c)
                        if layout.comment_markers && comment_text(c, layout).is_empty() => {}
                    Key::Comment(c) => out.push(Tok::Comment(c)),
                    Key::Str(k) => {
                        out.push(Tok::Key(k));
                        match &item.value {
                            Value::Map(m) if top && layout.flat_metadata && k == "sops" => {
                                out.push(Tok::Meta(flatten_metadata(m)));
                            }
                            v => stack.push(Work::Value(v)),
                        }
                    }
                },
                Work::Value(Value::Map(m)) => {
                    out.push(Tok::Map);
                    stack.push(Work::End);
                    stack.extend(m.iter().rev().map(|i| Work::Item(i, false)));
                }
                Work::Value(Value::List(l)) => {
                    out.push(Tok::List);
                    stack.push(Work::End);
                    stack.extend(l.iter().rev().map(Work::Value));
                }
                Work::Value(Value::Comment(c)) => out.push(Tok::Comment(c)),
                Work::Value(v) => out.push(Tok::Scalar(v)),
            }
        }
    }
    out
}

fn comment_text(c: &Comment, layout: Layout) -> String {
    if layout.comment_markers {
        let lines: Vec<&str> = c
            .value
            .split('\n')
            .map(|l| l.trim_start_matches(['#', ';', ' ', '\t']).trim_end())
            .collect();
        lines.join("\n")
    } else {
        c.value.clone()
    }
}

fn same_tok(a: &Tok<'_>, b: &Tok<'_>, layout: Layout) -> bool {
    match (a, b) {
        (Tok::Doc, Tok::Doc)
        | (Tok::Map, Tok::Map)
        | (Tok::List, Tok::List)
        | (Tok::End, Tok::End) => true,
        (Tok::Key(x), Tok::Key(y)) => x == y,
        (Tok::Meta(x), Tok::Meta(y)) => x == y,
        (Tok::Comment(x), Tok::Comment(y)) => {
            comment_text(x, layout) == comment_text(y, layout)
                && (layout.comments_move || x.inline == y.inline)
        }
        (Tok::Scalar(Value::Float(x)), Tok::Scalar(Value::Float(y))) => {
            x.to_bits() == y.to_bits() || (x.is_nan() && y.is_nan())
        }
        (Tok::Scalar(x), Tok::Scalar(y)) => x == y,
        _ => false,
    }
}

/// Do two trees hold the same data? Like `==`, except that floats are
/// compared bit for bit (so `-0.0` differs from `0.0`, as the stores keep
/// negative zero) and every NaN equals every NaN (YAML `.nan`).
pub fn same_docs(a: &[Branch], b: &[Branch]) -> bool {
    same_docs_with(a, b, EXACT)
}

/// [`same_docs`], with the differences `layout` allows.
pub fn same_docs_with(a: &[Branch], b: &[Branch], layout: Layout) -> bool {
    let (ta, tb) = (walk(a, layout), walk(b, layout));
    if layout.comments_move {
        let ((da, ca), (db, cb)) = (split_comments(ta), split_comments(tb));
        same_toks(&da, &db, layout) && same_toks(&ca, &cb, layout)
    } else {
        same_toks(&ta, &tb, layout)
    }
}

/// (data steps, comment steps)
fn split_comments(t: Vec<Tok<'_>>) -> (Vec<Tok<'_>>, Vec<Tok<'_>>) {
    t.into_iter().partition(|x| !matches!(x, Tok::Comment(_)))
}

fn same_toks(a: &[Tok<'_>], b: &[Tok<'_>], layout: Layout) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| same_tok(x, y, layout))
}

/// [`same_docs`] for two values.
pub fn same_value(a: &Value, b: &Value) -> bool {
    let doc = |v: &Value| vec![vec![Item::new("v", v.clone())]];
    same_docs(&doc(a), &doc(b))
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
        assert!(same_value(
            &Value::Float(f64::NAN),
            &Value::Float(-f64::NAN)
        ));
        assert!(!same_value(&Value::Float(0.0), &Value::Float(-0.0)));
        let a = vec![vec![Item::new("a", Value::List(vec![Value::Float(1.0)]))]];
        let b = vec![vec![Item::new("a", Value::List(vec![Value::Int(1)]))]];
        assert!(same_docs(&a, &a.clone()));
        assert!(!same_docs(&a, &b));
    }
}
