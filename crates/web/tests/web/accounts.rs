//! Accounts and what each may reach: a role's permissions within its granted subtree (the
//! access matrix over every route), the auditor, and account administration in scope.

use crate::support::{NEW_ID, PW, TestApp, enc, form_body, now};
use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use pioneer_store::Backend;
use serde_json::json;

pioneer_store::on_both!(
    with TestApp::new;
    a_secretary_sees_her_branch_and_nothing_else,
    the_auditor_reads_nothing_but_the_journal,
    the_journal_reads_in_plain_columns_with_filters,
    an_org_admin_adds_accounts_only_in_her_scope,
    each_secretary_reaches_her_own_branch_and_not_the_other,
    repeated_refusals_fold_into_one_entry_a_minute,
    error_pages_keep_the_header_and_say_where_to_go,
    screening_another_enterprise_is_refused_to_every_role,
    imports_and_discipline_of_another_enterprise_are_refused_to_every_role,
    the_three_administrators_are_separated,
);

async fn a_secretary_sees_her_branch_and_nothing_else(app: TestApp) {
    let own = app.org_id("腾讯数据平台部第三党支部").await;
    let other = app.org_id("腾讯数据平台部第一党支部").await;
    let mine = app.get(&format!("/api/v1/people?org={own}")).await.json()["items"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let theirs = app.get(&format!("/api/v1/people?org={other}")).await.json()["items"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    app.login("tencent.secretary").await;
    assert_eq!(app.get(&format!("/people/{mine}")).await.status, StatusCode::OK);
    let refused = app.get(&format!("/people/{theirs}")).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert!(refused.body.contains("管辖范围"));
    assert_eq!(app.get(&format!("/api/v1/people/{theirs}")).await.status, StatusCode::FORBIDDEN);
    assert_eq!(app.get(&format!("/api/v1/people?org={other}")).await.status, StatusCode::FORBIDDEN);
    // Her list is her branch, whatever she asks for.
    let list = app.get("/api/v1/people").await.json();
    assert!(list["total"].as_u64().unwrap() > 0);
    assert!(list["items"].as_array().unwrap().iter().all(|p| p["org_name"] == "腾讯数据平台部第三党支部"));
    // She may not register people elsewhere, nor touch organisations.
    let r = app.post_form("/people", &form_body(&other, NEW_ID)).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(
        app.post_form(&format!("/orgs/{own}/close"), "closed_on=2026-11-29").await.status,
        StatusCode::FORBIDDEN
    );
    let tree = app.get("/orgs").await;
    assert!(tree.body.contains("腾讯数据平台部第三党支部") && !tree.body.contains("美团"));
    // Her home page counts her organisations only.
    let home = app.get("/").await;
    assert!(home.body.contains("<span class=\"n\">1</span>"), "one open organisation in her scope");
    // The refusals outside her scope are journaled.
    let denials: i64 = pioneer_store::on_db!(app.store.db(), pool => {
        sqlx::query_scalar("SELECT COUNT(*) FROM journal WHERE entity = 'access_denied' AND actor = 'tencent.secretary'")
            .fetch_one(pool)
            .await
            .unwrap()
    });
    assert!(denials >= 3, "{denials}");
}

async fn the_auditor_reads_nothing_but_the_journal(app: TestApp) {
    app.login("auditor").await;
    let api = app.get("/api/v1/journal").await;
    assert_eq!(api.status, StatusCode::OK, "{}", api.body);
    assert!(api.json()["entries"].as_u64().unwrap() > 0 && api.json()["broken"].is_null());
    app.login("tencent.secretary").await;
    assert_eq!(app.get("/api/v1/journal").await.status, StatusCode::FORBIDDEN);
    app.login("auditor").await;
    for page in ["/people", "/orgs", "/api/v1/people", "/api/v1/organizations", "/people/new", "/me"] {
        assert_eq!(app.get(page).await.status, StatusCode::FORBIDDEN, "{page}");
    }
    assert_eq!(app.get("/").await.status, StatusCode::OK);
    let journal = app.get("/journal").await;
    assert_eq!(journal.status, StatusCode::OK);
    assert!(journal.body.contains("id=\"journal-state\"") && journal.body.contains("校验通过"));
    // No checkpoint log in this deployment: the page says a cut tail would not be seen.
    assert!(journal.body.contains("id=\"journal-checkpoint\"") && journal.body.contains("尚无签名检查点"));
    // The button: every row matches the journal; then a status edited outside pioneer is named.
    let checked = app.post_form("/journal/check", "").await;
    assert_eq!(checked.status, StatusCode::OK, "{}", checked.body);
    assert!(checked.body.contains("核对通过"), "{}", checked.body);
    let api = app.api(axum::http::Method::POST, "/api/v1/journal/check", serde_json::json!({})).await;
    assert_eq!((api.status, api.json()["found"].as_u64()), (StatusCode::OK, Some(0)), "{}", api.body);
    let person: uuid::Uuid = pioneer_store::on_db!(app.store.db(), pool => {
        let id: uuid::Uuid = sqlx::query_scalar("SELECT id FROM people WHERE status = 'full_member' ORDER BY id LIMIT 1")
            .fetch_one(pool).await.unwrap();
        sqlx::query("UPDATE people SET status = 'applicant' WHERE id = $1").bind(id).execute(pool).await.unwrap();
        id
    });
    let checked = app.post_form("/journal/check", "").await;
    assert!(
        checked.body.contains("发现差异") && checked.body.contains(&person.to_string()),
        "{}",
        checked.body
    );
    assert!(checked.body.contains("<td>人员</td>") && checked.body.contains("在先锋之外被修改"));
    let api = app.api(axum::http::Method::POST, "/api/v1/journal/check", serde_json::json!({})).await;
    assert_eq!(api.json()["differences"][0]["table"], "people", "{}", api.body);
    app.login("tencent.secretary").await;
    assert_eq!(app.post_form("/journal/check", "").await.status, StatusCode::FORBIDDEN);
}

/// The auditor's journal: Chinese columns, each entry in words (account, role, action,
/// object, result), filtered by date, account, kind of action and object with the total, and
/// the same rows downloaded; a bad filter is refused by field.
async fn the_journal_reads_in_plain_columns_with_filters(app: TestApp) {
    // A refusal to journal: the Tencent secretary asks for Meituan's branch.
    let meituan = app.org_id("美团骑手流动党支部（南山科技园站）").await;
    app.login("tencent.secretary").await;
    assert_eq!(app.get(&format!("/meetings?org={meituan}")).await.status, StatusCode::FORBIDDEN);
    app.login("auditor").await;
    let page = app.get("/journal").await;
    assert_eq!(page.status, StatusCode::OK);
    let head = page.body.split("id=\"journal\"").nth(1).unwrap().split("</thead>").next().unwrap().to_owned();
    for column in ["时间", "账号", "角色", "操作", "对象", "结果"] {
        assert!(head.contains(&format!("<th>{column}</th>")), "{column}: {head}");
    }
    let all = app.store.journal_page(&Default::default(), 1, 1).await.unwrap().total;
    assert!(page.body.contains(&format!("共 {all} 条")), "the total: {all}");
    // By account: only hers, in words, the refusal marked.
    let hers = app.get("/journal?actor=tencent.secretary").await;
    let rows = hers.body.split("<tbody>").nth(1).unwrap().split("</tbody>").next().unwrap().to_owned();
    assert!(rows.matches("<tr>").count() >= 1, "{rows}");
    assert_eq!(rows.matches("<tr>").count(), rows.matches(">tencent.secretary</td>").count(), "{rows}");
    assert!(rows.contains("书记") && rows.contains("越权访问") && rows.contains("已拒绝"), "{rows}");
    assert!(!rows.contains("GET /"), "the route is not shown raw: {rows}");
    // By kind of action: refusals only; commands only (the demo loaded by the command line).
    let refused = app.get("/journal?verb=refused").await;
    assert!(!refused.body.contains("已完成"), "{}", refused.body);
    let commands = app.get("/journal?verb=command&entity=organization").await;
    let rows = commands.body.split("<tbody>").nth(1).unwrap().split("</tbody>").next().unwrap().to_owned();
    assert!(rows.contains("系统命令") && rows.contains("党组织 中共深圳市委互联网企业工作委员会"), "{rows}");
    assert!(!rows.contains("越权访问") && !rows.contains(">人员"), "{rows}");
    // By date: nothing before the demo was loaded; everything up to today.
    let old = app.get("/journal?from=2001-01-01&to=2001-12-31").await;
    assert!(old.body.contains("共 0 条"), "{}", old.body);
    let today = now().to_zoned(jiff::tz::TimeZone::fixed(jiff::tz::offset(8))).date();
    let upto = app.get(&format!("/journal?to={}", today.tomorrow().unwrap())).await;
    assert!(upto.body.contains(&format!(
        "共 {} 条",
        app.store.journal_page(&Default::default(), 1, 1).await.unwrap().total
    )));
    // A bad filter names the field; nothing is listed.
    let bad = app.get("/journal?from=2026-02-30&verb=erase").await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("aria-invalid=\"true\"") && bad.body.contains("class=\"err\""), "{}", bad.body);
    assert_eq!(app.get("/api/v1/journal?verb=erase").await.status, StatusCode::UNPROCESSABLE_ENTITY);
    // The download holds the same rows with the route recorded.
    let csv = app.get("/journal?actor=tencent.secretary&format=csv").await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(
        csv.body.starts_with("\u{feff}时间,账号,角色,操作,对象,结果")
            || csv.body.starts_with("时间,账号,角色,操作,对象,结果"),
        "{}",
        csv.body
    );
    assert!(
        csv.body.lines().skip(1).all(|l| l.contains(",tencent.secretary,"))
            && csv.body.contains("GET /meetings"),
        "{}",
        csv.body
    );
    let xlsx = app.get_bytes("/journal?actor=tencent.secretary&format=xlsx").await;
    assert!(xlsx.starts_with(b"PK"), "an xlsx file");
    // The API twin reads the same filter and words.
    let api = app.get("/api/v1/journal?actor=tencent.secretary&verb=refused").await;
    let latest = api.json()["latest"].as_array().unwrap().clone();
    assert!(
        !latest.is_empty()
            && latest.iter().all(|l| l["result"] == "已拒绝" && l["actor"] == "tencent.secretary")
    );
}

async fn an_org_admin_adds_accounts_only_in_her_scope(app: TestApp) {
    let meituan = app.org_id("中共美团（深圳）公司委员会").await;
    app.login("tencent.admin").await;
    let list = app.get("/admin/users").await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(
        list.body.contains("tencent.secretary") && !list.body.contains("meituan.secretary"),
        "only her scope's accounts"
    );
    let branch = app
        .get("/api/v1/organizations")
        .await
        .json()
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["name"] == "腾讯数据平台部第一党支部")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let r = app
        .post_form(
            "/admin/users",
            &format!(
                "username=zhao.first&display_name={}&role=secretary&org_id={branch}",
                enc("第一支部书记")
            ),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let one_time = r.body.split("id=\"one-time\">").nth(1).unwrap().split('<').next().unwrap().to_owned();
    assert!(one_time.len() >= 16);
    // Not outside her subtree, and not a deployment-wide role.
    assert_eq!(
        app.post_form("/admin/users", &format!("username=x.meituan&role=secretary&org_id={meituan}"))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.post_form("/admin/users", "username=x.root&role=system_admin&org_id=").await.status,
        StatusCode::FORBIDDEN
    );
    let taken =
        app.post_form("/admin/users", &format!("username=zhao.first&role=secretary&org_id={branch}")).await;
    assert_eq!(taken.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(taken.body.contains("该账号名已被使用"));
    // A system administrator (who may not see full numbers) cannot create an organisation
    // administrator (who may), nor an auditor.
    app.login("admin").await;
    let tencent = app.org_id("中共腾讯公司委员会").await;
    let r =
        app.post_form("/admin/users", &format!("username=x.orgadmin&role=org_admin&org_id={tencent}")).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("id=\"role-err\""));
    assert_eq!(
        app.post_form("/admin/users", "username=x.audit&role=auditor&org_id=").await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    // The new secretary signs in with the one-time password and must change it.
    app.logout_locally();
    let r = app.post_form("/login", &format!("username=zhao.first&password={}", enc(&one_time))).await;
    assert_eq!(r.headers.get(header::LOCATION).unwrap(), "/account/password");
}

/// Every route × every role × (own organisation, a descendant, a sibling, an ancestor,
/// no grant at all): allowed exactly when the role carries the route's permission and
/// the target lies in the granted subtree. The routes come from the permission table the
/// server enforces; a route missing from it is refused to everyone.
#[tokio::test]
async fn the_access_matrix_holds_for_every_route_role_and_scope() {
    use pioneer_domain::accounts::access::Role;
    use pioneer_web::auth::routes::{Need, ROUTES};
    let Some(app) = TestApp::new(Backend::Sqlite).await else { return };
    let own = app.org_id("中共腾讯技术工程事业群委员会").await;
    let places = [
        ("own", own.clone()),
        ("descendant", app.org_id("腾讯数据平台部党总支").await),
        ("sibling", app.org_id("中共腾讯微信事业群委员会").await),
        ("ancestor", app.org_id("中共腾讯公司委员会").await),
    ];
    // One person in each place.
    let mut person_in = std::collections::HashMap::new();
    for (i, (_, org)) in places.iter().enumerate() {
        let id = pioneer_domain::people::id_card::IdCardNumber::compose(
            440305,
            jiff::civil::date(1990, 1, 1),
            100 + i as u32,
        );
        let r = app.api(Method::POST, "/api/v1/people", json!({"name": "矩阵", "id_card": id.as_str(), "ethnicity": "汉族",
            "education": "bachelor", "worker_category": "platform_staff", "status": "non_member", "org_id": org})).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        person_in.insert(org.clone(), r.json()["id"].as_str().unwrap().to_owned());
    }
    // A dossier for each of them, with a notice running (for the public objection form).
    let mut dossier_in = std::collections::HashMap::new();
    let (mut notice_in, mut objection_in) =
        (std::collections::HashMap::new(), std::collections::HashMap::new());
    for (org, person) in &person_in {
        let act = pioneer_store::Act::new("test", "matrix", now());
        let d = app.store.open_dossier(uuid::Uuid::parse_str(person).unwrap(), &act).await.unwrap();
        let notice = pioneer_store::development::dossiers::NewEvent {
            kind: pioneer_domain::development::dossier::Kind::PublicNotice,
            on: pioneer_web::clock::Clock::today(&app.clock),
            fields: vec![
                (
                    pioneer_domain::development::dossier::Key::Point,
                    pioneer_domain::development::dossier::Value::Code("target"),
                ),
                (
                    pioneer_domain::development::dossier::Key::WorkingDays,
                    pioneer_domain::development::dossier::Value::Int(5),
                ),
            ],
            corrects: None,
            backfill: false,
        };
        app.store.record_event(d, notice, pioneer_web::clock::Clock::today(&app.clock), &act).await.unwrap();
        dossier_in.insert(org.clone(), d.to_string());
        // The notice's public reference, and an objection to it waiting to be decided.
        let seq = app.store.dossier(d).await.unwrap().dossier.events.last().unwrap().seq;
        notice_in.insert(org.clone(), app.store.notice_code(d, seq));
        let input = pioneer_domain::development::objections::ObjectionInput {
            name: "矩阵".into(),
            phone: "13800138000".into(),
            text: "异议".into(),
        };
        let x = app.store.receive_objection(d, seq, &input.parse().unwrap(), &act).await.unwrap();
        objection_in.insert(org.clone(), x.to_string());
    }
    // An application sent online by a second person of each place, waiting.
    let mut application_in = std::collections::HashMap::new();
    for (i, (_, org)) in places.iter().enumerate() {
        let id = pioneer_domain::people::id_card::IdCardNumber::compose(
            440305,
            jiff::civil::date(1991, 1, 1),
            200 + i as u32,
        );
        let r = app.api(Method::POST, "/api/v1/people", json!({"name": "申请", "id_card": id.as_str(), "ethnicity": "汉族",
            "education": "bachelor", "worker_category": "platform_staff", "status": "non_member", "org_id": org})).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let person = uuid::Uuid::parse_str(r.json()["id"].as_str().unwrap()).unwrap();
        let letter = pioneer_domain::development::application::parse(
            "我志愿加入中国共产党，拥护党的纲领，遵守党的章程。",
            b"%PDF-1.4",
        )
        .unwrap();
        let act = pioneer_store::Act::new("test", "matrix", now());
        let a = app
            .store
            .submit_application(person, &letter, pioneer_web::clock::Clock::today(&app.clock), &act)
            .await
            .unwrap();
        application_in.insert(org.clone(), a.to_string());
    }
    // A training class and a one-to-one contact in each place.
    let tencent = app.store.org(uuid::Uuid::parse_str(&own).unwrap()).await.unwrap();
    let tenant_path = format!("/{}/", tencent.path.split('/').nth(1).unwrap());
    let member = app
        .store
        .member_choices(&tenant_path, 50)
        .await
        .unwrap()
        .into_iter()
        .find(|m| m.2 == "full_member")
        .unwrap()
        .0;
    let mut class_in = std::collections::HashMap::new();
    let mut link_in = std::collections::HashMap::new();
    for (org, person) in &person_in {
        let act = pioneer_store::Act::new("test", "matrix", now());
        let class = pioneer_domain::development::training::TrainingClass::parse(
            &pioneer_domain::development::training::ClassInput {
                kind: "target".into(),
                title: "矩阵培训班".into(),
                starts_on: "2026-06-01".into(),
                ends_on: "2026-06-03".into(),
                days: "3".into(),
                hours: "24".into(),
            },
        )
        .unwrap();
        let k = app.store.create_class(uuid::Uuid::parse_str(org).unwrap(), &class, &act).await.unwrap();
        class_in.insert(org.clone(), k.to_string());
        let since = pioneer_web::clock::Clock::today(&app.clock);
        let l = app
            .store
            .assign_contact(uuid::Uuid::parse_str(person).unwrap(), member, 30, since, &act)
            .await
            .unwrap();
        link_in.insert(org.clone(), l.to_string());
    }
    // A quiz, a course and a care redemption in each place.
    let mut quiz_in = std::collections::HashMap::new();
    let mut course_in = std::collections::HashMap::new();
    let mut reflection_in = std::collections::HashMap::new();
    let mut redemption_in = std::collections::HashMap::new();
    let mut image_in = std::collections::HashMap::new();
    for (org, person) in &person_in {
        let act = pioneer_store::Act::new("test", "matrix", now());
        let org_id = uuid::Uuid::parse_str(org).unwrap();
        let window = pioneer_domain::study::quiz::QuizWindow {
            opens_at: 0,
            closes_at: i64::MAX / 2,
            time_limit_s: 600,
            attempts: 1,
        };
        let quiz = pioneer_store::study::quiz::NewQuiz {
            title: "矩阵测试".into(),
            plan: vec![("党史".into(), 1)],
            window,
        };
        quiz_in.insert(org.clone(), app.store.publish_quiz(org_id, &quiz, &act).await.unwrap().to_string());
        let course = pioneer_domain::study::courses::CourseFields::parse(
            &pioneer_domain::study::courses::CourseInput {
                series: "s".into(),
                column: "c".into(),
                title: "t".into(),
                items: "x".into(),
            },
        )
        .unwrap();
        let today = pioneer_web::clock::Clock::today(&app.clock);
        let course = app.store.publish_course(org_id, &course, today, &act).await.unwrap();
        course_in.insert(org.clone(), course.to_string());
        let p = uuid::Uuid::parse_str(person).unwrap();
        // A reflection on it by this place's person, waiting for a decision.
        let place = app.store.org(org_id).await.unwrap();
        let record = app.store.course(course).await.unwrap();
        let written = app
            .store
            .write_reflection(&record, p, &place.path, "矩阵心得体会十个字以上", &act)
            .await
            .unwrap();
        reflection_in.insert(org.clone(), written.to_string());
        let rule = pioneer_domain::care::ledger::CreditRules::default().volunteer;
        for key in ["matrix-earn-1", "matrix-earn-2"] {
            app.store
                .credit(p, key, &pioneer_store::care::credits::CreditRequest::Earn(rule), today, &act)
                .await
                .unwrap();
        }
        // A benefit this place offers, redeemed by its member (its admin fulfils it).
        let offer = pioneer_store::care::credits::NewCareBenefit {
            name: "矩阵礼包",
            cost: 1,
            stock: 10,
            price: 0,
            budget: 0,
        };
        let offered = app.store.create_benefit(org_id, &offer, &act).await.unwrap();
        app.store
            .credit(
                p,
                "matrix-redeem",
                &pioneer_store::care::credits::CreditRequest::Redeem(offered),
                today,
                &act,
            )
            .await
            .unwrap();
        let r = app.store.redemptions_of(p).await.unwrap()[0].id;
        redemption_in.insert(org.clone(), r.to_string());
        let image = app.store.save_image(org_id, b"GIF89a-matrix", &act).await.unwrap();
        image_in.insert(org.clone(), image.to_string());
    }
    // Volunteer service in each place: a published campaign, a team of it staffing a
    // request with one shift to come, and a donation.
    let mut service_in: std::collections::HashMap<String, [String; 5]> = std::collections::HashMap::new();
    for org in person_in.keys() {
        use pioneer_domain::service as sv;
        let act = pioneer_store::Act::new("test", "matrix", now());
        let org_id = uuid::Uuid::parse_str(org).unwrap();
        let campaign = sv::donations::CampaignFields::parse(&sv::donations::CampaignInput {
            name: "矩阵行动".into(),
            starts_on: "2026-01-01".into(),
            ..Default::default()
        })
        .unwrap();
        let campaign = app.store.create_campaign(org_id, &campaign, &act).await.unwrap();
        app.store.publish_campaign(campaign, true, &act).await.unwrap();
        let team = sv::teams::TeamFields::parse(&sv::teams::TeamInput {
            name: "矩阵服务队".into(),
            kind: "delivery_team".into(),
            districts: "南山区".into(),
            ..Default::default()
        })
        .unwrap();
        let links = pioneer_store::service::teams::TeamLinks { leader: None, campaign: Some(campaign) };
        let team = app.store.create_team(org_id, &team, links, &act).await.unwrap();
        let request = sv::requests::RequestFields::parse(&sv::requests::RequestInput {
            requester: "矩阵社区".into(),
            requester_kind: "community".into(),
            contact_name: "李".into(),
            contact_phone: "13912345678".into(),
            kind: "meal_delivery".into(),
            address: "桃源街道".into(),
            district: "南山区".into(),
            starts_at: "2030-01-01T08:00".into(),
            ends_at: "2030-01-01T20:00".into(),
            quantity: "10".into(),
            urgency: "normal".into(),
            ..Default::default()
        })
        .unwrap();
        let links =
            pioneer_store::service::requests::RequestLinks { team: Some(team), campaign: Some(campaign) };
        let request = app.store.create_request(org_id, &request, links, &act).await.unwrap();
        let shift = sv::shifts::ShiftFields::parse(&sv::shifts::ShiftInput {
            starts_at: "2030-01-01T08:00".into(),
            ends_at: "2030-01-01T12:00".into(),
            capacity: "3".into(),
            task: "送餐".into(),
        })
        .unwrap();
        let shift = app.store.add_shift(request, &shift, &act).await.unwrap();
        let gift = sv::donations::DonationFields::parse(&sv::donations::DonationInput {
            donor: "矩阵企业".into(),
            kind: "goods".into(),
            item: "口罩".into(),
            unit: "箱".into(),
            quantity: "10".into(),
            received_on: "2026-01-02".into(),
        })
        .unwrap();
        let donation = app.store.record_donation(org_id, Some(campaign), &gift, &act).await.unwrap();
        service_in.insert(org.clone(), [team, request, shift, campaign, donation].map(|id| id.to_string()));
    }
    // The city side in each place: a member's badge (with its public code) and a citizen's
    // praise of it, a directory entry, a map place, a published article with its image, and
    // a citizen's offer in the place's team queue.
    let committee = app.store.org(uuid::Uuid::parse_str(&own).unwrap()).await.unwrap().tenant_id.to_string();
    let mut city_in: std::collections::HashMap<String, [String; 8]> = std::collections::HashMap::new();
    let mut house_in: std::collections::HashMap<String, [String; 3]> = std::collections::HashMap::new();
    for (i, (org, _)) in person_in.iter().enumerate() {
        use pioneer_domain::city;
        let act = pioneer_store::Act::new("test", "matrix", now());
        let org_id = uuid::Uuid::parse_str(org).unwrap();
        let today = pioneer_web::clock::Clock::today(&app.clock);
        let id = pioneer_domain::people::id_card::IdCardNumber::compose(
            440305,
            jiff::civil::date(1988, 1, 1),
            300 + i as u32,
        );
        let r = app.api(Method::POST, "/api/v1/people", json!({"name": "矩阵党员", "id_card": id.as_str(), "ethnicity": "汉族",
            "education": "bachelor", "worker_category": "rider", "status": "full_member", "admitted_on": "2015-07-01",
            "full_member_on": "2016-07-01", "org_id": org})).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let member = uuid::Uuid::parse_str(r.json()["id"].as_str().unwrap()).unwrap();
        let badge = city::badges::BadgeFields::parse(
            &city::badges::BadgeInput {
                kind: "badge".into(),
                number: format!("JZ-{i}"),
                ..Default::default()
            },
            today,
        )
        .unwrap();
        let badge = app.store.issue_badge(member, &badge, &act).await.unwrap();
        let tenant = app.store.org(org_id).await.unwrap().tenant_id;
        let code = pioneer_store::city::codes::encode(app.store.vault(), tenant, badge);
        let praise = city::badges::FeedbackFields::parse(&city::badges::FeedbackInput {
            kind: "praise".into(),
            body: "热心".into(),
            ..Default::default()
        })
        .unwrap();
        let feedback = app.store.receive_feedback(tenant, badge, &praise, &act).await.unwrap();
        let entry = city::directory::EntryFields::parse(
            &city::directory::EntryInput {
                name: "矩阵驿站".into(),
                category: "station".into(),
                district: "南山区".into(),
                phone: "12345".into(),
                ..Default::default()
            },
            today,
        )
        .unwrap();
        let entry = app.store.create_entry(org_id, &entry, &act).await.unwrap();
        let place = city::places::PlaceFields::parse(
            &city::places::PlaceInput {
                name: "矩阵地点".into(),
                kind: "station".into(),
                lat: "22.54".into(),
                lng: "113.95".into(),
                district: "南山区".into(),
                ..Default::default()
            },
            &city::geo::Bounds::SHENZHEN,
        )
        .unwrap();
        let place = app.store.create_place(org_id, &place, &act).await.unwrap();
        let image = app.store.save_image(org_id, b"GIF89a-matrix-news", &act).await.unwrap();
        let article = city::portal::ArticleFields::parse(&city::portal::ArticleInput {
            title: "矩阵新闻".into(),
            column: "工作动态".into(),
            body: "正文".into(),
            ..Default::default()
        })
        .unwrap();
        let article = app.store.create_article(org_id, &article, Some(image), &act).await.unwrap();
        app.store.publish_article(article, true, &act).await.unwrap();
        let offer = city::portal::CitizenSignupFields::parse(&city::portal::CitizenSignupInput {
            name: "矩阵市民".into(),
            phone: "13912345678".into(),
            ..Default::default()
        })
        .unwrap();
        let team = uuid::Uuid::parse_str(&service_in[org][0]).unwrap();
        let offer = app.store.receive_citizen_signup(tenant, team, &offer, &act).await.unwrap();
        // Branch housekeeping: a dues payment, an officer's post, a staff-list to-do.
        let profile = pioneer_domain::dues::amount::DuesBase {
            from: pioneer_domain::dues::Month::new(2026, 11),
            base: pioneer_domain::dues::amount::BaseKind::Wage,
            base_fen: 500_000,
            fixed: None,
            fixed_fen: None,
            relief: None,
            relief_fen: None,
            decision: None,
            decision_on: None,
            quarterly: false,
        };
        app.store.set_dues_profile(member, &profile, &act).await.unwrap();
        let paid = pioneer_domain::dues::payment::PaymentFields {
            month: profile.from,
            amount_fen: None,
            extra_fen: 0,
            method: pioneer_domain::dues::payment::Method::Cash,
            paid_on: today,
        };
        let payment = app.store.record_dues_payment(member, &paid, None, &act).await.unwrap();
        let officer = app
            .store
            .appoint_officer(
                org_id,
                member,
                pioneer_domain::orgs::officers::OfficerPost::CommitteeMember,
                today,
                &act,
            )
            .await
            .unwrap();
        let org_record = app.store.org(org_id).await.unwrap();
        let staff = pioneer_domain::people::staff_list::StaffRow {
            employee_no: format!("JZ{i}"),
            name: "矩阵员工".into(),
            id_card: pioneer_domain::people::id_card::IdCardNumber::compose(
                440306,
                jiff::civil::date(1990, 1, 1),
                400 + i as u32,
            ),
            department: "运营".into(),
            post: None,
            key_post: false,
            hired_on: None,
            left_on: None,
            says_member: true,
        };
        let until = jiff::civil::date(2030, 1, 1);
        let sha = format!("matrix-{i}");
        let how = pioneer_store::people::staff_list::StaffImport {
            sha: &sha,
            keep_until: until,
            apply: true,
            today,
        };
        app.store.import_staff_list(&org_record, &[staff], &how, &act).await.unwrap();
        let todo = app.store.staff_todos(&org_record, true, 100).await.unwrap()[0].id;
        house_in.insert(org.clone(), [payment, officer, todo].map(|id| id.to_string()));
        city_in.insert(
            org.clone(),
            [badge, feedback, entry, place, article, image, offer]
                .map(|id| id.to_string())
                .into_iter()
                .chain([code])
                .collect::<Vec<_>>()
                .try_into()
                .unwrap(),
        );
    }
    // An account per role, granted on `own`, and one without any grant.
    let hash = pioneer_web::auth::password::hash(PW.to_owned()).await;
    let own_id = uuid::Uuid::parse_str(&own).unwrap();
    let mut accounts: Vec<(String, Option<Role>)> = Vec::new();
    for role in Role::ALL {
        let name = format!("m.{}", role.code());
        let grants = [(role, Some(own_id))];
        let new = pioneer_store::accounts::NewUser {
            username: &name,
            display_name: &name,
            password_hash: &hash,
            must_change_password: false,
            grants: &grants,
            person_id: None,
        };
        app.store.create_user(&new, &pioneer_store::Act::new("test", "matrix", now())).await.unwrap();
        accounts.push((name, Some(role)));
    }
    let new = pioneer_store::accounts::NewUser {
        username: "m.none",
        display_name: "m.none",
        password_hash: &hash,
        must_change_password: false,
        grants: &[],
        person_id: None,
    };
    app.store.create_user(&new, &pioneer_store::Act::new("test", "matrix", now())).await.unwrap();
    accounts.push(("m.none".into(), None));

    let mut cases = 0;
    let mut unexpected = Vec::new();
    for (method, route, need) in ROUTES {
        if *route == "/login" || *route == "/logout" {
            continue; // these change the session itself; covered by the sign-in tests
        }
        // The member's own quiz and study pages follow the person, not a grant.
        let own_only = route.starts_with("/quiz/")
            || route.starts_with("/study/")
            || route.starts_with("/api/v1/quizzes/")
            || route.starts_with("/api/v1/courses/")
            || route.starts_with("/api/v1/me/service/")
            || route.starts_with("/me/dues/receipts/")
            || (route.starts_with("/service/shifts/")
                && (route.ends_with("/signup")
                    || route.ends_with("/check-in")
                    || route.ends_with("/check-out")));
        // The city side's organiser routes and branch housekeeping's name their organisation
        // with `?org=`.
        let city_org = matches!(
            *route,
            "/dues"
                | "/dues/profiles"
                | "/dues/payments"
                | "/dues/excusals"
                | "/dues/remittances"
                | "/api/v1/dues"
                | "/api/v1/dues/profiles"
                | "/api/v1/dues/payments"
                | "/api/v1/dues/excusals"
                | "/api/v1/dues/remittances"
                | "/terms"
                | "/api/v1/terms"
                | "/staff"
                | "/staff/import"
                | "/staff/settings"
                | "/api/v1/staff"
                | "/api/v1/staff/import"
                | "/api/v1/staff/settings"
                | "/city/badges"
                | "/city/badges/sheet"
                | "/city/directory"
                | "/city/directory/import"
                | "/city/directory/export"
                | "/city/map"
                | "/city/places"
                | "/city/districts"
                | "/city/portal"
                | "/city/portal/settings"
                | "/city/portal/articles"
                | "/api/v1/badges"
                | "/api/v1/badge-feedback"
                | "/api/v1/directory"
                | "/api/v1/directory/import"
                | "/api/v1/places"
                | "/api/v1/districts"
                | "/api/v1/portal/settings"
                | "/api/v1/portal/articles"
        );
        // What only an account managing the whole committee (its top organisation) may do:
        // no account here is granted there.
        let committee_only = route.starts_with("/city/portal")
            || route.starts_with("/api/v1/portal/settings")
            || route.starts_with("/api/v1/portal/articles")
            || route.ends_with("/districts");
        let targeted = city_org
            || route.contains("{id}") && !own_only
            || matches!(
                *route,
                "/orgs/new"
                    | "/people/new"
                    | "/people"
                    | "/api/v1/people"
                    | "/orgs"
                    | "/api/v1/organizations"
                    | "/dossiers"
                    | "/api/v1/dossiers"
                    | "/rules/settings"
                    | "/training"
                    | "/contacts"
                    | "/dossiers/import"
                    | "/api/v1/dossiers/import"
                    | "/api/v1/people/import"
                    | "/meetings"
                    | "/meetings/settings"
                    | "/admin/quiz"
                    | "/admin/quiz/questions"
                    | "/admin/study"
                    | "/admin/care/benefits"
                    | "/admin/care/rules"
                    | "/admin/care/volunteer"
                    | "/api/v1/care/benefits"
                    | "/api/v1/meetings"
                    | "/api/v1/training"
                    | "/api/v1/contacts"
                    | "/people/import"
                    | "/service/teams"
                    | "/service/requests"
                    | "/service/campaigns"
                    | "/api/v1/service/teams"
                    | "/api/v1/service/requests"
                    | "/api/v1/service/campaigns"
            ) && *method == "POST"
            || matches!(
                *route,
                "/orgs/new"
                    | "/people/new"
                    | "/people"
                    | "/api/v1/people"
                    | "/dossiers"
                    | "/filings"
                    | "/screening"
                    | "/rules/settings"
                    | "/api/v1/dossiers"
                    | "/api/v1/work-queue"
                    | "/api/v1/screening"
                    | "/training"
                    | "/contacts"
                    | "/dossiers/import"
                    | "/meetings"
                    | "/admin/quiz"
                    | "/admin/study"
                    | "/admin/care"
                    | "/objections"
                    | "/api/v1/objections"
                    | "/api/v1/applications"
                    | "/api/v1/reflections"
                    | "/api/v1/care"
                    | "/api/v1/meetings"
                    | "/api/v1/people/roster"
                    | "/api/v1/training"
                    | "/api/v1/contacts"
                    | "/api/v1/filings"
                    | "/stats"
                    | "/stats/people"
                    | "/api/v1/stats"
                    | "/stats.xlsx"
                    | "/stats/annual.xlsx"
                    | "/people/roster"
                    | "/people/import"
                    | "/service/admin"
                    | "/api/v1/service"
            ) && *method == "GET";
        for (user, role) in &accounts {
            app.clock.advance_minutes(1); // stay under the per-address sign-in limit
            app.login(user).await;
            let scopes: Vec<&(&str, String)> =
                if targeted { places.iter().collect() } else { places.iter().take(1).collect() };
            for (scope, org) in scopes {
                let (mut uri, body, json_body) = request_for(
                    method,
                    route,
                    org,
                    &person_in[org],
                    &dossier_in[org],
                    &class_in[org],
                    &link_in[org],
                );
                // Quizzes, courses and redemptions of this place.
                for (prefix, ids) in [
                    ("/quiz/", &quiz_in),
                    ("/admin/quiz/", &quiz_in),
                    ("/study/", &course_in),
                    ("/admin/study/", &course_in),
                    ("/admin/care/redemptions/", &redemption_in),
                    ("/objections/", &objection_in),
                    ("/images/", &image_in),
                    ("/api/v1/quizzes/", &quiz_in),
                    ("/api/v1/courses/", &course_in),
                    ("/api/v1/care/redemptions/", &redemption_in),
                    ("/api/v1/objections/", &objection_in),
                    ("/applications/", &application_in),
                    ("/reflections/", &reflection_in),
                    ("/api/v1/reflections/", &reflection_in),
                    ("/api/v1/applications/", &application_in),
                ] {
                    if route.starts_with(prefix) && route.contains("{id}") {
                        uri = uri.replacen(org.as_str(), &ids[org], 1);
                    }
                }
                // Teams, requests, shifts, campaigns and donations of this place.
                for (i, kind) in
                    ["/teams/", "/requests/", "/shifts/", "/campaigns/", "/donations/"].iter().enumerate()
                {
                    let service = route.starts_with("/service/")
                        || route.starts_with("/api/v1/service/")
                        || route.starts_with("/api/v1/me/service/")
                        || route.starts_with("/campaigns/")
                        || route.starts_with("/api/v1/campaigns/");
                    if service && route.contains(&format!("{kind}{{id}}")) {
                        uri = uri.replacen(org.as_str(), &service_in[org][i], 1);
                    }
                }
                uri = uri.replace("{notice}", &notice_in[org]);
                // The city side's records of this place, the committee's portal, a code.
                if route.contains("{t}") {
                    uri = uri.replace("{t}", &committee);
                }
                for (prefix, i) in [
                    ("/city/badges/", 0),
                    ("/api/v1/badges/", 0),
                    ("/city/feedback/", 1),
                    ("/api/v1/badge-feedback/", 1),
                    ("/city/directory/", 2),
                    ("/api/v1/directory/", 2),
                    ("/portal/{t}/places/", 3),
                    ("/city/portal/articles/", 4),
                    ("/api/v1/portal/articles/", 4),
                    ("/portal/{t}/news/", 4),
                    ("/api/v1/portal/{t}/news/", 4),
                    ("/portal/{t}/images/", 5),
                    ("/service/citizens/", 6),
                    ("/api/v1/service/citizens/", 6),
                ] {
                    if route.starts_with(prefix) && route.contains("{id}") {
                        uri = uri.replacen(org.as_str(), &city_in[org][i], 1);
                    }
                }
                for (prefix, i) in [
                    ("/dues/receipts/", 0),
                    ("/orgs/officers/", 1),
                    ("/api/v1/officers/", 1),
                    ("/staff/todos/", 2),
                    ("/api/v1/staff/todos/", 2),
                ] {
                    if route.starts_with(prefix) && route.contains("{id}") {
                        uri = uri.replacen(org.as_str(), &house_in[org][i], 1);
                    }
                }
                uri = uri.replace("{tenant}", &committee);
                if route.starts_with("/v/") || route.starts_with("/api/v1/verify/") {
                    uri = route.replace("{code}", &city_in[org][7]);
                }
                if city_org {
                    uri.push_str(&format!("?org={org}"));
                }
                if route.starts_with("/admin/") && !matches!(*route, "/admin/users" | "/admin/calendar") {
                    uri.push_str(&format!("?org={org}"));
                }
                if *route == "/meetings/settings" {
                    uri.push_str(&format!("?org={org}"));
                }
                let r = if json_body {
                    let m = Method::from_bytes(method.as_bytes()).unwrap();
                    if m == Method::GET {
                        app.get(&uri).await
                    } else {
                        app.api(m, &uri, body.parse().unwrap()).await
                    }
                } else if *method == "GET" {
                    app.get(&uri).await
                } else {
                    app.post_form(&uri, &body).await
                };
                let location = r.headers.get(header::LOCATION).and_then(|v| v.to_str().ok()).unwrap_or("");
                let allowed = !matches!(r.status, StatusCode::FORBIDDEN | StatusCode::UNAUTHORIZED)
                    && !location.starts_with("/login");
                assert!(
                    r.status != StatusCode::NOT_FOUND && r.status != StatusCode::METHOD_NOT_ALLOWED,
                    "{method} {uri}: the route does not exist"
                );
                let in_scope = matches!(*scope, "own" | "descendant");
                let manages_service = role.is_some_and(|r| {
                    intended(r).contains(&pioneer_domain::accounts::access::Permission::ManageService)
                });
                let expected = match need {
                    Need::Public | Need::Login => true,
                    Need::Perm(_) if committee_only => false,
                    // A team's own routes admit its leader (none here) and managers in scope:
                    // a self-service account that leads nothing is refused.
                    Need::Either(pioneer_domain::accounts::access::Permission::ManageService, _) => {
                        manages_service && in_scope
                    }
                    // A campaign's board is read by the organisations below its organiser too.
                    Need::Perm(_) if *method == "GET" && route.contains("/service/campaigns/{id}") => {
                        manages_service && matches!(*scope, "own" | "descendant" | "ancestor")
                    }
                    // The calendar is deployment-wide: no grant on an organisation reaches it.
                    Need::Perm(_) if *route == "/admin/calendar" => false,
                    Need::Perm(p) => role.is_some_and(|r| intended(r).contains(p)) && (!targeted || in_scope),
                    Need::Either(a, b) => {
                        role.is_some_and(|r| intended(r).contains(a) || intended(r).contains(b))
                            && (!targeted || in_scope)
                    }
                };
                cases += 1;
                if allowed != expected {
                    unexpected.push(format!(
                        "{method} {uri} as {user} ({scope}): {} (expected {})",
                        r.status,
                        if expected { "allow" } else { "deny" }
                    ));
                }
            }
        }
    }
    app.login("admin").await;
    eprintln!(
        "access matrix: {cases} cases ({} routes × {} accounts × up to 4 places), {} unexpected",
        ROUTES.len(),
        accounts.len(),
        unexpected.len()
    );
    assert!(unexpected.is_empty(), "{}", unexpected.join("\n"));
    assert!(cases > 500);
}

/// What each role is meant to do, written out here independently of the server's table,
/// so a change to either shows up as a difference.
fn intended(
    role: pioneer_domain::accounts::access::Role,
) -> &'static [pioneer_domain::accounts::access::Permission] {
    use pioneer_domain::accounts::access::Permission::*;
    use pioneer_domain::accounts::access::Role;
    match role {
        Role::SystemAdmin => &[ReadOrgs, WriteOrgs, ManageUsers, ManageRules],
        Role::SecurityAdmin => &[GrantRoles],
        Role::OrgAdmin => &[
            ReadOrgs,
            WriteOrgs,
            ReadPeople,
            WritePeople,
            Unmask,
            ManageUsers,
            GrantRoles,
            ReadDossiers,
            WriteDossiers,
            ManageRules,
            ManageMeetings,
            ManageStudy,
            ManageCare,
            ManageService,
        ],
        Role::Organiser => &[
            ReadOrgs,
            ReadPeople,
            WritePeople,
            Unmask,
            ReadDossiers,
            WriteDossiers,
            ManageMeetings,
            ManageStudy,
            ManageService,
        ],
        Role::Secretary => &[
            ReadOrgs,
            ReadPeople,
            WritePeople,
            ReadDossiers,
            WriteDossiers,
            ManageMeetings,
            ManageStudy,
            ManageService,
        ],
        Role::Member | Role::Applicant => &[ReadSelf, WriteSelf],
        Role::Auditor => &[ReadJournal],
    }
}

/// The request that exercises `route` on `org` (and the person in it): a URI, a body, and
/// whether the body is JSON. Bodies are invalid on purpose: an allowed request is refused
/// by validation (422), a denied one by access control (403), and nothing is changed.
fn request_for(
    method: &str,
    route: &str,
    org: &str,
    person: &str,
    dossier: &str,
    class: &str,
    link: &str,
) -> (String, String, bool) {
    let id = if route.contains("/people") {
        person
    } else if route.contains("/dossiers/{id}") || route.contains("/notices/{id}") {
        dossier
    } else if route.contains("/training/{id}") {
        class
    } else if route.contains("/contacts/{id}") {
        link
    } else {
        org
    };
    let mut uri = route
        .replace("{id}", id)
        .replace("{code}", "en")
        .replace("{kind}", "talk")
        .replace("{file}", "app.css");
    let json = route.starts_with("/api/");
    if (route.contains("/objections") && !route.starts_with("/api/v1/notices"))
        || route.starts_with("/api/v1/care")
        || (!route.contains("{id}")
            && (route.starts_with("/service/") || route.starts_with("/api/v1/service"))
            && route != "/service/certificate")
    {
        uri.push_str(&format!("?org={org}"));
    }
    if matches!(route, "/rules/settings")
        || (method == "POST"
            && matches!(
                route,
                "/training"
                    | "/contacts"
                    | "/dossiers/import"
                    | "/api/v1/dossiers/import"
                    | "/api/v1/people/import"
                    | "/api/v1/meetings"
                    | "/api/v1/training"
                    | "/api/v1/contacts"
                    | "/meetings"
                    | "/people/import"
            ))
    {
        uri.push_str(&format!("?org={org}"));
    }
    if method == "GET" {
        match route {
            "/orgs/new" => uri.push_str(&format!("?parent={org}")),
            "/people/new"
            | "/people"
            | "/api/v1/people"
            | "/dossiers"
            | "/filings"
            | "/screening"
            | "/api/v1/dossiers"
            | "/api/v1/work-queue"
            | "/api/v1/screening"
            | "/training"
            | "/contacts"
            | "/dossiers/import"
            | "/meetings"
            | "/stats"
            | "/stats/people"
            | "/api/v1/stats"
            | "/stats.xlsx"
            | "/stats/annual.xlsx"
            | "/people/roster"
            | "/people/import"
            | "/api/v1/meetings"
            | "/api/v1/people/roster"
            | "/api/v1/training"
            | "/api/v1/contacts"
            | "/api/v1/applications"
            | "/api/v1/reflections"
            | "/api/v1/filings" => uri.push_str(&format!("?org={org}")),
            _ => {}
        }
        return (uri, String::new(), json);
    }
    let body = match (json, route) {
        (true, "/api/v1/dossiers") => json!({"person_id": person}).to_string(),
        (true, r) if r.ends_with("/submit") => json!({"attempt": person, "answers": []}).to_string(),
        (true, "/api/v1/meetings") => {
            json!({"kind": "", "held_on": "", "topic": "", "minutes": ""}).to_string()
        }
        (true, "/api/v1/training") => {
            json!({"kind": "", "title": "", "starts_on": "", "ends_on": "", "days": "", "hours": ""})
                .to_string()
        }
        (true, "/api/v1/contacts") => {
            json!({"person_id": person, "member_id": person, "cadence_days": ""}).to_string()
        }
        (true, r) if r.ends_with("/attendance") => json!({"person_id": person, "hours": 0}).to_string(),
        (true, r) if r.ends_with("/visits") => json!({"on": "x"}).to_string(),
        (true, "/api/v1/care/benefits") => json!({"name": "", "cost": 0, "stock": 0}).to_string(),
        (true, r) if r.ends_with("/events") => json!({"kind": "", "on": "x"}).to_string(),
        (true, r) if r.ends_with("/publish") => json!({"publish": true}).to_string(),
        (false, r) if r.ends_with("/publish") => "publish=1".to_owned(),
        (false, "/dossiers") => format!("person_id={person}"),
        (false, r) if r.contains("/record/") => "on=nope".to_owned(),
        (false, r) if r.contains("/objection") => "text=".to_owned(),
        (false, "/rules/settings") => "notice_working_days=0".to_owned(),
        (false, "/admin/calendar") => "text=bad".to_owned(),
        (false, r) if r.ends_with("/decline") || r.ends_with("/return") => "reason=".to_owned(),
        (false, r) if r.ends_with("/reflections") => "text=".to_owned(),
        (false, "/training") => "title=".to_owned(),
        (false, r) if r.starts_with("/training/") => "person_id=".to_owned(),
        (false, "/contacts") => "person_id=".to_owned(),
        (false, "/meetings") => "kind=&topic=".to_owned(),
        (false, "/meetings/settings") => "period_general_meeting=weekly".to_owned(),
        (false, r) if r.starts_with("/quiz/") => "attempt=nope".to_owned(),
        (false, r) if r.starts_with("/study/") => String::new(),
        (false, "/admin/quiz") | (false, "/admin/study") => "title=".to_owned(),
        (false, "/admin/quiz/questions") => "kind=".to_owned(),
        (false, "/admin/care/benefits") => "name=&cost=0".to_owned(),
        (false, "/admin/care/rules") => "study_amount=0".to_owned(),
        (false, "/admin/care/volunteer") => "person_id=".to_owned(),
        (false, r) if r.starts_with("/admin/care/redemptions/") => String::new(),
        (false, r) if r.ends_with("/visits") => "on=nope".to_owned(),
        (true, r) if r.ends_with("/move") => json!({"parent_id": id}).to_string(),
        (true, r) if r.ends_with("/close") => json!({"closed_on": "not a date"}).to_string(),
        (true, "/api/v1/organizations") => {
            json!({"parent_id": org, "name": "", "kind": "branch"}).to_string()
        }
        (true, _) => json!({"org_id": org, "name": ""}).to_string(),
        (false, r) if r.ends_with("/move") => format!("parent_id={id}"),
        (false, r) if r.ends_with("/close") => "closed_on=nope".to_owned(),
        (false, "/orgs") => format!("parent_id={org}&name=&kind=branch"),
        (false, "/account/password") => "current=wrong&new=x&again=y".to_owned(),
        (false, "/admin/users") => format!("username=&role=&org_id={org}"),
        (false, _) => format!("org_id={org}&name="),
    };
    (uri, body, json)
}

/// Two new branches, each with its own secretary, both signed in at once: the west
/// branch's organisation and applicant open (page and API) for its own secretary and the
/// administrator, and are refused to the east branch's secretary, whose search does not
/// find the applicant either.
async fn each_secretary_reaches_her_own_branch_and_not_the_other(app: TestApp) {
    let (east, west) = (app.branch("东区党支部").await, app.branch("西区党支部").await);
    let (east_secretary, west_secretary) = (east.secretary().await, west.secretary().await);
    let applicant = west.applicant("西区申请人").await;
    for uri in [
        format!("/orgs/{}", west.id),
        format!("/api/v1/organizations/{}", west.id),
        format!("/people/{}", applicant.id),
        format!("/api/v1/people/{}", applicant.id),
    ] {
        let r = west_secretary.get(&uri).await;
        assert_eq!(r.status, StatusCode::OK, "{uri} as the west branch's secretary");
        assert!(r.body.contains(&west.name), "{uri}: {}", r.body);
        assert_eq!(east_secretary.get(&uri).await.status, StatusCode::FORBIDDEN, "{uri} as the east's");
        assert_eq!(app.get(&uri).await.status, StatusCode::OK, "{uri} as the administrator");
    }
    let search = format!("/api/v1/people?q={}", applicant.id_card);
    assert_eq!(west_secretary.get(&search).await.json()["items"][0]["name"], applicant.name.as_str());
    assert_eq!(east_secretary.get(&search).await.json()["total"], 0);
}

/// The `change` of every `access_denied` entry of `action`, oldest first.
async fn denials_of(app: &TestApp, action: &str) -> Vec<serde_json::Value> {
    let changes: Vec<String> = pioneer_store::on_db!(app.store.db(), pool => {
        sqlx::query_scalar("SELECT change FROM journal WHERE entity = 'access_denied' AND action = $1 ORDER BY at, seq")
            .bind(action)
            .fetch_all(pool)
            .await
            .unwrap()
    });
    changes.iter().map(|c| serde_json::from_str(c).unwrap()).collect()
}

/// A secretary refused 50 times on another branch's page within a minute writes one
/// journal entry, at once; her next refusal a minute later writes one more, carrying the 49
/// folded since; the chains still verify.
async fn repeated_refusals_fold_into_one_entry_a_minute(app: TestApp) {
    let (east, west) = (app.branch("东区党支部").await, app.branch("西区党支部").await);
    let secretary = east.secretary().await;
    let (uri, action) = (format!("/orgs/{}", west.id), "GET /orgs/{id}");
    assert_eq!(secretary.get(&uri).await.status, StatusCode::FORBIDDEN);
    let first = denials_of(&app, action).await;
    assert_eq!(first.len(), 1, "the first refusal is journaled at once: {first:?}");
    assert_eq!(first[0]["repeated"], 0);
    assert_eq!(first[0]["route"], action);
    for _ in 1..50 {
        assert_eq!(secretary.get(&uri).await.status, StatusCode::FORBIDDEN);
    }
    assert_eq!(denials_of(&app, action).await.len(), 1, "the other 49 are only counted");
    // Another route is another key: journaled at once.
    assert_eq!(
        secretary.get(&format!("/api/v1/organizations/{}", west.id)).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(denials_of(&app, "GET /api/v1/organizations/{id}").await.len(), 1);
    app.clock.advance_minutes(1);
    assert_eq!(secretary.get(&uri).await.status, StatusCode::FORBIDDEN);
    let after = denials_of(&app, action).await;
    assert_eq!(after.len(), 2, "{after:?}");
    assert_eq!(after[1]["repeated"], 49);
    assert_eq!(after[1]["permission"], first[0]["permission"]);
    let heads = app.store.journal_heads().await.unwrap();
    assert_eq!(app.store.verify_journal(&heads).await.unwrap().broken, None);
}

/// The header of a page: what `base.html` draws before the main content.
fn header_of(body: &str) -> &str {
    let start = body.find("<header class=\"top\">").unwrap_or_else(|| panic!("no header: {body}"));
    &body[start..start + body[start..].find("</header>").unwrap()]
}

/// A secretary refused another branch's page (403) or asking for an unknown id (404) sees
/// the same header as on every page, her name in it, a link home and, for the 403, whom to
/// ask, in both languages; the API's problem documents are unchanged.
async fn error_pages_keep_the_header_and_say_where_to_go(app: TestApp) {
    let (east, west) = (app.branch("东区党支部").await, app.branch("西区党支部").await);
    let secretary = east.secretary().await;
    let home = secretary.get("/").await;
    let name = home.body.split("<span class=\"who\">").nth(1).unwrap().split('<').next().unwrap().to_owned();
    assert!(!name.is_empty());
    let own_header = header_of(&home.body).to_owned();
    let unknown = uuid::Uuid::now_v7();
    for (uri, status) in [
        (format!("/orgs/{}", west.id), StatusCode::FORBIDDEN),
        (format!("/people/{unknown}"), StatusCode::NOT_FOUND),
        ("/no/such/page".to_owned(), StatusCode::NOT_FOUND),
    ] {
        for (page, home_link, ask) in [
            (secretary.get(&uri).await, "返回首页", "请联系本组织的管理员"),
            (secretary.get_en(&uri).await, "Back to the home page", "ask your organisation"),
        ] {
            assert_eq!(page.status, status, "{uri}");
            let header = header_of(&page.body);
            assert!(header.contains(&format!("<span class=\"who\">{name}</span>")), "{uri}: {header}");
            assert!(header.contains("action=\"/logout\"") && header.contains("href=\"/people\""), "{header}");
            assert!(page.body.contains(&format!("href=\"/\" id=\"home\">{home_link}</a>")), "{}", page.body);
            assert_eq!(page.body.contains(ask), status == StatusCode::FORBIDDEN, "{uri}: {}", page.body);
        }
        // The same links as her home page (the language switch returns to this address).
        let zh = secretary.get(&uri).await;
        let links = |h: &str| {
            h.split("href=\"")
                .skip(1)
                .map(|l| l.split('"').next().unwrap().to_owned())
                .filter(|l| !l.starts_with("/lang/"))
                .collect::<Vec<_>>()
        };
        assert_eq!(links(header_of(&zh.body)), links(&own_header), "{uri}");
    }
    // The API answers with the same problem documents as before.
    for (uri, status, kind) in [
        (format!("/api/v1/organizations/{}", west.id), StatusCode::FORBIDDEN, "/problems/forbidden"),
        (format!("/api/v1/people/{unknown}"), StatusCode::NOT_FOUND, "/problems/not-found"),
    ] {
        let r = secretary.get(&uri).await;
        assert_eq!(r.status, status, "{uri}");
        assert_eq!(r.headers[header::CONTENT_TYPE], "application/problem+json", "{uri}");
        let p = r.json();
        assert_eq!(
            (p["type"].as_str(), p["status"].as_u64()),
            (Some(kind), Some(u64::from(status.as_u16())))
        );
        assert!(!r.body.contains("<header") && !r.body.contains(&name), "{}", r.body);
    }
}

/// The access matrix's places all lie in one enterprise; screening also takes a branch
/// filter, so here every role granted on Tencent's committee asks for Meituan's committee
/// and one of its branches, as the organisation and as the branch, on the page, in both
/// downloads and in the API: always 403. Those that read dossiers screen their own.
async fn screening_another_enterprise_is_refused_to_every_role(app: TestApp) {
    use pioneer_domain::accounts::access::{Permission, Role};
    let tencent = app.demo_org("中共腾讯公司委员会").await;
    let meituan = app.org_id("中共美团（深圳）公司委员会").await;
    let riders = app.org_id("美团骑手流动党支部（南山科技园站）").await;
    for role in Role::ALL {
        app.clock.advance_minutes(1); // stay under the per-address sign-in limit
        let client = tencent.account(role).await;
        for other in [&meituan, &riders] {
            for uri in [
                format!("/screening?org={other}"),
                format!("/screening?branch={other}"),
                format!("/screening?org={other}&format=csv"),
                format!("/screening?branch={other}&format=xlsx"),
                format!("/api/v1/screening?org={other}"),
                format!("/api/v1/screening?branch={other}&as_of=2026-12-31"),
            ] {
                assert_eq!(client.get(&uri).await.status, StatusCode::FORBIDDEN, "{uri} as {}", role.code());
            }
        }
        let own = client.get(&format!("/screening?org={}", tencent.id)).await.status;
        let reads = intended(role).contains(&Permission::ReadDossiers);
        assert_eq!(own == StatusCode::OK, reads, "own screening as {}: {own}", role.code());
    }
}

/// The import APIs and 留党察看 of another enterprise are refused to every role of this one,
/// page and API alike, and nothing is written there.
async fn imports_and_discipline_of_another_enterprise_are_refused_to_every_role(app: TestApp) {
    use pioneer_domain::accounts::access::Role;
    let tencent = app.demo_org("中共腾讯公司委员会").await;
    let riders = app.demo_org("美团骑手流动党支部（南山科技园站）").await;
    let rider = riders.member("美团受处分骑手").await;
    let file = "id_card,kind,on\n440305199603030016,application_letter,2024-01-05\n";
    let body = json!({"discipline_from": "2026-01-01", "discipline_until": "2026-06-30", "discipline_decision": "x"});
    for role in Role::ALL {
        app.clock.advance_minutes(1); // stay under the per-address sign-in limit
        let client = tencent.account(role).await;
        let page = client
            .post_form(
                &format!("/people/{}/discipline", rider.id),
                "discipline_from=2026-01-01&discipline_until=2026-06-30&discipline_decision=x",
            )
            .await;
        assert_eq!(page.status, StatusCode::FORBIDDEN, "discipline page as {}", role.code());
        let api =
            client.api(Method::POST, &format!("/api/v1/people/{}/discipline", rider.id), body.clone()).await;
        assert_eq!(api.status, StatusCode::FORBIDDEN, "discipline API as {}", role.code());
        let read = client.get(&format!("/api/v1/people/{}/discipline", rider.id)).await;
        assert_eq!(read.status, StatusCode::FORBIDDEN, "discipline list as {}", role.code());
        for path in ["/api/v1/dossiers/import", "/api/v1/people/import"] {
            let r = client
                .send(
                    Request::post(format!("{path}?org={}&apply=true", riders.id))
                        .header(header::CONTENT_TYPE, "text/csv")
                        .body(Body::from(file))
                        .unwrap(),
                )
                .await;
            assert_eq!(r.status, StatusCode::FORBIDDEN, "{path} as {}", role.code());
        }
    }
    assert!(app.store.disciplines(rider.id).await.unwrap().is_empty(), "nothing written");
}

/// 三员分立: the system administrator configures and creates accounts, the security
/// administrator grants roles, the auditor reads the journal; none reads people or dossiers,
/// and none of the three is made on a page.
async fn the_three_administrators_are_separated(app: TestApp) {
    let names: Vec<&str> = pioneer_demo::accounts::DEMO_ACCOUNTS.iter().map(|a| a.username).collect();
    assert!(names.contains(&"admin") && names.contains(&"security") && names.contains(&"auditor"));
    let branch = app.org_id("腾讯数据平台部第三党支部").await;
    let person = app.get(&format!("/api/v1/people?org={branch}")).await.json()["items"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    for admin in ["admin", "security", "auditor"] {
        app.login(admin).await;
        for uri in [
            "/people".to_owned(),
            format!("/people/{person}"),
            format!("/api/v1/people/{person}"),
            "/api/v1/people".to_owned(),
            "/dossiers".to_owned(),
            "/api/v1/dossiers".to_owned(),
        ] {
            assert_eq!(app.get(&uri).await.status, StatusCode::FORBIDDEN, "{admin} {uri}");
        }
    }
    // The system administrator creates an account, but grants it no role.
    app.login("admin").await;
    let r =
        app.post_form("/admin/users", &format!("username=new.clerk&role=secretary&org_id={branch}")).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("角色由安全管理员授予"), "{}", r.body);
    let r = app.post_form("/admin/users", "username=new.clerk&display_name=新书记&role=&org_id=").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("id=\"one-time\""));
    let clerk = app.store.user_by_name("new.clerk").await.unwrap().unwrap();
    assert!(app.store.grants_of(clerk.id).await.unwrap().is_empty());
    assert_eq!(
        app.post_form("/admin/users/grants", &format!("username=new.clerk&role=secretary&org_id={branch}"))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(app.get("/journal").await.status, StatusCode::FORBIDDEN);
    // The security administrator grants it, creates nothing, reads no journal.
    app.login("security").await;
    assert_eq!(app.get("/admin/users").await.status, StatusCode::OK);
    assert_eq!(
        app.post_form("/admin/users", "username=x.sec&role=&org_id=").await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(app.get("/journal").await.status, StatusCode::FORBIDDEN);
    for role in ["system_admin", "security_admin", "auditor"] {
        let r =
            app.post_form("/admin/users/grants", &format!("username=new.clerk&role={role}&org_id=")).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{role}");
        assert!(r.body.contains("只能在服务器命令行上设立"), "{}", r.body);
    }
    let r = app
        .post_form("/admin/users/grants", &format!("username=new.clerk&role=secretary&org_id={branch}"))
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let grants = app.store.grants_of(clerk.id).await.unwrap();
    assert_eq!(grants.len(), 1);
    assert_eq!(grants[0].role, pioneer_domain::accounts::access::Role::Secretary);
    let r = app.post_form("/admin/users/grants", "username=nobody.here&role=secretary&org_id=").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    // The grant is journaled, by the security administrator; the auditor reads the journal.
    let entries = app.store.latest_journal(1_000_000).await.unwrap();
    assert!(entries.iter().any(|e| e.entity == "grant" && e.actor == "security"), "the grant is journaled");
    app.login("auditor").await;
    assert_eq!(app.get("/journal").await.status, StatusCode::OK);
    assert_eq!(app.get("/admin/users").await.status, StatusCode::FORBIDDEN);
}
