//! 党内统计 (RULES.md STAT-001…003) computed from dated facts, for any reference date: a
//! person's status on a day is the furthest step of the procedure dated on or before it,
//! so every figure can be recomputed for a past date and there are no counters to keep.
//! Stock figures (members by age band, education, women, minorities, categories, mobile)
//! are counted among members on the reference date, ages in full years on that date
//! (STAT-002); flows (new members, applications) are counted by year, and a new member's
//! age is taken on the day of admission (STAT-002 leaves this open; our choice).
//! A member who left (出党, or died) is a non-member from the day they left, and is counted
//! in that year's departures. `Figure` names each figure, so the people behind it can be
//! listed (the drill-down).

use crate::people::age::{AgeBand, full_years};
use crate::people::departure::DepartureKind;
use crate::people::{Education, Status, StatusDates, WorkerCategory};
use jiff::civil::Date;
use serde::Serialize;

/// One person as statistics read them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Facts {
    /// Birth date.
    pub birth: Date,
    /// Female.
    pub female: bool,
    /// Not 汉族.
    pub minority: bool,
    /// Education.
    pub education: Education,
    /// Worker category.
    pub category: WorkerCategory,
    /// A mobile member (流动党员).
    pub mobile: bool,
    /// Status now.
    pub status: Status,
    /// The dates of the procedure's steps.
    pub dates: StatusDates,
    /// The day the member left, how, and the status they had until then.
    pub left: Option<(Date, DepartureKind, Status)>,
}

impl Facts {
    /// The status on `d`: the furthest step dated on or before `d`. A person whose present
    /// status carries no date (an old member recorded without one) keeps that status on
    /// every day: their history is unknown, and `undated` says so.
    pub fn status_on(&self, d: Date) -> Option<Status> {
        if self.left.is_some_and(|(on, ..)| on <= d) {
            return Some(Status::NonMember);
        }
        if self.undated() {
            return Some(self.held());
        }
        self.dates.steps().into_iter().rev().find(|(_, on, _)| on.is_some_and(|x| x <= d)).map(|(_, _, s)| s)
    }

    /// The present status has no date; or a non-member carries the dates of an earlier
    /// application or membership without a recorded departure, so when they stopped is
    /// unknown.
    pub fn undated(&self) -> bool {
        match self.held() {
            Status::NonMember => self.dates.steps().iter().any(|(_, d, _)| d.is_some()),
            s => self.dates.date_of(s).is_none(),
        }
    }

    /// The status held: the present one, or for someone who left the one they had.
    fn held(&self) -> Status {
        self.left.map_or(self.status, |(.., before)| before)
    }

    /// The status the dashboard counts on `d`: someone with no status yet on that day (no
    /// step dated by then) is counted with the non-members (群众).
    pub fn counted_status_on(&self, d: Date) -> Status {
        self.status_on(d).unwrap_or(Status::NonMember)
    }

    /// A party member (probationary or full) on `d`.
    pub fn member_on(&self, d: Date) -> bool {
        self.status_on(d).is_some_and(Status::is_member)
    }

    /// 大专 or higher (STAT-002).
    pub fn college(&self) -> bool {
        self.education.is_college_or_above()
    }

    /// Age in full years on `d`.
    pub fn age_on(&self, d: Date) -> i32 {
        full_years(self.birth, d)
    }
}

/// A figure of the dashboard, to list the people it counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Figure {
    /// Members (probationary and full) on the reference date: the headline count.
    Members,
    /// In this status on the reference date, as the dashboard counts it
    /// ([`Facts::counted_status_on`]).
    Status(Status),
    /// Members in this age band.
    Band(AgeBand),
    /// Members aged 30 and under.
    UpTo30,
    /// Members aged 35 and under.
    UpTo35,
    /// Members with 大专 or higher.
    College,
    /// Women members.
    Women,
    /// Members of an ethnic minority.
    Minorities,
    /// Mobile members.
    Mobile,
    /// Members in a worker category.
    Category(WorkerCategory),
    /// Members with this education.
    Education(Education),
    /// Became full members (转正) in a year, up to the reference date.
    ConvertedIn(i16),
    /// Admitted (接收为预备党员) in a year, up to the reference date.
    NewIn(i16),
    /// Applied in a year, up to the reference date.
    AppliedIn(i16),
    /// Left in a year (in one way, or in any), up to the reference date.
    LeftIn(i16, Option<DepartureKind>),
}

