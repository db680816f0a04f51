//! The SIGKILL crash test of issue 7: kill the deliverer at random moments
//! while it posts to a local webhook, restart it until it completes, and
//! count per alert what the receiver saw. Nothing may be lost; a duplicate
//! is allowed only for the one alert in flight at each kill, and it carries
//! the same `webhook-id`.
//!
//! It drives `examples/alert_deliver.rs` (the delivery half of `claimdiff
//! alert`); the binary is built by `cargo` on first use. Set
//! `CLAIMDIFF_CRASH_SEED` to replay a run.

mod support;

use std::os::unix::process::ExitStatusExt as _;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use support::{Mode, Receiver};

const TRIALS: usize = 100;
const ALERTS: usize = 10;
/// Kills per trial at most; the run after the last one completes.
const MAX_KILLS: u32 = 3;
const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

/// Builds the example with the profile of this test and returns its path,
/// as cargo reports it (so `CARGO_TARGET_DIR` and the like are honoured).
fn deliverer() -> &'static Path {
    static BIN: OnceLock<PathBuf> = OnceLock::new();
    BIN.get_or_init(|| {
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
        let mut cmd = Command::new(cargo);
        // Cargo runs this test with variables about our package set; a build
        // script that watches one (ring's watches `CARGO_MANIFEST_DIR`)
        // would see it change and rebuild, and so would the next
        // `cargo test`, every time. Build as from a plain shell instead.
        for (name, _) in std::env::vars_os() {
            let name = name.to_string_lossy();
            let per_package = ["CARGO_PKG_", "CARGO_BIN_EXE_"]
                .iter()
                .any(|p| name.starts_with(p))
                || [
                    "CARGO_MANIFEST_DIR",
                    "CARGO_MANIFEST_PATH",
                    "CARGO_CRATE_NAME",
                    "CARGO_PRIMARY_PACKAGE",
                    "CARGO_TARGET_TMPDIR",
                    "CARGO_RUSTC_CURRENT_DIR",
                    "OUT_DIR",
                ]
                .contains(&name.as_ref());
            if per_package {
                cmd.env_remove(name.as_ref());
            }
        }
        cmd.args([
            "build",
            "--example",
            "alert_deliver",
            "--message-format=json",
        ])
        .args([
            "--manifest-path",
            concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.toml"),
        ])
        .stderr(Stdio::inherit());
        if !cfg!(debug_assertions) {
            cmd.arg("--release");
        }
        let out = cmd.output().expect("run cargo");
        assert!(
            out.status.success(),
            "cargo build --example alert_deliver failed"
        );
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
            .filter(|m| m["target"]["name"] == "alert_deliver")
            .find_map(|m| m["executable"].as_str().map(PathBuf::from))
            .expect("cargo names the example's executable")
    })
}

/// A small xorshift generator: reproducible from its seed, no dependency.
struct Rng(u64);

impl Rng {
    fn seeded() -> Rng {
        let seed = std::env::var("CLAIMDIFF_CRASH_SEED")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| {
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .unwrap()
                    .as_nanos() as u64
            });
        println!("CLAIMDIFF_CRASH_SEED={seed}");
        Rng(seed | 1)
    }

    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

struct Trial {
    dir: tempfile::TempDir,
    fingerprints: Vec<String>,
}

impl Trial {
    fn new(name: &str) -> Trial {
        // The state on tmpfs when there is one: a SIGKILL loses nothing the
        // kernel already holds, so `fsync` is beside the point here, and on
        // a busy disk it costs ~15 ms a commit, which would make 100 trials
        // take minutes.
        let shm = Path::new("/dev/shm");
        let dir = if shm.is_dir() {
            tempfile::tempdir_in(shm)
        } else {
            tempfile::tempdir()
        }
        .unwrap();
        let fingerprints: Vec<String> = (0..ALERTS).map(|i| format!("{name}-a{i:02}")).collect();
        let lines: String = fingerprints
            .iter()
            .map(|fp| {
                let alert = serde_json::json!({
                    "fingerprint": fp,
                    "entity": "hikvision",
                    "dropped": [{"text": format!("item of {fp}")}],
                });
                format!("{alert}\n")
            })
            .collect();
        std::fs::write(dir.path().join("alerts.jsonl"), lines).unwrap();
        Trial { dir, fingerprints }
    }

