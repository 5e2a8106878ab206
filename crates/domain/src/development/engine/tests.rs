//! Case tables for every rule the engine checks, with their boundaries. The property tests
//! over generated dossiers are in `crates/demo/tests/engine.rs`, beside the generator.

use super::*;
use crate::development::dossier::{Event, Kind, Value, parse_fields};
use crate::development::periods::Anniversary;
use crate::development::rules::rule_by_id;
use jiff::ToSpan;
use std::collections::BTreeSet;

fn d(s: &str) -> Date {
    s.parse().unwrap()
}

const TODAY: Date = Date::constant(2026, 11, 29);

/// A hand-written dossier: `step(kind, date, fields)` with fields as text.
#[derive(Default)]
struct B {
    dossier: Dossier,
}

impl B {
    fn new() -> Self {
        let mut b = B::default();
        b.dossier.birth_date = Some(d("1990-06-01"));
        b
    }

    fn ev(mut self, kind: Kind, on: &str, fields: &[(&str, &str)]) -> Self {
        let mut parsed = parse_fields(kind, |k| fields.iter().find(|(f, _)| *f == k).map(|(_, v)| *v))
            .unwrap_or_else(|e| panic!("{kind:?}: {e:?}"));
        for (k, v) in fields {
            let key = Key::from_code(k).unwrap();
            if !parsed.iter().any(|(pk, _)| *pk == key) {
                parsed.push((key, Value::parse(key.ty(), v).unwrap()));
            }
        }
        let seq = self.dossier.next_seq();
        self.dossier.events.push(Event {
            seq,
            kind,
            on: d(on),
            corrects: None,
            backfill: false,
            fields: parsed,
        });
        self
    }

    fn step(self, n: u8, on: &str, fields: &[(&str, &str)]) -> Self {
        self.ev(Kind::Step(n), on, fields)
    }

    /// A clean case through step 7 with the activist on `activist` and target on `target`.
    fn through_target(activist: &str, target: &str) -> Self {
        let a = d(activist);
        let t = d(target);
        let mut b = B::new()
            .step(1, &(a - 60.days()).to_string(), &[])
            .step(2, &(a - 50.days()).to_string(), &[("talker", "张")])
            .step(3, activist, &ACTIVIST)
            .step(4, activist, &[("to_org", ORG)])
            .step(5, activist, &CONTACTS);
        let mut at = a;
        while at.checked_add(5.months()).unwrap() < t {
            at = at.checked_add(5.months()).unwrap();
            b = b.step(6, &at.to_string(), &[("result", "好")]);
        }
        let posted = t - 20.days();
        b.ev(
            Kind::PublicNotice,
            &posted.to_string(),
            &[("point", "target"), ("working_days", "5"), ("ends_on", &(posted + 8.days()).to_string())],
        )
        .step(7, target, &[("opinions_heard_on", target), ("decided_by", "branch_committee")])
    }

    /// Continues a clean case through the admission meeting on `meeting`.
    fn through_meeting(self, target: &str, meeting: &str) -> Self {
        let t = d(target);
        let m = d(meeting);
        let s = |n: i64| (t + n.days()).to_string();
        self.step(8, &s(1), &[("to_org", ORG)])
            .step(9, &s(5), &INTRODUCERS)
            .step(10, &s(10), &[("conclusion", "pass")])
            .step(
                11,
                &s(15),
                &[("class", "班"), ("started_on", &s(10)), ("days", "3"), ("hours", "24"), ("passed", "1")],
            )
            .step(12, &s(20), &[("review_result", "pass")])
            .step(13, &s(30), &[("review_result", "pass")])
            .step(14, &s(31), &[("introducer_opinions", "1")])
            .step(15, meeting, &vote(9, 5, 5, 0))
            .step(16, &(m + 5.days()).to_string(), &[("talker", "组织员")])
    }

    fn eval(&self) -> Evaluation {
        self.eval_with(&DevSettings::default())
    }

    fn eval_with(&self, s: &DevSettings) -> Evaluation {
        evaluate(&RuleBook::standard(), &self.dossier, s, TODAY)
    }
}

const ORG: &str = "00000000-0000-0000-0000-000000000001";
const MEMBER: &str = "00000000-0000-0000-0000-00000000000b";
const MEMBER2: &str = "00000000-0000-0000-0000-00000000000c";
const ACTIVIST: [(&str, &str); 3] =
    [("route", "member_recommendation"), ("recommended_by", "王"), ("decided_by", "branch_committee")];
