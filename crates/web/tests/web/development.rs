//! Member development: dossiers recorded step by step under the rules, votes, screening,
//! the public notice board and objections, filings, training classes, one-to-one contacts
//! and the import of existing dossiers.

use crate::support::{Client, Reply, TestApp, enc, upload};
use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use serde_json::{Value, json};

pioneer_store::on_both!(
    with TestApp::new;
    a_case_is_recorded_step_by_step_and_a_hard_rule_refuses_with_its_id,
    the_vote_form_counts_quorum_and_majority_on_the_server,
    screening_groups_the_demo_findings_and_exports_xlsx,
    the_public_notice_board_takes_objections,
    training_contacts_and_filings_through_the_api,
    an_upper_organisation_acknowledges_filings,
    training_attendance_fills_the_training_step,
    one_to_one_contacts_show_who_is_overdue,
    existing_dossiers_import_whole_or_not_at_all,
    the_demo_has_a_training_class_and_contacts,
    no_bad_dossier_input_gets_a_500,
    only_the_organisation_filed_with_answers_a_filing,
    the_api_refuses_an_unexplained_expected_count_like_the_form,
    the_form_and_the_api_refuse_the_same_things_with_the_same_rule_ids,
    the_case_list_is_searched_filtered_sorted_and_paged,
    refused_rule_settings_are_named_beside_their_fields,
);

/// Opens a dossier for a new applicant in the secretary's branch and returns its id.
async fn new_case(app: &Client) -> String {
    let branch = app.org_id("腾讯数据平台部第三党支部").await;
    let id =
        pioneer_domain::people::id_card::IdCardNumber::compose(440305, jiff::civil::date(1996, 3, 3), 777);
    let r = app.api(Method::POST, "/api/v1/people", json!({"name": "新申请人", "id_card": id.as_str(), "ethnicity": "汉族",
        "education": "bachelor", "worker_category": "platform_staff", "status": "non_member", "org_id": branch})).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let person = r.json()["id"].as_str().unwrap().to_owned();
    let r = app.api(Method::POST, "/api/v1/dossiers", json!({"person_id": person})).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    r.json()["id"].as_str().unwrap().to_owned()
}

async fn event(app: &Client, dossier: &str, body: Value) -> Reply {
    app.api(Method::POST, &format!("/api/v1/dossiers/{dossier}/events"), body).await
}

