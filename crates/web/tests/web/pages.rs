//! Every page's `<title>` is plain text (issue 17, item 4): each demo account, and a browser
//! signed out, walks every page route of the permission table, in Chinese and for a few
//! accounts in English, and each HTML page it is shown has exactly one `<title>` holding
//! words only: no markup, no CSRF token or other long token, no template leftovers.
//!
//! The `{id}` and `{kind}` of a route are filled from the links the account's own pages
//! show (as a person clicking through would), so each account sees its own organisations,
//! people, dossiers, quizzes, courses and classes; a last check makes sure every page route
//! was shown to someone.

use crate::support::{Client, TestApp};
use axum::http::{StatusCode, header};
use pioneer_domain::development::dossier::{Key, Kind, Value};
use pioneer_store::development::dossiers::NewEvent;
use pioneer_web::auth::routes::ROUTES;
use std::collections::{BTreeMap, BTreeSet, VecDeque};

pioneer_store::on_both!(
    with TestApp::new;
    every_page_title_is_plain_text_for_every_account,
    every_home_leads_where_its_role_may_go,
    pages_are_compressed_and_the_stylesheet_cached_by_its_hash,
);

/// Weight (issue 17, item 12): a page is sent compressed with brotli or gzip as the browser
/// accepts (plain otherwise), and links its stylesheet by a name holding the content's hash,
/// which is cached for a year; the plain name still answers, for an hour; other names 404.
async fn pages_are_compressed_and_the_stylesheet_cached_by_its_hash(app: TestApp) {
    use axum::body::Body;
    use axum::http::Request;
    for (accept, coding) in [("br, gzip", Some("br")), ("gzip", Some("gzip")), ("identity", None)] {
        let req = Request::get("/").header(header::ACCEPT_ENCODING, accept).body(Body::empty()).unwrap();
        let r = app.send(req).await;
        assert_eq!(r.status, StatusCode::OK);
        let got = r.headers.get(header::CONTENT_ENCODING).map(|v| v.to_str().unwrap().to_owned());
        assert_eq!(got.as_deref(), coding, "Accept-Encoding: {accept}");
    }
    let home = app.get("/").await.body;
    let css = home.split("href=\"/static/").nth(1).unwrap().split('"').next().unwrap().to_owned();
    assert!(css.starts_with("app.") && css.len() == "app.0123456789ab.css".len(), "{css}");
    let hashed = app.get(&format!("/static/{css}")).await;
    assert_eq!(hashed.status, StatusCode::OK);
    assert_eq!(hashed.headers[header::CACHE_CONTROL], "public, max-age=31536000, immutable");
    let plain = app.get("/static/app.css").await;
    assert_eq!((plain.status, plain.body.len()), (StatusCode::OK, hashed.body.len()));
    assert_eq!(plain.headers[header::CACHE_CONTROL], "public, max-age=3600");
    assert_eq!(app.get("/static/app.0000000000ff.css").await.status, StatusCode::NOT_FOUND);
}

/// A home per role (issue 17, item 1): the rider's shows the week's quiz, the study to
/// continue, the credits and their own progress; a secretary's the steps due and the
/// filings; the auditor's the journal; and every link on each account's home (tiles,
/// buttons, the navigation) opens for that account.
async fn every_home_leads_where_its_role_may_go(app: TestApp) {
    let expect: &[(&str, &[&str])] = &[
        ("rider", &["本周测验", "继续学习", "我的学分", "我的入党进程", "/me/credits"]),
        ("applicant", &["我的入党进程", "网上递交入党申请书", "/me/progress"]),
        (
            "tencent.secretary",
            &[
                "本周到期的发展步骤",
                "待处理的备案",
                "被退回的备案",
                "本期应开的会议",
                "今年应开未开",
                "/dossiers",
                "/filings",
            ],
        ),
        ("organiser", &["本周到期的发展步骤", "/dossiers"]),
        ("auditor", &["操作日志", "/journal"]),
        ("committee.admin", &["人员总数"]),
        ("admin", &[]),
        ("security", &[]),
    ];
    for (account, wanted) in expect {
        app.login(account).await;
        let home = app.get("/").await;
        assert_eq!(home.status, StatusCode::OK, "{account}");
        for w in *wanted {
            assert!(home.body.contains(w), "{account}'s home lacks {w}");
        }
        if ["rider", "applicant", "auditor", "admin", "security"].contains(account) {
            assert!(!home.body.contains("href=\"/people\""), "{account} is not offered the people list");
        }
        let mut seen = BTreeSet::new();
        for href in links(&home.body) {
            let switch = href.starts_with("/lang") || href.starts_with("/banner/off");
            if href.starts_with("/static/") || switch || !seen.insert(href.clone()) {
                continue;
            }
            let r = app.get(&href).await;
            assert_eq!(
                r.status,
                StatusCode::OK,
                "{account}'s home links to {href}, which answers {}",
                r.status
            );
        }
    }
}