const CONTACTS: [(&str, &str); 2] = [("contact1", MEMBER), ("contact1_status", "full")];
const INTRODUCERS: [(&str, &str); 4] = [
    ("introducer1", MEMBER),
    ("introducer1_status", "full"),
    ("introducer2", MEMBER2),
    ("introducer2_status", "full"),
];
const APPROVER: [(&str, &str); 5] = [
    ("approver", ORG),
    ("approver_kind", "committee"),
    ("approver_authority", "1"),
    ("approver_temporary", "0"),
    ("decision", "approved"),
];

fn vote(expected: u32, present: u32, for_: u32, written_for: u32) -> Vec<(&'static str, &'static str)> {
    let leak = |n: u32| -> &'static str { Box::leak(n.to_string().into_boxed_str()) };
    vec![
        ("expected", leak(expected)),
        ("present", leak(present)),
        ("for", leak(for_)),
        ("against", leak(present - for_)),
        ("abstain", "0"),
        ("written_for", leak(written_for)),
        ("method", "secret_ballot"),
        ("candidates", "1"),
    ]
}

/// The findings' checks, without the signs of forgery and rushing (AUD-27, AUD-28; tested
/// in `signs`): the hand-written dates below fall on any day of the week.
fn codes(e: &Evaluation) -> BTreeSet<&'static str> {
    e.findings.iter().map(|f| f.check.code).filter(|c| !matches!(f_audit(c), "AUD-27" | "AUD-28")).collect()
}

fn f_audit(code: &str) -> &'static str {
    check_by_code(code).map_or("", |c| c.audit)
}

fn rules(e: &Evaluation) -> BTreeSet<&'static str> {
    e.findings.iter().map(|f| f.check.rule).collect()
}

#[test]
fn every_check_names_a_rule_of_the_catalogue() {
    for c in CHECKS {
        assert!(rule_by_id(c.rule).is_some(), "{} names {}", c.code, c.rule);
    }
}

#[test]
fn a_full_year_as_activist_and_one_day_short() {
    assert!(codes(&B::through_target("2024-03-01", "2025-03-01").eval()).is_empty());
    let short = B::through_target("2024-03-01", "2025-02-28").eval();
    assert_eq!(codes(&short), BTreeSet::from(["activist_year"]));
    assert_eq!(short.findings[0].rule().id, "DEV-010");
    assert_eq!(short.findings[0].version, Version::V2014);
    // The anniversary day itself is a setting (U).
    let exclusive = DevSettings { anniversary: Anniversary::Exclusive, ..DevSettings::default() };
    assert_eq!(
        codes(&B::through_target("2024-03-01", "2025-03-01").eval_with(&exclusive)),
        BTreeSet::from(["activist_year"])
    );
}

#[test]
fn twenty_ninth_of_february_anniversaries() {
    assert!(codes(&B::through_target("2024-02-29", "2025-02-28").eval()).is_empty());
    assert_eq!(
        codes(&B::through_target("2024-02-29", "2025-02-27").eval()),
        BTreeSet::from(["activist_year"])
    );
}

#[test]
fn quorum_five_of_nine_passes_five_of_ten_fails_and_written_votes_count_only_for_the_majority() {
    let base = || approved_on("2024-05-01");
    assert!(codes(&base().eval()).is_empty());
    let mut b = base();
    let m = b.dossier.events.iter_mut().find(|e| e.is_step(s::ADMISSION_MEETING)).unwrap();
    m.set(Key::Expected, Value::Int(10));
    assert_eq!(codes(&b.eval()), BTreeSet::from(["quorum", "majority"]));
    let m = b.dossier.events.iter_mut().find(|e| e.is_step(s::ADMISSION_MEETING)).unwrap();
    m.set(Key::WrittenFor, Value::Int(1));
    assert_eq!(
        codes(&b.eval()),
        BTreeSet::from(["quorum"]),
        "6 of 10 in favour with the written vote; 5 present is no quorum"
    );
}

fn approved_on(approval: &str) -> B {
    B::through_target("2023-01-10", "2024-02-01")
        .through_meeting("2024-02-01", "2024-04-01")
        .step(17, approval, &APPROVER)
}

