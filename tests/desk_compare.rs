//! `claimdiff compare` end to end on the bundled corpus (issue 4).

mod desk_common;
use desk_common::*;

#[test]
fn compare_claim_and_evidence() {
    let o = run(&[
        "compare",
        "hikvision/2021-04-esg-report-2020-knowingly",
        "hikvision/2023-04-prosper-red-flags",
    ]);
    code(&o, 0);
    let out = stdout(&o);
    // The finding that links them, with its reason.
    assert!(
        out.contains("knowledge-denial (contradiction, claim-first, 718 days)"),
        "{out}"
    );
    insta::assert_snapshot!(out);
}

#[test]
fn compare_two_accounts_side_by_side() {
    let o = run(&[
        "compare",
        "hikvision/2018-10-pishan-tender-dbfot",
        "hikvision/2021-06-pishan-tender-build-1-operate-20",
        "--side-by-side",
    ]);
    code(&o, 0);
    insta::assert_snapshot!(stdout(&o));
}

#[test]
fn word_diff_marks_only_changed_words() {
    let o = run(&[
        "compare",
        "hikvision/annual-report-2021",
        "hikvision/annual-report-2022",
    ]);
    code(&o, 0);
    let out = stdout(&o);
    assert!(
        out.contains("[-- Luopu - Moyu - Pishan - Urumqi - Yutian-]"),
        "{out}"
    );
    assert!(out.contains("“Luopu” dropped"), "{out}");
}

#[test]
fn unknown_statement_is_bad_input() {
    let o = run(&["compare", "hikvision/annual-report-2021", "hikvision/nope"]);
    code(&o, 2);
    assert!(stderr(&o).contains("no statement `hikvision/nope`"));
}

/// Audit (s10) #2: `compare A A` printed an empty diff and, as "findings
/// linking them", every finding of A with other statements. Compare
/// promises two statements side by side; one given twice is a usage
/// mistake, refused before anything is checked, pointing at `show`.
#[test]
fn the_same_statement_twice_is_refused() {
    let id = "hikvision/2021-04-esg-report-2020-knowingly";
    let o = run(&["compare", id, id]);
    code(&o, 2);
    assert_eq!(stdout(&o), "");
    assert_eq!(
        stderr(&o),
        format!(
            "error: `{id}` given twice: compare needs two different statements\n  \
             to see one statement and every finding that involves it: claimdiff show {id}\n"
        )
    );
    let o = run(&["compare", id, id, "--side-by-side"]);
    code(&o, 2);
}
