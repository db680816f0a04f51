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

fn row(i: usize, f: &Finding, opts: &TableOptions) -> Vec<Cell> {
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
    let mut head_cell = Cell::new(head);
    if opts.color {
        head_cell = head_cell.fg(severity_color(f.severity));
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
    vec![head_cell, Cell::new(a), Cell::new(b)]
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
        t.set_constraints([
            ColumnConstraint::UpperBoundary(Width::Fixed(20)),
            ColumnConstraint::LowerBoundary(Width::Fixed(24)),
            ColumnConstraint::LowerBoundary(Width::Fixed(24)),
        ]);
        for (i, f) in input.findings.iter().enumerate() {
            t.add_row(row(i, f, opts));
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
