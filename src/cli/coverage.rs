//! `claimdiff coverage ENTITY`: kinds × topics of what the corpus holds for
//! an entity, with the empty cells shown, so missing evidence is visible.

use super::{Ctx, emit, exit};
use crate::corpus::{DateRange, SpeakerRole};
use crate::desk::{Filter, coverage};
use crate::report::coverage as render;
use std::process::ExitCode;

#[derive(clap::Args, Debug)]
#[command(after_help = "\
Examples:
  claimdiff coverage hikvision
  claimdiff coverage hikvision --speaker-role entity     # what the company itself said, by topic")]
pub struct Args {
    /// Entity id (its whole group is counted)
    entity: String,
    /// Only statements with this speaker role (entity, agent, third-party, government)
    #[arg(long, value_name = "ROLE", value_parser = super::search::parse_role)]
    speaker_role: Option<SpeakerRole>,
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
    Json,
}

pub fn run(ctx: &Ctx, a: Args) -> ExitCode {
    if let Err(c) = super::date_bounds(a.since.as_ref(), a.until.as_ref()) {
        return c;
    }
    let corpus = match ctx.load_corpus() {
        Ok(c) => c,
        Err(c) => return c,
    };
    if let Err(c) = super::timeline::known_entity(&corpus, &a.entity, ctx) {
        return c;
    }
    let filter = Filter {
        entity: Some(a.entity),
        speaker_roles: a.speaker_role.into_iter().collect(),
        since: a.since,
        until: a.until,
        ..Default::default()
    };
    let c = coverage(&corpus, &filter);
    let r = emit(|w| match a.format {
        Format::Table => render::write_table(&c, ctx.width(), ctx.color, w),
        Format::Json => render::write_json(&c, w),
    });
    match r {
        Ok(()) => ExitCode::from(exit::SUCCESS),
        Err(c) => c,
    }
}
