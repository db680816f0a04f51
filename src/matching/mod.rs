//! The one multi-pattern pass. Every pattern of every rule contributes its
//! required literals (the prefixes any match must start with, in every
//! case variant the pattern accepts) to one Aho-Corasick automaton; each
//! statement's text is scanned once, and only the selectors whose literals
//! were found run their own regexes, and only on the units holding a hit.
//! Patterns without usable literals (`.{0,40}x`), with `{entity}` or with
//! anchors are always confirmed by their regex: the prefilter may only
//! ever let through too much, never too little.
//!
//! Known limit: case variants come from Unicode lowercase/uppercase, so the
//! two letters whose case folding leaves ASCII (K as the Kelvin sign, ſ as
//! the long s) do not make a document a candidate for `k`/`s` literals.

use crate::corpus::units::{Unit, region_around, units, units_in};
use crate::corpus::{Entities, Statement};
use crate::rules::PatRegex as Regex;
use crate::rules::{Engine, Pat, Rules, Side};
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use rayon::prelude::*;
use regex_syntax::hir::literal::{ExtractKind, Extractor};
use std::collections::HashMap;
use std::ops::Range;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock, RwLock};

/// A selector matched a unit of a statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Match {
    pub rule: usize,
    pub side: Side,
    /// Byte range of the unit in the statement's text.
    pub unit: Range<usize>,
    /// Byte range of the matched pattern (the whole unit when the selector
    /// has no pattern).
    pub span: Range<usize>,
}

struct SelRef {
    rule: usize,
    side: Side,
    /// Pattern slots of its `pattern` and `all` entries.
    pattern_slots: Vec<usize>,
    all_slots: Vec<usize>,
}

/// An `{entity}` pattern compiled for one entity: by pattern, entity, case
/// sensitivity and engine.
type EntityKey = (String, String, bool, Engine);

/// A blank-line region of a text and the units inside it.
type Region = (Range<usize>, Vec<Range<usize>>);

/// Most case variants generated for one literal before giving up on it.
const MAX_VARIANTS: usize = 64;

/// Compiled matcher for a rule set.
pub struct Matcher {
    rules: Arc<Rules>,
    /// The literals' automaton: a contiguous NFA, quick to build, until
    /// the texts scanned make the faster DFA (same matches) pay for its
    /// build.
    ac: Option<AhoCorasick>,
    ac_dfa: OnceLock<Option<AhoCorasick>>,
    /// Bytes of text scanned so far, and the bytes the run expects to scan
    /// in all (0: unknown); see [`Matcher::many`].
    scanned: AtomicU64,
    expected: AtomicU64,
    literals: Vec<String>,
    /// Automaton pattern id → pattern slot.
    lit_slot: Vec<usize>,
    /// Literal id → every literal that is a (case-insensitive) prefix of it,
    /// itself included: the literals that also start where it starts.
    lit_chain: Vec<Vec<usize>>,
    /// Slots confirmed by regex whatever the prefilter says.
    always: Vec<bool>,
    sels: Vec<SelRef>,
    entity_cache: RwLock<HashMap<EntityKey, Arc<Regex>>>,
}

/// Bytes scanned before the literal DFA and the fast regex engines (lazy
/// DFAs, prefilters) are built.
const DFA_AFTER: u64 = 4 << 20;

/// A statement longer than this is searched with the fast regex engine
/// even in a small run: the NFA alone would take longer over it than the
/// DFAs take to build.
const LIGHT_MAX_TEXT: usize = 64 << 10;

fn automaton(literals: &[String], kind: aho_corasick::AhoCorasickKind) -> Option<AhoCorasick> {
    AhoCorasickBuilder::new()
        .ascii_case_insensitive(true)
        .match_kind(MatchKind::LeftmostLongest)
        .kind(Some(kind))
        .build(literals)
        .ok()
}

