//! Party dues (党费) on pages and the API: a branch's monthly collection sheet with amounts,
//! payments, arrears and the AUD-31 findings ([`pages`]), a member's own dues with online
//! payment, receipts, remittances upwards, and the year's figures; the online payment
//! provider's client ([`provider`]). Pages and API twins ([`api`]) share [`actions`].

pub mod api;
pub mod pages;
pub mod provider;

use crate::AppState;
use crate::auth::Who;
use crate::error::AppError;
use crate::scope::{OrgQuery, scope_org};
use pioneer_domain::accounts::access::Permission;
use pioneer_domain::dues::Month;
use pioneer_domain::{Reason, ValidationErrors};
use pioneer_store::orgs::OrgRecord;
use serde::Deserialize;
use uuid::Uuid;

/// `?org=ID&month=YYYY-MM` of a collection sheet.
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SheetQuery {
    /// The organisation (default: the caller's own).
    pub org: Option<String>,
    /// The month (`YYYY-MM`; default this month).
    pub month: Option<String>,
}

/// The month a query names, or this month.
pub fn month_of(raw: Option<&str>, today: jiff::civil::Date) -> Result<Month, AppError> {
    match raw.map(str::trim).filter(|m| !m.is_empty()) {
        None => Ok(Month::of(today)),
        Some(m) => Month::parse("month", m).map_err(|e| AppError::Invalid(e.into())),
    }
}

/// The term of a dues code (base kind, fixed category, relief, method, finding) in the
/// page's language.
pub fn term(t: &crate::i18n::Tr, code: &str) -> String {
    use pioneer_domain::dues::amount::{BaseKind, FixedCategory, Relief};
    use pioneer_domain::dues::payment::Method;
    let pair = BaseKind::from_code(code)
        .map(|v| (v.zh(), v.en()))
        .or_else(|| FixedCategory::from_code(code).map(|v| (v.zh(), v.en())))
        .or_else(|| Relief::from_code(code).map(|v| (v.zh(), v.en())))
        .or_else(|| Method::from_code(code).map(|v| (v.zh(), v.en())));
    match pair {
        Some((zh, en)) => t.l(zh, en).to_owned(),
        None => code.to_owned(),
    }
}

/// One function per action, for the pages and the API alike.
pub mod actions {
    use super::*;
    use pioneer_domain::dues::amount::monthly;
    use pioneer_domain::dues::arrears::{Standing, profile_at, standing};
    use pioneer_domain::dues::payment::{
        ExcusalInput, PaymentFields, PaymentInput, RemittanceFields, RemittanceInput,
    };
    use pioneer_domain::dues::profile::{DuesBaseInput, parse as parse_profile};
    use pioneer_store::dues::run::{DuesLine, DuesTotals};
    use pioneer_store::dues::{OrderRecord, PaymentRecord};

    /// The organisation of a sheet (read: `ReadPeople`, a secretary's subtree).
    pub async fn sheet_org(s: &AppState, who: &Who, org: Option<&str>) -> Result<OrgRecord, AppError> {
        scope_org(s, who, Permission::ReadPeople, org).await?.ok_or(AppError::NotFound)
    }

    /// The organisation a write names, with `WritePeople` on it.
    pub async fn write_org(s: &AppState, who: &Who, q: &OrgQuery) -> Result<OrgRecord, AppError> {
        let org = sheet_org(s, who, q.org.as_deref()).await?;
        s.allow(who, Permission::WritePeople, &org.path).await?;
        Ok(org)
    }

    /// The month's run of an organisation's subtree.
    pub async fn run(
        s: &AppState,
        org: &OrgRecord,
        month: Month,
    ) -> Result<(Vec<DuesLine>, DuesTotals), AppError> {
        Ok(s.store.dues_run(org.tenant_id, &org.path, month, pioneer_store::dues::run::RUN_KEEP).await?)
    }