impl Figure {
    /// The code used in URLs: `status:full_member`, `band:31_35`, `new:2021`, `college` …
    pub fn code(&self) -> String {
        match self {
            Figure::Members => "members".into(),
            Figure::Status(s) => format!("status:{}", s.code()),
            Figure::Band(b) => format!("band:{}", b.code()),
            Figure::UpTo30 => "up_to_30".into(),
            Figure::UpTo35 => "up_to_35".into(),
            Figure::College => "college".into(),
            Figure::Women => "women".into(),
            Figure::Minorities => "minorities".into(),
            Figure::Mobile => "mobile".into(),
            Figure::Category(c) => format!("category:{}", c.code()),
            Figure::Education(e) => format!("education:{}", e.code()),
            Figure::ConvertedIn(y) => format!("converted:{y}"),
            Figure::NewIn(y) => format!("new:{y}"),
            Figure::AppliedIn(y) => format!("applied:{y}"),
            Figure::LeftIn(y, None) => format!("left:{y}"),
            Figure::LeftIn(y, Some(k)) => format!("left:{y}:{}", k.code()),
        }
    }

    /// From a URL code.
    pub fn from_code(code: &str) -> Option<Self> {
        let (head, tail) = code.split_once(':').unwrap_or((code, ""));
        let year_of = |y: &str| y.parse::<i16>().ok().filter(|y| (1921..=9999).contains(y));
        let year = || year_of(tail);
        Some(match head {
            "members" => Figure::Members,
            "status" => Figure::Status(Status::from_code(tail)?),
            "band" => Figure::Band(AgeBand::from_code(tail)?),
            "up_to_30" => Figure::UpTo30,
            "up_to_35" => Figure::UpTo35,
            "college" => Figure::College,
            "women" => Figure::Women,
            "minorities" => Figure::Minorities,
            "mobile" => Figure::Mobile,
            "category" => Figure::Category(WorkerCategory::from_code(tail)?),
            "education" => Figure::Education(Education::from_code(tail)?),
            "converted" => Figure::ConvertedIn(year()?),
            "new" => Figure::NewIn(year()?),
            "applied" => Figure::AppliedIn(year()?),
            "left" => {
                let (y, how) = tail.split_once(':').map_or((tail, None), |(y, k)| (y, Some(k)));
                Figure::LeftIn(
                    year_of(y)?,
                    how.map(DepartureKind::from_code).map_or(Some(None), |k| k.map(Some))?,
                )
            }
            _ => return None,
        })
    }

    /// Whether `f` is counted by this figure on the reference date `on`.
    pub fn counts(&self, f: &Facts, on: Date) -> bool {
        let member = || f.member_on(on);
        let in_year = |d: Option<Date>, y: i16| d.is_some_and(|d| d.year() == y && d <= on);
        match *self {
            Figure::Members => member(),
            Figure::Status(s) => f.counted_status_on(on) == s,
            Figure::Band(b) => member() && AgeBand::of_age(f.age_on(on)) == b,
            Figure::UpTo30 => member() && f.age_on(on) <= 30,
            Figure::UpTo35 => member() && f.age_on(on) <= 35,
            Figure::College => member() && f.college(),
            Figure::Women => member() && f.female,
            Figure::Minorities => member() && f.minority,
            Figure::Mobile => member() && f.mobile,
            Figure::Category(c) => member() && f.category == c,
            Figure::Education(e) => member() && f.education == e,
            Figure::ConvertedIn(y) => in_year(f.dates.full_member_on, y),
            Figure::NewIn(y) => in_year(f.dates.admitted_on, y),
            Figure::AppliedIn(y) => in_year(f.dates.applied_on, y),
            Figure::LeftIn(y, how) => {
                f.left.is_some_and(|(d, k, _)| in_year(Some(d), y) && how.is_none_or(|h| h == k))
            }
        }
    }
}

