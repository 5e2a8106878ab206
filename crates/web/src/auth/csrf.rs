//! CSRF defence on every state-changing request: the browser must say the request comes
//! from our own origin (`Sec-Fetch-Site`, `Origin`), and a signed-in session must also
//! send its token (form field `csrf` or header `X-CSRF-Token`).

use super::CurrentUser;
use crate::error::AppError;
use axum::body::{Body, to_bytes};
use axum::extract::Request;
use axum::http::{Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// Largest form body read for its token.
const FORM_LIMIT: usize = 1024 * 1024;

/// The check.
pub async fn check(req: Request, next: Next) -> Response {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return next.run(req).await;
    }
    let headers = req.headers();
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok())
        && !matches!(site, "same-origin" | "none")
    {
        return AppError::Csrf.into_response();
    }
    if let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) {
        let host = headers.get(header::HOST).and_then(|v| v.to_str().ok()).unwrap_or("");
        let same = origin.split_once("://").is_some_and(|(_, rest)| rest == host);
        if !same {
            return AppError::Csrf.into_response();
        }
    }
    let Some(expected) = req.extensions().get::<CurrentUser>().map(|u| u.csrf.clone()) else {
        // No session: nothing a forged request could act as (login is checked by origin).
        return next.run(req).await;
    };
    if let Some(got) = req.headers().get("x-csrf-token").and_then(|v| v.to_str().ok()) {
        return if same(got, &expected) { next.run(req).await } else { AppError::Csrf.into_response() };
    }
    let is_form = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|c| c.starts_with("application/x-www-form-urlencoded"));
    if !is_form {
        return AppError::Csrf.into_response();
    }
    let (parts, body) = req.into_parts();
    let Ok(bytes) = to_bytes(body, FORM_LIMIT).await else {
        return AppError::BadBody {
            status: axum::http::StatusCode::PAYLOAD_TOO_LARGE,
            detail: "form too large".into(),
        }
        .into_response();
    };
    let token = form_field(&bytes, "csrf");
    if !token.as_deref().is_some_and(|t| same(t, &expected)) {
        return AppError::Csrf.into_response();
    }
    next.run(Request::from_parts(parts, Body::from(bytes))).await
}

/// One field of an urlencoded form.
fn form_field(body: &[u8], name: &str) -> Option<String> {
    let text = std::str::from_utf8(body).ok()?;
    text.split('&').find_map(|pair| {
        let (k, v) = pair.split_once('=')?;
        (k == name).then(|| v.to_owned())
    })
}

/// Compares two tokens in time that depends only on their length.
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}
