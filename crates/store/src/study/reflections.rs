//! Reflections (心得体会) in storage: a member writes one on a course they may read; it
//! waits for a secretary of their organisation (or above) who approves it — then their
//! branch reads it and it counts in the course's reach — or returns it with a reason.
//! Each step is journaled with the text's length, not the text.

use crate::error::StoreError;
use crate::journal::{Act, Change, journal_append};
use crate::study::courses::CourseRecord;
use crate::{Store, db::BeginWrite, on_db};
use pioneer_domain::study::reflections::{ReflectionStatus, may_write};
use pioneer_domain::{FieldError, Reason};
use uuid::Uuid;

/// A reflection as stored.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ReflectionRecord {
    /// Id.
    pub id: Uuid,
    /// The deployment.
    pub tenant_id: Uuid,
    /// The course.
    pub course_id: Uuid,
    /// Its title.
    pub course_title: String,
    /// Who wrote it.
    pub person_id: Uuid,
    /// Their name.
    pub person_name: String,
    /// Their organisation's path when they wrote it.
    pub org_path: String,
    /// The reflection.
    pub text: String,
    /// Written (ms).
    pub written_at: i64,
    /// Where it stands (`submitted`, `approved`, `returned`).
    pub status: String,
    /// Why it was returned.
    pub reason: Option<String>,
}

type Row = (Uuid, Uuid, Uuid, String, Uuid, String, String, String, i64, String, Option<String>);

const COLUMNS: &str = "r.id, r.tenant_id, r.course_id, c.title, r.person_id, p.name, r.org_path, r.text, r.written_at, \
    r.status, r.reason FROM reflections r JOIN courses c ON c.tenant_id = r.tenant_id AND c.id = r.course_id \
    JOIN people p ON p.tenant_id = r.tenant_id AND p.id = r.person_id";

fn record(r: Row) -> ReflectionRecord {
    let (
        id,
        tenant_id,
        course_id,
        course_title,
        person_id,
        person_name,
        org_path,
        text,
        written_at,
        status,
        reason,
    ) = r;
    ReflectionRecord {
        id,
        tenant_id,
        course_id,
        course_title,
        person_id,
        person_name,
        org_path,
        text,
        written_at,
        status,
        reason,
    }
}

impl Store {
    /// Writes `person_id`'s reflection on `course` (as checked by the domain), refused
    /// while another of theirs on it waits or stands approved.
    pub async fn write_reflection(
        &self,
        course: &CourseRecord,
        person_id: Uuid,
        member_path: &str,
        text: &str,
        act: &Act,
    ) -> Result<Uuid, StoreError> {
        let mine: Vec<ReflectionStatus> = self
            .reflections_by(course.id, person_id)
            .await?
            .iter()
            .filter_map(|r| ReflectionStatus::from_code(&r.status))
            .collect();
        may_write(&mine)?;
        let id = Uuid::now_v7();
        let at = act.at.as_millisecond();
        let change = Change {
            tenant_id: course.tenant_id,
            entity: "reflection",
            entity_id: Some(id),
            change: serde_json::json!({ "course_id": course.id, "person_id": person_id, "chars": text.chars().count() }),
            rows: Vec::new(),
        };
        on_db!(self.db(), pool => {
            let mut tx = pool.begin_write().await?;
            sqlx::query(
                "INSERT INTO reflections (tenant_id, id, course_id, person_id, org_path, text, written_at, status) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, 'submitted')",
            )
            .bind(course.tenant_id).bind(id).bind(course.id).bind(person_id).bind(member_path).bind(text).bind(at)
            .execute(&mut *tx).await?;
            journal_append!(tx, self, act, &change)?;
            tx.commit().await?;
        });
        Ok(id)
    }

