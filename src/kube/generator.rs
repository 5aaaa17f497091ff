//! The KSOPS generator manifest (`kind: ksops`) and what it generates.
//!
//! The manifest is read the way KSOPS reads it (`sigs.k8s.io/yaml`: YAML 1.1
//! scalars, then Go's JSON decoding: field names matched without regard to
//! case, unknown fields ignored, `null` meaning absent). Generation decrypts
//! every listed file in one parallel batch and builds the same text KSOPS
//! prints: the decrypted `files:` joined by `\n---\n`, then each
//! `secretFrom` Secret in yaml.v2 form, joined by `---\n`.

use std::collections::BTreeMap;

use base64::Engine;

use super::decrypt::{decrypt_files, Failure, Plain};
use super::dotenv;
use crate::error::{code, Error, Result};
use crate::stores::yaml::nodes::{YKind, YNode};
use crate::stores::yaml::v2::{self, V2Value};

/// A value after the YAML → JSON step.
#[derive(Clone, Debug, PartialEq)]
enum J {
    Null,
    Bool,
    Number,
    Str(String),
    Array(Vec<J>),
    Object(Vec<(String, J)>),
}

impl J {
    fn kind(&self) -> &'static str {
        match self {
            J::Null => "null",
            J::Bool => "bool",
            J::Number => "number",
            J::Str(_) => "string",
            J::Array(_) => "array",
            J::Object(_) => "object",
        }
    }
}

/// Why a `kind: ksops` generator could not be read: which field, and what
/// it must be.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct InvalidGenerator(pub String);

/// YAML 1.1 (yaml.v2) reading of a node, aliases resolved against
/// `anchors`; depth bounded by the parser's nesting limit.
fn to_j(
    n: &YNode,
    anchors: &BTreeMap<String, YNode>,
    depth: usize,
) -> std::result::Result<J, InvalidGenerator> {
    if depth > 200 {
        return Err(InvalidGenerator("the manifest is nested too deeply".into()));
    }
    match n.kind {
        YKind::Document => match n.content.first() {
            Some(c) => to_j(c, anchors, depth + 1),
            None => Ok(J::Null),
        },
        YKind::Alias => match anchors.get(&n.value) {
            Some(t) => to_j(t, anchors, depth + 1),
            None => Err(InvalidGenerator(format!(
                "unknown anchor '{}' referenced",
                n.value
            ))),
        },
        YKind::Scalar => {
            use crate::stores::yaml::nodes::style;
            let quoted = n.style
                & (style::DOUBLE_QUOTED | style::SINGLE_QUOTED | style::LITERAL | style::FOLDED)
                != 0;
            if quoted {
                return Ok(J::Str(n.value.clone()));
            }
            if n.style & style::TAGGED != 0 {
                return Ok(match n.tag.as_str() {
                    "!!null" => J::Null,
                    "!!bool" => J::Bool,
                    "!!int" | "!!float" => J::Number,
                    _ => J::Str(n.value.clone()),
                });
            }
            Ok(plain_scalar(&n.value))
        }
        YKind::Sequence => n
            .content
            .iter()
            .map(|c| to_j(c, anchors, depth + 1))
            .collect::<std::result::Result<Vec<_>, _>>()
            .map(J::Array),
        YKind::Mapping => {
            let mut out: Vec<(String, J)> = Vec::new();
            for kv in n.content.chunks(2) {
                let (Some(k), Some(v)) = (kv.first(), kv.get(1)) else {
                    continue;
                };
                let key = match k.kind {
                    YKind::Scalar => k.value.clone(),
                    YKind::Alias => anchors
                        .get(&k.value)
                        .and_then(|t| t.scalar().map(str::to_string))
                        .unwrap_or_default(),
                    _ => return Err(InvalidGenerator("a mapping key is not a scalar".into())),
                };
                let v = to_j(v, anchors, depth + 1)?;
                // A key given twice: the later value wins, as in Go's decoder.
                out.retain(|(k2, _)| *k2 != key);
                out.push((key, v));
            }
            Ok(J::Object(out))
        }
    }
}

