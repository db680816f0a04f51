//! Series and dropped disclosures: versions of one periodic document of one
//! entity, ordered by period (then date), each consecutive pair aligned.

use crate::align::{AlignConfig, Alignment, Entry, Item, Status, align, split_items};
use crate::corpus::{Corpus, Statement};
use crate::finding::{BestMatch, DropInfo, Finding, VersionRef, fingerprint};
use crate::rules::{Rule, Side};
use std::collections::{BTreeMap, HashMap};

/// A version's items (empty with `readable = false` when the text could
/// not be split and the statement does not say it is empty).
pub struct VersionItems<'a> {
    pub statement: &'a Statement,
    pub items: Vec<Item>,
    pub readable: bool,
    /// sha256 of the text the items were split from (the statement's text
    /// may have been let go after a streaming load).
    pub sha256: String,
}

/// Two consecutive versions and their alignment.
pub struct SeriesPair<'a> {
    pub series: String,
    pub from: usize,
    pub to: usize,
    pub alignment: Option<Alignment>,
    pub versions: std::rc::Rc<Vec<VersionItems<'a>>>,
}

/// The versions of every series the rule watches, grouped by (entity,
/// series) and ordered by period, then date.
pub fn series_groups<'a>(
    corpus: &'a Corpus,
    rule: &Rule,
    in_scope: &dyn Fn(&Statement) -> bool,
) -> BTreeMap<(String, String), Vec<&'a Statement>> {
    let sel = rule.selector(Side::Series);
    let mut groups: BTreeMap<(String, String), Vec<&Statement>> = BTreeMap::new();
    for s in &corpus.statements {
        let Some(name) = s.series_name() else {
            continue;
        };
        if !rule.considers(s) || !in_scope(s) {
            continue;
        }
        if let Some(sel) = sel
            && (!sel.accepts(s)
                || (!sel.series.is_empty() && !sel.series.iter().any(|x| x == name)))
        {
            continue;
        }
        groups
            .entry((s.entity.clone(), name.to_string()))
            .or_default()
            .push(s);
    }
    for v in groups.values_mut() {
        v.sort_by(|a, b| {
            a.period
                .cmp(&b.period)
                .then_with(|| a.date.sort_cmp(&b.date))
                .then_with(|| a.id.cmp(&b.id))
        });
    }
    groups
}

/// Aligns every consecutive pair of one series.
pub fn series_pairs<'a>(
    series: &str,
    versions: &[&'a Statement],
    cfg: &AlignConfig,
    text_of: super::TextOf,
) -> Vec<SeriesPair<'a>> {
    let vs: Vec<VersionItems> = versions
        .iter()
        .map(|s| {
            // A version whose file cannot be read again counts as unreadable.
            let (items, sha256) = text_of(s)
                .map(|t| {
                    let mut items = split_items(&t, s.origin.body_line - 1);
                    // A JSONL version's text is one string on its record's
                    // line: that line is where an editor finds every item.
                    if s.origin.jsonl {
                        for it in &mut items {
                            it.line = s.origin.body_line;
                        }
                    }
                    (items, crate::finding::sha256_hex(t.as_bytes()))
                })
                .unwrap_or_default();
            let readable = !items.is_empty() || s.empty;
            VersionItems {
                statement: s,
                items,
                readable,
                sha256,
            }
        })
        .collect();
    let vs = std::rc::Rc::new(vs);
    (1..vs.len())
        .map(|k| {
            let (a, b) = (&vs[k - 1], &vs[k]);
            let alignment = (a.readable && b.readable).then(|| align(&a.items, &b.items, cfg));
            SeriesPair {
                series: series.to_string(),
                from: k - 1,
                to: k,
                alignment,
                versions: vs.clone(),
            }
        })
        .collect()
}

