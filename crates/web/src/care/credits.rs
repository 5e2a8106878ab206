//! 学分送关怀 for the member: the balance, every entry (newest first), and the care
//! benefits to redeem; one the balance does not reach is shown disabled with the shortfall.
//! Redeeming takes two posts of one form, without JavaScript: the first shows a
//! confirmation (the benefit, its cost, the balance after, and how it is picked up: the
//! offering organisation, its address, and the branch secretary's call), the second, with
//! `confirm=1`, redeems. Each form carries its own idempotency key through both steps, so a
//! double tap or a resent form on a weak network redeems once. The member also sees their
//! redemptions and whether each has been fulfilled.

use crate::AppState;
use crate::auth::Who;
use crate::error::AppError;
use crate::pages::{Chrome, html, html_status};
use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use pioneer_domain::accounts::access::Permission;
use pioneer_domain::care::ledger::{Entry, What};
use pioneer_store::StoreError;
use pioneer_store::care::credits::{CareBenefit, CreditRequest, Redemption};
use serde::Deserialize;
use uuid::Uuid;

#[derive(Template)]
#[template(path = "credits.html")]
struct CreditsPage {
    c: Chrome,
    balance: i64,
    entries: Vec<(Entry, String)>,
    benefits: Vec<CareBenefit>,
    redemptions: Vec<Redemption>,
    key: Uuid,
    error: Option<String>,
}

async fn page(s: &AppState, c: Chrome, who: &Who, error: Option<String>) -> Result<CreditsPage, AppError> {
    let Some(person) = who.user.person_id else {
        // An account without a person record has no ledger.
        return Ok(CreditsPage {
            balance: 0,
            entries: Vec::new(),
            benefits: Vec::new(),
            redemptions: Vec::new(),
            key: Uuid::now_v7(),
            error,
            c,
        });
    };
    let p = s.store.person(person).await?;
    let benefits = s.store.benefits_for(p.tenant_id, &p.org_path).await?;
    let mut entries: Vec<(Entry, String)> = s
        .store
        .credit_entries(person)
        .await?
        .into_iter()
        .map(|e| {
            let label = match &e.what {
                What::Earn { source } => c.t.l(source.zh(), source.en()).to_owned(),
                What::Redeem { benefit } => benefits
                    .iter()
                    .find(|b| b.id.to_string() == *benefit)
                    .map_or_else(|| benefit.clone(), |b| b.name.clone()),
                What::Reversal { .. } => c.t.l("冲正", "reversal").to_owned(),
            };
            (e, label)
        })
        .collect();
    // Newest first: by date, and within a day the last recorded first.
    entries.reverse();
    entries.sort_by_key(|(e, _)| std::cmp::Reverse(e.on));
    Ok(CreditsPage {
        balance: s.store.credit_balance(person).await?,
        entries,
        benefits,
        redemptions: s.store.redemptions_of(person).await?,
        key: Uuid::now_v7(),
        error,
        c,
    })
}

/// `GET /me/credits`.
pub async fn show(State(s): State<AppState>, c: Chrome, who: Who) -> Result<Response, AppError> {
    Ok(html(page(&s, c, &who, None).await?.render()?))
}

/// The redemption form: without `confirm` it asks for confirmation, with `confirm=1` it
/// redeems.
#[derive(Debug, Deserialize)]
pub struct RedeemForm {
    #[serde(default)]
    benefit: String,
    #[serde(default)]
    key: String,
    #[serde(default)]
    confirm: String,
}

#[derive(Template)]
#[template(path = "credits_confirm.html")]
struct ConfirmPage {
    c: Chrome,
    benefit: CareBenefit,
    balance: i64,
    after: i64,
    org_name: String,
    address: Option<String>,
    key: String,
}

/// The confirmation step: the benefit, its cost, the balance after and how it is picked
/// up; nothing is written. A benefit out of reach (or out of stock) is refused here as the
/// redemption itself would be, and a form already redeemed goes back to the list.
async fn confirmation(
    s: &AppState,
    c: Chrome,
    who: &Who,
    person: Uuid,
    benefit: Uuid,
    key: &str,
) -> Result<Response, AppError> {
    let p = s.store.person(person).await?;
    let offered = s.store.benefits_for(p.tenant_id, &p.org_path).await?;
    let benefit = offered.into_iter().find(|b| b.id == benefit).ok_or(AppError::NotFound)?;
    let entry_key = format!("redeem-{key}");
    if s.store.credit_entries(person).await?.iter().any(|e| e.key == entry_key) {
        return Ok(Redirect::to("/me/credits").into_response());
    }
    let balance = s.store.credit_balance(person).await?;
    let refusal = if benefit.stock <= 0 {
        Some(c.t.s("out_of_stock").to_owned())
    } else if benefit.cost > balance {
        Some(format!(
            "{}：{} {} {}",
            c.t.l("学分余额不足", "not enough credits"),
            c.t.s("shortfall_before"),
            benefit.cost - balance,
            c.t.s("credits_unit")
        ))
    } else {
        None
    };
    if let Some(msg) = refusal {
        let p = page(s, c, who, Some(msg)).await?;
        return Ok(html_status(StatusCode::UNPROCESSABLE_ENTITY, p.render()?));
    }
    let org = s.store.org(benefit.org_id).await?;
    let page = ConfirmPage {
        balance,
        after: balance - benefit.cost,
        org_name: org.fields.name,
        address: org.fields.address,
        key: key.to_owned(),
        benefit,
        c,
    };
    Ok(html(page.render()?))
}

/// `POST /me/credits`: asks for confirmation, then (with `confirm=1`) redeems a benefit
/// once per form.
pub async fn redeem(
    State(s): State<AppState>,
    c: Chrome,
    who: Who,
    Form(f): Form<RedeemForm>,
) -> Result<Response, AppError> {
    if !who.user.can(Permission::WriteSelf) {
        return Err(AppError::Forbidden);
    }
    let key = f.key.trim();
    let Some(person) = who.user.person_id else {
        let p = page(&s, c, &who, Some("?".into())).await?;
        return Ok(html_status(StatusCode::UNPROCESSABLE_ENTITY, p.render()?));
    };
    let key_ok = super::form_key_ok(key);
    let (Ok(benefit), true) = (Uuid::try_parse(f.benefit.trim()), key_ok) else {
        let p = page(&s, c, &who, Some("?".into())).await?;
        return Ok(html_status(StatusCode::UNPROCESSABLE_ENTITY, p.render()?));
    };
    if f.confirm.trim() != "1" {
        return confirmation(&s, c, &who, person, benefit, key).await;
    }
    let result = s
        .store
        .credit(person, &format!("redeem-{key}"), &CreditRequest::Redeem(benefit), s.clock.today(), &who.act)
        .await;
    match result {
        Ok(_) => Ok(Redirect::to("/me/credits").into_response()),
        Err(StoreError::NotFound) => Err(AppError::NotFound),
        Err(
            e @ (StoreError::Ledger(_)
            | StoreError::OutOfStock
            | StoreError::OverBudget
            | StoreError::Contention),
        ) => {
            let msg = match AppError::from(e) {
                AppError::Invalid(v) => v.0.first().map(|f| c.t.reason(f)).unwrap_or_default(),
                _ => String::new(),
            };
            let p = page(&s, c, &who, Some(msg)).await?;
            Ok(html_status(StatusCode::UNPROCESSABLE_ENTITY, p.render()?))
        }
        Err(e) => Err(e.into()),
    }
}
