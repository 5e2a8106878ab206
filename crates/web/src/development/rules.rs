//! The rules as users see them: the catalogue (every rule's id, status, text and source,
//! and the rule-set versions), an organisation's settings of the local (L) and unconfirmed
//! (U) rules, and the working-day calendar.

use crate::AppState;
use crate::api::query::ApiQuery;
use crate::auth::Who;
use crate::error::AppError;
use crate::forms::FormErrors;
use crate::pages::{Chrome, html, html_status};
use crate::scope::{OrgQuery, scope_org};
use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use pioneer_domain::accounts::access::Permission;
use pioneer_domain::calendar::WorkCalendar;
use pioneer_domain::development::dev_settings::{DevSettings, NoticePoints};
use pioneer_domain::development::periods::Anniversary;
use pioneer_domain::development::rules::{RULES, Version};
use pioneer_domain::{Reason, ValidationErrors};
use pioneer_store::StoreError;
use pioneer_store::orgs::OrgRecord;
use serde::Deserialize;
use std::collections::HashMap;

struct RuleLine {
    id: &'static str,
    status: String,
    text: &'static str,
    citation: &'static str,
    new_in_2014: bool,
}

#[derive(Template)]
#[template(path = "rules.html")]
struct RulesPage {
    c: Chrome,
    rules: Vec<RuleLine>,
    versions: Vec<(&'static str, &'static str)>,
}

/// `GET /rules`: the rule catalogue.
pub async fn catalogue(c: Chrome) -> Result<Response, AppError> {
    let rules = RULES
        .iter()
        .map(|r| RuleLine {
            id: r.id,
            status: format!("{:?}", r.status),
            text: c.t.l(r.zh, r.en),
            citation: r.citation,
            new_in_2014: r.new_in_2014,
        })
        .collect();
    let versions = [Version::V1990, Version::V2014, Version::V2026]
        .iter()
        .map(|v| (v.code(), c.t.l(v.zh(), v.en())))
        .collect();
    Ok(html(RulesPage { c, rules, versions }.render()?))
}

#[derive(Template)]
#[template(path = "dev_settings.html")]
struct SettingsPage {
    c: Chrome,
    org: OrgRecord,
    s: DevSettings,
    errors: FormErrors,
    saved: bool,
}

impl SettingsPage {
    /// Whether the anniversary day itself does not complete a year (for the select box).
    fn exclusive(&self) -> bool {
        self.s.anniversary == Anniversary::Exclusive
    }

    /// The page; with refusals it answers 422.
    fn respond(self) -> Result<Response, AppError> {
        let status = if self.errors.any() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
        Ok(html_status(status, self.render()?))
    }
}

/// `GET /rules/settings?org=ID`.
pub async fn settings_form(
    State(s): State<AppState>,
    c: Chrome,
    who: Who,
    ApiQuery(q): ApiQuery<OrgQuery>,
) -> Result<Response, AppError> {
    let org =
        scope_org(&s, &who, Permission::ManageRules, q.org.as_deref()).await?.ok_or(AppError::NotFound)?;
    let settings = s.store.dev_settings_for(&org.path).await?;
    SettingsPage { c, org, s: settings, errors: FormErrors::default(), saved: false }.respond()
}

