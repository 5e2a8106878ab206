//! Store tests: every scenario runs on SQLite and, when PIONEER_TEST_POSTGRES_URL is set,
//! on PostgreSQL, each in its own fresh database.

#![expect(clippy::unwrap_used, reason = "a test fails loudly at the first surprise")]

use jiff::Timestamp;
use jiff::civil::Date;
use pioneer_domain::Reason;
use pioneer_domain::orgs::{OrgFields, OrgInput};
use pioneer_domain::people::age::AgeBand;
use pioneer_domain::people::{PersonFields, PersonInput, Status};
use pioneer_store::people::PeopleFilter;
use pioneer_store::testing::TestDb;
use pioneer_store::{Act, Backend, Store, StoreError, migrate};
use uuid::Uuid;

const TODAY: Date = Date::constant(2026, 11, 29);

fn now() -> Timestamp {
    Timestamp::from_second(1_795_000_000).unwrap()
}

fn act() -> Act {
    Act::new("test", "store test", now())
}

pioneer_store::on_both!(
    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    org_tree_moves_and_refuses_cycles,
    deep_trees_answer_subtrees_exactly,
    closing_needs_an_empty_organisation,
    people_round_trip_with_sealed_numbers,
    duplicate_id_numbers_and_unknown_orgs_write_nothing,
    search_filters_and_pages,
    the_demo_loads_once,
    a_wrong_key_file_is_refused,
    concurrent_writes_keep_one_chain,
    backup_and_restore_round_trip,
    key_rotation_reseals_everything,
);

fn org(name: &str, kind: &str) -> OrgFields {
    OrgFields::parse(&OrgInput { name: name.into(), kind: kind.into(), ..Default::default() }).unwrap()
}

async fn tree(store: &Store) -> (Uuid, Uuid, Uuid, Uuid) {
    let root = store.create_org(&org("工委", "working_committee"), None, &act()).await.unwrap();
    let com = store.create_org(&org("企业党委", "committee"), Some(root), &act()).await.unwrap();
    let gb = store.create_org(&org("党总支", "general_branch"), Some(com), &act()).await.unwrap();
    let br = store.create_org(&org("第三党支部", "branch"), Some(gb), &act()).await.unwrap();
    (root, com, gb, br)
}

fn person(id_card: &str, org: Uuid, status: &str) -> PersonFields {
    let mut i = PersonInput {
        name: "赵重庆".into(),
        ethnicity: "汉族".into(),
        education: "master".into(),
        worker_category: "platform_staff".into(),
        id_card: id_card.into(),
        phone: "13912345678".into(),
        status: status.into(),
        org_id: org.to_string(),
        ..Default::default()
    };
    if status == "full_member" {
        i.full_member_on = "2015-07-01".into();
    }
    PersonFields::parse(&i, TODAY).unwrap()
}

/// A second valid ID number (born 1949-12-31, female, like the standard's example).
fn second_id() -> String {
    pioneer_domain::people::id_card::IdCardNumber::compose(110105, Date::constant(1949, 12, 31), 4)
        .as_str()
        .to_owned()
}

fn invalid(e: StoreError) -> (String, Reason) {
    match e {
        StoreError::Invalid(v) => (v.0[0].field.to_owned(), v.0[0].reason.clone()),
        other => panic!("expected a refusal, got {other:?}"),
    }
}

