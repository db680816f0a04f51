//! Parsing rule files. Serde reads the shape (unknown fields are refused
//! with the nearest valid name); positions of rules and patterns are found
//! in the text so that a bad regex is reported at its own column.

use super::*;
use crate::corpus::{Severity, parse_window};
use crate::error::{Diagnostic, nearest};
use rayon::prelude::*;
use serde::Deserialize;
use std::collections::HashMap;
use std::fs;
use std::path::Path;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    rule: Vec<RawRule>,
}

#[derive(Deserialize, Default)]
#[serde(untagged)]
enum Patterns {
    #[default]
    None,
    One(String),
    Many(Vec<String>),
}

impl Patterns {
    fn list(&self) -> Vec<String> {
        match self {
            Patterns::None => vec![],
            Patterns::One(s) => vec![s.clone()],
            Patterns::Many(v) => v.clone(),
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    id: String,
    kind: String,
    severity: Option<String>,
    message: Option<String>,
    description: Option<String>,
    #[serde(default)]
    references: Vec<String>,
    #[serde(default)]
    entities: Vec<String>,
    #[serde(default)]
    topics: Vec<String>,
    order: Option<String>,
    window: Option<String>,
    max_evidence: Option<usize>,
    claim: Option<RawSelector>,
    evidence: Option<RawSelector>,
    earlier: Option<RawSelector>,
    later: Option<RawSelector>,
    series: Option<RawSelector>,
    #[serde(default)]
    watch: Patterns,
    threshold: Option<f64>,
    report_changed: Option<bool>,
    #[serde(default)]
    volatile: Patterns,
    #[serde(default)]
    test: Vec<RawTest>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSelector {
    #[serde(default)]
    kinds: Vec<String>,
    #[serde(default)]
    speaker_roles: Vec<String>,
    #[serde(default)]
    entities: Vec<String>,
    #[serde(default)]
    topics: Vec<String>,
    #[serde(default)]
    pattern: Patterns,
    #[serde(default)]
    all: Patterns,
    #[serde(default)]
    not: Patterns,
    unit: Option<String>,
    case_sensitive: Option<bool>,
    #[serde(default)]
    series: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTest {
    claim: Option<RawSide>,
    evidence: Option<RawSide>,
    earlier: Option<RawSide>,
    later: Option<RawSide>,
    from: Option<RawSide>,
    to: Option<RawSide>,
    expect: String,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum RawSide {
    Text(String),
    Full(RawSideTable),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSideTable {
    text: String,
    date: Option<String>,
    event_date: Option<String>,
    kind: Option<String>,
    speaker_role: Option<String>,
    topics: Option<Vec<String>>,
    entity: Option<String>,
}

/// Loads every `*.toml` under `dir` (sorted), reporting all problems.
pub fn load_rules(dir: &Path) -> Result<Rules, Vec<Diagnostic>> {
    let mut files = Vec::new();
    collect(dir, &mut files);
    if !dir.is_dir() {
        return Err(vec![
            Diagnostic::new(dir, 0, 0, "rules folder not found")
                .with_hint("pass --rules DIR, or create one with `claimdiff init`"),
        ]);
    }
    if files.is_empty() {
        return Err(vec![no_rule_files(dir)]);
    }
    files.sort();
    let mut rules = Vec::new();
    let mut diags = Vec::new();
    let mut texts: HashMap<PathBuf, String> = HashMap::new();
    for f in files {
        match read_rule_file(&f) {
            Ok(text) => {
                match parse_rules_text(&f, &text) {
                    Ok(mut r) => rules.append(&mut r),
                    Err(mut d) => diags.append(&mut d),
                }
                texts.insert(f, text);
            }
            Err(d) => diags.push(d),
        }
    }
    // Duplicate ids are looked for in every rule the files declare, not
    // only those that built: a rule with a typo still claims its id, and
    // the clash is reported in the same run as the typo.
    let mut paths: Vec<&PathBuf> = texts.keys().collect();
    paths.sort();
    // The `id = …` line of the rule whose `[[rule]]` is on `line`.
    let id_at = |path: &PathBuf, line: usize| -> (usize, usize) {
        let text = &texts[path];
        let next = rule_positions(text)
            .into_iter()
            .find(|&l| l > line)
            .unwrap_or(usize::MAX);
        Ctx::new(path, text, &line_starts(text), line, next).key("id")
    };
    let mut seen: HashMap<String, (&PathBuf, usize)> = HashMap::new();
    for path in paths {
        for (id, line) in declared_ids(&texts[path]) {
            if let Some(&(first, first_line)) = seen.get(&id) {
                let (l, c) = id_at(path, line);
                diags.push(
                    Diagnostic::new(path, l, c, format!("rule id `{id}` is defined twice"))
                        .with_hint(format!(
                            "first defined at {}:{}; rule ids must be unique",
                            first.display(),
                            id_at(first, first_line).0
                        )),
                );
            } else {
                seen.insert(id, (path, line));
            }
        }
    }
    if !diags.is_empty() {
        return Err(diags);
    }
    rules.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(Rules { rules })
}

/// `(id, line of its [[rule]])` of each rule a file declares, read as
/// plain TOML (nothing when the file is not TOML).
fn declared_ids(text: &str) -> Vec<(String, usize)> {
    let Ok(table) = toml::from_str::<toml::Table>(text) else {
        return Vec::new();
    };
    let Some(toml::Value::Array(rules)) = table.get("rule") else {
        return Vec::new();
    };
    rules
        .iter()
        .zip(rule_positions(text))
        .filter_map(|(r, line)| Some((r.get("id")?.as_str()?.to_string(), line)))
        .collect()
}

/// Reads a rule file as UTF-8 (a BOM and CRLF line ends are accepted),
/// pointing at the first byte that is not UTF-8.
fn read_rule_file(f: &Path) -> Result<String, Diagnostic> {
    let bytes =
        fs::read(f).map_err(|e| Diagnostic::new(f, 0, 0, format!("cannot read rule file: {e}")))?;
    let (bytes, bom) = match bytes.strip_prefix(b"\xEF\xBB\xBF") {
        Some(rest) => (rest, 3),
        None => (&bytes[..], 0),
    };
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(text.replace("\r\n", "\n")),
        Err(e) => {
            let ok = e.valid_up_to();
            let prefix = std::str::from_utf8(&bytes[..ok]).unwrap_or_default();
            let (l, c) = crate::corpus::offset_line_col_pub(prefix, prefix.len());
            Err(Diagnostic::new(
                f,
                l,
                c,
                format!("invalid UTF-8 at byte offset {}", ok + bom),
            )
            .with_hint(format!(
                "found 0x{:02X}; rule files are UTF-8 text: re-save the file as UTF-8",
                bytes[ok]
            )))
        }
    }
}

/// A rules folder without a single `*.toml` is refused like a missing
/// one: "0 rules, no findings" would pass CI while checking nothing. Other
/// files there (`denials.tml`, `rules.toml.txt`) are named, as they are
/// most likely rule files saved under the wrong name.
fn no_rule_files(dir: &Path) -> Diagnostic {
    fn others(root: &Path, dir: &Path, out: &mut Vec<String>) {
        let Ok(rd) = fs::read_dir(dir) else { return };
        for p in rd.flatten().map(|e| e.path()) {
            if p.is_dir() {
                others(root, &p, out);
            } else {
                out.push(p.strip_prefix(root).unwrap_or(&p).display().to_string());
            }
        }
    }
    let mut found = Vec::new();
    others(dir, dir, &mut found);
    found.sort();
    let d = Diagnostic::new(dir, 0, 0, "no rule files (*.toml) in the rules folder");
    if found.is_empty() {
        return d.with_hint(
            "add a *.toml file of [[rule]] tables, pass --rules DIR, or create one with `claimdiff init`",
        );
    }
    const SHOWN: usize = 5;
    let more = found.len().saturating_sub(SHOWN);
    found.truncate(SHOWN);
    let mut list = found.join(", ");
    if more > 0 {
        list.push_str(&format!(" and {more} more"));
    }
    d.with_hint(format!(
        "it holds {list}, but only files named *.toml are read: rename the rule files"
    ))
}

/// Files of a rules folder that are not read (anything not `*.toml`,
/// hidden files aside), for `lint` to warn about: `denials.tml` would
/// otherwise drop its rules without a word.
pub fn unread_rule_files(dir: &Path) -> Vec<Diagnostic> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let Ok(entries) = crate::corpus::folder_entries(dir) else {
            return;
        };
        for (p, _) in entries {
            if p.is_dir() {
                walk(&p, out);
            } else if !p
                .extension()
                .is_some_and(|x| x.eq_ignore_ascii_case("toml"))
            {
                out.push(p);
            }
        }
    }
    let mut files = Vec::new();
    walk(dir, &mut files);
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let stem = p.file_stem().unwrap_or_default().to_string_lossy();
            Diagnostic::new(&p, 0, 0, "file not read: rule files are `.toml` files")
                .with_hint(format!("rename it to `{stem}.toml` if it holds rules"))
        })
        .collect()
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    if let Ok(rd) = fs::read_dir(dir) {
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                collect(&p, out);
            } else if p
                .extension()
                .is_some_and(|x| x.eq_ignore_ascii_case("toml"))
            {
                out.push(p);
            }
        }
    }
}

