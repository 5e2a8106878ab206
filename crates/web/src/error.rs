//! The web layer's one error type and how it reaches people: `application/problem+json`
//! under `/api`, an HTML page elsewhere, always in the requester's language.
//!
//! Handlers return [`AppError`]; its response carries the error in an extension and the
//! `pages::render_errors` middleware, which knows the request's language and account,
//! writes the body: [`AppError::problem_response`] under `/api/`, the error page (with the
//! page chrome) elsewhere. A 5xx body never contains the cause: the cause goes to the log.

use crate::i18n::Tr;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use pioneer_domain::{FieldError, Reason, ValidationErrors};
use pioneer_store::StoreError;
use serde::Serialize;

/// Everything a handler can fail with.
#[derive(Debug, Clone, thiserror::Error)]
pub enum AppError {
    /// Input refused field by field (422).
    #[error("invalid input")]
    Invalid(ValidationErrors),
    /// The record or page does not exist (404).
    #[error("not found")]
    NotFound,
    /// The body could not be read (400), or had the wrong media type (415).
    #[error("bad body")]
    BadBody {
        /// 400 or 415.
        status: StatusCode,
        /// What the parser said.
        detail: String,
    },
    /// A query string that could not be read (400), naming the parameter when the parser
    /// did.
    #[error("bad query")]
    BadQuery {
        /// The parameter.
        parameter: Option<String>,
        /// What the parser said.
        detail: String,
    },
    /// The path exists but does not take this method (405); the response's `Allow` header,
    /// which the router writes, lists the methods it does take.
    #[error("method not allowed")]
    MethodNotAllowed,
    /// Not signed in (401).
    #[error("unauthorized")]
    Unauthorized,
    /// Signed in, but outside the account's permissions or scope (403).
    #[error("forbidden")]
    Forbidden,
    /// A state-changing request without our origin or the session's token (403).
    #[error("csrf")]
    Csrf,
    /// Too many requests from this client for now (429): try again later.
    #[error("too many requests")]
    TooManyRequests,
    /// A part of the server stopped for a moment (503): try again.
    #[error("unavailable")]
    Unavailable,
    /// The database cannot keep or reach the data now (503): a full disk, an I/O error,
    /// the server gone. Nothing was written; the same request may succeed later.
    #[error("storage unavailable")]
    StorageDown,
    /// Anything else (500); the cause was logged.
    #[error("internal error")]
    Internal,
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Invalid(v) => AppError::Invalid(v),
            StoreError::NotFound => AppError::NotFound,
            StoreError::Contention => refused("record", Reason::ChangedMeanwhile),
            StoreError::OutOfStock => {
                let (zh, en) = pioneer_domain::words::OUT_OF_STOCK;
                refused("benefit", Reason::Refused { zh, en })
            }
            StoreError::OverBudget => {
                let (zh, en) = pioneer_domain::words::OVER_BUDGET;
                refused("benefit", Reason::Refused { zh, en })
            }
            StoreError::Quiz(e) => {
                let (zh, en) = e.words();
                refused("answers", Reason::Refused { zh, en })
            }
            StoreError::Ledger(e) => {
                let (zh, en) = e.words();
                refused("amount", Reason::Refused { zh, en })
            }
            other if other.is_storage_fault() => {
                tracing::warn!(error = %other, "storage unavailable");
                AppError::StorageDown
            }
            other => {
                tracing::error!(error = %other, "store failure");
                AppError::Internal
            }
        }
    }
}

fn refused(field: &'static str, reason: Reason) -> AppError {
    AppError::Invalid(pioneer_domain::FieldError::new(field, reason).into())
}

impl From<ValidationErrors> for AppError {
    fn from(e: ValidationErrors) -> Self {
        AppError::Invalid(e)
    }
}

impl From<askama::Error> for AppError {
    fn from(e: askama::Error) -> Self {
        tracing::error!(error = %e, "template failure");
        AppError::Internal
    }
}

impl AppError {
    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        match self {
            AppError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::Unauthorized => StatusCode::UNAUTHORIZED,
            AppError::Forbidden | AppError::Csrf => StatusCode::FORBIDDEN,
            AppError::BadBody { status, .. } => *status,
            AppError::BadQuery { .. } => StatusCode::BAD_REQUEST,
            AppError::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            AppError::Internal => StatusCode::INTERNAL_SERVER_ERROR,
            AppError::Unavailable | AppError::StorageDown => StatusCode::SERVICE_UNAVAILABLE,
            AppError::TooManyRequests => StatusCode::TOO_MANY_REQUESTS,
        }
    }

    /// One refused field, as an error.
    pub fn field(field: &'static str, reason: Reason) -> Self {
        AppError::Invalid(FieldError::new(field, reason).into())
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let mut res = self.status().into_response();
        res.extensions_mut().insert(self);
        res
    }
}