async fn org_tree_moves_and_refuses_cycles(backend: Backend) {
    let Some(db) = TestDb::new(backend).await else { return };
    let store = db.store().await.unwrap();
    let (root, com, gb, br) = tree(&store).await;
    let com2 = store.create_org(&org("另一企业党委", "committee"), Some(root), &act()).await.unwrap();

    // Moving a committee under its own general branch is refused, and nothing changes.
    let before = store.org(com).await.unwrap();
    assert_eq!(invalid(store.move_org(com, gb, &act()).await.unwrap_err()).1, Reason::MoveIntoOwnSubtree);
    assert_eq!(store.org(com).await.unwrap(), before);
    // Under a branch: refused.
    assert_eq!(invalid(store.move_org(com2, br, &act()).await.unwrap_err()).1, Reason::ParentIsBranch);
    // Under an unknown organisation: refused, naming the field.
    let (field, reason) = invalid(store.move_org(com2, Uuid::now_v7(), &act()).await.unwrap_err());
    assert_eq!((field.as_str(), reason), ("parent_id", Reason::UnknownOrganization));

    // A real move carries the whole subtree, people included.
    let member = store.create_person(&person("11010519491231002X", br, "full_member"), &act()).await.unwrap();
    let in_subtree = |org| PeopleFilter { org: Some(org), ..Default::default() };
    let found = store.search_people(&in_subtree(com), TODAY, 1, 50).await.unwrap();
    assert_eq!(found.people.iter().map(|p| p.id).collect::<Vec<_>>(), vec![member]);
    store.move_org(gb, com2, &act()).await.unwrap();
    assert_eq!(store.search_people(&in_subtree(com), TODAY, 1, 50).await.unwrap().total, 0);
    let found = store.search_people(&in_subtree(com2), TODAY, 1, 50).await.unwrap();
    assert_eq!(found.people.iter().map(|p| p.id).collect::<Vec<_>>(), vec![member]);
    assert_eq!(store.search_people(&in_subtree(root), TODAY, 1, 50).await.unwrap().total, 1);
    let moved_branch = store.org(br).await.unwrap();
    assert_eq!(moved_branch.depth, 3);
    assert!(moved_branch.path.starts_with(&store.org(com2).await.unwrap().path));
    let sub: Vec<_> =
        store.subtree(&store.org(com2).await.unwrap()).await.unwrap().iter().map(|o| o.id).collect();
    assert_eq!(sub, vec![com2, gb, br]);
    let old: Vec<_> =
        store.subtree(&store.org(com).await.unwrap()).await.unwrap().iter().map(|o| o.id).collect();
    assert_eq!(old, vec![com]);
    let ancestors: Vec<_> = store.ancestors(&moved_branch).await.unwrap().iter().map(|o| o.id).collect();
    assert_eq!(ancestors, vec![root, com2, gb]);

    // Renaming keeps the place in the tree; turning a parent into a branch is refused.
    let mut f = store.org(gb).await.unwrap().fields;
    f.name = "数据平台部党总支".into();
    store.update_org(gb, &f, &act()).await.unwrap();
    assert_eq!(store.org(gb).await.unwrap().fields.name, "数据平台部党总支");
    f.kind = pioneer_domain::orgs::OrgKind::Branch;
    assert_eq!(invalid(store.update_org(gb, &f, &act()).await.unwrap_err()).1, Reason::BranchWithChildren);
}

async fn deep_trees_answer_subtrees_exactly(backend: Backend) {
    let Some(db) = TestDb::new(backend).await else { return };
    let store = db.store().await.unwrap();
    let root = store.create_org(&org("工委", "working_committee"), None, &act()).await.unwrap();
    // A chain 60 levels deep, with a sibling branch at every level.
    let mut chain = vec![root];
    for level in 0..60 {
        let parent = *chain.last().unwrap();
        let next = store
            .create_org(&org(&format!("第{level}级党总支"), "general_branch"), Some(parent), &act())
            .await
            .unwrap();
        store.create_org(&org(&format!("第{level}级党支部"), "branch"), Some(parent), &act()).await.unwrap();
        chain.push(next);
    }
    let middle = store.org(chain[30]).await.unwrap();
    assert_eq!(middle.depth, 30);
    let sub = store.subtree(&middle).await.unwrap();
    // Itself, the 30 general branches below it and one branch beside each of them.
    assert_eq!(sub.len(), 1 + 30 + 30);
    assert!(sub.iter().all(|o| o.path.starts_with(&middle.path)));
    let ancestors = store.ancestors(&middle).await.unwrap();
    assert_eq!(ancestors.iter().map(|o| o.id).collect::<Vec<_>>(), chain[..30].to_vec());
    // Moving the middle of the chain under the root shortens every path below it.
    store.move_org(chain[30], root, &act()).await.unwrap();
    assert_eq!(store.org(chain[60]).await.unwrap().depth, 31);
    assert_eq!(store.subtree(&store.org(chain[29]).await.unwrap()).await.unwrap().len(), 2);
}

