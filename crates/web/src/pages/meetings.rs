//! Meetings (组织生活): an organisation's cadence calendar for the year so far — each
//! required kind per month, quarter or year, held, due or missing (ORG-001…008) — the
//! meetings held, those without their 第一议题 item (FIRST-003), and the form to record one.
//! Groundwork for issue 6.

use super::dossiers::{OrgQuery, scope_org};
use super::{Chrome, html, html_status};
use crate::AppState;
use crate::auth::Who;
use crate::error::AppError;
use crate::forms::FormErrors;
use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use pioneer_domain::access::Permission;
use pioneer_domain::orglife::{
    DEFAULT_CADENCES, Meeting, MeetingFields, MeetingInput, MeetingKind, PeriodState, calendar,
    needs_first_topic,
};
use pioneer_store::meetings::MeetingRecord;
use pioneer_store::orgs::OrgRecord;

struct Line {
    kind: &'static str,
    rule: &'static str,
    period: String,
    state: &'static str,
    missing: bool,
}

#[derive(Template)]
#[template(path = "meetings.html")]
struct MeetingsPage {
    c: Chrome,
    org: OrgRecord,
    lines: Vec<Line>,
    held: Vec<(MeetingRecord, &'static str, bool)>,
    kinds: Vec<(&'static str, &'static str)>,
    form: MeetingInput,
    errors: FormErrors,
}

async fn page(
    s: &AppState,
    c: Chrome,
    org: OrgRecord,
    form: MeetingInput,
    errors: FormErrors,
) -> Result<MeetingsPage, AppError> {
    let today = s.clock.today();
    let from = jiff::civil::Date::new(today.year(), 1, 1).unwrap_or(today);
    let held = s.store.meetings_of(org.id, from, today).await?;
    let seen: Vec<Meeting> = held
        .iter()
        .map(|m| Meeting {
            kind: m.fields.kind,
            on: m.fields.held_on,
            first_topic: m.fields.first_topic.is_some(),
        })
        .collect();
    let lines = calendar(&seen, &DEFAULT_CADENCES, from, today)
        .into_iter()
        .map(|p| Line {
            kind: c.t.l(p.kind.zh(), p.kind.en()),
            rule: p.rule,
            period: format!("{} — {}", p.start, p.end),
            state: match p.state {
                PeriodState::Held => c.t.l("已开", "held"),
                PeriodState::Due => c.t.l("待开", "due"),
                PeriodState::Missing => c.t.l("缺", "missing"),
            },
            missing: p.state == PeriodState::Missing,
        })
        .collect();
    let held = held
        .into_iter()
        .map(|m| {
            let name = c.t.l(m.fields.kind.zh(), m.fields.kind.en());
            let lacks = needs_first_topic(m.fields.kind) && m.fields.first_topic.is_none();
            (m, name, lacks)
        })
        .collect();
    let kinds = MeetingKind::ALL.iter().map(|k| (k.code(), c.t.l(k.zh(), k.en()))).collect();
    Ok(MeetingsPage { c, org, lines, held, kinds, form, errors })
}

/// `GET /meetings?org=ID`.
pub async fn show(
    State(s): State<AppState>,
    c: Chrome,
    who: Who,
    Query(q): Query<OrgQuery>,
) -> Result<Response, AppError> {
    let org =
        scope_org(&s, &who, Permission::ManageMeetings, q.org.as_deref()).await?.ok_or(AppError::NotFound)?;
    let form = MeetingInput { held_on: s.clock.today().to_string(), ..MeetingInput::default() };
    Ok(html(page(&s, c, org, form, FormErrors::default()).await?.render()?))
}

/// `POST /meetings?org=ID`: records a meeting.
pub async fn record(
    State(s): State<AppState>,
    c: Chrome,
    who: Who,
    Query(q): Query<OrgQuery>,
    Form(form): Form<MeetingInput>,
) -> Result<Response, AppError> {
    let org =
        scope_org(&s, &who, Permission::ManageMeetings, q.org.as_deref()).await?.ok_or(AppError::NotFound)?;
    match MeetingFields::parse(&form, s.clock.today()) {
        Ok(m) => {
            s.store.record_meeting(org.id, &m, &who.act).await?;
            Ok(Redirect::to(&format!("/meetings?org={}", org.id)).into_response())
        }
        Err(e) => {
            let errors = FormErrors::new(&e, &c.t);
            Ok(html_status(StatusCode::UNPROCESSABLE_ENTITY, page(&s, c, org, form, errors).await?.render()?))
        }
    }
}
