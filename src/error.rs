//! Errors of the library: one `Diagnostic` per problem, always tied to a
//! file, a line and a column, so the CLI can draw it at its source.
//!
//! Loading keeps going after a bad file and collects every diagnostic
//! (`Error::Load`), because a fact-checker fixing a corpus wants the whole
//! list at once, not one error per run.

use std::fmt;
use std::path::PathBuf;

/// One problem in one input file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub path: PathBuf,
    /// 1-based; 0 when the problem concerns the whole file.
    pub line: usize,
    /// 1-based, in characters.
    pub col: usize,
    pub message: String,
    pub hint: Option<String>,
}

impl Diagnostic {
    pub fn new(
        path: impl Into<PathBuf>,
        line: usize,
        col: usize,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            path: path.into(),
            line,
            col,
            message: message.into(),
            hint: None,
        }
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            self.path.display(),
            self.line.max(1),
            self.col.max(1),
            self.message
        )?;
        if let Some(hint) = &self.hint {
            write!(f, "\n  hint: {hint}")?;
        }
        Ok(())
    }
}

/// Everything the library can fail with.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Corpus or rules did not load; nothing was checked.
    #[error("{} problem(s) in the input; nothing was checked", .0.len())]
    Load(Vec<Diagnostic>),
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    /// A request that names something the corpus does not have.
    #[error("{0}")]
    NotFound(String),
    /// A bad argument value (a date, a shard spec, ...).
    #[error("{0}")]
    Usage(String),
    #[error(transparent)]
    Alert(#[from] crate::alerts::AlertError),
    #[error(transparent)]
    Ingest(#[from] crate::ingest::IngestError),
}

impl Error {
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Levenshtein distance, for "did you mean" hints on field names and kinds.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// The closest candidate to `word`, if it is close enough to be a typo.
pub fn nearest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (edit_distance(word, c), c))
        .filter(|(d, c)| *d <= (c.len().max(word.len()) / 3).max(2))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// What [`toml_all_field_problems`] found in a TOML text.
pub struct FieldProblems<T> {
    /// The value read without the keys set aside, when it reads.
    pub value: Option<T>,
    /// Every problem found, in the order of the text.
    pub errors: Vec<toml::de::Error>,
    /// Line (from 1) and name of each known key whose value was set aside
    /// for its type: the value reads as if it were absent, so a check that
    /// it is there would report an error of our own making.
    pub set_aside: Vec<(usize, String)>,
}

/// Deserializes a TOML text whose tables deny unknown fields, reporting
/// *every* unknown field and every wrongly typed value rather than serde's
/// first problem: each reported key is blanked out (its line, the rest of
/// a value written over several lines, or a whole unknown `[table]`,
/// overwritten with spaces, so byte offsets and error spans stay those of
/// `text`) and the text read again. A blank-out that leaves the text
/// unreadable (a key whose value spans several lines with a `key = …`
/// line inside it) ends the search rather than report an error of our own
/// making; so does a required field whose value was set aside (the
/// `missing field` that follows is not reported, and there is no value).
pub fn toml_all_field_problems<T: serde::de::DeserializeOwned>(text: &str) -> FieldProblems<T> {
    let mut cur = text.to_string();
    let mut found = FieldProblems {
        value: None,
        errors: Vec::new(),
        set_aside: Vec::new(),
    };
    // More problems than this in one file is not a typo to list.
    for _ in 0..64 {
        let e = match toml::from_str::<T>(&cur) {
            Ok(v) => {
                found.value = Some(v);
                break;
            }
            Err(e) => e,
        };
        let missing = e
            .message()
            .strip_prefix("missing field `")
            .and_then(|m| m.split('`').next());
        if let Some(field) = missing {
            if !found.set_aside.iter().any(|(_, k)| k == field) {
                found.errors.push(e);
            }
            break;
        }
        let Some(span) = e.span() else {
            found.errors.push(e);
            break;
        };
        // An unknown key's span is the key; a bad value's is the value,
        // which may stand on a line below its key.
        let at = if e.message().starts_with("unknown field") {
            span.start
        } else {
            let (line, key) = owning_entry(&cur, span.start);
            let l = cur[..line].matches('\n').count() + 1;
            found.set_aside.push((l, key));
            line
        };
        found.errors.push(e);
        blank_key(&mut cur, at);
        if toml::from_str::<toml::Table>(&cur).is_err() {
            break;
        }
    }
    // Serde meets keys in its own order; the file's order reads better.
    found
        .errors
        .sort_by_key(|e| e.span().map_or(0, |s| s.start));
    found
}

/// Whether a line starts a key (`key = …`) or a table (`[x]`, `[[x]]`);
/// within a table being blanked (`in_table`), only a table does.
fn starts_entry(line: &str, in_table: bool) -> bool {
    let t = line.trim_start();
    t.starts_with('[')
        || (!in_table
            && t.split_once('=').is_some_and(|(k, _)| {
                let k = k.trim();
                !k.is_empty()
                    && k.chars()
                        .all(|c| c.is_alphanumeric() || "_-.\"' ".contains(c))
            }))
}

/// The key or table whose value holds byte `at`: the byte offset of its
/// line and its name (the last part of a dotted key or table name).
fn owning_entry(text: &str, at: usize) -> (usize, String) {
    let mut start = text[..at.min(text.len())].rfind('\n').map_or(0, |i| i + 1);
    while start > 0 && !starts_entry(line_at(text, start), false) {
        start = text[..start - 1].rfind('\n').map_or(0, |i| i + 1);
    }
    let line = line_at(text, start).trim_start();
    let name = match line.strip_prefix('[') {
        Some(header) => header.trim_matches(|c| c == '[' || c == ']' || c == ' '),
        None => line.split_once('=').map_or("", |(k, _)| k.trim()),
    };
    let name = name.rsplit('.').next().unwrap_or("").trim();
    (
        start,
        name.trim_matches(|c| c == '"' || c == '\'').to_string(),
    )
}

/// The line that starts at byte `start`, without its `\n`.
fn line_at(text: &str, start: usize) -> &str {
    text[start..].split('\n').next().unwrap_or("")
}

/// Overwrites with spaces the line holding byte `at` and the lines after
/// it up to the next key or header: the rest of a value written over
/// several lines, or, when that line opens a table (`[x]`), the table's
/// keys.
fn blank_key(text: &mut String, at: usize) {
    let start = text[..at.min(text.len())].rfind('\n').map_or(0, |i| i + 1);
    let mut end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    let table = text[start..end].trim_start().starts_with('[');
    while end < text.len() {
        let next = end + 1;
        let next_end = text[next..].find('\n').map_or(text.len(), |i| next + i);
        if starts_entry(&text[next..next_end], table) {
            break;
        }
        end = next_end;
    }
    let bytes: Vec<u8> = text.as_bytes()[start..end]
        .iter()
        .map(|&b| if b == b'\n' { b'\n' } else { b' ' })
        .collect();
    let bytes = String::from_utf8(bytes).expect("spaces and newlines");
    text.replace_range(start..end, &bytes);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_unknown_field_is_reported_and_the_rest_read() {
        #[derive(serde::Deserialize, Debug)]
        #[serde(deny_unknown_fields)]
        struct T {
            name: String,
            #[serde(default)]
            sub: Option<Sub>,
        }
        #[derive(serde::Deserialize, Debug)]
        #[serde(deny_unknown_fields)]
        struct Sub {
            a: i64,
        }
        let text =
            "nme = \"é\"\nname = \"x\"\nalias = [\n  1,\n]\n[sub]\na = 1\nb = 2\n[other]\nz = 1\n";
        let FieldProblems {
            value: v,
            errors: errs,
            ..
        } = toml_all_field_problems::<T>(text);
        let got: Vec<String> = errs
            .iter()
            .map(|e| {
                format!(
                    "{} {}",
                    e.span().unwrap().start,
                    e.message().split(',').next().unwrap()
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                "0 unknown field `nme`",
                "22 unknown field `alias`",
                "51 unknown field `b`",
                "58 unknown field `other`",
            ]
        );
        let v = v.expect("the rest reads");
        assert_eq!((v.name.as_str(), v.sub.map(|s| s.a)), ("x", Some(1)));
    }

    #[test]
    fn wrongly_typed_values_are_set_aside_like_unknown_fields() {
        #[derive(serde::Deserialize, Debug)]
        #[serde(deny_unknown_fields)]
        struct T {
            name: String,
            max: Option<usize>,
            #[serde(default)]
            tags: Vec<String>,
        }
        let text = "max = \"5\"\nnam = 1\ntags = [\n  \"a\",\n  2,\n]\nname = \"x\"\n";
        let found = toml_all_field_problems::<T>(text);
        let got: Vec<String> = found
            .errors
            .iter()
            .map(|e| format!("{} {}", e.span().unwrap().start, e.message()))
            .collect();
        assert_eq!(got.len(), 3, "{got:?}");
        assert!(
            got[0].starts_with("6 invalid type: string \"5\""),
            "{got:?}"
        );
        assert!(got[1].starts_with("10 unknown field `nam`"), "{got:?}");
        assert!(
            got[2].starts_with("36 invalid type: integer `2`"),
            "{got:?}"
        );
        // The list is set aside from its key's line, whole.
        assert_eq!(
            found.set_aside,
            [(1, "max".to_string()), (3, "tags".to_string())]
        );
        let v = found.value.expect("the rest reads");
        assert_eq!((v.name.as_str(), v.max, v.tags.len()), ("x", None, 0));
        // A required field set aside ends the search, without a "missing
        // field" of our own making, and without a value.
        let found = toml_all_field_problems::<T>("name = 1\nmax = \"2\"\n");
        let got: Vec<&str> = found.errors.iter().map(|e| e.message()).collect();
        assert_eq!(got.len(), 2, "{got:?}");
        assert!(got.iter().all(|m| m.starts_with("invalid type")), "{got:?}");
        assert!(found.value.is_none());
        // A missing field that is really missing is reported.
        let found = toml_all_field_problems::<T>("max = 1\n");
        assert!(
            found.errors[0]
                .message()
                .starts_with("missing field `name`")
        );
    }

    #[test]
    fn suggests_the_nearest_field() {
        assert_eq!(
            nearest("patern", ["pattern", "all", "not"]),
            Some("pattern")
        );
        assert_eq!(
            nearest("esg_report", ["esg-report", "annual-report"]),
            Some("esg-report")
        );
        assert_eq!(nearest("zzzzzz", ["pattern", "all"]), None);
    }
}
