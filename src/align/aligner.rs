//! Item alignment between two versions: exact sequence diff, exact matching
//! of reordered items, one-to-one similarity matching with a candidate
//! prefilter, and containment of merged or expanded paragraphs. The phases
//! and statuses are defined in the `align` module doc.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::LazyLock;

use regex::Regex;
use similar::{Algorithm, DiffOp, capture_diff_slices};

use super::furniture::is_year;
use super::items::{Item, ItemKind};
use super::normalize::{Token, is_stopword, mask_volatile, normalize, tokens, unmarked_tokens};
use super::similarity::{Feats, Interner};

/// How two versions are aligned.
#[derive(Debug, Clone)]
pub struct AlignConfig {
    /// Minimum [`similarity`](super::similarity) for an unmatched old item
    /// and an unmatched new item to be the same item, reworded ("Changed").
    pub threshold: f64,
    /// Tokens that change between versions without changing what an item
    /// says, such as the fiscal year. Applied to the normalised (lowercased)
    /// text; every match is replaced by `#`, which is not a token.
    pub volatile: Vec<Regex>,
}

impl Default for AlignConfig {
    fn default() -> Self {
        AlignConfig {
            threshold: 0.6,
            volatile: Vec::new(),
        }
    }
}

impl AlignConfig {
    /// Adds the given years (e.g. the two fiscal years compared) as volatile
    /// tokens, so a sentence whose only change is a year bump is "Kept".
    pub fn with_years(mut self, years: &[i32]) -> Self {
        if !years.is_empty() {
            let alts: Vec<String> = years.iter().map(i32::to_string).collect();
            let re = Regex::new(&format!(r"\b(?:{})\b", alts.join("|")))
                .expect("a year alternation is a valid regex");
            self.volatile.push(re);
        }
        self
    }
}

/// What became of an item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Status {
    /// The same normalised text, in the same section.
    Kept,
    /// The same normalised text, in another section.
    Moved,
    /// Reworded (similarity ≥ threshold), contained in a merged or
    /// expanded item of the new version, or (a table row) restated in one;
    /// any section.
    Changed,
    /// An old item with no counterpart anywhere in the new version.
    Dropped,
    /// A new item with no counterpart in the old version.
    Added,
}

impl Status {
    /// The word every output uses: `kept`, `moved`, `changed`, `dropped`,
    /// `added`.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Kept => "kept",
            Status::Moved => "moved",
            Status::Changed => "changed",
            Status::Dropped => "dropped",
            Status::Added => "added",
        }
    }
}

/// Why an entry's two sides were paired.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Basis {
    /// Equal normalised text (volatile tokens masked).
    Identical,
    /// Similarity at or above the threshold, matched one to one.
    Similar,
    /// Similar (≥ threshold) to what one new item says beyond its own
    /// counterpart (a merged paragraph), or to what two new items say
    /// together (a split paragraph). Several old items may share one new
    /// item.
    Contained,
    /// The old item's words, every figure and every capitalised name stand
    /// in one new item that says more (a table row restated in a sentence,
    /// a fact the old version gave twice and the new once). Several old
    /// items may share that new item.
    Restated,
    /// Not paired (Dropped, Added).
    Unpaired,
}

/// One line of an alignment.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub status: Status,
    /// Index into the old items (None for Added).
    pub old: Option<usize>,
    /// Index into the new items (None for Dropped).
    pub new: Option<usize>,
    /// Kept/Moved: 1. Changed: the similarity of the pair. Dropped: the
    /// score of `best` (0 if none). Added: 0.
    pub score: f64,
    /// For Dropped: the most similar new item and its similarity, whether or
    /// not that item is the counterpart of another old item (a near-twin
    /// shows up here). None when no new item shares a word.
    pub best: Option<(usize, f64)>,
    pub basis: Basis,
}

/// The alignment of two versions.
///
/// Order: one entry per old item in old order (but for a column heading,
/// [`ItemKind::ColumnHeading`], paired with nothing whose table is gone
/// too, and unpaired layout furniture (see `furniture.rs`): they have no
/// entry, being neither dropped nor added disclosures);
/// each Added item follows the
/// entry of the old item paired with the nearest preceding paired new item
/// (Added items before any paired new item come first), Added items with
/// the same anchor in new order. So a reader walks the old document and sees
/// insertions where they appear in the new one.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Alignment {
    pub entries: Vec<Entry>,
}

impl Alignment {
    pub fn dropped(&self) -> impl Iterator<Item = &Entry> {
        self.entries.iter().filter(|e| e.status == Status::Dropped)
    }

    pub fn count(&self, status: Status) -> usize {
        self.entries.iter().filter(|e| e.status == status).count()
    }
}

/// Share of the smaller side that the larger must hold for an expanded or
/// cut-down paragraph.
const CONTAIN_COVER: f64 = 0.8;
/// The smaller side of an expanded or cut-down paragraph must weigh at least
/// this much (about six content words).
const CONTAIN_MIN_WEIGHT: f64 = 6.0;
/// The larger side may weigh at most this many times the smaller.
const CONTAIN_MAX_RATIO: f64 = 4.0;
/// Each of the two new items a split item is found in must explain at least
/// this share of its weight.
const CONTAIN_PIECE_MIN: f64 = 0.25;
/// An old item needs at least this many content words to be matched by
/// containment: a short row or bullet would find its few words in the
/// leftovers of unrelated rows.
const CONTAIN_MIN_WORDS: usize = 5;
/// A similarity this close to 1 means the same tokens (punctuation,
/// dashes or the split into items differ): the text is still there.
const SAME_TOKENS: f64 = 1.0 - 1e-9;
/// Phase 3 ranks a candidate pair inside one hunk of the phase-1 diff as
/// if its similarity were this much higher.
const HUNK_BONUS: f64 = 0.1;
/// Phase 3 ranks a pair of labelled entries this much higher when their
/// labels match, this much lower when they do not.
const LABEL_BONUS: f64 = 0.1;
/// How many of an item's rarest features are used to look for its best
/// near-match when it is dropped.
const BEST_PROBE_FEATURES: usize = 12;

/// Where an unpaired item sits in the phase-1 diff: which unequal stretch,
/// and its relative position in that stretch.
#[derive(Clone, Copy, Default)]
struct Hunk {
    id: usize,
    pos: f64,
}

#[derive(Clone, Copy)]
struct Pair {
    new: usize,
    score: f64,
    basis: Basis,
}

/// Aligns the items of an old and a new version (see the module doc).
pub fn align(old: &[Item], new: &[Item], cfg: &AlignConfig) -> Alignment {
    let okeys: Vec<Cow<'_, str>> = old
        .iter()
        .map(|i| mask_volatile(&i.norm, &cfg.volatile))
        .collect();
    let nkeys: Vec<Cow<'_, str>> = new
        .iter()
        .map(|i| mask_volatile(&i.norm, &cfg.volatile))
        .collect();
    let osec = section_keys(old, cfg);
    let nsec = section_keys(new, cfg);

    let mut o2n: Vec<Option<Pair>> = vec![None; old.len()];
    let mut n_used = vec![false; new.len()];

    // Phase 1: the sequence diff on normalised text. Each unequal stretch
    // is a hunk; phase 3 prefers pairs within one hunk.
    let oref: Vec<&str> = okeys.iter().map(|k| k.as_ref()).collect();
    let nref: Vec<&str> = nkeys.iter().map(|k| k.as_ref()).collect();
    // The diff runs on 64-bit hashes (cheap to compare); an Equal run is
    // checked against the text, so a collision can only lose a pair to the
    // later phases, never make a false one.
    let ohash: Vec<u64> = oref.iter().map(|k| hash_key(k)).collect();
    let nhash: Vec<u64> = nref.iter().map(|k| hash_key(k)).collect();
    let mut ohunk = vec![Hunk::default(); old.len()];
    let mut nhunk = vec![Hunk::default(); new.len()];
    for (h, op) in capture_diff_slices(Algorithm::Histogram, &ohash, &nhash)
        .into_iter()
        .enumerate()
    {
        if let DiffOp::Equal {
            old_index,
            new_index,
            len,
        } = op
        {
            for k in 0..len {
                if oref[old_index + k] != nref[new_index + k] {
                    continue;
                }
                o2n[old_index + k] = Some(Pair {
                    new: new_index + k,
                    score: 1.0,
                    basis: Basis::Identical,
                });
                n_used[new_index + k] = true;
            }
            continue;
        }
        let (or, nr) = (op.old_range(), op.new_range());
        for i in or.clone() {
            ohunk[i] = Hunk {
                id: h,
                pos: (i - or.start) as f64 / or.len().max(1) as f64,
            };
        }
        for j in nr.clone() {
            nhunk[j] = Hunk {
                id: h,
                pos: (j - nr.start) as f64 / nr.len().max(1) as f64,
            };
        }
    }

    // Phase 2: identical text elsewhere (reordered or moved).
    let mut free_new: HashMap<&str, VecDeque<usize>> = HashMap::new();
    for (j, k) in nref.iter().enumerate() {
        if !n_used[j] {
            free_new.entry(k).or_default().push_back(j);
        }
    }
    for (i, k) in oref.iter().enumerate() {
        if o2n[i].is_none()
            && let Some(j) = free_new.get_mut(k).and_then(VecDeque::pop_front)
        {
            o2n[i] = Some(Pair {
                new: j,
                score: 1.0,
                basis: Basis::Identical,
            });
            n_used[j] = true;
        }
    }

    // Phase 3: one-to-one similarity matching, best pairs first.
    let mut interner = Interner::default();
    let ofeats: Vec<Feats> = okeys
        .iter()
        .map(|k| Feats::from_norm(k, &mut interner))
        .collect();
    let nfeats: Vec<Feats> = nkeys
        .iter()
        .map(|k| Feats::from_norm(k, &mut interner))
        .collect();
    let nfeat_ids = interner_len(&ofeats, &nfeats);
    let free_new_ids: Vec<usize> = (0..new.len()).filter(|&j| !n_used[j]).collect();
    let postings = build_postings(nfeat_ids, free_new_ids.iter().map(|&j| (j, &nfeats[j])));
    // Shared weight per new item over the prefix features of one old item.
    let mut acc = vec![0.0f64; new.len()];
    let mut touched: Vec<usize> = Vec::new();
    let mut cands: Vec<(f64, usize, usize)> = Vec::new();
    let t = cfg.threshold;
    let df_cap = df_cap(free_new_ids.len());
    // Rows' label words and figures, computed on first need.
    let mut oparts: Vec<Option<RowShape>> = vec![None; old.len()];
    let mut nparts: Vec<Option<RowShape>> = vec![None; new.len()];
    for i in (0..old.len()).filter(|&i| o2n[i].is_none()) {
        let fa = &ofeats[i];
        // For Dice ≥ t the shared weight I must reach t·|a|/(2−t) (because
        // I ≤ |b|); a candidate that shares none of the features in the
        // rarest-first prefix can share at most the weight left outside it.
        let need = t * fa.total / (2.0 - t);
        let (pre, left) = prefix(fa, &postings, need, df_cap);
        for (f, wa) in pre {
            for &(j, wb) in &postings[f as usize] {
                let j = j as usize;
                if acc[j] == 0.0 {
                    touched.push(j);
                }
                acc[j] += wa.min(wb);
            }
        }
        for &j in &touched {
            // Upper bound: everything outside the prefix shared too.
            let bound = 2.0 * (acc[j] + left) / (fa.total + nfeats[j].total);
            if bound >= t {
                let s = fa.dice(&nfeats[j]);
                if s >= t
                    && s > 0.0
                    && !other_model(&okeys[i], &nkeys[j])
                    && !(old[i].kind == ItemKind::TableRow
                        && bare_label_for_row(
                            oparts[i].get_or_insert_with(|| row_shape(&okeys[i])),
                            &nkeys[j],
                        ))
                    && !(old[i].kind == ItemKind::TableRow
                        && new[j].kind == ItemKind::TableRow
                        && other_row(
                            oparts[i].get_or_insert_with(|| row_shape(&okeys[i])),
                            nparts[j].get_or_insert_with(|| row_shape(&nkeys[j])),
                            ohunk[i].id == nhunk[j].id,
                        ))
                {
                    cands.push((s, i, j));
                }
            }
            acc[j] = 0.0;
        }
        touched.clear();
    }
    let (on, nn) = (old.len().max(1) as f64, new.len().max(1) as f64);
    // Best score first; among equal scores, locality (see the module doc).
    let locality = |&(_, i, j): &(f64, usize, usize)| {
        if ohunk[i].id == nhunk[j].id {
            (false, (ohunk[i].pos - nhunk[j].pos).abs())
        } else {
            (true, (i as f64 / on - j as f64 / nn).abs())
        }
    };
    // A pair inside one hunk ranks as if its score were HUNK_BONUS higher;
    // two labelled entries (`787 Program …`, `Apprenticeships – …`) rank
    // LABEL_BONUS higher when their labels match and lower when they do
    // not (the same template under another label is another entry).
    let olabel: Vec<Option<Vec<String>>> = (0..old.len())
        .map(|i| o2n[i].is_none().then(|| label_words(&old[i])).flatten())
        .collect();
    let nlabel: Vec<Option<Vec<String>>> = (0..new.len())
        .map(|j| (!n_used[j]).then(|| label_words(&new[j])).flatten())
        .collect();
    let ranked = |&(s, i, j): &(f64, usize, usize)| {
        let hunk = if ohunk[i].id == nhunk[j].id {
            HUNK_BONUS
        } else {
            0.0
        };
        let label = match (&olabel[i], &nlabel[j]) {
            (Some(a), Some(b)) if labels_match(a, b) => LABEL_BONUS,
            (Some(_), Some(_)) => -LABEL_BONUS,
            _ => 0.0,
        };
        s + hunk + label
    };
    cands.sort_by(|a, b| {
        let (la, lb) = (locality(a), locality(b));
        ranked(b)
            .total_cmp(&ranked(a))
            .then(la.0.cmp(&lb.0))
            .then_with(|| la.1.total_cmp(&lb.1))
            .then_with(|| (a.1, a.2).cmp(&(b.1, b.2)))
    });
    for (s, i, j) in cands {
        if o2n[i].is_none() && !n_used[j] {
            o2n[i] = Some(Pair {
                new: j,
                score: s,
                basis: Basis::Similar,
            });
            n_used[j] = true;
        }
    }

    let ndf = doc_freq(&nfeats);
    let sides = Sides {
        old,
        new,
        okeys: &okeys,
        nkeys: &nkeys,
        ofeats: &ofeats,
        nfeats: &nfeats,
        ndf: &ndf,
    };

    // Phase 3b: an entry of a labelled list, found by its label.
    labelled_entries(&sides, (&olabel, &nlabel), &mut o2n, &mut n_used);

    // Phase 3c: the same slot between paired neighbours, rewritten. Before
    // containment and sentences: those look anywhere in the new version,
    // and a rewrite in its own slot must not lose its successor to a
    // driver of another list that happens to share its words.
    same_slot(&sides, &mut o2n, &mut n_used);

    // Phase 4: containment in what new items say beyond their counterparts.
    contain(&ofeats, &nfeats, &mut o2n, &mut n_used, nfeat_ids, t);

    // Phase 4b: two consecutive old paragraphs merged into one new one.
    merged_neighbours(&sides, &mut o2n, &mut n_used, t);

    // Phase 5: a sentence that survives in another item.
    let sents = Sentences {
        old,
        new,
        cfg,
        ofeats: &ofeats,
        nfeats: &nfeats,
        ndf: &ndf,
    };
    sents.share(&mut o2n, &mut n_used, &mut interner, t);

    // Phase 6: a table row whose figures moved one column on.
    shifted_rows(&sides, &mut o2n);

    // Phase 6b: a paragraph cut down to its opening words, or rewritten
    // after the same opening in the same place.
    let opening = Openings {
        sides,
        ohunk: &ohunk,
        nhunk: &nhunk,
    };
    opening.pair(&ofeats, &nfeats, &mut o2n, &mut n_used);

    // Phase 6d: a table printed transposed.
    transposed_tables(&sides, &mut o2n);

    // Phase 6e: the one-sentence heading of a body that survived, reworded.
    renamed_leads(&sides, &mut o2n);
    // ... and a list's lead-in rewritten, its list kept.
    // (Phases 6 to 6e may share a new item without marking it used.)
    let partner: Vec<Option<usize>> = o2n.iter().map(|p| p.map(|p| p.new)).collect();
    for &j in partner.iter().flatten() {
        n_used[j] = true;
    }
    for (i, j) in super::slots::list_leads(old, new, &partner, &n_used) {
        pair_contained(&sides, &mut o2n, &mut n_used, i, j);
    }

    // Phase 7: further copies of a text the new version still holds, and
    // further copies of an old text whose first copy has a counterpart.
    let mut first_copy: HashMap<&str, usize> = HashMap::new();
    for (j, k) in nref.iter().enumerate().rev() {
        first_copy.insert(k, j);
    }
    let mut old_paired: HashMap<&str, Pair> = HashMap::new();
    // The same by copy key, a footnote mark spaced after the label left
    // out (`Solar energy systems, net (2) $ 5,229 $ 5,489`, see
    // `slots::spaced_mark_key`), with whether the paired copy had such a
    // mark: when one of the two has, the fact was given twice (Restated).
    let spaced = |k: &str| match super::slots::spaced_mark_key(k) {
        Some(u) => (u, true),
        None => (unmarked_tokens(k), false),
    };
    let mut old_paired_unmarked: HashMap<String, (Pair, bool)> = HashMap::new();
    // Copy keys are costly: only a paired item opening with the same token
    // as an unpaired one can share its key (marks never come first).
    let wanted: HashSet<String> = oref
        .iter()
        .enumerate()
        .filter(|&(i, _)| o2n[i].is_none())
        .filter_map(|(_, k)| first_token(k))
        .collect();
    for (i, k) in oref.iter().enumerate() {
        if let Some(p) = o2n[i] {
            old_paired.entry(k).or_insert(p);
            if first_token(k).is_some_and(|t| wanted.contains(&t)) {
                let (u, marked) = spaced(k);
                old_paired_unmarked.entry(u).or_insert((p, marked));
            }
        }
    }
    let marked_copy = |k: &str| {
        let (u, marked) = spaced(k);
        let found = old_paired_unmarked.get(&u);
        found.and_then(|&(p, m)| (marked || m).then_some(p))
    };
    for (i, k) in oref.iter().enumerate() {
        if o2n[i].is_some() {
            continue;
        }
        if let Some(&j) = first_copy.get(k) {
            o2n[i] = Some(Pair {
                new: j,
                score: 1.0,
                basis: Basis::Identical,
            });
        } else if let Some(&p) = old_paired.get(k) {
            o2n[i] = Some(p);
        } else if let Some(p) = marked_copy(k) {
            o2n[i] = Some(Pair {
                new: p.new,
                score: ofeats[i].dice(&nfeats[p.new]),
                basis: Basis::Restated,
            });
        }
    }

    // A new item with the same words and figures up to footnote marks
    // glued to a word (`NET INVESTMENT HEDGES` → `NET INVESTMENT
    // HEDGES(1)`) is the same item with a footnote added or removed.
    if o2n.iter().any(Option::is_none) {
        let mut unmarked: HashMap<String, usize> = HashMap::new();
        for (j, k) in nref.iter().enumerate().rev() {
            unmarked.insert(unmarked_tokens(k), j);
        }
        for (i, k) in oref.iter().enumerate() {
            if o2n[i].is_some() {
                continue;
            }
            let u = unmarked_tokens(k);
            if !u.is_empty()
                && let Some(&j) = unmarked.get(&u)
            {
                o2n[i] = Some(Pair {
                    new: j,
                    score: ofeats[i].dice(&nfeats[j]),
                    basis: Basis::Similar,
                });
            }
        }
    }

    // Phase 7a: the value row of a kept key (an exhibit's citation).
    let partner: Vec<Option<usize>> = o2n.iter().map(|p| p.map(|p| p.new)).collect();
    for (i, j) in super::slots::value_rows(old, new, &partner) {
        let (score, basis) = (ofeats[i].dice(&nfeats[j]), Basis::Similar);
        o2n[i] = Some(Pair {
            new: j,
            score,
            basis,
        });
    }

    // Phase 7c: two table rows folded into one. After the copies: the
    // merged row is no counterpart for a copy of either old row (the same
    // row of a table that rolled off).
    let old_paired: Vec<bool> = o2n.iter().map(Option::is_some).collect();
    for (i, j) in super::rows::merged_rows(old, new, &old_paired, &n_used) {
        pair_contained(&sides, &mut o2n, &mut n_used, i, j);
    }

    let all_postings = build_postings(nfeat_ids, nfeats.iter().enumerate());

    // Phase 7b: a paragraph merged into a nearby paragraph's counterpart.
    joined_partner(&sides, &mut o2n, t);

    // Phase 8: a fact restated inside another new item.
    restated(&sides, &mut o2n, &all_postings, &mut acc, t);

    // Phase 8b: the rest of a passage condensed into one new item.
    condensed(&sides, &mut o2n, t);

    // Dropped items: best near-match anywhere in the new version. A new
    // item with the same tokens (only punctuation or layout differs) is a
    // copy too.
    let mut best: Vec<Option<(usize, f64)>> = vec![None; old.len()];
    for i in 0..old.len() {
        if o2n[i].is_some() {
            continue;
        }
        best[i] = best_match(&ofeats[i], &nfeats, &all_postings, &mut acc);
        if let Some((j, s)) = best[i]
            && s >= SAME_TOKENS
        {
            o2n[i] = Some(Pair {
                new: j,
                score: s,
                basis: Basis::Similar,
            });
        }
    }

    let mut al = build_entries(&o2n, &best, &osec, &nsec, new.len());
    let mut added = vec![true; new.len()];
    for p in o2n.iter().flatten() {
        added[p.new] = false;
    }
    // A row whose facts a sentence now states left its table as well.
    let left_table: Vec<bool> = o2n
        .iter()
        .enumerate()
        .map(|(i, p)| {
            p.is_none_or(|p| {
                p.basis == Basis::Restated
                    && old[i].kind == ItemKind::TableRow
                    && new[p.new].kind != ItemKind::TableRow
            })
        })
        .collect();
    let (gone_old, gone_new) = (table_gone(old, &left_table), table_gone(new, &added));
    // Layout furniture (a relabelled heading row, a second lead-in, a word
    // of a broken heading, …) is no dropped disclosure either.
    let partner: Vec<Option<usize>> = o2n.iter().map(|p| p.map(|p| p.new)).collect();
    let furniture = super::furniture::furniture(old, new, &partner, &gone_old);
    al.entries.retain(|e| match (e.status, e.old, e.new) {
        (Status::Dropped, Some(i), _) => !gone_old[i] && !furniture[i],
        (Status::Added, _, Some(j)) => !gone_new[j],
        _ => true,
    });
    al
}

