//! `check --format claimreview` (issue 4): schema.org ClaimReview JSON-LD
//! with every property Google's fact-check structured-data documentation
//! requires or recommends:
//! ClaimReview — required `claimReviewed`, `reviewRating`, `url`;
//! recommended `author`, `datePublished`, `itemReviewed`.
//! Claim (`itemReviewed`) — recommended `appearance`, `author`,
//! `datePublished`, `firstAppearance`.
//! Rating — required `alternateName`; recommended `bestRating`, `name`,
//! `ratingValue`, `worstRating`.
//! Organization/Person (`author`) — recommended `name`, and `url` for the
//! reviewing organisation.

mod desk_common;
use desk_common::*;
use serde_json::Value;

fn claimreview(config: &str) -> (Value, String) {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("claimdiff.toml"), config).unwrap();
    let corpus = root().join("statements");
    let rules = root().join("rules");
    let o = run_in(
        tmp.path(),
        &[
            // Regression: `--rules DIR` clashed with `check --rule ID`.
            "--corpus",
            corpus.to_str().unwrap(),
            "--rules",
            rules.to_str().unwrap(),
            "check",
            "--format",
            "claimreview",
            "--review-date",
            "2026-11-23",
        ],
    );
    code(&o, 0);
    let v: Value = serde_json::from_str(&stdout(&o)).expect("JSON-LD parses");
    (v, stderr(&o))
}

fn has(v: &Value, key: &str, what: &str) {
    let x = v.get(key);
    assert!(
        x.is_some_and(|x| !x.is_null() && x != "" && x != &Value::Array(vec![])),
        "{what} lacks `{key}`: {v:#}"
    );
}

#[test]
fn every_required_and_recommended_property() {
    let (doc, err) = claimreview(
        "[review]\nauthor = \"Example Fact Check Desk\"\nurl = \"https://factcheck.example.org/hikvision\"\n",
    );
    assert_eq!(doc["@context"], "https://schema.org");
    let graph = doc["@graph"].as_array().unwrap();
    let expected = findings()
        .iter()
        .filter(|f| f["kind"] == "contradiction" || f["kind"] == "reversal")
        .count();
    assert_eq!(graph.len(), expected);
    assert!(expected >= 10);
    let mut names = std::collections::BTreeSet::new();
    for r in graph {
        assert_eq!(r["@type"], "ClaimReview");
        for k in [
            "claimReviewed",
            "reviewRating",
            "url",
            "author",
            "datePublished",
            "itemReviewed",
        ] {
            has(r, k, "ClaimReview");
        }
        assert_eq!(r["datePublished"], "2026-11-23");
        let url = r["url"].as_str().unwrap();
        assert!(
            url.starts_with("https://factcheck.example.org/hikvision#claimdiff-"),
            "{url}"
        );
        let author = &r["author"];
        assert_eq!(author["@type"], "Organization");
        assert_eq!(author["name"], "Example Fact Check Desk");
        has(author, "url", "review author");

        let item = &r["itemReviewed"];
        assert_eq!(item["@type"], "Claim");
        for k in ["appearance", "author", "datePublished", "firstAppearance"] {
            has(item, k, "Claim");
        }
        let who = &item["author"];
        assert!(who["@type"] == "Organization" || who["@type"] == "Person");
        has(who, "name", "claim author");
        for a in item["appearance"].as_array().unwrap() {
            assert_eq!(a["@type"], "CreativeWork");
        }
        assert_eq!(item["firstAppearance"]["@type"], "CreativeWork");

        let rating = &r["reviewRating"];
        assert_eq!(rating["@type"], "Rating");
        for k in [
            "alternateName",
            "bestRating",
            "name",
            "ratingValue",
            "worstRating",
        ] {
            has(rating, k, "Rating");
        }
        let v = rating["ratingValue"].as_u64().unwrap();
        assert!(
            (1..5).contains(&v),
            "5 means no contradiction and is never emitted"
        );
        assert_eq!(rating["worstRating"], 1);
        assert_eq!(rating["bestRating"], 5);
        names.insert(rating["alternateName"].as_str().unwrap().to_string());

        // The evidence is cited with its source and date.
        let cited = &r["citation"][0];
        has(cited, "name", "citation");
        has(cited, "datePublished", "citation");
        has(cited, "text", "citation");
    }
    // The bundled corpus has every order, and a reversal.
    for n in [
        "Contradicted by earlier evidence",
        "Contradicted by later evidence",
        "Contradicted by evidence of uncertain date",
        "Reversed",
    ] {
        assert!(names.contains(n), "{n} missing from {names:?}");
    }
    // Long claims are warned about, once per claim.
    assert!(err.contains("Google recommends at most 75"), "{err}");
    assert!(!err.contains("no reviewing organisation"), "{err}");
}

#[test]
fn without_a_reviewing_organisation_it_warns() {
    let (doc, err) = claimreview("");
    assert!(err.contains("no reviewing organisation"), "{err}");
    let r = &doc["@graph"][0];
    assert!(r.get("author").is_none());
    assert!(r["url"].as_str().unwrap().starts_with("#claimdiff-"));
}

/// audit1 #4: a review rated "Contradicted by earlier evidence" must not
/// name only the evidence's later publication date.
#[test]
fn claimreview_headline_names_the_event_date() {
    let (doc, _) = claimreview("");
    let mut seen = 0;
    for r in doc["@graph"].as_array().unwrap() {
        let cited = &r["citation"][0];
        if let Some(when) = cited["temporalCoverage"].as_str() {
            let name = r["name"].as_str().unwrap();
            let side = if r["reviewRating"]["ratingValue"] == 2 {
                "later"
            } else {
                "evidence"
            };
            assert!(name.ends_with(&format!("({side} event {when})")), "{name}");
            seen += 1;
        }
    }
    assert!(seen > 0);
}
