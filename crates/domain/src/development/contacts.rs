//! 一对一联系培养 (one-to-one cultivation, the Tencent practice in the source article): a
//! committee member assigned to a key staff member (backbone), with a cadence of recorded
//! contacts before and alongside the formal procedure. This is practice, not a rule of
//! RULES.md: the cadence is a setting of each assignment.

use crate::error::{Reason, ValidationErrors};
use jiff::ToSpan;
use jiff::civil::Date;

/// Shortest and longest cadence, in days.
pub const CADENCE_DAYS: (u32, u32) = (7, 365);
/// The cadence when none is given: a contact a month.
pub const DEFAULT_CADENCE_DAYS: u32 = 30;

/// When the next contact is due: the cadence after the last contact, or after the
/// assignment when there has been none.
pub fn next_due(since: Date, last_contact: Option<Date>, cadence_days: u32) -> Date {
    let from = last_contact.map_or(since, |l| l.max(since));
    from.checked_add(i64::from(cadence_days).days()).unwrap_or(from)
}

/// Whether the contact is overdue on `today`.
pub fn overdue(since: Date, last_contact: Option<Date>, cadence_days: u32, today: Date) -> bool {
    today > next_due(since, last_contact, cadence_days)
}

/// Checks a cadence typed in a form (empty: the default).
pub fn parse_cadence(raw: &str) -> Result<u32, ValidationErrors> {
    let t = raw.trim();
    if t.is_empty() {
        return Ok(DEFAULT_CADENCE_DAYS);
    }
    match t.parse::<u32>() {
        Ok(n) if (CADENCE_DAYS.0..=CADENCE_DAYS.1).contains(&n) => Ok(n),
        _ => {
            let mut e = ValidationErrors::default();
            e.push(
                "cadence_days",
                Reason::NumberOutOfRange { min: i64::from(CADENCE_DAYS.0), max: i64::from(CADENCE_DAYS.1) },
            );
            Err(e)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn due_after_the_cadence_from_the_last_contact() {
        let since = Date::constant(2026, 9, 1);
        assert_eq!(next_due(since, None, 30), Date::constant(2026, 10, 1));
        assert_eq!(next_due(since, Some(Date::constant(2026, 11, 10)), 30), Date::constant(2026, 12, 10));
        assert!(!overdue(since, Some(Date::constant(2026, 11, 10)), 30, Date::constant(2026, 12, 10)));
        assert!(overdue(since, Some(Date::constant(2026, 11, 10)), 30, Date::constant(2026, 12, 11)));
        assert!(overdue(since, None, 30, Date::constant(2026, 11, 29)), "never contacted");
        assert_eq!(parse_cadence("").unwrap(), 30);
        assert!(parse_cadence("3").is_err() && parse_cadence("x").is_err());
    }
}
