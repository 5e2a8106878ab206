//! The query-string extractor of every handler, API and pages alike: a query that cannot be
//! read is [`AppError::BadQuery`] (400, naming the parameter when the parser does), which
//! becomes a problem document under `/api/` and the error page elsewhere, never axum's
//! plain-text rejection.

use crate::error::AppError;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

/// `Query<T>` with a typed refusal; use it instead of axum's `Query`.
pub struct ApiQuery<T>(pub T);

impl<S, T> FromRequestParts<S> for ApiQuery<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        match axum::extract::Query::<T>::try_from_uri(&parts.uri) {
            Ok(axum::extract::Query(v)) => Ok(ApiQuery(v)),
            Err(rejection) => {
                let (parameter, detail) = parameter_and_reason(&rejection.body_text());
                tracing::debug!(?parameter, %detail, "query string refused");
                Err(AppError::BadQuery { parameter, detail })
            }
        }
    }
}

/// The parameter and the reason in axum's rejection text: the parser puts the parameter
/// first when a value is wrong (`max_depth: invalid digit found in string`) and quotes it
/// when a parameter is repeated or missing (``duplicate field `on` ``).
fn parameter_and_reason(text: &str) -> (Option<String>, String) {
    // axum's own words come first ("Failed to deserialize query string: …").
    let said = match text.split_once(": ") {
        Some((head, rest)) if head.contains(' ') => rest,
        _ => text,
    };
    let is_name = |n: &str| {
        !n.is_empty() && n.len() <= 64 && n.chars().all(|c| c.is_ascii_alphanumeric() || "_-.[]".contains(c))
    };
    if let Some((name, reason)) = said.split_once(": ")
        && is_name(name)
    {
        return (Some(name.to_owned()), reason.to_owned());
    }
    let quoted = said.split_once('`').and_then(|(_, rest)| rest.split_once('`')).map(|(name, _)| name);
    (quoted.filter(|n| is_name(n)).map(str::to_owned), said.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[expect(dead_code, reason = "only whether it reads matters")]
    struct Params {
        max_depth: Option<i64>,
        on: Option<String>,
    }

    fn refusal(uri: &str) -> (Option<String>, String) {
        let uri: axum::http::Uri = uri.parse().unwrap();
        let Err(rejection) = axum::extract::Query::<Params>::try_from_uri(&uri) else {
            panic!("{uri} was read")
        };
        parameter_and_reason(&rejection.body_text())
    }

    #[test]
    fn a_refusal_names_the_parameter() {
        let (p, why) = refusal("/x?max_depth=deep");
        assert_eq!(p.as_deref(), Some("max_depth"));
        assert!(why.contains("invalid digit"), "{why}");
        let (p, why) = refusal("/x?on=2026-01-01&on=2026-02-01");
        assert_eq!(p.as_deref(), Some("on"));
        assert!(why.contains("duplicate"), "{why}");
        assert_eq!(parameter_and_reason("something else"), (None, "something else".to_owned()));
    }
}
