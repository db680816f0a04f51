//! The command line: clap definitions and the only code that prints. Each
//! subcommand parses its arguments, calls the library and writes the
//! result; exit codes are those of `exit`.

// The library warns on printing; this layer is the one that prints.
#![allow(clippy::print_stdout, clippy::print_stderr)]

mod alert;
mod check;
mod compare;
mod coverage;
mod diag;
mod diff;
pub mod exit;
mod ingest;
mod init;
mod lint;
mod merge;
mod progress;
mod report_html;
mod search;
mod show;
mod test;
mod timeline;
mod watch;

use crate::config::Config;
use crate::corpus::{Corpus, LoadOptions};
use crate::rules::Rules;
use clap::{Parser, Subcommand};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

const ABOUT: &str =
    "Check what companies say in public against the evidence and against what they said before.";

const AFTER_HELP: &str = "\
Start here:
  claimdiff check                   every rule over statements/ with rules/, as a table
  claimdiff check --format jsonl    one finding per line, for scripts
  claimdiff show hikvision/2021-04-esg-report-2020
  claimdiff test                    run the tests carried in rule files
  claimdiff lint                    validate corpus and rules, every problem at once

Exit codes: 0 the run succeeded (with or without findings); 1 only with
--fail-on SEVERITY when a finding is at or above it (and from `test` when a
case fails); 2 bad input or usage; 3 from `alert`/`watch` when a sink did not
accept its alerts (they stay pending for the next run).";

#[derive(Parser, Debug)]
#[command(name = "claimdiff", version, about = ABOUT, after_help = AFTER_HELP, max_term_width = 100)]
pub struct Cli {
    // Help given as attributes, not doc comments: rustdoc would read
    // `<entity>` as HTML and `[[rule]]` as a link.
    #[arg(
        long,
        global = true,
        value_name = "DIR",
        help = "Corpus folder: statements/<entity>/*.md and *.jsonl [default: statements, or `corpus` in claimdiff.toml]"
    )]
    pub corpus: Option<PathBuf>,
    #[arg(
        long,
        global = true,
        value_name = "DIR",
        help = "Rules folder: *.toml files of [[rule]] [default: rules, or `rules` in claimdiff.toml]"
    )]
    pub rules: Option<PathBuf>,
    /// When to colour output: auto (a terminal, and NO_COLOR unset), always, never
    #[arg(long, global = true, value_name = "WHEN", default_value = "auto")]
    pub color: ColorChoice,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Run every rule; print findings as a table (default), json, jsonl, csv or markdown
    Check(check::Args),
    /// Disclosure diff between two versions of a series (default: the last two)
    Diff(diff::Args),
    /// Validate corpus and rules and report every problem at once
    Lint(lint::Args),
    /// Run the [[rule.test]] cases carried in rule files
    Test(test::Args),
    /// One statement and every finding that involves it
    Show(show::Args),
    /// Deliver new dropped-disclosure alerts to stdout, webhooks or commands, once per sink
    Alert(alert::Args),
    /// Turn a .txt/.md/.html/.pdf file into a statement file, then diff it against its series
    Ingest(ingest::Args),
    /// Re-run `alert` whenever a statement or rule file is added or changed
    Watch(watch::Args),
    /// Scaffold a new corpus: an entity, a statement, a rule with tests, claimdiff.toml
    // The examples are given here rather than in init.rs, which belongs to
    // another change in flight; clap merges the attributes.
    #[command(after_help = "\
Examples:
  claimdiff init newsroom       # newsroom/statements, rules/, claimdiff.toml
  cd newsroom && claimdiff test && claimdiff check")]
    Init(init::Args),
    /// Concatenate sharded JSONL outputs (`check --shard K/N`) in the order of a single run
    Merge(merge::Args),
    /// One entity's statements and evidence in date order, findings marked on both rows
    Timeline(timeline::Args),
    /// Two statements side by side: metadata, a word-level diff, the findings linking them
    Compare(compare::Args),
    /// Regex search over statement bodies, with the selectors' filters
    Search(search::Args),
    /// Topics × kinds matrix of what the corpus holds for an entity, empty cells shown
    Coverage(coverage::Args),
    /// Self-contained HTML report per entity: SVG timeline, arcs to evidence, findings table
    Report(report_html::Args),
}

/// Resolved global settings.
pub struct Ctx {
    pub corpus: PathBuf,
    pub rules: PathBuf,
    pub config: Config,
    pub color: bool,
}

impl Ctx {
    pub fn load_corpus(&self) -> Result<Corpus, ExitCode> {
        crate::corpus::load(&self.corpus, &LoadOptions::default()).map_err(|d| diag::report_all(&d))
    }

