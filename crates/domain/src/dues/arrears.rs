//! A member's standing in dues as of a month: what each month owed under the profile then in
//! force, what is still unpaid, and the AUD-31 findings — six or more consecutive months
//! unpaid without a recorded reason (FEE-010, 党章第九条) and a back payment made more than
//! six months after its month (FEE-009). A month is late only once it is closed: the month
//! after it for a monthly payer, the month after its quarter for a quarterly one (FEE-011).

use super::Month;
use super::amount::{Amount, DuesBase, monthly};
use serde::Serialize;

/// How far back arrears are looked for (months); older months are history.
pub const LOOKBACK_MONTHS: i32 = 36;
/// Consecutive unpaid months that FEE-010 treats as leaving the party.
pub const UNPAID_RUN_LIMIT: u32 = 6;
/// How many months late a back payment may be (FEE-009).
pub const BACK_PAYMENT_LIMIT: i32 = 6;

/// What was paid for one month.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MonthPaid {
    /// The month paid for.
    pub month: Month,
    /// Dues paid for it, in fen (voluntary extra not counted).
    pub paid_fen: i64,
    /// The month of its latest payment.
    pub last_paid: Month,
}

/// What each month was paid, in month order, from payments `(month, fen, month paid in)`
/// in any order (several payments of one month add up; the latest day counts).
pub fn months_paid(payments: impl IntoIterator<Item = (Month, i64, Month)>) -> Vec<MonthPaid> {
    let mut all: Vec<(Month, i64, Month)> = payments.into_iter().collect();
    all.sort_by_key(|p| p.0);
    let mut out: Vec<MonthPaid> = Vec::new();
    for (month, fen, on) in all {
        match out.last_mut() {
            Some(last) if last.month == month => {
                last.paid_fen += fen;
                last.last_paid = last.last_paid.max(on);
            }
            _ => out.push(MonthPaid { month, paid_fen: fen, last_paid: on }),
        }
    }
    out
}

/// An AUD-31 finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Finding {
    /// Six or more consecutive closed months unpaid without reason.
    SixMonthsUnpaid,
    /// A back payment more than six months after its month.
    LateBackPayment,
}

impl Finding {
    /// The finding in the user's words.
    pub fn words(self) -> (&'static str, &'static str) {
        match self {
            Self::SixMonthsUnpaid => (
                "无正当理由连续 6 个月未交纳党费，应按自行脱党处理程序办理（FEE-010）",
                "six consecutive months unpaid without reason: the leaving-of-one's-own-accord procedure applies (FEE-010)",
            ),
            Self::LateBackPayment => {
                ("补交党费超过 6 个月（FEE-009）", "a back payment more than six months late (FEE-009)")
            }
        }
    }
}

/// A member's standing as of a month.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Standing {
    /// The amount of the month asked for, when a profile covers it.
    pub due: Option<Amount>,
    /// Paid for that month, in fen.
    pub paid_fen: i64,
    /// Closed months still unpaid (not excused), within the look-back.
    pub unpaid_months: u32,
    /// What those months still owe, in fen.
    pub owed_fen: i64,
    /// The longest run of consecutive unpaid closed months.
    pub longest_run: u32,
    /// The last month of that run.
    pub run_end: Option<Month>,
    /// Back payments made more than six months late.
    pub late_back_payments: u32,
    /// AUD-31 findings.
    pub findings: Vec<Finding>,
}

/// The profile in force in `m` (`profiles` sorted by `from`).
pub fn profile_at(profiles: &[DuesBase], m: Month) -> Option<&DuesBase> {
    profiles.iter().rev().find(|p| p.from <= m)
}

/// Whether `m` must have been paid by the start of `now` under profile `p`.
fn closed(p: &DuesBase, m: Month, now: Month) -> bool {
    if p.quarterly { m.quarter_end() < now } else { m < now }
}

