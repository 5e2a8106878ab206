//! Organisational life: meetings with their attendance, the cadence calendar and each
//! organisation's settings.

use crate::support::{TestApp, enc};
use axum::http::StatusCode;

pioneer_store::on_both!(
    with TestApp::new;
    meetings_and_the_roster_through_the_api,
    meetings_fill_the_cadence_calendar,
    a_meeting_lists_its_own_members_and_finds_others,
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
    // Nobody else was recorded: the form starts everyone as not recorded.
    assert!(page.body.contains("出席 0 · 线上参加 1"), "{}", page.body);
    let form =
        page.body.split("id=\"attendance\"").nth(1).unwrap().split("</fieldset>").next().unwrap().to_owned();
    let selects = form.matches("<select").count();
    assert!(selects > 1 && form.matches("<option value=\"\" selected>").count() == selects, "{form}");
    // "All present" is deliberate: the unmarked are recorded present, a chosen mark is kept.
    let meeting = app
        .store
        .meetings_of(branch.parse().unwrap(), jiff::civil::date(2026, 1, 1), jiff::civil::date(2026, 12, 31))
        .await
        .unwrap()
        .len();
    let everyone = form.matches("name=\"att_").count();
    let all = format!(
        "kind=group_meeting&held_on=2026-11-21&topic={}&minutes={}&att_{first}=leave&all_present=1{}",
        enc("小组会"),
        enc("纪要"),
        form.split("name=\"att_")
            .skip(2)
            .map(|x| format!("&att_{}=", x.split('"').next().unwrap()))
            .collect::<String>()
    );
    let r = app.post_form(&format!("/meetings?org={branch}"), &all).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let held = app
        .store
        .meetings_of(branch.parse().unwrap(), jiff::civil::date(2026, 1, 1), jiff::civil::date(2026, 12, 31))
        .await
        .unwrap();
    assert_eq!(held.len(), meeting + 1);
    let newest = held.iter().find(|m| m.fields.held_on == jiff::civil::date(2026, 11, 21)).unwrap();
    let marks = app.store.attendance_of(newest.id).await.unwrap();
    assert_eq!(marks.len(), everyone);
    assert_eq!(marks.iter().filter(|(_, a)| a.code() == "leave").count(), 1);
    assert_eq!(marks.iter().filter(|(_, a)| a.code() == "present").count(), everyone - 1);
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
    // The headers say what the columns hold (they once read 组织类型 and 政治面貌): the kind,
    // then the twelve months; each kind's periods fill its row's twelve months exactly.
    let head = cadence.split("</thead>").next().unwrap();
    assert!(head.contains("会议类型") && head.contains(">12</th>"), "{head}");
    assert!(!head.contains("组织类型") && !head.contains("政治面貌"), "{head}");
    let body = cadence.split("<tbody>").nth(1).unwrap();
    for row in body.split("<tr>").skip(1) {
        let months: usize = row
            .split("<td")
            .skip(1)
            .map(|td| {
                td.split("colspan=\"").nth(1).map_or(1, |n| n.split('"').next().unwrap().parse().unwrap())
            })
            .sum();
        assert_eq!(months, 12, "{row}");
    }
    // Six kinds are required (the theme day is off), each one row, not a row per period.
    assert_eq!(body.matches("<tr>").count(), 6, "{body}");
    let r = app
        .post_form(&format!("/meetings/settings?org={branch}"), &settings.replace("=off", "=weekly"))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
}

