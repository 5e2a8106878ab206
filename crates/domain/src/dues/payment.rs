//! Payments, excusals and remittances as typed, and the checks against what is already
//! recorded: a month paid in full takes no more (voluntary extra goes in its own field,
//! FEE-008), and an organisation remits no more than it collected.

use super::{Month, parse_yuan};
use crate::codes::coded_enum;
use crate::{FieldError, Reason, ValidationErrors, text};
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

coded_enum! {
    /// How dues were paid.
    Method {
        /// 现金.
        Cash = "cash", "现金", "cash";
        /// 转账.
        Transfer = "transfer", "转账", "bank transfer";
        /// 线上支付: recorded only on the payment provider's confirmation.
        Online = "online", "线上支付", "online";
    }
}

/// A payment as typed (amounts in yuan).
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct PaymentInput {
    /// The member (a person's id).
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub person_id: String,
    /// The month paid for (`YYYY-MM`).
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub month: String,
    /// The dues paid, in yuan (empty: what is still owed for the month).
    pub amount: String,
    /// A voluntary extra payment, in yuan (FEE-008).
    pub extra: String,
    /// `cash` or `transfer` (online payments are recorded by the provider's confirmation).
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub method: String,
    /// Paid on (`YYYY-MM-DD`; today when empty).
    pub paid_on: String,
}

/// A payment, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaymentFields {
    /// Month paid for.
    pub month: Month,
    /// Dues in fen; None: what is still owed.
    pub amount_fen: Option<i64>,
    /// Voluntary extra in fen.
    pub extra_fen: i64,
    /// How.
    pub method: Method,
    /// When.
    pub paid_on: Date,
}

impl PaymentFields {
    /// Checks the fields (`online` is refused here: only a provider's confirmation records
    /// it); every refusal at once.
    pub fn parse(i: &PaymentInput, today: Date) -> Result<Self, ValidationErrors> {
        let mut e = ValidationErrors::default();
        let month = e.take(Month::parse("month", &i.month));
        if let Some(m) = month
            && m > Month::of(today).plus(12)
        {
            e.push("month", Reason::Refused { zh: "最多预交 12 个月", en: "at most 12 months ahead" });
        }
        let amount_fen = match i.amount.trim() {
            "" => Some(None),
            a => e.take(parse_yuan("amount", a).map(Some)),
        };
        let extra_fen = match i.extra.trim() {
            "" => Some(0),
            a => e.take(parse_yuan("extra", a)),
        };
        let method = match Method::from_code(i.method.trim()) {
            Some(Method::Online) => {
                e.push(
                    "method",
                    Reason::Refused {
                        zh: "线上支付由支付平台确认后自动入账，不能手工登记",
                        en: "online payments are recorded on the provider's confirmation, not by hand",
                    },
                );
                None
            }
            None => {
                e.push("method", Reason::UnknownChoice);
                None
            }
            m => m,
        };
        let paid_on = match e.take(text::optional_date("paid_on", &i.paid_on)) {
            Some(Some(d)) if d > today => {
                e.push("paid_on", Reason::DateInFuture);
                None
            }
            d => d.map(|d| d.unwrap_or(today)),
        };
        e.into_result()?;
        match (month, amount_fen, extra_fen, method, paid_on) {
            (Some(month), Some(amount_fen), Some(extra_fen), Some(method), Some(paid_on)) => {
                Ok(Self { month, amount_fen, extra_fen, method, paid_on })
            }
            _ => Err(ValidationErrors::default()),
        }
    }
}

/// The dues a payment may take for a month that owes `due_fen` and has `paid_fen` already:
/// the rest when no amount was typed; refused when the month is paid in full, when nothing
/// is paid at all, or when the amount is more than what is owed.
pub fn dues_taken(
    due_fen: i64,
    paid_fen: i64,
    typed: Option<i64>,
    extra_fen: i64,
) -> Result<i64, FieldError> {
    let owed = (due_fen - paid_fen).max(0);
    if owed == 0 && (typed.unwrap_or(0) > 0 || extra_fen == 0) {
        return Err(FieldError::new(
            "month",
            Reason::Refused {
                zh: "该月党费已足额交纳；自愿多交请填在“自愿多交”（FEE-008）",
                en: "this month is paid in full; a voluntary extra goes in its own field (FEE-008)",
            },
        ));
    }
    match typed {
        None => Ok(owed),
        Some(a) if a > owed => Err(FieldError::new(
            "amount",
            Reason::Refused {
                zh: "超过该月尚欠的党费；自愿多交请填在“自愿多交”",
                en: "more than is owed for the month; a voluntary extra goes in its own field",
            },
        )),
        Some(0) if extra_fen == 0 => Err(FieldError::new("amount", Reason::Required)),
        Some(a) => Ok(a),
    }
}

