//! Renders the coverage matrix (`claimdiff coverage`): kinds down, topics
//! across, every cell shown — an empty cell is `·`, never left out, so what
//! the corpus lacks (no contract on a topic, no filing in a year) is as
//! visible as what it holds.

use crate::desk::Coverage;
use serde_json::json;
use std::io::{self, Write};

/// The mark of an empty cell.
pub const EMPTY: &str = "·";

fn shown(n: usize) -> String {
    if n == 0 {
        EMPTY.to_string()
    } else {
        n.to_string()
    }
}

/// A plain matrix rather than a boxed table: small numbers under many
/// topic names need every column of the terminal. Topic names break at
/// their hyphens; when they still do not fit, columns are numbered and a
/// legend names them.
pub fn write_table(c: &Coverage, width: u16, color: bool, out: &mut dyn Write) -> io::Result<()> {
    let kind_w = c
        .kinds
        .iter()
        .map(|k| k.as_str().len())
        .max()
        .unwrap_or(4)
        .max(9);
    let mut heads: Vec<Vec<String>> = c
        .topics
        .iter()
        .map(|t| {
            let parts: Vec<&str> = t.split_inclusive('-').collect();
            parts.iter().map(|p| p.to_string()).collect()
        })
        .collect();
    heads.push(vec!["all".into()]);
    let col_w = |h: &[Vec<String>]| -> Vec<usize> {
        h.iter()
            .map(|lines| {
                lines
                    .iter()
                    .map(|l| l.chars().count())
                    .max()
                    .unwrap_or(1)
                    .max(3)
            })
            .collect()
    };
    let mut widths = col_w(&heads);
    let total: usize = kind_w + widths.iter().map(|w| w + 1).sum::<usize>();
    let legend = total > usize::from(width);
    if legend {
        heads = (1..=c.topics.len())
            .map(|i| vec![format!("T{i}")])
            .chain(std::iter::once(vec!["all".to_string()]))
            .collect();
        widths = col_w(&heads);
    }
    let (dim, bold, reset) = if color {
        ("\x1b[2m", "\x1b[1m", "\x1b[0m")
    } else {
        ("", "", "")
    };
    let depth = heads.iter().map(Vec::len).max().unwrap_or(1);
    for d in 0..depth {
        let mut line = if d + 1 == depth {
            format!("{:<kind_w$}", "kind \\ topic")
        } else {
            " ".repeat(kind_w)
        };
        for (h, w) in heads.iter().zip(&widths) {
            // Bottom-aligned, so one-line names sit on the last header line.
            let idx = (d + h.len()).checked_sub(depth);
            let text = idx.and_then(|i| h.get(i)).map_or("", String::as_str);
            line.push_str(&format!(" {text:>w$}"));
        }
        writeln!(out, "{bold}{}{reset}", line.trim_end())?;
    }
    let rule = kind_w + widths.iter().map(|w| w + 1).sum::<usize>();
    writeln!(out, "{}", "─".repeat(rule))?;
    let row = |label: &str, cells: Vec<usize>| -> String {
        let mut line = format!("{label:<kind_w$}");
        for (n, w) in cells.into_iter().zip(&widths) {
            let v = shown(n);
            if n == 0 {
                line.push_str(&format!(" {dim}{v:>w$}{reset}"));
            } else {
                line.push_str(&format!(" {v:>w$}"));
            }
        }
        line
    };
    for (k, kind) in c.kinds.iter().enumerate() {
        let mut cells: Vec<usize> = (0..c.topics.len()).map(|t| c.counts[t][k]).collect();
        cells.push(c.kind_totals[k]);
        writeln!(out, "{}", row(kind.as_str(), cells))?;
    }
    writeln!(out, "{}", "─".repeat(rule))?;
    let mut cells = c.topic_totals.clone();
    cells.push(c.statements);
    writeln!(out, "{}", row("all kinds", cells))?;
    if legend {
        let names: Vec<String> = c
            .topics
            .iter()
            .enumerate()
            .map(|(i, t)| format!("T{} = {t}", i + 1))
            .collect();
        writeln!(out, "{}", names.join(", "))?;
    }
    let empty: Vec<&str> = c
        .kinds
        .iter()
        .zip(&c.kind_totals)
        .filter(|(_, n)| **n == 0)
        .map(|(k, _)| k.as_str())
        .collect();
    writeln!(
        out,
        "{} statement(s) of {}; a statement with several topics counts once per topic. \
         {EMPTY} = none in the corpus.",
        c.statements, c.name
    )?;
    if !empty.is_empty() {
        writeln!(out, "No statement of kind: {}.", empty.join(", "))?;
    }
    Ok(())
}

pub fn write_json(c: &Coverage, out: &mut dyn Write) -> io::Result<()> {
    let v = json!({
        "entity": c.entity,
        "name": c.name,
        "statements": c.statements,
        "topics": c.topics,
        "kinds": c.kinds.iter().map(|k| k.as_str()).collect::<Vec<_>>(),
        "counts": c.topics.iter().enumerate().map(|(t, name)| json!({
            "topic": name,
            "total": c.topic_totals[t],
            "by_kind": c.kinds.iter().enumerate().map(|(k, kind)| (kind.as_str().to_string(), json!(c.counts[t][k]))).collect::<serde_json::Map<_, _>>(),
        })).collect::<Vec<_>>(),
        "kind_totals": c.kinds.iter().enumerate().map(|(k, kind)| (kind.as_str().to_string(), json!(c.kind_totals[k]))).collect::<serde_json::Map<_, _>>(),
    });
    serde_json::to_writer_pretty(&mut *out, &v)?;
    writeln!(out)
}
