//! The rule engine: [`evaluate`] walks a dossier and returns its stage, the steps allowed
//! next, deadlines (due / overdue) and findings — each with the rule id, status, severity,
//! rule-set version, message and citation. [`guard()`] uses the same function to refuse a
//! new event that would break a hard rule. Pure: `today` is an argument.
//!
//! The checks are one table, [`CHECKS`]. [`evaluate`] builds a `Case` once (the events in
//! force, in date order) and walks the five stages of the procedure in order, one module each:
//! `application`, `activist`, `target`, `admission` and `conversion`; then the public notices
//! (`notice`) and the order of the steps (`order`); `next` says what may come next.

mod activist;
mod admission;
mod application;
mod case;
mod checks;
mod conversion;
mod guard;
mod next;
mod notice;
mod order;
mod signs;
mod target;
mod votes;

pub use checks::*;
pub use guard::{Refusal, guard};
pub use votes::vote_record;

use crate::calendar::WorkCalendar;
use crate::development::dev_settings::DevSettings;
use crate::development::dossier::{Dossier, Key, step as s};
use crate::development::procedure::Stage;
use crate::development::rules::{Certainty, Rule, Version};
use case::{Case, in_force};
use jiff::civil::Date;
use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};
use std::sync::{Arc, OnceLock};

/// One finding about a dossier.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Finding {
    /// What was checked.
    pub check: &'static Check,
    /// The rule set the act was judged by.
    pub version: Version,
    /// The event the finding is about, if any (none for something missing by now).
    pub event: Option<u32>,
}

impl Finding {
    /// The rule.
    pub fn rule(&self) -> &'static Rule {
        self.check.rule()
    }

    /// The rule's status (a 2026-only item is unconfirmed).
    pub fn status(&self) -> Certainty {
        self.check.status()
    }
}

impl Serialize for Finding {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let rule = self.rule();
        let mut m = s.serialize_map(Some(11))?;
        m.serialize_entry("check", self.check.code)?;
        m.serialize_entry("rule", rule.id)?;
        m.serialize_entry("audit", self.check.audit)?;
        m.serialize_entry("status", &self.status())?;
        m.serialize_entry("severity", &self.check.severity)?;
        m.serialize_entry("version", &self.version)?;
        m.serialize_entry("message_zh", self.check.zh)?;
        m.serialize_entry("message_en", self.check.en)?;
        m.serialize_entry("rule_zh", rule.zh)?;
        m.serialize_entry("citation", rule.citation)?;
        m.serialize_entry("event", &self.event)?;
        m.end()
    }
}

/// Where a case stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CaseState {
    /// In progress.
    Open,
    /// Admission not approved.
    Rejected,
    /// Probationary membership cancelled.
    Cancelled,
    /// A full member.
    Converted,
    /// Archived.
    Archived,
}

/// What a deadline is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DeadlineKind {
    /// The step is due by this day.
    Due,
    /// The step may not be taken before this day.
    NotBefore,
    /// A public notice runs until this day.
    NoticeEnds,
}

/// A date the next steps are held to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Deadline {
    /// The step it concerns.
    pub step: u8,
    /// The rule that sets it.
    pub rule: &'static str,
    /// The day.
    pub due: Date,
    /// What kind of date.
    pub kind: DeadlineKind,
    /// A due date already passed.
    pub overdue: bool,
}

/// What [`evaluate`] says about a dossier.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Evaluation {
    /// The stage reached.
    pub stage: Stage,
    /// Open, or how it ended.
    pub state: CaseState,
    /// Steps done (bit `n` for step `n`).
    pub done: u32,
    /// Steps that may be recorded next (bit `n` for step `n`).
    pub next: u32,
    /// Deadlines of the open steps.
    pub deadlines: Vec<Deadline>,
    /// Findings.
    pub findings: Vec<Finding>,
}

impl Evaluation {
    /// Whether step `n` is done.
    pub fn is_done(&self, n: u8) -> bool {
        self.done & (1 << n) != 0
    }

