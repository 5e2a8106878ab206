//! 每周小测试 for the member: the quizzes published to their organisation, and one quiz:
//! before starting, its size, time limit and the credits it earns; while it runs, a plain
//! form (each option a whole row to tap, radio buttons and check boxes, no script, a few
//! kilobytes); after submitting, each choice marked right or wrong in words as well as
//! colour, with the explanations. Scoring is on the server; submissions go through the
//! quiz desk (batched writes). No ranking is shown.

use crate::AppState;
use crate::auth::Who;
use crate::error::AppError;
use crate::pages::{Chrome, html, html_status};
use crate::scope::path_id;
use crate::study::quiz_desk::DeskError;
use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use pioneer_domain::accounts::access::Permission;
use pioneer_domain::study::quiz::{Question, QuestionKind, QuizError, letter};
use pioneer_store::StoreError;
use pioneer_store::study::quiz::{Answers, Attempt, QuizCredit, Submission, WeeklyQuiz};
use std::sync::Arc;
use uuid::Uuid;

struct Line {
    quiz: WeeklyQuiz,
    state: &'static str,
    best: Option<(i64, i64)>,
    used: usize,
}

#[derive(Template)]
#[template(path = "quiz_list.html")]
struct ListPage {
    c: Chrome,
    lines: Vec<Line>,
}

/// `GET /quiz`: this member's quizzes.
pub async fn list(State(s): State<AppState>, c: Chrome, who: Who) -> Result<Response, AppError> {
    if who.user.person_id.is_none() && who.user.can(Permission::ReadSelf) {
        return Ok(html(ListPage { c, lines: Vec::new() }.render()?));
    }
    let (me, tenant, path) = who.member()?;
    let now = s.clock.now().as_millisecond();
    let mut lines = Vec::new();
    for quiz in s.store.quizzes_for(tenant, &path).await? {
        let mine = s.store.attempts(quiz.id, me).await?;
        let best = mine.iter().filter_map(|a| a.submitted.as_ref().map(|x| (x.2, a.max_points))).max();
        let state = if now < quiz.window.opens_at {
            c.t.l("未开始", "not open yet")
        } else if now > quiz.window.closes_at {
            c.t.l("已截止", "closed")
        } else {
            c.t.l("进行中", "open")
        };
        lines.push(Line { quiz, state, best, used: mine.len() });
    }
    Ok(html(ListPage { c, lines }.render()?))
}

/// One option as shown: its letter and text, whether it was chosen and whether it is right.
struct Opt {
    index: usize,
    letter: char,
    text: String,
    chosen: bool,
    right: bool,
}

impl Opt {
    /// The result's mark: `ok` chosen and right, `bad` chosen and wrong, `miss` right but
    /// not chosen, `` otherwise. The page says it in words too, not by colour alone.
    fn verdict(&self) -> &'static str {
        match (self.chosen, self.right) {
            (true, true) => "ok",
            (true, false) => "bad",
            (false, true) => "miss",
            (false, false) => "",
        }
    }
}

/// One question as shown: options with their letters, the answer given and the result.
struct Shown {
    q: Arc<Question>,
    multiple: bool,
    options: Vec<Opt>,
    points: Option<u32>,
}

impl Shown {
    /// A question of an attempt: as a form while it runs, with the answer and its points
    /// once submitted.
    fn of(q: Arc<Question>, a: &Attempt) -> Self {
        let given = a
            .submitted
            .as_ref()
            .and_then(|(_, ans, _)| ans.iter().find(|(id, _)| *id == q.id).map(|(_, g)| g.clone()))
            .unwrap_or_default();
        let points = a.submitted.as_ref().map(|_| q.score(&given));
        let options = q
            .choices
            .iter()
            .enumerate()
            .map(|(index, text)| {
                let i8 = index as u8;
                Opt {
                    index,
                    letter: letter(index),
                    text: text.clone(),
                    chosen: given.contains(&i8),
                    right: q.correct.contains(&i8),
                }
            })
            .collect();
        Shown { multiple: q.kind == QuestionKind::Multiple, q, options, points }
    }
}