/// yaml.v2's resolution of a plain scalar.
fn plain_scalar(s: &str) -> J {
    if v2::resolves_to_string(s) {
        return J::Str(s.to_string());
    }
    match s {
        "" | "~" | "null" | "Null" | "NULL" => J::Null,
        "y" | "Y" | "yes" | "Yes" | "YES" | "true" | "True" | "TRUE" | "on" | "On" | "ON" | "n"
        | "N" | "no" | "No" | "NO" | "false" | "False" | "FALSE" | "off" | "Off" | "OFF" => J::Bool,
        // Timestamps become strings in the JSON step.
        _ if s.len() >= 5 && s.as_bytes()[4] == b'-' => J::Str(s.to_string()),
        _ => J::Number,
    }
}

fn collect_anchors(n: &YNode, out: &mut BTreeMap<String, YNode>) {
    let mut stack = vec![n];
    while let Some(n) = stack.pop() {
        if !n.anchor.is_empty() {
            out.insert(n.anchor.clone(), n.clone());
        }
        stack.extend(n.content.iter());
    }
}

/// One `secretFrom` entry.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SecretFrom {
    pub files: Vec<String>,
    pub binary_files: Vec<String>,
    pub envs: Vec<String>,
    pub name: String,
    pub namespace: String,
    pub labels: BTreeMap<String, String>,
    pub annotations: BTreeMap<String, String>,
    pub type_: String,
}

/// A generator manifest.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Generator {
    /// `metadata.name` (KSOPS ignores it; rsops names it in errors).
    pub name: String,
    pub files: Option<Vec<String>>,
    pub secret_from: Option<Vec<SecretFrom>>,
}

fn field<'a>(obj: &'a [(String, J)], name: &str) -> Option<&'a J> {
    // Go: an exact match, else a case-insensitive one; the last such key wins.
    obj.iter()
        .rev()
        .find(|(k, _)| k == name)
        .or_else(|| obj.iter().rev().find(|(k, _)| k.eq_ignore_ascii_case(name)))
        .map(|(_, v)| v)
}

fn type_err(found: &J, at: &str, want: &str) -> String {
    format!(
        "cannot unmarshal {} into Go struct field {at} of type {want}",
        found.kind()
    )
}

fn get_string(v: Option<&J>, at: &str) -> std::result::Result<String, InvalidGenerator> {
    match v {
        None | Some(J::Null) => Ok(String::new()),
        Some(J::Str(s)) => Ok(s.clone()),
        Some(other) => Err(InvalidGenerator(type_err(other, at, "string"))),
    }
}

fn get_strings(
    v: Option<&J>,
    at: &str,
) -> std::result::Result<Option<Vec<String>>, InvalidGenerator> {
    match v {
        None | Some(J::Null) => Ok(None),
        Some(J::Array(items)) => items
            .iter()
            .map(|i| match i {
                J::Null => Ok(String::new()),
                J::Str(s) => Ok(s.clone()),
                other => Err(InvalidGenerator(type_err(other, at, "string"))),
            })
            .collect::<std::result::Result<Vec<_>, _>>()
            .map(Some),
        Some(other) => Err(InvalidGenerator(type_err(other, at, "[]string"))),
    }
}

fn get_map(
    v: Option<&J>,
    at: &str,
) -> std::result::Result<BTreeMap<String, String>, InvalidGenerator> {
    match v {
        None | Some(J::Null) => Ok(BTreeMap::new()),
        Some(J::Object(entries)) => entries
            .iter()
            .map(|(k, v)| match v {
                J::Null => Ok((k.clone(), String::new())),
                J::Str(s) => Ok((k.clone(), s.clone())),
                other => Err(InvalidGenerator(type_err(other, at, "string"))),
            })
            .collect(),
        Some(other) => Err(InvalidGenerator(type_err(other, at, "map[string]string"))),
    }
}

