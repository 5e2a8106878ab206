//! People: the person form and `/api/v1/people` (input refused field by field, numbers
//! masked and sealed, search), unmasking, self-service on `/me`, leaving the Party, and the
//! roster export and import.

use crate::support::{Client, NEW_ID, TestApp, enc, form_body, upload};
use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use serde_json::{Value, json};

pioneer_store::on_both!(
    with TestApp::new;
    the_people_list_is_a_table_sorted_by_its_heads,
    a_rider_sees_and_edits_only_himself,
    full_numbers_need_the_permission_and_are_journaled,
    a_refused_person_form_keeps_the_input_and_writes_nothing,
    a_person_created_through_the_form_is_shown_masked,
    api_people_refuse_each_kind_of_bad_input,
    api_people_search_filters,
    edits_keep_sealed_numbers_unless_replaced,
    a_member_who_leaves_is_counted_out_from_that_day_and_in_the_annual_report,
    a_roster_exported_and_imported_comes_back_the_same,
    roster_cells_that_look_like_formulas_are_exported_as_text_and_come_back,
    a_bad_roster_is_refused_whole_with_every_problem,
    the_templates_example_rows_import_into_the_demo,
    two_branches_of_one_name_round_trip_and_a_bare_name_is_refused_with_its_candidates,
    an_upload_over_the_limit_is_answered_with_the_limit,
    a_person_one_secretary_registers_is_invisible_to_another,
    a_period_of_discipline_is_recorded_for_a_member_on_the_page_and_the_api,
    the_roster_import_has_an_api_twin,
);

