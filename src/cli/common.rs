//! Steps shared by the subcommands: locating inputs and formats, loading an
//! encrypted file, recovering its data key, emitting and writing results.

use std::path::{Path, PathBuf};

use crate::cipher::Cipher;
use crate::error::{code, Error, Result};
use crate::format::Format;
use crate::keys::{self, MasterKey};
use crate::metadata::{Metadata, Rule};

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
            return Err(Error::with_source(
                code::COULD_NOT_READ_INPUT_FILE,
                format!("Error reading file: {f}"),
                e,
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
            .map_err(|e| Error::with_source(code::ERROR_GENERIC, "cannot read the answer", e))?;
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
        crate::platform::expect_allocations(bytes.len().saturating_mul(10));
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

pub use crate::file::{check_plain_keys, emit_encrypted, encrypt_new, SopsFile};
pub use crate::tree::parse_tree_path;

/// Parse an encrypted file and split off its metadata
/// ([`crate::file::load_encrypted`]), warning about metadata this version
/// does not know.
pub fn load_encrypted(bytes: &[u8], fmt: Format, name: &str) -> Result<SopsFile> {
    let f = crate::file::load_encrypted(bytes, fmt, name)?;
    warn_unknown_fields(&f.md, name);
    Ok(f)
}

/// The decryption options of the flags.
pub fn decrypt_options(g: &Global, remember: bool) -> crate::file::DecryptOptions {
    crate::file::DecryptOptions {
        order: decryption_order(g),
        ignore_mac: g.ignore_mac,
        remember,
    }
}

/// Recover the data key and decrypt the documents, checking the MAC unless
/// `--ignore-mac` ([`crate::file::decrypt`]).
pub fn decrypt_file(
    file: &mut SopsFile,
    g: &Global,
    ctx: &mut crate::datakey::Context,
    name: &str,
    remember: bool,
) -> Result<Cipher> {
    crate::file::decrypt(file, ctx, &decrypt_options(g, remember), name)
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
        .map(crate::datakey::parse_decryption_order)
        .unwrap_or_default()
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
