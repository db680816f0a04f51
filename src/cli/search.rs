//! `claimdiff search REGEX`: grep over statement bodies with the selectors'
//! filters, each hit as `file:line:col` so an editor can open it.

use super::{Ctx, emit, exit};
use crate::corpus::{DateRange, Kind, SpeakerRole};
use crate::desk::{Excerpt, Filter, excerpt, search};
use std::io::IsTerminal;
use std::process::ExitCode;

#[derive(clap::Args, Debug)]
#[command(after_help = "\
Case-insensitive unless --case-sensitive. Exit 0 with or without matches (\"no matches\" on
stderr); 2 on a bad regex, shown at its column.

A row is one matching line: `file:line:col,col…: id date: line`, a column per match, the date
with the event date beside it when the statement has one (`2023-01 (event 2021-03)`);
--since/--until keep a statement by either. A line over 300 characters is cut to about 100
characters either side of its matches, `…` where text is left out; past about 1,000 characters
the row says how many matches more the line holds (JSONL gives their columns). JSONL has one
record per match, its `context` the line cut the same way around that match; `when` is the
event date, or the date when there is none.

Examples:
  claimdiff search 'knowingly|intentionally'
  claimdiff search mosque --entity hikvision --kind tender --kind contract
  claimdiff search '\\bUyghurs?\\b' --speaker-role entity --format jsonl")]
pub struct Args {
    /// Rust `regex` syntax, matched line by line
    regex: String,
    /// Only statements of this entity (or its group)
    #[arg(long, value_name = "ENTITY")]
    entity: Option<String>,
    /// Only statements of this kind (repeat for several)
    #[arg(long, value_name = "KIND", value_parser = parse_kind)]
    kind: Vec<Kind>,
    /// Only statements with this speaker role (repeat for several)
    #[arg(long, value_name = "ROLE", value_parser = parse_role)]
    speaker_role: Vec<SpeakerRole>,
    /// Only statements with this topic (and those without topics)
    #[arg(long, value_name = "TOPIC")]
    topic: Option<String>,
    /// Only statements dated (or with an event) on or after this date
    #[arg(long, value_name = "DATE", value_parser = super::parse_date_arg)]
    since: Option<DateRange>,
    /// Only statements dated (or with an event) on or before this date
    #[arg(long, value_name = "DATE", value_parser = super::parse_date_arg)]
    until: Option<DateRange>,
    /// Match case exactly
    #[arg(long, short = 's')]
    case_sensitive: bool,
    /// Output format
    #[arg(long, short = 'f', value_enum, default_value = "text")]
    format: Format,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug)]
enum Format {
    Text,
    Jsonl,
}

pub fn parse_kind(s: &str) -> Result<Kind, String> {
    Kind::parse(s).ok_or_else(|| {
        let hint = crate::error::nearest(s, Kind::names())
            .map(|n| format!(" (did you mean `{n}`?)"))
            .unwrap_or_default();
        format!(
            "`{s}` is not a kind{hint}: expected one of {}",
            Kind::names().collect::<Vec<_>>().join(", ")
        )
    })
}

pub fn parse_role(s: &str) -> Result<SpeakerRole, String> {
    SpeakerRole::parse(s).ok_or_else(|| {
        format!(
            "`{s}` is not a speaker role: expected one of {}",
            SpeakerRole::names().collect::<Vec<_>>().join(", ")
        )
    })
}

/// The regex error drawn at its column, as the loader draws file errors.
fn regex_error(pattern: &str, err: &regex::Error) -> String {
    let ast = regex_syntax::ast::parse::Parser::new().parse(pattern);
    let (col, msg) = match &ast {
        Err(e) => (
            pattern[..e.span().start.offset].chars().count() + 1,
            e.kind().to_string(),
        ),
        Ok(_) => match regex_syntax::hir::translate::Translator::new()
            .translate(pattern, ast.as_ref().expect("parsed"))
        {
            Err(e) => (
                pattern[..e.span().start.offset].chars().count() + 1,
                e.kind().to_string(),
            ),
            Ok(_) => return format!("error: invalid regex: {err}"),
        },
    };
    format!(
        "error: invalid regex: {msg}\n  --> regex:1:{col}\n  |\n1 | {pattern}\n  | {}^",
        " ".repeat(col - 1)
    )
}

