//! Volunteer teams and their volunteers: a team belongs to an organisation; a volunteer is
//! any person of the same tenant, a party member or not.

use crate::error::StoreError;
use crate::journal::{Act, Change, journal_append};
use crate::{Store, db::BeginWrite, on_db};
use pioneer_domain::service::teams::{TeamFields, VolunteerFields};
use pioneer_domain::{FieldError, Reason};
use uuid::Uuid;

/// A team as stored.
#[derive(Debug, Clone, serde::Serialize)]
pub struct TeamRecord {
    /// Id.
    pub id: Uuid,
    /// The tenant.
    pub tenant_id: Uuid,
    /// The owning organisation.
    pub org_id: Uuid,
    /// Its path.
    pub org_path: String,
    /// Name.
    pub name: String,
    /// Kind code.
    pub kind: String,
    /// Districts served.
    pub districts: Vec<String>,
    /// The leader.
    pub leader_id: Option<Uuid>,
    /// The campaign it serves.
    pub campaign_id: Option<Uuid>,
    /// Volunteers in it.
    pub volunteers: i64,
}

/// A team row: id, tenant, organisation, its path, name, kind, districts (JSON), leader,
/// campaign, volunteers.
type Row = (Uuid, Uuid, Uuid, String, String, String, String, Option<Uuid>, Option<Uuid>, i64);

/// What a team is tied to: its leader (a person of the tenant) and the campaign it serves.
#[derive(Debug, Clone, Copy, Default)]
pub struct TeamLinks {
    /// The leader, who staffs its requests and confirms its hours.
    pub leader: Option<Uuid>,
    /// The campaign (专项行动) it was formed for.
    pub campaign: Option<Uuid>,
}

/// A team from its row.
pub(crate) fn team_record(r: Row) -> TeamRecord {
    let (id, tenant_id, org_id, org_path, name, kind, districts, leader_id, campaign_id, volunteers) = r;
    TeamRecord {
        id,
        tenant_id,
        org_id,
        org_path,
        name,
        kind,
        districts: serde_json::from_str(&districts).unwrap_or_default(),
        leader_id,
        campaign_id,
        volunteers,
    }
}

/// The columns of a team row, `t` being `volunteer_teams`.
pub(crate) const TEAM_COLUMNS: &str = "t.id, t.tenant_id, t.org_id, t.org_path, t.name, t.kind, t.districts, \
    t.leader_id, t.campaign_id, (SELECT COUNT(*) FROM volunteers v WHERE v.tenant_id = t.tenant_id AND v.team_id = t.id)";

impl Store {
    /// Forms a team of organisation `org_id`, with its leader and campaign if given (each
    /// of the organisation's tenant, else refused by field).
    pub async fn create_team(
        &self,
        org_id: Uuid,
        f: &TeamFields,
        links: TeamLinks,
        act: &Act,
    ) -> Result<Uuid, StoreError> {
        let org =
            self.org(org_id).await.map_err(|_| FieldError::new("org_id", Reason::UnknownOrganization))?;
        if let Some(leader) = links.leader {
            let p =
                self.person(leader).await.map_err(|_| FieldError::new("leader_id", Reason::UnknownPerson))?;
            if p.tenant_id != org.tenant_id {
                return Err(FieldError::new("leader_id", Reason::UnknownPerson).into());
            }
        }
        if let Some(c) = links.campaign {
            self.campaign_in(org.tenant_id, c).await?;
        }
        let id = Uuid::now_v7();
        let districts = serde_json::to_string(&f.districts).unwrap_or_default();
        let change = Change::new(
            org.tenant_id,
            "volunteer_team",
            Some(id),
            serde_json::json!({ "org_id": org_id, "name": f.name, "kind": f.kind.code(), "districts": f.districts,
                "leader_id": links.leader, "campaign_id": links.campaign }),
        );
        on_db!(self.db(), pool => {
            let mut tx = pool.begin_write().await?;
            sqlx::query(
                "INSERT INTO volunteer_teams (tenant_id, id, org_id, org_path, name, kind, districts, leader_id, campaign_id, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
            )
            .bind(org.tenant_id).bind(id).bind(org.id).bind(&org.path).bind(&f.name).bind(f.kind.code())
            .bind(&districts).bind(links.leader).bind(links.campaign).bind(act.at.as_millisecond())
            .execute(&mut *tx).await?;
            journal_append!(tx, self, act, &change)?;
            tx.commit().await?;
        });
        Ok(id)
    }

    /// A team (of the request's tenant, when one is set).
    pub async fn team(&self, id: Uuid) -> Result<TeamRecord, StoreError> {
        let row: Option<Row> = on_db!(self.db(), pool => {
            let sql = format!(
                "SELECT {TEAM_COLUMNS} FROM volunteer_teams t WHERE t.id = $1{}",
                crate::tenancy::and_tenant("t.tenant_id", 2)
            );
            crate::tenancy::bind_tenant!(sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(id)).fetch_optional(pool).await?
        });
        row.map(team_record).ok_or(StoreError::NotFound)
    }

    /// Adds `person_id` (a person of the team's tenant, member or not) to a team with their
    /// skills, vehicle and availability; a second time updates them.
    pub async fn add_volunteer(
        &self,
        team_id: Uuid,
        person_id: Uuid,
        f: &VolunteerFields,
        act: &Act,
    ) -> Result<(), StoreError> {
        let team = self.team(team_id).await?;
        let person =
            self.person(person_id).await.map_err(|_| FieldError::new("person_id", Reason::UnknownPerson))?;
        if person.tenant_id != team.tenant_id {
            return Err(FieldError::new("person_id", Reason::UnknownPerson).into());
        }
        let change = Change::new(
            team.tenant_id,
            "volunteer",
            Some(person_id),
            serde_json::json!({ "team_id": team_id, "vehicle": f.vehicle.code(), "load_kg": f.load_kg }),
        );
        on_db!(self.db(), pool => {
            let mut tx = pool.begin_write().await?;
            sqlx::query(
                "INSERT INTO volunteers (tenant_id, team_id, person_id, skills, vehicle, load_kg, availability, joined_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (tenant_id, team_id, person_id) DO UPDATE SET \
                 skills = excluded.skills, vehicle = excluded.vehicle, load_kg = excluded.load_kg, availability = excluded.availability",
            )
            .bind(team.tenant_id).bind(team_id).bind(person_id).bind(&f.skills).bind(f.vehicle.code()).bind(f.load_kg)
            .bind(&f.availability).bind(act.at.as_millisecond())
            .execute(&mut *tx).await?;
            journal_append!(tx, self, act, &change)?;
            tx.commit().await?;
        });
        Ok(())
    }
}
