//! Steps shared by the subcommands: locating inputs and formats, loading an
//! encrypted file, recovering its data key, emitting and writing results.

use std::path::{Path, PathBuf};

use crate::cipher::{Cipher, DataKey};
use crate::error::{code, Error, Result};
use crate::format::Format;
use crate::keys::{self, MasterKey};
use crate::metadata::{self, Metadata, Rule};
use crate::stores::names::{self, ProblemKind};
use crate::tree::{Branch, Item, PathStep};

use super::args::Global;

/// Where the input comes from and how it is interpreted.
pub struct Input {
    /// None for stdin.
    pub path: Option<PathBuf>,
    /// The name used for format detection and config matching.
    pub name: String,
    pub in_format: Format,
    pub out_format: Format,
}

/// Resolve the input file, stdin handling and formats like sops does.
pub fn input(g: &Global, file: Option<&str>) -> Result<Input> {
    let path = match file {
        None | Some("-") => None,
        Some(f) => Some(PathBuf::from(f)),
    };
    match &path {
        None => {
            if g.in_place {
                return Err(Error::new(
                    code::ERROR_CONFLICTING_PARAMETERS,
                    "Error: cannot use --in-place when reading from stdin",
                ));
            }
            if g.filename_override.is_none() && g.input_type.is_none() {
                return Err(Error::new(
                    code::ERROR_CONFLICTING_PARAMETERS,
                    "Error: must specify --filename-override (or --input-type) when reading from stdin",
                ));
            }
        }
        Some(p) => {
            if !p.exists() {
                let abs = std::path::absolute(p).unwrap_or_else(|_| p.clone());
                return Err(Error::new(
                    code::NO_FILE_SPECIFIED,
                    format!(
                        "Error: cannot operate on non-existent file {:?}",
                        abs.display().to_string()
                    ),
                ));
            }
        }
    }
    if g.in_place && g.output.is_some() {
        return Err(Error::new(
            code::ERROR_CONFLICTING_PARAMETERS,
            "Error: cannot operate on both --output and --in-place",
        ));
    }
    let name = g
        .filename_override
        .clone()
        .or_else(|| path.as_ref().map(|p| p.display().to_string()))
        .unwrap_or_default();
    let (in_format, out_format) = formats(g, &name);
    Ok(Input {
        path,
        name,
        in_format,
        out_format,
    })
}

/// Like [`input`], for the commands sops reads with a plain file read
/// (`set`, `unset`, `rotate`, `exec-env`, `exec-file`): a missing file is
/// "Error reading file" with exit code 2, as in sops, rather than code 100.
pub fn existing_input(g: &Global, file: Option<&str>) -> Result<Input> {
    if let Some(f) = file.filter(|f| *f != "-") {
        if let Err(e) = std::fs::metadata(f) {
            return Err(Error::new(
                code::COULD_NOT_READ_INPUT_FILE,
                format!("Error reading file: {f}: {e}"),
            ));
        }
    }
    input(g, file)
}

/// Input and output formats for a file name: `--input-type`, else the
/// extension; `--output-type`, else the input format.
pub fn formats(g: &Global, name: &str) -> (Format, Format) {
    let in_format = Format::resolve(g.input_type.as_deref(), name);
    let out_format = g
        .output_type
        .as_deref()
        .and_then(Format::from_name)
        .unwrap_or(in_format);
    (in_format, out_format)
}

/// Ask a y/n question on the terminal; without an answer on stdin, fail
/// with `no_answer` (which should say which flag skips the question).
pub fn confirm(question: &str, no_answer: &str) -> Result<bool> {
    use std::io::Write;
    loop {
        print!("{question}");
        let _ = std::io::stdout().flush();
        let mut line = String::new();
        let n = std::io::stdin()
            .read_line(&mut line)
            .map_err(|e| Error::generic(format!("cannot read the answer: {e}")))?;
        if n == 0 {
            return Err(Error::generic(format!(
                "no answer on stdin (not a terminal?): {no_answer}"
            )));
        }
        match line.trim() {
            "y" => return Ok(true),
            "n" => return Ok(false),
            _ => {}
        }
    }
}

