//! 党史随手学: the member's study list (courses published to their organisation or above),
//! a course read item by item on a phone (opening it counts as opened) with a button to
//! mark it learnt (earns study credits once); and for organisers, publishing a course to
//! the organisation's subtree and its reach per sub-organisation and per member.

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
use pioneer_domain::accounts::access::Permission;
use pioneer_domain::study::courses::{CourseFields, CourseInput, Reach};
use pioneer_store::orgs::OrgRecord;
use pioneer_store::study::courses::{CourseRecord, Progress};
use uuid::Uuid;

#[derive(Template)]
#[template(path = "study_list.html")]
struct ListPage {
    c: Chrome,
    courses: Vec<(CourseRecord, Progress)>,
}

/// `GET /study`.
pub async fn list(State(s): State<AppState>, c: Chrome, who: Who) -> Result<Response, AppError> {
    if who.user.person_id.is_none() && who.user.can(Permission::ReadSelf) {
        return Ok(html(ListPage { c, courses: Vec::new() }.render()?));
    }
    let (me, tenant, path) = who.member()?;
    let courses = s.store.courses_for(tenant, me, &path).await?;
    Ok(html(ListPage { c, courses }.render()?))
}

#[derive(Template)]
#[template(path = "study_course.html")]
struct CoursePage {
    c: Chrome,
    course: CourseRecord,
    completed: bool,
    credited: Option<i64>,
    /// Reflections: one's own and the branch's approved.
    refl: crate::study::reflections::Reflections,
    /// A reflection as typed, and what was wrong with it.
    text: String,
    errors: FormErrors,
}

/// The course page for the member `me` at `path`.
async fn course_page(
    s: &AppState,
    c: Chrome,
    course: CourseRecord,
    (me, tenant, path): (Uuid, Uuid, &str),
    credited: Option<i64>,
    (text, errors): (String, FormErrors),
) -> Result<CoursePage, AppError> {
    let completed =
        s.store.courses_for(tenant, me, path).await?.iter().any(|(x, p)| x.id == course.id && p.1.is_some());
    let refl = crate::study::reflections::for_member(s, &course, me, path).await?;
    Ok(CoursePage { c, course, completed, credited, refl, text, errors })
}

/// `GET /study/{id}`: reads a course (and counts it opened).
pub async fn show(
    State(s): State<AppState>,
    c: Chrome,
    who: Who,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let (me, tenant, path) = who.member()?;
    let course = crate::study::reachable(&s, &id, tenant, &path).await?;
    s.store.open_course(&course, me, &path, &who.act).await?;
    let page =
        course_page(&s, c, course, (me, tenant, &path), None, (String::new(), FormErrors::default())).await?;
    Ok(html(page.render()?))
}

/// `POST /study/{id}`: marks the course learnt.
pub async fn complete(
    State(s): State<AppState>,
    c: Chrome,
    who: Who,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let (me, tenant, path) = who.member()?;
    let course = crate::study::reachable(&s, &id, tenant, &path).await?;
    let credited = s.store.complete_course(&course, me, &path, s.clock.today(), &who.act).await?;
    let none = (String::new(), FormErrors::default());
    let page = course_page(&s, c, course, (me, tenant, &path), credited.map(|e| e.amount), none).await?;
    Ok(html(page.render()?))
}

/// `POST /study/{id}/reflections` (`text`): shares a reflection; it waits for the secretary.
pub async fn reflect(
    State(s): State<AppState>,
    c: Chrome,
    who: Who,
    Path(id): Path<String>,
    Form(f): Form<crate::study::reflections::ReflectionForm>,
) -> Result<Response, AppError> {
    match crate::study::reflections::write(&s, &who, &id, &f.text).await {
        Ok(_) => Ok(Redirect::to(&format!("/study/{id}#reflections")).into_response()),
        Err(AppError::Invalid(e)) => {
            let (me, tenant, path) = who.member()?;
            let course = crate::study::reachable(&s, &id, tenant, &path).await?;
            let errors = FormErrors::new(&e, &c.t);
            let page = course_page(&s, c, course, (me, tenant, &path), None, (f.text, errors)).await?;
            Ok(html_status(StatusCode::UNPROCESSABLE_ENTITY, page.render()?))
        }
        Err(e) => Err(e),
    }
}

