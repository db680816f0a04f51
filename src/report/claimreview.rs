//! schema.org ClaimReview JSON-LD (`check --format claimreview`): one review
//! per contradiction or reversal finding, for publishing a fact-check page
//! that search engines show next to the claim. Flags and dropped
//! disclosures are not claims reviewed against evidence and are left out.
//!
//! A review states what the corpus shows — which evidence contradicts the
//! claim and in which order in time — never whether the claim is true. The
//! rating scale says so in its words:
//!
//! | ratingValue | alternateName | when |
//! |---|---|---|
//! | 1 (`worstRating`) | Contradicted by earlier evidence | contradiction, `evidence-first`: the evidence existed when the claim was made |
//! | 2 | Reversed | reversal: the same entity later said the opposite |
//! | 3 | Contradicted by evidence of uncertain date | contradiction, `uncertain`: the dates overlap |
//! | 4 | Contradicted by later evidence | contradiction, `claim-first`: the evidence came after the claim |
//! | 5 (`bestRating`) | No contradiction found | never emitted: a claim without a finding gets no review |
//!
//! Lower is a stronger documented inconsistency, as ClaimReview ratings go
//! from worst to best; the scale measures what the record shows about the
//! claim's consistency with the evidence, not its truth.

use super::{Report, ReportInput};
use crate::finding::{Finding, Order, SideRef};
use crate::rules::RuleKind;
use serde_json::{Map, Value, json};
use std::io::{self, Write};

/// Longest `claimReviewed` Google recommends (it wraps on phones beyond).
pub const MAX_CLAIM_CHARS: usize = 75;
pub const WORST_RATING: u8 = 1;
pub const BEST_RATING: u8 = 5;

/// The reviewing organisation and the review date.
#[derive(Debug, Clone, Default)]
pub struct ReviewOptions {
    /// `[review] author` of claimdiff.toml.
    pub author: Option<String>,
    /// `[review] url` of claimdiff.toml: the page hosting the reviews; each
    /// review's `url` is it plus `#claimdiff-<fingerprint>`.
    pub url: Option<String>,
    /// `datePublished` of every review, `YYYY-MM-DD`.
    pub date: String,
}

pub struct ClaimReview(pub ReviewOptions);

/// The rating of a finding, if it gets a review: (value, alternateName).
pub fn rating(f: &Finding) -> Option<(u8, &'static str)> {
    match (f.kind, f.order) {
        (RuleKind::Contradiction, Some(Order::EvidenceFirst)) => {
            Some((1, "Contradicted by earlier evidence"))
        }
        (RuleKind::Reversal, _) => Some((2, "Reversed")),
        (RuleKind::Contradiction, Some(Order::ClaimFirst)) => {
            Some((4, "Contradicted by later evidence"))
        }
        (RuleKind::Contradiction, _) => Some((3, "Contradicted by evidence of uncertain date")),
        _ => None,
    }
}

/// Warnings about the output a publisher should act on: claims longer than
/// Google shows, a missing reviewing organisation.
pub fn warnings(findings: &[Finding], opts: &ReviewOptions) -> Vec<String> {
    let mut w = Vec::new();
    let reviewed: Vec<&Finding> = findings.iter().filter(|f| rating(f).is_some()).collect();
    if reviewed.is_empty() {
        return w;
    }
    if opts.author.is_none() {
        w.push("no reviewing organisation: set `[review] author` (and `url`) in claimdiff.toml; `author` is left out".into());
    }
    if opts.url.is_none() {
        w.push("no `[review] url` in claimdiff.toml: each review's `url` is a bare `#claimdiff-<fingerprint>` anchor on the page that embeds it".into());
    }
    // Once per claim: a claim contradicted by five pieces of evidence is
    // one thing to shorten.
    let mut seen = std::collections::BTreeMap::new();
    for f in reviewed {
        if let Some(c) = &f.claim {
            seen.entry(c.statement.clone())
                .or_insert((c.text.chars().count(), 0))
                .1 += 1;
        }
    }
    for (id, (n, reviews)) in seen {
        if n > MAX_CLAIM_CHARS {
            w.push(format!(
                "claimReviewed of {id} ({reviews} review(s)) is {n} characters; Google recommends at most {MAX_CLAIM_CHARS}"
            ));
        }
    }
    w
}

/// Organization for a company, a government body or a publication; Person
/// for an agent (a lawyer, a lobbyist: someone hired who speaks as
/// themselves).
fn party(name: &str, role: Option<&str>) -> Value {
    let t = if role == Some("agent") {
        "Person"
    } else {
        "Organization"
    };
    json!({"@type": t, "name": name})
}

fn creative_work(s: &SideRef) -> Value {
    let mut m = Map::new();
    m.insert("@type".into(), json!("CreativeWork"));
    m.insert(
        "name".into(),
        json!(s.source.clone().unwrap_or_else(|| s.statement.clone())),
    );
    if let Some(u) = &s.url {
        m.insert("url".into(), json!(u));
    }
    m.insert("datePublished".into(), json!(s.date.to_string()));
    Value::Object(m)
}

fn speaker(s: &SideRef, entity_name: &str) -> Value {
    party(
        s.speaker.as_deref().unwrap_or(entity_name),
        s.speaker_role.as_deref(),
    )
}

