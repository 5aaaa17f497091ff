//! The command line, defined once with clap: sops 3.x subcommands, flags and
//! environment variables, including the legacy `-e`/`-d`/`-r` forms.
// The doc comments here are clap's help texts (`--set '["key"][0] …'`), not
// rustdoc: their brackets are not links.
#![allow(rustdoc::broken_intra_doc_links)]

use clap::{Args, Parser, Subcommand};

const AFTER_HELP: &str = "\
Examples:
  rsops encrypt --age age1… secrets.yaml > secrets.enc.yaml
  rsops encrypt -i secrets.yaml              # keys from .sops.yaml
  rsops decrypt secrets.enc.yaml
  rsops decrypt --extract '[\"db\"][\"password\"]' secrets.enc.yaml
  rsops edit secrets.enc.yaml
  rsops -d secrets.enc.yaml                  # sops' legacy form

Identities for decryption are read from SOPS_AGE_KEY, SOPS_AGE_KEY_FILE,
SOPS_AGE_KEY_CMD, $XDG_CONFIG_HOME/sops/age/keys.txt and SSH keys, as sops does.

OpenPGP goes through gpg (SOPS_GPG_EXEC, GNUPGHOME, gpg-agent, smartcards) and,
when gpg is missing or fails, through the built-in OpenPGP code, which reads
RSOPS_PGP_KEY (an exported key), RSOPS_PGP_KEY_FILE and the GnuPG home's
secring.gpg, pubring.gpg and pubring.kbx. RSOPS_PGP_BACKEND=gpg|builtin forces one.";

#[derive(Parser, Debug)]
#[command(
    name = "rsops",
    version,
    about = "rsops - encrypted file editor, compatible with sops: age, PGP, KMS and more",
    after_help = AFTER_HELP,
    args_conflicts_with_subcommands = false,
    subcommand_negates_reqs = true,
    disable_version_flag = true
)]
pub struct Cli {
    /// Print the version (-v as in sops, -V as in most tools)
    #[arg(short = 'v', short_alias = 'V', long = "version", action = clap::ArgAction::Version)]
    version: Option<bool>,

    #[command(subcommand)]
    pub command: Option<Command>,

    /// Legacy mode: decrypt FILE
    #[arg(short = 'd', long = "decrypt", global = false)]
    pub decrypt: bool,
    /// Legacy mode: encrypt FILE
    #[arg(short = 'e', long = "encrypt")]
    pub encrypt: bool,
    /// Legacy mode: generate a new data key and re-encrypt FILE
    #[arg(short = 'r', long = "rotate")]
    pub rotate: bool,
    /// Legacy mode: set a value, e.g. --set '["key"][0] {"v":true}'
    #[arg(long = "set", value_name = "PATH VALUE")]
    pub set: Option<String>,

    #[command(flatten)]
    pub g: Global,

    /// The file to edit (legacy mode: with -d/-e/-r, the file to process)
    pub file: Option<String>,
}

