//! Members leaving (出党 and 党员减少): how a member left and on what day, checked against
//! the person's record. The annual report counts them by the organisation that handled the
//! case (RULES.md STAT-004); statistics stop counting the person as a member from that day.

use crate::codes::coded_enum;
use crate::error::{FieldError, Reason, ValidationErrors};
use crate::people::{Status, StatusDates};
use crate::text;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// Longest note (the decision, its document number), in characters.
pub const NOTE_MAX: usize = 200;

coded_enum!(
    /// How a member left, as the annual report's 出党情况 table divides them.
    DepartureKind {
        /// 死亡 (counted among 党员减少, not 出党).
        Died = "died", "死亡", "Died";
        /// 停止党籍: out of contact, or abroad for years (MOB-007).
        Suspended = "suspended", "停止党籍", "Party status suspended";
        /// 除名, including 自行脱党 (MOB-007, MOB-009).
        Removed = "removed", "除名", "Removed";
        /// 劝退 (DEV-051).
        Persuaded = "persuaded", "劝退", "Persuaded to leave";
        /// 退党.
        Withdrew = "withdrew", "退党", "Withdrew";
        /// 开除党籍 (DEV-051).
        Expelled = "expelled", "开除党籍", "Expelled";
        /// 取消预备党员资格 (DEV-051).
        ProbationCancelled = "probation_cancelled", "取消预备党员资格", "Probation cancelled";
    }
);

impl DepartureKind {
    /// Counted under 出党 (every way but death).
    pub fn is_exit(self) -> bool {
        self != DepartureKind::Died
    }
}

/// A checked departure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Departure {
    /// How.
    pub kind: DepartureKind,
    /// On what day.
    pub left_on: Date,
    /// The decision and its document number.
    pub note: Option<String>,
}

impl Departure {
    /// Checks a departure typed in a form for a person whose status is `status` with
    /// `dates`, on `today`: only a member leaves; a probation is cancelled only for a
    /// probationary member; the day is not in the future nor before admission.
    pub fn parse(
        kind: &str,
        left_on: &str,
        note: &str,
        status: Status,
        dates: &StatusDates,
        today: Date,
    ) -> Result<Self, ValidationErrors> {
        let mut e = ValidationErrors::default();
        if !status.is_member() {
            e.push(
                "status",
                Reason::Broken {
                    rule: "STAT-004",
                    zh: "只有党员（预备党员或正式党员）才能登记出党",
                    en: "Only a member (probationary or full) can be recorded as leaving",
                },
            );
        }
        let kind = match DepartureKind::from_code(kind.trim()) {
            None => {
                e.push(
                    "departure_kind",
                    if kind.trim().is_empty() { Reason::Required } else { Reason::UnknownChoice },
                );
                None
            }
            Some(DepartureKind::ProbationCancelled) if status == Status::FullMember => {
                e.push(
                    "departure_kind",
                    Reason::Broken {
                        rule: "DEV-051",
                        zh: "取消预备党员资格只适用于预备党员",
                        en: "Only a probationary member's probation can be cancelled",
                    },
                );
                None
            }
            Some(k) => Some(k),
        };
        let left_on = match e.take(text::optional_date("left_on", left_on)) {
            Some(None) => {
                e.push("left_on", Reason::Required);
                None
            }
            Some(Some(d)) if d > today => {
                e.push("left_on", Reason::DateInFuture);
                None
            }
            Some(Some(d)) if dates.admitted_on.is_some_and(|a| d < a) => {
                e.push("left_on", Reason::DateBefore { other: "admitted_on" });
                None
            }
            Some(d) => d,
            None => None,
        };
        let note = e.take(text::optional("departure_note", note, NOTE_MAX)).flatten();
        e.into_result()?;
        match (kind, left_on) {
            (Some(kind), Some(left_on)) => Ok(Departure { kind, left_on, note }),
            _ => Err(FieldError::new("departure_kind", Reason::Required).into()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    const TODAY: Date = Date::constant(2026, 11, 29);

    fn dates() -> StatusDates {
        StatusDates {
            admitted_on: Some(date(2020, 7, 1)),
            full_member_on: Some(date(2021, 7, 1)),
            ..Default::default()
        }
    }

    fn refused(kind: &str, on: &str, status: Status) -> Vec<(&'static str, String)> {
        match Departure::parse(kind, on, "", status, &dates(), TODAY) {
            Ok(_) => vec![],
            Err(e) => e.0.into_iter().map(|f| (f.field, f.reason.rule().unwrap_or("-").to_owned())).collect(),
        }
    }

    #[test]
    fn a_member_leaves_on_a_past_day_after_admission() {
        let d = Departure::parse(
            "expelled",
            "2025-03-01",
            " 深纪〔2025〕3号 ",
            Status::FullMember,
            &dates(),
            TODAY,
        );
        assert_eq!(
            d,
            Ok(Departure {
                kind: DepartureKind::Expelled,
                left_on: date(2025, 3, 1),
                note: Some("深纪〔2025〕3号".into())
            })
        );
        assert_eq!(refused("died", "2027-01-01", Status::FullMember), vec![("left_on", "-".into())]);
        assert_eq!(refused("died", "2019-01-01", Status::FullMember), vec![("left_on", "-".into())]);
        assert_eq!(refused("", "2025-01-01", Status::FullMember), vec![("departure_kind", "-".into())]);
        assert_eq!(refused("fired", "", Status::FullMember).len(), 2, "unknown kind and no date");
    }

    #[test]
    fn only_members_leave_and_only_probation_is_cancelled() {
        assert_eq!(refused("withdrew", "2025-01-01", Status::Activist), vec![("status", "STAT-004".into())]);
        assert_eq!(
            refused("probation_cancelled", "2025-01-01", Status::FullMember),
            vec![("departure_kind", "DEV-051".into())]
        );
        assert_eq!(refused("probation_cancelled", "2025-01-01", Status::ProbationaryMember), vec![]);
        assert!(DepartureKind::ALL.iter().all(|k| DepartureKind::from_code(k.code()) == Some(*k)));
        assert!(!DepartureKind::Died.is_exit() && DepartureKind::Expelled.is_exit());
    }
}
