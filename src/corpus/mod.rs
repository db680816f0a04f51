//! The corpus: dated statements and the entities they are about.
//!
//! This stage owns everything about reading statements — Markdown files with
//! TOML front matter under `statements/<entity>/`, bulk `.jsonl` files,
//! `entity.toml` — and the values they carry: dates as intervals, kinds,
//! speaker roles, series periods, entity groups, and the segmentation of a
//! body into units. It reports every bad file it meets (never just the
//! first), and nothing downstream sees a corpus that did not load whole.

mod date;
mod fields;
mod load;
mod textcols;
pub mod units;

pub use date::{DateRange, Precision, Relation, parse_window};
pub(crate) use load::folder_entries;
pub use load::{
    LoadOptions, Progress, Visit, is_web_url, load, load_entities, load_lenient, load_streaming,
    misspelt_entities, non_web_urls, parse_jsonl_line, parse_statement_text, reload_text,
    unknown_ignores, unread_files,
};
pub use textcols::TextCols;

use crate::error::Diagnostic;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::PathBuf;

macro_rules! string_enum {
    ($(#[$m:meta])* $name:ident { $($var:ident = $s:literal),* $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $($var),* }
        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$var),*];
            pub fn as_str(self) -> &'static str { match self { $($name::$var => $s),* } }
            pub fn names() -> impl Iterator<Item = &'static str> { Self::ALL.iter().map(|v| v.as_str()) }
            pub fn parse(s: &str) -> Option<$name> { Self::ALL.iter().copied().find(|v| v.as_str() == s) }
        }
        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result { f.write_str(self.as_str()) }
        }
        impl Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> { s.serialize_str(self.as_str()) }
        }
    };
}

string_enum!(
    /// What kind of document a statement is.
    Kind {
        AnnualReport = "annual-report", InterimReport = "interim-report", EsgReport = "esg-report",
        Filing = "filing", Prospectus = "prospectus", CourtFiling = "court-filing",
        PressRelease = "press-release", PressReply = "press-reply", Statement = "statement",
        Speech = "speech", Interview = "interview", Testimony = "testimony",
        EarningsCall = "earnings-call", Advertisement = "advertisement", Website = "website",
        SocialPost = "social-post", Contract = "contract", Tender = "tender", Recording = "recording",
        LeakedDocument = "leaked-document", Investigation = "investigation", MediaReport = "media-report",
        GovernmentAction = "government-action", Academic = "academic", Other = "other",
    }
);

impl Kind {
    /// Kinds that form a series on their own when a statement gives a
    /// `period` but no `series` name.
    pub fn is_periodic(self) -> bool {
        matches!(
            self,
            Kind::AnnualReport | Kind::InterimReport | Kind::EsgReport
        )
    }
}

string_enum!(
    /// Who is speaking, relative to the entity.
    SpeakerRole { Entity = "entity", Agent = "agent", ThirdParty = "third-party", Government = "government" }
);

string_enum!(
    /// How bad a finding is.
    Severity { Info = "info", Low = "low", Medium = "medium", High = "high", Critical = "critical" }
);

impl Severity {
    /// One step up, for `watch` patterns.
    pub fn raised(self) -> Severity {
        match self {
            Severity::Info => Severity::Low,
            Severity::Low => Severity::Medium,
            Severity::Medium => Severity::High,
            Severity::High | Severity::Critical => Severity::Critical,
        }
    }
}

/// The period of a series version: `2021`, `"2021-Q3"`, `"2021-H1"`.
/// Orders by year, then half, then quarter; a full year sorts after its parts.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Period {
    pub raw: String,
    key: (i32, u8),
}

impl Period {
    pub fn parse(s: &str) -> Result<Period, String> {
        let t = s.trim();
        let bad = || {
            format!(
                "`{t}` is not a period: expected a year (2021), a quarter (\"2021-Q3\") or a half (\"2021-H1\")"
            )
        };
        let (y, rest) = t.split_at(t.find('-').unwrap_or(t.len()));
        let year: i32 = if y.len() == 4 {
            y.parse().map_err(|_| bad())?
        } else {
            return Err(bad());
        };
        let sub = match rest {
            "" => 9,
            "-H1" => 3,
            "-H2" => 6,
            "-Q1" => 1,
            "-Q2" => 2,
            "-Q3" => 4,
            "-Q4" => 5,
            _ => return Err(bad()),
        };
        Ok(Period {
            raw: t.to_string(),
            key: (year, sub),
        })
    }
}

impl PartialOrd for Period {
    fn partial_cmp(&self, o: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(o))
    }
}
impl Ord for Period {
    fn cmp(&self, o: &Self) -> std::cmp::Ordering {
        self.key.cmp(&o.key).then_with(|| self.raw.cmp(&o.raw))
    }
}
impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.raw)
    }
}

/// Where a statement came from, so its text can be found again and its
/// spans reported as `file:line:col`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    pub path: PathBuf,
    /// Line of the file on which the body's first line stands (1-based).
    /// For a JSONL statement, the line of its record.
    pub body_line: usize,
    /// True for a statement read from a `.jsonl` line.
    pub jsonl: bool,
    /// Byte offset of the JSONL line in its file (0 for a statement file),
    /// so the text can be read again without keeping it.
    pub offset: u64,
    /// For a JSONL statement, where its text stands on the record's line
    /// (`None` for a statement file, or when the line could not be mapped:
    /// positions are then at column 1). Let go with the text.
    pub text_cols: Option<TextCols>,
}