/// The accounts that walk the pages (None: signed out), and whether they walk them in
/// English too.
const WALKERS: &[(Option<&str>, bool)] = &[
    (None, true),
    (Some("admin"), true),
    (Some("auditor"), false),
    (Some("organiser"), false),
    (Some("committee.admin"), false),
    (Some("tencent.admin"), false),
    (Some("tencent.secretary"), true),
    (Some("meituan.secretary"), false),
    (Some("rider"), true),
    (Some("applicant"), false),
];

/// Page routes that never answer with an HTML page (downloads and the language switch):
/// not walked.
const NOT_HTML: &[&str] = &[
    "/banner/off",
    "/stats.xlsx",
    "/stats/annual.xlsx",
    "/people/roster",
    "/people/roster/template",
    "/dossiers/import/template",
    "/lang/{code}",
    "/images/{id}",
    "/applications/{id}/scan",
    "/city/badges/sheet",
    "/city/directory/export",
    "/staff/template",
    "/portal/{t}/feed.atom",
    "/portal/{t}/images/{id}",
];

/// How many addresses of one route an account visits (the first its pages link to).
const PER_ROUTE: usize = 3;

async fn every_page_title_is_plain_text_for_every_account(app: TestApp) {
    // A transfer, so the dossier lists of both branches show their transfers.
    let from = app.org_id("腾讯数据平台部第三党支部").await;
    let to = app.org_id("腾讯数据平台部第一党支部").await;
    transfer_one_dossier(&app, &from, &to).await;
    let routes: Vec<&str> = ROUTES
        .iter()
        .filter(|(m, p, _)| {
            *m == "GET"
                && !p.starts_with("/api/")
                && !matches!(*p, "/healthz" | "/readyz" | "/static/{file}")
                && !NOT_HTML.contains(p)
        })
        .map(|(_, p, _)| *p)
        .collect();
    let mut seeds: Vec<String> =
        routes.iter().filter(|p| !p.contains('{')).map(|p| (*p).to_owned()).collect();
    seeds.extend([format!("/dossiers?org={from}"), format!("/dossiers?org={to}")]);

    let mut shown: BTreeSet<&str> = BTreeSet::new();
    let mut bad = Vec::new();
    // Latin words on the Chinese pages (issue 17, item 11): each with the first page showing it.
    let mut latin: BTreeMap<String, String> = BTreeMap::new();
    let mut visits = 0;
    for (account, english) in WALKERS {
        let client = match account {
            Some(name) => app.sign_in(name).await,
            None => app.client(),
        };
        let who = account.unwrap_or("signed out");
        let seen = walk(&client, &routes, &seeds).await;
        for (uri, (route, reply)) in &seen {
            visits += 1;
            if let Some(title) = page_title(reply) {
                shown.insert(route);
                bad.extend(title_fault(&title).map(|f| format!("{who} · zh · {uri}: {f}: {title:?}")));
                for (word, around) in latin_words(&reply.body) {
                    latin.entry(word).or_insert_with(|| format!("{who} · {uri} · …{around}…"));
                }
            }
        }
        if *english {
            for (uri, (route, _)) in &seen {
                visits += 1;
                let reply = client.get_en(uri).await;
                if let Some(title) = page_title(&reply) {
                    shown.insert(route);
                    bad.extend(title_fault(&title).map(|f| format!("{who} · en · {uri}: {f}: {title:?}")));
                }
            }
        }
    }
    assert!(bad.is_empty(), "{} page titles are not plain text:\n{}", bad.len(), bad.join("\n"));
    let words: Vec<String> = latin.iter().map(|(w, at)| format!("{w:?} ({at})")).collect();
    assert!(words.is_empty(), "{} Latin words on Chinese pages:\n{}", words.len(), words.join("\n"));
    let never: Vec<&&str> = routes.iter().filter(|r| !shown.contains(**r)).collect();
    assert!(never.is_empty(), "no account was shown these pages: {never:?}");
    assert!(visits > 500, "{visits} pages visited");
}

/// The pages `client` reaches from `seeds` by following its pages' links to page routes,
/// at most [`PER_ROUTE`] addresses per route: address → (route, reply).
async fn walk<'r>(
    client: &Client,
    routes: &[&'r str],
    seeds: &[String],
) -> BTreeMap<String, (&'r str, crate::support::Reply)> {
    let mut seen = BTreeMap::new();
    let mut per_route: BTreeMap<&str, usize> = BTreeMap::new();
    let mut queue: VecDeque<String> = seeds.iter().cloned().collect();
    let mut queued: BTreeSet<String> = queue.iter().cloned().collect();
    while let Some(uri) = queue.pop_front() {
        let Some(route) = route_of(routes, &uri) else { continue };
        let n = per_route.entry(route).or_default();
        if *n >= PER_ROUTE {
            continue;
        }
        *n += 1;
        let reply = client.get(&uri).await;
        assert!(!reply.status.is_server_error(), "GET {uri} → {}: {}", reply.status, reply.body);
        if reply.status == StatusCode::OK {
            for link in links(&reply.body) {
                if queued.insert(link.clone()) {
                    queue.push_back(link);
                }
            }
        }
        seen.insert(uri, (route, reply));
    }
    seen
}

