//! Throw-away databases for tests: a fresh SQLite file, a fresh PostgreSQL database
//! when `PIONEER_TEST_POSTGRES_URL` is set, or a fresh schema on a Citus cluster's
//! coordinator when `PIONEER_TEST_CITUS_URL` is set. Each is removed when its guard drops.
//!
//! Reach for [`TestDb`] to get a database, and for [`on_both!`](crate::on_both) to run
//! one test body on both backends.

use crate::db::Backend;
use crate::{KeyRing, Store, StoreError};
use std::path::PathBuf;
use uuid::Uuid;

/// The variable that turns the PostgreSQL suite on.
pub const POSTGRES_ENV: &str = "PIONEER_TEST_POSTGRES_URL";

/// The variable that turns the Citus suite on: the URL of a Citus coordinator's database
/// with the `citus` extension and its workers (`../shared/vendor/citus/citus-ci.sh`).
pub const CITUS_ENV: &str = "PIONEER_TEST_CITUS_URL";

tokio::task_local! {
    /// Set for the `citus::` copy of an [`on_both!`](crate::on_both) scenario: its
    /// PostgreSQL databases are made on the Citus cluster.
    static ON_CITUS: bool;
}

/// Runs `body` with its PostgreSQL test databases made on the Citus cluster (used by
/// [`on_both!`](crate::on_both)'s `citus::` copies).
pub async fn on_citus<F: std::future::Future>(body: F) -> F::Output {
    ON_CITUS.scope(true, body).await
}

/// True inside [`on_citus`]: a scenario can say which engine it runs on.
pub fn is_citus() -> bool {
    ON_CITUS.try_with(|c| *c).unwrap_or(false)
}

/// A database that lives as long as this guard.
pub struct TestDb {
    /// The URL to open it with.
    pub url: String,
    cleanup: Cleanup,
}

enum Cleanup {
    Dir(PathBuf),
    Postgres { admin_url: String, name: String },
    CitusSchema { admin_url: String, name: String },
}

impl TestDb {
    /// A fresh database on `backend`, or `None` (with a note on stderr) when the
    /// PostgreSQL suite is not configured.
    pub async fn new(backend: Backend) -> Option<Self> {
        let tag = Uuid::now_v7().simple().to_string();
        match backend {
            Backend::Sqlite => {
                let dir = std::env::temp_dir().join(format!("pioneer-test-{tag}"));
                std::fs::create_dir_all(&dir).ok()?;
                let url = format!("sqlite:{}", dir.join("pioneer.sqlite3").display());
                Some(Self { url, cleanup: Cleanup::Dir(dir) })
            }
            Backend::Postgres if is_citus() => {
                let Ok(admin_url) = std::env::var(CITUS_ENV) else {
                    say_skipped(CITUS_ENV, "Citus");
                    return None;
                };
                // One database holds the cluster's metadata: each test gets a schema there
                // (Citus propagates it to the workers), found through the search path.
                let name = format!("pioneer_t_{tag}");
                admin_execute(&admin_url, format!("CREATE SCHEMA \"{name}\"")).await?;
                let sep = if admin_url.contains('?') { '&' } else { '?' };
                // Four shards per table in tests (two per worker) keep a migration near one second.
                let url =
                    format!("{admin_url}{sep}options=-c%20search_path%3D{name}%20-c%20citus.shard_count%3D4");
                Some(Self { url, cleanup: Cleanup::CitusSchema { admin_url, name } })
            }
            Backend::Postgres => {
                let Ok(admin_url) = std::env::var(POSTGRES_ENV) else {
                    say_skipped(POSTGRES_ENV, "PostgreSQL");
                    return None;
                };
                let name = format!("pioneer_t_{tag}");
                admin_execute(&admin_url, format!("CREATE DATABASE \"{name}\"")).await?;
                let url = replace_db_name(&admin_url, &name);
                Some(Self { url, cleanup: Cleanup::Postgres { admin_url, name } })
            }
        }
    }

    /// Opens a [`Store`] on this database with fresh keys.
    pub async fn store(&self) -> Result<Store, StoreError> {
        Store::open(&self.url, KeyRing::generate()).await
    }

    /// The SQLite file's directory (None on PostgreSQL).
    pub fn dir(&self) -> Option<&PathBuf> {
        match &self.cleanup {
            Cleanup::Dir(d) => Some(d),
            Cleanup::Postgres { .. } | Cleanup::CitusSchema { .. } => None,
        }
    }
}

/// Runs one statement on the server at `admin_url` (making or dropping a test database or
/// schema); None when it could not.
async fn admin_execute(admin_url: &str, sql: String) -> Option<()> {
    let admin = sqlx::PgPool::connect(admin_url).await.ok()?;
    let done = sqlx::query(sqlx::AssertSqlSafe(sql)).execute(&admin).await.ok().map(|_| ());
    admin.close().await;
    done
}