/// The first token of a normalised text, as [`tokens`] gives it, read
/// from its first 64 bytes when the token ends within them.
fn first_token(norm: &str) -> Option<String> {
    let mut end = norm.len().min(64);
    while !norm.is_char_boundary(end) {
        end -= 1;
    }
    let head = tokens(&norm[..end]);
    let whole = if head.len() >= 2 || end == norm.len() {
        head
    } else {
        tokens(norm)
    };
    whole.into_iter().next().map(|t| match t {
        Token::Number(n) => n.into_owned(),
        Token::Word(w) | Token::Cjk(w) => w.to_string(),
    })
}

/// For each item, whether it is a column heading whose table is gone with
/// it: the first item below it that is not a column heading, in its
/// section, is unpaired too (or there is none). Such a heading is not a
/// disclosure, and the table's rows are reported anyway, so it gets no
/// entry. A column heading whose table stays is reported like any item:
/// the table's columns changed.
fn table_gone(items: &[Item], unpaired: &[bool]) -> Vec<bool> {
    let mut out = vec![false; items.len()];
    let mut below: Option<usize> = None;
    for i in (0..items.len()).rev() {
        if items[i].kind != ItemKind::ColumnHeading {
            below = Some(i);
            continue;
        }
        out[i] = unpaired[i]
            && below.is_none_or(|n| items[n].section != items[i].section || unpaired[n]);
    }
    out
}

fn hash_key(s: &str) -> u64 {
    use std::hash::{BuildHasher, BuildHasherDefault};
    // DefaultHasher::default() has fixed keys: deterministic across runs.
    BuildHasherDefault::<std::collections::hash_map::DefaultHasher>::default().hash_one(s)
}

fn section_keys(items: &[Item], cfg: &AlignConfig) -> Vec<String> {
    let mut cache: HashMap<&str, String> = HashMap::new();
    items
        .iter()
        .map(|it| {
            cache
                .entry(&it.section)
                .or_insert_with(|| {
                    mask_volatile(&normalize(&it.section), &cfg.volatile).into_owned()
                })
                .clone()
        })
        .collect()
}

fn interner_len(a: &[Feats], b: &[Feats]) -> usize {
    a.iter()
        .chain(b)
        .filter_map(|f| f.v.last().map(|&(id, _)| id as usize + 1))
        .max()
        .unwrap_or(0)
}

/// The posting-list length above which a feature is not scanned: one item
/// in four (but at least 256), which only "a number" and the commonest
/// function words reach.
fn df_cap(n: usize) -> usize {
    (n / 4).max(256)
}

/// Per feature id, the items holding it with the feature's weight there.
type Postings = Vec<Vec<(u32, f64)>>;

fn build_postings<'a>(n: usize, items: impl Iterator<Item = (usize, &'a Feats)>) -> Postings {
    let mut postings: Postings = vec![Vec::new(); n];
    for (j, f) in items {
        let j = u32::try_from(j).expect("fewer than 2^32 items");
        for &(id, w) in &f.v {
            postings[id as usize].push((j, w));
        }
    }
    postings
}

/// The rarest-first features of `fa` (by posting-list length, absent ones
/// skipped), with their weights, until the weight left outside the prefix
/// is below `need` or the next feature is held by more than `df_cap`
/// items; and the weight left outside.
fn prefix(fa: &Feats, postings: &Postings, need: f64, df_cap: usize) -> (Vec<(u32, f64)>, f64) {
    let mut feats: Vec<(usize, u32, f64)> =
        fa.v.iter()
            .filter(|&&(id, _)| !postings[id as usize].is_empty())
            .map(|&(id, w)| (postings[id as usize].len(), id, w))
            .collect();
    feats.sort_unstable_by_key(|&(df, id, _)| (df, id));
    let mut left: f64 = feats.iter().map(|&(_, _, w)| w).sum();
    let mut out = Vec::new();
    for (df, id, w) in feats {
        // Features held by very many items (function words, "a number")
        // would make the index scan quadratic; they stay in `left`.
        if left < need || df > df_cap {
            break;
        }
        out.push((id, w));
        left -= w;
    }
    (out, left.max(0.0))
}

/// The most similar new item to `fa`: new items are ranked by the weight
/// they share with its `BEST_PROBE_FEATURES` rarest features, and the top
/// `BEST_PROBE_FEATURES` of them scored exactly.
fn best_match(
    fa: &Feats,
    nfeats: &[Feats],
    postings: &Postings,
    acc: &mut [f64],
) -> Option<(usize, f64)> {
    let mut best: Option<(usize, f64)> = None;
    for (_, j) in probe(fa, postings, acc)
        .into_iter()
        .take(BEST_PROBE_FEATURES)
    {
        let s = fa.dice(&nfeats[j]);
        if s > 0.0 && best.is_none_or(|(bj, bs)| s > bs || (s == bs && j < bj)) {
            best = Some((j, s));
        }
    }
    best
}

/// The items of `postings` holding any of an item's `BEST_PROBE_FEATURES`
/// rarest features, ranked by the weight they share of those (most first,
/// then by index). `acc` is all zeros before and after.
fn probe(fa: &Feats, postings: &Postings, acc: &mut [f64]) -> Vec<(f64, usize)> {
    let mut feats: Vec<(usize, u32, f64)> =
        fa.v.iter()
            .filter(|&&(id, _)| !postings[id as usize].is_empty())
            .map(|&(id, w)| (postings[id as usize].len(), id, w))
            .collect();
    feats.sort_unstable_by_key(|&(df, id, _)| (df, id));
    let mut touched: Vec<usize> = Vec::new();
    for &(_, id, wa) in feats.iter().take(BEST_PROBE_FEATURES) {
        for &(j, wb) in &postings[id as usize] {
            let j = j as usize;
            if acc[j] == 0.0 {
                touched.push(j);
            }
            acc[j] += wa.min(wb);
        }
    }
    let mut ranked: Vec<(f64, usize)> = touched.iter().map(|&j| (acc[j], j)).collect();
    for &j in &touched {
        acc[j] = 0.0;
    }
    ranked.sort_unstable_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    ranked
}

