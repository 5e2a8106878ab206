//! The volunteer's phone pages: 志愿服务 (open shifts near them, a campaign's first; their
//! own shifts with check-in and check-out; their hours and messages) and the printable
//! service certificate (志愿服务证明) over a period.

use super::{actions, term};
use crate::AppState;
use crate::api::query::ApiQuery;
use crate::auth::Who;
use crate::error::AppError;
use crate::forms::FormErrors;
use crate::pages::{Chrome, html, html_status};
use crate::scope::path_id;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use pioneer_store::service::lists::ShiftView;
use pioneer_store::service::messages::Message;
use pioneer_store::service::shifts::ServiceCertificate;
use serde::Deserialize;

/// What the volunteer's page shows.
pub struct Overview {
    /// Shifts they may take, a campaign's first.
    pub open: Vec<ShiftView>,
    /// Their own shifts, latest first.
    pub mine: Vec<ShiftView>,
    /// Confirmed minutes this year.
    pub minutes: i64,
    /// Their latest messages.
    pub messages: Vec<Message>,
    /// The teams they lead (their requests and hours to confirm are there).
    pub led: Vec<pioneer_store::service::teams::TeamRecord>,
}

/// The volunteer's overview (the page's and `GET /api/v1/me/service`'s content).
pub async fn overview(s: &AppState, who: &Who) -> Result<Overview, AppError> {
    let (me, tenant, _) = who.member()?;
    let today = s.clock.today();
    let year_start = jiff::civil::date(today.year(), 1, 1);
    Ok(Overview {
        open: s.store.open_shifts_for(me, super::local_now(s), 30).await?,
        mine: s.store.my_shifts(me, today, 30).await?,
        minutes: s.store.service_certificate(me, year_start, today).await?.minutes,
        messages: s.store.messages_for(me, 5).await?,
        led: s.store.teams_led_by(tenant, me).await?,
    })
}

#[derive(Template)]
#[template(path = "service_home.html")]
struct HomePage {
    c: Chrome,
    o: Overview,
    hours: String,
    error: Option<String>,
}

impl HomePage {
    fn term(&self, code: &str) -> String {
        term(&self.c.t, code)
    }
}

async fn page(s: &AppState, c: Chrome, who: &Who, error: Option<String>) -> Result<Response, AppError> {
    let o = overview(s, who).await?;
    let hours = pioneer_domain::service::hours::hours_text(o.minutes);
    let status = if error.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    Ok(html_status(status, HomePage { c, o, hours, error }.render()?))
}

/// `GET /service`.
pub async fn show(State(s): State<AppState>, c: Chrome, who: Who) -> Result<Response, AppError> {
    page(&s, c, &who, None).await
}

/// Back to the page, or the page again with the refusal.
async fn after(s: &AppState, c: Chrome, who: &Who, done: Result<(), AppError>) -> Result<Response, AppError> {
    match done {
        Ok(()) => Ok(Redirect::to("/service").into_response()),
        Err(AppError::Invalid(v)) => {
            let message =
                FormErrors::new(&v, &c.t).0.into_iter().map(|(_, m)| m).collect::<Vec<_>>().join("；");
            page(s, c, who, Some(message)).await
        }
        Err(e) => Err(e),
    }
}

/// `POST /service/shifts/{id}/signup`.
pub async fn sign_up(
    State(s): State<AppState>,
    c: Chrome,
    who: Who,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let done = actions::sign_up(&s, &who, path_id(&id)?).await;
    after(&s, c, &who, done).await
}

/// `POST /service/shifts/{id}/check-in`.
pub async fn check_in(
    State(s): State<AppState>,
    c: Chrome,
    who: Who,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let done = actions::check_self(&s, &who, path_id(&id)?, false).await.map(|_| ());
    after(&s, c, &who, done).await
}

/// `POST /service/shifts/{id}/check-out`.
pub async fn check_out(
    State(s): State<AppState>,
    c: Chrome,
    who: Who,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let done = actions::check_self(&s, &who, path_id(&id)?, true).await.map(|_| ());
    after(&s, c, &who, done).await
}

/// `?from=&until=`: a certificate's period (default: from the first service to today).
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Period {
    /// First day (`YYYY-MM-DD`).
    pub from: Option<String>,
    /// Last day.
    pub until: Option<String>,
}

/// The signed-in volunteer's certificate over a period.
pub async fn certificate(s: &AppState, who: &Who, p: &Period) -> Result<ServiceCertificate, AppError> {
    let (me, _, _) = who.member()?;
    let today = s.clock.today();
    let day = |field: &'static str, raw: &Option<String>, default: jiff::civil::Date| match raw.as_deref() {
        None | Some("") => Ok(default),
        Some(v) => v
            .parse::<jiff::civil::Date>()
            .map_err(|_| AppError::field(field, pioneer_domain::Reason::BadDate)),
    };
    // Without a first day, everything confirmed so far, from the first service on.
    let from = day("from", &p.from, jiff::civil::date(1949, 10, 1))?;
    let until = day("until", &p.until, today)?;
    if until < from {
        return Err(AppError::field("until", pioneer_domain::Reason::EndsBeforeStart));
    }
    let mut cert = s.store.service_certificate(me, from, until).await?;
    if p.from.as_deref().unwrap_or("").is_empty() {
        let first = cert.records.first().and_then(|r| r.from.get(..10)).and_then(|d| d.parse().ok());
        cert.from = first.unwrap_or(jiff::civil::date(today.year(), 1, 1));
    }
    Ok(cert)
}

#[derive(Template)]
#[template(path = "service_certificate.html")]
struct CertificatePage {
    c: Chrome,
    cert: ServiceCertificate,
    hours: String,
    issued_on: jiff::civil::Date,
}

impl CertificatePage {
    fn term(&self, code: &str) -> String {
        term(&self.c.t, code)
    }

    fn hours_of(&self, minutes: &i64) -> String {
        pioneer_domain::service::hours::hours_text(*minutes)
    }
}

/// `GET /service/certificate?from=&until=`: printable.
pub async fn certificate_page(
    State(s): State<AppState>,
    c: Chrome,
    who: Who,
    ApiQuery(p): ApiQuery<Period>,
) -> Result<Response, AppError> {
    let cert = certificate(&s, &who, &p).await?;
    let hours = pioneer_domain::service::hours::hours_text(cert.minutes);
    Ok(html(CertificatePage { c, cert, hours, issued_on: s.clock.today() }.render()?))
}
