//! One browser: a [`Client`] keeps its own session cookie and CSRF token and sends its
//! requests through the application's router; every request comes back as a [`Reply`].
//! A test may hold several clients at once (`app.sign_in(…)`, `org.secretary()`), each
//! signed in as someone else, side by side with the app's own (`app.get(…)`).

use super::{cookie_value, enc};
use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode, header};
use http_body_util::BodyExt;
use serde_json::Value;
use std::sync::Mutex;
use tower::ServiceExt;

/// What the application answered.
pub struct Reply {
    /// The status code.
    pub status: StatusCode,
    /// The response headers.
    pub headers: HeaderMap,
    /// The body as text (lossy for binary bodies: use [`Client::get_bytes`] for those).
    pub body: String,
}

impl Reply {
    /// The body as JSON; fails the test with the body when it is not.
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
}

/// A browser with its own session, on the shared application.
pub struct Client {
    pub(super) router: Router,
    /// Session cookie value and CSRF token of the signed-in account (None: signed out).
    pub session: Mutex<Option<(String, String)>>,
}

impl Client {
    /// A signed-out browser on `router`.
    pub(super) fn new(router: Router) -> Self {
        Self { router, session: Mutex::new(None) }
    }

    /// Signs in as a demo account (or any account with the demo password), through
    /// `POST /login` as a browser does, and keeps the session and its CSRF token.
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

    /// Forgets the session without telling the server (the browser dropped its cookie).
    pub fn logout_locally(&self) {
        *self.session.lock().unwrap() = None;
    }

    /// Sends `req` with the session cookie and, unless it is a GET or already has one, the
    /// CSRF header.
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

    /// `GET uri`.
    pub async fn get(&self, uri: &str) -> Reply {
        self.send(Request::get(uri).body(Body::empty()).unwrap()).await
    }

    /// `GET uri`, the body as bytes (workbooks, downloads).
    pub async fn get_bytes(&self, uri: &str) -> Vec<u8> {
        let session = self.session.lock().unwrap().clone();
        let mut req = Request::get(uri).body(Body::empty()).unwrap();
        if let Some((cookie, _)) = session {
            req.headers_mut().insert(header::COOKIE, format!("pioneer_session={cookie}").parse().unwrap());
        }
        let res = self.router.clone().oneshot(req).await.unwrap();
        res.into_body().collect().await.unwrap().to_bytes().to_vec()
    }

    /// `GET uri` in English.
    pub async fn get_en(&self, uri: &str) -> Reply {
        self.send(Request::get(uri).header(header::COOKIE, "lang=en").body(Body::empty()).unwrap()).await
    }

    /// `POST uri` with a URL-encoded form body.
    pub async fn post_form(&self, uri: &str, body: &str) -> Reply {
        let req = Request::post(uri)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(body.to_owned()))
            .unwrap();
        self.send(req).await
    }

    /// `METHOD uri` with a JSON body.
    pub async fn api(&self, method: Method, uri: &str, body: Value) -> Reply {
        let req = Request::builder()
            .method(method)
            .uri(uri)
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body.to_string()))
            .unwrap();
        self.send(req).await
    }

    /// `METHOD uri` with a file as the body (an API import).
    pub async fn api_bytes(&self, method: Method, uri: &str, bytes: Vec<u8>) -> Reply {
        let req = Request::builder()
            .method(method)
            .uri(uri)
            .header(header::CONTENT_TYPE, "application/octet-stream")
            .body(Body::from(bytes))
            .unwrap();
        self.send(req).await
    }

    /// How many people `/api/v1/people` counts for this client.
    pub async fn people_count(&self) -> u64 {
        let r = self.get("/api/v1/people").await;
        r.json()["total"].as_u64().unwrap()
    }

    /// The id of the organisation named `name`, as this client's `/api/v1/organizations`
    /// lists it (for the demo's organisations; a test's own have [`super::Org::id`]).
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
