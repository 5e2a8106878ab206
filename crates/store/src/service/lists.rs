//! What the volunteer-service pages list: the teams, requests and campaigns of a subtree,
//! a team's volunteers, a request's shifts and who signed up, the open shifts a volunteer
//! may take (campaign ones first) and a volunteer's own sign-ups.

use crate::error::StoreError;
use crate::service::shifts::ShiftRecord;
use crate::service::teams::{TEAM_COLUMNS, TeamRecord, team_record};
use crate::{Store, on_db};
use pioneer_domain::service::Window;
use pioneer_domain::service::requests::RequestStatus;
use uuid::Uuid;

/// A volunteer of a team.
#[derive(Debug, Clone, serde::Serialize)]
pub struct VolunteerRow {
    /// The person.
    pub person_id: Uuid,
    /// Name.
    pub name: String,
    /// Membership status code (non-members are most volunteers).
    pub status: String,
    /// Skills.
    pub skills: Option<String>,
    /// Vehicle code.
    pub vehicle: String,
    /// A truck's load.
    pub load_kg: Option<i64>,
    /// When they can serve.
    pub availability: Option<String>,
}

/// A request in a list, with its status as at the time asked.
#[derive(Debug, Clone, serde::Serialize)]
pub struct RequestSummary {
    /// Id.
    pub id: Uuid,
    /// The accepting organisation's name.
    pub org_name: String,
    /// Who asks.
    pub requester: String,
    /// What is needed (code).
    pub kind: String,
    /// District.
    pub district: String,
    /// From.
    pub starts_at: String,
    /// Until.
    pub ends_at: String,
    /// How much.
    pub quantity: i64,
    /// How urgent (code).
    pub urgency: String,
    /// Places in all its shifts.
    pub capacity: i64,
    /// Places taken.
    pub taken: i64,
    /// Where it stands.
    pub status: RequestStatus,
}

/// Who signed up for a shift and how far they got.
#[derive(Debug, Clone, serde::Serialize)]
pub struct SignupRow {
    /// The shift.
    pub shift_id: Uuid,
    /// The volunteer.
    pub person_id: Uuid,
    /// Name.
    pub name: String,
    /// Checked in (local).
    pub checked_in_at: Option<String>,
    /// Checked out (local).
    pub checked_out_at: Option<String>,
    /// Minutes served.
    pub minutes: Option<i64>,
    /// Whether the leader confirmed the hours.
    pub confirmed: bool,
    /// The leader's evaluation.
    pub evaluation: Option<String>,
}

/// A shift a volunteer may take or has taken, with what it is for.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ShiftView {
    /// The shift.
    pub id: Uuid,
    /// From (local).
    pub starts_at: String,
    /// Until (local).
    pub ends_at: String,
    /// Places.
    pub capacity: i64,
    /// Places taken.
    pub taken: i64,
    /// The task.
    pub task: String,
    /// Who asked.
    pub requester: String,
    /// What is needed (code).
    pub kind: String,
    /// District.
    pub district: String,
    /// Address.
    pub address: String,
    /// How urgent (code).
    pub urgency: String,
    /// The campaign on now that it belongs to.
    pub campaign: Option<String>,
    /// The volunteer's own progress on it (taken shifts only).
    pub checked_in_at: Option<String>,
    /// Checked out.
    pub checked_out_at: Option<String>,
    /// Minutes served.
    pub minutes: Option<i64>,
    /// Whether confirmed.
    pub confirmed: bool,
}

/// A campaign as stored.
#[derive(Debug, Clone, serde::Serialize)]
pub struct CampaignRecord {
    /// Id.
    pub id: Uuid,
    /// The tenant.
    pub tenant_id: Uuid,
    /// The organising organisation.
    pub org_id: Uuid,
    /// Its path.
    pub org_path: String,
    /// Name.
    pub name: String,
    /// From.
    pub starts_on: String,
    /// Until (open-ended when none).
    pub ends_on: Option<String>,
    /// Whether its public summary is published.
    pub published: bool,
}

/// A campaign row.
type CampaignRow = (Uuid, Uuid, Uuid, String, String, String, Option<String>, Option<i64>);

fn campaign_record(r: CampaignRow) -> CampaignRecord {
    let (id, tenant_id, org_id, org_path, name, starts_on, ends_on, published) = r;
    CampaignRecord {
        id,
        tenant_id,
        org_id,
        org_path,
        name,
        starts_on,
        ends_on,
        published: published.is_some(),
    }
}

