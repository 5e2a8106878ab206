//! People: the list, a person's page and forms, the roster import and export, leaving,
//! self-service (pages) and `/api/v1/people` (API).

pub mod api;
pub mod departures;
pub mod departures_api;
pub mod me;
pub mod pages;
pub mod roster;

use crate::AppState;
use crate::auth::Who;
use crate::error::AppError;
use pioneer_domain::people::PersonInput;

/// Page size of the people list.
pub const PER_PAGE: u32 = 50;

/// An edit leaves the ID and phone fields empty to keep the stored numbers (they are
/// never sent back to the browser in full).
pub fn keep_sealed(mut input: PersonInput, before: &pioneer_store::people::PersonRecord) -> PersonInput {
    if input.id_card.trim().is_empty() {
        input.id_card = before.fields.id_card.as_str().to_owned();
    }
    if input.phone.trim().is_empty()
        && let Some(p) = &before.fields.phone
    {
        input.phone = p.as_str().to_owned();
    }
    input
}

/// Records that `who` saw `p`'s full numbers.
pub async fn journal_unmask(
    s: &AppState,
    who: &Who,
    p: &pioneer_store::people::PersonRecord,
) -> Result<(), AppError> {
    let change = pioneer_store::journal::Change {
        tenant_id: p.tenant_id,
        entity: "person",
        entity_id: Some(p.id),
        change: serde_json::json!({ "viewed": "unmasked id_card and phone" }),
    };
    s.store.journal_event(&change, &who.act).await?;
    Ok(())
}
