//! `rsops publish` with `.sops.yaml` destination_rules, against servers on
//! 127.0.0.1 only: moto (`moto_server`, installed by .ci/run) for S3, and
//! small HTTP servers inside the test for GCS (JSON API media upload, via
//! STORAGE_EMULATOR_HOST) and Vault KV v1/v2 (where the real sops publishes
//! to the same server, and both must write the same secret).

mod common;

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::*;

const PLAIN: &str = "db:\n    user: admin\n    password: hunter2\nport: 5432\n";

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).to_string()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).to_string()
}

/// One request a stub server received.
#[derive(Clone, Debug)]
struct Req {
    method: String,
    target: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Req {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

fn read_request(s: &mut TcpStream) -> Option<Req> {
    let mut r = BufReader::new(s.try_clone().ok()?);
    let mut line = String::new();
    r.read_line(&mut line).ok()?;
    let mut parts = line.split_whitespace();
    let method = parts.next()?.to_string();
    let target = parts.next()?.to_string();
    let mut headers = Vec::new();
    loop {
        let mut h = String::new();
        r.read_line(&mut h).ok()?;
        let h = h.trim_end();
        if h.is_empty() {
            break;
        }
        if let Some((k, v)) = h.split_once(':') {
            headers.push((k.trim().to_string(), v.trim().to_string()));
        }
    }
    let len = headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.parse::<usize>().ok())
        .unwrap_or(0);
    let mut body = vec![0u8; len];
    r.read_exact(&mut body).ok()?;
    Some(Req {
        method,
        target,
        headers,
        body,
    })
}

type Handler = dyn Fn(&Req) -> (u16, String) + Send + Sync;

/// A one-request-per-connection HTTP server on 127.0.0.1, recording every
/// request; it stops with the test process.
struct Stub {
    url: String,
    reqs: Arc<Mutex<Vec<Req>>>,
}

impl Stub {
    fn start(handler: Box<Handler>) -> Stub {
        let l = TcpListener::bind("127.0.0.1:0").expect("bind");
        let url = format!("http://{}", l.local_addr().expect("addr"));
        let reqs = Arc::new(Mutex::new(Vec::new()));
        let seen = reqs.clone();
        std::thread::spawn(move || {
            for s in l.incoming() {
                let Ok(mut s) = s else { continue };
                let Some(req) = read_request(&mut s) else {
                    continue;
                };
                let (status, body) = handler(&req);
                seen.lock().unwrap().push(req);
                let resp = format!(
                    "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = s.write_all(resp.as_bytes());
            }
        });
        Stub { url, reqs }
    }

    fn requests(&self) -> Vec<Req> {
        self.reqs.lock().unwrap().clone()
    }
}

/// A Vault KV server: PUT stores the body, GET returns `{"data": body}`
/// (so KV v2's `{"data": …}` bodies read back as `data.data`).
fn vault_stub() -> Stub {
    let store: Arc<Mutex<HashMap<String, serde_json::Value>>> = Arc::default();
    Stub::start(Box::new(move |r: &Req| {
        if r.header("x-vault-token") != Some("test-token") {
            return (403, r#"{"errors":["permission denied"]}"#.into());
        }
        let mut st = store.lock().unwrap();
        match r.method.as_str() {
            "GET" => match st.get(&r.target) {
                Some(v) => (200, serde_json::json!({ "data": v }).to_string()),
                None => (404, r#"{"errors":[]}"#.into()),
            },
            "PUT" | "POST" => {
                let v: serde_json::Value = serde_json::from_slice(&r.body).unwrap_or_default();
                st.insert(r.target.clone(), v);
                (204, String::new())
            }
            _ => (405, "{}".into()),
        }
    }))
}

fn encrypted_file(dir: &Path, name: &str, plain: &str) -> std::path::PathBuf {
    let p = write(dir, &format!("{name}.plain.yaml"), plain.as_bytes());
    let o = ok(rsops().args(["encrypt", "--age", &recipient(1)]).arg(&p));
    std::fs::remove_file(&p).unwrap();
    write(dir, name, &o.stdout)
}

#[test]
fn publish_to_vault_kv_v1_and_v2_like_sops() {
    let vault = vault_stub();
    let dir = tmpdir();
    let d = dir.path();
    std::fs::create_dir_all(d.join("secrets")).unwrap();
    encrypted_file(&d.join("secrets"), "app.yaml", PLAIN);
    encrypted_file(
        &d.join("secrets"),
        "other.yaml",
        "x: 1\nlist:\n    - a\n    - true\n",
    );
    write(
        d,
        ".sops.yaml",
        format!(
            "destination_rules:\n\
             \x20 - path_regex: other\n\
             \x20   vault_path: v1team\n\
             \x20   vault_address: {url}\n\
             \x20   vault_kv_mount_name: kv\n\
             \x20   vault_kv_version: 1\n\
             \x20 - vault_path: team/\n\
             \x20   vault_address: {url}\n\
             \x20   omit_extensions: true\n",
            url = vault.url
        )
        .as_bytes(),
    );
    let env = |c: &mut Command| {
        c.current_dir(d)
            .env("SOPS_AGE_KEY_FILE", key_file(1))
            .env("VAULT_TOKEN", "test-token");
    };
    // Non-interactive without --yes: stdin is not a terminal, nothing is sent.
    let mut c = rsops();
    env(&mut c);
    let o = run(c.args(["publish", "secrets/app.yaml"]));
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("--yes"), "{}", stderr(&o));
    assert!(vault.requests().is_empty());
    // Answering "n" cancels.
    let mut c = rsops();
    env(&mut c);
    let o = run_stdin(c.args(["publish", "secrets/app.yaml"]), b"n\n");
    assert_ne!(o.status.code(), Some(0));
    assert!(stdout(&o).contains("uploading "), "{}", stdout(&o));
    assert!(stderr(&o).contains("canceled"), "{}", stderr(&o));

    // "y": KV v2 under secret/data/team/app (extension omitted by the rule).
    let mut c = rsops();
    env(&mut c);
    let o = run_stdin(c.args(["publish", "secrets/app.yaml"]), b"y\n");
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).contains(&format!("to {}/v1/secret/data/team/app ? (y/n)", vault.url)),
        "{}",
        stdout(&o)
    );
    let put = vault
        .requests()
        .into_iter()
        .find(|r| r.method == "PUT")
        .expect("a write");
    assert_eq!(put.target, "/v1/secret/data/team/app");
    let body: serde_json::Value = serde_json::from_slice(&put.body).unwrap();
    assert_eq!(
        body,
        serde_json::json!({"data": {"db": {"user": "admin", "password": "hunter2"}, "port": 5432}})
    );
    // The same data again: read, compared, not written.
    let writes = |s: &Stub| s.requests().iter().filter(|r| r.method == "PUT").count();
    let mut c = rsops();
    env(&mut c);
    ok(c.args(["publish", "--yes", "secrets/app.yaml"]));
    assert_eq!(writes(&vault), 1);

