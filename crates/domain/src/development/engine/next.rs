//! What may be recorded next: each step's prerequisites ([`PREREQUISITES`]), the steps that
//! repeat, and [`steps`], the steps open once the stages have been walked; [`stage`] is the
//! stage a case has reached.

use super::CaseState;
use super::admission::Admission;
use super::case::Case;
use super::conversion::Conversion;
use crate::development::dossier::{Kind, step as s};
use crate::development::procedure::Stage;

/// The bits of `steps` (bit `n` for step `n`).
const fn bits(steps: &[u8]) -> u32 {
    let mut b = 0;
    let mut i = 0;
    while i < steps.len() {
        b |= 1 << steps[i];
        i += 1;
    }
    b
}

/// Step prerequisites: bits of the steps that must be done first (index: the step).
const PREREQUISITES: [u32; 26] = [
    0,
    0,
    bits(&[s::APPLICATION]),
    bits(&[s::APPLICATION]),
    bits(&[s::ACTIVIST]),
    bits(&[s::ACTIVIST]),
    bits(&[s::ACTIVIST]),
    bits(&[s::ACTIVIST, s::ACTIVIST_FILED, s::CONTACTS]),
    bits(&[s::TARGET]),
    bits(&[s::TARGET]),
    bits(&[s::TARGET]),
    bits(&[s::TARGET]),
    bits(&[s::TARGET_FILED, s::INTRODUCERS, s::POLITICAL_REVIEW, s::TRAINING]),
    bits(&[s::COMMITTEE_REVIEW]),
    bits(&[s::PRELIMINARY_REVIEW]),
    bits(&[s::APPLICATION_FORM]),
    bits(&[s::ADMISSION_MEETING]),
    bits(&[s::ADMISSION_MEETING, s::HIGHER_TALK]),
    bits(&[s::APPROVAL]),
    bits(&[s::APPROVAL]),
    bits(&[s::APPROVAL]),
    bits(&[s::APPROVAL]),
    bits(&[s::APPROVAL, s::OATH]),
    bits(&[s::CONVERSION_APPLICATION]),
    bits(&[s::CONVERSION_MEETING]),
    bits(&[s::CONVERSION_APPROVAL]),
];

/// Steps that are recorded more than once.
const REPEATABLE: u32 = bits(&[
    s::CONTACTS,
    s::CULTIVATION,
    s::PROBATION_ASSESSMENT,
    s::CONVERSION_MEETING,
    s::CONVERSION_APPROVAL,
]);

/// The steps (bit `n` for step `n`) that may be recorded next in a case walked as `c`.
pub(super) fn steps(c: &Case<'_>, admission: &Admission, end: &Conversion) -> u32 {
    let done = c.done;
    let mut next = 0u32;
    if end.state == CaseState::Open {
        for n in 1..=24u8 {
            let needs = PREREQUISITES[usize::from(n)];
            let repeat = REPEATABLE & (1 << n) != 0;
            if done & needs != needs || (done & (1 << n) != 0 && !repeat) {
                continue;
            }
            let ok = match n {
                s::CULTIVATION => c.at(s::TARGET).is_none(),
                s::APPLICATION_FORM => admission.prereview_passed,
                18..=22 => admission.admitted,
                s::CONVERSION_MEETING => admission.admitted && (done & (1 << n) == 0 || end.may_meet_again),
                s::CONVERSION_APPROVAL => end.pending_meeting,
                _ => true,
            };
            if ok {
                next |= 1 << n;
            }
        }
    } else if end.state == CaseState::Converted || end.state == CaseState::Cancelled {
        next |= 1 << s::ARCHIVING;
    }
    next
}

/// The stage of the highest step done (steps `done`, bit `n` for step `n`).
pub(super) fn stage(done: u32) -> Stage {
    let highest = (1..=25u8).rev().find(|n| done & (1 << n) != 0).unwrap_or(1);
    Kind::Step(highest).step().map_or(Stage::Application, |st| st.stage)
}
