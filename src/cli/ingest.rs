//! `claimdiff ingest FILE`: a .txt/.md/.html/.pdf file becomes a statement
//! file under `statements/<entity>/`, then its disclosure diff against the
//! previous version of its series is printed.

use super::{Ctx, diag, exit};
use crate::ingest::{
    NewStatement, WriteRefused, extract_text, implied_speaker_role, write_checked,
};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args, Debug)]
#[command(after_help = "\
Examples:
  claimdiff ingest acme-10k-2024.pdf --entity acme --kind annual-report --date 2025-02 \\
      --series annual-report --period 2024 --source \"Acme 2024 Form 10-K\" --url https://…
  claimdiff ingest reply.html --entity acme --kind press-reply --date 2024-06-03
  claimdiff ingest talk.html --entity acme --kind interview --date 2024-06-03 \\
      --speaker \"Acme CEO\" --speaker-role entity
  claimdiff ingest acme-10k-2025.pdf --entity acme --kind annual-report --date 2026-02 --period 2025 --only dropped

The file is written as statements/<entity>/<series or kind>-<period or date>.md (or --stem);
an existing file is never overwritten. HTML goes through html2text, PDF through pdf-extract;
a PDF without a text layer is refused (OCR it first). Nothing is written on any error.
Without --speaker-role, the role the kind implies is written (entity for the company's own
reports, filings and releases; a note says so), or none, with a warning (see --speaker-role).")]
pub struct Args {
    /// The source file: .txt, .md, .html or .pdf (content is sniffed, the extension is a hint)
    file: PathBuf,
    /// Who the statement is by or about: its folder under statements/,
    /// e.g. acme
    #[arg(long)]
    entity: String,
    /// What the document is: annual-report, interim-report, esg-report
    /// (these three form a series on their own), filing, press-release,
    /// press-reply, contract, tender, investigation, media-report, … (a
    /// value not known is refused with the whole list)
    #[arg(long)]
    kind: String,
    /// YYYY, YYYY-MM or YYYY-MM-DD: the precision the source gives
    #[arg(long)]
    date: String,
    /// Series name, e.g. annual-report (periodic kinds default to their kind)
    #[arg(long)]
    series: Option<String>,
    /// 2024, 2024-Q3 or 2024-H1
    #[arg(long)]
    period: Option<String>,
    /// Where the text was published, as a reader would cite it, e.g. "Acme
    /// 2024 Form 10-K"
    #[arg(long)]
    source: Option<String>,
    /// Address of the published document
    #[arg(long)]
    url: Option<String>,
    /// Who said it, as named in the source (a person or an office)
    #[arg(long)]
    speaker: Option<String>,
    /// entity, agent, third-party or government. Without it, the role the
    /// kind implies is written, and a note says so: entity for the
    /// company's own publications (annual-report, interim-report,
    /// esg-report, filing, prospectus, press-release, press-reply,
    /// earnings-call, advertisement), third-party for media-report and
    /// academic, government for government-action. Other kinds get none,
    /// with a warning: rules that select on speaker_roles (as `claimdiff
    /// init`'s do) never match a statement without one
    #[arg(long)]
    speaker_role: Option<String>,
    /// Language of the text, e.g. zh (default en)
    #[arg(long)]
    lang: Option<String>,
    /// Topic (repeatable)
    #[arg(long = "topic")]
    topics: Vec<String>,
    /// File name to write, without .md
    #[arg(long)]
    stem: Option<String>,
    /// In the diff printed after writing, list only items of these statuses
    /// (repeat or separate by commas), e.g. --only dropped
    #[arg(long, value_enum, value_delimiter = ',')]
    only: Vec<super::diff::Only>,
}

