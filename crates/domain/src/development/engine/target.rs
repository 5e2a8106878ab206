//! Stage 3, development target (steps 7–11): the decision after hearing opinions (DEV-011),
//! the filing (DEV-012), two introducers who are full members (DEV-013, DEV-014), a passed
//! political review in time (DEV-017, DEV-018) and the concentrated training (DEV-020).

use super::case::Case;
use super::checks::{
    ACTIVIST_DECIDED, INTRODUCER_NOT_FULL, INTRODUCERS_COUNT, MOBILE_OPINIONS, OPINIONS, REVIEW_FAILED,
    REVIEW_LATE, REVIEW_MISSING, TARGET_NOT_FILED, TRAINING_EARLY, TRAINING_SHORT,
};
use crate::development::dossier::{Event, Key, step as s};

/// Checks the target decision and what must be ready before the branch committee's review.
pub(super) fn check(c: &mut Case<'_>) {
    let target = c.at(s::TARGET);
    if let Some(t) = target {
        decision(c, t);
    }
    // The committee review or, without one, the meeting: by then the introducers and the
    // political review must be in place.
    let gate = c.at(s::COMMITTEE_REVIEW).or(c.at(s::ADMISSION_MEETING));
    if let Some(r) = c.at(s::COMMITTEE_REVIEW)
        && target.is_some()
        && !c.filed(s::TARGET_FILED)
    {
        c.find(&TARGET_NOT_FILED, r.on, Some(r.seq));
    }
    introducers(c, gate);
    political_review(c, gate);
    training(c, target);
}

/// The opinions were heard between the activist and the target decision, by the committee.
fn decision(c: &mut Case<'_>, t: &Event) {
    let activist = c.at(s::ACTIVIST);
    let heard = t.date(Key::OpinionsHeardOn);
    if heard.is_none_or(|h| h > t.on || activist.is_some_and(|a| h < a.on)) {
        c.find(&OPINIONS, t.on, Some(t.seq));
    }
    if !matches!(t.code(Key::DecidedBy), Some("branch_committee" | "branch_meeting")) {
        c.find(&ACTIVIST_DECIDED, t.on, Some(t.seq));
    }
}

/// Two distinct introducers, both full members; none at all once the `gate` is reached.
fn introducers(c: &mut Case<'_>, gate: Option<&Event>) {
    if let Some(i) = c.at(s::INTRODUCERS) {
        let two = i.id(Key::Introducer2).is_some() && i.id(Key::Introducer1) != i.id(Key::Introducer2);
        if !two {
            c.find(&INTRODUCERS_COUNT, i.on, Some(i.seq));
        }
        let bad = |k| i.get(k).is_some() && i.code(k) != Some("full");
        if bad(Key::Introducer1Status) || bad(Key::Introducer2Status) {
            c.find(&INTRODUCER_NOT_FULL, i.on, Some(i.seq));
        }
    } else if let Some(gate) = gate {
        c.find(&INTRODUCERS_COUNT, gate.on, Some(gate.seq));
    }
}

/// A passed political review dated no later than the `gate`; both home organisations heard
/// for a mobile person.
fn political_review(c: &mut Case<'_>, gate: Option<&Event>) {
    let politics = c.at(s::POLITICAL_REVIEW);
    if let Some(gate) = gate {
        match politics {
            None => c.find(&REVIEW_MISSING, gate.on, Some(gate.seq)),
            Some(p) => {
                if p.code(Key::Conclusion) != Some("pass") {
                    c.find(&REVIEW_FAILED, p.on, Some(p.seq));
                }
                if p.on > gate.on {
                    c.find(&REVIEW_LATE, p.on, Some(p.seq));
                }
            }
        }
    }
    if let Some(p) = politics
        && c.dossier.mobile
        && !(p.flag(Key::HukouOpinion) && p.flag(Key::ResidenceOpinion))
    {
        c.find(&MOBILE_OPINIONS, p.on, Some(p.seq));
    }
}

/// The training's length, and that it began no earlier than the target decision.
fn training(c: &mut Case<'_>, target: Option<&Event>) {
    let Some(tr) = c.at(s::TRAINING) else { return };
    let days = tr.int(Key::Days);
    let hours = tr.int(Key::Hours);
    let (min_days, min_hours) = (c.settings.training_min_days, c.settings.training_min_hours);
    if days < i64::from(min_days) && hours < i64::from(min_hours) {
        c.find(&TRAINING_SHORT, tr.on, Some(tr.seq));
    }
    if let (Some(started), Some(t)) = (tr.date(Key::StartedOn), target)
        && started < t.on
    {
        c.find(&TRAINING_EARLY, tr.on, Some(tr.seq));
    }
}
