//! Alert delivery through the library API, against real parts: a real HTTP
//! receiver on 127.0.0.1, real `sh` commands, a real SQLite file
//! (issue 7: `claimdiff alert`).

mod support;

use std::path::{Path, PathBuf};
use std::time::Duration;

use claimdiff::alerts::{
    Alert, AlertError, DeliveryOptions, ExecSink, Sink, SinkOutcome, StateDb, WebhookSink, deliver,
    sha256_hex, webhook_name,
};
use serde_json::json;
use support::{Mode, Receiver, Rejected};

const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

fn alerts(n: usize) -> Vec<Alert> {
    (0..n)
        .map(|i| {
            let fingerprint = format!("fp{i:03}");
            Alert {
                payload: json!({
                    "fingerprint": fingerprint,
                    "entity": "hikvision",
                    "series": "annual-report",
                    "dropped": [{"text": format!("Xinjiang project {i}"), "versions": 4}],
                }),
                subject: format!("hikvision annual-report: v{i} → v{}", i + 1),
                items: Vec::new(),
                fingerprint,
            }
        })
        .collect()
}

/// A fast-failing webhook, so the tests do not wait out real back-offs.
fn webhook(url: &str) -> WebhookSink {
    WebhookSink {
        url: url.to_owned(),
        secret: None,
        timeout: Duration::from_secs(5),
        retries: 2,
        backoff: Duration::from_millis(5),
    }
}

struct Fixture {
    dir: tempfile::TempDir,
}

impl Fixture {
    fn new() -> Fixture {
        Fixture {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    fn db_path(&self) -> PathBuf {
        self.dir.path().join(".claimdiff/state.db")
    }

    fn state(&self) -> StateDb {
        StateDb::open(&self.db_path()).unwrap()
    }

    fn run(&self, alerts: &[Alert], sinks: &[Sink]) -> Vec<SinkOutcome> {
        self.run_with(alerts, sinks, &DeliveryOptions::default(), &mut Vec::new())
    }

    fn run_with(
        &self,
        alerts: &[Alert],
        sinks: &[Sink],
        opts: &DeliveryOptions,
        out: &mut Vec<u8>,
    ) -> Vec<SinkOutcome> {
        deliver(alerts, sinks, &self.state(), out, opts).unwrap()
    }
}

fn body_of(alert: &Alert) -> Vec<u8> {
    serde_json::to_vec(&alert.payload).unwrap()
}

#[test]
fn first_run_posts_each_alert_once_and_second_run_posts_nothing() {
    let fx = Fixture::new();
    let server = Receiver::start();
    let alerts = alerts(3);
    let sinks = [Sink::Webhook(webhook(&server.url()))];

    let out = fx.run(&alerts, &sinks);
    assert_eq!(out.len(), 1);
    assert_eq!(out[0].sink, webhook_name(&server.url()));
    assert!(
        !out[0].sink.contains("/hook"),
        "the path stays out of the name"
    );
    assert_eq!((out[0].delivered, out[0].already, out[0].failed), (3, 0, 0));
    assert!(out[0].is_ok(), "{:?}", out[0].error);

    let requests = server.requests();
    assert_eq!(requests.len(), 3);
    for (request, alert) in requests.iter().zip(&alerts) {
        assert_eq!(request.method, "POST");
        assert_eq!(request.path, "/hook");
        assert_eq!(request.header("content-type"), "application/json");
        assert_eq!(request.header("webhook-id"), alert.fingerprint);
        assert!(request.header("webhook-timestamp").parse::<i64>().is_ok());
        assert_eq!(
            request.header("webhook-signature"),
            "",
            "no secret, no signature"
        );
        // The payload itself, not wrapped in an envelope.
        assert_eq!(request.json(), alert.payload);
    }

    let history = fx.state().history().unwrap();
    assert_eq!(history.len(), 3);
    for (row, alert) in history.iter().zip(&alerts) {
        assert_eq!(row.fingerprint, alert.fingerprint);
        assert_eq!(row.sink, out[0].sink);
        assert_eq!(row.message_id, alert.fingerprint);
        assert_eq!(row.payload_sha256, sha256_hex(&body_of(alert)));
        assert_eq!(row.subject, alert.subject);
        chrono::DateTime::parse_from_rfc3339(&row.delivered_at).unwrap();
        assert!(row.delivered_at.ends_with('Z'), "{}", row.delivered_at);
    }
    assert!(
        history
            .windows(2)
            .all(|w| w[0].delivered_at <= w[1].delivered_at)
    );
    assert!(fx.state().delivered("fp000", &out[0].sink).unwrap());
    assert!(!fx.state().delivered("fp000", "stdout").unwrap());

    let again = fx.run(&alerts, &sinks);
    assert_eq!(
        (again[0].delivered, again[0].already, again[0].failed),
        (0, 3, 0)
    );
    assert_eq!(server.requests().len(), 3, "the second run posts nothing");
}

#[test]
fn a_failing_webhook_records_nothing_and_the_next_run_sends_what_it_withheld() {
    let fx = Fixture::new();
    let server = Receiver::start();
    let alerts = alerts(3);
    let sinks = [Sink::Webhook(webhook(&server.url()))];

    server.set_mode(Mode::Status(500));
    let out = fx.run(&alerts, &sinks);
    assert_eq!((out[0].delivered, out[0].failed), (0, 3));
    let err = out[0]
        .error
        .as_ref()
        .expect("the outcome carries the error");
    assert!(
        matches!(
            err,
            AlertError::HttpStatus {
                status: 500,
                attempts: 3,
                ..
            }
        ),
        "{err:?}"
    );
    let msg = err.to_string();
    assert!(
        msg.contains(&out[0].sink) && msg.contains("HTTP 500"),
        "{msg}"
    );
    // 1 attempt + 2 retries for the first alert; the sink is then skipped
    // for the rest of the run rather than waited out alert by alert.
    assert_eq!(server.requests().len(), 3);
    assert!(
        server
            .requests()
            .iter()
            .all(|r| r.header("webhook-id") == "fp000")
    );
    assert!(fx.state().history().unwrap().is_empty(), "nothing recorded");

    server.set_mode(Mode::Ok);
    let out = fx.run(&alerts, &sinks);
    assert_eq!((out[0].delivered, out[0].already, out[0].failed), (3, 0, 0));
    let accepted: Vec<_> = server
        .accepted()
        .iter()
        .map(|r| r.header("webhook-id").to_owned())
        .collect();
    assert_eq!(accepted, ["fp000", "fp001", "fp002"]);
    assert_eq!(fx.state().history().unwrap().len(), 3);
}

#[test]
fn a_retry_that_succeeds_counts_as_one_delivery() {
    let fx = Fixture::new();
    let server = Receiver::start();
    let alerts = alerts(1);
    server.set_mode(Mode::Status(503));
    let flip = server.clone();
    // The receiver recovers while the client backs off.
    let mut sink = webhook(&server.url());
    sink.backoff = Duration::from_millis(200);
    let recover = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(100));
        flip.set_mode(Mode::Ok);
    });
    let out = fx.run(&alerts, &[Sink::Webhook(sink)]);
    recover.join().unwrap();
    assert!(out[0].is_ok(), "{:?}", out[0].error);
    let statuses: Vec<u16> = server.requests().iter().map(|r| r.status).collect();
    assert_eq!(statuses, [503, 200]);
}

