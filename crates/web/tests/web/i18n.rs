//! Both languages: every page renders in Chinese and English with no phrase missing and
//! nothing from another origin; the language switch returns only to local paths.

use crate::support::TestApp;
use axum::http::{StatusCode, header};
use pioneer_store::Backend;

pioneer_store::on_both!(
    with TestApp::new;
    every_page_renders_in_both_languages,
);

async fn every_page_renders_in_both_languages(app: TestApp) {
    let tencent = app.org_id("腾讯数据平台部第三党支部").await;
    let person = app.get("/api/v1/people").await.json()["items"][0]["id"].as_str().unwrap().to_owned();
    let pages = [
        "/".to_owned(),
        "/orgs".into(),
        format!("/orgs/{tencent}"),
        format!("/orgs/{tencent}/edit"),
        "/orgs/new".into(),
        format!("/orgs/new?parent={tencent}"),
        "/people".into(),
        format!("/people?org={tencent}&status=full_member"),
        "/people/new".into(),
        format!("/people/{person}"),
        format!("/people/{person}/edit"),
    ];
    for page in &pages {
        let zh = app.get(page).await;
        assert_eq!(zh.status, StatusCode::OK, "{page}: {}", zh.body);
        assert!(zh.body.contains("<html lang=\"zh-CN\">") && zh.body.contains("演示数据"), "{page}");
        assert!(!zh.body.contains(">?<"), "{page} has an untranslated phrase");
        let en = app.get_en(page).await;
        assert_eq!(en.status, StatusCode::OK, "{page}");
        assert!(en.body.contains("<html lang=\"en\">") && en.body.contains("Demo data"), "{page}");
        // Nothing is fetched from another origin.
        for attr in ["src=\"http", "href=\"http", "src=\"//", "href=\"//"] {
            assert!(!zh.body.contains(attr), "{page} refers to another origin");
        }
        let csp = zh.headers.get(header::CONTENT_SECURITY_POLICY).unwrap().to_str().unwrap();
        assert!(csp.contains("frame-ancestors 'none'") && !csp.contains("unsafe-inline"));
    }
    let tree = app.get("/orgs").await.body;
    for name in [
        "中共腾讯公司委员会",
        "中共美团（深圳）公司委员会",
        "中共货拉拉公司委员会",
        "中共深圳市快递行业委员会",
    ] {
        assert!(tree.contains(name), "{name} missing from the tree");
    }
    let missing = app.get("/people/00000000-0000-0000-0000-000000000000").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert!(missing.body.contains("找不到"));
    assert_eq!(app.get("/no/such/page").await.status, StatusCode::NOT_FOUND);
}

#[test]
fn every_phrase_used_by_a_template_exists() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
    for entry in std::fs::read_dir(dir).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        for part in text.split("s(\"").skip(1) {
            let key = part.split('"').next().unwrap();
            assert!(pioneer_web::i18n::PHRASES.iter().any(|(k, _, _)| *k == key), "phrase {key} missing");
        }
    }
}

#[tokio::test]
async fn the_language_switch_sets_a_cookie_and_returns_only_to_local_paths() {
    let Some(app) = TestApp::new(Backend::Sqlite).await else { return };
    let r = app.get("/lang/en?back=%2Forgs").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.headers.get(header::LOCATION).unwrap(), "/orgs");
    assert!(r.headers.get(header::SET_COOKIE).unwrap().to_str().unwrap().starts_with("lang=en"));
    let r = app.get("/lang/en?back=%2F%2Fevil.example").await;
    assert_eq!(r.headers.get(header::LOCATION).unwrap(), "/");
}
