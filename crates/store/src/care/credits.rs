//! 学分 and 关怀 in storage: each write locks the member's account row, replays the domain
//! ledger's checks (idempotency, caps, balance) on the entries as committed, and writes the
//! entry, the balance (a CHECK keeps it ≥ 0) and, for a redemption, one unit of stock taken
//! only while stock is left — so two simultaneous redemptions of the last item never both
//! succeed. A redemption also takes the unit's price from the benefit's budget and opens a
//! request an organisation admin fulfils. `earn_in_tx!` earns inside another write (a
//! meeting's attendance, a quiz, a completed course) under the deployment's credit rules.

use crate::db::BeginWrite;
use crate::error::StoreError;
use crate::journal::{Act, Change, journal_append};
use crate::{Store, on_db};
use jiff::civil::Date;
use pioneer_domain::care::ledger::{Applied, EarnRule, Entry, What};
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

pub(crate) fn entry_from(r: EntryRow) -> Result<Entry, StoreError> {
    let (key, amount, what, on) = r;
    Ok(Entry {
        key,
        amount,
        what: serde_json::from_str(&what).map_err(|_| StoreError::Corrupt("credit_entries.what"))?,
        on: on.parse().map_err(|_| StoreError::Corrupt("credit_entries.happened_on"))?,
    })
}

/// Inside the open transaction `tx`: creates `member`'s account if missing, takes its row
/// lock (writers for one member go one at a time) and evaluates to the member's ledger as
/// committed.
macro_rules! locked_ledger {
    ($tx:ident, $member:expr, $tenant:expr) => {{
        let (member, tenant): (uuid::Uuid, uuid::Uuid) = ($member, $tenant);
        sqlx::query("INSERT INTO credit_accounts (member_id, tenant_id, balance, version) VALUES ($1, $2, 0, 0) ON CONFLICT DO NOTHING")
            .bind(member).bind(tenant).execute(&mut *$tx).await?;
        sqlx::query("UPDATE credit_accounts SET version = version + 1 WHERE tenant_id = $2 AND member_id = $1")
            .bind(member).bind(tenant).execute(&mut *$tx).await?;
        let rows: Vec<(String, i64, String, String)> = sqlx::query_as(
            "SELECT idempotency_key, amount, what, happened_on FROM credit_entries WHERE tenant_id = $2 AND member_id = $1 \
             ORDER BY recorded_at, id",
        )
        .bind(member).bind(tenant).fetch_all(&mut *$tx).await?;
        let entries = rows.into_iter().map($crate::care::credits::entry_from).collect::<Result<Vec<_>, _>>()?;
        pioneer_domain::care::ledger::Ledger::from_entries(entries)
    }};
}
pub(crate) use locked_ledger;

