//! The quiz desk: every submission passes through one writer task, which commits whatever
//! has arrived meanwhile in one transaction with one journal entry (group commit), so a
//! burst of riders submitting at the same minute costs one disk sync per batch, not one
//! each. On PostgreSQL the writer also reads the batch's attempts, in one statement, and
//! scores them (a request then costs one round trip, its session); on SQLite a request
//! scores its own submission on a reading connection, beside the one writer, whose turn is
//! the bottleneck there. A batch that fails is retried one submission at a time, so one bad
//! submission never sinks the others.

use crate::clock::Clock;
use pioneer_domain::study::quiz::Scored;
use pioneer_store::study::quiz::{Outcome, Submission, WeeklyQuiz};
use pioneer_store::{Act, Store, StoreError};
use std::sync::{Arc, Mutex};
use tokio::sync::{mpsc, oneshot};
use uuid::Uuid;

/// Most submissions in one transaction.
pub const BATCH: usize = 256;

/// A submission's quiz and score, when the request scored it.
type Scoring = (Arc<WeeklyQuiz>, Scored);

/// A submission, the quiz it was sent to, its score if the request scored it, and where its
/// answer goes.
type Job = (Submission, Uuid, Option<Scoring>, oneshot::Sender<Result<Outcome, StoreError>>);

/// The handle handlers submit through; the writer task starts with the first submission,
/// and again with the next one if it ever stopped.
#[derive(Default)]
pub struct QuizDesk {
    writer: Mutex<Option<Writer>>,
}

struct Writer {
    queue: mpsc::Sender<Job>,
    task: tokio::task::AbortHandle,
}

/// Why the desk did not answer with an outcome.
#[derive(Debug, thiserror::Error)]
pub enum DeskError {
    /// The store refused or failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The writer stopped before answering (the submission may or may not be written); the
    /// next submission starts a new writer. Answered as 503: try again.
    #[error("the quiz writer stopped")]
    WriterStopped,
}

impl QuizDesk {
    /// Scores and writes one submission to `quiz` (in the next batch) and answers with its
    /// outcome, or why it was refused.
    pub async fn submit(
        &self,
        store: &Store,
        clock: &Arc<dyn Clock>,
        s: Submission,
        quiz: Uuid,
    ) -> Result<Outcome, DeskError> {
        let scoring = match store.db().backend() {
            pioneer_store::Backend::Sqlite => Some(score_one(store, &s, quiz).await?),
            pioneer_store::Backend::Postgres => None,
        };
        let queue = self.queue(store, clock);
        let (reply, answer) = oneshot::channel();
        queue.send((s, quiz, scoring, reply)).await.map_err(|_| DeskError::WriterStopped)?;
        Ok(answer.await.map_err(|_| DeskError::WriterStopped)??)
    }

    /// The running writer's queue, or a new writer's when there is none or it stopped.
    fn queue(&self, store: &Store, clock: &Arc<dyn Clock>) -> mpsc::Sender<Job> {
        let mut slot = self.writer.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        match slot.as_ref() {
            Some(w) if !w.queue.is_closed() && !w.task.is_finished() => w.queue.clone(),
            _ => {
                if slot.is_some() {
                    tracing::error!("the quiz writer had stopped; starting a new one");
                }
                let (queue, rx) = mpsc::channel(4 * BATCH);
                let task = tokio::spawn(writer(store.clone(), clock.clone(), rx)).abort_handle();
                *slot = Some(Writer { queue: queue.clone(), task });
                queue
            }
        }
    }

    /// Stops the writer as a crash would (for tests of the restart).
    pub fn stop_writer(&self) {
        let slot = self.writer.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(w) = slot.as_ref() {
            w.task.abort();
        }
    }
}

async fn writer(store: Store, clock: Arc<dyn Clock>, mut rx: mpsc::Receiver<Job>) {
    while let Some(first) = rx.recv().await {
        let mut jobs = vec![first];
        while jobs.len() < BATCH {
            match rx.try_recv() {
                Ok(j) => jobs.push(j),
                Err(_) => break,
            }
        }
        let act = Act::new("quiz-desk", "POST /quiz/{id}", clock.now());
        let today = clock.today();
        // The submissions the requests did not score, scored together.
        let unscored: Vec<(Submission, Uuid)> =
            jobs.iter().filter(|j| j.2.is_none()).map(|(s, q, _, _)| (s.clone(), *q)).collect();
        let scored =
            if unscored.is_empty() { Ok(Vec::new()) } else { store.score_submissions(&unscored).await };
        let mut scored = match scored {
            Ok(scored) => scored.into_iter(),
            Err(e) => {
                tracing::warn!(error = %e, n = jobs.len(), "quiz batch could not be scored; one at a time");
                for job in jobs {
                    one_at_a_time(&store, job, today, &act).await;
                }
                continue;
            }
        };
        let mut ready = Vec::with_capacity(jobs.len());
        for (s, quiz, scoring, reply) in jobs {
            let r = match scoring {
                Some(done) => Ok(done),
                None => scored.next().unwrap_or(Err(StoreError::Contention)),
            };
            match r {
                Ok((q, sc)) => ready.push(((s, q, sc), (quiz, reply))),
                Err(e) => {
                    let _ = reply.send(Err(e));
                }
            }
        }
        if ready.is_empty() {
            continue;
        }
        let batch: Vec<_> = ready.iter().map(|(item, _)| item.clone()).collect();
        match store.write_submissions(batch, today, &act).await {
            Ok(results) => {
                for ((_, (_, reply)), r) in ready.into_iter().zip(results) {
                    let _ = reply.send(r);
                }
            }
            Err(e) => {
                tracing::warn!(error = %e, n = ready.len(), "quiz batch failed; writing one at a time");
                for ((s, q, sc), (quiz, reply)) in ready {
                    one_at_a_time(&store, (s, quiz, Some((q, sc)), reply), today, &act).await;
                }
            }
        }
    }
}

/// Checks and scores one submission to `quiz` (as a batch of one).
async fn score_one(store: &Store, s: &Submission, quiz: Uuid) -> Result<Scoring, StoreError> {
    store.score_submissions(&[(s.clone(), quiz)]).await?.pop().unwrap_or(Err(StoreError::NotFound))
}

/// Scores (unless the request did) and writes one submission in a transaction of its own,
/// and answers it.
async fn one_at_a_time(store: &Store, job: Job, today: jiff::civil::Date, act: &Act) {
    let (s, quiz, scoring, reply) = job;
    let scoring = match scoring {
        Some(done) => Ok(done),
        None => score_one(store, &s, quiz).await,
    };
    let r = match scoring {
        Ok((q, sc)) => match store.write_submissions(vec![(s, q, sc)], today, act).await {
            Ok(mut v) => v.pop().unwrap_or(Err(StoreError::Contention)),
            Err(e) => Err(e),
        },
        Err(e) => Err(e),
    };
    let _ = reply.send(r);
}
