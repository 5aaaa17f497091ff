//! Builds without some of the optional features (Cargo.toml's
//! `[features]`): a file with entries of a kind this build cannot use still
//! decrypts with its other keys, keeps those entries verbatim through a
//! rewrite, and fails naming the missing feature when only they could open
//! it; the flags, `.sops.yaml` fields and commands that need a missing
//! feature say so. Each test runs in the builds that lack its feature
//! (`cargo test --no-default-features --test features`); a default build
//! has nothing to test here.

// A build with every feature tested here has no test in this file.
#![cfg_attr(
    all(feature = "aws", feature = "keyservice", feature = "publish"),
    allow(dead_code, unused_imports)
)]

mod common;
use common::*;

#[cfg(not(feature = "aws"))]
use std::path::Path;

#[cfg(not(feature = "aws"))]
const ARN: &str = "arn:aws:kms:us-east-1:111122223333:key/rsops-test";

/// `{"k": "v"}` encrypted for age key 1, as JSON.
#[cfg(not(feature = "aws"))]
fn age_file(dir: &Path) -> serde_json::Value {
    let plain = write(dir, "plain.json", b"{\"k\": \"v\"}\n");
    let o = ok(rsops()
        .args(["encrypt", "--age", &recipient(1)])
        .arg(&plain));
    serde_json::from_slice(&o.stdout).expect("JSON output")
}

/// The file with a `kms` entry added (as sops writes one), and without its
/// age entries when `keep_age` is false.
#[cfg(not(feature = "aws"))]
fn with_kms_entry(mut doc: serde_json::Value, keep_age: bool) -> String {
    doc["sops"]["kms"] = serde_json::json!([{
        "arn": ARN,
        "created_at": "2024-01-01T00:00:00Z",
        "enc": "AQICAHhQ2W5vdCBhIHJlYWwgY2lwaGVydGV4dA==",
        "aws_profile": ""
    }]);
    if !keep_age {
        doc["sops"]["age"] = serde_json::json!([]);
    }
    serde_json::to_string_pretty(&doc).expect("JSON")
}

