//! `claimdiff compare ID_A ID_B`: two statements' metadata side by side,
//! their texts as a word-level diff, and every finding that links them with
//! its reason (rule, order, gap).

use super::{Ctx, emit, exit};
use crate::corpus::{Corpus, Statement};
use crate::desk::diff::{Seg, render_ansi, render_plain, word_diff};
use crate::engine::{CheckOptions, check};
use comfy_table::{ContentArrangement, Table, presets};
use std::process::ExitCode;

#[derive(clap::Args, Debug)]
#[command(after_help = "\
The diff reads from A to B: [-words only in A-]{+words only in B+} (red and green on a terminal).
A and B must be two different statements (one statement and its findings: `claimdiff show ID`).

Examples:
  claimdiff compare hikvision/annual-report-2021 hikvision/annual-report-2022
  claimdiff compare hikvision/2021-04-esg-report-2020-knowingly hikvision/2023-04-prosper-red-flags --side-by-side")]
pub struct Args {
    /// First statement id (the diff's old side)
    a: String,
    /// Second statement id (the diff's new side)
    b: String,
    /// Show the two texts in two columns at terminal width instead of one merged diff
    #[arg(long)]
    side_by_side: bool,
}

fn find<'c>(corpus: &'c Corpus, id: &str, ctx: &Ctx) -> Result<&'c Statement, ExitCode> {
    corpus.get(id).ok_or_else(|| {
        let hint = crate::error::nearest(id, corpus.statements.iter().map(|s| s.id.as_str()))
            .map(|n| format!(" (did you mean `{n}`?)"))
            .unwrap_or_default();
        eprintln!(
            "error: no statement `{id}` in {}{hint}",
            ctx.corpus.display()
        );
        ExitCode::from(exit::BAD_INPUT)
    })
}

fn meta(st: &Statement) -> Vec<(&'static str, String)> {
    vec![
        ("id", st.id.clone()),
        ("date", st.date.to_string()),
        (
            "event_date",
            st.event_date
                .as_ref()
                .map(|d| d.to_string())
                .unwrap_or_default(),
        ),
        ("kind", st.kind.to_string()),
        (
            "speaker",
            match (&st.speaker, st.speaker_role) {
                (Some(s), Some(r)) => format!("{s} ({r})"),
                (Some(s), None) => s.clone(),
                (None, Some(r)) => r.to_string(),
                (None, None) => String::new(),
            },
        ),
        ("source", st.source.clone().unwrap_or_default()),
        ("url", st.url.clone().unwrap_or_default()),
        (
            "via",
            st.via
                .clone()
                .map(|v| {
                    if st.second_hand() {
                        format!("{v} (second-hand: no archived copy)")
                    } else {
                        v
                    }
                })
                .unwrap_or_default(),
        ),
        (
            "archived",
            st.archived
                .as_ref()
                .map(|p| p.display().to_string())
                .unwrap_or_default(),
        ),
        ("topics", st.topics.join(", ")),
        (
            "series",
            st.series_name()
                .map(|s| {
                    format!(
                        "{s} {}",
                        st.period.as_ref().map(|p| p.raw.as_str()).unwrap_or("")
                    )
                })
                .unwrap_or_default(),
        ),
        ("file", st.origin.path.display().to_string()),
    ]
}

/// Display width of a string: wide (CJK) characters take two columns.
fn width_of(s: &str) -> usize {
    s.chars()
        .map(|c| {
            if matches!(c as u32, 0x1100..=0x115F | 0x2E80..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6 | 0x20000..=0x3FFFD)
            {
                2
            } else {
                1
            }
        })
        .sum()
}

/// Words of one side, each with whether it changed, wrapped to `width`.
/// Returns lines as (plain width, rendered text).
fn wrap_side(
    words: &[(String, bool)],
    width: usize,
    color: bool,
    del: bool,
) -> Vec<(usize, String)> {
    let mut lines: Vec<(usize, String)> = vec![(0, String::new())];
    for (w, changed) in words {
        let shown = match (changed, color, del) {
            (false, _, _) => w.clone(),
            (true, true, true) => format!("\x1b[31m{w}\x1b[0m"),
            (true, true, false) => format!("\x1b[32m{w}\x1b[0m"),
            (true, false, true) => format!("[-{w}-]"),
            (true, false, false) => format!("{{+{w}+}}"),
        };
        let ww = if color { width_of(w) } else { width_of(&shown) };
        let last = lines.last_mut().expect("one line");
        if last.0 > 0 && last.0 + 1 + ww > width {
            lines.push((ww, shown));
        } else {
            if last.0 > 0 {
                last.1.push(' ');
                last.0 += 1;
            }
            last.0 += ww;
            last.1.push_str(&shown);
        }
    }
    lines
}

