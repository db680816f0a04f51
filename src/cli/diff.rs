//! `claimdiff diff`: the disclosure diff between versions of a series.

use super::{Ctx, emit, exit};
use crate::align::AlignConfig;
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
    let rule = ctx.load_rules().ok().and_then(|r| {
        r.rules.into_iter().find(|r| {
            r.kind == RuleKind::DroppedDisclosure
                && r.selector(Side::Series)
                    .is_none_or(|s| s.series.is_empty() || s.series.contains(&series))
        })
    });
    let cfg = AlignConfig {
        threshold: a
            .threshold
            .or(rule.as_ref().map(|r| r.threshold))
            .unwrap_or(0.6),
        volatile: rule.map(|r| r.volatile).unwrap_or_default(),
    };
    let pairs = series_pairs(&series, &chosen, &cfg, &|s| {
        Ok(std::borrow::Cow::Borrowed(s.text.as_str()))
    });
    let format = match a.format {
        Fmt::Table => DiffFormat::Table,
        Fmt::Json => DiffFormat::Json,
        Fmt::Jsonl => DiffFormat::Jsonl,
        Fmt::Markdown => DiffFormat::Markdown,
    };
    match emit(|w| write_diff(&pairs, format, ctx.width(), ctx.color, w)) {
        Ok(()) => ExitCode::from(exit::SUCCESS),
        Err(c) => c,
    }
}
