//! Turning findings into alerts: one alert per newer version of a series
//! that drops items (all its dropped items in one payload), or one per
//! finding for the other kinds when asked. The payload is the raw JSON that
//! sinks receive; the fingerprint is stable across runs.
//!
//! A drop alert lists its items' fingerprints in [`Alert::items`]; a sink
//! that took some of them already gets the alert narrowed by
//! [`narrow_alert`] to the rest (the delivery layer decides when).

use crate::alerts::Alert;
use crate::corpus::{DateRange, Severity};
use crate::finding::{Finding, fingerprint};
use crate::report::finding_json;
use crate::rules::RuleKind;
use serde_json::{Value, json};
use std::collections::BTreeMap;

/// Builds alerts from findings of the given kinds. Dropped-disclosure
/// findings are grouped per (rule, entity, series, from, to); a group with
/// no `dropped` item (only `changed` or `unreadable`) raises no alert.
pub fn alerts_from(
    findings: &[Finding],
    kinds: &[RuleKind],
    since: Option<&DateRange>,
) -> Vec<Alert> {
    let mut groups: BTreeMap<(String, String, String, String, String), Vec<&Finding>> =
        BTreeMap::new();
    let mut out = Vec::new();
    for f in findings.iter().filter(|f| kinds.contains(&f.kind)) {
        match &f.drop {
            Some(d) => {
                if d.status != "dropped" || since.is_some_and(|s| d.to.date.end < s.start) {
                    continue;
                }
                groups
                    .entry((
                        f.rule.clone(),
                        f.entity.clone(),
                        d.series.clone(),
                        d.from.statement.clone(),
                        d.to.statement.clone(),
                    ))
                    .or_default()
                    .push(f);
            }
            None => {
                if since.is_some_and(|s| f.primary_date().is_some_and(|d| d.end < s.start)) {
                    continue;
                }
                let mut p = finding_json(f);
                p["type"] = json!("finding");
                let sides: Vec<&str> = [&f.claim, &f.evidence]
                    .into_iter()
                    .flatten()
                    .map(|s| s.statement.as_str())
                    .collect();
                out.push(Alert {
                    fingerprint: f.fingerprint.clone(),
                    payload: p,
                    subject: format!("{} {}: {}", f.entity, f.rule, sides.join(" × ")),
                    items: Vec::new(),
                });
            }
        }
    }
    for ((rule, entity, series, _, _), fs) in groups {
        let d0 = fs[0].drop.as_ref().expect("drop finding");
        let ver = |v: &crate::finding::VersionRef| json!({"statement": v.statement, "date": v.date.to_string(), "period": v.period, "source": v.source, "url": v.url, "sha256": v.sha256});
        let fps: Vec<&str> = fs.iter().map(|f| f.fingerprint.as_str()).collect();
        let fp = drop_alert_fingerprint(&rule, &d0.from.statement, &d0.to.statement, &fps);
        let items: Vec<Value> = fs
            .iter()
            .filter_map(|f| f.drop.as_ref().map(|d| (f, d)))
            .map(|(f, d)| {
                json!({"text": d.item_text, "section": d.item_section, "line": d.item_line, "carried": d.carried,
                       "severity": f.severity.as_str(), "fingerprint": f.fingerprint,
                       "best_match": d.best.as_ref().map(crate::finding::BestMatch::to_json)})
            })
            .collect();
        let severity = fs
            .iter()
            .map(|f| f.severity)
            .max()
            .expect("non-empty group");
        out.push(Alert {
            fingerprint: fp.clone(),
            subject: format!(
                "{entity} {series}: {} → {}",
                d0.from.statement, d0.to.statement
            ),
            payload: json!({
                "type": "dropped-disclosure", "fingerprint": fp, "rule": rule, "severity": severity.as_str(),
                "entity": entity, "series": series, "from": ver(&d0.from), "to": ver(&d0.to),
                "dropped": items,
            }),
            items: fps.iter().map(|f| f.to_string()).collect(),
        });
    }
    out
}

/// The fingerprint of the alert for the drops `items` (their finding
/// fingerprints, in any order) from version `from` to `to`.
fn drop_alert_fingerprint(rule: &str, from: &str, to: &str, items: &[&str]) -> String {
    let mut items = items.to_vec();
    items.sort_unstable();
    fingerprint(rule, &[(from, &items.join(",")), (to, "alert")])
}

/// `alert` (a drop alert from [`alerts_from`]) reporting only the dropped
/// items `keep`, as `alerts_from` makes it when only those are dropped:
/// same fingerprint, severity the highest of theirs. Used when a sink took
/// the others in an earlier alert about the same filing.
pub fn narrow_alert(alert: &Alert, keep: &[&str]) -> Alert {
    let p = &alert.payload;
    let kept: Vec<Value> = p["dropped"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|d| d["fingerprint"].as_str().is_some_and(|f| keep.contains(&f)))
        .cloned()
        .collect();
    let severity = kept
        .iter()
        .filter_map(|d| d["severity"].as_str().and_then(Severity::parse))
        .max();
    let fp = drop_alert_fingerprint(
        p["rule"].as_str().unwrap_or_default(),
        p["from"]["statement"].as_str().unwrap_or_default(),
        p["to"]["statement"].as_str().unwrap_or_default(),
        keep,
    );
    let mut payload = p.clone();
    payload["fingerprint"] = json!(fp);
    payload["dropped"] = Value::Array(kept);
    if let Some(severity) = severity {
        payload["severity"] = json!(severity.as_str());
    }
    Alert {
        fingerprint: fp,
        payload,
        subject: alert.subject.clone(),
        items: keep.iter().map(|k| k.to_string()).collect(),
    }
}
