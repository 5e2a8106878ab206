//! The applicant's side of member development: applying online (the letter's text and a
//! scan, `/apply`), and one's own progress (`/me/progress`: the steps done, what may come
//! next and from when, contacts and introducers); and the branch's side: the applications
//! waiting, each accepted as the procedure's first step or declined with a reason. Every
//! page has its API twin calling the same function.

use crate::AppState;
use crate::auth::Who;
use crate::error::AppError;
use crate::forms::FormErrors;
use crate::i18n::Tr;
use crate::pages::{Chrome, html, html_status};
use crate::scope::path_id;
use askama::Template;
use axum::Form;
use axum::extract::{Multipart, Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use jiff::civil::Date;
use pioneer_domain::accounts::access::Permission;
use pioneer_domain::development::application::{self, ScanKind};
use pioneer_domain::development::dossier::{Key, Kind, Value};
use pioneer_domain::development::engine::{self, DeadlineKind};
use pioneer_domain::development::procedure::STEPS;
use pioneer_store::development::applications::ApplicationRecord;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The body limit of an application: the largest scan and the form around it.
pub const BODY_LIMIT: usize = application::SCAN_MAX + 64 * 1024;

/// One's own progress, as the page and the API show it.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Progress {
    /// The person's name.
    pub name: String,
    /// Their status in words.
    pub status: String,
    /// The stage reached, when a dossier is open.
    pub stage: Option<String>,
    /// Steps done: number, name, day.
    pub done: Vec<(u8, String, Date)>,
    /// What may come next: step name, and `from`/`by` a day when the rules say so.
    pub next: Vec<(String, Option<String>)>,
    /// Contacts (培养联系人) named in the record.
    pub contacts: Vec<String>,
    /// Introducers (入党介绍人) named in the record.
    pub introducers: Vec<String>,
    /// Applications sent online, the newest first: day, status in words, reason if declined.
    pub applications: Vec<(Date, String, Option<String>)>,
    /// Whether they may apply online now.
    pub may_apply: bool,
}

fn status_words(t: &Tr, status: &str) -> String {
    match status {
        "submitted" => t.l("已提交，等待支部接收", "submitted, waiting for the branch"),
        "accepted" => t.l("支部已接收", "accepted by the branch"),
        _ => t.l("未予受理", "declined"),
    }
    .to_owned()
}

/// `who`'s own progress: from their dossier when they have one (evaluated today under their
/// organisation's settings), else their applications sent online.
pub async fn progress(s: &AppState, t: &Tr, who: &Who) -> Result<Progress, AppError> {
    let (person_id, ..) = who.member()?;
    let p = s.store.person(person_id).await?;
    let apps = s.store.applications_of_person(person_id).await?;
    let mut out = Progress {
        name: p.fields.name.clone(),
        status: t.status(&p.fields.status).to_owned(),
        applications: apps
            .iter()
            .map(|a| (a.submitted_on, status_words(t, &a.status), a.reason.clone()))
            .collect(),
        ..Progress::default()
    };
    let Some(id) = s.store.dossier_of_person(person_id).await? else {
        out.may_apply =
            application::may_apply(p.fields.status, false, apps.iter().any(|a| a.status == "submitted"))
                .is_ok();
        return Ok(out);
    };
    let d = s.store.dossier(id).await?;
    let settings = s.store.dev_settings_for(&d.org_path).await?;
    let eval = engine::evaluate(&s.store.rule_book().await?, &d.dossier, &settings, s.clock.today());
    out.stage = Some(t.l(eval.stage.zh(), eval.stage.en()).to_owned());
    let events = d.dossier.effective();
    for st in STEPS.iter() {
        if let Some(on) = events.iter().filter(|e| e.kind == Kind::Step(st.number)).map(|e| e.on).min() {
            out.done.push((st.number, t.l(st.zh, st.en).to_owned(), on));
        }
        if eval.allows(st.number) {
            let when = eval.deadlines.iter().find(|x| x.step == st.number).map(|x| match x.kind {
                DeadlineKind::NotBefore => format!("{} {}", t.l("不早于", "not before"), x.due),
                DeadlineKind::Due => format!("{} {}", t.l("应于此前完成：", "due by"), x.due),
                DeadlineKind::NoticeEnds => format!("{} {}", t.l("公示期至", "notice runs until"), x.due),
            });
            out.next.push((t.l(st.zh, st.en).to_owned(), when));
        }
    }
    for e in events {
        for (k, v) in &e.fields {
            let list = match k {
                Key::Contact1 | Key::Contact2 => &mut out.contacts,
                Key::Introducer1 | Key::Introducer2 => &mut out.introducers,
                _ => continue,
            };
            if let Value::Id(id) = v
                && let Ok(person) = s.store.person(*id).await
                && !list.contains(&person.fields.name)
            {
                list.push(person.fields.name);
            }
        }
    }
    Ok(out)
}

