//! Members leaving in storage: record that a member left (the person becomes a non-member
//! and the record keeps what they were), read it, and withdraw a mistaken record. Each
//! write is one transaction with its journal entry.

use crate::db::BeginWrite;
use crate::error::StoreError;
use crate::journal::{Act, Change, journal_append};
use crate::orgs::parse_date;
use crate::{Store, on_db};
use jiff::civil::Date;
use pioneer_domain::people::Status;
use pioneer_domain::people::departure::{Departure, DepartureKind};
use pioneer_domain::{FieldError, Reason};
use std::collections::HashMap;
use uuid::Uuid;

/// A recorded departure, as shown on the person's page.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct DepartureRecord {
    /// How the member left.
    pub kind: DepartureKind,
    /// On what day.
    pub left_on: Date,
    /// The decision and its document number.
    pub note: Option<String>,
    /// The status they had.
    pub status_before: Status,
    /// The organisation that handled the case.
    pub org_id: Uuid,
    /// Who recorded it.
    pub recorded_by: String,
}

type Row = (String, String, Option<String>, String, Uuid, String);

impl Store {
    /// Records that `person_id` left: the person's status becomes non-member (not mobile,
    /// no home organisation) in the same transaction. Refused when the person's status is no longer
    /// `status_seen` (changed meanwhile) or a departure is already recorded.
    pub async fn record_departure(
        &self,
        person_id: Uuid,
        status_seen: Status,
        d: &Departure,
        act: &Act,
    ) -> Result<(), StoreError> {
        let p = self.person(person_id).await?;
        let change = Change {
            tenant_id: p.tenant_id,
            entity: "departure",
            entity_id: Some(person_id),
            change: serde_json::json!({
                "kind": d.kind.code(), "left_on": d.left_on.to_string(), "note": d.note,
                "status_before": status_seen.code(),
            }),
            rows: vec![("departures", person_id), ("people", person_id)],
        };
        let at = act.at.as_millisecond();
        // On PostgreSQL the row is locked, so an edit of the person waits for this record
        // (SQLite's write transaction already excludes it).
        let lock = if self.db().backend() == crate::Backend::Sqlite { "" } else { " FOR UPDATE" };
        let read = format!(
            "SELECT is_mobile, home_organization FROM people WHERE tenant_id = $3 AND id = $1 AND status = $2{lock}"
        );
        on_db!(self.db(), pool => {
            let mut tx = pool.begin_write().await?;
            let mobile: Option<(bool, Option<String>)> = sqlx::query_as(sqlx::AssertSqlSafe(read.clone()))
                .bind(person_id)
                .bind(status_seen.code())
                .bind(p.tenant_id)
                .fetch_optional(&mut *tx)
                .await?;
            let Some((mobile, home)) = mobile else {
                return Err(FieldError::new("status", Reason::ChangedMeanwhile).into());
            };
            let n = sqlx::query(
                "INSERT INTO departures (person_id, tenant_id, org_id, org_path, kind, left_on, status_before, was_mobile, \
                 home_before, note, recorded_by, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) \
                 ON CONFLICT DO NOTHING",
            )
            .bind(person_id)
            .bind(p.tenant_id)
            .bind(p.fields.org_id)
            .bind(&p.org_path)
            .bind(d.kind.code())
            .bind(d.left_on.to_string())
            .bind(status_seen.code())
            .bind(mobile)
            .bind(&home)
            .bind(&d.note)
            .bind(&act.actor)
            .bind(at)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if n != 1 {
                return Err(FieldError::new("departure_kind", Reason::AlreadyExists).into());
            }
            sqlx::query("UPDATE people SET status = 'non_member', is_mobile = FALSE, home_organization = NULL, updated_at = $2 WHERE tenant_id = $3 AND id = $1")
                .bind(person_id)
                .bind(at)
                .bind(p.tenant_id)
                .execute(&mut *tx)
                .await?;
            journal_append!(tx, self, act, &change)?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// The departure recorded for a person, if any.
    pub async fn departure(&self, person_id: Uuid) -> Result<Option<DepartureRecord>, StoreError> {
        let row: Option<Row> = on_db!(self.db(), pool => {
            let sql = format!(
                "SELECT kind, left_on, note, status_before, org_id, recorded_by FROM departures WHERE person_id = $1{}",
                crate::tenancy::and_tenant("tenant_id", 2)
            );
            crate::tenancy::bind_tenant!(sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(person_id))
            .fetch_optional(pool)
            .await?
        });
        let Some((kind, left_on, note, before, org_id, recorded_by)) = row else { return Ok(None) };
        Ok(Some(DepartureRecord {
            kind: DepartureKind::from_code(&kind).ok_or(StoreError::Corrupt("departures.kind"))?,
            left_on: parse_date("departures.left_on", Some(left_on))?
                .ok_or(StoreError::Corrupt("departures.left_on"))?,
            note,
            status_before: Status::from_code(&before)
                .ok_or(StoreError::Corrupt("departures.status_before"))?,
            org_id,
            recorded_by,
        }))
    }

    /// Withdraws a departure recorded by mistake (or on 恢复党籍): the person gets back the
    /// status, mobile flag and home organisation they had. Refused when nothing is recorded.
    pub async fn withdraw_departure(&self, person_id: Uuid, act: &Act) -> Result<(), StoreError> {
        let p = self.person(person_id).await?;
        let Some(d) = self.departure(person_id).await? else {
            let none = Reason::Refused {
                zh: "此人没有出党记录，无可撤销",
                en: "Nothing to withdraw: no departure is recorded",
            };
            return Err(FieldError::new("departure_kind", none).into());
        };
        let change = Change {
            tenant_id: p.tenant_id,
            entity: "departure",
            entity_id: Some(person_id),
            change: serde_json::json!({ "withdrawn": { "kind": d.kind.code(), "left_on": d.left_on.to_string() } }),
            rows: vec![("departures", person_id), ("people", person_id)],
        };
        let at = act.at.as_millisecond();
        on_db!(self.db(), pool => {
            let mut tx = pool.begin_write().await?;
            let restored = sqlx::query(
                "UPDATE people SET status = d.status_before, is_mobile = d.was_mobile, home_organization = d.home_before, \
                 updated_at = $2 \
                 FROM departures d WHERE d.tenant_id = people.tenant_id AND d.person_id = $1 \
                 AND people.tenant_id = $3 AND people.id = $1 AND people.status = 'non_member'",
            )
            .bind(person_id)
            .bind(at)
            .bind(p.tenant_id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            let gone = sqlx::query("DELETE FROM departures WHERE tenant_id = $2 AND person_id = $1")
                .bind(person_id)
                .bind(p.tenant_id)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if restored != 1 || gone != 1 {
                return Err(FieldError::new("status", Reason::ChangedMeanwhile).into());
            }
            journal_append!(tx, self, act, &change)?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// Every departure of a deployment, by person: the day, how, and the status before; for
    /// statistics.
    pub(crate) async fn departures_of(
        &self,
        tenant: Uuid,
    ) -> Result<HashMap<Uuid, (Date, DepartureKind, Status)>, StoreError> {
        let rows: Vec<(Uuid, String, String, String)> = on_db!(self.reader(), pool => {
            sqlx::query_as("SELECT person_id, left_on, kind, status_before FROM departures WHERE tenant_id = $1")
                .bind(tenant)
                .fetch_all(pool)
                .await?
        });
        rows.into_iter()
            .map(|(id, on, kind, before)| {
                let on = on.parse().map_err(|_| StoreError::Corrupt("departures.left_on"))?;
                let kind = DepartureKind::from_code(&kind).ok_or(StoreError::Corrupt("departures.kind"))?;
                let before =
                    Status::from_code(&before).ok_or(StoreError::Corrupt("departures.status_before"))?;
                Ok((id, (on, kind, before)))
            })
            .collect()
    }
}