async fn a_refused_person_form_keeps_the_input_and_writes_nothing(app: TestApp) {
    let org = app.branch("骑手流动党支部").await.id.to_string();
    let before = app.people_count().await;
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
    let org = app.branch("骑手流动党支部").await.id.to_string();
    let before = app.people_count().await;
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

async fn api_people_refuse_each_kind_of_bad_input(app: TestApp) {
    let org = app.branch("货车司机党支部").await.id.to_string();
    let before = app.people_count().await;
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

    let tenant_head =
        |heads: Vec<pioneer_store::journal::Head>| heads.into_iter().find(|h| !h.tenant_id.is_nil()).unwrap();
    let heads = [tenant_head(app.store.journal_heads().await.unwrap())];
    let r = app.api(Method::POST, "/api/v1/people", good).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(app.people_count().await, before + 1);
    // The write is journaled with who and which route; the refusals before it were not.
    let after = vec![tenant_head(app.store.journal_heads().await.unwrap())];
    assert_eq!(after[0].seq, heads[0].seq + 1);
    let (actor, action): (String, String) = pioneer_store::on_db!(app.store.db(), pool => {
        sqlx::query_as("SELECT actor, action FROM journal WHERE tenant_id = $1 AND seq = $2")
            .bind(after[0].tenant_id)
            .bind(after[0].seq)
            .fetch_one(pool)
            .await
            .unwrap()
    });
    assert_eq!((actor.as_str(), action.as_str()), ("committee.admin", "POST /api/v1/people"));
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
        assert!(pioneer_domain::people::age::full_years(birth, jiff::civil::date(2026, 11, 29)) <= 30);
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

async fn full_numbers_need_the_permission_and_are_journaled(app: TestApp) {
    let branch = app.branch("数据平台部第四党支部").await;
    let id = branch.member("王党员").await.id;
    // A secretary sees masked numbers only.
    let secretary = branch.secretary().await;
    let page = secretary.get(&format!("/people/{id}")).await;
    assert!(!page.body.contains("id=\"unmask\""));
    assert_eq!(secretary.post_form(&format!("/people/{id}/unmask"), "").await.status, StatusCode::FORBIDDEN);
    assert_eq!(secretary.get(&format!("/api/v1/people/{id}/unmasked")).await.status, StatusCode::FORBIDDEN);
    // The organiser (of the whole demo) may, and each viewing is journaled.
    let organiser = app.sign_in("organiser").await;
    let count = || async {
        let n: i64 = pioneer_store::on_db!(app.store.db(), pool => {
            sqlx::query_scalar("SELECT COUNT(*) FROM journal WHERE change LIKE '%unmasked%'").fetch_one(pool).await.unwrap()
        });
        n
    };
    assert_eq!(count().await, 0);
    let full = organiser.post_form(&format!("/people/{id}/unmask"), "").await;
    assert_eq!(full.status, StatusCode::OK);
    let stored = app.store.person(id).await.unwrap();
    assert!(full.body.contains(stored.fields.id_card.as_str()));
    let api = organiser.get(&format!("/api/v1/people/{id}/unmasked")).await.json();
    assert_eq!(api["id_card"], stored.fields.id_card.as_str());
    assert_eq!(count().await, 2);
}

async fn a_rider_sees_and_edits_only_himself(app: TestApp) {
    app.login("rider").await;
    let me = app.get("/me").await;
    assert_eq!(me.status, StatusCode::OK);
    assert!(me.body.contains("美团骑手流动党支部（南山科技园站）"));
    for page in ["/people", "/orgs", "/api/v1/people", "/journal"] {
        assert_eq!(app.get(page).await.status, StatusCode::FORBIDDEN, "{page}");
    }
    let bad = app.post_form("/me", "phone=12345&employer=&station=").await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("id=\"phone-err\""));
    let ok = app
        .post_form(
            "/me",
            &format!("phone=13700137000&employer={}&station={}", enc("美团"), enc("南山科技园配送站")),
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER);
    assert!(app.get("/me").await.body.contains("137****7000"));
    // His status, organisation and the rest are not his to change: the form has no such fields,
    // and extra fields are ignored.
    let sneaky = app.post_form("/me", "phone=&status=full_member&org_id=x&name=Boss").await;
    assert_eq!(sneaky.status, StatusCode::SEE_OTHER);
    assert!(!app.get("/me").await.body.contains("Boss"));
}

async fn a_member_who_leaves_is_counted_out_from_that_day_and_in_the_annual_report(app: TestApp) {
    app.login("organiser").await;
    let root = app.org_id(pioneer_demo::DEMO_ROOT_NAME).await;
    let branch = app.org_id("腾讯数据平台部第三党支部").await;
    let id_card =
        pioneer_domain::people::id_card::IdCardNumber::compose(440305, jiff::civil::date(1990, 2, 2), 654);
    let body = |status: &str| {
        json!({"name": "出党测试", "id_card": id_card.as_str(), "ethnicity": "汉族", "education": "bachelor",
            "worker_category": "rider", "status": status, "org_id": branch, "is_mobile": true,
            "home_organization": "湖南省某县党委", "applied_on": "2018-03-01", "activist_on": "2018-09-01",
            "target_on": "2019-06-01", "admitted_on": "2020-07-01", "full_member_on": "2021-07-01"})
    };
    let r = app.api(Method::POST, "/api/v1/people", body("full_member")).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let id = r.json()["id"].as_str().unwrap().to_owned();
    let members_on = |v: &Value| v["figures"]["members"].as_u64().unwrap();
    let end_2024 = members_on(&app.get(&format!("/api/v1/stats?org={root}&on=2024-12-31")).await.json());
    let end_2025 = members_on(&app.get(&format!("/api/v1/stats?org={root}&on=2025-12-31")).await.json());
    let status = |v: Value| {
        (
            v["status"].as_str().unwrap().to_owned(),
            v["is_mobile"].as_bool().unwrap(),
            v["home_organization"].is_string(),
        )
    };
    // Bad input: every field named with its reason, nothing written.
    let uri = format!("/people/{id}/departure");
    let r = app.post_form(&uri, "departure_kind=&left_on=2099-01-01").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("出党方式") && r.body.contains("出党日期"), "{}", r.body);
    let r = app.post_form(&uri, "departure_kind=probation_cancelled&left_on=2025-03-01").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("DEV-051"), "{}", r.body);
    let r = app.post_form(&uri, "departure_kind=expelled&left_on=2019-01-01").await;
    assert!(r.status == StatusCode::UNPROCESSABLE_ENTITY && r.body.contains("不能早于"), "{}", r.body);
    assert_eq!(
        status(app.get(&format!("/api/v1/people/{id}")).await.json()),
        ("full_member".into(), true, true)
    );
    // Recorded: a non-member from that day, counted in that year's departures.
    let r = app
        .post_form(
            &uri,
            &format!("departure_kind=expelled&left_on=2025-03-01&departure_note={}", enc("深纪〔2025〕3号")),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = app.get(&format!("/people/{id}")).await;
    assert!(
        page.body.contains("id=\"departed\"")
            && page.body.contains("开除党籍")
            && page.body.contains("深纪〔2025〕3号"),
        "{}",
        page.body
    );
    assert_eq!(
        status(app.get(&format!("/api/v1/people/{id}")).await.json()),
        ("non_member".into(), false, false)
    );
    let v = app.get(&format!("/api/v1/stats?org={root}&on=2025-12-31&since=2025")).await.json();
    assert_eq!(members_on(&v), end_2025 - 1);
    let left = &v["figures"]["departures"][0];
    assert_eq!(left["year"], 2025);
    let expelled =
        left["by_kind"].as_array().unwrap().iter().find(|k| k[0] == "expelled").unwrap()[1].as_u64();
    assert!(expelled >= Some(1), "{v}");
    assert_eq!(
        members_on(&app.get(&format!("/api/v1/stats?org={root}&on=2024-12-31")).await.json()),
        end_2024,
        "the past is unchanged"
    );
    let list = app.get(&format!("/stats/people?org={root}&on=2025-12-31&figure=left:2025:expelled")).await;
    assert!(list.body.contains("出党测试"), "{}", list.body);
    // The annual report's 出党情况 counts them, with the drill-down code.
    let annual = app.get_bytes(&format!("/stats/annual.xlsx?org={root}&year=2025")).await;
    let mut sheets = calamine::open_workbook_auto_from_rs(std::io::Cursor::new(annual)).unwrap();
    use calamine::Reader;
    let sheet = sheets.worksheet_range("出党情况").unwrap();
    let row = sheet.rows().find(|r| r[0].to_string().contains("开除党籍")).unwrap().to_vec();
    assert_eq!(
        (row[1].to_string(), row[2].to_string()),
        (expelled.unwrap().to_string(), "left:2025:expelled".into())
    );
    // An edit cannot make them a member again; a second record is refused.
    let r = app.api(Method::PUT, &format!("/api/v1/people/{id}"), body("full_member")).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("STAT-004"), "{}", r.body);
    let form = app.get(&format!("/people/{id}/edit")).await;
    assert_eq!(form.status, StatusCode::OK);
    let fields = format!(
        "name={}&id_card=&ethnicity={}&education=bachelor&worker_category=rider&status=full_member&org_id={branch}&admitted_on=2020-07-01&full_member_on=2021-07-01",
        enc("出党测试"),
        enc("汉族")
    );
    let r = app.post_form(&format!("/people/{id}/edit"), &fields).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("STAT-004"), "the form refuses it too: {}", r.body);
    assert_eq!(
        app.post_form(&uri, "departure_kind=died&left_on=2025-04-01").await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    // Withdrawn: the status and the mobile flag come back, once.
    let r = app.post_form(&format!("/people/{id}/departure/withdraw"), "").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(
        status(app.get(&format!("/api/v1/people/{id}")).await.json()),
        ("full_member".into(), true, true)
    );
    assert_eq!(
        members_on(&app.get(&format!("/api/v1/stats?org={root}&on=2025-12-31")).await.json()),
        end_2025
    );
    let again = app.post_form(&format!("/people/{id}/departure/withdraw"), "").await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    // The same through the API.
    let api = format!("/api/v1/people/{id}/departure");
    assert_eq!(app.get(&api).await.json(), Value::Null);
    let r = app
        .api(Method::POST, &api, json!({"departure_kind": "probation_cancelled", "left_on": "2025-03-01"}))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(r.json()["errors"][0]["rule"], "DEV-051", "{}", r.body);
    let r = app.api(Method::POST, &api, json!({"departure_kind": "died", "left_on": "tomorrow"})).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("left_on"), "{}", r.body);
    let r = app.api(Method::POST, &api, json!({"departure_kind": "died", "left_on": "2026-02-01"})).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(
        (r.json()["kind"].clone(), r.json()["status_before"].clone()),
        (json!("died"), json!("full_member"))
    );
    assert_eq!(app.get(&api).await.json()["left_on"], "2026-02-01");
    assert_eq!(app.api(Method::DELETE, &api, json!({})).await.status, StatusCode::NO_CONTENT);
    assert_eq!(app.api(Method::DELETE, &api, json!({})).await.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        status(app.get(&format!("/api/v1/people/{id}")).await.json()),
        ("full_member".into(), true, true)
    );
    // A secretary of another company cannot record it.
    app.login("meituan.secretary").await;
    assert_eq!(
        app.post_form(&uri, "departure_kind=died&left_on=2025-04-01").await.status,
        StatusCode::FORBIDDEN
    );
}