/// The literals one of which starts every match of `p`, lowercased, with
/// the case variants of their non-ASCII letters; `None` when there is no
/// such finite set.
fn required_literals(p: &Pat) -> Option<Vec<String>> {
    if p.has_entity()
        || ["^", "$", "\\A", "\\z", "\\b{start", "\\<"]
            .iter()
            .any(|a| p.source.contains(a))
    {
        return None;
    }
    let hir = regex_syntax::ParserBuilder::new()
        .build()
        .parse(&p.source)
        .ok()?;
    // Prefixes or suffixes, whichever set is more selective (its shortest
    // literal longest): either way every match contains one of them, and
    // a hit's position lies inside the match, so inside its unit.
    let extract = |kind| {
        let mut ex = Extractor::new();
        ex.kind(kind);
        let seq = ex.extract(&hir);
        seq.literals().filter(|l| !l.is_empty()).map(|l| l.to_vec())
    };
    let score = |l: &Option<Vec<regex_syntax::hir::literal::Literal>>| {
        l.as_ref().map_or(0, |l| {
            l.iter().map(|x| x.as_bytes().len()).min().unwrap_or(0)
        })
    };
    let (pre, suf) = (extract(ExtractKind::Prefix), extract(ExtractKind::Suffix));
    let lits = if score(&suf) > score(&pre) {
        suf?
    } else {
        pre?
    };
    let mut out = Vec::new();
    for l in &lits {
        let s = std::str::from_utf8(l.as_bytes()).ok()?;
        if s.is_empty() {
            return None;
        }
        let lower = s.to_lowercase();
        out.extend(case_variants(&lower)?);
    }
    out.sort();
    out.dedup();
    Some(out)
}

/// For each literal, the ids of every literal that is an ASCII
/// case-insensitive prefix of it (itself included), in id order. In sorted
/// order every prefix of a literal comes before it and stays a prefix of
/// everything in between, so one pass with a stack of the current chain of
/// prefixes finds them all (rule sets have thousands of literals: no pair
/// comparisons).
fn prefix_chains(literals: &[String]) -> Vec<Vec<usize>> {
    let folded: Vec<Vec<u8>> = literals
        .iter()
        .map(|l| l.as_bytes().to_ascii_lowercase())
        .collect();
    let mut order: Vec<usize> = (0..literals.len()).collect();
    order.sort_by(|&a, &b| folded[a].cmp(&folded[b]).then(a.cmp(&b)));
    let mut chains = vec![Vec::new(); literals.len()];
    // Groups of equal folded literals, each a prefix of the next.
    let mut stack: Vec<Vec<usize>> = Vec::new();
    for group in order.chunk_by(|&a, &b| folded[a] == folded[b]) {
        let me = &folded[group[0]];
        while stack.last().is_some_and(|g| !me.starts_with(&folded[g[0]])) {
            stack.pop();
        }
        stack.push(group.to_vec());
        let mut chain: Vec<usize> = stack.iter().flatten().copied().collect();
        chain.sort_unstable();
        for &i in group {
            chains[i] = chain.clone();
        }
    }
    chains
}

/// Variants of a lowercase literal over its non-ASCII cased letters (ASCII
/// case is left to the automaton's ASCII case-insensitivity).
fn case_variants(lower: &str) -> Option<Vec<String>> {
    // ASCII text (nearly every literal) has one variant: itself.
    if lower.is_ascii() {
        return Some(vec![lower.to_string()]);
    }
    let mut acc = vec![String::new()];
    for c in lower.chars() {
        let mut forms: Vec<String> = vec![c.to_string()];
        if !c.is_ascii() {
            for f in [
                c.to_uppercase().collect::<String>(),
                c.to_lowercase().collect::<String>(),
            ] {
                if !forms.contains(&f) {
                    forms.push(f);
                }
            }
        }
        if acc.len() * forms.len() > MAX_VARIANTS {
            return None;
        }
        if let [only] = forms.as_slice() {
            acc.iter_mut().for_each(|a| a.push_str(only));
            continue;
        }
        acc = acc
            .iter()
            .flat_map(|a| forms.iter().map(move |f| format!("{a}{f}")))
            .collect();
    }
    Some(acc)
}

