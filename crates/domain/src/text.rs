//! Bounded, trimmed text fields and date parsing shared by every input type.

use crate::error::{FieldError, Reason};
use jiff::civil::Date;

/// Trims `raw` and checks it is non-empty and at most `max` characters.
pub fn required(field: &'static str, raw: &str, max: usize) -> Result<String, FieldError> {
    let t = raw.trim();
    if t.is_empty() {
        return Err(FieldError::new(field, Reason::Required));
    }
    bounded(field, t, max)
}

/// Trims `raw`; empty becomes `None`; otherwise at most `max` characters.
pub fn optional(field: &'static str, raw: &str, max: usize) -> Result<Option<String>, FieldError> {
    let t = raw.trim();
    if t.is_empty() {
        return Ok(None);
    }
    bounded(field, t, max).map(Some)
}

fn bounded(field: &'static str, t: &str, max: usize) -> Result<String, FieldError> {
    if t.chars().count() > max {
        return Err(FieldError::new(field, Reason::TooLong { max }));
    }
    if t.chars().any(|c| c.is_control()) {
        return Err(FieldError::new(field, Reason::UnknownChoice));
    }
    Ok(t.to_owned())
}

/// Parses an optional `YYYY-MM-DD` date; empty is `None`.
pub fn optional_date(field: &'static str, raw: &str) -> Result<Option<Date>, FieldError> {
    let t = raw.trim();
    if t.is_empty() {
        return Ok(None);
    }
    parse_date(field, t).map(Some)
}

/// Parses a required `YYYY-MM-DD` date.
pub fn required_date(field: &'static str, raw: &str) -> Result<Date, FieldError> {
    let t = raw.trim();
    if t.is_empty() {
        return Err(FieldError::new(field, Reason::Required));
    }
    parse_date(field, t)
}

fn parse_date(field: &'static str, t: &str) -> Result<Date, FieldError> {
    let b = t.as_bytes();
    let shape_ok = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter().enumerate().all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    if !shape_ok {
        return Err(FieldError::new(field, Reason::BadDate));
    }
    let y: i16 = t[0..4].parse().map_err(|_| FieldError::new(field, Reason::BadDate))?;
    let m: i8 = t[5..7].parse().map_err(|_| FieldError::new(field, Reason::BadDate))?;
    let d: i8 = t[8..10].parse().map_err(|_| FieldError::new(field, Reason::BadDate))?;
    if y < 1900 {
        return Err(FieldError::new(field, Reason::BadDate));
    }
    Date::new(y, m, d).map_err(|_| FieldError::new(field, no_such_date_or_bad(m, d)))
}

/// Why a date written as year, month and day is not a date: a month of 1 to 12 and a day of
/// 1 to 31 that the calendar lacks (`2023-02-30`) is a day that does not exist; anything else
/// is badly written.
pub fn no_such_date_or_bad(month: i8, day: i8) -> Reason {
    if (1..=12).contains(&month) && (1..=31).contains(&day) { Reason::NoSuchDate } else { Reason::BadDate }
}

/// Keeps `head` and `tail` characters and stars the rest.
pub fn mask(s: &str, head: usize, tail: usize) -> String {
    let n = s.chars().count();
    if n <= head + tail {
        return "*".repeat(n);
    }
    s.chars().enumerate().map(|(i, c)| if i < head || i >= n - tail { c } else { '*' }).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_parse_only_real_calendar_days() {
        assert!(required_date("d", "2024-02-29").is_ok());
        for bad in
            ["2024-13-01", "24-01-01", "2024/01/01", "2024-1-01", "abcd-ef-gh", "1899-12-31", "2024-01-32"]
        {
            assert_eq!(required_date("d", bad).unwrap_err().reason, Reason::BadDate, "{bad}");
        }
        // Well written, but not a day of the calendar: said so, not "write it as YYYY-MM-DD".
        for impossible in ["2023-02-29", "2023-02-30", "2024-04-31"] {
            assert_eq!(
                required_date("d", impossible).unwrap_err().reason,
                Reason::NoSuchDate,
                "{impossible}"
            );
        }
        assert_eq!(required_date("d", " ").unwrap_err().reason, Reason::Required);
        assert_eq!(optional_date("d", "").unwrap(), None);
    }

    #[test]
    fn text_is_trimmed_and_bounded_in_characters() {
        assert_eq!(required("n", "  张三 ", 2).unwrap(), "张三");
        assert_eq!(required("n", "张三丰", 2).unwrap_err().reason, Reason::TooLong { max: 2 });
        assert_eq!(required("n", "   ", 2).unwrap_err().reason, Reason::Required);
        assert_eq!(optional("n", "", 2).unwrap(), None);
    }
}
