//! Liveness (`/healthz`: the process answers) and readiness (`/readyz`: start-up is
//! complete and the database takes a write — a full disk makes it 503, not only a lost
//! connection).

use crate::AppState;
use axum::extract::State;
use axum::http::StatusCode;

/// Always 200 while the process runs.
pub async fn healthz() -> &'static str {
    "ok"
}

/// 200 when the database takes a small durable write, 503 otherwise.
pub async fn readyz(State(state): State<AppState>) -> (StatusCode, &'static str) {
    if !state.is_ready() {
        return (StatusCode::SERVICE_UNAVAILABLE, "starting");
    }
    if state.storage_faulted_recently() {
        return (StatusCode::SERVICE_UNAVAILABLE, "storage unavailable (a write failed in the last 10 s)");
    }
    match state.store.probe_write(state.clock.now().as_millisecond()).await {
        Ok(()) => (StatusCode::OK, "ready"),
        Err(e) => {
            tracing::warn!(error = %e, "readiness check failed");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable")
        }
    }
}
