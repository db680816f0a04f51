//! Issue 5, part 7: the union of `check --shard K/N` runs, joined by
//! `claimdiff merge`, is byte-identical to a single run.
//!
//! The corpus is generated here, in a temp dir, so that it is large enough
//! for every shard to hold work: 300 statements over 50 entities, with
//! subsidiaries (one of them two levels down), statements `about` another
//! entity's group, Markdown files next to a bulk JSONL file, annual-report
//! series, and rules of every kind (flag, `{entity}` flag, contradiction in
//! both orders, reversal, dropped-disclosure).

use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;

const ENTITIES: usize = 50;
const STATEMENTS: usize = 300;

/// A tiny deterministic generator (xorshift64*), so the corpus is the same
/// on every run and no dependency is needed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[self.below(xs.len())]
    }
}

const RULES: &str = r#"
[[rule]]
id = "hedged-denial"
kind = "flag"
severity = "medium"
[rule.claim]
speaker_roles = ["entity", "agent"]
pattern = '\bnever knowingly\b'

[[rule]]
id = "neutral-claim"
kind = "flag"
severity = "low"
topics = ["climate"]
[rule.claim]
pattern = '{entity} is carbon neutral'

[[rule]]
id = "labour-denial"
kind = "contradiction"
severity = "high"
order = "any"
topics = ["labour"]
[rule.claim]
speaker_roles = ["entity"]
pattern = ['\bnever knowingly\b', '从未使用强迫劳动']
[rule.evidence]
speaker_roles = ["third-party", "government"]
pattern = '\bforced labou?r was documented\b'

[[rule]]
id = "known-before"
kind = "contradiction"
severity = "critical"
order = "evidence-first"
window = "3y"
[rule.claim]
speaker_roles = ["entity"]
pattern = '\bnever knowingly\b'
[rule.evidence]
kinds = ["contract", "tender", "leaked-document", "investigation"]
pattern = '\bforced labou?r\b'
not = ['\bno forced labou?r\b']

[[rule]]
id = "stopped-buying"
kind = "reversal"
severity = "medium"
window = "5y"
[rule.earlier]
speaker_roles = ["entity"]
pattern = '\bnever knowingly bought\b'
[rule.later]
speaker_roles = ["entity"]
pattern = '\bstopped buying\b'

[[rule]]
id = "dropped-projects"
kind = "dropped-disclosure"
severity = "medium"
watch = ['Xinjiang']
[rule.series]
series = ["annual-report"]
"#;

const FILLER: &[&str] = &[
    "Revenue grew in the fourth quarter.",
    "The board met twice this year.",
    "Our suppliers are audited every year.",
    "Shipments were delayed by weather.",
    "The plant in Ohio employs 400 people.",
    "We expect margins to stay flat.",
    "Dr. Lee joined the board in 2019.",
    "Prices rose 3.5 percent in the U.S. market.",
];
const CLAIMS: &[&str] = &[
    "We have never knowingly used forced labour.",
    "The company never knowingly bought cobalt from those mines.",
    "我们从未使用强迫劳动。",
];
const EVIDENCE: &[&str] = &[
    "Forced labour was documented at a supplier in 2019.",
    "Inspectors said forced labor was documented at two sites.",
    "The contract lists forced labour quotas for the camp.",
    "The auditors found no forced labour at the site.",
];
const LATER: &[&str] = &["We stopped buying from those mines last year."];
const PROJECTS: &[&str] = &[
    "Xinjiang police surveillance project",
    "Urumqi safe city project",
    "Ohio data centre",
    "Lagos port upgrade",
    "Lima metro signalling",
    "Xinjiang Pishan PPP project",
];
const TOPICS: &[&str] = &["labour", "climate", "xinjiang", "supply-chain"];

fn entity_id(i: usize) -> String {
    format!("e{i:02}")
}

fn date(rng: &mut Rng) -> String {
    let y = 2015 + rng.below(10);
    match rng.below(3) {
        0 => format!("{y}"),
        1 => format!("{y}-{:02}", 1 + rng.below(12)),
        _ => format!("{y}-{:02}-{:02}", 1 + rng.below(12), 1 + rng.below(28)),
    }
}

