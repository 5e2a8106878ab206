//! The screening page: every dossier in an organisation's subtree judged by the rules,
//! findings grouped by rule with counts and links to the cases, and the same as an xlsx.

use crate::AppState;
use crate::api::query::ApiQuery;
use crate::auth::Who;
use crate::development;
use crate::error::AppError;
use crate::pages::{Chrome, html};
use crate::scope::OrgQuery;
use askama::Template;
use axum::extract::State;
use axum::response::Response;
use pioneer_domain::development::engine::Severity;
use pioneer_domain::development::screening::ScreenReport;
use pioneer_store::orgs::OrgRecord;
use serde::Deserialize;
use uuid::Uuid;

/// `?org=ID&format=xlsx`.
#[derive(Debug, Deserialize)]
pub struct ScreenQuery {
    #[serde(flatten)]
    org: OrgQuery,
    #[serde(default)]
    format: String,
}

struct Group {
    rule: &'static str,
    audit: &'static str,
    status: String,
    violation: bool,
    message: &'static str,
    citation: &'static str,
    count: u64,
    cases: Vec<Uuid>,
}

#[derive(Template)]
#[template(path = "screening.html")]
struct ScreenPage {
    c: Chrome,
    org: Option<OrgRecord>,
    report: ScreenReport,
    groups: Vec<Group>,
    took_ms: u128,
}

/// `GET /screening[?org=ID][&format=xlsx]`.
pub async fn show(
    State(s): State<AppState>,
    c: Chrome,
    who: Who,
    ApiQuery(q): ApiQuery<ScreenQuery>,
) -> Result<Response, AppError> {
    let reach = development::reach(&s, &who, q.org.org.as_deref()).await?;
    let started = std::time::Instant::now();
    let report = s.store.screen(reach.path(), s.clock.today(), 20).await?;
    let took_ms = started.elapsed().as_millis();
    if q.format == "xlsx" {
        let bytes = crate::sheets::screening_xlsx(&report, "/dossiers/").map_err(|e| {
            tracing::error!(error = %e, "screening xlsx");
            AppError::Internal
        })?;
        return Ok(crate::pages::download(
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "screening.xlsx",
            bytes,
        ));
    }
    let groups = report
        .groups
        .iter()
        .map(|g| Group {
            rule: g.check.rule,
            audit: g.check.audit,
            status: format!("{:?}", g.check.status()),
            violation: g.check.severity == Severity::Violation,
            message: c.t.l(g.check.zh, g.check.en),
            citation: g.check.rule().citation,
            count: g.count,
            cases: g.cases.clone(),
        })
        .collect();
    Ok(html(ScreenPage { c, org: reach.into_org(), report, groups, took_ms }.render()?))
}
