//! The engine: load → match → pair / align → findings. It takes a loaded
//! corpus and compiled rules and returns findings in a deterministic order;
//! it never prints and never reaches back into loading.

mod alerting;
mod ruletest;

pub use alerting::{alerts_from, narrow_alert};
mod series;

pub use ruletest::{CaseResult, run_rule_tests};

pub use series::{
    SeriesPair, VersionItems, best_match, carried, counterparts, series_of, series_pairs, versions,
};

use crate::corpus::{Corpus, DateRange, Relation, Statement};
use crate::finding::{Finding, Order, SideRef, fingerprint, render_message};
use crate::matching::Matcher;
use crate::pairing::{Index, Item, compatible};
use crate::rules::{Rule, RuleKind, Rules, Side};
use rayon::prelude::*;
use std::collections::{BTreeSet, HashSet};
use std::sync::Arc;

/// Which findings a run keeps.
#[derive(Debug, Clone, Default)]
pub struct CheckOptions {
    /// Only these rule ids (all when empty).
    pub rules: Vec<String>,
    /// Only these rule kinds (all when empty).
    pub kinds: Vec<RuleKind>,
    pub entity: Option<String>,
    pub topic: Option<String>,
    pub since: Option<DateRange>,
    pub until: Option<DateRange>,
    /// `(k, n)`: only entity groups whose stable hash falls in shard k of n
    /// (1-based k).
    pub shard: Option<(u64, u64)>,
    /// Keep at most this many findings (the first in output order); the
    /// rest are counted in `Stats::left_out`, so a corpus that matches
    /// everywhere cannot flood the output.
    pub max_findings: Option<usize>,
}

/// Counts for the summary line.
#[derive(Debug, Clone, Default)]
pub struct Stats {
    /// Statements checked: with `--shard`, those about the shard's entity
    /// groups only.
    pub statements: usize,
    /// Statements read, the whole corpus (equal to `statements` without
    /// `--shard`).
    pub read: usize,
    pub rules: usize,
    pub matches: usize,
    pub bytes: u64,
    /// Findings not reported because of `max_findings`.
    pub left_out: usize,
}

pub struct CheckOutput {
    pub findings: Vec<Finding>,
    pub stats: Stats,
    /// Every entity the corpus names (`entity.toml` folders, statements'
    /// `entity` and `about`), matched or not: `check --entity` refuses a
    /// name outside it instead of reporting "no findings" for a typo.
    pub entities: std::collections::BTreeSet<String>,
}

/// Stable hash of an entity group, for `--shard`.
pub fn group_hash(group: &str) -> u64 {
    // FNV-1a: stable across runs, machines and Rust versions.
    let mut h: u64 = 0xcbf29ce484222325;
    for b in group.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x100000001b3);
    }
    h
}

pub fn in_shard(group: &str, shard: Option<(u64, u64)>) -> bool {
    shard.is_none_or(|(k, n)| group_hash(group) % n == k - 1)
}

/// Restricts rules to those selected by the options.
pub fn select_rules(rules: &Rules, opts: &CheckOptions) -> Rules {
    Rules {
        rules: rules
            .rules
            .iter()
            .filter(|r| opts.rules.is_empty() || opts.rules.contains(&r.id))
            .filter(|r| opts.kinds.is_empty() || opts.kinds.contains(&r.kind))
            .cloned()
            .collect(),
    }
}

/// A match kept after its statement's text was let go: the side as it
/// will be reported.
#[derive(Debug, Clone)]
pub struct MatchRec {
    pub rule: usize,
    pub side: Side,
    pub statement: usize,
    pub at: SideRef,
}

/// Whether any series rule may need this statement's text.
fn series_candidate(rules: &Rules, s: &Statement) -> bool {
    s.series_name().is_some()
        && rules.rules.iter().any(|r| {
            r.kind == RuleKind::DroppedDisclosure
                && r.considers(s)
                && r.selector(Side::Series).is_none_or(|sel| sel.accepts(s))
        })
}

