//! A member's dues profile as typed on the page or sent to the API, checked into an
//! [`amount::DuesBase`](super::amount::DuesBase): the base and its kind, a fixed amount's
//! category, and a reduction or exemption, which needs the upper committee's decision
//! (FEE-007).

use super::amount::{BaseKind, DuesBase, FixedCategory, Relief, monthly, quarter_average};
use super::{Month, parse_yuan};
use crate::{Reason, ValidationErrors, text};
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// A dues profile as typed (amounts in yuan).
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct DuesBaseInput {
    /// The member (a person's id).
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub person_id: String,
    /// From this month on (`YYYY-MM`; this month when empty).
    pub from_month: String,
    /// `wage`, `annual_salary`, `no_monthly_income`, `pension` or `fixed`.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub base_kind: String,
    /// The monthly base in yuan: the after-tax regular wage, this month's pay, the pension.
    pub base: String,
    /// Without monthly income: the previous quarter's net income in yuan (averaged by month).
    pub quarter_income: String,
    /// A fixed amount's payer: `farmer`, `student`, `unemployed`, `relief`, `subsistence`.
    pub fixed_category: String,
    /// A farmer's monthly amount in yuan (0.20–1.00, the province's standard).
    pub fixed_amount: String,
    /// `reduced` or `exempt`, approved by the upper committee; empty for none.
    pub relief: String,
    /// The reduced monthly amount in yuan.
    pub relief_amount: String,
    /// The upper committee's decision (its number or title).
    pub decision: String,
    /// The decision's date (`YYYY-MM-DD`).
    pub decision_on: String,
    /// Pays once a quarter (`true`/`on`).
    pub quarterly: String,
}

/// Whether a form's or API's flag is set.
pub fn flag(raw: &str) -> bool {
    matches!(raw.trim(), "true" | "on" | "1" | "yes")
}

