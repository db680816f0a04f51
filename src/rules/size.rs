//! An upper bound on the compiled size of a pattern, from its syntax tree
//! alone, so that a pattern certain to fit the size limit need not be
//! compiled when the rules load (compiling is most of a small run's time;
//! `Pat` compiles on first use instead).
//!
//! The bound follows how `regex` builds its Thompson NFAs (forward and
//! reverse, `regex-automata` 0.4): the builder counts 32 bytes per state
//! plus 8 per sparse transition and 4 per union alternate, and only ever
//! grows, so a bound on the final count bounds every check on the way.
//! Every construct below is over-counted, and the caller adds a safety
//! factor on top: a pattern whose bound is over the limit is compiled at
//! load time exactly as before, so the bound only decides how much work is
//! skipped, never whether a pattern is refused.

use regex_syntax::hir::{Class, ClassUnicode, Hir, HirKind};
use regex_syntax::utf8::Utf8Sequences;
use std::cell::RefCell;
use std::collections::HashMap;

const STATE: u64 = 32;
const TRANSITION: u64 = 8;
const ALTERNATE: u64 = 4;
/// Start states, the unanchored prefix, the implicit group, the match.
const WRAPPER: u64 = 64 * STATE;

/// Bytes the larger of a pattern's forward and reverse NFA may take, at
/// most (saturating).
pub fn nfa_size_bound(hir: &Hir) -> u64 {
    bound(hir).saturating_add(WRAPPER)
}

/// At most how many byte ranges the UTF-8 sequences of a scalar range hold
/// (what `Utf8Sequences` yields, without running it): a part of the range
/// whose scalars encode to `n` bytes splits into at most `2n - 1` sequences
/// of `n` ranges, and the surrogate gap cuts the 3-byte part in two.
fn utf8_ranges_bound(start: u32, end: u32) -> u64 {
    const CLASSES: [(u32, u32, u64); 5] = [
        (0, 0x7F, 1),
        (0x80, 0x7FF, 6),
        (0x800, 0xD7FF, 15),
        (0xE000, 0xFFFF, 15),
        (0x1_0000, 0x10_FFFF, 28),
    ];
    CLASSES
        .iter()
        .filter(|(lo, hi, _)| start <= *hi && *lo <= end)
        .map(|(_, _, n)| n)
        .sum()
}

/// The byte ranges of a Unicode class's UTF-8 sequences, counted exactly
/// (a cheap bound per scalar range for small classes; the count of a big
/// class such as `\w` is remembered, as it recurs in most patterns).
fn unicode_class_ranges(c: &ClassUnicode) -> u64 {
    let cheap: u64 = c
        .iter()
        .map(|r| utf8_ranges_bound(u32::from(r.start()), u32::from(r.end())))
        .sum();
    if c.ranges().len() < 16 {
        return cheap;
    }
    thread_local! {
        static KNOWN: RefCell<HashMap<Vec<(char, char)>, u64>> = RefCell::default();
    }
    let key: Vec<(char, char)> = c.iter().map(|r| (r.start(), r.end())).collect();
    KNOWN.with_borrow_mut(|known| {
        *known.entry(key).or_insert_with(|| {
            c.iter()
                .flat_map(|r| Utf8Sequences::new(r.start(), r.end()))
                .map(|s| s.as_slice().len() as u64)
                .sum()
        })
    })
}

