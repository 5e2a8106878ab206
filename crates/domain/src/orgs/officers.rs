//! Officers and terms (ORG-012, ORG-013): who holds which post in an organisation since
//! when, the term an election opens (a committee 5 years, a general branch or branch 3), when
//! the next election is due, and a postponement, which needs the upper organisation's
//! approval and is at most a year.

use super::OrgKind;
use crate::codes::coded_enum;
use crate::{Reason, ValidationErrors, text};
use jiff::civil::Date;
use jiff::{Span, ToSpan};
use serde::{Deserialize, Serialize};

coded_enum! {
    /// A post in an organisation's committee.
    OfficerPost {
        /// 书记.
        Secretary = "secretary", "书记", "secretary";
        /// 副书记.
        DeputySecretary = "deputy_secretary", "副书记", "deputy secretary";
        /// 委员.
        CommitteeMember = "committee_member", "委员", "committee member";
    }
}

/// How many years a term of this kind of organisation lasts (ORG-012); None for a working
/// committee, which the upper committee appoints rather than elects.
pub fn term_years(kind: OrgKind) -> Option<i16> {
    match kind {
        OrgKind::WorkingCommittee => None,
        OrgKind::Committee | OrgKind::IndustryOrganization => Some(5),
        OrgKind::GeneralBranch | OrgKind::Branch | OrgKind::MobileBranch => Some(3),
    }
}

/// Elections due within this many months are listed as coming.
pub const DUE_WITHIN_MONTHS: i8 = 6;

/// Where an organisation stands with its term.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum TermState {
    /// No election recorded.
    Unknown,
    /// The term runs to `ends_on`, more than six months away.
    Running {
        /// End of term.
        ends_on: Date,
    },
    /// The election is due within six months.
    DueSoon {
        /// End of term.
        ends_on: Date,
    },
    /// The term ended (and any postponement too) without an election.
    Expired {
        /// End of the term or of its postponement.
        ends_on: Date,
    },
}

impl TermState {
    /// The state in the user's words.
    pub fn words(self) -> (&'static str, &'static str) {
        match self {
            Self::Unknown => ("未录入换届信息", "no election recorded"),
            Self::Running { .. } => ("任期内", "in term"),
            Self::DueSoon { .. } => ("6 个月内应换届", "election due within six months"),
            Self::Expired { .. } => {
                ("任期已满未换届（ORG-013）", "term expired without an election (ORG-013)")
            }
        }
    }
}

/// The end of a term elected on `elected_on` for `years`.
pub fn term_end(elected_on: Date, years: i16) -> Date {
    elected_on.checked_add(Span::new().years(years)).unwrap_or(elected_on)
}

/// The state of a term: elected on, its end, an approved postponement's new date.
pub fn term_state(end: Option<(Date, Option<Date>)>, today: Date) -> TermState {
    let Some((ends_on, postponed_to)) = end else { return TermState::Unknown };
    let ends_on = postponed_to.unwrap_or(ends_on);
    if ends_on < today {
        TermState::Expired { ends_on }
    } else if ends_on <= today.checked_add(i64::from(DUE_WITHIN_MONTHS).months()).unwrap_or(today) {
        TermState::DueSoon { ends_on }
    } else {
        TermState::Running { ends_on }
    }
}

/// An election as typed: it opens a new term.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct ElectionInput {
    /// Held on (`YYYY-MM-DD`).
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub elected_on: String,
    /// A note (the meeting, the approval of the result).
    pub note: String,
}

/// Checks an election: not in the future, and after the start of the term it ends.
pub fn parse_election(
    i: &ElectionInput,
    previous: Option<Date>,
    today: Date,
) -> Result<(Date, Option<String>), ValidationErrors> {
    let mut e = ValidationErrors::default();
    let on = e.take(text::required_date("elected_on", &i.elected_on));
    let note = e.take(text::optional("note", &i.note, 200));
    if let Some(d) = on {
        if d > today {
            e.push("elected_on", Reason::DateInFuture);
        } else if previous.is_some_and(|p| d <= p) {
            e.push(
                "elected_on",
                Reason::Refused {
                    zh: "换届日期早于本届任期开始的日期",
                    en: "the election is dated before the current term began",
                },
            );
        }
    }
    e.into_result()?;
    match (on, note) {
        (Some(on), Some(note)) => Ok((on, note)),
        _ => Err(ValidationErrors::default()),
    }
}