/// New members of one year.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct NewMembers {
    /// The year.
    pub year: i16,
    /// Admitted that year (up to the reference date).
    pub count: u64,
    /// Of them, aged 30 and under on the day of admission.
    pub up_to_30: u64,
    /// Of them, aged 35 and under on the day of admission.
    pub up_to_35: u64,
    /// Of them, with 大专 or higher.
    pub college: u64,
    /// Of them, women.
    pub women: u64,
    /// Of them, of an ethnic minority.
    pub minorities: u64,
    /// Became full members that year (转正).
    pub converted: u64,
}

/// Applications of one year and the growth on the year before.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Applications {
    /// The year.
    pub year: i16,
    /// Applications received that year (up to the reference date).
    pub count: u64,
    /// Growth on the year before, a whole percentage rounded by [`percent`] (none when the
    /// year before had none).
    pub growth_pct: Option<i64>,
}

/// Members who left in one year, by how (RULES.md STAT-004, 出党情况).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Departures {
    /// The year.
    pub year: i16,
    /// How many left each way (up to the reference date), in `DepartureKind::ALL` order.
    pub by_kind: Vec<(DepartureKind, u64)>,
}

impl Departures {
    /// All who left, deaths included (党员减少).
    pub fn total(&self) -> u64 {
        self.by_kind.iter().map(|(_, n)| n).sum()
    }

    /// Those counted under 出党 (all but deaths).
    pub fn exits(&self) -> u64 {
        self.by_kind.iter().filter(|(k, _)| k.is_exit()).map(|(_, n)| n).sum()
    }
}

/// The figures for one subtree on one reference date.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Dashboard {
    /// The reference date.
    pub on: Date,
    /// People in the subtree now (whatever their status).
    pub people: u64,
    /// By status on the reference date (non-members and people not yet applied together).
    pub by_status: Vec<(Status, u64)>,
    /// Members (probationary and full).
    pub members: u64,
    /// Members by age band (STAT-001).
    pub bands: Vec<(AgeBand, u64)>,
    /// Members aged 30 and under.
    pub up_to_30: u64,
    /// Members aged 35 and under.
    pub up_to_35: u64,
    /// Members with 大专 or higher (STAT-002).
    pub college: u64,
    /// Women members.
    pub women: u64,
    /// Members of an ethnic minority.
    pub minorities: u64,
    /// Mobile members.
    pub mobile: u64,
    /// Members by worker category.
    pub categories: Vec<(WorkerCategory, u64)>,
    /// Members by education.
    pub education: Vec<(Education, u64)>,
    /// New members per year from the chosen year to the reference date's.
    pub new_members: Vec<NewMembers>,
    /// Applications per year, with growth.
    pub applications: Vec<Applications>,
    /// Members who left per year, from the chosen year to the reference date's.
    pub departures: Vec<Departures>,
    /// People whose present status has no date (counted with it on every date).
    pub undated: u64,
}

impl Dashboard {
    /// Sums of the new-member years: count, 30 and under, 35 and under, college.
    pub fn new_members_total(&self) -> NewMembers {
        self.new_members.iter().fold(NewMembers::default(), |a, y| NewMembers {
            year: 0,
            count: a.count + y.count,
            up_to_30: a.up_to_30 + y.up_to_30,
            up_to_35: a.up_to_35 + y.up_to_35,
            college: a.college + y.college,
            women: a.women + y.women,
            minorities: a.minorities + y.minorities,
            converted: a.converted + y.converted,
        })
    }
}

/// `num / den` as a whole percentage, the one rounding of every percentage pioneer shows
/// (shares, growth, reach): half-up, as published figures are read, a half going away
/// from zero (12.5 % → 13 %, −12.5 % → −13 %); 0 when `den` is 0. Exact: integer
/// arithmetic, so no half is lost to a binary fraction.
pub fn percent(num: i64, den: u64) -> i64 {
    if den == 0 {
        return 0;
    }
    let (n, d) = (i128::from(num).unsigned_abs() * 200, u128::from(den) * 2);
    let whole = i64::try_from((n + d / 2) / d).unwrap_or(i64::MAX);
    if num < 0 { -whole } else { whole }
}

/// `part` as a whole percentage of `whole` (0 when `whole` is 0), rounded by [`percent`].
pub fn pct(part: u64, whole: u64) -> u64 {
    u64::try_from(percent(i64::try_from(part).unwrap_or(i64::MAX), whole)).unwrap_or(0)
}

