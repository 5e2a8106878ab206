//! Forward-only migrations, embedded in the binary, one folder per backend kept in step
//! (a test compares the tables and columns they produce).
//!
//! Our own small runner rather than sqlx's: it takes no advisory lock (distributed
//! PostgreSQL variants lack them) and refuses a migration edited after it was applied.

use crate::db::{BeginWrite, Db};
use crate::error::StoreError;
use crate::on_db;
use sha2::{Digest, Sha256};

struct Migration {
    version: i64,
    name: &'static str,
    sqlite: &'static str,
    postgres: &'static str,
}

const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        name: "foundation",
        sqlite: include_str!("../migrations/sqlite/0001_foundation.sql"),
        postgres: include_str!("../migrations/postgres/0001_foundation.sql"),
    },
    Migration {
        version: 2,
        name: "accounts",
        sqlite: include_str!("../migrations/sqlite/0002_accounts.sql"),
        postgres: include_str!("../migrations/postgres/0002_accounts.sql"),
    },
    Migration {
        version: 3,
        name: "dossiers",
        sqlite: include_str!("../migrations/sqlite/0003_dossiers.sql"),
        postgres: include_str!("../migrations/postgres/0003_dossiers.sql"),
    },
    Migration {
        version: 4,
        name: "credits",
        sqlite: include_str!("../migrations/sqlite/0004_credits.sql"),
        postgres: include_str!("../migrations/postgres/0004_credits.sql"),
    },
    Migration {
        version: 5,
        name: "meetings",
        sqlite: include_str!("../migrations/sqlite/0005_meetings.sql"),
        postgres: include_str!("../migrations/postgres/0005_meetings.sql"),
    },
    Migration {
        version: 6,
        name: "study",
        sqlite: include_str!("../migrations/sqlite/0006_study.sql"),
        postgres: include_str!("../migrations/postgres/0006_study.sql"),
    },
    Migration {
        version: 7,
        name: "departures",
        sqlite: include_str!("../migrations/sqlite/0007_departures.sql"),
        postgres: include_str!("../migrations/postgres/0007_departures.sql"),
    },
    Migration {
        version: 8,
        name: "discipline",
        sqlite: include_str!("../migrations/sqlite/0008_discipline.sql"),
        postgres: include_str!("../migrations/postgres/0008_discipline.sql"),
    },
    Migration {
        version: 9,
        name: "care_tenancy",
        sqlite: include_str!("../migrations/sqlite/0009_care_tenancy.sql"),
        postgres: include_str!("../migrations/postgres/0009_care_tenancy.sql"),
    },
    Migration {
        version: 10,
        name: "bank_owners",
        sqlite: include_str!("../migrations/sqlite/0010_bank_owners.sql"),
        postgres: include_str!("../migrations/postgres/0010_bank_owners.sql"),
    },
    Migration {
        version: 11,
        name: "objections",
        sqlite: include_str!("../migrations/sqlite/0011_objections.sql"),
        postgres: include_str!("../migrations/postgres/0011_objections.sql"),
    },
    Migration {
        version: 12,
        name: "security_admin",
        sqlite: include_str!("../migrations/sqlite/0012_security_admin.sql"),
        postgres: include_str!("../migrations/postgres/0012_security_admin.sql"),
    },
    Migration {
        version: 13,
        name: "images",
        sqlite: include_str!("../migrations/sqlite/0013_images.sql"),
        postgres: include_str!("../migrations/postgres/0013_images.sql"),
    },
    Migration {
        version: 14,
        name: "tenant_keys",
        sqlite: include_str!("../migrations/sqlite/0014_tenant_keys.sql"),
        postgres: include_str!("../migrations/postgres/0014_tenant_keys.sql"),
    },
    Migration {
        version: 15,
        name: "id_indexes",
        sqlite: include_str!("../migrations/sqlite/0015_id_indexes.sql"),
        postgres: include_str!("../migrations/postgres/0015_id_indexes.sql"),
    },
    Migration {
        version: 16,
        name: "journal_reading",
        sqlite: include_str!("../migrations/sqlite/0016_journal_reading.sql"),
        postgres: include_str!("../migrations/postgres/0016_journal_reading.sql"),
    },
    Migration {
        version: 17,
        name: "applications_reflections",
        sqlite: include_str!("../migrations/sqlite/0017_applications_reflections.sql"),
        postgres: include_str!("../migrations/postgres/0017_applications_reflections.sql"),
    },
    Migration {
        version: 18,
        name: "journal_keys_row_digests",
        sqlite: include_str!("../migrations/sqlite/0018_journal_keys_row_digests.sql"),
        postgres: include_str!("../migrations/postgres/0018_journal_keys_row_digests.sql"),
    },
    Migration {
        version: 19,
        name: "volunteer_service",
        sqlite: include_str!("../migrations/sqlite/0019_volunteer_service.sql"),
        postgres: include_str!("../migrations/postgres/0019_volunteer_service.sql"),
    },
    Migration {
        version: 20,
        name: "campaigns_donations",
        sqlite: include_str!("../migrations/sqlite/0020_campaigns_donations.sql"),
        postgres: include_str!("../migrations/postgres/0020_campaigns_donations.sql"),
    },
    Migration {
        version: 21,
        name: "service_messages",
        sqlite: include_str!("../migrations/sqlite/0021_service_messages.sql"),
        postgres: include_str!("../migrations/postgres/0021_service_messages.sql"),
    },
    Migration {
        version: 22,
        name: "city_side",
        sqlite: include_str!("../migrations/sqlite/0022_city_side.sql"),
        postgres: include_str!("../migrations/postgres/0022_city_side.sql"),
    },
    Migration {
        version: 23,
        name: "directory_by_name",
        sqlite: include_str!("../migrations/sqlite/0023_directory_by_name.sql"),
        postgres: include_str!("../migrations/postgres/0023_directory_by_name.sql"),
    },
    Migration {
        version: 24,
        name: "branch_housekeeping",
        sqlite: include_str!("../migrations/sqlite/0024_branch_housekeeping.sql"),
        postgres: include_str!("../migrations/postgres/0024_branch_housekeeping.sql"),
    },
];

