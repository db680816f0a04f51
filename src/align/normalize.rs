//! Text normalisation and tokenisation shared by the splitter, the aligner,
//! the similarity measure and the Lazy Prices measures.
//!
//! Normalisation makes two renderings of the same sentence byte-identical:
//! it folds case, curly and straight quotes, dash styles, non-breaking and
//! other exotic spaces, drops zero-width characters, soft hyphens and
//! Markdown emphasis marks, and collapses whitespace (so line wrapping does
//! not matter). Tokenisation turns normalised text into words: runs of
//! letters and digits outside CJK scripts (a number may carry `,` or `.`
//! between digits), and character bigrams inside runs of CJK characters,
//! which have no spaces to split on.

use std::borrow::Cow;

use regex::Regex;

/// The placeholder a volatile token (see `AlignConfig::volatile`) is
/// replaced with. It is not alphanumeric, so tokenisation skips it: a
/// volatile token neither helps nor hurts similarity.
pub(crate) const VOLATILE_MARK: &str = "#";

/// Normalises `text` as described in the module doc, without volatile
/// tokens (those depend on the alignment's configuration).
pub fn normalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    // Start as if after a space so leading whitespace is dropped.
    let mut pending_space = false;
    for c in text.chars() {
        let mapped = match c {
            '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' | '`' | '\u{00B4}' => {
                '\''
            }
            '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{2033}' | '\u{00AB}'
            | '\u{00BB}' => '"',
            '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2014}' | '\u{2015}'
            | '\u{2212}' | '\u{FE58}' | '\u{FE63}' | '\u{FF0D}' => '-',
            // Zero-width characters, soft hyphens and Markdown emphasis carry
            // no wording.
            '\u{00AD}' | '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}' | '*'
            | '_' => continue,
            // A table's cell separators are spacing, so a Markdown table row
            // and its flattened rendering compare equal.
            '|' => ' ',
            c if c.is_whitespace() => ' ',
            c => c,
        };
        if mapped == ' ' {
            pending_space = !out.is_empty();
            continue;
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        if mapped.is_uppercase() {
            out.extend(mapped.to_lowercase());
        } else {
            out.push(mapped);
        }
    }
    out
}

/// Replaces every match of the volatile patterns in an already normalised
/// text with [`VOLATILE_MARK`]. Patterns see lowercased text.
pub(crate) fn mask_volatile<'a>(norm: &'a str, volatile: &[Regex]) -> Cow<'a, str> {
    let mut cur = Cow::Borrowed(norm);
    for re in volatile {
        if let Cow::Owned(s) = re.replace_all(&cur, VOLATILE_MARK) {
            cur = Cow::Owned(s);
        }
    }
    cur
}

/// True for characters of scripts written without spaces between words
/// (Han, kana, Hangul and their punctuation-free extensions).
pub(crate) fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF     // Hiragana, Katakana
        | 0x3400..=0x4DBF   // CJK Extension A
        | 0x4E00..=0x9FFF   // CJK Unified Ideographs
        | 0xAC00..=0xD7AF   // Hangul syllables
        | 0xF900..=0xFAFF   // CJK compatibility ideographs
        | 0x20000..=0x2FA1F // CJK Extensions B–F, compatibility supplement
    )
}

