//! HTTP interface of pioneer: server-rendered pages (Simplified Chinese by default,
//! English available) and the JSON API under `/api/v1`, both over one [`AppState`].
//!
//! Reach for [`router`] to build the application and [`AppState`] to give it a store
//! and a clock. Handlers follow one shape: extract → load → call the domain → respond.

pub mod accounts;
pub mod api;
pub mod auth;
pub mod care;
pub mod charts;
pub mod city;
pub mod clock;
pub mod development;
pub mod dues;
pub mod error;
pub mod forms;
pub mod health;
pub mod home;
pub mod i18n;
pub mod imports;
pub mod journal;
pub mod openapi;
pub mod orglife;
pub mod orgs;
pub mod pages;
pub mod people;
pub mod routes;
pub mod scope;
pub mod security;
pub mod service;
pub mod sheets;
pub mod stats;
pub mod study;
pub mod tables;

use axum::Router;
use axum::routing::get;
use clock::Clock;
use pioneer_domain::accounts::password::PasswordPolicy;
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
    /// The password policy profile.
    pub policy: PasswordPolicy,
    /// Mark the session cookie `Secure` (behind TLS).
    pub secure_cookies: bool,
    /// Skip the second factor (the demo deployment only).
    pub waive_second_factor: bool,
    /// The database holds the demo deployment: every page says so.
    pub demo: bool,
    /// Failed sign-ins one address may make per 15 minutes (successes never count).
    pub login_attempts_per_window: usize,
    /// Take the client's address from the last `X-Forwarded-For` entry (set only behind a
    /// reverse proxy that writes it; otherwise anyone could choose their address).
    pub trust_forwarded_for: bool,
    /// The quiz desk: submissions are written in batches.
    pub quiz_desk: Arc<study::quiz_desk::QuizDesk>,
    /// When sessions were last used, written every few seconds off the requests' path.
    pub last_seen: Arc<auth::last_seen::LastSeen>,
    /// The import queue: imports are checked a few at a time, off the request workers.
    pub imports: Arc<imports::ImportGate>,
    /// Reads of the public pages by address, limited per minute (`city::limiter`).
    pub public_reads: Arc<city::limiter::PublicLimiter>,
    /// The address the deployment is reached at (for QR codes and the Atom feed); None:
    /// the request's host.
    pub public_url: Option<String>,
    /// The online payment provider of party dues (None: cash and transfer only).
    pub dues_provider: Option<service::outbox::Endpoint>,
    ready: Arc<AtomicBool>,
    /// When storage last failed a request (ms since the epoch, real time; 0: never).
    storage_fault_ms: Arc<std::sync::atomic::AtomicI64>,
    /// Failed sign-ins by address and by account and address (`auth::throttle`).
    throttle: auth::throttle::SharedThrottle,
    /// Scope refusals by account and route, folded within a minute (`auth::refusals`).
    refusals: auth::refusals::SharedRefusals,
}

/// How long after a storage fault `/readyz` keeps saying 503 (a small probe write can pass
/// while real writes still fail on a full disk).
pub const STORAGE_FAULT_MS: i64 = 10_000;

/// Real time in ms (faults are timed by the wall clock, not the application's clock).
fn real_now_ms() -> i64 {
    std::time::SystemTime::UNIX_EPOCH
        .elapsed()
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

impl AppState {
    /// State over a store and a clock; ready at once.
    pub fn new(store: Store, clock: Arc<dyn Clock>) -> Self {
        Self {
            store,
            clock,
            policy: PasswordPolicy::default(),
            secure_cookies: false,
            waive_second_factor: false,
            demo: false,
            login_attempts_per_window: auth::throttle::FAILURES_PER_ADDRESS,
            trust_forwarded_for: false,
            quiz_desk: Arc::default(),
            last_seen: Arc::default(),
            imports: Arc::default(),
            public_reads: Arc::default(),
            public_url: None,
            dues_provider: None,
            ready: Arc::new(AtomicBool::new(true)),
            storage_fault_ms: Arc::default(),
            throttle: auth::throttle::SharedThrottle::default(),
            refusals: auth::refusals::SharedRefusals::default(),
        }
    }

    /// Uses another password policy profile.
    pub fn with_policy(mut self, policy: PasswordPolicy) -> Self {
        self.policy = policy;
        self
    }

    /// Limits public reads to `per_minute` per address (0: none).
    pub fn with_public_reads(mut self, per_minute: u32) -> Self {
        self.public_reads = Arc::new(city::limiter::PublicLimiter::new(per_minute));
        self
    }

    /// Sets the address the deployment is reached at.
    pub fn with_public_url(mut self, url: Option<String>) -> Self {
        self.public_url = url;
        self
    }

    /// Sets the online payment provider of party dues.
    pub fn with_dues_provider(mut self, provider: Option<service::outbox::Endpoint>) -> Self {
        self.dues_provider = provider;
        self
    }

    /// Marks the deployment as demo data (read once at start, not on every page).
    pub fn with_demo(mut self, demo: bool) -> Self {
        self.demo = demo;
        self
    }

    /// Waives the second factor (demo only: the login page says so).
    pub fn with_second_factor_waived(mut self, waived: bool) -> Self {
        self.waive_second_factor = waived;
        self
    }

    /// Sets how many failed sign-ins one address may make per window.
    pub fn with_login_attempts(mut self, per_window: usize) -> Self {
        self.login_attempts_per_window = per_window;
        self
    }

    /// Trusts `X-Forwarded-For` for the client's address (behind a reverse proxy).
    pub fn with_trusted_proxy(mut self, trust: bool) -> Self {
        self.trust_forwarded_for = trust;
        self
    }

    /// Marks session cookies `Secure`.
    pub fn with_secure_cookies(mut self, secure: bool) -> Self {
        self.secure_cookies = secure;
        self
    }

    /// Marks the server ready or not (`/readyz` answers 503 while not ready).
    pub fn set_ready(&self, ready: bool) {
        self.ready.store(ready, Ordering::SeqCst);
    }

    /// Whether the server takes traffic.
    pub fn is_ready(&self) -> bool {
        self.ready.load(Ordering::SeqCst)
    }

    /// Notes that storage failed a request now (a full disk, an I/O error): `/readyz` says
    /// 503 for [`STORAGE_FAULT_MS`] after the last one.
    pub fn note_storage_fault(&self) {
        self.storage_fault_ms.store(real_now_ms(), Ordering::SeqCst);
    }

    /// Whether storage failed a request within the last [`STORAGE_FAULT_MS`].
    pub fn storage_faulted_recently(&self) -> bool {
        let at = self.storage_fault_ms.load(Ordering::SeqCst);
        at != 0 && real_now_ms() - at < STORAGE_FAULT_MS
    }
}

/// The whole application: pages, API, health checks, static files, security headers.
pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .route("/static/{file}", get(pages::static_file))
        .merge(routes::pages())
        .nest("/api/v1", routes::api())
        .route_layer(axum::middleware::from_fn(auth::routes::authorize))
        .route_layer(axum::middleware::from_fn(auth::csrf::check))
        // Set after the route layers, so a method the path does not take is answered 405
        // (with `Allow`) before any permission or token check.
        .method_not_allowed_fallback(error::method_not_allowed)
        .fallback(pages::not_found)
        // Errors are written inside the session's resolution, so an error page shows the
        // signed-in account's header like every page.
        .layer(axum::middleware::from_fn_with_state(state.clone(), pages::render_errors))
        .layer(axum::middleware::from_fn_with_state(state.clone(), auth::session::resolve))
        .layer(axum::middleware::from_fn(security::headers))
        .layer(pages::compression())
        .with_state(state)
}
