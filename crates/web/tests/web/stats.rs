//! Statistics: the dashboard, its drill-downs and workbooks, recomputed for any date.

use crate::support::TestApp;
use axum::http::{Method, StatusCode};
use serde_json::json;

pioneer_store::on_both!(
    with TestApp::new;
    the_dashboard_recomputes_every_figure_for_any_date,
    the_members_headline_and_non_members_link_to_the_people_counted,
    every_chart_has_its_own_title_for_screen_readers,
    a_write_never_makes_a_request_read_the_snapshot_again,
);

/// With no wait for a new snapshot (as a large deployment is served), the request after a
/// write answers at once from the last snapshot, saying when it was read, while a new one
/// is read in the background; a later request counts the write.
async fn a_write_never_makes_a_request_read_the_snapshot_again(app: TestApp) {
    app.login("organiser").await;
    let root = app.org_id(pioneer_demo::DEMO_ROOT_NAME).await;
    let first = app.get(&format!("/api/v1/stats?org={root}")).await.json();
    let people = first["figures"]["people"].as_u64().unwrap();
    let read_at = first["read_at_ms"].as_i64().unwrap();
    app.served.set_stats_wait(std::time::Duration::ZERO);
    app.clock.advance_minutes(1);
    let branch = app.org_id("腾讯数据平台部第三党支部").await;
    let id =
        pioneer_domain::people::id_card::IdCardNumber::compose(440305, jiff::civil::date(1998, 8, 8), 123);
    let r = app
        .api(
            Method::POST,
            "/api/v1/people",
            json!({"name": "新申请人", "id_card": id.as_str(), "ethnicity": "汉族",
        "education": "bachelor", "worker_category": "platform_staff", "status": "applicant", "org_id": branch,
        "applied_on": "2026-10-01"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let stale = app.get(&format!("/api/v1/stats?org={root}")).await.json();
    assert_eq!(stale["figures"]["people"].as_u64().unwrap(), people, "answered from the last snapshot");
    assert_eq!(stale["read_at_ms"].as_i64().unwrap(), read_at, "which says when it was read");
    let page = app.get(&format!("/stats?org={root}")).await;
    assert!(page.body.contains("数据读取于"), "the page says when its data was read");
    let mut fresh = stale;
    for _ in 0..200 {
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
        fresh = app.get(&format!("/api/v1/stats?org={root}")).await.json();
        if fresh["figures"]["people"].as_u64().unwrap() == people + 1 {
            break;
        }
    }
    assert_eq!(fresh["figures"]["people"].as_u64().unwrap(), people + 1, "the new snapshot counts the write");
    assert!(fresh["read_at_ms"].as_i64().unwrap() > read_at, "{fresh}");
}

/// The `<title>`s of the page's SVG charts, each checked to label its chart and to have a
/// description.
fn chart_titles(body: &str) -> Vec<String> {
    body.split("<svg")
        .skip(1)
        .map(|svg| {
            let svg = svg.split("</svg>").next().unwrap();
            assert!(svg.contains("role=\"img\""), "{svg}");
            let id = svg.split("<title id=\"").nth(1).unwrap().split('"').next().unwrap();
            assert!(svg.contains(&format!("aria-labelledby=\"{id}\"")), "{svg}");
            let desc = svg.split("<desc id=\"").nth(1).unwrap().split("</desc>").next().unwrap();
            assert!(desc.len() > 10, "{desc}");
            let title = svg.split("<title id=").nth(1).unwrap();
            title[title.find('>').unwrap() + 1..title.find("</title>").unwrap()].to_owned()
        })
        .collect()
}

/// Each chart of the dashboard has a title of its own (the two yearly charts apart), in
/// both languages, and its own ids.
async fn every_chart_has_its_own_title_for_screen_readers(app: TestApp) {
    app.login("organiser").await;
    let root = app.org_id(pioneer_demo::DEMO_ROOT_NAME).await;
    let uri = format!("/stats?org={root}&since=2020");
    for (page, new, applied) in [
        (app.get(&uri).await, "每年发展党员人数", "每年递交入党申请人数"),
        (app.get_en(&uri).await, "New members admitted per year", "Applications to join per year"),
    ] {
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        let titles = chart_titles(&page.body);
        assert_eq!(titles.len(), 4, "{titles:?}");
        let distinct: std::collections::HashSet<&String> = titles.iter().collect();
        assert_eq!(distinct.len(), titles.len(), "{titles:?}");
        assert!(titles.iter().any(|t| t == new) && titles.iter().any(|t| t == applied), "{titles:?}");
        let ids: std::collections::HashSet<&str> = page
            .body
            .split("<svg")
            .skip(1)
            .map(|s| s.split("id=\"").nth(1).unwrap().split('"').next().unwrap())
            .collect();
        assert_eq!(ids.len(), 4, "{ids:?}");
    }
}

/// The link of the figure shown first after `marker` on the page: its target (unescaped)
/// and the number it shows.
fn figure_link(body: &str, marker: &str) -> (String, u64) {
    let at = body.find(marker).unwrap_or_else(|| panic!("no {marker}: {body}"));
    let rest = &body[at..];
    let href = rest.find("<a href=\"").unwrap() + "<a href=\"".len();
    let end = href + rest[href..].find('"').unwrap();
    let shown = end + 2;
    let n = rest[shown..shown + rest[shown..].find("</a>").unwrap()].parse().unwrap();
    (rest[href..end].replace("&amp;", "&"), n)
}

/// The people a drill-down page lists, after checking the total it states.
fn listed(body: &str, total: u64) -> usize {
    assert!(body.contains(&format!("<strong>{total}</strong>")), "{body}");
    let list = &body[body.find("id=\"people\"").unwrap()..];
    list[..list.find("</ul>").unwrap()].matches("<li>").count()
}

async fn the_members_headline_and_non_members_link_to_the_people_counted(app: TestApp) {
    app.login("organiser").await;
    let branch = app.org_id("美团骑手流动党支部（南山科技园站）").await;
    // A 群众 registered without any dates, as most non-members are.
    let id =
        pioneer_domain::people::id_card::IdCardNumber::compose(440305, jiff::civil::date(1998, 8, 8), 123);
    let r = app
        .api(
            Method::POST,
            "/api/v1/people",
            json!({"name": "群众甲", "id_card": id.as_str(), "ethnicity": "汉族",
        "education": "bachelor", "worker_category": "rider", "status": "non_member", "org_id": branch}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let root = app.org_id(pioneer_demo::DEMO_ROOT_NAME).await;
    for org in [&root, &branch] {
        let page = app.get(&format!("/stats?org={org}")).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        let api = app.get(&format!("/api/v1/stats?org={org}")).await.json();
        let by_status = &page.body[page.body.find("id=\"by-status\"").unwrap()..];
        for (marker, body, expected) in [
            ("id=\"members\"", page.body.as_str(), api["figures"]["members"].as_u64().unwrap()),
            ("<td>群众</td>", by_status, 0),
        ] {
            let (href, shown) = figure_link(body, marker);
            if expected > 0 {
                assert_eq!(shown, expected, "{marker}: the headline is the API's members");
            } else {
                assert!(shown > 0, "{marker}: the demo and the new person are counted");
            }
            assert!(shown <= 500, "the drill-down lists up to 500");
            let list = app.get(&href).await;
            assert_eq!(list.status, StatusCode::OK, "{href}: {}", list.body);
            assert_eq!(listed(&list.body, shown), shown as usize, "{marker} on {org}: {href}");
        }
    }
}

async fn the_dashboard_recomputes_every_figure_for_any_date(app: TestApp) {
    app.login("organiser").await;
    let root = app.org_id(pioneer_demo::DEMO_ROOT_NAME).await;
    let page = app.get(&format!("/stats?org={root}")).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("<svg") && page.body.contains("30岁及以下"), "{}", page.body);
    let now = app.get(&format!("/api/v1/stats?org={root}&since=2020")).await;
    assert_eq!(now.status, StatusCode::OK, "{}", now.body);
    let v = now.json();
    let f = &v["figures"];
    let members = f["members"].as_u64().unwrap();
    let by_status: std::collections::HashMap<String, u64> = f["by_status"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| (x[0].as_str().unwrap().to_owned(), x[1].as_u64().unwrap()))
        .collect();
    assert_eq!(members, by_status["full_member"] + by_status["probationary_member"]);
    assert_eq!(f["people"].as_u64().unwrap(), by_status.values().sum::<u64>());
    let bands: u64 = f["bands"].as_array().unwrap().iter().map(|x| x[1].as_u64().unwrap()).sum();
    assert_eq!(bands, members, "every member is in one age band");
    // The drill-down lists exactly the people a figure counts.
    let up_to_35 = f["up_to_35"].as_u64().unwrap();
    let list = app.get(&format!("/stats/people?org={root}&figure=up_to_35")).await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.body);
    assert!(list.body.contains(&format!("<strong>{up_to_35}</strong>")), "{}", list.body);
    // The end of 2021 shows what was true then: fewer members, no later admissions.
    let then = app.get(&format!("/api/v1/stats?org={root}&on=2021-12-31&since=2020")).await.json();
    assert!(then["figures"]["members"].as_u64().unwrap() < members, "{then}");
    assert_eq!(then["figures"]["new_members"].as_array().unwrap().len(), 2);
    // A member admitted this year counts at once, in this year's new members.
    let year_count = |v: &serde_json::Value, year: i64| {
        v["figures"]["new_members"].as_array().unwrap().iter().find(|y| y["year"] == year).unwrap()["count"]
            .as_u64()
            .unwrap()
    };
    let before = year_count(&v, 2026);
    let branch = app.org_id("腾讯数据平台部第三党支部").await;
    let id =
        pioneer_domain::people::id_card::IdCardNumber::compose(440305, jiff::civil::date(1999, 9, 9), 321);
    let r = app.api(Method::POST, "/api/v1/people", json!({"name": "新党员", "id_card": id.as_str(), "ethnicity": "汉族",
        "education": "bachelor", "worker_category": "platform_staff", "status": "probationary_member", "org_id": branch,
        "applied_on": "2024-03-01", "activist_on": "2024-06-01", "target_on": "2025-06-01", "admitted_on": "2026-07-01"})).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let after = app.get(&format!("/api/v1/stats?org={root}&since=2020")).await.json();
    assert_eq!(year_count(&after, 2026), before + 1);
    assert_eq!(after["figures"]["members"].as_u64().unwrap(), members + 1);
    // Bad input: a clear refusal naming the field.
    for (q, field) in [("on=2099-01-01", "on"), ("on=nope", "on"), ("since=1800", "since")] {
        let r = app.get(&format!("/api/v1/stats?org={root}&{q}")).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{q}");
        assert!(r.body.contains(field), "{q}: {}", r.body);
        assert_eq!(app.get(&format!("/stats?org={root}&{q}")).await.status, StatusCode::UNPROCESSABLE_ENTITY);
    }
    assert_eq!(
        app.get(&format!("/stats/people?org={root}&figure=nope")).await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    // The workbooks open as spreadsheets: the dashboard with its charts, the annual report.
    let book = app.get_bytes(&format!("/stats.xlsx?org={root}&since=2020")).await;
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(book)).unwrap();
    assert!(zip.by_name("xl/charts/chart1.xml").is_ok(), "native charts");
    let annual = app.get_bytes(&format!("/stats/annual.xlsx?org={root}&year=2025")).await;
    let mut sheets = calamine::open_workbook_auto_from_rs(std::io::Cursor::new(annual)).unwrap();
    use calamine::Reader;
    let names = sheets.sheet_names();
    assert!(
        names.contains(&"党员基本情况".to_owned()) && names.contains(&"发展党员".to_owned()),
        "{names:?}"
    );
    let basic = sheets.worksheet_range("党员基本情况").unwrap();
    let total = basic.get_value((3, 1)).unwrap().to_string();
    let end_2025 = app.get(&format!("/api/v1/stats?org={root}&on=2025-12-31")).await.json();
    assert_eq!(
        total,
        end_2025["figures"]["members"].to_string(),
        "the report's members are the API's at 2025-12-31"
    );
    assert_eq!(
        app.get(&format!("/stats/annual.xlsx?org={root}&year=2026")).await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    // A secretary sees her branch only.
    app.login("tencent.secretary").await;
    assert_eq!(app.get(&format!("/api/v1/stats?org={root}")).await.status, StatusCode::FORBIDDEN);
    let mine = app.get(&format!("/api/v1/stats?org={branch}")).await.json();
    assert!(mine["figures"]["people"].as_u64().unwrap() < after["figures"]["people"].as_u64().unwrap());
}
