//! `claimdiff alert` end to end, as a cron job runs it: the real binary,
//! the bundled corpus copied to a temp dir, a real HTTP receiver on
//! 127.0.0.1 started by the test, and the SQLite state on disk.

mod support;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use support::{Mode, Receiver};

const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let p = e.path();
        if p.is_dir() {
            copy_dir(&p, &to.join(e.file_name()));
        } else {
            std::fs::copy(&p, to.join(e.file_name())).unwrap();
        }
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

/// The bundled corpus and rules in `<temp>/acme/`, a project one folder
/// below the temp dir.
fn bundled_below() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let project = dir.path().join("acme");
    copy_dir(&root.join("statements"), &project.join("statements"));
    copy_dir(&root.join("rules"), &project.join("rules"));
    (dir, project)
}

/// `alert` run from the folder that holds `acme/`.
const FROM_PARENT: [&str; 4] = ["--corpus", "acme/statements", "--rules", "acme/rules"];

fn alert(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_claimdiff"))
        .current_dir(dir)
        .env("CLAIMDIFF_WEBHOOK_SECRET", SECRET)
        .arg("alert")
        .args(args)
        .output()
        .unwrap()
}

fn err(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn a_new_filing_that_drops_the_xinjiang_projects_alerts_exactly_once() {
    let dir = bundled();
    let server = Receiver::start();
    let fy2022 = dir
        .path()
        .join("statements/hikvision/annual-report-2022.md");
    let aside = dir.path().join("annual-report-2022.md");
    std::fs::rename(&fy2022, &aside).unwrap();
    let o = alert(dir.path(), &["--webhook", &server.url()]);
    assert!(o.status.success(), "{}", err(&o));
    assert!(
        server.requests().is_empty(),
        "nothing about Xinjiang before the FY2022 report exists"
    );

    std::fs::rename(&aside, &fy2022).unwrap();
    let o = alert(dir.path(), &["--webhook", &server.url()]);
    assert!(o.status.success(), "{}", err(&o));
    let reqs = server.accepted();
    assert_eq!(reqs.len(), 1, "one alert for the new filing");
    let p = reqs[0].json();
    let mut items: Vec<&str> = p["dropped"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["text"].as_str().unwrap())
        .collect();
    items.sort();
    assert_eq!(items, ["Luopu", "Moyu", "Pishan", "Urumqi", "Yutian"]);
    // The raw payload, not wrapped: both versions with id, date, period, sha256.
    assert_eq!(p["entity"], "hikvision");
    assert_eq!(p["series"], "annual-report");
    assert_eq!(p["from"]["statement"], "hikvision/annual-report-2021");
    assert_eq!(p["to"]["statement"], "hikvision/annual-report-2022");
    assert_eq!(p["from"]["period"], "2021");
    assert_eq!(p["to"]["sha256"].as_str().unwrap().len(), 64);
    assert!(p["from"]["source"].is_string() && p["to"]["date"].is_string());
    for d in p["dropped"].as_array().unwrap() {
        assert_eq!(d["carried"], 4);
        assert!(d.get("best_match").is_some() && d.get("section").is_some());
    }
    assert_eq!(
        reqs[0].header("webhook-id"),
        p["fingerprint"].as_str().unwrap()
    );
    // Signed per Standard Webhooks; checked by the test's own verifier.
    assert_eq!(
        support::verify(SECRET, &reqs[0], support::unix_now()),
        Ok(())
    );
    assert!(
        support::verify(
            "whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            &reqs[0],
            support::unix_now()
        )
        .is_err()
    );

    let o = alert(dir.path(), &["--webhook", &server.url()]);
    assert!(o.status.success());
    assert_eq!(server.requests().len(), 1, "a third run sends nothing");

    let h = alert(dir.path(), &["--history"]);
    let hist = String::from_utf8_lossy(&h.stdout);
    assert!(
        hist.contains(&claimdiff::alerts::webhook_name(&server.url())),
        "{hist}"
    );
    // audit2 nit: which entity, series and filings went where, not only a
    // fingerprint.
    assert!(
        hist.contains(
            "hikvision annual-report: hikvision/annual-report-2021 → hikvision/annual-report-2022"
        ),
        "{hist}"
    );
}

/// audit1 nit: `--history` created `.claimdiff/state.db` where there was
/// none.
#[test]
fn history_writes_nothing() {
    let dir = bundled();
    let o = alert(dir.path(), &["--history"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert!(o.stdout.is_empty());
    assert!(err(&o).contains("nothing delivered yet"), "{}", err(&o));
    assert!(!dir.path().join(".claimdiff").exists(), "state created");

    let o = alert(dir.path(), &[]);
    assert!(o.status.success(), "{}", err(&o));
    let db = dir.path().join(".claimdiff/state.db");
    let before = std::fs::read(&db).unwrap();
    let o = alert(dir.path(), &["--history"]);
    assert_eq!(String::from_utf8_lossy(&o.stdout).lines().count(), 1);
    assert_eq!(std::fs::read(&db).unwrap(), before);
}

#[test]
fn a_failing_sink_fails_the_run_and_gets_its_alerts_next_time() {
    let dir = bundled();
    let server = Receiver::start();
    server.set_mode(Mode::Status(500));
    let o = alert(dir.path(), &["--webhook", &server.url(), "--retries", "1"]);
    assert_eq!(o.status.code(), Some(3), "{}", err(&o));
    let name = claimdiff::alerts::webhook_name(&server.url());
    assert!(
        err(&o).contains(&format!("error: sink {name}: HTTP 500 after 2 attempt(s)")),
        "{}",
        err(&o)
    );
    assert_eq!(
        err(&o).matches(&format!("sink {name}")).count(),
        1,
        "the sink is named once in the error\n{}",
        err(&o)
    );
    assert!(server.accepted().is_empty());

    server.set_mode(Mode::Ok);
    let o = alert(dir.path(), &["--webhook", &server.url()]);
    assert!(o.status.success(), "{}", err(&o));
    assert_eq!(
        server.accepted().len(),
        1,
        "the withheld alert is delivered after recovery"
    );
}

#[test]
fn a_healthy_sink_is_not_sent_again_when_another_failed() {
    let dir = bundled();
    let server = Receiver::start();
    let marker = dir.path().join("exec-ran");
    let failing = format!("cat > /dev/null; touch {}; exit 1", marker.display());
    let o = alert(
        dir.path(),
        &["--webhook", &server.url(), "--exec", &failing],
    );
    assert_eq!(o.status.code(), Some(3));
    assert!(marker.exists());
    assert_eq!(server.accepted().len(), 1);
    // Fix the command: the next run feeds it, and leaves the webhook alone.
    let out = dir.path().join("exec-out.json");
    let fixed = format!("cat > {}", out.display());
    let o = alert(dir.path(), &["--webhook", &server.url(), "--exec", &fixed]);
    assert!(o.status.success(), "{}", err(&o));
    assert_eq!(
        server.requests().len(),
        1,
        "the webhook took it the first time"
    );
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(v["dropped"].as_array().unwrap().len(), 5);
}

#[test]
fn a_corrupt_state_stops_the_run_and_sends_nothing() {
    let dir = bundled();
    let server = Receiver::start();
    std::fs::create_dir_all(dir.path().join(".claimdiff")).unwrap();
    std::fs::write(
        dir.path().join(".claimdiff/state.db"),
        b"this is not a database, it is a text file",
    )
    .unwrap();
    let o = alert(dir.path(), &["--webhook", &server.url()]);
    assert_eq!(o.status.code(), Some(2), "{}", err(&o));
    assert!(err(&o).contains(".claimdiff/state.db"), "{}", err(&o));
    assert!(server.requests().is_empty());
    assert_eq!(
        std::fs::read(dir.path().join(".claimdiff/state.db")).unwrap(),
        b"this is not a database, it is a text file"
    );
}

#[test]
fn stdout_is_the_default_sink_and_digest_sends_one_message() {
    let dir = bundled();
    let o = alert(dir.path(), &[]);
    assert!(o.status.success());
    let lines: Vec<serde_json::Value> = String::from_utf8_lossy(&o.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0]["type"], "dropped-disclosure");
    let server = Receiver::start();
    let o = alert(
        dir.path(),
        &[
            "--webhook",
            &server.url(),
            "--digest",
            "--kinds",
            "dropped-disclosure,contradiction",
        ],
    );
    assert!(o.status.success(), "{}", err(&o));
    let reqs = server.accepted();
    assert_eq!(reqs.len(), 1, "one digest message per sink and run");
    assert!(reqs[0].json()["alerts"].as_array().unwrap().len() > 10);
}

/// audit1 nit: a refused connection said "request failed after 1
/// attempt(s)" with no cause, and named the sink twice.
#[test]
fn a_refused_webhook_names_the_os_error_once_and_the_sink_once() {
    let dir = bundled();
    let url = support::refused_url();
    let o = alert(dir.path(), &["--webhook", &url, "--retries", "0"]);
    assert_eq!(o.status.code(), Some(3), "{}", err(&o));
    let e = err(&o);
    let line = e
        .lines()
        .find(|l| l.starts_with("error: "))
        .unwrap_or_else(|| panic!("no error line in\n{e}"));
    assert!(line.to_lowercase().contains("connection refused"), "{line}");
    assert_eq!(line.to_lowercase().matches("refused").count(), 1, "{line}");
    let name = claimdiff::alerts::webhook_name(&url);
    assert_eq!(line.matches(&name).count(), 1, "{line}");
    assert!(line.ends_with("stay pending for the next run"), "{line}");
}

/// audit2 #1: a corpus with no dropped-disclosure rule delivered "0"
/// silently; it now says why nothing can come.
#[test]
fn alert_without_a_dropped_disclosure_rule_says_so() {
    let dir = bundled();
    std::fs::remove_file(dir.path().join("rules/disclosures.toml")).unwrap();
    let o = alert(dir.path(), &[]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert!(
        err(&o).contains("note: no dropped-disclosure rule in rules"),
        "{}",
        err(&o)
    );
    // With the rule, no such note.
    let dir = bundled();
    let o = alert(dir.path(), &[]);
    assert!(!err(&o).contains("note: no dropped"), "{}", err(&o));
}

/// audit2: "a new alert for an already-alerted pair repeats the items
/// already delivered". The scaffold's 2023 report is edited to drop one
/// more item: the webhook gets that item alone, once.
#[test]
fn a_filing_edited_to_drop_more_sends_only_the_new_drop() {
    let dir = tempfile::tempdir().unwrap();
    let init = Command::new(env!("CARGO_BIN_EXE_claimdiff"))
        .current_dir(dir.path())
        .arg("init")
        .output()
        .unwrap();
    assert!(init.status.success(), "{}", err(&init));
    let server = Receiver::start();
    let o = alert(dir.path(), &["--webhook", &server.url()]);
    assert!(o.status.success(), "{}", err(&o));
    let texts = |p: serde_json::Value| -> Vec<String> {
        p["dropped"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["text"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(server.accepted().len(), 1);
    assert_eq!(
        texts(server.accepted()[0].json()),
        ["Two suppliers in Region X were suspended in 2022 after audits found forced labour."]
    );

    let fy2023 = dir
        .path()
        .join("statements/example-corp/annual-report-2023.md");
    let text = std::fs::read_to_string(&fy2023).unwrap();
    let edited = text.replace("- All suppliers sign our code of conduct.\n", "");
    assert_ne!(edited, text);
    std::fs::write(&fy2023, edited).unwrap();
    let o = alert(dir.path(), &["--webhook", &server.url()]);
    assert!(o.status.success(), "{}", err(&o));
    let accepted = server.accepted();
    assert_eq!(accepted.len(), 2, "{}", err(&o));
    let p = accepted[1].json();
    assert_eq!(
        texts(p.clone()),
        ["All suppliers sign our code of conduct."]
    );
    assert_eq!(
        p["severity"], "medium",
        "the new item's, not the first alert's"
    );

    let o = alert(dir.path(), &["--webhook", &server.url()]);
    assert!(o.status.success(), "{}", err(&o));
    assert_eq!(server.accepted().len(), 2, "nothing new, nothing sent");
}

/// Audit: `check` and `lint` refuse a rule whose `entities` names no entity
/// of the corpus (exit 2, with the nearest id), since such a rule selects
/// nothing and its findings vanish; `alert` ran on, delivered the other
/// rules' alerts and recorded them. It now refuses the rule as `check`
/// does, before the state is opened: nothing sent, the state as it was.
#[test]
fn a_rule_naming_an_unknown_entity_stops_the_run_and_sends_nothing() {
    let dir = bundled();
    // A first run with another sink: the state exists and holds a delivery.
    let o = alert(dir.path(), &["--exec", "cat > /dev/null"]);
    assert!(o.status.success(), "{}", err(&o));
    let state = dir.path().join(".claimdiff");
    let snapshot = |d: &Path| {
        let mut files: Vec<(PathBuf, Vec<u8>)> = std::fs::read_dir(d)
            .unwrap()
            .map(|e| {
                let p = e.unwrap().path();
                let bytes = std::fs::read(&p).unwrap();
                (p, bytes)
            })
            .collect();
        files.sort();
        files
    };
    let before = snapshot(&state);

    // The typo is in a contradiction rule's selector: not a rule this run
    // alerts on, as `check` refuses it whichever rules run.
    let sanctions = dir.path().join("rules/sanctions.toml");
    let text = std::fs::read_to_string(&sanctions).unwrap();
    std::fs::write(
        &sanctions,
        text.replacen(
            "[rule.claim]\n",
            "[rule.claim]\nentities = [\"hikvison\"]\n",
            1,
        ),
    )
    .unwrap();
    let server = Receiver::start();
    let o = alert(dir.path(), &["--webhook", &server.url()]);
    assert_eq!(o.status.code(), Some(2), "{}", err(&o));
    let e = err(&o);
    assert!(
        e.contains("`entities` names no entity `hikvison`")
            && e.contains("did you mean `hikvision`?")
            && e.contains("rules/sanctions.toml:"),
        "{e}"
    );
    let check = Command::new(env!("CARGO_BIN_EXE_claimdiff"))
        .current_dir(dir.path())
        .arg("check")
        .output()
        .unwrap();
    assert_eq!(check.status.code(), Some(2));
    assert_eq!(e, err(&check), "alert refuses it as check does");
    assert!(server.requests().is_empty(), "nothing sent");
    assert_eq!(snapshot(&state), before, "the state is unchanged");

    // The typo fixed, the webhook gets the alert that was held back.
    std::fs::write(&sanctions, text).unwrap();
    let o = alert(dir.path(), &["--webhook", &server.url()]);
    assert!(o.status.success(), "{}", err(&o));
    assert_eq!(server.accepted().len(), 1);
}

/// New-user audit: `alert` kept its state in `./.claimdiff` of whatever
/// folder it ran in, so run from the project's parent with `--corpus` and
/// `--rules` it started a history of its own and sent every alert again.
/// The state now lives in the project (the folder that holds the corpus).
#[test]
fn a_project_alerted_from_its_parent_folder_keeps_its_history() {
    let (dir, project) = bundled_below();
    let server = Receiver::start();
    let o = alert(&project, &["--webhook", &server.url()]);
    assert!(o.status.success(), "{}", err(&o));
    assert_eq!(server.accepted().len(), 1);
    // The first run says it starts a history, so a run from the wrong
    // folder shows before its result is trusted.
    assert!(
        err(&o).contains(
            "note: no delivery history at .claimdiff/state.db yet: every pending alert is new\n"
        ),
        "{}",
        err(&o)
    );
    assert!(project.join(".claimdiff/state.db").exists());

    let o = alert(
        dir.path(),
        &[&FROM_PARENT[..], &["--webhook", &server.url()]].concat(),
    );
    assert!(o.status.success(), "{}", err(&o));
    assert_eq!(server.requests().len(), 1, "the second run sends nothing");
    assert!(
        err(&o).contains("0 delivered, 1 already delivered, 0 failed"),
        "{}",
        err(&o)
    );
    assert!(!err(&o).contains("note:"), "{}", err(&o));
    assert!(
        !dir.path().join(".claimdiff").exists(),
        "a state of its own"
    );

    // `--history` from there reads the project's, and writes nothing.
    let h = alert(dir.path(), &[&FROM_PARENT[..], &["--history"]].concat());
    assert_eq!(String::from_utf8_lossy(&h.stdout).lines().count(), 1);
    assert!(!dir.path().join(".claimdiff").exists());
}

/// `state` in the project's claimdiff.toml is relative to that file, and
/// read from the parent folder too.
#[test]
fn a_state_named_in_claimdiff_toml_is_relative_to_that_file() {
    let (dir, project) = bundled_below();
    std::fs::write(
        project.join("claimdiff.toml"),
        "state = \"var/alerts.db\"\n",
    )
    .unwrap();
    let server = Receiver::start();
    let h = alert(dir.path(), &[&FROM_PARENT[..], &["--history"]].concat());
    assert!(
        err(&h).contains("nothing delivered yet (acme/var/alerts.db)"),
        "{}",
        err(&h)
    );
    assert!(!project.join("var").exists(), "--history created the state");

    let o = alert(
        dir.path(),
        &[&FROM_PARENT[..], &["--webhook", &server.url()]].concat(),
    );
    assert!(o.status.success(), "{}", err(&o));
    assert_eq!(server.accepted().len(), 1);
    assert!(
        err(&o).contains("note: no delivery history at acme/var/alerts.db yet"),
        "{}",
        err(&o)
    );
    assert!(project.join("var/alerts.db").exists());
    assert!(!dir.path().join(".claimdiff").exists() && !project.join(".claimdiff").exists());

    let o = alert(&project, &["--webhook", &server.url()]);
    assert!(o.status.success(), "{}", err(&o));
    assert_eq!(
        server.requests().len(),
        1,
        "the project's own run sends nothing"
    );
    assert!(!err(&o).contains("note:"), "{}", err(&o));
}

/// Before the state moved beside the corpus, a cron job in the parent
/// folder kept it there: that history is still read (with a note saying
/// where it belongs now), so upgrading does not send everything again.
#[test]
fn a_history_an_earlier_release_kept_in_the_current_folder_is_still_read() {
    let (dir, project) = bundled_below();
    let server = Receiver::start();
    let hook = ["--webhook", &server.url()];
    let earlier = ["--state", ".claimdiff/state.db"];
    let o = alert(dir.path(), &[&FROM_PARENT[..], &earlier, &hook].concat());
    assert!(o.status.success(), "{}", err(&o));
    assert_eq!(server.accepted().len(), 1);

    let o = alert(dir.path(), &[&FROM_PARENT[..], &hook].concat());
    assert!(o.status.success(), "{}", err(&o));
    assert_eq!(server.requests().len(), 1, "nothing sent again");
    assert!(
        err(&o).contains(
            "note: reading the delivery history at .claimdiff/state.db, where claimdiff kept it \
             before it moved beside the corpus; copy it to acme/.claimdiff/state.db"
        ),
        "{}",
        err(&o)
    );
    assert!(!project.join(".claimdiff").exists());
}