async fn a_case_is_recorded_step_by_step_and_a_hard_rule_refuses_with_its_id(app: TestApp) {
    let upper = app.org_id("腾讯数据平台部党总支").await;
    app.login("tencent.secretary").await;
    let d = new_case(&app).await;
    for (kind, on, fields) in [
        ("application_letter", "2024-01-05", json!({})),
        ("talk", "2024-01-20", json!({"talker": "赵重庆"})),
        (
            "activist_chosen",
            "2024-03-01",
            json!({"route": "member_recommendation", "recommended_by": "党员", "decided_by": "branch_committee"}),
        ),
        ("notice", "2025-02-10", json!({"point": "target", "working_days": 5})),
    ] {
        let r = event(&app, &d, json!({"kind": kind, "on": on, "fields": fields})).await;
        assert_eq!(r.status, StatusCode::CREATED, "{kind}: {}", r.body);
    }
    // The development target before filing and contacts is not open yet.
    let r = event(&app, &d, json!({"kind": "target_chosen", "on": "2025-03-10", "fields": {"opinions_heard_on": "2025-03-01", "decided_by": "branch_committee"}})).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let r =
        event(&app, &d, json!({"kind": "activist_filed", "on": "2024-03-05", "fields": {"to_org": upper}}))
            .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    // The contact must be a party member of the tenant: pick one from the record form.
    let form = app.get(&format!("/dossiers/{d}/record/cultivation_contacts")).await;
    assert_eq!(form.status, StatusCode::OK);
    let contact = form.body.split("<option value=\"").nth(2).unwrap().split('"').next().unwrap().to_owned();
    let r = app
        .post_form(
            &format!("/dossiers/{d}/record/cultivation_contacts"),
            &format!("on=2024-03-06&contact1={contact}"),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    for on in ["2024-08-20", "2025-02-01"] {
        let r = event(&app, &d, json!({"kind": "cultivation", "on": on, "fields": {"result": "良好"}})).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    }
    // One day short of a year as activist: refused with DEV-010, nothing written.
    let before = app.get(&format!("/api/v1/dossiers/{d}")).await.json()["events"].as_array().unwrap().len();
    let r = event(&app, &d, json!({"kind": "target_chosen", "on": "2025-02-28", "fields": {"opinions_heard_on": "2025-02-25", "decided_by": "branch_committee"}})).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("DEV-010"), "{}", r.body);
    let after = app.get(&format!("/api/v1/dossiers/{d}")).await.json();
    assert_eq!(after["events"].as_array().unwrap().len(), before);
    // The same through the form: shown again with the rule beside the date, input kept.
    let r = app
        .post_form(
            &format!("/dossiers/{d}/record/target_chosen"),
            "on=2025-02-28&opinions_heard_on=2025-02-25&decided_by=branch_committee",
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("DEV-010") && r.body.contains("2025-02-28"), "{}", r.body);
    // On the anniversary it is accepted, and the case page shows the stage and the timeline.
    let r = event(&app, &d, json!({"kind": "target_chosen", "on": "2025-03-01", "fields": {"opinions_heard_on": "2025-02-25", "decided_by": "branch_committee"}})).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert!(r.json()["next_steps"].as_array().unwrap().iter().any(|x| x == "introducers"));
    let page = app.get(&format!("/dossiers/{d}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("确定发展对象") && page.body.contains("step-25"), "{}", page.body);
    let en = app.get_en(&format!("/dossiers/{d}")).await;
    assert!(en.body.contains("Made a development target"));
    // The person's status followed the dossier, and the branch's list shows the case.
    let list = app.get("/api/v1/dossiers").await.json();
    assert!(
        list["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|x| x["id"] == d.as_str() && x["stage"] == "development_target")
    );
    // Bad input: an unknown kind, a bad date, a field of the wrong type.
    let r = event(&app, &d, json!({"kind": "nope", "on": "2025-13-01", "fields": {}})).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = app.api(Method::POST, &format!("/api/v1/dossiers/{d}/events"), json!({"kind": 5})).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
}

async fn the_vote_form_counts_quorum_and_majority_on_the_server(app: TestApp) {
    app.login("tencent.secretary").await;
    let d = new_case(&app).await;
    let form = app.get(&format!("/dossiers/{d}/record/admission_meeting")).await;
    assert_eq!(form.status, StatusCode::OK);
    let full: u32 =
        form.body.split("id=\"full-members\">").nth(1).unwrap().split('<').next().unwrap().parse().unwrap();
    assert!(full > 0);
    // 5 present of 10 expected, 5 in favour and 1 written: no quorum, but a majority.
    let body = "preview=1&on=2026-11-20&expected=10&present=5&for=5&against=0&abstain=0&written_for=1&method=secret_ballot&candidates=1&exclusion_reason=两人长期出国";
    let r = app.post_form(&format!("/dossiers/{d}/record/admission_meeting"), body).await;
    assert!(r.body.contains("5/6") && r.body.contains("6/6") && r.body.contains("决议未通过"), "{}", r.body);
    // An expected count that differs from the full members needs a reason.
    let body = format!(
        "preview=1&on=2026-11-20&expected={}&present=1&for=1&against=0&abstain=0&method=secret_ballot&candidates=1",
        full + 1
    );
    let r = app.post_form(&format!("/dossiers/{d}/record/admission_meeting"), &body).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("DEV-026"));
    // Counts that do not add up are refused field by field.
    let r = app
        .post_form(
            &format!("/dossiers/{d}/record/admission_meeting"),
            "on=2026-11-20&expected=9&present=10&for=1&against=0&abstain=0&method=secret_ballot&candidates=1",
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
}

async fn screening_groups_the_demo_findings_and_exports_xlsx(app: TestApp) {
    let other = app.org_id("中共腾讯微信事业群委员会").await;
    app.login("organiser").await;
    let r = app.get("/api/v1/screening").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let report = r.json();
    assert!(report["dossiers"].as_u64().unwrap() > 20, "{report}");
    let groups = report["groups"].as_array().unwrap();
    assert!(!groups.is_empty(), "the demo plants some faults");
    let first = &groups[0];
    assert!(
        first["check"]["rule"].as_str().unwrap().starts_with("DEV-") || first["check"]["rule"] == "AUD-26"
    );
    let case = first["cases"][0]["id"].as_str().unwrap();
    assert_eq!(app.get(&format!("/dossiers/{case}")).await.status, StatusCode::OK);
    let page = app.get("/screening").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains(first["check"]["rule"].as_str().unwrap()));
    let x = app.get("/screening?format=xlsx").await;
    assert_eq!(x.status, StatusCode::OK);
    assert!(x.headers[header::CONTENT_TYPE].to_str().unwrap().contains("spreadsheetml"));
    assert!(x.body.starts_with("PK"));
    // The work queue lists open steps due within a week, overdue first.
    let q = app.get("/api/v1/work-queue").await.json();
    assert!(q["items"].as_array().is_some());
    // A secretary screens only her branch.
    app.login("tencent.secretary").await;
    let mine = app.get("/api/v1/screening").await.json()["dossiers"].as_u64().unwrap();
    assert!(mine < report["dossiers"].as_u64().unwrap());
    assert_eq!(app.get(&format!("/api/v1/screening?org={other}")).await.status, StatusCode::FORBIDDEN);
}

/// Whether `text` holds something shaped like a UUID (an internal id).
fn has_uuid(text: &str) -> bool {
    text.as_bytes().windows(36).any(|w| {
        w.iter()
            .enumerate()
            .all(|(i, b)| if [8, 13, 18, 23].contains(&i) { *b == b'-' } else { b.is_ascii_hexdigit() })
    })
}

async fn the_public_notice_board_takes_objections(app: TestApp) {
    let board = app.get("/api/v1/notices").await;
    assert!(!has_uuid(&board.body), "no internal ids in the public API: {}", board.body);
    let items = board.json()["items"].as_array().unwrap().clone();
    assert!(!items.is_empty(), "the demo has notices running today");
    let n = &items[0];
    let code = n["code"].as_str().unwrap().to_owned();
    assert!(code.starts_with("GS-") && n.get("dossier_id").is_none(), "{n}");
    let page = app.get("/notices").await;
    assert!(page.body.contains(n["person_name"].as_str().unwrap()) && page.body.contains("出生年月"));
    assert!(!has_uuid(&page.body), "no internal ids on the board");
    let digits = page.body.as_bytes().windows(17).any(|w| w.iter().all(u8::is_ascii_digit));
    assert!(!digits, "only what must be public: no ID numbers");
    let uri = format!("/notices/{code}/objection");
    assert_eq!(app.get(&uri).await.status, StatusCode::OK);
    // Anonymous objections are refused, each missing field named.
    let r = app.post_form(&uri, &format!("text={}", enc("匿名"))).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("name-err") && r.body.contains("phone-err"), "{}", r.body);
    let filed = |phone: &str, text: &str| format!("name={}&phone={phone}&text={}", enc("王五"), enc(text));
    let r = app.post_form(&uri, &filed("13912345678", "反映其考勤问题")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("id=\"done\""));
    let r = app
        .api(
            axum::http::Method::POST,
            &format!("/api/v1/notices/{code}/objections"),
            json!({"name": "王五", "phone": "13912345678", "text": "第二条"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    // A third from the same phone to the same notice is refused by field.
    let r = app.post_form(&uri, &filed("13912345678", "第三条")).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("此手机号对本公示已提出过异议"), "{}", r.body);
    // Received objections block nothing: the dossier has no objection yet.
    app.login("organiser").await;
    let root = app.org_id(pioneer_demo::DEMO_ROOT_NAME).await;
    let list = app.get(&format!("/api/v1/objections?org={root}")).await.json();
    let mine: Vec<&serde_json::Value> =
        list["items"].as_array().unwrap().iter().filter(|x| x["name"] == "王五").collect();
    assert_eq!(mine.len(), 2, "{list}");
    assert!(mine.iter().all(|x| x["status"] == "received" && x["phone_masked"] == "139****5678"));
    let d = mine[0]["dossier_id"].as_str().unwrap().to_owned();
    let kinds = |case: serde_json::Value| -> Vec<String> {
        case["events"].as_array().unwrap().iter().map(|e| e["kind"].as_str().unwrap().to_owned()).collect()
    };
    let before = kinds(app.get(&format!("/api/v1/dossiers/{d}")).await.json());
    assert!(!before.contains(&"objection".to_owned()), "{before:?}");
    let page = app.get(&format!("/objections?org={root}")).await;
    assert!(page.body.contains("139****5678") && !page.body.contains("13912345678"), "the phone is masked");
    // Another enterprise's secretary neither reads nor decides them.
    let (a, b) = (mine[0]["id"].as_str().unwrap().to_owned(), mine[1]["id"].as_str().unwrap().to_owned());
    let outsider = if mine[0]["org_name"] == "腾讯数据平台部第三党支部" {
        "meituan.secretary"
    } else {
        "tencent.secretary"
    };
    app.login(outsider).await;
    assert_eq!(app.get(&format!("/objections?org={root}")).await.status, StatusCode::FORBIDDEN);
    let r = app.api(axum::http::Method::POST, &format!("/api/v1/objections/{a}/accept"), json!({})).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);
    // The organiser accepts one (it enters the dossier) and dismisses the other with a reason.
    app.login("organiser").await;
    let r = app.post_form(&format!("/objections/{a}/accept?org={root}"), "").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let after = kinds(app.get(&format!("/api/v1/dossiers/{d}")).await.json());
    assert_eq!(after.iter().filter(|k| *k == "objection").count(), 1, "{after:?}");
    let r = app.post_form(&format!("/objections/{a}/accept?org={root}"), "").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "accepted once only");
    let r = app.post_form(&format!("/objections/{b}/dismiss?org={root}"), "reason=").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = app
        .api(
            axum::http::Method::POST,
            &format!("/api/v1/objections/{b}/dismiss?org={root}"),
            json!({"reason": "与事实不符，已核实"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(
        kinds(app.get(&format!("/api/v1/dossiers/{d}")).await.json()),
        after,
        "a dismissal leaves the dossier"
    );
    let list = app.get(&format!("/api/v1/objections?org={root}")).await.json();
    let b_now = list["items"].as_array().unwrap().iter().find(|x| x["id"] == b.as_str()).unwrap().clone();
    assert_eq!(b_now["status"], "dismissed");
    assert_eq!(app.get("/notices/GS-0000000000/objection").await.status, StatusCode::NOT_FOUND);
    // The public form is limited per address.
    app.logout_locally();
    let mut last = StatusCode::OK;
    for i in 0..10 {
        last = app.post_form(&uri, &filed(&format!("1370000{i:04}"), "重复提交")).await.status;
        if last == StatusCode::TOO_MANY_REQUESTS {
            break;
        }
    }
    assert_eq!(last, StatusCode::TOO_MANY_REQUESTS);
}

async fn an_upper_organisation_acknowledges_filings(app: TestApp) {
    app.login("organiser").await;
    // Find an organisation with filings waiting.
    let orgs = app.get("/api/v1/organizations").await.json();
    let mut found = None;
    for o in orgs["items"].as_array().or(orgs.as_array()).unwrap() {
        let id = o["id"].as_str().unwrap();
        let page = app.get(&format!("/filings?org={id}")).await;
        if page.body.contains("/record/filing_ack") {
            found = Some((id.to_owned(), page.body));
            break;
        }
    }
    let (org, body) = found.expect("the demo has filings waiting");
    let action = body
        .split("action=\"")
        .find(|x| x.contains("/record/filing_ack"))
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_owned();
    let filing = body.split("name=\"filing\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_owned();
    let today = pioneer_web::clock::Clock::today(&app.clock);
    let before = body.matches("/record/filing_ack").count();
    let r = app.post_form(&action, &format!("filing={filing}&on={today}&receipt=BA-2026-9")).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let after = app.get(&format!("/filings?org={org}")).await.body.matches("/record/filing_ack").count();
    assert_eq!(after, before - 1);
    // A second acknowledgement of the same filing is refused.
    let r = app.post_form(&action, &format!("filing={filing}&on={today}&receipt=BA-2026-10")).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    // Another is returned (the first whose return the rules allow): the case list below
    // names it until it is filed again.
    let body = app.get(&format!("/filings?org={org}")).await.body;
    let mut returned_one = None;
    for back in body.split("action=\"").filter(|x| x.contains("/record/filing_return")) {
        let back = back.split('"').next().unwrap().to_owned();
        let seq = body
            .split(&back)
            .nth(1)
            .unwrap()
            .split("name=\"filing\" value=\"")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap()
            .to_owned();
        let r =
            app.post_form(&back, &format!("filing={seq}&on={today}&return_reason={}", enc("材料不全"))).await;
        if r.status == StatusCode::SEE_OTHER {
            returned_one = Some(back.split('/').nth(2).unwrap().to_owned());
            break;
        }
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    }
    let dossier = returned_one.expect("the demo has a filing the rules let be returned");
    let d = app.store.dossier(dossier.parse().unwrap()).await.unwrap();
    let returned = app.store.returned_filings(&d.org_path).await.unwrap();
    assert!(returned.iter().any(|(id, on, _)| id.to_string() == dossier && *on == today), "{returned:?}");
    let list = app.get(&format!("/dossiers?org={}", d.org_id)).await;
    let section = list.body.split("id=\"returned-filings\"").nth(1).unwrap().split("</ul>").next().unwrap();
    assert!(section.contains(&dossier), "{section}");
}

async fn training_attendance_fills_the_training_step(app: TestApp) {
    app.login("tencent.secretary").await;
    let d = new_case(&app).await;
    let branch = app.org_id("腾讯数据平台部第三党支部").await;
    let r = app
        .post_form(
            &format!("/training?org={branch}"),
            &format!(
                "kind=target&title={}&starts_on=2026-06-01&ends_on=2026-06-03&days=3&hours=24",
                enc("发展对象培训班")
            ),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let class = r.headers[header::LOCATION].to_str().unwrap().to_owned();
    // A bad class is refused field by field.
    let bad = app
        .post_form(
            &format!("/training?org={branch}"),
            "kind=x&title=&starts_on=2026-06-03&ends_on=2026-06-01&days=3&hours=24",
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let case = app.get(&format!("/api/v1/dossiers/{d}")).await.json();
    let person = case["person_id"].as_str().unwrap().to_owned();
    // 16 of 24 hours: two of the three days.
    let r = app.post_form(&class, &format!("person_id={person}&hours=16&passed=1")).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = app.post_form(&class, &format!("person_id={person}&hours=99&passed=1")).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "more hours than the class has");
    let page = app.get(&class).await;
    assert!(page.body.contains("新申请人"));
    let class_id = class.rsplit('/').next().unwrap();
    let form = app.get(&format!("/dossiers/{d}/record/training?from_class={class_id}")).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(
        form.body.contains("value=\"16\"")
            && form.body.contains("value=\"2\"")
            && form.body.contains("2026-06-03"),
        "{}",
        form.body
    );
}

async fn one_to_one_contacts_show_who_is_overdue(app: TestApp) {
    let branch = app.org_id("腾讯数据平台部第三党支部").await;
    app.login("tencent.secretary").await;
    let page = app.get(&format!("/contacts?org={branch}")).await;
    assert_eq!(page.status, StatusCode::OK);
    let person = page
        .body
        .split("name=\"person_id\"")
        .nth(1)
        .unwrap()
        .split("<option value=\"")
        .nth(2)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_owned();
    let member = page
        .body
        .split("name=\"member_id\"")
        .nth(1)
        .unwrap()
        .split("<option value=\"")
        .nth(2)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_owned();
    let r = app
        .post_form(
            &format!("/contacts?org={branch}"),
            &format!("person_id={person}&member_id={member}&cadence_days=3"),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "a cadence under a week is refused");
    let r = app
        .post_form(
            &format!("/contacts?org={branch}"),
            &format!("person_id={person}&member_id={member}&cadence_days=14"),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = app
        .post_form(
            &format!("/contacts?org={branch}"),
            &format!("person_id={person}&member_id={member}&cadence_days=14"),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "one contact per person");
    // Fifteen days on without a contact, the assignment is overdue; a contact clears it.
    app.clock.advance_minutes(15 * 24 * 60);
    app.login("tencent.secretary").await;
    let page = app.get(&format!("/contacts?org={branch}")).await;
    assert!(page.body.contains("已逾期"), "{}", page.body);
    let action = page
        .body
        .split("action=\"")
        .find(|x| x.contains("/visits"))
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_owned();
    let today = pioneer_web::clock::Clock::today(&app.clock);
    let r = app.post_form(&action, &format!("on={today}&note={}", enc("谈心谈话"))).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = app.post_form(&action, "on=2099-01-01&note=x").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "a contact in the future");
    let page = app.get(&format!("/contacts?org={branch}")).await;
    assert!(!page.body.contains("<strong class=\"err\">"), "{}", page.body);
}

async fn existing_dossiers_import_whole_or_not_at_all(app: TestApp) {
    let org = app.branch("数据平台部第四党支部").await;
    let (branch, secretary) = (org.id, org.secretary().await);
    let import = format!("/dossiers/import?org={branch}");
    // Two people without dossiers in the branch.
    let mut ids = Vec::new();
    for (i, name) in ["导入甲", "导入乙"].iter().enumerate() {
        let id = pioneer_domain::people::id_card::IdCardNumber::compose(
            440305,
            jiff::civil::date(1995, 1, 1),
            800 + i as u32,
        );
        let r = secretary
            .api(
                Method::POST,
                "/api/v1/people",
                json!({"name": name, "id_card": id.as_str(), "ethnicity": "汉族",
            "education": "bachelor", "worker_category": "rider", "status": "non_member", "org_id": branch}),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        ids.push(id.as_str().to_owned());
    }
    let t = secretary.get("/dossiers/import/template").await;
    assert_eq!(t.status, StatusCode::OK);
    assert!(t.body.starts_with("PK"));
    let csv = secretary.get("/dossiers/import/template?format=csv").await;
    assert!(csv.body.starts_with('\u{feff}') && csv.body.contains("id_card") && csv.body.contains("talker"));
    let header = "身份证号 id_card,环节 kind,日期 on,谈话人 talker";
    // A file with problems: an unknown person, an unknown step, a bad date; nothing imported.
    let bad = format!(
        "{header}\n{},递交入党申请书,2024-01-05,\n440305199001019999,talk,2024-01-20,张\n{},nope,2024-13-01,\n",
        ids[0], ids[1]
    );
    let r = upload(&secretary, &import, "bad.csv", bad.as_bytes(), true).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(
        r.body.contains("id=\"problems\"") && r.body.contains("<td>3</td>") && r.body.contains("<td>4</td>"),
        "{}",
        r.body
    );
    let before = case_count(&secretary).await;
    // A good file: a dry run first, then the import; a late talk is found, not refused.
    let good = format!(
        "{header}\n{a},递交入党申请书,2024-01-05,\n{a},2,2024-03-20,张\n{b},application_letter,2024/2/1,\n",
        a = ids[0],
        b = ids[1]
    );
    let r = upload(&secretary, &import, "good.csv", good.as_bytes(), false).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("2 / 3") && r.body.contains("DEV-003"), "{}", r.body);
    assert_eq!(case_count(&secretary).await, before, "a dry run writes nothing");
    let r = upload(&secretary, &import, "good.csv", good.as_bytes(), true).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(case_count(&secretary).await, before + 2);
    // The same file again: both people have dossiers now.
    let r = upload(&secretary, &import, "good.csv", good.as_bytes(), true).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(case_count(&secretary).await, before + 2);
    // The downloaded template itself goes back in: its columns are all known, and its
    // example rows name a person who is not in the deployment.
    let xlsx = secretary.send(Request::get("/dossiers/import/template").body(Body::empty()).unwrap()).await;
    assert_eq!(xlsx.status, StatusCode::OK);
    let bytes = secretary.get_bytes("/dossiers/import/template").await;
    let r = upload(&secretary, &import, "template.xlsx", &bytes, false).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("人员不存在") && !r.body.contains("不是可选的值"), "{}", r.body);
    // Not a spreadsheet, and a zip bomb.
    let r = upload(&secretary, &import, "x.xlsx", b"PK\x03\x04nonsense", true).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("id=\"file-error\""));
    // Without the token the upload is refused.
    let req = Request::post(&import)
        .header(header::CONTENT_TYPE, "multipart/form-data; boundary=x")
        .body(Body::from(
            "--x\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.csv\"\r\n\r\na\r\n--x--\r\n",
        ))
        .unwrap();
    assert_eq!(secretary.send_raw(req).await.status, StatusCode::FORBIDDEN);
}

async fn case_count(app: &Client) -> usize {
    app.get("/api/v1/dossiers").await.json()["total"].as_u64().unwrap() as usize
}

async fn the_demo_has_a_training_class_and_contacts(app: TestApp) {
    let tencent = app.org_id("中共腾讯公司委员会").await;
    app.login("tencent.admin").await;
    let page = app.get(&format!("/training?org={tencent}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("发展对象集中培训班"), "{}", page.body);
    // The class kinds in the language of the page only.
    assert!(
        page.body.contains(">发展对象培训班<") && !page.body.contains("development targets"),
        "{}",
        page.body
    );
    assert!(
        app.get_en(&format!("/training?org={tencent}"))
            .await
            .body
            .contains(">Class for development targets<")
    );
    let contacts = app.get(&format!("/contacts?org={tencent}")).await;
    assert_eq!(contacts.status, StatusCode::OK);
    assert!(contacts.body.contains("id=\"links\""), "the demo pairs key staff with members");
    assert!(contacts.body.contains("已逾期"), "some are overdue");
}

async fn no_bad_dossier_input_gets_a_500(app: TestApp) {
    app.login("organiser").await;
    let list = app.get("/api/v1/dossiers").await.json();
    let d = list["items"][0]["id"].as_str().unwrap().to_owned();
    let events_before =
        app.get(&format!("/api/v1/dossiers/{d}")).await.json()["events"].as_array().unwrap().len();
    let json_bodies = [
        json!({}),
        json!({"kind": "talk"}),
        json!({"kind": "talk", "on": "2026-02-30", "fields": {"talker": {"nested": 1}}}),
        json!({"kind": "admission_meeting", "on": "2026-11-01", "fields": {"expected": 1e300, "present": -1, "for": "x"}}),
        json!({"kind": "notice", "on": "2026-11-01", "fields": {"point": "target", "working_days": 999}}),
        json!({"kind": "objection_resolved", "on": "2026-11-01", "fields": {"objection": 99999, "resolution": "x"}}),
        json!({"kind": "filing_ack", "on": "2026-11-01", "fields": {"filing": 1, "receipt": "\u{0}"}}),
        json!({"kind": "transfer", "on": "2026-11-01", "fields": {"to_org": "not-a-uuid", "materials_complete": true}}),
        json!({"kind": "talk", "on": "2026-11-01", "fields": {"talker": "x"}, "corrects": 4294967295u64}),
        json!({"kind": "approval", "on": "1900-01-01", "fields": {"approver": "00000000-0000-0000-0000-000000000000", "decision": "approved"}, "backfill": true}),
    ];
    for body in &json_bodies {
        let r = app.api(Method::POST, &format!("/api/v1/dossiers/{d}/events"), body.clone()).await;
        assert!(r.status.is_client_error(), "{body} → {}: {}", r.status, r.body);
    }
    for body in ["", "null", "[]", "{\"person_id\": 5}", "{\"person_id\": \"x\"}"] {
        let req = Request::post("/api/v1/dossiers")
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body))
            .unwrap();
        let r = app.send(req).await;
        assert!(r.status.is_client_error(), "{body} → {}: {}", r.status, r.body);
    }
    let junk = "on=x&expected=-1&present=abc&for=99999999999999999999&method=vote&candidates=0&decision=maybe&\
                to_org=zz&approver=00000000-0000-0000-0000-000000000000&contact1=x&introducer1=%00&days=%FF&\
                filing=-3&notice=abc&objection=1&point=never&working_days=0&corrects=-1&backfill=1";
    for kind in pioneer_domain::development::dossier::Kind::all() {
        let uri = format!("/dossiers/{d}/record/{}", kind.code());
        let r = app.post_form(&uri, junk).await;
        assert!(r.status.is_client_error(), "POST {uri} → {}: {}", r.status, r.body);
        let r = app.get(&format!("{uri}?from_class=nope&corrects=zz")).await;
        assert!(!r.status.is_server_error(), "GET {uri} → {}", r.status);
    }
    assert_eq!(app.get("/dossiers/not-a-uuid").await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.get(&format!("/dossiers/{d}/record/nope")).await.status, StatusCode::NOT_FOUND);
    for (uri, body) in [
        ("/rules/settings".to_owned(), "notice_working_days=x&revision_2026_from=never&training_min_hours=1"),
        ("/training".to_owned(), "kind=%FF&title=%00&days=-1&hours=1e9"),
        ("/contacts".to_owned(), "person_id=x&member_id=&cadence_days=99999"),
        ("/dossiers".to_owned(), "person_id=%00"),
    ] {
        let r = app.post_form(&uri, body).await;
        assert!(
            r.status.is_client_error() || r.status.is_redirection(),
            "POST {uri} → {}: {}",
            r.status,
            r.body
        );
    }
    for q in ["org=x", "org=00000000-0000-0000-0000-000000000000", "format=%FF"] {
        for page in [
            "/dossiers",
            "/screening",
            "/filings",
            "/training",
            "/contacts",
            "/api/v1/screening",
            "/api/v1/work-queue",
        ] {
            let r = app.get(&format!("{page}?{q}")).await;
            assert!(!r.status.is_server_error(), "GET {page}?{q} → {}", r.status);
        }
    }
    let after = app.get(&format!("/api/v1/dossiers/{d}")).await.json()["events"].as_array().unwrap().len();
    assert_eq!(after, events_before, "nothing was written");
}

/// A filing (备案) is answered by the organisation filed with: the branch that filed is
/// refused (403) through the API and through the form, whatever else it may record.
async fn only_the_organisation_filed_with_answers_a_filing(app: TestApp) {
    let upper = app.org_id("腾讯数据平台部党总支").await;
    app.login("tencent.secretary").await;
    let d = new_case(&app).await;
    for (kind, on, fields) in [
        ("application_letter", "2024-01-05", json!({})),
        ("talk", "2024-01-20", json!({"talker": "赵重庆"})),
        (
            "activist_chosen",
            "2024-03-01",
            json!({"route": "member_recommendation", "recommended_by": "党员", "decided_by": "branch_committee"}),
        ),
        ("activist_filed", "2024-03-05", json!({"to_org": upper})),
    ] {
        let r = event(&app, &d, json!({"kind": kind, "on": on, "fields": fields})).await;
        assert_eq!(r.status, StatusCode::CREATED, "{kind}: {}", r.body);
    }
    let events = app.get(&format!("/api/v1/dossiers/{d}")).await.json()["events"].clone();
    let filing = events.as_array().unwrap().iter().find(|e| e["kind"] == "activist_filed").unwrap()["seq"]
        .as_u64()
        .unwrap();
    let ack =
        json!({"kind": "filing_ack", "on": "2024-03-06", "fields": {"filing": filing, "receipt": "BA-1"}});
    let r = event(&app, &d, ack.clone()).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    let form = format!("filing={filing}&on=2024-03-06&receipt=BA-1");
    let r = app.post_form(&format!("/dossiers/{d}/record/filing_ack"), &form).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    // The organiser, whose scope holds the general branch filed with, acknowledges it.
    app.login("organiser").await;
    let r = event(&app, &d, ack).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
}

/// DEV-026 through the API as through the form: voting members expected other than the
/// branch's full members need the reason, checked before the event is written; a historic
/// record is taken as found.
async fn the_api_refuses_an_unexplained_expected_count_like_the_form(app: TestApp) {
    app.login("tencent.secretary").await;
    let d = new_case(&app).await;
    let form = app.get(&format!("/dossiers/{d}/record/admission_meeting")).await;
    let full: i64 =
        form.body.split("id=\"full-members\">").nth(1).unwrap().split('<').next().unwrap().parse().unwrap();
    let vote = |expected: i64, reason: Option<&str>, backfill: bool| {
        let mut fields = json!({"expected": expected, "present": expected, "for": expected, "against": 0,
            "abstain": 0, "method": "secret_ballot", "candidates": 1});
        if let Some(r) = reason {
            fields["exclusion_reason"] = json!(r);
        }
        json!({"kind": "admission_meeting", "on": "2026-11-20", "fields": fields, "backfill": backfill})
    };
    let before = app.get(&format!("/api/v1/dossiers/{d}")).await.json()["events"].as_array().unwrap().len();
    let r = event(&app, &d, vote(full + 1, None, false)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let problem = r.json();
    assert_eq!(problem["errors"][0]["field"], "exclusion_reason", "{problem}");
    assert_eq!(problem["errors"][0]["rule"], "DEV-026", "{problem}");
    // With the reason, DEV-026 is satisfied (the step is refused for coming too early instead).
    let r = event(&app, &d, vote(full + 1, Some("两人长期出国"), false)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(!r.body.contains("exclusion_reason"), "{}", r.body);
    // A historic record is recorded as found, for the screening to judge.
    let r = event(&app, &d, vote(full + 1, None, true)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let after = app.get(&format!("/api/v1/dossiers/{d}")).await.json()["events"].as_array().unwrap().len();
    assert_eq!(after, before + 1, "only the historic record was written");
}

/// One validation path: each refusal of a live record — a hard rule broken, a required field
/// missing, a day to come, a step not open yet — is the same through the form and the API:
/// 422, on the same field, naming the same rule.
async fn the_form_and_the_api_refuse_the_same_things_with_the_same_rule_ids(app: TestApp) {
    app.login("tencent.secretary").await;
    let d = new_case(&app).await;
    for (kind, on, fields) in
        [("application_letter", "2024-01-05", json!({})), ("talk", "2024-01-20", json!({"talker": "赵重庆"}))]
    {
        let r = event(&app, &d, json!({"kind": kind, "on": on, "fields": fields})).await;
        assert_eq!(r.status, StatusCode::CREATED, "{kind}: {}", r.body);
    }
    let activist =
        |decided: &str, route: &str| json!({"route": route, "recommended_by": "党员", "decided_by": decided});
    let cases = [
        (
            "DEV-004 decided by the secretary",
            "activist_chosen",
            "2024-03-01",
            activist("secretary", "member_recommendation"),
            "decided_by",
            Some("DEV-004"),
        ),
        (
            "AUD-26 dated before the application",
            "activist_chosen",
            "2024-01-03",
            activist("branch_committee", "member_recommendation"),
            "on",
            Some("AUD-26"),
        ),
        (
            "no recommendation route",
            "activist_chosen",
            "2024-03-01",
            activist("branch_committee", ""),
            "route",
            None,
        ),
        (
            "a day still to come",
            "activist_chosen",
            "2099-03-01",
            activist("branch_committee", "member_recommendation"),
            "on",
            None,
        ),
        ("a step not open yet", "introducers", "2024-03-01", json!({"introducer1": "x"}), "", None),
    ];
    let before = app.get(&format!("/api/v1/dossiers/{d}")).await.json()["events"].as_array().unwrap().len();
    for (what, kind, on, fields, field, rule) in cases {
        let api = event(&app, &d, json!({"kind": kind, "on": on, "fields": fields})).await;
        let mut form = format!("on={on}&csrf=");
        for (k, v) in fields.as_object().unwrap() {
            form.push_str(&format!("&{k}={}", enc(v.as_str().unwrap_or(""))));
        }
        let page = app.post_form(&format!("/dossiers/{d}/record/{kind}"), &form).await;
        assert_eq!(api.status, page.status, "{what}: the API and the form answer alike");
        assert!(
            matches!(api.status, StatusCode::UNPROCESSABLE_ENTITY | StatusCode::CONFLICT),
            "{what}: {}",
            api.body
        );
        let problem = api.json();
        if !field.is_empty() {
            let fields: Vec<&str> =
                problem["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
            assert!(fields.contains(&field), "{what}: {problem}");
            assert!(page.body.contains(&format!("id=\"{field}-err\"")), "{what}: the form marks {field}");
        }
        if let Some(rule) = rule {
            assert!(
                problem["errors"].as_array().unwrap().iter().any(|e| e["rule"] == rule),
                "{what}: {problem}"
            );
            assert!(page.body.contains(&format!("（{rule}）")), "{what}: the form names {rule}");
        }
    }
    let after = app.get(&format!("/api/v1/dossiers/{d}")).await.json()["events"].as_array().unwrap().len();
    assert_eq!(before, after, "nothing was written");
}

async fn training_contacts_and_filings_through_the_api(app: TestApp) {
    let branch = app.org_id("腾讯数据平台部第三党支部").await;
    app.login("tencent.secretary").await;
    let list = app.get(&format!("/api/v1/training?org={branch}")).await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.body);
    let class = json!({"kind": "target", "title": "发展对象培训班", "starts_on": "2026-11-02", "ends_on": "2026-11-04", "days": "3", "hours": "24"});
    let bad = json!({"kind": "nope", "title": "", "starts_on": "x", "ends_on": "2026-11-04", "days": "3", "hours": "24"});
    let r = app.api(Method::POST, &format!("/api/v1/training?org={branch}"), bad).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let r = app.api(Method::POST, &format!("/api/v1/training?org={branch}"), class).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let id = r.json()["id"].as_str().unwrap().to_owned();
    let shown = app.get(&format!("/api/v1/training/{id}")).await;
    assert_eq!(shown.json()["class"]["class"]["title"], "发展对象培训班", "{}", shown.body);
    let nobody = json!({"person_id": "2b0e0c3e-93a1-4f43-9e52-7d3f1c5a0b11", "hours": 24, "passed": true});
    let r = app.api(Method::POST, &format!("/api/v1/training/{id}/attendance"), nobody).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let contacts = app.get(&format!("/api/v1/contacts?org={branch}")).await;
    assert!(contacts.json()["items"].is_array(), "{}", contacts.body);
    let r = app
        .api(Method::POST, &format!("/api/v1/contacts?org={branch}"), json!({"person_id": "2b0e0c3e-93a1-4f43-9e52-7d3f1c5a0b11", "member_id": "2b0e0c3e-93a1-4f43-9e52-7d3f1c5a0b12", "cadence_days": "0"}))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(app.get(&format!("/api/v1/filings?org={branch}")).await.json()["items"].is_array());
    // Another enterprise's secretary reaches none of it.
    app.login("meituan.secretary").await;
    for uri in [
        format!("/api/v1/training/{id}"),
        format!("/api/v1/training?org={branch}"),
        format!("/api/v1/contacts?org={branch}"),
        format!("/api/v1/filings?org={branch}"),
    ] {
        assert_eq!(app.get(&uri).await.status, StatusCode::FORBIDDEN, "{uri}");
    }
}

/// The rows of the case table.
fn case_rows(r: &Reply) -> Vec<String> {
    let Some(table) = r.body.split("id=\"cases\"").nth(1) else { return Vec::new() };
    let body = table.split("<tbody>").nth(1).unwrap().split("</tbody>").next().unwrap();
    body.split("<tr>").skip(1).map(str::to_owned).collect()
}

/// The person's name in a case row.
fn case_name(row: &str) -> String {
    row.split("\">").nth(1).unwrap().split("</a>").next().unwrap().to_owned()
}

/// The organiser's case list: 50 a page with the total, searched by name, filtered by stage,
/// branch and overdue, sorted by a column head (and back), a bad filter refused by field, a
/// branch of another enterprise refused; the API twin lists the same.
async fn the_case_list_is_searched_filtered_sorted_and_paged(app: TestApp) {
    app.login("organiser").await;
    let api = app.get("/api/v1/dossiers").await;
    assert_eq!(api.status, StatusCode::OK, "{}", api.body);
    let total = api.json()["total"].as_u64().unwrap();
    assert!(total > 100, "the demo has more than two pages of cases: {total}");
    let page = app.get("/dossiers").await;
    assert!(page.body.contains(&format!("共 {total} 份档案")), "{}", page.body);
    assert_eq!(case_rows(&page).len(), 50);
    let last = total.div_ceil(50);
    let tail = app.get(&format!("/dossiers?page={last}")).await;
    assert_eq!(case_rows(&tail).len() as u64, total - 50 * (last - 1));
    assert!(!tail.body.contains(">下一页<") && tail.body.contains(">上一页<"), "{}", tail.body);
    // Sorted by name: the head says so and flips; the first ascending is the last descending.
    let asc = app.get("/dossiers?sort=name&dir=asc").await;
    assert!(asc.body.contains("aria-sort=\"ascending\""), "{}", asc.body);
    assert!(
        asc.body.contains("sort=name&#38;dir=desc"),
        "the head sorts the other way next: {}",
        asc.body.split("<thead>").nth(1).unwrap().split("</thead>").next().unwrap()
    );
    let desc = app.get(&format!("/dossiers?sort=name&dir=desc&page={last}")).await;
    assert_eq!(case_name(&case_rows(&asc)[0]), case_name(case_rows(&desc).last().unwrap()));
    // Search by part of a name: every row holds it, and the first case is among them.
    let name = case_name(&case_rows(&page)[0]);
    let part: String = name.chars().skip(1).collect();
    let found = app.get(&format!("/dossiers?q={}", enc(&part))).await;
    let rows = case_rows(&found);
    assert!(!rows.is_empty() && rows.iter().all(|r| case_name(r).contains(&part)), "{rows:?}");
    assert!(rows.iter().any(|r| case_name(r) == name));
    // By stage and overdue: every row is in that stage, or overdue.
    let activists = app.get("/dossiers?stage=activist").await;
    let rows = case_rows(&activists);
    assert!(
        !rows.is_empty() && rows.iter().all(|r| r.contains(">入党积极分子的确定和培养教育<")),
        "{rows:?}"
    );
    let overdue = app.get("/dossiers?overdue=1").await;
    let rows = case_rows(&overdue);
    assert!(rows.iter().all(|r| r.contains("已逾期")), "{rows:?}");
    // By branch: only its cases, named in each row.
    let branch = app.org_id("美团骑手流动党支部（南山科技园站）").await;
    let mine = app.get(&format!("/dossiers?branch={branch}")).await;
    let rows = case_rows(&mine);
    assert!(
        !rows.is_empty() && rows.iter().all(|r| r.contains("美团骑手流动党支部（南山科技园站）")),
        "{rows:?}"
    );
    let api = app.get(&format!("/api/v1/dossiers?branch={branch}")).await;
    assert_eq!(api.json()["total"].as_u64().unwrap() as usize, rows.len());
    // Bad filters are refused by field; nothing is listed.
    let bad = app.get("/dossiers?stage=elder&sort=age").await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("aria-invalid=\"true\"") && case_rows(&bad).is_empty(), "{}", bad.body);
    assert_eq!(app.get("/api/v1/dossiers?dir=sideways").await.status, StatusCode::UNPROCESSABLE_ENTITY);
    // A branch of another enterprise is refused to a Tencent secretary.
    app.login("tencent.secretary").await;
    assert_eq!(app.get(&format!("/dossiers?branch={branch}")).await.status, StatusCode::FORBIDDEN);
    assert_eq!(app.get(&format!("/api/v1/dossiers?branch={branch}")).await.status, StatusCode::FORBIDDEN);
}

/// A refused save of an organisation's rule settings says what is wrong beside each field,
/// in words (the summary once listed field codes such as `notice_working_days`).
async fn refused_rule_settings_are_named_beside_their_fields(app: TestApp) {
    app.login("committee.admin").await;
    let r = app.post_form("/rules/settings", "notice_working_days=x").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    for field in ["notice_working_days", "training_min_hours"] {
        let after = r.body.split(&format!("id=\"{field}\"")).nth(1).unwrap();
        let next_label = after.find("<label").unwrap_or(after.len());
        assert!(after[..next_label].contains("class=\"err\""), "{field}: {}", &after[..next_label]);
    }
    assert!(
        !r.body.contains("notice_working_days：") && !r.body.contains(">notice_working_days"),
        "{}",
        r.body
    );
}
