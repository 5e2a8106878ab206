//! Branch housekeeping through the API and the pages: party dues (amounts by the rules,
//! payments, a month paid in full refused, remittances within what was collected, AUD-31 in
//! the run and the screening, who sees whose dues), online payment recorded only on a real
//! provider's word (a local HTTP stand-in), officers and terms (one secretary, elections in
//! order, postponements within a year, the reminder list and the statistics), and the
//! employer's staff list (whole-file refusals, a dry run, to-dos, the same file twice,
//! decisions, retention).

use crate::support::{TestApp, upload};
use axum::http::{Method, StatusCode};
use pioneer_domain::accounts::access::Role;
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

pioneer_store::on_both!(
    with TestApp::new;
    dues_are_computed_collected_and_screened,
    officers_and_terms_are_kept_in_order,
    the_staff_list_is_reconciled_and_decided_by_people,
);

mod online {
    pub(super) use super::online_dues_are_recorded_only_on_the_providers_word;
    pioneer_store::on_both!(online_dues_are_recorded_only_on_the_providers_word);
}

fn fields(r: &crate::support::Reply) -> Vec<String> {
    r.json()["errors"].as_array().map_or_else(Vec::new, |a| {
        a.iter().map(|e| e["field"].as_str().unwrap_or_default().to_owned()).collect()
    })
}

