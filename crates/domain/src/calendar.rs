//! Working days in mainland China (工作日): Monday to Friday, minus public holidays, plus
//! make-up working days (调休), from a table shipped as data (`data/cn-workdays.txt`, 2014–2027)
//! that an admin can replace. 公示 periods (RULES.md DEV-050) are counted in these days.

use jiff::ToSpan;
use jiff::civil::Date;
use std::collections::BTreeSet;

/// The shipped table.
pub const SHIPPED: &str = include_str!("../data/cn-workdays.txt");

/// A line of a calendar table that could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {en}")]
pub struct CalendarError {
    /// 1-based line number.
    pub line: usize,
    /// What is wrong with it, in Chinese.
    pub zh: String,
    /// What is wrong with it, in English.
    pub en: String,
}

/// Holidays and make-up working days.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WorkCalendar {
    holidays: BTreeSet<Date>,
    workdays: BTreeSet<Date>,
    /// The same as one byte a day from `base` (a day number), for the screening's speed:
    /// 0 as the week says, [`HOLIDAY`] or [`WORKDAY`].
    table: Vec<u8>,
    base: i32,
}

const HOLIDAY: u8 = 1;
const WORKDAY: u8 = 2;

/// Days since 1970-01-01 (negative before), by the civil calendar: a cheap way to count the
/// days between two dates.
#[inline]
pub fn day_number(d: Date) -> i32 {
    let (m, day) = (i32::from(d.month()), i32::from(d.day()));
    let y = i32::from(d.year()) - i32::from(m <= 2);
    let era = y.div_euclid(400);
    let year_of_era = y - era * 400;
    let day_of_year = (153 * ((m + 9) % 12) + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// The longest range one line may give (a guard against typos such as a wrong year).
const RANGE_MAX_DAYS: i32 = 31;

impl WorkCalendar {
    /// The shipped table (its parsing is tested; an unreadable table would give weekdays only).
    pub fn shipped() -> Self {
        Self::parse(SHIPPED).unwrap_or_default()
    }

    /// Reads a table: `DATE 放假|上班 NOTE` or `FROM..TO 放假|上班 NOTE` per line (`holiday`
    /// and `workday` are read too).
    pub fn parse(text: &str) -> Result<Self, CalendarError> {
        let mut cal = Self::default();
        for (i, raw) in text.lines().enumerate() {
            let line = raw.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let err =
                |zh: &str, en: &str| CalendarError { line: i + 1, zh: zh.to_owned(), en: en.to_owned() };
            let mut parts = line.split_whitespace();
            let (Some(when), Some(kind)) = (parts.next(), parts.next()) else {
                return Err(err(
                    "应为日期和“放假”或“上班”",
                    "expected a date and 放假 (holiday) or 上班 (workday)",
                ));
            };
            let (from, to) = match when.split_once("..") {
                Some((a, b)) => (a, b),
                None => (when, when),
            };
            let parse = |s: &str| {
                s.parse::<Date>()
                    .map_err(|_| err("日期应写成 2024-01-31 的形式", "a date must be YYYY-MM-DD"))
            };
            let (from, to) = (parse(from)?, parse(to)?);
            if to < from || from.until(to).map_or(true, |s| s.get_days() > RANGE_MAX_DAYS) {
                return Err(err(
                    "起止日期应从前到后，且不超过 31 天",
                    "the range must run forwards and span at most 31 days",
                ));
            }
            let set = match kind {
                "放假" | "holiday" => &mut cal.holidays,
                "上班" | "workday" => &mut cal.workdays,
                _ => {
                    return Err(err(
                        "第二项应为“放假”或“上班”",
                        "the second word must be 放假 (holiday) or 上班 (workday)",
                    ));
                }
            };
            let mut d = from;
            while d <= to {
                set.insert(d);
                d = d.tomorrow().map_err(|_| err("日期超出范围", "date out of range"))?;
            }
        }
        if let Some(both) = cal.holidays.intersection(&cal.workdays).next() {
            return Err(CalendarError {
                line: 0,
                zh: format!("{both} 既是放假日又是上班日"),
                en: format!("{both} is both a holiday and a workday"),
            });
        }
        let days = || cal.holidays.iter().chain(cal.workdays.iter()).map(|d| day_number(*d));
        if let (Some(first), Some(last)) = (days().min(), days().max()) {
            let mut table = vec![0u8; usize::try_from(last - first + 1).unwrap_or(0)];
            for (set, flag) in [(&cal.holidays, HOLIDAY), (&cal.workdays, WORKDAY)] {
                for d in set {
                    if let Some(slot) =
                        usize::try_from(day_number(*d) - first).ok().and_then(|i| table.get_mut(i))
                    {
                        *slot = flag;
                    }
                }
            }
            cal.table = table;
            cal.base = first;
        }
        Ok(cal)
    }

    /// Whether `d` is a working day.
    #[inline]
    pub fn is_workday(&self, d: Date) -> bool {
        let n = day_number(d);
        match usize::try_from(n - self.base).ok().and_then(|i| self.table.get(i)) {
            Some(&HOLIDAY) => false,
            Some(&WORKDAY) => true,
            // 1970-01-01 was a Thursday: 0 is Sunday, 6 Saturday.
            _ => !matches!((n + 4).rem_euclid(7), 0 | 6),
        }
    }

    /// The `n`-th working day counting from `start` (itself included when it is a working
    /// day): a notice posted on `start` for `n` working days runs to this day inclusive.
    pub fn nth_workday(&self, start: Date, n: u32) -> Date {
        let mut d = start;
        let mut seen = 0;
        loop {
            if self.is_workday(d) {
                seen += 1;
                if seen >= n.max(1) {
                    return d;
                }
            }
            match d.checked_add(1.day()) {
                Ok(next) => d = next,
                Err(_) => return d,
            }
        }
    }

    /// Working days from `start` to `end`, both included.
    pub fn workdays_between(&self, start: Date, end: Date) -> u32 {
        let mut d = start;
        let mut n = 0;
        while d <= end {
            if self.is_workday(d) {
                n += 1;
            }
            match d.tomorrow() {
                Ok(next) => d = next,
                Err(_) => break,
            }
        }
        n
    }

    /// Years the table lists any day for.
    pub fn years(&self) -> BTreeSet<i16> {
        self.holidays.iter().chain(self.workdays.iter()).map(|d| d.year()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::Weekday;

    #[test]
    fn the_day_table_agrees_with_the_week_and_the_lists_on_every_day() {
        let cal = WorkCalendar::shipped();
        let mut day = d(2012, 1, 1);
        while day < d(2030, 1, 1) {
            let by_lists = cal.workdays.contains(&day)
                || (!matches!(day.weekday(), Weekday::Saturday | Weekday::Sunday)
                    && !cal.holidays.contains(&day));
            assert_eq!(cal.is_workday(day), by_lists, "{day}");
            day = day.tomorrow().unwrap();
        }
        assert_eq!(day_number(d(1970, 1, 1)), 0);
        assert_eq!(day_number(d(2000, 3, 1)), 11_017);
        assert_eq!(day_number(d(1969, 12, 31)), -1);
    }

    fn d(y: i16, m: i8, day: i8) -> Date {
        Date::new(y, m, day).unwrap()
    }

    #[test]
    fn the_shipped_table_reads_and_covers_2014_to_2027() {
        let cal = WorkCalendar::parse(SHIPPED).unwrap();
        assert_eq!(cal.years(), (2014..=2027).collect());
    }

    #[test]
    fn holidays_and_make_up_days() {
        let cal = WorkCalendar::shipped();
        assert!(!cal.is_workday(d(2024, 10, 1)), "National Day");
        assert!(cal.is_workday(d(2024, 10, 12)), "a Saturday made a working day");
        assert!(!cal.is_workday(d(2024, 10, 13)), "an ordinary Sunday");
        assert!(cal.is_workday(d(2024, 10, 8)), "an ordinary Tuesday");
        assert!(!cal.is_workday(d(2026, 2, 23)), "2026 Spring Festival runs nine days");
        assert!(cal.is_workday(d(2026, 2, 28)));
    }

    #[test]
    fn a_five_working_day_notice_across_national_day() {
        let cal = WorkCalendar::shipped();
        // Posted Friday 2024-09-27: 27th, Sunday 29th (make-up day), 30th, then 8, 9 October.
        assert_eq!(cal.nth_workday(d(2024, 9, 27), 5), d(2024, 10, 9));
        assert_eq!(cal.workdays_between(d(2024, 9, 27), d(2024, 10, 9)), 5);
        // Posted on a Saturday: counting starts on Monday.
        assert_eq!(cal.nth_workday(d(2024, 11, 2), 5), d(2024, 11, 8));
    }

    #[test]
    fn bad_tables_name_the_line() {
        let e = WorkCalendar::parse("# c\n2024-13-01 holiday x").unwrap_err();
        assert_eq!(e.line, 2);
        assert!(WorkCalendar::parse("2024-01-01 party").is_err());
        assert!(WorkCalendar::parse("2024-01-01..2024-12-31 holiday too long").is_err());
        assert!(WorkCalendar::parse("2024-01-06 holiday\n2024-01-06 workday").is_err());
        // The Chinese words and the English ones mean the same.
        assert_eq!(
            WorkCalendar::parse("2024-01-01 放假 元旦\n2024-01-06 上班 调休"),
            WorkCalendar::parse("2024-01-01 holiday x\n2024-01-06 workday y")
        );
        assert!(WorkCalendar::parse("2024-01-01 假期").unwrap_err().zh.contains("放假"));
    }
}
