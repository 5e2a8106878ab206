//! The session cookie: an opaque random value the browser keeps (HttpOnly, SameSite=Lax,
//! Secure behind TLS); the database keeps only its SHA-256. Sessions end after 30 minutes
//! without a request or 12 hours after login, whichever comes first.

use super::CurrentUser;
use crate::AppState;
use crate::error::AppError;
use axum::extract::{FromRequestParts, Request, State};
use axum::http::HeaderMap;
use axum::http::header;
use axum::http::request::Parts;
use axum::middleware::Next;
use axum::response::Response;
use sha2::{Digest, Sha256};

/// Cookie name.
pub const COOKIE: &str = "pioneer_session";
/// Idle timeout.
pub const IDLE_MS: i64 = 30 * 60 * 1000;
/// Absolute timeout.
pub const ABSOLUTE_MS: i64 = 12 * 60 * 60 * 1000;

/// A cookie's value from the request headers.
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|part| part.trim().strip_prefix(name)?.strip_prefix('='))
}

/// The stored form of a session cookie value.
pub fn hash_token(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// The `Set-Cookie` value that starts a session.
pub fn set_cookie(token: &str, secure: bool) -> String {
    format!("{COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax{}", if secure { "; Secure" } else { "" })
}

/// The `Set-Cookie` value that ends a session.
pub fn clear_cookie() -> String {
    format!("{COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0")
}

/// Puts the signed-in [`CurrentUser`] into the request, if its session is alive.
pub async fn resolve(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    if let Some(token) = cookie(req.headers(), COOKIE).filter(|t| !t.is_empty()) {
        let hash = hash_token(token);
        let found = match load(&state, &hash).await {
            Ok(found) => found,
            // The session could not be read: not "signed out" (that would send everyone to
            // the sign-in page during a fault), but storage unavailable.
            Err(e) => {
                tracing::warn!(error = %e, "session lookup failed");
                state.note_storage_fault();
                let is_api = req.uri().path().starts_with("/api/");
                let lang = if is_api {
                    crate::i18n::Lang::from_accept(req.headers())
                } else {
                    crate::i18n::Lang::from_cookies(req.headers())
                };
                return crate::pages::error_response(
                    AppError::StorageDown,
                    is_api,
                    lang,
                    req.uri(),
                    None,
                    state.demo,
                );
            }
        };
        if let Some(user) = found {
            // The request works in the account's one tenant, if it has one (see
            // pioneer_store::tenancy): its lookups by id stay on that tenant's rows.
            let tenant = user.tenant();
            req.extensions_mut().insert(user);
            return pioneer_store::tenancy::within(tenant, next.run(req)).await;
        }
    }
    next.run(req).await
}

/// The live session `hash` names and its account, None when there is none (or it ended);
/// an error when storage could not be read.
async fn load(state: &AppState, hash: &str) -> Result<Option<CurrentUser>, pioneer_store::StoreError> {
    let Some(found) = state.store.session_with_user(hash).await? else {
        return Ok(None);
    };
    let (session, user, grants) = (found.session, found.user, found.grants);
    let now = state.clock.now().as_millisecond();
    let last_seen = state.last_seen.effective(hash, session.last_seen);
    if now - last_seen > IDLE_MS || now - session.created_at > ABSOLUTE_MS {
        state.last_seen.forget(hash);
        let _ = state.store.delete_session(hash).await;
        return Ok(None);
    }
    if user.disabled {
        return Ok(None);
    }
    // Due whenever the account needs it now (a privileged grant added mid-session counts)
    // and this session has not given it.
    let second_factor_due =
        !session.second_factor_ok && state.second_factor_needed(&grants, user.totp_confirmed);
    state.last_seen.note(&state.store, hash, last_seen, now);
    Ok(Some(CurrentUser {
        id: user.id,
        username: user.username,
        display_name: user.display_name,
        grants,
        person_id: user.person_id,
        person_place: found.place,
        csrf: session.csrf,
        session_hash: hash.to_owned(),
        // A password past the policy's expiry counts as one to change.
        must_change_password: user.must_change_password
            || state.policy.expiry_days().is_some_and(|d| now - user.password_changed_at > d * 86_400_000),
        second_factor_pending: second_factor_due,
        needs_enrolment: !user.totp_confirmed,
    }))
}

impl<S: Send + Sync> FromRequestParts<S> for CurrentUser {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        parts.extensions.get::<CurrentUser>().cloned().ok_or(AppError::Unauthorized)
    }
}