/// Computes the dashboard over `people` on `on`, with flows from `since` (a year).
pub fn dashboard<'a>(people: impl Iterator<Item = &'a Facts>, on: Date, since: i16) -> Dashboard {
    let since = since.min(on.year());
    let years = usize::try_from(on.year() - since + 1).unwrap_or(1);
    let statuses = Status::ALL;
    let mut by_status = vec![0u64; statuses.len()];
    let mut bands = [0u64; 8];
    let mut categories = vec![0u64; WorkerCategory::ALL.len()];
    let mut education = vec![0u64; Education::ALL.len()];
    let mut new_members = vec![NewMembers::default(); years];
    // One year more than shown, for the first year's growth.
    let mut applied = vec![0u64; years + 1];
    let mut left = vec![[0u64; DepartureKind::ALL.len()]; years];
    let mut d = Dashboard {
        on,
        people: 0,
        by_status: Vec::new(),
        members: 0,
        bands: Vec::new(),
        up_to_30: 0,
        up_to_35: 0,
        college: 0,
        women: 0,
        minorities: 0,
        mobile: 0,
        categories: Vec::new(),
        education: Vec::new(),
        new_members: Vec::new(),
        applications: Vec::new(),
        departures: Vec::new(),
        undated: 0,
    };
    for f in people {
        d.people += 1;
        d.undated += u64::from(f.undated());
        let status = f.counted_status_on(on);
        if let Some(i) = statuses.iter().position(|s| *s == status) {
            by_status[i] += 1;
        }
        if status.is_member() {
            d.members += 1;
            let age = f.age_on(on);
            if let Some(i) = AgeBand::ALL.iter().position(|b| *b == AgeBand::of_age(age)) {
                bands[i] += 1;
            }
            d.up_to_30 += u64::from(age <= 30);
            d.up_to_35 += u64::from(age <= 35);
            d.college += u64::from(f.college());
            d.women += u64::from(f.female);
            d.minorities += u64::from(f.minority);
            d.mobile += u64::from(f.mobile);
            if let Some(i) = WorkerCategory::ALL.iter().position(|c| *c == f.category) {
                categories[i] += 1;
            }
            if let Some(i) = Education::ALL.iter().position(|e| *e == f.education) {
                education[i] += 1;
            }
        }
        if let Some(a) = f.dates.admitted_on.filter(|a| *a <= on && a.year() >= since) {
            let y = &mut new_members[usize::try_from(a.year() - since).unwrap_or(0)];
            let age = f.age_on(a);
            y.count += 1;
            y.up_to_30 += u64::from(age <= 30);
            y.up_to_35 += u64::from(age <= 35);
            y.college += u64::from(f.college());
            y.women += u64::from(f.female);
            y.minorities += u64::from(f.minority);
        }
        if let Some(c) = f.dates.full_member_on.filter(|c| *c <= on && c.year() >= since) {
            new_members[usize::try_from(c.year() - since).unwrap_or(0)].converted += 1;
        }
        if let Some(a) = f.dates.applied_on.filter(|a| *a <= on && a.year() >= since - 1) {
            applied[usize::try_from(a.year() - since + 1).unwrap_or(0)] += 1;
        }
        if let Some((day, kind, _)) = f.left.filter(|(day, ..)| *day <= on && day.year() >= since)
            && let Some(k) = DepartureKind::ALL.iter().position(|x| *x == kind)
        {
            left[usize::try_from(day.year() - since).unwrap_or(0)][k] += 1;
        }
    }
    d.by_status = statuses.iter().copied().zip(by_status).collect();
    d.bands = AgeBand::ALL.iter().copied().zip(bands).collect();
    d.categories = WorkerCategory::ALL.iter().copied().zip(categories).collect();
    d.education = Education::ALL.iter().copied().zip(education).collect();
    d.new_members = new_members
        .into_iter()
        .enumerate()
        .map(|(i, n)| NewMembers { year: since + i as i16, ..n })
        .collect();
    d.applications = (1..applied.len())
        .map(|i| Applications {
            year: since + i as i16 - 1,
            count: applied[i],
            growth_pct: (applied[i - 1] > 0).then(|| {
                let change = i128::from(applied[i]) - i128::from(applied[i - 1]);
                percent(i64::try_from(change).unwrap_or(i64::MAX), applied[i - 1])
            }),
        })
        .collect();
    d.departures = left
        .into_iter()
        .enumerate()
        .map(|(i, n)| Departures {
            year: since + i as i16,
            by_kind: DepartureKind::ALL.iter().copied().zip(n).collect(),
        })
        .collect();
    d
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn member(birth: Date, applied: Date, admitted: Date, full: Option<Date>) -> Facts {
        Facts {
            birth,
            female: false,
            minority: false,
            education: Education::Bachelor,
            category: WorkerCategory::Rider,
            mobile: false,
            status: if full.is_some() { Status::FullMember } else { Status::ProbationaryMember },
            dates: StatusDates {
                applied_on: Some(applied),
                activist_on: None,
                target_on: None,
                admitted_on: Some(admitted),
                full_member_on: full,
            },
            left: None,
        }
    }

    #[test]
    fn a_status_is_the_furthest_step_dated_by_then() {
        let f = member(date(1995, 6, 1), date(2020, 3, 1), date(2021, 7, 1), Some(date(2022, 7, 1)));
        assert_eq!(f.status_on(date(2019, 12, 31)), None);
        assert_eq!(f.status_on(date(2020, 12, 31)), Some(Status::Applicant));
        assert_eq!(f.status_on(date(2021, 12, 31)), Some(Status::ProbationaryMember));
        assert_eq!(f.status_on(date(2022, 7, 1)), Some(Status::FullMember));
        let old = Facts { dates: StatusDates::default(), status: Status::FullMember, ..f };
        assert!(old.undated());
        assert_eq!(old.status_on(date(1990, 1, 1)), Some(Status::FullMember));
    }

    #[test]
    fn figures_for_a_past_date_count_what_was_true_then() {
        let people = [
            // Joined 2021 aged 25; 30 at the end of 2026.
            member(date(1996, 1, 1), date(2020, 3, 1), date(2021, 7, 1), Some(date(2022, 7, 1))),
            // Joined 2023 aged 36.
            member(date(1987, 5, 1), date(2021, 2, 1), date(2023, 5, 1), None),
            // Applied in 2021 and 2022, never admitted.
            Facts {
                status: Status::Applicant,
                ..member(date(2000, 1, 1), date(2021, 9, 9), date(2099, 1, 1), None)
            },
        ];
        let mut p = people.to_vec();
        p[2].dates.admitted_on = None;
        p.push(Facts { dates: StatusDates { applied_on: Some(date(2022, 1, 5)), ..p[2].dates }, ..p[2] });
        let end_2021 = dashboard(p.iter(), date(2021, 12, 31), 2020);
        assert_eq!(end_2021.members, 1);
        assert_eq!(end_2021.up_to_30, 1);
        assert_eq!(
            end_2021.new_members.iter().map(|y| (y.year, y.count)).collect::<Vec<_>>(),
            vec![(2020, 0), (2021, 1)]
        );
        let apps: Vec<(i16, u64)> = end_2021.applications.iter().map(|a| (a.year, a.count)).collect();
        assert_eq!(apps, vec![(2020, 1), (2021, 2)], "the 2022 application is not known yet");
        assert_eq!(end_2021.applications[1].growth_pct, Some(100));
        assert_eq!(end_2021.applications[0].growth_pct, None, "nothing in 2019");
        let now = dashboard(p.iter(), date(2026, 12, 31), 2020);
        assert_eq!((now.members, now.up_to_30, now.up_to_35), (2, 1, 1));
        let total = now.new_members_total();
        assert_eq!((total.count, total.up_to_30, total.up_to_35), (2, 1, 1), "age at admission");
        assert_eq!(now.by_status.iter().find(|(s, _)| *s == Status::Applicant).map(|x| x.1), Some(2));
        for fig in
            [Figure::UpTo30, Figure::NewIn(2021), Figure::AppliedIn(2021), Figure::Status(Status::Applicant)]
        {
            let n = p.iter().filter(|f| fig.counts(f, date(2021, 12, 31))).count();
            let expected = match fig {
                Figure::UpTo30 => end_2021.up_to_30,
                Figure::NewIn(_) => end_2021.new_members[1].count,
                Figure::AppliedIn(_) => end_2021.applications[1].count,
                _ => end_2021.by_status.iter().find(|(s, _)| *s == Status::Applicant).map_or(0, |x| x.1),
            };
            assert_eq!(n as u64, expected, "{fig:?}: the drill-down lists the people counted");
            assert_eq!(Figure::from_code(&fig.code()), Some(fig));
        }
        assert_eq!(Figure::from_code("new:abc"), None);
        assert_eq!(Figure::from_code("status:nope"), None);
    }

    #[test]
    fn a_member_who_left_is_not_counted_from_that_day() {
        let stays = member(date(1990, 1, 1), date(2015, 1, 1), date(2016, 7, 1), Some(date(2017, 7, 1)));
        let expelled = Facts {
            status: Status::NonMember,
            left: Some((date(2024, 3, 1), DepartureKind::Expelled, Status::FullMember)),
            ..stays
        };
        let died =
            Facts { left: Some((date(2025, 5, 1), DepartureKind::Died, Status::FullMember)), ..expelled };
        let p = [stays, expelled, died];
        assert!(!expelled.undated(), "a departure dates the non-member status");
        assert_eq!(expelled.status_on(date(2024, 2, 29)), Some(Status::FullMember));
        assert_eq!(expelled.status_on(date(2024, 3, 1)), Some(Status::NonMember));
        assert_eq!(dashboard(p.iter(), date(2023, 12, 31), 2023).members, 3);
        let end_2024 = dashboard(p.iter(), date(2024, 12, 31), 2023);
        assert_eq!(end_2024.members, 2);
        assert_eq!(
            end_2024.departures.iter().map(|y| (y.year, y.total())).collect::<Vec<_>>(),
            [(2023, 0), (2024, 1)]
        );
        let end_2025 = dashboard(p.iter(), date(2025, 12, 31), 2025);
        assert_eq!((end_2025.members, end_2025.departures.len()), (1, 1));
        let y = &end_2025.departures[0];
        let deaths = y.by_kind.iter().find(|(k, _)| *k == DepartureKind::Died).map(|x| x.1);
        assert_eq!((y.total(), y.exits(), deaths), (1, 0, Some(1)), "a death is not an exit");
        assert_eq!(end_2025.new_members_total().count, 0, "an admission is a flow of its own year");
        for fig in [Figure::LeftIn(2024, None), Figure::LeftIn(2024, Some(DepartureKind::Expelled))] {
            assert_eq!(p.iter().filter(|f| fig.counts(f, date(2024, 12, 31))).count(), 1, "{fig:?}");
            assert_eq!(Figure::from_code(&fig.code()), Some(fig));
        }
        assert_eq!(
            p.iter()
                .filter(|f| Figure::LeftIn(2024, Some(DepartureKind::Died)).counts(f, date(2025, 12, 31)))
                .count(),
            0
        );
        assert_eq!(Figure::from_code("left:2024:fired"), None);
        // A non-member with a membership's dates but no recorded departure: when they
        // stopped is unknown, so they are a non-member on every day, and said to be undated.
        let unknown = Facts { status: Status::NonMember, ..stays };
        assert!(unknown.undated());
        assert_eq!(unknown.status_on(date(2020, 1, 1)), Some(Status::NonMember));
        // An old member recorded without dates who left: a member on every day before.
        let old = Facts { dates: StatusDates::default(), ..expelled };
        assert!(old.undated());
        assert_eq!(old.status_on(date(1990, 1, 1)), Some(Status::FullMember));
        assert_eq!(old.status_on(date(2024, 3, 1)), Some(Status::NonMember));
    }

    #[test]
    fn born_on_29_february_a_year_older_on_28_february_as_in_the_rules() {
        // Born 1996-02-29: 30 until 2027-02-27, 31 on 2027-02-28 (the rules' convention).
        let f = member(date(1996, 2, 29), date(2020, 3, 1), date(2021, 7, 1), Some(date(2022, 7, 1)));
        for (on, up_to_30) in [(date(2027, 2, 27), 1), (date(2027, 2, 28), 0)] {
            let d = dashboard([f].iter(), on, 2027);
            assert_eq!(d.up_to_30, up_to_30, "{on}");
            assert_eq!(u64::from(Figure::UpTo30.counts(&f, on)), up_to_30, "{on}: the drill-down agrees");
            let band = d.bands.iter().find(|(_, n)| *n == 1).map(|(b, _)| *b);
            assert_eq!(band, Some(if up_to_30 == 1 { AgeBand::UpTo30 } else { AgeBand::From31To35 }));
        }
        // A new member's age is taken on the day of admission: 31 on 2027-02-28.
        let admitted = member(date(1996, 2, 29), date(2025, 1, 1), date(2027, 2, 28), None);
        let y = dashboard([admitted].iter(), date(2027, 12, 31), 2027).new_members[0];
        assert_eq!((y.count, y.up_to_30, y.up_to_35), (1, 0, 1));
    }

    #[test]
    fn the_drill_downs_of_the_headline_and_of_non_members_list_whom_the_dashboard_counts() {
        let full = member(date(1990, 1, 1), date(2015, 1, 1), date(2016, 7, 1), Some(date(2017, 7, 1)));
        let probationary = member(date(1995, 1, 1), date(2024, 1, 1), date(2026, 3, 1), None);
        // A non-member registered without any dates, and an applicant not yet applied on the day.
        let plain = Facts { status: Status::NonMember, dates: StatusDates::default(), ..full };
        let later = Facts {
            status: Status::Applicant,
            dates: StatusDates { applied_on: Some(date(2027, 1, 5)), ..StatusDates::default() },
            ..full
        };
        let p = [full, probationary, plain, later];
        let on = date(2026, 12, 31);
        let d = dashboard(p.iter(), on, 2026);
        let listed = |fig: Figure| p.iter().filter(|f| fig.counts(f, on)).count() as u64;
        assert_eq!((d.members, listed(Figure::Members)), (2, 2));
        let non_members = d.by_status.iter().find(|(s, _)| *s == Status::NonMember).map_or(0, |x| x.1);
        assert_eq!((non_members, listed(Figure::Status(Status::NonMember))), (2, 2));
        for (s, n) in &d.by_status {
            assert_eq!(listed(Figure::Status(*s)), *n, "{s:?}");
        }
        assert_eq!(Figure::from_code("members"), Some(Figure::Members));
        assert_eq!(Figure::Members.code(), "members");
    }

    #[test]
    fn percentages_round_and_never_divide_by_zero() {
        assert_eq!((pct(0, 0), pct(1, 3), pct(2, 3), pct(74, 180)), (0, 33, 67, 41));
        assert_eq!((percent(5, 0), percent(-5, 0)), (0, 0));
    }

    #[test]
    fn every_half_rounds_up_shares_and_growth_alike() {
        // Shares: 0.5 %, 12.5 %, 2.5 %, 62.5 % and 87.5 % all round up, even or odd below.
        let shares = [(1, 200), (1, 8), (1, 40), (5, 8), (7, 8)].map(|(p, w)| pct(p, w));
        assert_eq!(shares, [1, 13, 3, 63, 88]);
        // Just under a half rounds down.
        assert_eq!((pct(1, 201), pct(124, 1000), pct(1249, 10000)), (0, 12, 12));
        // Growth: +0.5 %, +2.5 %, +12.5 % up, falls of a half away from zero.
        assert_eq!([percent(1, 200), percent(1, 40), percent(1, 8)], [1, 3, 13]);
        assert_eq!([percent(-1, 200), percent(-1, 40), percent(-1, 8)], [-1, -3, -13]);
        let growth = |before: u64, after: u64| {
            let d = dashboard(
                (0..before)
                    .map(|i| (2024, i))
                    .chain((0..after).map(|i| (2025, i)))
                    .map(|(y, i)| Facts {
                        status: Status::Applicant,
                        dates: StatusDates {
                            applied_on: Some(date(y, 1, 1 + (i % 28) as i8)),
                            ..Default::default()
                        },
                        ..member(date(2000, 1, 1), date(2024, 1, 1), date(2024, 1, 1), None)
                    })
                    .collect::<Vec<_>>()
                    .iter(),
                date(2025, 12, 31),
                2025,
            );
            d.applications[0].growth_pct
        };
        // 8 → 9 is +12.5 %, 8 → 7 is −12.5 %, 40 → 41 is +2.5 %: the dashboard's own figures.
        assert_eq!(
            (growth(8, 9), growth(8, 7), growth(40, 41), growth(0, 3)),
            (Some(13), Some(-13), Some(3), None)
        );
    }
}
