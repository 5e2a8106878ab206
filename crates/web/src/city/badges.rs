//! Party badges and 先锋岗 stickers: the register of an organisation (issue, end, the
//! citizens' praise and complaints that reached it, printable A4 sheets with QR codes), and
//! the public verification page a QR code opens (only what a citizen needs, and a form for
//! praise or complaint, limited per address). Pages and API twins share [`actions`].

use super::svg::{Printable, sheet};
use super::{read_allowed, term};
use crate::AppState;
use crate::api::query::ApiQuery;
use crate::auth::Who;
use crate::auth::handlers::Peer;
use crate::error::AppError;
use crate::forms::FormErrors;
use crate::pages::{Chrome, html_status};
use crate::scope::{OrgQuery, path_id, scope_org};
use askama::Template;
use axum::Form;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use pioneer_domain::accounts::access::Permission;
use pioneer_domain::city::badges::{BadgeFields, BadgeInput, EndReason, FeedbackFields, FeedbackInput};
use pioneer_store::city::badges::{BadgeRecord, FeedbackRecord, Verification};
use pioneer_store::city::codes;
use pioneer_store::orgs::OrgRecord;
use serde::Deserialize;
use serde_json::json;
use uuid::Uuid;

/// One function per action, for the pages and the API alike.
pub mod actions {
    use super::*;

    /// The organisation of the register `q` names (read: `ReadPeople`).
    pub async fn register_org(s: &AppState, who: &Who, q: &OrgQuery) -> Result<OrgRecord, AppError> {
        scope_org(s, who, Permission::ReadPeople, q.org.as_deref()).await?.ok_or(AppError::NotFound)
    }

    /// Issues a badge or sticker to a member of `who`'s scope.
    pub async fn issue(s: &AppState, who: &Who, org: &OrgRecord, f: &BadgeInput) -> Result<Uuid, AppError> {
        s.allow(who, Permission::WritePeople, &org.path).await?;
        let person = match Uuid::try_parse(f.person_id.trim()) {
            Ok(id) => match s.store.person(id).await {
                Ok(p) if p.org_path.starts_with(&org.path) => Ok(id),
                _ => Err(pioneer_domain::Reason::UnknownPerson),
            },
            Err(_) if f.person_id.trim().is_empty() => Err(pioneer_domain::Reason::Required),
            Err(_) => Err(pioneer_domain::Reason::UnknownPerson),
        };
        // Every refusal at once: the fields' and the member's.
        match (BadgeFields::parse(f, s.clock.today()), person) {
            (Ok(fields), Ok(person)) => Ok(s.store.issue_badge(person, &fields, &who.act).await?),
            (Ok(_), Err(r)) => Err(AppError::field("person_id", r)),
            (Err(mut v), Err(r)) => {
                v.push("person_id", r);
                Err(AppError::Invalid(v))
            }
            (Err(v), Ok(_)) => Err(AppError::Invalid(v)),
        }
    }

    /// Ends a badge or sticker (returned or revoked) today.
    pub async fn end(s: &AppState, who: &Who, id: Uuid, reason: &str) -> Result<BadgeRecord, AppError> {
        let b = s.store.badge(id).await?;
        s.allow(who, Permission::WritePeople, &b.org_path).await?;
        let reason = EndReason::from_code(reason.trim())
            .ok_or(AppError::field("end_reason", pioneer_domain::Reason::UnknownChoice))?;
        s.store.end_badge(id, reason, s.clock.today(), &who.act).await?;
        Ok(s.store.badge(id).await?)
    }

    /// Marks a praise or complaint handled.
    pub async fn handle(s: &AppState, who: &Who, id: Uuid) -> Result<(), AppError> {
        let (tenant, path) = s.store.feedback_path(id).await?;
        s.allow(who, Permission::WritePeople, &path).await?;
        Ok(s.store.handle_feedback(tenant, id, &who.act).await?)
    }

