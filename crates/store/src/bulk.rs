//! Bulk loading for the demo deployment, generated data and benchmarks: organisations and
//! people with given ids (those already there are skipped, so a second load adds nothing),
//! people still without a dossier, status written from a dossier, and benchmark riders with
//! signed-in sessions. Each batch is one transaction with one journal entry.
//!
//! The content (which organisations, people, dossiers) is the demo crate's; the SQL is here.

use crate::db::BeginWrite;
use crate::error::StoreError;
use crate::journal::{Act, Change, journal_append};
use crate::orgs::OrgRecord;
use crate::people::{INSERT_PERSON, bind_person};
use crate::{Store, on_db};
use jiff::civil::Date;
use pioneer_domain::orgs::OrgFields;
use pioneer_domain::people::{PersonFields, Status, StatusDates};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use uuid::Uuid;

/// An organisation to load under a given id.
#[derive(Debug, Clone, Copy)]
pub struct OrgRow<'a> {
    /// Its fixed id.
    pub id: Uuid,
    /// Its parent (loaded before it, or already stored).
    pub parent: Option<Uuid>,
    /// Its fields.
    pub fields: &'a OrgFields,
}

/// Where a person sits: `(person, tenant, organisation, organisation path)`.
pub type Placed = (Uuid, Uuid, Uuid, String);

/// A person of the demo in the development pipeline without a dossier:
/// `(person, tenant, organisation, path, status code, birth date)`.
pub type PipelineRow = (Uuid, Uuid, Uuid, String, String, String);

/// One benchmark rider to write: who, the session they hold and the questions drawn.
#[derive(Debug, Clone)]
pub struct BenchRider<'a> {
    /// The person (a full member).
    pub person: Uuid,
    /// The organisation the member role is granted on.
    pub org: Uuid,
    /// That organisation's path.
    pub org_path: String,
    /// The account's login name.
    pub username: String,
    /// The session id's hash.
    pub session_hash: &'a str,
    /// The session's CSRF token.
    pub csrf: &'a str,
    /// The questions drawn for the attempt, as stored.
    pub questions_json: String,
    /// The attempt's maximum points.
    pub max_points: i64,
}

