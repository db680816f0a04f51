//! Output of `claimdiff diff`: the disclosure diff of consecutive versions
//! of a series, as a table (with word-level inline diffs of changed items),
//! JSON, JSONL or Markdown.

use crate::align::{DiffTag, Status, lazy_prices, word_diff};
use crate::engine::SeriesPair;
use comfy_table::{Cell, Color, ContentArrangement, Table, presets};
use serde_json::{Value, json};
use std::io::{self, Write};

/// `[-old-]{+new+}` without colour; red and green with it.
pub fn inline_diff(a: &str, b: &str, color: bool) -> String {
    let mut out = String::new();
    for (tag, text) in word_diff(a, b) {
        match (tag, color) {
            (DiffTag::Equal, _) => out.push_str(&text),
            (DiffTag::Delete, false) => out.push_str(&format!("[-{text}-]")),
            (DiffTag::Insert, false) => out.push_str(&format!("{{+{text}+}}")),
            (DiffTag::Delete, true) => out.push_str(&format!("\x1b[31;9m{text}\x1b[0m")),
            (DiffTag::Insert, true) => out.push_str(&format!("\x1b[32m{text}\x1b[0m")),
        }
    }
    out
}

fn version_label(p: &SeriesPair, idx: usize) -> String {
    let s = p.versions[idx].statement;
    format!(
        "{} ({})",
        s.period
            .as_ref()
            .map_or_else(|| s.date.to_string(), |x| x.raw.clone()),
        s.id
    )
}

/// A pair to show, with how many consecutive versions up to its older one
/// carried each of that version's items (see [`crate::engine::carried`]).
pub struct ShownPair<'p, 'a> {
    pub pair: &'p SeriesPair<'a>,
    pub carried: &'p [usize],
}

/// The statement, dates and text hash of one version: the `from`/`to` shape
/// of a `check` dropped-disclosure finding, plus whether it split into items
/// and how many.
fn version_json(v: &crate::engine::VersionItems) -> Value {
    let s = v.statement;
    json!({"statement": s.id, "date": s.date.to_string(), "period": s.period.as_ref().map(|x| x.raw.clone()),
           "source": s.source, "url": s.url, "sha256": v.sha256, "readable": v.readable, "items": v.items.len()})
}

/// One pair as JSON: versions, Lazy Prices similarity, every non-kept item.
pub fn pair_json(shown: &ShownPair) -> Value {
    let p = shown.pair;
    let (from, to) = (&p.versions[p.from], &p.versions[p.to]);
    let (doc, sections) = lazy_prices(&from.items, &to.items);
    let entries: &[crate::align::Entry] = p.alignment.as_ref().map_or(&[], |a| &a.entries);
    let partner = crate::engine::counterparts(entries, to.items.len());
    let items: Vec<Value> = entries
        .iter()
        .filter(|e| e.status != Status::Kept)
        .map(|e| {
            let o = e.old.map(|i| &from.items[i]);
            let n = e.new.map(|i| &to.items[i]);
            json!({
                "status": e.status.as_str(),
                "text": o.map(|x| x.display().to_string()),
                "section": o.map(|x| x.section.clone()),
                "line": o.map(|x| x.line),
                "carried": e.old.map(|i| shown.carried.get(i).copied().unwrap_or(1)),
                "new_text": n.map(|x| x.display().to_string()),
                "new_section": n.map(|x| x.section.clone()),
                "new_line": n.map(|x| x.line),
                "score": round3(e.score),
                "best_match": crate::engine::best_match(e, &partner, &from.items, &to.items)
                    .map(|b| b.to_json()),
            })
        })
        .collect();
    json!({
        "series": p.series,
        "entity": from.statement.entity,
        "from": version_json(from),
        "to": version_json(to),
        "unreadable": p.alignment.is_none(),
        "similarity": {"cosine": round3(doc.cosine), "jaccard": round3(doc.jaccard),
                       "sections": sections.iter().map(|(s, d)| json!({"section": s, "cosine": round3(d.cosine), "jaccard": round3(d.jaccard)})).collect::<Vec<_>>()},
        "counts": p.alignment.as_ref().map(|a| json!({
            "kept": a.count(Status::Kept),
            "moved": a.count(Status::Moved),
            "changed": a.count(Status::Changed),
            "dropped": a.count(Status::Dropped),
            "added": a.count(Status::Added),
        })),
        "items": items,
    })
}

fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

/// Output formats of `diff`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DiffFormat {
    Table,
    Json,
    Jsonl,
    Markdown,
}

/// [`pair_json`] with only the items of the given statuses (all when
/// `only` is empty); the counts stay those of the whole pair, and
/// `shown` names the statuses listed.
fn pair_json_only(p: &ShownPair, only: &[Status]) -> Value {
    let mut v = pair_json(p);
    if !only.is_empty() {
        let keep: Vec<&str> = only.iter().map(|&s| s.as_str()).collect();
        if let Some(items) = v["items"].as_array_mut() {
            items.retain(|it| it["status"].as_str().is_some_and(|s| keep.contains(&s)));
        }
        v["shown"] = json!(keep);
    }
    v
}

