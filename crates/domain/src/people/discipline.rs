//! 留党察看 (probation within the party): a member's dated period under the disciplinary
//! decision that imposed it. During it the member keeps no rights to vote, elect or stand, and
//! may not introduce a person or cultivate an activist: their standing on a day inside the
//! period is "disciplined" (DEV-006, DEV-014). The period is one year or two (党章第四十条).

use crate::error::{Reason, ValidationErrors};
use crate::people::Status;
use crate::text;
use jiff::civil::Date;
use serde::Serialize;

/// Longest decision text (the body, the document number), in characters.
pub const DECISION_MAX: usize = 200;

/// A checked period of 留党察看.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DisciplinaryProbation {
    /// The first day.
    pub from: Date,
    /// The last day.
    pub until: Date,
    /// The decision: who decided, its document number.
    pub decision: String,
}

impl DisciplinaryProbation {
    /// Whether `day` falls in the period.
    pub fn covers(&self, day: Date) -> bool {
        self.from <= day && day <= self.until
    }

    /// Checks a period typed in a form for a person whose status is `status`, on `today`:
    /// only a member is disciplined; the period starts no later than today and lasts at most
    /// two years; the decision is named.
    pub fn parse(
        from: &str,
        until: &str,
        decision: &str,
        status: Status,
        today: Date,
    ) -> Result<Self, ValidationErrors> {
        let mut e = ValidationErrors::default();
        if !status.is_member() {
            e.push(
                "status",
                Reason::Broken {
                    rule: "DEV-014",
                    zh: "只有党员（预备党员或正式党员）才能登记留党察看",
                    en: "Only a member (probationary or full) can be placed on probation within the party",
                },
            );
        }
        let day = |field: &'static str, raw: &str, e: &mut ValidationErrors| match raw.trim() {
            "" => {
                e.push(field, Reason::Required);
                None
            }
            t => t.parse::<Date>().map_err(|_| e.push(field, Reason::BadDate)).ok(),
        };
        let from = day("discipline_from", from, &mut e);
        let until = day("discipline_until", until, &mut e);
        if from.is_some_and(|f| f > today) {
            e.push("discipline_from", Reason::DateInFuture);
        }
        if let (Some(f), Some(u)) = (from, until) {
            if u < f {
                e.push("discipline_until", Reason::DateBefore { other: "discipline_from" });
            } else if u > crate::development::periods::add_months(f, 24) {
                e.push(
                    "discipline_until",
                    Reason::Broken {
                        rule: "DEV-014",
                        zh: "留党察看最长不超过两年",
                        en: "Probation within the party lasts at most two years",
                    },
                );
            }
        }
        let decision = e.take(text::required("discipline_decision", decision, DECISION_MAX));
        e.into_result()?;
        match (from, until, decision) {
            (Some(from), Some(until), Some(decision)) => Ok(Self { from, until, decision }),
            _ => Err(ValidationErrors::default()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    const TODAY: Date = Date::constant(2026, 11, 29);

    fn fields(r: Result<DisciplinaryProbation, ValidationErrors>) -> Vec<&'static str> {
        r.err().map(|e| e.0.iter().map(|f| f.field).collect()).unwrap_or_default()
    }

    #[test]
    fn a_period_of_a_member_up_to_two_years_with_its_decision() {
        let ok = DisciplinaryProbation::parse(
            "2024-01-01",
            "2025-12-31",
            "某党委 〔2024〕1号",
            Status::FullMember,
            TODAY,
        );
        let d = ok.unwrap();
        assert!(d.covers(date(2024, 1, 1)) && d.covers(date(2025, 12, 31)) && !d.covers(date(2026, 1, 1)));
        let long = DisciplinaryProbation::parse("2024-01-01", "2026-01-02", "x", Status::FullMember, TODAY);
        assert_eq!(fields(long), vec!["discipline_until"]);
        let backwards =
            DisciplinaryProbation::parse("2024-01-01", "2023-01-01", "x", Status::FullMember, TODAY);
        assert_eq!(fields(backwards), vec!["discipline_until"]);
        let not_member =
            DisciplinaryProbation::parse("2024-01-01", "2024-06-01", "", Status::Activist, TODAY);
        assert_eq!(fields(not_member), vec!["status", "discipline_decision"]);
        let future = DisciplinaryProbation::parse("2027-01-01", "2027-06-01", "x", Status::FullMember, TODAY);
        assert_eq!(fields(future), vec!["discipline_from"]);
    }
}
