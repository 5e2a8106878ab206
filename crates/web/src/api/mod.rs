//! The JSON API under `/api/v1`, documented by the OpenAPI document it serves at
//! `/api/v1/openapi.json`. Errors are `application/problem+json` (see [`crate::error`]).

pub mod departures;
pub mod dossiers;
pub mod json;
pub mod openapi;
pub mod orgs;
pub mod people;
pub mod stats;
pub mod views;

use crate::AppState;
use axum::Router;
use axum::routing::{get, post};

/// The API routes, relative to `/api/v1`.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/openapi.json", get(openapi::document))
        .route("/organizations", get(orgs::list).post(orgs::create))
        .route("/organizations/{id}", get(orgs::show).put(orgs::update))
        .route("/organizations/{id}/children", get(orgs::children))
        .route("/organizations/{id}/move", post(orgs::move_to))
        .route("/organizations/{id}/close", post(orgs::close))
        .route("/people", get(people::list).post(people::create))
        .route("/people/{id}", get(people::show).put(people::update))
        .route("/people/{id}/unmasked", get(people::unmasked))
        .route(
            "/people/{id}/departure",
            get(departures::show).post(departures::record).delete(departures::withdraw),
        )
        .route("/dossiers", get(dossiers::list).post(dossiers::open))
        .route("/dossiers/{id}", get(dossiers::show))
        .route("/dossiers/{id}/events", post(dossiers::record))
        .route("/work-queue", get(dossiers::work_queue))
        .route("/screening", get(dossiers::screening))
        .route("/stats", get(stats::stats))
        .route("/notices", get(dossiers::notices))
        .route("/rules", get(dossiers::rules))
}

/// Parses an id from a path segment; a malformed id is simply not found.
pub fn path_id(raw: &str) -> Result<uuid::Uuid, crate::error::AppError> {
    uuid::Uuid::try_parse(raw).map_err(|_| crate::error::AppError::NotFound)
}
