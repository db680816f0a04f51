//! Pairing claims with evidence (and earlier with later statements) through
//! an index by (entity group, time): evidence matches of one rule are
//! sorted by their interval's end and start, and each claim finds its
//! window by binary search, nearest in time first, capped at
//! `max_evidence` per claim. The claim × evidence cross product is never
//! built.

use crate::corpus::{DateRange, Statement};
use crate::finding::Order;
use crate::rules::{OrderReq, Rule, RuleKind, topics_pass};
use chrono::{Duration, NaiveDate};
use std::collections::{BTreeSet, HashMap};

/// A match to pair: its interval, its groups and its statement.
#[derive(Debug, Clone)]
pub struct Item {
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub statement: usize,
    pub match_idx: usize,
}

/// A pair found: query item, indexed item, order, gap in days.
#[derive(Debug, Clone)]
pub struct Pair {
    pub query: usize,
    pub indexed: usize,
    pub order: Order,
    pub days: i64,
    /// Indexed matches in window and order for this query, before the cap.
    pub total: usize,
}

/// Evidence (or earlier statements) of one rule, by group, sorted.
pub struct Index {
    by_end: HashMap<String, Vec<Item>>,
    by_start: HashMap<String, Vec<Item>>,
}

/// The longest a date interval can be (a leap year), bounding overlap scans.
const MAX_SPAN_DAYS: i64 = 366;

impl Index {
    pub fn build(items: Vec<(BTreeSet<String>, Item)>) -> Index {
        let mut by_end: HashMap<String, Vec<Item>> = HashMap::new();
        for (groups, it) in items {
            for g in groups {
                by_end.entry(g).or_default().push(it.clone());
            }
        }
        let mut by_start = by_end.clone();
        for v in by_end.values_mut() {
            v.sort_by_key(|i| (i.end, i.start, i.match_idx));
        }
        for v in by_start.values_mut() {
            v.sort_by_key(|i| (i.start, i.end, i.match_idx));
        }
        Index { by_end, by_start }
    }

    /// Indexed items in `group` that pair with an item at `when`, nearest
    /// first, at most `cap` accepted by `keep`.
    pub fn query(
        &self,
        group: &str,
        when: &DateRange,
        rule: &Rule,
        keep: &dyn Fn(&Item) -> bool,
    ) -> (Vec<(Item, Order, i64)>, usize) {
        let (Some(by_end), Some(by_start)) = (self.by_end.get(group), self.by_start.get(group))
        else {
            return (Vec::new(), 0);
        };
        let window = rule.window.unwrap_or(i64::MAX / 4);
        let reversal = rule.kind == RuleKind::Reversal;
        let want_before = !matches!(rule.order, OrderReq::ClaimFirst);
        let want_after = !reversal && !matches!(rule.order, OrderReq::EvidenceFirst);
        let want_overlap = matches!(rule.order, OrderReq::Any);
        let cap = rule.max_evidence;
        let mut cands: Vec<(Item, Order, i64)> = Vec::new();
        let mut total = 0;
        let day = Duration::days(1);
        let far = |d: NaiveDate, n: i64| {
            d.checked_sub_signed(Duration::days(n.min(3_000_000)))
                .unwrap_or(NaiveDate::MIN)
        };
        let farf = |d: NaiveDate, n: i64| {
            d.checked_add_signed(Duration::days(n.min(3_000_000)))
                .unwrap_or(NaiveDate::MAX)
        };
        if want_overlap {
            let lo = by_start.partition_point(|i| i.start < far(when.start, MAX_SPAN_DAYS));
            let hi = by_start.partition_point(|i| i.start <= when.end);
            let mut taken = 0;
            for it in &by_start[lo..hi] {
                if it.end >= when.start && keep(it) {
                    total += 1;
                    if taken < cap {
                        cands.push((it.clone(), Order::Uncertain, 0));
                        taken += 1;
                    }
                }
            }
        }
        if want_before {
            // Indexed item ends before `when` starts, within the window.
            let lo = by_end.partition_point(|i| i.end < far(when.start, window));
            let hi = by_end.partition_point(|i| i.end < when.start);
            total += hi - lo;
            let order = if reversal {
                Order::EarlierFirst
            } else {
                Order::EvidenceFirst
            };
            let mut taken = 0;
            for it in by_end[lo..hi].iter().rev() {
                if taken >= cap {
                    break;
                }
                if keep(it) {
                    cands.push((it.clone(), order, (when.start - it.end).num_days()));
                    taken += 1;
                }
            }
        }
        if want_after {
            let from = when.end.checked_add_signed(day).unwrap_or(NaiveDate::MAX);
            let lo = by_start.partition_point(|i| i.start < from);
            let hi = by_start.partition_point(|i| i.start <= farf(when.end, window));
            total += hi - lo;
            let mut taken = 0;
            for it in &by_start[lo..hi] {
                if taken >= cap {
                    break;
                }
                if keep(it) {
                    cands.push((
                        it.clone(),
                        Order::ClaimFirst,
                        (it.start - when.end).num_days(),
                    ));
                    taken += 1;
                }
            }
        }
        cands.sort_by_key(|(it, _, d)| (*d, it.start, it.match_idx));
        cands.truncate(cap);
        (cands, total)
    }
}

