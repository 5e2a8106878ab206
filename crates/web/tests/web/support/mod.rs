//! The harness every web test uses: [`TestApp`] (the router on a fresh database holding the
//! demo and its accounts, a clock that moves only when told, one signed-in session), the
//! request helpers that return a [`Reply`], and small helpers for forms and pages.

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode, header};
use http_body_util::BodyExt;
use jiff::Timestamp;
use pioneer_store::testing::TestDb;
use pioneer_store::{Backend, Store};
use pioneer_web::clock::ManualClock;
use pioneer_web::{AppState, router};
use serde_json::Value;
use std::sync::Arc;
use tower::ServiceExt;

/// The application on a fresh database holding the demo and its accounts, signed in as
/// the system administrator, with a clock that moves only when told.
pub struct TestApp {
    router: Router,
    pub store: Store,
    pub clock: ManualClock,
    /// Session cookie value and CSRF token of the signed-in account.
    pub session: std::sync::Mutex<Option<(String, String)>>,
    _db: TestDb,
}

pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

impl Reply {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
}

/// 2026-11-29 12:00 in China.
pub fn now() -> Timestamp {
    "2026-11-29T04:00:00Z".parse().unwrap()
}

pub trait NowSecs {
    fn now_secs(&self) -> i64;
}

impl NowSecs for ManualClock {
    fn now_secs(&self) -> i64 {
        use pioneer_web::clock::Clock;
        self.now().as_second()
    }
}

impl TestApp {
    pub async fn new(backend: Backend) -> Option<Self> {
        Self::with_waiver(backend, true).await
    }

    /// The application with the second factor waived (as in the demo) or required.
    pub async fn with_waiver(backend: Backend, waived: bool) -> Option<Self> {
        let db = TestDb::new(backend).await?;
        let store = db.store().await.unwrap();
        let act = pioneer_store::Act::new("test", "load demo", now());
        pioneer_demo::load_demo(&store, jiff::civil::date(2026, 11, 29), &act).await.unwrap();
        let hash = pioneer_web::auth::password::hash(pioneer_demo::accounts::DEMO_PASSWORD.to_owned()).await;
        pioneer_demo::accounts::ensure_demo_accounts(&store, &hash, &act).await.unwrap();
        let clock = ManualClock::new(now());
        let state = AppState::new(store.clone(), Arc::new(clock.clone()))
            .with_demo(true)
            .with_second_factor_waived(waived);
        let app = Self { router: router(state), store, clock, session: std::sync::Mutex::new(None), _db: db };
        if waived {
            app.login("admin").await;
        }
        Some(app)
    }

    /// Signs in as a demo account (or any account with the demo password).
    pub async fn login(&self, username: &str) {
        *self.session.lock().unwrap() = None;
        let body = format!("username={username}&password={}", enc(pioneer_demo::accounts::DEMO_PASSWORD));
        let r = self.post_form("/login", &body).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "login as {username}: {}", r.body);
        let token = cookie_value(&r).expect("a session cookie");
        *self.session.lock().unwrap() = Some((token, String::new()));
        let page = self.get("/account/password").await;
        let csrf =
            page.body.split("name=\"csrf\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_owned();
        self.session.lock().unwrap().as_mut().unwrap().1 = csrf;
    }

    pub fn logout_locally(&self) {
        *self.session.lock().unwrap() = None;
    }

    pub async fn send(&self, mut req: Request<Body>) -> Reply {
        let session = self.session.lock().unwrap().clone();
        if let Some((cookie, csrf)) = session {
            let cookies = match req.headers().get(header::COOKIE).and_then(|v| v.to_str().ok()) {
                Some(c) if c.contains("pioneer_session=") => c.to_owned(),
                Some(c) => format!("{c}; pioneer_session={cookie}"),
                None => format!("pioneer_session={cookie}"),
            };
            req.headers_mut().insert(header::COOKIE, cookies.parse().unwrap());
            if req.method() != Method::GET && !req.headers().contains_key("x-csrf-token") {
                req.headers_mut().insert("x-csrf-token", csrf.parse().unwrap());
            }
        }
        let res = self.router.clone().oneshot(req).await.unwrap();
        let status = res.status();
        let headers = res.headers().clone();
        let bytes = res.into_body().collect().await.unwrap().to_bytes();
        Reply { status, headers, body: String::from_utf8_lossy(&bytes).into_owned() }
    }

