//! Backup and restore of a whole database.
//!
//! SQLite: `VACUUM INTO` writes a consistent copy while the server keeps running (the SQL
//! face of SQLite's online backup; never a file copy, which can catch a half-written WAL).
//! Restore attaches the backup and replaces every table in one transaction.
//! PostgreSQL: `pg_dump --format=custom` (one consistent snapshot) and `pg_restore
//! --single-transaction`. The data key is not in a backup: restore needs the same key file.
//! Every backup gets a signed manifest (`manifest.rs`) that a restore verifies first; a
//! restore is journaled, with how many entries written since the backup it discarded.

use crate::db::Db;
use crate::error::StoreError;
use crate::{Store, on_db};
use std::path::Path;

/// Tables in the order they are refilled (parents before children).
pub const TABLES: &[&str] = &[
    "meta",
    "organizations",
    "people",
    "users",
    "grants",
    "sessions",
    "journal_heads",
    "journal",
    "dossiers",
    "dossier_events",
    "dev_settings",
    "training_classes",
    "training_attendance",
    "contact_links",
    "contact_visits",
    "credit_accounts",
    "credit_entries",
    "care_benefits",
    "meetings",
    "meeting_attendance",
    "orglife_settings",
    "courses",
    "course_reach",
    "quiz_questions",
    "quizzes",
    "quiz_attempts",
    "org_credit_rules",
    "care_redemptions",
    "departures",
    "party_discipline",
    "objections",
    "images",
    "applications",
    "reflections",
    "map_districts",
    "places",
    "volunteer_teams",
    "volunteers",
    "service_requests",
    "shifts",
    "shift_signups",
    "campaigns",
    "messages",
    "donations",
    "distributions",
    "directory_entries",
    "badges",
    "badge_feedback",
    "news_articles",
    "portal_settings",
    "citizen_signups",
    "dues_profiles",
    "dues_payments",
    "dues_excusals",
    "dues_remittances",
    "dues_orders",
    "officer_posts",
    "org_terms",
    "staff_lists",
    "staff_settings",
    "staff_members",
    "staff_todos",
];

fn io(reason: impl Into<String>) -> StoreError {
    StoreError::Backup(reason.into())
}

/// Why `backup` and `restore` refuse a Citus cluster: the rows live on the workers, which
/// one `pg_dump` of the coordinator does not restore as a cluster.
pub const CITUS_REFUSAL: &str = "this database is a Citus cluster: pioneer backup and restore cover one server. \
     Back up every node (pg_basebackup with WAL archiving) and take cluster-wide restore points with \
     citus_create_restore_point(); docs/SCALE.md says how";

impl Store {
    /// True when the database is the coordinator of a Citus cluster (the `citus`
    /// extension is installed).
    pub async fn is_citus(&self) -> Result<bool, StoreError> {
        Ok(match self.db() {
            Db::Sqlite(_) => false,
            Db::Pg(pool) => {
                sqlx::query_scalar::<_, bool>(
                    "SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'citus')",
                )
                .fetch_one(pool)
                .await?
            }
        })
    }

    /// Writes a consistent backup of the database at `url` to `file` (which must not exist)
    /// and its signed manifest beside it, holding the journal's heads as in the copy.
    pub async fn backup(
        &self,
        url: &str,
        file: &Path,
        made_at: i64,
    ) -> Result<crate::manifest::Manifest, StoreError> {
        let manifest = crate::manifest::manifest_path(file);
        if file.exists() || manifest.exists() {
            return Err(io(format!("{} already exists; choose a new file", file.display())));
        }
        let heads = match self.db() {
            Db::Sqlite(pool) => {
                sqlx::query("VACUUM INTO $1").bind(file.display().to_string()).execute(pool).await?;
                let mut conn = pool.acquire().await?;
                sqlx::query("ATTACH DATABASE $1 AS copy")
                    .bind(file.display().to_string())
                    .execute(&mut *conn)
                    .await?;
                let heads =
                    sqlx::query_as("SELECT tenant_id, seq, hash FROM copy.journal_heads ORDER BY tenant_id")
                        .fetch_all(&mut *conn)
                        .await;
                let _ = sqlx::query("DETACH DATABASE copy").execute(&mut *conn).await;
                heads?
            }
            Db::Pg(_) if self.distributed() => return Err(io(CITUS_REFUSAL)),
            Db::Pg(_) => {
                let out = run(
                    "pg_dump",
                    &["--format=custom", "--no-owner", "--file", &file.display().to_string(), url],
                )
                .await?;
                if !out.0 {
                    return Err(io(format!("pg_dump failed: {}", out.1)));
                }
                dumped_heads(file).await?
            }
        };
        self.write_manifest(file, heads, made_at).await
    }

