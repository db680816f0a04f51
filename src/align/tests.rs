//! Alignment unit tests: one `check` helper renders an alignment as
//! `STATUS old-text -> new-text` lines so each test reads as its expectation.

use super::*;

fn render(old: &str, new: &str, cfg: &AlignConfig) -> Vec<String> {
    let (o, n) = (split_items(old, 0), split_items(new, 0));
    align(&o, &n, cfg)
        .entries
        .iter()
        .map(|e| {
            let side = |i: Option<usize>, items: &[Item]| {
                i.map_or("-".to_string(), |i| items[i].text.clone())
            };
            format!("{:?} {} -> {}", e.status, side(e.old, &o), side(e.new, &n))
        })
        .collect()
}

/// The dropped old items as a reader quotes them (list markers off).
fn dropped_texts<'a>(a: &Alignment, o: &'a [Item]) -> Vec<&'a str> {
    a.dropped().map(|e| o[e.old.unwrap()].display()).collect()
}

fn check(old: &str, new: &str, expect: &[&str]) {
    assert_eq!(render(old, new, &AlignConfig::default()), expect);
}

#[test]
fn self_alignment_drops_nothing() {
    let text = "# A\n\nOne.\n\nTwo.\n\n- three\n\n| four | 4 |\n\nOne.\n";
    let items = split_items(text, 0);
    let a = align(&items, &items, &AlignConfig::default());
    assert!(a.entries.iter().all(|e| e.status == Status::Kept));
    assert_eq!(a.entries.len(), items.len());
}

#[test]
fn reorder_is_kept_and_section_change_is_moved() {
    check(
        "# A\n\nAlpha para.\n\nBeta para.\n\n# B\n\nGamma para.",
        "# A\n\nBeta para.\n\nAlpha para.\n\n# C\n\nGamma para.",
        &[
            "Kept Alpha para. -> Alpha para.",
            "Kept Beta para. -> Beta para.",
            "Moved Gamma para. -> Gamma para.",
        ],
    );
}

#[test]
fn near_twin_drop_is_found() {
    check(
        "Project in Moyu County with 967 cameras.\n\nProject in Pishan County with 967 cameras.",
        "Project in Pishan County with 967 cameras.",
        &[
            "Dropped Project in Moyu County with 967 cameras. -> -",
            "Kept Project in Pishan County with 967 cameras. -> Project in Pishan County with 967 cameras.",
        ],
    );
}

#[test]
fn dropped_reports_best_near_match() {
    let o = split_items("Project in Moyu County.\n\nProject in Pishan County.", 0);
    let n = split_items("Project in Pishan County.", 0);
    let a = align(&o, &n, &AlignConfig::default());
    let d: Vec<&Entry> = a.dropped().collect();
    assert_eq!(d.len(), 1);
    let (j, s) = d[0].best.unwrap();
    assert_eq!(j, 0);
    assert!((s - 2.0 * 2.2 / 6.4).abs() < 1e-9, "{s}");
}

#[test]
fn table_rows_with_all_figures_changed() {
    check(
        "Pension benefits 1,178 1,146\n\nOther benefits 1,162 1,095",
        "Other benefits 1,200 1,162\n\nPension benefits 1,190 1,178",
        &[
            "Changed Pension benefits 1,178 1,146 -> Pension benefits 1,190 1,178",
            "Changed Other benefits 1,162 1,095 -> Other benefits 1,200 1,162",
        ],
    );
}

#[test]
fn rewording_is_changed_and_unrelated_is_added() {
    check(
        "We believe our suppliers can meet the demand for titanium parts.",
        "We expect that our suppliers can meet demand for titanium parts.\n\nAn unrelated new paragraph about weather.",
        &[
            "Changed We believe our suppliers can meet the demand for titanium parts. -> We expect that our suppliers can meet demand for titanium parts.",
            "Added - -> An unrelated new paragraph about weather.",
        ],
    );
}

#[test]
fn merged_paragraphs_are_changed_not_dropped() {
    let p1 = "The company sells commercial airplanes to airlines around the world through long term contracts.";
    let p2 = "Defense programs depend on government appropriations that may be delayed by budget negotiations in Congress.";
    check(
        &format!("{p1}\n\n{p2}"),
        &format!("{p1} {p2}"),
        &[
            &format!("Changed {p1} -> {p1} {p2}"),
            &format!("Changed {p2} -> {p1} {p2}"),
        ],
    );
}

#[test]
fn year_bump_kept_with_volatile_years() {
    let cfg = AlignConfig::default().with_years(&[2023, 2024]);
    assert_eq!(
        render(
            "We expect growth in 2023.",
            "We expect growth in 2024.",
            &cfg
        ),
        ["Kept We expect growth in 2023. -> We expect growth in 2024."]
    );
    assert_eq!(
        render(
            "We expect growth in 2023.",
            "We expect growth in 2024.",
            &AlignConfig::default()
        )[0]
        .split(' ')
        .next(),
        Some("Changed")
    );
}

#[test]
fn added_items_follow_their_anchor() {
    check(
        "One.\n\nTwo.",
        "Zero new.\n\nOne.\n\nOne and a half new.\n\nTwo.\n\nThree new.",
        &[
            "Added - -> Zero new.",
            "Kept One. -> One.",
            "Added - -> One and a half new.",
            "Kept Two. -> Two.",
            "Added - -> Three new.",
        ],
    );
}

/// Issue 3, point 6: a yearly rewrite keeps its topic sentence with new
/// figures and cuts the rest (real Boeing FY2023 → FY2024 wording).
#[test]
fn yearly_rewrite_with_new_figures_is_changed() {
    check(
        "As of December 31, 2023, we had approximately 140 737-8 aircraft in inventory that were produced prior to 2023, including 85 aircraft for customers in China. Return-to-service of the China 737 MAX fleet is complete. While there continues to be uncertainty, we are continuing to work with airlines and government officials on delivery timing and expect to deliver most of the aircraft in inventory by the end of 2024. In the event that we are unable to deliver aircraft consistent with our assumptions, our financial position, results of operations and cash flows could be adversely affected.",
        "As of December 31, 2024, we had approximately 55 737-8 aircraft in inventory that were produced prior to 2023, including approximately 40 aircraft for customers in China. We expect to deliver these aircraft in 2025.",
        &[
            "Changed As of December 31, 2023, we had approximately 140 737-8 aircraft in inventory that were produced prior to 2023, including 85 aircraft for customers in China. Return-to-service of the China 737 MAX fleet is complete. While there continues to be uncertainty, we are continuing to work with airlines and government officials on delivery timing and expect to deliver most of the aircraft in inventory by the end of 2024. In the event that we are unable to deliver aircraft consistent with our assumptions, our financial position, results of operations and cash flows could be adversely affected. -> As of December 31, 2024, we had approximately 55 737-8 aircraft in inventory that were produced prior to 2023, including approximately 40 aircraft for customers in China. We expect to deliver these aircraft in 2025.",
        ],
    );
}

/// A sentence that survives only in a twin already paired with its own
/// counterpart does not save a dropped item.
#[test]
fn surviving_sentence_of_a_kept_twin_does_not_save_a_drop() {
    check(
        "The Moyu County project installed cameras at 967 mosque entrances in the county.\n\nThe Pishan County project installed cameras at 967 mosque entrances in the county.",
        "The Pishan County project installed cameras at 967 mosque entrances in the county.",
        &[
            "Dropped The Moyu County project installed cameras at 967 mosque entrances in the county. -> -",
            "Kept The Pishan County project installed cameras at 967 mosque entrances in the county. -> The Pishan County project installed cameras at 967 mosque entrances in the county.",
        ],
    );
}