/// A member's standing in month `now`: `profiles` sorted by `from`, `paid` by month (any
/// order), `excused` the months with a recorded good reason.
pub fn standing(profiles: &[DuesBase], paid: &[MonthPaid], excused: &[Month], now: Month) -> Standing {
    let paid_in = |m: Month| paid.iter().filter(|p| p.month == m).map(|p| p.paid_fen).sum::<i64>();
    let due = profile_at(profiles, now).map(monthly);
    let mut s = Standing {
        due,
        paid_fen: paid_in(now),
        unpaid_months: 0,
        owed_fen: 0,
        longest_run: 0,
        run_end: None,
        late_back_payments: 0,
        findings: Vec::new(),
    };
    let Some(first) = profiles.first().map(|p| p.from) else { return s };
    let start = first.max(now.plus(-LOOKBACK_MONTHS));
    let mut run = 0u32;
    let mut m = start;
    while m < now {
        let Some(p) = profile_at(profiles, m) else { break };
        let owed = monthly(p).fen - paid_in(m);
        if !closed(p, m, now) {
            run = 0;
        } else if owed > 0 && !excused.contains(&m) {
            s.unpaid_months += 1;
            s.owed_fen += owed;
            run += 1;
            if run > s.longest_run {
                s.longest_run = run;
                s.run_end = Some(m);
            }
        } else {
            run = 0;
        }
        m = m.plus(1);
    }
    s.late_back_payments = u32::try_from(
        paid.iter()
            .filter(|p| p.month >= start && p.month.months_to(p.last_paid) > BACK_PAYMENT_LIMIT)
            .count(),
    )
    .unwrap_or(u32::MAX);
    if s.longest_run >= UNPAID_RUN_LIMIT {
        s.findings.push(Finding::SixMonthsUnpaid);
    }
    if s.late_back_payments > 0 {
        s.findings.push(Finding::LateBackPayment);
    }
    s
}

#[cfg(test)]
mod tests {
    use super::super::amount::BaseKind;
    use super::*;

    fn wage(from: Month, quarterly: bool) -> DuesBase {
        DuesBase {
            from,
            base: BaseKind::Wage,
            base_fen: 600_000,
            fixed: None,
            fixed_fen: None,
            relief: None,
            relief_fen: None,
            decision: None,
            decision_on: None,
            quarterly,
        }
    }

    fn paid(m: Month, fen: i64, on: Month) -> MonthPaid {
        MonthPaid { month: m, paid_fen: fen, last_paid: on }
    }

    #[test]
    fn six_unpaid_months_are_found_and_an_excused_month_breaks_the_run() {
        let jan = Month::new(2026, 1);
        let p = [wage(jan, false)];
        let now = Month::new(2026, 8);
        // Jan paid; Feb–Jul unpaid: six months.
        let s = standing(&p, &[paid(jan, 9000, jan)], &[], now);
        assert_eq!((s.unpaid_months, s.longest_run, s.owed_fen), (6, 6, 54_000));
        assert_eq!(s.findings, [Finding::SixMonthsUnpaid]);
        assert_eq!(s.run_end, Some(Month::new(2026, 7)));
        // Five months only: no finding.
        let s = standing(&p, &[paid(jan, 9000, jan)], &[], now.plus(-1));
        assert!(s.findings.is_empty());
        // April excused: runs of 2 and 3.
        let s = standing(&p, &[paid(jan, 9000, jan)], &[Month::new(2026, 4)], now);
        assert_eq!((s.unpaid_months, s.longest_run), (5, 3));
        assert!(s.findings.is_empty());
        // A half-paid month is still unpaid.
        let s = standing(&p, &[paid(jan, 4000, jan)], &[], Month::new(2026, 2));
        assert_eq!((s.unpaid_months, s.owed_fen), (1, 5000));
    }

    #[test]
    fn quarterly_payers_owe_after_the_quarter_and_late_back_payments_are_found() {
        let jan = Month::new(2026, 1);
        let p = [wage(jan, true)];
        // In March the first quarter is still open.
        assert_eq!(standing(&p, &[], &[], Month::new(2026, 3)).unpaid_months, 0);
        assert_eq!(standing(&p, &[], &[], Month::new(2026, 4)).unpaid_months, 3);
        let m = [wage(jan, false)];
        let s = standing(&m, &[paid(jan, 9000, Month::new(2026, 8))], &[], Month::new(2026, 9));
        assert_eq!(s.findings, [Finding::SixMonthsUnpaid, Finding::LateBackPayment]);
        let s = standing(&m, &[paid(jan, 9000, Month::new(2026, 7))], &[], Month::new(2026, 2));
        assert_eq!(s.late_back_payments, 0);
    }
}