async fn closing_needs_an_empty_organisation(backend: Backend) {
    let Some(db) = TestDb::new(backend).await else { return };
    let store = db.store().await.unwrap();
    let (_, _, gb, br) = tree(&store).await;
    assert_eq!(
        invalid(store.close_org(gb, TODAY, TODAY, &act()).await.unwrap_err()).1,
        Reason::CloseNotEmpty
    );
    store.create_person(&person("11010519491231002X", br, "full_member"), &act()).await.unwrap();
    assert_eq!(
        invalid(store.close_org(br, TODAY, TODAY, &act()).await.unwrap_err()).1,
        Reason::CloseNotEmpty
    );
    let other = store.create_org(&org("空支部", "branch"), Some(gb), &act()).await.unwrap();
    store.close_org(other, TODAY, TODAY, &act()).await.unwrap();
    assert_eq!(store.org(other).await.unwrap().closed_on, Some(TODAY));
    // Nobody can be placed in a closed organisation.
    let (field, reason) =
        invalid(store.create_person(&person(&second_id(), other, "full_member"), &act()).await.unwrap_err());
    assert_eq!((field.as_str(), reason), ("org_id", Reason::OrganizationClosed));
}

async fn people_round_trip_with_sealed_numbers(backend: Backend) {
    let Some(db) = TestDb::new(backend).await else { return };
    let store = db.store().await.unwrap();
    let (_, _, _, br) = tree(&store).await;
    let f = person("11010519491231002X", br, "full_member");
    let id = store.create_person(&f, &act()).await.unwrap();
    let back = store.person(id).await.unwrap();
    assert_eq!(back.fields, f);
    assert_eq!(back.org_name, "第三党支部");

    // Moved to another top organisation's branch: refused (a transfer there), unchanged.
    let other = store.create_org(&org("另一工委", "working_committee"), None, &act()).await.unwrap();
    let there = store.create_org(&org("另一支部", "branch"), Some(other), &act()).await.unwrap();
    let mut moved = f.clone();
    moved.org_id = there;
    let refused = invalid(store.update_person(id, &moved, &act()).await.unwrap_err());
    assert_eq!(refused, ("org_id".to_owned(), Reason::CrossTenantTransfer));
    assert_eq!(store.person(id).await.unwrap().fields, f);

    // The stored bytes hold neither number in plain text.
    let (enc_id, enc_phone): (Vec<u8>, Vec<u8>) = pioneer_store::on_db!(store.db(), pool => {
        sqlx::query_as("SELECT id_card_enc, phone_enc FROM people WHERE id = $1").bind(id).fetch_one(pool).await.unwrap()
    });
    for plain in [&b"11010519491231002X"[..], b"13912345678", b"19491231"] {
        assert!(!enc_id.windows(plain.len()).any(|w| w == plain));
        assert!(!enc_phone.windows(plain.len()).any(|w| w == plain));
    }
    if let Some(dir) = db.dir() {
        store.db().close().await;
        for entry in std::fs::read_dir(dir).unwrap() {
            let bytes = std::fs::read(entry.unwrap().path()).unwrap();
            assert!(
                !bytes.windows(18).any(|w| w == b"11010519491231002X"),
                "ID number in plain text on disk"
            );
            assert!(!bytes.windows(11).any(|w| w == b"13912345678"), "phone in plain text on disk");
        }
    }
}