fn second_hand_note(s: &SideRef) -> Option<String> {
    s.second_hand.then(|| {
        format!(
            "Second-hand: known through {}; no archived copy of the original was checked.",
            s.via.as_deref().unwrap_or("a secondary source")
        )
    })
}

/// The review's headline: the finding's message, followed by the event
/// date of a side that has one. The rating ("Contradicted by earlier
/// evidence") comes from the event dates, and a message written with
/// `{evidence_date}` names only the publication date, which may be later
/// than the claim. Appended even when the message may hold that date
/// already: "2020" in a message may be a report's title, not the event.
fn review_name(f: &Finding, claim: &SideRef, evidence: &SideRef) -> String {
    let mut name = f.message.clone();
    let (a, b) = if f.kind == RuleKind::Reversal {
        ("earlier", "later")
    } else {
        ("claim", "evidence")
    };
    for (what, s) in [(a, claim), (b, evidence)] {
        if s.when != s.date {
            name.push_str(&format!(" ({what} event {})", s.when));
        }
    }
    name
}

/// One ClaimReview, or `None` for a finding that is not reviewed.
pub fn review(f: &Finding, input: &ReportInput, opts: &ReviewOptions) -> Option<Value> {
    let (value, name) = rating(f)?;
    let claim = f.claim.as_ref()?;
    let evidence = f.evidence.as_ref()?;
    let entity_name = input.corpus.entities.display_name(&f.entity);
    let anchor = format!("claimdiff-{}", f.fingerprint);
    let url = match &opts.url {
        Some(u) => format!("{}#{anchor}", u.trim_end_matches('#')),
        None => format!("#{anchor}"),
    };
    let mut item = Map::new();
    item.insert("@type".into(), json!("Claim"));
    item.insert("author".into(), speaker(claim, &entity_name));
    item.insert("datePublished".into(), json!(claim.date.to_string()));
    let first = creative_work(claim);
    let mut appearances = vec![first.clone()];
    if let Some(v) = &claim.via {
        appearances.push(json!({"@type": "CreativeWork", "name": v,
            "description": "secondary source the quote is known through"}));
    }
    item.insert("appearance".into(), Value::Array(appearances));
    item.insert("firstAppearance".into(), first);
    if let Some(n) = second_hand_note(claim) {
        item.insert("description".into(), json!(n));
    }

    let mut cited = match creative_work(evidence) {
        Value::Object(m) => m,
        _ => Map::new(),
    };
    cited.insert("author".into(), speaker(evidence, &entity_name));
    cited.insert("text".into(), json!(evidence.text));
    if evidence.when != evidence.date {
        cited.insert("temporalCoverage".into(), json!(evidence.when.to_string()));
    }
    if let Some(n) = second_hand_note(evidence) {
        cited.insert("description".into(), json!(n));
    }

    let order = f.order.map_or("uncertain", Order::as_str);
    let gap = f
        .days
        .map(|d| format!(", {d} days apart"))
        .unwrap_or_default();
    let body = format!(
        "{} ({}) said “{}” — {} ({}{}): “{}” Order in time: {order}{gap}. Rule `{}`: {}. \
         Found by claimdiff in a corpus of public statements; this review reports an inconsistency in the record, not a verdict on the claim's truth.",
        claim.source.as_deref().unwrap_or(&claim.statement),
        claim.date,
        claim.text,
        evidence.source.as_deref().unwrap_or(&evidence.statement),
        evidence.date,
        if evidence.when != evidence.date {
            format!(", about {}", evidence.when)
        } else {
            String::new()
        },
        evidence.text,
        f.rule,
        f.reason,
    );

    let mut r = Map::new();
    r.insert("@type".into(), json!("ClaimReview"));
    r.insert("@id".into(), json!(url));
    r.insert("url".into(), json!(url));
    r.insert("identifier".into(), json!(f.fingerprint));
    r.insert("name".into(), json!(review_name(f, claim, evidence)));
    r.insert("claimReviewed".into(), json!(claim.text));
    r.insert("itemReviewed".into(), Value::Object(item));
    r.insert(
        "reviewRating".into(),
        json!({
            "@type": "Rating",
            "ratingValue": value,
            "bestRating": BEST_RATING,
            "worstRating": WORST_RATING,
            "alternateName": name,
            "name": name,
        }),
    );
    if let Some(a) = &opts.author {
        let mut org = Map::new();
        org.insert("@type".into(), json!("Organization"));
        org.insert("name".into(), json!(a));
        if let Some(u) = &opts.url {
            org.insert("url".into(), json!(u));
        }
        r.insert("author".into(), Value::Object(org));
    }
    r.insert("datePublished".into(), json!(opts.date));
    r.insert("reviewBody".into(), json!(body));
    r.insert("citation".into(), json!([Value::Object(cited)]));
    Some(Value::Object(r))
}

/// The whole document: `{"@context": …, "@graph": [reviews…]}`.
pub fn document(input: &ReportInput, opts: &ReviewOptions) -> Value {
    json!({
        "@context": "https://schema.org",
        "@graph": input.findings.iter().filter_map(|f| review(f, input, opts)).collect::<Vec<_>>(),
    })
}

impl Report for ClaimReview {
    fn write(&self, input: &ReportInput, out: &mut dyn Write) -> io::Result<()> {
        serde_json::to_writer_pretty(&mut *out, &document(input, &self.0))?;
        writeln!(out)
    }
}