#[test]
fn client_errors_are_not_retried_and_do_not_stop_the_other_alerts() {
    let fx = Fixture::new();
    let server = Receiver::start();
    let alerts = alerts(2);
    server.set_mode(Mode::Status(422));
    let out = fx.run(&alerts, &[Sink::Webhook(webhook(&server.url()))]);
    assert_eq!((out[0].delivered, out[0].failed), (0, 2));
    let ids: Vec<_> = server
        .requests()
        .iter()
        .map(|r| r.header("webhook-id").to_owned())
        .collect();
    assert_eq!(ids, ["fp000", "fp001"], "one attempt each");
    let msg = out[0].error.as_ref().unwrap().to_string();
    assert!(
        msg.contains("HTTP 422 after 1 attempt(s): receiver says no"),
        "{msg}"
    );
    assert!(fx.state().history().unwrap().is_empty());
}

#[test]
fn refused_connections_and_hangups_are_errors_that_name_the_sink() {
    let fx = Fixture::new();
    let alerts = alerts(2);
    let url = support::refused_url();
    let out = fx.run(&alerts, &[Sink::Webhook(webhook(&url))]);
    let err = out[0].error.as_ref().unwrap();
    assert!(
        matches!(err, AlertError::Http { attempts: 3, .. }),
        "{err:?}"
    );
    assert!(
        err.to_string()
            .contains(&format!("sink {}", webhook_name(&url))),
        "{err}"
    );
    let text = support::chain(err);
    assert_eq!(text.matches("refused").count(), 1, "{text}");
    assert_eq!((out[0].delivered, out[0].failed), (0, 2));

    let server = Receiver::start();
    server.set_mode(Mode::Hangup);
    let out = fx.run(&alerts, &[Sink::Webhook(webhook(&server.url()))]);
    assert!(
        matches!(out[0].error, Some(AlertError::Http { .. })),
        "{:?}",
        out[0].error
    );
    assert_eq!(server.requests().len(), 3, "a hang-up is retried");
    assert!(fx.state().history().unwrap().is_empty());
}

