//! The places an alert can go: stdout, a webhook, a command.
//!
//! Each sink takes one message (an id and the exact bytes to send) and says
//! whether it accepted it: a written and flushed line, an HTTP 2xx, an exit
//! status of 0. Nothing else counts as acceptance, because the caller
//! records the delivery on acceptance and never sends it to that sink again.
//! Every error names the sink.

use std::io::{Read as _, Write};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::AlertError;
use super::signing::SigningKey;

/// The longest pause between two webhook attempts, whatever the back-off
/// doubling or a `Retry-After` header asks for: this is a command run by a
/// person or a cron job, not a queue that can wait for hours.
pub const MAX_RETRY_DELAY: Duration = Duration::from_secs(30);

/// How much of an error response's body is kept for the error message.
const ERROR_BODY_LIMIT: u64 = 512;

/// Where alerts are delivered.
#[derive(Debug, Clone)]
pub enum Sink {
    /// One JSON line per message on the writer given to
    /// [`deliver`](super::deliver).
    Stdout,
    Webhook(WebhookSink),
    Exec(ExecSink),
}

impl Sink {
    /// The stable name that keys this sink's rows in the state database
    /// and names it in errors and `--history`, e.g. `stdout`,
    /// `webhook:https://hooks.example.com/…#3f2a9c1e5b7d`, `exec:notify.sh`.
    /// Changing a sink's URL or command therefore makes it a new sink that
    /// has taken nothing yet.
    pub fn name(&self) -> String {
        match self {
            Sink::Stdout => "stdout".to_owned(),
            Sink::Webhook(w) => webhook_name(&w.url),
            Sink::Exec(e) => format!("exec:{}", e.command),
        }
    }

    /// The longest one delivery to this sink can take before it gives up:
    /// every attempt timing out, with the pauses between them. A concurrent
    /// run waits at least this long for our lock (see the `state` module).
    pub(crate) fn worst_case(&self) -> Duration {
        match self {
            // A pipe whose reader stalls can block for ever; there is no
            // bound to give, and the state's margin covers a slow terminal.
            Sink::Stdout => Duration::ZERO,
            Sink::Webhook(w) => {
                let attempts = w.retries.saturating_add(1);
                let pauses: Duration = (1..attempts)
                    .map(|retry| w.retry_delay(retry, Some(MAX_RETRY_DELAY)))
                    .sum();
                w.timeout.saturating_mul(attempts).saturating_add(pauses)
            }
            Sink::Exec(e) => e.timeout,
        }
    }
}

/// The name of the webhook at `url`: scheme, host and port, then the first
/// 12 hex digits of the sha256 of the whole URL. Webhook URLs carry their
/// secret in the path or query (Slack's `/services/T…/B…/<token>`, a
/// `?key=`), and the name ends up in the state database, in `--history`
/// and in error messages pasted into CI logs; the hash keeps two webhooks
/// of one host apart without storing the secret.
pub fn webhook_name(url: &str) -> String {
    let hash = &super::sha256_hex(url.as_bytes())[..12];
    let origin = url
        .parse::<ureq::http::Uri>()
        .ok()
        .and_then(|u| {
            let host = u.host()?.to_owned();
            let port = u.port_u16().map(|p| format!(":{p}")).unwrap_or_default();
            Some(format!("{}://{host}{port}", u.scheme_str()?))
        })
        .unwrap_or_default();
    format!("webhook:{origin}/…#{hash}")
}

/// An HTTP POST of each message to `url`.
#[derive(Debug, Clone)]
pub struct WebhookSink {
    pub url: String,
    /// `whsec_<base64>`: when set, requests are signed per Standard Webhooks.
    pub secret: Option<String>,
    /// The budget of one attempt, from connecting to reading the response.
    pub timeout: Duration,
    /// Attempts after the first, on connection errors, timeouts, 408, 429
    /// and 5xx.
    pub retries: u32,
    /// The pause before the first retry; it doubles for each later one, up
    /// to [`MAX_RETRY_DELAY`].
    pub backoff: Duration,
}

impl WebhookSink {
    /// A sink with the defaults: 15 s per attempt (the lower end of the
    /// Standard Webhooks recommendation), 3 retries, 1 s first back-off.
    pub fn new(url: impl Into<String>) -> WebhookSink {
        WebhookSink {
            url: url.into(),
            secret: None,
            timeout: Duration::from_secs(15),
            retries: 3,
            backoff: Duration::from_secs(1),
        }
    }