/// A column heading repeated on every page of a long table: fewer copies
/// in the new version are not a dropped disclosure.
#[test]
fn repeated_column_heading_with_fewer_copies_is_not_dropped() {
    check(
        "Exhibit\n\nFirst agreement.\n\nExhibit\n\nSecond agreement.",
        "Exhibit\n\nFirst agreement.\n\nSecond agreement.",
        &[
            "Kept Exhibit -> Exhibit",
            "Kept First agreement. -> First agreement.",
            "Kept Exhibit -> Exhibit",
            "Kept Second agreement. -> Second agreement.",
        ],
    );
}

/// Issue 3, point 6 (Nike FY2024 → FY2025): the segment table moved into
/// another layout, and the same row stands in a table whose columns moved
/// on by a year; a row changed in place (near-twin) is still dropped.
#[test]
fn table_row_shifted_by_a_year_is_changed_but_twin_row_is_dropped() {
    check(
        "North America $ 21,396 $ 21,608 $ 18,353\n\nGreater China 7,545 7,248 7,547",
        "North America $ 19,572 $ 21,396 -9 % $ 21,608 -1 %\n\nNet income 1,000 2,000 3,000",
        &[
            "Changed North America $ 21,396 $ 21,608 $ 18,353 -> North America $ 19,572 $ 21,396 -9 % $ 21,608 -1 %",
            "Added - -> Net income 1,000 2,000 3,000",
            "Dropped Greater China 7,545 7,248 7,547 -> -",
        ],
    );
    check(
        "Greater China 7,545 7,248 7,547\n\nGreater China 7,545 7,248 7,999",
        "Greater China 7,545 7,248 7,547",
        &[
            "Kept Greater China 7,545 7,248 7,547 -> Greater China 7,545 7,248 7,547",
            "Dropped Greater China 7,545 7,248 7,999 -> -",
        ],
    );
}

fn figs(s: &str) -> Vec<String> {
    s.split_whitespace().map(str::to_string).collect()
}

#[test]
fn shifted_row_figures() {
    use super::aligner::shifted;
    // A year column added at the front, change columns moved along.
    assert!(shifted(
        &figs("27758 27397 1 2 25608 7 14"),
        &figs("25883 27758 7 6 27397 1 2")
    ));
    // A two-column balance moved on by a year.
    assert!(shifted(&figs("5000 5081"), &figs("4828 5000")));
    // A near-twin (one figure changed in place) is not shifted.
    assert!(!shifted(&figs("1178 1146"), &figs("1185 1146")));
    // Nor a row whose first figure repeats in place.
    assert!(!shifted(
        &figs("1753 1753 109 109"),
        &figs("1753 1753 1753")
    ));
    // One small figure lining up by chance is not enough.
    assert!(!shifted(&figs("12 16"), &figs("9 12")));
    // Oldest year first (`2022 2023 2024` → `2023 2024 2025`): the row
    // opens with the old second figure, the old first is gone.
    assert!(shifted(&figs("811 1036 722"), &figs("1036 722 430")));
    assert!(shifted(&figs("5081 5000"), &figs("5000 4828")));
    assert!(!shifted(&figs("16 12"), &figs("12 9")));
    // The old first figure still there: not a year let go.
    assert!(!shifted(&figs("811 1036 722"), &figs("1036 722 811")));
}

#[test]
fn list_item_cut_down_is_changed() {
    check(
        "- Decreased retail traffic as a result of store closures and reduced hours;\n\n- Higher costs of borrowing for our customers;",
        "- Decreased retail traffic;\n\n- Higher costs of borrowing for our customers;",
        &[
            "Changed - Decreased retail traffic as a result of store closures and reduced hours; -> - Decreased retail traffic;",
            "Kept - Higher costs of borrowing for our customers; -> - Higher costs of borrowing for our customers;",
        ],
    );
}

#[test]
fn rewrite_in_place_after_a_distinctive_opening_is_changed() {
    let old = "# A\n\nFirst stays.\n\nEliminations and other unallocated items was largely unchanged in 2023. Eliminations and other unallocated expense increased in 2022 due to a settlement.\n\nLast stays.";
    let new = "# A\n\nFirst stays.\n\nEliminations and other unallocated items expense increased in 2024 primarily due to a fine. Eliminations and other unallocated items was largely unchanged in 2023 compared to 2022.\n\nLast stays.";
    let r = render(old, new, &AlignConfig::default());
    assert!(r[1].starts_with("Changed Eliminations"), "{r:?}");
}

#[test]
fn a_twice_printed_item_shares_its_counterpart() {
    let r = render(
        "Revenue rose on strong demand in all regions, 5,000 units.\n\nOther text here.\n\nRevenue rose on strong demand in all regions, 5,000 units.",
        "Revenue rose on strong demand in all regions, 6,000 units.\n\nOther text here.",
        &AlignConfig::default(),
    );
    assert!(r.iter().all(|l| !l.starts_with("Dropped")), "{r:?}");
}

#[test]
fn a_paragraph_that_keeps_a_whole_sentence_is_changed() {
    let old = "767 Program The accounting quantity for the 767 program increased by 12 units during 2023 due to new orders. The 767 assembly line includes the commercial program and a derivative to support the KC-46A Tanker program. The commercial program has near break-even gross margins.";
    let new = "767 Program The 767 assembly line includes the commercial program and a derivative to support the KC-46A Tanker program. We are targeting a production rate of approximately 3 aircraft per month after the work stoppage ended in December.";
    let r = render(old, new, &AlignConfig::default());
    assert!(r[0].starts_with("Changed"), "{r:?}");
}

#[test]
fn near_twin_list_item_with_same_opening_is_still_dropped() {
    check(
        "- Police project in Moyu County with cameras and checkpoints\n\n- Police project in Pishan County with cameras and checkpoints",
        "- Police project in Pishan County with cameras and checkpoints",
        &[
            "Dropped - Police project in Moyu County with cameras and checkpoints -> -",
            "Kept - Police project in Pishan County with cameras and checkpoints -> - Police project in Pishan County with cameras and checkpoints",
        ],
    );
}

#[test]
fn glued_footnote_mark_is_the_same_item() {
    check(
        "Hedging policy stands here.\n\nNET INVESTMENT HEDGES\n\nOther text stays.",
        "Hedging policy stands here.\n\nNET INVESTMENT HEDGES(1)\n\nOther text stays.",
        &[
            "Kept Hedging policy stands here. -> Hedging policy stands here.",
            "Changed NET INVESTMENT HEDGES -> NET INVESTMENT HEDGES(1)",
            "Kept Other text stays. -> Other text stays.",
        ],
    );
}

#[test]
fn renamed_heading_and_rewrite_in_the_same_slot_are_changed() {
    let keep1 = "The first paragraph stays exactly as it was written last year.";
    let keep2 = "The second paragraph also stays exactly as it was written last year.";
    let old = format!(
        "{keep1}\n\nNOTE 15 — OPERATING SEGMENTS AND RELATED INFORMATION\n\n\
         Cash provided by operations was an inflow of $7,429 million for fiscal 2024, driven by higher net income and working capital.\n\n{keep2}"
    );
    let new = format!(
        "{keep1}\n\nNOTE 15 — SEGMENT INFORMATION\n\n\
         Cash provided by operating activities decreased $3,731 million, driven by lower net income and changes in working capital.\n\n{keep2}"
    );
    let r = render(&old, &new, &AlignConfig::default());
    assert!(r[1].starts_with("Changed NOTE 15"), "{r:?}");
    assert!(r[2].starts_with("Changed Cash provided"), "{r:?}");
}

