//! The weekly quiz in storage: the versioned question bank, quizzes published to a subtree
//! with their window, time limit and attempts policy, each member's attempts (drawn at
//! start, reproducibly), submissions written in batches — one transaction and one journal
//! entry holding the hash of the batch for many submissions, so a burst of riders never
//! queues behind the journal — and participation per sub-organisation. Questions and
//! quizzes never change once written, so they are cached in memory. The batched write is
//! in `quiz_batch`.

use crate::db::BeginWrite;
use crate::error::StoreError;
use crate::journal::{Act, Change, journal_append};
use crate::{Store, on_db};
use jiff::civil::Date;
use pioneer_domain::care::ledger::{Applied, Entry, Ledger};
use pioneer_domain::study::quiz::{self, Question, QuestionKind, QuizError, QuizWindow, Scored};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use uuid::Uuid;

/// Immutable rows kept in memory: question versions and quizzes.
#[derive(Default)]
pub struct QuizCache {
    questions: Mutex<HashMap<(Uuid, u32, u32), Arc<Question>>>,
    quizzes: Mutex<HashMap<Uuid, Arc<WeeklyQuiz>>>,
}

/// A published quiz.
#[derive(Debug, Clone, serde::Serialize)]
pub struct WeeklyQuiz {
    /// Id.
    pub id: Uuid,
    /// Deployment.
    pub tenant_id: Uuid,
    /// The organisation it was published to (its subtree takes it).
    pub org_id: Uuid,
    /// That organisation's path.
    pub org_path: String,
    /// Title (第48周 党史小测试).
    pub title: String,
    /// Categories and how many questions of each.
    pub plan: Vec<(String, usize)>,
    /// The seed every member's draw starts from.
    pub seed: u64,
    /// Window, time limit, attempts.
    pub window: QuizWindow,
}

/// Answers: question id and the option indices chosen.
pub type Answers = Vec<(u32, Vec<u8>)>;

/// One member's attempt.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Attempt {
    /// Id.
    pub id: Uuid,
    /// The quiz.
    pub quiz_id: Uuid,
    /// The member.
    pub member_id: Uuid,
    /// 1, 2, …
    pub attempt_no: i64,
    /// The questions drawn: id and version.
    pub questions: Vec<(u32, u32)>,
    /// Started (ms).
    pub started_at: i64,
    /// Submitted (ms), the answers and the points.
    pub submitted: Option<(i64, Answers, i64)>,
    /// Points possible.
    pub max_points: i64,
}

/// A submission waiting for its batch.
#[derive(Debug, Clone)]
pub struct Submission {
    /// The attempt.
    pub attempt_id: Uuid,
    /// The member submitting (must own the attempt).
    pub member_id: Uuid,
    /// Answers: question id and option indices.
    pub answers: Vec<(u32, Vec<u8>)>,
    /// When it arrived (ms).
    pub at: i64,
}

/// What a submission earned.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Outcome {
    /// The scored sheet.
    pub scored: Scored,
    /// The credits entry it earned, if any (once per quiz, within the caps).
    pub credited: Option<Entry>,
}

/// Participation in one sub-organisation.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Participation {
    /// The sub-organisation.
    pub org_id: Uuid,
    /// Its name.
    pub name: String,
    /// Party members in its subtree.
    pub members: i64,
    /// Members who submitted at least once.
    pub submitted: i64,
    /// Average best score of those who submitted, as a percentage of the maximum.
    pub average_pct: i64,
}

impl WeeklyQuiz {
    /// The attempt among `attempts` still running at `now`: not submitted, before its deadline.
    pub fn running<'a>(&self, attempts: &'a [Attempt], now: i64) -> Option<&'a Attempt> {
        attempts.iter().find(|a| a.submitted.is_none() && now <= self.window.deadline(a.started_at))
    }

    /// How many questions an attempt draws: the plan's counts (publishing checked that the
    /// bank has them, and questions are never taken out of the bank).
    pub fn question_count(&self) -> usize {
        self.plan.iter().map(|(_, n)| n).sum()
    }
}

/// The idempotency key of a quiz's credits: a member earns them once per quiz.
pub fn credit_key(quiz_id: Uuid) -> String {
    format!("quiz-{quiz_id}")
}

