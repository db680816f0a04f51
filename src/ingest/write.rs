//! Statement files written safely. A statement lands at
//! `corpus/<entity>/<stem>.md` and nowhere else: entity and stem must each be
//! one plain path component, so no ingest can escape the corpus. The file is
//! created whole or not at all (written to a hidden temporary file in the
//! same folder, then hard-linked to its name, which fails if the name is
//! taken), so a crash or a race never leaves a half file and never replaces
//! an existing statement. Front matter is serialised by the `toml` crate, so
//! quotes, backslashes and newlines in titles or URLs are escaped correctly.

use std::fs::{self, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use serde::Serialize;

use super::IngestError;
use crate::corpus::{Corpus, LoadOptions, load};
use crate::error::Diagnostic;

/// The statement kinds of DESIGN.md, in its order.
pub const KINDS: &[&str] = &[
    "annual-report",
    "interim-report",
    "esg-report",
    "filing",
    "prospectus",
    "court-filing",
    "press-release",
    "press-reply",
    "statement",
    "speech",
    "interview",
    "testimony",
    "earnings-call",
    "advertisement",
    "website",
    "social-post",
    "contract",
    "tender",
    "recording",
    "leaked-document",
    "investigation",
    "media-report",
    "government-action",
    "academic",
    "other",
];

/// The speaker roles of DESIGN.md.
pub const SPEAKER_ROLES: &[&str] = &["entity", "agent", "third-party", "government"];

/// The speaker role a statement of `kind` has by definition, which
/// `claimdiff ingest` writes when none is given, or `None` when the kind
/// does not say who speaks (a speech, an interview or a court filing may
/// be the company's or someone else's; a contract or a leak has no
/// speaker). Rules select claims by `speaker_roles` (`claimdiff init`'s
/// and the README's select `entity` and `agent`), and a statement without
/// a role fails every such selector without a word, as one without a
/// `kind` would fail `kinds`.
pub fn implied_speaker_role(kind: &str) -> Option<&'static str> {
    match kind {
        // What the company publishes itself, or says through its officers
        // on its own call.
        "annual-report" | "interim-report" | "esg-report" | "filing" | "prospectus"
        | "press-release" | "press-reply" | "earnings-call" | "advertisement" => Some("entity"),
        // Journalists and researchers (DESIGN.md: third-party).
        "media-report" | "academic" => Some("third-party"),
        "government-action" => Some("government"),
        _ => None,
    }
}

/// What `claimdiff ingest` knows about a statement before it is written.
/// Build it with struct update syntax (`..Default::default()`) so fields
/// added later do not break callers.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NewStatement {
    /// Folder under the corpus, e.g. `hikvision`.
    pub entity: String,
    /// One of [`KINDS`].
    pub kind: String,
    /// `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    pub date: String,
    /// Periodic document name, e.g. `annual-report`.
    pub series: Option<String>,
    /// `2023`, `2023-Q3` or `2023-H1`.
    pub period: Option<String>,
    pub source: Option<String>,
    pub url: Option<String>,
    pub speaker: Option<String>,
    /// One of [`SPEAKER_ROLES`].
    pub speaker_role: Option<String>,
    /// Language tag (`zh`, `en`); the corpus defaults to `en`, and CJK text
    /// segments correctly only when it says so.
    pub lang: Option<String>,
    pub topics: Vec<String>,
    /// File stem; default `<series or kind>-<period or date>`, slugified.
    pub stem: Option<String>,
}

impl NewStatement {
    /// The file stem this statement will be written under: the explicit
    /// `stem` (a trailing `.md` dropped), else `<series or kind>-<period or
    /// date>` slugified.
    pub fn file_stem(&self) -> String {
        match &self.stem {
            Some(stem) => stem.strip_suffix(".md").unwrap_or(stem).to_string(),
            None => {
                let name = self.series.as_deref().unwrap_or(&self.kind);
                let when = self.period.as_deref().unwrap_or(&self.date);
                slugify(&format!("{name}-{when}"))
            }
        }
    }

