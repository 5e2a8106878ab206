//! `/api/v1/people/{id}/departure`: whether a member left, recording it, withdrawing it.

use crate::AppState;
use crate::api::json::ApiJson;
use crate::auth::Who;
use crate::error::{AppError, Problem};
use crate::scope::path_id;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use pioneer_domain::accounts::access::Permission;
use pioneer_domain::people::departure::Departure;
use pioneer_store::people::departures::DepartureRecord;

/// A recorded departure.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct DepartureView {
    /// How: `died`, `suspended`, `removed`, `persuaded`, `withdrew`, `expelled`, `probation_cancelled`.
    pub kind: String,
    /// The day (YYYY-MM-DD).
    pub left_on: String,
    /// The decision and its document number.
    pub note: Option<String>,
    /// The status before leaving.
    pub status_before: String,
    /// The organisation that handled it.
    pub org_id: uuid::Uuid,
    /// Who recorded it.
    pub recorded_by: String,
}

impl From<DepartureRecord> for DepartureView {
    fn from(d: DepartureRecord) -> Self {
        Self {
            kind: d.kind.code().to_owned(),
            left_on: d.left_on.to_string(),
            note: d.note,
            status_before: d.status_before.code().to_owned(),
            org_id: d.org_id,
            recorded_by: d.recorded_by,
        }
    }
}

/// What recording a departure sends.
#[derive(Debug, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct DepartureBody {
    /// How (see `DepartureView::kind`).
    pub departure_kind: String,
    /// The day (YYYY-MM-DD), not in the future nor before admission.
    pub left_on: String,
    /// The decision and its document number (optional, at most 200 characters).
    pub departure_note: String,
}

/// The departure recorded for a person, or `null`.
#[utoipa::path(get, path = "/api/v1/people/{id}/departure",
    responses((status = 200, body = Option<DepartureView>), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn show(
    State(s): State<AppState>,
    who: Who,
    Path(id): Path<String>,
) -> Result<Json<Option<DepartureView>>, AppError> {
    let p = s.store.person(path_id(&id)?).await?;
    s.allow(&who, Permission::ReadPeople, &p.org_path).await?;
    Ok(Json(s.store.departure(p.id).await?.map(DepartureView::from)))
}

/// Records that a member left: the person becomes a non-member from that day.
#[utoipa::path(post, path = "/api/v1/people/{id}/departure", request_body = DepartureBody,
    responses((status = 201, body = DepartureView), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn record(
    State(s): State<AppState>,
    who: Who,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<DepartureBody>,
) -> Result<(StatusCode, Json<DepartureView>), AppError> {
    let p = s.store.person(path_id(&id)?).await?;
    s.allow(&who, Permission::WritePeople, &p.org_path).await?;
    let status = p.fields.status;
    let today = s.clock.today();
    let d = Departure::parse(
        &body.departure_kind,
        &body.left_on,
        &body.departure_note,
        status,
        &p.fields.dates,
        today,
    )?;
    s.store.record_departure(p.id, status, &d, &who.act).await?;
    let recorded = s.store.departure(p.id).await?.ok_or(AppError::NotFound)?;
    Ok((StatusCode::CREATED, Json(recorded.into())))
}

/// Withdraws a mistaken departure (or on 恢复党籍): the earlier status comes back.
#[utoipa::path(delete, path = "/api/v1/people/{id}/departure",
    responses((status = 204), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn withdraw(
    State(s): State<AppState>,
    who: Who,
    Path(id): Path<String>,
) -> Result<StatusCode, AppError> {
    let p = s.store.person(path_id(&id)?).await?;
    s.allow(&who, Permission::WritePeople, &p.org_path).await?;
    s.store.withdraw_departure(p.id, &who.act).await?;
    Ok(StatusCode::NO_CONTENT)
}
