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

/// Deserializes a TOML text whose tables deny unknown fields, reporting
/// *every* unknown field rather than serde's first one per table: each
/// reported key is blanked out (its line, or a whole unknown `[table]`,
/// overwritten with spaces, so byte offsets and error spans stay those of
/// `text`) and the text read again. Returns the value when the rest reads,
/// and the errors in the order found. A blank-out that leaves the text
/// unreadable (a key whose value spans several lines) ends the search
/// rather than report an error of our own making.
pub fn toml_all_unknown_fields<T: serde::de::DeserializeOwned>(
    text: &str,
) -> (Option<T>, Vec<toml::de::Error>) {
    let mut cur = text.to_string();
    let mut errs: Vec<toml::de::Error> = Vec::new();
    let mut value = None;
    // More unknown keys than this in one file is not a typo to list.
    for _ in 0..64 {
        let e = match toml::from_str::<T>(&cur) {
            Ok(v) => {
                value = Some(v);
                break;
            }
            Err(e) => e,
        };
        let span = e.span();
        let unknown = e.message().starts_with("unknown field");
        errs.push(e);
        let Some(span) = span.filter(|_| unknown) else {
            break;
        };
        blank_key(&mut cur, span.start);
        if toml::from_str::<toml::Table>(&cur).is_err() {
            break;
        }
    }
    // Serde meets keys in its own order; the file's order reads better.
    errs.sort_by_key(|e| e.span().map_or(0, |s| s.start));
    (value, errs)
}

/// Overwrites with spaces the line holding byte `at` and the lines after
/// it up to the next key or header: the rest of a value written over
/// several lines, or, when that line opens a table (`[x]`), the table's
/// keys.
fn blank_key(text: &mut String, at: usize) {
    let start = text[..at.min(text.len())].rfind('\n').map_or(0, |i| i + 1);
    let mut end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    let table = text[start..end].trim_start().starts_with('[');
    let stops = |line: &str| {
        let t = line.trim_start();
        t.starts_with('[')
            || (!table
                && t.split_once('=').is_some_and(|(k, _)| {
                    let k = k.trim();
                    !k.is_empty()
                        && k.chars()
                            .all(|c| c.is_alphanumeric() || "_-.\"' ".contains(c))
                }))
    };
    while end < text.len() {
        let next = end + 1;
        let next_end = text[next..].find('\n').map_or(text.len(), |i| next + i);
        if stops(&text[next..next_end]) {
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
        let (v, errs) = toml_all_unknown_fields::<T>(text);
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
