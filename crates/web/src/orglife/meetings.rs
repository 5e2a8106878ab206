//! Meetings (组织生活): an organisation's cadence calendar for the year so far — each
//! required kind per month, quarter or year as this organisation's settings say, held, due
//! or missing (ORG-001…008) — the meetings held with their attendance, those without their
//! 第一议题 item (FIRST-003, when on), counts per organisation and kind for the year, the
//! form to record one with who attended, and the cadence settings.

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
use axum::response::{IntoResponse, Redirect, Response};
use jiff::civil::Date;
use pioneer_domain::accounts::access::Permission;
use pioneer_domain::orglife::{
    Attendance, DEFAULT_CADENCES, Meeting, MeetingFields, MeetingInput, MeetingKind, OrgLifeSettings,
    PeriodState, calendar, needs_first_topic,
};
use pioneer_store::orglife::meetings::MeetingRecord;
use pioneer_store::orgs::OrgRecord;
use uuid::Uuid;

/// One required kind's row of the cadence grid: a cell per period, spanning its months.
struct GridRow {
    kind: &'static str,
    rule: &'static str,
    cells: Vec<GridCell>,
}

/// A period (or a stretch of months with none yet) in the cadence grid.
struct GridCell {
    /// Months covered (1…12).
    span: i8,
    /// The mark shown (empty for months not reached).
    mark: &'static str,
    /// `held`, `due` or `missing` (a CSS class), empty for months not reached.
    class: &'static str,
    /// The period and its state in words (the cell's tooltip and accessible name).
    label: String,
}

