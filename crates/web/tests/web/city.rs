//! The city side through the pages and the API: badges and stickers verify on a public
//! page until a transfer (an altered code never does), citizens' praise and complaints reach
//! the branch and a flood from one address is limited without blocking anything; the
//! directory imports a whole xlsx or nothing and hides members-only entries from the
//! public; the map draws the demo's places as SVG, refuses points outside the region and
//! converts GCJ-02 at the edge; the portal's figures come from the statistics, its news
//! reaches the Atom feed only once published, and a citizen's offer lands in a team's queue.

use crate::support::{TestApp, enc, upload};
use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use serde_json::{Value, json};

pioneer_store::on_both!(
    with TestApp::new;
    badges_verify_until_a_transfer_and_citizens_reach_the_branch,
    the_directory_imports_a_whole_file_or_nothing,
    the_map_draws_places_in_the_region_and_converts_coordinates,
    the_portal_publishes_live_figures_news_and_takes_citizens,
);

fn fields(r: &crate::support::Reply) -> Vec<String> {
    r.json()["errors"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|e| e["field"].as_str().unwrap().to_owned())
        .collect()
}

async fn badges_verify_until_a_transfer_and_citizens_reach_the_branch(app: TestApp) {
    let branch = app.branch("城市测试骑手支部").await;
    let member = branch.member("徽章党员甲").await;
    let outsider = branch
        .person(pioneer_domain::people::PersonInput {
            name: "群众乙".into(),
            status: "non_member".into(),
            ..Default::default()
        })
        .await;
    let org = branch.id;
    let r = app
        .api(
            Method::POST,
            &format!("/api/v1/badges?org={org}"),
            json!({"kind": "badge", "number": "CS-0001", "person_id": member.id, "station": "科技园驿站"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let url = r.json()["verify_url"].as_str().unwrap().to_owned();
    let code = url.rsplit('/').next().unwrap().to_owned();
    // Bad input: a number issued twice, a sticker for a non-member, a malformed plate.
    let twice = app
        .api(
            Method::POST,
            &format!("/api/v1/badges?org={org}"),
            json!({"kind": "badge", "number": "CS-0001", "person_id": member.id}),
        )
        .await;
    assert_eq!((twice.status, fields(&twice)), (StatusCode::UNPROCESSABLE_ENTITY, vec!["number".to_owned()]));
    let non = app
        .api(
            Method::POST,
            &format!("/api/v1/badges?org={org}"),
            json!({"kind": "sticker", "plate": "粤B99999", "person_id": outsider.id}),
        )
        .await;
    assert_eq!((non.status, fields(&non)), (StatusCode::UNPROCESSABLE_ENTITY, vec!["person_id".to_owned()]));
    let plate = app
        .api(
            Method::POST,
            &format!("/api/v1/badges?org={org}"),
            json!({"kind": "sticker", "plate": "B123", "person_id": member.id}),
        )
        .await;
    assert_eq!(fields(&plate), vec!["plate".to_owned()]);
    // The page issues a sticker; the register shows the plate masked only.
    let r = app
        .post_form(
            &format!("/city/badges?org={org}"),
            &format!("kind=sticker&person_id={}&plate={}", member.id, enc("粤B12345")),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = app.get(&format!("/city/badges?org={org}")).await;
    assert!(page.body.contains("粤B***45") && !page.body.contains("粤B12345"), "{}", page.body);
    let sheet = app.get(&format!("/city/badges/sheet?org={org}&kind=sticker")).await;
    assert!(sheet.body.contains("党员先锋岗") && sheet.body.contains("<path d=\"M"), "{}", sheet.body);

    // A citizen scans the code: valid, the member's surname only, the branch.
    let citizen = app.client();
    let v = citizen.get(&format!("/v/{code}")).await;
    assert_eq!(v.status, StatusCode::OK, "{}", v.body);
    assert!(
        v.body.contains("有效") && v.body.contains("徽某") && v.body.contains(&branch.name),
        "{}",
        v.body
    );
    assert!(!v.body.contains(&member.name), "never the full name");
    // An altered code does not verify (page and API).
    let mut altered = code.clone().into_bytes();
    altered[40] = if altered[40] == b'a' { b'b' } else { b'a' };
    let altered = String::from_utf8(altered).unwrap();
    assert_eq!(citizen.get(&format!("/v/{altered}")).await.status, StatusCode::NOT_FOUND);
    assert_eq!(citizen.get(&format!("/api/v1/verify/{altered}")).await.status, StatusCode::NOT_FOUND);
    // A complaint reaches the branch; a flood from one address is limited, and blocks nothing.
    let send = async |body: &str| {
        let body = json!({"kind": "complaint", "body": body, "phone": "13800138000"});
        app.api(Method::POST, &format!("/api/v1/verify/{code}/feedback"), body).await
    };
    assert_eq!(send("逆行").await.status, StatusCode::CREATED);
    let bad = app
        .api(Method::POST, &format!("/api/v1/verify/{code}/feedback"), json!({"kind": "x", "body": ""}))
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let mut limited = false;
    for _ in 0..20 {
        if send("刷屏").await.status == StatusCode::TOO_MANY_REQUESTS {
            limited = true;
            break;
        }
    }
    assert!(limited, "a flood from one address is limited");
    assert!(citizen.get(&format!("/api/v1/verify/{code}")).await.json()["valid"].as_bool().unwrap());
    let fb = app.get(&format!("/api/v1/badge-feedback?org={org}")).await.json();
    let complaint = &fb["feedback"].as_array().unwrap().iter().find(|f| f["body"] == "逆行").unwrap().clone();
    assert_eq!(complaint["phone"], "13800138000");
    let id = complaint["id"].as_str().unwrap();
    assert_eq!(
        app.api(Method::POST, &format!("/api/v1/badge-feedback/{id}/handled"), json!({})).await.status,
        StatusCode::OK
    );

    // Another enterprise's secretary sees nothing of the register.
    let other = app.branch("别的企业支部").await.secretary().await;
    assert_eq!(other.get(&format!("/city/badges?org={org}")).await.status, StatusCode::FORBIDDEN);
    assert_eq!(other.get(&format!("/api/v1/badge-feedback?org={org}")).await.status, StatusCode::FORBIDDEN);
    // A transfer ends the badge at once.
    let elsewhere = app.branch("调入支部").await;
    let mut p = app.store.person(member.id).await.unwrap().fields;
    p.org_id = elsewhere.id;
    app.store
        .update_person(member.id, &p, &pioneer_store::Act::new("test", "transfer", crate::support::now()))
        .await
        .unwrap();
    let v = citizen.get(&format!("/api/v1/verify/{code}")).await.json();
    assert_eq!((v["valid"].as_bool(), v["invalid"].as_str()), (Some(false), Some("transferred")), "{v}");
    assert!(citizen.get(&format!("/v/{code}")).await.body.contains("已失效"));

    // Public reads are limited per address; /healthz never is, and a minute later reads pass.
    let mut refused = false;
    for _ in 0..400 {
        if citizen.get(&format!("/api/v1/verify/{code}")).await.status == StatusCode::TOO_MANY_REQUESTS {
            refused = true;
            break;
        }
    }
    assert!(refused);
    assert_eq!(citizen.get("/healthz").await.status, StatusCode::OK);
    app.clock.advance_minutes(2);
    assert_eq!(citizen.get(&format!("/api/v1/verify/{code}")).await.status, StatusCode::OK);
}

fn workbook(rows: &[[&str; 8]]) -> Vec<u8> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let sheet = wb.add_worksheet();
    for (c, h) in
        ["名称", "类别", "所在区", "地址", "服务时间", "电话", "公开范围", "核实日期"].iter().enumerate()
    {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            sheet.write_string(r as u32 + 1, c as u16, *v).unwrap();
        }
    }
    wb.save_to_buffer().unwrap()
}

async fn the_directory_imports_a_whole_file_or_nothing(app: TestApp) {
    let branch = app.branch("黄页维护支部").await;
    let org = branch.id;
    let root = app.org_id(pioneer_demo::DEMO_ROOT_NAME).await;
    let good: [[&str; 8]; 3] = [
        [
            "测试街道社区工作站",
            "社区工作站",
            "南山区",
            "测试路1号",
            "9:00-18:00",
            "0755-26001111",
            "公开",
            "",
        ],
        ["测试医院急诊", "hospital", "南山区", "", "全天", "0755 2600 2222", "", "2026-11-01"],
        ["测试内部热线", "服务热线", "南山区", "", "", "13800138009", "仅党员", ""],
    ];
    let mut bad = good;
    bad[1][5] = "12";
    bad[2][5] = "";
    let r =
        upload(&app, &format!("/city/directory/import?org={org}"), "d.xlsx", &workbook(&bad), false).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(
        r.body.contains("id=\"problems\"")
            && r.body.contains("<td>3</td><td>电话</td>")
            && r.body.contains("<td>4</td><td>电话</td>"),
        "{}",
        r.body
    );
    let listed = app.get(&format!("/api/v1/directory?org={org}")).await.json();
    assert_eq!(listed["entries"].as_array().unwrap().len(), 0, "nothing written");
    let r =
        upload(&app, &format!("/city/directory/import?org={org}"), "d.xlsx", &workbook(&good), false).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("id=\"imported\""));
    // The API refuses a file without a phone column, by line and column.
    let csv = "名称,类别,所在区\n某站,station,福田区\n";
    let req = Request::post(format!("/api/v1/directory/import?org={org}"))
        .header(header::CONTENT_TYPE, "text/csv")
        .body(Body::from(csv))
        .unwrap();
    let r = app.send(req).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(r.json()["problems"][0]["column"], "电话");
    // The export reads back as an import of the same entries.
    let bytes = app.get_bytes(&format!("/city/directory/export?org={org}")).await;
    assert!(bytes.starts_with(b"PK"));
    let req = Request::post(format!("/api/v1/directory/import?org={org}"))
        .header(header::CONTENT_TYPE, "application/octet-stream")
        .body(Body::from(bytes))
        .unwrap();
    let r = app.send(req).await;
    assert_eq!((r.status, r.json()["imported"].as_u64()), (StatusCode::CREATED, Some(3)), "{}", r.body);

    // The public sees public entries, with a number to tap; a member of the committee sees the rest.
    let public = app.client();
    let found = public.get(&format!("/api/v1/portal/{root}/directory?q={}", enc("测试"))).await.json();
    let names: Vec<&str> =
        found["entries"].as_array().unwrap().iter().map(|e| e["name"].as_str().unwrap()).collect();
    assert!(names.contains(&"测试医院急诊") && !names.contains(&"测试内部热线"), "{names:?}");
    let page = public.get(&format!("/portal/{root}/directory?q={}&category=hospital", enc("测试医院"))).await;
    assert!(page.body.contains("href=\"tel:0755-26002222\""), "{}", page.body);
    let inside = app.get(&format!("/api/v1/portal/{root}/directory?q={}", enc("测试内部"))).await.json();
    assert_eq!(inside["entries"].as_array().unwrap().len(), 2, "{inside}");
    let refused = public.get(&format!("/api/v1/portal/{root}/directory?category=bakery")).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    // A row without a phone on the form is refused by field; a stale entry is flagged and re-verified.
    let r = app
        .post_form(
            &format!("/city/directory?org={org}"),
            &format!("name={}&category=station&district={}&phone=", enc("无电话"), enc("南山区")),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = app
        .api(Method::POST, &format!("/api/v1/directory?org={org}"), json!({"name": "旧条目", "category": "station", "district": "南山区", "phone": "12345", "verified_on": "2025-01-02"}))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let id = r.json()["id"].as_str().unwrap().to_owned();
    let page = app.get(&format!("/city/directory?org={org}")).await;
    assert!(page.body.contains("id=\"stale\""), "{}", page.body);
    let e = app.api(Method::POST, &format!("/api/v1/directory/{id}/verify"), json!({})).await.json();
    assert_eq!(e["verified_on"], "2026-11-29");
    let other = app.branch("别的企业黄页").await.secretary().await;
    assert_eq!(other.get(&format!("/city/directory?org={org}")).await.status, StatusCode::FORBIDDEN);
    assert_eq!(
        other.api(Method::POST, &format!("/api/v1/directory/{id}/verify"), json!({})).await.status,
        StatusCode::FORBIDDEN
    );
}

async fn the_map_draws_places_in_the_region_and_converts_coordinates(app: TestApp) {
    let root = app.org_id(pioneer_demo::DEMO_ROOT_NAME).await;
    let branch = app.branch("地图测试支部").await;
    let org = branch.id;
    let public = app.client();
    let map = public.get(&format!("/portal/{root}/map")).await;
    assert_eq!(map.status, StatusCode::OK);
    assert!(
        map.body.contains("<svg")
            && map.body.contains("美团骑手驿站（南山科技园）")
            && map.body.contains("示意图"),
        "{}",
        map.body
    );
    assert!(!map.body.contains("香蜜湖街道某小区"), "2022's zones are not under control today");
    let then = public.get(&format!("/portal/{root}/map?on=2022-03-15&kind=control_zone")).await;
    assert!(then.body.contains("香蜜湖街道某小区") && !then.body.contains("美团骑手驿站"), "{}", then.body);
    // A point outside the region, and one read off a GCJ-02 map (stored in CGCS2000).
    let place = |lat: &str, lng: &str, crs: &str| json!({"name": "测试驿站", "kind": "station", "lat": lat, "lng": lng, "crs": crs, "phone": "0755-86009999"});
    let r =
        app.api(Method::POST, &format!("/api/v1/places?org={org}"), place("39.9087", "116.3975", "")).await;
    assert_eq!((r.status, fields(&r)), (StatusCode::UNPROCESSABLE_ENTITY, vec!["lat".to_owned()]));
    let r = app
        .api(
            Method::POST,
            &format!("/api/v1/places?org={org}"),
            place("22.540796131694766", "113.9171764808363", "gcj02"),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let id = r.json()["id"].as_str().unwrap().to_owned();
    let find =
        |v: Value| v["places"].as_array().unwrap().iter().find(|p| p["id"] == id.as_str()).unwrap().clone();
    let stored = find(public.get(&format!("/api/v1/portal/{root}/places?kind=station")).await.json());
    assert!((stored["lat"].as_f64().unwrap() - 22.543847).abs() < 2e-6, "{stored}");
    assert!((stored["lng"].as_f64().unwrap() - 113.912316).abs() < 2e-6, "{stored}");
    assert_eq!(stored["district"], "南山区", "found from the outlines");
    let gcj = find(public.get(&format!("/api/v1/portal/{root}/places?crs=gcj02")).await.json());
    assert!((gcj["lat"].as_f64().unwrap() - 22.540796).abs() < 2e-6, "{gcj}");
    let page = public.get(&format!("/portal/{root}/places/{id}")).await;
    assert!(page.body.contains("tel:0755-86009999") && page.body.contains("22.540796"), "{}", page.body);
    // District outlines: only the committee replaces them; a bad file changes nothing.
    let secretary = branch.secretary().await;
    let geo = r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"测试区"},"geometry":{"type":"Polygon","coordinates":[[[113.8,22.4],[114.3,22.4],[114.3,22.7],[113.8,22.4]]]}}]}"#;
    let post_geo = async |c: &crate::support::Client, body: &str| {
        let req = Request::post(format!("/api/v1/districts?org={org}"))
            .header(header::CONTENT_TYPE, "application/geo+json")
            .body(Body::from(body.to_owned()))
            .unwrap();
        c.send(req).await
    };
    assert_eq!(post_geo(&secretary, geo).await.status, StatusCode::FORBIDDEN);
    let broken = post_geo(&app, "{\"type\":\"FeatureCollection\"").await;
    assert_eq!((broken.status, fields(&broken)), (StatusCode::UNPROCESSABLE_ENTITY, vec!["file".to_owned()]));
    let huge = format!("{{\"pad\":\"{}\"}}", "x".repeat(5 << 20));
    assert!(matches!(
        post_geo(&app, &huge).await.status,
        StatusCode::UNPROCESSABLE_ENTITY | StatusCode::PAYLOAD_TOO_LARGE
    ));
    assert!(public.get(&format!("/portal/{root}/map")).await.body.contains(">宝安区</text>"));
    assert_eq!(post_geo(&app, geo).await.status, StatusCode::CREATED);
    let map = public.get(&format!("/portal/{root}/map")).await;
    assert!(
        map.body.contains(">测试区</text>")
            && !map.body.contains(">宝安区</text>")
            && !map.body.contains("id=\"schematic\"")
    );
    // The region is now the new outline's: a point of Longgang is outside it.
    let r = app.api(Method::POST, &format!("/api/v1/places?org={org}"), place("22.72", "114.25", "")).await;
    assert_eq!(fields(&r), vec!["lat".to_owned()]);
}

