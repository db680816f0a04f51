//! Layout and table furniture among the old items left unpaired: lines that
//! a converter or a new page layout made or unmade, which carry no
//! disclosure of their own, so that reporting them Dropped is noise. The
//! aligner gives them no entry, as it does for a column heading whose table
//! is gone (`table_gone`). Each rule asks for the layout evidence in the
//! alignment around the item, never for its wording alone: an unpaired
//! heading or caption with nothing to show it was relabelled or broken up
//! is a true drop (a sub-heading removed with its subject, a caption whose
//! table went) and stays reported.

use std::collections::HashMap;

use super::items::{INDEX_ENTRY, Item, ItemKind, ends_terminal};
use super::normalize::is_stopword;

/// How far (in items) the rules look for the nearest paired neighbour of an
/// unpaired item.
const NEIGHBOURS: usize = 3;

/// For each old item, whether it is unpaired layout or table furniture:
///
/// 1. a **redundant lead-in**: a short lead-in (a paragraph ending with `:`,
///    at most 20 words, no figure but years) right after an item whose
///    counterpart is itself a lead-in, the list or table it introduces
///    (the next item, a list item, row or column heading) paired right after
///    that counterpart: the list keeps a lead-in, this one was a second
///    (`… due to the following:` + `The increase in gross margin … was
///    primarily due to:` → only the first);
/// 2. a **relabelled heading row**: a column heading, or a row of model
///    numbers and years with no plain word (`737 747 767 777 777X 787 †
///    2023`), that opens a table (no row right above it), where the new
///    version has, between the counterparts of its paired neighbours (at
///    most ten items apart), an unpaired heading of the same kind sharing a
///    word or number with it other than a year: the table stands and its
///    columns were relabelled or split (`Executive Long-Term Incentive
///    Program Employee Long-Term Incentive Program Other` → `Long-Term
///    Incentive Program` / `Other`); its rows are reported on their own;
/// 3. a **caption of a table whose figures went**: a column heading whose
///    first row below (past other headings, in its section) is paired only
///    with a bare label of the new version, not a row and without figures
///    (a segment table's `North America $ 1,723 $ 1,653` matched to the
///    column label `NORTH AMERICA` of a table that was transposed): the
///    table is gone for the heading as for `table_gone`;
/// 4. a **caption under a gone heading**: a short label (at most 8 words,
///    no figure, no end mark) right below an unpaired column heading whose
///    table is gone (`table_gone`) and right above a table row: the last
///    line of that table's heading block (`Sales returns reserve` over a
///    schedule's rows), the gone table being reported through its rows;
/// 5. a **word fragment**: at most two words with an unbalanced bracket, no
///    figure, no end mark, standing between two other short fragments of
///    its section (at most three words, no figure, no end mark): one piece
///    of a column heading the converter broke over lines (`(Accumulated` /
///    `Deficit)`), which says nothing by itself;
///    5b. a **heading printed one word per line**: one of a run of at
///    least four short labels (at most four words, no figure, no end
///    mark) of one section, two of them single words in lower case
///    (`Common` / `stock` / `Additional` / `paid-in` / `capital`), right
///    above a table row: no piece says anything by itself, and the
///    columns are reported through the rows;
/// 6. a **running heading**: a row of at most 14 capitalised words
///    (function words aside; at least three, no figure, `$` or `%`) with
///    one entry number glued to its end (`Exhibit Description Form File
///    No. Exhibit Filing Date 10.52`: the heading of an index repeated at
///    the top of each page, the converter joining the next entry's number
///    to it), whose words without the number stand at least
///    [`RUNNING_COPIES`] times in each version: the new version still
///    heads its pages so, one page fewer; the number is the next entry's,
///    reported with it. A table row repeats its label too (`Total $
///    1,234`), but its figures are no entry number (a `$`, a thousands
///    comma, no dot) and its label is not capitalised word by word.
/// 7. an **index entry split from its title**: a bare entry number (`Note
///    3`, `Item 7`) whose next item, its title, is paired with a new item
///    opening with that very entry (`Note 3 Accrued Liabilities`): the
///    converter printed the number and title on two lines this year.
///
/// `partner[i]` is the new counterpart of old item `i`, `gone[i]` whether
/// it is a column heading whose table is gone (`table_gone`).
pub(super) fn furniture(
    old: &[Item],
    new: &[Item],
    partner: &[Option<usize>],
    gone: &[bool],
) -> Vec<bool> {
    let mut new_paired = vec![false; new.len()];
    for &j in partner.iter().flatten() {
        new_paired[j] = true;
    }
    let running = running_headings(old, new, partner);
    let broken = broken_headings(old);
    (0..old.len())
        .map(|i| {
            partner[i].is_none()
                && (redundant_lead_in(old, new, partner, i)
                    || relabelled_heading(old, new, partner, &new_paired, i)
                    || caption_of_figureless_table(old, new, partner, i)
                    || caption_under_gone_heading(old, gone, i)
                    || word_fragment(old, i)
                    || broken[i]
                    || running[i]
                    || split_index_entry(old, new, partner, i))
        })
        .collect()
}

