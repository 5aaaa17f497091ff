//! `rsops diff A B`: decrypt two files and print a unified diff of their
//! plaintexts, like `diff -u`. Exit 0 when they are equal, 1 when they
//! differ, 2 or another sops code on errors (never 1).
//!
//! Each file is read in the format of its own name (or `--input-type`) and
//! printed in that format (or `--output-type`), so `a.enc.yaml` and
//! `b.enc.json` can be compared as JSON with `--output-type json`. A file
//! without sops metadata is compared as it reads (parsed and written back by
//! its store), so a plaintext draft can be compared with an encrypted file.

use std::io::Write;

use zeroize::Zeroizing;

use crate::error::{code, Error, Result};

use super::args::Global;
use super::common;

pub fn run(g: &Global, a: &str, b: &str, context: usize) -> Result<i32> {
    let trouble = |e: Error| {
        // 1 means "different", as for diff(1): errors use other codes.
        if e.code() == code::ERROR_GENERIC {
            Error::from_source(code::COULD_NOT_READ_INPUT_FILE, e)
        } else {
            e
        }
    };
    if a == "-" && b == "-" {
        return Err(trouble(Error::new(
            code::ERROR_CONFLICTING_PARAMETERS,
            "Error: only one of the two files can be stdin (-)",
        )));
    }
    let mut ctx = common::key_ctx(g);
    let left = plaintext(g, a, &mut ctx).map_err(trouble)?;
    let right = plaintext(g, b, &mut ctx).map_err(trouble)?;
    if left == right {
        return Ok(0);
    }
    let out = Zeroizing::new(unified(&left, &right, a, b, context));
    let mut so = std::io::stdout().lock();
    match so.write_all(&out).and_then(|_| so.flush()) {
        Ok(()) => Ok(1),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(1),
        Err(e) => Err(Error::with_source(
            code::COULD_NOT_WRITE_OUTPUT_FILE,
            "could not write the diff",
            e,
        )),
    }
}

/// The decrypted text of `file` (or its text as is when it is not
/// encrypted), in its output format.
pub fn plaintext(
    g: &Global,
    file: &str,
    ctx: &mut crate::datakey::Context,
) -> Result<Zeroizing<Vec<u8>>> {
    let input = common::input(g, Some(file))?;
    let bytes = Zeroizing::new(input.read()?);
    let in_fmt = input.in_format.sniff(&bytes);
    let out_fmt = if in_fmt != input.in_format && g.output_type.is_none() {
        in_fmt
    } else {
        input.out_format
    };
    let cfg = crate::config::Config::discover(g.config.as_deref())?;
    let indent = common::indent(g, cfg.as_ref(), out_fmt)?;
    let name = input.display();
    let encrypted = in_fmt
        .parse_tree(&bytes)
        .ok()
        .is_some_and(|d| d.first().is_some_and(crate::metadata::has_metadata));
    let mut docs = if encrypted {
        let mut f = common::load_encrypted(&bytes, in_fmt, &name)?;
        common::decrypt_file(&mut f, g, ctx, &name, false)?;
        std::mem::take(&mut f.docs)
    } else {
        in_fmt
            .parse_plain(&bytes)
            .map_err(|e| Error::with_source(code::COULD_NOT_READ_INPUT_FILE, name.to_string(), e))?
    };
    let out = out_fmt.emit_plain(&docs, indent);
    crate::tree::zeroize_docs(&mut docs);
    let out = out.map_err(|e| {
        Error::with_source(
            code::ERROR_DUMPING_TREE,
            format!("{name}: Error dumping file"),
            e,
        )
    })?;
    Ok(Zeroizing::new(out))
}

/// Lines of `text`, each with its `\n` (the last one may lack it).
fn lines(text: &[u8]) -> Vec<&[u8]> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, &c) in text.iter().enumerate() {
        if c == b'\n' {
            out.push(&text[start..=i]);
            start = i + 1;
        }
    }
    if start < text.len() {
        out.push(&text[start..]);
    }
    out
}

