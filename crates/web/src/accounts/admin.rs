//! Account administration, with the administrators separated (三员分立): the accounts an
//! administrator's scope covers; a form to add an account (a one-time password is shown
//! once), with its role when the administrator may also grant roles there; and a form to
//! grant a role to an existing account. The system administrator creates accounts, the
//! security administrator grants roles, an organisation administrator does both in their
//! subtree; the three administrators themselves are set up on the command line only.

use crate::AppState;
use crate::auth::{Who, password};
use crate::error::AppError;
use crate::forms::FormErrors;
use crate::pages::{Chrome, OrgChoice, html, html_status};
use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
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
    may_create: bool,
    may_grant: bool,
}

/// Whether the account administers accounts at `path`: creates them or grants roles.
fn administers(who: &Who, path: &str) -> bool {
    AppState::in_scope(who, Permission::ManageUsers, path)
        || AppState::in_scope(who, Permission::GrantRoles, path)
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
        let visible = grants.iter().any(|g| administers(who, &g.org_path))
            || (grants.is_empty() && administers(who, "/"));
        if !visible {
            continue;
        }
        // Only the grants inside the administrator's own scope.
        let roles = grants
            .iter()
            .filter(|g| administers(who, &g.org_path))
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
        .filter(|o| o.closed_on.is_none() && administers(who, &o.path))
        .take(2000)
        .map(OrgChoice::of)
        .collect();
    let may_create = who.user.can(Permission::ManageUsers);
    let may_grant = who.user.can(Permission::GrantRoles);
    Ok(UsersPage { c, users, roles: &GRANTABLE, orgs: choices, form, errors, created, may_create, may_grant })
}

/// The roles granted here: all but the three administrators (command line only).
const GRANTABLE: [Role; 5] =
    [Role::OrgAdmin, Role::Organiser, Role::Secretary, Role::Member, Role::Applicant];

/// `GET /admin/users`: for those who create accounts or grant roles.
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
    let name = if f.display_name.trim().is_empty() { &f.username } else { &f.display_name };
    let display = e.take(text::required("name", name, 50));
    let org = org_of(&s, &f.org_id, &mut e).await;
    // Creating needs the place in scope; so does granting, which is asked only of those
    // who may grant there (三员分立: the system administrator creates accounts only).
    let place = org.as_ref().map_or("/", |o| o.path.as_str());
    s.allow(&who, Permission::ManageUsers, place).await?;
    let grants_here = AppState::in_scope(&who, Permission::GrantRoles, place);
    let role = match (Role::from_code(f.role.trim()), f.role.trim().is_empty(), grants_here) {
        (_, true, false) => None,
        (Some(r), _, true) => {
            check_grantable(r, org.is_some(), &who, place, &mut e);
            Some(r)
        }
        (Some(_), _, false) => {
            e.push("role", Reason::NoGrantHere);
            None
        }
        (None, empty, _) => {
            e.push("role", if empty { Reason::Required } else { Reason::UnknownChoice });
            None
        }
    };
    let (Some(display), true) = (display, e.0.is_empty()) else {
        return refuse(&s, &who, c, f, &e).await;
    };
    let grants: Vec<(Role, Option<uuid::Uuid>)> =
        role.map(|r| (r, org.as_ref().map(|o| o.id))).into_iter().collect();
    let one_time = password::one_time_password();
    let hash = password::hash(one_time.clone()).await;
    let new = NewUser {
        username: f.username.trim(),
        display_name: &display,
        password_hash: &hash,
        must_change_password: true,
        grants: &grants,
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

/// The organisation chosen on a form (None: the whole deployment); an unknown one is refused.
async fn org_of(s: &AppState, raw: &str, e: &mut ValidationErrors) -> Option<pioneer_store::orgs::OrgRecord> {
    match raw.trim() {
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
    }
}

/// The three administrators are set up on the command line only; the security
/// administrator (granting deployment-wide) grants any other role; anyone else grants only
/// a role whose permissions they hold at `place`.
fn check_grantable(role: Role, on_org: bool, who: &Who, place: &str, e: &mut ValidationErrors) {
    if role.is_separated_administrator() {
        e.push("role", Reason::SeparatedAdministrator);
        if on_org {
            e.push("org", Reason::DeploymentWideRole);
        }
        return;
    }
    let security = AppState::in_scope(who, Permission::GrantRoles, "/");
    let beyond = role.permissions().iter().any(|p| !AppState::in_scope(who, *p, place));
    if beyond && !security {
        e.push("role", Reason::RoleBeyondOwn);
    }
}

/// The grant form: an existing account, a role and where.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct GrantForm {
    /// Login name of the account.
    #[serde(default)]
    pub username: String,
    /// Role code.
    #[serde(default)]
    pub role: String,
    /// Organisation id (empty: the whole deployment).
    #[serde(default)]
    pub org_id: String,
}

/// `POST /admin/users/grants`: grants a role to an existing account.
pub async fn grant(
    State(s): State<AppState>,
    c: Chrome,
    who: Who,
    Form(f): Form<GrantForm>,
) -> Result<Response, AppError> {
    let mut e = ValidationErrors::default();
    let org = org_of(&s, &f.org_id, &mut e).await;
    let place = org.as_ref().map_or("/", |o| o.path.as_str());
    s.allow(&who, Permission::GrantRoles, place).await?;
    let user = s.store.user_by_name(f.username.trim()).await?;
    if user.is_none() {
        e.push(
            "username",
            if f.username.trim().is_empty() { Reason::Required } else { Reason::UnknownChoice },
        );
    }
    let role = Role::from_code(f.role.trim());
    match role {
        Some(r) => check_grantable(r, org.is_some(), &who, place, &mut e),
        None => {
            e.push("role", if f.role.trim().is_empty() { Reason::Required } else { Reason::UnknownChoice })
        }
    }
    let (Some(user), Some(role), true) = (user, role, e.0.is_empty()) else {
        let form = AddForm { username: f.username, role: f.role, org_id: f.org_id, ..AddForm::default() };
        return refuse(&s, &who, c, form, &e).await;
    };
    s.store.add_grant(user.id, role, org.as_ref().map(|o| o.id), &who.act).await?;
    Ok(axum::response::Redirect::to("/admin/users").into_response())
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
