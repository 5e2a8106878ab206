//! What every server-rendered page shares: the page chrome (account, language, demo
//! banner), HTML answers and downloads, the stylesheet, the error pages (`render_errors`,
//! under the same chrome), the not-found page, the language switch and the organisation
//! picker. Every page works without JavaScript and requests
//! nothing from another origin; the pages themselves live in their capability's folder.

use crate::AppState;
use crate::api::query::ApiQuery;
use crate::error::AppError;
use crate::forms::encode;
use crate::i18n::{Lang, Tr};
use axum::extract::{FromRequestParts, Path, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

/// What every page's frame needs: the language, the demo banner, the way back.
#[derive(Debug, Clone)]
pub struct Chrome {
    /// Translator.
    pub t: Tr,
    /// Show the demo-data banner.
    pub demo: bool,
    /// This page's path and query, percent-encoded, for the language switch.
    pub back: String,
    /// The signed-in account's name, if any.
    pub user: Option<String>,
    /// The session's CSRF token (empty when signed out).
    pub csrf: String,
    /// Navigation links the account may follow: (phrase key, path).
    pub nav: Vec<(&'static str, &'static str)>,
    /// The phone's bottom tab bar: at most four of `nav` for the role, then "more".
    pub tabs: Vec<(&'static str, &'static str)>,
    /// This page's path, to mark its tab.
    pub here: String,
    /// The stylesheet's hashed name.
    pub css: &'static str,
}

/// The cookie that hides the demo banner once its reader has dismissed it.
const BANNER_OFF: &str = "demo_banner=off";

/// True when the reader dismissed the demo banner.
fn banner_off(headers: &axum::http::HeaderMap) -> bool {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .any(|v| v.split(';').any(|part| part.trim() == BANNER_OFF))
}

/// The tabs of a phone's bottom bar: up to four destinations of `nav` in the role's order
/// (a member's week first; else the desk), then "more" (every link, the language, sign-out).
fn tabs_of(nav: &[(&'static str, &'static str)], member: bool) -> Vec<(&'static str, &'static str)> {
    const MEMBER: &[&str] = &["/", "/study", "/quiz", "/me/credits"];
    const DESK: &[&str] = &[
        "/",
        "/dossiers",
        "/people",
        "/meetings",
        "/screening",
        "/stats",
        "/orgs",
        "/journal",
        "/admin/users",
        "/admin/study",
        "/admin/quiz",
        "/admin/care",
    ];
    let order = if member { MEMBER } else { DESK };
    let mut tabs: Vec<(&'static str, &'static str)> =
        order.iter().filter_map(|p| nav.iter().find(|(_, q)| q == p).copied()).take(4).collect();
    tabs.push(("nav_more", "/more"));
    tabs
}

impl FromRequestParts<AppState> for Chrome {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let me = parts.extensions.get::<crate::auth::CurrentUser>();
        let demo = state.demo && !banner_off(&parts.headers);
        Ok(Chrome::new(Lang::from_cookies(&parts.headers), back_of(&parts.uri), me, demo))
    }
}

