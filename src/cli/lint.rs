//! `claimdiff lint`: load everything, report every problem at once, and
//! verify each quote against its archived copy (see `crate::verify`).

use super::{Ctx, diag, exit};
use crate::corpus::LoadOptions;
use crate::desk::diff::{render_ansi, render_plain};
use crate::error::Diagnostic;
use crate::verify::{Status, Verifier};
use std::io::IsTerminal;
use std::process::ExitCode;

#[derive(clap::Args, Debug)]
#[command(after_help = "\
Examples:
  claimdiff lint                          # corpus, rules and quotes: every problem, then exit 2
  claimdiff lint --no-verify              # skip comparing quotes with their archived copies
  claimdiff lint --corpus statements --rules rules && claimdiff check --fail-on high   # in CI

Quote verification: a statement with `archived = \"archive/…\"` must have its body occur in that
copy (text, HTML or PDF), after normalising whitespace, line breaks, quotes, dashes, ellipses,
case and Markdown list markers; an ellipsis in the body is an omission. A mismatch is reported
at the statement with the closest passage of the source and a word diff against it.")]
pub struct Args {
    /// Skip quote verification against archived copies
    #[arg(long)]
    no_verify: bool,
}

pub fn run(ctx: &Ctx, a: Args) -> ExitCode {
    let (corpus, mut problems) = crate::corpus::load_lenient(&ctx.corpus, &LoadOptions::default());
    problems.extend(crate::corpus::non_web_urls(&corpus.statements));
    let rules = match crate::rules::load_rules(&ctx.rules) {
        Ok(r) => Some(r),
        Err(mut d) => {
            problems.append(&mut d);
            None
        }
    };
    // Only when the rules loaded: against a half-loaded rule set every
    // ignore of a broken rule would be reported as well.
    if let Some(r) = &rules {
        let ids: Vec<&str> = r.rules.iter().map(|r| r.id.as_str()).collect();
        problems.extend(crate::corpus::unknown_ignores(&corpus.statements, &ids));
        let known: Vec<&str> = corpus.entities.by_id.keys().map(String::as_str).collect();
        problems.extend(r.unknown_entities(&known));
    }
    // Files neither loading reads: warned about, the exit code unchanged.
    let mut unread = crate::corpus::unread_files(&ctx.corpus, &corpus.statements);
    unread.extend(crate::rules::unread_rule_files(&ctx.rules));
    // An entity only JSONL records name, a typo away from a known one: a
    // warning, since a new entity may be meant.
    let misspelt = crate::corpus::misspelt_entities(&ctx.corpus, &corpus.statements);
    for d in unread.iter().chain(&misspelt) {
        eprintln!("{}", diag::render(d).replacen("error: ", "warning: ", 1));
    }
    let (mut verified, mut archived, mut empty) = (0, 0, 0);
    if !a.no_verify {
        let mut verifier = Verifier::default();
        for st in &corpus.statements {
            let v = verifier.verify(st);
            if v.archived.is_some() {
                archived += 1;
            }
            let copy = v
                .archived
                .as_ref()
                .map(|p| p.display().to_string())
                .unwrap_or_default();
            match &v.status {
                Status::Verified => verified += 1,
                Status::NotArchived => {}
                Status::EmptyBody => empty += 1,
                Status::Unreadable(e) => problems.push(Diagnostic::new(
                    &st.origin.path,
                    st.origin.body_line,
                    1,
                    format!("cannot verify the quote: archived copy unreadable: {e}"),
                )),
                Status::Mismatch(ms) => {
                    for m in ms {
                        let (line, col) = st.line_col(m.offset);
                        let mut hint = match &m.closest {
                            Some((c, score)) => format!(
                                "closest passage of the source ({:.0}% of words alike):\n      “{c}”\n    word diff (source → body): {}",
                                score * 100.0,
                                if ctx.color && std::io::stderr().is_terminal() {
                                    render_ansi(&m.diff)
                                } else {
                                    render_plain(&m.diff)
                                }
                            ),
                            None => "the source has no passage like it".to_string(),
                        };
                        hint.push_str(&format!(
                            "\n    sha256 of the copy: {}",
                            v.sha256.as_deref().unwrap_or("?")
                        ));
                        problems.push(
                            Diagnostic::new(
                                &st.origin.path,
                                line,
                                col,
                                format!(
                                    "quote not found in its archived copy {copy}: “{}”",
                                    shorten(&m.quote, 80)
                                ),
                            )
                            .with_hint(hint),
                        );
                    }
                }
            }
        }
    }
    if problems.is_empty() {
        eprintln!(
            "ok: {} statement(s) of {} entit(ies), {} rule(s); {verified} of {archived} archived quote(s) verified{}.",
            corpus.statements.len(),
            corpus.entities.by_id.len(),
            rules.map_or(0, |r| r.rules.len()),
            if empty > 0 {
                format!(", {empty} with an empty body (nothing to verify)")
            } else {
                String::new()
            }
        );
        if !unread.is_empty() {
            eprintln!("{} file(s) not read: see the warnings above.", unread.len());
        }
        return ExitCode::from(exit::SUCCESS);
    }
    for d in &problems {
        eprintln!("{}", diag::render(d));
    }
    eprintln!("{} problem(s) found.", problems.len());
    ExitCode::from(exit::BAD_INPUT)
}

fn shorten(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        s.chars().take(n).collect::<String>() + "…"
    }
}