#[test]
fn table_printed_transposed_is_changed() {
    let old = "Segment figures follow.\n\nDEPRECIATION\n\n\
               North America $ 152 $ 128\nEurope 146 120\nGreater China 56 54\nConverse 17 17\nTOTAL DEPRECIATION $ 371 $ 319\n\n\
               ADDITIONS\n\n\
               North America $ 102 $ 283\nEurope 206 215\nGreater China 27 56\nConverse 7 7\nTOTAL ADDITIONS $ 342 $ 561";
    let new = "Segment figures follow.\n\nYEAR 2024\n\n\
               Depreciation and amortization(2) $ 152 146 56 17 $ 371\n\nRevenue $ 1,000 900 800 700 $ 3,400";
    let r: Vec<String> = render(old, new, &AlignConfig::default())
        .into_iter()
        .filter(|l| !l.starts_with("Added"))
        .collect();
    assert!(r[1..=6].iter().all(|l| l.starts_with("Changed")), "{r:?}");
    // The additions table is not in the new version: its rows are Dropped,
    // its heading `ADDITIONS`, standing between rows, is a column heading
    // and not reported.
    assert_eq!(r.len(), 12, "{r:?}");
    assert!(r[7..=11].iter().all(|l| l.starts_with("Dropped")), "{r:?}");
    assert!(!r.iter().any(|l| l.contains("ADDITIONS ->")), "{r:?}");
}

#[test]
fn copy_key_ignores_case_emphasis_list_markers_and_glued_footnote_marks() {
    use crate::align::copy_key;
    let key = |t: &str| {
        let items = split_items(t, 0);
        assert_eq!(items.len(), 1, "{t}");
        copy_key(&items[0])
    };
    assert_eq!(
        key("NET INVESTMENT HEDGES(1)"),
        key("Net investment *hedges*")
    );
    assert_eq!(key("Pis*han"), key("Pishan"));
    assert_eq!(key("12) Pishan county"), key("- Pishan county"));
    // A bracketed figure after a space is data, and a changed word is a change.
    assert_ne!(key("Revenue (28)"), key("Revenue"));
    assert_ne!(key("Pis han"), key("Pishan"));
}

#[test]
fn labelled_entries_reordered_and_rewritten_are_changed() {
    // A list of programmes reordered under new headings, each entry
    // rewritten under its label: no entry is dropped but the one whose
    // label is gone.
    let old = "Programs\n\n\
•Internships – Annually, Tesla hires over 6,000 university and college students from around the world for internships.\n\n\
•Military Fellowship and Transition Programs – The programs offer exiting military service members career guidance on transitioning into the civil workforce.\n\n\
•Apprenticeships – Tesla Apprenticeships are offered globally, providing academic and on-the-job training to prepare specialists in skilled trades.\n\n\
•Night School – Employees attend evening classes in welding paid for by the company every winter term.\n";
    let new = "Technical Programs\n\n\
•Apprenticeships – The Tesla Apprenticeships are multi-year global programs combining academic and on-the-job training for specialists in skilled trades.\n\n\
Internships & Fellowships\n\n\
•Military Fellowship Program – Tesla's Fellowship program offers exiting military service members corporate industry experience during their transition.\n\n\
•Professional Internships – Every year, Tesla hires approximately 4,000 university and community college students globally for internships.\n";
    let (o, n) = (split_items(old, 0), split_items(new, 0));
    let a = align(&o, &n, &AlignConfig::default());
    let dropped = dropped_texts(&a, &o);
    assert_eq!(
        dropped,
        [
            "Night School – Employees attend evening classes in welding paid for by the company every winter term."
        ]
    );
    for e in a.entries.iter().filter(|e| e.status == Status::Changed) {
        let (ot, nt) = (&o[e.old.unwrap()].text, &n[e.new.unwrap()].text);
        let first = |t: &str| {
            t.trim_start_matches('•')
                .split_whitespace()
                .next()
                .unwrap()
                .to_string()
        };
        // Each entry is paired with the entry of its own label.
        assert!(
            nt.contains(&first(ot)) || ot.contains(&first(nt).trim_end_matches('s').to_string()),
            "{ot} -> {nt}"
        );
    }
}

#[test]
fn glued_program_headings_pair_by_label_not_by_template() {
    // Two paragraphs of one template; the 787 one is rewritten at length in
    // the new version, so the 777 one is closer to it by words than to its
    // own successor. The label decides.
    let old = "787 Program The accounting quantity for the 787 program increased by 100 units during 2023 due to the program's normal progress of obtaining additional orders and delivering airplanes.\n\n\
777 and 777X Programs The accounting quantity for the 777X program increased by 100 units during 2023 due to obtaining additional orders for the 777-9 and 777-8.\n";
    let new = "777 and 777X Programs The accounting quantity for the 777 program increased by 32 units during 2024, due to the program's normal progress of obtaining additional orders and delivering airplanes. The accounting quantity for the 777X program remained unchanged during 2024.\n\n\
787 Program The accounting quantity for the 787 program increased by 100 units during 2024, due to the program's normal progress of obtaining additional orders and delivering airplanes. During 2024, we slowed production to below 5 per month due to supply chain constraints as well as other production issues, and we expect to reach 7 per month in 2025.\n";
    let (o, n) = (split_items(old, 0), split_items(new, 0));
    let a = align(&o, &n, &AlignConfig::default());
    for e in &a.entries {
        let (Some(i), Some(j)) = (e.old, e.new) else {
            panic!("unpaired: {e:?}");
        };
        assert_eq!(
            o[i].text[..3],
            n[j].text[..3],
            "{} -> {}",
            o[i].text,
            n[j].text
        );
    }
}

#[test]
fn one_paragraph_rewritten_between_kept_neighbours_is_changed_if_on_its_subject() {
    let keep_a = "Our cash and investments at year end were sufficient for the operations of the next twelve months and beyond.";
    let keep_b = "We expect to fund pension contributions from operating cash flows in each of the coming years as required.";
    let old_ratings = "Our credit ratings were downgraded in 2020 and remained unchanged as of December 31, 2023. During the fourth quarter, Fitch upgraded our outlook from stable to positive.";
    let new_ratings = "We currently maintain investment grade credit ratings; however, Moody's downgraded our short term ratings to Baa3 in April 2024 and placed them on review.";
    let new_other = "We currently maintain a share repurchase program; however, the board suspended purchases in April 2024 and placed them under review.";
    let text = |mid: &str| format!("{keep_a}\n\n{mid}\n\n{keep_b}\n");
    // The same subject (credit ratings), few words in common: Changed.
    check(
        &text(old_ratings),
        &text(new_ratings),
        &[
            &format!("Kept {keep_a} -> {keep_a}"),
            &format!("Changed {old_ratings} -> {new_ratings}"),
            &format!("Kept {keep_b} -> {keep_b}"),
        ],
    );
    // Another subject in the same place: the old paragraph is dropped.
    check(
        &text(old_ratings),
        &text(new_other),
        &[
            &format!("Kept {keep_a} -> {keep_a}"),
            &format!("Added - -> {new_other}"),
            &format!("Dropped {old_ratings} -> -"),
            &format!("Kept {keep_b} -> {keep_b}"),
        ],
    );
}

