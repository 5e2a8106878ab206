//! The streamed roster import in storage, on SQLite and (when PIONEER_TEST_POSTGRES_URL is
//! set) PostgreSQL: rows matched by ID number are added, changed or left alone in one
//! transaction; a dry run and a broken chunk write nothing.

#![expect(clippy::unwrap_used, reason = "a test fails loudly at the first surprise")]

use jiff::Timestamp;
use jiff::civil::Date;
use pioneer_domain::orgs::{OrgFields, OrgInput};
use pioneer_domain::people::id_card::IdCardNumber;
use pioneer_domain::people::{PersonFields, PersonInput};
use pioneer_store::people::PeopleFilter;
use pioneer_store::people::roster::RosterCounts;
use pioneer_store::testing::TestDb;
use pioneer_store::{Act, Backend, Store, StoreError};
use uuid::Uuid;

const TODAY: Date = Date::constant(2026, 11, 29);

fn act() -> Act {
    Act::new("test", "roster test", Timestamp::from_second(1_795_000_000).unwrap())
}

pioneer_store::on_both!(
    a_streamed_roster_adds_changes_and_leaves_alone_in_one_transaction,
    a_change_to_any_one_field_is_seen_and_written,
    a_large_first_import_rebuilds_the_indexes_it_set_aside,
    a_roster_cannot_make_someone_who_left_a_member_again,
);

/// An applicant's fields as typed, `n` making the ID number.
fn input(org: Uuid, n: u32, name: &str) -> PersonInput {
    PersonInput {
        name: name.into(),
        ethnicity: "汉族".into(),
        education: "bachelor".into(),
        worker_category: "rider".into(),
        id_card: IdCardNumber::compose(440305, Date::constant(1995, 5, 5), n).as_str().to_owned(),
        phone: "13800138000".into(),
        status: "applicant".into(),
        applied_on: "2025-01-01".into(),
        org_id: org.to_string(),
        ..Default::default()
    }
}

fn person(org: Uuid, n: u32, name: &str) -> PersonFields {
    PersonFields::parse(&input(org, n, name), TODAY).unwrap()
}

/// A new organisation under `parent`.
async fn org(store: &Store, name: &str, kind: &str, parent: Option<Uuid>) -> Uuid {
    let fields =
        OrgFields::parse(&OrgInput { name: name.into(), kind: kind.into(), ..Default::default() }).unwrap();
    store.create_org(&fields, parent, &act()).await.unwrap()
}

/// A store with a working committee (the deployment) and its riders' branch.
async fn committee(backend: Backend) -> Option<(TestDb, Store, Uuid, Uuid)> {
    let db = TestDb::new(backend).await?;
    let store = db.store().await.unwrap();
    let root = org(&store, "工委", "working_committee", None).await;
    let branch = org(&store, "骑手支部", "mobile_branch", Some(root)).await;
    Some((db, store, root, branch))
}