#[test]
fn a_slow_receiver_times_out_and_is_retried() {
    let fx = Fixture::new();
    let server = Receiver::start();
    server.set_mode(Mode::Slow(Duration::from_millis(800)));
    let mut sink = webhook(&server.url());
    sink.timeout = Duration::from_millis(150);
    sink.retries = 1;
    let out = fx.run(&alerts(1), &[Sink::Webhook(sink)]);
    let err = out[0].error.as_ref().unwrap();
    assert!(
        matches!(err, AlertError::Http { attempts: 2, .. }),
        "{err:?}"
    );
    let text = support::chain(err);
    assert!(text.to_lowercase().contains("timeout"), "{text}");
    let cause = std::error::Error::source(err).unwrap().to_string();
    assert!(
        !err.to_string().contains(&cause),
        "the cause is printed once: {text}"
    );
    assert!(fx.state().history().unwrap().is_empty());
}

#[test]
fn a_failing_sink_does_not_make_the_healthy_one_receive_twice() {
    let fx = Fixture::new();
    let healthy = Receiver::start();
    let broken = Receiver::start();
    broken.set_mode(Mode::Status(500));
    let alerts = alerts(3);
    let sinks = [
        Sink::Webhook(webhook(&healthy.url())),
        Sink::Webhook(webhook(&broken.url())),
    ];

    let out = fx.run(&alerts, &sinks);
    assert!(out[0].is_ok());
    assert_eq!(out[0].delivered, 3);
    assert!(out[1].error.is_some());
    assert_eq!(out[1].failed, 3);

    broken.set_mode(Mode::Ok);
    let out = fx.run(&alerts, &sinks);
    assert_eq!((out[0].delivered, out[0].already), (0, 3));
    assert_eq!((out[1].delivered, out[1].already), (3, 0));
    assert_eq!(
        healthy.requests().len(),
        3,
        "the healthy sink got each alert once"
    );
    assert_eq!(broken.accepted().len(), 3);
    assert_eq!(fx.state().history().unwrap().len(), 6);
}

#[test]
fn stdout_sink_writes_one_json_line_per_alert_once() {
    let fx = Fixture::new();
    let alerts = alerts(2);
    let mut out = Vec::new();
    let outcome = fx.run_with(
        &alerts,
        &[Sink::Stdout],
        &DeliveryOptions::default(),
        &mut out,
    );
    assert_eq!(outcome[0].sink, "stdout");
    assert_eq!(outcome[0].delivered, 2);
    let text = String::from_utf8(out).unwrap();
    let lines: Vec<_> = text.lines().collect();
    assert_eq!(lines.len(), 2);
    for (line, alert) in lines.iter().zip(&alerts) {
        assert_eq!(line.as_bytes(), body_of(alert));
    }

    let mut out = Vec::new();
    fx.run_with(
        &alerts,
        &[Sink::Stdout],
        &DeliveryOptions::default(),
        &mut out,
    );
    assert!(out.is_empty());
}

/// A writer whose reader went away.
struct BrokenPipe;

impl std::io::Write for BrokenPipe {
    fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
        Err(std::io::ErrorKind::BrokenPipe.into())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[test]
fn stdout_that_cannot_be_written_records_nothing() {
    let fx = Fixture::new();
    let out = deliver(
        &alerts(2),
        &[Sink::Stdout],
        &fx.state(),
        &mut BrokenPipe,
        &DeliveryOptions::default(),
    )
    .unwrap();
    assert!(matches!(out[0].error, Some(AlertError::Stdout { .. })));
    assert_eq!(out[0].failed, 2);
    assert!(fx.state().history().unwrap().is_empty());
}

fn sh_quote(path: &Path) -> String {
    format!("'{}'", path.display().to_string().replace('\'', r"'\''"))
}

#[test]
fn exec_sink_gets_the_payload_on_stdin_and_the_fingerprint_in_env() {
    let fx = Fixture::new();
    let inbox = fx.dir.path().join("inbox");
    std::fs::create_dir(&inbox).unwrap();
    let command = format!("cat > {}/\"$CLAIMDIFF_FINGERPRINT\".json", sh_quote(&inbox));
    let sink = Sink::Exec(ExecSink::new(command.clone()));
    assert_eq!(sink.name(), format!("exec:{command}"));
    let alerts = alerts(2);

    let out = fx.run(&alerts, std::slice::from_ref(&sink));
    assert!(out[0].is_ok(), "{:?}", out[0].error);
    assert_eq!(out[0].delivered, 2);
    for alert in &alerts {
        let written = std::fs::read(inbox.join(format!("{}.json", alert.fingerprint))).unwrap();
        assert_eq!(written, [body_of(alert), b"\n".to_vec()].concat());
    }

    for entry in std::fs::read_dir(&inbox).unwrap() {
        std::fs::remove_file(entry.unwrap().path()).unwrap();
    }
    let out = fx.run(&alerts, &[sink]);
    assert_eq!(out[0].already, 2);
    assert_eq!(
        std::fs::read_dir(&inbox).unwrap().count(),
        0,
        "not run again"
    );
}

#[test]
fn exec_sink_payloads_appended_to_a_log_are_one_json_document_a_line() {
    // audit1 nit: `cat >> log` ran the alerts together as `}{`.
    let fx = Fixture::new();
    let log = fx.dir.path().join("alerts.jsonl");
    let sink = Sink::Exec(ExecSink::new(format!("cat >> {}", sh_quote(&log))));
    let alerts = alerts(2);
    let out = fx.run(&alerts, &[sink]);
    assert_eq!(out[0].delivered, 2, "{:?}", out[0].error);
    let text = std::fs::read_to_string(&log).unwrap();
    assert!(text.ends_with('\n'), "{text:?}");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 2, "{text:?}");
    for (line, alert) in lines.iter().zip(&alerts) {
        assert_eq!(line.as_bytes(), body_of(alert));
    }
}

