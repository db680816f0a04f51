//! Shared by the desk's end-to-end tests: run the built binary on the
//! bundled corpus with stable terminal settings.
#![allow(dead_code)] // each test binary uses a different part of it

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `claimdiff ARGS` at the repository root, 100 columns, no colour.
pub fn run(args: &[&str]) -> Output {
    run_in(&root(), args)
}

pub fn run_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_claimdiff"))
        .args(args)
        .current_dir(dir)
        .env("COLUMNS", "100")
        .env("NO_COLOR", "1")
        .env_remove("CLICOLOR_FORCE")
        .output()
        .expect("run claimdiff")
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).expect("utf-8 stdout")
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).expect("utf-8 stderr")
}

/// Asserts the exit code, showing stderr when it is not the expected one.
pub fn code(o: &Output, want: i32) {
    assert_eq!(
        o.status.code(),
        Some(want),
        "exit code; stderr:\n{}",
        stderr(o)
    );
}

/// Findings of `check --format jsonl` on the bundled corpus.
pub fn findings() -> Vec<serde_json::Value> {
    let o = run(&["check", "--format", "jsonl"]);
    code(&o, 0);
    stdout(&o)
        .lines()
        .map(|l| serde_json::from_str(l).expect("jsonl"))
        .collect()
}
