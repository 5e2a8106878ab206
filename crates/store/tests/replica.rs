//! PostgreSQL's own parts for scale: a read replica (a real streaming standby) and a
//! connection pooler (pgbouncer in transaction mode). Each runs when its address is set —
//! `PIONEER_TEST_REPLICA_URL` (the standby of `PIONEER_TEST_POSTGRES_URL`'s server) and
//! `PIONEER_TEST_PGBOUNCER_URL` (a pgbouncer in front of it) — which `.ci/run` sets up.

#![expect(clippy::unwrap_used, reason = "a test fails loudly at the first surprise")]

use jiff::Timestamp;
use jiff::civil::Date;
use pioneer_domain::orgs::{OrgFields, OrgInput};
use pioneer_domain::people::{PersonFields, PersonInput};
use pioneer_store::testing::{TestDb, replace_db_name};
use pioneer_store::{Act, Backend, KeyRing, Store, StoreError};
use std::time::Duration;
use uuid::Uuid;

const TODAY: Date = Date::constant(2026, 12, 7);

fn act() -> Act {
    Act::new("test", "replica test", Timestamp::from_second(1_796_000_000).unwrap())
}

fn org(name: &str, kind: &str) -> OrgFields {
    OrgFields::parse(&OrgInput { name: name.into(), kind: kind.into(), ..Default::default() }).unwrap()
}

/// A valid ID number for the `n`th test person.
fn id_card(n: u32) -> String {
    let born = Date::constant(1990, 1, 1).checked_add(jiff::Span::new().days(i64::from(n))).unwrap();
    pioneer_domain::people::id_card::IdCardNumber::compose(440305, born, n % 999 + 1).as_str().to_owned()
}

fn person(n: u32, org: Uuid) -> PersonFields {
    let i = PersonInput {
        name: "骑手".into(),
        ethnicity: "汉族".into(),
        education: "bachelor".into(),
        worker_category: "rider".into(),
        id_card: id_card(n),
        phone: format!("139{:08}", n),
        status: "full_member".into(),
        full_member_on: "2020-07-01".into(),
        org_id: org.to_string(),
        ..Default::default()
    };
    PersonFields::parse(&i, TODAY).unwrap()
}

/// Everyone the roster export reads under `path`.
async fn exported(store: &Store, path: &str) -> Vec<Uuid> {
    let mut ids = Vec::new();
    store
        .roster_pages(path, &act(), |page| {
            ids.extend(page.iter().map(|p| p.id));
            Ok(())
        })
        .await
        .unwrap();
    ids
}

/// Reads with `read` until `done` holds of what it read (for at most 30 s) and returns the
/// last reading.
async fn eventually<T>(read: impl AsyncFn() -> T, done: impl Fn(&T) -> bool) -> T {
    let mut last = read().await;
    for _ in 0..300 {
        if done(&last) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
        last = read().await;
    }
    last
}

/// Runs `sql` on the standby's own `postgres` database (replay control needs a superuser).
async fn on_standby(replica_url: &str, sql: &'static str) {
    let admin = sqlx::PgPool::connect(&replace_db_name(replica_url, "postgres")).await.unwrap();
    sqlx::query(sql).execute(&admin).await.unwrap();
    admin.close().await;
}

