//! Dossier storage: cases recorded step by step through the rule engine, refusals that
//! write nothing, backfill, filings, notices and objections, transfers, settings and
//! screening scans — on SQLite and, when PIONEER_TEST_POSTGRES_URL is set, PostgreSQL.

#![expect(clippy::unwrap_used, reason = "a test fails loudly at the first surprise")]

use jiff::Timestamp;
use jiff::civil::Date;
use pioneer_domain::Reason;
use pioneer_domain::development::dev_settings::DevSettings;
use pioneer_domain::development::dossier::{Kind, parse_fields};
use pioneer_domain::orgs::{OrgFields, OrgInput};
use pioneer_domain::people::id_card::IdCardNumber;
use pioneer_domain::people::{PersonFields, PersonInput, Status};
use pioneer_store::development::dossiers::NewEvent;
use pioneer_store::testing::TestDb;
use pioneer_store::{Act, Backend, Store, StoreError};
use uuid::Uuid;

const TODAY: Date = Date::constant(2026, 11, 29);

fn act() -> Act {
    Act::new("test", "dossier test", Timestamp::from_second(1_795_000_000).unwrap())
}

pioneer_store::on_both!(
    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    a_case_runs_step_by_step_and_the_person_follows,
    a_refused_event_writes_nothing_and_backfill_records_it,
    introducer_standing_is_taken_from_the_records,
    filings_wait_in_the_upper_queue_until_acknowledged,
    notices_reach_the_board_and_an_open_objection_blocks,
    a_transfer_moves_the_person_and_keeps_the_history,
    settings_are_inherited_and_screening_scans_the_subtree,
    simultaneous_appends_to_one_dossier_never_both_land,
    training_classes_credit_what_was_attended,
    one_to_one_contacts_keep_their_cadence,
    a_dossier_event_does_not_make_someone_who_left_a_member_again,
);

fn org(name: &str, kind: &str, authority: bool) -> OrgFields {
    OrgFields::parse(&OrgInput {
        name: name.into(),
        kind: kind.into(),
        approval_authority: authority,
        ..Default::default()
    })
    .unwrap()
}

struct World {
    com: Uuid,
    branch: Uuid,
    branch2: Uuid,
    member1: Uuid,
    member2: Uuid,
    probationary: Uuid,
    applicant: Uuid,
}

fn person(name: &str, seq: u32, org: Uuid, status: &str) -> PersonFields {
    let mut i = PersonInput {
        name: name.into(),
        ethnicity: "汉族".into(),
        education: "bachelor".into(),
        worker_category: "rider".into(),
        id_card: IdCardNumber::compose(440305, Date::constant(1995, 5, 5), seq).as_str().to_owned(),
        status: status.into(),
        org_id: org.to_string(),
        ..Default::default()
    };
    match status {
        "full_member" => {
            i.admitted_on = "2014-07-01".into();
            i.full_member_on = "2015-07-01".into();
        }
        "probationary_member" => i.admitted_on = "2024-01-01".into(),
        _ => {}
    }
    PersonFields::parse(&i, TODAY).unwrap()
}

async fn world(store: &Store) -> World {
    let root = store.create_org(&org("工委", "working_committee", true), None, &act()).await.unwrap();
    let com = store.create_org(&org("美团党委", "committee", true), Some(root), &act()).await.unwrap();
    let branch =
        store.create_org(&org("骑手流动党支部", "mobile_branch", false), Some(com), &act()).await.unwrap();
    let branch2 = store.create_org(&org("另一站点党支部", "branch", false), Some(com), &act()).await.unwrap();
    let member1 = store.create_person(&person("党员甲", 11, branch, "full_member"), &act()).await.unwrap();
    let member2 = store.create_person(&person("党员乙", 12, branch, "full_member"), &act()).await.unwrap();
    let probationary =
        store.create_person(&person("预备丙", 13, branch, "probationary_member"), &act()).await.unwrap();
    let applicant = store.create_person(&person("骑手丁", 14, branch, "non_member"), &act()).await.unwrap();
    World { com, branch, branch2, member1, member2, probationary, applicant }
}

