//! Splitting one version of a document into disclosure items: paragraphs,
//! list items and table rows, each under the heading path it appears in,
//! with page furniture removed and paragraphs cut by a page break re-joined.
//! The heuristics are listed in the `align` module doc.
//!
//! A table's column headings and similar layout lines (`AS OF MAY 31,`,
//! `TWELVE MONTHS ENDED MAY 31, 2024`, `Carrying Value Fair Value`) are
//! items of kind [`ItemKind::ColumnHeading`], which the aligner pairs but
//! does not report Dropped or Added when their table went or came with
//! them: a heading-shaped line (short, no end mark, capitalised words, no
//! figure but years, dates, footnote marks and unit notes) that follows a
//! row, another such line or a table caption and is followed, past such
//! lines, by a table row. See `heading_shaped` and `column_headings`, and
//! the `align` module doc.

use std::collections::HashMap;
use std::sync::LazyLock;

use regex::Regex;

use super::normalize::{is_cjk, normalize};

/// What kind of unit an item is. Headings are never returned as items (they
/// set [`Item::section`]); the variant exists for callers that classify
/// units the same way.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ItemKind {
    Paragraph,
    ListItem,
    TableRow,
    Heading,
    /// A column heading or similar furniture line of a table (`AS OF MAY
    /// 31,`, `Carrying Value Fair Value`): aligned like any item, so it
    /// anchors its neighbours, but not a disclosure, so the aligner does
    /// not report it Dropped or Added when its table went or came with it.
    ColumnHeading,
}

/// One disclosure item of one version.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    /// The item's text as written, its lines joined by one space (none
    /// between two CJK characters), re-joined across a page break if it was
    /// cut by one. A list item keeps its marker.
    pub text: String,
    /// `text` normalised (see the `normalize` module), list marker removed.
    /// Volatile tokens are not masked here: that depends on `AlignConfig`.
    pub norm: String,
    /// The heading path, titles joined with `" > "`; `""` before any heading.
    pub section: String,
    /// 1-based line of the item's first line in the given text, plus
    /// `line_offset`.
    pub line: usize,
    pub kind: ItemKind,
}

static PAGE_NUMBER: LazyLock<Vec<Regex>> = LazyLock::new(|| {
    [
        r"(?i)^(?:page\s+)?\d{1,3}(?:\s+of\s+\d{1,4})?$",
        r"^[-–—]\s*\d{1,3}\s*[-–—]$",
        r"^[ivxl]{1,6}$",
        r"^[A-Z]{1,2}-\d{1,3}$",
    ]
    .iter()
    .map(|p| Regex::new(p).expect("valid page-number pattern"))
    .collect()
});

/// A line that is only a number of one to three digits.
static BARE_NUMBER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\d{1,3}$").expect("valid bare-number pattern"));
/// How far a page number may run ahead of the one before it (pages without
/// a number, a contents entry some pages on).
const PAGE_STEP: u32 = 20;
/// How many bare numbers back a page number's predecessor is looked for.
const PAGE_CHAIN_LOOKBACK: usize = 64;

static CONTENTS_LINK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^(?:table of contents|back to (?:the )?(?:table of )?contents|return to (?:the )?table of contents)$",
    )
    .expect("valid contents pattern")
});

static MD_HEADING: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(#{1,6})\s+(.*?)\s*#*$").expect("valid heading pattern"));

/// SEC filing structure written as plain lines: `PART II` and
/// `Item 1A. Risk Factors` (a table of contents line `Item 1A.` without a
/// title is not a heading).
static SEC_PART: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^part\s+[ivx]{1,4}\b\.?(?:\s*[-–—:]\s*[^.]{1,60}|\s+[^.\s][^.]{0,59})?$")
        .expect("valid part pattern")
});
static SEC_ITEM: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^item\s+\d{1,2}[a-z]?\s*[.:]\s*\S.{0,150}$").expect("valid item pattern")
});

/// The opening of an SEC item heading: `Item 7.`, `ITEM 1A:` and a title.
static ITEM_OPENING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^item\s+\d{1,2}[a-z]?\s*[.:]\s*\S").expect("valid item-opening pattern")
});

static LIST_MARKER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?:[-*+]\s+|[•●▪◦‣○■□➢►]\s*|[–—]\s+|\d{1,3}[.)]\s+|\(\d{1,3}\)\s+|\(?[a-zA-Z]\)\s+)",
    )
    .expect("valid list marker pattern")
});

/// A run of digits as one symbol, for recognising headers whose only
/// difference is the page number.
static DIGITS: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\d+").expect("valid digits"));

/// A table cell that ends a flattened row: a figure, a percentage, a
/// parenthesised negative, or a dash standing for zero.
static ROW_END: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:[$€£¥]?\s*\(?-?\d[\d,]*(?:\.\d+)?\)?\s*%?|[—–-]{1,2}|n/?a|nm)$")
        .expect("valid row-end pattern")
});

/// What a column heading may hold besides words: a unit note `(Dollars in
/// millions)`, a footnote mark `(1)` or `*`, a date `MAY 31,` and a year.
static HEADING_FIGURES: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?ix)
        \((?:dollars|amounts|shares|units)?\s*in\s+(?:millions|billions|thousands)[^)]*\)
        | \(\d{1,2}\) | \*+
        | \b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2}\b,?
        | \b(?:19|20)\d{2}\b",
    )
    .expect("valid heading-figures pattern")
});

/// A reference that ends with a number but is no table row: `Note 9`.
pub(super) static INDEX_ENTRY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:note|item|part|exhibit|schedule)\s+\S+$").expect("valid index pattern")
});

/// A figure in a line: `20.0`, `1,603`.
static FIGURE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\d[\d,]*(?:\.\d+)?").expect("valid figure pattern"));

#[derive(Debug)]
struct Block<'a> {
    kind: ItemKind,
    /// (1-based line number, trimmed line)
    lines: Vec<(usize, &'a str)>,
    section: String,
    /// Page furniture was skipped between the previous block and this one.
    after_furniture: bool,
    /// A heading stands between the previous block and this one.
    after_heading: bool,
}

impl Item {
    /// The item as a reader quotes it: a list item without its marker.
    pub fn display(&self) -> &str {
        match self.kind {
            ItemKind::ListItem => strip_list_marker(&self.text),
            _ => &self.text,
        }
    }
}

/// Splits `text` into items. Returns an empty Vec only when the text holds
/// nothing that can be an item (no letters or digits outside headings and
/// page furniture): the caller reports that version as unreadable.
pub fn split_items(text: &str, line_offset: usize) -> Vec<Item> {
    let lines: Vec<&str> = text.lines().map(str::trim).collect();
    let furniture = furniture_lines(&lines);
    let full = full_line(&lines, &furniture);
    let short = text_lines(&lines, &furniture) < MEASURE_MIN_LINES;
    let blocks = postprocess(
        split_at_early_breaks(build_blocks(&lines, &furniture), full, short),
        full,
    );
    let headings = column_headings(&blocks);
    let mut out = Vec::with_capacity(blocks.len());
    for (mut b, head) in blocks.into_iter().zip(headings) {
        if head {
            b.kind = ItemKind::ColumnHeading;
        }
        let text = join_lines(b.lines.iter().map(|&(_, s)| s));
        let cells = match b.kind {
            ItemKind::Paragraph => signature_cells(&text),
            _ => Vec::new(),
        };
        let texts = if cells.len() > 1 { cells } else { vec![text] };
        for text in texts {
            let body = match b.kind {
                ItemKind::ListItem => strip_list_marker(&text),
                _ => &text,
            };
            let norm = normalize(body);
            // Figures without a label (a column heading row `2024 2023`, an
            // exhibit number) say nothing on their own.
            if !norm.chars().any(char::is_alphabetic) {
                continue;
            }
            out.push(Item {
                norm,
                text,
                section: b.section.clone(),
                line: b.lines[0].0 + line_offset,
                kind: b.kind,
            });
        }
    }
    out
}

/// Words that end a signer's capacity in a signature table (`… Chief
/// Financial Officer`, `… Director`, `Chair of the Board`).
const CAPACITY_ENDS: [&str; 6] = [
    "Director",
    "Officer",
    "Controller",
    "Board",
    "Secretary",
    "Treasurer",
];