/// The standby has replayed the test database's creation and migrations.
async fn replica_of(db: &TestDb, replica_url: &str) -> String {
    let name = db.url.rsplit('/').next().unwrap().split('?').next().unwrap().to_owned();
    let url = replace_db_name(replica_url, &name);
    for _ in 0..300 {
        if let Ok(pool) = sqlx::PgPool::connect(&url).await {
            let ready: Result<i64, _> =
                sqlx::query_scalar("SELECT COUNT(*) FROM journal_heads").fetch_one(&pool).await;
            pool.close().await;
            if ready.is_ok() {
                return url;
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the standby did not replay the test database within 30 s");
}

/// With a replica, the roster export and the statistics read the standby: while its replay
/// is paused they do not see a person just written, while the person's own page (the
/// primary) does; once replay resumes they catch up. A replica that is not a standby, and
/// a replica for SQLite, are refused.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn long_reads_go_to_the_standby_and_pages_read_their_writes() {
    let Ok(replica_url) = std::env::var("PIONEER_TEST_REPLICA_URL") else {
        eprintln!(
            "skipped: PIONEER_TEST_REPLICA_URL is not set, so the read-replica test passes without running"
        );
        return;
    };
    let Some(db) = TestDb::new(Backend::Postgres).await else { return };
    let keys = KeyRing::generate();
    let primary = Store::open(&db.url, keys.clone()).await.unwrap();
    let root = primary.create_org(&org("工委", "working_committee"), None, &act()).await.unwrap();
    let branch = primary.create_org(&org("骑手支部", "branch"), Some(root), &act()).await.unwrap();
    let first = primary.create_person(&person(1, branch), &act()).await.unwrap();
    let url = replica_of(&db, &replica_url).await;

    // A second primary is no replica; SQLite has none.
    let refused = Store::open(&db.url, keys.clone()).await.unwrap().with_replica(&db.url).await.err();
    assert!(matches!(refused, Some(StoreError::Replica(_))), "{refused:?}");
    let lite = TestDb::new(Backend::Sqlite).await.unwrap();
    let refused = lite.store().await.unwrap().with_replica(&url).await.err();
    assert!(matches!(refused, Some(StoreError::Replica(_))), "{refused:?}");

    let store = Store::open(&db.url, keys).await.unwrap().with_replica(&url).await.unwrap();
    store.set_stats_wait(Duration::from_secs(30));
    let top = store.org(root).await.unwrap();
    let now = 1_796_000_000_000;
    let replayed = eventually(async || exported(&store, &top.path).await, |ids| *ids == vec![first]).await;
    assert_eq!(replayed, vec![first]);
    assert_eq!(store.dashboard(root, TODAY, 2026, now).await.unwrap().0.people, 1);

    on_standby(&replica_url, "SELECT pg_wal_replay_pause()").await;
    let second = store.create_person(&person(2, branch), &act()).await;
    let behind = exported(&store, &top.path).await;
    let stats_behind = store.dashboard(root, TODAY, 2026, now).await.map(|d| d.0.people);
    on_standby(&replica_url, "SELECT pg_wal_replay_resume()").await;
    let second = second.unwrap();
    // The writer's own page reads the primary.
    assert_eq!(store.person(second).await.unwrap().id, second);
    assert_eq!(behind, vec![first], "the export read the paused standby");
    assert_eq!(stats_behind.unwrap(), 1, "the statistics read the paused standby");

    let mut caught_up = eventually(async || exported(&store, &top.path).await, |ids| ids.len() == 2).await;
    caught_up.sort();
    let mut both = vec![first, second];
    both.sort();
    assert_eq!(caught_up, both);
    let people =
        eventually(async || store.dashboard(root, TODAY, 2026, now).await.unwrap().0.people, |n| *n == 2)
            .await;
    assert_eq!(people, 2, "the statistics caught up with the standby");
}

/// Through pgbouncer in transaction mode (each transaction may run on another server
/// connection): migrations, concurrent journaled writes, reads, the statistics and the
/// integrity check (its scratch table lives in one transaction) all work, and the journal
/// stays one unbroken chain.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn everything_works_through_pgbouncer_in_transaction_mode() {
    let Ok(bouncer) = std::env::var("PIONEER_TEST_PGBOUNCER_URL") else {
        eprintln!(
            "skipped: PIONEER_TEST_PGBOUNCER_URL is not set, so the pgbouncer test passes without running"
        );
        return;
    };
    let Some(db) = TestDb::new(Backend::Postgres).await else { return };
    let name = db.url.rsplit('/').next().unwrap().split('?').next().unwrap().to_owned();
    let store = Store::open(&replace_db_name(&bouncer, &name), KeyRing::generate()).await.unwrap();
    let root = store.create_org(&org("工委", "working_committee"), None, &act()).await.unwrap();
    let branch = store.create_org(&org("骑手支部", "branch"), Some(root), &act()).await.unwrap();
    let mut writers = Vec::new();
    for w in 0..8u32 {
        let store = store.clone();
        writers.push(tokio::spawn(async move {
            let mut ids = Vec::new();
            for k in 0..10u32 {
                ids.push(store.create_person(&person(1 + w * 10 + k, branch), &act()).await.unwrap());
            }
            ids
        }));
    }
    let mut ids = Vec::new();
    for w in writers {
        ids.extend(w.await.unwrap());
    }
    assert_eq!(ids.len(), 80);
    for id in &ids {
        assert_eq!(store.person(*id).await.unwrap().fields.org_id, branch);
    }
    let top = store.org(root).await.unwrap();
    assert_eq!(exported(&store, &top.path).await.len(), 80);
    store.set_stats_wait(Duration::from_secs(30));
    let now = 1_796_000_000_000;
    assert_eq!(store.dashboard(root, TODAY, 2026, now).await.unwrap().0.people, 80);
    let report = store.check().await.unwrap();
    assert_eq!(report.found, 0, "{:?}", report.differences);
    assert!(report.rows >= 82, "{}", report.rows);
    let verified = store.verify_journal(&[]).await.unwrap();
    assert!(verified.broken.is_none(), "{:?}", verified.broken);
    assert!(verified.entries >= 82, "{}", verified.entries);
}
