//! `claimdiff diff` and the dropped-disclosure rule end to end, on a made-up
//! two-version filing (tests/fixtures/diffcorpus) holding one of each
//! perturbation, and on the bundled Hikvision series.

use serde_json::Value;
use std::process::{Command, Output};

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_claimdiff"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .env("COLUMNS", "100")
        .args([
            "--corpus",
            "tests/fixtures/diffcorpus/statements",
            "--rules",
            "tests/fixtures/diffcorpus/rules",
        ])
        .args(args)
        .output()
        .unwrap()
}

fn out(o: &Output) -> String {
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn every_item_gets_its_exact_status() {
    let lines: Vec<Value> = out(&run(&["diff", "acme", "-f", "jsonl"]))
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let status = |needle: &str| -> String {
        lines
            .iter()
            .find(|v| {
                v["text"]
                    .as_str()
                    .or(v["new_text"].as_str())
                    .unwrap_or("")
                    .contains(needle)
            })
            .map(|v| v["status"].as_str().unwrap().to_string())
            .unwrap_or_else(|| "kept".into())
    };
    assert_eq!(
        status("suppliers in two countries"),
        "changed",
        "light rewording"
    );
    assert_eq!(
        status("Northern Region"),
        "dropped",
        "a drop whose near-twin stays"
    );
    assert_eq!(status("Southern Region"), "kept", "the twin");
    assert_eq!(
        status("| Cameras"),
        "changed",
        "a table row whose figures all changed"
    );
    assert_eq!(
        status("Revenue from government customers"),
        "moved",
        "a list item moved to another section"
    );
    assert_eq!(status("We employ 5,200 people"), "kept");
    assert_eq!(status("board met eleven times"), "kept");
    assert_eq!(status("Lisbon"), "added");
    let dropped = lines.iter().find(|v| v["status"] == "dropped").unwrap();
    assert_eq!(dropped["section"], "Risk factors");
    assert_eq!(dropped["line"], 12, "line in the older version's file");
    assert!(
        dropped["best_match"]["text"]
            .as_str()
            .unwrap()
            .contains("Southern Region")
    );
}

#[test]
fn diff_table_snapshot() {
    insta::assert_snapshot!("diff_table", out(&run(&["diff", "acme"])));
    let json: Value = serde_json::from_str(&out(&run(&["diff", "acme", "-f", "json"]))).unwrap();
    let sim = &json[0]["similarity"];
    assert!(
        sim["cosine"].as_f64().unwrap() > 0.8 && sim["jaccard"].as_f64().unwrap() > 0.7,
        "{sim}"
    );
    assert!(
        !json[0]["similarity"]["sections"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    assert!(out(&run(&["diff", "acme", "-f", "markdown"])).contains("| dropped | Risk factors |"));
}

#[test]
fn the_rule_reports_drops_watched_and_changes_when_asked() {
    let f: Vec<Value> = out(&run(&["check", "--format", "jsonl"]))
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let dropped: Vec<&Value> = f.iter().filter(|v| v["status"] == "dropped").collect();
    assert_eq!(dropped.len(), 1);
    assert_eq!(
        dropped[0]["severity"], "high",
        "a watched drop is raised one step from medium"
    );
    assert_eq!(dropped[0]["from"]["period"], "2022");
    assert_eq!(dropped[0]["to"]["period"], "2023");
    assert_eq!(dropped[0]["item"]["line"], 12);
    assert_eq!(
        f.iter().filter(|v| v["status"] == "changed").count(),
        4,
        "report_changed = true"
    );
}

#[test]
fn bundled_series_diff() {
    let o = Command::new(env!("CARGO_BIN_EXE_claimdiff"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .env("COLUMNS", "100")
        .args(["diff", "hikvision", "annual-report", "--all", "-f", "json"])
        .output()
        .unwrap();
    let v: Value = serde_json::from_str(&out(&o)).unwrap();
    let pairs = v.as_array().unwrap();
    assert_eq!(pairs.len(), 4);
    for p in &pairs[..3] {
        assert_eq!(
            p["counts"]["dropped"], 0,
            "nothing dropped FY2018 to FY2021: {p}"
        );
    }
    assert_eq!(pairs[3]["counts"]["dropped"], 5);
    // In Markdown a pair with nothing to list says so instead of printing a
    // table with no rows.
    let o = Command::new(env!("CARGO_BIN_EXE_claimdiff"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args([
            "diff",
            "hikvision",
            "annual-report",
            "--all",
            "-f",
            "markdown",
        ])
        .output()
        .unwrap();
    let md = out(&o);
    assert_eq!(md.matches("No item to list.").count(), 3, "{md}");
    assert_eq!(md.matches("| status | section | item |").count(), 1, "{md}");
}

#[test]
fn only_lists_the_statuses_asked_for_and_still_counts_all() {
    let all: Vec<Value> = out(&run(&["diff", "acme", "-f", "jsonl"]))
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let listed = |args: &[&str]| -> Vec<String> {
        let mut a = vec!["diff", "acme", "-f", "jsonl"];
        a.extend_from_slice(args);
        out(&run(&a))
            .lines()
            .map(|l| serde_json::from_str::<Value>(l).unwrap()["status"].to_string())
            .collect()
    };
    let dropped = listed(&["--only", "dropped"]);
    assert_eq!(dropped, ["\"dropped\""]);
    let some = listed(&["--only", "dropped,added"]);
    assert_eq!(
        some.len(),
        all.iter()
            .filter(|v| v["status"] == "dropped" || v["status"] == "added")
            .count()
    );
    assert!(some.iter().any(|s| s == "\"added\""));
    assert_eq!(listed(&["--only", "dropped", "--only", "added"]), some);
    // The table still counts every status and says what it lists.
    let table = out(&run(&["diff", "acme", "--only", "dropped"]));
    assert!(table.contains("1 dropped, 4 changed"), "{table}");
    assert!(table.contains("listed: dropped only"), "{table}");
    assert!(!table.contains("│ changed"), "{table}");
    // A status not known is refused with the list of those that are.
    let bad = run(&["diff", "acme", "--only", "kept"]);
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("dropped, changed, moved, added"));
}
