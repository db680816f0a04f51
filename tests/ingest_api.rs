//! Ingest layer (issue 7, point 4): real PDF and HTML fixtures through
//! `extract_text`, and `write_statement`'s refusals. Fixtures live in
//! `tests/fixtures/ingest/`; its README says how each was made.
// Tests needing a converter are gated on its feature; in a build without
// one, the helpers and imports only they use are idle (`allow`, not
// `expect`, because with default features nothing is idle).
#![cfg_attr(
    not(all(feature = "html", feature = "pdf")),
    allow(dead_code, unused_imports)
)]

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Barrier};

use claimdiff::ingest::{
    Extracted, IngestError, NewStatement, SourceFormat, extract_bytes, extract_text,
    render_statement, write_statement,
};
use sha2::{Digest, Sha256};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/ingest")
        .join(name)
}

/// Extracts a fixture, checks the invariants every body must hold, and
/// returns it for the test's own assertions.
fn extract(name: &str, format: SourceFormat) -> Extracted {
    let path = fixture(name);
    let got = extract_text(&path).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(got.format, format, "{name}");
    let digest: String = Sha256::digest(fs::read(&path).unwrap())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(got.sha256, digest, "sha256 is of the source bytes");
    let text = &got.text;
    assert!(text.ends_with('\n') && !text.ends_with("\n\n"), "{text:?}");
    assert!(!text.starts_with('\n'), "{text:?}");
    assert!(!text.contains("\n\n\n"), "at most one blank line: {text:?}");
    assert!(!text.contains('\r') && !text.contains('\u{c}'), "{text:?}");
    assert!(
        text.lines().all(|l| l == l.trim_end()),
        "no trailing spaces: {text:?}"
    );
    got
}

fn lines(text: &str) -> Vec<&str> {
    text.lines().collect()
}

/// Every entry under `dir`, recursively, as paths relative to it.
fn tree(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            out.push(path.strip_prefix(dir).unwrap().display().to_string());
            if path.is_dir() {
                stack.push(path);
            }
        }
    }
    out.sort();
    out
}

/// A temp dir holding an empty `statements/` corpus.
fn corpus() -> (tempfile::TempDir, PathBuf) {
    let root = tempfile::tempdir().unwrap();
    let statements = root.path().join("statements");
    fs::create_dir(&statements).unwrap();
    (root, statements)
}

fn annual_report_2023() -> NewStatement {
    NewStatement {
        entity: "example-corp".into(),
        kind: "annual-report".into(),
        date: "2024-03-28".into(),
        series: Some("annual-report".into()),
        period: Some("2023".into()),
        source: Some("Example Corp Annual Report FY2023".into()),
        url: Some("https://example.com/ir/ar-2023.pdf".into()),
        speaker: Some("Example Corp".into()),
        speaker_role: Some("entity".into()),
        ..Default::default()
    }
}

/// Splits a statement file into its front matter table and body.
fn parse_statement(file: &str) -> (toml::Table, String) {
    let rest = file.strip_prefix("+++\n").expect("opens with +++");
    let (front, body) = rest.split_once("\n+++\n").expect("closing +++");
    let table = front
        .parse::<toml::Table>()
        .unwrap_or_else(|e| panic!("{e}\n{front}"));
    (table, body.to_string())
}

// ---- extraction -----------------------------------------------------------

#[test]
#[cfg(feature = "pdf")]
fn pdf_fixture_keeps_sentences_headings_and_list_items() {
    let got = extract("annual-report-fy2023.pdf", SourceFormat::Pdf);
    let text = &got.text;
    for sentence in [
        "This document is a synthetic test fixture and does not describe any real company.",
        "Example Corp disclosed four public security projects in the fiscal year ended 31 December 2023.",
        "The projects below were carried out under contracts with municipal authorities.",
        "No other projects of this kind were carried out in the period.",
    ] {
        assert!(
            lines(text).contains(&sentence),
            "missing paragraph line {sentence:?} in\n{text}"
        );
    }
    let lines = lines(text);
    assert_eq!(lines[0], "Example Corp Annual Report FY2023", "{text}");
    assert!(lines.contains(&"Public security projects"), "{text}");
    for item in [
        "• Harbour district video surveillance upgrade.",
        "• Northern county checkpoint integration.",
        "• Central station access control system.",
    ] {
        assert!(lines.contains(&item), "list item {item:?} in\n{text}");
    }
}

