//! Rules: what to look for and how to pair it.
//!
//! This stage owns the rule files (`rules/*.toml`, one or more `[[rule]]`
//! each): their parsing with positions for every error, the selectors, the
//! compilation of patterns (with size limits, so a pathological pattern is
//! refused instead of running for minutes), and the tests rules carry.
//! `{entity}` in a pattern is kept symbolic here and expanded per entity by
//! `matching`.

mod load;
mod size;

pub use load::{load_rules, parse_rules_text, unread_rule_files};

use crate::corpus::{Kind, Severity, SpeakerRole, Statement, units::Unit};
use regex::Regex;
use std::path::PathBuf;

/// Regex compile limits: a rule whose pattern needs more is refused.
pub const REGEX_SIZE_LIMIT: usize = 2 << 20;
pub const DFA_SIZE_LIMIT: usize = 8 << 20;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RuleKind {
    Flag,
    Contradiction,
    Reversal,
    DroppedDisclosure,
}

impl RuleKind {
    pub fn as_str(self) -> &'static str {
        match self {
            RuleKind::Flag => "flag",
            RuleKind::Contradiction => "contradiction",
            RuleKind::Reversal => "reversal",
            RuleKind::DroppedDisclosure => "dropped-disclosure",
        }
    }

    pub fn parse(s: &str) -> Option<RuleKind> {
        [
            RuleKind::Flag,
            RuleKind::Contradiction,
            RuleKind::Reversal,
            RuleKind::DroppedDisclosure,
        ]
        .into_iter()
        .find(|k| k.as_str() == s)
    }

    /// The selectors a rule of this kind takes, in output order.
    pub fn sides(self) -> &'static [Side] {
        match self {
            RuleKind::Flag => &[Side::Claim],
            RuleKind::Contradiction => &[Side::Claim, Side::Evidence],
            RuleKind::Reversal => &[Side::Earlier, Side::Later],
            RuleKind::DroppedDisclosure => &[Side::Series],
        }
    }
}

/// Which selector of a rule a match came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Side {
    Claim,
    Evidence,
    Earlier,
    Later,
    Series,
}

impl Side {
    pub fn as_str(self) -> &'static str {
        match self {
            Side::Claim => "claim",
            Side::Evidence => "evidence",
            Side::Earlier => "earlier",
            Side::Later => "later",
            Side::Series => "series",
        }
    }
}

/// Which time order a contradiction or reversal rule reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrderReq {
    /// The evidence existed when the claim was made.
    EvidenceFirst,
    /// The claim was contradicted later.
    ClaimFirst,
    /// Every pair, labelled with its order (or `uncertain`).
    Any,
}

/// The compiled form of a rule pattern: the engine under `regex`, built
/// from the parsed pattern with the settings its use needs.
pub type PatRegex = regex_automata::meta::Regex;

/// A compiled pattern, once compiling was tried (`None`: it failed).
type Compiled = std::sync::Arc<std::sync::OnceLock<Option<std::sync::Arc<PatRegex>>>>;

/// A pattern as written. Compiled on first use (every clone shares the
/// result, so every use goes through one cache pool and rayon threads
/// compile different patterns at once), unless it uses `{entity}`: then it
/// is compiled per entity by `matching`. Whether it compiles within the
/// size limits was settled when the rules loaded.
#[derive(Debug, Clone)]
pub struct Pat {
    pub source: String,
    pub case_sensitive: bool,
    /// The pattern as parsed at load time, when it was.
    hir: Option<std::sync::Arc<regex_syntax::hir::Hir>>,
    /// One cell per [`Engine`].
    light: Compiled,
    fast: Compiled,
    scan: Compiled,
}

