//! `claimdiff alert`: deliver new findings (by default dropped disclosures)
//! to each sink exactly once; `--history` lists what went where.

use super::{Ctx, diag, exit};
use crate::alerts::{DeliveryOptions, ExecSink, Sink, StateDb, WebhookSink, deliver};
use crate::config::{Config, project_dir};
use crate::corpus::DateRange;
use crate::engine::{CheckOptions, alerts_from, check, narrow_alert};
use crate::rules::RuleKind;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(clap::Args, Debug, Clone)]
// No arg group: `watch` flattens these arguments into its own.
#[group(skip)]
#[command(after_help = "\
Sinks (several at once; stdout when none is given):
  --webhook URL   HTTP POST of each alert's JSON; signed per Standard Webhooks when
                  CLAIMDIFF_WEBHOOK_SECRET=whsec_<base64> is set; retried with back-off
  --exec CMD      runs `sh -c CMD` with the JSON and a newline on stdin
                  (CLAIMDIFF_FINGERPRINT set)
Each sink is sent an alert once: deliveries are recorded in SQLite only after the sink
accepted them (HTTP 2xx, exit 0); a failed sink gets its alerts again on the next run.

Examples:
  claimdiff alert
  claimdiff alert --webhook https://hooks.example.org/claimdiff --exec ./notify.sh
  claimdiff alert --history

Exit codes: 0 every sink took its alerts; 3 a sink failed (named on stderr); 2 bad input.")]
pub struct Args {
    /// POST alerts to this URL (repeatable)
    #[arg(long, value_name = "URL")]
    webhook: Vec<String>,
    /// Pipe each alert to this shell command (repeatable)
    #[arg(long, value_name = "CMD")]
    exec: Vec<String>,
    /// Also print alerts on stdout when other sinks are given
    #[arg(long)]
    stdout: bool,
    /// Alert on these finding kinds [default: dropped-disclosure]
    #[arg(long, value_delimiter = ',', value_name = "KINDS")]
    kinds: Vec<String>,
    /// Only filings (or claims) dated on or after this date
    #[arg(long, value_name = "DATE", value_parser = super::parse_date_arg)]
    since: Option<DateRange>,
    /// One message per sink and run instead of one per alert
    #[arg(long)]
    digest: bool,
    /// Delivery state database [default: `state` in claimdiff.toml (relative to that file),
    /// else .claimdiff/state.db in the folder that holds the corpus folder]
    #[arg(long, value_name = "PATH")]
    state: Option<PathBuf>,
    /// List what was delivered, where and when, and exit
    #[arg(long)]
    history: bool,
    /// Webhook timeout per attempt, in seconds
    #[arg(long, default_value_t = 15, value_name = "SECS")]
    timeout: u64,
    /// Webhook retries after the first attempt
    #[arg(long, default_value_t = 3, value_name = "N")]
    retries: u32,
}

pub fn run(ctx: &Ctx, a: Args) -> ExitCode {
    ExitCode::from(status(ctx, a))
}

/// One `alert` run; its exit status as a number, which `watch` logs.
pub fn status(ctx: &Ctx, a: Args) -> u8 {
    let state_path = match state_path(ctx, &a) {
        Ok(p) => p,
        Err(code) => return code,
    };
    let mut kinds = Vec::new();
    for k in if a.kinds.is_empty() {
        vec!["dropped-disclosure".to_string()]
    } else {
        a.kinds.clone()
    } {
        match RuleKind::parse(&k) {
            Some(k) => kinds.push(k),
            None => {
                eprintln!(
                    "error: unknown finding kind `{k}`; expected flag, contradiction, reversal or dropped-disclosure"
                );
                return exit::BAD_INPUT;
            }
        }
    }
    // Everything that can be wrong with the input is found before the state
    // is opened or anything is sent.
    let secret = std::env::var("CLAIMDIFF_WEBHOOK_SECRET")
        .ok()
        .filter(|s| !s.is_empty());
    let mut sinks = Vec::new();
    if a.stdout || (a.webhook.is_empty() && a.exec.is_empty()) {
        sinks.push(Sink::Stdout);
    }
    for url in &a.webhook {
        let mut w = WebhookSink::new(url.clone());
        w.secret = secret.clone();
        w.timeout = std::time::Duration::from_secs(a.timeout.max(1));
        w.retries = a.retries;
        sinks.push(Sink::Webhook(w));
    }
    for cmd in &a.exec {
        sinks.push(Sink::Exec(ExecSink::new(cmd.clone())));
    }
    if a.history {
        return history(&state_path);
    }
    let rules = match ctx.load_rules_or_report_all() {
        Ok(r) => r,
        // The problems are printed; loading fails only as bad input.
        Err(_) => return exit::BAD_INPUT,
    };
    // Without a rule of a kind asked for, the run can only ever deliver
    // nothing, and "0 delivered" would read as "nothing new".
    for kind in &kinds {
        if !rules.rules.iter().any(|r| r.kind == *kind) {
            let how = match kind {
                RuleKind::DroppedDisclosure => {
                    "README, \"Disclosure series\"; `claimdiff init` scaffolds one"
                }
                _ => "README, \"Write a rule with a test\"",
            };
            eprintln!(
                "note: no {} rule in {}, so there is nothing to alert on; add one ({how})",
                kind.as_str(),
                ctx.rules.display()
            );
        }
    }
    let corpus = match ctx.load_corpus() {
        Ok(c) => c,
        // The problems are printed; loading fails only as bad input.
        Err(_) => return exit::BAD_INPUT,
    };
    let out = check(
        &corpus,
        &rules,
        &CheckOptions {
            kinds: kinds.clone(),
            ..Default::default()
        },
    );
    // As `check` and `lint` refuse it: a rule whose `entities` names no
    // entity selects nothing, so its alerts would never come, silently.
    // Refused before the state is opened: nothing sent, nothing recorded.
    let known: Vec<&str> = out.entities.iter().map(String::as_str).collect();
    let unknown = rules.unknown_entities(&known);
    if !unknown.is_empty() {
        diag::report_all(&unknown);
        return exit::BAD_INPUT;
    }
    let alerts = alerts_from(&out.findings, &kinds, a.since.as_ref());
    // Run from the wrong folder, or with another --state, a run starts a
    // history of its own and sends everything again: say so before it does.
    if !alerts.is_empty() && !state_path.exists() {
        eprintln!(
            "note: no delivery history at {} yet: every pending alert is new",
            state_path.display()
        );
    }
    let state = match StateDb::open(&state_path) {
        Ok(s) => s,
        Err(e) => return fail_state(e),
    };
    let stdout = std::io::stdout();
    let mut lock = stdout.lock();
    let outcomes = match deliver(
        &alerts,
        &sinks,
        &state,
        &mut lock,
        &DeliveryOptions {
            digest: a.digest,
            narrow: Some(narrow_alert),
        },
    ) {
        Ok(o) => o,
        Err(e) => {
            eprintln!("error: {}", with_causes(&e));
            return exit::BAD_INPUT;
        }
    };
    let mut failed = false;
    for o in &outcomes {
        eprintln!(
            "{}: {} delivered, {} already delivered, {} failed",
            o.sink, o.delivered, o.already, o.failed
        );
        if let Some(e) = &o.error {
            failed = true;
            // The error names the sink already; its causes say why (the
            // OS error of a refused connection, the command's status).
            eprintln!(
                "error: {}; its {} alert(s) stay pending for the next run",
                with_causes(e),
                o.failed
            );
        }
    }
    if failed {
        exit::DELIVERY_FAILED
    } else {
        exit::SUCCESS
    }
}