#[test]
fn exec_sink_exit_status_other_than_zero_is_a_failure() {
    let fx = Fixture::new();
    let alerts = alerts(2);
    let out = fx.run(
        &alerts,
        &[Sink::Exec(ExecSink::new("cat >/dev/null; exit 3"))],
    );
    let err = out[0].error.as_ref().unwrap();
    assert!(matches!(err, AlertError::ExecStatus { .. }), "{err:?}");
    let msg = err.to_string();
    assert!(
        msg.contains("exec:cat >/dev/null; exit 3") && msg.contains('3'),
        "{msg}"
    );
    assert_eq!((out[0].delivered, out[0].failed), (0, 2));
    assert!(fx.state().history().unwrap().is_empty());

    // A command that ignores its input and exits 0 took the alert.
    let out = fx.run(&alerts, &[Sink::Exec(ExecSink::new("exit 0"))]);
    assert_eq!(out[0].delivered, 2);
}

#[test]
fn exec_sink_that_hangs_is_killed_at_its_timeout() {
    let fx = Fixture::new();
    let sink = ExecSink {
        command: "sleep 5".to_owned(),
        timeout: Duration::from_millis(200),
    };
    let started = std::time::Instant::now();
    let out = fx.run(&alerts(3), &[Sink::Exec(sink)]);
    assert!(started.elapsed() < Duration::from_secs(3));
    assert!(matches!(out[0].error, Some(AlertError::ExecTimeout { .. })));
    assert_eq!(out[0].failed, 3);
    assert!(fx.state().history().unwrap().is_empty());
}

#[test]
fn signatures_follow_standard_webhooks() {
    let fx = Fixture::new();
    let server = Receiver::start();
    let mut sink = webhook(&server.url());
    sink.secret = Some(SECRET.to_owned());
    let alerts = alerts(2);
    let out = fx.run(&alerts, &[Sink::Webhook(sink)]);
    assert!(out[0].is_ok(), "{:?}", out[0].error);

    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    let now = support::unix_now();
    for request in &requests {
        assert!(request.header("webhook-signature").starts_with("v1,"));
        assert_eq!(support::verify(SECRET, request, now), Ok(()));
        // Forgeries: another secret, a changed body, another id.
        let other = "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD";
        assert_eq!(
            support::verify(other, request, now),
            Err(Rejected::BadSignature)
        );
        let mut tampered = request.clone();
        tampered.body.push(b' ');
        assert_eq!(
            support::verify(SECRET, &tampered, now),
            Err(Rejected::BadSignature)
        );
        let mut renamed = request.clone();
        renamed.headers.insert("webhook-id".into(), "fp999".into());
        assert_eq!(
            support::verify(SECRET, &renamed, now),
            Err(Rejected::BadSignature)
        );
        // Replays: the same request more than 5 minutes later.
        assert_eq!(
            support::verify(SECRET, request, now + 6 * 60),
            Err(Rejected::TooOld)
        );
    }
}

