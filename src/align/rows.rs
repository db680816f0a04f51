//! Phase 6f: two table rows merged into one. A filing folds a small line
//! into its neighbour (`Solar Bonds — 7 7 —` and `Other — — — 28` become
//! `Other — 7 7 28`): the merged row carries one old label and, column by
//! column, the figure of whichever old row had one there, or their sum.
//! Neither old row is a drop: its figures are still given, inside the
//! merged row. The sum test is what makes this safe: a row renewed with
//! next year's figures does not add up to two old rows by chance.

use std::collections::HashMap;

use super::items::{Item, ItemKind};

/// At most this many items apart in the old version (the two rows stand
/// in one table: a split cell such as a rate range may sit between them).
const MERGED_MAX_APART: usize = 3;

/// One cell of a row: a figure (`7`, `$ 5,229`, `(1,643)` as −1643), a
/// dash (an empty cell), or other text that sits among the figures
/// (`4.70-5.75%`), compared as written.
#[derive(Debug, Clone, PartialEq)]
enum Cell<'a> {
    Figure(f64),
    Dash,
    Text(&'a str),
}

/// A row's label (its words before the first cell, lowercased) and its
/// leading run of cells; `$` and `%` standing alone are no cells. Trailing
/// words end the run (`Not applicable December 2026`).
fn label_and_cells(text: &str) -> (String, Vec<Cell<'_>>) {
    let mut label: Vec<String> = Vec::new();
    let mut cells = Vec::new();
    for t in text.split_whitespace() {
        if t == "$" || t == "%" {
            continue;
        }
        let cell = if matches!(t, "—" | "–" | "-" | "$—" | "$-") {
            Some(Cell::Dash)
        } else if t
            .trim_start_matches('$')
            .trim_start_matches('(')
            .starts_with(|c: char| c.is_ascii_digit())
        {
            Some(figure(t).map_or(Cell::Text(t), Cell::Figure))
        } else {
            None
        };
        match cell {
            Some(c) => cells.push(c),
            None if cells.is_empty() => label.push(t.to_lowercase()),
            None => break,
        }
    }
    (label.join(" "), cells)
}

/// The value of a figure cell: `5,229`, `$5,229`, `(1,643)` (negative),
/// `12.5`; None for anything else (`4.70-5.75%`, `2.00%`).
fn figure(t: &str) -> Option<f64> {
    let t = t.trim_start_matches('$');
    let (neg, t) = match t.strip_prefix('(').and_then(|t| t.strip_suffix(')')) {
        Some(inner) => (true, inner),
        None => (false, t),
    };
    if !t
        .chars()
        .all(|c| c.is_ascii_digit() || c == ',' || c == '.')
    {
        return None;
    }
    let v: f64 = t.replace(',', "").parse().ok()?;
    Some(if neg { -v } else { v })
}

