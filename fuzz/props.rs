//! Properties checked on arbitrary input, shared by the fuzz targets
//! (`fuzz/fuzz_targets/*.rs`) and by the regression tests in
//! `tests/hardening.rs`, which replay every input kept under
//! `fuzz/regressions/<target>/` through the same functions. Each function
//! panics when a property does not hold; "no panic" is the first property.
#![allow(
    dead_code,
    reason = "each fuzz target uses one function of this shared module"
)]

use claimdiff::align::{
    AlignConfig, Basis, Item, ItemKind, Status, align, copy_key, similarity, split_items,
};
use claimdiff::corpus::units::{LineIndex, Unit, blocks, units};
use claimdiff::corpus::{parse_jsonl_line, parse_statement_text};
use claimdiff::error::Diagnostic;
use claimdiff::rules::{Engine, parse_rules_text};
use std::ops::Range;
use std::path::Path;

/// Characters that steer the segmenter and the parsers: sentence marks of
/// both scripts, closers, list and table markers, line ends, CJK text.
const ALPHABET: &[&str] = &[
    ".",
    "!",
    "?",
    "。",
    "！",
    "？",
    " ",
    "\n",
    "\n\n",
    "\r\n",
    "\t",
    "\"",
    "'",
    "”",
    "’",
    "」",
    "）",
    "#",
    "# ",
    "- ",
    "* ",
    "• ",
    "1. ",
    "12) ",
    "|",
    "a",
    "Mr",
    "U.S",
    "e.g",
    "A",
    "We",
    "1.5",
    "中",
    "清真寺",
    "。”",
    "é",
    "\u{feff}",
    "+++",
    "=",
    "[",
    "]",
    "{",
    "}",
    "\\",
    "x",
    "ß",
    "İ",
    "\u{200b}",
    "😀",
];

/// Text from fuzz bytes: either the bytes as (lossy) UTF-8, or, to reach
/// the interesting cases faster, each byte as one token of `ALPHABET`.
pub fn text_of(data: &[u8]) -> String {
    match data.split_first() {
        None => String::new(),
        Some((b, rest)) if b % 2 == 0 => String::from_utf8_lossy(rest).into_owned(),
        Some((_, rest)) => rest
            .iter()
            .map(|&b| ALPHABET[b as usize % ALPHABET.len()])
            .collect(),
    }
}

/// A diagnostic points at a line of `text` (or at the line just after its
/// end), and at a column of that line (or one past its end).
fn assert_points_into(d: &Diagnostic, text: &str) {
    let lines: Vec<&str> = text.split('\n').collect();
    assert!(d.line >= 1, "line 0 in a parse of text: {d}");
    assert!(
        d.line <= lines.len() + 1,
        "line {} past the end ({} lines): {d}",
        d.line,
        lines.len()
    );
    let width = lines.get(d.line - 1).map_or(0, |l| l.chars().count());
    assert!(
        d.col >= 1 && d.col <= width + 2,
        "col {} outside line {} of {} chars: {d}",
        d.col,
        d.line,
        width
    );
}

fn assert_ranges(text: &str, ranges: &[Range<usize>], what: &str) {
    let mut prev_end = 0;
    for r in ranges {
        assert!(r.start < r.end, "{what}: empty range {r:?}");
        assert!(r.end <= text.len(), "{what}: {r:?} past {}", text.len());
        assert!(
            text.is_char_boundary(r.start) && text.is_char_boundary(r.end),
            "{what}: {r:?} not on char boundaries of {text:?}"
        );
        assert!(
            r.start >= prev_end,
            "{what}: {r:?} overlaps the previous unit"
        );
        let s = &text[r.clone()];
        assert_eq!(s, s.trim(), "{what}: unit {r:?} is not trimmed");
        prev_end = r.end;
    }
}

