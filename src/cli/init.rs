//! `claimdiff init DIR`: a new corpus that `check` and `test` run clean on.

use super::{Ctx, exit};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Folder to create the corpus in (created if missing; existing files are never overwritten)
    #[arg(default_value = ".")]
    dir: PathBuf,
}

const ENTITY: &str = r#"# The company this folder's statements are about.
name = "Example Corp"
aliases = ["Example Corporation", "ExCorp"]
# parent = "example-holdings"   # a subsidiary pairs with its parent's statements
"#;

const CLAIM: &str = r#"+++
date = "2024-03"                 # YYYY, YYYY-MM or YYYY-MM-DD: the precision the source gives
kind = "press-release"
speaker = "Example Corp"
speaker_role = "entity"          # entity | agent | third-party | government
source = "Example Corp press release (example)"
topics = ["supply-chain"]
note = "An example statement made up by `claimdiff init`; replace it with real, verbatim quotes."
+++
Example Corp has never knowingly sourced materials from suppliers using forced labour.
"#;

const EVIDENCE: &str = r#"+++
date = "2023-11"
kind = "investigation"
speaker = "Example Watchdog"
speaker_role = "third-party"
source = "Example Watchdog investigation (example)"
topics = ["supply-chain"]
note = "An example made up by `claimdiff init`."
+++
Audit records show Example Corp was warned in 2022 that two of its suppliers used forced labour.
"#;

const RULE: &str = r#"# A rule file holds one or more [[rule]]. Patterns are Rust regex syntax,
# written as TOML literal strings ('...') so backslashes stay as written.

[[rule]]
id = "knowledge-denial"
kind = "contradiction"
severity = "high"
description = "The company says it did not know; evidence dated before the claim says it was told."
order = "evidence-first"          # evidence-first | claim-first | any
message = "{entity} denied knowing ({claim_date}); {evidence_source} ({evidence_date}) says otherwise"

[rule.claim]
speaker_roles = ["entity", "agent"]
pattern = '\b(never|not|did not|didn.t)\b.{0,40}\bknowingly\b'

[rule.evidence]
speaker_roles = ["third-party", "government"]
pattern = ['\bwarned\b', '\binformed\b', '\baware\b']

[[rule.test]]
claim = "We have never knowingly used forced labour."
evidence = "The company was warned about forced labour in 2022."
expect = "finding"

[[rule.test]]
claim = { text = "We have never knowingly used forced labour.", date = "2021" }
evidence = { text = "The company was warned about forced labour.", date = "2023" }
expect = "none"    # evidence-first: this warning came after the claim
"#;

const CONFIG: &str = r#"# claimdiff project settings; every field is optional.
corpus = "statements"
rules = "rules"
# state = ".claimdiff/state.db"    # alert delivery history

[review]                            # who publishes ClaimReview output
# author = "Your Newsroom"
# url = "https://example.org"
"#;

fn write_new(path: &Path, text: &str, created: &mut Vec<PathBuf>) -> std::io::Result<()> {
    if let Some(p) = path.parent() {
        std::fs::create_dir_all(p)?;
    }
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)?;
    std::io::Write::write_all(&mut f, text.as_bytes())?;
    created.push(path.to_path_buf());
    Ok(())
}

pub fn run(_ctx: &Ctx, a: Args) -> ExitCode {
    let files = [
        ("statements/example-corp/entity.toml", ENTITY),
        ("statements/example-corp/2024-03-press-release.md", CLAIM),
        (
            "statements/example-corp/2023-11-watchdog-investigation.md",
            EVIDENCE,
        ),
        ("rules/denials.toml", RULE),
        ("claimdiff.toml", CONFIG),
    ];
    for (p, _) in &files {
        if a.dir.join(p).exists() {
            eprintln!(
                "error: {} already exists; `init` never overwrites (choose an empty folder)",
                a.dir.join(p).display()
            );
            return ExitCode::from(exit::BAD_INPUT);
        }
    }
    let mut created = Vec::new();
    for (p, t) in files {
        if let Err(e) = write_new(&a.dir.join(p), t, &mut created) {
            eprintln!("error: {}: {e}", a.dir.join(p).display());
            for c in &created {
                let _ = std::fs::remove_file(c);
            }
            return ExitCode::from(exit::BAD_INPUT);
        }
    }
    for c in &created {
        println!("created {}", c.display());
    }
    println!(
        "\nNext: cd {} && claimdiff test && claimdiff check",
        a.dir.display()
    );
    ExitCode::from(exit::SUCCESS)
}
