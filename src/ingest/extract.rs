//! Source documents to plain text. The format comes from the file's content
//! where it carries a signature (`%PDF-`, an HTML doctype or `<html>` tag),
//! else from its extension: downloads are often misnamed (an HTML error page
//! saved as `.pdf`), and the content does not lie. Every format ends in
//! [`normalise_text`], so the body written to the corpus has one shape
//! whatever it came from: `\n` line ends, no trailing spaces, paragraphs
//! separated by exactly one blank line.

use std::path::Path;

use sha2::{Digest, Sha256};

use super::IngestError;

/// The kinds of source `extract_text` understands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SourceFormat {
    Text,
    Markdown,
    Html,
    Pdf,
}

impl SourceFormat {
    /// The format named by a file's extension (case-insensitive), if any.
    pub fn from_extension(path: &Path) -> Option<SourceFormat> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        Some(match ext.as_str() {
            "txt" | "text" => SourceFormat::Text,
            "md" | "markdown" => SourceFormat::Markdown,
            "html" | "htm" | "xhtml" => SourceFormat::Html,
            "pdf" => SourceFormat::Pdf,
            _ => return None,
        })
    }

    /// The format the content announces by its signature, if any.
    pub fn sniff(bytes: &[u8]) -> Option<SourceFormat> {
        // The PDF spec lets readers find the header within the first 1024
        // bytes; some generators put junk before it.
        let head = &bytes[..bytes.len().min(1024)];
        if head.windows(5).any(|w| w == b"%PDF-") {
            return Some(SourceFormat::Pdf);
        }
        let start = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
        let start = start.trim_ascii_start();
        let opens_with =
            |tag: &[u8]| start.len() >= tag.len() && start[..tag.len()].eq_ignore_ascii_case(tag);
        if opens_with(b"<!doctype html") || opens_with(b"<html") {
            return Some(SourceFormat::Html);
        }
        None
    }

    /// Content signature first, extension second.
    pub fn detect(path: &Path, bytes: &[u8]) -> Result<SourceFormat, IngestError> {
        SourceFormat::sniff(bytes)
            .or_else(|| SourceFormat::from_extension(path))
            .ok_or_else(|| IngestError::UnsupportedFormat {
                path: path.to_path_buf(),
                extension: path.extension().map(|e| e.to_string_lossy().into_owned()),
            })
    }
}

/// The text of a source document, ready to be a statement body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Extracted {
    /// Normalised text (see [`normalise_text`]); never empty.
    pub text: String,
    /// The format it was read as.
    pub format: SourceFormat,
    /// Lowercase hex SHA-256 of the source file's bytes, as read.
    pub sha256: String,
}