/// The ancestors-or-self paths of `path` (`/a/`, `/a/b/`, …).
fn prefixes(path: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut acc = String::from("/");
    for part in path.split('/').filter(|s| !s.is_empty()) {
        acc.push_str(part);
        acc.push('/');
        out.push(acc.clone());
    }
    out
}

/// A shift-view row.
type ViewRow = (
    Uuid,
    String,
    String,
    i64,
    i64,
    String,
    String,
    String,
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<i64>,
    Option<i64>,
);

fn view(r: ViewRow) -> ShiftView {
    let (
        id,
        starts_at,
        ends_at,
        capacity,
        taken,
        task,
        requester,
        kind,
        district,
        address,
        urgency,
        campaign,
    ) = (r.0, r.1, r.2, r.3, r.4, r.5, r.6, r.7, r.8, r.9, r.10, r.11);
    ShiftView {
        id,
        starts_at,
        ends_at,
        capacity,
        taken,
        task,
        requester,
        kind,
        district,
        address,
        urgency,
        campaign,
        checked_in_at: r.12,
        checked_out_at: r.13,
        minutes: r.14,
        confirmed: r.15.is_some(),
    }
}

/// The columns of a shift view; `{today}` is the local date (`YYYY-MM-DD`), for whether its
/// campaign is on.
fn view_columns(today: jiff::civil::Date) -> String {
    format!(
        "s.id, s.starts_at, s.ends_at, s.capacity, s.taken, s.task, r.requester, r.kind, r.district, r.address, r.urgency, \
         CASE WHEN c.starts_on <= '{today}' AND (c.ends_on IS NULL OR c.ends_on >= '{today}') THEN c.name END"
    )
}
const VIEW_JOINS: &str = "JOIN service_requests r ON r.tenant_id = s.tenant_id AND r.id = s.request_id \
    LEFT JOIN campaigns c ON c.tenant_id = r.tenant_id AND c.id = r.campaign_id";

