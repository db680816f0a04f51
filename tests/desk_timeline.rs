//! `claimdiff timeline` end to end on the bundled corpus (issue 4).

mod desk_common;
use desk_common::*;

#[test]
fn timeline_table_of_hikvision() {
    let o = run(&["timeline", "hikvision"]);
    code(&o, 0);
    insta::assert_snapshot!(stdout(&o));
}

#[test]
fn every_contradiction_is_marked_on_both_rows() {
    let o = run(&["timeline", "hikvision", "--format", "json"]);
    code(&o, 0);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let rows = v["rows"].as_array().unwrap();
    for f in findings() {
        let kind = f["kind"].as_str().unwrap();
        if kind != "contradiction" && kind != "reversal" {
            continue;
        }
        let fp = f["fingerprint"].as_str().unwrap();
        let marked: Vec<&str> = rows
            .iter()
            .filter(|r| {
                r["findings"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|m| m["fingerprint"] == fp)
            })
            .map(|r| r["statement"].as_str().unwrap())
            .collect();
        assert_eq!(marked.len(), 2, "{fp} marked on {marked:?}");
    }
    // Rows are in date order by the interval they are ordered by.
    let whens: Vec<&str> = rows.iter().map(|r| r["when"].as_str().unwrap()).collect();
    assert!(whens.first().unwrap().starts_with("2017"));
    // Company replies are marked as replies.
    assert!(
        rows.iter()
            .any(|r| r["kind"] == "press-reply" && r["reply"] == true)
    );
    // Same-day statements have no certain order.
    assert!(
        rows.iter()
            .any(|r| !r["order_uncertain_with"].as_array().unwrap().is_empty())
    );
}

#[test]
fn marks_read_as_sentences() {
    // The table wraps marks at any width; their words come from the JSON.
    let o = run(&["timeline", "hikvision", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let marks: Vec<String> = v["rows"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|r| r["findings"].as_array().unwrap().clone())
        .map(|m| m["text"].as_str().unwrap().to_string())
        .collect();
    let has = |p: &str| marks.iter().any(|m| m.starts_with(p));
    assert!(has("drops 5 item(s) of #"), "{marks:?}");
    assert!(has("5 item(s) dropped by #"), "{marks:?}");
    assert!(has("contradicted by #"), "{marks:?}");
    assert!(has("contradicts #"), "{marks:?}");
    assert!(has("reversed by #") && has("reverses #"), "{marks:?}");
    assert!(
        marks
            .iter()
            .any(|m| m.ends_with("(evidence-first, knowledge-denial)"))
    );
    let table = stdout(&run(&["timeline", "hikvision"]));
    assert!(table.contains("↩ company"), "{table}");
    assert!(table.contains("order uncertain:"), "{table}");
}

#[test]
fn filters_and_markdown() {
    let o = run(&[
        "timeline",
        "hikvision",
        "--topic",
        "ownership",
        "--since",
        "2023",
        "--format",
        "markdown",
    ]);
    code(&o, 0);
    let out = stdout(&o);
    assert!(out.starts_with("| # | date |"), "{out}");
    assert!(out.contains("independent"), "{out}");
    assert!(!out.contains("Luopu"), "{out}");
}

#[test]
fn unknown_entity_is_bad_input_with_a_suggestion() {
    let o = run(&["timeline", "hikvison"]);
    code(&o, 2);
    assert!(
        stderr(&o).contains("did you mean `hikvision`"),
        "{}",
        stderr(&o)
    );
}
