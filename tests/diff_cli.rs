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

fn run_in(dir: &std::path::Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_claimdiff"))
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("COLUMNS", "100")
        .args(args)
        .output()
        .unwrap()
}

fn bundled(args: &[&str]) -> Output {
    run_in(std::path::Path::new(env!("CARGO_MANIFEST_DIR")), args)
}

fn jsonl(o: &Output) -> Vec<Value> {
    out(o)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// audit2 #6: a dropped item says how many consecutive versions carried it,
/// counted over the whole series (not only the two versions shown), as
/// `check` counts it; and `diff` JSONL names its versions as `check` does.
#[test]
fn a_drop_says_how_many_versions_carried_it() {
    // The default pair is the last two of five; the five Xinjiang projects
    // were in FY2018 to FY2021.
    let table = out(&bundled(&["diff", "hikvision", "--only", "dropped"]));
    assert_eq!(
        table.matches("carried by 4 consecutive versions").count(),
        5,
        "{table}"
    );
    let json: Value = serde_json::from_str(&out(&bundled(&[
        "diff",
        "hikvision",
        "annual-report",
        "--all",
        "-f",
        "json",
    ])))
    .unwrap();
    let dropped: Vec<&Value> = json[3]["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["status"] == "dropped")
        .collect();
    assert_eq!(dropped.len(), 5);
    assert!(dropped.iter().all(|i| i["carried"] == 4), "{dropped:?}");
    let md = out(&bundled(&["diff", "hikvision", "-f", "markdown"]));
    assert!(md.contains("carried by 4 consecutive versions"), "{md}");

    let lines = jsonl(&bundled(&["diff", "hikvision", "-f", "jsonl"]));
    let checked = jsonl(&bundled(&["check", "--format", "jsonl"]));
    let found = checked
        .iter()
        .find(|f| f["kind"] == "dropped-disclosure" && f["status"] == "dropped")
        .unwrap();
    let d = lines.iter().find(|l| l["status"] == "dropped").unwrap();
    assert_eq!(d["carried"], found["item"]["carried"]);
    // `from`/`to` are objects, with at least the fields `check` gives them.
    for side in ["from", "to"] {
        for (k, v) in found[side].as_object().unwrap() {
            if k != "path" {
                assert_eq!(&d[side][k], v, "{side}.{k}");
            }
        }
    }
}

/// audit2 #7: a drop whose nearest new item already stands for another old
/// item says so, with that item's line and status, in `diff` and `check`.
#[test]
fn a_near_match_taken_by_another_item_says_so() {
    let lines = jsonl(&run(&["diff", "acme", "-f", "jsonl"]));
    let d = lines.iter().find(|v| v["status"] == "dropped").unwrap();
    assert_eq!(d["best_match"]["paired_with"]["line"], 14, "{d}");
    assert_eq!(d["best_match"]["paired_with"]["status"], "kept");
    let table = out(&run(&["diff", "acme"]));
    assert!(
        table.contains("already the counterpart of old line 14, kept"),
        "{table}"
    );
    assert!(
        !table.contains("  (line"),
        "one space before (line N): {table}"
    );
    // `check` (and so `report` and the alert payload, which read its
    // findings) says the same (audit, session 10).
    let found = jsonl(&run(&["check", "--format", "jsonl"]));
    let f = found.iter().find(|v| v["status"] == "dropped").unwrap();
    assert_eq!(f["item"]["best_match"], d["best_match"], "{f}");
    let why = f["reason"].as_str().unwrap();
    assert!(
        why.contains("(0.90; already the counterpart of old line 14, kept)"),
        "{why}"
    );
}

/// audit2 nits: SERIES left out before two versions; newer FROM refused;
/// an unknown entity named as such.
#[test]
fn diff_arguments_are_read_as_a_user_means_them() {
    let with = out(&run(&["diff", "acme", "annual-report", "2022", "2023"]));
    assert_eq!(out(&run(&["diff", "acme", "2022", "2023"])), with);

    let rev = run(&["diff", "acme", "2023", "2022"]);
    assert_eq!(rev.status.code(), Some(2));
    let err = String::from_utf8_lossy(&rev.stderr);
    assert!(err.contains("FROM must be the older version"), "{err}");
    assert!(
        err.contains("claimdiff diff acme annual-report 2022 2023"),
        "{err}"
    );
    assert!(rev.stdout.is_empty());

    let bad = run(&["diff", "Acme"]);
    assert_eq!(bad.status.code(), Some(2));
    let err = String::from_utf8_lossy(&bad.stderr);
    assert!(
        err.contains("no entity `Acme`") && err.contains("did you mean `acme`"),
        "{err}"
    );
}

/// A corpus with no rules and one empty entity folder, and that folder.
fn empty_corpus(entity: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let ent = dir.path().join("statements").join(entity);
    std::fs::create_dir_all(&ent).unwrap();
    std::fs::create_dir_all(dir.path().join("rules")).unwrap();
    (dir, ent)
}

/// audit2 nit: a reworded item that also changed section shows both.
#[test]
fn a_changed_item_that_moved_shows_both_sections() {
    let (dir, ent) = empty_corpus("volta");
    let body = |year: u32, section: &str, sentence: &str| {
        format!(
            "+++\ndate = \"{}\"\nkind = \"annual-report\"\nperiod = {year}\n+++\n# Overview\n\nVolta makes battery packs for buses.\n\n# {section}\n\n{sentence}\n",
            year + 1
        )
    };
    std::fs::write(
        ent.join("ar-2022.md"),
        body(
            2022,
            "Risk factors",
            "Our only supplier of lithium cells is in Chile, and a strike there would halt our lines for months.",
        ),
    )
    .unwrap();
    std::fs::write(
        ent.join("ar-2023.md"),
        body(
            2023,
            "Supply chain",
            "Our only supplier of lithium cells is in Chile, and a strike there could halt our lines for months.",
        ),
    )
    .unwrap();
    let table = out(&run_in(dir.path(), &["diff", "volta"]));
    assert!(table.contains("Risk factors → Supply chain"), "{table}");
    assert!(table.contains("│ changed"), "{table}");
}

/// audit2 #6: the diff `ingest` prints after writing a new version counts
/// the versions before it too.
#[test]
fn the_diff_after_ingest_says_how_long_a_drop_was_carried() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("statements")).unwrap();
    let para = "We are subject to an investigation by the Department of Labor concerning overtime at our Reno facility.";
    let keep = "Zephyr Robotics designs warehouse robots for logistics customers.";
    for (year, text) in [
        (2021, format!("{keep}\n\n{para}\n")),
        (2022, format!("{keep}\n\n{para}\n")),
        (2023, format!("{keep}\n")),
    ] {
        let file = dir.path().join(format!("v{year}.txt"));
        std::fs::write(&file, text).unwrap();
        let o = run_in(
            dir.path(),
            &[
                "ingest",
                file.to_str().unwrap(),
                "--entity",
                "zephyr",
                "--kind",
                "annual-report",
                "--date",
                &format!("{}-03", year + 1),
                "--period",
                &year.to_string(),
            ],
        );
        let printed = out(&o);
        if year == 2023 {
            assert!(
                printed.contains("carried by 2 consecutive versions"),
                "{printed}"
            );
        }
    }
}

