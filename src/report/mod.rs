//! Output: one `Report` implementation per format. Only this module knows
//! JSON, CSV, Markdown and table layout; findings stay plain Rust values
//! until they reach it.

pub mod diff;
mod json;
mod table;

// Views of the fact-checker's desk (issue 4).
pub mod claimreview;
pub mod coverage;
pub mod html;
pub mod timeline;

pub use json::{finding_json, side_json};
pub use table::TableOptions;

use crate::corpus::Corpus;
use crate::engine::Stats;
use crate::finding::Finding;
use std::io::{self, Write};

/// Output formats of `check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Table,
    Json,
    Jsonl,
    Csv,
    Markdown,
    /// schema.org ClaimReview JSON-LD; see `claimreview` for the rating scale.
    Claimreview,
}

/// Everything a report may show.
pub struct ReportInput<'a> {
    pub findings: &'a [Finding],
    pub corpus: &'a Corpus,
    pub stats: &'a Stats,
}

/// Writes findings in one format.
pub trait Report {
    fn write(&self, input: &ReportInput, out: &mut dyn Write) -> io::Result<()>;
}

pub fn reporter(format: Format, table: TableOptions) -> Box<dyn Report> {
    match format {
        Format::Table => Box::new(table::Table(table)),
        Format::Json => Box::new(json::Json),
        Format::Jsonl => Box::new(json::Jsonl),
        Format::Csv => Box::new(Csv),
        Format::Markdown => Box::new(Markdown),
        // Without a reviewing organisation: `check` builds its own with the
        // `[review]` settings and `--review-date`.
        Format::Claimreview => Box::new(claimreview::ClaimReview(claimreview::ReviewOptions {
            date: chrono::Local::now().date_naive().to_string(),
            ..Default::default()
        })),
    }
}

struct Csv;

impl Report for Csv {
    fn write(&self, input: &ReportInput, out: &mut dyn Write) -> io::Result<()> {
        let mut w = csv::Writer::from_writer(out);
        w.write_record([
            "fingerprint",
            "rule",
            "kind",
            "severity",
            "entity",
            "message",
            "order",
            "days",
            "claim_statement",
            "claim_date",
            "claim_when",
            "claim_source",
            "claim_url",
            "claim_line",
            "claim_col",
            "claim_text",
            "evidence_statement",
            "evidence_date",
            "evidence_when",
            "evidence_source",
            "evidence_url",
            "evidence_line",
            "evidence_col",
            "evidence_text",
            "status",
            "item",
            "section",
            "reason",
        ])?;
        for f in input.findings {
            let s = |x: Option<&crate::finding::SideRef>, k: &str| -> String {
                x.map_or(String::new(), |x| match k {
                    "id" => x.statement.clone(),
                    "date" => x.date.to_string(),
                    "when" => x.when.to_string(),
                    "source" => x.source.clone().unwrap_or_default(),
                    "url" => x.url.clone().unwrap_or_default(),
                    "line" => x.line.to_string(),
                    "col" => x.col.to_string(),
                    _ => x.text.clone(),
                })
            };
            let (c, e) = (f.claim.as_ref(), f.evidence.as_ref());
            let (c, e) = match &f.drop {
                Some(_) => (None, None),
                None => (c, e),
            };
            let mut rec: Vec<String> = vec![
                f.fingerprint.clone(),
                f.rule.clone(),
                f.kind.as_str().into(),
                f.severity.to_string(),
                f.entity.clone(),
                f.message.clone(),
                f.order.map(|o| o.as_str().to_string()).unwrap_or_default(),
                f.days.map(|d| d.to_string()).unwrap_or_default(),
            ];
            // A side's columns, in header order; `when` (the event date
            // when there is one) is the date the order and `days` come from.
            const SIDE: [&str; 8] = ["id", "date", "when", "source", "url", "line", "col", "text"];
            for k in SIDE {
                rec.push(s(c, k));
            }
            for k in SIDE {
                rec.push(s(e, k));
            }
            if let Some(d) = &f.drop {
                // The claim columns hold the older version, the evidence
                // columns the newer one.
                let (claim, evidence) = (8, 8 + SIDE.len());
                rec[claim] = d.from.statement.clone();
                rec[claim + 1] = d.from.date.to_string();
                rec[claim + 5] = d.item_line.to_string();
                rec[evidence] = d.to.statement.clone();
                rec[evidence + 1] = d.to.date.to_string();
                rec.extend([
                    d.status.clone(),
                    d.item_text.clone(),
                    d.item_section.clone(),
                ]);
            } else {
                rec.extend([String::new(), String::new(), String::new()]);
            }
            rec.push(f.reason.clone());
            w.write_record(&rec)?;
        }
        w.flush()
    }
}

struct Markdown;

