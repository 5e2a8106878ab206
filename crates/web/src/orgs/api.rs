//! `/api/v1/organizations`: list, create, show, edit, move and close organisations.

use crate::AppState;
use crate::api::json::ApiJson;
use crate::api::views::{CloseBody, Created, MoveBody, OrgView};
use crate::auth::Who;
use crate::error::{AppError, Problem};
use crate::forms::OrgForm;
use crate::orgs::parent;
use crate::scope::path_id;
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use pioneer_domain::accounts::access::Permission;
use pioneer_domain::orgs::OrgFields;
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
    Query(q): Query<ListQuery>,
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
    let parent_id = parent(body.parent_id.as_deref())?;
    crate::orgs::pages::allow_parent(&s, &who, parent_id).await?;
    let fields = OrgFields::parse(&body.input())?;
    let id = s.store.create_org(&fields, parent_id, &who.act).await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

/// One organisation.
#[utoipa::path(get, path = "/api/v1/organizations/{id}",
    responses((status = 200, body = OrgView), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn show(
    State(s): State<AppState>,
    who: Who,
    Path(id): Path<String>,
) -> Result<Json<OrgView>, AppError> {
    let org = s.store.org(path_id(&id)?).await?;
    s.allow(&who, Permission::ReadOrgs, &org.path).await?;
    Ok(Json(OrgView::from(&org)))
}

/// The direct children of an organisation.
#[utoipa::path(get, path = "/api/v1/organizations/{id}/children", responses((status = 200, body = Vec<OrgView>)))]
pub async fn children(
    State(s): State<AppState>,
    who: Who,
    Path(id): Path<String>,
) -> Result<Json<Vec<OrgView>>, AppError> {
    let id = path_id(&id)?;
    let org = s.store.org(id).await?;
    s.allow(&who, Permission::ReadOrgs, &org.path).await?;
    Ok(Json(s.store.children(id).await?.iter().map(OrgView::from).collect()))
}

/// Replaces the fields of an organisation (its place in the tree changes with `move`).
#[utoipa::path(put, path = "/api/v1/organizations/{id}", request_body = OrgForm,
    responses((status = 200, body = OrgView), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn update(
    State(s): State<AppState>,
    who: Who,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<OrgForm>,
) -> Result<Json<OrgView>, AppError> {
    let id = path_id(&id)?;
    let org = s.store.org(id).await?;
    s.allow(&who, Permission::WriteOrgs, &org.path).await?;
    let fields = OrgFields::parse(&body.input())?;
    s.store.update_org(id, &fields, &who.act).await?;
    Ok(Json(OrgView::from(&s.store.org(id).await?)))
}

/// Moves an organisation, with its subtree, under another one.
#[utoipa::path(post, path = "/api/v1/organizations/{id}/move", request_body = MoveBody,
    responses((status = 200, body = OrgView), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn move_to(
    State(s): State<AppState>,
    who: Who,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<MoveBody>,
) -> Result<Json<OrgView>, AppError> {
    let id = path_id(&id)?;
    let org = s.store.org(id).await?;
    s.allow(&who, Permission::WriteOrgs, &org.path).await?;
    let new_parent = parent(Some(&body.parent_id))?.ok_or(AppError::field("parent_id", Reason::Required))?;
    if let Ok(target) = s.store.org(new_parent).await {
        s.allow(&who, Permission::WriteOrgs, &target.path).await?;
    }
    s.store.move_org(id, new_parent, &who.act).await?;
    Ok(Json(OrgView::from(&s.store.org(id).await?)))
}

/// Closes an organisation that has no open sub-organisations and no people.
#[utoipa::path(post, path = "/api/v1/organizations/{id}/close", request_body = CloseBody,
    responses((status = 200, body = OrgView), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn close(
    State(s): State<AppState>,
    who: Who,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<CloseBody>,
) -> Result<Json<OrgView>, AppError> {
    let id = path_id(&id)?;
    let org = s.store.org(id).await?;
    s.allow(&who, Permission::WriteOrgs, &org.path).await?;
    let today = s.clock.today();
    let on = text::optional_date("closed_on", body.closed_on.as_deref().unwrap_or(""))
        .map_err(|e| AppError::Invalid(e.into()))?
        .unwrap_or(today);
    s.store.close_org(id, on, today, &who.act).await?;
    Ok(Json(OrgView::from(&s.store.org(id).await?)))
}