/// The people of an organisation as the API lists them: (name, status).
async fn roster_names(app: &Client, org: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for page in 1.. {
        let v = app.get(&format!("/api/v1/people?org={org}&page={page}")).await.json();
        let items = v["items"].as_array().unwrap().clone();
        if items.is_empty() {
            break;
        }
        out.extend(
            items
                .iter()
                .map(|p| (p["name"].as_str().unwrap().to_owned(), p["status"].as_str().unwrap().to_owned())),
        );
    }
    out.sort();
    out
}

async fn a_roster_exported_and_imported_comes_back_the_same(app: TestApp) {
    app.login("organiser").await;
    let branch = app.org_id("美团骑手流动党支部（南山科技园站）").await;
    let before = roster_names(&app, &branch).await;
    for format in ["xlsx", "csv"] {
        let file = app.get_bytes(&format!("/people/roster?org={branch}&format={format}")).await;
        let table = pioneer_web::tables::read_table(&file, &pioneer_web::tables::IMPORT_LIMITS).unwrap();
        assert_eq!(table.rows.len(), before.len(), "{format}: one row a person");
        assert!(table.rows.iter().all(|r| r[1].len() == 18), "full ID numbers");
        let r =
            upload(&app, &format!("/people/import?org={branch}"), &format!("roster.{format}"), &file, true)
                .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert!(r.body.contains(&format!("新增 0 · 更新 0 · 不变 {}", before.len())), "{format}: {}", r.body);
    }
    assert_eq!(roster_names(&app, &branch).await, before, "export then import changes nothing");
    // A changed name and a new person: the dry run says so and writes nothing; applying does.
    let file = app.get_bytes(&format!("/people/roster?org={branch}&format=csv")).await;
    let table = pioneer_web::tables::read_table(&file, &pioneer_web::tables::IMPORT_LIMITS).unwrap();
    let mut rows = table.rows.clone();
    let renamed = rows[0][0].clone();
    rows[0][0] = "改名后的骑手".into();
    let mut new = rows[0].clone();
    new[0] = "新来的骑手".into();
    new[1] =
        pioneer_domain::people::id_card::IdCardNumber::compose(440305, jiff::civil::date(2000, 2, 2), 555)
            .as_str()
            .to_owned();
    new[9] = "入党申请人".into();
    new[2] = String::new();
    new[3] = String::new();
    for cell in &mut new[10..15] {
        cell.clear();
    }
    new[10] = "2026-10-01".into();
    new[15] = "否".into();
    new[16] = String::new();
    rows.push(new);
    let edited = pioneer_web::sheets::table_csv(&table.header, &rows).unwrap();
    let dry = upload(&app, &format!("/people/import?org={branch}"), "roster.csv", &edited, false).await;
    assert!(dry.body.contains("试导入") && dry.body.contains("新增 1 · 更新 1"), "{}", dry.body);
    // The dry run names who would be added, and who would change in which field.
    assert!(
        dry.body.contains("<strong>新来的骑手</strong>") && dry.body.contains("· 新增</li>"),
        "{}",
        dry.body
    );
    assert!(
        dry.body.contains("<strong>改名后的骑手</strong>") && dry.body.contains("更新：名称/姓名"),
        "{}",
        dry.body
    );
    assert_eq!(roster_names(&app, &branch).await, before, "a dry run writes nothing");
    let done = upload(&app, &format!("/people/import?org={branch}"), "roster.csv", &edited, true).await;
    assert!(done.body.contains("已导入"), "{}", done.body);
    let after = roster_names(&app, &branch).await;
    assert_eq!(after.len(), before.len() + 1);
    assert!(after.iter().any(|(n, _)| n == "改名后的骑手") && !after.iter().any(|(n, _)| *n == renamed));
    let again = upload(&app, &format!("/people/import?org={branch}"), "roster.csv", &edited, true).await;
    assert!(again.body.contains(&format!("新增 0 · 更新 0 · 不变 {}", after.len())), "{}", again.body);
    // A secretary may import in her branch but not export full numbers.
    app.login("meituan.secretary").await;
    assert_eq!(app.get(&format!("/people/roster?org={branch}")).await.status, StatusCode::FORBIDDEN);
}

