//! The fact-checker's desk: views of the corpus built for reading rather
//! than for alerting — one entity's timeline with its findings marked, two
//! statements compared, a topics × kinds coverage matrix, and a grep over
//! the corpus. This module builds the views as plain values; `report/`
//! renders them and `cli/` prints them.

pub mod diff;

use crate::corpus::{Corpus, DateRange, Kind, Relation, SpeakerRole, Statement};
use crate::finding::{Finding, Order};
use crate::rules::RuleKind;
use std::collections::{BTreeMap, BTreeSet};

/// Which statements a view shows.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// An entity id; its whole group is shown.
    pub entity: Option<String>,
    pub topic: Option<String>,
    pub kinds: Vec<Kind>,
    pub speaker_roles: Vec<SpeakerRole>,
    pub since: Option<DateRange>,
    pub until: Option<DateRange>,
}

impl Filter {
    /// Whether the statement passes. `since`/`until` keep a statement whose
    /// publication `date` or `event_date` interval reaches into the range. A topic filter keeps statements without topics, since
    /// unknown is not off-topic.
    pub fn keeps(&self, corpus: &Corpus, st: &Statement) -> bool {
        if let Some(e) = &self.entity {
            let g = corpus.entities.group(e);
            if !corpus.groups_of(st).contains(&g) {
                return false;
            }
        }
        if let Some(t) = &self.topic
            && !st.topics.is_empty()
            && !st.topics.contains(t)
        {
            return false;
        }
        if !self.kinds.is_empty() && !self.kinds.contains(&st.kind) {
            return false;
        }
        if !self.speaker_roles.is_empty()
            && !st
                .speaker_role
                .is_some_and(|r| self.speaker_roles.contains(&r))
        {
            return false;
        }
        // Either date may be what the reader filters on: "published since
        // 2022" must keep a 2022 leak of a 2020 contract, and "events
        // until 2020" must keep it too. One of the two dates must lie in
        // the whole range, so a row never shows only dates outside it.
        let in_range = |d: &DateRange| {
            self.since.as_ref().is_none_or(|s| d.end >= s.start)
                && self.until.as_ref().is_none_or(|u| d.start <= u.end)
        };
        in_range(&st.date) || st.event_date.as_ref().is_some_and(in_range)
    }
}

/// A company's own reply: a press reply or statement spoken by the entity.
pub fn is_reply(st: &Statement) -> bool {
    matches!(st.kind, Kind::PressReply | Kind::Statement)
        && st.speaker_role == Some(SpeakerRole::Entity)
}

/// The first line of a body, whitespace collapsed; a body that is a
/// Markdown list shows its items joined by ` · `, since one item alone
/// ("Luopu") says little.
pub fn first_line(text: &str) -> String {
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    fn item(l: &str) -> Option<&str> {
        ["- ", "* ", "+ ", "• "]
            .iter()
            .find_map(|m| l.strip_prefix(m))
            .map(str::trim)
    }
    if !lines.is_empty() && lines.iter().all(|l| item(l).is_some()) {
        return lines
            .iter()
            .filter_map(|l| item(l))
            .collect::<Vec<_>>()
            .join(" · ");
    }
    crate::finding::collapse(lines.first().copied().unwrap_or(""))
}

/// One row of a timeline.
#[derive(Debug, Clone)]
pub struct TimelineRow {
    /// 1-based row number, `#n` in every mark.
    pub n: usize,
    pub id: String,
    pub date: DateRange,
    /// The interval the row is ordered by (`event_date` when given).
    pub when: DateRange,
    pub kind: Kind,
    pub speaker: Option<String>,
    pub speaker_role: Option<SpeakerRole>,
    pub source: Option<String>,
    pub url: Option<String>,
    pub via: Option<String>,
    pub path: std::path::PathBuf,
    pub first_line: String,
    pub reply: bool,
    pub second_hand: bool,
    /// The version establishes that it lists no items (`empty = true`).
    pub empty: bool,
    /// Rows whose interval overlaps this one: their order against it is
    /// uncertain.
    pub uncertain_with: Vec<usize>,
    pub marks: Vec<Mark>,
}

