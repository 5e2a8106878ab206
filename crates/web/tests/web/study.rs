//! Study: the weekly quiz as members take it and as organisers keep its question bank, and
//! courses with their reach.

use crate::support::{TestApp, balance_of, enc, field_value, upload};
use axum::http::StatusCode;

pioneer_store::on_both!(
    with TestApp::new;
    a_rider_takes_the_weekly_quiz_in_a_plain_form,
    an_organiser_keeps_the_bank_and_publishes_a_quiz,
    a_course_reaches_the_rider_and_earns_once,
    a_quiz_writer_that_stopped_is_started_again,
    each_organisation_keeps_its_own_bank_and_sees_no_siblings_publications,
    course_images_are_uploaded_checked_and_served_from_the_site,
    a_member_studies_and_takes_the_quiz_through_the_api,
);

/// The number of the newest question whose text is `text` on a bank page.
fn question_number(body: &str, text: &str) -> String {
    body.split(text).next().unwrap().rsplit('#').next().unwrap().split(' ').next().unwrap().to_owned()
}

async fn a_rider_takes_the_weekly_quiz_in_a_plain_form(app: TestApp) {
    app.login("rider").await;
    let before = balance_of(&app.get("/me/credits").await.body);
    let list = app.get("/quiz").await;
    assert_eq!(list.status, StatusCode::OK);
    let quiz = list.body.split("href=\"/quiz/").nth(1).unwrap().split('"').next().unwrap().to_owned();
    let page = app.get(&format!("/quiz/{quiz}")).await;
    assert!(page.body.contains("id=\"start\""), "{}", page.body);
    // Before starting: how many questions, how long, and what completing it earns.
    for shown in [
        "id=\"quiz-count\">5<",
        "id=\"quiz-minutes\">10<",
        "id=\"quiz-credits\">10<",
        "完成即得学分，每个测试只计一次",
        "已作答 0/2",
    ] {
        assert!(page.body.contains(shown), "{shown}: {}", page.body);
    }
    let en = app.get_en(&format!("/quiz/{quiz}")).await;
    assert!(en.body.contains("questions") && en.body.contains("credits for completing it"), "{}", en.body);
    let r = app.post_form(&format!("/quiz/{quiz}/start"), "").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let form = app.get(&format!("/quiz/{quiz}")).await;
    assert!(form.body.contains("id=\"quiz-form\"") && !form.body.contains("<script"), "{}", form.body);
    let css = app.get("/static/app.css").await.body.len();
    assert!(form.body.len() + css < 30 * 1024, "page {} + css {} bytes", form.body.len(), css);
    let attempt = field_value(&form.body, "attempt");
    let questions: Vec<String> =
        form.body.split("name=\"q").skip(1).map(|x| x.split('"').next().unwrap().to_owned()).collect();
    let mut ids = questions.clone();
    ids.dedup();
    assert_eq!(ids.len(), 5, "the demo plan draws five questions");
    // Each option is one row to tap: the label holds the control and its text.
    let rows = form.body.matches("<label class=\"opt\"><input type=\"").count();
    assert_eq!(rows, questions.len(), "{}", form.body);
    // An answer to a question outside this quiz refuses the sheet; nothing is scored.
    let r =
        app.post_form(&format!("/quiz/{quiz}"), &format!("attempt={attempt}&q{}=0&q9999=0", ids[0])).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("不在本次测试中"), "{}", r.body);
    assert!(r.body.contains("id=\"quiz-form\""), "the form is still open");
    let answers: String = ids.iter().map(|q| format!("&q{q}=0")).collect();
    let body = format!("attempt={attempt}{answers}");
    let r = app.post_form(&format!("/quiz/{quiz}"), &body).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let result = app.get(&format!("/quiz/{quiz}")).await;
    assert!(result.body.contains("id=\"score\"") && result.body.contains("解析"), "{}", result.body);
    // Each choice is marked right or wrong in words beside its colour, and every right
    // option not chosen is shown too.
    let marked = |class: &str, words: &str| {
        let n = result.body.matches(&format!("<li class=\"{class}\">")).count();
        assert_eq!(n, result.body.matches(words).count(), "{class} and {words}: {}", result.body);
        n
    };
    let (right, wrong) = (marked("ok", "✓ 你的选择，正确"), marked("bad", "✗ 你的选择，错误"));
    let missed = marked("miss", "✓ 正确答案，你没选");
    assert_eq!(right + wrong, 5, "one option chosen in each question");
    assert!(right + missed >= 5, "every question shows its right options");
    let en = app.get_en(&format!("/quiz/{quiz}")).await;
    assert!(en.body.contains("your answer") && en.body.contains("Why"), "{}", en.body);
    // The same form again: refused, nothing written twice.
    let r = app.post_form(&format!("/quiz/{quiz}"), &body).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("已经提交过"), "{}", r.body);
    assert_eq!(balance_of(&app.get("/me/credits").await.body), before + 10, "10 credits, once");
    // The second attempt is offered with the credits already earned.
    let retry = app.get(&format!("/quiz/{quiz}")).await;
    assert!(
        retry.body.contains("id=\"quiz-credits\">10<") && retry.body.contains("学分已经得到"),
        "{}",
        retry.body
    );
    // The second attempt of two, then none.
    assert_eq!(app.post_form(&format!("/quiz/{quiz}/start"), "").await.status, StatusCode::SEE_OTHER);
    let again = app.get(&format!("/quiz/{quiz}")).await;
    let second = field_value(&again.body, "attempt");
    assert_ne!(second, attempt);
    assert_eq!(
        app.post_form(&format!("/quiz/{quiz}"), &format!("attempt={second}")).await.status,
        StatusCode::SEE_OTHER
    );
    let r = app.post_form(&format!("/quiz/{quiz}/start"), "").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("次数已用完"), "{}", r.body);
    assert_eq!(balance_of(&app.get("/me/credits").await.body), before + 10);
    // A week later the quiz has closed.
    app.clock.advance_minutes(8 * 24 * 60);
    app.login("rider").await;
    let closed = app.get(&format!("/quiz/{quiz}")).await;
    assert!(closed.body.contains("已截止"), "{}", closed.body);
    // Organisers see participation per branch, not people.
    app.login("organiser").await;
    let root = app.org_id(pioneer_demo::DEMO_ROOT_NAME).await;
    let p = app.get(&format!("/admin/quiz/{quiz}?org={root}")).await;
    assert_eq!(p.status, StatusCode::OK, "{}", p.body);
    assert!(p.body.contains("id=\"participation\"") && !p.body.contains("骑手"), "{}", p.body);
}