/// Parses one rule file's text.
pub fn parse_rules_text(path: &Path, text: &str) -> Result<Vec<Rule>, Vec<Diagnostic>> {
    let raw: RawFile = match toml::from_str(text) {
        Ok(r) => r,
        Err(e) => return Err(per_rule_problems(path, text, toml_diag(path, text, &e))),
    };
    if raw.rule.is_empty() {
        return Err(vec![
            Diagnostic::new(path, 1, 1, "no rules in this file")
                .with_hint("a rule file holds one or more [[rule]] tables"),
        ]);
    }
    let rule_lines = rule_positions(text);
    let starts = line_starts(text);
    let mut out = Vec::new();
    let mut diags = Vec::new();
    // Rules are built side by side (parsing and checking their patterns is
    // most of loading), then taken in file order.
    let built: Vec<_> = raw
        .rule
        .into_par_iter()
        .enumerate()
        .map(|(i, r)| {
            let line = rule_lines.get(i).copied().unwrap_or(1);
            let next = rule_lines.get(i + 1).copied().unwrap_or(usize::MAX);
            let ctx = Ctx::new(path, text, &starts, line, next);
            build_rule(r, &ctx)
        })
        .collect();
    for b in built {
        match b {
            Ok(rule) => out.push(rule),
            Err(mut d) => diags.append(&mut d),
        }
    }
    if diags.is_empty() {
        Ok(out)
    } else {
        Err(diags)
    }
}

