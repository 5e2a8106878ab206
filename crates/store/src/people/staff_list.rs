//! The employer's staff list in storage: the latest list an enterprise committee imported
//! (ID numbers sealed, matched by keyed hash), its reconciliation with the registry, and the
//! to-dos it opened. Importing the same file again writes nothing; a new list keeps the
//! decisions already taken (a to-do decided stays decided), closes open to-dos that no longer
//! apply (`gone`) and opens the new ones. Lists past their keeping date are purged.

use crate::db::BeginWrite;
use crate::error::StoreError;
use crate::journal::{Act, Change, journal_append};
use crate::orgs::OrgRecord;
use crate::{Store, on_db};
use jiff::civil::Date;
use pioneer_domain::people::staff_list::{Difference, Known, Listed, StaffRow, Todo, reconcile};
use pioneer_domain::{FieldError, Reason};
use serde::Serialize;
use std::collections::{HashMap, HashSet};
use uuid::Uuid;

/// Staff rows written per statement.
const ROWS_PER_INSERT: usize = 500;

/// A to-do as stored.
#[derive(Debug, Clone, Serialize)]
pub struct TodoRecord {
    /// Id.
    pub id: Uuid,
    /// The committee.
    pub org_id: Uuid,
    /// `member_left`, `member_not_listed`, `member_elsewhere`, `department_changed`,
    /// `key_post_no_contact`.
    pub kind: String,
    /// The staff row's number.
    pub employee_no: Option<String>,
    /// The person, when matched.
    pub person_id: Option<Uuid>,
    /// The name (the person's or the staff row's).
    pub name: String,
    /// What changed.
    pub detail: Option<String>,
    /// `open`, `done`, `dismissed`, `gone`.
    pub status: String,
    /// What was decided.
    pub decision: Option<String>,
}

/// What an import found (a dry run) or did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct StaffOutcome {
    /// Rows in the file.
    pub rows: usize,
    /// The same file as the list on record: nothing written.
    pub unchanged: bool,
    /// Whether it was written.
    pub applied: bool,
    /// The differences found, by kind.
    pub found: Vec<(String, usize)>,
    /// To-dos opened.
    pub opened: usize,
    /// Open to-dos that no longer apply, closed.
    pub closed: usize,
}

/// How a file is imported: its SHA-256, how long it is kept, whether it is written (else
/// a dry run), and the day it is reconciled as of.
#[derive(Debug, Clone, Copy)]
pub struct StaffImport<'a> {
    /// The file's SHA-256 (the same file twice changes nothing).
    pub sha: &'a str,
    /// Kept until.
    pub keep_until: Date,
    /// Write it.
    pub apply: bool,
    /// As of.
    pub today: Date,
}

/// The list on record.
#[derive(Debug, Clone, Serialize)]
pub struct StaffListRecord {
    /// Rows.
    pub row_count: i64,
    /// Imported (ms).
    pub imported_at: i64,
    /// By.
    pub imported_by: String,
    /// Kept until.
    pub keep_until: String,
    /// The file's SHA-256.
    pub file_sha256: String,
}

/// How long a staff list is kept when the committee has not said (days).
pub const DEFAULT_KEEP_DAYS: i64 = 365;

impl Store {
    /// How many days a committee keeps its staff list.
    pub async fn staff_keep_days(&self, org: &OrgRecord) -> Result<i64, StoreError> {
        let d: Option<i64> = on_db!(self.db(), pool => {
            sqlx::query_scalar("SELECT keep_days FROM staff_settings WHERE tenant_id = $1 AND org_id = $2")
                .bind(org.tenant_id).bind(org.id).fetch_optional(pool).await?
        });
        Ok(d.unwrap_or(DEFAULT_KEEP_DAYS))
    }

