//! Age in full years (周岁) at a reference date, and the age bands of RULES.md STAT-001.

use jiff::ToSpan;
use jiff::civil::Date;

/// Age in full years at `on`: a person is `n` years old once their birth date plus `n`
/// calendar years is on or before `on`. Someone born on 29 February turns a year older on
/// 28 February in common years: jiff clamps `2008-02-29 + 18 years` to 2026-02-28, the
/// convention of the rule engine (DESIGN.md; DEV-001 adds 18 × 12 months the same way),
/// so a person comes of age for the rules and in the statistics on the same day.
pub fn full_years(birth: Date, on: Date) -> i32 {
    let years = i32::from(on.year()) - i32::from(birth.year());
    // The birthday in `on`'s year, compared as (month, day) without date arithmetic (the
    // statistics ask this of every member on every request): 29 February falls on
    // 28 February in a common year.
    let day = if (birth.month(), birth.day()) == (2, 29) && !on.in_leap_year() { 28 } else { birth.day() };
    if (on.month(), on.day()) < (birth.month(), day) { years - 1 } else { years }
}

/// The latest birth date of someone at least `n` full years old at `on` ([`full_years`]):
/// `on` less `n` years, or the day after when that day is a 29 February whose birthday
/// falls on `on` (28 February in a common year).
fn latest_birth(on: Date, n: i32) -> Option<Date> {
    let back = on.checked_sub(i64::from(n).years()).ok()?;
    match back.tomorrow() {
        Ok(next) if next.checked_add(i64::from(n).years()).is_ok_and(|b| b <= on) => Some(next),
        _ => Some(back),
    }
}

/// The age bands of the annual statistical bulletin (STAT-001).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AgeBand {
    /// 30 and under.
    UpTo30,
    /// 31 to 35.
    From31To35,
    /// 36 to 40.
    From36To40,
    /// 41 to 45.
    From41To45,
    /// 46 to 50.
    From46To50,
    /// 51 to 55.
    From51To55,
    /// 56 to 60.
    From56To60,
    /// 61 and over.
    From61,
}

impl serde::Serialize for AgeBand {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.code())
    }
}

impl AgeBand {
    /// All bands, youngest first.
    pub const ALL: [AgeBand; 8] = [
        AgeBand::UpTo30,
        AgeBand::From31To35,
        AgeBand::From36To40,
        AgeBand::From41To45,
        AgeBand::From46To50,
        AgeBand::From51To55,
        AgeBand::From56To60,
        AgeBand::From61,
    ];

