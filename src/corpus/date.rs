//! Dates as the sources give them: a year, a month or a day, each kept as
//! the interval of days it covers. "2019-05" is all of May 2019; nothing is
//! rounded to a guessed day, so order between two statements is only ever
//! claimed when their intervals do not overlap.

use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use std::cmp::Ordering;
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Precision {
    Year,
    Month,
    Day,
}

/// A date at the precision its source gives, as an inclusive day interval.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct DateRange {
    pub start: NaiveDate,
    /// Inclusive last day.
    pub end: NaiveDate,
    pub precision: Precision,
}

/// How two intervals lie in time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum Relation {
    /// `self` ends before the other starts.
    Before,
    /// `self` starts after the other ends.
    After,
    /// They share at least one day: no order can be claimed.
    Overlap,
}

impl DateRange {
    /// Parses `YYYY`, `YYYY-MM` or `YYYY-MM-DD`. The error says what was
    /// wrong in words a user can act on.
    pub fn parse(s: &str) -> Result<DateRange, String> {
        let t = s.trim();
        // A timestamp, or another separator: say that, not which part
        // has the wrong number of digits.
        if t.len() > 10
            && t.is_char_boundary(10)
            && matches!(t.as_bytes()[10], b'T' | b't' | b' ')
            && DateRange::parse(&t[..10]).is_ok()
        {
            return Err(format!(
                "`{t}` is not a date: a date has no time of day: write {}",
                &t[..10]
            ));
        }
        if t.contains(['/', '.', '_', ' '])
            && t.chars().all(|c| c.is_ascii_digit() || "/._ -".contains(c))
        {
            let dashed: String = t
                .split(['/', '.', '_', ' ', '-'])
                .filter(|p| !p.is_empty())
                .collect::<Vec<_>>()
                .join("-");
            let write = match DateRange::parse(&dashed) {
                Ok(_) => format!(": write {dashed}"),
                Err(_) => String::new(),
            };
            return Err(format!(
                "`{t}` is not a date: dates are written YYYY, YYYY-MM or YYYY-MM-DD with `-`{write}"
            ));
        }
        let parts: Vec<&str> = t.split('-').collect();
        let num = |p: &str, what: &str, len: usize| -> Result<u32, String> {
            if p.len() != len || !p.bytes().all(|b| b.is_ascii_digit()) {
                return Err(format!(
                    "`{t}` is not a date: the {what} must be {len} digits (expected YYYY, YYYY-MM or YYYY-MM-DD)"
                ));
            }
            Ok(p.parse().unwrap_or(0))
        };
        match parts.as_slice() {
            [y] => {
                let y = num(y, "year", 4)? as i32;
                let start = NaiveDate::from_ymd_opt(y, 1, 1)
                    .ok_or_else(|| format!("`{t}`: year out of range"))?;
                let end = NaiveDate::from_ymd_opt(y, 12, 31)
                    .ok_or_else(|| format!("`{t}`: year out of range"))?;
                Ok(DateRange {
                    start,
                    end,
                    precision: Precision::Year,
                })
            }
            [y, m] => {
                let y = num(y, "year", 4)? as i32;
                let m = num(m, "month", 2)?;
                if !(1..=12).contains(&m) {
                    return Err(format!(
                        "`{t}` is not a date: month {m} does not exist (01 to 12)"
                    ));
                }
                let start = NaiveDate::from_ymd_opt(y, m, 1)
                    .ok_or_else(|| format!("`{t}`: out of range"))?;
                Ok(DateRange {
                    start,
                    end: last_of_month(start),
                    precision: Precision::Month,
                })
            }
            [y, m, d] => {
                let y = num(y, "year", 4)? as i32;
                let m = num(m, "month", 2)?;
                let d = num(d, "day", 2)?;
                if !(1..=12).contains(&m) {
                    return Err(format!(
                        "`{t}` is not a date: month {m} does not exist (01 to 12)"
                    ));
                }
                let first = NaiveDate::from_ymd_opt(y, m, 1)
                    .ok_or_else(|| format!("`{t}`: out of range"))?;
                let last = last_of_month(first).day();
                let day = NaiveDate::from_ymd_opt(y, m, d).ok_or_else(|| {
                    format!(
                        "`{t}` is not a calendar date: {} {y} has {last} days",
                        month_name(m)
                    )
                })?;
                Ok(DateRange {
                    start: day,
                    end: day,
                    precision: Precision::Day,
                })
            }
            _ => Err(format!(
                "`{t}` is not a date (expected YYYY, YYYY-MM or YYYY-MM-DD)"
            )),
        }
    }

    /// How `self` lies relative to `other`.
    pub fn relation(&self, other: &DateRange) -> Relation {
        if self.end < other.start {
            Relation::Before
        } else if self.start > other.end {
            Relation::After
        } else {
            Relation::Overlap
        }
    }