fn md(s: &str) -> String {
    md_text(s, " ")
}

/// Text for a Markdown table cell, shown as written: a quote or a source
/// may hold `<Annex B>` (a renderer allowing inline HTML would drop it),
/// `|` (would split the cell), or `*`, `_`, `[`, `` ` `` (would turn into
/// emphasis, links, code). Newlines become `newline` (a space, or `<br>`).
pub(crate) fn md_text(s: &str, newline: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\\' | '|' | '[' | ']' | '`' | '*' | '_' | '~' => {
                out.push('\\');
                out.push(c);
            }
            '\n' => out.push_str(newline),
            '\r' => {}
            _ => out.push(c),
        }
    }
    out
}

/// A Markdown link to `url` with `text` (already escaped), or the text
/// alone when the URL is not http(s): a `javascript:` or `data:` URL from
/// a statement's front matter must not become a link in a published page.
/// Characters that would end the link or split the table cell are
/// percent-encoded.
pub(crate) fn md_link(text: &str, url: &str) -> String {
    let Some(url) = html::safe_url(url) else {
        return text.to_string();
    };
    let mut u = String::with_capacity(url.len());
    for c in url.trim().chars() {
        match c {
            '|' | '<' | '>' | '(' | ')' | '"' | '`' | '\\' | '[' | ']' => {
                u.push_str(&format!("%{:02X}", c as u32));
            }
            c if c.is_whitespace() => u.push_str("%20"),
            c => u.push(c),
        }
    }
    format!("[{text}]({u})")
}

impl Report for Markdown {
    fn write(&self, input: &ReportInput, out: &mut dyn Write) -> io::Result<()> {
        writeln!(
            out,
            "| # | severity | rule | claim | evidence | order | why |"
        )?;
        writeln!(out, "|---|---|---|---|---|---|---|")?;
        for (i, f) in input.findings.iter().enumerate() {
            let side = |s: &Option<crate::finding::SideRef>| {
                s.as_ref().map_or(String::new(), |s| {
                    let src = md(s.source.as_deref().unwrap_or(&s.statement));
                    let src = match &s.url {
                        Some(u) => md_link(&src, u),
                        None => src,
                    };
                    // The event date beside the publication date: the
                    // order and the gap are computed from it.
                    let event = if s.when != s.date {
                        format!(" (event {})", s.when)
                    } else {
                        String::new()
                    };
                    format!(
                        "{}{event} · {}{}<br>“{}”<br>`{}:{}`",
                        s.date,
                        src,
                        if s.second_hand { " (second-hand)" } else { "" },
                        md(&s.text),
                        s.statement,
                        s.line
                    )
                })
            };
            let (claim, evidence, order) = match &f.drop {
                Some(d) => (
                    format!(
                        "{} · {}<br>“{}”",
                        d.from.period.clone().unwrap_or_default(),
                        md(&d.from.statement),
                        md(&d.item_text)
                    ),
                    format!(
                        "{} · {}: {}",
                        d.to.period.clone().unwrap_or_default(),
                        md(&d.to.statement),
                        d.status
                    ),
                    String::new(),
                ),
                None => (
                    side(&f.claim),
                    side(&f.evidence),
                    f.order.map_or(String::new(), |o| {
                        format!("{} ({} days)", o.as_str(), f.days.unwrap_or(0))
                    }),
                ),
            };
            writeln!(
                out,
                "| {} | {} | {} | {} | {} | {} | {} |",
                i + 1,
                f.severity,
                md(&f.rule),
                claim,
                evidence,
                order,
                md(&f.reason)
            )?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod md_tests {
    use super::{md_link, md_text};

    /// Audit 3 #7: quotes and sources went into Markdown cells raw.
    #[test]
    fn text_cells_show_markup_as_written() {
        assert_eq!(
            md_text("see <Annex B> | a*b_c [x](y) `z` ~w~ & \\", " "),
            "see &lt;Annex B&gt; \\| a\\*b\\_c \\[x\\](y) \\`z\\` \\~w\\~ &amp; \\\\"
        );
        assert_eq!(md_text("a\nb", "<br>"), "a<br>b");
        assert_eq!(md_text("a\r\nb", " "), "a b");
    }

    #[test]
    fn only_http_urls_become_links() {
        assert_eq!(md_link("t", "javascript:alert(1)"), "t");
        assert_eq!(md_link("t", " JavaScript:alert(1)"), "t");
        assert_eq!(md_link("t", "data:text/html,x"), "t");
        assert_eq!(md_link("t", "HTTPS://e.org/a"), "[t](HTTPS://e.org/a)");
        assert_eq!(
            md_link("t", "https://e.org/a b|(c)<d>"),
            "[t](https://e.org/a%20b%7C%28c%29%3Cd%3E)"
        );
    }
}