/// Reads `path` and extracts its text. A file that cannot be read, is not
/// valid in its format, or holds no text is an error; nothing is written
/// anywhere either way.
pub fn extract_text(path: &Path) -> Result<Extracted, IngestError> {
    let bytes = std::fs::read(path).map_err(|source| IngestError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    extract_bytes(path, &bytes)
}

/// [`extract_text`] on bytes already in memory (stdin, a download). `path`
/// is used for the extension and in error messages only.
pub fn extract_bytes(path: &Path, bytes: &[u8]) -> Result<Extracted, IngestError> {
    let format = SourceFormat::detect(path, bytes)?;
    let raw = match format {
        SourceFormat::Text | SourceFormat::Markdown => match decode_utf16(path, bytes) {
            Some(text) => text?,
            None => decode_utf8(path, bytes)?.to_owned(),
        },
        SourceFormat::Html => html_to_text(path, bytes)?,
        SourceFormat::Pdf => pdf_to_text(path, bytes)?,
    };
    let mut text = normalise_text(&raw);
    if format == SourceFormat::Pdf {
        text = undouble(&expand_ligatures(&text));
    }
    // A scan printed to PDF by a browser has a text layer all the same:
    // the print header and the page-counting footer. Text that is all page
    // furniture has no disclosure in it; written, it would be a version
    // whose every earlier item is dropped.
    let furniture_only =
        format == SourceFormat::Pdf && crate::align::split_items(&text, 0).is_empty();
    if !text.chars().any(char::is_alphanumeric) || furniture_only {
        return Err(IngestError::NoText {
            path: path.to_path_buf(),
            format,
        });
    }
    Ok(Extracted {
        text,
        format,
        sha256: sha256_hex(bytes),
    })
}

fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Text saved as UTF-16 with its byte-order mark (Windows Notepad's
/// "Unicode"), decoded strictly; `None` for text without such a mark.
fn decode_utf16(path: &Path, bytes: &[u8]) -> Option<Result<String, IngestError>> {
    let (body, little) = match bytes {
        [0xFF, 0xFE, rest @ ..] => (rest, true),
        [0xFE, 0xFF, rest @ ..] => (rest, false),
        _ => return None,
    };
    let from = if little {
        u16::from_le_bytes
    } else {
        u16::from_be_bytes
    };
    let bad = || IngestError::InvalidEncoding {
        path: path.to_path_buf(),
        encoding: "UTF-16",
    };
    if body.len() % 2 != 0 {
        return Some(Err(bad()));
    }
    let units: Vec<u16> = body.chunks_exact(2).map(|c| from([c[0], c[1]])).collect();
    Some(String::from_utf16(&units).map_err(|_| bad()))
}

/// Strict UTF-8, BOM dropped. A wrong guess at an encoding would put
/// mojibake into a corpus whose bodies must be verbatim, so a bad byte is an
/// error that says where it is.
fn decode_utf8<'a>(path: &Path, bytes: &'a [u8]) -> Result<&'a str, IngestError> {
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    std::str::from_utf8(body).map_err(|e| IngestError::InvalidUtf8 {
        path: path.to_path_buf(),
        // Counted in the file as stored, BOM included, so `cmp`/`xxd` agree.
        offset: bytes.len() - body.len() + e.valid_up_to(),
    })
}

/// Normalises extracted text so bodies compare equal whatever produced
/// them: CRLF and lone CR become `\n`; a form feed (a PDF page break) becomes
/// a paragraph break; other control characters are dropped; trailing
/// whitespace (NBSP included) goes; blank lines at the start and end go and
/// runs of blank lines shrink to one. The result ends with one `\n`, or is
/// empty.
/// The Latin ligatures of Unicode's presentation forms (`ﬁ`, `ﬂ`, …),
/// which PDF text extraction returns where the font set one glyph: spelt
/// out, so that `ﬁle` is found by a search for `file` and compares equal
/// to the text of the same filing in HTML. Only these: a normalisation
/// such as NFKC would also turn CJK full-width punctuation into ASCII.
fn expand_ligatures(text: &str) -> String {
    if !text.contains(|c| ('\u{fb00}'..='\u{fb06}').contains(&c)) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '\u{fb00}' => out.push_str("ff"),
            '\u{fb01}' => out.push_str("fi"),
            '\u{fb02}' => out.push_str("fl"),
            '\u{fb03}' => out.push_str("ffi"),
            '\u{fb04}' => out.push_str("ffl"),
            '\u{fb05}' | '\u{fb06}' => out.push_str("st"),
            c => out.push(c),
        }
    }
    out
}