    /// A member's reflections on a course, the newest first.
    pub async fn reflections_by(
        &self,
        course_id: Uuid,
        person_id: Uuid,
    ) -> Result<Vec<ReflectionRecord>, StoreError> {
        let rows: Vec<Row> = on_db!(self.db(), pool => {
            let sql = format!("SELECT {COLUMNS} WHERE r.course_id = $1 AND r.person_id = $2{} ORDER BY r.written_at DESC",
                crate::tenancy::and_tenant("r.tenant_id", 3));
            crate::tenancy::bind_tenant!(sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(course_id).bind(person_id))
                .fetch_all(pool).await?
        });
        Ok(rows.into_iter().map(record).collect())
    }

    /// The approved reflections on a course written in one organisation (a branch reads its
    /// own), the newest first, at most `limit`.
    pub async fn approved_reflections(
        &self,
        course_id: Uuid,
        org_path: &str,
        limit: i64,
    ) -> Result<Vec<ReflectionRecord>, StoreError> {
        let rows: Vec<Row> = on_db!(self.db(), pool => {
            let sql = format!("SELECT {COLUMNS} WHERE r.course_id = $1 AND r.org_path = $2 AND r.status = 'approved'{} \
                ORDER BY r.written_at DESC LIMIT $3", crate::tenancy::and_tenant("r.tenant_id", 4));
            crate::tenancy::bind_tenant!(sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(course_id).bind(org_path).bind(limit))
                .fetch_all(pool).await?
        });
        Ok(rows.into_iter().map(record).collect())
    }

    /// Reflections waiting in a subtree, the oldest first, at most `limit`.
    pub async fn waiting_reflections(
        &self,
        org_path: &str,
        limit: i64,
    ) -> Result<Vec<ReflectionRecord>, StoreError> {
        let end = pioneer_domain::orgs::subtree_end(org_path);
        let rows: Vec<Row> = on_db!(self.db(), pool => {
            let sql = format!("SELECT {COLUMNS} WHERE r.org_path >= $1 AND r.org_path < $2 AND r.status = 'submitted'{} \
                ORDER BY r.written_at LIMIT $3", crate::tenancy::and_tenant("r.tenant_id", 4));
            crate::tenancy::bind_tenant!(sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(org_path).bind(&end).bind(limit))
                .fetch_all(pool).await?
        });
        Ok(rows.into_iter().map(record).collect())
    }

    /// One reflection (404 when unknown).
    pub async fn reflection(&self, id: Uuid) -> Result<ReflectionRecord, StoreError> {
        let row: Option<Row> = on_db!(self.db(), pool => {
            let sql = format!("SELECT {COLUMNS} WHERE r.id = $1{}", crate::tenancy::and_tenant("r.tenant_id", 2));
            crate::tenancy::bind_tenant!(sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(id)).fetch_optional(pool).await?
        });
        row.map(record).ok_or(StoreError::NotFound)
    }

    /// Approves a waiting reflection, or returns it with `reason`; refused when it no
    /// longer waits.
    pub async fn decide_reflection(
        &self,
        id: Uuid,
        returned: Option<&str>,
        act: &Act,
    ) -> Result<(), StoreError> {
        let r = self.reflection(id).await?;
        let status = if returned.is_some() { ReflectionStatus::Returned } else { ReflectionStatus::Approved };
        let change = Change {
            tenant_id: r.tenant_id,
            entity: "reflection",
            entity_id: Some(id),
            change: serde_json::json!({ "status": status.code(), "reason": returned }),
            rows: Vec::new(),
        };
        let at = act.at.as_millisecond();
        on_db!(self.db(), pool => {
            let mut tx = pool.begin_write().await?;
            let n = sqlx::query(
                "UPDATE reflections SET status = $2, decided_at = $3, decided_by = $4, reason = $5 \
                 WHERE tenant_id = $6 AND id = $1 AND status = 'submitted'",
            )
            .bind(id).bind(status.code()).bind(at).bind(&act.actor).bind(returned).bind(r.tenant_id)
            .execute(&mut *tx).await?.rows_affected();
            if n != 1 {
                return Err(FieldError::new("reflection", Reason::ChangedMeanwhile).into());
            }
            journal_append!(tx, self, act, &change)?;
            tx.commit().await?;
        });
        Ok(())
    }
}
