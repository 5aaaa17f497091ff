//! rsops as KSOPS (viaduct-ai/kustomize-sops v4.5.1): the binary run under
//! the name `ksops` or `kustomize-sops` behaves as KSOPS does.
//!
//! * `ksops` with a ResourceList on stdin: a KRM function (kustomize with
//!   `--enable-exec`, kpt `--exec`). Every item is a generator; the output
//!   ResourceList holds what they generated, sorted, in kyaml's layout.
//! * `ksops FILE`: a legacy kustomize exec plugin; the generated manifests
//!   go to stdout as KSOPS prints them.
//! * `ksops install [--with-kustomize] DIR`: copy the binary (for Argo CD
//!   init containers without a shell).
//!
//! Successful output is byte for byte KSOPS'. Errors say more (which
//! generator, which file, each recipient's failure) and never print the
//! decrypted text; some cases where KSOPS silently generates nothing fail
//! here (see `generator::generate`).

use std::io::{Read, Write};

use super::generator::{generate, not_a_generator, Generator};
use crate::error::{code, Error, Result};
use crate::stores::yaml::nodes::{self, Layout, YKind, YNode};

/// KSOPS' help text (stderr).
pub const HELP: &str = "
KSOPS is a flexible kustomize plugin for SOPS encrypted resources.
KSOPS supports both legacy and KRM style exec kustomize functions.

kustomize Usage:
- kustomize build --enable-alpha-plugins --enable-exec

Standalone Usage :
- Legacy: ksops secret-generator.yaml
- KRM: cat secret-generator.yaml | ksops

Install Usage (copy ksops binary to a target directory):
- ksops install /custom-tools
- ksops install --with-kustomize /custom-tools
";

/// The names under which the binary is KSOPS.
pub fn is_ksops_name(argv0: &std::ffi::OsStr) -> bool {
    let base = std::path::Path::new(argv0)
        .file_name()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    base == "ksops" || base == "kustomize-sops"
}

fn eprint(s: &str) {
    let _ = std::io::stderr().write_all(s.as_bytes());
}

/// Run as KSOPS with these arguments (`argv[0]` included); the exit code.
pub fn main(args: &[String]) -> i32 {
    if args.len() >= 2 && args[1] == "install" {
        return install(&args[2..]);
    }
    match args.len() {
        1 => {
            if stdin_is_char_device() {
                eprint(HELP);
                return 1;
            }
            krm_main()
        }
        2 => {
            let a = args[1].as_str();
            if matches!(a, "-h" | "--help" | "help") && !std::path::Path::new(a).exists() {
                eprint(HELP);
                return 0;
            }
            if a == "--version" && !std::path::Path::new(a).exists() {
                println!(
                    "ksops (rsops {}, KSOPS v4.5.1 compatible)",
                    env!("CARGO_PKG_VERSION")
                );
                return 0;
            }
            legacy_main(a)
        }
        _ => {
            eprint(HELP);
            1
        }
    }
}

fn stdin_is_char_device() -> bool {
    // SAFETY: fstat fills the zeroed struct for fd 0 and reads nothing else.
    unsafe {
        let mut st: libc::stat = std::mem::zeroed();
        if libc::fstat(0, &mut st) != 0 {
            // No stdin at all: nothing to read, as with a terminal.
            return true;
        }
        st.st_mode & libc::S_IFMT == libc::S_IFCHR
    }
}

fn legacy_main(path: &str) -> i32 {
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => {
            eprint(&format!("unable to read in manifest: {path}: {e}\n"));
            return 1;
        }
    };
    match legacy(&bytes, path) {
        Ok(out) => match crate::io::write_stdout(&out) {
            Ok(()) => 0,
            Err(e) => {
                eprint(&format!("{}\n", e.message()));
                e.code()
            }
        },
        Err(e) => {
            eprint(&format!("unable to generate manifests: {}\n", e.message()));
            e.code()
        }
    }
}

