//! 统计 (statistics): the dashboard of an organisation subtree on any reference date —
//! members by status, age band, education, women, minorities, worker categories, mobile
//! members; new members and applications per year; organisations by kind — each figure
//! linking to the people it counts. Charts are SVG drawn on the server. The same figures
//! come from `/api/v1/stats`.

use crate::AppState;
use crate::api::query::ApiQuery;
use crate::auth::Who;
use crate::charts::{Bars, bars};
use crate::error::AppError;
use crate::forms::FormErrors;
use crate::pages::{Chrome, html, html_status};
use crate::scope::stats_org;
use crate::stats::{Figures, StatsQuery, dates, figures};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use jiff::civil::Date;
use pioneer_domain::stats::{Dashboard, Figure, pct};
use pioneer_domain::{FieldError, Reason};
use pioneer_store::orgs::OrgRecord;
use pioneer_store::stats::OrgFigures;
use serde::Deserialize;

struct Share {
    label: &'static str,
    figure: String,
    count: u64,
    pct: u64,
}

#[derive(Template)]
#[template(path = "stats.html")]
struct StatsPage {
    c: Chrome,
    org: OrgRecord,
    on: String,
    since: String,
    errors: FormErrors,
    d: Option<Dashboard>,
    orgs: Option<OrgFigures>,
    statuses: Vec<StatusLine>,
    shares: Vec<Share>,
    kinds: Vec<(&'static str, u64)>,
    charts: Vec<String>,
    read_at: String,
    /// New members since the first year: count, and shares 30 and under, 35 and under, college.
    new_total: (u64, u64, u64, u64),
    /// The last full year, for the annual report.
    last_year: i16,
    /// Volunteer service this year up to the reference date.
    service: Option<pioneer_store::service::shifts::ServiceFigures>,
    /// Terms and dues.
    housekeeping: Option<super::housekeeping::Housekeeping>,
}

impl StatsPage {
    fn yuan(&self, fen: &i64) -> String {
        pioneer_domain::dues::yuan(*fen)
    }

    fn hours(&self, minutes: &i64) -> String {
        pioneer_domain::service::hours::hours_text(*minutes)
    }

    /// The form again with what is wrong with it, no figures.
    fn refused(
        c: Chrome,
        org: OrgRecord,
        on: String,
        since: String,
        errors: FormErrors,
        today: Date,
    ) -> Self {
        Self {
            c,
            org,
            on,
            since,
            errors,
            d: None,
            orgs: None,
            statuses: vec![],
            shares: vec![],
            kinds: vec![],
            charts: vec![],
            read_at: String::new(),
            new_total: (0, 0, 0, 0),
            last_year: today.year() - 1,
            service: None,
            housekeeping: None,
        }
    }

