//! The organiser's and the team leader's pages: the volunteer service of an organisation
//! (teams, requests, campaigns, with forms to add each), a team (its volunteers), a request
//! (its shifts, who signed up, attendance and hours to confirm), a campaign (its board and
//! donations) and the campaign's public summary.

use super::actions::{self, RequestForm, ShiftAttendance, ShiftVolunteer, TeamForm};
use super::{local_now, term};
use crate::AppState;
use crate::api::query::ApiQuery;
use crate::auth::Who;
use crate::error::AppError;
use crate::forms::FormErrors;
use crate::pages::{Chrome, html_status};
use crate::scope::{OrgQuery, path_id, scope_org};
use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use pioneer_domain::accounts::access::Permission;
use pioneer_domain::service::donations::{CampaignInput, DistributionInput, DonationInput};
use pioneer_domain::service::shifts::ShiftInput;
use pioneer_domain::service::teams::VolunteerInput;
use pioneer_store::orgs::OrgRecord;
use pioneer_store::service::board::{CampaignBoard, DonationRow};
use pioneer_store::service::donations::DonatedItem;
use pioneer_store::service::lists::{CampaignRecord, RequestSummary, SignupRow, VolunteerRow};
use pioneer_store::service::requests::RequestRecord;
use pioneer_store::service::shifts::ShiftRecord;
use pioneer_store::service::teams::TeamRecord;
use uuid::Uuid;

/// People to choose from: (id, name, status).
type Choices = Vec<(Uuid, String, String)>;

/// The refusals of a failed action, or the error itself when it is not a refusal.
fn refusals(c: &Chrome, e: AppError) -> Result<FormErrors, AppError> {
    match e {
        AppError::Invalid(v) => Ok(FormErrors::new(&v, &c.t)),
        other => Err(other),
    }
}

fn status_of(errors: &FormErrors) -> StatusCode {
    if errors.any() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK }
}

#[derive(Template)]
#[template(path = "service_admin.html")]
struct AdminPage {
    c: Chrome,
    org: OrgRecord,
    teams: Vec<TeamRecord>,
    requests: Vec<RequestSummary>,
    campaigns: Vec<CampaignRecord>,
    people: Choices,
    errors: FormErrors,
}

impl AdminPage {
    fn term(&self, code: &str) -> String {
        term(&self.c.t, code)
    }
}

async fn admin_page(
    s: &AppState,
    c: Chrome,
    org: OrgRecord,
    errors: FormErrors,
) -> Result<Response, AppError> {
    let teams = s.store.teams_in(org.tenant_id, &org.path).await?;
    let requests = s.store.requests_in(org.tenant_id, &org.path, None, None, local_now(s), 100).await?;
    let campaigns = s.store.campaigns_around(org.tenant_id, &org.path).await?;
    let people = s.store.people_choices(&org.path, 500).await?;
    let page = AdminPage { c, org, teams, requests, campaigns, people, errors };
    Ok(html_status(status_of(&page.errors), page.render()?))
}

async fn org_of(s: &AppState, who: &Who, q: &OrgQuery) -> Result<OrgRecord, AppError> {
    scope_org(s, who, Permission::ManageService, q.org.as_deref()).await?.ok_or(AppError::NotFound)
}

/// Back to the organisation's page, or that page again with the refusals.
async fn admin_after(
    s: &AppState,
    c: Chrome,
    org: OrgRecord,
    done: Result<Uuid, AppError>,
) -> Result<Response, AppError> {
    match done {
        Ok(_) => Ok(Redirect::to(&format!("/service/admin?org={}", org.id)).into_response()),
        Err(e) => {
            let errors = refusals(&c, e)?;
            admin_page(s, c, org, errors).await
        }
    }
}

/// `GET /service/admin?org=ID`.
pub async fn show(
    State(s): State<AppState>,
    c: Chrome,
    who: Who,
    ApiQuery(q): ApiQuery<OrgQuery>,
) -> Result<Response, AppError> {
    let org = org_of(&s, &who, &q).await?;
    admin_page(&s, c, org, FormErrors::default()).await
}

/// `POST /service/teams?org=ID`.
pub async fn create_team(
    State(s): State<AppState>,
    c: Chrome,
    who: Who,
    ApiQuery(q): ApiQuery<OrgQuery>,
    Form(f): Form<TeamForm>,
) -> Result<Response, AppError> {
    let org = org_of(&s, &who, &q).await?;
    let done = actions::create_team(&s, &who, &org, &f).await;
    admin_after(&s, c, org, done).await
}

