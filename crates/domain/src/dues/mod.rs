//! Party dues (党费, FEE-001…011): months, money in fen, the monthly amount of a member by
//! the brackets and the special cases ([`amount`]), a member's dues profile as typed
//! ([`profile`]), payments, excusals and remittances as typed ([`payment`]), and arrears with
//! the AUD-31 findings ([`arrears`]). Amounts are integers in fen, never floating point.

pub mod amount;
pub mod arrears;
pub mod payment;
pub mod profile;

use crate::{FieldError, Reason};
use jiff::civil::Date;
use serde::Serialize;

/// A calendar month (`2026-11`), ordered; dues are owed per month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(into = "String")]
pub struct Month(i32);

impl Month {
    /// The month of year `y` and month `m` (1–12).
    pub fn new(y: i16, m: i8) -> Self {
        Self(i32::from(y) * 12 + i32::from(m) - 1)
    }

    /// The month a day falls in.
    pub fn of(d: Date) -> Self {
        Self::new(d.year(), d.month())
    }

    /// Year.
    pub fn year(self) -> i16 {
        i16::try_from(self.0.div_euclid(12)).unwrap_or(i16::MAX)
    }

    /// Month of the year, 1–12.
    pub fn month(self) -> i8 {
        i8::try_from(self.0.rem_euclid(12) + 1).unwrap_or(1)
    }

    /// `n` months later (earlier when negative).
    #[must_use]
    pub fn plus(self, n: i32) -> Self {
        Self(self.0 + n)
    }

    /// How many months from `self` to `later` (negative when `later` is earlier).
    pub fn months_to(self, later: Self) -> i32 {
        later.0 - self.0
    }

    /// The first day of the month.
    pub fn first_day(self) -> Date {
        jiff::civil::date(self.year(), self.month(), 1)
    }

    /// The last month of the month's quarter (March, June, September, December).
    #[must_use]
    pub fn quarter_end(self) -> Self {
        Self(self.0 - self.0.rem_euclid(3) + 2)
    }

    /// Reads `YYYY-MM`.
    pub fn parse(field: &'static str, raw: &str) -> Result<Self, FieldError> {
        let t = raw.trim();
        if t.is_empty() {
            return Err(FieldError::new(field, Reason::Required));
        }
        let bad = || {
            FieldError::new(
                field,
                Reason::Refused { zh: "月份格式应为 YYYY-MM", en: "a month is written YYYY-MM" },
            )
        };
        let (y, m) = t.split_once('-').ok_or_else(bad)?;
        if y.len() != 4 || m.len() != 2 || !y.bytes().chain(m.bytes()).all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        let (y, m): (i16, i8) = (y.parse().map_err(|_| bad())?, m.parse().map_err(|_| bad())?);
        if !(1921..=9999).contains(&y) || !(1..=12).contains(&m) {
            return Err(bad());
        }
        Ok(Self::new(y, m))
    }
}

impl std::fmt::Display for Month {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}", self.year(), self.month())
    }
}

impl From<Month> for String {
    fn from(m: Month) -> Self {
        m.to_string()
    }
}

/// Reads an amount of money in yuan (`3000`, `3000.5`, `3,000.01`) as fen; negative,
/// non-numeric, more than two decimals or over 100,000,000 yuan is refused.
pub fn parse_yuan(field: &'static str, raw: &str) -> Result<i64, FieldError> {
    let t: String = raw.trim().chars().filter(|c| *c != ',' && *c != '，').collect();
    if t.is_empty() {
        return Err(FieldError::new(field, Reason::Required));
    }
    let bad = || {
        FieldError::new(
            field,
            Reason::Refused {
                zh: "金额应为不小于 0 的数，最多两位小数（元）",
                en: "an amount in yuan, 0 or more, at most two decimals",
            },
        )
    };
    let (whole, frac) = t.split_once('.').unwrap_or((&t, ""));
    if whole.is_empty()
        || whole.len() > 9
        || frac.len() > 2
        || !whole.bytes().chain(frac.bytes()).all(|b| b.is_ascii_digit())
    {
        return Err(bad());
    }
    let whole: i64 = whole.parse().map_err(|_| bad())?;
    let frac: i64 = if frac.is_empty() { 0 } else { format!("{frac:0<2}").parse().map_err(|_| bad())? };
    let fen = whole * 100 + frac;
    if fen > 10_000_000_000 {
        return Err(bad());
    }
    Ok(fen)
}

/// Fen as yuan with two decimals (`1500` → `15.00`).
pub fn yuan(fen: i64) -> String {
    let sign = if fen < 0 { "-" } else { "" };
    let a = fen.unsigned_abs();
    format!("{sign}{}.{:02}", a / 100, a % 100)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_count_and_print() {
        let m = Month::parse("month", "2026-11").unwrap();
        assert_eq!(m.to_string(), "2026-11");
        assert_eq!(m.plus(2).to_string(), "2027-01");
        assert_eq!(m.plus(-11).to_string(), "2025-12");
        assert_eq!(m.quarter_end().to_string(), "2026-12");
        assert_eq!(Month::new(2026, 1).quarter_end().to_string(), "2026-03");
        assert_eq!(Month::new(2026, 1).months_to(m), 10);
        for bad in ["", "2026-13", "2026-1", "26-11", "2026/11", "1900-01"] {
            assert!(Month::parse("month", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn yuan_is_read_as_fen_exactly() {
        assert_eq!(parse_yuan("w", "3000").unwrap(), 300_000);
        assert_eq!(parse_yuan("w", "3,000.01").unwrap(), 300_001);
        assert_eq!(parse_yuan("w", "0.5").unwrap(), 50);
        for bad in ["-1", "abc", "1.234", "", ".5", "1e3", "1 000"] {
            assert!(parse_yuan("w", bad).is_err(), "{bad}");
        }
        assert_eq!(yuan(1500), "15.00");
        assert_eq!(yuan(5), "0.05");
    }
}