fn read_settings(f: &HashMap<String, String>) -> Result<DevSettings, ValidationErrors> {
    let mut e = ValidationErrors::default();
    let mut num = |field: &'static str| -> u32 {
        match f.get(field).map(|v| v.trim()).unwrap_or("").parse::<u32>() {
            Ok(n) => n,
            Err(_) => {
                e.push(field, Reason::NumberOutOfRange { min: 0, max: 365 });
                0
            }
        }
    };
    let flag = |field: &str| f.get(field).is_some_and(|v| !v.is_empty());
    let mut s = DevSettings {
        anniversary: if f.get("anniversary").map(String::as_str) == Some("exclusive") {
            Anniversary::Exclusive
        } else {
            Anniversary::Inclusive
        },
        min_months_before_activist: num("min_months_before_activist"),
        notice_working_days: num("notice_working_days"),
        notice_points: NoticePoints {
            activist: flag("notice_activist"),
            target: flag("notice_target"),
            admission: flag("notice_admission"),
            conversion: flag("notice_conversion"),
        },
        political_review_valid_months: num("political_review_valid_months"),
        meeting_after_prereview_months: num("meeting_after_prereview_months"),
        conversion_meeting_months: num("conversion_meeting_months"),
        training_min_days: num("training_min_days"),
        training_min_hours: num("training_min_hours"),
        apply_2026_unconfirmed: flag("apply_2026_unconfirmed"),
        ..DevSettings::default()
    };
    // The signs of AUD-27 and AUD-28 (T): a form from before they existed keeps the defaults.
    let d = DevSettings::default();
    let mut or_default = |field: &'static str, default: u32| match f.get(field) {
        None => default,
        Some(_) => num(field),
    };
    s.rushed_slack_days = or_default("rushed_slack_days", d.rushed_slack_days);
    s.rushed_batch_min = or_default("rushed_batch_min", d.rushed_batch_min);
    s.rushed_batch_percent = or_default("rushed_batch_percent", d.rushed_batch_percent);
    s.rushed_span_days = or_default("rushed_span_days", d.rushed_span_days);
    s.same_text_min_chars = or_default("same_text_min_chars", d.same_text_min_chars);
    match f.get("revision_2026_from").map(|v| v.trim().parse()) {
        Some(Ok(d)) => s.revision_2026_from = d,
        _ => e.push("revision_2026_from", Reason::BadDate),
    }
    e.into_result()?;
    s.check()?;
    Ok(s)
}

/// `POST /rules/settings?org=ID`.
pub async fn save_settings(
    State(s): State<AppState>,
    c: Chrome,
    who: Who,
    ApiQuery(q): ApiQuery<OrgQuery>,
    Form(f): Form<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let org =
        scope_org(&s, &who, Permission::ManageRules, q.org.as_deref()).await?.ok_or(AppError::NotFound)?;
    let (settings, errors) = match read_settings(&f) {
        Ok(new) => match s.store.set_dev_settings(org.id, &new, &who.act).await {
            Ok(()) => (new, None),
            Err(StoreError::Invalid(e)) => (new, Some(e)),
            Err(e) => return Err(e.into()),
        },
        Err(e) => (s.store.dev_settings_for(&org.path).await?, Some(e)),
    };
    let saved = errors.is_none();
    let errors = errors.map(|e| FormErrors::new(&e, &c.t)).unwrap_or_default();
    SettingsPage { c, org, s: settings, errors, saved }.respond()
}

#[derive(Template)]
#[template(path = "calendar.html")]
struct CalendarPage {
    c: Chrome,
    text: String,
    error: Option<String>,
    saved: bool,
}

/// `GET /admin/calendar`: the working-day table (deployment-wide rule managers only).
pub async fn calendar_form(State(s): State<AppState>, c: Chrome, who: Who) -> Result<Response, AppError> {
    s.allow(&who, Permission::ManageRules, "/").await?;
    let text =
        s.store.meta("work_calendar").await?.unwrap_or_else(|| pioneer_domain::calendar::SHIPPED.to_owned());
    Ok(html(CalendarPage { c, text, error: None, saved: false }.render()?))
}

/// The calendar form.
#[derive(Debug, Deserialize)]
pub struct CalendarForm {
    #[serde(default)]
    text: String,
}

/// `POST /admin/calendar`: replaces the table, checked whole first.
pub async fn save_calendar(
    State(s): State<AppState>,
    c: Chrome,
    who: Who,
    Form(f): Form<CalendarForm>,
) -> Result<Response, AppError> {
    s.allow(&who, Permission::ManageRules, "/").await?;
    match WorkCalendar::parse(&f.text) {
        Ok(_) => {
            s.store.set_work_calendar(&f.text).await?;
            Ok(html(CalendarPage { c, text: f.text, error: None, saved: true }.render()?))
        }
        Err(e) => {
            let msg = match c.t.lang {
                crate::i18n::Lang::Zh => format!("第 {} 行：{}", e.line, e.zh),
                crate::i18n::Lang::En => format!("line {}: {}", e.line, e.en),
            };
            Ok(html_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                CalendarPage { c, text: f.text, error: Some(msg), saved: false }.render()?,
            ))
        }
    }
}