async fn roster_cells_that_look_like_formulas_are_exported_as_text_and_come_back(app: TestApp) {
    let branch = app.branch("公式测试支部").await;
    let names = ["=1+1", "-减号", "@SUM(A1)", "+加号", "'=引号", "'普通引号"];
    for name in names {
        branch.member(name).await;
    }
    let link = "=HYPERLINK(\"http://evil.example\",\"点击\")";
    branch
        .person(pioneer_domain::people::PersonInput {
            name: "王骑手".into(),
            employer: link.into(),
            station: "@南山站".into(),
            status: "applicant".into(),
            applied_on: "2026-10-01".into(),
            ..Default::default()
        })
        .await;
    let admin = branch.account(pioneer_domain::accounts::access::Role::OrgAdmin).await;
    let org = branch.id.to_string();
    let before = roster_names(&admin, &org).await;
    assert_eq!(before.len(), names.len() + 1);
    // The CSV: no cell begins like a formula; each such cell is quoted once.
    let csv = admin.get_bytes(&format!("/people/roster?org={org}&format=csv")).await;
    let mut reader = csv::ReaderBuilder::new().from_reader(&csv[3..]);
    let cells: Vec<String> =
        reader.records().flat_map(|r| r.unwrap().iter().map(str::to_owned).collect::<Vec<_>>()).collect();
    let formula = ['=', '+', '-', '@', '\t', '\r'];
    assert!(cells.iter().all(|c| !c.starts_with(formula)), "{cells:?}");
    for written in ["'=1+1", "'-减号", "'@SUM(A1)", "'+加号", "''=引号", "'普通引号", "'@南山站"]
    {
        assert!(cells.iter().any(|c| c == written), "{written} in {cells:?}");
    }
    assert!(cells.contains(&format!("'{link}")));
    // Read back, every cell is as it was.
    let table = pioneer_web::tables::read_table(&csv, &pioneer_web::tables::IMPORT_LIMITS).unwrap();
    let mut read: Vec<&str> = table.rows.iter().map(|r| r[0].as_str()).collect();
    read.sort_unstable();
    let mut expected: Vec<&str> = names.iter().copied().chain(["王骑手"]).collect();
    expected.sort_unstable();
    assert_eq!(read, expected);
    assert!(table.rows.iter().any(|r| r[17] == link && r[18] == "@南山站"), "{:?}", table.rows);
    // The xlsx: the same cells as text, and no formula anywhere.
    let xlsx = admin.get_bytes(&format!("/people/roster?org={org}&format=xlsx")).await;
    {
        use calamine::{Data, Reader};
        let mut book: calamine::Xlsx<_> =
            calamine::open_workbook_from_rs(std::io::Cursor::new(&xlsx)).unwrap();
        let sheet = book.sheet_names()[0].clone();
        let range = book.worksheet_range(&sheet).unwrap();
        let text: Vec<&Data> = range.rows().skip(1).flat_map(|r| r.iter()).collect();
        for name in names.iter().chain([&link]) {
            assert!(text.contains(&&Data::String((*name).to_owned())), "{name} in the xlsx");
        }
        assert!(book.worksheet_formula(&sheet).unwrap().is_empty(), "no formula in the xlsx");
    }
    // Both files import back unchanged.
    for (format, file) in [("csv", &csv), ("xlsx", &xlsx)] {
        let r = upload(&admin, &format!("/people/import?org={org}"), &format!("roster.{format}"), file, true)
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert!(r.body.contains(&format!("新增 0 · 更新 0 · 不变 {}", before.len())), "{format}: {}", r.body);
    }
    assert_eq!(roster_names(&admin, &org).await, before, "export then import changes nothing");
}