/// Which engine a pattern is built into. Both find the same matches; they
/// differ in what they cost to build and to run.
///
/// A run over a few statements (the bundled corpus: 44 patterns, 80 KB)
/// spends most of its time building regexes: Unicode classes under `(?i)`
/// and `\b` make NFAs of thousands of states, and the lazy DFAs need a
/// second, reversed NFA on top. Searching a few short units with the NFA
/// alone (bounded backtracking, or the PikeVM) costs less than building
/// that. A run over gigabytes is the other way round. `matching` uses
/// [`Engine::Light`] for a small run and the others for a big one (or
/// once the texts it has scanned make them pay).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Engine {
    /// Forward NFA only: cheapest to build, slowest per byte.
    Light,
    /// Forward and reverse NFAs and lazy DFAs: for confirming a unit that
    /// holds one of the pattern's literals (a prefilter would only add
    /// build time there).
    Fast,
    /// `Fast` with a literal prefilter: for searching whole texts.
    Scan,
}

impl Pat {
    /// A pattern compiled when first needed.
    pub fn new(source: &str, case_sensitive: bool) -> Pat {
        Pat {
            source: source.to_string(),
            case_sensitive,
            hir: None,
            light: Default::default(),
            fast: Default::default(),
            scan: Default::default(),
        }
    }

    /// A pattern compiled when first needed, from its parsed form.
    pub fn parsed(source: &str, case_sensitive: bool, hir: regex_syntax::hir::Hir) -> Pat {
        Pat {
            hir: Some(std::sync::Arc::new(hir)),
            ..Pat::new(source, case_sensitive)
        }
    }

    /// The pattern built into `engine`; `None` for a pattern with
    /// `{entity}` and for one that does not compile, which loading refuses.
    pub fn regex(&self, engine: Engine) -> Option<std::sync::Arc<PatRegex>> {
        if self.has_entity() {
            return None;
        }
        let cell = match engine {
            Engine::Light => &self.light,
            Engine::Fast => &self.fast,
            Engine::Scan => &self.scan,
        };
        cell.get_or_init(|| {
            let built = match &self.hir {
                Some(hir) => Pat::build_hir(hir, engine),
                None => Pat::compile_meta(&self.source, self.case_sensitive, engine),
            };
            built.map(std::sync::Arc::new)
        })
        .clone()
    }

    /// Compiles `source` as `compile` does (same syntax, same limits, same
    /// matches), into the engine directly.
    pub fn compile_meta(source: &str, case_sensitive: bool, engine: Engine) -> Option<PatRegex> {
        let hir = regex_syntax::ParserBuilder::new()
            .case_insensitive(!case_sensitive)
            .build()
            .parse(source)
            .ok()?;
        Pat::build_hir(&hir, engine)
    }

    /// The settings `regex::RegexBuilder` uses for a `Regex` with our
    /// limits, less what `engine` leaves out; nothing left out changes a
    /// match.
    fn build_hir(hir: &regex_syntax::hir::Hir, engine: Engine) -> Option<PatRegex> {
        let prefilter = engine == Engine::Scan;
        let config = PatRegex::config()
            .match_kind(regex_automata::MatchKind::LeftmostFirst)
            .utf8_empty(true)
            .nfa_size_limit(Some(REGEX_SIZE_LIMIT))
            .hybrid_cache_capacity(DFA_SIZE_LIMIT)
            .auto_prefilter(prefilter)
            // Only anchored searches use it.
            .onepass(false)
            .hybrid(engine != Engine::Light)
            // A full DFA is never worth its build time here (`regex` only
            // builds one for tiny patterns).
            .dfa(false)
            // Only whole-match spans are used: no capture states to build.
            .which_captures(regex_automata::nfa::thompson::WhichCaptures::Implicit);
        regex_automata::meta::Builder::new()
            .configure(config)
            .build_from_hir(hir)
            .ok()
    }

    pub fn has_entity(&self) -> bool {
        self.source.contains("{entity}")
    }

