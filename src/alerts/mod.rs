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
//!
//! An alert that reports several things (a filing's dropped items) lists
//! their fingerprints in [`Alert::items`], and each item a sink takes is
//! recorded too. A sink that took some of them in an earlier alert (the
//! filing was edited and now drops one more) gets the alert narrowed to the
//! rest by [`DeliveryOptions::narrow`], which upstream provides, and a sink
//! that took them all gets nothing: an item reaches a sink once.

use std::borrow::Cow;
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
use state::Tx;

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
    /// The fingerprints of the things it reports one by one (a filing's
    /// dropped items); empty for an alert about one thing.
    pub items: Vec<String>,
}

/// Makes the alert that reports only the given items of an alert (see the
/// module documentation).
pub type Narrow = fn(&Alert, &[&str]) -> Alert;

/// How a run delivers.
#[derive(Debug, Clone, Default)]
pub struct DeliveryOptions {
    /// One message per sink (`{"alerts":[…]}`) holding every alert that sink
    /// has not taken, instead of one message per alert.
    pub digest: bool,
    /// Narrows an alert to the items a sink has not taken; without it, such
    /// an alert is sent whole.
    pub narrow: Option<Narrow>,
}

/// What one sink did in one run.
#[derive(Debug)]
pub struct SinkOutcome {
    /// The sink's [`name`](Sink::name).
    pub sink: String,
    /// Alerts this sink accepted in this run.
    pub delivered: usize,
    /// Alerts this sink had accepted in an earlier run (or earlier in this
    /// one, under the same fingerprint), or whose items it had all taken,
    /// so not sent.
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
        narrow: opts.narrow,
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
        check_fingerprint(&alert.fingerprint)?;
        if seen.insert(alert.fingerprint.as_str()) {
            out.push((alert, payload::body(&alert.payload)));
        }
    }
    Ok(out)
}

fn check_fingerprint(fp: &str) -> Result<(), AlertError> {
    let bad = |reason: &str| AlertError::InvalidAlert {
        fingerprint: fp.to_owned(),
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
    Ok(())
}

struct Run<'a> {
    state: &'a StateDb,
    lock_wait: Duration,
    /// Each alert with the exact bytes of its payload.
    alerts: &'a [(&'a Alert, Vec<u8>)],
    narrow: Option<Narrow>,
}

impl Run<'_> {
    /// What of `alert` is still to go to `sink`, under the lock: the alert
    /// as it is, narrowed to the items the sink has not taken, or nothing.
    fn unsent<'b>(
        &self,
        tx: &Tx<'_>,
        alert: &'b Alert,
        sink: &str,
    ) -> Result<Option<Cow<'b, Alert>>, AlertError> {
        if tx.delivered(&alert.fingerprint, sink)? {
            return Ok(None);
        }
        let mut keep = Vec::with_capacity(alert.items.len());
        for item in &alert.items {
            if !tx.item_delivered(item, sink)? {
                keep.push(item.as_str());
            }
        }
        if keep.len() == alert.items.len() {
            return Ok(Some(Cow::Borrowed(alert)));
        }
        if keep.is_empty() {
            return Ok(None);
        }
        let Some(narrow) = self.narrow else {
            return Ok(Some(Cow::Borrowed(alert)));
        };
        let narrowed = narrow(alert, &keep);
        check_fingerprint(&narrowed.fingerprint)?;
        if tx.delivered(&narrowed.fingerprint, sink)? {
            return Ok(None);
        }
        Ok(Some(Cow::Owned(narrowed)))
    }

    /// Records the items of an alert delivered before items were recorded
    /// (schema version 2 and earlier), so that a later alert about the
    /// same filing is narrowed rather than repeating them.
    fn backfill_items(&self, alert: &Alert, sink: &str) -> Result<(), AlertError> {
        let mut missing = false;
        for item in &alert.items {
            missing |= !self.state.item_delivered(item, sink)?;
        }
        if missing {
            let tx = self.state.begin(self.lock_wait)?;
            tx.record_items(&alert.items, sink, &alert.fingerprint)?;
            tx.commit()?;
        }
        Ok(())
    }

    fn one_by_one(
        &self,
        ready: &Ready<'_>,
        outcome: &mut SinkOutcome,
        stdout: &mut dyn Write,
    ) -> Result<(), AlertError> {
        let sink = outcome.sink.clone();
        let mut unavailable = false;
        for (alert, body) in self.alerts {
            // A plain read first: most alerts of a run were delivered by an
            // earlier one, and need no write lock.
            if self.state.delivered(&alert.fingerprint, &sink)? {
                self.backfill_items(alert, &sink)?;
                outcome.already += 1;
                continue;
            }
            if unavailable {
                outcome.failed += 1;
                continue;
            }
            let tx = self.state.begin(self.lock_wait)?;
            // Again under the lock: a concurrent run may have sent it since.
            let Some(unsent) = self.unsent(&tx, alert, &sink)? else {
                outcome.already += 1;
                continue;
            };
            let body = match &unsent {
                Cow::Borrowed(_) => Cow::Borrowed(body),
                Cow::Owned(narrowed) => Cow::Owned(payload::body(&narrowed.payload)),
            };
            let fp = unsent.fingerprint.as_str();
            tx.record(fp, &sink, &sha256_hex(&body), fp, &unsent.subject, &now())?;
            tx.record_items(&unsent.items, &sink, fp)?;
            match ready.send(
                &Message {
                    id: fp,
                    body: &body,
                },
                stdout,
            ) {
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
        let mut all_delivered = true;
        for (alert, _) in self.alerts {
            if self.state.delivered(&alert.fingerprint, &sink)? {
                self.backfill_items(alert, &sink)?;
            } else {
                all_delivered = false;
            }
        }
        if all_delivered {
            outcome.already = self.alerts.len();
            return Ok(());
        }
        let tx = self.state.begin(self.lock_wait)?;
        let mut members = Vec::new();
        for (alert, _) in self.alerts {
            if let Some(unsent) = self.unsent(&tx, alert, &sink)? {
                members.push(unsent);
            }
        }
        outcome.already = self.alerts.len() - members.len();
        if members.is_empty() {
            return Ok(());
        }
        let member_refs: Vec<&Alert> = members.iter().map(|m| m.as_ref()).collect();
        let (id, message) = payload::digest(&member_refs);
        let body = payload::body(&message);
        let sha = sha256_hex(&body);
        let at = now();
        for alert in &member_refs {
            tx.record(&alert.fingerprint, &sink, &sha, &id, &alert.subject, &at)?;
            tx.record_items(&alert.items, &sink, &alert.fingerprint)?;
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