/// What submitting a quiz would earn a member, as the ledger stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum QuizCredit {
    /// This many credits: the rule's amount, or what the caps leave of it.
    Earns(i64),
    /// Earned already by an earlier attempt (once per quiz): this many.
    Earned(i64),
    /// The daily or weekly cap of quiz credits leaves nothing.
    CapReached,
}

type QuestionRow = (i64, i64, String, String, String);
/// A question row with its owner's id and path.
type BankRow = (i64, i64, String, String, String, Uuid, String);
type QuizRow = (Uuid, Uuid, Uuid, String, String, String, i64, i64, i64, i64, i64);
type AttemptRow = (Uuid, Uuid, Uuid, i64, String, i64, Option<i64>, Option<String>, Option<i64>, i64);

#[derive(serde::Serialize, serde::Deserialize)]
struct Body {
    text: String,
    choices: Vec<String>,
    correct: Vec<u8>,
    explanation: String,
}

fn question_from(r: QuestionRow) -> Result<Question, StoreError> {
    let (qid, version, kind, tag, body) = r;
    let b: Body = serde_json::from_str(&body).map_err(|_| StoreError::Corrupt("quiz_questions.body"))?;
    Ok(Question {
        id: u32::try_from(qid).map_err(|_| StoreError::Corrupt("quiz_questions.qid"))?,
        version: u32::try_from(version).map_err(|_| StoreError::Corrupt("quiz_questions.version"))?,
        kind: QuestionKind::from_code(&kind).ok_or(StoreError::Corrupt("quiz_questions.kind"))?,
        tag,
        text: b.text,
        choices: b.choices,
        correct: b.correct,
        explanation: b.explanation,
    })
}

fn quiz_from(r: QuizRow) -> Result<WeeklyQuiz, StoreError> {
    let (id, tenant_id, org_id, org_path, title, plan, seed, opens_at, closes_at, time_limit_s, attempts) = r;
    Ok(WeeklyQuiz {
        id,
        tenant_id,
        org_id,
        org_path,
        title,
        plan: serde_json::from_str(&plan).map_err(|_| StoreError::Corrupt("quizzes.plan"))?,
        seed: seed as u64,
        window: QuizWindow { opens_at, closes_at, time_limit_s, attempts },
    })
}

fn attempt_from(r: AttemptRow) -> Result<Attempt, StoreError> {
    let (
        id,
        quiz_id,
        member_id,
        attempt_no,
        questions,
        started_at,
        submitted_at,
        answers,
        points,
        max_points,
    ) = r;
    let corrupt = |_| StoreError::Corrupt("quiz_attempts");
    let submitted = match (submitted_at, answers, points) {
        (Some(at), Some(a), Some(p)) => Some((at, serde_json::from_str(&a).map_err(corrupt)?, p)),
        _ => None,
    };
    Ok(Attempt {
        id,
        quiz_id,
        member_id,
        attempt_no,
        questions: serde_json::from_str(&questions).map_err(corrupt)?,
        started_at,
        submitted,
        max_points,
    })
}

const QUIZ_COLUMNS: &str =
    "id, tenant_id, org_id, org_path, title, plan, seed, opens_at, closes_at, time_limit_s, attempts";
const ATTEMPT_COLUMNS: &str =
    "id, quiz_id, member_id, attempt_no, questions, started_at, submitted_at, answers, points, max_points";

/// The statement reading `n` attempts of one deployment (`$1`) by id (`$2`…). On SQLite the
/// deployment's term carries a unary `+`, so the plan looks each attempt up by its key (see
/// `quiz_batch::mark_submitted_sql`).
pub(crate) fn attempts_sql(sqlite: bool, n: usize) -> String {
    format!(
        "SELECT {ATTEMPT_COLUMNS} FROM quiz_attempts WHERE {}tenant_id = $1 AND id IN ({})",
        if sqlite { "+" } else { "" },
        crate::db::placeholders(false, 2, n)
    )
}

/// A question of a bank, with the organisation owning it.
#[derive(Debug, Clone)]
pub struct BankQuestion {
    /// The question (one version).
    pub question: Question,
    /// The organisation whose bank it is (only it revises the question).
    pub owner_id: Uuid,
    /// That organisation's path.
    pub owner_path: String,
}

