//! 学分 and 关怀 in storage: each write locks the member's account row, replays the domain
//! ledger's checks (idempotency, caps, balance) on the entries as committed, and writes the
//! entry, the balance (a CHECK keeps it ≥ 0) and, for a redemption, one unit of stock taken
//! only while stock is left — so two simultaneous redemptions of the last item never both
//! succeed. Groundwork for issue 6.

use crate::db::BeginWrite;
use crate::error::StoreError;
use crate::journal::{Act, Change, journal_append};
use crate::{Store, on_db};
use jiff::civil::Date;
use pioneer_domain::ledger::{Applied, EarnRule, Entry, Ledger, What};
use uuid::Uuid;

/// What a ledger write asks for.
#[derive(Debug, Clone)]
pub enum CreditRequest {
    /// Earn under a rule.
    Earn(EarnRule),
    /// Redeem a benefit (its id).
    Redeem(Uuid),
    /// Reverse the entry with this key.
    Reverse(String),
}

type EntryRow = (String, i64, String, String);

fn entry_from(r: EntryRow) -> Result<Entry, StoreError> {
    let (key, amount, what, on) = r;
    Ok(Entry {
        key,
        amount,
        what: serde_json::from_str(&what).map_err(|_| StoreError::Corrupt("credit_entries.what"))?,
        on: on.parse().map_err(|_| StoreError::Corrupt("credit_entries.happened_on"))?,
    })
}

impl Store {
    /// Creates a care benefit offered by `org_id`.
    pub async fn create_benefit(
        &self,
        org_id: Uuid,
        name: &str,
        cost: i64,
        stock: i64,
        act: &Act,
    ) -> Result<Uuid, StoreError> {
        let o = self.placement(org_id).await?;
        let name = pioneer_domain::text::required("name", name, 100)?;
        if cost <= 0 {
            return Err(pioneer_domain::FieldError::new(
                "cost",
                pioneer_domain::Reason::NumberOutOfRange { min: 1, max: i64::MAX },
            )
            .into());
        }
        if stock < 0 {
            return Err(pioneer_domain::FieldError::new(
                "stock",
                pioneer_domain::Reason::NumberOutOfRange { min: 0, max: i64::MAX },
            )
            .into());
        }
        let id = Uuid::now_v7();
        let change = Change {
            tenant_id: o.tenant_id,
            entity: "care_benefit",
            entity_id: Some(id),
            change: serde_json::json!({ "name": name, "cost": cost, "stock": stock }),
        };
        let at = act.at.as_millisecond();
        on_db!(self.db(), pool => {
            let mut tx = pool.begin_write().await?;
            sqlx::query("INSERT INTO care_benefits (id, tenant_id, org_id, name, cost, stock, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)")
                .bind(id).bind(o.tenant_id).bind(o.id).bind(&name).bind(cost).bind(stock).bind(at)
                .execute(&mut *tx).await?;
            journal_append!(tx, act, &change)?;
            tx.commit().await?;
        });
        Ok(id)
    }

    /// The stock left of a benefit.
    pub async fn benefit_stock(&self, id: Uuid) -> Result<i64, StoreError> {
        let n: Option<i64> = on_db!(self.db(), pool => {
            sqlx::query_scalar("SELECT stock FROM care_benefits WHERE id = $1").bind(id).fetch_optional(pool).await?
        });
        n.ok_or(StoreError::NotFound)
    }

    /// The care benefits of a deployment: `(id, name, cost, stock)`.
    pub async fn benefits_of(&self, tenant_id: Uuid) -> Result<Vec<(Uuid, String, i64, i64)>, StoreError> {
        let rows = on_db!(self.db(), pool => {
            sqlx::query_as("SELECT id, name, cost, stock FROM care_benefits WHERE tenant_id = $1 ORDER BY cost, id")
                .bind(tenant_id).fetch_all(pool).await?
        });
        Ok(rows)
    }

    /// A member's entries, oldest first.
    pub async fn credit_entries(&self, member_id: Uuid) -> Result<Vec<Entry>, StoreError> {
        let rows: Vec<EntryRow> = on_db!(self.db(), pool => {
            sqlx::query_as("SELECT idempotency_key, amount, what, happened_on FROM credit_entries WHERE member_id = $1 ORDER BY recorded_at, id")
                .bind(member_id).fetch_all(pool).await?
        });
        rows.into_iter().map(entry_from).collect()
    }

