//! Shifts (班次): a time slot of a request with a capacity of volunteers and a task.
//! Signing up is refused when the shift is full or overlaps a shift the volunteer already
//! has; the store takes the place with a conditional update, so two volunteers taking the
//! last place at the same instant cannot both have it.

use super::Window;
use crate::text;
use crate::{FieldError, Reason, ValidationErrors};
use serde::{Deserialize, Serialize};

/// The most volunteers one shift takes.
pub const CAPACITY_MAX: i64 = 1_000;

/// A shift as typed.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct ShiftInput {
    /// From (`YYYY-MM-DDTHH:MM`).
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub starts_at: String,
    /// Until.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub ends_at: String,
    /// Volunteers wanted.
    pub capacity: String,
    /// What they do (送餐到 3 号楼, …).
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub task: String,
}

/// A shift's checked fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShiftFields {
    /// When.
    pub window: Window,
    /// Volunteers wanted.
    pub capacity: i64,
    /// What they do.
    pub task: String,
}

impl ShiftFields {
    /// Checks every field; all refusals at once. A shift lasts at most 24 hours.
    pub fn parse(i: &ShiftInput) -> Result<Self, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let window = match Window::parse("starts_at", &i.starts_at, "ends_at", &i.ends_at) {
            Ok(w) if w.minutes() > 24 * 60 => {
                errors.push("ends_at", Reason::MoreThanADay);
                None
            }
            Ok(w) => Some(w),
            Err(es) => {
                errors.0.extend(es);
                None
            }
        };
        let capacity = match i.capacity.trim().parse::<i64>() {
            Ok(n) if (1..=CAPACITY_MAX).contains(&n) => Some(n),
            _ => {
                errors.push("capacity", Reason::NumberOutOfRange { min: 1, max: CAPACITY_MAX });
                None
            }
        };
        let task = errors.take(text::required("task", &i.task, 200));
        errors.into_result()?;
        match (window, capacity, task) {
            (Some(window), Some(capacity), Some(task)) => Ok(Self { window, capacity, task }),
            _ => Err(ValidationErrors(vec![FieldError::new("task", Reason::Required)])),
        }
    }
}

/// May a volunteer with shifts `mine` take a place on a shift at `window` with `taken` of
/// `capacity` places taken? Refused when full or overlapping one of theirs.
pub fn check_sign_up(window: &Window, capacity: i64, taken: i64, mine: &[Window]) -> Result<(), FieldError> {
    if taken >= capacity {
        return Err(FieldError::new("shift", Reason::ShiftFull));
    }
    if mine.iter().any(|w| w.overlaps(window)) {
        return Err(FieldError::new("shift", Reason::ShiftOverlaps));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(a: &str, b: &str) -> Window {
        Window::parse("a", a, "b", b).unwrap()
    }

    #[test]
    fn full_and_overlapping_shifts_are_refused_and_touching_ones_are_not() {
        let morning = w("2022-03-15T08:00", "2022-03-15T12:00");
        let noon = w("2022-03-15T12:00", "2022-03-15T14:00");
        let late_morning = w("2022-03-15T11:00", "2022-03-15T13:00");
        assert!(check_sign_up(&noon, 3, 2, &[morning]).is_ok(), "touching ends do not overlap");
        assert_eq!(check_sign_up(&late_morning, 3, 0, &[morning]).unwrap_err().reason, Reason::ShiftOverlaps);
        assert_eq!(check_sign_up(&noon, 3, 3, &[]).unwrap_err().reason, Reason::ShiftFull);
        let long = ShiftInput {
            starts_at: "2022-03-15T08:00".into(),
            ends_at: "2022-03-16T09:00".into(),
            capacity: "5".into(),
            task: "值守".into(),
        };
        assert_eq!(ShiftFields::parse(&long).unwrap_err().0[0].reason, Reason::MoreThanADay);
        let zero = ShiftInput { ends_at: "2022-03-15T09:00".into(), capacity: "0".into(), ..long };
        assert_eq!(ShiftFields::parse(&zero).unwrap_err().0[0].field, "capacity");
    }
}
