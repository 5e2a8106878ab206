//! Stage 5, probation and conversion (steps 19–25): the approval filed (step 18, DEV-036),
//! the oath after the approval (DEV-038), the conversion meetings with their order, timing,
//! vote and extensions (DEV-040 – DEV-043), their approval and the full-member date (DEV-044,
//! DEV-045), and the archived dossier (DEV-046). Says how the case ends.

use super::CaseState;
use super::admission::approver_ok;
use super::case::{Case, plus_months};
use super::checks::{
    APPROVAL_NOT_FILED, APPROVER, ARCHIVE_INCOMPLETE, CONVERSION_APPROVAL_LATE, CONVERSION_EARLY,
    CONVERSION_MEETING_SLOW, CONVERSION_NO_APPLICATION, CONVERSION_ORDER, CONVERSION_STEP_MISSING,
    CONVERSION_WITHOUT_MEETING, CONVERTED_ON, EXTENSION_LENGTH, EXTENSION_NOT_APPROVED, EXTENSIONS,
    OATH_EARLY, OATH_LATE, OATH_MISSING, ORDER,
};
use super::votes::check_vote;
use crate::development::dossier::{Event, Key, Kind, step as s};
use jiff::civil::Date;

/// Where the case stands after the last stage, for the steps that may come next.
pub(super) struct Conversion {
    /// Open, or how it ended.
    pub(super) state: CaseState,
    /// The last conversion meeting awaits its approval.
    pub(super) pending_meeting: bool,
    /// The last conversion meeting's resolution was decided without converting or cancelling.
    pub(super) may_meet_again: bool,
}

/// The probation as the conversion meetings move it.
struct Probation {
    /// The day probation ends (later once an extension is approved).
    ends: Date,
    /// Extensions resolved so far.
    extensions: u32,
}

/// Checks the probation of a person the admission stage `admitted`, and the archive.
pub(super) fn check(c: &mut Case<'_>, admitted: bool) -> Conversion {
    let approval = c.at(s::APPROVAL);
    let mut out = Conversion { state: CaseState::Open, pending_meeting: false, may_meet_again: false };
    if approval.is_some() && !admitted {
        out.state = CaseState::Rejected;
    }
    if let (Some(m), Some(a)) = (c.at(s::ADMISSION_MEETING), approval.filter(|_| admitted)) {
        probation(c, m, a, &mut out);
    }
    if let Some(ar) = c.at(s::ARCHIVING) {
        let all = [
            Key::HasApplicationLetter,
            Key::HasApplicationForm,
            Key::HasPoliticalReview,
            Key::HasConversionApplication,
            Key::HasCultivationRecords,
        ];
        if !all.iter().all(|k| ar.flag(*k)) {
            c.find(&ARCHIVE_INCOMPLETE, ar.on, Some(ar.seq));
        }
        out.state = CaseState::Archived;
    }
    out
}

/// The probation of a person admitted at the meeting `m` by the approval `a`.
fn probation(c: &mut Case<'_>, m: &Event, a: &Event, out: &mut Conversion) {
    let oath = c.at(s::OATH);
    if let Some(o) = oath {
        if o.on < a.on {
            c.find(&OATH_EARLY, o.on, Some(o.seq));
        } else if o.on > plus_months(a.on, 1) {
            c.find(&OATH_LATE, o.on, Some(o.seq));
        }
    }
    let application = c.at(s::CONVERSION_APPLICATION);
    if let Some(ca) = application
        && !c.filed(s::APPROVAL_FILED)
    {
        c.find(&APPROVAL_NOT_FILED, ca.on, Some(ca.seq));
    }
    let ev = c.ev;
    let postpone: i64 = if c.any_transfer {
        ev.iter().filter(|e| e.kind == Kind::Transfer).map(|e| e.int(Key::PostponeMonths)).sum()
    } else {
        0
    };
    let mut p = Probation { ends: plus_months(m.on, 12), extensions: 0 };
    let meetings = || ev.iter().filter(|e| e.is_step(s::CONVERSION_MEETING));
    let count = meetings().count();
    for (i, cm) in meetings().enumerate() {
        if i == 0 {
            first_meeting(c, cm, oath.is_some(), application, postpone);
        }
        meeting(c, cm, meetings().nth(i + 1).copied(), i + 1 == count, &mut p, out);
    }
    if count == 0 {
        without_meeting(c, application, out);
        if out.state == CaseState::Open {
            c.due(s::CONVERSION_MEETING, "DEV-040", plus_months(p.ends, postpone));
            c.not_before(s::CONVERSION_MEETING, "DEV-040", p.ends);
        }
    }
}

/// A conversion approved with no conversion meeting at all (AUD-24: the person became a
/// full member with the conversion steps missing; the written application too, if absent).
fn without_meeting(c: &mut Case<'_>, application: Option<&Event>, out: &mut Conversion) {
    let Some(d) = c.at(s::CONVERSION_APPROVAL) else { return };
    c.find(&CONVERSION_WITHOUT_MEETING, d.on, Some(d.seq));
    if application.is_none() {
        c.find(&CONVERSION_NO_APPLICATION, d.on, Some(d.seq));
    }
    if d.code(Key::Decision) == Some("approved") {
        out.state = CaseState::Converted;
    }
}

