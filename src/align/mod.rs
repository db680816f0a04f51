//! Disclosure alignment: splits each version of a series document into
//! items and aligns an older version with a newer one, so that the
//! `dropped-disclosure` rule reports only items that are absent from the
//! whole newer version. Pure library code: no I/O, no printing.
//!
//! # Items
//!
//! [`split_items`] turns a version's text into [`Item`]s:
//!
//! - a **paragraph** is a run of non-blank lines (its lines joined by one
//!   space: line wrapping never matters);
//! - a **list item** starts with `-`, `*`, `+`, `•` (and similar bullet
//!   glyphs, with or without a following space), `1.`, `1)`, `(1)` or `a)`;
//!   a bullet alone on its line (as HTML converters write it) makes the next
//!   block a list item. A dash (`—`, `–`) or a number opening a line of a
//!   paragraph whose previous line (40 characters or more) stops without
//!   an end mark is that sentence wrapped (`… Refer to Note 12` / `— Risk
//!   Management and Derivatives …`, `… including conducting` / `(1) an
//!   audit …`), not a list item;
//! - a **table row** is a `| a | b |` line, or a flattened row: a line that
//!   ends with a figure (`1,178`, `(29)`, `21.0 %`, `—`) and has no final
//!   full stop; not one ending with an amount and a comma (`… net of tax
//!   of $13,`: a label wrapped mid-list). A block made only of such lines
//!   gives one item per line, except that a figures-only line or one
//!   opening in lower case goes on with the row above (a row hard-wrapped:
//!   `… 13,009 12,730` / `2 % 2 % 10,543`), and a figures-only line right
//!   after a short unpunctuated label block of one or two lines is joined
//!   to it (`Federal carryovers(1)` + `2,551 2,082`);
//! - a line of a two-column **signature table** gives one item per signer:
//!   `/s/ A /s/ B` one per `/s/`, and `A – Director B – Director` (at
//!   least two ` – `) is cut after a capacity word (`Director`, `Officer`,
//!   `Controller`, `Board`, …) followed by a capitalised word, so one signer
//!   leaving does not re-pair every later line;
//! - a **column heading** of a table (and similar table furniture) is an
//!   item of its own kind, [`ItemKind::ColumnHeading`]: aligned like any
//!   item, so it still anchors its neighbours, but not reported Dropped or
//!   Added (it has no entry) when its table went or came with it — the
//!   first item below it that is no column heading, in its section, is
//!   unpaired too (or there is none) — since it is not a disclosure and
//!   the table's rows are reported anyway; a column heading whose table
//!   stays is reported like any item (the columns changed). It is a
//!   paragraph or row
//!   block that is *heading-shaped* — at most 100 characters and 14 words,
//!   no end mark (`.`, `:`, `;`, …), no full stop inside (`Brian R.
//!   Smith`, `…, Inc. … Plan`), no `$`, `%` or spaced dash (`NOTE 19 —
//!   RESTRUCTURING`), no figure but years, dates (`MAY 31,`), footnote
//!   marks `(1)` and unit notes `(Dollars in millions)` (dates or a unit
//!   note alone qualify), every word but
//!   function words capitalised (`Carrying Value Fair Value`, `AS OF MAY
//!   31,`; a row label in sentence case, `Employee severance and related
//!   costs`, is not one) — that stands in a table: right after a row, a
//!   heading-shaped line, a unit note, a figures-only line, a short label
//!   or a caption ending with `:` or `below.` (a section heading over a
//!   table follows running text and stays an item), and followed in its
//!   section, within 8 blocks and past only such lines, by a table row (or
//!   an unpunctuated line with two figures, `$ 20.0 Achieved $ 1.5
//!   Achieved`; an index entry `Note 9` is not a row). A heading before
//!   prose and a caption ending with `:` are never column headings;
//! - **headings** are not items; they set [`Item::section`], the heading
//!   path joined with `" > "`. Headings are Markdown `#` lines and, for SEC
//!   filings converted to text, a standalone `PART II` line (level 1) or
//!   `Item 1A. Risk Factors` line (level 2; a table of contents line
//!   `Item 1A.` without a title is not one), also when hard-wrapped text
//!   broke it over two or three lines standing alone, the further ones
//!   capitalised without an end mark (`ITEM 7. MANAGEMENT'S DISCUSSION …
//!   RESULTS OF` / `OPERATIONS`).
//!
//! # Page furniture
//!
//! Removed before items are formed:
//!
//! - page numbers: a line that is `12`, `Page 12`, `Page 12 of 80`, `- 12 -`,
//!   a lowercase roman numeral, or `F-12`; a bare number (`12`) only when
//!   it is in step with the page numbers — on the longest chain of bare
//!   numbers that never goes back nor jumps more than 20, or at most 20
//!   above the bare number before it or below the one after it (a
//!   contents entry's page) — so a table figure alone on its line
//!   (`Employee severance and related costs` / `392` among pages 89–91)
//!   stays and joins its label;
//! - contents links: `Table of Contents`, `Back to Contents`, …;
//! - running headers and footers: a line of at most 100 characters, with a
//!   letter and without a final `.`, `!`, `?`, `:` or `;`, whose copies are
//!   identical or differ in one number only (so `2024 FORM 10-K 5` and
//!   `2024 FORM 10-K 6` are one line, while table rows sharing a label but
//!   not their figures are not), that occurs at least 3 times and at least
//!   once for every four page numbers and contents links, and of which at
//!   least half the copies stand right next (the nearest non-blank line) to a
//!   page number, a contents link or another running header (two rounds, for
//!   a header stacked on a footer). A table heading that opens a few pages
//!   does not qualify.
//!
//! A paragraph cut by a page break is re-joined: when page furniture stands
//! between two blocks (and no heading does), the first is a paragraph or
//! list item of at least 40 bytes that does not end with `.`, `!`, `?`, `:`, `;` (or a CJK full
//! stop, looking through closing quotes and brackets), and the second is a
//! paragraph that starts with a lowercase letter or a CJK character, or
//! the first ends on a comma, hyphen or function word, or the first is at
//! least 150 bytes long and both are running text (at least 70 % of their
//! letters lowercase, unlike a table heading in capitals), or the first is
//! at least 100 bytes long and in sentence case (at most a third of its
//! words of four letters or more capitalised: `… held during the years
//! ended` / `December 31, 2023 and 2022. …`, not a long column heading in
//! title case) and the second is running text, or — in hard-wrapped text,
//! whose lines cluster under a margin of at most 150 characters — the
//! first's last line is a full one (within 15 characters of the margin)
//! of a block of two lines or more or in sentence case, and the second is
//! no title in capitals (`… audited by the independent accounting firm
//! Deloitte & Touche` / `LLP (PCAOB ID No. 34).`). A bracket left open
//! before the break and closed after it joins even a second block that
//! ends like a table row (`… (Exhibit` / `3.1 to the Company's Current
//! Report … 2024) 3.3`).
//! A block with no letter (`☐`, a lone `•`, figures whose label could not be
//! found such as a column heading row `2024 2023`) is not an item. A
//! version that yields no items is unreadable: `split_items` returns an
//! empty Vec only then, and the caller must report it as such, never as
//! "everything dropped".
//!
//! # Normalisation
//!
//! [`Item::norm`] folds case, curly and straight quotes, dash styles and
//! exotic spaces, drops soft hyphens, zero-width characters, Markdown
//! emphasis and table pipes, collapses whitespace and strips a list marker.
//! [`AlignConfig::volatile`] patterns (e.g. the fiscal year, see
//! [`AlignConfig::with_years`]) are then replaced by `#` before aligning.
//!
//! # Similarity
//!
//! [`similarity`]`(a, b)`, the measure [`AlignConfig::threshold`] applies to,
//! is the weighted Dice coefficient of the two texts' token multisets:
//!
//! ```text
//! sim(a, b) = 2 · Σ_f min(w_a(f), w_b(f)) / (Σ_f w_a(f) + Σ_f w_b(f))
//! ```
//!
//! where `w_x(f)` is the number of occurrences of feature `f` in the
//! normalised text `x` times the feature's weight. Tokens are runs of
//! letters and digits (CJK excepted; `,` and `.` between digits stay inside
//! a number) and, in runs of CJK characters, character bigrams (a lone CJK
//! character is a unigram). Features and weights:
//!
//! | token | feature(s) | weight |
//! |---|---|---|
//! | word (letters, or letters and digits: `aircraft`, `737x`) | the word | 1.0 |
//! | English function word (`the`, `of`, `and`, `we`, …, 43 words) | the word | 0.2 |
//! | CJK bigram | the bigram | 1.0 |
//! | number (digits only once `,` is removed: `1,178`, `21.0`) | "a number" | 0.2 |
//! | | its value (`1178`) | 0.1 |
//!
//! So the measure is word-order-free and ranges over [0, 1]; a table row
//! whose figures all change keeps its label and its count of figures and
//! scores high (`Pension benefits` with 3 new figures: 5.2/5.8 ≈ 0.90),
//! while a changed name costs a whole word. Two texts without tokens score
//! 1 when their normalised forms are equal, else 0.
//!
//! # Alignment
//!
//! [`align`] pairs old and new items in eight phases (and a 3b, 3c, 4b, 6b, 6d, 6e, 7a, 7c and 7b), each only
//! among items left unpaired by the previous ones:
//!
//! 1. a patience sequence diff (`similar`) over the normalised, masked
//!    texts: equal runs are paired;
//! 2. identical texts elsewhere (reordered or moved items), first come first
//!    served in document order;
//! 3. similarity: every remaining old/new pair with `sim ≥ threshold` is a
//!    candidate, and candidates are taken best score first, one to one,
//!    a pair inside one hunk of the phase-1 diff (the same stretch between
//!    two runs of identical items) ranking as if its score were 0.1 higher:
//!    the yearly bullets of one segment's discussion (`Apparel revenues
//!    increased 14% …` → `Apparel revenues decreased 12% …`) pair within
//!    that segment's stretch rather than with a closer wording under
//!    another segment's heading. Two labelled entries (a label of at most
//!    six words, capitalised, before a standalone dash or a colon, with at
//!    least six words after it: `Apprenticeships – …`, `Consumer Spending:
//!    …`; or a heading the converter glued to its paragraph, capitalised
//!    words and numbers up to a capitalised function word: `787 Program The
//!    accounting quantity …`) rank 0.1 higher when their labels match (the
//!    words and numbers of one are all in the other: `Internships` and
//!    `Professional Internships`) and 0.1 lower when they do not: the same
//!    template under another label is another entry (`787 Program …` is
//!    not `777 and 777X Programs …`). Two items that open with different
//!    model numbers (a first token of three characters or more with a
//!    digit, not a year, amount or form name like `10-K`: `757 Aircraft
//!    (…)`, `MD-80 Aircraft (…)`) are no candidates at all, however alike
//!    the rest; nor are two table rows whose labels each have a content
//!    word the other lacks, with different numbers of figures and none in
//!    common (`U.S. government securities 3,620 — 3,620 — …` is not `U.S.
//!    government contracts(1) $923 $970`; a label cut down, `Minimum
//!    finance lease obligations` → `Finance lease obligations`, still is a
//!    candidate in its own hunk, but not in another: a row does not move
//!    away while its label loses words and its columns all change, as
//!    `Total deferred tax assets 10,774 9,533` is not `Total deferred 30
//!    (11) (843)` of another table); nor is a row of two figures or more
//!    a candidate for an item with no figure at all (`Corporate 72 140
//!    103` is not the segment label `CORPORATE` of a list: its disclosure
//!    is its figures). Equal ranks are ordered by locality: a
//!    pair inside one hunk first, nearer relative positions within the
//!    hunk (else within the documents) first, then lower indices. So among
//!    rows of several tables that share a label and whose figures all
//!    changed (equal scores), each row pairs with the row at its place in
//!    its own table, while any difference in wording or figures decides
//!    before position does.
//!    Candidates come from an inverted index: for `sim ≥ t` the shared
//!    weight must reach `t·|a|/(2−t)`, so only new items sharing one of the
//!    old item's rarest features that carry the rest of that weight are
//!    scored — exact, and nowhere near `n·m`;
//!
//!    3b. labelled entries: an old item still unpaired whose label matches
//!    the label of exactly one unpaired new item of the same kind, that
//!    label matching no other unpaired old item, is Changed (basis
//!    Contained) with it when their similarity is at least 0.25: a
//!    labelled list reordered under new headings and each entry rewritten
//!    (Tesla's `Internships – Annually, Tesla hires over 6,000 …` →
//!    `Professional Internships – Every year, Tesla hires approximately
//!    4,000 …`). A label two entries share says nothing and pairs nothing;
//!    3c. same slot (before containment and sentences, which look
//!    anywhere in the new version: a rewrite in its own slot keeps its
//!    successor from a driver of another list that shares its words): a slot is a run of unpaired old items and the
//!    unpaired new items in the tightest stretch of the new version between
//!    the counterparts of one of the three paired old items before the run
//!    and one of the three after it (or a document end), counting only
//!    pairs that kept their order (the longest run of pairs increasing on
//!    both sides: a neighbour paired far away or out of order neither
//!    stretches the slot nor shrinks it to nothing), holding at most ten unpaired items on
//!    each side. There an old paragraph or list item is
//!    Changed (basis Contained) with an unpaired new item of the same kind
//!    when both hold six content words, their similarity is at least 0.3
//!    (0.15 when the slot holds just the one old and the one new item and
//!    they share two content words that at most one new item in a hundred
//!    uses: the one paragraph between kept neighbours rewritten on its
//!    subject, `Our credit ratings were downgraded in 2020 …` → `We
//!    currently maintain investment grade credit ratings; however, Moody's
//!    downgraded …`; 0.25 when they share one such word: `… the
//!    applicable conversion price of our 2024 Notes …` → `… the 2024 Notes
//!    reached maturity …`),
//!    no other old item within eight places is as similar to the new one, and the names the
//!    old item opens with (runs of two or more capitalised words in its
//!    first twelve, months and function words aside: `Ann Miller`,
//!    `364-Day Credit Agreement`; and any word after `Mr.`, `Ms.`, `Mrs.`,
//!    `Dr.`) are all in the new one, singular or plural (`NIKE Brand` in
//!    `the NIKE, Jordan and Converse brands`): the yearly
//!    rewrite of one disclosure in its place, not another person's
//!    biography or another agreement (a heading-like line is one of fewer
//!    than six content words, or of up to ten in title case, `United States
//!    Government Defense Environment Overview`, with no closing
//!    punctuation; `recently` and `recent` count as one word). A list item cut down to a few words
//!    in its slot pairs too: a new list item of two to eight content
//!    words, at most half the old one's, all but one of them in the old
//!    item and in no other old list item of the slot as many
//!    (`•Reduced consumer demand for our products, including as a result of
//!    …` → `•Reduced consumer demand for, or spend on, our products;`,
//!    `•Impacts to our distribution and logistics providers' … These supply
//!    chain effects …` → `•Supply chain impacts;`). A heading-like line
//!    (fewer than six content words, no closing punctuation) pairs with
//!    the one heading-like line on the other side of the slot sharing half
//!    the content words of the shorter (a final `s` aside), when no other
//!    line of its side does (a new sub-heading `NIKE BRAND` may stand
//!    beside it)
//!    (`NOTE 15 — OPERATING SEGMENTS AND RELATED INFORMATION` → `NOTE 15 —
//!    SEGMENT INFORMATION`, not `Note 23 – Subsequent Events` → `Note 23 -
//!    Segment and Revenue Information`). A table row alone in its slot
//!    with one new table row pairs with it when both carry an identifier
//!    (a word of six digits or more and dashes only, no `,` or `.`: an EIN,
//!    a file number) found in no other item of either version (`Delaware
//!    91-2197729` → `Texas 91-2197729`); and a table row alone in its
//!    slot pairs with the one heading-like paragraph of the slot without a
//!    figure whose words (months aside) share at least two and half of
//!    the shorter's with the row's label: the label reworded, its cells
//!    printed apart (a signer's capacity `Vice President and Corporate
//!    Controller July 25, 2024` → `Vice President, Chief Accounting
//!    Officer`, the date on a line of its own);
//! 4. containment: what a new item says beyond its counterpart (all of it
//!    for an unpaired new item) is its residual. An old item still unpaired,
//!    of at least 5 content words, is paired with the residual sharing most
//!    weight with it if their similarity reaches the threshold (a paragraph
//!    merged into another), or if one of the two holds at least 80 % of the
//!    other's weight, the smaller weighing at least 6 (about six content
//!    words) and the larger at most 4 times the smaller (a paragraph
//!    expanded or cut down); else with the sum of that residual and the one
//!    sharing most with the rest of the item, each explaining at least 25 %
//!    of it, if the sum reaches the threshold (a paragraph split in two).
//!    Such pairs are Changed, basis Contained. The residuals used are
//!    consumed, so content is claimed once, and a near-twin's counterpart,
//!    identical to it, leaves no residual to claim;
//!
//!    4b. merged neighbours: two consecutive old paragraphs or list items
//!    of one section, both unpaired and of six content words at least, are
//!    Changed (basis Contained) with one unpaired new item anywhere when
//!    each has similarity 0.3 with it and together they reach the
//!    threshold, or hold 80 % of its weight with each adding a fifth (a
//!    section condensed into one paragraph of another: Nike's two DE&I
//!    paragraphs → one paragraph of its culture section);
//! 5. sentences: the sentences (as `unit = "sentence"` splits them) of at
//!    least 6 content words of the old items still unpaired (of at least 5
//!    content words, not table rows) are matched one to one, best first,
//!    with new sentences of similarity ≥ threshold (or, ranked after
//!    those, that hold every word and figure of an old sentence of 6
//!    content words or more: a statement extended with a clause, `… reflect
//!    the structure of the Company's internal organization.` → `… reflect
//!    the structure of the Company's internal organization and the
//!    financial information the CODM … reviews …`) that no counterpart
//!    already explains (a sentence of a new item paired as identical, or
//!    similar to a sentence of its paired old item, is taken) and that
//!    share two words at most one new item in a hundred uses (two
//!    cross-references to other notes share only the template). An old item
//!    is Changed (basis Contained) when its surviving sentences hold at
//!    least half its weight (paired with the new item holding most of
//!    them), or hold at least half the weight of a new item otherwise
//!    unpaired: the yearly rewrite that keeps its topic sentence with new
//!    figures and cuts or replaces the rest. It is Changed too when
//!    sentences found verbatim (every word and figure of the old sentence in
//!    the new one, at least 6 content words) hold at least a fifth of its
//!    weight, whatever the new item they stand in is paired with: the
//!    paragraph rewritten around a sentence it still states;
//! 6. shifted table rows: an old table row of at least two figures is
//!    Changed (basis Contained) when a new table row with the same words
//!    does not start with its first figure but holds it later, followed in
//!    order by the old row's next figures, so that this found prefix holds
//!    at least half the old figures and either two figures or one of three
//!    digits or more, and (with three figures or more) the old last figure
//!    is gone: a table whose columns moved on by a year, `2024 2023 2022` →
//!    `2025 2024 2023`, with or without change columns (`$ 27,758 $ 27,397
//!    1 % 2 % $ 25,608 7 % 14 %` → `$ 25,883 $ 27,758 -7 % -6 % $ 27,397
//!    1 % 2 %`), or a two-column balance (`5,000 5,081` → `4,828 5,000`);
//!    or, in a table whose oldest year comes first (`2022 2023 2024`), the
//!    new row opens with the old second figure and the old ones after it
//!    follow in order (at least half of them, the same tests of chance),
//!    the old first figure gone (`811 1,036 722` → `1,036 722 430`).
//!    Failing a row with the same words, the one such new row whose words
//!    hold the old row's, or are held by them (two words at least), unless
//!    an old row of its very words is its counterpart: a label cut down
//!    (`Excess tax benefits from stock-based compensation -0.5 % -1.1 %
//!    -4.9 %` → `Stock-based compensation 1.5 % -0.5 % -1.1 %`), not a gone
//!    segment table's total repeating the balance sheet's row. Failing
//!    that, for a row opening with a model number (`747-8`, `MD-80`), the
//!    one new row opening with that model whose figures after it moved on,
//!    unless an old row of the same model is its counterpart: the model
//!    names the row, its description may change (`747-8 Aircraft
//!    (Accounted for as sales-type leases) 129 394` → `747-8 Aircraft
//!    (Primarily accounted for as notes) 92 129`);
//!
//!    6b. openings: an old paragraph or list item still unpaired is Changed
//!    (basis Contained) with a new item of the same kind, still unpaired,
//!    when one's tokens are the opening tokens of the other (at least three
//!    content words; a paragraph also needs six: `•Decreased retail traffic
//!    as a result of store closures, …` → `•Decreased retail traffic;`), or
//!    when both stand in the same hunk of the phase-1 diff, hold six content
//!    words each, have similarity ≥ 0.3 and open with the same tokens (at
//!    least three content words) that open at most two items of either
//!    version: the yearly rewrite of one disclosure in its place
//!    (`Eliminations and other unallocated items was largely unchanged in
//!    2023. …` → `Eliminations and other unallocated items expense
//!    increased by $411 million in 2024 …`). A stock opening (`During the
//!    third quarter of`) ties nothing; a near-twin's counterpart is paired
//!    as identical and is not a candidate;
//!    6d. transposed tables: a run of at least four consecutive old table
//!    rows with the same number of figures, one of whose columns (at least
//!    eight digits in all) stands in order, side by side, in one new table
//!    row: each of those rows still unpaired is Changed (basis Contained)
//!    with that row, and so is the caption right above the run when the
//!    row holds its words (`DEPRECIATION`, `North America $ 152 $ 128 $
//!    124` … → `Depreciation and amortization(2) $ 152 146 56 51 236 641 17
//!    138 $ 796`: segments became columns, years rows);
//!
//!    6e. renamed leads: an old paragraph or list item still unpaired
//!    whose next item, its body, is paired is Changed (basis Contained)
//!    with the new item right before the body's counterpart, when that one
//!    is unpaired, of the same kind, shares a content word, keeps the order
//!    with the old item's other neighbour, and both are leads of one
//!    shape: one sentence of at most 30 content words (no `.`, `;`, `:`,
//!    `!`, `?` inside), ending with the same mark (`.` for a risk heading,
//!    `:` for a lead-in), in its body's section, the body holding at least
//!    twice its content words. A risk factor whose body was kept is not
//!    dropped because its heading was reworded (Boeing's `We may be unable
//!    to obtain debt … at competitive rates …` → `We may be unable to
//!    effectively manage our liquidity …`). And a list's lead-in (a
//!    paragraph or list item ending with `:` over two list items or more,
//!    short sub-headings between them allowed) still unpaired is Changed
//!    (basis Contained) with the one unpaired new lead-in whose list holds
//!    the counterparts of two and half of its list's items, in any order
//!    (`slots.rs`): Tesla's `We don't stop there. … such as:` → `… we
//!    provide opportunities for them to learn and grow, including:` over
//!    the same, reordered, programs;
//! 7. copies: an old item still unpaired whose text the new version still
//!    holds (already paired with another copy: a column heading repeated
//!    on each page of a table that has fewer pages now) is paired with the
//!    first such new item, Kept or Moved; one whose text another old item
//!    has, that item being paired, shares its counterpart (a table printed
//!    twice in the old version and once in the new); and one whose best
//!    near-match has similarity 1 (the same words and figures, only
//!    punctuation, dashes or the cut into items differ) is Changed with
//!    it, as is one with the same words and figures up to footnote marks
//!    glued to a word (`NET INVESTMENT HEDGES` → `NET INVESTMENT
//!    HEDGES(1)`; a mark after a figure, `Section 12(g)`, is a reference
//!    and counts); one whose words and figures, a footnote mark spaced
//!    after its label left out (followed by `$` or a figure, two figures
//!    at least after it), are those of a paired old item shares that
//!    item's counterpart (basis Restated: the old version gave the fact
//!    twice, `Solar energy systems, net (2) $ 5,229 $ 5,489` in a note
//!    beside `Solar energy systems, net 5,229 5,489` on the balance
//!    sheet);
//!
//!    7a. value rows: an old row of codes (every token a figure, a code
//!    with a digit, dashes, a single letter or a month: an exhibit's
//!    citation `10-K 001-34756 4.1 March 1, 2017 4.2`) still unpaired is
//!    Changed with the one new item between the counterparts of its two
//!    neighbours when those are paired in order right around it, the new
//!    item is a row of codes too (`— — — — X`, filed herewith; unpaired,
//!    or paired only with copies of its own text), and on both sides the
//!    list alternates: the neighbours are keys with a plain word and the
//!    items two places away are rows of codes. The exhibit stayed, its
//!    citation changed; a table row dropped where another was inserted is
//!    no such slot (its neighbours are rows, not keys);
//!
//!    7c. merged rows (`rows.rs`): two old table rows still unpaired, at
//!    most three items apart in one section, and one unpaired new row
//!    under the label of one of them that folds them together column by
//!    column — where one old row has a dash the other's cell, where both
//!    have figures their sum (±1 for rounding), each old row bringing a
//!    figure of its own (`Solar Bonds — 7 7 —` and `Other — — — 28` →
//!    `Other — 7 7 28`): both Changed (basis Contained). Run after phase 7,
//!    so a copy of either row in a table that rolled off stays dropped;
//!
//!    7b. joined partner: an old paragraph or list item still unpaired (six
//!    content words or more) is Changed (basis Contained) with the
//!    counterpart of another old item of its section at most 12 items
//!    away when each is at least 0.3 similar to that new item, together
//!    they reach the threshold and beat the partner alone (or hold 80 % of
//!    it, this item adding a fifth), and this item brings at least one
//!    content word of the new item that the partner lacks and at most one
//!    new item in a hundred uses — two paragraphs that were not neighbours
//!    merged into one (`Climate change … may have an adverse impact …` and
//!    `Extreme weather conditions and natural disasters could …` →
//!    `Climate change, extreme weather conditions and natural disasters
//!    may have an adverse impact …`), not an exhibit entry whose only link
//!    is the template every entry shares;
//! 8. restated rows: an old table row still unpaired is Changed (basis
//!    Restated) with the new item, paired or not, that holds 75 % of its
//!    weight, all its figures (as often as it gives them; one of them of
//!    two digits or more and neither a year nor a day after a month) and
//!    every word with a capital past its first, and, if a row itself, is
//!    less similar to it than the threshold (else it is a near-twin row
//!    whose counterpart took it): the facts of `Total pre-tax restructuring charges $ 379 $
//!    64 $ 443` stated in a sentence, `… restructuring charges of $443
//!    million … $379 million … $64 million …`. Paragraphs and list items
//!    are left to phase 5, their words standing in other items by chance
//!    too often.
//!    8b. condensed passages: an old item still unpaired (two content
//!    words or more) is Changed (basis Restated) with a new item that
//!    already took, by containment or restatement, another old item of
//!    its section at most 4 items away, when that new item holds 70 % of
//!    its content words (or, for a table row, every figure it gives, one of
//!    them evidence: `Balance at May 31, 2024 $ 267`), each of its names (a capitalised word past the
//!    first that neither version writes in lower case: `Moyu`, not
//!    `Note`), one of its evidence figures if it gives any, and is less
//!    similar to it than the threshold — the rest of a note condensed
//!    into one paragraph (`Employee severance and related costs $ 336 $ 56
//!    $ 392` beside a total row restated in `… $392 million related to
//!    employee severance costs …`). Its footnote on recognition
//!    (`probable and reasonably estimable`) stays dropped.
//!
//! An item is Dropped only when its text is absent from the whole new
//! version.
//!
//! Nor is unpaired old layout furniture reported Dropped (it gets no
//! entry), when the alignment around it shows it relabelled or broken up,
//! not removed: a column heading row that opens a table whose new version
//! has another heading row sharing a word in its place, a second lead-in
//! whose list keeps the first, a column heading whose first row matched
//! only a bare label (the table's figures went), a short caption right
//! under a gone table's heading, one word of a heading broken over lines
//! (`Deficit)`; a run of such pieces, some in lower case, over a table row:
//! `Common` / `stock` / `Additional` / `paid-in`), a bare index number whose
//! title pairs with the entry joined (`Note 3` / `Accrued Liabilities` →
//! `Note 3 Accrued Liabilities`), a heading repeated atop each page with the next entry's
//! number glued on (`Exhibit Description Form File No. Exhibit Filing Date
//! 10.52`) whose words stand at least three times in each version. The
//! rules are documented in `furniture.rs`.
//!
//! Because matching is one to one and exact pairs come first, a dropped item
//! whose near-twin (one name or number different) stays is still found: the
//! twin is consumed by its own counterpart, and nothing left is similar.
//!
//! Statuses ([`Status`]): **Kept** — identical normalised text in the same
//! section (a paragraph reordered within its section is Kept); **Moved** —
//! identical text under another section path (sections compared normalised);
//! **Changed** — paired by similarity, containment or restatement, whatever
//! the section;
//! **Dropped** — an old item paired with nothing in the whole new version,
//! reported with its best near-match there and that score; **Added** — a new
//! item paired with nothing. See [`Alignment`] for the entry order.
//!
//! [`lazy_prices`] gives the Cohen–Malloy–Nguyen similarity measures and
//! [`word_diff`] the word-level inline diff of a changed item.

mod aligner;
mod furniture;
mod items;
mod lazy_prices;
mod normalize;
mod rows;
mod similarity;
mod slots;
mod worddiff;

pub use aligner::{AlignConfig, Alignment, Basis, Entry, Status, align};
pub(crate) use items::strip_list_marker;
pub use items::{Item, ItemKind, split_items};
pub use lazy_prices::{DocSimilarity, lazy_prices};
pub use normalize::normalize;
pub use similarity::similarity;
pub use worddiff::{DiffTag, word_diff};

/// The key under which the aligner treats two items as copies of one text
/// (phase 7 and the footnote-mark pass): the item's words and figures
/// after [`normalize`] (case, quote and dash styles, emphasis, zero-width
/// characters), list marker removed (`Item::norm`), with footnote marks
/// glued to a word left out. Several old items share one new item only as
/// copies under this key, or when merged into it (`Basis::Contained`); the
/// fuzz properties check exactly that.
pub fn copy_key(item: &Item) -> String {
    normalize::unmarked_tokens(&item.norm)
}

#[cfg(test)]
mod tests;