    /// The badge a public code names, with what its page shows; a code that does not verify
    /// is not found (the same answer as a badge that does not exist).
    pub async fn verify(s: &AppState, code: &str) -> Result<(Uuid, Uuid, Verification), AppError> {
        let (tenant, id) = codes::decode(s.store.vault(), code).ok_or(AppError::NotFound)?;
        let v = s.store.verify_badge(tenant, id).await?;
        Ok((tenant, id, v))
    }

    /// Receives a citizen's praise or complaint about badge `id` of `tenant` (as [`verify`]
    /// found it; limited per address; it reaches the organisation and blocks nothing).
    pub async fn feedback(
        s: &AppState,
        (tenant, id): (Uuid, Uuid),
        f: &FeedbackInput,
        address: &str,
    ) -> Result<Uuid, AppError> {
        s.spend_public_form("badge_feedback", address)?;
        let fields = FeedbackFields::parse(f)?;
        let act = pioneer_store::Act::new("public", "POST /v/{code}", s.clock.now());
        Ok(s.store.receive_feedback(tenant, id, &fields, &act).await?)
    }
}

/// The address the deployment is reached at: `--public-url`, else this request's host.
pub fn base_url(s: &AppState, headers: &HeaderMap) -> String {
    if let Some(u) = &s.public_url {
        return u.trim_end_matches('/').to_owned();
    }
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("localhost");
    format!("http://{host}")
}

/// The verification address of a badge.
pub fn verify_url(s: &AppState, headers: &HeaderMap, b: &BadgeRecord) -> String {
    format!("{}/v/{}", base_url(s, headers), codes::encode(s.store.vault(), b.tenant_id, b.id))
}

#[derive(Template)]
#[template(path = "city_badges.html")]
struct RegisterPage {
    c: Chrome,
    org: OrgRecord,
    badges: Vec<(BadgeRecord, String)>,
    feedback: Vec<FeedbackRecord>,
    members: Vec<(Uuid, String)>,
    errors: FormErrors,
    can_write: bool,
}

impl RegisterPage {
    fn term(&self, code: &str) -> String {
        term(&self.c.t, code)
    }
    fn when(&self, ms: &i64) -> String {
        crate::pages::local_time(*ms)
    }
}

async fn register_page(
    s: &AppState,
    c: Chrome,
    who: &Who,
    org: OrgRecord,
    errors: FormErrors,
) -> Result<Response, AppError> {
    let badges = s
        .store
        .badges_in(org.tenant_id, &org.path, 500)
        .await?
        .into_iter()
        .map(|b| {
            let code = codes::encode(s.store.vault(), b.tenant_id, b.id);
            (b, code)
        })
        .collect();
    let feedback = s.store.feedback_in(org.tenant_id, &org.path, 100).await?;
    let members = s
        .store
        .people_choices(&org.path, 1000)
        .await?
        .into_iter()
        .filter(|(_, _, status)| status == "probationary_member" || status == "full_member")
        .map(|(id, name, _)| (id, name))
        .collect();
    let can_write = AppState::in_scope(who, Permission::WritePeople, &org.path);
    let status = if errors.any() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    Ok(html_status(status, RegisterPage { c, org, badges, feedback, members, errors, can_write }.render()?))
}

/// `GET /city/badges?org=ID`: the register.
pub async fn register(
    State(s): State<AppState>,
    c: Chrome,
    who: Who,
    ApiQuery(q): ApiQuery<OrgQuery>,
) -> Result<Response, AppError> {
    let org = actions::register_org(&s, &who, &q).await?;
    register_page(&s, c, &who, org, FormErrors::default()).await
}

async fn after(
    s: &AppState,
    c: Chrome,
    who: &Who,
    org: OrgRecord,
    done: Result<(), AppError>,
) -> Result<Response, AppError> {
    match done {
        Ok(()) => Ok(Redirect::to(&format!("/city/badges?org={}", org.id)).into_response()),
        Err(AppError::Invalid(v)) => {
            let errors = FormErrors::new(&v, &c.t);
            register_page(s, c, who, org, errors).await
        }
        Err(e) => Err(e),
    }
}

