//! Disclosure alignment (interim version: exact matching on normalised
//! items; the full aligner replaces this module).

use crate::corpus::units::{BlockKind, blocks, list_marker_len};

#[derive(Debug, Clone)]
pub struct AlignConfig {
    pub threshold: f64,
    pub volatile: Vec<regex::Regex>,
}

impl Default for AlignConfig {
    fn default() -> Self {
        AlignConfig {
            threshold: 0.6,
            volatile: Vec::new(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ItemKind {
    Paragraph,
    ListItem,
    TableRow,
    Heading,
}

#[derive(Debug, Clone)]
pub struct Item {
    pub text: String,
    pub norm: String,
    pub section: String,
    pub line: usize,
    pub kind: ItemKind,
}

pub fn split_items(text: &str, line_offset: usize) -> Vec<Item> {
    let mut section = String::new();
    let mut out = Vec::new();
    for b in blocks(text) {
        let raw = &text[b.range.clone()];
        let line = line_offset + text[..b.range.start].matches('\n').count();
        match b.kind {
            BlockKind::Heading => section = raw.trim_start_matches('#').trim().to_string(),
            k => {
                let body = if k == BlockKind::ListItem {
                    &raw[list_marker_len(raw).unwrap_or(0)..]
                } else {
                    raw
                };
                let t = body.split_whitespace().collect::<Vec<_>>().join(" ");
                out.push(Item {
                    norm: t.to_lowercase(),
                    text: t,
                    section: section.clone(),
                    line,
                    kind: match k {
                        BlockKind::ListItem => ItemKind::ListItem,
                        BlockKind::TableRow => ItemKind::TableRow,
                        _ => ItemKind::Paragraph,
                    },
                });
            }
        }
    }
    out
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Kept,
    Moved,
    Changed,
    Dropped,
    Added,
}

#[derive(Debug, Clone)]
pub struct Entry {
    pub status: Status,
    pub old: Option<usize>,
    pub new: Option<usize>,
    pub score: f64,
    pub best: Option<(usize, f64)>,
}

#[derive(Debug, Clone, Default)]
pub struct Alignment {
    pub entries: Vec<Entry>,
}

pub fn similarity(a: &str, b: &str) -> f64 {
    if a == b { 1.0 } else { 0.0 }
}

pub fn align(old: &[Item], new: &[Item], _cfg: &AlignConfig) -> Alignment {
    let mut used = vec![false; new.len()];
    let mut entries = Vec::new();
    for (i, o) in old.iter().enumerate() {
        match new
            .iter()
            .enumerate()
            .position(|(j, n)| !used[j] && n.norm == o.norm)
        {
            Some(j) => {
                used[j] = true;
                entries.push(Entry {
                    status: Status::Kept,
                    old: Some(i),
                    new: Some(j),
                    score: 1.0,
                    best: None,
                });
            }
            None => entries.push(Entry {
                status: Status::Dropped,
                old: Some(i),
                new: None,
                score: 0.0,
                best: None,
            }),
        }
    }
    for (j, u) in used.iter().enumerate() {
        if !u {
            entries.push(Entry {
                status: Status::Added,
                old: None,
                new: Some(j),
                score: 0.0,
                best: None,
            });
        }
    }
    Alignment { entries }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DiffTag {
    Equal,
    Delete,
    Insert,
}

pub fn word_diff(a: &str, b: &str) -> Vec<(DiffTag, String)> {
    if a == b {
        vec![(DiffTag::Equal, a.to_string())]
    } else {
        vec![
            (DiffTag::Delete, a.to_string()),
            (DiffTag::Insert, b.to_string()),
        ]
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DocSimilarity {
    pub cosine: f64,
    pub jaccard: f64,
}

pub fn lazy_prices(_old: &[Item], _new: &[Item]) -> (DocSimilarity, Vec<(String, DocSimilarity)>) {
    (
        DocSimilarity {
            cosine: 0.0,
            jaccard: 0.0,
        },
        Vec::new(),
    )
}