/// Checks a profile; every refusal at once. `today` bounds the decision's date and is the
/// default month.
pub fn parse(i: &DuesBaseInput, today: Date) -> Result<DuesBase, ValidationErrors> {
    let mut e = ValidationErrors::default();
    let from = match i.from_month.trim() {
        "" => Some(Month::of(today)),
        m => e.take(Month::parse("from_month", m)),
    };
    let base = BaseKind::from_code(i.base_kind.trim());
    if base.is_none() {
        e.push("base_kind", Reason::UnknownChoice);
    }
    let base_fen = match base {
        Some(BaseKind::NoMonthlyIncome) => {
            e.take(parse_yuan("quarter_income", &i.quarter_income).map(quarter_average))
        }
        Some(BaseKind::Fixed) | None => Some(0),
        Some(_) => e.take(parse_yuan("base", &i.base)),
    };
    let (fixed, fixed_fen) = if base == Some(BaseKind::Fixed) {
        match FixedCategory::from_code(i.fixed_category.trim()) {
            None => {
                e.push("fixed_category", Reason::UnknownChoice);
                (None, None)
            }
            Some(FixedCategory::Farmer) => match e.take(parse_yuan("fixed_amount", &i.fixed_amount)) {
                Some(f) if (20..=100).contains(&f) => (Some(FixedCategory::Farmer), Some(f)),
                Some(_) => {
                    e.push(
                        "fixed_amount",
                        Reason::Refused {
                            zh: "农民党员每月 0.2 至 1 元（FEE-006）",
                            en: "a farmer pays 0.20 to 1.00 yuan a month (FEE-006)",
                        },
                    );
                    (None, None)
                }
                None => (None, None),
            },
            Some(c) => (Some(c), None),
        }
    } else {
        (None, None)
    };
    let relief = match i.relief.trim() {
        "" | "none" => None,
        r => {
            let v = Relief::from_code(r);
            if v.is_none() {
                e.push("relief", Reason::UnknownChoice);
            }
            v
        }
    };
    let decision = e.take(text::optional("decision", &i.decision, 100)).flatten();
    let decision_on = match e.take(text::optional_date("decision_on", &i.decision_on)) {
        Some(Some(d)) if d > today => {
            e.push("decision_on", Reason::DateInFuture);
            None
        }
        d => d.flatten(),
    };
    if relief.is_some() && decision.is_none() {
        e.push(
            "decision",
            Reason::Refused {
                zh: "少交或免交须经支部研究、报上一级党委批准，请填写批准决定（FEE-007）",
                en: "a reduction or exemption needs the upper committee's approval: give its decision (FEE-007)",
            },
        );
    }
    if relief.is_some() && decision_on.is_none() && i.decision_on.trim().is_empty() {
        e.push("decision_on", Reason::Required);
    }
    let relief_fen = match relief {
        Some(Relief::Reduced) => e.take(parse_yuan("relief_amount", &i.relief_amount)),
        _ => None,
    };
    e.into_result()?;
    let (Some(from), Some(base), Some(base_fen)) = (from, base, base_fen) else {
        return Err(ValidationErrors::default());
    };
    let p = DuesBase {
        from,
        base,
        base_fen,
        fixed,
        fixed_fen,
        relief,
        relief_fen,
        decision: if relief.is_some() { decision } else { None },
        decision_on: if relief.is_some() { decision_on } else { None },
        quarterly: flag(&i.quarterly),
    };
    if let (Some(Relief::Reduced), Some(r)) = (p.relief, p.relief_fen)
        && r >= monthly(&DuesBase { relief: None, ..p.clone() }).computed_fen
    {
        {
            let mut e = ValidationErrors::default();
            e.push(
                "relief_amount",
                Reason::Refused {
                    zh: "少交的数额应小于按规定应交的数额",
                    en: "a reduced amount is less than the amount due by the rules",
                },
            );
            return Err(e);
        }
    }
    Ok(p)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> Date {
        jiff::civil::date(2026, 11, 29)
    }

    #[test]
    fn a_wage_profile_is_read() {
        let p = parse(
            &DuesBaseInput { base_kind: "wage".into(), base: "6,000".into(), ..Default::default() },
            today(),
        )
        .unwrap();
        assert_eq!((p.from.to_string(), p.base_fen, monthly(&p).fen), ("2026-11".into(), 600_000, 9000));
    }

    #[test]
    fn bad_profiles_are_refused_by_field() {
        let fields = |i: DuesBaseInput| -> Vec<&'static str> {
            parse(&i, today()).unwrap_err().0.iter().map(|f| f.field).collect()
        };
        assert_eq!(
            fields(DuesBaseInput { base_kind: "wage".into(), base: "-5".into(), ..Default::default() }),
            ["base"]
        );
        assert_eq!(
            fields(DuesBaseInput { base_kind: "wage".into(), base: "abc".into(), ..Default::default() }),
            ["base"]
        );
        assert_eq!(
            fields(DuesBaseInput {
                base_kind: "wage".into(),
                base: "5000".into(),
                relief: "exempt".into(),
                ..Default::default()
            }),
            ["decision", "decision_on"]
        );
        assert_eq!(
            fields(DuesBaseInput {
                base_kind: "fixed".into(),
                fixed_category: "farmer".into(),
                fixed_amount: "2".into(),
                ..Default::default()
            }),
            ["fixed_amount"]
        );
        assert_eq!(
            fields(DuesBaseInput {
                base_kind: "wage".into(),
                base: "5000".into(),
                relief: "reduced".into(),
                relief_amount: "80".into(),
                decision: "深互党〔2026〕3号".into(),
                decision_on: "2026-11-01".into(),
                ..Default::default()
            }),
            ["relief_amount"]
        );
        assert_eq!(
            fields(DuesBaseInput {
                base_kind: "salary".into(),
                from_month: "2026-13".into(),
                ..Default::default()
            }),
            ["from_month", "base_kind"]
        );
    }
}
