//! One function per volunteer-service action, called by its page and its API twin alike:
//! each checks who may act on what (scope, leadership, the volunteer's own shifts), parses
//! the input and calls the store.

use super::{lead_request, lead_team, local_now, manage};
use crate::AppState;
use crate::auth::Who;
use crate::error::AppError;
use pioneer_domain::Reason;
use pioneer_domain::accounts::access::Permission;
use pioneer_domain::service::donations::{
    CampaignFields, CampaignInput, DistributionFields, DistributionInput, DonationFields, DonationInput,
};
use pioneer_domain::service::requests::{RequestFields, RequestInput};
use pioneer_domain::service::shifts::{ShiftFields, ShiftInput};
use pioneer_domain::service::teams::{TeamFields, TeamInput, VolunteerFields, VolunteerInput};
use pioneer_store::orgs::OrgRecord;
use pioneer_store::service::lists::CampaignRecord;
use pioneer_store::service::requests::{RequestLinks, RequestRecord};
use pioneer_store::service::teams::{TeamLinks, TeamRecord};
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;

/// A new team: its fields, its leader and the campaign it serves (both optional ids).
pub type TeamForm = TeamInput;

/// A new service request: its fields, the team that staffs it and its campaign.
pub type RequestForm = RequestInput;

/// A volunteer named by the leader: assigned to a shift, or whose hours are confirmed.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct ShiftVolunteer {
    /// The volunteer.
    #[serde(default)]
    pub person_id: String,
    /// The leader's evaluation (for confirming hours).
    #[serde(default)]
    pub evaluation: String,
}

/// Attendance the leader records for a volunteer without the app: in or out, and when.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct ShiftAttendance {
    /// The volunteer.
    #[serde(default)]
    pub person_id: String,
    /// `in` or `out`.
    #[serde(default)]
    pub action: String,
    /// When (`YYYY-MM-DDTHH:MM`, local time).
    #[serde(default)]
    pub at: String,
}

/// An optional id typed into a form: empty is none, anything else must be an id.
fn optional_id(field: &'static str, raw: &str) -> Result<Option<Uuid>, AppError> {
    match raw.trim() {
        "" => Ok(None),
        v => Uuid::try_parse(v).map(Some).map_err(|_| AppError::field(field, Reason::UnknownChoice)),
    }
}

fn required_id(field: &'static str, raw: &str, reason: Reason) -> Result<Uuid, AppError> {
    Uuid::try_parse(raw.trim()).map_err(|_| AppError::field(field, reason))
}

/// A person of `org_path`'s subtree (else refused by field).
async fn person_under(
    s: &AppState,
    field: &'static str,
    raw: &str,
    org_path: &str,
) -> Result<Uuid, AppError> {
    let id = required_id(field, raw, Reason::UnknownPerson)?;
    match s.store.person(id).await {
        Ok(p) if p.org_path.starts_with(org_path) => Ok(id),
        _ => Err(AppError::field(field, Reason::UnknownPerson)),
    }
}

/// A campaign `org` may join: organised by it, above it, or within `who`'s scope.
async fn campaign_for(s: &AppState, who: &Who, org: &OrgRecord, raw: &str) -> Result<Option<Uuid>, AppError> {
    let Some(id) = optional_id("campaign_id", raw)? else { return Ok(None) };
    match s.store.campaign(id).await {
        Ok(c)
            if c.tenant_id == org.tenant_id
                && (org.path.starts_with(&c.org_path)
                    || AppState::in_scope(who, Permission::ManageService, &c.org_path)) =>
        {
            Ok(Some(id))
        }
        _ => Err(AppError::field("campaign_id", Reason::UnknownChoice)),
    }
}

/// Forms a team of `org`.
pub async fn create_team(s: &AppState, who: &Who, org: &OrgRecord, f: &TeamForm) -> Result<Uuid, AppError> {
    manage(s, who, &org.path).await?;
    let fields = TeamFields::parse(f)?;
    let leader = match f.leader_id.trim() {
        "" => None,
        raw => Some(person_under(s, "leader_id", raw, &org.path).await?),
    };
    let campaign = campaign_for(s, who, org, &f.campaign_id).await?;
    Ok(s.store.create_team(org.id, &fields, TeamLinks { leader, campaign }, &who.act).await?)
}

