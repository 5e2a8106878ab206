//! Storage of pioneer: one SQL dialect that runs on SQLite (the embedded default) and on
//! PostgreSQL, forward-only migrations, and encryption of ID and phone numbers at rest.
//!
//! Reach for [`Store`]: open it with [`Store::open`], then use its organisation
//! ([`orgs`]) and people ([`people`]) methods. Time enters as a value (`now`, `today`);
//! nothing here reads a clock.

pub mod accounts;
pub mod backup;
pub mod bulk;
pub mod care;
pub mod check;
pub mod checkpoint;
pub mod city;
pub mod db;
pub mod development;
pub mod digest;
pub mod dues;
pub mod error;
pub mod journal;
pub mod manifest;
pub mod migrate;
pub mod orglife;
pub mod orgs;
pub mod people;
pub mod rekey;
pub mod service;
pub mod stats;
pub mod study;
pub mod tenancy;
pub mod testing;
pub mod vault;

pub use db::{Backend, Db};
pub use error::StoreError;
pub use journal::Act;
pub use vault::{KeyRing, Vault};

/// The store: a database and the keys for its sensitive columns.
#[derive(Clone)]
pub struct Store {
    db: Db,
    vault: Vault,
    quiz_cache: std::sync::Arc<study::quiz::QuizCache>,
    stats_cache: std::sync::Arc<stats::StatsCache>,
    /// The database is a Citus cluster's coordinator (read once at open).
    distributed: bool,
    /// Where signed checkpoints of the journal go (outside the database).
    checkpoints: Option<checkpoint::CheckpointLog>,
    /// A read-only standby of a PostgreSQL primary, for the long reads (see [`Store::reader`]).
    replica: Option<Db>,
    /// Items a long operation has done (see [`Store::counting`]).
    done: Option<std::sync::Arc<std::sync::atomic::AtomicU64>>,
}

impl Store {
    /// Connects to `url` (`sqlite:…` or `postgres://…`), runs the migrations and checks
    /// that `keys` belong to this database.
    pub async fn open(url: &str, keys: KeyRing) -> Result<Self, StoreError> {
        let db = Db::connect(url).await?;
        migrate::run(&db).await?;
        let vault = Vault::new(keys);
        let mut store = Self {
            db,
            vault,
            quiz_cache: Default::default(),
            stats_cache: Default::default(),
            distributed: false,
            checkpoints: None,
            replica: None,
            done: None,
        };
        store.distributed = store.is_citus().await?;
        store.check_keys().await?;
        Ok(store)
    }

    /// True on a Citus cluster (where a query may only join tables placed together).
    pub fn distributed(&self) -> bool {
        self.distributed
    }

    /// The database.
    pub fn db(&self) -> &Db {
        &self.db
    }

    /// Adds a read replica (a streaming standby of this PostgreSQL database, `url`): the
    /// statistics snapshots, screening and roster exports read from it, every other read
    /// and every write from the primary, so a page shows its own writes at once. Refused
    /// for SQLite (a file has no standby) and for a replica that is not in recovery (a
    /// second primary would drift apart silently).
    pub async fn with_replica(mut self, url: &str) -> Result<Self, StoreError> {
        if self.db.backend() != Backend::Postgres {
            return Err(StoreError::Replica("a read replica needs PostgreSQL as the database"));
        }
        // Checked before connecting: `Db::connect` would create a file for an SQLite URL.
        if !(url.starts_with("postgres://") || url.starts_with("postgresql://")) {
            return Err(StoreError::Replica("the read replica must be a PostgreSQL URL"));
        }
        let replica = Db::connect(url).await?;
        let Db::Pg(pool) = &replica else { return Err(StoreError::UnsupportedUrl) };
        let standby: bool = sqlx::query_scalar("SELECT pg_is_in_recovery()").fetch_one(pool).await?;
        if !standby {
            return Err(StoreError::Replica(
                "the read replica is not a standby (pg_is_in_recovery() is false)",
            ));
        }
        self.replica = Some(replica);
        Ok(self)
    }

    /// This store with a count the long operations raise as they go — dossiers screened,
    /// rows checked, journal entries verified — for a progress display to read.
    pub fn counting(&self) -> (Self, std::sync::Arc<std::sync::atomic::AtomicU64>) {
        let done = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0));
        (Self { done: Some(done.clone()), ..self.clone() }, done)
    }

    /// Adds `n` to the count of [`Store::counting`], when there is one.
    pub(crate) fn count(&self, n: u64) {
        if let Some(done) = &self.done {
            done.fetch_add(n, std::sync::atomic::Ordering::Relaxed);
        }
    }

    /// Where the long reads go: the replica when there is one, else the database itself.
    /// What a reader sees there may be a moment behind the primary.
    pub fn reader(&self) -> &Db {
        self.replica.as_ref().unwrap_or(&self.db)
    }

    /// The vault for sensitive values.
    pub fn vault(&self) -> &Vault {
        &self.vault
    }

    /// A cheap query proving the database answers (for `/readyz`).
    pub async fn ping(&self) -> Result<(), StoreError> {
        on_db!(&self.db, pool => {
            sqlx::query("SELECT 1").execute(pool).await?;
        });
        Ok(())
    }

    /// A write the database must make durable: the readiness probe. A full disk or a
    /// read-only database fails it where a read would still answer.
    pub async fn probe_write(&self, now_ms: i64) -> Result<(), StoreError> {
        on_db!(&self.db, pool => {
            let mut tx = crate::db::BeginWrite::begin_write(pool).await?;
            sqlx::query(
                "INSERT INTO meta (key, value) VALUES ('ready_probe', $1) \
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            )
            .bind(now_ms.to_string())
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// Whether the database holds the demo deployment.
    pub async fn is_demo(&self) -> Result<bool, StoreError> {
        Ok(self.meta("demo").await?.is_some())
    }

    /// Reads a metadata value.
    pub async fn meta(&self, key: &str) -> Result<Option<String>, StoreError> {
        let value: Option<String> = on_db!(&self.db, pool => {
            sqlx::query_scalar("SELECT value FROM meta WHERE key = $1")
                .bind(key)
                .fetch_optional(pool)
                .await?
        });
        Ok(value)
    }

    /// Writes a metadata value (insert or replace).
    pub async fn set_meta(&self, key: &str, value: &str) -> Result<(), StoreError> {
        on_db!(&self.db, pool => {
            sqlx::query(
                "INSERT INTO meta (key, value) VALUES ($1, $2) \
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            )
            .bind(key)
            .bind(value)
            .execute(pool)
            .await?;
        });
        Ok(())
    }

    /// The key check value stored at first start must match the keys in use: a wrong key
    /// file would otherwise make every stored ID number unreadable.
    async fn check_keys(&self) -> Result<(), StoreError> {
        let mine = self.vault.key_check();
        match self.meta("key_check").await? {
            Some(stored) if stored == mine => Ok(()),
            Some(_) => Err(StoreError::WrongKeys),
            None => {
                let people: i64 = on_db!(&self.db, pool => {
                    sqlx::query_scalar("SELECT COUNT(*) FROM people").fetch_one(pool).await?
                });
                if people > 0 {
                    return Err(StoreError::WrongKeys);
                }
                self.set_meta("key_check", &mine).await
            }
        }
    }
}