/// `carried(pairs)[k][i]`: how many consecutive versions up to version `k`
/// (itself included) carried its item `i`, for `pairs` the consecutive pairs
/// of a series from its first version on (as `series_pairs` returns them).
/// An item counts as carried through any pairing but a drop — kept, moved or
/// reworded — and an unreadable pair starts every count of its newer version
/// again at 1. Shared by `check` (a drop finding's `carried`) and `diff`,
/// so the two never count differently.
pub fn carried(pairs: &[SeriesPair]) -> Vec<Vec<usize>> {
    let Some(first) = pairs.first() else {
        return Vec::new();
    };
    let mut out = vec![vec![1; first.versions[first.from].items.len()]];
    for p in pairs {
        let mut next = vec![1; p.versions[p.to].items.len()];
        for e in p.alignment.iter().flat_map(|a| &a.entries) {
            if let (Some(o), Some(n)) = (e.old, e.new)
                && e.status != Status::Dropped
            {
                next[n] = out[p.from].get(o).copied().unwrap_or(1) + 1;
            }
        }
        out.push(next);
    }
    out
}

pub(super) fn drop_findings(
    corpus: &Corpus,
    rule: &Rule,
    in_scope: &dyn Fn(&Statement) -> bool,
    text_of: super::TextOf,
) -> Vec<Finding> {
    let cfg = AlignConfig {
        threshold: rule.threshold,
        volatile: rule.volatile.clone(),
    };
    let mut out = Vec::new();
    for ((entity, series), versions) in series_groups(corpus, rule, in_scope) {
        let pairs = series_pairs(&series, &versions, &cfg, text_of);
        let carried = carried(&pairs);
        for p in &pairs {
            let vs = &p.versions;
            let (from, to) = (&vs[p.from], &vs[p.to]);
            let (fref, tref) = (
                VersionRef::new(from.statement, &from.sha256),
                VersionRef::new(to.statement, &to.sha256),
            );
            match &p.alignment {
                None => {
                    let bad = if from.readable {
                        to.statement
                    } else {
                        from.statement
                    };
                    out.push(Finding {
                        fingerprint: fingerprint(&rule.id, &[(&from.statement.id, ""), (&to.statement.id, "unreadable")]),
                        rule: rule.id.clone(),
                        kind: rule.kind,
                        severity: crate::corpus::Severity::Info,
                        entity: entity.clone(),
                        message: String::new(),
                        claim: None,
                        evidence: None,
                        order: None,
                        days: None,
                        evidence_total: None,
                        reason: format!("`{}` has no text that splits into items; nothing is reported as dropped (set `empty = true` if the source says it lists nothing)", bad.id),
                        drop: Some(DropInfo {
                            series: series.clone(),
                            from: fref.clone(),
                            to: tref.clone(),
                            status: "unreadable".into(),
                            item_text: String::new(),
                            item_section: String::new(),
                            item_line: 0,
                            carried: 0,
                            best: None,
                            new_text: None,
                        }),
                    });
                }
                Some(al) => {
                    // A text the older version gave twice (a heading in the
                    // contents and over its note, a risk repeated in two
                    // items) and dropped twice is two findings: the second
                    // copy's fingerprint counts the copy, the first keeps
                    // the fingerprint a single copy has, so state kept by
                    // `alert` stays valid.
                    let mut copies: HashMap<(&str, &str), usize> = HashMap::new();
                    let partner = counterparts(&al.entries, to.items.len());
                    for e in &al.entries {
                        let report = match e.status {
                            Status::Dropped => "dropped",
                            Status::Changed if rule.report_changed => "changed",
                            _ => continue,
                        };
                        let Some(o) = e.old else { continue };
                        let item = &from.items[o];
                        let watched = rule
                            .watch
                            .iter()
                            .any(|w| w.is_match(item.display()) || w.is_match(&item.section));
                        let best = best_match(e, &partner, &from.items, &to.items);
                        let new_text = e
                            .new
                            .and_then(|j| to.items.get(j))
                            .map(|it| it.display().to_string());
                        let c = carried[p.from].get(o).copied().unwrap_or(1);
                        let copy = copies.entry((item.norm.as_str(), report)).or_default();
                        *copy += 1;
                        let key = match *copy {
                            1 => item.norm.clone(),
                            k => format!("{}\u{1f}copy {k}", item.norm),
                        };
                        out.push(Finding {
                            fingerprint: fingerprint(
                                &rule.id,
                                &[(&from.statement.id, &key), (&to.statement.id, report)],
                            ),
                            rule: rule.id.clone(),
                            kind: rule.kind,
                            severity: if watched {
                                rule.severity.raised()
                            } else {
                                rule.severity
                            },
                            entity: entity.clone(),
                            message: String::new(),
                            claim: None,
                            evidence: None,
                            order: None,
                            days: None,
                            evidence_total: None,
                            reason: format!(
                                "carried by {c} consecutive version(s) up to {}, {} from {}{}{}",
                                fref.period.clone().unwrap_or_else(|| fref.date.to_string()),
                                if report == "dropped" {
                                    "absent"
                                } else {
                                    "reworded"
                                },
                                tref.period.clone().unwrap_or_else(|| tref.date.to_string()),
                                best.as_ref()
                                    .map(|b| format!("; nearest: {}", b.describe()))
                                    .unwrap_or_default(),
                                if watched {
                                    "; matches a watch pattern"
                                } else {
                                    ""
                                }
                            ),
                            drop: Some(DropInfo {
                                series: series.clone(),
                                from: fref.clone(),
                                to: tref.clone(),
                                status: report.into(),
                                item_text: item.display().to_string(),
                                item_section: item.section.clone(),
                                item_line: item.line,
                                carried: c,
                                best,
                                new_text,
                            }),
                        });
                    }
                }
            }
        }
    }
    out
}

