//! 培训 pages: an organisation's training classes, a class with its attendance (hours
//! completed, passed), and the forms to add both. A development target's attendance
//! fills the training step of the dossier (`/dossiers/{id}/record/training?from_class=ID`).

use crate::AppState;
use crate::api::query::ApiQuery;
use crate::auth::Who;
use crate::error::AppError;
use crate::forms::FormErrors;
use crate::pages::{Chrome, html, html_status};
use crate::scope::path_id;
use crate::scope::{OrgQuery, scope_org};
use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use pioneer_domain::accounts::access::Permission;
use pioneer_domain::development::training::{ClassInput, TrainingClass};
use pioneer_domain::{FieldError, Reason, ValidationErrors};
use pioneer_store::StoreError;
use pioneer_store::development::training::{Attendance, ClassRecord};
use pioneer_store::orgs::OrgRecord;
use serde::Deserialize;

#[derive(Template)]
#[template(path = "training.html")]
struct ListPage {
    c: Chrome,
    org: OrgRecord,
    classes: Vec<(ClassRecord, &'static str)>,
    form: ClassInput,
    errors: FormErrors,
}

async fn list_page(
    s: &AppState,
    c: Chrome,
    org: OrgRecord,
    form: ClassInput,
    errors: FormErrors,
) -> Result<ListPage, AppError> {
    let classes = s.store.classes_in(&org.path).await?;
    let classes = classes
        .into_iter()
        .map(|k| {
            let kind = k.class.kind;
            (k, c.t.l(kind.zh(), kind.en()))
        })
        .collect();
    Ok(ListPage { c, org, classes, form, errors })
}

/// `GET /training?org=ID`.
pub async fn list(
    State(s): State<AppState>,
    c: Chrome,
    who: Who,
    ApiQuery(q): ApiQuery<OrgQuery>,
) -> Result<Response, AppError> {
    let org =
        scope_org(&s, &who, Permission::WriteDossiers, q.org.as_deref()).await?.ok_or(AppError::NotFound)?;
    let form =
        ClassInput { kind: "target".into(), days: "3".into(), hours: "24".into(), ..ClassInput::default() };
    Ok(html(list_page(&s, c, org, form, FormErrors::default()).await?.render()?))
}

/// `POST /training?org=ID`: creates a class.
pub async fn create(
    State(s): State<AppState>,
    c: Chrome,
    who: Who,
    ApiQuery(q): ApiQuery<OrgQuery>,
    Form(form): Form<ClassInput>,
) -> Result<Response, AppError> {
    let org =
        scope_org(&s, &who, Permission::WriteDossiers, q.org.as_deref()).await?.ok_or(AppError::NotFound)?;
    match TrainingClass::parse(&form) {
        Ok(class) => {
            let id = s.store.create_class(org.id, &class, &who.act).await?;
            Ok(Redirect::to(&format!("/training/{id}")).into_response())
        }
        Err(e) => {
            let errors = FormErrors::new(&e, &c.t);
            Ok(html_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                list_page(&s, c, org, form, errors).await?.render()?,
            ))
        }
    }
}

#[derive(Template)]
#[template(path = "training_class.html")]
struct ClassPage {
    c: Chrome,
    k: ClassRecord,
    kind: &'static str,
    attendance: Vec<Attendance>,
    people: Vec<(uuid::Uuid, String)>,
    errors: FormErrors,
}

async fn class_page(
    s: &AppState,
    c: Chrome,
    k: ClassRecord,
    errors: FormErrors,
) -> Result<ClassPage, AppError> {
    let attendance = s.store.attendance_of_class(k.id).await?;
    let people = s.store.pipeline_people(&k.org_path, 500).await?;
    let kind = c.t.l(k.class.kind.zh(), k.class.kind.en());
    Ok(ClassPage { c, k, kind, attendance, people, errors })
}

/// `GET /training/{id}`.
pub async fn show(
    State(s): State<AppState>,
    c: Chrome,
    who: Who,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let k = s.store.class(path_id(&id)?).await?;
    s.allow(&who, Permission::WriteDossiers, &k.org_path).await?;
    Ok(html(class_page(&s, c, k, FormErrors::default()).await?.render()?))
}

/// The attendance form.
#[derive(Debug, Deserialize)]
pub struct AttendanceForm {
    #[serde(default)]
    person_id: String,
    #[serde(default)]
    hours: String,
    #[serde(default)]
    passed: String,
}

/// `POST /training/{id}`: records a person's attendance.
pub async fn attend(
    State(s): State<AppState>,
    c: Chrome,
    who: Who,
    Path(id): Path<String>,
    Form(f): Form<AttendanceForm>,
) -> Result<Response, AppError> {
    let k = s.store.class(path_id(&id)?).await?;
    s.allow(&who, Permission::WriteDossiers, &k.org_path).await?;
    let mut e = ValidationErrors::default();
    let person = uuid::Uuid::try_parse(f.person_id.trim())
        .map_err(|_| e.push("person_id", Reason::UnknownPerson))
        .ok();
    let hours = f
        .hours
        .trim()
        .parse::<u32>()
        .map_err(|_| e.push("hours", Reason::NumberOutOfRange { min: 0, max: i64::from(k.class.hours) }))
        .ok();
    let result = match (person, hours, e.into_result()) {
        (Some(p), Some(h), Ok(())) => {
            s.store.record_attendance(k.id, p, h, !f.passed.is_empty(), &who.act).await.map_err(|err| {
                match err {
                    StoreError::Invalid(v) => Ok(v),
                    other => Err(other),
                }
            })
        }
        (_, _, Err(v)) => Err(Ok(v)),
        _ => Err(Ok(FieldError::new("person_id", Reason::Required).into())),
    };
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/training/{}", k.id)).into_response()),
        Err(Ok(v)) => {
            let errors = FormErrors::new(&v, &c.t);
            Ok(html_status(StatusCode::UNPROCESSABLE_ENTITY, class_page(&s, c, k, errors).await?.render()?))
        }
        Err(Err(other)) => Err(other.into()),
    }
}