impl Generator {
    /// Read a manifest from its parsed YAML (a document or a mapping).
    pub fn from_node(n: &YNode) -> std::result::Result<Generator, InvalidGenerator> {
        let mut anchors = BTreeMap::new();
        collect_anchors(n, &mut anchors);
        let j = to_j(n, &anchors, 0)?;
        let obj = match j {
            J::Object(o) => o,
            J::Null => Vec::new(),
            other => {
                return Err(InvalidGenerator(format!(
                    "cannot unmarshal {} into Go value of type main.ksops",
                    other.kind()
                )))
            }
        };
        let name = match field(&obj, "metadata") {
            Some(J::Object(m)) => match field(m, "name") {
                Some(J::Str(s)) => s.clone(),
                _ => String::new(),
            },
            _ => String::new(),
        };
        let files = get_strings(field(&obj, "files"), "ksops.files")?;
        let secret_from = match field(&obj, "secretFrom") {
            None | Some(J::Null) => None,
            Some(J::Array(items)) => {
                let mut out = Vec::new();
                for item in items {
                    let o: &[(String, J)] = match item {
                        J::Object(o) => o,
                        J::Null => &[],
                        other => {
                            return Err(InvalidGenerator(type_err(
                                other,
                                "ksops.secretFrom",
                                "main.secretFrom",
                            )))
                        }
                    };
                    let mut sf = SecretFrom {
                        files: get_strings(field(o, "files"), "ksops.secretFrom.files")?
                            .unwrap_or_default(),
                        binary_files: get_strings(
                            field(o, "binaryFiles"),
                            "ksops.secretFrom.binaryFiles",
                        )?
                        .unwrap_or_default(),
                        envs: get_strings(field(o, "envs"), "ksops.secretFrom.envs")?
                            .unwrap_or_default(),
                        type_: get_string(field(o, "type"), "ksops.secretFrom.type")?,
                        ..SecretFrom::default()
                    };
                    match field(o, "metadata") {
                        None | Some(J::Null) => {}
                        Some(J::Object(m)) => {
                            sf.name =
                                get_string(field(m, "name"), "ksops.secretFrom.metadata.name")?;
                            sf.namespace = get_string(
                                field(m, "namespace"),
                                "ksops.secretFrom.metadata.namespace",
                            )?;
                            sf.labels =
                                get_map(field(m, "labels"), "ksops.secretFrom.metadata.labels")?;
                            sf.annotations = get_map(
                                field(m, "annotations"),
                                "ksops.secretFrom.metadata.annotations",
                            )?;
                        }
                        Some(other) => {
                            return Err(InvalidGenerator(type_err(
                                other,
                                "ksops.secretFrom.metadata",
                                "types.ObjectMeta",
                            )))
                        }
                    }
                    out.push(sf);
                }
                Some(out)
            }
            Some(other) => {
                return Err(InvalidGenerator(type_err(
                    other,
                    "ksops.secretFrom",
                    "[]main.secretFrom",
                )))
            }
        };
        Ok(Generator {
            name,
            files,
            secret_from,
        })
    }

    /// How the generator is named in messages.
    pub fn label(&self) -> String {
        if self.name.is_empty() {
            "ksops generator (no metadata.name)".into()
        } else {
            format!("ksops generator {:?}", self.name)
        }
    }
}

/// `KSOPS_CONCURRENCY_LIMIT`: how many files are decrypted at once
/// (default 20; an integer of at least 1).
pub fn concurrency_limit() -> Result<usize> {
    match std::env::var("KSOPS_CONCURRENCY_LIMIT") {
        Err(_) => Ok(20),
        Ok(v) if v.is_empty() => Ok(20),
        Ok(v) => match v.parse::<i64>() {
            Ok(n) if n >= 1 => Ok(usize::try_from(n).unwrap_or(usize::MAX)),
            _ => Err(Error::generic(format!(
                "error parsing KSOPS_CONCURRENCY_LIMIT value {v:?}: it must be a whole number of at least 1"
            ))),
        },
    }
}

/// `key=path` or `path` (key: the path's last element, as Go's `filepath.Base`).
pub fn key_and_path(entry: &str) -> Result<(String, String)> {
    let parts: Vec<&str> = entry.split('=').collect();
    match parts.as_slice() {
        [p] => Ok((go_base(p), p.to_string())),
        [k, p] => Ok((k.to_string(), p.to_string())),
        _ => Err(Error::generic(format!(
            "invalid format in file generator {entry}: use PATH or KEY=PATH (one '=')"
        ))),
    }
}