/// Runs every rule over an in-memory corpus.
pub fn check(corpus: &Corpus, rules: &Rules, opts: &CheckOptions) -> CheckOutput {
    let rules = Arc::new(select_rules(rules, opts));
    let matcher = Matcher::new(rules.clone());
    matcher.expect_bytes(corpus.statements.iter().map(|s| s.text.len() as u64).sum());
    let in_scope = |s: &Statement| corpus.groups_of(s).iter().any(|g| in_shard(g, opts.shard));
    let recs: Vec<MatchRec> = corpus
        .statements
        .par_iter()
        .enumerate()
        .filter(|(_, s)| in_scope(s))
        .flat_map_iter(|(i, s)| {
            let ms = matcher.match_statement(s, &corpus.entities);
            let sides = SideRef::from_matches(s, &ms);
            ms.into_iter().zip(sides).map(move |(m, at)| MatchRec {
                rule: m.rule,
                side: m.side,
                statement: i,
                at,
            })
        })
        .collect();
    let bytes = corpus.statements.iter().map(|s| s.text.len() as u64).sum();
    let mut out = evaluate(corpus, recs, &rules, opts, bytes, &|s| {
        Ok(std::borrow::Cow::Borrowed(s.text.as_str()))
    });
    out.stats.statements = corpus.statements.iter().filter(|s| in_scope(s)).count();
    out.entities = corpus.entities.by_id.keys().cloned().collect();
    for s in &corpus.statements {
        out.entities.insert(s.entity.clone());
        out.entities.extend(s.about.iter().cloned());
    }
    out
}

/// Runs every rule over the corpus under `root` without holding it in
/// memory: each statement is matched as it is parsed and only its matches
/// (and the metadata of statements that matched or belong to a watched
/// series) are kept. Series texts are read again, one series at a time.
/// Returns the findings and the load problems; with problems and without
/// `keep_going`, nothing is checked.
pub fn check_streaming(
    root: &std::path::Path,
    rules: &Rules,
    opts: &CheckOptions,
    load: &crate::corpus::LoadOptions,
    keep_going: bool,
) -> (CheckOutput, Corpus, Vec<crate::error::Diagnostic>) {
    let rules = Arc::new(select_rules(rules, opts));
    let matcher = Matcher::new(rules.clone());
    // The loader counts the bytes to read before it reads any: the matcher
    // picks its automata by the size of the whole run from the start.
    let progress = load.progress.clone().unwrap_or_default();
    let load = &crate::corpus::LoadOptions {
        progress: Some(progress.clone()),
        ..load.clone()
    };
    let (entities, _) = crate::corpus::load_entities(root);
    let kept_recs: std::sync::Mutex<Vec<(String, usize, Side, SideRef)>> =
        std::sync::Mutex::new(Vec::new());
    let bytes = std::sync::atomic::AtomicU64::new(0);
    let total = std::sync::atomic::AtomicUsize::new(0);
    // Statements of this shard: what the summary says was checked.
    let checked = std::sync::atomic::AtomicUsize::new(0);
    // Statements that do not match are dropped, so the entities they name
    // are noted here (one lock per statement; names are cloned only once).
    let named: std::sync::Mutex<std::collections::BTreeSet<String>> = Default::default();
    let in_scope = |s: &Statement| {
        std::iter::once(&s.entity)
            .chain(&s.about)
            .any(|e| in_shard(&entities.group(e), opts.shard))
    };
    let visit = |mut s: Statement| -> Option<Statement> {
        matcher.expect_bytes(
            progress
                .total_bytes
                .load(std::sync::atomic::Ordering::Relaxed),
        );
        bytes.fetch_add(s.text.len() as u64, std::sync::atomic::Ordering::Relaxed);
        total.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        {
            let mut named = named.lock().expect("no panics while holding");
            for e in std::iter::once(&s.entity).chain(&s.about) {
                if !named.contains(e) {
                    named.insert(e.clone());
                }
            }
        }
        if !in_scope(&s) {
            return None;
        }
        checked.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let ms = matcher.match_statement(&s, &entities);
        let series = series_candidate(&rules, &s);
        if ms.is_empty() && !series {
            return None;
        }
        if !ms.is_empty() {
            let recs: Vec<_> = ms
                .iter()
                .zip(SideRef::from_matches(&s, &ms))
                .map(|(m, at)| (s.id.clone(), m.rule, m.side, at))
                .collect();
            kept_recs
                .lock()
                .expect("no panics while holding")
                .extend(recs);
        }
        s.text = String::new();
        s.origin.text_cols = None;
        Some(s)
    };
    let (mut corpus, problems) = crate::corpus::load_streaming(root, load, &visit);
    if !problems.is_empty() && !keep_going {
        return (
            CheckOutput {
                findings: Vec::new(),
                stats: Stats::default(),
                entities: Default::default(),
            },
            corpus,
            problems,
        );
    }
    let mut named = named.into_inner().expect("no panics while holding");
    for (id, e) in entities.by_id {
        named.insert(id.clone());
        corpus.entities.by_id.insert(id, e);
    }
    let index: std::collections::HashMap<&str, usize> = corpus
        .statements
        .iter()
        .enumerate()
        .map(|(i, s)| (s.id.as_str(), i))
        .collect();
    let mut recs: Vec<MatchRec> = kept_recs
        .into_inner()
        .expect("no panics while holding")
        .into_iter()
        .filter_map(|(id, rule, side, at)| {
            index.get(id.as_str()).map(|&i| MatchRec {
                rule,
                side,
                statement: i,
                at,
            })
        })
        .collect();
    // Deterministic whatever order the threads finished in.
    recs.sort_by(|a, b| {
        (a.statement, a.rule, a.side, a.at.line, a.at.col).cmp(&(
            b.statement,
            b.rule,
            b.side,
            b.at.line,
            b.at.col,
        ))
    });
    let mut out = evaluate(&corpus, recs, &rules, opts, bytes.into_inner(), &|s| {
        crate::corpus::reload_text(s, root).map(std::borrow::Cow::Owned)
    });
    out.stats.statements = checked.into_inner();
    out.stats.read = total.into_inner();
    out.entities = named;
    (out, corpus, problems)
}