pub fn normalise_text(raw: &str) -> String {
    let unified = raw
        .replace("\r\n", "\n")
        .replace('\r', "\n")
        .replace('\u{c}', "\n\n");
    let mut out = String::with_capacity(unified.len());
    let mut pending_blank = false;
    for line in unified.split('\n') {
        let line: String = line
            .chars()
            .filter(|c| *c == '\t' || !c.is_control())
            .collect();
        let line = line.trim_end();
        if line.is_empty() {
            // Only remember a blank line once there is text before it, so
            // leading blank lines disappear.
            pending_blank = !out.is_empty();
            continue;
        }
        if pending_blank {
            out.push('\n');
            pending_blank = false;
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

#[cfg(feature = "html")]
fn html_to_text(path: &Path, bytes: &[u8]) -> Result<String, IngestError> {
    let source = html::decode(path, bytes)?;
    // Very wide: a paragraph stays on one line, so line breaks in the body
    // are the document's structure, not the renderer's wrapping.
    const WIDTH: usize = 100_000;
    html2text::config::with_decorator(html::BodyDecorator)
        .no_table_borders()
        .string_from_read(source.as_bytes(), WIDTH)
        .map_err(|e| IngestError::Html {
            path: path.to_path_buf(),
            message: e.to_string(),
        })
}

#[cfg(not(feature = "html"))]
fn html_to_text(path: &Path, _bytes: &[u8]) -> Result<String, IngestError> {
    Err(IngestError::FeatureDisabled {
        path: path.to_path_buf(),
        format: SourceFormat::Html,
        feature: "html",
    })
}

#[cfg(feature = "html")]
mod html {
    //! HTML specifics: the page's declared encoding, and a decorator that
    //! writes Markdown-shaped structure without link or emphasis noise.

    use std::borrow::Cow;
    use std::path::Path;

    use html2text::render::{TaggedLine, TextDecorator};

    use super::decode_utf8;
    use crate::ingest::IngestError;

    /// The page's text as UTF-8. A byte-order mark wins; then bytes that
    /// are valid UTF-8 are read as UTF-8 whatever the page declares (pages
    /// saved as UTF-8 that still say `iso-8859-1` are common, and a wrong
    /// single-byte decoding never fails, it silently garbles); then a
    /// `charset` declared in the first 1024 bytes, as browsers pre-scan.
    /// Chinese filings are often GBK or Big5, and html2text itself only
    /// reads UTF-8.
    pub(super) fn decode<'a>(path: &Path, bytes: &'a [u8]) -> Result<Cow<'a, str>, IngestError> {
        let encoding = match encoding_rs::Encoding::for_bom(bytes) {
            Some((enc, _)) => Some(enc),
            None if std::str::from_utf8(bytes).is_ok() => None,
            None => declared_charset(bytes),
        };
        match encoding {
            None => decode_utf8(path, bytes).map(Cow::Borrowed),
            Some(enc) if enc == encoding_rs::UTF_8 => decode_utf8(path, bytes).map(Cow::Borrowed),
            Some(enc) => {
                let (text, _, had_errors) = enc.decode(bytes);
                if had_errors {
                    return Err(IngestError::InvalidEncoding {
                        path: path.to_path_buf(),
                        encoding: enc.name(),
                    });
                }
                Ok(text)
            }
        }
    }

    /// `charset=LABEL` in `<meta charset=…>` or `<meta http-equiv
    /// content="…; charset=…">`, resolved by the WHATWG label table (so
    /// `gb2312` reads as GBK, as browsers do).
    fn declared_charset(bytes: &[u8]) -> Option<&'static encoding_rs::Encoding> {
        let head = &bytes[..bytes.len().min(1024)];
        let lower = head.to_ascii_lowercase();
        let key = b"charset=";
        let at = lower.windows(key.len()).position(|w| w == key)? + key.len();
        let rest = &lower[at..];
        let rest = rest
            .strip_prefix(b"\"")
            .or_else(|| rest.strip_prefix(b"'"))
            .unwrap_or(rest);
        let end = rest
            .iter()
            .position(|b| !(b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b':')))
            .unwrap_or(rest.len());
        encoding_rs::Encoding::for_label(&rest[..end])
    }

    /// Headings as `#` lines and list items as `- ` / `1. ` lines, so the
    /// aligner sees each as a unit of its own; links, emphasis, images and
    /// footnote markers add nothing, because the body must be the source's
    /// words and only those.
    #[derive(Clone, Debug)]
    pub(super) struct BodyDecorator;

    impl TextDecorator for BodyDecorator {
        type Annotation = ();

        fn decorate_link_start(&mut self, _url: &str) -> (String, ()) {
            (String::new(), ())
        }
        fn decorate_link_end(&mut self) -> String {
            String::new()
        }
        fn decorate_em_start(&self) -> (String, ()) {
            (String::new(), ())
        }
        fn decorate_em_end(&self) -> String {
            String::new()
        }
        fn decorate_strong_start(&self) -> (String, ()) {
            (String::new(), ())
        }
        fn decorate_strong_end(&self) -> String {
            String::new()
        }
        fn decorate_strikeout_start(&self) -> (String, ()) {
            (String::new(), ())
        }
        fn decorate_strikeout_end(&self) -> String {
            String::new()
        }
        fn decorate_code_start(&self) -> (String, ()) {
            (String::new(), ())
        }
        fn decorate_code_end(&self) -> String {
            String::new()
        }
        fn decorate_preformat_first(&self) {}
        fn decorate_preformat_cont(&self) {}
        fn decorate_image(&mut self, _src: &str, _title: &str) -> (String, ()) {
            (String::new(), ())
        }
        fn header_prefix(&self, level: usize) -> String {
            "#".repeat(level) + " "
        }
        fn quote_prefix(&self) -> String {
            "> ".to_string()
        }
        fn unordered_item_prefix(&self) -> String {
            "- ".to_string()
        }
        fn ordered_item_prefix(&self, i: i64) -> String {
            format!("{i}. ")
        }
        fn make_subblock_decorator(&self) -> Self {
            BodyDecorator
        }
        fn decorate_superscript_start(&self) -> (String, ()) {
            (String::new(), ())
        }
        fn decorate_superscript_end(&self) -> String {
            String::new()
        }
        fn finalise(&mut self, _urls: Vec<String>) -> Vec<TaggedLine<()>> {
            Vec::new()
        }
    }
}