/// A finding as seen from one of its rows.
#[derive(Debug, Clone)]
pub struct Mark {
    pub fingerprint: String,
    pub rule: String,
    /// The text shown: "contradicted by #7 (evidence-first)".
    pub text: String,
    /// The row at the other end, when it is on the timeline.
    pub other: Option<usize>,
}

#[derive(Debug, Clone)]
pub struct Timeline {
    pub entity: String,
    pub name: String,
    pub rows: Vec<TimelineRow>,
}

/// Orders statements for a timeline: by `when`, then `date`, then id.
pub fn timeline_order(a: &Statement, b: &Statement) -> std::cmp::Ordering {
    a.when()
        .sort_cmp(b.when())
        .then_with(|| a.date.sort_cmp(&b.date))
        .then_with(|| a.id.cmp(&b.id))
}

/// Builds one entity's timeline: its group's statements in date order, each
/// finding marked on both of its rows. `findings` may hold more than the
/// group's: only those involving a row are marked.
pub fn timeline(corpus: &Corpus, findings: &[Finding], filter: &Filter) -> Timeline {
    let entity = filter.entity.clone().unwrap_or_default();
    let mut sts: Vec<&Statement> = corpus
        .statements
        .iter()
        .filter(|s| filter.keeps(corpus, s))
        .collect();
    sts.sort_by(|a, b| timeline_order(a, b));
    let num: BTreeMap<&str, usize> = sts
        .iter()
        .enumerate()
        .map(|(i, s)| (s.id.as_str(), i + 1))
        .collect();
    let mut rows: Vec<TimelineRow> = sts
        .iter()
        .enumerate()
        .map(|(i, s)| TimelineRow {
            n: i + 1,
            id: s.id.clone(),
            date: s.date.clone(),
            when: s.when().clone(),
            kind: s.kind,
            speaker: s.speaker.clone(),
            speaker_role: s.speaker_role,
            source: s.source.clone(),
            url: s.url.clone(),
            via: s.via.clone(),
            path: s.origin.path.clone(),
            first_line: first_line(&s.text),
            reply: is_reply(s),
            second_hand: s.second_hand(),
            empty: s.empty,
            uncertain_with: sts
                .iter()
                .enumerate()
                .filter(|(j, o)| *j != i && s.when().relation(o.when()) == Relation::Overlap)
                .map(|(j, _)| j + 1)
                .collect(),
            marks: vec![],
        })
        .collect();
    let label = |id: &str| -> String {
        num.get(id)
            .map_or_else(|| id.to_string(), |n| format!("#{n}"))
    };
    let mut push = |id: &str, f: &Finding, text: String, other: Option<&str>| {
        if let Some(&n) = num.get(id) {
            rows[n - 1].marks.push(Mark {
                fingerprint: f.fingerprint.clone(),
                rule: f.rule.clone(),
                text,
                other: other.and_then(|o| num.get(o).copied()),
            });
        }
    };
    // Dropped items of one version pair are marked once, with their count.
    let mut drops: BTreeMap<(String, String), (usize, usize, &Finding)> = BTreeMap::new();
    for f in findings {
        let order = f.order.map_or("", Order::as_str);
        match (f.kind, &f.claim, &f.evidence, &f.drop) {
            (RuleKind::Flag, Some(c), _, _) => {
                push(&c.statement, f, format!("flagged: {}", f.rule), None);
            }
            (RuleKind::Contradiction, Some(c), Some(e), _) => {
                push(
                    &c.statement,
                    f,
                    format!(
                        "contradicted by {} ({order}, {})",
                        label(&e.statement),
                        f.rule
                    ),
                    Some(&e.statement),
                );
                push(
                    &e.statement,
                    f,
                    format!("contradicts {} ({order}, {})", label(&c.statement), f.rule),
                    Some(&c.statement),
                );
            }
            (RuleKind::Reversal, Some(c), Some(e), _) => {
                push(
                    &c.statement,
                    f,
                    format!("reversed by {} ({order}, {})", label(&e.statement), f.rule),
                    Some(&e.statement),
                );
                push(
                    &e.statement,
                    f,
                    format!("reverses {} ({order}, {})", label(&c.statement), f.rule),
                    Some(&c.statement),
                );
            }
            (RuleKind::DroppedDisclosure, _, _, Some(d)) => {
                let e = drops
                    .entry((d.from.statement.clone(), d.to.statement.clone()))
                    .or_insert((0, 0, f));
                if d.status == "changed" {
                    e.1 += 1;
                } else {
                    e.0 += 1;
                }
            }
            _ => {}
        }
    }
    for ((from, to), (dropped, changed, f)) in &drops {
        let what = |verb: &str, passive: &str| {
            let mut v = Vec::new();
            if *dropped > 0 {
                v.push(format!("{verb} {dropped} item(s)"));
            }
            if *changed > 0 {
                v.push(format!("{passive} {changed} item(s)"));
            }
            v.join(", ")
        };
        push(
            to,
            f,
            format!("{} of {}", what("drops", "rewords"), label(from)),
            Some(from),
        );
        let mut v = Vec::new();
        if *dropped > 0 {
            v.push(format!("{dropped} item(s) dropped"));
        }
        if *changed > 0 {
            v.push(format!("{changed} item(s) reworded"));
        }
        push(
            from,
            f,
            format!("{} by {}", v.join(", "), label(to)),
            Some(to),
        );
    }
    Timeline {
        name: corpus.entities.display_name(&entity),
        entity,
        rows,
    }
}