fn side_by_side(segs: &[Seg], total: usize, color: bool) -> Vec<String> {
    let col = (total.saturating_sub(3) / 2).max(20);
    let mut left: Vec<(String, bool)> = Vec::new();
    let mut right: Vec<(String, bool)> = Vec::new();
    for s in segs {
        let words = s.text().split_whitespace().map(str::to_string);
        match s {
            Seg::Same(_) => {
                for w in words {
                    left.push((w.clone(), false));
                    right.push((w, false));
                }
            }
            Seg::Del(_) => left.extend(words.map(|w| (w, true))),
            Seg::Ins(_) => right.extend(words.map(|w| (w, true))),
        }
    }
    let l = wrap_side(&left, col, color, true);
    let r = wrap_side(&right, col, color, false);
    (0..l.len().max(r.len()))
        .map(|i| {
            let (lw, ls) = l.get(i).cloned().unwrap_or_default();
            let (_, rs) = r.get(i).cloned().unwrap_or_default();
            format!("{ls}{} │ {rs}", " ".repeat(col.saturating_sub(lw)))
                .trim_end()
                .to_string()
        })
        .collect()
}

pub fn run(ctx: &Ctx, a: Args) -> ExitCode {
    let (rules, corpus) = match ctx.load_rules_and_corpus() {
        Ok(rc) => rc,
        Err(c) => return c,
    };
    let (sa, sb) = match (find(&corpus, &a.a, ctx), find(&corpus, &a.b, ctx)) {
        (Ok(x), Ok(y)) => (x, y),
        (Err(c), _) | (_, Err(c)) => return c,
    };
    // A statement against itself has nothing to compare: an empty diff
    // reads as "identical", and "the findings linking them" would be every
    // finding of that one statement, with other statements. `show` is the
    // view of one statement.
    if sa.id == sb.id {
        eprintln!(
            "error: `{}` given twice: compare needs two different statements\n  \
             to see one statement and every finding that involves it: claimdiff show {}",
            sa.id, sa.id
        );
        return ExitCode::from(exit::BAD_INPUT);
    }
    let out = check(&corpus, &rules, &CheckOptions::default());
    let linking: Vec<_> = out
        .findings
        .iter()
        .filter(|f| {
            let ids = f.statements();
            ids.contains(&sa.id.as_str()) && ids.contains(&sb.id.as_str())
        })
        .collect();
    let width = usize::from(ctx.width());
    let segs = word_diff(&sa.text, &sb.text);
    let r = emit(|w| {
        let mut tb = Table::new();
        tb.load_style(presets::UTF8_FULL_CONDENSED);
        tb.set_content_arrangement(ContentArrangement::Dynamic);
        tb.set_width(ctx.width().max(60));
        tb.force_no_tty();
        tb.set_header(vec!["", "A", "B"]);
        for ((k, va), (_, vb)) in meta(sa).into_iter().zip(meta(sb)) {
            if !va.is_empty() || !vb.is_empty() {
                tb.add_row(vec![k.to_string(), va, vb]);
            }
        }
        if crate::desk::is_reply(sa) || crate::desk::is_reply(sb) {
            tb.add_row(vec![
                "reply".to_string(),
                if crate::desk::is_reply(sa) {
                    "company reply"
                } else {
                    ""
                }
                .to_string(),
                if crate::desk::is_reply(sb) {
                    "company reply"
                } else {
                    ""
                }
                .to_string(),
            ]);
        }
        writeln!(w, "{tb}")?;
        writeln!(w)?;
        if a.side_by_side {
            writeln!(w, "text (A │ B):")?;
            for line in side_by_side(&segs, width, ctx.color) {
                writeln!(w, "{line}")?;
            }
        } else {
            writeln!(w, "text, word diff from A to B:")?;
            let d = if ctx.color {
                render_ansi(&segs)
            } else {
                render_plain(&segs)
            };
            writeln!(w, "{d}")?;
        }
        writeln!(w)?;
        if linking.is_empty() {
            writeln!(w, "No finding links these two statements.")?;
        } else {
            writeln!(w, "Findings linking them:")?;
            for f in &linking {
                let gap = match (f.order, f.days) {
                    (Some(o), Some(d)) => format!(", {}, {d} days", o.as_str()),
                    _ => String::new(),
                };
                let item = f
                    .drop
                    .as_ref()
                    .map(|d| format!(" “{}” {}", d.item_text, d.status))
                    .unwrap_or_default();
                writeln!(
                    w,
                    "  {} {} ({}{gap}){item} [{}]\n    {}",
                    f.severity.as_str().to_uppercase(),
                    f.rule,
                    f.kind.as_str(),
                    f.fingerprint,
                    f.reason
                )?;
            }
        }
        Ok(())
    });
    match r {
        Ok(()) => ExitCode::from(exit::SUCCESS),
        Err(c) => c,
    }
}
