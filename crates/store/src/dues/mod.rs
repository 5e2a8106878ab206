//! Party dues in storage: members' profiles by month, payments with receipts (a month paid
//! in full takes no more, checked inside the transaction), months excused with a reason,
//! remittances upwards (never beyond what the subtree collected that month), online orders
//! that become payments only on the provider's confirmation, and the monthly run that
//! computes every member's amount and standing ([`run`]).

pub mod run;

use crate::error::StoreError;
use crate::journal::{Act, Change, journal_append};
use crate::{Store, db::BeginWrite, on_db};
use pioneer_domain::dues::amount::{BaseKind, DuesBase, FixedCategory, Relief, monthly};
use pioneer_domain::dues::payment::{Method, PaymentFields, RemittanceFields, dues_taken};
use pioneer_domain::dues::{Month, arrears};
use pioneer_domain::{FieldError, Reason};
use serde::Serialize;
use uuid::Uuid;

/// A payment as stored.
#[derive(Debug, Clone, Serialize)]
pub struct PaymentRecord {
    /// Id.
    pub id: Uuid,
    /// The member.
    pub person_id: Uuid,
    /// Their name.
    pub person_name: String,
    /// The organisation it was collected in.
    pub org_id: Uuid,
    /// Month paid for.
    pub month: String,
    /// Dues in fen.
    pub amount_fen: i64,
    /// Voluntary extra in fen.
    pub extra_fen: i64,
    /// `cash`, `transfer`, `online`.
    pub method: String,
    /// Paid on.
    pub paid_on: String,
    /// Receipt number.
    pub receipt_no: String,
    /// The provider's reference of an online payment.
    pub provider_ref: Option<String>,
}

/// A remittance as stored.
#[derive(Debug, Clone, Serialize)]
pub struct RemittanceRecord {
    /// Id.
    pub id: Uuid,
    /// Month.
    pub month: String,
    /// Fen.
    pub amount_fen: i64,
    /// Remitted on.
    pub remitted_on: String,
}

/// An online order.
#[derive(Debug, Clone, Serialize)]
pub struct OrderRecord {
    /// Id.
    pub id: Uuid,
    /// Tenant.
    pub tenant_id: Uuid,
    /// The member.
    pub person_id: Uuid,
    /// Month.
    pub month: String,
    /// Dues in fen.
    pub amount_fen: i64,
    /// Extra in fen.
    pub extra_fen: i64,
    /// `pending`, `paid`, `failed`.
    pub status: String,
    /// Where the member pays.
    pub pay_url: Option<String>,
    /// The payment it became.
    pub payment_id: Option<Uuid>,
}

/// A stored profile's row: from, kind, base, fixed category, fixed, relief, relief fen,
/// decision, decision on, quarterly.
pub(crate) type ProfileRow = (
    String,
    String,
    i64,
    Option<String>,
    Option<i64>,
    Option<String>,
    Option<i64>,
    Option<String>,
    Option<String>,
    bool,
);

/// A profile from its row.
pub(crate) fn profile_of(r: ProfileRow) -> Option<DuesBase> {
    Some(DuesBase {
        from: Month::parse("from_month", &r.0).ok()?,
        base: BaseKind::from_code(&r.1)?,
        base_fen: r.2,
        fixed: r.3.as_deref().and_then(FixedCategory::from_code),
        fixed_fen: r.4,
        relief: r.5.as_deref().and_then(Relief::from_code),
        relief_fen: r.6,
        decision: r.7,
        decision_on: r.8.and_then(|d| d.parse().ok()),
        quarterly: r.9,
    })
}

pub(crate) const PROFILE_COLUMNS: &str = "from_month, base_kind, base_fen, fixed_category, fixed_fen, relief, relief_fen, decision, decision_on, quarterly";

type PaymentRow = (Uuid, Uuid, String, Uuid, String, i64, i64, String, String, String, Option<String>);

fn payment_of(r: PaymentRow) -> PaymentRecord {
    PaymentRecord {
        id: r.0,
        person_id: r.1,
        person_name: r.2,
        org_id: r.3,
        month: r.4,
        amount_fen: r.5,
        extra_fen: r.6,
        method: r.7,
        paid_on: r.8,
        receipt_no: r.9,
        provider_ref: r.10,
    }
}