#[test]
fn a_malformed_secret_sends_nothing_to_any_sink() {
    let fx = Fixture::new();
    let server = Receiver::start();
    let mut signed = webhook(&server.url());
    for secret in ["hunter2", "whsec_***", "whsec_c2hvcnQ="] {
        signed.secret = Some(secret.to_owned());
        let sinks = [
            Sink::Stdout,
            Sink::Webhook(webhook(&server.url())),
            Sink::Webhook(signed.clone()),
        ];
        let mut out = Vec::new();
        let err = deliver(
            &alerts(2),
            &sinks,
            &fx.state(),
            &mut out,
            &DeliveryOptions::default(),
        )
        .unwrap_err();
        assert!(matches!(err, AlertError::InvalidSink { .. }), "{err:?}");
        let msg = err.to_string();
        assert!(
            msg.contains("webhook secret") && !msg.contains(secret),
            "{msg}"
        );
        assert!(out.is_empty());
    }
    assert!(server.requests().is_empty());
    assert!(fx.state().history().unwrap().is_empty());
}

#[test]
fn fingerprints_that_cannot_be_an_idempotency_id_send_nothing() {
    let fx = Fixture::new();
    let server = Receiver::start();
    let mut bad = alerts(2);
    bad[1].fingerprint = "v1.2".to_owned();
    let err = deliver(
        &bad,
        &[Sink::Webhook(webhook(&server.url()))],
        &fx.state(),
        &mut Vec::new(),
        &DeliveryOptions::default(),
    )
    .unwrap_err();
    assert!(matches!(err, AlertError::InvalidAlert { .. }), "{err:?}");
    assert!(server.requests().is_empty());
}

/// A drop alert about one filing reporting the items `items`, as
/// `alerts_from` shapes it (what `narrow` needs of it).
fn filing_alert(items: &[&str]) -> Alert {
    let dropped: Vec<_> = items
        .iter()
        .map(|i| json!({"text": format!("item {i}"), "fingerprint": i, "severity": "medium"}))
        .collect();
    let mut alert = Alert {
        fingerprint: String::new(),
        payload: json!({
            "rule": "dropped-disclosure", "severity": "medium",
            "from": {"statement": "acme/ar-2022"}, "to": {"statement": "acme/ar-2023"},
            "dropped": dropped,
        }),
        subject: "acme annual-report: acme/ar-2022 → acme/ar-2023".to_owned(),
        items: items.iter().map(|i| i.to_string()).collect(),
    };
    let all: Vec<&str> = items.to_vec();
    alert = claimdiff::engine::narrow_alert(&alert, &all);
    alert
}

fn dropped_texts(payload: &serde_json::Value) -> Vec<String> {
    payload["dropped"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["text"].as_str().unwrap().to_owned())
        .collect()
}

/// audit2: when a later edit adds a drop to an already-alerted filing,
/// the new alert repeated the items the sink had taken. A sink gets each
/// item once; an alert whose items it took all is not sent.
#[test]
fn an_item_a_sink_took_is_not_sent_again_in_a_later_alert() {
    for digest in [false, true] {
        let fx = Fixture::new();
        let server = Receiver::start();
        let sinks = [Sink::Webhook(webhook(&server.url())), Sink::Stdout];
        let opts = DeliveryOptions {
            digest,
            narrow: Some(claimdiff::engine::narrow_alert),
        };
        let first = filing_alert(&["a", "b"]);
        let out = fx.run_with(std::slice::from_ref(&first), &sinks, &opts, &mut Vec::new());
        assert_eq!(out[0].delivered, 1);

        // The filing is edited: it now drops c as well.
        let second = filing_alert(&["a", "b", "c"]);
        let mut stdout = Vec::new();
        let out = fx.run_with(std::slice::from_ref(&second), &sinks, &opts, &mut stdout);
        assert_eq!((out[0].delivered, out[1].delivered), (1, 1), "{out:?}");
        let requests = server.requests();
        assert_eq!(requests.len(), 2);
        let sent = if digest {
            requests[1].json()["alerts"][0].clone()
        } else {
            requests[1].json()
        };
        assert_eq!(dropped_texts(&sent), ["item c"], "digest: {digest}");
        let narrowed = filing_alert(&["c"]);
        assert_eq!(sent, narrowed.payload, "as if only c were dropped");
        if !digest {
            assert_eq!(requests[1].header("webhook-id"), narrowed.fingerprint);
        }
        let line: serde_json::Value =
            serde_json::from_slice(stdout.split(|b| *b == b'\n').next().unwrap()).unwrap();
        let line = if digest {
            line["alerts"][0].clone()
        } else {
            line
        };
        assert_eq!(dropped_texts(&line), ["item c"]);

        // Edited back: only a is dropped, which every sink has.
        let out = fx.run(&[filing_alert(&["a"])], &sinks);
        assert_eq!((out[0].delivered, out[0].already), (0, 1), "{out:?}");
        assert_eq!(server.requests().len(), 2);
    }
}

