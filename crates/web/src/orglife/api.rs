//! `/api/v1/meetings`: an organisation's meetings as JSON — the cadence calendar of the year
//! so far, the meetings held with their attendance, the counts per organisation and kind —
//! and recording a meeting with who attended, through the same domain check and store
//! function as the page.

use crate::AppState;
use crate::api::json::ApiJson;
use crate::api::query::ApiQuery;
use crate::auth::Who;
use crate::error::AppError;
use crate::scope::scope_org;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use jiff::civil::Date;
use pioneer_domain::Reason;
use pioneer_domain::accounts::access::Permission;
use pioneer_domain::orglife::{Attendance, Meeting, MeetingFields, MeetingInput, PeriodState, calendar};
use serde::Deserialize;
use serde_json::{Value, json};
use utoipa::{IntoParams, ToSchema};

/// `?org=ID&year=YYYY`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MeetingsParams {
    /// The organisation (default: the account's first scope).
    pub org: Option<String>,
    /// The year of the counts (default: this year).
    pub year: Option<i16>,
}

/// The meetings of an organisation this year: the cadence calendar (each period held, due or
/// missing, with its rule), the meetings held with their attendance, and the counts in
/// `year` per organisation of the subtree and kind.
#[utoipa::path(get, path = "/api/v1/meetings", params(MeetingsParams),
    responses((status = 200, body = Object), (status = 401, body = crate::error::Problem, content_type = "application/problem+json"), (status = 403, body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn list(
    State(s): State<AppState>,
    who: Who,
    ApiQuery(q): ApiQuery<MeetingsParams>,
) -> Result<Json<Value>, AppError> {
    let org =
        scope_org(&s, &who, Permission::ManageMeetings, q.org.as_deref()).await?.ok_or(AppError::NotFound)?;
    let today = s.clock.today();
    let from = Date::new(today.year(), 1, 1).unwrap_or(today);
    let settings = s.store.orglife_settings(org.id).await?;
    let held = s.store.meetings_of(org.id, from, today).await?;
    let seen: Vec<Meeting> = held
        .iter()
        .map(|m| Meeting {
            kind: m.fields.kind,
            on: m.fields.held_on,
            first_topic: m.fields.first_topic.is_some(),
        })
        .collect();
    let periods: Vec<Value> = calendar(&seen, &settings.cadences(), from, today)
        .into_iter()
        .map(|p| {
            let state = match p.state {
                PeriodState::Held => "held",
                PeriodState::Due => "due",
                PeriodState::Missing => "missing",
            };
            json!({ "kind": p.kind.code(), "rule": p.rule, "start": p.start, "end": p.end, "held": p.held, "state": state })
        })
        .collect();
    let mut meetings = Vec::with_capacity(held.len());
    for m in held {
        let marks: Vec<Value> = s
            .store
            .attendance_of(m.id)
            .await?
            .into_iter()
            .map(|(p, a)| json!({ "person_id": p, "mark": a.code() }))
            .collect();
        meetings.push(json!({ "id": m.id, "org_id": m.org_id, "meeting": m.fields, "attendance": marks }));
    }
    let year = q.year.filter(|y| (2000..=today.year()).contains(y)).unwrap_or(today.year());
    let counts: Vec<Value> = s
        .store
        .meeting_counts(org.id, year)
        .await?
        .into_iter()
        .map(|(id, name, kind, n)| json!({ "org_id": id, "org_name": name, "kind": kind.code(), "count": n }))
        .collect();
    Ok(Json(json!({ "calendar": periods, "meetings": meetings, "year": year, "counts": counts })))
}

/// One person's attendance.
#[derive(Debug, Deserialize, ToSchema)]
pub struct MarkBody {
    /// The person.
    pub person_id: uuid::Uuid,
    /// present, absent, leave or online.
    pub mark: String,
}

/// A meeting to record: its fields as on the form, and who attended (people not listed are
/// not recorded).
#[derive(Debug, Deserialize, ToSchema)]
pub struct MeetingBody {
    /// Kind code.
    pub kind: String,
    /// Day held (YYYY-MM-DD).
    pub held_on: String,
    /// Topic.
    pub topic: String,
    /// The 第一议题 item, if any.
    #[serde(default)]
    pub first_topic: String,
    /// Speaker.
    #[serde(default)]
    pub speaker: String,
    /// Minutes.
    pub minutes: String,
    /// Attendance marks.
    #[serde(default)]
    pub attendance: Vec<MarkBody>,
}

/// Records a meeting with its attendance (each attendee earns the meeting credits under the
/// rules in force at their organisation); refused by field, nothing written.
#[utoipa::path(post, path = "/api/v1/meetings", params(crate::development::api::OrgParam), request_body = MeetingBody,
    responses((status = 201, body = Object), (status = 403, body = crate::error::Problem, content_type = "application/problem+json"), (status = 422, body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn record(
    State(s): State<AppState>,
    who: Who,
    ApiQuery(q): ApiQuery<crate::scope::OrgQuery>,
    ApiJson(b): ApiJson<MeetingBody>,
) -> Result<Response, AppError> {
    let org =
        scope_org(&s, &who, Permission::ManageMeetings, q.org.as_deref()).await?.ok_or(AppError::NotFound)?;
    let input = MeetingInput {
        kind: b.kind,
        held_on: b.held_on,
        topic: b.topic,
        first_topic: b.first_topic,
        speaker: b.speaker,
        minutes: b.minutes,
    };
    let fields = MeetingFields::parse(&input, s.clock.today())?;
    let marks = b
        .attendance
        .iter()
        .map(|m| Attendance::from_code(&m.mark).map(|a| (m.person_id, a)))
        .collect::<Option<Vec<_>>>()
        .ok_or_else(|| AppError::field("attendance", Reason::UnknownChoice))?;
    let id = s.store.record_meeting(org.id, &fields, &marks, &who.act).await?;
    Ok((StatusCode::CREATED, Json(json!({ "id": id }))).into_response())
}
