//! The checked-in shell completions and man page are generated from the
//! clap definition; this test fails when they are stale. Regenerate with
//! `RSOPS_UPDATE_GENERATED=1 cargo test --test generated`.

mod common;
use common::*;

fn check(args: &[&str], path: &str) {
    let out = ok(rsops().args(args)).stdout;
    let p = root().join(path);
    if std::env::var_os("RSOPS_UPDATE_GENERATED").is_some() {
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, &out).unwrap();
    }
    let have = std::fs::read(&p).unwrap_or_default();
    assert!(
        have == out,
        "{path} is stale: run RSOPS_UPDATE_GENERATED=1 cargo test --test generated"
    );
}

#[test]
fn completions_are_fresh() {
    for (shell, file) in [
        ("bash", "completions/rsops.bash"),
        ("zsh", "completions/_rsops"),
        ("fish", "completions/rsops.fish"),
        ("powershell", "completions/_rsops.ps1"),
        ("elvish", "completions/rsops.elv"),
    ] {
        check(&["completion", shell], file);
    }
}

#[test]
fn man_page_is_fresh() {
    check(&["manpage"], "man/rsops.1");
}