/// Text that stands one printed line to a paragraph: pdf-extract writes a
/// blank line wherever the gap between two lines exceeds its threshold,
/// which loose line spacing (about 1.6 times the font size and up) does
/// between every line, so a paragraph would become one item per printed
/// line. When most lines stand alone so, the blank line between two lines
/// is kept only where a paragraph, list item or heading ends: the line
/// before ends a sentence, the next opens a list item, or the line before
/// had room for the next line's first word and the next does not go on in
/// lower case. Otherwise the two lines are one paragraph's. Other text
/// comes back unchanged.
fn undouble(text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let alone = |i: usize| {
        (i == 0 || lines[i - 1].is_empty()) && lines.get(i + 1).is_none_or(|l| l.is_empty())
    };
    let filled: Vec<usize> = (0..lines.len()).filter(|&i| !lines[i].is_empty()).collect();
    let lone = filled.iter().filter(|&&i| alone(i)).count();
    if filled.len() < 20 || lone * 10 < filled.len() * 8 {
        return text.to_string();
    }
    let mut lens: Vec<usize> = filled.iter().map(|&i| lines[i].chars().count()).collect();
    lens.sort_unstable();
    let measure = lens[lens.len() * 95 / 100];
    let mut out = String::with_capacity(text.len());
    for (k, &i) in filled.iter().enumerate() {
        out.push_str(lines[i]);
        out.push('\n');
        let Some(&next) = filled.get(k + 1) else {
            break;
        };
        let (line, following) = (lines[i], lines[next]);
        let ends = line.ends_with(['.', ':', ';', '?', '!', '"', '\u{201d}']);
        let list_next = crate::align::strip_list_marker(following) != following;
        // Wrapping breaks a line only where the next word does not fit: a
        // line that had room for it ended there (a heading, a list item, a
        // table row, a paragraph's last line). Measured in characters of a
        // proportional font, hence the margin.
        let first_word = following
            .split_whitespace()
            .next()
            .map_or(0, |w| w.chars().count());
        let had_room = (line.chars().count() + 1 + first_word) * 10 < measure * 9;
        let lower_next = following.starts_with(char::is_lowercase);
        if next > i + 1 && (ends || list_next || (had_room && !lower_next)) {
            out.push('\n');
        }
    }
    out
}

