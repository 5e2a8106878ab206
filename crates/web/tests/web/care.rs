//! Credits and care: a member confirms a redemption before it is made and redeems once per
//! form, sees what is out of reach with the shortfall and the history newest first; an
//! organisation administrator fulfils redemptions (seeing station and masked phone) and
//! sets the rules.

use crate::support::{TestApp, field_value};
use axum::http::StatusCode;

pioneer_store::on_both!(
    with TestApp::new;
    a_rider_redeems_credits_once_per_form,
    a_committee_admin_fulfils_redemptions_and_sets_the_rules,
    redeeming_asks_for_confirmation_and_redeems_once,
    a_benefit_out_of_reach_is_disabled_with_the_shortfall,
    the_credit_history_is_newest_first,
    the_fulfilment_list_shows_station_and_a_masked_phone,
    an_enterprise_narrows_the_credit_rules_for_its_own_subtree_only,
    an_enterprise_benefit_is_offered_and_fulfilled_only_in_its_subtree,
    the_care_api_does_what_the_pages_do,
);

const TENCENT: &str = "中共腾讯公司委员会";

/// The credit-rules form with the built-in defaults, `changes` replacing fields.
fn rules_form(changes: &[(&str, i64)]) -> String {
    let defaults = pioneer_domain::care::ledger::CreditRules::default();
    let mut fields = Vec::new();
    for source in pioneer_domain::care::ledger::Source::ALL {
        let r = defaults.rule(source);
        let names = pioneer_domain::care::ledger::CreditRules::fields(source);
        for (name, v) in names.into_iter().zip([r.amount, r.daily_cap, r.weekly_cap]) {
            let v = changes.iter().find(|(n, _)| *n == name).map_or(v, |(_, c)| *c);
            fields.push(format!("{name}={v}"));
        }
    }
    fields.join("&")
}

/// The text of the element with `id` (up to its first closing tag of `tag`).
fn element<'a>(body: &'a str, id: &str, tag: &str) -> &'a str {
    body.split(&format!("id=\"{id}\"")).nth(1).unwrap().split(&format!("</{tag}>")).next().unwrap()
}

/// The care pack's benefit id and form key from the credits page.
fn pack_form(body: &str) -> (String, String) {
    let form = body.split("<li>").find(|li| li.contains("暖心关爱包")).unwrap();
    (field_value(form, "benefit"), field_value(form, "key"))
}

async fn a_rider_redeems_credits_once_per_form(app: TestApp) {
    app.login("rider").await;
    let page = app.get("/me/credits").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let balance = |body: &str| -> i64 {
        body.split("id=\"balance\">").nth(1).unwrap().split('<').next().unwrap().parse().unwrap()
    };
    assert_eq!(balance(&page.body), 40, "three demo quizzes and two branch meetings");
    // The care pack (20 credits): its form, sent twice, redeems once.
    let form = page.body.split("<li>").find(|li| li.contains("暖心关爱包")).unwrap();
    let benefit =
        form.split("name=\"benefit\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_owned();
    let key = form.split("name=\"key\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_owned();
    for _ in 0..2 {
        let r = app.post_form("/me/credits", &format!("benefit={benefit}&key={key}&confirm=1")).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    }
    let page = app.get("/me/credits").await;
    assert_eq!(balance(&page.body), 20);
    assert!(page.body.contains("待发放"), "the redemption waits for fulfilment");
    // The insurance (50) is more than the balance: refused at either step, nothing written.
    let insurance = insurance_id(&app).await;
    for confirm in ["", "&confirm=1"] {
        let r = app.post_form("/me/credits", &format!("benefit={insurance}&key=another-form{confirm}")).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.body.contains("学分余额不足"), "{}", r.body);
    }
    assert_eq!(balance(&app.get("/me/credits").await.body), 20);
    let r = app.post_form("/me/credits", "benefit=nope&key=x").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
}

async fn a_committee_admin_fulfils_redemptions_and_sets_the_rules(app: TestApp) {
    app.login("rider").await;
    let page = app.get("/me/credits").await;
    let form = page.body.split("<li>").find(|li| li.contains("暖心关爱包")).unwrap();
    let (benefit, key) = (field_value(form, "benefit"), field_value(form, "key"));
    let r = app.post_form("/me/credits", &format!("benefit={benefit}&key={key}&confirm=1")).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    app.login("committee.admin").await;
    let root = app.org_id(pioneer_demo::DEMO_ROOT_NAME).await;
    let page = app.get(&format!("/admin/care?org={root}")).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let redemption =
        page.body.split("/admin/care/redemptions/").nth(1).unwrap().split('?').next().unwrap().to_owned();
    let r = app.post_form(&format!("/admin/care/redemptions/{redemption}?org={root}"), "").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let bad = app.post_form(&format!("/admin/care/benefits?org={root}"), "name=&cost=0&stock=-1").await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let bad = app.post_form(&format!("/admin/care/rules?org={root}"), "study_amount=0").await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        bad.body.contains("1 到 1000") || bad.body.contains("1 和 1000") || bad.body.contains("1000"),
        "{}",
        bad.body
    );
    app.login("rider").await;
    let mine = app.get("/me/credits").await;
    assert!(mine.body.contains("已发放"), "{}", mine.body);
    // A secretary is not a care administrator.
    app.login("meituan.secretary").await;
    assert_eq!(app.get("/admin/care").await.status, StatusCode::FORBIDDEN);
}

