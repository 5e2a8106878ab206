//! The vote a meeting record holds (admission or conversion meeting): [`vote_record`] reads
//! it, [`check_vote`] tallies it and records the quorum, majority and ballot findings.

use super::case::Case;
use super::checks::{BALLOT, CONVERSION_MAJORITY, CONVERSION_QUORUM, MAJORITY, ONE_AT_A_TIME, QUORUM};
use crate::development::dossier::{Event, Key, step as s};
use crate::development::vote::{BallotMethod, VoteRecord, VoteRule, tally};

/// The vote a meeting record holds (admission or conversion meeting).
pub fn vote_record(e: &Event) -> VoteRecord {
    let n = |k| u32::try_from(e.int(k)).unwrap_or(u32::MAX);
    VoteRecord {
        held_on: e.on,
        expected: n(Key::Expected),
        present: n(Key::Present),
        for_: n(Key::For),
        against: n(Key::Against),
        abstain: n(Key::Abstain),
        written_for: n(Key::WrittenFor),
        written_against: n(Key::WrittenAgainst),
        written_abstain: n(Key::WrittenAbstain),
        method: if e.code(Key::Method) == Some("show_of_hands") {
            BallotMethod::ShowOfHands
        } else {
            BallotMethod::SecretBallot
        },
        candidates: n(Key::Candidates),
    }
}

/// Records what the meeting's vote breaks; whether the vote passed. A conversion meeting's
/// failed quorum or majority is a fault of the conversion procedure (AUD-24), not of an
/// admission vote (AUD-14, AUD-15).
pub(super) fn check_vote(c: &mut Case<'_>, e: &Event) -> bool {
    let conversion = e.is_step(s::CONVERSION_MEETING);
    let (quorum, majority) =
        if conversion { (&CONVERSION_QUORUM, &CONVERSION_MAJORITY) } else { (&QUORUM, &MAJORITY) };
    match tally(&vote_record(e)) {
        Ok(t) => {
            for rule in &t.broken {
                let check = match rule {
                    VoteRule::Quorum => quorum,
                    VoteRule::Majority => majority,
                    VoteRule::SecretBallot => &BALLOT,
                    VoteRule::OneAtATime => &ONE_AT_A_TIME,
                };
                c.find(check, e.on, Some(e.seq));
            }
            t.passed
        }
        Err(_) => {
            c.find(majority, e.on, Some(e.seq));
            false
        }
    }
}
