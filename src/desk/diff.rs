//! Word-level diffs between two texts, for `compare` and for quote
//! verification. Words are whitespace-separated tokens, so a reflowed
//! paragraph diffs as equal and a changed word shows as one change, not as a
//! line rewritten; the plain rendering is git's `--word-diff=plain`
//! (`[-old-]{+new+}`), readable without colour and in a pasted issue.

use similar::{Algorithm, DiffTag, capture_diff_slices};

/// One run of words that are the same in both texts, or only in one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Seg {
    Same(String),
    Del(String),
    Ins(String),
}

impl Seg {
    pub fn text(&self) -> &str {
        match self {
            Seg::Same(s) | Seg::Del(s) | Seg::Ins(s) => s,
        }
    }
}

/// The word diff from `old` to `new`. Deletions come before insertions at a
/// change, as in git.
pub fn word_diff(old: &str, new: &str) -> Vec<Seg> {
    let a: Vec<&str> = old.split_whitespace().collect();
    let b: Vec<&str> = new.split_whitespace().collect();
    let mut out = Vec::new();
    for op in capture_diff_slices(Algorithm::Myers, &a, &b) {
        let (tag, ra, rb) = op.as_tag_tuple();
        let join = |w: &[&str]| w.join(" ");
        match tag {
            DiffTag::Equal => out.push(Seg::Same(join(&a[ra]))),
            DiffTag::Delete => out.push(Seg::Del(join(&a[ra]))),
            DiffTag::Insert => out.push(Seg::Ins(join(&b[rb]))),
            DiffTag::Replace => {
                out.push(Seg::Del(join(&a[ra])));
                out.push(Seg::Ins(join(&b[rb])));
            }
        }
    }
    out
}

/// Share of words the two texts have in common, 0.0 to 1.0.
pub fn word_similarity(old: &str, new: &str) -> f64 {
    let a: Vec<&str> = old.split_whitespace().collect();
    let b: Vec<&str> = new.split_whitespace().collect();
    if a.is_empty() && b.is_empty() {
        return 1.0;
    }
    let ops = capture_diff_slices(Algorithm::Myers, &a, &b);
    f64::from(similar::diff_ratio(&ops, a.len(), b.len()))
}

/// `[-old-]{+new+}` markup, for output without colour.
pub fn render_plain(segs: &[Seg]) -> String {
    render_with(segs, |s| match s {
        Seg::Same(t) => t.clone(),
        Seg::Del(t) => format!("[-{t}-]"),
        Seg::Ins(t) => format!("{{+{t}+}}"),
    })
}

/// Red strike-through deletions and green insertions, for a terminal.
pub fn render_ansi(segs: &[Seg]) -> String {
    render_with(segs, |s| match s {
        Seg::Same(t) => t.clone(),
        Seg::Del(t) => format!("\x1b[31;9m{t}\x1b[0m"),
        Seg::Ins(t) => format!("\x1b[32;4m{t}\x1b[0m"),
    })
}

fn render_with(segs: &[Seg], f: impl Fn(&Seg) -> String) -> String {
    segs.iter()
        .filter(|s| !s.text().is_empty())
        .map(f)
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reflow_is_no_change_and_a_word_is_one() {
        assert_eq!(
            render_plain(&word_diff("a b\n c", "a  b c")),
            "a b c".to_string()
        );
        assert_eq!(
            render_plain(&word_diff("we did not know", "we did know it")),
            "we did [-not-] know {+it+}"
        );
        assert_eq!(
            render_plain(&word_diff("one two", "one three")),
            "one [-two-] {+three+}"
        );
        assert!(word_similarity("a b c d", "a b c e") > 0.7);
    }
}
