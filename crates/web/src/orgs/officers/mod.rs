//! Officers and terms on pages and the API: an organisation's committee (who holds which
//! post since when), its term and the next election (ORG-012), postponements with approval
//! (ORG-013), and the reminder list of a subtree's elections due within six months or
//! overdue. Pages and API twins share [`actions`].

pub mod actions;

use crate::AppState;
use crate::api::json::ApiJson;
use crate::api::query::ApiQuery;
use crate::auth::Who;
use crate::error::AppError;
use crate::forms::FormErrors;
use crate::pages::{Chrome, html_status};
use crate::scope::{OrgQuery, path_id, scope_org};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Form, Json};
use pioneer_domain::accounts::access::Permission;
use pioneer_domain::orgs::officers::{ElectionInput, OfficerInput, PostponementInput, TermState, term_years};
use pioneer_store::orgs::OrgRecord;
use pioneer_store::orgs::officers::{OfficerRecord, TermRecord};
use serde::Deserialize;
use serde_json::json;
use uuid::Uuid;

pub use actions::TermLine;

/// The state in the page's language.
fn state_words(t: &crate::i18n::Tr, s: &TermState) -> String {
    let (zh, en) = s.words();
    t.l(zh, en).to_owned()
}

#[derive(Template)]
#[template(path = "org_officers.html")]
struct OfficersPage {
    c: Chrome,
    org: OrgRecord,
    officers: Vec<OfficerRecord>,
    history: Vec<OfficerRecord>,
    term: Option<TermRecord>,
    state: TermState,
    years: Option<i16>,
    members: Vec<(Uuid, String)>,
    errors: FormErrors,
    can_write: bool,
}

impl OfficersPage {
    fn post(&self, code: &str) -> String {
        pioneer_domain::orgs::officers::OfficerPost::from_code(code)
            .map_or(code.to_owned(), |p| self.c.t.l(p.zh(), p.en()).to_owned())
    }
    fn state(&self) -> String {
        state_words(&self.c.t, &self.state)
    }
}

async fn officers_page(
    s: &AppState,
    c: Chrome,
    who: &Who,
    org: OrgRecord,
    errors: FormErrors,
) -> Result<Response, AppError> {
    let (officers, term, state) = actions::committee(s, &org).await?;
    let mut history = s.store.officers_of(org.tenant_id, org.id, false).await?;
    history.retain(|o| o.until.is_some());
    let members = s
        .store
        .people_choices(&org.path, 1000)
        .await?
        .into_iter()
        .filter(|(_, _, status)| status == "probationary_member" || status == "full_member")
        .map(|(id, name, _)| (id, name))
        .collect();
    let can_write = AppState::in_scope(who, Permission::WritePeople, &org.path);
    let years = term_years(org.fields.kind);
    let status = if errors.any() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    let page = OfficersPage { c, org, officers, history, term, state, years, members, errors, can_write };
    Ok(html_status(status, page.render()?))
}

/// `GET /orgs/{id}/officers`: the committee, the term and the forms.
pub async fn page(
    State(s): State<AppState>,
    c: Chrome,
    who: Who,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let org = actions::readable(&s, &who, path_id(&id)?).await?;
    officers_page(&s, c, &who, org, FormErrors::default()).await
}

async fn after(
    s: &AppState,
    c: Chrome,
    who: &Who,
    org: OrgRecord,
    done: Result<(), AppError>,
) -> Result<Response, AppError> {
    match done {
        Ok(()) => Ok(Redirect::to(&format!("/orgs/{}/officers", org.id)).into_response()),
        Err(AppError::Invalid(v)) => {
            let errors = FormErrors::new(&v, &c.t);
            officers_page(s, c, who, org, errors).await
        }
        Err(e) => Err(e),
    }
}

/// `POST /orgs/{id}/officers`: appoints.
pub async fn appoint(
    State(s): State<AppState>,
    c: Chrome,
    who: Who,
    Path(id): Path<String>,
    Form(f): Form<OfficerInput>,
) -> Result<Response, AppError> {
    let org = actions::writable(&s, &who, path_id(&id)?).await?;
    let done = actions::appoint(&s, &who, &org, &f).await.map(|_| ());
    after(&s, c, &who, org, done).await
}

/// When a post ends.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct EndInput {
    /// Until (`YYYY-MM-DD`; today when empty).
    pub until: String,
}

/// `POST /orgs/officers/{id}/end`.
pub async fn end(
    State(s): State<AppState>,
    c: Chrome,
    who: Who,
    Path(id): Path<String>,
    Form(f): Form<EndInput>,
) -> Result<Response, AppError> {
    let id = path_id(&id)?;
    let (_, _, o) = s.store.officer(id).await?;
    let org = actions::writable(&s, &who, o.org_id).await?;
    let done = actions::end(&s, &who, id, &f.until).await.map(|_| ());
    after(&s, c, &who, org, done).await
}

/// `POST /orgs/{id}/elections`.
pub async fn elect(
    State(s): State<AppState>,
    c: Chrome,
    who: Who,
    Path(id): Path<String>,
    Form(f): Form<ElectionInput>,
) -> Result<Response, AppError> {
    let org = actions::writable(&s, &who, path_id(&id)?).await?;
    let done = actions::elect(&s, &who, &org, &f).await.map(|_| ());
    after(&s, c, &who, org, done).await
}