fn ev(kind: &str, on: &str, fields: &[(&str, String)]) -> NewEvent {
    let kind = Kind::from_code(kind).unwrap();
    let fields =
        parse_fields(kind, |k| fields.iter().find(|(f, _)| *f == k).map(|(_, v)| v.as_str())).unwrap();
    NewEvent { kind, on: on.parse().unwrap(), fields, corrects: None, backfill: false }
}

fn rule_of(e: StoreError) -> &'static str {
    match e {
        StoreError::Invalid(v) => match &v.0[0].reason {
            Reason::Broken { rule, .. } => rule,
            other => panic!("{other:?}"),
        },
        other => panic!("expected a refusal, got {other:?}"),
    }
}

/// Records steps 1–6 of a clean case: application 2024-01-05 … assessments to 2025-02.
async fn to_cultivation(store: &Store, w: &World) -> Uuid {
    let d = store.open_dossier(w.applicant, &act()).await.unwrap();
    let com = w.com.to_string();
    let m1 = w.member1.to_string();
    for e in [
        ev("application_letter", "2024-01-05", &[]),
        ev("talk", "2024-01-20", &[("talker", "支部书记".into())]),
        ev(
            "activist_chosen",
            "2024-03-01",
            &[
                ("route", "mass_org_recommendation".into()),
                ("recommended_by", "共青团".into()),
                ("decided_by", "branch_committee".into()),
            ],
        ),
        ev("activist_filed", "2024-03-05", &[("to_org", com.clone())]),
        ev("cultivation_contacts", "2024-03-06", &[("contact1", m1)]),
        ev("cultivation", "2024-08-20", &[("result", "表现良好".into())]),
        ev("cultivation", "2025-02-10", &[("result", "表现良好".into())]),
    ] {
        store.record_event(d, e, TODAY, &act()).await.unwrap();
    }
    d
}

fn notice(on: &str) -> NewEvent {
    ev("notice", on, &[("point", "target".into()), ("working_days", "5".into())])
}

fn target(on: &str) -> NewEvent {
    ev(
        "target_chosen",
        on,
        &[("opinions_heard_on", "2025-03-01".into()), ("decided_by", "branch_committee".into())],
    )
}

async fn a_case_runs_step_by_step_and_the_person_follows(backend: Backend) {
    let Some(db) = TestDb::new(backend).await else { return };
    let store = db.store().await.unwrap();
    let w = world(&store).await;
    let d = to_cultivation(&store, &w).await;
    let p = store.person(w.applicant).await.unwrap();
    assert_eq!(p.fields.status, Status::Activist);
    assert_eq!(p.fields.dates.applied_on, Some("2024-01-05".parse().unwrap()));
    store.record_event(d, notice("2025-02-20"), TODAY, &act()).await.unwrap();
    let e = store.record_event(d, target("2025-03-10"), TODAY, &act()).await.unwrap();
    assert!(e.findings.is_empty(), "{:?}", e.findings);
    let p = store.person(w.applicant).await.unwrap();
    assert_eq!(
        (p.fields.status, p.fields.dates.target_on),
        (Status::DevelopmentTarget, Some("2025-03-10".parse().unwrap()))
    );
    let rec = store.dossier(d).await.unwrap();
    assert_eq!(rec.dossier.events.len(), 9);
    // The notice's end is counted in working days by the server (2025-02-20 is a Thursday).
    let n = rec.dossier.events.iter().find(|x| x.kind == Kind::PublicNotice).unwrap();
    assert_eq!(
        n.date(pioneer_domain::development::dossier::Key::EndsOn),
        Some("2025-02-26".parse().unwrap())
    );
    let list = store.list_dossiers(&store.org(w.com).await.unwrap().path, 10).await.unwrap();
    assert_eq!((list.len(), list[0].stage.as_str()), (1, "development_target"));
    // Every event is in the journal and the chain verifies.
    let heads = store.journal_heads().await.unwrap();
    let v = store.verify_journal(&heads).await.unwrap();
    assert!(v.broken.is_none());
    assert!(store.latest_journal(3).await.unwrap().iter().all(|j| j.entity == "dossier_event"));
    // One dossier per person.
    assert!(matches!(store.open_dossier(w.applicant, &act()).await, Err(StoreError::Invalid(_))));
}