const PAYMENT_COLUMNS: &str = "d.id, d.person_id, p.name, d.org_id, d.month, d.amount_fen, d.extra_fen, d.method, d.paid_on, d.receipt_no, d.provider_ref";

/// What a member paid for a month (dues only): tenant, person, month.
const PAID_FOR_MONTH: &str = "SELECT COALESCE(CAST(SUM(amount_fen) AS BIGINT), 0) FROM dues_payments WHERE tenant_id = $1 AND person_id = $2 AND month = $3";
/// What a subtree collected for a month (dues and extra): tenant, path, its end, month.
const COLLECTED: &str = "SELECT COALESCE(CAST(SUM(amount_fen + extra_fen) AS BIGINT), 0) FROM dues_payments \
    WHERE tenant_id = $1 AND org_path >= $2 AND org_path < $3 AND month = $4";
/// What an organisation remitted for a month: tenant, organisation, month.
const REMITTED: &str = "SELECT COALESCE(CAST(SUM(amount_fen) AS BIGINT), 0) FROM dues_remittances WHERE tenant_id = $1 AND org_id = $2 AND month = $3";

/// A receipt number: the payment day and the random tail of its id (`DF20261129-7F3A9C21`).
fn receipt_no(id: Uuid, on: jiff::civil::Date) -> String {
    let s = id.simple().to_string().to_uppercase();
    format!("DF{}-{}", on.strftime("%Y%m%d"), &s[s.len() - 8..])
}

/// A refusal from the dues checks, after the transaction is rolled back.
fn refused(field: &'static str, zh: &'static str, en: &'static str) -> StoreError {
    FieldError::new(field, Reason::Refused { zh, en }).into()
}

impl Store {
    /// The member a dues write is for: a party member who has not left.
    async fn dues_member(&self, person_id: Uuid) -> Result<crate::people::PersonRecord, StoreError> {
        let p =
            self.person(person_id).await.map_err(|_| FieldError::new("person_id", Reason::UnknownPerson))?;
        if !p.fields.status.is_member() || self.departure(person_id).await?.is_some() {
            return Err(refused(
                "person_id",
                "只有在册党员交纳党费",
                "only party members on the register pay dues",
            ));
        }
        Ok(p)
    }