/// Go's `filepath.Base`.
pub fn go_base(p: &str) -> String {
    if p.is_empty() {
        return ".".into();
    }
    let t = p.trim_end_matches('/');
    if t.is_empty() {
        return "/".into();
    }
    t.rsplit('/').next().unwrap_or(t).to_string()
}

/// Go's conversion of bytes to text for JSON: each invalid UTF-8 byte
/// becomes U+FFFD.
pub fn go_lossy(b: &[u8]) -> String {
    let mut out = String::with_capacity(b.len());
    let mut rest = b;
    loop {
        match std::str::from_utf8(rest) {
            Ok(s) => {
                out.push_str(s);
                return out;
            }
            Err(e) => {
                let ok = e.valid_up_to();
                out.push_str(std::str::from_utf8(&rest[..ok]).unwrap_or_default());
                out.push('\u{fffd}');
                rest = &rest[ok + 1..];
            }
        }
    }
}

/// Where a decrypted file came from, for messages.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Origin {
    Files,
    SecretFiles(usize),
    SecretBinary(usize),
    SecretEnvs(usize),
}

impl Origin {
    fn field(self) -> String {
        match self {
            Origin::Files => "manifest.Files".into(),
            Origin::SecretFiles(i) => format!("secretFrom[{i}].Files"),
            Origin::SecretBinary(i) => format!("secretFrom[{i}].BinaryFiles"),
            Origin::SecretEnvs(i) => format!("secretFrom[{i}].Envs"),
        }
    }
}

/// What a generator produced: KSOPS' text.
#[derive(Debug)]
pub struct Generated {
    pub text: Plain,
}

/// Generate the manifests of `g` (paths relative to the working directory).
pub fn generate(g: &Generator) -> Result<Generated> {
    let who = g.label();
    if g.files.is_none() && g.secret_from.is_none() {
        return Err(Error::generic(format!(
            "{who}: missing the required 'files' or 'secretFrom' key: list encrypted manifests under 'files:' or Secrets to build under 'secretFrom:'"
        )));
    }
    let limit = concurrency_limit()?;
    let files = g.files.clone().unwrap_or_default();
    let secrets = g.secret_from.clone().unwrap_or_default();
    if files.is_empty() && secrets.is_empty() {
        return Err(Error::generic(format!(
            "{who} generates nothing: 'files' and 'secretFrom' are both empty (KSOPS would print nothing; rsops fails so that a missing Secret shows here and not in the cluster)"
        )));
    }
    // Every file of the generator, in KSOPS' order, decrypted in one batch.
    let mut jobs: Vec<(Origin, String, String)> = Vec::new(); // origin, key, path
    for f in &files {
        jobs.push((Origin::Files, String::new(), f.clone()));
    }
    for (i, sf) in secrets.iter().enumerate() {
        if sf.name.is_empty() {
            return Err(Error::generic(format!(
                "{who}: secretFrom[{i}] has no metadata.name: every generated Secret needs a name"
            )));
        }
        for e in &sf.files {
            let (k, p) = key_and_path(e)?;
            jobs.push((Origin::SecretFiles(i), k, p));
        }
        for e in &sf.binary_files {
            let (k, p) = key_and_path(e)?;
            jobs.push((Origin::SecretBinary(i), k, p));
        }
        for e in &sf.envs {
            jobs.push((Origin::SecretEnvs(i), e.clone(), e.clone()));
        }
    }
    let paths: Vec<String> = jobs.iter().map(|j| j.2.clone()).collect();
    let results = decrypt_files(&paths, limit);
    let mut plain: Vec<Plain> = Vec::with_capacity(results.len());
    for ((origin, _, path), r) in jobs.iter().zip(results) {
        match r {
            Ok(p) => plain.push(p),
            Err(f) => {
                let why = match &f {
                    Failure::Read(e) => format!("error reading {path:?}: open {path}: {e}"),
                    Failure::Decrypt(e) => e.message().clone(),
                };
                return Err(Error::new(
                    f.code(),
                    format!(
                        "{who}: error decrypting file {path:?} from {}: {why}",
                        origin.field()
                    ),
                ));
            }
        }
    }
    let total = files.len() + secrets.len();
    let mut out: Plain = Plain::new(Vec::new());
    for (i, (job, data)) in jobs.iter().zip(plain.iter()).enumerate() {
        if job.0 != Origin::Files {
            break;
        }
        if generates_no_object(&job.2, data) {
            return Err(Error::generic(format!(
                "{who}: {:?} from manifest.Files decrypted to nothing: an empty manifest would silently generate no object",
                job.2
            )));
        }
        out.extend_from_slice(data);
        if i + 1 < total {
            out.extend_from_slice(b"\n---\n");
        }
    }
    for (i, sf) in secrets.iter().enumerate() {
        let mut string_data: BTreeMap<String, String> = BTreeMap::new();
        let mut data: BTreeMap<String, String> = BTreeMap::new();
        let mut envs: Vec<(&str, &Plain)> = Vec::new();
        for (job, p) in jobs.iter().zip(plain.iter()) {
            match job.0 {
                Origin::SecretFiles(j) if j == i => {
                    string_data.insert(job.1.clone(), go_lossy(p));
                }
                Origin::SecretBinary(j) if j == i => {
                    data.insert(
                        job.1.clone(),
                        base64::engine::general_purpose::STANDARD.encode(p.as_slice()),
                    );
                }
                Origin::SecretEnvs(j) if j == i => envs.push((&job.2, p)),
                _ => {}
            }
        }
        for (path, p) in envs {
            let text = zeroize::Zeroizing::new(go_lossy(p));
            let vars = dotenv::godotenv(&text).map_err(|e| {
                Error::with_source(
                    code::ERROR_GENERIC,
                    format!("{who}: error unmarshalling .env file {path:?}"),
                    e,
                )
            })?;
            string_data.extend(vars);
        }
        if string_data.is_empty() && data.is_empty() {
            return Err(Error::generic(format!(
                "{who}: secretFrom[{i}] (Secret {:?}) has no data: give 'files', 'binaryFiles' or 'envs' that hold at least one entry",
                sf.name
            )));
        }
        let doc = secret_doc(sf, string_data, data);
        let bytes = v2::marshal(&doc).map_err(|e| {
            Error::with_source(
                code::ERROR_DUMPING_TREE,
                format!("{who}: could not write the Secret"),
                e,
            )
        })?;
        zeroize_doc(doc);
        out.extend_from_slice(&bytes);
        drop(Plain::new(bytes));
        if i + 1 < secrets.len() {
            out.extend_from_slice(b"---\n");
        }
    }
    Ok(Generated { text: out })
}