/// A table that is gone: its rows and its caption (a sentence ending with
/// `:`) are Dropped, its column headings are no disclosure and have no
/// entry; a heading followed by prose is still Dropped.
#[test]
fn gone_table_column_headings_are_not_reported() {
    let old = "Our inventory is stated at the lower of cost and net realizable value.\n\n\
               The fair values of our convertible notes were as follows (in millions):\n\n\
               Carrying Value Fair Value Carrying Value Fair Value\n\n\
               2024 Notes $ 37 $ 443 $ 37 $ 223\n\n\
               Digital assets, net $ 184 $ 487 $ 184 $ 191\n\n\
               DIVERSITY, EQUITY AND INCLUSION\n\n\
               We remain committed to an inclusive workplace for every teammate.\n\n\
               We have no other financial instruments measured at fair value.\n";
    let new = "Our inventory is stated at the lower of cost and net realizable value.\n\n\
               We have no other financial instruments measured at fair value.\n";
    check(
        old,
        new,
        &[
            "Kept Our inventory is stated at the lower of cost and net realizable value. -> Our inventory is stated at the lower of cost and net realizable value.",
            "Dropped The fair values of our convertible notes were as follows (in millions): -> -",
            "Dropped 2024 Notes $ 37 $ 443 $ 37 $ 223 -> -",
            "Dropped Digital assets, net $ 184 $ 487 $ 184 $ 191 -> -",
            "Dropped DIVERSITY, EQUITY AND INCLUSION -> -",
            "Dropped We remain committed to an inclusive workplace for every teammate. -> -",
            "Kept We have no other financial instruments measured at fair value. -> We have no other financial instruments measured at fair value.",
        ],
    );
}

/// A new table's column headings are not reported Added either, and a
/// column heading that stays is paired like any item.
#[test]
fn new_table_column_headings_are_not_added() {
    let old = "Restructuring charges were classified as follows:\n\n\
               TWELVE MONTHS ENDED MAY 31, 2024\n\n\
               OPERATING OVERHEAD EXPENSE\n\n\
               Employee severance and related costs $ 336\n";
    let new = "Restructuring charges were classified as follows:\n\n\
               TWELVE MONTHS ENDED MAY 31, 2024\n\n\
               OPERATING OVERHEAD EXPENSE\n\n\
               Employee severance and related costs $ 336\n\n\
               There were no further charges in the year.\n\n\
               Lease costs were as follows:\n\n\
               CARRYING VALUE FAIR VALUE\n\n\
               Operating leases $ 12 $ 14\n";
    check(
        old,
        new,
        &[
            "Kept Restructuring charges were classified as follows: -> Restructuring charges were classified as follows:",
            "Kept TWELVE MONTHS ENDED MAY 31, 2024 -> TWELVE MONTHS ENDED MAY 31, 2024",
            "Kept OPERATING OVERHEAD EXPENSE -> OPERATING OVERHEAD EXPENSE",
            "Kept Employee severance and related costs $ 336 -> Employee severance and related costs $ 336",
            "Added - -> There were no further charges in the year.",
            "Added - -> Lease costs were as follows:",
            "Added - -> Operating leases $ 12 $ 14",
        ],
    );
}

/// A column heading whose table stays is reported like any item: the
/// table's columns changed.
#[test]
fn column_heading_of_a_table_that_stays_is_reported() {
    let old = "The fair values of our notes were as follows:\n\n\
               Carrying Value Fair Value\n\n\
               2024 Notes $ 37 $ 443\n";
    let new = "The fair values of our notes were as follows:\n\n\
               Principal Outstanding\n\n\
               2024 Notes $ 37 $ 443\n";
    check(
        old,
        new,
        &[
            "Kept The fair values of our notes were as follows: -> The fair values of our notes were as follows:",
            "Added - -> Principal Outstanding",
            "Dropped Carrying Value Fair Value -> -",
            "Kept 2024 Notes $ 37 $ 443 -> 2024 Notes $ 37 $ 443",
        ],
    );
}

#[test]
fn rewrite_in_its_own_slot_keeps_its_successor_from_another_list() {
    // Nike FY2024 -> FY2025: a consolidated gross-margin driver and the
    // Converse section's gross-margin bullet are both rewritten. The new
    // Converse bullet shares words with the consolidated driver too; the
    // bullet in its own slot must pair with it, the driver with its own
    // successor.
    let old = "GROSS MARGIN\n\n\
The increase in gross margin for the fiscal year was primarily due to:\n\n\
•Lower NIKE Brand product costs, on a wholesale equivalent basis (increasing gross margin approximately 10 basis points), primarily due to lower ocean freight rates and logistics costs largely offset by higher product input costs; and\n\n\
•Lower other costs (increasing gross margin approximately 10 basis points).\n\n\
CONVERSE\n\n\
Reported EBIT decreased 30% reflecting lower revenues and the following:\n\n\
•Gross margin contraction of approximately 130 basis points due to unfavorable changes in standard foreign currency exchange rates, lower full-price ASP, net of discounts, higher other costs and lower margin in direct to consumer, partially offset by lower ocean freight rates.\n\n\
•Selling and administrative expense decreased due to lower operating overhead expense.\n";
    let new = "GROSS MARGIN\n\n\
The increase in gross margin for the fiscal year was primarily due to:\n\n\
•Lower NIKE Brand product costs (increasing gross margin approximately 80 basis points);\n\n\
•Lower other costs (increasing gross margin approximately 10 basis points).\n\n\
CONVERSE\n\n\
Reported EBIT decreased 30% reflecting lower revenues and the following:\n\n\
•Gross margin contraction of approximately 380 basis points due to lower ASP and higher warehousing and logistics costs, partially offset by lower product costs. Lower ASP primarily reflects higher discounts.\n\n\
•Selling and administrative expense decreased due to lower operating overhead expense.\n";
    // The two lists stand apart, as in the filing (other segments between).
    let between: String = (1..=9)
        .map(|k| {
            format!(
                "Segment {k} revenues were discussed with the figures of region number {k}.\n\n"
            )
        })
        .collect();
    let (old, new) = (
        old.replacen("CONVERSE", &format!("{between}CONVERSE"), 1),
        new.replacen("CONVERSE", &format!("{between}CONVERSE"), 1),
    );
    let (o, n) = (split_items(&old, 0), split_items(&new, 0));
    let a = align(&o, &n, &AlignConfig::default());
    let dropped = dropped_texts(&a, &o);
    assert!(dropped.is_empty(), "{dropped:?}");
    for e in &a.entries {
        if let (Some(i), Some(j)) = (e.old, e.new) {
            assert_eq!(o[i].section, n[j].section, "{} -> {}", o[i].text, n[j].text);
        }
    }
}

#[test]
fn bullets_cut_down_in_their_list_are_changed() {
    // Nike FY2024 -> FY2025: a risk factor's list of pandemic impacts cut
    // down to a few words per bullet; the bullet whose topic is gone is
    // still dropped.
    let old = "The pandemic has had, and may have, impacts including:\n\n\
•Impacts to our distribution and logistics providers' ability to operate, including labor and container shortages, and increases in their operating costs. These supply chain effects have had an adverse effect on our ability to meet consumer demand;\n\n\
•Reduced consumer demand for our products, including as a result of a rise in unemployment rates, higher costs of borrowing, inflation and diminished consumer confidence;\n\n\
•Incremental costs resulting from the adoption of preventative measures, including providing facial coverings and hand sanitizer;\n\n\
Any of these factors could affect our results of operations.\n";
    let new = "The pandemic has had, and may have, impacts including:\n\n\
•Supply chain impacts;\n\n\
•Reduced consumer demand for, or spend on, our products;\n\n\
Any of these factors could affect our results of operations.\n";
    let (o, n) = (split_items(old, 0), split_items(new, 0));
    let a = align(&o, &n, &AlignConfig::default());
    let dropped = dropped_texts(&a, &o);
    assert_eq!(
        dropped,
        [
            "Incremental costs resulting from the adoption of preventative measures, including providing facial coverings and hand sanitizer;"
        ]
    );
    assert_eq!(a.count(Status::Changed), 2);
}