    /// Sends without adding the CSRF header (the cookie is still added).
    pub async fn send_raw(&self, mut req: Request<Body>) -> Reply {
        let session = self.session.lock().unwrap().clone();
        if let Some((cookie, _)) = session {
            req.headers_mut().insert(header::COOKIE, format!("pioneer_session={cookie}").parse().unwrap());
        }
        let res = self.router.clone().oneshot(req).await.unwrap();
        let status = res.status();
        let headers = res.headers().clone();
        let bytes = res.into_body().collect().await.unwrap().to_bytes();
        Reply { status, headers, body: String::from_utf8_lossy(&bytes).into_owned() }
    }

    pub async fn get(&self, uri: &str) -> Reply {
        self.send(Request::get(uri).body(Body::empty()).unwrap()).await
    }

    pub async fn get_bytes(&self, uri: &str) -> Vec<u8> {
        let session = self.session.lock().unwrap().clone();
        let mut req = Request::get(uri).body(Body::empty()).unwrap();
        if let Some((cookie, _)) = session {
            req.headers_mut().insert(header::COOKIE, format!("pioneer_session={cookie}").parse().unwrap());
        }
        let res = self.router.clone().oneshot(req).await.unwrap();
        res.into_body().collect().await.unwrap().to_bytes().to_vec()
    }

    pub async fn get_en(&self, uri: &str) -> Reply {
        self.send(Request::get(uri).header(header::COOKIE, "lang=en").body(Body::empty()).unwrap()).await
    }

    pub async fn post_form(&self, uri: &str, body: &str) -> Reply {
        let req = Request::post(uri)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(body.to_owned()))
            .unwrap();
        self.send(req).await
    }

    pub async fn api(&self, method: Method, uri: &str, body: Value) -> Reply {
        let req = Request::builder()
            .method(method)
            .uri(uri)
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body.to_string()))
            .unwrap();
        self.send(req).await
    }

    pub async fn people_count(&self) -> u64 {
        let r = self.get("/api/v1/people").await;
        r.json()["total"].as_u64().unwrap()
    }

    pub async fn org_id(&self, name: &str) -> String {
        let r = self.get("/api/v1/organizations").await;
        r.json()
            .as_array()
            .unwrap()
            .iter()
            .find(|o| o["name"] == name)
            .unwrap_or_else(|| panic!("no organisation {name}"))["id"]
            .as_str()
            .unwrap()
            .to_owned()
    }
}

pub fn cookie_value(r: &Reply) -> Option<String> {
    let v = r.headers.get(header::SET_COOKIE)?.to_str().ok()?;
    Some(v.strip_prefix("pioneer_session=")?.split(';').next()?.to_owned())
}

pub fn enc(s: &str) -> String {
    pioneer_web::forms::encode(s)
}

/// A valid ID number nobody in the demo has (the standard's example).
pub const NEW_ID: &str = "11010519491231002X";

pub fn form_body(org: &str, id_card: &str) -> String {
    format!(
        "name={}&id_card={id_card}&ethnicity={}&education=junior_college&worker_category=rider&status=applicant&org_id={org}&applied_on=2026-10-01&phone=13600001111",
        enc("李骑手"),
        enc("汉族")
    )
}

pub const PW: &str = pioneer_demo::accounts::DEMO_PASSWORD;

/// Posts a file as a browser does: multipart, the CSRF token as a form field before it.
pub async fn upload(app: &TestApp, uri: &str, name: &str, bytes: &[u8], apply: bool) -> Reply {
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

pub fn balance_of(body: &str) -> i64 {
    body.split("id=\"balance\">").nth(1).unwrap().split('<').next().unwrap().parse().unwrap()
}