    // The real sops writes the same secret (to another server).
    let vault2 = vault_stub();
    let cfg2 = std::fs::read_to_string(d.join(".sops.yaml"))
        .unwrap()
        .replace(&vault.url, &vault2.url);
    std::fs::write(d.join(".sops.yaml"), cfg2).unwrap();
    let mut c = sops();
    env(&mut c);
    ok(c.args(["publish", "--yes", "secrets/app.yaml"]));
    let sops_put = vault2
        .requests()
        .into_iter()
        .find(|r| r.method == "PUT")
        .expect("sops wrote");
    assert_eq!(sops_put.target, put.target);
    let sops_body: serde_json::Value = serde_json::from_slice(&sops_put.body).unwrap();
    assert_eq!(sops_body, body);

    // KV v1 (mount kv/, no data/ segment), --recursive over the directory,
    // names relative to the working directory; both tools agree.
    let mut c = sops();
    env(&mut c);
    ok(c.args(["publish", "--yes", "--recursive", "secrets"]));
    let mut c = rsops();
    env(&mut c);
    let cfg1 = std::fs::read_to_string(d.join(".sops.yaml"))
        .unwrap()
        .replace(&vault2.url, &vault.url);
    std::fs::write(d.join(".sops.yaml"), cfg1).unwrap();
    ok(c.args(["publish", "--yes", "--recursive", "secrets"]));
    let v1 = |s: &Stub| {
        s.requests()
            .into_iter()
            .filter(|r| r.method == "PUT" && r.target.starts_with("/v1/kv/"))
            .map(|r| {
                (
                    r.target,
                    serde_json::from_slice::<serde_json::Value>(&r.body).unwrap(),
                )
            })
            .collect::<Vec<_>>()
    };
    // Names are relative to the directory given, as sops makes them.
    let ours = v1(&vault);
    assert_eq!(
        ours,
        vec![(
            "/v1/kv/v1team/other.yaml".to_string(),
            serde_json::json!({"x": 1, "list": ["a", true]})
        )]
    );
    assert_eq!(ours, v1(&vault2));