fn toml_diag(path: &Path, text: &str, e: &toml::de::Error) -> Diagnostic {
    let (l, c) = e.span().map_or((1, 1), |s| {
        crate::corpus::offset_line_col_pub(text, s.start)
    });
    let msg = e.message().trim().to_string();
    let mut d = Diagnostic::new(path, l, c, format!("invalid rule file: {msg}"));
    if let Some(h) = unknown_field_hint(&msg).or_else(|| untagged_hint(&msg)) {
        d = d.with_hint(h);
    }
    d
}

/// What a value of one of the either-or types should be: serde's message
/// names the type, not what was expected.
fn untagged_hint(msg: &str) -> Option<String> {
    let what = match msg.strip_prefix("data did not match any variant of untagged enum ")? {
        "Patterns" => "a pattern is a string ('…') or a list of strings (['…', '…'])",
        "RawSide" => "a test side is a text (\"…\") or a table ({ text = \"…\", date = \"…\", … })",
        _ => return None,
    };
    Some(what.to_string())
}

/// After a file failed to deserialize as a whole: when its TOML syntax is
/// sound, reads each `[[rule]]` on its own, so that a typo in one rule does
/// not hide the problems of the others. Each piece is padded with the
/// blank lines before it, so positions stay those of the file. Falls back
/// to `first` (the whole file's error) when nothing more is learnt.
fn per_rule_problems(path: &Path, text: &str, first: Diagnostic) -> Vec<Diagnostic> {
    let starts = rule_positions(text);
    if starts.is_empty() || toml::from_str::<toml::Table>(text).is_err() {
        return vec![first];
    }
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let line_offsets = line_starts(text);
    let mut diags = Vec::new();
    let mut bounds = vec![(1, starts[0])];
    for (i, &s) in starts.iter().enumerate() {
        bounds.push((s, starts.get(i + 1).copied().unwrap_or(lines.len() + 1)));
    }
    for (i, &(from, to)) in bounds.iter().enumerate() {
        let piece = "\n".repeat(from - 1) + &lines[from - 1..to - 1].concat();
        // Every unknown field and wrongly typed value of the rule, then
        // its other problems (those keys left out), in one run.
        let found = crate::error::toml_all_field_problems::<RawFile>(&piece);
        diags.extend(found.errors.iter().map(|e| toml_diag(path, &piece, e)));
        if let Some(raw) = found.value
            && i > 0
        {
            let mut ctx = Ctx::new(path, text, &line_offsets, from, to);
            ctx.set_aside = &found.set_aside;
            for r in raw.rule {
                if let Err(mut d) = build_rule(r, &ctx) {
                    diags.append(&mut d);
                }
            }
        }
    }
    if diags.is_empty() { vec![first] } else { diags }
}

/// "unknown field `patern`, expected one of `a`, `b`" → "did you mean `pattern`?"
fn unknown_field_hint(msg: &str) -> Option<String> {
    let mut parts = msg.split('`');
    if !msg.starts_with("unknown field") {
        return None;
    }
    let field = parts.nth(1)?;
    let candidates: Vec<&str> = msg.split('`').skip(3).step_by(2).collect();
    nearest(field, candidates).map(|n| format!("did you mean `{n}`?"))
}

fn rule_positions(text: &str) -> Vec<usize> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| l.trim() == "[[rule]]")
        .map(|(i, _)| i + 1)
        .collect()
}

struct Ctx<'a> {
    path: &'a Path,
    text: &'a str,
    line: usize,
    next: usize,
    /// Byte offset of line `line` in `text`.
    start: usize,
    /// Keys whose value was set aside for its type (line, name): see
    /// [`Ctx::set_aside`].
    set_aside: &'a [(usize, String)],
}

/// Byte offset of the start of each line (index 0: line 1).
fn line_starts(text: &str) -> Vec<usize> {
    std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect()
}

impl<'a> Ctx<'a> {
    /// The context of the rule whose `[[rule]]` stands on `line`, up to
    /// (not including) line `next`; `starts` from [`line_starts`].
    fn new(path: &'a Path, text: &'a str, starts: &[usize], line: usize, next: usize) -> Ctx<'a> {
        let start = starts
            .get(line.saturating_sub(1))
            .copied()
            .unwrap_or(text.len());
        Ctx {
            path,
            text,
            line,
            next,
            start,
            set_aside: &[],
        }
    }

    /// Whether `key` of the table whose header stands on `header` had its
    /// value set aside for its wrong type: it reads as absent, but a
    /// "missing" error would be of our own making.
    fn set_aside(&self, header: usize, key: &str) -> bool {
        self.set_aside.iter().any(|(line, k)| {
            k == key
                && self
                    .lines()
                    .filter(|(ln, l)| ln <= line && l.trim_start().starts_with('['))
                    .last()
                    .is_some_and(|(ln, _)| ln == header)
        })
    }

    /// Position of `needle` within this rule's lines.
    fn find(&self, needle: &str) -> Option<(usize, usize)> {
        for (ln, l) in self.lines() {
            if let Some(b) = l.find(needle) {
                return Some((ln, l[..b].chars().count() + 1));
            }
        }
        None
    }

    /// This rule's lines with their numbers (from 1): those from its
    /// `[[rule]]` line up to the next rule's.
    fn lines(&self) -> impl Iterator<Item = (usize, &str)> {
        let first = self.line.max(1);
        self.text[self.start..]
            .lines()
            .enumerate()
            .map(move |(i, l)| (first + i, l))
            .take_while(|(ln, _)| *ln < self.next)
    }

    fn key(&self, key: &str) -> (usize, usize) {
        for (ln, l) in self.lines() {
            let t = l.trim_start();
            if t.strip_prefix(key)
                .is_some_and(|r| r.trim_start().starts_with('='))
            {
                return (ln, l.len() - t.len() + 1);
            }
        }
        (self.line, 1)
    }

    fn err(&self, (l, c): (usize, usize), msg: impl Into<String>) -> Diagnostic {
        Diagnostic::new(self.path, l, c, msg)
    }
}

