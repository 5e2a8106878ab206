//! The home page: open organisations, people, and people by status.

use crate::AppState;
use crate::auth::Who;
use crate::error::AppError;
use crate::pages::{Chrome, html};
use askama::Template;
use axum::extract::State;
use axum::response::Response;
use pioneer_domain::accounts::access::Permission;
use pioneer_domain::people::Status;

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    c: Chrome,
    orgs: i64,
    people: i64,
    by_status: Vec<(Status, i64)>,
}

/// `GET /`.
pub async fn show(State(s): State<AppState>, c: Chrome, who: Who) -> Result<Response, AppError> {
    let by_status = if who.user.can(Permission::ReadPeople) {
        s.store.count_by_status(who.user.home_org(Permission::ReadPeople)).await?
    } else {
        Vec::new()
    };
    let people = by_status.iter().map(|(_, n)| n).sum();
    // Open organisations the account may see.
    let mut orgs = 0;
    for scope in who.user.scopes(Permission::ReadOrgs) {
        orgs += s.store.count_open_orgs(scope).await?;
    }
    Ok(html(HomePage { c, orgs, people, by_status }.render()?))
}