/// A decrypted `files:` entry with no object in it: blank, or YAML/JSON
/// whose documents are all empty.
fn generates_no_object(path: &str, data: &[u8]) -> bool {
    if data.iter().all(|b| b.is_ascii_whitespace()) {
        return true;
    }
    match crate::format::Format::from_path(path) {
        crate::format::Format::Yaml | crate::format::Format::Json => {
            match crate::stores::yaml::nodes::parse(data) {
                Ok(docs) => !docs.iter().any(|d| {
                    d.content
                        .iter()
                        .any(|c| c.kind != YKind::Mapping || !c.content.is_empty())
                }),
                Err(_) => false,
            }
        }
        _ => false,
    }
}

fn zeroize_doc(doc: V2Value) {
    use zeroize::Zeroize;
    let mut stack = vec![doc];
    while let Some(v) = stack.pop() {
        match v {
            V2Value::Str(mut s) => s.zeroize(),
            V2Value::Map(entries) => {
                for (mut k, v) in entries {
                    k.zeroize();
                    stack.push(v);
                }
            }
            V2Value::Null => {}
        }
    }
}

fn str_map(m: BTreeMap<String, String>) -> V2Value {
    V2Value::Map(m.into_iter().map(|(k, v)| (k, V2Value::Str(v))).collect())
}