async fn meetings_and_the_roster_through_the_api(app: TestApp) {
    use axum::http::Method;
    use serde_json::json;
    let branch = app.org_id("腾讯数据平台部第三党支部").await;
    let meituan = app.org_id("美团骑手流动党支部（南山科技园站）").await;
    let person = app.get(&format!("/api/v1/people?org={branch}")).await.json()["items"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    app.login("tencent.secretary").await;
    let before = app.get(&format!("/api/v1/meetings?org={branch}")).await;
    assert_eq!(before.status, StatusCode::OK, "{}", before.body);
    assert!(!before.json()["calendar"].as_array().unwrap().is_empty());
    let held = before.json()["meetings"].as_array().unwrap().len();
    let today = pioneer_web::clock::Clock::today(&app.clock);
    let meeting = json!({"kind": "party_lecture", "held_on": today.to_string(), "topic": "党课", "speaker": "赵重庆", "minutes": "讲授党史",
        "attendance": [{"person_id": person, "mark": "present"}]});
    let bad = json!({"kind": "party_lecture", "held_on": today.to_string(), "topic": "党课", "minutes": "讲授",
        "attendance": [{"person_id": person, "mark": "asleep"}]});
    let r = app.api(Method::POST, &format!("/api/v1/meetings?org={branch}"), bad).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(
        app.api(Method::POST, &format!("/api/v1/meetings?org={meituan}"), meeting.clone()).await.status,
        StatusCode::FORBIDDEN
    );
    let r = app.api(Method::POST, &format!("/api/v1/meetings?org={branch}"), meeting).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let after = app.get(&format!("/api/v1/meetings?org={branch}")).await.json();
    let meetings = after["meetings"].as_array().unwrap();
    assert_eq!(meetings.len(), held + 1);
    assert!(meetings.iter().any(|m| m["attendance"] == json!([{"person_id": person, "mark": "present"}])));
    // The roster: for those who may see full numbers.
    assert_eq!(
        app.get(&format!("/api/v1/people/roster?org={branch}&format=csv")).await.status,
        StatusCode::FORBIDDEN
    );
    app.login("committee.admin").await;
    let csv = app.get(&format!("/api/v1/people/roster?org={branch}&format=csv")).await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(csv.headers[axum::http::header::CONTENT_TYPE].to_str().unwrap().starts_with("text/csv"));
    assert!(csv.body.lines().count() > 1);
}

/// A committee's meeting lists the committee's own members, not everyone below it; a search
/// by name adds a member of a branch below, and a mark given to them survives a refused form.
async fn a_meeting_lists_its_own_members_and_finds_others(app: TestApp) {
    let committee = app.org_id("中共美团（深圳）公司委员会").await;
    let (rider, rider_name) = {
        let branch = app.org_id("美团骑手流动党支部（南山科技园站）").await;
        let people = app.store.attendee_choices(branch.parse().unwrap(), "", None, 300).await.unwrap();
        people[0].clone()
    };
    app.login("committee.admin").await;
    let page = app.get(&format!("/meetings?org={committee}")).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let form =
        page.body.split("id=\"attendance\"").nth(1).unwrap().split("</fieldset>").next().unwrap().to_owned();
    let own = app.store.attendee_choices(committee.parse().unwrap(), "", None, 300).await.unwrap();
    assert!(!own.is_empty() && own.len() < 10, "{own:?}");
    assert_eq!(form.matches("name=\"att_").count(), own.len(), "{form}");
    assert!(!form.contains(&rider.to_string()), "{form}");
    // Searching by the start of the name brings the rider in, beside the committee's own.
    let first: String = rider_name.chars().take(2).collect();
    let found = app.get(&format!("/meetings?org={committee}&q={}", enc(&first))).await;
    let form =
        found.body.split("id=\"attendance\"").nth(1).unwrap().split("</fieldset>").next().unwrap().to_owned();
    assert!(form.contains(&format!("name=\"att_{rider}\"")), "{form}");
    assert!(form.matches("name=\"att_").count() > own.len(), "{form}");
    // A refused form (no topic) keeps the mark given to the one found by search.
    let body = format!("kind=committee_meeting&held_on=2026-11-20&topic=&minutes=x&att_{rider}=online");
    let bad = app.post_form(&format!("/meetings?org={committee}"), &body).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    let kept =
        bad.body.split(&format!("name=\"att_{rider}\"")).nth(1).unwrap().split("</select>").next().unwrap();
    assert!(kept.contains("value=\"online\" selected"), "{kept}");
    // Outside the subtree, a search finds no one.
    let tencent = app.org_id("中共腾讯公司委员会").await;
    app.login("tencent.admin").await;
    let other = app.get(&format!("/meetings?org={tencent}&q={}", enc(&first))).await;
    assert!(!other.body.contains(&rider.to_string()), "{}", other.body);
}