#[derive(Template)]
#[template(path = "quiz_take.html")]
struct TakePage {
    c: Chrome,
    quiz: Arc<WeeklyQuiz>,
    /// The running attempt (a form) or the last submitted one (a result).
    attempt: Option<Attempt>,
    running: bool,
    questions: Vec<Shown>,
    deadline: String,
    /// Before starting: questions drawn, minutes allowed, attempts used, when it closes.
    count: usize,
    minutes: i64,
    used: usize,
    closes: String,
    /// What a completed attempt earns, when one may be started: credits and the phrase key.
    credit: Option<(i64, &'static str)>,
    can_start: bool,
    why_not: Option<&'static str>,
    error: Option<String>,
}

fn clock_text(ms: i64) -> String {
    jiff::Timestamp::from_millisecond(ms)
        .map(|t| t.to_zoned(crate::clock::china()).strftime("%m-%d %H:%M").to_string())
        .unwrap_or_default()
}

async fn take_page(
    s: &AppState,
    c: Chrome,
    quiz_id: Uuid,
    me: Uuid,
    path: &str,
    error: Option<String>,
) -> Result<TakePage, AppError> {
    let quiz = s.store.quiz(quiz_id).await?;
    if !path.starts_with(&quiz.org_path) {
        return Err(AppError::NotFound);
    }
    let now = s.clock.now().as_millisecond();
    let mine = s.store.attempts(quiz_id, me).await?;
    let running = quiz.running(&mine, now).cloned();
    let shown_attempt =
        running.clone().or_else(|| mine.iter().rev().find(|a| a.submitted.is_some()).cloned());
    let mut questions = Vec::new();
    if let Some(a) = &shown_attempt {
        for q in s.store.drawn_questions(quiz.tenant_id, &a.questions).await? {
            questions.push(Shown::of(q, a));
        }
    }
    let why = if running.is_some() { Ok(()) } else { quiz.window.may_start(now, mine.len() as i64) };
    let why_not = why.err().map(|e| {
        let (zh, en) = e.words();
        c.t.l(zh, en)
    });
    let deadline =
        running.as_ref().map(|a| clock_text(quiz.window.deadline(a.started_at))).unwrap_or_default();
    let can_start = running.is_none() && why_not.is_none();
    let credit = if can_start {
        Some(match s.store.quiz_credit(&quiz, me, s.clock.today()).await? {
            QuizCredit::Earns(n) => (n, "quiz_credits_earns"),
            QuizCredit::Earned(n) => (n, "quiz_credits_earned"),
            QuizCredit::CapReached => (0, "quiz_credits_capped"),
        })
    } else {
        None
    };
    Ok(TakePage {
        running: running.is_some(),
        can_start,
        count: quiz.question_count(),
        minutes: (quiz.window.time_limit_s + 59) / 60,
        used: mine.len(),
        closes: clock_text(quiz.window.closes_at),
        credit,
        attempt: shown_attempt,
        c,
        quiz,
        questions,
        deadline,
        why_not,
        error,
    })
}

/// `GET /quiz/{id}`: the running attempt as a form, else the last result.
pub async fn show(
    State(s): State<AppState>,
    c: Chrome,
    who: Who,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let (me, _, path) = who.member()?;
    Ok(html(take_page(&s, c, path_id(&id)?, me, &path, None).await?.render()?))
}

/// `POST /quiz/{id}/start`: starts an attempt (or goes back to the running one).
pub async fn start(
    State(s): State<AppState>,
    c: Chrome,
    who: Who,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let (me, _, path) = who.member()?;
    let quiz = path_id(&id)?;
    match s.store.start_attempt(quiz, me, &path, s.clock.now().as_millisecond()).await {
        Ok(_) => Ok(Redirect::to(&format!("/quiz/{quiz}")).into_response()),
        Err(StoreError::Quiz(e)) => refused(&s, c, quiz, me, &path, e).await,
        Err(e) => Err(e.into()),
    }
}

async fn refused(
    s: &AppState,
    c: Chrome,
    quiz: Uuid,
    me: Uuid,
    path: &str,
    e: QuizError,
) -> Result<Response, AppError> {
    let (zh, en) = e.words();
    let msg = c.t.l(zh, en).to_owned();
    let page = take_page(s, c, quiz, me, path, Some(msg)).await?;
    Ok(html_status(StatusCode::UNPROCESSABLE_ENTITY, page.render()?))
}

/// The answers of a submitted form: `attempt` and `q<question id>` = option index, once
/// per chosen option.
fn answers(form: &[(String, String)]) -> Result<(Uuid, Answers), QuizError> {
    let mut attempt = None;
    let mut out: Answers = Vec::new();
    for (k, v) in form {
        if k == "attempt" {
            attempt = Uuid::try_parse(v.trim()).ok();
            continue;
        }
        let Some(q) = k.strip_prefix('q') else { continue };
        let q: u32 = q.parse().map_err(|_| QuizError::NotInQuiz(0))?;
        let o: u8 = v.trim().parse().map_err(|_| QuizError::BadOption(q))?;
        match out.iter_mut().find(|(id, _)| *id == q) {
            Some((_, opts)) if !opts.contains(&o) => opts.push(o),
            Some(_) => {}
            None => out.push((q, vec![o])),
        }
    }
    Ok((attempt.ok_or(QuizError::NoAttempt)?, out))
}

/// Hands in a member's answers to an attempt at `quiz`: checked, scored and written in the
/// quiz desk's next batch. The page and the API both call this.
pub async fn hand_in(
    s: &AppState,
    me: Uuid,
    quiz: Uuid,
    attempt_id: Uuid,
    answers: Answers,
) -> Result<pioneer_store::study::quiz::Outcome, DeskError> {
    let sub = Submission { attempt_id, member_id: me, answers, at: s.clock.now().as_millisecond() };
    s.quiz_desk.submit(&s.store, &s.clock, sub, quiz).await
}

/// `POST /quiz/{id}`: submits the answers; scored on the server, written in the next batch.
pub async fn submit(
    State(s): State<AppState>,
    c: Chrome,
    who: Who,
    Path(id): Path<String>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let (me, _, path) = who.member()?;
    let quiz = path_id(&id)?;
    let (attempt_id, answers) = match answers(&form) {
        Ok(a) => a,
        Err(e) => return refused(&s, c, quiz, me, &path, e).await,
    };
    match hand_in(&s, me, quiz, attempt_id, answers).await {
        Ok(_) => Ok(Redirect::to(&format!("/quiz/{quiz}")).into_response()),
        Err(DeskError::Store(StoreError::Quiz(e))) => refused(&s, c, quiz, me, &path, e).await,
        Err(DeskError::Store(e)) => Err(e.into()),
        Err(DeskError::WriterStopped) => Err(AppError::Unavailable),
    }
}