/// The excerpt with its matches in bold red, for a terminal.
fn highlight(ex: &Excerpt) -> String {
    let mut out = String::new();
    let mut at = 0;
    for sp in &ex.spans {
        out.push_str(&ex.text[at..sp.start]);
        out.push_str(&format!("\x1b[1;31m{}\x1b[0m", &ex.text[sp.clone()]));
        at = sp.end;
    }
    out.push_str(&ex.text[at..]);
    out
}

pub fn run(ctx: &Ctx, a: Args) -> ExitCode {
    if let Err(c) = super::date_bounds(a.since.as_ref(), a.until.as_ref()) {
        return c;
    }
    let re = match regex::RegexBuilder::new(&a.regex)
        .case_insensitive(!a.case_sensitive)
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("{}", regex_error(&a.regex, &e));
            return ExitCode::from(exit::BAD_INPUT);
        }
    };
    let corpus = match ctx.load_corpus() {
        Ok(c) => c,
        Err(c) => return c,
    };
    if let Some(e) = &a.entity
        && let Err(c) = super::timeline::known_entity(&corpus, e, ctx)
    {
        return c;
    }
    if let Some(t) = &a.topic
        && let Err(c) = super::known_topic(ctx, t, super::statement_topics(&corpus), None)
    {
        return c;
    }
    let filter = Filter {
        entity: a.entity,
        topic: a.topic,
        kinds: a.kind,
        speaker_roles: a.speaker_role,
        since: a.since,
        until: a.until,
    };
    let hits = search(&corpus, &re, &filter);
    let color = ctx.color && std::io::stdout().is_terminal();
    let r = emit(|w| {
        for h in &hits {
            match a.format {
                // One row per line, with the columns of all its matches.
                Format::Text => {
                    let spans: Vec<_> = h.matches.iter().map(|m| m.span.clone()).collect();
                    let ex = excerpt(h.text, &spans);
                    let ctxt = if color { highlight(&ex) } else { ex.text };
                    // The columns of the matches shown; those of a long
                    // line's others are in JSONL (the row counts them).
                    let cols: Vec<String> = h
                        .matches
                        .iter()
                        .take(ex.spans.len())
                        .map(|m| m.col.to_string())
                        .collect();
                    let loc = format!("{}:{}:{}", h.path.display(), h.line, cols.join(","));
                    // The event date beside the publication date, as `check`
                    // shows a side: either may be why `--since`/`--until`
                    // kept the row.
                    let date = if h.when != h.date {
                        format!("{} (event {})", h.date, h.when)
                    } else {
                        h.date.to_string()
                    };
                    if color {
                        writeln!(
                            w,
                            "\x1b[35m{loc}\x1b[0m: \x1b[32m{}\x1b[0m {date}: {ctxt}",
                            h.statement
                        )?;
                    } else {
                        writeln!(w, "{loc}: {} {date}: {ctxt}", h.statement)?;
                    }
                }
                // One record per match, its context cut around it alone.
                Format::Jsonl => {
                    for m in &h.matches {
                        let v = serde_json::json!({
                            "statement": h.statement,
                            "date": h.date.to_string(),
                            "when": h.when.to_string(),
                            "path": h.path.display().to_string(),
                            "line": h.line,
                            "col": m.col,
                            "match": &h.text[m.span.clone()],
                            "context": excerpt(h.text, std::slice::from_ref(&m.span)).text,
                        });
                        serde_json::to_writer(&mut *w, &v)?;
                        writeln!(w)?;
                    }
                }
            }
        }
        Ok(())
    });
    if let Err(c) = r {
        return c;
    }
    if hits.is_empty() {
        eprintln!("no matches");
    }
    ExitCode::from(exit::SUCCESS)
}