async fn duplicate_id_numbers_and_unknown_orgs_write_nothing(backend: Backend) {
    let Some(db) = TestDb::new(backend).await else { return };
    let store = db.store().await.unwrap();
    let (_, _, _, br) = tree(&store).await;
    store.create_person(&person("11010519491231002X", br, "full_member"), &act()).await.unwrap();
    let (field, reason) = invalid(
        store.create_person(&person("11010519491231002X", br, "full_member"), &act()).await.unwrap_err(),
    );
    assert_eq!((field.as_str(), reason), ("id_card", Reason::DuplicateIdCard));
    let (field, reason) = invalid(
        store.create_person(&person(&second_id(), Uuid::now_v7(), "full_member"), &act()).await.unwrap_err(),
    );
    assert_eq!((field.as_str(), reason), ("org_id", Reason::UnknownOrganization));
    let page = store.search_people(&PeopleFilter::default(), TODAY, 1, 50).await.unwrap();
    assert_eq!(page.total, 1);

    // An edit that takes another person's ID number is refused and changes nothing.
    let second = store.create_person(&person(&second_id(), br, "full_member"), &act()).await.unwrap();
    let before = store.person(second).await.unwrap();
    let mut f = before.fields.clone();
    f.id_card =
        pioneer_domain::people::id_card::IdCardNumber::parse("id_card", "11010519491231002X").unwrap();
    f.name = "改名".into();
    assert_eq!(
        invalid(store.update_person(second, &f, &act()).await.unwrap_err()).1,
        Reason::DuplicateIdCard
    );
    assert_eq!(store.person(second).await.unwrap(), before);
}

async fn search_filters_and_pages(backend: Backend) {
    let Some(db) = TestDb::new(backend).await else { return };
    let store = db.store().await.unwrap();
    pioneer_demo::load_demo(&store, TODAY, &act()).await.unwrap();
    let all = store.search_people(&PeopleFilter::default(), TODAY, 1, 50).await.unwrap();
    assert!(all.total >= 300);
    assert_eq!(all.people.len(), 50);
    let page2 = store.search_people(&PeopleFilter::default(), TODAY, 2, 50).await.unwrap();
    assert!(page2.people.iter().all(|p| all.people.iter().all(|q| q.id != p.id)));

    // By ID number and by phone: exactly that person.
    let someone = &all.people[7];
    for q in [
        someone.fields.id_card.as_str().to_owned(),
        someone.fields.phone.as_ref().unwrap().as_str().to_owned(),
    ] {
        let hit = store
            .search_people(&PeopleFilter { q: Some(q), ..Default::default() }, TODAY, 1, 50)
            .await
            .unwrap();
        assert!(hit.people.iter().any(|p| p.id == someone.id));
    }
    // By the start of a name.
    let surname: String = someone.fields.name.chars().take(1).collect();
    let hit = store
        .search_people(&PeopleFilter { q: Some(surname.clone()), ..Default::default() }, TODAY, 1, 200)
        .await
        .unwrap();
    assert!(hit.total > 0 && hit.people.iter().all(|p| p.fields.name.starts_with(&surname)));

    // Subtree, status, mobile and age band agree with the records themselves.
    let roots = store.orgs(Some(1)).await.unwrap();
    let meituan = roots.iter().find(|o| o.fields.name.contains("美团")).unwrap();
    let filter = PeopleFilter {
        org: Some(meituan.id),
        status: Some(Status::FullMember),
        is_mobile: Some(true),
        age_band: Some(AgeBand::From31To35),
        ..Default::default()
    };
    let hit = store.search_people(&filter, TODAY, 1, 200).await.unwrap();
    let sub: Vec<Uuid> = store.subtree(meituan).await.unwrap().iter().map(|o| o.id).collect();
    let everyone = store.search_people(&PeopleFilter::default(), TODAY, 1, 200).await.unwrap();
    let mut expected = 0;
    for page in 1..=3 {
        for p in store.search_people(&PeopleFilter::default(), TODAY, page, 200).await.unwrap().people {
            let age = pioneer_domain::people::age::full_years(p.fields.birth_date, TODAY);
            if sub.contains(&p.fields.org_id)
                && p.fields.status == Status::FullMember
                && p.fields.is_mobile
                && (31..=35).contains(&age)
            {
                expected += 1;
            }
        }
    }
    assert!(everyone.total <= 600);
    assert_eq!(hit.total, expected);
    assert!(expected > 0, "the demo should have mobile full members aged 31–35 at Meituan");
}

