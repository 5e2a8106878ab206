//! The public notice (公示, DEV-050): before each step the organisation configures, a notice of
//! the required length that ended before it, and no objection to it left open.

use super::case::Case;
use super::checks::{NOTICE_2026, NOTICE_MISSING, OBJECTION_OPEN};
use super::{Deadline, DeadlineKind};
use crate::development::dossier::{Key, Kind, step as s};

/// Checks the notice before each configured step.
pub(super) fn check(c: &mut Case<'_>) {
    let points = c.settings.notice_points;
    for (point, n, wanted) in [
        ("activist", s::ACTIVIST, points.activist),
        ("target", s::TARGET, points.target),
        ("admission", s::ADMISSION_MEETING, points.admission),
        ("conversion", s::CONVERSION_MEETING, points.conversion),
    ] {
        // Nothing to check: no notice at all, and the step is not reached or needs none.
        if !c.any_notice && c.at(n).is_none_or(|_| !wanted && point != "target") {
            continue;
        }
        notice_before(c, point, n, wanted);
    }
}

/// The notice at `point` before step `n` (`wanted` when the organisation requires one): it
/// runs until a day still to come while the step waits; it is long enough and over by the
/// step; the 2026 revision wants one before the target decision in any case.
fn notice_before(c: &mut Case<'_>, point: &'static str, n: u8, wanted: bool) {
    let (ev, any_notice) = (c.ev, c.any_notice);
    let notices = || {
        ev.iter()
            .filter(move |e| any_notice && e.kind == Kind::PublicNotice && e.code(Key::Point) == Some(point))
    };
    for nt in notices() {
        if let Some(end) = nt.date(Key::EndsOn)
            && end >= c.today
            && c.at(n).is_none()
        {
            c.deadlines.push(Deadline {
                step: n,
                rule: "DEV-050",
                due: end,
                kind: DeadlineKind::NoticeEnds,
                overdue: false,
            });
        }
    }
    let Some(gate) = c.at(n) else { return };
    let days = i64::from(c.settings.notice_working_days);
    let good = notices().any(|nt| {
        nt.on <= gate.on
            && nt.date(Key::EndsOn).is_some_and(|end| end < gate.on)
            && nt.int(Key::WorkingDays) >= days
    });
    if wanted && !good {
        c.find(&NOTICE_MISSING, gate.on, Some(gate.seq));
    } else if !wanted
        && point == "target"
        && !notices()
            .any(|nt| nt.int(Key::WorkingDays) >= 5 && nt.date(Key::EndsOn).is_some_and(|e| e < gate.on))
    {
        c.find(&NOTICE_2026, gate.on, Some(gate.seq));
    }
    // An objection to one of these notices, raised by the step and not resolved by then.
    let open = c.any_objection
        && ev.iter().any(|o| {
            o.kind == Kind::Objection
                && o.on <= gate.on
                && notices().any(|nt| i64::from(nt.seq) == o.int(Key::Notice))
                && !ev.iter().any(|r| {
                    r.kind == Kind::ObjectionResolved
                        && r.int(Key::Objection) == i64::from(o.seq)
                        && r.on <= gate.on
                })
        });
    if open {
        c.find(&OBJECTION_OPEN, gate.on, Some(gate.seq));
    }
}
