//! Segmentation of a statement body into the units selectors match in:
//! sentences, paragraphs, the whole document. Units are byte ranges into the
//! body, so a match inside a unit maps straight back to `line:col`.
//!
//! A heading, a list item and a table row are each a block of their own (a
//! list item can still hold several sentences). Sentences end at `.`, `!`,
//! `?` followed by space (after any closing quote), and at `。！？` with or
//! without space; not after common abbreviations or initials, and not
//! before a lowercase letter ("e.g. this"). A fragment with no end mark is
//! one sentence.

use serde::{Deserialize, Serialize};
use std::ops::Range;

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Default,
)]
#[serde(rename_all = "lowercase")]
pub enum Unit {
    #[default]
    Sentence,
    Paragraph,
    Document,
}

impl Unit {
    pub const ALL: [Unit; 3] = [Unit::Sentence, Unit::Paragraph, Unit::Document];
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlockKind {
    Paragraph,
    Heading,
    ListItem,
    TableRow,
}

/// A block: paragraph, heading, list item or table row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    pub kind: BlockKind,
    pub range: Range<usize>,
}

fn is_table_row(t: &str) -> bool {
    t.starts_with('|')
}

fn is_heading(t: &str) -> bool {
    let hashes = t.bytes().take_while(|&b| b == b'#').count();
    (1..=6).contains(&hashes) && t[hashes..].starts_with([' ', '\t'])
}

/// Length of a list marker at the start of `t` (including its space), if any.
pub fn list_marker_len(t: &str) -> Option<usize> {
    for m in ["- ", "* ", "+ ", "• ", "· ", "‧ ", "-\t", "*\t", "•\t"] {
        if t.starts_with(m) {
            return Some(m.len());
        }
    }
    if t.starts_with('•') {
        return Some('•'.len_utf8());
    }
    let digits = t.bytes().take_while(u8::is_ascii_digit).count();
    if (1..=3).contains(&digits) {
        let rest = &t[digits..];
        if rest.starts_with(". ") || rest.starts_with(") ") {
            return Some(digits + 2);
        }
    }
    None
}

/// A paragraph line of at least this many characters that stops without an
/// end mark was wrapped mid-sentence (the aligner's splitter uses it too).
pub(crate) const WRAPPED_MIN_CHARS: usize = 40;

/// Whether a numbered line (`8. Leases …`) goes on with the paragraph
/// above, wrapped mid-sentence (`… described in Note` / `8. Leases apply
/// …`), rather than opening a list: as in CommonMark, where only a list
/// starting at 1 may interrupt a paragraph, and no paragraph leads into a
/// list without an end mark. Bullets always open a list item.
fn wrapped_number(cur: &Option<(BlockKind, usize, usize)>, last: &str, line: &str) -> bool {
    matches!(cur, Some((BlockKind::Paragraph, _, _)))
        && line.starts_with(|c: char| c.is_ascii_digit())
        && last.chars().count() >= WRAPPED_MIN_CHARS
        && !last.ends_with(['.', ':', ';', '?', '!'])
}

