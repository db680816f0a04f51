//! Issue 6, hardening: a catalogue of bad inputs driven through the built
//! binary, keep-going behaviour, resource limits, end-to-end properties,
//! and the regression inputs kept from fuzzing (`fuzz/regressions/`).
//!
//! Every bad input is checked the same way (`Fx::refused`): `lint`,
//! `check` and `alert` each exit 2, print the exact diagnostic
//! (message, `file:line:col`, hint), print nothing on stdout, and leave the
//! folder exactly as it was: no state database, no report, no statement.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

#[path = "../fuzz/props.rs"]
mod props;

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_claimdiff"));
    c.env("NO_COLOR", "1").env("COLUMNS", "100");
    c
}

fn out(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn err(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

const OK: &[u8] = b"+++\ndate = \"2021\"\nkind = \"other\"\n+++\nx marks the spot.\n";
const FLAG_X: &str = "[[rule]]\nid = \"f\"\nkind = \"flag\"\n[rule.claim]\npattern = 'x'\n";

/// A project folder: `statements/acme/ok.md` (which a rule flags) and
/// `rules/r.toml`, plus whatever a case adds.
struct Fx {
    dir: tempfile::TempDir,
}

impl Fx {
    fn new() -> Fx {
        let fx = Fx {
            dir: tempfile::tempdir().unwrap(),
        };
        fx.file("statements/acme/ok.md", OK);
        fx.file("rules/r.toml", FLAG_X.as_bytes());
        fx
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn file(&self, rel: &str, bytes: &[u8]) -> &Fx {
        let p = self.path().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
        self
    }

    fn run(&self, args: &[&str]) -> Output {
        bin()
            .current_dir(self.path())
            .args(args)
            .output()
            .expect("run claimdiff")
    }

    /// Every file and folder under the project, with size and content.
    fn tree(&self) -> BTreeMap<PathBuf, Option<Vec<u8>>> {
        fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<PathBuf, Option<Vec<u8>>>) {
            for e in std::fs::read_dir(dir).unwrap().flatten() {
                let p = e.path();
                let rel = p.strip_prefix(root).unwrap().to_path_buf();
                let meta = std::fs::symlink_metadata(&p).unwrap();
                if meta.is_dir() {
                    out.insert(rel, None);
                    walk(root, &p, out);
                } else if meta.is_file() && meta.len() < (1 << 20) {
                    out.insert(rel, std::fs::read(&p).ok());
                } else {
                    // Links, FIFOs, huge sparse files: present, not read.
                    out.insert(rel, Some(meta.len().to_le_bytes().to_vec()));
                }
            }
        }
        let mut m = BTreeMap::new();
        walk(self.path(), self.path(), &mut m);
        m
    }

    /// `lint`, `check --format jsonl` and `alert` all refuse the input:
    /// exit 2, empty stdout, every `want` on stderr, nothing written.
    /// Returns lint's stderr.
    fn refused(&self, want: &[&str]) -> String {
        let before = self.tree();
        let mut lint = String::new();
        for args in [&["lint"][..], &["check", "--format", "jsonl"], &["alert"]] {
            let o = self.run(args);
            let e = err(&o);
            assert_eq!(
                o.status.code(),
                Some(2),
                "{args:?}\nstdout: {}\nstderr: {e}",
                out(&o)
            );
            assert_eq!(out(&o), "", "{args:?} printed on stdout; stderr: {e}");
            for w in want {
                assert!(e.contains(w), "{args:?}: missing\n{w}\n--- in stderr:\n{e}");
            }
            if args[0] == "lint" {
                lint = e;
            } else {
                assert!(e.contains("nothing was checked"), "{args:?}: {e}");
            }
            assert_eq!(self.tree(), before, "{args:?} wrote or changed a file");
        }
        assert!(!self.path().join(".claimdiff").exists());
        lint
    }
}

/// The head of a rendered diagnostic: message and location.
fn at(msg: &str, loc: &str) -> String {
    format!("error: {msg}\n  --> {loc}\n")
}

// ---------------------------------------------------------------------
// The catalogue: one test per class of bad input.
// ---------------------------------------------------------------------

#[test]
fn c01_malformed_toml_front_matter() {
    let fx = Fx::new();
    fx.file(
        "statements/acme/bad.md",
        b"+++\ndate = \"2021\"\nkind = other\n+++\nx\n",
    );
    fx.refused(&[
        &at(
            "invalid TOML in front matter: string values must be quoted, expected literal string",
            "statements/acme/bad.md:3:8",
        ),
        "3 | kind = other\n  |        ^\n",
        "= hint: values are quoted: kind = \"press-release\"; lists use brackets: topics = [\"a\", \"b\"]",
    ]);
}

#[test]
fn c02_yaml_front_matter() {
    let fx = Fx::new();
    fx.file(
        "statements/acme/yaml.md",
        b"---\ndate: 2021\nkind: other\n---\nx\n",
    );
    fx.refused(&[
        &at("YAML front matter (`---`) is not supported", "statements/acme/yaml.md:1:1"),
        "= hint: claimdiff reads TOML front matter between `+++` lines: replace both `---` lines with `+++` and write fields as key = \"value\"",
    ]);
}

#[test]
fn c03_front_matter_never_closed() {
    let fx = Fx::new();
    fx.file(
        "statements/acme/open.md",
        b"+++\ndate = \"2021\"\nkind = \"other\"\nThe text.\n",
    );
    fx.refused(&[
        &at(
            "the front matter opened by `+++` on line 1 is never closed",
            "statements/acme/open.md:1:1",
        ),
        "= hint: add a line with only +++ after the last field, before the statement's text",
    ]);
}

#[test]
fn c04_missing_date() {
    let fx = Fx::new();
    fx.file(
        "statements/acme/nodate.md",
        b"+++\nkind = \"other\"\n+++\nx\n",
    );
    fx.refused(&[
        &at("missing required field `date`", "statements/acme/nodate.md:1:1"),
        "= hint: add e.g. date = \"2021-04\" (YYYY, YYYY-MM or YYYY-MM-DD: the precision the source gives)",
    ]);
}

#[test]
fn c05_impossible_dates() {
    let fx = Fx::new();
    fx.file(
        "statements/acme/feb30.md",
        b"+++\ndate = \"2021-02-30\"\nkind = \"other\"\n+++\nx\n",
    );
    fx.file(
        "statements/acme/m13.md",
        b"+++\nkind = \"other\"\ndate = \"2021-13\"\n+++\nx\n",
    );
    fx.file(
        "statements/acme/words.md",
        b"+++\nkind = \"other\"\ndate = \"May 2021\"\n+++\nx\n",
    );
    fx.refused(&[
        &at(
            "`2021-02-30` is not a calendar date: February 2021 has 28 days",
            "statements/acme/feb30.md:2:1",
        ),
        &at(
            "`2021-13` is not a date: month 13 does not exist (01 to 12)",
            "statements/acme/m13.md:3:1",
        ),
        &at(
            "`May 2021` is not a date: the year must be 4 digits (expected YYYY, YYYY-MM or YYYY-MM-DD)",
            "statements/acme/words.md:3:1",
        ),
    ]);
}

#[test]
fn c06_event_date_after_date() {
    let fx = Fx::new();
    fx.file(
        "statements/acme/event.md",
        b"+++\ndate = \"2021-04\"\nkind = \"contract\"\nevent_date = \"2021-05-02\"\n+++\nx\n",
    );
    // Overlapping intervals are not "after": a year's event in one of its months loads.
    fx.file(
        "statements/acme/overlap.md",
        b"+++\ndate = \"2021-04\"\nkind = \"contract\"\nevent_date = \"2021\"\n+++\nx\n",
    );
    let e = fx.refused(&[
        &at(
            "`event_date` 2021-05-02 is after `date` 2021-04: a statement cannot report a fact that happened after it was published",
            "statements/acme/event.md:4:1",
        ),
        "= hint: event_date is when the underlying fact happened (a contract signed before it leaked)",
    ]);
    assert!(!e.contains("overlap.md"), "{e}");
}

#[test]
fn c07_unknown_kind_and_speaker_role_suggest_the_nearest() {
    let fx = Fx::new();
    fx.file(
        "statements/acme/kind.md",
        b"+++\ndate = \"2021\"\nkind = \"pressrelease\"\nspeaker_role = \"thirdparty\"\n+++\nx\n",
    );
    fx.refused(&[
        &at(
            "unknown kind `pressrelease` (did you mean `press-release`?); expected one of: annual-report, interim-report, esg-report, filing, prospectus, court-filing, press-release, press-reply, statement, speech, interview, testimony, earnings-call, advertisement, website, social-post, contract, tender, recording, leaked-document, investigation, media-report, government-action, academic, other",
            "statements/acme/kind.md:3:1",
        ),
        &at(
            "unknown speaker_role `thirdparty` (did you mean `third-party`?); expected one of: entity, agent, third-party, government",
            "statements/acme/kind.md:4:1",
        ),
    ]);
}

#[test]
fn c08_unknown_front_matter_field_suggests_the_nearest() {
    let fx = Fx::new();
    fx.file(
        "statements/acme/field.md",
        b"+++\ndate = \"2021\"\nkind = \"other\"\n  topcis = [\"a\"]\n+++\nx\n",
    );
    fx.refused(&[
        "error: unknown field `topcis`; expected one of: id, entity, date, event_date, kind,",
        "(did you mean `topics`?)\n  --> statements/acme/field.md:4:3\n",
    ]);
}

#[test]
fn c09_duplicate_id_across_a_tree_and_a_jsonl_file() {
    let fx = Fx::new();
    fx.file(
        "statements/acme/dup.md",
        b"+++\ndate = \"2021\"\nkind = \"other\"\nid = \"acme/dup\"\n+++\nx\n",
    );
    fx.file(
        "statements/bulk.jsonl",
        b"{\"id\":\"acme/ok2\",\"entity\":\"acme\",\"date\":\"2021\",\"kind\":\"other\",\"text\":\"x\"}\n{\"entity\":\"acme\",\"id\":\"acme/dup\",\"date\":\"2021\",\"kind\":\"other\",\"text\":\"x\"}\n",
    );
    // And an implicit id (folder/file) taken again by a JSONL line.
    fx.file(
        "statements/more.jsonl",
        b"{\"id\":\"acme/ok\",\"entity\":\"acme\",\"date\":\"2021\",\"kind\":\"other\",\"text\":\"x\"}\n",
    );
    fx.refused(&[
        &at(
            "duplicate statement id `acme/dup`",
            "statements/bulk.jsonl:2:18",
        ),
        "= hint: also defined in statements/acme/dup.md:4; ids must be unique in the corpus",
        &at(
            "duplicate statement id `acme/ok`",
            "statements/more.jsonl:1:2",
        ),
        "= hint: also defined in statements/acme/ok.md:1; ids must be unique in the corpus",
    ]);
}

#[test]
fn c10_invalid_utf8_names_the_byte_offset() {
    let fx = Fx::new();
    fx.file(
        "statements/acme/latin1.md",
        b"+++\ndate = \"2021\"\nkind = \"other\"\n+++\nCaf\xe9 au lait.\n",
    );
    fx.file(
        "statements/bulk.jsonl",
        b"{\"id\":\"a/1\",\"entity\":\"acme\",\"date\":\"2021\",\"kind\":\"other\",\"text\":\"ok\"}\n{\"id\":\"a/2\",\"entity\":\"acme\",\"date\":\"2021\",\"kind\":\"other\",\"text\":\"\xff\"}\n",
    );
    fx.file(
        "rules/u.toml",
        b"[[rule]]\nid = \"u\"\nkind = \"flag\"\n[rule.claim]\npattern = 'caf\xe9'\n",
    );
    fx.refused(&[
        &at("invalid UTF-8 at byte offset 59", "rules/u.toml:5:15"),
        "= hint: found 0xE9; rule files are UTF-8 text: re-save the file as UTF-8",
    ]);
    // The rules stop `check` before the corpus is read; lint reads both.
    std::fs::remove_file(fx.path().join("rules/u.toml")).unwrap();
    fx.refused(&[
        &at("invalid UTF-8 at byte offset 40", "statements/acme/latin1.md:5:4"),
        "5 | Caf\u{fffd} au lait.\n  |    ^\n",
        "= hint: found 0xE9; claimdiff reads UTF-8 text: re-save the file as UTF-8 (e.g. iconv -f GBK -t UTF-8)",
        // 70 bytes of line 1, then 65 into line 2.
        &at("invalid UTF-8 at byte offset 135", "statements/bulk.jsonl:2:66"),
    ]);
}

#[test]
fn c11_bom_and_crlf_load() {
    let fx = Fx::new();
    fx.file(
        "statements/acme/bom.md",
        b"\xEF\xBB\xBF+++\r\ndate = \"2021\"\r\nkind = \"other\"\r\n+++\r\nFirst line.\r\nThe x is here.\r\n",
    );
    fx.file(
        "statements/bulk.jsonl",
        b"\xEF\xBB\xBF{\"id\":\"acme/j\",\"entity\":\"acme\",\"date\":\"2020\",\"kind\":\"other\",\"text\":\"x again\"}\r\n",
    );
    fx.file(
        "rules/r.toml",
        &[b"\xEF\xBB\xBF", FLAG_X.replace('\n', "\r\n").as_bytes()].concat(),
    );
    fx.file(
        "statements/acme/entity.toml",
        b"\xEF\xBB\xBFname = \"Acme\"\r\n",
    );
    let o = fx.run(&["check", "--format", "jsonl"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let lines: Vec<serde_json::Value> = out(&o)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 3, "{}", out(&o));
    let bom = lines
        .iter()
        .find(|v| v["claim"]["statement"] == "acme/bom")
        .unwrap();
    // Line 6 of the file, counted with the BOM and CRLF line ends as a
    // text editor shows them.
    assert_eq!(
        (bom["claim"]["line"].as_u64(), bom["claim"]["col"].as_u64()),
        (Some(6), Some(5))
    );
    assert!(!bom["claim"]["text"].as_str().unwrap().contains('\r'));
    assert_eq!(fx.run(&["lint"]).status.code(), Some(0));
}

#[test]
fn c12_jsonl_line_not_json_or_without_text() {
    let fx = Fx::new();
    fx.file(
        "statements/bulk.jsonl",
        b"{\"id\":\"a/1\",\"entity\":\"acme\",\"date\":\"2021\",\"kind\":\"other\",\"text\":\"ok\"}\n\nnot json\n{\"id\":\"a/3\",\"entity\":\"acme\",\"date\":\"2021\",\"kind\":\"other\"}\n[1,2]\n{\"id\":\"a/5\",\"entity\":\"acme\",\"date\":\"2021\",\"kind\":\"other\",\"text\":\"ok\",}\n",
    );
    fx.refused(&[
        &at("this line is not valid JSON: expected ident", "statements/bulk.jsonl:3:2"),
        "= hint: each line of a .jsonl file is one statement: {\"id\": …, \"entity\": …, \"date\": …, \"kind\": …, \"text\": …}",
        &at("missing required field `text`", "statements/bulk.jsonl:4:1"),
        "= hint: a JSONL line has no file name or folder: `id`, `entity` and `text` are required there",
        &at("expected a JSON object on this line", "statements/bulk.jsonl:5:1"),
        &at("this line is not valid JSON: trailing comma", "statements/bulk.jsonl:6:70"),
    ]);
}

#[test]
fn c13_rule_regex_that_does_not_compile_points_inside_the_pattern() {
    let fx = Fx::new();
    fx.file(
        "rules/r.toml",
        b"[[rule]]\nid = \"f\"\nkind = \"flag\"\n[rule.claim]\npattern = ['ok', '\\bknow(ingly|n\\b']\n\n[[rule]]\nid = \"g\"\nkind = \"flag\"\n[rule.claim]\nall = \"\\\\bx[a-\"\n",
    );
    fx.refused(&[
        &at("pattern does not compile: unclosed group", "rules/r.toml:5:25"),
        "5 | pattern = ['ok', '\\bknow(ingly|n\\b']\n  |                         ^\n",
        "= hint: in '\\bknow(ingly|n\\b'; patterns are Rust regex syntax, written as TOML literal strings ('\\bword\\b')",
        &at("pattern does not compile: unclosed character class", "rules/r.toml:11:12"),
    ]);
}

#[test]
fn c14_unknown_field_in_a_rule_or_a_selector_suggests_the_nearest() {
    let fx = Fx::new();
    fx.file(
        "rules/r.toml",
        b"[[rule]]\nid = \"f\"\nkind = \"flag\"\nseverty = \"high\"\n[rule.claim]\npattern = 'x'\n\n[[rule]]\nid = \"g\"\nkind = \"flag\"\n[rule.claim]\npatern = 'x'\n",
    );
    fx.refused(&[
        &at(
            "invalid rule file: unknown field `severty`, expected one of `id`, `kind`, `severity`, `message`, `description`, `references`, `entities`, `topics`, `order`, `window`, `max_evidence`, `claim`, `evidence`, `earlier`, `later`, `series`, `watch`, `threshold`, `report_changed`, `volatile`, `test`",
            "rules/r.toml:4:1",
        ),
        "= hint: did you mean `severity`?",
        // The second rule's problem is reported in the same run.
        &at(
            "invalid rule file: unknown field `patern`, expected one of `kinds`, `speaker_roles`, `entities`, `topics`, `pattern`, `all`, `not`, `unit`, `case_sensitive`, `series`",
            "rules/r.toml:12:1",
        ),
        "= hint: did you mean `pattern`?",
    ]);
}

#[test]
fn c15_rule_id_defined_twice() {
    let fx = Fx::new();
    fx.file("rules/s.toml", b"# same id as r.toml\n\n[[rule]]\nkind = \"flag\"\nid = \"f\"\n[rule.claim]\npattern = 'y'\n");
    fx.refused(&[
        &at("rule id `f` is defined twice", "rules/s.toml:5:1"),
        "= hint: first defined at rules/r.toml:2; rule ids must be unique",
    ]);
}

#[test]
fn c16_window_that_does_not_parse() {
    let fx = Fx::new();
    fx.file(
        "rules/w.toml",
        b"[[rule]]\nid = \"w\"\nkind = \"contradiction\"\nwindow = \"3 years\"\n[rule.claim]\npattern = 'x'\n[rule.evidence]\npattern = 'y'\n\n[[rule]]\nid = \"v\"\nkind = \"reversal\"\nwindow = \"soon\"\n[rule.earlier]\npattern = 'x'\n[rule.later]\npattern = 'y'\n",
    );
    fx.refused(&[
        &at(
            "`3 years` is not a window: unit `years` is not one of d (days), w (weeks), m (months), y (years) (write \"3y\")",
            "rules/w.toml:4:1",
        ),
        &at(
            "`soon` is not a window: expected a number and a unit, e.g. \"90d\", \"18m\", \"3y\"",
            "rules/w.toml:13:1",
        ),
    ]);
}

#[test]
fn c17_series_with_two_versions_of_one_period() {
    let fx = Fx::new();
    let v = |date: &str, period: &str| {
        format!(
            "+++\ndate = \"{date}\"\nkind = \"annual-report\"\nseries = \"annual-report\"\nperiod = {period}\n+++\n- Project A\n"
        )
    };
    fx.file(
        "statements/acme/ar-2021.md",
        v("2022-03", "2021").as_bytes(),
    );
    fx.file(
        "statements/acme/ar-2021-amended.md",
        v("2022-06", "\"2021\"").as_bytes(),
    );
    fx.file(
        "statements/acme/ar-2022.md",
        v("2023-03", "2022").as_bytes(),
    );
    fx.refused(&[
        &at(
            "series `annual-report` of `acme` already has a version for period 2021 (`acme/ar-2021-amended`)",
            "statements/acme/ar-2021.md:5:1",
        ),
        "= hint: the other version is statements/acme/ar-2021-amended.md:5; a series holds one version per period: fix the period, or keep only the newer of two versions (an amended filing)",
    ]);
}

#[test]
fn c18_a_200_mb_statement_file_is_refused_unread() {
    let fx = Fx::new();
    // Sparse: 200 MB long, nothing on disk.
    let f = std::fs::File::create(fx.path().join("statements/acme/huge.md")).unwrap();
    f.set_len(200 << 20).unwrap();
    drop(f);
    fx.refused(&[
        &at(
            "file is 200 MB, over the limit of 64 MB for one statement; it was not read",
            "statements/acme/huge.md:1:1",
        ),
        "= hint: split it into several statements, or put its items in a .jsonl file",
    ]);
}

/// Runs `args` with the address space limited to `limit_kib`, so a loader
/// that held a 1 GB line in memory would abort instead of refusing it.
fn run_limited(fx: &Fx, limit_kib: u64, args: &str) -> Output {
    Command::new("sh")
        .arg("-c")
        .arg(format!(
            "ulimit -v {limit_kib} && exec '{}' {args}",
            env!("CARGO_BIN_EXE_claimdiff")
        ))
        .current_dir(fx.path())
        .env("NO_COLOR", "1")
        .env("MALLOC_ARENA_MAX", "2")
        .output()
        .unwrap()
}

#[test]
fn c19_a_200_mb_jsonl_line_is_refused_in_bounded_memory() {
    let fx = Fx::new();
    let first = b"{\"id\":\"a/1\",\"entity\":\"acme\",\"date\":\"2021\",\"kind\":\"other\",\"text\":\"x\"}\n";
    let last = b"\n{\"id\":\"a/3\",\"entity\":\"acme\",\"date\":\"2021\",\"kind\":\"other\",\"text\":\"x\"}\n";
    // Line 2: 1 GB of NUL bytes, sparse on disk, then two more lines.
    let path = fx.path().join("statements/bulk.jsonl");
    {
        use std::io::{Seek, SeekFrom, Write};
        let mut f = std::fs::File::create(&path).unwrap();
        f.write_all(first).unwrap();
        f.seek(SeekFrom::Current(1024 << 20)).unwrap();
        f.write_all(last).unwrap();
    }
    // 600 MiB of address space (threads and malloc arenas reserve a good
    // part of it): the binary keeps at most the 64 MiB limit of a line
    // before it refuses it; holding the 1 GB line whole would not fit.
    let o = run_limited(&fx, 600 << 10, "lint");
    let e = err(&o);
    assert_eq!(o.status.code(), Some(2), "stderr: {e}");
    assert!(
        e.contains(&at(
            "line is 1024 MB, over the limit of 64 MB for one statement; it was skipped, not read",
            "statements/bulk.jsonl:2:1"
        )),
        "{e}"
    );
    assert!(
        e.contains("1 problem(s) found."),
        "the lines around it load: {e}"
    );
    // The limit can fail a process: the same limit refuses a 1 GiB buffer.
    let o = Command::new("sh")
        .arg("-c")
        .arg("ulimit -v 614400 && exec dd if=/dev/zero of=/dev/null bs=1G count=1")
        .output()
        .unwrap();
    assert_ne!(o.status.code(), Some(0), "the memory limit does not bite");
    let o = Command::new("sh")
        .arg("-c")
        .arg("ulimit -v 614400 && exec dd if=/dev/zero of=/dev/null bs=100M count=1")
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "the memory limit bites too early");
    // `check` refuses it too and writes nothing (one more 1 GB read,
    // not the three of `refused`).
    let before = fx.tree();
    let o = run_limited(&fx, 600 << 10, "check");
    assert_eq!(o.status.code(), Some(2), "stderr: {}", err(&o));
    assert!(err(&o).contains("statements/bulk.jsonl:2:1"), "{}", err(&o));
    assert_eq!(out(&o), "");
    assert_eq!(fx.tree(), before);
}

#[test]
fn c20_directory_symlink_loop() {
    let fx = Fx::new();
    std::os::unix::fs::symlink("..", fx.path().join("statements/acme/loop")).unwrap();
    std::os::unix::fs::symlink("../acme", fx.path().join("statements/acme/again")).unwrap();
    fx.refused(&[
        &at(
            "symbolic link loop: this folder is `statements` again; it was skipped",
            "statements/acme/loop:1:1",
        ),
        &at(
            "symbolic link loop: this folder is `statements/acme` again; it was skipped",
            "statements/acme/again:1:1",
        ),
        "= hint: remove the link: each folder of the corpus is read once",
    ]);
}

#[test]
fn c21_archived_path_that_escapes_the_corpus_or_is_absolute() {
    let fx = Fx::new();
    fx.file(
        "statements/acme/esc.md",
        b"+++\ndate = \"2021\"\nkind = \"other\"\narchived = \"../../etc/passwd\"\n+++\nx\n",
    );
    fx.file(
        "statements/acme/abs.md",
        b"+++\ndate = \"2021\"\nkind = \"other\"\narchived = \"/etc/passwd\"\n+++\nx\n",
    );
    // Through a symbolic link inside the corpus that points out of it.
    std::os::unix::fs::symlink("/etc", fx.path().join("statements/acme/archive")).unwrap();
    fx.file(
        "statements/acme/link.md",
        b"+++\ndate = \"2021\"\nkind = \"other\"\narchived = \"archive/passwd\"\n+++\nx\n",
    );
    fx.refused(&[
        &at(
            "`archived` path `../../etc/passwd` leaves the corpus folder; it was refused",
            "statements/acme/esc.md:4:1",
        ),
        &at(
            "`archived` must be a path relative to the statement, not an absolute path (`/etc/passwd`)",
            "statements/acme/abs.md:4:1",
        ),
        &at(
            "`archived` path `archive/passwd` leaves the corpus folder; it was refused",
            "statements/acme/link.md:4:1",
        ),
        "= hint: keep archived copies inside the corpus, e.g. archived = \"archive/source.txt\" next to the statement",
    ]);
}

/// The write path through the library; `tests/ingest_cli.rs` drives the
/// `ingest` command itself with escaping names, end to end.
#[test]
fn c22_ingest_target_that_would_escape_statements() {
    use claimdiff::ingest::{IngestError, NewStatement, write_statement};
    let fx = Fx::new();
    let corpus = fx.path().join("statements");
    let before = fx.tree();
    let meta = |entity: &str, stem: Option<&str>| NewStatement {
        entity: entity.into(),
        kind: "annual-report".into(),
        date: "2024-03".into(),
        stem: stem.map(str::to_string),
        ..Default::default()
    };
    let cases = [
        (
            meta("../outside", None),
            "invalid entity `../outside`: it must be a single name, without `/` or `\\`",
        ),
        (
            meta("..", None),
            "invalid entity `..`: it names a directory, not a file",
        ),
        (
            meta("/etc", None),
            "invalid entity `/etc`: it must be a single name, without `/` or `\\`",
        ),
        (
            meta("acme", Some("../../x")),
            "invalid stem `../../x`: it must be a single name, without `/` or `\\`",
        ),
        (
            meta("acme", Some("..\\x")),
            "invalid stem `..\\x`: it must be a single name, without `/` or `\\`",
        ),
        (
            meta("acme", Some(".hidden")),
            "invalid stem `.hidden`: it must not start with `.`",
        ),
        (
            meta("acme", Some("ok")),
            "statements/acme/ok.md already exists; refusing to overwrite it",
        ),
    ];
    for (m, want) in cases {
        let e = write_statement(&corpus, &m, "Some text.").unwrap_err();
        let shown = e
            .to_string()
            .replace(&format!("{}/", fx.path().display()), "");
        assert_eq!(shown, want);
        assert!(!matches!(e, IngestError::Write { .. }));
    }
    assert_eq!(fx.tree(), before, "a refused ingest wrote something");
}

#[test]
fn c23_unreadable_file() {
    use std::os::unix::fs::PermissionsExt;
    let fx = Fx::new();
    fx.file("statements/acme/secret.md", OK);
    let p = fx.path().join("statements/acme/secret.md");
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o000)).unwrap();
    if std::fs::read(&p).is_ok() {
        // Root (as in CI here) reads a mode-000 file: the loader reads it
        // too, and that is all that can be asserted. A folder that cannot
        // be listed is no obstacle to root either; a path that is not a
        // file or folder is, below.
        let o = fx.run(&["lint"]);
        assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    } else {
        fx.refused(&[&at(
            "cannot read file: Permission denied (os error 13)",
            "statements/acme/secret.md:1:1",
        )]);
    }
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o644)).unwrap();
    // What root cannot read either: a dangling link, and a FIFO (which
    // would block the loader forever if it were opened).
    std::os::unix::fs::symlink("nowhere.md", fx.path().join("statements/acme/dangling.md"))
        .unwrap();
    let st = Command::new("mkfifo")
        .arg(fx.path().join("statements/acme/fifo.md"))
        .status()
        .unwrap();
    assert!(st.success());
    fx.refused(&[
        &at(
            "cannot read file: No such file or directory (os error 2)",
            "statements/acme/dangling.md:1:1",
        ),
        &at(
            "not a regular file; it was not read",
            "statements/acme/fifo.md:1:1",
        ),
    ]);
}

