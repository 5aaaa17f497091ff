//! sops' key service over gRPC, end to end and against the real sops 3.11
//! in both directions, on loopback TCP and unix sockets:
//! the sops client with `rsops keyservice`, and rsops' `--keyservice`
//! client with `sops keyservice`. The server process holds the TEST-ONLY
//! age identity (SOPS_AGE_KEY_FILE); the clients have none, so a decryption
//! that succeeds went through the key service.
//!
//! Note: sops 3.11 reads `--keyservice` and `--enable-local-keyservice`
//! for its subcommands only when they come after the subcommand name
//! (`sops decrypt --keyservice …`); before it they are silently ignored.
//! rsops accepts them in both places.

mod common;

use std::io::Write;
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use common::*;

const PLAIN: &str = "db:\n    user: admin\n    password: hunter2\nport: 5432\n";

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).to_string()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).to_string()
}

/// A key service process (rsops or sops), killed when dropped.
struct Server {
    child: Child,
    /// Held open for --prompt answers.
    _stdin: Option<std::process::ChildStdin>,
    log: PathBuf,
    _dir: tempfile::TempDir,
}

impl Server {
    fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// Stop with SIGTERM and wait for the process to exit.
    fn terminate(&mut self) -> std::process::ExitStatus {
        let pid = self.child.id() as libc::pid_t;
        // SAFETY: signals our own child process.
        unsafe { libc::kill(pid, libc::SIGTERM) };
        let start = Instant::now();
        loop {
            if let Some(s) = self.child.try_wait().expect("wait") {
                return s;
            }
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "the key service did not stop on SIGTERM: {}",
                self.log()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Start a key service: `cmd` gets the server's arguments; the server (and
/// only the server) holds age identity 1. `stdin` is piped for --prompt.
fn start(mut cmd: Command, ready: &dyn Fn() -> bool, stdin: Option<&[u8]>) -> Server {
    let dir = tmpdir();
    let log = dir.path().join("server.log");
    let out = std::fs::File::create(&log).expect("log");
    cmd.env("SOPS_AGE_KEY_FILE", key_file(1))
        .stdout(out.try_clone().expect("log"))
        .stderr(out)
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        });
    let mut child = cmd.spawn().expect("start the key service");
    let mut pipe = child.stdin.take();
    if let (Some(w), Some(input)) = (pipe.as_mut(), stdin) {
        w.write_all(input).expect("write stdin");
    }
    let mut s = Server {
        child,
        _stdin: pipe,
        log,
        _dir: dir,
    };
    let t0 = Instant::now();
    while !ready() {
        if let Ok(Some(status)) = s.child.try_wait() {
            panic!("the key service exited ({status}): {}", s.log());
        }
        assert!(
            t0.elapsed() < Duration::from_secs(30),
            "the key service did not start: {}",
            s.log()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    s
}

fn tcp_ready(port: u16) -> impl Fn() -> bool {
    move || TcpStream::connect(("127.0.0.1", port)).is_ok()
}

fn unix_ready(path: PathBuf) -> impl Fn() -> bool {
    move || std::os::unix::net::UnixStream::connect(&path).is_ok()
}

fn rsops_server(args: &[&str]) -> Command {
    let mut c = rsops();
    c.arg("keyservice").args(args);
    c
}

fn sops_server(args: &[&str]) -> Command {
    let mut c = sops();
    c.arg("keyservice").args(args);
    c
}

/// The real sops as a client of `uri` only (no local key service).
fn sops_via(uri: &str, sub: &str) -> Command {
    let mut c = sops();
    c.args([sub, "--keyservice", uri, "--enable-local-keyservice=false"]);
    c
}

/// Encrypt with the sops client through `uri`, decrypt the same way, and
/// check that without the key service neither tool can decrypt.
fn sops_client_roundtrip(uri: &str, dir: &Path) {
    let plain = write(dir, "secrets.yaml", PLAIN.as_bytes());
    let o = ok(sops_via(uri, "encrypt")
        .args(["--age", &recipient(1)])
        .arg(&plain));
    let enc = write(dir, "secrets.enc.yaml", &o.stdout);
    assert!(stdout(&o).contains(&recipient(1)));
    let o = ok(sops_via(uri, "decrypt").arg(&enc));
    assert_eq!(stdout(&o), PLAIN);
    // The clients hold no identity: without the service nothing decrypts.
    let o = run(sops().arg("decrypt").arg(&enc));
    assert_eq!(o.status.code(), Some(128), "{}", stderr(&o));
    let o = run(rsops().arg("decrypt").arg(&enc));
    assert_eq!(o.status.code(), Some(128), "{}", stderr(&o));
    // rsops as a client of the same server, flags before or after the subcommand.
    let o = ok(rsops()
        .args([
            "--keyservice",
            uri,
            "--enable-local-keyservice=false",
            "decrypt",
        ])
        .arg(&enc));
    assert_eq!(stdout(&o), PLAIN);
    let o = ok(rsops()
        .args([
            "decrypt",
            "--keyservice",
            uri,
            "--enable-local-keyservice=false",
        ])
        .arg(&enc));
    assert_eq!(stdout(&o), PLAIN);
}

#[test]
fn sops_client_with_rsops_server_over_tcp() {
    let port = free_port();
    let addr = format!("127.0.0.1:{port}");
    let server = start(
        rsops_server(&["--network", "tcp", "--address", &addr, "--verbose"]),
        &tcp_ready(port),
        None,
    );
    let dir = tmpdir();
    let uri = format!("tcp://{addr}");
    sops_client_roundtrip(&uri, dir.path());

    // A rsops client encrypts through it as well, with only the remote service.
    let plain = write(dir.path(), "p.json", br#"{"k":"v"}"#);
    let o = ok(rsops()
        .args([
            "encrypt",
            "--keyservice",
            &uri,
            "--enable-local-keyservice=false",
        ])
        .args(["--age", &recipient(1)])
        .arg(&plain));
    let enc = write(dir.path(), "p.enc.json", &o.stdout);
    let o = ok(sops_via(&uri, "decrypt").arg(&enc));
    assert_eq!(stdout(&o), "{\n\t\"k\": \"v\"\n}\n");

    // Errors from the server's key sources reach the client, naming the key.
    let arn = "arn:aws:kms:us-east-1:111122223333:key/rsops-test";
    let o = run(rsops()
        .args([
            "encrypt",
            "--keyservice",
            &uri,
            "--enable-local-keyservice=false",
        ])
        .args(["--kms", arn])
        .arg(&plain));
    assert_ne!(o.status.code(), Some(0));
    assert!(stderr(&o).contains(arn), "{}", stderr(&o));
    assert!(stderr(&o).contains(&uri), "{}", stderr(&o));

    // --verbose logs each request: the operation and the key, nothing secret.
    let log = server.log();
    assert!(log.contains(&format!("listening on tcp://{addr}")), "{log}");
    assert!(
        log.contains("encrypt request from 127.0.0.1:")
            && log.contains(&format!("with age recipient {}: ok", recipient(1))),
        "{log}"
    );
    assert!(log.contains("decrypt request from 127.0.0.1:"), "{log}");
    assert!(log.contains(&format!("AWS KMS key {arn}: failed")), "{log}");
    assert!(
        !log.contains("hunter2") && !log.contains("AGE-SECRET-KEY"),
        "{log}"
    );
    assert!(!log.contains("-----BEGIN AGE ENCRYPTED FILE-----"), "{log}");
}

#[test]
fn sops_client_with_rsops_server_over_unix_socket() {
    let dir = tmpdir();
    let sock = dir.path().join("ks.sock");
    let sock_s = sock.display().to_string();
    let mut server = start(
        rsops_server(&["--network", "unix", "--address", &sock_s]),
        &unix_ready(sock.clone()),
        None,
    );
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&sock)
            .expect("socket")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600, "the socket is for its owner only");
    }
    sops_client_roundtrip(&format!("unix://{sock_s}"), dir.path());
    // A second server on the same path is refused while the first runs.
    let o = run(&mut rsops_server(&[
        "--network",
        "unix",
        "--address",
        &sock_s,
    ]));
    assert_ne!(o.status.code(), Some(0));
    assert!(stderr(&o).contains("cannot listen"), "{}", stderr(&o));
    // SIGTERM: a clean exit that removes the socket.
    let status = server.terminate();
    assert!(status.success(), "{status}: {}", server.log());
    assert!(!sock.exists(), "the socket file is removed on exit");
}

#[test]
fn rsops_client_with_sops_server_over_tcp() {
    let port = free_port();
    let addr = format!("127.0.0.1:{port}");
    let _server = start(
        sops_server(&["--network", "tcp", "--address", &addr]),
        &tcp_ready(port),
        None,
    );
    let dir = tmpdir();
    let d = dir.path();
    let uri = format!("tcp://{addr}");
    let plain = write(d, "secrets.yaml", PLAIN.as_bytes());

    // Encrypt and decrypt only through the sops key service.
    let o = ok(rsops()
        .args(["--keyservice", &uri, "--enable-local-keyservice=false"])
        .args(["encrypt", "--age", &recipient(1)])
        .arg(&plain));
    let enc = write(d, "secrets.enc.yaml", &o.stdout);
    let o = ok(rsops()
        .args([
            "decrypt",
            "--keyservice",
            &uri,
            "--enable-local-keyservice=false",
        ])
        .arg(&enc));
    assert_eq!(stdout(&o), PLAIN);
    // The client alone cannot.
    let o = run(rsops().arg("decrypt").arg(&enc));
    assert_eq!(o.status.code(), Some(128), "{}", stderr(&o));

    // The local service first (it has no identity and fails), then the
    // remote one: as sops orders them. SOPS_KEYSERVICE names the service.
    let o = ok(rsops()
        .env("SOPS_KEYSERVICE", &uri)
        .arg("decrypt")
        .arg(&enc));
    assert_eq!(stdout(&o), PLAIN);

    // Several services are tried in order until one works.
    let dead = format!("tcp://127.0.0.1:{}", free_port());
    let o = ok(rsops()
        .args(["--keyservice", &dead, "--keyservice", &uri])
        .args(["--enable-local-keyservice=false", "decrypt"])
        .arg(&enc));
    assert_eq!(stdout(&o), PLAIN);
    let o = ok(rsops()
        .env("SOPS_KEYSERVICE", format!("{dead},{uri}"))
        .args(["--enable-local-keyservice=false", "decrypt"])
        .arg(&enc));
    assert_eq!(stdout(&o), PLAIN);
    // Only a dead one: exit 128, the service and the cause named.
    let o = run(rsops()
        .args([
            "--keyservice",
            &dead,
            "--enable-local-keyservice=false",
            "decrypt",
        ])
        .arg(&enc));
    assert_eq!(o.status.code(), Some(128), "{}", stderr(&o));
    assert!(
        stderr(&o).contains(&format!("key service {dead}")) && stderr(&o).contains("connect"),
        "{}",
        stderr(&o)
    );
    // No service at all.
    let o = run(rsops()
        .args(["--enable-local-keyservice=false", "decrypt"])
        .arg(&enc));
    assert_eq!(o.status.code(), Some(128), "{}", stderr(&o));
    assert!(stderr(&o).contains("no key service"), "{}", stderr(&o));

    // rotate (decrypt + encrypt) and Shamir key groups through the service.
    ok(rsops()
        .args(["--keyservice", &uri, "--enable-local-keyservice=false"])
        .args(["rotate", "-i"])
        .arg(&enc));
    let o = ok(sops_via(&uri, "decrypt").arg(&enc));
    assert_eq!(stdout(&o), PLAIN);
    let cfg = write(
        d,
        ".sops.yaml",
        format!(
            "creation_rules:\n  - shamir_threshold: 2\n    key_groups:\n      - age: [{}]\n      - age: [{}]\n",
            recipient(1),
            recipient(1)
        )
        .as_bytes(),
    );
    let o = ok(rsops()
        .current_dir(d)
        .args(["--config", &cfg.display().to_string()])
        .args(["--keyservice", &uri, "--enable-local-keyservice=false"])
        .arg("encrypt")
        .arg(&plain));
    let shamir = write(d, "shamir.enc.yaml", &o.stdout);
    let o = ok(sops_via(&uri, "decrypt").arg(&shamir));
    assert_eq!(stdout(&o), PLAIN);
    let o = ok(rsops()
        .args([
            "--keyservice",
            &uri,
            "--enable-local-keyservice=false",
            "decrypt",
        ])
        .arg(&shamir));
    assert_eq!(stdout(&o), PLAIN);
}

#[test]
fn rsops_client_with_sops_server_over_unix_socket() {
    let dir = tmpdir();
    let sock = dir.path().join("sops.sock");
    let sock_s = sock.display().to_string();
    let _server = start(
        sops_server(&["--network", "unix", "--address", &sock_s]),
        &unix_ready(sock.clone()),
        None,
    );
    let plain = write(dir.path(), "secrets.yaml", PLAIN.as_bytes());
    for uri in [format!("unix://{sock_s}"), format!("unix:{sock_s}")] {
        let o = ok(rsops()
            .args(["--keyservice", &uri, "--enable-local-keyservice=false"])
            .args(["encrypt", "--age", &recipient(1)])
            .arg(&plain));
        let enc = write(dir.path(), "secrets.enc.yaml", &o.stdout);
        let o = ok(rsops()
            .args([
                "--keyservice",
                &uri,
                "--enable-local-keyservice=false",
                "decrypt",
            ])
            .arg(&enc));
        assert_eq!(stdout(&o), PLAIN);
        let o = ok(sops_via(&uri, "decrypt").arg(&enc));
        assert_eq!(stdout(&o), PLAIN);
    }
}

#[test]
fn prompt_asks_before_answering() {
    let port = free_port();
    let addr = format!("127.0.0.1:{port}");
    // The operator answers "n", then "y".
    let _server = start(
        rsops_server(&["--address", &addr, "--prompt"]),
        &tcp_ready(port),
        Some(b"n\ny\n"),
    );
    let dir = tmpdir();
    let plain = write(dir.path(), "secrets.yaml", PLAIN.as_bytes());
    let o = ok(rsops()
        .args(["encrypt", "--age", &recipient(1)])
        .arg(&plain));
    let enc = write(dir.path(), "secrets.enc.yaml", &o.stdout);
    let uri = format!("tcp://{addr}");
    let o = run(rsops()
        .args([
            "--keyservice",
            &uri,
            "--enable-local-keyservice=false",
            "decrypt",
        ])
        .arg(&enc));
    assert_eq!(o.status.code(), Some(128), "{}", stderr(&o));
    assert!(stderr(&o).contains("rejected"), "{}", stderr(&o));
    let o = ok(rsops()
        .args([
            "--keyservice",
            &uri,
            "--enable-local-keyservice=false",
            "decrypt",
        ])
        .arg(&enc));
    assert_eq!(stdout(&o), PLAIN);
}

#[test]
fn server_refuses_non_loopback_and_bad_input() {
    // Every interface: refused without --allow-remote (nothing is bound).
    for addr in ["0.0.0.0:0", ":0"] {
        let o = run(&mut rsops_server(&["--address", addr]));
        assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
        assert!(stderr(&o).contains("--allow-remote"), "{}", stderr(&o));
    }
    let o = run(&mut rsops_server(&["--network", "udp"]));
    assert_ne!(o.status.code(), Some(0));
    assert!(stderr(&o).contains("unsupported network"), "{}", stderr(&o));
    // Client URIs are checked when parsed.
    for bad in ["127.0.0.1:5000", "http://127.0.0.1:5000", "tcp://127.0.0.1"] {
        let o = run(rsops().args(["--keyservice", bad, "decrypt", "x.yaml"]));
        assert_eq!(o.status.code(), Some(1), "{bad}: {}", stderr(&o));
        assert!(stderr(&o).contains("invalid key service"), "{}", stderr(&o));
    }
}

/// A private GNUPGHOME with a throwaway passphrase-less TEST-ONLY key.
fn gpg_home() -> (tempfile::TempDir, String) {
    use std::os::unix::fs::PermissionsExt;
    let dir = tmpdir();
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o700)).unwrap();
    let gpg = |args: &[&str]| {
        let o = Command::new("gpg")
            .args(args)
            .env("GNUPGHOME", dir.path())
            .output()
            .expect("gpg is needed for these tests (apt install gnupg)");
        assert!(o.status.success(), "{}", stderr(&o));
        stdout(&o)
    };
    gpg(&[
        "--batch",
        "--passphrase",
        "",
        "--quick-gen-key",
        "rsops keyservice test (TEST ONLY) <test@example.invalid>",
        "default",
        "default",
        "never",
    ]);
    let fp = gpg(&["--list-keys", "--with-colons"])
        .lines()
        .find_map(|l| {
            l.strip_prefix("fpr:::::::::")
                .map(|r| r.trim_end_matches(':').to_string())
        })
        .expect("fingerprint");
    (dir, fp)
}