/// Adds a volunteer (a person of the team's organisation's subtree, member or not) to a team.
pub async fn add_volunteer(
    s: &AppState,
    who: &Who,
    team: &TeamRecord,
    f: &VolunteerInput,
) -> Result<Uuid, AppError> {
    lead_team(s, who, team).await?;
    let fields = VolunteerFields::parse(f)?;
    let person = person_under(s, "person_id", &f.person_id, &team.org_path).await?;
    s.store.add_volunteer(team.id, person, &fields, &who.act).await?;
    Ok(person)
}

/// Records a service request accepted by `org`.
pub async fn create_request(
    s: &AppState,
    who: &Who,
    org: &OrgRecord,
    f: &RequestForm,
) -> Result<Uuid, AppError> {
    manage(s, who, &org.path).await?;
    let fields = RequestFields::parse(f)?;
    let team = match optional_id("team_id", &f.team_id)? {
        Some(t) => match s.store.team(t).await {
            Ok(team)
                if team.tenant_id == org.tenant_id
                    && AppState::in_scope(who, Permission::ManageService, &team.org_path) =>
            {
                Some(t)
            }
            _ => return Err(AppError::field("team_id", Reason::UnknownChoice)),
        },
        None => None,
    };
    let campaign = campaign_for(s, who, org, &f.campaign_id).await?;
    Ok(s.store.create_request(org.id, &fields, RequestLinks { team, campaign }, &who.act).await?)
}

/// A request `who` leads or manages.
pub async fn led_request(s: &AppState, who: &Who, id: Uuid) -> Result<RequestRecord, AppError> {
    let r = s.store.service_request(id, local_now(s)).await?;
    lead_request(s, who, &r).await?;
    Ok(r)
}

/// Adds a shift to a request.
pub async fn add_shift(s: &AppState, who: &Who, request: Uuid, f: &ShiftInput) -> Result<Uuid, AppError> {
    led_request(s, who, request).await?;
    let fields = ShiftFields::parse(f)?;
    Ok(s.store.add_shift(request, &fields, &who.act).await?)
}

/// Confirms a request done (for the requester, by the leader or a manager).
pub async fn confirm_request(s: &AppState, who: &Who, request: Uuid) -> Result<(), AppError> {
    led_request(s, who, request).await?;
    Ok(s.store.confirm_request(request, local_now(s), &who.act).await?)
}

/// The request of a shift, led or managed by `who`.
async fn led_shift(s: &AppState, who: &Who, shift: Uuid) -> Result<RequestRecord, AppError> {
    let sh = s.store.shift(shift).await?;
    led_request(s, who, sh.request_id).await
}

/// A volunteer named for a shift: one of the staffing team, or of the accepting
/// organisation's subtree.
async fn volunteer_for(s: &AppState, r: &RequestRecord, raw: &str) -> Result<Uuid, AppError> {
    let id = required_id("person_id", raw, Reason::UnknownPerson)?;
    if let Some(team) = r.team_id
        && s.store.is_volunteer(r.tenant_id, team, id).await?
    {
        return Ok(id);
    }
    person_under(s, "person_id", raw, &r.org_path).await
}

/// The leader assigns a volunteer to a shift (within its places, without overlap).
pub async fn assign(s: &AppState, who: &Who, shift: Uuid, f: &ShiftVolunteer) -> Result<Uuid, AppError> {
    let r = led_shift(s, who, shift).await?;
    let person = volunteer_for(s, &r, &f.person_id).await?;
    s.store.sign_up(shift, person, &who.act).await?;
    Ok(person)
}

/// The leader records a volunteer's check-in or check-out.
pub async fn attendance(
    s: &AppState,
    who: &Who,
    shift: Uuid,
    f: &ShiftAttendance,
) -> Result<Option<i64>, AppError> {
    let r = led_shift(s, who, shift).await?;
    let person = volunteer_for(s, &r, &f.person_id).await?;
    let at = pioneer_domain::service::parse_datetime("at", &f.at).map_err(|e| AppError::Invalid(e.into()))?;
    match f.action.trim() {
        "in" => s.store.check_in(shift, person, at, &who.act).await.map(|()| None).map_err(Into::into),
        "out" => s.store.check_out(shift, person, at, &who.act).await.map(Some).map_err(Into::into),
        _ => Err(AppError::field("action", Reason::UnknownChoice)),
    }
}

