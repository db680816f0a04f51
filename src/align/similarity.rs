//! The item similarity measure that `AlignConfig::threshold` applies to: a
//! weighted Dice coefficient over token multisets (defined precisely in the
//! `align` module doc), and the sparse feature vectors the aligner reuses so
//! each item is tokenised once.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use super::normalize::{Token, is_stopword, normalize, tokens};

/// Weight of a content word and of a CJK bigram.
pub(crate) const W_WORD: f64 = 1.0;
/// Weight of an English function word (`the`, `of`, …).
pub(crate) const W_STOP: f64 = 0.2;
/// Weight of the "there is a number here" feature every number adds.
pub(crate) const W_NUM_CLASS: f64 = 0.2;
/// Weight of a number's literal value.
pub(crate) const W_NUM_VALUE: f64 = 0.1;

/// The feature id of "a number" (see [`W_NUM_CLASS`]).
const NUM_CLASS: &str = "#";

/// FxHash (rustc's hasher): a multiply-rotate hash, much cheaper than
/// SipHash for short keys; the interner is internal and not exposed to
/// untrusted keys that could be tuned for collisions in bulk.
#[derive(Default, Clone, Copy)]
pub(crate) struct FxHasher(u64);

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        const K: u64 = 0x51_7c_c1_b7_27_22_0a_95;
        for chunk in bytes.chunks(8) {
            let mut buf = [0u8; 8];
            buf[..chunk.len()].copy_from_slice(chunk);
            self.0 = (self.0.rotate_left(5) ^ u64::from_le_bytes(buf)).wrapping_mul(K);
        }
    }
    fn write_u8(&mut self, b: u8) {
        self.write(&[b]);
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

pub(crate) type FxBuild = BuildHasherDefault<FxHasher>;

/// Maps feature strings to dense ids, per alignment, with a scratch array
/// for summing an item's weights by id.
#[derive(Default)]
pub(crate) struct Interner {
    ids: HashMap<Box<str>, u32, FxBuild>,
    scratch: Vec<f64>,
}

impl Interner {
    fn id(&mut self, s: &str) -> u32 {
        if let Some(&id) = self.ids.get(s) {
            return id;
        }
        let id = u32::try_from(self.ids.len()).expect("fewer than 2^32 distinct tokens");
        self.ids.insert(s.into(), id);
        id
    }
}

/// A token multiset as sorted `(feature id, summed weight)` pairs.
#[derive(Debug, Clone, Default)]
pub(crate) struct Feats {
    pub v: Vec<(u32, f64)>,
    pub total: f64,
    /// Content words and CJK bigrams, counted with repetition: how much an
    /// item actually says, independent of weights.
    pub content: usize,
}

impl Feats {
    pub fn from_norm(norm: &str, interner: &mut Interner) -> Feats {
        let mut ids: Vec<u32> = Vec::new();
        let mut content = 0;
        let mut add = |interner: &mut Interner, key: &str, w: f64| {
            let id = interner.id(key);
            let k = id as usize;
            if k >= interner.scratch.len() {
                interner.scratch.resize(k + 1, 0.0);
            }
            if interner.scratch[k] == 0.0 {
                ids.push(id);
            }
            interner.scratch[k] += w;
        };
        for t in tokens(norm) {
            match t {
                Token::Word(w) if is_stopword(w) => add(interner, w, W_STOP),
                Token::Word(w) | Token::Cjk(w) => {
                    content += 1;
                    add(interner, w, W_WORD);
                }
                Token::Number(n) => {
                    add(interner, NUM_CLASS, W_NUM_CLASS);
                    add(interner, &n, W_NUM_VALUE);
                }
            }
        }
        ids.sort_unstable();
        let v: Vec<(u32, f64)> = ids
            .into_iter()
            .map(|id| {
                let w = std::mem::take(&mut interner.scratch[id as usize]);
                (id, w)
            })
            .collect();
        let total = v.iter().map(|&(_, w)| w).sum();
        Feats { v, total, content }
    }

    pub fn is_empty(&self) -> bool {
        self.v.is_empty()
    }

    /// Σ min(a(f), b(f)): the weight the two multisets share.
    pub fn overlap(&self, other: &Feats) -> f64 {
        let (mut i, mut j, mut sum) = (0, 0, 0.0);
        while i < self.v.len() && j < other.v.len() {
            let (a, b) = (self.v[i], other.v[j]);
            match a.0.cmp(&b.0) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    sum += a.1.min(b.1);
                    i += 1;
                    j += 1;
                }
            }
        }
        sum
    }

    /// Weighted Dice coefficient, in [0, 1].
    pub fn dice(&self, other: &Feats) -> f64 {
        let denom = self.total + other.total;
        if denom <= 0.0 {
            return 0.0;
        }
        (2.0 * self.overlap(other) / denom).clamp(0.0, 1.0)
    }

    /// The multiset sum `self + other`.
    pub fn plus(&self, other: &Feats) -> Feats {
        let mut v = Vec::with_capacity(self.v.len() + other.v.len());
        let (mut i, mut j) = (0, 0);
        while i < self.v.len() || j < other.v.len() {
            match (self.v.get(i), other.v.get(j)) {
                (Some(&a), Some(&b)) if a.0 == b.0 => {
                    v.push((a.0, a.1 + b.1));
                    i += 1;
                    j += 1;
                }
                (Some(&a), Some(&b)) if a.0 < b.0 => {
                    v.push(a);
                    i += 1;
                }
                (Some(&a), None) => {
                    v.push(a);
                    i += 1;
                }
                (_, Some(&b)) => {
                    v.push(b);
                    j += 1;
                }
                (None, None) => break,
            }
        }
        Feats {
            v,
            total: self.total + other.total,
            content: self.content + other.content,
        }
    }

    /// The multiset difference `self − other` (weights clipped at zero).
    pub fn minus(&self, other: &Feats) -> Feats {
        let mut v = Vec::with_capacity(self.v.len());
        let mut j = 0;
        for &(id, w) in &self.v {
            while j < other.v.len() && other.v[j].0 < id {
                j += 1;
            }
            let rest = if j < other.v.len() && other.v[j].0 == id {
                w - other.v[j].1
            } else {
                w
            };
            // Below this a weight is rounding noise from the subtraction.
            if rest > 1e-9 {
                v.push((id, rest));
            }
        }
        let total = v.iter().map(|&(_, w)| w).sum();
        Feats {
            v,
            total,
            content: 0,
        }
    }
}