/// The cells of a line of a two-column signature table, one per signer, so
/// each signer is compared alone (one signer leaving would otherwise
/// re-pair every later line): `/s/ Lynn J. Good /s/ Ronald A. Williams`
/// gives one cell per `/s/`; `Lynn J. Good – Director Ronald A. Williams –
/// Director` (at least two ` – `) is cut after a capacity word followed by
/// a capitalised word, when every cell keeps its ` – `. Any other line
/// gives no cells.
fn signature_cells(text: &str) -> Vec<String> {
    if text.starts_with("/s/") && text.matches("/s/").count() >= 2 {
        return text
            .split("/s/")
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .map(|c| format!("/s/ {c}"))
            .collect();
    }
    const DASH: &str = " \u{2013} ";
    if text.matches(DASH).count() < 2 {
        return Vec::new();
    }
    let words: Vec<&str> = text.split(' ').collect();
    let mut cells: Vec<String> = Vec::new();
    let mut cur: Vec<&str> = Vec::new();
    for (k, w) in words.iter().enumerate() {
        cur.push(w);
        let next_cap = words
            .get(k + 1)
            .and_then(|n| n.chars().next())
            .is_some_and(char::is_uppercase);
        if CAPACITY_ENDS.contains(w) && next_cap {
            cells.push(cur.join(" "));
            cur.clear();
        }
    }
    if !cur.is_empty() {
        cells.push(cur.join(" "));
    }
    if cells.len() >= 2 && cells.iter().all(|c| c.contains(DASH)) {
        cells
    } else {
        Vec::new()
    }
}

/// Joins lines with a space, except between two CJK characters (CJK text is
/// wrapped without spaces).
fn join_lines<'a>(lines: impl Iterator<Item = &'a str>) -> String {
    let mut out = String::new();
    for l in lines {
        if !out.is_empty() {
            let cjk_seam =
                out.chars().next_back().is_some_and(is_cjk) && l.chars().next().is_some_and(is_cjk);
            if !cjk_seam {
                out.push(' ');
            }
        }
        out.push_str(l);
    }
    out
}

pub(crate) fn strip_list_marker(s: &str) -> &str {
    LIST_MARKER.find(s).map_or(s, |m| &s[m.end()..])
}

fn is_page_marker(s: &str) -> bool {
    CONTENTS_LINK.is_match(s) || PAGE_NUMBER.iter().any(|re| re.is_match(s))
}

/// Marks page furniture: page numbers, "Table of Contents" links, and
/// running headers/footers (see the `align` module doc).
fn furniture_lines(lines: &[&str]) -> Vec<bool> {
    let mut mark: Vec<bool> = lines.iter().map(|s| is_page_marker(s)).collect();
    // A bare number is a page number only in step with the page numbers:
    // on the longest chain of bare numbers that never goes back and never
    // jumps more than PAGE_STEP (the body's pages), or in step with the
    // bare number before or after it (a contents entry's page). One out of
    // step is a table figure whose label stands on the line above
    // (`Employee severance and related costs` / `392`, `Thereafter` /
    // `37`, an officer's age).
    let bare: Vec<(usize, u32)> = lines
        .iter()
        .enumerate()
        .filter(|(_, s)| BARE_NUMBER.is_match(s))
        .filter_map(|(i, s)| s.parse().ok().map(|v| (i, v)))
        .collect();
    let step = |u: u32, v: u32| u <= v && v <= u + PAGE_STEP;
    let chain = page_chain(&bare, step);
    for (k, &(i, v)) in bare.iter().enumerate() {
        let in_step = chain[k]
            || (k > 0 && step(bare[k - 1].1, v))
            || bare.get(k + 1).is_some_and(|&(_, w)| step(v, w));
        if !in_step {
            mark[i] = false;
        }
    }
    let nonblank: Vec<usize> = (0..lines.len()).filter(|&i| !lines[i].is_empty()).collect();
    let mut groups: HashMap<String, Vec<usize>> = HashMap::new();
    for (pos, &i) in nonblank.iter().enumerate() {
        let s = lines[i];
        // A header or footer is a label, not a sentence: it has no end mark.
        if !mark[i]
            && s.chars().count() <= 100
            && s.chars().any(char::is_alphabetic)
            && !ends_terminal(s)
        {
            let key = DIGITS.replace_all(&squeeze(s), "#").into_owned();
            groups.entry(key).or_default().push(pos);
        }
    }
    // A running header is on a good share of the pages; a table heading
    // that happens to open a few pages is not.
    let pages = mark.iter().filter(|&&m| m).count();
    let min_len = (pages / 4).max(3);
    let squeezed = |g: &[usize]| {
        g.iter()
            .map(|&p| squeeze(lines[nonblank[p]]))
            .collect::<Vec<_>>()
    };
    // A footer that counts the pages itself (`file:///… 18/100`, `Page 18
    // of 40`, as a browser or word processor prints them) needs no bare
    // page number beside it: its number goes up page by page through the
    // whole document. A header stacked on it is marked through it below.
    for g in groups.values() {
        if g.len() >= 2 && page_counter(&squeezed(g), g, nonblank.len()) {
            for &pos in g {
                mark[nonblank[pos]] = true;
            }
        }
    }
    let mut groups: Vec<Vec<usize>> = groups
        .into_values()
        .filter(|g| g.len() >= min_len && one_varying_number(&squeezed(g)).is_some())
        .collect();
    // Sorting makes the result independent of hash order: a group marked in
    // the first round can make another group adjacent in the second.
    groups.sort_unstable();
    // Two rounds: a header stacked on a footer is next to a page marker only
    // through the footer.
    for _ in 0..2 {
        for g in &groups {
            if mark[nonblank[g[0]]] {
                continue;
            }
            let near = g
                .iter()
                .filter(|&&pos| {
                    (pos > 0 && mark[nonblank[pos - 1]])
                        || nonblank.get(pos + 1).is_some_and(|&i| mark[i])
                })
                .count();
            if near * 2 >= g.len() {
                for &pos in g {
                    mark[nonblank[pos]] = true;
                }
            }
        }
    }
    mark
}

/// Which of the bare numbers lie on the longest chain whose consecutive
/// members are in `step` (looking back at most `PAGE_CHAIN_LOOKBACK`
/// numbers for a predecessor, so a table of bare figures stays linear).
fn page_chain(bare: &[(usize, u32)], step: impl Fn(u32, u32) -> bool) -> Vec<bool> {
    let mut len = vec![1usize; bare.len()];
    let mut prev: Vec<Option<usize>> = vec![None; bare.len()];
    for k in 0..bare.len() {
        for m in k.saturating_sub(PAGE_CHAIN_LOOKBACK)..k {
            if step(bare[m].1, bare[k].1) && len[m] + 1 > len[k] {
                len[k] = len[m] + 1;
                prev[k] = Some(m);
            }
        }
    }
    let mut on = vec![false; bare.len()];
    // The first longest chain's end, then back along it.
    let mut at = (0..bare.len()).max_by_key(|&k| (len[k], std::cmp::Reverse(k)));
    while let Some(k) = at {
        on[k] = true;
        at = prev[k];
    }
    on
}

/// A line as running headers and footers are compared: lower case, without
/// whitespace. PDF text extraction spaces the glyphs of a small header font
/// apart unevenly, and not alike on every page (`1 8 /1 0 0`, `b oeing`).
fn squeeze(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect()
}

/// When the lines (equal once digit runs are masked) are identical or
/// differ in one digit run only, `Some` of that run's index (`None` inside
/// when none differs): a running header, or a footer carrying the page
/// number. Table rows, whose figures differ in several places, are not
/// furniture however often their label repeats.
fn one_varying_number(lines: &[String]) -> Option<Option<usize>> {
    let runs = |s: &str| {
        DIGITS
            .find_iter(s)
            .map(|m| m.as_str().to_string())
            .collect::<Vec<_>>()
    };
    let Some(first) = lines.first() else {
        return Some(None);
    };
    let base = runs(first);
    let mut varying: Option<usize> = None;
    for l in &lines[1..] {
        for (k, (a, b)) in base.iter().zip(runs(l)).enumerate() {
            if *a != b {
                match varying {
                    None => varying = Some(k),
                    Some(v) if v == k => {}
                    Some(_) => return None,
                }
            }
        }
    }
    Some(varying)
}

/// How many copies a page-counting footer needs to be taken for one.
const PAGE_COUNTER_MIN: usize = 5;

/// Whether a group of lines (squeezed, at nonblank positions `pos` of
/// `total`) is a footer counting the pages: at least `PAGE_COUNTER_MIN`
/// copies (or every page of a shorter document, `1/N` to `N/N`) differing in one number `n` of `n/N` or `n of N` (N the same in
/// all) that goes up from copy to copy by at most `PAGE_STEP`, the first
/// copy in the first quarter of the text and the last in the last quarter.
fn page_counter(lines: &[String], pos: &[usize], total: usize) -> bool {
    if lines.len() < 2 || pos[0] * 4 > total || pos[pos.len() - 1] * 4 < total * 3 {
        return false;
    }
    let Some(Some(k)) = one_varying_number(lines) else {
        return false;
    };
    // `n/N` or `n of N`, N the same on every page: a page count, not a
    // chapter or note number that happens to go up through the text.
    let counts: Option<Vec<(u32, u32)>> = lines
        .iter()
        .map(|l| {
            let runs: Vec<_> = DIGITS.find_iter(l).collect();
            let (n, total) = (runs.get(k)?, runs.get(k + 1)?);
            let between = &l[n.end()..total.start()];
            (between == "/" || between == "of")
                .then(|| Some((n.as_str().parse().ok()?, total.as_str().parse().ok()?)))?
        })
        .collect();
    counts.is_some_and(|c| {
        // Every page from 1 to N, once each: the count is complete, which
        // a run of numbered labels hardly ever is, so a short document
        // (a three-page scan printed by a browser) needs no five copies.
        let complete = c.iter().enumerate().all(|(k, &(n, _))| n as usize == k + 1)
            && c[0].1 as usize == c.len();
        (c.len() >= PAGE_COUNTER_MIN || complete)
            && c.iter().all(|&(n, total)| n <= total && total == c[0].1)
            && c.windows(2)
                .all(|w| w[0].0 < w[1].0 && w[1].0 <= w[0].0 + PAGE_STEP)
    })
}