/// Inside the open transaction `tx`: writes a new entry of `member` and moves the balance;
/// evaluates to the entry's id.
macro_rules! write_entry {
    ($tx:ident, $member:expr, $tenant:expr, $entry:expr, $at:expr) => {{
        let (member, tenant, e, at): (uuid::Uuid, uuid::Uuid, &pioneer_domain::care::ledger::Entry, i64) =
            ($member, $tenant, $entry, $at);
        let entry_id = uuid::Uuid::now_v7();
        sqlx::query(
            "INSERT INTO credit_entries (id, member_id, idempotency_key, amount, what, happened_on, recorded_at, tenant_id) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(entry_id).bind(member).bind(&e.key).bind(e.amount)
        .bind(serde_json::to_string(&e.what).map_err(|_| $crate::StoreError::Corrupt("credit_entries.what"))?)
        .bind(e.on.to_string()).bind(at).bind(tenant)
        .execute(&mut *$tx).await?;
        sqlx::query("UPDATE credit_accounts SET balance = balance + $2 WHERE tenant_id = $3 AND member_id = $1")
            .bind(member).bind(e.amount).bind(tenant).execute(&mut *$tx).await?;
        entry_id
    }};
}
pub(crate) use write_entry;

/// Earns under `rule` for `member` inside the open transaction `tx`: the account row is
/// locked, the entries replayed, the entry and the balance written. Evaluates to the new
/// entry and its id, or `None` when the key was seen before or the cap leaves nothing
/// (earning is never an error for the act that earns). The caller journals (naming the
/// account and the entry as rows it wrote).
macro_rules! earn_in_tx {
    ($tx:ident, $member:expr, $tenant:expr, $key:expr, $rule:expr, $on:expr, $at:expr) => {{
        let (member, key, rule, on, at): (
            uuid::Uuid,
            &str,
            &pioneer_domain::care::ledger::EarnRule,
            jiff::civil::Date,
            i64,
        ) = ($member, $key, $rule, $on, $at);
        let mut ledger = $crate::care::credits::locked_ledger!($tx, member, $tenant);
        match ledger.earn(key, rule, on) {
            Ok(pioneer_domain::care::ledger::Applied::New(e)) => {
                let id = $crate::care::credits::write_entry!($tx, member, $tenant, &e, at);
                Some((e, id))
            }
            _ => None,
        }
    }};
}
pub(crate) use earn_in_tx;

/// A care benefit in the catalogue.
#[derive(Debug, Clone, serde::Serialize)]
pub struct CareBenefit {
    /// Id.
    pub id: Uuid,
    /// The organisation offering it (to the members of its subtree).
    pub org_id: Uuid,
    /// That organisation's path.
    pub org_path: String,
    /// Name.
    pub name: String,
    /// Credits per unit.
    pub cost: i64,
    /// Units left.
    pub stock: i64,
    /// Price of one unit (yuan).
    pub price: i64,
    /// Budget left (yuan).
    pub budget: i64,
}

/// A redemption waiting for (or given) fulfilment.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Redemption {
    /// Id.
    pub id: Uuid,
    /// The benefit's name.
    pub benefit: String,
    /// The member.
    pub member_id: Uuid,
    /// The member's name.
    pub member: String,
    /// The member's organisation path.
    pub member_path: String,
    /// The member's station (站点), empty when not recorded.
    pub station: String,
    /// The member's phone, masked (138****5678): a list never carries the full number.
    pub phone_masked: Option<String>,
    /// Requested (ms).
    pub requested_at: i64,
    /// Fulfilled (ms), and by whom.
    pub fulfilled: Option<(i64, String)>,
}

/// A new benefit's fields.
#[derive(Debug, Clone)]
pub struct NewCareBenefit<'a> {
    /// Name.
    pub name: &'a str,
    /// Credits per unit.
    pub cost: i64,
    /// Units in stock.
    pub stock: i64,
    /// Price of one unit (yuan; 0 when donated).
    pub price: i64,
    /// Budget (yuan).
    pub budget: i64,
}

fn out_of_range(field: &'static str, min: i64, max: i64) -> StoreError {
    pioneer_domain::FieldError::new(field, pioneer_domain::Reason::NumberOutOfRange { min, max }).into()
}

/// A benefit as read: id, organisation, its path, name, cost, stock, price, budget.
type BenefitRow = (Uuid, Uuid, String, String, i64, i64, i64, i64);

/// A redemption as read: id, benefit, member, member's name, path, station and sealed
/// phone, requested, fulfilled.
type RedemptionRow =
    (Uuid, String, Uuid, String, String, Option<String>, Option<Vec<u8>>, i64, Option<i64>, Option<String>);

/// The redemption query with its filter and order.
macro_rules! redemption_sql {
    ($tail:literal) => {
        concat!(
            "SELECT r.id, b.name, r.member_id, p.name, p.org_path, p.station, p.phone_enc, r.requested_at, r.fulfilled_at, r.fulfilled_by \
             FROM care_redemptions r JOIN care_benefits b ON b.tenant_id = r.tenant_id AND b.id = r.benefit_id JOIN people p ON p.tenant_id = r.tenant_id AND p.id = r.member_id ",
            $tail
        )
    };
}

