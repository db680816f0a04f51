//! `claimdiff coverage` end to end on the bundled corpus (issue 4).

mod desk_common;
use desk_common::*;

#[test]
fn coverage_matrix_shows_empty_cells() {
    let o = run(&["coverage", "hikvision"]);
    code(&o, 0);
    let out = stdout(&o);
    assert!(out.contains("·"), "{out}");
    assert!(out.contains("No statement of kind:"), "{out}");
    insta::assert_snapshot!(out);
}

#[test]
fn coverage_json_counts_every_kind() {
    let o = run(&[
        "coverage",
        "hikvision",
        "--speaker-role",
        "entity",
        "--format",
        "json",
    ]);
    code(&o, 0);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["kinds"].as_array().unwrap().len(), 25);
    assert_eq!(v["kind_totals"]["tender"], 0);
    assert!(v["kind_totals"]["annual-report"].as_u64().unwrap() >= 5);
}