    /// Sets a member's profile from its month on (replacing one from the same month).
    pub async fn set_dues_profile(&self, person_id: Uuid, p: &DuesBase, act: &Act) -> Result<(), StoreError> {
        let person = self.dues_member(person_id).await?;
        let tenant = person.tenant_id;
        let amount = monthly(p);
        let change = Change::new(
            tenant,
            "dues_profile",
            Some(person_id),
            serde_json::json!({ "from_month": p.from.to_string(), "base_kind": p.base.code(), "base_fen": p.base_fen,
                "fixed_category": p.fixed.map(|f| f.code()), "relief": p.relief.map(|r| r.code()), "decision": p.decision,
                "quarterly": p.quarterly, "amount_fen": amount.fen, "rule": amount.rule }),
        );
        on_db!(self.db(), pool => {
            let mut tx = pool.begin_write().await?;
            sqlx::query("DELETE FROM dues_profiles WHERE tenant_id = $1 AND person_id = $2 AND from_month = $3")
                .bind(tenant).bind(person_id).bind(p.from.to_string()).execute(&mut *tx).await?;
            sqlx::query(
                "INSERT INTO dues_profiles (tenant_id, person_id, from_month, base_kind, base_fen, fixed_category, fixed_fen, relief, \
                 relief_fen, decision, decision_on, quarterly, recorded_at, recorded_by) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
            )
            .bind(tenant).bind(person_id).bind(p.from.to_string()).bind(p.base.code()).bind(p.base_fen)
            .bind(p.fixed.map(|f| f.code())).bind(p.fixed_fen).bind(p.relief.map(|r| r.code())).bind(p.relief_fen)
            .bind(&p.decision).bind(p.decision_on.map(|d| d.to_string())).bind(p.quarterly)
            .bind(act.at.as_millisecond()).bind(&act.actor)
            .execute(&mut *tx).await?;
            journal_append!(tx, self, act, &change)?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// A member's profiles, oldest first.
    pub async fn dues_profiles(&self, tenant: Uuid, person_id: Uuid) -> Result<Vec<DuesBase>, StoreError> {
        let sql = format!(
            "SELECT {PROFILE_COLUMNS} FROM dues_profiles WHERE tenant_id = $1 AND person_id = $2 ORDER BY from_month"
        );
        let rows: Vec<ProfileRow> = on_db!(self.db(), pool => {
            sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(tenant).bind(person_id).fetch_all(pool).await?
        });
        Ok(rows.into_iter().filter_map(profile_of).collect())
    }

    /// A member's payments, newest month first.
    pub async fn dues_payments_of(
        &self,
        tenant: Uuid,
        person_id: Uuid,
    ) -> Result<Vec<PaymentRecord>, StoreError> {
        let sql = format!(
            "SELECT {PAYMENT_COLUMNS} FROM dues_payments d JOIN people p ON p.tenant_id = d.tenant_id AND p.id = d.person_id \
             WHERE d.tenant_id = $1 AND d.person_id = $2 ORDER BY d.month DESC, d.recorded_at DESC"
        );
        let rows: Vec<PaymentRow> = on_db!(self.db(), pool => {
            sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(tenant).bind(person_id).fetch_all(pool).await?
        });
        Ok(rows.into_iter().map(payment_of).collect())
    }

    /// The payments collected in an organisation's subtree for a month.
    pub async fn dues_payments_in(
        &self,
        tenant: Uuid,
        path: &str,
        month: Month,
    ) -> Result<Vec<PaymentRecord>, StoreError> {
        let end = pioneer_domain::orgs::subtree_end(path);
        let sql = format!(
            "SELECT {PAYMENT_COLUMNS} FROM dues_payments d JOIN people p ON p.tenant_id = d.tenant_id AND p.id = d.person_id \
             WHERE d.tenant_id = $1 AND d.org_path >= $2 AND d.org_path < $3 AND d.month = $4 ORDER BY p.name, d.recorded_at"
        );
        let rows: Vec<PaymentRow> = on_db!(self.db(), pool => {
            sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(tenant).bind(path).bind(&end).bind(month.to_string()).fetch_all(pool).await?
        });
        Ok(rows.into_iter().map(payment_of).collect())
    }

    /// A payment (of the request's tenant when one is set) with its tenant.
    pub async fn dues_payment(&self, id: Uuid) -> Result<(Uuid, PaymentRecord), StoreError> {
        let sql = format!(
            "SELECT d.tenant_id, {PAYMENT_COLUMNS} FROM dues_payments d JOIN people p ON p.tenant_id = d.tenant_id AND p.id = d.person_id \
             WHERE d.id = $1{}",
            crate::tenancy::and_tenant("d.tenant_id", 2)
        );
        type Row = (Uuid, Uuid, Uuid, String, Uuid, String, i64, i64, String, String, String, Option<String>);
        let r: Option<Row> = on_db!(self.db(), pool => {
            crate::tenancy::bind_tenant!(sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(id)).fetch_optional(pool).await?
        });
        let r = r.ok_or(StoreError::NotFound)?;
        Ok((r.0, payment_of((r.1, r.2, r.3, r.4, r.5, r.6, r.7, r.8, r.9, r.10, r.11))))
    }

    /// A member's months excused.
    pub async fn dues_excused_of(&self, tenant: Uuid, person_id: Uuid) -> Result<Vec<Month>, StoreError> {
        let rows: Vec<String> = on_db!(self.db(), pool => {
            sqlx::query_scalar("SELECT month FROM dues_excusals WHERE tenant_id = $1 AND person_id = $2")
                .bind(tenant).bind(person_id).fetch_all(pool).await?
        });
        Ok(rows.iter().filter_map(|m| Month::parse("month", m).ok()).collect())
    }

    /// Records a payment of a member for a month (cash or transfer from a form, or `online`
    /// with the provider's reference); the month's amount and what it has already taken are
    /// read inside the transaction, so two collectors cannot both fill the same month.
    pub async fn record_dues_payment(
        &self,
        person_id: Uuid,
        f: &PaymentFields,
        online: Option<(&str, Uuid)>,
        act: &Act,
    ) -> Result<Uuid, StoreError> {
        let provider_ref = online.map(|(r, _)| r);
        let person = self.dues_member(person_id).await?;
        let tenant = person.tenant_id;
        let id = Uuid::now_v7();
        let receipt = receipt_no(id, f.paid_on);
        let pg = self.db().backend() == crate::Backend::Postgres;
        let profile_sql = format!(
            "SELECT {PROFILE_COLUMNS} FROM dues_profiles WHERE tenant_id = $1 AND person_id = $2 ORDER BY from_month"
        );
        on_db!(self.db(), pool => {
            let mut tx = pool.begin_write().await?;
            if pg {
                sqlx::query("SELECT id FROM people WHERE tenant_id = $1 AND id = $2 FOR UPDATE")
                    .bind(tenant).bind(person_id).execute(&mut *tx).await?;
            }
            let rows: Vec<ProfileRow> = sqlx::query_as(sqlx::AssertSqlSafe(profile_sql.clone()))
                .bind(tenant).bind(person_id).fetch_all(&mut *tx).await?;
            let profiles: Vec<DuesBase> = rows.into_iter().filter_map(profile_of).collect();
            let Some(due) = arrears::profile_at(&profiles, f.month).map(monthly) else {
                tx.rollback().await?;
                return Err(refused("month", "该月尚无党费基数，请先登记党费基数", "no dues profile covers this month: set one first"));
            };
            let paid: i64 = sqlx::query_scalar(PAID_FOR_MONTH)
            .bind(tenant).bind(person_id).bind(f.month.to_string()).fetch_one(&mut *tx).await?;
            let amount = match dues_taken(due.fen, paid, f.amount_fen, f.extra_fen) {
                Ok(a) => a,
                Err(e) => {
                    tx.rollback().await?;
                    return Err(e.into());
                }
            };
            let method = if provider_ref.is_some() { Method::Online } else { f.method };
            let change = Change::new(
                tenant,
                "dues_payment",
                Some(id),
                serde_json::json!({ "person_id": person_id, "month": f.month.to_string(), "amount_fen": amount, "extra_fen": f.extra_fen,
                    "method": method.code(), "paid_on": f.paid_on.to_string(), "receipt_no": receipt, "provider_ref": provider_ref,
                    "due_fen": due.fen, "rule": due.rule }),
            );
            sqlx::query(
                "INSERT INTO dues_payments (tenant_id, id, person_id, org_id, org_path, month, amount_fen, extra_fen, method, paid_on, \
                 receipt_no, provider_ref, recorded_at, recorded_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
            )
            .bind(tenant).bind(id).bind(person_id).bind(person.fields.org_id).bind(&person.org_path).bind(f.month.to_string())
            .bind(amount).bind(f.extra_fen).bind(method.code()).bind(f.paid_on.to_string()).bind(&receipt).bind(provider_ref)
            .bind(act.at.as_millisecond()).bind(&act.actor)
            .execute(&mut *tx).await?;
            // An online payment closes its order in the same transaction: once.
            if let Some((_, order)) = online {
                let closed = sqlx::query(
                    "UPDATE dues_orders SET status = 'paid', payment_id = $1, confirmed_at = $2 \
                     WHERE tenant_id = $3 AND id = $4 AND status = 'pending'",
                )
                .bind(id).bind(act.at.as_millisecond()).bind(tenant).bind(order)
                .execute(&mut *tx).await?;
                if closed.rows_affected() == 0 {
                    tx.rollback().await?;
                    return Err(refused("order", "该线上支付单已处理", "the online order is settled already"));
                }
            }
            journal_append!(tx, self, act, &change)?;
            tx.commit().await?;
        });
        Ok(id)
    }

    /// Records a good reason for a month not paid (it no longer counts towards six).
    pub async fn excuse_dues_month(
        &self,
        person_id: Uuid,
        month: Month,
        reason: &str,
        act: &Act,
    ) -> Result<(), StoreError> {
        let person = self.dues_member(person_id).await?;
        let tenant = person.tenant_id;
        let change = Change::new(
            tenant,
            "dues_excusal",
            Some(person_id),
            serde_json::json!({ "month": month.to_string(), "reason": reason }),
        );
        on_db!(self.db(), pool => {
            let mut tx = pool.begin_write().await?;
            sqlx::query("DELETE FROM dues_excusals WHERE tenant_id = $1 AND person_id = $2 AND month = $3")
                .bind(tenant).bind(person_id).bind(month.to_string()).execute(&mut *tx).await?;
            sqlx::query("INSERT INTO dues_excusals (tenant_id, person_id, month, reason, recorded_at, recorded_by) VALUES ($1, $2, $3, $4, $5, $6)")
                .bind(tenant).bind(person_id).bind(month.to_string()).bind(reason).bind(act.at.as_millisecond()).bind(&act.actor)
                .execute(&mut *tx).await?;
            journal_append!(tx, self, act, &change)?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// What an organisation's subtree collected for a month (dues and extra, fen) and what
    /// the organisation remitted for it.
    pub async fn dues_collected(
        &self,
        tenant: Uuid,
        org_id: Uuid,
        path: &str,
        month: Month,
    ) -> Result<(i64, i64), StoreError> {
        let end = pioneer_domain::orgs::subtree_end(path);
        on_db!(self.db(), pool => {
            let collected: i64 = sqlx::query_scalar(COLLECTED)
            .bind(tenant).bind(path).bind(&end).bind(month.to_string()).fetch_one(pool).await?;
            let remitted: i64 = sqlx::query_scalar(REMITTED)
            .bind(tenant).bind(org_id).bind(month.to_string()).fetch_one(pool).await?;
            Ok((collected, remitted))
        })
    }

    /// Records a remittance of an organisation to the one above, refused beyond what its
    /// subtree collected that month less what it remitted already (checked inside the
    /// transaction).
    pub async fn remit_dues(
        &self,
        org_id: Uuid,
        f: &RemittanceFields,
        act: &Act,
    ) -> Result<Uuid, StoreError> {
        let org = self.org(org_id).await?;
        let tenant = org.tenant_id;
        let end = pioneer_domain::orgs::subtree_end(&org.path);
        let id = Uuid::now_v7();
        let pg = self.db().backend() == crate::Backend::Postgres;
        let change = Change::new(
            tenant,
            "dues_remittance",
            Some(id),
            serde_json::json!({ "org_id": org_id, "month": f.month.to_string(), "amount_fen": f.amount_fen, "remitted_on": f.remitted_on.to_string() }),
        );
        on_db!(self.db(), pool => {
            let mut tx = pool.begin_write().await?;
            if pg {
                sqlx::query("SELECT pg_advisory_xact_lock(hashtext($1))").bind(format!("dues-remit-{org_id}-{}", f.month))
                    .execute(&mut *tx).await?;
            }
            let collected: i64 = sqlx::query_scalar(COLLECTED)
            .bind(tenant).bind(&org.path).bind(&end).bind(f.month.to_string()).fetch_one(&mut *tx).await?;
            let remitted: i64 = sqlx::query_scalar(REMITTED)
            .bind(tenant).bind(org_id).bind(f.month.to_string()).fetch_one(&mut *tx).await?;
            if let Err(e) = f.within(collected, remitted) {
                tx.rollback().await?;
                return Err(e.into());
            }
            sqlx::query(
                "INSERT INTO dues_remittances (tenant_id, id, org_id, org_path, month, amount_fen, remitted_on, recorded_at, recorded_by) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            )
            .bind(tenant).bind(id).bind(org_id).bind(&org.path).bind(f.month.to_string()).bind(f.amount_fen)
            .bind(f.remitted_on.to_string()).bind(act.at.as_millisecond()).bind(&act.actor)
            .execute(&mut *tx).await?;
            journal_append!(tx, self, act, &change)?;
            tx.commit().await?;
        });
        Ok(id)
    }

    /// An organisation's remittances, newest first.
    pub async fn dues_remittances(
        &self,
        tenant: Uuid,
        org_id: Uuid,
    ) -> Result<Vec<RemittanceRecord>, StoreError> {
        let rows: Vec<(Uuid, String, i64, String)> = on_db!(self.db(), pool => {
            sqlx::query_as("SELECT id, month, amount_fen, remitted_on FROM dues_remittances WHERE tenant_id = $1 AND org_id = $2 ORDER BY month DESC, recorded_at DESC LIMIT 120")
                .bind(tenant).bind(org_id).fetch_all(pool).await?
        });
        Ok(rows
            .into_iter()
            .map(|(id, month, amount_fen, remitted_on)| RemittanceRecord {
                id,
                month,
                amount_fen,
                remitted_on,
            })
            .collect())
    }

    /// Opens an online order for a member's month: the amount still owed (plus any extra),
    /// pending until the provider confirms it.
    pub async fn open_dues_order(
        &self,
        person_id: Uuid,
        month: Month,
        extra_fen: i64,
        act: &Act,
    ) -> Result<OrderRecord, StoreError> {
        let person = self.dues_member(person_id).await?;
        let tenant = person.tenant_id;
        let profiles = self.dues_profiles(tenant, person_id).await?;
        let due = arrears::profile_at(&profiles, month).map(monthly).ok_or_else(|| {
            refused(
                "month",
                "该月尚无党费基数，请先登记党费基数",
                "no dues profile covers this month: set one first",
            )
        })?;
        let paid: i64 = on_db!(self.db(), pool => {
            sqlx::query_scalar(PAID_FOR_MONTH)
                .bind(tenant).bind(person_id).bind(month.to_string()).fetch_one(pool).await?
        });
        let amount = dues_taken(due.fen, paid, None, extra_fen)?;
        let id = Uuid::now_v7();
        let change = Change::new(
            tenant,
            "dues_order",
            Some(id),
            serde_json::json!({ "person_id": person_id, "month": month.to_string(), "amount_fen": amount, "extra_fen": extra_fen }),
        );
        on_db!(self.db(), pool => {
            let mut tx = pool.begin_write().await?;
            sqlx::query(
                "INSERT INTO dues_orders (tenant_id, id, person_id, month, amount_fen, extra_fen, status, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, 'pending', $7)",
            )
            .bind(tenant).bind(id).bind(person_id).bind(month.to_string()).bind(amount).bind(extra_fen).bind(act.at.as_millisecond())
            .execute(&mut *tx).await?;
            journal_append!(tx, self, act, &change)?;
            tx.commit().await?;
        });
        self.dues_order(tenant, id).await
    }

    /// Notes where the provider asks the member to pay.
    pub async fn set_dues_order_url(&self, tenant: Uuid, id: Uuid, url: &str) -> Result<(), StoreError> {
        on_db!(self.db(), pool => {
            sqlx::query("UPDATE dues_orders SET pay_url = $1 WHERE tenant_id = $2 AND id = $3")
                .bind(url).bind(tenant).bind(id).execute(pool).await?;
        });
        Ok(())
    }

    /// An order.
    pub async fn dues_order(&self, tenant: Uuid, id: Uuid) -> Result<OrderRecord, StoreError> {
        type Row = (Uuid, Uuid, Uuid, String, i64, i64, String, Option<String>, Option<Uuid>);
        let row: Option<Row> = on_db!(self.db(), pool => {
            sqlx::query_as("SELECT id, tenant_id, person_id, month, amount_fen, extra_fen, status, pay_url, payment_id FROM dues_orders WHERE tenant_id = $1 AND id = $2")
                .bind(tenant).bind(id).fetch_optional(pool).await?
        });
        let r = row.ok_or(StoreError::NotFound)?;
        Ok(OrderRecord {
            id: r.0,
            tenant_id: r.1,
            person_id: r.2,
            month: r.3,
            amount_fen: r.4,
            extra_fen: r.5,
            status: r.6,
            pay_url: r.7,
            payment_id: r.8,
        })
    }

    /// Turns a confirmed order into a payment, the order closed in the same transaction
    /// (once: a second confirmation answers the same payment), or marks it failed.
    pub async fn confirm_dues_order(
        &self,
        tenant: Uuid,
        id: Uuid,
        paid: Option<(&str, jiff::civil::Date)>,
        act: &Act,
    ) -> Result<Option<Uuid>, StoreError> {
        let order = self.dues_order(tenant, id).await?;
        if order.status != "pending" {
            return Ok(order.payment_id);
        }
        let Some((reference, on)) = paid else {
            on_db!(self.db(), pool => {
                sqlx::query("UPDATE dues_orders SET status = 'failed', confirmed_at = $1 WHERE tenant_id = $2 AND id = $3 AND status = 'pending'")
                    .bind(act.at.as_millisecond()).bind(tenant).bind(id).execute(pool).await?;
            });
            return Ok(None);
        };
        let month = Month::parse("month", &order.month)?;
        let f = PaymentFields {
            month,
            amount_fen: Some(order.amount_fen),
            extra_fen: order.extra_fen,
            method: Method::Online,
            paid_on: on,
        };
        match self.record_dues_payment(order.person_id, &f, Some((reference, id)), act).await {
            Ok(payment) => Ok(Some(payment)),
            // Another confirmation settled it meanwhile: its payment.
            Err(e) => match self.dues_order(tenant, id).await? {
                o if o.status == "paid" => Ok(o.payment_id),
                _ => Err(e),
            },
        }
    }
}