async fn dues_are_computed_collected_and_screened(app: TestApp) {
    let branch = app.root().await.branch("党费测试支部").await;
    let sec = branch.secretary().await;
    let a = branch.member("甲党员").await;
    let b = branch.member("乙党员").await;
    let q = format!("?org={}", branch.id);
    // Bad profiles: refused by field, nothing written.
    for (body, field) in [
        (json!({"person_id": a.id, "base_kind": "wage", "base": "-1"}), "base"),
        (json!({"person_id": a.id, "base_kind": "wage", "base": "三千"}), "base"),
        (json!({"person_id": a.id, "base_kind": "wage", "base": "5000", "relief": "exempt"}), "decision"),
    ] {
        let r = sec.api(Method::POST, &format!("/api/v1/dues/profiles{q}"), body).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert!(fields(&r).contains(&field.to_owned()), "{field}: {}", r.body);
    }
    let mine = sec.get(&format!("/api/v1/dues/people/{}", a.id)).await.json();
    assert_eq!(mine["profiles"], json!([]));
    // 3,000.01 yuan is in the 1 % bracket, 3,000.00 in the 0.5 % one (FEE-002).
    for (p, base) in [(&a, "3000.01"), (&b, "3,000")] {
        let r = sec
            .api(
                Method::POST,
                &format!("/api/v1/dues/profiles{q}"),
                json!({"person_id": p.id, "base_kind": "wage", "base": base, "from_month": "2026-05"}),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    }
    let run = sec.get(&format!("/api/v1/dues{q}&month=2026-11")).await.json();
    let line =
        |name: &str| run["lines"].as_array().unwrap().iter().find(|l| l["name"] == name).unwrap().clone();
    assert_eq!(line("甲党员")["standing"]["due"]["fen"], 3000);
    assert_eq!(line("甲党员")["standing"]["due"]["rule"], "FEE-002");
    assert_eq!(line("乙党员")["standing"]["due"]["fen"], 1500);
    // May to October closed and unpaid: six months (AUD-31) for both.
    assert_eq!(line("甲党员")["standing"]["unpaid_months"], 6);
    assert_eq!(run["totals"]["flagged"], 2);
    // 甲 pays May to November; a month paid in full takes no more.
    for m in 5..=11 {
        let r = sec
            .api(
                Method::POST,
                &format!("/api/v1/dues/payments{q}"),
                json!({"person_id": a.id, "month": format!("2026-{m:02}"), "method": "cash"}),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        assert_eq!(r.json()["amount_fen"], 3000);
    }
    let again = json!({"person_id": a.id, "month": "2026-11", "method": "cash", "amount": "1"});
    let r = sec.api(Method::POST, &format!("/api/v1/dues/payments{q}"), again).await;
    assert_eq!(
        (r.status, fields(&r)),
        (StatusCode::UNPROCESSABLE_ENTITY, vec!["month".to_owned()]),
        "{}",
        r.body
    );
    let online = json!({"person_id": b.id, "month": "2026-11", "method": "online", "amount": "-2"});
    let r = sec.api(Method::POST, &format!("/api/v1/dues/payments{q}"), online).await;
    assert_eq!(fields(&r), ["amount", "method"], "{}", r.body);
    // A voluntary extra on a month paid in full is taken (FEE-008).
    let extra = json!({"person_id": a.id, "month": "2026-11", "method": "transfer", "extra": "10"});
    let r = sec.api(Method::POST, &format!("/api/v1/dues/payments{q}"), extra).await;
    assert_eq!((r.status, r.json()["amount_fen"].clone()), (StatusCode::CREATED, json!(0)), "{}", r.body);
    let receipt = r.json()["id"].as_str().unwrap().to_owned();
    // Collected for November: 30 + 10 yuan; no more can be remitted.
    let remit = |amount: &str| json!({"month": "2026-11", "amount": amount});
    let r = sec.api(Method::POST, &format!("/api/v1/dues/remittances{q}"), remit("40.01")).await;
    assert_eq!(fields(&r), ["amount"], "{}", r.body);
    let r = sec.api(Method::POST, &format!("/api/v1/dues/remittances{q}"), remit("40")).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let r = sec.api(Method::POST, &format!("/api/v1/dues/remittances{q}"), remit("0.01")).await;
    assert_eq!(fields(&r), ["amount"], "{}", r.body);
    // Now only 乙 is flagged, in the run and in the screening.
    let run = sec.get(&format!("/api/v1/dues{q}&month=2026-11")).await.json();
    assert_eq!(run["totals"]["flagged"], 1);
    assert_eq!(run["collected_fen"], 4000);
    let screening = sec.get(&format!("/api/v1/screening{q}")).await.json();
    assert_eq!(screening["dues"]["count"], 1, "{screening}");
    assert_eq!(screening["dues"]["members"][0]["name"], "乙党员");
    let page = sec.get(&format!("/screening{q}")).await;
    assert!(page.body.contains("AUD-31") && page.body.contains("乙党员"), "{}", page.body);
    // Who sees whose dues: the member their own, not another's; another branch's
    // secretary nothing of this branch.
    let a_self = branch.account_of(&a, Role::Member).await;
    let b_self = branch.account_of(&b, Role::Member).await;
    assert_eq!(b_self.get("/api/v1/me/dues").await.json()["amount"]["fen"], 1500);
    assert_eq!(b_self.get(&format!("/api/v1/dues/people/{}", a.id)).await.status, StatusCode::FORBIDDEN);
    assert_eq!(b_self.get(&format!("/dues/receipts/{receipt}")).await.status, StatusCode::FORBIDDEN);
    assert_eq!(b_self.get(&format!("/me/dues/receipts/{receipt}")).await.status, StatusCode::NOT_FOUND);
    assert_eq!(a_self.get(&format!("/me/dues/receipts/{receipt}")).await.status, StatusCode::OK);
    assert_eq!(sec.get(&format!("/dues/receipts/{receipt}")).await.status, StatusCode::OK);
    let other = app.root().await.branch("别的支部").await.secretary().await;
    assert_eq!(other.get(&format!("/api/v1/dues/people/{}", a.id)).await.status, StatusCode::FORBIDDEN);
    assert_eq!(other.get(&format!("/api/v1/dues{q}")).await.status, StatusCode::FORBIDDEN);
    let r = other
        .api(
            Method::POST,
            &format!("/api/v1/dues/payments{q}"),
            json!({"person_id": b.id, "month": "2026-11", "method": "cash"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // The page: the sheet, and a form's refusal shown beside it.
    let page = sec.get(&format!("/dues{q}&month=2026-11")).await;
    assert!(page.body.contains("乙党员") && page.body.contains("FEE-002"), "{}", page.body);
    let r = sec
        .post_form(
            &format!("/dues/payments{q}"),
            &format!("person_id={}&month=2026-11&method=cash&amount=abc", b.id),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("最多两位小数"), "{}", r.body);
}

async fn officers_and_terms_are_kept_in_order(app: TestApp) {
    let branch = app.root().await.branch("换届测试支部").await;
    let a = branch.member("书记候选").await;
    let b = branch.member("委员候选").await;
    let applicant = branch.applicant("申请人甲").await;
    let org = branch.id;
    let appoint = |p: &uuid::Uuid, post: &str| json!({"person_id": p, "post": post, "since": "2024-01-01"});
    let r = app.api(Method::POST, &format!("/api/v1/orgs/{org}/officers"), appoint(&a.id, "secretary")).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let officer = r.json()["id"].as_str().unwrap().to_owned();
    let r = app.api(Method::POST, &format!("/api/v1/orgs/{org}/officers"), appoint(&b.id, "secretary")).await;
    assert_eq!(fields(&r), ["post"], "one secretary at a time: {}", r.body);
    let r = app
        .api(
            Method::POST,
            &format!("/api/v1/orgs/{org}/officers"),
            appoint(&applicant.id, "committee_member"),
        )
        .await;
    assert_eq!(fields(&r), ["person_id"], "{}", r.body);
    let r = app
        .api(Method::POST, &format!("/api/v1/officers/{officer}/end"), json!({"until": "2020-01-01"}))
        .await;
    assert_eq!(fields(&r), ["until"], "{}", r.body);
    let c = app.get(&format!("/api/v1/orgs/{org}/officers")).await.json();
    assert_eq!((c["officers"].as_array().unwrap().len(), c["state"]["state"].clone()), (1, json!("unknown")));
    // Elected 2023-06-01: a branch's three years ended on 2026-06-01 (ORG-012).
    let r = app
        .api(Method::POST, &format!("/api/v1/orgs/{org}/elections"), json!({"elected_on": "2023-06-01"}))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let c = app.get(&format!("/api/v1/orgs/{org}/officers")).await.json();
    assert_eq!(c["state"], json!({"state": "expired", "ends_on": "2026-06-01"}));
    let stats = app.get(&format!("/api/v1/stats?org={org}")).await.json();
    assert_eq!(stats["housekeeping"]["terms_expired"], 1, "{}", stats["housekeeping"]);
    let r = app
        .api(Method::POST, &format!("/api/v1/orgs/{org}/elections"), json!({"elected_on": "2023-01-01"}))
        .await;
    assert_eq!(fields(&r), ["elected_on"], "before the term began: {}", r.body);
    for (body, field) in [
        (json!({"postponed_to": "2027-06-02", "decision": "批复"}), "postponed_to"),
        (json!({"postponed_to": "2027-05-01", "decision": ""}), "decision"),
    ] {
        let r = app.api(Method::POST, &format!("/api/v1/orgs/{org}/postponement"), body).await;
        assert_eq!(fields(&r), [field], "{}", r.body);
    }
    let ok = json!({"postponed_to": "2027-05-01", "decision": "工委批复〔2026〕9号"});
    assert_eq!(
        app.api(Method::POST, &format!("/api/v1/orgs/{org}/postponement"), ok).await.status,
        StatusCode::OK
    );
    let terms = app.get(&format!("/api/v1/terms?org={org}")).await.json();
    assert_eq!(terms["terms"][0]["state"]["state"], "due_soon", "{terms}");
    let stats = app.get(&format!("/api/v1/stats?org={org}")).await.json();
    assert_eq!(stats["housekeeping"]["terms_expired"], 0);
    // The organisation page names its committee; another branch's secretary changes nothing.
    let page = app.get(&format!("/orgs/{org}")).await;
    assert!(page.body.contains("书记 书记候选"), "{}", page.body);
    let other = app.root().await.branch("另一支部").await.secretary().await;
    let r = other
        .api(Method::POST, &format!("/api/v1/orgs/{org}/elections"), json!({"elected_on": "2026-11-01"}))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(other.get(&format!("/orgs/{org}/officers")).await.status, StatusCode::FORBIDDEN);
    let page = app.get("/terms").await;
    assert!(page.body.contains("换届测试支部") && page.body.contains("6 个月内应换届"), "{}", page.body);
}

/// The staff list's header as the template writes it.
const HEADER: [&str; 9] =
    ["工号", "姓名", "身份证号", "部门", "岗位", "关键岗位", "入职日期", "离职日期", "政治面貌"];

fn xlsx(rows: &[Vec<String>]) -> Vec<u8> {
    let header: Vec<String> = HEADER.iter().map(|h| (*h).to_owned()).collect();
    pioneer_web::sheets::table_xlsx("人力花名册", &header, rows).unwrap()
}

async fn the_staff_list_is_reconciled_and_decided_by_people(app: TestApp) {
    let committee = app.org_id("中共美团（深圳）公司委员会").await;
    let org = app.store.org(committee.parse().unwrap()).await.unwrap();
    let mut people = Vec::new();
    for (id, _, _) in app.store.people_choices(&org.path, 1000).await.unwrap() {
        let p = app.store.person(id).await.unwrap();
        if app.store.departure(id).await.unwrap().is_none() {
            people.push(p);
        }
    }
    let member = |p: &pioneer_store::people::PersonRecord| p.fields.status.is_member() && !p.fields.is_mobile;
    let left = people.iter().find(|p| member(p)).unwrap().id;
    let unlisted = people.iter().filter(|p| member(p)).nth(1).unwrap().id;
    let key = people.iter().find(|p| !p.fields.status.is_member()).unwrap().id;
    let mut rows: Vec<Vec<String>> = people
        .iter()
        .filter(|p| p.id != unlisted)
        .enumerate()
        .map(|(i, p)| {
            vec![
                format!("M{:05}", i + 1),
                p.fields.name.clone(),
                p.fields.id_card.as_str().to_owned(),
                p.org_name.clone(),
                "骑手".into(),
                if p.id == key { "是" } else { "否" }.into(),
                "2021-03-01".into(),
                if p.id == left { "2026-10-31" } else { "" }.into(),
                if p.fields.status.is_member() { "中共党员" } else { "群众" }.into(),
            ]
        })
        .collect();
    rows.push(
        ["M99999", "新来党员", crate::support::NEW_ID, "运营部", "", "否", "2026-11-02", "", "中共党员"]
            .map(str::to_owned)
            .to_vec(),
    );
    let api = format!("/api/v1/staff/import?org={committee}");
    // A repeated employee number and an invalid ID number refuse the whole file.
    let mut bad = rows.clone();
    bad[1][0] = bad[0][0].clone();
    bad[2][2] = "44030119900101123".into();
    let r = app.api_bytes(Method::POST, &api, xlsx(&bad)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("工号") && r.body.contains("身份证号"), "{}", r.body);
    let shown = app.get(&format!("/api/v1/staff?org={committee}")).await.json();
    assert_eq!((shown["list"].clone(), shown["todos"].clone()), (Value::Null, json!([])));
    // A dry run counts the differences and writes nothing.
    let file = xlsx(&rows);
    let r = app.api_bytes(Method::POST, &api, file.clone()).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let found: HashMap<String, u64> = r.json()["found"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p[0].as_str().unwrap().to_owned(), p[1].as_u64().unwrap()))
        .collect();
    assert_eq!(found.get("member_left"), Some(&1), "{found:?}");
    assert_eq!(found.get("member_elsewhere"), Some(&1), "{found:?}");
    assert!(found.get("member_not_listed").is_some_and(|n| *n >= 1), "{found:?}");
    assert_eq!(app.get(&format!("/api/v1/staff?org={committee}")).await.json()["list"], Value::Null);
    // Applied: the to-dos are open; the same file again changes nothing.
    let r = app.api_bytes(Method::POST, &format!("{api}&apply=true"), file.clone()).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let opened = r.json()["opened"].as_u64().unwrap();
    assert!(opened >= 3, "{}", r.body);
    let r = app.api_bytes(Method::POST, &format!("{api}&apply=true"), file).await;
    assert_eq!(r.json()["unchanged"], true, "{}", r.body);
    let todos = app.get(&format!("/api/v1/staff?org={committee}&open=true")).await.json()["todos"].clone();
    assert_eq!(todos.as_array().unwrap().len() as u64, opened);
    let todo = |kind: &str, person: uuid::Uuid| {
        todos
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["kind"] == kind && t["person_id"] == json!(person))
            .map(|t| t["id"].as_str().unwrap().to_owned())
    };
    let gone = todo("member_left", left).expect("the member who left");
    assert!(todo("member_not_listed", unlisted).is_some());
    // The same list as GBK CSV through the page: other bytes, the same differences.
    let mut csv = HEADER.join(",");
    for r in &rows {
        csv.push('\n');
        csv.push_str(&r.join(","));
    }
    let (gbk, _, _) = encoding_rs::GBK.encode(&csv);
    let page = upload(&app, &format!("/staff/import?org={committee}"), "staff.csv", &gbk, true).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("已导入") && page.body.contains("新增待办 0"), "{}", page.body);
    // Decisions: made by a person, once; an unknown action is refused.
    let r =
        app.api(Method::POST, &format!("/api/v1/staff/todos/{gone}"), json!({"action": "teleport"})).await;
    assert_eq!(fields(&r), ["action"], "{}", r.body);
    let r =
        app.api(Method::POST, &format!("/api/v1/staff/todos/{gone}"), json!({"action": "mark_mobile"})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(app.store.person(left).await.unwrap().fields.is_mobile);
    let r =
        app.api(Method::POST, &format!("/api/v1/staff/todos/{gone}"), json!({"action": "dismissed"})).await;
    assert_eq!(fields(&r), ["decision"], "{}", r.body);
    // Another enterprise's organiser sees and decides nothing here.
    let tencent = app.sign_in("tencent.admin").await;
    assert_eq!(tencent.get(&format!("/api/v1/staff?org={committee}")).await.status, StatusCode::FORBIDDEN);
    let r = tencent
        .api(Method::POST, &format!("/api/v1/staff/todos/{gone}"), json!({"action": "dismissed"}))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // Kept as long as the setting says, then gone.
    let r = app
        .api(Method::POST, &format!("/api/v1/staff/settings?org={committee}"), json!({"keep_days": "10"}))
        .await;
    assert_eq!(fields(&r), ["keep_days"], "{}", r.body);
    let r = app
        .api(Method::POST, &format!("/api/v1/staff/settings?org={committee}"), json!({"keep_days": "30"}))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    app.clock.advance_minutes(31 * 24 * 60);
    app.login("committee.admin").await;
    let shown = app.get(&format!("/api/v1/staff?org={committee}")).await.json();
    assert_eq!((shown["list"].clone(), shown["todos"].clone()), (Value::Null, json!([])));
}

/// The payment provider's stand-in: orders it was asked to open, and how each stands.
type Orders = Arc<Mutex<HashMap<String, Value>>>;

async fn stand_in() -> (String, Orders) {
    use axum::extract::{Path, State};
    use axum::routing::{get, post};
    let orders: Orders = Arc::default();
    let router = axum::Router::new()
        .route(
            "/pay/orders",
            post(|State(o): State<Orders>, axum::Json(body): axum::Json<Value>| async move {
                let id = body["order_id"].as_str().unwrap().to_owned();
                o.lock()
                    .unwrap()
                    .insert(id.clone(), json!({"status": "pending", "amount_fen": body["amount_fen"]}));
                axum::Json(json!({"pay_url": format!("https://pay.example/{id}")}))
            }),
        )
        .route(
            "/pay/orders/{id}",
            get(|State(o): State<Orders>, Path(id): Path<String>| async move {
                axum::Json(o.lock().unwrap().get(&id).cloned().unwrap_or(json!({"status": "pending"})))
            }),
        )
        .with_state(orders.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    (format!("http://127.0.0.1:{port}/pay"), orders)
}

async fn online_dues_are_recorded_only_on_the_providers_word(backend: pioneer_store::Backend) {
    let (url, orders) = stand_in().await;
    let Some(app) = TestApp::with_dues_provider(backend, &url).await else { return };
    let branch = app.root().await.branch("线上党费支部").await;
    let a = branch.member("线上甲").await;
    let profile =
        json!({"person_id": a.id, "base_kind": "pension", "base": "5000.01", "from_month": "2026-11"});
    let r = app.api(Method::POST, &format!("/api/v1/dues/profiles?org={}", branch.id), profile).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let me = branch.account_of(&a, Role::Member).await;
    assert_eq!(
        me.get("/api/v1/me/dues").await.json()["amount"]["fen"],
        5000,
        "FEE-005: over 5,000 yuan pays 1 %"
    );
    let r = me.api(Method::POST, "/api/v1/me/dues/online", json!({"month": "2026-11"})).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let order = r.json()["order"].as_str().unwrap().to_owned();
    assert!(r.json()["pay_url"].as_str().unwrap().starts_with("https://pay.example/"));
    let tenant = app.store.org(branch.id).await.unwrap().tenant_id;
    let confirm = format!("/api/v1/dues/orders/{tenant}/{order}/confirm");
    let anyone = app.client();
    // A notification while the provider says pending records nothing.
    let r = anyone.api(Method::POST, &confirm, json!({"status": "paid"})).await;
    assert_eq!(r.json()["status"], "pending", "{}", r.body);
    assert_eq!(me.get("/api/v1/me/dues").await.json()["payments"], json!([]));
    // The provider confirms another amount: still nothing.
    orders.lock().unwrap().insert(
        order.clone(),
        json!({"status": "paid", "amount_fen": 1, "reference": "WX1", "paid_on": "2026-11-29"}),
    );
    anyone.api(Method::POST, &confirm, json!({})).await;
    assert_eq!(me.get("/api/v1/me/dues").await.json()["payments"], json!([]));
    // The provider confirms the order's amount: one payment, however often it is told.
    orders.lock().unwrap().insert(
        order.clone(),
        json!({"status": "paid", "amount_fen": 5000, "reference": "WX2", "paid_on": "2026-11-29"}),
    );
    for _ in 0..2 {
        let r = anyone.api(Method::POST, &confirm, json!({})).await;
        assert_eq!(r.json()["status"], "paid", "{}", r.body);
    }
    let payments = me.get("/api/v1/me/dues").await.json()["payments"].clone();
    assert_eq!(payments.as_array().unwrap().len(), 1, "{payments}");
    assert_eq!(
        (payments[0]["method"].clone(), payments[0]["provider_ref"].clone()),
        (json!("online"), json!("WX2"))
    );
    // The month is paid in full: no second order.
    let r = me.api(Method::POST, "/api/v1/me/dues/online", json!({"month": "2026-11"})).await;
    assert_eq!(fields(&r), ["month"], "{}", r.body);
    // Without a provider, online payment is refused by field.
    let plain = TestApp::new(backend).await.unwrap();
    let b = plain.root().await.branch("无线上支部").await;
    let m = b.member("线下乙").await;
    let p = json!({"person_id": m.id, "base_kind": "wage", "base": "4000"});
    assert_eq!(
        plain.api(Method::POST, &format!("/api/v1/dues/profiles?org={}", b.id), p).await.status,
        StatusCode::CREATED
    );
    let r = b.account_of(&m, Role::Member).await.api(Method::POST, "/api/v1/me/dues/online", json!({})).await;
    assert_eq!(fields(&r), ["method"], "{}", r.body);
}
