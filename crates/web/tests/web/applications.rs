//! Applying online and one's own progress (issue 17, item 8): a non-member sends the letter
//! (and a scan), it waits in the branch's queue, the secretary accepts it — the dossier
//! opened with its first step on the day it was sent — or declines it with a reason; the
//! applicant reads where they stand, what comes next and from when, and who their contacts
//! and introducers are.

use crate::support::{Client, Reply, TestApp};
use axum::body::Body;
use axum::http::{Request, StatusCode, header};

pioneer_store::on_both!(
    with TestApp::new;
    an_application_sent_online_is_accepted_as_the_first_step,
    a_bad_or_second_application_is_refused_and_a_decline_is_read_by_the_applicant,
    a_person_in_the_procedure_reads_their_steps_contacts_and_introducers,
);

const LETTER: &str =
    "敬爱的党组织：我志愿加入中国共产党，愿意为共产主义事业奋斗终身。我在骑手站点工作三年，努力向党员学习。";

/// Sends the application form as the page does (multipart `text`, `scan`) to `uri`.
async fn send_letter(app: &Client, uri: &str, text: &str, scan: Option<&[u8]>) -> Reply {
    let csrf = app.session.lock().unwrap().clone().map(|(_, t)| t).unwrap_or_default();
    let b = "----pioneerletter";
    let mut body =
        format!("--{b}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n").into_bytes();
    body.extend(
        format!("--{b}\r\nContent-Disposition: form-data; name=\"text\"\r\n\r\n{text}\r\n").as_bytes(),
    );
    if let Some(scan) = scan {
        body.extend(
            format!("--{b}\r\nContent-Disposition: form-data; name=\"scan\"; filename=\"letter.pdf\"\r\nContent-Type: application/pdf\r\n\r\n")
                .as_bytes(),
        );
        body.extend(scan);
        body.extend(b"\r\n");
    }
    body.extend(format!("--{b}--\r\n").as_bytes());
    let req = Request::post(uri)
        .header(header::CONTENT_TYPE, format!("multipart/form-data; boundary={b}"))
        .body(Body::from(body))
        .unwrap();
    app.send_raw(req).await
}

async fn an_application_sent_online_is_accepted_as_the_first_step(app: TestApp) {
    app.login("applicant").await;
    let home = app.get("/").await;
    assert!(home.body.contains("网上递交入党申请书") && home.body.contains("/me/progress"), "{}", home.body);
    let page = app.get("/me/progress").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("id=\"apply-form\""), "{}", page.body);
    let r = send_letter(&app, "/me/progress", LETTER, Some(b"%PDF-1.4 signed letter")).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = app.get("/me/progress").await;
    assert!(
        page.body.contains("已提交，等待支部接收") && !page.body.contains("id=\"apply-form\""),
        "{}",
        page.body
    );
    let me = app.store.user_by_name("applicant").await.unwrap().unwrap().person_id.unwrap();
    let sent = app.store.applications_of_person(me).await.unwrap();
    assert_eq!(sent.len(), 1);
    let id = sent[0].id;
    // The branch's secretary finds it waiting, reads it, downloads the scan, accepts it.
    app.login("meituan.secretary").await;
    let list = app.get("/dossiers").await;
    assert!(list.body.contains(&format!("/applications/{id}")), "{}", list.body);
    let waiting = app.get("/api/v1/applications").await.json();
    assert!(waiting["items"].as_array().unwrap().iter().any(|a| a["id"] == id.to_string()));
    let view = app.get(&format!("/applications/{id}")).await;
    assert!(
        view.body.contains("我志愿加入中国共产党") && view.body.contains("id=\"accept\""),
        "{}",
        view.body
    );
    let scan = app.get(&format!("/applications/{id}/scan")).await;
    assert_eq!(scan.headers[header::CONTENT_TYPE], "application/pdf");
    assert!(scan.body.starts_with("%PDF-1.4"));
    // Another enterprise's secretary can neither read nor accept it.
    app.login("tencent.secretary").await;
    assert_eq!(app.get(&format!("/applications/{id}")).await.status, StatusCode::FORBIDDEN);
    assert_eq!(app.post_form(&format!("/applications/{id}/accept"), "").await.status, StatusCode::FORBIDDEN);
    assert!(app.store.application(id).await.unwrap().status == "submitted", "nothing written");
    app.login("meituan.secretary").await;
    let r = app.post_form(&format!("/applications/{id}/accept"), "").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let dossier = app.store.dossier_of_person(me).await.unwrap().expect("a dossier");
    assert!(r.headers[header::LOCATION].to_str().unwrap().ends_with(&dossier.to_string()));
    let d = app.store.dossier(dossier).await.unwrap();
    assert_eq!(d.dossier.events.len(), 1);
    assert_eq!(d.dossier.events[0].kind, pioneer_domain::development::dossier::Kind::Step(1));
    assert_eq!(d.dossier.events[0].on, sent[0].submitted_on);
    // Accepting twice is refused; nothing more is written.
    let again = app.post_form(&format!("/applications/{id}/accept"), "").await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(app.store.dossier(dossier).await.unwrap().dossier.events.len(), 1);
    // The applicant now reads the stage and the talk due within the month.
    app.login("applicant").await;
    let page = app.get("/me/progress").await;
    assert!(page.body.contains("id=\"stage\"") && page.body.contains("申请入党"), "{}", page.body);
    assert!(page.body.contains("递交入党申请书") && page.body.contains("党组织派人谈话"), "{}", page.body);
    assert!(page.body.contains("应于此前完成"), "the talk's deadline: {}", page.body);
    let api = app.get("/api/v1/me/progress").await.json();
    assert_eq!(api["done"].as_array().unwrap().len(), 1);
    assert_eq!(api["applications"][0][1], "支部已接收");
}

