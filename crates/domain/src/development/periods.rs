//! Waiting periods of the procedure, in calendar arithmetic (jiff clamps 29 February:
//! 2024-02-29 + 1 year = 2025-02-28, as DESIGN.md chose). The rule engine of issue 4 calls
//! these; each names the rule it implements.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// Whether the anniversary day itself completes a period of "一年以上" (RULES.md DEV-010
/// treats it as inclusive; the official reading is still **U**, so it is a setting).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Anniversary {
    /// The anniversary day counts (the default).
    #[default]
    Inclusive,
    /// Only the day after the anniversary counts.
    Exclusive,
}

/// `from` plus `months` calendar months, clamped to the end of a shorter month (the same
/// answer as jiff's span arithmetic, computed directly: the rule engine calls it often).
pub fn add_months(from: Date, months: i64) -> Date {
    let index = i64::from(from.year()) * 12 + i64::from(from.month() - 1) + months;
    let (year, month) = (index.div_euclid(12), index.rem_euclid(12) + 1);
    let (Ok(year), Ok(month)) = (i16::try_from(year), i8::try_from(month)) else {
        return from;
    };
    let Ok(first) = Date::new(year, month, 1) else {
        return from;
    };
    let day = from.day().min(first.days_in_month());
    Date::new(year, month, day).unwrap_or(from)
}

/// The first day on which `months` calendar months since `from` are complete.
pub fn complete_after_months(from: Date, months: i64, anniversary: Anniversary) -> Date {
    let end = add_months(from, months);
    match anniversary {
        Anniversary::Inclusive => end,
        Anniversary::Exclusive => end.tomorrow().unwrap_or(end),
    }
}

/// DEV-010: a development target only after a year (一年以上) as an activist.
pub fn activist_year_complete(activist_on: Date, target_on: Date, anniversary: Anniversary) -> bool {
    target_on >= complete_after_months(activist_on, 12, anniversary)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i16, m: i8, day: i8) -> Date {
        Date::new(y, m, day).unwrap()
    }

    #[test]
    fn a_full_year_as_activist_and_not_a_day_less() {
        let cases = [
            // (activist, target, inclusive, exclusive)
            (d(2024, 3, 1), d(2025, 3, 1), true, false),
            (d(2024, 3, 1), d(2025, 2, 28), false, false),
            (d(2024, 3, 1), d(2025, 3, 2), true, true),
            // 29 February: the year is complete on 28 February of a common year.
            (d(2024, 2, 29), d(2025, 2, 28), true, false),
            (d(2024, 2, 29), d(2025, 2, 27), false, false),
            (d(2023, 2, 28), d(2024, 2, 28), true, false),
            (d(2023, 2, 28), d(2024, 2, 27), false, false),
        ];
        for (activist, target, inclusive, exclusive) in cases {
            assert_eq!(
                activist_year_complete(activist, target, Anniversary::Inclusive),
                inclusive,
                "{activist} → {target}"
            );
            assert_eq!(
                activist_year_complete(activist, target, Anniversary::Exclusive),
                exclusive,
                "{activist} → {target}"
            );
        }
    }

    #[test]
    fn add_months_agrees_with_jiff() {
        use jiff::ToSpan;
        let mut day = d(2015, 1, 1);
        while day < d(2029, 1, 1) {
            for m in [-204, -12, -1, 1, 3, 5, 6, 12, 13, 24] {
                assert_eq!(add_months(day, m), day.checked_add(m.months()).unwrap(), "{day} + {m}");
            }
            day = day.tomorrow().unwrap();
        }
    }

    #[test]
    fn month_arithmetic_clamps_to_the_end_of_the_month() {
        assert_eq!(complete_after_months(d(2026, 1, 31), 1, Anniversary::Inclusive), d(2026, 2, 28));
        assert_eq!(complete_after_months(d(2026, 8, 31), 3, Anniversary::Inclusive), d(2026, 11, 30));
        assert_eq!(complete_after_months(d(2026, 8, 31), 3, Anniversary::Exclusive), d(2026, 12, 1));
    }
}
