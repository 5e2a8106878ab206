//! The harness every web test uses. [`TestApp`] is the router on a fresh database holding
//! the demo and its accounts, with a clock that moves only when told; it is also its own
//! browser (it dereferences to a [`Client`] signed in as the system administrator), so
//! `app.get(…)`, `app.login("tencent.secretary")` and `app.post_form(…)` work directly.
//!
//! For a test's own fixtures and for several identities at once, reach for the builders in
//! [`builders`]: `app.branch("三支部")` makes an [`Org`](builders::Org), `org.secretary()` a
//! signed-in [`Client`], `org.member("王骑手")` a [`Person`](builders::Person), `app.sign_in("organiser")` another client.
//! Below them are small helpers for forms and pages.

mod builders;
mod client;

pub use builders::Org;
pub use client::{Client, Reply};

use axum::body::Body;
use axum::http::{Request, header};
use jiff::Timestamp;
use pioneer_store::testing::TestDb;
use pioneer_store::{Backend, Store};
use pioneer_web::clock::ManualClock;
use pioneer_web::{AppState, router};
use std::sync::Arc;
use std::sync::atomic::AtomicU32;

/// The application on a fresh database holding the demo and its accounts, signed in as
/// the system administrator, with a clock that moves only when told.
pub struct TestApp {
    /// The store under the application, for setting up and checking what the pages cannot.
    pub store: Store,
    /// The store the application itself serves from (the same as `store`, but on Citus,
    /// where it routes every query through the coordinator's router).
    pub served: Store,
    /// The application's clock: `advance_minutes` moves it.
    pub clock: ManualClock,
    /// The quiz desk the application writes submissions through (to stop its writer).
    pub quiz_desk: Arc<pioneer_web::study::quiz_desk::QuizDesk>,
    /// When sessions were last used, as the application notes them (to write them now).
    pub last_seen: Arc<pioneer_web::auth::last_seen::LastSeen>,
    /// The app's own browser, which `app.get(…)` and the rest use.
    client: Client,
    /// The hash of the demo password, for the accounts the builders make.
    password_hash: String,
    /// Numbers handed out to builders (ID numbers, user names).
    serial: AtomicU32,
    _db: TestDb,
}

impl std::ops::Deref for TestApp {
    type Target = Client;

    fn deref(&self) -> &Client {
        &self.client
    }
}

/// 2026-11-29 12:00 in China.
pub fn now() -> Timestamp {
    "2026-11-29T04:00:00Z".parse().unwrap()
}

/// The clock's time in seconds, as the second factor counts it.
pub trait NowSecs {
    /// Seconds since the epoch.
    fn now_secs(&self) -> i64;
}

impl NowSecs for ManualClock {
    fn now_secs(&self) -> i64 {
        use pioneer_web::clock::Clock;
        self.now().as_second()
    }
}

impl TestApp {
    /// The application with the second factor waived, as in the demo, signed in as
    /// `committee.admin` (the working committee's organisation administrator, who reaches
    /// every demo organisation; the system administrator reads no people, 三员分立);
    /// None when `backend` is not configured (see `pioneer_store::on_both!`).
    pub async fn new(backend: Backend) -> Option<Self> {
        Self::with_waiver(backend, true).await
    }

    /// The application with the second factor waived (as in the demo) or required.
    pub async fn with_waiver(backend: Backend, waived: bool) -> Option<Self> {
        Self::build(backend, waived, false, None).await
    }

    /// The application with an online payment provider for party dues at `provider`.
    pub async fn with_dues_provider(backend: Backend, provider: &str) -> Option<Self> {
        let endpoint = pioneer_web::service::outbox::Endpoint::parse(provider).unwrap();
        Self::build(backend, true, false, Some(endpoint)).await
    }

    /// On Citus: the demo set up as usual, then the application on a second connection pool
    /// where a statement that would run on more than one shard is an error
    /// (`citus.multi_task_query_log_level = error`), so a request that is not routed to one
    /// shard group answers 500. `store` stays the unrestricted one, for setting up.
    pub async fn routed() -> Option<Self> {
        Self::build(Backend::Postgres, true, true, None).await
    }