/// The page route `uri` is an address of (`{…}` matches one path segment).
fn route_of<'r>(routes: &[&'r str], uri: &str) -> Option<&'r str> {
    let path = uri.split(['?', '#']).next().unwrap_or_default();
    let given: Vec<&str> = path.split('/').collect();
    routes.iter().copied().find(|r| {
        let want: Vec<&str> = r.split('/').collect();
        want.len() == given.len()
            && want.iter().zip(&given).all(|(w, g)| w == g || w.starts_with('{') && !g.is_empty())
    })
}

/// The local addresses a page links to.
fn links(body: &str) -> Vec<String> {
    body.split("href=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .filter(|href| href.starts_with('/') && !href.starts_with("//"))
        .map(|href| href.replace("&amp;", "&").split('#').next().unwrap_or_default().to_owned())
        .collect()
}

/// The text of the page's one `<title>` (charts' SVG titles aside), None when the reply is
/// not an HTML page shown with 200; fails when the page has no or several.
fn page_title(reply: &crate::support::Reply) -> Option<String> {
    let html = reply
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if reply.status != StatusCode::OK || !html {
        return None;
    }
    let mut outside_svg = String::new();
    let mut rest = reply.body.as_str();
    while let Some(at) = rest.find("<svg") {
        outside_svg.push_str(&rest[..at]);
        rest = rest[at..].split_once("</svg>").map_or("", |(_, after)| after);
    }
    outside_svg.push_str(rest);
    let titles: Vec<&str> = outside_svg.split("<title>").skip(1).collect();
    assert_eq!(titles.len(), 1, "{} <title> elements in {}", titles.len(), reply.body);
    Some(titles[0].split("</title>").next().unwrap_or_default().to_owned())
}

/// What is wrong with a page title, if anything.
fn title_fault(title: &str) -> Option<&'static str> {
    let words = title.trim();
    let page = words.split(" · ").next().unwrap_or_default().trim();
    if words.is_empty() || page.is_empty() || words.starts_with('·') {
        Some("empty")
    } else if words.contains(['<', '>']) {
        Some("markup")
    } else if words.to_lowercase().contains("csrf") {
        Some("a CSRF field")
    } else if words.contains("{{") || words.contains("{%") || words.contains("%}") || words.contains("}}") {
        Some("a template leftover")
    } else if longest_token_run(words) >= 32 {
        Some("a token")
    } else {
        None
    }
}

/// The longest run of characters a hex, base64 or base64url token is made of.
fn longest_token_run(s: &str) -> usize {
    let mut longest = 0;
    let mut run = 0;
    for c in s.chars() {
        if c.is_ascii_alphanumeric() || matches!(c, '+' | '/' | '=' | '-' | '_') {
            run += 1;
            longest = longest.max(run);
        } else {
            run = 0;
        }
    }
    longest
}

/// Records a transfer of the first case of `from` to `to` (as found, in backfill mode).
async fn transfer_one_dossier(app: &TestApp, from: &str, to: &str) {
    let organiser = app.sign_in("organiser").await;
    let cases = organiser.get(&format!("/api/v1/dossiers?org={from}")).await.json();
    let dossier = cases["items"][0]["id"].as_str().expect("a case in the branch").parse().unwrap();
    let today = pioneer_web::clock::Clock::today(&app.clock);
    let transfer = NewEvent {
        kind: Kind::Transfer,
        on: today,
        fields: vec![
            (Key::ToOrg, Value::Id(to.parse().unwrap())),
            (Key::MaterialsComplete, Value::Bool(true)),
        ],
        corrects: None,
        backfill: true,
    };
    let act = pioneer_store::Act::new("test", "transfer", crate::support::now());
    app.store.record_event(dossier, transfer, today, &act).await.unwrap();
}

#[test]
fn latin_words_are_found_in_text_and_shown_attributes_but_not_in_codes() {
    let page = "<style>.a{color:red}</style><h1>排查 DEV-003 (C)</h1><button title=\"Save it\">Submit</button>\
        <input placeholder=\"例如 2024-01-31\"><a href=\"/people\">English</a> /images/… 8 ms ZZ-42D5-D942 ABD";
    let words: Vec<String> = latin_words(page).into_keys().collect();
    assert_eq!(words, vec!["Save", "Submit", "it"]);
}