#[test]
fn c24_pathological_regex_is_refused() {
    let fx = Fx::new();
    fx.file(
        "rules/r.toml",
        b"[[rule]]\nid = \"f\"\nkind = \"flag\"\n[rule.claim]\npattern = 'x'\nnot = ['ok', '(\\w{100}){100}']\n",
    );
    fx.refused(&[
        &at(
            "pattern is too large to run safely (compiled size over 2097152 bytes); it was refused",
            "rules/r.toml:6:15",
        ),
        "= hint: simplify it: avoid large counted repetitions like {1000} and nested repetition",
    ]);
}

#[test]
fn c25_statement_outside_an_entity_folder_and_yaml_files() {
    let fx = Fx::new();
    fx.file("statements/loose.md", OK);
    fx.file("statements/acme/notes.yaml", b"a: 1\n");
    fx.refused(&[
        &at(
            "statement file outside an entity folder",
            "statements/loose.md:1:1",
        ),
        "= hint: put it in statements/<entity>/, or in a .jsonl file with an `entity` field",
        &at("YAML files are not read", "statements/acme/notes.yaml:1:1"),
    ]);
}

#[test]
fn c26_bad_entity_file() {
    let fx = Fx::new();
    fx.file(
        "statements/acme/entity.toml",
        b"name = \"Acme\"\nalias = [\"ACME Corp\"]\nparent = \"nobody\"\n",
    );
    fx.refused(&[
        &at(
            "invalid entity file: unknown field `alias`, expected one of `name`, `aliases`, `parent`, `identifiers`",
            "statements/acme/entity.toml:2:1",
        ),
        "= hint: did you mean `aliases`?",
    ]);
}