    pub fn load_rules(&self) -> Result<Rules, ExitCode> {
        crate::rules::load_rules(&self.rules).map_err(|d| diag::report_all(&d))
    }

    /// Rules and corpus for the commands that need both, or every problem
    /// of both at once (nothing is shown from a half-loaded corpus).
    pub fn load_rules_and_corpus(&self) -> Result<(Rules, Corpus), ExitCode> {
        let rules = crate::rules::load_rules(&self.rules);
        let corpus = crate::corpus::load(&self.corpus, &LoadOptions::default());
        match (rules, corpus) {
            (Ok(r), Ok(c)) => Ok((r, c)),
            (r, c) => {
                let mut all = c.err().unwrap_or_default();
                all.extend(r.err().unwrap_or_default());
                Err(diag::report_all(&all))
            }
        }
    }

    /// The rules, or, when they have problems, every problem of the rules
    /// *and* of the corpus at once (as `lint` does), so a user fixes both in
    /// one round instead of discovering the corpus errors after the rules.
    /// The corpus is only scanned on that error path, texts let go.
    pub fn load_rules_or_report_all(&self) -> Result<Rules, ExitCode> {
        crate::rules::load_rules(&self.rules).map_err(|rule_problems| {
            let (_, mut all) =
                crate::corpus::load_streaming(&self.corpus, &LoadOptions::default(), &|_| None);
            all.extend(rule_problems);
            diag::report_all(&all)
        })
    }

    /// Width for tables: the terminal's, else $COLUMNS, else 100.
    pub fn width(&self) -> u16 {
        if let Some((w, _)) = terminal_size::terminal_size() {
            return w.0;
        }
        std::env::var("COLUMNS")
            .ok()
            .and_then(|c| c.parse().ok())
            .unwrap_or(100)
    }
}

pub fn run() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() {
                exit::BAD_INPUT
            } else {
                exit::SUCCESS
            };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    let config = match Config::load(std::path::Path::new(".")) {
        Ok(c) => c,
        Err(d) => return diag::report_all(&[d]),
    };
    let color = match cli.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::io::stdout().is_terminal()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    };
    let ctx = Ctx {
        corpus: cli
            .corpus
            .clone()
            .or(config.corpus.clone())
            .unwrap_or_else(|| "statements".into()),
        rules: cli
            .rules
            .clone()
            .or(config.rules.clone())
            .unwrap_or_else(|| "rules".into()),
        config,
        color,
    };
    match cli.command {
        Command::Check(a) => check::run(&ctx, a),
        Command::Lint(a) => lint::run(&ctx, a),
        Command::Diff(a) => diff::run(&ctx, a),
        Command::Test(a) => test::run(&ctx, a),
        Command::Show(a) => show::run(&ctx, a),
        Command::Init(a) => init::run(&ctx, a),
        Command::Alert(a) => alert::run(&ctx, a),
        Command::Watch(a) => watch::run(&ctx, a),
        Command::Ingest(a) => ingest::run(&ctx, a),
        Command::Merge(a) => merge::run(&ctx, a),
        Command::Timeline(a) => timeline::run(&ctx, a),
        Command::Compare(a) => compare::run(&ctx, a),
        Command::Search(a) => search::run(&ctx, a),
        Command::Coverage(a) => coverage::run(&ctx, a),
        Command::Report(a) => report_html::run(&ctx, a),
    }
}

/// Writes to stdout; a closed pipe (`| head`) counts as success.
pub fn emit(f: impl FnOnce(&mut dyn Write) -> std::io::Result<()>) -> Result<(), ExitCode> {
    let stdout = std::io::stdout();
    let mut lock = std::io::BufWriter::new(stdout.lock());
    match f(&mut lock).and_then(|_| lock.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Err(ExitCode::from(exit::SUCCESS)),
        Err(e) => {
            eprintln!("error: cannot write output: {e}");
            Err(ExitCode::from(exit::BAD_INPUT))
        }
    }
}

/// Parses a date argument (`--since`, `--until`).
pub fn parse_date_arg(s: &str) -> Result<crate::corpus::DateRange, String> {
    crate::corpus::DateRange::parse(s)
}

/// Refuses `--since` after `--until`: no date lies in such a range, so the
/// run would print nothing and exit 0, as if the corpus held nothing. The
/// ranges the dates stand for are compared, not their strings: `--since
/// 2024-06 --until 2024` is June to December 2024.
pub(crate) fn date_bounds(
    since: Option<&crate::corpus::DateRange>,
    until: Option<&crate::corpus::DateRange>,
) -> Result<(), ExitCode> {
    match (since, until) {
        (Some(s), Some(u)) if s.start > u.end => {
            eprintln!("error: --since {s} is after --until {u}: no date can be in that range");
            Err(ExitCode::from(exit::BAD_INPUT))
        }
        _ => Ok(()),
    }
}