fn bound(h: &Hir) -> u64 {
    match h.kind() {
        HirKind::Empty | HirKind::Look(_) => 2 * STATE,
        HirKind::Literal(l) => (l.0.len() as u64 + 1) * STATE,
        HirKind::Class(Class::Bytes(c)) => 2 * STATE + c.ranges().len() as u64 * TRANSITION,
        HirKind::Class(Class::Unicode(c)) => {
            if c.is_ascii() {
                return 2 * STATE + c.ranges().len() as u64 * TRANSITION;
            }
            // Forward: one sparse state per UTF-8 trie node (at most one per
            // byte range of every sequence), each range a transition.
            // Reverse: a byte-range state per byte range, an alternate per
            // sequence. Both under (STATE + TRANSITION + ALTERNATE) per range.
            let ranges = unicode_class_ranges(c);
            (ranges + 4) * (STATE + TRANSITION + ALTERNATE)
        }
        HirKind::Capture(c) => bound(&c.sub).saturating_add(2 * STATE),
        HirKind::Concat(hs) => hs.iter().fold(STATE, |acc, h| acc.saturating_add(bound(h))),
        HirKind::Alternation(hs) => {
            // Either a union over the compiled alternatives or, when all are
            // literals, a literal trie (a union, a state and a transition per
            // trie node, two alternates per node): count both.
            let generic = hs.iter().fold(2 * STATE, |acc, h| {
                acc.saturating_add(bound(h))
                    .saturating_add(2 * ALTERNATE + STATE)
            });
            let trie_bytes: u64 = hs
                .iter()
                .map(|h| match h.kind() {
                    HirKind::Literal(l) => l.0.len() as u64 + 1,
                    _ => 1,
                })
                .sum();
            let trie = (trie_bytes + 2)
                .saturating_mul(2 * STATE + TRANSITION + 2 * ALTERNATE)
                .saturating_add(hs.len() as u64 * (STATE + 2 * ALTERNATE));
            generic.saturating_add(trie)
        }
        HirKind::Repetition(r) => {
            // `min` copies, then up to `max - min` optional ones (a union
            // and an empty each), or one looping copy.
            let copies = u64::from(r.max.unwrap_or(r.min).max(r.min)).max(1);
            let each = bound(&r.sub).saturating_add(2 * STATE + 2 * ALTERNATE);
            copies
                .saturating_mul(each)
                .saturating_add(4 * STATE + 4 * ALTERNATE)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::REGEX_SIZE_LIMIT;

    fn hir(p: &str, ci: bool) -> Hir {
        regex_syntax::ParserBuilder::new()
            .case_insensitive(ci)
            .build()
            .parse(p)
            .unwrap()
    }

    /// Wherever `regex` refuses a pattern as too big, the bound is over the
    /// limit too; checked around the limit, where it matters.
    #[test]
    fn the_bound_is_above_every_refusal() {
        let shapes = [
            "\\w{N}",
            "(\\w{10}){N}",
            "[a-z]{N}",
            "x{N}",
            "(?:ab|cd|ef){N}",
            "(?:\\w+\\s+){0,N}x",
            "\\b(?:\\w|\\d){1,N}\\b",
            "(?:foo|bar|bazz){N}",
            "[^\\n]{N}",
            "(ü|ß|K){N}",
            ".{N}",
            "(?s:.){N}",
            "\\pL{N}",
            "(?:a{N})*",
            "[\\p{Han}\\d]{2,N}",
        ];
        let mut refused = 0;
        for shape in shapes {
            for ci in [false, true] {
                let mut n = 1u32;
                while n < 5_000_000 {
                    let p = shape.replace('N', &n.to_string());
                    let Ok(h) = regex_syntax::ParserBuilder::new()
                        .case_insensitive(ci)
                        .nest_limit(250)
                        .build()
                        .parse(&p)
                    else {
                        break;
                    };
                    let b = nfa_size_bound(&h);
                    let too_big = matches!(
                        crate::rules::Pat::compile(&p, !ci),
                        Err(regex::Error::CompiledTooBig(_))
                    );
                    if too_big {
                        refused += 1;
                        assert!(
                            b > REGEX_SIZE_LIMIT as u64,
                            "{p} (ci {ci}) is refused but bounded by {b}"
                        );
                        break;
                    }
                    if b > 64 * REGEX_SIZE_LIMIT as u64 {
                        break;
                    }
                    n = n * 3 / 2 + 1;
                }
            }
        }
        assert!(refused >= 20, "the shapes must reach the limit: {refused}");
    }

    #[test]
    fn utf8_ranges_bound_holds() {
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        let points = [
            0, 0x7F, 0x80, 0x7FF, 0x800, 0xFFF, 0x1000, 0xD7FF, 0xE000, 0xFFFF, 0x1_0000, 0x3_FFFF,
            0x4_0000, 0x10_FFFF,
        ];
        let scalar = |v: u64| {
            let v = (v % 0x11_0000) as u32;
            char::from_u32(v).unwrap_or('\u{E000}')
        };
        for i in 0..20_000 {
            let (a, b) = if i < 196 {
                (points[i % 14], points[i / 14])
            } else {
                let a = next();
                let b = if i % 2 == 0 { a + next() % 300 } else { next() };
                (u64::from(scalar(a) as u32), u64::from(scalar(b) as u32))
            };
            let (Some(a), Some(b)) = (
                char::from_u32(a as u32).or(Some('\u{E000}')),
                char::from_u32(b as u32).or(Some('\u{E000}')),
            ) else {
                continue;
            };
            let (a, b) = if a <= b { (a, b) } else { (b, a) };
            let exact: u64 = regex_syntax::utf8::Utf8Sequences::new(a, b)
                .map(|s| s.as_slice().len() as u64)
                .sum();
            let bound = utf8_ranges_bound(a as u32, b as u32);
            assert!(exact <= bound, "{a:?}..={b:?}: {exact} > {bound}");
        }
    }

    #[test]
    fn the_bundled_kinds_of_pattern_are_well_under_the_limit() {
        let b = nfa_size_bound(&hir(
            "\\b(?:website|web\\s?page|page)\\b[^.;]{0,60}\\b(?:incorrect|inaccurate)\\b",
            true,
        ));
        assert!(b < REGEX_SIZE_LIMIT as u64 / 4, "{b}");
        let b = nfa_size_bound(&hir("(\\w{100}){100}", true));
        assert!(b > REGEX_SIZE_LIMIT as u64, "{b}");
    }
}
