//! Quote verification: a statement's body must occur in the local verbatim
//! copy of its source (`archived`), so a typo, a paraphrase or a quote
//! stitched together from two places is caught before it is published.
//!
//! Both sides are normalised before comparing, because a copy-paste from a
//! web page or a PDF changes the form of a text but not its words: curly and
//! straight quotes, dashes of every width, `…` and `...`, line breaks and
//! runs of whitespace, and letter case (quotes often change the case of
//! their first letter to fit a sentence). Markdown list markers in the body
//! are dropped, and each list item is verified on its own, since a list in
//! a body transcribes items the source may give inline ("Luopu, Moyu, …").
//! An ellipsis in the body marks an omission: the parts around it must each
//! occur, in that order. Anything else must match word for word.
//!
//! The archived copy is read through [`crate::ingest::extract_text`] (text,
//! HTML or PDF) and its sha256 is recorded, so a finding can say which copy
//! of the source its quote was checked against.

use crate::corpus::Statement;
use crate::desk::diff::{Seg, word_diff, word_similarity};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

/// The outcome of verifying one statement.
#[derive(Debug, Clone)]
pub struct Verification {
    /// The archived copy checked against, if the statement names one.
    pub archived: Option<PathBuf>,
    /// sha256 of the archived file's bytes, when it could be read.
    pub sha256: Option<String>,
    pub status: Status,
}

#[derive(Debug, Clone)]
pub enum Status {
    /// No `archived` copy: nothing to verify against.
    NotArchived,
    /// The body is empty (`empty = true` versions): nothing to verify.
    EmptyBody,
    /// Every part of the body occurs in the copy.
    Verified,
    /// These parts of the body do not occur in the copy.
    Mismatch(Vec<Mismatch>),
    /// The copy could not be read or holds no text.
    Unreadable(String),
}

/// A part of the body that the source does not contain.
#[derive(Debug, Clone)]
pub struct Mismatch {
    /// Byte offset of the part in the statement's body.
    pub offset: usize,
    /// The part as the body has it (whitespace collapsed).
    pub quote: String,
    /// The passage of the source most like it, and the word similarity.
    pub closest: Option<(String, f64)>,
    /// Word diff from the closest passage to the quote.
    pub diff: Vec<Seg>,
}

impl Verification {
    pub fn is_ok(&self) -> bool {
        !matches!(self.status, Status::Mismatch(_) | Status::Unreadable(_))
    }
}

/// Verifies a statement's body against its archived copy.
pub fn verify_statement(st: &Statement) -> Verification {
    Verifier::default().verify(st)
}

/// Verifies many statements, extracting each archived copy once: many
/// statements quote one article, and a PDF is slow to extract.
#[derive(Default)]
pub struct Verifier {
    /// Path → (extracted text, sha256), or the extraction error.
    copies: HashMap<PathBuf, Result<(String, String), String>>,
}

impl Verifier {
    pub fn verify(&mut self, st: &Statement) -> Verification {
        let Some(path) = &st.archived else {
            return Verification {
                archived: None,
                sha256: None,
                status: Status::NotArchived,
            };
        };
        let copy = self.copies.entry(path.clone()).or_insert_with(|| {
            crate::ingest::extract_text(path)
                .map(|e| (e.text, e.sha256))
                .map_err(|e| e.to_string())
        });
        match copy {
            Ok((text, sha)) => Verification {
                archived: Some(path.clone()),
                sha256: Some(sha.clone()),
                status: verify_text(&st.text, text),
            },
            Err(e) => Verification {
                archived: Some(path.clone()),
                sha256: archived_sha256(st),
                status: Status::Unreadable(e.clone()),
            },
        }
    }
}