async fn the_templates_example_rows_import_into_the_demo(app: TestApp) {
    app.login("organiser").await;
    let branch = app.demo_org("美团骑手流动党支部（南山科技园站）").await;
    let import = format!("/people/import?org={}", branch.id);
    for format in ["xlsx", "csv"] {
        let file = app.get_bytes(&format!("/people/roster/template?format={format}")).await;
        let r = upload(&app, &import, &format!("template.{format}"), &file, false).await;
        assert_eq!(r.status, StatusCode::OK, "{format}: {}", r.body);
        assert!(r.body.contains("新增 1 · 更新 0 · 不变 0"), "{format}: {}", r.body);
    }
    let file = app.get_bytes("/people/roster/template?format=csv").await;
    let r = upload(&app, &import, "template.csv", &file, true).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    // The dossier template's examples are the roster example's person: they read and resolve.
    let secretary = branch.secretary().await;
    let dossiers = format!("/dossiers/import?org={}", branch.id);
    for format in ["xlsx", "csv"] {
        let file = secretary.get_bytes(&format!("/dossiers/import/template?format={format}")).await;
        let r = upload(&secretary, &dossiers, &format!("template.{format}"), &file, false).await;
        assert_eq!(r.status, StatusCode::OK, "{format}: {}", r.body);
        assert!(!r.body.contains("id=\"problems\""), "{format}: {}", r.body);
    }
}

async fn a_bad_roster_is_refused_whole_with_every_problem(app: TestApp) {
    app.login("organiser").await;
    let branch = app.org_id("美团骑手流动党支部（南山科技园站）").await;
    let before = roster_names(&app, &branch).await;
    let header = pioneer_domain::people::roster::header();
    let good = |n: u32| -> Vec<String> {
        let mut r = vec![String::new(); header.len()];
        r[0] = format!("骑手{n}");
        r[1] =
            pioneer_domain::people::id_card::IdCardNumber::compose(440305, jiff::civil::date(1998, 8, 8), n)
                .as_str()
                .to_owned();
        r[4] = "汉族".into();
        r[5] = "高中/中专".into();
        r[6] = "外卖骑手".into();
        r[8] = "美团骑手流动党支部（南山科技园站）".into();
        r[9] = "入党申请人".into();
        r[10] = "2026-09-01".into();
        r
    };
    let mut unknown_org = good(2);
    unknown_org[8] = "火星支部".into();
    let mut bad_id = good(3);
    bad_id[1] = "44030519980808123X".into();
    let mut bad_date = good(4);
    bad_date[10] = "九月".into();
    let rows = vec![good(1), unknown_org, bad_id, bad_date, good(1)];
    let file = pioneer_web::sheets::table_csv(&header, &rows).unwrap();
    let r = upload(&app, &format!("/people/import?org={branch}"), "roster.csv", &file, true).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    for (line, column) in [
        (3, "所在党组织 org"),
        (4, "身份证号 id_card"),
        (5, "递交入党申请日期 applied_on"),
        (6, "身份证号 id_card"),
    ] {
        assert!(
            r.body.contains(&format!("<tr><td>{line}</td><td>{column}</td>")),
            "line {line} {column}: {}",
            r.body
        );
    }
    assert_eq!(roster_names(&app, &branch).await, before, "nothing imported");
    // A missing column, GBK text, a file that is not a spreadsheet, a zip bomb.
    let missing = pioneer_web::sheets::table_csv(&header[..3], &[good(1)[..3].to_vec()]).unwrap();
    let r = upload(&app, &format!("/people/import?org={branch}"), "roster.csv", &missing, true).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("<td>1</td><td>民族 ethnicity</td>"), "{}", r.body);
    let utf8 = String::from_utf8(pioneer_web::sheets::table_csv(&header, &[good(7)]).unwrap()[3..].to_vec())
        .unwrap();
    let (gbk, _, _) = encoding_rs::GBK.encode(&utf8);
    let r = upload(&app, &format!("/people/import?org={branch}"), "roster.csv", &gbk, false).await;
    assert!(r.body.contains("新增 1"), "GBK is read: {}", r.body);
    let r = upload(
        &app,
        &format!("/people/import?org={branch}"),
        "roster.xlsx",
        b"PK\x03\x04 not really a zip",
        true,
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("file-error"), "{}", r.body);
    assert_eq!(roster_names(&app, &branch).await, before, "still nothing imported");
}