    // A wrong token: the error names the destination and the cause, not the token.
    let mut c = rsops();
    env(&mut c);
    let o = run(c
        .env("VAULT_TOKEN", "wrong-token")
        .args(["publish", "--yes", "secrets/app.yaml"]));
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("/v1/secret/data/team/app"),
        "{}",
        stderr(&o)
    );
    assert!(!stderr(&o).contains("wrong-token"), "{}", stderr(&o));
}

/// `publish --recursive` walks the directory like every other command
/// (src/walk.rs): hidden files are published, gitignored files (a local
/// plaintext copy, which would stop the run: only sops files are published)
/// and `.git` are skipped, links are not followed (a loop ends nothing).
#[test]
fn publish_recursive_uses_the_shared_walk() {
    let vault = vault_stub();
    let dir = tmpdir();
    let d = dir.path();
    std::fs::create_dir_all(d.join(".git")).unwrap();
    std::fs::create_dir_all(d.join("secrets/nested")).unwrap();
    write(d, ".gitignore", b"*.dec.yaml\n");
    encrypted_file(&d.join("secrets"), "app.yaml", PLAIN);
    encrypted_file(&d.join("secrets"), ".hidden.yaml", PLAIN);
    encrypted_file(&d.join("secrets/nested"), "deep.yaml", PLAIN);
    write(&d.join("secrets"), "app.dec.yaml", PLAIN.as_bytes());
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(d.join("secrets"), d.join("secrets/nested/loop")).unwrap();
        std::os::unix::fs::symlink(d.join("secrets/app.yaml"), d.join("secrets/link.yaml"))
            .unwrap();
    }
    write(
        d,
        ".sops.yaml",
        format!(
            "destination_rules:\n  - vault_path: team/\n    vault_address: {}\n",
            vault.url
        )
        .as_bytes(),
    );
    let o = ok(rsops()
        .current_dir(d)
        .env("SOPS_AGE_KEY_FILE", key_file(1))
        .env("VAULT_TOKEN", "test-token")
        .args(["publish", "--yes", "--recursive", "secrets"]));
    let mut puts: Vec<String> = vault
        .requests()
        .into_iter()
        .filter(|r| r.method == "PUT" || r.method == "POST")
        .map(|r| r.target)
        .collect();
    puts.sort();
    assert_eq!(
        puts,
        [
            "/v1/secret/data/team/.hidden.yaml",
            "/v1/secret/data/team/app.yaml",
            "/v1/secret/data/team/nested/deep.yaml",
        ],
        "{}",
        stderr(&o)
    );
}

