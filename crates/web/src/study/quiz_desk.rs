//! The quiz desk: every submission passes through one writer task, which commits whatever
//! has arrived meanwhile in one transaction with one journal entry (group commit), so a
//! burst of riders submitting at the same minute costs one disk sync per batch, not one
//! each. A batch that fails is retried one submission at a time, so one bad submission
//! never sinks the others.

use crate::clock::Clock;
use pioneer_domain::study::quiz::Scored;
use pioneer_store::study::quiz::{Outcome, Submission, WeeklyQuiz};
use pioneer_store::{Act, Store, StoreError};
use std::sync::{Arc, Mutex};
use tokio::sync::{mpsc, oneshot};

/// Most submissions in one transaction.
pub const BATCH: usize = 256;

type Job = (Submission, Arc<WeeklyQuiz>, Scored, oneshot::Sender<Result<Outcome, StoreError>>);

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
    /// Writes one scored submission (in the next batch) and answers with its outcome.
    pub async fn submit(
        &self,
        store: &Store,
        clock: &Arc<dyn Clock>,
        s: Submission,
        quiz: Arc<WeeklyQuiz>,
        scored: Scored,
    ) -> Result<Outcome, DeskError> {
        let queue = self.queue(store, clock);
        let (reply, answer) = oneshot::channel();
        queue.send((s, quiz, scored, reply)).await.map_err(|_| DeskError::WriterStopped)?;
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
        let batch: Vec<_> = jobs.iter().map(|(s, q, sc, _)| (s.clone(), q.clone(), sc.clone())).collect();
        match store.write_submissions(batch, today, &act).await {
            Ok(results) => {
                for ((_, _, _, reply), r) in jobs.into_iter().zip(results) {
                    let _ = reply.send(r);
                }
            }
            Err(e) => {
                tracing::warn!(error = %e, n = jobs.len(), "quiz batch failed; writing one at a time");
                for (s, q, sc, reply) in jobs {
                    let r = match store.write_submissions(vec![(s, q, sc)], today, &act).await {
                        Ok(mut v) => v.pop().unwrap_or(Err(StoreError::Contention)),
                        Err(e) => Err(e),
                    };
                    let _ = reply.send(r);
                }
            }
        }
    }
}
