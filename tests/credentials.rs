//! A file's `sops` block is written by whoever wrote the file (it arrives
//! through pull requests), so nothing in it may choose where a credential
//! goes. These tests run the built binary on files whose cloud entries point
//! at recording listeners on 127.0.0.1 and assert that rsops refuses the
//! entry before any token is fetched or request sent: exit code 128 (no key
//! could decrypt), an error naming the entry and the setting that would
//! allow it, and not one connection to any listener. Every proxy variable
//! points at a recorder too, so a request to any other host would be seen.
//! The last test does the same through `rsops keyservice`.

mod common;

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::*;

const PLAIN: &str = "db:\n    password: hunter2\n";
const AZ_VERSION: &str = "00112233445566778899aabbccddeeff";

/// A listener that records every connection and answers 502.
struct Recorder {
    url: String,
    addr: String,
    accepted: Arc<AtomicUsize>,
    lines: Arc<Mutex<Vec<String>>>,
    sentinels: AtomicUsize,
}

fn recorder() -> Recorder {
    let l = TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = l.local_addr().expect("addr").to_string();
    let accepted = Arc::new(AtomicUsize::new(0));
    let lines = Arc::new(Mutex::new(Vec::new()));
    let (a, ls) = (accepted.clone(), lines.clone());
    std::thread::spawn(move || {
        for s in l.incoming().flatten() {
            // Counted in accept order, before anything else.
            a.fetch_add(1, Ordering::SeqCst);
            let ls = ls.clone();
            std::thread::spawn(move || {
                let mut s = s;
                let _ = s.set_read_timeout(Some(Duration::from_secs(2)));
                let mut buf = [0u8; 2048];
                let n = s.read(&mut buf).unwrap_or(0);
                let first = String::from_utf8_lossy(&buf[..n])
                    .lines()
                    .next()
                    .unwrap_or("")
                    .to_string();
                ls.lock().unwrap().push(first);
                let _ = s.write_all(
                    b"HTTP/1.1 502 Bad Gateway\r\ncontent-length: 0\r\nconnection: close\r\n\r\n",
                );
            });
        }
    });
    Recorder {
        url: format!("http://{addr}"),
        addr,
        accepted,
        lines,
        sentinels: AtomicUsize::new(0),
    }
}

impl Recorder {
    /// Connections other than our own sentinels. A sentinel connection is
    /// made and waited for first: the listener accepts in order, so every
    /// connection made before it has been counted.
    fn hits(&self) -> usize {
        let before = self.accepted.load(Ordering::SeqCst);
        let _s = TcpStream::connect(&self.addr).expect("sentinel");
        self.sentinels.fetch_add(1, Ordering::SeqCst);
        let t0 = Instant::now();
        while self.accepted.load(Ordering::SeqCst) <= before {
            assert!(
                t0.elapsed() < Duration::from_secs(10),
                "sentinel not accepted"
            );
            std::thread::sleep(Duration::from_millis(5));
        }
        self.accepted.load(Ordering::SeqCst) - self.sentinels.load(Ordering::SeqCst)
    }
}

/// The listeners of one test: the service the entry names, a token
/// endpoint, and a proxy that every proxy variable points at.
struct Net {
    service: Recorder,
    token: Recorder,
    proxy: Recorder,
}

impl Net {
    fn new() -> Net {
        Net {
            service: recorder(),
            token: recorder(),
            proxy: recorder(),
        }
    }

    fn assert_silent(&self, what: &str) {
        for (name, r) in [
            ("service", &self.service),
            ("token endpoint", &self.token),
            ("proxy", &self.proxy),
        ] {
            let n = r.hits();
            assert_eq!(
                n,
                0,
                "{what}: {n} connection(s) reached the {name} listener: {:?}",
                r.lines.lock().unwrap()
            );
        }
    }
}

