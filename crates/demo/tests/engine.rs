//! Property tests of the rule engine over generated dossiers: every fault the generator
//! plants gives exactly its finding, clean dossiers give none, and every check the
//! generator cannot plant is found by one mutation of a clean case.

#![expect(clippy::unwrap_used, reason = "a test fails loudly at the first surprise")]

use jiff::ToSpan;
use jiff::civil::Date;
use pioneer_demo::dossier_gen::{DossierGen, FAULTS, expected_findings};
use pioneer_domain::calendar::WorkCalendar;
use pioneer_domain::development::dev_settings::DevSettings;
use pioneer_domain::development::dossier::{Dossier, Event, Key, Kind, Value, step as s};
use pioneer_domain::development::engine::{Evaluation, RuleBook, check_by_code, evaluate};
use proptest::prelude::*;
use std::collections::BTreeSet;

const TODAY: Date = Date::constant(2026, 11, 29);

fn codes(e: &Evaluation) -> BTreeSet<&'static str> {
    e.findings.iter().map(|f| f.check.code).collect()
}

fn generator(seed: u64) -> (WorkCalendar, u64) {
    (WorkCalendar::shipped(), seed)
}

#[test]
fn every_plantable_fault_gives_exactly_its_finding() {
    let (cal, _) = generator(0);
    for seed in 0..200u64 {
        let mut g = DossierGen::new(seed, TODAY, &cal);
        for (fault, min) in FAULTS {
            for reach in [*min, 25] {
                let got = g.make(reach.max(*min), Some(fault));
                let e = evaluate(&RuleBook::standard(), &got.dossier, &DevSettings::default(), TODAY);
                assert_eq!(
                    codes(&e),
                    BTreeSet::from_iter(expected_findings(fault)),
                    "seed {seed} reach {reach}: {:#?}",
                    got.dossier
                );
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn any_generated_valid_dossier_gives_no_findings(seed in any::<u64>()) {
        let cal = WorkCalendar::shipped();
        let mut g = DossierGen::new(seed, TODAY, &cal);
        g.fault_percent = 0;
        for _ in 0..20 {
            let got = g.next_dossier();
            let e = evaluate(&RuleBook::standard(), &got.dossier, &DevSettings::default(), TODAY);
            prop_assert!(e.findings.is_empty(), "reach {}: {:?}\n{:#?}", got.reach, codes(&e), got.dossier);
            prop_assert!(got.dossier.events.iter().all(|x| x.on <= TODAY));
        }
    }

    #[test]
    fn any_single_planted_fault_gives_that_rules_finding(seed in any::<u64>(), which in 0usize..FAULTS.len()) {
        let cal = WorkCalendar::shipped();
        let mut g = DossierGen::new(seed, TODAY, &cal);
        let (fault, min) = FAULTS[which];
        let got = g.make(min.max(1 + (seed % 25) as u8), Some(fault));
        let e = evaluate(&RuleBook::standard(), &got.dossier, &DevSettings::default(), TODAY);
        prop_assert_eq!(codes(&e), BTreeSet::from_iter(expected_findings(fault)));
    }
}

/// A clean case through conversion and archiving (generated, no fault), for mutations.
fn complete_case(seed: u64) -> Dossier {
    let cal = WorkCalendar::shipped();
    let mut g = DossierGen::new(seed, TODAY, &cal);
    loop {
        let d = g.make(25, None);
        // A case without an extension keeps the mutations simple.
        if d.dossier.events.iter().filter(|e| e.is_step(s::CONVERSION_MEETING)).count() == 1 {
            return d.dossier;
        }
    }
}

fn step_mut(d: &mut Dossier, n: u8) -> &mut Event {
    d.events.iter_mut().find(|e| e.is_step(n)).unwrap()
}

fn day_offset(d: Date, days: i64) -> Date {
    d.checked_add(days.days()).unwrap()
}

/// Every check the generator cannot plant, each by one mutation of a clean case: the
/// finding appears with its rule id.
#[test]
fn each_remaining_check_is_found_by_a_single_mutation() {
    type Mutation = fn(&mut Dossier);
    let cases: Vec<(&str, Mutation)> = vec![
        ("contacts_missing", |d| d.events.retain(|e| !e.is_step(s::CONTACTS))),
        ("introducer_opinions", |d| {
            step_mut(d, s::APPLICATION_FORM).set(Key::IntroducerOpinions, Value::Bool(false))
        }),
        ("review_missing", |d| d.events.retain(|e| !e.is_step(s::POLITICAL_REVIEW))),
        ("training_missing", |d| step_mut(d, s::TRAINING).set(Key::Passed, Value::Bool(false))),
        ("training_late", |d| {
            let m = step_mut(d, s::ADMISSION_MEETING).on;
            step_mut(d, s::TRAINING).on = day_offset(m, 1);
        }),
        ("committee_review_failed", |d| {
            step_mut(d, s::COMMITTEE_REVIEW).set(Key::ReviewResult, Value::Code("fail"))
        }),
        ("prereview_missing", |d| {
            step_mut(d, s::PRELIMINARY_REVIEW).set(Key::ReviewResult, Value::Code("fail"))
        }),
        ("leaving_soon", |d| {
            let m = step_mut(d, s::ADMISSION_MEETING).on;
            step_mut(d, s::COMMITTEE_REVIEW).set(Key::ExpectedDeparture, Value::Date(day_offset(m, 30)));
        }),
        ("one_at_a_time", |d| step_mut(d, s::ADMISSION_MEETING).set(Key::Candidates, Value::Int(3))),
        ("higher_talk_window", |d| {
            let m = step_mut(d, s::ADMISSION_MEETING).on;
            step_mut(d, s::HIGHER_TALK).on = day_offset(m, -1);
        }),
        ("oath_missing", |d| d.events.retain(|e| !e.is_step(s::OATH))),
        ("conversion_no_application", |d| d.events.retain(|e| !e.is_step(s::CONVERSION_APPLICATION))),
        ("order", |d| {
            let a = step_mut(d, s::ACTIVIST).on;
            step_mut(d, s::ACTIVIST_FILED).on = day_offset(a, -1);
        }),
        ("talk_missing", |d| d.events.retain(|e| !e.is_step(s::TALK))),
    ];
    for seed in 0..20 {
        for (code, mutate) in &cases {
            let mut d = complete_case(seed);
            mutate(&mut d);
            let e = evaluate(&RuleBook::standard(), &d, &DevSettings::default(), TODAY);
            assert!(codes(&e).contains(code), "seed {seed}: {code} not found in {:?}", codes(&e));
            let check = check_by_code(code).unwrap();
            assert!(e.findings.iter().any(|f| f.check.code == *code && f.rule().id == check.rule));
        }
    }
}

/// The local (L) settings switch their checks on and set their bounds.
#[test]
fn local_settings_switch_their_checks_on() {
    let d = complete_case(3);
    let clean = evaluate(&RuleBook::standard(), &d, &DevSettings::default(), TODAY);
    assert!(clean.findings.is_empty(), "{:?}", codes(&clean));
    let eval = |s: DevSettings| codes(&evaluate(&RuleBook::standard(), &d, &s, TODAY));
    // DEV-004a: a minimum of 24 months before activist cannot be met by a talk-to-activist gap of months.
    assert!(
        eval(DevSettings { min_months_before_activist: 24, ..DevSettings::default() })
            .contains("activist_early")
    );
    // DEV-023a: the meeting within a day of the preliminary review.
    let mut slow = d.clone();
    let pre = step_mut(&mut slow, s::PRELIMINARY_REVIEW).on;
    step_mut(&mut slow, s::APPLICATION_FORM).on = day_offset(pre, 1);
    let m = day_offset(pre, 40);
    step_mut(&mut slow, s::ADMISSION_MEETING).on = m;
    let s1 = DevSettings { meeting_after_prereview_months: 1, ..DevSettings::default() };
    assert!(codes(&evaluate(&RuleBook::standard(), &slow, &s1, TODAY)).contains("meeting_slow"));
    // DEV-019: a political review valid for 1 month only.
    assert!(
        eval(DevSettings { political_review_valid_months: 1, ..DevSettings::default() })
            .contains("review_stale")
    );
    // DEV-020: a local rule asking for 30 days and 240 hours.
    assert!(
        eval(DevSettings { training_min_days: 30, training_min_hours: 240, ..DevSettings::default() })
            .contains("training_short")
    );
    // DEV-050 (2026, U): without the organisation's own target notice, the unconfirmed
    // national one applies when switched on (here as if the revision applied to the case).
    let mut bare = d.clone();
    bare.events.retain(|e| e.kind != Kind::PublicNotice);
    let national = DevSettings {
        notice_points: pioneer_domain::development::dev_settings::NoticePoints {
            target: false,
            ..DevSettings::default().notice_points
        },
        revision_2026_from: Date::constant(2000, 1, 1),
        apply_2026_unconfirmed: true,
        ..DevSettings::default()
    };
    let found = codes(&evaluate(&RuleBook::standard(), &bare, &national, TODAY));
    assert!(found.contains("notice_2026"), "{found:?}");
    let off = DevSettings { apply_2026_unconfirmed: false, ..national };
    assert!(!codes(&evaluate(&RuleBook::standard(), &bare, &off, TODAY)).contains("notice_2026"));
}

/// Screening a generated population groups each dossier once per rule, and the groups
/// equal the faults planted.
#[test]
fn screening_groups_match_the_planted_faults() {
    use pioneer_domain::development::screening::Screener;
    use std::collections::HashMap;
    use uuid::Uuid;
    let today = Date::constant(2026, 11, 29);
    let cal = WorkCalendar::shipped();
    let mut g = DossierGen::new(7, today, &cal);
    g.fault_percent = 30;
    let mut s = Screener::new(3);
    let mut planted: HashMap<&str, u64> = HashMap::new();
    for i in 0..3000u128 {
        let d = g.next_dossier();
        if let Some(f) = d.fault {
            for code in expected_findings(f) {
                *planted.entry(code).or_default() += 1;
            }
        }
        let e = evaluate(&RuleBook::standard(), &d.dossier, &DevSettings::default(), today);
        s.add(Uuid::from_u128(i), &e);
    }
    let r = s.finish();
    assert_eq!(r.dossiers, 3000);
    let found: HashMap<&str, u64> = r.groups.iter().map(|g| (g.check.code, g.count)).collect();
    assert_eq!(found, planted);
    assert!(r.groups.windows(2).all(|w| w[0].count >= w[1].count));
    assert!(r.groups.iter().all(|g| g.cases.len() <= 3 && !g.cases.is_empty()));
    let faulty = planted.iter().filter(|(c, _)| **c != "order").map(|(_, n)| n).sum::<u64>();
    assert_eq!(r.with_violations + r.with_warnings_only, faulty);
}