#[test]
fn a_title_with_markup_a_token_or_nothing_is_refused() {
    let token = "3f9a0c1e5b7d2f4a6c8e0b1d3f5a7c9e";
    for (title, fault) in [
        ("人员管理 · 党员发展", None),
        ("Weekly quiz · Party development", None),
        ("", Some("empty")),
        (" · 党员发展", Some("empty")),
        ("档案<h2>转接</h2> · 党员发展", Some("markup")),
        ("name=csrf · 党员发展", Some("a CSRF field")),
        ("{{ title }} · 党员发展", Some("a template leftover")),
        (&format!("会议 {token} · 党员发展"), Some("a token")),
    ] {
        assert_eq!(title_fault(title), fault, "{title}");
    }
    assert_eq!(
        route_of(&["/orgs", "/orgs/{id}", "/orgs/{id}/edit"], "/orgs/abc/edit?x=1"),
        Some("/orgs/{id}/edit")
    );
    assert_eq!(route_of(&["/orgs/{id}"], "/orgs/"), None);
    assert_eq!(links("<a href=\"/people?a=1&amp;b=2#x\"><a href=\"https://x\">"), ["/people?a=1&b=2"]);
}

/// Latin words a person reads on a Chinese page: its text and the attributes shown to them
/// (placeholder, title, aria-label, alt), outside the style sheet. Codes holding a digit
/// (rule ids DEV-003, dates, short numbers ZZ-42D5-D942, hashes), single letters (the rule
/// statuses C, T, L, U) and the words of [`LATIN_ALLOWED`] are not words to translate.
fn latin_words(body: &str) -> BTreeMap<String, String> {
    let mut text = String::new();
    let mut rest = body;
    while let Some(open) = rest.find('<') {
        text.push_str(&rest[..open]);
        text.push(' ');
        let tag_end = rest[open..].find('>').map_or(rest.len(), |i| open + i + 1);
        let tag = &rest[open..tag_end];
        for attr in ["placeholder=\"", "title=\"", "aria-label=\"", "alt=\""] {
            if let Some(v) = tag.split(attr).nth(1).and_then(|v| v.split('"').next()) {
                text.push_str(v);
                text.push(' ');
            }
        }
        rest = &rest[tag_end..];
        if tag.starts_with("<style") {
            rest = rest.split_once("</style>").map_or("", |(_, after)| after);
        }
    }
    text.push_str(rest);
    let text = text.replace("&amp;", "&").replace("&#38;", "&").replace("&quot;", "\"").replace("&#39;", "'");
    let mut out = BTreeMap::new();
    for (at, run) in
        text.split(|c: char| !(c.is_ascii_alphanumeric() || "._-+/@:%'".contains(c))).scan(0, |pos, run| {
            let at = *pos;
            *pos += run.len() + 1;
            Some((at, run))
        })
    {
        if run.starts_with('/') {
            continue; // an address on the site (`/images/…`), typed as it is
        }
        let word = run.trim_matches(|c: char| !c.is_ascii_alphanumeric());
        let letters = word.chars().filter(char::is_ascii_alphabetic).count();
        let option_keys = word.chars().all(|c| ('A'..='F').contains(&c));
        // A code to type, not to read: a second factor's secret in base32 has no digit one
        // time in eight hundred.
        let code = word.len() >= 16 && word.chars().all(|c| c.is_ascii_uppercase());
        if letters < 2
            || option_keys
            || code
            || word.chars().any(|c| c.is_ascii_digit())
            || LATIN_ALLOWED.contains(&word)
        {
            continue;
        }
        let mut from = at.saturating_sub(30);
        while !text.is_char_boundary(from) {
            from -= 1;
        }
        let mut to = (at + run.len() + 30).min(text.len());
        while !text.is_char_boundary(to) {
            to += 1;
        }
        out.entry(word.to_owned())
            .or_insert_with(|| text[from..to].split_whitespace().collect::<Vec<_>>().join(" "));
    }
    out
}

/// Latin words that belong on a Chinese page: the switch to English, file formats and
/// units, and the demo's account names (data, not interface).
const LATIN_ALLOWED: &[&str] = &[
    "English",
    "Excel",
    "CSV",
    "xlsx",
    "PDF",
    "JPEG",
    "PNG",
    "GIF",
    "WebP",
    "MB",
    "KB",
    "API",
    "OpenAPI",
    "JSON",
    "TOTP",
    "GBK",
    "ms",
    "test",
    "admin",
    "security",
    "auditor",
    "organiser",
    "rider",
    "applicant",
    "committee.admin",
    "tencent.admin",
    "tencent.secretary",
    "meituan.secretary",
];
