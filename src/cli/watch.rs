//! `claimdiff watch`: re-run `alert` whenever a statement or rule file is
//! added or changed. File events come from the `notify` crate (inotify
//! here), or from polling where events are not available (`--poll`, network
//! file systems); bursts are debounced into one run. Ctrl-C stops between
//! runs; a run cut short is safe anyway, since deliveries are recorded only
//! after a sink accepted them.

use super::{Ctx, exit};
use std::process::ExitCode;
#[cfg(feature = "watch")]
use std::sync::Arc;
#[cfg(feature = "watch")]
use std::sync::atomic::{AtomicBool, Ordering};
#[cfg(feature = "watch")]
use std::time::{Duration, Instant};

#[derive(clap::Args, Debug)]
#[command(after_help = "\
Example:
  claimdiff watch --webhook https://hooks.example.org/claimdiff

Runs `alert` once at start, then after every change to the corpus or the rules.")]
pub struct Args {
    #[command(flatten)]
    alert: super::alert::Args,
    /// Poll for changes instead of using file-system events
    #[arg(long)]
    poll: bool,
    /// Milliseconds without further changes before a run starts
    #[arg(long, default_value_t = 500, value_name = "MS")]
    debounce: u64,
    /// Seconds between scans with --poll
    #[arg(long, default_value_t = 2, value_name = "SECS")]
    interval: u64,
}

#[cfg(feature = "watch")]
fn log(msg: &str) {
    eprintln!(
        "[{}] {msg}",
        chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ")
    );
}

#[cfg(feature = "watch")]
pub fn run(ctx: &Ctx, a: Args) -> ExitCode {
    use notify::{RecursiveMode, Watcher};
    let stop = Arc::new(AtomicBool::new(false));
    {
        let stop = stop.clone();
        if let Err(e) = ctrlc::set_handler(move || stop.store(true, Ordering::SeqCst)) {
            eprintln!("error: cannot install the Ctrl-C handler: {e}");
            return ExitCode::from(exit::BAD_INPUT);
        }
    }
    let (tx, rx) = std::sync::mpsc::channel::<notify::Result<notify::Event>>();
    let mut watcher: Box<dyn Watcher> = if a.poll {
        let cfg =
            notify::Config::default().with_poll_interval(Duration::from_secs(a.interval.max(1)));
        match notify::PollWatcher::new(tx, cfg) {
            Ok(w) => Box::new(w),
            Err(e) => {
                eprintln!("error: cannot poll: {e}");
                return ExitCode::from(exit::BAD_INPUT);
            }
        }
    } else {
        match notify::recommended_watcher(tx.clone()) {
            Ok(w) => Box::new(w),
            Err(e) => {
                log(&format!(
                    "file-system events unavailable ({e}); polling every {}s",
                    a.interval
                ));
                let cfg = notify::Config::default()
                    .with_poll_interval(Duration::from_secs(a.interval.max(1)));
                match notify::PollWatcher::new(tx, cfg) {
                    Ok(w) => Box::new(w),
                    Err(e) => {
                        eprintln!("error: cannot poll: {e}");
                        return ExitCode::from(exit::BAD_INPUT);
                    }
                }
            }
        }
    };
    for dir in [&ctx.corpus, &ctx.rules] {
        if let Err(e) = watcher.watch(dir, RecursiveMode::Recursive) {
            eprintln!("error: cannot watch {}: {e}", dir.display());
            return ExitCode::from(exit::BAD_INPUT);
        }
    }
    log(&format!(
        "watching {} and {} (Ctrl-C to stop)",
        ctx.corpus.display(),
        ctx.rules.display()
    ));
    let mut runs = 0u64;
    let mut pending = true; // run once at start
    let mut last_event = Instant::now() - Duration::from_secs(3600);
    let debounce = Duration::from_millis(a.debounce);
    while !stop.load(Ordering::SeqCst) {
        match rx.recv_timeout(Duration::from_millis(100)) {
            Ok(Ok(ev)) => {
                // Reads (access events) change nothing; the state database
                // lives outside the watched folders by default.
                if !matches!(ev.kind, notify::EventKind::Access(_)) {
                    pending = true;
                    last_event = Instant::now();
                }
            }
            Ok(Err(e)) => log(&format!("watch error: {e}")),
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {}
            Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => break,
        }
        if pending && last_event.elapsed() >= debounce {
            pending = false;
            runs += 1;
            log(&format!("run {runs}: alert"));
            let code = super::alert::status(ctx, a.alert.clone());
            log(&format!("run {runs} finished: exit code {code}"));
        }
    }
    log(&format!("stopped after {runs} run(s)"));
    ExitCode::from(exit::SUCCESS)
}

#[cfg(not(feature = "watch"))]
pub fn run(_ctx: &Ctx, _a: Args) -> ExitCode {
    eprintln!("error: this claimdiff was built without the `watch` feature");
    ExitCode::from(exit::BAD_INPUT)
}