/// `POST /city/badges?org=ID`: issues one.
pub async fn issue(
    State(s): State<AppState>,
    c: Chrome,
    who: Who,
    ApiQuery(q): ApiQuery<OrgQuery>,
    Form(f): Form<BadgeInput>,
) -> Result<Response, AppError> {
    let org = actions::register_org(&s, &who, &q).await?;
    let done = actions::issue(&s, &who, &org, &f).await.map(|_| ());
    after(&s, c, &who, org, done).await
}

/// Why a badge ends.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct EndBody {
    /// `returned` or `revoked`.
    #[serde(default)]
    #[schema(required = true)]
    pub end_reason: String,
}

/// `POST /city/badges/{id}/end`.
pub async fn end(
    State(s): State<AppState>,
    c: Chrome,
    who: Who,
    Path(id): Path<String>,
    Form(f): Form<EndBody>,
) -> Result<Response, AppError> {
    let id = path_id(&id)?;
    let b = s.store.badge(id).await?;
    let org = s.store.org(b.org_id).await?;
    let done = actions::end(&s, &who, id, &f.end_reason).await.map(|_| ());
    after(&s, c, &who, org, done).await
}

/// `POST /city/feedback/{id}/handled`.
pub async fn handled(
    State(s): State<AppState>,
    who: Who,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let id = path_id(&id)?;
    actions::handle(&s, &who, id).await?;
    let (_, path) = s.store.feedback_path(id).await?;
    let org = pioneer_domain::orgs::ancestors(&path).last().copied().ok_or(AppError::NotFound)?;
    Ok(Redirect::to(&format!("/city/badges?org={org}")).into_response())
}

/// `?org=&kind=&page=` of a printable sheet.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SheetQuery {
    /// The organisation (default: the caller's own).
    pub org: Option<String>,
    /// `badge` (default) or `sticker`.
    pub kind: Option<String>,
    /// Page, from 1.
    pub page: Option<usize>,
}

/// `GET /city/badges/sheet?org=&kind=&page=`: an A4 page (SVG) of the valid badge cards or
/// stickers of the organisation's subtree, oldest first.
pub async fn print_sheet(
    State(s): State<AppState>,
    who: Who,
    headers: HeaderMap,
    ApiQuery(q): ApiQuery<SheetQuery>,
) -> Result<Response, AppError> {
    let org = actions::register_org(&s, &who, &OrgQuery { org: q.org.clone() }).await?;
    let sticker = match q.kind.as_deref().unwrap_or("badge") {
        "badge" => false,
        "sticker" => true,
        _ => return Err(AppError::field("kind", pioneer_domain::Reason::UnknownChoice)),
    };
    let per_page = if sticker { 6 } else { 10 };
    let page = q.page.unwrap_or(1).max(1);
    let mut valid: Vec<BadgeRecord> = s
        .store
        .badges_in(org.tenant_id, &org.path, 100_000)
        .await?
        .into_iter()
        .filter(|b| b.invalid.is_none() && (b.kind == "sticker") == sticker)
        .collect();
    valid.reverse();
    let items: Vec<Printable> = valid
        .iter()
        .skip((page - 1) * per_page)
        .take(per_page)
        .map(|b| Printable {
            lines: [Some(b.org_name.clone()), b.station.clone(), b.plate_masked.clone()]
                .into_iter()
                .flatten()
                .collect(),
            number: b.number.clone(),
            url: verify_url(&s, &headers, b),
        })
        .collect();
    let pages = valid.len().div_ceil(per_page).max(1);
    let heading = format!(
        "{} · {} {page}/{pages}",
        org.fields.name,
        if sticker { "党员先锋岗车贴" } else { "党员徽章卡" }
    );
    Ok(([(header::CONTENT_TYPE, "image/svg+xml; charset=utf-8")], sheet(&items, sticker, &heading))
        .into_response())
}