#[test]
fn approval_at_three_months_and_a_day_warns_at_six_months_and_a_day_violates() {
    assert!(codes(&approved_on("2024-07-01").eval()).is_empty());
    let warn = approved_on("2024-07-02").eval();
    assert_eq!(codes(&warn), BTreeSet::from(["approval_slow"]));
    assert_eq!(warn.findings[0].check.severity, Severity::Warning);
    assert_eq!(codes(&approved_on("2024-10-01").eval()), BTreeSet::from(["approval_slow"]));
    let late = approved_on("2024-10-02").eval();
    assert_eq!(codes(&late), BTreeSet::from(["approval_late"]));
    assert_eq!(late.findings[0].check.severity, Severity::Violation);
}

#[test]
fn an_open_approval_becomes_overdue() {
    let b = B::through_target("2025-01-10", "2026-02-01").through_meeting("2026-02-01", "2026-04-01");
    let e = b.eval();
    assert_eq!(codes(&e), BTreeSet::from(["approval_late"]), "today is 2026-11-29: more than six months");
    let due = e.deadlines.iter().find(|x| x.step == s::APPROVAL).unwrap();
    assert_eq!((due.due, due.overdue), (d("2026-07-01"), true));
    assert!(e.allows(s::APPROVAL) && !e.allows(s::OATH));
}

#[test]
fn approval_by_a_general_branch_or_a_temporary_committee() {
    let mut b = approved_on("2024-05-01");
    let a = b.dossier.events.iter_mut().find(|e| e.is_step(s::APPROVAL)).unwrap();
    a.set(Key::ApproverKind, Value::Code("general_branch"));
    assert_eq!(rules(&b.eval()), BTreeSet::from(["DEV-034"]));
    let mut b = approved_on("2024-05-01");
    let a = b.dossier.events.iter_mut().find(|e| e.is_step(s::APPROVAL)).unwrap();
    a.set(Key::ApproverTemporary, Value::Bool(true));
    assert_eq!(rules(&b.eval()), BTreeSet::from(["DEV-034"]));
}

#[test]
fn the_application_form_dated_before_the_preliminary_review() {
    let mut b = approved_on("2024-05-01");
    let f = b.dossier.events.iter_mut().find(|e| e.is_step(s::APPLICATION_FORM)).unwrap();
    f.on = d("2024-03-01");
    let e = b.eval();
    // The narrower rule and the generic order both report the same date (AUD-12 and AUD-26).
    assert_eq!(codes(&e), BTreeSet::from(["form_before_prereview", "order"]));
    assert_eq!(e.findings[0].check.audit, "AUD-12");
    assert!(e.findings.iter().all(|f| f.event == e.findings[0].event));
}

fn converted(extensions: &[(&str, i64)], final_meeting: &str, converted_on: &str) -> B {
    let mut b = approved_on("2024-05-01")
        .step(18, "2024-05-05", &[("to_org", ORG)])
        .step(19, "2024-05-06", &[("group", "一组")])
        .step(20, "2024-05-10", &[])
        .step(22, "2025-03-28", &[]);
    let conv = |on: &str, outcome: &'static str, months: Option<i64>| {
        let mut f = vec![
            ("group_opinion_on", "2025-03-29"),
            ("public_opinion_on", "2025-03-30"),
            ("committee_review_on", "2025-03-31"),
            ("outcome", outcome),
        ];
        f.extend(vote(9, 6, 6, 0));
        let _ = on;
        (f, months)
    };
    for (on, months) in extensions {
        let (mut f, _) = conv(on, "extend", Some(*months));
        let m: &'static str = Box::leak(months.to_string().into_boxed_str());
        f.push(("extend_months", m));
        b = b.step(23, on, &f);
        let approve_on = (d(on) + 20.days()).to_string();
        b = b.step(24, &approve_on, &APPROVER);
    }
    let (f, _) = conv(final_meeting, "convert", None);
    b = b.step(23, final_meeting, &f);
    let mut approval: Vec<(&str, &str)> = APPROVER.to_vec();
    approval.push(("converted_on", converted_on));
    let approve_on = (d(final_meeting) + 30.days()).to_string();
    b.step(24, &approve_on, &approval)
}

#[test]
fn conversion_on_time_and_the_full_member_date() {
    let e = converted(&[], "2025-04-01", "2025-04-01").eval();
    assert!(codes(&e).is_empty(), "{:?}", codes(&e));
    assert_eq!(e.state, CaseState::Converted);
    assert!(e.allows(s::ARCHIVING) && !e.allows(s::CONVERSION_MEETING));
    assert_eq!(
        codes(&converted(&[], "2025-03-31", "2025-04-01").eval()),
        BTreeSet::from(["conversion_early", "order"])
    );
    assert_eq!(codes(&converted(&[], "2025-04-01", "2025-05-01").eval()), BTreeSet::from(["converted_on"]));
}

