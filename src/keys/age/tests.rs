use std::sync::atomic::{AtomicUsize, Ordering};

use super::*;

const DATA_KEY: &[u8; 32] = b"0123456789abcdef0123456789abcdef";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The TEST-ONLY post-quantum identity of testdata/age-pq/pq-test-key.txt.
fn pq_test_key() -> (String, String) {
    let text = std::fs::read_to_string(root().join("testdata/age-pq/pq-test-key.txt")).unwrap();
    let public = text
        .lines()
        .find_map(|l| l.strip_prefix("# public key: "))
        .unwrap()
        .to_string();
    let secret = text
        .lines()
        .find(|l| l.starts_with("AGE-SECRET-KEY-PQ-1"))
        .unwrap()
        .to_string();
    (secret, public)
}

fn x25519_pair() -> (String, String) {
    let id = age::x25519::Identity::generate();
    let secret = age::secrecy::ExposeSecret::expose_secret(&id.to_string()).to_string();
    (secret, id.to_public().to_string())
}

/// A test environment: only these variables, and a HOME without keys.
struct TestEnv {
    dir: tempfile::TempDir,
    vars: Vec<(String, OsString)>,
}

impl TestEnv {
    fn new() -> TestEnv {
        let dir = tempfile::tempdir().unwrap();
        let home = dir.path().join("home");
        std::fs::create_dir_all(&home).unwrap();
        TestEnv {
            vars: vec![
                ("HOME".into(), home.clone().into()),
                ("XDG_CONFIG_HOME".into(), home.join(".config").into()),
            ],
            dir,
        }
    }

    fn set(mut self, k: &str, v: impl Into<OsString>) -> TestEnv {
        self.vars.push((k.to_string(), v.into()));
        self
    }

    fn file(&self, name: &str, contents: &[u8]) -> PathBuf {
        let p = self.dir.path().join(name);
        if let Some(d) = p.parent() {
            std::fs::create_dir_all(d).unwrap();
        }
        std::fs::write(&p, contents).unwrap();
        p
    }

    fn load(&self, ui: Ui) -> Identities {
        let get = |k: &str| {
            self.vars
                .iter()
                .rev()
                .find(|(n, _)| n == k)
                .map(|(_, v)| v.clone())
        };
        Identities::load_from(&get, ui)
    }
}

/// A UI whose "terminal" answers `pass` (or has no terminal), counting the
/// questions.
fn ui(pass: Option<&'static str>) -> (Ui, Arc<AtomicUsize>) {
    let asked = Arc::new(AtomicUsize::new(0));
    let n = asked.clone();
    let ui = Ui {
        prompter: Arc::new(move |_prompt: &str| {
            n.fetch_add(1, Ordering::SeqCst);
            match pass {
                Some(p) => Ok(SecretString::from(p.to_string())),
                None => Err(KeyError::Local(
                    "there is no terminal to ask on (/dev/tty: No such device or address)".into(),
                )),
            }
        }),
        failures: Arc::default(),
        agent: None,
    };
    (ui, asked)
}

/// `text` encrypted with a passphrase, as `age -p` does (cheap scrypt).
fn protect(text: &str, pass: &str, armored: bool) -> Vec<u8> {
    let mut r = age::scrypt::Recipient::new(SecretString::from(pass.to_string()));
    r.set_work_factor(2);
    let enc = age::Encryptor::with_recipients(std::iter::once(&r as &dyn age::Recipient)).unwrap();
    let mut out = Vec::new();
    let format = if armored {
        age::armor::Format::AsciiArmor
    } else {
        age::armor::Format::Binary
    };
    let armor = age::armor::ArmoredWriter::wrap_output(&mut out, format).unwrap();
    let mut w = enc.wrap_output(armor).unwrap();
    w.write_all(text.as_bytes()).unwrap();
    w.finish().unwrap().finish().unwrap();
    out
}

#[test]
fn wraps_and_unwraps() {
    let id = age::x25519::Identity::generate();
    let r = id.to_public().to_string();
    let enc = wrap(&r, DATA_KEY).unwrap();
    assert!(enc.starts_with("-----BEGIN AGE ENCRYPTED FILE-----\n"));
    assert!(enc.ends_with("-----END AGE ENCRYPTED FILE-----\n"));
    let ids = Identities::of(id);
    assert_eq!(&unwrap(&enc, &ids).unwrap()[..], DATA_KEY);
}

