//! Row digests: the fingerprint of a business row's stored state, written into the journal
//! entry of every change that wrote the row, so `pioneer check` can hold each live row to
//! the last state the journal saw.
//!
//! A digest covers every column of the row (sorted by name) with a type tag, in a form that
//! is the same on SQLite and PostgreSQL (a UUID as its 16 bytes, a boolean as 0 or 1),
//! except `org_path`, a copy of the organisation's path that moves with its organisation,
//! and `version`, a credit account's lock counter.
//! A deleted row's digest is [`DELETED`]. Only the tables in [`COVERED`] are digested.

use crate::error::StoreError;
use sha2::{Digest as _, Sha256};
use sqlx::{Column, Row, TypeInfo, ValueRef};
use uuid::Uuid;

/// A table whose rows are digested, and its key column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Covered {
    /// The table.
    pub table: &'static str,
    /// Its key column (a UUID).
    pub key: &'static str,
}

/// The tables whose rows the journal fingerprints.
pub const COVERED: &[Covered] = &[
    Covered { table: "organizations", key: "id" },
    Covered { table: "people", key: "id" },
    Covered { table: "dossiers", key: "id" },
    Covered { table: "dossier_events", key: "id" },
    Covered { table: "credit_accounts", key: "member_id" },
    Covered { table: "credit_entries", key: "id" },
    Covered { table: "care_benefits", key: "id" },
    Covered { table: "care_redemptions", key: "id" },
    Covered { table: "meetings", key: "id" },
    Covered { table: "departures", key: "person_id" },
    Covered { table: "party_discipline", key: "id" },
    Covered { table: "badges", key: "id" },
];

/// The digest recorded for a row a change deleted.
pub const DELETED: &str = "-";

/// Columns left out of a digest: copies of another row's value kept for indexes, and
/// counters taken only to lock a row.
const DERIVED: &[&str] = &["org_path", "version"];

/// The key column of a covered table.
pub fn key_of(table: &str) -> Option<&'static str> {
    COVERED.iter().find(|c| c.table == table).map(|c| c.key)
}

/// One column's value in canonical form.
enum Canon {
    Null,
    Int(i64),
    Real(f64),
    Text(String),
    Bytes(Vec<u8>),
}

fn finish(mut cols: Vec<(String, Canon)>) -> String {
    cols.sort_by(|a, b| a.0.cmp(&b.0));
    let mut h = Sha256::new();
    for (name, v) in cols {
        h.update((name.len() as u64).to_be_bytes());
        h.update(name.as_bytes());
        let (tag, bytes): (u8, Vec<u8>) = match v {
            Canon::Null => (b'n', Vec::new()),
            Canon::Int(i) => (b'i', i.to_string().into_bytes()),
            Canon::Real(f) => (b'r', f.to_bits().to_be_bytes().to_vec()),
            Canon::Text(s) => (b't', s.into_bytes()),
            Canon::Bytes(b) => (b'b', b),
        };
        h.update([tag]);
        h.update((bytes.len() as u64).to_be_bytes());
        h.update(&bytes);
    }
    hex::encode(&h.finalize()[..16])
}

/// The digest of an SQLite row (every column of `SELECT *`).
pub fn of_sqlite_row(row: &sqlx::sqlite::SqliteRow) -> Result<String, StoreError> {
    let mut cols = Vec::with_capacity(row.len());
    for (i, c) in row.columns().iter().enumerate() {
        if DERIVED.contains(&c.name()) {
            continue;
        }
        let raw = row.try_get_raw(i)?;
        let v = if raw.is_null() {
            Canon::Null
        } else {
            match raw.type_info().name() {
                "INTEGER" | "BOOLEAN" => Canon::Int(row.try_get(i)?),
                "REAL" => Canon::Real(row.try_get(i)?),
                "BLOB" => Canon::Bytes(row.try_get(i)?),
                _ => Canon::Text(row.try_get(i)?),
            }
        };
        cols.push((c.name().to_owned(), v));
    }
    Ok(finish(cols))
}

