//! `/api/v1/organizations`: list, create, show, edit, move and close organisations.

use crate::AppState;
use crate::api::json::ApiJson;
use crate::api::query::ApiQuery;
use crate::api::views::{CloseBody, Created, MoveBody, OrgId, OrgView};
use crate::auth::Who;
use crate::error::{AppError, Problem};
use crate::forms::OrgForm;
use crate::orgs::{self, parent};
use crate::scope::path_id;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use pioneer_domain::accounts::access::Permission;
use pioneer_domain::{Reason, text};
use serde::Deserialize;

/// Query of the organisation list.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// Deepest level to include (0 = top organisations only); all when absent.
    pub max_depth: Option<i64>,
}

/// Every organisation (depth-first), optionally only the top levels.
#[utoipa::path(get, path = "/api/v1/organizations", params(ListQuery),
    responses((status = 200, body = Vec<OrgView>)))]
pub async fn list(
    State(s): State<AppState>,
    who: Who,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> Result<Json<Vec<OrgView>>, AppError> {
    let mut orgs = s.store.orgs(q.max_depth).await?;
    orgs.retain(|o| AppState::in_scope(&who, Permission::ReadOrgs, &o.path));
    Ok(Json(orgs.iter().map(OrgView::from).collect()))
}

/// Creates an organisation.
#[utoipa::path(post, path = "/api/v1/organizations", request_body = OrgForm,
    responses((status = 201, body = Created), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn create(
    State(s): State<AppState>,
    who: Who,
    ApiJson(body): ApiJson<OrgForm>,
) -> Result<(StatusCode, Json<Created>), AppError> {
    let id = orgs::create(&s, &who, &body).await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

/// One organisation.
#[utoipa::path(get, path = "/api/v1/organizations/{id}", params(OrgId),
    responses((status = 200, body = OrgView), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn show(
    State(s): State<AppState>,
    who: Who,
    Path(id): Path<String>,
) -> Result<Json<OrgView>, AppError> {
    let org = orgs::readable(&s, &who, path_id(&id)?).await?;
    Ok(Json(OrgView::from(&org)))
}

/// The direct children of an organisation.
#[utoipa::path(get, path = "/api/v1/organizations/{id}/children", params(OrgId), responses((status = 200, body = Vec<OrgView>)))]
pub async fn children(
    State(s): State<AppState>,
    who: Who,
    Path(id): Path<String>,
) -> Result<Json<Vec<OrgView>>, AppError> {
    let org = orgs::readable(&s, &who, path_id(&id)?).await?;
    Ok(Json(s.store.children(org.id).await?.iter().map(OrgView::from).collect()))
}

/// Replaces the fields of an organisation (its place in the tree changes with `move`).
#[utoipa::path(put, path = "/api/v1/organizations/{id}", params(OrgId), request_body = OrgForm,
    responses((status = 200, body = OrgView), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn update(
    State(s): State<AppState>,
    who: Who,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<OrgForm>,
) -> Result<Json<OrgView>, AppError> {
    let org = orgs::writable(&s, &who, path_id(&id)?).await?;
    orgs::update(&s, &who, &org, &body).await?;
    Ok(Json(OrgView::from(&s.store.org(org.id).await?)))
}

/// Moves an organisation, with its subtree, under another one.
#[utoipa::path(post, path = "/api/v1/organizations/{id}/move", params(OrgId), request_body = MoveBody,
    responses((status = 200, body = OrgView), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn move_to(
    State(s): State<AppState>,
    who: Who,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<MoveBody>,
) -> Result<Json<OrgView>, AppError> {
    let org = orgs::writable(&s, &who, path_id(&id)?).await?;
    let new_parent = parent(Some(&body.parent_id))?.ok_or(AppError::field("parent_id", Reason::Required))?;
    orgs::move_to(&s, &who, &org, new_parent).await?;
    Ok(Json(OrgView::from(&s.store.org(org.id).await?)))
}

/// Closes an organisation that has no open sub-organisations and no people.
#[utoipa::path(post, path = "/api/v1/organizations/{id}/close", params(OrgId), request_body = CloseBody,
    responses((status = 200, body = OrgView), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn close(
    State(s): State<AppState>,
    who: Who,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<CloseBody>,
) -> Result<Json<OrgView>, AppError> {
    let org = orgs::writable(&s, &who, path_id(&id)?).await?;
    // Unlike the page's form, the API closes today when no date is sent.
    let on = text::optional_date("closed_on", body.closed_on.as_deref().unwrap_or(""))
        .map_err(|e| AppError::Invalid(e.into()))?
        .unwrap_or(s.clock.today());
    orgs::close(&s, &who, &org, on).await?;
    Ok(Json(OrgView::from(&s.store.org(org.id).await?)))
}
