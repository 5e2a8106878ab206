//! Riders for the weekly-quiz benchmark: full members of a generated deployment, each with
//! a member account, a signed-in session and a started attempt at this week's quiz, written
//! in one transaction with one journal entry for the batch.

use crate::db::BeginWrite;
use crate::error::StoreError;
use crate::journal::{Act, Change, journal_append};
use crate::study::quiz::NewQuiz;
use crate::{Store, on_db};
use pioneer_domain::study::quiz::{self, QuizWindow};
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

impl Store {
    /// Makes one rider per `(session hash, csrf token)`: an account `bench-rider-N` (with
    /// `password_hash`) granted the member role on the person's branch, the session, and an
    /// attempt at a quiz published to the deployment's root now (a week open, one attempt).
    pub async fn generate_quiz_riders(
        &self,
        sessions: &[(String, String)],
        password_hash: &str,
        act: &Act,
    ) -> Result<QuizBench, StoreError> {
        let n = i64::try_from(sessions.len()).unwrap_or(i64::MAX);
        let people: Vec<(Uuid, Uuid, Uuid, String)> = on_db!(self.db(), pool => {
            sqlx::query_as("SELECT id, org_id, tenant_id, org_path FROM people WHERE status = 'full_member' ORDER BY id LIMIT $1")
                .bind(n).fetch_all(pool).await?
        });
        let tenant = people.first().map(|p| p.2).ok_or(StoreError::NotFound)?;
        let people: Vec<_> = people.into_iter().filter(|p| p.2 == tenant).collect();
        if self.question_bank(tenant).await?.is_empty() {
            self.seed_demo_questions(tenant, act).await?;
        }
        let now = act.at.as_millisecond();
        let plan = vec![("党史".to_owned(), 2), ("党章".to_owned(), 2), ("安全".to_owned(), 1)];
        let window = QuizWindow {
            opens_at: now - 3_600_000,
            closes_at: now + 7 * 86_400_000,
            time_limit_s: 3600,
            attempts: 1,
        };
        let quiz_id = self
            .publish_quiz(tenant, &NewQuiz { title: "基准测试周".into(), plan: plan.clone(), window }, act)
            .await?;
        let q = self.quiz(quiz_id).await?;
        let bank = self.question_bank(tenant).await?;
        let plan: Vec<(&str, usize)> = plan.iter().map(|(t, c)| (t.as_str(), *c)).collect();
        let mut riders = Vec::with_capacity(people.len());
        on_db!(self.db(), pool => {
            let mut tx = pool.begin_write().await?;
            for (i, ((person, org, _, path), (hash, csrf))) in people.iter().zip(sessions).enumerate() {
                let user = Uuid::now_v7();
                sqlx::query(
                    "INSERT INTO users (id, username, display_name, password_hash, password_changed_at, must_change_password, \
                     failed_logins, locked_until, person_id, disabled, created_at) VALUES ($1, $2, $2, $3, $4, FALSE, 0, NULL, $5, FALSE, $4)",
                )
                .bind(user).bind(format!("bench-rider-{i}")).bind(password_hash).bind(now).bind(person)
                .execute(&mut *tx).await?;
                sqlx::query("INSERT INTO grants (id, user_id, role, org_id) VALUES ($1, $2, 'member', $3)")
                    .bind(Uuid::now_v7()).bind(user).bind(org).execute(&mut *tx).await?;
                sqlx::query("INSERT INTO sessions (id_hash, user_id, csrf, created_at, last_seen, second_factor_ok) VALUES ($1, $2, $3, $4, $4, TRUE)")
                    .bind(hash).bind(user).bind(csrf).bind(now).execute(&mut *tx).await?;
                let drawn = quiz::draw(&bank, &plan, q.seed, *person, 0);
                let attempt = Uuid::now_v7();
                sqlx::query("INSERT INTO quiz_attempts (id, quiz_id, member_id, org_path, attempt_no, questions, started_at, max_points) \
                             VALUES ($1, $2, $3, $4, 1, $5, $6, $7)")
                    .bind(attempt).bind(quiz_id).bind(person).bind(path)
                    .bind(serde_json::to_string(&drawn).map_err(|_| StoreError::Corrupt("quiz_attempts.questions"))?)
                    .bind(now).bind(i64::from(quiz::POINTS) * drawn.len() as i64)
                    .execute(&mut *tx).await?;
                riders.push(QuizRider { person: *person, attempt, questions: drawn.iter().map(|d| d.0).collect() });
            }
            let change = Change {
                tenant_id: tenant,
                entity: "bench_riders",
                entity_id: Some(quiz_id),
                change: serde_json::json!({ "riders": riders.len() }),
            };
            journal_append!(tx, act, &change)?;
            tx.commit().await?;
        });
        Ok(QuizBench { quiz: quiz_id, riders })
    }
}
