//! People pages: the filtered list, one person, and the create and edit forms. ID and
//! phone numbers are shown masked and never sent back to the browser in full.

use crate::AppState;
use crate::api::query::ApiQuery;
use crate::auth::Who;
use crate::error::AppError;
use crate::forms::{FormErrors, PeopleQuery, PersonForm};
use crate::pages::{Chrome, OrgChoice, html, html_status};
use crate::people::{self, PER_PAGE};
use crate::scope::path_id;
use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use pioneer_domain::accounts::access::Permission;
use pioneer_domain::people::age::{AgeBand, full_years};
use pioneer_domain::people::departure::DepartureKind;
use pioneer_domain::people::ethnicity::ETHNICITIES;
use pioneer_domain::people::{Education, Gender, Status, WorkerCategory};
use pioneer_store::orgs::OrgRecord;
use pioneer_store::people::PersonRecord;
use pioneer_store::people::departures::DepartureRecord;
use serde::Deserialize;

/// One line of the people list.
struct Row {
    id: uuid::Uuid,
    name: String,
    status: Status,
    category: WorkerCategory,
    is_mobile: bool,
    age: i32,
    org_name: String,
    phone: Option<String>,
}

#[derive(Template)]
#[template(path = "people_list.html")]
struct ListPage {
    c: Chrome,
    q: PeopleQuery,
    org: Option<OrgRecord>,
    errors: FormErrors,
    filtered: bool,
    people: Vec<Row>,
    total: u64,
    capped: bool,
    page: u32,
    has_next: bool,
    prev_query: String,
    next_query: String,
    statuses: &'static [Status],
    categories: &'static [WorkerCategory],
    educations: &'static [Education],
    genders: &'static [Gender],
    bands: &'static [AgeBand],
}

/// `GET /people`: search and filter, 50 a page.
pub async fn list(
    State(s): State<AppState>,
    c: Chrome,
    who: Who,
    ApiQuery(q): ApiQuery<PeopleQuery>,
) -> Result<Response, AppError> {
    let today = s.clock.today();
    let (mut filter, page, errors) = match q.filter() {
        Ok((f, p)) => (Some(f), p, FormErrors::default()),
        Err(e) => (None, 1, FormErrors::new(&e, &c.t)),
    };
    let found = match filter.as_mut() {
        Some(f) => Some(people::search(&s, &who, f, page).await?),
        None => None,
    };
    let org = match filter.as_ref().and_then(|f| f.org) {
        Some(id) => Some(s.store.org(id).await?),
        None => None,
    };
    let (people, total, capped) = match found {
        Some(found) => {
            (found.people.iter().map(|p| row(p, today)).collect::<Vec<_>>(), found.total, found.total_capped)
        }
        None => (Vec::new(), 0, false),
    };
    let has_next = capped || u64::from(page) * u64::from(PER_PAGE) < total;
    let filtered =
        [&q.status, &q.worker_category, &q.education, &q.college, &q.age_band, &q.mobile, &q.gender]
            .iter()
            .any(|v| !v.is_empty());
    let status = if errors.any() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    let page_html = ListPage {
        prev_query: q.with_page(page.saturating_sub(1).max(1)),
        next_query: q.with_page(page + 1),
        c,
        q,
        org,
        errors,
        filtered,
        people,
        total,
        capped,
        page,
        has_next,
        statuses: Status::ALL,
        categories: WorkerCategory::ALL,
        educations: Education::ALL,
        genders: Gender::ALL,
        bands: &AgeBand::ALL,
    }
    .render()?;
    Ok(html_status(status, page_html))
}

fn row(p: &PersonRecord, today: jiff::civil::Date) -> Row {
    Row {
        id: p.id,
        name: p.fields.name.clone(),
        status: p.fields.status,
        category: p.fields.worker_category,
        is_mobile: p.fields.is_mobile,
        age: full_years(p.fields.birth_date, today),
        org_name: p.org_name.clone(),
        phone: p.fields.phone.as_ref().map(|ph| ph.masked()),
    }
}