#[cfg(feature = "pdf")]
fn pdf_to_text(path: &Path, bytes: &[u8]) -> Result<String, IngestError> {
    use pdf_extract::{Error as PdfError, OutputError};

    let pdf_error = |message: String| IngestError::Pdf {
        path: path.to_path_buf(),
        message,
    };
    // pdf-extract unwraps freely and panics on odd input; a panic there is a
    // bad file, not a bug of ours, so it becomes an error like any other.
    let result = quietly_catch_unwind(|| pdf_extract::extract_text_from_mem(bytes))
        .map_err(|panic| pdf_error(format!("malformed PDF (the extractor gave up: {panic})")))?;
    match result {
        Ok(text) => Ok(text),
        Err(OutputError::PdfError(PdfError::Decryption(_))) => Err(IngestError::PdfEncrypted {
            path: path.to_path_buf(),
        }),
        // The lopdf error alone; OutputError's Display prefixes "PDF error: ".
        Err(OutputError::PdfError(e)) => Err(pdf_error(e.to_string())),
        Err(e) => Err(pdf_error(e.to_string())),
    }
}

#[cfg(not(feature = "pdf"))]
fn pdf_to_text(path: &Path, _bytes: &[u8]) -> Result<String, IngestError> {
    Err(IngestError::FeatureDisabled {
        path: path.to_path_buf(),
        format: SourceFormat::Pdf,
        feature: "pdf",
    })
}