impl Chrome {
    /// The chrome of a page in `lang`, asked from `back`, signed in as `me` if anyone: the
    /// extractor's, and the error pages' ([`render_errors`], which has the request, not its
    /// parts).
    pub fn new(lang: Lang, back: &str, me: Option<&crate::auth::CurrentUser>, demo: bool) -> Self {
        let t = Tr::new(lang);
        let mut nav = vec![("nav_home", "/")];
        if me.is_none() {
            nav.push(("nav_portal", "/portal"));
        }
        if let Some(u) = me {
            use pioneer_domain::accounts::access::Permission;
            for (perm, key, path) in [
                (Permission::ReadOrgs, "nav_orgs", "/orgs"),
                (Permission::ReadPeople, "nav_people", "/people"),
                (Permission::ReadDossiers, "nav_dossiers", "/dossiers"),
                (Permission::ReadDossiers, "nav_screening", "/screening"),
                (Permission::ReadPeople, "nav_stats", "/stats"),
                (Permission::ManageMeetings, "nav_meetings", "/meetings"),
                (Permission::ManageStudy, "nav_study_admin", "/admin/study"),
                (Permission::ManageStudy, "nav_quiz_admin", "/admin/quiz"),
                (Permission::ManageCare, "nav_care_admin", "/admin/care"),
                (Permission::ManageService, "nav_service_admin", "/service/admin"),
                (Permission::ManageService, "nav_city", "/city/directory"),
                (Permission::ReadPeople, "nav_badges", "/city/badges"),
                (Permission::ReadPeople, "nav_dues", "/dues"),
                (Permission::ReadPeople, "nav_terms", "/terms"),
                (Permission::ReadPeople, "nav_staff", "/staff"),
                (Permission::ReadSelf, "nav_me", "/me"),
                (Permission::ReadSelf, "nav_study", "/study"),
                (Permission::ReadSelf, "nav_quiz", "/quiz"),
                (Permission::ReadSelf, "nav_credits", "/me/credits"),
                (Permission::ReadSelf, "nav_my_dues", "/me/dues"),
                (Permission::ReadSelf, "nav_service", "/service"),
                (Permission::ReadJournal, "nav_journal", "/journal"),
                (Permission::ManageUsers, "nav_users", "/admin/users"),
                (Permission::GrantRoles, "nav_users", "/admin/users"),
            ] {
                if u.can(perm) && !nav.iter().any(|(_, p)| *p == path) {
                    nav.push((key, path));
                }
            }
        }
        let member = me.is_some_and(|u| {
            u.person_id.is_some() && u.can(pioneer_domain::accounts::access::Permission::ReadSelf)
        });
        let tabs = if me.is_some() { tabs_of(&nav, member) } else { Vec::new() };
        let here = back.split('?').next().unwrap_or("/").to_owned();
        Chrome {
            css: css_name(),
            nav,
            tabs,
            here,
            t,
            demo,
            back: encode(back),
            user: me.map(|u| u.display_name.clone()),
            csrf: me.map(|u| u.csrf.clone()).unwrap_or_default(),
        }
    }
}

/// An HTML response.
pub fn html(body: String) -> Response {
    ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], body).into_response()
}

/// An HTML response with a status (a form shown again with its errors: 422).
pub fn html_status(status: StatusCode, body: String) -> Response {
    (status, [(header::CONTENT_TYPE, "text/html; charset=utf-8")], body).into_response()
}

/// A file to download: its type, the name the browser saves it under, the bytes.
pub fn download(kind: &'static str, name: &'static str, bytes: Vec<u8>) -> Response {
    let disposition = format!("attachment; filename=\"{name}\"");
    let mut res = ([(header::CONTENT_TYPE, HeaderValue::from_static(kind))], bytes).into_response();
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        res.headers_mut().insert(header::CONTENT_DISPOSITION, v);
    }
    res
}

/// A table as a download: CSV when `format` is `csv` (the first name), else xlsx (the
/// second, one sheet so named), every cell text.
pub fn table_download(
    format: &str,
    sheet: &str,
    names: [&'static str; 2],
    header: &[String],
    rows: &[Vec<String>],
) -> Result<Response, crate::error::AppError> {
    if format == "csv" {
        let bytes = crate::sheets::table_csv(header, rows).map_err(|_| crate::error::AppError::Internal)?;
        return Ok(download("text/csv; charset=utf-8", names[0], bytes));
    }
    let bytes =
        crate::sheets::table_xlsx(sheet, header, rows).map_err(|_| crate::error::AppError::Internal)?;
    Ok(download("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", names[1], bytes))
}

/// The stylesheet, compiled into the binary.
const APP_CSS: &str = include_str!("../static/app.css");

/// The stylesheet's name with its content's hash (`app.1a2b3c4d5e6f.css`): pages link to
/// it, so a browser keeps it for a year and a new release brings a new name.
pub fn css_name() -> &'static str {
    static NAME: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
        use sha2::Digest;
        let hash = hex::encode(sha2::Sha256::digest(APP_CSS.as_bytes()));
        format!("app.{}.css", &hash[..12])
    });
    &NAME
}