/// Phase 4. The residual of a new item is what it says beyond its
/// counterpart (all of it for an unpaired item). An unpaired old item with
/// at least `CONTAIN_MIN_WORDS` content words is paired with the residual
/// that shares most with it when their similarity reaches the threshold
/// (a paragraph merged into another) or one holds the other
/// ([`one_holds_other`]: expanded or cut down), else with the sum of that residual
/// and the one sharing most with the rest of the item, each explaining at
/// least `CONTAIN_PIECE_MIN` of it (a paragraph split in two). The residuals
/// used are consumed, so content is claimed once. Items are served in order
/// of their best single-residual similarity.
fn contain(
    ofeats: &[Feats],
    nfeats: &[Feats],
    o2n: &mut [Option<Pair>],
    n_used: &mut [bool],
    nfeat_ids: usize,
    t: f64,
) {
    let mut residual: Vec<Option<Feats>> = vec![None; nfeats.len()];
    for (j, f) in nfeats.iter().enumerate() {
        if !n_used[j] && !f.is_empty() {
            residual[j] = Some(f.clone());
        }
    }
    for (i, p) in o2n.iter().enumerate() {
        if let Some(p) = p
            && p.basis == Basis::Similar
        {
            let r = nfeats[p.new].minus(&ofeats[i]);
            if !r.is_empty() {
                residual[p.new] = Some(r);
            }
        }
    }
    let postings = build_postings(
        nfeat_ids,
        residual
            .iter()
            .enumerate()
            .filter_map(|(j, r)| r.as_ref().map(|r| (j, r))),
    );
    let n_residual = residual.iter().filter(|r| r.is_some()).count();
    // Residuals that can share at least CONTAIN_PIECE_MIN of `fa`: shared
    // weight over the rarest-first prefix, plus all that is left outside it.
    let mut acc: HashMap<usize, f64> = HashMap::new();
    let mut candidates = |fa: &Feats| -> Vec<usize> {
        let need = CONTAIN_PIECE_MIN * fa.total;
        let (pre, left) = prefix(fa, &postings, need, df_cap(n_residual));
        acc.clear();
        for (f, wa) in pre {
            for &(j, wb) in &postings[f as usize] {
                *acc.entry(j as usize).or_default() += wa.min(wb);
            }
        }
        let mut out: Vec<usize> = acc
            .iter()
            .filter(|&(_, &a)| a + left >= need)
            .map(|(&j, _)| j)
            .collect();
        out.sort_unstable();
        out
    };
    // The candidate residual sharing the most weight with `fa`.
    let most_shared =
        |fa: &Feats, cands: &[usize], residual: &[Option<Feats>], skip: Option<usize>| {
            let mut best: Option<(usize, f64)> = None;
            for &j in cands {
                if Some(j) == skip {
                    continue;
                }
                if let Some(r) = &residual[j] {
                    let o = fa.overlap(r);
                    if o > 0.0 && best.is_none_or(|(_, bo)| o > bo) {
                        best = Some((j, o));
                    }
                }
            }
            best
        };
    let mut order: Vec<(f64, usize, Vec<usize>)> = (0..ofeats.len())
        .filter(|&i| o2n[i].is_none() && ofeats[i].content >= CONTAIN_MIN_WORDS)
        .filter_map(|i| {
            let fa = &ofeats[i];
            let c = candidates(fa);
            let (j, _) = most_shared(fa, &c, &residual, None)?;
            let r = residual[j].as_ref()?;
            Some((fa.dice(r), i, c))
        })
        .collect();
    order.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    for (_, i, cands) in order {
        let fa = &ofeats[i];
        let Some((j1, o1)) = most_shared(fa, &cands, &residual, None) else {
            continue;
        };
        let r1 = residual[j1].clone().expect("candidate has a residual");
        let mut second = None;
        if !one_holds_other(fa, &r1, o1) && fa.dice(&r1) < t {
            if o1 < CONTAIN_PIECE_MIN * fa.total {
                continue;
            }
            let rest = fa.minus(&r1);
            match most_shared(&rest, &cands, &residual, Some(j1)) {
                Some((j2, o2)) if o2 >= CONTAIN_PIECE_MIN * fa.total => {
                    let r2 = residual[j2].as_ref().expect("candidate has a residual");
                    if fa.dice(&r1.plus(r2)) < t {
                        continue;
                    }
                    second = Some((j2, rest));
                }
                _ => continue,
            }
        }
        let left = r1.minus(fa);
        residual[j1] = (!left.is_empty()).then_some(left);
        if let Some((j2, rest)) = second {
            let r2 = residual[j2].take().expect("candidate has a residual");
            let left = r2.minus(&rest);
            residual[j2] = (!left.is_empty()).then_some(left);
            n_used[j2] = true;
        }
        o2n[i] = Some(Pair {
            new: j1,
            score: fa.dice(&nfeats[j1]),
            basis: Basis::Contained,
        });
        n_used[j1] = true;
    }
}

/// One side is mostly found in the other: a paragraph expanded or cut
/// down, rather than reworded. Both must say something (`CONTAIN_MIN_WEIGHT`)
/// and neither may be more than `CONTAIN_MAX_RATIO` times the other, so a
/// short item is not found in any long paragraph that happens to use its
/// words.
fn one_holds_other(a: &Feats, r: &Feats, overlap: f64) -> bool {
    let (small, large) = if a.total <= r.total {
        (a.total, r.total)
    } else {
        (r.total, a.total)
    };
    small >= CONTAIN_MIN_WEIGHT
        && large <= CONTAIN_MAX_RATIO * small
        && overlap >= CONTAIN_COVER * small
}

fn build_entries(
    o2n: &[Option<Pair>],
    best: &[Option<(usize, f64)>],
    osec: &[String],
    nsec: &[String],
    n_new: usize,
) -> Alignment {
    // For each new item, the first old item paired with it.
    let mut n2o: Vec<Option<usize>> = vec![None; n_new];
    for (i, p) in o2n.iter().enumerate() {
        if let Some(p) = p
            && n2o[p.new].is_none()
        {
            n2o[p.new] = Some(i);
        }
    }
    // Added items grouped by anchor: None = before everything.
    let mut added_after: HashMap<Option<usize>, Vec<usize>> = HashMap::new();
    let mut anchor = None;
    for (j, o) in n2o.iter().enumerate() {
        match o {
            Some(i) => anchor = Some(*i),
            None => added_after.entry(anchor).or_default().push(j),
        }
    }
    let added = |j: usize| Entry {
        status: Status::Added,
        old: None,
        new: Some(j),
        score: 0.0,
        best: None,
        basis: Basis::Unpaired,
    };
    let mut entries = Vec::with_capacity(o2n.len() + n_new);
    entries.extend(
        added_after
            .remove(&None)
            .unwrap_or_default()
            .into_iter()
            .map(added),
    );
    for (i, p) in o2n.iter().enumerate() {
        entries.push(match p {
            Some(p) => Entry {
                status: match p.basis {
                    Basis::Identical if osec[i] == nsec[p.new] => Status::Kept,
                    Basis::Identical => Status::Moved,
                    _ => Status::Changed,
                },
                old: Some(i),
                new: Some(p.new),
                score: p.score,
                best: None,
                basis: p.basis,
            },
            None => Entry {
                status: Status::Dropped,
                old: Some(i),
                new: None,
                score: best[i].map_or(0.0, |(_, s)| s),
                best: best[i],
                basis: Basis::Unpaired,
            },
        });
        if let Some(js) = added_after.remove(&Some(i)) {
            entries.extend(js.into_iter().map(added));
        }
    }
    Alignment { entries }
}

/// A sentence needs at least this many content words to count in phase 5:
/// a short one ("We expect to deliver these aircraft in 2025.") says too
/// little to tie two items together.
const SENT_MIN_WORDS: usize = 6;
/// A surviving sentence shares this many words with its new sentence that
/// at most one new item in a hundred uses.
const SENT_MIN_RARE: usize = 2;
/// The surviving sentences must hold at least this share of the old item's
/// weight, or of the whole of a new item that is otherwise unpaired.
const SENT_COVER: f64 = 0.5;
/// An old sentence whose every word and figure its new sentence holds, of
/// at least this many content words (a statement, not a stock phrase), is
/// found verbatim.
const SENT_VERBATIM_WORDS: usize = 6;
/// Sentences found nearly verbatim that hold this share of an old item keep
/// it, whatever else the new item says: the paragraph rewritten around a
/// sentence it still states.
const SENT_VERBATIM_COVER: f64 = 0.2;

/// Where an old item's sentences survive.
/// (new item, weight of the old sentences, weight of the new sentences,
/// weight of the old sentences found nearly verbatim).
type Survival = (usize, f64, f64, f64);

/// One sentence of an item, with its features.
struct Sent {
    item: usize,
    feats: Feats,
}

/// Phase 5: sentences. An old item left unpaired is Changed (basis
/// Contained) when sentences of it survive in the new version, each with
/// similarity ≥ threshold to a new sentence that no counterpart already
/// explains, and they hold at least `SENT_COVER` of its weight, or of the
/// weight of a new item that is otherwise unpaired (the yearly rewrite that
/// keeps the topic sentence, figures updated, and cuts or replaces the
/// rest). Sentences are matched one to one, best similarity first.
struct Sentences<'a> {
    old: &'a [Item],
    new: &'a [Item],
    cfg: &'a AlignConfig,
    ofeats: &'a [Feats],
    nfeats: &'a [Feats],
    /// How many new items hold each feature (see [`doc_freq`]).
    ndf: &'a HashMap<u32, usize>,
}

impl Sentences<'_> {
    fn split(&self, item: &Item, idx: usize, interner: &mut Interner, out: &mut Vec<Sent>) {
        if matches!(item.kind, ItemKind::TableRow | ItemKind::ColumnHeading) {
            return;
        }
        let text = item.display();
        let mut ranges = Vec::new();
        crate::corpus::units::sentences_in(text, 0..text.len(), &mut ranges);
        for r in ranges {
            let norm = normalize(&text[r]);
            let feats = Feats::from_norm(&mask_volatile(&norm, &self.cfg.volatile), interner);
            if feats.content >= SENT_MIN_WORDS {
                out.push(Sent { item: idx, feats });
            }
        }
    }

    fn share(
        &self,
        o2n: &mut [Option<Pair>],
        n_used: &mut [bool],
        interner: &mut Interner,
        t: f64,
    ) {
        // Sentences of new items not paired as identical, and of the old
        // items paired with them by similarity or containment.
        let mut counterparts: Vec<Vec<usize>> = vec![Vec::new(); self.new.len()];
        let mut identical = vec![false; self.new.len()];
        for (i, p) in o2n.iter().enumerate() {
            if let Some(p) = p {
                match p.basis {
                    Basis::Identical => identical[p.new] = true,
                    _ => counterparts[p.new].push(i),
                }
            }
        }
        let mut nsent: Vec<Sent> = Vec::new();
        for (j, it) in self.new.iter().enumerate() {
            if !identical[j] {
                self.split(it, j, interner, &mut nsent);
            }
        }
        let mut osent: Vec<Sent> = Vec::new();
        for (i, it) in self.old.iter().enumerate() {
            if o2n[i].is_none() && self.ofeats[i].content >= CONTAIN_MIN_WORDS {
                self.split(it, i, interner, &mut osent);
            }
        }
        if nsent.is_empty() || osent.is_empty() {
            return;
        }
        // A new sentence its own counterpart already says is consumed.
        let mut consumed = vec![false; nsent.len()];
        let mut cp_sents: Vec<Sent> = Vec::new();
        for (k, s) in nsent.iter().enumerate() {
            if counterparts[s.item].is_empty() {
                continue;
            }
            cp_sents.clear();
            for &i in &counterparts[s.item] {
                self.split(&self.old[i], i, interner, &mut cp_sents);
            }
            consumed[k] = cp_sents.iter().any(|c| c.feats.dice(&s.feats) >= t);
        }
        let n_ids = nsent
            .iter()
            .chain(&osent)
            .filter_map(|s| s.feats.v.last().map(|&(id, _)| id as usize + 1))
            .max()
            .unwrap_or(0);
        let free: Vec<usize> = (0..nsent.len()).filter(|&k| !consumed[k]).collect();
        let postings = build_postings(n_ids, free.iter().map(|&k| (k, &nsent[k].feats)));
        let cap = df_cap(free.len());
        let mut acc = vec![0.0f64; nsent.len()];
        let mut touched: Vec<usize> = Vec::new();
        let mut pairs: Vec<(f64, usize, usize)> = Vec::new();
        for (ko, s) in osent.iter().enumerate() {
            let need = t * s.feats.total / (2.0 - t);
            let (pre, left) = prefix(&s.feats, &postings, need, cap);
            for (f, wa) in pre {
                for &(k, wb) in &postings[f as usize] {
                    let k = k as usize;
                    if acc[k] == 0.0 {
                        touched.push(k);
                    }
                    acc[k] += wa.min(wb);
                }
            }
            for &k in &touched {
                let bound = 2.0 * (acc[k] + left) / (s.feats.total + nsent[k].feats.total);
                if bound >= t {
                    let d = s.feats.dice(&nsent[k].feats);
                    if d >= t {
                        pairs.push((d, ko, k));
                    }
                }
                acc[k] = 0.0;
            }
            touched.clear();
            // A sentence extended with a clause (`The Company's operating
            // segments reflect the structure of the Company's internal
            // organization.` → `The Company's reportable operating segments
            // reflect the structure of the Company's internal organization
            // and the financial information the CODM … reviews …`) holds
            // the whole statement yet falls short of the threshold: every
            // word and figure of a statement-sized old sentence found in a
            // new one is a candidate too, ranked after those that reach it.
            if s.feats.content >= SENT_VERBATIM_WORDS
                && let Some(rarest) = s
                    .feats
                    .v
                    .iter()
                    .map(|&(f, _)| &postings[f as usize])
                    .min_by_key(|p| p.len())
            {
                for &(k, _) in rarest {
                    let k = k as usize;
                    let n = &nsent[k].feats;
                    if s.feats.overlap(n) >= s.feats.total - 1e-9 {
                        let d = s.feats.dice(n);
                        if d < t {
                            pairs.push((d, ko, k));
                        }
                    }
                }
            }
        }
        // Two sentences of the same template (`… see Note 18 — Divestitures
        // within the accompanying Notes to the Consolidated Financial
        // Statements.` and `See Note 15 — Segment Information in the
        // accompanying Notes …`) share at most one word that few items use
        // (`see`): the same stock phrase, not the same statement.
        let rare = (self.new.len() / SLOT_RARE_PER).max(2);
        pairs.retain(|&(_, ko, kn)| {
            let mut n = 0;
            for_shared(&osent[ko].feats, &nsent[kn].feats, |id, _| {
                n += usize::from(self.ndf.get(&id).is_some_and(|&d| d <= rare));
            });
            n >= SENT_MIN_RARE
        });
        pairs.sort_by(|a, b| b.0.total_cmp(&a.0).then((a.1, a.2).cmp(&(b.1, b.2))));
        let mut o_taken = vec![false; osent.len()];
        // Per old item: (new item, weight of old sentences, weight of new
        // sentences) for each new item its sentences survive in.
        let mut found: HashMap<usize, Vec<Survival>> = HashMap::new();
        for (_, ko, kn) in pairs {
            if o_taken[ko] || consumed[kn] {
                continue;
            }
            o_taken[ko] = true;
            consumed[kn] = true;
            let (i, j) = (osent[ko].item, nsent[kn].item);
            let (so, sn) = (&osent[ko].feats, &nsent[kn].feats);
            let verbatim = if so.content >= SENT_VERBATIM_WORDS && so.overlap(sn) >= so.total - 1e-9
            {
                osent[ko].feats.total
            } else {
                0.0
            };
            let v = found.entry(i).or_default();
            match v.iter_mut().find(|e| e.0 == j) {
                Some(e) => {
                    e.1 += osent[ko].feats.total;
                    e.2 += nsent[kn].feats.total;
                    e.3 += verbatim;
                }
                None => v.push((j, osent[ko].feats.total, nsent[kn].feats.total, verbatim)),
            }
        }
        let mut items: Vec<(usize, Vec<Survival>)> = found.into_iter().collect();
        items.sort_unstable_by_key(|e| e.0);
        for (i, mut v) in items {
            // The new item holding most of it first.
            v.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            let held: f64 = v.iter().map(|e| e.1).sum();
            let target = if held >= SENT_COVER * self.ofeats[i].total {
                Some(v[0].0)
            } else {
                v.iter()
                    .find(|e| !n_used[e.0] && e.2 >= SENT_COVER * self.nfeats[e.0].total)
                    .or_else(|| {
                        v.iter()
                            .find(|e| e.3 >= SENT_VERBATIM_COVER * self.ofeats[i].total)
                    })
                    .map(|e| e.0)
            };
            if let Some(j) = target {
                o2n[i] = Some(Pair {
                    new: j,
                    score: self.ofeats[i].dice(&self.nfeats[j]),
                    basis: Basis::Contained,
                });
                n_used[j] = true;
            }
        }
    }
}

/// Both versions' items with their masked keys and features, for the later
/// phases.
#[derive(Clone, Copy)]
struct Sides<'a> {
    old: &'a [Item],
    new: &'a [Item],
    okeys: &'a [Cow<'a, str>],
    nkeys: &'a [Cow<'a, str>],
    ofeats: &'a [Feats],
    nfeats: &'a [Feats],
    /// How many new items hold each feature (see [`doc_freq`]).
    ndf: &'a HashMap<u32, usize>,
}