    /// Days between the nearest edges; 0 when the intervals overlap.
    pub fn gap_days(&self, other: &DateRange) -> i64 {
        match self.relation(other) {
            Relation::Before => (other.start - self.end).num_days(),
            Relation::After => (self.start - other.end).num_days(),
            Relation::Overlap => 0,
        }
    }

    /// Total order used for sorting output: by start, then by end.
    pub fn sort_cmp(&self, other: &DateRange) -> Ordering {
        (self.start, self.end).cmp(&(other.start, other.end))
    }
}

impl fmt::Display for DateRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.precision {
            Precision::Year => write!(f, "{}", self.start.format("%Y")),
            Precision::Month => write!(f, "{}", self.start.format("%Y-%m")),
            Precision::Day => write!(f, "{}", self.start.format("%Y-%m-%d")),
        }
    }
}

impl Serialize for DateRange {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

fn last_of_month(first: NaiveDate) -> NaiveDate {
    let (y, m) = if first.month() == 12 {
        (first.year() + 1, 1)
    } else {
        (first.year(), first.month() + 1)
    };
    NaiveDate::from_ymd_opt(y, m, 1)
        .map(|d| d.pred_opt().unwrap_or(d))
        .unwrap_or(first)
}

fn month_name(m: u32) -> &'static str {
    [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ][(m as usize).saturating_sub(1).min(11)]
}

/// A `window` setting: "90d", "6w", "18m", "3y". Months count as 31 days and
/// years as 366 so a window never cuts off a pair its author meant to keep.
pub fn parse_window(s: &str) -> Result<i64, String> {
    let t = s.trim();
    let (num, unit) = t.split_at(t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len()));
    let unit = unit.trim_start();
    let n: i64 = num.parse().map_err(|_| {
        format!(
            "`{t}` is not a window: expected a number and a unit, e.g. \"90d\", \"18m\", \"3y\""
        )
    })?;
    let per = match unit {
        "d" => 1,
        "w" => 7,
        "m" => 31,
        "y" => 366,
        _ => {
            // "3 years", "90 days": say what to write instead.
            let hint = match unit.chars().next().map(|c| c.to_ascii_lowercase()) {
                Some(c @ ('d' | 'w' | 'm' | 'y')) => format!(" (write \"{n}{c}\")"),
                _ => String::new(),
            };
            return Err(format!(
                "`{t}` is not a window: unit `{unit}` is not one of d (days), w (weeks), m (months), y (years){hint}"
            ));
        }
    };
    n.checked_mul(per)
        .filter(|d| *d <= 366 * 1000)
        .ok_or_else(|| format!("`{t}` is not a window: longer than 1000 years"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> DateRange {
        DateRange::parse(s).unwrap()
    }

    #[test]
    fn precision_is_kept_as_an_interval() {
        let m = d("2019-05");
        assert_eq!(m.start.to_string(), "2019-05-01");
        assert_eq!(m.end.to_string(), "2019-05-31");
        assert_eq!(d("2020").end.to_string(), "2020-12-31");
        assert_eq!(d("2024-02").end.to_string(), "2024-02-29");
        assert_eq!(m.to_string(), "2019-05");
    }

    #[test]
    fn impossible_dates_are_refused_with_a_reason() {
        let e = DateRange::parse("2021-02-30").unwrap_err();
        assert!(e.contains("February 2021 has 28 days"), "{e}");
        assert!(
            DateRange::parse("2021-13")
                .unwrap_err()
                .contains("month 13")
        );
        assert!(DateRange::parse("21-01").is_err());
        assert!(DateRange::parse("May 2019").is_err());
    }

    #[test]
    fn order_is_only_claimed_without_overlap() {
        assert_eq!(d("2017").relation(&d("2021-04")), Relation::Before);
        assert_eq!(d("2021-04").relation(&d("2021-04-15")), Relation::Overlap);
        assert_eq!(
            d("2021-04-15").relation(&d("2021-04-15")),
            Relation::Overlap
        );
        assert_eq!(d("2021-04-16").relation(&d("2021-04-15")), Relation::After);
        assert_eq!(d("2021-04-15").gap_days(&d("2021-04-16")), 1);
        assert_eq!(
            d("2017").gap_days(&d("2021-04")),
            (d("2021-04").start - d("2017").end).num_days()
        );
        assert_eq!(d("2021").gap_days(&d("2021-06")), 0);
    }

    #[test]
    fn windows() {
        assert_eq!(parse_window("90d").unwrap(), 90);
        assert_eq!(parse_window("3y").unwrap(), 1098);
        let e = parse_window("3 years").unwrap_err();
        assert!(
            e.contains("unit `years`") && e.ends_with("(write \"3y\")"),
            "{e}"
        );
        assert!(parse_window("99999999999999999999d").is_err());
        assert!(
            parse_window("9999999999999999y")
                .unwrap_err()
                .contains("1000 years")
        );
        assert!(parse_window("y").is_err());
    }
}