#[test]
fn words() {
    assert_eq!(
        shell_words("a 'b c' \"d\\\"e\" f\\ g").unwrap(),
        ["a", "b c", "d\"e", "f g"]
    );
    assert!(shell_words("'open").is_none());
}

#[test]
fn rejects_bad_recipients() {
    assert!(validate_recipient("age1notakey").is_err());
    assert!(validate_recipient("bob").is_err());
    // A damaged post-quantum recipient is refused, naming the problem.
    let (_, public) = pq_test_key();
    let mut bad = public.clone();
    let last = bad.pop().unwrap();
    bad.push(if last == 'q' { 'p' } else { 'q' });
    let e = validate_recipient(&bad).unwrap_err();
    assert!(e.message().contains("post-quantum"), "{}", e.message());
    assert!(validate_recipient(&public).is_ok());
    // Upper-case is not the age1pq1 prefix sops dispatches on.
    assert!(validate_recipient(&public.to_uppercase()).is_err());
}

#[test]
fn post_quantum_recipients_wrap_and_unwrap() {
    let (secret, public) = pq_test_key();
    let enc = wrap(&public, DATA_KEY).unwrap();
    assert!(enc.starts_with("-----BEGIN AGE ENCRYPTED FILE-----\n"));
    // The age file carries one mlkem768x25519 stanza.
    let mut raw = Vec::new();
    age::armor::ArmoredReader::new(enc.as_bytes())
        .read_to_end(&mut raw)
        .unwrap();
    let header = String::from_utf8_lossy(&raw[..raw.len().min(2000)]).to_string();
    // (The age crate adds a "grease" stanza of a random type, which every
    // age implementation skips.)
    assert_eq!(
        header.matches("\n-> mlkem768x25519 ").count(),
        1,
        "{header}"
    );
    let ids = Identities::from_text("test", secret.as_bytes());
    assert_eq!(&unwrap(&enc, &ids).unwrap()[..], DATA_KEY);
    // An X25519 identity does not open it.
    let (other, _) = x25519_pair();
    let e = unwrap(&enc, &Identities::from_text("other", other.as_bytes())).unwrap_err();
    assert!(
        e.to_string().contains("none of the age identities matches"),
        "{e}"
    );
}

/// Every C2SP/CCTV `hybrid*` age test vector (testdata/age-pq/cctv): the
/// outcome must be the one the vector expects.
#[test]
fn cctv_hybrid_vectors() {
    let dir = root().join("testdata/age-pq/cctv");
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.contains("hybrid"))
        .collect();
    names.sort();
    assert!(names.len() >= 19, "{names:?}");
    let mut report = Vec::new();
    for name in &names {
        let raw = std::fs::read(dir.join(name)).unwrap();
        let split = raw.windows(2).position(|w| w == b"\n\n").unwrap();
        let head = std::str::from_utf8(&raw[..split]).unwrap();
        let mut body = raw[split + 2..].to_vec();
        let field = |k: &str| {
            head.lines()
                .filter_map(move |l| l.strip_prefix(k).map(str::to_string))
                .collect::<Vec<_>>()
        };
        let expect = field("expect: ").pop().unwrap();
        if field("compressed: ").first().map(String::as_str) == Some("zlib") {
            let mut out = Vec::new();
            flate2::read::ZlibDecoder::new(&body[..])
                .read_to_end(&mut out)
                .unwrap();
            body = out;
        }
        let ids: Vec<Box<dyn age::Identity>> = field("identity: ")
            .iter()
            .map(|s| match parse_identity(s) {
                Ok(OneIdentity::Native(i)) => i,
                _ => panic!("{name}: identity does not parse"),
            })
            .collect();
        let armored = field("armored: ").first().map(String::as_str) == Some("yes");
        let outcome = (|| {
            let reader: Box<dyn Read> = if armored {
                Box::new(age::armor::ArmoredReader::new(&body[..]))
            } else {
                Box::new(&body[..])
            };
            let dec = match age::Decryptor::new(reader) {
                Ok(d) => d,
                Err(_) => return "header failure".to_string(),
            };
            let mut r = match dec.decrypt(ids.iter().map(|i| i.as_ref())) {
                Ok(r) => r,
                Err(age::DecryptError::NoMatchingKeys) => return "no match".to_string(),
                Err(age::DecryptError::InvalidMac) => return "HMAC failure".to_string(),
                Err(_) => return "header failure".to_string(),
            };
            let mut out = Vec::new();
            if r.read_to_end(&mut out).is_err() {
                return "payload failure".to_string();
            }
            let want = field("payload: ").pop().unwrap_or_default();
            let got: String = Sha256::digest(&out)
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect();
            if got == want {
                "success".to_string()
            } else {
                format!("wrong payload {got}")
            }
        })();
        report.push(format!("{name}: expect {expect}, got {outcome}"));
        assert_eq!(outcome, expect, "vector {name}");
    }
    println!("{}", report.join("\n"));
}

