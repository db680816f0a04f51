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

/// One search hit.
#[derive(Debug, Clone)]
pub struct Hit {
    pub statement: String,
    pub date: DateRange,
    /// The interval the statement is ordered by: its `event_date` when it
    /// has one, else `date` (`--since`/`--until` keep it by either).
    pub when: DateRange,
    pub path: std::path::PathBuf,
    /// Line in the file, and column in characters, both 1-based.
    pub line: usize,
    pub col: usize,
    /// The whole line the match is on.
    pub context: String,
    /// Byte range of the match within `context`.
    pub span: std::ops::Range<usize>,
}

/// Every match of `re` in the bodies of the statements the filter keeps,
/// line by line as grep does, in corpus order.
pub fn search(corpus: &Corpus, re: &regex::Regex, filter: &Filter) -> Vec<Hit> {
    let mut hits = Vec::new();
    for st in corpus.statements.iter().filter(|s| filter.keeps(corpus, s)) {
        let mut line_start = 0;
        for (i, line) in st.text.lines().enumerate() {
            let here = line_start;
            line_start += line.len() + 1;
            for m in re.find_iter(line) {
                if m.start() == m.end() && line.is_empty() {
                    continue;
                }
                // A JSONL statement's text sits on its record's line: the
                // column is that of the match inside the `text` string as
                // written, as for findings (`Statement::position`).
                let (line_no, col) = if st.origin.jsonl {
                    let at = here + m.start();
                    (
                        st.origin.body_line,
                        st.origin
                            .text_cols
                            .as_ref()
                            .map_or(1, |c| c.col(&st.text, at)),
                    )
                } else {
                    (
                        st.origin.body_line + i,
                        line[..m.start()].chars().count() + 1,
                    )
                };
                hits.push(Hit {
                    statement: st.id.clone(),
                    date: st.date.clone(),
                    when: st.when().clone(),
                    path: st.origin.path.clone(),
                    line: line_no,
                    col,
                    context: line.to_string(),
                    span: m.range(),
                });
            }
        }
    }
    hits
}
