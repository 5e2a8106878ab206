//! Volunteer service and mobilisation (志愿服务): teams and their volunteers (members and
//! non-members), service requests from those who need help, the shifts a request becomes,
//! sign-ups within capacity and without overlap, and the hours that count.

pub mod donations;
pub mod hours;
pub mod requests;
pub mod shifts;
pub mod teams;

use crate::{FieldError, Reason};
use jiff::civil::DateTime;

/// Parses a required local date and time, `YYYY-MM-DDTHH:MM` (a form's `datetime-local`;
/// seconds allowed, a space for the `T` too).
pub fn parse_datetime(field: &'static str, raw: &str) -> Result<DateTime, FieldError> {
    let t = raw.trim().replace(' ', "T");
    if t.is_empty() {
        return Err(FieldError::new(field, Reason::Required));
    }
    t.parse::<DateTime>().map_err(|_| FieldError::new(field, Reason::BadDateTime))
}

/// A time window `[start, end)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Window {
    /// From.
    pub start: DateTime,
    /// Until (later than `start`).
    pub end: DateTime,
}

impl Window {
    /// Parses a window from its two fields; the end must be later than the start.
    pub fn parse(
        start_field: &'static str,
        start: &str,
        end_field: &'static str,
        end: &str,
    ) -> Result<Self, Vec<FieldError>> {
        let s = parse_datetime(start_field, start);
        let e = parse_datetime(end_field, end);
        match (s, e) {
            (Ok(start), Ok(end)) if end > start => Ok(Self { start, end }),
            (Ok(_), Ok(_)) => Err(vec![FieldError::new(end_field, Reason::EndsBeforeStart)]),
            (s, e) => Err([s.err(), e.err()].into_iter().flatten().collect()),
        }
    }

    /// True when the two windows share a moment (touching ends do not overlap).
    pub fn overlaps(&self, other: &Window) -> bool {
        self.start < other.end && other.start < self.end
    }

    /// Whole minutes from start to end.
    pub fn minutes(&self) -> i64 {
        self.start.duration_until(self.end).as_secs() / 60
    }
}
