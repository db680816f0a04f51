//! `claimdiff search` end to end on the bundled corpus (issue 4).

mod desk_common;
use desk_common::*;

#[test]
fn grep_like_hits_with_filters() {
    let o = run(&[
        "search",
        "MOSQUES?",
        "--entity",
        "hikvision",
        "--kind",
        "media-report",
    ]);
    code(&o, 0);
    let out = stdout(&o);
    for l in out.lines() {
        // file:line:col,col…: id date: context
        let mut parts = l.splitn(4, ':');
        let file = parts.next().unwrap();
        assert!(file.ends_with(".md"), "{l}");
        assert!(parts.next().unwrap().parse::<usize>().is_ok(), "{l}");
        for col in parts.next().unwrap().split(',') {
            assert!(col.parse::<usize>().is_ok(), "{l}");
        }
    }
    insta::assert_snapshot!(out);
}

#[test]
fn case_sensitive_and_jsonl() {
    let o = run(&["search", "MOSQUES", "--case-sensitive"]);
    code(&o, 0);
    assert_eq!(stdout(&o), "");
    assert!(stderr(&o).contains("no matches"));

    let o = run(&[
        "search",
        r"\bindependent\b",
        "--speaker-role",
        "entity",
        "--format",
        "jsonl",
    ]);
    code(&o, 0);
    let hits: Vec<serde_json::Value> = stdout(&o)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(hits.len(), 1, "{hits:?}");
    assert_eq!(
        hits[0]["statement"],
        "hikvision/2023-04-calls-itself-independent"
    );
    assert_eq!(hits[0]["match"], "independent");
    // The column counts characters: the match follows "… an “".
    let ctx = hits[0]["context"].as_str().unwrap();
    let col = hits[0]["col"].as_u64().unwrap() as usize;
    assert!(
        ctx.chars()
            .skip(col - 1)
            .collect::<String>()
            .starts_with("independent")
    );
}

#[test]
fn a_bad_regex_is_shown_at_its_column() {
    let o = run(&["search", "knowingly(or"]);
    code(&o, 2);
    let err = stderr(&o);
    assert!(err.contains("regex:1:10"), "{err}");
    assert!(err.contains("unclosed group"), "{err}");
}

#[test]
fn time_and_topic_filters() {
    let o = run(&[
        "search",
        "hikvision",
        "--topic",
        "national-security",
        "--since",
        "2023-04-18",
        "--until",
        "2023-04-18",
    ]);
    code(&o, 0);
    let out = stdout(&o);
    assert!(out.lines().count() >= 2, "{out}");
    assert!(out.lines().all(|l| l.contains("2023-04-18")), "{out}");
}

/// Audit 3 #2: `--since`/`--until` filtered on the event date only, though
/// the help says "dated (or with an event)": a contract signed 2020-06 that
/// leaked 2022-02 was missing from `--since 2022`. Either date now counts.
#[test]
fn since_until_keep_a_statement_by_its_date_or_its_event() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("statements/acme/contract.md");
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(
        &p,
        "+++\ndate = \"2022-02\"\nevent_date = \"2020-06\"\nkind = \"contract\"\n+++\nArtisanal cobalt.\n",
    )
    .unwrap();
    let hits = |range: &[&str]| {
        let mut args = vec!["search", "artisanal"];
        args.extend_from_slice(range);
        let o = run_in(dir.path(), &args);
        stdout(&o).lines().count()
    };
    // Published in range, event in range, both, neither.
    assert_eq!(hits(&["--since", "2022"]), 1);
    assert_eq!(hits(&["--since", "2022-02", "--until", "2022-02"]), 1);
    assert_eq!(hits(&["--until", "2021"]), 1);
    assert_eq!(hits(&["--since", "2020-06", "--until", "2020-06"]), 1);
    assert_eq!(hits(&["--since", "2023"]), 0);
    assert_eq!(hits(&["--until", "2020-05"]), 0);
    assert_eq!(hits(&["--since", "2021", "--until", "2021"]), 0);

    let o = run_in(
        dir.path(),
        &["coverage", "acme", "--since", "2022", "--format", "json"],
    );
    code(&o, 0);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["kind_totals"]["contract"], 1, "{v}");
}