/// A month excused from payment, with its reason (a month excused is not counted towards
/// the six of FEE-010).
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct ExcusalInput {
    /// The member.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub person_id: String,
    /// The month (`YYYY-MM`).
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub month: String,
    /// The good reason (illness, out of contact with permission, …).
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub reason: String,
}

/// A remittance to the upper organisation as typed.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct RemittanceInput {
    /// The month collected (`YYYY-MM`).
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub month: String,
    /// The amount in yuan.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub amount: String,
    /// Remitted on (`YYYY-MM-DD`; today when empty).
    pub remitted_on: String,
}

/// A remittance, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemittanceFields {
    /// Month.
    pub month: Month,
    /// Fen.
    pub amount_fen: i64,
    /// When.
    pub remitted_on: Date,
}

impl RemittanceFields {
    /// Checks the fields; every refusal at once.
    pub fn parse(i: &RemittanceInput, today: Date) -> Result<Self, ValidationErrors> {
        let mut e = ValidationErrors::default();
        let month = e.take(Month::parse("month", &i.month));
        let amount_fen = match e.take(parse_yuan("amount", &i.amount)) {
            Some(0) => {
                e.push("amount", Reason::Required);
                None
            }
            a => a,
        };
        let remitted_on = match e.take(text::optional_date("remitted_on", &i.remitted_on)) {
            Some(Some(d)) if d > today => {
                e.push("remitted_on", Reason::DateInFuture);
                None
            }
            d => d.map(|d| d.unwrap_or(today)),
        };
        e.into_result()?;
        match (month, amount_fen, remitted_on) {
            (Some(month), Some(amount_fen), Some(remitted_on)) => Ok(Self { month, amount_fen, remitted_on }),
            _ => Err(ValidationErrors::default()),
        }
    }

    /// Refused when this and what was remitted already exceed what was collected.
    pub fn within(&self, collected_fen: i64, remitted_fen: i64) -> Result<(), FieldError> {
        if remitted_fen + self.amount_fen > collected_fen {
            return Err(FieldError::new(
                "amount",
                Reason::Refused {
                    zh: "上缴数超过该月已收缴的党费",
                    en: "more than was collected for the month",
                },
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_month_paid_in_full_takes_no_more_dues() {
        assert_eq!(dues_taken(3000, 0, None, 0).unwrap(), 3000);
        assert_eq!(dues_taken(3000, 1000, None, 0).unwrap(), 2000);
        assert_eq!(dues_taken(3000, 3000, None, 0).unwrap_err().field, "month");
        assert_eq!(dues_taken(3000, 3000, Some(100), 0).unwrap_err().field, "month");
        assert_eq!(dues_taken(3000, 3000, None, 50_000).unwrap(), 0);
        assert_eq!(dues_taken(3000, 0, Some(3001), 0).unwrap_err().field, "amount");
    }

    #[test]
    fn payments_and_remittances_are_checked() {
        let today = jiff::civil::date(2026, 11, 29);
        let e = PaymentFields::parse(
            &PaymentInput {
                month: "2026-11".into(),
                amount: "-3".into(),
                method: "online".into(),
                ..Default::default()
            },
            today,
        )
        .unwrap_err();
        assert_eq!(e.0.iter().map(|f| f.field).collect::<Vec<_>>(), ["amount", "method"]);
        let r = RemittanceFields::parse(
            &RemittanceInput { month: "2026-11".into(), amount: "10".into(), ..Default::default() },
            today,
        )
        .unwrap();
        assert!(r.within(1000, 0).is_ok());
        assert!(r.within(1999, 1000).is_err());
    }
}
