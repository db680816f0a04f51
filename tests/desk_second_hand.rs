//! A quote known only through a secondary source (`via` without
//! `archived`) is marked second-hand in every view of the desk (issue 4).

mod desk_common;
use desk_common::*;
use std::fs;

fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    fs::create_dir_all(to).unwrap();
    for e in fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let p = e.path();
        if p.is_dir() {
            copy_dir(&p, &to.join(e.file_name()));
        } else {
            fs::copy(&p, to.join(e.file_name())).unwrap();
        }
    }
}

#[test]
fn second_hand_in_timeline_compare_report_and_claimreview() {
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(&root().join("statements"), &tmp.path().join("statements"));
    copy_dir(&root().join("rules"), &tmp.path().join("rules"));
    let id = "hikvision/2021-04-esg-report-2020-knowingly";
    let f = tmp
        .path()
        .join("statements/hikvision/2021-04-esg-report-2020-knowingly.md");
    let text = fs::read_to_string(&f).unwrap();
    let text: String = text
        .lines()
        .filter(|l| !l.starts_with("archived ="))
        .map(|l| format!("{l}\n"))
        .collect();
    fs::write(&f, text).unwrap();

    let o = run_in(tmp.path(), &["timeline", "hikvision", "--format", "json"]);
    code(&o, 0);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let row = v["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["statement"] == id)
        .unwrap();
    assert_eq!(row["second_hand"], true);
    let o = run_in(tmp.path(), &["timeline", "hikvision"]);
    assert!(stdout(&o).contains("second-hand, via"), "{}", stdout(&o));

    let o = run_in(
        tmp.path(),
        &["compare", id, "hikvision/2023-04-prosper-red-flags"],
    );
    code(&o, 0);
    assert!(stdout(&o).contains("(second-hand: no"), "{}", stdout(&o));

    let out = tmp.path().join("out");
    let o = run_in(
        tmp.path(),
        &["report", "--out", out.to_str().unwrap(), "hikvision"],
    );
    code(&o, 0);
    let html = fs::read_to_string(out.join("hikvision.html")).unwrap();
    assert!(html.contains("class=\"tag second\">second-hand, via IPVM, 2021-06-29"));

    let o = run_in(
        tmp.path(),
        &[
            "check",
            "--format",
            "claimreview",
            "--review-date",
            "2026-01-01",
        ],
    );
    code(&o, 0);
    let doc: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let second: Vec<_> = doc["@graph"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| {
            r["itemReviewed"]["description"]
                .as_str()
                .is_some_and(|d| d.starts_with("Second-hand: known through IPVM"))
        })
        .collect();
    assert!(!second.is_empty());
}
