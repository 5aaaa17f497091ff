//! `rsops check [PATHS…]`: are these files encrypted, and intact?
//!
//! For pre-commit hooks and CI. Every file given is checked; a directory
//! given, or the current directory when no path is given, is searched for
//! the files that match a `path_regex` of a `.sops.yaml` creation rule
//! (among the files of `crate::walk`: ignore files respected, `.git`,
//! links and `.sops.yaml` itself skipped).
//! Files are checked in-process by a few threads, in one of two levels:
//!
//! * **MAC verified** — an age identity can unwrap the data key: every value
//!   is decrypted and the MAC is checked, as `rsops decrypt` would. Only age
//!   identities are tried (PGP would start gpg and cloud keys would call the
//!   network for every file).
//! * **structure only** — no key: the file must be a well-formed sops file
//!   (metadata with version, `lastmodified`, an encrypted `mac`, recipients
//!   each with a wrapped data key) whose every value that its rule says is
//!   encrypted is an `ENC[…]` value.
//!
//! Both levels also apply the partial-encryption rule of the file's
//! creation rule in `.sops.yaml` when it differs from the file's own rule,
//! so a file encrypted with looser flags than the configuration asks for
//! fails. One line is printed per failing file (`--verbose`: per file), then
//! a summary saying how many files were checked at each level; the exit
//! status is 1 when any file fails.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use regex::Regex;

use crate::error::{code, Error, Result};
use crate::format::Format;
use crate::metadata::{Metadata, Rule};
use crate::tree::{Branch, Value};

use super::args::Global;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Level {
    Mac,
    Structure,
}

/// The `path_regex`es of `.sops.yaml`, matched like sops matches them.
struct Rules {
    dir: PathBuf,
    regexes: Vec<Regex>,
    config: crate::config::Config,
}

impl Rules {
    fn load(cfg: crate::config::Config) -> Result<Rules> {
        let bad = |m: String| {
            Error::new(
                code::ERROR_READING_CONFIG,
                format!("error loading config {}: {m}", cfg.path.display()),
            )
        };
        let bytes = std::fs::read(&cfg.path).map_err(|e| bad(e.to_string()))?;
        let docs = crate::stores::yaml::parse(&bytes).map_err(|e| bad(e.to_string()))?;
        let mut regexes = Vec::new();
        if let Some(Value::List(rules)) = docs
            .first()
            .and_then(|d| d.iter().find(|i| i.key_str() == Some("creation_rules")))
            .map(|i| &i.value)
        {
            for r in rules.iter().filter_map(Value::as_map) {
                if let Some(Value::Str(re)) = r
                    .iter()
                    .find(|i| i.key_str() == Some("path_regex"))
                    .map(|i| &i.value)
                {
                    if !re.is_empty() {
                        regexes.push(
                            Regex::new(re).map_err(|e| {
                                bad(format!("can not compile path_regex {re:?}: {e}"))
                            })?,
                        );
                    }
                }
            }
        }
        let dir = std::path::absolute(cfg.path.parent().unwrap_or(Path::new(".")))
            .unwrap_or_else(|_| PathBuf::from("."));
        Ok(Rules {
            dir,
            regexes,
            config: cfg,
        })
    }

    /// Does a creation rule's `path_regex` select this file?
    fn selects(&self, file: &Path) -> bool {
        let abs = std::path::absolute(file).unwrap_or_else(|_| file.to_path_buf());
        let abs_s = abs.display().to_string();
        let prefix = format!("{}{}", self.dir.display(), std::path::MAIN_SEPARATOR);
        let rel = abs_s.strip_prefix(&prefix).unwrap_or(&abs_s);
        if self.config.forward_slashes() {
            let rel = rel.replace('\\', "/");
            return self.regexes.iter().any(|r| r.is_match(&rel));
        }
        self.regexes.iter().any(|r| r.is_match(rel))
    }
}

/// Files under `dir` selected by the creation rules, in walk order.
fn walk(dir: &Path, rules: &Rules, out: &mut Vec<PathBuf>) -> Result<()> {
    out.extend(
        crate::walk::files(dir)?
            .into_iter()
            .filter(|p| rules.selects(p)),
    );
    Ok(())
}

/// The outcome for one file.
pub enum Outcome {
    Ok(Level),
    Fail(String),
}

