//! 学分送关怀 for the member: the balance, every entry, and the care benefits to redeem.
//! Each redemption form carries its own idempotency key, so a double tap or a resent form
//! on a weak network redeems once. The member also sees their redemptions and whether each
//! has been fulfilled.

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
    let benefits = s.store.benefits_of(p.tenant_id).await?;
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
    entries.reverse();
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

/// The redemption form.
#[derive(Debug, Deserialize)]
pub struct RedeemForm {
    #[serde(default)]
    benefit: String,
    #[serde(default)]
    key: String,
}

/// `POST /me/credits`: redeems a benefit once per form.
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
    let key_ok =
        !key.is_empty() && key.len() <= 80 && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
    let (Ok(benefit), true) = (Uuid::try_parse(f.benefit.trim()), key_ok) else {
        let p = page(&s, c, &who, Some("?".into())).await?;
        return Ok(html_status(StatusCode::UNPROCESSABLE_ENTITY, p.render()?));
    };
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