fn build_rule(r: RawRule, ctx: &Ctx) -> Result<Rule, Vec<Diagnostic>> {
    let mut d = Vec::new();
    let kind = RuleKind::parse(&r.kind);
    if kind.is_none() {
        let mut e = ctx.err(ctx.key("kind"), format!("unknown rule kind `{}`; expected flag, contradiction, reversal or dropped-disclosure", r.kind));
        if let Some(n) = nearest(
            &r.kind,
            ["flag", "contradiction", "reversal", "dropped-disclosure"],
        ) {
            e = e.with_hint(format!("did you mean `{n}`?"));
        }
        d.push(e);
    }
    if r.id.trim().is_empty() || r.id.contains(char::is_whitespace) {
        d.push(ctx.err(
            ctx.key("id"),
            format!("rule id `{}` must be non-empty and without spaces", r.id),
        ));
    }
    let severity = match &r.severity {
        None => Severity::Medium,
        Some(s) => Severity::parse(s).unwrap_or_else(|| {
            d.push(ctx.err(
                ctx.key("severity"),
                format!("unknown severity `{s}`; expected info, low, medium, high or critical"),
            ));
            Severity::Medium
        }),
    };
    let order = match r.order.as_deref() {
        None | Some("any") => OrderReq::Any,
        Some("evidence-first") => OrderReq::EvidenceFirst,
        Some("claim-first") => OrderReq::ClaimFirst,
        Some(o) => {
            d.push(ctx.err(
                ctx.key("order"),
                format!("unknown order `{o}`; expected evidence-first, claim-first or any"),
            ));
            OrderReq::Any
        }
    };
    let window = r.window.as_deref().and_then(|w| match parse_window(w) {
        Ok(n) => Some(n),
        Err(m) => {
            d.push(ctx.err(ctx.key("window"), m));
            None
        }
    });
    if let Some(m) = &r.message {
        check_placeholders(m, ctx, &mut d);
    }
    let threshold = r.threshold.unwrap_or(0.6);
    if !(0.0..=1.0).contains(&threshold) {
        d.push(ctx.err(
            ctx.key("threshold"),
            format!("threshold {threshold} must be between 0 and 1"),
        ));
    }
    let mut selectors = Vec::new();
    let given = [
        (Side::Claim, r.claim),
        (Side::Evidence, r.evidence),
        (Side::Earlier, r.earlier),
        (Side::Later, r.later),
        (Side::Series, r.series),
    ];
    for (side, raw) in given {
        let Some(raw) = raw else {
            if let Some(k) = kind
                && k.sides().contains(&side)
                && !ctx.set_aside(ctx.line, side.as_str())
            {
                d.push(ctx.err(
                    (ctx.line, 1),
                    format!(
                        "a {} rule needs a [rule.{}] selector",
                        k.as_str(),
                        side.as_str()
                    ),
                ));
            }
            continue;
        };
        if let Some(k) = kind
            && !k.sides().contains(&side)
        {
            let want: Vec<String> = k
                .sides()
                .iter()
                .map(|s| format!("[rule.{}]", s.as_str()))
                .collect();
            d.push(
                ctx.err(
                    ctx.find(&format!("[rule.{}]", side.as_str()))
                        .unwrap_or((ctx.line, 1)),
                    format!(
                        "a {} rule takes {}, not [rule.{}]",
                        k.as_str(),
                        want.join(" and "),
                        side.as_str()
                    ),
                ),
            );
            continue;
        }
        match build_selector(raw, ctx) {
            Ok(s) => selectors.push((side, s)),
            Err(mut e) => d.append(&mut e),
        }
    }
    let watch = compile_list(&r.watch.list(), "watch", ctx, &mut d);
    let volatile = compile_list(&r.volatile.list(), "volatile", ctx, &mut d);
    let mut tests = Vec::new();
    let test_lines: Vec<usize> = ctx
        .lines()
        .filter(|(ln, l)| *ln > ctx.line && l.trim() == "[[rule.test]]")
        .map(|(ln, _)| ln)
        .collect();
    for (i, t) in r.test.into_iter().enumerate() {
        let line = test_lines.get(i).copied().unwrap_or(ctx.line);
        let expect_finding = match t.expect.as_str() {
            "finding" => true,
            "none" => false,
            o => {
                let at = test_key(ctx, line, "expect").map_or((line, 1), |(l, _, v)| (l, v));
                d.push(ctx.err(
                    at,
                    format!("test expect = \"{o}\": expected \"finding\" or \"none\""),
                ));
                continue;
            }
        };
        let named = [
            ("claim", Side::Claim, t.claim),
            ("evidence", Side::Evidence, t.evidence),
            ("earlier", Side::Earlier, t.earlier),
            ("later", Side::Later, t.later),
            ("from", Side::Series, t.from),
            ("to", Side::Series, t.to),
        ];
        if let Some(k) = kind {
            check_test_sides(k, &named, line, ctx, &mut d);
        }
        let sides: Vec<(Side, TestSide)> = named
            .into_iter()
            .filter_map(|(_, s, v)| v.map(|v| (s, to_test_side(v))))
            .collect();
        tests.push(RuleTest {
            line,
            sides,
            expect_finding,
        });
    }
    if !d.is_empty() {
        return Err(d);
    }
    Ok(Rule {
        id: r.id,
        kind: kind.unwrap_or(RuleKind::Flag),
        severity,
        message: r.message,
        description: r.description,
        references: r.references,
        entities: r.entities,
        topics: r.topics,
        order,
        window,
        max_evidence: r.max_evidence.unwrap_or(5).max(1),
        selectors,
        watch,
        threshold,
        report_changed: r.report_changed.unwrap_or(false),
        volatile,
        tests,
        path: ctx.path.to_path_buf(),
        line: ctx.line,
    })
}