/// Whether two statements may be paired by a rule: not the same statement,
/// and sharing a topic when both carry topics.
pub fn compatible(a: &Statement, b: &Statement) -> bool {
    a.id != b.id
        && (a.topics.is_empty() || b.topics.is_empty() || topics_pass(&a.topics, &b.topics))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::parse_rules_text;
    use std::path::Path;

    fn rule(extra: &str) -> Rule {
        let t = format!(
            "[[rule]]\nid = \"r\"\nkind = \"contradiction\"\n{extra}\n[rule.claim]\npattern = 'a'\n[rule.evidence]\npattern = 'b'\n"
        );
        parse_rules_text(Path::new("r.toml"), &t).unwrap().remove(0)
    }

    fn idx(dates: &[&str]) -> Index {
        Index::build(
            dates
                .iter()
                .enumerate()
                .map(|(i, d)| {
                    let d = DateRange::parse(d).unwrap();
                    (
                        BTreeSet::from(["g".to_string()]),
                        Item {
                            start: d.start,
                            end: d.end,
                            statement: i,
                            match_idx: i,
                        },
                    )
                })
                .collect(),
        )
    }

    fn q(ix: &Index, r: &Rule, when: &str) -> Vec<(usize, &'static str, i64)> {
        ix.query("g", &DateRange::parse(when).unwrap(), r, &|_| true)
            .0
            .into_iter()
            .map(|(i, o, d)| (i.match_idx, o.as_str(), d))
            .collect()
    }

    #[test]
    fn orders_and_gaps() {
        let ix = idx(&["2017", "2021-04-20", "2023-03"]);
        let got = q(&ix, &rule(""), "2021-04");
        assert_eq!(got[0], (1, "uncertain", 0));
        // Nearest first: 2023-03 is 670 days after, 2017 is 1187 days before.
        assert_eq!(got[1], (2, "claim-first", 670));
        assert_eq!(got[2], (0, "evidence-first", 1187));
        assert_eq!(
            q(&ix, &rule("order = \"evidence-first\""), "2021-04"),
            vec![(0, "evidence-first", 1187)]
        );
        assert_eq!(
            q(&ix, &rule("order = \"claim-first\""), "2021-04")
                .iter()
                .map(|x| x.0)
                .collect::<Vec<_>>(),
            vec![2]
        );
    }

    #[test]
    fn window_and_cap_keep_the_nearest() {
        let ix = idx(&["2010", "2018", "2019", "2020"]);
        let got = q(
            &ix,
            &rule("order = \"evidence-first\"\nwindow = \"2y\"\nmax_evidence = 1"),
            "2021",
        );
        assert_eq!(got, vec![(3, "evidence-first", 1)]);
        // 2y = 732 days: 2018 ends exactly 732 days before 2021 starts.
        let (_, total) = ix.query(
            "g",
            &DateRange::parse("2021").unwrap(),
            &rule("window = \"2y\""),
            &|_| true,
        );
        assert_eq!(total, 3);
        let (_, total) = ix.query(
            "g",
            &DateRange::parse("2021").unwrap(),
            &rule("window = \"1y\""),
            &|_| true,
        );
        assert_eq!(total, 1);
    }

    #[test]
    fn other_groups_never_pair() {
        let ix = idx(&["2017"]);
        assert!(
            ix.query(
                "other",
                &DateRange::parse("2021").unwrap(),
                &rule(""),
                &|_| true
            )
            .0
            .is_empty()
        );
    }
}
