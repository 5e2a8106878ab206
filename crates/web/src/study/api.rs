//! `/api/v1/courses` and `/api/v1/quizzes`: a member's study and weekly quiz as JSON, for a
//! mobile client — the same store calls and the same hand-in (`quiz::hand_in`, through the
//! quiz desk) as the pages. A running attempt's questions carry no answers; a submitted
//! one's carry the right options and the explanations.

use crate::AppState;
use crate::api::json::ApiJson;
use crate::auth::Who;
use crate::error::AppError;
use crate::scope::path_id;
use crate::study::quiz::hand_in;
use crate::study::quiz_desk::DeskError;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use pioneer_domain::study::quiz::Question;
use pioneer_store::study::quiz::{Attempt, WeeklyQuiz};
use serde::Deserialize;
use serde_json::{Value, json};
use utoipa::ToSchema;

/// The courses published to the member's organisation or above, newest first, with their
/// progress (opened, completed: ms or null).
#[utoipa::path(get, path = "/api/v1/courses", responses((status = 200, body = Object), (status = 401, body = crate::error::Problem, content_type = "application/problem+json"), (status = 403, body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn courses(State(s): State<AppState>, who: Who) -> Result<Json<Value>, AppError> {
    let (me, tenant, path) = who.member()?;
    let items: Vec<Value> = s
        .store
        .courses_for(tenant, me, &path)
        .await?
        .into_iter()
        .map(
            |(c, (opened, completed))| json!({ "course": c, "opened_at": opened, "completed_at": completed }),
        )
        .collect();
    Ok(Json(json!({ "items": items })))
}