#[test]
fn two_paragraphs_merged_into_one_elsewhere_are_changed() {
    // Nike FY2024 -> FY2025: the DE&I section's two paragraphs condensed
    // into one paragraph of the culture section, earlier in the filing.
    let p1 = "Diversity, equity and inclusion (\"DE&I\") is a strategic priority for NIKE and we are committed to having an inclusive and diverse team and culture. We aim to foster an inclusive and accessible workplace through recruitment, development and retention of talent from diverse experiences and backgrounds with the goal of expanding representation across all dimensions of diversity over the long term. We remain committed to the targets announced in fiscal 2021 for the Company to work toward by fiscal 2025, including diverse representation in our corporate workforce and leadership positions.";
    let p2 = "We continue our efforts to recruit talent through our traditional channels and through initiatives, such as partnerships with athletes and sports-related organizations to create apprenticeship programs and new partnerships with organizations, colleges and universities that serve diverse populations. Additionally, we are prioritizing DE&I education so that all NIKE employees and leaders have the cultural knowledge and understanding to lead inclusively and build diverse and inclusive teams. We also have Employee Networks, collectively known as NikeUNITED, representing various employee groups.";
    let merged = "We are committed to having an inclusive and diverse team and culture, and accessible workplace. We achieve this through recruitment, development and retention of qualified talent with diverse experiences, backgrounds and perspectives through traditional channels, initiatives and partnerships, including those that serve colleges and universities. Additionally, we provide access to education so that all NIKE employees and leaders have the cultural knowledge and understanding to lead inclusively and build diverse and inclusive teams. We also have employee resource groups, collectively known as NikeUNITED, that promote NIKE cultural awareness and are open to all.";
    let unrelated = "Our compensation program rewards employees for their contributions with base pay, incentives and stock awards.";
    let old = format!(
        "CULTURE\n\n{unrelated}\n\nBENEFITS\n\nWe offer health plans.\n\nINCLUSION\n\n{p1}\n\n{p2}\n"
    );
    let new = format!("CULTURE\n\n{unrelated}\n\n{merged}\n\nBENEFITS\n\nWe offer health plans.\n");
    let (o, n) = (split_items(&old, 0), split_items(&new, 0));
    let a = align(&o, &n, &AlignConfig::default());
    // The section's heading is gone; its two paragraphs are not.
    let dropped = dropped_texts(&a, &o);
    assert_eq!(dropped, ["INCLUSION"]);
    for p in [p1, p2] {
        let e = a
            .entries
            .iter()
            .find(|e| e.old.is_some_and(|i| o[i].text == p))
            .unwrap();
        assert_eq!(e.status, Status::Changed, "{p}");
        assert_eq!(n[e.new.unwrap()].text, merged);
    }
}

#[test]
fn table_rows_restated_in_a_sentence_are_changed_but_a_changed_figure_is_dropped() {
    let old = "Restructuring charges were as follows:\n\n\
               Total pre-tax restructuring charges $ 379 $ 64 $ 443\n\
               Cash payments (123)\n\
               Employee severance and related costs $ 336 $ 56 $ 392\n\n\
               The Company streamlined its organization in fiscal 2024.";
    let new = "The Company streamlined its organization in fiscal 2024.\n\nIt recognized pre-tax \
               restructuring charges of $443 million, of which $379 million was classified in \
               operating overhead and $64 million in cost of sales. The related cash payments \
               were $123 million, and $390 million related to employee severance costs.";
    let (o, n) = (split_items(old, 0), split_items(new, 0));
    let a = align(&o, &n, &AlignConfig::default());
    // The severance row's 336 and 56 are not in the sentence (and 392 is
    // now 390): that split is no longer disclosed.
    assert_eq!(
        dropped_texts(&a, &o),
        [
            "Restructuring charges were as follows:",
            "Employee severance and related costs $ 336 $ 56 $ 392"
        ]
    );
    let restated: Vec<&str> = a
        .entries
        .iter()
        .filter(|e| e.basis == Basis::Restated)
        .map(|e| o[e.old.unwrap()].text.as_str())
        .collect();
    assert_eq!(
        restated,
        [
            "Total pre-tax restructuring charges $ 379 $ 64 $ 443",
            "Cash payments (123)"
        ]
    );
}

#[test]
fn a_row_whose_label_names_another_thing_is_not_restated() {
    // The figures stand in the sentence, but `Moyu` does not: another
    // project's row.
    check(
        "Contract value of the Moyu county project 1,250 880\n\nProjects: the Luopu county project contract value was 1,250 and 880 before, as the annual report of that year disclosed in full.",
        "Projects: the Luopu county project contract value was 1,250 and 880 before, as the annual report of that year disclosed in full.",
        &[
            "Dropped Contract value of the Moyu county project 1,250 880 -> -",
            "Kept Projects: the Luopu county project contract value was 1,250 and 880 before, as the annual report of that year disclosed in full. -> Projects: the Luopu county project contract value was 1,250 and 880 before, as the annual report of that year disclosed in full.",
        ],
    );
}

/// Filler paragraphs, each on its own subject, so that the test texts have
/// enough items for "rare" to mean something (one item in a hundred).
fn filler(n: usize) -> String {
    (0..n)
        .map(|k| format!("Filler paragraph number {k} about topic{k} stands here unchanged.\n\n"))
        .collect()
}

#[test]
fn two_paragraphs_merged_though_not_neighbours_are_changed() {
    let old = format!(
        "{}# Risks\n\n\
         Climate change and other sustainability-related matters may have an adverse impact on our business and results of operations.\n\n\
         Body of the first risk stays exactly as it was written last year.\n\n\
         Extreme weather conditions and natural disasters could negatively impact our operating results and financial condition.\n\n\
         Body of the second risk stays exactly as it was written last year.\n\n",
        filler(120)
    );
    let new = format!(
        "{}# Risks\n\n\
         Climate change, extreme weather conditions and natural disasters may have an adverse impact on our business and results of operations.\n\n\
         Body of the first risk stays exactly as it was written last year.\n\n\
         Body of the second risk stays exactly as it was written last year.\n\n",
        filler(120)
    );
    let (o, n) = (split_items(&old, 0), split_items(&new, 0));
    let a = align(&o, &n, &AlignConfig::default());
    assert!(
        dropped_texts(&a, &o).is_empty(),
        "{:?}",
        dropped_texts(&a, &o)
    );
    let merged = n
        .iter()
        .position(|i| i.text.starts_with("Climate change,"))
        .unwrap();
    let into: Vec<&str> = a
        .entries
        .iter()
        .filter(|e| e.new == Some(merged))
        .map(|e| o[e.old.unwrap()].text.as_str())
        .collect();
    assert_eq!(into.len(), 2, "{into:?}");
}

/// Kept neighbours around a slot, so that the slot is one old and one new
/// item (or a heading and its body) between them.
const BEFORE: &str =
    "Our business is subject to extensive regulation by many government agencies around the world.";