/// The key flags of every key source, made from [`crate::keys::sources`]:
/// `--FLAG` (and its environment variable) names keys for new files,
/// `--add-FLAG`/`--rm-FLAG` change a file's keys (`rotate`). Values are
/// comma-separated lists, kept by key kind.
#[derive(Clone, Debug, Default)]
pub struct KeyFlags {
    set: Vec<(&'static str, String)>,
    add: Vec<(&'static str, String)>,
    rm: Vec<(&'static str, String)>,
}

impl KeyFlags {
    /// `(kind, list)` of the keys named for new files.
    pub fn new_keys(&self) -> impl Iterator<Item = (&str, &str)> {
        self.set.iter().map(|(k, v)| (*k, v.as_str()))
    }
    /// `(kind, list)` of the keys `rotate` adds.
    pub fn added(&self) -> impl Iterator<Item = (&str, &str)> {
        self.add.iter().map(|(k, v)| (*k, v.as_str()))
    }
    /// `(kind, list)` of the keys `rotate` removes.
    pub fn removed(&self) -> impl Iterator<Item = (&str, &str)> {
        self.rm.iter().map(|(k, v)| (*k, v.as_str()))
    }
    /// Whether any `--add-*`/`--rm-*` flag was given.
    pub fn changes_keys(&self) -> bool {
        !self.add.is_empty() || !self.rm.is_empty()
    }
}

impl clap::FromArgMatches for KeyFlags {
    fn from_arg_matches(m: &clap::ArgMatches) -> Result<Self, clap::Error> {
        let mut f = KeyFlags::default();
        f.update_from_arg_matches(m)?;
        Ok(f)
    }
    fn update_from_arg_matches(&mut self, m: &clap::ArgMatches) -> Result<(), clap::Error> {
        for s in crate::keys::sources() {
            let n = s.names();
            for (id, into) in [
                (n.flag, &mut self.set),
                (n.add_flag, &mut self.add),
                (n.rm_flag, &mut self.rm),
            ] {
                if let Ok(Some(v)) = m.try_get_one::<String>(id) {
                    into.retain(|(k, _)| *k != n.id);
                    into.push((n.id, v.clone()));
                }
            }
        }
        Ok(())
    }
}

impl clap::Args for KeyFlags {
    fn augment_args(mut cmd: clap::Command) -> clap::Command {
        use clap::Arg;
        for s in crate::keys::sources() {
            let n = s.names();
            let help = |text: String| match s.feature() {
                Some(f) => f.help(&text),
                None => text,
            };
            let mut a = Arg::new(n.flag)
                .long(n.flag)
                .global(true)
                .value_name(n.value_name)
                .help(help(format!("Comma separated list of {}", n.help)));
            if let Some(c) = n.short {
                a = a.short(c);
            }
            if let Some(e) = n.env {
                a = a.env(e);
            }
            cmd = cmd.arg(a);
        }
        for s in crate::keys::sources() {
            let n = s.names();
            let help = |text: String| match s.feature() {
                Some(f) => f.help(&text),
                None => text,
            };
            cmd = cmd
                .arg(
                    Arg::new(n.add_flag)
                        .long(n.add_flag)
                        .global(true)
                        .value_name(n.value_name)
                        .help(help(format!(
                            "Add {}s (comma separated) to the file's keys (rotate)",
                            n.noun
                        ))),
                )
                .arg(
                    Arg::new(n.rm_flag)
                        .long(n.rm_flag)
                        .global(true)
                        .value_name(n.value_name)
                        .help(format!(
                            "Remove {}s (comma separated) from the file's keys (rotate)",
                            n.noun
                        )),
                );
        }
        cmd
    }
    fn augment_args_for_update(cmd: clap::Command) -> clap::Command {
        Self::augment_args(cmd)
    }
}

/// Flags accepted before or after any subcommand.
#[derive(Args, Debug, Default, Clone)]
pub struct Global {
    /// Write output back to the same file instead of stdout
    #[arg(short = 'i', long = "in-place", global = true)]
    pub in_place: bool,
    /// Save the output to the file specified
    #[arg(long, global = true, value_name = "FILE")]
    pub output: Option<String>,
    /// Extract a specific key or branch from the input document, e.g. '["somekey"][0]'
    #[arg(long, global = true, value_name = "PATH")]
    pub extract: Option<String>,
    /// Input format: json, yaml, dotenv, ini or binary (default: from the extension)
    #[arg(long = "input-type", global = true, value_name = "TYPE")]
    pub input_type: Option<String>,
    /// Output format: json, yaml, dotenv, ini or binary (default: the input format)
    #[arg(long = "output-type", global = true, value_name = "TYPE")]
    pub output_type: Option<String>,
    /// Use this file name instead of the argument for the config and the formats (needed when reading stdin)
    #[arg(long = "filename-override", global = true, value_name = "NAME")]
    pub filename_override: Option<String>,
    /// The key flags of every key source (`--age`, `--pgp`, `--kms`, … with
    /// their environment variables, and rotate's `--add-*`/`--rm-*`).
    #[command(flatten)]
    pub keys: KeyFlags,
    /// The AWS profile to use for requests to AWS
    #[arg(long = "aws-profile", global = true)]
    pub aws_profile: Option<String>,
    /// Comma separated list of KMS encryption context key:value pairs
    #[arg(long = "encryption-context", global = true)]
    pub encryption_context: Option<String>,
    /// Keys whose name ends with this suffix stay unencrypted (default _unencrypted)
    #[arg(long = "unencrypted-suffix", global = true)]
    pub unencrypted_suffix: Option<String>,
    /// Only keys whose name ends with this suffix are encrypted
    #[arg(long = "encrypted-suffix", global = true)]
    pub encrypted_suffix: Option<String>,
    /// Keys matching this regex stay unencrypted
    #[arg(long = "unencrypted-regex", global = true)]
    pub unencrypted_regex: Option<String>,
    /// Only keys matching this regex are encrypted
    #[arg(long = "encrypted-regex", global = true)]
    pub encrypted_regex: Option<String>,
    /// Values preceded by a comment matching this regex stay unencrypted
    #[arg(long = "unencrypted-comment-regex", global = true)]
    pub unencrypted_comment_regex: Option<String>,
    /// Only values preceded by a comment matching this regex are encrypted
    #[arg(long = "encrypted-comment-regex", global = true)]
    pub encrypted_comment_regex: Option<String>,
    /// Compute the MAC only over values which end up encrypted
    #[arg(long = "mac-only-encrypted", global = true)]
    pub mac_only_encrypted: bool,
    /// Number of key groups required to recover the data key
    #[arg(
        long = "shamir-secret-sharing-threshold",
        global = true,
        value_name = "N"
    )]
    pub shamir_threshold: Option<usize>,
    /// Ignore the Message Authentication Code during decryption
    #[arg(long = "ignore-mac", global = true)]
    pub ignore_mac: bool,
    /// Number of spaces to indent YAML or JSON output
    #[arg(long, global = true, value_name = "N")]
    pub indent: Option<usize>,
    /// Path to the config file (default: .sops.yaml found upwards from the working directory)
    #[arg(long, global = true, env = "SOPS_CONFIG", value_name = "FILE")]
    pub config: Option<String>,
    /// Comma separated list of key types, tried in this order when decrypting
    #[arg(
        long = "decryption-order",
        global = true,
        env = "SOPS_DECRYPTION_ORDER",
        value_name = "TYPES"
    )]
    pub decryption_order: Option<String>,
    /// Display master keys in the file during editing
    #[arg(short = 's', long = "show-master-keys", global = true)]
    pub show_master_keys: bool,
    /// encrypt: reuse the data key, recipients and unchanged ciphertexts of this
    /// encrypted file; if no value changed, its bytes are written unchanged
    #[arg(long = "reuse-ciphertext-from", global = true, value_name = "OLD")]
    pub reuse_ciphertext_from: Option<String>,
    /// Key services to use in addition to the local one, tried in order: tcp://HOST:PORT or unix:///PATH (repeatable)
    #[arg(
        long,
        help = crate::keyservice::FEATURE.help("Key services to use in addition to the local one, tried in order: tcp://HOST:PORT or unix:///PATH (repeatable)"),
        global = true,
        env = "SOPS_KEYSERVICE",
        value_name = "URI",
        value_delimiter = ',',
        value_parser = crate::keyservice::check_uri
    )]
    pub keyservice: Vec<String>,
    /// Use the local key service (this process's own keys) first; false: only the --keyservice ones
    #[arg(long = "enable-local-keyservice", global = true, env = "SOPS_ENABLE_LOCAL_KEYSERVICE", default_value_t = true, action = clap::ArgAction::Set, value_name = "BOOL", hide_possible_values = true)]
    pub enable_local_keyservice: bool,
    /// Enable verbose logging to stderr (never shows secrets)
    #[arg(long, global = true)]
    pub verbose: bool,
    /// Accepted for compatibility with sops; rsops never checks for updates
    #[arg(long = "disable-version-check", global = true, env = "SOPS_DISABLE_VERSION_CHECK", hide = true, action = clap::ArgAction::SetTrue)]
    pub disable_version_check: bool,
    /// Accepted for compatibility with sops; rsops never checks for updates
    #[arg(long = "check-for-updates", global = true, hide = true)]
    pub check_for_updates: bool,
}

