//! Generated dossiers at scale for benchmarks and the demo: one per person without one,
//! realistic histories with a known share of planted faults, written in multi-row inserts
//! (one journal entry per batch).

use crate::db::BeginWrite;
use crate::development::dossiers::{
    FOLLOW_STATUS_SQL, event_columns, fields_json, row_figures, status_binds,
};
use crate::error::StoreError;
use crate::journal::{Act, Change, journal_append};
use crate::{Store, on_db};
use jiff::civil::Date;
use pioneer_domain::development::dev_settings::DevSettings;
use pioneer_domain::development::dossier::{self, Event, Key};
use pioneer_domain::development::engine::{self, RuleBook};
use pioneer_domain::dossier_gen::DossierGen;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use uuid::Uuid;

/// What a generation run made.
#[derive(Debug, Clone, Default)]
pub struct GeneratedDossiers {
    /// Dossiers written.
    pub dossiers: u64,
    /// Events written.
    pub events: u64,
    /// Planted faults by check code.
    pub planted: BTreeMap<&'static str, u64>,
}

/// Dossiers per transaction.
const BATCH: usize = 500;
/// Event rows per INSERT statement (15 parameters each).
const EVENT_ROWS: usize = 500;
/// Dossier rows per INSERT statement (19 parameters each).
const DOSSIER_ROWS: usize = 250;

/// A dossier row and its events, ready to insert.
pub(crate) struct Prepared {
    id: Uuid,
    tenant_id: Uuid,
    person_id: Uuid,
    org_id: Uuid,
    org_path: String,
    birth: Option<String>,
    mobile: bool,
    stage: &'static str,
    state: &'static str,
    due: Option<String>,
    due_step: Option<i64>,
    violations: i64,
    warnings: i64,
    encoded: String,
    events: Vec<Event>,
}

/// Builds the row of a dossier for `(person, tenant, org, org_path)`.
pub(crate) fn prepare(
    who: (Uuid, Uuid, Uuid, String),
    d: pioneer_domain::development::dossier::Dossier,
    eval: &engine::Evaluation,
) -> Prepared {
    let (person_id, tenant_id, org_id, org_path) = who;
    let f = row_figures(eval);
    Prepared {
        id: Uuid::now_v7(),
        tenant_id,
        person_id,
        org_id,
        org_path,
        birth: d.birth_date.map(|b| b.to_string()),
        mobile: d.mobile,
        stage: f.stage,
        state: f.state,
        due: f.due,
        due_step: f.due_step,
        violations: f.violations,
        warnings: f.warnings,
        encoded: dossier::encode(&d.events),
        events: d.events,
    }
}

impl Store {
    /// Generates up to `count` dossiers for people who have none, as of `today`;
    /// `fault_percent` of them carry one planted fault.
    pub async fn generate_dossiers(
        &self,
        count: u64,
        seed: u64,
        fault_percent: u64,
        today: Date,
        act: &Act,
        mut progress: impl FnMut(u64),
    ) -> Result<GeneratedDossiers, StoreError> {
        let calendar = self.work_calendar().await?;
        let mut g = DossierGen::new(seed, today, &calendar);
        g.fault_percent = fault_percent;
        let book = RuleBook::standard();
        let settings = DevSettings::default();
        let mut out = GeneratedDossiers::default();
        let mut after = Uuid::nil();
        while out.dossiers < count {
            let want = (count - out.dossiers).min(BATCH as u64) as i64;
            let people: Vec<(Uuid, Uuid, Uuid, String)> = on_db!(self.db(), pool => {
                sqlx::query_as(
                    "SELECT p.id, p.tenant_id, p.org_id, p.org_path FROM people p \
                     LEFT JOIN dossiers d ON d.person_id = p.id \
                     WHERE p.id > $1 AND d.id IS NULL ORDER BY p.id LIMIT $2",
                )
                .bind(after)
                .bind(want)
                .fetch_all(pool)
                .await?
            });
            let Some(last) = people.last() else { break };
            after = last.0;
            let mut batch = Vec::with_capacity(people.len());
            for (person_id, tenant_id, org_id, org_path) in people {
                let made = g.next_dossier();
                if let Some(f) = made.fault {
                    *out.planted.entry(f.code).or_default() += 1;
                }
                let mut d = made.dossier;
                // Filings and approvals name the tenant's top organisation.
                for e in &mut d.events {
                    for key in [Key::ToOrg, Key::Approver] {
                        if e.id(key).is_some() {
                            e.set(key, dossier::Value::Id(tenant_id));
                        }
                    }
                }
                let eval = engine::evaluate(&book, &d, &settings, today);
                batch.push(prepare((person_id, tenant_id, org_id, org_path), d, &eval));
            }
            out.events += self.insert_dossier_batch(&batch, act).await?;
            out.dossiers += batch.len() as u64;
            progress(out.dossiers);
        }
        self.analyze().await?;
        Ok(out)
    }