/// `POST /service/requests?org=ID`.
pub async fn create_request(
    State(s): State<AppState>,
    c: Chrome,
    who: Who,
    ApiQuery(q): ApiQuery<OrgQuery>,
    Form(f): Form<RequestForm>,
) -> Result<Response, AppError> {
    let org = org_of(&s, &who, &q).await?;
    let done = actions::create_request(&s, &who, &org, &f).await;
    admin_after(&s, c, org, done).await
}

/// `POST /service/campaigns?org=ID`.
pub async fn create_campaign(
    State(s): State<AppState>,
    c: Chrome,
    who: Who,
    ApiQuery(q): ApiQuery<OrgQuery>,
    Form(f): Form<CampaignInput>,
) -> Result<Response, AppError> {
    let org = org_of(&s, &who, &q).await?;
    let done = actions::create_campaign(&s, &who, &org, &f).await;
    admin_after(&s, c, org, done).await
}

#[derive(Template)]
#[template(path = "service_team.html")]
struct TeamPage {
    c: Chrome,
    team: TeamRecord,
    volunteers: Vec<VolunteerRow>,
    requests: Vec<RequestSummary>,
    people: Choices,
    citizens: Vec<pioneer_store::city::portal::CitizenSignup>,
    errors: FormErrors,
}

impl TeamPage {
    fn term(&self, code: &str) -> String {
        term(&self.c.t, code)
    }
}

async fn team_page(
    s: &AppState,
    c: Chrome,
    who: &Who,
    id: Uuid,
    errors: FormErrors,
) -> Result<Response, AppError> {
    let team = s.store.team(id).await?;
    super::lead_team(s, who, &team).await?;
    let volunteers = s.store.team_volunteers(&team).await?;
    let requests =
        s.store.requests_in(team.tenant_id, &team.org_path, Some(team.id), None, local_now(s), 100).await?;
    let people = s.store.people_choices(&team.org_path, 500).await?;
    let citizens = s.store.citizen_signups(team.tenant_id, team.id).await?;
    let page = TeamPage { c, team, volunteers, requests, people, citizens, errors };
    Ok(html_status(status_of(&page.errors), page.render()?))
}

/// `GET /service/teams/{id}`.
pub async fn team(
    State(s): State<AppState>,
    c: Chrome,
    who: Who,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    team_page(&s, c, &who, path_id(&id)?, FormErrors::default()).await
}

/// `POST /service/teams/{id}/volunteers`.
pub async fn add_volunteer(
    State(s): State<AppState>,
    c: Chrome,
    who: Who,
    Path(id): Path<String>,
    Form(f): Form<VolunteerInput>,
) -> Result<Response, AppError> {
    let id = path_id(&id)?;
    let team = s.store.team(id).await?;
    match actions::add_volunteer(&s, &who, &team, &f).await {
        Ok(_) => Ok(Redirect::to(&format!("/service/teams/{id}")).into_response()),
        Err(e) => {
            let errors = refusals(&c, e)?;
            team_page(&s, c, &who, id, errors).await
        }
    }
}

#[derive(Template)]
#[template(path = "service_request.html")]
struct RequestPage {
    c: Chrome,
    r: RequestRecord,
    shifts: Vec<ShiftRecord>,
    signups: Vec<SignupRow>,
    /// Who may be assigned: the staffing team's volunteers, else the organisation's people.
    people: Choices,
    now: String,
    errors: FormErrors,
}

impl RequestPage {
    fn term(&self, code: &str) -> String {
        term(&self.c.t, code)
    }

    fn signups_of(&self, shift: &Uuid) -> Vec<&SignupRow> {
        self.signups.iter().filter(|g| g.shift_id == *shift).collect()
    }
}

