//! What every endpoint shares: input of any shape is refused as a client error, never a
//! 500; health and readiness answer for the load balancer.

use crate::support::{Reply, TestApp};
use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use pioneer_store::Backend;

pioneer_store::on_both!(
    with TestApp::new;
    no_bad_input_gets_a_500,
    a_method_a_path_does_not_take_is_405_with_allow,
    a_query_that_cannot_be_read_is_a_problem_naming_the_parameter,
);

/// The methods of an `Allow` header, sorted.
fn allowed(r: &Reply) -> Vec<String> {
    let allow = r.headers.get(header::ALLOW).map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default();
    let mut methods: Vec<String> = allow.split(',').map(|m| m.trim().to_owned()).collect();
    methods.sort();
    methods
}

fn methods(list: &str) -> Vec<String> {
    let mut methods: Vec<String> = list.split(',').map(str::to_owned).collect();
    methods.sort();
    methods
}

async fn a_method_a_path_does_not_take_is_405_with_allow(app: TestApp) {
    let org = app.org_id("腾讯数据平台部第三党支部").await;
    let person = app.get("/api/v1/people").await.json()["items"][0]["id"].as_str().unwrap().to_owned();
    let signed_out = app.client();
    for (method, uri, allow) in [
        (Method::DELETE, "/api/v1/organizations".to_owned(), "GET,HEAD,POST"),
        (Method::POST, format!("/api/v1/organizations/{org}"), "GET,HEAD,PUT"),
        (Method::PUT, "/api/v1/stats".to_owned(), "GET,HEAD"),
        (Method::PATCH, format!("/api/v1/people/{person}/departure"), "GET,HEAD,POST,DELETE"),
        (Method::GET, format!("/api/v1/dossiers/{person}/events"), "POST"),
        (Method::POST, "/api/v1/openapi.json".to_owned(), "GET,HEAD"),
    ] {
        for client in [&*app, &signed_out] {
            let r = client.api(method.clone(), &uri, serde_json::json!({})).await;
            assert_eq!(r.status, StatusCode::METHOD_NOT_ALLOWED, "{method} {uri}: {}", r.body);
            assert_eq!(allowed(&r), methods(allow), "{method} {uri}");
            assert_eq!(r.headers[header::CONTENT_TYPE], "application/problem+json");
            let problem = r.json();
            assert_eq!(problem["type"], "/problems/method-not-allowed");
            assert_eq!(problem["status"], 405);
        }
    }
    // Pages answer with the error page; without the CSRF token too, never 403.
    for (method, uri, allow) in [
        (Method::DELETE, "/people".to_owned(), "GET,HEAD,POST"),
        (Method::PUT, format!("/orgs/{org}"), "GET,HEAD"),
        (Method::GET, "/logout".to_owned(), "POST"),
        (Method::POST, "/journal".to_owned(), "GET,HEAD"),
    ] {
        let req = || Request::builder().method(method.clone()).uri(&uri).body(Body::empty()).unwrap();
        for r in [app.send(req()).await, app.send_raw(req()).await, signed_out.send(req()).await] {
            assert_eq!(r.status, StatusCode::METHOD_NOT_ALLOWED, "{method} {uri}: {}", r.body);
            assert_eq!(allowed(&r), methods(allow), "{method} {uri}");
            assert!(r.headers[header::CONTENT_TYPE].to_str().unwrap().starts_with("text/html"));
            assert!(r.body.contains("不支持该请求方法"), "{}", r.body);
        }
    }
    // A path that does not exist is still 404 whatever the method.
    let r = app.api(Method::DELETE, "/api/v1/nothing-here", serde_json::json!({})).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

async fn a_query_that_cannot_be_read_is_a_problem_naming_the_parameter(app: TestApp) {
    let org = app.org_id("腾讯数据平台部第三党支部").await;
    for (uri, parameter) in [
        ("/api/v1/organizations?max_depth=deep".to_owned(), "max_depth"),
        ("/api/v1/stats?on=2026-01-01&on=2026-02-01".to_owned(), "on"),
        ("/api/v1/people?page=1&page=2".to_owned(), "page"),
        (format!("/api/v1/dossiers?org={org}&org={org}"), "org"),
        (format!("/api/v1/work-queue?org={org}&org={org}"), "org"),
    ] {
        let r = app.get(&uri).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{uri}: {}", r.body);
        assert_eq!(r.headers[header::CONTENT_TYPE], "application/problem+json", "{uri}");
        let problem = r.json();
        assert_eq!(problem["type"], "/problems/malformed-query", "{uri}");
        assert_eq!(problem["errors"][0]["field"], parameter, "{uri}: {problem}");
        assert!(problem["detail"].as_str().unwrap().contains(parameter), "{uri}: {problem}");
    }
    // In English on request.
    let req = Request::get("/api/v1/organizations?max_depth=deep")
        .header(header::ACCEPT_LANGUAGE, "en")
        .body(Body::empty())
        .unwrap();
    let problem = app.send(req).await.json();
    assert_eq!(problem["title"], "The query string cannot be read");
    assert!(problem["errors"][0]["message"].as_str().unwrap().contains("invalid digit"), "{problem}");
    // Pages answer with the error page, naming the parameter.
    for (uri, parameter) in [("/people?page=1&page=2", "page"), ("/stats?org=a&org=b", "org")] {
        let r = app.get(uri).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{uri}: {}", r.body);
        assert!(r.headers[header::CONTENT_TYPE].to_str().unwrap().starts_with("text/html"), "{uri}");
        assert!(r.body.contains("查询参数无法解析") && r.body.contains(parameter), "{uri}: {}", r.body);
    }
    // A value that reads but is refused names its parameter as a refused field (422).
    let r = app.get("/api/v1/people?page=x").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.json()["errors"][0]["field"], "page");
}

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