/// What only the first conversion meeting `cm` needs: the oath taken, and a written
/// application followed by the steps in order, in time.
fn first_meeting(c: &mut Case<'_>, cm: &Event, sworn: bool, application: Option<&Event>, postpone: i64) {
    if !sworn {
        c.find(&OATH_MISSING, cm.on, Some(cm.seq));
    }
    let Some(ca) = application else {
        c.find(&CONVERSION_NO_APPLICATION, cm.on, Some(cm.seq));
        return;
    };
    let steps =
        [cm.date(Key::GroupOpinionOn), cm.date(Key::PublicOpinionOn), cm.date(Key::CommitteeReviewOn)];
    if steps.iter().any(Option::is_none) {
        c.find(&CONVERSION_STEP_MISSING, cm.on, Some(cm.seq));
    }
    // The steps recorded, in the order they must come: none dated before one before it.
    let chain = [Some(ca.on), steps[0], steps[1], steps[2], Some(cm.on)];
    let mut latest = ca.on;
    let mut inverted = false;
    for day in chain.into_iter().flatten() {
        inverted |= day < latest;
        latest = latest.max(day);
    }
    if inverted {
        c.find(&CONVERSION_ORDER, cm.on, Some(cm.seq));
    }
    let months = c.settings.conversion_meeting_months;
    if months > 0 && cm.on > plus_months(ca.on, i64::from(months) + postpone) {
        c.find(&CONVERSION_MEETING_SLOW, cm.on, Some(cm.seq));
    }
}

/// A conversion meeting `cm` (the `last` one, or one followed by `next`): its vote, its
/// resolution and the approval that decided it, or the approval due.
fn meeting(
    c: &mut Case<'_>,
    cm: &Event,
    next: Option<&Event>,
    last: bool,
    p: &mut Probation,
    out: &mut Conversion,
) {
    let passed = check_vote(c, cm);
    let outcome = cm.code(Key::Outcome);
    if outcome == Some("convert") && cm.on < p.ends {
        // Probation's end comes before the meeting in the order of §8 too (AUD-26).
        c.find(&CONVERSION_EARLY, cm.on, Some(cm.seq));
        c.find(&ORDER, cm.on, Some(cm.seq));
    }
    let ev = c.ev;
    // The approval that decided this meeting: the first one after it and before the next; for
    // the first meeting, one dated before it counts too (an inversion, found by the order
    // check), so it is not also reported as never approved.
    let first = c.at(s::CONVERSION_MEETING).is_some_and(|f| std::ptr::eq(f, cm));
    let approvals = || ev.iter().filter(|e| e.is_step(s::CONVERSION_APPROVAL)).copied();
    let decision = approvals()
        .find(|ap| ap.on >= cm.on && next.is_none_or(|nx| ap.on < nx.on))
        .or_else(|| if first { approvals().rfind(|ap| ap.on < cm.on) } else { None });
    if outcome == Some("extend") {
        extension(c, cm, decision, next, p);
    }
    let Some(d) = decision else {
        if last {
            out.pending_meeting = true;
            let due = plus_months(cm.on, 3);
            c.due(s::CONVERSION_APPROVAL, "DEV-044", due);
            if c.today > due {
                c.find(&CONVERSION_APPROVAL_LATE, due, None);
            }
        }
        return;
    };
    if d.on > plus_months(cm.on, 3) {
        c.find(&CONVERSION_APPROVAL_LATE, d.on, Some(d.seq));
    }
    if !approver_ok(d) {
        c.find(&APPROVER, d.on, Some(d.seq));
    }
    let approved = d.code(Key::Decision) == Some("approved");
    match outcome {
        Some("convert") if approved && passed => {
            if d.date(Key::ConvertedOn) != Some(p.ends) {
                c.find(&CONVERTED_ON, d.on, Some(d.seq));
            }
            out.state = CaseState::Converted;
        }
        Some("cancel") if approved => out.state = CaseState::Cancelled,
        _ => out.may_meet_again = last,
    }
}

/// A resolution at `cm` to extend the probation: once only, by six to twelve months, and
/// approved. The end of probation moves unless the approval refused it: an extension never
/// approved but followed by a `next` meeting was applied all the same, and is reported as such
/// (AUD-23), not as a miscounted probation.
fn extension(
    c: &mut Case<'_>,
    cm: &Event,
    decision: Option<&Event>,
    next: Option<&Event>,
    p: &mut Probation,
) {
    p.extensions += 1;
    if p.extensions > 1 {
        c.find(&EXTENSIONS, cm.on, Some(cm.seq));
    }
    let months = cm.int(Key::ExtendMonths);
    if !(6..=12).contains(&months) {
        c.find(&EXTENSION_LENGTH, cm.on, Some(cm.seq));
    }
    match decision {
        Some(d) if d.code(Key::Decision) == Some("approved") => p.ends = plus_months(p.ends, months),
        Some(_) => {}
        None if next.is_some() => {
            c.find(&EXTENSION_NOT_APPROVED, cm.on, Some(cm.seq));
            p.ends = plus_months(p.ends, months);
        }
        None => {}
    }
}