#[derive(Template)]
#[template(path = "progress.html")]
struct ProgressPage {
    c: Chrome,
    p: Progress,
    text: String,
    errors: FormErrors,
}

/// `GET /me/progress`: one's own progress, and the form to apply when one may.
pub async fn show(State(s): State<AppState>, c: Chrome, who: Who) -> Result<Response, AppError> {
    let p = progress(&s, &c.t, &who).await?;
    Ok(html(ProgressPage { c, p, text: String::new(), errors: FormErrors::default() }.render()?))
}

/// `GET /api/v1/me/progress`.
#[utoipa::path(get, path = "/api/v1/me/progress",
    responses((status = 200, body = Object), (status = 401, body = crate::error::Problem, content_type = "application/problem+json"), (status = 403, body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn api_show(
    State(s): State<AppState>,
    c: Chrome,
    who: Who,
) -> Result<axum::Json<Progress>, AppError> {
    Ok(axum::Json(progress(&s, &c.t, &who).await?))
}

/// The letter and the scan of a multipart form (`text`, `scan`); a scan over the route's
/// limit reads as one byte too many, so the domain names the limit.
async fn read_letter(
    form: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<(String, Vec<u8>), AppError> {
    let mut form = form.map_err(|e| AppError::BadBody {
        status: StatusCode::UNSUPPORTED_MEDIA_TYPE,
        detail: e.body_text(),
    })?;
    let (mut text, mut scan) = (String::new(), Vec::new());
    loop {
        let field = match form.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                scan = vec![0; application::SCAN_MAX + 1];
                break;
            }
            Err(e) => {
                return Err(AppError::BadBody { status: StatusCode::BAD_REQUEST, detail: e.body_text() });
            }
        };
        match field.name() {
            Some("text") => text = field.text().await.unwrap_or_default(),
            Some("scan") => match field.bytes().await {
                Ok(b) => scan = b.to_vec(),
                Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                    scan = vec![0; application::SCAN_MAX + 1]
                }
                Err(e) => {
                    return Err(AppError::BadBody { status: StatusCode::BAD_REQUEST, detail: e.body_text() });
                }
            },
            _ => {}
        }
    }
    Ok((text, scan))
}

/// Submits `who`'s application: the letter and scan checked by field, then refused unless
/// they are a non-member without a dossier and with nothing waiting (422, nothing written).
pub async fn apply(s: &AppState, who: &Who, text: &str, scan: &[u8]) -> Result<Uuid, AppError> {
    let (person_id, ..) = who.member()?;
    if !who.user.can(Permission::WriteSelf) {
        return Err(AppError::Forbidden);
    }
    let input = application::parse(text, scan).map_err(AppError::Invalid)?;
    Ok(s.store.submit_application(person_id, &input, s.clock.today(), &who.act).await?)
}