/// A table row's label (its words) and its figures in order.
fn row_parts(key: &str) -> (String, Vec<String>) {
    let mut label = String::new();
    let mut figs = Vec::new();
    for t in tokens(key) {
        match t {
            Token::Number(n) => figs.push(n.into_owned()),
            Token::Word(w) | Token::Cjk(w) => {
                if !label.is_empty() {
                    label.push(' ');
                }
                label.push_str(w);
            }
        }
    }
    (label, figs)
}

/// Phase 6: an unpaired old table row of at least three figures is Changed
/// (basis Contained) when a new table row with the same label holds all
/// its figures but the last, in order, after its own first figure, and not
/// the last: the row of a table whose columns moved on by a year (`2024
/// 2023 2022` → `2025 2024 2023`, with or without change columns),
/// whatever other old row that new row is paired with; failing one, the
/// one such row whose label holds the old label or is held by it (see the
/// body). A near-twin row
/// (one figure changed in place) does not qualify, nor a row whose figures
/// all stand in another table (that table's own row is its counterpart).
fn shifted_rows(sides: &Sides<'_>, o2n: &mut [Option<Pair>]) {
    let Sides {
        old,
        new,
        okeys,
        nkeys,
        ofeats,
        nfeats,
        ..
    } = *sides;

    let mut by_label: HashMap<String, LabelRows> = HashMap::new();
    for (j, it) in new.iter().enumerate() {
        if it.kind == ItemKind::TableRow {
            let (label, figs) = row_parts(&nkeys[j]);
            if !label.is_empty() && figs.len() >= 2 {
                by_label.entry(label).or_default().push((j, figs));
            }
        }
    }
    // Each new label with its words, for labels cut down or extended.
    let labels: Vec<(&String, Vec<&str>, &LabelRows)> = by_label
        .iter()
        .map(|(l, rows)| (l, l.split(' ').collect(), rows))
        .collect();
    // Each new row's counterpart, whose label tells whether it kept its
    // own row.
    let mut n2o: Vec<Option<usize>> = vec![None; new.len()];
    for (i, p) in o2n.iter().enumerate() {
        if let Some(p) = p {
            n2o[p.new] = Some(i);
        }
    }
    let own_label = |n2o: &[Option<usize>], j: usize, l: &str| {
        n2o[j].is_some_and(|c| row_parts(&okeys[c]).0 == l)
    };
    for i in 0..old.len() {
        if o2n[i].is_some() || old[i].kind != ItemKind::TableRow {
            continue;
        }
        let (label, figs) = row_parts(&okeys[i]);
        if figs.len() < 2 {
            continue;
        }
        let found = by_label
            .get(&label)
            .and_then(|rows| rows.iter().find(|(_, nf)| shifted(&figs, nf)))
            .map(|&(j, _)| j)
            .or_else(|| {
                // A label cut down or extended (`Excess tax benefits from
                // stock-based compensation` → `Stock-based compensation`):
                // the one row whose figures moved on and whose label holds,
                // or is held by, this one (two words at least), unless an
                // old row of its very label is its counterpart (a segment
                // table's `TOTAL ACCOUNTS RECEIVABLE, NET` repeating the
                // balance sheet's `Accounts receivable, net`).
                let words: Vec<&str> = label.split(' ').collect();
                let mut hits: Vec<usize> = Vec::new();
                for (l, lw, rows) in &labels {
                    // The figures first: few rows' figures moved on.
                    let moved: Vec<usize> = rows
                        .iter()
                        .filter(|(j, nf)| shifted(&figs, nf) && !own_label(&n2o, *j, l))
                        .map(|&(j, _)| j)
                        .collect();
                    if moved.is_empty() || **l == label {
                        continue;
                    }
                    let (short, long) = if lw.len() < words.len() {
                        (lw, &words)
                    } else {
                        (&words, lw)
                    };
                    if short.len() >= 2 && short.iter().all(|w| long.contains(w)) {
                        hits.extend(moved);
                    }
                }
                match hits.as_slice() {
                    [j] => Some(*j),
                    _ => None,
                }
            })
            .or_else(|| model_row(sides, i, &n2o));
        if let Some(j) = found {
            n2o[j].get_or_insert(i);
            o2n[i] = Some(Pair {
                new: j,
                score: ofeats[i].dice(&nfeats[j]),
                basis: Basis::Contained,
            });
        }
    }
}

/// Phase 6, a model's row (`747-8 Aircraft (Accounted for as sales-type
/// leases) 129 394` → `747-8 Aircraft (Primarily accounted for as notes)
/// 92 129`): the one new row opening with the same model number
/// ([`lead_number`]) whose figures after the model moved on a column
/// ([`shifted`]), when no old row of that model is its counterpart. The
/// model names the row; the words after it describe it and may change.
/// (`i` is an unpaired old table row: phase 6 looks at no other.)
fn model_row(sides: &Sides<'_>, i: usize, n2o: &[Option<usize>]) -> Option<usize> {
    let Sides {
        new, okeys, nkeys, ..
    } = *sides;
    let model = lead_number(&okeys[i])?;
    // The figures after the model (the key opens with it).
    let after = |k: &str| row_parts(&k.trim_start()[model.len()..]).1;
    let figs = after(&okeys[i]);
    if figs.len() < 2 {
        return None;
    }
    let hits: Vec<usize> = (0..new.len())
        .filter(|&j| new[j].kind == ItemKind::TableRow && lead_number(&nkeys[j]) == Some(model))
        .filter(|&j| n2o[j].is_none_or(|c| lead_number(&okeys[c]) != Some(model)))
        .filter(|&j| shifted(&figs, &after(&nkeys[j])))
        .collect();
    match hits[..] {
        [j] => Some(j),
        _ => None,
    }
}

/// The new rows of one label: (item, figures).
type LabelRows = Vec<(usize, Vec<String>)>;

/// Whether the old figures `o` reappear moved on by a column in `m`, in
/// a table whose newest year comes first ([`moved_on`]) or last
/// ([`moved_back`]).
pub(super) fn shifted(o: &[String], m: &[String]) -> bool {
    moved_on(o, m) || moved_back(o, m)
}

/// [`shifted`] for a table whose newest year comes first (`2024 2023
/// 2022`): the first figure stands after `m`'s first (and is not `m`'s
/// first), and the longest prefix of `o` found in order from there holds at
/// least half of `o`, and two figures or one of three digits or more (so
/// one small figure cannot line up by chance). With three figures or more
/// the last one (the oldest column, which the table let go) must not be in
/// `m`.
fn moved_on(o: &[String], m: &[String]) -> bool {
    if m.len() < 2 {
        return false;
    }
    if m[0] == o[0] {
        return false;
    }
    let Some(p) = m[1..].iter().position(|f| *f == o[0]).map(|p| p + 1) else {
        return false;
    };
    let mut it = m[p..].iter();
    let prefix = o.iter().take_while(|f| it.any(|h| h == *f)).count();
    let distinctive = prefix >= 2
        || o[..prefix]
            .iter()
            .any(|f| f.chars().filter(char::is_ascii_digit).count() >= 3);
    let last_gone = o.len() < 3 || !m.contains(&o[o.len() - 1]);
    distinctive && 2 * prefix >= o.len() && last_gone
}

/// [`shifted`] for a table whose oldest year comes first (`2022 2023
/// 2024`, as many filers outside the US print it): the new row opens with
/// the old second figure, the old figures after it follow in order, and
/// the old first figure (the year the table let go) is gone. The same
/// tests of chance as for a table moved on.
fn moved_back(o: &[String], m: &[String]) -> bool {
    if o.len() < 2 || m.len() < 2 || m[0] == o[0] {
        return false;
    }
    let kept = o[1..].iter().zip(m).take_while(|(a, b)| a == b).count();
    let distinctive = kept >= 2
        || o[1..=kept]
            .iter()
            .any(|f| f.chars().filter(char::is_ascii_digit).count() >= 3);
    let first_gone = o.len() < 3 || !m.contains(&o[0]);
    kept >= 1 && distinctive && 2 * kept >= o.len() - 1 && first_gone
}

/// An opening needs at least this many content words (not function words,
/// not figures) to tie two items together.
const OPENING_MIN_WORDS: usize = 3;
/// A paragraph (not a list item) cut down, and both items of a rewrite in
/// place, need at least this many content words: a label such as
/// `Operating lease equipment` is not a cut-down statement.
const OPENING_LONG_WORDS: usize = 6;
/// An opening shared in place must open at most this many items of each
/// version.
const OPENING_MAX_USES: usize = 2;
/// ... and the two items must still have this similarity: a time phrase
/// (`During the third quarter of 2023, we …`) can open unrelated news.
const OPENING_MIN_SIM: f64 = 0.3;

/// Phase 6b. An old paragraph or list item still unpaired is Changed (basis
/// Contained) with a new item of the same kind, still unpaired, when
///
/// - one's tokens are the opening tokens of the other, the shorter holding
///   at least `OPENING_MIN_WORDS` content words, and being a list item or
///   holding `OPENING_LONG_WORDS` (`•Decreased retail traffic as a result
///   of store closures, …` → `•Decreased retail traffic;`): the item cut
///   down or extended; or
/// - both stand in the same stretch of the phase-1 diff (between the same
///   identical items), hold `OPENING_LONG_WORDS` content words each, and
///   open with the same tokens, at least `OPENING_MIN_WORDS` content words,
///   an opening no more than `OPENING_MAX_USES` items of either version
///   have, and have similarity `OPENING_MIN_SIM` at least (`Eliminations
///   and other unallocated items was …` → `Eliminations and other
///   unallocated items expense increased …`): the yearly rewrite of one
///   disclosure in its place.
///
/// A near-twin does not qualify: its counterpart is paired as identical.
struct Openings<'a> {
    sides: Sides<'a>,
    ohunk: &'a [Hunk],
    nhunk: &'a [Hunk],
}

impl Openings<'_> {
    fn words(key: &str) -> Vec<(String, bool)> {
        tokens(key)
            .into_iter()
            .map(|t| match t {
                Token::Word(w) => (w.to_string(), !is_stopword(w)),
                Token::Cjk(w) => (w.to_string(), true),
                Token::Number(n) => (n.into_owned(), false),
            })
            .collect()
    }

    /// Content words among the first `n` tokens.
    fn content(t: &[(String, bool)], n: usize) -> usize {
        t[..n].iter().filter(|w| w.1).count()
    }

    fn pair(
        &self,
        ofeats: &[Feats],
        nfeats: &[Feats],
        o2n: &mut [Option<Pair>],
        n_used: &mut [bool],
    ) {
        let eligible = |k: ItemKind| matches!(k, ItemKind::Paragraph | ItemKind::ListItem);
        // Unpaired new items by their first OPENING_MIN_WORDS content words.
        let mut by_lead: HashMap<Vec<String>, Vec<usize>> = HashMap::new();
        let mut ntoks: Vec<Vec<(String, bool)>> = vec![Vec::new(); self.sides.new.len()];
        for j in 0..self.sides.new.len() {
            if n_used[j] || !eligible(self.sides.new[j].kind) {
                continue;
            }
            ntoks[j] = Self::words(&self.sides.nkeys[j]);
            if let Some(lead) = Self::lead(&ntoks[j]) {
                by_lead.entry(lead).or_default().push(j);
            }
        }
        // How many items of each version open with each lead: a stock
        // opening ("During the third quarter of …") ties nothing together.
        let mut olead_n: HashMap<Vec<String>, usize> = HashMap::new();
        let mut nlead_n: HashMap<Vec<String>, usize> = HashMap::new();
        for (keys, items, counts) in [
            (self.sides.okeys, self.sides.old, &mut olead_n),
            (self.sides.nkeys, self.sides.new, &mut nlead_n),
        ] {
            for (k, it) in keys.iter().zip(items) {
                if eligible(it.kind)
                    && let Some(lead) = Self::lead_of(k)
                {
                    *counts.entry(lead).or_default() += 1;
                }
            }
        }
        for i in 0..self.sides.old.len() {
            if o2n[i].is_some() || !eligible(self.sides.old[i].kind) {
                continue;
            }
            let ot = Self::words(&self.sides.okeys[i]);
            let Some(lead) = Self::lead(&ot) else {
                continue;
            };
            let Some(js) = by_lead.get(&lead) else {
                continue;
            };
            let found = js.iter().copied().find(|&j| {
                if n_used[j] || self.sides.new[j].kind != self.sides.old[i].kind {
                    return false;
                }
                let nt = &ntoks[j];
                let common = ot.iter().zip(nt).take_while(|(a, b)| a.0 == b.0).count();
                let shared = Self::content(&ot, common);
                let (ow, nw) = (Self::content(&ot, ot.len()), Self::content(nt, nt.len()));
                // Cut down or extended: the shorter is the other's opening,
                // a list item or a statement of some length.
                let cut = common == ot.len().min(nt.len())
                    && (self.sides.old[i].kind == ItemKind::ListItem
                        || ow.min(nw) >= OPENING_LONG_WORDS);
                // Rewritten in place after a distinctive opening.
                let in_place = self.ohunk[i].id == self.nhunk[j].id
                    && ow.min(nw) >= OPENING_LONG_WORDS
                    && ofeats[i].dice(&nfeats[j]) >= OPENING_MIN_SIM
                    && olead_n.get(&lead).copied().unwrap_or(0) <= OPENING_MAX_USES
                    && nlead_n.get(&lead).copied().unwrap_or(0) <= OPENING_MAX_USES;
                shared >= OPENING_MIN_WORDS && (cut || in_place)
            });
            if let Some(j) = found {
                pair_contained(&self.sides, o2n, n_used, i, j);
            }
        }
    }

    /// `lead(&words(key))`, tokenising only the key's first 200 bytes (an
    /// opening of three content words is far shorter).
    fn lead_of(key: &str) -> Option<Vec<String>> {
        let mut end = key.len().min(200);
        while !key.is_char_boundary(end) {
            end -= 1;
        }
        let mut out = Vec::new();
        let mut seen = 0;
        for t in tokens(&key[..end]) {
            let (w, content) = match t {
                Token::Word(w) => (Cow::Borrowed(w), !is_stopword(w)),
                Token::Cjk(w) => (Cow::Borrowed(w), true),
                Token::Number(n) => (n, false),
            };
            out.push(w.into_owned());
            if content {
                seen += 1;
                if seen == OPENING_MIN_WORDS {
                    return Some(out);
                }
            }
        }
        None
    }

    /// The tokens up to and including the `OPENING_MIN_WORDS`-th content
    /// word, or None if the item has fewer.
    fn lead(t: &[(String, bool)]) -> Option<Vec<String>> {
        let mut seen = 0;
        for (k, w) in t.iter().enumerate() {
            if w.1 {
                seen += 1;
                if seen == OPENING_MIN_WORDS {
                    return Some(t[..=k].iter().map(|w| w.0.clone()).collect());
                }
            }
        }
        None
    }
}

/// A slot holds at most this many unpaired items on either side: a long
/// stretch of new text is not one rewritten disclosure.
const SLOT_MAX_ITEMS: usize = 10;
/// Statements (both of at least `OPENING_LONG_WORDS` content words) in the
/// same slot need this similarity.
const SLOT_MIN_SIM: f64 = 0.3;
/// ... or this, when the slot holds one old and one new item: the one
/// paragraph between two kept neighbours, rewritten.
const SLOT_ONE_MIN_SIM: f64 = 0.15;
/// ... or this, when the one old and the one new item of a slot share just
/// one content word that few new items use: a rewrite on the same subject
/// that lost most of its words (Tesla's `… 130% of the applicable
/// conversion price of our 2024 Notes …` → `… the 2024 Notes reached
/// maturity …`), while the one paragraph left beside another subject's
/// rewrite shares less (Tesla's digital-asset impairments of 2022 and 2021
/// and the 2024 restructuring paragraph: 0.23).
const SLOT_ONE_RARE_MIN_SIM: f64 = 0.25;
/// A word is rare in a version when at most one item in this many holds it.
const SLOT_RARE_PER: usize = 100;
/// The new item of a slot pair must be closer to the old one than to any
/// of the old items this many places around it.
const SLOT_SIBLINGS: usize = 8;
/// A slot is bounded by the counterparts of up to this many paired old
/// items on each side, the tightest pair of them in order.
const SLOT_ANCHORS: usize = 3;
/// How many opening words of an old statement are looked at for the names
/// it opens with.
const OPENING_NAME_WORDS: usize = 12;