/// Verifies `body` against `source` text (both as written; normalised here).
pub fn verify_text(body: &str, source: &str) -> Status {
    let parts = body_parts(body);
    if parts.is_empty() {
        return Status::EmptyBody;
    }
    let src = Normalised::new(source);
    let mut bad = Vec::new();
    for (offset, part) in parts {
        let pieces: Vec<String> = split_ellipsis(&part)
            .into_iter()
            .map(|p| normalise(&p))
            .filter(|p| !p.is_empty())
            .collect();
        let mut from = 0;
        let mut ok = true;
        for p in &pieces {
            match src.text[from..].find(p.as_str()) {
                Some(i) => from += i + p.len(),
                None => {
                    ok = false;
                    break;
                }
            }
        }
        if !ok {
            let quote = crate::finding::collapse(&part);
            let closest = closest_passage(&quote, source);
            let diff = closest
                .as_ref()
                .map(|(c, _)| word_diff(c, &quote))
                .unwrap_or_default();
            bad.push(Mismatch {
                offset,
                quote,
                closest,
                diff,
            });
        }
    }
    if bad.is_empty() {
        Status::Verified
    } else {
        Status::Mismatch(bad)
    }
}

/// sha256 of the statement's archived copy (the file's bytes), if it has
/// one that can be read. Cached per path: findings ask once per side.
pub fn archived_sha256(st: &Statement) -> Option<String> {
    static CACHE: OnceLock<Mutex<HashMap<PathBuf, Option<String>>>> = OnceLock::new();
    let path = st.archived.as_ref()?;
    let cache = CACHE.get_or_init(Default::default);
    if let Some(h) = cache.lock().ok()?.get(path) {
        return h.clone();
    }
    let h = file_sha256(path);
    if let Ok(mut c) = cache.lock() {
        c.insert(path.clone(), h.clone());
    }
    h
}

fn file_sha256(path: &Path) -> Option<String> {
    std::fs::read(path)
        .ok()
        .map(|b| crate::finding::sha256_hex(&b))
}

/// The body split into the parts verified on their own: each Markdown list
/// item, and each run of other lines (a paragraph break is just whitespace).
/// Offsets are byte offsets in the body.
fn body_parts(body: &str) -> Vec<(usize, String)> {
    let mut parts: Vec<(usize, String)> = Vec::new();
    let mut run: Option<(usize, String)> = None;
    let mut off = 0;
    for line in body.split_inclusive('\n') {
        let start = off;
        off += line.len();
        let trimmed = line.trim();
        if trimmed.is_empty() {
            continue;
        }
        let lead = line.len() - line.trim_start().len();
        if let Some(rest) = strip_list_marker(trimmed) {
            if let Some(r) = run.take() {
                parts.push(r);
            }
            let marker = trimmed.len() - rest.len();
            parts.push((start + lead + marker, rest.to_string()));
        } else {
            match &mut run {
                Some((_, s)) => {
                    s.push(' ');
                    s.push_str(trimmed);
                }
                None => run = Some((start + lead, trimmed.to_string())),
            }
        }
    }
    if let Some(r) = run {
        parts.push(r);
    }
    parts.retain(|(_, s)| s.chars().any(char::is_alphanumeric));
    parts
}

/// The text after a Markdown list marker (`-`, `*`, `+`, `•`, `1.`, `1)`),
/// or `None` when the line is not a list item.
fn strip_list_marker(line: &str) -> Option<&str> {
    for m in ["- ", "* ", "+ ", "• "] {
        if let Some(r) = line.strip_prefix(m) {
            return Some(r.trim_start());
        }
    }
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    if digits > 0 && digits <= 3 {
        let rest = &line[digits..];
        if let Some(r) = rest.strip_prefix(". ").or_else(|| rest.strip_prefix(") ")) {
            return Some(r.trim_start());
        }
    }
    None
}

/// Splits at an ellipsis (`…`, `...`, `[…]`, `[...]`): an omission.
fn split_ellipsis(s: &str) -> Vec<String> {
    let t = s
        .replace("[…]", "\u{0}")
        .replace("[...]", "\u{0}")
        .replace('…', "\u{0}")
        .replace("...", "\u{0}");
    t.split('\u{0}').map(str::to_string).collect()
}

/// One character's normal form: quotes, dashes and spaces folded.
fn fold(c: char) -> Option<char> {
    Some(match c {
        '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' | '`' | '\u{00B4}' => '\'',
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{2033}' | '\u{00AB}'
        | '\u{00BB}' | '\u{300C}' | '\u{300D}' => '"',
        '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2014}' | '\u{2015}'
        | '\u{2212}' | '\u{FE58}' | '\u{FE63}' | '\u{FF0D}' => '-',
        '\u{00AD}' | '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{FEFF}' => return None,
        c if c.is_whitespace() => ' ',
        c => c,
    })
}