/// Rule 6: how many times, at least, the words of a running heading stand
/// in each version.
const RUNNING_COPIES: usize = 3;

/// The words and numbers of a text, punctuation trimmed off their ends.
fn words(text: &str) -> Vec<&str> {
    text.split_whitespace()
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
        .filter(|w| !w.is_empty())
        .collect()
}

fn has_digit(w: &str) -> bool {
    w.chars().any(|c| c.is_ascii_digit())
}

/// A year of four digits (`1999`, `2024`): a date, not a figure.
pub(super) fn is_year(w: &str) -> bool {
    w.len() == 4
        && (w.starts_with("19") || w.starts_with("20"))
        && w.chars().all(|c| c.is_ascii_digit())
}

/// A figure other than a year: an amount, a count, a model number.
fn has_figure(text: &str) -> bool {
    words(text).iter().any(|w| has_digit(w) && !is_year(w))
}

/// A short label: at most `max` words (any run of non-blanks counts, so
/// that the fuzz property's bound of 20 holds), no figure, no end mark.
fn short_label(it: &Item, max: usize) -> bool {
    it.text.split_whitespace().count() <= max && !has_figure(&it.text) && !ends_terminal(&it.text)
}

fn same_section(old: &[Item], i: usize, k: usize) -> bool {
    old[k].section == old[i].section
}

/// Rule 1 (see [`furniture`]).
fn redundant_lead_in(old: &[Item], new: &[Item], partner: &[Option<usize>], i: usize) -> bool {
    let it = &old[i];
    let text = it.text.trim_end();
    if it.kind != ItemKind::Paragraph
        || !text.ends_with(':')
        || text.split_whitespace().count() > 20
        || has_figure(text)
        || i == 0
        || i + 1 >= old.len()
        || !same_section(old, i, i + 1)
        || !matches!(
            old[i + 1].kind,
            ItemKind::ListItem | ItemKind::TableRow | ItemKind::ColumnHeading
        )
    {
        return false;
    }
    match (partner[i - 1], partner[i + 1]) {
        (Some(lead), Some(first)) => {
            new[lead].text.trim_end().ends_with(':') && lead < first && first <= lead + NEIGHBOURS
        }
        _ => false,
    }
}

/// A column heading, or a line of at most 14 figures with no plain word
/// (model numbers and years heading the columns: `737 747 767 777 777X 787
/// † 2023`).
fn heading_row(it: &Item) -> bool {
    it.kind == ItemKind::ColumnHeading || {
        let w = words(&it.text);
        (1..=14).contains(&it.text.split_whitespace().count())
            && it.text.chars().any(char::is_alphabetic)
            && w.iter().all(|w| has_digit(w))
    }
}

/// The counterpart of the nearest paired item before `i`, within
/// [`NEIGHBOURS`] items.
fn paired_before(partner: &[Option<usize>], i: usize) -> Option<usize> {
    partner[..i]
        .iter()
        .rev()
        .take(NEIGHBOURS)
        .flatten()
        .next()
        .copied()
}