    /// Replaces the whole database at `url` with the backup in `file`, all or nothing,
    /// after [`Store::plan_restore`] verified it; then journals the restore in every chain
    /// (who, which backup, its heads, the entries discarded) and starts a new checkpoint
    /// log (the old one is set aside: it vouches for entries the restore discarded).
    pub async fn restore(
        &self,
        url: &str,
        file: &Path,
        act: &crate::Act,
    ) -> Result<crate::manifest::RestorePlan, StoreError> {
        if self.distributed() {
            return Err(io(CITUS_REFUSAL));
        }
        let plan = self.plan_restore(file).await?;
        self.replace_with(url, file).await?;
        let name = file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let mut tenants: Vec<uuid::Uuid> =
            self.journal_heads().await?.into_iter().map(|h| h.tenant_id).collect();
        if tenants.is_empty() {
            tenants = on_db!(self.db(), pool => {
                sqlx::query_scalar("SELECT id FROM organizations WHERE parent_id IS NULL").fetch_all(pool).await?
            });
        }
        for tenant in tenants {
            let change = crate::journal::Change::new(
                tenant,
                "restore",
                None,
                serde_json::json!({
                    "backup": name, "sha256": plan.manifest.sha256, "made_at": plan.manifest.made_at,
                    "heads": plan.manifest.journal_heads, "discarded_entries": plan.discarded,
                }),
            );
            self.journal_event(&change, act).await?;
        }
        if let Some(log) = self.checkpoint_log() {
            log.set_aside(&format!("before-restore-{}", act.at.as_millisecond()))?;
            self.write_checkpoint(act.at.as_millisecond(), false).await?;
        }
        Ok(plan)
    }

    async fn replace_with(&self, url: &str, file: &Path) -> Result<(), StoreError> {
        match self.db() {
            Db::Sqlite(pool) => self.restore_sqlite(pool, file).await,
            Db::Pg(_) if self.distributed() => Err(io(CITUS_REFUSAL)),
            Db::Pg(_) => {
                // Read the backup's key check first, so a backup made under other keys
                // is refused before anything is replaced.
                let meta = run(
                    "pg_restore",
                    &["--data-only", "--table=meta", "--file=-", &file.display().to_string()],
                )
                .await?;
                if !meta.0 {
                    return Err(io(format!("not a pioneer backup: {}", meta.1)));
                }
                let theirs = meta.2.lines().find_map(|l| l.strip_prefix("key_check\t")).map(str::to_owned);
                if theirs.is_some_and(|k| k != self.vault().key_check()) {
                    return Err(StoreError::WrongKeys);
                }
                let out = run(
                    "pg_restore",
                    &[
                        "--clean",
                        "--if-exists",
                        "--no-owner",
                        "--single-transaction",
                        "--dbname",
                        url,
                        &file.display().to_string(),
                    ],
                )
                .await?;
                if !out.0 {
                    return Err(io(format!("pg_restore failed: {}", out.1)));
                }
                // The restored rows carry the backup's key check.
                match self.meta("key_check").await? {
                    Some(k) if k != self.vault().key_check() => Err(StoreError::WrongKeys),
                    _ => Ok(()),
                }
            }
        }
    }

    async fn restore_sqlite(&self, pool: &sqlx::SqlitePool, file: &Path) -> Result<(), StoreError> {
        let mut conn = pool.acquire().await?;
        sqlx::query("ATTACH DATABASE $1 AS src").bind(file.display().to_string()).execute(&mut *conn).await?;
        let result = async {
            let key: Option<String> =
                sqlx::query_scalar("SELECT value FROM src.meta WHERE key = 'key_check'")
                    .fetch_optional(&mut *conn)
                    .await
                    .map_err(|_| io("not a pioneer backup (no meta table)"))?;
            if key.is_some_and(|k| k != self.vault().key_check()) {
                return Err(StoreError::WrongKeys);
            }
            let theirs: Vec<(i64, String)> =
                sqlx::query_as("SELECT version, checksum FROM src.pioneer_migrations ORDER BY version")
                    .fetch_all(&mut *conn)
                    .await?;
            let ours: Vec<(i64, String)> =
                sqlx::query_as("SELECT version, checksum FROM main.pioneer_migrations ORDER BY version")
                    .fetch_all(&mut *conn)
                    .await?;
            if theirs != ours {
                return Err(io("the backup was made by another schema version"));
            }
            sqlx::query("BEGIN IMMEDIATE").execute(&mut *conn).await?;
            let copied = async {
                sqlx::query("PRAGMA defer_foreign_keys = ON").execute(&mut *conn).await?;
                for t in TABLES.iter().rev() {
                    sqlx::query(sqlx::AssertSqlSafe(format!("DELETE FROM main.{t}")))
                        .execute(&mut *conn)
                        .await?;
                }
                for t in TABLES {
                    sqlx::query(sqlx::AssertSqlSafe(format!("INSERT INTO main.{t} SELECT * FROM src.{t}")))
                        .execute(&mut *conn)
                        .await?;
                }
                Ok::<(), StoreError>(())
            }
            .await;
            match copied {
                Ok(()) => {
                    sqlx::query("COMMIT").execute(&mut *conn).await?;
                    Ok(())
                }
                Err(e) => {
                    let _ = sqlx::query("ROLLBACK").execute(&mut *conn).await;
                    Err(e)
                }
            }
        }
        .await;
        let _ = sqlx::query("DETACH DATABASE src").execute(&mut *conn).await;
        result
    }

