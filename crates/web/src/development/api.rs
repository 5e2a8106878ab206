//! `/api/v1/dossiers`, screening, the work queue, the notice board and the rule catalogue:
//! the same operations as the pages, as JSON. A refused event is a problem document whose
//! fields carry the rule id.

use crate::AppState;
use crate::api::json::ApiJson;
use crate::api::query::ApiQuery;
use crate::api::views::{
    Created, DossierId, DossierList, DossierView, EvaluationView, NoticeBoard, RuleCatalogue, ScreeningView,
    WorkQueue,
};
use crate::auth::Who;
use crate::development::{self, Existing};
use crate::error::{AppError, Problem};
use crate::scope::path_id;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use jiff::civil::Date;
use pioneer_domain::development::dossier::{Kind, parse_fields};
use pioneer_domain::development::engine;
use pioneer_domain::development::procedure::STEPS;
use pioneer_domain::development::rules::RULES;
use pioneer_domain::{Reason, ValidationErrors};
use pioneer_store::development::dossiers::NewEvent;
use serde::Deserialize;
use serde_json::{Value, json};
use std::collections::HashMap;
use utoipa::{IntoParams, ToSchema};

/// `?org=ID`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OrgParam {
    /// The organisation (default: the account's first scope).
    pub org: Option<String>,
}

/// A page of the cases of an organisation subtree (50 a page), searched by name, filtered
/// by branch, stage and overdue, ordered by a column (the most urgent first by default),
/// with the total matching: what the case list shows. A bad filter is refused by field.
#[utoipa::path(get, path = "/api/v1/dossiers", params(crate::development::dossiers::CasesQuery), responses((status = 200, body = DossierList), (status = 422, body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn list(
    State(s): State<AppState>,
    who: Who,
    ApiQuery(q): ApiQuery<crate::development::dossiers::CasesQuery>,
) -> Result<Json<Value>, AppError> {
    let (_, _, found) = crate::development::dossiers::cases(&s, &who, &q).await?;
    Ok(Json(
        json!({ "items": found.items, "total": found.total, "total_capped": found.total_capped, "page": q.page.unwrap_or(1).max(1) }),
    ))
}

/// The work queue: open cases with a step due within a week, overdue ones first.
#[utoipa::path(get, path = "/api/v1/work-queue", params(OrgParam), responses((status = 200, body = WorkQueue)))]
pub async fn work_queue(
    State(s): State<AppState>,
    who: Who,
    ApiQuery(q): ApiQuery<OrgParam>,
) -> Result<Json<Value>, AppError> {
    let reach = development::reach(&s, &who, q.org.as_deref()).await?;
    let today = s.clock.today();
    let items = development::work_queue(&s, &reach, 500).await?;
    let items: Vec<Value> = items
        .iter()
        .map(|d| {
            let mut v = json!(d);
            v["overdue"] = json!(d.next_due.is_some_and(|x| x < today));
            v["step"] = json!(
                d.next_due_step.and_then(|n| STEPS.get(usize::from(n).saturating_sub(1))).map(|st| st.code)
            );
            v
        })
        .collect();
    Ok(Json(json!({ "today": today.to_string(), "items": items })))
}

/// Opens a dossier for a person.
#[derive(Debug, Deserialize, ToSchema)]
pub struct OpenBody {
    /// The person.
    #[serde(default)]
    #[schema(required = true)]
    pub person_id: String,
}