pub fn run(g: &Global, paths: &[String], only_matching: bool) -> Result<i32> {
    let cfg = crate::config::Config::discover(g.config.as_deref())?;
    let rules = cfg.map(Rules::load).transpose()?;
    let mut files: Vec<PathBuf> = Vec::new();
    if paths.is_empty() {
        let Some(r) = &rules else {
            return Err(Error::new(
                code::CONFIG_FILE_NOT_FOUND,
                "rsops check: no .sops.yaml found here or above: give the files to check, or run it where .sops.yaml applies",
            ));
        };
        walk(Path::new("."), r, &mut files)?;
    } else {
        for p in paths {
            let path = PathBuf::from(p);
            if path.is_dir() {
                let Some(r) = &rules else {
                    return Err(Error::new(
                        code::CONFIG_FILE_NOT_FOUND,
                        format!("rsops check: {p} is a directory, and no .sops.yaml says which of its files are encrypted"),
                    ));
                };
                walk(&path, r, &mut files)?;
            } else if only_matching && !rules.as_ref().is_some_and(|r| r.selects(&path)) {
                continue;
            } else {
                files.push(path);
            }
        }
    }
    let have_age = !super::common::key_ctx(g)
        .credentials
        .get_or_load("age", crate::keys::age::Identities::load)
        .is_empty();
    // A few threads, each with its own identities (they are not shareable).
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<(usize, Outcome)>> = Mutex::new(Vec::with_capacity(files.len()));
    let workers = std::thread::available_parallelism()
        .map_or(2, |n| n.get())
        .min(8)
        .min(files.len().max(1));
    std::thread::scope(|s| {
        for _ in 0..workers {
            s.spawn(|| {
                let mut ctx = super::common::key_ctx(g);
                let mut mine = Vec::new();
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(f) = files.get(i) else { break };
                    mine.push((i, check_file(g, f, rules.as_ref(), &mut ctx, have_age)));
                }
                if let Ok(mut v) = results.lock() {
                    v.extend(mine);
                }
            });
        }
    });
    let mut results = results.into_inner().unwrap_or_default();
    results.sort_by_key(|(i, _)| *i);
    let (mut ok_mac, mut ok_structure, mut failed) = (0usize, 0usize, 0usize);
    let mut out = String::new();
    for (i, outcome) in results {
        let f = &files[i];
        let shown = f.strip_prefix("./").unwrap_or(f).display().to_string();
        match outcome {
            Outcome::Ok(Level::Mac) => {
                ok_mac += 1;
                if g.verbose {
                    out.push_str(&format!("ok     {shown} (MAC verified)\n"));
                }
            }
            Outcome::Ok(Level::Structure) => {
                ok_structure += 1;
                if g.verbose {
                    out.push_str(&format!("ok     {shown} (structure only: no key)\n"));
                }
            }
            Outcome::Fail(why) => {
                failed += 1;
                out.push_str(&format!("FAILED {shown}: {}\n", why.replace('\n', " ")));
            }
        }
    }
    let n = files.len();
    let mut summary = format!(
        "rsops check: {n} file{} checked: {} ok ({ok_mac} with the MAC verified, {ok_structure} structure only), {failed} failed",
        if n == 1 { "" } else { "s" },
        ok_mac + ok_structure
    );
    if ok_structure > 0 {
        summary.push_str(if have_age {
            "\n  structure only: none of the age identities found can decrypt those files' data key"
        } else {
            "\n  structure only: no age identity was found (set SOPS_AGE_KEY_FILE or SOPS_AGE_KEY to verify MACs)"
        });
    }
    if n == 0 {
        summary.push_str(" (no file matched)");
    }
    out.push_str(&summary);
    out.push('\n');
    crate::io::write_stdout(out.as_bytes())?;
    Ok(if failed > 0 { 1 } else { 0 })
}

