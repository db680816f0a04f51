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
