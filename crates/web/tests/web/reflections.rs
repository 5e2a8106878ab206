//! 心得体会 (issue 17, item 9): a member shares a reflection on a course; it waits for the
//! secretary, who approves it — then the branch reads it and the course's reach counts it —
//! or returns it with a reason the member reads; other enterprises can do neither.

use crate::support::{Client, TestApp, enc};
use axum::http::{Method, StatusCode};

pioneer_store::on_both!(
    with TestApp::new;
    a_reflection_is_read_by_the_branch_once_the_secretary_approves_it,
);

const THOUGHT: &str = "学习遵义会议这一课，我体会到实事求是的分量。送餐路上遇到难题，也要从实际出发想办法。";

/// A second member of the riders' branch, signed in on a client of their own.
async fn branch_mate(app: &TestApp) -> Client {
    let branch = app.org_id(pioneer_demo::accounts::DEMO_RIDER_BRANCH).await;
    let rider = app.store.user_by_name("rider").await.unwrap().unwrap().person_id.unwrap();
    let people = app.store.attendee_choices(branch.parse().unwrap(), "", None, 300).await.unwrap();
    let (mate, _) = people.into_iter().find(|(id, _)| *id != rider).unwrap();
    let hash = pioneer_web::auth::password::hash(pioneer_demo::accounts::DEMO_PASSWORD.to_owned()).await;
    let act = pioneer_store::Act::new("test", "test fixture", crate::support::now());
    let new = pioneer_store::accounts::NewUser {
        username: "rider.mate",
        display_name: "同站骑手",
        password_hash: &hash,
        must_change_password: false,
        grants: &[(pioneer_domain::accounts::access::Role::Member, Some(branch.parse().unwrap()))],
        person_id: Some(mate),
    };
    app.store.create_user(&new, &act).await.unwrap();
    let c = app.client();
    c.login("rider.mate").await;
    c
}

async fn a_reflection_is_read_by_the_branch_once_the_secretary_approves_it(app: TestApp) {
    let mate = branch_mate(&app).await;
    app.login("rider").await;
    let list = app.get("/study").await;
    let courses: Vec<String> =
        list.body.split("href=\"/study/").skip(1).map(|x| x.split('"').next().unwrap().to_owned()).collect();
    assert!(courses.len() >= 2, "{}", list.body);
    let (one, two) = (&courses[0], &courses[1]);
    let page = app.get(&format!("/study/{one}")).await;
    assert!(page.body.contains("id=\"reflect\""), "{}", page.body);
    // Too short is refused by field; nothing is written.
    let bad = app.post_form(&format!("/study/{one}/reflections"), "text=很好").await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("id=\"text-err\"") && bad.body.contains("很好"), "{}", bad.body);
    let r = app.post_form(&format!("/study/{one}/reflections"), &format!("text={}", enc(THOUGHT))).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = app.get(&format!("/study/{one}")).await;
    assert!(page.body.contains("待书记审核") && !page.body.contains("id=\"reflect\""), "{}", page.body);
    let again = app
        .api(
            Method::POST,
            &format!("/api/v1/courses/{one}/reflections"),
            serde_json::json!({"text": THOUGHT}),
        )
        .await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY, "one waits at a time");
    // The branch does not read it yet.
    assert!(!mate.get(&format!("/study/{one}")).await.body.contains("实事求是的分量"));
    // Another enterprise's secretary can neither see nor approve it.
    let id = app.get(&format!("/api/v1/courses/{one}/reflections")).await.json()["mine"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    app.login("tencent.secretary").await;
    let r = app.post_form(&format!("/reflections/{id}/approve"), "").await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(!app.get("/api/v1/reflections").await.body.contains(&id));
    // The riders' secretary finds it waiting (home tile, study page) and approves it.
    app.login("meituan.secretary").await;
    let home = app.get("/").await;
    assert!(home.body.contains("待审核的心得体会"), "{}", home.body);
    let branch = app.org_id(pioneer_demo::accounts::DEMO_RIDER_BRANCH).await;
    let desk = app.get(&format!("/admin/study?org={branch}")).await;
    assert!(
        desk.body.contains("实事求是的分量") && desk.body.contains(&format!("/reflections/{id}/approve")),
        "{}",
        desk.body
    );
    let r = app.post_form(&format!("/reflections/{id}/approve?org={branch}"), "").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(
        app.post_form(&format!("/reflections/{id}/approve?org={branch}"), "").await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    // Now the branch reads it, and the course's reach counts it.
    let seen = mate.get(&format!("/study/{one}")).await;
    let branch_list = seen.body.split("id=\"branch-reflections\"").nth(1).unwrap_or_default();
    assert!(branch_list.contains("实事求是的分量"), "{}", seen.body);
    let reach = app.get(&format!("/admin/study/{one}?org={branch}")).await;
    let row = reach.body.split("<tbody>").nth(1).unwrap().split("</tr>").next().unwrap().to_owned();
    assert!(row.ends_with("<td>1</td>"), "one reflection in the reach: {row}");
    // A second one on another course is returned with a reason the rider reads.
    app.login("rider").await;
    let r = app
        .api(
            Method::POST,
            &format!("/api/v1/courses/{two}/reflections"),
            serde_json::json!({"text": THOUGHT}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let second = r.json()["id"].as_str().unwrap().to_owned();
    app.login("meituan.secretary").await;
    let empty = app
        .api(
            Method::POST,
            &format!("/api/v1/reflections/{second}/return"),
            serde_json::json!({"reason": " "}),
        )
        .await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = app
        .api(
            Method::POST,
            &format!("/api/v1/reflections/{second}/return"),
            serde_json::json!({"reason": "请结合本站点的工作写一写"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.body);
    app.login("rider").await;
    let page = app.get(&format!("/study/{two}")).await;
    assert!(page.body.contains("已退回") && page.body.contains("请结合本站点的工作写一写"), "{}", page.body);
    assert!(page.body.contains("id=\"reflect\""), "a returned reflection may be written again");
}
