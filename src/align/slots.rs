//! Phase 7a: the value row of a kept key. Some lists alternate a key
//! and its value: an exhibit index gives each exhibit's description (a
//! line of words) and then its citation, a row of codes, dates and numbers
//! (`10-K 001-34756 4.1 March 1, 2017 4.2`, the converter gluing the next
//! exhibit's number to its end). When the description stays and the
//! citation changes (another filing now holds the exhibit, or it is filed
//! herewith: `— — — — X`), the old citation row has no counterpart that
//! shares anything with it, yet it is the same exhibit's citation, not a
//! drop.
//!
//! Also here, for phase 6e: a list's lead-in, the slot above a list
//! ([`list_leads`]); and for phase 7 (copies): the key of a row with a footnote mark
//! spaced after its label ([`spaced_mark_key`]).

use super::items::{Item, ItemKind};
use super::normalize::unmarked_tokens;

/// A footnote mark standing alone: `(2)`, `(12)`, `(a)`.
fn mark(t: &str) -> bool {
    let Some(body) = t.strip_prefix('(').and_then(|t| t.strip_suffix(')')) else {
        return false;
    };
    (1..=2).contains(&body.len()) && body.chars().all(|c| c.is_ascii_digit())
        || body.len() == 1 && body.chars().all(|c| c.is_ascii_lowercase())
}

/// A figure of a row: `5,229`, `(1,643)`, `12.5`, with or without `$`.
fn figure(t: &str) -> bool {
    let t = t.trim_start_matches('$').trim_start_matches('(');
    t.starts_with(|c: char| c.is_ascii_digit())
}

/// Phase 7 (copies): the copy key ([`unmarked_tokens`]) of a table row
/// whose label ends with a footnote mark spaced off it (`Solar energy
/// systems, net (2) $ 5,229 $ 5,489`), that mark left out; None when the
/// row has no such mark. The mark must follow a word (the label's last)
/// and be followed by `$` or a figure, and at least two figures must
/// follow: a row that states the same label and figures twice in the old
/// version, once with a footnote, is one fact given twice, while a
/// negative figure `(2)` would leave a row with one figure fewer than its
/// copy, which no longer matches. Safe: the copy must be another old item,
/// paired, with exactly these words and figures.
pub(super) fn spaced_mark_key(norm: &str) -> Option<String> {
    let toks: Vec<&str> = norm.split_whitespace().collect();
    let k = toks.iter().position(|t| mark(t))?;
    let word_before = k > 0 && toks[k - 1].ends_with(|c: char| c.is_alphabetic());
    let figures = toks[k + 1..].iter().filter(|t| figure(t)).count();
    let next_ok = toks.get(k + 1).is_some_and(|t| *t == "$" || figure(t));
    if !word_before || !next_ok || figures < 2 {
        return None;
    }
    let rest: Vec<&str> = toks
        .iter()
        .enumerate()
        .filter(|&(m, _)| m != k)
        .map(|(_, t)| *t)
        .collect();
    Some(unmarked_tokens(&rest.join(" ")))
}

/// A row of codes: a table row or list item of at most 12 tokens with a
/// token other than a list marker, every token of which holds a digit, is
/// punctuation or dashes only (`—`), is a single letter (`X`, a box
/// ticked) or is a month: no plain word, so it cannot be a disclosure of
/// its own, only the value of the key above it (`10-K 001-34756 4.1 March
/// 1, 2017 4.2`, `8-K(1) 001-35758 4.6 January 29, 2016 4.72`, `— — — —
/// X`).
fn code_row(it: &Item) -> bool {
    let toks: Vec<&str> = it.text.split_whitespace().collect();
    matches!(it.kind, ItemKind::TableRow | ItemKind::ListItem)
        && (2..=12).contains(&toks.len())
        && toks.iter().all(|t| {
            let letters = t.chars().filter(|c| c.is_alphabetic()).count();
            t.chars().any(|c| c.is_ascii_digit())
                || letters <= 1
                || super::aligner::NOT_NAMES.contains(
                    &t.trim_matches(|c: char| !c.is_alphabetic())
                        .to_lowercase()
                        .as_str(),
                )
        })
}