/// A command with no credentials or settings from the developer's
/// environment, its own home, and every proxy variable on the recorder.
fn isolated(mut c: Command, home: &Path, net: &Net) -> Command {
    for (k, _) in std::env::vars_os() {
        let k = k.to_string_lossy().to_string();
        let lower = k.to_ascii_lowercase();
        if [
            "VAULT_",
            "GOOGLE_",
            "AZURE_",
            "RSOPS_",
            "CLOUDSDK_",
            "AWS_",
            "IDENTITY_",
        ]
        .iter()
        .any(|p| k.starts_with(p))
            || k == "GCE_METADATA_HOST"
            || lower.ends_with("_proxy")
        {
            c.env_remove(&k);
        }
    }
    for p in [
        "HTTPS_PROXY",
        "HTTP_PROXY",
        "ALL_PROXY",
        "https_proxy",
        "http_proxy",
        "all_proxy",
    ] {
        c.env(p, &net.proxy.url);
    }
    c.env("HOME", home)
        .env("PATH", "/nonexistent") // no Azure CLI or gcloud fallback
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("AWS_CONFIG_FILE", home.join("aws-config"))
        .env("AWS_SHARED_CREDENTIALS_FILE", home.join("aws-credentials"));
    c
}

/// Credentials for every cloud, each pointing its token exchange at the
/// token recorder: what a developer's shell would hold.
fn with_credentials(c: &mut Command, home: &Path, net: &Net) {
    let mut sa: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(testdata().join("keys/gcp-service-account.json")).unwrap(),
    )
    .unwrap();
    sa["token_uri"] = serde_json::Value::String(format!("{}/token", net.token.url));
    let sa_file = write(home, "sa.json", sa.to_string().as_bytes());
    c.env("AZURE_AUTHORITY_HOST", &net.token.url)
        .env("AZURE_TENANT_ID", "tenant-1")
        .env("AZURE_CLIENT_ID", "client-1")
        .env("AZURE_CLIENT_SECRET", "rsops-test-client-secret")
        .env("GOOGLE_APPLICATION_CREDENTIALS", sa_file)
        .env("RSOPS_GCP_KMS_ENDPOINT", &net.service.url)
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("VAULT_TOKEN", "rsops-test-vault-token");
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).to_string()
}

fn file_with(dir: &Path, name: &str, entry: &str, keep_age: bool) -> PathBuf {
    file_with_entry(dir, name, PLAIN, entry, keep_age)
}

fn azure(url: &str) -> String {
    format!(
        "    azure_kv:\n        - vault_url: {url}\n          name: sops-key\n          version: {AZ_VERSION}\n          created_at: \"2025-01-01T00:00:00Z\"\n          enc: AAAA\n"
    )
}

fn gcp(id: &str) -> String {
    format!(
        "    gcp_kms:\n        - resource_id: {id}\n          created_at: \"2025-01-01T00:00:00Z\"\n          enc: AAAA\n"
    )
}

fn aws(arn: &str, role: &str, profile: &str) -> String {
    format!(
        "    kms:\n        - arn: {arn}\n          role: \"{role}\"\n          created_at: \"2025-01-01T00:00:00Z\"\n          enc: AAAA\n          aws_profile: \"{profile}\"\n"
    )
}

fn vault(address: &str, engine: &str, key: &str) -> String {
    format!(
        "    hc_vault:\n        - vault_address: {address}\n          engine_path: \"{engine}\"\n          key_name: \"{key}\"\n          created_at: \"2025-01-01T00:00:00Z\"\n          enc: vault:v1:AAAA\n"
    )
}

/// Decrypt `file` with credentials; expect exit 128, every `want` in the
/// error, and silence on every listener.
fn refused(net: &Net, file: &Path, extra: &[(&str, &str)], want: &[&str]) {
    let home = tmpdir();
    let mut c = isolated(rsops(), home.path(), net);
    with_credentials(&mut c, home.path(), net);
    for (k, v) in extra {
        c.env(k, v);
    }
    let o = run(c.arg("decrypt").arg(file));
    let err = stderr(&o);
    net.assert_silent(&format!("{file:?} {extra:?}: {err}"));
    assert_eq!(o.status.code(), Some(128), "{err}");
    for w in want {
        assert!(err.contains(w), "missing {w:?} in: {err}");
    }
    assert!(
        !err.contains("rsops-test-client-secret") && !err.contains("rsops-test-vault-token"),
        "{err}"
    );
}

