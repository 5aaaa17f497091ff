//! Files written by the real sops 3.11 (testdata/sops, made by
//! testdata/make-sops-fixtures.sh with the TEST-ONLY keys) decrypt with
//! rsops to exactly the bytes `sops decrypt` printed. Runs offline.

mod common;
use common::*;

fn fixtures() -> Vec<std::path::PathBuf> {
    let mut v: Vec<_> = std::fs::read_dir(testdata().join("sops"))
        .expect("testdata/sops")
        .map(|e| e.expect("entry").path())
        .filter(|p| !p.to_string_lossy().ends_with(".expected"))
        .collect();
    v.sort();
    assert!(v.len() >= 15, "fixtures missing");
    v
}

fn extra_args(name: &str) -> Vec<&'static str> {
    match name {
        "random.bin.json" => vec!["--output-type", "binary"],
        n if n.starts_with("indent2.") => vec!["--indent", "2"],
        _ => vec![],
    }
}

#[test]
fn every_sops_fixture_decrypts_to_the_bytes_sops_prints() {
    let keys = format!("{}\n{}\n", secret(1), secret(2));
    let mut failures = Vec::new();
    for f in fixtures() {
        let name = f.file_name().unwrap().to_string_lossy().to_string();
        let expected = std::fs::read(format!("{}.expected", f.display())).expect("expected output");
        let o = run(rsops()
            .arg("decrypt")
            .args(extra_args(&name))
            .arg(&f)
            .env("SOPS_AGE_KEY", &keys));
        if !o.status.success() {
            failures.push(format!(
                "{name}: exit {} {}",
                o.status,
                String::from_utf8_lossy(&o.stderr)
            ));
        } else if o.stdout != expected {
            failures.push(format!(
                "{name}: output differs\n--- rsops\n{}\n--- sops\n{}",
                String::from_utf8_lossy(&o.stdout),
                String::from_utf8_lossy(&expected)
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn shamir_file_needs_two_of_three_groups() {
    let f = testdata().join("sops/shamir-2of3.yaml");
    let one = run(rsops()
        .arg("decrypt")
        .arg(&f)
        .env("SOPS_AGE_KEY", secret(3)));
    assert_eq!(
        one.status.code(),
        Some(128),
        "{}",
        String::from_utf8_lossy(&one.stderr)
    );
    let two = format!("{}\n{}\n", secret(2), secret(3));
    ok(rsops().arg("decrypt").arg(&f).env("SOPS_AGE_KEY", two));
}