    /// Checks every field `write_statement` relies on; the first problem is
    /// the error.
    pub fn validate(&self) -> Result<(), IngestError> {
        check_component("entity", &self.entity)?;
        check_choice("kind", &self.kind, KINDS)?;
        validate_date(&self.date)?;
        if let Some(role) = &self.speaker_role {
            check_choice("speaker_role", role, SPEAKER_ROLES)?;
        }
        if let Some(period) = &self.period {
            validate_period(period)?;
        }
        if let Some(series) = &self.series
            && series.trim().is_empty()
        {
            return Err(IngestError::UnsafeName {
                field: "series",
                value: series.clone(),
                reason: "it is empty",
            });
        }
        check_component("stem", &self.file_stem())
    }
}

/// Lowercase letters and digits (any script), everything else one `-`.
fn slugify(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

/// One plain path component: joined to a directory it names a child of that
/// directory, on every platform, and is not hidden (the loader and editors
/// treat dot-files as not part of the corpus).
fn check_component(field: &'static str, value: &str) -> Result<(), IngestError> {
    let reason = if value.is_empty() {
        Some("it is empty")
    } else if value == "." || value == ".." {
        Some("it names a directory, not a file")
    } else if value.contains(['/', '\\']) {
        Some("it must be a single name, without `/` or `\\`")
    } else if value.starts_with('.') {
        Some("it must not start with `.`")
    } else if value.contains(':') {
        // `C:x` is drive-relative on Windows, and `:` opens an NTFS stream.
        Some("it must not contain `:`")
    } else if value.chars().any(char::is_control) {
        Some("it must not contain control characters (NUL, newline, …)")
    } else if value != value.trim() {
        Some("it must not start or end with whitespace")
    } else {
        None
    };
    match reason {
        Some(reason) => Err(IngestError::UnsafeName {
            field,
            value: value.to_string(),
            reason,
        }),
        None => Ok(()),
    }
}

fn check_choice(
    field: &'static str,
    value: &str,
    expected: &'static [&'static str],
) -> Result<(), IngestError> {
    if expected.contains(&value) {
        return Ok(());
    }
    Err(IngestError::UnknownValue {
        field,
        value: value.to_string(),
        suggestion: nearest(value, expected).map(str::to_string),
        expected,
    })
}

