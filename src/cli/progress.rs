//! Progress on stderr for long loads: shown only when stderr is a terminal
//! and the run has lasted over a second, never on stdout.

use crate::corpus::Progress;
use std::io::IsTerminal;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

pub struct ProgressBar {
    stop: Arc<AtomicBool>,
    handle: Option<JoinHandle<()>>,
}

impl ProgressBar {
    pub fn start(p: Arc<Progress>) -> ProgressBar {
        let stop = Arc::new(AtomicBool::new(false));
        if !std::io::stderr().is_terminal() {
            return ProgressBar { stop, handle: None };
        }
        let s = stop.clone();
        let handle = std::thread::spawn(move || {
            let t0 = Instant::now();
            let mut bar: Option<indicatif::ProgressBar> = None;
            while !s.load(Ordering::Relaxed) {
                std::thread::sleep(Duration::from_millis(100));
                if t0.elapsed() < Duration::from_secs(1) {
                    continue;
                }
                let b = bar.get_or_insert_with(|| {
                    let b =
                        indicatif::ProgressBar::new(p.total_bytes.load(Ordering::Relaxed).max(1));
                    b.set_style(
                        indicatif::ProgressStyle::with_template(
                            "{spinner} checking {bytes}/{total_bytes} ({bytes_per_sec}) {msg}",
                        )
                        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
                    );
                    b
                });
                b.set_length(p.total_bytes.load(Ordering::Relaxed).max(1));
                b.set_position(p.bytes.load(Ordering::Relaxed));
                b.set_message(format!(
                    "{} statements",
                    p.statements.load(Ordering::Relaxed)
                ));
            }
            if let Some(b) = bar {
                b.finish_and_clear();
            }
        });
        ProgressBar {
            stop,
            handle: Some(handle),
        }
    }

    pub fn finish(mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(h) = self.handle.take() {
            let _ = h.join();
        }
    }
}