/// A state from before items were recorded: the alert the sink took is
/// seen again and its items recorded, so the next edit is narrowed too.
#[test]
fn items_of_an_alert_delivered_before_they_were_recorded_are_not_repeated() {
    let fx = Fixture::new();
    let path = fx.db_path();
    let first = filing_alert(&["a", "b"]);
    old_state(&path, 2, &[(&first.fingerprint, "stdout")]);
    let opts = DeliveryOptions {
        narrow: Some(claimdiff::engine::narrow_alert),
        ..Default::default()
    };
    let out = fx.run_with(&[first], &[Sink::Stdout], &opts, &mut Vec::new());
    assert_eq!(out[0].already, 1);
    let mut stdout = Vec::new();
    let out = fx.run_with(
        &[filing_alert(&["a", "b", "c"])],
        &[Sink::Stdout],
        &opts,
        &mut stdout,
    );
    assert_eq!(out[0].delivered, 1);
    let sent: serde_json::Value = serde_json::from_slice(stdout.trim_ascii()).unwrap();
    assert_eq!(dropped_texts(&sent), ["item c"]);
}

#[test]
fn digest_sends_one_message_per_sink_with_the_alerts_it_has_not_taken() {
    let fx = Fixture::new();
    let server = Receiver::start();
    let all = alerts(5);
    let sinks = [Sink::Webhook(webhook(&server.url())), Sink::Stdout];
    let digest = DeliveryOptions {
        digest: true,
        ..Default::default()
    };

    let mut out = Vec::new();
    let outcome = fx.run_with(&all[..3], &sinks, &digest, &mut out);
    assert_eq!(outcome[0].delivered, 3);
    assert_eq!(outcome[1].delivered, 3);
    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    let payloads: Vec<_> = all[..3].iter().map(|a| a.payload.clone()).collect();
    assert_eq!(requests[0].json(), json!({ "alerts": payloads }));
    let id = requests[0].header("webhook-id").to_owned();
    assert!(id.starts_with("digest-") && !id.contains('.'), "{id}");
    assert_eq!(String::from_utf8(out).unwrap().lines().count(), 1);

    let history = fx.state().history().unwrap();
    assert_eq!(history.len(), 6, "a row per member per sink");
    let hash = sha256_hex(&requests[0].body);
    for row in history.iter().filter(|r| r.sink.starts_with("webhook:")) {
        assert_eq!(row.message_id, id);
        assert_eq!(row.payload_sha256, hash);
    }

    // Two new alerts: only they go out, again as one message.
    let outcome = fx.run_with(&all, &sinks, &digest, &mut Vec::new());
    assert_eq!((outcome[0].delivered, outcome[0].already), (2, 3));
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    let payloads: Vec<_> = all[3..].iter().map(|a| a.payload.clone()).collect();
    assert_eq!(requests[1].json(), json!({ "alerts": payloads }));

    // Nothing new: no message at all.
    fx.run_with(&all, &sinks, &digest, &mut Vec::new());
    assert_eq!(server.requests().len(), 2);
}

#[test]
fn a_failed_digest_records_none_of_its_members() {
    let fx = Fixture::new();
    let server = Receiver::start();
    server.set_mode(Mode::Status(500));
    let sinks = [Sink::Webhook(webhook(&server.url()))];
    let digest = DeliveryOptions {
        digest: true,
        ..Default::default()
    };
    let outcome = fx.run_with(&alerts(3), &sinks, &digest, &mut Vec::new());
    assert_eq!(outcome[0].failed, 3);
    assert!(fx.state().history().unwrap().is_empty());
    server.set_mode(Mode::Ok);
    let outcome = fx.run_with(&alerts(3), &sinks, &digest, &mut Vec::new());
    assert_eq!(outcome[0].delivered, 3);
    // The retried digest carries the same id, so a receiver that did get
    // the failed one can drop the retry.
    let ids: Vec<_> = server
        .requests()
        .iter()
        .map(|r| r.header("webhook-id").to_owned())
        .collect();
    assert!(ids.windows(2).all(|w| w[0] == w[1]), "{ids:?}");
}

#[test]
fn a_corrupt_state_database_stops_the_run_and_sends_nothing() {
    let fx = Fixture::new();
    let server = Receiver::start();
    let path = fx.db_path();
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(
        &path,
        b"this is not a database, just garbage bytes ".repeat(200),
    )
    .unwrap();

    let err = StateDb::open(&path).unwrap_err();
    assert!(matches!(err, AlertError::StateCorrupt { .. }), "{err:?}");
    let msg = err.to_string();
    assert!(msg.contains(&path.display().to_string()), "{msg}");
    assert!(msg.contains("nothing was sent"), "{msg}");
    assert!(server.requests().is_empty());
    assert_eq!(
        std::fs::read(&path).unwrap(),
        b"this is not a database, just garbage bytes ".repeat(200),
        "the file is left as it was"
    );
}