#[derive(Subcommand, Debug)]
#[command(defer = true)]
pub enum Command {
    /// Encrypt a file and print the result (stdin when FILE is - or absent)
    #[command(
        after_help = "Examples:\n  rsops encrypt --age age1… secrets.yaml > secrets.enc.yaml\n  rsops encrypt -i secrets.yaml\n  cat s.json | rsops encrypt --filename-override s.json --age age1…"
    )]
    Encrypt {
        /// Files (several, or directories with --recursive, need -i)
        files: Vec<String>,
        /// Process the files in directories, recursively
        #[arg(long)]
        recursive: bool,
    },
    /// Decrypt a file and print the result (stdin when FILE is - or absent)
    #[command(
        after_help = "Examples:\n  rsops decrypt secrets.enc.yaml\n  rsops decrypt --extract '[\"db\"][\"password\"]' secrets.enc.yaml\n  rsops decrypt --output-type json secrets.enc.yaml"
    )]
    Decrypt {
        /// Files (several, or directories with --recursive, need -i)
        files: Vec<String>,
        /// Process the files in directories, recursively
        #[arg(long)]
        recursive: bool,
    },
    /// Generate a new data key and re-encrypt every value, optionally changing recipients
    #[command(
        after_help = "Examples:\n  rsops rotate -i secrets.enc.yaml\n  rsops rotate -i --add-age age1… --rm-age age1… secrets.enc.yaml"
    )]
    Rotate {
        /// Files (several, or directories with --recursive, need -i)
        files: Vec<String>,
        /// Process the files in directories, recursively
        #[arg(long)]
        recursive: bool,
    },
    /// Edit a file in $SOPS_EDITOR / $EDITOR; a new file starts from an example
    #[command(
        after_help = "Examples:\n  rsops edit secrets.enc.yaml\n  EDITOR='code --wait' rsops edit secrets.enc.yaml"
    )]
    Edit { file: String },
    /// Set one value: rsops set FILE '["a"]["b"]' '"json value"'
    #[command(
        after_help = "Examples:\n  rsops set secrets.yaml '[\"db\"][\"password\"]' '\"hunter2\"'\n  echo '\"v\"' | rsops set --value-stdin secrets.yaml '[\"k\"]'"
    )]
    Set {
        file: String,
        path: String,
        value: Option<String>,
        /// Read the value from this file
        #[arg(long = "value-file")]
        value_file: bool,
        /// Read the value from stdin
        #[arg(long = "value-stdin")]
        value_stdin: bool,
        /// Do not write the file when the value is already set
        #[arg(long)]
        idempotent: bool,
    },
    /// Remove one key or list element: rsops unset FILE '["a"]["b"]'
    Unset {
        file: String,
        path: String,
        /// Succeed without writing when the key does not exist
        #[arg(long)]
        idempotent: bool,
    },
    /// Run a command with the file's top-level values in its environment
    #[command(
        name = "exec-env",
        after_help = "Examples:\n  rsops exec-env secrets.enc.env './deploy.sh'\n  rsops exec-env --pristine secrets.enc.yaml 'env'"
    )]
    ExecEnv {
        file: String,
        command: String,
        /// Do not inherit the environment: only the file's values
        #[arg(long)]
        pristine: bool,
        /// Background the command and do not wait for it (deprecated in sops)
        #[arg(long)]
        background: bool,
        /// Replace rsops with the command instead of running a child
        #[arg(long = "same-process")]
        same_process: bool,
        /// Run the command as this user
        #[arg(long)]
        user: Option<String>,
    },
    /// Run a command with the decrypted file at the place of {} (a FIFO by default)
    #[command(
        name = "exec-file",
        after_help = "Examples:\n  rsops exec-file secrets.enc.json 'cat {}'\n  rsops exec-file --no-fifo --filename app.env s.enc.env 'source {} && run'"
    )]
    ExecFile {
        file: String,
        command: String,
        /// Use a regular file (mode 0600) instead of a FIFO
        #[arg(long = "no-fifo")]
        no_fifo: bool,
        /// Background the command and do not wait for it (deprecated in sops)
        #[arg(long)]
        background: bool,
        /// Run the command as this user
        #[arg(long)]
        user: Option<String>,
        /// Name of the temporary file (default tmp-file)
        #[arg(long)]
        filename: Option<String>,
    },
    /// Report whether a file is encrypted, as JSON: {"encrypted": true}
    Filestatus { file: String },
    /// Make the file's recipients match its creation rule in .sops.yaml
    #[command(
        after_help = "Examples:\n  rsops updatekeys secrets.enc.yaml\n  rsops updatekeys -y $(git ls-files '*.enc.yaml')"
    )]
    Updatekeys {
        files: Vec<String>,
        /// Process the encrypted files in directories, recursively
        #[arg(long)]
        recursive: bool,
        /// Apply the changes without asking
        #[arg(short = 'y', long)]
        yes: bool,
    },
    /// Add or delete key groups
    Groups {
        #[command(subcommand)]
        action: GroupsAction,
    },
    /// Decrypt two files and print a unified diff of the plaintexts (exit 0: equal, 1: different)
    #[command(
        after_help = "Examples:\n  rsops diff old.enc.yaml new.enc.yaml\n  rsops diff -U 1 --output-type json a.enc.yaml b.enc.json\n\nFor `git diff`, decrypt through a textconv filter instead:\n  echo '*.enc.yaml diff=sopsdiffer' >> .gitattributes\n  git config diff.sopsdiffer.textconv \"rsops decrypt\""
    )]
    Diff {
        /// The first file (- for stdin)
        a: String,
        /// The second file (- for stdin)
        b: String,
        /// Lines of context around each change
        #[arg(short = 'U', long = "unified", default_value_t = 3, value_name = "N")]
        unified: usize,
    },
    /// Git merge driver: merge encrypted files key by key; conflicts leave ours encrypted
    #[command(
        name = "merge-driver",
        after_help = "Setup:\n  echo '*.enc.yaml merge=rsops' >> .gitattributes\n  git config merge.rsops.name \"rsops: merge encrypted files by key\"\n  git config merge.rsops.driver \"rsops merge-driver %O %A %B %P\"\n\nThe result is written to OURS. On a conflict OURS is left unchanged\n(encrypted), the conflicting keys are listed and the exit status is 1.\n\nA change of the data key or of the recipients on either side is a\nconflict too (unless both sides made the same change): whoever wrote\nthat side could otherwise read what the merge encrypts. Review it and\nresolve by hand, or add --allow-key-change to the driver command to take\nsuch a change when only one side made it."
    )]
    MergeDriver {
        /// Accept a change of data key or recipients made on one side (the
        /// result is then encrypted for that side's key and recipients)
        #[arg(long)]
        allow_key_change: bool,
        /// The common ancestor (%O; may be empty when both sides added the file)
        base: String,
        /// Ours (%A): the merged result is written here
        ours: String,
        /// Theirs (%B)
        theirs: String,
        /// The file's path in the tree (%P), which names its format
        path: Option<String>,
    },
    /// Check that files are encrypted and their MACs verify (pre-commit, CI)
    #[command(
        after_help = "With no PATHS, every file under the current directory that a .sops.yaml\ncreation rule's path_regex matches is checked (.git and target are skipped).\nWithout a key for a file, only its structure is checked: a well-formed sops\nfile whose values are ENC[…] wherever its rule says so.\n\nExamples:\n  rsops check\n  rsops check --verbose secrets/\n  rsops check --only-matching $(git diff --cached --name-only)"
    )]
    Check {
        /// Files to check (directories: the files in them matching a creation rule)
        paths: Vec<String>,
        /// Skip the files given that no creation rule's path_regex matches (for pre-commit)
        #[arg(long = "only-matching")]
        only_matching: bool,
    },
    /// Build a Kubernetes Secret manifest from encrypted files (like kubectl create secret)
    #[command(
        after_help = "The output is what `kubectl create secret generic NAME ... --dry-run=client -o yaml`\nprints for the decrypted files, so a pipeline needs no plaintext on disk:\n  rsops secret generic db --from-env-file db.enc.env -n prod | kubectl apply -f -\n\nExamples:\n  rsops secret generic app --from-file config.json=app.enc.json --type Opaque\n  rsops secret generic tls --from-file tls.crt=crt.enc --from-file tls.key=key.enc --type kubernetes.io/tls\n  rsops secret generic db --from-keys db.enc.yaml --label app=db --annotation owner=ops"
    )]
    Secret {
        #[command(subcommand)]
        kind: SecretKind,
    },
    /// Publish encrypted files to the destination of their .sops.yaml destination_rules (S3, GCS, Vault KV)
    #[command(
        about = super::PUBLISH.help("Publish encrypted files to the destination of their .sops.yaml destination_rules (S3, GCS, Vault KV)"),
        after_help = "S3 and GCS receive the encrypted file, re-encrypted first for the keys of\nthe rule's recreation_rule when it names any; Vault KV (v1 or v2) receives\nthe decrypted values.\n\nExamples:\n  rsops publish secrets/prod.enc.yaml\n  rsops publish --yes --recursive --omit-extensions secrets/"
    )]
    Publish {
        /// The file (or, with --recursive, the directory) to publish
        file: String,
        /// Publish without asking for each file
        #[arg(short = 'y', long)]
        yes: bool,
        /// Leave the file extension out of the destination name
        #[arg(long = "omit-extensions")]
        omit_extensions: bool,
        /// Publish every file under a directory (destination names keep their relative paths)
        #[arg(long)]
        recursive: bool,
    },
    /// Run a key service: a gRPC server that encrypts and decrypts data keys for sops and rsops clients (--keyservice)
    #[command(
        about = crate::keyservice::FEATURE.help("Run a key service: a gRPC server that encrypts and decrypts data keys for sops and rsops clients (--keyservice)"),
        after_help = "The server uses its own keys: age identities (SOPS_AGE_KEY_FILE, …), gpg,