/// Front matter + body: no panic; diagnostics point into the file; a
/// statement's body is the file's tail and starts on `body_line`.
pub fn front_matter(data: &[u8]) {
    let text = text_of(data);
    let path = Path::new("statements/acme/x.md");
    match parse_statement_text(path, &text, "acme", Path::new("/nonexistent-fuzz-root")) {
        Ok(s) => {
            assert!(text.ends_with(&s.text), "the body is not the file's tail");
            if !s.text.is_empty() {
                let head = &text[..text.len() - s.text.len()];
                assert_eq!(
                    s.origin.body_line,
                    head.matches('\n').count() + 1,
                    "body_line is not the body's first line"
                );
                let (l, c) = s.line_col(0);
                assert_eq!((l, c), (s.origin.body_line, 1));
            }
        }
        Err(ds) => {
            assert!(!ds.is_empty(), "an error without a diagnostic");
            for d in &ds {
                assert_points_into(d, &text);
            }
        }
    }
}

/// Segmentation: units and blocks are trimmed, ordered, disjoint ranges on
/// char boundaries; every sentence lies inside a paragraph; `LineIndex`
/// maps every char boundary to a line:col that maps back to it.
pub fn segment(data: &[u8]) {
    let text = text_of(data);
    let bl: Vec<Range<usize>> = blocks(&text).into_iter().map(|b| b.range).collect();
    assert_ranges(&text, &bl, "blocks");
    let paras = units(&text, Unit::Paragraph);
    assert_eq!(paras, bl, "paragraph units are the blocks");
    let sents = units(&text, Unit::Sentence);
    assert_ranges(&text, &sents, "sentences");
    for s in &sents {
        assert!(
            paras.iter().any(|p| p.start <= s.start && s.end <= p.end),
            "sentence {s:?} outside every paragraph"
        );
    }
    let doc = units(&text, Unit::Document);
    assert_ranges(&text, &doc, "document");
    assert_eq!(doc.is_empty(), text.trim().is_empty());
    let idx = LineIndex::new(&text);
    let step = (text.len() / 512).max(1);
    for (off, _) in text.char_indices().step_by(step).chain([(text.len(), ' ')]) {
        let (l, c) = idx.line_col(&text, off);
        assert_eq!(
            idx.offset(&text, l, c),
            Some(off),
            "offset {off} -> {l}:{c} does not map back"
        );
    }
}

/// Rule files: no panic; diagnostics point into the file; rules carry a
/// line of the file.
pub fn rules(data: &[u8]) {
    let text = text_of(data);
    match parse_rules_text(Path::new("rules/x.toml"), &text) {
        Ok(rs) => {
            let lines = text.split('\n').count();
            for r in &rs {
                assert!(r.line >= 1 && r.line <= lines, "rule line {}", r.line);
                // Patterns compile on first use: whatever loading accepted
                // must compile in every engine, or a run would skip it.
                for (_, sel) in &r.selectors {
                    for p in sel.pattern.iter().chain(&sel.all).chain(&sel.not) {
                        if p.has_entity() {
                            continue;
                        }
                        for e in [Engine::Light, Engine::Fast, Engine::Scan] {
                            assert!(
                                p.regex(e).is_some(),
                                "{:?} does not compile ({e:?})",
                                p.source
                            );
                        }
                    }
                }
            }
        }
        Err(ds) => {
            assert!(!ds.is_empty());
            for d in &ds {
                assert_points_into(d, &text);
            }
        }
    }
}

/// One JSONL line: no panic; every diagnostic is on that line, at a column
/// of it; a statement keeps the line number.
pub fn jsonl(data: &[u8]) {
    let raw = match data.iter().position(|&b| b == b'\n') {
        Some(i) => &data[..=i],
        None => data,
    };
    let path = Path::new("statements/bulk.jsonl");
    match parse_jsonl_line(path, 7, raw, Path::new("/nonexistent-fuzz-root")) {
        Ok(Some(s)) => {
            assert_eq!(s.origin.body_line, 7);
            assert!(!s.id.is_empty() || raw.windows(4).any(|w| w == b"\"id\""));
        }
        // Blank: whitespace, or a byte-order mark alone (found by fuzzing:
        // a BOM is not whitespace, but the loader strips it first).
        Ok(None) => assert!(
            String::from_utf8_lossy(raw)
                .trim_start_matches('\u{feff}')
                .trim()
                .is_empty()
        ),
        Err(ds) => {
            assert!(!ds.is_empty());
            let line = String::from_utf8_lossy(raw);
            let line = line.trim_end_matches(['\n', '\r']);
            for d in &ds {
                assert_eq!(d.line, 7, "{d}");
                let width = line.chars().count();
                assert!(
                    d.col >= 1 && d.col <= width + 2,
                    "col {} of {width}: {d}",
                    d.col
                );
            }
        }
    }
}