/// Where the text of a statement comes from at evaluation time.
pub type TextOf<'a> =
    &'a (dyn Fn(&Statement) -> Result<std::borrow::Cow<'_, str>, crate::error::Diagnostic> + Sync);

fn evaluate(
    corpus: &Corpus,
    recs: Vec<MatchRec>,
    rules: &Rules,
    opts: &CheckOptions,
    bytes: u64,
    text_of: TextOf,
) -> CheckOutput {
    let stats = Stats {
        statements: corpus.statements.len(),
        read: corpus.statements.len(),
        rules: rules.rules.len(),
        matches: recs.len(),
        bytes,
        left_out: 0,
    };
    let mut by_rule: Vec<Vec<&MatchRec>> = vec![Vec::new(); rules.rules.len()];
    for r in &recs {
        by_rule[r.rule].push(r);
    }
    let mut findings = Vec::new();
    for (ri, rule) in rules.rules.iter().enumerate() {
        let of = |side: Side| -> Vec<&MatchRec> {
            by_rule[ri]
                .iter()
                .copied()
                .filter(|m| m.side == side)
                .collect()
        };
        match rule.kind {
            RuleKind::Flag => {
                for m in of(Side::Claim) {
                    findings.push(flag_finding(corpus, rule, m));
                }
            }
            RuleKind::Contradiction => pair_rule(
                corpus,
                rule,
                &of(Side::Claim),
                &of(Side::Evidence),
                &mut findings,
            ),
            RuleKind::Reversal => pair_rule(
                corpus,
                rule,
                &of(Side::Later),
                &of(Side::Earlier),
                &mut findings,
            ),
            RuleKind::DroppedDisclosure => {
                findings.extend(series::drop_findings(
                    corpus,
                    rule,
                    &|s: &Statement| corpus.groups_of(s).iter().any(|g| in_shard(g, opts.shard)),
                    text_of,
                ));
            }
        }
    }
    let mut findings: Vec<Finding> = findings
        .into_iter()
        .filter(|f| keep(f, corpus, opts))
        .collect();
    for f in &mut findings {
        let template = rules
            .get(&f.rule)
            .and_then(|r| r.message.clone())
            .unwrap_or_else(|| default_message(f.kind).to_string());
        f.message = render_message(&template, f, corpus);
    }
    sort_findings(&mut findings);
    let mut seen = HashSet::new();
    findings.retain(|f| seen.insert(f.fingerprint.clone()));
    let mut stats = stats;
    if let Some(max) = opts.max_findings
        && findings.len() > max
    {
        stats.left_out = findings.len() - max;
        findings.truncate(max);
    }
    CheckOutput {
        findings,
        stats,
        entities: Default::default(),
    }
}

fn default_message(kind: RuleKind) -> &'static str {
    match kind {
        RuleKind::Flag => "{claim_source} ({claim_dates})",
        RuleKind::Contradiction => {
            "{claim_source} ({claim_dates}) against {evidence_source} ({evidence_dates}), {order}"
        }
        RuleKind::Reversal => {
            "{claim_source} ({claim_dates}) reversed by {evidence_source} ({evidence_dates})"
        }
        RuleKind::DroppedDisclosure => "\"{item}\" disclosed up to {from}, absent from {to}",
    }
}

