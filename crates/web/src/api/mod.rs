//! What the JSON API's handlers share: the JSON body and query-string extractors and the
//! request and response bodies with their OpenAPI schemas. The handlers live in each
//! capability's `api.rs`, the route table in [`crate::routes`], the document in
//! [`crate::openapi`]. Errors are `application/problem+json` (see [`crate::error`]).

pub mod json;
pub mod query;
pub mod views;
