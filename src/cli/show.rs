//! `claimdiff show ID`: one statement, its text with line numbers, and every
//! finding that involves it — with the entity's replies beside them.

use super::{Ctx, emit, exit};
use crate::engine::{CheckOptions, check};
use crate::report::{ReportInput, TableOptions, reporter};
use std::process::ExitCode;

#[derive(clap::Args, Debug)]
#[command(after_help = "Example:\n  claimdiff show hikvision/2021-04-esg-report-2020")]
pub struct Args {
    /// Statement id (`<entity>/<file stem>` unless the file sets `id`)
    id: String,
}

pub fn run(ctx: &Ctx, a: Args) -> ExitCode {
    let (rules, corpus) = match ctx.load_rules_and_corpus() {
        Ok(rc) => rc,
        Err(c) => return c,
    };
    let Some(st) = corpus.get(&a.id) else {
        let ids: Vec<&str> = corpus.statements.iter().map(|s| s.id.as_str()).collect();
        let hint = crate::error::nearest(&a.id, ids.iter().copied())
            .map(|n| format!(" (did you mean `{n}`?)"))
            .unwrap_or_default();
        eprintln!(
            "error: no statement `{}` in {}{hint}",
            a.id,
            ctx.corpus.display()
        );
        return ExitCode::from(exit::BAD_INPUT);
    };
    let out = check(&corpus, &rules, &CheckOptions::default());
    let findings: Vec<_> = out
        .findings
        .into_iter()
        .filter(|f| f.statements().contains(&st.id.as_str()))
        .collect();
    let replies: Vec<_> = corpus
        .statements
        .iter()
        .filter(|s| {
            s.id != st.id && corpus.entities.group(&s.entity) == corpus.entities.group(&st.entity)
        })
        .filter(|s| {
            matches!(
                s.kind,
                crate::corpus::Kind::PressReply | crate::corpus::Kind::Statement
            ) && s.speaker_role == Some(crate::corpus::SpeakerRole::Entity)
        })
        .collect();
    let r = emit(|w| {
        writeln!(w, "{}", st.id)?;
        let field =
            |w: &mut dyn std::io::Write, k: &str, v: Option<String>| -> std::io::Result<()> {
                if let Some(v) = v {
                    writeln!(w, "  {k:<13}{v}")
                } else {
                    Ok(())
                }
            };
        field(w, "date", Some(st.date.to_string()))?;
        field(
            w,
            "event_date",
            st.event_date.as_ref().map(|d| d.to_string()),
        )?;
        field(w, "kind", Some(st.kind.to_string()))?;
        field(
            w,
            "speaker",
            st.speaker.clone().map(|s| match st.speaker_role {
                Some(r) => format!("{s} ({r})"),
                None => s,
            }),
        )?;
        field(w, "source", st.source.clone())?;
        field(w, "url", st.url.clone())?;
        field(
            w,
            "via",
            st.via.clone().map(|v| {
                if st.second_hand() {
                    format!("{v} (second-hand: no archived copy)")
                } else {
                    v
                }
            }),
        )?;
        field(
            w,
            "topics",
            (!st.topics.is_empty()).then(|| st.topics.join(", ")),
        )?;
        field(
            w,
            "series",
            st.series_name().map(|s| {
                format!(
                    "{s} {}",
                    st.period
                        .as_ref()
                        .map(|p| p.raw.clone())
                        .unwrap_or_default()
                )
            }),
        )?;
        field(w, "note", st.note.clone())?;
        // A JSONL record holds its text as one string on one line: its lines
        // are numbered within the text, not as lines of the file.
        let (at, first) = if st.origin.jsonl {
            (
                format!(
                    "{}:{} (record; text lines numbered within it)",
                    st.origin.path.display(),
                    st.origin.body_line
                ),
                1,
            )
        } else {
            (st.origin.path.display().to_string(), st.origin.body_line)
        };
        field(w, "file", Some(at))?;
        writeln!(w)?;
        for (i, line) in st.text.lines().enumerate() {
            writeln!(w, "{:>5} | {line}", first + i)?;
        }
        writeln!(w)?;
        let rep = reporter(
            crate::report::Format::Table,
            TableOptions {
                width: ctx.width(),
                color: ctx.color,
            },
        );
        rep.write(
            &ReportInput {
                findings: &findings,
                corpus: &corpus,
                stats: &out.stats,
            },
            w,
        )?;
        if !findings.is_empty() && !replies.is_empty() {
            writeln!(
                w,
                "\nReplies from {} in the corpus (right of reply):",
                corpus.entities.display_name(&st.entity)
            )?;
            for r in &replies {
                let first = r.text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
                writeln!(w, "  {} {} ({}): {}", r.date, r.id, r.kind, first)?;
            }
        }
        Ok(())
    });
    match r {
        Ok(()) => ExitCode::from(exit::SUCCESS),
        Err(c) => c,
    }
}
