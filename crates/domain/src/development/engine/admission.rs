//! Stage 4, admission of the probationary member (steps 12–17): the committee review and the
//! preliminary review before the form (DEV-021, DEV-022, DEV-024), the branch meeting and its
//! vote (DEV-019, DEV-020, DEV-023, DEV-025 – DEV-030), and the higher committee's talk and
//! approval in time by an organisation with the authority (DEV-031, DEV-033, DEV-034). The
//! approval's filing (step 18) is checked in [`super::conversion`], at the conversion
//! application that needs it.

use super::case::{Case, plus_months};
use super::checks::{
    APPROVAL_LATE, APPROVAL_SLOW, APPROVER, COMMITTEE_REVIEW_FAILED, FORM_BEFORE_PREREVIEW,
    HIGHER_TALK_MISSING, HIGHER_TALK_WINDOW, INTRODUCER_OPINIONS, LEAVING_SOON, MEETING_NOT_PREREVIEWED,
    MEETING_SLOW, PREREVIEW_MISSING, REVIEW_STALE, TRAINING_LATE, TRAINING_MISSING,
};
use super::votes::check_vote;
use crate::development::dossier::{Event, Key, step as s};

/// What the admission stage decided, for the stages and steps after it.
pub(super) struct Admission {
    /// The meeting's resolution was approved: the person is a probationary member.
    pub(super) admitted: bool,
    /// The preliminary review passed (the form may be issued).
    pub(super) prereview_passed: bool,
}

/// Checks the reviews, the form, the meeting and the approval.
pub(super) fn check(c: &mut Case<'_>) -> Admission {
    let prereview = c.at(s::PRELIMINARY_REVIEW);
    if let Some(r) = c.at(s::COMMITTEE_REVIEW)
        && let Some(p) = prereview
        && r.code(Key::ReviewResult) != Some("pass")
    {
        c.find(&COMMITTEE_REVIEW_FAILED, p.on, Some(p.seq));
    }
    let prereview_passed = prereview.filter(|p| p.code(Key::ReviewResult) == Some("pass"));
    if let Some(f) = c.at(s::APPLICATION_FORM) {
        match prereview_passed {
            None => c.find(&PREREVIEW_MISSING, f.on, Some(f.seq)),
            Some(p) if f.on < p.on => c.find(&FORM_BEFORE_PREREVIEW, f.on, Some(f.seq)),
            Some(_) => {}
        }
        // Each introducer's own opinion where the form records them one by one.
        let each_missing = [Key::Introducer1Opinion, Key::Introducer2Opinion]
            .iter()
            .any(|k| f.get(*k).is_some() && !f.flag(*k));
        if !f.flag(Key::IntroducerOpinions) || each_missing {
            c.find(&INTRODUCER_OPINIONS, f.on, Some(f.seq));
        }
    }
    let admitted = match c.at(s::ADMISSION_MEETING) {
        Some(m) => {
            meeting(c, m, prereview_passed);
            approval(c, m)
        }
        None => false,
    };
    Admission { admitted, prereview_passed: prereview_passed.is_some() }
}

/// What the meeting `m` needs: a passed preliminary review, a passed training, a fresh
/// political review, a target staying in the unit, no undue delay, and a valid vote.
fn meeting(c: &mut Case<'_>, m: &Event, prereview_passed: Option<&Event>) {
    let settings = c.settings;
    if prereview_passed.is_none() {
        c.find(&MEETING_NOT_PREREVIEWED, m.on, Some(m.seq));
    }
    match c.at(s::TRAINING) {
        Some(tr) if !tr.flag(Key::Passed) => c.find(&TRAINING_MISSING, m.on, Some(m.seq)),
        Some(tr) if tr.on > m.on => c.find(&TRAINING_LATE, tr.on, Some(tr.seq)),
        Some(_) => {}
        None => c.find(&TRAINING_MISSING, m.on, Some(m.seq)),
    }
    if let Some(p) = c.at(s::POLITICAL_REVIEW)
        && settings.political_review_valid_months > 0
        && m.on > plus_months(p.on, i64::from(settings.political_review_valid_months))
    {
        c.find(&REVIEW_STALE, m.on, Some(m.seq));
    }
    if let Some(leaving) = c.at(s::COMMITTEE_REVIEW).and_then(|r| r.date(Key::ExpectedDeparture))
        && leaving >= m.on
        && leaving < plus_months(m.on, 3)
    {
        c.find(&LEAVING_SOON, m.on, Some(m.seq));
    }
    if let Some(p) = prereview_passed
        && settings.meeting_after_prereview_months > 0
        && m.on > plus_months(p.on, i64::from(settings.meeting_after_prereview_months))
    {
        c.find(&MEETING_SLOW, m.on, Some(m.seq));
    }
    check_vote(c, m);
}

/// The approval after the meeting `m`: in time, after the higher committee's talk, by an
/// organisation with the authority; due while there is none. Whether it admitted the person.
fn approval(c: &mut Case<'_>, m: &Event) -> bool {
    let soft = plus_months(m.on, 3);
    let hard = plus_months(m.on, 6);
    let Some(a) = c.at(s::APPROVAL) else {
        c.due(s::APPROVAL, "DEV-033", soft);
        if c.today > hard {
            c.find(&APPROVAL_LATE, hard, None);
        } else if c.today > soft {
            c.find(&APPROVAL_SLOW, soft, None);
        }
        return false;
    };
    if a.on > hard {
        c.find(&APPROVAL_LATE, a.on, Some(a.seq));
    } else if a.on > soft {
        c.find(&APPROVAL_SLOW, a.on, Some(a.seq));
    }
    match c.at(s::HIGHER_TALK) {
        None => c.find(&HIGHER_TALK_MISSING, a.on, Some(a.seq)),
        Some(t) if t.on < m.on || t.on > a.on => c.find(&HIGHER_TALK_WINDOW, t.on, Some(t.seq)),
        Some(_) => {}
    }
    if !approver_ok(a) {
        c.find(&APPROVER, a.on, Some(a.seq));
    }
    a.code(Key::Decision) == Some("approved")
}

/// The approving organisation may approve admissions: a standing committee with the authority.
pub(super) fn approver_ok(e: &Event) -> bool {
    e.flag(Key::ApproverAuthority)
        && !e.flag(Key::ApproverTemporary)
        && matches!(
            e.code(Key::ApproverKind),
            Some("working_committee" | "committee" | "industry_organization")
        )
}