#[test]
fn sops_age_key_allows_several_identities_per_line() {
    let (s1, r1) = x25519_pair();
    let (spq, rpq) = pq_test_key();
    let enc1 = wrap(&r1, DATA_KEY).unwrap();
    let encpq = wrap(&rpq, DATA_KEY).unwrap();
    for text in [
        format!("{s1} {spq}"),
        format!("# mine\n\n{s1}\t {spq}\r\n"),
        format!("  {spq}\n{s1}  \n"),
    ] {
        let ids = TestEnv::new().set("SOPS_AGE_KEY", &text).load(ui(None).0);
        assert!(ids.base.errors.is_empty(), "{:?}", ids.base.errors);
        assert_eq!(&unwrap_for(&r1, &enc1, &ids).unwrap()[..], DATA_KEY);
        assert_eq!(&unwrap_for(&rpq, &encpq, &ids).unwrap()[..], DATA_KEY);
    }
    // A `#` after an identity is not a comment: the whole variable is refused
    // and the error quotes no key.
    let ids = TestEnv::new()
        .set("SOPS_AGE_KEY", format!("{s1} # laptop"))
        .load(ui(None).0);
    assert!(ids.base.native.is_empty());
    let e = ids.base.errors.join("; ");
    assert!(
        e.contains("SOPS_AGE_KEY")
            && e.contains("line 1, word 2")
            && e.contains("unknown identity type"),
        "{e}"
    );
    assert!(!e.contains(&s1[20..]), "{e}");
}

#[test]
fn files_and_commands_take_one_identity_per_line_verbatim() {
    let (s1, r1) = x25519_pair();
    let (s2, _) = x25519_pair();
    let enc1 = wrap(&r1, DATA_KEY).unwrap();
    let env = TestEnv::new();
    // Two identities on a line, or a trailing space: the file is refused.
    for bad in [format!("{s1} {s2}\n"), format!("{s1} \n")] {
        let p = env.file("keys.txt", bad.as_bytes());
        let ids = TestEnv::new().set("SOPS_AGE_KEY_FILE", &p).load(ui(None).0);
        assert!(ids.base.native.is_empty());
        let e = ids.base.errors.join("; ");
        assert!(
            e.contains("SOPS_AGE_KEY_FILE") && e.contains("line 1"),
            "{e}"
        );
        assert!(!e.contains(&s1[20..]) && !e.contains(&s2[20..]), "{e}");
        assert!(unwrap_for(&r1, &enc1, &ids).is_err());
    }
    // CRLF line ends and comments are fine.
    let p = env.file("keys.txt", format!("# created: now\r\n{s1}\r\n").as_bytes());
    let ids = TestEnv::new().set("SOPS_AGE_KEY_FILE", &p).load(ui(None).0);
    assert_eq!(&unwrap_for(&r1, &enc1, &ids).unwrap()[..], DATA_KEY);
    // keys.txt in the user config directory is read as well.
    let env = TestEnv::new();
    env.file(
        "home/.config/sops/age/keys.txt",
        format!("{s1}\n").as_bytes(),
    );
    let ids = env.load(ui(None).0);
    assert_eq!(&unwrap_for(&r1, &enc1, &ids).unwrap()[..], DATA_KEY);
}

