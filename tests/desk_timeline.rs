//! `claimdiff timeline` end to end on the bundled corpus (issue 4).

mod desk_common;
use desk_common::*;

/// The statements of the timeline JSON rows that carry a mark `want` accepts.
fn rows_marked(rows: &[serde_json::Value], want: impl Fn(&serde_json::Value) -> bool) -> Vec<&str> {
    rows.iter()
        .filter(|r| r["findings"].as_array().unwrap().iter().any(&want))
        .map(|r| r["statement"].as_str().unwrap())
        .collect()
}

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
        let marked = rows_marked(rows, |m| m["fingerprint"] == fp);
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

/// Audit (s10) #1: a timeline shows the entity's whole group, but its marks
/// came from `check --entity`, which keeps only the findings touching that
/// entity's own statements: in a subsidiary's timeline, the parent's rows
/// (and those of the subsidiary's own subsidiary) lost their `flagged:` and
/// `contradicted by` marks. Every timeline of a group now marks every row
/// as the parent's timeline does.
#[test]
fn a_subsidiary_timeline_marks_its_rows_as_the_parent_timeline_does() {
    let dir = root().join("tests/fixtures/desk-group-timeline");
    let rows = |entity: &str| {
        let o = run_in(&dir, &["timeline", entity, "--format", "json"]);
        code(&o, 0);
        let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
        v["rows"].clone()
    };
    let parent = rows("acme");
    assert_eq!(
        rows_marked(parent.as_array().unwrap(), |m| m["text"]
            == "flagged: carbon-neutral"),
        [
            "acme-cells-mine/2020-mine-website",
            "acme-cells/2021-03-plant-brochure",
            "acme/2022-09-billboard"
        ]
    );
    for sub in ["acme-cells", "acme-cells-mine"] {
        assert_eq!(rows(sub), parent, "timeline {sub} against timeline acme");
    }
    // The table says so too.
    let o = run_in(&dir, &["timeline", "acme-cells"]);
    assert_eq!(stdout(&o).matches("flagged: carbon-neutral").count(), 3);
    assert!(
        stdout(&o).ends_with(
            "5 statement(s) of Acme Cells in date order (event date when known); 5 with findings.\n"
        ),
        "{}",
        stdout(&o)
    );
}

/// Audit (s10, new user) #1: `--topic Xinjiang` (the corpus says
/// `xinjiang`) gave an empty timeline with exit 0. Refused now, exit 2,
/// with the topic in the corpus's case.
#[test]
fn an_unknown_topic_is_refused() {
    let o = run(&["timeline", "hikvision", "--topic", "Xinjiang"]);
    code(&o, 2);
    assert!(
        stderr(&o).starts_with(
            "error: no topic `Xinjiang` in statements or rules (did you mean `xinjiang`?)\n  known topics: "
        ),
        "{}",
        stderr(&o)
    );
    assert_eq!(stdout(&o), "");
}
