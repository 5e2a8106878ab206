//! Statistics: the dashboard, drill-downs and the annual report (pages) and `/api/v1/stats` (API).
//!
//! Both sides take the organisation from [`crate::scope::stats_org`] and the figures from
//! [`figures`]; the page draws them, the API sends them as JSON.

pub mod api;
pub mod housekeeping;
pub mod pages;

use crate::AppState;
use crate::error::AppError;
use jiff::civil::Date;
use pioneer_domain::stats::Dashboard;
use pioneer_domain::{FieldError, Reason, ValidationErrors};
use pioneer_store::orgs::OrgRecord;
use pioneer_store::stats::OrgFigures;
use serde::Deserialize;

/// `?org=ID&on=YYYY-MM-DD&since=YYYY&figure=CODE`.
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StatsQuery {
    /// The organisation (default: the account's first scope).
    pub org: Option<String>,
    /// The reference date (default: today).
    pub on: Option<String>,
    /// The first year of the yearly figures (default: five years to the reference date's).
    pub since: Option<String>,
    /// A figure's code, for the list of the people it counts.
    pub figure: Option<String>,
}

/// The reference date and the first year, or what is wrong with them.
pub fn dates(q: &StatsQuery, today: Date) -> Result<(Date, i16), ValidationErrors> {
    let on = match q.on.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(today),
        Some(raw) => match raw.parse::<Date>() {
            Ok(d) if d > today => Err(FieldError::new("on", Reason::DateInFuture)),
            Ok(d) if d.year() < 1921 => {
                Err(FieldError::new("on", Reason::NumberOutOfRange { min: 1921, max: 9999 }))
            }
            Ok(d) => Ok(d),
            Err(_) => Err(FieldError::new("on", Reason::BadDate)),
        },
    }?;
    let since = match q.since.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => on.year() - 4,
        Some(raw) => raw.parse::<i16>().ok().filter(|y| (1921..=on.year()).contains(y)).ok_or_else(|| {
            FieldError::new("since", Reason::NumberOutOfRange { min: 1921, max: i64::from(on.year()) })
        })?,
    };
    Ok((on, since))
}

/// The dashboard of an organisation subtree, as [`figures`] reads it.
#[derive(Debug)]
pub struct Figures {
    /// The reference date.
    pub on: Date,
    /// The first year of the yearly figures.
    pub since: i16,
    /// The people's figures.
    pub dashboard: Dashboard,
    /// The organisations' figures.
    pub orgs: OrgFigures,
    /// When the figures were read (ms since the epoch).
    pub read_at: i64,
    /// Volunteer service in the reference date's year up to it.
    pub service: pioneer_store::service::shifts::ServiceFigures,
    /// Terms and dues.
    pub housekeeping: housekeeping::Housekeeping,
}

/// The figures of `org`'s subtree for the query's dates (see [`dates`]). `org` comes from
/// [`crate::scope::stats_org`], which checks the account's scope; refuses a reference date
/// in the future or before 1921 and a first year out of range (422).
pub async fn figures(s: &AppState, org: &OrgRecord, q: &StatsQuery) -> Result<Figures, AppError> {
    let (on, since) = dates(q, s.clock.today())?;
    let (dashboard, orgs, read_at) =
        s.store.dashboard(org.id, on, since, s.clock.now().as_millisecond()).await?;
    let year_start = jiff::civil::date(on.year(), 1, 1);
    let service = s.store.service_figures_between(&org.path, year_start, on).await?;
    let housekeeping = housekeeping::figures(s, org, on).await?;
    Ok(Figures { on, since, dashboard, orgs, read_at, service, housekeeping })
}