/// Refuses a `{name}` in `message` that no finding fills: it would be
/// published verbatim (`{evidnce_source}`). Located at the placeholder
/// itself when it stands in the file as written, else at `message =`.
fn check_placeholders(message: &str, ctx: &Ctx, d: &mut Vec<Diagnostic>) {
    use crate::finding::{PLACEHOLDERS, placeholders};
    for (_, name) in placeholders(message) {
        if PLACEHOLDERS.contains(&name) {
            continue;
        }
        let at = ctx
            .find(&format!("{{{name}}}"))
            .unwrap_or_else(|| ctx.key("message"));
        let known: Vec<String> = PLACEHOLDERS.iter().map(|p| format!("{{{p}}}")).collect();
        let mut e = ctx.err(
            at,
            format!(
                "unknown placeholder `{{{name}}}` in message; known: {}",
                known.join(", ")
            ),
        );
        if let Some(n) = nearest(name, PLACEHOLDERS.iter().copied()) {
            e = e.with_hint(format!("did you mean `{{{n}}}`?"));
        }
        d.push(e);
    }
}

/// The sides a test of a rule of kind `k` names: its selectors' names,
/// `from` and `to` for a series' two versions.
fn test_side_names(k: RuleKind) -> &'static [&'static str] {
    match k {
        RuleKind::Flag => &["claim"],
        RuleKind::Contradiction => &["claim", "evidence"],
        RuleKind::Reversal => &["earlier", "later"],
        RuleKind::DroppedDisclosure => &["from", "to"],
    }
}

/// A test must give every side its rule pairs and no other: a side the
/// rule does not read is silently ignored, and a missing one makes
/// `expect = "none"` pass whatever the patterns say.
fn check_test_sides(
    k: RuleKind,
    named: &[(&str, Side, Option<RawSide>)],
    line: usize,
    ctx: &Ctx,
    d: &mut Vec<Diagnostic>,
) {
    let want = test_side_names(k);
    let list = want
        .iter()
        .map(|w| format!("`{w}`"))
        .collect::<Vec<_>>()
        .join(" and ");
    let key_at = |name: &str| test_key(ctx, line, name).map_or((line, 1), |(l, k, _)| (l, k));
    for (name, _, v) in named {
        if v.is_some() && !want.contains(name) {
            d.push(ctx.err(
                key_at(name),
                format!("a test of a {} rule takes {list}, not `{name}`", k.as_str()),
            ));
        }
    }
    let missing: Vec<String> = want
        .iter()
        .filter(|w| named.iter().any(|(n, _, v)| n == *w && v.is_none()))
        .filter(|w| !ctx.set_aside(line, w))
        .map(|w| format!("`{w}`"))
        .collect();
    if !missing.is_empty() {
        d.push(
            ctx.err(
                (line, 1),
                format!(
                    "this test of a {} rule has no {}",
                    k.as_str(),
                    missing.join(" or ")
                ),
            )
            .with_hint(format!(
                "a test gives {list}, each a text or {{ text = \"…\", date = \"…\", … }}"
            )),
        );
    }
}

/// Where `name = …` stands within the test whose `[[rule.test]]` is on
/// `line` (the test ends at the next table): its line, the column of the
/// key and that of the value.
fn test_key(ctx: &Ctx, line: usize, name: &str) -> Option<(usize, usize, usize)> {
    ctx.lines()
        .skip_while(|(ln, _)| *ln <= line)
        .take_while(|(_, l)| !l.trim_start().starts_with('['))
        .find_map(|(ln, l)| {
            let t = l.trim_start();
            let value = t.strip_prefix(name)?.trim_start().strip_prefix('=')?;
            let key = l.len() - t.len() + 1;
            let before = l.len() - value.trim_start().len();
            Some((ln, key, l[..before].chars().count() + 1))
        })
}

fn to_test_side(v: RawSide) -> TestSide {
    match v {
        RawSide::Text(text) => TestSide {
            text,
            ..Default::default()
        },
        RawSide::Full(t) => TestSide {
            text: t.text,
            date: t.date,
            event_date: t.event_date,
            kind: t.kind,
            speaker_role: t.speaker_role,
            topics: t.topics,
            entity: t.entity,
        },
    }
}

