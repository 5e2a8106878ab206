//! Organisation pages: the tree, one organisation, and the forms to create, edit, move
//! and close. A refused form comes back with what was typed and the reason beside each field.

use crate::AppState;
use crate::api::query::ApiQuery;
use crate::auth::Who;
use crate::error::AppError;
use crate::forms::{FormErrors, OrgForm};
use crate::orgs;
use crate::pages::{Chrome, OrgChoice, html, html_status};
use crate::scope::path_id;
use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use pioneer_domain::accounts::access::Permission;
use pioneer_domain::orgs::OrgKind;
use pioneer_domain::people::Status;
use pioneer_domain::{Reason, text};
use pioneer_store::orgs::OrgRecord;
use serde::Deserialize;
use uuid::Uuid;

#[derive(Template)]
#[template(path = "orgs_tree.html")]
struct TreePage {
    c: Chrome,
    orgs: Vec<OrgRecord>,
}

/// `GET /orgs`: the top three levels of every deployment.
pub async fn tree(State(s): State<AppState>, c: Chrome, who: Who) -> Result<Response, AppError> {
    // The top three levels of each subtree the account may see.
    let mut orgs = Vec::new();
    for scope in who.user.scopes(Permission::ReadOrgs) {
        let top = i64::try_from(pioneer_domain::orgs::depth(scope)).unwrap_or(0);
        orgs.extend(s.store.subtree_of(scope, top + 2).await?);
    }
    Ok(html(TreePage { c, orgs }.render()?))
}

#[derive(Template)]
#[template(path = "org_detail.html")]
struct DetailPage {
    c: Chrome,
    org: OrgRecord,
    ancestors: Vec<OrgRecord>,
    children: Vec<OrgRecord>,
    by_status: Vec<(Status, i64)>,
    /// The current officers and the term's state, for an account that reads people here.
    officers: Option<(Vec<pioneer_store::orgs::officers::OfficerRecord>, String)>,
}

impl DetailPage {
    fn post(&self, code: &str) -> String {
        pioneer_domain::orgs::officers::OfficerPost::from_code(code)
            .map_or(code.to_owned(), |p| self.c.t.l(p.zh(), p.en()).to_owned())
    }
}

/// `GET /orgs/{id}`.
pub async fn show(
    State(s): State<AppState>,
    c: Chrome,
    who: Who,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let org = orgs::readable(&s, &who, path_id(&id)?).await?;
    let mut ancestors = s.store.ancestors(&org).await?;
    // Only the part of the path the account may see.
    ancestors.retain(|a| AppState::in_scope(&who, Permission::ReadOrgs, &a.path));
    let children = s.store.children(org.id).await?;
    let by_status = s.store.count_by_status(Some(org.id)).await?;
    let officers = if AppState::in_scope(&who, Permission::ReadPeople, &org.path) {
        let (list, _, state) = crate::orgs::officers::actions::committee(&s, &org).await?;
        let (zh, en) = state.words();
        Some((list, c.t.l(zh, en).to_owned()))
    } else {
        None
    };
    Ok(html(DetailPage { c, org, ancestors, children, by_status, officers }.render()?))
}

#[derive(Template)]
#[template(path = "org_form.html")]
struct FormPage {
    c: Chrome,
    title: &'static str,
    action: String,
    submit: &'static str,
    back: String,
    form: OrgForm,
    errors: FormErrors,
    kinds: &'static [OrgKind],
    show_parent: bool,
    parents: Vec<OrgChoice>,
    edit_id: Option<Uuid>,
    current_parent: String,
    move_error: Option<String>,
    close_error: Option<String>,
    close_date: String,
}

/// Open organisations that can hold others (every kind but branches).
async fn parent_choices(
    s: &AppState,
    who: &Who,
    tenant: Option<Uuid>,
    except: Option<&OrgRecord>,
) -> Result<Vec<OrgChoice>, AppError> {
    let all = s.store.orgs(None).await?;
    Ok(all
        .iter()
        .filter(|o| o.closed_on.is_none() && !o.fields.kind.is_branch())
        .filter(|o| AppState::in_scope(who, Permission::WriteOrgs, &o.path))
        .filter(|o| tenant.is_none_or(|t| o.tenant_id == t))
        .filter(|o| except.is_none_or(|e| !o.path.starts_with(&e.path)))
        .take(2000)
        .map(OrgChoice::of)
        .collect())
}