/// A person registered by one branch's secretary is in her list and nowhere in the list
/// of another branch's secretary, who may neither open them nor register people there.
async fn a_person_one_secretary_registers_is_invisible_to_another(app: TestApp) {
    let (east, west) = (app.branch("东区党支部").await, app.branch("西区党支部").await);
    let (east_secretary, west_secretary) = (east.secretary().await, west.secretary().await);
    west.member("西区党员").await;
    let applicant = |org: uuid::Uuid| {
        json!({"name": "东区骑手", "id_card": app.new_id_card(), "ethnicity": "汉族", "education": "bachelor",
            "worker_category": "rider", "status": "applicant", "applied_on": "2026-10-01", "org_id": org})
    };
    let r = east_secretary.api(Method::POST, "/api/v1/people", applicant(east.id)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let id = r.json()["id"].as_str().unwrap().to_owned();
    let ids = |list: Value| -> Vec<String> {
        list["items"].as_array().unwrap().iter().map(|p| p["id"].as_str().unwrap().to_owned()).collect()
    };
    assert_eq!(ids(east_secretary.get("/api/v1/people").await.json()), [id.as_str()]);
    let theirs = west_secretary.get("/api/v1/people").await.json();
    assert_eq!(theirs["total"], 1, "only the west branch's own member: {theirs}");
    assert!(!ids(theirs).contains(&id));
    assert_eq!(west_secretary.get(&format!("/api/v1/people/{id}")).await.status, StatusCode::FORBIDDEN);
    assert_eq!(west_secretary.get(&format!("/people/{id}")).await.status, StatusCode::FORBIDDEN);
    let r = west_secretary.api(Method::POST, "/api/v1/people", applicant(east.id)).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    assert_eq!(east_secretary.people_count().await, 1, "the refused registration wrote nothing");
}

async fn two_branches_of_one_name_round_trip_and_a_bare_name_is_refused_with_its_candidates(app: TestApp) {
    let meituan = "中共美团（深圳）公司委员会";
    let other = "中共某跨境电商平台公司委员会";
    let a = app.demo_org(meituan).await.branch("机关党支部").await;
    let b = app.demo_org(other).await.branch("机关党支部").await;
    a.member("甲党员").await;
    b.member("乙党员").await;
    app.login("organiser").await;
    let root = app.root().await.id.to_string();
    let before = (roster_names(&app, &a.id.to_string()).await, roster_names(&app, &b.id.to_string()).await);
    // The export names each branch by its committee, and the file imports back unchanged.
    let file = app.get_bytes(&format!("/people/roster?org={root}&format=csv")).await;
    let table = pioneer_web::tables::read_table(&file, &pioneer_web::tables::IMPORT_LIMITS).unwrap();
    let org_of = |name: &str| table.rows.iter().find(|r| r[0] == name).unwrap()[8].clone();
    assert_eq!(org_of("甲党员"), format!("{meituan} / 机关党支部"));
    assert_eq!(org_of("乙党员"), format!("{other} / 机关党支部"));
    let r = upload(&app, &format!("/people/import?org={root}"), "roster.csv", &file, true).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains(&format!("新增 0 · 更新 0 · 不变 {}", table.rows.len())), "{}", r.body);
    let after = (roster_names(&app, &a.id.to_string()).await, roster_names(&app, &b.id.to_string()).await);
    assert_eq!(after, before, "export then import changes nothing");
    // A bare name two branches share is refused, naming both; the id and the path both read.
    let mut rows = table.rows.clone();
    let at = rows.iter().position(|r| r[0] == "甲党员").unwrap();
    rows[at][8] = "机关党支部".into();
    let bare = pioneer_web::sheets::table_csv(&table.header, &rows).unwrap();
    let r = upload(&app, &format!("/people/import?org={root}"), "roster.csv", &bare, false).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let (first, second) = if meituan < other { (meituan, other) } else { (other, meituan) };
    let said =
        format!("有 2 个党组织名为「机关党支部」：{first} / 机关党支部、{second} / 机关党支部；请写上级名称");
    assert!(r.body.contains(&said), "{}", r.body);
    rows[at][8] = a.id.to_string();
    let by_id = pioneer_web::sheets::table_csv(&table.header, &rows).unwrap();
    let r = upload(&app, &format!("/people/import?org={root}"), "roster.csv", &by_id, false).await;
    assert!(r.body.contains("新增 0 · 更新 0"), "{}", r.body);
}

