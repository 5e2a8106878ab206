//! Self-service: a member or applicant sees their own record and edits only the fields
//! meant for them (phone, employer, station); everything else stays with the organisation.

use crate::AppState;
use crate::auth::Who;
use crate::error::AppError;
use crate::forms::FormErrors;
use crate::pages::{Chrome, html, html_status};
use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use pioneer_domain::accounts::access::Permission;
use pioneer_domain::people::phone::PhoneNumber;
use pioneer_domain::{ValidationErrors, text};
use pioneer_store::people::PersonRecord;
use serde::Deserialize;

#[derive(Template)]
#[template(path = "me.html")]
struct MePage {
    c: Chrome,
    p: Option<PersonRecord>,
    phone_masked: String,
    form: MeForm,
    errors: FormErrors,
}

/// The self-service form.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct MeForm {
    /// New phone (empty keeps the stored one).
    #[serde(default)]
    pub phone: String,
    /// Employer.
    #[serde(default)]
    pub employer: String,
    /// Station.
    #[serde(default)]
    pub station: String,
}

async fn own_record(s: &AppState, who: &Who) -> Result<Option<PersonRecord>, AppError> {
    match who.user.person_id {
        Some(id) => Ok(Some(s.store.person(id).await?)),
        None => Ok(None),
    }
}

fn page(c: Chrome, p: Option<PersonRecord>, form: MeForm, errors: FormErrors) -> MePage {
    let phone_masked =
        p.as_ref().and_then(|p| p.fields.phone.as_ref().map(|ph| ph.masked())).unwrap_or_default();
    MePage { c, p, phone_masked, form, errors }
}

/// `GET /me`.
pub async fn show(State(s): State<AppState>, c: Chrome, who: Who) -> Result<Response, AppError> {
    let p = own_record(&s, &who).await?;
    let form = MeForm {
        phone: String::new(),
        employer: p.as_ref().and_then(|p| p.fields.employer.clone()).unwrap_or_default(),
        station: p.as_ref().and_then(|p| p.fields.station.clone()).unwrap_or_default(),
    };
    Ok(html(page(c, p, form, FormErrors::default()).render()?))
}

/// `POST /me`.
pub async fn update(
    State(s): State<AppState>,
    c: Chrome,
    who: Who,
    Form(f): Form<MeForm>,
) -> Result<Response, AppError> {
    let Some(p) = own_record(&s, &who).await? else { return Ok(Redirect::to("/me").into_response()) };
    if !who.user.can(Permission::WriteSelf) {
        return Err(AppError::Forbidden);
    }
    let mut e = ValidationErrors::default();
    let phone = if f.phone.trim().is_empty() {
        Some(p.fields.phone.clone())
    } else {
        e.take(PhoneNumber::parse("phone", &f.phone)).map(Some)
    };
    let employer = e.take(text::optional("employer", &f.employer, pioneer_domain::people::TEXT_MAX));
    let station = e.take(text::optional("station", &f.station, pioneer_domain::people::TEXT_MAX));
    let (Some(phone), Some(employer), Some(station)) = (phone, employer, station) else {
        let errors = FormErrors::new(&e, &c.t);
        return Ok(html_status(StatusCode::UNPROCESSABLE_ENTITY, page(c, Some(p), f, errors).render()?));
    };
    let mut fields = p.fields.clone();
    fields.phone = phone;
    fields.employer = employer;
    fields.station = station;
    s.store.update_person(p.id, &fields, &who.act).await?;
    Ok(Redirect::to("/me").into_response())
}
