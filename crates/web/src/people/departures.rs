//! 出党 on a person's page: record that a member left, or withdraw a mistaken record. A
//! refusal shows the person's page again with the reasons (422), and nothing is written.

use crate::AppState;
use crate::auth::Who;
use crate::error::AppError;
use crate::forms::FormErrors;
use crate::pages::{Chrome, html_status};
use crate::people::pages::detail;
use crate::scope::path_id;
use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use pioneer_domain::accounts::access::Permission;
use pioneer_domain::people::departure::Departure;
use pioneer_store::StoreError;
use pioneer_store::people::PersonRecord;
use serde::Deserialize;

/// The departure form.
#[derive(Debug, Deserialize)]
pub struct DepartureForm {
    #[serde(default)]
    departure_kind: String,
    #[serde(default)]
    left_on: String,
    #[serde(default)]
    departure_note: String,
}

async fn refused(
    s: &AppState,
    c: Chrome,
    who: &Who,
    p: PersonRecord,
    e: StoreError,
) -> Result<Response, AppError> {
    let StoreError::Invalid(v) = e else { return Err(e.into()) };
    let errors = FormErrors::new(&v, &c.t);
    let page = detail(s, c, who, p, false, errors).await?;
    Ok(html_status(StatusCode::UNPROCESSABLE_ENTITY, page.render()?))
}

/// `POST /people/{id}/departure`: records that the member left.
pub async fn record(
    State(s): State<AppState>,
    c: Chrome,
    who: Who,
    Path(id): Path<String>,
    Form(f): Form<DepartureForm>,
) -> Result<Response, AppError> {
    let p = s.store.person(path_id(&id)?).await?;
    s.allow(&who, Permission::WritePeople, &p.org_path).await?;
    let status = p.fields.status;
    let result = match Departure::parse(
        &f.departure_kind,
        &f.left_on,
        &f.departure_note,
        status,
        &p.fields.dates,
        s.clock.today(),
    ) {
        Ok(d) => s.store.record_departure(p.id, status, &d, &who.act).await,
        Err(v) => Err(StoreError::Invalid(v)),
    };
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/people/{}", p.id)).into_response()),
        Err(e) => refused(&s, c, &who, p, e).await,
    }
}

/// `POST /people/{id}/departure/withdraw`: withdraws a departure recorded by mistake.
pub async fn withdraw(
    State(s): State<AppState>,
    c: Chrome,
    who: Who,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let p = s.store.person(path_id(&id)?).await?;
    s.allow(&who, Permission::WritePeople, &p.org_path).await?;
    let result = s.store.withdraw_departure(p.id, &who.act).await;
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/people/{}", p.id)).into_response()),
        Err(e) => refused(&s, c, &who, p, e).await,
    }
}
