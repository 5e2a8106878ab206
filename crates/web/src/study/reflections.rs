//! 心得体会 on the web: a member writes a reflection on a course they studied (on the course
//! page) and reads the approved ones of their own branch; a secretary (whoever manages study
//! where it was written) approves each before the branch sees it, or returns it with a
//! reason. Approved reflections count in the course's reach. Pages and API twins call the
//! same functions.

use crate::AppState;
use crate::api::query::ApiQuery;
use crate::auth::Who;
use crate::error::AppError;
use crate::scope::{OrgQuery, path_id, scope_org};
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use pioneer_domain::accounts::access::Permission;
use pioneer_domain::study::reflections;
use pioneer_store::study::courses::CourseRecord;
use pioneer_store::study::reflections::ReflectionRecord;
use serde::Deserialize;
use uuid::Uuid;

/// What a member reads of reflections on a course: their own, and their branch's approved.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Reflections {
    /// Their own, the newest first.
    pub mine: Vec<ReflectionRecord>,
    /// Their branch's approved ones, the newest first (at most 50).
    pub branch: Vec<ReflectionRecord>,
    /// Whether they may write one now.
    pub may_write: bool,
}

/// The reflections a member at `path` reads on `course`.
pub async fn for_member(
    s: &AppState,
    course: &CourseRecord,
    me: Uuid,
    path: &str,
) -> Result<Reflections, AppError> {
    let mine = s.store.reflections_by(course.id, me).await?;
    let statuses: Vec<_> =
        mine.iter().filter_map(|r| reflections::ReflectionStatus::from_code(&r.status)).collect();
    Ok(Reflections {
        may_write: reflections::may_write(&statuses).is_ok(),
        branch: s.store.approved_reflections(course.id, path, 50).await?,
        mine,
    })
}

/// Writes `who`'s reflection on the course `id` (one they may read), checked by field.
pub async fn write(s: &AppState, who: &Who, id: &str, text: &str) -> Result<Uuid, AppError> {
    let (me, tenant, path) = who.member()?;
    if !who.user.can(Permission::WriteSelf) {
        return Err(AppError::Forbidden);
    }
    let course = crate::study::reachable(s, id, tenant, &path).await?;
    let text = reflections::text(text).map_err(|e| AppError::Invalid(e.into()))?;
    Ok(s.store.write_reflection(&course, me, &path, &text, &who.act).await?)
}

/// The reflection `id`, when `who` manages study where it was written and `org` (their
/// page's organisation) holds it.
async fn decidable(
    s: &AppState,
    who: &Who,
    id: &str,
    org: Option<&str>,
) -> Result<ReflectionRecord, AppError> {
    let r = s.store.reflection(path_id(id)?).await?;
    s.allow(who, Permission::ManageStudy, &r.org_path).await?;
    if let Some(o) = scope_org(s, who, Permission::ManageStudy, org).await?
        && !r.org_path.starts_with(&o.path)
    {
        return Err(AppError::NotFound);
    }
    Ok(r)
}

/// Approves a reflection, or returns it when `returned` (with a reason, required).
pub async fn decide(
    s: &AppState,
    who: &Who,
    id: &str,
    org: Option<&str>,
    returned: Option<&str>,
) -> Result<(), AppError> {
    let r = decidable(s, who, id, org).await?;
    let reason = match returned {
        Some(raw) => Some(reflections::return_reason(raw).map_err(|e| AppError::Invalid(e.into()))?),
        None => None,
    };
    Ok(s.store.decide_reflection(r.id, reason.as_deref(), &who.act).await?)
}

/// The return form.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct ReturnForm {
    /// Why (required, at most 300 characters; the member reads it).
    #[serde(default)]
    pub reason: String,
}

/// The reflection form.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct ReflectionForm {
    /// The reflection (10 to 2,000 characters).
    #[serde(default)]
    pub text: String,
}

/// Where the decision pages go back to.
fn back(q: &OrgQuery) -> String {
    match q.org.as_deref() {
        Some(o) => format!("/admin/study?org={}#reflections", crate::forms::encode(o)),
        None => "/admin/study#reflections".to_owned(),
    }
}