/// Legacy plugin mode: a generator manifest's bytes in, KSOPS' text out.
pub fn legacy(manifest: &[u8], name: &str) -> Result<zeroize::Zeroizing<Vec<u8>>> {
    let docs = nodes::parse(manifest).map_err(|e| {
        Error::with_source(
            code::ERROR_GENERIC,
            format!("error unmarshalling manifest content of {name}"),
            e,
        )
    })?;
    // sigs.k8s.io/yaml reads the first document only.
    let g = match docs.first() {
        Some(d) => Generator::from_node(d).map_err(|e| {
            Error::with_source(
                code::ERROR_GENERIC,
                format!("error unmarshalling manifest content of {name}"),
                e,
            )
        })?,
        None => Generator::default(),
    };
    if g.files.is_none() && g.secret_from.is_none() {
        return Err(not_a_generator(name));
    }
    Ok(generate(&g)?.text)
}

fn krm_main() -> i32 {
    let mut input = Vec::new();
    if let Err(e) = std::io::stdin().read_to_end(&mut input) {
        eprint(&format!(
            "unable to generate manifests: unable to read from stdin: {e}\n"
        ));
        return 1;
    }
    let (out, err) = krm(&input);
    if let Some(out) = out.map(zeroize::Zeroizing::new) {
        if let Err(e) = crate::io::write_stdout(&out) {
            eprint(&format!("{}\n", e.message()));
            return e.code();
        }
    }
    match err {
        None => 0,
        Some(e) => {
            eprint(&format!("unable to generate manifests: {}\n", e.message()));
            e.code().max(1)
        }
    }
}

fn parse_error(msg: String) -> Error {
    Error::new(
        code::ERROR_GENERIC,
        format!("failed to parse input bytes: {msg}"),
    )
}

/// The input ResourceList's parts.
struct ResourceList {
    items: Vec<YNode>,
    function_config: Option<YNode>,
    results: Option<YNode>,
}

fn parse_resource_list(input: &[u8]) -> Result<ResourceList> {
    let docs = nodes::parse(input).map_err(|e| parse_error(e.to_string()))?;
    let mut objects = Vec::new();
    for d in docs {
        for c in d.content {
            if c.kind != YKind::Mapping {
                return Err(parse_error(format!(
                    "failed to extract objects: unhandled node kind {}",
                    c.kind as u8
                )));
            }
            objects.push(c);
        }
    }
    if objects.len() != 1 {
        return Err(parse_error(format!(
            "expected exactly one object, got {}",
            objects.len()
        )));
    }
    let rl = objects.remove(0);
    let kind = rl.get("kind").and_then(YNode::scalar).unwrap_or("");
    if kind != "ResourceList" {
        return Err(Error::generic(format!(
            "input was of unexpected kind {kind:?}; expected ResourceList"
        )));
    }
    let items = match rl.get("items") {
        None => Vec::new(),
        Some(n) if n.kind == YKind::Sequence => {
            let mut v = Vec::new();
            for c in &n.content {
                if c.kind != YKind::Mapping {
                    return Err(Error::generic(format!(
                        "failed to extract objects from items: unhandled node kind {}",
                        c.kind as u8
                    )));
                }
                v.push(c.clone());
            }
            v
        }
        Some(n) if n.kind == YKind::Scalar && n.short_tag() == "!!null" => Vec::new(),
        Some(_) => {
            return Err(Error::generic(
                "failed when tried to get items: items is not a list",
            ))
        }
    };
    let function_config = match rl.get("functionConfig") {
        Some(n) if n.kind == YKind::Mapping => Some(n.clone()),
        Some(n) if n.kind == YKind::Scalar && n.short_tag() == "!!null" => None,
        None => None,
        Some(_) => {
            return Err(Error::generic(
                "failed when tried to get functionConfig: functionConfig is not a mapping",
            ))
        }
    };
    let results = rl
        .get("results")
        .filter(|n| n.kind == YKind::Sequence && !n.content.is_empty())
        .cloned();
    Ok(ResourceList {
        items,
        function_config,
        results,
    })
}

fn field<'a>(n: &'a YNode, path: &[&str]) -> &'a str {
    let mut cur = n;
    for p in path {
        match cur.get(p) {
            Some(c) => cur = c,
            None => return "",
        }
    }
    cur.scalar().unwrap_or("")
}