fn keep(f: &Finding, corpus: &Corpus, opts: &CheckOptions) -> bool {
    let stmts: Vec<&Statement> = f
        .statements()
        .iter()
        .filter_map(|id| corpus.get(id))
        .collect();
    if let Some(e) = &opts.entity
        && !stmts.iter().any(|s| {
            s.entity == *e || s.about.contains(e) || corpus.entities.group(&s.entity) == *e
        })
    {
        return false;
    }
    if let Some(t) = &opts.topic
        && !stmts.iter().any(|s| s.topics.contains(t))
    {
        return false;
    }
    let Some(d) = f.primary_date() else {
        return true;
    };
    if let Some(since) = &opts.since
        && d.end < since.start
    {
        return false;
    }
    if let Some(until) = &opts.until
        && d.start > until.end
    {
        return false;
    }
    true
}

/// Deterministic order: entity, severity (highest first), rule, then the
/// primary side's date, id and position.
pub fn sort_findings(f: &mut [Finding]) {
    f.sort_by(|a, b| {
        let key = |x: &Finding| {
            let c = x.claim.as_ref();
            (
                x.entity.clone(),
                std::cmp::Reverse(x.severity),
                x.rule.clone(),
                x.primary_date().map(|d| (d.start, d.end)),
                c.map(|c| (c.statement.clone(), c.line, c.col)),
                x.evidence
                    .as_ref()
                    .map(|e| (e.when.start, e.statement.clone(), e.line, e.col)),
                x.drop
                    .as_ref()
                    .map(|d| (d.from.statement.clone(), d.item_line)),
            )
        };
        key(a)
            .cmp(&key(b))
            .then_with(|| a.fingerprint.cmp(&b.fingerprint))
    });
}

fn flag_finding(corpus: &Corpus, rule: &Rule, m: &MatchRec) -> Finding {
    let st = &corpus.statements[m.statement];
    let side = m.at.clone();
    Finding {
        fingerprint: fingerprint(&rule.id, &[(&st.id, &side.text)]),
        rule: rule.id.clone(),
        kind: rule.kind,
        severity: rule.severity,
        entity: st.entity.clone(),
        message: String::new(),
        reason: format!(
            "`{}` matched in {} {} by {}",
            side.matched,
            // Kinds are lowercase English words: the article goes by sound,
            // and none opens with a "you"-sounding vowel.
            if st.kind.as_str().starts_with(['a', 'e', 'i', 'o', 'u']) {
                "an"
            } else {
                "a"
            },
            st.kind,
            st.speaker_role.map_or("an unknown speaker", |r| r.as_str())
        ),
        claim: Some(side),
        evidence: None,
        order: None,
        days: None,
        evidence_total: None,
        drop: None,
    }
}

/// Pairs query-side matches (claims, later statements) with indexed-side
/// matches (evidence, earlier statements) through the time index.
fn pair_rule(
    corpus: &Corpus,
    rule: &Rule,
    query: &[&MatchRec],
    indexed: &[&MatchRec],
    out: &mut Vec<Finding>,
) {
    let index = Index::build(
        indexed
            .iter()
            .enumerate()
            .map(|(k, m)| {
                let st = &corpus.statements[m.statement];
                let w = st.when();
                (
                    corpus.groups_of(st),
                    Item {
                        start: w.start,
                        end: w.end,
                        statement: m.statement,
                        match_idx: k,
                    },
                )
            })
            .collect(),
    );
    let found: Vec<Vec<Finding>> = query
        .par_iter()
        .map(|qm| {
            let qs = &corpus.statements[qm.statement];
            let mut seen = BTreeSet::new();
            let mut res = Vec::new();
            let mut total = 0;
            let keep = |it: &Item| compatible(qs, &corpus.statements[it.statement]);
            for g in corpus.groups_of(qs) {
                let (pairs, t) = index.query(&g, qs.when(), rule, &keep);
                total += t;
                for (it, order, days) in pairs {
                    if seen.insert(it.match_idx) {
                        res.push((g.clone(), it, order, days));
                    }
                }
            }
            res.sort_by_key(|(_, it, _, d)| (*d, it.start, it.match_idx));
            res.truncate(rule.max_evidence);
            res.into_iter()
                .map(|(group, it, order, days)| {
                    let im = indexed[it.match_idx];
                    let is = &corpus.statements[im.statement];
                    pair_finding(
                        corpus, rule, qs, &qm.at, is, &im.at, &group, order, days, total,
                    )
                })
                .collect()
        })
        .collect();
    out.extend(found.into_iter().flatten());
}