    /// The pause before retry number `retry` (1-based): the doubled back-off,
    /// or the server's `Retry-After` when that is longer, capped.
    fn retry_delay(&self, retry: u32, retry_after: Option<Duration>) -> Duration {
        let doubled = self
            .backoff
            .saturating_mul(2u32.saturating_pow(retry.saturating_sub(1)));
        doubled
            .max(retry_after.unwrap_or(Duration::ZERO))
            .min(MAX_RETRY_DELAY)
    }
}

/// A command run with `sh -c`, the message on its stdin followed by a
/// newline, and its id in `CLAIMDIFF_FINGERPRINT`.
#[derive(Debug, Clone)]
pub struct ExecSink {
    pub command: String,
    /// After this the command is killed and the message counts as refused.
    pub timeout: Duration,
}

impl ExecSink {
    /// A sink with a 60 s timeout.
    pub fn new(command: impl Into<String>) -> ExecSink {
        ExecSink {
            command: command.into(),
            timeout: Duration::from_secs(60),
        }
    }
}

/// One message as every sink sees it.
pub(crate) struct Message<'a> {
    /// The idempotency id: `webhook-id`, `CLAIMDIFF_FINGERPRINT`.
    pub id: &'a str,
    /// The exact bytes sent (and hashed into the state).
    pub body: &'a [u8],
}

/// A sink checked and ready to send: secrets parsed, one HTTP agent reused
/// for the run.
pub(crate) enum Ready<'a> {
    Stdout,
    Webhook {
        sink: &'a WebhookSink,
        name: String,
        key: Option<SigningKey>,
        agent: ureq::Agent,
    },
    Exec {
        sink: &'a ExecSink,
        name: String,
    },
}