/// Query of the new-organisation form.
#[derive(Debug, Deserialize)]
pub struct NewQuery {
    parent: Option<String>,
}

fn new_page(
    c: Chrome,
    form: OrgForm,
    errors: FormErrors,
    parents: Vec<OrgChoice>,
    show_parent: bool,
) -> FormPage {
    let back = if form.parent().is_empty() { "/orgs".to_owned() } else { format!("/orgs/{}", form.parent()) };
    FormPage {
        title: c.t.s("new_org"),
        submit: c.t.s("create"),
        c,
        action: "/orgs".into(),
        back,
        form,
        errors,
        kinds: &OrgKind::ALL,
        show_parent,
        parents,
        edit_id: None,
        current_parent: String::new(),
        move_error: None,
        close_error: None,
        close_date: String::new(),
    }
}

/// `GET /orgs/new[?parent=ID]`.
pub async fn new_form(
    State(s): State<AppState>,
    c: Chrome,
    who: Who,
    ApiQuery(q): ApiQuery<NewQuery>,
) -> Result<Response, AppError> {
    let parent = match q.parent.as_deref() {
        Some(p) => Some(orgs::writable(&s, &who, path_id(p)?).await?),
        None => None,
    };
    let form = OrgForm {
        parent_id: parent.as_ref().map(|p| p.id.to_string()),
        kind: match parent.as_ref().map(|p| p.fields.kind) {
            Some(OrgKind::GeneralBranch) => "branch".into(),
            Some(_) => "committee".into(),
            None => String::new(),
        },
        enterprise: parent.as_ref().and_then(|p| p.fields.enterprise.clone()).unwrap_or_default(),
        ..Default::default()
    };
    let parents = parent_choices(&s, &who, None, None).await?;
    Ok(html(new_page(c, form, FormErrors::default(), parents, true).render()?))
}

/// `POST /orgs`.
pub async fn create(
    State(s): State<AppState>,
    who: Who,
    c: Chrome,
    Form(form): Form<OrgForm>,
) -> Result<Response, AppError> {
    match orgs::create(&s, &who, &form).await {
        Ok(id) => Ok(Redirect::to(&format!("/orgs/{id}")).into_response()),
        Err(AppError::Invalid(e)) => {
            let errors = FormErrors::new(&e, &c.t);
            let parents = parent_choices(&s, &who, None, None).await?;
            Ok(html_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                new_page(c, form, errors, parents, true).render()?,
            ))
        }
        Err(e) => Err(e),
    }
}

fn form_of(o: &OrgRecord) -> OrgForm {
    OrgForm {
        name: o.fields.name.clone(),
        kind: o.fields.kind.code().into(),
        parent_id: o.parent_id.map(|p| p.to_string()),
        approval_authority: o.fields.approval_authority,
        temporary: o.fields.temporary,
        enterprise: o.fields.enterprise.clone().unwrap_or_default(),
        station: o.fields.station.clone().unwrap_or_default(),
        address: o.fields.address.clone().unwrap_or_default(),
    }
}

/// What went wrong in one of the edit page's three forms.
#[derive(Default)]
struct EditProblems {
    fields: FormErrors,
    moving: Option<String>,
    closing: Option<String>,
}

async fn edit_page(
    s: &AppState,
    who: &Who,
    c: Chrome,
    org: &OrgRecord,
    form: OrgForm,
    problems: EditProblems,
) -> Result<FormPage, AppError> {
    let parents = parent_choices(s, who, Some(org.tenant_id), Some(org)).await?;
    Ok(FormPage {
        title: c.t.s("edit"),
        submit: c.t.s("save"),
        close_date: s.clock.today().to_string(),
        c,
        action: format!("/orgs/{}/edit", org.id),
        back: format!("/orgs/{}", org.id),
        form,
        errors: problems.fields,
        kinds: &OrgKind::ALL,
        show_parent: false,
        parents,
        edit_id: Some(org.id),
        current_parent: org.parent_id.map(|p| p.to_string()).unwrap_or_default(),
        move_error: problems.moving,
        close_error: problems.closing,
    })
}