/// Splits a body into blocks. Lines of one paragraph are joined; a list
/// item takes its indented continuation lines.
pub fn blocks(text: &str) -> Vec<Block> {
    let mut out = Vec::new();
    let mut cur: Option<(BlockKind, usize, usize)> = None;
    // The previous line, for telling a wrapped sentence from a list.
    let mut last = "";
    let mut pos = 0;
    for line in text.split_inclusive('\n') {
        let start = pos;
        pos += line.len();
        let content = line.trim_end_matches(['\n', '\r']);
        let trimmed = content.trim_start();
        let lead = content.len() - trimmed.len();
        let t_start = start + lead;
        let t_end = start + content.trim_end().len();
        if trimmed.is_empty() {
            if let Some((k, s, e)) = cur.take() {
                out.push(Block {
                    kind: k,
                    range: s..e,
                });
            }
            continue;
        }
        let own = if is_heading(trimmed) {
            Some(BlockKind::Heading)
        } else if is_table_row(trimmed) {
            Some(BlockKind::TableRow)
        } else if list_marker_len(trimmed).is_some() && !wrapped_number(&cur, last, trimmed) {
            Some(BlockKind::ListItem)
        } else {
            None
        };
        last = trimmed;
        match (own, &mut cur) {
            (Some(k), _) => {
                if let Some((pk, s, e)) = cur.take() {
                    out.push(Block {
                        kind: pk,
                        range: s..e,
                    });
                }
                if matches!(k, BlockKind::Heading | BlockKind::TableRow) {
                    out.push(Block {
                        kind: k,
                        range: t_start..t_end,
                    });
                } else {
                    cur = Some((k, t_start, t_end));
                }
            }
            (None, Some((BlockKind::ListItem, _, e))) if lead > 0 => *e = t_end,
            (None, Some((BlockKind::Paragraph, _, e))) => *e = t_end,
            (None, _) => {
                if let Some((pk, s, e)) = cur.take() {
                    out.push(Block {
                        kind: pk,
                        range: s..e,
                    });
                }
                cur = Some((BlockKind::Paragraph, t_start, t_end));
            }
        }
    }
    if let Some((k, s, e)) = cur {
        out.push(Block {
            kind: k,
            range: s..e,
        });
    }
    out
}

const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st", "inc", "ltd", "co", "corp", "no", "nos",
    "vs", "e.g", "i.e", "etc", "cf", "al", "fig", "gov", "gen", "sen", "rep", "rev", "jan", "feb",
    "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "u.s", "u.k", "u.n",
    "approx", "dept", "est", "mt", "ft",
];

fn is_closer(c: char) -> bool {
    matches!(
        c,
        '"' | '\'' | '”' | '’' | ')' | ']' | '」' | '』' | '）' | '》' | '»'
    )
}

/// Sentence ranges inside `range` of `text`.
pub fn sentences_in(text: &str, range: Range<usize>, out: &mut Vec<Range<usize>>) {
    let s = &text[range.clone()];
    let base = range.start;
    let mut start = 0;
    let chars: Vec<(usize, char)> = s.char_indices().collect();
    let mut i = 0;
    while i < chars.len() {
        let (off, c) = chars[i];
        let cjk = matches!(c, '。' | '！' | '？');
        if cjk || matches!(c, '.' | '!' | '?') {
            // Swallow repeated marks and closing quotes/brackets.
            let mut j = i + 1;
            while j < chars.len()
                && (matches!(chars[j].1, '.' | '!' | '?' | '。' | '！' | '？')
                    || is_closer(chars[j].1))
            {
                j += 1;
            }
            let end_off = if j < chars.len() { chars[j].0 } else { s.len() };
            let at_end = j >= chars.len();
            let followed_by_space = !at_end && chars[j].1.is_whitespace();
            let mut ends = cjk || at_end || followed_by_space;
            if ends && !cjk && c == '.' && !at_end {
                ends = !is_abbreviation(&s[start..off]) && !next_is_lowercase(&chars[j..]);
            }
            if ends {
                push_trimmed(s, base, start, end_off, out);
                start = end_off;
            }
            i = j;
        } else {
            i += 1;
        }
    }
    push_trimmed(s, base, start, s.len(), out);
}

fn next_is_lowercase(rest: &[(usize, char)]) -> bool {
    rest.iter()
        .map(|(_, c)| *c)
        .find(|c| !c.is_whitespace())
        .is_some_and(|c| c.is_lowercase())
}

fn is_abbreviation(before: &str) -> bool {
    let word: String = before
        .chars()
        .rev()
        .take_while(|c| c.is_alphanumeric() || *c == '.')
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    let lower = word.to_lowercase();
    // A single capital letter is an initial ("J. Smith", "U.S.").
    if word.chars().count() == 1 && word.chars().all(|c| c.is_uppercase()) {
        return true;
    }
    ABBREVIATIONS.contains(&lower.as_str())
}