/// A key: an item with a plain word (not a code row).
fn key(it: &Item) -> bool {
    !code_row(it)
}

/// Phase 7a. Pairs (Changed) an unpaired old code row ([`code_row`]) with
/// the one unpaired new item between the counterparts of its neighbours,
/// when the slot is exactly one item on each side and the list alternates
/// keys and values on both sides around it:
///
/// - old `i - 1` and `i + 1` are keys (with a plain word) paired, in
///   order, with new `j - 1` and `j + 1`: the exhibit above and the one
///   below both stand;
/// - new `j` is a code row, unpaired or paired only with copies of its
///   own text (a filed-herewith mark `— — — — X` that many exhibits
///   share, already taken by an old copy elsewhere: the old item then
///   shares it, as copies do);
/// - old `i - 2` and `i + 2`, and new `j - 2` and `j + 2`, are code rows:
///   the neighbouring keys have values of the same shape, so the slot is
///   the value cell of the key above, not a row of a table.
///
/// All of them in the old item's section (the new ones in the new item's).
/// Safe: an unpaired code row between two kept keys, with a code row in
/// its place in the new version, is the key's value changed; a row of
/// figures dropped from a table while another was inserted is not caught
/// (a table's rows are not keys with plain words alternating with code
/// rows), nor is a citation whose exhibit went (its key is unpaired), nor
/// prose (no code row). Returns the pairs `(old, new)`.
pub(super) fn value_rows(
    old: &[Item],
    new: &[Item],
    partner: &[Option<usize>],
) -> Vec<(usize, usize)> {
    // Whether a new item is free to be a value: unpaired, or paired only
    // with copies of its own text elsewhere (`— — — — X`, a citation many
    // exhibits share, taken by an old copy far away); never twice.
    // (Copy keys are costly: checked only for a candidate.)
    let mut holders: Vec<Vec<usize>> = vec![Vec::new(); new.len()];
    for (k, p) in partner.iter().enumerate() {
        if let Some(&j) = p.as_ref() {
            holders[j].push(k);
        }
    }
    let mut taken = vec![false; new.len()];
    let free = |j: usize, taken: &[bool]| {
        !taken[j]
            && (holders[j].is_empty() || {
                let own = unmarked_tokens(&new[j].norm);
                holders[j]
                    .iter()
                    .all(|&k| unmarked_tokens(&old[k].norm) == own)
            })
    };
    let at = |items: &[Item], i: usize, d: isize| -> Option<usize> {
        let k = i.checked_add_signed(d)?;
        (k < items.len() && items[k].section == items[i].section).then_some(k)
    };
    let mut out = Vec::new();
    for i in 0..old.len() {
        if partner[i].is_some() || !code_row(&old[i]) {
            continue;
        }
        let (Some(a), Some(b)) = (at(old, i, -1), at(old, i, 1)) else {
            continue;
        };
        let (Some(ja), Some(jb)) = (partner[a], partner[b]) else {
            continue;
        };
        if jb != ja + 2 || !free(ja + 1, &taken) {
            continue;
        }
        let j = ja + 1;
        let shape = |items: &[Item], k: usize| {
            let row = |d| at(items, k, d).is_some_and(|m| code_row(&items[m]));
            let is_key = |d| at(items, k, d).is_some_and(|m| key(&items[m]));
            code_row(&items[k]) && is_key(-1) && is_key(1) && row(-2) && row(2)
        };
        if shape(old, i) && shape(new, j) {
            out.push((i, j));
            taken[j] = true;
        }
    }
    out
}

/// A list's lead-in has at least this many list items under it, and at
/// least this many of the old list's items have their counterparts in the
/// new list.
const LEAD_IN_MIN_ENTRIES: usize = 2;