async fn an_upload_over_the_limit_is_answered_with_the_limit(app: TestApp) {
    let limit = pioneer_web::tables::IMPORT_LIMITS.file_bytes;
    assert_eq!(limit, 20 << 20, "the test builds a body just over it in memory");
    app.login("organiser").await;
    let root = app.root().await.id.to_string();
    let before = app.people_count().await;
    // Just over the file limit (read whole by the import), and over the body limit too
    // (the CSRF check reads only the start).
    for size in [limit + 1, limit + 200 * 1024] {
        let big = vec![b'a'; size];
        for (uri, name) in [
            (format!("/people/import?org={root}"), "roster.csv"),
            (format!("/dossiers/import?org={root}"), "dossiers.csv"),
        ] {
            let r = upload(&app, &uri, name, &big, true).await;
            assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE, "{uri} {size}: {}", r.body);
            assert!(r.body.contains("文件超过 20 MB 上限"), "{uri} {size}: {}", r.body);
        }
    }
    assert_eq!(app.people_count().await, before);
}

/// 留党察看 on the person's page and through the API (one function): a member's period with its
/// decision is listed; a period over two years, someone not a member, a start to come are
/// refused with the field and rule; another branch's secretary cannot record one.
async fn a_period_of_discipline_is_recorded_for_a_member_on_the_page_and_the_api(app: TestApp) {
    let branch = app.branch("纪律检查样本支部").await;
    let secretary = branch.secretary().await;
    let member = branch.member("受处分党员").await;
    let applicant = branch.applicant("申请人甲").await;
    let r = secretary
        .post_form(
            &format!("/people/{}/discipline", member.id),
            &format!(
                "discipline_from=2026-01-01&discipline_until=2026-12-31&discipline_decision={}",
                enc("某党委〔2026〕1号")
            ),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = secretary.get(&format!("/people/{}", member.id)).await;
    assert!(
        page.body.contains("2026-01-01 – 2026-12-31") && page.body.contains("某党委〔2026〕1号"),
        "{}",
        page.body
    );
    let api = |id: uuid::Uuid, from: &str, until: &str| {
        let secretary = &secretary;
        let body = json!({"discipline_from": from, "discipline_until": until, "discipline_decision": "决定"});
        async move { secretary.api(Method::POST, &format!("/api/v1/people/{id}/discipline"), body).await }
    };
    let long = api(member.id, "2024-01-01", "2026-06-01").await;
    assert_eq!(long.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(long.json()["errors"][0]["field"], "discipline_until", "{}", long.body);
    assert_eq!(long.json()["errors"][0]["rule"], "DEV-014", "{}", long.body);
    let not_member = api(applicant.id, "2026-01-01", "2026-06-01").await;
    assert_eq!(not_member.json()["errors"][0]["field"], "status", "{}", not_member.body);
    let to_come = api(member.id, "2099-01-01", "2099-06-01").await;
    assert_eq!(to_come.json()["errors"][0]["field"], "discipline_from", "{}", to_come.body);
    // The form refuses the same, on the page again.
    let page = secretary
        .post_form(
            &format!("/people/{}/discipline", member.id),
            "discipline_from=2024-01-01&discipline_until=2026-06-01&discipline_decision=x",
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.body.contains("（DEV-014）"), "{}", page.body);
    let ok = api(member.id, "2023-01-01", "2023-12-31").await;
    assert_eq!(ok.status, StatusCode::CREATED, "{}", ok.body);
    let list = secretary.get(&format!("/api/v1/people/{}/discipline", member.id)).await.json();
    let periods: Vec<(&str, &str)> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["from"].as_str().unwrap(), d["until"].as_str().unwrap()))
        .collect();
    assert_eq!(periods, vec![("2023-01-01", "2023-12-31"), ("2026-01-01", "2026-12-31")]);
    // Another branch's secretary reaches neither.
    let other = app.branch("纪律检查外支部").await.secretary().await;
    let r = other.api(Method::POST, &format!("/api/v1/people/{}/discipline", member.id), json!({})).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(
        other.get(&format!("/api/v1/people/{}/discipline", member.id)).await.status,
        StatusCode::FORBIDDEN
    );
}