    pub(crate) async fn insert_dossier_batch(
        &self,
        batch: &[Prepared],
        act: &Act,
    ) -> Result<u64, StoreError> {
        self.insert_dossiers(batch, false, act).await
    }

    /// Inserts dossiers and their events in one transaction; with `sync_people`, each
    /// person's status and dates follow their dossier forwards.
    pub(crate) async fn insert_dossiers(
        &self,
        batch: &[Prepared],
        sync_people: bool,
        act: &Act,
    ) -> Result<u64, StoreError> {
        let Some(first) = batch.first() else { return Ok(0) };
        let at = act.at.as_millisecond();
        let mut ids = Sha256::new();
        for p in batch {
            ids.update(p.id.as_bytes());
        }
        let change = Change {
            tenant_id: first.tenant_id,
            entity: "dossiers_batch",
            entity_id: None,
            change: serde_json::json!({ "dossiers": batch.len(), "imported": sync_people, "ids_sha256": hex::encode(ids.finalize()) }),
        };
        let rows: Vec<(&Prepared, &Event)> =
            batch.iter().flat_map(|p| p.events.iter().map(move |e| (p, e))).collect();
        let mut written = 0u64;
        let sqlite = matches!(self.db(), crate::Db::Sqlite(_));
        on_db!(self.db(), pool => {
            let mut tx = pool.begin_write().await?;
            for part in batch.chunks(DOSSIER_ROWS) {
            let dossier_sql = format!("{}{}", "INSERT INTO dossiers (id, tenant_id, person_id, org_id, org_path, birth_date, mobile, stage, state, \
                 next_due, next_due_step, violations, warnings, backfill, event_count, encoded, is_demo, created_at, updated_at) VALUES ", crate::db::value_rows(sqlite, 19, part.len()));
            let mut q = sqlx::query(sqlx::AssertSqlSafe(dossier_sql));
            for p in part {
                q = q
                    .bind(p.id)
                    .bind(p.tenant_id)
                    .bind(p.person_id)
                    .bind(p.org_id)
                    .bind(&p.org_path)
                    .bind(&p.birth)
                    .bind(p.mobile)
                    .bind(p.stage)
                    .bind(p.state)
                    .bind(&p.due)
                    .bind(p.due_step)
                    .bind(p.violations)
                    .bind(p.warnings)
                    .bind(false)
                    .bind(p.events.len() as i64)
                    .bind(&p.encoded)
                    .bind(false)
                    .bind(at)
                    .bind(at);
            }
            q.execute(&mut *tx).await?;
            }
            for chunk in rows.chunks(EVENT_ROWS) {
                let sql = format!("{}{}", "INSERT INTO dossier_events (id, tenant_id, dossier_id, seq, kind, happened_on, corrects, backfill, \
                     fields, org_id, to_org, ref_seq, ends_on, recorded_at, recorded_by) VALUES ", crate::db::value_rows(sqlite, 15, chunk.len()));
                let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
                for (p, e) in chunk {
                    let (to_org, ref_seq, ends_on) = event_columns(e);
                    q = q
                        .bind(Uuid::now_v7())
                        .bind(p.tenant_id)
                        .bind(p.id)
                        .bind(i64::from(e.seq))
                        .bind(e.kind.code())
                        .bind(e.on.to_string())
                        .bind(e.corrects.map(i64::from))
                        .bind(e.backfill)
                        .bind(fields_json(&e.fields))
                        .bind(p.org_id)
                        .bind(to_org)
                        .bind(ref_seq)
                        .bind(ends_on)
                        .bind(at)
                        .bind(&act.actor);
                }
                written += q.execute(&mut *tx).await?.rows_affected();
            }
            if sync_people {
                for p in batch {
                    let d = pioneer_domain::development::dossier::Dossier { birth_date: None, mobile: false, events: p.events.clone() };
                    let (rank, status, [applied, activist, target, admitted, full]) = status_binds(&d);
                    sqlx::query(FOLLOW_STATUS_SQL)
                        .bind(p.person_id)
                        .bind(rank)
                        .bind(status)
                        .bind(applied)
                        .bind(activist)
                        .bind(target)
                        .bind(admitted)
                        .bind(full)
                        .bind(at)
                        .execute(&mut *tx)
                        .await?;
                }
            }
            journal_append!(tx, act, &change)?;
            tx.commit().await?;
        });
        Ok(written)
    }
}
