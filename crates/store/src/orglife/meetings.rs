//! Meetings in storage: record one for an organisation with who attended (journaled, and
//! meeting credits for those present or online in the same transaction), list an
//! organisation's meetings over a span for its cadence calendar, count them per
//! organisation and kind for a year, and keep each organisation's cadence settings.

use crate::db::BeginWrite;
use crate::error::StoreError;
use crate::journal::{Act, Change, journal_append};
use crate::{Store, on_db};
use jiff::civil::Date;
use pioneer_domain::orglife::{Attendance, MeetingFields, MeetingKind, OrgLifeSettings};
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
    /// Records a meeting held by `org_id` with its attendance; those present or online earn
    /// meeting credits under the deployment's rules (caps apply; the key is the meeting).
    /// Everyone marked must belong to the deployment.
    pub async fn record_meeting(
        &self,
        org_id: Uuid,
        m: &MeetingFields,
        attendance: &[(Uuid, Attendance)],
        act: &Act,
    ) -> Result<Uuid, StoreError> {
        let o = self.placement(org_id).await?;
        // Each attendee earns under the rules in force at their own organisation.
        let tree = self.rules_tree(o.tenant_id).await?;
        let mut rules = std::collections::HashMap::new();
        for (person, _) in attendance {
            match self.person(*person).await {
                Ok(p) if p.tenant_id == o.tenant_id => rules.insert(*person, tree.at(&p.org_path).meeting),
                _ => {
                    return Err(pioneer_domain::FieldError::new(
                        "attendance",
                        pioneer_domain::Reason::UnknownPerson,
                    )
                    .into());
                }
            };
        }
        let id = Uuid::now_v7();
        let marks: Vec<(Uuid, &str)> = attendance.iter().map(|(p, a)| (*p, a.code())).collect();
        let change = Change {
            tenant_id: o.tenant_id,
            entity: "meeting",
            entity_id: Some(id),
            change: serde_json::json!({ "org_id": org_id, "meeting": m, "attendance": marks }),
            rows: vec![("meetings", id)],
        };
        let mut change = change;
        let key = format!("meeting-{id}");
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
            for (person, mark) in attendance {
                sqlx::query("INSERT INTO meeting_attendance (meeting_id, person_id, mark, tenant_id) VALUES ($1, $2, $3, $4)")
                    .bind(id).bind(person).bind(mark.code()).bind(o.tenant_id).execute(&mut *tx).await?;
                if mark.attended() {
                    let rule = rules[person];
                    change.rows.push(("credit_accounts", *person));
                    if let Some((_, entry)) = crate::care::credits::earn_in_tx!(tx, *person, o.tenant_id, &key, &rule, m.held_on, at) {
                        change.rows.push(("credit_entries", entry));
                    }
                }
            }
            journal_append!(tx, self, act, &change)?;
            tx.commit().await?;
        });
        Ok(id)
    }

    /// Who attended a meeting, and how.
    pub async fn attendance_of(&self, meeting_id: Uuid) -> Result<Vec<(Uuid, Attendance)>, StoreError> {
        let rows: Vec<(Uuid, String)> = on_db!(self.db(), pool => {
            let sql = format!("SELECT person_id, mark FROM meeting_attendance WHERE meeting_id = $1{} ORDER BY person_id",
                crate::tenancy::and_tenant("tenant_id", 2));
            crate::tenancy::bind_tenant!(sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(meeting_id)).fetch_all(pool).await?
        });
        rows.into_iter()
            .map(|(p, m)| {
                Ok((p, Attendance::from_code(&m).ok_or(StoreError::Corrupt("meeting_attendance.mark"))?))
            })
            .collect()
    }

    /// Meetings held in `year` in the subtree of `org_id`: `(organisation id, name, kind, count)`.
    pub async fn meeting_counts(
        &self,
        org_id: Uuid,
        year: i16,
    ) -> Result<Vec<(Uuid, String, MeetingKind, i64)>, StoreError> {
        let o = self.placement(org_id).await?;
        let (from, to) = (format!("{year:04}-01-01"), format!("{year:04}-12-31"));
        let rows: Vec<(Uuid, String, String, i64)> = on_db!(self.db(), pool => {
            sqlx::query_as(
                "SELECT m.org_id, g.name, m.kind, COUNT(*) FROM meetings m JOIN organizations g ON g.id = m.org_id \
                 WHERE m.tenant_id = $1 AND m.org_path >= $2 AND m.org_path < $5 AND m.held_on >= $3 AND m.held_on <= $4 \
                 GROUP BY m.org_id, g.name, m.kind ORDER BY g.name, m.kind",
            )
            .bind(o.tenant_id).bind(&o.path).bind(from).bind(to).bind(pioneer_domain::orgs::subtree_end(&o.path))
            .fetch_all(pool).await?
        });
        rows.into_iter()
            .map(|(id, name, kind, n)| {
                Ok((id, name, MeetingKind::from_code(&kind).ok_or(StoreError::Corrupt("meetings.kind"))?, n))
            })
            .collect()
    }

    /// An organisation's organisational-life settings (the defaults until set).
    pub async fn orglife_settings(&self, org_id: Uuid) -> Result<OrgLifeSettings, StoreError> {
        let text: Option<String> = on_db!(self.db(), pool => {
            sqlx::query_scalar("SELECT settings FROM orglife_settings WHERE org_id = $1").bind(org_id).fetch_optional(pool).await?
        });
        match text {
            Some(t) => serde_json::from_str(&t).map_err(|_| StoreError::Corrupt("orglife_settings.settings")),
            None => Ok(OrgLifeSettings::default()),
        }
    }

    /// Sets an organisation's organisational-life settings (journaled).
    pub async fn set_orglife_settings(
        &self,
        org_id: Uuid,
        settings: &OrgLifeSettings,
        act: &Act,
    ) -> Result<(), StoreError> {
        let o = self.placement(org_id).await?;
        let text =
            serde_json::to_string(settings).map_err(|_| StoreError::Corrupt("orglife_settings.settings"))?;
        let change = Change {
            tenant_id: o.tenant_id,
            entity: "orglife_settings",
            entity_id: Some(org_id),
            change: serde_json::json!(settings),
            rows: Vec::new(),
        };
        let at = act.at.as_millisecond();
        on_db!(self.db(), pool => {
            let mut tx = pool.begin_write().await?;
            sqlx::query("INSERT INTO orglife_settings (org_id, tenant_id, settings, updated_at) VALUES ($1, $2, $3, $4) \
                         ON CONFLICT (tenant_id, org_id) DO UPDATE SET settings = excluded.settings, updated_at = excluded.updated_at")
                .bind(org_id).bind(o.tenant_id).bind(&text).bind(at).execute(&mut *tx).await?;
            journal_append!(tx, self, act, &change)?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// Who may be marked at a meeting of `org`: with no search, the organisation's own
    /// members (those whose organisation it is: a branch's members for a branch meeting, the
    /// members kept at a committee for a committee meeting), else the members of its subtree
    /// whose name begins with `q`; `(id, name)` by name, at most `limit`.
    pub async fn attendee_choices(
        &self,
        org_id: Uuid,
        org_path: &str,
        q: Option<&str>,
        limit: i64,
    ) -> Result<Vec<(Uuid, String)>, StoreError> {
        const MEMBERS: &str = "status IN ('full_member', 'probationary_member')";
        let rows = on_db!(self.db(), pool => {
            match q.map(str::trim).filter(|q| !q.is_empty()) {
                None => {
                    let sql = format!("SELECT id, name FROM people WHERE org_id = $1 AND {MEMBERS}{} ORDER BY name, id LIMIT $2",
                        crate::tenancy::and_tenant("tenant_id", 3));
                    crate::tenancy::bind_tenant!(sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(org_id).bind(limit))
                        .fetch_all(pool).await?
                }
                Some(q) => {
                    let sql = format!(
                        "SELECT id, name FROM people WHERE org_path >= $1 AND org_path < $2 AND name >= $3 AND name < $4 \
                         AND {MEMBERS}{} ORDER BY name, id LIMIT $5",
                        crate::tenancy::and_tenant("tenant_id", 6));
                    crate::tenancy::bind_tenant!(sqlx::query_as(sqlx::AssertSqlSafe(sql))
                        .bind(org_path).bind(pioneer_domain::orgs::subtree_end(org_path))
                        .bind(q).bind(format!("{q}\u{10FFFF}")).bind(limit))
                        .fetch_all(pool).await?
                }
            }
        });
        Ok(rows)
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
