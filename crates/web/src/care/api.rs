//! `/api/v1/care` and `/api/v1/me/credits`: care administration and a member's credits as
//! JSON, through the same scope checks and store functions as the pages (`care::admin`,
//! `care::credits`).

use crate::AppState;
use crate::api::json::ApiJson;
use crate::api::query::ApiQuery;
use crate::auth::Who;
use crate::error::AppError;
use crate::scope::{OrgQuery, path_id, scope_org};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use pioneer_domain::accounts::access::Permission;
use pioneer_domain::care::ledger::{CreditRules, Source};
use pioneer_store::care::credits::{CreditRequest, NewCareBenefit};
use pioneer_store::orgs::OrgRecord;
use serde::Deserialize;
use serde_json::{Value, json};
use utoipa::ToSchema;

async fn org(s: &AppState, who: &Who, q: &OrgQuery) -> Result<OrgRecord, AppError> {
    scope_org(s, who, Permission::ManageCare, q.org.as_deref()).await?.ok_or(AppError::NotFound)
}

/// The care of an organisation: the benefits offered in its subtree, their redemptions (open
/// first, phones masked) and the credit rules in force, its own and the most allowed above.
#[utoipa::path(get, path = "/api/v1/care", params(crate::development::api::OrgParam),
    responses((status = 200, body = Object), (status = 401, body = crate::error::Problem, content_type = "application/problem+json"), (status = 403, body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn show(
    State(s): State<AppState>,
    who: Who,
    ApiQuery(q): ApiQuery<OrgQuery>,
) -> Result<Json<Value>, AppError> {
    let org = org(&s, &who, &q).await?;
    let tree = s.store.rules_tree(org.tenant_id).await?;
    Ok(Json(json!({
        "benefits": s.store.benefits_offered_in(org.tenant_id, &org.path).await?,
        "redemptions": s.store.redemptions(org.tenant_id, &org.path).await?,
        "rules": { "in_force": tree.at(&org.path), "own": tree.own(org.id), "above": tree.above(org.id, &org.path) },
    })))
}

/// A new care benefit.
#[derive(Debug, Deserialize, ToSchema)]
pub struct BenefitBody {
    /// Name (1–100 characters).
    pub name: String,
    /// Credits per unit (1–100,000).
    pub cost: i64,
    /// Units in stock (0–1,000,000).
    pub stock: i64,
    /// Price of one unit in yuan (0 when donated).
    #[serde(default)]
    pub price: i64,
    /// Budget in yuan.
    #[serde(default)]
    pub budget: i64,
}

/// Adds a benefit offered to the members of the organisation's subtree.
#[utoipa::path(post, path = "/api/v1/care/benefits", params(crate::development::api::OrgParam), request_body = BenefitBody,
    responses((status = 201, body = Object), (status = 403, body = crate::error::Problem, content_type = "application/problem+json"), (status = 422, body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn add_benefit(
    State(s): State<AppState>,
    who: Who,
    ApiQuery(q): ApiQuery<OrgQuery>,
    ApiJson(b): ApiJson<BenefitBody>,
) -> Result<Response, AppError> {
    let org = org(&s, &who, &q).await?;
    let new =
        NewCareBenefit { name: &b.name, cost: b.cost, stock: b.stock, price: b.price, budget: b.budget };
    let id = s.store.create_benefit(org.id, &new, &who.act).await?;
    Ok((StatusCode::CREATED, Json(json!({ "id": id }))).into_response())
}

/// One source's amount and caps (0: no cap).
#[derive(Debug, Deserialize, ToSchema)]
pub struct RuleBody {
    /// Credits per event (1–1000).
    pub amount: i64,
    /// Most a day (0: no cap).
    pub daily_cap: i64,
    /// Most a week (0: no cap).
    pub weekly_cap: i64,
}

/// An organisation's own credit rules, one per source.
#[derive(Debug, Deserialize, ToSchema)]
pub struct RulesBody {
    /// A completed course.
    pub study: RuleBody,
    /// A submitted weekly quiz.
    pub quiz: RuleBody,
    /// Attending a meeting.
    pub meeting: RuleBody,
    /// Volunteer service.
    pub volunteer: RuleBody,
}

/// Sets the organisation's own credit rules: below the root, within what the organisations
/// above allow (a wider value is refused by field, nothing written).
#[utoipa::path(put, path = "/api/v1/care/rules", params(crate::development::api::OrgParam), request_body = RulesBody,
    responses((status = 200, body = Object), (status = 403, body = crate::error::Problem, content_type = "application/problem+json"), (status = 422, body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn set_rules(
    State(s): State<AppState>,
    who: Who,
    ApiQuery(q): ApiQuery<OrgQuery>,
    ApiJson(b): ApiJson<RulesBody>,
) -> Result<Json<Value>, AppError> {
    let org = org(&s, &who, &q).await?;
    let mut form = Vec::new();
    for (source, r) in [
        (Source::Study, &b.study),
        (Source::Quiz, &b.quiz),
        (Source::Meeting, &b.meeting),
        (Source::Volunteer, &b.volunteer),
    ] {
        let [a, d, w] = CreditRules::fields(source);
        form.extend(
            [(a, r.amount), (d, r.daily_cap), (w, r.weekly_cap)].map(|(k, v)| (k.to_owned(), v.to_string())),
        );
    }
    let rules = CreditRules::from_form(&form)?;
    s.store.set_credit_rules(org.id, &rules, &who.act).await?;
    Ok(Json(json!({ "in_force": s.store.credit_rules_at(org.tenant_id, &org.path).await? })))
}

/// Removes the organisation's own credit rules, so those above apply again.
#[utoipa::path(delete, path = "/api/v1/care/rules", params(crate::development::api::OrgParam),
    responses((status = 200, body = Object), (status = 403, body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn clear_rules(
    State(s): State<AppState>,
    who: Who,
    ApiQuery(q): ApiQuery<OrgQuery>,
) -> Result<Json<Value>, AppError> {
    let org = org(&s, &who, &q).await?;
    let removed = s.store.clear_credit_rules(org.id, &who.act).await?;
    Ok(Json(
        json!({ "removed": removed, "in_force": s.store.credit_rules_at(org.tenant_id, &org.path).await? }),
    ))
}

/// Marks a redemption of a benefit offered in the organisation's subtree fulfilled.
#[utoipa::path(post, path = "/api/v1/care/redemptions/{id}/fulfil",
    params(("id" = uuid::Uuid, Path, description = "The redemption"), crate::development::api::OrgParam),
    responses((status = 200, body = Object), (status = 403, body = crate::error::Problem, content_type = "application/problem+json"), (status = 404, body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn fulfil(
    State(s): State<AppState>,
    who: Who,
    Path(id): Path<String>,
    ApiQuery(q): ApiQuery<OrgQuery>,
) -> Result<Json<Value>, AppError> {
    let org = org(&s, &who, &q).await?;
    let changed = s.store.fulfil_redemption(org.tenant_id, &org.path, path_id(&id)?, &who.act).await?;
    Ok(Json(json!({ "fulfilled": true, "changed": changed })))
}

/// The signed-in member's credits: the balance, the entries newest first, the benefits
/// offered to them (by their organisation and those above) and their redemptions.
#[utoipa::path(get, path = "/api/v1/me/credits",
    responses((status = 200, body = Object), (status = 401, body = crate::error::Problem, content_type = "application/problem+json"), (status = 403, body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn mine(State(s): State<AppState>, who: Who) -> Result<Json<Value>, AppError> {
    let Some(person) = who.user.person_id else {
        // An account without a person record has no ledger, as on the page.
        return Ok(Json(json!({ "balance": 0, "entries": [], "benefits": [], "redemptions": [] })));
    };
    let p = s.store.person(person).await?;
    let mut entries = s.store.credit_entries(person).await?;
    entries.reverse();
    entries.sort_by_key(|e| std::cmp::Reverse(e.on));
    Ok(Json(json!({
        "balance": s.store.credit_balance(person).await?,
        "entries": entries,
        "benefits": s.store.benefits_for(p.tenant_id, &p.org_path).await?,
        "redemptions": s.store.redemptions_of(person).await?,
    })))
}

/// A redemption: the benefit and the client's own key (a resent request redeems once).
#[derive(Debug, Deserialize, ToSchema)]
pub struct RedeemBody {
    /// The benefit's id.
    pub benefit: uuid::Uuid,
    /// The request's own key (1–80 letters, digits or '-').
    pub key: String,
}

/// Redeems a benefit offered to the member, once per key; refused (422) beyond the balance,
/// out of stock or over budget, nothing written.
#[utoipa::path(post, path = "/api/v1/me/credits/redeem", request_body = RedeemBody,
    responses((status = 201, body = Object), (status = 404, body = crate::error::Problem, content_type = "application/problem+json"), (status = 422, body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn redeem(
    State(s): State<AppState>,
    who: Who,
    ApiJson(b): ApiJson<RedeemBody>,
) -> Result<Response, AppError> {
    let Some(person) = who.user.person_id else { return Err(AppError::NotFound) };
    let key = b.key.trim();
    if !super::form_key_ok(key) {
        return Err(AppError::field("key", pioneer_domain::Reason::Required));
    }
    // The store finds only a benefit of the member's organisation or one above it (404).
    let applied = s
        .store
        .credit(
            person,
            &format!("redeem-{key}"),
            &CreditRequest::Redeem(b.benefit),
            s.clock.today(),
            &who.act,
        )
        .await?;
    let entry = match applied {
        pioneer_domain::care::ledger::Applied::New(e)
        | pioneer_domain::care::ledger::Applied::Replayed(e) => e,
    };
    Ok((
        StatusCode::CREATED,
        Json(json!({ "entry": entry, "balance": s.store.credit_balance(person).await? })),
    )
        .into_response())
}
