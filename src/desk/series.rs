//! What the history of a series says about the items of one version: how
//! many consecutive versions carried each of them. `diff` shows it beside a
//! dropped item, as `check` does in its finding, because "dropped after four
//! years" and "dropped the year after it appeared" read differently.

use crate::align::Status;
use crate::engine::SeriesPair;

/// `carried(pairs)[k][i]`: how many consecutive versions up to version `k`
/// (itself included) carried its item `i`, for `pairs` the consecutive pairs
/// of a series from its first version on (as `series_pairs` returns them).
/// An item counts as carried through any pairing but a drop — kept, moved or
/// reworded — and an unreadable pair starts every count of its newer version
/// again at 1, as in `check`.
pub fn carried(pairs: &[SeriesPair]) -> Vec<Vec<usize>> {
    let Some(first) = pairs.first() else {
        return Vec::new();
    };
    let mut out = vec![vec![1; first.versions[first.from].items.len()]];
    for p in pairs {
        let mut next = vec![1; p.versions[p.to].items.len()];
        for e in p.alignment.iter().flat_map(|a| &a.entries) {
            if let (Some(o), Some(n)) = (e.old, e.new)
                && e.status != Status::Dropped
            {
                next[n] = out[p.from].get(o).copied().unwrap_or(1) + 1;
            }
        }
        out.push(next);
    }
    out
}
