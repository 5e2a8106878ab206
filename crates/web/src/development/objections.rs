//! Objections for the organisation (公示异议处理): those received about the dossiers of its
//! subtree, with the objector's name and masked phone; each is accepted for investigation
//! (it then enters the dossier and holds the next step until resolved) or dismissed with a
//! reason, both journaled. The page and the API call the same functions.

use crate::AppState;
use crate::api::json::ApiJson;
use crate::api::query::ApiQuery;
use crate::auth::Who;
use crate::error::AppError;
use crate::forms::FormErrors;
use crate::pages::{Chrome, html, html_status};
use crate::scope::{OrgQuery, path_id, scope_org};
use askama::Template;
use axum::Form;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use pioneer_domain::accounts::access::Permission;
use pioneer_store::development::objections::ObjectionRecord;
use pioneer_store::orgs::OrgRecord;
use serde::Deserialize;
use serde_json::{Value, json};
use utoipa::ToSchema;

/// A real-name objection as the public API takes it.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ObjectionBody {
    /// The objector's real name (1–30 characters).
    pub name: String,
    /// A mainland mobile number to reach them (11 digits).
    pub phone: String,
    /// The objection (1–1000 characters).
    pub text: String,
}

/// A dismissal.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct DismissBody {
    /// Why it is not taken up (1–500 characters).
    #[serde(default)]
    pub reason: String,
}

/// The organisation whose objections are read (`ReadDossiers`) or decided
/// (`WriteDossiers`), in the account's scope.
async fn org(s: &AppState, who: &Who, perm: Permission, q: &OrgQuery) -> Result<OrgRecord, AppError> {
    scope_org(s, who, perm, q.org.as_deref()).await?.ok_or(AppError::NotFound)
}

/// Accepts a received objection for investigation; answers the dossier event's seq.
pub async fn accept(s: &AppState, who: &Who, org: &OrgRecord, id: &str) -> Result<u32, AppError> {
    Ok(s.store.accept_objection(path_id(id)?, &org.path, s.clock.today(), &who.act).await?)
}

/// Dismisses a received objection with its reason.
pub async fn dismiss(
    s: &AppState,
    who: &Who,
    org: &OrgRecord,
    id: &str,
    reason: &str,
) -> Result<(), AppError> {
    Ok(s.store.dismiss_objection(path_id(id)?, &org.path, reason, &who.act).await?)
}

#[derive(Template)]
#[template(path = "objections.html")]
struct ListPage {
    c: Chrome,
    org: OrgRecord,
    items: Vec<(ObjectionRecord, &'static str, String)>,
    may_decide: bool,
    errors: FormErrors,
}

async fn list_page(
    s: &AppState,
    c: Chrome,
    who: &Who,
    org: OrgRecord,
    errors: FormErrors,
) -> Result<ListPage, AppError> {
    let items = s
        .store
        .objections_in(org.tenant_id, &org.path)
        .await?
        .into_iter()
        .map(|x| {
            let (zh, en) = x.status.words();
            let at = crate::pages::local_time(x.received_at);
            (x, c.t.l(zh, en), at)
        })
        .collect();
    let may_decide = AppState::in_scope(who, Permission::WriteDossiers, &org.path);
    Ok(ListPage { c, org, items, may_decide, errors })
}

/// `GET /objections?org=ID`.
pub async fn show(
    State(s): State<AppState>,
    c: Chrome,
    who: Who,
    ApiQuery(q): ApiQuery<OrgQuery>,
) -> Result<Response, AppError> {
    let org = org(&s, &who, Permission::ReadDossiers, &q).await?;
    Ok(html(list_page(&s, c, &who, org, FormErrors::default()).await?.render()?))
}

fn back(org: &OrgRecord) -> Response {
    Redirect::to(&format!("/objections?org={}", org.id)).into_response()
}

/// `POST /objections/{id}/accept?org=ID`.
pub async fn accept_page(
    State(s): State<AppState>,
    c: Chrome,
    who: Who,
    Path(id): Path<String>,
    ApiQuery(q): ApiQuery<OrgQuery>,
) -> Result<Response, AppError> {
    let org = org(&s, &who, Permission::WriteDossiers, &q).await?;
    match accept(&s, &who, &org, &id).await {
        Ok(_) => Ok(back(&org)),
        Err(AppError::Invalid(v)) => {
            let errors = FormErrors::new(&v, &c.t);
            Ok(html_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                list_page(&s, c, &who, org, errors).await?.render()?,
            ))
        }
        Err(e) => Err(e),
    }
}

