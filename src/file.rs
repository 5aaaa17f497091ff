//! The encrypted-file API: what `rsops` does to a file, for programs.
//!
//! Two levels:
//!
//! * [`Decryptor`] and [`Encryptor`] turn bytes into bytes or trees in one
//!   call, finding keys the way the `rsops` command does (age identities
//!   from `SOPS_AGE_KEY`, `SOPS_AGE_KEY_FILE`, `SOPS_AGE_KEY_CMD` and
//!   `keys.txt`, gpg, the cloud key services' usual credentials), like sops'
//!   Go `decrypt` package;
//! * the steps they are made of: [`load_encrypted`] (parse and split off the
//!   metadata), [`decrypt`] (recover the data key, decrypt, check the MAC),
//!   [`encrypt_new`] and [`emit_encrypted`]; the CLI runs these steps.
//!
//! ```no_run
//! # fn main() -> rsops::error::Result<()> {
//! // As `sops decrypt --output-type json secrets.enc.yaml`:
//! let bytes = std::fs::read("secrets.enc.yaml").unwrap();
//! let json = rsops::file::Decryptor::new()
//!     .decrypt_to(&bytes, rsops::format::Format::Yaml, rsops::format::Format::Json)?;
//! # let _ = json;
//! # Ok(())
//! # }
//! ```

use zeroize::Zeroizing;

