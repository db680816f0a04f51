//! Alert delivery: each sink receives, exactly once, the alerts it has not
//! yet taken.
//!
//! [`deliver`] takes alerts (a fingerprint and the raw JSON payload, never
//! wrapped), sinks ([`Sink::Stdout`], [`Sink::Webhook`], [`Sink::Exec`]) and
//! the [`StateDb`], and returns one [`SinkOutcome`] per sink. Before
//! anything is sent it checks every alert and every sink (webhook secrets
//! and URLs, commands), so a bad configuration sends nothing. A row is
//! written to the state only once a sink has accepted the message, inside a
//! transaction that makes two concurrent runs and a SIGKILL safe; the
//! `state` module explains how. A sink that fails keeps its alerts for the
//! next run and does not stop the other sinks.
//!
//! Invariants: the library never prints (the stdout sink writes to the
//! writer it is given); an alert is never sent to a sink whose row exists;
//! an unreadable state database sends nothing. What an alert says (and that
//! an alert with no dropped item is never made) is decided upstream: this
//! layer sends the payload it is given, byte for byte.

use std::io::Write;
use std::path::PathBuf;
use std::time::Duration;

mod payload;
mod signing;
mod sinks;
mod state;

pub use payload::sha256_hex;
pub use signing::{SigningKey, sign};
pub use sinks::{ExecSink, MAX_RETRY_DELAY, Sink, WebhookSink, webhook_name};
pub use state::{Delivery, SCHEMA_VERSION, StateDb};

use sinks::{Message, Ready};

/// Added to the slowest sink's worst case to get how long a run waits for
/// another run's delivery before calling the state locked.
const STATE_LOCK_MARGIN: Duration = Duration::from_secs(10);

/// The longest fingerprint we send as an idempotency id.
const MAX_FINGERPRINT_LEN: usize = 256;

/// One alert: its stable fingerprint and the JSON payload sent as is.
#[derive(Debug, Clone, PartialEq)]
pub struct Alert {
    pub fingerprint: String,
    pub payload: serde_json::Value,
    /// What it is about, in one line for people (`acme annual-report:
    /// acme/ar-2022 → acme/ar-2023`): recorded with each delivery and
    /// shown by `--history`, never sent.
    pub subject: String,
}

/// How a run delivers.
#[derive(Debug, Clone, Default)]
pub struct DeliveryOptions {
    /// One message per sink (`{"alerts":[…]}`) holding every alert that sink
    /// has not taken, instead of one message per alert.
    pub digest: bool,
}

/// What one sink did in one run.
#[derive(Debug)]
pub struct SinkOutcome {
    /// The sink's [`name`](Sink::name).
    pub sink: String,
    /// Alerts this sink accepted in this run.
    pub delivered: usize,
    /// Alerts this sink had accepted in an earlier run (or earlier in this
    /// one, under the same fingerprint), so not sent.
    pub already: usize,
    /// Alerts not delivered to this sink; the next run tries them again.
    pub failed: usize,
    /// The first error, when `failed` is above zero.
    pub error: Option<AlertError>,
}

impl SinkOutcome {
    pub fn is_ok(&self) -> bool {
        self.error.is_none()
    }
}