/// How an item is named in messages: kind, name and the file kpt or
/// kustomize read it from.
fn describe_item(n: &YNode, index: usize) -> String {
    let mut s = format!("item {index}");
    let kind = field(n, &["kind"]);
    let name = field(n, &["metadata", "name"]);
    if !kind.is_empty() || !name.is_empty() {
        s.push_str(&format!(" ({kind} {name:?}"));
        let path = field(n, &["metadata", "annotations", "config.kubernetes.io/path"]);
        if !path.is_empty() {
            s.push_str(&format!(" from {path}"));
        }
        s.push(')');
    }
    s
}

/// The sort key of the KRM SDK: `apiVersion kind namespace name`.
fn sort_key(n: &YNode) -> String {
    format!(
        "{} {} {} {}",
        field(n, &["apiVersion"]),
        field(n, &["kind"]),
        field(n, &["metadata", "namespace"]),
        field(n, &["metadata", "name"])
    )
}

fn generate_item(n: &YNode, what: &str) -> Result<Vec<YNode>> {
    let g = Generator::from_node(n).map_err(|e| {
        Error::with_source(
            code::ERROR_GENERIC,
            format!("error unmarshalling manifest content of {what}"),
            e,
        )
    })?;
    if g.files.is_none() && g.secret_from.is_none() {
        return Err(not_a_generator(&format!(
            "{what} is not a ksops generator: with kpt, pass only the generator (`kpt fn eval - --exec ksops --fn-config GEN -o unwrap < GEN`)"
        )));
    }
    let text = generate(&g).map_err(|e| e.context(what))?.text;
    let docs = nodes::parse(&text).map_err(|e| {
        Error::with_source(
            code::ERROR_GENERIC,
            format!("{what}: the generated manifests are not YAML"),
            e,
        )
    })?;
    let mut out = Vec::new();
    for d in docs {
        for c in d.content {
            if c.kind != YKind::Mapping {
                return Err(Error::generic(format!(
                    "{what}: a generated document is not a mapping (failed to extract objects: unhandled node kind {})",
                    c.kind as u8
                )));
            }
            out.push(c);
        }
    }
    Ok(out)
}

fn result_node(msg: &str) -> YNode {
    let mut m = YNode::mapping();
    m.push_pair(YNode::string("message", 0), YNode::string(msg, 0));
    m.push_pair(YNode::string("severity", 0), YNode::string("error", 0));
    m
}

fn output(
    items: &[YNode],
    function_config: Option<&YNode>,
    results: Option<&YNode>,
) -> Result<Vec<u8>> {
    let mut rl = YNode::mapping();
    rl.push_pair(
        YNode::string("apiVersion", 0),
        YNode::string("config.kubernetes.io/v1", 0),
    );
    rl.push_pair(YNode::string("kind", 0), YNode::string("ResourceList", 0));
    if !items.is_empty() {
        let mut seq = YNode::sequence();
        seq.content = items.to_vec();
        rl.push_pair(YNode::string("items", 0), seq);
    }
    if let Some(fc) = function_config.filter(|f| !f.content.is_empty()) {
        rl.push_pair(YNode::string("functionConfig", 0), fc.clone());
    }
    if let Some(r) = results.filter(|r| !r.content.is_empty()) {
        rl.push_pair(YNode::string("results", 0), r.clone());
    }
    nodes::emit(&[&rl], Layout::KYAML)
        .map_err(|e| Error::with_source(code::ERROR_DUMPING_TREE, "writing the ResourceList", e))
}

/// KRM mode: a ResourceList in; the output (None when the input could not
/// be read as a ResourceList) and the error, if any.
pub fn krm(input: &[u8]) -> (Option<Vec<u8>>, Option<Error>) {
    let rl = match parse_resource_list(input) {
        Ok(r) => r,
        Err(e) => return (None, Some(e)),
    };
    // Every item is a generator. Without items (kpt reading an empty
    // package or stdin), the functionConfig is the generator.
    let sources: Vec<(YNode, String)> = if rl.items.is_empty() {
        match &rl.function_config {
            Some(fc) if fc.get("files").is_some() || fc.get("secretFrom").is_some() => {
                vec![(fc.clone(), "functionConfig".to_string())]
            }
            _ => {
                let e = Error::generic(
                    "the ResourceList holds no item and its functionConfig is not a ksops generator: nothing to generate (give the generator as an item or as the functionConfig)",
                );
                return error_output(rl, e);
            }
        }
    } else {
        rl.items
            .iter()
            .enumerate()
            .map(|(i, n)| (n.clone(), describe_item(n, i)))
            .collect()
    };
    let mut generated = Vec::new();
    for (n, what) in &sources {
        match generate_item(n, what) {
            Ok(v) => generated.extend(v),
            Err(e) => return error_output(rl, e),
        }
    }
    // Go's sort of at most 12 items is an insertion sort, which is stable.
    generated.sort_by_cached_key(sort_key);
    let out = output(&generated, rl.function_config.as_ref(), rl.results.as_ref());
    // The generated objects hold decrypted values: wipe them now.
    for mut g in generated {
        g.wipe();
    }
    match out {
        Ok(out) => (Some(out), None),
        Err(e) => (None, Some(e)),
    }
}