/// The rider's accident insurance (50 credits, more than the demo rider's 40).
async fn insurance_id(app: &TestApp) -> String {
    app.login("committee.admin").await;
    let root = app.org_id(pioneer_demo::DEMO_ROOT_NAME).await;
    app.login("rider").await;
    let tenant = app.store.org(root.parse().unwrap()).await.unwrap().tenant_id;
    let benefits = app.store.benefits_of(tenant).await.unwrap();
    benefits.iter().find(|b| b.name.contains("骑手意外险")).unwrap().id.to_string()
}

async fn redeeming_asks_for_confirmation_and_redeems_once(app: TestApp) {
    app.login("rider").await;
    let page = app.get("/me/credits").await;
    let (benefit, key) = pack_form(&page.body);
    // The first post (a double tap sends it twice) shows the confirmation and writes nothing.
    for _ in 0..2 {
        let r = app.post_form("/me/credits", &format!("benefit={benefit}&key={key}")).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert!(r.body.contains("确认兑换"), "{}", r.body);
        assert!(element(&r.body, "confirm-benefit", "strong").contains("暖心关爱包"));
        assert_eq!(element(&r.body, "confirm-cost", "span").trim_start_matches('>'), "20 学分");
        assert_eq!(element(&r.body, "confirm-balance", "span").trim_start_matches('>'), "40 学分");
        assert_eq!(element(&r.body, "confirm-after", "strong").trim_start_matches('>'), "20 学分");
        let pickup = element(&r.body, "confirm-pickup", "span");
        assert!(pickup.contains("支部书记会联系你"), "{pickup}");
        assert!(!pickup.trim_start_matches('>').starts_with('<'), "the organisation is named: {pickup}");
        // The confirmation carries the same form key, and nothing is redeemed yet.
        assert_eq!(field_value(&r.body, "key"), key);
        assert_eq!(field_value(&r.body, "confirm"), "1");
        let mine = app.get("/me/credits").await;
        assert_eq!(crate::support::balance_of(&mine.body), 40);
        assert!(!mine.body.contains("待发放"), "no redemption before the confirmation");
    }
    // Confirmed twice with the same key (a double tap): redeemed once.
    for _ in 0..2 {
        let r = app.post_form("/me/credits", &format!("benefit={benefit}&key={key}&confirm=1")).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    }
    let mine = app.get("/me/credits").await;
    assert_eq!(crate::support::balance_of(&mine.body), 20);
    assert_eq!(element(&mine.body, "redemptions", "ul").matches("<li>").count(), 1);
    // The form already redeemed: its confirmation step goes back to the list.
    let r = app.post_form("/me/credits", &format!("benefit={benefit}&key={key}")).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(crate::support::balance_of(&app.get("/me/credits").await.body), 20);
}

async fn a_benefit_out_of_reach_is_disabled_with_the_shortfall(app: TestApp) {
    app.login("rider").await;
    let page = app.get("/me/credits").await;
    let insurance = page.body.split("<li>").find(|li| li.contains("骑手意外险")).unwrap();
    assert!(insurance.contains("disabled"), "{insurance}");
    assert!(insurance.contains("还差 10 学分"), "50 needed, 40 held: {insurance}");
    assert!(!insurance.contains("<form"), "no form to send: {insurance}");
    // The affordable pack keeps its button.
    let pack = page.body.split("<li>").find(|li| li.contains("暖心关爱包")).unwrap();
    assert!(pack.contains("<form") && !pack.contains("disabled"), "{pack}");
    // After redeeming the pack, 20 are left: the insurance is out of reach by 30.
    let (benefit, key) = pack_form(&page.body);
    app.post_form("/me/credits", &format!("benefit={benefit}&key={key}&confirm=1")).await;
    let page = app.get("/me/credits").await;
    let insurance = page.body.split("<li>").find(|li| li.contains("骑手意外险")).unwrap();
    assert!(insurance.contains("还差 30 学分"), "{insurance}");
    let en = app.get_en("/me/credits").await;
    let insurance = en.body.split("<li>").find(|li| li.contains("骑手意外险")).unwrap();
    assert!(insurance.contains("Short by 30 credits"), "{insurance}");
}