impl Input {
    pub fn read(&self) -> Result<Vec<u8>> {
        let bytes = crate::io::read_input(self.path.as_deref())?;
        // A tree takes about ten times its text in small allocations.
        crate::alloc::prepare_heap(bytes.len().saturating_mul(10));
        Ok(bytes)
    }

    /// Read an encrypted input. sops encrypts `.toml` files as binary (a
    /// JSON document): such a file is read as binary, and written back as
    /// binary unless --output-type says otherwise.
    pub fn read_encrypted(&mut self, g: &Global) -> Result<Vec<u8>> {
        let bytes = self.read()?;
        let (inf, outf) = sniff_formats(g, self.in_format, self.out_format, &bytes);
        self.in_format = inf;
        self.out_format = outf;
        Ok(bytes)
    }
    /// How the input is named in messages.
    pub fn display(&self) -> String {
        match &self.path {
            Some(p) => p.display().to_string(),
            None => "<stdin>".to_string(),
        }
    }
}

/// The formats to use for an encrypted input whose type came from its
/// extension: a sops-written `.toml` file is binary (see [`Input::read_encrypted`]).
pub fn sniff_formats(
    g: &Global,
    in_fmt: Format,
    out_fmt: Format,
    bytes: &[u8],
) -> (Format, Format) {
    if g.input_type.is_some() {
        return (in_fmt, out_fmt);
    }
    let sniffed = in_fmt.sniff(bytes);
    if sniffed == in_fmt {
        return (in_fmt, out_fmt);
    }
    let out = if g.output_type.is_some() {
        out_fmt
    } else {
        sniffed
    };
    (sniffed, out)
}

/// An encrypted file: its documents (without the `sops` entries) and
/// metadata. Once decrypted, the documents hold plaintext: they are
/// zeroized when the file is dropped.
pub struct SopsFile {
    pub docs: Vec<Branch>,
    pub md: Metadata,
}

impl Drop for SopsFile {
    fn drop(&mut self) {
        crate::tree::zeroize_docs(&mut self.docs);
    }
}

/// Parse an encrypted file and split off its metadata.
pub fn load_encrypted(bytes: &[u8], fmt: Format, name: &str) -> Result<SopsFile> {
    let mut docs = fmt.parse_tree(bytes).map_err(|e| match e.kind {
        crate::error::Kind::Unwalkable => e.in_walk(true, name),
        _ => Error::new(
            code::ERROR_GENERIC,
            format!("Error unmarshalling input {}: {}", fmt.name(), e.msg),
        )
        .context(name),
    })?;
    if docs.is_empty() {
        return Err(Error::generic(format!(
            "{name}: sops metadata not found: the file is empty; is it encrypted?"
        )));
    }
    let meta = metadata::take_metadata(&mut docs[0]).map_err(|e| e.context(name))?;
    for d in docs.iter_mut().skip(1) {
        metadata::take_metadata(d).map_err(|e| e.context(name))?;
    }
    let Some(meta) = meta else {
        return Err(Error::generic(format!(
            "{name}: sops metadata not found: the file has no top-level 'sops' entry, so it is not encrypted (or --input-type is wrong)"
        )));
    };
    let md = Metadata::from_value(&meta).map_err(|e| e.context(name))?;
    warn_unknown_fields(&md, name);
    if md.version.is_empty() {
        return Err(Error::generic(format!(
            "{name}: Version string empty: the 'sops' metadata has no version"
        )));
    }
    check_encrypted_keys(&docs, fmt, name)?;
    Ok(SopsFile { docs, md })
}