#[test]
fn azure_entries_outside_key_vault_get_no_token() {
    let net = Net::new();
    let dir = tmpdir();
    let d = dir.path();
    let cases = [
        // Plain http to a listener of the attacker's choice.
        net.service.url.clone(),
        // An https host that is not a Key Vault.
        "https://evil.example".to_string(),
        "https://vault.azure.net.evil.example".to_string(),
        // Too few, or too many, labels before the suffix.
        "https://vault.azure.net".to_string(),
        "https://127.0.0.1.vault.azure.net".to_string(),
        // A port, a user name.
        "https://v.vault.azure.net:8443".to_string(),
        "https://evil.example@v.vault.azure.net".to_string(),
    ];
    for (i, url) in cases.iter().enumerate() {
        let f = file_with(d, &format!("az{i}.enc.yaml"), &azure(url), false);
        refused(
            &net,
            &f,
            &[],
            &[
                &format!("refused the azure_kv entry {url}/keys/sops-key/{AZ_VERSION}"),
                "RSOPS_AZURE_KEYVAULT_ALLOWED_HOSTS",
            ],
        );
    }
    // The user's endpoint override does not make a bad vault_url acceptable.
    let f = file_with(
        d,
        "az-endpoint.enc.yaml",
        &azure("https://evil.example"),
        false,
    );
    refused(
        &net,
        &f,
        &[("RSOPS_AZURE_KEYVAULT_ENDPOINT", &net.service.url)],
        &["refused the azure_kv entry https://evil.example/"],
    );
    // An allowed suffix still requires https.
    let f = file_with(
        d,
        "az-http.enc.yaml",
        &azure("http://kv.vault.example.internal"),
        false,
    );
    refused(
        &net,
        &f,
        &[(
            "RSOPS_AZURE_KEYVAULT_ALLOWED_HOSTS",
            "vault.example.internal",
        )],
        &["is not an https:// URL"],
    );
}

#[test]
fn azure_names_and_versions_cannot_reach_other_paths() {
    let net = Net::new();
    let dir = tmpdir();
    let entry = |name: &str, version: &str| {
        format!(
            "    azure_kv:\n        - vault_url: https://v.vault.azure.net\n          name: \"{name}\"\n          version: \"{version}\"\n          created_at: \"2025-01-01T00:00:00Z\"\n          enc: AAAA\n"
        )
    };
    for (i, (name, version)) in [
        ("k/../../secrets/db", AZ_VERSION),
        ("k", "1/decrypt?api-version=1#"),
        ("k%2F..", AZ_VERSION),
    ]
    .iter()
    .enumerate()
    {
        let f = file_with(
            dir.path(),
            &format!("n{i}.enc.yaml"),
            &entry(name, version),
            false,
        );
        refused(
            &net,
            &f,
            &[("RSOPS_AZURE_KEYVAULT_ENDPOINT", &net.service.url)],
            &["refused the azure_kv entry https://v.vault.azure.net/keys/"],
        );
    }
}

#[test]
fn gcp_resource_ids_cannot_reach_other_paths() {
    let net = Net::new();
    let dir = tmpdir();
    for (i, id) in [
        "projects/../locations/global/keyRings/r/cryptoKeys/k",
        "projects/my-project/locations/global/keyRings/r/cryptoKeys/..",
        "projects/my-project/locations/global/keyRings/r/cryptoKeys/k?alt=json",
        "projects/my-project/locations/global/keyRings/r/cryptoKeys/k#x",
        "projects/my-project/locations/global/keyRings/%2e%2e/cryptoKeys/k",
    ]
    .iter()
    .enumerate()
    {
        let f = file_with(dir.path(), &format!("g{i}.enc.yaml"), &gcp(id), false);
        refused(
            &net,
            &f,
            &[],
            &[
                &format!("refused the gcp_kms entry {id}"),
                "SOPS_GCP_KMS_ENDPOINT",
            ],
        );
    }
}

#[test]
fn aws_entries_cannot_steer_the_endpoint() {
    let net = Net::new();
    let dir = tmpdir();
    let key = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    for (i, (arn, role, profile)) in [
        // Regions that would change the endpoint's host.
        (
            "arn:aws:kms:us-east-1.evil.example:111122223333:key/k",
            "",
            "",
        ),
        ("arn:aws:kms:evil.example#:111122223333:key/k", "", ""),
        ("arn:aws-evil:kms:us-east-1:111122223333:key/k", "", ""),
        // A role or profile that is not one.
        (key, "arn:aws:iam::111122223333:role/r?x=1", ""),
        (key, "", "../../etc/x"),
    ]
    .iter()
    .enumerate()
    {
        let f = file_with(
            dir.path(),
            &format!("k{i}.enc.yaml"),
            &aws(arn, role, profile),
            false,
        );
        refused(
            &net,
            &f,
            &[],
            &[
                &format!("refused the kms entry {arn}"),
                "AWS_ENDPOINT_URL_KMS",
            ],
        );
    }
}

