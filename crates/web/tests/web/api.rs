//! What every endpoint shares: input of any shape is refused as a client error, never a
//! 500; health and readiness answer for the load balancer.

use crate::support::TestApp;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use pioneer_store::Backend;

pioneer_store::on_both!(
    with TestApp::new;
    no_bad_input_gets_a_500,
);

async fn no_bad_input_gets_a_500(app: TestApp) {
    let org = app.org_id("腾讯数据平台部第三党支部").await;
    let person = app.get("/api/v1/people").await.json()["items"][0]["id"].as_str().unwrap().to_owned();
    let bodies = [
        "",
        "{}",
        "[]",
        "null",
        "\"x\"",
        "{\"name\":null}",
        "{\"parent_id\":123}",
        "{\"closed_on\":\"yesterday\"}",
        "{\"kind\":\"branch\",\"name\":\"\\u0000\"}",
        "{\"org_id\":\"'; DROP TABLE people; --\"}",
    ];
    let targets = [
        (Method::POST, "/api/v1/organizations".to_owned()),
        (Method::PUT, format!("/api/v1/organizations/{org}")),
        (Method::POST, format!("/api/v1/organizations/{org}/move")),
        (Method::POST, format!("/api/v1/organizations/{org}/close")),
        (Method::POST, "/api/v1/people".to_owned()),
        (Method::PUT, format!("/api/v1/people/{person}")),
        (Method::PUT, "/api/v1/people/not-a-uuid".to_owned()),
    ];
    let before = app.people_count().await;
    for (method, uri) in &targets {
        for body in bodies {
            let req = Request::builder()
                .method(method.clone())
                .uri(uri)
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(body))
                .unwrap();
            let r = app.send(req).await;
            assert!(r.status.is_client_error(), "{method} {uri} {body:?} → {}: {}", r.status, r.body);
        }
    }
    for (uri, body) in [
        ("/people".to_owned(), "name=%00&org_id=x&id_card=%FF"),
        ("/orgs".to_owned(), "parent_id=zzz&kind=%E4"),
        (format!("/orgs/{org}/move"), "parent_id="),
        (format!("/orgs/{org}/close"), "closed_on=2026-02-30"),
        (format!("/people/{person}/edit"), "status=&org_id="),
    ] {
        let r = app.post_form(&uri, body).await;
        assert!(r.status.is_client_error(), "{uri} {body} → {}", r.status);
    }
    assert_eq!(app.people_count().await, before);
    let _ = &app.store;
}

#[tokio::test]
async fn health_and_readiness() {
    let Some(app) = TestApp::new(Backend::Sqlite).await else { return };
    assert_eq!(app.get("/healthz").await.status, StatusCode::OK);
    assert_eq!(app.get("/readyz").await.status, StatusCode::OK);
    app.store.db().close().await;
    assert_eq!(app.get("/readyz").await.status, StatusCode::SERVICE_UNAVAILABLE);
}