/// Refuse an encrypted file with duplicate keys or key names holding
/// control characters ([`names::check_docs`]): key names are not covered
/// by the MAC, so such keys may have been added by anyone who could change
/// the file. The message says how to repair the file by hand (`edit`
/// cannot open it either).
pub fn check_encrypted_keys(docs: &[Branch], fmt: Format, name: &str) -> Result<()> {
    let Err(p) = names::check_docs(docs) else {
        return Ok(());
    };
    let what = match p.kind {
        ProblemKind::Duplicate if fmt == Format::Ini && p.path.matches('[').count() == 1 => {
            "the repeated section (move its keys into the first section of that name if they belong there)"
        }
        ProblemKind::Duplicate => "the second entry of that name",
        ProblemKind::Forbidden(_) => "that entry",
    };
    let how = if p.value_is_empty {
        format!(
            "Its value is empty, so it adds nothing to the MAC and the file verifies with or without it: if you did not add it, someone who could change the file did. Delete {what} from the encrypted file with a text editor (`rsops edit` refuses the file too); the file then decrypts as before."
        )
    } else {
        format!(
            "It holds a value, which is part of the MAC: delete {what} from the encrypted file with a text editor (`rsops edit` refuses the file too), check the remaining values with `rsops decrypt --ignore-mac`, then write a new MAC with `rsops rotate --ignore-mac -i FILE`."
        )
    };
    Err(Error::new(
        code::COULD_NOT_READ_INPUT_FILE,
        format!(
            "{name}: {}. rsops refuses such keys in an encrypted file (sops accepts them), because key names are not covered by the MAC. {how}",
            p.describe()
        ),
    ))
}

/// Refuse plaintext documents (to be encrypted) with duplicate keys or key
/// names holding control characters: rsops would refuse to decrypt the
/// result ([`check_encrypted_keys`]).
pub fn check_plain_keys(docs: &[Branch], name: &str) -> Result<()> {
    names::check_docs(docs).map_err(|p| {
        let fix = match p.kind {
            ProblemKind::Duplicate => "keep one of them (or rename the other)",
            ProblemKind::Forbidden(_) => "rename the key",
        };
        Error::new(
            code::COULD_NOT_READ_INPUT_FILE,
            format!(
                "{name}: {}. rsops does not encrypt such keys (it would refuse to decrypt the result): {fix}",
                p.describe()
            ),
        )
    })
}

/// Say once per run and field that a file's metadata holds something this
/// version does not know (a newer sops wrote it): it is kept, not used.
fn warn_unknown_fields(md: &Metadata, name: &str) {
    use std::sync::Mutex;
    static SEEN: Mutex<Vec<String>> = Mutex::new(Vec::new());
    for f in md.unknown_fields() {
        let mut seen = SEEN.lock().unwrap_or_else(|e| e.into_inner());
        if seen.contains(&f) {
            continue;
        }
        eprintln!(
            "rsops: warning: {name}: the sops metadata has a field {f:?} that this version of rsops does not know \
             (written by a newer sops?); it is kept as it is whenever the file is rewritten, but rsops cannot use it"
        );
        seen.push(f);
    }
}

/// Emit an encrypted file: the metadata goes into every YAML document and
/// into the single document of the other formats.
pub fn emit_encrypted(file: &mut SopsFile, fmt: Format, indent: Option<usize>) -> Result<Vec<u8>> {
    // The flattened metadata of dotenv and INI has no way to write an empty
    // key group: it would vanish, and the shares of the others would no
    // longer match the number of groups (an undecryptable file).
    let groups = &file.md.key_groups;
    if fmt.is_flat() && groups.len() > 1 && groups.iter().any(|g| g.is_empty()) {
        return Err(Error::new(
            code::ERROR_DUMPING_TREE,
            format!(
                "Could not marshal tree: a {} file cannot hold an empty key group; remove the group or use YAML or JSON",
                fmt.name()
            ),
        ));
    }
    let meta = file
        .md
        .to_value_for(matches!(fmt, Format::Json | Format::Binary));
    let n = if fmt == Format::Yaml {
        file.docs.len()
    } else {
        file.docs.len().min(1)
    };
    for d in file.docs.iter_mut().take(n) {
        d.push(Item::new(metadata::SOPS_KEY, meta.clone()));
    }
    let out = fmt.emit_tree(&file.docs, indent);
    for d in file.docs.iter_mut().take(n) {
        d.pop();
    }
    out.map_err(|e| {
        Error::new(
            code::ERROR_DUMPING_TREE,
            format!("Could not marshal tree: {}", e.msg),
        )
    })
}

