//! Signs worth a second look, never a refusal (status T): meetings dated on rest days of the
//! working calendar and dates of filed steps changed afterwards (AUD-27), and a case that took
//! the minimum interval at every step (AUD-28). The signs that need other dossiers (identical
//! text, rushed batches) are in [`crate::development::batches`].

use super::case::Case;
use super::checks::{DATE_CORRECTED, MIN_INTERVALS, REST_DAY_MEETING};
use crate::calendar::day_number;
use crate::development::dossier::{Event, Key, step as s};
use crate::development::periods::{add_months, complete_after_months};
use jiff::civil::Date;

/// Looks for the signs in one dossier.
pub(super) fn check(c: &mut Case<'_>) {
    rest_days(c);
    corrected_dates(c);
    minimum_intervals(c);
}

/// Meetings on a rest day: the branch meetings and committee meetings the dossier records.
fn rest_days(c: &mut Case<'_>) {
    let calendar = c.book.calendar();
    let decided_by_meeting =
        |e: &Event| matches!(e.code(Key::DecidedBy), Some("branch_committee" | "branch_meeting"));
    for n in [s::ACTIVIST, s::TARGET, s::COMMITTEE_REVIEW, s::ADMISSION_MEETING] {
        if let Some(e) = c.at(n)
            && (!matches!(n, s::ACTIVIST | s::TARGET) || decided_by_meeting(e))
            && !calendar.is_workday(e.on)
        {
            c.find(&REST_DAY_MEETING, e.on, Some(e.seq));
        }
    }
    // Conversion meetings may be several (an extension); the first is among the steps above
    // when there is only one.
    if let Some(cm) = c.at(s::CONVERSION_MEETING)
        && c.repeated & (1 << s::CONVERSION_MEETING) == 0
    {
        if !calendar.is_workday(cm.on) {
            c.find(&REST_DAY_MEETING, cm.on, Some(cm.seq));
        }
    } else if c.done & (1 << s::CONVERSION_MEETING) != 0 {
        let ev = c.ev;
        for e in ev.iter().filter(|e| e.is_step(s::CONVERSION_MEETING)) {
            if !calendar.is_workday(e.on) {
                c.find(&REST_DAY_MEETING, e.on, Some(e.seq));
            }
        }
    }
}

/// Which filing step covers step `n` (the higher committee holds its date from then on).
fn filed_by(n: u8) -> Option<u8> {
    match n {
        s::APPLICATION..=s::ACTIVIST => Some(s::ACTIVIST_FILED),
        s::CONTACTS..=s::TARGET => Some(s::TARGET_FILED),
        s::INTRODUCERS..=s::APPROVAL => Some(s::APPROVAL_FILED),
        _ => None,
    }
}

/// A correction that moved the date of a step after the filing that reported it.
fn corrected_dates(c: &mut Case<'_>) {
    if !c.any_correction {
        return;
    }
    let all = &c.dossier.events;
    for e in all {
        let Some(target) = e.corrects else { continue };
        let Some(old) = all.iter().find(|o| o.seq == target) else { continue };
        let Some(filing) = filed_by(e.kind.number()) else { continue };
        // Filed before the correction was recorded (sequence numbers follow recording order).
        let was_filed = all.iter().any(|f| f.is_step(filing) && f.seq < e.seq);
        if old.on != e.on && was_filed {
            c.find(&DATE_CORRECTED, e.on, Some(e.seq));
        }
    }
}

/// Both intervals before the target decision taken at their minimum (within the organisation's
/// slack of days): the months from the application to the activist (DEV-004a; none set means
/// at once) and the year as an activist (DEV-010). Probation is left out: a conversion on the
/// day probation ends is the normal practice, not a sign.
fn minimum_intervals(c: &mut Case<'_>) {
    let settings = c.settings;
    if settings.rushed_slack_days == 0 {
        return;
    }
    let (Some(applied), Some(activist), Some(target)) =
        (c.at(s::APPLICATION), c.at(s::ACTIVIST), c.at(s::TARGET))
    else {
        return;
    };
    let slack = i64::from(settings.rushed_slack_days);
    let days = |from: Date, to: Date| i64::from(day_number(to) - day_number(from));
    let months = i64::from(settings.min_months_before_activist);
    // Most cases are far from the minimum: a month has at most 31 days, a year 366.
    if days(applied.on, activist.on) > months * 31 + slack || days(activist.on, target.on) > 366 + slack {
        return;
    }
    let at_minimum = |min: Date, on: Date| on >= min && days(min, on) <= slack;
    if at_minimum(add_months(applied.on, months), activist.on)
        && at_minimum(complete_after_months(activist.on, 12, settings.anniversary), target.on)
    {
        c.find(&MIN_INTERVALS, target.on, Some(target.seq));
    }
}