and cloud credentials. There is no TLS and no authentication, as in sops, so
anyone who can connect can decrypt with them: TCP addresses must be loopback
unless --allow-remote is given, and a unix socket is created mode 0600.

Examples:
  rsops keyservice                                   # tcp 127.0.0.1:5000
  rsops keyservice --network unix --address /run/user/1000/sops.sock
  rsops --keyservice tcp://127.0.0.1:5000 --enable-local-keyservice=false decrypt s.enc.yaml"
    )]
    Keyservice {
        /// Network to listen on: tcp (also tcp4, tcp6) or unix
        #[arg(long, visible_alias = "net", default_value = "tcp")]
        network: String,
        /// Address to listen on: HOST:PORT for tcp, a socket path for unix
        #[arg(long, visible_alias = "addr", default_value = "127.0.0.1:5000")]
        address: String,
        /// Ask on the terminal before answering each request
        #[arg(long)]
        prompt: bool,
        /// Allow a TCP address that is not loopback (no TLS, no authentication: anyone who can connect can decrypt)
        #[arg(long = "allow-remote")]
        allow_remote: bool,
    },
    /// Print the man page (roff)
    #[command(hide = true)]
    Manpage,
    /// Print a shell completion script
    Completion {
        /// bash, zsh, fish, powershell or elvish
        shell: String,
    },
}

