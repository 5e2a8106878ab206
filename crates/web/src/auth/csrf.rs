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
/// Largest upload read for its token (the import limit plus the form around it).
const UPLOAD_LIMIT: usize = crate::tables::IMPORT_LIMITS.file_bytes + 64 * 1024;

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
    let kind = req.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    let is_form = kind.starts_with("application/x-www-form-urlencoded");
    let is_upload = kind.starts_with("multipart/form-data");
    if !is_form && !is_upload {
        return AppError::Csrf.into_response();
    }
    let (mut parts, body) = req.into_parts();
    if is_upload {
        let Some((bytes, whole)) = start_of(body, UPLOAD_LIMIT).await else {
            return AppError::BadBody {
                status: axum::http::StatusCode::BAD_REQUEST,
                detail: "the upload broke off".into(),
            }
            .into_response();
        };
        if !upload_field(&bytes, "csrf").as_deref().is_some_and(|t| same(t, &expected)) {
            return AppError::Csrf.into_response();
        }
        if whole {
            return next.run(Request::from_parts(parts, Body::from(bytes))).await;
        }
        // Over the limit: the import answers with the limit (413), not this check.
        parts.extensions.insert(crate::tables::Oversized);
        return next.run(Request::from_parts(parts, Body::empty())).await;
    }
    let Ok(bytes) = to_bytes(body, FORM_LIMIT).await else {
        return AppError::BadBody {
            status: axum::http::StatusCode::PAYLOAD_TOO_LARGE,
            detail: "form too large".into(),
        }
        .into_response();
    };
    if !form_field(&bytes, "csrf").as_deref().is_some_and(|t| same(t, &expected)) {
        return AppError::Csrf.into_response();
    }
    next.run(Request::from_parts(parts, Body::from(bytes))).await
}

/// The body, or its first `limit` bytes and more when it is longer (then `false`: not
/// whole); `None` when it breaks off.
async fn start_of(body: Body, limit: usize) -> Option<(Vec<u8>, bool)> {
    use futures_core::Stream;
    let mut stream = body.into_data_stream();
    let mut bytes = Vec::new();
    while let Some(piece) = std::future::poll_fn(|cx| std::pin::Pin::new(&mut stream).poll_next(cx)).await {
        bytes.extend_from_slice(&piece.ok()?);
        if bytes.len() > limit {
            return Some((bytes, false));
        }
    }
    Some((bytes, true))
}

/// One field of an urlencoded form.
fn form_field(body: &[u8], name: &str) -> Option<String> {
    let text = std::str::from_utf8(body).ok()?;
    text.split('&').find_map(|pair| {
        let (k, v) = pair.split_once('=')?;
        (k == name).then(|| v.to_owned())
    })
}

/// One short text field of a multipart body (the token, sent before the file).
fn upload_field(body: &[u8], name: &str) -> Option<String> {
    let marker = format!("name=\"{name}\"\r\n\r\n");
    let at = body.windows(marker.len()).position(|w| w == marker.as_bytes())? + marker.len();
    let rest = body.get(at..at + 256.min(body.len() - at))?;
    let end = rest.windows(2).position(|w| w == b"\r\n")?;
    std::str::from_utf8(&rest[..end]).ok().map(str::to_owned)
}

/// Compares two tokens in time that depends only on their length.
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}