/// `rsops --help`, its lines joined (clap wraps long help).
#[cfg(not(all(feature = "aws", feature = "publish")))]
fn help() -> String {
    let o = ok(rsops().arg("--help"));
    String::from_utf8_lossy(&o.stdout)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn stderr(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[cfg(not(feature = "aws"))]
const NO_AWS: &str = "this rsops was built without the `aws` feature (rebuild with --features aws, or use a default build)";

#[cfg(not(feature = "aws"))]
#[test]
fn a_file_only_kms_can_open_names_the_missing_feature() {
    let d = tmpdir();
    let f = write(
        d.path(),
        "kms.enc.json",
        with_kms_entry(age_file(d.path()), false).as_bytes(),
    );
    let o = run(rsops()
        .arg("decrypt")
        .arg(&f)
        .env("SOPS_AGE_KEY_FILE", key_file(1)));
    assert_eq!(o.status.code(), Some(128), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains(&format!("the kms entry {ARN} cannot be used: {NO_AWS}")),
        "{err}"
    );
}

#[cfg(not(feature = "aws"))]
#[test]
fn kms_entries_are_kept_through_rewrites_and_refused_for_new_data_keys() {
    let d = tmpdir();
    let text = with_kms_entry(age_file(d.path()), true);
    let f = write(d.path(), "both.enc.json", text.as_bytes());
    let age = |c: &mut std::process::Command| {
        c.env("SOPS_AGE_KEY_FILE", key_file(1));
    };
    // The age key opens it.
    let mut c = rsops();
    c.arg("decrypt").arg(&f);
    age(&mut c);
    assert_eq!(ok(&mut c).stdout, b"{\n\t\"k\": \"v\"\n}\n");
    // A rewrite with the same data key keeps the kms entry as it was.
    let mut c = rsops();
    c.args(["set", "-i"]).arg(&f).args(["[\"k\"]", "\"w\""]);
    age(&mut c);
    ok(&mut c);
    let after: serde_json::Value = serde_json::from_slice(&std::fs::read(&f).unwrap()).unwrap();
    let before: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(after["sops"]["kms"], before["sops"]["kms"]);
    // A new data key cannot be wrapped for it: rotate fails, naming the
    // entry and the feature, and leaves the file alone.
    let kept = std::fs::read(&f).unwrap();
    let mut c = rsops();
    c.args(["rotate", "-i"]).arg(&f);
    age(&mut c);
    let o = run(&mut c);
    assert_ne!(o.status.code(), Some(0));
    assert!(
        stderr(&o).contains(&format!("the kms entry {ARN} cannot be used: {NO_AWS}")),
        "{}",
        stderr(&o)
    );
    assert_eq!(std::fs::read(&f).unwrap(), kept);
}

#[cfg(not(feature = "aws"))]
#[test]
fn kms_flags_and_rules_name_the_missing_feature() {
    let d = tmpdir();
    let plain = write(d.path(), "plain.json", b"{\"k\": \"v\"}\n");
    let want = format!("the kms entry {ARN} cannot be used: {NO_AWS}");
    // --kms: the ARN is checked, then wrapping names the feature.
    let o = run(rsops().args(["encrypt", "--kms", ARN]).arg(&plain));
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains(&want), "{}", stderr(&o));
    let o = run(rsops()
        .args(["encrypt", "--kms", "arn:aws:kms:nowhere"])
        .arg(&plain));
    assert!(stderr(&o).contains("invalid AWS KMS key"), "{}", stderr(&o));
    // A .sops.yaml naming kms keys is read as ever (no "unknown field").
    write(
        d.path(),
        ".sops.yaml",
        format!(
            "creation_rules:\n  - kms: {ARN}\n    age: {}\n",
            recipient(1)
        )
        .as_bytes(),
    );
    let o = run(rsops()
        .current_dir(d.path())
        .args(["encrypt", "plain.json"]));
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains(&want), "{}", stderr(&o));
    // The flags are there, and say what they need.
    let help = help();
    assert!(
        help.contains("--kms <ARNS>")
            && help.contains("[not in this build: needs the `aws` feature]"),
        "{help}"
    );
}

#[cfg(not(feature = "keyservice"))]
#[test]
fn key_service_uses_name_the_missing_feature() {
    let want = "this rsops was built without the `keyservice` feature (rebuild with --features keyservice, or use a default build)";
    let o = run(rsops().args(["keyservice", "--address", "127.0.0.1:1"]));
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains(&format!("rsops keyservice: {want}")),
        "{}",
        stderr(&o)
    );
    // --keyservice: checked as ever, refused on use.
    let d = tmpdir();
    let plain = write(d.path(), "plain.json", b"{\"k\": \"v\"}\n");
    let o = run(rsops()
        .args(["--keyservice", "tcp://127.0.0.1"])
        .args(["encrypt", "--age", &recipient(1)])
        .arg(&plain));
    assert!(stderr(&o).contains("needs a port"), "{}", stderr(&o));
    let o = run(rsops()
        .args([
            "--keyservice",
            "tcp://127.0.0.1:1",
            "--enable-local-keyservice=false",
        ])
        .args(["encrypt", "--age", &recipient(1)])
        .arg(&plain));
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains(&format!("key service tcp://127.0.0.1:1: {want}")),
        "{}",
        stderr(&o)
    );
    // With the local service on, nothing needs the remote one.
    ok(rsops()
        .args(["--keyservice", "tcp://127.0.0.1:1"])
        .args(["encrypt", "--age", &recipient(1)])
        .arg(&plain));
}

#[cfg(not(feature = "publish"))]
#[test]
fn publish_names_the_missing_feature() {
    let d = tmpdir();
    let f = write(d.path(), "a.enc.json", b"{}");
    let o = run(rsops().arg("publish").arg(&f));
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("rsops publish: this rsops was built without the `publish` feature"),
        "{}",
        stderr(&o)
    );
    let help = help();
    assert!(
        help.contains("[not in this build: needs the `publish` feature]"),
        "{help}"
    );
}
