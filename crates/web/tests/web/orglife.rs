//! Organisational life: meetings with their attendance, the cadence calendar and each
//! organisation's settings.

use crate::support::{TestApp, enc};
use axum::http::StatusCode;

pioneer_store::on_both!(
    with TestApp::new;
    meetings_fill_the_cadence_calendar,
    meetings_take_attendance_and_follow_the_settings,
);

async fn meetings_fill_the_cadence_calendar(app: TestApp) {
    let org = app.branch("数据平台部第四党支部").await;
    let (branch, secretary) = (org.id, org.secretary().await);
    let page = secretary.get(&format!("/meetings?org={branch}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("ORG-001") && page.body.contains("缺"), "{}", page.body);
    let bad = secretary
        .post_form(&format!("/meetings?org={branch}"), "kind=nope&held_on=2099-01-01&topic=&minutes=")
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let body = format!(
        "kind=committee_meeting&held_on=2026-11-03&topic={}&first_topic=&speaker=&minutes={}",
        enc("研究发展党员工作"),
        enc("会议纪要")
    );
    let r = secretary.post_form(&format!("/meetings?org={branch}"), &body).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = secretary.get(&format!("/meetings?org={branch}")).await;
    assert!(page.body.contains("研究发展党员工作") && page.body.contains("FIRST-003"), "{}", page.body);
}

async fn meetings_take_attendance_and_follow_the_settings(app: TestApp) {
    let branch = app.org_id("美团骑手流动党支部（南山科技园站）").await;
    app.login("meituan.secretary").await;
    let page = app.get(&format!("/meetings?org={branch}")).await;
    assert!(page.body.contains("id=\"attendance\"") && page.body.contains("线上参加"), "{}", page.body);
    let first = page.body.split("name=\"att_").nth(1).unwrap().split('"').next().unwrap().to_owned();
    let body = |mark: &str| {
        format!(
            "kind=committee_meeting&held_on=2026-11-20&topic={}&first_topic={}&speaker=&minutes={}&att_{first}={mark}",
            enc("研究骑手关爱工作"),
            enc("学习重要讲话"),
            enc("纪要")
        )
    };
    let bad = app.post_form(&format!("/meetings?org={branch}"), &body("sleeping")).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = app.post_form(&format!("/meetings?org={branch}"), &body("online")).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = app.get(&format!("/meetings?org={branch}")).await;
    assert!(page.body.contains("线上参加 1"), "{}", page.body);
    assert!(page.body.contains("id=\"counts\"") && page.body.contains("支部委员会"), "{}", page.body);
    let last_year = app.get(&format!("/meetings?org={branch}&year=2025")).await;
    let counts =
        last_year.body.split("id=\"counts\"").nth(1).unwrap().split("</table>").next().unwrap().to_owned();
    assert!(last_year.body.contains("2025 年会议次数") && !counts.contains("支部委员会"), "{counts}");
    assert_eq!(app.get(&format!("/meetings?org={branch}&year=nope")).await.status, StatusCode::OK);
    // Switch the theme day off for this branch: it leaves the calendar.
    let settings = "period_general_meeting=quarter&period_committee_meeting=month&period_group_meeting=month&period_party_lecture=quarter&period_theme_day=off&period_life_meeting=year&period_democratic_appraisal=year&first_topic=on";
    let r = app.post_form(&format!("/meetings/settings?org={branch}"), settings).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = app.get(&format!("/meetings?org={branch}")).await;
    let cadence =
        page.body.split("id=\"cadence\"").nth(1).unwrap().split("</table>").next().unwrap().to_owned();
    assert!(!cadence.contains("ORG-006") && cadence.contains("ORG-001"), "{cadence}");
    let r = app
        .post_form(&format!("/meetings/settings?org={branch}"), &settings.replace("=off", "=weekly"))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
}