    /// The pattern with `{entity}` expanded to an alternation of names.
    pub fn expand(&self, names: &[String]) -> String {
        let alt = names
            .iter()
            .map(|n| regex::escape(n))
            .collect::<Vec<_>>()
            .join("|");
        self.source.replace("{entity}", &format!("(?:{alt})"))
    }

    pub fn compile(source: &str, case_sensitive: bool) -> Result<Regex, regex::Error> {
        regex::RegexBuilder::new(source)
            .case_insensitive(!case_sensitive)
            .size_limit(REGEX_SIZE_LIMIT)
            .dfa_size_limit(DFA_SIZE_LIMIT)
            .build()
    }
}

/// Which statements and which units a side of a rule matches.
#[derive(Debug, Clone, Default)]
pub struct Selector {
    pub kinds: Vec<Kind>,
    pub speaker_roles: Vec<SpeakerRole>,
    pub entities: Vec<String>,
    pub topics: Vec<String>,
    pub pattern: Vec<Pat>,
    pub all: Vec<Pat>,
    pub not: Vec<Pat>,
    pub unit: Unit,
    pub series: Vec<String>,
}

impl Selector {
    /// Whether a statement's metadata passes this selector (text aside).
    pub fn accepts(&self, s: &Statement) -> bool {
        (self.kinds.is_empty() || self.kinds.contains(&s.kind))
            && (self.speaker_roles.is_empty()
                || s.speaker_role
                    .is_some_and(|r| self.speaker_roles.contains(&r)))
            && entities_pass(&self.entities, s)
            && topics_pass(&self.topics, &s.topics)
    }
}

/// A statement passes an entity filter when it is by, or `about`, one of
/// the filter's entities (an empty filter passes everything).
pub fn entities_pass(filter: &[String], s: &Statement) -> bool {
    filter.is_empty() || filter.iter().any(|e| *e == s.entity || s.about.contains(e))
}

/// "Unknown is not off-topic": a statement with no topics passes any topic
/// filter; one with topics must share one.
pub fn topics_pass(filter: &[String], topics: &[String]) -> bool {
    filter.is_empty() || topics.is_empty() || topics.iter().any(|t| filter.contains(t))
}

/// One test case carried by a rule.
#[derive(Debug, Clone)]
pub struct RuleTest {
    pub line: usize,
    pub sides: Vec<(Side, TestSide)>,
    pub expect_finding: bool,
}

/// One side of a rule test: text plus optional metadata.
#[derive(Debug, Clone, Default)]
pub struct TestSide {
    pub text: String,
    pub date: Option<String>,
    pub event_date: Option<String>,
    pub kind: Option<String>,
    pub speaker_role: Option<String>,
    pub topics: Option<Vec<String>>,
    pub entity: Option<String>,
}

/// A loaded, compiled rule.
#[derive(Debug, Clone)]
pub struct Rule {
    pub id: String,
    pub kind: RuleKind,
    pub severity: Severity,
    pub message: Option<String>,
    pub description: Option<String>,
    pub references: Vec<String>,
    pub entities: Vec<String>,
    pub topics: Vec<String>,
    pub order: OrderReq,
    /// Maximum gap in days between the two sides.
    pub window: Option<i64>,
    /// Evidence reported per claim, nearest in time first.
    pub max_evidence: usize,
    pub selectors: Vec<(Side, Selector)>,
    /// Drops matching any of these get the severity raised one step.
    pub watch: Vec<Regex>,
    pub threshold: f64,
    pub report_changed: bool,
    /// Tokens ignored when comparing items (e.g. the fiscal year).
    pub volatile: Vec<Regex>,
    pub tests: Vec<RuleTest>,
    pub path: PathBuf,
    pub line: usize,
}

impl Rule {
    pub fn selector(&self, side: Side) -> Option<&Selector> {
        self.selectors
            .iter()
            .find(|(s, _)| *s == side)
            .map(|(_, sel)| sel)
    }

