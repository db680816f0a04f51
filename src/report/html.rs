//! The HTML report (`claimdiff report`): one self-contained page per
//! entity — inline CSS, inline SVG, no script, no external asset — so it can
//! be mailed, archived or opened offline years later and look the same.
//!
//! The page shows an SVG timeline of the entity's statements on a date axis
//! (the company's own words above, series versions in the middle, evidence
//! below; an imprecise date is drawn as the interval it covers), an arc from
//! each piece of evidence to the claim it contradicts (class `arc`, with the
//! finding's fingerprint in `data-fingerprint`), a marker between two series
//! versions where items were dropped (class `drop`), then the findings
//! table with links to the sources and the company's replies beside the
//! findings they may answer, then every statement. Every text from the
//! corpus is HTML-escaped.

use crate::corpus::{Corpus, Precision, Relation, SpeakerRole, Statement};
use crate::desk::{Timeline, TimelineRow, is_reply};
use crate::finding::{Finding, Order, SideRef};
use crate::rules::RuleKind;
use chrono::{Datelike, NaiveDate};
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// Escapes text for HTML content and attribute values.
pub fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            c => o.push(c),
        }
    }
    o
}

/// Only http(s) links are made clickable: a `javascript:` URL in a corpus
/// must not become a link in a published report.
pub(crate) fn safe_url(u: &str) -> Option<&str> {
    crate::corpus::is_web_url(u).then_some(u)
}

fn link(text: &str, url: Option<&str>) -> String {
    match url.and_then(safe_url) {
        Some(u) => format!(
            "<a href=\"{}\" rel=\"noopener noreferrer\">{}</a>",
            esc(u),
            esc(text)
        ),
        None => esc(text),
    }
}

/// Everything the page needs besides the corpus.
pub struct PageInput<'a> {
    pub corpus: &'a Corpus,
    /// Findings involving the entity's group.
    pub findings: &'a [Finding],
    pub timeline: &'a Timeline,
    /// Shown in the footer (e.g. the version of claimdiff and the date).
    pub generated: String,
}

const W: f64 = 1200.0;
const LEFT: f64 = 150.0;
const RIGHT: f64 = 40.0;
const DOT_GAP: f64 = 27.0;
const ROW_H: f64 = 25.0;

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Lane {
    Said,
    Series,
    Evidence,
}

fn lane_of(st: &Statement) -> Lane {
    if st.series_name().is_some() {
        Lane::Series
    } else if st.speaker_role == Some(SpeakerRole::Entity) {
        Lane::Said
    } else {
        Lane::Evidence
    }
}

fn days(d: NaiveDate) -> f64 {
    f64::from(d.num_days_from_ce())
}

struct Axis {
    start: NaiveDate,
    end: NaiveDate,
}

impl Axis {
    fn x(&self, d: NaiveDate) -> f64 {
        let span = (days(self.end) - days(self.start)).max(1.0);
        LEFT + (days(d) - days(self.start)) / span * (W - LEFT - RIGHT)
    }
}

struct Dot {
    n: usize,
    x: f64,
    y: f64,
    x0: f64,
    x1: f64,
}

fn role_class(r: &TimelineRow) -> &'static str {
    match r.speaker_role {
        Some(SpeakerRole::Entity) => "entity",
        Some(SpeakerRole::Agent) => "agent",
        Some(SpeakerRole::Government) => "government",
        Some(SpeakerRole::ThirdParty) => "third-party",
        None => "unknown",
    }
}

fn order_class(f: &Finding) -> &'static str {
    match (f.kind, f.order) {
        (RuleKind::Reversal, _) => "reversal",
        (_, Some(Order::EvidenceFirst)) => "evidence-first",
        (_, Some(Order::ClaimFirst)) => "claim-first",
        _ => "uncertain",
    }
}