async fn the_demo_loads_once(backend: Backend) {
    let Some(db) = TestDb::new(backend).await else { return };
    let store = db.store().await.unwrap();
    let first = pioneer_demo::load_demo(&store, TODAY, &act()).await.unwrap();
    assert!(first.people >= 300 && first.orgs >= 30, "{first:?}");
    let second = pioneer_demo::load_demo(&store, TODAY, &act()).await.unwrap();
    assert_eq!((second.orgs, second.people), (0, 0));
    assert!(store.is_demo().await.unwrap());
    let counts = store.count_by_status(None).await.unwrap();
    assert_eq!(counts.iter().map(|c| c.1 as u64).sum::<u64>(), first.people);
    assert!(counts.iter().all(|c| c.1 > 0), "every status present: {counts:?}");
}

async fn a_wrong_key_file_is_refused(backend: Backend) {
    let Some(db) = TestDb::new(backend).await else { return };
    let store = db.store().await.unwrap();
    let (_, _, _, br) = tree(&store).await;
    store.create_person(&person("11010519491231002X", br, "full_member"), &act()).await.unwrap();
    store.db().close().await;
    let other = Store::open(&db.url, pioneer_store::KeyRing::generate()).await;
    assert!(matches!(other, Err(StoreError::WrongKeys)));
}

#[tokio::test]
async fn both_migration_folders_give_the_same_tables_and_columns() {
    let Some(pg) = TestDb::new(Backend::Postgres).await else { return };
    let lite = TestDb::new(Backend::Sqlite).await.unwrap();
    let a = migrate::columns(lite.store().await.unwrap().db()).await.unwrap();
    let b = migrate::columns(pg.store().await.unwrap().db()).await.unwrap();
    assert!(a.len() > 40, "{a:?}");
    assert_eq!(a, b);
    // On a Citus cluster the same tables and columns, now distributed.
    if let Some(citus) = pioneer_store::testing::on_citus(TestDb::new(Backend::Postgres)).await {
        let store = citus.store().await.unwrap();
        assert!(store.is_citus().await.unwrap());
        assert_eq!(migrate::columns(store.db()).await.unwrap(), a);
    }
}

#[tokio::test]
async fn migrations_run_twice_without_change() {
    let db = TestDb::new(Backend::Sqlite).await.unwrap();
    let keys = pioneer_store::KeyRing::generate();
    let s = Store::open(&db.url, keys.clone()).await.unwrap();
    let cols = migrate::columns(s.db()).await.unwrap();
    s.db().close().await;
    let s = Store::open(&db.url, keys).await.unwrap();
    assert_eq!(migrate::columns(s.db()).await.unwrap(), cols);
}

/// Writers racing on one tenant still leave one unbroken chain.
async fn concurrent_writes_keep_one_chain(backend: Backend) {
    let Some(db) = TestDb::new(backend).await else { return };
    let store = db.store().await.unwrap();
    let (root, com, _, _) = tree(&store).await;
    let mut tasks = Vec::new();
    for i in 0..16 {
        let store = store.clone();
        tasks.push(tokio::spawn(async move {
            store.create_org(&org(&format!("并发党支部{i}"), "branch"), Some(com), &act()).await
        }));
    }
    for t in tasks {
        t.await.unwrap().unwrap();
    }
    let heads = store.journal_heads().await.unwrap();
    assert_eq!(
        heads,
        vec![pioneer_store::journal::Head { tenant_id: root, seq: 20, hash: heads[0].hash.clone() }]
    );
    let v = store.verify_journal(&heads).await.unwrap();
    assert_eq!((v.entries, v.broken), (20, None));
}