/// Audit (s10) #3: `--since`/`--until` keep a statement by its publication
/// or its event date, but a hit showed only the publication date, so a row
/// kept by its event looked out of range. A hit shows the event date
/// beside the date, as `check` shows a side, in text and in JSONL (`when`).
#[test]
fn a_hit_shows_the_event_date_beside_the_date() {
    let dir = corpus(
        &[
            (
                "leak.md",
                "date = \"2023-01\"\nevent_date = \"2021-03\"\n",
                "Artisanal cobalt.",
            ),
            ("plain.md", "date = \"2022-05\"\n", "Artisanal cobalt."),
        ],
        None,
    );
    let o = run_in(dir.path(), &["search", "artisanal", "--until", "2021"]);
    code(&o, 0);
    assert_eq!(
        stdout(&o),
        "statements/acme/leak.md:6:1: acme/leak 2023-01 (event 2021-03): Artisanal cobalt.\n"
    );
    let o = run_in(dir.path(), &["search", "artisanal", "--format", "jsonl"]);
    code(&o, 0);
    let dates: Vec<(String, String)> = stdout(&o)
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .map(|v| (v["date"].to_string(), v["when"].to_string()))
        .collect();
    assert_eq!(
        dates,
        [
            (r#""2023-01""#.into(), r#""2021-03""#.into()),
            (r#""2022-05""#.into(), r#""2022-05""#.into())
        ]
    );
    // Without an event date, the date alone.
    let o = run_in(
        dir.path(),
        &[
            "search",
            "artisanal",
            "--since",
            "2022-05",
            "--until",
            "2022-05",
        ],
    );
    assert_eq!(
        stdout(&o),
        "statements/acme/plain.md:5:1: acme/plain 2022-05: Artisanal cobalt.\n"
    );
}

/// A corpus of `acme` statements in a temp dir: `(file name, front matter
/// lines without `kind`, body)`, each a contract; `rules` is written as
/// `rules/rules.toml` when given.
fn corpus(files: &[(&str, &str, &str)], rules: Option<&str>) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, front, body) in files {
        let p = dir.path().join("statements/acme").join(name);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(
            &p,
            format!("+++\n{front}kind = \"contract\"\n+++\n{body}\n"),
        )
        .unwrap();
    }
    if let Some(r) = rules {
        std::fs::create_dir_all(dir.path().join("rules")).unwrap();
        std::fs::write(dir.path().join("rules/rules.toml"), r).unwrap();
    }
    dir
}

