//! When each session was last used, recorded off the requests' path: a signed-in request
//! only notes the time in memory (when the stored time is over a minute old), and one task
//! writes the notes every few seconds in a few statements. A rider who read for minutes
//! before submitting thus costs no write of their own; the idle timeout reads the later of
//! the stored and the noted time, so it is exact within this server. A note not yet written
//! when the server stops is lost: the session then looks idle since its previous note (at
//! most a minute and the flush interval earlier than it was).

use pioneer_store::Store;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// How often the notes are written.
pub const FLUSH: Duration = Duration::from_secs(5);
/// A session's stored time is refreshed when it is older than this.
pub const REFRESH_MS: i64 = 60_000;

/// The notes not yet written, and the writer task.
#[derive(Default)]
pub struct LastSeen {
    pending: Mutex<HashMap<String, i64>>,
    writer: Mutex<Option<tokio::task::AbortHandle>>,
}

impl LastSeen {
    /// The later of the stored time and this server's note for a session.
    pub fn effective(&self, hash: &str, stored: i64) -> i64 {
        let pending = self.pending.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        pending.get(hash).map_or(stored, |&t| t.max(stored))
    }

    /// Notes that a session (whose effective time is `seen`) was used at `now`; written by
    /// the next flush when its time is over [`REFRESH_MS`] old.
    pub fn note(self: &Arc<Self>, store: &Store, hash: &str, seen: i64, now: i64) {
        if now - seen <= REFRESH_MS {
            return;
        }
        self.pending
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .entry(hash.to_owned())
            .and_modify(|t| *t = (*t).max(now))
            .or_insert(now);
        self.start(store);
    }

    /// Forgets a session's note (it ended).
    pub fn forget(&self, hash: &str) {
        self.pending.lock().unwrap_or_else(std::sync::PoisonError::into_inner).remove(hash);
    }

    /// Writes the notes taken so far; on failure they are kept for the next flush.
    pub async fn flush(&self, store: &Store) {
        let taken: Vec<(String, i64)> =
            std::mem::take(&mut *self.pending.lock().unwrap_or_else(std::sync::PoisonError::into_inner))
                .into_iter()
                .collect();
        if taken.is_empty() {
            return;
        }
        if let Err(e) = store.touch_sessions(&taken).await {
            tracing::warn!(error = %e, sessions = taken.len(), "could not record when sessions were last used");
            let mut pending = self.pending.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            for (hash, t) in taken {
                pending.entry(hash).and_modify(|p| *p = (*p).max(t)).or_insert(t);
            }
        }
    }

    /// Starts the writer task unless it runs.
    fn start(self: &Arc<Self>, store: &Store) {
        let mut slot = self.writer.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if slot.as_ref().is_some_and(|t| !t.is_finished()) {
            return;
        }
        let store = store.clone();
        let book = Arc::clone(self);
        *slot = Some(
            tokio::spawn(async move {
                loop {
                    tokio::time::sleep(FLUSH).await;
                    book.flush(&store).await;
                }
            })
            .abort_handle(),
        );
    }
}
