//! Login, logout and password change.
//!
//! A wrong name, a wrong password and a locked account get the same answer after the same
//! work (a hash is always checked), so the page tells no one which names exist. Only
//! failures count: they lock an account after the policy's count (for the addresses that
//! failed, see [`super::throttle`]), and each address may fail a bounded number of times
//! per window. Signing in ends the session the browser presented, if any.

use super::session::{COOKIE, clear_cookie, cookie, hash_token, set_cookie};
use super::{CurrentUser, password};
use crate::AppState;
use crate::auth::Acting;
use crate::error::AppError;
use crate::forms::FormErrors;
use crate::pages::{Chrome, html, html_status};
use askama::Template;
use axum::Form;
use axum::extract::{ConnectInfo, FromRequestParts, Query, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use pioneer_domain::{Reason, ValidationErrors};
use pioneer_store::Act;
use pioneer_store::accounts::UserRecord;
use serde::Deserialize;
use std::net::SocketAddr;
use uuid::Uuid;

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    c: Chrome,
    username: String,
    next: String,
    error: Option<&'static str>,
    waived: bool,
}

/// Where to go after login.
#[derive(Debug, Deserialize)]
pub struct NextQuery {
    next: Option<String>,
}

/// The client's address, when the server knows it (not in in-process tests): the peer,
/// or behind a trusted proxy the last `X-Forwarded-For` entry.
pub struct Peer(pub Option<String>);

impl Peer {
    /// The address sign-in failures count under (`local` when the server knows none).
    pub fn address(self) -> String {
        self.0.unwrap_or_else(|| "local".to_owned())
    }
}

impl FromRequestParts<AppState> for Peer {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        if state.trust_forwarded_for
            && let Some(last) = parts
                .headers
                .get("x-forwarded-for")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.rsplit(',').next())
                .map(str::trim)
                .filter(|v| !v.is_empty())
        {
            return Ok(Peer(Some(last.to_owned())));
        }
        Ok(Peer(parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip().to_string())))
    }
}

/// `GET /login`.
pub async fn login_form(
    State(s): State<AppState>,
    c: Chrome,
    Query(q): Query<NextQuery>,
) -> Result<Response, AppError> {
    let next = q.next.unwrap_or_default();
    let waived = s.waive_second_factor;
    Ok(html(LoginPage { c, username: String::new(), next, error: None, waived }.render()?))
}

/// The login form.
#[derive(Debug, Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    next: String,
}

/// `POST /login`.
pub async fn login(
    State(s): State<AppState>,
    c: Chrome,
    Acting(act): Acting,
    peer: Peer,
    headers: HeaderMap,
    Form(f): Form<LoginForm>,
) -> Result<Response, AppError> {
    let now = s.clock.now().as_millisecond();
    let (address, limits) = (peer.address(), s.sign_in_limits());
    // Counted as a failure from here until the password is found right.
    if !s.throttle.with(|t| t.attempt(&address, &limits, now)) {
        return throttled(c, f, s.waive_second_factor).await;
    }
    let name = f.username.trim();
    let user = if name.chars().any(char::is_control) || name.chars().count() > 40 {
        None
    } else {
        s.store.user_by_name(name).await?
    };
    // A locked account still opens from an address that has not failed against it.
    let allowed = user.as_ref().is_some_and(|u| {
        let locked = u.locked_until.is_some_and(|t| t > now);
        s.throttle.with(|t| t.attempt_account(u.id, &address, locked, &limits, now))
    });
    let ok = password::verify(f.password.clone(), user.as_ref().map(|u| u.password_hash.clone())).await;
    let Some(u) = user else { return refuse(c, f, s.waive_second_factor).await };
    if ok && !u.disabled && allowed {
        s.throttle.with(|t| t.passed(u.id, &address, now));
        let presented = cookie(&headers, COOKIE).filter(|t| !t.is_empty()).map(hash_token);
        return start_session(&s, &u, &address, presented, now, &f.next).await;
    }
    sign_in_failed(&s, &u, &address, now, &act).await?;
    refuse(c, f, s.waive_second_factor).await
}

/// Counts a failed sign-in (or second-factor code) of a known account from `address` in
/// the store (its count and lock; the throttle counted the attempt when it began). True
/// when `address` may no longer try that account.
pub(super) async fn sign_in_failed(
    s: &AppState,
    u: &UserRecord,
    address: &str,
    now: i64,
    act: &Act,
) -> Result<bool, AppError> {
    let limits = s.sign_in_limits();
    // One statement counts the failure and locks at the threshold, so a burst of parallel
    // guesses cannot all see the old count.
    let locked = s.store.login_failed(u, s.policy.lockout_after(), now + limits.lock_ms, now, act).await?;
    Ok(s.throttle.with(|t| t.blocks(u.id, address, locked, &limits, now)))
}