/// The weight of the content words two items share (a content word weighs
/// 1 per occurrence; function words and figures weigh less and are left
/// out).
fn shared_words(a: &Feats, b: &Feats) -> f64 {
    let mut sum = 0.0;
    for_shared(a, b, |_, m| {
        if m >= 1.0 - 1e-9 {
            sum += m.floor();
        }
    });
    sum
}

/// Calls `f(feature, smaller weight)` for each feature `a` and `b` share
/// (both vectors are sorted by feature id).
fn for_shared(a: &Feats, b: &Feats, mut f: impl FnMut(u32, f64)) {
    let (mut i, mut j) = (0, 0);
    while i < a.v.len() && j < b.v.len() {
        match a.v[i].0.cmp(&b.v[j].0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                f(a.v[i].0, a.v[i].1.min(b.v[j].1));
                i += 1;
                j += 1;
            }
        }
    }
}

/// Months do not name a subject (function words are left out by
/// `is_stopword`).
pub(super) const NOT_NAMES: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// The words of the names an item opens with: in its first
/// `OPENING_NAME_WORDS` words, the title of a note it refers to aside
/// (`Note 15 — Operating Segments …`), each run of at least two words that
/// start with a capital (`Monique Matheson`, `Robyn Denholm`, `364-Day Credit
/// Agreement`), lowercased, function words and months left out (`On
/// January 10` names nothing); and, anywhere in it, the word after `Mr.`,
/// `Ms.`, `Mrs.` or `Dr.` (a biography that opens with the role).
fn opening_names(text: &str) -> Vec<String> {
    let words: Vec<&str> = text
        .split_whitespace()
        .take(OPENING_NAME_WORDS)
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
        .collect();
    let cap = |w: &str| w.chars().next().is_some_and(char::is_uppercase);
    let note_ref = |k: usize| {
        k + 1 < words.len()
            && words[k].eq_ignore_ascii_case("note")
            && !words[k + 1].is_empty()
            && words[k + 1].chars().all(|c| c.is_ascii_digit())
    };
    let mut out = Vec::new();
    let mut k = 0;
    while k < words.len() {
        // The title of a note referred to (`Note 15 — Operating Segments
        // and Related Information`) names a section, which the new version
        // may rename, not the subject.
        if note_ref(k) {
            k += 2;
            while k < words.len()
                && (words[k].is_empty() || cap(words[k]) || is_stopword(&words[k].to_lowercase()))
            {
                k += 1;
            }
            continue;
        }
        let run = (k..words.len())
            .take_while(|&m| cap(words[m]) && !note_ref(m))
            .count();
        if run >= 2 {
            for w in &words[k..k + run] {
                for t in tokens(&normalize(w)) {
                    if let Token::Word(x) = t
                        && !is_stopword(x)
                        && !NOT_NAMES.contains(&x)
                    {
                        out.push(x.to_string());
                    }
                }
            }
        }
        k += run.max(1);
    }
    // A person named anywhere by title and surname (`Ms. Doniz`).
    let all: Vec<&str> = text.split_whitespace().collect();
    for w in all.windows(2) {
        if matches!(w[0], "Mr." | "Ms." | "Mrs." | "Dr.") {
            for t in tokens(&normalize(w[1])) {
                if let Token::Word(x) = t {
                    out.push(x.to_string());
                }
            }
        }
    }
    out
}