async fn a_bad_or_second_application_is_refused_and_a_decline_is_read_by_the_applicant(app: TestApp) {
    app.login("applicant").await;
    let me = app.store.user_by_name("applicant").await.unwrap().unwrap().person_id.unwrap();
    for (text, scan, field) in [
        ("", None, "text"),
        ("我要入党", None, "text"),
        (LETTER, Some(&b"MZ\x90\x00 not a scan"[..]), "scan"),
    ] {
        let r = send_letter(&app, "/me/progress", text, scan).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{text}");
        assert!(r.body.contains(&format!("id=\"{field}-err\"")), "{field}: {}", r.body);
    }
    let big = vec![b'%'; pioneer_domain::development::application::SCAN_MAX + 10];
    let r = send_letter(&app, "/me/progress", LETTER, Some(&big)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("5 MB"), "{}", r.body);
    assert!(app.store.applications_of_person(me).await.unwrap().is_empty(), "nothing written");
    // The API twin: sent once; a second is refused while the first waits.
    let r = send_letter(&app, "/api/v1/me/application", LETTER, None).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let r = send_letter(&app, "/api/v1/me/application", LETTER, None).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("等待支部接收"), "{}", r.body);
    let id = app.store.applications_of_person(me).await.unwrap()[0].id;
    // A member may not apply; declining needs a reason; the applicant reads it.
    app.login("rider").await;
    assert_eq!(
        send_letter(&app, "/api/v1/me/application", LETTER, None).await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    app.login("meituan.secretary").await;
    let r = app.post_form(&format!("/applications/{id}/decline"), "reason=").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = app
        .api(
            axum::http::Method::POST,
            &format!("/api/v1/applications/{id}/decline"),
            serde_json::json!({"reason": "请先参加站点的入党启蒙教育后再递交"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.body);
    assert!(app.store.dossier_of_person(me).await.unwrap().is_none());
    app.login("applicant").await;
    let page = app.get("/me/progress").await;
    assert!(page.body.contains("未予受理") && page.body.contains("入党启蒙教育"), "{}", page.body);
    assert!(page.body.contains("id=\"apply-form\""), "after a decline one may apply again");
    let unknown = app.get(&format!("/applications/{}", uuid::Uuid::nil())).await;
    assert_eq!(unknown.status, StatusCode::FORBIDDEN, "an applicant decides nothing");
}

/// A development target signs in as herself: the steps done with their days, the next ones
/// with their dates, and her contacts and introducers by name.
async fn a_person_in_the_procedure_reads_their_steps_contacts_and_introducers(app: TestApp) {
    use pioneer_domain::development::dossier::{Key, Value};
    // A demo case whose record names contacts, with an account of its own.
    let mut chosen = None;
    for d in app
        .store
        .search_dossiers(
            &pioneer_store::development::dossiers::DossierFilter {
                org_path: "/".into(),
                ..Default::default()
            },
            1,
            200,
        )
        .await
        .unwrap()
        .items
    {
        let rec = app.store.dossier(d.id).await.unwrap();
        if rec.dossier.events.iter().any(|e| e.fields.iter().any(|(k, _)| *k == Key::Contact1)) {
            chosen = Some(rec);
            break;
        }
    }
    let d = chosen.expect("a demo case with contacts");
    let contact = d.dossier.events.iter().flat_map(|e| e.fields.iter()).find_map(|(k, v)| match (k, v) {
        (Key::Contact1, Value::Id(id)) => Some(*id),
        _ => None,
    });
    let contact = app.store.person(contact.unwrap()).await.unwrap().fields.name;
    let hash = pioneer_web::auth::password::hash(pioneer_demo::accounts::DEMO_PASSWORD.to_owned()).await;
    let act = pioneer_store::Act::new("test", "test fixture", crate::support::now());
    let new = pioneer_store::accounts::NewUser {
        username: "target.self",
        display_name: "本人",
        password_hash: &hash,
        must_change_password: false,
        grants: &[(pioneer_domain::accounts::access::Role::Applicant, Some(d.org_id))],
        person_id: Some(d.person_id),
    };
    app.store.create_user(&new, &act).await.unwrap();
    app.login("target.self").await;
    let page = app.get("/me/progress").await;
    assert_eq!(page.status, StatusCode::OK);
    let around = page.body.split("id=\"people-around\"").nth(1).unwrap().split("</dl>").next().unwrap();
    assert!(around.contains(&contact), "{around}");
    let done = page.body.split("id=\"done\"").nth(1).unwrap().split("</ol>").next().unwrap();
    let first = d.dossier.events.iter().map(|e| e.on).min().unwrap();
    assert!(done.contains(&first.to_string()) && done.contains("递交入党申请书"), "{done}");
    assert!(!page.body.contains("id=\"apply-form\""), "in the procedure: nothing to apply for");
    assert!(!page.body.contains("DEV-") && !page.body.contains("违规"), "no findings shown to the person");
}