/// The closest valid value to a typo: same words in another case or with
/// `_`/space for `-`, then a unique prefix (`annual` → `annual-report`), then
/// the smallest edit distance if it is small for the word's length.
fn nearest(value: &str, choices: &[&'static str]) -> Option<&'static str> {
    let canon: String = value
        .trim()
        .to_lowercase()
        .chars()
        .map(|c| if c == '_' || c == ' ' { '-' } else { c })
        .collect();
    if let Some(exact) = choices.iter().find(|c| **c == canon) {
        return Some(exact);
    }
    let prefixed: Vec<_> = choices
        .iter()
        .filter(|c| canon.len() >= 3 && c.starts_with(&canon))
        .collect();
    if let [only] = prefixed.as_slice() {
        return Some(only);
    }
    let (best, distance) = choices
        .iter()
        .map(|c| (*c, edit_distance(&canon, c)))
        .min_by_key(|(_, d)| *d)?;
    let limit = (canon.chars().count() / 3).max(1);
    (distance <= limit).then_some(best)
}

/// Levenshtein distance over chars, two rows.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitute = prev[j] + usize::from(ca != *cb);
            cur[j + 1] = substitute.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, digits exactly so, and a day that
/// exists (no 2023-02-29).
pub fn validate_date(value: &str) -> Result<(), IngestError> {
    let invalid = || IngestError::InvalidDate {
        value: value.to_string(),
    };
    let parts: Vec<&str> = value.split('-').collect();
    let widths_ok = matches!(parts.as_slice(), [y, rest @ ..]
        if y.len() == 4 && rest.len() <= 2 && rest.iter().all(|p| p.len() == 2));
    if !widths_ok || !parts.iter().all(|p| p.bytes().all(|b| b.is_ascii_digit())) {
        return Err(invalid());
    }
    let num = |i: usize| parts.get(i).map(|p| p.parse::<u32>().unwrap_or(0));
    let year = i32::try_from(num(0).unwrap_or(0)).map_err(|_| invalid())?;
    let month = num(1).unwrap_or(1);
    let day = num(2).unwrap_or(1);
    chrono::NaiveDate::from_ymd_opt(year, month, day)
        .map(|_| ())
        .ok_or_else(invalid)
}

/// `YYYY`, `YYYY-Q1`…`YYYY-Q4` or `YYYY-H1`/`YYYY-H2`: the forms the
/// aligner orders versions by.
fn validate_period(value: &str) -> Result<(), IngestError> {
    let (year, part) = match value.split_once('-') {
        Some((year, part)) => (year, Some(part)),
        None => (value, None),
    };
    let year_ok = year.len() == 4 && year.bytes().all(|b| b.is_ascii_digit());
    let part_ok = matches!(part, None | Some("Q1" | "Q2" | "Q3" | "Q4" | "H1" | "H2"));
    if year_ok && part_ok {
        Ok(())
    } else {
        Err(IngestError::InvalidPeriod {
            value: value.to_string(),
        })
    }
}

/// Front matter in DESIGN.md's field order. `entity` is left out: the folder
/// the file sits in is the entity, and one source of truth cannot disagree
/// with itself when a file is moved.
#[derive(Serialize)]
struct FrontMatter<'a> {
    date: &'a str,
    kind: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    speaker: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    speaker_role: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    source: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<&'a str>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    topics: &'a [String],
    #[serde(skip_serializing_if = "Option::is_none")]
    lang: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    series: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    period: Option<Period<'a>>,
}

/// DESIGN.md writes a year period as a TOML integer (`period = 2021`) and a
/// quarter or half as a string (`"2021-Q3"`).
#[derive(Serialize)]
#[serde(untagged)]
enum Period<'a> {
    Year(u32),
    Label(&'a str),
}

/// `+++\n<toml>+++\n<body>\n`: the statement file's full text. The body is
/// written as given, with exactly one final newline.
pub fn render_statement(meta: &NewStatement, body: &str) -> String {
    let front = FrontMatter {
        date: &meta.date,
        kind: &meta.kind,
        speaker: meta.speaker.as_deref(),
        speaker_role: meta.speaker_role.as_deref(),
        source: meta.source.as_deref(),
        url: meta.url.as_deref(),
        topics: &meta.topics,
        lang: meta.lang.as_deref(),
        series: meta.series.as_deref(),
        period: meta.period.as_deref().map(|p| match p.parse::<u32>() {
            Ok(year) if p.len() == 4 => Period::Year(year),
            _ => Period::Label(p),
        }),
    };
    // A flat table of strings, one integer and one string array has no value
    // TOML cannot represent, so serialisation cannot fail.
    let toml = toml::to_string(&front).expect("front matter of plain strings always serialises");
    let body = body.trim_end_matches('\n');
    format!("+++\n{toml}+++\n{body}\n")
}

/// Writes `meta` + `body` to `corpus_dir/<entity>/<stem>.md` and returns that
/// path. Refuses invalid fields, names that would leave the entity's folder,
/// an empty body, and an existing file; creates the entity folder if missing (the corpus
/// folder itself must exist, so a mistyped `--corpus` creates nothing). On
/// any error nothing is left behind.
pub fn write_statement(
    corpus_dir: &Path,
    meta: &NewStatement,
    body: &str,
) -> Result<PathBuf, IngestError> {
    meta.validate()?;
    // An empty version of a series would read as "everything dropped".
    if !body.chars().any(char::is_alphanumeric) {
        return Err(IngestError::EmptyBody);
    }
    if !corpus_dir.is_dir() {
        return Err(IngestError::MissingCorpus {
            path: corpus_dir.to_path_buf(),
        });
    }
    let entity_dir = corpus_dir.join(&meta.entity);
    ensure_entity_dir(corpus_dir, &entity_dir, &meta.entity)?;

    let target = entity_dir.join(format!("{}.md", meta.file_stem()));
    // Checked again atomically by the link below; this early check only
    // spares writing a temporary file for nothing.
    if target.symlink_metadata().is_ok() {
        return Err(IngestError::AlreadyExists { path: target });
    }
    let contents = render_statement(meta, body);
    create_atomically(&entity_dir, &target, contents.as_bytes())?;
    Ok(target)
}

/// What `write_checked` refuses: the file itself, or the corpus it would
/// make.
#[derive(Debug)]
pub enum WriteRefused {
    /// Refused before anything was written (see `write_statement`).
    Statement(IngestError),
    /// The file was written and the corpus loaded with it had problems it
    /// did not have before (a second version for a period, an id already
    /// taken, …): the file was removed again.
    Corpus(Vec<Diagnostic>),
}

/// Writes the statement as `write_statement` does, then loads the corpus
/// with it. A statement file that makes the corpus unloadable would stop
/// every later `check`, `diff` and `alert`, so when the load brings
/// problems the corpus did not have before the write, the new file is
/// removed again and those problems returned: nothing is left behind.
/// Problems the corpus had already are not the new file's; they are left to
/// the caller (`Ok` with the load's result).
pub fn write_checked(
    corpus_dir: &Path,
    meta: &NewStatement,
    body: &str,
    opts: &LoadOptions,
) -> Result<(PathBuf, Result<Corpus, Vec<Diagnostic>>), WriteRefused> {
    let before = match load(corpus_dir, opts) {
        Ok(_) => Vec::new(),
        Err(d) => d,
    };
    let path = write_statement(corpus_dir, meta, body).map_err(WriteRefused::Statement)?;
    let after = load(corpus_dir, opts);
    if let Err(problems) = &after {
        let new: Vec<Diagnostic> = problems
            .iter()
            .filter(|d| !before.contains(d))
            .cloned()
            .collect();
        if !new.is_empty() {
            fs::remove_file(&path).map_err(|source| {
                WriteRefused::Statement(IngestError::Write {
                    path: path.clone(),
                    source,
                })
            })?;
            return Err(WriteRefused::Corpus(new));
        }
    }
    Ok((path, after))
}

/// Creates the entity folder, refusing a case-only variant of an existing
/// one (`Hikvision` next to `hikvision` splits one entity in two, and is the
/// same folder on case-insensitive file systems).
fn ensure_entity_dir(
    corpus_dir: &Path,
    entity_dir: &Path,
    entity: &str,
) -> Result<(), IngestError> {
    let write_err = |source| IngestError::Write {
        path: entity_dir.to_path_buf(),
        source,
    };
    if entity_dir.is_dir() {
        return Ok(());
    }
    if let Ok(entries) = fs::read_dir(corpus_dir) {
        for entry in entries.flatten() {
            let name = entry.file_name();
            let Some(name) = name.to_str() else { continue };
            if name != entity
                && name.to_lowercase() == entity.to_lowercase()
                && entry.path().is_dir()
            {
                return Err(IngestError::EntityCase {
                    value: entity.to_string(),
                    existing: name.to_string(),
                });
            }
        }
    }
    match fs::create_dir(entity_dir) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists && entity_dir.is_dir() => Ok(()),
        Err(e) => Err(write_err(e)),
    }
}