#[cfg(feature = "pdf")]
thread_local! {
    static SILENCE_PANICS: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// `catch_unwind` that also keeps the default panic hook from printing the
/// caught panic to stderr, because library code never prints. The hook is
/// chained once and only silences panics on this thread while `f` runs;
/// every other panic still reaches the previous hook.
#[cfg(feature = "pdf")]
fn quietly_catch_unwind<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    use std::panic;
    use std::sync::Once;

    static CHAIN_HOOK: Once = Once::new();
    CHAIN_HOOK.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if !SILENCE_PANICS.with(|s| s.get()) {
                previous(info);
            }
        }));
    });

    SILENCE_PANICS.with(|s| s.set(true));
    let result = panic::catch_unwind(panic::AssertUnwindSafe(f));
    SILENCE_PANICS.with(|s| s.set(false));
    result.map_err(|payload| {
        payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "panic with no message".to_string())
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn ligatures_are_spelt_out_and_cjk_punctuation_is_left_alone() {
        assert_eq!(
            expand_ligatures("\u{fb01}le \u{fb02}ow e\u{fb00}ect o\u{fb03}ce，。"),
            "file flow effect office，。"
        );
    }

    #[test]
    fn utf16_text_with_its_mark_is_read() {
        let text = "Zephyr \u{2014} \u{65b0}\u{7586} report.\n";
        for (mark, enc) in [
            ([0xFF, 0xFE], u16::to_le_bytes as fn(u16) -> [u8; 2]),
            ([0xFE, 0xFF], u16::to_be_bytes),
        ] {
            let mut bytes = mark.to_vec();
            bytes.extend(text.encode_utf16().flat_map(enc));
            let x = extract_bytes(Path::new("a.txt"), &bytes).unwrap();
            assert_eq!(x.text, text);
        }
        // A lone surrogate is no text: refused, not guessed at.
        let bad = [0xFF, 0xFE, 0x00, 0xD8, 0x41, 0x00];
        assert!(matches!(
            extract_bytes(Path::new("a.txt"), &bad),
            Err(IngestError::InvalidEncoding { .. })
        ));
    }

    #[test]
    fn undouble_puts_loosely_spaced_lines_back_into_paragraphs() {
        let mut raw = String::from("Item 1. Business\n\n");
        for k in 0..6 {
            raw.push_str(&format!(
                "Paragraph {k} opens on this line of the page and\n\ngoes on to the next line of the same\n\nparagraph, ending here.\n\n"
            ));
        }
        raw.push_str(
            "Our products are:\n\n\u{2022} Robots\n\n\u{2022} Software\n\nRevenue 131 120\n\n",
        );
        let text = undouble(&raw);
        assert!(text.starts_with("Item 1. Business\n\nParagraph 0 opens on this line of the page and\ngoes on to the next line of the same\nparagraph, ending here.\n\nParagraph 1"), "{text}");
        assert!(
            text.ends_with(
                "Our products are:\n\n\u{2022} Robots\n\n\u{2022} Software\n\nRevenue 131 120\n"
            ),
            "{text}"
        );
    }

    #[test]
    fn undouble_leaves_text_with_paragraph_gaps_alone() {
        let mut raw = String::new();
        for k in 0..12 {
            raw.push_str(&format!("Paragraph {k} opens here and\ngoes on below.\n\n"));
        }
        assert_eq!(undouble(&raw), raw);
    }

    use super::*;

    fn check_normalise(raw: &str, expect: &str) {
        assert_eq!(normalise_text(raw), expect, "normalising {raw:?}");
    }

    #[test]
    fn normalise_line_ends_blank_runs_and_trailing_space() {
        check_normalise(
            "\r\n\n a  \r\nb\t \r\rc\n\n\n\nd\u{a0}\n\n",
            " a\nb\n\nc\n\nd\n",
        );
        check_normalise("page one\u{c}page two", "page one\n\npage two\n");
        check_normalise("x\u{0}y\u{7}", "xy\n");
        check_normalise(" \n\u{a0}\n", "");
    }

    #[test]
    fn sniff_beats_extension() {
        assert_eq!(
            SourceFormat::sniff(b"junk\n%PDF-1.7\n"),
            Some(SourceFormat::Pdf)
        );
        assert_eq!(
            SourceFormat::sniff(b"\xEF\xBB\xBF  <!DOCTYPE HTML><html>"),
            Some(SourceFormat::Html)
        );
        assert_eq!(SourceFormat::sniff(b"# heading\n<html>"), None);
        let fmt = SourceFormat::detect(Path::new("report.pdf"), b"<html><body>x").unwrap();
        assert_eq!(fmt, SourceFormat::Html);
        let fmt = SourceFormat::detect(Path::new("notes.TXT"), b"plain").unwrap();
        assert_eq!(fmt, SourceFormat::Text);
        assert!(matches!(
            SourceFormat::detect(Path::new("sheet.xlsx"), b"PK\x03\x04"),
            Err(IngestError::UnsupportedFormat { .. })
        ));
    }

    #[test]
    fn invalid_utf8_names_the_byte_offset() {
        let err = extract_bytes(Path::new("a.txt"), b"ok\xff").unwrap_err();
        assert!(
            matches!(err, IngestError::InvalidUtf8 { offset: 2, .. }),
            "{err}"
        );
        assert_eq!(
            err.to_string(),
            "a.txt: not valid UTF-8 at byte 2; expected UTF-8 text (convert it first, e.g. with iconv)"
        );
    }

    #[test]
    fn text_keeps_bom_free_crlf_free_body() {
        let got = extract_bytes(Path::new("a.md"), b"\xEF\xBB\xBFTitle\r\n\r\nBody.\r\n").unwrap();
        assert_eq!(got.text, "Title\n\nBody.\n");
        assert_eq!(got.format, SourceFormat::Markdown);
        assert_eq!(got.sha256.len(), 64);
    }
}