impl<'a> Ready<'a> {
    /// Checks what can be checked before anything is sent: the secret and
    /// the URL of a webhook, the command of an exec sink.
    pub(crate) fn prepare(sink: &'a Sink) -> Result<Ready<'a>, AlertError> {
        let name = sink.name();
        let invalid = |reason: String| AlertError::InvalidSink {
            sink: name.clone(),
            reason,
        };
        match sink {
            Sink::Stdout => Ok(Ready::Stdout),
            Sink::Webhook(w) => {
                let key = match &w.secret {
                    Some(secret) => Some(SigningKey::parse(secret).map_err(|e| match e {
                        AlertError::InvalidSecret { reason } => {
                            invalid(format!("webhook secret: {reason}"))
                        }
                        other => other,
                    })?),
                    None => None,
                };
                let uri: ureq::http::Uri = w
                    .url
                    .parse()
                    .map_err(|e| invalid(format!("not a URL: {e}")))?;
                if !matches!(uri.scheme_str(), Some("http" | "https")) || uri.host().is_none() {
                    return Err(invalid("expected an http:// or https:// URL".to_owned()));
                }
                if w.timeout.is_zero() {
                    return Err(invalid("the timeout must be above zero".to_owned()));
                }
                let agent = ureq::Agent::config_builder()
                    .timeout_global(Some(w.timeout))
                    // We judge the status ourselves: 2xx accepted, some
                    // failures retried, and a redirect is a failure (the
                    // spec: update the URL rather than follow it).
                    .http_status_as_error(false)
                    .max_redirects(0)
                    .user_agent(concat!("claimdiff/", env!("CARGO_PKG_VERSION")))
                    .build()
                    .new_agent();
                Ok(Ready::Webhook {
                    sink: w,
                    name,
                    key,
                    agent,
                })
            }
            Sink::Exec(e) => {
                if e.command.trim().is_empty() {
                    return Err(invalid("the command is empty".to_owned()));
                }
                if e.timeout.is_zero() {
                    return Err(invalid("the timeout must be above zero".to_owned()));
                }
                Ok(Ready::Exec { sink: e, name })
            }
        }
    }

    /// Sends one message; `Ok` means the sink accepted it.
    pub(crate) fn send(&self, msg: &Message<'_>, stdout: &mut dyn Write) -> Result<(), AlertError> {
        match self {
            Ready::Stdout => stdout
                .write_all(msg.body)
                .and_then(|()| stdout.write_all(b"\n"))
                .and_then(|()| stdout.flush())
                .map_err(|source| AlertError::Stdout { source }),
            Ready::Webhook {
                sink,
                name,
                key,
                agent,
            } => post(sink, name, key.as_ref(), agent, msg),
            Ready::Exec { sink, name } => exec(sink, name, msg),
        }
    }
}

/// What one HTTP attempt came to.
enum Attempt {
    Accepted,
    /// Worth another attempt, after at least this long if the server said so.
    Retry(AlertError, Option<Duration>),
    Refused(AlertError),
}

fn post(
    sink: &WebhookSink,
    name: &str,
    key: Option<&SigningKey>,
    agent: &ureq::Agent,
    msg: &Message<'_>,
) -> Result<(), AlertError> {
    let attempts = sink.retries.saturating_add(1);
    let mut attempt = 1;
    loop {
        match post_once(sink, name, key, agent, msg, attempt)? {
            Attempt::Accepted => return Ok(()),
            Attempt::Refused(e) => return Err(e),
            Attempt::Retry(e, _) if attempt >= attempts => return Err(e),
            Attempt::Retry(_, retry_after) => {
                std::thread::sleep(sink.retry_delay(attempt, retry_after));
                attempt += 1;
            }
        }
    }
}

fn post_once(
    sink: &WebhookSink,
    name: &str,
    key: Option<&SigningKey>,
    agent: &ureq::Agent,
    msg: &Message<'_>,
    attempt: u32,
) -> Result<Attempt, AlertError> {
    // Per attempt: the spec's timestamp is that of the attempt, and a
    // receiver rejects one older than its tolerance (5 minutes).
    let timestamp = chrono::Utc::now().timestamp();
    let mut request = agent
        .post(&sink.url)
        .header("content-type", "application/json")
        .header("webhook-id", msg.id)
        .header("webhook-timestamp", timestamp.to_string());
    if let Some(key) = key {
        request = request.header("webhook-signature", key.sign(msg.id, timestamp, msg.body)?);
    }
    match request.send(msg.body) {
        Ok(mut response) => {
            let status = response.status().as_u16();
            let retry_after = response
                .headers()
                .get("retry-after")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.trim().parse::<u64>().ok())
                .map(Duration::from_secs);
            // Read (a bounded part of) the body either way, so that the
            // server sees the exchange through and the error can quote it.
            let mut text = String::new();
            let _ = response
                .body_mut()
                .as_reader()
                .take(ERROR_BODY_LIMIT)
                .read_to_string(&mut text);
            if (200..300).contains(&status) {
                return Ok(Attempt::Accepted);
            }
            let err = AlertError::HttpStatus {
                sink: name.to_owned(),
                status,
                attempts: attempt,
                body: text.trim().to_owned(),
            };
            // 408 and 429 ask to come back later; other 4xx (and 3xx, which
            // we do not follow) will not change by retrying.
            Ok(if status >= 500 || status == 408 || status == 429 {
                Attempt::Retry(err, retry_after)
            } else {
                Attempt::Refused(err)
            })
        }
        Err(source) => {
            let retry = matches!(
                source,
                ureq::Error::Io(_)
                    | ureq::Error::Timeout(_)
                    | ureq::Error::ConnectionFailed
                    | ureq::Error::HostNotFound
                    | ureq::Error::Protocol(_)
            );
            let err = AlertError::Http {
                sink: name.to_owned(),
                attempts: attempt,
                source: Box::new(source),
            };
            Ok(if retry {
                Attempt::Retry(err, None)
            } else {
                Attempt::Refused(err)
            })
        }
    }
}