/// Series names an entity has, with their version counts.
pub fn series_of(corpus: &Corpus, entity: &str) -> BTreeMap<String, usize> {
    let mut out = BTreeMap::new();
    for s in corpus.statements.iter().filter(|s| s.entity == entity) {
        if let Some(n) = s.series_name() {
            *out.entry(n.to_string()).or_insert(0) += 1;
        }
    }
    out
}

/// The versions of one series of one entity, ordered by period, then date.
pub fn versions<'a>(corpus: &'a Corpus, entity: &str, series: &str) -> Vec<&'a Statement> {
    let mut v: Vec<&Statement> = corpus
        .statements
        .iter()
        .filter(|s| s.entity == entity && s.series_name() == Some(series))
        .collect();
    v.sort_by(|a, b| {
        a.period
            .cmp(&b.period)
            .then_with(|| a.date.sort_cmp(&b.date))
            .then_with(|| a.id.cmp(&b.id))
    });
    v
}

/// For each item of the newer version, the entry that pairs it with an old
/// item (the first, when several old items share one).
pub fn counterparts(entries: &[Entry], new_items: usize) -> Vec<Option<&Entry>> {
    let mut partner: Vec<Option<&Entry>> = vec![None; new_items];
    for e in entries {
        if let (Some(_), Some(n)) = (e.old, e.new)
            && partner[n].is_none()
        {
            partner[n] = Some(e);
        }
    }
    partner
}

/// A dropped entry's near-match in the newer version, and the old item it
/// already stands for, if any: a reader must see by what a near-match of
/// 0.97 is taken, or it reads as a missed rewording.
pub fn best_match(
    e: &Entry,
    partner: &[Option<&Entry>],
    from: &[Item],
    to: &[Item],
) -> Option<BestMatch> {
    let (j, score) = e.best?;
    let item = to.get(j)?;
    Some(BestMatch {
        text: item.display().to_string(),
        score,
        line: item.line,
        paired_with: partner
            .get(j)
            .copied()
            .flatten()
            .and_then(|p| Some((from.get(p.old?)?.line, p.status.as_str()))),
    })
}
