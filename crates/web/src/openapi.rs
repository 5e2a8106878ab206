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
        crate::people::discipline::list,
        crate::people::discipline::create,
        dossiers::list,
        dossiers::open,
        crate::development::dossier_import::api_upload,
        crate::people::roster::api_upload,
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
        crate::people::DisciplineBody,
        crate::people::discipline::DisciplineView,
        dossiers::OpenBody,
        dossiers::EventBody,
        Problem,
        ProblemField
    )),
    modifiers(&ProblemResponses)
)]
pub struct ApiDoc;

/// Adds the refusals every operation can give to each: 405 (a method the path does not
/// take), and 400 (a query string that cannot be read) where the operation takes one.
struct ProblemResponses;

impl utoipa::Modify for ProblemResponses {
    fn modify(&self, doc: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::path::ParameterIn;
        use utoipa::openapi::{ContentBuilder, Ref, ResponseBuilder};
        let problem = |what: &str| {
            let content = ContentBuilder::new().schema(Some(Ref::from_schema_name("Problem"))).build();
            ResponseBuilder::new().description(what).content("application/problem+json", content).build()
        };
        for item in doc.paths.paths.values_mut() {
            let operations =
                [&mut item.get, &mut item.put, &mut item.post, &mut item.delete, &mut item.patch];
            for op in operations.into_iter().flatten() {
                let responses = &mut op.responses.responses;
                responses.entry("405".into()).or_insert_with(|| {
                    problem("Method not allowed; the Allow header lists the path's methods").into()
                });
                let takes_query =
                    op.parameters.iter().flatten().any(|p| matches!(p.parameter_in, ParameterIn::Query));
                if takes_query {
                    responses
                        .entry("400".into())
                        .or_insert_with(|| problem("The query string cannot be read").into());
                }
            }
        }
    }
}

/// `GET /api/v1/openapi.json`.
pub async fn document() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
