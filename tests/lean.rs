//! The lean build (`--no-default-features`: age and gpg only) is part of
//! the default test run: this test builds it in its own target directory
//! and runs the tests written for it (tests/features.rs: missing features
//! are named, entries of disabled kinds kept), the library's unit tests
//! and the hostile-input and OpenPGP tests, which must hold without
//! sequoia too.

mod common;

#[cfg(feature = "aws")]
#[test]
fn the_lean_build_passes_its_tests() {
    let target = common::root().join("target").join("lean");
    let out = std::process::Command::new(env!("CARGO"))
        .args([
            "test",
            "--locked",
            "--offline",
            "--no-default-features",
            "--lib",
            "--test",
            "features",
            "--test",
            "hostile",
            "--test",
            "pgp",
        ])
        .current_dir(common::root())
        .env("CARGO_TARGET_DIR", &target)
        .output()
        .expect("run cargo");
    assert!(
        out.status.success(),
        "the lean build's tests failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}