async fn the_credit_history_is_newest_first(app: TestApp) {
    app.login("rider").await;
    let page = app.get("/me/credits").await;
    let (benefit, key) = pack_form(&page.body);
    app.post_form("/me/credits", &format!("benefit={benefit}&key={key}&confirm=1")).await;
    let page = app.get("/me/credits").await;
    let history = element(&page.body, "history", "ul");
    let rows: Vec<&str> = history.split("<li>").skip(1).collect();
    assert!(rows.len() >= 4, "{history}");
    assert!(
        rows[0].contains("暖心关爱包") && rows[0].contains("-20"),
        "the redemption, today, first: {history}"
    );
    let dates: Vec<&str> = rows.iter().map(|r| r.split(" · ").next().unwrap()).collect();
    let mut sorted = dates.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(dates, sorted, "newest first");
    assert!(dates.first() > dates.last(), "entries of more than one day: {dates:?}");
}

async fn the_fulfilment_list_shows_station_and_a_masked_phone(app: TestApp) {
    app.login("rider").await;
    let page = app.get("/me/credits").await;
    let (benefit, key) = pack_form(&page.body);
    app.post_form("/me/credits", &format!("benefit={benefit}&key={key}&confirm=1")).await;
    app.login("committee.admin").await;
    let root = app.org_id(pioneer_demo::DEMO_ROOT_NAME).await;
    let tenant = app.store.org(root.parse().unwrap()).await.unwrap().tenant_id;
    let member = app.store.redemptions(tenant, "/").await.unwrap()[0].member_id;
    let rider = app.store.person(member).await.unwrap();
    let phone = rider.fields.phone.clone().expect("the demo rider has a phone");
    let station = rider.fields.station.clone().expect("the demo rider has a station");
    // The committee's org admin (care, but numbers are unmasked only on the person's
    // page, journaled) sees the station and the phone masked, never in full.
    let page = app.get(&format!("/admin/care?org={root}")).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let list = element(&page.body, "redemptions", "ul");
    let item = list.split("<li>").find(|li| li.contains(&rider.fields.name)).unwrap();
    assert!(item.contains(&station), "{item}");
    assert!(item.contains(&phone.masked()), "{item}");
    assert!(phone.masked().contains("****"));
    assert!(!page.body.contains(phone.as_str()), "no full number on the list");
}