#[test]
fn vault_paths_cannot_reach_other_endpoints() {
    let net = Net::new();
    let dir = tmpdir();
    let addr = net.service.url.clone();
    for (i, (engine, key)) in [
        ("kv?x=", "k"),
        ("transit", "k#"),
        ("transit/../../sys", "seal"),
        ("transit", ".."),
        ("transit%2F..", "k"),
    ]
    .iter()
    .enumerate()
    {
        let f = file_with(
            dir.path(),
            &format!("v{i}.enc.yaml"),
            &vault(&addr, engine, key),
            false,
        );
        // The address itself is the user's VAULT_ADDR: only the path is wrong.
        refused(
            &net,
            &f,
            &[("VAULT_ADDR", &addr)],
            &[
                &format!("refused the hc_vault entry {addr}/v1/{engine}/keys/{key}"),
                "not '.' or '..'",
            ],
        );
    }
}

#[test]
fn vault_addresses_need_the_users_consent() {
    let net = Net::new();
    let dir = tmpdir();
    let addr = net.service.url.clone();
    let f = file_with(
        dir.path(),
        "v.enc.yaml",
        &vault(&addr, "transit", "k"),
        false,
    );
    let entry = format!("refused the hc_vault entry {addr}/v1/transit/keys/k");
    // Not on SOPS_HC_VAULT_ALLOWLIST (VAULT_ADDR does not override it).
    refused(
        &net,
        &f,
        &[
            ("SOPS_HC_VAULT_ALLOWLIST", "https://vault.example.org"),
            ("VAULT_ADDR", &addr),
        ],
        &[&entry, "is not allowed by SOPS_HC_VAULT_ALLOWLIST"],
    );
    refused(
        &net,
        &f,
        &[("SOPS_HC_VAULT_ALLOWLIST", "none")],
        &[&entry, "SOPS_HC_VAULT_ALLOWLIST"],
    );
    // `all` admits https only.
    refused(
        &net,
        &f,
        &[("SOPS_HC_VAULT_ALLOWLIST", "all")],
        &[&entry, "admits only https"],
    );
    // No allowlist: the address must be the user's VAULT_ADDR.
    refused(
        &net,
        &f,
        &[("VAULT_ADDR", "https://vault.example.org:8200")],
        &[&entry, "it is not VAULT_ADDR", "SOPS_HC_VAULT_ALLOWLIST"],
    );
    refused(
        &net,
        &f,
        &[],
        &[
            &entry,
            "neither VAULT_ADDR nor SOPS_HC_VAULT_ALLOWLIST is set",
        ],
    );
    // Checked before the token is read: without any token the error is
    // still the refusal, not "no Vault token".
    let home = tmpdir();
    let mut c = isolated(rsops(), home.path(), &net);
    let o = run(c.arg("decrypt").arg(&f));
    assert_eq!(o.status.code(), Some(128));
    assert!(
        stderr(&o).contains(&entry) && !stderr(&o).contains("no Vault token"),
        "{}",
        stderr(&o)
    );
    net.assert_silent("vault without token");
}

/// Encrypting and rotating check the entries too (rotate re-wraps the
/// file's own entries).
#[test]
fn rotate_does_not_wrap_for_hostile_entries() {
    let net = Net::new();
    let dir = tmpdir();
    let d = dir.path();
    for (i, entry) in [
        azure(&net.service.url),
        gcp("projects/my-project/locations/global/keyRings/r/cryptoKeys/k?x"),
        aws(
            "arn:aws:kms:us-east-1.evil.example:111122223333:key/k",
            "",
            "",
        ),
        vault(&net.service.url, "transit/../kv", "k"),
    ]
    .iter()
    .enumerate()
    {
        let f = file_with(d, &format!("r{i}.enc.yaml"), entry, true);
        let home = tmpdir();
        let mut c = isolated(rsops(), home.path(), &net);
        with_credentials(&mut c, home.path(), &net);
        c.env("SOPS_AGE_KEY_FILE", key_file(1))
            .env("VAULT_ADDR", &net.service.url)
            .args(["rotate", "-i"])
            .arg(&f);
        let o = run(&mut c);
        net.assert_silent(&format!("{entry}: {}", stderr(&o)));
        assert_ne!(o.status.code(), Some(0), "{entry}");
        assert!(stderr(&o).contains("refused the "), "{}", stderr(&o));
    }
}