async fn a_refused_event_writes_nothing_and_backfill_records_it(backend: Backend) {
    let Some(db) = TestDb::new(backend).await else { return };
    let store = db.store().await.unwrap();
    let w = world(&store).await;
    let d = to_cultivation(&store, &w).await;
    store.record_event(d, notice("2025-02-10"), TODAY, &act()).await.unwrap();
    let heads = store.journal_heads().await.unwrap();
    // A development target one day short of a year as activist.
    let err = store.record_event(d, target("2025-02-28"), TODAY, &act()).await.unwrap_err();
    assert_eq!(rule_of(err), "DEV-010");
    assert_eq!(store.dossier(d).await.unwrap().dossier.events.len(), 8);
    assert_eq!(store.journal_heads().await.unwrap(), heads, "nothing journaled");
    assert_eq!(store.person(w.applicant).await.unwrap().fields.status, Status::Activist);
    // A date in the future, and a step whose prerequisites are missing.
    assert!(matches!(
        store.record_event(d, target("2026-12-01"), TODAY, &act()).await,
        Err(StoreError::Invalid(_))
    ));
    let meeting = ev("introducers", "2025-03-01", &[("introducer1", w.member1.to_string())]);
    assert!(matches!(store.record_event(d, meeting, TODAY, &act()).await, Err(StoreError::Invalid(_))));
    // Backfill records it as found, with its finding, and flags the dossier.
    let mut historic = ev(
        "target_chosen",
        "2025-02-28",
        &[("opinions_heard_on", "2025-02-20".into()), ("decided_by", "branch_committee".into())],
    );
    historic.backfill = true;
    let e = store.record_event(d, historic, TODAY, &act()).await.unwrap();
    assert_eq!(e.findings.iter().map(|f| f.check.rule).collect::<Vec<_>>(), vec!["DEV-010"]);
    let rec = store.dossier(d).await.unwrap();
    assert!(rec.backfill && rec.dossier.events.last().unwrap().backfill);
    let list = store.list_dossiers(&rec.org_path, 5).await.unwrap();
    assert_eq!(list[0].violations, 1);
}

async fn introducer_standing_is_taken_from_the_records(backend: Backend) {
    let Some(db) = TestDb::new(backend).await else { return };
    let store = db.store().await.unwrap();
    let w = world(&store).await;
    let d = to_cultivation(&store, &w).await;
    store.record_event(d, notice("2025-02-20"), TODAY, &act()).await.unwrap();
    store.record_event(d, target("2025-03-10"), TODAY, &act()).await.unwrap();
    let intro = |second: Uuid| {
        ev(
            "introducers",
            "2025-03-20",
            &[("introducer1", w.member1.to_string()), ("introducer2", second.to_string())],
        )
    };
    let err = store.record_event(d, intro(w.probationary), TODAY, &act()).await.unwrap_err();
    assert_eq!(rule_of(err), "DEV-014");
    let unknown = store.record_event(d, intro(Uuid::now_v7()), TODAY, &act()).await.unwrap_err();
    assert!(matches!(unknown, StoreError::Invalid(v) if v.0[0].reason == Reason::UnknownPerson));
    store.record_event(d, intro(w.member2), TODAY, &act()).await.unwrap();
}

async fn filings_wait_in_the_upper_queue_until_acknowledged(backend: Backend) {
    let Some(db) = TestDb::new(backend).await else { return };
    let store = db.store().await.unwrap();
    let w = world(&store).await;
    let d = to_cultivation(&store, &w).await;
    let queue = store.filing_queue(w.com).await.unwrap();
    assert_eq!(queue.len(), 1);
    assert_eq!((queue[0].kind.as_str(), queue[0].person_name.as_str()), ("activist_filed", "骑手丁"));
    let ack =
        ev("filing_ack", "2024-03-08", &[("filing", queue[0].seq.to_string()), ("receipt", "BA-001".into())]);
    store.record_event(d, ack, TODAY, &act()).await.unwrap();
    assert!(store.filing_queue(w.com).await.unwrap().is_empty());
    // A second acknowledgement of the same filing is refused.
    let again =
        ev("filing_ack", "2024-03-09", &[("filing", queue[0].seq.to_string()), ("receipt", "BA-002".into())]);
    assert!(matches!(store.record_event(d, again, TODAY, &act()).await, Err(StoreError::Invalid(_))));
}