/// Writes the diff of each pair. `only` limits the items listed to those
/// statuses (empty: every status but kept); the summary line still counts
/// them all.
pub fn write_diff(
    pairs: &[ShownPair],
    format: DiffFormat,
    width: u16,
    color: bool,
    only: &[Status],
    out: &mut dyn Write,
) -> io::Result<()> {
    let pair_json = |p: &ShownPair| pair_json_only(p, only);
    match format {
        DiffFormat::Json => {
            let v: Vec<Value> = pairs.iter().map(pair_json).collect();
            serde_json::to_writer_pretty(&mut *out, &v)?;
            writeln!(out)
        }
        DiffFormat::Jsonl => {
            for p in pairs {
                let v = pair_json(p);
                for item in v["items"].as_array().into_iter().flatten() {
                    let mut line = item.clone();
                    line["series"] = v["series"].clone();
                    line["entity"] = v["entity"].clone();
                    line["from"] = v["from"].clone();
                    line["to"] = v["to"].clone();
                    serde_json::to_writer(&mut *out, &line)?;
                    writeln!(out)?;
                }
            }
            Ok(())
        }
        DiffFormat::Markdown => {
            for p in pairs {
                let v = pair_json(p);
                writeln!(
                    out,
                    "### {} → {}\n",
                    version_label(p.pair, p.pair.from),
                    version_label(p.pair, p.pair.to)
                )?;
                writeln!(out, "{}\n", summary(&v))?;
                let items = v["items"].as_array().cloned().unwrap_or_default();
                if items.is_empty() {
                    // No table with a header and no rows.
                    writeln!(out, "No item to list.\n")?;
                    continue;
                }
                writeln!(out, "| status | section | item |\n|---|---|---|")?;
                for it in &items {
                    let text = item_text(it, false);
                    writeln!(
                        out,
                        "| {} | {} | {} |",
                        it["status"].as_str().unwrap_or(""),
                        md(&section_text(it)),
                        md(&text)
                    )?;
                }
                writeln!(out)?;
            }
            Ok(())
        }
        DiffFormat::Table => {
            for p in pairs {
                let v = pair_json(p);
                writeln!(
                    out,
                    "{} → {}",
                    version_label(p.pair, p.pair.from),
                    version_label(p.pair, p.pair.to)
                )?;
                writeln!(out, "{}", summary(&v))?;
                let items = v["items"].as_array().cloned().unwrap_or_default();
                if items.is_empty() {
                    writeln!(out)?;
                    continue;
                }
                let mut t = Table::new();
                t.load_style(presets::UTF8_FULL_CONDENSED);
                t.set_content_arrangement(ContentArrangement::Dynamic);
                t.set_width(width.max(60));
                if color {
                    t.enforce_styling();
                } else {
                    t.force_no_tty();
                }
                t.set_header(vec!["status", "section", "item"]);
                for it in &items {
                    let st = it["status"].as_str().unwrap_or("");
                    let mut c = Cell::new(st);
                    if color {
                        c = c.fg(match st {
                            "dropped" => Color::Red,
                            "added" => Color::Green,
                            "changed" => Color::Yellow,
                            _ => Color::Cyan,
                        });
                    }
                    t.add_row(vec![
                        c,
                        Cell::new(section_text(it)),
                        Cell::new(item_text(it, color)),
                    ]);
                }
                writeln!(out, "{t}\n")?;
            }
            Ok(())
        }
    }
}

fn md(s: &str) -> String {
    super::md_text(s, " ")
}

fn summary(v: &Value) -> String {
    if v["unreadable"].as_bool() == Some(true) {
        return "unreadable: a version has no text that splits into items; nothing is reported as dropped".into();
    }
    let c = &v["counts"];
    let shown = match v["shown"].as_array() {
        Some(s) => {
            let names: Vec<&str> = s.iter().filter_map(Value::as_str).collect();
            format!(" · listed: {} only", names.join(", "))
        }
        None => String::new(),
    };
    format!(
        "{} dropped, {} changed, {} moved, {} added, {} kept · similarity cosine {:.3}, jaccard {:.3} (Lazy Prices){shown}",
        c["dropped"],
        c["changed"],
        c["moved"],
        c["added"],
        c["kept"],
        v["similarity"]["cosine"].as_f64().unwrap_or(0.0),
        v["similarity"]["jaccard"].as_f64().unwrap_or(0.0)
    )
}

/// The section of an item; "old → new" when a moved or reworded item
/// changed section, so a reader sees both places.
fn section_text(it: &Value) -> String {
    match (it["section"].as_str(), it["new_section"].as_str()) {
        (Some(a), Some(b)) if a != b => format!("{a} → {b}"),
        (Some(a), _) => a.to_string(),
        (None, Some(b)) => b.to_string(),
        _ => String::new(),
    }
}

fn item_text(it: &Value, color: bool) -> String {
    let old = it["text"].as_str().unwrap_or("");
    let new = it["new_text"].as_str().unwrap_or("");
    match it["status"].as_str() {
        Some("changed") => format!(
            "{} ({:.2})",
            inline_diff(old, new, color),
            it["score"].as_f64().unwrap_or(0.0)
        ),
        Some("added") => new.to_string(),
        Some("dropped") => {
            let carried = match it["carried"].as_u64().unwrap_or(1) {
                1 => "carried by 1 version".to_string(),
                n => format!("carried by {n} consecutive versions"),
            };
            let mut s = format!("{old} (line {}; {carried})", it["line"]);
            if let Some(b) = it.get("best_match").filter(|b| !b.is_null()) {
                // A near-match that stands for another old item explains a
                // high score: the drop is right, the twin is taken.
                let taken = match b["paired_with"].as_object() {
                    Some(pw) => format!(
                        "; already the counterpart of old line {}, {}",
                        pw["line"],
                        pw["status"].as_str().unwrap_or("")
                    ),
                    None => String::new(),
                };
                s.push_str(&format!(
                    "\nnearest in new: “{}” ({:.2}{taken})",
                    b["text"].as_str().unwrap_or(""),
                    b["score"].as_f64().unwrap_or(0.0)
                ));
            }
            s
        }
        _ => old.to_string(),
    }
}