/// One token of normalised text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Token<'a> {
    /// A run of letters (possibly mixed with digits, as in `737x` or `fy23`).
    Word(&'a str),
    /// A number: digits only once `,` separators are removed (`1,178` → `1178`).
    Number(Cow<'a, str>),
    /// A CJK character bigram, or a lone CJK character in a run of one.
    Cjk(&'a str),
}

/// Splits normalised text into tokens (see the module doc).
pub(crate) fn tokens(norm: &str) -> Vec<Token<'_>> {
    let mut out = Vec::new();
    let bytes_len = norm.len();
    let mut it = norm.char_indices().peekable();
    while let Some((start, c)) = it.next() {
        if is_cjk(c) {
            // A CJK run: bigrams of consecutive characters.
            let mut prev = (start, c);
            let mut single = true;
            while let Some(&(i, d)) = it.peek() {
                if !is_cjk(d) {
                    break;
                }
                single = false;
                out.push(Token::Cjk(&norm[prev.0..i + d.len_utf8()]));
                prev = (i, d);
                it.next();
            }
            if single {
                out.push(Token::Cjk(&norm[start..start + c.len_utf8()]));
            }
        } else if c.is_alphanumeric() {
            let mut end = start + c.len_utf8();
            let mut all_digits = c.is_ascii_digit();
            let mut last_digit = all_digits;
            let mut has_sep = false;
            while let Some(&(i, d)) = it.peek() {
                if d.is_alphanumeric() && !is_cjk(d) {
                    all_digits &= d.is_ascii_digit();
                    last_digit = d.is_ascii_digit();
                    end = i + d.len_utf8();
                    it.next();
                } else if (d == ',' || d == '.')
                    && last_digit
                    && norm[i + 1..]
                        .bytes()
                        .next()
                        .is_some_and(|b| b.is_ascii_digit())
                {
                    has_sep |= d == ',';
                    it.next();
                } else {
                    break;
                }
            }
            let end = end.min(bytes_len);
            let s = &norm[start..end];
            if all_digits {
                let n = if has_sep {
                    Cow::Owned(s.replace(',', ""))
                } else {
                    Cow::Borrowed(s)
                };
                out.push(Token::Number(n));
            } else {
                out.push(Token::Word(s));
            }
        }
    }
    out
}

/// The words and figures of a normalised text in order, joined by one
/// space, with footnote marks glued to the end of a word (`hedges(1)`,
/// `brand(a)(2)`: a mark of one or two digits or one letter in brackets, no
/// space before it) left out. A mark after a figure is a reference
/// (`Section 12(g)`, `401(k)`) and stays. Two texts that differ
/// only by such marks and punctuation give the same string. A bracketed
/// figure after a space (`(28)`, a negative amount) is data and stays.
pub(crate) fn unmarked_tokens(norm: &str) -> String {
    let b = norm.as_bytes();
    let mut text = String::with_capacity(norm.len());
    let mut k = 0;
    // Right after a mark left out (`brand(1)(2)`).
    let mut after_mark = false;
    while k < b.len() {
        if b[k] == b'(' && k > 0 && (b[k - 1].is_ascii_lowercase() || after_mark) {
            let inner = b[k + 1..].iter().take_while(|c| **c != b')').count();
            let body = &b[k + 1..k + 1 + inner];
            let closed = k + 1 + inner < b.len();
            let mark = (1..=2).contains(&body.len()) && body.iter().all(u8::is_ascii_digit)
                || body.len() == 1 && body[0].is_ascii_lowercase();
            if closed && mark {
                k += inner + 2;
                text.push(' ');
                after_mark = true;
                continue;
            }
        }
        after_mark = false;
        let c = norm[k..].chars().next().expect("char boundary");
        text.push(c);
        k += c.len_utf8();
    }
    let mut out = String::with_capacity(text.len());
    for t in tokens(&text) {
        if !out.is_empty() {
            out.push(' ');
        }
        match t {
            Token::Word(w) | Token::Cjk(w) => out.push_str(w),
            Token::Number(n) => out.push_str(&n),
        }
    }
    out
}

/// English function words; they carry little of what a disclosure says, so
/// the similarity measure weights them low.
pub(crate) fn is_stopword(w: &str) -> bool {
    matches!(
        w,
        "a" | "an"
            | "and"
            | "are"
            | "as"
            | "at"
            | "be"
            | "been"
            | "but"
            | "by"
            | "can"
            | "could"
            | "for"
            | "from"
            | "has"
            | "have"
            | "in"
            | "into"
            | "is"
            | "it"
            | "its"
            | "may"
            | "not"
            | "of"
            | "on"
            | "or"
            | "our"
            | "s"
            | "such"
            | "that"
            | "the"
            | "their"
            | "these"
            | "this"
            | "those"
            | "to"
            | "was"
            | "we"
            | "were"
            | "which"
            | "will"
            | "with"
            | "would"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(s: &str) -> Vec<String> {
        tokens(&normalize(s))
            .into_iter()
            .map(|t| match t {
                Token::Word(w) => format!("w:{w}"),
                Token::Number(n) => format!("n:{n}"),
                Token::Cjk(c) => format!("c:{c}"),
            })
            .collect()
    }

    #[test]
    fn folds_quotes_dashes_case_and_wrapping() {
        assert_eq!(
            normalize("  The “Company’s”\n  long\u{2013}term\u{00A0}PLAN "),
            "the \"company's\" long-term plan"
        );
        assert_eq!(normalize("**Bold** text"), "bold text");
        assert_eq!(normalize("| a | b |"), "a b");
    }

    #[test]
    fn numbers_words_and_cjk() {
        assert_eq!(
            toks("Pension benefits $1,178 (1.5)% 737X"),
            ["w:pension", "w:benefits", "n:1178", "n:1.5", "w:737x"]
        );
        assert_eq!(
            toks("皮山社会面防控体系PPP"),
            [
                "c:皮山", "c:山社", "c:社会", "c:会面", "c:面防", "c:防控", "c:控体", "c:体系",
                "w:ppp"
            ]
        );
        assert_eq!(toks("年 ok"), ["c:年", "w:ok"]);
        assert_eq!(
            toks("Sentence end 2023. Next"),
            ["w:sentence", "w:end", "n:2023", "w:next"]
        );
    }

    #[test]
    fn glued_footnote_marks_are_left_out() {
        let u = |s: &str| unmarked_tokens(&normalize(s));
        assert_eq!(u("NET INVESTMENT HEDGES(1)"), u("Net investment hedges"));
        assert_eq!(
            u("Total NIKE Brand(1)(2) $ 5,740"),
            u("Total NIKE Brand $5,740")
        );
        assert_ne!(u("Section 12(g) of the Act"), u("Section 12(b) of the Act"));
        // A negative figure after a space is data.
        assert_ne!(u("Treasury shares (28)"), u("Treasury shares"));
        assert_ne!(u("Other(123)"), u("Other"));
    }

    #[test]
    fn volatile_tokens_are_masked() {
        let re = Regex::new(r"\b20(23|24)\b").unwrap();
        assert_eq!(mask_volatile("in 2023 and 2024", &[re]), "in # and #");
    }
}