/// The similarity of two texts that `AlignConfig::threshold` applies to: the
/// weighted Dice coefficient of their token multisets after normalisation,
/// in [0, 1] (see the `align` module doc for the weights). Two texts with no
/// tokens at all score 1 when their normalised forms are equal, else 0.
pub fn similarity(a: &str, b: &str) -> f64 {
    let (na, nb) = (normalize(a), normalize(b));
    let mut interner = Interner::default();
    let (fa, fb) = (
        Feats::from_norm(&na, &mut interner),
        Feats::from_norm(&nb, &mut interner),
    );
    if fa.is_empty() && fb.is_empty() {
        return if na == nb { 1.0 } else { 0.0 };
    }
    fa.dice(&fb)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identical_and_disjoint() {
        assert_eq!(similarity("The cat sat.", "the  CAT sat"), 1.0);
        assert_eq!(similarity("alpha beta", "gamma delta"), 0.0);
        assert_eq!(similarity("", ""), 1.0);
        assert_eq!(similarity("•", "—"), 0.0);
    }

    #[test]
    fn table_row_with_all_figures_changed_stays_similar() {
        let s = similarity(
            "Pension benefits 1,178 1,146 1,020",
            "Pension benefits 1,300 1,250 1,199",
        );
        // 2·(2 + 3·0.2) / (2·(2 + 3·0.3)) = 5.2 / 5.8
        assert!((s - 5.2 / 5.8).abs() < 1e-9, "{s}");
        assert!(s >= 0.6);
    }

    #[test]
    fn near_twin_scores_below_one() {
        let s = similarity(
            "Cameras at 967 mosque entrances in Moyu County.",
            "Cameras at 968 mosque entrances in Moyu County.",
        );
        assert!(s > 0.9 && s < 1.0, "{s}");
    }

    #[test]
    fn cjk_uses_bigrams() {
        let s = similarity("皮山社会面防控体系PPP项目", "皮山县社会面防控体系PPP项目");
        assert!(s > 0.8, "{s}");
        assert!(similarity("皮山社会面防控体系", "墨玉县公安局采购") < 0.1);
    }

    #[test]
    fn function_words_weigh_little() {
        let s = similarity(
            "The results of the operations of the company are in the report.",
            "The weather in the mountains of the north is on the news.",
        );
        assert!(s < 0.35, "{s}");
    }
}