impl Store {
    /// The teams of the subtree at `org_path`.
    pub async fn teams_in(&self, tenant: Uuid, org_path: &str) -> Result<Vec<TeamRecord>, StoreError> {
        let end = pioneer_domain::orgs::subtree_end(org_path);
        let rows = on_db!(self.db(), pool => {
            sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "SELECT {TEAM_COLUMNS} FROM volunteer_teams t WHERE t.tenant_id = $1 AND t.org_path >= $2 AND t.org_path < $3 \
                 ORDER BY t.org_path, t.name"
            )))
            .bind(tenant).bind(org_path).bind(&end).fetch_all(pool).await?
        });
        Ok(rows.into_iter().map(team_record).collect())
    }

    /// The teams `person_id` leads.
    pub async fn teams_led_by(&self, tenant: Uuid, person_id: Uuid) -> Result<Vec<TeamRecord>, StoreError> {
        let rows = on_db!(self.db(), pool => {
            sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "SELECT {TEAM_COLUMNS} FROM volunteer_teams t WHERE t.tenant_id = $1 AND t.leader_id = $2 ORDER BY t.name"
            )))
            .bind(tenant).bind(person_id).fetch_all(pool).await?
        });
        Ok(rows.into_iter().map(team_record).collect())
    }

    /// A team's volunteers, by name.
    pub async fn team_volunteers(&self, team: &TeamRecord) -> Result<Vec<VolunteerRow>, StoreError> {
        type Row = (Uuid, String, String, Option<String>, String, Option<i64>, Option<String>);
        let rows: Vec<Row> = on_db!(self.db(), pool => {
            sqlx::query_as(
                "SELECT v.person_id, p.name, p.status, v.skills, v.vehicle, v.load_kg, v.availability FROM volunteers v \
                 JOIN people p ON p.tenant_id = v.tenant_id AND p.id = v.person_id WHERE v.tenant_id = $1 AND v.team_id = $2 \
                 ORDER BY p.name",
            )
            .bind(team.tenant_id).bind(team.id).fetch_all(pool).await?
        });
        Ok(rows
            .into_iter()
            .map(|(person_id, name, status, skills, vehicle, load_kg, availability)| VolunteerRow {
                person_id,
                name,
                status,
                skills,
                vehicle,
                load_kg,
                availability,
            })
            .collect())
    }

    /// The requests accepted in the subtree at `org_path` (or, with `team`, those the team
    /// staffs; with `campaign`, those of the campaign), newest first, with their status as
    /// at `now`.
    pub async fn requests_in(
        &self,
        tenant: Uuid,
        org_path: &str,
        team: Option<Uuid>,
        campaign: Option<Uuid>,
        now: jiff::civil::DateTime,
        limit: i64,
    ) -> Result<Vec<RequestSummary>, StoreError> {
        type Row = (
            Uuid,
            String,
            String,
            String,
            String,
            String,
            String,
            i64,
            String,
            Option<i64>,
            i64,
            i64,
            i64,
            i64,
            i64,
            i64,
        );
        let end = pioneer_domain::orgs::subtree_end(org_path);
        let now = now.to_string();
        let rows: Vec<Row> = on_db!(self.db(), pool => {
            sqlx::query_as(
                "SELECT r.id, o.name, r.requester, r.kind, r.district, r.starts_at, r.ends_at, r.quantity, \
                 r.urgency, r.confirmed_at, COUNT(s.id), COALESCE(CAST(SUM(s.capacity) AS BIGINT), 0), \
                 COALESCE(CAST(SUM(s.taken) AS BIGINT), 0), \
                 COALESCE(CAST(SUM(CASE WHEN s.taken >= s.capacity THEN 1 ELSE 0 END) AS BIGINT), 0), \
                 COALESCE(CAST(SUM(CASE WHEN s.starts_at <= $4 THEN 1 ELSE 0 END) AS BIGINT), 0), \
                 COALESCE(CAST(SUM(CASE WHEN s.ends_at <= $4 THEN 1 ELSE 0 END) AS BIGINT), 0) \
                 FROM service_requests r JOIN organizations o ON o.tenant_id = r.tenant_id AND o.id = r.org_id \
                 LEFT JOIN shifts s ON s.tenant_id = r.tenant_id AND s.request_id = r.id \
                 WHERE r.tenant_id = $1 AND (($5 IS NULL AND $6 IS NULL AND r.org_path >= $2 AND r.org_path < $3) \
                 OR r.team_id = $5 OR r.campaign_id = $6) \
                 GROUP BY r.id, o.name, r.requester, r.kind, r.district, r.starts_at, r.ends_at, r.quantity, \
                 r.urgency, r.confirmed_at ORDER BY r.starts_at DESC LIMIT $7",
            )
            .bind(tenant).bind(org_path).bind(&end).bind(&now).bind(team).bind(campaign).bind(limit)
            .fetch_all(pool).await?
        });
        Ok(rows
            .into_iter()
            .map(|r| RequestSummary {
                id: r.0,
                org_name: r.1,
                requester: r.2,
                kind: r.3,
                district: r.4,
                starts_at: r.5,
                ends_at: r.6,
                quantity: r.7,
                urgency: r.8,
                capacity: r.11,
                taken: r.12,
                status: RequestStatus::of(
                    r.9.is_some(),
                    r.10 as usize,
                    r.13 as usize,
                    r.14 as usize,
                    r.15 as usize,
                ),
            })
            .collect())
    }

    /// A request's shifts, earliest first.
    pub async fn request_shifts(&self, tenant: Uuid, request: Uuid) -> Result<Vec<ShiftRecord>, StoreError> {
        type Row = (Uuid, String, String, i64, i64, String);
        let rows: Vec<Row> = on_db!(self.db(), pool => {
            sqlx::query_as(
                "SELECT id, starts_at, ends_at, capacity, taken, task FROM shifts WHERE tenant_id = $1 AND request_id = $2 \
                 ORDER BY starts_at, id",
            )
            .bind(tenant).bind(request).fetch_all(pool).await?
        });
        rows.into_iter()
            .map(|(id, start, end, capacity, taken, task)| {
                let p = |s: &str| s.parse().map_err(|_| StoreError::Corrupt("shifts.starts_at"));
                Ok(ShiftRecord {
                    id,
                    tenant_id: tenant,
                    request_id: request,
                    window: Window { start: p(&start)?, end: p(&end)? },
                    capacity,
                    taken,
                    task,
                })
            })
            .collect()
    }

    /// Who signed up for a request's shifts, shift by shift.
    pub async fn request_signups(&self, tenant: Uuid, request: Uuid) -> Result<Vec<SignupRow>, StoreError> {
        type Row =
            (Uuid, Uuid, String, Option<String>, Option<String>, Option<i64>, Option<i64>, Option<String>);
        let rows: Vec<Row> = on_db!(self.db(), pool => {
            sqlx::query_as(
                "SELECT g.shift_id, g.person_id, p.name, g.checked_in_at, g.checked_out_at, g.minutes, g.confirmed_at, g.evaluation \
                 FROM shift_signups g JOIN shifts s ON s.tenant_id = g.tenant_id AND s.id = g.shift_id \
                 JOIN people p ON p.tenant_id = g.tenant_id AND p.id = g.person_id \
                 WHERE g.tenant_id = $1 AND s.request_id = $2 ORDER BY s.starts_at, p.name",
            )
            .bind(tenant).bind(request).fetch_all(pool).await?
        });
        Ok(rows
            .into_iter()
            .map(|r| SignupRow {
                shift_id: r.0,
                person_id: r.1,
                name: r.2,
                checked_in_at: r.3,
                checked_out_at: r.4,
                minutes: r.5,
                confirmed: r.6.is_some(),
                evaluation: r.7,
            })
            .collect())
    }

    /// The shifts `person_id` may take as at `now`: not yet ended, with a place left, not
    /// already theirs, of requests accepted by their organisation or one above it or staffed
    /// by a team they belong to; those of a campaign on today first, then those in the
    /// districts their teams serve, then by start.
    pub async fn open_shifts_for(
        &self,
        person_id: Uuid,
        now: jiff::civil::DateTime,
        limit: usize,
    ) -> Result<Vec<ShiftView>, StoreError> {
        let person = self.person(person_id).await?;
        let tenant = person.tenant_id;
        let paths = prefixes(&person.org_path);
        let marks: Vec<String> = (0..paths.len()).map(|i| format!("${}", i + 4)).collect();
        let sql = format!(
            "SELECT {}, NULL, NULL, NULL, NULL FROM shifts s {VIEW_JOINS} \
             WHERE s.tenant_id = $1 AND s.ends_at > $3 AND s.taken < s.capacity \
             AND (r.org_path IN ({}) OR r.team_id IN (SELECT v.team_id FROM volunteers v WHERE v.tenant_id = $1 AND v.person_id = $2)) \
             AND NOT EXISTS (SELECT 1 FROM shift_signups g WHERE g.tenant_id = s.tenant_id AND g.shift_id = s.id AND g.person_id = $2) \
             ORDER BY s.starts_at LIMIT 500",
            view_columns(now.date()),
            marks.join(", ")
        );
        let (rows, districts): (Vec<ViewRow>, Vec<String>) = on_db!(self.db(), pool => {
            let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(tenant).bind(person_id).bind(now.to_string());
            for p in &paths {
                q = q.bind(p);
            }
            let rows = q.fetch_all(pool).await?;
            let districts: Vec<String> = sqlx::query_scalar(
                "SELECT t.districts FROM volunteer_teams t JOIN volunteers v ON v.tenant_id = t.tenant_id AND v.team_id = t.id \
                 WHERE v.tenant_id = $1 AND v.person_id = $2",
            )
            .bind(tenant).bind(person_id).fetch_all(pool).await?;
            (rows, districts)
        });
        let mine: Vec<String> = districts
            .iter()
            .flat_map(|d| serde_json::from_str::<Vec<String>>(d).unwrap_or_default())
            .collect();
        let mut shifts: Vec<ShiftView> = rows.into_iter().map(view).collect();
        shifts.sort_by_key(|s| (s.campaign.is_none(), !mine.contains(&s.district), s.starts_at.clone()));
        shifts.truncate(limit);
        Ok(shifts)
    }

    /// `person_id`'s own shifts, latest first (at most `limit`).
    pub async fn my_shifts(
        &self,
        person_id: Uuid,
        today: jiff::civil::Date,
        limit: i64,
    ) -> Result<Vec<ShiftView>, StoreError> {
        let person = self.person(person_id).await?;
        let rows: Vec<ViewRow> = on_db!(self.db(), pool => {
            sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "SELECT {}, g.checked_in_at, g.checked_out_at, g.minutes, g.confirmed_at FROM shift_signups g \
                 JOIN shifts s ON s.tenant_id = g.tenant_id AND s.id = g.shift_id {VIEW_JOINS} \
                 WHERE g.tenant_id = $1 AND g.person_id = $2 ORDER BY s.starts_at DESC LIMIT $3",
                view_columns(today)
            )))
            .bind(person.tenant_id).bind(person_id).bind(limit).fetch_all(pool).await?
        });
        Ok(rows.into_iter().map(view).collect())
    }

    /// The campaigns of the subtree at `org_path` and those above it, newest first.
    pub async fn campaigns_around(
        &self,
        tenant: Uuid,
        org_path: &str,
    ) -> Result<Vec<CampaignRecord>, StoreError> {
        let end = pioneer_domain::orgs::subtree_end(org_path);
        let paths = prefixes(org_path);
        let marks: Vec<String> = (0..paths.len()).map(|i| format!("${}", i + 4)).collect();
        let sql = format!(
            "SELECT id, tenant_id, org_id, org_path, name, starts_on, ends_on, published_at FROM campaigns \
             WHERE tenant_id = $1 AND ((org_path >= $2 AND org_path < $3) OR org_path IN ({})) ORDER BY starts_on DESC, name",
            if marks.is_empty() { "NULL".to_owned() } else { marks.join(", ") }
        );
        let rows: Vec<CampaignRow> = on_db!(self.db(), pool => {
            let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(tenant).bind(org_path).bind(&end);
            for p in &paths {
                q = q.bind(p);
            }
            q.fetch_all(pool).await?
        });
        Ok(rows.into_iter().map(campaign_record).collect())
    }

    /// Whether `person` is a volunteer of `team` (one row looked up, not the team's list).
    pub async fn is_volunteer(&self, tenant: Uuid, team: Uuid, person: Uuid) -> Result<bool, StoreError> {
        let found: Option<Uuid> = on_db!(self.db(), pool => {
            sqlx::query_scalar("SELECT person_id FROM volunteers WHERE tenant_id = $1 AND team_id = $2 AND person_id = $3")
                .bind(tenant).bind(team).bind(person).fetch_optional(pool).await?
        });
        Ok(found.is_some())
    }

    /// Where a request sits, for deciding who may see it: its tenant, the accepting
    /// organisation's path and the staffing team (no contact opened, no shifts read).
    pub async fn request_place(&self, id: Uuid) -> Result<(Uuid, String, Option<Uuid>), StoreError> {
        let row: Option<(Uuid, String, Option<Uuid>)> = on_db!(self.db(), pool => {
            let sql = format!(
                "SELECT tenant_id, org_path, team_id FROM service_requests WHERE id = $1{}",
                crate::tenancy::and_tenant("tenant_id", 2)
            );
            crate::tenancy::bind_tenant!(sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(id)).fetch_optional(pool).await?
        });
        row.ok_or(StoreError::NotFound)
    }

    /// People of the subtree at `org_path`, members or not, for choosing leaders and
    /// volunteers: `(id, name, status)`, at most `limit`.
    pub async fn people_choices(
        &self,
        org_path: &str,
        limit: i64,
    ) -> Result<Vec<(Uuid, String, String)>, StoreError> {
        let end = pioneer_domain::orgs::subtree_end(org_path);
        Ok(on_db!(self.db(), pool => {
            sqlx::query_as("SELECT id, name, status FROM people WHERE org_path >= $1 AND org_path < $2 ORDER BY name, id LIMIT $3")
                .bind(org_path).bind(&end).bind(limit).fetch_all(pool).await?
        }))
    }

    /// A campaign (of the request's tenant, when one is set).
    pub async fn campaign(&self, id: Uuid) -> Result<CampaignRecord, StoreError> {
        let row: Option<CampaignRow> = on_db!(self.db(), pool => {
            let sql = format!(
                "SELECT id, tenant_id, org_id, org_path, name, starts_on, ends_on, published_at FROM campaigns WHERE id = $1{}",
                crate::tenancy::and_tenant("tenant_id", 2)
            );
            crate::tenancy::bind_tenant!(sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(id)).fetch_optional(pool).await?
        });
        row.map(campaign_record).ok_or(StoreError::NotFound)
    }

    /// Campaign `id` of `tenant`, else refused by field (a link to another deployment's
    /// campaign is not there).
    pub async fn campaign_in(&self, tenant: Uuid, id: Uuid) -> Result<CampaignRecord, StoreError> {
        match self.campaign(id).await {
            Ok(c) if c.tenant_id == tenant => Ok(c),
            _ => {
                Err(pioneer_domain::FieldError::new("campaign_id", pioneer_domain::Reason::UnknownChoice)
                    .into())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn prefixes_are_the_ancestors_and_self() {
        assert_eq!(super::prefixes("/a/b/c/"), ["/a/", "/a/b/", "/a/b/c/"]);
        assert!(super::prefixes("/").is_empty());
    }
}