fn exec(sink: &ExecSink, name: &str, msg: &Message<'_>) -> Result<(), AlertError> {
    let spawn_err = |source| AlertError::ExecSpawn {
        sink: name.to_owned(),
        source,
    };
    let mut child = Command::new("sh")
        .arg("-c")
        .arg(&sink.command)
        .env("CLAIMDIFF_FINGERPRINT", msg.id)
        .stdin(Stdio::piped())
        .stdout(child_stdout())
        .stderr(Stdio::inherit())
        .spawn()
        .map_err(spawn_err)?;
    // Write from another thread: a command that does not read its stdin
    // must not block us once the pipe is full, and the timeout must hold.
    let mut stdin = child.stdin.take().expect("stdin was piped");
    // Newline-terminated, so that a command appending its input to a log
    // (`cat >> alerts.jsonl`) writes one JSON document a line.
    let mut body = Vec::with_capacity(msg.body.len() + 1);
    body.extend_from_slice(msg.body);
    body.push(b'\n');
    let writer = std::thread::spawn(move || {
        // A command may exit without reading its input (`exit 0`); its exit
        // status, not a broken pipe, says whether it took the message.
        let _ = stdin.write_all(&body);
    });
    let deadline = Instant::now() + sink.timeout;
    let status = loop {
        match child.try_wait().map_err(spawn_err)? {
            Some(status) => break status,
            None if Instant::now() >= deadline => {
                let _ = child.kill();
                let _ = child.wait();
                let _ = writer.join();
                return Err(AlertError::ExecTimeout {
                    sink: name.to_owned(),
                    timeout: sink.timeout,
                });
            }
            None => std::thread::sleep(Duration::from_millis(5)),
        }
    };
    let _ = writer.join();
    if status.success() {
        Ok(())
    } else {
        Err(AlertError::ExecStatus {
            sink: name.to_owned(),
            status: status.to_string(),
        })
    }
}

/// The command's stdout goes to our stderr, as git does for hooks: our
/// stdout may carry the stdout sink's JSON lines, which it must not mix into.
fn child_stdout() -> Stdio {
    #[cfg(unix)]
    {
        use std::os::fd::AsFd as _;
        if let Ok(fd) = std::io::stderr().as_fd().try_clone_to_owned() {
            return Stdio::from(fd);
        }
    }
    Stdio::null()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sink(retries: u32, backoff_ms: u64) -> WebhookSink {
        WebhookSink {
            retries,
            backoff: Duration::from_millis(backoff_ms),
            timeout: Duration::from_secs(2),
            ..WebhookSink::new("http://127.0.0.1/x")
        }
    }

    #[test]
    fn back_off_doubles_honours_retry_after_and_is_capped() {
        let s = sink(5, 100);
        let ms = |d: Duration| d.as_millis();
        let delays: Vec<_> = (1..=4).map(|r| ms(s.retry_delay(r, None))).collect();
        assert_eq!(delays, [100, 200, 400, 800]);
        assert_eq!(ms(s.retry_delay(1, Some(Duration::from_secs(3)))), 3000);
        assert_eq!(s.retry_delay(30, None), MAX_RETRY_DELAY);
        assert_eq!(
            s.retry_delay(1, Some(Duration::from_secs(3600))),
            MAX_RETRY_DELAY
        );
    }

    #[test]
    fn worst_case_covers_every_attempt_and_pause() {
        // 3 attempts of 2 s, pauses of at most MAX_RETRY_DELAY each (a
        // Retry-After may stretch them that far).
        let w = Sink::Webhook(sink(2, 100)).worst_case();
        assert_eq!(w, Duration::from_secs(6) + MAX_RETRY_DELAY * 2);
        assert_eq!(
            Sink::Exec(ExecSink::new("true")).worst_case(),
            Duration::from_secs(60)
        );
        assert_eq!(Sink::Stdout.name(), "stdout");
        assert_eq!(
            Sink::Webhook(WebhookSink::new("http://127.0.0.1:8080/x")).name(),
            "webhook:http://127.0.0.1:8080/…#a4b751e7ed9c"
        );
        assert_eq!(
            Sink::Exec(ExecSink::new("notify.sh")).name(),
            "exec:notify.sh"
        );
    }
}

#[cfg(test)]
mod name_tests {
    use super::*;

    #[test]
    fn webhook_names_keep_the_origin_and_hide_the_secret() {
        let url = "https://user:pw@hooks.slack.com/services/T000/B000/XXXXSECRET?token=abc";
        let name = webhook_name(url);
        assert!(
            name.starts_with("webhook:https://hooks.slack.com/…#"),
            "{name}"
        );
        for secret in ["XXXXSECRET", "token", "abc", "user", "pw", "services"] {
            assert!(!name.contains(secret), "{name} shows {secret}");
        }
        // Two hooks of one host stay two sinks; one URL is always one name.
        assert_ne!(
            name,
            webhook_name("https://hooks.slack.com/services/T000/B000/OTHER")
        );
        assert_eq!(name, webhook_name(url));
        // Not a URL (refused later by `prepare`): still a name, no text of it.
        assert!(webhook_name("not a url secret").starts_with("webhook:/…#"));
    }
}
