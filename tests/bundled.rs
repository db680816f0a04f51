//! The bundled Hikvision corpus, run as a user runs it from a fresh clone:
//! every finding issue #2 point 8 and issue #3 name, with the right order.

use serde_json::Value;
use std::process::Command;

fn check(args: &[&str]) -> Vec<Value> {
    let o = Command::new(env!("CARGO_BIN_EXE_claimdiff"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["check", "--format", "jsonl"])
        .args(args)
        .output()
        .unwrap();
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8_lossy(&o.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn s<'a>(v: &'a Value, p: &str) -> &'a str {
    v.pointer(p).and_then(Value::as_str).unwrap_or("")
}

fn has(f: &[Value], rule: &str, claim: &str, evidence: &str, order: &str) -> bool {
    f.iter().any(|v| {
        let (a, b) = if v.get("earlier").is_some() {
            ("/earlier", "/later")
        } else {
            ("/claim", "/evidence")
        };
        s(v, "/rule") == rule
            && s(v, &format!("{a}/statement")).contains(claim)
            && s(v, &format!("{b}/statement")).contains(evidence)
            && s(v, "/order") == order
    })
}

#[test]
fn the_bundled_case_finds_what_the_articles_show() {
    let f = check(&[]);
    let denial = "esg-report-2020-knowingly";
    assert!(has(
        &f,
        "knowledge-denial",
        denial,
        "moyu-contract",
        "evidence-first"
    ));
    assert!(has(
        &f,
        "knowledge-denial",
        denial,
        "pishan-tender",
        "evidence-first"
    ));
    assert!(has(
        &f,
        "knowledge-denial",
        denial,
        "prosper",
        "claim-first"
    ));
    assert!(has(
        &f,
        "end-user-deflection",
        "end-users",
        "11-to-21-years",
        "evidence-first"
    ));
    assert!(has(
        &f,
        "awareness-reversal",
        "listening-to-voices",
        "blind-spot",
        "earlier-first"
    ));
    assert!(has(
        &f,
        "report-denial",
        "unsubstantiated",
        "police-files",
        "evidence-first"
    ));
    assert!(has(
        &f,
        "independence-claim",
        "independent",
        "government-over-40-percent",
        "uncertain"
    ));
    assert!(has(
        &f,
        "personal-capacity",
        "personal-capacity",
        "study-on-own-website",
        "uncertain"
    ));
    assert!(has(
        &f,
        "sanctions-dismissal",
        "sanctions-speculation",
        "us-sanctions-issued",
        "claim-first"
    ));
    assert!(f.iter().any(|v| s(v, "/rule") == "qualified-denial"
        && s(v, "/claim/text").contains("knowingly or intentionally")));
    // Never across entities, never claim-first what is evidence-first.
    for v in &f {
        if let (Some(c), Some(e)) = (v.get("claim"), v.get("evidence")) {
            assert_eq!(c["entity"], e["entity"]);
            let (cw, ew) = (c["when"].as_str().unwrap(), e["when"].as_str().unwrap());
            if v["order"] == "claim-first" {
                assert!(
                    ew > cw,
                    "claim-first but evidence {ew} is not after claim {cw}"
                );
            }
        }
    }
}

#[test]
fn the_five_xinjiang_projects_are_dropped_in_fy2022_and_nothing_earlier() {
    let drops: Vec<Value> = check(&[])
        .into_iter()
        .filter(|v| v["kind"] == "dropped-disclosure")
        .collect();
    let mut items: Vec<&str> = drops.iter().map(|v| s(v, "/item/text")).collect();
    items.sort();
    assert_eq!(items, ["Luopu", "Moyu", "Pishan", "Urumqi", "Yutian"]);
    for v in &drops {
        assert_eq!(s(v, "/status"), "dropped");
        assert_eq!(s(v, "/severity"), "high");
        assert_eq!(s(v, "/from/period"), "2021");
        assert_eq!(s(v, "/to/period"), "2022");
        assert_eq!(
            v["item"]["carried"], 4,
            "four years of disclosure, then silence"
        );
    }
}