/// A postponement as typed.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct PostponementInput {
    /// The new date the term runs to (`YYYY-MM-DD`).
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub postponed_to: String,
    /// The upper organisation's approval.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub decision: String,
}

/// Checks a postponement of a term ending on `ends_on`: later than it, at most a year later
/// (ORG-013), with the approval named.
pub fn parse_postponement(i: &PostponementInput, ends_on: Date) -> Result<(Date, String), ValidationErrors> {
    let mut e = ValidationErrors::default();
    let to = e.take(text::required_date("postponed_to", &i.postponed_to));
    let decision = match e.take(text::optional("decision", &i.decision, 100)) {
        Some(None) => {
            e.push(
                "decision",
                Reason::Refused {
                    zh: "延期换届须经上级党组织批准，请填写批准文件（ORG-013）",
                    en: "a postponement needs the upper organisation's approval: name it (ORG-013)",
                },
            );
            None
        }
        d => d.flatten(),
    };
    if let Some(t) = to {
        let limit = ends_on.checked_add(1.year()).unwrap_or(ends_on);
        if t <= ends_on {
            e.push(
                "postponed_to",
                Reason::Refused {
                    zh: "延期后的日期应晚于任期届满日", en: "after the end of the term"
                },
            );
        } else if t > limit {
            e.push(
                "postponed_to",
                Reason::Refused {
                    zh: "延期换届一般不超过 1 年（ORG-013）",
                    en: "a postponement is at most a year (ORG-013)",
                },
            );
        }
    }
    e.into_result()?;
    match (to, decision) {
        (Some(to), Some(d)) => Ok((to, d)),
        _ => Err(ValidationErrors::default()),
    }
}

/// An officer's post as typed.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct OfficerInput {
    /// The person (a member of the organisation's subtree).
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub person_id: String,
    /// `secretary`, `deputy_secretary` or `committee_member`.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub post: String,
    /// Holds it since (`YYYY-MM-DD`; today when empty).
    pub since: String,
}

/// Checks a post and its date.
pub fn parse_officer(i: &OfficerInput, today: Date) -> Result<(OfficerPost, Date), ValidationErrors> {
    let mut e = ValidationErrors::default();
    let post = OfficerPost::from_code(i.post.trim());
    if post.is_none() {
        e.push("post", Reason::UnknownChoice);
    }
    let since = match e.take(text::optional_date("since", &i.since)) {
        Some(Some(d)) if d > today => {
            e.push("since", Reason::DateInFuture);
            None
        }
        d => d.map(|d| d.unwrap_or(today)),
    };
    e.into_result()?;
    match (post, since) {
        (Some(p), Some(s)) => Ok((p, s)),
        _ => Err(ValidationErrors::default()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn terms_end_and_fall_due() {
        assert_eq!(term_years(OrgKind::Committee), Some(5));
        assert_eq!(term_years(OrgKind::Branch), Some(3));
        assert_eq!(term_years(OrgKind::WorkingCommittee), None);
        let end = term_end(date(2023, 12, 20), 3);
        assert_eq!(end, date(2026, 12, 20));
        let today = date(2026, 11, 29);
        assert_eq!(term_state(Some((end, None)), today), TermState::DueSoon { ends_on: end });
        assert_eq!(
            term_state(Some((date(2026, 11, 1), None)), today),
            TermState::Expired { ends_on: date(2026, 11, 1) }
        );
        assert_eq!(
            term_state(Some((date(2026, 11, 1), Some(date(2027, 8, 1)))), today),
            TermState::Running { ends_on: date(2027, 8, 1) }
        );
        assert_eq!(term_state(None, today), TermState::Unknown);
    }

    #[test]
    fn elections_and_postponements_are_checked() {
        let today = date(2026, 11, 29);
        let i = ElectionInput { elected_on: "2023-01-01".into(), note: String::new() };
        assert_eq!(parse_election(&i, Some(date(2023, 6, 1)), today).unwrap_err().0[0].field, "elected_on");
        assert!(parse_election(&i, Some(date(2020, 6, 1)), today).is_ok());
        let end = date(2026, 6, 1);
        let p = |to: &str, d: &str| {
            parse_postponement(&PostponementInput { postponed_to: to.into(), decision: d.into() }, end)
        };
        assert!(p("2027-06-01", "深互联网工委批复〔2026〕1号").is_ok());
        assert_eq!(p("2027-06-02", "批复").unwrap_err().0[0].field, "postponed_to");
        assert_eq!(p("2026-12-01", "").unwrap_err().0[0].field, "decision");
    }
}