    /// Rule-level narrowing: `entities`, `topics`, and `ignore` in the
    /// statement's front matter.
    pub fn considers(&self, s: &Statement) -> bool {
        !s.ignore.contains_key(&self.id)
            && entities_pass(&self.entities, s)
            && topics_pass(&self.topics, &s.topics)
    }
}

/// All rules, in a deterministic order (by id).
#[derive(Debug, Clone, Default)]
pub struct Rules {
    pub rules: Vec<Rule>,
}

impl Rules {
    pub fn get(&self, id: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| r.id == id)
    }

    /// `entities` entries (of a rule or of one of its sides) naming no
    /// entity in `known`: a typo there selects nothing, and the rule's
    /// findings vanish while lint and `check --fail-on` stay green. Each
    /// is located at the quoted id in the rule's file (read again, only
    /// for these), with the nearest known id as a hint.
    pub fn unknown_entities(&self, known: &[&str]) -> Vec<crate::error::Diagnostic> {
        let mut out = Vec::new();
        for r in &self.rules {
            let named = r
                .entities
                .iter()
                .chain(r.selectors.iter().flat_map(|(_, s)| &s.entities));
            let mut seen = std::collections::BTreeSet::new();
            for e in named {
                if known.contains(&e.as_str()) || !seen.insert(e) {
                    continue;
                }
                let (l, c) = quoted_position(&r.path, r.line, e).unwrap_or((r.line, 1));
                let hint = match crate::error::nearest(e, known.iter().copied()) {
                    Some(n) => format!("did you mean `{n}`?"),
                    None => "`entities` names entity ids of the corpus (statements/<entity>/)"
                        .to_string(),
                };
                out.push(
                    crate::error::Diagnostic::new(
                        &r.path,
                        l,
                        c,
                        format!("rule `{}`: `entities` names no entity `{e}`", r.id),
                    )
                    .with_hint(hint),
                );
            }
        }
        out
    }
}

/// Line and column of the first `"value"` at or after line `from` of a
/// rule file.
fn quoted_position(path: &std::path::Path, from: usize, value: &str) -> Option<(usize, usize)> {
    let text = std::fs::read_to_string(path).ok()?;
    let needle = format!("\"{value}\"");
    text.lines()
        .enumerate()
        .skip(from.saturating_sub(1))
        .find_map(|(i, l)| l.find(&needle).map(|b| (i + 1, l[..b].chars().count() + 1)))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Both engines must find the same spans: which one runs depends on how
    /// much text a run has seen, and findings must not.
    #[test]
    fn light_and_fast_engines_find_the_same_spans() {
        let patterns = [
            (r"\b(?:not|never)\s+knowingly\b", false),
            (r"ÜBER\w*", false),
            (r"(?-i)Case\b", false),
            ("清真寺|新疆", false),
            (r"a.{0,5}z", true),
            (r"\bend[- ]users?\b", false),
            (r"\d{3,}\s+mosques?", false),
        ];
        let texts = [
            "We did NOT knowingly sell. never  knowingly; notknowingly.",
            "Über alles. ÜBERALL. üBERsicht. ſtraße",
            "Case and case. CASE. Cases.",
            "皮山。清真寺视频。新疆维吾尔自治区",
            "abcz and a     z and a      z. A..Z",
            "End-users and end users; the enduser. 967 mosques, 12 mosque.",
            "",
        ];
        let mut found = 0;
        for (p, cs) in patterns {
            let light = Pat::new(p, cs).regex(Engine::Light).unwrap();
            let fast = Pat::new(p, cs).regex(Engine::Fast).unwrap();
            for t in texts {
                let spans =
                    |re: &PatRegex| -> Vec<_> { re.find_iter(t).map(|m| m.range()).collect() };
                let got = spans(&light);
                found += got.len();
                assert_eq!(got, spans(&fast), "pattern {p} on {t:?}");
            }
        }
        assert!(found >= 12, "the cases must exercise matches, got {found}");
    }
}
