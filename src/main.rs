//! The `rsops` binary: parse the command line, run, map errors to sops'
//! exit codes.

/// rsops is a short-lived process that builds a few large trees: keep freed
/// memory in the heap instead of returning it to the kernel and faulting it
/// back in (a quarter fewer page faults on a 1 MB YAML file).
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn tune_allocator() {
    // SAFETY: mallopt only adjusts glibc's allocator parameters; it is called
    // before any other thread exists.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 256 << 20);
        libc::mallopt(libc::M_TRIM_THRESHOLD, 256 << 20);
        libc::mallopt(libc::M_TOP_PAD, 64 << 20);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn tune_allocator() {}

fn main() {
    tune_allocator();
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
            eprintln!("{}", e.msg);
            e.code
        }
    }
}

#[global_allocator]
static ALLOCATOR: rsops::alloc::Allocator = rsops::alloc::Allocator;