/// `POST /objections/{id}/dismiss?org=ID` with `reason`.
pub async fn dismiss_page(
    State(s): State<AppState>,
    c: Chrome,
    who: Who,
    Path(id): Path<String>,
    ApiQuery(q): ApiQuery<OrgQuery>,
    Form(f): Form<DismissBody>,
) -> Result<Response, AppError> {
    let org = org(&s, &who, Permission::WriteDossiers, &q).await?;
    match dismiss(&s, &who, &org, &id, &f.reason).await {
        Ok(()) => Ok(back(&org)),
        Err(AppError::Invalid(v)) => {
            let errors = FormErrors::new(&v, &c.t);
            Ok(html_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                list_page(&s, c, &who, org, errors).await?.render()?,
            ))
        }
        Err(e) => Err(e),
    }
}

/// The objections about dossiers of an organisation's subtree, those received first (200
/// at most); phones masked.
#[utoipa::path(
    get,
    path = "/api/v1/objections",
    params(crate::development::api::OrgParam),
    responses((status = 200, body = Object), (status = 401, body = crate::error::Problem, content_type = "application/problem+json"), (status = 403, body = crate::error::Problem, content_type = "application/problem+json"))
)]
pub async fn api_list(
    State(s): State<AppState>,
    who: Who,
    ApiQuery(q): ApiQuery<OrgQuery>,
) -> Result<Json<Value>, AppError> {
    let org = org(&s, &who, Permission::ReadDossiers, &q).await?;
    Ok(Json(json!({ "items": s.store.objections_in(org.tenant_id, &org.path).await? })))
}

/// Accepts a received objection for investigation: it enters the dossier and holds the
/// next step until resolved.
#[utoipa::path(
    post,
    path = "/api/v1/objections/{id}/accept",
    params(("id" = uuid::Uuid, Path, description = "The objection"), crate::development::api::OrgParam),
    responses((status = 200, body = Object), (status = 403, body = crate::error::Problem, content_type = "application/problem+json"), (status = 404, body = crate::error::Problem, content_type = "application/problem+json"), (status = 422, body = crate::error::Problem, content_type = "application/problem+json"))
)]
pub async fn api_accept(
    State(s): State<AppState>,
    who: Who,
    Path(id): Path<String>,
    ApiQuery(q): ApiQuery<OrgQuery>,
) -> Result<Json<Value>, AppError> {
    let org = org(&s, &who, Permission::WriteDossiers, &q).await?;
    let seq = accept(&s, &who, &org, &id).await?;
    Ok(Json(json!({ "status": "accepted", "event_seq": seq })))
}

/// Dismisses a received objection with a reason; the dossier is not touched.
#[utoipa::path(
    post,
    path = "/api/v1/objections/{id}/dismiss",
    params(("id" = uuid::Uuid, Path, description = "The objection"), crate::development::api::OrgParam),
    request_body = DismissBody,
    responses((status = 200, body = Object), (status = 403, body = crate::error::Problem, content_type = "application/problem+json"), (status = 404, body = crate::error::Problem, content_type = "application/problem+json"), (status = 422, body = crate::error::Problem, content_type = "application/problem+json"))
)]
pub async fn api_dismiss(
    State(s): State<AppState>,
    who: Who,
    Path(id): Path<String>,
    ApiQuery(q): ApiQuery<OrgQuery>,
    ApiJson(b): ApiJson<DismissBody>,
) -> Result<Json<Value>, AppError> {
    let org = org(&s, &who, Permission::WriteDossiers, &q).await?;
    dismiss(&s, &who, &org, &id, &b.reason).await?;
    Ok(Json(json!({ "status": "dismissed" })))
}
