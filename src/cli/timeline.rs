//! `claimdiff timeline ENTITY`: the entity's (group's) statements and
//! evidence in date order, every finding marked on both of its rows.

use super::{Ctx, emit, exit};
use crate::corpus::DateRange;
use crate::desk::{Filter, timeline};
use crate::engine::{CheckOptions, check};
use crate::report::timeline as render;
use std::process::ExitCode;

#[derive(clap::Args, Debug)]
#[command(after_help = "\
Rows are ordered by the date the underlying fact happened (`event_date`) when a statement gives
one, else by its date; dates are shown at the precision the source gives. Rows whose dates
overlap have no certain order between them, and say so.

Examples:
  claimdiff timeline hikvision
  claimdiff timeline hikvision --topic xinjiang --since 2020 --format markdown")]
pub struct Args {
    /// Entity id (its whole group is shown: parent and subsidiaries)
    entity: String,
    /// Only statements with this topic (and those without topics)
    #[arg(long, value_name = "TOPIC")]
    topic: Option<String>,
    /// Only statements dated (or with an event) on or after this date
    #[arg(long, value_name = "DATE", value_parser = super::parse_date_arg)]
    since: Option<DateRange>,
    /// Only statements dated (or with an event) on or before this date
    #[arg(long, value_name = "DATE", value_parser = super::parse_date_arg)]
    until: Option<DateRange>,
    /// Output format
    #[arg(long, short = 'f', value_enum, default_value = "table")]
    format: Format,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug)]
enum Format {
    Table,
    Markdown,
    Json,
}

pub fn run(ctx: &Ctx, a: Args) -> ExitCode {
    if let Err(c) = super::date_bounds(a.since.as_ref(), a.until.as_ref()) {
        return c;
    }
    let (rules, corpus) = match ctx.load_rules_and_corpus() {
        Ok(rc) => rc,
        Err(c) => return c,
    };
    if let Err(c) = known_entity(&corpus, &a.entity, ctx) {
        return c;
    }
    if let Some(t) = &a.topic
        && let Err(c) = super::known_topic(ctx, t, super::statement_topics(&corpus), Some(&rules))
    {
        return c;
    }
    let filter = Filter {
        entity: Some(a.entity),
        topic: a.topic,
        since: a.since,
        until: a.until,
        ..Default::default()
    };
    // Every finding, not `--entity`'s: the rows are the whole group's, and
    // `check --entity` keeps only findings touching that entity's own
    // statements (or its group when it is the parent), so a subsidiary's
    // timeline lost the marks of findings on its parent's rows. `timeline`
    // marks only the findings whose statements are rows.
    let out = check(&corpus, &rules, &CheckOptions::default());
    let t = timeline(&corpus, &out.findings, &filter);
    let r = emit(|w| match a.format {
        Format::Table => render::write_table(&t, ctx.width(), ctx.color, w),
        Format::Markdown => render::write_markdown(&t, w),
        Format::Json => render::write_json(&t, w),
    });
    match r {
        Ok(()) => ExitCode::from(exit::SUCCESS),
        Err(c) => c,
    }
}

/// Refuses an entity the corpus does not know, suggesting the nearest one;
/// shared by the desk's commands.
pub(super) fn known_entity(
    corpus: &crate::corpus::Corpus,
    entity: &str,
    ctx: &Ctx,
) -> Result<(), ExitCode> {
    known_entity_in(
        corpus
            .entities
            .by_id
            .keys()
            .map(String::as_str)
            .chain(corpus.statements.iter().map(|s| s.entity.as_str()))
            .collect(),
        entity,
        ctx,
    )
}

/// `known_entity` over a set of names gathered elsewhere (`check` streams
/// the corpus and keeps only the names).
pub(super) fn known_entity_in(
    known: std::collections::BTreeSet<&str>,
    entity: &str,
    ctx: &Ctx,
) -> Result<(), ExitCode> {
    super::refuse_unknown(
        "entity",
        "entities",
        entity,
        &known,
        &ctx.corpus.display().to_string(),
    )
}