/// Check one file (see the module docs). Messages never contain values.
fn check_file(
    g: &Global,
    path: &Path,
    rules: Option<&Rules>,
    ctx: &mut crate::datakey::Context,
    have_age: bool,
) -> Outcome {
    let name = path.display().to_string();
    let bytes = match std::fs::read(path) {
        Ok(b) => zeroize::Zeroizing::new(b),
        Err(e) => return Outcome::Fail(format!("cannot read the file: {e}")),
    };
    let fmt = Format::resolve(g.input_type.as_deref(), &name).sniff(&bytes);
    let mut docs = match fmt.parse_tree(&bytes) {
        Ok(d) => d,
        Err(e) if fmt == Format::Binary => {
            let _ = e;
            return Outcome::Fail(
                "not encrypted: not a sops JSON document (the file is read as binary by its extension)"
                    .into(),
            );
        }
        Err(e) => return Outcome::Fail(format!("not encrypted: not valid {}: {}", fmt.name(), e)),
    };
    let meta = match docs.first_mut().map(crate::metadata::take_metadata) {
        None => return Outcome::Fail("not encrypted: the file is empty".into()),
        Some(Err(e)) => return Outcome::Fail(e.message()),
        Some(Ok(None)) => {
            return Outcome::Fail("not encrypted: there is no top-level 'sops' metadata".into())
        }
        Some(Ok(Some(m))) => m,
    };
    for d in docs.iter_mut().skip(1) {
        if let Err(e) = crate::metadata::take_metadata(d) {
            return Outcome::Fail(e.message());
        }
    }
    let md = match Metadata::from_value(&meta) {
        Ok(md) => md,
        Err(e) => return Outcome::Fail(e.message()),
    };
    if let Err(why) = check_metadata(&md) {
        return Outcome::Fail(why.0);
    }
    // Key names are not covered by the MAC: keys added with empty values
    // verify, so they are checked here at both levels.
    if let Err(p) = crate::stores::names::check_docs(&docs) {
        return Outcome::Fail(format!(
            "{} (rsops refuses to decrypt such a file)",
            p.describe()
        ));
    }
    if let Err(why) = plain_values(&mut docs, &md.effective_rule()) {
        return Outcome::Fail(format!(
            "{why} is not encrypted, but the file's rule ({}) says it must be",
            rule_text(&md.effective_rule())
        ));
    }
    if let Some(r) = rules {
        if let Ok(Some(cr)) = r.config.creation_rule_for(path) {
            let partial = cr.rule.is_some();
            let wanted = cr.rule.unwrap_or_default();
            if wanted != md.effective_rule() && md.rule.is_some() {
                if let Err(why) = plain_values(&mut docs, &wanted) {
                    return Outcome::Fail(format!(
                        "{why} is not encrypted, but the creation rule in {} ({}) says it must be",
                        r.config.path.display(),
                        rule_text(&wanted)
                    ));
                }
            }
            // A partial rule also says what stays in clear: Kubernetes
            // manifests (`encrypted_regex: ^(data|stringData)$`) must keep
            // apiVersion, kind and metadata readable for kustomize, kubectl,
            // Argo CD and Flux.
            if partial && wanted != md.effective_rule() {
                if let Err(why) = encrypted_values(&mut docs, &wanted) {
                    return Outcome::Fail(format!(
                        "{why} is encrypted, but the creation rule in {} ({}) says it stays in clear: re-encrypt the file with that rule (rsops decrypt, then rsops encrypt, which reads .sops.yaml)",
                        r.config.path.display(),
                        rule_text(&wanted)
                    ));
                }
            }
        }
    }
    if !have_age {
        return Outcome::Ok(Level::Structure);
    }
    // Only age keys: anything else could start a process or a network call.
    let mut age_only = md.clone();
    for group in age_only.key_groups.iter_mut() {
        group.retain(|k| k.type_id() == "age");
    }
    if age_only.key_groups.iter().all(|g| g.is_empty()) {
        return Outcome::Ok(Level::Structure);
    }
    let Ok(key) = crate::datakey::unwrap_data_key(&age_only, &[], ctx) else {
        return Outcome::Ok(Level::Structure);
    };
    let mut cipher = match crate::cipher::Cipher::new(key) {
        Ok(c) => c.without_memory(),
        Err(e) => return Outcome::Fail(e.message()),
    };
    let r = crate::crypt::decrypt_and_verify(&mut docs, &md, &mut cipher, false);
    crate::tree::zeroize_docs(&mut docs);
    match r {
        Ok(()) => Outcome::Ok(Level::Mac),
        Err(e) => Outcome::Fail(e.message()),
    }
}

fn rule_text(r: &Rule) -> String {
    format!("{} {:?}", r.field(), r.value())
}

/// What `check` found wrong in a file: the metadata entry, or the path of
/// the value that disagrees with a rule.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct Finding(pub String);

fn check_metadata(md: &Metadata) -> std::result::Result<(), Finding> {
    if md.mac.is_empty() {
        return Err(Finding("the metadata has no MAC".into()));
    }
    crate::cipher::parse(&md.mac)
        .map_err(|e| Finding(format!("the metadata's MAC is malformed: {e}")))?;
    for k in md.all_keys() {
        if k.enc().trim().is_empty() {
            return Err(Finding(format!(
                "the {} key {} holds no encrypted data key",
                k.type_id(),
                k.describe()
            )));
        }
    }
    Ok(())
}

/// The first value that `rule` says is encrypted but is not an `ENC[…]`
/// value, as a path. This is a visitor of [`crate::crypt`]'s walk: the
/// same path matching and comment scoping decide which leaves are
/// encrypted.
pub fn plain_values(docs: &mut [Branch], rule: &Rule) -> std::result::Result<(), Finding> {
    find(docs, rule, false)
}

/// The first value that `rule` leaves in clear but that is an `ENC[…]`
/// value (the file was encrypted with a broader rule, or none).
pub fn encrypted_values(docs: &mut [Branch], rule: &Rule) -> std::result::Result<(), Finding> {
    find(docs, rule, true)
}

fn find(docs: &mut [Branch], rule: &Rule, clear: bool) -> std::result::Result<(), Finding> {
    let mut v = Mismatch { clear, found: None };
    match crate::crypt::walk_docs(docs, rule, false, &mut v) {
        Ok(()) => Ok(()),
        Err(e) => Err(Finding(v.found.take().unwrap_or_else(|| e.message()))),
    }
}