#[test]
fn a_damaged_page_in_a_real_state_database_is_refused() {
    let fx = Fixture::new();
    let server = Receiver::start();
    fx.run(&alerts(2), &[Sink::Webhook(webhook(&server.url()))]);
    // A history long enough to span many pages, written in one transaction
    // (delivering that many would cost a sync each).
    let path = fx.db_path();
    {
        let mut conn = rusqlite::Connection::open(&path).unwrap();
        let tx = conn.transaction().unwrap();
        for i in 0..2000 {
            tx.execute(
                "INSERT INTO deliveries (fingerprint, sink, delivered_at, payload_sha256, message_id)
                 VALUES (?1, 'stdout', '2026-01-01T00:00:00Z', 'ab', ?1)",
                [format!("old{i}")],
            )
            .unwrap();
        }
        tx.commit().unwrap();
    }
    assert_eq!(fx.state().history().unwrap().len(), 2002);

    let mut bytes = std::fs::read(&path).unwrap();
    assert!(bytes.len() > 16 * 4096, "{} bytes", bytes.len());
    // Overwrite the middle of the file: b-tree pages, not the header.
    let mid = bytes.len() / 2;
    bytes[mid..mid + 4096].fill(0xA5);
    std::fs::write(&path, &bytes).unwrap();

    let err = StateDb::open(&path).unwrap_err();
    assert!(matches!(err, AlertError::StateCorrupt { .. }), "{err:?}");
    assert!(err.to_string().contains(&path.display().to_string()));
    assert_eq!(server.requests().len(), 2);
}

#[test]
fn a_database_of_another_program_or_version_is_refused() {
    let fx = Fixture::new();
    let path = fx.db_path();
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch("CREATE TABLE notes (text TEXT)")
            .unwrap();
    }
    let err = StateDb::open(&path).unwrap_err();
    assert!(matches!(err, AlertError::StateForeign { .. }), "{err:?}");
    assert!(err.to_string().contains(&path.display().to_string()));

    std::fs::remove_file(&path).unwrap();
    fx.state();
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.pragma_update(None, "user_version", 7).unwrap();
    }
    let err = StateDb::open(&path).unwrap_err();
    assert!(
        matches!(
            err,
            AlertError::StateVersion {
                found: 7,
                expected: 3,
                ..
            }
        ),
        "{err:?}"
    );

    // Our version number over a table that is not ours.
    std::fs::remove_file(&path).unwrap();
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch("CREATE TABLE deliveries (id INTEGER); PRAGMA user_version = 1;")
            .unwrap();
    }
    let err = StateDb::open(&path).unwrap_err();
    assert!(matches!(err, AlertError::StateForeign { .. }), "{err:?}");
}

/// A state database as schema `version` 1 or 2 (before `subject`) wrote
/// it, holding the deliveries `(fingerprint, sink)`.
fn old_state(path: &Path, version: i64, rows: &[(&str, &str)]) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let conn = rusqlite::Connection::open(path).unwrap();
    conn.execute_batch(&format!(
        "CREATE TABLE deliveries (
            fingerprint TEXT NOT NULL, sink TEXT NOT NULL, delivered_at TEXT NOT NULL,
            payload_sha256 TEXT NOT NULL, message_id TEXT NOT NULL,
            PRIMARY KEY (fingerprint, sink));
         PRAGMA user_version = {version};"
    ))
    .unwrap();
    for (fingerprint, sink) in rows {
        conn.execute(
            "INSERT INTO deliveries VALUES (?1, ?2, '2026-01-01T00:00:00Z', 'x', ?1)",
            [fingerprint, sink],
        )
        .unwrap();
    }
}

/// A state written by version 1 (webhooks keyed by their whole URL) is
/// upgraded on open: its rows renamed, so nothing is sent again and the
/// URL's secret path is no longer stored.
#[test]
fn a_version_1_state_is_upgraded_without_resending_or_keeping_the_url() {
    let fx = Fixture::new();
    let server = Receiver::start();
    let url = format!("{}?token=s3cret", server.url());
    let path = fx.db_path();
    old_state(&path, 1, &[("fp000", &format!("webhook:{url}"))]);
    // Read as it is, the secret not shown.
    let rows = StateDb::open_read_only(&path)
        .unwrap()
        .unwrap()
        .history()
        .unwrap();
    assert_eq!(rows[0].sink, webhook_name(&url));
    let out = fx.run(&alerts(2), &[Sink::Webhook(webhook(&url))]);
    assert_eq!((out[0].delivered, out[0].already), (1, 1), "{out:?}");
    assert_eq!(
        server.requests().len(),
        1,
        "fp000 was taken under version 1"
    );
    let conn = rusqlite::Connection::open(&path).unwrap();
    let version: i64 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    assert_eq!(version, 3);
    let bytes = std::fs::read(&path).unwrap();
    assert!(
        !bytes.windows(6).any(|w| w == b"s3cret"),
        "the token is still in the state file"
    );
}

