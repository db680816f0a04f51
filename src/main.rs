//! The `claimdiff` binary: all work is in the library; see `cli`.

/// Compiling rule patterns allocates many small NFA and DFA states;
/// glibc's allocator took a fifth of a small `check` run.
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    claimdiff::cli::run()
}