use crate::cipher::{Cipher, DataKey};
use crate::datakey::Context;
use crate::error::{code, Error, Result};
use crate::format::Format;
use crate::metadata::{self, KeyGroup, Metadata, Rule};
use crate::stores::names::{self, ProblemKind};
use crate::tree::{Branch, Item, Value};

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
    let mut docs = fmt.parse_tree(bytes).map_err(|e| {
        crate::stores::read_error(e, true, name, code::ERROR_GENERIC, || {
            format!("{name}: Error unmarshalling input {}", fmt.name())
        })
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
    out.map_err(|e| Error::with_source(code::ERROR_DUMPING_TREE, "Could not marshal tree", e))
}

/// How a file is decrypted.
#[derive(Clone, Debug, Default)]
pub struct DecryptOptions {
    /// Key kinds in the order they are tried (`--decryption-order`); empty:
    /// age, then PGP, then the others, as sops does.
    pub order: Vec<String>,
    /// Decrypt even when the MAC does not match (`--ignore-mac`).
    pub ignore_mac: bool,
    /// Remember what is decrypted, so that unchanged values keep their
    /// ciphertext when the file is encrypted again with the returned
    /// cipher (`edit`, `set`).
    pub remember: bool,
}

/// Recover the data key and decrypt the documents, checking the MAC.
/// `name` names the file in errors. Returns the cipher (the data key), to
/// encrypt the documents again.
///
/// The steps `rsops set` takes, with [`load_encrypted`], [`encrypt_new`]
/// and [`emit_encrypted`]:
///
/// ```
/// use rsops::file::{decrypt, emit_encrypted, load_encrypted, DecryptOptions, Encryptor};
/// use rsops::format::Format;
/// use rsops::tree::{set_path, parse_tree_path, Value};
/// # fn main() -> rsops::error::Result<()> {
/// # let id = age::x25519::Identity::generate();
/// # let r = id.to_public().to_string();
/// # std::env::set_var("SOPS_AGE_KEY", age::secrecy::ExposeSecret::expose_secret(&id.to_string()));
/// # let bytes = Encryptor::for_recipients(&format!("age:{r}"))?
/// #     .encrypt_bytes(b"{\"a\": \"x\"}", Format::Json, Format::Json)?;
/// let mut file = load_encrypted(&bytes, Format::Json, "secrets.json")?;
/// let mut ctx = rsops::datakey::Context::default();
/// let opts = DecryptOptions { remember: true, ..Default::default() };
/// let mut cipher = decrypt(&mut file, &mut ctx, &opts, "secrets.json")?;
/// set_path(&mut file.docs[0], &parse_tree_path(r#"["a"]"#)?, Value::Str("y".into()))
///     .map_err(rsops::error::Error::generic_from)?;
/// rsops::crypt::encrypt_and_seal(&mut file.docs, &mut file.md, &mut cipher)?;
/// let out = emit_encrypted(&mut file, Format::Json, None)?;
/// assert!(String::from_utf8_lossy(&out).contains("ENC[AES256_GCM"));
/// # Ok(())
/// # }
/// ```
pub fn decrypt(
    file: &mut SopsFile,
    ctx: &mut Context,
    opts: &DecryptOptions,
    name: &str,
) -> Result<Cipher> {
    let key =
        crate::datakey::unwrap_data_key(&file.md, &opts.order, ctx).map_err(|e| e.context(name))?;
    let mut cipher = Cipher::new(key)?;
    if !opts.remember {
        cipher = cipher.without_memory();
    }
    crate::crypt::decrypt_and_verify(&mut file.docs, &file.md, &mut cipher, opts.ignore_mac)
        .map_err(|e| e.context(name))?;
    Ok(cipher)
}

/// Encrypt plaintext documents under a new data key for the metadata's keys.
pub fn encrypt_new(docs: &mut [Branch], md: &mut Metadata, ctx: &mut Context) -> Result<()> {
    let key = DataKey::generate();
    crate::datakey::wrap_data_key(md, &key, ctx).map_err(Error::generic_from)?;
    let mut cipher = Cipher::new(key)?;
    crate::crypt::encrypt_and_seal(docs, md, &mut cipher)
}

/// Decrypts files with the keys this process can find (the same discovery
/// as the `rsops` command), reading each identity once however many files
/// it opens.
///
/// ```
/// use rsops::file::{Decryptor, Encryptor};
/// use rsops::format::Format;
/// # fn main() -> rsops::error::Result<()> {
/// # let id = age::x25519::Identity::generate();
/// # let recipient = id.to_public().to_string();
/// # std::env::set_var("SOPS_AGE_KEY", age::secrecy::ExposeSecret::expose_secret(&id.to_string()));
/// let sealed = Encryptor::for_recipients(&format!("age:{recipient}"))?
///     .encrypt_bytes(b"db:\n  password: hunter2\n", Format::Yaml, Format::Yaml)?;
/// let mut d = Decryptor::new();
/// let plain = d.decrypt_to(&sealed, Format::Yaml, Format::Yaml)?;
/// assert_eq!(&plain[..], b"db:\n    password: hunter2\n");
/// let file = d.decrypt(&sealed, Format::Yaml)?;
/// assert_eq!(
///     file.extract(r#"["db"]["password"]"#)?,
///     &rsops::tree::Value::Str("hunter2".into())
/// );
///
/// // A file for a key this process does not hold: sops' exit code, and
/// // every key's failure as a typed value.
/// # let other = age::x25519::Identity::generate().to_public().to_string();
/// let locked = Encryptor::for_recipients(&format!("age:{other}"))?
///     .encrypt_bytes(b"a: b\n", Format::Yaml, Format::Yaml)?;
/// let Err(e) = d.decrypt(&locked, Format::Yaml) else { panic!("decrypted") };
/// assert_eq!(e.code(), rsops::error::code::COULD_NOT_RETRIEVE_KEY);
/// let why = e.source_as::<rsops::datakey::RecoveryError>().expect("the keys tried");
/// assert!(matches!(why.groups[0][..], [(_, rsops::keys::KeyError::Crypto(_))]));
/// # Ok(())
/// # }
/// ```
#[derive(Default)]
pub struct Decryptor {
    ctx: Context,
    opts: DecryptOptions,
}

impl Decryptor {
    /// Local keys only (no key service), sops' decryption order, MAC checked.
    pub fn new() -> Decryptor {
        Decryptor::default()
    }

    /// Use these key services (`--keyservice`, `--enable-local-keyservice`).
    pub fn with_services(mut self, services: crate::datakey::Services) -> Decryptor {
        self.ctx.services = services;
        self
    }

    /// Try key kinds in this order (`--decryption-order`: `age`, `pgp`,
    /// `kms`, `gcp_kms`, `azure_kv`, `hc_vault`…).
    pub fn with_decryption_order(mut self, order: &[&str]) -> Decryptor {
        self.opts.order = order.iter().map(|s| s.to_string()).collect();
        self
    }

    /// Decrypt even when the MAC does not match (`--ignore-mac`).
    pub fn ignore_mac(mut self) -> Decryptor {
        self.opts.ignore_mac = true;
        self
    }

    /// The file's documents, decrypted, and its metadata.
    pub fn decrypt(&mut self, bytes: &[u8], format: Format) -> Result<SopsFile> {
        let format = format.sniff(bytes);
        let mut f = load_encrypted(bytes, format, "input")?;
        decrypt(&mut f, &mut self.ctx, &self.opts, "input")?;
        Ok(f)
    }

    /// The plaintext, written in `output` (as `sops decrypt`; like Go's
    /// `decrypt.DataWithFormat`). Wiped when dropped.
    pub fn decrypt_to(
        &mut self,
        bytes: &[u8],
        input: Format,
        output: Format,
    ) -> Result<Zeroizing<Vec<u8>>> {
        let f = self.decrypt(bytes, input)?;
        output
            .emit_plain(&f.docs, None)
            .map(Zeroizing::new)
            .map_err(|e| Error::with_source(code::ERROR_DUMPING_TREE, "Error dumping file", e))
    }

    /// Decrypt a file, its format from its name (as Go's `decrypt.File`).
    pub fn decrypt_file(
        &mut self,
        path: impl AsRef<std::path::Path>,
    ) -> Result<Zeroizing<Vec<u8>>> {
        let path = path.as_ref();
        let bytes = crate::io::read_input(Some(path))?;
        let format = Format::resolve(None, &path.display().to_string()).sniff(&bytes);
        let f = load_encrypted(&bytes, format, &path.display().to_string())?;
        let mut f = f;
        decrypt(
            &mut f,
            &mut self.ctx,
            &self.opts,
            &path.display().to_string(),
        )?;
        format
            .emit_plain(&f.docs, None)
            .map(Zeroizing::new)
            .map_err(|e| Error::with_source(code::ERROR_DUMPING_TREE, "Error dumping file", e))
    }
}

impl SopsFile {
    /// The value at a sops tree path (`["a"][0]["b"]`) of the first
    /// document, as `--extract` takes it.
    pub fn extract(&self, path: &str) -> Result<&Value> {
        let steps = crate::tree::parse_tree_path(path)?;
        let first = self
            .docs
            .first()
            .ok_or_else(|| Error::generic("error truncating tree: the file has no document"))?;
        crate::tree::lookup(first, &steps)
    }
}

/// Encrypts plaintext for a set of recipients (and a partial-encryption
/// rule), the way `rsops encrypt` does; see [`Decryptor`] for an example.
pub struct Encryptor {
    ctx: Context,
    md: Metadata,
}

impl Encryptor {
    /// Recipients given as `kind:list` items separated by spaces, where a
    /// kind is a key source's flag name and a list is what that flag takes
    /// (`"age:age1… pgp:FPR kms:arn:aws:kms:…"`).
    pub fn for_recipients(spec: &str) -> Result<Encryptor> {
        let mut lists = Vec::new();
        for item in spec.split_whitespace() {
            let (kind, list) = item.split_once(':').ok_or_else(|| {
                Error::generic(format!("{item:?} is not KIND:LIST (for example age:age1…)"))
            })?;
            let s = crate::keys::sources()
                .iter()
                .find(|s| s.names().flag == kind || s.names().id == kind)
                .ok_or_else(|| Error::generic(format!("unknown key kind {kind:?}")))?;
            lists.push((s.names().id, list));
        }
        let keys = crate::keys::keys_from_lists(lists, &Default::default())?;
        Ok(Encryptor::for_keys(vec![keys]))
    }

    /// Encrypt for these key groups (one group: every key can decrypt).
    pub fn for_keys(key_groups: Vec<KeyGroup>) -> Encryptor {
        Encryptor {
            ctx: Context::default(),
            md: Metadata {
                key_groups,
                ..Default::default()
            },
        }
    }

    /// Encrypt for what the creation rule of `.sops.yaml` (found from the
    /// working directory upwards, as the command does) says for a file
    /// named `name`: keys, rule, Shamir threshold.
    pub fn from_creation_rules(name: &str) -> Result<Encryptor> {
        let cfg = crate::config::Config::discover(None)?
            .ok_or_else(|| Error::new(code::CONFIG_FILE_NOT_FOUND, "config file not found"))?;
        let rule = cfg
            .creation_rule_for(std::path::Path::new(name))?
            .ok_or_else(|| Error::generic(format!("no creation rule matches {name}")))?;
        let mut e = Encryptor::for_keys(rule.key_groups);
        e.md.shamir_threshold = rule.shamir_threshold;
        e.md.mac_only_encrypted = rule.mac_only_encrypted;
        if let Some(r) = rule.rule {
            e.md.rule = Some(r);
        }
        Ok(e)
    }

    /// Encrypt only the values this rule selects.
    pub fn with_rule(mut self, rule: Rule) -> Encryptor {
        self.md.rule = Some(rule);
        self
    }

    /// Encrypt documents under a new data key.
    pub fn encrypt(&mut self, docs: Vec<Branch>) -> Result<SopsFile> {
        check_plain_keys(&docs, "input")?;
        let mut f = SopsFile {
            docs,
            md: self.md.clone(),
        };
        encrypt_new(&mut f.docs, &mut f.md, &mut self.ctx)?;
        Ok(f)
    }

    /// Encrypt plaintext bytes, written in `output`.
    pub fn encrypt_bytes(
        &mut self,
        plain: &[u8],
        input: Format,
        output: Format,
    ) -> Result<Vec<u8>> {
        let docs = input.parse_plain(plain).map_err(|e| {
            crate::stores::read_error(
                e,
                false,
                "the plaintext",
                code::COULD_NOT_READ_INPUT_FILE,
                || format!("Error unmarshalling the plaintext as {}", input.name()),
            )
        })?;
        let mut f = self.encrypt(docs)?;
        emit_encrypted(&mut f, output, None)
    }
}