/// A version-2 state (no `subject`) is read as it is by `--history`, and
/// upgraded, rows kept, by the next delivery.
#[test]
fn a_version_2_state_is_read_without_upgrading_and_upgraded_on_delivery() {
    let fx = Fixture::new();
    let path = fx.db_path();
    old_state(&path, 2, &[("fp000", "stdout")]);
    let before = std::fs::read(&path).unwrap();
    let state = StateDb::open_read_only(&path).unwrap().unwrap();
    let rows = state.history().unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].subject, "");
    drop(state);
    assert_eq!(std::fs::read(&path).unwrap(), before, "read-only");

    let delivered = fx.run(&alerts(2), &[Sink::Stdout]);
    assert_eq!((delivered[0].delivered, delivered[0].already), (1, 1));
    let rows = fx.state().history().unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[1].subject, "hikvision annual-report: v1 → v2");
}

#[test]
fn reading_a_state_that_is_not_there_creates_nothing() {
    let fx = Fixture::new();
    let path = fx.db_path();
    assert!(StateDb::open_read_only(&path).unwrap().is_none());
    assert!(!path.exists());
    assert!(!path.parent().unwrap().exists());
}

#[test]
fn an_unreadable_state_path_is_an_error_naming_it() {
    let fx = Fixture::new();
    // A directory where the file should be: no permission trick needed, so
    // this holds when the tests run as root too.
    let path = fx.db_path();
    std::fs::create_dir_all(&path).unwrap();
    let err = StateDb::open(&path).unwrap_err();
    assert!(
        err.to_string().contains(&path.display().to_string()),
        "{err}"
    );

    // A parent that is a file.
    let blocker = fx.dir.path().join("file");
    std::fs::write(&blocker, "x").unwrap();
    let err = StateDb::open(&blocker.join("state.db")).unwrap_err();
    assert!(matches!(err, AlertError::StateDir { .. }), "{err:?}");
    assert!(
        err.to_string().contains(&blocker.display().to_string()),
        "{err}"
    );
}

#[test]
fn two_runs_at_once_deliver_each_alert_once() {
    let fx = Fixture::new();
    let server = Receiver::start();
    server.set_mode(Mode::Slow(Duration::from_millis(5)));
    let alerts = alerts(20);
    let sinks = [Sink::Webhook(webhook(&server.url()))];
    let barrier = std::sync::Barrier::new(2);
    let (a, b) = std::thread::scope(|s| {
        let run = || {
            // Each run opens its own connection, as two processes would.
            let state = StateDb::open(&fx.db_path()).unwrap();
            barrier.wait();
            deliver(
                &alerts,
                &sinks,
                &state,
                &mut Vec::new(),
                &DeliveryOptions::default(),
            )
            .unwrap()
        };
        let a = s.spawn(run);
        let b = s.spawn(run);
        (a.join().unwrap(), b.join().unwrap())
    });
    assert!(a[0].is_ok() && b[0].is_ok());
    assert_eq!(a[0].delivered + b[0].delivered, 20);
    assert_eq!(a[0].already + b[0].already, 20);
    let counts = server.count_by_id();
    assert_eq!(counts.len(), 20);
    assert!(counts.values().all(|&n| n == 1), "{counts:?}");
}

#[test]
fn a_run_that_holds_the_lock_without_progress_stops_the_other_before_it_sends() {
    let fx = Fixture::new();
    let server = Receiver::start();
    let state = fx.state();
    // Another "run" takes the write lock and sits on it.
    let holder = rusqlite::Connection::open(fx.db_path()).unwrap();
    holder.execute_batch("BEGIN IMMEDIATE").unwrap();
    let mut sink = webhook(&server.url());
    sink.timeout = Duration::from_millis(100);
    sink.retries = 0;
    let started = std::time::Instant::now();
    let err = deliver(
        &alerts(1),
        &[Sink::Webhook(sink)],
        &state,
        &mut Vec::new(),
        &DeliveryOptions::default(),
    )
    .unwrap_err();
    // The wait is the sink's worst case (0.1 s) plus a 10 s margin.
    assert!(started.elapsed() >= Duration::from_secs(10));
    assert!(matches!(err, AlertError::StateLocked { .. }), "{err:?}");
    assert!(
        err.to_string()
            .contains(&fx.db_path().display().to_string()),
        "{err}"
    );
    assert!(server.requests().is_empty());
    holder.execute_batch("ROLLBACK").unwrap();
}