fn build_selector(r: RawSelector, ctx: &Ctx) -> Result<Selector, Vec<Diagnostic>> {
    let mut d = Vec::new();
    let kinds = r
        .kinds
        .iter()
        .filter_map(|k| {
            Kind::parse(k).or_else(|| {
                let mut e = ctx.err(
                    ctx.find(&format!("\"{k}\"")).unwrap_or((ctx.line, 1)),
                    format!("unknown kind `{k}` in `kinds`"),
                );
                if let Some(n) = nearest(k, Kind::names()) {
                    e = e.with_hint(format!("did you mean `{n}`?"));
                }
                d.push(e);
                None
            })
        })
        .collect();
    let speaker_roles = r
        .speaker_roles
        .iter()
        .filter_map(|k| {
            SpeakerRole::parse(k).or_else(|| {
                let mut e = ctx.err(ctx.find(&format!("\"{k}\"")).unwrap_or((ctx.line, 1)), format!("unknown speaker role `{k}`; expected entity, agent, third-party or government"));
                if let Some(n) = nearest(k, SpeakerRole::names()) {
                    e = e.with_hint(format!("did you mean `{n}`?"));
                }
                d.push(e);
                None
            })
        })
        .collect();
    let unit = match r.unit.as_deref() {
        None | Some("sentence") => Unit::Sentence,
        Some("paragraph") => Unit::Paragraph,
        Some("document") => Unit::Document,
        Some(u) => {
            d.push(ctx.err(
                ctx.key("unit"),
                format!("unknown unit `{u}`; expected sentence, paragraph or document"),
            ));
            Unit::Sentence
        }
    };
    let cs = r.case_sensitive.unwrap_or(false);
    let pattern = compile_pats(&r.pattern.list(), "pattern", cs, ctx, &mut d);
    let all = compile_pats(&r.all.list(), "all", cs, ctx, &mut d);
    let not = compile_pats(&r.not.list(), "not", cs, ctx, &mut d);
    if !d.is_empty() {
        return Err(d);
    }
    Ok(Selector {
        kinds,
        speaker_roles,
        entities: r.entities,
        topics: r.topics,
        pattern,
        all,
        not,
        unit,
        series: r.series,
    })
}

fn compile_pats(
    list: &[String],
    key: &str,
    cs: bool,
    ctx: &Ctx,
    d: &mut Vec<Diagnostic>,
) -> Vec<Pat> {
    list.iter()
        .map(|p| {
            // `{entity}` is expanded per entity later; check the syntax with
            // a stand-in group of the same length now, so errors surface at
            // load time and their offsets still fall on the pattern as written.
            let probe = p.replace("{entity}", "(?:enty)");
            match check_pattern(&probe, cs, p, key, ctx, false) {
                Ok((_, Some(hir))) if !p.contains("{entity}") => Pat::parsed(p, cs, hir),
                Ok(_) => Pat::new(p, cs),
                Err(e) => {
                    d.push(e);
                    Pat::new(p, cs)
                }
            }
        })
        .collect()
}

fn compile_list(list: &[String], key: &str, ctx: &Ctx, d: &mut Vec<Diagnostic>) -> Vec<Regex> {
    list.iter()
        .filter_map(|p| {
            check_pattern(p, false, p, key, ctx, true)
                .map_err(|e| d.push(e))
                .ok()
                .and_then(|(r, _)| r)
        })
        .collect()
}