/// A heading line: Markdown `#` (level = number of `#`), or an SEC `PART`
/// (level 1) / `Item N.` (level 2) line standing alone.
fn heading(s: &str, standalone: bool) -> Option<(usize, String)> {
    if let Some(c) = MD_HEADING.captures(s) {
        let title = c[2].trim();
        if !title.is_empty() {
            return Some((c[1].len(), title.to_string()));
        }
    }
    if standalone && !s.ends_with('.') {
        if SEC_PART.is_match(s) {
            return Some((1, s.to_string()));
        }
        if SEC_ITEM.is_match(s) {
            return Some((2, s.to_string()));
        }
    }
    None
}

/// An SEC `Item N.` heading that hard-wrapped text (a PDF, a fixed-width
/// conversion) broke over two or three lines standing alone (`ITEM 7.
/// MANAGEMENT'S DISCUSSION AND ANALYSIS OF FINANCIAL CONDITION AND RESULTS
/// OF` / `OPERATIONS`): the first line opens an item heading, each further
/// line is heading-shaped (capitalised words, no end mark or figure), and
/// the lines joined read as a heading. Returns the index past its last line
/// and the joined title. Otherwise every item under it would be filed under
/// the heading before, and reported moved against a version whose heading
/// fits on one line.
fn wrapped_heading(lines: &[&str], furniture: &[bool], i: usize) -> Option<(usize, String)> {
    if !ITEM_OPENING.is_match(lines[i]) || lines[i].ends_with('.') {
        return None;
    }
    let mut end = i + 1;
    while end < lines.len() && !lines[end].is_empty() {
        if end - i >= 3 || furniture[end] || !heading_shaped(lines[end]) {
            return None;
        }
        end += 1;
    }
    let title = lines[i..end].join(" ");
    matches!(heading(&title, true), Some((2, _))).then_some((end, title))
}

fn build_blocks<'a>(lines: &[&'a str], furniture: &[bool]) -> Vec<Block<'a>> {
    let mut blocks: Vec<Block<'a>> = Vec::new();
    let mut cur: Option<Block<'a>> = None;
    let mut stack: Vec<(usize, String)> = Vec::new();
    let (mut gap_furniture, mut gap_heading) = (false, false);
    let mut pending_bullet = false;
    // Lines already taken by a heading wrapped over several lines.
    let mut skip_to = 0;
    let section_of = |stack: &[(usize, String)]| {
        stack
            .iter()
            .map(|(_, t)| t.as_str())
            .collect::<Vec<_>>()
            .join(" > ")
    };

    for (i, &s) in lines.iter().enumerate() {
        let no = i + 1;
        if furniture[i] {
            blocks.extend(cur.take());
            gap_furniture = true;
            continue;
        }
        if s.is_empty() {
            blocks.extend(cur.take());
            continue;
        }
        if i < skip_to {
            continue;
        }
        let standalone = cur.is_none() && lines.get(i + 1).is_none_or(|n| n.is_empty());
        // A heading on one line, or an item heading hard-wrapped over the
        // next lines too (they are skipped).
        let found = match (cur.is_none() && !standalone)
            .then(|| wrapped_heading(lines, furniture, i))
            .flatten()
        {
            Some((end, title)) => {
                skip_to = end;
                Some((2, title))
            }
            None => heading(s, standalone),
        };
        if let Some((level, title)) = found {
            blocks.extend(cur.take());
            while stack.last().is_some_and(|(l, _)| *l >= level) {
                stack.pop();
            }
            stack.push((level, title));
            gap_heading = true;
            pending_bullet = false;
            continue;
        }
        if s.starts_with('|') {
            blocks.extend(cur.take());
            // A Markdown table's header separator (`|---|:--|`) says nothing.
            if s.chars().all(|c| matches!(c, '|' | '-' | ':' | ' ')) {
                continue;
            }
            blocks.push(Block {
                kind: ItemKind::TableRow,
                lines: vec![(no, s)],
                section: section_of(&stack),
                after_furniture: std::mem::take(&mut gap_furniture),
                after_heading: std::mem::take(&mut gap_heading),
            });
            continue;
        }
        let marker = LIST_MARKER.find(s).filter(|m| {
            // A dash or a number opening a line inside a paragraph whose
            // line before was cut mid-sentence is the text wrapped there
            // (`… Refer to Note 12` / `— Risk Management and Derivatives
            // …`, `… including conducting` / `(1) an audit …`), not a list
            // item: no paragraph leads into a list
            // without an end mark, and bullets (`•`, `*`) are never
            // wrapped text.
            let wrapped = cur.as_ref().is_some_and(|b| {
                let last = b.lines.last().map_or("", |&(_, l)| l);
                b.kind == ItemKind::Paragraph
                    && last.chars().count() >= crate::corpus::units::WRAPPED_MIN_CHARS
                    && !last.ends_with(['.', ':', ';', '?', '!'])
            });
            // `(1) an audit …` mid-sentence, wrapped to a line start, too,
            // and a hyphen typed for a dash (`… sold to` / `- as we
            // reported last year - large …`).
            let dash_or_number = s.starts_with(['—', '–', '('])
                || s.starts_with("- ")
                || s.starts_with(|c: char| c.is_ascii_digit());
            !(wrapped && dash_or_number && m.end() < s.len())
        });
        if let Some(m) = marker {
            blocks.extend(cur.take());
            if m.end() == s.len() {
                // A bullet on a line of its own: the converter put the item's
                // text in the next block.
                pending_bullet = true;
                continue;
            }
        }
        match cur.as_mut() {
            Some(b) if marker.is_none() => b.lines.push((no, s)),
            _ => {
                let kind = if marker.is_some() || std::mem::take(&mut pending_bullet) {
                    ItemKind::ListItem
                } else {
                    ItemKind::Paragraph
                };
                cur = Some(Block {
                    kind,
                    lines: vec![(no, s)],
                    section: section_of(&stack),
                    after_furniture: std::mem::take(&mut gap_furniture),
                    after_heading: std::mem::take(&mut gap_heading),
                });
            }
        }
    }
    blocks.extend(cur);
    blocks
}

/// In hard-wrapped text (`full`: see [`full_line`]), a line of a paragraph
/// that had room for the next line's first word ended there on purpose:
/// the lines after it, when they open with a capital, are a block of their
/// own (unmarked list lines, a heading run into its text by the
/// extraction). Wrapping breaks a line only where the next word does not
/// fit. In text too short to measure, a table row over a line of prose is
/// split off by its shape, and a block written one item per line
/// ([`one_per_line`]) gives an item per line.
fn split_at_early_breaks(
    blocks: Vec<Block<'_>>,
    full: Option<usize>,
    short: bool,
) -> Vec<Block<'_>> {
    let measure = full.map(|f| f + 15);
    let mut out = Vec::with_capacity(blocks.len());
    // A column heading printed over several lines stands right above its
    // table's first row: its lines are pieces of one heading, not items.
    let over_row: Vec<bool> = (0..blocks.len())
        .map(|k| blocks.get(k + 1).is_some_and(|n| row_like(n.lines[0].1)))
        .collect();
    for (b, over_row) in blocks.into_iter().zip(over_row) {
        let heading = over_row
            && b.lines
                .iter()
                .all(|&(_, l)| l.chars().count() <= 60 && !ends_terminal(l));
        if b.kind != ItemKind::Paragraph || b.lines.len() < 2 || heading {
            out.push(b);
            continue;
        }
        let per_line = short && one_per_line(&b.lines);
        let mut cur = Block {
            kind: b.kind,
            lines: Vec::new(),
            section: b.section.clone(),
            after_furniture: b.after_furniture,
            after_heading: b.after_heading,
        };
        for (k, &line) in b.lines.iter().enumerate() {
            if let Some(&(_, prev)) = (k > 0).then(|| b.lines[k - 1]).as_ref() {
                let first = line.1.split_whitespace().next().unwrap_or("");
                let had_room = measure.is_some_and(|m| {
                    (prev.chars().count() + 1 + first.chars().count()) * 10 < m * 9
                });
                let capital = first.starts_with(char::is_uppercase);
                // A table row the extraction ran into the paragraph below
                // it (`Services 27 25` / `Our gross margin improved …`) has
                // room left in measured text; in text too short to measure
                // it is split off by its shape, so that two versions of one
                // layout split alike whatever their length.
                let row_over_prose =
                    measure.is_none() && row_of_figures(prev) && capital && is_prose(line.1);
                if (had_room && capital && !ends_mid_sentence(prev)) || row_over_prose || per_line {
                    let rest = Block {
                        kind: b.kind,
                        lines: Vec::new(),
                        section: b.section.clone(),
                        after_furniture: false,
                        after_heading: false,
                    };
                    out.push(std::mem::replace(&mut cur, rest));
                }
            }
            cur.lines.push(line);
        }
        out.push(cur);
    }
    out
}

