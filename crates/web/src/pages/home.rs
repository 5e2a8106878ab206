//! The home page: open organisations, people, and people by status.

use super::{Chrome, html};
use crate::AppState;
use crate::error::AppError;
use askama::Template;
use axum::extract::State;
use axum::response::Response;
use pioneer_domain::person::Status;

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    c: Chrome,
    orgs: i64,
    people: i64,
    by_status: Vec<(Status, i64)>,
}

/// `GET /`.
pub async fn show(State(s): State<AppState>, c: Chrome) -> Result<Response, AppError> {
    let by_status = s.store.count_by_status(None).await?;
    let people = by_status.iter().map(|(_, n)| n).sum();
    let orgs = s.store.count_open_orgs().await?;
    Ok(html(HomePage { c, orgs, people, by_status }.render()?))
}
