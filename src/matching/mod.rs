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

use crate::corpus::units::{Unit, units};
use crate::corpus::{Entities, Statement};
use crate::rules::{Pat, Rules, Side};
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use regex::Regex;
use regex_syntax::hir::literal::{ExtractKind, Extractor};
use std::collections::HashMap;
use std::ops::Range;
use std::sync::{Arc, RwLock};

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

/// Most case variants generated for one literal before giving up on it.
const MAX_VARIANTS: usize = 64;

/// Compiled matcher for a rule set.
pub struct Matcher {
    rules: Arc<Rules>,
    ac: Option<AhoCorasick>,
    /// Automaton pattern id → pattern slot.
    lit_slot: Vec<usize>,
    /// Slots confirmed by regex whatever the prefilter says.
    always: Vec<bool>,
    sels: Vec<SelRef>,
    entity_cache: RwLock<HashMap<(String, String, bool), Arc<Regex>>>,
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
    let mut ex = Extractor::new();
    ex.kind(ExtractKind::Prefix);
    let seq = ex.extract(&hir);
    let lits = seq.literals()?;
    if lits.is_empty() {
        return None;
    }
    let mut out = Vec::new();
    for l in lits {
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

/// Variants of a lowercase literal over its non-ASCII cased letters (ASCII
/// case is left to the automaton's ASCII case-insensitivity).
fn case_variants(lower: &str) -> Option<Vec<String>> {
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
        let mut add = |p: &Pat, slots: &mut Vec<usize>| {
            let slot = always.len();
            slots.push(slot);
            match required_literals(p) {
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
                for p in &sel.pattern {
                    add(p, &mut s.pattern_slots);
                }
                for p in &sel.all {
                    add(p, &mut s.all_slots);
                }
                sels.push(s);
            }
        }
        let ac = (!literals.is_empty())
            .then(|| {
                AhoCorasickBuilder::new()
                    .ascii_case_insensitive(true)
                    .match_kind(MatchKind::Standard)
                    .build(&literals)
                    .ok()
            })
            .flatten();
        if ac.is_none() {
            // No automaton: every pattern is confirmed by its regex.
            always.iter_mut().for_each(|a| *a = true);
        }
        Matcher {
            rules,
            ac,
            lit_slot,
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

    fn regex_for(&self, p: &Pat, st: &Statement, entities: &Entities) -> Option<Arc<Regex>> {
        if let Some(r) = &p.regex {
            return Some(Arc::new(r.clone()));
        }
        let key = (p.source.clone(), st.entity.clone(), p.case_sensitive);
        if let Some(r) = self.entity_cache.read().ok()?.get(&key) {
            return Some(r.clone());
        }
        let re =
            Arc::new(Pat::compile(&p.expand(&entities.names(&st.entity)), p.case_sensitive).ok()?);
        self.entity_cache.write().ok()?.insert(key, re.clone());
        Some(re)
    }

    /// Which pattern slots may match in `text`: one scan of the automaton.
    fn hits(&self, text: &str) -> Vec<bool> {
        let mut hit = self.always.clone();
        if let Some(ac) = &self.ac {
            let mut left = hit.iter().filter(|h| !**h).count();
            for m in ac.find_overlapping_iter(text) {
                let slot = self.lit_slot[m.pattern().as_usize()];
                if !hit[slot] {
                    hit[slot] = true;
                    left -= 1;
                    if left == 0 {
                        break;
                    }
                }
            }
        }
        hit
    }

    /// All selector matches in one statement.
    pub fn match_statement(&self, st: &Statement, entities: &Entities) -> Vec<Match> {
        let mut out = Vec::new();
        let hits = self.hits(&st.text);
        let mut unit_cache: HashMap<Unit, Vec<Range<usize>>> = HashMap::new();
        for sref in &self.sels {
            let rule = &self.rules.rules[sref.rule];
            let Some(sel) = rule.selector(sref.side) else {
                continue;
            };
            if !rule.considers(st) || !sel.accepts(st) {
                continue;
            }
            let pattern_hit = sel.pattern.is_empty() || sref.pattern_slots.iter().any(|&i| hits[i]);
            let all_hit = sref.all_slots.iter().all(|&i| hits[i]);
            if !pattern_hit || !all_hit {
                continue;
            }
            let pats: Vec<Arc<Regex>> = sel
                .pattern
                .iter()
                .filter_map(|p| self.regex_for(p, st, entities))
                .collect();
            let alls: Vec<Arc<Regex>> = sel
                .all
                .iter()
                .filter_map(|p| self.regex_for(p, st, entities))
                .collect();
            let nots: Vec<Arc<Regex>> = sel
                .not
                .iter()
                .filter_map(|p| self.regex_for(p, st, entities))
                .collect();
            let us = unit_cache
                .entry(sel.unit)
                .or_insert_with(|| units(&st.text, sel.unit));
            // Units that hold a hit of the positioning patterns.
            let locator: &[Arc<Regex>] = if !pats.is_empty() { &pats } else { &alls };
            let mut cands: Vec<usize> = Vec::new();
            if locator.is_empty() {
                cands.extend(0..us.len());
            } else {
                for re in locator {
                    for m in re.find_iter(&st.text) {
                        let i = us.partition_point(|u| u.end <= m.start());
                        if i < us.len() && us[i].start <= m.start() {
                            cands.push(i);
                        }
                    }
                }
                cands.sort_unstable();
                cands.dedup();
            }
            for ui in cands {
                let u = us[ui].clone();
                let ut = &st.text[u.clone()];
                let span = if pats.is_empty() {
                    match alls.first() {
                        Some(re) => re.find(ut).map(|m| m.range()),
                        None => Some(0..ut.len()),
                    }
                } else {
                    pats.iter()
                        .filter_map(|re| re.find(ut))
                        .min_by_key(|m| (m.start(), std::cmp::Reverse(m.end())))
                        .map(|m| m.range())
                };
                let Some(span) = span else { continue };
                if !alls.iter().all(|re| re.is_match(ut)) || nots.iter().any(|re| re.is_match(ut)) {
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
    fn required_literals_cover_case_variants() {
        let lits = |src: &str| {
            required_literals(&Pat {
                source: src.into(),
                regex: None,
                case_sensitive: false,
            })
        };
        assert_eq!(lits("\\bknowingly\\b"), Some(vec!["knowingly".to_string()]));
        assert_eq!(
            lits("(never|not) knowingly"),
            Some(vec!["never knowingly".into(), "not knowingly".into()])
        );
        assert_eq!(
            lits("über"),
            Some(vec!["Über".to_string(), "über".to_string()])
        );
        assert_eq!(lits(".{0,40}x"), None);
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
        let slow = Matcher::without_prefilter(rules);
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