/// Writes the corpus and the rules under `dir`; returns how many
/// statements are `about` another entity (each may be checked in two
/// shards).
fn generate(dir: &Path) -> usize {
    let st = dir.join("statements");
    std::fs::create_dir_all(dir.join("rules")).unwrap();
    std::fs::write(dir.join("rules/rules.toml"), RULES).unwrap();
    let mut rng = Rng(0x5eed_0005);
    for i in 0..ENTITIES {
        let d = st.join(entity_id(i));
        std::fs::create_dir_all(&d).unwrap();
        let mut t = format!("name = \"Entity {i:02} Corp\"\n");
        if i % 3 == 0 {
            writeln!(t, "aliases = [\"E{i:02}\"]").unwrap();
        }
        // e10..e19 are subsidiaries of e00..e09; e20 is e10's (two levels).
        if (10..20).contains(&i) {
            writeln!(t, "parent = \"{}\"", entity_id(i - 10)).unwrap();
        } else if i == 20 {
            writeln!(t, "parent = \"e10\"").unwrap();
        }
        std::fs::write(d.join("entity.toml"), t).unwrap();
    }

    let mut bulk = String::new();
    let mut abouts = 0;
    for n in 0..STATEMENTS {
        let e = rng.below(ENTITIES);
        let (kind, role) = match rng.below(6) {
            0 => ("press-release", "entity"),
            1 => ("statement", "entity"),
            2 => ("media-report", "third-party"),
            3 => ("investigation", "third-party"),
            4 => ("contract", "entity"),
            _ => ("government-action", "government"),
        };
        let mut body: Vec<String> = (0..1 + rng.below(4))
            .map(|_| rng.pick(FILLER).to_string())
            .collect();
        if role == "entity" && rng.chance(30) {
            body.insert(rng.below(body.len() + 1), rng.pick(CLAIMS).to_string());
        }
        if rng.chance(30) {
            body.insert(rng.below(body.len() + 1), rng.pick(EVIDENCE).to_string());
        }
        if role == "entity" && rng.chance(10) {
            body.push(rng.pick(LATER).to_string());
        }
        if rng.chance(8) {
            body.push(format!("Entity {e:02} Corp is carbon neutral."));
        }
        if rng.chance(4) {
            body.push(format!("E{e:02} is carbon neutral."));
        }
        let text = body.join(" ");
        let date = date(&mut rng);
        let topics: Vec<&str> = if rng.chance(30) {
            vec![]
        } else {
            vec![rng.pick(TOPICS)]
        };
        let about = rng.chance(10).then(|| entity_id(rng.below(ENTITIES)));
        abouts += usize::from(about.is_some());
        let stem = format!("s{n:03}");
        if n % 2 == 0 {
            let mut fm = format!(
                "+++\ndate = \"{date}\"\nkind = \"{kind}\"\nspeaker_role = \"{role}\"\nsource = \"Source {n}\"\n"
            );
            if !topics.is_empty() {
                writeln!(fm, "topics = [\"{}\"]", topics.join("\", \"")).unwrap();
            }
            if let Some(a) = &about {
                writeln!(fm, "about = [\"{a}\"]").unwrap();
            }
            fm.push_str("+++\n");
            std::fs::write(
                st.join(entity_id(e)).join(format!("{stem}.md")),
                format!("{fm}{text}\n"),
            )
            .unwrap();
        } else {
            let mut v = serde_json::json!({
                "id": format!("{}/{stem}", entity_id(e)),
                "entity": entity_id(e),
                "date": date,
                "kind": kind,
                "speaker_role": role,
                "source": format!("Source {n}"),
                "text": text,
            });
            if !topics.is_empty() {
                v["topics"] = serde_json::json!(topics);
            }
            if let Some(a) = about {
                v["about"] = serde_json::json!([a]);
            }
            writeln!(bulk, "{v}").unwrap();
        }
    }
    std::fs::write(st.join("bulk.jsonl"), bulk).unwrap();

    // Annual-report series for every third entity: each year drops or adds
    // a project now and then.
    for e in (0..ENTITIES).step_by(3) {
        let mut items: Vec<&str> = PROJECTS
            .iter()
            .copied()
            .filter(|_| rng.chance(70))
            .collect();
        for year in 2018..2023 {
            let body: String = items.iter().map(|i| format!("- {i}\n")).collect();
            let fm = format!(
                "+++\ndate = \"{}\"\nkind = \"annual-report\"\nseries = \"annual-report\"\nperiod = {year}\nspeaker_role = \"entity\"\nsource = \"Annual report {year}\"\n+++\n",
                year + 1
            );
            std::fs::write(
                st.join(entity_id(e))
                    .join(format!("annual-report-{year}.md")),
                format!("{fm}{body}"),
            )
            .unwrap();
            if !items.is_empty() && rng.chance(50) {
                items.remove(rng.below(items.len()));
            }
            if rng.chance(30) {
                items.push(rng.pick(PROJECTS));
            }
        }
    }
    abouts
}

