//! The `rsops` binary: parse the command line, run, map errors to sops'
//! exit codes.

use clap::Parser;

fn main() {
    // Deeply nested documents are rejected by the stores, but walking
    // thousands of levels needs more stack than the default main thread.
    let child = std::thread::Builder::new()
        .stack_size(256 * 1024 * 1024)
        .spawn(real_main)
        .expect("cannot start the main thread");
    let code = child.join().unwrap_or(1);
    std::process::exit(code);
}

fn real_main() -> i32 {
    let cli = match rsops::cli::args::Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = match e.kind() {
                clap::error::ErrorKind::DisplayHelp | clap::error::ErrorKind::DisplayVersion => 0,
                _ => 1,
            };
            let _ = e.print();
            return code;
        }
    };
    match rsops::cli::run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("{}", e.msg);
            e.code
        }
    }
}
