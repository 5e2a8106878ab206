//! The weekly quiz for organisers: the question bank (a change makes a new version, so
//! past quizzes stay reproducible), publishing a quiz to the organisation's subtree, and
//! participation per sub-organisation — counts and average scores, no ranking of people.

use crate::AppState;
use crate::api::query::ApiQuery;
use crate::auth::Who;
use crate::error::AppError;
use crate::forms::FormErrors;
use crate::pages::{Chrome, html, html_status};
use crate::scope::path_id;
use crate::scope::{OrgQuery, scope_org};
use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use pioneer_domain::accounts::access::Permission;
use pioneer_domain::study::quiz::{Question, QuestionInput, QuizInput, letter};
use pioneer_store::StoreError;
use pioneer_store::orgs::OrgRecord;
use pioneer_store::study::quiz::{NewQuiz, Participation, WeeklyQuiz};
use serde::Deserialize;

/// The question form, with the id of the question it revises (empty: a new one).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct QuestionForm {
    #[serde(default)]
    of: String,
    #[serde(flatten)]
    q: QuestionInput,
}

#[derive(Template)]
#[template(path = "quiz_admin.html")]
struct AdminPage {
    c: Chrome,
    org: OrgRecord,
    /// Newest version of each question of the banks drawn from here, its right letters, how
    /// many versions it has, and whether it is this organisation's own (only those it revises).
    bank: Vec<(Question, String, u32, bool)>,
    tags: Vec<(String, usize)>,
    quizzes: Vec<WeeklyQuiz>,
    question: QuestionForm,
    publish: QuizInput,
    errors: FormErrors,
}

async fn page(
    s: &AppState,
    c: Chrome,
    org: OrgRecord,
    question: QuestionForm,
    publish: QuizInput,
    errors: FormErrors,
) -> Result<AdminPage, AppError> {
    let all = s.store.bank_at(org.tenant_id, &org.path).await?;
    let mut bank: Vec<(Question, String, u32, bool)> = Vec::new();
    for b in all {
        let (q, own) = (b.question, b.owner_id == org.id);
        let right: String = q.correct.iter().map(|&i| letter(usize::from(i))).collect();
        match bank.last_mut() {
            Some(last) if last.0.id == q.id => *last = (q, right, last.2 + 1, own),
            _ => bank.push((q, right, 1, own)),
        }
    }
    let mut tags: Vec<(String, usize)> = Vec::new();
    for (q, _, _, _) in &bank {
        match tags.iter_mut().find(|(t, _)| *t == q.tag) {
            Some(t) => t.1 += 1,
            None => tags.push((q.tag.clone(), 1)),
        }
    }
    let quizzes = s.store.quizzes_around(org.id).await?;
    Ok(AdminPage { c, org, bank, tags, quizzes, question, publish, errors })
}

fn default_publish(s: &AppState) -> QuizInput {
    let today = s.clock.today();
    let monday = today
        .checked_add(jiff::Span::new().days(i64::from(7 - today.weekday().to_monday_zero_offset()) % 7))
        .unwrap_or(today);
    let sunday = monday.checked_add(jiff::Span::new().days(6)).unwrap_or(monday);
    QuizInput {
        plan: String::new(),
        opens: format!("{monday}T08:00"),
        closes: format!("{sunday}T22:00"),
        minutes: "10".into(),
        attempts: "1".into(),
        ..QuizInput::default()
    }
}

/// `GET /admin/quiz?org=ID`.
pub async fn show(
    State(s): State<AppState>,
    c: Chrome,
    who: Who,
    ApiQuery(q): ApiQuery<OrgQuery>,
) -> Result<Response, AppError> {
    let org =
        scope_org(&s, &who, Permission::ManageStudy, q.org.as_deref()).await?.ok_or(AppError::NotFound)?;
    let publish = default_publish(&s);
    Ok(html(page(&s, c, org, QuestionForm::default(), publish, FormErrors::default()).await?.render()?))
}

/// `POST /admin/quiz/questions?org=ID`: adds a question or a new version of one.
pub async fn add_question(
    State(s): State<AppState>,
    c: Chrome,
    who: Who,
    ApiQuery(q): ApiQuery<OrgQuery>,
    Form(f): Form<QuestionForm>,
) -> Result<Response, AppError> {
    let org =
        scope_org(&s, &who, Permission::ManageStudy, q.org.as_deref()).await?.ok_or(AppError::NotFound)?;
    let of = match f.of.trim() {
        "" => None,
        raw => Some(raw.parse::<u32>().map_err(|_| AppError::NotFound)?),
    };
    match s.store.add_question(org.id, of, &f.q, &who.act).await {
        Ok(_) => Ok(Redirect::to(&format!("/admin/quiz?org={}", org.id)).into_response()),
        Err(StoreError::Invalid(e)) => {
            let errors = FormErrors::new(&e, &c.t);
            let p = page(&s, c, org, f, default_publish(&s), errors).await?;
            Ok(html_status(StatusCode::UNPROCESSABLE_ENTITY, p.render()?))
        }
        Err(e) => Err(e.into()),
    }
}

/// `POST /admin/quiz?org=ID`: publishes a quiz to the organisation's subtree.
pub async fn publish(
    State(s): State<AppState>,
    c: Chrome,
    who: Who,
    ApiQuery(q): ApiQuery<OrgQuery>,
    Form(f): Form<QuizInput>,
) -> Result<Response, AppError> {
    let org =
        scope_org(&s, &who, Permission::ManageStudy, q.org.as_deref()).await?.ok_or(AppError::NotFound)?;
    let result = match f.parse() {
        Ok(p) => {
            s.store
                .publish_quiz(org.id, &NewQuiz { title: p.title, plan: p.plan, window: p.window }, &who.act)
                .await
        }
        Err(e) => Err(StoreError::Invalid(e)),
    };
    match result {
        Ok(id) => Ok(Redirect::to(&format!("/admin/quiz/{id}?org={}", org.id)).into_response()),
        Err(StoreError::Invalid(e)) => {
            let errors = FormErrors::new(&e, &c.t);
            let p = page(&s, c, org, QuestionForm::default(), f, errors).await?;
            Ok(html_status(StatusCode::UNPROCESSABLE_ENTITY, p.render()?))
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "quiz_participation.html")]
struct ParticipationPage {
    c: Chrome,
    org: OrgRecord,
    quiz: std::sync::Arc<WeeklyQuiz>,
    lines: Vec<Participation>,
}

/// `GET /admin/quiz/{id}?org=ID`: participation per sub-organisation.
pub async fn participation(
    State(s): State<AppState>,
    c: Chrome,
    who: Who,
    Path(id): Path<String>,
    ApiQuery(q): ApiQuery<OrgQuery>,
) -> Result<Response, AppError> {
    let org =
        scope_org(&s, &who, Permission::ManageStudy, q.org.as_deref()).await?.ok_or(AppError::NotFound)?;
    let quiz = s.store.quiz(path_id(&id)?).await?;
    if !crate::scope::published_around(&org, quiz.tenant_id, &quiz.org_path) {
        return Err(AppError::NotFound);
    }
    let lines = s.store.participation(quiz.id, org.id).await?;
    Ok(html(ParticipationPage { c, org, quiz, lines }.render()?))
}
