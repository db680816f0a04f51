//! `claimdiff diff`: the disclosure diff between versions of a series.

use super::{Ctx, emit, exit};
use crate::align::{AlignConfig, Status};
use crate::engine::{series_of, series_pairs, versions};
use crate::report::diff::{DiffFormat, ShownPair, write_diff};
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

FROM and TO are periods (2021, 2021-Q3) or statement ids, the older first (a newer FROM
is refused); SERIES may be left out when the entity has one series (`diff acme 2021 2023`).
Items: paragraphs, list items and table rows, under their section headings. `dropped` means absent from the whole newer
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

pub fn run(ctx: &Ctx, mut a: Args) -> ExitCode {
    let corpus = match ctx.load_corpus() {
        Ok(c) => c,
        Err(c) => return c,
    };
    if let Err(c) = super::timeline::known_entity(&corpus, &a.entity, ctx) {
        return c;
    }
    let all_series = series_of(&corpus, &a.entity);
    if all_series.is_empty() {
        eprintln!(
            "error: entity `{}` has no series (statements with `series`/`period`) in {}",
            a.entity,
            ctx.corpus.display()
        );
        return ExitCode::from(exit::BAD_INPUT);
    }
    let names = || all_series.keys().cloned().collect::<Vec<_>>().join(", ");
    let is_version = |series: &str, key: &str| {
        versions(&corpus, &a.entity, series)
            .iter()
            .any(|s| s.id == key || s.period.as_ref().is_some_and(|p| p.raw == key))
    };
    // `diff zephyr 2021 2023`: SERIES may be left out when there is one
    // series, and then the two versions come first. A version given where
    // the series goes is read so only when that reading is unambiguous.
    if let Some(s) = a.series.clone()
        && !all_series.contains_key(&s)
    {
        let owner = all_series.keys().find(|n| is_version(n, &s)).cloned();
        match owner {
            Some(only) if all_series.len() == 1 && a.to.is_none() => {
                a.to = a.from.take();
                a.from = Some(s);
                a.series = Some(only);
            }
            Some(owner) => {
                eprintln!(
                    "error: `{s}` is a version of `{}` {owner}, not a series; name the series before the versions: \
                     claimdiff diff {} {owner} FROM TO (series: {})",
                    a.entity,
                    a.entity,
                    names()
                );
                return ExitCode::from(exit::BAD_INPUT);
            }
            None => {
                eprintln!(
                    "error: `{}` has no series `{s}`; it has: {}",
                    a.entity,
                    names()
                );
                return ExitCode::from(exit::BAD_INPUT);
            }
        }
    }
    let series = match &a.series {
        Some(s) => s.clone(),
        None if all_series.len() == 1 => all_series.keys().next().cloned().unwrap_or_default(),
        None => {
            eprintln!(
                "error: `{}` has several series; name one: {}",
                a.entity,
                names()
            );
            return ExitCode::from(exit::BAD_INPUT);
        }
    };
    let vs = versions(&corpus, &a.entity, &series);
    let find = |key: &str| {
        vs.iter()
            .position(|s| s.id == key || s.period.as_ref().is_some_and(|p| p.raw == key))
    };
    let label = |s: &crate::corpus::Statement| {
        s.period
            .as_ref()
            .map_or_else(|| s.id.clone(), |p| p.raw.clone())
    };
    // Indices into `vs` of the pairs to show.
    let chosen: Vec<(usize, usize)> = match (&a.from, &a.to) {
        _ if a.all => (1..vs.len()).map(|k| (k - 1, k)).collect(),
        (Some(f), Some(t)) => match (find(f), find(t)) {
            (Some(i), Some(j)) if i < j => vec![(i, j)],
            (Some(i), Some(j)) if i == j => {
                eprintln!("error: FROM and TO are the same version `{f}`; nothing to compare");
                return ExitCode::from(exit::BAD_INPUT);
            }
            // Newer first would turn every drop into an addition; refused
            // rather than swapped, so a script's mistake is not hidden.
            (Some(i), Some(j)) => {
                let name = |key: &str, s: &crate::corpus::Statement| match label(s) {
                    l if l == key => format!("`{key}`"),
                    l => format!("`{key}` ({l})"),
                };
                eprintln!(
                    "error: FROM must be the older version: {} comes after {} in {} {series}; \
                     run: claimdiff diff {} {series} {t} {f}",
                    name(f, vs[i]),
                    name(t, vs[j]),
                    a.entity,
                    a.entity
                );
                return ExitCode::from(exit::BAD_INPUT);
            }
            _ => {
                let have: Vec<String> = vs.iter().map(|s| label(s)).collect();
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
        _ if vs.len() >= 2 => vec![(vs.len() - 2, vs.len() - 1)],
        _ => Vec::new(),
    };
    if chosen.is_empty() {
        eprintln!(
            "error: {} {series} has only one version; nothing to compare",
            a.entity
        );
        return ExitCode::from(exit::BAD_INPUT);
    }
    let cfg = align_config(ctx, &series, a.threshold);
    let format = match a.format {
        Fmt::Table => DiffFormat::Table,
        Fmt::Json => DiffFormat::Json,
        Fmt::Jsonl => DiffFormat::Jsonl,
        Fmt::Markdown => DiffFormat::Markdown,
    };
    write_pairs(ctx, &series, &vs, &chosen, &cfg, format, &a.only)
}

/// Aligns the chosen pairs of `vs` and writes them. Every version before
/// the newest `from` is aligned too, as `check` does, for how many
/// consecutive versions carried each item.
fn write_pairs(
    ctx: &Ctx,
    series: &str,
    vs: &[&crate::corpus::Statement],
    chosen: &[(usize, usize)],
    cfg: &AlignConfig,
    format: DiffFormat,
    only: &[Only],
) -> ExitCode {
    let text: crate::engine::TextOf = &|s| Ok(std::borrow::Cow::Borrowed(s.text.as_str()));
    let last_from = chosen.iter().map(|&(i, _)| i).max().unwrap_or(0);
    // The consecutive pairs up to the last `from`, and on to the last `to`
    // when the chosen pairs are consecutive: then they are aligned once.
    let consecutive = chosen.iter().all(|&(i, j)| j == i + 1);
    let upto = if consecutive {
        last_from + 1
    } else {
        last_from
    };
    let history = series_pairs(series, &vs[..=upto], cfg, text);
    let carried = crate::engine::carried(&history);
    let apart: Vec<_> = if consecutive {
        Vec::new()
    } else {
        chosen
            .iter()
            .flat_map(|&(i, j)| series_pairs(series, &[vs[i], vs[j]], cfg, text))
            .collect()
    };
    let shown: Vec<ShownPair> = chosen
        .iter()
        .enumerate()
        .map(|(k, &(i, j))| ShownPair {
            pair: if consecutive {
                &history[j - 1]
            } else {
                &apart[k]
            },
            carried: carried.get(i).map_or(&[], Vec::as_slice),
        })
        .collect();
    let only = statuses(only);
    match emit(|w| write_diff(&shown, format, ctx.width(), ctx.color, &only, w)) {
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
    // A version filed in between (an older filing back-filled) opens a new
    // pair with the version after it too: that pair's drops are what the
    // next `check` and `alert` report, so it is shown as well.
    let mut pairs = Vec::new();
    if pos > 0 {
        pairs.push((pos - 1, pos));
    }
    if pos + 1 < vs.len() {
        eprintln!(
            "(an earlier period than {}'s latest {series}: compared with the version after it too)",
            new.entity
        );
        pairs.push((pos, pos + 1));
    }
    if pairs.is_empty() {
        eprintln!(
            "(first version of {} {series}: nothing to compare with)",
            new.entity
        );
        return ExitCode::from(exit::SUCCESS);
    }
    let cfg = align_config(ctx, series, None);
    write_pairs(ctx, series, &vs, &pairs, &cfg, DiffFormat::Table, only)
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