/// The aligner: a document aligned with itself keeps every item; aligning
/// two documents accounts for every old and every new item exactly once
/// (an unpaired column heading not at all).
pub fn alignment(data: &[u8]) {
    let text = text_of(data);
    let (old, new) = text.split_once("\n\n\n").unwrap_or((&text, ""));
    let cfg = AlignConfig::default();
    // Lines are 1-based plus the offset: offset 0 numbers them from 1.
    let a = split_items(old, 0);
    let b = split_items(new, 0);
    let lines = old.split('\n').count();
    for it in &a {
        assert!(it.line >= 1 && it.line <= lines, "item line {}", it.line);
    }
    let same = align(&a, &a, &cfg);
    for e in &same.entries {
        assert!(
            !matches!(e.status, Status::Dropped | Status::Added | Status::Changed),
            "aligned with itself, item {:?} is {:?}",
            e.old.map(|i| &a[i].text),
            e.status
        );
    }
    let al = align(&a, &b, &cfg);
    let mut seen_old = vec![0; a.len()];
    let mut seen_new = vec![0; b.len()];
    for e in &al.entries {
        if let Some(i) = e.old {
            seen_old[i] += 1;
        }
        if let Some(j) = e.new {
            seen_new[j] += 1;
        }
        match e.status {
            Status::Dropped => assert!(e.old.is_some() && e.new.is_none()),
            Status::Added => assert!(e.old.is_none() && e.new.is_some()),
            _ => assert!(e.old.is_some() && e.new.is_some()),
        }
    }
    // A column heading paired with nothing has no entry: it is not a
    // disclosure, neither dropped nor added. Nor has old layout furniture
    // (a relabelled heading row, a second lead-in, a caption, a word of a
    // broken heading), which is at most 20 words long.
    let heading = |it: &Item| it.kind == ItemKind::ColumnHeading;
    let furniture = |it: &Item| it.text.split_whitespace().count() <= 20;
    assert!(
        seen_old
            .iter()
            .zip(&a)
            .all(|(&n, it)| n == 1 || (n == 0 && (heading(it) || furniture(it)))),
        "old items: {seen_old:?}"
    );
    assert!(
        seen_new
            .iter()
            .zip(&b)
            .all(|(&n, it)| n >= 1 || (n == 0 && heading(it))),
        "new items: {seen_new:?}"
    );
    // A new item may stand for several old ones only when they are copies
    // (the same `copy_key`: words and figures up to case, punctuation,
    // emphasis, list markers and footnote marks; or of the new item, the
    // same tokens in any order) or merged into it (`Basis::Contained`):
    // besides those and copies of the new item itself, at most one distinct
    // old text maps to it.
    for (j, _) in seen_new.iter().enumerate().filter(|(_, n)| **n > 1) {
        let mut others: Vec<String> = al
            .entries
            .iter()
            .filter(|e| e.new == Some(j) && !matches!(e.basis, Basis::Contained | Basis::Restated))
            .filter_map(|e| e.old)
            // Copies of the new item: the same key, or the same tokens in
            // another order (similarity 1).
            .filter(|&i| similarity(&a[i].norm, &b[j].norm) < 1.0 - 1e-9)
            .map(|i| copy_key(&a[i]))
            .filter(|k| *k != copy_key(&b[j]))
            .collect();
        others.sort();
        others.dedup();
        assert!(
            others.len() <= 1,
            "new item {j} stands for old items that are not copies: {others:?}"
        );
    }
}