/// `POST /orgs/{id}/postponement`.
pub async fn postpone(
    State(s): State<AppState>,
    c: Chrome,
    who: Who,
    Path(id): Path<String>,
    Form(f): Form<PostponementInput>,
) -> Result<Response, AppError> {
    let org = actions::writable(&s, &who, path_id(&id)?).await?;
    let done = actions::postpone(&s, &who, &org, &f).await;
    after(&s, c, &who, org, done).await
}

#[derive(Template)]
#[template(path = "org_terms.html")]
struct TermsPage {
    c: Chrome,
    org: OrgRecord,
    lines: Vec<TermLine>,
}

impl TermsPage {
    fn state(&self, s: &TermState) -> String {
        state_words(&self.c.t, s)
    }
    fn kind(&self, code: &str) -> String {
        pioneer_domain::orgs::OrgKind::from_code(code)
            .map_or(code.to_owned(), |k| self.c.t.kind(&k).to_owned())
    }
}

/// `GET /terms?org=ID`: elections due within six months and overdue in a subtree.
pub async fn terms(
    State(s): State<AppState>,
    c: Chrome,
    who: Who,
    ApiQuery(q): ApiQuery<OrgQuery>,
) -> Result<Response, AppError> {
    let org =
        scope_org(&s, &who, Permission::ReadPeople, q.org.as_deref()).await?.ok_or(AppError::NotFound)?;
    let lines = actions::reminders(&s, &org, s.clock.today()).await?;
    Ok(html_status(StatusCode::OK, TermsPage { c, org, lines }.render()?))
}

/// The reminder list of a subtree: each elected organisation's latest term and whether its
/// election is overdue (ORG-013), due within six months, unrecorded or in term.
#[utoipa::path(get, path = "/api/v1/terms", params(OrgQuery), responses((status = 200, body = Object)))]
pub async fn api_terms(
    State(s): State<AppState>,
    who: Who,
    ApiQuery(q): ApiQuery<OrgQuery>,
) -> Result<Json<serde_json::Value>, AppError> {
    let org =
        scope_org(&s, &who, Permission::ReadPeople, q.org.as_deref()).await?.ok_or(AppError::NotFound)?;
    Ok(Json(json!({ "org": org.id, "terms": actions::reminders(&s, &org, s.clock.today()).await? })))
}

/// An organisation's current officers, its latest term and where it stands.
#[utoipa::path(get, path = "/api/v1/orgs/{id}/officers", params(("id" = uuid::Uuid, Path, description = "The organisation")),
    responses((status = 200, body = Object)))]
pub async fn api_committee(
    State(s): State<AppState>,
    who: Who,
    Path(id): Path<String>,
) -> Result<Json<serde_json::Value>, AppError> {
    let org = actions::readable(&s, &who, path_id(&id)?).await?;
    let (officers, term, state) = actions::committee(&s, &org).await?;
    Ok(Json(json!({ "org": org.id, "officers": officers, "term": term, "state": state })))
}

/// Appoints a party member of the organisation to a post (one secretary at a time).
#[utoipa::path(post, path = "/api/v1/orgs/{id}/officers", params(("id" = uuid::Uuid, Path, description = "The organisation")),
    request_body = OfficerInput,
    responses((status = 201, body = Object), (status = 422, body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn api_appoint(
    State(s): State<AppState>,
    who: Who,
    Path(id): Path<String>,
    ApiJson(f): ApiJson<OfficerInput>,
) -> Result<Response, AppError> {
    let org = actions::writable(&s, &who, path_id(&id)?).await?;
    let id = actions::appoint(&s, &who, &org, &f).await?;
    Ok((StatusCode::CREATED, Json(json!({ "id": id }))).into_response())
}

/// Ends a post.
#[utoipa::path(post, path = "/api/v1/officers/{id}/end", params(("id" = uuid::Uuid, Path, description = "The post")),
    request_body = EndInput,
    responses((status = 200, body = Object), (status = 422, body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn api_end(
    State(s): State<AppState>,
    who: Who,
    Path(id): Path<String>,
    ApiJson(f): ApiJson<EndInput>,
) -> Result<Json<serde_json::Value>, AppError> {
    actions::end(&s, &who, path_id(&id)?, &f.until).await?;
    Ok(Json(json!({ "ended": true })))
}

/// Records an election: a new term of 5 years (a committee) or 3 (a general branch or
/// branch); refused when dated before the current term began or in the future.
#[utoipa::path(post, path = "/api/v1/orgs/{id}/elections", params(("id" = uuid::Uuid, Path, description = "The organisation")),
    request_body = ElectionInput,
    responses((status = 201, body = Object), (status = 422, body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn api_elect(
    State(s): State<AppState>,
    who: Who,
    Path(id): Path<String>,
    ApiJson(f): ApiJson<ElectionInput>,
) -> Result<Response, AppError> {
    let org = actions::writable(&s, &who, path_id(&id)?).await?;
    let id = actions::elect(&s, &who, &org, &f).await?;
    Ok((StatusCode::CREATED, Json(json!({ "id": id }))).into_response())
}

/// Postpones the current term with the upper organisation's approval, at most a year.
#[utoipa::path(post, path = "/api/v1/orgs/{id}/postponement", params(("id" = uuid::Uuid, Path, description = "The organisation")),
    request_body = PostponementInput,
    responses((status = 200, body = Object), (status = 422, body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn api_postpone(
    State(s): State<AppState>,
    who: Who,
    Path(id): Path<String>,
    ApiJson(f): ApiJson<PostponementInput>,
) -> Result<Json<serde_json::Value>, AppError> {
    let org = actions::writable(&s, &who, path_id(&id)?).await?;
    actions::postpone(&s, &who, &org, &f).await?;
    Ok(Json(json!({ "postponed": true })))
}
