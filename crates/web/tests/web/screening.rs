//! Screening a user can act on: each case named with its branch and stage, filters by rule,
//! branch and severity, the day judged, and the same rows on the page, in the API and in the
//! downloads.

use crate::support::{Client, Org, TestApp};
use axum::http::{Method, StatusCode, header};
use pioneer_domain::orgs::{OrgFields, OrgInput};
use serde_json::{Value, json};

pioneer_store::on_both!(
    with TestApp::new;
    each_case_is_named_with_its_branch_and_stage,
    each_filter_narrows_the_rows,
    the_day_judged_changes_the_findings,
    a_bad_day_rule_or_severity_is_refused_with_the_field_named,
    the_downloads_and_the_api_have_the_page_rows,
);

/// A new general branch under the demo's working committee (so the pages below list only
/// this test's cases) with two branches, each with one applicant whose dossier holds an
/// application letter: 张早 (east) applied on 2026-09-01, so a month has long passed
/// without a talk on the clock's day (2026-11-29); 李晚 (west) applied on 2026-11-10, so
/// the talk falls due only on 2026-12-10.
struct Fixture<'a> {
    parent: String,
    east: Org<'a>,
    west: Org<'a>,
    early: String,
    late: String,
}

async fn fixture(app: &TestApp) -> Fixture<'_> {
    let input = OrgInput { name: "排查总支".into(), kind: "general_branch".into(), ..Default::default() };
    let fields = OrgFields::parse(&input).unwrap();
    let act = pioneer_store::Act::new("test", "screening fixture", crate::support::now());
    app.store.create_org(&fields, Some(app.root().await.id), &act).await.unwrap();
    let parent = app.demo_org("排查总支").await;
    let east = parent.branch("排查东支部").await;
    let west = parent.branch("排查西支部").await;
    // The system administrator reads dossiers but does not write them: the general
    // branch's administrator opens the cases.
    let writer = parent.account(pioneer_domain::accounts::access::Role::OrgAdmin).await;
    let early = open_case(&writer, &east.applicant("张早").await.id.to_string(), "2026-09-01").await;
    let late = open_case(&writer, &west.applicant("李晚").await.id.to_string(), "2026-11-10").await;
    Fixture { parent: parent.id.to_string(), east, west, early, late }
}