#[test]
fn key_cmd_gets_the_recipient_once_per_recipient() {
    let (s1, r1) = x25519_pair();
    let (_, r2) = x25519_pair();
    let env = TestEnv::new();
    let key = env.file("k1.txt", format!("{s1}\n").as_bytes());
    let log = env.dir.path().join("log");
    let stdin_seen = env.dir.path().join("stdin");
    let cmd = format!(
        "sh -c 'echo \"$SOPS_AGE_RECIPIENT\" >> {log}; cat > {stdin}; if [ \"$SOPS_AGE_RECIPIENT\" = {r1} ]; then cat {key}; fi'",
        log = log.display(),
        stdin = stdin_seen.display(),
        key = key.display(),
    );
    let env = env.set("SOPS_AGE_KEY_CMD", &cmd);
    let ids = env.load(ui(None).0);
    assert!(!ids.is_empty(), "a command may give identities");
    let enc1 = wrap(&r1, DATA_KEY).unwrap();
    let enc2 = wrap(&r2, DATA_KEY).unwrap();
    assert_eq!(&unwrap_for(&r1, &enc1, &ids).unwrap()[..], DATA_KEY);
    assert_eq!(&unwrap_for(&r1, &enc1, &ids).unwrap()[..], DATA_KEY);
    let e = unwrap_for(&r2, &enc2, &ids).unwrap_err();
    assert!(
        e.to_string().contains("no age identity found")
            || e.to_string().contains("none of the age"),
        "{e}"
    );
    assert!(e.to_string().contains("SOPS_AGE_KEY_CMD"), "{e}");
    let seen = std::fs::read_to_string(&log).unwrap();
    assert_eq!(seen, format!("{r1}\n{r2}\n"), "once per recipient, with it");
    assert_eq!(std::fs::read(&stdin_seen).unwrap(), b"", "stdin is empty");
}

#[test]
fn key_cmd_failures_do_not_quote_the_command() {
    let env = TestEnv::new().set(
        "SOPS_AGE_KEY_CMD",
        "sh -c 'exit 3' AGE-SECRET-KEY-1SECRETISH",
    );
    let ids = env.load(ui(None).0);
    let (_, r1) = x25519_pair();
    let e = unwrap_for(&r1, &wrap(&r1, DATA_KEY).unwrap(), &ids).unwrap_err();
    assert!(
        e.to_string()
            .contains("the command from SOPS_AGE_KEY_CMD failed"),
        "{e}"
    );
    assert!(!e.to_string().contains("SECRETISH"), "{e}");
    let ids = TestEnv::new().set("SOPS_AGE_KEY_CMD", "").load(ui(None).0);
    let e = unwrap_for(&r1, &wrap(&r1, DATA_KEY).unwrap(), &ids).unwrap_err();
    assert!(e.to_string().contains("SOPS_AGE_KEY_CMD is empty"), "{e}");
}

fn ssh_fixture(name: &str) -> PathBuf {
    root().join("testdata/keys/ssh").join(name)
}

