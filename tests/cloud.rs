//! GCP KMS, Azure Key Vault and HashiCorp Vault transit end to end against
//! a toy server inside the test (std TcpListener on 127.0.0.1) that speaks
//! the documented REST endpoints with a reversible toy cipher. The real
//! sops 3.11 is pointed at the same server for Vault (both ways). sops'
//! GCP client speaks gRPC to a fixed Google endpoint and its Azure client
//! insists on TLS plus Entra ID discovery, so for those two the tests prove
//! the stored layout against sops' stores.go field order and that sops
//! reads files carrying such entries.

mod common;

use std::collections::HashMap;
use std::io::{BufReader, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Command, Output};
use std::sync::Mutex;

use base64::Engine;
use common::*;

const PLAIN: &str = "api:\n    token: s3cr3t\n    url: https://example.test\n";
const VAULT_TOKEN: &str = "rsops-test-vault-token";
const GCP_TOKEN: &str = "rsops-test-gcp-token";
const AZ_TOKEN: &str = "rsops-test-azure-token";
const AZ_SECRET: &str = "rsops-test-client-secret";
const AZ_VAULT: &str = "https://rsops-test.vault.azure.net";
/// Key versions have Azure's shape (hexadecimal).
const AZ_V1: &str = "00112233445566778899aabbccddeeff";
const AZ_CURRENT: &str = "0123456789abcdef0123456789abcdef";
const SA_EMAIL: &str = "rsops-test@rsops-test.iam.gserviceaccount.com";

const B64: base64::engine::GeneralPurpose = base64::engine::general_purpose::STANDARD;
const B64URL: base64::engine::GeneralPurpose = base64::engine::general_purpose::URL_SAFE_NO_PAD;

struct Req {
    method: String,
    path: String,
    query: String,
    headers: HashMap<String, String>,
    body: Vec<u8>,
}

/// The toy cipher: a marker, the key's name, then the XORed plaintext.
fn toy_seal(key: &str, pt: &[u8]) -> Vec<u8> {
    let mut out = format!("TOY|{key}|").into_bytes();
    out.extend(pt.iter().map(|b| b ^ 0x5a));
    out
}

fn toy_open(key: &str, ct: &[u8]) -> Option<Vec<u8>> {
    let prefix = format!("TOY|{key}|").into_bytes();
    ct.strip_prefix(prefix.as_slice())
        .map(|r| r.iter().map(|b| b ^ 0x5a).collect())
}

fn json(status: u16, v: serde_json::Value) -> (u16, String) {
    (status, v.to_string())
}

fn form(body: &[u8]) -> HashMap<String, String> {
    let pct = |s: &str| {
        let b = s.replace('+', " ");
        let bytes = b.as_bytes();
        let mut out = Vec::new();
        let mut i = 0;
        while i < bytes.len() {
            if bytes[i] == b'%' && i + 2 < bytes.len() {
                let h = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("00");
                out.push(u8::from_str_radix(h, 16).unwrap_or(0));
                i += 3;
            } else {
                out.push(bytes[i]);
                i += 1;
            }
        }
        String::from_utf8_lossy(&out).to_string()
    };
    String::from_utf8_lossy(body)
        .split('&')
        .filter_map(|kv| kv.split_once('='))
        .map(|(k, v)| (pct(k), pct(v)))
        .collect()
}