const CREATE_TABLE: &str = "CREATE TABLE IF NOT EXISTS pioneer_migrations (\
    version BIGINT PRIMARY KEY NOT NULL, name TEXT NOT NULL, checksum TEXT NOT NULL)";

/// Applies every migration not yet applied, each in its own transaction.
pub async fn run(db: &Db) -> Result<(), StoreError> {
    on_db!(db, pool => {
        sqlx::query(CREATE_TABLE).execute(pool).await?;
        for m in MIGRATIONS {
            let sql = match db.backend() {
                crate::Backend::Sqlite => m.sqlite,
                crate::Backend::Postgres => m.postgres,
            };
            let checksum = hex::encode(Sha256::digest(sql.as_bytes()));
            let mut tx = pool.begin_write().await?;
            let applied: Option<String> =
                sqlx::query_scalar("SELECT checksum FROM pioneer_migrations WHERE version = $1")
                    .bind(m.version)
                    .fetch_optional(&mut *tx)
                    .await?;
            match applied {
                Some(c) if c == checksum => continue,
                Some(_) => {
                    return Err(StoreError::Migration {
                        version: m.version,
                        reason: "edited after it was applied".into(),
                    })
                }
                None => {}
            }
            sqlx::raw_sql(sql).execute(&mut *tx).await.map_err(|e| StoreError::Migration {
                version: m.version,
                reason: e.to_string(),
            })?;
            sqlx::query("INSERT INTO pioneer_migrations (version, name, checksum) VALUES ($1, $2, $3)")
                .bind(m.version)
                .bind(m.name)
                .bind(&checksum)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            tracing::info!(version = m.version, name = m.name, "migration applied");
        }
    });
    Ok(())
}

/// `(table, column, not null)` of every application table, sorted, for comparing backends.
pub async fn columns(db: &Db) -> Result<Vec<(String, String, bool)>, StoreError> {
    let mut out: Vec<(String, String, bool)> = match db {
        Db::Sqlite(pool) => {
            sqlx::query_as::<_, (String, String, bool)>(
                "SELECT m.name, p.name, p.\"notnull\" FROM sqlite_master m, pragma_table_info(m.name) p \
                 WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'",
            )
            .fetch_all(pool)
            .await?
        }
        Db::Pg(pool) => sqlx::query_as::<_, (String, String, bool)>(
            "SELECT table_name::text, column_name::text, is_nullable = 'NO' FROM information_schema.columns \
                 WHERE table_schema = current_schema()",
        )
        .fetch_all(pool)
        .await?,
    };
    out.sort();
    Ok(out)
}
