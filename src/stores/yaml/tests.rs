//! Tests for the YAML store. The corpus under `testdata/yaml-corpus` holds
//! inputs (`NAME.yaml`) and what sops 3.11 prints for them after an
//! encrypt/decrypt round trip (`NAME.expected.yaml`). sops 3.13 prints the
//! same for them: encrypted comments lose their end-of-line place when
//! they are decrypted. The round trip here skips the encryption, so it
//! reads the input as sops 3.11 did ([`parse_311`]).

use super::*;
use std::path::{Path, PathBuf};

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/yaml-corpus")
}

fn corpus_inputs() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(corpus_dir())
        .expect("corpus dir")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            let n = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
            n.ends_with(".yaml") && !n.ends_with(".expected.yaml") && !n.ends_with(".enc.yaml")
        })
        .collect();
    v.sort();
    v
}

/// Parse as sops before 3.13 did: no comment is an end-of-line comment.
fn parse_311(input: &[u8]) -> Result<Vec<Branch>> {
    let mut docs = parse(input)?;
    for d in &mut docs {
        no_inline_comments(d);
    }
    Ok(docs)
}

fn roundtrip(input: &[u8]) -> std::result::Result<Vec<u8>, String> {
    let docs = parse_311(input).map_err(|e| e.to_string())?;
    emit(&docs, 4).map_err(|e| e.to_string())
}