/// Compresses row numbers to ranges: `#3–#5, #9`.
pub fn ranges(ns: &[usize]) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut i = 0;
    while i < ns.len() {
        let mut j = i;
        while j + 1 < ns.len() && ns[j + 1] == ns[j] + 1 {
            j += 1;
        }
        out.push(if j > i {
            format!("#{}–#{}", ns[i], ns[j])
        } else {
            format!("#{}", ns[i])
        });
        i = j + 1;
    }
    out.join(", ")
}

/// What the corpus holds for an entity: statements counted by topic and kind.
#[derive(Debug, Clone)]
pub struct Coverage {
    pub entity: String,
    pub name: String,
    /// Row labels: topics in order, then `(no topic)` if any statement has none.
    pub topics: Vec<String>,
    /// Column labels: every kind, in the order of DESIGN.md.
    pub kinds: Vec<Kind>,
    /// `counts[topic][kind]`; a statement with several topics counts in each.
    pub counts: Vec<Vec<usize>>,
    /// Statements of each kind (each counted once).
    pub kind_totals: Vec<usize>,
    /// Statements per topic.
    pub topic_totals: Vec<usize>,
    pub statements: usize,
}

pub const NO_TOPIC: &str = "(no topic)";

pub fn coverage(corpus: &Corpus, filter: &Filter) -> Coverage {
    let sts: Vec<&Statement> = corpus
        .statements
        .iter()
        .filter(|s| filter.keeps(corpus, s))
        .collect();
    let mut topics: BTreeSet<String> = sts.iter().flat_map(|s| s.topics.clone()).collect();
    if let Some(t) = &filter.topic {
        topics.retain(|x| x == t);
    }
    let mut topics: Vec<String> = topics.into_iter().collect();
    if sts.iter().any(|s| s.topics.is_empty()) {
        topics.push(NO_TOPIC.to_string());
    }
    let kinds: Vec<Kind> = Kind::ALL.to_vec();
    let mut counts = vec![vec![0; kinds.len()]; topics.len()];
    let mut kind_totals = vec![0; kinds.len()];
    let mut topic_totals = vec![0; topics.len()];
    for s in &sts {
        let k = kinds.iter().position(|k| *k == s.kind).unwrap_or(0);
        kind_totals[k] += 1;
        let ts: Vec<&str> = if s.topics.is_empty() {
            vec![NO_TOPIC]
        } else {
            s.topics.iter().map(String::as_str).collect()
        };
        for t in ts {
            if let Some(ti) = topics.iter().position(|x| x == t) {
                counts[ti][k] += 1;
                topic_totals[ti] += 1;
            }
        }
    }
    let entity = filter.entity.clone().unwrap_or_default();
    Coverage {
        name: corpus.entities.display_name(&entity),
        entity,
        topics,
        kinds,
        counts,
        kind_totals,
        topic_totals,
        statements: sts.len(),
    }
}