    /// The tables the migrations made (without the migrations' own): a restore must
    /// refill every one of them, so `TABLES` is checked against this.
    pub async fn schema_tables(&self) -> Result<Vec<String>, StoreError> {
        let mut names: Vec<String> = on_db!(self.db(), pool => {
            sqlx::query_scalar(match self.db().backend() {
                crate::Backend::Sqlite => "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
                crate::Backend::Postgres => "SELECT table_name::text FROM information_schema.tables WHERE table_schema = current_schema()",
            })
            .fetch_all(pool)
            .await?
        });
        names.retain(|n| n != "pioneer_migrations");
        names.sort();
        Ok(names)
    }

    /// The indexes of `table` as `(name, definition)`, sorted by name.
    pub async fn schema_indexes(&self, table: &str) -> Result<Vec<(String, String)>, StoreError> {
        let mut list: Vec<(String, String)> = on_db!(self.db(), pool => {
            sqlx::query_as(match self.db().backend() {
                crate::Backend::Sqlite => "SELECT name, COALESCE(sql, '') FROM sqlite_master WHERE type = 'index' AND tbl_name = $1",
                crate::Backend::Postgres => "SELECT indexname::text, indexdef FROM pg_indexes WHERE schemaname = current_schema() AND tablename = $1",
            })
            .bind(table)
            .fetch_all(pool)
            .await?
        });
        list.sort();
        Ok(list)
    }

    /// Every row of `table` as text, sorted: for comparing two databases.
    pub async fn table_rows(&self, table: &str) -> Result<Vec<String>, StoreError> {
        if !TABLES.contains(&table) {
            return Err(StoreError::NotFound);
        }
        on_db!(self.db(), pool => {
            let sql = match self.db().backend() {
                crate::Backend::Sqlite => {
                    let cols: Vec<String> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT name FROM pragma_table_info('{table}')")))
                        .fetch_all(pool)
                        .await?;
                    let expr = cols.iter().map(|c| format!("quote({c})")).collect::<Vec<_>>().join(" || '|' || ");
                    format!("SELECT {expr} FROM {table} ORDER BY 1")
                }
                crate::Backend::Postgres => format!("SELECT CAST(t AS text) FROM {table} t ORDER BY 1"),
            };
            Ok(sqlx::query_scalar(sqlx::AssertSqlSafe(sql)).fetch_all(pool).await?)
        })
    }
}

/// The journal's heads as a PostgreSQL dump holds them.
async fn dumped_heads(file: &Path) -> Result<Vec<(uuid::Uuid, i64, String)>, StoreError> {
    let out =
        run("pg_restore", &["--data-only", "--table=journal_heads", "--file=-", &file.display().to_string()])
            .await?;
    if !out.0 {
        return Err(io(format!("pg_restore could not read the dump: {}", out.1)));
    }
    // COPY public.journal_heads (tenant_id, seq, hash) FROM stdin; then tab-separated rows to `\.`.
    let mut heads = Vec::new();
    let mut inside = false;
    for line in out.2.lines() {
        if line.starts_with("COPY ") {
            inside = true;
            continue;
        }
        if line == "\\." {
            inside = false;
        }
        if inside {
            let f: Vec<&str> = line.split('\t').collect();
            if let [t, seq, hash] = f[..] {
                let t = uuid::Uuid::parse_str(t).map_err(|_| io("the dump's journal heads do not read"))?;
                heads.push((
                    t,
                    seq.parse().map_err(|_| io("the dump's journal heads do not read"))?,
                    hash.to_owned(),
                ));
            }
        }
    }
    heads.sort();
    Ok(heads)
}

/// Runs a program: (success, stderr, stdout).
async fn run(program: &'static str, args: &[&str]) -> Result<(bool, String, String), StoreError> {
    let args: Vec<String> = args.iter().map(|s| (*s).to_owned()).collect();
    tokio::task::spawn_blocking(move || {
        std::process::Command::new(program)
            .args(&args)
            .output()
            .map(|o| {
                (
                    o.status.success(),
                    String::from_utf8_lossy(&o.stderr).trim().to_owned(),
                    String::from_utf8_lossy(&o.stdout).into_owned(),
                )
            })
            .map_err(|e| io(format!("cannot run {program}: {e}")))
    })
    .await
    .map_err(|e| io(e.to_string()))?
}