    async fn build(
        backend: Backend,
        waived: bool,
        routed: bool,
        dues_provider: Option<pioneer_web::service::outbox::Endpoint>,
    ) -> Option<Self> {
        let db = TestDb::new(backend).await?;
        let keys = pioneer_store::KeyRing::generate();
        let store = Store::open(&db.url, keys.clone()).await.unwrap();
        let act = pioneer_store::Act::new("test", "load demo", now());
        pioneer_demo::load_demo(&store, jiff::civil::date(2026, 11, 29), &act).await.unwrap();
        let hash = pioneer_web::auth::password::hash(pioneer_demo::accounts::DEMO_PASSWORD.to_owned()).await;
        pioneer_demo::accounts::ensure_demo_accounts(&store, &hash, &act).await.unwrap();
        let clock = ManualClock::new(now());
        let served = if routed {
            let url = format!("{}%20-c%20citus.multi_task_query_log_level%3Derror", db.url);
            Store::open(&url, keys).await.unwrap()
        } else {
            store.clone()
        };
        // The tests read their own writes in the figures: a request waits for the new
        // statistics snapshot (the server answers from the last one after 50 ms).
        served.set_stats_wait(std::time::Duration::from_secs(60));
        let state = AppState::new(served.clone(), Arc::new(clock.clone()))
            .with_demo(true)
            .with_second_factor_waived(waived)
            .with_dues_provider(dues_provider);
        let app = Self {
            store,
            served,
            clock,
            quiz_desk: state.quiz_desk.clone(),
            last_seen: state.last_seen.clone(),
            client: Client::new(router(state)),
            password_hash: hash,
            serial: AtomicU32::new(0),
            _db: db,
        };
        if waived {
            app.login("committee.admin").await;
        }
        Some(app)
    }
}

/// The session cookie a reply sets, if any.
pub fn cookie_value(r: &Reply) -> Option<String> {
    let v = r.headers.get(header::SET_COOKIE)?.to_str().ok()?;
    Some(v.strip_prefix("pioneer_session=")?.split(';').next()?.to_owned())
}

/// `s` URL-encoded for a form body.
pub fn enc(s: &str) -> String {
    pioneer_web::forms::encode(s)
}

/// A valid ID number nobody in the demo has (the standard's example).
pub const NEW_ID: &str = "11010519491231002X";

/// The person form as a browser sends it: an applicant 李骑手 in `org` with `id_card`.
pub fn form_body(org: &str, id_card: &str) -> String {
    format!(
        "name={}&id_card={id_card}&ethnicity={}&education=junior_college&worker_category=rider&status=applicant&org_id={org}&applied_on=2026-10-01&phone=13600001111",
        enc("李骑手"),
        enc("汉族")
    )
}

/// The password of every demo account (and of the builders' accounts).
pub const PW: &str = pioneer_demo::accounts::DEMO_PASSWORD;

/// Posts a file as a browser does: multipart, the CSRF token as a form field before it.
pub async fn upload(app: &Client, uri: &str, name: &str, bytes: &[u8], apply: bool) -> Reply {
    let csrf = app.session.lock().unwrap().clone().map(|(_, t)| t).unwrap_or_default();
    let b = "----pioneerboundary";
    let mut body =
        format!("--{b}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n").into_bytes();
    if apply {
        body.extend(
            format!("--{b}\r\nContent-Disposition: form-data; name=\"apply\"\r\n\r\n1\r\n").as_bytes(),
        );
    }
    body.extend(format!("--{b}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n").as_bytes());
    body.extend(bytes);
    body.extend(format!("\r\n--{b}--\r\n").as_bytes());
    let req = Request::post(uri)
        .header(header::CONTENT_TYPE, format!("multipart/form-data; boundary={b}"))
        .body(Body::from(body))
        .unwrap();
    app.send_raw(req).await
}

/// The value of the first `name="NAME" value="…"` in a page.
pub fn field_value(body: &str, name: &str) -> String {
    body.split(&format!("name=\"{name}\" value=\"")).nth(1).unwrap().split('"').next().unwrap().to_owned()
}

/// The credit balance a member's credits page shows.
pub fn balance_of(body: &str) -> i64 {
    body.split("id=\"balance\">").nth(1).unwrap().split('<').next().unwrap().parse().unwrap()
}
