//! `/api/v1/training`, `/api/v1/contacts` and `/api/v1/filings`: training classes and their
//! attendance, one-to-one contact assignments and their contacts, and the filings sent to an
//! organisation, as JSON — the same scope checks, domain parsing and store functions as the
//! pages (`training`, `contacts`, `dossiers::filings`). A filing is acknowledged or returned
//! by recording its event on the dossier (`POST /api/v1/dossiers/{id}/events`).

use crate::AppState;
use crate::api::json::ApiJson;
use crate::api::query::ApiQuery;
use crate::auth::Who;
use crate::error::AppError;
use crate::scope::{OrgQuery, path_id, scope_org};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use jiff::civil::Date;
use pioneer_domain::accounts::access::Permission;
use pioneer_domain::development::contacts;
use pioneer_domain::development::training::{ClassInput, TrainingClass};
use pioneer_domain::{FieldError, Reason, ValidationErrors};
use pioneer_store::orgs::OrgRecord;
use serde::Deserialize;
use serde_json::{Value, json};
use utoipa::ToSchema;

async fn org(s: &AppState, who: &Who, q: &OrgQuery) -> Result<OrgRecord, AppError> {
    scope_org(s, who, Permission::WriteDossiers, q.org.as_deref()).await?.ok_or(AppError::NotFound)
}

/// The training classes of an organisation's subtree, each with its attendees.
#[utoipa::path(get, path = "/api/v1/training", params(crate::development::api::OrgParam),
    responses((status = 200, body = Object)))]
pub async fn classes(
    State(s): State<AppState>,
    who: Who,
    ApiQuery(q): ApiQuery<OrgQuery>,
) -> Result<Json<Value>, AppError> {
    let org = org(&s, &who, &q).await?;
    Ok(Json(json!({ "items": s.store.classes_in(&org.path).await? })))
}

/// A new training class.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ClassBody {
    /// `activist` or `target`.
    pub kind: String,
    /// Title.
    pub title: String,
    /// First day (YYYY-MM-DD).
    pub starts_on: String,
    /// Last day (YYYY-MM-DD).
    pub ends_on: String,
    /// Days (a number).
    pub days: String,
    /// Class hours (a number).
    pub hours: String,
}

/// Creates a training class of the organisation; refused by field, nothing written.
#[utoipa::path(post, path = "/api/v1/training", params(crate::development::api::OrgParam), request_body = ClassBody,
    responses((status = 201, body = Object), (status = 422, body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn create_class(
    State(s): State<AppState>,
    who: Who,
    ApiQuery(q): ApiQuery<OrgQuery>,
    ApiJson(b): ApiJson<ClassBody>,
) -> Result<Response, AppError> {
    let org = org(&s, &who, &q).await?;
    let input = ClassInput {
        kind: b.kind,
        title: b.title,
        starts_on: b.starts_on,
        ends_on: b.ends_on,
        days: b.days,
        hours: b.hours,
    };
    let class = TrainingClass::parse(&input)?;
    let id = s.store.create_class(org.id, &class, &who.act).await?;
    Ok((StatusCode::CREATED, Json(json!({ "id": id }))).into_response())
}

/// A class and who attended it (hours, passed).
#[utoipa::path(get, path = "/api/v1/training/{id}", params(("id" = uuid::Uuid, Path, description = "The class")),
    responses((status = 200, body = Object)))]
pub async fn class(
    State(s): State<AppState>,
    who: Who,
    Path(id): Path<String>,
) -> Result<Json<Value>, AppError> {
    let k = s.store.class(path_id(&id)?).await?;
    s.allow(&who, Permission::WriteDossiers, &k.org_path).await?;
    let attendance = s.store.attendance_of_class(k.id).await?;
    let attendance: Vec<Value> = attendance
        .iter()
        .map(|a| json!({ "person_id": a.person_id, "person_name": a.person_name, "hours": a.hours, "passed": a.passed }))
        .collect();
    Ok(Json(json!({ "class": k, "attendance": attendance })))
}

/// One person's attendance at a class.
#[derive(Debug, Deserialize, ToSchema)]
pub struct AttendanceBody {
    /// The person (of the class's organisation subtree).
    pub person_id: uuid::Uuid,
    /// Hours completed (at most the class's).
    pub hours: u32,
    /// Whether they passed.
    #[serde(default)]
    pub passed: bool,
}