/// One line of a statement with at least one match of a search. It
/// borrows the line from the corpus: a one-line statement of 21 MB with a
/// thousand matches is one hit holding a reference, not a thousand copies.
#[derive(Debug, Clone)]
pub struct Hit<'a> {
    pub statement: &'a str,
    pub date: &'a DateRange,
    /// The interval the statement is ordered by: its `event_date` when it
    /// has one, else `date` (`--since`/`--until` keep it by either).
    pub when: &'a DateRange,
    pub path: &'a std::path::Path,
    /// Line in the file, 1-based. Every line of a JSONL record's text is
    /// on the record's line, so two hits may share it.
    pub line: usize,
    /// The whole line of the text the matches are on.
    pub text: &'a str,
    /// Every match on the line, in order.
    pub matches: Vec<SearchMatch>,
}

/// One match within a hit's line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchMatch {
    /// Column in the file, in characters, 1-based (for a JSONL record, in
    /// its `text` string as written, as for findings).
    pub col: usize,
    /// Byte range within `Hit::text`.
    pub span: std::ops::Range<usize>,
}

/// Every line of the bodies of the statements the filter keeps on which
/// `re` matches, line by line as grep does, in corpus order. A match of
/// the empty string (`x*`, `\b`) only says that the line matches: a line
/// with no other match is listed once, at the first of them.
pub fn search<'a>(corpus: &'a Corpus, re: &regex::Regex, filter: &Filter) -> Vec<Hit<'a>> {
    let mut hits = Vec::new();
    for st in corpus.statements.iter().filter(|s| filter.keeps(corpus, s)) {
        let mut line_start = 0;
        for (i, line) in st.text.lines().enumerate() {
            let here = line_start;
            line_start += line.len() + 1;
            let mut found: Vec<regex::Match> = Vec::new();
            let mut empty = None;
            for m in re.find_iter(line) {
                if !m.is_empty() {
                    found.push(m);
                } else if empty.is_none() && !line.is_empty() {
                    empty = Some(m);
                }
            }
            if found.is_empty() {
                found.extend(empty);
            }
            if found.is_empty() {
                continue;
            }
            // Columns are counted on from the match before, never from
            // the start of a long line again.
            let (mut at, mut col) = (0, 1);
            let matches = found
                .iter()
                .map(|m| {
                    col += line[at..m.start()].chars().count();
                    at = m.start();
                    // A JSONL statement's text sits on its record's line:
                    // the column is that of the match inside the `text`
                    // string as written, as for findings
                    // (`Statement::position`).
                    let col = if st.origin.jsonl {
                        st.origin
                            .text_cols
                            .as_ref()
                            .map_or(1, |c| c.col(&st.text, here + m.start()))
                    } else {
                        col
                    };
                    SearchMatch {
                        col,
                        span: m.range(),
                    }
                })
                .collect();
            hits.push(Hit {
                statement: &st.id,
                date: &st.date,
                when: st.when(),
                path: &st.origin.path,
                line: if st.origin.jsonl {
                    st.origin.body_line
                } else {
                    st.origin.body_line + i
                },
                text: line,
                matches,
            });
        }
    }
    hits
}