/// Says once per test binary and engine, past the test harness's output capture, that
/// the cases on that engine were skipped.
fn say_skipped(var: &str, engine: &str) {
    static PG: std::sync::Once = std::sync::Once::new();
    static CITUS: std::sync::Once = std::sync::Once::new();
    let once = if var == CITUS_ENV { &CITUS } else { &PG };
    once.call_once(|| {
        use std::io::Write;
        let _ = writeln!(
            std::io::stderr(),
            "skipped: {var} is not set, so the {engine} cases of this suite pass without running"
        );
    });
}

/// `postgres://u@h:p/db?x` with the database name replaced.
pub fn replace_db_name(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let after_scheme = base.find("://").map_or(0, |i| i + 3);
    let root = match base[after_scheme..].find('/') {
        Some(i) => &base[..after_scheme + i],
        None => base,
    };
    match query {
        Some(q) => format!("{root}/{name}?{q}"),
        None => format!("{root}/{name}"),
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        match &self.cleanup {
            Cleanup::Dir(d) => {
                let _ = std::fs::remove_dir_all(d);
            }
            Cleanup::Postgres { admin_url, name } | Cleanup::CitusSchema { admin_url, name } => {
                let sql = match &self.cleanup {
                    Cleanup::CitusSchema { .. } => format!("DROP SCHEMA IF EXISTS \"{name}\" CASCADE"),
                    _ => format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"),
                };
                let admin_url = admin_url.clone();
                // Drop runs inside the test's runtime: use a thread with its own.
                let _ = std::thread::spawn(move || {
                    let Ok(rt) = tokio::runtime::Builder::new_current_thread().enable_all().build() else {
                        return;
                    };
                    rt.block_on(admin_execute(&admin_url, sql));
                })
                .join();
            }
        }
    }
}

/// Registers each named scenario three times, as `sqlite::NAME`, `postgres::NAME` and
/// `citus::NAME` (PostgreSQL on a Citus cluster), so the same body runs on every engine.
/// Every store and web test binary uses this one macro.
///
/// Each `NAME` is an `async fn` of the calling module. It takes the [`Backend`] and opens
/// its own database with [`TestDb::new`]; or, after `with SETUP;`, it takes what
/// `SETUP(backend)` gives (an `async fn(Backend) -> Option<T>` resolved in the calling
/// module, such as the web tests' `TestApp::new`). When `PIONEER_TEST_POSTGRES_URL` is not
/// set, [`TestDb::new`] says `skipped: …` once on stderr and returns `None`: the test
/// returns early and the PostgreSQL cases pass without running.
///
/// An optional first attribute replaces the default `#[tokio::test]`, for scenarios that
/// need several worker threads.
///
/// ```
/// use pioneer_store::Backend;
/// use pioneer_store::testing::TestDb;
///
/// pioneer_store::on_both!(
///     #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
///     a_fresh_database_opens,
/// );
///
/// async fn a_fresh_database_opens(backend: Backend) {
///     let Some(db) = TestDb::new(backend).await else { return };
///     assert!(db.store().await.is_ok());
/// }
///
/// // With a setup (the web tests use `with TestApp::new;`): the scenario takes what it gives.
/// mod with_setup {
///     use pioneer_store::Backend;
///     use pioneer_store::testing::TestDb;
///
///     async fn fresh(backend: Backend) -> Option<TestDb> {
///         TestDb::new(backend).await
///     }
///
///     pioneer_store::on_both!(with fresh; a_store_opens);
///
///     async fn a_store_opens(db: TestDb) {
///         assert!(db.store().await.is_ok());
///     }
/// }
/// # fn main() {}
/// ```
#[macro_export]
macro_rules! on_both {
    (#[$test:meta] with $setup:path; $($name:ident),+ $(,)?) => {
        mod sqlite {
            use super::*;
            $(#[$test] async fn $name() {
                if let Some(given) = $setup($crate::Backend::Sqlite).await { super::$name(given).await }
            })+
        }
        mod postgres {
            use super::*;
            $(#[$test] async fn $name() {
                if let Some(given) = $setup($crate::Backend::Postgres).await { super::$name(given).await }
            })+
        }
        mod citus {
            use super::*;
            $(#[$test] async fn $name() {
                $crate::testing::on_citus(async {
                    if let Some(given) = $setup($crate::Backend::Postgres).await { super::$name(given).await }
                }).await
            })+
        }
    };
    (#[$test:meta] $($name:ident),+ $(,)?) => {
        mod sqlite { $(#[$test] async fn $name() { super::$name($crate::Backend::Sqlite).await })+ }
        mod postgres { $(#[$test] async fn $name() { super::$name($crate::Backend::Postgres).await })+ }
        mod citus {
            $(#[$test] async fn $name() {
                $crate::testing::on_citus(super::$name($crate::Backend::Postgres)).await
            })+
        }
    };
    (with $setup:path; $($name:ident),+ $(,)?) => {
        $crate::on_both!(#[tokio::test] with $setup; $($name),+);
    };
    ($($name:ident),+ $(,)?) => {
        $crate::on_both!(#[tokio::test] $($name),+);
    };
}