#[test]
fn extensions_once_and_six_to_twelve_months() {
    let e = converted(&[("2025-04-01", 6)], "2025-10-01", "2025-10-01").eval();
    assert!(codes(&e).is_empty(), "{:?}", codes(&e));
    let five = converted(&[("2025-04-01", 5)], "2025-09-01", "2025-09-01").eval();
    assert_eq!(codes(&five), BTreeSet::from(["extension_length"]));
    let twice = converted(&[("2025-04-01", 6), ("2025-10-01", 6)], "2026-04-01", "2026-04-01").eval();
    assert_eq!(codes(&twice), BTreeSet::from(["extensions"]));
}

#[test]
fn acts_before_2014_are_judged_by_the_older_rules() {
    // A talk 40 days after the application: DEV-003 is new in 2014.
    let b = B::new().step(1, "2013-03-01", &[]).step(2, "2013-04-10", &[("talker", "张")]);
    assert!(codes(&b.eval()).is_empty());
    let b = B::new().step(1, "2015-03-01", &[]).step(2, "2015-04-10", &[("talker", "张")]);
    let e = b.eval();
    assert_eq!(codes(&e), BTreeSet::from(["talk_late"]));
    assert_eq!(e.findings[0].version, Version::V2014);
}

#[test]
fn the_unconfirmed_2026_items_apply_only_when_switched_on() {
    let late_oath = |approval: &str, oath: &str| {
        B::through_target("2024-09-10", "2025-10-01")
            .through_meeting("2025-10-01", "2026-04-01")
            .step(17, approval, &APPROVER)
            .step(20, oath, &[])
    };
    let b = late_oath("2026-06-01", "2026-07-15");
    assert!(codes(&b.eval()).is_empty());
    let on = DevSettings { apply_2026_unconfirmed: true, ..DevSettings::default() };
    let e = b.eval_with(&on);
    assert_eq!(codes(&e), BTreeSet::from(["oath_late"]));
    assert_eq!((e.findings[0].status(), e.findings[0].version), (Certainty::U, Version::V2026));
    // Before the revision's date the same facts are fine.
    let earlier = DevSettings { revision_2026_from: d("2026-08-01"), ..on };
    assert!(codes(&b.eval_with(&earlier)).is_empty());
}

#[test]
fn notices_and_objections() {
    let no_notice = |b: B| {
        let mut b = b;
        b.dossier.events.retain(|e| e.kind != Kind::PublicNotice);
        b
    };
    let b = no_notice(B::through_target("2024-03-01", "2025-03-10"));
    assert_eq!(codes(&b.eval()), BTreeSet::from(["notice_missing"]));
    let off = DevSettings {
        notice_points: crate::development::dev_settings::NoticePoints {
            target: false,
            ..DevSettings::default().notice_points
        },
        ..DevSettings::default()
    };
    assert!(codes(&b.eval_with(&off)).is_empty());
    // An objection left open when the target is decided.
    let b = B::through_target("2024-03-01", "2025-03-10");
    let notice = b.dossier.events.iter().find(|e| e.kind == Kind::PublicNotice).unwrap().seq.to_string();
    let mut b = B { dossier: b.dossier };
    let target = b.dossier.events.pop().unwrap();
    b = b.ev(Kind::Objection, "2025-02-22", &[("notice", &notice), ("text", "异议")]);
    let objection = b.dossier.next_seq() - 1;
    let mut open = B { dossier: b.dossier.clone() };
    let mut t = target.clone();
    t.seq = open.dossier.next_seq();
    open.dossier.events.push(t);
    assert_eq!(codes(&open.eval()), BTreeSet::from(["objection_open"]));
    let mut resolved = b.ev(
        Kind::ObjectionResolved,
        "2025-02-25",
        &[("objection", &objection.to_string()), ("resolution", "已核实")],
    );
    let mut t = target;
    t.seq = resolved.dossier.next_seq();
    resolved.dossier.events.push(t);
    assert!(codes(&resolved.eval()).is_empty());
}

