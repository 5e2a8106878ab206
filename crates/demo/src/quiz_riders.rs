//! Riders for the weekly-quiz benchmark: full members of a generated deployment, each with
//! a member account, a signed-in session and a started attempt at this week's quiz, written
//! in one transaction with one journal entry for the batch.

use pioneer_domain::study::quiz::{self, QuizWindow};
use pioneer_store::bulk::BenchRider;
use pioneer_store::study::quiz::NewQuiz;
use pioneer_store::{Act, Store, StoreError};
use uuid::Uuid;

/// One benchmark rider: the attempt started for them and the questions drawn.
#[derive(Debug, Clone)]
pub struct QuizRider {
    /// The rider's person id.
    pub person: Uuid,
    /// The attempt.
    pub attempt: Uuid,
    /// Question ids drawn, in order.
    pub questions: Vec<u32>,
}

/// What the benchmark needs: the quiz and its riders (in the order of `sessions`).
#[derive(Debug, Clone)]
pub struct QuizBench {
    /// The quiz.
    pub quiz: Uuid,
    /// The riders.
    pub riders: Vec<QuizRider>,
}

/// Makes one rider per `(session hash, csrf token)`: an account `bench-rider-N` (with
/// `password_hash`) granted the member role on the person's branch, the session, and an
/// attempt at a quiz published to the deployment's root now (a week open, one attempt).
pub async fn generate_quiz_riders(
    store: &Store,
    sessions: &[(String, String)],
    password_hash: &str,
    act: &Act,
) -> Result<QuizBench, StoreError> {
    let n = i64::try_from(sessions.len()).unwrap_or(i64::MAX);
    let people = store.full_members_placed(n).await?;
    let tenant = people.first().map(|p| p.1).ok_or(StoreError::NotFound)?;
    let people: Vec<_> = people.into_iter().filter(|p| p.1 == tenant).collect();
    if store.question_bank(tenant).await?.is_empty() {
        crate::study::seed_demo_questions(store, tenant, act).await?;
    }
    let now = act.at.as_millisecond();
    let plan = vec![("党史".to_owned(), 2), ("党章".to_owned(), 2), ("安全".to_owned(), 1)];
    let window = QuizWindow {
        opens_at: now - 3_600_000,
        closes_at: now + 7 * 86_400_000,
        time_limit_s: 3600,
        attempts: 1,
    };
    let quiz_id = store
        .publish_quiz(tenant, &NewQuiz { title: "基准测试周".into(), plan: plan.clone(), window }, act)
        .await?;
    let q = store.quiz(quiz_id).await?;
    let bank = store.question_bank(tenant).await?;
    let plan: Vec<(&str, usize)> = plan.iter().map(|(t, c)| (t.as_str(), *c)).collect();
    let mut rows = Vec::with_capacity(people.len());
    let mut drawn_all = Vec::with_capacity(people.len());
    for (i, ((person, _, org, path), (hash, csrf))) in people.iter().zip(sessions).enumerate() {
        let drawn = quiz::draw(&bank, &plan, q.seed, *person, 0);
        rows.push(BenchRider {
            person: *person,
            org: *org,
            org_path: path.clone(),
            username: format!("bench-rider-{i}"),
            session_hash: hash,
            csrf,
            questions_json: serde_json::to_string(&drawn)
                .map_err(|_| StoreError::Corrupt("quiz_attempts.questions"))?,
            max_points: i64::from(quiz::POINTS) * drawn.len() as i64,
        });
        drawn_all.push((*person, drawn.iter().map(|d| d.0).collect::<Vec<_>>()));
    }
    let attempts = store.insert_bench_riders(tenant, quiz_id, &rows, password_hash, act).await?;
    let riders = drawn_all
        .into_iter()
        .zip(attempts)
        .map(|((person, questions), attempt)| QuizRider { person, attempt, questions })
        .collect();
    Ok(QuizBench { quiz: quiz_id, riders })
}
