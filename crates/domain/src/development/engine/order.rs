//! The generic order check (AUD-26): a step dated before a step it must follow, for the pairs
//! no narrower check of a stage already covers.

use super::case::Case;
use super::checks::ORDER;
use crate::development::dossier::step as s;

/// Steps whose date must not precede another's (AUD-26), where no narrower check covers it.
const ORDER_PAIRS: [(u8, u8); 16] = [
    (s::APPLICATION, s::TALK),
    (s::APPLICATION, s::ACTIVIST),
    (s::TALK, s::ACTIVIST),
    (s::ACTIVIST, s::ACTIVIST_FILED),
    (s::ACTIVIST, s::CONTACTS),
    (s::TARGET, s::TARGET_FILED),
    (s::TARGET, s::INTRODUCERS),
    (s::TARGET, s::POLITICAL_REVIEW),
    (s::INTRODUCERS, s::COMMITTEE_REVIEW),
    (s::TRAINING, s::COMMITTEE_REVIEW),
    (s::COMMITTEE_REVIEW, s::PRELIMINARY_REVIEW),
    (s::APPLICATION_FORM, s::ADMISSION_MEETING),
    (s::APPROVAL, s::APPROVAL_FILED),
    (s::APPROVAL, s::PLACEMENT),
    (s::CONVERSION_APPROVAL, s::ARCHIVING),
    (s::APPROVAL, s::CONVERSION_APPLICATION),
];

/// Finds each later step of [`ORDER_PAIRS`] dated before its earlier one.
pub(super) fn check(c: &mut Case<'_>) {
    for (a, b) in ORDER_PAIRS {
        if let (Some(x), Some(y)) = (c.at(a), c.at(b))
            && y.on < x.on
        {
            c.find(&ORDER, y.on, Some(y.seq));
        }
    }
}