async fn an_organiser_keeps_the_bank_and_publishes_a_quiz(app: TestApp) {
    let branch = app.org_id("腾讯数据平台部第三党支部").await;
    let other = app.org_id("美团骑手流动党支部（南山科技园站）").await;
    app.login("tencent.secretary").await;
    let page = app.get(&format!("/admin/quiz?org={branch}")).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let bad = app
        .post_form(
            &format!("/admin/quiz/questions?org={branch}"),
            "kind=single&tag=&text=&choices=A&correct=Z",
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("选项应为 2 到 8 行") && bad.body.contains("必填"), "{}", bad.body);
    let q = format!(
        "kind=multiple&tag={}&text={}&choices={}&correct=AB&explanation={}",
        enc("党章"),
        enc("党员的义务包括？"),
        enc("认真学习\n全心全意为人民服务\n只享受权利"),
        enc("见党章第三条")
    );
    let r = app.post_form(&format!("/admin/quiz/questions?org={branch}"), &q).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = app.get(&format!("/admin/quiz?org={branch}")).await;
    let number = page
        .body
        .split("党员的义务包括")
        .next()
        .unwrap()
        .rsplit('#')
        .next()
        .unwrap()
        .split(' ')
        .next()
        .unwrap()
        .to_owned();
    let revised = format!("of={number}&{}", q.replace("correct=AB", "correct=B"));
    let r = app.post_form(&format!("/admin/quiz/questions?org={branch}"), &revised).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = app.get(&format!("/admin/quiz?org={branch}")).await;
    assert!(page.body.contains(&format!("#{number} · v2")), "{}", page.body);
    let bad = app
        .post_form(
            &format!("/admin/quiz?org={branch}"),
            "title=x&plan=nonsense&opens=2026-12-01T08:00&closes=2026-11-01T08:00&minutes=0&attempts=1",
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("抽题方案") && bad.body.contains("1 到 180"), "{}", bad.body);
    let too_many = app
        .post_form(
            &format!("/admin/quiz?org={branch}"),
            &format!(
                "title=x&plan={}&opens=2026-11-30T08:00&closes=2026-12-06T22:00&minutes=10&attempts=1",
                enc("党章:99")
            ),
        )
        .await;
    assert_eq!(too_many.status, StatusCode::UNPROCESSABLE_ENTITY);
    let ok = format!(
        "title={}&plan={}&opens=2026-11-30T08:00&closes=2026-12-06T22:00&minutes=10&attempts=1",
        enc("支部小测试"),
        enc("党章:2")
    );
    let r = app.post_form(&format!("/admin/quiz?org={branch}"), &ok).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    // Outside her branch: refused.
    assert_eq!(app.post_form(&format!("/admin/quiz?org={other}"), &ok).await.status, StatusCode::FORBIDDEN);
}