/// The comparison form of a text: folded characters, lower case, `…` as
/// `...`, whitespace collapsed, and no space around a dash (sources differ
/// in "a — b" and "a—b").
pub fn normalise(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.chars() {
        let Some(f) = fold(c) else { continue };
        if c == '…' {
            if space && !out.ends_with('-') {
                out.push(' ');
            }
            out.push_str("...");
            space = false;
            continue;
        }
        if f == ' ' {
            space = !out.is_empty();
            continue;
        }
        if space && f != '-' && !out.ends_with('-') {
            out.push(' ');
        }
        space = false;
        out.extend(f.to_lowercase());
    }
    out
}

struct Normalised {
    text: String,
}

impl Normalised {
    fn new(s: &str) -> Normalised {
        Normalised { text: normalise(s) }
    }
}

/// The passage of `source` most like `quote`: among windows of the source
/// as many words long as the quote, the few sharing the most words are
/// compared word by word. Linear in the source, so a long filing stays fast.
fn closest_passage(quote: &str, source: &str) -> Option<(String, f64)> {
    let q: Vec<String> = quote.split_whitespace().map(normalise).collect();
    let words: Vec<&str> = source.split_whitespace().collect();
    if q.is_empty() || words.is_empty() {
        return None;
    }
    let norm: Vec<String> = words.iter().map(|w| normalise(w)).collect();
    let qset: std::collections::HashSet<&str> = q.iter().map(String::as_str).collect();
    let n = q.len().min(words.len());
    let hit = |i: usize| usize::from(qset.contains(norm[i].as_str()));
    let mut count: usize = (0..n).map(hit).sum();
    let mut scored = vec![(count, 0usize)];
    for start in 1..=(words.len() - n) {
        count = count + hit(start + n - 1) - hit(start - 1);
        scored.push((count, start));
    }
    scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let qn = q.join(" ");
    scored
        .into_iter()
        .take(8)
        .map(|(_, s)| {
            let passage = words[s..s + n].join(" ");
            let score = word_similarity(&norm[s..s + n].join(" "), &qn);
            (passage, score)
        })
        .max_by(|a, b| a.1.total_cmp(&b.1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typography_and_line_breaks_do_not_matter() {
        let src = "He said: \u{201C}We don\u{2019}t know \u{2014} really.\u{201D}\nNext line.";
        assert!(matches!(
            verify_text("\"We don't\nknow - really.\"", src),
            Status::Verified
        ));
        assert!(matches!(
            verify_text("We don't know … Next line", src),
            Status::Verified
        ));
    }

    #[test]
    fn list_items_are_verified_one_by_one() {
        let src = "projects in Luopu, Moyu, Pishan, Urumqi, and Yutian";
        assert!(matches!(
            verify_text("- Luopu\n- Moyu\n* Yutian\n", src),
            Status::Verified
        ));
        match verify_text("- Luopu\n- Kashgar\n", src) {
            Status::Mismatch(m) => {
                assert_eq!(m.len(), 1);
                assert_eq!(m[0].quote, "Kashgar");
                assert_eq!(m[0].offset, 10);
            }
            s => panic!("{s:?}"),
        }
    }

    #[test]
    fn a_changed_word_is_a_mismatch_with_the_closest_passage() {
        let src = "Intro. We did not knowingly commit abuses. Outro words here.";
        match verify_text("We did not intentionally commit abuses.", src) {
            Status::Mismatch(m) => {
                let (c, _) = m[0].closest.clone().unwrap();
                assert_eq!(c, "We did not knowingly commit abuses.");
                assert_eq!(
                    crate::desk::diff::render_plain(&m[0].diff),
                    "We did not [-knowingly-] {+intentionally+} commit abuses."
                );
            }
            s => panic!("{s:?}"),
        }
        assert!(matches!(verify_text("", src), Status::EmptyBody));
    }
}