    /// A member's balance as stored (always the sum of the entries).
    pub async fn credit_balance(&self, member_id: Uuid) -> Result<i64, StoreError> {
        let n: Option<i64> = on_db!(self.db(), pool => {
            sqlx::query_scalar("SELECT balance FROM credit_accounts WHERE member_id = $1").bind(member_id).fetch_optional(pool).await?
        });
        Ok(n.unwrap_or(0))
    }

    /// Applies one request under its idempotency key: a new entry, a replay (nothing
    /// written), or a refusal (nothing written).
    pub async fn credit(
        &self,
        member_id: Uuid,
        key: &str,
        request: &CreditRequest,
        on: Date,
        act: &Act,
    ) -> Result<Applied, StoreError> {
        let member = self.person(member_id).await?;
        let at = act.at.as_millisecond();
        on_db!(self.db(), pool => {
            let mut tx = pool.begin_write().await?;
            sqlx::query("INSERT INTO credit_accounts (member_id, tenant_id, balance, version) VALUES ($1, $2, 0, 0) ON CONFLICT DO NOTHING")
                .bind(member_id).bind(member.tenant_id).execute(&mut *tx).await?;
            // Takes the account's row lock: writers for one member go one at a time.
            sqlx::query("UPDATE credit_accounts SET version = version + 1 WHERE member_id = $1")
                .bind(member_id).execute(&mut *tx).await?;
            let rows: Vec<EntryRow> = sqlx::query_as(
                "SELECT idempotency_key, amount, what, happened_on FROM credit_entries WHERE member_id = $1 ORDER BY recorded_at, id",
            )
            .bind(member_id).fetch_all(&mut *tx).await?;
            let entries = rows.into_iter().map(entry_from).collect::<Result<Vec<_>, _>>()?;
            let mut ledger = Ledger::from_entries(entries);
            let cost: Option<i64> = match request {
                CreditRequest::Redeem(b) => {
                    let c: Option<i64> = sqlx::query_scalar("SELECT cost FROM care_benefits WHERE id = $1 AND tenant_id = $2")
                        .bind(b).bind(member.tenant_id).fetch_optional(&mut *tx).await?;
                    Some(c.ok_or(StoreError::NotFound)?)
                }
                _ => None,
            };
            let applied = match request {
                CreditRequest::Earn(rule) => ledger.earn(key, rule, on),
                CreditRequest::Redeem(b) => ledger.redeem(key, &b.to_string(), cost.unwrap_or(0), on),
                CreditRequest::Reverse(of) => ledger.reverse(key, of, on),
            }
            .map_err(StoreError::Ledger)?;
            if let Applied::New(e) = &applied {
                if let (CreditRequest::Redeem(b), What::Redeem { .. }) = (request, &e.what) {
                    let taken = sqlx::query("UPDATE care_benefits SET stock = stock - 1 WHERE id = $1 AND stock > 0")
                        .bind(b).execute(&mut *tx).await?.rows_affected();
                    if taken != 1 {
                        return Err(StoreError::OutOfStock);
                    }
                }
                sqlx::query(
                    "INSERT INTO credit_entries (id, member_id, idempotency_key, amount, what, happened_on, recorded_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7)",
                )
                .bind(Uuid::now_v7()).bind(member_id).bind(&e.key).bind(e.amount)
                .bind(serde_json::to_string(&e.what).map_err(|_| StoreError::Corrupt("credit_entries.what"))?)
                .bind(e.on.to_string()).bind(at)
                .execute(&mut *tx).await?;
                sqlx::query("UPDATE credit_accounts SET balance = balance + $2 WHERE member_id = $1")
                    .bind(member_id).bind(e.amount).execute(&mut *tx).await?;
                let change = Change {
                    tenant_id: member.tenant_id,
                    entity: "credit_entry",
                    entity_id: Some(member_id),
                    change: serde_json::json!({ "key": e.key, "amount": e.amount, "what": e.what, "on": e.on.to_string() }),
                };
                journal_append!(tx, act, &change)?;
            }
            tx.commit().await?;
            Ok(applied)
        })
    }
}
