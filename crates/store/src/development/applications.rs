//! Applications to join submitted online, in storage: a non-member submits the letter (and
//! a scan) once; the branch and the organisations above it list what waits, accept one — a
//! dossier opened and its first step (递交入党申请书) recorded on the day it was submitted,
//! the application marked accepted, in the step's own transaction — or decline it with a
//! reason. Each step is journaled; the journal holds the letter's length, not its text.

use crate::development::dossiers::{Accepting, NewEvent};
use crate::error::StoreError;
use crate::journal::{Act, Change, journal_append};
use crate::{Store, db::BeginWrite, on_db};
use jiff::civil::Date;
use pioneer_domain::development::application::{ApplicationInput, may_apply};
use pioneer_domain::development::dossier::Kind;
use pioneer_domain::{FieldError, Reason};
use uuid::Uuid;

/// An application as stored (without its scan's bytes).
#[derive(Debug, Clone, serde::Serialize)]
pub struct ApplicationRecord {
    /// Id.
    pub id: Uuid,
    /// The deployment.
    pub tenant_id: Uuid,
    /// Who applied.
    pub person_id: Uuid,
    /// Their name.
    pub person_name: String,
    /// Their organisation when they applied.
    pub org_id: Uuid,
    /// Its name.
    pub org_name: String,
    /// Its path.
    pub org_path: String,
    /// The day it was submitted.
    pub submitted_on: Date,
    /// The letter.
    pub text: String,
    /// The scan's media type, if one was sent.
    pub scan_type: Option<String>,
    /// `submitted`, `accepted` or `declined`.
    pub status: String,
    /// Decided (ms) and by whom.
    pub decided: Option<(i64, String)>,
    /// Why it was declined.
    pub reason: Option<String>,
    /// The dossier an acceptance opened.
    pub dossier_id: Option<Uuid>,
}

type Row = (
    Uuid,
    Uuid,
    Uuid,
    String,
    Uuid,
    String,
    String,
    String,
    String,
    Option<String>,
    String,
    Option<i64>,
    Option<String>,
    Option<String>,
    Option<Uuid>,
);

const COLUMNS: &str = "a.id, a.tenant_id, a.person_id, p.name, a.org_id, o.name, a.org_path, a.submitted_on, \
    a.text, a.scan_type, a.status, a.decided_at, a.decided_by, a.reason, a.dossier_id \
    FROM applications a JOIN people p ON p.tenant_id = a.tenant_id AND p.id = a.person_id \
    JOIN organizations o ON o.id = a.org_id";

fn record(r: Row) -> Result<ApplicationRecord, StoreError> {
    let (
        id,
        tenant_id,
        person_id,
        person_name,
        org_id,
        org_name,
        org_path,
        on,
        text,
        scan_type,
        status,
        at,
        by,
        reason,
        dossier_id,
    ) = r;
    Ok(ApplicationRecord {
        id,
        tenant_id,
        person_id,
        person_name,
        org_id,
        org_name,
        org_path,
        submitted_on: on.parse().map_err(|_| StoreError::Corrupt("applications.submitted_on"))?,
        text,
        scan_type,
        status,
        decided: at.zip(by),
        reason,
        dossier_id,
    })
}

impl Store {
    /// Submits `person_id`'s application on `on`: refused (nothing written) unless they are
    /// a non-member without a dossier and with no application waiting.
    pub async fn submit_application(
        &self,
        person_id: Uuid,
        input: &ApplicationInput,
        on: Date,
        act: &Act,
    ) -> Result<Uuid, StoreError> {
        let p = self.person(person_id).await?;
        let has_dossier = self.dossier_of_person(person_id).await?.is_some();
        let waiting = self.applications_of_person(person_id).await?.iter().any(|a| a.status == "submitted");
        may_apply(p.fields.status, has_dossier, waiting)?;
        let id = Uuid::now_v7();
        let (scan_type, scan) = match &input.scan {
            Some((kind, bytes)) => (Some(kind.content_type()), Some(bytes.clone())),
            None => (None, None),
        };
        let change = Change {
            tenant_id: p.tenant_id,
            entity: "application",
            entity_id: Some(id),
            change: serde_json::json!({
                "person_id": person_id, "submitted_on": on.to_string(),
                "letter_chars": input.text.chars().count(), "scan": scan_type,
            }),
            rows: Vec::new(),
        };
        let at = act.at.as_millisecond();
        on_db!(self.db(), pool => {
            let mut tx = pool.begin_write().await?;
            sqlx::query(
                "INSERT INTO applications (tenant_id, id, person_id, org_id, org_path, submitted_on, text, scan, scan_type, \
                 status, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'submitted', $10)",
            )
            .bind(p.tenant_id).bind(id).bind(person_id).bind(p.fields.org_id).bind(&p.org_path)
            .bind(on.to_string()).bind(&input.text).bind(&scan).bind(scan_type).bind(at)
            .execute(&mut *tx).await?;
            journal_append!(tx, self, act, &change)?;
            tx.commit().await?;
        });
        Ok(id)
    }

