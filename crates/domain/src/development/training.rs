//! 培训: training classes for activists and development targets (DEV-020: development
//! targets at least 3 days or 24 class hours), and what a person completed in one — the
//! days and hours that feed the training step of a dossier.

use crate::error::{Reason, ValidationErrors};
use crate::text;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// Who a class is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClassKind {
    /// 入党积极分子培训.
    Activist,
    /// 发展对象培训 (DEV-020).
    Target,
}

impl ClassKind {
    /// The code.
    pub fn code(self) -> &'static str {
        match self {
            ClassKind::Activist => "activist",
            ClassKind::Target => "target",
        }
    }

    /// Parses a code.
    pub fn from_code(s: &str) -> Option<Self> {
        match s {
            "activist" => Some(ClassKind::Activist),
            "target" => Some(ClassKind::Target),
            _ => None,
        }
    }

    /// The Chinese name.
    pub fn zh(self) -> &'static str {
        match self {
            ClassKind::Activist => "入党积极分子培训班",
            ClassKind::Target => "发展对象培训班",
        }
    }

    /// The English name.
    pub fn en(self) -> &'static str {
        match self {
            ClassKind::Activist => "Activist training",
            ClassKind::Target => "Development-target training",
        }
    }
}

/// A checked training class.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TrainingClass {
    /// Who it is for.
    pub kind: ClassKind,
    /// Title.
    pub title: String,
    /// First day.
    pub starts_on: Date,
    /// Last day.
    pub ends_on: Date,
    /// Days of teaching.
    pub days: u32,
    /// Class hours.
    pub hours: u32,
}

/// Untrusted class fields.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ClassInput {
    /// `activist` or `target`.
    #[serde(default)]
    pub kind: String,
    /// Title.
    #[serde(default)]
    pub title: String,
    /// First day.
    #[serde(default)]
    pub starts_on: String,
    /// Last day.
    #[serde(default)]
    pub ends_on: String,
    /// Days.
    #[serde(default)]
    pub days: String,
    /// Class hours.
    #[serde(default)]
    pub hours: String,
}

impl TrainingClass {
    /// Checks the input; every refusal is reported.
    pub fn parse(i: &ClassInput) -> Result<TrainingClass, ValidationErrors> {
        let mut e = ValidationErrors::default();
        let kind = ClassKind::from_code(i.kind.trim());
        if kind.is_none() {
            e.push("kind", Reason::UnknownChoice);
        }
        let title = e.take(text::required("title", &i.title, 100));
        let starts_on = e.take(text::required_date("starts_on", &i.starts_on));
        let ends_on = e.take(text::required_date("ends_on", &i.ends_on));
        if let (Some(a), Some(b)) = (starts_on, ends_on)
            && b < a
        {
            e.push("ends_on", Reason::DateBefore { other: "starts_on" });
        }
        let mut num = |field: &'static str, v: &str, max: i64| match v.trim().parse::<u32>() {
            Ok(n) if i64::from(n) <= max => Some(n),
            _ => {
                e.push(field, Reason::NumberOutOfRange { min: 0, max });
                None
            }
        };
        let days = num("days", &i.days, 365);
        let hours = num("hours", &i.hours, 2000);
        e.into_result()?;
        match (kind, title, starts_on, ends_on, days, hours) {
            (Some(kind), Some(title), Some(starts_on), Some(ends_on), Some(days), Some(hours)) => {
                Ok(TrainingClass { kind, title, starts_on, ends_on, days, hours })
            }
            _ => Err(ValidationErrors::default()),
        }
    }

    /// The days and hours a person completed, given the hours they attended: full credit
    /// for the whole class, otherwise days in proportion (rounded down).
    pub fn completed(&self, attended_hours: u32) -> (u32, u32) {
        let hours = attended_hours.min(self.hours);
        if self.hours == 0 || hours == self.hours {
            return (self.days, hours);
        }
        (self.days * hours / self.hours, hours)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> ClassInput {
        ClassInput {
            kind: "target".into(),
            title: "2026年第二期发展对象培训班".into(),
            starts_on: "2026-06-01".into(),
            ends_on: "2026-06-03".into(),
            days: "3".into(),
            hours: "24".into(),
        }
    }

    #[test]
    fn a_class_parses_and_credits_what_was_attended() {
        let c = TrainingClass::parse(&input()).unwrap();
        assert_eq!(c.completed(24), (3, 24));
        assert_eq!(c.completed(30), (3, 24), "never more than the class");
        assert_eq!(c.completed(16), (2, 16), "two of three days");
        assert_eq!(c.completed(0), (0, 0));
    }

    #[test]
    fn bad_classes_name_each_field() {
        let mut i = input();
        i.kind = "x".into();
        i.ends_on = "2026-05-01".into();
        i.hours = "-1".into();
        i.title = String::new();
        let e = TrainingClass::parse(&i).unwrap_err();
        let fields: Vec<_> = e.0.iter().map(|f| f.field).collect();
        assert_eq!(fields, vec!["kind", "title", "ends_on", "hours"]);
    }
}