#[test]
fn publish_to_gcs_with_recreation_rule() {
    let gcs = Stub::start(Box::new(|_r: &Req| {
        (200, r#"{"kind":"storage#object"}"#.into())
    }));
    let dir = tmpdir();
    let d = dir.path();
    let enc = encrypted_file(d, "app.enc.yaml", PLAIN);
    let original = std::fs::read(&enc).unwrap();
    write(
        d,
        ".sops.yaml",
        format!(
            "destination_rules:\n\
             \x20 - path_regex: \\.plain\\.\n\
             \x20   gcs_bucket: other\n\
             \x20 - path_regex: app\n\
             \x20   gcs_bucket: rsops-bucket\n\
             \x20   gcs_prefix: team/\n\
             \x20   recreation_rule:\n\
             \x20     age: {}\n",
            recipient(2)
        )
        .as_bytes(),
    );
    let o = ok(rsops()
        .current_dir(d)
        .env("SOPS_AGE_KEY_FILE", key_file(1))
        .env(
            "STORAGE_EMULATOR_HOST",
            gcs.url.trim_start_matches("http://"),
        )
        .args(["publish", "--yes", "--verbose", "app.enc.yaml"]));
    // The key change is shown, as sops shows it.
    assert!(
        stdout(&o).contains(&format!("+++ {}", recipient(2))),
        "{}",
        stdout(&o)
    );
    assert!(
        stdout(&o).contains(&format!("--- {}", recipient(1))),
        "{}",
        stdout(&o)
    );
    let reqs = gcs.requests();
    assert_eq!(reqs.len(), 1, "{reqs:?}");
    let r = &reqs[0];
    assert_eq!(r.method, "POST");
    assert_eq!(
        r.target,
        "/upload/storage/v1/b/rsops-bucket/o?uploadType=media&name=team%2Fapp.enc.yaml"
    );
    assert!(
        r.header("authorization").is_none(),
        "no credentials to an emulator"
    );
    // Re-encrypted for recipient 2 only: key 2 opens it, key 1 no longer does.
    let up = write(d, "uploaded.yaml", &r.body);
    assert_ne!(r.body, original);
    let o = ok(rsops()
        .env("SOPS_AGE_KEY_FILE", key_file(2))
        .arg("decrypt")
        .arg(&up));
    assert_eq!(stdout(&o), PLAIN);
    let o = ok(sops()
        .env("SOPS_AGE_KEY_FILE", key_file(2))
        .arg("decrypt")
        .arg(&up));
    assert_eq!(stdout(&o), PLAIN);
    let o = run(rsops()
        .env("SOPS_AGE_KEY_FILE", key_file(1))
        .arg("decrypt")
        .arg(&up));
    assert_eq!(o.status.code(), Some(128));
    // The local file is unchanged.
    assert_eq!(std::fs::read(&enc).unwrap(), original);

    // A file no rule sends anywhere, a plaintext file, a directory without --recursive.
    write(d, "x.yaml", b"a: 1\n");
    let o = run(rsops().current_dir(d).args(["publish", "--yes", "x.yaml"]));
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("no matching destination"),
        "{}",
        stderr(&o)
    );
    let o = run(rsops().current_dir(d).args(["publish", "--yes", "."]));
    assert!(stderr(&o).contains("--recursive"), "{}", stderr(&o));
}

// --- S3 through moto -------------------------------------------------------

struct Moto {
    child: Child,
    url: String,
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start_moto() -> Moto {
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let on_path = std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).any(|d| d.join("moto_server").is_file()))
        .unwrap_or(false);
    let mut cmd = if on_path {
        Command::new("moto_server")
    } else {
        let mut c = Command::new("python3");
        c.args(["-m", "moto.server"]);
        c
    };
    let child = cmd
        .args(["-H", "127.0.0.1", "-p", &port.to_string()])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| {
            panic!("moto_server is needed for the S3 test ({e}): run .ci/run or `pip install 'moto[server]'`")
        });
    let m = Moto {
        child,
        url: format!("http://127.0.0.1:{port}"),
    };
    let t0 = Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            t0.elapsed() < Duration::from_secs(60),
            "moto_server did not start"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    m
}

