//! audit1 #4: every export that shows an order in time and a gap shows the
//! date they were computed from. Evidence published after a claim but about
//! an earlier event (`event_date`) is "evidence-first"; Markdown, CSV and
//! the ClaimReview headline must say which event date made it so, as the
//! table, HTML and JSON (`when`) do. (The ClaimReview headline is tested
//! in `desk_claimreview.rs`.)

mod desk_common;
use desk_common::*;
use serde_json::Value;

/// The bundled findings whose evidence has an event date of its own.
fn with_event_date() -> Vec<Value> {
    let f: Vec<Value> = findings()
        .into_iter()
        .filter(|f| f["kind"] == "contradiction" && f["evidence"]["when"] != f["evidence"]["date"])
        .collect();
    assert!(!f.is_empty(), "the bundled corpus has dated events");
    f
}

#[test]
fn markdown_shows_the_event_date_and_why() {
    let o = run(&["check", "--format", "markdown"]);
    code(&o, 0);
    let md = stdout(&o);
    assert!(
        md.starts_with("| # | severity | rule | claim | evidence | order | why |"),
        "{md}"
    );
    for f in with_event_date() {
        let cell = format!(
            "{} (event {}) · ",
            f["evidence"]["date"].as_str().unwrap(),
            f["evidence"]["when"].as_str().unwrap()
        );
        assert!(md.contains(&cell), "{cell} missing:\n{md}");
    }
    // The reason of every finding is in its row.
    let all = findings();
    let rows: Vec<&str> = md.lines().skip(2).collect();
    assert_eq!(rows.len(), all.len());
    for (row, f) in rows.iter().zip(&all) {
        // As a table cell shows text: markup escaped (the reason quotes
        // ids in backticks, which are shown as written).
        let mut why = String::new();
        for c in f["reason"].as_str().unwrap().chars() {
            match c {
                '&' => why.push_str("&amp;"),
                '<' => why.push_str("&lt;"),
                '>' => why.push_str("&gt;"),
                '\\' | '|' | '[' | ']' | '`' | '*' | '_' | '~' => {
                    why.push('\\');
                    why.push(c);
                }
                c => why.push(c),
            }
        }
        assert!(row.ends_with(&format!("| {why} |")), "{row}");
    }
}

#[test]
fn csv_has_the_when_of_each_side() {
    let o = run(&["check", "--format", "csv"]);
    code(&o, 0);
    let text = stdout(&o);
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let head: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
    let col = |n: &str| head.iter().position(|h| h == n).unwrap();
    assert_eq!(col("claim_when"), col("claim_date") + 1);
    assert_eq!(col("evidence_when"), col("evidence_date") + 1);
    let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    for f in with_event_date() {
        let row = rows
            .iter()
            .find(|r| r[0] == *f["fingerprint"].as_str().unwrap())
            .unwrap();
        assert_eq!(
            &row[col("evidence_when")],
            f["evidence"]["when"].as_str().unwrap()
        );
        assert_eq!(
            &row[col("evidence_date")],
            f["evidence"]["date"].as_str().unwrap()
        );
        assert_eq!(
            &row[col("claim_when")],
            f["claim"]["when"].as_str().unwrap()
        );
    }
    // A dropped disclosure keeps its versions in the claim/evidence columns.
    let drop = rows
        .iter()
        .find(|r| &r[col("status")] == "dropped")
        .unwrap();
    assert_eq!(
        &drop[col("claim_statement")],
        "hikvision/annual-report-2021"
    );
    assert_eq!(
        &drop[col("evidence_statement")],
        "hikvision/annual-report-2022"
    );
    assert!(drop[col("claim_line")].parse::<usize>().unwrap() > 0);
}