/// Audit (s10, new user) #1: a `--topic` typo or a capital letter
/// (`--topic Xinjiang`, the corpus says `xinjiang`) gave "no matches" with
/// exit 0, which a fact-checker reads as "nothing on that topic", while
/// `--entity` and `--kind` typos were refused. A topic that no statement
/// and no rule carries is refused now, exit 2, with the topic in its own
/// case or the nearest one, else the corpus's topics.
#[test]
fn a_topic_nothing_carries_is_refused_with_the_nearest_one() {
    let known = "  known topics: human-rights, military, national-security, ownership, \
                 sanctions, surveillance, uyghur-detection, xinjiang\n";
    let o = run(&["search", "never", "--topic", "Xinjiang"]);
    code(&o, 2);
    assert_eq!(
        stderr(&o),
        format!(
            "error: no topic `Xinjiang` in statements or rules (did you mean `xinjiang`?)\n{known}"
        )
    );
    let o = run(&["search", "never", "--topic", "SANCTIONS"]);
    code(&o, 2);
    assert!(
        stderr(&o).contains("did you mean `sanctions`"),
        "{}",
        stderr(&o)
    );
    // Nothing near: the topics the corpus holds.
    let o = run(&["search", "never", "--topic", "qualty"]);
    code(&o, 2);
    assert_eq!(
        stderr(&o),
        format!("error: no topic `qualty` in statements or rules\n{known}")
    );
    // A known topic still searches.
    let o = run(&["search", "mosque", "--topic", "xinjiang"]);
    code(&o, 0);
    assert!(!stdout(&o).is_empty());

    // A topic only a rule names is a word of the corpus's vocabulary:
    // "nothing on it" is then a finding of its own. A long list of topics
    // is cut after 20, with how many more.
    let topics: Vec<String> = (0..25).map(|i| format!("t{i:02}")).collect();
    let front = format!("date = \"2022\"\ntopics = {topics:?}\n");
    let rule = "[[rule]]\nid = \"f\"\nkind = \"flag\"\nseverity = \"low\"\n\
                topics = [\"forced-labour\"]\n[rule.claim]\npattern = 'cobalt'\n";
    let dir = corpus(&[("a.md", &front, "Artisanal cobalt.")], Some(rule));
    let o = run_in(
        dir.path(),
        &["search", "cobalt", "--topic", "forced-labour"],
    );
    code(&o, 0);
    assert_eq!(stdout(&o), "");
    let o = run_in(dir.path(), &["search", "cobalt", "--topic", "qualty"]);
    code(&o, 2);
    assert!(
        stderr(&o).contains(
            "error: no topic `qualty` in statements or rules\n  known topics: forced-labour, t00, t01, t02, t03, t04, t05, \
             t06, t07, t08, t09, t10, t11, t12, t13, t14, t15, t16, t17, t18 and 6 more\n"
        ),
        "{}",
        stderr(&o)
    );
    // Without rules, the statements' topics alone.
    std::fs::remove_dir_all(dir.path().join("rules")).unwrap();
    let o = run_in(
        dir.path(),
        &["search", "cobalt", "--topic", "forced-labour"],
    );
    code(&o, 2);
    assert!(
        stderr(&o).starts_with("error: no topic `forced-labour` in statements\n"),
        "{}",
        stderr(&o)
    );
}

/// Audit (s10, new user) #2: `--since 2025 --until 2024` was accepted
/// and printed nothing (`search`, an empty `timeline`, a `coverage` of
/// empty cells), exit 0, as if the corpus held nothing then. It is refused
/// now, naming both dates; the ranges the dates stand for are compared, so
/// a month inside the year `--until` names is a range, as is one year
/// given twice.
#[test]
fn since_after_until_is_refused() {
    for cmd in [
        &["search", "never"][..],
        &["timeline", "hikvision"],
        &["coverage", "hikvision"],
    ] {
        let o = run(&[cmd, &["--since", "2025", "--until", "2024"]].concat());
        code(&o, 2);
        assert_eq!(
            stderr(&o),
            "error: --since 2025 is after --until 2024: no date can be in that range\n",
            "{cmd:?}"
        );
        assert_eq!(stdout(&o), "", "{cmd:?}");
        let o = run(&[cmd, &["--since", "2023-05", "--until", "2023-04-30"]].concat());
        code(&o, 2);
        assert!(
            stderr(&o).contains("--since 2023-05 is after --until 2023-04-30"),
            "{cmd:?}"
        );
        let o = run(&[cmd, &["--since", "2023-04", "--until", "2023"]].concat());
        code(&o, 0);
    }

    let dir = corpus(
        &[("a.md", "date = \"2024-07\"\n", "Artisanal cobalt.")],
        None,
    );
    for range in [
        ["2024", "2024"],
        ["2024-06", "2024"],
        ["2024", "2024-07"],
        ["2024-07-31", "2024-07"],
    ] {
        let o = run_in(
            dir.path(),
            &["search", "cobalt", "--since", range[0], "--until", range[1]],
        );
        code(&o, 0);
        assert_eq!(stdout(&o).lines().count(), 1, "{range:?}");
    }
}

