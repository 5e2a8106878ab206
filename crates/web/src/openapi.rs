//! The OpenAPI document of `/api/v1`, generated from the handlers' annotations.

use crate::api::views;
use crate::development::api as dossiers;
use crate::error::{Problem, ProblemField};
use crate::orgs::api as orgs;
use crate::people::api as people;
use crate::people::departures_api as departures;
use crate::stats::api as stats;
use axum::Json;
use utoipa::OpenApi;

/// The API description.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "pioneer API",
        description = "Organisations, people and member-development dossiers of a party-building working committee. Errors are application/problem+json; send Accept-Language: en for English messages."
    ),
    paths(
        orgs::list,
        orgs::create,
        orgs::show,
        orgs::children,
        orgs::update,
        orgs::move_to,
        orgs::close,
        people::list,
        people::create,
        people::show,
        people::update,
        departures::show,
        departures::record,
        departures::withdraw,
        dossiers::list,
        dossiers::open,
        dossiers::show,
        dossiers::record,
        dossiers::work_queue,
        dossiers::screening,
        dossiers::notices,
        dossiers::rules,
        stats::stats
    ),
    components(schemas(
        views::OrgView,
        crate::forms::OrgForm,
        views::MoveBody,
        views::CloseBody,
        views::PersonView,
        crate::forms::PersonForm,
        views::PeoplePageView,
        views::Created,
        departures::DepartureView,
        departures::DepartureBody,
        dossiers::OpenBody,
        dossiers::EventBody,
        Problem,
        ProblemField
    ))
)]
pub struct ApiDoc;

/// `GET /api/v1/openapi.json`.
pub async fn document() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