impl Store {
    /// Loads organisations in order (parents first), skipping those already stored;
    /// returns how many were added and every record by id.
    pub async fn insert_orgs_if_absent(
        &self,
        orgs: &[OrgRow<'_>],
        is_demo: bool,
        act: &Act,
    ) -> Result<(u64, HashMap<Uuid, OrgRecord>), StoreError> {
        let mut added = 0;
        let mut known: HashMap<Uuid, OrgRecord> = HashMap::new();
        for o in orgs {
            let parent = match o.parent {
                Some(p) => match known.get(&p) {
                    Some(r) => Some(r.clone()),
                    None => Some(self.org(p).await?),
                },
                None => None,
            };
            // The record just written, or (already there) the stored one.
            let rec = match self.insert_org(o.id, o.fields, parent.as_ref(), is_demo, act).await? {
                Some(rec) => {
                    added += 1;
                    rec
                }
                None => self.org(o.id).await?,
            };
            known.insert(o.id, rec);
        }
        Ok((added, known))
    }

    /// Inserts a batch of people in one transaction with one journal entry for the batch
    /// (its size and a hash of its ids), rather than one entry each; people already stored
    /// are skipped. Returns how many were added.
    pub async fn insert_people_if_absent(
        &self,
        batch: &[(Uuid, &PersonFields)],
        known: &HashMap<Uuid, OrgRecord>,
        is_demo: bool,
        act: &Act,
    ) -> Result<u64, StoreError> {
        let Some((_, first)) = batch.first() else { return Ok(0) };
        let tenant = known.get(&first.org_id).ok_or(StoreError::NotFound)?.tenant_id;
        let mut ids = Sha256::new();
        for (id, _) in batch {
            ids.update(id.as_bytes());
        }
        let now = act.at;
        on_db!(self.db(), pool => {
            let mut tx = pool.begin_write().await?;
            let mut added = 0;
            for (id, f) in batch {
                let sealed = self.seal_person(f);
                let org = known.get(&f.org_id).ok_or(StoreError::NotFound)?;
                added += bind_person!(sqlx::query(INSERT_PERSON), *id, org, *f, &sealed, is_demo, now)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
            }
            if added > 0 {
                let change = Change {
                    tenant_id: tenant,
                    entity: "people_batch",
                    entity_id: None,
                    change: serde_json::json!({
                        "inserted": added,
                        "offered": batch.len(),
                        "ids_sha256": hex::encode(ids.finalize()),
                    }),
                    rows: batch.iter().map(|(id, _)| ("people", *id)).collect(),
                };
                journal_append!(tx, self, act, &change)?;
            }
            tx.commit().await?;
            Ok(added)
        })
    }

    /// Up to `limit` people without a dossier, after `after` in id order.
    pub async fn people_without_dossier(&self, after: Uuid, limit: i64) -> Result<Vec<Placed>, StoreError> {
        Ok(on_db!(self.db(), pool => {
            sqlx::query_as(
                "SELECT p.id, p.tenant_id, p.org_id, p.org_path FROM people p \
                 LEFT JOIN dossiers d ON d.tenant_id = p.tenant_id AND d.person_id = p.id \
                 WHERE p.id > $1 AND d.id IS NULL ORDER BY p.id LIMIT $2",
            )
            .bind(after)
            .bind(limit)
            .fetch_all(pool)
            .await?
        }))
    }

    /// Demo people in the development pipeline (applicant to probationary member) who have
    /// no dossier yet.
    pub async fn demo_pipeline_without_dossier(&self) -> Result<Vec<PipelineRow>, StoreError> {
        Ok(on_db!(self.db(), pool => {
            sqlx::query_as(
                "SELECT p.id, p.tenant_id, p.org_id, p.org_path, p.status, p.birth_date FROM people p \
                 LEFT JOIN dossiers d ON d.tenant_id = p.tenant_id AND d.person_id = p.id WHERE p.is_demo AND d.id IS NULL \
                 AND p.status IN ('applicant', 'activist', 'development_target', 'probationary_member') \
                 ORDER BY p.id",
            )
            .fetch_all(pool)
            .await?
        }))
    }

    /// The first `limit` full members of a tenant, in id order.
    pub async fn first_full_members(&self, tenant: Uuid, limit: i64) -> Result<Vec<Uuid>, StoreError> {
        let rows: Vec<(Uuid,)> = on_db!(self.db(), pool => {
            sqlx::query_as(
                "SELECT id FROM people WHERE tenant_id = $1 AND status = 'full_member' ORDER BY id LIMIT $2",
            )
            .bind(tenant)
            .bind(limit)
            .fetch_all(pool)
            .await?
        });
        Ok(rows.into_iter().map(|r| r.0).collect())
    }

    /// The first `limit` full members of the deployment, in id order, with their place.
    pub async fn full_members_placed(&self, limit: i64) -> Result<Vec<Placed>, StoreError> {
        Ok(on_db!(self.db(), pool => {
            sqlx::query_as(
                "SELECT id, tenant_id, org_id, org_path FROM people WHERE status = 'full_member' ORDER BY id LIMIT $1",
            )
            .bind(limit)
            .fetch_all(pool)
            .await?
        }))
    }

    /// Demo people of a subtree: `(id, status code, backbone)`, in id order.
    pub async fn demo_people_in(&self, org_path: &str) -> Result<Vec<(Uuid, String, bool)>, StoreError> {
        let end = pioneer_domain::orgs::subtree_end(org_path);
        Ok(on_db!(self.db(), pool => {
            sqlx::query_as(
                "SELECT id, status, is_backbone FROM people WHERE org_path >= $1 AND org_path < $2 AND is_demo ORDER BY id",
            )
            .bind(org_path)
            .bind(&end)
            .fetch_all(pool)
            .await?
        }))
    }

    /// Sets a person's status and status dates as their (loaded) dossier reached them
    /// (journaled).
    pub async fn set_status_reached(
        &self,
        person: Uuid,
        status: Status,
        dates: &StatusDates,
        act: &Act,
    ) -> Result<(), StoreError> {
        let day = |x: Option<Date>| x.map(|v| v.to_string());
        on_db!(self.db(), pool => {
            let mut tx = pool.begin_write().await?;
            let tenant: Uuid = sqlx::query_scalar("SELECT tenant_id FROM people WHERE id = $1")
                .bind(person)
                .fetch_one(&mut *tx)
                .await?;
            sqlx::query(
                "UPDATE people SET status = $2, applied_on = $3, activist_on = $4, target_on = $5, \
                 admitted_on = $6, full_member_on = $7 WHERE tenant_id = $8 AND id = $1",
            )
            .bind(person)
            .bind(status.code())
            .bind(day(dates.applied_on))
            .bind(day(dates.activist_on))
            .bind(day(dates.target_on))
            .bind(day(dates.admitted_on))
            .bind(day(dates.full_member_on))
            .bind(tenant)
            .execute(&mut *tx)
            .await?;
            let change = Change::new(tenant, "person", Some(person), serde_json::json!({ "status": status.code() }))
                .row("people", person);
            journal_append!(tx, self, act, &change)?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// Writes benchmark riders in one transaction with one journal entry: for each, a
    /// member account (with `password_hash`) on the person's organisation, the signed-in
    /// session, and a started attempt at `quiz`. Returns the attempt ids in order.
    pub async fn insert_bench_riders(
        &self,
        tenant: Uuid,
        quiz: Uuid,
        riders: &[BenchRider<'_>],
        password_hash: &str,
        act: &Act,
    ) -> Result<Vec<Uuid>, StoreError> {
        let now = act.at.as_millisecond();
        let mut attempts = Vec::with_capacity(riders.len());
        on_db!(self.db(), pool => {
            let mut tx = pool.begin_write().await?;
            for r in riders {
                let (person, org, path) = (r.person, r.org, &r.org_path);
                let user = Uuid::now_v7();
                sqlx::query(
                    "INSERT INTO users (id, username, display_name, password_hash, password_changed_at, must_change_password, \
                     failed_logins, locked_until, person_id, disabled, created_at, person_tenant_id) \
                     VALUES ($1, $2, $2, $3, $4, FALSE, 0, NULL, $5, FALSE, $4, $6)",
                )
                .bind(user).bind(&r.username).bind(password_hash).bind(now).bind(person).bind(tenant)
                .execute(&mut *tx).await?;
                sqlx::query("INSERT INTO grants (id, user_id, role, org_id) VALUES ($1, $2, 'member', $3)")
                    .bind(Uuid::now_v7()).bind(user).bind(org).execute(&mut *tx).await?;
                sqlx::query("INSERT INTO sessions (id_hash, user_id, csrf, created_at, last_seen, second_factor_ok) VALUES ($1, $2, $3, $4, $4, TRUE)")
                    .bind(r.session_hash).bind(user).bind(r.csrf).bind(now).execute(&mut *tx).await?;
                let attempt = Uuid::now_v7();
                sqlx::query("INSERT INTO quiz_attempts (id, quiz_id, member_id, org_path, attempt_no, questions, started_at, max_points, \
                             tenant_id) VALUES ($1, $2, $3, $4, 1, $5, $6, $7, $8)")
                    .bind(attempt).bind(quiz).bind(person).bind(path)
                    .bind(&r.questions_json)
                    .bind(now).bind(r.max_points).bind(tenant)
                    .execute(&mut *tx).await?;
                attempts.push(attempt);
            }
            let change = Change {
                tenant_id: tenant,
                entity: "bench_riders",
                entity_id: Some(quiz),
                change: serde_json::json!({ "riders": riders.len() }), rows: Vec::new() };
            journal_append!(tx, self, act, &change)?;
            tx.commit().await?;
        });
        Ok(attempts)
    }

    /// Refreshes the planner's statistics after a bulk load; on PostgreSQL also the
    /// visibility map, so the covering indexes serve index-only scans at once.
    pub async fn analyze(&self) -> Result<(), StoreError> {
        match self.db() {
            crate::Db::Sqlite(pool) => {
                sqlx::query("ANALYZE").execute(pool).await?;
            }
            crate::Db::Pg(pool) => {
                sqlx::query("VACUUM ANALYZE").execute(pool).await?;
            }
        }
        Ok(())
    }
}

/// One member's generated dues for the benchmarks: a wage profile from `from` and a payment
/// for each month of `paid` (each on the tenth of the month after it, or `late` months
/// later).
#[derive(Debug, Clone)]
pub struct BenchDues {
    /// The member, their tenant, organisation and its path.
    pub placed: Placed,
    /// The profile's first month (`YYYY-MM`).
    pub from: String,
    /// Monthly wage in fen.
    pub base_fen: i64,
    /// The amount each month, in fen.
    pub amount_fen: i64,
    /// The months paid (`YYYY-MM`) with the day each was paid.
    pub paid: Vec<(String, String)>,
}

impl Store {
    /// Up to `limit` party members (any tenant) after `after` in id order, who have not left.
    pub async fn members_placed_after(&self, after: Uuid, limit: i64) -> Result<Vec<Placed>, StoreError> {
        Ok(on_db!(self.db(), pool => {
            sqlx::query_as(
                "SELECT p.id, p.tenant_id, p.org_id, p.org_path FROM people p \
                 LEFT JOIN departures d ON d.tenant_id = p.tenant_id AND d.person_id = p.id \
                 WHERE p.id > $1 AND p.status IN ('probationary_member', 'full_member') AND d.person_id IS NULL \
                 ORDER BY p.id LIMIT $2",
            )
            .bind(after)
            .bind(limit)
            .fetch_all(pool)
            .await?
        }))
    }

    /// Writes generated dues (profiles and payments) of one tenant in one transaction with
    /// one journal entry holding the batch's hash.
    pub async fn insert_bench_dues(
        &self,
        tenant: Uuid,
        batch: &[BenchDues],
        act: &Act,
    ) -> Result<u64, StoreError> {
        let sqlite = self.db().backend() == crate::Backend::Sqlite;
        let mut hash = Sha256::new();
        let at = act.at.as_millisecond();
        let payments: Vec<(&BenchDues, &(String, String), Uuid)> =
            batch.iter().flat_map(|d| d.paid.iter().map(move |p| (d, p, Uuid::now_v7()))).collect();
        for (_, _, id) in &payments {
            hash.update(id.as_bytes());
        }
        on_db!(self.db(), pool => {
            let mut tx = pool.begin_write().await?;
            for part in batch.chunks(400) {
                let sql = format!(
                    "INSERT INTO dues_profiles (tenant_id, person_id, from_month, base_kind, base_fen, quarterly, recorded_at, recorded_by) VALUES {}",
                    crate::db::value_rows(sqlite, 8, part.len())
                );
                let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
                for d in part {
                    q = q.bind(tenant).bind(d.placed.0).bind(&d.from).bind("wage").bind(d.base_fen).bind(false).bind(at).bind(&act.actor);
                }
                q.execute(&mut *tx).await?;
            }
            for part in payments.chunks(400) {
                let sql = format!(
                    "INSERT INTO dues_payments (tenant_id, id, person_id, org_id, org_path, month, amount_fen, extra_fen, method, paid_on, \
                     receipt_no, recorded_at, recorded_by) VALUES {}",
                    crate::db::value_rows(sqlite, 13, part.len())
                );
                let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
                for (d, (month, on), id) in part {
                    q = q.bind(tenant).bind(*id).bind(d.placed.0).bind(d.placed.2).bind(&d.placed.3).bind(month).bind(d.amount_fen)
                        .bind(0_i64).bind("transfer").bind(on).bind(id.simple().to_string()).bind(at).bind(&act.actor);
                }
                q.execute(&mut *tx).await?;
            }
            let change = Change::new(
                tenant,
                "dues_batch",
                None,
                serde_json::json!({ "profiles": batch.len(), "payments": payments.len(), "ids_sha256": hex::encode(hash.finalize()) }),
            );
            journal_append!(tx, self, act, &change)?;
            tx.commit().await?;
        });
        Ok(payments.len() as u64)
    }

    /// The first `limit` people of a subtree with their full ID numbers, their
    /// organisation's name and whether they are members: what an employer's staff list
    /// would hold (benchmarks only).
    pub async fn bench_staff_sample(
        &self,
        path: &str,
        limit: i64,
    ) -> Result<Vec<(String, String, String, bool)>, StoreError> {
        let mut out = Vec::new();
        let mut after = None;
        while (out.len() as i64) < limit {
            let page = self.people_page(path, after.clone(), (limit - out.len() as i64).min(5000)).await?;
            let Some(last) = page.last() else { break };
            after = Some((last.org_path.clone(), last.id));
            out.extend(page.into_iter().map(|p| {
                (
                    p.fields.name.clone(),
                    p.fields.id_card.as_str().to_owned(),
                    p.org_name.clone(),
                    p.fields.status.is_member(),
                )
            }));
        }
        Ok(out)
    }
}
