//! Year-over-year document similarity as in Cohen, Malloy and Nguyen, "Lazy
//! Prices" (Journal of Finance, 2020): the cosine similarity of the two
//! versions' term-frequency vectors and the Jaccard similarity of their word
//! sets, for the whole document and per section.
//!
//! Terms are the tokens of the items' normalised text (words, and character
//! bigrams in CJK runs), function words included as in the paper. Numbers
//! are left out: a filing's figures change every year by design, and in a
//! table-heavy report they would swamp the wording changes the measures are
//! meant to show.

use std::collections::HashMap;

use super::items::Item;
use super::normalize::{Token, tokens};

/// Similarity of two texts' vocabularies.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DocSimilarity {
    /// Cosine similarity of term-frequency vectors, in [0, 1].
    pub cosine: f64,
    /// |words in both| / |words in either|, in [0, 1].
    pub jaccard: f64,
}

type Counts<'a> = HashMap<&'a str, u32>;

fn count<'a>(items: impl Iterator<Item = &'a Item>, into: &mut Counts<'a>) {
    for item in items {
        for t in tokens(&item.norm) {
            match t {
                Token::Word(w) | Token::Cjk(w) => *into.entry(w).or_insert(0) += 1,
                Token::Number(_) => {}
            }
        }
    }
}

fn measure(a: &Counts<'_>, b: &Counts<'_>) -> DocSimilarity {
    if a.is_empty() && b.is_empty() {
        return DocSimilarity {
            cosine: 1.0,
            jaccard: 1.0,
        };
    }
    let norm = |c: &Counts<'_>| {
        c.values()
            .map(|&n| f64::from(n).powi(2))
            .sum::<f64>()
            .sqrt()
    };
    let (small, large) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    let (mut dot, mut both) = (0.0, 0usize);
    for (w, &n) in small {
        if let Some(&m) = large.get(w) {
            dot += f64::from(n) * f64::from(m);
            both += 1;
        }
    }
    let denom = norm(a) * norm(b);
    DocSimilarity {
        cosine: if denom > 0.0 {
            (dot / denom).min(1.0)
        } else {
            0.0
        },
        jaccard: both as f64 / (a.len() + b.len() - both) as f64,
    }
}

/// The Lazy Prices measures between two versions: whole document, then one
/// entry per section (by exact section path) in order of first appearance —
/// the old version's sections first, then sections only the new one has. A
/// section present in one version only scores 0 on both measures.
pub fn lazy_prices(old: &[Item], new: &[Item]) -> (DocSimilarity, Vec<(String, DocSimilarity)>) {
    let (mut all_old, mut all_new) = (Counts::new(), Counts::new());
    count(old.iter(), &mut all_old);
    count(new.iter(), &mut all_new);
    let whole = measure(&all_old, &all_new);

    let mut order: Vec<&str> = Vec::new();
    let mut by_section: HashMap<&str, (Counts<'_>, Counts<'_>)> = HashMap::new();
    for (items, side) in [(old, 0), (new, 1)] {
        for item in items {
            let entry = by_section.entry(&item.section).or_insert_with(|| {
                order.push(&item.section);
                (Counts::new(), Counts::new())
            });
            let target = if side == 0 {
                &mut entry.0
            } else {
                &mut entry.1
            };
            count(std::iter::once(item), target);
        }
    }
    let sections = order
        .into_iter()
        .map(|s| {
            let (a, b) = &by_section[s];
            (s.to_string(), measure(a, b))
        })
        .collect();
    (whole, sections)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::align::split_items;

    #[test]
    fn identical_documents_score_one() {
        let items = split_items("# A\n\nThe cat sat.\n\n# B\n\nA dog ran 5 miles.", 0);
        let (whole, sections) = lazy_prices(&items, &items);
        assert!(
            (whole.cosine - 1.0).abs() < 1e-12 && whole.jaccard == 1.0,
            "{whole:?}"
        );
        assert_eq!(sections.len(), 2);
    }

    #[test]
    fn known_values() {
        let old = split_items("# A\n\na a b", 0);
        let new = split_items("# A\n\na c\n\n# B\n\nz", 0);
        let (whole, sections) = lazy_prices(&old, &new);
        // old {a:2, b:1}, new {a:1, c:1, z:1}: cos = 2 / (√5·√3), jaccard 1/4
        assert!((whole.cosine - 2.0 / (5f64.sqrt() * 3f64.sqrt())).abs() < 1e-12);
        assert!((whole.jaccard - 0.25).abs() < 1e-12);
        assert_eq!(sections[0].0, "A");
        assert_eq!(
            sections[1],
            (
                "B".to_string(),
                DocSimilarity {
                    cosine: 0.0,
                    jaccard: 0.0
                }
            )
        );
    }

    #[test]
    fn numbers_do_not_count() {
        let old = split_items("Revenue 100 200", 0);
        let new = split_items("Revenue 300 400", 0);
        assert!((lazy_prices(&old, &new).0.cosine - 1.0).abs() < 1e-12);
    }
}
