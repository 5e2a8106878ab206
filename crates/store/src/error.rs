//! Errors of the storage layer: refused input (with the field and reason), missing
//! records, and database or key failures that the web layer reports as 500 without detail.

use pioneer_domain::ValidationErrors;

/// What went wrong in the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The input breaks a rule; nothing was written.
    #[error("invalid input: {0}")]
    Invalid(#[from] ValidationErrors),
    /// The record does not exist.
    #[error("not found")]
    NotFound,
    /// The database failed.
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    /// The key file does not belong to this database.
    #[error("the data key does not belong to this database (key check mismatch)")]
    WrongKeys,
    /// A stored value could not be decrypted or decoded.
    #[error("corrupt stored value in {0}")]
    Corrupt(&'static str),
    /// A backup or restore could not be made.
    #[error("backup: {0}")]
    Backup(String),
    /// A credit request was refused by the ledger's rules; nothing was written.
    #[error("credits: {0}")]
    Ledger(pioneer_domain::care::ledger::LedgerError),
    /// The benefit has no stock left; nothing was written.
    #[error("out of stock")]
    OutOfStock,
    /// The benefit's budget cannot pay for one more unit; nothing was written.
    #[error("over budget")]
    OverBudget,
    /// A quiz request was refused (window, time limit, attempts, answers); nothing was written.
    #[error("quiz: {0}")]
    Quiz(pioneer_domain::study::quiz::QuizError),
    /// Writers kept moving a journal head; the write was not made (try again).
    #[error("too many concurrent writers on one journal chain")]
    Contention,
    /// The journal's checkpoint log could not be read or written, or the journal could not
    /// be sealed.
    #[error("journal checkpoints: {0}")]
    Checkpoint(String),
    /// The database URL is not one we support.
    #[error("unsupported database URL (use sqlite:PATH or postgres://…)")]
    UnsupportedUrl,
    /// The read replica cannot be used (the reason says why).
    #[error("read replica: {0}")]
    Replica(&'static str),
    /// A migration failed or was edited after it was applied.
    #[error("migration {version}: {reason}")]
    Migration {
        /// Migration version.
        version: i64,
        /// What went wrong.
        reason: String,
    },
}

impl StoreError {
    /// Whether the database could not keep or reach the data — a full disk, an I/O error,
    /// no connection to be had, the server gone — so nothing was written and the same
    /// request may succeed later (the web answers 503, not 500).
    pub fn is_storage_fault(&self) -> bool {
        let StoreError::Database(e) = self else { return false };
        match e {
            sqlx::Error::Io(_)
            | sqlx::Error::PoolTimedOut
            | sqlx::Error::PoolClosed
            | sqlx::Error::WorkerCrashed => true,
            sqlx::Error::Database(db) => {
                let code = db.code().unwrap_or_default();
                match code.parse::<i64>() {
                    // SQLite (extended codes keep the primary one in the low byte): NOMEM 7,
                    // READONLY 8, IOERR 10, FULL 13, CANTOPEN 14.
                    Ok(n) => matches!(n & 0xff, 7 | 8 | 10 | 13 | 14),
                    // PostgreSQL classes: 08 connection, 53 insufficient resources (53100
                    // disk full), 57P operator intervention, 58 system error.
                    Err(_) => ["08", "53", "57P", "58"].iter().any(|c| code.starts_with(c)),
                }
            }
            _ => false,
        }
    }
}

impl From<pioneer_domain::FieldError> for StoreError {
    fn from(e: pioneer_domain::FieldError) -> Self {
        StoreError::Invalid(e.into())
    }
}