#[test]
#[cfg(feature = "html")]
fn html_fixture_keeps_structure_and_drops_script_and_markup() {
    let got = extract("annual-report-fy2023.html", SourceFormat::Html);
    let text = &got.text;
    let lines = lines(text);
    assert_eq!(lines[0], "# Example Corp Annual Report FY2023", "{text}");
    assert!(lines.contains(&"## Public security projects"), "{text}");
    // A link's text stays, its URL and brackets do not; the source's line
    // break inside the paragraph is just a space.
    assert!(
        lines.contains(
            &"Example Corp disclosed four public security projects in the fiscal year ended 31 December 2023, under contracts with municipal authorities."
        ),
        "{text}"
    );
    for item in [
        "- Harbour district video surveillance upgrade.",
        "- Northern county checkpoint integration.",
        "- Central station access control system.",
    ] {
        assert!(lines.contains(&item), "list item {item:?} in\n{text}");
    }
    // One table row a line.
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("Harbour district") && l.ends_with("12.5")),
        "{text}"
    );
    assert!(
        lines.contains(&"No other projects of this kind were carried out in the period."),
        "{text}"
    );
    for absent in [
        "SCRIPT TEXT",
        "trackingNote",
        "font-family",
        "example.com",
        "[",
        "*",
    ] {
        assert!(!text.contains(absent), "{absent:?} leaked into\n{text}");
    }
}

#[test]
#[cfg(feature = "html")]
fn chinese_html_extracts_verbatim() {
    let got = extract("zh-announcement.html", SourceFormat::Html);
    let text = &got.text;
    let lines = lines(text);
    assert_eq!(lines[0], "# 示例公司 2023 年度报告摘要", "{text}");
    assert!(
        lines.contains(
            &"本公司在2023年度共披露了四个公共安全项目。所有项目均按照与地方政府签订的合同实施。"
        ),
        "{text}"
    );
    assert!(lines.contains(&"1. 港区视频监控升级项目。"), "{text}");
    assert!(lines.contains(&"2. 北部县检查站系统集成项目。"), "{text}");
    assert!(lines.contains(&"本期间未开展其他同类项目。"), "{text}");
    assert!(
        !text.contains("不应出现的脚本文字"),
        "script leaked: {text}"
    );
}

#[test]
#[cfg(feature = "html")]
fn gbk_html_is_decoded_by_its_declared_charset() {
    let utf8 = extract("zh-announcement.html", SourceFormat::Html);
    let gbk = extract("zh-announcement-gbk.html", SourceFormat::Html);
    assert_eq!(gbk.text, utf8.text);
    assert_ne!(gbk.sha256, utf8.sha256);
}

#[test]
#[cfg(feature = "html")]
fn utf8_html_misdeclared_as_latin1_stays_intact() {
    let page = fs::read_to_string(fixture("zh-announcement.html")).unwrap();
    let misdeclared = page.replace(
        r#"<meta charset="utf-8">"#,
        r#"<meta charset="iso-8859-1">"#,
    );
    assert_ne!(page, misdeclared);
    let got = extract_bytes(Path::new("zh.html"), misdeclared.as_bytes()).unwrap();
    assert_eq!(
        got.text,
        extract("zh-announcement.html", SourceFormat::Html).text
    );
}

#[test]
#[cfg(feature = "pdf")]
fn pdf_without_text_is_an_error_that_says_ocr() {
    for name in ["blank-page.pdf", "scanned-fy2023.pdf", "scan-printed.pdf"] {
        let err = extract_text(&fixture(name)).unwrap_err();
        assert!(
            matches!(
                err,
                IngestError::NoText {
                    format: SourceFormat::Pdf,
                    ..
                }
            ),
            "{name}: {err}"
        );
        let message = err.to_string();
        assert!(message.contains(name), "{message}");
        assert!(message.contains("no extractable text"), "{message}");
        assert!(message.contains("OCR it first"), "{message}");
    }
}

