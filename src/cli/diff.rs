//! `rsops diff A B`: decrypt two files and print a unified diff of their
//! plaintexts, like `diff -u`. Exit 0 when they are equal, 1 when they
//! differ, 2 or another sops code on errors (never 1).
//!
//! Each file is read in the format of its own name (or `--input-type`) and
//! printed in that format (or `--output-type`), so `a.enc.yaml` and
//! `b.enc.json` can be compared as JSON with `--output-type json`. A file
//! without sops metadata is compared as it reads (parsed and written back by
//! its store), so a plaintext draft can be compared with an encrypted file.

use std::collections::HashMap;
use std::io::Write;

use zeroize::Zeroizing;

use crate::error::{code, Error, Result};

use super::args::Global;
use super::common;

pub fn run(g: &Global, a: &str, b: &str, context: usize) -> Result<i32> {
    let trouble = |e: Error| {
        // 1 means "different", as for diff(1): errors use other codes.
        if e.code == code::ERROR_GENERIC {
            Error::new(code::COULD_NOT_READ_INPUT_FILE, e.msg)
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
        Err(e) => Err(Error::new(
            code::COULD_NOT_WRITE_OUTPUT_FILE,
            format!("could not write the diff: {e}"),
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
        in_fmt.parse_plain(&bytes).map_err(|e| {
            Error::new(
                code::COULD_NOT_READ_INPUT_FILE,
                format!("{name}: {}", e.msg),
            )
        })?
    };
    let out = out_fmt.emit_plain(&docs, indent);
    crate::tree::zeroize_docs(&mut docs);
    let out = out.map_err(|e| {
        Error::new(
            code::ERROR_DUMPING_TREE,
            format!("{name}: Error dumping file: {}", e.msg),
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

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    Equal,
    Delete,
    Insert,
}

/// A line-by-line edit script from `a` to `b` (Myers' O(ND) algorithm with
/// the linear-space middle-snake bisection).
pub fn diff_lines<T: Eq>(a: &[T], b: &[T]) -> Vec<Op> {
    let mut out = Vec::with_capacity(a.len().max(b.len()));
    diff_rec(a, b, &mut out);
    out
}

fn diff_rec<T: Eq>(a: &[T], b: &[T], out: &mut Vec<Op>) {
    let pre = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let (a2, b2) = (&a[pre..], &b[pre..]);
    let suf = a2
        .iter()
        .rev()
        .zip(b2.iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let (a3, b3) = (&a2[..a2.len() - suf], &b2[..b2.len() - suf]);
    out.extend(std::iter::repeat_n(Op::Equal, pre));
    if a3.is_empty() {
        out.extend(std::iter::repeat_n(Op::Insert, b3.len()));
    } else if b3.is_empty() {
        out.extend(std::iter::repeat_n(Op::Delete, a3.len()));
    } else {
        match bisect(a3, b3) {
            Some((x, y)) => {
                diff_rec(&a3[..x], &b3[..y], out);
                diff_rec(&a3[x..], &b3[y..], out);
            }
            None => {
                out.extend(std::iter::repeat_n(Op::Delete, a3.len()));
                out.extend(std::iter::repeat_n(Op::Insert, b3.len()));
            }
        }
    }
    out.extend(std::iter::repeat_n(Op::Equal, suf));
}

/// Edit distance beyond which [`bisect`] gives up on a region.
const MAX_EDITS: isize = 4096;

/// Find the middle snake of a shortest edit script; returns where to split.
fn bisect<T: Eq>(a: &[T], b: &[T]) -> Option<(usize, usize)> {
    let n = a.len() as isize;
    let m = b.len() as isize;
    let max_d = (n + m + 1) / 2;
    let off = max_d;
    let len = (2 * max_d + 2) as usize;
    let mut v1 = vec![-1isize; len];
    let mut v2 = vec![-1isize; len];
    v1[(off + 1) as usize] = 0;
    v2[(off + 1) as usize] = 0;
    let delta = n - m;
    let front = delta % 2 != 0;
    let (mut k1start, mut k1end, mut k2start, mut k2end) = (0isize, 0isize, 0isize, 0isize);
    // Past this many edits the exact answer costs too much: the region is
    // then shown as removed and added (a valid, not minimal, diff).
    for d in 0..max_d.min(MAX_EDITS) {
        let mut k1 = -d + k1start;
        while k1 <= d - k1end {
            let k1o = (off + k1) as usize;
            let mut x1 = if k1 == -d || (k1 != d && v1[k1o - 1] < v1[k1o + 1]) {
                v1[k1o + 1]
            } else {
                v1[k1o - 1] + 1
            };
            let mut y1 = x1 - k1;
            while x1 < n && y1 < m && a[x1 as usize] == b[y1 as usize] {
                x1 += 1;
                y1 += 1;
            }
            v1[k1o] = x1;
            if x1 > n {
                k1end += 2;
            } else if y1 > m {
                k1start += 2;
            } else if front {
                let k2o = off + delta - k1;
                if k2o >= 0 && (k2o as usize) < len && v2[k2o as usize] != -1 {
                    let x2 = n - v2[k2o as usize];
                    if x1 >= x2 {
                        return Some((x1 as usize, y1 as usize));
                    }
                }
            }
            k1 += 2;
        }
        let mut k2 = -d + k2start;
        while k2 <= d - k2end {
            let k2o = (off + k2) as usize;
            let mut x2 = if k2 == -d || (k2 != d && v2[k2o - 1] < v2[k2o + 1]) {
                v2[k2o + 1]
            } else {
                v2[k2o - 1] + 1
            };
            let mut y2 = x2 - k2;
            while x2 < n && y2 < m && a[(n - x2 - 1) as usize] == b[(m - y2 - 1) as usize] {
                x2 += 1;
                y2 += 1;
            }
            v2[k2o] = x2;
            if x2 > n {
                k2end += 2;
            } else if y2 > m {
                k2start += 2;
            } else if !front {
                let k1o = off + delta - k2;
                if k1o >= 0 && (k1o as usize) < len && v1[k1o as usize] != -1 {
                    let x1 = v1[k1o as usize];
                    let y1 = off + x1 - k1o;
                    if x1 >= n - x2 {
                        return Some((x1 as usize, y1 as usize));
                    }
                }
            }
            k2 += 2;
        }
    }
    None
}

/// A unified diff (`diff -u` format) of two texts; empty when equal.
pub fn unified(a: &[u8], b: &[u8], name_a: &str, name_b: &str, context: usize) -> Vec<u8> {
    let la = lines(a);
    let lb = lines(b);
    // Compare line numbers instead of bytes.
    let mut ids: HashMap<&[u8], u32> = HashMap::new();
    let mut ia = Vec::with_capacity(la.len());
    let mut ib = Vec::with_capacity(lb.len());
    for (ls, out) in [(&la, &mut ia), (&lb, &mut ib)] {
        for l in ls.iter() {
            let next = ids.len() as u32;
            out.push(*ids.entry(*l).or_insert(next));
        }
    }
    let ops = diff_lines(&ia, &ib);
    // Positions in a and b before each op.
    let mut pos = Vec::with_capacity(ops.len() + 1);
    let (mut i, mut j) = (0usize, 0usize);
    for op in &ops {
        pos.push((i, j));
        match op {
            Op::Equal => {
                i += 1;
                j += 1;
            }
            Op::Delete => i += 1,
            Op::Insert => j += 1,
        }
    }
    pos.push((i, j));
    let changes: Vec<usize> = (0..ops.len()).filter(|&k| ops[k] != Op::Equal).collect();
    let mut out = Vec::new();
    if changes.is_empty() {
        return out;
    }
    out.extend_from_slice(format!("--- {name_a}\n+++ {name_b}\n").as_bytes());
    // Group changes whose context overlaps into hunks.
    let mut h = 0;
    while h < changes.len() {
        let first = changes[h];
        let mut last = first;
        let mut next = h + 1;
        while next < changes.len() && changes[next] - last <= 2 * context + 1 {
            last = changes[next];
            next += 1;
        }
        let start = first.saturating_sub(context);
        let end = (last + 1 + context).min(ops.len());
        let (sa, sb) = pos[start];
        let (ea, eb) = pos[end];
        out.extend_from_slice(
            format!("@@ -{} +{} @@\n", range(sa, ea - sa), range(sb, eb - sb)).as_bytes(),
        );
        for k in start..end {
            let (pa, pb) = pos[k];
            let (mark, line) = match ops[k] {
                Op::Equal => (b' ', la[pa]),
                Op::Delete => (b'-', la[pa]),
                Op::Insert => (b'+', lb[pb]),
            };
            out.push(mark);
            out.extend_from_slice(line);
            if !line.ends_with(b"\n") {
                out.extend_from_slice(b"\n\\ No newline at end of file\n");
            }
        }
        h = next;
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

    fn apply(a: &[u8], b: &[u8], ops: &[Op]) -> (Vec<u8>, Vec<u8>) {
        let (mut i, mut j) = (0, 0);
        let (mut ra, mut rb) = (Vec::new(), Vec::new());
        for op in ops {
            match op {
                Op::Equal => {
                    assert_eq!(a[i], b[j]);
                    ra.push(a[i]);
                    rb.push(b[j]);
                    i += 1;
                    j += 1;
                }
                Op::Delete => {
                    ra.push(a[i]);
                    i += 1;
                }
                Op::Insert => {
                    rb.push(b[j]);
                    j += 1;
                }
            }
        }
        (ra, rb)
    }

    fn lcs_len(a: &[u8], b: &[u8]) -> usize {
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

    #[test]
    fn edit_scripts_are_valid_and_minimal() {
        use rand::{Rng, SeedableRng};
        let mut r = rand::rngs::StdRng::seed_from_u64(1);
        for _ in 0..2000 {
            let a: Vec<u8> = (0..r.gen_range(0..30)).map(|_| r.gen_range(0..4)).collect();
            let b: Vec<u8> = (0..r.gen_range(0..30)).map(|_| r.gen_range(0..4)).collect();
            let ops = diff_lines(&a, &b);
            assert_eq!(apply(&a, &b, &ops), (a.clone(), b.clone()));
            let eq = ops.iter().filter(|o| **o == Op::Equal).count();
            assert_eq!(eq, lcs_len(&a, &b), "{a:?} {b:?}");
        }
    }

    #[test]
    fn large_differences_stay_valid_and_bounded() {
        let a: Vec<u32> = (0..12_000).collect();
        let mut b: Vec<u32> = (12_000..24_000).collect();
        b[6000] = 6000;
        let ops = diff_lines(&a, &b);
        let (mut i, mut j) = (0, 0);
        for op in &ops {
            match op {
                Op::Equal => {
                    assert_eq!(a[i], b[j]);
                    i += 1;
                    j += 1;
                }
                Op::Delete => i += 1,
                Op::Insert => j += 1,
            }
        }
        assert_eq!((i, j), (a.len(), b.len()));
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
