//! Findings: what rules report. A finding names its rule, both statements
//! (or both versions), the matched spans with `file:line:col`, the order in
//! time and the gap, and a fingerprint that stays the same as long as the
//! rule, the statements and the matched text do.

use crate::corpus::{Corpus, DateRange, Severity, Statement};
use crate::matching::Match;
use crate::rules::RuleKind;
use sha2::{Digest, Sha256};
use std::path::PathBuf;

/// Order in time between the two sides of a pair.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Order {
    /// The evidence existed when the claim was made.
    EvidenceFirst,
    /// The claim came first and was contradicted later.
    ClaimFirst,
    /// A reversal whose later side is certainly after the earlier one.
    EarlierFirst,
    /// The dates overlap: no order is claimed.
    Uncertain,
}

impl Order {
    pub fn as_str(self) -> &'static str {
        match self {
            Order::EvidenceFirst => "evidence-first",
            Order::ClaimFirst => "claim-first",
            Order::EarlierFirst => "earlier-first",
            Order::Uncertain => "uncertain",
        }
    }
}

/// One side of a finding: a matched span in a statement.
#[derive(Debug, Clone)]
pub struct SideRef {
    pub statement: String,
    pub entity: String,
    pub date: DateRange,
    /// The interval used for ordering (`event_date` when given).
    pub when: DateRange,
    pub kind: String,
    pub speaker: Option<String>,
    pub speaker_role: Option<String>,
    pub source: Option<String>,
    pub url: Option<String>,
    pub via: Option<String>,
    pub path: PathBuf,
    pub line: usize,
    pub col: usize,
    /// The unit (sentence, paragraph, document excerpt) the match is in.
    pub text: String,
    /// The matched text itself.
    pub matched: String,
    pub second_hand: bool,
    /// sha256 of the statement's archived copy, when it has one.
    pub archived_sha256: Option<String>,
}

/// Longest unit text reported in full; longer units are cut around the match.
const MAX_UNIT_TEXT: usize = 600;

impl SideRef {
    pub fn from_match(st: &Statement, m: &Match) -> SideRef {
        Self::with_index(st, m, &crate::corpus::units::LineIndex::new(&st.text))
    }

    /// Sides of all matches of one statement, indexing its lines once.
    pub fn from_matches(st: &Statement, ms: &[Match]) -> Vec<SideRef> {
        if ms.is_empty() {
            return Vec::new();
        }
        let idx = crate::corpus::units::LineIndex::new(&st.text);
        ms.iter().map(|m| Self::with_index(st, m, &idx)).collect()
    }

    fn with_index(st: &Statement, m: &Match, idx: &crate::corpus::units::LineIndex) -> SideRef {
        let (line, col) = st.position(idx, m.span.start);
        SideRef {
            statement: st.id.clone(),
            entity: st.entity.clone(),
            date: st.date.clone(),
            when: st.when().clone(),
            kind: st.kind.as_str().to_string(),
            speaker: st.speaker.clone(),
            speaker_role: st.speaker_role.map(|r| r.as_str().to_string()),
            source: st.source.clone(),
            url: st.url.clone(),
            via: st.via.clone(),
            path: st.origin.path.clone(),
            line,
            col,
            text: excerpt(&st.text, m.unit.clone(), m.span.clone()),
            matched: collapse(&st.text[m.span.clone()]),
            second_hand: st.second_hand(),
            archived_sha256: crate::verify::archived_sha256(st),
        }
    }
}

/// The unit's text with whitespace collapsed, cut around the match when long.
fn excerpt(text: &str, unit: std::ops::Range<usize>, span: std::ops::Range<usize>) -> String {
    if unit.len() <= MAX_UNIT_TEXT {
        return collapse(&text[unit]);
    }
    let half = MAX_UNIT_TEXT / 2;
    let mut a = span.start.saturating_sub(half).max(unit.start);
    let mut b = (span.end + half).min(unit.end);
    while !text.is_char_boundary(a) {
        a -= 1;
    }
    while !text.is_char_boundary(b) {
        b += 1;
    }
    let mut s = collapse(&text[a..b]);
    if a > unit.start {
        s.insert_str(0, "… ");
    }
    if b < unit.end {
        s.push_str(" …");
    }
    s
}

pub fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A version of a series, as a side of a dropped-disclosure finding.
#[derive(Debug, Clone)]
pub struct VersionRef {
    pub statement: String,
    pub date: DateRange,
    pub period: Option<String>,
    pub source: Option<String>,
    pub url: Option<String>,
    pub path: PathBuf,
    pub sha256: String,
}