/// The indentation for output: `--indent`, else the config's store setting.
pub fn indent(
    g: &Global,
    cfg: Option<&crate::config::Config>,
    fmt: Format,
) -> Result<Option<usize>> {
    if g.indent.is_some() {
        return Ok(g.indent);
    }
    let Some(c) = cfg else { return Ok(None) };
    let s = c.stores()?;
    Ok(match fmt {
        Format::Yaml => s.yaml_indent,
        Format::Json => s.json_indent,
        Format::Binary => s.json_binary_indent,
        _ => None,
    })
}

/// The key context of a run: identities loaded on first use, and the key
/// services from `--enable-local-keyservice` and `--keyservice` (local
/// first, then each remote, as sops orders them). Every subcommand gets its
/// context here.
pub fn key_ctx(g: &Global) -> crate::datakey::Context {
    crate::datakey::Context::with_services(crate::datakey::Services::new(
        g.enable_local_keyservice,
        &g.keyservice,
    ))
}

pub fn decryption_order(g: &Global) -> Vec<String> {
    g.decryption_order
        .as_deref()
        .map(|s| {
            s.split(',')
                .map(|t| t.trim().to_string())
                .filter(|t| !t.is_empty())
                .collect()
        })
        .unwrap_or_default()
}

/// Recover the data key and decrypt the documents, checking the MAC.
pub fn decrypt_file(
    file: &mut SopsFile,
    g: &Global,
    ctx: &mut crate::datakey::Context,
    name: &str,
    remember: bool,
) -> Result<Cipher> {
    let key = crate::datakey::unwrap_data_key(&file.md, &decryption_order(g), ctx)
        .map_err(|e| e.context(name))?;
    let mut cipher = Cipher::new(key)?;
    if !remember {
        cipher = cipher.without_memory();
    }
    crate::crypt::decrypt_and_verify(&mut file.docs, &file.md, &mut cipher, g.ignore_mac)
        .map_err(|e| e.context(name))?;
    Ok(cipher)
}

/// Encrypt plaintext documents under a new data key for the metadata's keys.
pub fn encrypt_new(
    docs: &mut [Branch],
    md: &mut Metadata,
    ctx: &mut crate::datakey::Context,
) -> Result<()> {
    let key = DataKey::generate();
    crate::datakey::wrap_data_key(md, &key, ctx)?;
    let mut cipher = Cipher::new(key)?;
    crate::crypt::encrypt_and_seal(docs, md, &mut cipher)
}

/// The options that apply to keys named on the command line
/// (`--encryption-context`, `--aws-profile`); an invalid context fails
/// with exit code 6, as in sops.
pub fn key_options(g: &Global) -> Result<keys::KeyOptions> {
    Ok(keys::KeyOptions {
        encryption_context: keys::awskms::parse_context(
            g.encryption_context.as_deref().unwrap_or(""),
        )?,
        aws_profile: g.aws_profile.clone().unwrap_or_default(),
    })
}

/// Master keys named on the command line for new files.
pub fn keys_from_flags(g: &Global) -> Result<Vec<MasterKey>> {
    keys::keys_from_lists(g.keys.new_keys(), &key_options(g)?)
}

/// The partial-encryption rule from the flags (at most one).
pub fn rule_from_flags(g: &Global) -> Result<Option<Rule>> {
    let mut rules = Vec::new();
    if let Some(s) = &g.unencrypted_suffix {
        rules.push(Rule::UnencryptedSuffix(s.clone()));
    }
    if let Some(s) = &g.encrypted_suffix {
        rules.push(Rule::EncryptedSuffix(s.clone()));
    }
    if let Some(s) = &g.unencrypted_regex {
        rules.push(Rule::UnencryptedRegex(s.clone()));
    }
    if let Some(s) = &g.encrypted_regex {
        rules.push(Rule::EncryptedRegex(s.clone()));
    }
    if let Some(s) = &g.unencrypted_comment_regex {
        rules.push(Rule::UnencryptedCommentRegex(s.clone()));
    }
    if let Some(s) = &g.encrypted_comment_regex {
        rules.push(Rule::EncryptedCommentRegex(s.clone()));
    }
    if rules.len() > 1 {
        return Err(Error::new(
            code::ERROR_CONFLICTING_PARAMETERS,
            "Error: cannot use more than one of --unencrypted-suffix, --encrypted-suffix, --unencrypted-regex, --encrypted-regex, --unencrypted-comment-regex and --encrypted-comment-regex",
        ));
    }
    for r in &rules {
        if matches!(
            r,
            Rule::UnencryptedRegex(_)
                | Rule::EncryptedRegex(_)
                | Rule::UnencryptedCommentRegex(_)
                | Rule::EncryptedCommentRegex(_)
        ) {
            regex::Regex::new(r.value()).map_err(|e| {
                Error::generic(format!(
                    "invalid regular expression for {}: {e}",
                    r.field().replace('_', "-")
                ))
            })?;
        }
    }
    Ok(rules.pop())
}