impl Matcher {
    pub fn new(rules: Arc<Rules>) -> Matcher {
        let mut literals: Vec<String> = Vec::new();
        let mut lit_slot = Vec::new();
        let mut always = Vec::new();
        let mut sels = Vec::new();
        // Every pattern's literals, found side by side, taken in the order
        // of the loop below.
        let positioned: Vec<&Pat> = rules
            .rules
            .iter()
            .flat_map(|r| &r.selectors)
            .filter(|(side, _)| *side != Side::Series)
            .flat_map(|(_, sel)| sel.pattern.iter().chain(&sel.all))
            .collect();
        let found: Vec<Option<Vec<String>>> = positioned
            .par_iter()
            .map(|p| required_literals(p))
            .collect();
        let mut found = found.into_iter();
        let mut add = |slots: &mut Vec<usize>| {
            let slot = always.len();
            slots.push(slot);
            match found.next().expect("one per pattern, in loop order") {
                Some(ls) => {
                    always.push(false);
                    for l in ls {
                        literals.push(l);
                        lit_slot.push(slot);
                    }
                }
                None => always.push(true),
            }
        };
        for (ri, r) in rules.rules.iter().enumerate() {
            for (side, sel) in &r.selectors {
                if *side == Side::Series {
                    continue;
                }
                let mut s = SelRef {
                    rule: ri,
                    side: *side,
                    pattern_slots: vec![],
                    all_slots: vec![],
                };
                for _ in &sel.pattern {
                    add(&mut s.pattern_slots);
                }
                for _ in &sel.all {
                    add(&mut s.all_slots);
                }
                sels.push(s);
            }
        }
        let ac = (!literals.is_empty())
            .then(|| automaton(&literals, aho_corasick::AhoCorasickKind::ContiguousNFA))
            .flatten();
        let lit_chain = prefix_chains(&literals);
        if ac.is_none() {
            // No automaton: every pattern is confirmed by its regex.
            always.iter_mut().for_each(|a| *a = true);
        }
        Matcher {
            rules,
            ac,
            ac_dfa: OnceLock::new(),
            scanned: AtomicU64::new(0),
            expected: AtomicU64::new(0),
            literals,
            lit_slot,
            lit_chain,
            always,
            sels,
            entity_cache: RwLock::new(HashMap::new()),
        }
    }

    /// The same matcher with the prefilter off, every pattern confirmed by
    /// regex: the reference the prefilter must agree with.
    #[cfg(test)]
    fn without_prefilter(rules: Arc<Rules>) -> Matcher {
        let mut m = Matcher::new(rules);
        m.always.iter_mut().for_each(|a| *a = true);
        m
    }

    pub fn rules(&self) -> &Rules {
        &self.rules
    }

    /// Whether the texts scanned so far, or those the run expects, make the
    /// automata that are slower to build but faster to search pay (the
    /// literal DFA, the lazy DFAs and prefilters of the patterns). Either
    /// way the matches are the same.
    fn many(&self) -> bool {
        self.scanned
            .load(Ordering::Relaxed)
            .max(self.expected.load(Ordering::Relaxed))
            > DFA_AFTER
    }

    /// Tells the matcher how many bytes of text the run will match, when
    /// that is known before it starts: a big run then builds the faster
    /// automata at once instead of after its first 4 MiB (and does not
    /// compile its patterns twice). Only speed depends on it.
    pub fn expect_bytes(&self, bytes: u64) {
        self.expected.fetch_max(bytes, Ordering::Relaxed);
    }

    /// The regex engine for searching `st`: see [`Engine`].
    fn engine(&self, st: &Statement) -> Engine {
        if self.many() || st.text.len() > LIGHT_MAX_TEXT {
            Engine::Fast
        } else {
            Engine::Light
        }
    }

    fn regex_for(&self, p: &Pat, st: &Statement, entities: &Entities) -> Option<Arc<Regex>> {
        let engine = self.engine(st);
        if !p.has_entity() {
            return p.regex(engine);
        }
        // Also searched over whole texts (it has no literals of its own):
        // with a prefilter once the texts are many.
        let engine = match engine {
            Engine::Fast => Engine::Scan,
            e => e,
        };
        let key = (
            p.source.clone(),
            st.entity.clone(),
            p.case_sensitive,
            engine,
        );
        if let Some(r) = self.entity_cache.read().ok()?.get(&key) {
            return Some(r.clone());
        }
        let re = Arc::new(Pat::compile_meta(
            &p.expand(&entities.names(&st.entity)),
            p.case_sensitive,
            engine,
        )?);
        self.entity_cache.write().ok()?.insert(key, re.clone());
        Some(re)
    }

    /// Where each pattern slot's literals start in `text`: one scan of the
    /// automaton. Slots without literals have no positions and are marked
    /// in `always`.
    ///
    /// Every start position of every literal is found without an
    /// overlapping search (which has no fast skip loop): a leftmost-longest
    /// search resumes one byte after each hit, and the literals that start
    /// at the same place are exactly the prefixes of the longest one there.
    fn hits(&self, text: &str) -> Vec<Vec<usize>> {
        let mut pos = vec![Vec::new(); self.always.len()];
        self.scanned.fetch_add(text.len() as u64, Ordering::Relaxed);
        let ac = if self.many() {
            self.ac_dfa
                .get_or_init(|| automaton(&self.literals, aho_corasick::AhoCorasickKind::DFA))
                .as_ref()
                .or(self.ac.as_ref())
        } else {
            self.ac.as_ref()
        };
        if let Some(ac) = ac {
            let mut at = 0;
            while at < text.len() {
                let Some(m) = ac.find(aho_corasick::Input::new(text).span(at..text.len())) else {
                    break;
                };
                for &l in &self.lit_chain[m.pattern().as_usize()] {
                    let slot = &mut pos[self.lit_slot[l]];
                    if slot.last() != Some(&m.start()) {
                        slot.push(m.start());
                    }
                }
                at = m.start() + 1;
            }
        }
        pos
    }

