//! The JSON API under `/api/v1`, documented by the OpenAPI document it serves at
//! `/api/v1/openapi.json`. Errors are `application/problem+json` (see [`crate::error`]).

pub mod json;
pub mod openapi;
pub mod views;

use crate::AppState;
use axum::Router;
use axum::routing::{get, post};

/// The API routes, relative to `/api/v1`.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/openapi.json", get(openapi::document))
        .route("/organizations", get(crate::orgs::api::list).post(crate::orgs::api::create))
        .route("/organizations/{id}", get(crate::orgs::api::show).put(crate::orgs::api::update))
        .route("/organizations/{id}/children", get(crate::orgs::api::children))
        .route("/organizations/{id}/move", post(crate::orgs::api::move_to))
        .route("/organizations/{id}/close", post(crate::orgs::api::close))
        .route("/people", get(crate::people::api::list).post(crate::people::api::create))
        .route("/people/{id}", get(crate::people::api::show).put(crate::people::api::update))
        .route("/people/{id}/unmasked", get(crate::people::api::unmasked))
        .route(
            "/people/{id}/departure",
            get(crate::people::departures_api::show)
                .post(crate::people::departures_api::record)
                .delete(crate::people::departures_api::withdraw),
        )
        .route("/dossiers", get(crate::development::api::list).post(crate::development::api::open))
        .route("/dossiers/{id}", get(crate::development::api::show))
        .route("/dossiers/{id}/events", post(crate::development::api::record))
        .route("/work-queue", get(crate::development::api::work_queue))
        .route("/screening", get(crate::development::api::screening))
        .route("/stats", get(crate::stats::api::stats))
        .route("/notices", get(crate::development::api::notices))
        .route("/rules", get(crate::development::api::rules))
}

/// Parses an id from a path segment; a malformed id is simply not found.
pub fn path_id(raw: &str) -> Result<uuid::Uuid, crate::error::AppError> {
    uuid::Uuid::try_parse(raw).map_err(|_| crate::error::AppError::NotFound)
}
