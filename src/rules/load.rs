//! Parsing rule files. Serde reads the shape (unknown fields are refused
//! with the nearest valid name); positions of rules and patterns are found
//! in the text so that a bad regex is reported at its own column.

use super::*;
use crate::corpus::{Severity, parse_window};
use crate::error::{Diagnostic, nearest};
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
    files.sort();
    let mut rules = Vec::new();
    let mut diags = Vec::new();
    for f in files {
        match fs::read(&f) {
            Ok(bytes) => match String::from_utf8(bytes) {
                Ok(text) => match parse_rules_text(
                    &f,
                    &text.trim_start_matches('\u{feff}').replace("\r\n", "\n"),
                ) {
                    Ok(mut r) => rules.append(&mut r),
                    Err(mut d) => diags.append(&mut d),
                },
                Err(e) => diags.push(Diagnostic::new(
                    &f,
                    0,
                    0,
                    format!(
                        "invalid UTF-8 at byte offset {}",
                        e.utf8_error().valid_up_to()
                    ),
                )),
            },
            Err(e) => diags.push(Diagnostic::new(
                &f,
                0,
                0,
                format!("cannot read rule file: {e}"),
            )),
        }
    }
    let mut seen: HashMap<String, (PathBuf, usize)> = HashMap::new();
    for r in &rules {
        if let Some((p, l)) = seen.get(&r.id) {
            diags.push(
                Diagnostic::new(
                    &r.path,
                    r.line,
                    1,
                    format!("rule id `{}` is defined twice", r.id),
                )
                .with_hint(format!(
                    "first defined at {}:{l}; rule ids must be unique",
                    p.display()
                )),
            );
        } else {
            seen.insert(r.id.clone(), (r.path.clone(), r.line));
        }
    }
    if !diags.is_empty() {
        return Err(diags);
    }
    rules.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(Rules { rules })
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    if let Ok(rd) = fs::read_dir(dir) {
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                collect(&p, out);
            } else if p.extension().is_some_and(|x| x == "toml") {
                out.push(p);
            }
        }
    }
}