/// A key service process, killed when dropped.
struct KeyService {
    child: Child,
    log: PathBuf,
    _dir: tempfile::TempDir,
}

impl Drop for KeyService {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port()
}

/// `rsops keyservice` answers for any client with the server's own
/// credentials: it refuses hostile entries the same way.
#[test]
fn keyservice_server_refuses_hostile_entries() {
    let net = Net::new();
    let dir = tmpdir();
    let d = dir.path();
    let port = free_port();
    let addr = format!("127.0.0.1:{port}");
    let server_home = tmpdir();
    let log_dir = tmpdir();
    let log = log_dir.path().join("server.log");
    let out = std::fs::File::create(&log).expect("log");
    let mut c = isolated(rsops(), server_home.path(), &net);
    with_credentials(&mut c, server_home.path(), &net);
    c.env("SOPS_AGE_KEY_FILE", key_file(1))
        .env("VAULT_ADDR", &net.service.url)
        .args([
            "keyservice",
            "--network",
            "tcp",
            "--address",
            &addr,
            "--verbose",
        ])
        .stdin(Stdio::null())
        .stdout(out.try_clone().expect("log"))
        .stderr(out);
    let child = c.spawn().expect("start the key service");
    let mut server = KeyService {
        child,
        log,
        _dir: log_dir,
    };
    let t0 = Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        if let Ok(Some(s)) = server.child.try_wait() {
            panic!(
                "the key service exited ({s}): {}",
                std::fs::read_to_string(&server.log).unwrap_or_default()
            );
        }
        assert!(
            t0.elapsed() < Duration::from_secs(30),
            "the key service did not start"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    let uri = format!("tcp://{addr}");
    // The client reaches the server directly, not through the recorder.
    let client = |home: &Path| {
        let mut c = rsops();
        for (k, _) in std::env::vars_os() {
            let k = k.to_string_lossy().to_string();
            if k.to_ascii_lowercase().ends_with("_proxy") {
                c.env_remove(&k);
            }
        }
        c.env("HOME", home)
            .args(["--keyservice", &uri, "--enable-local-keyservice=false"]);
        c
    };

    // Decrypt: the only entry is hostile; the server fetches no token.
    for (i, entry) in [
        azure(&net.service.url),
        azure("https://evil.example"),
        gcp("projects/my-project/locations/global/keyRings/r/cryptoKeys/k?x"),
        aws(
            "arn:aws:kms:us-east-1.evil.example:111122223333:key/k",
            "",
            "",
        ),
        vault(&net.service.url, "kv?x=", "k"),
    ]
    .iter()
    .enumerate()
    {
        let f = file_with(d, &format!("ks{i}.enc.yaml"), entry, false);
        let home = tmpdir();
        let o = run(client(home.path()).arg("decrypt").arg(&f));
        let err = stderr(&o);
        net.assert_silent(&format!("keyservice decrypt {entry}: {err}"));
        assert_eq!(o.status.code(), Some(128), "{err}");
        assert!(err.contains("refused the ") && err.contains(&uri), "{err}");
    }
    let f = file_with(d, "ks-az.enc.yaml", &azure(&net.service.url), false);
    let home = tmpdir();
    let err = stderr(&run(client(home.path()).arg("decrypt").arg(&f)));
    assert!(
        err.contains(&format!(
            "refused the azure_kv entry {}/keys/sops-key",
            net.service.url
        )) && err.contains("RSOPS_AZURE_KEYVAULT_ALLOWED_HOSTS"),
        "{err}"
    );

    // Encrypt (rotate re-wraps the file's entries through the server; the
    // data key comes from the age entry the server can open).
    let f = file_with(d, "ks-rot.enc.yaml", &azure(&net.service.url), true);
    let home = tmpdir();
    let o = run(client(home.path()).args(["rotate", "-i"]).arg(&f));
    net.assert_silent(&format!("keyservice encrypt: {}", stderr(&o)));
    assert_ne!(o.status.code(), Some(0));
    assert!(
        stderr(&o).contains("refused the azure_kv entry"),
        "{}",
        stderr(&o)
    );
    let log = std::fs::read_to_string(&server.log).unwrap_or_default();
    assert!(log.contains("failed: "), "{log}");
    assert!(
        !log.contains("hunter2") && !log.contains("rsops-test-client-secret"),
        "{log}"
    );
}