#[derive(Template)]
#[template(path = "city_verify.html")]
struct VerifyPage {
    c: Chrome,
    code: String,
    v: Verification,
    form: FeedbackInput,
    errors: FormErrors,
    done: bool,
}

impl VerifyPage {
    fn term(&self, code: &str) -> String {
        term(&self.c.t, code)
    }
}

/// `GET /v/{code}`: what a citizen's scan shows.
pub async fn verify_page(
    State(s): State<AppState>,
    c: Chrome,
    peer: Peer,
    Path(code): Path<String>,
) -> Result<Response, AppError> {
    read_allowed(&s, &peer.address())?;
    let (_, _, v) = actions::verify(&s, &code).await?;
    let page =
        VerifyPage { c, code, v, form: FeedbackInput::default(), errors: FormErrors::default(), done: false };
    Ok(html_status(StatusCode::OK, page.render()?))
}

/// `POST /v/{code}`: a citizen's praise or complaint.
pub async fn feedback_form(
    State(s): State<AppState>,
    c: Chrome,
    peer: Peer,
    Path(code): Path<String>,
    Form(f): Form<FeedbackInput>,
) -> Result<Response, AppError> {
    let (tenant, id, v) = actions::verify(&s, &code).await?;
    let (status, errors, done) = match actions::feedback(&s, (tenant, id), &f, &peer.address()).await {
        Ok(_) => (StatusCode::OK, FormErrors::default(), true),
        Err(AppError::Invalid(e)) => (StatusCode::UNPROCESSABLE_ENTITY, FormErrors::new(&e, &c.t), false),
        Err(AppError::TooManyRequests) => (
            StatusCode::TOO_MANY_REQUESTS,
            FormErrors(vec![(
                "body",
                c.t.l("提交过于频繁，请稍后再试", "too many messages from here; try again later").to_owned(),
            )]),
            false,
        ),
        Err(e) => return Err(e),
    };
    let form = if done { FeedbackInput::default() } else { f };
    Ok(html_status(status, VerifyPage { c, code, v, form, errors, done }.render()?))
}

/// The badges and stickers issued in an organisation's subtree, each with why it is not
/// valid now (returned, revoked, left, transferred) or none.
#[utoipa::path(get, path = "/api/v1/badges", params(OrgQuery), responses((status = 200, body = Object)))]
pub async fn api_list(
    State(s): State<AppState>,
    who: Who,
    ApiQuery(q): ApiQuery<OrgQuery>,
) -> Result<Json<serde_json::Value>, AppError> {
    let org = actions::register_org(&s, &who, &q).await?;
    let badges = s.store.badges_in(org.tenant_id, &org.path, 1000).await?;
    Ok(Json(json!({ "org": org.id, "badges": badges })))
}