/// One refused field in a problem document.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ProblemField {
    /// Field code name.
    pub field: String,
    /// The field's label in the requester's language.
    pub label: String,
    /// Machine-readable reason.
    pub code: String,
    /// The reason in the requester's language.
    pub message: String,
    /// The rule id of RULES.md, when the refusal enforces one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
}

/// An RFC 9457 problem document.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Problem {
    /// Problem type.
    #[serde(rename = "type")]
    pub kind: String,
    /// Short summary.
    pub title: String,
    /// HTTP status.
    pub status: u16,
    /// Explanation.
    pub detail: String,
    /// Refused fields.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<ProblemField>,
}

fn reason_code(r: &Reason) -> String {
    serde_json::to_value(r)
        .ok()
        .and_then(|v| v.get("code").and_then(|c| c.as_str()).map(str::to_owned))
        .unwrap_or_default()
}

impl AppError {
    /// The problem document in `t`'s language.
    pub fn problem(&self, t: Tr) -> Problem {
        let en = t.is_en();
        let (kind, title, detail) = match self {
            AppError::Invalid(_) => (
                "invalid-input",
                if en { "Invalid input" } else { "输入有误" },
                if en {
                    "Some fields were refused; nothing was written."
                } else {
                    "部分字段未通过校验，未写入任何数据。"
                }
                .to_owned(),
            ),
            AppError::NotFound => {
                ("not-found", if en { "Not found" } else { "未找到" }, t.s("not_found").to_owned())
            }
            AppError::BadBody { detail, status } => (
                if *status == StatusCode::UNSUPPORTED_MEDIA_TYPE {
                    "unsupported-media-type"
                } else {
                    "malformed-body"
                },
                if en { "The request body cannot be read" } else { "请求内容无法解析" },
                if *status == StatusCode::UNSUPPORTED_MEDIA_TYPE {
                    if en {
                        "Send JSON with Content-Type: application/json."
                    } else {
                        "请以 JSON 发送，并设置 Content-Type: application/json。"
                    }
                    .to_owned()
                } else {
                    let reason = Reason::MalformedBody { detail: detail.clone() };
                    if en { reason.en() } else { reason.zh() }
                },
            ),
            AppError::BadQuery { parameter, .. } => (
                "malformed-query",
                if en { "The query string cannot be read" } else { "查询参数无法解析" },
                match parameter {
                    Some(p) => t.s("bad_query_parameter").replace("{}", p),
                    None => t.s("bad_query").to_owned(),
                },
            ),
            AppError::MethodNotAllowed => (
                "method-not-allowed",
                if en { "Method not allowed" } else { "不支持该请求方法" },
                t.s("method_not_allowed").to_owned(),
            ),
            AppError::Internal => {
                ("internal", if en { "Server error" } else { "服务器错误" }, t.s("server_error").to_owned())
            }
            AppError::TooManyRequests => (
                "too-many-requests",
                if en { "Too many requests" } else { "请求过于频繁" },
                t.s("too_many_requests").to_owned(),
            ),
            AppError::Unavailable => (
                "unavailable",
                if en { "Try again shortly" } else { "请稍后重试" },
                t.s("unavailable").to_owned(),
            ),
            AppError::StorageDown => (
                "storage-unavailable",
                if en { "Storage unavailable" } else { "存储暂不可用" },
                t.l(
                    "磁盘已满或数据库暂时无法访问；本次没有写入任何内容，请稍后重试。",
                    "The disk is full or the database cannot be reached; nothing was written. Try again shortly.",
                )
                .to_owned(),
            ),
            AppError::Unauthorized => {
                ("unauthorized", if en { "Sign in first" } else { "请先登录" }, t.s("need_login").to_owned())
            }
            AppError::Forbidden => {
                ("forbidden", if en { "Not allowed" } else { "无权访问" }, t.s("forbidden").to_owned())
            }
            AppError::Csrf => {
                ("csrf", if en { "Request refused" } else { "请求被拒绝" }, t.s("csrf_refused").to_owned())
            }
        };
        let errors = match self {
            AppError::Invalid(v) => {
                v.0.iter()
                    .map(|e| ProblemField {
                        field: e.field.to_owned(),
                        label: t.field(e.field).to_owned(),
                        code: reason_code(&e.reason),
                        message: t.reason(e),
                        rule: e.reason.rule().map(str::to_owned),
                    })
                    .collect()
            }
            AppError::BadQuery { parameter: Some(p), detail } => vec![ProblemField {
                field: p.clone(),
                label: p.clone(),
                code: "malformed_query".to_owned(),
                message: format!("{}{detail}", t.s("cannot_read")),
                rule: None,
            }],
            _ => Vec::new(),
        };
        Problem {
            kind: format!("/problems/{kind}"),
            title: title.to_owned(),
            status: self.status().as_u16(),
            detail,
            errors,
        }
    }
}

