//! Statistics: the dashboard, drill-downs and the annual report (pages) and `/api/v1/stats` (API).

pub mod api;
pub mod pages;
