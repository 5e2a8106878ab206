//! Hours that count (服务时长): check-in and check-out of one shift, at most 24 hours of
//! service in a day, confirmed once by the team leader; and the service record the 2020
//! national rules (志愿服务记录与证明出具办法) describe — who, what, where, when, hours,
//! evaluation — summed over a period for a certificate.

use super::Window;
use crate::{FieldError, Reason};
use jiff::civil::{Date, DateTime};

/// Minutes in a day.
pub const DAY_MINUTES: i64 = 24 * 60;

/// Checks a check-out at `out` after a check-in at `check_in`: the check-out is later,
/// and the volunteer's service on each day it touches (with `served_on(day)`, the minutes
/// they already served that day in other shifts) stays within 24 hours. Returns the
/// window served.
pub fn check_out(
    check_in: DateTime,
    out: DateTime,
    served_on: impl Fn(Date) -> i64,
) -> Result<Window, FieldError> {
    if out <= check_in {
        return Err(FieldError::new("checked_out_at", Reason::EndsBeforeStart));
    }
    let window = Window { start: check_in, end: out };
    let mut day = check_in.date();
    while day <= out.date() {
        let from =
            if day == check_in.date() { check_in } else { day.to_datetime(jiff::civil::Time::midnight()) };
        let next = day.tomorrow().map_err(|_| FieldError::new("checked_out_at", Reason::BadDateTime))?;
        let until = if day == out.date() { out } else { next.to_datetime(jiff::civil::Time::midnight()) };
        let minutes = from.duration_until(until).as_secs() / 60;
        if minutes + served_on(day) > DAY_MINUTES {
            return Err(FieldError::new("checked_out_at", Reason::MoreThanADay));
        }
        day = next;
    }
    Ok(window)
}

/// The minutes of `w` that fall on `day`.
pub fn minutes_on(w: &Window, day: Date) -> i64 {
    let from = day.to_datetime(jiff::civil::Time::midnight());
    let Ok(next) = day.tomorrow() else { return 0 };
    let until = next.to_datetime(jiff::civil::Time::midnight());
    let (s, e) = (w.start.max(from), w.end.min(until));
    if e > s { s.duration_until(e).as_secs() / 60 } else { 0 }
}

/// Hours from minutes, as a certificate prints them (one decimal).
pub fn hours_text(minutes: i64) -> String {
    format!("{}.{}", minutes / 60, (minutes % 60) * 10 / 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime {
        s.parse().unwrap()
    }

    #[test]
    fn a_check_out_comes_after_the_check_in_and_a_day_holds_24_hours() {
        let w = check_out(at("2022-03-15T08:00"), at("2022-03-15T12:30"), |_| 0).unwrap();
        assert_eq!((w.minutes(), hours_text(w.minutes())), (270, "4.5".to_owned()));
        assert_eq!(
            check_out(at("2022-03-15T08:00"), at("2022-03-15T08:00"), |_| 0).unwrap_err().reason,
            Reason::EndsBeforeStart
        );
        assert_eq!(
            check_out(at("2022-03-15T08:00"), at("2022-03-15T20:00"), |_| 13 * 60).unwrap_err().reason,
            Reason::MoreThanADay
        );
        // Overnight: 22:00 to 06:00 is two hours on the first day and six on the next.
        let served = |d: Date| if d == jiff::civil::date(2022, 3, 16) { 18 * 60 } else { 0 };
        assert_eq!(check_out(at("2022-03-15T22:00"), at("2022-03-16T06:00"), served).unwrap().minutes(), 480);
        let served = |d: Date| if d == jiff::civil::date(2022, 3, 16) { 18 * 60 + 1 } else { 0 };
        assert!(check_out(at("2022-03-15T22:00"), at("2022-03-16T06:00"), served).is_err());
    }
}
