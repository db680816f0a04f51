//! `claimdiff diff`: the disclosure diff between versions of a series.

use super::{Ctx, emit, exit};
use crate::align::{AlignConfig, Status};
use crate::engine::{series_of, series_pairs, versions};
use crate::report::diff::{DiffFormat, write_diff};
use crate::rules::{RuleKind, Side};
use std::process::ExitCode;

#[derive(clap::Args, Debug)]
#[command(after_help = "\
Examples:
  claimdiff diff hikvision                     the last two versions of its only series
  claimdiff diff hikvision annual-report 2021 2022
  claimdiff diff hikvision annual-report --all every consecutive pair
  claimdiff diff acme annual-report --format jsonl
  claimdiff diff acme --only dropped           what the newer version no longer says

FROM and TO are periods (2021, 2021-Q3) or statement ids. Items: paragraphs, list items and
table rows, under their section headings. `dropped` means absent from the whole newer
version; reworded items (similarity >= threshold) are `changed`, moved ones `moved`.")]
pub struct Args {
    /// Entity (folder name)
    entity: String,
    /// Series name (needed when the entity has several)
    series: Option<String>,
    /// Older version: period or statement id
    from: Option<String>,
    /// Newer version: period or statement id
    to: Option<String>,
    /// Walk every consecutive pair of the series
    #[arg(long)]
    all: bool,
    /// Similarity at or above which a reworded item is "changed", not "dropped" [default: the series' dropped-disclosure rule's, else 0.6]
    #[arg(long)]
    threshold: Option<f64>,
    #[arg(long, short = 'f', value_enum, default_value = "table")]
    format: Fmt,
    /// List only items of these statuses (repeat or separate by commas),
    /// e.g. --only dropped; the summary line still counts every status
    #[arg(long, value_enum, value_delimiter = ',')]
    only: Vec<Only>,
}

/// The statuses `--only` can select (kept items are never listed).
#[derive(clap::ValueEnum, Clone, Copy, Debug)]
pub(super) enum Only {
    Dropped,
    Changed,
    Moved,
    Added,
}

fn statuses(only: &[Only]) -> Vec<Status> {
    only.iter().map(|&o| o.into()).collect()
}

impl From<Only> for Status {
    fn from(o: Only) -> Status {
        match o {
            Only::Dropped => Status::Dropped,
            Only::Changed => Status::Changed,
            Only::Moved => Status::Moved,
            Only::Added => Status::Added,
        }
    }
}

#[derive(clap::ValueEnum, Clone, Copy, Debug)]
enum Fmt {
    Table,
    Json,
    Jsonl,
    Markdown,
}