fn what_found(f: &Finding) -> &'static str {
    match (f.kind, f.order) {
        (RuleKind::Reversal, _) => "reversed",
        (RuleKind::Flag, _) => "flagged",
        (RuleKind::DroppedDisclosure, _) => "dropped",
        (_, Some(Order::EvidenceFirst)) => "contradicted by earlier evidence",
        (_, Some(Order::ClaimFirst)) => "contradicted by later evidence",
        _ => "contradicted by evidence of uncertain date",
    }
}

const CSS: &str = r#"
:root{--ink:#1d2330;--muted:#5b6475;--line:#d9dde5;--bg:#f6f7f9;--card:#fff;
--entity:#1f4e9c;--agent:#7a3fb0;--third:#0f7b6c;--gov:#2f6b2f;--ef:#c62828;--cf:#e07b00;--unc:#8a8f99;--rev:#7a3fb0;}
*{box-sizing:border-box}
body{margin:0;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Noto Sans CJK SC",sans-serif;color:var(--ink);background:var(--bg)}
header{background:#101828;color:#fff;padding:22px 32px}
header h1{margin:0 0 4px;font-size:24px;font-weight:650}
header p{margin:0;color:#c5cbd8}
main{padding:18px 32px 40px;max-width:1500px}
section{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:16px 18px;margin:0 0 18px}
h2{font-size:17px;margin:0 0 10px}
.stats{display:flex;gap:26px;flex-wrap:wrap;margin-top:10px}
.stats b{font-size:20px;display:block;color:#fff}
.legend{display:flex;flex-wrap:wrap;gap:16px;font-size:13px;color:var(--muted);margin:4px 0 8px}
.legend span{display:inline-flex;align-items:center;gap:6px}
.sw{display:inline-block;width:22px;height:0;border-top:3px solid}
.dotsw{display:inline-block;width:11px;height:11px;border-radius:50%}
svg{width:100%;height:auto;display:block}
svg text{font-family:inherit}
.lane-label{font-size:13px;font-weight:600;fill:var(--ink)}
.lane-bg{fill:#f3f5f8}
.tick{stroke:var(--line)}
.tick-label{font-size:12px;fill:var(--muted)}
.span{opacity:.22}
.stmt circle{stroke:#fff;stroke-width:1.5}
.stmt text{font-size:10px;fill:var(--muted)}
.stmt.marked circle{stroke:var(--ink);stroke-width:1.5}
.stmt.reply circle{stroke:#f5b700;stroke-width:2.5}
.entity{fill:var(--entity)}.agent{fill:var(--agent)}.third-party{fill:var(--third)}.government{fill:var(--gov)}.unknown{fill:var(--unc)}
.arc{fill:none;stroke-width:1.5;opacity:.6}
.arc:hover{stroke-width:3.5;opacity:1}
.arc.evidence-first{stroke:var(--ef)}.arc.claim-first{stroke:var(--cf)}
.arc.uncertain{stroke:var(--unc);stroke-dasharray:5 4}.arc.reversal{stroke:var(--rev);stroke-dasharray:2 3}
.drop path{fill:var(--ef)}
.drop text{font-size:11px;font-weight:700;fill:var(--ef);text-anchor:middle}
.drop line{stroke:var(--ef);stroke-width:2;stroke-dasharray:3 3}
table{border-collapse:collapse;width:100%;font-size:14px}
th{text-align:left;font-size:12px;text-transform:uppercase;letter-spacing:.04em;color:var(--muted);border-bottom:2px solid var(--line);padding:6px 8px}
td{vertical-align:top;border-bottom:1px solid var(--line);padding:8px}
tr.finding:target{background:#fff8e1}
.sev{display:inline-block;font-size:11px;font-weight:700;border-radius:4px;padding:1px 6px;color:#fff;background:var(--unc)}
.sev-critical{background:#6a1b9a}.sev-high{background:var(--ef)}.sev-medium{background:var(--cf)}.sev-low{background:#0277bd}
.q{font-style:normal;display:block;margin:3px 0}
.meta{color:var(--muted);font-size:12.5px}
.tag{display:inline-block;font-size:11px;border:1px solid var(--line);border-radius:10px;padding:0 7px;margin:2px 4px 0 0;color:var(--muted)}
.tag.second{border-color:#e07b00;color:#a85a00}
.tag.reply{border-color:#f5b700;color:#8a6700}
.order{font-weight:600}
.order.evidence-first{color:var(--ef)}.order.claim-first{color:var(--cf)}.order.uncertain{color:var(--unc)}.order.reversal{color:var(--rev)}
.replies{font-size:13px}
.replies li{margin-bottom:4px}
code{font-size:12px;color:var(--muted)}
footer{color:var(--muted);font-size:12px;padding:0 32px 30px}
"#;

/// The page for one entity.
pub fn entity_page(p: &PageInput) -> String {
    let t = p.timeline;
    let corpus = p.corpus;
    let mut h = String::new();
    let reviewed = p
        .findings
        .iter()
        .filter(|f| matches!(f.kind, RuleKind::Contradiction | RuleKind::Reversal))
        .count();
    let drops = p.findings.iter().filter(|f| f.drop.is_some()).count();
    let _ = writeln!(
        h,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{name} — claimdiff report</title>\n<style>{CSS}</style>\n</head>\n<body>\n\
         <header><h1>{name}: statements and evidence</h1>\
         <p>What {name} said, what the evidence in the corpus shows, and in which order in time. \
         Findings report inconsistencies in the record, not verdicts.</p>\
         <div class=\"stats\"><span><b>{rows}</b>statements</span><span><b>{nf}</b>findings</span>\
         <span><b>{reviewed}</b>contradictions &amp; reversals</span><span><b>{drops}</b>dropped items</span></div>\
         </header>\n<main>",
        name = esc(&t.name),
        rows = t.rows.len(),
        nf = p.findings.len(),
    );
    h.push_str(&svg_section(p));
    h.push_str(&findings_section(p));
    h.push_str(&statements_section(t));
    let _ = writeln!(
        h,
        "</main>\n<footer>{} · entity <code>{}</code> · {} statement(s) in the corpus</footer>\n</body>\n</html>",
        esc(&p.generated),
        esc(&t.entity),
        corpus.statements.len()
    );
    h
}

fn svg_section(p: &PageInput) -> String {
    let t = p.timeline;
    let corpus = p.corpus;
    let mut h = String::from("<section id=\"timeline\"><h2>Timeline</h2>\n");
    h.push_str(
        "<div class=\"legend\">\
         <span><i class=\"dotsw\" style=\"background:var(--entity)\"></i>the company</span>\
         <span><i class=\"dotsw\" style=\"background:var(--agent)\"></i>its agents</span>\
         <span><i class=\"dotsw\" style=\"background:var(--third)\"></i>third parties</span>\
         <span><i class=\"dotsw\" style=\"background:var(--gov)\"></i>governments</span>\
         <span><i class=\"sw\" style=\"border-color:var(--ef)\"></i>contradicted by earlier evidence</span>\
         <span><i class=\"sw\" style=\"border-color:var(--cf)\"></i>by later evidence</span>\
         <span><i class=\"sw\" style=\"border-color:var(--unc);border-top-style:dashed\"></i>order uncertain</span>\
         <span><i class=\"sw\" style=\"border-color:var(--rev);border-top-style:dotted\"></i>reversal</span>\
         <span>bars: the interval an imprecise date covers</span></div>\n",
    );
    if t.rows.is_empty() {
        h.push_str("<p>No statements.</p></section>\n");
        return h;
    }
    let start = t.rows.iter().map(|r| r.when.start).min().expect("rows");
    let end = t.rows.iter().map(|r| r.when.end).max().expect("rows");
    let axis = Axis {
        start: NaiveDate::from_ymd_opt(start.year(), 1, 1).unwrap_or(start),
        end: NaiveDate::from_ymd_opt(end.year(), 12, 31).unwrap_or(end),
    };
    // Lanes, each stacking dots that would overlap into sub-rows.
    let sts: BTreeMap<&str, &Statement> = corpus
        .statements
        .iter()
        .map(|s| (s.id.as_str(), s))
        .collect();
    let lane_names = [
        (Lane::Said, format!("{} said", t.name)),
        (Lane::Series, "series versions".to_string()),
        (Lane::Evidence, "evidence & others".to_string()),
    ];
    let mut dots: BTreeMap<usize, Dot> = BTreeMap::new();
    let mut lane_boxes = Vec::new();
    let mut y = 40.0;
    for (lane, label) in &lane_names {
        let mut rows: Vec<&TimelineRow> = t
            .rows
            .iter()
            .filter(|r| sts.get(r.id.as_str()).map(|s| lane_of(s)) == Some(*lane))
            .collect();
        if rows.is_empty() {
            continue;
        }
        rows.sort_by(|a, b| {
            let xa = (axis.x(a.when.start) + axis.x(a.when.end)) / 2.0;
            let xb = (axis.x(b.when.start) + axis.x(b.when.end)) / 2.0;
            xa.total_cmp(&xb).then(a.n.cmp(&b.n))
        });
        let mut last: Vec<f64> = Vec::new();
        let top = y;
        for r in rows {
            let (x0, x1) = (axis.x(r.when.start), axis.x(r.when.end));
            let x = (x0 + x1) / 2.0;
            let sub = match last.iter().position(|l| x - l >= DOT_GAP) {
                Some(i) => i,
                None => {
                    last.push(f64::NEG_INFINITY);
                    last.len() - 1
                }
            };
            last[sub] = x;
            dots.insert(
                r.n,
                Dot {
                    n: r.n,
                    x,
                    y: top + 18.0 + sub as f64 * ROW_H,
                    x0,
                    x1,
                },
            );
        }
        let height = 26.0 + last.len() as f64 * ROW_H;
        lane_boxes.push((label.clone(), top, height));
        y += height + 40.0;
    }
    // The last lane added a gap below itself that nothing follows.
    let height = y - 20.0;
    let _ = writeln!(
        h,
        "<svg class=\"timeline\" viewBox=\"0 0 {W} {height}\" role=\"img\" aria-label=\"timeline of {}\" xmlns=\"http://www.w3.org/2000/svg\">\n\
         <defs><marker id=\"head\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"6\" markerHeight=\"6\" orient=\"auto-start-reverse\">\
         <path d=\"M0,0L10,5L0,10z\" fill=\"context-stroke\"/></marker></defs>",
        esc(&t.name)
    );
    for (label, top, hgt) in &lane_boxes {
        let _ = writeln!(
            h,
            "<rect class=\"lane-bg\" x=\"{LEFT}\" y=\"{top:.1}\" width=\"{:.1}\" height=\"{hgt:.1}\" rx=\"6\"/>\
             <text class=\"lane-label\" x=\"12\" y=\"{:.1}\">{}</text>",
            W - LEFT - RIGHT + 10.0,
            top + hgt / 2.0 + 4.0,
            esc(label)
        );
    }
    // Year ticks.
    for yr in axis.start.year()..=axis.end.year() + 1 {
        if let Some(d) = NaiveDate::from_ymd_opt(yr, 1, 1) {
            let x = axis.x(d);
            if x > W - RIGHT + 1.0 {
                continue;
            }
            let _ = write!(
                h,
                "<line class=\"tick\" x1=\"{x:.1}\" y1=\"26\" x2=\"{x:.1}\" y2=\"{:.1}\"/>",
                height - 10.0
            );
            if yr <= axis.end.year() {
                let mid = axis.x(NaiveDate::from_ymd_opt(yr, 7, 1).unwrap_or(d));
                let _ = write!(
                    h,
                    "<text class=\"tick-label\" x=\"{mid:.1}\" y=\"18\" text-anchor=\"middle\">{yr}</text>"
                );
            }
        }
    }
    h.push('\n');
    // Interval bars under the dots.
    for r in &t.rows {
        if let Some(d) = dots.get(&r.n)
            && r.when.precision != Precision::Day
        {
            let _ = write!(
                h,
                "<rect class=\"span {}\" x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"6\" rx=\"3\"/>",
                role_class(r),
                d.x0,
                d.y - 3.0,
                (d.x1 - d.x0).max(2.0)
            );
        }
    }
    h.push('\n');
    // Arcs: from the evidence (or later statement) to the claim.
    let num: BTreeMap<&str, usize> = t.rows.iter().map(|r| (r.id.as_str(), r.n)).collect();
    for f in p.findings {
        if !matches!(f.kind, RuleKind::Contradiction | RuleKind::Reversal) {
            continue;
        }
        let (Some(c), Some(e)) = (&f.claim, &f.evidence) else {
            continue;
        };
        let (Some(dc), Some(de)) = (
            num.get(c.statement.as_str()).and_then(|n| dots.get(n)),
            num.get(e.statement.as_str()).and_then(|n| dots.get(n)),
        ) else {
            continue;
        };
        let path = if (dc.y - de.y).abs() < 1.0 {
            let lift = 30.0 + (dc.x - de.x).abs() * 0.12;
            format!(
                "M{:.1},{:.1} Q{:.1},{:.1} {:.1},{:.1}",
                de.x,
                de.y - 6.0,
                (de.x + dc.x) / 2.0,
                de.y - lift,
                dc.x,
                dc.y - 6.0
            )
        } else {
            let my = (dc.y + de.y) / 2.0;
            let (sy, ey) = if de.y > dc.y {
                (de.y - 6.0, dc.y + 7.0)
            } else {
                (de.y + 6.0, dc.y - 7.0)
            };
            format!(
                "M{:.1},{sy:.1} C{:.1},{my:.1} {:.1},{my:.1} {:.1},{ey:.1}",
                de.x, de.x, dc.x, dc.x
            )
        };
        let _ = writeln!(
            h,
            "<a href=\"#claimdiff-{fp}\"><path class=\"arc {oc}\" d=\"{path}\" marker-end=\"url(#head)\" \
             data-fingerprint=\"{fp}\" data-rule=\"{rule}\" data-claim=\"{cn}\" data-evidence=\"{en}\">\
             <title>#{en} → #{cn}: {what} ({rule}{gap})</title></path></a>",
            fp = esc(&f.fingerprint),
            oc = order_class(f),
            rule = esc(&f.rule),
            cn = dc.n,
            en = de.n,
            what = what_found(f),
            gap = f.days.map(|d| format!(", {d} days")).unwrap_or_default(),
        );
    }
    // Dropped-disclosure markers, one per pair of versions.
    let mut pairs: BTreeMap<(usize, usize), Vec<&Finding>> = BTreeMap::new();
    for f in p.findings {
        if let Some(d) = &f.drop
            && let (Some(&a), Some(&b)) = (
                num.get(d.from.statement.as_str()),
                num.get(d.to.statement.as_str()),
            )
        {
            pairs.entry((a, b)).or_default().push(f);
        }
    }
    for ((a, b), fs) in &pairs {
        let (Some(da), Some(db)) = (dots.get(a), dots.get(b)) else {
            continue;
        };
        let x = (da.x + db.x) / 2.0;
        let y = (da.y + db.y) / 2.0;
        let fps: Vec<&str> = fs.iter().map(|f| f.fingerprint.as_str()).collect();
        let items: Vec<String> = fs
            .iter()
            .filter_map(|f| f.drop.as_ref())
            .map(|d| format!("{} ({})", d.item_text, d.status))
            .collect();
        let _ = writeln!(
            h,
            "<g class=\"drop\" data-fingerprints=\"{}\" data-count=\"{}\" data-from=\"{a}\" data-to=\"{b}\">\
             <title>#{b} leaves out {} item(s) of #{a}: {}</title>\
             <line x1=\"{:.1}\" y1=\"{:.1}\" x2=\"{:.1}\" y2=\"{:.1}\"/>\
             <path d=\"M{x:.1},{:.1} l7,-12 h-14 z\"/>\
             <text x=\"{x:.1}\" y=\"{:.1}\">−{}</text></g>",
            esc(&fps.join(" ")),
            fs.len(),
            fs.len(),
            esc(&items.join("; ")),
            da.x + 22.0,
            da.y,
            db.x - 7.0,
            db.y,
            y - 4.0,
            y - 19.0,
            fs.len()
        );
    }
    // Dots last, on top.
    for r in &t.rows {
        let Some(d) = dots.get(&r.n) else { continue };
        let mut class = format!("stmt {}", role_class(r));
        if !r.marks.is_empty() {
            class.push_str(" marked");
        }
        if r.reply {
            class.push_str(" reply");
        }
        let _ = writeln!(
            h,
            "<a href=\"#s-{n}\"><g class=\"{class}\" data-statement=\"{id}\" data-n=\"{n}\">\
             <circle class=\"{rc}\" cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"6\"/>\
             <text x=\"{tx:.1}\" y=\"{ty:.1}\">{n}</text>\
             <title>#{n} {date}{event} · {kind} · {src}\n{q}</title></g></a>",
            n = r.n,
            id = esc(&r.id),
            rc = role_class(r),
            x = d.x,
            y = d.y,
            // Right of the dot: arrows arrive from above and below.
            tx = d.x + 8.0,
            ty = d.y + 3.5,
            date = r.date,
            event = if r.when != r.date {
                format!(" (event {})", r.when)
            } else {
                String::new()
            },
            kind = r.kind,
            src = esc(r.source.as_deref().unwrap_or(&r.id)),
            q = esc(&r.first_line),
        );
    }
    h.push_str("</svg>\n</section>\n");
    h
}

fn side_html(s: &SideRef, n: Option<usize>) -> String {
    let mut o = String::new();
    let _ = write!(
        o,
        "<span class=\"meta\">{}{} · {}{}</span><br>{}",
        n.map(|n| format!("<a href=\"#s-{n}\">#{n}</a> · "))
            .unwrap_or_default(),
        esc(&s.date.to_string()),
        esc(&s.kind),
        if s.when != s.date {
            format!(" · event {}", esc(&s.when.to_string()))
        } else {
            String::new()
        },
        link(
            s.source.as_deref().unwrap_or(&s.statement),
            s.url.as_deref()
        ),
    );
    if let Some(sp) = &s.speaker {
        let _ = write!(o, " <span class=\"meta\">— {}</span>", esc(sp));
    }
    let _ = write!(o, "<q class=\"q\">{}</q>", esc(&s.text));
    if s.second_hand {
        let _ = write!(
            o,
            "<span class=\"tag second\">second-hand, via {}</span>",
            esc(s.via.as_deref().unwrap_or("?"))
        );
    }
    let _ = write!(
        o,
        "<code>{}:{}:{}</code>",
        esc(&s.path.display().to_string()),
        s.line,
        s.col
    );
    o
}

/// The company's replies a finding may answer: its press replies and
/// statements that share a topic with either side and are not certainly
/// earlier than the evidence. A heuristic, and labelled as one.
fn replies_for<'a>(f: &Finding, corpus: &'a Corpus, entity: &str) -> Vec<&'a Statement> {
    let Some(e) = f.evidence.as_ref().or(f.claim.as_ref()) else {
        return vec![];
    };
    let sides: Vec<&Statement> = f
        .statements()
        .iter()
        .filter_map(|id| corpus.get(id))
        .collect();
    let topics: Vec<&String> = sides.iter().flat_map(|s| &s.topics).collect();
    let group = corpus.entities.group(entity);
    corpus
        .statements
        .iter()
        .filter(|s| is_reply(s) && corpus.groups_of(s).contains(&group))
        .filter(|s| !f.statements().contains(&s.id.as_str()))
        .filter(|s| s.topics.is_empty() || s.topics.iter().any(|t| topics.contains(&t)))
        .filter(|s| s.when().relation(&e.when) != Relation::Before)
        .collect()
}

fn findings_section(p: &PageInput) -> String {
    let t = p.timeline;
    let num: BTreeMap<&str, usize> = t.rows.iter().map(|r| (r.id.as_str(), r.n)).collect();
    let mut h = String::from(
        "<section id=\"findings\"><h2>Findings</h2>\n<table class=\"findings\">\
         <thead><tr><th>finding</th><th>claim / earlier / item</th><th>evidence / later / version</th>\
         <th>order</th><th>replies on the topic, not earlier than the evidence</th></tr></thead><tbody>\n",
    );
    for f in p.findings {
        let (a, b) = match &f.drop {
            Some(d) => (
                format!(
                    "<span class=\"meta\">{}{} · {}</span><q class=\"q\">{}</q>{}",
                    num.get(d.from.statement.as_str())
                        .map(|n| format!("<a href=\"#s-{n}\">#{n}</a> · "))
                        .unwrap_or_default(),
                    esc(d.from.period.as_deref().unwrap_or(&d.from.date.to_string())),
                    link(
                        d.from.source.as_deref().unwrap_or(&d.from.statement),
                        d.from.url.as_deref()
                    ),
                    esc(&d.item_text),
                    if d.item_section.is_empty() {
                        String::new()
                    } else {
                        format!(
                            "<span class=\"meta\">section: {}</span>",
                            esc(&d.item_section)
                        )
                    }
                ),
                format!(
                    "<span class=\"meta\">{}{} · {}</span><br><b>{}</b><br><span class=\"meta\">{}</span>",
                    num.get(d.to.statement.as_str())
                        .map(|n| format!("<a href=\"#s-{n}\">#{n}</a> · "))
                        .unwrap_or_default(),
                    esc(d.to.period.as_deref().unwrap_or(&d.to.date.to_string())),
                    link(
                        d.to.source.as_deref().unwrap_or(&d.to.statement),
                        d.to.url.as_deref()
                    ),
                    esc(&d.status),
                    esc(&f.reason)
                ),
            ),
            None => (
                f.claim
                    .as_ref()
                    .map(|c| side_html(c, num.get(c.statement.as_str()).copied()))
                    .unwrap_or_default(),
                f.evidence
                    .as_ref()
                    .map(|e| side_html(e, num.get(e.statement.as_str()).copied()))
                    .unwrap_or_else(|| format!("<span class=\"meta\">{}</span>", esc(&f.reason))),
            ),
        };
        let order = match (f.kind, f.order) {
            (RuleKind::Flag | RuleKind::DroppedDisclosure, _) => String::new(),
            (_, o) => format!(
                "<span class=\"order {}\">{}</span><br><span class=\"meta\">{}{}</span>",
                order_class(f),
                esc(o.map_or("uncertain", Order::as_str)),
                f.days
                    .map(|d| format!("{d} days apart"))
                    .unwrap_or_default(),
                f.evidence_total
                    .filter(|n| *n > 1)
                    .map(|n| format!("<br>{n} pieces of evidence"))
                    .unwrap_or_default()
            ),
        };
        let replies = replies_for(f, p.corpus, &t.entity);
        let rep = if replies.is_empty() {
            String::from("<span class=\"meta\">—</span>")
        } else {
            let mut s = String::from("<ul class=\"replies\">");
            for r in replies {
                let _ = write!(
                    s,
                    "<li class=\"reply\">{}<span class=\"meta\">{}</span> {}<br>“{}”</li>",
                    num.get(r.id.as_str())
                        .map(|n| format!("<a href=\"#s-{n}\">#{n}</a> "))
                        .unwrap_or_default(),
                    esc(&r.date.to_string()),
                    link(r.source.as_deref().unwrap_or(&r.id), r.url.as_deref()),
                    esc(&cut(&crate::desk::first_line(&r.text), 140))
                );
            }
            s.push_str("</ul>");
            s
        };
        let _ = writeln!(
            h,
            "<tr class=\"finding {kind}\" id=\"claimdiff-{fp}\" data-fingerprint=\"{fp}\">\
             <td><span class=\"sev sev-{sev}\">{sev}</span><br><b>{rule}</b><br><span class=\"meta\">{msg}</span><br><code>{fp}</code></td>\
             <td>{a}</td><td>{b}</td><td>{order}</td><td>{rep}</td></tr>",
            kind = f.kind.as_str(),
            fp = esc(&f.fingerprint),
            sev = f.severity.as_str(),
            rule = esc(&f.rule),
            msg = esc(what_found(f)),
        );
    }
    if p.findings.is_empty() {
        h.push_str("<tr><td colspan=\"5\">No findings.</td></tr>\n");
    }
    h.push_str("</tbody></table></section>\n");
    h
}

fn statements_section(t: &Timeline) -> String {
    let mut h = String::from(
        "<section id=\"statements\"><h2>Statements in date order</h2>\n<table class=\"statements\">\
         <thead><tr><th>#</th><th>date</th><th>kind · speaker</th><th>source · quote</th><th>findings</th></tr></thead><tbody>\n",
    );
    for r in &t.rows {
        let mut tags = String::new();
        if r.reply {
            tags.push_str("<span class=\"tag reply\">company reply</span>");
        }
        if r.second_hand {
            let _ = write!(
                tags,
                "<span class=\"tag second\">second-hand, via {}</span>",
                esc(r.via.as_deref().unwrap_or("?"))
            );
        }
        let marks = crate::report::timeline::marks_text(r)
            .iter()
            .map(|m| esc(m))
            .collect::<Vec<_>>()
            .join("<br>");
        let _ = writeln!(
            h,
            "<tr class=\"statement\" id=\"s-{n}\" data-statement=\"{id}\"><td>#{n}</td><td>{date}{event}</td>\
             <td>{kind}<br><span class=\"meta\">{sp}</span>{tags}</td>\
             <td>{src}<q class=\"q\">{q}</q><code>{path}</code></td><td class=\"meta\">{marks}</td></tr>",
            n = r.n,
            id = esc(&r.id),
            date = r.date,
            event = if r.when != r.date {
                format!("<br><span class=\"meta\">event {}</span>", r.when)
            } else {
                String::new()
            },
            kind = esc(r.kind.as_str()),
            sp = esc(&match (&r.speaker, r.speaker_role) {
                (Some(s), Some(role)) => format!("{s} ({role})"),
                (Some(s), None) => s.clone(),
                (None, Some(role)) => role.to_string(),
                (None, None) => String::new(),
            }),
            src = link(r.source.as_deref().unwrap_or(&r.id), r.url.as_deref()),
            q = esc(&r.first_line),
            path = esc(&r.path.display().to_string()),
        );
    }
    h.push_str("</tbody></table></section>\n");
    h
}

/// The index page linking each entity's page.
pub fn index_page(entries: &[(String, String, usize, usize)], generated: &str) -> String {
    let mut h = format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>claimdiff report</title>\n<style>{CSS}</style>\n</head>\n<body>\n\
         <header><h1>claimdiff report</h1><p>One page per entity.</p></header>\n<main><section><table>\
         <thead><tr><th>entity</th><th>statements</th><th>findings</th></tr></thead><tbody>\n"
    );
    for (file, name, n, nf) in entries {
        let _ = writeln!(
            h,
            "<tr><td><a href=\"{}\">{}</a></td><td>{n}</td><td>{nf}</td></tr>",
            esc(file),
            esc(name)
        );
    }
    let _ = writeln!(
        h,
        "</tbody></table></section></main>\n<footer>{}</footer>\n</body>\n</html>",
        esc(generated)
    );
    h
}

/// At most `n` characters, with `…` when cut.
fn cut(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        format!("{}…", s.chars().take(n).collect::<String>().trim_end())
    }
}
