//! The auditor's page: the journal verified end to end, its chain heads to keep
//! elsewhere, and the latest entries (sensitive values appear only as keyed hashes).

use crate::AppState;
use crate::auth::Who;
use crate::error::AppError;
use crate::pages::{Chrome, html};
use askama::Template;
use axum::extract::State;
use axum::response::Response;

#[derive(Template)]
#[template(path = "journal.html")]
struct JournalPage {
    c: Chrome,
    entries: u64,
    chains: u64,
    broken: Option<String>,
    heads: Vec<String>,
    latest: Vec<(String, String, String, String)>,
}

/// What the auditor reads: the journal verified end to end, its chain heads and the latest
/// 50 entries. The page and the API both show this.
struct Audit {
    verified: pioneer_store::journal::Verification,
    heads: Vec<pioneer_store::journal::Head>,
    latest: Vec<pioneer_store::journal::Entry>,
}

async fn audit(s: &AppState) -> Result<Audit, AppError> {
    Ok(Audit {
        verified: s.store.verify_journal(&[]).await?,
        heads: s.store.journal_heads().await?,
        latest: s.store.latest_journal(50).await?,
    })
}

/// `GET /journal`.
pub async fn show(State(s): State<AppState>, c: Chrome, _who: Who) -> Result<Response, AppError> {
    let a = audit(&s).await?;
    let heads = a.heads.iter().map(|h| format!("{}:{}:{}", h.tenant_id, h.seq, h.hash)).collect();
    let latest = a
        .latest
        .into_iter()
        .map(|e| {
            let at = jiff::Timestamp::from_millisecond(e.at)
                .map(|t| t.to_zoned(crate::clock::china()).strftime("%Y-%m-%d %H:%M:%S").to_string())
                .unwrap_or_default();
            (at, e.actor, e.action, e.entity)
        })
        .collect();
    let v = a.verified;
    let page = JournalPage {
        c,
        entries: v.entries,
        chains: v.chains,
        broken: v.broken.map(|b| b.to_string()),
        heads,
        latest,
    };
    Ok(html(page.render()?))
}

/// The journal verified end to end (entries, chains, the first broken link if any), the
/// chain heads to keep elsewhere, and the latest 50 entries: what the auditor's page shows.
#[utoipa::path(get, path = "/api/v1/journal",
    responses((status = 200, body = Object), (status = 401, body = crate::error::Problem, content_type = "application/problem+json"), (status = 403, body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn api(State(s): State<AppState>, _who: Who) -> Result<axum::Json<serde_json::Value>, AppError> {
    let a = audit(&s).await?;
    let heads: Vec<serde_json::Value> = a
        .heads
        .iter()
        .map(|h| serde_json::json!({ "tenant_id": h.tenant_id, "seq": h.seq, "hash": h.hash }))
        .collect();
    let latest: Vec<serde_json::Value> = a
        .latest
        .into_iter()
        .map(|e| serde_json::json!({ "at": e.at, "actor": e.actor, "action": e.action, "entity": e.entity }))
        .collect();
    let v = a.verified;
    Ok(axum::Json(serde_json::json!({
        "entries": v.entries, "chains": v.chains, "broken": v.broken.map(|b| b.to_string()),
        "heads": heads, "latest": latest,
    })))
}