fn redemption_from(vault: &crate::Vault, row: RedemptionRow) -> Result<Redemption, StoreError> {
    let (id, benefit, member_id, member, member_path, station, phone, requested_at, at, by) = row;
    let phone_masked = match phone {
        Some(sealed) => {
            let plain = vault.open("phone", &sealed).map_err(|_| StoreError::Corrupt("people.phone"))?;
            let phone = pioneer_domain::people::phone::PhoneNumber::parse("phone", &plain)
                .map_err(|_| StoreError::Corrupt("people.phone"))?;
            Some(phone.masked())
        }
        None => None,
    };
    Ok(Redemption {
        id,
        benefit,
        member_id,
        member,
        member_path,
        station: station.unwrap_or_default(),
        phone_masked,
        requested_at,
        fulfilled: at.zip(by),
    })
}

impl Store {
    /// Creates a care benefit offered by `org_id`.
    pub async fn create_benefit(
        &self,
        org_id: Uuid,
        b: &NewCareBenefit<'_>,
        act: &Act,
    ) -> Result<Uuid, StoreError> {
        let o = self.placement(org_id).await?;
        let name = pioneer_domain::text::required("name", b.name, 100)?;
        let (cost, stock, price, budget) = (b.cost, b.stock, b.price, b.budget);
        if !(1..=100_000).contains(&cost) {
            return Err(out_of_range("cost", 1, 100_000));
        }
        if !(0..=1_000_000).contains(&stock) {
            return Err(out_of_range("stock", 0, 1_000_000));
        }
        if !(0..=1_000_000).contains(&price) {
            return Err(out_of_range("price", 0, 1_000_000));
        }
        if !(0..=100_000_000).contains(&budget) {
            return Err(out_of_range("budget", 0, 100_000_000));
        }
        let id = Uuid::now_v7();
        let change = Change {
            tenant_id: o.tenant_id,
            entity: "care_benefit",
            entity_id: Some(id),
            change: serde_json::json!({ "name": name, "cost": cost, "stock": stock, "price": price, "budget": budget }),
            rows: vec![("care_benefits", id)],
        };
        let at = act.at.as_millisecond();
        on_db!(self.db(), pool => {
            let mut tx = pool.begin_write().await?;
            sqlx::query("INSERT INTO care_benefits (id, tenant_id, org_id, name, cost, stock, created_at, price, budget, initial_stock) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $6)")
                .bind(id).bind(o.tenant_id).bind(o.id).bind(&name).bind(cost).bind(stock).bind(at).bind(price).bind(budget)
                .execute(&mut *tx).await?;
            journal_append!(tx, self, act, &change)?;
            tx.commit().await?;
        });
        Ok(id)
    }

    /// The stock left of a benefit.
    pub async fn benefit_stock(&self, id: Uuid) -> Result<i64, StoreError> {
        let n: Option<i64> = on_db!(self.db(), pool => {
            let sql = format!("SELECT stock FROM care_benefits WHERE id = $1{}", crate::tenancy::and_tenant("tenant_id", 2));
            crate::tenancy::bind_tenant!(sqlx::query_scalar(sqlx::AssertSqlSafe(sql)).bind(id)).fetch_optional(pool).await?
        });
        n.ok_or(StoreError::NotFound)
    }

    /// Every care benefit of a deployment, cheapest first.
    pub async fn benefits_of(&self, tenant_id: Uuid) -> Result<Vec<CareBenefit>, StoreError> {
        let rows: Vec<BenefitRow> = on_db!(self.db(), pool => {
            sqlx::query_as(
                "SELECT b.id, b.org_id, o.path, b.name, b.cost, b.stock, b.price, b.budget \
                 FROM care_benefits b JOIN organizations o ON o.id = b.org_id \
                 WHERE b.tenant_id = $1 AND o.tenant_id = $1 ORDER BY b.cost, b.id",
            )
            .bind(tenant_id).fetch_all(pool).await?
        });
        Ok(rows
            .into_iter()
            .map(|(id, org_id, org_path, name, cost, stock, price, budget)| CareBenefit {
                id,
                org_id,
                org_path,
                name,
                cost,
                stock,
                price,
                budget,
            })
            .collect())
    }