/// The content words of a heading, a final `s` of a longer word taken off
/// (`segments` and `segment`, `principles` and `principle` are one word
/// here).
fn heading_words(norm: &str) -> Vec<String> {
    let mut out: Vec<String> = tokens(norm)
        .into_iter()
        .filter_map(|t| match t {
            Token::Word(w) if !is_stopword(w) => Some(
                match (w.strip_suffix('s'), w.strip_suffix("ly")) {
                    (Some(stem), _) if stem.len() >= 3 && !stem.ends_with('s') => stem,
                    // `recently` and `recent`
                    (_, Some(stem)) if stem.len() >= 4 => stem,
                    _ => w,
                }
                .to_string(),
            ),
            Token::Cjk(w) => Some(w.to_string()),
            _ => None,
        })
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// One word, singular or plural (a final `s` of a word of four letters or
/// more): `brand` and `brands`, not `u` and `us`.
fn same_word(a: &str, b: &str) -> bool {
    fn stem(w: &str) -> &str {
        match w.strip_suffix('s') {
            Some(s) if s.len() >= 3 && !s.ends_with('s') => s,
            _ => w,
        }
    }
    a == b || stem(a) == stem(b)
}

/// Two heading-like lines name the same section when they share at least
/// half the content words of the shorter (`OPERATING SEGMENTS` and
/// `SEGMENT INFORMATION`; not `Note 23 – Subsequent Events` and `Note 23 -
/// Segment and Revenue Information`).
fn headings_match(a: &str, b: &str) -> bool {
    let (wa, wb) = (heading_words(a), heading_words(b));
    let shared = wa.iter().filter(|w| wb.contains(w)).count();
    shared > 0 && 2 * shared >= wa.len().min(wb.len())
}

/// Whether an item reads like a heading or caption: a few content words and
/// no closing punctuation.
fn heading_like(it: &Item, f: &Feats) -> bool {
    matches!(it.kind, ItemKind::Paragraph | ItemKind::ColumnHeading)
        && (f.content < OPENING_LONG_WORDS
            || (f.content <= TITLE_MAX_WORDS && title_case(&it.text)))
        && !it.norm.trim_end().ends_with(['.', ':', ';', '?', '!'])
}

/// A title of more words is heading-like when every word but function words
/// starts with a capital (`United States Government Defense Environment
/// Overview`).
const TITLE_MAX_WORDS: usize = 10;

fn title_case(text: &str) -> bool {
    text.split_whitespace().all(|w| {
        let lower = w.to_lowercase();
        is_stopword(lower.trim_matches(|c: char| !c.is_alphanumeric()))
            || w.chars()
                .find(|c| c.is_alphanumeric())
                .is_some_and(|c| !c.is_lowercase())
    })
}

/// The longest subsequence of `pairs` (in old order) whose new indices
/// strictly increase (patience sorting, O(n log n)).
fn in_order(pairs: &[(usize, usize)]) -> Vec<(usize, usize)> {
    // tails[l]: index into pairs of the smallest last new index of an
    // increasing run of length l + 1; prev: each pair's predecessor.
    let mut tails: Vec<usize> = Vec::new();
    let mut prev: Vec<Option<usize>> = vec![None; pairs.len()];
    for (k, &(_, j)) in pairs.iter().enumerate() {
        let l = tails.partition_point(|&t| pairs[t].1 < j);
        prev[k] = l.checked_sub(1).map(|p| tails[p]);
        if l == tails.len() {
            tails.push(k);
        } else {
            tails[l] = k;
        }
    }
    let mut out = Vec::with_capacity(tails.len());
    let mut cur = tails.last().copied();
    while let Some(k) = cur {
        out.push(pairs[k]);
        cur = prev[k];
    }
    out.reverse();
    out
}

/// Phase 3c. A slot is a run of unpaired old items and the unpaired new
/// items in the tightest stretch of the new version between the
/// counterparts of one of the `SLOT_ANCHORS` paired old items before the
/// run and one of those after it (or a document end), pairs that kept
/// their order only ([`in_order`]). In a slot of at most
/// `SLOT_MAX_ITEMS` unpaired items on each side, an old paragraph or list
/// item is Changed (basis Contained) with a new item of the same kind, best
/// first, when both are statements (`OPENING_LONG_WORDS` content words) of
/// similarity `SLOT_MIN_SIM` at least, no other old item within
/// `SLOT_SIBLINGS` places is as similar to the new one, and the new one
/// still names what the old one opens with ([`opening_names`]): the yearly
/// rewrite of one disclosure in its place, not another person's biography
/// or the next driver of a list. And a heading-like line and the one
/// heading-like line on the other side of the slot sharing at least half
/// the content words of the shorter (and no other line of its side does)
/// are paired too (a note or caption renamed: `NOTE 15 — OPERATING
/// SEGMENTS AND RELATED INFORMATION` → `NOTE 15 — SEGMENT INFORMATION`,
/// beside a new sub-heading `NIKE BRAND`). A table row alone in its slot with one new row pairs
/// with it when both carry an identifier no other item of either version
/// carries ([`once_ids`]), or with the one figure-less heading-like line
/// of the slot that shares its label's words ([`row_label_words`]).
fn same_slot(sides: &Sides<'_>, o2n: &mut [Option<Pair>], n_used: &mut [bool]) {
    let Sides {
        old,
        new,
        ofeats,
        nfeats,
        ..
    } = *sides;
    let mut cands: Vec<(f64, usize, usize)> = Vec::new();
    let df = sides.ndf;
    let rare_shared = |a: &Feats, b: &Feats| {
        let rare = (new.len() / SLOT_RARE_PER).max(2);
        let mut n = 0;
        for_shared(a, b, |id, m| {
            if m >= 1.0 - 1e-9 && df.get(&id).is_some_and(|&d| d <= rare) {
                n += 1;
            }
        });
        n
    };
    // Old items paired, in order, with their counterparts; only those that
    // kept their order (the longest run increasing on both sides): a
    // neighbour paired with a text far away, or out of order, bounds no
    // slot.
    let anchors = in_order(
        &o2n.iter()
            .enumerate()
            .filter_map(|(k, p)| p.map(|p| (k, p.new)))
            .collect::<Vec<_>>(),
    );
    // Identifiers found once in each version, computed on first need.
    let mut unique_ids: Option<HashSet<String>> = None;
    let mut i = 0;
    while i < old.len() {
        if o2n[i].is_some() {
            i += 1;
            continue;
        }
        let start = i;
        while i < old.len() && o2n[i].is_none() {
            i += 1;
        }
        // The tightest stretch of the new version between the counterpart
        // of one of the SLOT_ANCHORS paired old items before the run and
        // one of those after it (a neighbour moved elsewhere does not
        // stretch the slot).
        let at = anchors.partition_point(|&(k, _)| k < start);
        let before: Vec<usize> = std::iter::once(None)
            .chain(
                anchors[..at]
                    .iter()
                    .rev()
                    .take(SLOT_ANCHORS)
                    .map(|a| Some(a.1)),
            )
            .filter(|b| b.is_some() || at == 0)
            .map(|b| b.map_or(0, |j| j + 1))
            .collect();
        let after: Vec<usize> = anchors[at..]
            .iter()
            .take(SLOT_ANCHORS)
            .map(|a| a.1)
            .chain((at == anchors.len()).then_some(new.len()))
            .collect();
        let Some((from, hi)) = before
            .iter()
            .flat_map(|&f| after.iter().map(move |&h| (f, h)))
            .filter(|&(f, h)| f <= h)
            .min_by_key(|&(f, h)| (h - f, f))
        else {
            continue;
        };
        let olds: Vec<usize> = (start..i).collect();
        let news: Vec<usize> = (from..hi).filter(|&j| !n_used[j]).collect();
        if olds.len() > SLOT_MAX_ITEMS || news.is_empty() || news.len() > SLOT_MAX_ITEMS {
            continue;
        }
        let oh: Vec<usize> = olds
            .iter()
            .copied()
            .filter(|&i| heading_like(&old[i], &ofeats[i]))
            .collect();
        let nh: Vec<usize> = news
            .iter()
            .copied()
            .filter(|&j| heading_like(&new[j], &nfeats[j]))
            .collect();
        // Each old heading-like line with the one new heading-like line of
        // the slot that it matches, when no other old one matches it
        // (other headings, `NIKE BRAND`, may stand beside it).
        let matches = |a: usize, b: usize| headings_match(&old[a].norm, &new[b].norm);
        for &a in &oh {
            if let [b] = nh
                .iter()
                .copied()
                .filter(|&b| matches(a, b))
                .collect::<Vec<_>>()[..]
                && oh.iter().all(|&k| k == a || !matches(k, b))
            {
                cands.push((1.0 + ofeats[a].dice(&nfeats[b]), a, b));
            }
        }
        cut_down_bullets(old, new, &olds, &news, &mut cands);
        // A row alone in its slot with one new row, both carrying the same
        // identifier that no other item of either version carries, is that
        // row with its other cells rewritten (`Delaware 91-2197729` →
        // `Texas 91-2197729`: the same EIN under a new state).
        if let ([a], [b]) = (olds.as_slice(), news.as_slice())
            && old[*a].kind == ItemKind::TableRow
            && new[*b].kind == ItemKind::TableRow
        {
            let ids = unique_ids.get_or_insert_with(|| once_ids(old, new));
            let nid = identifiers(&new[*b].norm);
            if identifiers(&old[*a].norm)
                .iter()
                .any(|w| nid.contains(w) && ids.contains(*w))
            {
                cands.push((1.0 + ofeats[*a].dice(&nfeats[*b]), *a, *b));
            }
        }
        // A row alone in its slot whose label stands, reworded, on a line
        // of its own without the row's figures or dates (the converter
        // printed the cells apart): one figure-less heading-like line of
        // the slot sharing at least two words and half the words of the
        // shorter, months aside (a signer's capacity `Vice President and
        // Corporate Controller July 25, 2024` → `Vice President, Chief
        // Accounting Officer`, the date on the next line).
        if let [a] = olds.as_slice()
            && old[*a].kind == ItemKind::TableRow
        {
            let label = row_label_words(&row_parts(&old[*a].norm).0);
            let hits: Vec<usize> = news
                .iter()
                .copied()
                .filter(|&j| {
                    new[j].kind == ItemKind::Paragraph
                        && heading_like(&new[j], &nfeats[j])
                        && !tokens(&new[j].norm)
                            .iter()
                            .any(|t| matches!(t, Token::Number(_)))
                        && {
                            let w = row_label_words(&new[j].norm);
                            let shared = label.iter().filter(|x| w.contains(x)).count();
                            shared >= 2 && 2 * shared >= label.len().min(w.len())
                        }
                })
                .collect();
            if let [b] = hits.as_slice() {
                cands.push((1.0 + ofeats[*a].dice(&nfeats[*b]), *a, *b));
            }
        }
        // The new items' tokens, for the name test of every old item.
        let ntoks: Vec<Vec<Token<'_>>> = news.iter().map(|&b| tokens(&new[b].norm)).collect();
        for &a in &olds {
            if ofeats[a].content < OPENING_LONG_WORDS || old[a].kind == ItemKind::TableRow {
                continue;
            }
            let names = opening_names(&old[a].text);
            for (&b, ntoks) in news.iter().zip(&ntoks) {
                if new[b].kind != old[a].kind || nfeats[b].content < OPENING_LONG_WORDS {
                    continue;
                }
                let s = ofeats[a].dice(&nfeats[b]);
                // One old and one new item alone in a slot need less
                // similarity, but still a subject in common: two content
                // words that few items of the new version use.
                let alone = olds.len() == 1 && news.len() == 1;
                let min = match (alone, rare_shared(&ofeats[a], &nfeats[b])) {
                    (true, 2..) => SLOT_ONE_MIN_SIM,
                    (true, 1) => SLOT_ONE_RARE_MIN_SIM,
                    _ => SLOT_MIN_SIM,
                };
                if s < min {
                    continue;
                }
                // The subject named at the opening is still named.
                // (`NIKE Brand` is still named by `the NIKE, Jordan and
                // Converse brands`: a final `s` aside.)
                let named = names.iter().all(|w| {
                    ntoks
                        .iter()
                        .any(|t| matches!(t, Token::Word(x) if same_word(x, w)))
                });
                // No other old item nearby (but a copy of this one) is as
                // close to the new one: a new bio, a new driver in a list of
                // drivers, is closer to its own predecessor or to its
                // siblings than to a rewrite. (Another segment's bullet
                // further away may be closer: the same template.)
                let near = a.saturating_sub(SLOT_SIBLINGS)..(a + SLOT_SIBLINGS + 1).min(old.len());
                let closest = near.into_iter().all(|k| {
                    k == a
                        || ofeats[k].dice(&nfeats[b]) < s
                        || ofeats[k].dice(&ofeats[a]) >= SAME_TOKENS
                });
                if named && closest {
                    cands.push((s, a, b));
                }
            }
        }
    }
    cands.sort_by(|a, b| b.0.total_cmp(&a.0).then((a.1, a.2).cmp(&(b.1, b.2))));
    for (_, a, b) in cands {
        if o2n[a].is_none() && !n_used[b] {
            pair_contained(sides, o2n, n_used, a, b);
        }
    }
}

/// The words of a row's label or a heading-like line, as
/// [`heading_words`] gives them, months left out (a date cell is no part
/// of the label).
fn row_label_words(norm: &str) -> Vec<String> {
    let mut w = heading_words(norm);
    w.retain(|x| !NOT_NAMES.contains(&x.as_str()));
    w
}

/// An identifier: a whitespace-separated word of at least
/// `ID_MIN_DIGITS` digits, without a `,` or `.` (so no amount, no
/// figure), and no letter: an EIN `91-2197729`, a file number
/// `001-34756`, a phone number.
fn identifiers(norm: &str) -> Vec<&str> {
    norm.split_whitespace()
        .map(|w| w.trim_matches(|c: char| !c.is_ascii_digit()))
        .filter(|w| {
            w.chars().filter(char::is_ascii_digit).count() >= ID_MIN_DIGITS
                && w.chars().all(|c| c.is_ascii_digit() || c == '-')
        })
        .collect()
}

/// An identifier has at least this many digits (a year or a page number
/// has fewer).
const ID_MIN_DIGITS: usize = 6;

/// The identifiers that occur in exactly one old item and exactly one new
/// item: they name one thing, so the two rows carrying them are one row.
fn once_ids(old: &[Item], new: &[Item]) -> HashSet<String> {
    fn count(items: &[Item]) -> HashMap<&str, usize> {
        let mut n: HashMap<&str, usize> = HashMap::new();
        for it in items {
            let mut ids = identifiers(&it.norm);
            ids.sort_unstable();
            ids.dedup();
            for w in ids {
                *n.entry(w).or_default() += 1;
            }
        }
        n
    }
    let (o, n) = (count(old), count(new));
    o.into_iter()
        .filter(|&(w, c)| c == 1 && n.get(w) == Some(&1))
        .map(|(w, _)| w.to_string())
        .collect()
}

/// Phase 6e. An old item still unpaired that heads the next old item, its
/// body, which is paired, is Changed (basis Contained) with the new item
/// right before the body's counterpart when that one is unpaired too and
/// both are leads of the same shape: of the same kind and in the same
/// section as their bodies, one short sentence (at most `LEAD_MAX_WORDS`
/// content words, no sentence break inside) ending with the same mark
/// (`.` for a risk heading, `:` for a list's lead-in), its body holding at
/// least twice its content words, a content word in common, and the pair
/// in order with the old item's other neighbour. A risk factor whose body
/// was kept is not dropped when its heading is reworded (Boeing's `We may
/// be unable to obtain debt … at competitive rates …` → `We may be unable
/// to effectively manage our liquidity …`, the body `We depend, in part,
/// upon …` kept).
fn renamed_leads(sides: &Sides<'_>, o2n: &mut [Option<Pair>]) {
    let Sides {
        old,
        new,
        ofeats,
        nfeats,
        ..
    } = *sides;
    let mut n_used = vec![false; new.len()];
    for p in o2n.iter().flatten() {
        n_used[p.new] = true;
    }
    let lead = |it: &Item, f: &Feats, body: &Item, bf: &Feats| -> Option<char> {
        let end = it.norm.trim_end().chars().last()?;
        let one_sentence = !it.norm.trim_end()[..it.norm.trim_end().len() - end.len_utf8()]
            .contains(['.', ';', '!', '?', ':']);
        (matches!(it.kind, ItemKind::Paragraph | ItemKind::ListItem)
            && matches!(end, '.' | ':')
            && one_sentence
            && f.content <= LEAD_MAX_WORDS
            && it.section == body.section
            && bf.content >= 2 * f.content)
            .then_some(end)
    };
    for i in 0..old.len().saturating_sub(1) {
        let Some(body) = o2n[i + 1] else { continue };
        let j = body.new;
        if o2n[i].is_some() || j == 0 || n_used[j - 1] {
            continue;
        }
        let h = j - 1;
        if old[i].kind != new[h].kind
            || shared_words(&ofeats[i], &nfeats[h]) < 1.0
            || i.checked_sub(1)
                .and_then(|k| o2n[k])
                .is_some_and(|p| p.new >= h)
        {
            continue;
        }
        let (Some(a), Some(b)) = (
            lead(&old[i], &ofeats[i], &old[i + 1], &ofeats[i + 1]),
            lead(&new[h], &nfeats[h], &new[j], &nfeats[j]),
        ) else {
            continue;
        };
        if a == b {
            o2n[i] = Some(Pair {
                new: h,
                score: ofeats[i].dice(&nfeats[h]),
                basis: Basis::Contained,
            });
            n_used[h] = true;
        }
    }
}

/// Phase 6e: a lead (a heading sentence, a list's lead-in) holds at most
/// this many content words.
const LEAD_MAX_WORDS: usize = 30;

/// Pairs old item `i` with new item `j` as Changed, basis Contained, scored
/// by their similarity (the late phases' way of pairing).
fn pair_contained(
    sides: &Sides<'_>,
    o2n: &mut [Option<Pair>],
    n_used: &mut [bool],
    i: usize,
    j: usize,
) {
    o2n[i] = Some(Pair {
        new: j,
        score: sides.ofeats[i].dice(&sides.nfeats[j]),
        basis: Basis::Contained,
    });
    n_used[j] = true;
}

/// A paragraph or list item of `OPENING_LONG_WORDS` content words or more.
fn prose(it: &Item, f: &Feats) -> bool {
    matches!(it.kind, ItemKind::Paragraph | ItemKind::ListItem) && f.content >= OPENING_LONG_WORDS
}

/// How many of the given items hold each feature.
fn doc_freq(feats: &[Feats]) -> HashMap<u32, usize> {
    let mut df: HashMap<u32, usize> = HashMap::new();
    for f in feats {
        for &(id, _) in &f.v {
            *df.entry(id).or_default() += 1;
        }
    }
    df
}

/// Phase 7b: how far (in old items, same section) a partner may stand.
const JOIN_WINDOW: usize = 12;
/// Phase 7b: rare content words the joined item must bring.
const JOIN_MIN_BROUGHT: usize = 1;

/// Phase 7b. An old paragraph or list item still unpaired (six content
/// words or more) is Changed (basis Contained) with the counterpart of
/// another old item of its section at most `JOIN_WINDOW` items away when
/// the new item holds both: each is at least 0.3 similar to it, together
/// they reach the threshold and beat the partner alone (or hold
/// `CONTAIN_COVER` of it with this item adding a fifth), and this item
/// brings at least `JOIN_MIN_BROUGHT` content word of the new item that
/// the partner lacks and at most one new item in a hundred uses (not just
/// the template words of an exhibit list: `incorporated by reference to
/// Exhibit …`). That is two
/// paragraphs that were not neighbours merged into one (`Climate change …
/// may have an adverse impact …` and `Extreme weather conditions and
/// natural disasters could …` → `Climate change, extreme weather
/// conditions and natural disasters may have an adverse impact …`). A
/// near-twin never qualifies: its twin alone explains the new item.
fn joined_partner(sides: &Sides<'_>, o2n: &mut [Option<Pair>], t: f64) {
    let Sides {
        old,
        new,
        ofeats,
        nfeats,
        ..
    } = *sides;
    let df = sides.ndf;
    let rare = (new.len() / SLOT_RARE_PER).max(2);
    let mut joins: Vec<(f64, usize, usize)> = Vec::new();
    for a in 0..old.len() {
        if o2n[a].is_some() || !prose(&old[a], &ofeats[a]) {
            continue;
        }
        let near = a.saturating_sub(JOIN_WINDOW)..(a + JOIN_WINDOW + 1).min(old.len());
        for b in near {
            let Some(p) = o2n[b] else { continue };
            let j = p.new;
            if b == a || old[b].section != old[a].section || !prose(&new[j], &nfeats[j]) {
                continue;
            }
            let (sa, sb) = (ofeats[a].dice(&nfeats[j]), ofeats[b].dice(&nfeats[j]));
            if sa < SLOT_MIN_SIM || sb < SLOT_MIN_SIM {
                continue;
            }
            let both = ofeats[a].plus(&ofeats[b]);
            let s = both.dice(&nfeats[j]);
            let n = &nfeats[j];
            let cover = |f: &Feats| f.overlap(n) / n.total.max(f64::MIN_POSITIVE);
            let (cb, cab) = (cover(&ofeats[b]), cover(&both));
            // What this item brings that the partner lacks must name
            // something: two content words few new items use (not the
            // template of an exhibit list or a risk factor).
            let mut brought = 0;
            for_shared(&ofeats[a], n, |id, m| {
                if m >= 1.0 - 1e-9
                    && df.get(&id).is_some_and(|&d| d <= rare)
                    && ofeats[b].v.binary_search_by_key(&id, |&(f, _)| f).is_err()
                {
                    brought += 1;
                }
            });
            if brought >= JOIN_MIN_BROUGHT
                && ((s >= t && s > sa.max(sb))
                    || (cab >= CONTAIN_COVER && cab - cb >= MERGE_MIN_ADD))
            {
                joins.push((s.max(cab), a, j));
            }
        }
    }
    joins.sort_by(|x, y| y.0.total_cmp(&x.0).then((x.1, x.2).cmp(&(y.1, y.2))));
    for (_, a, j) in joins {
        if o2n[a].is_none() {
            o2n[a] = Some(Pair {
                new: j,
                score: ofeats[a].dice(&nfeats[j]),
                basis: Basis::Contained,
            });
        }
    }
}

/// Phase 8: the share of an old item's weight one new item must hold.
const RESTATE_COVER: f64 = 0.75;
/// Phase 8: an old item needs this many content words (a lone word such as
/// `Deficit)` stands anywhere).
const RESTATE_MIN_WORDS: usize = 2;
/// Phase 8: how many new items, ranked by the weight they share with an old
/// item's rarest features, are checked in full.
const RESTATE_CANDIDATES: usize = 24;

/// Phase 8. An old table row still unpaired is Changed (basis Restated)
/// with the new item, paired or not, that holds at least `RESTATE_COVER`
/// of its weight, every figure it gives (as often as it gives it), at
/// least one of them evidence (see [`figures_of`]), and every word with a
/// capital past its first (a name: `Moyu` for `Luopu`); the most covering
/// one wins. That is a row whose facts the new version states in a
/// sentence (`Total pre-tax restructuring charges $ 379 $ 64 $ 443` →
/// `… restructuring charges of $443 million … $379 million … $64
/// million …`), or a row the old version gave twice. A new row as similar
/// to the row as a rewording (≥ threshold) is not taken: that is a
/// near-twin row whose own counterpart took it (a sentence is no row's
/// near-twin: `Estimated unguaranteed residual values 21` → `…
/// unguaranteed residual values were $0 and $21.`). Paragraphs and list items
/// are left to phase 5: their words stand in other items by chance too
/// often (`Lower other costs (increasing gross margin approximately 10
/// basis points)` in `Lower NIKE Brand product costs … (increasing gross
/// margin approximately 10 basis points)`).
fn restated(
    sides: &Sides<'_>,
    o2n: &mut [Option<Pair>],
    postings: &Postings,
    acc: &mut [f64],
    t: f64,
) {
    for (i, it) in sides.old.iter().enumerate() {
        let fa = &sides.ofeats[i];
        if o2n[i].is_some() || it.kind != ItemKind::TableRow || fa.content < RESTATE_MIN_WORDS {
            continue;
        }
        let (figures, evidence) = figures_of(&sides.okeys[i]);
        if evidence.is_empty() {
            continue;
        }
        let names = names_of(&it.text);
        let ranked = probe(fa, postings, acc);
        let need = RESTATE_COVER * fa.total;
        let mut best: Option<(f64, usize)> = None;
        for &(_, j) in ranked.iter().take(RESTATE_CANDIDATES) {
            let mut shared = 0.0;
            for_shared(fa, &sides.nfeats[j], |_, m| shared += m);
            // As similar as a rewording, it is a near-twin row whose
            // counterpart took this new item (phase 3 found it taken).
            if shared < need
                || best.is_some_and(|(b, _)| shared <= b)
                || (sides.new[j].kind == ItemKind::TableRow && fa.dice(&sides.nfeats[j]) >= t)
            {
                continue;
            }
            let nwords = figures_and_words(&sides.nkeys[j]);
            if !names.iter().all(|w| nwords.iter().any(|n| same_word(w, n))) {
                continue;
            }
            if holds_figures(&nwords, &figures) {
                best = Some((shared, j));
            }
        }
        if let Some((_, j)) = best {
            o2n[i] = Some(Pair {
                new: j,
                score: fa.dice(&sides.nfeats[j]),
                basis: Basis::Restated,
            });
        }
    }
}

/// Phase 8b: how far (in old items, same section) an absorbed neighbour
/// may stand.
const CONDENSE_WINDOW: usize = 4;
/// Phase 8b: the share of an old item's content words the new item must
/// hold.
const CONDENSE_COVER: f64 = 0.7;

/// Phase 8b. An old item still unpaired is Changed (basis Restated) with a
/// new item that already took, by containment or restatement, another old
/// item of its section at most `CONDENSE_WINDOW` items away — a passage
/// condensed into one paragraph — when that new item holds at least
/// `CONDENSE_COVER` of its content words (two or more; a table row may
/// instead have every figure it gives there, one of them evidence, see
/// [`figures_of`]), every word with a
/// capital past its first that neither version writes in lower case (a
/// name), at least one of its evidence figures if it
/// gives any, and is less similar to it than a rewording (a near-twin's
/// counterpart is not taken). That is the rest of a note that the new
/// version condensed (`Employee severance and related costs(1) $ 336 $ 56
/// $ 392` and `As of May 31, 2024, the majority of the remaining employee
/// severance … Accrued liabilities …` → `… $392 million related to
/// employee severance costs … As of May 31, 2024, restructuring charges of
/// $267 million were reflected within Accrued liabilities …`, whose note
/// table rows phase 8 already found there).
fn condensed(sides: &Sides<'_>, o2n: &mut [Option<Pair>], t: f64) {
    let Sides {
        old,
        okeys,
        nkeys,
        ofeats,
        nfeats,
        ..
    } = *sides;
    let absorbs =
        |b: usize| o2n[b].filter(|p| matches!(p.basis, Basis::Contained | Basis::Restated));
    let mut found: Vec<(usize, usize)> = Vec::new();
    let mut common: Option<HashSet<String>> = None;
    for a in 0..old.len() {
        let row = old[a].kind == ItemKind::TableRow;
        let few = if row { 1 } else { RESTATE_MIN_WORDS };
        if o2n[a].is_some() || ofeats[a].content < few {
            continue;
        }
        let near = a.saturating_sub(CONDENSE_WINDOW)..(a + CONDENSE_WINDOW + 1).min(old.len());
        let mut hosts: Vec<usize> = near
            .filter(|&b| b != a && old[b].section == old[a].section)
            .filter_map(|b| absorbs(b).map(|p| p.new))
            .collect();
        hosts.sort_unstable();
        hosts.dedup();
        if hosts.is_empty() {
            continue;
        }
        let words = content_words(&okeys[a]);
        let lower = common.get_or_insert_with(|| lowercase_words(old, sides.new));
        let mut names = names_of(&old[a].text);
        names.retain(|w| !lower.contains(w.as_str()) && !lower.contains(&format!("{w}s")));
        let (figures, evidence) = figures_of(&okeys[a]);
        let mut best: Option<(f64, usize)> = None;
        for j in hosts {
            if ofeats[a].dice(&nfeats[j]) >= t {
                continue;
            }
            let nwords = figures_and_words(&nkeys[j]);
            let has = |w: &str| nwords.iter().any(|n| same_word(w, n));
            let cover = words.iter().filter(|w| has(w)).count() as f64 / words.len() as f64;
            // A row gives its facts in its figures: all of them there,
            // one real evidence among them, say as much as its words
            // (`Balance at May 31, 2024 $ 267` → `As of May 31, 2024, … $267
            // million …`).
            let facts = row && !evidence.is_empty() && holds_figures(&nwords, &figures);
            if (facts || (cover >= CONDENSE_COVER && ofeats[a].content >= RESTATE_MIN_WORDS))
                && names.iter().all(|w| has(w))
                && (evidence.is_empty() || evidence.iter().any(|f| nwords.contains(f)))
                && best.is_none_or(|(c, _)| cover > c)
            {
                best = Some((cover, j));
            }
        }
        if let Some((_, j)) = best {
            found.push((a, j));
        }
    }
    for (a, j) in found {
        o2n[a] = Some(Pair {
            new: j,
            score: ofeats[a].dice(&nfeats[j]),
            basis: Basis::Restated,
        });
    }
}

/// The words either version writes in lower case somewhere: a capitalised
/// word among them, or whose plural is (`Other`, `Note`, `Corporate`), is
/// a title's or a reference's, not a name (`Moyu`, `Spirit`).
fn lowercase_words(old: &[Item], new: &[Item]) -> HashSet<String> {
    let mut out = HashSet::new();
    for it in old.iter().chain(new) {
        for w in it.text.split(|c: char| !c.is_alphanumeric()) {
            if w.starts_with(|c: char| c.is_lowercase()) && !out.contains(w) {
                out.insert(w.to_string());
            }
        }
    }
    out
}

/// The content words of a normalised text (function words and figures
/// left out).
fn content_words(norm: &str) -> Vec<String> {
    tokens(norm)
        .into_iter()
        .filter_map(|t| match t {
            Token::Word(w) | Token::Cjk(w) if !is_stopword(w) => Some(w.to_string()),
            _ => None,
        })
        .collect()
}

/// The figures of a normalised text (`1,643` as `1643`), and those of
/// them that are evidence of the fact: of two digits or more, neither a
/// year (`2023`) nor a day after a month (`December 31`), which any
/// caption of the season gives.
fn figures_of(norm: &str) -> (Vec<String>, Vec<String>) {
    let mut figures = Vec::new();
    let mut evidence = Vec::new();
    let mut after_month = false;
    for t in tokens(norm) {
        match t {
            Token::Number(n) => {
                if n.len() >= 2 && !is_year(&n) && !after_month {
                    evidence.push(n.to_string());
                }
                figures.push(n.into_owned());
                after_month = false;
            }
            Token::Word(w) => after_month = NOT_NAMES.contains(&w),
            Token::Cjk(_) => after_month = false,
        }
    }
    (figures, evidence)
}

/// Whether `words` (as [`figures_and_words`] gives them) hold every one of
/// `figures`, as often as it is given.
fn holds_figures(words: &[String], figures: &[String]) -> bool {
    let mut pool: Vec<&String> = words.iter().collect();
    figures.iter().all(|f| {
        pool.iter()
            .position(|n| *n == f)
            .map(|k| pool.swap_remove(k))
            .is_some()
    })
}

/// The words and figures of a normalised text.
fn figures_and_words(norm: &str) -> Vec<String> {
    tokens(norm)
        .into_iter()
        .map(|t| match t {
            Token::Number(n) => n.into_owned(),
            Token::Word(w) | Token::Cjk(w) => w.to_string(),
        })
        .collect()
}

/// The words of a text past its first word that hold a capital (`Moyu`,
/// `BDS`, the `g` of `12(G)`), lowercased, function words aside: the names
/// it gives.
fn names_of(text: &str) -> Vec<String> {
    let mut out: Vec<String> = text
        .split_whitespace()
        .skip(1)
        .filter(|w| w.chars().any(char::is_uppercase))
        .flat_map(|w| {
            let lower = normalize(w);
            tokens(&lower)
                .into_iter()
                .filter_map(|t| match t {
                    Token::Word(x) if !is_stopword(x) => Some(x.to_string()),
                    _ => None,
                })
                .collect::<Vec<_>>()
        })
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// A label is at most this many words before its dash or colon.
const LABEL_MAX_WORDS: usize = 6;
/// ... and an entry has at least this many words after it.
const LABEL_MIN_BODY_WORDS: usize = 6;
/// The opening of an item up to a standalone dash (any spaces around it:
/// converters leave no-break spaces) or a colon.
static LABEL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(\S.{0,79}?)(?:\s[–—-]\s|:\s)").expect("valid label pattern"));
/// A labelled pair needs at least this similarity of the whole items: the
/// label says they are the same entry, the text must still be about it.
const LABEL_MIN_SIM: f64 = 0.25;

/// The label an item opens with, as heading words and numbers: the words
/// before a standalone dash (` – `, ` — `, ` - `) or a colon, if at most
/// `LABEL_MAX_WORDS` words, starting with a capital and not a sentence
/// (`Internships – Annually, Tesla hires …`, `Consumer Spending: In fiscal
/// 2024 …`); or a heading the converter glued to its paragraph: capitalised
/// words or numbers up to a capitalised function word (`787 Program The
/// accounting quantity …`, `777 and 777X Programs The …`). None for any
/// other item.
fn label_words(it: &Item) -> Option<Vec<String>> {
    if it.kind == ItemKind::TableRow {
        return None;
    }
    let text = it.display();
    let label = match LABEL.captures(text).and_then(|c| c.get(1)) {
        Some(m) => m.as_str(),
        None => glued_heading(text)?,
    };
    let words = label.split_whitespace().count();
    // An entry says something after its label; `Note 23 – Subsequent
    // Events` is a heading, not an entry labelled `Note 23`.
    let body = text[label.len()..]
        .trim_start()
        .trim_start_matches(['–', '—', '-', ':']);
    if body.split_whitespace().count() < LABEL_MIN_BODY_WORDS
        || words == 0
        || words > LABEL_MAX_WORDS
        || label.ends_with(['.', ';', ','])
        || !label
            .chars()
            .next()
            .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit())
    {
        return None;
    }
    let norm = normalize(label);
    let mut hw = heading_words(&norm);
    for t in tokens(&norm) {
        if let Token::Number(n) = t {
            hw.push(n.into_owned());
        }
    }
    hw.sort_unstable();
    hw.dedup();
    (!hw.is_empty()).then_some(hw)
}

/// The opening words of `text` up to a capitalised function word that
/// starts its first sentence (`787 Program` in `787 Program The accounting
/// …`), when every word before it starts with a capital or a digit (or is a
/// function word inside the run, `777 and 777X Programs`).
fn glued_heading(text: &str) -> Option<&str> {
    let mut end = 0;
    let mut seen = 0;
    for (k, w) in text
        .split_whitespace()
        .take(LABEL_MAX_WORDS + 1)
        .enumerate()
    {
        let lower = w.to_lowercase();
        let starts_cap = w.chars().next().is_some_and(char::is_uppercase);
        if starts_cap && is_stopword(&lower) {
            return (k > 0 && seen > 0).then(|| text[..end].trim_end());
        }
        let ok = starts_cap
            || w.chars().next().is_some_and(|c| c.is_ascii_digit())
            || (k > 0 && is_stopword(&lower));
        if !ok || w.ends_with(['.', ',', ';', ':']) {
            return None;
        }
        seen += usize::from(!is_stopword(&lower));
        // Words come in order: the next one is found after the last.
        end = text[end..].find(w).map_or(end, |p| end + p + w.len());
    }
    None
}

/// The model or series number an item opens with (`757` in `757 Aircraft
/// (Accounted for as sales-type leases)`, `747-400`, `md-80`).
fn lead_number(norm: &str) -> Option<&str> {
    let first = norm.split_whitespace().next()?;
    let end = first
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
        .unwrap_or(first.len());
    let lead = &first[..end];
    // A form name (`10-k`, `8-k`) opens exhibit citations, a year or an
    // amount opens many a sentence: not a model.
    let form = lead.ends_with("-k") || lead.ends_with("-q");
    let figure = lead.len() >= 4 && lead.bytes().all(|b| b.is_ascii_digit());
    (lead.len() >= 3 && lead.contains(|c: char| c.is_ascii_digit()) && !form && !figure)
        .then_some(lead)
}

/// Two items that open with different model numbers ([`lead_number`]) are
/// not candidates in phase 3: `757 Aircraft (…)` is not `717 Aircraft (…)`
/// rewritten, however alike the rest.
/// A row's label content words and its figures (see [`row_parts`]).
type RowShape = (Vec<String>, Vec<String>);

fn row_shape(key: &str) -> RowShape {
    let (label, figures) = row_parts(key);
    let words = label
        .split(' ')
        .filter(|w| !w.is_empty() && !is_stopword(w))
        .map(str::to_string)
        .collect();
    (words, figures)
}

/// Two table rows are not one row when each label has a content word the
/// other lacks, they give different numbers of figures and share none:
/// `U.S. government securities 3,620 — 3,620 — 5,136 — 5,136 —` is not
/// `U.S. government contracts(1) $923 $970`. Outside one hunk of the
/// phase-1 diff, one label having a word the other lacks is enough: a row
/// that moved away while its label was cut down (or extended) and all its
/// columns changed is another row (`Total deferred tax assets 10,774
/// 9,533` is not `Total deferred 30 (11) (843)` of another table), while
/// in its place it is the same row relabelled (`Minimum finance lease
/// obligations …` → `Finance lease obligations 2025 $95`).
fn other_row((wa, fa): &RowShape, (wb, fb): &RowShape, same_hunk: bool) -> bool {
    let lacks = |x: &[String], y: &[String]| x.iter().any(|w| !y.iter().any(|v| same_word(w, v)));
    let (ab, ba) = (lacks(wa, wb), lacks(wb, wa));
    fa.len() != fb.len()
        && !fa.iter().any(|f| fb.contains(f))
        && ((ab && ba) || (!same_hunk && (ab || ba)))
}

/// A row that gives two figures or more is not the bare label of another
/// table (`Corporate 72 140 103` is not `CORPORATE` over a list): its
/// disclosure is its figures.
fn bare_label_for_row((_, figures): &RowShape, new_key: &str) -> bool {
    figures.len() >= 2 && !new_key.chars().any(|c| c.is_ascii_digit())
}

fn other_model(a: &str, b: &str) -> bool {
    matches!((lead_number(a), lead_number(b)), (Some(x), Some(y)) if x != y)
}

/// Two labels name the same entry when the words of one are all words of
/// the other (`Internships` and `Professional Internships`, `Military
/// Fellowship and Transition Programs` and `Military Fellowship Program`).
fn labels_match(a: &[String], b: &[String]) -> bool {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    short.iter().all(|w| long.contains(w))
}

/// Each item's label ([`label_words`]), None for an unlabelled item.
type Labels = [Option<Vec<String>>];

/// Phase 3b. Entries of a labelled list (`Apprenticeships – …`) reordered
/// and rewritten: an old item still unpaired whose label matches the label
/// of exactly one unpaired new item of the same kind, and that new item's
/// label matches no other unpaired old item, is Changed (basis Contained)
/// with it when the two are at least `LABEL_MIN_SIM` similar. Both sides
/// must be unique: a label shared by several entries (`Program`) says
/// nothing about which one is which.
/// `olabel`/`nlabel` are [`label_words`] of the items unpaired before
/// phase 3 (phase 3 ranks by them too).
fn labelled_entries(
    sides: &Sides<'_>,
    (olabel, nlabel): (&Labels, &Labels),
    o2n: &mut [Option<Pair>],
    n_used: &mut [bool],
) {
    let Sides { old, new, .. } = *sides;
    let ol: Vec<(usize, &[String])> = (0..old.len())
        .filter(|&i| o2n[i].is_none())
        .filter_map(|i| olabel[i].as_deref().map(|l| (i, l)))
        .collect();
    let nl: Vec<(usize, &[String])> = (0..new.len())
        .filter(|&j| !n_used[j])
        .filter_map(|j| nlabel[j].as_deref().map(|l| (j, l)))
        .collect();
    if ol.is_empty() || nl.is_empty() {
        return;
    }
    let mut pairs = Vec::new();
    for (i, la) in &ol {
        let mut m = nl
            .iter()
            .filter(|(j, lb)| new[*j].kind == old[*i].kind && labels_match(la, lb));
        let (Some((j, lb)), None) = (m.next(), m.next()) else {
            continue;
        };
        let back = ol
            .iter()
            .filter(|(k, lk)| old[*k].kind == new[*j].kind && labels_match(lk, lb))
            .count();
        if back == 1 && sides.ofeats[*i].dice(&sides.nfeats[*j]) >= LABEL_MIN_SIM {
            pairs.push((*i, *j));
        }
    }
    for (i, j) in pairs {
        pair_contained(sides, o2n, n_used, i, j);
    }
}

/// Each of two merged paragraphs explains at least this share of the new
/// one beyond what the other explains.
const MERGE_MIN_ADD: f64 = 0.2;

/// Phase 4b. Two consecutive old paragraphs (or list items), both
/// unpaired, merged into one unpaired new item anywhere: each has
/// similarity `SLOT_MIN_SIM` at least with it, each holds
/// `OPENING_LONG_WORDS` content words, and together they reach the
/// threshold and more than either alone (`Diversity, equity and inclusion
/// is a strategic priority …` + `We continue our efforts to recruit talent
/// through our traditional channels …` → `We are committed to having an
/// inclusive and diverse team and culture … through recruitment,
/// development and retention …`). Both are Changed (basis Contained) with
/// it, best combined similarity first.
fn merged_neighbours(sides: &Sides<'_>, o2n: &mut [Option<Pair>], n_used: &mut [bool], t: f64) {
    let Sides {
        old,
        new,
        ofeats,
        nfeats,
        ..
    } = *sides;
    let free_new: Vec<usize> = (0..new.len())
        .filter(|&j| !n_used[j] && prose(&new[j], &nfeats[j]))
        .collect();
    if free_new.is_empty() {
        return;
    }
    let mut merges: Vec<(f64, usize, usize)> = Vec::new();
    for a in 0..old.len().saturating_sub(1) {
        let b = a + 1;
        if o2n[a].is_some()
            || o2n[b].is_some()
            || !prose(&old[a], &ofeats[a])
            || !prose(&old[b], &ofeats[b])
            || old[a].section != old[b].section
        {
            continue;
        }
        let both = ofeats[a].plus(&ofeats[b]);
        for &j in &free_new {
            let (sa, sb) = (ofeats[a].dice(&nfeats[j]), ofeats[b].dice(&nfeats[j]));
            if sa < SLOT_MIN_SIM || sb < SLOT_MIN_SIM {
                continue;
            }
            // Together they explain the new item: their combined
            // similarity reaches the threshold, or they hold
            // `CONTAIN_COVER` of its weight, each adding a fifth of it.
            let s = both.dice(&nfeats[j]);
            let n = &nfeats[j];
            let cover = |f: &Feats| f.overlap(n) / n.total.max(f64::MIN_POSITIVE);
            let (ca, cb, cab) = (cover(&ofeats[a]), cover(&ofeats[b]), cover(&both));
            let held =
                cab >= CONTAIN_COVER && cab - ca >= MERGE_MIN_ADD && cab - cb >= MERGE_MIN_ADD;
            if (s >= t && s > sa.max(sb)) || held {
                merges.push((s.max(cab), a, j));
            }
        }
    }
    merges.sort_by(|x, y| y.0.total_cmp(&x.0).then((x.1, x.2).cmp(&(y.1, y.2))));
    for (_, a, j) in merges {
        if o2n[a].is_none() && o2n[a + 1].is_none() && !n_used[j] {
            pair_contained(sides, o2n, n_used, a, j);
            pair_contained(sides, o2n, n_used, a + 1, j);
        }
    }
}

/// A bullet cut down in its slot keeps at least this many content words.
const CUT_MIN_WORDS: usize = 2;
/// ... and at most this many, half the old item's at most.
const CUT_MAX_WORDS: usize = 8;

/// In one slot, a list item cut down to a few words (`•Reduced consumer
/// demand for our products, including as a result of a rise in
/// unemployment rates …` → `•Reduced consumer demand for, or spend on, our
/// products;`, `•Impacts to our distribution and logistics providers' …
/// These supply chain effects …` → `•Supply chain impacts;`): a new list
/// item of `CUT_MIN_WORDS` to `CUT_MAX_WORDS` content words (at most half
/// as many as the old one), all but one of them
/// (singular or plural) in the old list item, and in no other old list item
/// of the slot as many. Pushed as candidates of rank 0.5 (after renamed
/// headings, before rewrites of similarity above 0.5).
fn cut_down_bullets(
    old: &[Item],
    new: &[Item],
    olds: &[usize],
    news: &[usize],
    cands: &mut Vec<(f64, usize, usize)>,
) {
    let list: Vec<(usize, Vec<String>)> = olds
        .iter()
        .filter(|&&a| old[a].kind == ItemKind::ListItem)
        .map(|&a| (a, heading_words(&old[a].norm)))
        .collect();
    if list.is_empty() {
        return;
    }
    for &b in news.iter().filter(|&&b| new[b].kind == ItemKind::ListItem) {
        let wb = heading_words(&new[b].norm);
        if wb.len() < CUT_MIN_WORDS {
            continue;
        }
        let held = |wa: &[String]| wb.iter().filter(|w| wa.contains(w)).count();
        let mut best = list.iter().map(|(a, wa)| (held(wa), *a));
        let Some(first) = best.next() else { continue };
        let (mut top, mut at, mut tie) = (first.0, first.1, false);
        for (h, a) in best {
            if h > top {
                (top, at, tie) = (h, a, false);
            } else if h == top {
                tie = true;
            }
        }
        let cut = |a: usize| {
            list.iter()
                .any(|(k, wa)| *k == a && 2 * wb.len() <= wa.len())
        };
        if !tie
            && top >= CUT_MIN_WORDS
            && top + 1 >= wb.len()
            && wb.len() <= CUT_MAX_WORDS
            && cut(at)
        {
            cands.push((0.5, at, b));
        }
    }
}

/// A table needs this many rows with the same number of figures for one of
/// its columns to be found as a row of the new version.
const TRANSPOSED_MIN_ROWS: usize = 4;
/// ... and that column needs this many digits in all: small counts
/// (`1 2 3 4`) line up by chance.
const TRANSPOSED_MIN_DIGITS: usize = 8;

/// Phase 6d. A table printed transposed: a run of at least
/// `TRANSPOSED_MIN_ROWS` consecutive old table rows with the same number
/// of figures, one of whose columns (the figure at one position of each
/// row, top to bottom, `TRANSPOSED_MIN_DIGITS` digits at least) stands in
/// that order, side by side, in one new table row. Each of these old rows
/// still unpaired is Changed (basis Contained) with that new row (`North
/// America $ 152 $ 128 $ 124` … `TOTAL DEPRECIATION $ 796 $ 703 $ 717` →
/// `Depreciation and amortization(2) $ 152 146 56 51 236 641 17 138 $
/// 796`: segments became columns, years rows), and so is a heading-like
/// caption right above the run whose content words the new row holds
/// (`DEPRECIATION`).
fn transposed_tables(sides: &Sides<'_>, o2n: &mut [Option<Pair>]) {
    // New rows' figures, and the rows holding each figure.
    let mut nfigs: Vec<Vec<String>> = vec![Vec::new(); sides.new.len()];
    let mut by_fig: HashMap<String, Vec<usize>> = HashMap::new();
    for (j, it) in sides.new.iter().enumerate() {
        if it.kind != ItemKind::TableRow {
            continue;
        }
        nfigs[j] = row_parts(&sides.nkeys[j]).1;
        if nfigs[j].len() >= TRANSPOSED_MIN_ROWS {
            for f in &nfigs[j] {
                let v = by_fig.entry(f.clone()).or_default();
                if v.last() != Some(&j) {
                    v.push(j);
                }
            }
        }
    }
    let pair = |o2n: &mut [Option<Pair>], i: usize, j: usize| {
        o2n[i] = Some(Pair {
            new: j,
            score: sides.ofeats[i].dice(&sides.nfeats[j]),
            basis: Basis::Contained,
        });
    };
    let mut i = 0;
    while i < sides.old.len() {
        if sides.old[i].kind != ItemKind::TableRow {
            i += 1;
            continue;
        }
        let start = i;
        while i < sides.old.len() && sides.old[i].kind == ItemKind::TableRow {
            i += 1;
        }
        if i - start < TRANSPOSED_MIN_ROWS || (start..i).all(|r| o2n[r].is_some()) {
            continue;
        }
        let figs: Vec<Vec<String>> = (start..i).map(|r| row_parts(&sides.okeys[r]).1).collect();
        // The commonest figure count among the rows.
        let mut counts: HashMap<usize, usize> = HashMap::new();
        for f in figs.iter().filter(|f| !f.is_empty()) {
            *counts.entry(f.len()).or_default() += 1;
        }
        let Some((&k, _)) = counts.iter().max_by_key(|&(&k, &n)| (n, k)) else {
            continue;
        };
        let rows: Vec<usize> = (0..figs.len()).filter(|&r| figs[r].len() == k).collect();
        if rows.len() < TRANSPOSED_MIN_ROWS {
            continue;
        }
        let cols: Vec<Vec<&str>> = (0..k)
            .map(|c| rows.iter().map(|&r| figs[r][c].as_str()).collect())
            .collect();
        for col in cols {
            let digits: usize = col
                .iter()
                .map(|f| f.chars().filter(char::is_ascii_digit).count())
                .sum();
            if digits < TRANSPOSED_MIN_DIGITS {
                continue;
            }
            let found = by_fig.get(col[0]).and_then(|js| {
                js.iter().copied().find(|&j| {
                    nfigs[j]
                        .windows(col.len())
                        .any(|w| w.iter().zip(&col).all(|(a, b)| a == b))
                })
            });
            let Some(j) = found else {
                continue;
            };
            for &r in &rows {
                if o2n[start + r].is_none() {
                    pair(o2n, start + r, j);
                }
            }
            // The caption right above the table.
            if let Some(h) = start.checked_sub(1)
                && o2n[h].is_none()
                && heading_like(&sides.old[h], &sides.ofeats[h])
                && shared_words(&sides.ofeats[h], &sides.nfeats[j])
                    >= sides.ofeats[h].content as f64
            {
                pair(o2n, h, j);
            }
            break;
        }
    }
}

#[cfg(test)]
mod slot_tests {
    use super::{
        glued_heading, headings_match, in_order, label_words, labels_match, opening_names,
        same_word,
    };
    use crate::align::{normalize, split_items};

    fn label(text: &str) -> Option<Vec<String>> {
        label_words(&split_items(text, 0)[0])
    }

    #[test]
    fn labels_of_list_entries_and_glued_headings() {
        // A heading of five words after its dash is no entry: the dash is
        // not a word of its body.
        assert_eq!(
            label("NOTE 15 — OPERATING SEGMENTS AND RELATED INFORMATION"),
            None
        );
        // A no-break space after the dash, as converters leave it.
        assert_eq!(
            label(
                "•Military Fellowship and Transition Programs –\u{202f}The programs offer exiting service members career guidance"
            ),
            Some(vec![
                "fellowship".into(),
                "military".into(),
                "program".into(),
                "transition".into()
            ])
        );
        assert_eq!(
            label(
                "Consumer Spending: In fiscal 2024 consumers continued to spend more cautiously."
            ),
            Some(vec!["consumer".into(), "spending".into()])
        );
        assert_eq!(
            label("787 Program The accounting quantity for the 787 program increased."),
            Some(vec!["787".into(), "program".into()])
        );
        assert_eq!(
            glued_heading("777 and 777X Programs The accounting quantity"),
            Some("777 and 777X Programs")
        );
        // A word that stands earlier inside another word is found in place.
        assert_eq!(
            glued_heading("Programs Program The rest"),
            Some("Programs Program")
        );
        // Sentences, long openings and rows have no label.
        assert_eq!(
            label("In January 2024, an Alaska Airlines flight landed."),
            None
        );
        assert_eq!(label("On January 10, 2024, the FAA notified Boeing."), None);
        assert_eq!(
            label(
                "John Donahoe II, President and Chief Executive Officer — Mr. Donahoe, 64, joined"
            ),
            None
        );
        assert_eq!(label("Revenues 1,234 5,678"), None);
        assert_eq!(label("Note 23 – Subsequent Events"), None);
    }

    #[test]
    fn labels_match_when_one_holds_the_other() {
        let l = |s: &str| label(s).unwrap();
        let internships = l("Internships – Annually we hire over 6,000 university students.");
        let professional =
            l("Professional Internships – Every year we hire 4,000 university students.");
        let apprentices =
            l("Apprenticeships – Tesla Apprenticeships are offered globally to trades.");
        assert!(labels_match(&internships, &professional));
        assert!(!labels_match(&internships, &apprentices));
        assert!(!labels_match(
            &l("787 Program The accounting quantity rose by 100 units."),
            &l("777 and 777X Programs The accounting quantity rose by 100 units.")
        ));
    }

    #[test]
    fn model_numbers_tell_rows_apart() {
        use super::other_model;
        let n = |s: &str| normalize(s);
        assert!(other_model(
            &n("757 Aircraft (Accounted for as sales-type leases)"),
            &n("717 Aircraft (Accounted for as sales-type leases) $196 $478")
        ));
        assert!(other_model(
            &n("MD-80 Aircraft (Accounted for as leases)"),
            &n("747-400 Aircraft (Accounted for as leases)")
        ));
        assert!(!other_model(
            &n("747-400 Aircraft 43 46"),
            &n("747-400 Aircraft 43")
        ));
        // Years, amounts and form names are no models.
        assert!(!other_model(
            &n("2023 was a year of recovery."),
            &n("2024 was a year of recovery.")
        ));
        assert!(!other_model(
            &n("10-K 001-34756 10.44 February 8, 2021"),
            &n("8-K 001-34756 10.2 May 3, 2019")
        ));
        assert!(!other_model(&n("Revenues 1,234"), &n("787 Program")));
    }

    #[test]
    fn plural_is_the_same_word() {
        assert!(same_word("brand", "brands"));
        assert!(same_word("programs", "program"));
        assert!(!same_word("u", "us"));
        assert!(!same_word("gas", "ga"));
    }

    #[test]
    fn in_order_keeps_the_longest_increasing_run() {
        // (old, new): the pair paired far away (3 → 40) and the one out of
        // order (6 → 2) are left out.
        let pairs = [(0, 1), (1, 3), (3, 40), (4, 5), (5, 7), (6, 2), (8, 9)];
        assert_eq!(in_order(&pairs), [(0, 1), (1, 3), (4, 5), (5, 7), (8, 9)]);
        assert!(in_order(&[]).is_empty());
    }

    #[test]
    fn renamed_headings() {
        let m = |a: &str, b: &str| headings_match(&normalize(a), &normalize(b));
        assert!(m("OPERATING SEGMENTS", "SEGMENT INFORMATION"));
        assert!(m(
            "Changes in Accounting Principles",
            "Change in Accounting Principle"
        ));
        assert!(!m(
            "Note 23 – Subsequent Events",
            "Note 23 - Segment and Revenue Information"
        ));
        // One word is the shorter's half: `Summary` → `Form 10-K Summary`.
        assert!(m("Summary", "Form 10-K Summary"));
        // `recently` and `recent` are one word.
        assert!(m(
            "RECENTLY ISSUED ACCOUNTING STANDARDS AND DISCLOSURE RULES",
            "RECENT ACCOUNTING PRONOUNCEMENTS"
        ));
        assert!(m(
            "United States Government Defense Environment Overview",
            "Overview"
        ));
    }

    #[test]
    fn long_titles_are_heading_like() {
        use super::title_case;
        assert!(title_case(
            "United States Government Defense Environment Overview"
        ));
        assert!(title_case("Results of Operations and Financial Condition"));
        assert!(!title_case("Our credit ratings were downgraded in 2020"));
    }

    #[test]
    fn names_an_item_opens_with() {
        assert_eq!(
            opening_names("Ann Miller, Executive Vice President — Ms. Miller, 50, joined"),
            [
                "ann",
                "miller",
                "executive",
                "vice",
                "president",
                "ms",
                "miller",
                "miller"
            ]
        );
        assert_eq!(
            opening_names("On October 23, 2023, Robyn Denholm, one of our directors, adopted"),
            ["robyn", "denholm"]
        );
        // A sentence's first word alone, a date: no names.
        assert!(opening_names("On January 10, 2024, the FAA notified us").is_empty());
        assert!(opening_names("Maturities of operating lease liabilities").is_empty());
        let bio = "Chief Information Officer and Senior Vice President, Information \
                   Technology & Data Analytics since May 2020. Prior to joining Boeing, \
                   Ms. Doniz served as Global Chief Information Officer";
        assert!(opening_names(bio).contains(&"doniz".to_string()));
        // A note's title is a reference, not a name; what follows it is
        // read again.
        assert_eq!(
            opening_names("See Note 4 — Leases in the notes; Robyn Denholm said"),
            ["robyn", "denholm"]
        );
        assert!(opening_names("See Note 15 — Segment Information for more").is_empty());
        assert!(
            opening_names(
                "As discussed in Note 15 — Operating Segments and Related Information in the \
                 accompanying Notes to the Consolidated Financial Statements"
            )
            .is_empty()
        );
    }
}