/// A unified diff (`diff -u` format) of two texts; empty when equal.
///
/// The edit script is the `similar` crate's Myers diff (shortest for
/// ordinary inputs; on very different inputs it settles for a valid,
/// longer script after a bounded amount of work, as git does). Lines end at
/// `\n` only, as for GNU diff; the hunks and their ranges are printed here
/// in GNU diff's format.
pub fn unified(a: &[u8], b: &[u8], name_a: &str, name_b: &str, context: usize) -> Vec<u8> {
    use similar::DiffOp;
    let la = lines(a);
    let lb = lines(b);
    let ops = similar::capture_diff_slices(similar::Algorithm::Myers, &la, &lb);
    let mut out = Vec::new();
    for hunk in similar::group_diff_ops(ops, context) {
        if hunk.iter().all(|op| matches!(op, DiffOp::Equal { .. })) {
            continue;
        }
        if out.is_empty() {
            out.extend_from_slice(format!("--- {name_a}\n+++ {name_b}\n").as_bytes());
        }
        let (Some(first), Some(last)) = (hunk.first(), hunk.last()) else {
            continue;
        };
        let (old, new) = (
            first.old_range().start..last.old_range().end,
            first.new_range().start..last.new_range().end,
        );
        out.extend_from_slice(
            format!(
                "@@ -{} +{} @@\n",
                range(old.start, old.len()),
                range(new.start, new.len())
            )
            .as_bytes(),
        );
        let mut line = |mark: u8, text: &[u8]| {
            out.push(mark);
            out.extend_from_slice(text);
            if !text.ends_with(b"\n") {
                out.extend_from_slice(b"\n\\ No newline at end of file\n");
            }
        };
        for op in &hunk {
            // Within a change, GNU diff shows the removed lines first.
            if let DiffOp::Equal { .. } = op {
                op.old_range().for_each(|i| line(b' ', la[i]));
            } else {
                op.old_range().for_each(|i| line(b'-', la[i]));
                op.new_range().for_each(|i| line(b'+', lb[i]));
            }
        }
    }
    out
}

