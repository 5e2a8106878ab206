//! `/api/v1/people`: search, create, show and edit people. ID and phone numbers are only
//! ever returned masked.

use crate::AppState;
use crate::api::json::ApiJson;
use crate::api::views::{Created, PeoplePageView, PersonView};
use crate::auth::Who;
use crate::error::{AppError, Problem};
use crate::forms::PeopleQuery;
use crate::forms::PersonForm;
use crate::people::{PER_PAGE, journal_unmask, keep_sealed};
use crate::scope::path_id;
use crate::scope::{allow_org, scope_filter};
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use pioneer_domain::accounts::access::Permission;
use pioneer_domain::people::PersonFields;

/// Searches people (50 a page, newest first).
#[utoipa::path(get, path = "/api/v1/people", params(PeopleQuery),
    responses((status = 200, body = PeoplePageView), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn list(
    State(s): State<AppState>,
    who: Who,
    Query(q): Query<PeopleQuery>,
) -> Result<Json<PeoplePageView>, AppError> {
    let (mut filter, page) = q.filter()?;
    scope_filter(&s, &who, Some(&mut filter)).await?;
    let found = s.store.search_people(&filter, s.clock.today(), page, PER_PAGE).await?;
    Ok(Json(PeoplePageView {
        total: found.total,
        total_capped: found.total_capped,
        page,
        per_page: PER_PAGE,
        items: found.people.iter().map(PersonView::from).collect(),
    }))
}

/// Registers a person.
#[utoipa::path(post, path = "/api/v1/people", request_body = PersonForm,
    responses((status = 201, body = Created), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn create(
    State(s): State<AppState>,
    who: Who,
    ApiJson(body): ApiJson<PersonForm>,
) -> Result<(StatusCode, Json<Created>), AppError> {
    allow_org(&s, &who, &body.org_id).await?;
    let fields = PersonFields::parse(&body.input(), s.clock.today())?;
    let id = s.store.create_person(&fields, &who.act).await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

/// One person.
#[utoipa::path(get, path = "/api/v1/people/{id}",
    responses((status = 200, body = PersonView), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn show(
    State(s): State<AppState>,
    who: Who,
    Path(id): Path<String>,
) -> Result<Json<PersonView>, AppError> {
    let p = s.store.person(path_id(&id)?).await?;
    s.allow(&who, Permission::ReadPeople, &p.org_path).await?;
    Ok(Json(PersonView::from(&p)))
}

/// Replaces a person's fields; an empty `id_card` or `phone` keeps the stored number.
#[utoipa::path(put, path = "/api/v1/people/{id}", request_body = PersonForm,
    responses((status = 200, body = PersonView), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn update(
    State(s): State<AppState>,
    who: Who,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<PersonForm>,
) -> Result<Json<PersonView>, AppError> {
    let id = path_id(&id)?;
    let before = s.store.person(id).await?;
    s.allow(&who, Permission::WritePeople, &before.org_path).await?;
    allow_org(&s, &who, &body.org_id).await?;
    let input = keep_sealed(body.input(), &before);
    let fields = PersonFields::parse(&input, s.clock.today())?;
    s.store.update_person(id, &fields, &who.act).await?;
    Ok(Json(PersonView::from(&s.store.person(id).await?)))
}

/// Full ID and phone numbers.
#[derive(Debug, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct Unmasked {
    /// ID card number.
    pub id_card: String,
    /// Phone.
    pub phone: Option<String>,
}

/// A person's full numbers: needs the unmask permission in scope; every viewing is journaled.
#[utoipa::path(get, path = "/api/v1/people/{id}/unmasked",
    responses((status = 200, body = Unmasked), (status = 403, body = Problem, content_type = "application/problem+json")))]
pub async fn unmasked(
    State(s): State<AppState>,
    who: Who,
    Path(id): Path<String>,
) -> Result<Json<Unmasked>, AppError> {
    let p = s.store.person(path_id(&id)?).await?;
    s.allow(&who, Permission::Unmask, &p.org_path).await?;
    journal_unmask(&s, &who, &p).await?;
    Ok(Json(Unmasked {
        id_card: p.fields.id_card.as_str().to_owned(),
        phone: p.fields.phone.as_ref().map(|ph| ph.as_str().to_owned()),
    }))
}
