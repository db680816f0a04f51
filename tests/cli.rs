//! End-to-end tests of the core commands, driving the built binary on
//! fixtures: the second corpus (tests/fixtures/volta, written from the
//! README alone), bad inputs made in temp dirs, and the bundled corpus.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_claimdiff"));
    c.env("NO_COLOR", "1").env("COLUMNS", "100");
    c
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn run_in(dir: &Path, args: &[&str]) -> Output {
    bin()
        .current_dir(dir)
        .args(args)
        .output()
        .expect("run claimdiff")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn jsonl(o: &Output) -> Vec<Value> {
    stdout(o)
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object a line"))
        .collect()
}

fn volta() -> PathBuf {
    root().join("tests/fixtures/volta")
}

/// (rule, claim-or-earlier statement, evidence-or-later statement, order)
fn pairs(f: &[Value]) -> Vec<(String, String, String, String)> {
    let s = |v: &Value, p: &str| {
        v.pointer(p)
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string()
    };
    f.iter()
        .map(|v| {
            let (a, b) = if v.get("earlier").is_some() {
                ("/earlier", "/later")
            } else {
                ("/claim", "/evidence")
            };
            (
                s(v, "/rule"),
                s(v, &format!("{a}/statement")),
                s(v, &format!("{b}/statement")),
                s(v, "/order"),
            )
        })
        .collect()
}

#[test]
fn second_corpus_pairs_within_groups_with_honest_order() {
    let o = run_in(&volta(), &["check", "--format", "jsonl"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let f = jsonl(&o);
    let p = pairs(&f);
    let has = |rule: &str, a: &str, b: &str, order: &str| {
        p.iter()
            .any(|x| x.0 == rule && x.1 == a && x.2 == b && x.3 == order)
    };
    // A subsidiary's leaked memo (event 2021-03) pairs with the parent's claim, evidence-first.
    assert!(
        has(
            "known-before",
            "volta-motors/2022-05-press-release",
            "volta-cells/2021-03-audit-memo",
            "evidence-first"
        ),
        "{p:#?}"
    );
    // The rule naming evidence-first reports nothing claim-first.
    assert!(
        p.iter()
            .filter(|x| x.0 == "known-before")
            .all(|x| x.3 == "evidence-first")
    );
    assert!(
        !p.iter()
            .any(|x| x.0 == "known-before" && x.2.ends_with("ngo-report"))
    );
    // Same day: uncertain, with 0 days.
    assert!(has(
        "child-labour-denial",
        "volta-motors/2022-05-press-release",
        "volta-motors/2022-05-10-same-day-leak",
        "uncertain"
    ));
    // Later evidence under `any`: claim-first.
    assert!(has(
        "child-labour-denial",
        "volta-motors/2022-05-press-release",
        "volta-motors/2023-06-ngo-report",
        "claim-first"
    ));
    // A Chinese claim matches in its own sentence; its year overlaps the memo's month.
    assert!(has(
        "child-labour-denial",
        "volta-motors/2021-chinese-statement",
        "volta-cells/2021-03-audit-memo",
        "uncertain"
    ));
    // Never across groups: Northwind's admission pairs with nothing of Volta's.
    assert!(
        !p.iter()
            .any(|x| x.1.starts_with("northwind") || x.2.starts_with("northwind")),
        "{p:#?}"
    );
    // A JSONL statement takes part, as the later side of a reversal.
    assert!(has(
        "exposure-reversal",
        "volta-motors/2022-05-press-release",
        "volta-motors/2024-q1-call",
        "earlier-first"
    ));
    // {entity} expands to the name and aliases; rule topics narrow.
    assert!(
        p.iter()
            .any(|x| x.0 == "carbon-neutral" && x.1 == "volta-motors/2022-09-emissions-claim")
    );
    // Contract fields.
    let kb = f.iter().find(|v| v["rule"] == "known-before").unwrap();
    assert_eq!(kb["days"], 405);
    assert_eq!(kb["claim"]["line"], 9);
    assert_eq!(kb["claim"]["col"], 11);
    assert_eq!(kb["claim"]["date"], "2022-05-10");
    assert_eq!(kb["evidence"]["date"], "2023-01");
    assert_eq!(kb["evidence"]["when"], "2021-03");
    assert_eq!(kb["fingerprint"].as_str().unwrap().len(), 16);
    let zh = f
        .iter()
        .find(|v| v["claim"]["statement"] == "volta-motors/2021-chinese-statement")
        .unwrap();
    assert_eq!(zh["claim"]["text"], "沃尔塔汽车从未使用童工。");
    assert_eq!(
        (zh["claim"]["line"].as_u64(), zh["claim"]["col"].as_u64()),
        (Some(10), Some(6))
    );
}

#[test]
fn output_is_deterministic_and_snapshotted() {
    let a = run_in(&volta(), &["check", "--format", "jsonl"]);
    let b = run_in(&volta(), &["check", "--format", "jsonl"]);
    assert_eq!(stdout(&a), stdout(&b));
    insta::assert_snapshot!("volta_jsonl", stdout(&a));
    insta::assert_snapshot!("volta_table_100", stdout(&run_in(&volta(), &["check"])));
    let narrow = bin()
        .current_dir(volta())
        .env("COLUMNS", "80")
        .arg("check")
        .output()
        .unwrap();
    let text = stdout(&narrow);
    assert!(
        text.lines().all(|l| l.chars().count() <= 80),
        "table wider than 80 columns:\n{text}"
    );
    // Wrapped, not truncated: every word of the claim is in the table.
    for w in [
        "Volta",
        "has",
        "never",
        "knowingly",
        "bought",
        "cobalt",
        "child",
    ] {
        assert!(text.contains(w), "{w} missing at 80 columns");
    }
    insta::assert_snapshot!("volta_table_80", text);
    let wide = bin()
        .current_dir(volta())
        .env("COLUMNS", "200")
        .arg("check")
        .output()
        .unwrap();
    assert!(stdout(&wide).lines().all(|l| l.chars().count() <= 200));
}

#[test]
fn filters_and_formats() {
    let only = jsonl(&run_in(
        &volta(),
        &["check", "--format", "jsonl", "--rule", "known-before"],
    ));
    assert_eq!(only.len(), 1);
    let since = jsonl(&run_in(
        &volta(),
        &["check", "--format", "jsonl", "--since", "2022"],
    ));
    assert!(since.iter().all(|v| {
        v["claim"]["date"]
            .as_str()
            .or(v["earlier"]["date"].as_str())
            .unwrap()
            >= "2022"
    }));
    assert!(!since.is_empty());
    let topic = jsonl(&run_in(
        &volta(),
        &["check", "--format", "jsonl", "--topic", "emissions"],
    ));
    assert_eq!(topic.len(), 1);
    let ent = jsonl(&run_in(
        &volta(),
        &["check", "--format", "jsonl", "--entity", "northwind"],
    ));
    assert!(ent.is_empty());
    let json: Value =
        serde_json::from_str(&stdout(&run_in(&volta(), &["check", "--format", "json"]))).unwrap();
    assert_eq!(
        json["findings"].as_array().unwrap().len(),
        jsonl(&run_in(&volta(), &["check", "--format", "jsonl"])).len()
    );
    let csv = stdout(&run_in(&volta(), &["check", "--format", "csv"]));
    assert!(csv.starts_with("fingerprint,rule,kind,severity"));
    let md = stdout(&run_in(&volta(), &["check", "--format", "markdown"]));
    assert!(md.starts_with("| # | severity |"));
    let bad = run_in(&volta(), &["check", "--rule", "known-befor"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(stderr(&bad).contains("did you mean `known-before`?"));
}

#[test]
fn exit_codes() {
    assert_eq!(
        run_in(&volta(), &["check"]).status.code(),
        Some(0),
        "findings are not a failure"
    );
    assert_eq!(
        run_in(&volta(), &["check", "--fail-on", "critical"])
            .status
            .code(),
        Some(1)
    );
    assert_eq!(
        run_in(
            &volta(),
            &["check", "--fail-on", "critical", "--rule", "carbon-neutral"]
        )
        .status
        .code(),
        Some(0)
    );
    assert_eq!(
        run_in(&volta(), &["check", "--fail-on", "severe"])
            .status
            .code(),
        Some(2)
    );
    assert_eq!(
        run_in(&volta(), &["check", "--since", "2021-02-30"])
            .status
            .code(),
        Some(2)
    );
}

#[test]
fn rule_tests_run_and_fail_loudly() {
    let o = run_in(&volta(), &["test"]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert!(stdout(&o).contains("9 passed, 0 failed"));
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("rules")).unwrap();
    std::fs::write(
        dir.path().join("rules/r.toml"),
        "[[rule]]\nid = \"f\"\nkind = \"flag\"\n[rule.claim]\npattern = 'x'\n[[rule.test]]\nclaim = \"no match here\"\nexpect = \"finding\"\n",
    )
    .unwrap();
    let o = run_in(dir.path(), &["test"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stdout(&o).contains("FAILED f (rules/r.toml:6) expect finding, got 0 finding(s)"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn show_prints_statement_and_its_findings() {
    let o = run_in(&volta(), &["show", "volta-cells/2021-03-audit-memo"]);
    assert_eq!(o.status.code(), Some(0));
    let s = stdout(&o);
    assert!(s.contains("event_date   2021-03"));
    assert!(s.contains("   10 | The audit found children"));
    assert!(s.contains("known-before"));
    let o = run_in(&volta(), &["show", "volta-cells/2021-03-audit-mem"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("did you mean `volta-cells/2021-03-audit-memo`?"));
}

#[test]
fn init_scaffolds_a_corpus_that_checks_clean() {
    let dir = tempfile::tempdir().unwrap();
    let o = run_in(dir.path(), &["init", "newsroom"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let nr = dir.path().join("newsroom");
    assert_eq!(run_in(&nr, &["test"]).status.code(), Some(0));
    let c = run_in(&nr, &["check", "--format", "jsonl"]);
    assert_eq!(c.status.code(), Some(0));
    let mut rules: Vec<String> = jsonl(&c)
        .iter()
        .map(|f| f["rule"].as_str().unwrap().to_owned())
        .collect();
    rules.sort();
    assert_eq!(rules, ["dropped-disclosure", "knowledge-denial"]);
    // Never overwrites.
    let again = run_in(dir.path(), &["init", "newsroom"]);
    assert_eq!(again.status.code(), Some(2));
}

/// The three cells of each row of a `check` table, one entry per printed
/// line, trimmed.
fn table_columns(text: &str) -> [Vec<String>; 3] {
    let mut cols: [Vec<String>; 3] = Default::default();
    for line in text.lines().filter(|l| l.starts_with('│')) {
        let inner = line.trim_start_matches('│').trim_end_matches('│');
        for (c, cell) in inner.split('┆').enumerate().take(3) {
            cols[c].push(cell.trim().to_string());
        }
    }
    cols
}

/// The lines of `column` that spell `token`, starting at a line of its
/// own, if some do.
fn pieces_of(column: &[String], token: &str) -> Option<Vec<String>> {
    (0..column.len()).find_map(|start| {
        let mut got = String::new();
        let mut pieces = Vec::new();
        for line in &column[start..] {
            if line.is_empty() || !token.starts_with(&(got.clone() + line)) {
                return None;
            }
            got.push_str(line);
            pieces.push(line.clone());
            if got == token {
                return Some(pieces);
            }
        }
        None
    })
}

/// New-user audit (session 10) #4: comfy-table cut rule ids and paths
/// wherever their column ended (`knowledge-denial-f` / `orced-labour`).
/// They break after a `-`, `/` or `_`, from 80 columns up.
#[test]
fn table_breaks_ids_and_paths_only_after_a_separator() {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(run_in(dir.path(), &["init"]).status.code(), Some(0));
    for (file, from, to) in [
        (
            "rules/denials.toml",
            "knowledge-denial",
            "knowledge-denial-forced-labour",
        ),
        (
            "rules/disclosures.toml",
            "dropped-disclosure",
            "dropped-disclosure-xinjiang",
        ),
    ] {
        let p = dir.path().join(file);
        let text = std::fs::read_to_string(&p).unwrap();
        let renamed = text.replace(&format!("id = \"{from}\""), &format!("id = \"{to}\""));
        assert_ne!(text, renamed);
        std::fs::write(&p, renamed).unwrap();
    }
    let findings = jsonl(&run_in(dir.path(), &["check", "--format", "jsonl"]));
    let mut ids: Vec<String> = Vec::new();
    let mut paths: Vec<String> = Vec::new();
    for f in &findings {
        ids.push(f["rule"].as_str().unwrap().to_string());
        for side in ["claim", "evidence"] {
            if let Some(s) = f.get(side) {
                paths.push(format!(
                    "{}:{}:{}",
                    s["path"].as_str().unwrap(),
                    s["line"],
                    s["col"]
                ));
            }
        }
    }
    assert_eq!(ids.len(), 2, "{findings:?}");
    for width in ["80", "100", "120"] {
        let o = bin()
            .current_dir(dir.path())
            .env("COLUMNS", width)
            .arg("check")
            .output()
            .unwrap();
        let text = stdout(&o);
        let cols = table_columns(&text);
        let at_separators = |pieces: &[String]| {
            pieces[..pieces.len() - 1]
                .iter()
                .all(|p| p.ends_with(['-', '/', '_']))
        };
        for id in &ids {
            let pieces = pieces_of(&cols[0], id)
                .unwrap_or_else(|| panic!("{id} not found at {width} columns:\n{text}"));
            assert!(
                at_separators(&pieces),
                "{id} at {width} columns: {pieces:?}\n{text}"
            );
            if width == "80" {
                assert!(pieces.len() > 1, "{pieces:?}");
            }
        }
        for path in &paths {
            let pieces = pieces_of(&cols[1], path)
                .or_else(|| pieces_of(&cols[2], path))
                .unwrap_or_else(|| panic!("{path} not found at {width} columns:\n{text}"));
            assert!(
                at_separators(&pieces),
                "{path} at {width} columns: {pieces:?}\n{text}"
            );
        }
    }
}

/// audit2 #1: a fresh corpus had no dropped-disclosure rule, so `alert`
/// delivered nothing. The scaffold's two annual reports drop one item, and
/// `alert` sends it once.
#[test]
fn init_scaffolds_a_series_that_alerts_once() {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(run_in(dir.path(), &["init"]).status.code(), Some(0));
    let o = run_in(dir.path(), &["alert"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(!stderr(&o).contains("note: no dropped"), "{}", stderr(&o));
    let alerts = jsonl(&o);
    assert_eq!(alerts.len(), 1, "{}", stdout(&o));
    let dropped = alerts[0]["dropped"].as_array().unwrap();
    assert_eq!(dropped.len(), 1);
    assert!(
        dropped[0]["text"]
            .as_str()
            .unwrap()
            .contains("suspended in 2022 after audits found forced labour"),
        "{dropped:?}"
    );
    assert_eq!(dropped[0]["severity"], "high", "raised by `watch`");
    let again = run_in(dir.path(), &["alert"]);
    assert!(stdout(&again).is_empty(), "{}", stdout(&again));
}

/// audit1 #1: `init` in a folder holding a corpus added Example Corp and a
/// HIGH rule to it. It refuses, writes nothing and says what it found.
#[test]
fn init_refuses_a_folder_that_holds_a_corpus() {
    let cases: [&[(&str, &str)]; 3] = [
        &[("statements/acme/pr.md", "x")],
        &[("rules/mine.toml", "")],
        &[("claimdiff.toml", "")],
    ];
    for files in cases {
        let dir = tempfile::tempdir().unwrap();
        for (p, text) in files {
            let path = dir.path().join(p);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        let listing = |d: &Path| {
            let mut all = Vec::new();
            let mut stack = vec![d.to_path_buf()];
            while let Some(p) = stack.pop() {
                for e in std::fs::read_dir(&p).unwrap() {
                    let e = e.unwrap().path();
                    if e.is_dir() {
                        stack.push(e.clone());
                    }
                    all.push(e);
                }
            }
            all.sort();
            all
        };
        let before = listing(dir.path());
        let o = run_in(dir.path(), &["init"]);
        assert_eq!(o.status.code(), Some(2), "{files:?}: {}", stdout(&o));
        let found = files[0].0.split('/').next().unwrap();
        assert!(
            stderr(&o).contains("already holds a corpus") && stderr(&o).contains(found),
            "{}",
            stderr(&o)
        );
        assert!(
            stderr(&o).contains("claimdiff init NEW_FOLDER"),
            "{}",
            stderr(&o)
        );
        assert_eq!(listing(dir.path()), before, "nothing written");
    }
    // Empty statements/ and rules/ folders hold no corpus yet.
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("statements")).unwrap();
    std::fs::create_dir_all(dir.path().join("rules")).unwrap();
    let o = run_in(dir.path(), &["init"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

/// A corpus in a temp dir with one entity and the given statement files.
fn corpus_with(files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("statements/acme")).unwrap();
    std::fs::create_dir_all(dir.path().join("rules")).unwrap();
    std::fs::write(
        dir.path().join("rules/r.toml"),
        "[[rule]]\nid = \"f\"\nkind = \"flag\"\n[rule.claim]\npattern = 'x'\n",
    )
    .unwrap();
    for (p, b) in files {
        let path = dir.path().join(p);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, b).unwrap();
    }
    dir
}

/// Runs `cmd` and returns stderr, asserting exit 2 and that stdout is empty.
fn fails(dir: &Path, cmd: &str) -> String {
    let o = run_in(dir, &[cmd]);
    assert_eq!(
        o.status.code(),
        Some(2),
        "stdout: {}\nstderr: {}",
        stdout(&o),
        stderr(&o)
    );
    assert!(
        stdout(&o).is_empty(),
        "nothing is checked from a half-loaded corpus: {}",
        stdout(&o)
    );
    stderr(&o)
}

#[test]
fn bad_inputs_name_file_line_col_and_what_was_expected() {
    let ok = b"+++\ndate = \"2021\"\nkind = \"other\"\n+++\nx.\n" as &[u8];
    let cases: Vec<(&str, &[u8], &str)> = vec![
        (
            "statements/acme/toml.md",
            b"+++\ndate = \"2021\"\nkind = other\n+++\n",
            "statements/acme/toml.md:3:8",
        ),
        (
            "statements/acme/yaml.md",
            b"---\ndate: 2021\n---\n",
            "statements/acme/yaml.md:1:1",
        ),
        (
            "statements/acme/nodate.md",
            b"+++\nkind = \"other\"\n+++\n",
            "missing required field `date`",
        ),
        (
            "statements/acme/feb30.md",
            b"+++\ndate = \"2021-02-30\"\nkind = \"other\"\n+++\n",
            "`2021-02-30` is not a calendar date: February 2021 has 28 days\n  --> statements/acme/feb30.md:2:1",
        ),
        (
            "statements/acme/kind.md",
            b"+++\ndate = \"2021\"\nkind = \"pressrelease\"\n+++\n",
            "did you mean `press-release`?",
        ),
        (
            "statements/acme/utf8.md",
            b"+++\ndate = \"2021\"\nkind = \"other\"\n+++\nbad \xff byte\n",
            "invalid UTF-8 at byte offset 41\n  --> statements/acme/utf8.md:5:5",
        ),
        (
            "statements/acme/dup1.md",
            b"+++\nid = \"same\"\ndate = \"2021\"\nkind = \"other\"\n+++\n",
            "duplicate statement id `same`",
        ),
        (
            "statements/acme/dup2.md",
            b"+++\nid = \"same\"\ndate = \"2021\"\nkind = \"other\"\n+++\n",
            "duplicate statement id `same`",
        ),
        ("statements/acme/ok.md", ok, ""),
    ];
    let files: Vec<(&str, &[u8])> = cases.iter().map(|(p, b, _)| (*p, *b)).collect();
    let dir = corpus_with(&files);
    let err = fails(dir.path(), "lint");
    for (_, _, want) in &cases {
        assert!(err.contains(want), "missing `{want}` in:\n{err}");
    }
    assert!(err.contains("claimdiff reads TOML front matter between `+++` lines"));
    assert!(err.contains("7 problem(s) found"), "{err}");
    // check refuses the same corpus and prints no findings.
    let err = fails(dir.path(), "check");
    assert!(err.contains("nothing was checked"));
}

#[test]
fn bad_rules_point_at_the_pattern_column() {
    let dir = corpus_with(&[(
        "statements/acme/ok.md",
        b"+++\ndate = \"2021\"\nkind = \"other\"\n+++\nx.\n",
    )]);
    std::fs::write(
        dir.path().join("rules/r.toml"),
        "[[rule]]\nid = \"f\"\nkind = \"flag\"\n[rule.claim]\npattern = 'ab(c'\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("rules/s.toml"), "[[rule]]\nid = \"g\"\nkind = \"flag\"\n[rule.claim]\nspeaker_role = [\"entity\"]\npattern = 'x'\n").unwrap();
    let err = fails(dir.path(), "lint");
    assert!(
        err.contains("pattern does not compile: unclosed group\n  --> rules/r.toml:5:14"),
        "{err}"
    );
    assert!(err.contains("--> rules/s.toml:5:1"), "{err}");
    assert!(err.contains("did you mean `speaker_roles`?"), "{err}");
}

#[test]
fn bom_crlf_and_jsonl_load() {
    let dir = corpus_with(&[
        ("statements/acme/bom.md", b"\xEF\xBB\xBF+++\r\ndate = \"2021\"\r\nkind = \"other\"\r\n+++\r\nx marks it.\r\n"),
        ("statements/bulk.jsonl", b"{\"id\":\"acme/j\",\"entity\":\"acme\",\"date\":\"2020\",\"kind\":\"other\",\"text\":\"x again\"}\n"),
    ]);
    let o = run_in(dir.path(), &["check", "--format", "jsonl"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let f = jsonl(&o);
    assert_eq!(f.len(), 2);
    let j = f
        .iter()
        .find(|v| v["claim"]["statement"] == "acme/j")
        .unwrap();
    assert_eq!(j["claim"]["line"], 1);
    let b = f
        .iter()
        .find(|v| v["claim"]["statement"] == "acme/bom")
        .unwrap();
    assert_eq!(
        (b["claim"]["line"].as_u64(), b["claim"]["col"].as_u64()),
        (Some(5), Some(1))
    );
}

#[test]
fn a_total_cap_bounds_the_output_and_says_what_it_left_out() {
    let all = jsonl(&run_in(&volta(), &["check", "--format", "jsonl"]));
    let o = run_in(
        &volta(),
        &["check", "--format", "jsonl", "--max-findings", "2"],
    );
    assert_eq!(o.status.code(), Some(0));
    let capped = jsonl(&o);
    assert_eq!(
        capped,
        all[..2].to_vec(),
        "the first findings in output order"
    );
    assert!(
        stderr(&o).contains(&format!(
            "{} more finding(s) left out by --max-findings 2",
            all.len() - 2
        )),
        "{}",
        stderr(&o)
    );
}

/// First-use audit, nits: the README promises examples in every command's
/// `--help`; `lint`, `test` and `init` had none, and the top-level exit
/// codes left out 3 (a sink that refused alerts).
#[test]
fn every_command_help_has_examples_and_all_exit_codes() {
    let o = bin().arg("--help").output().unwrap();
    let top = stdout(&o);
    assert!(top.contains("3 from `alert`/`watch`"), "{top}");
    for cmd in [
        "check", "diff", "lint", "test", "show", "alert", "ingest", "watch", "init", "merge",
        "timeline", "compare", "search", "coverage", "report",
    ] {
        let o = bin().args([cmd, "--help"]).output().unwrap();
        assert_eq!(o.status.code(), Some(0), "{cmd}");
        assert!(
            stdout(&o).contains("Example"),
            "{cmd} --help:\n{}",
            stdout(&o)
        );
    }
}

/// Audit (s10, new user) #1 and #2 for `check`: `--topic qualty` (or
/// `Cobalt` where the corpus says `cobalt`) and `--since 2025 --until 2024`
/// printed "No findings", exit 0 (and passed `--fail-on`). Both are refused
/// now, exit 2. `check` keeps only the statements that matched, so a topic
/// carried only by a statement that matched nothing, or only by a rule, is
/// still known.
#[test]
fn check_refuses_an_unknown_topic_and_an_inverted_range() {
    let dir = tempfile::tempdir().unwrap();
    let put = |rel: &str, text: &str| {
        let p = dir.path().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    };
    put(
        "statements/acme/claim.md",
        "+++\ndate = \"2022\"\nkind = \"press-release\"\ntopics = [\"cobalt\"]\n+++\nOur cobalt is clean.\n",
    );
    put(
        "statements/acme/other.md",
        "+++\ndate = \"2022\"\nkind = \"press-release\"\ntopics = [\"forests\"]\n+++\nWe plant trees.\n",
    );
    put(
        "rules/rules.toml",
        "[[rule]]\nid = \"f\"\nkind = \"flag\"\nseverity = \"low\"\n\
         [rule.claim]\ntopics = [\"cobalt\", \"emissions\"]\npattern = 'cobalt'\n",
    );
    let run = |args: &[&str]| run_in(dir.path(), args);
    let o = run(&["check", "--topic", "Cobalt"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert_eq!(
        stderr(&o),
        "error: no topic `Cobalt` in statements or rules (did you mean `cobalt`?)\n  \
         known topics: cobalt, emissions, forests\n"
    );
    let o = run(&["check", "--topic", "qualty", "--fail-on", "low"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).ends_with("  known topics: cobalt, emissions, forests\n"));
    // Known: on a matched statement, on one that matched nothing, in a rule.
    for (topic, findings) in [("cobalt", 1), ("forests", 0), ("emissions", 0)] {
        let o = run(&["check", "--topic", topic, "--format", "jsonl"]);
        assert_eq!(o.status.code(), Some(0), "{topic}: {}", stderr(&o));
        assert_eq!(jsonl(&o).len(), findings, "{topic}");
    }

    let o = run(&[
        "check",
        "--since",
        "2025",
        "--until",
        "2024",
        "--fail-on",
        "low",
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert_eq!(
        stderr(&o),
        "error: --since 2025 is after --until 2024: no date can be in that range\n"
    );
    assert_eq!(stdout(&o), "");
    for range in [["2022", "2022"], ["2022-06", "2022"]] {
        let o = run(&[
            "check", "--since", range[0], "--until", range[1], "--format", "jsonl",
        ]);
        assert_eq!(o.status.code(), Some(0), "{range:?}: {}", stderr(&o));
        assert_eq!(jsonl(&o).len(), 1, "{range:?}");
    }
}
