//! The terminal table of `check`: one row per finding, the quote that
//! matters wrapped, never truncated, at any width from 80 columns up.

use super::{Report, ReportInput};
use crate::corpus::Severity;
use crate::finding::{Finding, SideRef};
use comfy_table::{Cell, Color, ColumnConstraint, ContentArrangement, Table as Ct, Width, presets};
use std::io::{self, Write};

/// Layout settings decided by the CLI (it knows the terminal).
#[derive(Debug, Clone, Copy)]
pub struct TableOptions {
    pub width: u16,
    pub color: bool,
}

impl Default for TableOptions {
    fn default() -> Self {
        TableOptions {
            width: 100,
            color: false,
        }
    }
}

pub struct Table(pub TableOptions);

fn severity_color(s: Severity) -> Color {
    match s {
        Severity::Critical => Color::Magenta,
        Severity::High => Color::Red,
        Severity::Medium => Color::Yellow,
        Severity::Low => Color::Cyan,
        Severity::Info => Color::Grey,
    }
}

fn side_cell(s: &SideRef) -> String {
    let who = match (&s.speaker, &s.speaker_role) {
        (Some(sp), Some(r)) => format!("{sp} ({r})"),
        (Some(sp), None) => sp.clone(),
        (None, Some(r)) => r.clone(),
        (None, None) => String::new(),
    };
    let event = if s.when != s.date {
        format!(" (event {})", s.when)
    } else {
        String::new()
    };
    format!(
        "{}{} · {}\n{}{}\n“{}”\n{}:{}:{}",
        s.date,
        event,
        s.kind,
        s.source.as_deref().unwrap_or(&s.statement),
        if who.is_empty() {
            String::new()
        } else {
            format!(" — {who}")
        },
        s.text,
        s.path.display(),
        s.line,
        s.col
    ) + if s.second_hand {
        format!("\nsecond-hand, via {}", s.via.as_deref().unwrap_or("?"))
    } else {
        String::new()
    }
    .as_str()
}

/// A finding's three cells, as text.
fn row(i: usize, f: &Finding) -> [String; 3] {
    let mut head = format!(
        "{}\n{}\n{}",
        i + 1,
        f.severity.as_str().to_uppercase(),
        f.rule
    );
    if let (Some(o), Some(d)) = (f.order, f.days) {
        head.push_str(&format!("\n{}\n{d} days", o.as_str()));
    }
    if let Some(t) = f.evidence_total
        && t > 1
    {
        head.push_str(&format!("\n{t} evidence"));
    }
    let (a, b) = match &f.drop {
        Some(d) => {
            let ver = |v: &crate::finding::VersionRef| {
                format!(
                    "{} {}",
                    v.period.clone().unwrap_or_else(|| v.date.to_string()),
                    v.statement
                )
            };
            let item = if d.status == "unreadable" {
                format!("{}\n(version could not be split into items)", ver(&d.to))
            } else {
                format!(
                    "{}{}\n“{}”\n{}:{}",
                    ver(&d.from),
                    if d.item_section.is_empty() {
                        String::new()
                    } else {
                        format!("\nsection: {}", d.item_section)
                    },
                    d.item_text,
                    d.from.path.display(),
                    d.item_line
                )
            };
            (item, format!("{}: {}\n{}", d.status, ver(&d.to), f.reason))
        }
        None => (
            f.claim.as_ref().map(side_cell).unwrap_or_default(),
            match &f.evidence {
                Some(e) => side_cell(e) + "\n\n" + &f.reason,
                None => f.reason.clone(),
            },
        ),
    };
    [head, a, b]
}

/// The table of `rows` (each with its severity, for the colour), its
/// columns held to `constraints`.
fn layout(
    rows: &[(Severity, [String; 3])],
    opts: &TableOptions,
    constraints: [ColumnConstraint; 3],
) -> Ct {
    let mut t = Ct::new();
    t.load_style(presets::UTF8_FULL_CONDENSED);
    t.set_content_arrangement(ContentArrangement::Dynamic);
    t.set_width(opts.width.max(60));
    if !opts.color {
        t.force_no_tty();
    } else {
        t.enforce_styling();
    }
    t.set_header(vec![
        "finding",
        "claim / earlier / item",
        "evidence / later / why",
    ]);
    t.set_constraints(constraints);
    for (severity, [head, a, b]) in rows {
        let mut head = Cell::new(head);
        if opts.color {
            head = head.fg(severity_color(*severity));
        }
        t.add_row(vec![head, Cell::new(a), Cell::new(b)]);
    }
    t
}

/// The width of each column, padding included, as comfy-table laid the
/// table out: read from its top border (`┌───┬───┐`), since comfy-table
/// does not say.
fn column_widths(t: &Ct) -> Option<Vec<u16>> {
    let top = t.lines().next()?;
    let inner = top.strip_prefix('┌')?.strip_suffix('┐')?;
    inner
        .split('┬')
        .map(|s| u16::try_from(s.chars().count()).ok())
        .collect()
}

