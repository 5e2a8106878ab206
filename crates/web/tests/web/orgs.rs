//! Organisations: the tree pages and `/api/v1/organizations` — creating, renaming,
//! moving (never into its own subtree) and closing (only when empty).

use crate::support::{TestApp, enc};
use axum::http::{Method, StatusCode, header};
use serde_json::json;

pioneer_store::on_both!(
    with TestApp::new;
    the_organisation_pages_refuse_a_cycle_and_close_only_empty_ones,
    api_organisations_round_trip_and_refuse_bad_moves,
);

async fn the_organisation_pages_refuse_a_cycle_and_close_only_empty_ones(app: TestApp) {
    let tencent = app.org_id("中共腾讯公司委员会").await;
    let gb = app.org_id("腾讯数据平台部党总支").await;
    let r = app.post_form(&format!("/orgs/{tencent}/move"), &format!("parent_id={gb}")).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("不能移到自身或其下级组织之下"));
    assert_eq!(app.get(&format!("/api/v1/organizations/{tencent}")).await.json()["depth"], 1);

    let r = app.post_form(&format!("/orgs/{gb}/close"), "closed_on=2026-11-29").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("不能撤销"));

    // A new, empty branch can be created, renamed and closed.
    let body = format!("parent_id={gb}&name={}&kind=branch", enc("数据平台部第四党支部"));
    let r = app.post_form("/orgs", &body).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let loc = r.headers.get(header::LOCATION).unwrap().to_str().unwrap().to_owned();
    let id = loc.trim_start_matches("/orgs/").to_owned();
    let r = app
        .post_form(&format!("/orgs/{id}/edit"), &format!("name={}&kind=branch", enc("数据平台部第五党支部")))
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(app.get(&loc).await.body.contains("数据平台部第五党支部"));
    let r = app.post_form(&format!("/orgs/{id}/close"), "closed_on=2026-11-29").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(app.get(&loc).await.body.contains("已撤销"));

    // Approval authority on a general branch is refused with the rule id.
    let body =
        format!("parent_id={tencent}&name={}&kind=general_branch&approval_authority=on", enc("某党总支"));
    let r = app.post_form("/orgs", &body).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("DEV-034") && r.body.contains("checked"), "{}", r.body);
    // The same refusal through the API, with the rule in the problem document.
    let r = app
        .api(
            Method::POST,
            "/api/v1/organizations",
            json!({"name": "某党总支", "kind": "general_branch", "parent_id": tencent, "approval_authority": true}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(r.json()["errors"][0]["rule"], "DEV-034", "{}", r.body);
}

async fn api_organisations_round_trip_and_refuse_bad_moves(app: TestApp) {
    let root = app.org_id("中共深圳市委互联网企业工作委员会").await;
    let r = app.api(Method::POST, "/api/v1/organizations", json!({"name": "某新企业党委", "kind": "committee", "parent_id": root, "approval_authority": true})).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let id = r.json()["id"].as_str().unwrap().to_owned();
    let r = app
        .api(
            Method::POST,
            "/api/v1/organizations",
            json!({"name": "某新企业第一党支部", "kind": "branch", "parent_id": id}),
        )
        .await;
    let branch = r.json()["id"].as_str().unwrap().to_owned();

    let r = app
        .api(Method::POST, &format!("/api/v1/organizations/{id}/move"), json!({"parent_id": branch}))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.headers.get(header::CONTENT_TYPE).unwrap(), "application/problem+json");
    assert_eq!(r.json()["errors"][0]["code"], "move_into_own_subtree");

    let r = app
        .api(
            Method::POST,
            "/api/v1/organizations",
            json!({"name": "x", "kind": "branch", "parent_id": "00000000-0000-7000-8000-000000000000"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.json()["errors"][0]["field"], "parent_id");
    assert_eq!(r.json()["errors"][0]["code"], "unknown_organization");

    let r = app
        .api(
            Method::POST,
            "/api/v1/organizations",
            json!({"name": "长".repeat(101), "kind": "branch", "parent_id": id}),
        )
        .await;
    assert_eq!(r.json()["errors"][0]["code"], "too_long");

    let r = app
        .api(
            Method::PUT,
            &format!("/api/v1/organizations/{id}"),
            json!({"name": "某新企业委员会", "kind": "committee"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.json()["name"], "某新企业委员会");
    let children = app.get(&format!("/api/v1/organizations/{id}/children")).await.json();
    assert_eq!(children.as_array().unwrap().len(), 1);

    let doc = app.get("/api/v1/openapi.json").await.json();
    for path in
        ["/api/v1/organizations", "/api/v1/organizations/{id}/move", "/api/v1/people", "/api/v1/people/{id}"]
    {
        assert!(doc["paths"][path].is_object(), "{path} not documented");
    }
    // Every operation documents the 405, and one taking a query string the 400.
    let list = &doc["paths"]["/api/v1/people"]["get"]["responses"];
    assert!(list["405"].is_object() && list["400"].is_object(), "{list}");
    assert!(doc["paths"]["/api/v1/people/{id}"]["put"]["responses"]["405"].is_object());
}