async fn a_course_reaches_the_rider_and_earns_once(app: TestApp) {
    app.login("rider").await;
    let before = balance_of(&app.get("/me/credits").await.body);
    let list = app.get("/study").await;
    assert!(list.body.contains("遵义会议"), "{}", list.body);
    let course = list.body.split("href=\"/study/").nth(1).unwrap().split('"').next().unwrap().to_owned();
    let page = app.get(&format!("/study/{course}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("id=\"done\"") && !page.body.contains("<script"));
    let css = app.get("/static/app.css").await.body.len();
    assert!(page.body.len() + css < 30 * 1024, "page {} + css {} bytes", page.body.len(), css);
    let r = app.post_form(&format!("/study/{course}"), "").await;
    assert!(r.body.contains("id=\"credited\""), "{}", r.body);
    let again = app.post_form(&format!("/study/{course}"), "").await;
    assert!(!again.body.contains("id=\"credited\""), "credits once");
    assert_eq!(balance_of(&app.get("/me/credits").await.body), before + 2);
    app.login("organiser").await;
    let root = app.org_id(pioneer_demo::DEMO_ROOT_NAME).await;
    let reach = app.get(&format!("/admin/study/{course}?org={root}")).await;
    assert_eq!(reach.status, StatusCode::OK, "{}", reach.body);
    let first_row = reach.body.split("<tbody>").nth(1).unwrap().split("</tr>").next().unwrap().to_owned();
    let cells: Vec<&str> = first_row.split("<td>").skip(2).map(|c| c.split('<').next().unwrap()).collect();
    let delivered: u64 = cells[0].parse().unwrap();
    assert!(delivered > 1, "{first_row}");
    assert_eq!((cells[1], cells[2]), ("1", "1"), "{first_row}");
    let bad = app.post_form(&format!("/admin/study?org={root}"), "series=&column=&title=&items=").await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("1 到 30 条"), "{}", bad.body);
}