async fn a_streamed_roster_adds_changes_and_leaves_alone_in_one_transaction(backend: Backend) {
    let Some((_db, store, root, branch)) = committee(backend).await else { return };
    let kept = store.create_person(&person(branch, 1, "老骑手"), &act()).await.unwrap();
    let renamed = store.create_person(&person(branch, 2, "旧名字"), &act()).await.unwrap();
    let rows = || vec![person(branch, 1, "老骑手"), person(branch, 2, "新名字"), person(branch, 3, "新骑手")];
    let expected = RosterCounts { created: 1, updated: 1, unchanged: 1, indexes_rebuilt: 0 };
    // A dry run counts and rolls back.
    let dry = store
        .import_roster_chunks(root, vec![Ok(rows())].into_iter(), 0, false, &act(), |_| {})
        .await
        .unwrap();
    assert_eq!(dry, expected);
    assert_eq!(store.person(renamed).await.unwrap().fields.name, "旧名字");
    // A broken chunk after a good one: nothing is kept.
    let broken = vec![Ok(rows()), Err(StoreError::Corrupt("changed"))];
    assert!(store.import_roster_chunks(root, broken.into_iter(), 0, true, &act(), |_| {}).await.is_err());
    assert_eq!(store.person(renamed).await.unwrap().fields.name, "旧名字");
    // Applied in two chunks; again, and nothing changes.
    let mut all = rows();
    let last = all.split_off(2);
    let done = store
        .import_roster_chunks(root, vec![Ok(all), Ok(last)].into_iter(), 0, true, &act(), |_| {})
        .await
        .unwrap();
    assert_eq!(done, expected);
    assert_eq!(store.person(renamed).await.unwrap().fields.name, "新名字");
    assert_eq!(store.person(kept).await.unwrap().fields, person(branch, 1, "老骑手"));
    let again = store
        .import_roster_chunks(root, vec![Ok(rows())].into_iter(), 0, true, &act(), |_| {})
        .await
        .unwrap();
    assert_eq!(again, RosterCounts { created: 0, updated: 0, unchanged: 3, indexes_rebuilt: 0 });
    // The whole roster, unless it has more people than asked for.
    let path = store.org(root).await.unwrap().path;
    assert_eq!(store.roster(&path, 3, &act()).await.unwrap().map(|r| r.len()), Some(3));
    assert!(store.roster(&path, 2, &act()).await.unwrap().is_none());
    let heads = store.journal_heads().await.unwrap();
    assert!(store.verify_journal(&heads).await.unwrap().broken.is_none());
}

async fn a_change_to_any_one_field_is_seen_and_written(backend: Backend) {
    let Some((_db, store, root, branch)) = committee(backend).await else { return };
    let other = org(&store, "司机支部", "mobile_branch", Some(root)).await;
    let id = store.create_person(&person(branch, 1, "老骑手"), &act()).await.unwrap();
    type Edit = fn(&mut PersonFields, Uuid);
    let edits: [(&str, Edit); 9] = [
        ("organisation", |p, other| p.org_id = other),
        ("phone", |p, _| {
            p.phone = Some(pioneer_domain::people::phone::PhoneNumber::parse("phone", "13900139000").unwrap())
        }),
        ("no phone", |p, _| p.phone = None),
        ("employer", |p, _| p.employer = Some("美团".into())),
        ("station", |p, _| p.station = Some("南山站".into())),
        ("backbone", |p, _| p.is_backbone = true),
        ("key position", |p, _| p.is_key_position = true),
        ("education", |p, _| p.education = pioneer_domain::people::Education::Master),
        ("application date", |p, _| p.dates.applied_on = Some(Date::constant(2024, 6, 1))),
    ];
    let mut now = person(branch, 1, "老骑手");
    for (what, edit) in edits {
        edit(&mut now, other);
        for expected in [
            RosterCounts { updated: 1, ..Default::default() },
            RosterCounts { unchanged: 1, ..Default::default() },
        ] {
            let got = store
                .import_roster_chunks(root, vec![Ok(vec![now.clone()])].into_iter(), 0, true, &act(), |_| {})
                .await
                .unwrap();
            assert_eq!(got, expected, "{what}");
        }
        assert_eq!(store.person(id).await.unwrap().fields, now, "{what}");
    }
}

