//! Stage 2, activist and cultivation (steps 3–6): how the activist was decided (DEV-004,
//! DEV-004a), the contacts (DEV-006), an assessment every half year (DEV-007) and a full year
//! of cultivation, filed, before the person becomes a development target (DEV-005, DEV-010).

use super::case::{Case, plus_months};
use super::checks::{
    ACTIVIST_DECIDED, ACTIVIST_EARLY, ACTIVIST_NOT_FILED, ACTIVIST_NOT_RECOMMENDED, ACTIVIST_YEAR,
    ASSESSMENT_GAP, CONTACT_NOT_FULL, CONTACTS_MISSING,
};
use crate::development::dossier::{Event, Key, Kind, step as s};
use crate::development::periods::{activist_year_complete, complete_after_months};
use jiff::civil::Date;

/// Checks the activist decision, the cultivation and the contacts.
pub(super) fn check(c: &mut Case<'_>) {
    if let Some(act) = c.at(s::ACTIVIST) {
        decision(c, act);
        let start = cultivation_start(c, act);
        assessments(c, start);
        if let Some(t) = c.at(s::TARGET) {
            if !activist_year_complete(start, t.on, c.settings.anniversary) {
                c.find(&ACTIVIST_YEAR, t.on, Some(t.seq));
            }
            if !c.filed(s::ACTIVIST_FILED) {
                c.find(&ACTIVIST_NOT_FILED, t.on, Some(t.seq));
            }
            if c.at(s::CONTACTS).is_none() {
                c.find(&CONTACTS_MISSING, t.on, Some(t.seq));
            }
        }
    }
    // The contacts as appointed over time: each appointment replaces the one before (a third
    // contact is a later appointment), and each contact is a full member on its day.
    if let Some(first) = c.at(s::CONTACTS) {
        let ev = c.ev;
        let all: &[&Event] =
            if c.repeated & (1 << s::CONTACTS) != 0 { ev } else { std::slice::from_ref(&first) };
        for ct in all.iter().filter(|e| e.is_step(s::CONTACTS)) {
            let bad = |k| ct.get(k).is_some() && ct.code(k) != Some("full");
            if bad(Key::Contact1Status) || bad(Key::Contact2Status) {
                c.find(&CONTACT_NOT_FULL, ct.on, Some(ct.seq));
            }
        }
    }
}

/// Who decided, and whether the organisation's minimum time since applying had passed.
fn decision(c: &mut Case<'_>, act: &Event) {
    // A record without the deciding body (a historic one) was not decided by a meeting either.
    if !matches!(act.code(Key::DecidedBy), Some("branch_committee" | "branch_meeting")) {
        c.find(&ACTIVIST_DECIDED, act.on, Some(act.seq));
    }
    if act.code(Key::Route).is_none() {
        c.find(&ACTIVIST_NOT_RECOMMENDED, act.on, Some(act.seq));
    }
    let min = c.settings.min_months_before_activist;
    if let Some(a) = c.at(s::APPLICATION)
        && min > 0
        && act.on < plus_months(a.on, i64::from(min))
    {
        c.find(&ACTIVIST_EARLY, act.on, Some(act.seq));
    }
}

/// DEV-009: a transfer without complete materials restarts the cultivation period.
fn cultivation_start(c: &Case<'_>, act: &Event) -> Date {
    let target = c.at(s::TARGET);
    let restart =
        c.ev.iter()
            .filter(|_| c.any_transfer)
            .filter(|e| {
                e.kind == Kind::Transfer
                    && !e.flag(Key::MaterialsComplete)
                    && e.on >= act.on
                    && target.is_none_or(|t| e.on <= t.on)
            })
            .map(|e| e.on)
            .max();
    restart.map_or(act.on, |r| r.max(act.on))
}

/// DEV-007: an assessment at least every half year from `start` until the target decision;
/// while there is none, the next assessment is due and the decision waits for a full year.
fn assessments(c: &mut Case<'_>, start: Date) {
    let target = c.at(s::TARGET);
    let end = target.map(|t| t.on);
    let mut last = start;
    let mut gap = false;
    let points = c.ev.iter().filter(|e| e.is_step(s::CULTIVATION));
    for p in points.filter(|p| p.on >= start && end.is_none_or(|t| p.on <= t)) {
        if p.on > plus_months(last, 6) && !gap {
            c.find(&ASSESSMENT_GAP, p.on, Some(p.seq));
            gap = true;
        }
        last = last.max(p.on);
    }
    let next_due = plus_months(last, 6);
    match end {
        Some(t) if t > next_due && !gap => c.find(&ASSESSMENT_GAP, t, target.map(|x| x.seq)),
        Some(_) => {}
        None => {
            c.due(s::CULTIVATION, "DEV-007", next_due);
            if c.today > next_due && !gap {
                c.find(&ASSESSMENT_GAP, next_due, None);
            }
            c.not_before(s::TARGET, "DEV-010", complete_after_months(start, 12, c.settings.anniversary));
        }
    }
}