/// `POST /reflections/{id}/approve?org=ID`.
pub async fn approve_page(
    State(s): State<AppState>,
    who: Who,
    Path(id): Path<String>,
    ApiQuery(q): ApiQuery<OrgQuery>,
) -> Result<Response, AppError> {
    decide(&s, &who, &id, q.org.as_deref(), None).await?;
    Ok(Redirect::to(&back(&q)).into_response())
}

/// `POST /reflections/{id}/return?org=ID` (`reason`).
pub async fn return_page(
    State(s): State<AppState>,
    who: Who,
    Path(id): Path<String>,
    ApiQuery(q): ApiQuery<OrgQuery>,
    Form(f): Form<ReturnForm>,
) -> Result<Response, AppError> {
    decide(&s, &who, &id, q.org.as_deref(), Some(&f.reason)).await?;
    Ok(Redirect::to(&back(&q)).into_response())
}

/// Writes a reflection (心得体会) on a course one may read: 10 to 2,000 characters; not while
/// another of one's own on it waits or stands approved. It waits for the secretary.
#[utoipa::path(post, path = "/api/v1/courses/{id}/reflections", params(("id" = uuid::Uuid, Path, description = "The course")),
    request_body = ReflectionForm,
    responses((status = 201, body = Object), (status = 403, body = crate::error::Problem, content_type = "application/problem+json"), (status = 404, body = crate::error::Problem, content_type = "application/problem+json"), (status = 422, body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn api_write(
    State(s): State<AppState>,
    who: Who,
    Path(id): Path<String>,
    crate::api::json::ApiJson(f): crate::api::json::ApiJson<ReflectionForm>,
) -> Result<Response, AppError> {
    let id = write(&s, &who, &id, &f.text).await?;
    Ok((StatusCode::CREATED, axum::Json(serde_json::json!({ "id": id }))).into_response())
}

/// One's own reflections on a course and one's branch's approved ones.
#[utoipa::path(get, path = "/api/v1/courses/{id}/reflections", params(("id" = uuid::Uuid, Path, description = "The course")),
    responses((status = 200, body = Object), (status = 403, body = crate::error::Problem, content_type = "application/problem+json"), (status = 404, body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn api_read(
    State(s): State<AppState>,
    who: Who,
    Path(id): Path<String>,
) -> Result<axum::Json<Reflections>, AppError> {
    let (me, tenant, path) = who.member()?;
    let course = crate::study::reachable(&s, &id, tenant, &path).await?;
    Ok(axum::Json(for_member(&s, &course, me, &path).await?))
}

/// Reflections waiting for a decision in an organisation's subtree, the oldest first.
#[utoipa::path(get, path = "/api/v1/reflections", params(crate::development::api::OrgParam),
    responses((status = 200, body = Object), (status = 403, body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn api_waiting(
    State(s): State<AppState>,
    who: Who,
    ApiQuery(q): ApiQuery<OrgQuery>,
) -> Result<axum::Json<serde_json::Value>, AppError> {
    let org =
        scope_org(&s, &who, Permission::ManageStudy, q.org.as_deref()).await?.ok_or(AppError::NotFound)?;
    let items = s.store.waiting_reflections(&org.path, 200).await?;
    Ok(axum::Json(serde_json::json!({ "items": items })))
}

/// Approves a reflection: the writer's branch reads it and it counts in the course's reach.
#[utoipa::path(post, path = "/api/v1/reflections/{id}/approve", params(("id" = uuid::Uuid, Path, description = "The reflection")),
    responses((status = 204), (status = 403, body = crate::error::Problem, content_type = "application/problem+json"), (status = 404, body = crate::error::Problem, content_type = "application/problem+json"), (status = 422, body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn api_approve(
    State(s): State<AppState>,
    who: Who,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    decide(&s, &who, &id, None, None).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// Returns a reflection to its writer with a reason.
#[utoipa::path(post, path = "/api/v1/reflections/{id}/return", params(("id" = uuid::Uuid, Path, description = "The reflection")),
    request_body = ReturnForm,
    responses((status = 204), (status = 403, body = crate::error::Problem, content_type = "application/problem+json"), (status = 404, body = crate::error::Problem, content_type = "application/problem+json"), (status = 422, body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn api_return(
    State(s): State<AppState>,
    who: Who,
    Path(id): Path<String>,
    crate::api::json::ApiJson(f): crate::api::json::ApiJson<ReturnForm>,
) -> Result<Response, AppError> {
    decide(&s, &who, &id, None, Some(&f.reason)).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
