//! `claimdiff merge`: joins the JSONL outputs of `check --shard K/N` runs
//! into the order a single run prints.

use super::{Ctx, emit, exit};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args, Debug)]
#[command(
    after_help = "Example:\n  for k in 1 2 3 4; do claimdiff check --shard $k/4 --format jsonl > part$k.jsonl; done\n  claimdiff merge part*.jsonl > all.jsonl"
)]
pub struct Args {
    /// JSONL files written by `check --format jsonl` (one per shard)
    #[arg(required = true)]
    files: Vec<PathBuf>,
}

pub fn run(_ctx: &Ctx, a: Args) -> ExitCode {
    let mut all = Vec::new();
    // Merging drops the copies of a finding two shards share, so a part
    // given twice (a shell glob overlapping a name) would pass unseen.
    let mut parts: Vec<(&PathBuf, String)> = Vec::new();
    for f in &a.files {
        let text = match std::fs::read_to_string(f) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("error: {}: {e}", f.display());
                return ExitCode::from(exit::BAD_INPUT);
            }
        };
        let same_file =
            |g: &PathBuf| matches!((f.canonicalize(), g.canonicalize()), (Ok(x), Ok(y)) if x == y);
        if let Some((g, _)) = parts
            .iter()
            .find(|(g, t)| same_file(g) || (!text.trim().is_empty() && *t == text))
        {
            eprintln!(
                "error: {} and {} are the same part (given twice?); each shard's output once",
                g.display(),
                f.display()
            );
            return ExitCode::from(exit::BAD_INPUT);
        }
        parts.push((f, text.clone()));
        for (i, line) in text.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            match serde_json::from_str::<serde_json::Value>(line) {
                Ok(v) => all.push(v),
                Err(e) => {
                    eprintln!("error: {}:{}: not a finding line: {e}", f.display(), i + 1);
                    return ExitCode::from(exit::BAD_INPUT);
                }
            }
        }
    }
    let merged = crate::engine::merge_findings(all);
    match emit(|w| {
        for v in &merged {
            serde_json::to_writer(&mut *w, v)?;
            writeln!(w)?;
        }
        Ok(())
    }) {
        Ok(()) => ExitCode::from(exit::SUCCESS),
        Err(c) => c,
    }
}
