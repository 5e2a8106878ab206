//! The generic order check (AUD-26): every pair of steps in the order of RULES.md §8, a later
//! step dated before an earlier one. It is reported also where a narrower check (AUD-10, 11,
//! 12, 17, 21, 22, 25) reports the same date: the screening counts the case under both.

use super::case::Case;
use crate::development::dossier::step as s;
use jiff::civil::Date;

/// The steps in the order of §8, by rank: a step of a higher rank may not be dated before any
/// step of a lower one. The political review and the training share a rank (either may come
/// first); steps §8 leaves out (the probation assessments) have none; the archive is last.
const ORDER: [(u8, u8); 24] = [
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
    (s::ARCHIVING, 21),
];

/// A date as one number that orders like it (cheaper to compare than the date).
#[inline]
fn key(d: Date) -> i32 {
    (i32::from(d.year()) << 9) | (i32::from(d.month()) << 5) | i32::from(d.day())
}

/// Finds each step dated before a step of a lower rank (one finding per step, on its first
/// event): every pair of the order is compared, in one pass over the ranks.
pub(super) fn check(c: &mut Case<'_>) {
    // The latest first-date among the ranks below the one being looked at.
    let mut below = i32::MIN;
    let mut rank_latest = i32::MIN;
    let mut rank = 0;
    for (step, r) in ORDER {
        if r != rank {
            below = below.max(rank_latest);
            rank_latest = i32::MIN;
            rank = r;
        }
        let Some(e) = c.at(step) else { continue };
        let k = key(e.on);
        if k < below {
            c.find(&super::checks::ORDER, e.on, Some(e.seq));
        }
        rank_latest = rank_latest.max(k);
    }
}