/// Breaks each word of `text` wider than `width` after a `-`, `/` or `_`
/// (which ends its line, as a hyphen does), as few times as the width
/// allows. comfy-table breaks lines only at spaces, and cuts a word too
/// wide for its column wherever the column ends (`child-labour-denia` /
/// `l`); ids, paths and order labels have no spaces, so this is where they
/// break. A word with a part still too wide for the column is left whole,
/// for comfy-table to cut as before. Widths count characters: a word of
/// wide characters may still be cut by comfy-table.
fn break_words(text: &str, width: usize) -> String {
    let len = |s: &str| s.chars().count();
    let break_word = |word: &str| -> String {
        let parts = word.split_inclusive(['-', '/', '_']);
        if len(word) <= width || parts.clone().any(|p| len(p) > width) {
            return word.to_string();
        }
        let mut lines: Vec<String> = vec![String::new()];
        for part in parts {
            let last = lines.last_mut().expect("one line at least");
            if len(last) + len(part) > width {
                lines.push(part.to_string());
            } else {
                last.push_str(part);
            }
        }
        lines.join("\n")
    };
    text.split('\n')
        .map(|line| {
            line.split(' ')
                .map(break_word)
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

impl Report for Table {
    fn write(&self, input: &ReportInput, out: &mut dyn Write) -> io::Result<()> {
        let opts = &self.0;
        if input.findings.is_empty() {
            writeln!(
                out,
                "No findings in {} statement(s) with {} rule(s).",
                input.stats.statements, input.stats.rules
            )?;
            return Ok(());
        }
        let rows: Vec<(Severity, [String; 3])> = input
            .findings
            .iter()
            .enumerate()
            .map(|(i, f)| (f.severity, row(i, f)))
            .collect();
        let mut t = layout(
            &rows,
            opts,
            [
                ColumnConstraint::UpperBoundary(Width::Fixed(20)),
                ColumnConstraint::LowerBoundary(Width::Fixed(24)),
                ColumnConstraint::LowerBoundary(Width::Fixed(24)),
            ],
        );
        // Laid out once to learn the widths; where an id or a path is too
        // wide for its column, broken at its separators and laid out again
        // at the same widths, so nothing else moves.
        if let Some(widths) = column_widths(&t).filter(|w| w.len() == 3) {
            let content: Vec<usize> = (0..3)
                .map(|c| {
                    let padding = t.column(c).map_or(2, |col| col.padding_width());
                    usize::from(widths[c].saturating_sub(padding))
                })
                .collect();
            let broken: Vec<(Severity, [String; 3])> = rows
                .iter()
                .map(|(s, cells)| {
                    let cells = std::array::from_fn(|c| break_words(&cells[c], content[c]));
                    (*s, cells)
                })
                .collect();
            if broken != rows {
                let fixed = |c: usize| ColumnConstraint::Absolute(Width::Fixed(widths[c]));
                t = layout(&broken, opts, [fixed(0), fixed(1), fixed(2)]);
            }
        }
        writeln!(out, "{t}")?;
        let mut counts = Vec::new();
        for s in Severity::ALL.iter().rev() {
            let n = input.findings.iter().filter(|f| f.severity == *s).count();
            if n > 0 {
                counts.push(format!("{n} {s}"));
            }
        }
        writeln!(
            out,
            "{} finding(s) ({}) in {} statement(s), {} rule(s).",
            input.findings.len(),
            counts.join(", "),
            input.stats.statements,
            input.stats.rules
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_break_after_separators_or_not_at_all() {
        let id = "dropped-disclosure-xinjiang";
        assert_eq!(
            break_words(&format!("HIGH\n{id}"), 18),
            "HIGH\ndropped-\ndisclosure-\nxinjiang"
        );
        assert_eq!(break_words(id, 27), id);
        assert_eq!(
            break_words("dropped: 2023 acme/annual_report-2023", 20),
            "dropped: 2023 acme/annual_report-\n2023"
        );
        // A part wider than the column: left whole, for comfy-table to cut.
        assert_eq!(break_words("knowledge-denial", 6), "knowledge-denial");
    }

    #[test]
    fn column_widths_are_read_from_the_layout() {
        let rows = [(
            Severity::High,
            ["1".to_string(), "a".repeat(30), "b".repeat(30)],
        )];
        let t = layout(
            &rows,
            &TableOptions {
                width: 80,
                color: false,
            },
            [
                ColumnConstraint::Absolute(Width::Fixed(12)),
                ColumnConstraint::Absolute(Width::Fixed(30)),
                ColumnConstraint::Absolute(Width::Fixed(34)),
            ],
        );
        assert_eq!(column_widths(&t), Some(vec![12, 30, 34]));
    }
}