/// Writes `contents` to a fresh temporary file in `dir`, flushes it to disk,
/// then hard-links it to `target`. `link` fails if `target` exists, so this
/// never overwrites, even against a concurrent writer, and `target` appears
/// only complete. Where the file system has no hard links, falls back to
/// `create_new` on the target itself: still never overwrites, and a failed
/// write removes the partial file.
fn create_atomically(dir: &Path, target: &Path, contents: &[u8]) -> Result<(), IngestError> {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let write_err = |path: &Path| {
        let path = path.to_path_buf();
        move |source| IngestError::Write { path, source }
    };
    let file_name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temp = dir.join(format!(
        ".{file_name}.{}.{}.tmp",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    ));

    write_new_file(&temp, contents).map_err(write_err(&temp))?;
    let linked = fs::hard_link(&temp, target);
    // The temporary name goes whatever happened; the content lives on under
    // `target` if the link succeeded.
    let _ = fs::remove_file(&temp);
    match linked {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
            return Err(IngestError::AlreadyExists {
                path: target.to_path_buf(),
            });
        }
        Err(_) => {
            // No hard links here (FAT, some network mounts).
            if let Err(e) = write_new_file(target, contents) {
                if e.kind() == io::ErrorKind::AlreadyExists {
                    return Err(IngestError::AlreadyExists {
                        path: target.to_path_buf(),
                    });
                }
                let _ = fs::remove_file(target);
                return Err(write_err(target)(e));
            }
        }
    }
    sync_dir(dir);
    Ok(())
}