/// The counterpart of the nearest paired item after `i`, within
/// [`NEIGHBOURS`] items.
fn paired_after(partner: &[Option<usize>], i: usize) -> Option<usize> {
    partner[i + 1..]
        .iter()
        .take(NEIGHBOURS)
        .flatten()
        .next()
        .copied()
}

/// Rule 2 (see [`furniture`]).
fn relabelled_heading(
    old: &[Item],
    new: &[Item],
    partner: &[Option<usize>],
    new_paired: &[bool],
    i: usize,
) -> bool {
    // A heading between rows is a cell of the table (a maturity date), not
    // the heading row that opens it.
    if !heading_row(&old[i]) || (i > 0 && old[i - 1].kind == ItemKind::TableRow) {
        return false;
    }
    let (Some(a), Some(b)) = (paired_before(partner, i), paired_after(partner, i)) else {
        return false;
    };
    let ow = words(&old[i].norm);
    let shares = |n: &Item| words(&n.norm).iter().any(|w| !is_year(w) && ow.contains(w));
    a < b
        && b - a <= 10
        && (a + 1..b).any(|j| !new_paired[j] && heading_row(&new[j]) && shares(&new[j]))
}

/// Rule 3 (see [`furniture`]).
fn caption_of_figureless_table(
    old: &[Item],
    new: &[Item],
    partner: &[Option<usize>],
    i: usize,
) -> bool {
    if old[i].kind != ItemKind::ColumnHeading {
        return false;
    }
    let Some(row) = (i + 1..old.len())
        .take_while(|&k| same_section(old, i, k))
        .find(|&k| old[k].kind != ItemKind::ColumnHeading)
    else {
        return false;
    };
    old[row].kind == ItemKind::TableRow
        && partner[row]
            .is_some_and(|j| new[j].kind != ItemKind::TableRow && !has_figure(&new[j].text))
}

/// Rule 4 (see [`furniture`]).
fn caption_under_gone_heading(old: &[Item], gone: &[bool], i: usize) -> bool {
    old[i].kind == ItemKind::Paragraph
        && short_label(&old[i], 8)
        && i > 0
        && gone[i - 1]
        && same_section(old, i, i - 1)
        && old
            .get(i + 1)
            .is_some_and(|n| n.kind == ItemKind::TableRow && n.section == old[i].section)
}

/// Rule 5 (see [`furniture`]).
fn word_fragment(old: &[Item], i: usize) -> bool {
    let t = &old[i].text;
    let unbalanced = t.matches('(').count() != t.matches(')').count();
    let fragment = |k: usize| same_section(old, i, k) && short_label(&old[k], 3);
    old[i].kind == ItemKind::Paragraph
        && unbalanced
        && short_label(&old[i], 2)
        && i > 0
        && i + 1 < old.len()
        && fragment(i - 1)
        && fragment(i + 1)
}

/// Rule 5b: how many short fragments, at least, make a column heading
/// broken one word per line, and how many of them are lower-case words.
const BROKEN_RUN: usize = 4;
const BROKEN_LOWER: usize = 2;

/// Rule 5b (see [`furniture`]): for each old item, whether it is one piece
/// of a column heading printed one word (or a few) per line: a run of at
/// least [`BROKEN_RUN`] consecutive paragraphs or column headings of one
/// section, each a short label of at most four words, at least
/// [`BROKEN_LOWER`] of them a single word opening in lower case (`stock`,
/// `paid-in`: a line no writer starts a disclosure with, but a converter
/// breaking `Common Stock` makes), right above a table row of that
/// section. A list of sub-headings is capitalised and stands above prose.
fn broken_headings(old: &[Item]) -> Vec<bool> {
    let mut out = vec![false; old.len()];
    let piece = |it: &Item| {
        matches!(it.kind, ItemKind::Paragraph | ItemKind::ColumnHeading) && short_label(it, 4)
    };
    let lower_word = |it: &Item| {
        it.text.split_whitespace().count() == 1 && it.text.starts_with(char::is_lowercase)
    };
    let mut i = 0;
    while i < old.len() {
        let mut end = i;
        while end < old.len() && piece(&old[end]) && same_section(old, i, end) {
            end += 1;
        }
        if end == i {
            i += 1;
            continue;
        }
        let lower = old[i..end].iter().filter(|it| lower_word(it)).count();
        let over_row = old
            .get(end)
            .is_some_and(|n| n.kind == ItemKind::TableRow && n.section == old[i].section);
        if end - i >= BROKEN_RUN && lower >= BROKEN_LOWER && over_row {
            out[i..end].fill(true);
        }
        i = end;
    }
    out
}

