//! The online payment provider's client (docs/DUES.md): `POST {base}/orders` opens an order
//! and answers where the member pays; `GET {base}/orders/{id}` says how it stands. An
//! online payment is recorded only when that answer says paid, whoever called pioneer's
//! confirmation address: a notification cannot forge a payment.

use crate::service::outbox::{Endpoint, exchange};
use pioneer_store::dues::OrderRecord;
use serde::Deserialize;
use uuid::Uuid;

/// How the provider says an order stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    /// Not paid yet.
    Pending,
    /// Paid: the amount in fen, the provider's reference and the day.
    Paid {
        /// Fen.
        amount_fen: i64,
        /// The provider's reference.
        reference: String,
        /// Paid on.
        paid_on: jiff::civil::Date,
    },
    /// Abandoned or refused.
    Failed,
}

#[derive(Deserialize)]
struct Opened {
    pay_url: String,
}

#[derive(Deserialize)]
struct Answer {
    status: String,
    #[serde(default)]
    amount_fen: i64,
    #[serde(default)]
    reference: String,
    #[serde(default)]
    paid_on: String,
}

/// Opens an order with the provider; its answer is where the member pays.
pub async fn open(to: &Endpoint, order: &OrderRecord) -> Result<String, String> {
    let body = serde_json::json!({
        "order_id": order.id,
        "amount_fen": order.amount_fen + order.extra_fen,
        "subject": format!("党费 {}", order.month),
        "notify_path": format!("/api/v1/dues/orders/{}/{}/confirm", order.tenant_id, order.id),
    })
    .to_string();
    let (status, bytes) = exchange(to, "POST", "/orders", Some((body, order.id.to_string()))).await?;
    if !(200..300).contains(&status) {
        return Err(format!("the provider answered {status}"));
    }
    let o: Opened = serde_json::from_slice(&bytes).map_err(|e| e.to_string())?;
    if !(o.pay_url.starts_with("https://") || o.pay_url.starts_with("http://")) {
        return Err("the provider's pay_url is not a web address".into());
    }
    Ok(o.pay_url)
}

/// How an order stands at the provider.
pub async fn status(to: &Endpoint, id: Uuid) -> Result<Status, String> {
    let (code, bytes) = exchange(to, "GET", &format!("/orders/{id}"), None).await?;
    if !(200..300).contains(&code) {
        return Err(format!("the provider answered {code}"));
    }
    let a: Answer = serde_json::from_slice(&bytes).map_err(|e| e.to_string())?;
    match a.status.as_str() {
        "paid" => {
            let paid_on = a.paid_on.parse().map_err(|_| "the provider's paid_on is not a date".to_owned())?;
            if a.reference.trim().is_empty() || a.amount_fen <= 0 {
                return Err("the provider's confirmation lacks its reference or amount".into());
            }
            Ok(Status::Paid { amount_fen: a.amount_fen, reference: a.reference, paid_on })
        }
        "failed" | "closed" => Ok(Status::Failed),
        _ => Ok(Status::Pending),
    }
}