#[derive(Subcommand, Debug)]
pub enum GroupsAction {
    /// Add a key group made of the keys given with --age, --pgp, …
    #[command(after_help = "Example:\n  rsops groups add --file s.enc.yaml -i --age age1…,age1…")]
    Add {
        /// The encrypted file
        #[arg(short = 'f', long)]
        file: String,
    },
    /// Delete the key group at INDEX (0-based)
    #[command(after_help = "Example:\n  rsops groups delete --file s.enc.yaml -i 1")]
    Delete {
        /// The encrypted file
        #[arg(short = 'f', long)]
        file: String,
        index: usize,
    },
}

impl Cli {
    /// Parse the process arguments.
    ///
    /// When clap builds a command it copies every global flag (rsops has
    /// about fifty) into every subcommand, which was most of rsops' start-up
    /// time. The command built here holds only the subcommands named among
    /// the arguments (a token naming a subcommand that is in fact a file
    /// name only adds an unused subcommand), so valid arguments parse
    /// exactly as with the full command; help, which lists every subcommand,
    /// uses the full command.
    pub fn parse_args() -> Result<Cli, clap::Error> {
        use clap::{CommandFactory, FromArgMatches};
        let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
        let wants_help = args
            .iter()
            .skip(1)
            .any(|a| matches!(a.to_str(), Some("-h" | "--help" | "help")));
        // `sops 3.13.2 (rsops 0.1.0)`: tools that check for sops (Ansible's
        // community.sops, …) match `^sops X.Y.Z`.
        let full = Cli::command().display_name("sops").version(version_line());
        let cmd = if wants_help {
            full
        } else {
            let named = |sc: &&clap::Command| {
                args.iter()
                    .skip(1)
                    .any(|a| a.to_str() == Some(sc.get_name()))
            };
            let mut root = clap::Command::new("rsops")
                .display_name("sops")
                .version(version_line())
                .disable_version_flag(true)
                .args_conflicts_with_subcommands(false)
                .subcommand_negates_reqs(true)
                .args(full.get_arguments().cloned());
            for sc in full.get_subcommands().filter(named) {
                root = root.subcommand(sc.clone());
            }
            root
        };
        let m = cmd.try_get_matches_from(args)?;
        Cli::from_arg_matches(&m)
    }
}