    /// The code used in URLs and JSON.
    pub fn code(self) -> &'static str {
        match self {
            AgeBand::UpTo30 => "30_and_under",
            AgeBand::From31To35 => "31_35",
            AgeBand::From36To40 => "36_40",
            AgeBand::From41To45 => "41_45",
            AgeBand::From46To50 => "46_50",
            AgeBand::From51To55 => "51_55",
            AgeBand::From56To60 => "56_60",
            AgeBand::From61 => "61_and_over",
        }
    }

    /// Parses a code.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|b| b.code() == code)
    }

    /// The Chinese label.
    pub fn zh(self) -> &'static str {
        match self {
            AgeBand::UpTo30 => "30岁及以下",
            AgeBand::From31To35 => "31至35岁",
            AgeBand::From36To40 => "36至40岁",
            AgeBand::From41To45 => "41至45岁",
            AgeBand::From46To50 => "46至50岁",
            AgeBand::From51To55 => "51至55岁",
            AgeBand::From56To60 => "56至60岁",
            AgeBand::From61 => "61岁及以上",
        }
    }

    /// The English label.
    pub fn en(self) -> &'static str {
        match self {
            AgeBand::UpTo30 => "30 and under",
            AgeBand::From31To35 => "31–35",
            AgeBand::From36To40 => "36–40",
            AgeBand::From41To45 => "41–45",
            AgeBand::From46To50 => "46–50",
            AgeBand::From51To55 => "51–55",
            AgeBand::From56To60 => "56–60",
            AgeBand::From61 => "61 and over",
        }
    }

    /// Inclusive ages of the band (`None` = unbounded above).
    pub fn ages(self) -> (i32, Option<i32>) {
        match self {
            AgeBand::UpTo30 => (0, Some(30)),
            AgeBand::From31To35 => (31, Some(35)),
            AgeBand::From36To40 => (36, Some(40)),
            AgeBand::From41To45 => (41, Some(45)),
            AgeBand::From46To50 => (46, Some(50)),
            AgeBand::From51To55 => (51, Some(55)),
            AgeBand::From56To60 => (56, Some(60)),
            AgeBand::From61 => (61, None),
        }
    }

    /// Birth dates whose age at `on` falls in the band, as `(after, up_to)`:
    /// a birth date `b` is in the band when `after < b <= up_to` (`after = None` = no bound).
    pub fn birth_range(self, on: Date) -> (Option<Date>, Date) {
        let (min, max) = self.ages();
        let up_to = latest_birth(on, min).unwrap_or(on);
        let after = max.and_then(|m| latest_birth(on, m + 1));
        (after, up_to)
    }

    /// The band of an age.
    pub fn of_age(age: i32) -> Self {
        Self::ALL
            .into_iter()
            .find(|b| {
                let (lo, hi) = b.ages();
                age >= lo && hi.is_none_or(|h| age <= h)
            })
            .unwrap_or(AgeBand::From61)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(y: i16, m: i8, day: i8) -> Date {
        Date::new(y, m, day).unwrap()
    }

    #[test]
    fn full_years_turn_on_the_birthday() {
        assert_eq!(full_years(d(1990, 6, 15), d(2020, 6, 14)), 29);
        assert_eq!(full_years(d(1990, 6, 15), d(2020, 6, 15)), 30);
        assert_eq!(full_years(d(2000, 2, 29), d(2021, 3, 1)), 21);
        assert_eq!(full_years(d(2000, 2, 29), d(2024, 2, 28)), 23);
        assert_eq!(full_years(d(2000, 2, 29), d(2024, 2, 29)), 24);
    }

    #[test]
    fn born_on_29_february_a_year_older_on_28_february_as_in_the_rules() {
        // The rules' convention: 2008-02-29 + 18 years is 2026-02-28.
        assert_eq!(d(2008, 2, 29).checked_add(18.years()).unwrap(), d(2026, 2, 28));
        assert_eq!(full_years(d(2008, 2, 29), d(2026, 2, 27)), 17);
        assert_eq!(full_years(d(2008, 2, 29), d(2026, 2, 28)), 18);
        assert_eq!(full_years(d(2000, 2, 29), d(2021, 2, 28)), 21);
        assert_eq!(full_years(d(2000, 2, 29), d(2021, 2, 27)), 20);
        // The bands agree: born 1996-02-29, 30 on 2026-02-28 and 31 on 2027-02-28.
        assert_eq!(AgeBand::of_age(full_years(d(1996, 2, 29), d(2026, 2, 28))), AgeBand::UpTo30);
        let (after, up_to) = AgeBand::UpTo30.birth_range(d(2027, 2, 28));
        assert_eq!((after, up_to), (Some(d(1996, 2, 29)), d(2027, 2, 28)));
        assert_eq!(AgeBand::From31To35.birth_range(d(2027, 2, 28)).1, d(1996, 2, 29));
        assert_eq!(AgeBand::From61.birth_range(d(2021, 2, 28)), (None, d(1960, 2, 29)));
    }

    proptest! {
        /// The comparison of (month, day) gives the age the calendar arithmetic gives.
        #[test]
        fn full_years_is_the_calendar_definition(days in 0i64..40_000, on_days in 0i64..40_000) {
            let birth = d(1920, 1, 1).checked_add(days.days()).unwrap();
            let on = d(1920, 1, 1).checked_add(on_days.days()).unwrap();
            let mut years = i32::from(on.year()) - i32::from(birth.year());
            if birth.checked_add(i64::from(years).years()).is_ok_and(|birthday| birthday > on) {
                years -= 1;
            }
            prop_assert_eq!(full_years(birth, on), years, "birth {} on {}", birth, on);
        }

        #[test]
        fn birth_range_agrees_with_full_years(days in 0i64..30_000, on_days in 0i64..3_000) {
            let on = d(2020, 1, 1).checked_add(on_days.days()).unwrap();
            let birth = d(1940, 1, 1).checked_add(days.days()).unwrap();
            prop_assume!(birth <= on);
            let band = AgeBand::of_age(full_years(birth, on));
            for b in AgeBand::ALL {
                let (after, up_to) = b.birth_range(on);
                let inside = after.is_none_or(|a| birth > a) && birth <= up_to;
                prop_assert_eq!(inside, b == band, "band {:?} birth {} on {}", b, birth, on);
            }
        }
    }
}
