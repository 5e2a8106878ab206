//! In-process tests of the router (pages and API), each on a fresh SQLite database and,
//! when PIONEER_TEST_POSTGRES_URL is set, on a fresh PostgreSQL database.

#![expect(clippy::unwrap_used, reason = "a test fails loudly at the first surprise")]

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode, header};
use http_body_util::BodyExt;
use jiff::Timestamp;
use pioneer_store::testing::TestDb;
use pioneer_store::{Backend, Store};
use pioneer_web::clock::FixedClock;
use pioneer_web::{AppState, router};
use serde_json::{Value, json};
use std::sync::Arc;
use tower::ServiceExt;

/// The application on a fresh database holding the demo, with the clock fixed.
struct TestApp {
    router: Router,
    store: Store,
    _db: TestDb,
}

struct Reply {
    status: StatusCode,
    headers: HeaderMap,
    body: String,
}

impl Reply {
    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
}

/// 2026-11-29 12:00 in China.
fn now() -> Timestamp {
    "2026-11-29T04:00:00Z".parse().unwrap()
}

impl TestApp {
    async fn new(backend: Backend) -> Option<Self> {
        let db = TestDb::new(backend).await?;
        let store = db.store().await.unwrap();
        store
            .load_demo(jiff::civil::date(2026, 11, 29), &pioneer_store::Act::new("test", "load demo", now()))
            .await
            .unwrap();
        let state = AppState::new(store.clone(), Arc::new(FixedClock(now())));
        Some(Self { router: router(state), store, _db: db })
    }

    async fn send(&self, req: Request<Body>) -> Reply {
        let res = self.router.clone().oneshot(req).await.unwrap();
        let status = res.status();
        let headers = res.headers().clone();
        let bytes = res.into_body().collect().await.unwrap().to_bytes();
        Reply { status, headers, body: String::from_utf8_lossy(&bytes).into_owned() }
    }

    async fn get(&self, uri: &str) -> Reply {
        self.send(Request::get(uri).body(Body::empty()).unwrap()).await
    }

    async fn get_en(&self, uri: &str) -> Reply {
        self.send(Request::get(uri).header(header::COOKIE, "lang=en").body(Body::empty()).unwrap()).await
    }

