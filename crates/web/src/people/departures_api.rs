//! `/api/v1/people/{id}/departure`: whether a member left, recording it, withdrawing it.

use crate::AppState;
use crate::api::json::ApiJson;
use crate::api::views::PersonId;
use crate::auth::Who;
use crate::error::{AppError, Problem};
use crate::people;
use crate::scope::path_id;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use pioneer_store::people::departures::DepartureRecord;

pub use crate::people::DepartureBody;

/// A recorded departure.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct DepartureView {
    /// How: `died`, `suspended`, `removed`, `persuaded`, `withdrew`, `expelled`, `probation_cancelled`.
    pub kind: String,
    /// The day (YYYY-MM-DD).
    #[schema(format = Date)]
    pub left_on: String,
    /// The decision and its document number.
    #[schema(required = true)]
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

/// The departure recorded for a person, or `null`.
#[utoipa::path(get, path = "/api/v1/people/{id}/departure", params(PersonId),
    responses((status = 200, body = Option<DepartureView>), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn show(
    State(s): State<AppState>,
    who: Who,
    Path(id): Path<String>,
) -> Result<Json<Option<DepartureView>>, AppError> {
    let p = people::readable(&s, &who, path_id(&id)?).await?;
    Ok(Json(s.store.departure(p.id).await?.map(DepartureView::from)))
}

/// Records that a member left: the person becomes a non-member from that day.
#[utoipa::path(post, path = "/api/v1/people/{id}/departure", params(PersonId), request_body = DepartureBody,
    responses((status = 201, body = DepartureView), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn record(
    State(s): State<AppState>,
    who: Who,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<DepartureBody>,
) -> Result<(StatusCode, Json<DepartureView>), AppError> {
    let p = people::writable(&s, &who, path_id(&id)?).await?;
    people::record_departure(&s, &who, &p, &body).await?;
    let recorded = s.store.departure(p.id).await?.ok_or(AppError::NotFound)?;
    Ok((StatusCode::CREATED, Json(recorded.into())))
}

/// Withdraws a mistaken departure (or on 恢复党籍): the earlier status comes back.
#[utoipa::path(delete, path = "/api/v1/people/{id}/departure", params(PersonId),
    responses((status = 204), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn withdraw(
    State(s): State<AppState>,
    who: Who,
    Path(id): Path<String>,
) -> Result<StatusCode, AppError> {
    let p = people::writable(&s, &who, path_id(&id)?).await?;
    people::withdraw_departure(&s, &who, &p).await?;
    Ok(StatusCode::NO_CONTENT)
}