/// The roster import's API twin (the file as the body) answers what the page does: the counts
/// and who would change, written only with `apply=true`; a bad row is refused by line and
/// column as problem+json, nothing written.
async fn the_roster_import_has_an_api_twin(app: TestApp) {
    let branch = app.branch("花名册接口支部").await;
    let admin = app.sign_in("committee.admin").await;
    for name in ["接口甲", "接口乙"] {
        branch.member(name).await;
    }
    let csv = admin.get_bytes(&format!("/people/roster?org={}&format=csv", branch.id)).await;
    let post = |apply: bool, body: Vec<u8>| {
        let admin = &admin;
        let uri = format!("/api/v1/people/import?org={}&apply={apply}", branch.id);
        async move {
            admin
                .send(
                    Request::post(uri)
                        .header(header::CONTENT_TYPE, "text/csv")
                        .body(Body::from(body))
                        .unwrap(),
                )
                .await
        }
    };
    let same = post(false, csv.clone()).await;
    assert_eq!(same.status, StatusCode::OK, "{}", same.body);
    assert_eq!((same.json()["unchanged"].as_u64(), same.json()["new"].as_u64()), (Some(2), Some(0)));
    let text = String::from_utf8(csv).unwrap().replacen("接口甲", "接口甲改", 1);
    let dry = post(false, text.clone().into_bytes()).await;
    assert_eq!(dry.json()["changed"], 1, "{}", dry.body);
    assert_eq!(dry.json()["people"][0]["changed"][0], "name", "{}", dry.body);
    assert!(!dry.json()["applied"].as_bool().unwrap());
    let done = post(true, text.clone().into_bytes()).await;
    assert!(done.json()["applied"].as_bool().unwrap(), "{}", done.body);
    assert_eq!(post(false, text.into_bytes()).await.json()["unchanged"], 2, "written once");
    let header =
        String::from_utf8(admin.get_bytes(&format!("/people/roster?org={}&format=csv", branch.id)).await)
            .unwrap()
            .lines()
            .next()
            .unwrap()
            .to_owned();
    let bad = format!("{header}\n坏行,123,,,,,,,,,,,,,,,,,,,\n");
    let r = post(true, bad.into_bytes()).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(r.headers[header::CONTENT_TYPE], "application/problem+json");
    assert!(r.json()["problems"].as_array().unwrap().iter().all(|p| p["line"] == 2), "{}", r.body);
}

/// The rows of the people table: (name, age).
fn people_rows(body: &str) -> Vec<(String, u32)> {
    let Some(table) = body.split("id=\"people\"").nth(1) else { return Vec::new() };
    let rows = table.split("<tbody>").nth(1).unwrap().split("</tbody>").next().unwrap();
    rows.split("<tr>")
        .skip(1)
        .map(|r| {
            let name = r.split("<strong>").nth(1).unwrap().split("</strong>").next().unwrap().to_owned();
            let age =
                r.split("data-label=\"年龄\">").nth(1).unwrap().split('<').next().unwrap().parse().unwrap();
            (name, age)
        })
        .collect()
}

/// On a desk the people list is a table: its name and age heads sort it (and back), the
/// order survives the pager, the pager says the total, and a bad order is refused by field.
async fn the_people_list_is_a_table_sorted_by_its_heads(app: TestApp) {
    app.login("organiser").await;
    let by_age = app.get("/people?sort=age&dir=asc").await;
    assert_eq!(by_age.status, StatusCode::OK);
    let ages: Vec<u32> = people_rows(&by_age.body).iter().map(|r| r.1).collect();
    assert_eq!(ages.len(), 50);
    assert!(ages.windows(2).all(|w| w[0] <= w[1]), "youngest first: {ages:?}");
    assert!(by_age.body.contains("aria-sort=\"ascending\"") && by_age.body.contains("sort=age&#38;dir=desc"));
    let old = app.get("/people?sort=age&dir=desc").await;
    let ages: Vec<u32> = people_rows(&old.body).iter().map(|r| r.1).collect();
    assert!(ages.windows(2).all(|w| w[0] >= w[1]), "eldest first: {ages:?}");
    // By name: the first ascending is the last descending; the pager keeps the order.
    let total: u64 = app.get("/api/v1/people").await.json()["total"].as_u64().unwrap();
    let last = total.div_ceil(50);
    let asc = app.get("/people?sort=name&dir=asc").await;
    assert!(asc.body.contains(&format!("共 {total} 条")), "the pager's total");
    assert!(
        asc.body.contains("sort=name&amp;dir=asc&amp;page=2")
            || asc.body.contains("sort=name&#38;dir=asc&#38;page=2")
    );
    let desc = app.get(&format!("/people?sort=name&dir=desc&page={last}")).await;
    assert_eq!(people_rows(&asc.body)[0].0, people_rows(&desc.body).last().unwrap().0);
    let bad = app.get("/people?sort=salary&dir=up").await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(app.get("/api/v1/people?sort=salary").await.status, StatusCode::UNPROCESSABLE_ENTITY);
}