    /// A person's applications, the newest first.
    pub async fn applications_of_person(
        &self,
        person_id: Uuid,
    ) -> Result<Vec<ApplicationRecord>, StoreError> {
        let rows: Vec<Row> = on_db!(self.db(), pool => {
            let sql = format!("SELECT {COLUMNS} WHERE a.person_id = $1{} ORDER BY a.created_at DESC",
                crate::tenancy::and_tenant("a.tenant_id", 2));
            crate::tenancy::bind_tenant!(sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(person_id)).fetch_all(pool).await?
        });
        rows.into_iter().map(record).collect()
    }

    /// Applications waiting in a subtree, the oldest first, at most `limit`.
    pub async fn waiting_applications(
        &self,
        org_path: &str,
        limit: i64,
    ) -> Result<Vec<ApplicationRecord>, StoreError> {
        let end = pioneer_domain::orgs::subtree_end(org_path);
        let rows: Vec<Row> = on_db!(self.db(), pool => {
            let sql = format!("SELECT {COLUMNS} WHERE a.org_path >= $1 AND a.org_path < $2 AND a.status = 'submitted'{} \
                ORDER BY a.created_at LIMIT $3", crate::tenancy::and_tenant("a.tenant_id", 4));
            crate::tenancy::bind_tenant!(sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(org_path).bind(&end).bind(limit))
                .fetch_all(pool).await?
        });
        rows.into_iter().map(record).collect()
    }

    /// One application (404 when unknown).
    pub async fn application(&self, id: Uuid) -> Result<ApplicationRecord, StoreError> {
        let row: Option<Row> = on_db!(self.db(), pool => {
            let sql = format!("SELECT {COLUMNS} WHERE a.id = $1{}", crate::tenancy::and_tenant("a.tenant_id", 2));
            crate::tenancy::bind_tenant!(sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(id)).fetch_optional(pool).await?
        });
        record(row.ok_or(StoreError::NotFound)?)
    }

    /// An application's scan: media type and bytes (404 when none was sent).
    pub async fn application_scan(&self, id: Uuid) -> Result<(String, Vec<u8>), StoreError> {
        let row: Option<(Option<String>, Option<Vec<u8>>)> = on_db!(self.db(), pool => {
            let sql = format!("SELECT scan_type, scan FROM applications WHERE id = $1{}", crate::tenancy::and_tenant("tenant_id", 2));
            crate::tenancy::bind_tenant!(sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(id)).fetch_optional(pool).await?
        });
        match row {
            Some((Some(t), Some(b))) => Ok((t, b)),
            _ => Err(StoreError::NotFound),
        }
    }

    /// Accepts a waiting application: opens the person's dossier (or takes the empty one
    /// they have) and records its first step on the day the letter was submitted, marking
    /// the application accepted in that step's transaction. Refused when it no longer waits
    /// or the person's dossier already has a record.
    pub async fn accept_application(&self, id: Uuid, today: Date, act: &Act) -> Result<Uuid, StoreError> {
        let a = self.application(id).await?;
        if a.status != "submitted" {
            return Err(FieldError::new("application", Reason::ChangedMeanwhile).into());
        }
        let dossier = match self.dossier_of_person(a.person_id).await? {
            Some(d) if self.dossier(d).await?.dossier.events.is_empty() => d,
            Some(_) => {
                return Err(FieldError::new(
                    "application",
                    Reason::Refused {
                        zh: "此人的发展党员档案已有记录，请在档案中登记，并不予受理本申请",
                        en: "this person's dossier already has a record; record there and decline this application",
                    },
                )
                .into());
            }
            None => self.open_dossier(a.person_id, act).await?,
        };
        let step = NewEvent {
            kind: Kind::Step(1),
            on: a.submitted_on,
            fields: Vec::new(),
            corrects: None,
            backfill: false,
        };
        self.record_event_and(dossier, step, today, act, Some(Accepting::Application(id))).await?;
        Ok(dossier)
    }

    /// Declines a waiting application with a reason (refused when it no longer waits).
    pub async fn decline_application(&self, id: Uuid, reason: &str, act: &Act) -> Result<(), StoreError> {
        let a = self.application(id).await?;
        let change = Change {
            tenant_id: a.tenant_id,
            entity: "application",
            entity_id: Some(id),
            change: serde_json::json!({ "declined": reason }),
            rows: Vec::new(),
        };
        let at = act.at.as_millisecond();
        on_db!(self.db(), pool => {
            let mut tx = pool.begin_write().await?;
            let n = sqlx::query(
                "UPDATE applications SET status = 'declined', decided_at = $2, decided_by = $3, reason = $4 \
                 WHERE tenant_id = $5 AND id = $1 AND status = 'submitted'",
            )
            .bind(id).bind(at).bind(&act.actor).bind(reason).bind(a.tenant_id)
            .execute(&mut *tx).await?.rows_affected();
            if n != 1 {
                return Err(FieldError::new("application", Reason::ChangedMeanwhile).into());
            }
            journal_append!(tx, self, act, &change)?;
            tx.commit().await?;
        });
        Ok(())
    }
}
