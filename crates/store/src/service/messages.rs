//! Messages to volunteers (an outbox): a new shift in a team's district, a shift tomorrow,
//! hours confirmed. Each is queued once per person and subject, shown in the app, and handed
//! to the configured sender by a background task that retries failures later; a queued
//! message never holds up the write that caused it.

use crate::error::StoreError;
use crate::{Store, on_db};
use uuid::Uuid;

/// What a message is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MessageKind {
    /// A new shift in a district one of the volunteer's teams serves.
    NewShift,
    /// One of the volunteer's shifts begins tomorrow.
    ShiftTomorrow,
    /// The leader confirmed the volunteer's hours.
    HoursConfirmed,
}

impl MessageKind {
    /// The stored code.
    pub fn code(self) -> &'static str {
        match self {
            MessageKind::NewShift => "new_shift",
            MessageKind::ShiftTomorrow => "shift_tomorrow",
            MessageKind::HoursConfirmed => "hours_confirmed",
        }
    }
}

/// A message as the volunteer sees it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Message {
    /// Id.
    pub id: Uuid,
    /// Kind code.
    pub kind: String,
    /// The shift it is about.
    pub subject_id: Uuid,
    /// The text.
    pub body: String,
    /// Queued at (ms).
    pub created_at: i64,
    /// Handed to the sender at (ms), once it was.
    pub sent_at: Option<i64>,
}

/// A message due for the sender, with the volunteer's phone opened.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Outgoing {
    /// The tenant.
    pub tenant_id: Uuid,
    /// Id (the sender's idempotency key).
    pub id: Uuid,
    /// The volunteer.
    pub person_id: Uuid,
    /// Their phone, when known.
    pub phone: Option<String>,
    /// Kind code.
    pub kind: String,
    /// The text.
    pub body: String,
    /// Tries so far.
    pub attempts: i64,
}

impl Store {
    /// Queues one message per person in `to` about `subject` (a person already told about
    /// it is skipped); returns how many were queued.
    pub async fn queue_messages(
        &self,
        tenant: Uuid,
        to: &[Uuid],
        kind: MessageKind,
        subject: Uuid,
        body: &str,
        at_ms: i64,
    ) -> Result<u64, StoreError> {
        let mut queued = 0;
        on_db!(self.db(), pool => {
            for person in to {
                queued += sqlx::query(
                    "INSERT INTO messages (tenant_id, id, person_id, kind, subject_id, body, created_at, attempts, next_try_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, 0, $7) ON CONFLICT (tenant_id, person_id, kind, subject_id) DO NOTHING",
                )
                .bind(tenant).bind(Uuid::now_v7()).bind(person).bind(kind.code()).bind(subject).bind(body).bind(at_ms)
                .execute(pool).await?.rows_affected();
            }
        });
        Ok(queued)
    }

    /// The volunteers to tell about a new shift of `request`: the members of the team that
    /// staffs it, else of the teams of its tenant that serve its district.
    pub async fn shift_audience(&self, tenant: Uuid, request: Uuid) -> Result<Vec<Uuid>, StoreError> {
        let (team, district, teams): (Option<Uuid>, String, Vec<(Uuid, String)>) = on_db!(self.db(), pool => {
            let (team, district): (Option<Uuid>, String) =
                sqlx::query_as("SELECT team_id, district FROM service_requests WHERE tenant_id = $1 AND id = $2")
                    .bind(tenant).bind(request).fetch_one(pool).await?;
            let teams = sqlx::query_as("SELECT id, districts FROM volunteer_teams WHERE tenant_id = $1")
                .bind(tenant).fetch_all(pool).await?;
            (team, district, teams)
        });
        let chosen: Vec<Uuid> = match team {
            Some(t) => vec![t],
            None => teams
                .into_iter()
                .filter(|(_, d)| {
                    serde_json::from_str::<Vec<String>>(d).unwrap_or_default().contains(&district)
                })
                .map(|(id, _)| id)
                .collect(),
        };
        let mut people: Vec<Uuid> = Vec::new();
        on_db!(self.db(), pool => {
            for t in &chosen {
                let members: Vec<Uuid> = sqlx::query_scalar("SELECT person_id FROM volunteers WHERE tenant_id = $1 AND team_id = $2")
                    .bind(tenant).bind(t).fetch_all(pool).await?;
                people.extend(members);
            }
        });
        people.sort();
        people.dedup();
        Ok(people)
    }

