//! `claimdiff check`: every rule over the corpus, findings out.

use super::{Ctx, diag, emit, exit};
use crate::corpus::{DateRange, LoadOptions, Severity};
use crate::engine::{CheckOptions, check_streaming};
use crate::report::{Format, ReportInput, TableOptions, reporter};
use std::process::ExitCode;

#[derive(clap::Args, Debug)]
#[command(after_help = "\
Examples:
  claimdiff check
  claimdiff check --rule knowledge-denial --format jsonl
  claimdiff check --entity hikvision --since 2020 --until 2021-12
  claimdiff check --fail-on high          # exit 1 when a high or critical finding exists (for CI, cron)
  claimdiff check --shard 2/8 --format jsonl > part2.jsonl   # then: claimdiff merge part*.jsonl")]
pub struct Args {
    /// Output format
    #[arg(long, short = 'f', value_enum, default_value = "table")]
    format: FormatArg,
    /// Only this rule (repeat for several)
    #[arg(long = "rule", id = "rule_ids", value_name = "ID")]
    rule_ids: Vec<String>,
    /// Only findings involving this entity (or its group)
    #[arg(long, value_name = "ENTITY")]
    entity: Option<String>,
    /// Only findings involving a statement with this topic
    #[arg(long, value_name = "TOPIC")]
    topic: Option<String>,
    /// Only findings whose claim (or newer version) is dated on or after this date (YYYY, YYYY-MM, YYYY-MM-DD)
    #[arg(long, value_name = "DATE", value_parser = super::parse_date_arg)]
    since: Option<DateRange>,
    /// Only findings whose claim (or newer version) is dated on or before this date
    #[arg(long, value_name = "DATE", value_parser = super::parse_date_arg)]
    until: Option<DateRange>,
    /// Exit 1 when a finding is at or above this severity (info, low, medium, high, critical)
    #[arg(long, value_name = "SEVERITY", value_parser = parse_severity)]
    fail_on: Option<Severity>,
    /// Check only the entity groups in shard K of N (1-based), e.g. 2/8
    #[arg(long, value_name = "K/N", value_parser = parse_shard)]
    shard: Option<(u64, u64)>,
    /// Report at most this many findings (the first in output order); the number left out is said on stderr
    #[arg(long, default_value_t = 100_000, value_name = "N")]
    max_findings: usize,
    /// Check the files that loaded even when others did not; problems are listed on stderr and the run exits 2
    #[arg(long)]
    keep_going: bool,
    /// With --format claimreview: the reviews' datePublished (YYYY-MM-DD) instead of today, for reproducible output
    #[arg(long, value_name = "DATE", value_parser = parse_review_date)]
    review_date: Option<String>,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug)]
enum FormatArg {
    Table,
    Json,
    Jsonl,
    Csv,
    Markdown,
    Claimreview,
}

fn parse_severity(s: &str) -> Result<Severity, String> {
    Severity::parse(s).ok_or_else(|| {
        format!("`{s}` is not a severity: expected info, low, medium, high or critical")
    })
}

pub fn parse_shard(s: &str) -> Result<(u64, u64), String> {
    let bad = || format!("`{s}` is not a shard: expected K/N with 1 <= K <= N, e.g. 2/8");
    let (k, n) = s.split_once('/').ok_or_else(bad)?;
    let (k, n): (u64, u64) = (
        k.trim().parse().map_err(|_| bad())?,
        n.trim().parse().map_err(|_| bad())?,
    );
    if k == 0 || n == 0 || k > n {
        return Err(bad());
    }
    Ok((k, n))
}