/// A plain HTTP request to moto (it does not check signatures, but
/// refuses anonymous reads of private objects).
fn http(url: &str, method: &str, path: &str) -> (u16, Vec<u8>) {
    let hostport = url.trim_start_matches("http://");
    let mut s = TcpStream::connect(hostport).expect("connect");
    let req = format!(
        "{method} {path} HTTP/1.1\r\nHost: {hostport}\r\nContent-Length: 0\r\n\
         Authorization: AWS4-HMAC-SHA256 Credential=testing/20240101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=00\r\n\
         Connection: close\r\n\r\n"
    );
    s.write_all(req.as_bytes()).unwrap();
    let mut resp = Vec::new();
    s.read_to_end(&mut resp).unwrap();
    let split = resp
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("http response");
    let head = String::from_utf8_lossy(&resp[..split]).to_string();
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let mut body = resp[split + 4..].to_vec();
    if head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        body = dechunk(&body);
    }
    (status, body)
}

fn dechunk(mut b: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let Some(i) = b.windows(2).position(|w| w == b"\r\n") else {
            return out;
        };
        let n = usize::from_str_radix(String::from_utf8_lossy(&b[..i]).trim(), 16).unwrap_or(0);
        if n == 0 {
            return out;
        }
        out.extend_from_slice(&b[i + 2..i + 2 + n]);
        b = &b[i + 4 + n..];
    }
}

fn aws_env(c: &mut Command, endpoint: &str, home: &Path) {
    for (k, _) in std::env::vars_os() {
        let k = k.to_string_lossy().to_string();
        if k.starts_with("AWS_") {
            c.env_remove(&k);
        }
    }
    c.env("AWS_ENDPOINT_URL", endpoint)
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("AWS_REGION", "us-east-1")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("AWS_CONFIG_FILE", home.join("aws-config"))
        .env("AWS_SHARED_CREDENTIALS_FILE", home.join("aws-credentials"));
}

#[test]
fn publish_to_s3_through_moto() {
    let moto = start_moto();
    assert_eq!(http(&moto.url, "PUT", "/rsops-bucket").0, 200);
    let dir = tmpdir();
    let d = dir.path();
    std::fs::create_dir_all(d.join("conf/prod")).unwrap();
    let a = encrypted_file(&d.join("conf"), "a.enc.yaml", PLAIN);
    encrypted_file(&d.join("conf/prod"), "b.enc.yaml", "k: v\n");
    write(
        d,
        ".sops.yaml",
        b"destination_rules:\n  - s3_bucket: rsops-bucket\n    s3_prefix: published/\n",
    );
    let mut c = rsops();
    aws_env(&mut c, &moto.url, d);
    ok(c.current_dir(d)
        .args(["publish", "--yes", "conf/a.enc.yaml"]));
    // Uploaded byte for byte (no recreation_rule keys), under prefix + base name.
    let (status, body) = http(&moto.url, "GET", "/rsops-bucket/published/a.enc.yaml");
    assert_eq!(status, 200);
    assert_eq!(body, std::fs::read(&a).unwrap());

    // --recursive keeps paths relative to the directory given;
    // --omit-extensions drops the last extension.
    let mut c = rsops();
    aws_env(&mut c, &moto.url, d);
    ok(c.current_dir(d).args([
        "publish",
        "--yes",
        "--recursive",
        "--omit-extensions",
        "conf",
    ]));
    for key in ["published/a.enc", "published/prod/b.enc"] {
        let (status, _) = http(&moto.url, "GET", &format!("/rsops-bucket/{key}"));
        assert_eq!(status, 200, "{key}");
    }

    // A missing bucket: the error names the destination and S3's answer.
    write(
        d,
        ".sops.yaml",
        b"destination_rules:\n  - s3_bucket: no-such-bucket\n",
    );
    let mut c = rsops();
    aws_env(&mut c, &moto.url, d);
    let o = run(c
        .current_dir(d)
        .args(["publish", "--yes", "conf/a.enc.yaml"]));
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("s3://no-such-bucket/a.enc.yaml"),
        "{}",
        stderr(&o)
    );
    assert!(!stderr(&o).contains("testing"), "{}", stderr(&o));
}