/// Free what a command built once its output is written. The tree of a
/// large file is hundreds of thousands of small allocations (1–3 ms for
/// 1 MB of YAML), so when `output_len` says the file was large they are
/// freed on a short-lived thread while the command returns; a small one is
/// freed here. Whatever must be wiped is wiped by the caller before, or by
/// `v`'s own `Drop`, which then runs on that thread.
pub fn free_after_output<T: Send + 'static>(v: T, output_len: usize) {
    const LARGE: usize = 256 << 10;
    if output_len < LARGE {
        return;
    }
    // If no thread can be started, the closure (and `v`) is dropped here.
    let _ = std::thread::Builder::new()
        .name("free".into())
        .spawn(move || drop(v));
}

/// Write the result where the flags say: in place, to --output, or stdout.
pub fn write_output(g: &Global, input: &Input, data: &[u8]) -> Result<()> {
    if g.in_place {
        let p = input.path.as_deref().ok_or_else(|| {
            Error::new(
                code::ERROR_CONFLICTING_PARAMETERS,
                "Error: cannot use --in-place when reading from stdin",
            )
        })?;
        crate::io::write_atomic(p, data)
    } else if let Some(o) = &g.output {
        crate::io::write_atomic(Path::new(o), data)
    } else {
        crate::io::write_stdout(data)
    }
}

/// Parse sops' tree path syntax: `["key"][0]['other']`.
pub fn parse_tree_path(s: &str) -> Result<Vec<PathStep>> {
    let bad = |m: String| {
        Error::new(
            code::INVALID_TREE_PATH_FORMAT,
            format!("error parsing path {s:?}: {m}"),
        )
    };
    let mut out = Vec::new();
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'[' {
            return Err(bad(format!("expected '[' at offset {i}")));
        }
        i += 1;
        if i < b.len() && (b[i] == b'"' || b[i] == b'\'') {
            let q = b[i];
            let start = i + 1;
            let mut j = start;
            while j < b.len() && !(b[j] == q && j + 1 < b.len() && b[j + 1] == b']') {
                j += 1;
            }
            if j >= b.len() {
                return Err(bad("unterminated quoted key".into()));
            }
            out.push(PathStep::Key(s[start..j].to_string()));
            i = j + 2;
        } else {
            let start = i;
            while i < b.len() && b[i] != b']' {
                i += 1;
            }
            if i >= b.len() {
                return Err(bad(format!("component {} doesn't end with ]", &s[start..])));
            }
            let n: usize = s[start..i].trim().parse().map_err(|_| {
                bad(format!(
                    "{:?} is neither a quoted key nor a list index",
                    &s[start..i]
                ))
            })?;
            out.push(PathStep::Index(n));
            i += 1;
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tree_paths() {
        assert_eq!(
            parse_tree_path(r#"["a"][0]['b[c]']"#).unwrap(),
            vec![
                PathStep::Key("a".into()),
                PathStep::Index(0),
                PathStep::Key("b[c]".into())
            ]
        );
        assert_eq!(
            parse_tree_path("bad").unwrap_err().code,
            code::INVALID_TREE_PATH_FORMAT
        );
        assert!(parse_tree_path("[\"a\"").is_err());
        assert!(parse_tree_path("[x]").is_err());
        assert_eq!(parse_tree_path("").unwrap(), vec![]);
    }
}
