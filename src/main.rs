//! The `rsops` binary: parse the command line, run, map errors to sops'
//! exit codes.

/// The binary's allocator and heap tuning (not part of the library).
mod alloc;

fn main() {
    alloc::tune();
    rsops::platform::set_allocation_hint(alloc::prepare_heap);
    // No core dumps and no debugger or /proc access from other processes of
    // this user while data keys and plaintext are in memory.
    rsops::platform::protect_process_memory();
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
    // Installed as `ksops` (or `kustomize-sops`): be the kustomize plugin.
    if let Some(argv0) = std::env::args_os().next() {
        if rsops::kube::ksops::is_ksops_name(&argv0) {
            let args: Vec<String> = std::env::args_os()
                .map(|a| a.to_string_lossy().into_owned())
                .collect();
            return rsops::kube::ksops::main(&args);
        }
    }
    let cli = match rsops::cli::args::Cli::parse_args() {
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
            eprintln!("{}", e.report());
            e.code()
        }
    }
}

#[global_allocator]
static ALLOCATOR: alloc::Allocator = alloc::Allocator;