pub fn run(ctx: &Ctx, a: Args) -> ExitCode {
    let corpus = match ctx.load_corpus() {
        Ok(c) => c,
        Err(c) => return c,
    };
    let all_series = series_of(&corpus, &a.entity);
    if all_series.is_empty() {
        eprintln!(
            "error: entity `{}` has no series (statements with `series`/`period`) in {}",
            a.entity,
            ctx.corpus.display()
        );
        return ExitCode::from(exit::BAD_INPUT);
    }
    let series = match &a.series {
        Some(s) if all_series.contains_key(s) => s.clone(),
        Some(s) => {
            eprintln!(
                "error: `{}` has no series `{s}`; it has: {}",
                a.entity,
                all_series.keys().cloned().collect::<Vec<_>>().join(", ")
            );
            return ExitCode::from(exit::BAD_INPUT);
        }
        None if all_series.len() == 1 => all_series.keys().next().cloned().unwrap_or_default(),
        None => {
            eprintln!(
                "error: `{}` has several series; name one: {}",
                a.entity,
                all_series.keys().cloned().collect::<Vec<_>>().join(", ")
            );
            return ExitCode::from(exit::BAD_INPUT);
        }
    };
    let vs = versions(&corpus, &a.entity, &series);
    let find = |key: &str| {
        vs.iter()
            .position(|s| s.id == key || s.period.as_ref().is_some_and(|p| p.raw == key))
    };
    let chosen: Vec<&crate::corpus::Statement> = match (&a.from, &a.to) {
        _ if a.all => vs.clone(),
        (Some(f), Some(t)) => match (find(f), find(t)) {
            (Some(i), Some(j)) => vec![vs[i], vs[j]],
            _ => {
                let have: Vec<String> = vs
                    .iter()
                    .map(|s| {
                        s.period
                            .as_ref()
                            .map_or_else(|| s.id.clone(), |p| p.raw.clone())
                    })
                    .collect();
                eprintln!(
                    "error: no version `{}` in {} {series}; versions: {}",
                    if find(f).is_none() { f } else { t },
                    a.entity,
                    have.join(", ")
                );
                return ExitCode::from(exit::BAD_INPUT);
            }
        },
        (Some(_), None) => {
            eprintln!("error: give both FROM and TO, or neither (the last two versions)");
            return ExitCode::from(exit::BAD_INPUT);
        }
        _ => vs[vs.len().saturating_sub(2)..].to_vec(),
    };
    if chosen.len() < 2 {
        eprintln!(
            "error: {} {series} has only one version; nothing to compare",
            a.entity
        );
        return ExitCode::from(exit::BAD_INPUT);
    }
    let cfg = align_config(ctx, &series, a.threshold);
    let pairs = series_pairs(&series, &chosen, &cfg, &|s| {
        Ok(std::borrow::Cow::Borrowed(s.text.as_str()))
    });
    let format = match a.format {
        Fmt::Table => DiffFormat::Table,
        Fmt::Json => DiffFormat::Json,
        Fmt::Jsonl => DiffFormat::Jsonl,
        Fmt::Markdown => DiffFormat::Markdown,
    };
    let only = statuses(&a.only);
    match emit(|w| write_diff(&pairs, format, ctx.width(), ctx.color, &only, w)) {
        Ok(()) => ExitCode::from(exit::SUCCESS),
        Err(c) => c,
    }
}

/// Prints the diff of `new` against the version of its series before it
/// (used by `ingest`), listing only the statuses in `only` (all if empty).
pub(super) fn print_previous(
    ctx: &Ctx,
    corpus: &crate::corpus::Corpus,
    new: &crate::corpus::Statement,
    series: &str,
    only: &[Only],
) -> ExitCode {
    let vs = versions(corpus, &new.entity, series);
    let Some(pos) = vs.iter().position(|s| s.id == new.id) else {
        return ExitCode::from(exit::SUCCESS);
    };
    if pos == 0 {
        eprintln!(
            "(first version of {} {series}: nothing to compare with)",
            new.entity
        );
        return ExitCode::from(exit::SUCCESS);
    }
    let cfg = align_config(ctx, series, None);
    let pair = [vs[pos - 1], vs[pos]];
    let pairs = series_pairs(series, &pair, &cfg, &|s| {
        Ok(std::borrow::Cow::Borrowed(s.text.as_str()))
    });
    let only = statuses(only);
    match emit(|w| write_diff(&pairs, DiffFormat::Table, ctx.width(), ctx.color, &only, w)) {
        Ok(()) => ExitCode::from(exit::SUCCESS),
        Err(c) => c,
    }
}

/// The aligner settings of the series' `dropped-disclosure` rule
/// (threshold, volatile tokens), so `diff` shows what `check` reports;
/// `threshold` (the command line's) wins. Rules that do not load leave the
/// defaults, with a warning: a diff needs no rules, but a user whose rule
/// sets `threshold = 0.8` must not get 0.6 without being told.
fn align_config(ctx: &Ctx, series: &str, threshold: Option<f64>) -> AlignConfig {
    let rule = match crate::rules::load_rules(&ctx.rules) {
        Ok(r) => r.rules.into_iter().find(|r| {
            r.kind == RuleKind::DroppedDisclosure
                && r.selector(Side::Series)
                    .is_none_or(|s| s.series.is_empty() || s.series.iter().any(|x| x == series))
        }),
        Err(problems) => {
            if ctx.rules.exists() {
                eprintln!(
                    "warning: the rules in {} did not load ({} problem(s); `claimdiff lint` lists them): \
                     aligning with the default threshold 0.6 and no volatile tokens",
                    ctx.rules.display(),
                    problems.len()
                );
            }
            None
        }
    };
    AlignConfig {
        threshold: threshold
            .or(rule.as_ref().map(|r| r.threshold))
            .unwrap_or(0.6),
        volatile: rule.map(|r| r.volatile).unwrap_or_default(),
    }
}