#[test]
fn pgp_through_the_rsops_server() {
    let (gnupg, fp) = gpg_home();
    let empty = tmpdir();
    let port = free_port();
    let addr = format!("127.0.0.1:{port}");
    let mut cmd = rsops_server(&["--address", &addr, "--verbose"]);
    cmd.env("GNUPGHOME", gnupg.path());
    let server = start(cmd, &tcp_ready(port), None);
    let uri = format!("tcp://{addr}");
    let dir = tmpdir();
    let plain = write(dir.path(), "secrets.yaml", PLAIN.as_bytes());
    // The clients' keyring is empty: gpg runs in the server only.
    let o = ok(sops_via(&uri, "encrypt")
        .env("GNUPGHOME", empty.path())
        .args(["--pgp", &fp])
        .arg(&plain));
    let enc = write(dir.path(), "secrets.enc.yaml", &o.stdout);
    assert!(stdout(&o).contains(&format!("fp: {fp}")), "{}", stdout(&o));
    let o = ok(rsops()
        .env("GNUPGHOME", empty.path())
        .args([
            "--keyservice",
            &uri,
            "--enable-local-keyservice=false",
            "decrypt",
        ])
        .arg(&enc));
    assert_eq!(stdout(&o), PLAIN);
    // rsops encrypts through the server too; created_at is stamped.
    let o = ok(rsops()
        .env("GNUPGHOME", empty.path())
        .args(["--keyservice", &uri, "--enable-local-keyservice=false"])
        .args(["encrypt", "--pgp", &fp])
        .arg(&plain));
    let text = stdout(&o);
    assert!(text.contains("created_at: \"20"), "{text}");
    let enc2 = write(dir.path(), "secrets2.enc.yaml", text.as_bytes());
    let o = ok(sops_via(&uri, "decrypt")
        .env("GNUPGHOME", empty.path())
        .arg(&enc2));
    assert_eq!(stdout(&o), PLAIN);
    assert!(
        server.log().contains(&format!("PGP key {fp}: ok")),
        "{}",
        server.log()
    );
    let _ = Command::new("gpgconf")
        .args(["--kill", "gpg-agent"])
        .env("GNUPGHOME", gnupg.path())
        .output();
}
