//! `claimdiff ingest` end to end: a real PDF and a real HTML page (fixtures
//! in tests/fixtures/ingest/, made by groff and by hand) become statement
//! files, the new version is diffed against the one before it, and bad
//! input writes nothing.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/ingest")
        .join(name)
}

fn corpus() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let e = dir.path().join("statements/example-corp");
    std::fs::create_dir_all(&e).unwrap();
    std::fs::create_dir_all(dir.path().join("rules")).unwrap();
    std::fs::write(
        dir.path().join("rules/d.toml"),
        "[[rule]]\nid = \"drops\"\nkind = \"dropped-disclosure\"\nseverity = \"medium\"\nwatch = ['checkpoint|surveillance']\n[rule.series]\nseries = [\"annual-report\"]\n",
    )
    .unwrap();
    // The FY2022 version: the same projects plus one that FY2023 no longer lists.
    std::fs::write(
        e.join("annual-report-2022.md"),
        "+++\ndate = \"2023-03\"\nkind = \"annual-report\"\nseries = \"annual-report\"\nperiod = 2022\n+++\n# Public security projects\n\n- Harbour district video surveillance upgrade.\n- Northern county checkpoint integration.\n- Western prefecture mosque camera network.\n- Central station access control system.\n",
    )
    .unwrap();
    dir
}

fn ingest(dir: &Path, file: &Path, extra: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_claimdiff"))
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .arg("ingest")
        .arg(file)
        .args([
            "--entity",
            "example-corp",
            "--kind",
            "annual-report",
            "--date",
            "2024-03",
        ])
        .args(extra)
        .output()
        .unwrap()
}

/// `check` loads the corpus and exits 0: ingest left no problem behind.
fn check_passes(dir: &Path) {
    let c = Command::new(env!("CARGO_BIN_EXE_claimdiff"))
        .current_dir(dir)
        .arg("check")
        .output()
        .unwrap();
    assert!(c.status.success(), "{}", String::from_utf8_lossy(&c.stderr));
}

