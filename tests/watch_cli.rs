//! `claimdiff watch` end to end: it runs `alert` at start, again when a new
//! filing lands in the corpus (here: the bundled FY2022 annual report put
//! back), and stops cleanly on Ctrl-C (SIGINT).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        if e.path().is_dir() {
            copy_dir(&e.path(), &to.join(e.file_name()));
        } else {
            std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
        }
    }
}

fn wait_for(what: &str, mut f: impl FnMut() -> bool) {
    let t0 = Instant::now();
    while !f() {
        assert!(
            t0.elapsed() < Duration::from_secs(30),
            "timed out waiting for {what}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// The bundled corpus and rules in a fresh temp dir.
fn bundled() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    copy_dir(&root.join("statements"), &dir.path().join("statements"));
    copy_dir(&root.join("rules"), &dir.path().join("rules"));
    dir
}

/// A running `watch`, killed if the test fails before it is stopped (it
/// would otherwise run on after the test).
struct Watching(std::process::Child);

impl Drop for Watching {
    fn drop(&mut self) {
        if matches!(self.0.try_wait(), Ok(None)) {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
}

/// `watch` in `dir`, each alert appended to `out`, its stderr to `log`.
fn spawn_watch(dir: &Path, out: &Path, log: &Path, extra: &[&str]) -> Watching {
    let child = Command::new(env!("CARGO_BIN_EXE_claimdiff"))
        .current_dir(dir)
        .args([
            "watch",
            "--exec",
            &format!("cat >> {}", out.display()),
            "--debounce",
            "200",
        ])
        .args(extra)
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(log).unwrap())
        .spawn()
        .unwrap();
    Watching(child)
}

fn run_watch(extra: &[&str]) {
    let dir = bundled();
    let fy2022 = dir
        .path()
        .join("statements/hikvision/annual-report-2022.md");
    let aside = dir.path().join("annual-report-2022.md");
    std::fs::rename(&fy2022, &aside).unwrap();
    let out = dir.path().join("alerts.jsonl");
    let log = dir.path().join("watch.log");
    let child = spawn_watch(dir.path(), &out, &log, extra);
    let log_text = || std::fs::read_to_string(&log).unwrap_or_default();
    wait_for("the first run", || log_text().contains("run 1 finished"));
    // audit1 nit: the exit code was logged as `ExitCode(unix_exit_status(0))`.
    assert!(
        log_text().contains("run 1 finished: exit code 0"),
        "{}",
        log_text()
    );
    assert!(
        !out.exists() || std::fs::read_to_string(&out).unwrap().is_empty(),
        "nothing to alert before FY2022"
    );
    std::fs::rename(&aside, &fy2022).unwrap();
    wait_for("the alert after the new filing", || {
        std::fs::read_to_string(&out)
            .map(|t| t.lines().count() == 1)
            .unwrap_or(false)
    });
    let alert: serde_json::Value = serde_json::from_str(
        std::fs::read_to_string(&out)
            .unwrap()
            .lines()
            .next()
            .unwrap(),
    )
    .unwrap();
    assert_eq!(alert["dropped"].as_array().unwrap().len(), 5);
    assert!(
        std::fs::read_to_string(&out).unwrap().ends_with("}\n"),
        "each payload ends with a newline"
    );
    stop(child, &log);
}

/// Ctrl-C: a clean stop, exit 0.
fn stop(mut watching: Watching, log: &Path) {
    let child = &mut watching.0;
    let log_text = || std::fs::read_to_string(log).unwrap_or_default();
    let st = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(st.success());
    let t0 = Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        assert!(
            t0.elapsed() < Duration::from_secs(10),
            "watch did not stop on SIGINT"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!(status.code(), Some(0), "{}", log_text());
    assert!(log_text().contains("stopped after"), "{}", log_text());
}

#[test]
fn watch_alerts_when_a_filing_lands_and_stops_on_ctrl_c() {
    run_watch(&[]);
}

#[test]
fn watch_by_polling() {
    run_watch(&["--poll", "--interval", "1"]);
}

/// Audit: `alert` ran with a rule whose `entities` names no entity (which
/// `check` refuses) and delivered the other rules' alerts. Each run of
/// `watch` is an `alert` run: it now logs the refusal with exit code 2 and
/// sends nothing until the rule is fixed.
#[test]
fn watch_refuses_a_rule_naming_an_unknown_entity() {
    let dir = bundled();
    let rule = dir.path().join("rules/disclosures.toml");
    let text = std::fs::read_to_string(&rule).unwrap();
    std::fs::write(
        &rule,
        text.replacen(
            "[rule.series]\n",
            "entities = [\"hikvison\"]\n[rule.series]\n",
            1,
        ),
    )
    .unwrap();
    let out = dir.path().join("alerts.jsonl");
    let log = dir.path().join("watch.log");
    let child = spawn_watch(dir.path(), &out, &log, &[]);
    let log_text = || std::fs::read_to_string(&log).unwrap_or_default();
    wait_for("the first run", || log_text().contains("run 1 finished"));
    let first = log_text();
    assert!(first.contains("run 1 finished: exit code 2"), "{first}");
    assert!(
        first.contains("`entities` names no entity `hikvison`")
            && first.contains("did you mean `hikvision`?"),
        "{first}"
    );
    assert!(!out.exists(), "nothing sent");
    assert!(!dir.path().join(".claimdiff").exists(), "no state written");
    // The rule fixed, the next run sends the FY2022 drops.
    std::fs::write(&rule, text).unwrap();
    wait_for("the alert after the fix", || {
        std::fs::read_to_string(&out)
            .map(|t| t.lines().count() == 1)
            .unwrap_or(false)
    });
    stop(child, &log);
}

/// New-user audit: `watch` runs `alert`, whose state was the current
/// folder's, so a watch started in the project's parent folder sent every
/// alert the project had already sent. It reads the project's history now.
#[test]
fn watch_from_the_parent_folder_keeps_the_projects_history() {
    let dir = tempfile::tempdir().unwrap();
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let project = dir.path().join("acme");
    copy_dir(&root.join("statements"), &project.join("statements"));
    copy_dir(&root.join("rules"), &project.join("rules"));
    let out = dir.path().join("alerts.jsonl");
    let log = dir.path().join("watch.log");
    // The same sink, as `watch` will name it, fed once from the project.
    let o = Command::new(env!("CARGO_BIN_EXE_claimdiff"))
        .current_dir(&project)
        .args(["alert", "--exec", &format!("cat >> {}", out.display())])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(std::fs::read_to_string(&out).unwrap().lines().count(), 1);

    let from_parent = ["--corpus", "acme/statements", "--rules", "acme/rules"];
    let child = spawn_watch(dir.path(), &out, &log, &from_parent);
    let log_text = || std::fs::read_to_string(&log).unwrap_or_default();
    wait_for("the first run", || log_text().contains("run 1 finished"));
    assert!(
        log_text().contains("0 delivered, 1 already delivered, 0 failed")
            && log_text().contains("run 1 finished: exit code 0")
            && !log_text().contains("note:"),
        "{}",
        log_text()
    );
    assert_eq!(
        std::fs::read_to_string(&out).unwrap().lines().count(),
        1,
        "nothing sent again"
    );
    assert!(
        !dir.path().join(".claimdiff").exists(),
        "a state of its own"
    );
    stop(child, &log);
}
