//! `/api/v1/service` and `/api/v1/me/service`: volunteer service as JSON, through the same
//! [`actions`] and scope checks as the pages.

use super::actions::{self, RequestForm, ShiftAttendance, ShiftVolunteer, TeamForm};
use super::local_now;
use super::volunteer::{self, Period};
use crate::AppState;
use crate::api::json::ApiJson;
use crate::api::query::ApiQuery;
use crate::auth::Who;
use crate::error::AppError;
use crate::scope::{OrgQuery, path_id, scope_org};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use pioneer_domain::accounts::access::Permission;
use pioneer_domain::service::donations::{CampaignInput, DistributionInput, DonationInput};
use pioneer_domain::service::shifts::ShiftInput;
use pioneer_domain::service::teams::VolunteerInput;
use pioneer_store::orgs::OrgRecord;
use serde_json::{Value, json};
use uuid::Uuid;

fn created(id: Uuid) -> Response {
    (StatusCode::CREATED, Json(json!({ "id": id }))).into_response()
}

async fn org_of(s: &AppState, who: &Who, q: &OrgQuery) -> Result<OrgRecord, AppError> {
    scope_org(s, who, Permission::ManageService, q.org.as_deref()).await?.ok_or(AppError::NotFound)
}

/// The signed-in volunteer's service: open shifts they may take (a campaign's first), their
/// own shifts, this year's confirmed minutes, their latest messages and the teams they lead.
#[utoipa::path(get, path = "/api/v1/me/service", responses((status = 200, body = Object)))]
pub async fn mine(State(s): State<AppState>, who: Who) -> Result<Json<Value>, AppError> {
    let o = volunteer::overview(&s, &who).await?;
    Ok(Json(
        json!({ "open": o.open, "mine": o.mine, "minutes": o.minutes, "messages": o.messages, "led": o.led }),
    ))
}

