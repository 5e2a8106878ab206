//! 心得体会: a member's short reflection on a course they studied — its length, that one
//! waits or stands at a time per course, and the secretary's decision (approved, so the
//! branch reads it; or returned with a reason, so the member may write again).

use crate::{FieldError, Reason};

/// The shortest reflection, in characters.
pub const TEXT_MIN: usize = 10;
/// The longest reflection, in characters.
pub const TEXT_MAX: usize = 2_000;
/// The longest reason for returning one.
pub const REASON_MAX: usize = 300;

/// Where a reflection stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReflectionStatus {
    /// Written, waiting for the secretary.
    Submitted,
    /// Approved: the branch reads it, and it counts in the course's reach.
    Approved,
    /// Returned with a reason.
    Returned,
}

impl ReflectionStatus {
    /// The stored code.
    pub fn code(self) -> &'static str {
        match self {
            ReflectionStatus::Submitted => "submitted",
            ReflectionStatus::Approved => "approved",
            ReflectionStatus::Returned => "returned",
        }
    }

    /// From the stored code.
    pub fn from_code(c: &str) -> Option<Self> {
        [ReflectionStatus::Submitted, ReflectionStatus::Approved, ReflectionStatus::Returned]
            .into_iter()
            .find(|s| s.code() == c)
    }

    /// In words: Chinese, English.
    pub fn words(self) -> (&'static str, &'static str) {
        match self {
            ReflectionStatus::Submitted => ("待书记审核", "waiting for the secretary"),
            ReflectionStatus::Approved => ("已审核，支部可见", "approved, the branch reads it"),
            ReflectionStatus::Returned => ("已退回", "returned"),
        }
    }
}

/// A reflection's text, trimmed: [`TEXT_MIN`]…[`TEXT_MAX`] characters.
pub fn text(raw: &str) -> Result<String, FieldError> {
    let t = raw.trim();
    let n = t.chars().count();
    if n == 0 {
        Err(FieldError::new("text", Reason::Required))
    } else if n < TEXT_MIN {
        Err(FieldError::new(
            "text",
            Reason::Refused {
                zh: "心得体会至少 10 个字", en: "a reflection needs at least 10 characters"
            },
        ))
    } else if n > TEXT_MAX {
        Err(FieldError::new("text", Reason::TooLong { max: TEXT_MAX }))
    } else {
        Ok(t.to_owned())
    }
}

/// Whether one more reflection on a course may be written, given the statuses of those the
/// member wrote on it: not while one waits or stands approved.
pub fn may_write(mine: &[ReflectionStatus]) -> Result<(), FieldError> {
    if mine.contains(&ReflectionStatus::Submitted) {
        return Err(FieldError::new(
            "text",
            Reason::Refused {
                zh: "你的心得体会正在等待书记审核",
                en: "your reflection is waiting for the secretary",
            },
        ));
    }
    if mine.contains(&ReflectionStatus::Approved) {
        return Err(FieldError::new(
            "text",
            Reason::Refused {
                zh: "你已就本课程分享过心得体会",
                en: "you have shared a reflection on this course",
            },
        ));
    }
    Ok(())
}

/// A reason for returning: required, at most [`REASON_MAX`] characters.
pub fn return_reason(raw: &str) -> Result<String, FieldError> {
    crate::text::required("reason", raw, REASON_MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ReflectionStatus::*;

    #[test]
    fn a_reflection_is_between_ten_and_two_thousand_characters() {
        assert_eq!(
            text("  学习了党史，深受教育，要在送餐中践行初心。 ").unwrap(),
            "学习了党史，深受教育，要在送餐中践行初心。"
        );
        assert_eq!(text(" ").unwrap_err().field, "text");
        assert!(text("很好").is_err());
        assert!(text(&"学".repeat(TEXT_MAX + 1)).is_err());
        assert!(text(&"学".repeat(TEXT_MAX)).is_ok());
    }

    #[test]
    fn one_waits_or_stands_at_a_time() {
        assert!(may_write(&[]).is_ok());
        assert!(may_write(&[Returned]).is_ok());
        assert!(may_write(&[Returned, Submitted]).is_err());
        assert!(may_write(&[Approved]).is_err());
        assert_eq!(ReflectionStatus::from_code("approved"), Some(Approved));
        assert!(return_reason("").is_err() && return_reason("请结合工作实际").is_ok());
    }
}