fn claimdiff(dir: &Path, args: &[&str]) -> Vec<u8> {
    let o = Command::new(env!("CARGO_BIN_EXE_claimdiff"))
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .args(["--corpus", "statements", "--rules", "rules"])
        .args(args)
        .output()
        .expect("run claimdiff");
    assert_eq!(
        o.status.code(),
        Some(0),
        "claimdiff {args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    o.stdout
}

#[test]
fn union_of_shards_equals_single_run() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    generate(dir);
    let single = claimdiff(dir, &["check", "--format", "jsonl"]);
    let text = String::from_utf8(single.clone()).unwrap();

    // The corpus exercises every rule, so an equality below means something.
    for rule in [
        "hedged-denial",
        "neutral-claim",
        "labour-denial",
        "known-before",
        "stopped-buying",
        "dropped-projects",
    ] {
        assert!(
            text.contains(&format!("\"rule\":\"{rule}\"")),
            "no finding of {rule} in the single run:\n{text}"
        );
    }
    let lines = text.lines().count();
    assert!(lines > 50, "only {lines} findings");
    // Some pairs cross entities (a subsidiary with its parent, or through
    // `about`): the cases where a shard boundary could cut a pair.
    let crossing = text
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .filter(|v| {
            let e = |p: &str| v.pointer(p).and_then(|x| x.as_str()).map(str::to_owned);
            let (a, b) = (
                e("/claim/entity").or(e("/earlier/entity")),
                e("/evidence/entity").or(e("/later/entity")),
            );
            a.is_some() && b.is_some() && a != b
        })
        .count();
    assert!(crossing > 5, "only {crossing} findings pair two entities");

    for n in [1, 3, 7] {
        let mut parts = Vec::new();
        let mut nonempty = 0;
        for k in 1..=n {
            let out = claimdiff(
                dir,
                &["check", "--shard", &format!("{k}/{n}"), "--format", "jsonl"],
            );
            nonempty += usize::from(!out.is_empty());
            let p = dir.join(format!("part-{k}-of-{n}.jsonl"));
            std::fs::write(&p, out).unwrap();
            parts.push(p.file_name().unwrap().to_string_lossy().into_owned());
        }
        if n > 1 {
            assert!(nonempty > 1, "{n} shards: all findings fell in one shard");
        }
        let mut args = vec!["merge"];
        args.extend(parts.iter().map(String::as_str));
        let merged = claimdiff(dir, &args);
        if merged != single {
            let m = String::from_utf8_lossy(&merged);
            let only_single: Vec<&str> = text.lines().filter(|l| !m.contains(l)).take(5).collect();
            let only_merged: Vec<&str> = m.lines().filter(|l| !text.contains(l)).take(5).collect();
            panic!(
                "{n} shards merged differ from the single run ({} vs {} lines)\nonly in single: {only_single:#?}\nonly in merged: {only_merged:#?}",
                m.lines().count(),
                lines
            );
        }
    }
}

