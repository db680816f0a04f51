//! JSON and JSONL: the finding shape of DESIGN.md, a contract scripts and
//! benchmarks rely on. Extra fields may be added; none may be renamed.

use super::{Report, ReportInput};
use crate::finding::{Finding, SideRef};
use crate::rules::RuleKind;
use serde_json::{Value, json};
use std::io::{self, Write};

pub fn side_json(s: &SideRef) -> Value {
    let mut v = json!({
        "statement": s.statement,
        "entity": s.entity,
        "date": s.date.to_string(),
        "when": s.when.to_string(),
        "kind": s.kind,
        "speaker": s.speaker,
        "speaker_role": s.speaker_role,
        "source": s.source,
        "url": s.url,
        "via": s.via,
        "second_hand": s.second_hand,
        "path": s.path.display().to_string(),
        "line": s.line,
        "col": s.col,
        "text": s.text,
        "match": s.matched,
    });
    // Only when the statement has an archived copy: sides without one keep
    // the shape they always had.
    if let Some(h) = &s.archived_sha256 {
        v["archived_sha256"] = json!(h);
    }
    v
}

pub fn finding_json(f: &Finding) -> Value {
    let mut v = json!({
        "fingerprint": f.fingerprint,
        "rule": f.rule,
        "kind": f.kind.as_str(),
        "severity": f.severity.as_str(),
        "entity": f.entity,
        "message": f.message,
        "reason": f.reason,
    });
    let o = v.as_object_mut().expect("object");
    let (a, b) = if f.kind == RuleKind::Reversal {
        ("earlier", "later")
    } else {
        ("claim", "evidence")
    };
    if let Some(c) = &f.claim {
        o.insert(a.into(), side_json(c));
    }
    if let Some(e) = &f.evidence {
        o.insert(b.into(), side_json(e));
    }
    if let Some(ord) = f.order {
        o.insert("order".into(), json!(ord.as_str()));
    }
    if let Some(d) = f.days {
        o.insert("days".into(), json!(d));
    }
    if let Some(t) = f.evidence_total {
        o.insert("evidence_total".into(), json!(t));
    }
    if let Some(d) = &f.drop {
        let ver = |r: &crate::finding::VersionRef| json!({"statement": r.statement, "date": r.date.to_string(), "period": r.period, "source": r.source, "url": r.url, "sha256": r.sha256, "path": r.path.display().to_string()});
        o.insert("series".into(), json!(d.series));
        o.insert("from".into(), ver(&d.from));
        o.insert("to".into(), ver(&d.to));
        o.insert("status".into(), json!(d.status));
        o.insert(
            "item".into(),
            json!({"text": d.item_text, "section": d.item_section, "line": d.item_line, "carried": d.carried,
                   "best_match": d.best.as_ref().map(crate::finding::BestMatch::to_json),
                   "new_text": d.new_text}),
        );
    }
    v
}

pub struct Json;
pub struct Jsonl;

impl Report for Json {
    fn write(&self, input: &ReportInput, out: &mut dyn Write) -> io::Result<()> {
        let v = json!({
            "findings": input.findings.iter().map(finding_json).collect::<Vec<_>>(),
            "stats": {"findings": input.findings.len(), "statements": input.stats.statements, "rules": input.stats.rules, "matches": input.stats.matches, "left_out": input.stats.left_out},
        });
        serde_json::to_writer_pretty(&mut *out, &v)?;
        writeln!(out)
    }
}

impl Report for Jsonl {
    fn write(&self, input: &ReportInput, out: &mut dyn Write) -> io::Result<()> {
        for f in input.findings {
            serde_json::to_writer(&mut *out, &finding_json(f))?;
            writeln!(out)?;
        }
        Ok(())
    }
}