/// A sign-in is complete (the password, and the second factor where one is asked): the
/// account's failures and this address's failures against it are forgotten.
pub(super) async fn sign_in_completed(s: &AppState, account: Uuid, address: &str) -> Result<(), AppError> {
    s.store.login_succeeded(account).await?;
    s.throttle.with(|t| t.succeeded(account, address));
    Ok(())
}

/// A new session (a new cookie value at every sign-in, the one the browser presented
/// ended), and where to go first: the second factor if it is due, a new password if one is
/// due, else where the user was going.
async fn start_session(
    s: &AppState,
    u: &UserRecord,
    address: &str,
    presented: Option<String>,
    now: i64,
    next: &str,
) -> Result<Response, AppError> {
    let grants = s.store.grants_of(u.id).await?;
    let needs_second = s.second_factor_needed(&grants, u.totp_confirmed);
    if !(needs_second && u.totp_confirmed) {
        // With a code to give, the failures are forgotten only once it is given.
        sign_in_completed(s, u.id, address).await?;
    }
    if let Some(old) = presented {
        s.store.delete_session(&old).await?;
    }
    let token = password::token(32);
    // The second factor counts as given only once `/login/totp` or enrolment says so.
    s.store.create_session(&hash_token(&token), u.id, &password::token(16), now, false).await?;
    let expired = s.policy.expiry_days().is_some_and(|d| now - u.password_changed_at > d * 86_400_000);
    let to = if needs_second && u.totp_confirmed {
        format!("/login/totp?next={}", crate::forms::encode(&safe_next(next)))
    } else if needs_second {
        "/account/totp".to_owned()
    } else if u.must_change_password || expired {
        "/account/password".to_owned()
    } else {
        safe_next(next)
    };
    let mut res = Redirect::to(&to).into_response();
    if let Ok(v) = HeaderValue::from_str(&set_cookie(&token, s.secure_cookies)) {
        res.headers_mut().insert(header::SET_COOKIE, v);
    }
    tracing::info!(user = %u.username, "login");
    Ok(res)
}

async fn throttled(c: Chrome, f: LoginForm, waived: bool) -> Result<Response, AppError> {
    let page = LoginPage { c, username: f.username, next: f.next, error: Some("login_throttled"), waived };
    Ok(html_status(StatusCode::TOO_MANY_REQUESTS, page.render()?))
}

async fn refuse(c: Chrome, f: LoginForm, waived: bool) -> Result<Response, AppError> {
    let page = LoginPage { c, username: f.username, next: f.next, error: Some("login_failed"), waived };
    Ok(html_status(StatusCode::UNAUTHORIZED, page.render()?))
}

/// A local path to go to after signing in (anything else: home).
pub fn safe_next(next: &str) -> String {
    if crate::forms::is_local_path(next) && next != "/login" { next.to_owned() } else { "/".to_owned() }
}

/// `POST /logout`.
pub async fn logout(State(s): State<AppState>, user: CurrentUser) -> Result<Response, AppError> {
    s.store.delete_session(&user.session_hash).await?;
    let mut res = Redirect::to("/login").into_response();
    if let Ok(v) = HeaderValue::from_str(&clear_cookie()) {
        res.headers_mut().insert(header::SET_COOKIE, v);
    }
    Ok(res)
}

#[derive(Template)]
#[template(path = "password.html")]
struct PasswordPage {
    c: Chrome,
    errors: FormErrors,
    forced: bool,
    done: bool,
}

/// `GET /account/password`.
pub async fn password_form(c: Chrome, user: CurrentUser) -> Result<Response, AppError> {
    let page =
        PasswordPage { c, errors: FormErrors::default(), forced: user.must_change_password, done: false };
    Ok(html(page.render()?))
}

/// The password form.
#[derive(Debug, Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    current: String,
    #[serde(default)]
    new: String,
    #[serde(default)]
    again: String,
}

/// `POST /account/password`.
pub async fn change_password(
    State(s): State<AppState>,
    c: Chrome,
    user: CurrentUser,
    Acting(act): Acting,
    Form(f): Form<PasswordForm>,
) -> Result<Response, AppError> {
    let stored = s.store.user(user.id).await?;
    let mut e = ValidationErrors::default();
    if !password::verify(f.current.clone(), Some(stored.password_hash)).await {
        e.push("current", Reason::WrongPassword);
    }
    if let Err(p) = s.policy.check(&f.new, &user.username) {
        e.push("new", Reason::WeakPassword { zh: p.zh(), en: p.to_string() });
    } else if f.new != f.again {
        e.push("again", Reason::PasswordsDiffer);
    }
    if !e.0.is_empty() {
        let errors = FormErrors::new(&e, &c.t);
        let page = PasswordPage { c, errors, forced: user.must_change_password, done: false };
        return Ok(html_status(StatusCode::UNPROCESSABLE_ENTITY, page.render()?));
    }
    s.store.set_password(user.id, &password::hash(f.new).await, &act).await?;
    s.store.delete_other_sessions(user.id, &user.session_hash).await?;
    Ok(html(PasswordPage { c, errors: FormErrors::default(), forced: false, done: true }.render()?))
}