/// The list items under a lead-in at `k`: the items after it in its
/// section, list items and the short sub-headings between them (at most
/// eight words, no end mark: `Internships & Fellowships`), up to the first
/// other item. None when `k` is no lead-in (a paragraph or list item
/// ending with `:`) or fewer than `LEAD_IN_MIN_ENTRIES` list items follow.
fn list_under(items: &[Item], k: usize) -> Option<Vec<usize>> {
    let it = &items[k];
    if !matches!(it.kind, ItemKind::Paragraph | ItemKind::ListItem)
        || !it.norm.trim_end().ends_with(':')
    {
        return None;
    }
    let sub_heading = |m: &Item| {
        m.kind == ItemKind::Paragraph
            && m.text.split_whitespace().count() <= 8
            && !m.text.trim_end().ends_with(['.', ':', ';', '?', '!'])
    };
    let mut list = Vec::new();
    for (m, next) in items.iter().enumerate().skip(k + 1) {
        if next.section != it.section {
            break;
        }
        if next.kind == ItemKind::ListItem {
            list.push(m);
        } else if !sub_heading(next) {
            break;
        }
    }
    (list.len() >= LEAD_IN_MIN_ENTRIES).then_some(list)
}

/// Phase 6e, a list's lead-in rewritten (`We don't stop there. Tesla has
/// several other programs … such as:` → `… we provide opportunities for
/// them to learn and grow, including:`): an unpaired old lead-in
/// ([`list_under`]) is Changed with the one unpaired new lead-in whose
/// list holds the counterparts of at least `LEAD_IN_MIN_ENTRIES` and half
/// of the old list's items, in any order. A lead-in says what its list is;
/// the list kept, so is what introduces it. Returns the pairs `(old, new)`.
pub(super) fn list_leads(
    old: &[Item],
    new: &[Item],
    partner: &[Option<usize>],
    n_used: &[bool],
) -> Vec<(usize, usize)> {
    let leads: Vec<(usize, Vec<usize>)> = (0..new.len())
        .filter(|&j| !n_used[j])
        .filter_map(|j| list_under(new, j).map(|l| (j, l)))
        .collect();
    if leads.is_empty() {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut taken = vec![false; leads.len()];
    for i in (0..old.len()).filter(|&i| partner[i].is_none()) {
        let Some(list) = list_under(old, i) else {
            continue;
        };
        let counterparts: Vec<usize> = list.iter().filter_map(|&m| partner[m]).collect();
        let hits: Vec<usize> = (0..leads.len())
            .filter(|&x| {
                let kept = counterparts
                    .iter()
                    .filter(|j| leads[x].1.contains(j))
                    .count();
                !taken[x] && kept >= LEAD_IN_MIN_ENTRIES && 2 * kept >= list.len()
            })
            .collect();
        if let [x] = hits[..] {
            taken[x] = true;
            out.push((i, leads[x].0));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::align::normalize;

    use ItemKind::{ListItem as L, Paragraph as P, TableRow as R};

    fn items(v: &[(&str, ItemKind)]) -> Vec<Item> {
        v.iter()
            .map(|&(t, kind)| Item {
                text: t.to_string(),
                norm: normalize(t),
                section: "Item 15".to_string(),
                line: 0,
                kind,
            })
            .collect()
    }

    fn index(citation: &str, kind: ItemKind) -> Vec<Item> {
        items(&[
            ("Amended and Restated Bylaws of the Registrant.", P),
            ("8-K 001-34756 3.1 April 5, 2023 4.1", R),
            ("Specimen common stock certificate of the Registrant.", P),
            (citation, kind),
            ("Fifth Amended and Restated Investors' Rights Agreement.", P),
            ("S-1 333-164593 4.2 January 29, 2010 4.3", R),
        ])
    }

    #[test]
    fn citation_of_a_kept_exhibit_is_its_value() {
        let old = index("10-K 001-34756 4.1 March 1, 2017 4.2", R);
        let new = index("— — — — X", L);
        let partner = [Some(0), Some(1), Some(2), None, Some(4), Some(5)];
        assert_eq!(value_rows(&old, &new, &partner), [(3, 3)]);
        // A new citation of another filing.
        let new = index("10-Q 001-34756 3.2 July 24, 2024 4.1", R);
        assert_eq!(value_rows(&old, &new, &partner), [(3, 3)]);
        // The filed-herewith mark taken by an old copy further down: shared.
        let mut old = old;
        old.push(items(&[("— — — — X", L)]).remove(0));
        let new = index("— — — — X", L);
        let partner = [Some(0), Some(1), Some(2), None, Some(4), Some(5), Some(3)];
        assert_eq!(value_rows(&old, &new, &partner), [(3, 3)]);
        // Not a new item another old text holds.
        old[6] = items(&[("10-Q 001-34756 10.6 July 28, 2020 10.57", R)]).remove(0);
        assert!(value_rows(&old, &new, &partner).is_empty());
    }

    #[test]
    fn a_row_dropped_where_another_came_stays_dropped() {
        // The exhibit went: its key is unpaired.
        let old = index("10-K 001-34756 4.1 March 1, 2017 4.2", R);
        let new = index("— — — — X", L);
        let partner = [Some(0), Some(1), None, None, Some(4), Some(5)];
        assert!(value_rows(&old, &new, &partner).is_empty());
        // A table row with words, and a new one in its place.
        let old = index("Accrued warranty 1,234 1,100", R);
        let new = index("Deferred revenue 981 870", R);
        let partner = [Some(0), Some(1), Some(2), None, Some(4), Some(5)];
        assert!(value_rows(&old, &new, &partner).is_empty());
        // A line of figures alone among labelled rows of a table (its
        // neighbours' neighbours are no code rows): dropped, and another
        // inserted in its place.
        let t = |x: &str| {
            items(&[
                ("Revenues 2,100 2,000", R),
                ("Cost of revenues 1,400 1,300", R),
                (x, R),
                ("Gross profit 700 700", R),
                ("Operating expenses 500 450", R),
            ])
        };
        let (old, new) = (t("3,500 3,300"), t("17 12"));
        let partner = [Some(0), Some(1), None, Some(3), Some(4)];
        assert!(value_rows(&old, &new, &partner).is_empty());
        // A slot of two new items is no one-to-one value.
        let old = index("10-K 001-34756 4.1 March 1, 2017 4.2", R);
        let mut new = index("— — — — X", L);
        new.insert(
            3,
            items(&[("10-Q 001-34756 4.1 July 24, 2024", R)]).remove(0),
        );
        let partner = [Some(0), Some(1), Some(2), None, Some(5), Some(6)];
        assert!(value_rows(&old, &new, &partner).is_empty());
    }

    #[test]
    fn spaced_footnote_mark_after_a_label() {
        let key = |t: &str| spaced_mark_key(&normalize(t));
        assert_eq!(
            key("Solar energy systems, net (2) $ 5,229 $ 5,489"),
            Some(unmarked_tokens(&normalize(
                "Solar energy systems, net 5,229 5,489"
            )))
        );
        // No mark, a figure before it, or a lone figure after it (a
        // negative figure, `(2)`): no key.
        assert_eq!(key("Solar energy systems, net 5,229 5,489"), None);
        assert_eq!(key("Solar energy systems 12 (2) 5,229 5,489"), None);
        assert_eq!(key("Other income (2) 5"), None);
    }

    /// The old texts `align` reports dropped.
    fn dropped(old: &str, new: &str) -> Vec<String> {
        use crate::align::{AlignConfig, align, split_items};
        let (o, n) = (split_items(old, 0), split_items(new, 0));
        let al = align(&o, &n, &AlignConfig::default());
        al.dropped()
            .map(|e| o[e.old.expect("old")].text.clone())
            .collect()
    }

    #[test]
    fn align_pairs_a_kept_exhibits_new_citation() {
        let exhibits = |cite: &str| {
            format!(
                "Amended and Restated Bylaws of the Registrant.\n\n\
                 8-K 001-34756 3.1 April 5, 2023 4.1\n\n\
                 Specimen common stock certificate of the Registrant.\n\n\
                 {cite}\n\n\
                 Fifth Amended and Restated Investors' Rights Agreement, dated as of \
                 August 31, 2009.\n\n\
                 S-1 333-164593 4.2 January 29, 2010 4.3\n\n\
                 Amendment to Fifth Amended and Restated Investors' Rights Agreement.\n\n\
                 S-1/A 333-164593 4.2A May 27, 2010 4.4\n"
            )
        };
        let old = exhibits("10-K 001-34756 4.1 March 1, 2017 4.2");
        assert!(dropped(&old, &exhibits("— — — — X")).is_empty());
        // The exhibit went with its citation: both reported.
        let new = old.replace(
            "Specimen common stock certificate of the Registrant.\n\n\
             10-K 001-34756 4.1 March 1, 2017 4.2\n\n",
            "",
        );
        assert_eq!(dropped(&old, &new).len(), 2);
    }

    #[test]
    fn align_pairs_a_row_given_twice_with_a_spaced_footnote_mark() {
        let old = "Solar energy systems, net 5,229 5,489\n\n\
                   Other non-current assets 4,531 3,865\n\n\
                   The components of solar energy systems were as follows.\n\n\
                   Solar energy systems pending interconnection 12 16\n\
                   Solar energy systems, net (2) $ 5,229 $ 5,489\n";
        let new = "Solar energy systems, net 4,924 5,229\n\n\
                   Other non-current assets 4,215 4,531\n\n\
                   The components of solar energy systems were as follows.\n";
        assert_eq!(
            dropped(old, new),
            ["Solar energy systems pending interconnection 12 16"]
        );
        // A row whose figures are not those of its labelled copy: dropped.
        let old = old.replace("(2) $ 5,229 $ 5,489", "(2) $ 5,216 $ 5,471");
        assert_eq!(dropped(&old, new).len(), 2);
    }

    #[test]
    fn code_rows() {
        let row = |t: &str| code_row(&items(&[(t, R)])[0]);
        assert!(row("10-K 001-34756 4.119 February 13, 2020 10.1**"));
        assert!(row("— — — — X"));
        assert!(row("S-1/A 333-164593 4.2A May 27, 2010 4.4"));
        assert!(!row("Total $ 1,234"));
        assert!(!row("Solar energy systems, net 4,924 5,229"));
        assert!(!row("42"));
    }

    #[test]
    fn a_rewritten_lead_in_of_a_kept_list_is_its_lead_in() {
        let old = items(&[
            (
                "We don't stop there. Tesla has several programs such as:",
                P,
            ),
            ("•Technician Trainee – on-the-job training.", L),
            ("•START – an intensive training program.", L),
            ("•Internships – students from around the world.", L),
            ("At Tesla, our employees show up passionate.", P),
        ]);
        let new = items(&[
            (
                "To enable employee performance, we provide opportunities, including:",
                P,
            ),
            ("Internships & Fellowships", P),
            ("•Professional Internships – students globally.", L),
            ("Technical Programs", P),
            ("•START – an intensive training program.", L),
            ("•Technician Trainee – on-the-job training.", L),
            ("At Tesla, our employees' passion powers our mission.", P),
        ]);
        let partner = [None, Some(5), Some(4), Some(2), Some(6)];
        let mut used = [false; 7];
        for j in [2, 4, 5, 6] {
            used[j] = true;
        }
        assert_eq!(list_leads(&old, &new, &partner, &used), [(0, 0)]);
        // One item of the old list in the new one: another list.
        let partner = [None, Some(5), None, None, Some(6)];
        assert!(list_leads(&old, &new, &partner, &used).is_empty());
        // A new paragraph ending with a colon but no list under it.
        let mut short = new.clone();
        short.truncate(1);
        assert!(list_leads(&old, &short, &[None, None, None, None, None], &[false]).is_empty());
    }
}