#[test]
#[cfg(feature = "pdf")]
fn encrypted_pdf_is_a_clear_error() {
    let err = extract_text(&fixture("encrypted-fy2023.pdf")).unwrap_err();
    assert!(matches!(err, IngestError::PdfEncrypted { .. }), "{err}");
    assert!(err.to_string().contains("encrypted"), "{err}");
}

#[test]
#[cfg(feature = "pdf")]
fn corrupt_pdf_is_an_error_not_a_panic() {
    let good = fs::read(fixture("annual-report-fy2023.pdf")).unwrap();
    let truncated = &good[..good.len() / 4];
    let err = extract_bytes(Path::new("truncated.pdf"), truncated).unwrap_err();
    assert!(matches!(err, IngestError::Pdf { .. }), "{err}");
    assert!(
        err.to_string()
            .starts_with("truncated.pdf: cannot read PDF: "),
        "{err}"
    );

    // `/Widths [` → `/Widths 0` keeps every byte offset (so the xref table
    // still holds) but makes a font's width array a number, on which
    // pdf-extract 0.12 panics. The panic must come back as an error.
    let mut broken = good.clone();
    let at = broken
        .windows(9)
        .position(|w| w == b"/Widths [")
        .expect("fixture has a /Widths array");
    broken[at..at + 9].copy_from_slice(b"/Widths 0");
    let err = extract_bytes(Path::new("broken.pdf"), &broken).unwrap_err();
    assert!(matches!(err, IngestError::Pdf { .. }), "{err}");
    assert!(err.to_string().contains("malformed PDF"), "{err}");
}

#[test]
fn unreadable_and_unknown_files_are_named() {
    let missing = fixture("no-such-file.pdf");
    let err = extract_text(&missing).unwrap_err();
    assert!(matches!(err, IngestError::Read { .. }), "{err}");
    assert!(err.to_string().contains("no-such-file.pdf"), "{err}");

    let err = extract_text(&fixture("")).unwrap_err();
    assert!(
        matches!(err, IngestError::Read { .. }),
        "a directory: {err}"
    );

    let err = extract_bytes(Path::new("data.xlsx"), b"PK\x03\x04").unwrap_err();
    assert_eq!(
        err.to_string(),
        "data.xlsx: unsupported file type `.xlsx`; expected .txt, .md, .html or .pdf"
    );
}

#[test]
fn text_files_are_strict_utf8() {
    let (_root, dir) = corpus();
    let path = dir.join("latin1.txt");
    fs::write(&path, b"\xEF\xBB\xBFcaf\xe9\r\n").unwrap();
    let err = extract_text(&path).unwrap_err();
    assert!(
        matches!(err, IngestError::InvalidUtf8 { offset: 6, .. }),
        "offset counts the BOM: {err}"
    );
}

#[test]
#[cfg(feature = "pdf")]
fn a_failed_extraction_writes_nothing() {
    let (root, statements) = corpus();
    let meta = annual_report_2023();
    // The CLI's order: extract, and only with text in hand, write.
    let written = extract_text(&fixture("blank-page.pdf"))
        .and_then(|e| write_statement(&statements, &meta, &e.text));
    assert!(written.is_err());
    assert_eq!(tree(root.path()), ["statements"]);
}

// ---- writing --------------------------------------------------------------

#[test]
#[cfg(feature = "pdf")]
fn ingested_pdf_becomes_a_statement_file() {
    let (_root, statements) = corpus();
    let extracted = extract("annual-report-fy2023.pdf", SourceFormat::Pdf);
    let meta = annual_report_2023();
    let path = write_statement(&statements, &meta, &extracted.text).unwrap();
    assert_eq!(path, statements.join("example-corp/annual-report-2023.md"));

    let file = fs::read_to_string(&path).unwrap();
    let (front, body) = parse_statement(&file);
    assert_eq!(body, extracted.text);
    assert_eq!(front["date"].as_str(), Some("2024-03-28"));
    assert_eq!(front["kind"].as_str(), Some("annual-report"));
    assert_eq!(front["series"].as_str(), Some("annual-report"));
    assert_eq!(
        front["period"].as_integer(),
        Some(2023),
        "a year is an integer"
    );
    assert_eq!(front["speaker_role"].as_str(), Some("entity"));
    assert_eq!(
        front["url"].as_str(),
        Some("https://example.com/ir/ar-2023.pdf")
    );
    let keys: Vec<&str> = front.keys().map(String::as_str).collect();
    assert!(!keys.contains(&"entity"), "the folder is the entity");
}