pub fn run(ctx: &Ctx, a: Args) -> ExitCode {
    // A statement without a speaker_role fails every `speaker_roles`
    // selector in silence, as one without a kind would fail `kinds`: the
    // role a kind implies is filled in, and said (after the write).
    let implied = match a.speaker_role {
        Some(_) => None,
        None => implied_speaker_role(&a.kind),
    };
    let meta = NewStatement {
        entity: a.entity.clone(),
        kind: a.kind.clone(),
        date: a.date.clone(),
        series: a.series.clone(),
        period: a.period.clone(),
        source: a.source.clone(),
        url: a.url.clone(),
        speaker: a.speaker.clone(),
        speaker_role: a.speaker_role.clone().or(implied.map(str::to_string)),
        lang: a.lang.clone(),
        topics: a.topics.clone(),
        stem: a.stem.clone(),
    };
    // Every check before anything is read or written.
    if let Err(e) = meta.validate() {
        eprintln!("error: {e}");
        return ExitCode::from(exit::BAD_INPUT);
    }
    let extracted = match extract_text(&a.file) {
        Ok(x) => x,
        Err(e) => {
            eprintln!("error: {e}\n  nothing was written");
            return ExitCode::from(exit::BAD_INPUT);
        }
    };
    let (path, loaded) = match write_checked(
        &ctx.corpus,
        &meta,
        &extracted.text,
        &crate::corpus::LoadOptions::default(),
    ) {
        Ok(x) => x,
        Err(WriteRefused::Statement(e)) => {
            eprintln!("error: {e}\n  nothing was written");
            return ExitCode::from(exit::BAD_INPUT);
        }
        Err(WriteRefused::Corpus(problems)) => {
            for d in &problems {
                eprintln!("{}", diag::render(d));
            }
            eprintln!(
                "error: with this file the corpus would have the problem(s) above; nothing was written"
            );
            return ExitCode::from(exit::BAD_INPUT);
        }
    };
    eprintln!(
        "wrote {} ({} from {}, {} characters, source sha256 {})",
        path.display(),
        extracted.format,
        a.file.display(),
        extracted.text.chars().count(),
        extracted.sha256
    );
    if a.speaker_role.is_none() {
        say_speaker_role(&a.kind, implied);
    }
    // The new version against the one before it, when it is part of a series.
    let corpus = match loaded {
        Ok(c) => c,
        Err(d) => {
            eprintln!(
                "note: the statement was written, but the corpus had problems already; no diff shown:"
            );
            return diag::report_all(&d);
        }
    };
    let Some(new) = corpus.statements.iter().find(|s| s.origin.path == path) else {
        return ExitCode::from(exit::SUCCESS);
    };
    let Some(series) = new.series_name().map(str::to_string) else {
        // A periodic kind without a period is the usual slip: say how to
        // make the file a version of its series.
        eprintln!(
            "(not part of a series: no disclosure diff; a version of a series needs --period, \
             and --series unless the kind is annual-report, interim-report or esg-report)"
        );
        return ExitCode::from(exit::SUCCESS);
    };
    warn_identical(&corpus, new, &series);
    super::diff::print_previous(ctx, &corpus, new, &series, &a.only)
}

/// Says which speaker_role ingest chose for a statement given none, or
/// warns that it has none and which rules that makes it invisible to.
fn say_speaker_role(kind: &str, implied: Option<&str>) {
    let why = match implied {
        Some("entity") => format!("the company's own {kind}"),
        Some("government") => format!("a {kind} is the government's"),
        Some(_) => format!("a {kind} speaks for its author, not the company"),
        None => {
            eprintln!(
                "warning: no speaker_role: kind `{kind}` does not say who speaks, and rules that select \
                 on `speaker_roles` (as `claimdiff init`'s do) will not match this statement; \
                 --speaker-role entity|agent|third-party|government to set one"
            );
            return;
        }
    };
    eprintln!(
        "note: speaker_role = {} ({why}); --speaker-role to change",
        implied.unwrap_or_default()
    );
}

/// Warns when the new version has the same text as a version it is diffed
/// with (the one before it, and the one after it for a back-filled
/// period): "0 dropped" would otherwise read as a real new filing that
/// drops nothing, when it may be the old file ingested again. The file
/// stays, since a company can re-file a report unchanged, and losing that
/// version would be worse; this is not a corpus problem, so `write_checked`
/// does not remove it.
fn warn_identical(corpus: &crate::corpus::Corpus, new: &crate::corpus::Statement, series: &str) {
    let vs = crate::engine::versions(corpus, &new.entity, series);
    let Some(pos) = vs.iter().position(|s| s.id == new.id) else {
        return;
    };
    let neighbours = [pos.checked_sub(1), Some(pos + 1)];
    for other in neighbours.into_iter().flatten().filter_map(|i| vs.get(i)) {
        if other.text.trim() == new.text.trim() {
            let at = if other.origin.jsonl {
                format!("{}:{}", other.origin.path.display(), other.origin.body_line)
            } else {
                other.origin.path.display().to_string()
            };
            eprintln!(
                "warning: {} is identical to {at}: no change to report",
                new.origin.path.display()
            );
        }
    }
}