    /// The figures of `org`.
    fn filled(c: Chrome, org: OrgRecord, f: Figures, today: Date) -> Self {
        let Figures { on, since, dashboard: d, orgs, read_at, service, housekeeping } = f;
        let (statuses, shares, charts) = labelled(&c, &d);
        let kinds = orgs.by_kind.iter().map(|(k, n)| (c.t.kind(k), *n)).collect();
        let read_at = jiff::Timestamp::from_millisecond(read_at)
            .map(|t| t.to_zoned(crate::clock::china()).strftime("%Y-%m-%d %H:%M:%S").to_string())
            .unwrap_or_default();
        let t = d.new_members_total();
        let new_total =
            (t.count, pct(t.up_to_30, t.count), pct(t.up_to_35, t.count), pct(t.college, t.count));
        Self {
            c,
            org,
            on: on.to_string(),
            since: since.to_string(),
            errors: FormErrors::default(),
            d: Some(d),
            orgs: Some(orgs),
            statuses,
            shares,
            kinds,
            charts,
            read_at,
            new_total,
            last_year: today.year() - 1,
            service: Some(service),
            housekeeping: Some(housekeeping),
        }
    }
}

/// A status's name, its figure's code and its count.
type StatusLine = (&'static str, String, u64);

fn labelled(c: &Chrome, d: &Dashboard) -> (Vec<StatusLine>, Vec<Share>, Vec<String>) {
    let statuses = d.by_status.iter().map(|(s, n)| (c.t.status(s), Figure::Status(*s).code(), *n)).collect();
    let share = |label: &'static str, figure: Figure, count: u64| Share {
        label,
        figure: figure.code(),
        count,
        pct: pct(count, d.members),
    };
    let t = &c.t;
    let shares = vec![
        share(t.l("30岁及以下", "30 and under"), Figure::UpTo30, d.up_to_30),
        share(t.l("35岁及以下", "35 and under"), Figure::UpTo35, d.up_to_35),
        share(t.l("大专及以上学历", "junior college or higher"), Figure::College, d.college),
        share(t.l("女党员", "women"), Figure::Women, d.women),
        share(t.l("少数民族党员", "ethnic minorities"), Figure::Minorities, d.minorities),
        share(t.l("流动党员", "mobile members"), Figure::Mobile, d.mobile),
    ];
    let bands: Vec<(String, u64)> = d.bands.iter().map(|(b, n)| (t.band(b).to_owned(), *n)).collect();
    let cats: Vec<(String, u64)> = d.categories.iter().map(|(k, n)| (t.category(k).to_owned(), *n)).collect();
    let new: Vec<(String, u64)> = d.new_members.iter().map(|y| (y.year.to_string(), y.count)).collect();
    let apps: Vec<(String, u64)> = d.applications.iter().map(|y| (y.year.to_string(), y.count)).collect();
    let chart = |id, title, category, series, rows: &[(String, u64)]| {
        bars(*t, &Bars { id, title, category, series }, rows)
    };
    let (year, age) = (t.l("年份", "Year"), t.l("年龄段", "Age band"));
    let charts = vec![
        chart("chart-age", t.l("党员年龄分布", "Members by age"), age, t.l("党员人数", "Members"), &bands),
        chart(
            "chart-category",
            t.l("党员就业类别", "Members by worker category"),
            t.l("就业类别", "Worker category"),
            t.l("党员人数", "Members"),
            &cats,
        ),
        chart(
            "chart-new-members",
            t.l("每年发展党员人数", "New members admitted per year"),
            year,
            t.l("发展党员人数", "New members admitted"),
            &new,
        ),
        chart(
            "chart-applications",
            t.l("每年递交入党申请人数", "Applications to join per year"),
            year,
            t.l("入党申请人数", "Applications received"),
            &apps,
        ),
    ];
    (statuses, shares, charts)
}

/// `GET /stats?org=&on=&since=`.
pub async fn show(
    State(s): State<AppState>,
    c: Chrome,
    who: Who,
    ApiQuery(q): ApiQuery<StatsQuery>,
) -> Result<Response, AppError> {
    let org = stats_org(&s, &who, q.org.as_deref()).await?;
    let today = s.clock.today();
    match figures(&s, &org, &q).await {
        Ok(f) => Ok(html(StatsPage::filled(c, org, f, today).render()?)),
        Err(AppError::Invalid(e)) => {
            let errors = FormErrors::new(&e, &c.t);
            let on = q.on.clone().unwrap_or_else(|| today.to_string());
            let page = StatsPage::refused(c, org, on, q.since.clone().unwrap_or_default(), errors, today);
            Ok(html_status(StatusCode::UNPROCESSABLE_ENTITY, page.render()?))
        }
        Err(e) => Err(e),
    }
}

#[derive(Template)]
#[template(path = "stats_people.html")]
struct PeoplePage {
    c: Chrome,
    org: OrgRecord,
    on: String,
    figure: String,
    total: u64,
    people: Vec<(uuid::Uuid, String, String)>,
}

/// `GET /stats/people?org=&on=&figure=`: who a figure counts (up to 500).
pub async fn people(
    State(s): State<AppState>,
    c: Chrome,
    who: Who,
    ApiQuery(q): ApiQuery<StatsQuery>,
) -> Result<Response, AppError> {
    let org = stats_org(&s, &who, q.org.as_deref()).await?;
    let (on, _) = dates(&q, s.clock.today())?;
    let figure = q
        .figure
        .as_deref()
        .and_then(Figure::from_code)
        .ok_or_else(|| AppError::Invalid(FieldError::new("figure", Reason::UnknownChoice).into()))?;
    let (total, people) =
        s.store.figure_people(org.id, on, figure, 500, s.clock.now().as_millisecond()).await?;
    let figure = figure_label(&c.t, &figure);
    Ok(html(PeoplePage { c, org, on: on.to_string(), figure, total, people }.render()?))
}

/// What a figure counts, in words (the drill-down's heading).
fn figure_label(t: &crate::i18n::Tr, f: &Figure) -> String {
    match f {
        Figure::Members => t.l("党员（含预备党员）", "members (probationary included)").to_owned(),
        Figure::Status(s) => t.status(s).to_owned(),
        Figure::Band(b) => format!("{} {}", t.l("党员年龄", "members aged"), t.band(b)),
        Figure::UpTo30 => t.l("30岁及以下党员", "members aged 30 and under").to_owned(),
        Figure::UpTo35 => t.l("35岁及以下党员", "members aged 35 and under").to_owned(),
        Figure::College => t.l("大专及以上学历党员", "members with junior college or higher").to_owned(),
        Figure::Women => t.l("女党员", "women members").to_owned(),
        Figure::Minorities => t.l("少数民族党员", "members of ethnic minorities").to_owned(),
        Figure::Mobile => t.l("流动党员", "mobile members").to_owned(),
        Figure::Category(c) => format!("{} · {}", t.l("党员", "members"), t.category(c)),
        Figure::Education(e) => format!("{} · {}", t.l("党员", "members"), t.education(e)),
        Figure::ConvertedIn(y) => format!("{y} {}", t.l("年转为正式党员", "became full members")),
        Figure::NewIn(y) => format!("{y} {}", t.l("年发展党员", "admitted")),
        Figure::AppliedIn(y) => format!("{y} {}", t.l("年递交入党申请", "applied")),
        Figure::LeftIn(y, None) => format!("{y} {}", t.l("年减少党员", "left")),
        Figure::LeftIn(y, Some(k)) => format!("{y} {} · {}", t.l("年减少党员", "left"), t.departure(k)),
    }
}

/// `GET /stats.xlsx?org=&on=&since=`: the dashboard as a workbook with native charts.
pub async fn workbook(
    State(s): State<AppState>,
    who: Who,
    ApiQuery(q): ApiQuery<StatsQuery>,
) -> Result<Response, AppError> {
    let org = stats_org(&s, &who, q.org.as_deref()).await?;
    let f = figures(&s, &org, &q).await?;
    let title = crate::sheets::StatsTitle { org: &org.fields.name, on: f.on, since: f.since };
    let bytes = crate::sheets::stats_xlsx(&title, &f.dashboard, &f.orgs).map_err(|_| AppError::Internal)?;
    Ok(crate::pages::download(XLSX, "stats.xlsx", bytes))
}

/// `?org=ID&year=YYYY`.
#[derive(Debug, Deserialize)]
pub struct YearQuery {
    org: Option<String>,
    year: Option<String>,
}

/// `GET /stats/annual.xlsx?org=&year=`: the annual statistical report as at 31 December.
pub async fn annual(
    State(s): State<AppState>,
    who: Who,
    ApiQuery(q): ApiQuery<YearQuery>,
) -> Result<Response, AppError> {
    let org = stats_org(&s, &who, q.org.as_deref()).await?;
    let today = s.clock.today();
    let year = q
        .year
        .as_deref()
        .and_then(|y| y.trim().parse::<i16>().ok())
        .filter(|y| (1921..today.year()).contains(y))
        .ok_or_else(|| {
            AppError::Invalid(
                FieldError::new(
                    "year",
                    Reason::NumberOutOfRange { min: 1921, max: i64::from(today.year() - 1) },
                )
                .into(),
            )
        })?;
    let on = Date::new(year, 12, 31).map_err(|_| AppError::Internal)?;
    let (d, orgs, _) = s.store.dashboard(org.id, on, year, s.clock.now().as_millisecond()).await?;
    let title = crate::sheets::StatsTitle { org: &org.fields.name, on, since: year };
    let service = s.store.service_figures(&org.path, year).await?;
    let housekeeping = super::housekeeping::figures(&s, &org, on).await?;
    let bytes = crate::sheets::annual_report_xlsx(&title, &d, &orgs, &service, &housekeeping)
        .map_err(|_| AppError::Internal)?;
    Ok(crate::pages::download(XLSX, "annual-report.xlsx", bytes))
}

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