/// `GET /static/{file}`: the stylesheet under its hashed name (cached for a year, never
/// revalidated) or its plain name (an hour, for old links).
pub async fn static_file(Path(file): Path<String>) -> Result<Response, crate::error::AppError> {
    let cache = if file == css_name() {
        "public, max-age=31536000, immutable"
    } else if file == "app.css" {
        "public, max-age=3600"
    } else {
        return Err(crate::error::AppError::NotFound);
    };
    Ok((
        [
            (header::CONTENT_TYPE, HeaderValue::from_static("text/css; charset=utf-8")),
            (header::CACHE_CONTROL, HeaderValue::from_static(cache)),
        ],
        APP_CSS,
    )
        .into_response())
}

/// Compresses answers (brotli or gzip, as the browser accepts) except those already
/// compressed: spreadsheets (zip inside) and images.
pub fn compression() -> tower_http::compression::CompressionLayer<impl tower_http::compression::Predicate> {
    use tower_http::compression::predicate::{NotForContentType, Predicate, SizeAbove};
    let predicate = SizeAbove::new(256)
        .and(NotForContentType::IMAGES)
        .and(NotForContentType::const_new("application/vnd.openxmlformats"))
        .and(NotForContentType::const_new("application/zip"));
    tower_http::compression::CompressionLayer::new().compress_when(predicate)
}

#[derive(askama::Template)]
#[template(path = "error.html")]
struct ErrorPage {
    /// The same header as every page: the account's name and links when signed in.
    c: Chrome,
    status: u16,
    title: String,
    detail: String,
    fields: Vec<(String, String)>,
}

/// Writes the body of every [`AppError`] response: a problem document under `/api/` (in
/// the `Accept-Language`), else the error page in the page's language, under the same
/// header as every page (it runs inside `auth::session::resolve`, so the signed-in account
/// is known) and saying where to go. A 405 keeps its `Allow` header.
pub async fn render_errors(State(s): State<AppState>, req: Request, next: Next) -> Response {
    let is_api = req.uri().path().starts_with("/api/");
    // What the chrome needs (the language, the way back, the account), kept before the
    // request moves on.
    let lang = if is_api { Lang::from_accept(req.headers()) } else { Lang::from_cookies(req.headers()) };
    let uri = req.uri().clone();
    let demo = s.demo && !banner_off(req.headers());
    let me = req.extensions().get::<crate::auth::CurrentUser>().cloned();
    let res = next.run(req).await;
    let Some(err) = res.extensions().get::<AppError>().cloned() else { return res };
    if matches!(err, AppError::StorageDown) {
        s.note_storage_fault();
    }
    keep_allow(&res, error_response(err, is_api, lang, &uri, me.as_ref(), demo))
}

/// The response to an error: a problem document under `/api/`, else the error page under
/// the same header as every page.
pub fn error_response(
    err: AppError,
    is_api: bool,
    lang: Lang,
    uri: &axum::http::Uri,
    me: Option<&crate::auth::CurrentUser>,
    demo: bool,
) -> Response {
    if is_api {
        return err.problem_response(Tr::new(lang));
    }
    let c = Chrome::new(lang, back_of(uri), me, demo);
    let problem = err.problem(c.t);
    let status = err.status();
    let page = ErrorPage {
        c,
        status: problem.status,
        title: problem.title,
        detail: problem.detail,
        fields: problem.errors.into_iter().map(|f| (f.label, f.message)).collect(),
    };
    match askama::Template::render(&page) {
        Ok(body) => html_status(status, body),
        Err(_) => (status, problem.status.to_string()).into_response(),
    }
}