fn handle(r: &Req) -> (u16, String) {
    let body: serde_json::Value =
        serde_json::from_slice(&r.body).unwrap_or(serde_json::Value::Null);
    let auth = r.headers.get("authorization").cloned().unwrap_or_default();
    // GCP OAuth2 token endpoint (service-account JWT bearer grant).
    if r.path == "/token" {
        let f = form(&r.body);
        let ok_grant = f.get("grant_type").map(String::as_str)
            == Some("urn:ietf:params:oauth:grant-type:jwt-bearer");
        let jwt = f.get("assertion").cloned().unwrap_or_default();
        let parts: Vec<&str> = jwt.split('.').collect();
        let claims: serde_json::Value = parts
            .get(1)
            .and_then(|p| B64URL.decode(p).ok())
            .and_then(|b| serde_json::from_slice(&b).ok())
            .unwrap_or_default();
        if !ok_grant || parts.len() != 3 || claims["iss"] != SA_EMAIL {
            return json(
                400,
                serde_json::json!({"error": "invalid_grant", "error_description": "bad assertion"}),
            );
        }
        return json(
            200,
            serde_json::json!({"access_token": GCP_TOKEN, "expires_in": 3600, "token_type": "Bearer"}),
        );
    }
    // Entra ID token endpoint (client credentials).
    if r.path.ends_with("/oauth2/v2.0/token") {
        let f = form(&r.body);
        if f.get("client_secret").map(String::as_str) != Some(AZ_SECRET)
            || !matches!(
                f.get("scope").map(String::as_str),
                Some("https://vault.azure.net/.default")
                    | Some("https://vault.example.internal/.default")
            )
        {
            return json(
                401,
                serde_json::json!({"error": "invalid_client", "error_description": "AADSTS7000215: Invalid client secret provided."}),
            );
        }
        return json(
            200,
            serde_json::json!({"access_token": AZ_TOKEN, "expires_in": 3600, "token_type": "Bearer"}),
        );
    }
    // GCP KMS: /v1/projects/…/cryptoKeys/NAME:encrypt|:decrypt
    if let Some((res, op)) = r.path.strip_prefix("/v1/").and_then(|p| p.rsplit_once(':')) {
        if auth != format!("Bearer {GCP_TOKEN}") {
            return json(
                403,
                serde_json::json!({"error": {"code": 403, "message": "Permission 'cloudkms.cryptoKeyVersions.useToEncrypt' denied", "status": "PERMISSION_DENIED"}}),
            );
        }
        if res.ends_with("/missing") {
            return json(
                404,
                serde_json::json!({"error": {"code": 404, "message": format!("{res} not found."), "status": "NOT_FOUND"}}),
            );
        }
        let field = if op == "encrypt" {
            "plaintext"
        } else {
            "ciphertext"
        };
        let Some(input) = body[field].as_str().and_then(|s| B64.decode(s).ok()) else {
            return json(
                400,
                serde_json::json!({"error": {"code": 400, "message": "bad body"}}),
            );
        };
        return match op {
            "encrypt" => json(
                200,
                serde_json::json!({"name": res, "ciphertext": B64.encode(toy_seal(res, &input))}),
            ),
            "decrypt" => match toy_open(res, &input) {
                Some(pt) => json(200, serde_json::json!({"plaintext": B64.encode(pt)})),
                None => json(
                    400,
                    serde_json::json!({"error": {"code": 400, "message": "Decryption failed: the ciphertext is invalid."}}),
                ),
            },
            _ => json(404, serde_json::json!({})),
        };
    }
    // Azure Key Vault: /keys/NAME[/VERSION[/encrypt|/decrypt]]
    if let Some(rest) = r.path.strip_prefix("/keys/") {
        if !r.query.contains("api-version=") {
            return json(
                400,
                serde_json::json!({"error": {"code": "BadParameter", "message": "api-version missing"}}),
            );
        }
        if auth != format!("Bearer {AZ_TOKEN}") {
            return json(
                401,
                serde_json::json!({"error": {"code": "Unauthorized", "message": "AKV10000: Request is missing a Bearer or PoP token."}}),
            );
        }
        let parts: Vec<&str> = rest.split('/').collect();
        return match parts.as_slice() {
            [name] if r.method == "GET" => json(
                200,
                serde_json::json!({"key": {"kid": format!("{AZ_VAULT}/keys/{name}/{AZ_CURRENT}"), "kty": "RSA"}}),
            ),
            [name, version, op] => {
                if body["alg"] != "RSA-OAEP-256" {
                    return json(
                        400,
                        serde_json::json!({"error": {"code": "BadParameter", "message": "alg"}}),
                    );
                }
                let Some(input) = body["value"].as_str().and_then(|s| B64URL.decode(s).ok()) else {
                    return json(
                        400,
                        serde_json::json!({"error": {"code": "BadParameter", "message": "value"}}),
                    );
                };
                let id = format!("{name}/{version}");
                let out = match *op {
                    "encrypt" => Some(toy_seal(&id, &input)),
                    "decrypt" => toy_open(&id, &input),
                    _ => None,
                };
                match out {
                    Some(v) => json(
                        200,
                        serde_json::json!({"kid": format!("{AZ_VAULT}/keys/{id}"), "value": B64URL.encode(v)}),
                    ),
                    None => json(
                        400,
                        serde_json::json!({"error": {"code": "BadParameter", "message": "The parameter is incorrect."}}),
                    ),
                }
            }
            _ => json(
                404,
                serde_json::json!({"error": {"code": "KeyNotFound", "message": "A key with (name/id) was not found in this key vault."}}),
            ),
        };
    }
    // Vault transit: /v1/ENGINE…/encrypt|decrypt/KEY
    if let Some(p) = r.path.strip_prefix("/v1/") {
        if r.headers.get("x-vault-token").map(String::as_str) != Some(VAULT_TOKEN) {
            return json(403, serde_json::json!({"errors": ["permission denied"]}));
        }
        let segs: Vec<&str> = p.split('/').collect();
        if segs.len() < 3 {
            return json(404, serde_json::json!({"errors": []}));
        }
        let key = segs[segs.len() - 1];
        let op = segs[segs.len() - 2];
        let engine = segs[..segs.len() - 2].join("/");
        let id = format!("{engine}/{key}");
        return match op {
            "encrypt" => {
                let Some(pt) = body["plaintext"].as_str().and_then(|s| B64.decode(s).ok()) else {
                    return json(400, serde_json::json!({"errors": ["bad plaintext"]}));
                };
                json(
                    200,
                    serde_json::json!({"data": {"ciphertext": format!("vault:v1:{}", B64.encode(toy_seal(&id, &pt))), "key_version": 1}}),
                )
            }
            "decrypt" => {
                let ct = body["ciphertext"].as_str().unwrap_or("");
                match ct
                    .strip_prefix("vault:v1:")
                    .and_then(|c| B64.decode(c).ok())
                    .and_then(|c| toy_open(&id, &c))
                {
                    Some(pt) => json(
                        200,
                        serde_json::json!({"data": {"plaintext": B64.encode(pt)}}),
                    ),
                    None => json(400, serde_json::json!({"errors": ["invalid ciphertext"]})),
                }
            }
            _ => json(404, serde_json::json!({"errors": []})),
        };
    }
    json(404, serde_json::json!({"error": "no such endpoint"}))
}

