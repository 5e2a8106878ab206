//! Running on a Citus cluster (issue 18): the hot paths of riders and secretaries are routed
//! to one tenant's shard group, and a write across tenants is refused with a reason.

use crate::support::TestApp;
use axum::http::{Method, StatusCode};
use serde_json::json;

/// A rider's home, credits and weekly quiz (start, hand in), a redemption, a person's page
/// and recording a dossier event: on an application whose connections refuse any statement
/// that would run on more than one shard, each answers as it should (a multi-shard
/// statement would make it a 500). Only on Citus.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_hot_paths_run_on_one_shard_group() {
    pioneer_store::testing::on_citus(async {
        let Some(app) = TestApp::routed().await else { return };
        app.login("rider").await;
        for page in ["/", "/me", "/me/credits", "/quiz", "/study", "/api/v1/me/credits", "/api/v1/quizzes"] {
            let r = app.get(page).await;
            assert_eq!(r.status, StatusCode::OK, "{page}: {}", r.body);
        }
        // The weekly quiz: start and hand in.
        let list = app.get("/api/v1/quizzes").await.json();
        let quiz = list["items"].as_array().unwrap().iter().find(|q| q["attempts_used"] == 0).unwrap()["id"]
            .as_str()
            .unwrap()
            .to_owned();
        let started = app.api(Method::POST, &format!("/api/v1/quizzes/{quiz}/start"), json!({})).await;
        assert_eq!(started.status, StatusCode::CREATED, "{}", started.body);
        let attempt = started.json();
        let answers: Vec<serde_json::Value> = attempt["questions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|q| json!({"question": q["id"], "options": [0]}))
            .collect();
        let sheet = json!({"attempt": attempt["id"], "answers": answers});
        let r = app.api(Method::POST, &format!("/api/v1/quizzes/{quiz}/submit"), sheet).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(app.get(&format!("/quiz/{quiz}")).await.status, StatusCode::OK);
        // A redemption.
        let mine = app.get("/api/v1/me/credits").await.json();
        let pack = mine["benefits"].as_array().unwrap().iter().find(|b| b["name"] == "暖心关爱包").unwrap()["id"]
            .as_str()
            .unwrap()
            .to_owned();
        let r = app.api(Method::POST, "/api/v1/me/credits/redeem", json!({"benefit": pack, "key": "routed-1"})).await;
        assert!(r.status.is_success(), "{}: {}", r.status, r.body);
        // The rider's person page and a dossier event, as the secretary of a Tencent branch.
        let rider = app.store.user_by_name("rider").await.unwrap().unwrap().person_id.unwrap();
        app.login("meituan.secretary").await;
        let r = app.get(&format!("/people/{rider}")).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let r = app.get(&format!("/api/v1/people/{rider}")).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        app.login("tencent.secretary").await;
        let branch = app.org_id("腾讯数据平台部第三党支部").await;
        let id = pioneer_domain::people::id_card::IdCardNumber::compose(440305, jiff::civil::date(1996, 3, 3), 779);
        let r = app.api(Method::POST, "/api/v1/people", json!({"name": "路由申请人", "id_card": id.as_str(),
            "ethnicity": "汉族", "education": "bachelor", "worker_category": "platform_staff", "status": "non_member",
            "org_id": branch})).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let person = r.json()["id"].as_str().unwrap().to_owned();
        let r = app.api(Method::POST, "/api/v1/dossiers", json!({"person_id": person})).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let dossier = r.json()["id"].as_str().unwrap().to_owned();
        let r = app
            .api(
                Method::POST,
                &format!("/api/v1/dossiers/{dossier}/events"),
                json!({"kind": "application_letter", "on": "2026-11-20", "fields": {}}),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let r = app.get(&format!("/dossiers/{dossier}")).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        // The public city side: a badge's verification, the directory, the map, the portal.
        let orgs = app.store.orgs(None).await.unwrap();
        let root = orgs.into_iter().find(|o| o.fields.name == pioneer_demo::DEMO_ROOT_NAME).unwrap();
        let badge = &app.store.badges_in(root.tenant_id, &root.path, 1).await.unwrap()[0];
        let code = pioneer_store::city::codes::encode(app.store.vault(), root.tenant_id, badge.id);
        let citizen = app.client();
        let t = root.id;
        for page in [
            format!("/v/{code}"),
            format!("/api/v1/verify/{code}"),
            format!("/portal/{t}/directory?q=%E5%8C%BB%E9%99%A2"),
            format!("/api/v1/portal/{t}/directory?category=hotline"),
            format!("/portal/{t}/map"),
            format!("/api/v1/portal/{t}/places?crs=gcj02"),
            format!("/portal/{t}"),
            format!("/portal/{t}/feed.atom"),
        ] {
            let r = citizen.get(&page).await;
            assert_eq!(r.status, StatusCode::OK, "{page}: {}", r.body);
        }
    })
    .await
}