/// Merging drops the findings two shards share, so a part given twice (the
/// same file, or a copy of it) would pass unseen: it is refused.
#[test]
fn merge_refuses_a_part_given_twice() {
    let dir = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_claimdiff"))
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .args(args)
            .output()
            .unwrap()
    };
    let part = |k: &str| {
        let o = run(&["check", "--shard", &format!("{k}/2"), "--format", "jsonl"]);
        assert!(o.status.success());
        let p = dir.path().join(format!("part{k}.jsonl"));
        std::fs::write(&p, o.stdout).unwrap();
        p.to_string_lossy().into_owned()
    };
    let (one, two) = (part("1"), part("2"));
    let copy = dir.path().join("copy.jsonl").to_string_lossy().into_owned();
    // A copy of a part with findings (an empty part may well equal another).
    let full = if std::fs::metadata(&one).unwrap().len() > 0 {
        &one
    } else {
        &two
    };
    assert!(std::fs::metadata(full).unwrap().len() > 0);
    std::fs::copy(full, &copy).unwrap();
    assert!(run(&["merge", &one, &two]).status.success());
    for args in [["merge", &one, &one], ["merge", full, &copy]] {
        let o = run(&args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert!(String::from_utf8_lossy(&o.stderr).contains("same part"));
    }
}

/// `stats.statements` of `check --format json` with these arguments.
fn statements_checked(dir: &Path, args: &[&str]) -> u64 {
    let mut all = vec!["check", "--format", "json"];
    all.extend(args);
    let v: serde_json::Value = serde_json::from_slice(&claimdiff(dir, &all)).unwrap();
    v["stats"]["statements"].as_u64().expect("stats.statements")
}

/// Audit: `check --shard K/N` said it checked the whole corpus ("in 41
/// statement(s)") whatever the shard held. A shard counts the statements
/// about its entity groups: over all shards, each statement once, or once
/// per shard of the groups it is `about`.
#[test]
fn shard_counts_only_its_statements() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let abouts = generate(dir) as u64;
    let total = statements_checked(dir, &[]);
    assert!(total >= STATEMENTS as u64, "{total}");
    for n in [1u64, 3, 7] {
        let counts: Vec<u64> = (1..=n)
            .map(|k| statements_checked(dir, &["--shard", &format!("{k}/{n}")]))
            .collect();
        let sum: u64 = counts.iter().sum();
        if n == 1 {
            assert_eq!(sum, total);
        } else {
            assert!(
                counts.iter().all(|&c| c < total),
                "{n} shards: {counts:?} of {total}"
            );
            assert!(
                (total..=total + abouts).contains(&sum),
                "{n} shards: {counts:?} add up to {sum}, expected {total} to {}",
                total + abouts
            );
        }
    }
}

/// The same through the table a user reads, on the bundled corpus: its
/// one entity group falls in one shard of three, and the other two checked
/// nothing.
#[test]
fn shard_table_summary_counts_only_its_statements() {
    let run = |args: &[&str]| {
        let o = Command::new(env!("CARGO_BIN_EXE_claimdiff"))
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .env("NO_COLOR", "1")
            .args(args)
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(0), "{args:?}");
        (
            String::from_utf8(o.stdout).unwrap(),
            String::from_utf8(o.stderr).unwrap(),
        )
    };
    let (single, _) = run(&["check"]);
    let last = single.lines().last().unwrap();
    let total: usize = last
        .split(" in ")
        .nth(1)
        .and_then(|t| t.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no count in {last:?}"));
    assert!(total > 10, "{last}");
    let rules = last.rsplit(", ").next().unwrap();
    let mut empty = 0;
    for k in 1..=3 {
        let (out, err) = run(&["check", "--shard", &format!("{k}/3")]);
        let last = out.lines().last().unwrap();
        if out.starts_with("No findings") {
            empty += 1;
            assert_eq!(last, format!("No findings in 0 statement(s) with {rules}"));
            assert!(
                err.contains(&format!(
                    "shard {k}/3 checked 0 of the corpus's {total} statement(s)"
                )),
                "{err}"
            );
        } else {
            assert!(
                last.ends_with(&format!(" in {total} statement(s), {rules}")),
                "{last}"
            );
            assert!(
                err.contains(&format!(
                    "shard {k}/3 checked {total} of the corpus's {total} statement(s)"
                )),
                "{err}"
            );
        }
    }
    assert_eq!(empty, 2, "one shard holds the one entity group");
}
