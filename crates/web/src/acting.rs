//! Who is acting in a request, for the journal: the signed-in account (or `anonymous`),
//! and the method and route (`POST /api/v1/people`).

use crate::AppState;
use axum::extract::{FromRequestParts, MatchedPath};
use axum::http::request::Parts;
use pioneer_store::Act;
use std::convert::Infallible;

/// The [`Act`] of the current request.
#[derive(Debug, Clone)]
pub struct Acting(pub Act);

impl FromRequestParts<AppState> for Acting {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let route = parts
            .extensions
            .get::<MatchedPath>()
            .map_or_else(|| parts.uri.path().to_owned(), |m| m.as_str().to_owned());
        let actor = parts
            .extensions
            .get::<crate::auth::CurrentUser>()
            .map_or_else(|| "anonymous".to_owned(), |u| u.username.clone());
        Ok(Acting(Act::new(actor, format!("{} {route}", parts.method), state.clock.now())))
    }
}