fn show(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

#[test]
fn corpus_matches_sops() {
    let mut failures = Vec::new();
    let inputs = corpus_inputs();
    assert!(inputs.len() >= 40, "corpus too small");
    for input in inputs {
        let expected_path = input.with_extension("expected.yaml");
        let src = std::fs::read(&input).expect("read input");
        let expected = std::fs::read(&expected_path).expect("read expected");
        match roundtrip(&src) {
            Ok(out) if out == expected => {}
            Ok(out) => failures.push(format!(
                "{}: output differs\n--- expected\n{}--- got\n{}",
                input.display(),
                show(&expected),
                show(&out)
            )),
            Err(e) => failures.push(format!("{}: error {e}", input.display())),
        }
        match roundtrip(&expected) {
            Ok(out) if out == expected => {}
            Ok(out) => failures.push(format!(
                "{}: not idempotent\n--- expected\n{}--- got\n{}",
                expected_path.display(),
                show(&expected),
                show(&out)
            )),
            Err(e) => failures.push(format!("{}: error {e}", expected_path.display())),
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Real sops-encrypted files parse and re-emit byte for byte.
#[test]
fn encrypted_files_roundtrip() {
    let dir = corpus_dir().join("encrypted");
    let mut n = 0;
    for e in std::fs::read_dir(&dir).expect("encrypted dir") {
        let p = e.expect("entry").path();
        let src = std::fs::read(&p).expect("read");
        let out = roundtrip(&src).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
        assert_eq!(show(&out), show(&src), "{}", p.display());
        n += 1;
    }
    assert!(n >= 2);
}

fn parse_err(input: &[u8]) -> String {
    match parse(input) {
        Ok(d) => panic!("expected an error, got {d:?}"),
        Err(e) => {
            assert!(matches!(e, crate::stores::StoreError::Read(_)), "{}", e);
            e.to_string()
        }
    }
}

/// What sops reads but its tree walker refuses (exit code 23 when
/// encrypting): a key that is not a string, an integer beyond int64. Told
/// apart from parse errors by their kind, with sops' words and Go types.
#[test]
fn refuses_what_sops_cannot_walk() {
    for (doc, what) in [
        (
            &b"1: a\n"[..],
            "non-string key (type int) at line 1, column 1",
        ),
        (
            b"a:\n  true: x\n",
            "non-string key (type bool) at line 2, column 3",
        ),
        (b"~: a\n", "(type <nil>)"),
        (b"1.5: a\n", "(type float64)"),
        (b"2001-01-01: a\n", "(type time.Time)"),
        (b"18446744073709551615: a\n", "(type uint64)"),
        (b"!!binary /w==: a\n", "(type []uint8)"),
        (
            b"a: 18446744073709551615\n",
            "Cannot walk value, unknown type: uint64",
        ),
        (
            b"a: [1, {b: 18446744073709551615}]\n",
            "unknown type: uint64",
        ),
        // In a later document too (sops walks every document).
        (b"a: 1\n---\n2: b\n", "(type int) at line 3, column 1"),
    ] {
        let e = parse(doc).unwrap_err();
        assert!(matches!(e, crate::stores::StoreError::Unwalkable(_)), "{e}");
        assert!(
            e.to_string().starts_with("Error walking tree: "),
            "{}",
            e.to_string()
        );
        assert!(e.to_string().contains(what), "{}", e.to_string());
    }
    let e = parse(b"1: a\n").unwrap_err();
    let e = crate::stores::read_error(e, true, "f.yaml", 2, String::new);
    assert_eq!(e.code(), crate::error::code::ERROR_DECRYPTING_TREE);
    assert!(e
        .report()
        .to_string()
        .starts_with("Error decrypting tree: Error walking tree: Tree contains"));
    assert!(e.report().to_string().ends_with("(in f.yaml)"));
    let e = crate::stores::read_error(
        parse(b"1: a\n").unwrap_err(),
        false,
        "f.yaml",
        2,
        String::new,
    );
    assert_eq!(e.code(), crate::error::code::ERROR_ENCRYPTING_TREE);
}

#[test]
fn rejects_what_sops_rejects() {
    assert!(parse_err(b"a: 1\na: 2\n").contains("already defined at line 1"));
    assert!(parse_err(b"- a\n- b\n").contains("sequences are not supported"));
    assert!(parse_err(b"just a scalar\n").contains("values are not supported"));
    assert!(parse_err(b"a: \xff\xfe\n").contains("invalid UTF-8"));
    assert!(parse_err(b"a:\n\tb: 1\n").contains("line"));
    assert!(parse_err(b"a: \x01\n").contains("control characters"));
    assert!(parse_err(b"[1]: a\n").contains("complex (collection) key"));
    assert!(parse_err(b"# only a comment\n").contains("no YAML document"));
    assert!(parse_err(b"a: *nope\n").contains("unknown anchor"));
    assert!(parse_err(b"a: !!int abc\n").contains("cannot decode"));
    assert!(parse_err(b"a: [1, 2\n").contains("line"));
    assert!(parse_err(b"a: 'unterminated\n").contains("line"));
    assert!(parse_err(b"a: &x [*x]\n").contains("contains itself"));
    // Secrets never appear in messages.
    let m = parse_err(b"a: 1\nb: !!int s3cr3tvalue\n");
    assert!(!m.contains("s3cr3t"), "{m}");
}

#[test]
fn accepts_empty_and_null_documents() {
    assert_eq!(parse(b"").unwrap(), Vec::<Branch>::new());
    assert_eq!(parse(b"---\n").unwrap(), vec![Branch::new()]);
    assert_eq!(parse(b"null\n").unwrap(), vec![Branch::new()]);
    assert_eq!(emit(&[Branch::new()], 4).unwrap(), b"{}\n");
    assert_eq!(emit(&[], 4).unwrap(), b"");
    // Duplicate keys are only checked in the first document (as sops does).
    assert_eq!(parse(b"a: 1\n---\nb: 1\nb: 2\n").unwrap().len(), 2);
}

#[test]
fn alias_bomb_is_rejected() {
    let mut s = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..12 {
        let p = i - 1;
        s.push_str(&format!(
            "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
        ));
    }
    assert!(parse_err(s.as_bytes()).contains("excessive aliasing"));
    // Also in a later document, where sops has no check.
    let later = format!("x: 1\n---\n{s}");
    assert!(parse_err(later.as_bytes()).contains("excessive aliasing"));
}

#[test]
fn alias_expansion_is_limited_in_bytes() {
    // Few nodes (go-yaml's node-count guard lets this through), many bytes:
    // a 2 MiB anchored string and 1000 aliases would be 2 GB of copies.
    let big = "x".repeat(2 << 20);
    let mut s = format!("big: &big {big}\nl:\n");
    for _ in 0..1000 {
        s.push_str("  - *big\n");
    }
    let m = parse_err(s.as_bytes());
    assert!(
        m.contains("*big")
            && m.contains("&big")
            && m.contains("line ")
            && m.contains("fewer aliases"),
        "{m}"
    );
    assert!(!m.contains("xxxx"), "the message quotes no value: {m}");
    // The limit scales with the input: 10 times its size, at least 16 MiB.
    assert_eq!(alias_budget(0), 16 << 20);
    assert_eq!(alias_budget(10 << 20), 100 << 20);
    let ok = format!("big: &big {big}\nl: [*big, *big, *big, *big, *big]\n");
    assert_eq!(parse(ok.as_bytes()).unwrap()[0].len(), 2);
    // Keys, maps (with their keys and comments) and nested aliases count.
    let key = "k: &k kkkkkkkkkk\n*k : 1\n";
    assert!(parse(key.as_bytes()).is_ok());
    assert!(parse_with_alias_budget(key.as_bytes(), 9).is_err());
    assert!(parse_with_alias_budget(key.as_bytes(), 10).is_ok());
    let map = "m: &m\n  # cc\n  ab: cd\nn: *m\n";
    // "ab" + "cd" + the comment " cc" with its '#'.
    assert!(parse_with_alias_budget(map.as_bytes(), 7).is_err());
    assert!(parse_with_alias_budget(map.as_bytes(), 8).is_ok());
    let nested = "a: &a xxxx\nb: &b [*a, *a]\nc: [*b, *b]\n";
    // b's expansions copy 2 x 4 bytes, c's copy 2 x (0 + 2 x 4).
    assert!(parse_with_alias_budget(nested.as_bytes(), 23).is_err());
    assert!(parse_with_alias_budget(nested.as_bytes(), 24).is_ok());
    // Merge keys of a defaults block: the common use, far below the limit.
    let merge = "d: &d {a: 1, b: two}\nx:\n  <<: *d\n  c: 3\ny:\n  <<: *d\n";
    let docs = parse(merge.as_bytes()).unwrap();
    assert_eq!(docs[0].len(), 3);
}

#[test]
fn deep_nesting_is_an_error_not_a_crash() {
    let flow = "[".repeat(100_000);
    assert!(parse_err(format!("a: {flow}").as_bytes()).contains("max depth"));
    let mut block = String::new();
    for i in 0..10_050 {
        block.push_str(&" ".repeat(i));
        block.push_str("k:\n");
    }
    assert!(parse_err(block.as_bytes()).contains("max depth"));
    let dashes = "- ".repeat(20_000);
    assert!(parse_err(format!("a:\n  {dashes}x\n").as_bytes()).contains("max depth"));
    // Each kind within go-yaml's limits, but deeper than the tree allows.
    let both = format!(
        "a:\n  {}{}1{}\n",
        "- ".repeat(6_000),
        "[".repeat(6_000),
        "]".repeat(6_000)
    );
    assert!(parse_err(both.as_bytes()).contains("nesting deeper than"));
}

#[test]
fn deep_but_allowed_nesting_works() {
    // The deepest tree allowed (block lists holding flow lists): parsed,
    // emitted, re-parsed and dropped within a test thread's stack.
    let input = format!(
        "a:\n  {}{}1{}\n",
        "- ".repeat(5_000),
        "[".repeat(4_999),
        "]".repeat(4_999)
    );
    let docs = parse(input.as_bytes()).expect("parse");
    let depth = 9_999;
    let out = emit(&docs, 4).expect("emit");
    assert!(out.len() > depth);
    let again = emit(&parse(&out).expect("reparse"), 4).expect("re-emit");
    assert_eq!(again, out);
}

#[test]
fn emit_value_forms() {
    let v = Value::Map(vec![
        Item::new("a", Value::Int(1)),
        Item::new("b", Value::List(vec![Value::Str("x".into())])),
    ]);
    assert_eq!(show(&emit_value(&v, 4).unwrap()), "a: 1\nb:\n    - x\n");
    assert_eq!(
        show(&emit_value(&Value::Str("hello".into()), 4).unwrap()),
        "hello\n"
    );
    assert_eq!(
        show(&emit_value(&Value::List(vec![Value::Int(1)]), 4).unwrap()),
        "- 1\n"
    );
}

#[test]
fn tree_shapes() {
    let docs = parse(b"# top\na: 1 # line\nb:\n  - x # in list\n").unwrap();
    let d = &docs[0];
    assert_eq!(d[0], Item::comment(Comment::new(" top")));
    // sops puts a value's line comment before the entry.
    assert_eq!(
        d[1],
        Item::comment(Comment {
            value: " line".into(),
            inline: true
        })
    );
    assert_eq!(d[2], Item::new("a", Value::Int(1)));
    assert_eq!(
        d[3].value,
        Value::List(vec![
            Value::Comment(Comment {
                value: " in list".into(),
                inline: true
            }),
            Value::Str("x".into()),
        ])
    );
    let t = parse(b"t: 2024-01-01\nb: !!binary //79\n").unwrap();
    assert_eq!(t[0][0].value, Value::Time("2024-01-01T00:00:00Z".into()));
    assert_eq!(t[0][1].value, Value::Bytes(vec![0xff, 0xfe, 0xfd]));
}

#[test]
fn indent_setting() {
    let docs = parse(b"a:\n  b:\n    - 1\n").unwrap();
    assert_eq!(show(&emit(&docs, 2).unwrap()), "a:\n  b:\n    - 1\n");
    assert_eq!(show(&emit(&docs, 4).unwrap()), "a:\n    b:\n        - 1\n");
}

#[test]
#[ignore]
fn print_roundtrip() {
    let p = std::env::var("YAML_FILE").expect("YAML_FILE");
    let src = std::fs::read(&p).expect("read");
    match parse(&src) {
        Ok(d) => {
            eprintln!("{d:#?}");
            eprintln!("{}", show(&emit(&d, 4).unwrap()));
        }
        Err(e) => eprintln!("ERROR {}", e),
    }
}

/// Differential testing helper: for every `*.yaml` in `$YAML_DIR`, writes
/// our round trip (or `ERROR`) to `*.ours`.
#[test]
#[ignore]
fn write_roundtrips() {
    let dir = std::env::var("YAML_DIR").expect("YAML_DIR");
    for e in std::fs::read_dir(&dir).expect("dir") {
        let p = e.expect("entry").path();
        if p.extension().and_then(|x| x.to_str()) != Some("yaml") {
            continue;
        }
        let src = std::fs::read(&p).expect("read");
        let out = match roundtrip(&src) {
            Ok(o) => o,
            Err(m) => format!("ERROR\n{m}\n").into_bytes(),
        };
        std::fs::write(p.with_extension("ours"), out).expect("write");
    }
}

/// What sops does to a plain file when nothing gets encrypted
/// (`--encrypted-regex` matching nothing): parse, append the `sops`
/// metadata map, emit; then parse that, drop the `sops` entry, emit.
fn sops_cycle(input: &[u8]) -> std::result::Result<Vec<u8>, String> {
    let mut docs = parse_311(input).map_err(|e| e.to_string())?;
    let meta = Value::Map(vec![
        Item::new("lastmodified", Value::Str("2025-01-01T00:00:00Z".into())),
        Item::new("version", Value::Str("3.11.0".into())),
    ]);
    for d in &mut docs {
        d.push(Item::new("sops", meta.clone()));
    }
    let enc = emit(&docs, 4).map_err(|e| e.to_string())?;
    let mut docs = parse(&enc).map_err(|e| format!("re-parse: {}", e))?;
    for d in &mut docs {
        d.retain(|i| i.key_str() != Some("sops"));
    }
    emit(&docs, 4).map_err(|e| e.to_string())
}

/// Inputs whose expected output is what sops prints after `sops encrypt
/// --encrypted-regex '^zzznomatch$'` then `sops decrypt` (nothing gets
/// encrypted, so the output shows the store alone, through both of sops'
/// parse/emit cycles). `NAME.error` marks inputs sops rejects.
#[test]
fn cycle_corpus_matches_sops() {
    let dir = corpus_dir().join("cycle");
    let mut inputs: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("cycle dir")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            let n = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
            n.ends_with(".yaml") && !n.ends_with(".expected.yaml")
        })
        .collect();
    inputs.sort();
    assert!(inputs.len() >= 100, "cycle corpus too small");
    let mut failures = Vec::new();
    for input in inputs {
        let src = std::fs::read(&input).expect("read input");
        let got = sops_cycle(&src);
        let error_marker = input.with_extension("error");
        if error_marker.exists() {
            if let Ok(out) = got {
                failures.push(format!(
                    "{}: sops rejects it, we printed\n{}",
                    input.display(),
                    show(&out)
                ));
            }
            continue;
        }
        let expected = std::fs::read(input.with_extension("expected.yaml")).expect("read expected");
        match got {
            Ok(out) if out == expected => {}
            Ok(out) => failures.push(format!(
                "{}: output differs\n--- expected\n{}--- got\n{}",
                input.display(),
                show(&expected),
                show(&out)
            )),
            Err(e) => failures.push(format!("{}: error {e}", input.display())),
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Differential testing helper: `*.cycle` files with [`sops_cycle`].
#[test]
#[ignore]
fn write_sops_cycles() {
    let dir = std::env::var("YAML_DIR").expect("YAML_DIR");
    for e in std::fs::read_dir(&dir).expect("dir") {
        let p = e.expect("entry").path();
        if p.extension().and_then(|x| x.to_str()) != Some("yaml") {
            continue;
        }
        let src = std::fs::read(&p).expect("read");
        let out = match sops_cycle(&src) {
            Ok(o) => o,
            Err(m) => format!("ERROR\n{m}\n").into_bytes(),
        };
        std::fs::write(p.with_extension("cycle"), out).expect("write");
    }
}

/// A YAML file of about `target` bytes with comments, nesting, lists,
/// block scalars and varied scalar types.
fn big_yaml(target: usize) -> String {
    let mut s = String::with_capacity(target + 1024);
    let mut i = 0usize;
    while s.len() < target {
        s.push_str(&format!(
            "# service {i}\nservice_{i}:\n    name: svc-{i} # the name\n    port: {}\n    ratio: {}.25\n    enabled: {}\n    created: 2024-01-{:02}\n    tags: [a, b, \"c d\"]\n    env:\n        - name: KEY_{i}\n          value: \"some value with: colon\"\n        - name: OTHER\n          value: 'single'\n    script: |\n        echo hello {i}\n        exit 0\n    # end of service {i}\n\n",
            8000 + i % 1000,
            i,
            i & 1 == 0,
            i % 28 + 1
        ));
        i += 1;
    }
    s
}

#[test]
#[ignore]
fn speed() {
    let input = big_yaml(1 << 20);
    // The best of several runs (the machine may be busy).
    let mut best_parse = std::time::Duration::MAX;
    let mut best_all = std::time::Duration::MAX;
    let mut out = Vec::new();
    for _ in 0..15 {
        let t = std::time::Instant::now();
        let docs = parse(input.as_bytes()).expect("parse");
        let t_parse = t.elapsed();
        out = emit(&docs, 4).expect("emit");
        let t_all = t.elapsed();
        drop(docs);
        best_parse = best_parse.min(t_parse);
        best_all = best_all.min(t_all);
    }
    eprintln!(
        "input {} bytes, output {} bytes: best parse {:?}, best parse+emit {:?}",
        input.len(),
        out.len(),
        best_parse,
        best_all
    );
    // The emitted text is stable.
    assert_eq!(
        emit(&parse(&out).expect("reparse"), 4).expect("re-emit"),
        out
    );
}

#[test]
#[ignore]
fn speed_phases() {
    let input = big_yaml(1 << 20);
    let text = read_input(input.as_bytes()).unwrap();
    let text: &str = &text;
    for _ in 0..3 {
        let t = std::time::Instant::now();
        let mut p = parser::Parser::new(text.as_bytes());
        let mut n = 0;
        loop {
            let ev = p.next_event().unwrap();
            n += 1;
            if ev.kind == parser::EventKind::StreamEnd {
                break;
            }
        }
        let t_events = t.elapsed();
        let t = std::time::Instant::now();
        let mut c = node::Composer::new(text);
        let doc = c.next_document().unwrap().unwrap();
        let t_compose = t.elapsed();
        let t = std::time::Instant::now();
        let branch = Walker::new(&c.arena, true, u64::MAX).document(doc).unwrap();
        let t_walk = t.elapsed();
        let t = std::time::Instant::now();
        let mut em = emitter::Emitter::new(4);
        start_stream(&mut em).unwrap();
        encode::encode_document(encode::Root::Branch(&branch), &mut em)
            .ok()
            .unwrap();
        em.finish().ok().unwrap();
        let t_emit = t.elapsed();
        let t = std::time::Instant::now();
        drop(branch);
        drop(c);
        let t_drop = t.elapsed();
        eprintln!("{n} events {t_events:?}; compose {t_compose:?}; walk {t_walk:?}; emit {t_emit:?}; drop {t_drop:?}");
    }
}

/// For instruction counting: one parse and emit of the 1 MiB input.
#[test]
#[ignore]
fn speed_once() {
    let input = big_yaml(1 << 20);
    let docs = parse(input.as_bytes()).expect("parse");
    let out = emit(&docs, 4).expect("emit");
    assert!(out.len() > input.len() / 2);
}

/// For instruction counting: the input generation alone.
#[test]
#[ignore]
fn speed_gen_only() {
    let input = big_yaml(1 << 20);
    assert!(input.len() >= 1 << 20);
}

/// Random mutations of the corpus: parse and emit must never panic.
#[test]
fn mutations_never_panic() {
    let iterations: usize = std::env::var("YAML_FUZZ_ITERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3000);
    let seeds: Vec<Vec<u8>> = corpus_inputs()
        .iter()
        .map(|p| std::fs::read(p).expect("read"))
        .collect();
    let pieces: &[&[u8]] = &[
        b"- ",
        b": ",
        b"#",
        b"\n",
        b"  ",
        b"\t",
        b"[",
        b"]",
        b"{",
        b"}",
        b",",
        b"&a ",
        b"*a",
        b"!!str ",
        b"? ",
        b"|",
        b">-",
        b"'",
        b"\"",
        b"\\",
        b"---\n",
        b"...\n",
        b"%YAML 1.1\n",
        b"\r\n",
        b"<<: *a\n",
        b"\xc2\x85",
        b"\xe2\x80\xa8",
        b"\xef\xbb\xbf",
        b"\x00",
        b"\xff",
        b"!",
        b"%",
        b"@",
        b"`",
        b"&",
        b"*",
    ];
    let mut state: u64 = std::env::var("YAML_FUZZ_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0x9E37_79B9_7F4A_7C15);
    let mut rnd = move |n: usize| -> usize {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % n.max(1) as u64) as usize
    };
    for _ in 0..iterations {
        let mut doc = seeds[rnd(seeds.len())].clone();
        for _ in 0..1 + rnd(4) {
            let pos = rnd(doc.len() + 1);
            match rnd(3) {
                0 => {
                    let p = pieces[rnd(pieces.len())];
                    doc.splice(pos..pos, p.iter().copied());
                }
                1 => {
                    let end = (pos + 1 + rnd(6)).min(doc.len());
                    doc.drain(pos.min(end)..end);
                }
                _ => {
                    if pos < doc.len() {
                        doc[pos] = rnd(256) as u8;
                    }
                }
            }
        }
        if let Ok(docs) = parse(&doc) {
            let out = emit(&docs, 1 + rnd(9)).expect("emit of a parsed tree");
            // What we print we can read back.
            parse(&out).unwrap_or_else(|e| {
                panic!(
                    "re-parse failed: {}\ninput: {:?}\noutput: {}",
                    e,
                    show(&doc),
                    show(&out)
                )
            });
        }
    }
}

/// sops 3.13 keeps end-of-line comments of mapping values and list items
/// at the end of their line: these round trips are exact (the examples of
/// sops' own 3.13 tests, written out here).
#[test]
fn end_of_line_comments_stay_at_the_end_of_the_line() {
    for text in [
        "key1: value1 # inline comment\nkey2: value2\n# head comment\nkey3: value3 # another inline\n",
        "items:\n    - value1 # inline on list item\n    - value2\n",
        "parent:\n    child1: value1 # nested inline\n    child2: value2\n",
        "a: 1 # one\nb:\n    - x # two\n    - z\n# three\nc: 3 # four\n",
    ] {
        let docs = parse(text.as_bytes()).unwrap();
        assert_eq!(show(&emit(&docs, 4).unwrap()), text);
    }
    // Which line comments are end-of-line ones: a scalar value's and a
    // list item's. A key's (before a nested block) and a collection's are
    // ordinary comments, written as sops 3.11 writes them.
    let text = b"a: # on the key\n    b: 1\nl: [1, 2] # on a flow list\n";
    let docs = parse(text).unwrap();
    let mut marks = Vec::new();
    for it in &docs[0] {
        match (&it.key, &it.value) {
            (crate::tree::Key::Comment(c), _) => marks.push(c.inline),
            (_, Value::List(l)) => marks.extend(l.iter().filter_map(|v| match v {
                Value::Comment(c) => Some(c.inline),
                _ => None,
            })),
            _ => {}
        }
    }
    assert_eq!(marks, [false, false]);
    assert_eq!(
        emit(&docs, 4).unwrap(),
        emit(&parse_311(text).unwrap(), 4).unwrap()
    );
    // Several before one entry: go-yaml gets them joined as the value's
    // line comment and writes the second on a line of its own after a
    // blank line (its emitter's way with multi-line line comments); an
    // end-of-line comment left after the last entry goes below it, after
    // the others.
    let docs = vec![vec![
        Item::comment(Comment {
            value: " a".into(),
            inline: true,
        }),
        Item::comment(Comment {
            value: " b".into(),
            inline: true,
        }),
        Item::new("k", Value::Str("v".into())),
        Item::comment(Comment {
            value: " c".into(),
            inline: true,
        }),
        Item::comment(Comment::new(" d")),
    ]];
    assert_eq!(
        show(&emit(&docs, 4).unwrap()),
        "k: v # a\n\n# b\n# d\n# c\n"
    );
}

/// A file written by a sops older than 3.13 is read as that sops read it:
/// an end-of-line comment (added by hand) goes back on its own line when
/// the file is written again, byte for byte as sops 3.11 writes it. From
/// 3.13.0 on, it stays.
#[test]
fn files_of_older_sops_keep_their_comment_placement() {
    let file =
        |version: &str| format!("a: x # note\nl:\n    - z # item\nsops:\n    version: {version}\n");
    for (version, kept) in [
        ("3.11.0", false),
        ("3.12.2", false),
        ("2.0.10", false),
        ("3.13.0", true),
        ("3.13.2", true),
        ("3.14.0", true),
    ] {
        let text = file(version);
        let docs = parse(text.as_bytes()).unwrap();
        let out = show(&emit(&docs, 4).unwrap());
        if kept {
            assert_eq!(out, text, "{version}");
        } else {
            assert_eq!(
                out,
                format!("# note\na: x\nl:\n    # item\n    - z\nsops:\n    version: {version}\n"),
                "{version}"
            );
        }
    }
}