async fn an_enterprise_narrows_the_credit_rules_for_its_own_subtree_only(app: TestApp) {
    app.login("committee.admin").await;
    let (root, tencent) = (app.org_id(pioneer_demo::DEMO_ROOT_NAME).await, app.org_id(TENCENT).await);
    let root_org = app.store.org(root.parse().unwrap()).await.unwrap();
    let tencent_org = app.store.org(tencent.parse().unwrap()).await.unwrap();
    let tree = || async { app.store.rules_tree(root_org.tenant_id).await.unwrap() };
    app.login("tencent.admin").await;
    // The committee's rules are out of the enterprise admin's reach, by page and by form.
    let all_999: Vec<(&str, i64)> = pioneer_domain::care::ledger::Source::ALL
        .iter()
        .flat_map(|s| pioneer_domain::care::ledger::CreditRules::fields(*s))
        .map(|f| (f, 999))
        .collect();
    assert_eq!(app.get(&format!("/admin/care?org={root}")).await.status, StatusCode::FORBIDDEN);
    let r = app.post_form(&format!("/admin/care/rules?org={root}"), &rules_form(&all_999)).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // Nor are another enterprise's (the Meituan riders' branch).
    app.login("committee.admin").await;
    let meituan = app.org_id(pioneer_demo::accounts::DEMO_RIDER_BRANCH).await;
    app.login("tencent.admin").await;
    for uri in [format!("/admin/care/rules?org={meituan}"), format!("/admin/care/benefits?org={meituan}")] {
        let r = app.post_form(&uri, &rules_form(&all_999)).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{uri}");
    }
    // On their own committee, widening is refused field by field, nothing written.
    let r = app.post_form(&format!("/admin/care/rules?org={tencent}"), &rules_form(&all_999)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("不能超过上级党组织的设置（最多 10"), "{}", r.body);
    assert!(tree().await.own(tencent_org.id).is_none() && tree().await.own(root_org.id).is_none());
    // Narrowing is theirs to do; it applies to their subtree and nowhere else.
    let r = app
        .post_form(&format!("/admin/care/rules?org={tencent}"), &rules_form(&[("volunteer_amount", 3)]))
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(tree().await.at(&tencent_org.path).volunteer.amount, 3);
    assert_eq!(tree().await.at(&root_org.path).volunteer.amount, 10, "the committee's rules are untouched");
    // A Tencent member credited for volunteer service earns the narrowed amount.
    let page = app.get(&format!("/admin/care?org={tencent}")).await;
    assert!(page.body.contains("（≤10）"), "the ceiling is shown: {}", page.body);
    let member: uuid::Uuid = field_option(&page.body, "person_id").parse().unwrap();
    let before = app.store.credit_balance(member).await.unwrap();
    let key = field_value(&page.body, "key");
    let r = app
        .post_form(&format!("/admin/care/volunteer?org={tencent}"), &format!("person_id={member}&key={key}"))
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(app.store.credit_balance(member).await.unwrap(), before + 3);
    // The committee narrows its defaults below the enterprise's: the narrower applies there.
    app.login("committee.admin").await;
    let r = app
        .post_form(&format!("/admin/care/rules?org={root}"), &rules_form(&[("volunteer_amount", 2)]))
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(tree().await.at(&tencent_org.path).volunteer.amount, 2);
    // The committee may widen its own defaults; Tencent's own 3 then applies again.
    let r = app
        .post_form(&format!("/admin/care/rules?org={root}"), &rules_form(&[("volunteer_amount", 50)]))
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(tree().await.at(&tencent_org.path).volunteer.amount, 3);
    // Tencent follows the committee again after removing its own.
    app.login("tencent.admin").await;
    let r = app.post_form(&format!("/admin/care/rules?org={tencent}"), "inherit=1").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(tree().await.at(&tencent_org.path).volunteer.amount, 50);
}

/// The value of the first option of the select named `name`.
fn field_option(body: &str, name: &str) -> String {
    let select = body.split(&format!("name=\"{name}\"")).nth(1).unwrap();
    select.split("<option value=\"").nth(1).unwrap().split('"').next().unwrap().to_owned()
}

async fn an_enterprise_benefit_is_offered_and_fulfilled_only_in_its_subtree(app: TestApp) {
    app.login("tencent.admin").await;
    let tencent = app.org_id(TENCENT).await;
    let r = app
        .post_form(&format!("/admin/care/benefits?org={tencent}"), "name=腾讯专属礼包&cost=1&stock=5")
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = app.get(&format!("/admin/care?org={tencent}")).await;
    let benefits = element(&page.body, "benefits", "table");
    assert!(benefits.contains("腾讯专属礼包"), "{benefits}");
    assert!(
        !benefits.contains("暖心关爱包"),
        "the committee's benefits are not Tencent's to keep: {benefits}"
    );
    let tenant = app.store.org(tencent.parse().unwrap()).await.unwrap().tenant_id;
    let theirs =
        app.store.benefits_of(tenant).await.unwrap().into_iter().find(|b| b.name == "腾讯专属礼包").unwrap();
    // A Meituan rider is not offered it, and cannot redeem it by its id at either step.
    app.login("rider").await;
    let mine = app.get("/me/credits").await;
    assert!(!mine.body.contains("腾讯专属礼包"), "{}", mine.body);
    assert!(mine.body.contains("暖心关爱包"), "the committee's benefit is offered to every member below it");
    let balance = crate::support::balance_of(&mine.body);
    for confirm in ["", "&confirm=1"] {
        let r =
            app.post_form("/me/credits", &format!("benefit={}&key=tencent-only{confirm}", theirs.id)).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);
    }
    assert_eq!(crate::support::balance_of(&app.get("/me/credits").await.body), balance);
    assert_eq!(app.store.benefit_stock(theirs.id).await.unwrap(), 5);
    // The rider redeems the committee's pack: Tencent's admin neither sees nor fulfils it.
    let (benefit, key) = pack_form(&app.get("/me/credits").await.body);
    let r = app.post_form("/me/credits", &format!("benefit={benefit}&key={key}&confirm=1")).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let redemption = app.store.redemptions(tenant, "/").await.unwrap()[0].id;
    app.login("tencent.admin").await;
    assert!(
        !element(&app.get(&format!("/admin/care?org={tencent}")).await.body, "redemptions", "ul")
            .contains("暖心关爱包")
    );
    let r = app.post_form(&format!("/admin/care/redemptions/{redemption}?org={tencent}"), "").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(app.store.redemptions(tenant, "/").await.unwrap()[0].fulfilled.is_none());
    // The committee, whose benefit it is, fulfils it.
    app.login("committee.admin").await;
    let root = app.org_id(pioneer_demo::DEMO_ROOT_NAME).await;
    let r = app.post_form(&format!("/admin/care/redemptions/{redemption}?org={root}"), "").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(app.store.redemptions(tenant, "/").await.unwrap()[0].fulfilled.is_some());
}

