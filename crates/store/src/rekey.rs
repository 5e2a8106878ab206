//! Re-sealing every stored ID and phone number under the current data key after a
//! rotation, in batches, while the server keeps running: each row is swapped only if it
//! was not edited since it was read (an edit in between wins; the next run re-seals it).

use crate::db::BeginWrite;
use crate::error::StoreError;
use crate::journal::{Act, Change, journal_append};
use crate::vault::Vault;
use crate::{Store, on_db};
use std::collections::BTreeMap;
use uuid::Uuid;

const BATCH: i64 = 1_000;

type Row = (Uuid, Uuid, Vec<u8>, Option<Vec<u8>>, i64);

impl Store {
    /// Re-seals every value not under the current key; returns how many rows changed.
    pub async fn reseal_all(&self, act: &Act) -> Result<u64, StoreError> {
        let current = self.vault().current_version();
        let mut after = Uuid::nil();
        let mut changed = 0u64;
        loop {
            let rows: Vec<Row> = on_db!(self.db(), pool => {
                sqlx::query_as("SELECT id, tenant_id, id_card_enc, phone_enc, updated_at FROM people WHERE id > $1 ORDER BY id LIMIT $2")
                    .bind(after)
                    .bind(BATCH)
                    .fetch_all(pool)
                    .await?
            });
            let Some(last) = rows.last() else { break };
            after = last.0;
            let stale: Vec<&Row> = rows
                .iter()
                .filter(|(_, _, id, phone, _)| {
                    Vault::version_of(id) != Some(current)
                        || phone.as_ref().is_some_and(|p| Vault::version_of(p) != Some(current))
                })
                .collect();
            if stale.is_empty() {
                continue;
            }
            let mut resealed = Vec::with_capacity(stale.len());
            for (id, tenant, id_enc, phone_enc, updated_at) in &stale {
                let id_plain = self
                    .vault()
                    .open("id_card", id_enc)
                    .map_err(|_| StoreError::Corrupt("people.id_card"))?;
                let phone_new = match phone_enc {
                    Some(p) => Some(self.vault().seal(
                        "phone",
                        &self.vault().open("phone", p).map_err(|_| StoreError::Corrupt("people.phone"))?,
                    )),
                    None => None,
                };
                resealed.push((
                    *id,
                    *tenant,
                    *updated_at,
                    self.vault().seal("id_card", &id_plain),
                    phone_new,
                ));
            }
            changed += on_db!(self.db(), pool => {
                let mut tx = pool.begin_write().await?;
                let mut n = 0u64;
                let mut per_tenant: BTreeMap<Uuid, Vec<Uuid>> = BTreeMap::new();
                for (id, tenant, updated_at, id_enc, phone_enc) in &resealed {
                    let done = sqlx::query(
                        "UPDATE people SET id_card_enc = $2, phone_enc = COALESCE($3, phone_enc) WHERE id = $1 AND updated_at = $4",
                    )
                    .bind(id)
                    .bind(id_enc)
                    .bind(phone_enc)
                    .bind(updated_at)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                    n += done;
                    if done > 0 {
                        per_tenant.entry(*tenant).or_default().push(*id);
                    }
                }
                for (tenant, ids) in per_tenant {
                    let change = Change {
                        tenant_id: tenant,
                        entity: "key_rotation",
                        entity_id: None,
                        change: serde_json::json!({ "resealed_rows": ids.len(), "key_version": current }),
                        rows: ids.iter().map(|id| ("people", *id)).collect(),
                    };
                    journal_append!(tx, self, act, &change)?;
                }
                tx.commit().await?;
                n
            });
        }
        Ok(changed)
    }
}
