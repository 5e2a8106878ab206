//! Objections to a public notice in storage: received in the objector's real name (the
//! phone sealed, found by keyed hash), held to a per-phone and a per-day limit per notice,
//! listed for the organisations of the dossier's subtree, and accepted for investigation
//! (recorded in the dossier in the same transaction) or dismissed with a reason. Each
//! step is journaled; the journal holds the phone only as its keyed hash.

use crate::development::dossiers::NewEvent;
use crate::error::StoreError;
use crate::journal::{Act, Change, journal_append};
use crate::{Store, db::BeginWrite, on_db};
use jiff::civil::Date;
use pioneer_domain::development::dossier::{Key, Kind, Value};
use pioneer_domain::development::objections::{ObjectionFields, ObjectionStatus, may_receive};
use pioneer_domain::{FieldError, Reason};
use uuid::Uuid;

/// An objection as the organisation sees it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ObjectionRecord {
    /// Id.
    pub id: Uuid,
    /// The dossier objected to.
    pub dossier_id: Uuid,
    /// The notice (its event's seq in the dossier).
    pub notice_seq: u32,
    /// Whose notice it was.
    pub subject: String,
    /// The dossier's organisation.
    pub org_name: String,
    /// The objector's name.
    pub name: String,
    /// The objector's phone, masked (138****5678).
    pub phone_masked: String,
    /// The objection.
    pub text: String,
    /// Received (ms).
    pub received_at: i64,
    /// Where it stands.
    pub status: ObjectionStatus,
    /// Decided (ms), by whom, and the reason of a dismissal.
    pub decided: Option<(i64, String, Option<String>)>,
    /// The dossier event an acceptance recorded.
    pub event_seq: Option<u32>,
}

type Row = (
    Uuid,
    Uuid,
    i64,
    String,
    String,
    String,
    Vec<u8>,
    String,
    i64,
    String,
    Option<i64>,
    Option<String>,
    Option<String>,
    Option<i64>,
);

const SELECT: &str = "SELECT x.id, x.dossier_id, x.notice_seq, p.name, o.name, x.name, x.phone_enc, x.text, x.received_at, \
     x.status, x.decided_at, x.decided_by, x.reason, x.event_seq FROM objections x JOIN dossiers d ON d.tenant_id = x.tenant_id AND d.id = x.dossier_id \
     JOIN people p ON p.tenant_id = d.tenant_id AND p.id = d.person_id JOIN organizations o ON o.id = d.org_id";

fn record_from(vault: &crate::Vault, r: Row) -> Result<ObjectionRecord, StoreError> {
    let (
        id,
        dossier_id,
        seq,
        subject,
        org_name,
        name,
        phone,
        text,
        received_at,
        status,
        at,
        by,
        reason,
        event_seq,
    ) = r;
    let plain = vault.open("phone", &phone).map_err(|_| StoreError::Corrupt("objections.phone"))?;
    let phone = pioneer_domain::people::phone::PhoneNumber::parse("phone", &plain)
        .map_err(|_| StoreError::Corrupt("objections.phone"))?;
    Ok(ObjectionRecord {
        id,
        dossier_id,
        notice_seq: u32::try_from(seq).map_err(|_| StoreError::Corrupt("objections.notice_seq"))?,
        subject,
        org_name,
        name,
        phone_masked: phone.masked(),
        text,
        received_at,
        status: ObjectionStatus::from_code(&status).ok_or(StoreError::Corrupt("objections.status"))?,
        decided: at.zip(by).map(|(at, by)| (at, by, reason)),
        event_seq: event_seq.and_then(|s| u32::try_from(s).ok()),
    })
}

/// The start of the day (UTC+8) holding `at` (ms).
fn day_start(at: i64) -> i64 {
    const DAY: i64 = 86_400_000;
    const CST: i64 = 8 * 3_600_000;
    (at + CST).div_euclid(DAY) * DAY - CST
}

impl Store {
    /// Receives an objection to the notice `seq` of a dossier (the caller checked that it is
    /// running): refused by field beyond the per-phone or the per-day limit of the notice,
    /// nothing written. It blocks nothing until accepted.
    pub async fn receive_objection(
        &self,
        dossier_id: Uuid,
        seq: u32,
        f: &ObjectionFields,
        act: &Act,
    ) -> Result<Uuid, StoreError> {
        let d = self.dossier(dossier_id).await?;
        let at = act.at.as_millisecond();
        let (sealed, idx) =
            (self.vault.seal("phone", f.phone.as_str()), self.vault.index("phone", f.phone.as_str()));
        let id = Uuid::now_v7();
        let change = Change {
            tenant_id: d.tenant_id,
            entity: "objection",
            entity_id: Some(id),
            change: serde_json::json!({
                "dossier_id": dossier_id, "notice": seq, "status": "received", "name": f.name,
                "phone_hash": hex::encode(&idx), "text": f.text,
            }),
            rows: Vec::new(),
        };
        on_db!(self.db(), pool => {
            let mut tx = pool.begin_write().await?;
            let (from_phone, today): (i64, i64) = sqlx::query_as(
                "SELECT COALESCE(SUM(CASE WHEN phone_idx = $3 THEN 1 ELSE 0 END), 0), \
                 COALESCE(SUM(CASE WHEN received_at >= $4 THEN 1 ELSE 0 END), 0) \
                 FROM objections WHERE dossier_id = $1 AND notice_seq = $2",
            )
            .bind(dossier_id).bind(i64::from(seq)).bind(&idx).bind(day_start(at))
            .fetch_one(&mut *tx).await?;
            may_receive(from_phone, today)?;
            sqlx::query(
                "INSERT INTO objections (id, tenant_id, dossier_id, notice_seq, name, phone_enc, phone_idx, text, received_at, status) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'received')",
            )
            .bind(id).bind(d.tenant_id).bind(dossier_id).bind(i64::from(seq)).bind(&f.name).bind(&sealed).bind(&idx)
            .bind(&f.text).bind(at).execute(&mut *tx).await?;
            journal_append!(tx, self, act, &change)?;
            tx.commit().await?;
        });
        Ok(id)
    }