pub fn run(ctx: &Ctx, a: Args) -> ExitCode {
    if let Err(c) = super::date_bounds(a.since.as_ref(), a.until.as_ref()) {
        return c;
    }
    let rules = match ctx.load_rules_or_report_all() {
        Ok(r) => r,
        Err(c) => return c,
    };
    for r in &a.rule_ids {
        if rules.get(r).is_none() {
            let known: Vec<&str> = rules.rules.iter().map(|r| r.id.as_str()).collect();
            let hint = crate::error::nearest(r, known.iter().copied())
                .map(|n| format!(" (did you mean `{n}`?)"))
                .unwrap_or_default();
            eprintln!(
                "error: no rule `{r}` in {}{hint}\n  known rules: {}",
                ctx.rules.display(),
                known.join(", ")
            );
            return ExitCode::from(exit::BAD_INPUT);
        }
    }
    let opts = CheckOptions {
        rules: a.rule_ids,
        kinds: vec![],
        entity: a.entity,
        topic: a.topic,
        since: a.since,
        until: a.until,
        shard: a.shard,
        max_findings: Some(a.max_findings),
    };
    let progress = std::sync::Arc::new(crate::corpus::Progress::default());
    let load = LoadOptions {
        progress: Some(progress.clone()),
        ..LoadOptions::default()
    };
    let bar = super::progress::ProgressBar::start(progress);
    let (out, corpus, problems) = check_streaming(&ctx.corpus, &rules, &opts, &load, a.keep_going);
    bar.finish();
    if !problems.is_empty() && !a.keep_going {
        return diag::report_all(&problems);
    }
    // A rule whose `entities` names no entity selects nothing: its findings
    // would vanish with exit 0. `out.entities` holds every entity named,
    // in a shard too.
    let known: Vec<&str> = out.entities.iter().map(String::as_str).collect();
    let unknown = rules.unknown_entities(&known);
    if !unknown.is_empty() {
        return diag::report_all(&unknown);
    }
    // A typo in --entity would otherwise read as "no findings" (and pass
    // --fail-on): refused as `search` and `timeline` refuse it.
    if let Some(e) = &opts.entity
        && let Err(c) = super::timeline::known_entity_in(
            out.entities.iter().map(String::as_str).collect(),
            e,
            ctx,
        )
    {
        return c;
    }
    // A typo or a capital letter in --topic would read as "nothing on
    // that topic": refused as `search` and `timeline` refuse it.
    if let Some(t) = &opts.topic
        && let Err(c) = super::known_check_topic(ctx, t, &rules, &corpus)
    {
        return c;
    }
    let format = match a.format {
        FormatArg::Table => Format::Table,
        FormatArg::Json => Format::Json,
        FormatArg::Jsonl => Format::Jsonl,
        FormatArg::Csv => Format::Csv,
        FormatArg::Markdown => Format::Markdown,
        FormatArg::Claimreview => Format::Claimreview,
    };
    let rep = match format {
        Format::Claimreview => claimreview_reporter(ctx, &a.review_date, &out.findings),
        _ => reporter(
            format,
            TableOptions {
                width: ctx.width(),
                color: ctx.color,
            },
        ),
    };
    let input = ReportInput {
        findings: &out.findings,
        corpus: &corpus,
        stats: &out.stats,
    };
    if let Err(code) = emit(|w| rep.write(&input, w)) {
        return code;
    }
    // The summary counts this shard's statements; the whole corpus was read.
    if let Some((k, n)) = opts.shard {
        eprintln!(
            "note: shard {k}/{n} checked {} of the corpus's {} statement(s), those about its entity groups",
            out.stats.statements, out.stats.read
        );
    }
    if !problems.is_empty() {
        for d in &problems {
            eprintln!("{}", diag::render(d));
        }
        eprintln!(
            "warning: --keep-going: {} problem(s); the files above were SKIPPED and their statements were not checked.",
            problems.len()
        );
        return ExitCode::from(exit::BAD_INPUT);
    }
    if out.stats.left_out > 0 {
        eprintln!(
            "warning: {} more finding(s) left out by --max-findings {}; narrow the run (--rule, --entity, --since) or raise the limit",
            out.stats.left_out, a.max_findings
        );
    }
    let failed = a
        .fail_on
        .is_some_and(|min| out.findings.iter().any(|f| f.severity >= min));
    // The process ends after this command: freeing the compiled rules, the
    // corpus and the findings piece by piece would only add to a small run.
    std::mem::forget((rules, corpus, out));
    ExitCode::from(if failed {
        exit::FINDINGS
    } else {
        exit::SUCCESS
    })
}

fn parse_review_date(s: &str) -> Result<String, String> {
    match DateRange::parse(s) {
        Ok(d) if d.precision == crate::corpus::Precision::Day => Ok(d.to_string()),
        Ok(_) => Err(format!("`{s}` is not a day: expected YYYY-MM-DD")),
        Err(e) => Err(e),
    }
}

/// The ClaimReview reporter with the `[review]` settings of claimdiff.toml;
/// its warnings (long claims, no reviewing organisation) go to stderr.
fn claimreview_reporter(
    ctx: &Ctx,
    date: &Option<String>,
    findings: &[crate::finding::Finding],
) -> Box<dyn crate::report::Report> {
    use crate::report::claimreview::{ClaimReview, ReviewOptions, warnings};
    let opts = ReviewOptions {
        author: ctx.config.review.author.clone(),
        url: ctx.config.review.url.clone(),
        date: date
            .clone()
            .unwrap_or_else(|| chrono::Local::now().date_naive().to_string()),
    };
    for w in warnings(findings, &opts) {
        eprintln!("warning: {w}");
    }
    Box::new(ClaimReview(opts))
}