/// One dated public text.
#[derive(Debug, Clone)]
pub struct Statement {
    pub id: String,
    pub entity: String,
    pub date: DateRange,
    pub event_date: Option<DateRange>,
    pub kind: Kind,
    pub speaker: Option<String>,
    pub speaker_role: Option<SpeakerRole>,
    pub source: Option<String>,
    pub publisher: Option<String>,
    pub url: Option<String>,
    pub archive_url: Option<String>,
    /// Path of the local verbatim copy of the source, resolved against the
    /// statement file's folder and checked to stay inside the corpus.
    pub archived: Option<PathBuf>,
    pub via: Option<String>,
    pub topics: Vec<String>,
    pub lang: String,
    pub series: Option<String>,
    pub period: Option<Period>,
    pub about: Vec<String>,
    pub note: Option<String>,
    /// Rule id → reason it is suppressed here.
    pub ignore: BTreeMap<String, String>,
    /// The source establishes that this version lists no items (an empty
    /// body is otherwise "unreadable").
    pub empty: bool,
    pub origin: Origin,
    pub text: String,
}

impl Statement {
    /// The interval used for time comparisons: `event_date` when the
    /// statement has one (when the underlying fact happened), else `date`.
    pub fn when(&self) -> &DateRange {
        self.event_date.as_ref().unwrap_or(&self.date)
    }

    /// The series this statement is a version of, if any.
    pub fn series_name(&self) -> Option<&str> {
        match (&self.series, &self.period) {
            (Some(s), _) => Some(s),
            (None, Some(_)) if self.kind.is_periodic() => Some(self.kind.as_str()),
            _ => None,
        }
    }

    /// Known only through a secondary source, with no local copy to check.
    pub fn second_hand(&self) -> bool {
        self.via.is_some() && self.archived.is_none()
    }

    /// `file:line` position of a byte offset in the body.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        self.position(&units::LineIndex::new(&self.text), offset)
    }

    /// [`Statement::line_col`] with the body's line index built once. A
    /// statement file: the body's line and column in the file. A JSONL
    /// statement: the record's line, and the column there of the offset
    /// inside the `text` string as written (1 when it cannot be mapped).
    pub fn position(&self, idx: &units::LineIndex, offset: usize) -> (usize, usize) {
        if self.origin.jsonl {
            let col = self
                .origin
                .text_cols
                .as_ref()
                .map_or(1, |m| m.col(&self.text, offset));
            return (self.origin.body_line, col);
        }
        let (l, c) = idx.line_col(&self.text, offset);
        (self.origin.body_line + l - 1, c)
    }
}

/// An entity from `entity.toml` (or implied by a folder or a JSONL line).
#[derive(Debug, Clone, Default)]
pub struct Entity {
    pub id: String,
    pub name: String,
    pub aliases: Vec<String>,
    pub parent: Option<String>,
    pub identifiers: BTreeMap<String, String>,
}

/// Entities and their groups: a subsidiary's `parent` puts it in its
/// parent's group, and rules pair statements only within one group.
#[derive(Debug, Clone, Default)]
pub struct Entities {
    pub by_id: BTreeMap<String, Entity>,
}

impl Entities {
    /// The root of the entity's parent chain (itself when it has none).
    pub fn group(&self, id: &str) -> String {
        let mut cur = id.to_string();
        let mut seen = BTreeSet::new();
        while let Some(p) = self.by_id.get(&cur).and_then(|e| e.parent.clone()) {
            if !seen.insert(cur.clone()) {
                break;
            }
            cur = p;
        }
        cur
    }

    /// Name and aliases, for `{entity}` in patterns.
    pub fn names(&self, id: &str) -> Vec<String> {
        match self.by_id.get(id) {
            Some(e) => std::iter::once(e.name.clone())
                .chain(e.aliases.iter().cloned())
                .collect(),
            None => vec![id.to_string()],
        }
    }

    pub fn display_name(&self, id: &str) -> String {
        self.by_id
            .get(id)
            .map_or_else(|| id.to_string(), |e| e.name.clone())
    }
}

/// A loaded corpus: every statement, in a deterministic order (by id).
#[derive(Debug, Clone, Default)]
pub struct Corpus {
    pub root: PathBuf,
    pub entities: Entities,
    pub statements: Vec<Statement>,
}

impl Corpus {
    pub fn get(&self, id: &str) -> Option<&Statement> {
        self.statements.iter().find(|s| s.id == id)
    }

    /// Groups a statement belongs to: its entity's, and those of `about`.
    pub fn groups_of(&self, s: &Statement) -> BTreeSet<String> {
        std::iter::once(&s.entity)
            .chain(&s.about)
            .map(|e| self.entities.group(e))
            .collect()
    }
}

/// What went wrong while loading, file by file.
pub type LoadProblems = Vec<Diagnostic>;

/// 1-based line and column of a byte offset (shared with rule loading).
pub fn offset_line_col_pub(s: &str, off: usize) -> (usize, usize) {
    load::offset_line_col(s, off)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_order_by_year_then_part() {
        let mut p: Vec<Period> = ["2021", "2021-Q3", "2020", "2021-H1", "2021-Q1"]
            .iter()
            .map(|s| Period::parse(s).unwrap())
            .collect();
        p.sort();
        let got: Vec<&str> = p.iter().map(|p| p.raw.as_str()).collect();
        assert_eq!(got, ["2020", "2021-Q1", "2021-H1", "2021-Q3", "2021"]);
        assert!(Period::parse("FY21").is_err());
    }

    #[test]
    fn groups_follow_parents() {
        let mut e = Entities::default();
        e.by_id.insert(
            "audi".into(),
            Entity {
                id: "audi".into(),
                parent: Some("vw".into()),
                ..Default::default()
            },
        );
        e.by_id.insert(
            "vw".into(),
            Entity {
                id: "vw".into(),
                ..Default::default()
            },
        );
        assert_eq!(e.group("audi"), "vw");
        assert_eq!(e.group("vw"), "vw");
        assert_eq!(e.group("unknown"), "unknown");
    }
}