fn push_trimmed(s: &str, base: usize, a: usize, b: usize, out: &mut Vec<Range<usize>>) {
    let piece = &s[a..b];
    let lead = piece.len() - piece.trim_start().len();
    let tail = piece.trim_end().len();
    if tail > lead {
        out.push(base + a + lead..base + a + tail);
    }
}

/// The units of `unit` granularity in `text`, as byte ranges, in order.
pub fn units(text: &str, unit: Unit) -> Vec<Range<usize>> {
    match unit {
        Unit::Document => {
            let t = text.trim();
            if t.is_empty() {
                Vec::new()
            } else {
                let lead = text.len() - text.trim_start().len();
                std::iter::once(lead..lead + t.len()).collect()
            }
        }
        Unit::Paragraph => blocks(text).into_iter().map(|b| b.range).collect(),
        Unit::Sentence => {
            let mut out = Vec::new();
            for b in blocks(text) {
                match b.kind {
                    BlockKind::Heading | BlockKind::TableRow => out.push(b.range),
                    BlockKind::Paragraph | BlockKind::ListItem => {
                        sentences_in(text, b.range, &mut out)
                    }
                }
            }
            out
        }
    }
}

/// Maps byte offsets of a text to 1-based line and column (in characters).
#[derive(Debug, Clone)]
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { starts }
    }

    /// (line, col), both 1-based, col counted in characters.
    pub fn line_col(&self, text: &str, offset: usize) -> (usize, usize) {
        let line = self.starts.partition_point(|&s| s <= offset).max(1);
        let start = self.starts[line - 1];
        let col = text.get(start..offset).map_or(1, |s| s.chars().count() + 1);
        (line, col)
    }

    /// The byte offset of a 1-based line and column, if it exists.
    pub fn offset(&self, text: &str, line: usize, col: usize) -> Option<usize> {
        let start = *self.starts.get(line.checked_sub(1)?)?;
        let rest = &text[start..];
        if col == 1 {
            return Some(start);
        }
        rest.char_indices()
            .nth(col - 1)
            .map(|(i, _)| start + i)
            .or_else(|| (rest.chars().count() == col - 1).then_some(text.len()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sents(t: &str) -> Vec<&str> {
        units(t, Unit::Sentence)
            .into_iter()
            .map(|r| &t[r])
            .collect()
    }

    #[test]
    fn english_sentences_respect_abbreviations_and_numbers() {
        let t = "Mr. Prosper met the U.S. team. It cost $1.2 billion! Did it? Yes";
        assert_eq!(
            sents(t),
            [
                "Mr. Prosper met the U.S. team.",
                "It cost $1.2 billion!",
                "Did it?",
                "Yes"
            ]
        );
    }

    #[test]
    fn closing_quotes_stay_with_their_sentence() {
        let t = "He said “It was a blind spot.” Then he left.";
        assert_eq!(
            sents(t),
            ["He said “It was a blind spot.”", "Then he left."]
        );
    }

    #[test]
    fn cjk_sentences_split_without_spaces() {
        let t = "皮山社会面防控体系PPP。清真寺视频联网系统！是吗？好";
        assert_eq!(
            sents(t),
            [
                "皮山社会面防控体系PPP。",
                "清真寺视频联网系统！",
                "是吗？",
                "好"
            ]
        );
    }

    #[test]
    fn a_numbered_line_wrapped_mid_sentence_stays_in_its_paragraph() {
        let t = "Our lease terms are described in Note 7 and in Note\n8. Leases apply to all.\n\n\
                 Steps taken:\n1. closed stores\n2. cut costs";
        let b: Vec<_> = blocks(t)
            .into_iter()
            .map(|b| (b.kind, &t[b.range]))
            .collect();
        assert_eq!(
            b,
            [
                (
                    BlockKind::Paragraph,
                    "Our lease terms are described in Note 7 and in Note\n8. Leases apply to all."
                ),
                (BlockKind::Paragraph, "Steps taken:"),
                (BlockKind::ListItem, "1. closed stores"),
                (BlockKind::ListItem, "2. cut costs"),
            ]
        );
    }

    #[test]
    fn blocks_keep_list_items_headings_and_rows_apart() {
        let t = "# Projects\n- Luopu\n- Moyu\n  continued\n| a | b |\nA paragraph\nwrapped here.\n\nNext one.";
        let b: Vec<_> = blocks(t)
            .into_iter()
            .map(|b| (b.kind, &t[b.range]))
            .collect();
        assert_eq!(
            b,
            [
                (BlockKind::Heading, "# Projects"),
                (BlockKind::ListItem, "- Luopu"),
                (BlockKind::ListItem, "- Moyu\n  continued"),
                (BlockKind::TableRow, "| a | b |"),
                (BlockKind::Paragraph, "A paragraph\nwrapped here."),
                (BlockKind::Paragraph, "Next one."),
            ]
        );
    }

    #[test]
    fn line_index_round_trips() {
        let t = "ab\n皮山x\n\nz";
        let li = LineIndex::new(t);
        for (off, _) in t.char_indices() {
            let (l, c) = li.line_col(t, off);
            assert_eq!(li.offset(t, l, c), Some(off));
        }
        assert_eq!(li.line_col(t, t.find('x').unwrap()), (2, 3));
    }
}

/// The region of `text` around byte `pos` bounded by blank lines (or the
/// text's ends). Blocks never cross a blank line, so segmenting just this
/// region gives the same units there as segmenting the whole text: a hit
/// in a 400 KB filing costs a paragraph's work, not the filing's.
pub fn region_around(text: &str, pos: usize) -> Range<usize> {
    let b = text.as_bytes();
    let pos = pos.min(b.len());
    let blank = |line: &[u8]| line.iter().all(|c| c.is_ascii_whitespace());
    // Backwards: start of the line holding pos, then up while not blank.
    let mut start = b[..pos]
        .iter()
        .rposition(|&c| c == b'\n')
        .map_or(0, |i| i + 1);
    while start > 0 {
        let prev_end = start - 1;
        let prev_start = b[..prev_end]
            .iter()
            .rposition(|&c| c == b'\n')
            .map_or(0, |i| i + 1);
        if blank(&b[prev_start..prev_end]) {
            break;
        }
        start = prev_start;
    }
    let mut end = pos;
    loop {
        let line_end = b[end..]
            .iter()
            .position(|&c| c == b'\n')
            .map_or(b.len(), |i| end + i);
        if line_end >= b.len() {
            end = b.len();
            break;
        }
        let next_start = line_end + 1;
        let next_end = b[next_start..]
            .iter()
            .position(|&c| c == b'\n')
            .map_or(b.len(), |i| next_start + i);
        if blank(&b[next_start..next_end]) {
            end = line_end;
            break;
        }
        end = next_start;
    }
    start..end
}

/// Units of `unit` granularity inside `region` (byte offsets into `text`).
pub fn units_in(text: &str, region: Range<usize>, unit: Unit) -> Vec<Range<usize>> {
    let base = region.start;
    units(&text[region], unit)
        .into_iter()
        .map(|r| base + r.start..base + r.end)
        .collect()
}

#[cfg(test)]
mod region_tests {
    use super::*;

    #[test]
    fn local_units_equal_global_units() {
        let t = "# H\nFirst para. Two.\nwrapped line.\n\n  \n- item one. x\n- item two\n\n| a | b |\nLast. End";
        for unit in [Unit::Sentence, Unit::Paragraph] {
            let global = units(t, unit);
            for pos in 0..t.len() {
                if !t.is_char_boundary(pos) {
                    continue;
                }
                let r = region_around(t, pos);
                let local = units_in(t, r.clone(), unit);
                let want: Vec<_> = global
                    .iter()
                    .filter(|u| u.start >= r.start && u.end <= r.end)
                    .cloned()
                    .collect();
                assert_eq!(local, want, "pos {pos} region {r:?}");
                if let Some(u) = global.iter().find(|u| u.start <= pos && pos < u.end) {
                    assert!(
                        local.contains(u),
                        "pos {pos}: unit {u:?} not in region {r:?}"
                    );
                }
            }
        }
    }
}
