//! The one multi-pattern pass. Every pattern of every rule is compiled into
//! one `RegexSet`; each statement's text goes through it once, and only the
//! selectors whose patterns hit run their own regexes, and only on the
//! units that hold a hit. Patterns using `{entity}`, or anchored ones, are
//! outside the set and always confirmed (their meaning depends on the
//! statement's entity or on unit edges).

use crate::corpus::units::{Unit, units};
use crate::corpus::{Corpus, Statement};
use crate::rules::{Pat, Rules, Side};
use regex::{Regex, RegexSet};
use std::collections::HashMap;
use std::ops::Range;
use std::sync::{Arc, RwLock};

/// A selector matched a unit of a statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Match {
    pub rule: usize,
    pub side: Side,
    pub statement: usize,
    /// Byte range of the unit in the statement's text.
    pub unit: Range<usize>,
    /// Byte range of the matched pattern (the whole unit when the selector
    /// has no pattern).
    pub span: Range<usize>,
}

struct SelRef {
    rule: usize,
    side: Side,
    /// Set indices of its `pattern` entries, and whether any is outside.
    pattern_ids: Vec<usize>,
    pattern_outside: bool,
    all_ids: Vec<usize>,
    all_outside: bool,
}

/// Compiled matcher for a rule set.
pub struct Matcher {
    rules: Arc<Rules>,
    set: RegexSet,
    sels: Vec<SelRef>,
    entity_cache: RwLock<HashMap<(String, String, bool), Arc<Regex>>>,
}

fn in_set(p: &Pat) -> bool {
    // Anchors behave differently on a whole text than on a unit.
    p.regex.is_some()
        && !p.source.contains('^')
        && !p.source.contains('$')
        && !p.source.contains("\\A")
        && !p.source.contains("\\z")
}

impl Matcher {
    pub fn new(rules: Arc<Rules>) -> Matcher {
        let mut sources = Vec::new();
        let mut sels = Vec::new();
        let mut add = |p: &Pat, ids: &mut Vec<usize>, outside: &mut bool| {
            if in_set(p) {
                ids.push(sources.len());
                let flags = if p.case_sensitive { "" } else { "(?i)" };
                sources.push(format!("{flags}(?:{})", p.source));
            } else {
                *outside = true;
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
                    pattern_ids: vec![],
                    pattern_outside: false,
                    all_ids: vec![],
                    all_outside: false,
                };
                for p in &sel.pattern {
                    add(p, &mut s.pattern_ids, &mut s.pattern_outside);
                }
                for p in &sel.all {
                    add(p, &mut s.all_ids, &mut s.all_outside);
                }
                sels.push(s);
            }
        }
        let set = regex::RegexSetBuilder::new(&sources)
            .size_limit(crate::rules::REGEX_SIZE_LIMIT * 64)
            .dfa_size_limit(crate::rules::DFA_SIZE_LIMIT * 8)
            .build()
            .unwrap_or_else(|_| RegexSet::empty());
        Matcher {
            rules,
            set,
            sels,
            entity_cache: RwLock::new(HashMap::new()),
        }
    }

    pub fn rules(&self) -> &Rules {
        &self.rules
    }

    fn regex_for(&self, p: &Pat, st: &Statement, corpus: &Corpus) -> Option<Arc<Regex>> {
        if let Some(r) = &p.regex {
            return Some(Arc::new(r.clone()));
        }
        let key = (p.source.clone(), st.entity.clone(), p.case_sensitive);
        if let Some(r) = self.entity_cache.read().ok()?.get(&key) {
            return Some(r.clone());
        }
        let re = Arc::new(
            Pat::compile(
                &p.expand(&corpus.entities.names(&st.entity)),
                p.case_sensitive,
            )
            .ok()?,
        );
        self.entity_cache.write().ok()?.insert(key, re.clone());
        Some(re)
    }

    /// All selector matches in one statement.
    pub fn match_statement(&self, st: &Statement, st_idx: usize, corpus: &Corpus) -> Vec<Match> {
        let mut out = Vec::new();
        let hits = self.set.matches(&st.text);
        let mut unit_cache: HashMap<Unit, Vec<Range<usize>>> = HashMap::new();
        for sref in &self.sels {
            let rule = &self.rules.rules[sref.rule];
            let Some(sel) = rule.selector(sref.side) else {
                continue;
            };
            if !rule.considers(st) || !sel.accepts(st) {
                continue;
            }
            let pattern_hit = sel.pattern.is_empty()
                || sref.pattern_outside
                || sref.pattern_ids.iter().any(|&i| hits.matched(i));
            let all_hit = sref.all_outside || sref.all_ids.iter().all(|&i| hits.matched(i));
            if !pattern_hit || !all_hit {
                continue;
            }
            let pats: Vec<Arc<Regex>> = sel
                .pattern
                .iter()
                .filter_map(|p| self.regex_for(p, st, corpus))
                .collect();
            let alls: Vec<Arc<Regex>> = sel
                .all
                .iter()
                .filter_map(|p| self.regex_for(p, st, corpus))
                .collect();
            let nots: Vec<Arc<Regex>> = sel
                .not
                .iter()
                .filter_map(|p| self.regex_for(p, st, corpus))
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
                    statement: st_idx,
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
    use crate::corpus::parse_statement_text;
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
        m.match_statement(&corpus.statements[0], 0, &corpus)
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
