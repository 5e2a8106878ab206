//! The guard on recording: [`guard`] evaluates a dossier with and without a new event and
//! refuses the event ([`Refusal`]) if it is dated in the future, is not a step open now, refers
//! to no record, or breaks a hard rule.

use super::checks::Severity;
use super::{Evaluation, Finding, RuleBook, evaluate};
use crate::development::dev_settings::DevSettings;
use crate::development::dossier::{Dossier, Event, Key, Kind, step as s};
use jiff::civil::Date;

/// Why a new event is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// Dated after today.
    InFuture,
    /// The step is not open yet (a prerequisite is missing) or already done.
    NotNext {
        /// The steps open now.
        open: u32,
    },
    /// The record it refers to (notice, objection, filing) does not exist or is settled.
    NoSuchRecord,
    /// It would break these hard rules.
    Breaks(Vec<Finding>),
}

/// Checks a new event against the dossier: refused if it is dated in the future, is not a
/// step open now, or raises a finding of a hard rule that was not there before. In backfill
/// mode only the date is checked: the event is recorded, flagged, with its findings.
pub fn guard(
    book: &RuleBook,
    dossier: &Dossier,
    event: &Event,
    settings: &DevSettings,
    today: Date,
) -> Result<Evaluation, Refusal> {
    if event.on > today {
        return Err(Refusal::InFuture);
    }
    let before = evaluate(book, dossier, settings, today);
    let eff = dossier.effective();
    let exists = |kind: Kind, seq: i64| eff.iter().any(|e| e.kind == kind && i64::from(e.seq) == seq);
    let corrects_ok = event.corrects.is_none_or(|c| eff.iter().any(|e| e.seq == c && e.kind == event.kind));
    if !corrects_ok {
        return Err(Refusal::NoSuchRecord);
    }
    if !event.backfill && event.corrects.is_none() {
        match event.kind {
            Kind::Step(n) if !before.allows(n) => return Err(Refusal::NotNext { open: before.next }),
            Kind::Objection if !exists(Kind::PublicNotice, event.int(Key::Notice)) => {
                return Err(Refusal::NoSuchRecord);
            }
            Kind::ObjectionResolved => {
                let o = event.int(Key::Objection);
                let settled =
                    eff.iter().any(|e| e.kind == Kind::ObjectionResolved && e.int(Key::Objection) == o);
                if !exists(Kind::Objection, o) || settled {
                    return Err(Refusal::NoSuchRecord);
                }
            }
            Kind::FilingAck | Kind::FilingReturn => {
                let f = event.int(Key::Filing);
                let is_filing = eff.iter().any(|e| {
                    i64::from(e.seq) == f
                        && matches!(
                            e.kind,
                            Kind::Step(s::ACTIVIST_FILED | s::TARGET_FILED | s::APPROVAL_FILED)
                        )
                });
                let settled = eff.iter().any(|e| {
                    matches!(e.kind, Kind::FilingAck | Kind::FilingReturn) && e.int(Key::Filing) == f
                });
                if !is_filing || settled {
                    return Err(Refusal::NoSuchRecord);
                }
            }
            _ => {}
        }
    }
    let mut with = dossier.clone();
    with.events.push(event.clone());
    let after = evaluate(book, &with, settings, today);
    if event.backfill {
        return Ok(after);
    }
    let new: Vec<Finding> = after
        .findings
        .iter()
        .filter(|f| f.check.hard && f.check.severity == Severity::Violation)
        .filter(|f| !before.findings.iter().any(|b| b.check.code == f.check.code && b.event == f.event))
        .copied()
        .collect();
    if new.is_empty() { Ok(after) } else { Err(Refusal::Breaks(new)) }
}
