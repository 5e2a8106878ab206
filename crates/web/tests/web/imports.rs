//! Imports never hurt the server: two 100,000-row rosters full of errors, one through the
//! page and one through the API, are checked off the request workers while `/healthz` keeps
//! answering; each answer lists the first 1,000 problems with the total and stays small.

use crate::support::{TestApp, upload};
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

pioneer_store::on_both!(
    with TestApp::new;
    two_large_bad_imports_leave_the_server_answering,
);

/// A roster of `rows` rows, every one with an ID number that cannot be read.
fn bad_roster(rows: usize) -> Vec<u8> {
    let header = pioneer_domain::people::roster::header();
    let id_at = header.iter().position(|h| h.ends_with(" id_card")).unwrap();
    let mut row = pioneer_domain::people::roster::example_row();
    let mut out = header.join(",");
    out.push('\n');
    for i in 0..rows {
        row[id_at] = format!("4403{i:07}X");
        out.push_str(&row.join(","));
        out.push('\n');
    }
    out.into_bytes()
}

async fn two_large_bad_imports_leave_the_server_answering(app: TestApp) {
    let branch = app.org_id("腾讯数据平台部第三党支部").await;
    let file = bad_roster(100_000);
    assert!(file.len() < 20 << 20, "within the upload limit: {} bytes", file.len());
    let (done, answered) = (AtomicBool::new(false), AtomicUsize::new(0));
    let uri = format!("/people/import?org={branch}");
    let page = upload(&app, &uri, "roster.csv", &file, false);
    let api = async {
        let req = Request::post(format!("/api/v1/people/import?org={branch}"))
            .header(header::CONTENT_TYPE, "text/csv")
            .body(Body::from(file.clone()))
            .unwrap();
        app.send(req).await
    };
    let health = async {
        // /healthz, asked again and again while the two imports are checked.
        while !done.load(Ordering::SeqCst) {
            let r = app.client().get("/healthz").await;
            assert_eq!(r.status, StatusCode::OK);
            answered.fetch_add(1, Ordering::SeqCst);
            tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        }
    };
    let imports = async {
        let both = tokio::join!(page, api);
        done.store(true, Ordering::SeqCst);
        both
    };
    let ((page, api), ()) = tokio::join!(imports, health);
    let answered = answered.load(Ordering::SeqCst);
    assert!(answered >= 3, "/healthz answered {answered} times while the imports were checked");
    // The page: refused, the first 1,000 problems listed with the total, a small page.
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", &page.body[..page.body.len().min(2000)]);
    assert!(page.body.contains("共 100000 个问题，列出前 1000 个"), "{}", &page.body[..2000]);
    assert_eq!(page.body.matches("<tr><td>").count(), 1000);
    assert!(page.body.len() < 400_000, "the answer page is {} bytes", page.body.len());
    // The API: the same, as problem+json.
    assert_eq!(api.status, StatusCode::UNPROCESSABLE_ENTITY);
    let json = api.json();
    assert_eq!((json["total"].as_u64(), json["listed"].as_u64()), (Some(100_000), Some(1000)));
    assert_eq!(json["problems"].as_array().unwrap().len(), 1000);
    assert!(api.body.len() < 400_000, "the answer is {} bytes", api.body.len());
    // Nothing was written.
    assert!(
        app.store
            .person_by_id_card(
                app.store.org(branch.parse().unwrap()).await.unwrap().tenant_id,
                "440300000001X"
            )
            .await
            .unwrap()
            .is_none()
    );
}