/// A short statement typed without list markers, one item per line (a
/// list under a lead-in, or one sentence per line): a line removed from it
/// is dropped, not the block changed. A hard-wrapped paragraph of the same
/// short file stays one item.
#[test]
fn a_line_removed_from_an_unmarked_list_is_dropped() {
    let (dir, ent) = empty_corpus("acme");
    let body = |year: u32, projects: &[&str], sentences: &[&str]| {
        format!(
            "+++\ndate = \"{}\"\nkind = \"annual-report\"\nperiod = {year}\n+++\n# Projects\n\nAcme disclosed these police projects, each of them\nfinanced as a public-private partnership over twenty\nyears, in its annual report:\n\n{}\n\n# Supply chain\n\n{}\n",
            year + 1,
            projects.join("\n"),
            sentences.join("\n"),
        )
    };
    let projects = [
        "Luopu County police project",
        "Moyu County police project",
        "Pishan County police project",
    ];
    let sentences = [
        "We audited 40 suppliers this year.",
        "Two suppliers in Region X were suspended after audits found forced labour.",
        "All suppliers sign our code of conduct.",
    ];
    std::fs::write(ent.join("ar-2022.md"), body(2022, &projects, &sentences)).unwrap();
    std::fs::write(
        ent.join("ar-2023.md"),
        body(
            2023,
            &[projects[0], projects[2]],
            &[sentences[0], sentences[2]],
        ),
    )
    .unwrap();
    let lines = jsonl(&run_in(dir.path(), &["diff", "acme", "-f", "jsonl"]));
    let with = |status: &str| -> Vec<String> {
        lines
            .iter()
            .filter(|l| l["status"] == status)
            .map(|l| {
                l["text"]
                    .as_str()
                    .or(l["new_text"].as_str())
                    .unwrap()
                    .to_string()
            })
            .collect()
    };
    assert_eq!(
        with("dropped"),
        [
            "Moyu County police project",
            "Two suppliers in Region X were suspended after audits found forced labour."
        ],
        "{lines:#?}"
    );
    assert!(with("changed").is_empty(), "{lines:#?}");
    assert!(with("added").is_empty(), "{lines:#?}");
}

/// A text the older version gave twice, in two sections, and dropped both
/// times is two findings in `check`, as it is two drops in `diff` (audit,
/// session 10: fingerprints of the text merged them into one).
#[test]
fn a_text_dropped_twice_is_two_findings() {
    let (dir, ent) = empty_corpus("acme");
    std::fs::write(
        dir.path().join("rules/d.toml"),
        "[[rule]]\nid = \"dd\"\nkind = \"dropped-disclosure\"\nseverity = \"medium\"\n[rule.series]\nkinds = [\"annual-report\"]\n",
    )
    .unwrap();
    let risk = "The regulator opened an investigation into our quality control system.";
    let lease = "We lease offices in Springfield and Shelbyville under long-term agreements.";
    std::fs::write(
        ent.join("ar-2023.md"),
        format!("+++\ndate = \"2024-01\"\nkind = \"annual-report\"\nperiod = 2023\n+++\n# Risk Factors\n\n{risk}\n\n{lease}\n\n# Subsequent Events\n\n{risk}\n"),
    )
    .unwrap();
    std::fs::write(
        ent.join("ar-2024.md"),
        format!("+++\ndate = \"2025-01\"\nkind = \"annual-report\"\nperiod = 2024\n+++\n# Risk Factors\n\n{lease}\n"),
    )
    .unwrap();
    let diffed = jsonl(&run_in(dir.path(), &["diff", "acme", "-f", "jsonl"]));
    let dropped: Vec<&Value> = diffed.iter().filter(|l| l["status"] == "dropped").collect();
    assert_eq!(dropped.len(), 2, "{diffed:#?}");
    let found = jsonl(&run_in(dir.path(), &["check", "--format", "jsonl"]));
    let lines: Vec<&Value> = found.iter().map(|f| &f["item"]["line"]).collect();
    assert_eq!(lines, [8, 14], "{found:#?}");
    assert_ne!(found[0]["fingerprint"], found[1]["fingerprint"]);
}