async fn request_page(
    s: &AppState,
    c: Chrome,
    who: &Who,
    id: Uuid,
    errors: FormErrors,
) -> Result<Response, AppError> {
    let r = actions::led_request(s, who, id).await?;
    let shifts = s.store.request_shifts(r.tenant_id, r.id).await?;
    let signups = s.store.request_signups(r.tenant_id, r.id).await?;
    let people = match r.team_id {
        Some(t) => {
            let team = s.store.team(t).await?;
            s.store
                .team_volunteers(&team)
                .await?
                .into_iter()
                .map(|v| (v.person_id, v.name, v.status))
                .collect()
        }
        None => s.store.people_choices(&r.org_path, 500).await?,
    };
    let now = local_now(s).strftime("%Y-%m-%dT%H:%M").to_string();
    let page = RequestPage { c, r, shifts, signups, people, now, errors };
    Ok(html_status(status_of(&page.errors), page.render()?))
}

/// `GET /service/requests/{id}`.
pub async fn request(
    State(s): State<AppState>,
    c: Chrome,
    who: Who,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    request_page(&s, c, &who, path_id(&id)?, FormErrors::default()).await
}

/// Back to the request's page, or that page again with the refusals.
async fn request_after<T>(
    s: &AppState,
    c: Chrome,
    who: &Who,
    request: Uuid,
    done: Result<T, AppError>,
) -> Result<Response, AppError> {
    match done {
        Ok(_) => Ok(Redirect::to(&format!("/service/requests/{request}")).into_response()),
        Err(e) => {
            let errors = refusals(&c, e)?;
            request_page(s, c, who, request, errors).await
        }
    }
}

/// `POST /service/requests/{id}/shifts`.
pub async fn add_shift(
    State(s): State<AppState>,
    c: Chrome,
    who: Who,
    Path(id): Path<String>,
    Form(f): Form<ShiftInput>,
) -> Result<Response, AppError> {
    let id = path_id(&id)?;
    let done = actions::add_shift(&s, &who, id, &f).await;
    request_after(&s, c, &who, id, done).await
}

/// `POST /service/requests/{id}/confirm`.
pub async fn confirm_request(
    State(s): State<AppState>,
    c: Chrome,
    who: Who,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let id = path_id(&id)?;
    let done = actions::confirm_request(&s, &who, id).await;
    request_after(&s, c, &who, id, done).await
}

/// The request a shift belongs to (its page is where the leader returns).
async fn request_of(s: &AppState, shift: Uuid) -> Result<Uuid, AppError> {
    Ok(s.store.shift(shift).await?.request_id)
}

/// `POST /service/shifts/{id}/assign`.
pub async fn assign(
    State(s): State<AppState>,
    c: Chrome,
    who: Who,
    Path(id): Path<String>,
    Form(f): Form<ShiftVolunteer>,
) -> Result<Response, AppError> {
    let shift = path_id(&id)?;
    let request = request_of(&s, shift).await?;
    let done = actions::assign(&s, &who, shift, &f).await;
    request_after(&s, c, &who, request, done).await
}

/// `POST /service/shifts/{id}/attendance`.
pub async fn attendance(
    State(s): State<AppState>,
    c: Chrome,
    who: Who,
    Path(id): Path<String>,
    Form(f): Form<ShiftAttendance>,
) -> Result<Response, AppError> {
    let shift = path_id(&id)?;
    let request = request_of(&s, shift).await?;
    let done = actions::attendance(&s, &who, shift, &f).await;
    request_after(&s, c, &who, request, done).await
}

/// `POST /service/shifts/{id}/hours`.
pub async fn confirm_hours(
    State(s): State<AppState>,
    c: Chrome,
    who: Who,
    Path(id): Path<String>,
    Form(f): Form<ShiftVolunteer>,
) -> Result<Response, AppError> {
    let shift = path_id(&id)?;
    let request = request_of(&s, shift).await?;
    let done = actions::confirm_hours(&s, &who, shift, &f).await;
    request_after(&s, c, &who, request, done).await
}

#[derive(Template)]
#[template(path = "service_campaign.html")]
struct CampaignPage {
    c: Chrome,
    board: CampaignBoard,
    donations: Vec<DonationRow>,
    requests: Vec<RequestSummary>,
    may_manage: bool,
    today: jiff::civil::Date,
    errors: FormErrors,
}

impl CampaignPage {
    fn term(&self, code: &str) -> String {
        term(&self.c.t, code)
    }

    fn hours(&self, minutes: &i64) -> String {
        pioneer_domain::service::hours::hours_text(*minutes)
    }
}