/// A line as a search shows it, with where its matches stand in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Excerpt {
    pub text: String,
    /// Byte ranges of the matches shown, within `text` (a match cut short
    /// by `MATCH_SHOWN` is marked as far as it is shown).
    pub spans: Vec<std::ops::Range<usize>>,
}

/// A line of up to this many characters is shown whole.
pub const CLIP_OVER: usize = 300;
/// Characters kept on each side of a match in a longer line.
const AROUND: usize = 100;
/// A longer match shows this many characters, then `…`.
const MATCH_SHOWN: usize = 200;
/// Characters of a long line shown at most (beyond the first match's
/// stretch); the matches past them are counted. Dense matches join into
/// one stretch, so the cut is on length, not on a number of stretches.
const SHOWN_MAX: usize = 1000;
/// How far an edge of a stretch may move to fall between words.
const SNAP: usize = 20;

/// The byte index `n` characters before `at` in `s` (0 at the start).
fn chars_back(s: &str, at: usize, n: usize) -> usize {
    if n == 0 {
        return at;
    }
    s[..at]
        .char_indices()
        .rev()
        .nth(n - 1)
        .map_or(0, |(i, _)| i)
}

/// The byte index `n` characters after `at` in `s` (its length at the end).
fn chars_on(s: &str, at: usize, n: usize) -> usize {
    s[at..]
        .char_indices()
        .nth(n)
        .map_or(s.len(), |(i, _)| at + i)
}