const AFTER: &str = "Substantial pension obligations have a material impact on our earnings and our shareholders' equity.";

#[test]
fn a_reworded_heading_whose_body_is_kept_is_changed() {
    let body = "We depend, in part, upon the issuance of debt to fund our operations and contractual commitments. As of December 31, our debt totaled $52.3 billion, of which $17.7 billion falls due over the next three years.";
    let old =
        format!("{BEFORE}\n\nWe may be unable to obtain debt at fair rates.\n\n{body}\n\n{AFTER}");
    // Fewer than six content words each: no statements for the slot phase.
    let new =
        format!("{BEFORE}\n\nWe may be unable to manage our liquidity well.\n\n{body}\n\n{AFTER}");
    let (o, n) = (split_items(&old, 0), split_items(&new, 0));
    let a = align(&o, &n, &AlignConfig::default());
    assert!(dropped_texts(&a, &o).is_empty());
    let e = a.entries.iter().find(|e| e.old == Some(1)).unwrap();
    assert_eq!((e.status, e.new), (Status::Changed, Some(1)));

    // A lead-in (`:`) is no counterpart of a heading sentence (`.`), and a
    // heading that shares no word with the new one stays dropped.
    for heading in [
        "We are unable to manage these:",
        "Cyber attacks could hurt us.",
    ] {
        let new = format!("{BEFORE}\n\n{heading}\n\n{body}\n\n{AFTER}");
        let n = split_items(&new, 0);
        let a = align(&o, &n, &AlignConfig::default());
        assert_eq!(
            dropped_texts(&a, &o),
            ["We may be unable to obtain debt at fair rates."],
            "{heading}"
        );
    }
}

#[test]
fn a_row_keeping_its_only_identifier_in_its_slot_is_changed() {
    let old = format!("{BEFORE}\n\nDelaware 91-2197729\n\n{AFTER}");
    let new = format!("{BEFORE}\n\nTexas 91-2197729\n\n{AFTER}");
    let (o, n) = (split_items(&old, 0), split_items(&new, 0));
    let a = align(&o, &n, &AlignConfig::default());
    assert!(dropped_texts(&a, &o).is_empty());
    // The number elsewhere too says nothing of which row it is.
    let new = format!("{BEFORE}\n\nTexas 91-2197729\n\n{AFTER}\n\nOur EIN is 91-2197729.");
    let n = split_items(&new, 0);
    let a = align(&o, &n, &AlignConfig::default());
    assert_eq!(dropped_texts(&a, &o), ["Delaware 91-2197729"]);
}

#[test]
fn a_paragraph_alone_in_its_slot_sharing_one_rare_word_needs_a_quarter() {
    // One content word in common (`Zephyr`, used by no other item) and
    // function words: similarity between 0.25 and 0.3.
    let old =
        "The Zephyr program was delayed by the weather and by the labor shortages in the winter.";
    let near = "The Zephyr fleet was in service and was certified by the regulators in the spring.";
    let far = "The Zephyr fleet is certified, with regulators praising its record and service.";
    let (o, n) = (split_items(old, 0), split_items(near, 0));
    let s = similarity(&o[0].norm, &n[0].norm);
    let s2 = similarity(&o[0].norm, &split_items(far, 0)[0].norm);
    assert!((0.25..0.3).contains(&s), "{s}");
    assert!(s2 < 0.25, "{s2}");
    let at = |p: &str| format!("{BEFORE}\n\n{p}\n\n{AFTER}");
    let a = align(
        &split_items(&at(old), 0),
        &split_items(&at(near), 0),
        &AlignConfig::default(),
    );
    assert!(a.dropped().next().is_none());
    let o = split_items(&at(old), 0);
    let a = align(&o, &split_items(&at(far), 0), &AlignConfig::default());
    assert_eq!(dropped_texts(&a, &o), [old]);
}

#[test]
fn a_row_whose_label_now_stands_apart_from_its_date_is_changed() {
    let old = "/s/ JOHANNA NIELSEN\n\nJohanna Nielsen\n\nVice President and Corporate Controller July 25, 2024\n\nDIRECTORS:";
    let new = "/s/ JOHANNA NIELSEN\n\nJohanna Nielsen\n\nVice President, Chief Accounting Officer\n\nJuly 17, 2025\n\nDIRECTORS:";
    let (o, n) = (split_items(old, 0), split_items(new, 0));
    let a = align(&o, &n, &AlignConfig::default());
    assert!(dropped_texts(&a, &o).is_empty());
    let e = a.entries.iter().find(|e| e.old == Some(2)).unwrap();
    assert_eq!(
        n[e.new.unwrap()].text,
        "Vice President, Chief Accounting Officer"
    );
    // One word in common is not the same label.
    let new = new.replace("Vice President, Chief", "Senior Director, Chief");
    let n = split_items(&new, 0);
    let a = align(&o, &n, &AlignConfig::default());
    assert_eq!(
        dropped_texts(&a, &o),
        ["Vice President and Corporate Controller July 25, 2024"]
    );
}

#[test]
fn the_rest_of_a_note_condensed_into_one_paragraph_is_changed() {
    let old = "NOTE 19 — RESTRUCTURING\n\n\
               Pre-tax restructuring charges were classified as follows:\n\n\
               Employee severance and related costs $ 336 $ 56 $ 392\n\
               Total pre-tax restructuring charges $ 379 $ 64 $ 443\n\n\
               Employee severance costs are recognized when a future related expense is \
               considered probable and reasonably estimable.\n\n\
               As of May 31, 2024, the remaining employee severance costs are reflected within \
               Accrued liabilities, classified within Other in Note 3.\n\n\
               Charges for the Moyu county office restructuring 51\n\n\
               Balance at May 31, 2023 $ —\n\
               Balance at May 31, 2024 $ 267";
    let new = "NOTE 18 — RESTRUCTURING\n\n\
               In fiscal 2024, the Company recognized pre-tax restructuring charges of $443 \
               million, with $392 million related to employee severance costs. Of the $443 \
               million, $379 million was classified in Operating overhead expense and $64 \
               million in Cost of sales. As of May 31, 2024, $267 million of restructuring \
               charges were reflected within Accrued liabilities, and $51 million of charges \
               for the county office.";
    let (o, n) = (split_items(old, 0), split_items(new, 0));
    let a = align(&o, &n, &AlignConfig::default());
    // The caption, the severance row (its total stands), the accrual
    // sentence and the closing balance (every figure of the row) are in
    // the paragraph that took the total row. The
    // recognition policy (`probable`, `estimable`), the row naming `Moyu`
    // and the opening balance of 2023 are not.
    assert_eq!(
        dropped_texts(&a, &o),
        [
            "Employee severance costs are recognized when a future related expense is \
             considered probable and reasonably estimable.",
            "Charges for the Moyu county office restructuring 51",
            "Balance at May 31, 2023 $ —",
        ]
    );
}

#[test]
fn a_neighbour_of_a_restated_row_needs_one_of_its_figures() {
    // The words of the severance row stand in the sentence that took the
    // total, but none of its figures: the severance figures are gone.
    let old = "Total pre-tax restructuring charges $ 379 $ 64 $ 443\n\
               Employee severance and related costs $ 336 $ 56 $ 392";
    let new = "The Company recognized pre-tax restructuring charges of $443 million, of which \
               $379 million in operating overhead and $64 million in cost of sales, mostly \
               employee severance and related costs.";
    let (o, n) = (split_items(old, 0), split_items(new, 0));
    let a = align(&o, &n, &AlignConfig::default());
    assert_eq!(
        dropped_texts(&a, &o),
        ["Employee severance and related costs $ 336 $ 56 $ 392"]
    );
}