    /// A person of the organisation's subtree named by a form, or why not.
    async fn person_in(s: &AppState, org: &OrgRecord, raw: &str) -> Result<Uuid, Reason> {
        match Uuid::try_parse(raw.trim()) {
            Ok(id) => match s.store.person(id).await {
                Ok(p) if p.tenant_id == org.tenant_id && p.org_path.starts_with(&org.path) => Ok(id),
                _ => Err(Reason::UnknownPerson),
            },
            Err(_) if raw.trim().is_empty() => Err(Reason::Required),
            Err(_) => Err(Reason::UnknownPerson),
        }
    }

    /// Every refusal at once: the fields' and the member's.
    fn both<T>(
        fields: Result<T, ValidationErrors>,
        person: Result<Uuid, Reason>,
    ) -> Result<(T, Uuid), AppError> {
        match (fields, person) {
            (Ok(f), Ok(p)) => Ok((f, p)),
            (Ok(_), Err(r)) => Err(AppError::field("person_id", r)),
            (Err(mut v), Err(r)) => {
                v.push("person_id", r);
                Err(AppError::Invalid(v))
            }
            (Err(v), Ok(_)) => Err(AppError::Invalid(v)),
        }
    }

    /// Sets a member's dues profile.
    pub async fn set_profile(
        s: &AppState,
        who: &Who,
        org: &OrgRecord,
        f: &DuesBaseInput,
    ) -> Result<(), AppError> {
        let person = person_in(s, org, &f.person_id).await;
        let (p, person) = both(parse_profile(f, s.clock.today()), person)?;
        Ok(s.store.set_dues_profile(person, &p, &who.act).await?)
    }

    /// Records a payment in cash or by transfer.
    pub async fn pay(s: &AppState, who: &Who, org: &OrgRecord, f: &PaymentInput) -> Result<Uuid, AppError> {
        let person = person_in(s, org, &f.person_id).await;
        let (p, person) = both(PaymentFields::parse(f, s.clock.today()), person)?;
        Ok(s.store.record_dues_payment(person, &p, None, &who.act).await?)
    }

    /// Records a good reason for a month not paid.
    pub async fn excuse(s: &AppState, who: &Who, org: &OrgRecord, f: &ExcusalInput) -> Result<(), AppError> {
        let person = person_in(s, org, &f.person_id).await;
        let mut e = ValidationErrors::default();
        let month = e.take(Month::parse("month", &f.month));
        let reason = e.take(pioneer_domain::text::required("reason", &f.reason, 200));
        let ((month, reason), person) = both(e.into_result().map(|()| (month, reason)), person)?;
        let (Some(month), Some(reason)) = (month, reason) else { return Err(AppError::Internal) };
        Ok(s.store.excuse_dues_month(person, month, &reason, &who.act).await?)
    }

    /// Records a remittance of the organisation to the one above.
    pub async fn remit(
        s: &AppState,
        who: &Who,
        org: &OrgRecord,
        f: &RemittanceInput,
    ) -> Result<Uuid, AppError> {
        let r = RemittanceFields::parse(f, s.clock.today())?;
        Ok(s.store.remit_dues(org.id, &r, &who.act).await?)
    }

    /// A member's dues: profiles, this month's amount, payments and standing.
    pub async fn member(s: &AppState, tenant: Uuid, person: Uuid) -> Result<MemberDues, AppError> {
        let month = Month::of(s.clock.today());
        let profiles = s.store.dues_profiles(tenant, person).await?;
        let payments = s.store.dues_payments_of(tenant, person).await?;
        let paid = pioneer_domain::dues::arrears::months_paid(payments.iter().filter_map(|p| {
            Some((Month::parse("month", &p.month).ok()?, p.amount_fen, Month::of(p.paid_on.parse().ok()?)))
        }));
        let excused = s.store.dues_excused_of(tenant, person).await?;
        let st = standing(&profiles, &paid, &excused, month);
        let current = profile_at(&profiles, month).cloned();
        let amount = current.as_ref().map(monthly);
        Ok(MemberDues {
            month: month.to_string(),
            base_kind: current.as_ref().map(|p| p.base.code().to_owned()),
            base_fen: current.as_ref().map(|p| p.base_fen),
            quarterly: current.as_ref().is_some_and(|p| p.quarterly),
            amount,
            standing: st,
            profiles: profiles
                .iter()
                .map(|p| {
                    (
                        p.from.to_string(),
                        p.base.code().to_owned(),
                        p.base_fen,
                        monthly(p).fen,
                        monthly(p).rule,
                    )
                })
                .collect(),
            payments,
        })
    }