/// Takes a place on a shift (refused when full or overlapping one of theirs).
#[utoipa::path(post, path = "/api/v1/me/service/shifts/{id}/signup",
    params(("id" = uuid::Uuid, Path, description = "The shift")),
    responses((status = 201, body = Object), (status = 422, body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn sign_up(
    State(s): State<AppState>,
    who: Who,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let id = path_id(&id)?;
    actions::sign_up(&s, &who, id).await?;
    Ok((StatusCode::CREATED, Json(json!({ "shift": id, "signed_up": true }))).into_response())
}

/// Checks in to one of the volunteer's shifts now.
#[utoipa::path(post, path = "/api/v1/me/service/shifts/{id}/check-in",
    params(("id" = uuid::Uuid, Path, description = "The shift")),
    responses((status = 200, body = Object), (status = 422, body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn check_in(
    State(s): State<AppState>,
    who: Who,
    Path(id): Path<String>,
) -> Result<Json<Value>, AppError> {
    actions::check_self(&s, &who, path_id(&id)?, false).await?;
    Ok(Json(json!({ "checked_in": true })))
}

/// Checks out of one of the volunteer's shifts now; answers the minutes served.
#[utoipa::path(post, path = "/api/v1/me/service/shifts/{id}/check-out",
    params(("id" = uuid::Uuid, Path, description = "The shift")),
    responses((status = 200, body = Object), (status = 422, body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn check_out(
    State(s): State<AppState>,
    who: Who,
    Path(id): Path<String>,
) -> Result<Json<Value>, AppError> {
    let minutes = actions::check_self(&s, &who, path_id(&id)?, true).await?;
    Ok(Json(json!({ "checked_out": true, "minutes": minutes })))
}

/// The volunteer's service certificate (志愿服务证明) over a period (default: this year).
#[utoipa::path(get, path = "/api/v1/me/service/certificate", params(Period),
    responses((status = 200, body = Object), (status = 422, body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn certificate(
    State(s): State<AppState>,
    who: Who,
    ApiQuery(p): ApiQuery<Period>,
) -> Result<Json<Value>, AppError> {
    Ok(Json(json!(volunteer::certificate(&s, &who, &p).await?)))
}

/// An organisation's volunteer service: its subtree's teams, requests (with status) and the
/// campaigns of it and above it.
#[utoipa::path(get, path = "/api/v1/service", params(crate::development::api::OrgParam),
    responses((status = 200, body = Object)))]
pub async fn overview(
    State(s): State<AppState>,
    who: Who,
    ApiQuery(q): ApiQuery<OrgQuery>,
) -> Result<Json<Value>, AppError> {
    let org = org_of(&s, &who, &q).await?;
    Ok(Json(json!({
        "teams": s.store.teams_in(org.tenant_id, &org.path).await?,
        "requests": s.store.requests_in(org.tenant_id, &org.path, None, None, local_now(&s), 100).await?,
        "campaigns": s.store.campaigns_around(org.tenant_id, &org.path).await?,
    })))
}

/// Forms a team of the organisation.
#[utoipa::path(post, path = "/api/v1/service/teams", params(crate::development::api::OrgParam), request_body = pioneer_domain::service::teams::TeamInput,
    responses((status = 201, body = Object), (status = 422, body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn create_team(
    State(s): State<AppState>,
    who: Who,
    ApiQuery(q): ApiQuery<OrgQuery>,
    ApiJson(f): ApiJson<TeamForm>,
) -> Result<Response, AppError> {
    let org = org_of(&s, &who, &q).await?;
    Ok(created(actions::create_team(&s, &who, &org, &f).await?))
}

/// A team and its volunteers (its leader or a manager of its organisation).
#[utoipa::path(get, path = "/api/v1/service/teams/{id}", params(("id" = uuid::Uuid, Path, description = "The team")),
    responses((status = 200, body = Object)))]
pub async fn team(
    State(s): State<AppState>,
    who: Who,
    Path(id): Path<String>,
) -> Result<Json<Value>, AppError> {
    let team = s.store.team(path_id(&id)?).await?;
    super::lead_team(&s, &who, &team).await?;
    let volunteers = s.store.team_volunteers(&team).await?;
    Ok(Json(json!({ "team": team, "volunteers": volunteers })))
}

/// Adds a volunteer (member or not, of the team's organisation's subtree) to a team.
#[utoipa::path(post, path = "/api/v1/service/teams/{id}/volunteers", params(("id" = uuid::Uuid, Path, description = "The team")),
    request_body = VolunteerInput,
    responses((status = 201, body = Object), (status = 422, body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn add_volunteer(
    State(s): State<AppState>,
    who: Who,
    Path(id): Path<String>,
    ApiJson(f): ApiJson<VolunteerInput>,
) -> Result<Response, AppError> {
    let team = s.store.team(path_id(&id)?).await?;
    Ok(created(actions::add_volunteer(&s, &who, &team, &f).await?))
}

/// Records a service request accepted by the organisation (refused without a contact).
#[utoipa::path(post, path = "/api/v1/service/requests", params(crate::development::api::OrgParam), request_body = pioneer_domain::service::requests::RequestInput,
    responses((status = 201, body = Object), (status = 422, body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn create_request(
    State(s): State<AppState>,
    who: Who,
    ApiQuery(q): ApiQuery<OrgQuery>,
    ApiJson(f): ApiJson<RequestForm>,
) -> Result<Response, AppError> {
    let org = org_of(&s, &who, &q).await?;
    Ok(created(actions::create_request(&s, &who, &org, &f).await?))
}

/// A request with its status, shifts and who signed up (its team's leader or a manager).
#[utoipa::path(get, path = "/api/v1/service/requests/{id}", params(("id" = uuid::Uuid, Path, description = "The request")),
    responses((status = 200, body = Object)))]
pub async fn request(
    State(s): State<AppState>,
    who: Who,
    Path(id): Path<String>,
) -> Result<Json<Value>, AppError> {
    let r = actions::led_request(&s, &who, path_id(&id)?).await?;
    let shifts = s.store.request_shifts(r.tenant_id, r.id).await?;
    let signups = s.store.request_signups(r.tenant_id, r.id).await?;
    Ok(Json(json!({ "request": r, "shifts": shifts, "signups": signups })))
}

/// Adds a shift to a request.
#[utoipa::path(post, path = "/api/v1/service/requests/{id}/shifts", params(("id" = uuid::Uuid, Path, description = "The request")),
    request_body = ShiftInput,
    responses((status = 201, body = Object), (status = 422, body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn add_shift(
    State(s): State<AppState>,
    who: Who,
    Path(id): Path<String>,
    ApiJson(f): ApiJson<ShiftInput>,
) -> Result<Response, AppError> {
    Ok(created(actions::add_shift(&s, &who, path_id(&id)?, &f).await?))
}

/// Confirms a request done for its requester (once every shift has ended; once).
#[utoipa::path(post, path = "/api/v1/service/requests/{id}/confirm", params(("id" = uuid::Uuid, Path, description = "The request")),
    responses((status = 200, body = Object), (status = 422, body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn confirm_request(
    State(s): State<AppState>,
    who: Who,
    Path(id): Path<String>,
) -> Result<Json<Value>, AppError> {
    actions::confirm_request(&s, &who, path_id(&id)?).await?;
    Ok(Json(json!({ "confirmed": true })))
}

/// Assigns a volunteer to a shift (within its places, without overlap).
#[utoipa::path(post, path = "/api/v1/service/shifts/{id}/assign", params(("id" = uuid::Uuid, Path, description = "The shift")),
    request_body = ShiftVolunteer,
    responses((status = 201, body = Object), (status = 422, body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn assign(
    State(s): State<AppState>,
    who: Who,
    Path(id): Path<String>,
    ApiJson(f): ApiJson<ShiftVolunteer>,
) -> Result<Response, AppError> {
    Ok(created(actions::assign(&s, &who, path_id(&id)?, &f).await?))
}

/// Records a volunteer's check-in or check-out for them.
#[utoipa::path(post, path = "/api/v1/service/shifts/{id}/attendance", params(("id" = uuid::Uuid, Path, description = "The shift")),
    request_body = ShiftAttendance,
    responses((status = 200, body = Object), (status = 422, body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn attendance(
    State(s): State<AppState>,
    who: Who,
    Path(id): Path<String>,
    ApiJson(f): ApiJson<ShiftAttendance>,
) -> Result<Json<Value>, AppError> {
    let minutes = actions::attendance(&s, &who, path_id(&id)?, &f).await?;
    Ok(Json(json!({ "recorded": true, "minutes": minutes })))
}

/// Confirms a volunteer's hours on a shift, once; they earn credits once.
#[utoipa::path(post, path = "/api/v1/service/shifts/{id}/hours", params(("id" = uuid::Uuid, Path, description = "The shift")),
    request_body = ShiftVolunteer,
    responses((status = 200, body = Object), (status = 422, body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn confirm_hours(
    State(s): State<AppState>,
    who: Who,
    Path(id): Path<String>,
    ApiJson(f): ApiJson<ShiftVolunteer>,
) -> Result<Json<Value>, AppError> {
    let credited = actions::confirm_hours(&s, &who, path_id(&id)?, &f).await?;
    Ok(Json(json!({ "confirmed": true, "credits": credited.map(|e| e.amount) })))
}

/// Starts a campaign (专项行动) of the organisation.
#[utoipa::path(post, path = "/api/v1/service/campaigns", params(crate::development::api::OrgParam), request_body = CampaignInput,
    responses((status = 201, body = Object), (status = 422, body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn create_campaign(
    State(s): State<AppState>,
    who: Who,
    ApiQuery(q): ApiQuery<OrgQuery>,
    ApiJson(f): ApiJson<CampaignInput>,
) -> Result<Response, AppError> {
    let org = org_of(&s, &who, &q).await?;
    Ok(created(actions::create_campaign(&s, &who, &org, &f).await?))
}

/// A campaign's board: open needs, teams, volunteers on shift now, hours, deliveries and
/// institutions served per organisation; its donations and their public summary.
#[utoipa::path(get, path = "/api/v1/service/campaigns/{id}", params(("id" = uuid::Uuid, Path, description = "The campaign")),
    responses((status = 200, body = Object)))]
pub async fn campaign(
    State(s): State<AppState>,
    who: Who,
    Path(id): Path<String>,
) -> Result<Json<Value>, AppError> {
    let c = actions::readable_campaign(&s, &who, path_id(&id)?).await?;
    Ok(Json(json!({
        "board": s.store.campaign_board(c.id, local_now(&s)).await?,
        "donations": s.store.campaign_donation_rows(c.tenant_id, c.id).await?,
        "summary": s.store.campaign_donations(c.tenant_id, c.id).await?,
    })))
}

/// Records a donation received for the campaign (money in fen, or goods in their unit).
#[utoipa::path(post, path = "/api/v1/service/campaigns/{id}/donations", params(("id" = uuid::Uuid, Path, description = "The campaign")),
    request_body = DonationInput,
    responses((status = 201, body = Object), (status = 422, body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn record_donation(
    State(s): State<AppState>,
    who: Who,
    Path(id): Path<String>,
    ApiJson(f): ApiJson<DonationInput>,
) -> Result<Response, AppError> {
    Ok(created(actions::record_donation(&s, &who, path_id(&id)?, &f).await?))
}

/// Hands out part of a donation to a recipient (refused beyond what is left).
#[utoipa::path(post, path = "/api/v1/service/donations/{id}/distributions", params(("id" = uuid::Uuid, Path, description = "The donation")),
    request_body = DistributionInput,
    responses((status = 201, body = Object), (status = 422, body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn distribute(
    State(s): State<AppState>,
    who: Who,
    Path(id): Path<String>,
    ApiJson(f): ApiJson<DistributionInput>,
) -> Result<Response, AppError> {
    Ok(created(actions::distribute(&s, &who, path_id(&id)?, &f).await?))
}

/// Publishes or withdraws the campaign's public summary.
#[utoipa::path(post, path = "/api/v1/service/campaigns/{id}/publish", params(("id" = uuid::Uuid, Path, description = "The campaign")),
    request_body = super::admin::PublishBody,
    responses((status = 200, body = Object)))]
pub async fn publish(
    State(s): State<AppState>,
    who: Who,
    Path(id): Path<String>,
    ApiJson(f): ApiJson<super::admin::PublishBody>,
) -> Result<Json<Value>, AppError> {
    actions::publish(&s, &who, path_id(&id)?, f.publish).await?;
    Ok(Json(json!({ "published": f.publish })))
}

/// A published campaign's public summary (no one personal in it); an unpublished one is
/// not found.
#[utoipa::path(get, path = "/api/v1/campaigns/{id}/summary", params(("id" = uuid::Uuid, Path, description = "The campaign")),
    responses((status = 200, body = Object)))]
pub async fn summary(State(s): State<AppState>, Path(id): Path<String>) -> Result<Json<Value>, AppError> {
    let (board, items) = super::admin::public_summary(&s, path_id(&id)?).await?;
    Ok(Json(json!({
        "name": board.campaign.name, "starts_on": board.campaign.starts_on, "ends_on": board.campaign.ends_on,
        "teams": board.teams, "volunteers": board.total.volunteers, "minutes": board.total.minutes,
        "deliveries": board.total.deliveries, "served": board.total.served, "donations": items,
    })))
}