/// In a text too short to measure its line width, a block whose every line
/// was ended on purpose: each line but the last ends a sentence (`.`, `;`,
/// `:` …) or the block is a list of short lines (at most 60 characters,
/// at least two of them, under an optional lead-in ending `:`), and every
/// line after the first opens like an item (a capital or a figure; a
/// letter of a script without case after a sentence end), and no line of
/// the list ends mid-sentence (a comma, a hyphen, a function word). Such
/// a block is a list typed without markers or one sentence per line
/// (`We audited 40 suppliers.` / `Two suppliers were suspended.`), and a
/// line removed from it must show as dropped, not as the block changed.
/// A wrapped paragraph almost always has a line opening in lower case.
fn one_per_line(lines: &[(usize, &str)]) -> bool {
    if lines.len() < 2 {
        return false;
    }
    let body = match lines[0].1.ends_with(':') {
        true => &lines[1..],
        false => lines,
    };
    let list = body.len() >= 2 && body.iter().all(|&(_, l)| l.chars().count() <= 60);
    lines.windows(2).all(|w| {
        let (prev, next) = (w[0].1, w[1].1);
        let c = next.chars().next().unwrap_or(' ');
        let cased = c.is_uppercase() || c.is_ascii_digit();
        let uncased = c.is_alphabetic() && !c.is_lowercase() && !c.is_uppercase();
        (ends_terminal(prev) && (cased || uncased)) || (list && cased && !ends_mid_sentence(prev))
    })
}

/// The lines that hold text: not page furniture, not blank.
fn text_lines(lines: &[&str], furniture: &[bool]) -> usize {
    lines
        .iter()
        .zip(furniture)
        .filter(|(l, f)| !**f && !l.is_empty())
        .count()
}

/// Below this many lines of text the line width cannot be measured.
const MEASURE_MIN_LINES: usize = 40;

/// A label and at least two figures after it, nothing else (`Services 25
/// 22`, `Total $ 1,234 $ 1,101`): a table row, not a sentence that ends on
/// a year.
fn row_of_figures(s: &str) -> bool {
    let words: Vec<&str> = s
        .split_whitespace()
        .filter(|w| !matches!(*w, "$" | "%"))
        .collect();
    let figure = |w: &str| {
        w.chars().any(|c| c.is_ascii_digit())
            && w.chars()
                .all(|c| c.is_ascii_digit() || "$,.()%-—–".contains(c))
    };
    let n = words.len();
    n >= 3
        && figure(words[n - 1])
        && figure(words[n - 2])
        && words[0].starts_with(char::is_alphabetic)
        && row_like(s)
}

fn row_like(s: &str) -> bool {
    s.chars().count() <= 200
        && s.chars().any(|c| c.is_ascii_digit())
        && ROW_END.is_match(s)
        && !s.ends_with('.')
        && !amount_then_comma(s)
}

/// A line ending with an amount and a comma (`… net of tax of $13,`) is a
/// sentence or label wrapped in the middle of a list of amounts, not a
/// table row (a date heading `MAY 31,` has no currency sign).
fn amount_then_comma(s: &str) -> bool {
    s.strip_suffix(',').is_some_and(|body| {
        body.trim_end_matches(|c: char| c.is_ascii_digit() || c == ',' || c == '.')
            .trim_end()
            .ends_with(['$', '€', '£', '¥'])
    })
}

fn numeric_only(s: &str) -> bool {
    s.chars().any(|c| c.is_ascii_digit()) && !s.chars().any(char::is_alphabetic)
}

/// Ends like a finished sentence or a label (`.`, `!`, `?`, `:`, `;`, CJK
/// full stops), looking through closing quotes and brackets.
pub(super) fn ends_terminal(s: &str) -> bool {
    s.chars()
        .rev()
        .find(|c| !matches!(c, '"' | '\'' | '”' | '’' | ')' | ']' | '）' | '」' | '』'))
        .is_some_and(|c| {
            matches!(
                c,
                '.' | '!' | '?' | ':' | ';' | '。' | '！' | '？' | '：' | '；' | '…'
            )
        })
}

/// Ends on a comma, hyphen or function word: certainly mid-sentence.
fn ends_mid_sentence(s: &str) -> bool {
    if s.ends_with([',', '-', '–', '—', '(', '/']) {
        return true;
    }
    let last = s
        .rsplit(|c: char| !c.is_alphanumeric())
        .find(|w| !w.is_empty())
        .unwrap_or("");
    super::normalize::is_stopword(&last.to_lowercase())
}

/// In hard-wrapped text (a PDF, a fixed-width conversion), the length from
/// which a line is a full one, cut at the margin: lines of prose fill the
/// width, so the longest lines cluster just under it. None for text written
/// one paragraph per line (its longest lines run to hundreds of characters)
/// or too short to tell.
fn full_line(lines: &[&str], furniture: &[bool]) -> Option<usize> {
    if text_lines(lines, furniture) < MEASURE_MIN_LINES {
        return None;
    }
    let mut lens: Vec<usize> = lines
        .iter()
        .zip(furniture)
        .filter(|(l, f)| !**f && !l.is_empty())
        .map(|(l, _)| l.chars().count())
        .collect();
    lens.sort_unstable();
    let p95 = lens[lens.len() * 95 / 100];
    // Wrapped: a margin of at most 150 characters, and at least a quarter
    // of the lines within 15 of it.
    let near = lens.iter().filter(|&&n| n + 15 >= p95 && n <= p95).count();
    (p95 <= 150 && near * 4 >= lens.len()).then(|| p95.saturating_sub(15))
}

/// Every letter a capital (`NOTE 18 — RESTRUCTURING`): a title.
fn all_caps(s: &str) -> bool {
    let mut letters = s.chars().filter(|c| c.is_alphabetic()).peekable();
    letters.peek().is_some() && letters.all(char::is_uppercase)
}

/// A sentence, not a title: at most a third of its words of four letters
/// or more open with a capital (`… held during the years ended`, not
/// `Average Price Paid per Share Total Number of Shares Purchased …`).
fn sentence_case(s: &str) -> bool {
    let (mut caps, mut words) = (0, 0);
    for w in s
        .split_whitespace()
        .filter(|w| w.chars().filter(|c| c.is_alphabetic()).count() >= 4)
    {
        words += 1;
        caps += usize::from(w.starts_with(char::is_uppercase));
    }
    words > 0 && caps * 3 <= words
}

/// Mostly lowercase letters: running text, not a table heading in capitals.
fn is_prose(s: &str) -> bool {
    let (mut lower, mut letters) = (0, 0);
    for c in s.chars().filter(|c| c.is_alphabetic()) {
        letters += 1;
        lower += usize::from(c.is_lowercase());
    }
    letters > 0 && lower * 10 >= letters * 7
}

/// A line shaped like a table's column heading or its furniture: at most
/// 100 characters and 14 words, no end mark, no full stop (`Brian R.
/// Smith`, `Maxwell Technologies, Inc. … Plan` are names), no currency or
/// percent sign, no spaced dash (`NOTE 19 — RESTRUCTURING`, `SCHEDULE II —
/// …` are titles), no figure besides a year, a date, a footnote mark or a
/// unit note, and every word that is not a function word capitalised
/// (`Carrying Value Fair Value`, `AS OF MAY 31,`), unlike a row label in
/// sentence case (`Employee severance and related costs`).
fn heading_shaped(text: &str) -> bool {
    if text.chars().count() > 100
        || text.starts_with('|')
        || ends_terminal(text)
        || text.contains(['.', '$', '€', '£', '¥', '%'])
        || [" \u{2014}", " \u{2013}", " -"]
            .iter()
            .any(|d| text.contains(&format!("{d} ")) || text.ends_with(d))
    {
        return false;
    }
    let rest = HEADING_FIGURES.replace_all(text, " ");
    if rest.chars().any(|c| c.is_ascii_digit()) {
        return false;
    }
    let words = |t: &str| -> Vec<String> {
        t.split_whitespace()
            .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
            .filter(|w| w.chars().next().is_some_and(char::is_alphabetic))
            .map(str::to_string)
            .collect()
    };
    let stop = |w: &String| super::normalize::is_stopword(&w.to_lowercase());
    // Dates or a unit note alone (`December 31, 2023 December 31, 2022`,
    // `(in billions)`) head columns too.
    let left = words(&rest);
    left.len() <= 14
        && left
            .iter()
            .all(|w| w.chars().next().is_some_and(char::is_uppercase) || stop(w))
        // Not only function words, the month `MAY` being a word here.
        && !words(text)
            .iter()
            .all(|w| stop(w) && !w.eq_ignore_ascii_case("may"))
}