/// The answer to a method a route does not take (the router adds the route's `Allow`
/// header). It is the router's method-not-allowed fallback, outside the permission check:
/// nothing runs, so there is nothing to refuse and nothing to log.
pub async fn method_not_allowed() -> AppError {
    AppError::MethodNotAllowed
}

impl AppError {
    /// The problem document of this error as an `application/problem+json` answer.
    pub fn problem_response(&self, t: Tr) -> Response {
        let body = serde_json::to_string(&self.problem(t)).unwrap_or_default();
        (self.status(), [(header::CONTENT_TYPE, "application/problem+json")], body).into_response()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    #[test]
    fn statuses_are_pinned() {
        assert_eq!(AppError::field("name", Reason::Required).status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(AppError::NotFound.status(), StatusCode::NOT_FOUND);
        assert_eq!(AppError::Internal.status(), StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(AppError::Unavailable.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(AppError::Unauthorized.status(), StatusCode::UNAUTHORIZED);
        assert_eq!(AppError::Forbidden.status(), StatusCode::FORBIDDEN);
        assert_eq!(AppError::Csrf.status(), StatusCode::FORBIDDEN);
        assert_eq!(AppError::MethodNotAllowed.status(), StatusCode::METHOD_NOT_ALLOWED);
        let query = AppError::BadQuery { parameter: None, detail: String::new() };
        assert_eq!(query.status(), StatusCode::BAD_REQUEST);
        let unsupported =
            AppError::BadBody { status: StatusCode::UNSUPPORTED_MEDIA_TYPE, detail: String::new() };
        assert_eq!(unsupported.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    }

    #[test]
    fn an_internal_problem_says_nothing_of_the_cause() {
        let p = AppError::Internal.problem(Tr::new(Lang::En));
        assert_eq!(p.status, 500);
        assert!(p.errors.is_empty());
        assert!(!p.detail.contains("sqlx") && !p.detail.contains("database"));
    }

    #[test]
    fn a_bad_query_names_its_parameter_in_both_languages() {
        let err = AppError::BadQuery {
            parameter: Some("max_depth".into()),
            detail: "invalid digit found in string".into(),
        };
        let p = err.problem(Tr::new(Lang::En));
        assert_eq!((p.kind.as_str(), p.status), ("/problems/malformed-query", 400));
        assert!(p.detail.contains("max_depth"), "{}", p.detail);
        assert_eq!((p.errors[0].field.as_str(), p.errors[0].code.as_str()), ("max_depth", "malformed_query"));
        assert!(p.errors[0].message.contains("invalid digit"));
        let p = err.problem(Tr::new(Lang::Zh));
        assert!(p.title.contains("查询参数") && p.detail.contains("max_depth"), "{}", p.detail);
        let p = AppError::MethodNotAllowed.problem(Tr::new(Lang::Zh));
        assert_eq!((p.kind.as_str(), p.status), ("/problems/method-not-allowed", 405));
        assert!(p.detail.contains("Allow"));
    }

    #[test]
    fn a_refusal_names_the_field_reason_and_rule() {
        let p = AppError::field("approval_authority", Reason::ApprovalAuthorityNotAllowed)
            .problem(Tr::new(Lang::Zh));
        assert_eq!(p.errors[0].field, "approval_authority");
        assert_eq!(p.errors[0].code, "approval_authority_not_allowed");
        assert_eq!(p.errors[0].rule.as_deref(), Some("DEV-034"));
        assert!(p.errors[0].message.contains("审批"));
    }
}
