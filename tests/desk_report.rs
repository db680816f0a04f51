//! `claimdiff report` end to end (issue 4): the HTML built from the bundled
//! corpus by the real binary, loaded in headless Chromium. The DOM Chromium
//! dumps must hold one arc per contradiction or reversal, a drop marker,
//! and one row per finding; a screenshot is saved for a human to look at.
//! See tests/browser/README.md.

mod desk_common;
use desk_common::*;
use std::path::{Path, PathBuf};
use std::process::Command;

fn chromium() -> Option<PathBuf> {
    let candidates = ["/usr/bin/chromium", "/usr/bin/chromium-browser"];
    candidates
        .iter()
        .map(PathBuf::from)
        .find(|p| p.exists())
        .or_else(|| {
            std::env::var_os("PATH").and_then(|path| {
                std::env::split_paths(&path)
                    .map(|d| d.join("chromium"))
                    .find(|p| p.exists())
            })
        })
}

fn headless(chrome: &Path, profile: &Path) -> Command {
    let mut c = Command::new(chrome);
    c.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--hide-scrollbars",
    ])
    .arg(format!("--user-data-dir={}", profile.display()));
    c
}

fn count(hay: &str, needle: &str) -> usize {
    hay.matches(needle).count()
}

#[test]
fn report_renders_in_chromium() {
    let out = tempfile::tempdir().unwrap();
    let o = run(&["report", "--out", out.path().to_str().unwrap(), "hikvision"]);
    code(&o, 0);
    let page = out.path().join("hikvision.html");
    let html = std::fs::read_to_string(&page).unwrap();
    let fs = findings();
    let arcs = fs
        .iter()
        .filter(|f| f["kind"] == "contradiction" || f["kind"] == "reversal")
        .count();

    // Self-contained: nothing is fetched from anywhere.
    for bad in ["<script src", "<link ", "@import", "url(http", "src=\"http"] {
        assert!(!html.contains(bad), "external asset `{bad}` in the page");
    }
    assert_eq!(count(&html, "<path class=\"arc "), arcs);

    let Some(chrome) = chromium() else {
        if std::env::var_os("CI").is_some() {
            panic!("chromium not found (CI is set): install Debian's `chromium` package");
        }
        eprintln!("SKIPPED the browser part: chromium not found (install Debian's `chromium`)");
        return;
    };
    let url = format!("file://{}", page.display());
    let profile = tempfile::tempdir().unwrap();
    let dom = headless(&chrome, profile.path())
        .arg("--dump-dom")
        .arg(&url)
        .output()
        .expect("run chromium");
    assert!(
        dom.status.success(),
        "chromium --dump-dom failed: {}",
        String::from_utf8_lossy(&dom.stderr)
    );
    let dom = String::from_utf8_lossy(&dom.stdout);
    assert_eq!(count(&dom, "<path class=\"arc "), arcs, "arcs in the DOM");
    for f in &fs {
        let fp = f["fingerprint"].as_str().unwrap();
        assert!(
            dom.contains(&format!(
                "<tr class=\"finding {}\" id=\"claimdiff-{fp}\"",
                f["kind"].as_str().unwrap()
            )),
            "no row for finding {fp}"
        );
    }
    assert_eq!(
        count(&dom, "<tr class=\"finding "),
        fs.len(),
        "finding rows"
    );
    assert!(
        count(&dom, "<g class=\"drop\"") >= 1,
        "no dropped-disclosure marker"
    );
    assert!(
        count(&dom, "data-count=\"5\"") >= 1,
        "the five dropped projects"
    );
    assert_eq!(
        count(&dom, "<tr class=\"statement\""),
        count(&html, "<tr class=\"statement\"")
    );
    assert!(dom.contains("<svg class=\"timeline\""));

    let shot = root().join("target").join("report-screenshot.png");
    // The target folder may live elsewhere (CARGO_TARGET_DIR): make sure it exists here.
    std::fs::create_dir_all(shot.parent().unwrap()).unwrap();
    let _ = std::fs::remove_file(&shot);
    let profile = tempfile::tempdir().unwrap();
    let s = headless(&chrome, profile.path())
        .arg(format!("--screenshot={}", shot.display()))
        .arg("--window-size=1400,1000")
        .arg(&url)
        .output()
        .expect("run chromium");
    assert!(
        s.status.success(),
        "chromium --screenshot failed: {}",
        String::from_utf8_lossy(&s.stderr)
    );
    let png = std::fs::read(&shot).expect("screenshot written");
    assert!(
        png.starts_with(b"\x89PNG") && png.len() > 20_000,
        "screenshot looks empty"
    );
    println!("screenshot of the report: {}", shot.display());
    eprintln!("screenshot of the report: {}", shot.display());
}

#[test]
fn everything_from_the_corpus_is_escaped() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("statements/acme");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("2020-01-claim.md"),
        "+++\ndate = \"2020-01\"\nkind = \"statement\"\nspeaker = \"Acme <b>\"\nspeaker_role = \"entity\"\nsource = \"<script>alert(1)</script>\"\nurl = \"javascript:alert(1)\"\n+++\nWe never <img src=x onerror=alert(1)> knowingly did it.\n",
    )
    .unwrap();
    let rules = root().join("rules");
    let out = tmp.path().join("out");
    let o = run_in(
        tmp.path(),
        &[
            "--rules",
            rules.to_str().unwrap(),
            "report",
            "--out",
            out.to_str().unwrap(),
        ],
    );
    code(&o, 0);
    let html = std::fs::read_to_string(out.join("acme.html")).unwrap();
    assert!(!html.contains("<script>alert"), "unescaped source");
    assert!(!html.contains("<img src=x"), "unescaped body");
    assert!(!html.contains("href=\"javascript:"), "javascript: link");
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
}

/// The pages carry the day they were generated; SOURCE_DATE_EPOCH pins it,
/// so a report of one corpus is the same file from run to run (archived
/// copies, diffs of a published report).
#[test]
fn source_date_epoch_pins_the_generated_day() {
    let out = tempfile::tempdir().unwrap();
    let page = |dir: &str| {
        let o = Command::new(env!("CARGO_BIN_EXE_claimdiff"))
            .current_dir(root())
            .env("SOURCE_DATE_EPOCH", "1700000000")
            .args(["report", "--out"])
            .arg(out.path().join(dir))
            .arg("hikvision")
            .output()
            .unwrap();
        code(&o, 0);
        std::fs::read(out.path().join(dir).join("hikvision.html")).unwrap()
    };
    let (a, b) = (page("a"), page("b"));
    assert!(String::from_utf8_lossy(&a).contains("on 2023-11-14"));
    assert_eq!(a, b);
}