/// Rule 7 (see [`furniture`]).
fn split_index_entry(old: &[Item], new: &[Item], partner: &[Option<usize>], i: usize) -> bool {
    let it = &old[i];
    if !INDEX_ENTRY.is_match(it.text.trim()) || i + 1 >= old.len() || !same_section(old, i, i + 1) {
        return false;
    }
    partner[i + 1].is_some_and(|j| {
        new[j]
            .norm
            .strip_prefix(it.norm.trim_end())
            .is_some_and(|rest| rest.starts_with(' '))
    })
}

/// An entry number glued to the end of a heading: `10.52`, `4.2A`,
/// `10.3**`, `10.58††` (digits, one dot inside, a letter, then marks).
fn entry_number(w: &str) -> bool {
    let w = w.trim_end_matches(|c: char| !c.is_alphanumeric());
    let w = w
        .strip_suffix(|c: char| c.is_ascii_alphabetic())
        .unwrap_or(w);
    let mut parts = w.split('.');
    let digits =
        |p: Option<&str>| p.is_some_and(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()));
    digits(parts.next()) && digits(parts.next()) && parts.next().is_none()
}

/// The heading words of a row that is a heading with an entry number
/// glued to its end (rule 6), in the row's normalised text: its `norm`
/// without the last word, when that word is an entry number and the rest
/// (the `text` without it) is 3 to 14 words, each capitalised but function
/// words, with no figure, `$` or `%`.
fn heading_before_number(it: &Item) -> Option<&str> {
    let (head, last) = it.text.trim_end().rsplit_once(char::is_whitespace)?;
    let n = head.split_whitespace().count();
    let capitalised = head.split_whitespace().all(|w| {
        let lower = w.to_lowercase();
        let word = lower.trim_matches(|c: char| !c.is_alphanumeric());
        !w.starts_with(char::is_lowercase) || is_stopword(word)
    });
    let ok = it.kind == ItemKind::TableRow
        && entry_number(last)
        && (3..=14).contains(&n)
        && capitalised
        && !has_figure(head)
        && !head.contains(['$', '%']);
    ok.then(|| it.norm.trim_end().rsplit_once(' ').map_or("", |(h, _)| h))
        .filter(|h| !h.is_empty())
}

/// How many times each heading stands in a version: with a number glued
/// on (rule 6), or alone (keyed by its normalised text).
fn heading_copies(items: &[Item]) -> HashMap<&str, usize> {
    let mut n: HashMap<&str, usize> = HashMap::new();
    for it in items {
        let h = heading_before_number(it).unwrap_or(it.norm.as_str());
        *n.entry(h).or_default() += 1;
    }
    n
}