#[test]
fn front_matter_follows_design_order_and_round_trips_odd_strings() {
    let meta = NewStatement {
        kind: "press-reply".into(),
        date: "2021-06".into(),
        period: Some("2021-H1".into()),
        source: Some("Reply to \"IPVM\" \\ questions\nsecond line +++".into()),
        url: Some("https://example.com/a?b=1&c='2'".into()),
        speaker: Some("海康威视".into()),
        speaker_role: Some("entity".into()),
        lang: Some("zh".into()),
        topics: vec!["xinjiang".into(), "human-rights".into()],
        ..annual_report_2023()
    };
    let file = render_statement(&meta, "Body line.\n\n\n");
    assert!(file.ends_with("+++\nBody line.\n"), "{file:?}");
    let (front, body) = parse_statement(&file);
    assert_eq!(body, "Body line.\n");
    assert_eq!(front["source"].as_str(), meta.source.as_deref());
    assert_eq!(front["url"].as_str(), meta.url.as_deref());
    assert_eq!(front["speaker"].as_str(), Some("海康威视"));
    assert_eq!(front["period"].as_str(), Some("2021-H1"));
    assert_eq!(front["lang"].as_str(), Some("zh"));
    assert_eq!(
        front["topics"].as_array().map(Vec::len),
        Some(2),
        "{front:?}"
    );
    // DESIGN.md's field order, as written (not as the table sorts it).
    let order = [
        "date",
        "kind",
        "speaker",
        "speaker_role",
        "source",
        "url",
        "topics",
        "lang",
        "series",
        "period",
    ];
    let positions: Vec<usize> = order
        .iter()
        .map(|k| {
            file.find(&format!("\n{k} = "))
                .unwrap_or_else(|| panic!("{k} in {file}"))
        })
        .collect();
    assert!(positions.is_sorted(), "{file}");
}

#[test]
fn refuses_to_overwrite_and_leaves_the_original_alone() {
    let (_root, statements) = corpus();
    let meta = annual_report_2023();
    let path = write_statement(&statements, &meta, "First version.").unwrap();
    let err = write_statement(&statements, &meta, "Second version.").unwrap_err();
    assert!(matches!(err, IngestError::AlreadyExists { .. }), "{err}");
    assert!(
        err.to_string()
            .contains("annual-report-2023.md already exists"),
        "{err}"
    );
    assert!(
        fs::read_to_string(&path)
            .unwrap()
            .ends_with("First version.\n")
    );
    assert_eq!(
        tree(&statements),
        ["example-corp", "example-corp/annual-report-2023.md"]
    );
}

#[test]
fn concurrent_writers_one_wins_whole_and_no_temp_files_remain() {
    let (_root, statements) = corpus();
    let statements = Arc::new(statements);
    let threads = 6;
    let barrier = Arc::new(Barrier::new(threads));
    let handles: Vec<_> = (0..threads)
        .map(|i| {
            let (statements, barrier) = (statements.clone(), barrier.clone());
            std::thread::spawn(move || {
                let body = format!("writer {i}\n").repeat(2000);
                barrier.wait();
                write_statement(&statements, &annual_report_2023(), &body).map(|_| body)
            })
        })
        .collect();
    let results: Vec<_> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    let winners: Vec<&String> = results.iter().filter_map(|r| r.as_ref().ok()).collect();
    assert_eq!(winners.len(), 1, "{results:?}");
    for r in &results {
        if let Err(e) = r {
            assert!(matches!(e, IngestError::AlreadyExists { .. }), "{e}");
        }
    }
    let file = fs::read_to_string(statements.join("example-corp/annual-report-2023.md")).unwrap();
    assert_eq!(
        parse_statement(&file).1,
        *winners[0],
        "the winner's body, whole"
    );
    assert_eq!(
        tree(&statements),
        ["example-corp", "example-corp/annual-report-2023.md"]
    );
}