fn error_output(rl: ResourceList, e: Error) -> (Option<Vec<u8>>, Option<Error>) {
    let mut items = rl.items;
    items.sort_by_cached_key(sort_key);
    let mut results = rl.results.unwrap_or_else(YNode::sequence);
    results.content.push(result_node(&e.message()));
    let out = output(&items, rl.function_config.as_ref(), Some(&results)).ok();
    (out, Some(e))
}

/// `ksops install [--with-kustomize] DIR`.
fn install(args: &[String]) -> i32 {
    let with_kustomize = args.iter().any(|a| a == "--with-kustomize");
    let rest: Vec<&String> = args.iter().filter(|a| *a != "--with-kustomize").collect();
    let Some(dest) = rest.first() else {
        eprint("install requires a destination directory\nusage: ksops install [--with-kustomize] <dest-dir>\n");
        return 1;
    };
    let me = match std::env::current_exe() {
        Ok(p) => p,
        Err(e) => {
            eprint(&format!("error resolving ksops executable path: {e}\n"));
            return 1;
        }
    };
    let dst = std::path::Path::new(dest.as_str()).join("ksops");
    if let Err(e) = copy_executable(&me, &dst) {
        eprint(&format!(
            "error installing ksops to {}: {e}\n",
            dst.display()
        ));
        return 1;
    }
    eprint(&format!("installed {}\n", dst.display()));
    if with_kustomize {
        let dst = std::path::Path::new(dest.as_str()).join("kustomize");
        if let Err(e) = copy_executable(std::path::Path::new("/usr/local/bin/kustomize"), &dst) {
            eprint(&format!(
                "error installing kustomize to {}: {e}\n",
                dst.display()
            ));
            return 1;
        }
        eprint(&format!("installed {}\n", dst.display()));
    }
    0
}

fn copy_executable(src: &std::path::Path, dst: &std::path::Path) -> std::io::Result<()> {
    use std::os::unix::fs::OpenOptionsExt;
    let mut input = std::fs::File::open(src)?;
    let mut out = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o755)
        .open(dst)?;
    std::io::copy(&mut input, &mut out)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert!(is_ksops_name(std::ffi::OsStr::new(
            "/x/viaduct.ai/v1/ksops/ksops"
        )));
        assert!(is_ksops_name(std::ffi::OsStr::new("kustomize-sops")));
        assert!(!is_ksops_name(std::ffi::OsStr::new("rsops")));
    }

    #[test]
    fn resource_list_errors() {
        let (out, e) = krm(b"");
        assert!(out.is_none());
        assert!(e
            .unwrap()
            .message()
            .contains("expected exactly one object, got 0"));
        let (out, e) = krm(b"kind: ksops\nfiles: []\n");
        assert!(out.is_none());
        assert!(e.unwrap().message().contains("unexpected kind \"ksops\""));
        let (out, e) = krm(b"scalar\n");
        assert!(out.is_none());
        assert!(e.unwrap().message().contains("unhandled node kind 8"));
    }

    #[test]
    fn a_non_generator_item_fails_with_a_result() {
        let rl = b"apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: cm\n";
        let (out, e) = krm(rl);
        let out = String::from_utf8(out.unwrap()).unwrap();
        assert!(out.contains("results:\n- message: "), "{out}");
        assert!(out.contains("severity: error"), "{out}");
        assert!(e.unwrap().message().contains("ConfigMap \"cm\""));
    }
}