/// The digest of a PostgreSQL row (every column of `SELECT *`).
pub fn of_pg_row(row: &sqlx::postgres::PgRow) -> Result<String, StoreError> {
    let mut cols = Vec::with_capacity(row.len());
    for (i, c) in row.columns().iter().enumerate() {
        if DERIVED.contains(&c.name()) {
            continue;
        }
        let raw = row.try_get_raw(i)?;
        let v = if raw.is_null() {
            Canon::Null
        } else {
            match c.type_info().name() {
                "UUID" => Canon::Bytes(row.try_get::<Uuid, _>(i)?.as_bytes().to_vec()),
                "BOOL" => Canon::Int(i64::from(row.try_get::<bool, _>(i)?)),
                "INT8" => Canon::Int(row.try_get(i)?),
                "INT4" => Canon::Int(i64::from(row.try_get::<i32, _>(i)?)),
                "INT2" => Canon::Int(i64::from(row.try_get::<i16, _>(i)?)),
                "FLOAT8" => Canon::Real(row.try_get(i)?),
                "BYTEA" => Canon::Bytes(row.try_get(i)?),
                _ => Canon::Text(row.try_get(i)?),
            }
        };
        cols.push((c.name().to_owned(), v));
    }
    Ok(finish(cols))
}

/// A row's digest, whichever backend returned it.
pub(crate) trait DigestRow {
    /// The digest of every column of the row.
    fn digest(&self) -> Result<String, StoreError>;
}

impl DigestRow for sqlx::sqlite::SqliteRow {
    fn digest(&self) -> Result<String, StoreError> {
        of_sqlite_row(self)
    }
}

impl DigestRow for sqlx::postgres::PgRow {
    fn digest(&self) -> Result<String, StoreError> {
        of_pg_row(self)
    }
}

/// The rows of one table whose digests a change records, at most this many a statement.
const CHUNK: usize = 500;

/// Reads the rows a change wrote (inside its transaction) and returns the `row_digests`
/// text of its journal entry: JSON `[[table, id, digest], ...]`, `""` when none.
pub(crate) trait RowDigests {
    /// The digests of `rows` of tenant `tenant` as they now stand.
    async fn row_digests(
        &mut self,
        tenant: Uuid,
        rows: &[(&'static str, Uuid)],
    ) -> Result<String, StoreError>;
}

macro_rules! row_digests_impl {
    ($conn:ty) => {
        impl RowDigests for $conn {
            async fn row_digests(
                &mut self,
                tenant: Uuid,
                rows: &[(&'static str, Uuid)],
            ) -> Result<String, StoreError> {
                if rows.is_empty() {
                    return Ok(String::new());
                }
                let mut out: Vec<(&'static str, Uuid, String)> = Vec::with_capacity(rows.len());
                let mut tables: Vec<&'static str> = rows.iter().map(|r| r.0).collect();
                tables.sort_unstable();
                tables.dedup();
                for table in tables {
                    let key = key_of(table).ok_or(StoreError::Corrupt("row digest of an uncovered table"))?;
                    let ids: Vec<Uuid> = rows.iter().filter(|r| r.0 == table).map(|r| r.1).collect();
                    for part in ids.chunks(CHUNK) {
                        let marks: Vec<String> = (0..part.len()).map(|i| format!("${}", i + 2)).collect();
                        let sql = format!(
                            "SELECT * FROM {table} WHERE tenant_id = $1 AND {key} IN ({})",
                            marks.join(", ")
                        );
                        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(tenant);
                        for id in part {
                            q = q.bind(*id);
                        }
                        let found = q.fetch_all(&mut *self).await?;
                        let mut seen = std::collections::HashMap::with_capacity(found.len());
                        for r in &found {
                            seen.insert(r.try_get::<Uuid, _>(key)?, r.digest()?);
                        }
                        for id in part {
                            let d = seen.remove(id).unwrap_or_else(|| DELETED.to_owned());
                            out.push((table, *id, d));
                        }
                    }
                }
                out.sort();
                out.dedup();
                Ok(serde_json::to_string(
                    &out.iter().map(|(t, id, d)| (t, id.to_string(), d)).collect::<Vec<_>>(),
                )
                .unwrap_or_default())
            }
        }
    };
}

row_digests_impl!(sqlx::SqliteConnection);
row_digests_impl!(sqlx::PgConnection);

/// Parses an entry's `row_digests` text.
pub fn parse(text: &str) -> Option<Vec<(String, Uuid, String)>> {
    if text.is_empty() {
        return Some(Vec::new());
    }
    serde_json::from_str(text).ok()
}
