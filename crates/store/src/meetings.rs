//! Meetings in storage: record one for an organisation (journaled) and list an
//! organisation's meetings over a span, for its cadence calendar. Groundwork for issue 6.

use crate::db::BeginWrite;
use crate::error::StoreError;
use crate::journal::{Act, Change, journal_append};
use crate::{Store, on_db};
use jiff::civil::Date;
use pioneer_domain::orglife::{MeetingFields, MeetingKind};
use uuid::Uuid;

/// A meeting as stored.
#[derive(Debug, Clone, serde::Serialize)]
pub struct MeetingRecord {
    /// Id.
    pub id: Uuid,
    /// Organisation.
    pub org_id: Uuid,
    /// Fields.
    pub fields: MeetingFields,
}

type Row = (Uuid, Uuid, String, String, String, Option<String>, Option<String>, String);

impl Store {
    /// Records a meeting held by `org_id`.
    pub async fn record_meeting(
        &self,
        org_id: Uuid,
        m: &MeetingFields,
        act: &Act,
    ) -> Result<Uuid, StoreError> {
        let o = self.placement(org_id).await?;
        let id = Uuid::now_v7();
        let change = Change {
            tenant_id: o.tenant_id,
            entity: "meeting",
            entity_id: Some(id),
            change: serde_json::json!({ "org_id": org_id, "meeting": m }),
        };
        let at = act.at.as_millisecond();
        on_db!(self.db(), pool => {
            let mut tx = pool.begin_write().await?;
            sqlx::query(
                "INSERT INTO meetings (id, tenant_id, org_id, org_path, kind, held_on, topic, first_topic, speaker, minutes, \
                 recorded_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
            )
            .bind(id).bind(o.tenant_id).bind(o.id).bind(&o.path).bind(m.kind.code()).bind(m.held_on.to_string())
            .bind(&m.topic).bind(&m.first_topic).bind(&m.speaker).bind(&m.minutes).bind(&act.actor).bind(at)
            .execute(&mut *tx).await?;
            journal_append!(tx, act, &change)?;
            tx.commit().await?;
        });
        Ok(id)
    }

    /// An organisation's meetings held in `[from, to]`, oldest first.
    pub async fn meetings_of(
        &self,
        org_id: Uuid,
        from: Date,
        to: Date,
    ) -> Result<Vec<MeetingRecord>, StoreError> {
        let rows: Vec<Row> = on_db!(self.db(), pool => {
            sqlx::query_as(
                "SELECT id, org_id, kind, held_on, topic, first_topic, speaker, minutes FROM meetings \
                 WHERE org_id = $1 AND held_on >= $2 AND held_on <= $3 ORDER BY held_on, id",
            )
            .bind(org_id).bind(from.to_string()).bind(to.to_string())
            .fetch_all(pool).await?
        });
        rows.into_iter()
            .map(|(id, org_id, kind, held_on, topic, first_topic, speaker, minutes)| {
                Ok(MeetingRecord {
                    id,
                    org_id,
                    fields: MeetingFields {
                        kind: MeetingKind::from_code(&kind).ok_or(StoreError::Corrupt("meetings.kind"))?,
                        held_on: held_on.parse().map_err(|_| StoreError::Corrupt("meetings.held_on"))?,
                        topic,
                        first_topic,
                        speaker,
                        minutes,
                    },
                })
            })
            .collect()
    }
}