async fn notices_reach_the_board_and_an_open_objection_blocks(backend: Backend) {
    let Some(db) = TestDb::new(backend).await else { return };
    let store = db.store().await.unwrap();
    let w = world(&store).await;
    let d = to_cultivation(&store, &w).await;
    store.record_event(d, notice("2025-02-20"), TODAY, &act()).await.unwrap();
    let board = store.open_notices("2025-02-24".parse().unwrap()).await.unwrap();
    assert_eq!(
        (board.len(), board[0].point.as_str(), board[0].person_name.as_str()),
        (1, "target", "骑手丁")
    );
    assert!(store.open_notices("2025-02-27".parse().unwrap()).await.unwrap().is_empty());
    let seq = board[0].seq.to_string();
    store
        .record_event(
            d,
            ev("objection", "2025-02-21", &[("notice", seq), ("text", "有异议".into())]),
            TODAY,
            &act(),
        )
        .await
        .unwrap();
    let err = store.record_event(d, target("2025-03-10"), TODAY, &act()).await.unwrap_err();
    assert_eq!(rule_of(err), "DEV-050");
    let objection = store.dossier(d).await.unwrap().dossier.next_seq() - 1;
    let resolved = ev(
        "objection_resolved",
        "2025-02-25",
        &[("objection", objection.to_string()), ("resolution", "已核实".into())],
    );
    store.record_event(d, resolved, TODAY, &act()).await.unwrap();
    store.record_event(d, target("2025-03-10"), TODAY, &act()).await.unwrap();
}

async fn a_transfer_moves_the_person_and_keeps_the_history(backend: Backend) {
    let Some(db) = TestDb::new(backend).await else { return };
    let store = db.store().await.unwrap();
    let w = world(&store).await;
    let d = to_cultivation(&store, &w).await;
    let t = ev(
        "transfer",
        "2025-02-15",
        &[("to_org", w.branch2.to_string()), ("materials_complete", "1".into())],
    );
    // To another top organisation's branch: refused with the reason, nothing written.
    let other = store.create_org(&org("另一工委", "working_committee", true), None, &act()).await.unwrap();
    let there = store.create_org(&org("另一支部", "branch", false), Some(other), &act()).await.unwrap();
    let away =
        ev("transfer", "2025-02-15", &[("to_org", there.to_string()), ("materials_complete", "1".into())]);
    let before = store.dossier(d).await.unwrap().dossier.events.len();
    match store.record_event(d, away, TODAY, &act()).await.unwrap_err() {
        StoreError::Invalid(v) => assert_eq!(
            (v.0[0].field, v.0[0].reason.clone()),
            ("to_org", pioneer_domain::Reason::CrossTenantTransfer)
        ),
        other => panic!("{other:?}"),
    }
    assert_eq!(store.dossier(d).await.unwrap().dossier.events.len(), before);
    store.record_event(d, t, TODAY, &act()).await.unwrap();
    store.record_event(d, notice("2025-02-20"), TODAY, &act()).await.unwrap();
    let rec = store.dossier(d).await.unwrap();
    assert_eq!(rec.org_id, w.branch2);
    assert_eq!(store.person(w.applicant).await.unwrap().fields.org_id, w.branch2);
    let orgs: Vec<Uuid> = rec.recorded_under.iter().map(|(_, o)| *o).collect();
    assert_eq!(orgs.first(), Some(&w.branch));
    assert_eq!(orgs.last(), Some(&w.branch2));
    // The new organisation continues the case: the cultivation year still counts.
    store.record_event(d, target("2025-03-10"), TODAY, &act()).await.unwrap();
    let old = store.list_dossiers(&store.org(w.branch).await.unwrap().path, 5).await.unwrap();
    assert!(old.is_empty());
    // Both organisations see the hand-over.
    let out = store.transfers_of(w.branch).await.unwrap();
    assert_eq!((out.len(), out[0].3.as_str(), out[0].4), (1, "另一站点党支部", true));
    let inn = store.transfers_of(w.branch2).await.unwrap();
    assert_eq!((inn.len(), inn[0].3.as_str(), inn[0].4), (1, "骑手流动党支部", false));
    let new = store.list_dossiers(&store.org(w.branch2).await.unwrap().path, 5).await.unwrap();
    assert_eq!(new.len(), 1);
}