/// `line` to show with the matches at `spans` (byte ranges, in order): the
/// whole line when it is up to `CLIP_OVER` characters; else a stretch of
/// `AROUND` characters either side of each match, cut between words where
/// one is near, stretches that touch joined, `…` where text is left out;
/// past `SHOWN_MAX` characters, how many matches more. A one-line
/// statement of 21 MB prints about a thousand characters, not 21 MB per
/// match.
pub fn excerpt(line: &str, spans: &[std::ops::Range<usize>]) -> Excerpt {
    if line.len() <= CLIP_OVER || line.chars().nth(CLIP_OVER).is_none() {
        return Excerpt {
            text: line.to_string(),
            spans: spans.to_vec(),
        };
    }
    // Stretches as (start, end, shown spans), joined when they touch,
    // until the next would pass `SHOWN_MAX` characters in all.
    let mut windows: Vec<(usize, usize, Vec<std::ops::Range<usize>>)> = Vec::new();
    let mut total = 0;
    let mut more = 0;
    for (k, sp) in spans.iter().enumerate() {
        let shown_end = sp.end.min(chars_on(line, sp.start, MATCH_SHOWN));
        let mut start = chars_back(line, sp.start, AROUND);
        let end = if shown_end < sp.end {
            shown_end
        } else {
            chars_on(line, sp.end, AROUND)
        };
        let joins = windows.last().is_some_and(|w| start <= w.1);
        if let Some(w) = windows.last().filter(|_| joins) {
            start = w.1.min(end);
        }
        let added = line[start..end].chars().count();
        if let Some(w) = windows.last_mut().filter(|_| total + added > SHOWN_MAX) {
            // Out of room: the matches already in view are shown (and
            // counted as shown), the others counted.
            let inside = spans[k..].iter().take_while(|sp| sp.end <= w.1).count();
            w.2.extend(spans[k..k + inside].iter().cloned());
            more = spans.len() - k - inside;
            break;
        }
        total += added;
        match windows.last_mut() {
            Some(w) if joins => {
                w.1 = w.1.max(end);
                w.2.push(sp.start..shown_end);
            }
            _ => windows.push((start, end, std::iter::once(sp.start..shown_end).collect())),
        }
    }
    let mut text = String::new();
    let mut out_spans = Vec::new();
    for (k, (start, end, ws)) in windows.iter().enumerate() {
        let (first, last) = (ws[0].start, ws[ws.len() - 1].end);
        // Between words: past the first space near the left edge, before
        // the last one near the right edge, never into a match.
        let mut start = *start;
        if start > 0 {
            let near = chars_on(line, start, SNAP).min(first);
            if let Some(i) = line[start..near].find(char::is_whitespace) {
                start = chars_on(line, start + i, 1);
            }
        }
        let mut end = *end;
        if end < line.len() {
            let near = chars_back(line, end, SNAP).max(last);
            if let Some(i) = line[near..end].rfind(char::is_whitespace) {
                end = near + i;
            }
        }
        if k > 0 {
            text.push_str(" … ");
        } else if start > 0 {
            text.push('…');
        }
        let base = text.len();
        text.push_str(&line[start..end]);
        out_spans.extend(
            ws.iter()
                .map(|sp| base + sp.start - start..base + sp.end.min(end) - start),
        );
        if k + 1 == windows.len() && end < line.len() {
            text.push('…');
        }
    }
    if more > 0 {
        text.push_str(&format!(" (+{more} more matches)"));
    }
    Excerpt {
        text,
        spans: out_spans,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(line: &str, pat: &str) -> String {
        let re = regex::Regex::new(pat).unwrap();
        let spans: Vec<_> = re.find_iter(line).map(|m| m.range()).collect();
        let e = excerpt(line, &spans);
        // Every span shown marks the match (or its start).
        for (sp, m) in e.spans.iter().zip(re.find_iter(line)) {
            assert!(m.as_str().starts_with(&e.text[sp.clone()]), "{e:?}");
        }
        e.text
    }

    #[test]
    fn a_short_line_is_shown_whole() {
        let line = "a mosque and a mosque";
        assert_eq!(shown(line, "mosque"), line);
        let line = "é".repeat(CLIP_OVER);
        assert_eq!(shown(&line, "é"), line);
    }

    #[test]
    fn a_long_line_is_cut_around_its_matches_between_words() {
        let words = |n: usize, w: &str| vec![w; n].join(" ");
        let line = format!("{} MOSQUE {}", words(100, "left"), words(100, "right"));
        let t = shown(&line, "MOSQUE");
        assert!(t.starts_with("…left left"), "{t}");
        assert!(t.ends_with("right right…"), "{t}");
        assert!(t.contains("left MOSQUE right"), "{t}");
        assert!(t.chars().count() <= 2 * AROUND + 10, "{t}");
        // Two matches far apart: two stretches.
        let line = format!(
            "{} A {} B {}",
            words(100, "x"),
            words(200, "y"),
            words(100, "z")
        );
        let t = shown(&line, "A|B");
        assert_eq!(t.matches(" … ").count(), 1, "{t}");
        // Many: stretches up to `SHOWN_MAX` characters, then how many more.
        let line = format!("mosque {} ", words(150, "x")).repeat(8);
        let t = shown(&line, "mosque");
        let n = t.matches("mosque").count();
        assert!((3..8).contains(&n), "{t}");
        assert!(t.ends_with(&format!("… (+{} more matches)", 8 - n)), "{t}");
        assert!(t.chars().count() <= SHOWN_MAX + 30, "{t}");
        // Dense: one stretch, cut the same.
        let line = "mosque x ".repeat(10_000);
        let t = shown(&line, "mosque");
        assert!(t.chars().count() <= SHOWN_MAX + 30, "{t}");
        assert!(!t.contains(" … "), "{t}");
        assert!(t.ends_with(" more matches)"), "{t}");
    }

    #[test]
    fn a_long_match_is_cut_too() {
        let line = "a".repeat(10_000);
        let t = shown(&line, "a+");
        assert_eq!(t.chars().count(), MATCH_SHOWN + 1, "{t}");
        assert!(t.ends_with('…'));
    }
}