    async fn post_form(&self, uri: &str, body: &str) -> Reply {
        let req = Request::post(uri)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(body.to_owned()))
            .unwrap();
        self.send(req).await
    }

    async fn api(&self, method: Method, uri: &str, body: Value) -> Reply {
        let req = Request::builder()
            .method(method)
            .uri(uri)
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body.to_string()))
            .unwrap();
        self.send(req).await
    }

    async fn people_count(&self) -> u64 {
        let r = self.get("/api/v1/people").await;
        r.json()["total"].as_u64().unwrap()
    }

    async fn org_id(&self, name: &str) -> String {
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

fn enc(s: &str) -> String {
    pioneer_web::forms::encode(s)
}

/// A valid ID number nobody in the demo has (the standard's example).
const NEW_ID: &str = "11010519491231002X";

fn form_body(org: &str, id_card: &str) -> String {
    format!(
        "name={}&id_card={id_card}&ethnicity={}&education=junior_college&worker_category=rider&status=applicant&org_id={org}&applied_on=2026-10-01&phone=13600001111",
        enc("李骑手"),
        enc("汉族")
    )
}

macro_rules! on_both {
    ($($name:ident),* $(,)?) => {
        mod sqlite { $(#[tokio::test] async fn $name() { if let Some(app) = super::TestApp::new(pioneer_store::Backend::Sqlite).await { super::$name(app).await } })* }
        mod postgres { $(#[tokio::test] async fn $name() { if let Some(app) = super::TestApp::new(pioneer_store::Backend::Postgres).await { super::$name(app).await } })* }
    };
}

on_both!(
    every_page_renders_in_both_languages,
    a_refused_person_form_keeps_the_input_and_writes_nothing,
    a_person_created_through_the_form_is_shown_masked,
    the_organisation_pages_refuse_a_cycle_and_close_only_empty_ones,
    api_organisations_round_trip_and_refuse_bad_moves,
    api_people_refuse_each_kind_of_bad_input,
    api_people_search_filters,
    no_bad_input_gets_a_500,
    edits_keep_sealed_numbers_unless_replaced,
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

async fn a_refused_person_form_keeps_the_input_and_writes_nothing(app: TestApp) {
    let before = app.people_count().await;
    let org = app.org_id("美团骑手流动党支部（南山科技园站）").await;
    // A wrong check digit, and a birth date that disagrees with the ID number.
    let body = format!("{}&birth_date=1990-01-01", form_body(&org, "110105194912310021"));
    let r = app.post_form("/people", &body).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("id=\"id_card-err\""), "error beside the ID field");
    assert!(r.body.contains("身份证号校验码错误"));
    assert!(r.body.contains("value=\"110105194912310021\""), "typed value kept");
    assert!(r.body.contains("value=\"李骑手\""), "typed name kept");
    assert_eq!(app.people_count().await, before);

    let body = format!("{}&birth_date=1990-01-01", form_body(&org, NEW_ID));
    let r = app.post_form("/people", &body).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("id=\"birth_date-err\"") && r.body.contains("出生日期与身份证号不一致"));
    assert_eq!(app.people_count().await, before);
}

async fn a_person_created_through_the_form_is_shown_masked(app: TestApp) {
    let before = app.people_count().await;
    let org = app.org_id("美团骑手流动党支部（南山科技园站）").await;
    let r = app.post_form("/people", &form_body(&org, NEW_ID)).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let location = r.headers.get(header::LOCATION).unwrap().to_str().unwrap().to_owned();
    let page = app.get(&location).await;
    assert!(page.body.contains("李骑手"));
    assert!(page.body.contains("1101**********002X"));
    assert!(!page.body.contains(NEW_ID));
    assert!(page.body.contains("136****1111") && !page.body.contains("13600001111"));
    assert_eq!(app.people_count().await, before + 1);
    // The same ID number a second time is refused beside the field.
    let again = app.post_form("/people", &form_body(&org, NEW_ID)).await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(again.body.contains("已有人员使用此身份证号"));
    // Found by ID number and by phone.
    for q in [NEW_ID, "13600001111"] {
        let list = app.get(&format!("/people?q={q}")).await;
        assert!(list.body.contains("李骑手"), "search by {q}");
    }
}

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
}

async fn api_people_refuse_each_kind_of_bad_input(app: TestApp) {
    let before = app.people_count().await;
    let org = app.org_id("货拉拉货车司机流动党支部").await;
    let good = json!({"name": "陈司机", "id_card": NEW_ID, "ethnicity": "汉族", "education": "senior_secondary",
        "worker_category": "truck_driver", "status": "full_member", "org_id": org, "full_member_on": "2020-05-01"});
    let cases: Vec<(Value, &str, &str)> = vec![
        (json!({"id_card": "110105194912310021"}), "id_card", "id_card_checksum"),
        (json!({"id_card": "1101051949"}), "id_card", "id_card_format"),
        (json!({"birth_date": "2030-01-01"}), "birth_date", "date_in_future"),
        (json!({"birth_date": "1950-01-01"}), "birth_date", "birth_date_mismatch"),
        (json!({"gender": "male"}), "gender", "gender_mismatch"),
        (json!({"org_id": "0176bb3e-7001-7001-8000-0000000000ff"}), "org_id", "unknown_organization"),
        (json!({"org_id": "not-an-id"}), "org_id", "unknown_organization"),
        (json!({"name": "名".repeat(51)}), "name", "too_long"),
        (json!({"full_member_on": "2020-13-01"}), "full_member_on", "bad_date"),
        (json!({"is_mobile": true}), "home_organization", "home_organization_required"),
        (json!({"phone": "12345"}), "phone", "phone_format"),
    ];
    for (patch, field, code) in cases {
        let mut body = good.clone();
        for (k, v) in patch.as_object().unwrap() {
            body[k] = v.clone();
        }
        let r = app.api(Method::POST, "/api/v1/people", body).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{field}: {}", r.body);
        let errors = r.json()["errors"].clone();
        assert!(
            errors.as_array().unwrap().iter().any(|e| e["field"] == field && e["code"] == code),
            "{field}/{code} not in {errors}"
        );
    }
    let r = app
        .send(
            Request::post("/api/v1/people")
                .header(header::CONTENT_TYPE, "text/plain")
                .body(Body::from("{}"))
                .unwrap(),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let r = app
        .send(
            Request::post("/api/v1/people")
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from("{\"name\":"))
                .unwrap(),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(r.headers.get(header::CONTENT_TYPE).unwrap(), "application/problem+json");
    let r = app.api(Method::POST, "/api/v1/people", json!({"name": 5})).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(app.people_count().await, before, "nothing written");

    // English on request.
    let req = Request::post("/api/v1/people")
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::ACCEPT_LANGUAGE, "en-US")
        .body(Body::from(json!({"id_card": "110105194912310021"}).to_string()))
        .unwrap();
    let r = app.send(req).await;
    assert!(r.body.contains("wrong check digit"), "{}", r.body);

    let heads = app.store.journal_heads().await.unwrap();
    let r = app.api(Method::POST, "/api/v1/people", good).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(app.people_count().await, before + 1);
    // The write is journaled with who and which route; the refusals before it were not.
    let after = app.store.journal_heads().await.unwrap();
    assert_eq!(after[0].seq, heads[0].seq + 1);
    let (actor, action): (String, String) = pioneer_store::on_db!(app.store.db(), pool => {
        sqlx::query_as("SELECT actor, action FROM journal WHERE seq = $1").bind(after[0].seq).fetch_one(pool).await.unwrap()
    });
    assert_eq!((actor.as_str(), action.as_str()), ("local", "POST /api/v1/people"));
    assert_eq!(app.store.verify_journal(&after).await.unwrap().broken, None);
}

async fn api_people_search_filters(app: TestApp) {
    let meituan = app.org_id("中共美团（深圳）公司委员会").await;
    let all = app.get(&format!("/api/v1/people?org={meituan}")).await.json();
    let riders =
        app.get(&format!("/api/v1/people?org={meituan}&worker_category=rider&mobile=yes")).await.json();
    assert!(riders["total"].as_u64().unwrap() > 0);
    assert!(riders["total"].as_u64() < all["total"].as_u64());
    for p in riders["items"].as_array().unwrap() {
        assert_eq!(p["worker_category"], "rider");
        assert_eq!(p["is_mobile"], true);
        assert!(p["id_card_masked"].as_str().unwrap().contains("**********"));
    }
    let young = app.get("/api/v1/people?age_band=30_and_under&college=yes").await.json();
    for p in young["items"].as_array().unwrap() {
        assert_eq!(p["college_or_above"], true);
        let birth: jiff::civil::Date = p["birth_date"].as_str().unwrap().parse().unwrap();
        assert!(pioneer_domain::age::full_years(birth, jiff::civil::date(2026, 11, 29)) <= 30);
    }
    let bad = app.get("/api/v1/people?status=emperor&age_band=12").await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields: Vec<_> = bad.json()["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(fields, ["status", "age_band"]);
    let page = app.get("/people?status=emperor").await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.body.contains("不是可选的值"));
    let p2 = app.get("/api/v1/people?page=2").await.json();
    assert_eq!(p2["page"], 2);
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

async fn edits_keep_sealed_numbers_unless_replaced(app: TestApp) {
    let item = app.get("/api/v1/people?status=full_member").await.json()["items"][0].clone();
    let id = item["id"].as_str().unwrap();
    let stored = app.store.person(uuid::Uuid::parse_str(id).unwrap()).await.unwrap();
    // The edit form never contains the full numbers.
    let form = app.get(&format!("/people/{id}/edit")).await.body;
    assert!(!form.contains(stored.fields.id_card.as_str()));
    // Saving with the number fields empty keeps them.
    let f = &stored.fields;
    let body = format!(
        "name={}&ethnicity={}&education={}&worker_category={}&status=full_member&org_id={}&full_member_on={}{}",
        enc("新名字"),
        enc(&f.ethnicity),
        f.education.code(),
        f.worker_category.code(),
        f.org_id,
        f.dates.full_member_on.unwrap(),
        if f.is_mobile {
            format!("&is_mobile=on&home_organization={}", enc(f.home_organization.as_deref().unwrap_or("")))
        } else {
            String::new()
        },
    );
    let r = app.post_form(&format!("/people/{id}/edit"), &body).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let after = app.store.person(stored.id).await.unwrap();
    assert_eq!(after.fields.name, "新名字");
    assert_eq!(after.fields.id_card, stored.fields.id_card);
    assert_eq!(after.fields.phone, stored.fields.phone);
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

#[tokio::test]
async fn health_and_readiness() {
    let Some(app) = TestApp::new(Backend::Sqlite).await else { return };
    assert_eq!(app.get("/healthz").await.status, StatusCode::OK);
    assert_eq!(app.get("/readyz").await.status, StatusCode::OK);
    app.store.db().close().await;
    assert_eq!(app.get("/readyz").await.status, StatusCode::SERVICE_UNAVAILABLE);
}
