//! Storage faults (issue 16, item 4): when the database cannot be reached, a signed-in
//! request is answered 503 "storage unavailable" — a problem document under /api/, the
//! error page otherwise — never "signed out" (401 or a redirect to the sign-in page), and
//! /readyz says 503.

use crate::support::TestApp;
use axum::http::{StatusCode, header};

pioneer_store::on_both!(
    with TestApp::new;
    a_storage_fault_is_503_never_signed_out,
);

async fn a_storage_fault_is_503_never_signed_out(app: TestApp) {
    app.login("organiser").await;
    assert_eq!(app.get("/").await.status, StatusCode::OK);
    assert_eq!(app.get("/readyz").await.status, StatusCode::OK);
    app.store.db().close().await;
    let page = app.get("/people").await;
    assert_eq!(page.status, StatusCode::SERVICE_UNAVAILABLE, "{}", page.body);
    assert!(page.headers.get(header::LOCATION).is_none(), "not sent to the sign-in page");
    assert!(page.body.contains("存储暂不可用") && page.body.contains("没有写入任何内容"), "{}", page.body);
    let api = app.get("/api/v1/people").await;
    assert_eq!(api.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(api.headers[header::CONTENT_TYPE], "application/problem+json");
    assert!(api.body.contains("storage-unavailable"), "{}", api.body);
    assert_eq!(app.get("/readyz").await.status, StatusCode::SERVICE_UNAVAILABLE);
}