/// Opens a dossier for `person` with an application letter received on `on`.
async fn open_case(app: &Client, person: &str, on: &str) -> String {
    let r = app.api(Method::POST, "/api/v1/dossiers", json!({"person_id": person})).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let d = r.json()["id"].as_str().unwrap().to_owned();
    let r = app
        .api(
            Method::POST,
            &format!("/api/v1/dossiers/{d}/events"),
            json!({"kind": "application_letter", "on": on, "fields": {}}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    d
}

/// A case row of the page: (check code, dossier id, name, branch, stage, severity).
type Row = (String, String, String, String, String, String);

/// The case rows of a screening page, group by group.
fn page_rows(body: &str) -> Vec<Row> {
    let mut out = Vec::new();
    for section in body.split("<section class=\"group").skip(1) {
        let code = section.split("id=\"group-").nth(1).unwrap().split('"').next().unwrap().to_owned();
        let section = section.split("</section>").next().unwrap();
        for tr in section.split("<tr class=\"case\">").skip(1) {
            let tr = tr.split("</tr>").next().unwrap();
            let id = tr.split("href=\"/dossiers/").nth(1).unwrap().split('"').next().unwrap().to_owned();
            let cells: Vec<String> = tr.split("<td").skip(1).map(text_of).collect();
            assert_eq!(cells.len(), 4, "{tr}");
            out.push((
                code.clone(),
                id,
                cells[0].clone(),
                cells[1].clone(),
                cells[2].clone(),
                cells[3].clone(),
            ));
        }
    }
    out
}

/// The text of an HTML fragment (tags dropped; the leading attributes of the cell too).
fn text_of(cell: &str) -> String {
    let cell = cell.split_once('>').map_or(cell, |(_, rest)| rest);
    let mut out = String::new();
    let mut in_tag = false;
    for ch in cell.chars() {
        match ch {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.trim().to_owned()
}

/// The rows of the page `uri`, checking it answered 200.
async fn rows_of(app: &Client, uri: &str) -> Vec<Row> {
    let r = app.get(uri).await;
    assert_eq!(r.status, StatusCode::OK, "{uri}: {}", r.body);
    page_rows(&r.body)
}

fn ids(rows: &[Row]) -> Vec<&str> {
    rows.iter().map(|r| r.1.as_str()).collect()
}

async fn each_case_is_named_with_its_branch_and_stage(app: TestApp) {
    let f = fixture(&app).await;
    let root = &f.parent;
    let page = app.get(&format!("/screening?org={root}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.body.contains(">#1<"), "cases are named, not numbered");
    let rows = page_rows(&page.body);
    let early = rows.iter().find(|r| r.1 == f.early).expect("the overdue talk is listed");
    assert_eq!(
        (early.0.as_str(), early.2.as_str(), early.3.as_str(), early.4.as_str(), early.5.as_str()),
        ("talk_missing", "张早", "排查东支部", "申请入党", "违规")
    );
    assert!(page.body.contains(&format!("<a href=\"/dossiers/{}\">张早</a>", f.early)));
    // Each group says how many dossiers it has; this one lists them all.
    let section =
        page.body.split("id=\"group-talk_missing\"").nth(1).unwrap().split("</section>").next().unwrap();
    let count: usize =
        section.split("class=\"group-count\">").nth(1).unwrap().split('<').next().unwrap().parse().unwrap();
    assert!(count >= rows.iter().filter(|r| r.0 == "talk_missing").count());
    // In English, the stage and severity are English.
    let en = page_rows(&app.get_en(&format!("/screening?org={root}&branch={}", f.east.id)).await.body);
    assert_eq!(
        en.iter().map(|r| (r.2.as_str(), r.4.as_str(), r.5.as_str())).collect::<Vec<_>>(),
        [("张早", "Application", "violation")]
    );
}

async fn each_filter_narrows_the_rows(app: TestApp) {
    let f = fixture(&app).await;
    let root = &f.parent;
    let all = rows_of(&app, &format!("/screening?org={root}&as_of=2026-12-15")).await;
    assert!(ids(&all).contains(&f.early.as_str()) && ids(&all).contains(&f.late.as_str()));
    // By branch: only the branch's cases.
    let east = rows_of(&app, &format!("/screening?org={root}&branch={}&as_of=2026-12-15", f.east.id)).await;
    assert_eq!(ids(&east), [f.early.as_str()]);
    assert!(east.len() < all.len());
    // By rule, as a rule id or as a check code: only that rule's groups.
    for rule in ["DEV-003", "talk_missing"] {
        let by_rule = rows_of(&app, &format!("/screening?org={root}&rule={rule}&as_of=2026-12-15")).await;
        assert!(by_rule.iter().all(|r| r.0 == "talk_missing" || r.0 == "talk_late"), "{rule}: {by_rule:?}");
        assert!(ids(&by_rule).contains(&f.early.as_str()) && ids(&by_rule).contains(&f.late.as_str()));
        assert!(by_rule.len() <= all.len());
    }
    let other_rule = rows_of(&app, &format!("/screening?org={root}&rule=DEV-001&as_of=2026-12-15")).await;
    assert!(!ids(&other_rule).contains(&f.early.as_str()));
    // By severity: our cases' findings are violations, so the warnings have none of them.
    let warnings = rows_of(&app, &format!("/screening?org={root}&severity=warning&as_of=2026-12-15")).await;
    assert!(warnings.iter().all(|r| r.5 == "提醒"), "{warnings:?}");
    assert!(!ids(&warnings).contains(&f.early.as_str()));
    let violations =
        rows_of(&app, &format!("/screening?org={root}&severity=violation&as_of=2026-12-15")).await;
    assert!(violations.iter().all(|r| r.5 == "违规"));
    assert_eq!(warnings.len() + violations.len(), all.len(), "the two severities share the rows out");
    // The filters keep their values in the form.
    let page = app
        .get(&format!("/screening?org={root}&branch={}&rule=talk_missing&severity=violation", f.east.id))
        .await;
    assert!(page.body.contains(&format!("<option value=\"{}\" selected>", f.east.id)));
    assert!(page.body.contains("<option value=\"talk_missing\" selected>"));
    assert!(page.body.contains("<option value=\"violation\" selected>"));
    // The API filters the same way.
    let api = app
        .get(&format!("/api/v1/screening?org={root}&branch={}&rule=DEV-003&as_of=2026-12-15", f.east.id))
        .await;
    assert_eq!(api.status, StatusCode::OK, "{}", api.body);
    let api = api.json();
    assert_eq!(api["dossiers"], 1);
    assert_eq!(api["groups"][0]["cases"][0]["id"], f.early.as_str());
    // A branch out of reach is refused, on the page, in the downloads and in the API.
    let sec = f.west.secretary().await;
    assert_eq!(rows_of(&sec, "/screening").await.len(), 0, "the west branch's case is not overdue today");
    assert_eq!(ids(&rows_of(&sec, "/screening?as_of=2026-12-15").await), [f.late.as_str()]);
    for uri in [
        format!("/screening?branch={}", f.east.id),
        format!("/screening?branch={}&format=csv", f.east.id),
        format!("/screening?branch={}&format=xlsx", f.east.id),
        format!("/api/v1/screening?branch={}", f.east.id),
        format!("/screening?org={root}"),
    ] {
        assert_eq!(sec.get(&uri).await.status, StatusCode::FORBIDDEN, "{uri}");
    }
    assert_eq!(
        sec.get("/screening?branch=00000000-0000-0000-0000-000000000000").await.status,
        StatusCode::NOT_FOUND
    );
}

async fn the_day_judged_changes_the_findings(app: TestApp) {
    let f = fixture(&app).await;
    let root = &f.parent;
    // Today (2026-11-29) 李晚's talk is not due yet; on 2026-12-15 a month has passed.
    let today = rows_of(&app, &format!("/screening?org={root}&branch={}", f.west.id)).await;
    assert!(today.is_empty(), "{today:?}");
    let later = rows_of(&app, &format!("/screening?org={root}&branch={}&as_of=2026-12-15", f.west.id)).await;
    assert_eq!(
        later.iter().map(|r| (r.0.as_str(), r.1.as_str())).collect::<Vec<_>>(),
        [("talk_missing", f.late.as_str())]
    );
    // The day is shown and defaults to the clock's.
    let page = app.get(&format!("/screening?org={root}")).await;
    assert!(page.body.contains("name=\"as_of\" type=\"date\" value=\"2026-11-29\""));
    let page = app.get(&format!("/screening?org={root}&as_of=2026-12-15")).await;
    assert!(page.body.contains("value=\"2026-12-15\""));
    // The API takes the same day.
    let api = app.get(&format!("/api/v1/screening?branch={}&as_of=2026-12-15", f.west.id)).await.json();
    assert_eq!(api["as_of"], "2026-12-15");
    assert_eq!(api["groups"][0]["check"]["code"], "talk_missing");
    let api = app.get(&format!("/api/v1/screening?branch={}", f.west.id)).await.json();
    assert_eq!(api["groups"], json!([]));
}

async fn a_bad_day_rule_or_severity_is_refused_with_the_field_named(app: TestApp) {
    let root = app.root().await.id;
    let r = app.get(&format!("/screening?org={root}&as_of=2026-13-45&rule=talk_missing")).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("id=\"as_of-err\""), "{}", r.body);
    assert!(r.body.contains("排查日期："));
    assert!(r.body.contains("value=\"2026-13-45\""), "what was typed is kept");
    assert!(r.body.contains("<option value=\"talk_missing\" selected>"));
    let en = app.get_en(&format!("/screening?org={root}&as_of=yesterday")).await;
    assert_eq!(en.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(en.body.contains("As of: "), "{}", en.body);
    for (q, field) in
        [("as_of=2026-02-30", "as_of"), ("rule=DEV-999", "rule"), ("severity=grave", "severity")]
    {
        let page = app.get(&format!("/screening?org={root}&{q}")).await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{q}");
        assert!(page.body.contains(&format!("id=\"{field}-err\"")), "{q}");
        let api = app.get(&format!("/api/v1/screening?org={root}&{q}")).await;
        assert_eq!(api.status, StatusCode::UNPROCESSABLE_ENTITY, "{q}");
        assert!(api.headers[header::CONTENT_TYPE].to_str().unwrap().contains("problem+json"));
        assert!(api.body.contains(&format!("\"{field}\"")), "{q}: {}", api.body);
        // A download with a bad day is refused too, never a 500.
        let csv = app.get(&format!("/screening?org={root}&{q}&format=csv")).await;
        assert_eq!(csv.status, StatusCode::UNPROCESSABLE_ENTITY, "{q}");
    }
}

async fn the_downloads_and_the_api_have_the_page_rows(app: TestApp) {
    let f = fixture(&app).await;
    let root = &f.parent;
    let q = format!("org={root}&as_of=2026-12-15");
    let page = rows_of(&app, &format!("/screening?{q}")).await;
    assert!(page.len() >= 2);
    let expected: Vec<Vec<String>> = page
        .iter()
        .map(|r| vec![r.2.clone(), r.3.clone(), r.4.clone(), r.5.clone(), "2026-12-15".into(), r.1.clone()])
        .collect();
    // The CSV: one row per (case, finding), in the page's order.
    let csv = app.get(&format!("/screening?{q}&format=csv")).await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(csv.headers[header::CONTENT_TYPE].to_str().unwrap().starts_with("text/csv"));
    let mut reader = csv::Reader::from_reader(csv.body.trim_start_matches('\u{feff}').as_bytes());
    let head: Vec<String> = reader.headers().unwrap().iter().map(str::to_owned).collect();
    assert_eq!(
        head,
        ["姓名", "所在党组织", "阶段", "规则", "审计项", "性质", "问题", "排查日期", "档案编号"]
    );
    let records: Vec<Vec<String>> =
        reader.records().map(|r| r.unwrap().iter().map(str::to_owned).collect()).collect();
    let pick = |r: &Vec<String>| {
        vec![r[0].clone(), r[1].clone(), r[2].clone(), r[5].clone(), r[7].clone(), r[8].clone()]
    };
    assert_eq!(records.iter().map(pick).collect::<Vec<_>>(), expected);
    let early = records.iter().find(|r| r[8] == f.early).unwrap();
    assert_eq!((early[3].as_str(), early[4].as_str()), ("DEV-003", "AUD-02"));
    assert_eq!(early[6], "收到申请书已满一个月仍无谈话记录");
    // The xlsx: the same cells.
    let xlsx = app.get_bytes(&format!("/screening?{q}&format=xlsx")).await;
    {
        use calamine::{Data, Reader};
        let mut book: calamine::Xlsx<_> =
            calamine::open_workbook_from_rs(std::io::Cursor::new(&xlsx)).unwrap();
        let sheet = book.sheet_names()[0].clone();
        let range = book.worksheet_range(&sheet).unwrap();
        let cells: Vec<Vec<String>> = range
            .rows()
            .skip(1)
            .map(|r| {
                r.iter().map(|c| if let Data::String(s) = c { s.clone() } else { c.to_string() }).collect()
            })
            .collect();
        assert_eq!(cells, records);
    }
    // The page's download links carry the filters.
    let body = app.get(&format!("/screening?{q}&severity=violation")).await.body;
    assert!(body.contains("&amp;severity=violation&amp;format=csv\""), "{body}");
    // The API: the same cases, named, in the same order.
    let api = app.get(&format!("/api/v1/screening?{q}")).await.json();
    let from_api: Vec<(String, String, String, String, String)> = api["groups"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|g| {
            let code = g["check"]["code"].as_str().unwrap().to_owned();
            g["cases"].as_array().unwrap().iter().map(move |c: &Value| {
                (
                    code.clone(),
                    c["id"].as_str().unwrap().to_owned(),
                    c["name"].as_str().unwrap().to_owned(),
                    c["branch"].as_str().unwrap().to_owned(),
                    c["stage_zh"].as_str().unwrap().to_owned(),
                )
            })
        })
        .collect();
    let from_page: Vec<(String, String, String, String, String)> =
        page.iter().map(|r| (r.0.clone(), r.1.clone(), r.2.clone(), r.3.clone(), r.4.clone())).collect();
    assert_eq!(from_api, from_page);
}