/// Audit (s10, new user) #3: a line with two matches was printed twice
/// (once at each column), and each match of a one-line statement of 21 MB
/// printed all 21 MB. A row is one matching line now, with the columns of
/// its matches; a line over 300 characters is cut around them with `…`.
/// JSONL keeps one record per match, its context cut around that match.
#[test]
fn one_row_per_line_with_its_columns_a_long_line_cut() {
    let long = format!(
        "{}mosque {}mosque {}",
        "a ".repeat(200),
        "b ".repeat(300),
        "c ".repeat(200)
    );
    let dense = "mosque x ".repeat(100_000);
    let body = format!("Mosque cameras; more mosque cameras.\n{long}\n{dense}");
    let dir = corpus(&[("a.md", "date = \"2022\"\n", &body)], None);
    let o = run_in(dir.path(), &["search", "mosque"]);
    code(&o, 0);
    let out = stdout(&o);
    let rows: Vec<&str> = out.lines().collect();
    assert_eq!(rows.len(), 3, "{out}");
    assert_eq!(
        rows[0],
        "statements/acme/a.md:5:1,22: acme/a 2022: Mosque cameras; more mosque cameras."
    );
    let (loc, text) = rows[1].split_once(": acme/a 2022: ").unwrap();
    assert_eq!(loc, "statements/acme/a.md:6:401,1008");
    let a = "a ".repeat(49);
    let (b, c) = ("b ".repeat(49), "c ".repeat(49));
    assert_eq!(
        text,
        format!("…{a}mosque {b}… {b}mosque {}…", c.trim_end()),
        "{text}"
    );
    // A line of 900,000 characters: the first thousand or so, and a count.
    let (loc, text) = rows[2].split_once(": acme/a 2022: ").unwrap();
    assert!(loc.starts_with("statements/acme/a.md:7:1,10,19,"), "{loc}");
    assert!(rows[2].len() < 2_000, "{} bytes", rows[2].len());
    let shown = text.matches("mosque").count();
    assert_eq!(loc.matches(',').count() + 1, shown);
    assert!(
        text.ends_with(&format!("… (+{} more matches)", 100_000 - shown)),
        "{}",
        &text[text.len() - 60..]
    );

    let o = run_in(dir.path(), &["search", "mosque", "--format", "jsonl"]);
    code(&o, 0);
    let recs: Vec<serde_json::Value> = stdout(&o)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(recs.len(), 2 + 2 + 100_000);
    let cols: Vec<(u64, u64)> = recs[..4]
        .iter()
        .map(|r| (r["line"].as_u64().unwrap(), r["col"].as_u64().unwrap()))
        .collect();
    assert_eq!(cols, [(5, 1), (5, 22), (6, 401), (6, 1008)]);
    assert_eq!(
        recs[1]["context"], "Mosque cameras; more mosque cameras.",
        "a short line whole, as before"
    );
    assert_eq!(recs[2]["context"], format!("…{a}mosque {}…", b.trim_end()));
    assert_eq!(recs[3]["match"], "mosque");
    assert!(
        recs[4..]
            .iter()
            .all(|r| r["context"].as_str().unwrap().len() < 300)
    );
}

/// A match of the empty string (`z*`, `\b`) says only that the line
/// matches: one row, one JSONL record, at its first column, rather than a
/// record per character of the line.
#[test]
fn an_empty_match_lists_its_line_once() {
    let dir = corpus(
        &[(
            "a.md",
            "date = \"2022\"\n",
            "Artisanal cobalt.\n\nzinc, then zinc",
        )],
        None,
    );
    let o = run_in(dir.path(), &["search", "z*"]);
    code(&o, 0);
    assert_eq!(
        stdout(&o),
        "statements/acme/a.md:5:1: acme/a 2022: Artisanal cobalt.\n\
         statements/acme/a.md:7:1,12: acme/a 2022: zinc, then zinc\n"
    );
    let o = run_in(dir.path(), &["search", r"\b", "--format", "jsonl"]);
    code(&o, 0);
    let cols: Vec<(u64, u64)> = stdout(&o)
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .map(|r| (r["line"].as_u64().unwrap(), r["col"].as_u64().unwrap()))
        .collect();
    assert_eq!(cols, [(5, 1), (7, 1)]);
}