/// Whether `merged` is `a` and `b` folded together, column by column: a
/// dash or a missing cell on one side gives the other side's cell, two
/// figures give their sum (±1, the rounding of two rounded figures). Each
/// old row must bring at least one figure of its own.
fn folds(a: &[Cell<'_>], b: &[Cell<'_>], merged: &[Cell<'_>]) -> bool {
    if merged.len() != a.len().max(b.len()) {
        return false;
    }
    let brings = |x: &[Cell<'_>]| x.iter().any(|c| matches!(c, Cell::Figure(v) if *v != 0.0));
    if !brings(a) || !brings(b) {
        return false;
    }
    merged.iter().enumerate().all(|(k, m)| {
        let (x, y) = (
            a.get(k).unwrap_or(&Cell::Dash),
            b.get(k).unwrap_or(&Cell::Dash),
        );
        match (x, y) {
            (Cell::Dash, other) | (other, Cell::Dash) => other == m,
            (Cell::Figure(x), Cell::Figure(y)) => {
                matches!(m, Cell::Figure(v) if (v - (x + y)).abs() <= 1.0 + 1e-9)
            }
            _ => false,
        }
    })
}

/// Phase 6f: pairs of old table rows, both unpaired, at most
/// `MERGED_MAX_APART` items apart in one section, that one unpaired new
/// row folds together ([`folds`]) under the label of one of them. Returns
/// (old, new) pairs, both old rows with the one new row; each new row
/// serves one such merge.
pub(super) fn merged_rows(
    old: &[Item],
    new: &[Item],
    old_paired: &[bool],
    new_used: &[bool],
) -> Vec<(usize, usize)> {
    let rows = |items: &[Item], taken: &[bool]| -> Vec<usize> {
        (0..items.len())
            .filter(|&k| !taken[k] && items[k].kind == ItemKind::TableRow)
            .collect()
    };
    let (orows, nrows) = (rows(old, old_paired), rows(new, new_used));
    if orows.len() < 2 || nrows.is_empty() {
        return Vec::new();
    }
    let oparts: Vec<(String, Vec<Cell<'_>>)> = orows
        .iter()
        .map(|&i| label_and_cells(&old[i].norm))
        .collect();
    let nparts: Vec<(String, Vec<Cell<'_>>)> = nrows
        .iter()
        .map(|&j| label_and_cells(&new[j].norm))
        .collect();
    // New rows by label: only a row under one of the two old labels can
    // fold them.
    let mut by_label: HashMap<&str, Vec<usize>> = HashMap::new();
    for (z, (label, _)) in nparts.iter().enumerate() {
        if !label.is_empty() {
            by_label.entry(label.as_str()).or_default().push(z);
        }
    }
    let mut out = Vec::new();
    let mut taken_old = vec![false; orows.len()];
    let mut taken_new = vec![false; nrows.len()];
    for x in 0..orows.len() {
        for y in x + 1..orows.len() {
            let (a, b) = (orows[x], orows[y]);
            if b - a > MERGED_MAX_APART || old[a].section != old[b].section {
                break;
            }
            if taken_old[x] || taken_old[y] {
                continue;
            }
            let ((la, ca), (lb, cb)) = (&oparts[x], &oparts[y]);
            // The one new row that folds them together.
            let mut hits: Vec<usize> = [la, lb]
                .iter()
                .filter_map(|l| by_label.get(l.as_str()))
                .flatten()
                .copied()
                .filter(|&z| !taken_new[z] && folds(ca, cb, &nparts[z].1))
                .collect();
            hits.sort_unstable();
            hits.dedup();
            if let [z] = hits[..] {
                out.push((a, nrows[z]));
                out.push((b, nrows[z]));
                taken_old[x] = true;
                taken_old[y] = true;
                taken_new[z] = true;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cells(t: &str) -> Vec<Cell<'_>> {
        label_and_cells(t).1
    }

    #[test]
    fn a_row_has_a_label_and_a_leading_run_of_cells() {
        let (label, c) = label_and_cells("Other — — — 28 Not applicable December 2026");
        assert_eq!(label, "other");
        assert_eq!(
            c,
            vec![Cell::Dash, Cell::Dash, Cell::Dash, Cell::Figure(28.0)]
        );
        let (label, c) = label_and_cells("Less: accumulated depreciation $ (1,643) $ 12.5");
        assert_eq!(label, "less: accumulated depreciation");
        assert_eq!(c, vec![Cell::Figure(-1643.0), Cell::Figure(12.5)]);
        assert_eq!(
            cells("Solar Bonds — 7 7 — 4.70-5.75%")[4],
            Cell::Text("4.70-5.75%")
        );
    }

    #[test]
    fn two_rows_fold_into_one_cell_by_cell() {
        let a = cells("Solar Bonds — 7 7 — 4.70-5.75%");
        let b = cells("Other — — — 28 Not applicable December 2026");
        assert!(folds(&a, &b, &cells("Other — 7 7 28 4.70-5.75%")));
        // Sums, with a rounding of one.
        let (a, b) = (cells("X 10 20"), cells("Y 5 7"));
        assert!(folds(&a, &b, &cells("X 15 28")));
        assert!(!folds(&a, &b, &cells("X 15 30")));
        // Next year's figures do not add up.
        assert!(!folds(&a, &b, &cells("X 12 21")));
        // Each old row brings a figure of its own.
        assert!(!folds(&cells("X — —"), &b, &cells("X 5 7")));
        // A column count of its own is another row.
        assert!(!folds(&a, &b, &cells("X 15 27 3")));
    }

    fn row(line: usize, text: &str) -> Item {
        crate::align::split_items(text, 0)
            .into_iter()
            .next()
            .map(|mut it| {
                it.kind = ItemKind::TableRow;
                it.line = line;
                it
            })
            .expect("an item")
    }

    #[test]
    fn merged_rows_pair_both_old_rows_with_the_new_one() {
        let old = vec![
            row(1, "RCF Credit Agreement — — — 5,000"),
            row(3, "Solar Bonds — 7 7 —"),
            row(5, "Other — — — 28 Not applicable December 2026"),
            row(7, "Total recourse debt 37 7 44 5,028"),
        ];
        let new = vec![
            row(1, "RCF Credit Agreement — — — 5,000"),
            row(3, "Other — 7 7 28"),
            row(5, "Total recourse debt 37 7 44 5,028"),
        ];
        let got = merged_rows(
            &old,
            &new,
            &[true, false, false, true],
            &[true, false, true],
        );
        assert_eq!(got, vec![(1, 1), (2, 1)]);
        // Under a label of neither row, the new row is another line.
        let mut renamed = new.clone();
        renamed[1] = row(3, "Bonds and other — 7 7 28");
        assert!(
            merged_rows(
                &old,
                &renamed,
                &[true, false, false, true],
                &[true, false, true]
            )
            .is_empty()
        );
    }
}