#[derive(Template)]
#[template(path = "person_detail.html")]
pub(super) struct DetailPage {
    c: Chrome,
    p: PersonRecord,
    age: i32,
    id_shown: String,
    phone_shown: Option<String>,
    stages: Vec<(&'static str, String)>,
    can_unmask: bool,
    unmasked: bool,
    departure: Option<DepartureRecord>,
    can_write: bool,
    kinds: &'static [DepartureKind],
    today: jiff::civil::Date,
    errors: FormErrors,
    /// Periods of 留党察看, and the refusals of its form.
    pub(super) disciplines: Vec<pioneer_domain::people::discipline::DisciplinaryProbation>,
    pub(super) discipline_errors: FormErrors,
}

/// `GET /people/{id}`.
pub async fn show(
    State(s): State<AppState>,
    c: Chrome,
    who: Who,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let p = people::readable(&s, &who, path_id(&id)?).await?;
    Ok(html(detail(&s, c, &who, p, false, FormErrors::default()).await?.render()?))
}

/// The person's page; `errors` are those of the departure form.
pub(super) async fn detail(
    s: &AppState,
    c: Chrome,
    who: &Who,
    p: PersonRecord,
    unmasked: bool,
    errors: FormErrors,
) -> Result<DetailPage, AppError> {
    let labels = ["f_applied_on", "f_activist_on", "f_target_on", "f_admitted_on", "f_full_member_on"];
    let stages = p
        .fields
        .dates
        .steps()
        .iter()
        .zip(labels)
        .filter_map(|((_, d, _), label)| d.map(|d| (label, d.to_string())))
        .collect();
    let (id_shown, phone_shown) = if unmasked {
        (p.fields.id_card.as_str().to_owned(), p.fields.phone.as_ref().map(|ph| ph.as_str().to_owned()))
    } else {
        (p.fields.id_card.masked(), p.fields.phone.as_ref().map(|ph| ph.masked()))
    };
    Ok(DetailPage {
        age: full_years(p.fields.birth_date, s.clock.today()),
        id_shown,
        phone_shown,
        stages,
        can_unmask: AppState::in_scope(who, Permission::Unmask, &p.org_path),
        unmasked,
        departure: s.store.departure(p.id).await?,
        can_write: AppState::in_scope(who, Permission::WritePeople, &p.org_path),
        kinds: DepartureKind::ALL,
        today: s.clock.today(),
        errors,
        disciplines: s.store.disciplines(p.id).await?,
        discipline_errors: FormErrors::default(),
        c,
        p,
    })
}

/// `POST /people/{id}/unmask`: the same page with full numbers, journaled.
pub async fn unmask(
    State(s): State<AppState>,
    c: Chrome,
    who: Who,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let p = people::unmasked(&s, &who, path_id(&id)?).await?;
    Ok(html(detail(&s, c, &who, p, true, FormErrors::default()).await?.render()?))
}

#[derive(Template)]
#[template(path = "person_form.html")]
struct FormPage {
    c: Chrome,
    title: &'static str,
    action: String,
    submit: &'static str,
    back: String,
    editing: bool,
    id_placeholder: String,
    phone_placeholder: String,
    form: PersonForm,
    errors: FormErrors,
    orgs: Vec<OrgChoice>,
    genders: &'static [Gender],
    educations: &'static [Education],
    categories: &'static [WorkerCategory],
    statuses: &'static [Status],
    ethnicities: &'static [(&'static str, &'static str)],
    date_fields: [(&'static str, &'static str); 5],
}

/// More organisations than this and the form asks for an id instead of a select box.
const SELECT_LIMIT: usize = 1000;

async fn org_choices(s: &AppState, who: &Who) -> Result<Vec<OrgChoice>, AppError> {
    let all = s.store.orgs(None).await?;
    let open: Vec<_> = all
        .iter()
        .filter(|o| o.closed_on.is_none() && AppState::in_scope(who, Permission::WritePeople, &o.path))
        .collect();
    if open.len() > SELECT_LIMIT {
        return Ok(Vec::new());
    }
    Ok(open.into_iter().map(OrgChoice::of).collect())
}

async fn form_page(
    s: &AppState,
    who: &Who,
    c: Chrome,
    form: PersonForm,
    errors: FormErrors,
    editing: Option<&PersonRecord>,
) -> Result<FormPage, AppError> {
    let (title, submit, action, back) = match editing {
        Some(p) => {
            (c.t.s("edit"), c.t.s("save"), format!("/people/{}/edit", p.id), format!("/people/{}", p.id))
        }
        None => (c.t.s("add_person"), c.t.s("create"), "/people".to_owned(), "/people".to_owned()),
    };
    Ok(FormPage {
        title,
        submit,
        action,
        back,
        editing: editing.is_some(),
        id_placeholder: editing.map(|p| p.fields.id_card.masked()).unwrap_or_default(),
        phone_placeholder: editing
            .and_then(|p| p.fields.phone.as_ref().map(|ph| ph.masked()))
            .unwrap_or_default(),
        form,
        errors,
        orgs: org_choices(s, who).await?,
        genders: Gender::ALL,
        educations: Education::ALL,
        categories: WorkerCategory::ALL,
        statuses: Status::ALL,
        ethnicities: &ETHNICITIES,
        date_fields: [
            ("applied_on", "f_applied_on"),
            ("activist_on", "f_activist_on"),
            ("target_on", "f_target_on"),
            ("admitted_on", "f_admitted_on"),
            ("full_member_on", "f_full_member_on"),
        ],
        c,
    })
}

/// Query of the new-person form.
#[derive(Debug, Deserialize)]
pub struct NewQuery {
    org: Option<String>,
}

/// `GET /people/new[?org=ID]`.
pub async fn new_form(
    State(s): State<AppState>,
    c: Chrome,
    who: Who,
    ApiQuery(q): ApiQuery<NewQuery>,
) -> Result<Response, AppError> {
    let mut form = PersonForm { ethnicity: "汉族".into(), ..Default::default() };
    if let Some(org) = q.org.as_deref() {
        let o = s.store.org(path_id(org)?).await?;
        s.allow(&who, Permission::WritePeople, &o.path).await?;
        form.org_id = o.id.to_string();
        form.employer = o.fields.enterprise.clone().unwrap_or_default();
        form.station = o.fields.station.clone().unwrap_or_default();
    }
    Ok(html(form_page(&s, &who, c, form, FormErrors::default(), None).await?.render()?))
}

/// `POST /people`.
pub async fn create(
    State(s): State<AppState>,
    who: Who,
    c: Chrome,
    Form(form): Form<PersonForm>,
) -> Result<Response, AppError> {
    match people::create(&s, &who, &form).await {
        Ok(id) => Ok(Redirect::to(&format!("/people/{id}")).into_response()),
        Err(AppError::Invalid(e)) => {
            let errors = FormErrors::new(&e, &c.t);
            let page = form_page(&s, &who, c, form, errors, None).await?;
            Ok(html_status(StatusCode::UNPROCESSABLE_ENTITY, page.render()?))
        }
        Err(e) => Err(e),
    }
}

fn form_of(p: &PersonRecord) -> PersonForm {
    let f = &p.fields;
    let d = |x: Option<jiff::civil::Date>| x.map(|d| d.to_string()).unwrap_or_default();
    PersonForm {
        name: f.name.clone(),
        gender: f.gender.code().into(),
        birth_date: f.birth_date.to_string(),
        ethnicity: f.ethnicity.clone(),
        education: f.education.code().into(),
        worker_category: f.worker_category.code().into(),
        employer: f.employer.clone().unwrap_or_default(),
        station: f.station.clone().unwrap_or_default(),
        phone: String::new(),
        id_card: String::new(),
        status: f.status.code().into(),
        org_id: f.org_id.to_string(),
        is_mobile: f.is_mobile,
        home_organization: f.home_organization.clone().unwrap_or_default(),
        is_backbone: f.is_backbone,
        is_key_position: f.is_key_position,
        applied_on: d(f.dates.applied_on),
        activist_on: d(f.dates.activist_on),
        target_on: d(f.dates.target_on),
        admitted_on: d(f.dates.admitted_on),
        full_member_on: d(f.dates.full_member_on),
    }
}

/// `GET /people/{id}/edit`.
pub async fn edit_form(
    State(s): State<AppState>,
    c: Chrome,
    who: Who,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let p = people::writable(&s, &who, path_id(&id)?).await?;
    Ok(html(form_page(&s, &who, c, form_of(&p), FormErrors::default(), Some(&p)).await?.render()?))
}

/// `POST /people/{id}/edit`.
pub async fn update(
    State(s): State<AppState>,
    who: Who,
    c: Chrome,
    Path(id): Path<String>,
    Form(form): Form<PersonForm>,
) -> Result<Response, AppError> {
    let before = people::writable(&s, &who, path_id(&id)?).await?;
    match people::update(&s, &who, &before, &form).await {
        Ok(()) => Ok(Redirect::to(&format!("/people/{}", before.id)).into_response()),
        Err(AppError::Invalid(e)) => {
            let errors = FormErrors::new(&e, &c.t);
            let page = form_page(&s, &who, c, form, errors, Some(&before)).await?;
            Ok(html_status(StatusCode::UNPROCESSABLE_ENTITY, page.render()?))
        }
        Err(e) => Err(e),
    }
}
