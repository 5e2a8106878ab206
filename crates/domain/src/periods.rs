//! Waiting periods of the procedure, in calendar arithmetic (jiff clamps 29 February:
//! 2024-02-29 + 1 year = 2025-02-28, as DESIGN.md chose). The rule engine of issue 4 calls
//! these; each names the rule it implements.

use jiff::ToSpan;
use jiff::civil::Date;
use serde::Serialize;

/// Whether the anniversary day itself completes a period of "一年以上" (RULES.md DEV-010
/// treats it as inclusive; the official reading is still **U**, so it is a setting).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Anniversary {
    /// The anniversary day counts (the default).
    #[default]
    Inclusive,
    /// Only the day after the anniversary counts.
    Exclusive,
}

/// The first day on which `months` calendar months since `from` are complete.
pub fn complete_after_months(from: Date, months: i64, anniversary: Anniversary) -> Date {
    let end = from.checked_add(months.months()).unwrap_or(from);
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
    fn month_arithmetic_clamps_to_the_end_of_the_month() {
        assert_eq!(complete_after_months(d(2026, 1, 31), 1, Anniversary::Inclusive), d(2026, 2, 28));
        assert_eq!(complete_after_months(d(2026, 8, 31), 3, Anniversary::Inclusive), d(2026, 11, 30));
        assert_eq!(complete_after_months(d(2026, 8, 31), 3, Anniversary::Exclusive), d(2026, 12, 1));
    }
}
