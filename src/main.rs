//! The `claimdiff` binary: all work is in the library; see `cli`.
fn main() -> std::process::ExitCode {
    claimdiff::cli::run()
}