#[test]
fn c27_missing_folders() {
    let fx = Fx::new();
    let o = fx.run(&["check", "--corpus", "nope"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        err(&o).contains(&at("corpus folder not found", "nope:1:1")),
        "{}",
        err(&o)
    );
    let o = fx.run(&["lint", "--rules", "nope"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        err(&o).contains(&at("rules folder not found", "nope:1:1")),
        "{}",
        err(&o)
    );
}

/// First-use audit #3: `check --entity` with a typo used to print "No
/// findings" and exit 0, so `--fail-on` passed; it is refused like
/// `search --entity`, with the nearest name.
#[test]
fn c28_check_with_an_unknown_entity() {
    let fx = Fx::new();
    let o = fx.run(&["check", "--entity", "acm", "--fail-on", "info"]);
    assert_eq!(o.status.code(), Some(2), "{}", err(&o));
    assert_eq!(out(&o), "");
    assert_eq!(
        err(&o),
        "error: no entity `acm` in statements (did you mean `acme`?)\n  known entities: acme\n"
    );
    // The entity of a statement that matched no rule is still known.
    fx.file(
        "statements/beta/quiet.md",
        b"+++\ndate = \"2021\"\nkind = \"other\"\n+++\nnothing here.\n",
    );
    let o = fx.run(&["check", "--entity", "beta", "--fail-on", "info"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let o = fx.run(&["check", "--entity", "acme", "--fail-on", "info"]);
    assert_eq!(o.status.code(), Some(1), "{}", err(&o));
}

/// First-use audit #6: a misspelt `{placeholder}` in `message` was
/// published verbatim.
#[test]
fn c29_unknown_placeholder_in_message() {
    let fx = Fx::new();
    fx.file(
        "rules/r.toml",
        b"[[rule]]\nid = \"f\"\nkind = \"flag\"\nmessage = \"{entity} said {claim} on {claim_dat}\"\n[rule.claim]\npattern = 'x'\n",
    );
    fx.refused(&[
        &at(
            "unknown placeholder `{claim_dat}` in message; known: {entity}, {claim}, {evidence}, {earlier}, {later}, {claim_date}, {claim_when}, {evidence_date}, {evidence_when}, {claim_dates}, {evidence_dates}, {claim_source}, {evidence_source}, {order}, {days}, {item}, {from}, {to}",
            "rules/r.toml:4:37",
        ),
        "= hint: did you mean `{claim_date}`?",
    ]);
}

/// First-use audit #7: an `ignore` naming no rule (a typo, a renamed rule)
/// left the finding reported while its reviewer believed it suppressed.
#[test]
fn c30_ignore_naming_an_unknown_rule() {
    let fx = Fx::new();
    fx.file(
        "statements/acme/ok.md",
        b"+++\ndate = \"2021\"\nkind = \"other\"\n[ignore]\ng = \"reviewed\"\n+++\nx marks the spot.\n",
    );
    fx.file(
        "statements/more.jsonl",
        b"{\"id\":\"acme/j\",\"entity\":\"acme\",\"date\":\"2021\",\"kind\":\"other\",\"ignore\":{\"flag-x\":\"ok\"},\"text\":\"y\"}\n",
    );
    let o = fx.run(&["lint"]);
    assert_eq!(o.status.code(), Some(2), "{}", err(&o));
    let e = err(&o);
    for w in [
        &at("`ignore` names no rule `g`", "statements/acme/ok.md:5:1"),
        "= hint: did you mean `f`? `ignore` keys are rule ids",
        &at(
            "`ignore` names no rule `flag-x`",
            "statements/more.jsonl:1:71",
        ),
        "= hint: `ignore` keys are the ids of rules in the rules folder",
    ] {
        assert!(e.contains(w), "missing\n{w}\n--- in:\n{e}");
    }
    assert!(e.ends_with("2 problem(s) found.\n"), "{e}");
}

/// First-use audit #8: `empty = true` without the `note` that names the
/// source, or with a body, was accepted.
#[test]
fn c31_empty_without_note_or_with_a_body() {
    let fx = Fx::new();
    fx.file(
        "statements/acme/ar-2022.md",
        b"+++\ndate = \"2023\"\nkind = \"annual-report\"\nperiod = 2022\nempty = true\n+++\n- Mutanda\n",
    );
    fx.file(
        "statements/acme/ar-2023.md",
        b"+++\ndate = \"2024\"\nkind = \"annual-report\"\nperiod = 2023\nempty = true\nnote = \"Per Reuters, it lists none.\"\n+++\n",
    );
    let e = fx.refused(&[
        &at(
            "`empty = true` needs a `note` naming the source",
            "statements/acme/ar-2022.md:5:1",
        ),
        &at(
            "`empty = true` but the body is not empty",
            "statements/acme/ar-2022.md:5:1",
        ),
    ]);
    assert!(!e.contains("ar-2023"), "{e}");
}

/// First-use audit #9: a rules folder without one `*.toml` (a rule file
/// saved as `denials.tml`) checked nothing and exited 0.
#[test]
fn c32_rules_folder_without_rule_files() {
    let fx = Fx::new();
    std::fs::rename(
        fx.path().join("rules/r.toml"),
        fx.path().join("rules/denials.tml"),
    )
    .unwrap();
    fx.refused(&[
        &at("no rule files (*.toml) in the rules folder", "rules:1:1"),
        "= hint: it holds denials.tml, but only files named *.toml are read: rename the rule files",
    ]);
    let o = fx.run(&["test"]);
    assert_eq!(o.status.code(), Some(2), "{}", err(&o));
}

/// First-use audit #10: a test's sides were not checked against the rule
/// kind, and a test with no sides passed vacuously.
#[test]
fn c33_rule_test_sides_of_another_kind_or_none() {
    let fx = Fx::new();
    fx.file(
        "rules/r.toml",
        b"[[rule]]\nid = \"f\"\nkind = \"flag\"\n[rule.claim]\npattern = 'x'\n\n[[rule.test]]\nevidence = \"x\"\nexpect = \"finding\"\n\n[[rule.test]]\nexpect = \"none\"\n",
    );
    fx.refused(&[
        &at(
            "a test of a flag rule takes `claim`, not `evidence`",
            "rules/r.toml:8:1",
        ),
        &at(
            "this test of a flag rule has no `claim`",
            "rules/r.toml:7:1",
        ),
        &at(
            "this test of a flag rule has no `claim`",
            "rules/r.toml:11:1",
        ),
    ]);
    let o = fx.run(&["test"]);
    assert_eq!(o.status.code(), Some(2), "{}", err(&o));
}

/// First-use audit #5: a JSONL statement's `line:col` was "record line +
/// line within the text", which named another record. It is the record's
/// line and the column of the match inside its `text` string as written.
#[test]
fn c34_jsonl_positions_open_on_the_match() {
    let fx = Fx::new();
    let records = concat!(
        r#"{"id":"acme/j1","entity":"acme","date":"2021","kind":"other","text":"First line.\n\"Quoted\" \u00e9, then x here."}"#,
        "\n",
        r#"{"id":"acme/j2","entity":"acme","date":"2021","kind":"other","text":"Nothing."}"#,
        "\n",
    );
    fx.file("statements/bulk.jsonl", records.as_bytes());
    let o = fx.run(&["check", "--format", "jsonl", "--rule", "f"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let raw_line = records.lines().next().unwrap();
    let want = raw_line[..raw_line.find("x here").unwrap()].chars().count() + 1;
    let at = out(&o)
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .find(|v| v["claim"]["statement"] == "acme/j1")
        .map(|v| (v["claim"]["line"].clone(), v["claim"]["col"].clone()))
        .expect("a finding on acme/j1");
    assert_eq!(at, (1.into(), want.into()));
    // `search` gives the same position.
    let o = fx.run(&["search", "x here", "--format", "jsonl"]);
    assert!(
        out(&o).contains("\"line\":1,") && out(&o).contains(&format!("\"col\":{want}")),
        "{}",
        out(&o)
    );
}

/// First-use audit #2: six problems took four lint runs (serde stops at
/// the first unknown field of a table, and cross-checks waited for the
/// tables to read). One run reports them all, the rule's other problems
/// (a bad regex) included.
#[test]
fn c35_lint_reports_every_unknown_field_and_cross_check_in_one_run() {
    let fx = Fx::new();
    fx.file(
        "rules/r.toml",
        b"[[rule]]\nid = \"a\"\nkind = \"contradiction\"\nmesage = \"typo\"\n\n[rule.claim]\npaterns = 'x'\nspeaker_role = [\"entity\"]\n[rule.evidence]\npattern = 'q('\n\n[[rule]]\nid = \"a\"\nkind = \"flag\"\n[rule.claim]\npattern = 'x'\n",
    );
    fx.file(
        "statements/acme/entity.toml",
        b"name = \"Acme\"\nalias = [\"ACME\"]\nnicknames = []\nparent = \"acme-holdings\"\n",
    );
    let e = fx.refused(&[
        "--> statements/acme/entity.toml:2:1",
        "--> statements/acme/entity.toml:3:1",
        &at(
            "parent `acme-holdings` is not an entity folder of this corpus",
            "statements/acme/entity.toml:4:1",
        ),
        "unknown field `mesage`",
        "--> rules/r.toml:4:1",
        "= hint: did you mean `message`?",
        "--> rules/r.toml:7:1",
        "= hint: did you mean `pattern`?",
        "--> rules/r.toml:8:1",
        "= hint: did you mean `speaker_roles`?",
        &at(
            "pattern does not compile: unclosed group",
            "rules/r.toml:10:13",
        ),
        &at("rule id `a` is defined twice", "rules/r.toml:13:1"),
        "= hint: first defined at rules/r.toml:2; rule ids must be unique",
    ]);
    assert!(e.ends_with("8 problem(s) found.\n"), "{e}");
}

// ---------------------------------------------------------------------
// Keep going, then fail.
// ---------------------------------------------------------------------

/// A corpus with five bad files in three folders and a JSONL file, next to
/// good ones.
fn many_bad() -> Fx {
    let fx = Fx::new();
    fx.file(
        "statements/acme/a.md",
        b"+++\ndate = \"2021-02-30\"\nkind = \"other\"\n+++\nx\n",
    );
    fx.file("statements/acme/b.md", b"---\ndate: 2021\n---\nx\n");
    fx.file(
        "statements/beta/c.md",
        b"+++\ndate = \"2021\"\nkind = \"otter\"\n+++\nx\n",
    );
    fx.file("statements/beta/good.md", OK);
    fx.file(
        "statements/gamma/d.md",
        b"+++\ndate = \"2021\"\nkind = \"other\"\n",
    );
    fx.file(
        "statements/bulk.jsonl",
        b"{\"id\":\"j/1\",\"entity\":\"acme\",\"date\":\"2021\",\"kind\":\"other\",\"text\":\"x\"}\nnope\n",
    );
    fx
}

const MANY_BAD: [&str; 5] = [
    "--> statements/acme/a.md:2:1",
    "--> statements/acme/b.md:1:1",
    "--> statements/beta/c.md:3:1",
    "--> statements/gamma/d.md:1:1",
    "--> statements/bulk.jsonl:2:",
];

#[test]
fn lint_and_check_report_every_bad_file_in_one_run() {
    let fx = many_bad();
    let e = fx.refused(&MANY_BAD);
    assert!(e.ends_with("5 problem(s) found.\n"), "{e}");
    let o = fx.run(&["check"]);
    assert!(
        err(&o).ends_with("5 problem(s) found; nothing was checked.\n"),
        "{}",
        err(&o)
    );
}

#[test]
fn lint_reports_rules_and_corpus_together() {
    let fx = many_bad();
    fx.file(
        "rules/s.toml",
        b"[[rule]]\nid = \"g\"\nkind = \"flg\"\n[rule.claim]\npattern = 'x'\n",
    );
    let o = fx.run(&["lint"]);
    assert_eq!(o.status.code(), Some(2));
    let e = err(&o);
    for w in MANY_BAD.iter().chain(&["--> rules/s.toml:3:1"]) {
        assert!(e.contains(w), "missing {w} in {e}");
    }
    assert!(e.ends_with("6 problem(s) found.\n"), "{e}");
    // `check` and `alert` list the same problems as lint, rules and corpus
    // together, and check nothing.
    for cmd in [&["check"][..], &["alert"][..]] {
        let o = fx.run(cmd);
        assert_eq!(o.status.code(), Some(2), "{cmd:?}");
        let e = err(&o);
        for w in MANY_BAD.iter().chain(&["--> rules/s.toml:3:1"]) {
            assert!(e.contains(w), "{cmd:?}: missing {w} in {e}");
        }
        assert!(
            e.ends_with("6 problem(s) found; nothing was checked.\n"),
            "{e}"
        );
        assert!(out(&o).is_empty(), "{cmd:?} wrote {}", out(&o));
    }
}

#[test]
fn commands_that_need_rules_and_corpus_list_both_problems() {
    let fx = many_bad();
    fx.file(
        "rules/s.toml",
        b"[[rule]]\nid = \"g\"\nkind = \"flg\"\n[rule.claim]\npattern = 'x'\n",
    );
    for cmd in [
        &["show", "beta/good"][..],
        &["timeline", "beta"][..],
        &["compare", "beta/good", "beta/good"][..],
    ] {
        let o = fx.run(cmd);
        assert_eq!(o.status.code(), Some(2), "{cmd:?}");
        let e = err(&o);
        for w in MANY_BAD.iter().chain(&["--> rules/s.toml:3:1"]) {
            assert!(e.contains(w), "{cmd:?}: missing {w} in {e}");
        }
        assert!(out(&o).is_empty(), "{cmd:?} wrote {}", out(&o));
    }
}

/// `diff` needs no rules, but when the rules folder does not load it says
/// so and which settings it fell back to, instead of printing "nothing was
/// checked" and then a diff.
#[test]
fn diff_with_broken_rules_warns_and_uses_the_defaults() {
    let fx = Fx::new();
    for (y, body) in [
        ("2021", "Alpha project.\n\nBeta project.\n"),
        ("2022", "Alpha project.\n"),
    ] {
        fx.file(
            &format!("statements/acme/annual-report-{y}.md"),
            format!("+++\ndate = \"{y}\"\nkind = \"annual-report\"\nseries = \"annual-report\"\nperiod = \"{y}\"\n+++\n{body}").as_bytes(),
        );
    }
    fx.file(
        "rules/r.toml",
        b"[[rule]]\nid = \"d\"\nkind = \"dropped-disclosure\"\nthreshold = 0.9\noops\n",
    );
    let o = fx.run(&["diff", "acme", "--format", "jsonl"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let e = err(&o);
    assert!(
        e.contains("warning: the rules in rules did not load (1 problem(s)"),
        "{e}"
    );
    assert!(e.contains("default threshold 0.6"), "{e}");
    assert!(!e.contains("nothing was checked"), "{e}");
    assert!(out(&o).contains("Beta project."), "{}", out(&o));
}

#[test]
fn check_keep_going_checks_what_loaded_and_says_what_it_skipped() {
    let fx = many_bad();
    let before = fx.tree();
    let o = fx.run(&["check", "--keep-going", "--format", "jsonl"]);
    assert_eq!(o.status.code(), Some(2), "{}", err(&o));
    let mut ids: Vec<String> = out(&o)
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["claim"]["statement"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    ids.sort();
    assert_eq!(ids, ["acme/ok", "beta/good", "j/1"]);
    let e = err(&o);
    for w in MANY_BAD {
        assert!(e.contains(w), "missing {w} in {e}");
    }
    assert!(
        e.contains("warning: --keep-going: 5 problem(s); the files above were SKIPPED and their statements were not checked."),
        "{e}"
    );
    assert_eq!(fx.tree(), before);
}

// ---------------------------------------------------------------------
// Properties end to end, and resource limits.
// ---------------------------------------------------------------------

fn fingerprints(fx: &Fx) -> BTreeMap<String, String> {
    let o = fx.run(&["check", "--format", "jsonl"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    out(&o)
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            (
                v["fingerprint"].as_str().unwrap().to_string(),
                l.to_string(),
            )
        })
        .collect()
}

#[test]
fn fingerprints_do_not_change_when_unrelated_files_are_added() {
    let fx = Fx::new();
    fx.file(
        "rules/r.toml",
        std::fs::read(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/volta/rules/rules.toml"),
        )
        .unwrap()
        .as_slice(),
    );
    let volta = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/volta/statements");
    std::fs::remove_file(fx.path().join("statements/acme/ok.md")).unwrap();
    for e in walk_files(&volta) {
        let rel = e.strip_prefix(&volta).unwrap();
        fx.file(
            &format!("statements/{}", rel.display()),
            &std::fs::read(&e).unwrap(),
        );
    }
    let first = fingerprints(&fx);
    assert!(first.len() >= 5, "{first:?}");
    // Another entity whose statements match the same rules, a JSONL file
    // that sorts first, and a new unrelated rule.
    fx.file(
        "statements/aardvark/2022-claim.md",
        b"+++\ndate = \"2022\"\nkind = \"statement\"\nspeaker_role = \"entity\"\n+++\nWe have never knowingly used child labour.\n",
    );
    fx.file(
        "statements/aardvark/2023-report.md",
        b"+++\ndate = \"2023\"\nkind = \"media-report\"\nspeaker_role = \"third-party\"\n+++\nChildren working at the mine.\n",
    );
    fx.file(
        "statements/0-first.jsonl",
        b"{\"id\":\"zeta/1\",\"entity\":\"zeta\",\"date\":\"2020\",\"kind\":\"statement\",\"speaker_role\":\"entity\",\"text\":\"We never knowingly did it.\"}\n",
    );
    fx.file(
        "rules/0-extra.toml",
        b"[[rule]]\nid = \"aaa-extra\"\nkind = \"flag\"\n[rule.claim]\npattern = 'mine'\n",
    );
    let second = fingerprints(&fx);
    assert!(second.len() > first.len(), "the new files add findings");
    for (fp, line) in &first {
        assert_eq!(
            second.get(fp),
            Some(line),
            "finding {fp} changed or vanished"
        );
    }
}

fn walk_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk_files(&p));
        } else {
            out.push(p);
        }
    }
    out
}

#[test]
fn a_document_aligned_with_itself_drops_nothing_end_to_end() {
    let fx = Fx::new();
    fx.file(
        "rules/r.toml",
        b"[[rule]]\nid = \"dd\"\nkind = \"dropped-disclosure\"\n[rule.series]\nseries = [\"annual-report\"]\n",
    );
    let body = "## Projects\n\n- Luopu County police project\n- Moyu County video network\n\n| region | value |\n| Xinjiang | 5 |\n\nA paragraph that\nwraps. 清真寺。\n";
    for (y, d) in [(2020, "2021-03"), (2021, "2022-03"), (2022, "2023-03")] {
        fx.file(
            &format!("statements/acme/ar-{y}.md"),
            format!("+++\ndate = \"{d}\"\nkind = \"annual-report\"\nseries = \"annual-report\"\nperiod = {y}\n+++\n{body}").as_bytes(),
        );
    }
    let o = fx.run(&["check", "--format", "jsonl"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert_eq!(out(&o), "", "identical versions reported a drop");
}

/// Every statement matches both sides of a contradiction rule; output is
/// bounded by claims × max_evidence, never claims × evidence.
#[test]
fn findings_are_bounded_on_a_corpus_that_matches_everywhere() {
    const N: usize = 120;
    const MAX_EVIDENCE: usize = 3;
    let fx = Fx::new();
    fx.file(
        "rules/r.toml",
        format!("[[rule]]\nid = \"all\"\nkind = \"contradiction\"\nmax_evidence = {MAX_EVIDENCE}\n[rule.claim]\npattern = 'word'\n[rule.evidence]\npattern = 'word'\n").as_bytes(),
    );
    let mut jsonl = String::new();
    for i in 0..N {
        jsonl.push_str(&format!(
            "{{\"id\":\"acme/s{i}\",\"entity\":\"acme\",\"date\":\"{}-{:02}\",\"kind\":\"statement\",\"text\":\"word. word word.\"}}\n",
            2000 + i / 12,
            i % 12 + 1
        ));
    }
    fx.file("statements/bulk.jsonl", jsonl.as_bytes());
    std::fs::remove_file(fx.path().join("statements/acme/ok.md")).unwrap();
    let o = fx.run(&["check", "--format", "jsonl"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let n = out(&o).lines().count();
    // Each statement holds 2 claim units; each claim keeps at most
    // MAX_EVIDENCE pieces of evidence.
    let claims = 2 * N;
    assert!(n > 0);
    assert!(
        n <= claims * MAX_EVIDENCE,
        "{n} findings for {claims} claims"
    );
    assert!(n < N * N, "the cross product leaked: {n}");
}

// ---------------------------------------------------------------------
// Fuzzing regressions and cheap property runs.
// ---------------------------------------------------------------------

/// Replays every input kept under `fuzz/regressions/<target>/` (crashes
/// found by fuzzing, minimised) through the target's properties.
#[test]
fn fuzz_regressions_stay_fixed() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/regressions");
    type Check = fn(&[u8]);
    let targets: [(&str, Check); 5] = [
        ("front_matter", props::front_matter),
        ("units", props::segment),
        ("rules", props::rules),
        ("jsonl", props::jsonl),
        ("align", props::alignment),
    ];
    for (name, check) in targets {
        let dir = root.join(name);
        let Ok(rd) = std::fs::read_dir(&dir) else {
            continue;
        };
        for e in rd.flatten() {
            let data = std::fs::read(e.path()).unwrap();
            let r = std::panic::catch_unwind(|| check(&data));
            assert!(r.is_ok(), "{name}: {} fails again", e.path().display());
        }
    }
}

/// A few thousand pseudo-random inputs through every property, so the
/// properties themselves run in `cargo test` (the fuzzers run for minutes,
/// outside it: see fuzz/README.md).
#[test]
fn properties_hold_on_pseudo_random_inputs() {
    let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let seeds: &[&[u8]] = &[
        b"\x00+++\ndate = \"2021\"\nkind = \"other\"\n+++\nA. B! C? D\n",
        b"\x00[[rule]]\nid = \"a\"\nkind = \"flag\"\n[rule.claim]\npattern = 'x'\n",
        b"\x00{\"id\":\"a/1\",\"entity\":\"a\",\"date\":\"2020\",\"kind\":\"other\",\"text\":\"x\"}",
        b"\x00# H\n- a\n- b\n| r |\n\n\npara\n- a\n",
    ];
    for round in 0..1500 {
        let mut data: Vec<u8> = seeds[round % seeds.len()].to_vec();
        let edits = (next() % 8) as usize;
        for _ in 0..edits {
            let r = next();
            let pos = (r as usize >> 8) % (data.len() + 1);
            match r % 3 {
                0 => data.insert(pos, (r >> 32) as u8),
                1 if pos < data.len() => data[pos] = (r >> 40) as u8,
                _ if pos < data.len() => {
                    data.remove(pos);
                }
                _ => {}
            }
        }
        if round % 2 == 1 && !data.is_empty() {
            data[0] = 1; // the token alphabet
        }
        props::front_matter(&data);
        props::segment(&data);
        props::rules(&data);
        props::jsonl(&data[1.min(data.len())..]);
        props::alignment(&data);
    }
}

/// A series whose versions are JSONL records: a dropped item's `line` is
/// its version's record line (the text is one string there), not the
/// record's line plus the item's line inside the string.
#[test]
fn c36_a_drop_from_a_jsonl_version_points_at_its_record() {
    let fx = Fx::new();
    fx.file(
        "rules/d.toml",
        b"[[rule]]\nid = \"d\"\nkind = \"dropped-disclosure\"\nseverity = \"medium\"\n[rule.series]\nseries = [\"annual-report\"]\n",
    );
    let records = concat!(
        r#"{"id":"acme/other","entity":"acme","date":"2021","kind":"other","text":"Nothing."}"#,
        "\n",
        r#"{"id":"acme/ar-2022","entity":"acme","date":"2023","kind":"annual-report","period":"2022","text":"First paragraph stays.\n\nSecond paragraph, the one that goes.\n\nThird paragraph stays too."}"#,
        "\n",
        r#"{"id":"acme/ar-2023","entity":"acme","date":"2024","kind":"annual-report","period":"2023","text":"First paragraph stays.\n\nThird paragraph stays too."}"#,
        "\n",
    );
    fx.file("statements/bulk.jsonl", records.as_bytes());
    let o = fx.run(&["check", "--format", "jsonl", "--rule", "d"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let f: Vec<serde_json::Value> = out(&o)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(f.len(), 1, "{}", out(&o));
    assert_eq!(f[0]["item"]["text"], "Second paragraph, the one that goes.");
    assert_eq!(f[0]["item"]["line"], 2);
}

/// `show` of a JSONL statement names its record's line and numbers the
/// text's lines within the text (they are not lines of the file).
#[test]
fn c37_show_of_a_jsonl_statement_names_its_record() {
    let fx = Fx::new();
    let records = concat!(
        r#"{"id":"acme/j0","entity":"acme","date":"2021","kind":"other","text":"Nothing."}"#,
        "\n",
        r#"{"id":"acme/j1","entity":"acme","date":"2021","kind":"other","text":"First line.\nSecond line."}"#,
        "\n",
    );
    fx.file("statements/bulk.jsonl", records.as_bytes());
    let o = fx.run(&["show", "acme/j1"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let text = out(&o);
    assert!(text.contains("bulk.jsonl:2 (record"), "{text}");
    assert!(
        text.contains("    1 | First line.\n    2 | Second line."),
        "{text}"
    );
}

/// Audit 3 #1: a misspelled entity in `about` made a phantom entity group;
/// the statement's evidence left its company's group, findings vanished
/// and lint stayed green. A typo in `parent` or `ignore` was refused.
#[test]
fn c38_about_naming_no_entity() {
    let fx = Fx::new();
    fx.file(
        "statements/ngo/leak.md",
        b"+++\ndate = \"2022\"\nkind = \"other\"\nabout = [\"acmee\"]\n+++\nx\n",
    );
    fx.file(
        "statements/more.jsonl",
        b"{\"id\":\"ngo/j\",\"entity\":\"ngo\",\"date\":\"2021\",\"kind\":\"other\",\"about\":[\"zzz\"],\"text\":\"y\"}\n",
    );
    // An entity with no statements of its own is declared by its
    // entity.toml, and may then be named.
    fx.file("statements/gov/entity.toml", b"name = \"A government\"\n");
    fx.file(
        "statements/ngo/ok.md",
        b"+++\ndate = \"2022\"\nkind = \"other\"\nabout = [\"gov\", \"acme\"]\n+++\nx\n",
    );
    let lint = fx.refused(&[
        &at(
            "`about` names no entity `acmee`",
            "statements/ngo/leak.md:4:10",
        ),
        "= hint: did you mean `acme`?",
        &at("`about` names no entity `zzz`", "statements/more.jsonl:1:59"),
        "= hint: `about` names entities of this corpus; to name one without statements, create statements/zzz/entity.toml",
    ]);
    assert!(lint.ends_with("2 problem(s) found.\n"), "{lint}");
}

/// Audit 3 #1: a misspelled id in a rule's `entities` (of the rule or of
/// a side) selected nothing: no findings, exit 0 under `--fail-on`.
#[test]
fn c39_rule_entities_naming_no_entity() {
    let fx = Fx::new();
    fx.file(
        "rules/r.toml",
        b"[[rule]]\nid = \"f\"\nkind = \"flag\"\nentities = [\"acme\"]\n[rule.claim]\nentities = [\"acm\"]\npattern = 'x'\n",
    );
    for args in [&["lint"][..], &["check", "--fail-on", "low"]] {
        let o = fx.run(args);
        let e = err(&o);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {e}");
        assert!(
            e.contains(&at(
                "rule `f`: `entities` names no entity `acm`",
                "rules/r.toml:6:13"
            )),
            "{args:?}: {e}"
        );
        assert!(e.contains("= hint: did you mean `acme`?"), "{e}");
    }
    fx.file(
        "rules/r.toml",
        FLAG_X
            .replace("[rule.claim]", "entities = [\"acme\"]\n[rule.claim]")
            .as_bytes(),
    );
    assert_eq!(
        fx.run(&["check", "--fail-on", "low"]).status.code(),
        Some(1)
    );
}

/// Audit 3 #7: `--format markdown` put quotes and sources in raw (a
/// renderer allowing HTML dropped `<Annex B>` from a verbatim quote) and
/// made a link of a `javascript:` URL.
#[test]
fn c40_markdown_escapes_quotes_and_links_only_http() {
    let fx = Fx::new();
    fx.file(
        "statements/acme/ok.md",
        b"+++\ndate = \"2021\"\nkind = \"other\"\nsource = \"Acme <Code> page\"\nurl = \"javascript:alert(1)\"\n+++\nx (see <Annex B>) a*b*.\n",
    );
    for args in [
        &["check", "--format", "markdown"][..],
        &["timeline", "acme", "--format", "markdown"],
    ] {
        let o = fx.run(args);
        let md = out(&o);
        assert_eq!(o.status.code(), Some(0), "{args:?}: {}", err(&o));
        assert!(md.contains("Acme &lt;Code&gt; page"), "{args:?}: {md}");
        assert!(
            md.contains("see &lt;Annex B&gt;) a\\*b\\*."),
            "{args:?}: {md}"
        );
        assert!(!md.contains("javascript:"), "{args:?}: {md}");
        assert!(!md.contains("<Annex B>"), "{args:?}: {md}");
    }
    fx.file(
        "statements/acme/ok.md",
        b"+++\ndate = \"2021\"\nkind = \"other\"\nsource = \"Acme\"\nurl = \"https://e.org/a|b\"\n+++\nx\n",
    );
    let md = out(&fx.run(&["check", "--format", "markdown"]));
    assert!(md.contains("[Acme](https://e.org/a%7Cb)"), "{md}");
}

/// Audit 3 #7 (related): lint accepted `url = "javascript:…"`. It is a
/// lint problem, not a load error: `check` and `report` still run and show
/// the source without a link.
#[test]
fn c41_lint_refuses_a_url_that_is_not_http() {
    let fx = Fx::new();
    fx.file(
        "statements/acme/ok.md",
        b"+++\ndate = \"2021\"\nkind = \"other\"\nurl = \"javascript:alert(1)\"\narchive_url = \"https://a.org/x\"\n+++\nx\n",
    );
    fx.file(
        "statements/more.jsonl",
        b"{\"id\":\"acme/j\",\"entity\":\"acme\",\"date\":\"2021\",\"kind\":\"other\",\"archive_url\":\"ftp://a\",\"text\":\"y\"}\n",
    );
    let o = fx.run(&["lint", "--no-verify"]);
    let e = err(&o);
    assert_eq!(o.status.code(), Some(2), "{e}");
    for w in [
        &at(
            "`url` is not an http(s) URL: `javascript:alert(1)`",
            "statements/acme/ok.md:4:1",
        ),
        &at(
            "`archive_url` is not an http(s) URL: `ftp://a`",
            "statements/more.jsonl:1:61",
        ),
        "= hint: reports link only http:// and https:// URLs",
    ] {
        assert!(e.contains(w), "missing\n{w}\n--- in:\n{e}");
    }
    assert!(e.ends_with("2 problem(s) found.\n"), "{e}");
    assert_eq!(fx.run(&["check"]).status.code(), Some(0));
}

/// New-user audit (session 10) #1: an entity whose `parent` names itself
/// was reported at line 1 of its file. It is reported at the `parent`
/// value, as is a longer loop.
#[test]
fn c42_parent_loop_points_at_the_parent_value() {
    let fx = Fx::new();
    fx.file(
        "statements/acme/entity.toml",
        b"# Acme\nname = \"Acme\"\n  parent =  \"acme\"\n",
    );
    fx.refused(&[
        &at(
            "`parent` chain of `acme` loops back to itself",
            "statements/acme/entity.toml:3:13",
        ),
        "3 |   parent =  \"acme\"\n  |             ^\n",
    ]);
    fx.file("statements/acme/entity.toml", b"parent = \"beta\"\n");
    fx.file(
        "statements/beta/entity.toml",
        b"name = \"Beta\"\nparent = \"acme\"\n",
    );
    fx.refused(&[
        &at(
            "`parent` chain of `acme` loops back to itself",
            "statements/acme/entity.toml:1:10",
        ),
        &at(
            "`parent` chain of `beta` loops back to itself",
            "statements/beta/entity.toml:2:10",
        ),
    ]);
}

/// New-user audit (session 10) #2: a bad `expect` was reported at the
/// `[[rule.test]]` header. It is reported at the value of `expect`, by
/// `test` as by `lint`.
#[test]
fn c43_bad_test_expect_points_at_its_value() {
    let fx = Fx::new();
    fx.file(
        "rules/r.toml",
        b"[[rule]]\nid = \"f\"\nkind = \"flag\"\n[rule.claim]\npattern = 'x'\n\n[[rule.test]]\nclaim = \"x\"\n  expect =  \"findings\"\n",
    );
    let want = [
        &at(
            "test expect = \"findings\": expected \"finding\" or \"none\"",
            "rules/r.toml:9:13",
        )[..],
        "9 |   expect =  \"findings\"\n  |             ^\n",
    ];
    fx.refused(&want);
    let o = fx.run(&["test"]);
    assert_eq!(o.status.code(), Some(2), "{}", err(&o));
    for w in want {
        assert!(err(&o).contains(w), "missing\n{w}\n--- in:\n{}", err(&o));
    }
}

/// New-user audit (session 10) #3: a wrongly typed value (`max_evidence =
/// "5"`) stopped its whole table, hiding the table's other problems until
/// the next run. Each is now set aside like an unknown field: one run
/// reports them all, each at its value with what was expected, the rest
/// of the rule or entity is still checked, and a test side set aside is
/// not reported missing as well.
#[test]
fn c44_lint_reports_every_wrongly_typed_value_and_the_rest_of_its_table() {
    let fx = Fx::new();
    fx.file(
        "rules/r.toml",
        concat!(
            "[[rule]]\n",
            "id = \"f\"\n",
            "kind = \"flag\"\n",
            "max_evidence = \"5\"\n",
            "severty = \"high\"\n",
            "threshold = \"x\"\n",
            "order = \"sooner\"\n",
            "[rule.claim]\n",
            "case_sensitive = \"yes\"\n",
            "kinds = [\n",
            "  \"other\",\n",
            "  5,\n",
            "]\n",
            "pattern = 'ab(c'\n",
            "[[rule.test]]\n",
            "claim = 7\n",
            "expect = \"finding\"\n",
        )
        .as_bytes(),
    );
    fx.file(
        "statements/acme/entity.toml",
        b"name = 5\nalias = [\"ACME\"]\naliases = \"ACME\"\nparent = \"nobody\"\n",
    );
    let e = fx.refused(&[
        &at(
            "invalid entity file: invalid type: integer `5`, expected a string",
            "statements/acme/entity.toml:1:8",
        ),
        "--> statements/acme/entity.toml:2:1",
        &at(
            "invalid entity file: invalid type: string \"ACME\", expected a sequence",
            "statements/acme/entity.toml:3:11",
        ),
        &at(
            "parent `nobody` is not an entity folder of this corpus",
            "statements/acme/entity.toml:4:1",
        ),
        &at(
            "invalid rule file: invalid type: string \"5\", expected usize",
            "rules/r.toml:4:16",
        ),
        "4 | max_evidence = \"5\"\n  |                ^\n",
        "--> rules/r.toml:5:1",
        "= hint: did you mean `severity`?",
        &at(
            "invalid rule file: invalid type: string \"x\", expected f64",
            "rules/r.toml:6:13",
        ),
        &at(
            "invalid rule file: invalid type: string \"yes\", expected a boolean",
            "rules/r.toml:9:18",
        ),
        &at(
            "invalid rule file: invalid type: integer `5`, expected a string",
            "rules/r.toml:12:3",
        ),
        &at(
            "invalid rule file: data did not match any variant of untagged enum RawSide",
            "rules/r.toml:16:9",
        ),
        "= hint: a test side is a text (\"…\") or a table ({ text = \"…\", date = \"…\", … })",
        // The rule's own checks still run on what was read.
        &at(
            "unknown order `sooner`; expected evidence-first, claim-first or any",
            "rules/r.toml:7:1",
        ),
        &at(
            "pattern does not compile: unclosed group",
            "rules/r.toml:14:14",
        ),
    ]);
    assert!(!e.contains("has no `claim`"), "{e}");
    assert!(e.ends_with("12 problem(s) found.\n"), "{e}");
}

/// `pattern = "\bnever\b"`: TOML reads `\b` in a double-quoted string as a
/// backspace, so the rule could never match; it is refused at the
/// character, with the single-quoted spelling to use instead.
#[test]
fn c45_a_backspace_in_a_double_quoted_pattern_is_refused() {
    let fx = Fx::new();
    fx.file(
        "rules/r.toml",
        b"[[rule]]\nid = \"f\"\nkind = \"flag\"\n[rule.claim]\npattern = \"\\bnever\\b\"\nnot = ['ok', \"a\\fb\"]\n",
    );
    let lint = fx.refused(&[
        &at(
            "pattern contains a backspace (U+0008), so it cannot match as written",
            "rules/r.toml:5:12",
        ),
        "= hint: `\\b` in a double-quoted TOML string is a backspace, not a word boundary; write patterns in single quotes, which keep backslashes: pattern = '\\bnever\\b'",
        &at(
            "pattern contains the control character U+000C, so it cannot match as written",
            "rules/r.toml:6:16",
        ),
        "not = 'a\\x{C}b'",
    ]);
    assert!(lint.contains("2 problem(s) found."), "{lint}");
}

/// A statement or rule file under another name is read when only the case
/// of its extension differs (`NOTE.MD`, `x.TOML`), and named by a `lint`
/// warning otherwise (`note.txt`, `note.markdown`, `rules/README.md`),
/// the exit code unchanged; `entity.toml`, `archive/` and an `archived`
/// copy are not warned about.
#[test]
fn c46_files_lint_does_not_read_are_named() {
    let fx = Fx::new();
    let fm = b"+++\ndate = \"2021\"\nkind = \"other\"\n+++\nx\n";
    fx.file("statements/acme/NOTE.MD", fm)
        .file("statements/acme/note.markdown", fm)
        .file("statements/acme/note.txt", fm)
        .file("statements/acme/entity.toml", b"name = \"Acme\"\n")
        .file("statements/acme/archive/a.txt", b"src\n")
        .file("statements/acme/copy.txt", b"src\n")
        .file(
            "statements/acme/b.md",
            b"+++\ndate = \"2021\"\nkind = \"other\"\narchived = \"copy.txt\"\n+++\nsrc\n",
        )
        .file(
            "rules/x.TOML",
            b"[[rule]]\nid = \"g\"\nkind = \"flag\"\n[rule.claim]\npattern = 'y'\n",
        )
        .file("rules/README.md", b"notes\n");
    let o = fx.run(&["lint"]);
    let e = err(&o);
    assert_eq!(o.status.code(), Some(0), "{e}");
    for f in ["statements/acme/note.markdown", "statements/acme/note.txt"] {
        assert!(
            e.contains(&format!(
                "warning: file not read: statements are `.md` and `.jsonl` files\n  --> {f}:1:1\n  = hint: rename it to `note.md` if it is a statement"
            )),
            "{f}: {e}"
        );
    }
    assert!(
        e.contains("warning: file not read: rule files are `.toml` files\n  --> rules/README.md:1:1\n  = hint: rename it to `README.toml` if it holds rules"),
        "{e}"
    );
    assert_eq!(e.matches("warning:").count(), 3, "{e}");
    assert!(
        e.contains("ok: 3 statement(s) of 1 entit(ies), 2 rule(s)"),
        "{e}"
    );
    assert!(
        e.contains("3 file(s) not read: see the warnings above."),
        "{e}"
    );
}

/// A date with another separator or with a time of day is refused for
/// what it is, not for the digits of whichever part the split blamed;
/// `--since`/`--until` use the same parser.
#[test]
fn c47_date_errors_name_the_separator_or_the_time_of_day() {
    let fx = Fx::new();
    fx.file(
        "statements/acme/slash.md",
        b"+++\ndate = \"2024/01/31\"\nkind = \"other\"\n+++\nx\n",
    );
    fx.file(
        "statements/acme/time.md",
        b"+++\ndate = \"2024-01-31T10:00:00Z\"\nkind = \"other\"\n+++\nx\n",
    );
    fx.refused(&[
        &at(
            "`2024/01/31` is not a date: dates are written YYYY, YYYY-MM or YYYY-MM-DD with `-`: write 2024-01-31",
            "statements/acme/slash.md:2:1",
        ),
        &at(
            "`2024-01-31T10:00:00Z` is not a date: a date has no time of day: write 2024-01-31",
            "statements/acme/time.md:2:1",
        ),
    ]);
    let fx = Fx::new();
    let o = fx.run(&["check", "--since", "2024.01"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        err(&o).contains("`2024.01` is not a date: dates are written YYYY, YYYY-MM or YYYY-MM-DD with `-`: write 2024-01"),
        "{}",
        err(&o)
    );
}