/// Creates `path` (never an existing one), writes and flushes it; on a
/// failed write the partial file is removed.
fn write_new_file(path: &Path, contents: &[u8]) -> io::Result<()> {
    let mut file = OpenOptions::new().write(true).create_new(true).open(path)?;
    let written = file.write_all(contents).and_then(|()| file.sync_all());
    if written.is_err() {
        drop(file);
        let _ = fs::remove_file(path);
    }
    written
}

/// Makes the new directory entry durable. Best effort: the file is already
/// complete, and some platforms cannot open a directory at all.
fn sync_dir(dir: &Path) {
    #[cfg(unix)]
    if let Ok(d) = fs::File::open(dir) {
        let _ = d.sync_all();
    }
    #[cfg(not(unix))]
    let _ = dir;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        for ok in ["2021", "2021-04", "2024-02-29", "1999-12-31"] {
            assert!(validate_date(ok).is_ok(), "{ok}");
        }
        for bad in [
            "21",
            "2021-4",
            "2021-13",
            "2023-02-29",
            "2021-04-31",
            "2021/04",
            "2021-04-01T00",
            "",
            "abcd",
            "+202-01",
        ] {
            assert!(validate_date(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn periods() {
        for ok in ["2021", "2021-Q3", "2021-H1"] {
            assert!(validate_period(ok).is_ok(), "{ok}");
        }
        for bad in ["FY2021", "2021-Q5", "2021-q3", "21", "2021-"] {
            assert!(validate_period(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn kind_suggestions() {
        let suggest = |v| nearest(v, KINDS);
        assert_eq!(suggest("esg-reprot"), Some("esg-report"));
        assert_eq!(suggest("Annual_Report"), Some("annual-report"));
        assert_eq!(suggest("annual"), Some("annual-report"));
        assert_eq!(suggest("press"), None, "ambiguous prefix");
        assert_eq!(suggest("tweet"), None);
        let err = check_choice("kind", "anual-report", KINDS).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("unknown kind `anual-report`; did you mean `annual-report`?"),
            "{err}"
        );
    }

    #[test]
    fn stems() {
        let meta = NewStatement {
            entity: "hikvision".into(),
            kind: "annual-report".into(),
            date: "2022-04-30".into(),
            ..Default::default()
        };
        assert_eq!(meta.file_stem(), "annual-report-2022-04-30");
        let meta = NewStatement {
            series: Some("Annual Report".into()),
            period: Some("2021-Q3".into()),
            ..meta
        };
        assert_eq!(meta.file_stem(), "annual-report-2021-q3");
        assert_eq!(slugify("年度报告 / 2023"), "年度报告-2023");
        assert_eq!(slugify("../../etc"), "etc");
    }

    #[test]
    fn components() {
        for bad in [
            "", ".", "..", "../x", "a/b", "a\\b", ".hidden", "c:x", "a\0b", " a",
        ] {
            assert!(check_component("entity", bad).is_err(), "{bad:?}");
        }
        for ok in ["hikvision", "other-company", "海康威视", "a.b"] {
            assert!(check_component("entity", ok).is_ok(), "{ok:?}");
        }
    }

    /// Every implied role is one of DESIGN.md's, for a kind of DESIGN.md;
    /// the kinds that do not say who speaks get none.
    #[test]
    fn implied_speaker_roles() {
        for kind in KINDS {
            if let Some(role) = implied_speaker_role(kind) {
                assert!(SPEAKER_ROLES.contains(&role), "{kind}: {role}");
            }
        }
        assert_eq!(implied_speaker_role("press-release"), Some("entity"));
        assert_eq!(implied_speaker_role("annual-report"), Some("entity"));
        assert_eq!(implied_speaker_role("media-report"), Some("third-party"));
        assert_eq!(
            implied_speaker_role("government-action"),
            Some("government")
        );
        for kind in ["interview", "speech", "court-filing", "contract", "other"] {
            assert_eq!(implied_speaker_role(kind), None, "{kind}");
        }
    }
}