fn files(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir.join("statements/example-corp"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

#[test]
fn a_pdf_becomes_a_statement_and_its_drop_is_shown() {
    let dir = corpus();
    let o = ingest(
        dir.path(),
        &fixture("annual-report-fy2023.pdf"),
        &[
            "--series",
            "annual-report",
            "--period",
            "2023",
            "--source",
            "Example Corp FY2023",
        ],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let written = dir
        .path()
        .join("statements/example-corp/annual-report-2023.md");
    let text = std::fs::read_to_string(&written).unwrap();
    assert!(text.starts_with("+++\n"));
    assert!(text.contains("Example Corp disclosed four public security projects in the fiscal year ended 31 December 2023."));
    assert!(text.contains("Northern county checkpoint integration."));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        out.contains(
            "2022 (example-corp/annual-report-2022) → 2023 (example-corp/annual-report-2023)"
        ),
        "{out}"
    );
    assert!(
        out.contains("dropped") && out.contains("Western prefecture mosque camera network."),
        "{out}"
    );
    assert!(
        !out.contains("dropped ┆ Public security projects ┆ Harbour"),
        "kept items are not dropped: {out}"
    );
    // The new file is a valid statement: check finds the drop too.
    let c = Command::new(env!("CARGO_BIN_EXE_claimdiff"))
        .current_dir(dir.path())
        .args(["check", "--format", "jsonl"])
        .output()
        .unwrap();
    let f: Vec<serde_json::Value> = String::from_utf8_lossy(&c.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let dropped: Vec<&str> = f
        .iter()
        .filter(|v| v["status"] == "dropped")
        .map(|v| v["item"]["text"].as_str().unwrap())
        .collect();
    assert_eq!(dropped, ["Western prefecture mosque camera network."]);
    // Never overwrites: a second ingest fails and leaves the file as it was.
    let again = ingest(
        dir.path(),
        &fixture("annual-report-fy2023.pdf"),
        &["--series", "annual-report", "--period", "2023"],
    );
    assert_eq!(again.status.code(), Some(2));
    assert_eq!(std::fs::read_to_string(&written).unwrap(), text);
}

#[test]
fn only_limits_the_diff_printed_after_ingest() {
    let dir = corpus();
    let args = ["--series", "annual-report", "--period", "2023"];
    let o = ingest(
        dir.path(),
        &fixture("annual-report-fy2023.pdf"),
        &[&args[..], &["--only", "dropped"]].concat(),
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("│ dropped"), "{out}");
    assert!(out.contains("listed: dropped only"), "{out}");
    assert!(!out.contains("│ added"), "{out}");
    // Without it, the items the new version adds are listed too.
    let dir = corpus();
    let o = ingest(dir.path(), &fixture("annual-report-fy2023.pdf"), &args);
    assert!(String::from_utf8_lossy(&o.stdout).contains("│ added"));
}

#[test]
fn an_html_page_becomes_a_statement() {
    let dir = corpus();
    let o = ingest(
        dir.path(),
        &fixture("annual-report-fy2023.html"),
        &["--stem", "from-html"],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let text =
        std::fs::read_to_string(dir.path().join("statements/example-corp/from-html.md")).unwrap();
    assert!(!text.contains("<p>") && !text.contains("<script"), "{text}");
    assert!(
        text.lines().any(|l| l.starts_with("- ")),
        "list items stay items: {text}"
    );
}

#[test]
fn bad_input_writes_nothing() {
    let dir = corpus();
    let before = files(dir.path());
    let cases: Vec<(PathBuf, Vec<&str>, &str)> = vec![
        (fixture("blank-page.pdf"), vec![], "no extractable text"),
        (fixture("missing.pdf"), vec![], "missing.pdf"),
        (
            fixture("annual-report-fy2023.pdf"),
            vec!["--stem", "../../escape"],
            "escape",
        ),
        (
            fixture("annual-report-fy2023.pdf"),
            vec!["--period", "FY23"],
            "FY23",
        ),
    ];
    for (file, extra, want) in cases {
        let o = ingest(dir.path(), &file, &extra);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{file:?} {extra:?}: {err}");
        assert!(err.contains(want), "{file:?}: expected `{want}` in: {err}");
        assert_eq!(
            files(dir.path()),
            before,
            "nothing written for {file:?} {extra:?}"
        );
    }
    let o = Command::new(env!("CARGO_BIN_EXE_claimdiff"))
        .current_dir(dir.path())
        .args(["ingest"])
        .arg(fixture("annual-report-fy2023.pdf"))
        .args([
            "--entity",
            "../outside",
            "--kind",
            "annual-report",
            "--date",
            "2024",
        ])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(
        !dir.path().join("outside").exists() && !dir.path().join("statements/../outside").exists()
    );
}

/// Two real multi-page PDFs as a browser prints them: a header (print date,
/// title) and a footer (the file's address, `n/7`) on every page, which
/// pdf-extract returns with the digits spaced apart (`1 8 /1 0 0`), and
/// paragraphs cut by page breaks that fall elsewhere in each year. The
/// diff must see the report, not the pages: the one paragraph FY2024 left
/// out is the only drop, the two it added the only additions, every other
/// paragraph (its year bumped) changed, and no header or footer is an item.
#[test]
fn browser_printed_pdfs_diff_as_their_paragraphs_not_their_pages() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("statements")).unwrap();
    for (year, date) in [("2023", "2024-03"), ("2024", "2025-03")] {
        let o = Command::new(env!("CARGO_BIN_EXE_claimdiff"))
            .current_dir(dir.path())
            .env("NO_COLOR", "1")
            .arg("ingest")
            .arg(fixture(&format!("paged-fy{year}.pdf")))
            .args(["--entity", "example", "--kind", "annual-report"])
            .args(["--date", date, "--period", year, "--source", "Example Corp"])
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }
    let o = Command::new(env!("CARGO_BIN_EXE_claimdiff"))
        .current_dir(dir.path())
        .args(["diff", "example", "--format", "json"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let pair = if v.is_array() { &v[0] } else { &v };
    let items = pair["items"].as_array().unwrap();
    let text = |i: &serde_json::Value| {
        i["text"]
            .as_str()
            .or(i["new_text"].as_str())
            .unwrap()
            .to_string()
    };
    let of = |status: &str| -> Vec<String> {
        items
            .iter()
            .filter(|i| i["status"] == status)
            .map(text)
            .collect()
    };
    assert_eq!(
        of("dropped"),
        [
            "The Riverside depot, operated for Example Corp by a contractor under a ten-year agreement, stored hazardous materials on behalf of two municipal customers; the contractor reported three inspection failures during the year."
        ]
    );
    let added = of("added");
    assert_eq!(added.len(), 2, "{added:#?}");
    assert!(
        added
            .iter()
            .all(|t| t.starts_with("During fiscal 2024 the")
                && t.ends_with("without new borrowing.")),
        "{added:#?}"
    );
    // Every other item is a paragraph of the FY2023 source (its year bumped
    // in FY2024: changed), whole across whatever page break cut it mid-
    // sentence. A break right after a full stop may leave the paragraph in
    // two items (nothing on the page tells a new paragraph from the next
    // sentence there), each a run of whole sentences: no fragment, no
    // header or footer line.
    let source = std::fs::read_to_string(fixture("paged-fy2023.html")).unwrap();
    let paragraphs: Vec<&str> = source
        .split("<p>")
        .skip(1)
        .map(|p| &p[..p.find("</p>").unwrap()])
        .collect();
    let changed = of("changed");
    assert!(changed.len() >= 56, "{changed:#?}");
    for t in &changed {
        let whole = t == "Example Corp Annual Report 2023" || paragraphs.contains(&t.as_str());
        let sentences = t.ends_with('.')
            && paragraphs.iter().any(|p| {
                p.strip_prefix(t.as_str())
                    .is_some_and(|rest| rest.starts_with(' '))
                    || p.strip_suffix(t.as_str())
                        .is_some_and(|head| head.ends_with(". "))
            });
        assert!(whole || sentences, "a fragment or a furniture line: {t}");
    }
    assert_eq!(pair["counts"]["moved"], 0);
    assert_eq!(pair["counts"]["kept"], 0);
}

/// A second version for a period the series already has (an amended
/// filing, a mistyped `--period`) under another file name would make the
/// whole corpus unloadable, and every later `check`, `diff` and `alert`
/// fail: it is refused, the file removed again, the corpus left as it was.
#[test]
fn a_version_for_a_period_already_taken_is_not_left_behind() {
    let dir = corpus();
    let before = files(dir.path());
    let o = ingest(
        dir.path(),
        &fixture("annual-report-fy2023.pdf"),
        &[
            "--period",
            "2022",
            "--source",
            "Example Corp 10-K/A",
            "--stem",
            "amended-2022",
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("already has a version for period 2022")
            && err.contains("nothing was written"),
        "{err}"
    );
    assert_eq!(files(dir.path()), before);
    check_passes(dir.path());
}

/// A PDF set with loose line spacing: pdf-extract writes a blank line
/// between every printed line, which would make each line an item (the
/// dropped paragraph reported as four fragments). The lines are put back
/// into their paragraphs, so the paragraph FY2023 left out is dropped
/// whole and nothing else is reported: no piece of a paragraph, and not
/// the table row the extraction ran into the paragraph below it (`Services
/// 27 25` / `Our gross margin …`), split off alike in both versions.
#[test]
fn a_loosely_spaced_pdf_keeps_its_paragraphs() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("statements")).unwrap();
    for year in ["2022", "2023"] {
        let o = Command::new(env!("CARGO_BIN_EXE_claimdiff"))
            .current_dir(dir.path())
            .arg("ingest")
            .arg(fixture(&format!("loose-fy{year}.pdf")))
            .args(["--entity", "zephyr", "--kind", "annual-report"])
            .args(["--date", year, "--period", year])
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }
    let body = std::fs::read_to_string(dir.path().join("statements/zephyr/annual-report-2022.md"))
        .unwrap();
    assert!(
        body.contains(
            "Our subsidiary in Xinjiang, Urumqi\nZephyr Automation Co., supplied robots\n"
        ),
        "the paragraph's lines stand together: {body}"
    );
    let o = Command::new(env!("CARGO_BIN_EXE_claimdiff"))
        .current_dir(dir.path())
        .args(["diff", "zephyr", "--format", "json", "--only", "dropped"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let pair = if v.is_array() { &v[0] } else { &v };
    let dropped: Vec<&str> = pair["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["text"].as_str().unwrap())
        .collect();
    assert_eq!(
        dropped,
        [
            "Our subsidiary in Xinjiang, Urumqi Zephyr Automation Co., supplied robots to the regional public security bureau in fiscal 2022."
        ]
    );
}

/// An older filing back-filled into a series opens a pair with the version
/// after it, whose drops the next `check` and `alert` report: the diff
/// printed after writing shows that pair, not "nothing to compare with".
#[test]
fn a_back_filled_version_is_diffed_against_the_one_after_it() {
    let dir = corpus();
    let o = ingest(
        dir.path(),
        &fixture("annual-report-fy2023.pdf"),
        &["--period", "2021", "--source", "Example Corp FY2021"],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let (out, err) = (
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr),
    );
    assert!(err.contains("compared with the version after it"), "{err}");
    assert!(
        out.contains(
            "2021 (example-corp/annual-report-2021) → 2022 (example-corp/annual-report-2022)"
        ),
        "{out}"
    );
}

/// A scan printed to PDF by a browser: its only text is the print header
/// and the page-counting footer. It is refused like any PDF without a text
/// layer; written, the next diff would call every item of the version
/// before it dropped (audit, session 10).
#[test]
#[cfg(feature = "pdf")]
fn a_scan_printed_by_a_browser_is_refused_not_a_version_without_items() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("statements")).unwrap();
    let text = dir.path().join("ar-2023.txt");
    std::fs::write(&text, "Risk one.\n\nRisk two about regulators.\n").unwrap();
    let ingest = |file: &Path, year: &str| {
        Command::new(env!("CARGO_BIN_EXE_claimdiff"))
            .current_dir(dir.path())
            .env("NO_COLOR", "1")
            .arg("ingest")
            .arg(file)
            .args(["--entity", "acme", "--kind", "annual-report"])
            .args(["--date", &format!("{year}-03"), "--period", year])
            .output()
            .unwrap()
    };
    assert!(ingest(&text, "2023").status.success());
    let o = ingest(&fixture("scan-printed.pdf"), "2024");
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains("no extractable text (a scanned image?)"),
        "{err}"
    );
    let files: Vec<_> = std::fs::read_dir(dir.path().join("statements/acme"))
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(files, ["annual-report-2023.md"], "{err}");
}

/// The body of a statement file, after its front matter.
fn body_of(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap();
    text.splitn(3, "+++\n").nth(2).unwrap().to_string()
}

/// Audit: a file with the same text as the version before it (the same
/// PDF ingested for the next period, or its text saved again) was added
/// without a word, its diff reading as a real filing that drops nothing.
/// It is still written — a company can re-file a report unchanged — with
/// a warning naming both files, exit 0, and the corpus still loads.
#[test]
fn a_version_identical_to_the_one_before_is_written_with_a_warning() {
    let dir = corpus();
    let st = dir.path().join("statements/example-corp");
    let pdf = fixture("annual-report-fy2023.pdf");
    let o = ingest(dir.path(), &pdf, &["--period", "2023"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(
        !String::from_utf8_lossy(&o.stderr).contains("identical"),
        "FY2023 differs from FY2022: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    // The same PDF again, and its text saved as a .txt: the same text.
    let txt = dir.path().join("fy2023.txt");
    std::fs::write(&txt, body_of(&st.join("annual-report-2023.md"))).unwrap();
    for (file, period, previous) in [(&pdf, "2024", "2023"), (&txt, "2025", "2024")] {
        let o = ingest(dir.path(), file, &["--period", period]);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(0), "{err}");
        assert!(
            err.contains(&format!(
                "warning: statements/example-corp/annual-report-{period}.md is identical to \
                 statements/example-corp/annual-report-{previous}.md: no change to report"
            )),
            "{err}"
        );
        assert!(st.join(format!("annual-report-{period}.md")).exists());
    }
    // A back-filled period the same as the version after it.
    let fy2022 = dir.path().join("fy2022.txt");
    std::fs::write(&fy2022, body_of(&st.join("annual-report-2022.md"))).unwrap();
    let o = ingest(dir.path(), &fy2022, &["--period", "2021"]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(
        err.contains(
            "warning: statements/example-corp/annual-report-2021.md is identical to \
             statements/example-corp/annual-report-2022.md: no change to report"
        ),
        "{err}"
    );
    assert_eq!(
        files(dir.path()),
        [2021, 2022, 2023, 2024, 2025].map(|y| format!("annual-report-{y}.md"))
    );
    check_passes(dir.path());
}

fn run_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_claimdiff"))
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .args(args)
        .output()
        .unwrap()
}

/// New-user audit: a press release ingested the documented way (no
/// `--speaker-role`) was written without one, so the contradiction rule
/// `claimdiff init` scaffolds (`speaker_roles = ["entity", "agent"]`)
/// never matched it, and nothing said why. The company's own kinds now get
/// `speaker_role = "entity"`, said on stderr; a kind that does not say who
/// speaks gets a warning naming the flag.
#[test]
fn a_press_release_ingested_without_a_speaker_role_is_the_companys() {
    let dir = tempfile::tempdir().unwrap();
    let o = run_in(dir.path(), &["init", "."]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let e = dir.path().join("statements/example-corp");
    std::fs::remove_file(e.join("2024-03-press-release.md")).unwrap();
    let src = dir.path().join("pr.txt");
    std::fs::write(
        &src,
        "Example Corp has never knowingly sourced materials from suppliers using forced labour.\n",
    )
    .unwrap();
    // `pr.txt` as `kind` of `date`, with `extra`: its exit code, stderr
    // and the file written.
    let ingest = |kind: &str, date: &str, extra: &[&str]| {
        let args = [
            &["ingest", "pr.txt", "--entity", "example-corp", "--topic"][..],
            &["supply-chain", "--kind", kind, "--date", date],
            extra,
        ]
        .concat();
        let o = run_in(dir.path(), &args);
        let text = std::fs::read_to_string(e.join(format!("{kind}-{date}.md")));
        let err = String::from_utf8_lossy(&o.stderr).into_owned();
        (o.status.code(), err, text.unwrap_or_default())
    };
    let (code, err, text) = ingest("press-release", "2024-03", &[]);
    assert_eq!(code, Some(0), "{err}");
    assert!(
        err.contains(
            "note: speaker_role = entity (the company's own press-release); --speaker-role to change"
        ),
        "{err}"
    );
    assert!(text.contains("speaker_role = \"entity\"\n"), "{text}");
    let c = run_in(
        dir.path(),
        &["check", "--rule", "knowledge-denial", "--format", "jsonl"],
    );
    assert!(c.status.success(), "{}", String::from_utf8_lossy(&c.stderr));
    let findings: Vec<serde_json::Value> = String::from_utf8_lossy(&c.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(findings.len(), 1, "{findings:?}");
    assert_eq!(
        findings[0]["claim"]["statement"],
        "example-corp/press-release-2024-03"
    );

    // An interview may be the company's or another's: written without a
    // role, with a warning that names the flag.
    let (code, err, text) = ingest("interview", "2024-04", &[]);
    assert_eq!(code, Some(0), "{err}");
    assert!(
        err.contains("warning: no speaker_role: kind `interview` does not say who speaks")
            && err.contains(
                "will not match this statement; --speaker-role entity|agent|third-party|government"
            ),
        "{err}"
    );
    assert!(!text.is_empty() && !text.contains("speaker_role"), "{text}");

    // A role given is written as given, and nothing is said about it.
    let (code, err, text) = ingest("press-release", "2024-05", &["--speaker-role", "agent"]);
    assert_eq!(code, Some(0), "{err}");
    assert!(!err.contains("speaker_role"), "{err}");
    assert!(text.contains("speaker_role = \"agent\"\n"), "{text}");
}