async fn settings_are_inherited_and_screening_scans_the_subtree(backend: Backend) {
    let Some(db) = TestDb::new(backend).await else { return };
    let store = db.store().await.unwrap();
    let w = world(&store).await;
    let d = to_cultivation(&store, &w).await;
    let seven = DevSettings { notice_working_days: 7, ..DevSettings::default() };
    store.set_dev_settings(w.com, &seven, &act()).await.unwrap();
    let branch = store.org(w.branch).await.unwrap();
    assert_eq!(store.dev_settings_for(&branch.path).await.unwrap().notice_working_days, 7);
    // A five-day notice no longer suffices under the committee's seven.
    store.record_event(d, notice("2025-02-10"), TODAY, &act()).await.unwrap();
    assert_eq!(
        rule_of(store.record_event(d, target("2025-03-10"), TODAY, &act()).await.unwrap_err()),
        "DEV-050"
    );
    let bad = DevSettings { training_min_hours: 10, ..DevSettings::default() };
    assert!(matches!(store.set_dev_settings(w.com, &bad, &act()).await, Err(StoreError::Invalid(_))));
    let mut seen = Vec::new();
    let n = store
        .scan_dossiers(&store.org(w.com).await.unwrap().path, 1, |r| {
            seen.push(r.id);
            Ok(())
        })
        .await
        .unwrap();
    assert_eq!((n, seen), (1, vec![d]));
    assert_eq!(store.raw_scan_dossiers(&branch.path, 10).await.unwrap().0, 1);
    assert_eq!(store.raw_scan_dossiers(&store.org(w.branch2).await.unwrap().path, 10).await.unwrap().0, 0);
}

async fn simultaneous_appends_to_one_dossier_never_both_land(backend: Backend) {
    let Some(db) = TestDb::new(backend).await else { return };
    let store = db.store().await.unwrap();
    let w = world(&store).await;
    let d = store.open_dossier(w.applicant, &act()).await.unwrap();
    store.record_event(d, ev("application_letter", "2026-11-01", &[]), TODAY, &act()).await.unwrap();
    let mut tasks = Vec::new();
    for i in 0..6 {
        let store = store.clone();
        tasks.push(tokio::spawn(async move {
            let talk = ev("talk", "2026-11-10", &[("talker", format!("谈话人{i}"))]);
            store.record_event(d, talk, TODAY, &act()).await
        }));
    }
    let mut ok = 0;
    for t in tasks {
        match t.await.unwrap() {
            Ok(_) => ok += 1,
            Err(StoreError::Contention | StoreError::Invalid(_)) => {}
            Err(other) => panic!("{other:?}"),
        }
    }
    assert_eq!(ok, 1, "exactly one talk is recorded");
    assert_eq!(store.dossier(d).await.unwrap().dossier.events.len(), 2);
}

