//! 一对一联系培养 pages: an organisation's assignments of committee members to key staff,
//! the most overdue first, with the forms to assign and to record a contact.

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
use jiff::civil::Date;
use pioneer_domain::accounts::access::Permission;
use pioneer_domain::development::contacts;
use pioneer_domain::{Reason, ValidationErrors};
use pioneer_store::StoreError;
use pioneer_store::development::contacts::ContactLink;
use pioneer_store::orgs::OrgRecord;
use serde::Deserialize;
use uuid::Uuid;

/// An assignment, whether it is overdue, and its latest contacts (date, note, by whom).
type LinkLine = (ContactLink, bool, Vec<(Date, String, String)>);

#[derive(Template)]
#[template(path = "contacts.html")]
struct ContactsPage {
    c: Chrome,
    org: OrgRecord,
    links: Vec<LinkLine>,
    backbone: Vec<(Uuid, String)>,
    members: Vec<(Uuid, String)>,
    today: Date,
    errors: FormErrors,
}

async fn page(s: &AppState, c: Chrome, org: OrgRecord, errors: FormErrors) -> Result<ContactsPage, AppError> {
    let today = s.clock.today();
    let mut links = Vec::new();
    for l in s.store.contact_links(&org.path).await? {
        let overdue = contacts::overdue(l.since, l.last_contact, l.cadence_days, today);
        let visits = s.store.contact_visits(l.id).await?.into_iter().take(3).collect();
        links.push((l, overdue, visits));
    }
    let backbone = s.store.backbone_people(&org.path, 500).await?;
    let members = s
        .store
        .member_choices(&org.path, 500)
        .await?
        .into_iter()
        .filter(|(_, _, st)| st == "full_member")
        .map(|(id, n, _)| (id, n))
        .collect();
    Ok(ContactsPage { c, org, links, backbone, members, today, errors })
}

/// `GET /contacts?org=ID`.
pub async fn list(
    State(s): State<AppState>,
    c: Chrome,
    who: Who,
    ApiQuery(q): ApiQuery<OrgQuery>,
) -> Result<Response, AppError> {
    let org =
        scope_org(&s, &who, Permission::WriteDossiers, q.org.as_deref()).await?.ok_or(AppError::NotFound)?;
    Ok(html(page(&s, c, org, FormErrors::default()).await?.render()?))
}

/// The assignment form.
#[derive(Debug, Deserialize)]
pub struct AssignForm {
    #[serde(default)]
    person_id: String,
    #[serde(default)]
    member_id: String,
    #[serde(default)]
    cadence_days: String,
}

fn refused(err: StoreError) -> Result<ValidationErrors, AppError> {
    match err {
        StoreError::Invalid(v) => Ok(v),
        other => Err(other.into()),
    }
}

/// `POST /contacts?org=ID`: assigns a member to a key staff member.
pub async fn assign(
    State(s): State<AppState>,
    c: Chrome,
    who: Who,
    ApiQuery(q): ApiQuery<OrgQuery>,
    Form(f): Form<AssignForm>,
) -> Result<Response, AppError> {
    let org =
        scope_org(&s, &who, Permission::WriteDossiers, q.org.as_deref()).await?.ok_or(AppError::NotFound)?;
    let mut e = ValidationErrors::default();
    let person =
        Uuid::try_parse(f.person_id.trim()).map_err(|_| e.push("person_id", Reason::UnknownPerson)).ok();
    let member =
        Uuid::try_parse(f.member_id.trim()).map_err(|_| e.push("member_id", Reason::UnknownPerson)).ok();
    let cadence = contacts::parse_cadence(&f.cadence_days).map_err(|v| e.0.extend(v.0)).ok();
    let outcome = match (person, member, cadence, e.into_result()) {
        (Some(p), Some(m), Some(cad), Ok(())) => {
            let person = s.store.person(p).await.map_err(|_| {
                AppError::Invalid(pioneer_domain::FieldError::new("person_id", Reason::UnknownPerson).into())
            })?;
            s.allow(&who, Permission::WriteDossiers, &person.org_path).await?;
            match s.store.assign_contact(p, m, cad, s.clock.today(), &who.act).await {
                Ok(_) => None,
                Err(err) => Some(refused(err)?),
            }
        }
        (_, _, _, Err(v)) => Some(v),
        _ => Some(ValidationErrors::default()),
    };
    match outcome {
        None => Ok(Redirect::to(&format!("/contacts?org={}", org.id)).into_response()),
        Some(v) => {
            let errors = FormErrors::new(&v, &c.t);
            Ok(html_status(StatusCode::UNPROCESSABLE_ENTITY, page(&s, c, org, errors).await?.render()?))
        }
    }
}

/// The contact form.
#[derive(Debug, Deserialize)]
pub struct VisitForm {
    #[serde(default)]
    on: String,
    #[serde(default)]
    note: String,
}

/// `POST /contacts/{id}/visits`: records a contact.
pub async fn visit(
    State(s): State<AppState>,
    c: Chrome,
    who: Who,
    Path(id): Path<String>,
    Form(f): Form<VisitForm>,
) -> Result<Response, AppError> {
    let link = s.store.contact_link(path_id(&id)?).await?;
    s.allow(&who, Permission::WriteDossiers, &link.org_path).await?;
    let org = s.store.org(link.org_id).await?;
    let result = match f.on.trim().parse::<Date>() {
        Err(_) => Err(ValidationErrors::from(pioneer_domain::FieldError::new("on", Reason::BadDate))),
        Ok(on) => match s.store.record_contact(link.id, on, &f.note, s.clock.today(), &who.act).await {
            Ok(()) => Ok(()),
            Err(err) => Err(refused(err)?),
        },
    };
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/contacts?org={}", org.id)).into_response()),
        Err(v) => {
            let errors = FormErrors::new(&v, &c.t);
            Ok(html_status(StatusCode::UNPROCESSABLE_ENTITY, page(&s, c, org, errors).await?.render()?))
        }
    }
}