/// Rule 6 (see [`furniture`]): for each old item, whether it is an
/// unpaired running heading.
fn running_headings(old: &[Item], new: &[Item], partner: &[Option<usize>]) -> Vec<bool> {
    let heads: Vec<Option<&str>> = old
        .iter()
        .zip(partner)
        .map(|(it, p)| p.is_none().then(|| heading_before_number(it)).flatten())
        .collect();
    if heads.iter().all(Option::is_none) {
        return vec![false; old.len()];
    }
    let (on, nn) = (heading_copies(old), heading_copies(new));
    heads
        .iter()
        .map(|h| {
            h.is_some_and(|h| {
                on.get(h).is_some_and(|&c| c >= RUNNING_COPIES)
                    && nn.get(h).is_some_and(|&c| c >= RUNNING_COPIES)
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::align::normalize;

    fn item(text: &str, kind: ItemKind) -> Item {
        Item {
            text: text.to_string(),
            norm: normalize(text),
            section: "Item 8".to_string(),
            line: 0,
            kind,
        }
    }

    use ItemKind::{ColumnHeading as H, ListItem as L, Paragraph as P, TableRow as R};

    fn items(v: &[(&str, ItemKind)]) -> Vec<Item> {
        v.iter().map(|&(t, k)| item(t, k)).collect()
    }

    /// The old texts the rules hide.
    fn hidden(old: &[Item], new: &[Item], partner: &[Option<usize>], gone: &[bool]) -> Vec<String> {
        furniture(old, new, partner, gone)
            .iter()
            .zip(old)
            .filter(|(h, _)| **h)
            .map(|(_, it)| it.text.clone())
            .collect()
    }

    #[test]
    fn second_lead_in_of_a_kept_list_is_furniture() {
        let old = items(&[
            (
                "Gross margin increased 110 basis points due to the following:",
                P,
            ),
            (
                "The increase in gross margin for fiscal 2024 was primarily due to:",
                P,
            ),
            ("•Higher full-price ASP", L),
        ]);
        let new = items(&[
            (
                "Gross margin decreased 190 basis points due to the following:",
                P,
            ),
            ("•Lower ASP", L),
        ]);
        let partner = [Some(0), None, Some(1)];
        assert_eq!(
            hidden(&old, &new, &partner, &[false; 3]),
            ["The increase in gross margin for fiscal 2024 was primarily due to:"]
        );
        // A lead-in whose predecessor's counterpart introduces nothing is the
        // list's only lead-in, gone: reported.
        let new = items(&[
            ("Gross margin decreased 190 basis points.", P),
            ("•Lower ASP", L),
        ]);
        assert!(hidden(&old, &new, &partner, &[false; 3]).is_empty());
        // So is one whose list went with it, and one with figures of its own.
        let new = items(&[("Gross margin decreased due to the following:", P)]);
        assert!(hidden(&old, &new, &[Some(0), None, None], &[false; 3]).is_empty());
        let mut old = old;
        old[1] = item("Charges of $443 million were classified as follows:", P);
        let new = items(&[
            ("Gross margin decreased due to the following:", P),
            ("•Lower ASP", L),
        ]);
        assert!(hidden(&old, &new, &partner, &[false; 3]).is_empty());
    }

    #[test]
    fn relabelled_heading_row_of_a_standing_table_is_furniture() {
        let old = items(&[
            ("RSU activity was as follows:", P),
            (
                "Executive Long-Term Incentive Program Employee Long-Term Incentive Program Other",
                H,
            ),
            ("Granted 411,134 142,711", R),
        ]);
        let new = items(&[
            ("RSU activity was as follows:", P),
            ("Long-Term Incentive Program", H),
            ("Other", H),
            ("Granted 2,174,064 176,483", R),
        ]);
        let partner = [Some(0), None, Some(3)];
        assert_eq!(hidden(&old, &new, &partner, &[false; 3]).len(), 1);
        // Model numbers and years heading the columns.
        let old = items(&[
            ("Program", P),
            ("737 747 767 777 777X 787 † 2023", R),
            ("Units 11,600 1,574", R),
        ]);
        let new = items(&[
            ("Program", P),
            ("767 777 777X 787 † 2024", R),
            ("Units 11,600 1,263", R),
        ]);
        assert_eq!(
            hidden(&old, &new, &[Some(0), None, Some(2)], &[false; 3]).len(),
            1
        );
        // No new heading in its place (the columns went), or one sharing
        // nothing: reported.
        let new = items(&[("Program", P), ("Units 11,600 1,263", R)]);
        assert!(hidden(&old, &new, &[Some(0), None, Some(1)], &[false; 3]).is_empty());
        let new = items(&[
            ("Program", P),
            ("A320 A350 2024", R),
            ("Units 11,600 1,263", R),
        ]);
        assert!(hidden(&old, &new, &[Some(0), None, Some(2)], &[false; 3]).is_empty());
        // A heading between rows is a cell of the table: reported.
        let old = items(&[
            ("Automotive Notes 984 613", R),
            ("December 2023-September 2025", H),
            ("Solar Notes 4 13", R),
        ]);
        let new = items(&[
            ("Automotive Notes 2,255 2,059", R),
            ("September 2025-June 2035", H),
            ("Solar Notes 54 434", R),
        ]);
        assert!(hidden(&old, &new, &[Some(0), None, Some(2)], &[false; 3]).is_empty());
    }

    #[test]
    fn heading_of_a_table_whose_rows_lost_their_figures_is_furniture() {
        let old = items(&[
            ("TOTAL DEPRECIATION $ 796 $ 703", R),
            ("ACCOUNTS RECEIVABLE, NET", H),
            ("North America $ 1,723 $ 1,653", R),
        ]);
        let new = items(&[("Depreciation $ 152 146 $ 796", R), ("NORTH AMERICA", P)]);
        let partner = [Some(0), None, Some(1)];
        assert_eq!(
            hidden(&old, &new, &partner, &[false; 3]),
            ["ACCOUNTS RECEIVABLE, NET"]
        );
        // The row kept its figures: the table stands, its heading changed.
        let new = items(&[
            ("Depreciation $ 152 146 $ 796", R),
            ("North America $ 1,800 $ 1,723", R),
        ]);
        assert!(hidden(&old, &new, &partner, &[false; 3]).is_empty());
    }

    #[test]
    fn caption_right_under_a_gone_heading_is_furniture() {
        let old = items(&[
            ("BALANCE AT BEGINNING OF PERIOD WRITE-OFFS, NET", H),
            ("Sales returns reserve", P),
            ("For the fiscal year ended May 31, 2024 549 3,583", R),
        ]);
        let new = items(&[("Other", P)]);
        let partner = [None, None, None];
        assert_eq!(
            hidden(&old, &new, &partner, &[true, false, false]),
            ["Sales returns reserve"]
        );
        // Not when the heading above stays, nor over prose.
        assert!(hidden(&old, &new, &partner, &[false; 3]).is_empty());
        let mut old = old;
        old[2] = item("The reserve is estimated from return rates.", P);
        assert!(hidden(&old, &new, &partner, &[true, false, false]).is_empty());
    }

    #[test]
    fn fragment_of_a_broken_heading_is_furniture() {
        let old = items(&[("(Accumulated", P), ("Deficit)", P), ("Retained", P)]);
        let new = items(&[("Accumulated", P), ("Retained", P)]);
        let partner = [Some(0), None, Some(1)];
        assert_eq!(hidden(&old, &new, &partner, &[false; 3]), ["Deficit)"]);
        // A one-word item of a list of names is a disclosure.
        let old = items(&[("Belgium", P), ("Brazil", P), ("China", P)]);
        assert!(hidden(&old, &new, &partner, &[false; 3]).is_empty());
    }

    #[test]
    fn heading_printed_one_word_per_line_is_furniture() {
        let words = ["Common", "stock", "Additional", "paid-in", "capital"];
        let mut v: Vec<(&str, ItemKind)> = words.iter().map(|w| (*w, P)).collect();
        v.push(("Balance at January 1, 2022 $5,061 $9,052", R));
        let old = items(&v);
        let new = items(&[("Balance at January 1, 2022 $5,061 $9,052", R)]);
        let partner = [None, None, None, None, None, Some(0)];
        assert_eq!(hidden(&old, &new, &partner, &[false; 6]), words);
        // Capitalised sub-headings (no lower-case piece), or a run over
        // prose rather than a table row: reported.
        let caps = ["Common", "Stock", "Additional", "Capital"];
        let mut v: Vec<(&str, ItemKind)> = caps.iter().map(|w| (*w, P)).collect();
        v.push(("Balance at January 1, 2022 $5,061 $9,052", R));
        assert_eq!(
            hidden(&items(&v), &new, &partner[1..], &[false; 5]).len(),
            0
        );
        let mut v: Vec<(&str, ItemKind)> = words.iter().map(|w| (*w, P)).collect();
        v.push(("The Company issued common stock in 2024.", P));
        assert!(hidden(&items(&v), &new, &partner, &[false; 6]).is_empty());
        // Three pieces are too few to tell from a short list.
        let mut v: Vec<(&str, ItemKind)> = words[..3].iter().map(|w| (*w, P)).collect();
        v.push(("Balance at January 1, 2022 $5,061 $9,052", R));
        assert!(hidden(&items(&v), &new, &partner[2..], &[false; 4]).is_empty());
    }

    #[test]
    fn index_entry_number_split_from_its_title_is_furniture() {
        let old = items(&[
            ("Note 3", R),
            ("Accrued Liabilities", P),
            ("Note 4", R),
            ("Fair Value Measurements", P),
        ]);
        let new = items(&[
            ("Note 3 Accrued Liabilities", R),
            ("Note 14 Fair Value Measurements", R),
        ]);
        // The title pairs with the joined entry of its own number: the bare
        // number is furniture; under another number it is reported.
        let partner = [None, Some(0), None, Some(1)];
        assert_eq!(hidden(&old, &new, &partner, &[false; 4]), ["Note 3"]);
        // A title that went with its number: both reported.
        let partner = [None, None, None, Some(1)];
        assert!(hidden(&old, &new, &partner, &[false; 4]).is_empty());
    }

    #[test]
    fn running_heading_with_a_glued_entry_number_is_furniture() {
        let head = "Exhibit Description Form File No. Exhibit Filing Date";
        let index = |numbers: &[&str]| {
            let mut v = Vec::new();
            for n in numbers {
                v.push((format!("{head} {n}"), R));
                v.push(("Amended and Restated Bylaws.".to_string(), P));
            }
            v.iter().map(|(t, k)| item(t, *k)).collect::<Vec<_>>()
        };
        let old = index(&["3.1", "4.7", "10.3**", "10.52"]);
        let mut new = index(&["3.1", "4.8", "10.7**"]);
        let partner = [
            Some(0),
            Some(1),
            None,
            Some(3),
            None,
            Some(5),
            None,
            Some(5),
        ];
        assert_eq!(
            hidden(&old, &new, &partner, &[false; 8]),
            [
                format!("{head} 4.7"),
                format!("{head} 10.3**"),
                format!("{head} 10.52")
            ]
        );
        // The heading alone on the new version's last page counts.
        new[4] = item(head, P);
        assert_eq!(hidden(&old, &new, &partner, &[false; 8]).len(), 3);
        // Fewer than three copies in the new version: reported.
        let new = index(&["3.1", "4.8"]);
        let partner = [Some(0), Some(1), None, Some(3), None, Some(3), None, None];
        assert!(hidden(&old, &new, &partner, &[false; 8]).is_empty());
        // A total row repeated in every table, and a label in sentence
        // case with a decimal: rows, reported.
        for row in ["Total Net Revenues $ 1,234", "Weighted average rate 4.2"] {
            let old = items(&[(row, R), (row, R), (row, R)]);
            let new = old.clone();
            assert!(hidden(&old, &new, &[Some(0), None, None], &[false; 3]).is_empty());
        }
    }

    #[test]
    fn align_reports_no_furniture() {
        use crate::align::{AlignConfig, align, split_items};
        let old = "Gross margin increased 110 basis points to 44.6% due to the following:\n\n\
                   The increase in gross margin for fiscal 2024 was primarily due to:\n\n\
                   - Higher full-price ASP, net of discounts, in every geography.\n\n\
                   - Lower ocean freight and logistics costs.\n";
        let new = "Gross margin decreased 190 basis points to 42.7% due to the following:\n\n\
                   - Higher full-price ASP, net of discounts, in every geography.\n\n\
                   - Lower ocean freight and logistics costs.\n";
        let (o, n) = (split_items(old, 0), split_items(new, 0));
        let al = align(&o, &n, &AlignConfig::default());
        assert_eq!(al.dropped().count(), 0);
        assert_eq!(al.entries.len(), 3);
    }
}
