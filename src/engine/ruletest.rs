//! `claimdiff test`: runs the `[[rule.test]]` cases rules carry. Each case
//! becomes a tiny corpus of one entity; sides given as plain strings get
//! metadata that satisfies their selector and dates that satisfy the rule's
//! order and window, so a case tests the pattern, not the bookkeeping.

use super::{CheckOptions, check};
use crate::corpus::{Corpus, DateRange, Entity, Kind, Origin, Period, SpeakerRole, Statement};
use crate::rules::{OrderReq, Rule, RuleKind, RuleTest, Rules, Side, TestSide};
use chrono::Duration;
use std::collections::BTreeMap;
use std::path::PathBuf;

/// The outcome of one case.
#[derive(Debug, Clone)]
pub struct CaseResult {
    pub rule: String,
    pub path: PathBuf,
    pub line: usize,
    pub expected_finding: bool,
    pub findings: usize,
    /// Why the case could not run (bad date or kind in the case itself).
    pub error: Option<String>,
}

impl CaseResult {
    pub fn passed(&self) -> bool {
        self.error.is_none() && (self.findings > 0) == self.expected_finding
    }
}

/// Runs every case of every rule, in rule order.
pub fn run_rule_tests(rules: &Rules) -> Vec<CaseResult> {
    let mut out = Vec::new();
    for r in &rules.rules {
        for t in &r.tests {
            let (findings, error) = match run_case(r, t) {
                Ok(n) => (n, None),
                Err(e) => (0, Some(e)),
            };
            out.push(CaseResult {
                rule: r.id.clone(),
                path: r.path.clone(),
                line: t.line,
                expected_finding: t.expect_finding,
                findings,
                error,
            });
        }
    }
    out
}

fn run_case(rule: &Rule, t: &RuleTest) -> Result<usize, String> {
    let gap = Duration::days(rule.window.unwrap_or(30).clamp(1, 30));
    let base = DateRange::parse("2020-06-15").map_err(|e| e.to_string())?;
    let shift = |d: &DateRange, by: Duration| {
        let s = d.start + by;
        DateRange {
            start: s,
            end: s,
            precision: d.precision,
        }
    };
    // Default date of each side, satisfying the rule's order.
    let default_date = |side: Side, idx: usize| -> DateRange {
        match (rule.kind, side) {
            (RuleKind::Contradiction, Side::Evidence) => match rule.order {
                OrderReq::ClaimFirst => shift(&base, gap),
                _ => shift(&base, -gap),
            },
            (RuleKind::Reversal, Side::Earlier) => shift(&base, -gap),
            (RuleKind::DroppedDisclosure, _) => shift(&base, Duration::days(366 * idx as i64)),
            _ => base.clone(),
        }
    };
    let mut statements = Vec::new();
    for (i, (side, ts)) in t.sides.iter().enumerate() {
        let sel = rule.selector(*side);
        statements.push(make_statement(
            rule,
            sel,
            *side,
            ts,
            i,
            default_date(*side, i),
        )?);
    }
    let mut corpus = Corpus::default();
    corpus.entities.by_id.insert(
        "test-entity".into(),
        Entity {
            id: "test-entity".into(),
            name: "Test Entity".into(),
            ..Default::default()
        },
    );
    corpus.statements = statements;
    let rules = Rules {
        rules: vec![rule.clone()],
    };
    let out = check(&corpus, &rules, &CheckOptions::default());
    Ok(out
        .findings
        .iter()
        .filter(|f| {
            f.drop
                .as_ref()
                .is_none_or(|d| d.status == "dropped" || d.status == "changed")
        })
        .count())
}

fn make_statement(
    rule: &Rule,
    sel: Option<&crate::rules::Selector>,
    side: Side,
    ts: &TestSide,
    i: usize,
    date: DateRange,
) -> Result<Statement, String> {
    let parse_date = |s: &str| DateRange::parse(s);
    let date = match &ts.date {
        Some(d) => parse_date(d)?,
        None => date,
    };
    let event_date = ts.event_date.as_deref().map(parse_date).transpose()?;
    let kind = match &ts.kind {
        Some(k) => Kind::parse(k).ok_or_else(|| format!("unknown kind `{k}` in test"))?,
        None => sel.and_then(|s| s.kinds.first().copied()).unwrap_or(
            if rule.kind == RuleKind::DroppedDisclosure {
                Kind::AnnualReport
            } else {
                Kind::Statement
            },
        ),
    };
    let speaker_role = match &ts.speaker_role {
        Some(r) => Some(
            SpeakerRole::parse(r).ok_or_else(|| format!("unknown speaker_role `{r}` in test"))?,
        ),
        None => Some(
            sel.and_then(|s| s.speaker_roles.first().copied())
                .unwrap_or(SpeakerRole::Entity),
        ),
    };
    let topics = ts.topics.clone().unwrap_or_else(|| {
        rule.topics
            .first()
            .or_else(|| sel.and_then(|s| s.topics.first()))
            .cloned()
            .into_iter()
            .collect()
    });
    let entity = ts.entity.clone().unwrap_or_else(|| "test-entity".into());
    let series = (rule.kind == RuleKind::DroppedDisclosure).then(|| {
        sel.and_then(|s| s.series.first().cloned())
            .unwrap_or_else(|| "test-series".into())
    });
    let period = series
        .as_ref()
        .map(|_| Period::parse(&format!("{}", 2020 + i)).expect("valid period"));
    Ok(Statement {
        id: format!("test-entity/{}-{i}", side.as_str()),
        entity,
        date,
        event_date,
        kind,
        speaker: None,
        speaker_role,
        source: Some(format!("rule test, {} side", side.as_str())),
        publisher: None,
        url: None,
        archive_url: None,
        archived: None,
        via: None,
        topics,
        lang: "en".into(),
        series,
        period,
        about: vec![],
        note: None,
        ignore: BTreeMap::new(),
        empty: false,
        origin: Origin {
            path: rule.path.clone(),
            body_line: 1,
            jsonl: false,
            offset: 0,
            text_cols: None,
        },
        text: ts.text.clone(),
    })
}