/// Where a page was asked from: its path and query, for the language switch's way back.
fn back_of(uri: &axum::http::Uri) -> &str {
    uri.path_and_query().map_or("/", |p| p.as_str())
}

/// `out` with the `Allow` header of `res`, if any.
fn keep_allow(res: &Response, mut out: Response) -> Response {
    if let Some(allow) = res.headers().get(header::ALLOW) {
        out.headers_mut().insert(header::ALLOW, allow.clone());
    }
    out
}

/// Any unknown path.
pub async fn not_found() -> AppError {
    AppError::NotFound
}

/// Where to go after switching language.
#[derive(Debug, Deserialize)]
pub struct Back {
    back: Option<String>,
}

/// Only a local path is a safe place to return to (no `//host` or scheme).
fn safe_back(back: Option<&str>) -> &str {
    match back {
        Some(b) if crate::forms::is_local_path(b) => b,
        _ => "/",
    }
}

/// `GET /lang/{zh|en}`: remembers the language in a cookie and goes back.
pub async fn switch_language(Path(code): Path<String>, ApiQuery(back): ApiQuery<Back>) -> Response {
    let lang = if code == "en" { "en" } else { "zh" };
    remember_and_return(&format!("lang={lang}"), &back)
}

/// Sets the cookie `pair` for a year and goes back to the page it was asked from.
fn remember_and_return(pair: &str, back: &Back) -> Response {
    let cookie = format!("{pair}; Path=/; Max-Age=31536000; SameSite=Lax; HttpOnly");
    let mut res = Redirect::to(safe_back(back.back.as_deref())).into_response();
    if let Ok(v) = HeaderValue::from_str(&cookie) {
        res.headers_mut().insert(header::SET_COOKIE, v);
    }
    res
}

/// `(id, label)` of an organisation in a select box, indented by depth.
#[derive(Debug, Clone)]
pub struct OrgChoice {
    /// Id.
    pub id: uuid::Uuid,
    /// Name indented by depth.
    pub label: String,
}

impl OrgChoice {
    /// A choice for `o`.
    pub fn of(o: &pioneer_store::orgs::OrgRecord) -> Self {
        let indent = "　".repeat(usize::try_from(o.depth).unwrap_or(0));
        Self { id: o.id, label: format!("{indent}{}", o.fields.name) }
    }
}

/// An instant (ms) as Beijing time, `2026-12-06 14:05` (empty when out of range).
pub fn local_time(ms: i64) -> String {
    let tz = jiff::tz::TimeZone::fixed(jiff::tz::Offset::constant(8));
    jiff::Timestamp::from_millisecond(ms)
        .map_or_else(|_| String::new(), |t| t.to_zoned(tz).strftime("%Y-%m-%d %H:%M").to_string())
}

#[cfg(test)]
mod tests {
    use super::safe_back;

    #[test]
    fn only_local_paths_are_returned_to() {
        assert_eq!(safe_back(Some("/people?q=x")), "/people?q=x");
        for bad in [
            "//evil.example",
            "https://evil.example",
            "/\\evil",
            "people",
            "/\t/evil.example",
            "/\n/x",
            "/ /x",
        ] {
            assert_eq!(safe_back(Some(bad)), "/", "{bad}");
        }
        assert_eq!(safe_back(None), "/");
    }
}

/// `GET /banner/off`: hides the demo banner for this browser (a year) and goes back.
pub async fn hide_banner(ApiQuery(back): ApiQuery<Back>) -> Response {
    remember_and_return(BANNER_OFF, &back)
}

#[derive(askama::Template)]
#[template(path = "more.html")]
struct MorePage {
    c: Chrome,
}

/// `GET /more`: on a phone, every destination of the account, the language and sign-out.
pub async fn more(c: Chrome) -> Result<Response, crate::error::AppError> {
    Ok(html(askama::Template::render(&MorePage { c })?))
}
