//! AWS KMS end to end against a local moto server (`moto_server`, from
//! `pip install 'moto[server]'`, installed by .ci/run): rsops on its own,
//! with age, rotate, role assumption, profiles, `.sops.yaml`, error causes,
//! and interop with the real sops 3.11 pointed at the same server, both ways.
//! No request leaves 127.0.0.1: the AWS endpoint is set with
//! AWS_ENDPOINT_URL and instance metadata is disabled.

mod common;

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use common::*;

const PLAIN: &str = "db:\n    user: admin\n    password: hunter2\nport: 5432\n";
const ROLE: &str = "arn:aws:iam::123456789012:role/rsops-test";

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port()
}

/// A port nothing listens on (bound, then released).
fn closed_url() -> String {
    format!("http://127.0.0.1:{}", free_port())
}

struct Moto {
    child: Child,
    url: String,
    _log: tempfile::TempDir,
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn moto_server_command() -> Command {
    if let Some(paths) = std::env::var_os("PATH") {
        for d in std::env::split_paths(&paths) {
            if d.join("moto_server").is_file() {
                return Command::new(d.join("moto_server"));
            }
        }
    }
    let has_module = Command::new("python3")
        .args(["-c", "import moto.server"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .map(|s| s.success())
        .unwrap_or(false);
    if has_module {
        let mut c = Command::new("python3");
        c.args(["-m", "moto.server"]);
        return c;
    }
    panic!(
        "moto_server is needed for the AWS KMS tests and was not found (neither on PATH nor as the python module \
         moto.server): run .ci/run, which installs it, or `pip install 'moto[server]'`"
    );
}

fn start_moto() -> Moto {
    let port = free_port();
    let log = tmpdir();
    let out = std::fs::File::create(log.path().join("moto.log")).expect("log");
    let mut cmd = moto_server_command();
    cmd.args(["-H", "127.0.0.1", "-p", &port.to_string()])
        .stdin(Stdio::null())
        .stdout(out.try_clone().expect("log"))
        .stderr(out);
    let child = cmd.spawn().unwrap_or_else(|e| {
        panic!("cannot start moto_server ({e}): run .ci/run, which installs it, or `pip install 'moto[server]'`")
    });
    let m = Moto {
        child,
        url: format!("http://127.0.0.1:{port}"),
        _log: log,
    };
    let start = Instant::now();
    loop {
        if TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return m;
        }
        if start.elapsed() > Duration::from_secs(60) {
            let text = std::fs::read_to_string(m._log.path().join("moto.log")).unwrap_or_default();
            panic!("moto_server did not start within 60s: {text}");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// One KMS JSON API call against moto (it does not check signatures; the
/// credential scope names the region).
fn kms_api(url: &str, target: &str, body: &str) -> serde_json::Value {
    let hostport = url.trim_start_matches("http://");
    let mut s = TcpStream::connect(hostport).expect("connect moto");
    let req = format!(
        "POST / HTTP/1.1\r\nHost: {hostport}\r\nContent-Type: application/x-amz-json-1.1\r\n\
         X-Amz-Target: TrentService.{target}\r\n\
         Authorization: AWS4-HMAC-SHA256 Credential=testing/20240101/us-east-1/kms/aws4_request, SignedHeaders=host, Signature=00\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    s.write_all(req.as_bytes()).expect("write");
    let mut resp = String::new();
    s.read_to_string(&mut resp).expect("read");
    let (head, body) = resp.split_once("\r\n\r\n").expect("http response");
    assert!(
        head.starts_with("HTTP/1.1 200") || head.starts_with("HTTP/1.0 200"),
        "{target}: {resp}"
    );
    serde_json::from_str(body).unwrap_or_else(|_| panic!("{target}: not JSON: {body}"))
}

fn create_key(url: &str) -> String {
    let v = kms_api(url, "CreateKey", "{}");
    v["KeyMetadata"]["Arn"].as_str().expect("Arn").to_string()
}

/// Point a command at moto with fake credentials and nothing from the
/// developer's own AWS setup.
fn aws_env<'a>(c: &'a mut Command, endpoint: &str, home: &Path) -> &'a mut Command {
    for (k, _) in std::env::vars_os() {
        let k = k.to_string_lossy().to_string();
        if k.starts_with("AWS_") || k.to_ascii_lowercase().ends_with("_proxy") {
            c.env_remove(&k);
        }
    }
    c.env("AWS_ENDPOINT_URL", endpoint)
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("AWS_REGION", "us-east-1")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("AWS_CONFIG_FILE", home.join("aws-config"))
        .env("AWS_SHARED_CREDENTIALS_FILE", home.join("aws-credentials"))
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).to_string()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).to_string()
}

/// The `kms:` block of an encrypted YAML file with created_at/enc values
/// blanked, to compare sops' and rsops' layouts line by line.
fn kms_block(yaml: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut inside = false;
    for line in yaml.lines() {
        if line == "    kms:" {
            inside = true;
        } else if inside
            && line.starts_with("    ")
            && !line.starts_with("        ")
            && !line.starts_with("    - ")
        {
            break;
        }
        if inside {
            let blank = ["created_at: ", "enc: "]
                .iter()
                .find_map(|f| line.split_once(f).map(|(k, _)| format!("{k}{f}…")));
            out.push(blank.unwrap_or_else(|| line.to_string()));
        }
    }
    out
}

/// The `enc` of the first KMS entry.
fn kms_enc(yaml: &str) -> String {
    let block_start = yaml.find("    kms:").expect("kms block");
    let rest = &yaml[block_start..];
    let i = rest.find("enc: ").expect("enc");
    rest[i + 5..]
        .lines()
        .next()
        .unwrap_or("")
        .trim()
        .to_string()
}

fn write_plain(dir: &Path) -> PathBuf {
    write(dir, "secrets.yaml", PLAIN.as_bytes())
}

#[test]
fn kms_against_moto_and_real_sops() {
    let moto = start_moto();
    let arn1 = create_key(&moto.url);
    let arn2 = create_key(&moto.url);
    assert!(arn1.starts_with("arn:aws:kms:us-east-1:"), "{arn1}");
    let dir = tmpdir();
    let d = dir.path();
    let plain = write_plain(d);
    let enc = d.join("secrets.enc.yaml");

    // rsops encrypt → rsops decrypt, with an encryption context.
    let o = ok(aws_env(
        rsops().args([
            "encrypt",
            "--kms",
            &arn1,
            "--encryption-context",
            "env:test,app:rsops",
        ]),
        &moto.url,
        d,
    )
    .arg(&plain));
    let text = stdout(&o);
    std::fs::write(&enc, &text).unwrap();
    assert!(text.contains(&format!("- arn: {arn1}")), "{text}");
    let (a, e) = (text.find("app: rsops"), text.find("env: test"));
    assert!(
        a.is_some() && e.is_some() && a < e,
        "context sorted by key: {text}"
    );
    assert!(text.contains("aws_profile: \"\""), "{text}");
    let blob = kms_enc(&text);
    {
        use base64::Engine;
        let raw = base64::engine::general_purpose::STANDARD
            .decode(&blob)
            .expect("enc is standard base64");
        assert!(raw.len() > 32, "a KMS ciphertext blob");
    }
    let o = ok(aws_env(rsops().args(["decrypt"]), &moto.url, d).arg(&enc));
    assert_eq!(stdout(&o), PLAIN);

    // The real sops decrypts rsops' file…
    let o = ok(aws_env(sops().args(["decrypt"]), &moto.url, d).arg(&enc));
    assert_eq!(stdout(&o), PLAIN);
    // …and rsops decrypts sops' file; the stored entries have the same layout.
    let o = ok(aws_env(
        sops().args([
            "encrypt",
            "--kms",
            &arn1,
            "--encryption-context",
            "env:test,app:rsops",
        ]),
        &moto.url,
        d,
    )
    .arg(&plain));
    let sops_text = stdout(&o);
    let sops_enc = write(d, "by-sops.enc.yaml", sops_text.as_bytes());
    let o = ok(aws_env(rsops().args(["decrypt"]), &moto.url, d).arg(&sops_enc));
    assert_eq!(stdout(&o), PLAIN);
    let go_order = vec![
        "    kms:".to_string(),
        format!("        - arn: {arn1}"),
        "          context:".to_string(),
        "            app: rsops".to_string(),
        "            env: test".to_string(),
        "          created_at: …".to_string(),
        "          enc: …".to_string(),
        "          aws_profile: \"\"".to_string(),
    ];
    // sops 3.11 (installed) writes Go struct order; rsops' new files are
    // sops 3.13.2's, sorted: the same entry otherwise.
    assert_eq!(kms_block(&sops_text), go_order);
    assert_eq!(
        kms_block(&text),
        sorted_layout(&kms_block(&sops_text)),
        "rsops:\n{text}\nsops:\n{sops_text}"
    );
    assert_eq!(
        kms_block(&text),
        vec![
            "    kms:".to_string(),
            format!("        - arn: {arn1}"),
            "          aws_profile: \"\"".to_string(),
            "          context:".to_string(),
            "            app: rsops".to_string(),
            "            env: test".to_string(),
            "          created_at: …".to_string(),
            "          enc: …".to_string(),
        ]
    );
    // sops' 3.11 file rewritten by rsops keeps 3.11's order.
    let o = ok(aws_env(rsops().arg("rotate"), &moto.url, d).arg(&sops_enc));
    assert_eq!(kms_block(&stdout(&o)), go_order);

    // A changed encryption context no longer decrypts (it is bound to the ciphertext).
    let tampered = write(
        d,
        "tampered.yaml",
        text.replace("env: test", "env: prod").as_bytes(),
    );
    let o = run(aws_env(rsops().args(["decrypt"]), &moto.url, d).arg(&tampered));
    assert_eq!(o.status.code(), Some(128), "{}", stderr(&o));
    assert!(stderr(&o).contains(&arn1), "{}", stderr(&o));

    // Role assumption through STS (moto implements AssumeRole), both tools.
    let with_role = format!("{arn1}+{ROLE}");
    let o = ok(aws_env(rsops().args(["encrypt", "--kms", &with_role]), &moto.url, d).arg(&plain));
    let role_text = stdout(&o);
    assert!(role_text.contains(&format!("role: {ROLE}")), "{role_text}");
    let role_enc = write(d, "role.enc.yaml", role_text.as_bytes());
    assert_eq!(
        stdout(&ok(
            aws_env(rsops().arg("decrypt"), &moto.url, d).arg(&role_enc)
        )),
        PLAIN
    );
    assert_eq!(
        stdout(&ok(
            aws_env(sops().arg("decrypt"), &moto.url, d).arg(&role_enc)
        )),
        PLAIN
    );
    let o = ok(aws_env(sops().args(["encrypt", "--kms", &with_role]), &moto.url, d).arg(&plain));
    let sops_role = write(d, "sops-role.enc.yaml", &o.stdout);
    assert_eq!(
        stdout(&ok(
            aws_env(rsops().arg("decrypt"), &moto.url, d).arg(&sops_role)
        )),
        PLAIN
    );
    assert_eq!(
        kms_block(&role_text),
        sorted_layout(&kms_block(&stdout(&o)))
    );
    assert!(kms_block(&role_text).last().unwrap().contains("role: "));

    // rotate: a new data key; then swap KMS keys with --add-kms/--rm-kms.
    let before = std::fs::read_to_string(&enc).unwrap();
    ok(aws_env(rsops().args(["rotate", "-i"]), &moto.url, d).arg(&enc));
    let after = std::fs::read_to_string(&enc).unwrap();
    assert_ne!(kms_enc(&before), kms_enc(&after));
    assert!(
        after.contains("app: rsops"),
        "rotate keeps the context: {after}"
    );
    assert_eq!(
        stdout(&ok(aws_env(rsops().arg("decrypt"), &moto.url, d).arg(&enc))),
        PLAIN
    );
    ok(aws_env(
        rsops().args(["rotate", "-i", "--add-kms", &arn2, "--rm-kms", &arn1]),
        &moto.url,
        d,
    )
    .arg(&enc));
    let swapped = std::fs::read_to_string(&enc).unwrap();
    assert!(
        swapped.contains(&arn2) && !swapped.contains(&arn1),
        "{swapped}"
    );
    assert_eq!(
        stdout(&ok(aws_env(sops().arg("decrypt"), &moto.url, d).arg(&enc))),
        PLAIN
    );

    // KMS + age in one file: whichever works, age first by default.
    let both = d.join("both.enc.yaml");
    let o = ok(aws_env(
        rsops().args(["encrypt", "--kms", &arn1, "--age", &recipient(1)]),
        &moto.url,
        d,
    )
    .arg(&plain));
    std::fs::write(&both, &o.stdout).unwrap();
    // Age key only, KMS unreachable: age decrypts.
    let dead = closed_url();
    let o = ok(aws_env(rsops().arg("decrypt"), &dead, d)
        .env("SOPS_AGE_KEY_FILE", key_file(1))
        .arg(&both));
    assert_eq!(stdout(&o), PLAIN);
    // KMS first, unreachable, then age: still decrypts.
    let o = ok(aws_env(
        rsops().args(["decrypt", "--decryption-order", "kms,age"]),
        &dead,
        d,
    )
    .env("SOPS_AGE_KEY_FILE", key_file(1))
    .arg(&both));
    assert_eq!(stdout(&o), PLAIN);
    // No age key: KMS decrypts.
    assert_eq!(
        stdout(&ok(aws_env(rsops().arg("decrypt"), &moto.url, d).arg(&both))),
        PLAIN
    );
    // Neither: exit 128, every key and its cause listed.
    let o = run(aws_env(rsops().arg("decrypt"), &dead, d).arg(&both));
    assert_eq!(o.status.code(), Some(128), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains(&arn1) && err.contains(&recipient(1)), "{err}");
    assert!(err.contains("unreachable"), "{err}");
    // sops decrypts the mixed file with only KMS too.
    assert_eq!(
        stdout(&ok(aws_env(sops().arg("decrypt"), &moto.url, d).arg(&both))),
        PLAIN
    );

    // A named profile from the shared config files: stored and used to decrypt.
    std::fs::write(
        d.join("aws-config"),
        "[profile rsops-test]\nregion = eu-west-3\n",
    )
    .unwrap();
    std::fs::write(
        d.join("aws-credentials"),
        "[rsops-test]\naws_access_key_id = profilekey\naws_secret_access_key = profilesecret\n",
    )
    .unwrap();
    let no_env_creds = |c: &mut Command| {
        c.env_remove("AWS_ACCESS_KEY_ID")
            .env_remove("AWS_SECRET_ACCESS_KEY");
    };
    let mut c = rsops();
    aws_env(
        c.args(["encrypt", "--kms", &arn1, "--aws-profile", "rsops-test"]),
        &moto.url,
        d,
    )
    .arg(&plain);
    no_env_creds(&mut c);
    let o = ok(&mut c);
    let prof_text = stdout(&o);
    assert!(prof_text.contains("aws_profile: rsops-test"), "{prof_text}");
    let prof_enc = write(d, "profile.enc.yaml", prof_text.as_bytes());
    for tool in [rsops(), sops()] {
        let mut c = tool;
        aws_env(c.arg("decrypt"), &moto.url, d).arg(&prof_enc);
        no_env_creds(&mut c);
        assert_eq!(stdout(&ok(&mut c)), PLAIN);
    }
    std::fs::remove_file(d.join("aws-config")).unwrap();
    std::fs::remove_file(d.join("aws-credentials")).unwrap();

    // .sops.yaml: a flat rule (kms + aws_profile is not needed here) and key
    // groups with KMS maps carrying their own context.
    let cfgdir = d.join("cfg");
    std::fs::create_dir(&cfgdir).unwrap();
    std::fs::write(
        cfgdir.join(".sops.yaml"),
        format!(
            "creation_rules:\n  - path_regex: flat\\.yaml$\n    kms: {arn1}\n  - path_regex: groups\\.yaml$\n    key_groups:\n      - kms:\n          - arn: {arn2}\n            context:\n              team: platform\n        age:\n          - {}\n",
            recipient(2)
        ),
    )
    .unwrap();
    std::fs::write(cfgdir.join("flat.yaml"), PLAIN).unwrap();
    std::fs::write(cfgdir.join("groups.yaml"), PLAIN).unwrap();
    let o = ok(aws_env(
        rsops().args(["encrypt", "--encryption-context", "from:flag", "flat.yaml"]),
        &moto.url,
        d,
    )
    .current_dir(&cfgdir));
    let flat = stdout(&o);
    assert!(
        flat.contains(&arn1) && flat.contains("from: flag"),
        "{flat}"
    );
    let flat_enc = write(&cfgdir, "flat.enc.yaml", flat.as_bytes());
    let o =
        ok(aws_env(rsops().args(["encrypt", "groups.yaml"]), &moto.url, d).current_dir(&cfgdir));
    let groups = stdout(&o);
    assert!(
        groups.contains(&arn2) && groups.contains("team: platform"),
        "{groups}"
    );
    let groups_enc = write(&cfgdir, "groups.enc.yaml", groups.as_bytes());
    for f in [&flat_enc, &groups_enc] {
        assert_eq!(
            stdout(&ok(aws_env(rsops().arg("decrypt"), &moto.url, d).arg(f))),
            PLAIN
        );
        assert_eq!(
            stdout(&ok(aws_env(sops().arg("decrypt"), &moto.url, d).arg(f))),
            PLAIN
        );
    }
    // sops with the same config writes the same layout.
    let o = ok(aws_env(sops().args(["encrypt", "groups.yaml"]), &moto.url, d).current_dir(&cfgdir));
    assert_eq!(kms_block(&groups), sorted_layout(&kms_block(&stdout(&o))));

    // A key that does not exist: the error names the key and the cause.
    let missing = "arn:aws:kms:us-east-1:123456789012:key/00000000-0000-0000-0000-000000000000";
    let o = run(aws_env(rsops().args(["encrypt", "--kms", missing]), &moto.url, d).arg(&plain));
    assert!(!o.status.success());
    let err = stderr(&o);
    assert!(err.contains(missing) && err.contains("not found"), "{err}");
    assert!(!err.contains("hunter2"));
}

#[test]
fn invalid_encryption_context_exits_6_like_sops() {
    let dir = tmpdir();
    let plain = write_plain(dir.path());
    let arn = "arn:aws:kms:us-east-1:123456789012:key/x";
    let dead = closed_url();
    for bad in ["nocolon", "a:b:c", "a:1,"] {
        let o = run(aws_env(
            rsops().args(["encrypt", "--kms", arn, "--encryption-context", bad]),
            &dead,
            dir.path(),
        )
        .arg(&plain));
        assert_eq!(o.status.code(), Some(6), "{bad}: {}", stderr(&o));
        assert!(stderr(&o).contains("encryption context"), "{}", stderr(&o));
        let o = run(aws_env(
            sops().args(["encrypt", "--kms", arn, "--encryption-context", bad]),
            &dead,
            dir.path(),
        )
        .arg(&plain));
        assert_eq!(o.status.code(), Some(6), "sops, {bad}: {}", stderr(&o));
    }
}

#[test]
fn kms_errors_name_key_and_cause() {
    let dir = tmpdir();
    let d = dir.path();
    let plain = write_plain(d);
    let arn = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    // Network unreachable.
    let o = run(aws_env(rsops().args(["encrypt", "--kms", arn]), &closed_url(), d).arg(&plain));
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains(arn) && err.contains("AWS KMS") && err.contains("unreachable"),
        "{err}"
    );
    // No credentials anywhere (instance metadata disabled: nothing leaves the machine).
    let mut c = rsops();
    aws_env(c.args(["encrypt", "--kms", arn]), &closed_url(), d).arg(&plain);
    c.env_remove("AWS_ACCESS_KEY_ID")
        .env_remove("AWS_SECRET_ACCESS_KEY");
    let o = run(&mut c);
    let err = stderr(&o);
    assert!(!o.status.success());
    assert!(
        err.contains(arn) && err.contains("no AWS credentials"),
        "{err}"
    );
    // Not an ARN.
    let o = run(aws_env(
        rsops().args(["encrypt", "--kms", "arn:aws:kms:nope"]),
        &closed_url(),
        d,
    )
    .arg(&plain));
    assert!(stderr(&o).contains("no valid ARN"), "{}", stderr(&o));
}