/// A hunk range as GNU diff prints it: `start,count`, `start` alone for one
/// line, and the line before for an empty range.
fn range(start: usize, count: usize) -> String {
    match count {
        0 => format!("{start},0"),
        1 => format!("{}", start + 1),
        n => format!("{},{n}", start + 1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Apply a unified diff to `a`, checking that each context and removed
    /// line is in `a` where the hunk says; returns the patched text and the
    /// number of lines removed or added.
    fn patch(a: &[u8], diff: &[u8]) -> (Vec<u8>, usize) {
        let la = lines(a);
        let mut dl = lines(diff).into_iter();
        // Per hunk: where it starts in `a`, and its lines with their marks.
        type Hunk = (usize, Vec<(u8, Vec<u8>)>);
        let mut hunks: Vec<Hunk> = Vec::new();
        if !diff.is_empty() {
            assert!(dl.next().unwrap().starts_with(b"--- "));
            assert!(dl.next().unwrap().starts_with(b"+++ "));
        }
        for l in dl {
            if let Some(h) = l.strip_prefix(b"@@ -") {
                let h = std::str::from_utf8(h).unwrap();
                let old = h.split(' ').next().unwrap();
                let (start, count) = match old.split_once(',') {
                    Some((s, c)) => (s.parse::<usize>().unwrap(), c.parse::<usize>().unwrap()),
                    None => (old.parse().unwrap(), 1),
                };
                hunks.push((if count == 0 { start } else { start - 1 }, Vec::new()));
            } else if l == b"\\ No newline at end of file\n" {
                let last = hunks.last_mut().unwrap().1.last_mut().unwrap();
                assert_eq!(last.1.pop(), Some(b'\n'));
            } else {
                hunks.last_mut().unwrap().1.push((l[0], l[1..].to_vec()));
            }
        }
        let (mut out, mut next, mut changed) = (Vec::new(), 0, 0);
        for (start, body) in hunks {
            assert!(start >= next, "hunks overlap or go backwards");
            la[next..start]
                .iter()
                .for_each(|x| out.extend_from_slice(x));
            next = start;
            for (mark, line) in body {
                match mark {
                    b' ' | b'-' => {
                        assert_eq!(la[next], line.as_slice());
                        next += 1;
                        if mark == b' ' {
                            out.extend_from_slice(&line);
                        }
                    }
                    b'+' => out.extend_from_slice(&line),
                    _ => panic!("unexpected mark {mark}"),
                }
                changed += usize::from(mark != b' ');
            }
        }
        la[next..].iter().for_each(|x| out.extend_from_slice(x));
        (out, changed)
    }

    fn lcs_len(a: &[&[u8]], b: &[&[u8]]) -> usize {
        let mut dp = vec![vec![0usize; b.len() + 1]; a.len() + 1];
        for i in (0..a.len()).rev() {
            for j in (0..b.len()).rev() {
                dp[i][j] = if a[i] == b[j] {
                    dp[i + 1][j + 1] + 1
                } else {
                    dp[i + 1][j].max(dp[i][j + 1])
                };
            }
        }
        dp[0][0]
    }

    /// Random texts over a few distinct lines (some without a final
    /// newline): the diff patches the first text into the second, and
    /// changes no more lines than a shortest edit script does.
    #[test]
    fn diffs_apply_and_are_minimal() {
        use rand::{Rng, SeedableRng};
        let mut r = rand::rngs::StdRng::seed_from_u64(1);
        let text = |r: &mut rand::rngs::StdRng| {
            let mut t: Vec<u8> = Vec::new();
            for _ in 0..r.gen_range(0..30) {
                t.extend_from_slice(format!("line {}\n", r.gen_range(0..4)).as_bytes());
            }
            if r.gen_bool(0.2) {
                t.pop();
            }
            t
        };
        for context in [0, 1, 3] {
            for _ in 0..700 {
                let a = text(&mut r);
                let b = text(&mut r);
                let d = unified(&a, &b, "a", "b", context);
                assert_eq!(d.is_empty(), a == b);
                let (patched, changed) = patch(&a, &d);
                assert_eq!(patched, b, "{}", String::from_utf8_lossy(&d));
                let (la, lb) = (lines(&a), lines(&b));
                assert_eq!(changed, la.len() + lb.len() - 2 * lcs_len(&la, &lb));
            }
        }
    }

    /// Texts with nothing in common but one line: a valid diff, quickly.
    #[test]
    fn large_differences_stay_valid_and_bounded() {
        let a: String = (0..12_000).map(|i| format!("{i}\n")).collect();
        let mut b: Vec<String> = (12_000..24_000).map(|i| format!("{i}\n")).collect();
        b[6000] = "6000\n".into();
        let b: String = b.concat();
        let start = std::time::Instant::now();
        let d = unified(a.as_bytes(), b.as_bytes(), "a", "b", 3);
        assert!(start.elapsed() < std::time::Duration::from_secs(10));
        assert_eq!(patch(a.as_bytes(), &d).0, b.as_bytes());
    }

    #[test]
    fn unified_format_like_gnu_diff() {
        let a = b"a\nb\nc\nd\ne\nf\ng\nh\ni\nj\n";
        let b = b"a\nB\nc\nd\ne\nf\ng\nh\ni\nj\nk";
        let out = String::from_utf8(unified(a, b, "x", "y", 3)).unwrap();
        assert_eq!(
            out,
            "--- x\n+++ y\n@@ -1,5 +1,5 @@\n a\n-b\n+B\n c\n d\n e\n@@ -8,3 +8,4 @@\n h\n i\n j\n+k\n\\ No newline at end of file\n"
        );
        assert!(unified(a, a, "x", "y", 3).is_empty());
        let out = String::from_utf8(unified(b"", b"x\n", "x", "y", 3)).unwrap();
        assert_eq!(out, "--- x\n+++ y\n@@ -0,0 +1 @@\n+x\n");
        let out = String::from_utf8(unified(b"a\nb\n", b"a\n", "x", "y", 0)).unwrap();
        assert_eq!(out, "--- x\n+++ y\n@@ -2 +1,0 @@\n-b\n");
    }
}