/// The quiz desk's writer stops (as a crash would): the next submission starts a new one
/// and is scored, instead of every later rider being told to reload until a restart. A
/// sheet without its attempt is refused as such, not as "already submitted".
async fn a_quiz_writer_that_stopped_is_started_again(app: TestApp) {
    app.login("rider").await;
    let before = balance_of(&app.get("/me/credits").await.body);
    let list = app.get("/quiz").await;
    let quiz = list.body.split("href=\"/quiz/").nth(1).unwrap().split('"').next().unwrap().to_owned();
    assert_eq!(app.post_form(&format!("/quiz/{quiz}/start"), "").await.status, StatusCode::SEE_OTHER);
    let form = app.get(&format!("/quiz/{quiz}")).await;
    let attempt = field_value(&form.body, "attempt");
    let r = app.post_form(&format!("/quiz/{quiz}"), "q1=0").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("没有找到正在进行的答题") && !r.body.contains("已经提交过"), "{}", r.body);
    // A first submission starts the writer; stop it, then submit.
    app.quiz_desk.stop_writer();
    tokio::task::yield_now().await;
    let r = app.post_form(&format!("/quiz/{quiz}"), &format!("attempt={attempt}")).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    app.quiz_desk.stop_writer();
    for _ in 0..10 {
        tokio::task::yield_now().await;
    }
    assert_eq!(app.post_form(&format!("/quiz/{quiz}/start"), "").await.status, StatusCode::SEE_OTHER);
    let second = field_value(&app.get(&format!("/quiz/{quiz}")).await.body, "attempt");
    let ids: Vec<String> = app
        .get(&format!("/quiz/{quiz}"))
        .await
        .body
        .split("name=\"q")
        .skip(1)
        .map(|x| x.split('"').next().unwrap().to_owned())
        .collect();
    let answers: String = ids.iter().map(|q| format!("&q{q}=0")).collect();
    let r = app.post_form(&format!("/quiz/{quiz}"), &format!("attempt={second}{answers}")).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "after the writer stopped: {}", r.body);
    let result = app.get(&format!("/quiz/{quiz}")).await;
    assert!(result.body.contains("id=\"score\""), "{}", result.body);
    assert!(balance_of(&app.get("/me/credits").await.body) >= before);
}

async fn each_organisation_keeps_its_own_bank_and_sees_no_siblings_publications(app: TestApp) {
    let tencent = app.org_id("腾讯数据平台部第三党支部").await;
    let meituan = app.org_id("美团骑手流动党支部（南山科技园站）").await;
    let tenant = app.store.org(tencent.parse().unwrap()).await.unwrap().tenant_id;
    let versions = || async { app.store.question_bank(tenant).await.unwrap().len() };
    app.login("tencent.secretary").await;
    // The committee's shared bank is drawn from but cannot be revised from a branch.
    let page = app.get(&format!("/admin/quiz?org={tencent}")).await;
    let shared = page
        .body
        .split("<li><span class=\"tag\">上级题库</span> #")
        .nth(1)
        .expect("the bank above is listed");
    let shared = shared.split(' ').next().unwrap().to_owned();
    let before = versions().await;
    let wrong = format!(
        "of={shared}&kind=single&tag={}&text={}&choices={}&correct=B",
        enc("党史"),
        enc("改过的题"),
        enc("甲\n乙")
    );
    let r = app.post_form(&format!("/admin/quiz/questions?org={tencent}"), &wrong).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("该题属于上级党组织的题库"), "{}", r.body);
    assert_eq!(versions().await, before, "nothing written");
    // Her own question, in her own bank, she revises.
    let own = format!("kind=true_false&tag={}&text={}&correct=A", enc("支部题"), enc("腾讯支部自己的题"));
    let r = app.post_form(&format!("/admin/quiz/questions?org={tencent}"), &own).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let number =
        question_number(&app.get(&format!("/admin/quiz?org={tencent}")).await.body, "腾讯支部自己的题");
    let r =
        app.post_form(&format!("/admin/quiz/questions?org={tencent}"), &format!("of={number}&{own}")).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let quiz = format!(
        "title={}&plan={}&opens=2026-11-30T08:00&closes=2026-12-06T22:00&minutes=10&attempts=1",
        enc("腾讯支部专属测试"),
        enc("支部题:1")
    );
    let r = app.post_form(&format!("/admin/quiz?org={tencent}"), &quiz).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let quiz_id = r.headers["location"]
        .to_str()
        .unwrap()
        .split("/admin/quiz/")
        .nth(1)
        .unwrap()
        .split('?')
        .next()
        .unwrap()
        .to_owned();
    let course = format!(
        "series={}&column={}&title={}&items={}",
        enc("支部"),
        enc("学习"),
        enc("腾讯支部专属课程"),
        enc("一段")
    );
    let r = app.post_form(&format!("/admin/study?org={tencent}"), &course).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let course_id = r.headers["location"]
        .to_str()
        .unwrap()
        .split("/admin/study/")
        .nth(1)
        .unwrap()
        .split('?')
        .next()
        .unwrap()
        .to_owned();
    // A sibling branch neither sees nor draws from nor revises it, nor sees its publications.
    app.login("meituan.secretary").await;
    let page = app.get(&format!("/admin/quiz?org={meituan}")).await;
    assert!(
        !page.body.contains("腾讯支部自己的题") && !page.body.contains("腾讯支部专属测试"),
        "{}",
        page.body
    );
    assert!(page.body.contains("上级题库"), "the committee's bank is drawn from");
    let r =
        app.post_form(&format!("/admin/quiz/questions?org={meituan}"), &format!("of={number}&{own}")).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = app.post_form(&format!("/admin/quiz?org={meituan}"), &quiz).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "the sibling's category is not in reach");
    for uri in
        [format!("/admin/quiz/{quiz_id}?org={meituan}"), format!("/admin/study/{course_id}?org={meituan}")]
    {
        let r = app.get(&uri).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{uri}");
        assert!(!r.body.contains("腾讯支部专属"), "{uri}");
    }
    assert!(!app.get(&format!("/admin/study?org={meituan}")).await.body.contains("腾讯支部专属课程"));
    // The committee's organiser sees both, published below it.
    app.login("organiser").await;
    let root = app.org_id(pioneer_demo::DEMO_ROOT_NAME).await;
    assert_eq!(app.get(&format!("/admin/quiz/{quiz_id}?org={root}")).await.status, StatusCode::OK);
    assert_eq!(app.get(&format!("/admin/study/{course_id}?org={root}")).await.status, StatusCode::OK);
}

