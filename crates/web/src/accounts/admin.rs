//! Account administration: the accounts an administrator's scope covers, and a form to
//! add one with a role on an organisation in that scope (a one-time password is shown
//! once). Only a deployment-wide administrator grants deployment-wide roles.

use crate::AppState;
use crate::auth::{Who, password};
use crate::error::AppError;
use crate::forms::FormErrors;
use crate::pages::{Chrome, OrgChoice, html, html_status};
use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use pioneer_domain::accounts::access::{Permission, Role};
use pioneer_domain::{Reason, ValidationErrors, text};
use pioneer_store::StoreError;
use pioneer_store::accounts::NewUser;
use serde::Deserialize;

/// One line of the account list.
struct Line {
    username: String,
    display_name: String,
    roles: String,
}

#[derive(Template)]
#[template(path = "admin_users.html")]
struct UsersPage {
    c: Chrome,
    users: Vec<Line>,
    roles: &'static [Role],
    orgs: Vec<OrgChoice>,
    form: AddForm,
    errors: FormErrors,
    created: Option<(String, String)>,
}

/// The add-account form.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct AddForm {
    /// Login name.
    #[serde(default)]
    pub username: String,
    /// Name shown.
    #[serde(default)]
    pub display_name: String,
    /// Role code.
    #[serde(default)]
    pub role: String,
    /// Organisation id (empty: the whole deployment).
    #[serde(default)]
    pub org_id: String,
}

async fn page(
    s: &AppState,
    who: &Who,
    c: Chrome,
    form: AddForm,
    errors: FormErrors,
    created: Option<(String, String)>,
) -> Result<UsersPage, AppError> {
    let orgs = s.store.orgs(None).await?;
    let mut users = Vec::new();
    for u in s.store.users().await? {
        let grants = s.store.grants_of(u.id).await?;
        let visible = grants.iter().any(|g| AppState::in_scope(who, Permission::ManageUsers, &g.org_path))
            || (grants.is_empty() && AppState::in_scope(who, Permission::ManageUsers, "/"));
        if !visible {
            continue;
        }
        // Only the grants inside the administrator's own scope.
        let roles = grants
            .iter()
            .filter(|g| AppState::in_scope(who, Permission::ManageUsers, &g.org_path))
            .map(|g| {
                let place = g
                    .org_id
                    .and_then(|id| orgs.iter().find(|o| o.id == id))
                    .map_or("—", |o| o.fields.name.as_str());
                format!("{} @ {place}", if c.t.is_en() { g.role.en() } else { g.role.zh() })
            })
            .collect::<Vec<_>>()
            .join("；");
        users.push(Line { username: u.username, display_name: u.display_name, roles });
    }
    let choices = orgs
        .iter()
        .filter(|o| o.closed_on.is_none() && AppState::in_scope(who, Permission::ManageUsers, &o.path))
        .take(2000)
        .map(OrgChoice::of)
        .collect();
    Ok(UsersPage { c, users, roles: &Role::ALL, orgs: choices, form, errors, created })
}

/// `GET /admin/users`.
pub async fn list(State(s): State<AppState>, c: Chrome, who: Who) -> Result<Response, AppError> {
    Ok(html(page(&s, &who, c, AddForm::default(), FormErrors::default(), None).await?.render()?))
}

/// `POST /admin/users`.
pub async fn add(
    State(s): State<AppState>,
    c: Chrome,
    who: Who,
    Form(f): Form<AddForm>,
) -> Result<Response, AppError> {
    let mut e = ValidationErrors::default();
    let role = Role::from_code(f.role.trim());
    if role.is_none() {
        e.push("role", if f.role.trim().is_empty() { Reason::Required } else { Reason::UnknownChoice });
    }
    let name = if f.display_name.trim().is_empty() { &f.username } else { &f.display_name };
    let display = e.take(text::required("name", name, 50));
    let org = match f.org_id.trim() {
        "" => None,
        raw => {
            let found = match uuid::Uuid::try_parse(raw) {
                Ok(id) => s.store.org(id).await.ok(),
                Err(_) => None,
            };
            if found.is_none() {
                e.push("org", Reason::UnknownOrganization);
            }
            found
        }
    };
    // Granting needs the place in scope; deployment-wide roles need a deployment-wide grant.
    let place = org.as_ref().map_or("/", |o| o.path.as_str());
    s.allow(&who, Permission::ManageUsers, place).await?;
    if let Some(r) = role {
        check_grantable(r, org.is_some(), &who, place, &mut e);
    }
    let (Some(role), Some(display), true) = (role, display, e.0.is_empty()) else {
        return refuse(&s, &who, c, f, &e).await;
    };
    let one_time = password::one_time_password();
    let hash = password::hash(one_time.clone()).await;
    let new = NewUser {
        username: f.username.trim(),
        display_name: &display,
        password_hash: &hash,
        must_change_password: true,
        grants: &[(role, org.as_ref().map(|o| o.id))],
        person_id: None,
    };
    match s.store.create_user(&new, &who.act).await {
        Ok(_) => {
            let created = Some((f.username.trim().to_owned(), one_time));
            Ok(html(page(&s, &who, c, AddForm::default(), FormErrors::default(), created).await?.render()?))
        }
        Err(StoreError::Invalid(v)) => refuse(&s, &who, c, f, &v).await,
        Err(other) => Err(other.into()),
    }
}

/// No one grants more than they hold at `place` (so an auditor is created on the command
/// line), and deployment-wide roles take no organisation.
fn check_grantable(role: Role, on_org: bool, who: &Who, place: &str, e: &mut ValidationErrors) {
    let beyond = role.permissions().iter().any(|p| !AppState::in_scope(who, *p, place));
    if beyond {
        e.push("role", Reason::RoleBeyondOwn);
    }
    if on_org && matches!(role, Role::SystemAdmin | Role::Auditor) {
        e.push("org", Reason::DeploymentWideRole);
    }
}

/// The page again, as typed, with the refusals beside the fields.
async fn refuse(
    s: &AppState,
    who: &Who,
    c: Chrome,
    f: AddForm,
    e: &ValidationErrors,
) -> Result<Response, AppError> {
    let errors = FormErrors::new(e, &c.t);
    Ok(html_status(StatusCode::UNPROCESSABLE_ENTITY, page(s, who, c, f, errors, None).await?.render()?))
}
