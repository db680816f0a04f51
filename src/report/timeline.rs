//! Renders the desk's timeline (`claimdiff timeline`) as a terminal table,
//! Markdown or JSON. Every row is numbered `#n` so a finding can point from
//! one row to the other in a few characters.

use crate::desk::{Mark, Timeline, TimelineRow, ranges};
use comfy_table::{Cell, Color, ColumnConstraint, ContentArrangement, Table, Width, presets};
use serde_json::{Value, json};
use std::io::{self, Write};

/// How the row's date is shown: its own precision, plus the event date when
/// the row is ordered by one.
fn date_cell(r: &TimelineRow) -> String {
    if r.when != r.date {
        format!("{}\n(event {})", r.date, r.when)
    } else {
        r.date.to_string()
    }
}

fn who(r: &TimelineRow) -> String {
    let mut s = r.kind.to_string();
    if let Some(sp) = &r.speaker {
        s.push('\n');
        s.push_str(sp);
    }
    if let Some(role) = r.speaker_role {
        s.push_str(&format!(" ({role})"));
    }
    if r.reply {
        s.push_str("\n↩ company reply");
    }
    s
}

/// The first line of the quote, cut at `max` characters.
pub fn quote_line(r: &TimelineRow, max: usize) -> String {
    let q = &r.first_line;
    if q.chars().count() > max {
        format!("{}…", q.chars().take(max).collect::<String>().trim_end())
    } else {
        q.clone()
    }
}

fn quoted(r: &TimelineRow, max: usize) -> String {
    if r.first_line.is_empty() {
        if r.empty {
            "(lists no items)".to_string()
        } else {
            "(no text)".to_string()
        }
    } else {
        format!("“{}”", quote_line(r, max))
    }
}

fn quote_cell(r: &TimelineRow) -> String {
    let mut s = format!(
        "{}\n{}",
        r.source.as_deref().unwrap_or(&r.id),
        quoted(r, 90)
    );
    if r.second_hand {
        s.push_str(&format!(
            "\nsecond-hand, via {}",
            r.via.as_deref().unwrap_or("?")
        ));
    }
    s
}

/// Findings and order notes of a row, one per line.
pub fn marks_text(r: &TimelineRow) -> Vec<String> {
    let mut v: Vec<String> = r.marks.iter().map(|m: &Mark| m.text.clone()).collect();
    if !r.uncertain_with.is_empty() {
        v.push(format!("order uncertain: {}", ranges(&r.uncertain_with)));
    }
    v
}

pub fn write_table(t: &Timeline, width: u16, color: bool, out: &mut dyn Write) -> io::Result<()> {
    let mut tb = Table::new();
    tb.load_style(presets::UTF8_FULL_CONDENSED);
    tb.set_content_arrangement(ContentArrangement::DynamicFullWidth);
    tb.set_width(width.max(60));
    tb.set_header(vec![
        "#",
        "date",
        "kind · speaker",
        "source · quote",
        "findings",
    ]);
    if !color {
        tb.force_no_tty();
    } else {
        tb.enforce_styling();
    }
    for r in &t.rows {
        let marks = marks_text(r).join("\n");
        let mut mc = Cell::new(&marks);
        let mut nc = Cell::new(format!("#{}", r.n));
        if color && !r.marks.is_empty() {
            mc = mc.fg(Color::Red);
            nc = nc.fg(Color::Red);
        }
        tb.add_row(vec![
            nc,
            Cell::new(date_cell(r)),
            Cell::new(who(r)),
            Cell::new(quote_cell(r)),
            mc,
        ]);
    }
    // The quote and the findings get the width; date and speaker only what
    // they need. Bounds still fit 80 columns (16 go to borders and padding).
    let text = ((usize::from(width.max(60)) - 16 - 3 - 15 - 20) / 2).max(18) as u16;
    tb.set_constraints([
        ColumnConstraint::Boundaries {
            lower: Width::Fixed(3),
            upper: Width::Fixed(4),
        },
        ColumnConstraint::Boundaries {
            lower: Width::Fixed(10),
            upper: Width::Fixed(15),
        },
        ColumnConstraint::Boundaries {
            lower: Width::Fixed(12),
            upper: Width::Fixed(20),
        },
        ColumnConstraint::LowerBoundary(Width::Fixed(text)),
        ColumnConstraint::LowerBoundary(Width::Fixed(text)),
    ]);
    writeln!(out, "{tb}")?;
    let marked = t.rows.iter().filter(|r| !r.marks.is_empty()).count();
    writeln!(
        out,
        "{} statement(s) of {} in date order (event date when known); {} with findings.",
        t.rows.len(),
        t.name,
        marked
    )
}

fn md(s: &str) -> String {
    super::md_text(s, "<br>")
}

pub fn write_markdown(t: &Timeline, out: &mut dyn Write) -> io::Result<()> {
    writeln!(
        out,
        "| # | date | kind · speaker | source · quote | findings |"
    )?;
    writeln!(out, "|---|---|---|---|---|")?;
    for r in &t.rows {
        let src = r.source.as_deref().unwrap_or(&r.id);
        let src = match &r.url {
            Some(u) => super::md_link(&md(src), u),
            None => md(src),
        };
        let mut q = format!("{src}<br>{}", md(&quoted(r, 160)));
        if r.second_hand {
            q.push_str(&format!(
                "<br>*second-hand, via {}*",
                md(r.via.as_deref().unwrap_or("?"))
            ));
        }
        writeln!(
            out,
            "| {} | {} | {} | {} | {} |",
            r.n,
            md(&date_cell(r)),
            md(&who(r)),
            q,
            md(&marks_text(r).join("\n"))
        )?;
    }
    Ok(())
}

pub fn timeline_json(t: &Timeline) -> Value {
    json!({
        "entity": t.entity,
        "name": t.name,
        "rows": t.rows.iter().map(|r| json!({
            "n": r.n,
            "statement": r.id,
            "date": r.date.to_string(),
            "when": r.when.to_string(),
            "kind": r.kind.as_str(),
            "speaker": r.speaker,
            "speaker_role": r.speaker_role.map(|x| x.as_str()),
            "source": r.source,
            "url": r.url,
            "via": r.via,
            "second_hand": r.second_hand,
            "reply": r.reply,
            "path": r.path.display().to_string(),
            "first_line": r.first_line,
            "order_uncertain_with": r.uncertain_with,
            "findings": r.marks.iter().map(|m| json!({
                "fingerprint": m.fingerprint,
                "rule": m.rule,
                "text": m.text,
                "other": m.other,
            })).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
    })
}

pub fn write_json(t: &Timeline, out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &timeline_json(t))?;
    writeln!(out)
}
