//! Course images in storage: the bytes of each uploaded image with its type, its SHA-256
//! and who uploaded it for which organisation (journaled without the bytes).

use crate::error::StoreError;
use crate::journal::{Act, Change, journal_append};
use crate::{Store, db::BeginWrite, on_db};
use pioneer_domain::study::images::{self, ImageKind};
use sha2::{Digest, Sha256};
use uuid::Uuid;

/// A stored image.
#[derive(Debug, Clone)]
pub struct StoredImage {
    /// Its deployment.
    pub tenant_id: Uuid,
    /// Its kind.
    pub kind: ImageKind,
    /// The bytes.
    pub bytes: Vec<u8>,
}

impl Store {
    /// Checks and stores an image uploaded for `org_id`'s courses; refused by field (type,
    /// size), nothing written.
    pub async fn save_image(&self, org_id: Uuid, bytes: &[u8], act: &Act) -> Result<Uuid, StoreError> {
        let kind = images::check(bytes)?;
        let o = self.placement(org_id).await?;
        let id = Uuid::now_v7();
        let sha = hex::encode(Sha256::digest(bytes));
        let change = Change {
            tenant_id: o.tenant_id,
            entity: "image",
            entity_id: Some(id),
            change: serde_json::json!({ "org_id": o.id, "type": kind.content_type(), "bytes": bytes.len(), "sha256": sha }),
            rows: Vec::new(),
        };
        let at = act.at.as_millisecond();
        on_db!(self.db(), pool => {
            let mut tx = pool.begin_write().await?;
            sqlx::query("INSERT INTO images (id, tenant_id, org_id, content_type, bytes, sha256, uploaded_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
                .bind(id).bind(o.tenant_id).bind(o.id).bind(kind.content_type()).bind(bytes).bind(&sha).bind(&act.actor).bind(at)
                .execute(&mut *tx).await?;
            journal_append!(tx, self, act, &change)?;
            tx.commit().await?;
        });
        Ok(id)
    }

    /// A stored image.
    pub async fn image(&self, id: Uuid) -> Result<StoredImage, StoreError> {
        let row: Option<(Uuid, String, Vec<u8>)> = on_db!(self.db(), pool => {
            sqlx::query_as("SELECT tenant_id, content_type, bytes FROM images WHERE id = $1").bind(id).fetch_optional(pool).await?
        });
        let (tenant_id, t, bytes) = row.ok_or(StoreError::NotFound)?;
        let kind = ImageKind::from_content_type(&t).ok_or(StoreError::Corrupt("images.content_type"))?;
        Ok(StoredImage { tenant_id, kind, bytes })
    }
}
