//! The dues API: the twins of the pages ([`super::pages`]), calling the same
//! [`actions`](super::actions), and the provider's confirmation address.

use super::actions::{self, MemberDues};
use super::pages::{OnlineInput, online_fields};
use super::{SheetQuery, month_of};
use crate::AppState;
use crate::api::json::ApiJson;
use crate::api::query::ApiQuery;
use crate::auth::Who;
use crate::error::AppError;
use crate::scope::{OrgQuery, path_id};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use pioneer_domain::accounts::access::Permission;
use pioneer_domain::dues::payment::{ExcusalInput, PaymentInput, RemittanceInput};
use pioneer_domain::dues::profile::DuesBaseInput;
use serde_json::json;

/// An organisation's monthly run: totals of every member, and the lines (each member's
/// amount with its rule, paid, arrears and AUD-31 findings) of up to 10,000 flagged, 10,000
/// more in arrears and 10,000 others, flagged first; what was collected and remitted, and the
/// year's months.
#[utoipa::path(get, path = "/api/v1/dues", params(SheetQuery), responses((status = 200, body = Object),
    (status = 422, body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn sheet(
    State(s): State<AppState>,
    who: Who,
    ApiQuery(q): ApiQuery<SheetQuery>,
) -> Result<Json<serde_json::Value>, AppError> {
    let org = actions::sheet_org(&s, &who, q.org.as_deref()).await?;
    let month = month_of(q.month.as_deref(), s.clock.today())?;
    let (mut lines, totals) = actions::run(&s, &org, month).await?;
    lines.sort_by_key(|l| (l.standing.findings.is_empty(), l.standing.unpaid_months == 0, l.has_profile));
    let (collected, remitted) = s.store.dues_collected(org.tenant_id, org.id, &org.path, month).await?;
    let year = s.store.dues_year(org.tenant_id, org.id, &org.path, month.year()).await?;
    let year: Vec<_> = year
        .into_iter()
        .map(|(m, c, r, n)| json!({ "month": m, "collected_fen": c, "remitted_fen": r, "payers": n }))
        .collect();
    Ok(Json(json!({ "org": org.id, "month": month.to_string(), "totals": totals, "lines": lines,
        "collected_fen": collected, "remitted_fen": remitted, "year": year })))
}

fn created(body: serde_json::Value) -> Response {
    (StatusCode::CREATED, Json(body)).into_response()
}

/// Sets a member's dues profile from a month on (amounts in yuan); refused by field: a
/// negative or non-numeric base, a reduction or exemption without the upper committee's
/// decision (FEE-007), a farmer's amount outside 0.20–1.00 (FEE-006).
#[utoipa::path(post, path = "/api/v1/dues/profiles", params(OrgQuery), request_body = DuesBaseInput,
    responses((status = 201, body = Object), (status = 422, body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn set_profile(
    State(s): State<AppState>,
    who: Who,
    ApiQuery(q): ApiQuery<OrgQuery>,
    ApiJson(f): ApiJson<DuesBaseInput>,
) -> Result<Response, AppError> {
    let org = actions::write_org(&s, &who, &q).await?;
    actions::set_profile(&s, &who, &org, &f).await?;
    Ok(created(json!({ "saved": true })))
}

/// Records a payment in cash or by transfer with its receipt; refused: a month already
/// paid in full, more than is owed, a negative amount, `online` (only the provider's
/// confirmation records it).
#[utoipa::path(post, path = "/api/v1/dues/payments", params(OrgQuery), request_body = PaymentInput,
    responses((status = 201, body = Object), (status = 422, body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn pay(
    State(s): State<AppState>,
    who: Who,
    ApiQuery(q): ApiQuery<OrgQuery>,
    ApiJson(f): ApiJson<PaymentInput>,
) -> Result<Response, AppError> {
    let org = actions::write_org(&s, &who, &q).await?;
    let id = actions::pay(&s, &who, &org, &f).await?;
    let (_, p) = s.store.dues_payment(id).await?;
    Ok(created(json!({ "id": id, "receipt_no": p.receipt_no, "amount_fen": p.amount_fen })))
}

/// Records a good reason for a month not paid (it no longer counts towards the six months
/// of FEE-010).
#[utoipa::path(post, path = "/api/v1/dues/excusals", params(OrgQuery), request_body = ExcusalInput,
    responses((status = 201, body = Object), (status = 422, body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn excuse(
    State(s): State<AppState>,
    who: Who,
    ApiQuery(q): ApiQuery<OrgQuery>,
    ApiJson(f): ApiJson<ExcusalInput>,
) -> Result<Response, AppError> {
    let org = actions::write_org(&s, &who, &q).await?;
    actions::excuse(&s, &who, &org, &f).await?;
    Ok(created(json!({ "saved": true })))
}

/// Records a remittance of the organisation to the one above; refused beyond what its
/// subtree collected that month less what was remitted.
#[utoipa::path(post, path = "/api/v1/dues/remittances", params(OrgQuery), request_body = RemittanceInput,
    responses((status = 201, body = Object), (status = 422, body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn remit(
    State(s): State<AppState>,
    who: Who,
    ApiQuery(q): ApiQuery<OrgQuery>,
    ApiJson(f): ApiJson<RemittanceInput>,
) -> Result<Response, AppError> {
    let org = actions::write_org(&s, &who, &q).await?;
    let id = actions::remit(&s, &who, &org, &f).await?;
    Ok(created(json!({ "id": id })))
}

/// A member's dues as their secretary sees them.
#[utoipa::path(get, path = "/api/v1/dues/people/{id}", params(("id" = uuid::Uuid, Path, description = "The member")),
    responses((status = 200, body = Object)))]
pub async fn person(
    State(s): State<AppState>,
    who: Who,
    Path(id): Path<String>,
) -> Result<Json<MemberDues>, AppError> {
    let p = s.store.person(path_id(&id)?).await?;
    s.allow(&who, Permission::ReadPeople, &p.org_path).await?;
    Ok(Json(actions::member(&s, p.tenant_id, p.id).await?))
}

/// The signed-in member's own dues (422: the account is no member's).
#[utoipa::path(get, path = "/api/v1/me/dues", responses((status = 200, body = Object),
    (status = 422, body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn mine(State(s): State<AppState>, who: Who) -> Result<Json<MemberDues>, AppError> {
    let (id, tenant, _) = who.member()?;
    Ok(Json(actions::member(&s, tenant, id).await?))
}

/// Opens an online payment of the member's month with the provider: the answer says where
/// to pay. Refused when no provider is configured or the month is paid in full.
#[utoipa::path(post, path = "/api/v1/me/dues/online", request_body = OnlineInput,
    responses((status = 201, body = Object), (status = 422, body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn pay_online(
    State(s): State<AppState>,
    who: Who,
    ApiJson(f): ApiJson<OnlineInput>,
) -> Result<Response, AppError> {
    let (id, _, _) = who.member()?;
    let (month, extra) = online_fields(&f, s.clock.today())?;
    let order = actions::start_online(&s, &who, id, month, extra).await?;
    Ok(created(
        json!({ "order": order.id, "amount_fen": order.amount_fen + order.extra_fen, "pay_url": order.pay_url }),
    ))
}

/// The provider's notification (no account; limited per address): pioneer asks the provider
/// how the order stands and records the payment only when it says paid with the order's
/// amount.
#[utoipa::path(post, path = "/api/v1/dues/orders/{tenant}/{id}/confirm",
    params(("tenant" = uuid::Uuid, Path, description = "The deployment"), ("id" = uuid::Uuid, Path, description = "The order")),
    responses((status = 200, body = Object), (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 503, body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn confirm(
    State(s): State<AppState>,
    Path((tenant, id)): Path<(String, String)>,
) -> Result<Json<serde_json::Value>, AppError> {
    let order = actions::confirm(&s, path_id(&tenant)?, path_id(&id)?).await?;
    Ok(Json(json!({ "order": order.id, "status": order.status, "payment": order.payment_id })))
}
