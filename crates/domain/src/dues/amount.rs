//! The monthly amount of a member's dues: the brackets of FEE-002 on the after-tax regular
//! wage (FEE-001), the month's pay of an annual-salary member (FEE-003), the previous
//! quarter's average of a member without monthly income (FEE-004), a pension's two rates
//! (FEE-005), the fixed amounts (FEE-006), and a reduction or exemption approved by the upper
//! committee (FEE-007). Each amount names the rule it came from.

use super::Month;
use crate::codes::coded_enum;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

coded_enum! {
    /// What a member's dues are computed from.
    BaseKind {
        /// 工资收入（税后）: the relatively fixed, regular wage after tax (FEE-001, FEE-002).
        Wage = "wage", "工资收入（税后）", "regular wage after tax";
        /// 年薪制: the pay actually received that month (FEE-003).
        AnnualSalary = "annual_salary", "年薪制（当月实得）", "annual salary (this month's pay)";
        /// 不按月取得收入: the previous quarter's average monthly net income (FEE-004).
        NoMonthlyIncome = "no_monthly_income", "不按月取得收入（上季度月平均纯收入）", "no monthly income (last quarter's monthly average)";
        /// 离退休费: the pension actually received (FEE-005).
        Pension = "pension", "离退休费", "pension";
        /// 定额: a fixed amount (FEE-006).
        Fixed = "fixed", "定额交纳", "fixed amount";
    }
}

coded_enum! {
    /// Who pays a fixed amount (FEE-006).
    FixedCategory {
        /// 农民: 0.20–1.00 yuan, the province's standard.
        Farmer = "farmer", "农民", "farmer";
        /// 学生: 0.20 yuan.
        Student = "student", "学生", "student";
        /// 下岗失业: 0.20 yuan.
        Unemployed = "unemployed", "下岗失业", "laid off or unemployed";
        /// 依靠抚恤或救济生活: 0.20 yuan.
        Relief = "relief", "依靠抚恤或救济生活", "living on relief";
        /// 领取当地最低生活保障金: 0.20 yuan.
        Subsistence = "subsistence", "领取最低生活保障金", "on the minimum living allowance";
    }
}

coded_enum! {
    /// A reduction or exemption approved by the upper committee (FEE-007).
    Relief {
        /// 少交: a smaller amount.
        Reduced = "reduced", "少交", "reduced";
        /// 免交: nothing.
        Exempt = "exempt", "免交", "exempt";
    }
}

/// A member's dues profile from a month on (a new one applies from the month a new wage is
/// first received, FEE-008).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DuesBase {
    /// From this month on.
    pub from: Month,
    /// What the amount is computed from.
    pub base: BaseKind,
    /// The monthly base in fen (for [`BaseKind::NoMonthlyIncome`], the quarter's average);
    /// 0 for a fixed amount.
    pub base_fen: i64,
    /// Who pays a fixed amount.
    pub fixed: Option<FixedCategory>,
    /// A farmer's fixed amount (20–100 fen, the province's standard).
    pub fixed_fen: Option<i64>,
    /// A reduction or exemption.
    pub relief: Option<Relief>,
    /// The reduced amount.
    pub relief_fen: Option<i64>,
    /// The upper committee's decision approving the relief.
    pub decision: Option<String>,
    /// Its date.
    pub decision_on: Option<Date>,
    /// Pays once a quarter (FEE-009 with the branch's consent; FEE-011 for flowing members).
    pub quarterly: bool,
}

/// A month's amount and where it came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Amount {
    /// What is owed, in fen.
    pub fen: i64,
    /// What the rules give before any relief.
    pub computed_fen: i64,
    /// The rate in per mille, for a bracket.
    pub rate_permille: Option<i64>,
    /// The rule the amount comes from (`FEE-002`, …; `FEE-007` under relief).
    pub rule: &'static str,
}

/// The FEE-002 rate of a monthly after-tax wage, in per mille: ≤3,000 yuan 5‰, ≤5,000 10‰,
/// ≤10,000 15‰, above 20‰ (each upper bound inclusive; the rate applies to the whole).
pub fn wage_rate_permille(base_fen: i64) -> i64 {
    match base_fen {
        ..=300_000 => 5,
        300_001..=500_000 => 10,
        500_001..=1_000_000 => 15,
        _ => 20,
    }
}

/// The FEE-005 rate of a pension, in per mille: ≤5,000 yuan 5‰, above 10‰.
pub fn pension_rate_permille(base_fen: i64) -> i64 {
    if base_fen <= 500_000 { 5 } else { 10 }
}

/// `base × rate‰`, rounded half up to the fen (the rounding is ours: the regulation gives
/// none, and branches collect whole fen).
pub fn apply_rate(base_fen: i64, rate_permille: i64) -> i64 {
    (base_fen.max(0) * rate_permille + 500) / 1000
}

