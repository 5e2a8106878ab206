//! `/api/v1/stats`: the dashboard's figures as JSON, for the same subtree and date.

use crate::AppState;
use crate::api::query::ApiQuery;
use crate::auth::Who;
use crate::error::AppError;
use crate::scope::stats_org;
use crate::stats::{StatsQuery, figures};
use axum::Json;
use axum::extract::State;
use serde_json::{Value, json};

/// The figures of an organisation subtree on a reference date (default today), yearly
/// figures from `since` (default five years): members by status, age band, education,
/// women, minorities, categories, mobile members; new members, applications (with growth)
/// and members leaving per year, by how; organisations by kind and enterprises covered.
#[utoipa::path(get, path = "/api/v1/stats", params(StatsQuery), responses((status = 200, body = Object),
    (status = 422, body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn stats(
    State(s): State<AppState>,
    who: Who,
    ApiQuery(q): ApiQuery<StatsQuery>,
) -> Result<Json<Value>, AppError> {
    let org = stats_org(&s, &who, q.org.as_deref()).await?;
    let f = figures(&s, &org, &q).await?;
    Ok(Json(json!({
        "organization": { "id": org.id, "name": org.fields.name },
        "on": f.on.to_string(),
        "since": f.since,
        "read_at_ms": f.read_at,
        "figures": f.dashboard,
        "new_members_total": f.dashboard.new_members_total(),
        "organizations": f.orgs,
        "volunteer_service": f.service,
        "housekeeping": f.housekeeping,
    })))
}
