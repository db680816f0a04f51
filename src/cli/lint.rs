//! `claimdiff lint`: load everything, report every problem at once.

use super::{Ctx, diag, exit};
use crate::corpus::LoadOptions;
use std::process::ExitCode;

#[derive(clap::Args, Debug)]
pub struct Args {}

pub fn run(ctx: &Ctx, _a: Args) -> ExitCode {
    let (corpus, mut problems) = crate::corpus::load_lenient(&ctx.corpus, &LoadOptions::default());
    let rules = match crate::rules::load_rules(&ctx.rules) {
        Ok(r) => Some(r),
        Err(mut d) => {
            problems.append(&mut d);
            None
        }
    };
    if problems.is_empty() {
        eprintln!(
            "ok: {} statement(s) of {} entit(ies), {} rule(s).",
            corpus.statements.len(),
            corpus.entities.by_id.len(),
            rules.map_or(0, |r| r.rules.len())
        );
        return ExitCode::from(exit::SUCCESS);
    }
    for d in &problems {
        eprintln!("{}", diag::render(d));
    }
    eprintln!("{} problem(s) found.", problems.len());
    ExitCode::from(exit::BAD_INPUT)
}