/// A course to read (counted as opened).
#[utoipa::path(get, path = "/api/v1/courses/{id}", params(("id" = uuid::Uuid, Path, description = "The course")),
    responses((status = 200, body = Object), (status = 404, body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn course(
    State(s): State<AppState>,
    who: Who,
    Path(id): Path<String>,
) -> Result<Json<Value>, AppError> {
    let (me, tenant, path) = who.member()?;
    let course = crate::study::reachable(&s, &id, tenant, &path).await?;
    s.store.open_course(&course, me, &path, &who.act).await?;
    Ok(Json(json!({ "course": course })))
}

/// Marks a course learnt: the study credits once per course, within the caps.
#[utoipa::path(post, path = "/api/v1/courses/{id}/complete", params(("id" = uuid::Uuid, Path, description = "The course")),
    responses((status = 200, body = Object), (status = 404, body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn complete(
    State(s): State<AppState>,
    who: Who,
    Path(id): Path<String>,
) -> Result<Json<Value>, AppError> {
    let (me, tenant, path) = who.member()?;
    let course = crate::study::reachable(&s, &id, tenant, &path).await?;
    let credited = s.store.complete_course(&course, me, &path, s.clock.today(), &who.act).await?;
    Ok(Json(json!({ "completed": true, "credited": credited.map(|e| e.amount) })))
}

fn quiz_json(q: &WeeklyQuiz, mine: &[Attempt]) -> Value {
    let best = mine.iter().filter_map(|a| a.submitted.as_ref().map(|x| x.2)).max();
    json!({
        "id": q.id, "title": q.title, "questions": q.question_count(), "opens_at": q.window.opens_at,
        "closes_at": q.window.closes_at, "time_limit_s": q.window.time_limit_s, "attempts_allowed": q.window.attempts,
        "attempts_used": mine.len(), "best_points": best,
    })
}

/// One drawn question: without its answer while the attempt runs, with it afterwards.
fn question_json(q: &Question, a: &Attempt) -> Value {
    let mut v =
        json!({ "id": q.id, "kind": q.kind.code(), "tag": q.tag, "text": q.text, "choices": q.choices });
    if let Some((_, answers, _)) = &a.submitted {
        let chosen = answers.iter().find(|(id, _)| *id == q.id).map(|(_, o)| o.clone()).unwrap_or_default();
        v["chosen"] = json!(chosen);
        v["correct"] = json!(q.correct);
        v["explanation"] = json!(q.explanation);
    }
    v
}

async fn attempt_json(s: &AppState, q: &WeeklyQuiz, a: &Attempt) -> Result<Value, AppError> {
    let questions: Vec<Value> = s
        .store
        .drawn_questions(q.tenant_id, &a.questions)
        .await?
        .iter()
        .map(|x| question_json(x, a))
        .collect();
    Ok(json!({
        "id": a.id, "attempt_no": a.attempt_no, "started_at": a.started_at,
        "deadline": q.window.deadline(a.started_at), "submitted_at": a.submitted.as_ref().map(|x| x.0),
        "points": a.submitted.as_ref().map(|x| x.2), "max_points": a.max_points, "questions": questions,
    }))
}

/// The quizzes published to the member's organisation or above, newest first.
#[utoipa::path(get, path = "/api/v1/quizzes", responses((status = 200, body = Object), (status = 401, body = crate::error::Problem, content_type = "application/problem+json"), (status = 403, body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn quizzes(State(s): State<AppState>, who: Who) -> Result<Json<Value>, AppError> {
    let (me, tenant, path) = who.member()?;
    let mut items = Vec::new();
    for q in s.store.quizzes_for(tenant, &path).await? {
        let mine = s.store.attempts(q.id, me).await?;
        items.push(quiz_json(&q, &mine));
    }
    Ok(Json(json!({ "items": items })))
}

async fn reachable(
    s: &AppState,
    who: &Who,
    id: &str,
) -> Result<(uuid::Uuid, std::sync::Arc<WeeklyQuiz>), AppError> {
    let (me, _, path) = who.member()?;
    let q = s.store.quiz(path_id(id)?).await?;
    if !path.starts_with(&q.org_path) {
        return Err(AppError::NotFound);
    }
    Ok((me, q))
}

/// A quiz: its size, window and the member's attempts, with the running attempt's questions
/// (no answers) or the last result (right options and explanations).
#[utoipa::path(get, path = "/api/v1/quizzes/{id}", params(("id" = uuid::Uuid, Path, description = "The quiz")),
    responses((status = 200, body = Object), (status = 404, body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn quiz(
    State(s): State<AppState>,
    who: Who,
    Path(id): Path<String>,
) -> Result<Json<Value>, AppError> {
    let (me, q) = reachable(&s, &who, &id).await?;
    let mine = s.store.attempts(q.id, me).await?;
    let now = s.clock.now().as_millisecond();
    let shown = q.running(&mine, now).or_else(|| mine.iter().rev().find(|a| a.submitted.is_some()));
    let attempt = match shown {
        Some(a) => Some(attempt_json(&s, &q, a).await?),
        None => None,
    };
    Ok(Json(json!({ "quiz": quiz_json(&q, &mine), "attempt": attempt })))
}

fn quiz_refused(e: DeskError) -> AppError {
    match e {
        DeskError::Store(e) => e.into(),
        DeskError::WriterStopped => AppError::Unavailable,
    }
}

/// Starts an attempt (or answers the running one): its questions, without answers.
#[utoipa::path(post, path = "/api/v1/quizzes/{id}/start", params(("id" = uuid::Uuid, Path, description = "The quiz")),
    responses((status = 201, body = Object), (status = 404, body = crate::error::Problem, content_type = "application/problem+json"), (status = 422, body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn start(
    State(s): State<AppState>,
    who: Who,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let (me, q) = reachable(&s, &who, &id).await?;
    let (_, _, path) = who.member()?;
    let a = s.store.start_attempt(q.id, me, &path, s.clock.now().as_millisecond()).await?;
    Ok((StatusCode::CREATED, Json(attempt_json(&s, &q, &a).await?)).into_response())
}

/// One question's answer: the options chosen (0 = A).
#[derive(Debug, Deserialize, ToSchema)]
pub struct AnswerBody {
    /// The question's id.
    pub question: u32,
    /// The options chosen.
    pub options: Vec<u8>,
}

/// A filled-in attempt.
#[derive(Debug, Deserialize, ToSchema)]
pub struct SheetBody {
    /// The attempt.
    pub attempt: uuid::Uuid,
    /// The answers.
    pub answers: Vec<AnswerBody>,
}

/// Hands in an attempt: scored on the server (once; a second hand-in is refused); answers
/// with the result, each question's right options and explanation.
#[utoipa::path(post, path = "/api/v1/quizzes/{id}/submit", params(("id" = uuid::Uuid, Path, description = "The quiz")),
    request_body = SheetBody,
    responses((status = 200, body = Object), (status = 404, body = crate::error::Problem, content_type = "application/problem+json"), (status = 422, body = crate::error::Problem, content_type = "application/problem+json"), (status = 503, body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn submit(
    State(s): State<AppState>,
    who: Who,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<SheetBody>,
) -> Result<Json<Value>, AppError> {
    let (me, q) = reachable(&s, &who, &id).await?;
    let answers = b.answers.into_iter().map(|a| (a.question, a.options)).collect();
    let outcome = hand_in(&s, me, q.id, b.attempt, answers).await.map_err(quiz_refused)?;
    let a = s
        .store
        .attempts(q.id, me)
        .await?
        .into_iter()
        .find(|a| a.id == b.attempt)
        .ok_or(AppError::NotFound)?;
    Ok(Json(json!({
        "points": outcome.scored.points, "max_points": outcome.scored.max,
        "credited": outcome.credited.map(|e| e.amount), "attempt": attempt_json(&s, &q, &a).await?,
    })))
}
