//! Alignment fixtures (issue 3): one small version pair per perturbation in
//! `tests/fixtures/align/<case>/` (`old.txt`, `new.txt`), and `expect.txt`
//! with one line per alignment entry: the status, then the start of the
//! item's text (the old item's, or the new one's for Added).

use std::path::Path;

use claimdiff::align::{AlignConfig, Status, align, split_items};

fn render(dir: &Path) -> Vec<(Status, String)> {
    let read = |f: &str| std::fs::read_to_string(dir.join(f)).expect("fixture file");
    let (old, new) = (
        split_items(&read("old.txt"), 0),
        split_items(&read("new.txt"), 0),
    );
    assert!(
        !old.is_empty() && !new.is_empty(),
        "{}: unreadable",
        dir.display()
    );
    align(&old, &new, &AlignConfig::default())
        .entries
        .iter()
        .map(|e| {
            let text = match (e.old, e.new) {
                (Some(i), _) => old[i].text.clone(),
                (None, Some(j)) => new[j].text.clone(),
                (None, None) => unreachable!("an entry has a side"),
            };
            (e.status, text)
        })
        .collect()
}

fn check(case: &str) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/align")
        .join(case);
    let got = render(&dir);
    let expect = std::fs::read_to_string(dir.join("expect.txt")).expect("expect.txt");
    let expect: Vec<(&str, &str)> = expect
        .lines()
        .map(|l| l.split_once(' ').expect("`Status text` line"))
        .collect();
    let shown: Vec<String> = got.iter().map(|(s, t)| format!("{s:?} {t}")).collect();
    assert_eq!(got.len(), expect.len(), "{case}: {shown:#?}");
    for ((status, text), (want_status, want_text)) in got.iter().zip(&expect) {
        assert!(
            format!("{status:?}") == *want_status && text.starts_with(want_text),
            "{case}: got {status:?} {text:?}, want {want_status} {want_text:?}\n{shown:#?}"
        );
    }
}

macro_rules! fixture {
    ($($name:ident => $dir:literal),* $(,)?) => {
        $(#[test] fn $name() { check($dir); })*
    };
}

fixture! {
    reflow => "reflow",
    repagination_with_page_numbers_and_headers => "repagination",
    cut_paragraph => "cut-paragraph",
    reorder => "reorder",
    section_move => "section-move",
    rewording => "rewording",
    near_twin_drop => "near-twin-drop",
    single_list_item_drop => "list-item-drop",
    table_row_with_all_numbers_changed => "table-row-numbers",
    bullet_list => "bullets",
    cjk => "cjk",
    real_boeing_page_break => "real-boeing-page-break",
}

/// Property: every fixture version aligned with itself drops nothing.
#[test]
fn self_alignment_drops_nothing() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/align");
    for case in std::fs::read_dir(&root).expect("fixtures") {
        let case = case.expect("entry").path();
        for f in ["old.txt", "new.txt"] {
            let items = split_items(&std::fs::read_to_string(case.join(f)).expect("file"), 0);
            let a = align(&items, &items, &AlignConfig::default());
            assert!(
                a.entries.iter().all(|e| e.status == Status::Kept),
                "{}/{f}",
                case.display()
            );
        }
    }
}