/// Everything that can go wrong, each naming the path or sink concerned.
///
/// A message does not repeat its [`source`](std::error::Error::source)
/// (the I/O, SQLite or HTTP error under it): print the chain, as anyhow's
/// `{:#}` does, to see both.
#[derive(Debug, thiserror::Error)]
pub enum AlertError {
    #[error("cannot create the state directory {path}")]
    StateDir {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot open the state database {path}")]
    StateOpen {
        path: PathBuf,
        source: rusqlite::Error,
    },
    #[error("the state database {path} is corrupt ({detail}); nothing was sent")]
    StateCorrupt { path: PathBuf, detail: String },
    #[error("the state database {path} is read-only; nothing was sent")]
    StateReadOnly { path: PathBuf },
    #[error(
        "the state database {path} has schema version {found}, this claimdiff knows version {expected}; nothing was sent"
    )]
    StateVersion {
        path: PathBuf,
        found: i64,
        expected: i64,
    },
    #[error("{path} is not a claimdiff state database: {detail}; nothing was sent")]
    StateForeign { path: PathBuf, detail: String },
    #[error("the state database {path} stayed locked by another run for {waited:.1?}")]
    StateLocked { path: PathBuf, waited: Duration },
    #[error("state database {path}")]
    State {
        path: PathBuf,
        source: rusqlite::Error,
    },
    #[error("invalid webhook secret: {reason}")]
    InvalidSecret { reason: String },
    #[error("invalid message id {id:?}: it must be non-empty and hold no `.`")]
    InvalidMessageId { id: String },
    #[error("alert {fingerprint:?}: {reason}")]
    InvalidAlert { fingerprint: String, reason: String },
    #[error("sink {sink}: {reason}")]
    InvalidSink { sink: String, reason: String },
    #[error("sink stdout: cannot write the alert")]
    Stdout { source: std::io::Error },
    #[error(
        "sink {sink}: HTTP {status} after {attempts} attempt(s){}",
        body_suffix(body)
    )]
    HttpStatus {
        sink: String,
        status: u16,
        attempts: u32,
        body: String,
    },
    #[error("sink {sink}: request failed after {attempts} attempt(s)")]
    Http {
        sink: String,
        attempts: u32,
        source: Box<ureq::Error>,
    },
    #[error("sink {sink}: cannot run the command")]
    ExecSpawn {
        sink: String,
        source: std::io::Error,
    },
    #[error("sink {sink}: the command did not finish within {timeout:?} and was killed")]
    ExecTimeout { sink: String, timeout: Duration },
    #[error("sink {sink}: the command failed ({status})")]
    ExecStatus { sink: String, status: String },
}

fn body_suffix(body: &str) -> String {
    if body.is_empty() {
        String::new()
    } else {
        format!(": {body}")
    }
}

impl AlertError {
    /// Whether the sink as a whole is unusable for now (down, timing out,
    /// misconfigured), rather than refusing this one message. The rest of
    /// the run skips such a sink instead of waiting out every alert.
    fn sink_unavailable(&self) -> bool {
        match self {
            AlertError::HttpStatus { status, .. } => !(400..500).contains(status),
            AlertError::ExecStatus { .. } => false,
            _ => true,
        }
    }
}

/// Delivers to each sink the alerts it has not yet taken; see the module
/// documentation.
///
/// `Err` means the run could not go on (an invalid alert or sink, found
/// before anything was sent, or a state database that cannot be read or
/// written); a sink that fails is reported in its [`SinkOutcome`] instead.
pub fn deliver(
    alerts: &[Alert],
    sinks: &[Sink],
    state: &StateDb,
    stdout: &mut dyn Write,
    opts: &DeliveryOptions,
) -> Result<Vec<SinkOutcome>, AlertError> {
    let alerts = checked(alerts)?;
    let ready = sinks
        .iter()
        .map(Ready::prepare)
        .collect::<Result<Vec<_>, _>>()?;
    let lock_wait = sinks
        .iter()
        .map(Sink::worst_case)
        .max()
        .unwrap_or_default()
        .saturating_add(STATE_LOCK_MARGIN);
    let run = Run {
        state,
        lock_wait,
        alerts: &alerts,
    };
    let mut outcomes = Vec::with_capacity(sinks.len());
    for (sink, ready) in sinks.iter().zip(&ready) {
        let mut outcome = SinkOutcome {
            sink: sink.name(),
            delivered: 0,
            already: 0,
            failed: 0,
            error: None,
        };
        if opts.digest {
            run.digest(ready, &mut outcome, stdout)?;
        } else {
            run.one_by_one(ready, &mut outcome, stdout)?;
        }
        outcomes.push(outcome);
    }
    Ok(outcomes)
}