    /// All selector matches in one statement.
    pub fn match_statement(&self, st: &Statement, entities: &Entities) -> Vec<Match> {
        let mut out = Vec::new();
        let hits = self.hits(&st.text);
        let mut unit_cache: HashMap<Unit, Vec<Range<usize>>> = HashMap::new();
        let mut region_cache: HashMap<Unit, Vec<Region>> = HashMap::new();
        for sref in &self.sels {
            let rule = &self.rules.rules[sref.rule];
            let Some(sel) = rule.selector(sref.side) else {
                continue;
            };
            // The literal hits first: most selectors have none in most
            // statements, and they cost less to look up than the
            // selector's metadata filters (kinds, roles, entities, topics).
            let hit = |i: usize| self.always[i] || !hits[i].is_empty();
            let pattern_hit = sel.pattern.is_empty() || sref.pattern_slots.iter().any(|&i| hit(i));
            let all_hit = sref.all_slots.iter().all(|&i| hit(i));
            if !pattern_hit || !all_hit {
                continue;
            }
            if !rule.considers(st) || !sel.accepts(st) {
                continue;
            }
            // Each regex beside its slot, so a pattern that fails to expand
            // for this entity cannot shift the pairing.
            // A pattern none of whose literals is in the text cannot match
            // in it: it is left out (and not compiled).
            let with_slots = |ps: &[Pat], slots: &[usize]| -> (Vec<Arc<Regex>>, Vec<usize>) {
                ps.iter()
                    .zip(slots)
                    .filter(|(_, sl)| hit(**sl))
                    .filter_map(|(p, &sl)| {
                        // Slots without literals are searched over the whole
                        // text: with a prefilter once the texts are many.
                        let re = if self.always[sl] && !p.has_entity() && self.many() {
                            p.regex(Engine::Scan)
                        } else {
                            self.regex_for(p, st, entities)
                        };
                        re.map(|r| (r, sl))
                    })
                    .unzip()
            };
            let (pats, pat_slots) = with_slots(&sel.pattern, &sref.pattern_slots);
            let (alls, all_slots) = with_slots(&sel.all, &sref.all_slots);
            // The patterns left out have no `{entity}`, so they compile: the
            // `pattern` entries locate the units whenever one has a regex.
            let by_pats = !pats.is_empty() || sref.pattern_slots.iter().any(|&i| !hit(i));
            // Whether a slot's pattern may match inside unit `u`: any match
            // holds one of its literals, so a hit must lie in the unit.
            let in_unit = |slot: usize, u: &Range<usize>| {
                let h = &hits[slot];
                let i = h.partition_point(|&p| p < u.start);
                self.always[slot] || (i < h.len() && h[i] < u.end)
            };
            // Compiled only once a unit needs them.
            let mut nots: Option<Vec<Arc<Regex>>> = None;
            // Units that hold a literal hit of the positioning patterns (or,
            // for a pattern without literals, a regex match): regexes then
            // run on those units only, never on the whole text, and only the
            // blank-line region around a hit is segmented.
            let (locator, slots): (&[Arc<Regex>], &[usize]) = if by_pats {
                (&pats, &pat_slots)
            } else {
                (&alls, &all_slots)
            };
            let mut cands: Vec<Range<usize>> = Vec::new();
            if locator.is_empty() || sel.unit == Unit::Document {
                let us = unit_cache
                    .entry(sel.unit)
                    .or_insert_with(|| units(&st.text, sel.unit));
                cands.extend(us.iter().cloned());
            } else {
                let mut positions: Vec<usize> = Vec::new();
                for (re, &slot) in locator.iter().zip(slots) {
                    if self.always[slot] {
                        positions.extend(re.find_iter(&st.text).map(|m| m.start()));
                    } else {
                        positions.extend_from_slice(&hits[slot]);
                    }
                }
                positions.sort_unstable();
                positions.dedup();
                let regions = region_cache.entry(sel.unit).or_default();
                for at in positions {
                    // Regions are found in order of position; reuse the last.
                    let known = regions
                        .iter()
                        .rev()
                        .find(|(r, _)| r.start <= at && at <= r.end);
                    let us = match known {
                        Some((_, us)) => us,
                        None => {
                            let r = region_around(&st.text, at);
                            let us = units_in(&st.text, r.clone(), sel.unit);
                            regions.push((r, us));
                            &regions.last().expect("just pushed").1
                        }
                    };
                    let i = us.partition_point(|u| u.end <= at);
                    if i < us.len() && us[i].start <= at {
                        cands.push(us[i].clone());
                    }
                }
                cands.sort_by_key(|u| (u.start, u.end));
                cands.dedup();
            }
            for u in cands {
                let ut = &st.text[u.clone()];
                // Every `all` pattern must match; one without a hit in the
                // unit cannot.
                if !all_slots.iter().all(|&sl| in_unit(sl, &u)) {
                    continue;
                }
                let span = if !by_pats {
                    match alls.first() {
                        Some(re) => re.find(ut).map(|m| m.range()),
                        None => Some(0..ut.len()),
                    }
                } else {
                    pats.iter()
                        .zip(&pat_slots)
                        .filter(|(_, sl)| in_unit(**sl, &u))
                        .filter_map(|(re, _)| re.find(ut))
                        .min_by_key(|m| (m.start(), std::cmp::Reverse(m.end())))
                        .map(|m| m.range())
                };
                let Some(span) = span else { continue };
                if !alls.iter().all(|re| re.is_match(ut)) {
                    continue;
                }
                let nots = nots.get_or_insert_with(|| {
                    sel.not
                        .iter()
                        .filter_map(|p| self.regex_for(p, st, entities))
                        .collect()
                });
                if nots.iter().any(|re| re.is_match(ut)) {
                    continue;
                }
                out.push(Match {
                    rule: sref.rule,
                    side: sref.side,
                    unit: u.clone(),
                    span: u.start + span.start..u.start + span.end,
                });
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::{Corpus, parse_statement_text};
    use crate::rules::parse_rules_text;
    use std::path::Path;

    fn run(rules: &str, body: &str) -> Vec<String> {
        let rules = Arc::new(crate::rules::Rules {
            rules: parse_rules_text(Path::new("r.toml"), rules).unwrap(),
        });
        let st = parse_statement_text(
            Path::new("s/acme/a.md"),
            &format!(
                "+++\ndate = \"2020\"\nkind = \"statement\"\nspeaker_role = \"entity\"\n+++\n{body}"
            ),
            "acme",
            Path::new("s"),
        )
        .unwrap();
        let mut corpus = Corpus::default();
        corpus.entities.by_id.insert(
            "acme".into(),
            crate::corpus::Entity {
                id: "acme".into(),
                name: "Acme Corp".into(),
                aliases: vec!["ACME".into()],
                ..Default::default()
            },
        );
        corpus.statements.push(st);
        let m = Matcher::new(rules);
        m.match_statement(&corpus.statements[0], &corpus.entities)
            .into_iter()
            .map(|m| {
                format!(
                    "{}|{}",
                    &corpus.statements[0].text[m.unit], &corpus.statements[0].text[m.span]
                )
            })
            .collect()
    }

    #[test]
    fn prefix_chains_find_every_case_insensitive_prefix() {
        let lits: Vec<String> = ["know", "KNOWINGLY", "kno", "not", "Know", "清真", "清真寺"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let slow = |lits: &[String]| -> Vec<Vec<usize>> {
            lits.iter()
                .map(|l| {
                    (0..lits.len())
                        .filter(|&i| {
                            let p = lits[i].as_bytes();
                            p.len() <= l.len() && l.as_bytes()[..p.len()].eq_ignore_ascii_case(p)
                        })
                        .collect()
                })
                .collect()
        };
        assert_eq!(prefix_chains(&lits), slow(&lits));
        assert_eq!(prefix_chains(&lits)[1], vec![0, 1, 2, 4]);
        // Random literals over a small alphabet: many shared prefixes,
        // case variants and duplicates.
        let mut x: u64 = 0x2545_F491_4F6C_DD1D;
        for _ in 0..200 {
            let lits: Vec<String> = (0..40)
                .map(|_| {
                    x ^= x << 13;
                    x ^= x >> 7;
                    x ^= x << 17;
                    let len = 1 + (x % 5) as usize;
                    (0..len)
                        .map(|k| b"abAB"[((x >> (8 + 2 * k)) & 3) as usize] as char)
                        .collect()
                })
                .collect();
            assert_eq!(prefix_chains(&lits), slow(&lits), "{lits:?}");
        }
    }

    #[test]
    fn required_literals_cover_case_variants() {
        let lits = |src: &str| required_literals(&Pat::new(src, false));
        assert_eq!(lits("\\bknowingly\\b"), Some(vec!["knowingly".to_string()]));
        assert_eq!(
            lits("(never|not) knowingly"),
            Some(vec!["never knowingly".into(), "not knowingly".into()])
        );
        assert_eq!(
            lits("über"),
            Some(vec!["Über".to_string(), "über".to_string()])
        );
        assert_eq!(lits(".{0,40}x"), Some(vec!["x".to_string()]));
        assert_eq!(lits("\\w+"), None);
        assert_eq!(lits("^x"), None);
        assert_eq!(lits("{entity} is"), None);
        assert_eq!(lits("清真寺"), Some(vec!["清真寺".to_string()]));
    }

    #[test]
    fn prefilter_agrees_with_plain_regex() {
        let rules = "[[rule]]\nid = \"f\"\nkind = \"flag\"\n[rule.claim]\npattern = ['\\bknow(ingly|n)\\b', 'ÜBER\\w*', '(?-i)Case', '清真寺', 'a.{0,5}z']\nall = ['\\w']\n";
        let rules = Arc::new(crate::rules::Rules {
            rules: parse_rules_text(Path::new("r.toml"), rules).unwrap(),
        });
        let texts = [
            "We KNOWINGLY did. Known fact. knowledge is not it.",
            "Über alles. ÜBERALL. üBERsicht.",
            "Case and case. CASE.",
            "皮山。清真寺视频。",
            "abcz and a     z and a      z.",
            "nothing here",
            "",
        ];
        let fast = Matcher::new(rules.clone());
        let slow = Matcher::without_prefilter(rules.clone());
        // As far into a run as the fast regex engines and the literal DFA.
        let warm = Matcher::new(rules);
        warm.scanned.store(DFA_AFTER + 1, Ordering::Relaxed);
        assert!(warm.many() && !fast.many());
        let mut total = 0;
        for t in texts {
            let st = parse_statement_text(
                Path::new("s/a/x.md"),
                &format!("+++\ndate = \"2020\"\nkind = \"other\"\n+++\n{t}"),
                "a",
                Path::new("s"),
            )
            .unwrap();
            let e = crate::corpus::Entities::default();
            let got = fast.match_statement(&st, &e);
            total += got.len();
            assert_eq!(got, slow.match_statement(&st, &e), "text: {t}");
            assert_eq!(got, warm.match_statement(&st, &e), "text: {t}");
        }
        assert!(total >= 6, "the cases must exercise matches, got {total}");
    }

    #[test]
    fn sentence_units_with_all_and_not() {
        let r = "[[rule]]\nid = \"f\"\nkind = \"flag\"\n[rule.claim]\npattern = '\\bknowingly\\b'\nall = ['abuse']\nnot = ['never']\n";
        let got = run(
            r,
            "We did not knowingly abuse. We knowingly sold. We never knowingly abuse.",
        );
        assert_eq!(got, ["We did not knowingly abuse.|knowingly"]);
    }

    #[test]
    fn entity_placeholder_expands_to_aliases() {
        let r = "[[rule]]\nid = \"f\"\nkind = \"flag\"\n[rule.claim]\npattern = '{entity} is independent'\n";
        assert_eq!(
            run(r, "ACME is independent. Other Co is independent."),
            ["ACME is independent.|ACME is independent"]
        );
    }

    #[test]
    fn chinese_text_matches_in_its_sentence() {
        let r = "[[rule]]\nid = \"f\"\nkind = \"flag\"\n[rule.claim]\npattern = '清真寺'\n";
        assert_eq!(
            run(r, "皮山社会面防控体系PPP。清真寺视频联网系统。"),
            ["清真寺视频联网系统。|清真寺"]
        );
    }

    #[test]
    fn case_insensitive_by_default_unicode_aware() {
        let r = "[[rule]]\nid = \"f\"\nkind = \"flag\"\n[rule.claim]\npattern = 'ÜBER'\n";
        assert_eq!(run(r, "Es ist über."), ["Es ist über.|über"]);
    }
}
