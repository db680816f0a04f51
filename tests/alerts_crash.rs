//! The SIGKILL crash test of issue 7: kill the deliverer at random moments
//! while it posts to a local webhook, restart it until it completes, and
//! count per alert what the receiver saw. Nothing may be lost; a duplicate
//! is allowed only for the one alert in flight at each kill, and it carries
//! the same `webhook-id`.
//!
//! It drives the real `claimdiff alert --webhook` on a generated corpus in
//! which each of ten entities' annual reports drops one item. Set
//! `CLAIMDIFF_CRASH_SEED` to replay a run.

mod support;

use std::os::unix::process::ExitStatusExt as _;
use std::path::Path;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use support::{Mode, Receiver};

const TRIALS: usize = 100;
const ALERTS: usize = 10;
/// Kills per trial at most; the run after the last one completes.
const MAX_KILLS: u32 = 3;
const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

fn deliverer() -> &'static Path {
    Path::new(env!("CARGO_BIN_EXE_claimdiff"))
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
        // Ten entities whose 2021 report drops one item of 2020's: ten alerts.
        let root = dir.path();
        for i in 0..ALERTS {
            let e = root.join(format!("statements/{name}-e{i:02}"));
            std::fs::create_dir_all(&e).unwrap();
            let v = |year: u32, items: &str| {
                format!(
                    "+++\ndate = \"{}\"\nkind = \"annual-report\"\nseries = \"annual-report\"\nperiod = {year}\n+++\n{items}",
                    year + 1
                )
            };
            std::fs::write(
                e.join("ar-2020.md"),
                v(
                    2020,
                    &format!("- Police project in district {i}\n- Cloud revenue grew\n"),
                ),
            )
            .unwrap();
            std::fs::write(e.join("ar-2021.md"), v(2021, "- Cloud revenue grew\n")).unwrap();
        }
        std::fs::create_dir_all(root.join("rules")).unwrap();
        std::fs::write(root.join("rules/d.toml"), "[[rule]]\nid = \"drops\"\nkind = \"dropped-disclosure\"\n[rule.series]\nseries = [\"annual-report\"]\n").unwrap();
        // The alert set, as a stdout run with a state of its own sees it.
        let out = Command::new(deliverer())
            .current_dir(root)
            .args(["alert", "--state", "expected.db"])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let fingerprints: Vec<String> = String::from_utf8_lossy(&out.stdout)
            .lines()
            .map(|l| {
                serde_json::from_str::<serde_json::Value>(l).unwrap()["fingerprint"]
                    .as_str()
                    .unwrap()
                    .to_string()
            })
            .collect();
        assert_eq!(fingerprints.len(), ALERTS);
        Trial { dir, fingerprints }
    }

    fn spawn(&self, url: &str) -> Child {
        Command::new(deliverer())
            .current_dir(self.dir.path())
            .args(["alert", "--webhook", url, "--retries", "0"])
            .env("CLAIMDIFF_WEBHOOK_SECRET", SECRET)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn claimdiff alert")
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
    // At least TRIALS trials, and more until enough kills landed: on a
    // loaded machine the kill moments drift, and a run with few kills would
    // prove little.
    let mut trials = 0;
    while trials < TRIALS || (kills < TRIALS as u32 / 3 && trials < 4 * TRIALS) {
        let trial = trials;
        trials += 1;
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
        "{trials} trials, {kills} kills, {} requests in {:.1?}",
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
    assert_eq!(server.count_by_id().len(), (trials + 1) * ALERTS);
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