/// A new quiz's fields.
#[derive(Debug, Clone)]
pub struct NewQuiz {
    /// Title.
    pub title: String,
    /// Categories and counts.
    pub plan: Vec<(String, usize)>,
    /// Window, limit, attempts.
    pub window: QuizWindow,
}

impl Store {
    /// Adds a question to the bank of `owner_id` (`of`: `None` for a new question, or the
    /// id of the question this is a new version of); returns its id and version. Journaled.
    /// Only the owner revises a question: one from a bank above is refused by name, one from
    /// a bank elsewhere is not found. A revision is drawn from the next attempt started.
    pub async fn add_question(
        &self,
        owner_id: Uuid,
        of: Option<u32>,
        input: &quiz::QuestionInput,
        act: &Act,
    ) -> Result<(u32, u32), StoreError> {
        input.parse(1, 1)?;
        let owner = self.placement(owner_id).await?;
        let tenant_id = owner.tenant_id;
        if let Some(q) = of {
            let theirs = self.bank_at(tenant_id, &owner.path).await?;
            match theirs.iter().find(|b| b.question.id == q) {
                Some(b) if b.owner_id == owner.id => {}
                Some(_) => {
                    return Err(pioneer_domain::FieldError::new(
                        "of",
                        pioneer_domain::Reason::Refused {
                            zh: "该题属于上级党组织的题库，只能由上级修订；可在本组织题库中新增题目",
                            en: "the question belongs to the bank of an organisation above; only it may revise it (add a question to this organisation's bank instead)",
                        },
                    )
                    .into());
                }
                None => return Err(StoreError::NotFound),
            }
        }
        let at = act.at.as_millisecond();
        on_db!(self.db(), pool => {
            let mut tx = pool.begin_write().await?;
            let (qid, version) = match of {
                None => {
                    let max: Option<i64> = sqlx::query_scalar("SELECT MAX(qid) FROM quiz_questions WHERE tenant_id = $1")
                        .bind(tenant_id).fetch_one(&mut *tx).await?;
                    (max.unwrap_or(0) + 1, 1)
                }
                Some(q) => {
                    let max: Option<i64> = sqlx::query_scalar("SELECT MAX(version) FROM quiz_questions WHERE tenant_id = $1 AND qid = $2")
                        .bind(tenant_id).bind(i64::from(q)).fetch_one(&mut *tx).await?;
                    (i64::from(q), max.ok_or(StoreError::NotFound)? + 1)
                }
            };
            let q = input.parse(qid as u32, version as u32)?;
            let body = serde_json::to_string(&Body { text: q.text.clone(), choices: q.choices.clone(), correct: q.correct.clone(), explanation: q.explanation.clone() })
                .map_err(|_| StoreError::Corrupt("quiz_questions.body"))?;
            sqlx::query("INSERT INTO quiz_questions (tenant_id, qid, version, kind, tag, body, created_at, owner_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
                .bind(tenant_id).bind(qid).bind(version).bind(q.kind.code()).bind(&q.tag).bind(&body).bind(at).bind(owner.id)
                .execute(&mut *tx).await?;
            let change = Change { tenant_id, entity: "quiz_question", entity_id: Some(owner.id), change: serde_json::json!({ "question": q }), rows: Vec::new() };
            journal_append!(tx, self, act, &change)?;
            tx.commit().await?;
            Ok((qid as u32, version as u32))
        })
    }

    /// The questions (every version) of the banks an organisation at `path` draws from: its
    /// own and those of the organisations above it, by id then version.
    pub async fn bank_at(&self, tenant_id: Uuid, path: &str) -> Result<Vec<BankQuestion>, StoreError> {
        let rows: Vec<BankRow> = on_db!(self.db(), pool => {
            sqlx::query_as(
                "SELECT q.qid, q.version, q.kind, q.tag, q.body, o.id, o.path FROM quiz_questions q \
                 JOIN organizations o ON o.id = COALESCE(q.owner_id, q.tenant_id) \
                 WHERE q.tenant_id = $1 AND substr($2, 1, length(o.path)) = o.path ORDER BY q.qid, q.version",
            )
            .bind(tenant_id).bind(path).fetch_all(pool).await?
        });
        rows.into_iter()
            .map(|(qid, version, kind, tag, body, owner_id, owner_path)| {
                Ok(BankQuestion {
                    question: question_from((qid, version, kind, tag, body))?,
                    owner_id,
                    owner_path,
                })
            })
            .collect()
    }

    /// A person's deployment and organisation path, without reading the rest of the record.
    pub async fn person_place(&self, person_id: Uuid) -> Result<(Uuid, String), StoreError> {
        let row: Option<(Uuid, String)> = on_db!(self.db(), pool => {
            sqlx::query_as("SELECT tenant_id, org_path FROM people WHERE id = $1").bind(person_id).fetch_optional(pool).await?
        });
        row.ok_or(StoreError::NotFound)
    }

    /// Every version of every question of a deployment, whoever owns it, by id then version.
    pub async fn question_bank(&self, tenant_id: Uuid) -> Result<Vec<Question>, StoreError> {
        let rows: Vec<QuestionRow> = on_db!(self.db(), pool => {
            sqlx::query_as("SELECT qid, version, kind, tag, body FROM quiz_questions WHERE tenant_id = $1 ORDER BY qid, version")
                .bind(tenant_id).fetch_all(pool).await?
        });
        rows.into_iter().map(question_from).collect()
    }

    /// The questions drawn for an attempt, in order (from memory once read; those not yet
    /// in memory in one statement).
    pub async fn drawn_questions(
        &self,
        tenant_id: Uuid,
        drawn: &[(u32, u32)],
    ) -> Result<Vec<Arc<Question>>, StoreError> {
        let cached = |key: &(Uuid, u32, u32)| -> Result<Option<Arc<Question>>, StoreError> {
            Ok(self
                .quiz_cache
                .questions
                .lock()
                .map_err(|_| StoreError::Corrupt("quiz cache"))?
                .get(key)
                .cloned())
        };
        let mut missing: Vec<u32> = Vec::new();
        for &(id, version) in drawn {
            if cached(&(tenant_id, id, version))?.is_none() && !missing.contains(&id) {
                missing.push(id);
            }
        }
        if !missing.is_empty() {
            // Numbered placeholders on both databases (SQLite would number a `?` after `$1` from 1).
            let list = crate::db::placeholders(false, 2, missing.len());
            let sql = format!(
                "SELECT qid, version, kind, tag, body FROM quiz_questions WHERE tenant_id = $1 AND qid IN ({list})"
            );
            let rows: Vec<QuestionRow> = on_db!(self.db(), pool => {
                let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(tenant_id);
                for id in &missing {
                    q = q.bind(i64::from(*id));
                }
                q.fetch_all(pool).await?
            });
            let mut cache =
                self.quiz_cache.questions.lock().map_err(|_| StoreError::Corrupt("quiz cache"))?;
            for row in rows {
                let q = question_from(row)?;
                let key = (tenant_id, q.id, q.version);
                if drawn.iter().any(|&(id, v)| (id, v) == (key.1, key.2)) {
                    cache.insert(key, Arc::new(q));
                }
            }
        }
        drawn
            .iter()
            .map(|&(id, version)| {
                cached(&(tenant_id, id, version))?.ok_or(StoreError::Corrupt("quiz_attempts.questions"))
            })
            .collect()
    }

    /// Publishes a quiz to the subtree of `org_id` (journaled). Each category must have as
    /// many questions as the plan asks.
    pub async fn publish_quiz(&self, org_id: Uuid, q: &NewQuiz, act: &Act) -> Result<Uuid, StoreError> {
        let o = self.placement(org_id).await?;
        let bank = self.bank_at(o.tenant_id, &o.path).await?;
        for (tag, count) in &q.plan {
            let mut ids: Vec<u32> =
                bank.iter().filter(|b| &b.question.tag == tag).map(|b| b.question.id).collect();
            ids.dedup();
            if ids.len() < *count {
                return Err(pioneer_domain::FieldError::new(
                    "plan",
                    pioneer_domain::Reason::Refused {
                        zh: "题库中该类别的题目不够本次抽题",
                        en: "the bank has too few questions of a category for this plan",
                    },
                )
                .into());
            }
        }
        let id = Uuid::now_v7();
        let seed = (id.as_u64_pair().1 & 0x7fff_ffff_ffff_ffff) as i64;
        let plan = serde_json::to_string(&q.plan).map_err(|_| StoreError::Corrupt("quizzes.plan"))?;
        let w = q.window;
        let change = Change {
            tenant_id: o.tenant_id,
            entity: "quiz",
            entity_id: Some(id),
            change: serde_json::json!({ "org_id": org_id, "title": q.title, "plan": q.plan, "window": w, "seed": seed }),
            rows: Vec::new(),
        };
        let at = act.at.as_millisecond();
        on_db!(self.db(), pool => {
            let mut tx = pool.begin_write().await?;
            sqlx::query("INSERT INTO quizzes (id, tenant_id, org_id, org_path, title, plan, seed, opens_at, closes_at, time_limit_s, attempts, created_at) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)")
                .bind(id).bind(o.tenant_id).bind(o.id).bind(&o.path).bind(&q.title).bind(&plan).bind(seed)
                .bind(w.opens_at).bind(w.closes_at).bind(w.time_limit_s).bind(w.attempts).bind(at)
                .execute(&mut *tx).await?;
            journal_append!(tx, self, act, &change)?;
            tx.commit().await?;
        });
        Ok(id)
    }

    /// A quiz (from memory once read).
    pub async fn quiz(&self, id: Uuid) -> Result<Arc<WeeklyQuiz>, StoreError> {
        if let Some(q) =
            self.quiz_cache.quizzes.lock().map_err(|_| StoreError::Corrupt("quiz cache"))?.get(&id)
        {
            return Ok(q.clone());
        }
        let row: Option<QuizRow> = on_db!(self.db(), pool => {
            crate::tenancy::bind_tenant!(sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "SELECT {QUIZ_COLUMNS} FROM quizzes WHERE id = $1{}", crate::tenancy::and_tenant("tenant_id", 2))))
                .bind(id)).fetch_optional(pool).await?
        });
        let q = Arc::new(quiz_from(row.ok_or(StoreError::NotFound)?)?);
        self.quiz_cache.quizzes.lock().map_err(|_| StoreError::Corrupt("quiz cache"))?.insert(id, q.clone());
        Ok(q)
    }

    /// The quizzes published to a member's organisation or above it, newest first (50).
    pub async fn quizzes_for(
        &self,
        tenant_id: Uuid,
        member_path: &str,
    ) -> Result<Vec<WeeklyQuiz>, StoreError> {
        let rows: Vec<QuizRow> = on_db!(self.db(), pool => {
            sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "SELECT {QUIZ_COLUMNS} FROM quizzes WHERE tenant_id = $1 AND substr($2, 1, length(org_path)) = org_path \
                 ORDER BY opens_at DESC, id DESC LIMIT 50")))
            .bind(tenant_id).bind(member_path).fetch_all(pool).await?
        });
        rows.into_iter().map(quiz_from).collect()
    }

    /// The quizzes published in the subtree of an organisation or above it, newest first (50).
    pub async fn quizzes_around(&self, org_id: Uuid) -> Result<Vec<WeeklyQuiz>, StoreError> {
        let o = self.org(org_id).await?;
        let end = pioneer_domain::orgs::subtree_end(&o.path);
        let rows: Vec<QuizRow> = on_db!(self.db(), pool => {
            sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "SELECT {QUIZ_COLUMNS} FROM quizzes WHERE tenant_id = $1 AND ((org_path >= $2 AND org_path < $3) \
                 OR substr($2, 1, length(org_path)) = org_path) ORDER BY opens_at DESC, id DESC LIMIT 50")))
            .bind(o.tenant_id).bind(&o.path).bind(&end).fetch_all(pool).await?
        });
        rows.into_iter().map(quiz_from).collect()
    }

    /// What submitting `quiz` on `on` would earn `member_id` under the deployment's credit
    /// rules, read without writing (the batch that writes replays the same ledger, so it
    /// finds less only if other credits of the source arrive first).
    pub async fn quiz_credit(
        &self,
        quiz: &WeeklyQuiz,
        member_id: Uuid,
        on: Date,
    ) -> Result<QuizCredit, StoreError> {
        let member_path = self.person(member_id).await?.org_path;
        let rule = self.credit_rules_at(quiz.tenant_id, &member_path).await?.quiz;
        let mut ledger = Ledger::from_entries(self.credit_entries(member_id).await?);
        Ok(match ledger.earn(&credit_key(quiz.id), &rule, on) {
            Ok(Applied::New(e)) => QuizCredit::Earns(e.amount),
            Ok(Applied::Replayed(e)) => QuizCredit::Earned(e.amount),
            Err(_) => QuizCredit::CapReached,
        })
    }

    /// A member's attempts at a quiz, oldest first.
    pub async fn attempts(&self, quiz_id: Uuid, member_id: Uuid) -> Result<Vec<Attempt>, StoreError> {
        let rows: Vec<AttemptRow> = on_db!(self.db(), pool => {
            crate::tenancy::bind_tenant!(sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "SELECT {ATTEMPT_COLUMNS} FROM quiz_attempts WHERE quiz_id = $1 AND member_id = $2{} ORDER BY attempt_no",
                crate::tenancy::and_tenant("tenant_id", 3))))
            .bind(quiz_id).bind(member_id)).fetch_all(pool).await?
        });
        rows.into_iter().map(attempt_from).collect()
    }

    /// Starts an attempt for a member of the quiz's subtree at `now`, or gives back the one
    /// still running; refused outside the window or beyond the attempts policy.
    pub async fn start_attempt(
        &self,
        quiz_id: Uuid,
        member_id: Uuid,
        member_path: &str,
        now: i64,
    ) -> Result<Attempt, StoreError> {
        let q = self.quiz(quiz_id).await?;
        if !member_path.starts_with(&q.org_path) {
            return Err(StoreError::NotFound);
        }
        let mine = self.attempts(quiz_id, member_id).await?;
        if let Some(a) = q.running(&mine, now) {
            return Ok(a.clone());
        }
        q.window.may_start(now, mine.len() as i64).map_err(StoreError::Quiz)?;
        let bank: Vec<Question> =
            self.bank_at(q.tenant_id, &q.org_path).await?.into_iter().map(|b| b.question).collect();
        let plan: Vec<(&str, usize)> = q.plan.iter().map(|(t, n)| (t.as_str(), *n)).collect();
        let week = u32::try_from(mine.len()).unwrap_or(0);
        let drawn = quiz::draw(&bank, &plan, q.seed, member_id, week);
        let a = Attempt {
            id: Uuid::now_v7(),
            quiz_id,
            member_id,
            attempt_no: mine.len() as i64 + 1,
            max_points: i64::from(quiz::POINTS) * drawn.len() as i64,
            questions: drawn,
            started_at: now,
            submitted: None,
        };
        let questions = serde_json::to_string(&a.questions)
            .map_err(|_| StoreError::Corrupt("quiz_attempts.questions"))?;
        let inserted = on_db!(self.db(), pool => {
            sqlx::query("INSERT INTO quiz_attempts (id, quiz_id, member_id, org_path, attempt_no, questions, started_at, max_points, \
                         tenant_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT DO NOTHING")
                .bind(a.id).bind(quiz_id).bind(member_id).bind(member_path).bind(a.attempt_no).bind(&questions)
                .bind(now).bind(a.max_points).bind(q.tenant_id).execute(pool).await?.rows_affected()
        });
        if inserted == 1 {
            return Ok(a);
        }
        // A simultaneous start won: that attempt is this member's.
        self.attempts(quiz_id, member_id)
            .await?
            .into_iter()
            .find(|x| x.attempt_no == a.attempt_no)
            .ok_or(StoreError::Contention)
    }

    /// Checks and scores the submissions of a batch, each to `(submission, quiz)`, with their
    /// attempts read in one statement per deployment (the requests read none): each answer
    /// is the quiz and score, or why the submission is refused (an attempt not found, not
    /// the member's or of another quiz; already submitted; too late). Writes nothing.
    pub async fn score_submissions(
        &self,
        subs: &[(Submission, Uuid)],
    ) -> Result<Vec<Result<(Arc<WeeklyQuiz>, Scored), StoreError>>, StoreError> {
        let mut quizzes: HashMap<Uuid, Option<Arc<WeeklyQuiz>>> = HashMap::new();
        let mut by_tenant: HashMap<Uuid, Vec<Uuid>> = HashMap::new();
        for (s, quiz_id) in subs {
            if !quizzes.contains_key(quiz_id) {
                let q = match self.quiz(*quiz_id).await {
                    Ok(q) => Some(q),
                    Err(StoreError::NotFound) => None,
                    Err(e) => return Err(e),
                };
                quizzes.insert(*quiz_id, q);
            }
            if let Some(Some(q)) = quizzes.get(quiz_id) {
                by_tenant.entry(q.tenant_id).or_default().push(s.attempt_id);
            }
        }
        let sqlite = self.db().backend() == crate::Backend::Sqlite;
        let mut attempts: HashMap<Uuid, Attempt> = HashMap::new();
        for (tenant, ids) in by_tenant {
            for chunk in ids.chunks(crate::study::quiz_batch::ROWS) {
                let sql = attempts_sql(sqlite, chunk.len());
                let rows: Vec<AttemptRow> = on_db!(self.db(), pool => {
                    let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(tenant);
                    for id in chunk {
                        q = q.bind(*id);
                    }
                    q.fetch_all(pool).await?
                });
                for r in rows {
                    let a = attempt_from(r)?;
                    attempts.insert(a.id, a);
                }
            }
        }
        let mut out = Vec::with_capacity(subs.len());
        for (s, quiz_id) in subs {
            out.push(match (attempts.get(&s.attempt_id), quizzes.get(quiz_id).cloned().flatten()) {
                (Some(a), Some(q)) if a.quiz_id == *quiz_id => {
                    self.judge(a, &q, s).await.map(|scored| (q, scored))
                }
                _ => Err(StoreError::NotFound),
            });
        }
        Ok(out)
    }

    /// Checks one submission against its attempt and quiz, and scores it.
    async fn judge(&self, a: &Attempt, q: &WeeklyQuiz, s: &Submission) -> Result<Scored, StoreError> {
        if a.member_id != s.member_id {
            return Err(StoreError::NotFound);
        }
        if a.submitted.is_some() {
            return Err(StoreError::Quiz(QuizError::AlreadySubmitted));
        }
        q.window.may_submit(a.started_at, s.at).map_err(StoreError::Quiz)?;
        let drawn = self.drawn_questions(q.tenant_id, &a.questions).await?;
        let refs: Vec<&Question> = drawn.iter().map(|q| q.as_ref()).collect();
        quiz::score_sheet(&refs, &s.answers).map_err(StoreError::Quiz)
    }

    /// Participation in a quiz per direct sub-organisation of `org_id` (and `org_id`
    /// itself first, counting its whole subtree).
    pub async fn participation(&self, quiz_id: Uuid, org_id: Uuid) -> Result<Vec<Participation>, StoreError> {
        let o = self.org(org_id).await?;
        let mut orgs = vec![(o.id, o.fields.name.clone(), o.path.clone())];
        let open = self.children(org_id).await?.into_iter().filter(|c| c.closed_on.is_none());
        orgs.extend(open.map(|c| (c.id, c.fields.name, c.path)));
        let mut out = Vec::new();
        for (id, name, path) in orgs {
            let end = pioneer_domain::orgs::subtree_end(&path);
            let (members, submitted, average): (i64, i64, Option<f64>) = on_db!(self.db(), pool => {
                let members: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM people WHERE org_path >= $1 AND org_path < $2 \
                                                      AND status IN ('full_member', 'probationary_member')")
                    .bind(&path).bind(&end).fetch_one(pool).await?;
                let (n, avg): (i64, Option<f64>) = sqlx::query_as(
                    "SELECT COUNT(*), AVG(best) FROM (SELECT member_id, MAX(CAST(points AS DOUBLE PRECISION) * 100 / max_points) AS best FROM quiz_attempts \
                     WHERE quiz_id = $1 AND org_path >= $2 AND org_path < $3 AND submitted_at IS NOT NULL AND max_points > 0 \
                     GROUP BY member_id) AS t")
                    .bind(quiz_id).bind(&path).bind(&end).fetch_one(pool).await?;
                (members, n, avg)
            });
            out.push(Participation {
                org_id: id,
                name,
                members,
                submitted,
                average_pct: average.unwrap_or(0.0).round() as i64,
            });
        }
        Ok(out)
    }
}