    /// Sets how many days the committee keeps its staff list (30–1825); the list on record
    /// is then kept until `until`.
    pub async fn set_staff_keep_days(
        &self,
        org: &OrgRecord,
        days: i64,
        until: Date,
        act: &Act,
    ) -> Result<(), StoreError> {
        let change = Change::new(
            org.tenant_id,
            "staff_settings",
            Some(org.id),
            serde_json::json!({ "keep_days": days }),
        );
        on_db!(self.db(), pool => {
            let mut tx = pool.begin_write().await?;
            sqlx::query("DELETE FROM staff_settings WHERE tenant_id = $1 AND org_id = $2").bind(org.tenant_id).bind(org.id).execute(&mut *tx).await?;
            sqlx::query("INSERT INTO staff_settings (tenant_id, org_id, keep_days, updated_at) VALUES ($1, $2, $3, $4)")
                .bind(org.tenant_id).bind(org.id).bind(days).bind(act.at.as_millisecond()).execute(&mut *tx).await?;
            sqlx::query("UPDATE staff_lists SET keep_until = $1 WHERE tenant_id = $2 AND org_id = $3")
                .bind(until.to_string()).bind(org.tenant_id).bind(org.id).execute(&mut *tx).await?;
            journal_append!(tx, self, act, &change)?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// Removes the staff lists (and their to-dos) of `tenant` kept past their date.
    pub async fn purge_staff_lists(&self, tenant: Uuid, today: Date) -> Result<u64, StoreError> {
        let today = today.to_string();
        on_db!(self.db(), pool => {
            let mut tx = pool.begin_write().await?;
            let orgs: Vec<Uuid> = sqlx::query_scalar("SELECT org_id FROM staff_lists WHERE tenant_id = $1 AND keep_until < $2")
                .bind(tenant).bind(&today).fetch_all(&mut *tx).await?;
            for org in &orgs {
                for table in ["staff_members", "staff_todos", "staff_lists"] {
                    sqlx::query(sqlx::AssertSqlSafe(format!("DELETE FROM {table} WHERE tenant_id = $1 AND org_id = $2")))
                        .bind(tenant).bind(org).execute(&mut *tx).await?;
                }
            }
            tx.commit().await?;
            Ok(orgs.len() as u64)
        })
    }

    /// The committees of a subtree with a list on record: id, name, rows.
    pub async fn staff_lists_in(&self, org: &OrgRecord) -> Result<Vec<(Uuid, String, i64)>, StoreError> {
        let end = pioneer_domain::orgs::subtree_end(&org.path);
        let rows: Vec<(Uuid, String, i64)> = on_db!(self.db(), pool => {
            sqlx::query_as(
                "SELECT l.org_id, o.name, l.row_count FROM staff_lists l JOIN organizations o ON o.id = l.org_id \
                 WHERE l.tenant_id = $1 AND l.org_path >= $2 AND l.org_path < $3 ORDER BY l.org_path",
            )
            .bind(org.tenant_id).bind(&org.path).bind(&end).fetch_all(pool).await?
        });
        Ok(rows)
    }

    /// The list on record for a committee.
    pub async fn staff_list(&self, org: &OrgRecord) -> Result<Option<StaffListRecord>, StoreError> {
        let r: Option<(i64, i64, String, String, String)> = on_db!(self.db(), pool => {
            sqlx::query_as("SELECT row_count, imported_at, imported_by, keep_until, file_sha256 FROM staff_lists WHERE tenant_id = $1 AND org_id = $2")
                .bind(org.tenant_id).bind(org.id).fetch_optional(pool).await?
        });
        Ok(r.map(|r| StaffListRecord {
            row_count: r.0,
            imported_at: r.1,
            imported_by: r.2,
            keep_until: r.3,
            file_sha256: r.4,
        }))
    }

    /// Reconciles `rows` with the committee's registry; with `how.apply`, keeps the list
    /// until `how.keep_until` and writes the to-dos, in one transaction.
    pub async fn import_staff_list(
        &self,
        org: &OrgRecord,
        rows: &[StaffRow],
        how: &StaffImport<'_>,
        act: &Act,
    ) -> Result<StaffOutcome, StoreError> {
        let StaffImport { sha, keep_until, apply, today } = *how;
        let tenant = org.tenant_id;
        self.purge_staff_lists(tenant, today).await?;
        let mut outcome = StaffOutcome { rows: rows.len(), ..StaffOutcome::default() };
        if self.staff_list(org).await?.is_some_and(|l| l.file_sha256 == sha) {
            outcome.unchanged = true;
            return Ok(outcome);
        }
        let keys: Vec<Vec<u8>> =
            rows.iter().map(|r| self.vault().index("id_card", r.id_card.as_str())).collect();
        let (people, members, names) = self.staff_registry(org, &keys).await?;
        let previous: HashMap<String, String> = on_db!(self.db(), pool => {
            sqlx::query_as::<_, (String, String)>("SELECT employee_no, department FROM staff_members WHERE tenant_id = $1 AND org_id = $2")
                .bind(tenant).bind(org.id).fetch_all(pool).await?.into_iter().collect()
        });
        let listed: Vec<Listed<Vec<u8>>> = rows
            .iter()
            .zip(&keys)
            .map(|(r, k)| Listed {
                employee_no: r.employee_no.clone(),
                key: k.clone(),
                department: r.department.clone(),
                key_post: r.key_post,
                left_on: r.left_on,
                says_member: r.says_member,
            })
            .collect();
        let todos = reconcile(&listed, &people, &members, &previous, today);
        let mut found: HashMap<Difference, usize> = HashMap::new();
        for t in &todos {
            *found.entry(t.kind).or_default() += 1;
        }
        let mut found: Vec<(String, usize)> =
            found.into_iter().map(|(k, n)| (k.code().to_owned(), n)).collect();
        found.sort();
        outcome.found = found;
        if !apply {
            outcome.opened = todos.len();
            return Ok(outcome);
        }
        let staff_names: HashMap<&str, &str> =
            rows.iter().map(|r| (r.employee_no.as_str(), r.name.as_str())).collect();
        let subject = |t: &Todo<Uuid>| {
            t.employee_no.clone().unwrap_or_else(|| t.person.map(|p| p.to_string()).unwrap_or_default())
        };
        let name_of = |t: &Todo<Uuid>| {
            t.person
                .and_then(|p| names.get(&p).cloned())
                .or_else(|| {
                    t.employee_no.as_deref().and_then(|n| staff_names.get(n)).map(|s| (*s).to_owned())
                })
                .unwrap_or_default()
        };
        let wanted: HashSet<(String, String)> =
            todos.iter().map(|t| (t.kind.code().to_owned(), subject(t))).collect();
        let sqlite = self.db().backend() == crate::Backend::Sqlite;
        let at = act.at.as_millisecond();
        let change = Change::new(
            tenant,
            "staff_list",
            Some(org.id),
            serde_json::json!({ "org_id": org.id, "rows": rows.len(), "file_sha256": sha, "keep_until": keep_until.to_string(),
                "found": outcome.found }),
        );
        on_db!(self.db(), pool => {
            let mut tx = pool.begin_write().await?;
            sqlx::query("DELETE FROM staff_members WHERE tenant_id = $1 AND org_id = $2").bind(tenant).bind(org.id).execute(&mut *tx).await?;
            sqlx::query("DELETE FROM staff_lists WHERE tenant_id = $1 AND org_id = $2").bind(tenant).bind(org.id).execute(&mut *tx).await?;
            sqlx::query(
                "INSERT INTO staff_lists (tenant_id, org_id, org_path, file_sha256, row_count, imported_at, imported_by, keep_until) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            )
            .bind(tenant).bind(org.id).bind(&org.path).bind(sha).bind(i64::try_from(rows.len()).unwrap_or(i64::MAX)).bind(at)
            .bind(&act.actor).bind(keep_until.to_string())
            .execute(&mut *tx).await?;
            for (part, part_keys) in rows.chunks(ROWS_PER_INSERT).zip(keys.chunks(ROWS_PER_INSERT)) {
                let sql = format!(
                    "INSERT INTO staff_members (tenant_id, org_id, employee_no, name, id_card_enc, id_card_idx, department, post, key_post, \
                     hired_on, left_on, says_member) VALUES {}",
                    crate::db::value_rows(sqlite, 12, part.len())
                );
                let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
                for (r, k) in part.iter().zip(part_keys) {
                    q = q.bind(tenant).bind(org.id).bind(&r.employee_no).bind(&r.name).bind(self.vault().seal("id_card", r.id_card.as_str()))
                        .bind(k).bind(&r.department).bind(&r.post).bind(r.key_post).bind(r.hired_on.map(|d| d.to_string()))
                        .bind(r.left_on.map(|d| d.to_string())).bind(r.says_member);
                }
                q.execute(&mut *tx).await?;
            }
            let existing: Vec<(String, String, String)> =
                sqlx::query_as("SELECT kind, subject, status FROM staff_todos WHERE tenant_id = $1 AND org_id = $2")
                    .bind(tenant).bind(org.id).fetch_all(&mut *tx).await?;
            let have: HashSet<(String, String)> = existing.iter().map(|(k, s, _)| (k.clone(), s.clone())).collect();
            for (kind, subject, status) in &existing {
                if status == "open" && !wanted.contains(&(kind.clone(), subject.clone())) {
                    sqlx::query("UPDATE staff_todos SET status = 'gone', decided_at = $1 WHERE tenant_id = $2 AND org_id = $3 AND kind = $4 AND subject = $5")
                        .bind(at).bind(tenant).bind(org.id).bind(kind).bind(subject).execute(&mut *tx).await?;
                    outcome.closed += 1;
                }
            }
            let fresh: Vec<(&Todo<Uuid>, String)> = todos
                .iter()
                .map(|t| (t, subject(t)))
                .filter(|(t, s)| !have.contains(&(t.kind.code().to_owned(), s.clone())))
                .collect();
            for part in fresh.chunks(ROWS_PER_INSERT) {
                let sql = format!(
                    "INSERT INTO staff_todos (tenant_id, id, org_id, org_path, kind, subject, employee_no, person_id, name, detail, status, opened_at) \
                     VALUES {}",
                    crate::db::value_rows(sqlite, 12, part.len())
                );
                let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
                for (t, s) in part {
                    q = q.bind(tenant).bind(Uuid::now_v7()).bind(org.id).bind(&org.path).bind(t.kind.code()).bind(s)
                        .bind(&t.employee_no).bind(t.person).bind(name_of(t)).bind(&t.detail).bind("open").bind(at);
                }
                q.execute(&mut *tx).await?;
            }
            outcome.opened = fresh.len();
            journal_append!(tx, self, act, &change)?;
            tx.commit().await?;
        });
        outcome.applied = true;
        Ok(outcome)
    }

    /// The registry as the reconciliation sees it: the people of the tenant with these ID
    /// keys, the members of the committee's subtree, and their names.
    async fn staff_registry(
        &self,
        org: &OrgRecord,
        keys: &[Vec<u8>],
    ) -> Result<(HashMap<Vec<u8>, Known<Uuid>>, Vec<Uuid>, HashMap<Uuid, String>), StoreError> {
        let tenant = org.tenant_id;
        let end = pioneer_domain::orgs::subtree_end(&org.path);
        let sqlite = self.db().backend() == crate::Backend::Sqlite;
        let mut people = HashMap::new();
        let mut names = HashMap::new();
        let contacted: HashSet<Uuid> = on_db!(self.db(), pool => {
            sqlx::query_scalar::<_, Uuid>("SELECT person_id FROM contact_links WHERE tenant_id = $1").bind(tenant).fetch_all(pool).await?
                .into_iter().collect()
        });
        for chunk in keys.chunks(500) {
            let sql = format!(
                "SELECT p.id, p.name, p.status, p.is_mobile, p.org_path, p.id_card_idx, d.person_id FROM people p \
                 LEFT JOIN departures d ON d.tenant_id = p.tenant_id AND d.person_id = p.id \
                 WHERE p.tenant_id = {} AND p.id_card_idx IN ({})",
                crate::db::placeholders(sqlite, 1, 1),
                crate::db::placeholders(sqlite, 2, chunk.len())
            );
            type Row = (Uuid, String, String, bool, String, Vec<u8>, Option<Uuid>);
            let rows: Vec<Row> = on_db!(self.db(), pool => {
                let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(tenant);
                for k in chunk {
                    q = q.bind(k);
                }
                q.fetch_all(pool).await?
            });
            for (id, name, status, mobile, path, key, left) in rows {
                let member = matches!(status.as_str(), "probationary_member" | "full_member")
                    && left.is_none()
                    && path.as_str() >= org.path.as_str()
                    && path < end;
                names.insert(id, name);
                people.insert(key, Known { person: id, member, mobile, contacted: contacted.contains(&id) });
            }
        }
        let members: Vec<(Uuid, String)> = on_db!(self.db(), pool => {
            sqlx::query_as(
                "SELECT p.id, p.name FROM people p LEFT JOIN departures d ON d.tenant_id = p.tenant_id AND d.person_id = p.id \
                 WHERE p.tenant_id = $1 AND p.org_path >= $2 AND p.org_path < $3 \
                 AND p.status IN ('probationary_member', 'full_member') AND d.person_id IS NULL AND p.is_mobile = $4 ORDER BY p.name",
            )
            .bind(tenant).bind(&org.path).bind(&end).bind(false).fetch_all(pool).await?
        });
        let ids = members.iter().map(|m| m.0).collect();
        names.extend(members);
        Ok((people, ids, names))
    }

    /// A committee's to-dos: open ones first, then the decided, newest first.
    pub async fn staff_todos(
        &self,
        org: &OrgRecord,
        open_only: bool,
        limit: i64,
    ) -> Result<Vec<TodoRecord>, StoreError> {
        let sql = format!(
            "SELECT id, org_id, kind, employee_no, person_id, name, detail, status, decision FROM staff_todos \
             WHERE tenant_id = $1 AND org_id = $2{} ORDER BY status <> 'open', kind, name LIMIT $3",
            if open_only { " AND status = 'open'" } else { "" }
        );
        type Row = (
            Uuid,
            Uuid,
            String,
            Option<String>,
            Option<Uuid>,
            String,
            Option<String>,
            String,
            Option<String>,
        );
        let rows: Vec<Row> = on_db!(self.db(), pool => {
            sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(org.tenant_id).bind(org.id).bind(limit).fetch_all(pool).await?
        });
        Ok(rows
            .into_iter()
            .map(|r| TodoRecord {
                id: r.0,
                org_id: r.1,
                kind: r.2,
                employee_no: r.3,
                person_id: r.4,
                name: r.5,
                detail: r.6,
                status: r.7,
                decision: r.8,
            })
            .collect())
    }

    /// A to-do (of the request's tenant when one is set) with its committee's path.
    pub async fn staff_todo(&self, id: Uuid) -> Result<(Uuid, String, TodoRecord), StoreError> {
        let sql = format!(
            "SELECT tenant_id, org_path, id, org_id, kind, employee_no, person_id, name, detail, status, decision FROM staff_todos WHERE id = $1{}",
            crate::tenancy::and_tenant("tenant_id", 2)
        );
        type Row = (
            Uuid,
            String,
            Uuid,
            Uuid,
            String,
            Option<String>,
            Option<Uuid>,
            String,
            Option<String>,
            String,
            Option<String>,
        );
        let r: Option<Row> = on_db!(self.db(), pool => {
            crate::tenancy::bind_tenant!(sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(id)).fetch_optional(pool).await?
        });
        let r = r.ok_or(StoreError::NotFound)?;
        Ok((
            r.0,
            r.1,
            TodoRecord {
                id: r.2,
                org_id: r.3,
                kind: r.4,
                employee_no: r.5,
                person_id: r.6,
                name: r.7,
                detail: r.8,
                status: r.9,
                decision: r.10,
            },
        ))
    }

    /// Closes an open to-do as `done` or `dismissed`, saying what was decided.
    pub async fn decide_staff_todo(
        &self,
        id: Uuid,
        status: &str,
        decision: &str,
        act: &Act,
    ) -> Result<(), StoreError> {
        let (tenant, _, t) = self.staff_todo(id).await?;
        if t.status != "open" {
            return Err(FieldError::new(
                "decision",
                Reason::Refused { zh: "该事项已处理", en: "this to-do is closed already" },
            )
            .into());
        }
        let change = Change::new(
            tenant,
            "staff_todo",
            Some(id),
            serde_json::json!({ "status": status, "decision": decision }),
        );
        on_db!(self.db(), pool => {
            let mut tx = pool.begin_write().await?;
            sqlx::query("UPDATE staff_todos SET status = $1, decision = $2, decided_at = $3, decided_by = $4 WHERE tenant_id = $5 AND id = $6 AND status = 'open'")
                .bind(status).bind(decision).bind(act.at.as_millisecond()).bind(&act.actor).bind(tenant).bind(id).execute(&mut *tx).await?;
            journal_append!(tx, self, act, &change)?;
            tx.commit().await?;
        });
        Ok(())
    }
}