async fn course_images_are_uploaded_checked_and_served_from_the_site(app: TestApp) {
    let branch = app.org_id("腾讯数据平台部第三党支部").await;
    let meituan = app.org_id("美团骑手流动党支部（南山科技园站）").await;
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR-a-small-picture".to_vec();
    app.login("tencent.secretary").await;
    let r = upload(&app, &format!("/admin/images?org={branch}"), "a.png", &png, false).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let address = r.body.split("id=\"uploaded\">").nth(1).unwrap().split('<').next().unwrap().to_owned();
    assert!(address.starts_with("/images/"), "{address}");
    let served = app.get(&address).await;
    assert_eq!(served.status, StatusCode::OK);
    assert_eq!(served.headers[axum::http::header::CONTENT_TYPE], "image/png");
    assert_eq!(app.get_bytes(&address).await, png);
    // A file that is not an image (whatever its name says) is refused, nothing stored.
    let r =
        upload(&app, &format!("/admin/images?org={branch}"), "a.png", b"<svg onload=alert(1)>", false).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("只接受 PNG、JPEG、GIF 或 WebP 图片"), "{}", r.body);
    let mut big = png.clone();
    big.resize(pioneer_domain::study::images::MAX_BYTES + 10, 0);
    let r = upload(&app, &format!("/admin/images?org={branch}"), "big.png", &big, false).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("不能超过 2 MB"));
    // Not for another enterprise's branch.
    let r = upload(&app, &format!("/admin/images?org={meituan}"), "a.png", &png, false).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // A course takes the stored image, never an address elsewhere (the CSP would block it).
    let course = |img: &str| {
        format!(
            "series={}&column={}&title={}&items={}",
            enc("支部"),
            enc("图说"),
            enc("图说党史"),
            enc(&format!("一段文字\n图片: {img}"))
        )
    };
    let r = app.post_form(&format!("/admin/study?org={branch}"), &course("https://example.org/a.jpg")).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("图片须先在课程管理页上传"), "{}", r.body);
    let r = app.post_form(&format!("/admin/study?org={branch}"), &course(&address)).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    // The API twin; a member may not upload; the signed-out get nothing.
    let jpeg = vec![0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3];
    let req = axum::http::Request::post(format!("/api/v1/images?org={branch}"))
        .header(axum::http::header::CONTENT_TYPE, "image/jpeg")
        .body(axum::body::Body::from(jpeg.clone()))
        .unwrap();
    let r = app.send(req).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let api_address = r.json()["address"].as_str().unwrap().to_owned();
    assert_eq!(app.get(&api_address).await.headers[axum::http::header::CONTENT_TYPE], "image/jpeg");
    app.login("rider").await;
    assert_eq!(app.get(&address).await.status, StatusCode::OK, "members see course images");
    let r = upload(&app, &format!("/admin/images?org={meituan}"), "a.png", &png, false).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let outsider = app.client();
    assert_ne!(outsider.get(&address).await.status, StatusCode::OK);
}

