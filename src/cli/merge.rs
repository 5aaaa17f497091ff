//! `rsops merge-driver %O %A %B %P`: a git merge driver for encrypted files.
//!
//! Git hands the driver three temporary files, the common ancestor (%O),
//! ours (%A, where the result goes) and theirs (%B), plus the path in the
//! tree (%P, which names the format: the temporary files have no extension).
//! The driver decrypts all three, merges the plaintext *trees* key by key,
//! and encrypts the result into %A:
//!
//! * a key changed (or added, or removed) on one side only takes that side;
//!   the same change on both sides is taken once; maps are merged key by
//!   key, lists element by element when no side changed their length;
//! * a key changed differently on both sides is a conflict: %A is left as
//!   it was (ours, encrypted), the conflicting key paths are printed (never
//!   their values) and the exit status is 1, so git reports a conflict to
//!   resolve with `rsops edit`. Plaintext is never written to the work tree;
//! * `mac` and `lastmodified` are recomputed, so they never conflict;
//! * the result is encrypted with ours' data key and metadata, and every
//!   value whose path and plaintext are unchanged keeps its ciphertext (see
//!   [`crate::cipher`]), so the merged file differs from ours only where
//!   theirs changed something;
//! * a change of the data key or of the recipients (key groups, Shamir
//!   threshold, encryption rule) on either side is a conflict, unless both
//!   sides carry the very same key and recipients: the data key of a side
//!   is chosen by whoever wrote that side, and adopting it would let them
//!   read every secret the merge encrypts (ours' new values included).
//!   The reason is printed with the recipients added and removed. With
//!   `--allow-key-change` (set in the driver's git configuration) a change
//!   made on one side only is taken: theirs' key and metadata are used when
//!   only theirs changed them; both sides changing them differently stays a
//!   conflict.
//!
//! Setup (documented in the README):
//!
//! ```text
//! # .gitattributes
//! *.enc.yaml merge=rsops
//! # once per clone
//! git config merge.rsops.name "rsops: merge encrypted files by key"
//! git config merge.rsops.driver "rsops merge-driver %O %A %B %P"
//! ```

use crate::cipher::{Cipher, DataKey};
use crate::error::Result;
use crate::format::Format;
use crate::metadata::Metadata;
use crate::tree::{Branch, Comment, Item, Key, PathStep, Value};

use super::args::Global;
use super::common::{self, SopsFile};

struct Side {
    file: SopsFile,
    fmt: Format,
    key: DataKey,
    bytes: Vec<u8>,
}

fn load(
    g: &Global,
    path: &str,
    fmt: Format,
    ctx: &mut crate::datakey::Context,
    what: &str,
) -> Result<Side> {
    let bytes = crate::io::read_input(Some(std::path::Path::new(path)))?;
    let fmt = fmt.sniff(&bytes);
    let name = format!("{what} ({path})");
    let file = common::load_encrypted(&bytes, fmt, &name)?;
    let key = crate::datakey::unwrap_data_key(&file.md, &common::decryption_order(g), ctx)
        .map_err(|e| e.context(&name))?;
    Ok(Side {
        file,
        fmt,
        key,
        bytes,
    })
}

fn decrypt(g: &Global, side: &mut Side, cipher: &mut Cipher, what: &str) -> Result<()> {
    crate::crypt::decrypt_and_verify(&mut side.file.docs, &side.file.md, cipher, g.ignore_mac)
        .map_err(|e| e.context(what))
}

/// What decides how the values are encrypted: the recipients and the rules,
/// not the wrapped keys, `lastmodified`, `mac` or `version`.
fn key_config(md: &Metadata) -> impl PartialEq + '_ {
    let groups: Vec<Vec<(String, String)>> = md
        .key_groups
        .iter()
        .map(|g| {
            let mut v: Vec<_> = g
                .iter()
                .map(|k| (k.type_id().to_string(), k.describe()))
                .collect();
            v.sort();
            v
        })
        .collect();
    (groups, md.shamir_threshold, &md.rule, md.mac_only_encrypted)
}