    /// Opens an online payment of a member's month with the provider; the page sends the
    /// member to the provider's address. Refused when no provider is configured.
    pub async fn start_online(
        s: &AppState,
        who: &Who,
        person: Uuid,
        month: Month,
        extra_fen: i64,
    ) -> Result<OrderRecord, AppError> {
        let Some(to) = s.dues_provider.clone() else {
            return Err(AppError::field(
                "method",
                Reason::Refused {
                    zh: "本系统未配置线上支付",
                    en: "no online payment provider is configured",
                },
            ));
        };
        let order = s.store.open_dues_order(person, month, extra_fen, &who.act).await?;
        let url = match provider::open(&to, &order).await {
            Ok(url) => url,
            Err(why) => {
                tracing::warn!(%why, "dues provider refused an order");
                // The order is closed as failed: nothing stays pending.
                s.store.confirm_dues_order(order.tenant_id, order.id, None, &who.act).await?;
                return Err(AppError::field(
                    "method",
                    Reason::Refused {
                        zh: "支付平台暂时无法受理，请稍后再试",
                        en: "the payment provider is unavailable; try again later",
                    },
                ));
            }
        };
        s.store.set_dues_order_url(order.tenant_id, order.id, &url).await?;
        Ok(OrderRecord { pay_url: Some(url), ..order })
    }

    /// Asks the provider how an order stands and records the payment when it says paid
    /// (the amount must match); the provider's notification and a member's return both
    /// come here, and nothing else records an online payment.
    pub async fn confirm(s: &AppState, tenant: Uuid, id: Uuid) -> Result<OrderRecord, AppError> {
        let Some(to) = s.dues_provider.clone() else {
            return Err(AppError::field(
                "order",
                Reason::Refused {
                    zh: "本系统未配置线上支付",
                    en: "no online payment provider is configured",
                },
            ));
        };
        let order = s.store.dues_order(tenant, id).await?;
        if order.status != "pending" {
            return Ok(order);
        }
        let answer = provider::status(&to, order.id).await.map_err(|why| {
            tracing::warn!(%why, "dues provider did not answer");
            AppError::Unavailable
        })?;
        let act = pioneer_store::Act::new(
            "dues-provider",
            "POST /dues/orders/{tenant}/{id}/confirm",
            s.clock.now(),
        );
        match answer {
            provider::Status::Paid { amount_fen, reference, paid_on }
                if amount_fen == order.amount_fen + order.extra_fen =>
            {
                s.store.confirm_dues_order(tenant, id, Some((&reference, paid_on)), &act).await?;
            }
            provider::Status::Paid { .. } => {
                tracing::warn!(order = %id, "dues provider confirmed another amount; not recorded");
            }
            provider::Status::Failed => {
                s.store.confirm_dues_order(tenant, id, None, &act).await?;
            }
            provider::Status::Pending => {}
        }
        Ok(s.store.dues_order(tenant, id).await?)
    }

    /// A member's dues as shown to them and their secretary.
    #[derive(Debug, Clone, serde::Serialize)]
    pub struct MemberDues {
        /// This month.
        pub month: String,
        /// The base kind in force.
        pub base_kind: Option<String>,
        /// The base in force, fen.
        pub base_fen: Option<i64>,
        /// Pays quarterly.
        pub quarterly: bool,
        /// This month's amount with its rule.
        pub amount: Option<pioneer_domain::dues::amount::Amount>,
        /// Standing (arrears and findings).
        pub standing: Standing,
        /// Profiles: from, kind, base fen, amount fen, rule.
        pub profiles: Vec<(String, String, i64, i64, &'static str)>,
        /// Payments, newest first.
        pub payments: Vec<PaymentRecord>,
    }
}
