//! Imports kept off the request workers: at most [`RUNNING`] run at once and [`WAITING`]
//! more wait their turn in arrival order (beyond that the upload is refused at once with
//! 429, never left to time out); the file is parsed and checked on the blocking pool, so
//! pages and `/healthz` keep answering while a large file is checked. An answer lists at
//! most [`LISTED`] problems, with the total.

use crate::error::AppError;
use std::sync::atomic::{AtomicUsize, Ordering};
use tokio::sync::{Semaphore, SemaphorePermit};

/// Imports checked at the same time.
pub const RUNNING: usize = 2;
/// Imports that may wait for a turn.
pub const WAITING: usize = 8;
/// Problems an answer lists (the total is always given).
pub const LISTED: usize = 1_000;

/// The import queue.
#[derive(Debug)]
pub struct ImportGate {
    turns: Semaphore,
    waiting: AtomicUsize,
}

impl Default for ImportGate {
    fn default() -> Self {
        Self { turns: Semaphore::new(RUNNING), waiting: AtomicUsize::new(0) }
    }
}

/// A turn to run an import, held until dropped; `ahead` imports were waiting or running
/// when it was asked for.
pub struct Turn<'a> {
    _permit: SemaphorePermit<'a>,
    /// How many imports were ahead in the queue.
    pub ahead: usize,
}

impl ImportGate {
    /// Waits for a turn (in arrival order); refused at once (429) when [`WAITING`] imports
    /// are already waiting.
    pub async fn turn(&self) -> Result<Turn<'_>, AppError> {
        if let Ok(permit) = self.turns.try_acquire() {
            return Ok(Turn { _permit: permit, ahead: 0 });
        }
        let before = self.waiting.fetch_add(1, Ordering::SeqCst);
        if before >= WAITING {
            self.waiting.fetch_sub(1, Ordering::SeqCst);
            return Err(AppError::TooManyRequests);
        }
        let permit = self.turns.acquire().await;
        self.waiting.fetch_sub(1, Ordering::SeqCst);
        let permit = permit.map_err(|_| AppError::TooManyRequests)?;
        Ok(Turn { _permit: permit, ahead: before + RUNNING })
    }

    /// Imports waiting now.
    pub fn waiting(&self) -> usize {
        self.waiting.load(Ordering::SeqCst)
    }
}

/// Runs CPU-heavy import work on the blocking pool, off the request workers.
pub async fn off_workers<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, AppError> {
    tokio::task::spawn_blocking(work).await.map_err(|e| {
        tracing::error!(error = %e, "import work stopped");
        AppError::Internal
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn turns_are_bounded_and_the_queue_refuses_beyond_its_length() {
        let gate = std::sync::Arc::new(ImportGate::default());
        let (a, b) = (gate.turn().await.unwrap(), gate.turn().await.unwrap());
        assert_eq!((a.ahead, b.ahead), (0, 0));
        // The next ones wait; beyond WAITING they are refused at once.
        let mut waiters = Vec::new();
        for _ in 0..WAITING {
            let g = gate.clone();
            waiters.push(tokio::spawn(async move { g.turn().await.map(|t| t.ahead) }));
        }
        while gate.waiting() < WAITING {
            tokio::task::yield_now().await;
        }
        assert!(matches!(gate.turn().await, Err(AppError::TooManyRequests)));
        drop((a, b));
        let mut aheads = Vec::new();
        for w in waiters {
            aheads.push(w.await.unwrap().unwrap());
        }
        aheads.sort_unstable();
        assert_eq!(aheads.first(), Some(&RUNNING), "the first waiter had the two running ahead");
        assert_eq!(gate.waiting(), 0);
    }
}