    fn spawn(&self, url: &str) -> Child {
        Command::new(deliverer())
            .arg("--alerts")
            .arg(self.dir.path().join("alerts.jsonl"))
            .arg("--state")
            .arg(self.dir.path().join(".claimdiff/state.db"))
            .args(["--webhook", url])
            .env("CLAIMDIFF_WEBHOOK_SECRET", SECRET)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn alert_deliver")
    }
}

fn finish(child: Child) -> (ExitStatus, String) {
    let out = child.wait_with_output().unwrap();
    (
        out.status,
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn sigkill_at_random_moments_loses_nothing_and_duplicates_only_in_flight_alerts() {
    let started = Instant::now();
    let server = Receiver::start();
    // A few ms per request, so that kills land mid-request as well.
    server.set_mode(Mode::Slow(Duration::from_millis(3)));
    let mut rng = Rng::seeded();

    // One clean run sets the scale of the random kill moments (the build,
    // if any, happens before it).
    deliverer();
    let calibration = Trial::new("calibration");
    let t0 = Instant::now();
    let (status, stderr) = finish(calibration.spawn(&server.url()));
    assert!(status.success(), "{stderr}");
    let full_run = t0.elapsed();
    println!("one clean run: {full_run:.1?}");

    let (mut lost, mut duplicated, mut kills) = (0usize, 0usize, 0u32);
    for trial in 0..TRIALS {
        let t = Trial::new(&format!("t{trial:03}"));
        let mut trial_kills = 0;
        let mut runs = 0;
        loop {
            runs += 1;
            assert!(runs < 20, "trial {trial} did not complete");
            let mut child = t.spawn(&server.url());
            if trial_kills < MAX_KILLS && rng.below(4) != 0 {
                // Anywhere from before the first request to after the last.
                let window = full_run.as_micros() as u64 * 5 / 4;
                std::thread::sleep(Duration::from_micros(rng.below(window)));
                // `kill` is SIGKILL on Unix.
                let _ = child.kill();
            }
            let (status, stderr) = finish(child);
            if status.signal() == Some(9) {
                trial_kills += 1;
                continue;
            }
            assert!(status.success(), "trial {trial}: {status}: {stderr}");
            break;
        }

        let counts = server.count_by_id();
        let mut trial_dups = 0;
        for fp in &t.fingerprints {
            match counts.get(fp).copied().unwrap_or(0) {
                0 => lost += 1,
                n => trial_dups += n - 1,
            }
        }
        assert!(
            trial_dups <= trial_kills as usize,
            "trial {trial}: {trial_dups} duplicates from {trial_kills} kills: {counts:?}"
        );
        duplicated += trial_dups;
        kills += trial_kills;
    }

    println!(
        "{TRIALS} trials, {kills} kills, {} requests in {:.1?}",
        server.requests().len(),
        started.elapsed()
    );
    println!("lost: {lost}, duplicated: {duplicated}");
    assert_eq!(lost, 0);
    assert!(duplicated <= kills as usize);
    // Every request, including the duplicates, is a valid signed message.
    let now = support::unix_now();
    for request in server.requests() {
        assert_eq!(support::verify(SECRET, &request, now), Ok(()));
    }
    // Dropping repeated `webhook-id`s leaves exactly the alerts.
    assert_eq!(server.count_by_id().len(), (TRIALS + 1) * ALERTS);
    assert!(kills >= TRIALS as u32 / 3, "too few kills landed: {kills}");
}

#[test]
fn two_processes_at_once_deliver_each_alert_once() {
    let server = Receiver::start();
    server.set_mode(Mode::Slow(Duration::from_millis(2)));
    for round in 0..8 {
        let t = Trial::new(&format!("pair{round}"));
        let a = t.spawn(&server.url());
        let b = t.spawn(&server.url());
        for (status, stderr) in [finish(a), finish(b)] {
            assert!(status.success(), "round {round}: {stderr}");
        }
    }
    let counts = server.count_by_id();
    assert_eq!(counts.len(), 8 * ALERTS);
    assert!(counts.values().all(|&n| n == 1), "{counts:?}");
}
