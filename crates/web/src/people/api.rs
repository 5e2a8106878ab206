//! `/api/v1/people`: search, create, show and edit people. ID and phone numbers are only
//! ever returned masked.

use crate::AppState;
use crate::api::json::ApiJson;
use crate::api::query::ApiQuery;
use crate::api::views::{Created, PeoplePageView, PersonId, PersonView};
use crate::auth::Who;
use crate::error::{AppError, Problem};
use crate::forms::PeopleQuery;
use crate::forms::PersonForm;
use crate::people::{self, PER_PAGE};
use crate::scope::path_id;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;

/// Searches people (50 a page, newest first).
#[utoipa::path(get, path = "/api/v1/people", params(PeopleQuery),
    responses((status = 200, body = PeoplePageView), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn list(
    State(s): State<AppState>,
    who: Who,
    ApiQuery(q): ApiQuery<PeopleQuery>,
) -> Result<Json<PeoplePageView>, AppError> {
    let (mut filter, page) = q.filter()?;
    let found = people::search(&s, &who, &mut filter, page).await?;
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
    let id = people::create(&s, &who, &body).await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

/// One person.
#[utoipa::path(get, path = "/api/v1/people/{id}", params(PersonId),
    responses((status = 200, body = PersonView), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn show(
    State(s): State<AppState>,
    who: Who,
    Path(id): Path<String>,
) -> Result<Json<PersonView>, AppError> {
    let p = people::readable(&s, &who, path_id(&id)?).await?;
    Ok(Json(PersonView::from(&p)))
}

/// Replaces a person's fields; an empty `id_card` or `phone` keeps the stored number.
#[utoipa::path(put, path = "/api/v1/people/{id}", params(PersonId), request_body = PersonForm,
    responses((status = 200, body = PersonView), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn update(
    State(s): State<AppState>,
    who: Who,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<PersonForm>,
) -> Result<Json<PersonView>, AppError> {
    let before = people::writable(&s, &who, path_id(&id)?).await?;
    people::update(&s, &who, &before, &body).await?;
    Ok(Json(PersonView::from(&s.store.person(before.id).await?)))
}

/// Full ID and phone numbers.
#[derive(Debug, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct Unmasked {
    /// ID card number.
    pub id_card: String,
    /// Phone.
    #[schema(required = true)]
    pub phone: Option<String>,
}

/// A person's full numbers: needs the unmask permission in scope; every viewing is journaled.
#[utoipa::path(get, path = "/api/v1/people/{id}/unmasked", params(PersonId),
    responses((status = 200, body = Unmasked), (status = 403, body = Problem, content_type = "application/problem+json")))]
pub async fn unmasked(
    State(s): State<AppState>,
    who: Who,
    Path(id): Path<String>,
) -> Result<Json<Unmasked>, AppError> {
    let p = people::unmasked(&s, &who, path_id(&id)?).await?;
    Ok(Json(Unmasked {
        id_card: p.fields.id_card.as_str().to_owned(),
        phone: p.fields.phone.as_ref().map(|ph| ph.as_str().to_owned()),
    }))
}
