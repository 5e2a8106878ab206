//! The generic order check (AUD-26): every pair of steps in the order of RULES.md §8, a later
//! step dated before an earlier one. It is reported also where a narrower check (AUD-10, 11,
//! 12, 17, 21, 22, 25) reports the same date: the screening counts the case under both.

use super::case::Case;
use super::checks::ORDER;
use crate::development::dossier::step as s;
use jiff::civil::Date;

/// The steps in the order of §8, by rank: a step of a higher rank may not be dated before any
/// step of a lower one. The political review and the training share a rank (either may come
/// first); steps §8 leaves out (the probation assessments) have none.
const RANKS: [(u8, u8); 23] = [
    (s::APPLICATION, 0),
    (s::TALK, 1),
    (s::ACTIVIST, 2),
    (s::ACTIVIST_FILED, 3),
    (s::CONTACTS, 4),
    (s::CULTIVATION, 5),
    (s::TARGET, 6),
    (s::TARGET_FILED, 7),
    (s::INTRODUCERS, 8),
    (s::POLITICAL_REVIEW, 9),
    (s::TRAINING, 9),
    (s::COMMITTEE_REVIEW, 10),
    (s::PRELIMINARY_REVIEW, 11),
    (s::APPLICATION_FORM, 12),
    (s::ADMISSION_MEETING, 13),
    (s::HIGHER_TALK, 14),
    (s::APPROVAL, 15),
    (s::APPROVAL_FILED, 16),
    (s::PLACEMENT, 16),
    (s::OATH, 17),
    (s::CONVERSION_APPLICATION, 18),
    (s::CONVERSION_MEETING, 19),
    (s::CONVERSION_APPROVAL, 20),
];

/// The archive comes after everything else.
const LAST: (u8, u8) = (s::ARCHIVING, 21);

/// Finds each step dated before a step of a lower rank (one finding per step, on its first
/// event): every pair of the order is compared, in one pass over the ranks.
pub(super) fn check(c: &mut Case<'_>) {
    // The latest first-date among the ranks below the one being looked at.
    let mut below: Option<Date> = None;
    let mut rank_latest: Option<Date> = None;
    let mut rank = 0;
    for &(step, r) in RANKS.iter().chain(std::iter::once(&LAST)) {
        if r != rank {
            below = below.max(rank_latest);
            rank_latest = None;
            rank = r;
        }
        let Some(e) = c.at(step) else { continue };
        if below.is_some_and(|b| e.on < b) {
            c.find(&ORDER, e.on, Some(e.seq));
        }
        rank_latest = rank_latest.max(Some(e.on));
    }
}