#[test]
fn a_transfer_without_the_materials_restarts_the_cultivation_year() {
    let with = |complete: &str| {
        let b = B::through_target("2024-03-01", "2025-03-10");
        let mut events = b.dossier.events;
        let target = events.pop().unwrap();
        let mut b = B { dossier: Dossier { events, ..b.dossier } };
        b = b.ev(
            Kind::Transfer,
            "2024-09-01",
            &[("from_org", ORG), ("to_org", MEMBER), ("materials_complete", complete)],
        );
        let mut t = target;
        t.seq = b.dossier.next_seq();
        b.dossier.events.push(t);
        b
    };
    assert!(codes(&with("1").eval()).is_empty());
    assert_eq!(codes(&with("0").eval()), BTreeSet::from(["activist_year"]));
}

#[test]
fn a_correction_replaces_the_event_it_corrects() {
    let mut b = B::through_target("2024-03-01", "2025-02-28");
    assert_eq!(codes(&b.eval()), BTreeSet::from(["activist_year"]));
    let target = b.dossier.events.iter().find(|e| e.is_step(s::TARGET)).unwrap().clone();
    let mut fixed = target.clone();
    fixed.seq = b.dossier.next_seq();
    fixed.corrects = Some(target.seq);
    fixed.on = d("2025-03-03");
    b.dossier.events.push(fixed);
    assert!(codes(&b.eval()).is_empty());
}

#[test]
fn deadlines_and_what_comes_next() {
    let b = B::new().step(1, "2026-11-10", &[]);
    let e = b.eval();
    assert_eq!(e.stage, Stage::Application);
    let talk = e.deadlines.iter().find(|x| x.step == s::TALK).unwrap();
    assert_eq!((talk.due, talk.overdue), (d("2026-12-10"), false));
    assert!(e.allows(s::TALK) && e.allows(s::ACTIVIST) && !e.allows(s::TARGET));
    let late = B::new().step(1, "2026-10-01", &[]).eval();
    assert_eq!(codes(&late), BTreeSet::from(["talk_missing"]));
    let b = B::through_target("2025-06-01", "2026-06-10").step(8, "2026-06-12", &[("to_org", ORG)]);
    let e = b.eval();
    assert_eq!(e.stage, Stage::DevelopmentTarget);
    assert!(e.allows(s::INTRODUCERS) && !e.allows(s::COMMITTEE_REVIEW) && !e.allows(s::CULTIVATION));
}

#[test]
fn guarded_writes_refuse_hard_rules_and_backfill_records_them() {
    let book = RuleBook::standard();
    let settings = DevSettings::default();
    let mut b = B::through_target("2024-03-01", "2025-03-10");
    let target = b.dossier.events.pop().unwrap();
    let mut early = target.clone();
    early.on = d("2025-02-27");
    early.set(Key::OpinionsHeardOn, Value::Date(d("2025-02-20")));
    match guard(&book, &b.dossier, &early, &settings, TODAY) {
        Err(Refusal::Breaks(f)) => assert_eq!(f[0].rule().id, "DEV-010"),
        other => panic!("{other:?}"),
    }
    early.backfill = true;
    let e = guard(&book, &b.dossier, &early, &settings, TODAY).unwrap();
    assert_eq!(codes(&e), BTreeSet::from(["activist_year"]));
    assert!(guard(&book, &b.dossier, &target, &settings, TODAY).is_ok());
    let mut future = target.clone();
    future.on = d("2026-12-01");
    assert_eq!(guard(&book, &b.dossier, &future, &settings, TODAY).unwrap_err(), Refusal::InFuture);
    // A step whose prerequisites are missing.
    let meeting = Event::new(99, Kind::Step(s::ADMISSION_MEETING), d("2025-06-01"));
    assert!(matches!(guard(&book, &b.dossier, &meeting, &settings, TODAY), Err(Refusal::NotNext { .. })));
}