/// Stops at the first leaf whose form disagrees with the rule.
struct Mismatch {
    /// Look for encrypted values where the rule wants clear ones.
    clear: bool,
    /// The path of that leaf.
    found: Option<String>,
}

impl crate::crypt::Visitor for Mismatch {
    fn leaf(&mut self, v: Value, at: &crate::crypt::Leaf) -> Result<Value> {
        // Comments are not values; an encrypted comment in a list is an
        // ENC[…] string and is looked at as a value (as decryption does).
        if at.is_comment {
            return Ok(v);
        }
        let bad = match &v {
            Value::Str(s) if self.clear => !at.encrypted && crate::cipher::parse(s).is_ok(),
            _ if self.clear => false,
            _ if !at.encrypted => false,
            Value::Str(s) => !s.is_empty() && crate::cipher::parse(s).is_err(),
            _ => true,
        };
        if bad {
            let path = at.path();
            self.found = Some(if path.is_empty() {
                "a top-level value".into()
            } else {
                path
            });
            return Err(crate::error::Error::generic("mismatch"));
        }
        Ok(v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cipher::{Cipher, DataKey};
    use crate::tree::{Comment, Item};

    fn doc() -> Branch {
        vec![
            Item::comment(Comment::new(" sops:enc")),
            Item::new("a", Value::Int(1)),
            Item::new(
                "b",
                Value::Map(vec![
                    Item::new("password", Value::Str("x".into())),
                    Item::new("d_unencrypted", Value::Bool(true)),
                    Item::new("e", Value::Str(String::new())),
                ]),
            ),
            Item::new(
                "l",
                Value::List(vec![
                    Value::Comment(Comment::new(" c")),
                    Value::Float(1.5),
                    Value::Null,
                ]),
            ),
        ]
    }

    /// Whatever crypt encrypts, the walk here accepts, for every rule; and
    /// the plaintext fails wherever crypt would have encrypted something.
    #[test]
    fn agrees_with_the_encryption_walk() {
        for rule in [
            Rule::default(),
            Rule::EncryptedSuffix("word".into()),
            Rule::UnencryptedRegex("^a$".into()),
            Rule::EncryptedRegex("^pass".into()),
            Rule::UnencryptedCommentRegex("nope".into()),
            Rule::EncryptedCommentRegex("sops:enc".into()),
        ] {
            let md = Metadata {
                rule: Some(rule.clone()),
                ..Default::default()
            };
            let mut docs = vec![doc()];
            let mut c = Cipher::new(DataKey::generate()).unwrap();
            crate::crypt::encrypt_docs(&mut docs, &md, &mut c).unwrap();
            assert_eq!(plain_values(&mut docs, &rule), Ok(()), "{rule:?}");
            let encrypted_any = docs != vec![doc()];
            let plain = plain_values(&mut [doc()], &rule);
            assert_eq!(plain.is_err(), encrypted_any, "{rule:?}: {plain:?}");
        }
        assert_eq!(
            plain_values(&mut [doc()], &Rule::EncryptedRegex("^pass".into())),
            Err(Finding("[\"b\"][\"password\"]".into()))
        );
    }

    /// A manifest encrypted whole fails a rule that keeps its metadata in
    /// clear; one encrypted with the rule passes.
    #[test]
    fn clear_fields_must_not_be_encrypted() {
        let manifest = || {
            vec![
                Item::new("apiVersion", Value::Str("v1".into())),
                Item::new("kind", Value::Str("Secret".into())),
                Item::new(
                    "metadata",
                    Value::Map(vec![Item::new("name", Value::Str("s".into()))]),
                ),
                Item::new(
                    "stringData",
                    Value::Map(vec![Item::new("password", Value::Str("x".into()))]),
                ),
            ]
        };
        let k8s = Rule::EncryptedRegex("^(data|stringData)$".into());
        let encrypt = |rule: Option<Rule>| {
            let md = Metadata {
                rule,
                ..Default::default()
            };
            let mut docs = vec![manifest()];
            let mut c = Cipher::new(DataKey::generate()).unwrap();
            crate::crypt::encrypt_docs(&mut docs, &md, &mut c).unwrap();
            docs
        };
        let mut with_rule = encrypt(Some(k8s.clone()));
        assert_eq!(encrypted_values(&mut with_rule, &k8s), Ok(()));
        assert_eq!(plain_values(&mut with_rule, &k8s), Ok(()));
        let mut whole = encrypt(None);
        assert_eq!(plain_values(&mut whole, &k8s), Ok(()));
        assert_eq!(
            encrypted_values(&mut whole, &k8s),
            Err(Finding("[\"apiVersion\"]".into()))
        );
    }
}