/// How `side`'s data key and recipients differ from `from`'s, in words
/// (empty when they are the same).
fn key_changes(side: &Side, from: &Side) -> Vec<String> {
    let mut out = Vec::new();
    let names = |md: &Metadata| -> std::collections::BTreeSet<String> {
        md.all_keys()
            .map(|k| format!("{} {}", k.type_id(), k.describe()))
            .collect()
    };
    let (now, before) = (names(&side.file.md), names(&from.file.md));
    let added: Vec<&String> = now.difference(&before).collect();
    let removed: Vec<&String> = before.difference(&now).collect();
    if !added.is_empty() {
        out.push(format!(
            "recipients added: {}",
            added
                .iter()
                .map(|s| s.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    if !removed.is_empty() {
        out.push(format!(
            "recipients removed: {}",
            removed
                .iter()
                .map(|s| s.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    if out.is_empty() && key_config(&side.file.md) != key_config(&from.file.md) {
        out.push("the key groups, Shamir threshold or encryption rule changed".into());
    }
    if side.key != from.key {
        out.push("the data key changed (a rotation, or a file re-created by someone else)".into());
    }
    out
}

pub fn run(
    g: &Global,
    base: &str,
    ours: &str,
    theirs: &str,
    path: Option<&str>,
    allow_key_change: bool,
) -> Result<i32> {
    let name = path
        .map(str::to_string)
        .or_else(|| g.filename_override.clone())
        .unwrap_or_else(|| ours.to_string());
    let fmt = Format::resolve(g.input_type.as_deref(), &name);
    let mut ctx = common::key_ctx(g);
    let base_bytes = crate::io::read_input(Some(std::path::Path::new(base)))?;
    // An empty ancestor: the file was added on both sides.
    let mut b = if base_bytes.iter().all(u8::is_ascii_whitespace) {
        None
    } else {
        Some(load(g, base, fmt, &mut ctx, "base")?)
    };
    let mut o = load(g, ours, fmt, &mut ctx, "ours")?;
    let mut t = load(g, theirs, fmt, &mut ctx, "theirs")?;

    // Whose data key and metadata the result uses.
    let changed = |s: &Side, b: &Option<Side>| match b {
        Some(b) => s.key != b.key || key_config(&s.file.md) != key_config(&b.file.md),
        None => true,
    };
    let same = o.key == t.key && key_config(&o.file.md) == key_config(&t.file.md);
    let use_theirs = match (&b, changed(&o, &b), changed(&t, &b)) {
        (None, _, _) => false,
        (_, _, false) => false,
        (_, false, true) => true,
        (_, true, true) => false,
    };
    // A change of keys is never taken silently: without the option, any
    // side that differs from the base (or, without a base, from the other
    // side) is a conflict, unless both sides agree on key and recipients.
    let mut key_conflicts: Vec<String> = Vec::new();
    if !same {
        let mut report = |who: &str, side: &Side, from: &Side, from_name: &str| {
            let changes = key_changes(side, from);
            if !changes.is_empty() {
                key_conflicts.push(format!(
                    "{who} changed the keys of the file (compared with {from_name}): {}",
                    changes.join("; ")
                ));
            }
        };
        match &b {
            Some(bs) if allow_key_change => {
                if changed(&o, &b) && changed(&t, &b) {
                    report("ours", &o, bs, "the base");
                    report("theirs", &t, bs, "the base");
                }
            }
            Some(bs) => {
                report("ours", &o, bs, "the base");
                report("theirs", &t, bs, "the base");
            }
            None => report("theirs", &t, &o, "ours"),
        }
    }

    // Decrypt with the chosen side's cipher remembering IVs: the other side
    // first when it shares the data key, so the chosen side's IVs win.
    let (chosen, other) = if use_theirs {
        (&mut t, &mut o)
    } else {
        (&mut o, &mut t)
    };
    let (cw, ow) = if use_theirs {
        ("theirs", "ours")
    } else {
        ("ours", "theirs")
    };
    let mut cipher = Cipher::new(chosen.key.clone())?;
    if other.key == chosen.key {
        decrypt(g, other, &mut cipher, ow)?;
    } else {
        let mut c = Cipher::new(other.key.clone())?.without_memory();
        decrypt(g, other, &mut c, ow)?;
    }
    decrypt(g, chosen, &mut cipher, cw)?;
    if let Some(bs) = b.as_mut() {
        let mut c = Cipher::new(bs.key.clone())?.without_memory();
        decrypt(g, bs, &mut c, "base")?;
    }

    let mut m = Merger::default();
    m.conflicts.append(&mut key_conflicts);
    let (chosen, fmt_out) = if use_theirs { (&t, t.fmt) } else { (&o, o.fmt) };
    // A SopsFile zeroizes the plaintext however this function returns.
    let mut f = SopsFile {
        docs: m.docs(
            b.as_ref().map(|s| s.file.docs.as_slice()),
            &o.file.docs,
            &t.file.docs,
        ),
        md: chosen.file.md.clone(),
    };
    if !m.conflicts.is_empty() {
        let mut msg = format!(
            "rsops merge-driver: {name}: conflicting changes, the file was left as ours (still encrypted):\n"
        );
        for c in &m.conflicts {
            msg.push_str("  ");
            msg.push_str(c);
            msg.push('\n');
        }
        msg.push_str(&format!(
            "Resolve with `rsops edit {name}` (or `rsops set`), then `git add {name}`."
        ));
        if m.conflicts.iter().any(|c| c.contains("changed the keys")) {
            msg.push_str(&format!(
                "\nA change of keys needs a review: check who made it and that every recipient is expected. \
                 To take one side as it is: `git checkout --theirs {name}` (or --ours), then re-apply the other side's \
                 changes with `rsops set`/`rsops edit`. To let the driver take a one-sided key change, add \
                 --allow-key-change to merge.rsops.driver."
            ));
        }
        eprintln!("{msg}");
        return Ok(1);
    }
    if f.docs == chosen.file.docs {
        // Nothing to add to the chosen side: its bytes are the result.
        if use_theirs {
            crate::io::write_atomic(std::path::Path::new(ours), &t.bytes)?;
        }
        return Ok(0);
    }
    let cfg = crate::config::Config::discover(g.config.as_deref())?;
    let indent = common::indent(g, cfg.as_ref(), fmt_out)?;
    crate::crypt::encrypt_and_seal(&mut f.docs, &mut f.md, &mut cipher)?;
    let out = common::emit_encrypted(&mut f, fmt_out, indent)?;
    crate::io::write_atomic(std::path::Path::new(ours), &out)?;
    Ok(0)
}

/// Three-way merge of plaintext trees, collecting the paths of conflicts.
#[derive(Default)]
pub struct Merger {
    path: Vec<PathStep>,
    pub conflicts: Vec<String>,
}

/// A map entry: the comments standing before it and its value.
struct Entry<'a> {
    comments: Vec<&'a Comment>,
    value: &'a Value,
}

struct Entries<'a> {
    keyed: Vec<(&'a str, Entry<'a>)>,
    trailing: Vec<&'a Comment>,
}

impl<'a> Entries<'a> {
    fn of(b: &'a Branch) -> Option<Entries<'a>> {
        let mut keyed: Vec<(&str, Entry)> = Vec::with_capacity(b.len());
        let mut pending = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for it in b {
            match &it.key {
                Key::Comment(c) => pending.push(c),
                Key::Str(k) => {
                    if !seen.insert(k.as_str()) {
                        // Duplicate keys: no key-by-key merge.
                        return None;
                    }
                    keyed.push((
                        k,
                        Entry {
                            comments: std::mem::take(&mut pending),
                            value: &it.value,
                        },
                    ));
                }
            }
        }
        Some(Entries {
            keyed,
            trailing: pending,
        })
    }
    fn get(&self, k: &str) -> Option<&Entry<'a>> {
        self.keyed.iter().find(|(x, _)| *x == k).map(|(_, e)| e)
    }
}

fn path_text(p: &[PathStep]) -> String {
    if p.is_empty() {
        "the top level".into()
    } else {
        p.iter().map(|s| s.to_string()).collect()
    }
}

impl Merger {
    fn conflict(&mut self, what: &str) {
        self.conflicts
            .push(format!("{}: {what}", path_text(&self.path)));
    }

    /// Merge whole documents (a YAML file may hold several).
    pub fn docs(&mut self, b: Option<&[Branch]>, o: &[Branch], t: &[Branch]) -> Vec<Branch> {
        if o == t || b == Some(t) {
            return o.to_vec();
        }
        if b == Some(o) {
            return t.to_vec();
        }
        if o.len() != t.len() || b.is_some_and(|b| b.len() != o.len()) {
            self.conflicts
                .push("the number of documents changed on both sides".into());
            return o.to_vec();
        }
        (0..o.len())
            .map(|i| self.branch(b.map(|b| &b[i]), &o[i], &t[i]))
            .collect()
    }

    fn branch(&mut self, b: Option<&Branch>, o: &Branch, t: &Branch) -> Branch {
        let (eb, eo, et) = (b.map(Entries::of), Entries::of(o), Entries::of(t));
        let (Some(eo), Some(et), eb) = (eo, et, eb) else {
            self.conflict("changed on both sides (a map with duplicate keys is merged as a whole)");
            return o.clone();
        };
        let Some(eb) = eb.unwrap_or_else(|| {
            Some(Entries {
                keyed: vec![],
                trailing: vec![],
            })
        }) else {
            self.conflict("changed on both sides (a map with duplicate keys is merged as a whole)");
            return o.clone();
        };
        // Ours' order, with keys only theirs has inserted after the key
        // they follow in theirs (and after what ours added there).
        let mut order: Vec<&str> = eo.keyed.iter().map(|(k, _)| *k).collect();
        for (i, (k, _)) in et.keyed.iter().enumerate() {
            if order.contains(k) {
                continue;
            }
            let mut at = et.keyed[..i]
                .iter()
                .rev()
                .find_map(|(p, _)| order.iter().position(|x| x == p))
                .map_or(0, |p| p + 1);
            // After the keys ours added at the same place.
            while at < order.len() && eb.get(order[at]).is_none() && et.get(order[at]).is_none() {
                at += 1;
            }
            order.insert(at, k);
        }
        let mut out = Branch::with_capacity(order.len());
        for k in order {
            let (bv, ov, tv) = (eb.get(k), eo.get(k), et.get(k));
            self.path.push(PathStep::Key(k.to_string()));
            let value = self.value(
                bv.map(|e| e.value),
                ov.map(|e| e.value),
                tv.map(|e| e.value),
            );
            if let Some(v) = value {
                let comments = self
                    .comments(
                        bv.map(|e| e.comments.clone()),
                        ov.map(|e| e.comments.clone()),
                        tv.map(|e| e.comments.clone()),
                    )
                    .unwrap_or_default();
                out.extend(comments.into_iter().map(|c| Item::comment(c.clone())));
                out.push(Item::new(k, v));
            }
            self.path.pop();
        }
        let trailing = self
            .comments(
                Some(eb.trailing.clone()),
                Some(eo.trailing.clone()),
                Some(et.trailing.clone()),
            )
            .unwrap_or_default();
        out.extend(trailing.into_iter().map(|c| Item::comment(c.clone())));
        out
    }

    fn comments<'c>(
        &mut self,
        b: Option<Vec<&'c Comment>>,
        o: Option<Vec<&'c Comment>>,
        t: Option<Vec<&'c Comment>>,
    ) -> Option<Vec<&'c Comment>> {
        if o == t || b == t {
            return o;
        }
        if b == o {
            return t;
        }
        match (o, t) {
            (Some(o), Some(_)) => {
                self.conflict("its comments changed on both sides");
                Some(o)
            }
            (o, _) => o,
        }
    }

    /// Merge one value; `None` means absent (deleted).
    fn value(&mut self, b: Option<&Value>, o: Option<&Value>, t: Option<&Value>) -> Option<Value> {
        if o == t || b == t {
            return o.cloned();
        }
        if b == o {
            return t.cloned();
        }
        match (b, o, t) {
            (b, Some(Value::Map(om)), Some(Value::Map(tm))) => {
                let bm = match b {
                    Some(Value::Map(bm)) => Some(bm),
                    _ => None,
                };
                Some(Value::Map(self.branch(bm, om, tm)))
            }
            (Some(Value::List(bl)), Some(Value::List(ol)), Some(Value::List(tl)))
                if bl.len() == ol.len() && ol.len() == tl.len() =>
            {
                let mut out = Vec::with_capacity(ol.len());
                for i in 0..ol.len() {
                    self.path.push(PathStep::Index(i));
                    let v = self.value(Some(&bl[i]), Some(&ol[i]), Some(&tl[i]));
                    self.path.pop();
                    out.push(v.unwrap_or(Value::Null));
                }
                Some(Value::List(out))
            }
            (_, None, Some(_)) => {
                self.conflict("removed in ours, changed in theirs");
                None
            }
            (_, Some(v), None) => {
                self.conflict("changed in ours, removed in theirs");
                Some(v.clone())
            }
            (None, Some(v), Some(_)) => {
                self.conflict("added on both sides with different values");
                Some(v.clone())
            }
            (_, Some(v), Some(_)) => {
                self.conflict("changed on both sides");
                Some(v.clone())
            }
            (_, None, None) => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(x: &str) -> Value {
        Value::Str(x.into())
    }

    fn m(items: Vec<(&str, Value)>) -> Branch {
        items.into_iter().map(|(k, v)| Item::new(k, v)).collect()
    }

    #[test]
    fn one_sided_changes_merge() {
        let b = m(vec![("a", s("1")), ("b", s("2")), ("c", s("3"))]);
        let o = m(vec![("a", s("1x")), ("b", s("2")), ("c", s("3"))]);
        let t = m(vec![
            ("a", s("1")),
            ("b", s("2")),
            ("new", s("n")),
            ("c", s("3y")),
        ]);
        let mut mg = Merger::default();
        let r = mg.docs(Some(&[b]), &[o], &[t]);
        assert!(mg.conflicts.is_empty());
        assert_eq!(
            r,
            vec![m(vec![
                ("a", s("1x")),
                ("b", s("2")),
                ("new", s("n")),
                ("c", s("3y"))
            ])]
        );
    }

    #[test]
    fn nested_maps_lists_and_deletions() {
        let b = m(vec![
            ("db", Value::Map(m(vec![("u", s("a")), ("p", s("b"))]))),
            ("l", Value::List(vec![Value::Int(1), Value::Int(2)])),
            ("gone", s("x")),
        ]);
        let o = m(vec![
            ("db", Value::Map(m(vec![("u", s("A")), ("p", s("b"))]))),
            ("l", Value::List(vec![Value::Int(10), Value::Int(2)])),
        ]);
        let t = m(vec![
            ("db", Value::Map(m(vec![("u", s("a")), ("p", s("B"))]))),
            ("l", Value::List(vec![Value::Int(1), Value::Int(20)])),
            ("gone", s("x")),
        ]);
        let mut mg = Merger::default();
        let r = mg.docs(Some(&[b]), &[o], &[t]);
        assert!(mg.conflicts.is_empty(), "{:?}", mg.conflicts);
        assert_eq!(
            r[0],
            m(vec![
                ("db", Value::Map(m(vec![("u", s("A")), ("p", s("B"))]))),
                ("l", Value::List(vec![Value::Int(10), Value::Int(20)])),
            ])
        );
    }

    #[test]
    fn conflicts_name_paths_not_values() {
        let b = m(vec![
            ("db", Value::Map(m(vec![("p", s("secret0"))]))),
            ("k", s("1")),
            ("l", Value::List(vec![Value::Int(1)])),
        ]);
        let o = m(vec![
            ("db", Value::Map(m(vec![("p", s("secret1"))]))),
            ("l", Value::List(vec![Value::Int(1), Value::Int(2)])),
        ]);
        let t = m(vec![
            ("db", Value::Map(m(vec![("p", s("secret2"))]))),
            ("k", s("2")),
            ("l", Value::List(vec![Value::Int(3)])),
        ]);
        let mut mg = Merger::default();
        mg.docs(Some(&[b]), &[o], &[t]);
        let all = mg.conflicts.join("\n");
        assert_eq!(mg.conflicts.len(), 3, "{all}");
        assert!(
            all.contains("[\"db\"][\"p\"]: changed on both sides"),
            "{all}"
        );
        assert!(all.contains("[\"k\"]: removed in ours"), "{all}");
        assert!(all.contains("[\"l\"]: changed on both sides"), "{all}");
        assert!(!all.contains("secret"), "{all}");
    }

    #[test]
    fn same_change_on_both_sides_and_comments() {
        let c = |x: &str| Item::comment(Comment::new(x));
        let b = vec![
            c(" about a"),
            Item::new("a", s("1")),
            Item::new("b", s("1")),
        ];
        let o = vec![
            c(" about A"),
            Item::new("a", s("2")),
            Item::new("b", s("1")),
        ];
        let t = vec![
            c(" about a"),
            Item::new("a", s("2")),
            Item::new("b", s("3")),
        ];
        let mut mg = Merger::default();
        let r = mg.docs(Some(&[b]), &[o], &[t]);
        assert!(mg.conflicts.is_empty());
        assert_eq!(
            r[0],
            vec![
                c(" about A"),
                Item::new("a", s("2")),
                Item::new("b", s("3"))
            ]
        );
        // Added on both sides (no ancestor): equal values merge.
        let mut mg = Merger::default();
        let o = m(vec![("x", s("1")), ("y", s("o"))]);
        let t = m(vec![("x", s("1")), ("z", s("t"))]);
        let r = mg.docs(None, &[o], &[t]);
        assert!(mg.conflicts.is_empty());
        assert_eq!(r[0], m(vec![("x", s("1")), ("y", s("o")), ("z", s("t"))]));
    }
}
