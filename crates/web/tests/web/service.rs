//! Volunteer service through the pages and the API: an organiser forms a team of members
//! and non-members for a campaign and records a request; volunteers sign up on their phones
//! (never beyond the places, never two overlapping shifts), check in and out, and their
//! leader confirms the hours once (credits once); the certificate, the campaign's board and
//! its public summary; another enterprise is refused; messages reach a gateway the test
//! starts, a failed send tried again.

use crate::support::{TestApp, enc};
use axum::http::{Method, StatusCode};
use pioneer_domain::accounts::access::Role;
use serde_json::{Value, json};
use std::sync::{Arc, Mutex};

pioneer_store::on_both!(
    with TestApp::new;
    volunteers_sign_up_serve_and_their_hours_count_once,
    messages_reach_the_gateway_and_a_failed_send_is_tried_again,
    the_figures_are_on_the_dashboard_and_in_the_annual_report,
);

fn id(r: &crate::support::Reply) -> String {
    r.json()["id"].as_str().unwrap_or_else(|| panic!("no id: {}", r.body)).to_owned()
}

fn fields(r: &crate::support::Reply) -> Vec<String> {
    r.json()["errors"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|e| e["field"].as_str().unwrap().to_owned())
        .collect()
}

async fn volunteers_sign_up_serve_and_their_hours_count_once(app: TestApp) {
    let branch = app.branch("东区骑手流动党支部").await;
    let leader = branch.member("队长老周").await;
    let member = branch.member("党员骑手甲").await;
    let citizen = branch
        .person(pioneer_domain::people::PersonInput {
            name: "群众骑手乙".into(),
            status: "non_member".into(),
            ..Default::default()
        })
        .await;
    let leader_app = branch.account_of(&leader, Role::Member).await;
    let member_app = branch.account_of(&member, Role::Member).await;
    let citizen_app = branch.account_of(&citizen, Role::Applicant).await;
    let org = branch.id;

    // The organiser: a campaign, a team led by 老周 (page form), its volunteers (API).
    let c = app
        .api(
            Method::POST,
            &format!("/api/v1/service/campaigns?org={org}"),
            json!({"name": "冬季助老专项行动", "starts_on": "2026-11-01"}),
        )
        .await;
    assert_eq!(c.status, StatusCode::CREATED, "{}", c.body);
    let campaign = id(&c);
    let form = format!(
        "name={}&kind=delivery_team&districts={}&leader_id={}&campaign_id={campaign}",
        enc("东区骑手配送队"),
        enc("南山区"),
        leader.id
    );
    let r = app.post_form(&format!("/service/teams?org={org}"), &form).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let teams = app.get(&format!("/api/v1/service?org={org}")).await.json();
    let team = teams["teams"][0]["id"].as_str().unwrap().to_owned();
    for p in [&leader, &member, &citizen] {
        let r = app
            .api(
                Method::POST,
                &format!("/api/v1/service/teams/{team}/volunteers"),
                json!({"person_id": p.id, "vehicle": "e_bike"}),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    }
    let truck = app
        .api(
            Method::POST,
            &format!("/api/v1/service/teams/{team}/volunteers"),
            json!({"person_id": member.id, "vehicle": "truck"}),
        )
        .await;
    assert_eq!(
        (truck.status, fields(&truck)),
        (StatusCode::UNPROCESSABLE_ENTITY, vec!["load_kg".to_owned()])
    );

    // A request without a contact is refused by field, nothing written; then one with it.
    let mut request = json!({"requester": "桃源街道敬老院", "requester_kind": "welfare_institution", "contact_name": "",
        "contact_phone": "", "kind": "meal_delivery", "address": "桃源街道", "district": "南山区",
        "starts_at": "2026-11-29T08:00", "ends_at": "2026-11-29T20:00", "quantity": "60", "urgency": "urgent",
        "team_id": team, "campaign_id": campaign});
    let r = app.api(Method::POST, &format!("/api/v1/service/requests?org={org}"), request.clone()).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        fields(&r).contains(&"contact_name".to_owned()) && fields(&r).contains(&"contact_phone".to_owned())
    );
    assert!(
        app.get(&format!("/api/v1/service?org={org}")).await.json()["requests"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    request["contact_name"] = json!("王院长");
    request["contact_phone"] = json!("13912340000");
    let req = id(&app.api(Method::POST, &format!("/api/v1/service/requests?org={org}"), request).await);
    let shift = |from: &str, to: &str, capacity: u32| json!({"starts_at": format!("2026-11-29T{from}"), "ends_at": format!("2026-11-29T{to}"), "capacity": capacity.to_string(), "task": "送餐到敬老院"});
    let one_place = id(&app
        .api(Method::POST, &format!("/api/v1/service/requests/{req}/shifts"), shift("12:00", "16:00", 1))
        .await);
    let overlapping = id(&app
        .api(Method::POST, &format!("/api/v1/service/requests/{req}/shifts"), shift("14:00", "18:00", 5))
        .await);

    // The volunteers' phones: the campaign's shift first, with its name; each was told.
    let home = member_app.get("/service").await;
    assert_eq!(home.status, StatusCode::OK);
    assert!(
        home.body.contains("冬季助老专项行动")
            && home.body.contains(&format!("/service/shifts/{one_place}/signup"))
    );
    let mine = citizen_app.get("/api/v1/me/service").await.json();
    assert_eq!(mine["messages"].as_array().unwrap().len(), 2, "{mine}");
    assert_eq!(mine["open"][0]["campaign"], "冬季助老专项行动");
    let r = member_app.post_form(&format!("/service/shifts/{one_place}/signup"), "").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let full = citizen_app
        .api(Method::POST, &format!("/api/v1/me/service/shifts/{one_place}/signup"), json!({}))
        .await;
    assert_eq!(full.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(full.body.contains("满员"), "{}", full.body);
    let overlap = member_app.post_form(&format!("/service/shifts/{overlapping}/signup"), "").await;
    assert_eq!(overlap.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(overlap.body.contains("重叠"), "{}", overlap.body);
    let r = citizen_app
        .api(Method::POST, &format!("/api/v1/me/service/shifts/{overlapping}/signup"), json!({}))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);

    // The shift: out before in is refused; in at 12:00, out at 16:00 (everyone's sessions
    // kept alive meanwhile, as phones in use are).
    let early = member_app
        .api(Method::POST, &format!("/api/v1/me/service/shifts/{one_place}/check-out"), json!({}))
        .await;
    assert_eq!(early.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        member_app.post_form(&format!("/service/shifts/{one_place}/check-in"), "").await.status,
        StatusCode::SEE_OTHER
    );
    for _ in 0..12 {
        app.clock.advance_minutes(20);
        for client in [&*app, &leader_app, &member_app, &citizen_app] {
            assert_eq!(client.get("/").await.status, StatusCode::OK);
        }
    }
    let out = member_app
        .api(Method::POST, &format!("/api/v1/me/service/shifts/{one_place}/check-out"), json!({}))
        .await;
    assert_eq!((out.status, out.json()["minutes"].as_i64()), (StatusCode::OK, Some(240)), "{}", out.body);

    // The leader (a member, no role of manager) confirms the hours once; credits once.
    let before = member_app.get("/api/v1/me/credits").await.json()["balance"].as_i64().unwrap();
    let led = leader_app.get("/service").await;
    assert!(led.body.contains(&format!("/service/teams/{team}")), "the leader finds the team");
    let team_page = leader_app.get(&format!("/service/teams/{team}")).await;
    assert!(
        team_page.status == StatusCode::OK && team_page.body.contains(&format!("/service/requests/{req}"))
    );
    let page = leader_app.get(&format!("/service/requests/{req}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("党员骑手甲") && page.body.contains("确认时长"));
    let confirm = format!("person_id={}&evaluation={}", member.id, enc("准时送达"));
    assert_eq!(
        leader_app.post_form(&format!("/service/shifts/{one_place}/hours"), &confirm).await.status,
        StatusCode::SEE_OTHER
    );
    let twice = leader_app.post_form(&format!("/service/shifts/{one_place}/hours"), &confirm).await;
    assert_eq!(twice.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(twice.body.contains("已经记录过"));
    let after = member_app.get("/api/v1/me/credits").await.json()["balance"].as_i64().unwrap();
    assert!(after > before, "confirmed hours earn credits: {before} → {after}");
    assert_eq!(
        member_app.get("/api/v1/me/credits").await.json()["entries"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["what"]["source"] == "volunteer")
            .count(),
        1
    );
    // Not the leader: a volunteer of the team, and another enterprise's secretary.
    let r = citizen_app.post_form(&format!("/service/shifts/{one_place}/hours"), &confirm).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let other = app.sign_in("tencent.secretary").await;
    for uri in [
        format!("/service/requests/{req}"),
        format!("/service/teams/{team}"),
        format!("/api/v1/service/campaigns/{campaign}"),
    ] {
        assert_eq!(other.get(&uri).await.status, StatusCode::FORBIDDEN, "{uri}");
    }
    assert_eq!(other.get(&format!("/api/v1/service?org={org}")).await.status, StatusCode::FORBIDDEN);

    // The certificate and the board.
    let cert = member_app.get("/api/v1/me/service/certificate").await.json();
    assert_eq!(
        (cert["minutes"].as_i64(), cert["records"][0]["evaluation"].as_str()),
        (Some(240), Some("准时送达"))
    );
    let printed = member_app.get("/service/certificate").await;
    assert!(printed.body.contains("4.0") && printed.body.contains("桃源街道敬老院"));
    let board = app.get(&format!("/api/v1/service/campaigns/{campaign}")).await.json();
    assert_eq!(
        (board["board"]["teams"].as_i64(), board["board"]["total"]["minutes"].as_i64()),
        (Some(1), Some(240)),
        "{board}"
    );

    // Donations: beyond what is left is refused; the summary is public once published,
    // with no one's name in it.
    let d = app
        .api(
            Method::POST,
            &format!("/api/v1/service/campaigns/{campaign}/donations"),
            json!({"donor": "某物流企业", "kind": "goods",
            "item": "暖心包", "unit": "份", "quantity": "100", "received_on": "2026-11-29"}),
        )
        .await;
    let donation = id(&d);
    let give = |n: u32| json!({"recipient": "桃源街道敬老院", "quantity": n.to_string(), "on": "2026-11-30", "receipt": "签收单"});
    assert_eq!(
        app.api(Method::POST, &format!("/api/v1/service/donations/{donation}/distributions"), give(60))
            .await
            .status,
        StatusCode::CREATED
    );
    let beyond =
        app.api(Method::POST, &format!("/api/v1/service/donations/{donation}/distributions"), give(41)).await;
    assert_eq!(
        (beyond.status, fields(&beyond)),
        (StatusCode::UNPROCESSABLE_ENTITY, vec!["quantity".to_owned()])
    );
    let public = app.client();
    assert_eq!(public.get(&format!("/campaigns/{campaign}")).await.status, StatusCode::NOT_FOUND);
    let r = app.post_form(&format!("/service/campaigns/{campaign}/publish"), "publish=1").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let summary = public.get(&format!("/campaigns/{campaign}")).await;
    assert_eq!(summary.status, StatusCode::OK);
    assert!(summary.body.contains("暖心包") && summary.body.contains("60"));
    for name in ["党员骑手甲", "群众骑手乙", "队长老周", "王院长", "13912340000"] {
        assert!(!summary.body.contains(name), "{name} on the public summary");
    }
    let api = public.get(&format!("/api/v1/campaigns/{campaign}/summary")).await.json();
    assert_eq!(api["minutes"].as_i64(), Some(240));
    assert!(app.store.check().await.unwrap().clean());
}

/// A gateway on a local port that refuses the first message (500) and takes the rest,
/// keeping what it was sent.
async fn gateway(received: Arc<Mutex<Vec<Value>>>) -> u16 {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        let mut first = true;
        loop {
            let Ok((mut stream, _)) = listener.accept().await else { return };
            let mut buf = Vec::new();
            let mut chunk = [0u8; 4096];
            // Read the head, then the body its Content-Length announces.
            let body = loop {
                let n = stream.read(&mut chunk).await.unwrap_or(0);
                if n == 0 {
                    break None;
                }
                buf.extend_from_slice(&chunk[..n]);
                let text = String::from_utf8_lossy(&buf).to_string();
                if let Some(end) = text.find("\r\n\r\n") {
                    let length = text[..end]
                        .lines()
                        .find_map(|l| {
                            l.to_ascii_lowercase()
                                .strip_prefix("content-length:")
                                .map(|v| v.trim().parse::<usize>().unwrap())
                        })
                        .unwrap_or(0);
                    if buf.len() >= end + 4 + length {
                        break Some(buf[end + 4..end + 4 + length].to_vec());
                    }
                }
            };
            let status = if first { "500 Internal Server Error" } else { "200 OK" };
            if !first && let Some(b) = body {
                received.lock().unwrap().push(serde_json::from_slice(&b).unwrap());
            }
            first = false;
            let reply = format!("HTTP/1.1 {status}\r\ncontent-length: 0\r\nconnection: close\r\n\r\n");
            let _ = stream.write_all(reply.as_bytes()).await;
        }
    });
    port
}

async fn messages_reach_the_gateway_and_a_failed_send_is_tried_again(app: TestApp) {
    use pioneer_web::service::outbox::{Endpoint, round};
    let received = Arc::new(Mutex::new(Vec::new()));
    let port = gateway(received.clone()).await;
    let to = Endpoint::parse(&format!("http://127.0.0.1:{port}/sms")).unwrap();
    // A new shift for the demo rider's team: its volunteers are told.
    let rider = app.sign_in("rider").await;
    let requests = rider.get("/api/v1/me/service").await.json();
    let open = requests["open"].as_array().unwrap().len();
    let team_request =
        app.get("/api/v1/service").await.json()["requests"][0]["id"].as_str().unwrap().to_owned();
    let shift = json!({"starts_at": "2026-12-03T09:00", "ends_at": "2026-12-03T11:00", "capacity": "2", "task": "送药上门"});
    let r = app.api(Method::POST, &format!("/api/v1/service/requests/{team_request}/shifts"), shift).await;
    assert_eq!(r.status, StatusCode::CREATED, "the dispatch does not wait for any gateway: {}", r.body);
    let mine = rider.get("/api/v1/me/service").await.json();
    assert_eq!(mine["open"].as_array().unwrap().len(), open + 1);
    assert!(mine["messages"][0]["body"].as_str().unwrap().contains("送药上门"), "{mine}");
    assert!(mine["messages"][0]["sent_at"].is_null());
    // The first round meets a refusal and sends the rest; the refused one waits its turn.
    let (sent, failed) = round(&app.store, &app.clock, &to).await;
    assert!(failed == 1 && sent >= 1, "{sent} sent, {failed} failed");
    let (sent_again, failed_again) = round(&app.store, &app.clock, &to).await;
    assert_eq!((sent_again, failed_again), (0, 0), "not yet due again");
    app.clock.advance_minutes(1);
    let (retried, _) = round(&app.store, &app.clock, &to).await;
    assert_eq!(retried, 1, "the refused message went on the next try");
    let got = received.lock().unwrap().clone();
    assert_eq!(got.len(), sent + 1);
    assert!(got.iter().any(|m| m["text"].as_str().unwrap().contains("送药上门")), "{got:?}");
    let ids: std::collections::BTreeSet<&str> = got.iter().map(|m| m["id"].as_str().unwrap()).collect();
    assert_eq!(ids.len(), got.len(), "each message sent once");
}

/// The demo's 2022 campaign in the statistics: the dashboard as at the end of 2022 and the
/// annual report's sheet for 2022 give the same figures; 2021 has none.
async fn the_figures_are_on_the_dashboard_and_in_the_annual_report(app: TestApp) {
    let root = app.root().await.id;
    let api = app.get(&format!("/api/v1/stats?org={root}&on=2022-12-31")).await.json();
    let v = &api["volunteer_service"];
    assert_eq!(
        (v["teams"].as_i64(), v["shifts"].as_i64(), v["requests_done"].as_i64()),
        (Some(9), Some(9), Some(9)),
        "{v}"
    );
    assert!(v["volunteers"].as_i64() > v["member_volunteers"].as_i64(), "non-members volunteer too: {v}");
    assert_eq!(v["goods_distributed"].as_i64(), Some(17_500));
    let none = app.get(&format!("/api/v1/stats?org={root}&on=2021-12-31")).await.json();
    assert_eq!(none["volunteer_service"]["shifts"].as_i64(), Some(0));
    let page = app.get(&format!("/stats?org={root}&on=2022-12-31")).await;
    assert!(page.body.contains("volunteer-service") && page.body.contains("17500"));
    let annual = app.get_bytes(&format!("/stats/annual.xlsx?org={root}&year=2022")).await;
    let mut book = calamine::open_workbook_auto_from_rs(std::io::Cursor::new(annual)).unwrap();
    use calamine::Reader;
    let sheet = book.worksheet_range("志愿服务").unwrap();
    let value = |label: &str| -> f64 {
        let row = sheet.rows().find(|r| r[0] == label).unwrap_or_else(|| panic!("no row {label}"));
        row[1].to_string().parse().unwrap()
    };
    assert_eq!(value("服务班次（个）") as i64, v["shifts"].as_i64().unwrap());
    assert_eq!(value("志愿者（人）") as i64, v["volunteers"].as_i64().unwrap());
    assert_eq!(value("确认服务时长（小时）"), v["minutes"].as_f64().unwrap() / 60.0);
    assert_eq!(value("发放捐赠物资（件）") as i64, 17_500);
}