    /// The benefits offered to a member at `member_path`: those of their own organisation
    /// and of the organisations above it, cheapest first.
    pub async fn benefits_for(
        &self,
        tenant_id: Uuid,
        member_path: &str,
    ) -> Result<Vec<CareBenefit>, StoreError> {
        let mut all = self.benefits_of(tenant_id).await?;
        all.retain(|b| member_path.starts_with(&b.org_path));
        Ok(all)
    }

    /// The benefits offered by the organisations of the subtree at `org_path` (the
    /// catalogue its admin keeps), cheapest first.
    pub async fn benefits_offered_in(
        &self,
        tenant_id: Uuid,
        org_path: &str,
    ) -> Result<Vec<CareBenefit>, StoreError> {
        let mut all = self.benefits_of(tenant_id).await?;
        all.retain(|b| b.org_path.starts_with(org_path));
        Ok(all)
    }

    /// The redemptions of the benefits offered in the subtree at `org_path` (which its
    /// admin fulfils), open ones first, then the latest fulfilled (at most 200).
    pub async fn redemptions(&self, tenant_id: Uuid, org_path: &str) -> Result<Vec<Redemption>, StoreError> {
        let end = pioneer_domain::orgs::subtree_end(org_path);
        let rows: Vec<RedemptionRow> = on_db!(self.db(), pool => {
            sqlx::query_as(redemption_sql!(
                "JOIN organizations bo ON bo.id = b.org_id \
                 WHERE r.tenant_id = $1 AND bo.path >= $2 AND bo.path < $3 \
                 ORDER BY (r.fulfilled_at IS NULL) DESC, r.requested_at DESC LIMIT 200"
            ))
            .bind(tenant_id).bind(org_path).bind(&end).fetch_all(pool).await?
        });
        rows.into_iter().map(|r| redemption_from(&self.vault, r)).collect()
    }

    /// A member's own redemptions, newest first: all of them, selected in SQL, whatever the
    /// rest of the deployment redeemed.
    pub async fn redemptions_of(&self, member_id: Uuid) -> Result<Vec<Redemption>, StoreError> {
        let tenant = self.person(member_id).await?.tenant_id;
        let rows: Vec<RedemptionRow> = on_db!(self.db(), pool => {
            sqlx::query_as(redemption_sql!(
                "WHERE r.tenant_id = $1 AND r.member_id = $2 ORDER BY r.requested_at DESC, r.id"
            ))
            .bind(tenant).bind(member_id).fetch_all(pool).await?
        });
        rows.into_iter().map(|r| redemption_from(&self.vault, r)).collect()
    }

    /// Marks a redemption of a benefit offered in the subtree at `org_path` fulfilled
    /// (journaled); fulfilling twice changes nothing, another subtree's is not found.
    pub async fn fulfil_redemption(
        &self,
        tenant_id: Uuid,
        org_path: &str,
        id: Uuid,
        act: &Act,
    ) -> Result<bool, StoreError> {
        let end = pioneer_domain::orgs::subtree_end(org_path);
        let at = act.at.as_millisecond();
        let change = Change {
            tenant_id,
            entity: "care_redemption",
            entity_id: Some(id),
            change: serde_json::json!({ "fulfilled_at": at }),
            rows: vec![("care_redemptions", id)],
        };
        on_db!(self.db(), pool => {
            let mut tx = pool.begin_write().await?;
            let exists: Option<Option<i64>> = sqlx::query_scalar(
                "SELECT r.fulfilled_at FROM care_redemptions r JOIN care_benefits b ON b.tenant_id = r.tenant_id AND b.id = r.benefit_id \
                 JOIN organizations o ON o.id = b.org_id WHERE r.id = $1 AND r.tenant_id = $2 AND o.path >= $3 AND o.path < $4",
            )
            .bind(id).bind(tenant_id).bind(org_path).bind(&end).fetch_optional(&mut *tx).await?;
            match exists {
                None => return Err(StoreError::NotFound),
                Some(Some(_)) => return Ok(false),
                Some(None) => {}
            }
            sqlx::query("UPDATE care_redemptions SET fulfilled_at = $2, fulfilled_by = $3 \
                         WHERE tenant_id = $4 AND id = $1 AND fulfilled_at IS NULL")
                .bind(id).bind(at).bind(&act.actor).bind(tenant_id).execute(&mut *tx).await?;
            journal_append!(tx, self, act, &change)?;
            tx.commit().await?;
        });
        Ok(true)
    }