/// How many known values an error lists before it says how many more.
const LISTED: usize = 20;

/// Refuses a filter value (`--entity`, `--topic`) that names nothing in
/// `known`: a typo would otherwise read as "nothing there" with exit 0.
/// The hint is the same word in another case (`Xinjiang`: `xinjiang`),
/// else the nearest one a typo away; the known values follow, the first
/// `LISTED` of a long list and how many more.
pub(crate) fn refuse_unknown(
    what: &str,
    plural: &str,
    value: &str,
    known: &std::collections::BTreeSet<&str>,
    place: &str,
) -> Result<(), ExitCode> {
    if known.contains(value) {
        return Ok(());
    }
    let lower = value.to_lowercase();
    let hint = known
        .iter()
        .copied()
        .find(|k| k.to_lowercase() == lower)
        .or_else(|| crate::error::nearest(value, known.iter().copied()))
        .map(|n| format!(" (did you mean `{n}`?)"))
        .unwrap_or_default();
    let mut list = known
        .iter()
        .take(LISTED)
        .copied()
        .collect::<Vec<_>>()
        .join(", ");
    if known.len() > LISTED {
        list += &format!(" and {} more", known.len() - LISTED);
    }
    if known.is_empty() {
        list = "none".into();
    }
    eprintln!("error: no {what} `{value}` in {place}{hint}\n  known {plural}: {list}");
    Err(ExitCode::from(exit::BAD_INPUT))
}

/// Every topic a statement of the corpus carries (with repeats).
pub(crate) fn statement_topics(corpus: &Corpus) -> impl Iterator<Item = &str> {
    corpus
        .statements
        .iter()
        .flat_map(|s| s.topics.iter().map(String::as_str))
}

/// Every topic a rule or one of its selectors names.
fn rule_topics(rules: &Rules) -> impl Iterator<Item = &str> {
    rules.rules.iter().flat_map(|r| {
        r.topics
            .iter()
            .chain(r.selectors.iter().flat_map(|(_, s)| &s.topics))
            .map(String::as_str)
    })
}

/// Refuses a `--topic` that no statement of the corpus and no rule
/// carries: for a fact-checker, "nothing on this topic" is a conclusion,
/// and a typo or a capital letter must not produce it. `statements` are
/// the topics of the statements at hand; the rules are read only when the
/// topic is not among them (`search` and `coverage` need no rules, and
/// rules that do not load count for nothing here).
pub(crate) fn known_topic<'a>(
    ctx: &Ctx,
    topic: &str,
    statements: impl IntoIterator<Item = &'a str>,
    rules: Option<&Rules>,
) -> Result<(), ExitCode> {
    let mut known: std::collections::BTreeSet<&str> = statements.into_iter().collect();
    if known.contains(topic) {
        return Ok(());
    }
    let loaded;
    let rules = match rules {
        Some(r) => Some(r),
        None => {
            loaded = crate::rules::load_rules(&ctx.rules).ok();
            loaded.as_ref()
        }
    };
    let mut place = ctx.corpus.display().to_string();
    if let Some(r) = rules {
        known.extend(rule_topics(r));
        place = format!("{place} or {}", ctx.rules.display());
    }
    refuse_unknown("topic", "topics", topic, &known, &place)
}

/// `known_topic` for `check`, which keeps only the statements that matched
/// (`kept`): a topic none of them nor any rule carries is looked for in the
/// whole corpus, read again with its texts let go, before it is refused.
/// That second read happens only for a topic no finding can involve.
pub(crate) fn known_check_topic(
    ctx: &Ctx,
    topic: &str,
    rules: &Rules,
    kept: &Corpus,
) -> Result<(), ExitCode> {
    let carried = |s: &crate::corpus::Statement| s.topics.iter().any(|t| t == topic);
    if kept.statements.iter().any(carried) || rule_topics(rules).any(|t| t == topic) {
        return Ok(());
    }
    let all: std::sync::Mutex<std::collections::BTreeSet<String>> = Default::default();
    crate::corpus::load_streaming(&ctx.corpus, &LoadOptions::default(), &|s| {
        let mut all = all.lock().expect("no panics while holding");
        for t in &s.topics {
            if !all.contains(t) {
                all.insert(t.clone());
            }
        }
        None
    });
    let all = all.into_inner().expect("no panics while holding");
    known_topic(ctx, topic, all.iter().map(String::as_str), Some(rules))
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    /// Clap's own consistency checks over every subcommand (ids, groups,
    /// flattened arguments), which otherwise only fire when run.
    #[test]
    fn the_command_line_is_consistent() {
        Cli::command().debug_assert();
    }
}