#[test]
fn refuses_names_that_escape_the_corpus_and_writes_nothing() {
    let (root, statements) = corpus();
    let cases: Vec<(&str, Option<&str>)> = vec![
        ("../outside", None),
        ("..", None),
        ("/tmp", None),
        ("a/b", None),
        ("a\\b", None),
        (".hidden", None),
        ("nul\0byte", None),
        ("", None),
        ("example-corp", Some("../../escaped")),
        ("example-corp", Some("/etc/passwd")),
        ("example-corp", Some(".profile")),
        ("example-corp", Some("..")),
    ];
    for (entity, stem) in cases {
        let meta = NewStatement {
            entity: entity.into(),
            stem: stem.map(str::to_string),
            ..annual_report_2023()
        };
        let err = write_statement(&statements, &meta, "Body.").unwrap_err();
        assert!(
            matches!(err, IngestError::UnsafeName { .. }),
            "{entity:?}/{stem:?}: {err}"
        );
    }
    assert_eq!(
        tree(root.path()),
        ["statements"],
        "nothing written anywhere"
    );
}

#[test]
fn invalid_fields_are_refused_before_anything_is_created() {
    let (_root, statements) = corpus();
    let bad = [
        NewStatement {
            date: "2023-02-29".into(),
            ..annual_report_2023()
        },
        NewStatement {
            kind: "anual-report".into(),
            ..annual_report_2023()
        },
        NewStatement {
            period: Some("FY2023".into()),
            ..annual_report_2023()
        },
        NewStatement {
            speaker_role: Some("company".into()),
            ..annual_report_2023()
        },
    ];
    let messages: Vec<String> = bad
        .iter()
        .map(|m| {
            write_statement(&statements, m, "Body.")
                .unwrap_err()
                .to_string()
        })
        .collect();
    assert_eq!(
        messages[0],
        "invalid date `2023-02-29`: expected YYYY, YYYY-MM or YYYY-MM-DD, a real calendar date"
    );
    assert!(
        messages[1].starts_with("unknown kind `anual-report`; did you mean `annual-report`?"),
        "{}",
        messages[1]
    );
    assert!(
        messages[2].starts_with("invalid period `FY2023`"),
        "{}",
        messages[2]
    );
    assert!(
        messages[3].starts_with("unknown speaker_role `company`"),
        "{}",
        messages[3]
    );
    let err = write_statement(&statements, &annual_report_2023(), " \n\u{a0}\n").unwrap_err();
    assert!(matches!(err, IngestError::EmptyBody), "{err}");
    assert!(tree(&statements).is_empty(), "no entity folder either");
}

#[test]
fn missing_corpus_and_case_variant_entities_are_refused() {
    let (root, statements) = corpus();
    let err =
        write_statement(&root.path().join("statments"), &annual_report_2023(), "B.").unwrap_err();
    assert!(matches!(err, IngestError::MissingCorpus { .. }), "{err}");

    fs::create_dir(statements.join("example-corp")).unwrap();
    let meta = NewStatement {
        entity: "Example-Corp".into(),
        ..annual_report_2023()
    };
    let err = write_statement(&statements, &meta, "B.").unwrap_err();
    assert!(matches!(err, IngestError::EntityCase { .. }), "{err}");
    assert!(
        err.to_string().contains("did you mean `example-corp`?"),
        "{err}"
    );
    assert_eq!(tree(root.path()), ["statements", "statements/example-corp"]);
}

#[test]
fn default_stem_and_explicit_stem() {
    let (_root, statements) = corpus();
    let meta = NewStatement {
        entity: "example-corp".into(),
        kind: "press-release".into(),
        date: "2019-05".into(),
        ..Default::default()
    };
    let path = write_statement(&statements, &meta, "Body.").unwrap();
    assert!(
        path.ends_with("example-corp/press-release-2019-05.md"),
        "{path:?}"
    );

    let meta = NewStatement {
        stem: Some("2019-05-hires-arent-fox.md".into()),
        ..meta
    };
    let path = write_statement(&statements, &meta, "Body.").unwrap();
    assert!(
        path.ends_with("example-corp/2019-05-hires-arent-fox.md"),
        "{path:?}"
    );
}