/// Parses one rule file's text.
pub fn parse_rules_text(path: &Path, text: &str) -> Result<Vec<Rule>, Vec<Diagnostic>> {
    let raw: RawFile = toml::from_str(text).map_err(|e| {
        let (l, c) = e.span().map_or((1, 1), |s| {
            crate::corpus::offset_line_col_pub(text, s.start)
        });
        let msg = e.message().trim().to_string();
        let mut d = Diagnostic::new(path, l, c, format!("invalid rule file: {msg}"));
        if let Some(h) = unknown_field_hint(&msg) {
            d = d.with_hint(h);
        }
        vec![d]
    })?;
    if raw.rule.is_empty() {
        return Err(vec![
            Diagnostic::new(path, 1, 1, "no rules in this file")
                .with_hint("a rule file holds one or more [[rule]] tables"),
        ]);
    }
    let rule_lines = rule_positions(text);
    let mut out = Vec::new();
    let mut diags = Vec::new();
    for (i, r) in raw.rule.into_iter().enumerate() {
        let line = rule_lines.get(i).copied().unwrap_or(1);
        let next = rule_lines.get(i + 1).copied().unwrap_or(usize::MAX);
        let ctx = Ctx {
            path,
            text,
            line,
            next,
        };
        match build_rule(r, &ctx) {
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
}

impl Ctx<'_> {
    /// Position of `needle` within this rule's lines.
    fn find(&self, needle: &str) -> Option<(usize, usize)> {
        for (i, l) in self.text.lines().enumerate() {
            let ln = i + 1;
            if ln < self.line || ln >= self.next {
                continue;
            }
            if let Some(b) = l.find(needle) {
                return Some((ln, l[..b].chars().count() + 1));
            }
        }
        None
    }

    fn key(&self, key: &str) -> (usize, usize) {
        for (i, l) in self.text.lines().enumerate() {
            let ln = i + 1;
            if ln < self.line || ln >= self.next {
                continue;
            }
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
    let watch = compile_list(&r.watch.list(), false, ctx, &mut d);
    let volatile = compile_list(&r.volatile.list(), false, ctx, &mut d);
    let mut tests = Vec::new();
    let test_lines: Vec<usize> = ctx
        .text
        .lines()
        .enumerate()
        .filter(|(i, l)| *i + 1 > ctx.line && *i + 1 < ctx.next && l.trim() == "[[rule.test]]")
        .map(|(i, _)| i + 1)
        .collect();
    for (i, t) in r.test.into_iter().enumerate() {
        let line = test_lines.get(i).copied().unwrap_or(ctx.line);
        let expect_finding = match t.expect.as_str() {
            "finding" => true,
            "none" => false,
            o => {
                d.push(ctx.err(
                    (line, 1),
                    format!("test expect = \"{o}\": expected \"finding\" or \"none\""),
                ));
                continue;
            }
        };
        let sides: Vec<(Side, TestSide)> = [
            (Side::Claim, t.claim),
            (Side::Evidence, t.evidence),
            (Side::Earlier, t.earlier),
            (Side::Later, t.later),
            (Side::Series, t.from),
            (Side::Series, t.to),
        ]
        .into_iter()
        .filter_map(|(s, v)| v.map(|v| (s, to_test_side(v))))
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
    let pattern = compile_pats(&r.pattern.list(), cs, ctx, &mut d);
    let all = compile_pats(&r.all.list(), cs, ctx, &mut d);
    let not = compile_pats(&r.not.list(), cs, ctx, &mut d);
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

fn compile_pats(list: &[String], cs: bool, ctx: &Ctx, d: &mut Vec<Diagnostic>) -> Vec<Pat> {
    list.iter()
        .map(|p| {
            // `{entity}` is expanded per entity later; check the syntax with
            // a stand-in name now so errors surface at load time.
            let probe = p.replace("{entity}", "(?:entity)");
            let regex = match check_pattern(&probe, cs, p, ctx) {
                Ok(r) => r,
                Err(e) => {
                    d.push(e);
                    None
                }
            };
            Pat {
                source: p.clone(),
                regex: if p.contains("{entity}") {
                    None
                } else {
                    regex.map(std::sync::Arc::new)
                },
                case_sensitive: cs,
            }
        })
        .collect()
}

fn compile_list(list: &[String], cs: bool, ctx: &Ctx, d: &mut Vec<Diagnostic>) -> Vec<Regex> {
    list.iter()
        .filter_map(|p| {
            check_pattern(p, cs, p, ctx)
                .map_err(|e| d.push(e))
                .ok()
                .flatten()
        })
        .collect()
}

/// Compiles a pattern; on failure, points at the offending column inside
/// the pattern as it stands in the file.
fn check_pattern(
    source: &str,
    cs: bool,
    written: &str,
    ctx: &Ctx,
) -> Result<Option<Regex>, Diagnostic> {
    let at = ctx.find(written).unwrap_or((ctx.line, 1));
    if let Err(e) = regex_syntax::ParserBuilder::new()
        .case_insensitive(!cs)
        .build()
        .parse(source)
    {
        let (offset, what) = match &e {
            regex_syntax::Error::Parse(p) => (p.span().start.offset, p.kind().to_string()),
            regex_syntax::Error::Translate(t) => (t.span().start.offset, t.kind().to_string()),
            other => (0, other.to_string()),
        };
        let col = at.1 + source[..offset.min(source.len())].chars().count();
        return Err(ctx.err((at.0, col), format!("pattern does not compile: {what}"))
            .with_hint(format!("in '{written}'; patterns are Rust regex syntax, written as TOML literal strings ('\\bword\\b')")));
    }
    match Pat::compile(source, cs) {
        Ok(r) => Ok(Some(r)),
        Err(regex::Error::CompiledTooBig(limit)) => Err(ctx.err(at, format!("pattern is too large to run safely (compiled size over {limit} bytes); it was refused"))
            .with_hint("simplify it: avoid large counted repetitions like {1000} and nested repetition")),
        Err(e) => Err(ctx.err(at, format!("pattern does not compile: {e}"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(t: &str) -> Result<Vec<Rule>, Vec<Diagnostic>> {
        parse_rules_text(Path::new("rules/x.toml"), t)
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
    fn bad_window() {
        let e = parse("[[rule]]\nid = \"d\"\nkind = \"contradiction\"\nwindow = \"3 years\"\n[rule.claim]\npattern = 'x'\n[rule.evidence]\npattern = 'y'\n").unwrap_err();
        assert_eq!(e[0].line, 4);
    }
}