/// Records a person's attendance at a class; refused by field, nothing written.
#[utoipa::path(post, path = "/api/v1/training/{id}/attendance", params(("id" = uuid::Uuid, Path, description = "The class")),
    request_body = AttendanceBody,
    responses((status = 200, body = Object), (status = 422, body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn attend(
    State(s): State<AppState>,
    who: Who,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<AttendanceBody>,
) -> Result<Json<Value>, AppError> {
    let k = s.store.class(path_id(&id)?).await?;
    s.allow(&who, Permission::WriteDossiers, &k.org_path).await?;
    s.store.record_attendance(k.id, b.person_id, b.hours, b.passed, &who.act).await?;
    Ok(Json(json!({ "recorded": true })))
}

/// The one-to-one contact assignments of an organisation's subtree, the most overdue first,
/// each with whether it is overdue and its latest contacts.
#[utoipa::path(get, path = "/api/v1/contacts", params(crate::development::api::OrgParam),
    responses((status = 200, body = Object)))]
pub async fn links(
    State(s): State<AppState>,
    who: Who,
    ApiQuery(q): ApiQuery<OrgQuery>,
) -> Result<Json<Value>, AppError> {
    let org = org(&s, &who, &q).await?;
    let today = s.clock.today();
    let mut items = Vec::new();
    for l in s.store.contact_links(&org.path).await? {
        let overdue = contacts::overdue(l.since, l.last_contact, l.cadence_days, today);
        let visits: Vec<Value> = s
            .store
            .contact_visits(l.id)
            .await?
            .into_iter()
            .take(3)
            .map(|(on, note, by)| json!({ "on": on, "note": note, "by": by }))
            .collect();
        items.push(json!({ "link": l, "overdue": overdue, "latest": visits }));
    }
    Ok(Json(json!({ "items": items })))
}

/// An assignment of a full member to a key staff member.
#[derive(Debug, Deserialize, ToSchema)]
pub struct AssignBody {
    /// The key staff member.
    pub person_id: uuid::Uuid,
    /// The full member who keeps in touch.
    pub member_id: uuid::Uuid,
    /// Days between contacts (a number).
    pub cadence_days: String,
}

/// Assigns a member to a key staff member of the organisation's subtree.
#[utoipa::path(post, path = "/api/v1/contacts", params(crate::development::api::OrgParam), request_body = AssignBody,
    responses((status = 201, body = Object), (status = 422, body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn assign(
    State(s): State<AppState>,
    who: Who,
    ApiQuery(q): ApiQuery<OrgQuery>,
    ApiJson(b): ApiJson<AssignBody>,
) -> Result<Response, AppError> {
    let _org = org(&s, &who, &q).await?;
    let cadence = contacts::parse_cadence(&b.cadence_days)?;
    let person = s
        .store
        .person(b.person_id)
        .await
        .map_err(|_| AppError::Invalid(FieldError::new("person_id", Reason::UnknownPerson).into()))?;
    s.allow(&who, Permission::WriteDossiers, &person.org_path).await?;
    let id = s.store.assign_contact(b.person_id, b.member_id, cadence, s.clock.today(), &who.act).await?;
    Ok((StatusCode::CREATED, Json(json!({ "id": id }))).into_response())
}

/// A contact made.
#[derive(Debug, Deserialize, ToSchema)]
pub struct VisitBody {
    /// The day (YYYY-MM-DD).
    pub on: String,
    /// What was talked about.
    #[serde(default)]
    pub note: String,
}

/// Records a contact of an assignment.
#[utoipa::path(post, path = "/api/v1/contacts/{id}/visits", params(("id" = uuid::Uuid, Path, description = "The assignment")),
    request_body = VisitBody,
    responses((status = 200, body = Object), (status = 422, body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn visit(
    State(s): State<AppState>,
    who: Who,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<VisitBody>,
) -> Result<Json<Value>, AppError> {
    let link = s.store.contact_link(path_id(&id)?).await?;
    s.allow(&who, Permission::WriteDossiers, &link.org_path).await?;
    let on: Date =
        b.on.trim()
            .parse()
            .map_err(|_| AppError::from(ValidationErrors::from(FieldError::new("on", Reason::BadDate))))?;
    s.store.record_contact(link.id, on, &b.note, s.clock.today(), &who.act).await?;
    Ok(Json(json!({ "recorded": true })))
}

/// The filings sent to an organisation, to acknowledge or return (each by recording its
/// event on the dossier).
#[utoipa::path(get, path = "/api/v1/filings", params(crate::development::api::OrgParam),
    responses((status = 200, body = Object)))]
pub async fn filings(
    State(s): State<AppState>,
    who: Who,
    ApiQuery(q): ApiQuery<OrgQuery>,
) -> Result<Json<Value>, AppError> {
    let org = org(&s, &who, &q).await?;
    Ok(Json(json!({ "items": s.store.filing_queue(org.id).await? })))
}