fn ssh_recipient(name: &str) -> String {
    std::fs::read_to_string(ssh_fixture(&format!("{name}.pub")))
        .unwrap()
        .split_whitespace()
        .take(2)
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn ssh_key_cmd_output_is_an_identity() {
    let r = ssh_recipient("test_ed25519");
    let enc = wrap(&r, DATA_KEY).unwrap();
    let cmd = format!("cat {}", ssh_fixture("test_ed25519").display());
    let ids = TestEnv::new()
        .set("SOPS_AGE_SSH_PRIVATE_KEY_CMD", &cmd)
        .load(ui(None).0);
    assert_eq!(&unwrap_for(&r, &enc, &ids).unwrap()[..], DATA_KEY);
    // A protected key from the command is refused (as sops does), without
    // asking anything.
    let (u, asked) = ui(Some("rsops-test-passphrase"));
    let cmd = format!("cat {}", ssh_fixture("test_ed25519_protected").display());
    let ids = TestEnv::new()
        .set("SOPS_AGE_SSH_PRIVATE_KEY_CMD", &cmd)
        .load(u);
    let rp = ssh_recipient("test_ed25519_protected");
    let e = unwrap_for(&rp, &wrap(&rp, DATA_KEY).unwrap(), &ids).unwrap_err();
    assert!(
        e.to_string()
            .contains("SOPS_AGE_SSH_PRIVATE_KEY_CMD is passphrase-protected"),
        "{e}"
    );
    assert_eq!(asked.load(Ordering::SeqCst), 0);
    // Garbage is a malformed identity.
    let ids = TestEnv::new()
        .set("SOPS_AGE_SSH_PRIVATE_KEY_CMD", "echo nope")
        .load(ui(None).0);
    let e = unwrap_for(&r, &enc, &ids).unwrap_err();
    assert!(
        e.to_string()
            .contains("malformed SSH identity printed by SOPS_AGE_SSH_PRIVATE_KEY_CMD"),
        "{e}"
    );
}

#[test]
fn protected_identity_file_asks_once_and_only_when_needed() {
    let (s1, r1) = x25519_pair();
    let (spq, rpq) = pq_test_key();
    let env = TestEnv::new();
    let p = env.file(
        "keys.age",
        &protect(&format!("# created: now\n{s1}\n{spq}\n"), "pw-1", false),
    );
    let (u, asked) = ui(Some("pw-1"));
    let env = env.set("SOPS_AGE_KEY_FILE", &p);
    let ids = env.load(u);
    assert!(ids.base.errors.is_empty(), "{:?}", ids.base.errors);
    // A file for an SSH key cannot be opened by what the protected file may
    // hold: no question.
    let rs = ssh_recipient("test_ed25519");
    assert!(unwrap_for(&rs, &wrap(&rs, DATA_KEY).unwrap(), &ids).is_err());
    assert_eq!(asked.load(Ordering::SeqCst), 0);
    // The first X25519 file asks; later ones (post-quantum too) do not.
    assert_eq!(
        &unwrap_for(&r1, &wrap(&r1, DATA_KEY).unwrap(), &ids).unwrap()[..],
        DATA_KEY
    );
    assert_eq!(
        &unwrap_for(&rpq, &wrap(&rpq, DATA_KEY).unwrap(), &ids).unwrap()[..],
        DATA_KEY
    );
    assert_eq!(asked.load(Ordering::SeqCst), 1);
    // Not even a new set of identities asks again in this process.
    let (u2, asked2) = ui(Some("pw-1"));
    let ids2 = TestEnv::new().set("SOPS_AGE_KEY_FILE", &p).load(u2);
    assert_eq!(
        &unwrap_for(&r1, &wrap(&r1, DATA_KEY).unwrap(), &ids2).unwrap()[..],
        DATA_KEY
    );
    assert_eq!(asked2.load(Ordering::SeqCst), 0);
}

#[test]
fn armored_protected_identities_in_sops_age_key() {
    let (s1, r1) = x25519_pair();
    let armored = String::from_utf8(protect(&format!("{s1}\n"), "pw-2", true)).unwrap();
    assert!(armored.starts_with("-----BEGIN AGE ENCRYPTED FILE-----"));
    let (u, asked) = ui(Some("pw-2"));
    let ids = TestEnv::new().set("SOPS_AGE_KEY", &armored).load(u);
    assert_eq!(
        &unwrap_for(&r1, &wrap(&r1, DATA_KEY).unwrap(), &ids).unwrap()[..],
        DATA_KEY
    );
    assert_eq!(asked.load(Ordering::SeqCst), 1);
}

#[test]
fn identities_that_ask_nothing_are_tried_first() {
    let (s1, r1) = x25519_pair();
    let env = TestEnv::new();
    let p = env.file("keys.age", &protect(&format!("{s1}\n"), "pw-3", false));
    let (u, asked) = ui(Some("pw-3"));
    // The protected file comes first in sops' source order, the plain key
    // after it: the plain key opens the file and nothing is asked.
    let ids = env
        .set("SOPS_AGE_KEY_FILE", &p)
        .set("SOPS_AGE_KEY_CMD", format!("echo {s1}"))
        .load(u);
    assert_eq!(
        &unwrap_for(&r1, &wrap(&r1, DATA_KEY).unwrap(), &ids).unwrap()[..],
        DATA_KEY
    );
    assert_eq!(asked.load(Ordering::SeqCst), 0);
}

#[test]
fn wrong_passphrase_is_an_error_asked_once() {
    let (s1, r1) = x25519_pair();
    let env = TestEnv::new();
    let p = env.file("keys.age", &protect(&format!("{s1}\n"), "right", false));
    let (u, asked) = ui(Some("wrong"));
    let ids = env.set("SOPS_AGE_KEY_FILE", &p).load(u);
    let enc = wrap(&r1, DATA_KEY).unwrap();
    let e = unwrap_for(&r1, &enc, &ids).unwrap_err();
    assert!(
        e.to_string()
            .contains("incorrect passphrase for the age identity file SOPS_AGE_KEY_FILE"),
        "{e}"
    );
    assert!(e.to_string().contains(&p.display().to_string()), "{e}");
    assert!(unwrap_for(&r1, &enc, &ids).is_err());
    assert_eq!(asked.load(Ordering::SeqCst), 1);
}

#[test]
fn no_terminal_error_names_the_file_and_the_way_out() {
    let (s1, r1) = x25519_pair();
    let env = TestEnv::new();
    let p = env.file("keys.age", &protect(&format!("{s1}\n"), "pw-4", false));
    let ids = env.set("SOPS_AGE_KEY_FILE", &p).load(ui(None).0);
    let e = unwrap_for(&r1, &wrap(&r1, DATA_KEY).unwrap(), &ids).unwrap_err();
    assert!(
        e.to_string().contains("none of the age identities matches"),
        "{e}"
    );
    assert!(
        e.to_string().contains(&format!(
            "the age identity file SOPS_AGE_KEY_FILE ({}) is passphrase-protected",
            p.display()
        )),
        "{e}"
    );
    assert!(e.to_string().contains("/dev/tty"), "{e}");
    assert!(e.to_string().contains("point SOPS_AGE_KEY_FILE at an unprotected identity file (age -d -o keys.txt FILE makes one)"), "{e}");
}

#[test]
fn protected_files_must_be_passphrase_files_with_identities() {
    let (s1, r1) = x25519_pair();
    let enc = wrap(&r1, DATA_KEY).unwrap();
    // An age file encrypted to a recipient, not a passphrase.
    let to_recipient = wrap(&r1, format!("{s1}\n").as_bytes()).unwrap();
    let (u, asked) = ui(Some("x"));
    let ids = TestEnv::new().set("SOPS_AGE_KEY", &to_recipient).load(u);
    let e = unwrap_for(&r1, &enc, &ids).unwrap_err();
    assert!(e.to_string().contains("not with a passphrase alone"), "{e}");
    assert_eq!(asked.load(Ordering::SeqCst), 0);
    // A passphrase file holding no identity, or an SSH key.
    for inner in ["# nothing\n", "AGE-PLUGIN-YUBIKEY-1QQQQQQ\n"] {
        let prot = String::from_utf8(protect(inner, "pw-5", true)).unwrap();
        let ids = TestEnv::new()
            .set("SOPS_AGE_KEY", &prot)
            .load(ui(Some("pw-5")).0);
        let e = unwrap_for(&r1, &enc, &ids).unwrap_err();
        assert!(e.to_string().contains("holds no usable identity"), "{e}");
    }
}

#[test]
fn protected_ssh_key_asks_only_for_its_own_stanzas() {
    let env = TestEnv::new();
    // A private copy, so this test's cache entry is its own.
    let mut key = std::fs::read(ssh_fixture("test_ed25519_protected")).unwrap();
    key.extend_from_slice(b"\n");
    let p = env.file("id_protected", &key);
    let (u, asked) = ui(Some("rsops-test-passphrase"));
    let ids = env.set("SOPS_AGE_SSH_PRIVATE_KEY_FILE", &p).load(u);
    assert!(ids.base.errors.is_empty(), "{:?}", ids.base.errors);
    // Another SSH key's file: no question.
    let other = ssh_recipient("test_ed25519");
    assert!(unwrap_for(&other, &wrap(&other, DATA_KEY).unwrap(), &ids).is_err());
    assert_eq!(asked.load(Ordering::SeqCst), 0);
    let r = ssh_recipient("test_ed25519_protected");
    assert_eq!(
        &unwrap_for(&r, &wrap(&r, DATA_KEY).unwrap(), &ids).unwrap()[..],
        DATA_KEY
    );
    assert_eq!(
        &unwrap_for(&r, &wrap(&r, DATA_KEY).unwrap(), &ids).unwrap()[..],
        DATA_KEY
    );
    assert_eq!(asked.load(Ordering::SeqCst), 1);
}

#[test]
fn protected_ssh_key_errors() {
    let r = ssh_recipient("test_ed25519_protected");
    let enc = wrap(&r, DATA_KEY).unwrap();
    let mut key = std::fs::read(ssh_fixture("test_ed25519_protected")).unwrap();
    // Wrong passphrase.
    let env = TestEnv::new();
    key.extend_from_slice(b"\n\n");
    let p = env.file("id_a", &key);
    let ids = env
        .set("SOPS_AGE_SSH_PRIVATE_KEY_FILE", &p)
        .load(ui(Some("nope")).0);
    let e = unwrap_for(&r, &enc, &ids).unwrap_err();
    assert!(
        e.to_string().contains(&format!(
            "wrong passphrase for the SSH key {:?}",
            p.display().to_string()
        )),
        "{e}"
    );
    // No terminal.
    let env = TestEnv::new();
    key.extend_from_slice(b"\n");
    let p = env.file("id_b", &key);
    let ids = env
        .set("SOPS_AGE_SSH_PRIVATE_KEY_FILE", &p)
        .load(ui(None).0);
    let e = unwrap_for(&r, &enc, &ids).unwrap_err();
    assert!(
        e.to_string().contains(&format!(
            "the SSH key {:?} is protected by a passphrase",
            p.display().to_string()
        )),
        "{e}"
    );
    assert!(
        e.to_string()
            .contains("point SOPS_AGE_SSH_PRIVATE_KEY_FILE at an unprotected copy"),
        "{e}"
    );
}

#[test]
fn missing_everything_lists_the_places() {
    let ids = TestEnv::new().load(ui(None).0);
    assert!(ids.is_empty());
    let (_, r1) = x25519_pair();
    let e = unwrap_for(&r1, &wrap(&r1, DATA_KEY).unwrap(), &ids).unwrap_err();
    for place in [
        "SOPS_AGE_SSH_PRIVATE_KEY_FILE",
        "SOPS_AGE_SSH_PRIVATE_KEY_CMD",
        "SOPS_AGE_KEY",
        "SOPS_AGE_KEY_FILE",
        "SOPS_AGE_KEY_CMD",
        "keys.txt",
    ] {
        assert!(e.to_string().contains(place), "{place}: {e}");
    }
}

fn hex(s: &str) -> String {
    s.bytes().map(|b| format!("{b:02X}")).collect()
}

#[cfg(unix)]
#[test]
fn protected_identity_file_asks_gpg_agent_first() {
    let (s1, r1) = x25519_pair();
    let enc = wrap(&r1, DATA_KEY).unwrap();
    let agent_dir = tempfile::tempdir().unwrap();
    let reply: &'static str = Box::leak(format!("OK {}", hex("pw-agent")).into_boxed_str());
    let (sock, seen) = gpg_agent::tests::fake_agent(agent_dir.path(), reply);
    let env = TestEnv::new();
    let contents = protect(&format!("{s1}\n"), "pw-agent", false);
    let p = env.file("keys.age", &contents);
    let (u, asked) = ui(Some("not this"));
    let env = env
        .set("SOPS_AGE_KEY_FILE", &p)
        .set("GPG_AGENT_INFO", format!("{}:0:1", sock.display()));
    let ids = env.load(u);
    assert_eq!(&unwrap_for(&r1, &enc, &ids).unwrap()[..], DATA_KEY);
    assert_eq!(
        asked.load(Ordering::SeqCst),
        0,
        "the terminal was not asked"
    );
    let key = gpg_agent::cache_key(&Sha256::digest(&contents).into());
    let lines = seen.lock().unwrap().clone();
    let want = format!(
        "GET_PASSPHRASE {key} X Passphrase {}",
        gpg_agent_escape(&format!(
            "Enter passphrase for identity 'SOPS_AGE_KEY_FILE ({})':",
            p.display()
        ))
    );
    assert!(lines.contains(&want), "{lines:?}");

    // A wrong passphrase from the agent: its cache entry is cleared.
    let agent_dir = tempfile::tempdir().unwrap();
    let reply: &'static str = Box::leak(format!("OK {}", hex("stale")).into_boxed_str());
    let (sock, seen) = gpg_agent::tests::fake_agent(agent_dir.path(), reply);
    let env = TestEnv::new();
    let contents = protect(&format!("{s1}\n"), "pw-new", false);
    let p = env.file("keys.age", &contents);
    let env = env
        .set("SOPS_AGE_KEY_FILE", &p)
        .set("GPG_AGENT_INFO", sock.as_os_str());
    let ids = env.load(ui(Some("pw-new")).0);
    let e = unwrap_for(&r1, &enc, &ids).unwrap_err();
    assert!(e.to_string().contains("incorrect passphrase"), "{e}");
    let key = gpg_agent::cache_key(&Sha256::digest(&contents).into());
    assert!(seen
        .lock()
        .unwrap()
        .contains(&format!("CLEAR_PASSPHRASE {key}")));

    // An agent that cannot show a dialog: the terminal is asked instead.
    let agent_dir = tempfile::tempdir().unwrap();
    let (sock, _) = gpg_agent::tests::fake_agent(
        agent_dir.path(),
        "ERR 83918950 Inappropriate ioctl for device <Pinentry>",
    );
    let env = TestEnv::new();
    let p = env.file("keys.age", &protect(&format!("{s1}\n"), "pw-tty", false));
    let (u, asked) = ui(Some("pw-tty"));
    let env = env
        .set("SOPS_AGE_KEY_FILE", &p)
        .set("GPG_AGENT_INFO", sock.as_os_str());
    let ids = env.load(u);
    assert_eq!(&unwrap_for(&r1, &enc, &ids).unwrap()[..], DATA_KEY);
    assert_eq!(asked.load(Ordering::SeqCst), 1);

    // Cancelled in the agent's dialog: an error, and no terminal question.
    let agent_dir = tempfile::tempdir().unwrap();
    let (sock, _) =
        gpg_agent::tests::fake_agent(agent_dir.path(), "ERR 83886179 Operation cancelled");
    let env = TestEnv::new();
    let p = env.file("keys.age", &protect(&format!("{s1}\n"), "pw-c", false));
    let (u, asked) = ui(Some("pw-c"));
    let env = env
        .set("SOPS_AGE_KEY_FILE", &p)
        .set("GPG_AGENT_INFO", sock.as_os_str());
    let ids = env.load(u);
    let e = unwrap_for(&r1, &enc, &ids).unwrap_err();
    assert!(e.to_string().contains("cancelled"), "{e}");
    assert_eq!(asked.load(Ordering::SeqCst), 0);
}

fn gpg_agent_escape(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            b' ' => "+".to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[test]
fn sixteen_mib_limit_on_protected_sources() {
    let mut big = b"age-encryption.org/v1\n".to_vec();
    big.resize(MAX_PROTECTED_LEN + 10, b'A');
    let ids = Identities::from_text("SOPS_AGE_KEY_FILE (big)", &big);
    assert!(
        ids.base.errors.join("").contains("file too long"),
        "{:?}",
        ids.base.errors
    );
    assert!(ids.base.other.is_empty());
}

#[test]
fn unwrap_reads_at_most_the_data_key_cap() {
    let id = age::x25519::Identity::generate();
    let r = id.to_public().to_string();
    let ids = Identities::of(id);
    // Anyone can encrypt to the recipient named in the file.
    let enc = wrap(&r, &vec![0u8; 1 << 20]).unwrap();
    let e = unwrap(&enc, &ids).unwrap_err();
    assert!(e.to_string().contains("more than 64 bytes"), "{e}");
    assert_eq!(
        unwrap(&wrap(&r, &[1u8; 64]).unwrap(), &ids).unwrap().len(),
        64
    );
    assert!(unwrap(&wrap(&r, &[1u8; 65]).unwrap(), &ids).is_err());
}