    /// A member's entries, oldest first.
    pub async fn credit_entries(&self, member_id: Uuid) -> Result<Vec<Entry>, StoreError> {
        let rows: Vec<EntryRow> = on_db!(self.db(), pool => {
            let sql = format!("SELECT idempotency_key, amount, what, happened_on FROM credit_entries WHERE member_id = $1{} \
                 ORDER BY recorded_at, id", crate::tenancy::and_tenant("tenant_id", 2));
            crate::tenancy::bind_tenant!(sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(member_id)).fetch_all(pool).await?
        });
        rows.into_iter().map(entry_from).collect()
    }

    /// A member's balance as stored (always the sum of the entries).
    pub async fn credit_balance(&self, member_id: Uuid) -> Result<i64, StoreError> {
        let n: Option<i64> = on_db!(self.db(), pool => {
            let sql = format!("SELECT balance FROM credit_accounts WHERE member_id = $1{}", crate::tenancy::and_tenant("tenant_id", 2));
            crate::tenancy::bind_tenant!(sqlx::query_scalar(sqlx::AssertSqlSafe(sql)).bind(member_id)).fetch_optional(pool).await?
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
            let mut ledger = locked_ledger!(tx, member_id, member.tenant_id);
            let cost: Option<i64> = match request {
                CreditRequest::Redeem(b) => {
                    // Only a benefit of the member's organisation or one above it.
                    let c: Option<(i64, String)> = sqlx::query_as(
                        "SELECT b.cost, o.path FROM care_benefits b JOIN organizations o ON o.id = b.org_id \
                         WHERE b.id = $1 AND b.tenant_id = $2",
                    )
                    .bind(b).bind(member.tenant_id).fetch_optional(&mut *tx).await?;
                    let c = c.filter(|(_, path)| member.org_path.starts_with(path.as_str()));
                    Some(c.ok_or(StoreError::NotFound)?.0)
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
                let mut rows = vec![("credit_accounts", member_id)];
                if let (CreditRequest::Redeem(b), What::Redeem { .. }) = (request, &e.what) {
                    let taken = sqlx::query("UPDATE care_benefits SET stock = stock - 1, budget = budget - price \
                                                WHERE tenant_id = $2 AND id = $1 AND stock > 0 AND budget >= price")
                        .bind(b).bind(member.tenant_id).execute(&mut *tx).await?.rows_affected();
                    if taken != 1 {
                        let stock: i64 = sqlx::query_scalar("SELECT stock FROM care_benefits WHERE tenant_id = $2 AND id = $1")
                            .bind(b).bind(member.tenant_id).fetch_one(&mut *tx).await?;
                        return Err(if stock > 0 { StoreError::OverBudget } else { StoreError::OutOfStock });
                    }
                    let redemption = Uuid::now_v7();
                    sqlx::query("INSERT INTO care_redemptions (id, tenant_id, benefit_id, member_id, entry_key, requested_at) VALUES ($1, $2, $3, $4, $5, $6)")
                        .bind(redemption).bind(member.tenant_id).bind(b).bind(member_id).bind(&e.key).bind(at)
                        .execute(&mut *tx).await?;
                    rows.push(("care_benefits", *b));
                    rows.push(("care_redemptions", redemption));
                }
                let entry_id = write_entry!(tx, member_id, member.tenant_id, e, at);
                rows.push(("credit_entries", entry_id));
                let change = Change {
                    tenant_id: member.tenant_id,
                    entity: "credit_entry",
                    entity_id: Some(member_id),
                    change: serde_json::json!({ "key": e.key, "amount": e.amount, "what": e.what, "on": e.on.to_string() }),
                    rows,
                };
                journal_append!(tx, self, act, &change)?;
            }
            tx.commit().await?;
            Ok(applied)
        })
    }
}