/// What `--version` prints after `sops `: the sops version rsops follows,
/// then rsops' own.
pub fn version_line() -> &'static str {
    static LINE: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    LINE.get_or_init(|| {
        format!(
            "{} (rsops {})",
            crate::metadata::SOPS_VERSION,
            env!("CARGO_PKG_VERSION")
        )
    })
}

/// `rsops secret` kinds.
#[derive(Subcommand, Debug)]
pub enum SecretKind {
    /// A Secret whose data keys come from encrypted files
    Generic {
        /// The Secret's name
        name: String,
        /// [KEY=]FILE: the whole decrypted file under KEY (default: the file's name); a directory adds each file in it
        #[arg(long = "from-file", value_name = "[KEY=]FILE")]
        from_file: Vec<String>,
        /// A decrypted dotenv file: one data key per KEY=value line (kubectl's env-file rules)
        #[arg(long = "from-env-file", value_name = "FILE")]
        from_env_file: Vec<String>,
        /// A decrypted YAML, JSON, dotenv or INI file: one data key per top-level key (strings as they are, numbers and booleans as text, maps and lists in the file's format)
        #[arg(long = "from-keys", value_name = "FILE")]
        from_keys: Vec<String>,
        /// The Secret's type (e.g. kubernetes.io/tls); omitted when not given, as in kubectl
        #[arg(long = "type", value_name = "TYPE")]
        type_: Option<String>,
        /// The Secret's namespace
        #[arg(short = 'n', long, value_name = "NAMESPACE")]
        namespace: Option<String>,
        /// A label KEY=VALUE (repeatable)
        #[arg(long, value_name = "KEY=VALUE")]
        label: Vec<String>,
        /// An annotation KEY=VALUE (repeatable)
        #[arg(long, value_name = "KEY=VALUE")]
        annotation: Vec<String>,
    },
}