#[allow(clippy::too_many_arguments)]
fn pair_finding(
    corpus: &Corpus,
    rule: &Rule,
    qs: &Statement,
    q: &SideRef,
    is: &Statement,
    i: &SideRef,
    group: &str,
    order: Order,
    days: i64,
    total: usize,
) -> Finding {
    let (q, i) = (q.clone(), i.clone());
    let reversal = rule.kind == RuleKind::Reversal;
    // For a reversal the earlier statement is the first side.
    let (claim, evidence) = if reversal { (i, q) } else { (q, i) };
    let shared: Vec<&String> = qs.topics.iter().filter(|t| is.topics.contains(t)).collect();
    let when = |s: &SideRef| {
        if s.when != s.date {
            format!("{} (event {})", s.date, s.when)
        } else {
            s.date.to_string()
        }
    };
    let rel = match claim.when.relation(&evidence.when) {
        Relation::Before => "before",
        Relation::After => "after",
        Relation::Overlap => "overlapping",
    };
    let reason = format!(
        "same entity group `{}`{}; {} {} {} {}{}",
        corpus.entities.display_name(group),
        if shared.is_empty() {
            String::new()
        } else {
            format!(
                ", shared topic `{}`",
                shared
                    .iter()
                    .map(|s| s.as_str())
                    .collect::<Vec<_>>()
                    .join("`, `")
            )
        },
        if reversal { "earlier" } else { "claim" },
        when(&claim),
        rel,
        if reversal { "later " } else { "evidence " }.to_string() + &when(&evidence),
        if order == Order::Uncertain {
            ": dates overlap, order uncertain".to_string()
        } else {
            format!(": {}, {days} days apart", order.as_str())
        },
    );
    Finding {
        fingerprint: fingerprint(
            &rule.id,
            &[
                (&claim.statement, &claim.text),
                (&evidence.statement, &evidence.text),
            ],
        ),
        rule: rule.id.clone(),
        kind: rule.kind,
        severity: rule.severity,
        entity: claim.entity.clone(),
        message: String::new(),
        claim: Some(claim),
        evidence: Some(evidence),
        order: Some(order),
        days: Some(days),
        evidence_total: Some(total),
        reason,
        drop: None,
    }
}

/// Orders findings read back from JSONL exactly as `sort_findings` orders
/// them in one run, and drops duplicates (a statement `about` several
/// groups can be checked in more than one shard).
pub fn merge_findings(mut all: Vec<serde_json::Value>) -> Vec<serde_json::Value> {
    use crate::corpus::Severity;
    let s = |v: &serde_json::Value, p: &str| {
        v.pointer(p)
            .and_then(|x| x.as_str())
            .unwrap_or("")
            .to_string()
    };
    let n = |v: &serde_json::Value, p: &str| v.pointer(p).and_then(|x| x.as_u64()).unwrap_or(0);
    let d = |v: &serde_json::Value, p: &str| {
        v.pointer(p)
            .and_then(|x| x.as_str())
            .and_then(|x| DateRange::parse(x).ok())
            .map(|d| (d.start, d.end))
    };
    let key = |v: &serde_json::Value| {
        let rev = v.get("earlier").is_some();
        let (c, e) = if rev {
            ("/earlier", "/later")
        } else {
            ("/claim", "/evidence")
        };
        let has_c = v.pointer(c).is_some();
        (
            s(v, "/entity"),
            std::cmp::Reverse(Severity::parse(&s(v, "/severity"))),
            s(v, "/rule"),
            if has_c {
                d(v, &format!("{c}/date"))
            } else {
                d(v, "/to/date")
            },
            has_c.then(|| {
                (
                    s(v, &format!("{c}/statement")),
                    n(v, &format!("{c}/line")),
                    n(v, &format!("{c}/col")),
                )
            }),
            v.pointer(e).map(|_| {
                (
                    d(v, &format!("{e}/when")).map(|x| x.0),
                    s(v, &format!("{e}/statement")),
                    n(v, &format!("{e}/line")),
                    n(v, &format!("{e}/col")),
                )
            }),
            v.get("from")
                .map(|_| (s(v, "/from/statement"), n(v, "/item/line"))),
            s(v, "/fingerprint"),
        )
    };
    all.sort_by_cached_key(key);
    let mut seen = HashSet::new();
    all.retain(|v| seen.insert(s(v, "/fingerprint")));
    all
}