fn serve_one(stream: TcpStream, log: &Mutex<Vec<String>>) -> std::io::Result<()> {
    let r = read_request(&mut BufReader::new(stream.try_clone()?))?;
    let req = Req {
        method: r.method,
        path: r.path,
        query: r.query,
        headers: r.headers.into_iter().collect(),
        body: r.body,
    };
    log.lock()
        .unwrap()
        .push(format!("{} {}", req.method, req.path));
    let (status, body) = handle(&req);
    let mut w = stream;
    write!(
        w,
        "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )?;
    w.flush()
}

fn start_server() -> StubServer {
    StubServer::start(serve_one)
}

/// A command with no cloud credentials from the developer's environment and
/// an empty home directory of its own.
fn isolated(mut c: Command, home: &Path) -> Command {
    for (k, _) in std::env::vars_os() {
        let k = k.to_string_lossy().to_string();
        if k.starts_with("VAULT_")
            || k.starts_with("GOOGLE_")
            || k.starts_with("AZURE_")
            || k.starts_with("RSOPS_")
            || k.starts_with("CLOUDSDK_")
            || k == "GCE_METADATA_HOST"
            || k.starts_with("IDENTITY_")
            || k.to_ascii_lowercase().ends_with("_proxy")
        {
            c.env_remove(&k);
        }
    }
    c.env("HOME", home);
    c
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).to_string()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).to_string()
}

