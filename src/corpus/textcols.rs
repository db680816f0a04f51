//! Where a JSONL statement's text stands on its line. The body of a
//! `.jsonl` record is a JSON string, so a byte offset in the decoded text
//! maps to a column of the raw line only through the escapes written there
//! (`\n`, `\"`, `\u00e9`, surrogate pairs). With this map a finding's
//! `file:line:col` opens an editor on the match itself, on the record's own
//! line, instead of "record line + line within the text", which named
//! another record.

/// The map of one record: the text's first column, and the raw column
/// after each escape, so a column is found by counting characters from the
/// nearest escape before it, never from the start of a long text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextCols {
    /// (decoded byte offset, 1-based raw column of the character there):
    /// the text's start, then the point after each escape, ascending.
    marks: Vec<(usize, usize)>,
}

impl TextCols {
    /// Maps the `"text"` string of the JSON object on `line`, whose decoded
    /// value is `text`. `None` when no `"text": "…"` on the line decodes
    /// to `text` (the map is checked, never guessed).
    pub fn new(line: &str, text: &str) -> Option<TextCols> {
        line.match_indices("\"text\"").find_map(|(i, key)| {
            let rest = line[i + key.len()..].trim_start().strip_prefix(':')?;
            let rest = rest.trim_start().strip_prefix('"')?;
            let open = line.len() - rest.len();
            map_string(rest, line[..open].chars().count() + 1, text)
        })
    }

    /// The 1-based column on the raw line of byte `offset` of the text.
    pub fn col(&self, text: &str, offset: usize) -> usize {
        let i = self.marks.partition_point(|&(o, _)| o <= offset).max(1);
        let (from, col) = self.marks[i - 1];
        col + text.get(from..offset).map_or(0, |s| s.chars().count())
    }
}

/// Walks the raw string `raw` (after its opening quote, starting at column
/// `start`) against the decoded `text`; `None` on any disagreement.
fn map_string(raw: &str, start: usize, text: &str) -> Option<TextCols> {
    let mut marks = vec![(0, start)];
    let (mut off, mut col) = (0usize, start);
    let mut chars = raw.chars();
    loop {
        let c = chars.next()?;
        let (decoded, width) = match c {
            '"' => return (off == text.len()).then_some(TextCols { marks }),
            '\\' => match chars.next()? {
                '"' => ('"', 2),
                '\\' => ('\\', 2),
                '/' => ('/', 2),
                'b' => ('\u{8}', 2),
                'f' => ('\u{c}', 2),
                'n' => ('\n', 2),
                'r' => ('\r', 2),
                't' => ('\t', 2),
                'u' => {
                    let hi = hex4(&mut chars)?;
                    if (0xD800..0xDC00).contains(&hi) {
                        let (b, u) = (chars.next()?, chars.next()?);
                        let lo = hex4(&mut chars)?;
                        if b != '\\' || u != 'u' || !(0xDC00..0xE000).contains(&lo) {
                            return None;
                        }
                        let cp = 0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00);
                        (char::from_u32(cp)?, 12)
                    } else {
                        (char::from_u32(hi)?, 6)
                    }
                }
                _ => return None,
            },
            c => (c, 1),
        };
        if !text[off..].starts_with(decoded) {
            return None;
        }
        off += decoded.len_utf8();
        col += width;
        if width > 1 {
            marks.push((off, col));
        }
    }
}

fn hex4(chars: &mut std::str::Chars) -> Option<u32> {
    let mut v = 0;
    for _ in 0..4 {
        v = v * 16 + chars.next()?.to_digit(16)?;
    }
    Some(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The column of every character of the decoded text is that of the
    /// same character (or its escape) on the raw line.
    #[test]
    fn columns_follow_the_escapes_as_written() {
        let line = r#"{"id":"a/b","text":"Line one.\nWe \"never\" knew \u00e9 😀 \ud83d\ude00 x","date":"2021"}"#;
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        let text = v["text"].as_str().unwrap();
        let m = TextCols::new(line, text).expect("maps");
        let col_of = |needle: &str| {
            let raw = line.find(needle).unwrap();
            line[..raw].chars().count() + 1
        };
        assert_eq!(m.col(text, 0), col_of("Line one"));
        assert_eq!(m.col(text, text.find("We").unwrap()), col_of("We"));
        assert_eq!(m.col(text, text.find("never").unwrap()), col_of("never"));
        assert_eq!(m.col(text, text.find('é').unwrap()), col_of("\\u00e9"));
        assert_eq!(m.col(text, text.find('😀').unwrap()), col_of("😀"));
        assert_eq!(m.col(text, text.rfind('😀').unwrap()), col_of("\\ud83d"));
        assert_eq!(m.col(text, text.find(" x").unwrap() + 1), col_of(" x") + 1);
    }

    #[test]
    fn a_text_key_elsewhere_or_a_mismatch_is_not_mapped_by_guess() {
        let line = r#"{"about":{"text":"other"},"text":"body"}"#;
        let m = TextCols::new(line, "body").unwrap();
        assert_eq!(m.col("body", 0), line.find("body").unwrap() + 1);
        assert_eq!(TextCols::new(line, "not the body"), None);
    }
}
