//! HTTP interface of pioneer: server-rendered pages (Simplified Chinese by default,
//! English available) and the JSON API under `/api/v1`, both over one [`AppState`].
//!
//! Reach for [`router`] to build the application and [`AppState`] to give it a store
//! and a clock. Handlers follow one shape: extract → load → call the domain → respond.

pub mod acting;
pub mod api;
pub mod clock;
pub mod error;
pub mod forms;
pub mod health;
pub mod i18n;
pub mod pages;
pub mod security;

use axum::Router;
use axum::routing::get;
use clock::Clock;
use pioneer_store::Store;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    /// The store.
    pub store: Store,
    /// The only source of time.
    pub clock: Arc<dyn Clock>,
    ready: Arc<AtomicBool>,
}

impl AppState {
    /// State over a store and a clock; ready at once.
    pub fn new(store: Store, clock: Arc<dyn Clock>) -> Self {
        Self { store, clock, ready: Arc::new(AtomicBool::new(true)) }
    }

    /// Marks the server ready or not (`/readyz` answers 503 while not ready).
    pub fn set_ready(&self, ready: bool) {
        self.ready.store(ready, Ordering::SeqCst);
    }

    /// Whether the server takes traffic.
    pub fn is_ready(&self) -> bool {
        self.ready.load(Ordering::SeqCst)
    }
}

/// The whole application: pages, API, health checks, static files, security headers.
pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .route("/static/app.css", get(pages::static_css))
        .merge(pages::routes())
        .nest("/api/v1", api::routes())
        .fallback(pages::not_found)
        .layer(axum::middleware::from_fn(error::render))
        .layer(axum::middleware::from_fn(security::headers))
        .with_state(state)
}