async fn a_member_studies_and_takes_the_quiz_through_the_api(app: TestApp) {
    use axum::http::Method;
    use serde_json::json;
    // A course published to a Tencent branch: not the Meituan rider's to read.
    let tencent = app.org_id("腾讯数据平台部第三党支部").await;
    app.login("tencent.secretary").await;
    let course = format!(
        "series={}&column={}&title={}&items={}",
        enc("支部"),
        enc("学习"),
        enc("腾讯支部课程"),
        enc("一段")
    );
    let r = app.post_form(&format!("/admin/study?org={tencent}"), &course).await;
    let theirs = r.headers["location"]
        .to_str()
        .unwrap()
        .split("/admin/study/")
        .nth(1)
        .unwrap()
        .split('?')
        .next()
        .unwrap()
        .to_owned();
    app.login("rider").await;
    assert_eq!(app.get(&format!("/api/v1/courses/{theirs}")).await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.get(&format!("/study/{theirs}")).await.status, StatusCode::NOT_FOUND, "nor on the page");
    let courses = app.get("/api/v1/courses").await.json();
    let first = courses["items"][0]["course"]["id"].as_str().unwrap().to_owned();
    assert_eq!(app.get(&format!("/api/v1/courses/{first}")).await.status, StatusCode::OK);
    let done = app.api(Method::POST, &format!("/api/v1/courses/{first}/complete"), json!({})).await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    // The weekly quiz: start, hand in, the result with the right options.
    let list = app.get("/api/v1/quizzes").await.json();
    let quiz = list["items"].as_array().unwrap().iter().find(|q| q["attempts_used"] == 0).unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let started = app.api(Method::POST, &format!("/api/v1/quizzes/{quiz}/start"), json!({})).await;
    assert_eq!(started.status, StatusCode::CREATED, "{}", started.body);
    let attempt = started.json();
    let questions = attempt["questions"].as_array().unwrap();
    assert_eq!(questions.len(), 5);
    assert!(
        questions.iter().all(|q| q.get("correct").is_none() && q.get("explanation").is_none()),
        "no answers while it runs"
    );
    let answers: Vec<serde_json::Value> =
        questions.iter().map(|q| json!({"question": q["id"], "options": [0]})).collect();
    let sheet = json!({"attempt": attempt["id"], "answers": answers});
    let r = app.api(Method::POST, &format!("/api/v1/quizzes/{quiz}/submit"), sheet.clone()).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let result = r.json();
    assert_eq!(result["max_points"], attempt["max_points"]);
    assert!(
        result["attempt"]["questions"]
            .as_array()
            .unwrap()
            .iter()
            .all(|q| q["correct"].is_array() && q["chosen"] == json!([0]))
    );
    let again = app.api(Method::POST, &format!("/api/v1/quizzes/{quiz}/submit"), sheet).await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY, "handed in once");
    let shown = app.get(&format!("/api/v1/quizzes/{quiz}")).await.json();
    assert_eq!(shown["attempt"]["points"], result["points"]);
}
