//! Delivers alerts from a JSONL file to a webhook, with a state database:
//! the delivery half of `claimdiff alert`, without the engine. The SIGKILL
//! crash test (`tests/alerts_crash.rs`) drives it until `claimdiff alert`
//! exists.
//!
//! ```text
//! alert_deliver --alerts FILE.jsonl --state DB --webhook URL [--digest]
//! ```
//!
//! Each line of the file is one alert payload with a `fingerprint` field.
//! `CLAIMDIFF_WEBHOOK_SECRET` signs the requests. Exit status: 0 every sink
//! took its alerts, 1 a sink failed, 2 bad input or state.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use claimdiff::alerts::{Alert, DeliveryOptions, Sink, StateDb, WebhookSink, deliver};

struct Args {
    alerts: PathBuf,
    state: PathBuf,
    webhook: String,
    digest: bool,
}

fn parse_args() -> Result<Args, String> {
    let mut args = std::env::args().skip(1);
    let (mut alerts, mut state, mut webhook, mut digest) = (None, None, None, false);
    while let Some(arg) = args.next() {
        let mut value = || args.next().ok_or(format!("{arg} needs a value"));
        match arg.as_str() {
            "--alerts" => alerts = Some(PathBuf::from(value()?)),
            "--state" => state = Some(PathBuf::from(value()?)),
            "--webhook" => webhook = Some(value()?),
            "--digest" => digest = true,
            other => return Err(format!("unknown argument {other}")),
        }
    }
    Ok(Args {
        alerts: alerts.ok_or("--alerts is required")?,
        state: state.ok_or("--state is required")?,
        webhook: webhook.ok_or("--webhook is required")?,
        digest,
    })
}

fn read_alerts(path: &std::path::Path) -> Result<Vec<Alert>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut alerts = Vec::new();
    for (i, line) in text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
    {
        let at = || format!("{}:{}", path.display(), i + 1);
        let payload: serde_json::Value =
            serde_json::from_str(line).map_err(|e| format!("{}: {e}", at()))?;
        let fingerprint = payload["fingerprint"]
            .as_str()
            .ok_or_else(|| format!("{}: no string `fingerprint`", at()))?
            .to_owned();
        alerts.push(Alert {
            fingerprint,
            payload,
        });
    }
    Ok(alerts)
}

/// An error and its causes, as anyhow's `{:#}` prints them.
fn chain(err: &dyn std::error::Error) -> String {
    let mut text = err.to_string();
    let mut cause = err.source();
    while let Some(e) = cause {
        text = format!("{text}: {e}");
        cause = e.source();
    }
    text
}

fn main() -> ExitCode {
    let run = || -> Result<bool, String> {
        let args = parse_args()?;
        let alerts = read_alerts(&args.alerts)?;
        let state = StateDb::open(&args.state).map_err(|e| chain(&e))?;
        let sink = WebhookSink {
            secret: std::env::var("CLAIMDIFF_WEBHOOK_SECRET").ok(),
            timeout: Duration::from_secs(5),
            retries: 2,
            backoff: Duration::from_millis(50),
            ..WebhookSink::new(args.webhook)
        };
        let opts = DeliveryOptions {
            digest: args.digest,
        };
        let outcomes = deliver(
            &alerts,
            &[Sink::Webhook(sink)],
            &state,
            &mut std::io::stdout().lock(),
            &opts,
        )
        .map_err(|e| chain(&e))?;
        let mut ok = true;
        for o in outcomes {
            eprintln!(
                "{}: {} delivered, {} already, {} failed",
                o.sink, o.delivered, o.already, o.failed
            );
            if let Some(e) = o.error {
                eprintln!("error: {}", chain(&e));
                ok = false;
            }
        }
        Ok(ok)
    };
    match run() {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}