/// The `field:` block of the `sops` metadata, created_at/enc values blanked.
fn block(yaml: &str, field: &str) -> Vec<String> {
    let head = format!("    {field}:");
    let mut out = Vec::new();
    let mut inside = false;
    for line in yaml.lines() {
        if line == head {
            inside = true;
        } else if inside && line.starts_with("    ") && !line.starts_with("      ") {
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

fn field_value(yaml: &str, field: &str, key: &str) -> String {
    let start = yaml
        .find(&format!("    {field}:"))
        .unwrap_or_else(|| panic!("no {field} in {yaml}"));
    let rest = &yaml[start..];
    let i = rest
        .find(&format!("{key}: "))
        .unwrap_or_else(|| panic!("no {key} in {field}"));
    rest[i + key.len() + 2..]
        .lines()
        .next()
        .unwrap_or("")
        .trim()
        .trim_matches('"')
        .to_string()
}

#[test]
fn vault_transit_with_rsops_and_real_sops() {
    let srv = start_server();
    let home = tmpdir();
    let dir = tmpdir();
    let d = dir.path();
    let plain = write(d, "secrets.yaml", PLAIN.as_bytes());
    let k1 = format!("{}/v1/transit/keys/k1", srv.url);
    let k2 = format!("{}/v1/team/transit/keys/k2", srv.url);
    let cmd = |c: Command| {
        let mut c = isolated(c, home.path());
        // The user's Vault server is the stub: rsops sends the token there.
        c.env("VAULT_TOKEN", VAULT_TOKEN)
            .env("VAULT_ADDR", &srv.url);
        c
    };

    let o = ok(cmd(rsops())
        .args(["encrypt", "--hc-vault-transit", &k1])
        .arg(&plain));
    let text = stdout(&o);
    assert_eq!(field_value(&text, "hc_vault", "vault_address"), srv.url);
    assert_eq!(field_value(&text, "hc_vault", "engine_path"), "transit");
    assert_eq!(field_value(&text, "hc_vault", "key_name"), "k1");
    assert!(
        field_value(&text, "hc_vault", "enc").starts_with("vault:v1:"),
        "{text}"
    );
    let enc = write(d, "r.enc.yaml", text.as_bytes());
    assert_eq!(stdout(&ok(cmd(rsops()).arg("decrypt").arg(&enc))), PLAIN);
    // The real sops decrypts rsops' file, and the other way round.
    assert_eq!(stdout(&ok(cmd(sops()).arg("decrypt").arg(&enc))), PLAIN);
    let o = ok(cmd(sops())
        .args(["encrypt", "--hc-vault-transit", &k1])
        .arg(&plain));
    let sops_text = stdout(&o);
    let sops_enc = write(d, "s.enc.yaml", sops_text.as_bytes());
    assert_eq!(
        stdout(&ok(cmd(rsops()).arg("decrypt").arg(&sops_enc))),
        PLAIN
    );
    // The same entry as sops writes, in sops 3.13's sorted layout (the
    // installed sops 3.11 writes Go struct order)…
    assert_eq!(
        block(&text, "hc_vault"),
        sorted_layout(&block(&sops_text, "hc_vault")),
        "rsops:\n{text}\nsops:\n{sops_text}"
    );
    assert_eq!(block(&text, "hc_vault").len(), 6, "{text}");
    // …and sops' 3.11 file rewritten by rsops keeps 3.11's order.
    let rotated = ok(cmd(rsops()).arg("rotate").arg(&sops_enc));
    assert_eq!(
        block(&stdout(&rotated), "hc_vault"),
        block(&sops_text, "hc_vault")
    );

    // A nested engine path, written by sops, read by rsops.
    let o = ok(cmd(sops())
        .args(["encrypt", "--hc-vault-transit", &k2])
        .arg(&plain));
    assert_eq!(
        field_value(&stdout(&o), "hc_vault", "engine_path"),
        "team/transit"
    );
    let nested = write(d, "nested.enc.yaml", &o.stdout);
    assert_eq!(stdout(&ok(cmd(rsops()).arg("decrypt").arg(&nested))), PLAIN);

    // The token from ~/.vault-token.
    std::fs::write(home.path().join(".vault-token"), format!("{VAULT_TOKEN}\n")).unwrap();
    let mut c = cmd(rsops());
    c.env_remove("VAULT_TOKEN").arg("decrypt").arg(&enc);
    assert_eq!(stdout(&ok(&mut c)), PLAIN);
    std::fs::remove_file(home.path().join(".vault-token")).unwrap();

    // Wrong token: access denied, named key; no token: says so. Exit 128.
    let mut c = cmd(rsops());
    c.env("VAULT_TOKEN", "wrong").arg("decrypt").arg(&enc);
    let o = run(&mut c);
    assert_eq!(o.status.code(), Some(128));
    assert!(
        stderr(&o).contains(&k1)
            && stderr(&o).contains("access denied")
            && stderr(&o).contains("permission denied"),
        "{}",
        stderr(&o)
    );
    assert!(
        !stderr(&o).contains("wrong"),
        "no token in messages: {}",
        stderr(&o)
    );
    let mut c = cmd(rsops());
    c.env_remove("VAULT_TOKEN").arg("decrypt").arg(&enc);
    let o = run(&mut c);
    assert!(stderr(&o).contains("no Vault token"), "{}", stderr(&o));

    // Which Vault the token goes to is the user's choice: SOPS_HC_VAULT_ALLOWLIST
    // (sops 3.13) admits the address without VAULT_ADDR; without either, or
    // with an allowlist that does not name it, nothing is sent.
    let mut c = cmd(rsops());
    c.env_remove("VAULT_ADDR")
        .env(
            "SOPS_HC_VAULT_ALLOWLIST",
            format!("https://vault.example.org, {}", srv.url),
        )
        .arg("decrypt")
        .arg(&enc);
    assert_eq!(stdout(&ok(&mut c)), PLAIN);
    let requests = srv.log.lock().unwrap().len();
    for (allowlist, vault_addr, want) in [
        (
            None,
            None,
            "neither VAULT_ADDR nor SOPS_HC_VAULT_ALLOWLIST is set",
        ),
        (
            None,
            Some("http://127.0.0.1:1"),
            "it is not VAULT_ADDR (http://127.0.0.1:1)",
        ),
        (
            Some("https://vault.example.org"),
            Some(srv.url.as_str()),
            "is not allowed by SOPS_HC_VAULT_ALLOWLIST",
        ),
        (
            Some("none"),
            None,
            "is not allowed by SOPS_HC_VAULT_ALLOWLIST",
        ),
        (Some("all"), None, "admits only https"),
    ] {
        let mut c = cmd(rsops());
        c.env_remove("VAULT_ADDR");
        if let Some(a) = allowlist {
            c.env("SOPS_HC_VAULT_ALLOWLIST", a);
        }
        if let Some(v) = vault_addr {
            c.env("VAULT_ADDR", v);
        }
        let o = run(c.arg("decrypt").arg(&enc));
        assert_eq!(o.status.code(), Some(128), "{}", stderr(&o));
        assert!(
            stderr(&o).contains(&format!("refused the hc_vault entry {k1}"))
                && stderr(&o).contains(want),
            "{want}: {}",
            stderr(&o)
        );
        // Encrypting to it is refused the same way.
        let mut c = cmd(rsops());
        c.env_remove("VAULT_ADDR");
        if let Some(a) = allowlist {
            c.env("SOPS_HC_VAULT_ALLOWLIST", a);
        }
        if let Some(v) = vault_addr {
            c.env("VAULT_ADDR", v);
        }
        let o = run(c.args(["encrypt", "--hc-vault-transit", &k1]).arg(&plain));
        assert_ne!(o.status.code(), Some(0));
        assert!(stderr(&o).contains(want), "{want}: {}", stderr(&o));
    }
    assert_eq!(
        srv.log.lock().unwrap().len(),
        requests,
        "no request was sent"
    );

    // rotate: swap keys.
    let rot = write(d, "rot.enc.yaml", text.as_bytes());
    ok(cmd(rsops())
        .args([
            "rotate",
            "-i",
            "--add-hc-vault-transit",
            &k2,
            "--rm-hc-vault-transit",
            &k1,
        ])
        .arg(&rot));
    let rotated = std::fs::read_to_string(&rot).unwrap();
    assert!(
        rotated.contains("key_name: k2") && !rotated.contains("key_name: k1"),
        "{rotated}"
    );
    assert_eq!(stdout(&ok(cmd(sops()).arg("decrypt").arg(&rot))), PLAIN);

    // .sops.yaml: flat hc_vault_transit_uri and key-group hc_vault.
    std::fs::write(
        d.join(".sops.yaml"),
        format!("creation_rules:\n  - path_regex: flat\n    hc_vault_transit_uri: {k1}\n  - path_regex: grouped\n    key_groups:\n      - hc_vault:\n          - {k2}\n"),
    )
    .unwrap();
    for name in ["flat.yaml", "grouped.yaml"] {
        std::fs::write(d.join(name), PLAIN).unwrap();
        let mut c = cmd(rsops());
        c.current_dir(d).args(["encrypt", name]);
        let out = write(d, &format!("{name}.enc"), &ok(&mut c).stdout);
        let mut c = cmd(sops());
        c.current_dir(d)
            .args(["decrypt", "--input-type", "yaml", "--output-type", "yaml"])
            .arg(&out);
        assert_eq!(stdout(&ok(&mut c)), PLAIN);
    }
}

fn gcp_id(name: &str) -> String {
    format!("projects/rsops-test/locations/global/keyRings/ring/cryptoKeys/{name}")
}

#[test]
fn gcp_kms_rest_api() {
    let srv = start_server();
    let home = tmpdir();
    let dir = tmpdir();
    let d = dir.path();
    let plain = write(d, "secrets.yaml", PLAIN.as_bytes());
    let (id1, id2) = (gcp_id("k1"), gcp_id("k2"));
    let base = |c: Command| {
        let mut c = isolated(c, home.path());
        c.env("RSOPS_GCP_KMS_ENDPOINT", &srv.url);
        c
    };
    let with_token = |c: Command| {
        let mut c = base(c);
        c.env("GOOGLE_OAUTH_ACCESS_TOKEN", GCP_TOKEN);
        c
    };

    let o = ok(with_token(rsops())
        .args(["encrypt", "--gcp-kms", &format!("{id1},{id2}")])
        .arg(&plain));
    let text = stdout(&o);
    let enc_value = field_value(&text, "gcp_kms", "enc");
    // sops stores base64.StdEncoding of the ciphertext bytes.
    let raw = B64.decode(&enc_value).expect("standard base64");
    assert!(raw.starts_with(format!("TOY|{id1}|").as_bytes()));
    let go_order = vec![
        "    gcp_kms:".to_string(),
        format!("        - resource_id: {id1}"),
        "          created_at: …".to_string(),
        "          enc: …".to_string(),
        format!("        - resource_id: {id2}"),
        "          created_at: …".to_string(),
        "          enc: …".to_string(),
    ];
    // New files: sops 3.13's sorted layout.
    assert_eq!(
        block(&text, "gcp_kms"),
        sorted_layout(&go_order),
        "the fields of sops' gcpkmskey (stores/stores.go), sorted"
    );
    let enc = write(d, "g.enc.yaml", text.as_bytes());
    // A file of sops 3.11 keeps its Go struct order when rsops rewrites it.
    let old = write(
        d,
        "g311.enc.yaml",
        text.replace("version: 3.13.2", "version: 3.11.0")
            .as_bytes(),
    );
    let o = ok(with_token(rsops()).arg("rotate").arg(&old));
    assert_eq!(block(&stdout(&o), "gcp_kms"), go_order);
    assert_eq!(
        stdout(&ok(with_token(rsops()).arg("decrypt").arg(&enc))),
        PLAIN
    );
    // sops 3.13's SOPS_GCP_KMS_ENDPOINT (here a base URL) chooses the endpoint too.
    let mut c = isolated(rsops(), home.path());
    c.env("SOPS_GCP_KMS_ENDPOINT", &srv.url)
        .env("SOPS_GCP_KMS_UNIVERSE_DOMAIN", "unused.example")
        .env("GOOGLE_OAUTH_ACCESS_TOKEN", GCP_TOKEN)
        .arg("decrypt")
        .arg(&enc);
    assert_eq!(stdout(&ok(&mut c)), PLAIN);

    // A service-account key (TEST-ONLY) exchanged at its token_uri: one
    // token request per process however many keys.
    let mut sa: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(testdata().join("keys/gcp-service-account.json")).unwrap(),
    )
    .unwrap();
    sa["token_uri"] = serde_json::Value::String(format!("{}/token", srv.url));
    let sa_file = write(d, "sa.json", sa.to_string().as_bytes());
    let before = srv.count("POST /token");
    let mut c = base(rsops());
    c.env("GOOGLE_APPLICATION_CREDENTIALS", &sa_file)
        .args(["encrypt", "--gcp-kms", &format!("{id1},{id2}")])
        .arg(&plain);
    let sa_enc = write(d, "sa.enc.yaml", &ok(&mut c).stdout);
    assert_eq!(srv.count("POST /token") - before, 1);
    let mut c = base(rsops());
    c.env("GOOGLE_CREDENTIALS", sa.to_string())
        .arg("decrypt")
        .arg(&sa_enc);
    assert_eq!(stdout(&ok(&mut c)), PLAIN);

    // Errors: access denied, key not found, no credentials.
    let mut c = base(rsops());
    c.env("GOOGLE_OAUTH_ACCESS_TOKEN", "expired")
        .arg("decrypt")
        .arg(&enc);
    let o = run(&mut c);
    assert_eq!(o.status.code(), Some(128));
    assert!(
        stderr(&o).contains(&id1) && stderr(&o).contains("access denied"),
        "{}",
        stderr(&o)
    );
    let o = run(with_token(rsops())
        .args(["encrypt", "--gcp-kms", &gcp_id("missing")])
        .arg(&plain));
    assert!(
        stderr(&o).contains(&gcp_id("missing")) && stderr(&o).contains("key not found"),
        "{}",
        stderr(&o)
    );
    let o = run(base(rsops())
        .args(["encrypt", "--gcp-kms", &id1])
        .arg(&plain));
    assert!(stderr(&o).contains("no GCP credentials"), "{}", stderr(&o));
    let o = run(with_token(rsops())
        .args(["encrypt", "--gcp-kms", "projects/x/keyRings/y"])
        .arg(&plain));
    assert!(
        stderr(&o).contains("no valid resource ID"),
        "{}",
        stderr(&o)
    );

    // rotate and .sops.yaml.
    let rot = write(d, "rot.enc.yaml", text.as_bytes());
    ok(with_token(rsops())
        .args(["rotate", "-i", "--rm-gcp-kms", &id1])
        .arg(&rot));
    let rotated = std::fs::read_to_string(&rot).unwrap();
    assert!(
        !rotated.contains(&id1) && rotated.contains(&id2),
        "{rotated}"
    );
    std::fs::write(
        d.join(".sops.yaml"),
        format!("creation_rules:\n  - path_regex: flat\n    gcp_kms: {id1}\n  - path_regex: grouped\n    key_groups:\n      - gcp_kms:\n          - resource_id: {id2}\n"),
    )
    .unwrap();
    for (name, id) in [("flat.yaml", &id1), ("grouped.yaml", &id2)] {
        std::fs::write(d.join(name), PLAIN).unwrap();
        let mut c = with_token(rsops());
        c.current_dir(d).args(["encrypt", name]);
        let text = stdout(&ok(&mut c));
        assert!(text.contains(&format!("resource_id: {id}")), "{text}");
        let out = write(d, &format!("{name}.enc.yaml"), text.as_bytes());
        assert_eq!(
            stdout(&ok(with_token(rsops()).arg("decrypt").arg(&out))),
            PLAIN
        );
    }
}

#[test]
fn azure_key_vault_rest_api() {
    let srv = start_server();
    let home = tmpdir();
    let dir = tmpdir();
    let d = dir.path();
    let plain = write(d, "secrets.yaml", PLAIN.as_bytes());
    let cmd = |c: Command| {
        let mut c = isolated(c, home.path());
        c.env("RSOPS_AZURE_KEYVAULT_ENDPOINT", &srv.url)
            .env("AZURE_AUTHORITY_HOST", &srv.url)
            .env("AZURE_TENANT_ID", "tenant-1")
            .env("AZURE_CLIENT_ID", "client-1")
            .env("AZURE_CLIENT_SECRET", AZ_SECRET)
            .env("PATH", "/nonexistent"); // no Azure CLI fallback
        c
    };
    let url = format!("{AZ_VAULT}/keys/sops-key/{AZ_V1}");
    let o = ok(cmd(rsops())
        .args(["encrypt", "--azure-kv", &url])
        .arg(&plain));
    let text = stdout(&o);
    let go_order = vec![
        "    azure_kv:".to_string(),
        format!("        - vault_url: {AZ_VAULT}"),
        "          name: sops-key".to_string(),
        format!("          version: {AZ_V1}"),
        "          created_at: …".to_string(),
        "          enc: …".to_string(),
    ];
    // New files: sops 3.13's sorted layout.
    assert_eq!(
        block(&text, "azure_kv"),
        sorted_layout(&go_order),
        "the fields of sops' azkvkey (stores/stores.go), sorted"
    );
    // A file of sops 3.11 keeps its Go struct order when rsops rewrites it.
    let old = write(
        d,
        "a311.enc.yaml",
        text.replace("version: 3.13.2", "version: 3.11.0")
            .as_bytes(),
    );
    let o = ok(cmd(rsops()).arg("rotate").arg(&old));
    assert_eq!(block(&stdout(&o), "azure_kv"), go_order);
    // sops stores base64.RawURLEncoding of the result.
    let enc_value = field_value(&text, "azure_kv", "enc");
    assert!(!enc_value.contains('=') && !enc_value.contains('+') && !enc_value.contains('/'));
    assert!(B64URL
        .decode(&enc_value)
        .unwrap()
        .starts_with(format!("TOY|sops-key/{AZ_V1}|").as_bytes()));
    let enc = write(d, "a.enc.yaml", text.as_bytes());
    assert_eq!(stdout(&ok(cmd(rsops()).arg("decrypt").arg(&enc))), PLAIN);

    // A version-less URL is pinned to the key's current version.
    let o = ok(cmd(rsops())
        .args([
            "encrypt",
            "--azure-kv",
            &format!("{AZ_VAULT}/keys/sops-key"),
        ])
        .arg(&plain));
    let pinned = stdout(&o);
    assert_eq!(field_value(&pinned, "azure_kv", "version"), AZ_CURRENT);
    let pinned_enc = write(d, "pinned.enc.yaml", pinned.as_bytes());
    assert_eq!(
        stdout(&ok(cmd(rsops()).arg("decrypt").arg(&pinned_enc))),
        PLAIN
    );
    // --rm-azure-kv without a version removes every version of that key.
    let both = write(
        d,
        "both.enc.yaml",
        &ok(cmd(rsops())
            .args(["encrypt", "--azure-kv", &url, "--age", &recipient(1)])
            .arg(&plain))
        .stdout,
    );
    ok(cmd(rsops())
        .args([
            "rotate",
            "-i",
            "--rm-azure-kv",
            &format!("{AZ_VAULT}/keys/sops-key"),
        ])
        .arg(&both));
    assert!(!std::fs::read_to_string(&both).unwrap().contains("azure_kv"));

    // Errors: bad secret (the secret never appears), no credentials, bad URL.
    let mut c = cmd(rsops());
    c.env("AZURE_CLIENT_SECRET", "not-the-secret")
        .arg("decrypt")
        .arg(&enc);
    let o = run(&mut c);
    assert_eq!(o.status.code(), Some(128));
    let err = stderr(&o);
    assert!(
        err.contains("sops-key") && err.contains("Invalid client secret"),
        "{err}"
    );
    assert!(!err.contains("not-the-secret"), "{err}");
    let mut c = cmd(rsops());
    c.env_remove("AZURE_CLIENT_SECRET")
        .env_remove("AZURE_TENANT_ID")
        .arg("decrypt")
        .arg(&enc);
    assert!(stderr(&run(&mut c)).contains("no Azure credentials"));
    let o = run(cmd(rsops())
        .args(["encrypt", "--azure-kv", "http://v.vault.azure.net/keys/k/1"])
        .arg(&plain));
    assert!(stderr(&o).contains("Azure Key Vault"), "{}", stderr(&o));

    // Another host suffix only through RSOPS_AZURE_KEYVAULT_ALLOWED_HOSTS
    // (https still); the token audience is that suffix.
    let private = format!("https://kv1.vault.example.internal/keys/sops-key/{AZ_V1}");
    let tokens = srv.count("/oauth2/v2.0/token");
    let o = run(cmd(rsops())
        .args(["encrypt", "--azure-kv", &private])
        .arg(&plain));
    assert!(
        stderr(&o).contains("RSOPS_AZURE_KEYVAULT_ALLOWED_HOSTS"),
        "{}",
        stderr(&o)
    );
    assert_eq!(
        srv.count("/oauth2/v2.0/token"),
        tokens,
        "no token was requested"
    );
    let mut c = cmd(rsops());
    c.env(
        "RSOPS_AZURE_KEYVAULT_ALLOWED_HOSTS",
        "vault.other.example, vault.example.internal",
    )
    .args(["encrypt", "--azure-kv", &private])
    .arg(&plain);
    let text = stdout(&ok(&mut c));
    assert_eq!(
        field_value(&text, "azure_kv", "vault_url"),
        "https://kv1.vault.example.internal"
    );
    let private_enc = write(d, "private.enc.yaml", text.as_bytes());
    let mut c = cmd(rsops());
    c.env(
        "RSOPS_AZURE_KEYVAULT_ALLOWED_HOSTS",
        "vault.example.internal",
    )
    .arg("decrypt")
    .arg(&private_enc);
    assert_eq!(stdout(&ok(&mut c)), PLAIN);

    // .sops.yaml: flat azure_keyvault URLs and key-group maps (vaultUrl, key, version).
    std::fs::write(
        d.join(".sops.yaml"),
        format!("creation_rules:\n  - path_regex: flat\n    azure_keyvault: {url}\n  - path_regex: grouped\n    key_groups:\n      - azure_keyvault:\n          - vaultUrl: {AZ_VAULT}\n            key: other\n            version: \"99\"\n"),
    )
    .unwrap();
    for (name, want) in [
        ("flat.yaml", "name: sops-key"),
        ("grouped.yaml", "name: other"),
    ] {
        std::fs::write(d.join(name), PLAIN).unwrap();
        let mut c = cmd(rsops());
        c.current_dir(d).args(["encrypt", name]);
        let text = stdout(&ok(&mut c));
        assert!(text.contains(want), "{text}");
        let out = write(d, &format!("{name}.enc.yaml"), text.as_bytes());
        assert_eq!(stdout(&ok(cmd(rsops()).arg("decrypt").arg(&out))), PLAIN);
    }
}

/// sops reads files carrying rsops' GCP, Azure and Vault entries (it
/// decrypts them with the age key, tried first, so it contacts no service).
#[test]
fn sops_reads_rsops_cloud_entries() {
    let srv = start_server();
    let home = tmpdir();
    let dir = tmpdir();
    let d = dir.path();
    let plain = write(d, "secrets.json", br#"{"a": "b", "n": [1, 2]}"#);
    let mut c = isolated(rsops(), home.path());
    c.env("RSOPS_GCP_KMS_ENDPOINT", &srv.url)
        .env("GOOGLE_OAUTH_ACCESS_TOKEN", GCP_TOKEN)
        .env("RSOPS_AZURE_KEYVAULT_ENDPOINT", &srv.url)
        .env("AZURE_AUTHORITY_HOST", &srv.url)
        .env("AZURE_TENANT_ID", "t")
        .env("AZURE_CLIENT_ID", "c")
        .env("AZURE_CLIENT_SECRET", AZ_SECRET)
        .env("VAULT_TOKEN", VAULT_TOKEN)
        .env("VAULT_ADDR", &srv.url)
        .args(["encrypt", "--age", &recipient(1)])
        .args(["--gcp-kms", &gcp_id("k1")])
        .args(["--azure-kv", &format!("{AZ_VAULT}/keys/k/22")])
        .args([
            "--hc-vault-transit",
            &format!("{}/v1/transit/keys/k", srv.url),
        ])
        .arg(&plain);
    let enc = write(d, "all.enc.json", &ok(&mut c).stdout);
    let mut c = isolated(sops(), home.path());
    c.env("SOPS_AGE_KEY_FILE", key_file(1))
        .arg("decrypt")
        .arg(&enc);
    let out = stdout(&ok(&mut c));
    assert!(out.contains("\"a\": \"b\""), "{out}");
    // filestatus parses the metadata too.
    let mut c = isolated(sops(), home.path());
    c.arg("filestatus").arg(&enc);
    assert!(stdout(&ok(&mut c)).contains("true"));
}