async fn the_care_api_does_what_the_pages_do(app: TestApp) {
    use axum::http::Method;
    use serde_json::json;
    let root = app.org_id(pioneer_demo::DEMO_ROOT_NAME).await;
    let tencent = app.org_id(TENCENT).await;
    app.login("tencent.admin").await;
    assert_eq!(app.get(&format!("/api/v1/care?org={root}")).await.status, StatusCode::FORBIDDEN);
    let care = app.get(&format!("/api/v1/care?org={tencent}")).await;
    assert_eq!(care.status, StatusCode::OK, "{}", care.body);
    assert!(care.json()["rules"]["own"].is_null() && !care.json()["rules"]["above"].is_null());
    let rule = |amount: i64, daily: i64, weekly: i64| json!({"amount": amount, "daily_cap": daily, "weekly_cap": weekly});
    let rules = |quiz: i64, volunteer: i64| json!({"study": rule(2, 6, 20), "quiz": rule(quiz, 0, 10), "meeting": rule(5, 10, 0), "volunteer": rule(volunteer, 20, 0)});
    let wide = rules(999, 10);
    let r = app.api(Method::PUT, &format!("/api/v1/care/rules?org={tencent}"), wide).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let problem = r.json();
    let fields: Vec<&str> =
        problem["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    assert!(fields.contains(&"quiz_amount"), "{fields:?}");
    assert_eq!(fields, ["quiz_amount"]);
    let narrow = rules(5, 3);
    let r = app.api(Method::PUT, &format!("/api/v1/care/rules?org={tencent}"), narrow).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["in_force"]["volunteer"]["amount"], 3);
    let r = app.api(Method::DELETE, &format!("/api/v1/care/rules?org={tencent}"), json!(null)).await;
    assert_eq!((r.status, r.json()["removed"].as_bool()), (StatusCode::OK, Some(true)));
    let r = app
        .api(
            Method::POST,
            &format!("/api/v1/care/benefits?org={tencent}"),
            json!({"name": "腾讯API礼包", "cost": 1, "stock": 3}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let theirs = r.json()["id"].as_str().unwrap().to_owned();
    // The rider: offered the committee's benefits, not Tencent's; a key redeems once.
    app.login("rider").await;
    let mine = app.get("/api/v1/me/credits").await.json();
    let offered: Vec<&str> =
        mine["benefits"].as_array().unwrap().iter().map(|b| b["name"].as_str().unwrap()).collect();
    assert!(offered.contains(&"暖心关爱包") && !offered.contains(&"腾讯API礼包"), "{offered:?}");
    let balance = mine["balance"].as_i64().unwrap();
    let r =
        app.api(Method::POST, "/api/v1/me/credits/redeem", json!({"benefit": theirs, "key": "api-1"})).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let pack = mine["benefits"].as_array().unwrap().iter().find(|b| b["name"] == "暖心关爱包").unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    for _ in 0..2 {
        let r = app
            .api(Method::POST, "/api/v1/me/credits/redeem", json!({"benefit": pack, "key": "api-2"}))
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    }
    let after = app.get("/api/v1/me/credits").await.json();
    assert_eq!(after["balance"].as_i64().unwrap(), balance - 20, "redeemed once");
    let redemption = after["redemptions"][0]["id"].as_str().unwrap().to_owned();
    // Tencent's admin cannot fulfil the committee's benefit; the committee can.
    app.login("tencent.admin").await;
    let r = app
        .api(Method::POST, &format!("/api/v1/care/redemptions/{redemption}/fulfil?org={tencent}"), json!({}))
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    app.login("committee.admin").await;
    let r = app
        .api(Method::POST, &format!("/api/v1/care/redemptions/{redemption}/fulfil?org={root}"), json!({}))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
}