/// Where the delivery state is kept: `--state`; else `state` in the
/// claimdiff.toml read at start, relative to that file; else `state` in
/// the project's claimdiff.toml (the project holds the corpus folder) when
/// the run started in another folder; else `.claimdiff/state.db` in the
/// project. Not the current folder: run from elsewhere with `--corpus`, a
/// fresh history there would send every alert again.
fn state_path(ctx: &Ctx, a: &Args) -> Result<PathBuf, u8> {
    if let Some(p) = &a.state {
        return Ok(p.clone());
    }
    if let Some(p) = &ctx.config.state {
        return Ok(ctx.config.resolve(p));
    }
    let project = project_dir(&ctx.corpus);
    let elsewhere = !project.as_os_str().is_empty();
    if elsewhere && ctx.config.dir.as_ref() != Some(&project) {
        match Config::load(&project) {
            Ok(Config { state: Some(p), .. }) => return Ok(project.join(p)),
            Ok(_) => {}
            Err(d) => {
                diag::report_all(&[d]);
                return Err(exit::BAD_INPUT);
            }
        }
    }
    let path = project.join(DEFAULT_STATE);
    // Until this release the default was the current folder's: a history
    // kept there by runs from this folder is still read rather than
    // starting over (and sending everything again), and the user told
    // where it now belongs.
    let legacy = Path::new(DEFAULT_STATE);
    if elsewhere && !path.exists() && legacy.exists() {
        eprintln!(
            "note: reading the delivery history at {}, where claimdiff kept it before it moved \
             beside the corpus; copy it to {} (or pass --state) to use that one",
            legacy.display(),
            path.display()
        );
        return Ok(legacy.to_path_buf());
    }
    Ok(path)
}

/// The state's place in the project when nothing else names one.
const DEFAULT_STATE: &str = ".claimdiff/state.db";

/// `--history`: one line per delivery, oldest first, reading the state
/// without writing to it (no file is created where there is none).
fn history(state_path: &std::path::Path) -> u8 {
    let rows = match StateDb::open_read_only(state_path) {
        Ok(Some(state)) => match state.history() {
            Ok(rows) => rows,
            Err(e) => return fail_state(e),
        },
        Ok(None) => Vec::new(),
        Err(e) => return fail_state(e),
    };
    for r in &rows {
        let subject = if r.subject.is_empty() {
            "(subject not recorded)"
        } else {
            &r.subject
        };
        println!(
            "{}  {}  {subject}  fingerprint {}  payload sha256 {}",
            r.delivered_at, r.sink, r.fingerprint, r.payload_sha256
        );
    }
    if rows.is_empty() {
        eprintln!("nothing delivered yet ({})", state_path.display());
    }
    exit::SUCCESS
}

fn fail_state(e: crate::alerts::AlertError) -> u8 {
    eprintln!("error: {}\n  nothing was sent", with_causes(&e));
    exit::BAD_INPUT
}

/// `e` and its causes, `: `-separated, as anyhow's `{:#}` prints them
/// (library errors do not repeat their source; see `AlertError`). A cause
/// whose text its parent already shows is left out.
fn with_causes(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        let t = c.to_string();
        if !text.contains(&t) {
            text.push_str(": ");
            text.push_str(&t);
        }
        cause = c.source();
    }
    text
}
