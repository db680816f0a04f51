//! `claimdiff init DIR`: a new corpus that `check`, `test` and `alert` show
//! working: a contradiction (a denial and the earlier warning) and a
//! dropped disclosure (two annual reports, the later one silent on an
//! item), each with the rule that finds it.
//!
//! `init` only ever starts a corpus: a folder that already holds one is
//! refused, since the made-up company would otherwise be mixed into real
//! findings, reports and alerts.

use super::{Ctx, exit};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Folder to create the corpus in (created if missing; refused if it already holds a corpus)
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
message = "{entity} denied knowing ({claim_dates}); {evidence_source} ({evidence_dates}) says otherwise"

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

const REPORT_2022: &str = r#"+++
date = "2023-03"
kind = "annual-report"
series = "annual-report"         # versions of one document: same entity and series,
period = 2022                    # ordered by period
speaker = "Example Corp"
speaker_role = "entity"
source = "Example Corp 2022 Annual Report (example)"
topics = ["supply-chain"]
note = "An example made up by `claimdiff init`."
+++
## Supply chain

- We audited 40 suppliers in 2022.
- Two suppliers in Region X were suspended in 2022 after audits found forced labour.
- All suppliers sign our code of conduct.
"#;

const REPORT_2023: &str = r#"+++
date = "2024-03"
kind = "annual-report"
series = "annual-report"
period = 2023
speaker = "Example Corp"
speaker_role = "entity"
source = "Example Corp 2023 Annual Report (example)"
topics = ["supply-chain"]
note = "An example made up by `claimdiff init`: the 2022 report's suspension item is gone."
+++
## Supply chain

- We audited 40 suppliers in 2023.
- All suppliers sign our code of conduct.
"#;

const DISCLOSURE_RULE: &str = r#"# What a periodic document stopped saying: `check` reports it, and
# `alert` (and `watch`, and a cron job) sends it to your sinks once.

[[rule]]
id = "dropped-disclosure"
kind = "dropped-disclosure"
severity = "medium"
description = "An item one version of a series carried and the next one left out."
message = "{entity}: \"{item}\" was disclosed in the {from} version and is absent from the {to} version"
watch = ['forced labou?r']        # drops matching these are raised one step (medium -> high)
threshold = 0.6                   # similarity at or above which a reworded item is "changed"
volatile = ['\b20\d\d\b']          # masked before comparing, so a new year is not a change

[rule.series]                     # which series are compared: here every periodic one
kinds = ["annual-report", "interim-report", "esg-report"]
# series = ["annual-report"]      # or only series of these names

[[rule.test]]
from = "- We audited 40 suppliers.\n- Two suppliers were suspended for forced labour.\n"
to = "- We audited 40 suppliers.\n"
expect = "finding"

[[rule.test]]
# the same items in another order: nothing dropped
from = "- We audited 40 suppliers.\n- Two suppliers were suspended for forced labour.\n"
to = "- Two suppliers were suspended for forced labour.\n- We audited 40 suppliers.\n"
expect = "none"
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

/// What in `dir` shows it already holds a corpus: a `statements/` or
/// `rules/` folder with anything in it, or a `claimdiff.toml`. Empty.
fn existing_corpus(dir: &Path) -> Vec<String> {
    let mut found = Vec::new();
    for folder in ["statements", "rules"] {
        let path = dir.join(folder);
        if path.is_dir() {
            let entries = std::fs::read_dir(&path).map_or(0, |d| d.count());
            if entries > 0 {
                found.push(format!("{folder}/ ({entries} entr{})", plural_y(entries)));
            }
        } else if path.exists() {
            found.push(folder.to_owned());
        }
    }
    if dir.join("claimdiff.toml").exists() {
        found.push("claimdiff.toml".to_owned());
    }
    found
}

fn plural_y(n: usize) -> &'static str {
    if n == 1 { "y" } else { "ies" }
}

pub fn run(_ctx: &Ctx, a: Args) -> ExitCode {
    let found = existing_corpus(&a.dir);
    if !found.is_empty() {
        eprintln!(
            "error: {} already holds a corpus ({}); nothing was written\n  \
             `init` starts a new corpus and would mix its made-up Example Corp into yours.\n  \
             To start afresh, choose a new folder: claimdiff init NEW_FOLDER\n  \
             To add a company here, create statements/<entity>/ yourself (README, \"Add a statement\").",
            a.dir.display(),
            found.join(", ")
        );
        return ExitCode::from(exit::BAD_INPUT);
    }
    let files = [
        ("statements/example-corp/entity.toml", ENTITY),
        ("statements/example-corp/2024-03-press-release.md", CLAIM),
        (
            "statements/example-corp/2023-11-watchdog-investigation.md",
            EVIDENCE,
        ),
        ("statements/example-corp/annual-report-2022.md", REPORT_2022),
        ("statements/example-corp/annual-report-2023.md", REPORT_2023),
        ("rules/denials.toml", RULE),
        ("rules/disclosures.toml", DISCLOSURE_RULE),
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
    let cd = if a.dir == Path::new(".") {
        String::new()
    } else {
        format!("cd {} && ", a.dir.display())
    };
    println!("\nNext: {cd}claimdiff test && claimdiff check && claimdiff alert");
    // The example is made up: delivered to a real webhook it would read as
    // a real finding about a company.
    println!(
        "Before alerting a real webhook or channel: remove the made-up example \
         (rm -r statements/example-corp), then `claimdiff alert` sends only your sources' alerts."
    );
    ExitCode::from(exit::SUCCESS)
}