#[test]
fn guarded_writes_refuse_a_probationary_introducer_and_a_vote_without_quorum() {
    let book = RuleBook::standard();
    let settings = DevSettings::default();
    let b = B::through_target("2023-01-10", "2024-02-01").step(8, "2024-02-02", &[("to_org", ORG)]);
    let intro = B { dossier: b.dossier.clone() }.step(
        9,
        "2024-02-05",
        &[
            ("introducer1", MEMBER),
            ("introducer1_status", "full"),
            ("introducer2", MEMBER2),
            ("introducer2_status", "probationary"),
        ],
    );
    let ev = intro.dossier.events.last().unwrap().clone();
    match guard(&book, &b.dossier, &ev, &settings, TODAY) {
        Err(Refusal::Breaks(f)) => assert_eq!(f[0].rule().id, "DEV-014"),
        other => panic!("{other:?}"),
    }
    let full = B::through_target("2023-01-10", "2024-02-01").through_meeting("2024-02-01", "2024-04-01");
    let mut before = full.dossier.clone();
    before.events.retain(|e| e.kind.number() < s::ADMISSION_MEETING);
    let mut meeting = full.dossier.events.iter().find(|e| e.is_step(s::ADMISSION_MEETING)).unwrap().clone();
    meeting.set(Key::Expected, Value::Int(10));
    meeting.set(Key::WrittenFor, Value::Int(1));
    match guard(&book, &before, &meeting, &settings, TODAY) {
        Err(Refusal::Breaks(f)) => {
            assert_eq!(f.iter().map(|x| x.rule().id).collect::<Vec<_>>(), vec!["DEV-026"])
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn born_on_29_february_of_age_on_28_february() {
    // DEV-001 and the statistics (people::age::full_years) share the convention: 18 on
    // 2026-02-28 for someone born 2008-02-29.
    let applied = |on: &str| {
        let mut b = B::new().step(1, on, &[]).step(2, on, &[("talker", "张")]);
        b.dossier.birth_date = Some(d("2008-02-29"));
        codes(&b.eval()).contains("under_age")
    };
    assert!(!applied("2026-02-28"));
    assert!(applied("2026-02-27"));
    assert_eq!(crate::people::age::full_years(d("2008-02-29"), d("2026-02-28")), 18);
}

/// The whole order of RULES.md §8, step by step: a clean converted and archived case, then each
/// step in turn dated one day before the earliest step of the rank below it.
#[test]
fn every_step_dated_before_one_it_must_follow_is_an_inversion() {
    let clean = || {
        converted(&[], "2025-04-01", "2025-04-01").step(
            25,
            "2025-06-01",
            &[
                ("has_application_letter", "1"),
                ("has_application_form", "1"),
                ("has_political_review", "1"),
                ("has_conversion_application", "1"),
                ("has_cultivation_records", "1"),
            ],
        )
    };
    assert!(!codes(&clean().eval()).contains("order"), "{:?}", codes(&clean().eval()));
    let chain: [&[u8]; 21] = [
        &[1],
        &[2],
        &[3],
        &[4],
        &[5],
        &[6],
        &[7],
        &[8],
        &[9],
        &[10, 11],
        &[12],
        &[13],
        &[14],
        &[15],
        &[16],
        &[17],
        &[18, 19],
        &[20],
        &[22],
        &[23],
        &[24],
    ];
    let mut later = chain.to_vec();
    later.push(&[25]);
    for (rank, steps) in later.iter().enumerate().skip(1) {
        for &n in *steps {
            let mut b = clean();
            let below = chain[rank - 1];
            let earliest = b
                .dossier
                .events
                .iter()
                .filter(|e| below.iter().any(|m| e.is_step(*m)))
                .map(|e| e.on)
                .min()
                .unwrap();
            let moved = b.dossier.events.iter_mut().find(|e| e.is_step(n)).unwrap();
            moved.on = earliest - 1.day();
            let seq = moved.seq;
            let e = b.eval();
            assert!(
                e.findings.iter().any(|f| f.check.code == "order" && f.event == Some(seq)),
                "step {n} before rank {}: {:?}",
                rank - 1,
                codes(&e)
            );
        }
    }
}

#[test]
fn conversion_without_application_or_meeting_is_aud_24() {
    let b = approved_on("2024-05-01")
        .step(18, "2024-05-05", &[("to_org", ORG)])
        .step(20, "2024-05-10", &[])
        .step(24, "2025-04-10", &[&APPROVER[..], &[("converted_on", "2025-04-01")]].concat());
    let e = b.eval();
    assert_eq!(codes(&e), BTreeSet::from(["conversion_no_application", "conversion_without_meeting"]));
    assert!(e.findings.iter().all(|f| f.check.audit == "AUD-24"));
    assert_eq!(e.state, CaseState::Converted);
}

#[test]
fn a_failed_conversion_vote_and_missing_opinions_are_aud_24() {
    let mut b = converted(&[], "2025-04-01", "2025-04-01");
    let cm = b.dossier.events.iter_mut().find(|e| e.is_step(s::CONVERSION_MEETING)).unwrap();
    cm.set(Key::For, Value::Int(4));
    cm.set(Key::Against, Value::Int(2));
    cm.fields.retain(|(k, _)| *k != Key::PublicOpinionOn);
    let e = b.eval();
    assert_eq!(codes(&e), BTreeSet::from(["conversion_majority", "conversion_step_missing"]));
    assert!(e.findings.iter().all(|f| f.check.audit == "AUD-24"), "{:?}", e.findings);
    let mut b = converted(&[], "2025-04-01", "2025-04-01");
    let cm = b.dossier.events.iter_mut().find(|e| e.is_step(s::CONVERSION_MEETING)).unwrap();
    cm.set(Key::Present, Value::Int(4));
    cm.set(Key::For, Value::Int(4));
    assert!(codes(&b.eval()).contains("conversion_quorum"));
}

#[test]
fn an_extension_voted_but_never_approved_is_aud_23() {
    let mut b = converted(&[("2025-04-01", 6)], "2025-10-01", "2025-10-01");
    let first_approval = b.dossier.events.iter().position(|e| e.is_step(s::CONVERSION_APPROVAL)).unwrap();
    b.dossier.events.remove(first_approval);
    let e = b.eval();
    assert_eq!(codes(&e), BTreeSet::from(["extension_not_approved"]));
    assert_eq!(e.findings[0].check.audit, "AUD-23");
}

#[test]
fn a_conversion_approval_dated_before_its_meeting_is_an_inversion_not_a_late_approval() {
    let mut b = converted(&[], "2025-04-01", "2025-04-01");
    let ap = b.dossier.events.iter_mut().find(|e| e.is_step(s::CONVERSION_APPROVAL)).unwrap();
    ap.on = d("2025-03-31");
    let e = b.eval();
    assert_eq!(codes(&e), BTreeSet::from(["order"]));
    assert_eq!(e.state, CaseState::Converted);
}

fn all_codes(e: &Evaluation) -> BTreeSet<&'static str> {
    e.findings.iter().map(|f| f.check.code).collect()
}

#[test]
fn signs_rest_day_meetings_corrected_filed_dates_and_minimum_intervals() {
    // 2025-10-18 is a Saturday, 2025-10-20 a Monday; 2025-10-11 a Saturday made a working day
    // after the National Day holiday, 2025-10-03 a Friday within it.
    let on = |meeting: &str| {
        B::through_target("2024-09-10", "2025-09-10").through_meeting("2025-09-10", meeting).eval()
    };
    assert!(all_codes(&on("2025-10-18")).contains("rest_day_meeting"));
    assert!(!all_codes(&on("2025-10-20")).contains("rest_day_meeting"));
    assert!(!all_codes(&on("2025-10-11")).contains("rest_day_meeting"));
    assert!(all_codes(&on("2025-10-03")).contains("rest_day_meeting"));
    let rest = on("2025-10-18");
    let f = rest.findings.iter().find(|f| f.check.code == "rest_day_meeting").unwrap();
    assert_eq!((f.check.severity, f.check.hard, f.status()), (Severity::Warning, false, Certainty::T));
    // The activist's date moved after the filing that reported it.
    let mut b = B::through_target("2024-09-10", "2025-09-10");
    let activist = b.dossier.events.iter().find(|e| e.is_step(s::ACTIVIST)).unwrap().clone();
    let mut fix = activist.clone();
    fix.seq = b.dossier.next_seq();
    fix.corrects = Some(activist.seq);
    fix.on = d("2024-09-09");
    b.dossier.events.push(fix);
    assert!(all_codes(&b.eval()).contains("date_corrected"));
    // Made an activist at once and a target on the first day allowed.
    let quick = B::new()
        .step(1, "2024-01-02", &[])
        .step(2, "2024-01-03", &[("talker", "张")])
        .step(3, "2024-01-05", &ACTIVIST)
        .step(7, "2025-01-06", &[("opinions_heard_on", "2025-01-06"), ("decided_by", "branch_committee")]);
    assert!(all_codes(&quick.eval()).contains("min_intervals"));
    let off = DevSettings { rushed_slack_days: 0, ..DevSettings::default() };
    assert!(!all_codes(&quick.eval_with(&off)).contains("min_intervals"));
    assert!(!all_codes(&B::through_target("2024-09-10", "2025-09-10").eval()).contains("min_intervals"));
}