async fn campaign_page(
    s: &AppState,
    c: Chrome,
    who: &Who,
    id: Uuid,
    errors: FormErrors,
) -> Result<Response, AppError> {
    let campaign = actions::readable_campaign(s, who, id).await?;
    let may_manage = AppState::in_scope(who, Permission::ManageService, &campaign.org_path);
    let board = s.store.campaign_board(id, local_now(s)).await?;
    let donations = s.store.campaign_donation_rows(campaign.tenant_id, id).await?;
    let requests = s
        .store
        .requests_in(campaign.tenant_id, &campaign.org_path, None, Some(id), local_now(s), 200)
        .await?;
    let page = CampaignPage { c, board, donations, requests, may_manage, today: s.clock.today(), errors };
    Ok(html_status(status_of(&page.errors), page.render()?))
}

/// `GET /service/campaigns/{id}`.
pub async fn campaign(
    State(s): State<AppState>,
    c: Chrome,
    who: Who,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    campaign_page(&s, c, &who, path_id(&id)?, FormErrors::default()).await
}

/// Back to the campaign's page, or that page again with the refusals.
async fn campaign_after<T>(
    s: &AppState,
    c: Chrome,
    who: &Who,
    campaign: Uuid,
    done: Result<T, AppError>,
) -> Result<Response, AppError> {
    match done {
        Ok(_) => Ok(Redirect::to(&format!("/service/campaigns/{campaign}")).into_response()),
        Err(e) => {
            let errors = refusals(&c, e)?;
            campaign_page(s, c, who, campaign, errors).await
        }
    }
}

/// `POST /service/campaigns/{id}/donations`.
pub async fn record_donation(
    State(s): State<AppState>,
    c: Chrome,
    who: Who,
    Path(id): Path<String>,
    Form(f): Form<DonationInput>,
) -> Result<Response, AppError> {
    let id = path_id(&id)?;
    let done = actions::record_donation(&s, &who, id, &f).await;
    campaign_after(&s, c, &who, id, done).await
}

/// `POST /service/donations/{id}/distributions`.
pub async fn distribute(
    State(s): State<AppState>,
    c: Chrome,
    who: Who,
    Path(id): Path<String>,
    Form(f): Form<DistributionInput>,
) -> Result<Response, AppError> {
    let id = path_id(&id)?;
    let campaign = s.store.donation_campaign(id).await?.1.ok_or(AppError::NotFound)?;
    let done = actions::distribute(&s, &who, id, &f).await;
    campaign_after(&s, c, &who, campaign, done).await
}

/// The publish form: `publish=1` publishes, anything else withdraws.
#[derive(Debug, Default, serde::Deserialize, utoipa::ToSchema)]
pub struct PublishBody {
    /// Whether the public summary is published.
    #[serde(default, deserialize_with = "crate::forms::flag")]
    pub publish: bool,
}

/// `POST /service/campaigns/{id}/publish`.
pub async fn publish(
    State(s): State<AppState>,
    c: Chrome,
    who: Who,
    Path(id): Path<String>,
    Form(f): Form<PublishBody>,
) -> Result<Response, AppError> {
    let id = path_id(&id)?;
    let done = actions::publish(&s, &who, id, f.publish).await;
    campaign_after(&s, c, &who, id, done).await
}

#[derive(Template)]
#[template(path = "service_summary.html")]
struct SummaryPage {
    c: Chrome,
    board: CampaignBoard,
    summary: Vec<DonatedItem>,
}

impl SummaryPage {
    fn hours(&self, minutes: &i64) -> String {
        pioneer_domain::service::hours::hours_text(*minutes)
    }
}

/// A published campaign's public summary: totals and what was donated and handed out,
/// nothing personal; an unpublished one is not found.
pub async fn public_summary(s: &AppState, id: Uuid) -> Result<(CampaignBoard, Vec<DonatedItem>), AppError> {
    let board = s.store.campaign_board(id, local_now(s)).await?;
    if !board.campaign.published {
        return Err(AppError::NotFound);
    }
    let summary = s.store.campaign_donations(board.campaign.tenant_id, id).await?;
    Ok((board, summary))
}

/// `GET /campaigns/{id}`: public.
pub async fn summary(
    State(s): State<AppState>,
    c: Chrome,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let (board, summary) = public_summary(&s, path_id(&id)?).await?;
    Ok(html_status(StatusCode::OK, SummaryPage { c, board, summary }.render()?))
}