    /// Whether step `n` may be recorded next.
    pub fn allows(&self, n: u8) -> bool {
        self.next & (1 << n) != 0
    }

    /// Whether any finding is a violation.
    pub fn has_violation(&self) -> bool {
        self.findings.iter().any(|f| f.check.severity == Severity::Violation)
    }
}

/// The versioned rule sets (the rules themselves are [`RULES`](crate::development::rules::RULES)),
/// and the working-day calendar the signs of forgery (AUD-27) read rest days from.
#[derive(Debug, Clone, Default)]
pub struct RuleBook {
    calendar: Option<Arc<WorkCalendar>>,
}

impl RuleBook {
    /// The rule sets pioneer ships: 1990 (older acts), 2014, 2026; the shipped calendar.
    pub fn standard() -> Self {
        RuleBook { calendar: None }
    }

    /// The same rules with the deployment's working-day calendar.
    pub fn with_calendar(calendar: WorkCalendar) -> Self {
        RuleBook { calendar: Some(Arc::new(calendar)) }
    }

    /// The working-day calendar (the shipped one unless the deployment has its own).
    #[inline]
    pub fn calendar(&self) -> &WorkCalendar {
        static SHIPPED: OnceLock<WorkCalendar> = OnceLock::new();
        match &self.calendar {
            Some(c) => c,
            None => SHIPPED.get_or_init(WorkCalendar::shipped),
        }
    }

    /// The set in force on `day`.
    pub fn version_on(&self, day: Date, settings: &DevSettings) -> Version {
        Version::on(day, settings.revision_2026_from)
    }
}

/// Judges a dossier as of `today`.
pub fn evaluate(book: &RuleBook, dossier: &Dossier, settings: &DevSettings, today: Date) -> Evaluation {
    in_force(dossier, |ev| {
        let mut c = Case::new(book, dossier, settings, today, ev);
        application::check(&mut c);
        activist::check(&mut c);
        target::check(&mut c);
        let admission = admission::check(&mut c);
        let end = conversion::check(&mut c, admission.admitted);
        notice::check(&mut c);
        order::check(&mut c);
        signs::check(&mut c);
        let next = next::steps(&c, &admission, &end);
        let done = c.done;
        Evaluation {
            stage: next::stage(done),
            state: end.state,
            done,
            next,
            deadlines: c.deadlines,
            findings: c.findings,
        }
    })
}

/// The political status and dates a dossier has reached (the people record follows it).
pub fn status_reached(dossier: &Dossier) -> (crate::people::Status, crate::people::StatusDates) {
    use crate::people::{Status, StatusDates};
    let ev = dossier.effective();
    let first = |n: u8| ev.iter().filter(|e| e.is_step(n)).map(|e| e.on).min();
    let approved = ev.iter().any(|e| e.is_step(s::APPROVAL) && e.code(Key::Decision) == Some("approved"));
    let converted = ev
        .iter()
        .filter(|e| e.is_step(s::CONVERSION_APPROVAL) && e.code(Key::Decision) == Some("approved"))
        .find_map(|e| e.date(Key::ConvertedOn));
    let dates = StatusDates {
        applied_on: first(s::APPLICATION),
        activist_on: first(s::ACTIVIST),
        target_on: first(s::TARGET),
        admitted_on: if approved { first(s::ADMISSION_MEETING) } else { None },
        full_member_on: converted,
    };
    let status = if dates.full_member_on.is_some() {
        Status::FullMember
    } else if dates.admitted_on.is_some() {
        Status::ProbationaryMember
    } else if dates.target_on.is_some() {
        Status::DevelopmentTarget
    } else if dates.activist_on.is_some() {
        Status::Activist
    } else if dates.applied_on.is_some() {
        Status::Applicant
    } else {
        Status::NonMember
    };
    (status, dates)
}

#[cfg(test)]
mod tests;