/// Opens a member-development dossier for a person (one each).
#[utoipa::path(post, path = "/api/v1/dossiers", request_body = OpenBody,
    responses((status = 201, body = Created), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn open(
    State(s): State<AppState>,
    who: Who,
    ApiJson(body): ApiJson<OpenBody>,
) -> Result<(StatusCode, Json<Created>), AppError> {
    let id = development::open(&s, &who, &body.person_id, Existing::Refuse).await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

fn evaluation_json(e: &engine::Evaluation) -> Value {
    let next: Vec<&str> = STEPS.iter().filter(|st| e.allows(st.number)).map(|st| st.code).collect();
    let done: Vec<&str> = STEPS.iter().filter(|st| e.is_done(st.number)).map(|st| st.code).collect();
    json!({
        "stage": e.stage,
        "state": e.state,
        "done": done,
        "next_steps": next,
        "deadlines": e.deadlines.iter().map(|d| json!({
            "step": STEPS.get(usize::from(d.step).saturating_sub(1)).map(|st| st.code),
            "rule": d.rule, "due": d.due.to_string(), "kind": d.kind, "overdue": d.overdue,
        })).collect::<Vec<_>>(),
        "findings": e.findings,
    })
}

/// One dossier: its events and what the rules say about it today.
#[utoipa::path(get, path = "/api/v1/dossiers/{id}", params(DossierId), responses((status = 200, body = DossierView), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn show(
    State(s): State<AppState>,
    who: Who,
    Path(id): Path<String>,
) -> Result<Json<Value>, AppError> {
    let (d, e) = development::case(&s, &who, path_id(&id)?).await?;
    Ok(Json(json!({
        "id": d.id, "person_id": d.person_id, "person_name": d.person_name, "org_id": d.org_id,
        "org_name": d.org_name, "backfill": d.backfill, "events": d.dossier.events,
        "evaluation": evaluation_json(&e),
    })))
}

/// A new event.
#[derive(Debug, Deserialize, ToSchema)]
pub struct EventBody {
    /// Kind: a step code (`talk`, `admission_meeting`, …) or `notice`, `objection`,
    /// `objection_resolved`, `filing_ack`, `filing_return`, `transfer`.
    #[serde(default)]
    #[schema(required = true)]
    pub kind: String,
    /// Date of the act (YYYY-MM-DD).
    #[serde(default)]
    #[schema(required = true, format = Date)]
    pub on: String,
    /// The kind's fields by code; values as strings, numbers or booleans.
    #[serde(default)]
    #[schema(value_type = Object)]
    pub fields: HashMap<String, Value>,
    /// The event this one corrects.
    pub corrects: Option<u32>,
    /// Backfill mode: recorded as found, with its findings.
    #[serde(default)]
    pub backfill: bool,
}

/// A field's JSON value as the form would have sent it.
fn text_of(v: &Value) -> String {
    match v {
        Value::String(x) => x.clone(),
        Value::Bool(x) => if *x { "1" } else { "0" }.to_owned(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// The filing event a filing's answer answers (its `filing` field), for the scope check.
fn filing_of(b: &EventBody) -> Option<u32> {
    b.fields.get("filing").and_then(|v| text_of(v).trim().parse().ok())
}

fn read_event(b: &EventBody) -> Result<NewEvent, AppError> {
    let mut errs = ValidationErrors::default();
    let kind = Kind::from_code(&b.kind);
    if kind.is_none() {
        errs.push("kind", Reason::UnknownChoice);
    }
    let on = b.on.trim().parse::<Date>().map_err(|_| errs.push("on", Reason::BadDate)).ok();
    let text: HashMap<&str, String> = b.fields.iter().map(|(k, v)| (k.as_str(), text_of(v))).collect();
    let fields = kind.and_then(|k| match parse_fields(k, |f| text.get(f).map(String::as_str)) {
        Ok(f) => Some(f),
        Err(e) => {
            errs.0.extend(e.0);
            None
        }
    });
    errs.into_result()?;
    match (kind, on, fields) {
        (Some(kind), Some(on), Some(fields)) => {
            Ok(NewEvent { kind, on, fields, corrects: b.corrects, backfill: b.backfill })
        }
        _ => Err(AppError::Invalid(ValidationErrors::default())),
    }
}

/// Records an event, checked by the rule engine: a step that breaks a hard rule is refused
/// (422) with the rule id on the field, unless `backfill` is set. A filing's answer may
/// come from the organisation filed with.
#[utoipa::path(post, path = "/api/v1/dossiers/{id}/events", params(DossierId), request_body = EventBody,
    responses((status = 201, body = EvaluationView), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn record(
    State(s): State<AppState>,
    who: Who,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<EventBody>,
) -> Result<(StatusCode, Json<Value>), AppError> {
    let kind = Kind::from_code(&body.kind);
    let d = development::recordable(&s, &who, path_id(&id)?, kind, filing_of(&body)).await?;
    let new = read_event(&body)?;
    let e = development::record(&s, &who, &d, new).await?;
    Ok((StatusCode::CREATED, Json(evaluation_json(&e))))
}

/// Screening: every dossier in scope judged by the rules as of a day, findings grouped by
/// rule, each group with its count and its first cases (name, branch, stage); filtered by
/// branch, rule and severity as the page is (`development::screening::screening`).
#[utoipa::path(
    get,
    path = "/api/v1/screening",
    params(crate::development::screening::ScreenQuery),
    responses(
        (status = 200, body = ScreeningView, description = "The report: as_of, filter, counts, groups with their cases"),
        (status = 403, body = Problem, content_type = "application/problem+json",
            description = "The organisation or branch is outside the account's reach"),
        (status = 422, body = Problem, content_type = "application/problem+json",
            description = "A bad as_of, rule or severity, the field named"),
    )
)]
pub async fn screening(
    State(s): State<AppState>,
    who: Who,
    ApiQuery(q): ApiQuery<crate::development::screening::ScreenQuery>,
) -> Result<Json<Value>, AppError> {
    use crate::development::screening::{PAGE_KEEP, screening};
    let sc = screening(&s, &who, &q, PAGE_KEEP).await?;
    let groups: Vec<Value> = sc
        .report
        .groups
        .iter()
        .map(|g| {
            let mut v = json!(g);
            let cases: Vec<Value> = g
                .cases
                .iter()
                .map(|c| {
                    let named = sc.cases.get(&c.id);
                    json!({
                        "id": c.id,
                        "name": named.map(|n| n.person_name.as_str()),
                        "org_id": named.map(|n| n.org_id),
                        "branch": named.map(|n| n.org_name.as_str()),
                        "stage": c.stage,
                        "stage_zh": c.stage.zh(),
                        "stage_en": c.stage.en(),
                    })
                })
                .collect();
            v["cases"] = Value::Array(cases);
            v
        })
        .collect();
    Ok(Json(json!({
        "as_of": sc.as_of,
        "org": sc.reach.org().map(|o| o.id),
        "branch": sc.branch.as_ref().map(|b| b.id),
        "rule": Some(sc.filter.rule()).filter(|r| !r.is_empty()),
        "severity": sc.filter.severity(),
        "dossiers": sc.report.dossiers,
        "with_violations": sc.report.with_violations,
        "with_warnings_only": sc.report.with_warnings_only,
        "groups": groups,
        "dues": sc.dues.as_ref().map(|(n, flags)| json!({ "rule": "AUD-31", "count": n, "members": flags })),
    })))
}

/// The public notice board: notices running today (name, organisation, step, period).
#[utoipa::path(get, path = "/api/v1/notices", responses((status = 200, body = NoticeBoard)))]
pub async fn notices(State(s): State<AppState>) -> Result<Json<Value>, AppError> {
    let items = s.store.open_notices(s.clock.today()).await?;
    Ok(Json(json!({ "items": items })))
}

/// The rule catalogue: every rule's id, status, text and source.
#[utoipa::path(get, path = "/api/v1/rules", responses((status = 200, body = RuleCatalogue)))]
pub async fn rules() -> Json<Value> {
    let rules: Vec<Value> = RULES
        .iter()
        .map(|r| json!({"id": r.id, "status": r.status, "zh": r.zh, "en": r.en, "citation": r.citation, "new_in_2014": r.new_in_2014}))
        .collect();
    let checks: Vec<Value> = engine::CHECKS
        .iter()
        .map(|c| json!({"code": c.code, "rule": c.rule, "audit": c.audit, "severity": c.severity, "hard": c.hard, "only_2026": c.only_2026, "zh": c.zh, "en": c.en}))
        .collect();
    Json(json!({ "rules": rules, "checks": checks }))
}