async fn training_classes_credit_what_was_attended(backend: Backend) {
    let Some(db) = TestDb::new(backend).await else { return };
    let store = db.store().await.unwrap();
    let w = world(&store).await;
    let class = pioneer_domain::development::training::TrainingClass::parse(
        &pioneer_domain::development::training::ClassInput {
            kind: "target".into(),
            title: "发展对象培训班".into(),
            starts_on: "2025-04-01".into(),
            ends_on: "2025-04-03".into(),
            days: "3".into(),
            hours: "24".into(),
        },
    )
    .unwrap();
    let k = store.create_class(w.com, &class, &act()).await.unwrap();
    let too_many = store.record_attendance(k, w.applicant, 25, true, &act()).await.unwrap_err();
    assert!(matches!(too_many, StoreError::Invalid(v) if v.0[0].field == "hours"));
    store.record_attendance(k, w.applicant, 16, true, &act()).await.unwrap();
    store.record_attendance(k, w.applicant, 24, true, &act()).await.unwrap();
    let mine = store.attendance_of_person(w.applicant).await.unwrap();
    assert_eq!(mine.len(), 1, "a second record replaces the first");
    let (title, starts, ends, days, hours, passed) =
        pioneer_store::development::training::training_step_values(&mine[0]);
    assert_eq!((title.as_str(), days, hours, passed), ("发展对象培训班", 3, 24, true));
    assert_eq!((starts.to_string(), ends.to_string()), ("2025-04-01".to_owned(), "2025-04-03".to_owned()));
    let listed = store.classes_in(&store.org(w.com).await.unwrap().path).await.unwrap();
    assert_eq!((listed.len(), listed[0].attendees), (1, 1));
}

async fn one_to_one_contacts_keep_their_cadence(backend: Backend) {
    let Some(db) = TestDb::new(backend).await else { return };
    let store = db.store().await.unwrap();
    let w = world(&store).await;
    let since: Date = "2026-10-01".parse().unwrap();
    let err = store.assign_contact(w.applicant, w.probationary, 30, since, &act()).await.unwrap_err();
    assert!(
        matches!(err, StoreError::Invalid(v) if v.0[0].field == "member_id"),
        "the contact must be a full member"
    );
    let l = store.assign_contact(w.applicant, w.member1, 30, since, &act()).await.unwrap();
    assert!(matches!(
        store.assign_contact(w.applicant, w.member2, 30, since, &act()).await,
        Err(StoreError::Invalid(_))
    ));
    let path = store.org(w.branch).await.unwrap().path;
    let links = store.contact_links(&path).await.unwrap();
    assert_eq!(links[0].next_due, "2026-10-31".parse::<Date>().unwrap());
    assert!(pioneer_domain::development::contacts::overdue(links[0].since, links[0].last_contact, 30, TODAY));
    assert!(store.record_contact(l, "2026-12-01".parse().unwrap(), "谈心", TODAY, &act()).await.is_err());
    assert!(store.record_contact(l, "2026-11-20".parse().unwrap(), "", TODAY, &act()).await.is_err());
    store.record_contact(l, "2026-11-20".parse().unwrap(), "谈心谈话", TODAY, &act()).await.unwrap();
    let links = store.contact_links(&path).await.unwrap();
    assert_eq!(links[0].last_contact, Some("2026-11-20".parse().unwrap()));
    assert!(!pioneer_domain::development::contacts::overdue(
        links[0].since,
        links[0].last_contact,
        30,
        TODAY
    ));
    assert_eq!(store.contact_visits(l).await.unwrap().len(), 1);
}

/// A case recorded for someone who left moves their dates but not their status (STAT-004):
/// they stay a non-member until the departure is withdrawn.
async fn a_dossier_event_does_not_make_someone_who_left_a_member_again(backend: Backend) {
    let Some(db) = TestDb::new(backend).await else { return };
    let store = db.store().await.unwrap();
    let w = world(&store).await;
    let before = store.person(w.probationary).await.unwrap();
    let left = pioneer_domain::people::departure::Departure::parse(
        "probation_cancelled",
        "2025-01-10",
        "",
        Status::ProbationaryMember,
        &before.fields.dates,
        TODAY,
    )
    .unwrap();
    store.record_departure(w.probationary, Status::ProbationaryMember, &left, &act()).await.unwrap();
    let d = store.open_dossier(w.probationary, &act()).await.unwrap();
    store.record_event(d, ev("application_letter", "2023-06-01", &[]), TODAY, &act()).await.unwrap();
    let p = store.person(w.probationary).await.unwrap();
    assert_eq!(
        (p.fields.status, p.fields.dates.applied_on),
        (Status::NonMember, Some("2023-06-01".parse().unwrap()))
    );
    // Withdrawn, the status they had comes back.
    store.withdraw_departure(w.probationary, &act()).await.unwrap();
    assert_eq!(store.person(w.probationary).await.unwrap().fields.status, Status::ProbationaryMember);
}
