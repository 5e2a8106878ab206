//! 票决: the branch general meeting's vote on one candidate, counted exactly as RULES.md
//! says, with integer arithmetic: the quorum counts voting members present (DEV-026), the
//! resolution needs more than half of the *expected* voting members in favour, written
//! votes handed in before the meeting included (DEV-029), by secret ballot (DEV-028), one
//! candidate at a time (DEV-030). The result is computed, never typed in.

use crate::development::dossier::{Event, Key, Kind, step};
use crate::error::{FieldError, Reason, ValidationErrors};
use jiff::civil::Date;
use serde::Serialize;

/// The day the 2014 细则 took effect: show of hands is invalid for votes after it.
pub const SECRET_BALLOT_FROM: Date = Date::constant(2014, 5, 28);

/// How the members voted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BallotMethod {
    /// 无记名投票.
    SecretBallot,
    /// 举手表决 (the 1990 wording; invalid after 2014-05-28).
    ShowOfHands,
}

/// What the meeting record says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VoteRecord {
    /// The meeting's date.
    pub held_on: Date,
    /// Full members with voting rights expected (应到会有表决权的正式党员).
    pub expected: u32,
    /// Of them, present (到会).
    pub present: u32,
    /// Votes cast at the meeting.
    pub for_: u32,
    /// Against.
    pub against: u32,
    /// Abstentions.
    pub abstain: u32,
    /// Written votes handed in before the meeting by absent members: in favour.
    pub written_for: u32,
    /// Written: against.
    pub written_against: u32,
    /// Written: abstain.
    pub written_abstain: u32,
    /// Ballot method.
    pub method: BallotMethod,
    /// Candidates decided by this one vote (must be 1).
    pub candidates: u32,
}

/// The computed result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VoteOutcome {
    /// More than half of the expected voting members were present (DEV-026).
    pub quorum_met: bool,
    /// Votes in favour, written ones included.
    pub in_favour: u32,
    /// The smallest number in favour that passes: ⌊expected / 2⌋ + 1.
    pub needed: u32,
    /// The smallest number present that makes a quorum: ⌊expected / 2⌋ + 1.
    pub quorum_needed: u32,
    /// The resolution passed: quorum met, more than half of the expected in favour, by
    /// secret ballot, for one candidate.
    pub passed: bool,
    /// Rules the vote broke.
    pub broken: Vec<VoteRule>,
}

/// A rule a vote broke.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VoteRule {
    /// DEV-026: no more than half of the expected voting members were present.
    Quorum,
    /// DEV-029: no more than half of the expected voting members were in favour.
    Majority,
    /// DEV-028: by show of hands after the 2014 细则 (secret ballot required).
    SecretBallot,
    /// DEV-030: several candidates decided by one vote.
    OneAtATime,
}

impl VoteRule {
    /// The rule's id in RULES.md.
    pub fn rule(self) -> &'static str {
        match self {
            VoteRule::Quorum => "DEV-026",
            VoteRule::Majority => "DEV-029",
            VoteRule::SecretBallot => "DEV-028",
            VoteRule::OneAtATime => "DEV-030",
        }
    }
}

/// Written as the rule's id.
impl Serialize for VoteRule {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.rule())
    }
}

/// Checks that the counts add up, then counts.
pub fn tally(r: &VoteRecord) -> Result<VoteOutcome, ValidationErrors> {
    let mut e = ValidationErrors::default();
    if r.expected == 0 {
        e.push("expected", Reason::Required);
    }
    if r.present > r.expected {
        e.push("present", Reason::CountExceeds { limit: "expected" });
    }
    if r.for_ + r.against + r.abstain > r.present {
        e.push("for", Reason::CountExceeds { limit: "present" });
    }
    let absent = r.expected.saturating_sub(r.present);
    if r.written_for + r.written_against + r.written_abstain > absent {
        e.push("written_for", Reason::CountExceeds { limit: "absent" });
    }
    if r.candidates == 0 {
        e.push("candidates", Reason::Required);
    }
    e.into_result()?;
    let quorum_needed = r.expected / 2 + 1;
    let needed = r.expected / 2 + 1;
    // DEV-026: `present * 2 > expected`; written votes are not presence.
    let quorum_met = u64::from(r.present) * 2 > u64::from(r.expected);
    let in_favour = r.for_ + r.written_for;
    // DEV-029: `yes * 2 > expected` — the denominator is the expected, not those present.
    let majority = u64::from(in_favour) * 2 > u64::from(r.expected);
    let mut broken = Vec::new();
    if !quorum_met {
        broken.push(VoteRule::Quorum);
    }
    if !majority {
        broken.push(VoteRule::Majority);
    }
    if r.method == BallotMethod::ShowOfHands && r.held_on >= SECRET_BALLOT_FROM {
        broken.push(VoteRule::SecretBallot);
    }
    if r.candidates > 1 {
        broken.push(VoteRule::OneAtATime);
    }
    Ok(VoteOutcome { quorum_met, in_favour, needed, quorum_needed, passed: broken.is_empty(), broken })
}

/// Whether an event is a vote of the branch general meeting (admission or conversion).
pub fn is_vote(kind: Kind) -> bool {
    matches!(kind, Kind::Step(step::ADMISSION_MEETING | step::CONVERSION_MEETING))
}

