//! Campaigns and donations in storage: a donation is received once; each distribution takes
//! from it with a conditional update of its `distributed` counter, so what is handed out
//! never passes what was received, even when two are recorded at once.

use crate::error::StoreError;
use crate::journal::{Act, Change, journal_append};
use crate::{Store, db::BeginWrite, on_db};
use pioneer_domain::service::donations::{CampaignFields, DistributionFields, DonationFields};
use pioneer_domain::{FieldError, Reason};
use uuid::Uuid;

/// One donated item in a campaign's public summary.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct DonatedItem {
    /// Money or goods (code).
    pub kind: String,
    /// What.
    pub item: String,
    /// The unit.
    pub unit: String,
    /// Received, in all.
    pub received: i64,
    /// Handed out, in all.
    pub distributed: i64,
    /// Recipients it reached.
    pub recipients: i64,
}

impl Store {
    /// Starts a campaign of organisation `org_id`.
    pub async fn create_campaign(
        &self,
        org_id: Uuid,
        f: &CampaignFields,
        act: &Act,
    ) -> Result<Uuid, StoreError> {
        let org =
            self.org(org_id).await.map_err(|_| FieldError::new("org_id", Reason::UnknownOrganization))?;
        let id = Uuid::now_v7();
        let change = Change::new(
            org.tenant_id,
            "campaign",
            Some(id),
            serde_json::json!({ "org_id": org_id, "name": f.name, "starts_on": f.starts_on.to_string(),
                "ends_on": f.ends_on.map(|d| d.to_string()) }),
        );
        on_db!(self.db(), pool => {
            let mut tx = pool.begin_write().await?;
            sqlx::query(
                "INSERT INTO campaigns (tenant_id, id, org_id, org_path, name, starts_on, ends_on, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            )
            .bind(org.tenant_id).bind(id).bind(org.id).bind(&org.path).bind(&f.name).bind(f.starts_on.to_string())
            .bind(f.ends_on.map(|d| d.to_string())).bind(act.at.as_millisecond())
            .execute(&mut *tx).await?;
            journal_append!(tx, self, act, &change)?;
            tx.commit().await?;
        });
        Ok(id)
    }

    /// Records a donation received by organisation `org_id`, in campaign `campaign` if any.
    pub async fn record_donation(
        &self,
        org_id: Uuid,
        campaign: Option<Uuid>,
        f: &DonationFields,
        act: &Act,
    ) -> Result<Uuid, StoreError> {
        let org =
            self.org(org_id).await.map_err(|_| FieldError::new("org_id", Reason::UnknownOrganization))?;
        let id = Uuid::now_v7();
        let change = Change::new(
            org.tenant_id,
            "donation",
            Some(id),
            serde_json::json!({ "campaign_id": campaign, "donor": f.donor, "kind": f.kind.code(), "item": f.item,
                "unit": f.unit, "quantity": f.quantity, "received_on": f.received_on.to_string() }),
        );
        on_db!(self.db(), pool => {
            let mut tx = pool.begin_write().await?;
            if let Some(c) = campaign {
                let found: Option<Uuid> = sqlx::query_scalar("SELECT id FROM campaigns WHERE tenant_id = $1 AND id = $2")
                    .bind(org.tenant_id).bind(c).fetch_optional(&mut *tx).await?;
                if found.is_none() {
                    return Err(FieldError::new("campaign_id", Reason::UnknownChoice).into());
                }
            }
            sqlx::query(
                "INSERT INTO donations (tenant_id, id, campaign_id, org_id, org_path, donor, kind, item, unit, quantity, \
                 distributed, received_on, recorded_by, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 0, $11, $12, $13)",
            )
            .bind(org.tenant_id).bind(id).bind(campaign).bind(org.id).bind(&org.path).bind(&f.donor).bind(f.kind.code())
            .bind(&f.item).bind(&f.unit).bind(f.quantity).bind(f.received_on.to_string()).bind(&act.actor)
            .bind(act.at.as_millisecond())
            .execute(&mut *tx).await?;
            journal_append!(tx, self, act, &change)?;
            tx.commit().await?;
        });
        Ok(id)
    }

    /// Hands out part of donation `donation_id` to a recipient: refused (nothing written)
    /// when more than what is left.
    pub async fn distribute(
        &self,
        donation_id: Uuid,
        f: &DistributionFields,
        act: &Act,
    ) -> Result<Uuid, StoreError> {
        let tenant: Uuid = on_db!(self.db(), pool => {
            let sql = format!("SELECT tenant_id FROM donations WHERE id = $1{}", crate::tenancy::and_tenant("tenant_id", 2));
            crate::tenancy::bind_tenant!(sqlx::query_scalar(sqlx::AssertSqlSafe(sql)).bind(donation_id)).fetch_optional(pool).await?
        })
        .ok_or(StoreError::NotFound)?;
        let id = Uuid::now_v7();
        let change = Change::new(
            tenant,
            "distribution",
            Some(id),
            serde_json::json!({ "donation_id": donation_id, "recipient": f.recipient, "quantity": f.quantity,
                "on": f.on.to_string(), "receipt": f.receipt }),
        );
        on_db!(self.db(), pool => {
            let mut tx = pool.begin_write().await?;
            let took = sqlx::query(
                "UPDATE donations SET distributed = distributed + $3 WHERE tenant_id = $1 AND id = $2 AND distributed + $3 <= quantity",
            )
            .bind(tenant).bind(donation_id).bind(f.quantity).execute(&mut *tx).await?.rows_affected();
            if took != 1 {
                let left: i64 = sqlx::query_scalar("SELECT quantity - distributed FROM donations WHERE tenant_id = $1 AND id = $2")
                    .bind(tenant).bind(donation_id).fetch_one(&mut *tx).await?;
                return Err(FieldError::new("quantity", Reason::NumberOutOfRange { min: 1, max: left.max(0) }).into());
            }
            sqlx::query(
                "INSERT INTO distributions (tenant_id, id, donation_id, recipient, quantity, given_on, receipt, recorded_by, recorded_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            )
            .bind(tenant).bind(id).bind(donation_id).bind(&f.recipient).bind(f.quantity).bind(f.on.to_string())
            .bind(&f.receipt).bind(&act.actor).bind(act.at.as_millisecond())
            .execute(&mut *tx).await?;
            journal_append!(tx, self, act, &change)?;
            tx.commit().await?;
        });
        Ok(id)
    }

    /// What is left of a donation.
    pub async fn donation_left(&self, donation_id: Uuid) -> Result<i64, StoreError> {
        let left: Option<i64> = on_db!(self.db(), pool => {
            let sql = format!("SELECT quantity - distributed FROM donations WHERE id = $1{}", crate::tenancy::and_tenant("tenant_id", 2));
            crate::tenancy::bind_tenant!(sqlx::query_scalar(sqlx::AssertSqlSafe(sql)).bind(donation_id)).fetch_optional(pool).await?
        });
        left.ok_or(StoreError::NotFound)
    }

    /// A campaign's public summary of donations: per item, received, handed out and how
    /// many recipients it reached.
    pub async fn campaign_donations(
        &self,
        tenant: Uuid,
        campaign: Uuid,
    ) -> Result<Vec<DonatedItem>, StoreError> {
        type Row = (String, String, String, i64, i64, i64);
        let rows: Vec<Row> = on_db!(self.db(), pool => {
            sqlx::query_as(
                "SELECT d.kind, d.item, d.unit, CAST(SUM(d.quantity) AS BIGINT), CAST(SUM(d.distributed) AS BIGINT), \
                 (SELECT COUNT(DISTINCT x.recipient) FROM distributions x JOIN donations y ON y.tenant_id = x.tenant_id \
                  AND y.id = x.donation_id WHERE y.tenant_id = $1 AND y.campaign_id = $2 AND y.item = d.item AND y.unit = d.unit) \
                 FROM donations d WHERE d.tenant_id = $1 AND d.campaign_id = $2 GROUP BY d.kind, d.item, d.unit ORDER BY d.kind, d.item",
            )
            .bind(tenant).bind(campaign).fetch_all(pool).await?
        });
        Ok(rows
            .into_iter()
            .map(|(kind, item, unit, received, distributed, recipients)| DonatedItem {
                kind,
                item,
                unit,
                received,
                distributed,
                recipients,
            })
            .collect())
    }
}