#[test]
fn a_paragraph_sharing_only_a_stock_cross_reference_is_dropped() {
    // Every note is referred to in the same words; what a sentence of
    // that template shares with another one is the template.
    let refs: String = (1..=150)
        .map(|k| {
            format!(
                "Refer to Note {k} — Topic{k} in the accompanying Notes to the Consolidated \
                 Financial Statements for additional information.\n\n"
            )
        })
        .collect();
    let old = format!(
        "{refs}We completed the sale of our entity in Chile to a third-party distributor. \
         For more information see Note 18 — Divestitures within the accompanying Notes to \
         the Consolidated Financial Statements."
    );
    let new = format!(
        "{refs}See Note 15 — Segment Information in the accompanying Notes to the Consolidated \
         Financial Statements for a description of our segments."
    );
    let (o, n) = (split_items(&old, 0), split_items(&new, 0));
    let a = align(&o, &n, &AlignConfig::default());
    assert_eq!(
        dropped_texts(&a, &o),
        [
            "We completed the sale of our entity in Chile to a third-party distributor. For more \
          information see Note 18 — Divestitures within the accompanying Notes to the \
          Consolidated Financial Statements."
        ]
    );
}

#[test]
fn a_renamed_note_heading_pairs_beside_a_new_sub_heading() {
    let old = "SALES-RELATED RESERVES\n\n\
               The reserve balance was $1,282 million at May 31, 2024.\n\n\
               NOTE 15 — OPERATING SEGMENTS AND RELATED INFORMATION\n\n\
               Global Brand Divisions is included within the NIKE Brand for presentation purposes.";
    let new = "SALES-RELATED RESERVES\n\n\
               The reserve balance was $1,834 million at May 31, 2025.\n\n\
               NOTE 15 — SEGMENT INFORMATION\n\n\
               NIKE BRAND\n\n\
               Global Brand Divisions is included within the NIKE Brand for presentation purposes.";
    let (o, n) = (split_items(old, 0), split_items(new, 0));
    let a = align(&o, &n, &AlignConfig::default());
    let heading = a
        .entries
        .iter()
        .find(|e| e.old.is_some_and(|i| o[i].text.starts_with("NOTE 15")))
        .expect("an entry for the old heading");
    assert_eq!(heading.status, Status::Changed);
    assert_eq!(
        n[heading.new.unwrap()].text,
        "NOTE 15 — SEGMENT INFORMATION"
    );
}

#[test]
fn a_shifted_row_whose_label_was_cut_down_is_changed_unless_the_row_has_its_own() {
    // The rate row lost `Excess tax benefits from`; its figures moved on by
    // a year. (Another table's row, closer in words, took the new row
    // first.) Newest year first, then the mirror: oldest year first
    // (`2022 2023 2024` → `2023 2024 2025`).
    for (old_figures, expense, new_figures) in [
        ("-0.5 % -1.1 % -4.9 %", "43 8 51", "1.5 % -0.5 % -1.1 %"),
        ("-4.9 % -1.1 % -0.5 %", "51 8 43", "-1.1 % -0.5 % 1.5 %"),
    ] {
        let (o, n) = (
            split_items(
                &format!(
                    "Federal income tax rate 21.0 % 21.0 % 21.0 %\n\
                     Excess tax benefits from stock-based compensation {old_figures}\n\n\
                     Stock-based compensation expense {expense}"
                ),
                0,
            ),
            split_items(
                &format!(
                    "Federal income tax rate 21.0 % 21.0 % 21.0 %\n\
                     Stock-based compensation {new_figures}"
                ),
                0,
            ),
        );
        let a = align(&o, &n, &AlignConfig::default());
        assert!(dropped_texts(&a, &o).is_empty(), "{old_figures}");
    }
    // A segment table's total repeats the balance sheet's row, which keeps
    // its own counterpart: the gone table's total is dropped.
    let (o, n) = (
        split_items(
            "Accounts receivable, net 4,427 4,131\n\n\
             Inventories 7,519 8,454\n\n\
             TOTAL ACCOUNTS RECEIVABLE, NET $ 4,427 $ 4,131",
            0,
        ),
        split_items(
            "Accounts receivable, net 4,717 4,427\n\nInventories 7,489 7,519",
            0,
        ),
    );
    let a = align(&o, &n, &AlignConfig::default());
    assert_eq!(
        dropped_texts(&a, &o),
        ["TOTAL ACCOUNTS RECEIVABLE, NET $ 4,427 $ 4,131"]
    );
}

#[test]
fn a_row_whose_figure_the_yearly_sentence_now_gives_is_restated() {
    // The table row went; the sentence that gave last year's figure now
    // gives it as the prior year's. The row is as close to that sentence
    // as a rewording, which for a row would mean a near-twin row; a
    // sentence is no near-twin of a row.
    let old = "Estimated unguaranteed residual values 21\n\n\
               At December 31, 2023 and 2022, unguaranteed residual values were $21 and $45.";
    let new = "At December 31, 2024 and 2023, unguaranteed residual values were $0 and $21.";
    let (o, n) = (split_items(old, 0), split_items(new, 0));
    let a = align(&o, &n, &AlignConfig::default());
    assert!(dropped_texts(&a, &o).is_empty());
    // A figure the sentence does not give: dropped.
    let old = old.replace("values 21", "values 33");
    let (o, n) = (split_items(&old, 0), split_items(new, 0));
    let a = align(&o, &n, &AlignConfig::default());
    assert_eq!(
        dropped_texts(&a, &o),
        ["Estimated unguaranteed residual values 33"]
    );
}

#[test]
fn rows_whose_labels_each_name_another_thing_and_share_no_figure_are_two_rows() {
    // `securities` is not `contracts`, and no figure is shared: the old row
    // is gone, not rewritten.
    let (o, n) = (
        split_items(
            "U.S. government securities 3,620 — 3,620 — 5,136 — 5,136 —",
            0,
        ),
        split_items("U.S. government contracts(1) $923 $970", 0),
    );
    let a = align(&o, &n, &AlignConfig::default());
    assert_eq!(
        dropped_texts(&a, &o),
        ["U.S. government securities 3,620 — 3,620 — 5,136 — 5,136 —"]
    );
    // A label cut down (`Minimum` gone), its schedule printed down a column:
    // the same row.
    let (o, n) = (
        split_items("Minimum finance lease obligations $84 $76 $55 $24 $3", 0),
        split_items("Finance lease obligations 2025 $95", 0),
    );
    let a = align(&o, &n, &AlignConfig::default());
    assert!(dropped_texts(&a, &o).is_empty());
}

