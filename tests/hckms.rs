//! HuaweiCloud KMS (`hckms`, sops 3.12+) end to end against a stand-in for
//! the REST API inside the test (std TcpListener on 127.0.0.1). The stand-in
//! checks every request's `SDK-HMAC-SHA256` signature as the SDK computes
//! it (its own implementation here, independent of rsops'), with the
//! test's AK/SK pairs, and serves `encrypt-data`, `decrypt-data` with a
//! reversible toy cipher and IAM's project lookup. rsops is pointed at it
//! with the SDK's own `HUAWEICLOUD_SDK_REGION_KMS_<REGION>` override (the
//! user's setting), or the regions file.
//!
//! sops 3.12/3.13 are not available here, so their files are built by hand
//! following their layouts (stores.go field order; 3.13 sorted).

mod common;

use std::collections::HashMap;
use std::io::{BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use base64::Engine;
use common::*;

const PLAIN: &str = "db:\n    password: hunter2\n    port: 5432\n";
const AK: &str = "RSOPSTESTAK0000000001";
const SK: &str = "rsops-test-secret-key-0001";
/// Temporary credentials: valid only with their security token.
const TEMP_AK: &str = "RSOPSTEMPAK0000000002";
const TEMP_SK: &str = "rsops-temp-secret-key-0002";
const TOKEN: &str = "rsops-test-security-token";
const PROJECT: &str = "0123456789abcdef0123456789abcdef";
const U1: &str = "12345678-1234-1234-1234-123456789abc";
const U2: &str = "87654321-4321-4321-4321-cba987654321";
const REGION: &str = "tr-west-1";
const REGION_ENV: &str = "HUAWEICLOUD_SDK_REGION_KMS_TR_WEST_1";

const B64: base64::engine::GeneralPurpose = base64::engine::general_purpose::STANDARD;

fn k1() -> String {
    format!("{REGION}:{U1}")
}

fn k2() -> String {
    format!("{REGION}:{U2}")
}

// ---------------------------------------------------------------------------
// The stand-in

struct Req {
    method: String,
    path: String,
    query: String,
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

fn hexs(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// The SDK's escaping (signer.go `escape`).
fn sdk_escape(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"_-~.".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

fn pct_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let hex = s
            .get(i + 1..i + 3)
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (b[i], hex) {
            (b'%', Some(x)) => {
                out.push(x);
                i += 3;
            }
            (c, _) => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Check the request's signature as HuaweiCloud's gateway does with the
/// SDK's scheme; returns the AK on success.
fn verify(r: &Req) -> Result<String, String> {
    let auth = r.header("authorization").ok_or("no Authorization")?;
    let rest = auth
        .strip_prefix("SDK-HMAC-SHA256 ")
        .ok_or("not SDK-HMAC-SHA256")?;
    let mut fields = HashMap::new();
    for part in rest.split(", ") {
        let (k, v) = part.split_once('=').ok_or("bad Authorization")?;
        fields.insert(k, v);
    }
    let ak = *fields.get("Access").ok_or("no Access")?;
    let signed: Vec<&str> = fields
        .get("SignedHeaders")
        .ok_or("no SignedHeaders")?
        .split(';')
        .collect();
    let sig = *fields.get("Signature").ok_or("no Signature")?;
    let sk = match ak {
        AK => SK,
        TEMP_AK => TEMP_SK,
        _ => return Err("unknown AK".into()),
    };
    // What the SDK always signs, and never.
    let mut must = vec!["x-sdk-date", "user-agent"];
    if r.header("x-project-id").is_some() {
        must.push("x-project-id");
    }
    if r.header("x-security-token").is_some() {
        must.push("x-security-token");
    }
    for m in must {
        if !signed.contains(&m) {
            return Err(format!("{m} is not signed"));
        }
    }
    let mut sorted = signed.clone();
    sorted.sort();
    if sorted != signed || signed.iter().any(|h| h.starts_with("content-type")) {
        return Err("SignedHeaders are not the SDK's".into());
    }
    if ak == TEMP_AK && r.header("x-security-token") != Some(TOKEN) {
        return Err("the security token is missing or wrong".into());
    }
    let date = r.header("x-sdk-date").ok_or("no X-Sdk-Date")?;
    // Within 15 minutes of now, as the gateway requires.
    let num = |a: usize, b: usize| date.get(a..b).and_then(|x| x.parse::<u32>().ok());
    let parsed = (|| {
        if date.len() != 16 || &date[8..9] != "T" || !date.ends_with('Z') {
            return None;
        }
        let month = time::Month::try_from(num(4, 6)? as u8).ok()?;
        let day =
            time::Date::from_calendar_date(num(0, 4)? as i32, month, num(6, 8)? as u8).ok()?;
        let t =
            time::Time::from_hms(num(9, 11)? as u8, num(11, 13)? as u8, num(13, 15)? as u8).ok()?;
        Some(time::PrimitiveDateTime::new(day, t).assume_utc())
    })();
    let t = parsed.ok_or("bad X-Sdk-Date")?;
    if (time::OffsetDateTime::now_utc() - t).abs() > time::Duration::minutes(15) {
        return Err("X-Sdk-Date too far from now".into());
    }
    // The canonical request.
    let mut uri = r
        .path
        .split('/')
        .map(|s| sdk_escape(&pct_decode(s)))
        .collect::<Vec<_>>()
        .join("/");
    if !uri.ends_with('/') {
        uri.push('/');
    }
    let mut q: Vec<(String, String)> = r
        .query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (sdk_escape(&pct_decode(k)), sdk_escape(&pct_decode(v)))
        })
        .collect();
    q.sort();
    let query = q
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&");
    let mut canon_headers = String::new();
    for h in &signed {
        let v = r.header(h).ok_or(format!("signed header {h} not sent"))?;
        canon_headers.push_str(&format!("{h}:{}\n", v.trim()));
    }
    let body_hash = hexs(ring::digest::digest(&ring::digest::SHA256, &r.body).as_ref());
    let cr = format!(
        "{}\n{uri}\n{query}\n{canon_headers}\n{}\n{body_hash}",
        r.method,
        signed.join(";")
    );
    let sts = format!(
        "SDK-HMAC-SHA256\n{date}\n{}",
        hexs(ring::digest::digest(&ring::digest::SHA256, cr.as_bytes()).as_ref())
    );
    let key = ring::hmac::Key::new(ring::hmac::HMAC_SHA256, sk.as_bytes());
    let want = hexs(ring::hmac::sign(&key, sts.as_bytes()).as_ref());
    if want != sig {
        return Err("signature mismatch".into());
    }
    Ok(ak.to_string())
}

fn json(status: u16, v: serde_json::Value) -> (u16, String) {
    (status, v.to_string())
}

fn toy_seal(uuid: &str, pt: &[u8]) -> String {
    let mut out = format!("HCTOY|{uuid}|").into_bytes();
    out.extend(pt.iter().map(|b| b ^ 0x3c));
    B64.encode(out)
}

fn toy_open(uuid: &str, ct: &str) -> Option<Vec<u8>> {
    let raw = B64.decode(ct).ok()?;
    let prefix = format!("HCTOY|{uuid}|").into_bytes();
    raw.strip_prefix(prefix.as_slice())
        .map(|r| r.iter().map(|b| b ^ 0x3c).collect())
}

fn handle(r: &Req) -> (u16, String) {
    if let Err(e) = verify(r) {
        return json(
            401,
            serde_json::json!({"error_msg": format!("Incorrect IAM authentication information: {e}"), "error_code": "APIGW.0301", "request_id": "r1"}),
        );
    }
    // IAM: the project of a region.
    if r.method == "GET" && r.path == "/v3/projects" {
        let name = r
            .query
            .split('&')
            .find_map(|p| p.strip_prefix("name="))
            .unwrap_or("");
        let projects = match name {
            REGION | "xx-test-1" => serde_json::json!([{"id": PROJECT, "name": name}]),
            "cn-north-4" => {
                serde_json::json!([{"id": PROJECT, "name": name}, {"id": "other", "name": name}])
            }
            _ => serde_json::json!([]),
        };
        return json(200, serde_json::json!({"projects": projects}));
    }
    let Some(rest) = r.path.strip_prefix("/v1.0/") else {
        return json(
            404,
            serde_json::json!({"error_code": "APIGW.0101", "error_msg": "The API does not exist"}),
        );
    };
    let Some((project, op)) = rest.split_once("/kms/") else {
        return json(
            404,
            serde_json::json!({"error_code": "APIGW.0101", "error_msg": "The API does not exist"}),
        );
    };
    if r.method != "POST" || project != PROJECT || r.header("x-project-id") != Some(PROJECT) {
        return json(
            403,
            serde_json::json!({"error": {"error_code": "KMS.0303", "error_msg": "project mismatch"}}),
        );
    }
    if r.header("content-type") != Some("application/json;charset=UTF-8")
        || !r.body.ends_with(b"}\n")
    {
        return json(
            400,
            serde_json::json!({"error": {"error_code": "KMS.0201", "error_msg": "not the SDK's body"}}),
        );
    }
    let body: serde_json::Value = serde_json::from_slice(&r.body).unwrap_or_default();
    let text = String::from_utf8_lossy(&r.body).to_string();
    let uuid = body["key_id"].as_str().unwrap_or("").to_string();
    if uuid != U1 && uuid != U2 {
        return json(
            404,
            serde_json::json!({"error": {"error_code": "KMS.0207", "error_msg": "The key does not exist."}}),
        );
    }
    match op {
        "encrypt-data" => {
            // The SDK's field order.
            if !text.starts_with("{\"key_id\":")
                || !text.ends_with(",\"encryption_algorithm\":\"SYMMETRIC_DEFAULT\"}\n")
            {
                return json(
                    400,
                    serde_json::json!({"error": {"error_code": "KMS.0201", "error_msg": "field order"}}),
                );
            }
            let pt = body["plain_text"].as_str().unwrap_or("");
            // sops sends the base64 of the 32-byte data key (or of a
            // 33-byte Shamir share).
            if !matches!(B64.decode(pt).map(|d| d.len()), Ok(32 | 33)) {
                return json(
                    400,
                    serde_json::json!({"error": {"error_code": "KMS.0201", "error_msg": "plain_text"}}),
                );
            }
            json(
                200,
                serde_json::json!({"key_id": uuid, "cipher_text": toy_seal(&uuid, pt.as_bytes())}),
            )
        }
        "decrypt-data" => {
            if !text.starts_with("{\"cipher_text\":")
                || body["encryption_algorithm"] != "SYMMETRIC_DEFAULT"
            {
                return json(
                    400,
                    serde_json::json!({"error": {"error_code": "KMS.0201", "error_msg": "field order"}}),
                );
            }
            match toy_open(&uuid, body["cipher_text"].as_str().unwrap_or("")) {
                Some(pt) => {
                    let pt = String::from_utf8_lossy(&pt).to_string();
                    json(
                        200,
                        serde_json::json!({"key_id": uuid, "plain_text": pt, "plain_text_base64": B64.encode(&pt)}),
                    )
                }
                None => json(
                    400,
                    serde_json::json!({"error": {"error_code": "KMS.0205", "error_msg": "Invalid cipher_text."}}),
                ),
            }
        }
        _ => json(
            404,
            serde_json::json!({"error_code": "APIGW.0101", "error_msg": "The API does not exist"}),
        ),
    }
}

fn serve_one(stream: TcpStream, log: &Mutex<Vec<String>>) -> std::io::Result<()> {
    let r = read_request(&mut BufReader::new(stream.try_clone()?))?;
    let req = Req {
        method: r.method,
        path: r.path,
        query: r.query,
        headers: r.headers,
        body: r.body,
    };
    let (status, body) = handle(&req);
    log.lock()
        .unwrap()
        .push(format!("{} {} {status}", req.method, req.path));
    let mut w = stream;
    write!(
        w,
        "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nX-Request-Id: r1\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )?;
    w.flush()
}

fn start_server() -> StubServer {
    StubServer::start(serve_one)
}

// ---------------------------------------------------------------------------
// Helpers

/// A command with no HuaweiCloud settings or proxies from the developer's
/// environment, and its own home.
fn isolated(mut c: Command, home: &Path) -> Command {
    for (k, _) in std::env::vars_os() {
        let k = k.to_string_lossy().to_string();
        if k.starts_with("HUAWEICLOUD_") || k.to_ascii_lowercase().ends_with("_proxy") {
            c.env_remove(&k);
        }
    }
    c.env("HOME", home);
    c
}

/// Credentials and the stand-in as the endpoint of tr-west-1.
fn with_creds(c: &mut Command, srv: &StubServer) {
    c.env("HUAWEICLOUD_SDK_AK", AK)
        .env("HUAWEICLOUD_SDK_SK", SK)
        .env("HUAWEICLOUD_SDK_PROJECT_ID", PROJECT)
        .env(REGION_ENV, &srv.url);
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).to_string()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).to_string()
}

/// The `field:` block of the `sops` metadata at `indent`, created_at/enc
/// values blanked.
fn block(yaml: &str, head: &str) -> Vec<String> {
    let indent = head.len() - head.trim_start().len();
    let mut out = Vec::new();
    let mut inside = false;
    for line in yaml.lines() {
        if line == head {
            inside = true;
        } else if inside {
            let ind = line.len() - line.trim_start().len();
            if ind <= indent && !line.trim_start().starts_with("- ") || ind < indent {
                break;
            }
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

/// The keys of the `sops` map, in order (YAML, top level of the block).
fn sops_keys(yaml: &str) -> Vec<String> {
    let start = yaml.find("\nsops:\n").expect("a sops block") + 7;
    yaml[start..]
        .lines()
        .filter(|l| l.starts_with("    ") && !l.starts_with("     ") && !l.starts_with("    -"))
        .filter_map(|l| l.trim().split_once(':').map(|(k, _)| k.to_string()))
        .collect()
}

// ---------------------------------------------------------------------------
// Tests

#[test]
fn encrypt_decrypt_rotate_and_groups_with_hckms() {
    let srv = start_server();
    let home = tmpdir();
    let dir = tmpdir();
    let d = dir.path();
    let plain = write(d, "secrets.yaml", PLAIN.as_bytes());
    let cmd = |c: Command| {
        let mut c = isolated(c, home.path());
        with_creds(&mut c, &srv);
        c
    };

    let o = ok(cmd(rsops()).args(["encrypt", "--hckms", &k1()]).arg(&plain));
    let text = stdout(&o);
    assert_eq!(
        block(&text, "    hckms:"),
        vec![
            "    hckms:".to_string(),
            "        - created_at: …".to_string(),
            "          enc: …".to_string(),
            format!("          key_id: {}", k1()),
        ],
        "a new file is sops 3.13.2's: the hckms entry's fields sorted: {text}"
    );
    // enc is KMS's cipher_text, stored verbatim.
    let enc_line = text.lines().find(|l| l.contains("enc: ")).unwrap();
    let stored = enc_line.split_once("enc: ").unwrap().1.trim();
    let pt = toy_open(U1, stored).expect("the stand-in's ciphertext");
    assert_eq!(B64.decode(&pt).unwrap().len(), 32);
    assert_eq!(
        srv.count("POST /v1.0/0123456789abcdef0123456789abcdef/kms/encrypt-data 200"),
        1
    );

    let enc = write(d, "s.enc.yaml", text.as_bytes());
    assert_eq!(stdout(&ok(cmd(rsops()).arg("decrypt").arg(&enc))), PLAIN);
    // A file whose only key is hckms is a sops file (no "no keys found").
    let o = ok(cmd(rsops()).arg("filestatus").arg(&enc));
    assert!(stdout(&o).contains("true"), "{}", stdout(&o));

    // SOPS_HUAWEICLOUD_KMS_IDS names keys for new files.
    let mut c = cmd(rsops());
    c.env("SOPS_HUAWEICLOUD_KMS_IDS", format!("{}, {}", k1(), k2()))
        .arg("encrypt")
        .arg(&plain);
    let both = stdout(&ok(&mut c));
    assert!(both.contains(&k1()) && both.contains(&k2()), "{both}");

    // Wrong secret key: the gateway refuses the signature; the SK is never shown.
    let mut c = cmd(rsops());
    c.env("HUAWEICLOUD_SDK_SK", "not-the-secret")
        .arg("decrypt")
        .arg(&enc);
    let o = run(&mut c);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(128), "{err}");
    assert!(
        err.contains(&k1())
            && err.contains("failed to decrypt sops data key with HuaweiCloud KMS")
            && err.contains("HTTP 401")
            && err.contains("APIGW.0301"),
        "{err}"
    );
    assert!(
        !err.contains("not-the-secret") && !err.contains(SK),
        "{err}"
    );
    // Unknown AK, no credentials at all.
    let mut c = cmd(rsops());
    c.env("HUAWEICLOUD_SDK_AK", "SOMEONEELSE")
        .arg("decrypt")
        .arg(&enc);
    assert!(stderr(&run(&mut c)).contains("APIGW.0301"));
    let mut c = isolated(rsops(), home.path());
    c.env(REGION_ENV, &srv.url).arg("decrypt").arg(&enc);
    let o = run(&mut c);
    assert_eq!(o.status.code(), Some(128));
    assert!(
        stderr(&o).contains("failed to get HuaweiCloud credentials")
            && stderr(&o).contains("HUAWEICLOUD_SDK_AK"),
        "{}",
        stderr(&o)
    );
    // A key KMS does not know.
    let missing = format!("{REGION}:00000000-0000-0000-0000-000000000000");
    let o = run(cmd(rsops())
        .args(["encrypt", "--hckms", &missing])
        .arg(&plain));
    assert_ne!(o.status.code(), Some(0));
    assert!(
        stderr(&o).contains("KMS.0207") && stderr(&o).contains(&missing),
        "{}",
        stderr(&o)
    );
    // Malformed IDs on the command line, with sops' wording.
    let o = run(cmd(rsops())
        .args(["encrypt", "--hckms", "tr-west-1"])
        .arg(&plain));
    assert!(
        stderr(&o).contains("invalid key ID format: expected 'region:key-uuid'"),
        "{}",
        stderr(&o)
    );
    let o = run(cmd(rsops())
        .args(["encrypt", "--hckms", "tr-west-1:k1"])
        .arg(&plain));
    assert!(stderr(&o).contains("not a KMS key ID"), "{}", stderr(&o));

    // rotate: add k2, remove k1.
    let rot = write(d, "rot.enc.yaml", text.as_bytes());
    ok(cmd(rsops())
        .args(["rotate", "-i", "--add-hckms", &k2(), "--rm-hckms", &k1()])
        .arg(&rot));
    let rotated = std::fs::read_to_string(&rot).unwrap();
    assert!(
        rotated.contains(&k2()) && !rotated.contains(&k1()),
        "{rotated}"
    );
    assert_eq!(stdout(&ok(cmd(rsops()).arg("decrypt").arg(&rot))), PLAIN);

    // The other formats carry the entry too (flattened in dotenv and INI).
    for (name, content, want) in [
        (
            "s.json",
            "{\n\t\"a\": \"b\"\n}\n",
            format!("\"key_id\": \"{}\"", k1()),
        ),
        (
            "s.env",
            "A=b\n",
            format!("sops_hckms__list_0__map_key_id={}", k1()),
        ),
        (
            "s.ini",
            "[x]\na = b\n",
            "hckms__list_0__map_key_id ".to_string(),
        ),
    ] {
        let p = write(d, name, content.as_bytes());
        let text = stdout(&ok(cmd(rsops())
            .args(["encrypt", "--hckms", &k1()])
            .arg(&p)));
        assert!(
            text.contains(&want) && text.contains(&k1()),
            "{name}: {text}"
        );
        let e = write(d, &format!("enc-{name}"), text.as_bytes());
        let mut c = cmd(rsops());
        c.args([
            "decrypt",
            "--input-type",
            &name[2..],
            "--output-type",
            &name[2..],
        ])
        .arg(&e);
        assert_eq!(stdout(&ok(&mut c)), content, "{name}");
    }

    // groups add --hckms: honoured (sops declares the flag but ignores it).
    let grp = write(d, "grp.enc.yaml", text.as_bytes());
    ok(cmd(rsops())
        .args(["groups", "add", "--file"])
        .arg(&grp)
        .args(["-i", "--hckms", &k2()]));
    let grouped = std::fs::read_to_string(&grp).unwrap();
    assert!(grouped.contains("key_groups:"), "{grouped}");
    let groups = grouped.split("    - ").skip(1).collect::<Vec<_>>();
    assert!(grouped.matches("hckms:").count() == 2, "{grouped}");
    assert!(groups.iter().any(|g| g.contains(&k2())), "{grouped}");
    assert_eq!(stdout(&ok(cmd(rsops()).arg("decrypt").arg(&grp))), PLAIN);
    let o = ok(cmd(rsops())
        .args(["decrypt", "--output-type", "json"])
        .arg(&grp));
    assert!(stdout(&o).contains("hunter2"));
}

#[test]
fn credentials_files_tokens_project_lookup_and_regions_file() {
    let srv = start_server();
    let home = tmpdir();
    let h = home.path();
    let dir = tmpdir();
    let d = dir.path();
    let plain = write(d, "secrets.yaml", PLAIN.as_bytes());
    let base = || {
        let mut c = isolated(rsops(), h);
        c.env(REGION_ENV, &srv.url);
        c
    };
    // Encrypt with environment credentials.
    let mut c = base();
    with_creds(&mut c, &srv);
    let enc = write(
        d,
        "s.enc.yaml",
        &ok(c.args(["encrypt", "--hckms", &k1()]).arg(&plain)).stdout,
    );

    // ~/.huaweicloud/credentials, section [basic] (not [default]).
    let hw = h.join(".huaweicloud");
    std::fs::create_dir_all(&hw).unwrap();
    std::fs::write(
        hw.join("credentials"),
        format!("[default]\nak = WRONG\nsk = WRONG\n\n[basic]\nak = {AK}\nsk = {SK}\nproject_id = {PROJECT}\n"),
    )
    .unwrap();
    assert_eq!(stdout(&ok(base().arg("decrypt").arg(&enc))), PLAIN);
    // The environment comes first.
    let mut c = base();
    c.env("HUAWEICLOUD_SDK_AK", AK)
        .env("HUAWEICLOUD_SDK_SK", "wrong")
        .env("HUAWEICLOUD_SDK_PROJECT_ID", PROJECT)
        .arg("decrypt")
        .arg(&enc);
    assert!(stderr(&run(&mut c)).contains("APIGW.0301"));
    std::fs::remove_file(hw.join("credentials")).unwrap();
    // HUAWEICLOUD_SDK_CREDENTIALS_FILE names another file.
    let other = write(
        d,
        "hw-creds.ini",
        format!("[basic]\nak = {AK}\nsk = {SK}\nproject_id = {PROJECT}\n").as_bytes(),
    );
    let mut c = base();
    c.env("HUAWEICLOUD_SDK_CREDENTIALS_FILE", &other)
        .arg("decrypt")
        .arg(&enc);
    assert_eq!(stdout(&ok(&mut c)), PLAIN);

    // Temporary credentials: the security token is sent and signed.
    let mut c = base();
    c.env("HUAWEICLOUD_SDK_AK", TEMP_AK)
        .env("HUAWEICLOUD_SDK_SK", TEMP_SK)
        .env("HUAWEICLOUD_SDK_SECURITY_TOKEN", TOKEN)
        .env("HUAWEICLOUD_SDK_PROJECT_ID", PROJECT)
        .arg("decrypt")
        .arg(&enc);
    assert_eq!(stdout(&ok(&mut c)), PLAIN);
    let mut c = base();
    c.env("HUAWEICLOUD_SDK_AK", TEMP_AK)
        .env("HUAWEICLOUD_SDK_SK", TEMP_SK)
        .env("HUAWEICLOUD_SDK_PROJECT_ID", PROJECT)
        .arg("decrypt")
        .arg(&enc);
    let err = stderr(&run(&mut c));
    assert!(err.contains("security token"), "{err}");
    assert!(!err.contains(TEMP_SK), "{err}");

    // No project ID: looked up at IAM once per process (two keys here).
    let before = srv.count("GET /v3/projects");
    let mut c = base();
    c.env("HUAWEICLOUD_SDK_AK", AK)
        .env("HUAWEICLOUD_SDK_SK", SK)
        .env("HUAWEICLOUD_SDK_IAM_ENDPOINT", &srv.url)
        .args(["encrypt", "--hckms", &format!("{},{}", k1(), k2())])
        .arg(&plain);
    let two = write(d, "two.enc.yaml", &ok(&mut c).stdout);
    assert_eq!(srv.count("GET /v3/projects 200") - before, 1);
    // The profile's iam_endpoint, for decryption.
    std::fs::write(
        hw.join("credentials"),
        format!(
            "[basic]\nak = {AK}\nsk = {SK}\niam_endpoint = {}\n",
            srv.url
        ),
    )
    .unwrap();
    assert_eq!(stdout(&ok(base().arg("decrypt").arg(&two))), PLAIN);
    std::fs::remove_file(hw.join("credentials")).unwrap();
    // Several projects of that name: an error naming them.
    let cn = format!("cn-north-4:{U1}");
    let mut c = isolated(rsops(), h);
    c.env("HUAWEICLOUD_SDK_AK", AK)
        .env("HUAWEICLOUD_SDK_SK", SK)
        .env("HUAWEICLOUD_SDK_IAM_ENDPOINT", &srv.url)
        .env("HUAWEICLOUD_SDK_REGION_KMS_CN_NORTH_4", &srv.url)
        .args(["encrypt", "--hckms", &cn])
        .arg(&plain);
    let err = stderr(&run(&mut c));
    assert!(
        err.contains("multiple project ids found") && err.contains("HUAWEICLOUD_SDK_PROJECT_ID"),
        "{err}"
    );

    // The regions file: an endpoint for a known region, and a region the
    // SDK's table lacks.
    std::fs::write(
        hw.join("regions.yaml"),
        format!(
            "KMS:\n  - id: {REGION}\n    endpoint: {}\n  - id: xx-test-1\n    endpoints:\n      - {}\n",
            srv.url, srv.url
        ),
    )
    .unwrap();
    let mut c = isolated(rsops(), h);
    with_creds(&mut c, &srv);
    c.env_remove(REGION_ENV).arg("decrypt").arg(&enc);
    assert_eq!(stdout(&ok(&mut c)), PLAIN);
    let xx = format!("xx-test-1:{U2}");
    let mut c = isolated(rsops(), h);
    with_creds(&mut c, &srv);
    c.env_remove(REGION_ENV)
        .args(["encrypt", "--hckms", &xx])
        .arg(&plain);
    let xx_enc = write(d, "xx.enc.yaml", &ok(&mut c).stdout);
    let mut c = isolated(rsops(), h);
    with_creds(&mut c, &srv);
    c.env_remove(REGION_ENV).arg("decrypt").arg(&xx_enc);
    assert_eq!(stdout(&ok(&mut c)), PLAIN);
    std::fs::remove_file(hw.join("regions.yaml")).unwrap();
    // Without it, that region is unknown (and nothing is sent).
    let n = srv.total();
    let mut c = isolated(rsops(), h);
    with_creds(&mut c, &srv);
    c.arg("decrypt").arg(&xx_enc);
    let o = run(&mut c);
    assert_eq!(o.status.code(), Some(128));
    assert!(
        stderr(&o).contains(
            "region id 'xx-test-1' is not in the following supported regions of service 'KMS'"
        ) && stderr(&o).contains("HUAWEICLOUD_SDK_REGION_KMS_XX_TEST_1"),
        "{}",
        stderr(&o)
    );
    assert_eq!(srv.total(), n);

    // Several endpoints: the next is tried when one is unreachable.
    let dead = TcpListener::bind("127.0.0.1:0").unwrap();
    let dead_url = format!("http://{}", dead.local_addr().unwrap());
    drop(dead);
    let mut c = isolated(rsops(), h);
    with_creds(&mut c, &srv);
    c.env(REGION_ENV, format!("{dead_url},{}", srv.url))
        .arg("decrypt")
        .arg(&enc);
    assert_eq!(stdout(&ok(&mut c)), PLAIN);
}

#[test]
fn sops_yaml_rules_and_key_groups() {
    let srv = start_server();
    let home = tmpdir();
    let dir = tmpdir();
    let d = dir.path();
    let cmd = || {
        let mut c = isolated(rsops(), home.path());
        with_creds(&mut c, &srv);
        c.current_dir(d);
        c
    };
    std::fs::write(
        d.join(".sops.yaml"),
        format!(
            "creation_rules:\n  - path_regex: flat\\.yaml$\n    hckms:\n      - {k1}\n      - \"{k2}\"\n  - path_regex: scalar\\.yaml$\n    hckms: {k1}\n  - path_regex: grouped\\.yaml$\n    shamir_threshold: 2\n    key_groups:\n      - hckms:\n          - key_id: {k1}\n        age:\n          - {age}\n      - hckms:\n          - key_id: {k2}\n  - path_regex: bad\\.yaml$\n    key_groups:\n      - hckms:\n          - key_id: evil.example:{U1}\n",
            k1 = k1(),
            k2 = k2(),
            age = recipient(1)
        ),
    )
    .unwrap();
    for name in ["flat.yaml", "scalar.yaml", "grouped.yaml"] {
        std::fs::write(d.join(name), PLAIN).unwrap();
        let text = stdout(&ok(cmd().args(["encrypt", name])));
        assert!(
            text.contains(&format!("key_id: {}", k1())),
            "{name}: {text}"
        );
        if name != "scalar.yaml" {
            assert!(
                text.contains(&format!("key_id: {}", k2())),
                "{name}: {text}"
            );
        }
        if name == "grouped.yaml" {
            assert!(
                text.contains("key_groups:") && text.contains("shamir_threshold: 2"),
                "{text}"
            );
        }
        let out = write(d, &format!("{name}.enc"), text.as_bytes());
        let mut c = cmd();
        c.args(["decrypt", "--input-type", "yaml", "--output-type", "yaml"])
            .arg(&out);
        assert_eq!(stdout(&ok(&mut c)), PLAIN, "{name}");
    }
    std::fs::write(d.join("bad.yaml"), PLAIN).unwrap();
    let n = srv.total();
    let o = run(cmd().args(["encrypt", "bad.yaml"]));
    assert_ne!(o.status.code(), Some(0));
    assert!(
        stderr(&o).contains("not a HuaweiCloud region ID"),
        "{}",
        stderr(&o)
    );
    assert_eq!(srv.total(), n, "nothing sent for a bad rule");
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port()
}

/// A key service process, killed when dropped.
struct KeyService {
    child: Child,
    log: PathBuf,
    _dir: tempfile::TempDir,
}

impl KeyService {
    fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

impl Drop for KeyService {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start_keyservice(mut c: Command, port: u16) -> KeyService {
    let log_dir = tmpdir();
    let log = log_dir.path().join("server.log");
    let out = std::fs::File::create(&log).expect("log");
    c.args([
        "keyservice",
        "--network",
        "tcp",
        "--address",
        &format!("127.0.0.1:{port}"),
        "--verbose",
    ])
    .stdin(Stdio::null())
    .stdout(out.try_clone().expect("log"))
    .stderr(out);
    let child = c.spawn().expect("start the key service");
    let mut ks = KeyService {
        child,
        log,
        _dir: log_dir,
    };
    let t0 = Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        if let Ok(Some(s)) = ks.child.try_wait() {
            panic!("the key service exited ({s}): {}", ks.log());
        }
        assert!(t0.elapsed() < Duration::from_secs(30), "no key service");
        std::thread::sleep(Duration::from_millis(50));
    }
    ks
}

/// The client holds no HuaweiCloud credentials; the server does.
#[test]
fn key_service_both_ways() {
    let srv = start_server();
    let server_home = tmpdir();
    let port = free_port();
    let mut c = isolated(rsops(), server_home.path());
    with_creds(&mut c, &srv);
    let ks = start_keyservice(c, port);
    let uri = format!("tcp://127.0.0.1:{port}");
    let home = tmpdir();
    let dir = tmpdir();
    let d = dir.path();
    let plain = write(d, "secrets.yaml", PLAIN.as_bytes());
    let client = || {
        let mut c = isolated(rsops(), home.path());
        c.env(REGION_ENV, &srv.url)
            .args(["--keyservice", &uri, "--enable-local-keyservice=false"]);
        c
    };
    let o = ok(client().args(["encrypt", "--hckms", &k1()]).arg(&plain));
    let text = stdout(&o);
    assert!(text.contains(&format!("key_id: {}", k1())), "{text}");
    let enc = write(d, "ks.enc.yaml", text.as_bytes());
    assert_eq!(stdout(&ok(client().arg("decrypt").arg(&enc))), PLAIN);
    // The local service alone (no credentials here) cannot.
    let mut c = isolated(rsops(), home.path());
    c.env(REGION_ENV, &srv.url).arg("decrypt").arg(&enc);
    assert_eq!(run(&mut c).status.code(), Some(128));
    let log = ks.log();
    assert!(
        log.contains("encrypt request from 127.0.0.1")
            && log.contains(&format!("with HuaweiCloud KMS key with ID {}: ok", k1())),
        "{log}"
    );
    assert!(!log.contains(SK) && !log.contains("hunter2"), "{log}");
}

// ---------------------------------------------------------------------------
// The trust boundary: a file's key_id chooses neither where the credentials
// go nor whether they are read.

/// A listener that counts connections and answers 502.
struct Recorder {
    url: String,
    addr: String,
    accepted: Arc<AtomicUsize>,
    sentinels: AtomicUsize,
}

fn recorder() -> Recorder {
    let l = TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = l.local_addr().expect("addr").to_string();
    let accepted = Arc::new(AtomicUsize::new(0));
    let a = accepted.clone();
    std::thread::spawn(move || {
        for s in l.incoming().flatten() {
            a.fetch_add(1, Ordering::SeqCst);
            std::thread::spawn(move || {
                let mut s = s;
                let _ = s.set_read_timeout(Some(Duration::from_secs(2)));
                let mut buf = [0u8; 2048];
                let _ = s.read(&mut buf);
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
        sentinels: AtomicUsize::new(0),
    }
}

impl Recorder {
    /// Connections other than our own sentinels (one is made and waited
    /// for first, so every earlier connection has been counted).
    fn hits(&self) -> usize {
        let before = self.accepted.load(Ordering::SeqCst);
        let _s = TcpStream::connect(&self.addr).expect("sentinel");
        self.sentinels.fetch_add(1, Ordering::SeqCst);
        let t0 = Instant::now();
        while self.accepted.load(Ordering::SeqCst) <= before {
            assert!(t0.elapsed() < Duration::from_secs(10), "sentinel");
            std::thread::sleep(Duration::from_millis(5));
        }
        self.accepted.load(Ordering::SeqCst) - self.sentinels.load(Ordering::SeqCst)
    }
}

fn file_with(dir: &Path, name: &str, entry: &str, keep_age: bool) -> PathBuf {
    file_with_entry(dir, name, PLAIN, entry, keep_age)
}

fn hckms_entry(key_id: &str) -> String {
    format!(
        "    hckms:\n        - key_id: \"{key_id}\"\n          created_at: \"2025-01-01T00:00:00Z\"\n          enc: AAAA\n"
    )
}

const HOSTILE: [&str; 9] = [
    "evil.example:12345678-1234-1234-1234-123456789abc",
    "127.0.0.1:12345678-1234-1234-1234-123456789abc",
    // Upper case would map to the user's own override variable.
    "TR-WEST-1:12345678-1234-1234-1234-123456789abc",
    "tr-west-1.evil.example:12345678-1234-1234-1234-123456789abc",
    "tr-west-1:../../v3/projects",
    "tr-west-1:12345678-1234-1234-1234-123456789abc/../../x",
    "tr-west-1:12345678-1234-1234-1234-123456789abc?x",
    "us-evil-1:12345678-1234-1234-1234-123456789abc",
    "tr-west-1",
];

#[test]
fn hostile_key_ids_make_no_request_and_read_no_credential() {
    let service = recorder();
    let proxy = recorder();
    let dir = tmpdir();
    let d = dir.path();
    let home = tmpdir();
    // A credentials file that cannot be read (a directory): reading it
    // would show in the error.
    let unreadable = d.join("creds-dir");
    std::fs::create_dir_all(&unreadable).unwrap();
    let net = |c: &mut Command| {
        for p in [
            "HTTPS_PROXY",
            "HTTP_PROXY",
            "ALL_PROXY",
            "https_proxy",
            "http_proxy",
            "all_proxy",
        ] {
            c.env(p, &proxy.url);
        }
        c.env(REGION_ENV, &service.url)
            .env("HUAWEICLOUD_SDK_IAM_ENDPOINT", &service.url)
            .env("HUAWEICLOUD_SDK_REGIONS_FILE", d.join("no-regions.yaml"));
    };
    for (i, id) in HOSTILE.iter().enumerate() {
        let f = file_with(d, &format!("h{i}.enc.yaml"), &hckms_entry(id), false);
        // 1. No credentials in the environment, an unreadable file.
        let mut c = isolated(rsops(), home.path());
        net(&mut c);
        c.env("HUAWEICLOUD_SDK_CREDENTIALS_FILE", &unreadable)
            .arg("decrypt")
            .arg(&f);
        let o = run(&mut c);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(128), "{id}: {err}");
        assert!(err.contains("refused the hckms entry"), "{id}: {err}");
        assert!(
            !err.contains("credentials file")
                && !err.contains("failed to get HuaweiCloud credentials"),
            "{id}: credentials were looked for: {err}"
        );
        // 2. With credentials: nothing is sent anywhere.
        let mut c = isolated(rsops(), home.path());
        net(&mut c);
        c.env("HUAWEICLOUD_SDK_AK", AK)
            .env("HUAWEICLOUD_SDK_SK", SK)
            .arg("decrypt")
            .arg(&f);
        let o = run(&mut c);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(128), "{id}: {err}");
        assert!(
            err.contains("refused the hckms entry") && !err.contains(SK),
            "{id}: {err}"
        );
        // 3. rotate re-wraps every key: it stops at the hostile one.
        let f = file_with(d, &format!("r{i}.enc.yaml"), &hckms_entry(id), true);
        let before = std::fs::read(&f).unwrap();
        let mut c = isolated(rsops(), home.path());
        net(&mut c);
        c.env("HUAWEICLOUD_SDK_AK", AK)
            .env("HUAWEICLOUD_SDK_SK", SK)
            .env("SOPS_AGE_KEY_FILE", key_file(1))
            .args(["rotate", "-i"])
            .arg(&f);
        let o = run(&mut c);
        assert_ne!(o.status.code(), Some(0), "{id}");
        assert!(
            stderr(&o).contains("refused the hckms entry"),
            "{id}: {}",
            stderr(&o)
        );
        assert_eq!(std::fs::read(&f).unwrap(), before, "{id}: file unchanged");
    }
    assert_eq!(service.hits(), 0, "a request reached the endpoint");
    assert_eq!(proxy.hits(), 0, "a request reached the proxy");

    // The key service refuses them the same way, for any client.
    let port = free_port();
    let server_home = tmpdir();
    let mut c = isolated(rsops(), server_home.path());
    net(&mut c);
    c.env("HUAWEICLOUD_SDK_AK", AK)
        .env("HUAWEICLOUD_SDK_SK", SK);
    let ks = start_keyservice(c, port);
    let uri = format!("tcp://127.0.0.1:{port}");
    for (i, id) in HOSTILE.iter().enumerate() {
        let f = file_with(d, &format!("k{i}.enc.yaml"), &hckms_entry(id), false);
        let mut c = isolated(rsops(), home.path());
        c.args([
            "--keyservice",
            &uri,
            "--enable-local-keyservice=false",
            "decrypt",
        ])
        .arg(&f);
        let o = run(&mut c);
        assert_eq!(o.status.code(), Some(128), "{id}");
        assert!(
            stderr(&o).contains("refused the hckms entry") && stderr(&o).contains(&uri),
            "{id}: {}",
            stderr(&o)
        );
    }
    assert_eq!(service.hits(), 0, "the key service sent a request");
    assert_eq!(proxy.hits(), 0, "the key service used the proxy");
    assert!(ks.log().contains("failed: "), "{}", ks.log());
}

// ---------------------------------------------------------------------------
// Files written by sops 3.12 and 3.13 keep their hckms entries.

/// The values sops stores for one file: its data part and metadata.
struct Parts {
    data: String,
    age_enc: String,
    hckms_created: String,
    hckms_enc: String,
    lastmodified: String,
    mac: String,
}

fn parts(text: &str) -> Parts {
    let (data, meta) = text.split_once("sops:\n").unwrap();
    let scalar = |key: &str| {
        let l = meta
            .lines()
            .find(|l| {
                l.trim_start()
                    .trim_start_matches("- ")
                    .starts_with(&format!("{key}: "))
            })
            .unwrap_or_else(|| panic!("no {key}"));
        l.split_once(": ")
            .unwrap()
            .1
            .trim()
            .trim_matches('"')
            .to_string()
    };
    // The age enc is a literal block.
    let start = meta.find("enc: |\n").unwrap() + 7;
    let age_enc: String = meta[start..]
        .lines()
        .take_while(|l| l.starts_with("            "))
        .map(|l| format!("{}\n", l.trim()))
        .collect();
    let hck = &meta[meta.find("hckms:").unwrap()..];
    let field = |k: &str| {
        hck.lines()
            .find_map(|l| {
                l.trim()
                    .split_once(&format!("{k}: "))
                    .map(|(_, v)| v.trim_matches('"').to_string())
            })
            .unwrap()
    };
    Parts {
        data: data.to_string(),
        age_enc,
        hckms_created: field("created_at"),
        hckms_enc: field("enc"),
        lastmodified: scalar("lastmodified"),
        mac: scalar("mac"),
    }
}

fn yaml_str(s: &str) -> String {
    serde_json::Value::String(s.to_string()).to_string()
}

/// The sops block as sops 3.12 (struct order) or 3.13 (sorted) writes it.
fn sops_file(p: &Parts, version: &str) -> String {
    let age = format!(
        "    age:\n        - {}\n          {}\n",
        if version.starts_with("3.12") {
            format!("recipient: {}", recipient(1))
        } else {
            format!("enc: {}", yaml_str(&p.age_enc))
        },
        if version.starts_with("3.12") {
            format!("enc: {}", yaml_str(&p.age_enc))
        } else {
            format!("recipient: {}", recipient(1))
        },
    );
    let hckms = if version.starts_with("3.12") {
        format!(
            "    hckms:\n        - key_id: {}\n          created_at: \"{}\"\n          enc: {}\n",
            k1(),
            p.hckms_created,
            p.hckms_enc
        )
    } else {
        format!(
            "    hckms:\n        - created_at: \"{}\"\n          enc: {}\n          key_id: {}\n",
            p.hckms_created,
            p.hckms_enc,
            k1()
        )
    };
    let tail = format!(
        "    lastmodified: \"{}\"\n    mac: {}\n",
        p.lastmodified, p.mac
    );
    let body = if version.starts_with("3.12") {
        // stores.go: kms, gcp_kms, hckms, azure_kv, hc_vault, age, lastmodified, mac, pgp, …, version
        format!("{hckms}{age}{tail}    unencrypted_suffix: _unencrypted\n    version: {version}\n")
    } else {
        format!("{age}{hckms}{tail}    unencrypted_suffix: _unencrypted\n    version: {version}\n")
    };
    format!("{}sops:\n{body}", p.data)
}

/// The first hckms entry's field names, in order.
fn hckms_fields(text: &str) -> Vec<String> {
    let i = text
        .find("hckms:")
        .unwrap_or_else(|| panic!("hckms lost: {text}"));
    let line_start = text[..i].rfind('\n').map_or(0, |n| n + 1);
    let indent = |l: &str| l.len() - l.trim_start().len();
    let head = i - line_start;
    let mut out = Vec::new();
    for l in text[i..].lines().skip(1) {
        if indent(l) <= head || (!out.is_empty() && l.trim_start().starts_with("- ")) {
            break;
        }
        if let Some((k, _)) = l.trim_start().trim_start_matches("- ").split_once(':') {
            out.push(k.to_string());
        }
    }
    out
}

#[test]
fn files_of_sops_312_and_313_keep_their_hckms_entries() {
    let srv = start_server();
    let home = tmpdir();
    let dir = tmpdir();
    let d = dir.path();
    let cmd = || {
        let mut c = isolated(rsops(), home.path());
        with_creds(&mut c, &srv);
        c.env("SOPS_AGE_KEY_FILE", key_file(1)).current_dir(d);
        c
    };
    let plain = write(d, "plain.yaml", PLAIN.as_bytes());
    let o = ok(cmd()
        .args(["encrypt", "--age", &recipient(1), "--hckms", &k1()])
        .arg(&plain));
    let p = parts(&stdout(&o));
    let editor = write(
        d,
        "editor.sh",
        b"#!/bin/sh\nsed -i 's/port: 5432/port: 5433/' \"$1\"\n",
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&editor, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    for version in ["3.12.2", "3.13.2"] {
        let layout_fields = |v: &str| -> Vec<&str> {
            if v.starts_with("3.13") {
                vec!["created_at", "enc", "key_id"]
            } else {
                vec!["key_id", "created_at", "enc"]
            }
        };
        let text = sops_file(&p, version);
        let f = write(d, &format!("v{version}.enc.yaml"), text.as_bytes());
        // Both keys open the hand-made file.
        assert_eq!(
            stdout(&ok(cmd().arg("decrypt").arg(&f))),
            PLAIN,
            "{version}"
        );
        let mut c = cmd();
        c.env_remove("SOPS_AGE_KEY_FILE").arg("decrypt").arg(&f);
        assert_eq!(stdout(&ok(&mut c)), PLAIN, "{version} through hckms");

        // `edit` raises the version to rsops' (3.13.2), as sops does, and
        // with it the layout; the other commands keep both.
        let check = |what: &str, version: &str| {
            let sorted = version.starts_with("3.13");
            let want_fields = layout_fields(version);
            let t = std::fs::read_to_string(&f).unwrap();
            assert!(
                t.contains(&format!("key_id: {}", k1())),
                "{version} {what}: {t}"
            );
            assert_eq!(hckms_fields(&t), want_fields, "{version} {what}: {t}");
            assert!(
                t.contains(&format!("version: {version}")),
                "{version} {what}: {t}"
            );
            let keys = sops_keys(&t);
            if sorted {
                let mut s = keys.clone();
                s.sort();
                assert_eq!(keys, s, "{version} {what}: sorted layout: {t}");
            } else if let (Some(h), Some(a)) = (
                keys.iter().position(|k| k == "hckms"),
                keys.iter().position(|k| k == "age"),
            ) {
                assert!(h < a, "{version} {what}: struct order: {t}");
            }
            let mut c = cmd();
            c.env_remove("SOPS_AGE_KEY_FILE").arg("decrypt").arg(&f);
            let out = stdout(&ok(&mut c));
            assert!(
                out.contains("hunter2"),
                "{version} {what} through hckms: {out}"
            );
        };
        ok(cmd().args(["rotate", "-i"]).arg(&f));
        check("rotate", version);
        ok(cmd()
            .args(["set"])
            .arg(&f)
            .args(["[\"db\"][\"user\"]", "\"admin\""]));
        check("set", version);
        let mut c = cmd();
        c.env("EDITOR", &editor).arg("edit").arg(&f);
        ok(&mut c);
        let version = "3.13.2";
        check("edit", version);
        assert!(stdout(&ok(cmd().arg("decrypt").arg(&f))).contains("port: 5433"));
        // updatekeys to a rule with the same hckms key and another age key.
        std::fs::write(
            d.join(".sops.yaml"),
            format!(
                "creation_rules:\n  - path_regex: .*\n    age: {},{}\n    hckms:\n      - {}\n",
                recipient(1),
                recipient(2),
                k1()
            ),
        )
        .unwrap();
        ok(cmd().args(["updatekeys", "-y"]).arg(&f));
        check("updatekeys", version);
        std::fs::remove_file(d.join(".sops.yaml")).unwrap();
        assert!(std::fs::read_to_string(&f).unwrap().contains(&recipient(2)));
        // groups add / delete.
        ok(cmd()
            .args(["groups", "add", "--file"])
            .arg(&f)
            .args(["-i", "--hckms", &k2()]));
        let t = std::fs::read_to_string(&f).unwrap();
        assert!(
            t.contains("key_groups:")
                && t.contains(&format!("key_id: {}", k1()))
                && t.contains(&format!("key_id: {}", k2())),
            "{t}"
        );
        assert_eq!(
            hckms_fields(&t),
            layout_fields(version),
            "{version} groups: {t}"
        );
        assert!(t.contains(&format!("version: {version}")), "{t}");
        let mut c = cmd();
        c.env_remove("SOPS_AGE_KEY_FILE").arg("decrypt").arg(&f);
        assert!(stdout(&ok(&mut c)).contains("hunter2"), "{version} groups");
    }
}