/// The fixed amount of FEE-006: a farmer's as the profile sets it (the province's
/// standard), everyone else's 0.20 yuan.
pub fn fixed_amount(category: FixedCategory, farmer_fen: Option<i64>) -> i64 {
    match category {
        FixedCategory::Farmer => farmer_fen.unwrap_or(20),
        _ => 20,
    }
}

/// The month's amount under a profile.
pub fn monthly(p: &DuesBase) -> Amount {
    let (computed_fen, rate_permille, rule) = match p.base {
        BaseKind::Wage | BaseKind::AnnualSalary | BaseKind::NoMonthlyIncome => {
            let rate = wage_rate_permille(p.base_fen);
            let rule = match p.base {
                BaseKind::AnnualSalary => "FEE-003",
                BaseKind::NoMonthlyIncome => "FEE-004",
                _ => "FEE-002",
            };
            (apply_rate(p.base_fen, rate), Some(rate), rule)
        }
        BaseKind::Pension => {
            let rate = pension_rate_permille(p.base_fen);
            (apply_rate(p.base_fen, rate), Some(rate), "FEE-005")
        }
        BaseKind::Fixed => {
            (fixed_amount(p.fixed.unwrap_or(FixedCategory::Student), p.fixed_fen), None, "FEE-006")
        }
    };
    match p.relief {
        Some(Relief::Exempt) => Amount { fen: 0, computed_fen, rate_permille, rule: "FEE-007" },
        Some(Relief::Reduced) => Amount {
            fen: p.relief_fen.unwrap_or(computed_fen).min(computed_fen),
            computed_fen,
            rate_permille,
            rule: "FEE-007",
        },
        None => Amount { fen: computed_fen, computed_fen, rate_permille, rule },
    }
}

/// The average monthly income of a quarter's total, to the fen (FEE-004).
pub fn quarter_average(total_fen: i64) -> i64 {
    (total_fen + 1) / 3
}

/// A single voluntary extra payment of 1,000 yuan or more goes entirely to the centre
/// (FEE-008, 第十一条).
pub fn extra_goes_to_centre(extra_fen: i64) -> bool {
    extra_fen >= 100_000
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wage(fen: i64) -> DuesBase {
        DuesBase {
            from: Month::new(2026, 1),
            base: BaseKind::Wage,
            base_fen: fen,
            fixed: None,
            fixed_fen: None,
            relief: None,
            relief_fen: None,
            decision: None,
            decision_on: None,
            quarterly: false,
        }
    }

    #[test]
    fn bracket_boundaries_are_exact() {
        // (wage in fen, rate ‰, amount in fen)
        for (w, rate, fen) in [
            (0, 5, 0),
            (300_000, 5, 1500),
            (300_001, 10, 3000),
            (500_000, 10, 5000),
            (500_001, 15, 7500),
            (1_000_000, 15, 15_000),
            (1_000_001, 20, 20_000),
            (123_456, 5, 617),
        ] {
            let a = monthly(&wage(w));
            assert_eq!((a.rate_permille, a.fen, a.rule), (Some(rate), fen, "FEE-002"), "wage {w}");
        }
    }

    #[test]
    fn special_cases_name_their_rules() {
        let p = DuesBase { base: BaseKind::Pension, ..wage(500_000) };
        assert_eq!((monthly(&p).fen, monthly(&p).rule), (2500, "FEE-005"));
        let p = DuesBase { base: BaseKind::Pension, ..wage(500_001) };
        assert_eq!(monthly(&p).fen, 5000);
        let p = DuesBase { base: BaseKind::NoMonthlyIncome, ..wage(quarter_average(1_500_000)) };
        assert_eq!((monthly(&p).fen, monthly(&p).rule), (5000, "FEE-004"));
        let p = DuesBase { base: BaseKind::Fixed, fixed: Some(FixedCategory::Student), ..wage(0) };
        assert_eq!((monthly(&p).fen, monthly(&p).rule), (20, "FEE-006"));
        let p = DuesBase {
            base: BaseKind::Fixed,
            fixed: Some(FixedCategory::Farmer),
            fixed_fen: Some(50),
            ..wage(0)
        };
        assert_eq!(monthly(&p).fen, 50);
        let p = DuesBase { relief: Some(Relief::Exempt), ..wage(800_000) };
        assert_eq!((monthly(&p).fen, monthly(&p).computed_fen, monthly(&p).rule), (0, 12_000, "FEE-007"));
        let p = DuesBase { relief: Some(Relief::Reduced), relief_fen: Some(1000), ..wage(800_000) };
        assert_eq!(monthly(&p).fen, 1000);
        assert!(extra_goes_to_centre(100_000) && !extra_goes_to_centre(99_999));
    }
}