#[derive(Template)]
#[template(path = "study_admin.html")]
pub(crate) struct AdminPage {
    c: Chrome,
    org: OrgRecord,
    courses: Vec<CourseRecord>,
    form: CourseInput,
    errors: FormErrors,
    /// The address of an image just uploaded, to put in an item.
    uploaded: Option<String>,
    /// Reflections waiting for a decision in the subtree.
    waiting: Vec<pioneer_store::study::reflections::ReflectionRecord>,
}

impl AdminPage {
    /// The page of `org`'s courses, with a course form as typed and its refusals.
    pub(crate) async fn of(
        s: &AppState,
        c: Chrome,
        org: OrgRecord,
        form: CourseInput,
        errors: FormErrors,
        uploaded: Option<String>,
    ) -> Result<Self, AppError> {
        let courses = s.store.courses_around(org.id).await?;
        let waiting = s.store.waiting_reflections(&org.path, 200).await?;
        Ok(AdminPage { c, org, courses, form, errors, uploaded, waiting })
    }
}

/// `GET /admin/study?org=ID`.
pub async fn admin(
    State(s): State<AppState>,
    c: Chrome,
    who: Who,
    ApiQuery(q): ApiQuery<OrgQuery>,
) -> Result<Response, AppError> {
    let org =
        scope_org(&s, &who, Permission::ManageStudy, q.org.as_deref()).await?.ok_or(AppError::NotFound)?;
    Ok(html(AdminPage::of(&s, c, org, CourseInput::default(), FormErrors::default(), None).await?.render()?))
}

/// `POST /admin/study?org=ID`: publishes a course to the subtree.
pub async fn publish(
    State(s): State<AppState>,
    c: Chrome,
    who: Who,
    ApiQuery(q): ApiQuery<OrgQuery>,
    Form(form): Form<CourseInput>,
) -> Result<Response, AppError> {
    let org =
        scope_org(&s, &who, Permission::ManageStudy, q.org.as_deref()).await?.ok_or(AppError::NotFound)?;
    match CourseFields::parse(&form) {
        Ok(f) => {
            let id = s.store.publish_course(org.id, &f, s.clock.today(), &who.act).await?;
            Ok(Redirect::to(&format!("/admin/study/{id}?org={}", org.id)).into_response())
        }
        Err(e) => {
            let errors = FormErrors::new(&e, &c.t);
            let p = AdminPage::of(&s, c, org, form, errors, None).await?;
            Ok(html_status(StatusCode::UNPROCESSABLE_ENTITY, p.render()?))
        }
    }
}

#[derive(Template)]
#[template(path = "study_reach.html")]
struct ReachPage {
    c: Chrome,
    org: OrgRecord,
    course: CourseRecord,
    lines: Vec<(Uuid, String, Reach)>,
    members: Vec<(Uuid, String, Progress)>,
}

/// `GET /admin/study/{id}?org=ID`: reach per sub-organisation, and per member of `org`.
pub async fn reach(
    State(s): State<AppState>,
    c: Chrome,
    who: Who,
    Path(id): Path<String>,
    ApiQuery(q): ApiQuery<OrgQuery>,
) -> Result<Response, AppError> {
    let org =
        scope_org(&s, &who, Permission::ManageStudy, q.org.as_deref()).await?.ok_or(AppError::NotFound)?;
    let course = s.store.course(path_id(&id)?).await?;
    if !crate::scope::published_around(&org, course.tenant_id, &course.org_path) {
        return Err(AppError::NotFound);
    }
    let lines = s.store.course_reach(course.id, org.id).await?;
    let members = s.store.course_reach_members(course.id, org.id).await?;
    Ok(html(ReachPage { c, org, course, lines, members }.render()?))
}
