//! Word-level inline diff of two item texts, for rendering a changed item as
//! `[-old-]{+new+}`. Words are runs of non-space characters; each CJK
//! character is a word of its own (CJK is written without spaces).

use similar::{Algorithm, DiffOp, capture_diff_slices};

use super::normalize::is_cjk;

/// What a segment of a word diff is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DiffTag {
    Equal,
    Delete,
    Insert,
}

fn segments(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut kind = 0u8; // 0 none, 1 space, 2 word
    for (i, c) in s.char_indices() {
        let k = if c.is_whitespace() { 1 } else { 2 };
        if is_cjk(c) {
            if start < i {
                out.push(&s[start..i]);
            }
            out.push(&s[i..i + c.len_utf8()]);
            start = i + c.len_utf8();
            kind = 0;
            continue;
        }
        if k != kind && start < i {
            out.push(&s[start..i]);
            start = i;
        }
        kind = k;
    }
    if start < s.len() {
        out.push(&s[start..]);
    }
    out
}

/// The word-level diff of `a` (old) and `b` (new): consecutive segments of
/// one tag are merged, and within a changed stretch the deletion comes
/// before the insertion (whitespace between changed words goes with the
/// change), so `[-a b-]{+c d+}` rather than `[-a-]{+c+} [-b-]{+d+}`.
/// Concatenating the `Equal` and `Delete` segments gives `a`; the `Equal`
/// and `Insert` segments give `b`.
pub fn word_diff(a: &str, b: &str) -> Vec<(DiffTag, String)> {
    let (sa, sb) = (segments(a), segments(b));
    let ops = capture_diff_slices(Algorithm::Patience, &sa, &sb);
    let mut flat: Vec<(DiffTag, &str)> = Vec::new();
    for op in ops {
        match op {
            DiffOp::Equal { old_index, len, .. } => flat.extend(
                sa[old_index..old_index + len]
                    .iter()
                    .map(|s| (DiffTag::Equal, *s)),
            ),
            DiffOp::Delete {
                old_index, old_len, ..
            } => flat.extend(
                sa[old_index..old_index + old_len]
                    .iter()
                    .map(|s| (DiffTag::Delete, *s)),
            ),
            DiffOp::Insert {
                new_index, new_len, ..
            } => flat.extend(
                sb[new_index..new_index + new_len]
                    .iter()
                    .map(|s| (DiffTag::Insert, *s)),
            ),
            DiffOp::Replace {
                old_index,
                old_len,
                new_index,
                new_len,
            } => {
                flat.extend(
                    sa[old_index..old_index + old_len]
                        .iter()
                        .map(|s| (DiffTag::Delete, *s)),
                );
                flat.extend(
                    sb[new_index..new_index + new_len]
                        .iter()
                        .map(|s| (DiffTag::Insert, *s)),
                );
            }
        }
    }

    let mut out: Vec<(DiffTag, String)> = Vec::new();
    let push = |out: &mut Vec<(DiffTag, String)>, tag: DiffTag, s: &str| {
        if s.is_empty() {
            return;
        }
        match out.last_mut() {
            Some((t, text)) if *t == tag => text.push_str(s),
            _ => out.push((tag, s.to_string())),
        }
    };
    let mut i = 0;
    while i < flat.len() {
        if flat[i].0 == DiffTag::Equal {
            push(&mut out, DiffTag::Equal, flat[i].1);
            i += 1;
            continue;
        }
        let (mut del, mut ins) = (String::new(), String::new());
        let mut j = i;
        while j < flat.len() {
            match flat[j] {
                (DiffTag::Delete, s) => del.push_str(s),
                (DiffTag::Insert, s) => ins.push_str(s),
                (DiffTag::Equal, s)
                    if s.trim().is_empty()
                        && flat.get(j + 1).is_some_and(|n| n.0 != DiffTag::Equal) =>
                {
                    del.push_str(s);
                    ins.push_str(s);
                }
                _ => break,
            }
            j += 1;
        }
        push(&mut out, DiffTag::Delete, &del);
        push(&mut out, DiffTag::Insert, &ins);
        i = j;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(a: &str, b: &str) -> String {
        word_diff(a, b)
            .into_iter()
            .map(|(t, s)| match t {
                DiffTag::Equal => s,
                DiffTag::Delete => format!("[-{s}-]"),
                DiffTag::Insert => format!("{{+{s}+}}"),
            })
            .collect()
    }

    #[test]
    fn inline_word_changes() {
        assert_eq!(
            render("We sold 10 planes in 2023.", "We sold 12 jets in 2024."),
            "We sold [-10 planes-]{+12 jets+} in [-2023.-]{+2024.+}"
        );
        assert_eq!(render("same text", "same text"), "same text");
        assert_eq!(render("", "new"), "{+new+}");
    }

    #[test]
    fn cjk_characters_are_words() {
        assert_eq!(render("皮山县项目", "墨玉县项目"), "[-皮山-]{+墨玉+}县项目");
    }

    #[test]
    fn sides_reassemble() {
        let (a, b) = ("one two  three four", "one 2 three  four five");
        let d = word_diff(a, b);
        let old: String = d
            .iter()
            .filter(|(t, _)| *t != DiffTag::Insert)
            .map(|(_, s)| s.as_str())
            .collect();
        let new: String = d
            .iter()
            .filter(|(t, _)| *t != DiffTag::Delete)
            .map(|(_, s)| s.as_str())
            .collect();
        assert_eq!((old.as_str(), new.as_str()), (a, b));
    }
}