/// An import announced as large and mostly new sets the people indexes aside on SQLite and
/// builds them again: afterwards they are all there, as defined, and used; a dry run or a
/// failed import leaves them as they were.
async fn a_large_first_import_rebuilds_the_indexes_it_set_aside(backend: Backend) {
    let Some((_db, store, root, branch)) = committee(backend).await else { return };
    let before = store.schema_indexes("people").await.unwrap();
    assert!(before.len() >= 8, "{before:?}");
    let rows =
        |from: u32| (from..from + 300).map(|n| person(branch, n, &format!("骑手{n}"))).collect::<Vec<_>>();
    let large = 1_000_000;
    // A dry run and a broken import: rolled back, indexes whole.
    let a = act();
    let dry = store.import_roster_chunks(root, vec![Ok(rows(1))].into_iter(), large, false, &a, |_| {});
    assert_eq!(dry.await.unwrap().created, 300);
    let broken = vec![Ok(rows(1)), Err(StoreError::Corrupt("the file changed"))];
    assert!(store.import_roster_chunks(root, broken.into_iter(), large, true, &act(), |_| {}).await.is_err());
    // Nobody is stored yet, so rows are not compared: a repeated ID number meets the index.
    let twice = vec![Ok(rows(1)), Ok(rows(1))];
    let err =
        store.import_roster_chunks(root, twice.into_iter(), large, true, &act(), |_| {}).await.unwrap_err();
    assert!(format!("{err:?}").contains("DuplicateIdCard"), "{err:?}");
    assert_eq!(store.schema_indexes("people").await.unwrap(), before);
    assert_eq!(store.search_people(&PeopleFilter::default(), TODAY, 1, 5).await.unwrap().total, 0);
    // Applied: every row in, every index back.
    let done = store
        .import_roster_chunks(root, vec![Ok(rows(1)), Ok(rows(301))].into_iter(), large, true, &act(), |_| {})
        .await
        .unwrap();
    assert_eq!(done.created, 600);
    let aside = if backend == Backend::Sqlite { before.len() - 1 } else { 0 };
    assert_eq!(done.indexes_rebuilt, aside, "all but the primary key's, on SQLite, into an empty deployment");
    assert_eq!(store.schema_indexes("people").await.unwrap(), before);
    let by_name = PeopleFilter { q: Some("骑手42".into()), ..Default::default() };
    let found = store.search_people(&by_name, TODAY, 1, 50).await.unwrap();
    assert!(found.people.iter().any(|p| p.fields.name == "骑手42"), "{:?}", found.total);
    // Imported again: every row is matched by its ID number (that index stayed).
    let again = store.import_roster_chunks(root, vec![Ok(rows(1))].into_iter(), large, true, &a, |_| {});
    let again = again.await.unwrap();
    // New people beside stored ones: matched by the ID-number index, which stays.
    let more = store.import_roster_chunks(root, vec![Ok(rows(601))].into_iter(), large, true, &a, |_| {});
    let more = more.await.unwrap();
    let aside = if backend == Backend::Sqlite { before.len() - 2 } else { 0 };
    assert_eq!((more.created, more.indexes_rebuilt), (300, aside));
    assert_eq!(store.schema_indexes("people").await.unwrap(), before);
    assert_eq!((again.unchanged, again.indexes_rebuilt), (300, 0), "nothing new: the indexes stay");
}

/// Someone recorded as having left stays a non-member through a roster: a row giving them
/// a member's status again is refused and nothing is written.
async fn a_roster_cannot_make_someone_who_left_a_member_again(backend: Backend) {
    let Some((_db, store, root, branch)) = committee(backend).await else { return };
    let member = |status: &str| {
        PersonFields::parse(
            &PersonInput {
                status: status.into(),
                activist_on: "2025-03-01".into(),
                target_on: "2025-06-01".into(),
                admitted_on: "2025-09-01".into(),
                ..input(branch, 9, "离开的人")
            },
            TODAY,
        )
        .unwrap()
    };
    let id = store.create_person(&member("probationary_member"), &act()).await.unwrap();
    let d = pioneer_domain::people::departure::Departure::parse(
        "probation_cancelled",
        "2026-01-10",
        "",
        pioneer_domain::people::Status::ProbationaryMember,
        &member("probationary_member").dates,
        TODAY,
    )
    .unwrap();
    store.record_departure(id, pioneer_domain::people::Status::ProbationaryMember, &d, &act()).await.unwrap();
    let back = vec![Ok(vec![member("probationary_member")])];
    let err = store.import_roster_chunks(root, back.into_iter(), 1, true, &act(), |_| {}).await.unwrap_err();
    assert!(format!("{err:?}").contains("STAT-004"), "{err:?}");
    assert_eq!(store.person(id).await.unwrap().fields.status.code(), "non_member");
    // As a non-member with the same dates, the row matches the record: nothing changes.
    let same = vec![Ok(vec![member("non_member")])];
    let counts = store.import_roster_chunks(root, same.into_iter(), 1, true, &act(), |_| {}).await.unwrap();
    assert_eq!(counts.unchanged, 1);
}