/// `GET /orgs/{id}/edit`: edit, move and close forms.
pub async fn edit_form(
    State(s): State<AppState>,
    c: Chrome,
    who: Who,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let org = orgs::writable(&s, &who, path_id(&id)?).await?;
    let form = form_of(&org);
    Ok(html(edit_page(&s, &who, c, &org, form, EditProblems::default()).await?.render()?))
}

/// `POST /orgs/{id}/edit`.
pub async fn update(
    State(s): State<AppState>,
    who: Who,
    c: Chrome,
    Path(id): Path<String>,
    Form(form): Form<OrgForm>,
) -> Result<Response, AppError> {
    let org = orgs::writable(&s, &who, path_id(&id)?).await?;
    let result = orgs::update(&s, &who, &org, &form).await;
    finish_edit(&s, &who, c, &org, result, EditForm::Fields(form)).await
}

/// Which of the edit page's three forms was sent.
enum EditForm {
    Fields(OrgForm),
    Move,
    Close,
}

/// After a form of the edit page: back to the organisation, or the page again with the
/// refusal beside the form that was sent.
async fn finish_edit(
    s: &AppState,
    who: &Who,
    c: Chrome,
    org: &OrgRecord,
    result: Result<(), AppError>,
    sent: EditForm,
) -> Result<Response, AppError> {
    let e = match result {
        Ok(()) => return Ok(Redirect::to(&format!("/orgs/{}", org.id)).into_response()),
        Err(AppError::Invalid(e)) => e,
        Err(other) => return Err(other),
    };
    let first = e.0.first().map(|f| c.t.reason(f));
    let (form, problems) = match sent {
        EditForm::Fields(form) => {
            (form, EditProblems { fields: FormErrors::new(&e, &c.t), ..Default::default() })
        }
        EditForm::Move => (form_of(org), EditProblems { moving: first, ..Default::default() }),
        EditForm::Close => (form_of(org), EditProblems { closing: first, ..Default::default() }),
    };
    let page = edit_page(s, who, c, org, form, problems).await?;
    Ok(html_status(StatusCode::UNPROCESSABLE_ENTITY, page.render()?))
}

/// The move form.
#[derive(Debug, Deserialize)]
pub struct MoveForm {
    #[serde(default)]
    parent_id: String,
}

/// `POST /orgs/{id}/move`.
pub async fn move_to(
    State(s): State<AppState>,
    who: Who,
    c: Chrome,
    Path(id): Path<String>,
    Form(f): Form<MoveForm>,
) -> Result<Response, AppError> {
    let org = orgs::writable(&s, &who, path_id(&id)?).await?;
    let result = match Uuid::try_parse(f.parent_id.trim()) {
        Ok(p) => orgs::move_to(&s, &who, &org, p).await,
        Err(_) => Err(AppError::field("parent_id", Reason::UnknownOrganization)),
    };
    finish_edit(&s, &who, c, &org, result, EditForm::Move).await
}

/// The close form.
#[derive(Debug, Deserialize)]
pub struct CloseForm {
    #[serde(default)]
    closed_on: String,
}

/// `POST /orgs/{id}/close`.
pub async fn close(
    State(s): State<AppState>,
    who: Who,
    c: Chrome,
    Path(id): Path<String>,
    Form(f): Form<CloseForm>,
) -> Result<Response, AppError> {
    let org = orgs::writable(&s, &who, path_id(&id)?).await?;
    let result = match text::required_date("closed_on", &f.closed_on) {
        Ok(on) => orgs::close(&s, &who, &org, on).await,
        Err(e) => Err(AppError::Invalid(e.into())),
    };
    finish_edit(&s, &who, c, &org, result, EditForm::Close).await
}