/// Checks fingerprints (they travel as `webhook-id`, which Standard
/// Webhooks forbids to hold a `.`) and keeps the first alert of each
/// fingerprint.
fn checked(alerts: &[Alert]) -> Result<Vec<(&Alert, Vec<u8>)>, AlertError> {
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::with_capacity(alerts.len());
    for alert in alerts {
        let fp = &alert.fingerprint;
        let bad = |reason: &str| AlertError::InvalidAlert {
            fingerprint: fp.clone(),
            reason: reason.to_owned(),
        };
        if fp.is_empty() || fp.len() > MAX_FINGERPRINT_LEN {
            return Err(bad("the fingerprint must hold 1 to 256 characters"));
        }
        if !fp.bytes().all(|b| b.is_ascii_graphic() && b != b'.') {
            return Err(bad(
                "the fingerprint must be printable ASCII without spaces or `.`",
            ));
        }
        if seen.insert(fp.as_str()) {
            out.push((alert, payload::body(&alert.payload)));
        }
    }
    Ok(out)
}

struct Run<'a> {
    state: &'a StateDb,
    lock_wait: Duration,
    /// Each alert with the exact bytes of its payload.
    alerts: &'a [(&'a Alert, Vec<u8>)],
}

impl Run<'_> {
    fn one_by_one(
        &self,
        ready: &Ready<'_>,
        outcome: &mut SinkOutcome,
        stdout: &mut dyn Write,
    ) -> Result<(), AlertError> {
        let sink = outcome.sink.clone();
        let mut unavailable = false;
        for (alert, body) in self.alerts {
            let fp = alert.fingerprint.as_str();
            // A plain read first: most alerts of a run were delivered by an
            // earlier one, and need no write lock.
            if self.state.delivered(fp, &sink)? {
                outcome.already += 1;
                continue;
            }
            if unavailable {
                outcome.failed += 1;
                continue;
            }
            let tx = self.state.begin(self.lock_wait)?;
            // Again under the lock: a concurrent run may have sent it since.
            if tx.delivered(fp, &sink)? {
                outcome.already += 1;
                continue;
            }
            tx.record(fp, &sink, &sha256_hex(body), fp, &alert.subject, &now())?;
            match ready.send(&Message { id: fp, body }, stdout) {
                Ok(()) => {
                    tx.stamp(fp, &sink, &now())?;
                    tx.commit()?;
                    outcome.delivered += 1;
                }
                Err(e) => {
                    drop(tx);
                    outcome.failed += 1;
                    unavailable = e.sink_unavailable();
                    outcome.error.get_or_insert(e);
                }
            }
        }
        Ok(())
    }

    fn digest(
        &self,
        ready: &Ready<'_>,
        outcome: &mut SinkOutcome,
        stdout: &mut dyn Write,
    ) -> Result<(), AlertError> {
        let sink = outcome.sink.clone();
        let pending = |delivered: &dyn Fn(&str) -> Result<bool, AlertError>| {
            let mut out = Vec::new();
            for (alert, _) in self.alerts {
                if !delivered(&alert.fingerprint)? {
                    out.push(*alert);
                }
            }
            Ok::<_, AlertError>(out)
        };
        if pending(&|fp| self.state.delivered(fp, &sink))?.is_empty() {
            outcome.already = self.alerts.len();
            return Ok(());
        }
        let tx = self.state.begin(self.lock_wait)?;
        let members = pending(&|fp| tx.delivered(fp, &sink))?;
        outcome.already = self.alerts.len() - members.len();
        if members.is_empty() {
            return Ok(());
        }
        let (id, message) = payload::digest(&members);
        let body = payload::body(&message);
        let sha = sha256_hex(&body);
        let at = now();
        for alert in &members {
            tx.record(&alert.fingerprint, &sink, &sha, &id, &alert.subject, &at)?;
        }
        match ready.send(
            &Message {
                id: &id,
                body: &body,
            },
            stdout,
        ) {
            Ok(()) => {
                let at = now();
                for alert in &members {
                    tx.stamp(&alert.fingerprint, &sink, &at)?;
                }
                tx.commit()?;
                outcome.delivered = members.len();
            }
            Err(e) => {
                drop(tx);
                outcome.failed = members.len();
                outcome.error = Some(e);
            }
        }
        Ok(())
    }
}

/// Now, RFC 3339 in UTC with microseconds, so that text order is time order.
fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Micros, true)
}
