//! The public notice board (公示栏): notices running today, each as a 公示 shows it (name,
//! gender, year and month of birth, education, the organisation, the step, the period,
//! where to object in person) under a public reference, never an internal id; and the
//! real-name objection form, limited per address and per notice. A received objection
//! blocks nothing until the organisation accepts it (`development::objections`).

use crate::AppState;
use crate::api::json::ApiJson;
use crate::error::AppError;
use crate::forms::FormErrors;
use crate::pages::{Chrome, html, html_status};
use askama::Template;
use axum::Form;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use pioneer_domain::development::dossier::choice_label;
use pioneer_domain::development::objections::ObjectionInput;
use pioneer_store::development::dossiers::NoticeItem;
use pioneer_store::{Act, StoreError};
use serde_json::json;

#[derive(Template)]
#[template(path = "notices.html")]
struct BoardPage {
    c: Chrome,
    notices: Vec<(NoticeItem, &'static str)>,
}

/// `GET /notices`.
pub async fn board(State(s): State<AppState>, c: Chrome) -> Result<Response, AppError> {
    let notices = s.store.open_notices(s.clock.today()).await?;
    let notices = notices
        .into_iter()
        .map(|n| {
            let (zh, en) = choice_label(&n.point);
            let label = c.t.l(zh, en);
            (n, label)
        })
        .collect();
    Ok(html(BoardPage { c, notices }.render()?))
}

#[derive(Template)]
#[template(path = "objection.html")]
struct ObjectionPage {
    c: Chrome,
    notice: NoticeItem,
    point: &'static str,
    form: ObjectionInput,
    errors: FormErrors,
    done: bool,
}

/// The running notice with this public reference.
async fn running(s: &AppState, code: &str) -> Result<NoticeItem, AppError> {
    let all = s.store.open_notices(s.clock.today()).await?;
    all.into_iter().find(|n| n.code == code.trim()).ok_or(AppError::NotFound)
}

/// Receives an objection to a running notice from `address`: refused (429) beyond the
/// per-address limit, by field when incomplete or beyond the notice's limits; nothing is
/// written then. The page and the API both call this.
pub async fn receive(
    s: &AppState,
    notice: &NoticeItem,
    f: &ObjectionInput,
    address: &str,
) -> Result<(), AppError> {
    s.spend_public_form("objection", address)?;
    let fields = f.parse()?;
    let act = Act::new("public", "POST /notices/{notice}/objection", s.clock.now());
    match s.store.receive_objection(notice.dossier_id, notice.seq, &fields, &act).await {
        Ok(_) => Ok(()),
        Err(StoreError::NotFound) => Err(AppError::NotFound),
        Err(e) => Err(e.into()),
    }
}

fn page(
    c: Chrome,
    notice: NoticeItem,
    form: ObjectionInput,
    errors: FormErrors,
    done: bool,
) -> ObjectionPage {
    let (zh, en) = choice_label(&notice.point);
    let point = c.t.l(zh, en);
    ObjectionPage { c, notice, point, form, errors, done }
}

/// `GET /notices/{notice}/objection`.
pub async fn objection_form(
    State(s): State<AppState>,
    c: Chrome,
    Path(code): Path<String>,
) -> Result<Response, AppError> {
    let notice = running(&s, &code).await?;
    Ok(html(page(c, notice, ObjectionInput::default(), FormErrors::default(), false).render()?))
}

/// `POST /notices/{notice}/objection`: receives a real-name objection.
pub async fn object(
    State(s): State<AppState>,
    c: Chrome,
    peer: crate::auth::handlers::Peer,
    Path(code): Path<String>,
    Form(f): Form<ObjectionInput>,
) -> Result<Response, AppError> {
    let notice = running(&s, &code).await?;
    match receive(&s, &notice, &f, &peer.address()).await {
        Ok(()) => Ok(html(page(c, notice, ObjectionInput::default(), FormErrors::default(), true).render()?)),
        Err(AppError::Invalid(v)) => {
            let errors = FormErrors::new(&v, &c.t);
            Ok(html_status(StatusCode::UNPROCESSABLE_ENTITY, page(c, notice, f, errors, false).render()?))
        }
        Err(AppError::TooManyRequests) => {
            let errors = FormErrors(vec![("text", c.t.s("objection_throttled").to_owned())]);
            Ok(html_status(StatusCode::TOO_MANY_REQUESTS, page(c, notice, f, errors, false).render()?))
        }
        Err(e) => Err(e),
    }
}

/// Raises a real-name objection to a running notice (its public reference from
/// `/api/v1/notices`). Received, it blocks nothing until the organisation accepts it.
#[utoipa::path(
    post,
    path = "/api/v1/notices/{notice}/objections",
    params(("notice" = String, Path, description = "The notice's public reference (GS-…)")),
    request_body = crate::development::objections::ObjectionBody,
    responses(
        (status = 201, body = Object),
        (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 429, body = crate::error::Problem, content_type = "application/problem+json")
    )
)]
pub async fn api_object(
    State(s): State<AppState>,
    peer: crate::auth::handlers::Peer,
    Path(code): Path<String>,
    ApiJson(f): ApiJson<ObjectionInput>,
) -> Result<Response, AppError> {
    let notice = running(&s, &code).await?;
    receive(&s, &notice, &f, &peer.address()).await?;
    Ok((StatusCode::CREATED, Json(json!({ "status": "received" }))).into_response())
}
