//! 出党 on a person's page: record that a member left, or withdraw a mistaken record. A
//! refusal shows the person's page again with the reasons (422), and nothing is written.

use crate::AppState;
use crate::auth::Who;
use crate::error::AppError;
use crate::forms::FormErrors;
use crate::pages::{Chrome, html_status};
use crate::people::pages::detail;
use crate::people::{self, DepartureBody, WritablePerson};
use crate::scope::path_id;
use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

/// Back to the person's page, or the page again with the refusal (422).
async fn answer(
    s: &AppState,
    c: Chrome,
    who: &Who,
    p: WritablePerson,
    result: Result<(), AppError>,
) -> Result<Response, AppError> {
    let v = match result {
        Ok(()) => return Ok(Redirect::to(&format!("/people/{}", p.id)).into_response()),
        Err(AppError::Invalid(v)) => v,
        Err(e) => return Err(e),
    };
    let errors = FormErrors::new(&v, &c.t);
    let page = detail(s, c, who, p.into_record(), false, errors).await?;
    Ok(html_status(StatusCode::UNPROCESSABLE_ENTITY, page.render()?))
}

/// `POST /people/{id}/departure`: records that the member left.
pub async fn record(
    State(s): State<AppState>,
    c: Chrome,
    who: Who,
    Path(id): Path<String>,
    Form(f): Form<DepartureBody>,
) -> Result<Response, AppError> {
    let p = people::writable(&s, &who, path_id(&id)?).await?;
    let result = people::record_departure(&s, &who, &p, &f).await;
    answer(&s, c, &who, p, result).await
}

/// `POST /people/{id}/departure/withdraw`: withdraws a departure recorded by mistake.
pub async fn withdraw(
    State(s): State<AppState>,
    c: Chrome,
    who: Who,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let p = people::writable(&s, &who, path_id(&id)?).await?;
    let result = people::withdraw_departure(&s, &who, &p).await;
    answer(&s, c, &who, p, result).await
}
