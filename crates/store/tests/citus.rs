//! The same data on plain PostgreSQL and on a Citus cluster gives the same figures: the
//! screening of every dossier of every tenant, each tenant's dashboard, and the journal's
//! chains verified (issue 18). Runs
//! when both `PIONEER_TEST_POSTGRES_URL` and `PIONEER_TEST_CITUS_URL` are set.

#![expect(clippy::unwrap_used, reason = "a test fails loudly at the first surprise")]

use jiff::Timestamp;
use jiff::civil::Date;
use pioneer_domain::development::screening::ScreenFilter;
use pioneer_store::testing::{TestDb, on_citus};
use pioneer_store::{Act, Backend, KeyRing, Store};

const TODAY: Date = Date::constant(2026, 11, 29);

fn act() -> Act {
    Act::new("test", "citus figures", Timestamp::from_second(1_795_000_000).unwrap())
}

/// The demo deployment and a generated one (a second tenant) with dossiers.
async fn load(store: &Store) {
    pioneer_demo::load_demo(store, TODAY, &act()).await.unwrap();
    pioneer_demo::load::generate(store, 3_000, 7, TODAY, &act(), |_| {}).await.unwrap();
    pioneer_demo::load::generate_dossiers(store, 1_500, 7, 10, TODAY, &act(), |_| {}).await.unwrap();
}

/// A screening's figures: the dossiers, those with violations or warnings, and each rule's
/// count (the cases it links to are ids made at load, which differ between the databases).
fn screened(report: &pioneer_domain::development::screening::ScreenReport) -> String {
    let mut groups: Vec<(String, u64)> =
        report.groups.iter().map(|g| (format!("{}/{}", g.check.rule().id, g.check.code), g.count)).collect();
    groups.sort();
    format!("{} {} {} {groups:?}", report.dossiers, report.with_violations, report.with_warnings_only)
}

/// Screening and dashboards, tenant by tenant and across them.
async fn figures(store: &Store) -> Vec<String> {
    let mut out = Vec::new();
    let report = store.screen("/", TODAY, 5, ScreenFilter::default()).await.unwrap();
    out.push(screened(&report));
    let mut roots: Vec<_> =
        store.orgs(Some(0)).await.unwrap().into_iter().filter(|o| o.parent_id.is_none()).collect();
    roots.sort_by_key(|o| o.id);
    assert_eq!(roots.len(), 2, "two tenants");
    for root in roots {
        let report = store.screen(&root.path, TODAY, 5, ScreenFilter::default()).await.unwrap();
        out.push(screened(&report));
        let (dashboard, orgs, _) = store.dashboard(root.id, TODAY, 2021, 0).await.unwrap();
        out.push(serde_json::to_string(&dashboard).unwrap());
        out.push(format!("{:?}", (orgs.by_kind, orgs.enterprises)));
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn citus_gives_the_same_figures_as_postgresql() {
    let Some(pg) = TestDb::new(Backend::Postgres).await else { return };
    let Some(citus) = on_citus(TestDb::new(Backend::Postgres)).await else { return };
    let keys = KeyRing::generate();
    let plain = Store::open(&pg.url, keys.clone()).await.unwrap();
    let cluster = Store::open(&citus.url, keys).await.unwrap();
    assert!(cluster.is_citus().await.unwrap() && !plain.is_citus().await.unwrap());
    load(&plain).await;
    load(&cluster).await;
    let (a, b) = (figures(&plain).await, figures(&cluster).await);
    assert!(!a[0].starts_with("0 "), "{}", a[0]);
    for (x, y) in a.iter().zip(&b) {
        assert_eq!(x, y);
    }
    // Each tenant's journal is one chain, and it verifies on the cluster as on one server.
    let (va, vb) = (plain.verify_journal(&[]).await.unwrap(), cluster.verify_journal(&[]).await.unwrap());
    assert!(vb.broken.is_none() && va.broken.is_none(), "{vb:?}");
    assert_eq!((va.chains, va.entries), (vb.chains, vb.entries));
    assert!(vb.chains >= 2, "{vb:?}");
}

/// A table, how Citus places it (`n` reference, `h` hash), on which column, and whether it
/// is co-located with `people`.
type Placement = (String, Option<String>, Option<String>, Option<bool>);

/// Every table is placed: deployment-wide ones are reference tables, `sessions` is spread by
/// its own key, and every other table is distributed by `tenant_id` in one co-location group
/// with `people`. A new table that is not placed (left on the coordinator alone) fails here.
#[tokio::test]
async fn every_table_is_born_distributed() {
    let Some(db) = on_citus(TestDb::new(Backend::Postgres)).await else { return };
    let store = db.store().await.unwrap();
    let pioneer_store::db::Db::Pg(pool) = store.db() else { panic!("Citus is PostgreSQL") };
    let placed: Vec<Placement> = sqlx::query_as(
        "SELECT c.relname::text, p.partmethod::text, a.attname::text, \
         p.colocationid = (SELECT colocationid FROM pg_dist_partition WHERE logicalrelid = 'people'::regclass) \
         FROM pg_class c LEFT JOIN pg_dist_partition p ON p.logicalrelid = c.oid \
         LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = column_to_column_name(p.logicalrelid, p.partkey) \
         WHERE c.relkind = 'r' AND c.relnamespace = current_schema()::regnamespace ORDER BY 1",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    const REFERENCE: &[&str] = &["grants", "meta", "organizations", "pioneer_migrations", "users"];
    assert!(placed.len() > 30, "{placed:?}");
    for (table, method, column, colocated) in &placed {
        match table.as_str() {
            t if REFERENCE.contains(&t) => {
                assert_eq!(method.as_deref(), Some("n"), "{t} is a reference table")
            }
            "sessions" => assert_eq!((method.as_deref(), column.as_deref()), (Some("h"), Some("id_hash"))),
            t => assert_eq!(
                (method.as_deref(), column.as_deref(), *colocated),
                (Some("h"), Some("tenant_id"), Some(true)),
                "{t} is distributed by tenant_id with people"
            ),
        }
    }
}
