//! `claimdiff test`: the cases carried in rule files.

use super::{Ctx, exit};
use crate::engine::run_rule_tests;
use std::process::ExitCode;

#[derive(clap::Args, Debug)]
#[command(after_help = "\
Examples:
  claimdiff test                          # every [[rule.test]] case; exit 1 when one fails
  claimdiff test --rule knowledge-denial  # one rule's cases
  claimdiff test --rules my-rules/        # the cases of another rules folder")]
pub struct Args {
    /// Only this rule's cases
    #[arg(long = "rule", id = "rule_id", value_name = "ID")]
    rule: Option<String>,
}

pub fn run(ctx: &Ctx, a: Args) -> ExitCode {
    let mut rules = match ctx.load_rules() {
        Ok(r) => r,
        Err(c) => return c,
    };
    if let Some(id) = &a.rule {
        rules.rules.retain(|r| &r.id == id);
        if rules.rules.is_empty() {
            eprintln!("error: no rule `{id}` in {}", ctx.rules.display());
            return ExitCode::from(exit::BAD_INPUT);
        }
    }
    let results = run_rule_tests(&rules);
    let mut failed = 0;
    for r in &results {
        let want = if r.expected_finding {
            "finding"
        } else {
            "none"
        };
        if r.passed() {
            println!(
                "ok     {} ({}:{}) expect {want}",
                r.rule,
                r.path.display(),
                r.line
            );
        } else {
            failed += 1;
            let got = match &r.error {
                Some(e) => format!("error: {e}"),
                None => format!("got {} finding(s)", r.findings),
            };
            println!(
                "FAILED {} ({}:{}) expect {want}, {got}",
                r.rule,
                r.path.display(),
                r.line
            );
        }
    }
    let untested: Vec<&str> = rules
        .rules
        .iter()
        .filter(|r| r.tests.is_empty())
        .map(|r| r.id.as_str())
        .collect();
    if !untested.is_empty() {
        println!("note: rules without tests: {}", untested.join(", "));
    }
    println!("{} passed, {} failed", results.len() - failed, failed);
    if failed > 0 {
        ExitCode::from(exit::FINDINGS)
    } else {
        ExitCode::from(exit::SUCCESS)
    }
}