impl VersionRef {
    pub fn new(st: &Statement, sha256: &str) -> VersionRef {
        VersionRef {
            statement: st.id.clone(),
            date: st.date.clone(),
            period: st.period.as_ref().map(|p| p.raw.clone()),
            source: st.source.clone(),
            url: st.url.clone(),
            path: st.origin.path.clone(),
            sha256: sha256.to_string(),
        }
    }
}

/// What a dropped-disclosure finding says of one item.
#[derive(Debug, Clone)]
pub struct DropInfo {
    pub series: String,
    pub from: VersionRef,
    pub to: VersionRef,
    /// `dropped`, `changed`, or `unreadable` (the newer version could not
    /// be split into items).
    pub status: String,
    pub item_text: String,
    pub item_section: String,
    /// Line of the item in the older version's file.
    pub item_line: usize,
    /// How many consecutive versions up to `from` carried the item.
    pub carried: usize,
    /// Best near-match in the newer version, with its similarity.
    pub best: Option<BestMatch>,
    pub new_text: Option<String>,
}

/// A dropped item's most similar item in the newer version. A high score
/// with `paired_with` set is no missed rewording: that new item already
/// stands for another old item (a near-twin of the one dropped).
#[derive(Debug, Clone)]
pub struct BestMatch {
    pub text: String,
    pub score: f64,
    /// Its line in the newer version's file.
    pub line: usize,
    /// The old item it is the counterpart of: its line and status (`kept`,
    /// `moved`, `changed`).
    pub paired_with: Option<(usize, &'static str)>,
}

impl BestMatch {
    /// The JSON every output gives it (`diff`, `check`, alert payloads).
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({
            "text": self.text,
            "score": (self.score * 1000.0).round() / 1000.0,
            "line": self.line,
            "paired_with": self.paired_with.map(|(line, status)| serde_json::json!({"line": line, "status": status})),
        })
    }

    /// `“text” (0.97; already the counterpart of old line 280, kept)`.
    pub fn describe(&self) -> String {
        let taken = match self.paired_with {
            Some((line, status)) => {
                format!("; already the counterpart of old line {line}, {status}")
            }
            None => String::new(),
        };
        format!("“{}” ({:.2}{taken})", self.text, self.score)
    }
}

/// A finding.
#[derive(Debug, Clone)]
pub struct Finding {
    pub fingerprint: String,
    pub rule: String,
    pub kind: RuleKind,
    pub severity: Severity,
    pub entity: String,
    pub message: String,
    /// `claim` (flag, contradiction) or `earlier` (reversal).
    pub claim: Option<SideRef>,
    /// `evidence` (contradiction) or `later` (reversal).
    pub evidence: Option<SideRef>,
    pub order: Option<Order>,
    pub days: Option<i64>,
    /// Evidence matches in window and order for this claim, of which the
    /// nearest `max_evidence` are reported.
    pub evidence_total: Option<usize>,
    /// Why the two sides were paired, in words.
    pub reason: String,
    pub drop: Option<DropInfo>,
}

impl Finding {
    /// The date a finding is sorted and filtered by: its claim's (or the
    /// newer version's).
    pub fn primary_date(&self) -> Option<&DateRange> {
        self.claim
            .as_ref()
            .map(|c| &c.date)
            .or(self.drop.as_ref().map(|d| &d.to.date))
    }

    /// Statement ids the finding involves.
    pub fn statements(&self) -> Vec<&str> {
        let mut v: Vec<&str> = Vec::new();
        if let Some(c) = &self.claim {
            v.push(&c.statement);
        }
        if let Some(e) = &self.evidence {
            v.push(&e.statement);
        }
        if let Some(d) = &self.drop {
            v.push(&d.from.statement);
            v.push(&d.to.statement);
        }
        v
    }
}

pub fn sha256_hex(b: &[u8]) -> String {
    let mut h = Sha256::new();
    h.update(b);
    format!("{:x}", h.finalize())
}

/// Fingerprint: rule id + statement ids + normalised matched text.
pub fn fingerprint(rule: &str, parts: &[(&str, &str)]) -> String {
    let mut h = Sha256::new();
    h.update(rule.as_bytes());
    for (id, text) in parts {
        h.update([0]);
        h.update(id.as_bytes());
        h.update([0]);
        h.update(collapse(text).to_lowercase().as_bytes());
    }
    format!("{:x}", h.finalize())[..16].to_string()
}

