//! yaml.v2 output (KSOPS' `secretFrom` Secrets, `rsops secret`) against the
//! real serializer: kubectl's `-o yaml` printer goes through the same
//! sigs.k8s.io/yaml → yaml.v2 path. A ConfigMap holds the strings as they
//! are, so every quoting, block and folding rule shows.

use std::process::Command;

use rsops::stores::yaml::v2::{marshal, V2Value};

fn values() -> Vec<(String, String)> {
    let long_words = "word ".repeat(30);
    let raw: Vec<String> = vec![
        "a\nb\n".into(),
        "a\nb".into(),
        "a\nb\n\n".into(),
        "  lead\nb\n".into(),
        "trail \nb\n".into(),
        "tab\tx\ny\n".into(),
        "yes".into(),
        "123".into(),
        "- dash".into(),
        "key: val".into(),
        long_words.trim_end().to_string(),
        format!("{}\n", long_words),
        "\n".into(),
        "".into(),
        "null".into(),
        "#hash".into(),
        "it's".into(),
        "é ü".into(),
        "0755".into(),
        "on".into(),
        "1e3".into(),
        "\"q\"".into(),
        "\u{1}ctl".into(),
        "a\r\nb\r\n".into(),
        format!("\t{} \nend\n", "word ".repeat(25)),
        "x #y".into(),
        " lead".into(),
        "trail ".into(),
        "08".into(),
        "2001-12-14".into(),
        "1:20".into(),
        "0x1F".into(),
        "~".into(),
        "<<".into(),
        "=".into(),
        "@x".into(),
        "%x".into(),
        "!x".into(),
        "&x".into(),
        "*x".into(),
        "|x".into(),
        ">x".into(),
        "[x".into(),
        "{x".into(),
        ",x".into(),
        "?".into(),
        "-".into(),
        "x: ".into(),
        "1_000".into(),
        ".5".into(),
        "+.inf".into(),
        "1e400".into(),
        "-0b101".into(),
        "99999999999999999999".into(),
        format!("{}x", "y".repeat(100)),
        format!("a {}", "b".repeat(90)),
        "a very long value with : colons and # hashes that goes past the eighty column limit for sure".into(),
    ];
    raw.into_iter()
        .enumerate()
        .map(|(i, v)| (format!("m{i}"), v))
        .collect()
}

#[test]
fn configmap_matches_kubectl() {
    let Ok(out) = Command::new("kubectl")
        .arg("version")
        .arg("--client")
        .output()
    else {
        panic!("kubectl is not installed: this test compares with `kubectl create configmap -o yaml` (package kubectl, from the machine image's Google Cloud SDK repository)");
    };
    assert!(out.status.success(), "kubectl version failed");
    let dir = tempfile::tempdir().unwrap();
    let mut cmd = Command::new("kubectl");
    cmd.args([
        "create",
        "configmap",
        "cm",
        "--dry-run=client",
        "-o",
        "yaml",
    ]);
    let vals = values();
    for (k, v) in &vals {
        let p = dir.path().join(k);
        std::fs::write(&p, v).unwrap();
        cmd.arg(format!("--from-file={k}={}", p.display()));
    }
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let want = String::from_utf8(out.stdout).unwrap();
    let doc = V2Value::Map(vec![
        ("apiVersion".into(), V2Value::Str("v1".into())),
        ("kind".into(), V2Value::Str("ConfigMap".into())),
        (
            "metadata".into(),
            V2Value::Map(vec![
                ("name".into(), V2Value::Str("cm".into())),
                ("creationTimestamp".into(), V2Value::Null),
            ]),
        ),
        (
            "data".into(),
            V2Value::Map(
                vals.iter()
                    .map(|(k, v)| (k.clone(), V2Value::Str(v.clone())))
                    .collect(),
            ),
        ),
    ]);
    let got = String::from_utf8(marshal(&doc).unwrap()).unwrap();
    if got != want {
        let wl: Vec<&str> = want.lines().collect();
        let gl: Vec<&str> = got.lines().collect();
        for (i, (a, b)) in wl.iter().zip(gl.iter()).enumerate() {
            if a != b {
                panic!("line {}: kubectl {:?}\n         rsops   {:?}\n--- kubectl:\n{want}\n--- rsops:\n{got}", i + 1, a, b);
            }
        }
        panic!("lengths differ\n--- kubectl:\n{want}\n--- rsops:\n{got}");
    }
}