/// KSOPS' `kubernetesSecret` as sigs.k8s.io/yaml writes it.
fn secret_doc(
    sf: &SecretFrom,
    string_data: BTreeMap<String, String>,
    data: BTreeMap<String, String>,
) -> V2Value {
    let mut meta = Vec::new();
    if !sf.name.is_empty() {
        meta.push(("name".to_string(), V2Value::Str(sf.name.clone())));
    }
    if !sf.namespace.is_empty() {
        meta.push(("namespace".to_string(), V2Value::Str(sf.namespace.clone())));
    }
    if !sf.labels.is_empty() {
        meta.push(("labels".to_string(), str_map(sf.labels.clone())));
    }
    if !sf.annotations.is_empty() {
        meta.push(("annotations".to_string(), str_map(sf.annotations.clone())));
    }
    let mut top = vec![
        ("apiVersion".to_string(), V2Value::Str("v1".into())),
        ("kind".to_string(), V2Value::Str("Secret".into())),
        ("metadata".to_string(), V2Value::Map(meta)),
    ];
    if !sf.type_.is_empty() {
        top.push(("type".to_string(), V2Value::Str(sf.type_.clone())));
    }
    if !string_data.is_empty() {
        top.push(("stringData".to_string(), str_map(string_data)));
    }
    if !data.is_empty() {
        top.push(("data".to_string(), str_map(data)));
    }
    V2Value::Map(top)
}

/// The error for a document that is not a generator manifest.
pub fn not_a_generator(what: &str) -> Error {
    Error::new(
        code::ERROR_GENERIC,
        format!("{what}: missing the required 'files' or 'secretFrom' key in the ksops manifest"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stores::yaml::nodes;

    fn gen(s: &str) -> std::result::Result<Generator, InvalidGenerator> {
        let docs = nodes::parse(s.as_bytes()).unwrap();
        Generator::from_node(&docs[0])
    }

    #[test]
    fn manifest_fields_are_case_insensitive_and_lenient() {
        let g = gen("apiVersion: viaduct.ai/v1\nkind: ksops\nmetadata: {name: g}\nFiles: [a.yaml]\nunknown: 1\nSecretFROM:\n- metadata:\n    name: s\n    labels: {a: b}\n  envs: [x.env]\n  type: Opaque\n").unwrap();
        assert_eq!(g.name, "g");
        assert_eq!(g.files, Some(vec!["a.yaml".to_string()]));
        let sf = &g.secret_from.unwrap()[0];
        assert_eq!(sf.name, "s");
        assert_eq!(sf.labels.get("a").map(String::as_str), Some("b"));
        assert_eq!(sf.envs, vec!["x.env".to_string()]);
        assert_eq!(sf.type_, "Opaque");
    }

    #[test]
    fn yaml11_values_are_not_strings() {
        assert!(gen("files: [yes]\n")
            .unwrap_err()
            .to_string()
            .contains("bool"));
        assert!(gen("files: [12]\n")
            .unwrap_err()
            .to_string()
            .contains("number"));
        assert!(gen("files: 5\n")
            .unwrap_err()
            .to_string()
            .contains("[]string"));
        assert_eq!(
            gen("files: ['yes']\n").unwrap().files,
            Some(vec!["yes".to_string()])
        );
        assert_eq!(gen("files:\n").unwrap().files, None);
    }

    #[test]
    fn file_keys() {
        assert_eq!(
            key_and_path("./a/secret.enc.yaml").unwrap(),
            ("secret.enc.yaml".into(), "./a/secret.enc.yaml".into())
        );
        assert_eq!(
            key_and_path("k=p.yaml").unwrap(),
            ("k".into(), "p.yaml".into())
        );
        assert_eq!(key_and_path("=p").unwrap(), ("".into(), "p".into()));
        assert!(key_and_path("a=b=c").is_err());
        assert_eq!(go_base("dir/"), "dir");
    }

    #[test]
    fn lossy_like_go() {
        assert_eq!(go_lossy(b"a\xf0\x9f\x98b"), "a\u{fffd}\u{fffd}\u{fffd}b");
    }

    #[test]
    fn nothing_to_generate_is_an_error() {
        let g = gen("files: []\n").unwrap();
        assert!(generate(&g)
            .unwrap_err()
            .message()
            .contains("generates nothing"));
        let g = gen("kind: ksops\n").unwrap();
        assert!(generate(&g)
            .unwrap_err()
            .message()
            .contains("missing the required"));
        let g = gen("secretFrom:\n- files: [a]\n").unwrap();
        assert!(generate(&g)
            .unwrap_err()
            .message()
            .contains("no metadata.name"));
    }
}