    /// The objections to dossiers of the subtree at `org_path`, those received and not yet
    /// decided first, then the latest decided (200 at most).
    pub async fn objections_in(
        &self,
        tenant_id: Uuid,
        org_path: &str,
    ) -> Result<Vec<ObjectionRecord>, StoreError> {
        let end = pioneer_domain::orgs::subtree_end(org_path);
        let rows: Vec<Row> = on_db!(self.db(), pool => {
            sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "{SELECT} WHERE x.tenant_id = $1 AND d.org_path >= $2 AND d.org_path < $3 \
                 ORDER BY CASE WHEN x.status = 'received' THEN 0 ELSE 1 END, x.received_at DESC, x.id LIMIT 200"
            )))
            .bind(tenant_id).bind(org_path).bind(&end).fetch_all(pool).await?
        });
        rows.into_iter().map(|r| record_from(&self.vault, r)).collect()
    }

    /// One objection, if its dossier is in the subtree at `org_path`.
    pub async fn objection_in(&self, id: Uuid, org_path: &str) -> Result<ObjectionRecord, StoreError> {
        let end = pioneer_domain::orgs::subtree_end(org_path);
        let row: Option<Row> = on_db!(self.db(), pool => {
            sqlx::query_as(sqlx::AssertSqlSafe(format!("{SELECT} WHERE x.id = $1 AND d.org_path >= $2 AND d.org_path < $3")))
                .bind(id).bind(org_path).bind(&end).fetch_optional(pool).await?
        });
        record_from(&self.vault, row.ok_or(StoreError::NotFound)?)
    }

    /// Accepts a received objection for investigation: it enters the dossier as an
    /// objection to its notice (holding the next step until resolved), in one transaction
    /// with its new status. Refused when already decided.
    pub async fn accept_objection(
        &self,
        id: Uuid,
        org_path: &str,
        today: Date,
        act: &Act,
    ) -> Result<u32, StoreError> {
        let x = self.objection_in(id, org_path).await?;
        if x.status != ObjectionStatus::Received {
            return Err(FieldError::new("objection", Reason::ChangedMeanwhile).into());
        }
        let new = NewEvent {
            kind: Kind::Objection,
            on: today,
            fields: vec![
                (Key::Notice, Value::Int(x.notice_seq.into())),
                (Key::Text, Value::Text(x.text.clone().into())),
            ],
            corrects: None,
            backfill: false,
        };
        self.record_event_and(x.dossier_id, new, today, act, Some(super::dossiers::Accepting::Objection(id)))
            .await?;
        let d = self.dossier(x.dossier_id).await?;
        Ok(d.dossier.events.last().map_or(0, |e| e.seq))
    }

    /// Dismisses a received objection with a reason (1–500 characters; journaled); the
    /// dossier is not touched.
    pub async fn dismiss_objection(
        &self,
        id: Uuid,
        org_path: &str,
        reason: &str,
        act: &Act,
    ) -> Result<(), StoreError> {
        let x = self.objection_in(id, org_path).await?;
        let reason = pioneer_domain::text::required("reason", reason, 500)?;
        let d = self.dossier(x.dossier_id).await?;
        let at = act.at.as_millisecond();
        let change = Change {
            tenant_id: d.tenant_id,
            entity: "objection",
            entity_id: Some(id),
            change: serde_json::json!({ "status": "dismissed", "reason": reason }),
            rows: Vec::new(),
        };
        on_db!(self.db(), pool => {
            let mut tx = pool.begin_write().await?;
            let n = sqlx::query("UPDATE objections SET status = 'dismissed', decided_at = $2, decided_by = $3, reason = $4 WHERE tenant_id = $5 AND id = $1 AND status = 'received'")
                .bind(id).bind(at).bind(&act.actor).bind(&reason).bind(d.tenant_id).execute(&mut *tx).await?.rows_affected();
            if n != 1 {
                return Err(FieldError::new("objection", Reason::ChangedMeanwhile).into());
            }
            journal_append!(tx, self, act, &change)?;
            tx.commit().await?;
        });
        Ok(())
    }
}