/// `POST /me/progress` (multipart `text`, `scan`): applies online.
pub async fn submit(
    State(s): State<AppState>,
    c: Chrome,
    who: Who,
    form: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<Response, AppError> {
    let (text, scan) = read_letter(form).await?;
    match apply(&s, &who, &text, &scan).await {
        Ok(_) => Ok(Redirect::to("/me/progress").into_response()),
        Err(AppError::Invalid(e)) => {
            let errors = FormErrors::new(&e, &c.t);
            let p = progress(&s, &c.t, &who).await?;
            Ok(html_status(StatusCode::UNPROCESSABLE_ENTITY, ProgressPage { c, p, text, errors }.render()?))
        }
        Err(e) => Err(e),
    }
}

/// Applies online (multipart: `text`, the letter of 20 to 10,000 characters; `scan`, an
/// optional PDF, JPEG or PNG of at most 5 MB); only a non-member without a dossier and with
/// nothing waiting may. The application waits in the branch's queue.
#[utoipa::path(post, path = "/api/v1/me/application",
    request_body(content = String, content_type = "multipart/form-data"),
    responses((status = 201, body = Object), (status = 400, body = crate::error::Problem, content_type = "application/problem+json"), (status = 413, body = crate::error::Problem, content_type = "application/problem+json"), (status = 415, body = crate::error::Problem, content_type = "application/problem+json"), (status = 401, body = crate::error::Problem, content_type = "application/problem+json"), (status = 403, body = crate::error::Problem, content_type = "application/problem+json"), (status = 422, body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn api_submit(
    State(s): State<AppState>,
    who: Who,
    form: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<Response, AppError> {
    let (text, scan) = read_letter(form).await?;
    let id = apply(&s, &who, &text, &scan).await?;
    Ok((StatusCode::CREATED, axum::Json(serde_json::json!({ "id": id }))).into_response())
}

/// The application `id`, when `who` may decide it (writing dossiers where it was sent).
async fn decidable(s: &AppState, who: &Who, id: &str) -> Result<ApplicationRecord, AppError> {
    let a = s.store.application(path_id(id)?).await?;
    s.allow(who, Permission::WriteDossiers, &a.org_path).await?;
    Ok(a)
}

#[derive(Template)]
#[template(path = "application.html")]
struct ApplicationPage {
    c: Chrome,
    a: ApplicationRecord,
    status: String,
    scan_kind: Option<&'static str>,
    reason: String,
    errors: FormErrors,
}

fn application_page(c: Chrome, a: ApplicationRecord, reason: String, errors: FormErrors) -> ApplicationPage {
    let scan_kind = a.scan_type.as_deref().and_then(ScanKind::from_content_type).map(ScanKind::extension);
    ApplicationPage { status: status_words(&c.t, &a.status), c, a, scan_kind, reason, errors }
}

/// `GET /applications/{id}`: the letter, the scan and the two decisions.
pub async fn view(
    State(s): State<AppState>,
    c: Chrome,
    who: Who,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let a = decidable(&s, &who, &id).await?;
    Ok(html(application_page(c, a, String::new(), FormErrors::default()).render()?))
}

/// `GET /applications/{id}/scan`: the scan as sent (a download, never shown inline).
pub async fn scan(State(s): State<AppState>, who: Who, Path(id): Path<String>) -> Result<Response, AppError> {
    let a = decidable(&s, &who, &id).await?;
    let (content_type, bytes) = s.store.application_scan(a.id).await?;
    let ext = ScanKind::from_content_type(&content_type).map_or("bin", ScanKind::extension);
    let disposition = format!("attachment; filename=\"application-{}.{ext}\"", a.id);
    Ok(([(header::CONTENT_TYPE, content_type), (header::CONTENT_DISPOSITION, disposition)], bytes)
        .into_response())
}

/// Accepts an application: the dossier opened and its first step recorded on the day the
/// letter was submitted. Answers the dossier.
pub async fn accept(s: &AppState, who: &Who, id: &str) -> Result<Uuid, AppError> {
    let a = decidable(s, who, id).await?;
    Ok(s.store.accept_application(a.id, s.clock.today(), &who.act).await?)
}

/// Declines an application with a reason.
pub async fn decline(s: &AppState, who: &Who, id: &str, reason: &str) -> Result<(), AppError> {
    let a = decidable(s, who, id).await?;
    let reason = application::decline_reason(reason).map_err(|e| AppError::Invalid(e.into()))?;
    Ok(s.store.decline_application(a.id, &reason, &who.act).await?)
}

/// The decline form.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct DeclineForm {
    /// Why (required, at most 500 characters).
    #[serde(default)]
    pub reason: String,
}

/// `POST /applications/{id}/accept`.
pub async fn accept_page(
    State(s): State<AppState>,
    c: Chrome,
    who: Who,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    match accept(&s, &who, &id).await {
        Ok(dossier) => Ok(Redirect::to(&format!("/dossiers/{dossier}")).into_response()),
        Err(AppError::Invalid(e)) => {
            let a = decidable(&s, &who, &id).await?;
            let errors = FormErrors::new(&e, &c.t);
            Ok(html_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                application_page(c, a, String::new(), errors).render()?,
            ))
        }
        Err(e) => Err(e),
    }
}

/// `POST /applications/{id}/decline`.
pub async fn decline_page(
    State(s): State<AppState>,
    c: Chrome,
    who: Who,
    Path(id): Path<String>,
    Form(f): Form<DeclineForm>,
) -> Result<Response, AppError> {
    match decline(&s, &who, &id, &f.reason).await {
        Ok(()) => Ok(Redirect::to("/dossiers").into_response()),
        Err(AppError::Invalid(e)) => {
            let a = decidable(&s, &who, &id).await?;
            let errors = FormErrors::new(&e, &c.t);
            Ok(html_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                application_page(c, a, f.reason, errors).render()?,
            ))
        }
        Err(e) => Err(e),
    }
}

/// Accepts an application submitted online: opens the person's dossier and records its
/// first step (递交入党申请书) on the day the letter was submitted; refused by field when it
/// no longer waits or the person's dossier already has a record.
#[utoipa::path(post, path = "/api/v1/applications/{id}/accept", params(("id" = uuid::Uuid, Path, description = "The application")),
    responses((status = 201, body = Object), (status = 403, body = crate::error::Problem, content_type = "application/problem+json"), (status = 404, body = crate::error::Problem, content_type = "application/problem+json"), (status = 422, body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn api_accept(
    State(s): State<AppState>,
    who: Who,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let dossier = accept(&s, &who, &id).await?;
    Ok((StatusCode::CREATED, axum::Json(serde_json::json!({ "dossier_id": dossier }))).into_response())
}

/// Declines an application submitted online, with a reason the applicant reads.
#[utoipa::path(post, path = "/api/v1/applications/{id}/decline", params(("id" = uuid::Uuid, Path, description = "The application")),
    request_body = DeclineForm,
    responses((status = 204), (status = 403, body = crate::error::Problem, content_type = "application/problem+json"), (status = 404, body = crate::error::Problem, content_type = "application/problem+json"), (status = 422, body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn api_decline(
    State(s): State<AppState>,
    who: Who,
    Path(id): Path<String>,
    crate::api::json::ApiJson(f): crate::api::json::ApiJson<DeclineForm>,
) -> Result<Response, AppError> {
    decline(&s, &who, &id, &f.reason).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// The applications waiting in the reach of `org` (the account's first scope by default):
/// what the case list shows above the cases.
pub async fn waiting(
    s: &AppState,
    reach: &crate::development::Reach,
) -> Result<Vec<ApplicationRecord>, AppError> {
    Ok(s.store.waiting_applications(reach.path(), 200).await?)
}

/// The applications waiting in an organisation's subtree, the oldest first.
#[utoipa::path(get, path = "/api/v1/applications", params(crate::development::api::OrgParam),
    responses((status = 200, body = Object), (status = 403, body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn api_waiting(
    State(s): State<AppState>,
    who: Who,
    crate::api::query::ApiQuery(q): crate::api::query::ApiQuery<crate::scope::OrgQuery>,
) -> Result<axum::Json<serde_json::Value>, AppError> {
    let reach = crate::development::reach(&s, &who, q.org.as_deref()).await?;
    let items: Vec<serde_json::Value> = s
        .store
        .waiting_applications(reach.path(), 200)
        .await?
        .into_iter()
        .map(|a| serde_json::json!({ "id": a.id, "person_id": a.person_id, "person_name": a.person_name,
            "org_name": a.org_name, "submitted_on": a.submitted_on, "text": a.text, "scan": a.scan_type.is_some() }))
        .collect();
    Ok(axum::Json(serde_json::json!({ "items": items })))
}
