//! Credits and care: a member redeems once per form; an organisation administrator fulfils
//! redemptions and sets the rules.

use crate::support::{TestApp, field_value};
use axum::http::StatusCode;

pioneer_store::on_both!(
    with TestApp::new;
    a_rider_redeems_credits_once_per_form,
    a_committee_admin_fulfils_redemptions_and_sets_the_rules,
);

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
        let r = app.post_form("/me/credits", &format!("benefit={benefit}&key={key}")).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    }
    let page = app.get("/me/credits").await;
    assert_eq!(balance(&page.body), 20);
    assert!(page.body.contains("待发放"), "the redemption waits for fulfilment");
    // The insurance (50) is more than the balance: refused, nothing written.
    let form = page.body.split("<li>").find(|li| li.contains("骑手意外险")).unwrap();
    let insurance =
        form.split("name=\"benefit\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_owned();
    let r = app.post_form("/me/credits", &format!("benefit={insurance}&key=another-form")).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("学分余额不足"), "{}", r.body);
    assert_eq!(balance(&app.get("/me/credits").await.body), 20);
    let r = app.post_form("/me/credits", "benefit=nope&key=x").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
}

async fn a_committee_admin_fulfils_redemptions_and_sets_the_rules(app: TestApp) {
    app.login("rider").await;
    let page = app.get("/me/credits").await;
    let form = page.body.split("<li>").find(|li| li.contains("暖心关爱包")).unwrap();
    let (benefit, key) = (field_value(form, "benefit"), field_value(form, "key"));
    let r = app.post_form("/me/credits", &format!("benefit={benefit}&key={key}")).await;
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