/// The names a message template may use between braces. Rule loading
/// refuses any other `{name}` (a misspelt one would be published verbatim);
/// a unit test checks that `render_message` fills each of them.
pub const PLACEHOLDERS: &[&str] = &[
    "entity",
    "claim",
    "evidence",
    "earlier",
    "later",
    "claim_date",
    "claim_when",
    "evidence_date",
    "evidence_when",
    "claim_dates",
    "evidence_dates",
    "claim_source",
    "evidence_source",
    "order",
    "days",
    "item",
    "from",
    "to",
];

/// The `{name}`s in a message template, with their byte offsets: a name is
/// lowercase letters, digits and `_`; other braces are text.
pub fn placeholders(template: &str) -> Vec<(usize, &str)> {
    template
        .match_indices('{')
        .filter_map(|(i, _)| {
            let rest = &template[i + 1..];
            let end = rest.find('}')?;
            let name = &rest[..end];
            (!name.is_empty()
                && name
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_'))
            .then_some((i, name))
        })
        .collect()
}

/// Fills a message template: `{entity}`, `{claim}`, `{evidence}`,
/// `{claim_date}`, `{evidence_date}`, `{claim_when}`, `{evidence_when}`
/// (the event date when the statement has one), `{claim_dates}`,
/// `{evidence_dates}` (the publication date, and the event date beside it
/// when they differ), `{claim_source}`, `{evidence_source}`,
/// `{order}`, `{days}`, `{earlier}`, `{later}`, `{item}`, `{from}`, `{to}`
/// (the list is [`PLACEHOLDERS`]).
pub fn render_message(template: &str, f: &Finding, corpus: &Corpus) -> String {
    let side = |s: &Option<SideRef>, what: &str| -> String {
        s.as_ref().map_or(String::new(), |s| match what {
            "text" => s.text.clone(),
            "date" => s.date.to_string(),
            "when" => s.when.to_string(),
            // Both dates when the event date is not the publication date:
            // an order computed from a date the reader cannot see reads as
            // a mistake ("evidence-first" beside a later publication).
            "dates" if s.when != s.date => format!("{}, event {}", s.date, s.when),
            "dates" => s.date.to_string(),
            _ => s.source.clone().unwrap_or_else(|| s.statement.clone()),
        })
    };
    let mut out = template.to_string();
    let reps: Vec<(&str, String)> = vec![
        ("{entity}", corpus.entities.display_name(&f.entity)),
        ("{claim}", side(&f.claim, "text")),
        ("{evidence}", side(&f.evidence, "text")),
        ("{earlier}", side(&f.claim, "text")),
        ("{later}", side(&f.evidence, "text")),
        ("{claim_date}", side(&f.claim, "date")),
        ("{claim_when}", side(&f.claim, "when")),
        ("{evidence_when}", side(&f.evidence, "when")),
        ("{claim_dates}", side(&f.claim, "dates")),
        ("{evidence_dates}", side(&f.evidence, "dates")),
        ("{evidence_date}", side(&f.evidence, "date")),
        ("{claim_source}", side(&f.claim, "source")),
        ("{evidence_source}", side(&f.evidence, "source")),
        (
            "{order}",
            f.order.map_or(String::new(), |o| o.as_str().to_string()),
        ),
        ("{days}", f.days.map_or(String::new(), |d| d.to_string())),
        (
            "{item}",
            f.drop
                .as_ref()
                .map_or(String::new(), |d| d.item_text.clone()),
        ),
        (
            "{from}",
            f.drop.as_ref().map_or(String::new(), |d| {
                d.from
                    .period
                    .clone()
                    .unwrap_or_else(|| d.from.date.to_string())
            }),
        ),
        (
            "{to}",
            f.drop.as_ref().map_or(String::new(), |d| {
                d.to.period.clone().unwrap_or_else(|| d.to.date.to_string())
            }),
        ),
    ];
    for (k, v) in reps {
        if out.contains(k) {
            out = out.replace(k, &v);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_known_placeholder_is_filled() {
        let f = Finding {
            fingerprint: String::new(),
            rule: "r".into(),
            kind: RuleKind::Flag,
            severity: Severity::Low,
            entity: "acme".into(),
            message: String::new(),
            claim: None,
            evidence: None,
            order: None,
            days: None,
            evidence_total: None,
            reason: String::new(),
            drop: None,
        };
        for p in PLACEHOLDERS {
            let out = render_message(&format!("<{{{p}}}>"), &f, &Corpus::default());
            assert!(!out.contains('{'), "{{{p}}} is not filled: {out}");
        }
    }

    #[test]
    fn placeholders_are_lowercase_names_between_braces() {
        let got = placeholders("{entity} said {evidnce_date}; {not one} {} {X}");
        assert_eq!(got, vec![(0, "entity"), (14, "evidnce_date")]);
    }
}
