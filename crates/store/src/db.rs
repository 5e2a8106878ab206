//! The database handle: one enum over a SQLite and a PostgreSQL pool, and the
//! [`on_db!`](crate::on_db) macro that runs the same SQL text on either.
//!
//! We do not use sqlx's `Any` driver: it fails at run time on UUID and timestamp columns.

use crate::error::StoreError;
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use sqlx::{ConnectOptions, Connection};
use std::str::FromStr;
use std::time::Duration;

/// A connection pool to one of the supported databases.
#[derive(Clone, Debug)]
pub enum Db {
    /// The embedded default.
    Sqlite(SqlitePool),
    /// PostgreSQL, for larger deployments.
    Pg(PgPool),
}

/// Which database a [`Db`] talks to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    /// SQLite.
    Sqlite,
    /// PostgreSQL.
    Postgres,
}

impl Backend {
    /// `sqlite` or `postgres`.
    pub fn code(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }
}

/// Runs `$body` with `$pool` bound to the concrete pool; the body is compiled once per
/// backend, so row decoding type-checks against each driver.
#[macro_export]
macro_rules! on_db {
    ($db:expr, $pool:ident => $body:expr) => {
        match $db {
            $crate::db::Db::Sqlite($pool) => $body,
            $crate::db::Db::Pg($pool) => $body,
        }
    };
}

impl Db {
    /// Connects to `sqlite:PATH` (created if missing, WAL, `synchronous=FULL`) or
    /// `postgres://…`.
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        if url.starts_with("sqlite:") {
            let opts = SqliteConnectOptions::from_str(url)?
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Full)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(10))
                .pragma("cache_size", "-8000")
                // A statement's own undo journal (a multi-row insert inside a transaction
                // has one) kept in memory, not written to a temporary file.
                .pragma("temp_store", "memory")
                // Statements never reach the log: they may carry personal data, and bulk
                // inserts would flood it.
                .disable_statement_logging();
            // A connection still inside a transaction (its rollback failed, as on a full disk)
            // is closed, never handed out again half-way through one.
            // No ping before each use: a file cannot hang up, and the ping is a round trip to
            // the connection's thread on every query.
            let pool = SqlitePoolOptions::new()
                .max_connections(8)
                .min_connections(1)
                .test_before_acquire(false)
                .after_release(|conn, _| Box::pin(async move { Ok(!conn.is_in_transaction()) }))
                .before_acquire(|conn, _| Box::pin(async move { Ok(!conn.is_in_transaction()) }))
                .connect_with(opts)
                .await?;
            Ok(Db::Sqlite(pool))
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let opts = PgConnectOptions::from_str(url)?.disable_statement_logging();
            let pool = PgPoolOptions::new()
                .max_connections(16)
                .acquire_timeout(Duration::from_secs(10))
                .after_release(|conn, _| Box::pin(async move { Ok(!conn.is_in_transaction()) }))
                .connect_with(opts)
                .await?;
            Ok(Db::Pg(pool))
        } else {
            Err(StoreError::UnsupportedUrl)
        }
    }

    /// Which backend this is.
    pub fn backend(&self) -> Backend {
        match self {
            Db::Sqlite(_) => Backend::Sqlite,
            Db::Pg(_) => Backend::Postgres,
        }
    }

    /// Closes every connection (SQLite then checkpoints its WAL).
    pub async fn close(&self) {
        on_db!(self, pool => pool.close().await);
    }
}

/// Starts a write transaction: `BEGIN IMMEDIATE` on SQLite, so two writers queue on the
/// busy timeout instead of failing when a read lock is upgraded.
pub trait BeginWrite {
    /// The database type.
    type Database: sqlx::Database;
    /// Begins the transaction.
    fn begin_write(
        &self,
    ) -> impl std::future::Future<Output = Result<sqlx::Transaction<'static, Self::Database>, sqlx::Error>> + Send;
}

impl BeginWrite for SqlitePool {
    type Database = sqlx::Sqlite;
    fn begin_write(
        &self,
    ) -> impl std::future::Future<Output = Result<sqlx::Transaction<'static, sqlx::Sqlite>, sqlx::Error>> + Send
    {
        self.begin_with("BEGIN IMMEDIATE")
    }
}

impl BeginWrite for PgPool {
    type Database = sqlx::Postgres;
    fn begin_write(
        &self,
    ) -> impl std::future::Future<Output = Result<sqlx::Transaction<'static, sqlx::Postgres>, sqlx::Error>> + Send
    {
        self.begin()
    }
}

/// `n` parameter placeholders numbered from `first`, comma-separated: `?` for SQLite (its
/// driver looks a numbered parameter up by name in a list, which makes a statement's cost
/// grow with the square of its parameters), `$k` for PostgreSQL.
pub(crate) fn placeholders(sqlite: bool, first: usize, n: usize) -> String {
    (first..first + n)
        .map(|k| if sqlite { "?".to_owned() } else { format!("${k}") })
        .collect::<Vec<_>>()
        .join(",")
}

/// `rows` rows of `columns` placeholders each, `(…),(…)`, numbered from 1: the values of a
/// multi-row statement.
pub(crate) fn value_rows(sqlite: bool, columns: usize, rows: usize) -> String {
    (0..rows)
        .map(|r| format!("({})", placeholders(sqlite, r * columns + 1, columns)))
        .collect::<Vec<_>>()
        .join(",")
}