/// Marks the blocks that are column headings of a table (see the `align`
/// module doc): heading-shaped; standing in a table, right after a table
/// row, another heading-shaped line, a unit note, a figures-only line, a
/// short label or a caption (a block ending with `:` or `below.`), with no
/// heading between; and followed in the same section, past other
/// heading-shaped lines, unit notes, figures-only lines and short labels,
/// by a table row (a row item, or an unpunctuated line holding two figures
/// such as `$ 20.0 Achieved $ 1.5 Achieved`). A section heading over a
/// table follows running text, so it stays an item of its own.
fn column_headings(blocks: &[Block<'_>]) -> Vec<bool> {
    /// How far past a heading its table's first row may stand.
    const LOOKAHEAD: usize = 8;
    let texts: Vec<String> = blocks
        .iter()
        .map(|b| join_lines(b.lines.iter().map(|&(_, s)| s)))
        .collect();
    let shaped: Vec<bool> = blocks
        .iter()
        .zip(&texts)
        .map(|(b, t)| {
            matches!(b.kind, ItemKind::Paragraph | ItemKind::TableRow) && heading_shaped(t)
        })
        .collect();
    // Passed over between a heading and its row: no letters left once the
    // unit note and figures are gone, or a label of at most 8 words without
    // figures or end mark (`Number of units:`).
    let skippable = |k: usize| {
        let t = &texts[k];
        let rest = HEADING_FIGURES.replace_all(t, " ");
        blocks[k].kind != ItemKind::ListItem
            && (!rest.chars().any(char::is_alphabetic)
                || (!rest.chars().any(|c| c.is_ascii_digit())
                    && rest.split_whitespace().count() <= 8
                    && !t.ends_with(['.', '!', '?', ';'])))
    };
    // An index entry `Note 9` ends with a figure but is no row.
    let row = |k: usize| {
        let t = &texts[k];
        !shaped[k]
            && !INDEX_ENTRY.is_match(t)
            && t.chars().any(char::is_alphabetic)
            && (blocks[k].kind == ItemKind::TableRow
                || (t.chars().count() <= 200
                    && !ends_terminal(t)
                    && FIGURE.find_iter(t).count() >= 2))
    };
    let opens_table = |k: usize| {
        let t = &texts[k];
        shaped[k] || skippable(k) || row(k) || t.ends_with(':') || t.ends_with("below.")
    };
    (0..blocks.len())
        .map(|k| {
            if !shaped[k]
                || k == 0
                || blocks[k].after_heading
                || blocks[k - 1].section != blocks[k].section
                || !opens_table(k - 1)
            {
                return false;
            }
            for n in k + 1..blocks.len().min(k + 1 + LOOKAHEAD) {
                if blocks[n].after_heading || blocks[n].section != blocks[k].section {
                    return false;
                }
                if row(n) {
                    return true;
                }
                if !(shaped[n] || skippable(n)) {
                    return false;
                }
            }
            false
        })
        .collect()
}

/// Joins and splits blocks into their final shape: flattened rows, labels
/// over their figures, paragraphs cut by a page break. `full` is the length
/// of a full line of hard-wrapped text ([`full_line`]), if it is such text.
fn postprocess(blocks: Vec<Block<'_>>, full: Option<usize>) -> Vec<Block<'_>> {
    let mut out: Vec<Block<'_>> = Vec::with_capacity(blocks.len());
    for mut b in blocks {
        // Lines of a flattened table are rows, one item each.
        if b.kind == ItemKind::Paragraph && b.lines.iter().all(|&(_, s)| row_like(s)) {
            b.kind = ItemKind::TableRow;
            if b.lines.len() > 1 {
                let Block {
                    lines,
                    section,
                    after_furniture,
                    after_heading,
                    ..
                } = b;
                let first = out.len();
                for (k, line) in lines.into_iter().enumerate() {
                    // A line of figures only, or one opening in lower case,
                    // goes on with the row above: hard wrapping cut that
                    // row (`Sales … 13,009 12,730` / `2 % 2 % 10,543 21 %
                    // 27 %`; `… net of tax of $0, $0` / `and ($2)`).
                    let goes_on = numeric_only(line.1) || line.1.starts_with(char::is_lowercase);
                    if k > 0
                        && goes_on
                        && let Some(prev) = out[first..].last_mut()
                    {
                        prev.lines.push(line);
                        continue;
                    }
                    out.push(Block {
                        kind: ItemKind::TableRow,
                        lines: vec![line],
                        section: section.clone(),
                        after_furniture: after_furniture && k == 0,
                        after_heading: after_heading && k == 0,
                    });
                }
                continue;
            }
        }
        if let Some(prev) = out.last_mut() {
            let first = b.lines[0].1;
            // A row whose label the converter put on a line of its own:
            // `Federal net operating loss carryovers(1)` then `2,551 2,082`
            // (the label hard-wrapped over two lines, too).
            let prev_text = prev.lines.last().map_or("", |&(_, s)| s);
            let label_chars: usize = prev.lines.iter().map(|&(_, s)| s.chars().count()).sum();
            let label_then_figures = b.lines.len() == 1
                && numeric_only(first)
                && !b.after_heading
                && prev.lines.len() <= 2
                && matches!(prev.kind, ItemKind::Paragraph | ItemKind::TableRow)
                && label_chars <= 150
                && !ends_terminal(prev_text)
                && !prev.lines.iter().all(|&(_, s)| numeric_only(s));
            // A paragraph cut by a page break: it stops without an end mark
            // and goes on after the furniture.
            let prev_len: usize = prev.lines.iter().map(|&(_, s)| s.len()).sum();
            // A paragraph cut by a page break is running text; a short
            // label ("Interests in" over "Subsidiaries") is a column heading
            // the converter broke over lines, which no page break joins.
            // A bracket left open (`… (Exhibit` / `3.1 to the Company's
            // Current Report … 2024) 3.3`) is closed after the break, even
            // by a line that ends like a table row: an index entry wrapped.
            let open_bracket = || {
                let opens: usize = prev
                    .lines
                    .iter()
                    .map(|&(_, s)| s.matches('(').count())
                    .sum();
                let closes: usize = prev
                    .lines
                    .iter()
                    .map(|&(_, s)| s.matches(')').count())
                    .sum();
                opens > closes && first.contains(')')
            };
            let cut_paragraph = b.after_furniture
                && !b.after_heading
                && prev_len >= 40
                && matches!(prev.kind, ItemKind::Paragraph | ItemKind::ListItem)
                && !ends_terminal(prev_text)
                && ((b.kind == ItemKind::Paragraph
                    && (first
                        .chars()
                        .next()
                        .is_some_and(|c| c.is_lowercase() || is_cjk(c))
                        || ends_mid_sentence(prev_text)
                        || (prev_len >= 150 && is_prose(prev_text) && is_prose(first))
                        || (prev_len >= 100 && sentence_case(prev_text) && is_prose(first))
                        || (full.is_some_and(|w| prev_text.chars().count() >= w)
                            && (prev.lines.len() >= 2 || sentence_case(prev_text))
                            && !all_caps(first))))
                    || (matches!(b.kind, ItemKind::Paragraph | ItemKind::TableRow)
                        && b.lines.len() == 1
                        && open_bracket()));
            if label_then_figures {
                prev.kind = ItemKind::TableRow;
                prev.lines.extend(b.lines);
                continue;
            }
            if cut_paragraph {
                prev.lines.extend(b.lines);
                continue;
            }
        }
        out.push(b);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str, expect: &[(&str, ItemKind, &str, usize)]) {
        let items = split_items(text, 0);
        let got: Vec<(&str, ItemKind, &str, usize)> = items
            .iter()
            .map(|i| (i.text.as_str(), i.kind, i.section.as_str(), i.line))
            .collect();
        assert_eq!(got, expect);
    }

    #[test]
    fn paragraphs_lists_tables_and_headings() {
        check(
            "# Report\n\nFirst para\nwrapped here.\n\n## Risks\n\n- one\n- two\n  continued\n\n| a | 1 |\n|---|---|\n| b | 2 |\n\n1. numbered\n",
            &[
                ("First para wrapped here.", ItemKind::Paragraph, "Report", 3),
                ("- one", ItemKind::ListItem, "Report > Risks", 8),
                ("- two continued", ItemKind::ListItem, "Report > Risks", 9),
                ("| a | 1 |", ItemKind::TableRow, "Report > Risks", 12),
                ("| b | 2 |", ItemKind::TableRow, "Report > Risks", 14),
                ("1. numbered", ItemKind::ListItem, "Report > Risks", 16),
            ],
        );
    }

    #[test]
    fn line_offset_is_added() {
        let items = split_items("\nHello.", 10);
        assert_eq!(items[0].line, 12);
    }

    #[test]
    fn a_wrapped_line_opening_with_a_dash_or_a_number_goes_on_with_its_sentence() {
        // Hard-wrapped text (PDF or fixed-width extraction) puts a title's
        // dash or a figure at the start of a line: the sentence goes on.
        let text = "Our derivatives are designated as cash flow hedges. Refer to Note 12\n\
                    — Risk Management and Derivatives in the accompanying Notes for additional\n\
                    information. Our lease terms are described in Note 7 and in Note\n\
                    8. Leases apply to all of our stores.\n\n\
                    Factors include:\n\
                    — currency rates;\n\
                    — tariffs.\n";
        let items = split_items(text, 0);
        let got: Vec<(&str, ItemKind)> = items.iter().map(|i| (i.text.as_str(), i.kind)).collect();
        assert_eq!(
            got,
            [
                (
                    "Our derivatives are designated as cash flow hedges. Refer to Note 12 — Risk \
                     Management and Derivatives in the accompanying Notes for additional \
                     information. Our lease terms are described in Note 7 and in Note 8. Leases \
                     apply to all of our stores.",
                    ItemKind::Paragraph
                ),
                ("Factors include:", ItemKind::Paragraph),
                ("— currency rates;", ItemKind::ListItem),
                ("— tariffs.", ItemKind::ListItem),
            ]
        );
    }

    #[test]
    fn a_wrapped_enumeration_and_a_wrapped_row_label_stay_whole() {
        // `(1)` wrapped to a line start mid-sentence; a row label wrapped
        // after an amount and a comma, its figures on a line of their own.
        let text = "The FAA announced actions to increase its oversight of us, including conducting\n\
                    (1) an audit involving the production line and (2) increased monitoring.\n\n\
                    Net actuarial gain arising during the period, net of tax of $13,\n\
                    ($22) and ($32)\n\n\
                    (722) 1,533 4,262\n\n\
                    The steps were:\n\
                    (1) an audit of the line;\n\
                    (2) increased monitoring.\n";
        let items = split_items(text, 0);
        let got: Vec<(&str, ItemKind)> = items.iter().map(|i| (i.text.as_str(), i.kind)).collect();
        assert_eq!(
            got,
            [
                (
                    "The FAA announced actions to increase its oversight of us, including \
                     conducting (1) an audit involving the production line and (2) increased \
                     monitoring.",
                    ItemKind::Paragraph
                ),
                (
                    "Net actuarial gain arising during the period, net of tax of $13, ($22) and \
                     ($32) (722) 1,533 4,262",
                    ItemKind::TableRow
                ),
                ("The steps were:", ItemKind::Paragraph),
                ("(1) an audit of the line;", ItemKind::ListItem),
                ("(2) increased monitoring.", ItemKind::ListItem),
            ]
        );
        // A row hard-wrapped inside a block of rows: its figures, or the
        // rest of its label in lower case, go on with it.
        let text = "Revenues 1,200 1,100\n\
                    Sales from our Wholesale Operations to NIKE Direct Operations 13,009 12,730\n\
                    2 % 2 % 10,543\n\
                    Settlement loss included in net periodic cost, net of tax of $0, $0\n\
                    and ($2) (4) 191\n";
        let got: Vec<String> = split_items(text, 0).into_iter().map(|i| i.text).collect();
        assert_eq!(
            got,
            [
                "Revenues 1,200 1,100",
                "Sales from our Wholesale Operations to NIKE Direct Operations 13,009 12,730 2 % \
                 2 % 10,543",
                "Settlement loss included in net periodic cost, net of tax of $0, $0 and ($2) (4) \
                 191",
            ]
        );
        // A date heading ending with a comma still ends like a row.
        assert!(row_like("YEAR ENDED MAY 31,"));
        assert!(!row_like("net of tax of $13,"));
    }

    #[test]
    fn an_index_entry_cut_by_a_page_break_inside_its_brackets_is_rejoined() {
        let page = "\n\n57\n\nTable of Contents\n\n";
        let text = format!(
            "Deferred Prosecution Agreement dated January 6, 2021 (Exhibit{page}10.1 to the \
             Company's Current Report on Form 8-K dated January 6, 2021) 10.7\n\n\
             Revenues by segment were as follows (in millions, for the year{page}2024) 1,200\n"
        );
        let got: Vec<String> = split_items(&text, 0).into_iter().map(|i| i.text).collect();
        assert_eq!(
            got,
            [
                "Deferred Prosecution Agreement dated January 6, 2021 (Exhibit 10.1 to the \
                 Company's Current Report on Form 8-K dated January 6, 2021) 10.7",
                "Revenues by segment were as follows (in millions, for the year 2024) 1,200",
            ]
        );
        // Brackets closed before the break: a row after a page break stays
        // a row of its own.
        let text = format!(
            "Deferred Prosecution Agreement dated January 6, 2021 (Exhibit 10.1){page}\
             Revenues 1,200 1,100\n"
        );
        assert_eq!(split_items(&text, 0).len(), 2);
    }

    #[test]
    fn in_hard_wrapped_text_a_full_line_before_a_page_break_goes_on() {
        // Fifty lines of prose wrapped at 90 columns, then a paragraph whose
        // last line before the page break is a full one.
        let filler = "The Company designs, develops and sells products and services to \
                      customers around the world through its segments. ";
        let mut body = String::new();
        for _ in 0..40 {
            body.push_str(filler);
        }
        let wrap = |t: &str| -> String {
            let (mut out, mut line) = (String::new(), String::new());
            for w in t.split_whitespace() {
                if !line.is_empty() && line.len() + 1 + w.len() > 90 {
                    out.push_str(&line);
                    out.push('\n');
                    line.clear();
                }
                if !line.is_empty() {
                    line.push(' ');
                }
                line.push_str(w);
            }
            out + &line + "\n"
        };
        let cut =
            "Our statements were audited by the independent accounting firm Deloitte & Touche";
        let page = "\n12\n\nTable of Contents\n\n";
        let text = format!(
            "{}\n{}{page}LLP (PCAOB ID No. 34).\n\n{}{page}NOTE 18 — RESTRUCTURING\n",
            wrap(&body),
            wrap(cut),
            wrap(cut)
        );
        let items = split_items(&text, 0);
        let texts: Vec<&str> = items.iter().map(|i| i.text.as_str()).collect();
        assert!(
            texts.contains(
                &"Our statements were audited by the independent accounting firm Deloitte & \
                  Touche LLP (PCAOB ID No. 34)."
            ),
            "{texts:?}"
        );
        // A title after the break stays a title.
        assert_eq!(texts.last(), Some(&"NOTE 18 — RESTRUCTURING"));
        // Text written one paragraph per line has no margin: not joined.
        let text = format!("{}\n\n{cut}{page}LLP (PCAOB ID No. 34).\n", body.repeat(3));
        assert_eq!(split_items(&text, 0).len(), 3);
    }

    #[test]
    fn a_sentence_cut_by_a_page_break_before_a_capital_is_rejoined_but_a_title_is_not() {
        let page = |n: usize| format!("\n\n{n}\n\nTable of Contents\n\n");
        let text = format!(
            "The following tables summarize the changes of Level 3 assets, reconciled by asset \
             class, held during the years ended{}December 31, 2023 and 2022. Transfers were none.\
             {}Average Price Paid per Share Total Number of Shares Purchased as Part of Publicly \
             Announced Plans or Programs{}Approximate dollar value of shares that may yet be purchased.\n",
            page(1),
            page(2),
            page(3)
        );
        let items = split_items(&text, 0);
        let got: Vec<&str> = items.iter().map(|i| i.text.as_str()).collect();
        assert_eq!(
            got,
            [
                "The following tables summarize the changes of Level 3 assets, reconciled by \
                 asset class, held during the years ended December 31, 2023 and 2022. Transfers \
                 were none.",
                "Average Price Paid per Share Total Number of Shares Purchased as Part of \
                 Publicly Announced Plans or Programs",
                "Approximate dollar value of shares that may yet be purchased.",
            ]
        );
    }

    #[test]
    fn furniture_dropped_and_cut_paragraph_rejoined() {
        let mut text = String::new();
        for (p, w) in ["one", "two", "three", "four"].iter().enumerate() {
            text.push_str(&format!(
                "Paragraph {w} starts here and is cut across the\n\n{p}\n\nBoeing 2023 Annual Report\n\nTable of Contents\n\npage break, then ends.\n\n"
            ));
        }
        let items = split_items(&text, 0);
        assert_eq!(items.len(), 4, "{items:#?}");
        assert_eq!(
            items[0].text,
            "Paragraph one starts here and is cut across the page break, then ends."
        );
    }

    #[test]
    fn a_figure_out_of_step_with_the_pages_is_not_a_page_number() {
        // Pages 40–43 are bare numbers; `392` and the age `66` are figures
        // whose labels stand on the line above, `41` a page again (an age of
        // 59, in step with page 41, would still be taken for a page number).
        let text = "Body forty.\n\n40\n\nTable of Contents\n\n\
                    Employee severance and related costs\n\n392\n\n\
                    Cash payments (123)\n\n41\n\nTable of Contents\n\n\
                    Stanley A. Deal\n\n66\n\nExecutive Vice President.\n\n\
                    42\n\nBody forty-two.\n\n43\n\n";
        let texts: Vec<String> = split_items(text, 0).into_iter().map(|i| i.text).collect();
        assert_eq!(
            texts,
            [
                "Body forty.",
                "Employee severance and related costs 392",
                "Cash payments (123)",
                "Stanley A. Deal 66",
                "Executive Vice President.",
                "Body forty-two."
            ]
        );
    }

    #[test]
    fn page_chain_follows_the_pages_not_the_figures() {
        let bare: Vec<(usize, u32)> = [5, 6, 392, 7, 59, 8, 25]
            .iter()
            .enumerate()
            .map(|(i, &v)| (i, v))
            .collect();
        let on = page_chain(&bare, |u, v| u <= v && v <= u + PAGE_STEP);
        assert_eq!(on, [true, true, false, true, false, true, true]);
    }

    #[test]
    fn numbered_running_footer_is_furniture() {
        let mut text = String::new();
        for p in 1..=3 {
            text.push_str(&format!(
                "Body {p}.\n\n2024 FORM 10-K {p}\n\nTable of Contents\n\n"
            ));
        }
        let texts: Vec<String> = split_items(&text, 0).into_iter().map(|i| i.text).collect();
        assert_eq!(texts, ["Body 1.", "Body 2.", "Body 3."]);
    }

    #[test]
    fn browser_header_and_page_counting_footer_are_furniture() {
        // As pdf-extract reads a page printed by a browser: the print date
        // and title on top, the address and `n/N` below, digits spaced
        // apart unevenly; no bare page number anywhere. The paragraph cut
        // by the break is joined.
        let mut text = String::new();
        let words = ["one", "two", "three", "four", "five", "six"];
        for (p, w) in (1..=6u32).zip(words) {
            let n: String = (p + 7)
                .to_string()
                .chars()
                .map(|c| format!("{c} "))
                .collect();
            text.push_str(&format!(
                "Paragraph {w} starts on this page and is cut by the\n\n\
                 1 1 /2 4 /2 6 ,   8 :0 1   AM Example  Corp\n\n\
                 file:///tmp/b oeing-1 0 -K.html {n}/2 0\n\npage break, then ends.\n\n"
            ));
        }
        let texts: Vec<String> = split_items(&text, 0).into_iter().map(|i| i.text).collect();
        assert_eq!(texts.len(), 6, "{texts:#?}");
        assert_eq!(
            texts[3],
            "Paragraph four starts on this page and is cut by the page break, then ends."
        );
    }

    #[test]
    fn every_page_counted_makes_a_short_document_footer_furniture() {
        // Three pages, 1/3 to 3/3: fewer copies than PAGE_COUNTER_MIN, but
        // the count is complete. A header stacked on it goes too; a text of
        // header and footer alone (a scan printed by a browser) has no item.
        let mut text = String::new();
        for p in 1..=3 {
            text.push_str(&format!(
                "1 1 /2 4 /2 6 ,   1 2 :0 0   PM Example Corp\n\nfile:///tmp/scan.html {p}/3\n\n"
            ));
        }
        assert!(
            split_items(&text, 0).is_empty(),
            "{:#?}",
            split_items(&text, 0)
        );
        let body = text.replace(
            "PM Example Corp\n",
            "PM Example Corp\n\nOur depot stored hazardous materials.\n",
        );
        assert_eq!(split_items(&body, 0).len(), 3);
        // Two of three pages counted is no complete count.
        let partial = text.replace("scan.html 3/3", "scan.html 3/4");
        assert!(!split_items(&partial, 0).is_empty());
    }

    #[test]
    fn numbered_lines_through_the_text_are_no_page_counter() {
        // `Chapter 1 of 6` … go up like pages, but the count is no page
        // count when `n of N` is not in them, and chapters of one part
        // only are no footer either.
        let mut text = String::new();
        for n in 1..=6 {
            text.push_str(&format!(
                "Chapter {n} heading\n\nThe chapter says {n}.\n\nStep {n} of 6 in the notes\n\n"
            ));
            for k in 0..5 {
                text.push_str(&format!("Body paragraph {k} of chapter {n}.\n\n"));
            }
        }
        for k in 0..40 {
            text.push_str(&format!("Closing paragraph {k}.\n\n"));
        }
        let items = split_items(&text, 0);
        assert_eq!(
            items
                .iter()
                .filter(|i| i.text.starts_with("Chapter "))
                .count(),
            6
        );
        assert_eq!(
            items.iter().filter(|i| i.text.starts_with("Step ")).count(),
            6
        );
    }

    #[test]
    fn a_hyphen_typed_for_a_dash_at_a_line_start_is_no_list_item() {
        let text = "Growth came from software licences sold to\n- as we reported last year - large logistics customers.\n\n- A real list item.\n- Another one.\n";
        let texts: Vec<String> = split_items(text, 0).into_iter().map(|i| i.text).collect();
        assert_eq!(
            texts,
            [
                "Growth came from software licences sold to - as we reported last year - large logistics customers.",
                "- A real list item.",
                "- Another one."
            ]
        );
    }

    #[test]
    fn in_hard_wrapped_text_a_line_with_room_left_ends_its_block() {
        // Lines wrapped at 60 characters; the list lines under the lead-in
        // had room for the next line's first word, so each is its own item.
        let mut text = String::new();
        for k in 0..12 {
            text.push_str(&format!(
                "Paragraph {k:02} is hard wrapped at sixty characters and goes\non to a second line that also runs close to the margin\nand ends on a third line.\n\n"
            ));
        }
        text.push_str("Our principal products are:\n\nAMR-200 autonomous mobile robot\nPickArm 3 robotic picking arm\nLegacy conveyor retrofits\n");
        let texts: Vec<String> = split_items(&text, 0).into_iter().map(|i| i.text).collect();
        assert_eq!(texts.len(), 16, "{texts:#?}");
        assert_eq!(
            texts[0],
            "Paragraph 00 is hard wrapped at sixty characters and goes on to a second line that also runs close to the margin and ends on a third line."
        );
        assert_eq!(
            &texts[13..],
            [
                "AMR-200 autonomous mobile robot",
                "PickArm 3 robotic picking arm",
                "Legacy conveyor retrofits"
            ]
        );
    }

    #[test]
    fn in_short_text_lines_typed_one_item_each_are_items() {
        let texts =
            |t: &str| -> Vec<String> { split_items(t, 0).into_iter().map(|i| i.text).collect() };
        // A list typed without markers under its lead-in.
        assert_eq!(
            texts("The projects were:\nLuopu County\nMoyu County\nPishan County\n"),
            [
                "The projects were:",
                "Luopu County",
                "Moyu County",
                "Pishan County"
            ]
        );
        // One sentence per line.
        assert_eq!(
            texts("We audited 40 suppliers.\nTwo were suspended.\n"),
            ["We audited 40 suppliers.", "Two were suspended."]
        );
        // Sentences per line in a script without case.
        assert_eq!(
            texts("公司披露了五个项目。\n洛浦县项目已完成。\n"),
            ["公司披露了五个项目。", "洛浦县项目已完成。"]
        );
        // Wrapped paragraphs stay whole: a line opening in lower case, a
        // line ending on a function word or a comma, a wrapped line of a
        // script without case that ends no sentence, a long line.
        for t in [
            "Hikvision won the Moyu County\nPolice Bureau contract in 2017\nand built the cameras.\n",
            "The contract covered cameras at the\nMosque entrances of the county.\n",
            "Luopu County,\nMoyu County\n",
            "公司披露了五个\n项目。\n",
            "Hikvision disclosed the Luopu County police project in its report\nFor four consecutive years.\n",
        ] {
            assert_eq!(texts(t).len(), 1, "{t:?}: {:#?}", texts(t));
        }
    }

    #[test]
    fn a_row_run_into_the_paragraph_below_is_split_off_in_short_text() {
        let text = "Software 60 52\n\nServices 27 25\nOur gross margin improved in fiscal 2023\nowing to lower component costs.\n";
        let texts: Vec<String> = split_items(text, 0).into_iter().map(|i| i.text).collect();
        assert_eq!(
            texts,
            [
                "Software 60 52",
                "Services 27 25",
                "Our gross margin improved in fiscal 2023 owing to lower component costs."
            ]
        );
    }

    #[test]
    fn repeated_table_rows_are_not_furniture() {
        let mut text = String::new();
        for p in 1..=3 {
            text.push_str(&format!("Total {p}0 {p}1\n\nOther {p}\n\n"));
        }
        assert_eq!(split_items(&text, 0).len(), 6);
    }

    #[test]
    fn table_rows_at_page_tops_are_not_furniture() {
        let mut text = String::new();
        for p in 1..=4 {
            text.push_str(&format!(
                "Body text number {p} ends here.\n\n{p}\n\nTable of Contents\n\nYears ended December 31, 2024 2023\n\nRevenues ${p}1,000 ${p}2,000\n\n"
            ));
        }
        let items = split_items(&text, 0);
        let rows = items
            .iter()
            .filter(|i| i.text.starts_with("Revenues"))
            .count();
        assert_eq!(rows, 4, "{items:#?}");
    }

    #[test]
    fn lone_bullets_and_glued_bullets() {
        check(
            "•\n\nfirst bullet text\n\n•Second bullet.\n",
            &[
                ("first bullet text", ItemKind::ListItem, "", 3),
                ("•Second bullet.", ItemKind::ListItem, "", 5),
            ],
        );
        assert_eq!(split_items("•Second bullet.", 0)[0].norm, "second bullet.");
    }

    #[test]
    fn sec_headings_and_flattened_rows() {
        check(
            "PART I\n\nItem 1A.\n\nItem 1A. Risk Factors\n\nWe face risks.\n\nPension benefits 1,178 1,146\nOther employee benefits 1,162 1,095\n\nFederal carryovers(1)\n\n2,551 2,082\n",
            &[
                ("Item 1A.", ItemKind::Paragraph, "PART I", 3),
                (
                    "We face risks.",
                    ItemKind::Paragraph,
                    "PART I > Item 1A. Risk Factors",
                    7,
                ),
                (
                    "Pension benefits 1,178 1,146",
                    ItemKind::TableRow,
                    "PART I > Item 1A. Risk Factors",
                    9,
                ),
                (
                    "Other employee benefits 1,162 1,095",
                    ItemKind::TableRow,
                    "PART I > Item 1A. Risk Factors",
                    10,
                ),
                (
                    "Federal carryovers(1) 2,551 2,082",
                    ItemKind::TableRow,
                    "PART I > Item 1A. Risk Factors",
                    12,
                ),
            ],
        );
    }

    #[test]
    fn two_column_signature_lines_give_one_item_per_signer() {
        let text = "/s/ Lynn J. Good /s/ Ronald A. Williams\n\n\
                    David L. Calhoun \u{2013} President and Chief Executive Officer and Director Akhil Johri \u{2013} Director\n\n\
                    Brian J. West \u{2013} Executive Vice President and Chief Financial Officer Stayce D. Harris \u{2013} Director\n\n\
                    By: /s/ Michael J. Cleary\n";
        let texts: Vec<String> = split_items(text, 0).into_iter().map(|i| i.text).collect();
        assert_eq!(
            texts,
            [
                "/s/ Lynn J. Good",
                "/s/ Ronald A. Williams",
                "David L. Calhoun \u{2013} President and Chief Executive Officer and Director",
                "Akhil Johri \u{2013} Director",
                "Brian J. West \u{2013} Executive Vice President and Chief Financial Officer",
                "Stayce D. Harris \u{2013} Director",
                "By: /s/ Michael J. Cleary",
            ]
        );
    }

    #[test]
    fn column_headings_of_a_table() {
        let text = "Pre-tax restructuring charges were classified as follows:\n\n\
                    TWELVE MONTHS ENDED MAY 31, 2024\n\n\
                    (Dollars in millions)\n\n\
                    OPERATING OVERHEAD EXPENSE\n\n\
                    TOTAL\n\n\
                    Employee severance and related costs(1)\n\n\
                    $ 336 $ 392\n\n\
                    Employee severance and related costs\n\n\
                    Balance at May 31, 2024 $ 267\n\n\
                    Our operations are global.\n\n\
                    Other Earnings Items\n\n\
                    Loss from operations ($773) ($3,519)\n\n\
                    DIVERSITY, EQUITY AND INCLUSION\n\n\
                    We value every teammate.\n";
        let got: Vec<(String, ItemKind)> = split_items(text, 0)
            .into_iter()
            .map(|i| (i.text, i.kind))
            .collect();
        let want = [
            (
                "Pre-tax restructuring charges were classified as follows:",
                ItemKind::Paragraph,
            ),
            ("TWELVE MONTHS ENDED MAY 31, 2024", ItemKind::ColumnHeading),
            ("(Dollars in millions)", ItemKind::ColumnHeading),
            ("OPERATING OVERHEAD EXPENSE", ItemKind::ColumnHeading),
            ("TOTAL", ItemKind::ColumnHeading),
            (
                "Employee severance and related costs(1) $ 336 $ 392",
                ItemKind::TableRow,
            ),
            // A row label in sentence case is content, not a heading.
            ("Employee severance and related costs", ItemKind::Paragraph),
            ("Balance at May 31, 2024 $ 267", ItemKind::TableRow),
            ("Our operations are global.", ItemKind::Paragraph),
            // A section heading over a table follows running text.
            ("Other Earnings Items", ItemKind::Paragraph),
            ("Loss from operations ($773) ($3,519)", ItemKind::TableRow),
            // A heading before prose.
            ("DIVERSITY, EQUITY AND INCLUSION", ItemKind::Paragraph),
            ("We value every teammate.", ItemKind::Paragraph),
        ];
        let want: Vec<(String, ItemKind)> = want.iter().map(|&(t, k)| (t.to_string(), k)).collect();
        assert_eq!(got, want);
    }

    #[test]
    fn item_heading_wrapped_over_lines_is_one_heading() {
        let text = "PART II\n\nITEM 7. MANAGEMENT'S DISCUSSION AND ANALYSIS OF FINANCIAL CONDITION AND RESULTS OF\n\
                    OPERATIONS\n\nRevenues rose 4% in fiscal 2025.\n";
        let items = split_items(text, 0);
        assert_eq!(items.len(), 1, "{items:?}");
        assert_eq!(
            items[0].section,
            "PART II > ITEM 7. MANAGEMENT'S DISCUSSION AND ANALYSIS OF FINANCIAL CONDITION AND RESULTS OF OPERATIONS"
        );
        assert_eq!(items[0].line, 6);
        // A sentence that opens with an item reference and goes on in lower
        // case is prose, not a heading.
        let text = "PART II\n\nItem 7. Management's Discussion and Analysis of Financial Condition, which\n\
                    follows, explains the results.\n";
        let items = split_items(text, 0);
        assert_eq!(items.len(), 1, "{items:?}");
        assert_eq!(items[0].section, "PART II");
    }

    #[test]
    fn heading_shape() {
        for s in [
            "AS OF MAY 31,",
            "Carrying Value Fair Value Carrying Value Fair Value",
            "CHARGED TO OTHER ACCOUNTS(1)",
            "TWELVE MONTHS ENDED MAY 31, 2024",
            "December 31, 2023 December 31, 2022",
            "(in billions)",
        ] {
            assert!(heading_shaped(s), "{s}");
        }
        for s in [
            "Our solar energy systems, net, consisted of the following (in millions):",
            "MD-80 Aircraft (Accounted for as sales-type leases)",
            "Note 23 - Subsequent Events",
            "SCHEDULE II \u{2014} VALUATION AND QUALIFYING ACCOUNTS",
            "Brian R. Besanceney",
            "Balance at May 31, 2023 $ \u{2014}",
            "Sales returns reserve",
        ] {
            assert!(!heading_shaped(s), "{s}");
        }
    }

    #[test]
    fn unreadable_text_yields_nothing() {
        assert!(split_items("", 0).is_empty());
        assert!(split_items("\n\n12\n\nTable of Contents\n\n☐\n", 0).is_empty());
        assert!(split_items("# Only a heading\n", 0).is_empty());
    }

    #[test]
    fn cjk_lines_join_without_space() {
        let items = split_items("皮山社会面\n防控体系PPP项目。", 0);
        assert_eq!(items[0].text, "皮山社会面防控体系PPP项目。");
    }
}