#[derive(Template)]
#[template(path = "meetings.html")]
struct MeetingsPage {
    c: Chrome,
    org: OrgRecord,
    grid: Vec<GridRow>,
    /// Month numbers heading the grid.
    months: Vec<i8>,
    /// The name searched for among the subtree's members (empty: the organisation's own).
    q: String,
    held: Vec<(MeetingRecord, &'static str, bool, String)>,
    kinds: Vec<(&'static str, &'static str)>,
    form: MeetingInput,
    errors: FormErrors,
    /// The organisation's members with the mark chosen in the form.
    members: Vec<(Uuid, String, &'static str)>,
    marks: Vec<(&'static str, &'static str)>,
    /// Counts in `year`: organisation, then (kind name, count).
    counts: Vec<(String, Vec<(&'static str, i64)>)>,
    year: i16,
    this_year: i16,
    /// Settings: per required kind its code, name, rule and period code; FIRST-003 on.
    settings: Vec<(&'static str, &'static str, &'static str, &'static str)>,
    first_topic_on: bool,
    periods: Vec<(&'static str, &'static str)>,
}

/// Meetings as the cadence calendar reads them.
pub(crate) fn as_held(held: &[MeetingRecord]) -> Vec<Meeting> {
    held.iter()
        .map(|m| Meeting {
            kind: m.fields.kind,
            on: m.fields.held_on,
            first_topic: m.fields.first_topic.is_some(),
        })
        .collect()
}

/// The cadence calendar of the year so far as a grid of kinds by months: each period a
/// cell spanning its months, marked held, due or missing; months not reached stay empty.
fn cadence_grid(
    c: &Chrome,
    held: &[MeetingRecord],
    settings: &OrgLifeSettings,
    from: Date,
    today: Date,
) -> Vec<GridRow> {
    let seen = as_held(held);
    let mut rows: Vec<GridRow> = Vec::new();
    for p in calendar(&seen, &settings.cadences(), from, today) {
        if rows.last().is_none_or(|r| r.rule != p.rule) {
            rows.push(GridRow { kind: c.t.l(p.kind.zh(), p.kind.en()), rule: p.rule, cells: Vec::new() });
        }
        let Some(row) = rows.last_mut() else { continue };
        let first = if p.start.year() < today.year() { 1 } else { p.start.month() };
        let last = if p.end.year() > today.year() { 12 } else { p.end.month() };
        let (mark, class, state) = match p.state {
            PeriodState::Held => ("✓", "held", c.t.l("已开", "held")),
            PeriodState::Due => (c.t.l("待", "…"), "due", c.t.l("待开", "due")),
            PeriodState::Missing => (c.t.l("缺", "✗"), "missing", c.t.l("缺", "missing")),
        };
        let label = format!("{} {} — {} {}", row.kind, p.start, p.end, state);
        row.cells.push(GridCell { span: last - first + 1, mark, class, label });
    }
    for row in &mut rows {
        let used: i8 = row.cells.iter().map(|c| c.span).sum();
        if used < 12 {
            row.cells.push(GridCell { span: 12 - used, mark: "", class: "", label: String::new() });
        }
    }
    rows
}

/// The meetings held, each with its kind's name, whether it lacks its 第一议题 item (when
/// the check is on) and its attendance tally.
async fn held_lines(
    s: &AppState,
    c: &Chrome,
    held: Vec<MeetingRecord>,
    settings: &OrgLifeSettings,
) -> Result<Vec<(MeetingRecord, &'static str, bool, String)>, AppError> {
    let mut out = Vec::with_capacity(held.len());
    for m in held {
        let name = c.t.l(m.fields.kind.zh(), m.fields.kind.en());
        let lacks =
            settings.first_topic && needs_first_topic(m.fields.kind) && m.fields.first_topic.is_none();
        let marks = s.store.attendance_of(m.id).await?;
        let tally = Attendance::ALL
            .iter()
            .map(|a| format!("{} {}", c.t.l(a.zh(), a.en()), marks.iter().filter(|(_, x)| x == a).count()))
            .collect::<Vec<_>>()
            .join(" · ");
        out.push((m, name, lacks, tally));
    }
    Ok(out)
}

/// Meetings held in `year` in the subtree: per organisation, (kind name, count).
async fn count_lines(
    s: &AppState,
    c: &Chrome,
    org: &OrgRecord,
    year: i16,
) -> Result<Vec<(String, Vec<(&'static str, i64)>)>, AppError> {
    let mut counts: Vec<(String, Vec<(&'static str, i64)>)> = Vec::new();
    for (_, name, kind, n) in s.store.meeting_counts(org.id, year).await? {
        let k = c.t.l(kind.zh(), kind.en());
        match counts.last_mut() {
            Some((last, v)) if *last == name => v.push((k, n)),
            _ => counts.push((name, vec![(k, n)])),
        }
    }
    Ok(counts)
}

/// The settings form: per required kind its code, name, rule and period code.
fn setting_lines(
    c: &Chrome,
    settings: &OrgLifeSettings,
) -> Vec<(&'static str, &'static str, &'static str, &'static str)> {
    DEFAULT_CADENCES
        .iter()
        .map(|d| {
            let period =
                settings.periods.iter().find(|(k, _)| *k == d.kind).map_or(Some(d.every), |(_, p)| *p);
            (d.kind.code(), c.t.l(d.kind.zh(), d.kind.en()), d.rule, period.map_or("off", |p| p.code()))
        })
        .collect()
}

/// The meeting form as last sent: its fields, its attendance marks and what was wrong.
struct Draft<'a> {
    form: MeetingInput,
    marks: &'a [(Uuid, Attendance)],
    errors: FormErrors,
}

impl Draft<'_> {
    /// An empty form for a meeting held today.
    fn today(s: &AppState) -> Self {
        let form = MeetingInput { held_on: s.clock.today().to_string(), ..MeetingInput::default() };
        Draft { form, marks: &[], errors: FormErrors::default() }
    }
}

async fn page(
    s: &AppState,
    c: Chrome,
    org: OrgRecord,
    draft: Draft<'_>,
    year: i16,
    q: &str,
) -> Result<MeetingsPage, AppError> {
    let Draft { form, marks: form_marks, errors } = draft;
    let today = s.clock.today();
    let from = Date::new(today.year(), 1, 1).unwrap_or(today);
    let settings = s.store.orglife_settings(org.id).await?;
    let held = s.store.meetings_of(org.id, from, today).await?;
    let grid = cadence_grid(&c, &held, &settings, from, today);
    let held = held_lines(s, &c, held, &settings).await?;
    // Those found by a search first, then the organisation's own members.
    let mut found = match q.trim() {
        "" => Vec::new(),
        q => s.store.attendee_choices(org.id, &org.path, Some(q), 50).await?,
    };
    for own in s.store.attendee_choices(org.id, &org.path, None, 300).await? {
        if !found.iter().any(|(id, _)| *id == own.0) {
            found.push(own);
        }
    }
    let mut members: Vec<(Uuid, String, &'static str)> = found
        .into_iter()
        .map(|(id, name)| {
            let chosen = form_marks.iter().find(|(p, _)| *p == id).map_or("", |(_, a)| a.code());
            (id, name, chosen)
        })
        .collect();
    // A form sent back keeps every mark it carried, found by a search or not.
    for (id, mark) in form_marks {
        if !members.iter().any(|(m, _, _)| m == id)
            && let Ok(p) = s.store.person(*id).await
        {
            members.push((*id, p.fields.name, mark.code()));
        }
    }
    let t = &c.t;
    Ok(MeetingsPage {
        grid,
        months: (1..=12).collect(),
        q: q.to_owned(),
        held,
        kinds: MeetingKind::ALL.iter().map(|k| (k.code(), t.l(k.zh(), k.en()))).collect(),
        members,
        marks: Attendance::ALL.iter().map(|a| (a.code(), t.l(a.zh(), a.en()))).collect(),
        counts: count_lines(s, &c, &org, year).await?,
        settings: setting_lines(&c, &settings),
        first_topic_on: settings.first_topic,
        periods: vec![
            ("month", t.l("每月", "monthly")),
            ("quarter", t.l("每季度", "quarterly")),
            ("year", t.l("每年", "yearly")),
            ("off", t.l("不要求", "not required")),
        ],
        year,
        this_year: today.year(),
        c,
        org,
        form,
        errors,
    })
}

/// `GET /meetings?org=ID`.
pub async fn show(
    State(s): State<AppState>,
    c: Chrome,
    who: Who,
    ApiQuery(q): ApiQuery<MeetingsQuery>,
) -> Result<Response, AppError> {
    let org =
        scope_org(&s, &who, Permission::ManageMeetings, q.org.as_deref()).await?.ok_or(AppError::NotFound)?;
    let this_year = s.clock.today().year();
    // A year outside 2000…this year (or not a number) shows this year.
    let year =
        q.year.as_deref().and_then(|y| y.parse::<i16>().ok()).filter(|y| (2000..=this_year).contains(y));
    let q = q.q.as_deref().unwrap_or_default();
    Ok(html(page(&s, c, org, Draft::today(&s), year.unwrap_or(this_year), q).await?.render()?))
}

/// `?org=ID&year=YYYY&q=NAME` (the year of the counts; a name to find among the
/// subtree's members for the attendance).
#[derive(Debug, serde::Deserialize)]
pub struct MeetingsQuery {
    org: Option<String>,
    year: Option<String>,
    q: Option<String>,
}

/// The meeting form's fields and its attendance marks (`att_<person id>` = mark code, empty
/// for not recorded; with `all_present=1`, the empty ones are recorded present).
fn meeting_form(pairs: &[(String, String)]) -> (MeetingInput, Vec<(Uuid, Attendance)>, bool) {
    let get = |k: &str| pairs.iter().find(|(f, _)| f == k).map(|(_, v)| v.clone()).unwrap_or_default();
    let input = MeetingInput {
        kind: get("kind"),
        held_on: get("held_on"),
        topic: get("topic"),
        first_topic: get("first_topic"),
        speaker: get("speaker"),
        minutes: get("minutes"),
    };
    // Everyone starts "not recorded" (an empty mark, skipped); "all present" is a deliberate
    // button that marks every person listed present, except those given another mark.
    let all_present = get("all_present") == "1";
    let mut marks = Vec::new();
    let mut bad = false;
    for (k, v) in pairs {
        if let Some(id) = k.strip_prefix("att_") {
            let mark = if v.is_empty() && all_present { "present" } else { v.as_str() };
            match (Uuid::try_parse(id), mark, Attendance::from_code(mark)) {
                (Ok(_), "", _) => {}
                (Ok(id), _, Some(a)) => marks.push((id, a)),
                _ => bad = true,
            }
        }
    }
    (input, marks, bad)
}

/// `POST /meetings?org=ID`: records a meeting.
pub async fn record(
    State(s): State<AppState>,
    c: Chrome,
    who: Who,
    ApiQuery(q): ApiQuery<OrgQuery>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let org =
        scope_org(&s, &who, Permission::ManageMeetings, q.org.as_deref()).await?.ok_or(AppError::NotFound)?;
    let (form, marks, bad_marks) = meeting_form(&pairs);
    let parsed = MeetingFields::parse(&form, s.clock.today()).map_err(pioneer_store::StoreError::Invalid);
    let result = match parsed {
        Ok(_) if bad_marks => {
            Err(pioneer_domain::FieldError::new("attendance", pioneer_domain::Reason::UnknownChoice).into())
        }
        Ok(m) => s.store.record_meeting(org.id, &m, &marks, &who.act).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(_) => Ok(Redirect::to(&format!("/meetings?org={}", org.id)).into_response()),
        Err(e) => match AppError::from(e) {
            AppError::Invalid(e) => {
                let errors = FormErrors::new(&e, &c.t);
                let year = s.clock.today().year();
                let p = page(&s, c, org, Draft { form, marks: &marks, errors }, year, "").await?;
                Ok(html_status(StatusCode::UNPROCESSABLE_ENTITY, p.render()?))
            }
            other => Err(other),
        },
    }
}

/// `POST /meetings/settings?org=ID`: this organisation's cadences and the FIRST-003 check.
pub async fn save_settings(
    State(s): State<AppState>,
    c: Chrome,
    who: Who,
    ApiQuery(q): ApiQuery<OrgQuery>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let org =
        scope_org(&s, &who, Permission::ManageMeetings, q.org.as_deref()).await?.ok_or(AppError::NotFound)?;
    match OrgLifeSettings::from_form(&pairs) {
        Ok(settings) => {
            s.store.set_orglife_settings(org.id, &settings, &who.act).await?;
            Ok(Redirect::to(&format!("/meetings?org={}", org.id)).into_response())
        }
        Err(e) => {
            let errors = FormErrors::new(&e, &c.t);
            let year = s.clock.today().year();
            let p = page(&s, c, org, Draft { errors, ..Draft::today(&s) }, year, "").await?;
            Ok(html_status(StatusCode::UNPROCESSABLE_ENTITY, p.render()?))
        }
    }
}