async fn the_portal_publishes_live_figures_news_and_takes_citizens(app: TestApp) {
    let root = app.org_id(pioneer_demo::DEMO_ROOT_NAME).await;
    let public = app.client();
    assert!(public.get("/portal").await.body.contains(&format!("href=\"/portal/{root}\"")));
    // The figures are the statistics' own.
    let home = public.get(&format!("/api/v1/portal/{root}")).await.json();
    let (d, _, _) = app
        .store
        .dashboard(
            root.parse().unwrap(),
            jiff::civil::date(2026, 11, 29),
            2022,
            crate::support::now().as_millisecond(),
        )
        .await
        .unwrap();
    let new_members: u64 = d.new_members.iter().map(|n| n.count).sum();
    let figure = |code: &str| {
        home["figures"].as_array().unwrap().iter().find(|f| f["code"] == code).unwrap()["value"].clone()
    };
    assert_eq!(figure("new_members"), new_members.to_string());
    let college: u64 = d.new_members.iter().map(|n| n.college).sum();
    assert_eq!(
        figure("college_share"),
        format!("{}%", pioneer_domain::stats::percent(college as i64, new_members))
    );
    let r = app
        .api(Method::POST, &format!("/api/v1/portal/settings?org={root}"), json!({"figures": "typed_number"}))
        .await;
    assert_eq!((r.status, fields(&r)), (StatusCode::UNPROCESSABLE_ENTITY, vec!["figures".to_owned()]));
    let secretary = app.branch("门户测试支部").await.secretary().await;
    assert_eq!(
        secretary.api(Method::POST, "/api/v1/portal/settings", json!({"figures": ""})).await.status,
        StatusCode::FORBIDDEN
    );
    // The demo's first news item is the article.
    assert!(home["news"][0]["title"].as_str().unwrap().starts_with("新时代新征程新伟业"));
    // A draft is not public; published, it is on the page and in the feed.
    let r = app
        .api(
            Method::POST,
            &format!("/api/v1/portal/articles?org={root}"),
            json!({"title": "骑手驿站开放日", "column": "工作动态", "body": "第一段。\n\n第二段。"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let id = r.json()["id"].as_str().unwrap().to_owned();
    assert_eq!(public.get(&format!("/portal/{root}/news/{id}")).await.status, StatusCode::NOT_FOUND);
    assert!(!public.get(&format!("/portal/{root}/feed.atom")).await.body.contains("骑手驿站开放日"));
    let r = app
        .api(Method::POST, &format!("/api/v1/portal/articles/{id}/publish"), json!({"publish": true}))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let feed = public.get(&format!("/portal/{root}/feed.atom")).await;
    assert_eq!(feed.headers.get(header::CONTENT_TYPE).unwrap(), "application/atom+xml; charset=utf-8");
    assert!(
        feed.body.contains("<title>骑手驿站开放日</title>") && feed.body.contains(&format!("urn:uuid:{id}")),
        "{}",
        feed.body
    );
    let page = public.get(&format!("/portal/{root}/news/{id}")).await;
    assert!(page.body.contains("<p>第一段。</p>") && page.body.contains("<p>第二段。</p>"), "{}", page.body);
    // An article with its image, through the page's form; the image is public once published.
    let png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82";
    let csrf = app.session.lock().unwrap().clone().unwrap().1;
    let b = "----citypart";
    let mut body = Vec::new();
    for (k, v) in
        [("csrf", csrf.as_str()), ("title", "志愿者风采"), ("column", "先锋风采"), ("body", "图片新闻。")]
    {
        body.extend(
            format!("--{b}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n").as_bytes(),
        );
    }
    body.extend(format!("--{b}\r\nContent-Disposition: form-data; name=\"image\"; filename=\"a.png\"\r\nContent-Type: image/png\r\n\r\n").as_bytes());
    body.extend(png);
    body.extend(format!("\r\n--{b}--\r\n").as_bytes());
    let req = Request::post(format!("/city/portal/articles?org={root}"))
        .header(header::CONTENT_TYPE, format!("multipart/form-data; boundary={b}"))
        .body(Body::from(body))
        .unwrap();
    let r = app.send_raw(req).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let admin = app.get(&format!("/city/portal?org={root}")).await;
    assert!(admin.body.contains("志愿者风采"));
    let article = app
        .store
        .articles(app.store.org(root.parse().unwrap()).await.unwrap().tenant_id, true, 10)
        .await
        .unwrap();
    let pic = article.iter().find(|a| a.title == "志愿者风采").unwrap();
    let image = pic.image_id.unwrap();
    assert_eq!(
        public.get(&format!("/portal/{root}/images/{image}")).await.status,
        StatusCode::NOT_FOUND,
        "a draft's image is not public"
    );
    app.post_form(&format!("/city/portal/articles/{}/publish", pic.id), "publish=true").await;
    let img = public.get(&format!("/portal/{root}/images/{image}")).await;
    assert_eq!(
        (img.status, img.headers.get(header::CONTENT_TYPE).unwrap().to_str().unwrap()),
        (StatusCode::OK, "image/png")
    );

    // A citizen offers to volunteer; the team's leader sees the offer with the phone.
    let team = app.get("/api/v1/service").await.json()["teams"][0]["id"].as_str().unwrap().to_owned();
    let bad = app
        .api(
            Method::POST,
            &format!("/api/v1/portal/{root}/volunteer"),
            json!({"team_id": team, "name": "", "phone": "123"}),
        )
        .await;
    assert_eq!(fields(&bad), vec!["name".to_owned(), "phone".to_owned()]);
    let r = app
        .post_form(
            &format!("/portal/{root}/volunteer"),
            &format!("team_id={team}&name={}&phone=13912340000&skills={}", enc("热心市民"), enc("有货车")),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("id=\"done\""));
    let queue = app.get(&format!("/api/v1/service/teams/{team}/citizens")).await.json();
    let offer =
        queue["citizens"].as_array().unwrap().iter().find(|c| c["name"] == "热心市民").unwrap().clone();
    assert_eq!(offer["phone"], "13912340000");
    let oid = offer["id"].as_str().unwrap();
    assert_eq!(
        app.api(Method::POST, &format!("/api/v1/service/citizens/{oid}"), json!({"outcome": "contacted"}))
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(
        app.api(Method::POST, &format!("/api/v1/service/citizens/{oid}"), json!({"outcome": "declined"}))
            .await
            .status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert!(app.get(&format!("/service/teams/{team}")).await.body.contains("热心市民"));
    assert_eq!(
        secretary.get(&format!("/api/v1/service/teams/{team}/citizens")).await.status,
        StatusCode::FORBIDDEN
    );
}