/// Issues a party badge (its number required) or a 先锋岗 sticker (its plate required,
/// sealed) to a party member; refused by field: a number issued twice, a plate with a valid
/// sticker, a non-member.
#[utoipa::path(post, path = "/api/v1/badges", params(OrgQuery), request_body = BadgeInput,
    responses((status = 201, body = Object), (status = 422, body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn api_issue(
    State(s): State<AppState>,
    who: Who,
    headers: HeaderMap,
    ApiQuery(q): ApiQuery<OrgQuery>,
    crate::api::json::ApiJson(f): crate::api::json::ApiJson<BadgeInput>,
) -> Result<Response, AppError> {
    let org = actions::register_org(&s, &who, &q).await?;
    let id = actions::issue(&s, &who, &org, &f).await?;
    let b = s.store.badge(id).await?;
    let url = verify_url(&s, &headers, &b);
    Ok((
        StatusCode::CREATED,
        Json(json!({ "id": id, "number": b.number, "verify_url": url })).into_response(),
    )
        .into_response())
}

/// Ends a badge or sticker today (`returned` or `revoked`); its code stops verifying at once.
#[utoipa::path(post, path = "/api/v1/badges/{id}/end", params(("id" = uuid::Uuid, Path, description = "The badge")),
    request_body = EndBody,
    responses((status = 200, body = Object), (status = 422, body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn api_end(
    State(s): State<AppState>,
    who: Who,
    Path(id): Path<String>,
    crate::api::json::ApiJson(f): crate::api::json::ApiJson<EndBody>,
) -> Result<Json<BadgeRecord>, AppError> {
    Ok(Json(actions::end(&s, &who, path_id(&id)?, &f.end_reason).await?))
}

/// A badge with the address its QR code carries.
#[utoipa::path(get, path = "/api/v1/badges/{id}", params(("id" = uuid::Uuid, Path, description = "The badge")),
    responses((status = 200, body = Object)))]
pub async fn api_show(
    State(s): State<AppState>,
    who: Who,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Json<serde_json::Value>, AppError> {
    let b = s.store.badge(path_id(&id)?).await?;
    s.allow(&who, Permission::ReadPeople, &b.org_path).await?;
    let url = verify_url(&s, &headers, &b);
    Ok(Json(json!({ "badge": b, "verify_url": url })))
}

/// Citizens' praise and complaints about the badges of an organisation's subtree,
/// unhandled first (their phone opened for the organisation).
#[utoipa::path(get, path = "/api/v1/badge-feedback", params(OrgQuery), responses((status = 200, body = Object)))]
pub async fn api_feedback(
    State(s): State<AppState>,
    who: Who,
    ApiQuery(q): ApiQuery<OrgQuery>,
) -> Result<Json<serde_json::Value>, AppError> {
    let org = actions::register_org(&s, &who, &q).await?;
    Ok(Json(json!({ "feedback": s.store.feedback_in(org.tenant_id, &org.path, 500).await? })))
}

/// Marks a praise or complaint handled.
#[utoipa::path(post, path = "/api/v1/badge-feedback/{id}/handled", params(("id" = uuid::Uuid, Path, description = "The message")),
    responses((status = 200, body = Object), (status = 422, body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn api_handled(
    State(s): State<AppState>,
    who: Who,
    Path(id): Path<String>,
) -> Result<Json<serde_json::Value>, AppError> {
    actions::handle(&s, &who, path_id(&id)?).await?;
    Ok(Json(json!({ "handled": true })))
}

/// What a badge's or sticker's QR code verifies (no account): the kind, number, the member
/// masked (张某), the organisation, a sticker's plate masked, since when, and whether it is
/// valid now. A code that was altered is not found.
#[utoipa::path(get, path = "/api/v1/verify/{code}", params(("code" = String, Path, description = "The code from the QR")),
    responses((status = 200, body = Object), (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 429, body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn api_verify(
    State(s): State<AppState>,
    peer: Peer,
    Path(code): Path<String>,
) -> Result<Json<Verification>, AppError> {
    read_allowed(&s, &peer.address())?;
    Ok(Json(actions::verify(&s, &code).await?.2))
}

/// Sends praise or a complaint about the member wearing this badge (no account; limited
/// per address; it reaches the organisation and blocks nothing by itself).
#[utoipa::path(post, path = "/api/v1/verify/{code}/feedback", params(("code" = String, Path, description = "The code from the QR")),
    request_body = FeedbackInput,
    responses((status = 201, body = Object), (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 429, body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn api_send_feedback(
    State(s): State<AppState>,
    peer: Peer,
    Path(code): Path<String>,
    crate::api::json::ApiJson(f): crate::api::json::ApiJson<FeedbackInput>,
) -> Result<Response, AppError> {
    let (tenant, badge, _) = actions::verify(&s, &code).await?;
    let id = actions::feedback(&s, (tenant, badge), &f, &peer.address()).await?;
    Ok((StatusCode::CREATED, Json(json!({ "id": id }))).into_response())
}
