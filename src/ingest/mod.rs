//! Ingest: turn a source document (`.txt`, `.md`, `.html`, `.pdf`) into a
//! statement file of the corpus. [`extract_text`] reads the source and
//! returns normalised plain text, one paragraph, heading, list item or table
//! row per line, so the disclosure aligner can split it into items; HTML and
//! PDF go through real converters (`html2text`, `pdf-extract`) behind the
//! `html` and `pdf` cargo features. [`write_statement`] writes front matter
//! plus body under `corpus/<entity>/`, refusing unsafe names and existing
//! files, and never leaves a half-written file behind. Nothing here prints:
//! every problem is an [`IngestError`] naming the file and what was expected.
//!
//! ```no_run
//! use std::path::Path;
//! use claimdiff::ingest::{NewStatement, extract_text, write_statement};
//!
//! let extracted = extract_text(Path::new("ar-2023.pdf"))?;
//! let meta = NewStatement {
//!     entity: "example-corp".into(),
//!     kind: "annual-report".into(),
//!     date: "2024-03-28".into(),
//!     series: Some("annual-report".into()),
//!     period: Some("2023".into()),
//!     ..Default::default()
//! };
//! // statements/example-corp/annual-report-2023.md
//! let path = write_statement(Path::new("statements"), &meta, &extracted.text)?;
//! # Ok::<(), claimdiff::ingest::IngestError>(())
//! ```

mod extract;
mod write;

use std::fmt;
use std::io;
use std::path::PathBuf;

pub use extract::{Extracted, SourceFormat, extract_bytes, extract_text, normalise_text};
pub use write::{
    KINDS, NewStatement, SPEAKER_ROLES, WriteRefused, implied_speaker_role, render_statement,
    validate_date, write_checked, write_statement,
};

/// Everything that can go wrong while extracting a source or writing a
/// statement file. Messages are lowercase and name the file or value at fault
/// and what was expected, so the CLI can print them as they are.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum IngestError {
    #[error("cannot read {}: {source}", path.display())]
    Read {
        path: PathBuf,
        #[source]
        source: io::Error,
    },

    #[error(
        "{}: not valid UTF-8 at byte {offset}; expected UTF-8 text (convert it first, e.g. with iconv)",
        path.display()
    )]
    InvalidUtf8 { path: PathBuf, offset: usize },

    #[error("{}: not valid {encoding} text, the encoding the file declares", path.display())]
    InvalidEncoding {
        path: PathBuf,
        encoding: &'static str,
    },

    #[error(
        "{}: unsupported file type{}; expected .txt, .md, .html or .pdf",
        path.display(),
        extension.as_deref().map(|e| format!(" `.{e}`")).unwrap_or_default()
    )]
    UnsupportedFormat {
        path: PathBuf,
        extension: Option<String>,
    },

    #[error(
        "{}: {format} input needs the `{feature}` cargo feature, which this build leaves out",
        path.display()
    )]
    FeatureDisabled {
        path: PathBuf,
        format: SourceFormat,
        feature: &'static str,
    },

    #[error("{}: cannot convert HTML to text: {message}", path.display())]
    Html { path: PathBuf, message: String },

    #[error(
        "{}: the PDF is encrypted with a password; decrypt it first (e.g. `qpdf --decrypt --password=PASSWORD in.pdf out.pdf`)",
        path.display()
    )]
    PdfEncrypted { path: PathBuf },

    #[error("{}: cannot read PDF: {message}", path.display())]
    Pdf { path: PathBuf, message: String },

    #[error("{}: no extractable text{}", path.display(), no_text_hint(*format))]
    NoText { path: PathBuf, format: SourceFormat },

    #[error("invalid {field} `{value}`: {reason}")]
    UnsafeName {
        field: &'static str,
        value: String,
        reason: &'static str,
    },

    #[error("invalid date `{value}`: expected YYYY, YYYY-MM or YYYY-MM-DD, a real calendar date")]
    InvalidDate { value: String },

    #[error(
        "invalid period `{value}`: expected a year (2023), a quarter (2023-Q3) or a half (2023-H1)"
    )]
    InvalidPeriod { value: String },

    #[error(
        "unknown {field} `{value}`{}; expected one of: {}",
        suggestion.as_deref().map(|s| format!("; did you mean `{s}`?")).unwrap_or_default(),
        expected.join(", ")
    )]
    UnknownValue {
        field: &'static str,
        value: String,
        suggestion: Option<String>,
        expected: &'static [&'static str],
    },

    #[error(
        "entity `{value}` differs only in case from the existing folder `{existing}`; did you mean `{existing}`?"
    )]
    EntityCase { value: String, existing: String },

    #[error("the statement body has no text; expected the source's words")]
    EmptyBody,

    #[error(
        "corpus directory {} does not exist or is not a directory; create it (`claimdiff init` starts a new corpus) or name another with --corpus",
        path.display()
    )]
    MissingCorpus { path: PathBuf },

    #[error("{} already exists; refusing to overwrite it", path.display())]
    AlreadyExists { path: PathBuf },

    #[error("cannot write {}: {source}", path.display())]
    Write {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
}

fn no_text_hint(format: SourceFormat) -> &'static str {
    match format {
        // The usual cause is a scan: pages that are pictures of text.
        SourceFormat::Pdf => " (a scanned image?); OCR it first, e.g. with ocrmypdf",
        _ => "; the file is empty or holds only markup",
    }
}

impl fmt::Display for SourceFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            SourceFormat::Text => "text",
            SourceFormat::Markdown => "Markdown",
            SourceFormat::Html => "HTML",
            SourceFormat::Pdf => "PDF",
        })
    }
}