/// A string as it stands between the quotes of a TOML basic string
/// (control characters as the escapes that most likely wrote them).
fn toml_basic_escaped(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\u{8}' => out.push_str("\\b"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\u{c}' => out.push_str("\\f"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

/// A control character in a pattern (other than a tab or a line end, which
/// a multi-line string may hold) was almost always written as an escape in
/// a double-quoted TOML string: `"\bnever\b"` holds two backspaces, and the
/// rule could never match. Refused at the character, like a pattern that
/// does not compile.
fn control_char_in_pattern(written: &str, key: &str, ctx: &Ctx) -> Option<Diagnostic> {
    let stray = |c: char| c.is_control() && !matches!(c, '\t' | '\n' | '\r');
    let (i, ch) = written.char_indices().find(|&(_, c)| stray(c))?;
    let pos = ctx
        .find(&format!("\"{}\"", toml_basic_escaped(written)))
        .map(|(l, c)| (l, c + 1 + toml_basic_escaped(&written[..i]).chars().count()))
        .unwrap_or_else(|| ctx.key(key));
    let fixed: String = written
        .chars()
        .map(|c| match c {
            '\u{8}' => "\\b".to_string(),
            c if stray(c) => format!("\\x{{{:X}}}", c as u32),
            c => c.to_string(),
        })
        .collect();
    let quoted = if fixed.contains('\'') || fixed.contains('\n') {
        format!("'''{fixed}'''")
    } else {
        format!("'{fixed}'")
    };
    let (what, why) = if ch == '\u{8}' {
        (
            "a backspace (U+0008)".to_string(),
            "`\\b` in a double-quoted TOML string is a backspace, not a word boundary",
        )
    } else {
        (
            format!("the control character U+{:04X}", ch as u32),
            "a double-quoted TOML string turns `\\` escapes into characters",
        )
    };
    Some(
        ctx.err(
            pos,
            format!("pattern contains {what}, so it cannot match as written"),
        )
        .with_hint(format!(
            "{why}; write patterns in single quotes, which keep backslashes: {key} = {quoted}"
        )),
    )
}

/// Compiles a pattern; on failure, points at the offending column inside
/// the pattern as it stands in the file (a literal '…' string, or a basic
/// "…" string with its backslashes doubled). A pattern not found in the
/// text (multi-line strings, unusual escapes) is reported at its key.
///
/// Returns the compiled pattern and its parsed form. Without `need_regex`,
/// a pattern that parses and is certain to fit the size limit is not
/// compiled (no regex): `Pat` compiles it on first use.
fn check_pattern(
    source: &str,
    cs: bool,
    written: &str,
    key: &str,
    ctx: &Ctx,
    need_regex: bool,
) -> Result<(Option<Regex>, Option<regex_syntax::hir::Hir>), Diagnostic> {
    // Where the pattern stands, looked up only for an error.
    let at = || {
        let literal = ctx.find(&format!("'{written}'")).map(|(l, c)| (l, c + 1));
        let basic = || {
            ctx.find(&format!("\"{}\"", toml_basic_escaped(written)))
                .map(|(l, c)| (l, c + 1))
        };
        literal
            .map(|p| (p, false))
            .or_else(|| basic().map(|p| (p, true)))
    };
    if let Some(d) = control_char_in_pattern(written, key, ctx) {
        return Err(d);
    }
    let key_at = || ctx.key(key);
    let parsed = regex_syntax::ParserBuilder::new()
        .case_insensitive(!cs)
        .build()
        .parse(source);
    if let Err(e) = &parsed {
        let (offset, what) = match e {
            regex_syntax::Error::Parse(p) => (p.span().start.offset, p.kind().to_string()),
            regex_syntax::Error::Translate(t) => (t.span().start.offset, t.kind().to_string()),
            other => (0, other.to_string()),
        };
        let before = &written[..written.floor_char_boundary(offset.min(written.len()))];
        let pos = match at() {
            Some(((l, c), false)) => (l, c + before.chars().count()),
            Some(((l, c), true)) => (l, c + toml_basic_escaped(before).chars().count()),
            None => key_at(),
        };
        return Err(ctx.err(pos, format!("pattern does not compile: {what}"))
            .with_hint(format!("in '{written}'; patterns are Rust regex syntax, written as TOML literal strings ('\\bword\\b')")));
    }
    let hir = parsed.ok();
    if let Some(h) = &hir
        && !need_regex
        // Twice the bound: room for anything the bound overlooks.
        && super::size::nfa_size_bound(h).saturating_mul(2) <= REGEX_SIZE_LIMIT as u64
    {
        return Ok((None, hir));
    }
    let at = || at().map_or_else(key_at, |(p, _)| p);
    match Pat::compile(source, cs) {
        Ok(r) => Ok((Some(r), hir)),
        Err(regex::Error::CompiledTooBig(limit)) => Err(ctx.err(at(), format!("pattern is too large to run safely (compiled size over {limit} bytes); it was refused"))
            .with_hint("simplify it: avoid large counted repetitions like {1000} and nested repetition")),
        Err(e) => Err(ctx.err(at(), format!("pattern does not compile: {e}"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(t: &str) -> Result<Vec<Rule>, Vec<Diagnostic>> {
        parse_rules_text(Path::new("rules/x.toml"), t)
    }

    /// "line:col message" of each diagnostic, in order.
    fn located(e: &[Diagnostic]) -> Vec<String> {
        e.iter()
            .map(|d| format!("{}:{} {}", d.line, d.col, d.message))
            .collect()
    }

    #[test]
    fn a_contradiction_rule() {
        let r = parse("[[rule]]\nid = \"d\"\nkind = \"contradiction\"\norder = \"evidence-first\"\nwindow = \"3y\"\n[rule.claim]\npattern = '\\bknowingly\\b'\n[rule.evidence]\npattern = ['mosques?', '清真寺']\nkinds = [\"tender\"]\n").unwrap();
        assert_eq!(r[0].kind, RuleKind::Contradiction);
        assert_eq!(r[0].window, Some(1098));
        assert_eq!(r[0].selector(Side::Evidence).unwrap().pattern.len(), 2);
    }

    #[test]
    fn bad_regex_points_inside_the_pattern() {
        let e = parse("[[rule]]\nid = \"d\"\nkind = \"flag\"\n[rule.claim]\npattern = 'ab(c'\n")
            .unwrap_err();
        assert_eq!((e[0].line, e[0].col), (5, 14), "{}", e[0]);
        assert!(e[0].message.contains("pattern does not compile"));
    }

    #[test]
    fn unknown_selector_field_suggests() {
        let e = parse("[[rule]]\nid = \"d\"\nkind = \"flag\"\n[rule.claim]\npatern = 'x'\n")
            .unwrap_err();
        assert_eq!(e[0].line, 5, "{}", e[0]);
        assert_eq!(e[0].hint.as_deref(), Some("did you mean `pattern`?"));
    }

    #[test]
    fn wrong_selector_for_kind() {
        let e = parse("[[rule]]\nid = \"d\"\nkind = \"flag\"\n[rule.claim]\npattern = 'x'\n[rule.evidence]\npattern = 'y'\n").unwrap_err();
        assert!(
            e[0].message
                .contains("a flag rule takes [rule.claim], not [rule.evidence]"),
            "{}",
            e[0]
        );
        assert_eq!(e[0].line, 6);
    }

    #[test]
    fn huge_patterns_are_refused() {
        let e = parse(
            "[[rule]]\nid = \"d\"\nkind = \"flag\"\n[rule.claim]\npattern = '(\\w{100}){100}'\n",
        )
        .unwrap_err();
        assert!(e[0].message.contains("too large"), "{}", e[0]);
    }

    #[test]
    fn a_typo_in_one_rule_does_not_hide_the_others() {
        let e = parse("# header\n[[rule]]\nid = \"a\"\nkind = \"flag\"\nseverty = \"high\"\n[rule.claim]\npattern = 'x'\n\n[[rule]]\nid = \"b\"\nkind = \"flag\"\n[rule.claim]\npattern = 'ab(c'\n").unwrap_err();
        let got = located(&e);
        assert_eq!(got.len(), 2, "{got:?}");
        assert!(
            got[0].starts_with("5:1 invalid rule file: unknown field `severty`"),
            "{got:?}"
        );
        assert_eq!(e[0].hint.as_deref(), Some("did you mean `severity`?"));
        assert_eq!(got[1], "13:14 pattern does not compile: unclosed group");
    }

    #[test]
    fn a_bad_basic_string_pattern_is_located_through_its_escapes() {
        let e =
            parse("[[rule]]\nid = \"d\"\nkind = \"flag\"\n[rule.claim]\npattern = \"\\\\bx[a-\"\n")
                .unwrap_err();
        // pattern = "\\bx[a-": the class opens at column 16 of the file.
        assert_eq!((e[0].line, e[0].col), (5, 16), "{}", e[0]);
    }

    #[test]
    fn a_duplicate_rule_id_is_reported_at_its_id_line() {
        let dir = std::env::temp_dir().join(format!("claimdiff-dup-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        let rule = |id: &str| {
            format!(
                "[[rule]]\nkind = \"flag\"\n# why\nid = \"{id}\"\n[rule.claim]\npattern = 'x'\n"
            )
        };
        fs::write(dir.join("a.toml"), rule("same")).unwrap();
        fs::write(dir.join("b.toml"), rule("other") + "\n" + &rule("same")).unwrap();
        let e = load_rules(&dir).unwrap_err();
        fs::remove_dir_all(&dir).unwrap();
        assert_eq!(e.len(), 1, "{e:?}");
        assert_eq!((e[0].line, e[0].col), (11, 1), "{}", e[0]);
        assert!(e[0].path.ends_with("b.toml"));
        assert!(
            e[0].hint.as_deref().unwrap().contains("a.toml:4;"),
            "{:?}",
            e[0].hint
        );
    }

    #[test]
    fn an_unknown_placeholder_in_message_is_refused_at_its_column() {
        let e = parse("[[rule]]\nid = \"d\"\nkind = \"flag\"\nmessage = \"{entity}: see {evidnce_source} {claim_date}\"\n[rule.claim]\npattern = 'x'\n").unwrap_err();
        assert_eq!(e.len(), 1, "{e:?}");
        assert_eq!((e[0].line, e[0].col), (4, 26), "{}", e[0]);
        assert!(
            e[0].message.starts_with(
                "unknown placeholder `{evidnce_source}` in message; known: {entity}, {claim},"
            ),
            "{}",
            e[0]
        );
        assert_eq!(
            e[0].hint.as_deref(),
            Some("did you mean `{evidence_source}`?")
        );
        assert!(parse("[[rule]]\nid = \"d\"\nkind = \"flag\"\nmessage = \"{claim_when} {evidence_when} { not a name }\"\n[rule.claim]\npattern = 'x'\n").is_ok());
    }

    #[test]
    fn a_rules_folder_without_toml_files_is_refused_naming_what_it_holds() {
        let dir = tempfile::tempdir().unwrap();
        let e = load_rules(dir.path()).unwrap_err();
        assert_eq!(e[0].message, "no rule files (*.toml) in the rules folder");
        fs::write(dir.path().join("denials.tml"), "[[rule]]\n").unwrap();
        fs::write(dir.path().join("README.md"), "notes\n").unwrap();
        let e = load_rules(dir.path()).unwrap_err();
        assert_eq!(e.len(), 1, "{e:?}");
        assert_eq!(
            e[0].hint.as_deref(),
            Some(
                "it holds README.md, denials.tml, but only files named *.toml are read: rename the rule files"
            )
        );
    }

    #[test]
    fn test_sides_must_be_those_of_the_rule_kind() {
        let e = parse("[[rule]]\nid = \"d\"\nkind = \"flag\"\n[rule.claim]\npattern = 'x'\n[[rule.test]]\nclaim = \"x\"\nevidence = \"y\"\nexpect = \"finding\"\n[[rule.test]]\nexpect = \"none\"\n").unwrap_err();
        let got = located(&e);
        assert_eq!(
            got,
            [
                "8:1 a test of a flag rule takes `claim`, not `evidence`",
                "10:1 this test of a flag rule has no `claim`",
            ]
        );
        let e = parse("[[rule]]\nid = \"d\"\nkind = \"contradiction\"\n[rule.claim]\npattern = 'x'\n[rule.evidence]\npattern = 'y'\n[[rule.test]]\n  earlier = \"x\"\nlater = \"y\"\nexpect = \"finding\"\n").unwrap_err();
        let got = located(&e);
        assert_eq!(
            got,
            [
                "9:3 a test of a contradiction rule takes `claim` and `evidence`, not `earlier`",
                "10:1 a test of a contradiction rule takes `claim` and `evidence`, not `later`",
                "8:1 this test of a contradiction rule has no `claim` or `evidence`",
            ]
        );
    }

    #[test]
    fn a_value_set_aside_for_its_type_is_not_also_reported_missing() {
        let e =
            parse("[[rule]]\nid = \"d\"\nkind = \"flag\"\nclaim = { pattern = 5 }\nwindow = 3\n")
                .unwrap_err();
        let got = located(&e);
        assert_eq!(
            got,
            [
                "4:21 invalid rule file: data did not match any variant of untagged enum Patterns",
                "5:10 invalid rule file: invalid type: integer `3`, expected a string",
            ]
        );
        assert_eq!(
            e[0].hint.as_deref(),
            Some("a pattern is a string ('…') or a list of strings (['…', '…'])")
        );
    }

    #[test]
    fn bad_window() {
        let e = parse("[[rule]]\nid = \"d\"\nkind = \"contradiction\"\nwindow = \"3 years\"\n[rule.claim]\npattern = 'x'\n[rule.evidence]\npattern = 'y'\n").unwrap_err();
        assert_eq!(e[0].line, 4);
    }
}
