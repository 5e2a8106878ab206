//! Dossiers written in batches: each prepared with its evaluation (stage, state, next due
//! step, finding counts), then inserted in multi-row statements with one journal entry per
//! batch. Used by the dossier import, the demo and generated data.

use crate::db::BeginWrite;
use crate::development::dossiers::{
    FOLLOW_STATUS_SQL, event_columns, fields_json, row_figures, settings_along, status_binds,
};
use crate::error::StoreError;
use crate::journal::{Act, Change, journal_append};
use crate::{Store, on_db};
use jiff::civil::Date;
use pioneer_domain::development::dossier::{self, Dossier, Event};
use pioneer_domain::development::engine;
use sha2::{Digest, Sha256};
use uuid::Uuid;

/// Dossiers per transaction (of generated data).
pub const BATCH: usize = 500;
/// Event rows per INSERT statement (15 parameters each).
const EVENT_ROWS: usize = 500;
/// Dossier rows per INSERT statement (19 parameters each).
const DOSSIER_ROWS: usize = 250;

/// A dossier row and its events, ready to insert.
pub struct Prepared {
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
pub fn prepare(
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
    /// Imports whole dossiers (people who have none), all or nothing, as of `today`; each
    /// person's status follows their dossier. Returns how many.
    pub async fn import_dossiers(
        &self,
        items: Vec<(crate::people::PersonRecord, Dossier)>,
        today: Date,
        act: &Act,
    ) -> Result<u64, StoreError> {
        let own = self.all_dev_settings().await?;
        let book = self.rule_book().await?;
        let batch: Vec<_> = items
            .into_iter()
            .map(|(p, d)| {
                let eval = engine::evaluate(&book, &d, &settings_along(&own, &p.org_path), today);
                prepare((p.id, p.tenant_id, p.fields.org_id, p.org_path.clone()), d, &eval)
            })
            .collect();
        let n = batch.len() as u64;
        self.insert_dossiers(&batch, true, act).await?;
        Ok(n)
    }

    /// Inserts prepared dossiers in one transaction, each person's status and dates moving
    /// forwards to where their dossier stands (as every recorded step moves them); returns
    /// how many events were written.
    pub async fn insert_dossier_batch(&self, batch: &[Prepared], act: &Act) -> Result<u64, StoreError> {
        self.insert_dossiers(batch, true, act).await
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
            rows: Vec::new(),
        };
        let rows: Vec<(&Prepared, &Event, Uuid)> =
            batch.iter().flat_map(|p| p.events.iter().map(move |e| (p, e, Uuid::now_v7()))).collect();
        let mut change = change;
        change.rows.extend(batch.iter().map(|p| ("dossiers", p.id)));
        change.rows.extend(rows.iter().map(|r| ("dossier_events", r.2)));
        if sync_people {
            change.rows.extend(batch.iter().map(|p| ("people", p.person_id)));
        }
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
                    .bind(p.events.iter().any(|e| e.backfill))
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
                for (p, e, event_id) in chunk {
                    let (to_org, ref_seq, ends_on) = event_columns(e);
                    q = q
                        .bind(*event_id)
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
                        .bind(p.tenant_id)
                        .execute(&mut *tx)
                        .await?;
                }
            }
            journal_append!(tx, self, act, &change)?;
            tx.commit().await?;
        });
        Ok(written)
    }
}