/// DEV-026: the voting members expected are the organisation's full members on the day
/// (`full_members`); a different number needs the reason some are not counted. A historic
/// (backfill) record is taken as it was found, for the screening to judge.
pub fn check_expected_voters(event: &Event, full_members: i64) -> Result<(), FieldError> {
    let differs = event.int(Key::Expected) != full_members;
    if is_vote(event.kind) && differs && event.get(Key::ExclusionReason).is_none() && !event.backfill {
        return Err(FieldError::new(
            "exclusion_reason",
            Reason::Broken {
                rule: "DEV-026",
                zh: "应到会有表决权人数与本组织正式党员人数不同，须说明不计入的原因",
                en: "The expected voting members differ from this organisation's full members: give the reason",
            },
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn record(expected: u32, present: u32, for_: u32) -> VoteRecord {
        VoteRecord {
            held_on: Date::constant(2026, 6, 1),
            expected,
            present,
            for_,
            against: present - for_,
            abstain: 0,
            written_for: 0,
            written_against: 0,
            written_abstain: 0,
            method: BallotMethod::SecretBallot,
            candidates: 1,
        }
    }

    #[test]
    fn quorum_is_strictly_more_than_half_of_the_expected() {
        // 5 present of 9 expected passes the quorum; 5 of 10 does not.
        assert!(tally(&record(9, 5, 5)).unwrap().quorum_met);
        let ten = tally(&record(10, 5, 5)).unwrap();
        assert!(!ten.quorum_met && !ten.passed);
        assert_eq!(ten.broken, vec![VoteRule::Quorum, VoteRule::Majority]);
        assert!(tally(&record(10, 6, 6)).unwrap().passed);
    }

    #[test]
    fn the_majority_counts_against_the_expected_not_those_present() {
        // 6 of 10 present, 5 in favour: a majority of those present but not of the expected.
        let r = tally(&record(10, 6, 5)).unwrap();
        assert!(r.quorum_met);
        assert!(!r.passed);
        assert_eq!((r.in_favour, r.needed), (5, 6));
        assert_eq!(r.broken, vec![VoteRule::Majority]);
    }

    #[test]
    fn written_votes_count_toward_the_majority_but_not_the_quorum() {
        let mut r = record(10, 6, 5);
        r.written_for = 1;
        let t = tally(&r).unwrap();
        assert!(t.passed, "5 at the meeting + 1 written = 6 of 10");
        let mut r = record(10, 5, 5);
        r.written_for = 3;
        let t = tally(&r).unwrap();
        assert!(!t.quorum_met, "written votes are not presence");
        assert_eq!(t.broken, vec![VoteRule::Quorum]);
    }

    #[test]
    fn show_of_hands_after_2014_and_several_candidates_are_findings() {
        let mut r = record(9, 7, 7);
        r.method = BallotMethod::ShowOfHands;
        assert_eq!(tally(&r).unwrap().broken, vec![VoteRule::SecretBallot]);
        r.held_on = Date::constant(2013, 1, 1);
        assert!(tally(&r).unwrap().passed, "before the 2014 rules a show of hands was valid");
        let mut r = record(9, 7, 7);
        r.candidates = 2;
        assert_eq!(tally(&r).unwrap().broken, vec![VoteRule::OneAtATime]);
    }

    #[test]
    fn counts_that_do_not_add_up_are_refused() {
        let mut r = record(9, 7, 7);
        r.present = 10;
        assert_eq!(tally(&r).unwrap_err().0[0].field, "present");
        let mut r = record(9, 7, 7);
        r.against = 1;
        assert_eq!(tally(&r).unwrap_err().0[0].field, "for");
        let mut r = record(9, 7, 7);
        r.written_for = 3;
        assert_eq!(tally(&r).unwrap_err().0[0].field, "written_for", "only the 2 absent can write");
    }

    proptest! {
        #[test]
        fn passing_is_exactly_the_two_integer_conditions(expected in 1u32..200, present_frac in 0u32..=100, for_frac in 0u32..=100, written in 0u32..50) {
            let present = expected * present_frac / 100;
            let for_ = present * for_frac / 100;
            let written_for = written.min(expected - present);
            let mut r = record(expected, present, for_);
            r.written_for = written_for;
            let t = tally(&r).unwrap();
            prop_assert_eq!(t.quorum_met, present * 2 > expected);
            prop_assert_eq!(t.passed, present * 2 > expected && (for_ + written_for) * 2 > expected);
            prop_assert_eq!(t.passed, t.quorum_met && t.in_favour >= t.needed);
        }
    }

    #[test]
    fn expected_voters_other_than_the_full_members_need_a_reason() {
        use crate::development::dossier::Value;
        let on = Date::constant(2026, 11, 2);
        let vote = Event::new(1, Kind::Step(step::ADMISSION_MEETING), on).with(Key::Expected, Value::Int(9));
        assert!(check_expected_voters(&vote, 9).is_ok());
        let e = check_expected_voters(&vote, 10).unwrap_err();
        assert_eq!((e.field, e.reason.rule()), ("exclusion_reason", Some("DEV-026")));
        let explained = vote.clone().with(Key::ExclusionReason, Value::Text("一人出国留学".into()));
        assert!(check_expected_voters(&explained, 10).is_ok());
        let mut found = vote.clone();
        found.backfill = true;
        assert!(check_expected_voters(&found, 10).is_ok());
        let other = Event::new(1, Kind::Step(step::TALK), on).with(Key::Expected, Value::Int(9));
        assert!(check_expected_voters(&other, 10).is_ok());
    }
}