#[test]
fn a_row_with_figures_is_not_the_bare_label_of_another_table() {
    // The segment table is gone; the new version names the segments in a
    // list of definitions. The rows are dropped, not rewritten as labels.
    let old = "ADDITIONS TO PROPERTY, PLANT AND EQUIPMENT\n\n\
               Total NIKE Brand 643 889 699\n\n\
               Converse 7 7 9\n\n\
               Corporate 72 140 103\n\n\
               The Company's segments are reviewed each quarter.";
    let new = "NIKE BRAND\n\nCONVERSE\n\nCORPORATE\n\n\
               The Company's segments are reviewed each quarter.";
    let (o, n) = (split_items(old, 0), split_items(new, 0));
    let a = align(&o, &n, &AlignConfig::default());
    assert_eq!(
        dropped_texts(&a, &o),
        [
            "ADDITIONS TO PROPERTY, PLANT AND EQUIPMENT",
            "Total NIKE Brand 643 889 699",
            "Converse 7 7 9",
            "Corporate 72 140 103"
        ]
    );
    // A row with one figure, a label in effect, may still be relabelled.
    let (o, n) = (
        split_items("Corporate 72\n\nOther text stays here.", 0),
        split_items("Corporate\n\nOther text stays here.", 0),
    );
    let a = align(&o, &n, &AlignConfig::default());
    assert!(dropped_texts(&a, &o).is_empty());
}

#[test]
fn a_row_is_not_rewritten_as_a_far_row_with_other_columns_and_no_shared_figure() {
    // A row with a longer label (`tax assets`) and two figures is not a
    // row elsewhere with a cut-down label and three other figures: dropped.
    let old = "Revenues are recognised on delivery.\n\n\
               Deferred tax assets 1,234 1,100\n\n\
               Total deferred tax assets 10,774 9,533\n\n\
               Valuation allowance (500) (400)\n\n\
               We review the allowance every quarter.\n\n\
               Our tax returns are under examination.";
    let new = "Automotive\n\nTotal deferred 30 (11) (843)\n\n\
               Revenues are recognised on delivery.\n\n\
               Deferred tax assets 1,234 1,100\n\n\
               Valuation allowance (500) (400)\n\n\
               We review the allowance every quarter.\n\n\
               Our tax returns are under examination.";
    let (o, n) = (split_items(old, 0), split_items(new, 0));
    let a = align(&o, &n, &AlignConfig::default());
    assert_eq!(
        dropped_texts(&a, &o),
        ["Total deferred tax assets 10,774 9,533"]
    );
    // In the row's own place, the same row relabelled: Changed.
    let new = new
        .replace("Automotive\n\nTotal deferred 30 (11) (843)\n\n", "")
        .replace(
            "Valuation allowance",
            "Total deferred 30 (11) (843)\n\nValuation allowance",
        );
    let n = split_items(&new, 0);
    let a = align(&o, &n, &AlignConfig::default());
    assert!(dropped_texts(&a, &o).is_empty());
}

#[test]
fn two_rows_folded_into_one_are_changed_but_a_rolled_off_copy_is_dropped() {
    // `Solar Bonds` folded into `Other`: each column holds the figure of
    // whichever old row had one. The prior year's table, gone from the new
    // version, gave the same Solar Bonds row: that copy is dropped with its
    // table, not paired through the merge.
    let old = "RCF Credit Agreement — — — 5,000 Not applicable January 2028\n\n\
               Solar Bonds — 7 7 —\n\n\
               Other — — — 28 Not applicable December 2026\n\n\
               Total recourse debt 37 7 44 5,028\n\n\
               Credit Agreement — — — 2,266 Not applicable July 2023\n\n\
               Solar Bonds — 7 7 —\n\n\
               Total recourse debt — 44 44 2,266";
    let new = "RCF Credit Agreement — — — 5,000 Not applicable January 2028\n\n\
               Other — 7 7 28\n\n\
               Total recourse debt 37 7 44 5,028";
    let (o, n) = (split_items(old, 0), split_items(new, 0));
    let a = align(&o, &n, &AlignConfig::default());
    let merged: Vec<&str> = a
        .entries
        .iter()
        .filter(|e| e.new.is_some_and(|j| n[j].text == "Other — 7 7 28"))
        .map(|e| o[e.old.unwrap()].text.as_str())
        .collect();
    assert_eq!(
        merged,
        [
            "Solar Bonds — 7 7 —",
            "Other — — — 28 Not applicable December 2026"
        ]
    );
    assert_eq!(
        dropped_texts(&a, &o),
        [
            "Credit Agreement — — — 2,266 Not applicable July 2023",
            "Solar Bonds — 7 7 —",
            "Total recourse debt — 44 44 2,266"
        ]
    );
    // Figures that do not add up: a new line, both old rows dropped.
    let new = new.replace("Other — 7 7 28", "Other — 9 9 31");
    let (o, n) = (split_items(old, 0), split_items(&new, 0));
    let a = align(&o, &n, &AlignConfig::default());
    assert!(dropped_texts(&a, &o).contains(&"Other — — — 28 Not applicable December 2026"));
}

#[test]
fn a_model_row_redescribed_whose_figures_moved_on_is_changed() {
    // The model number names the row; its description changed and its
    // figures moved on a year.
    let old = "717 Aircraft (Accounted for as sales-type leases) $478 $563\n\n\
               747-8 Aircraft (Accounted for as sales-type leases) 129 394\n\n\
               747-400 Aircraft (Accounted for as sales-type leases) 43 46";
    let new = "717 Aircraft (Accounted for as sales-type leases) $196 $478\n\n\
               747-8 Aircraft (Primarily accounted for as notes) 92 129\n\n\
               747-400 Aircraft (Accounted for as sales-type leases) 43";
    let (o, n) = (split_items(old, 0), split_items(new, 0));
    let a = align(&o, &n, &AlignConfig::default());
    assert!(dropped_texts(&a, &o).is_empty());
    // Another model's row is not this one, whatever its figures.
    let new = new.replace("747-8 Aircraft", "767 Aircraft");
    let (o, n) = (split_items(old, 0), split_items(&new, 0));
    let a = align(&o, &n, &AlignConfig::default());
    assert_eq!(
        dropped_texts(&a, &o),
        ["747-8 Aircraft (Accounted for as sales-type leases) 129 394"]
    );
}

#[test]
fn a_paragraph_whose_sentence_stands_whole_in_a_longer_sentence_is_changed() {
    // The first sentence stands, word for word, inside a new sentence that
    // adds a clause, in the paragraph that took the EBIT paragraph's place:
    // too long to reach the threshold as a sentence, yet the statement is
    // still made.
    let old = "The Company's operating segments reflect the structure of the Company's \
               internal organization. The NIKE Brand segments are defined by geographic \
               regions for operations participating in NIKE Brand sales activity. Converse \
               designs, markets, licenses and sells casual sneakers, apparel and \
               accessories through wholesale partners, franchised stores and its own \
               digital platforms in every territory it serves.\n\n\
               Corporate consists primarily of unallocated general and administrative \
               expenses.\n\n\
               The primary financial measure used by the Company to evaluate performance of \
               individual operating segments is earnings before interest and taxes (EBIT), \
               which represents Net income before Interest expense and Income tax expense.";
    let new = "Corporate consists primarily of unallocated general and administrative \
               expenses.\n\n\
               The Company's reportable operating segments reflect the structure of the \
               Company's internal organization and the financial information the Chief \
               Operating Decision Maker regularly reviews to assess Company performance and \
               allocate resources. The CODM evaluates the performance of the Company's \
               segments based on earnings before interest and taxes (EBIT), which represents \
               Net income before Interest expense and Income tax expense.";
    let (o, n) = (split_items(old, 0), split_items(new, 0));
    let a = align(&o, &n, &AlignConfig::default());
    assert!(dropped_texts(&a, &o).is_empty());
    // One word of the statement gone: not the same statement.
    let new = new.replace("internal organization", "organization");
    let (o, n) = (split_items(old, 0), split_items(&new, 0));
    let a = align(&o, &n, &AlignConfig::default());
    assert_eq!(dropped_texts(&a, &o).len(), 1);
}