    /// Queues a reminder to everyone signed up for a shift that begins on `tomorrow`
    /// (local date); each is told once. Returns how many were queued.
    pub async fn queue_shift_reminders(
        &self,
        tomorrow: jiff::civil::Date,
        at_ms: i64,
    ) -> Result<u64, StoreError> {
        let from = tomorrow.to_string();
        let until = tomorrow.tomorrow().map_err(|_| StoreError::NotFound)?.to_string();
        type Row = (Uuid, Uuid, Uuid, String, String, String);
        let rows: Vec<Row> = on_db!(self.db(), pool => {
            sqlx::query_as(
                "SELECT g.tenant_id, g.person_id, s.id, s.starts_at, s.task, r.address FROM shift_signups g \
                 JOIN shifts s ON s.tenant_id = g.tenant_id AND s.id = g.shift_id \
                 JOIN service_requests r ON r.tenant_id = s.tenant_id AND r.id = s.request_id \
                 WHERE s.starts_at >= $1 AND s.starts_at < $2 AND g.checked_in_at IS NULL",
            )
            .bind(&from).bind(&until).fetch_all(pool).await?
        });
        let mut queued = 0;
        for (tenant, person, shift, starts, task, address) in rows {
            let body = format!(
                "明天 {} 有您的志愿服务班次：{task}，地点 {address}",
                starts.get(11..16).unwrap_or("")
            );
            queued += self
                .queue_messages(tenant, &[person], MessageKind::ShiftTomorrow, shift, &body, at_ms)
                .await?;
        }
        Ok(queued)
    }

    /// A volunteer's messages, newest first.
    pub async fn messages_for(&self, person: Uuid, limit: i64) -> Result<Vec<Message>, StoreError> {
        let p = self.person(person).await?;
        type Row = (Uuid, String, Uuid, String, i64, Option<i64>);
        let rows: Vec<Row> = on_db!(self.db(), pool => {
            sqlx::query_as(
                "SELECT id, kind, subject_id, body, created_at, sent_at FROM messages WHERE tenant_id = $1 AND person_id = $2 \
                 ORDER BY created_at DESC, id DESC LIMIT $3",
            )
            .bind(p.tenant_id).bind(person).bind(limit).fetch_all(pool).await?
        });
        Ok(rows
            .into_iter()
            .map(|(id, kind, subject_id, body, created_at, sent_at)| Message {
                id,
                kind,
                subject_id,
                body,
                created_at,
                sent_at,
            })
            .collect())
    }

    /// Messages due for the sender at `now_ms` (never sent, their next try due), oldest first.
    pub async fn due_messages(&self, now_ms: i64, limit: i64) -> Result<Vec<Outgoing>, StoreError> {
        type Row = (Uuid, Uuid, Uuid, String, String, i64, Option<Vec<u8>>);
        let rows: Vec<Row> = on_db!(self.db(), pool => {
            sqlx::query_as(
                "SELECT m.tenant_id, m.id, m.person_id, m.kind, m.body, m.attempts, p.phone_enc FROM messages m \
                 JOIN people p ON p.tenant_id = m.tenant_id AND p.id = m.person_id \
                 WHERE m.sent_at IS NULL AND m.next_try_at <= $1 ORDER BY m.next_try_at LIMIT $2",
            )
            .bind(now_ms).bind(limit).fetch_all(pool).await?
        });
        Ok(rows
            .into_iter()
            .map(|(tenant_id, id, person_id, kind, body, attempts, phone)| Outgoing {
                tenant_id,
                id,
                person_id,
                phone: phone.and_then(|p| self.vault().open("phone", &p).ok()),
                kind,
                body,
                attempts,
            })
            .collect())
    }

    /// Records a message handed to the sender.
    pub async fn message_sent(&self, tenant: Uuid, id: Uuid, at_ms: i64) -> Result<(), StoreError> {
        on_db!(self.db(), pool => {
            sqlx::query("UPDATE messages SET sent_at = $3, attempts = attempts + 1, last_error = NULL WHERE tenant_id = $1 AND id = $2")
                .bind(tenant).bind(id).bind(at_ms).execute(pool).await?;
        });
        Ok(())
    }

    /// Records a failed try; the next one is due at `next_try_ms`.
    pub async fn message_failed(
        &self,
        tenant: Uuid,
        id: Uuid,
        next_try_ms: i64,
        error: &str,
    ) -> Result<(), StoreError> {
        let error: String = error.chars().take(300).collect();
        on_db!(self.db(), pool => {
            sqlx::query(
                "UPDATE messages SET attempts = attempts + 1, next_try_at = $3, last_error = $4 WHERE tenant_id = $1 AND id = $2",
            )
            .bind(tenant).bind(id).bind(next_try_ms).bind(&error).execute(pool).await?;
        });
        Ok(())
    }
}