/// The leader confirms a volunteer's hours on a shift (credits once).
pub async fn confirm_hours(
    s: &AppState,
    who: &Who,
    shift: Uuid,
    f: &ShiftVolunteer,
) -> Result<Option<pioneer_domain::care::ledger::Entry>, AppError> {
    let r = led_shift(s, who, shift).await?;
    let person = volunteer_for(s, &r, &f.person_id).await?;
    let evaluation = f.evaluation.trim();
    if evaluation.chars().count() > 200 {
        return Err(AppError::field("evaluation", Reason::TooLong { max: 200 }));
    }
    let evaluation = (!evaluation.is_empty()).then_some(evaluation);
    Ok(s.store.confirm_hours(shift, person, evaluation, s.clock.today(), &who.act).await?)
}

/// The signed-in volunteer takes a place on a shift they may see (of their organisation or
/// one above it, or staffed by a team of theirs).
pub async fn sign_up(s: &AppState, who: &Who, shift: Uuid) -> Result<(), AppError> {
    let (me, _, path) = who.member()?;
    let sh = s.store.shift(shift).await?;
    let (tenant, org_path, team) = s.store.request_place(sh.request_id).await?;
    let in_team = match team {
        Some(t) => s.store.is_volunteer(tenant, t, me).await?,
        None => false,
    };
    if !(path.starts_with(&org_path) || in_team) {
        return Err(AppError::NotFound);
    }
    Ok(s.store.sign_up(shift, me, &who.act).await?)
}

/// The signed-in volunteer checks in (`out = false`) or out of their shift now; checking
/// out answers the minutes served.
pub async fn check_self(s: &AppState, who: &Who, shift: Uuid, out: bool) -> Result<Option<i64>, AppError> {
    let (me, _, _) = who.member()?;
    let now = local_now(s);
    let now = now.with().second(0).subsec_nanosecond(0).build().unwrap_or(now);
    if out {
        Ok(Some(s.store.check_out(shift, me, now, &who.act).await?))
    } else {
        s.store.check_in(shift, me, now, &who.act).await?;
        Ok(None)
    }
}

/// Starts a campaign of `org`.
pub async fn create_campaign(
    s: &AppState,
    who: &Who,
    org: &OrgRecord,
    f: &CampaignInput,
) -> Result<Uuid, AppError> {
    manage(s, who, &org.path).await?;
    let fields = CampaignFields::parse(f)?;
    Ok(s.store.create_campaign(org.id, &fields, &who.act).await?)
}

/// A campaign whose organisation `who` manages.
pub async fn managed_campaign(s: &AppState, who: &Who, id: Uuid) -> Result<CampaignRecord, AppError> {
    let c = s.store.campaign(id).await?;
    manage(s, who, &c.org_path).await?;
    Ok(c)
}

/// A campaign `who` may read: one they manage, or one organised above an organisation they
/// manage (an enterprise reads the committee's campaign board).
pub async fn readable_campaign(s: &AppState, who: &Who, id: Uuid) -> Result<CampaignRecord, AppError> {
    let c = s.store.campaign(id).await?;
    if who.user.tenant().is_none_or(|t| t == c.tenant_id)
        && who.user.scopes(Permission::ManageService).iter().any(|p| p.starts_with(&c.org_path))
    {
        return Ok(c);
    }
    manage(s, who, &c.org_path).await?;
    Ok(c)
}

/// Records a donation received for a campaign by its organisation.
pub async fn record_donation(
    s: &AppState,
    who: &Who,
    campaign: Uuid,
    f: &DonationInput,
) -> Result<Uuid, AppError> {
    let c = managed_campaign(s, who, campaign).await?;
    let fields = DonationFields::parse(f)?;
    Ok(s.store.record_donation(c.org_id, Some(c.id), &fields, &who.act).await?)
}

/// Hands out part of a campaign's donation (never beyond what is left).
pub async fn distribute(
    s: &AppState,
    who: &Who,
    donation: Uuid,
    f: &DistributionInput,
) -> Result<Uuid, AppError> {
    let (_, campaign) = s.store.donation_campaign(donation).await?;
    let campaign = campaign.ok_or(AppError::NotFound)?;
    managed_campaign(s, who, campaign).await?;
    let fields = DistributionFields::parse(f)?;
    Ok(s.store.distribute(donation, &fields, &who.act).await?)
}

/// Publishes (or withdraws) a campaign's public summary.
pub async fn publish(s: &AppState, who: &Who, campaign: Uuid, on: bool) -> Result<(), AppError> {
    managed_campaign(s, who, campaign).await?;
    Ok(s.store.publish_campaign(campaign, on, &who.act).await?)
}