/// A backup restored into an empty database gives back every table, and its journal
/// verifies; a backup made under other keys is refused and changes nothing.
async fn backup_and_restore_round_trip(backend: Backend) {
    let Some(source_db) = TestDb::new(backend).await else { return };
    let keys = pioneer_store::KeyRing::generate();
    let source = Store::open(&source_db.url, keys.clone()).await.unwrap();
    pioneer_demo::load_demo(&source, TODAY, &act()).await.unwrap();
    let (_, _, _, br) = tree(&source).await;
    source.create_person(&person("11010519491231002X", br, "full_member"), &act()).await.unwrap();
    let dir = std::env::temp_dir().join(format!("pioneer-backup-{}", Uuid::now_v7().simple()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("backup.bin");
    if pioneer_store::testing::is_citus() {
        // A Citus cluster is backed up node by node (docs/SCALE.md): refused, nothing written.
        let err = source.backup(&source_db.url, &file, 0).await.unwrap_err();
        assert!(err.to_string().contains("Citus"), "{err}");
        assert!(!file.exists());
        std::fs::write(&file, b"not a backup").unwrap();
        let before = source.table_rows("people").await.unwrap();
        assert!(
            source.restore(&source_db.url, &file, &act()).await.unwrap_err().to_string().contains("Citus")
        );
        assert_eq!(source.table_rows("people").await.unwrap(), before);
        return;
    }
    source.backup(&source_db.url, &file, 0).await.unwrap();
    assert!(source.backup(&source_db.url, &file, 0).await.is_err(), "an existing file is never overwritten");
    let bytes = std::fs::read(&file).unwrap();
    assert!(!bytes.windows(18).any(|w| w == b"11010519491231002X"), "ID number in the backup");
    assert!(!bytes.windows(11).any(|w| w == b"13912345678"), "phone in the backup");

    // Restored under other keys: refused, nothing changed.
    let Some(other_db) = TestDb::new(backend).await else { return };
    let other = other_db.store().await.unwrap();
    let before = other.table_rows("organizations").await.unwrap();
    assert!(matches!(other.restore(&other_db.url, &file, &act()).await, Err(StoreError::WrongKeys)));
    assert_eq!(other.table_rows("organizations").await.unwrap(), before);

    let mut listed: Vec<String> = pioneer_store::backup::TABLES.iter().map(|t| t.to_string()).collect();
    listed.sort();
    assert_eq!(listed, source.schema_tables().await.unwrap(), "a restore refills every table");

    // Restored under the same keys: every table equal, journal intact.
    let Some(target_db) = TestDb::new(backend).await else { return };
    let target = Store::open(&target_db.url, keys).await.unwrap();
    let plan = target.restore(&target_db.url, &file, &act()).await.unwrap();
    assert_eq!(plan.discarded, 0, "an empty database has nothing to discard");
    for table in pioneer_store::backup::TABLES.iter().filter(|t| !t.starts_with("journal")) {
        assert_eq!(
            target.table_rows(table).await.unwrap(),
            source.table_rows(table).await.unwrap(),
            "{table}"
        );
    }
    let heads = source.journal_heads().await.unwrap();
    let v = target.verify_journal(&heads).await.unwrap();
    assert!(v.entries > 30 && v.broken.is_none(), "{v:?}");
    let _ = std::fs::remove_dir_all(dir);
}

/// After a rotation every number is re-sealed under the new key, stays readable and
/// findable, and the old key alone no longer opens anything.
async fn key_rotation_reseals_everything(backend: Backend) {
    let Some(db) = TestDb::new(backend).await else { return };
    let mut ring = pioneer_store::KeyRing::generate();
    let before = Store::open(&db.url, ring.clone()).await.unwrap();
    pioneer_demo::load_demo(&before, TODAY, &act()).await.unwrap();
    let sample = before.search_people(&PeopleFilter::default(), TODAY, 1, 5).await.unwrap().people;
    assert_eq!(ring.rotate(), 2);
    let after = Store::open(&db.url, ring).await.unwrap();
    let n = after.reseal_all(&act()).await.unwrap();
    assert!(n >= 300, "{n}");
    assert_eq!(after.reseal_all(&act()).await.unwrap(), 0, "a second run has nothing left");
    let versions: Vec<Vec<u8>> = pioneer_store::on_db!(after.db(), pool => {
        sqlx::query_scalar("SELECT id_card_enc FROM people").fetch_all(pool).await.unwrap()
    });
    assert!(versions.iter().all(|v| v[0] == 2));
    for p in &sample {
        assert_eq!(after.person(p.id).await.unwrap().fields, p.fields);
        let q = PeopleFilter { q: Some(p.fields.id_card.as_str().to_owned()), ..Default::default() };
        assert_eq!(after.search_people(&q, TODAY, 1, 5).await.unwrap().people[0].id, p.id);
    }
    assert!(matches!(before.person(sample[0].id).await, Err(StoreError::Corrupt(_))), "old key alone fails");
    assert!(after.verify_journal(&[]).await.unwrap().broken.is_none());
}
