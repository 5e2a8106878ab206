//! The committee's public portal: its news (columns, an image stored by pioneer, an Atom
//! feed), the figures it chooses to publish (computed live from the statistics, never
//! typed), links to the notice board, the map and the directory, and a volunteer form for
//! citizens that lands in a team's queue. The committee's page sets what is published and
//! writes articles; a team's page works the queue.

use super::badges::base_url;
use super::{committee, read_allowed};
use crate::AppState;
use crate::api::query::ApiQuery;
use crate::auth::Who;
use crate::auth::handlers::Peer;
use crate::error::AppError;
use crate::forms::FormErrors;
use crate::pages::{Chrome, html, html_status};
use crate::scope::{OrgQuery, path_id, scope_org};
use askama::Template;
use axum::Form;
use axum::Json;
use axum::extract::{Multipart, Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use pioneer_domain::accounts::access::Permission;
use pioneer_domain::city::portal::{
    ArticleFields, ArticleInput, CitizenSignupFields, CitizenSignupInput, Figure, PortalSettings,
    PortalSettingsInput,
};
use pioneer_store::city::portal::{ArticleRecord, CitizenSignup};
use pioneer_store::orgs::OrgRecord;
use pioneer_store::service::teams::TeamRecord;
use serde::{Deserialize, Serialize};
use serde_json::json;
use uuid::Uuid;

/// One published figure: its code, label and value as shown.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Published {
    /// Figure code.
    pub code: String,
    /// Label in Chinese.
    pub label_zh: String,
    /// Label in English.
    pub label_en: String,
    /// The value as shown (a count, a percentage, hours).
    pub value: String,
}

/// One function per action, for the pages and the API alike.
pub mod actions {
    use super::*;

    /// The figures the committee publishes, computed now from the statistics.
    pub async fn figures(
        s: &AppState,
        org: &OrgRecord,
        settings: &PortalSettings,
    ) -> Result<Vec<Published>, AppError> {
        if settings.figures.is_empty() {
            return Ok(Vec::new());
        }
        let today = s.clock.today();
        let (d, _, _) =
            s.store.dashboard(org.id, today, settings.since_year, s.clock.now().as_millisecond()).await?;
        let count: u64 = d.new_members.iter().map(|n| n.count).sum();
        let share = |part: u64| format!("{}%", pioneer_domain::stats::percent(part as i64, count));
        let mut out = Vec::new();
        for f in &settings.figures {
            let value = match f {
                Figure::NewMembers => count.to_string(),
                Figure::Under30Share => share(d.new_members.iter().map(|n| n.up_to_30).sum()),
                Figure::CollegeShare => share(d.new_members.iter().map(|n| n.college).sum()),
                Figure::Applications => match d.applications.iter().find(|a| a.year == today.year()) {
                    Some(a) => match a.growth_pct {
                        Some(g) => format!("{}（{}{g}%）", a.count, if g >= 0 { "+" } else { "" }),
                        None => a.count.to_string(),
                    },
                    None => "0".to_owned(),
                },
                Figure::VolunteerHours => {
                    let sf = s.store.service_figures(&org.path, today.year()).await?;
                    format!("{} 小时", pioneer_domain::service::hours::hours_text(sf.minutes))
                }
            };
            let since = match f {
                Figure::NewMembers | Figure::Under30Share | Figure::CollegeShare => {
                    format!("（{}年以来）", settings.since_year)
                }
                Figure::Applications | Figure::VolunteerHours => format!("（{}年）", today.year()),
            };
            let since_en = match f {
                Figure::NewMembers | Figure::Under30Share | Figure::CollegeShare => {
                    format!(" (since {})", settings.since_year)
                }
                Figure::Applications | Figure::VolunteerHours => format!(" ({})", today.year()),
            };
            out.push(Published {
                code: f.code().to_owned(),
                label_zh: format!("{}{since}", f.zh()),
                label_en: format!("{}{since_en}", f.en()),
                value,
            });
        }
        Ok(out)
    }

    /// The committee a manager of `q`'s organisation publishes for (its top organisation;
    /// only an account managing the whole committee may).
    pub async fn publisher(s: &AppState, who: &Who, q: &OrgQuery) -> Result<OrgRecord, AppError> {
        let org = scope_org(s, who, Permission::ManageService, q.org.as_deref())
            .await?
            .ok_or(AppError::NotFound)?;
        let root = s.store.org(org.tenant_id).await?;
        s.allow(who, Permission::ManageService, &root.path).await?;
        Ok(root)
    }

    /// Sets what the portal publishes.
    pub async fn set_settings(
        s: &AppState,
        who: &Who,
        root: &OrgRecord,
        f: &PortalSettingsInput,
    ) -> Result<PortalSettings, AppError> {
        let settings = PortalSettings::parse(f, s.clock.today().year())?;
        s.store.set_portal_settings(root.tenant_id, &settings, &who.act).await?;
        Ok(settings)
    }

    /// Drafts an article, with its image if one was sent (checked: PNG, JPEG or WebP).
    pub async fn draft(
        s: &AppState,
        who: &Who,
        root: &OrgRecord,
        f: &ArticleInput,
        image: Option<&[u8]>,
    ) -> Result<Uuid, AppError> {
        let fields = ArticleFields::parse(f)?;
        let image = match image.filter(|b| !b.is_empty()) {
            Some(bytes) => Some(s.store.save_image(root.id, bytes, &who.act).await?),
            None => None,
        };
        Ok(s.store.create_article(root.id, &fields, image, &who.act).await?)
    }

    /// Publishes or withdraws an article of `who`'s committee.
    pub async fn publish(
        s: &AppState,
        who: &Who,
        id: Uuid,
        publish: bool,
    ) -> Result<ArticleRecord, AppError> {
        let a = s.store.article(id).await?;
        let root = s.store.org(a.tenant_id).await?;
        s.allow(who, Permission::ManageService, &root.path).await?;
        s.store.publish_article(id, publish, &who.act).await?;
        Ok(s.store.article(id).await?)
    }

    /// A citizen's volunteer sign-up from `address` (limited per address).
    pub async fn citizen_signup(
        s: &AppState,
        root: &OrgRecord,
        f: &CitizenSignupInput,
        address: &str,
    ) -> Result<Uuid, AppError> {
        s.spend_public_form("citizen_signup", address)?;
        let fields = CitizenSignupFields::parse(f)?;
        let team = Uuid::try_parse(f.team_id.trim())
            .map_err(|_| AppError::field("team_id", pioneer_domain::Reason::Required))?;
        let act = pioneer_store::Act::new("public", "POST /portal/{t}/volunteer", s.clock.now());
        Ok(s.store.receive_citizen_signup(root.tenant_id, team, &fields, &act).await?)
    }

    /// A team's queue of citizens (its leader or a manager of its organisation).
    pub async fn queue(
        s: &AppState,
        who: &Who,
        team: Uuid,
    ) -> Result<(TeamRecord, Vec<CitizenSignup>), AppError> {
        let t = s.store.team(team).await?;
        crate::service::lead_team(s, who, &t).await?;
        let q = s.store.citizen_signups(t.tenant_id, t.id).await?;
        Ok((t, q))
    }

    /// Records what the team did with a citizen's sign-up.
    pub async fn handle(s: &AppState, who: &Who, id: Uuid, outcome: &str) -> Result<Uuid, AppError> {
        let team = s.store.citizen_signup_team(id).await?;
        let t = s.store.team(team).await?;
        crate::service::lead_team(s, who, &t).await?;
        s.store.handle_citizen_signup(t.tenant_id, id, outcome.trim(), &who.act).await?;
        Ok(t.id)
    }
}

#[derive(Template)]
#[template(path = "portal_index.html")]
struct IndexPage {
    c: Chrome,
    committees: Vec<(Uuid, String)>,
}

/// `GET /portal`: the committees' portals.
pub async fn index(State(s): State<AppState>, c: Chrome, peer: Peer) -> Result<Response, AppError> {
    read_allowed(&s, &peer.address())?;
    let committees = s.store.committees().await?;
    Ok(html(IndexPage { c, committees }.render()?))
}

#[derive(Template)]
#[template(path = "portal_home.html")]
struct HomePage {
    c: Chrome,
    org: OrgRecord,
    title: String,
    figures: Vec<Published>,
    news: Vec<ArticleRecord>,
}

impl HomePage {
    fn day(&self, ms: &Option<i64>) -> String {
        ms.map(|m| crate::pages::local_time(m).chars().take(10).collect()).unwrap_or_default()
    }
}

/// `GET /portal/{t}`.
pub async fn home(
    State(s): State<AppState>,
    c: Chrome,
    peer: Peer,
    Path(t): Path<String>,
) -> Result<Response, AppError> {
    read_allowed(&s, &peer.address())?;
    let org = committee(&s, &t).await?;
    let settings = s.store.portal_settings(org.tenant_id, s.clock.today().year()).await?;
    let figures = actions::figures(&s, &org, &settings).await?;
    let news = s.store.articles(org.tenant_id, false, 20).await?;
    let title = settings.title.clone().unwrap_or_else(|| org.fields.name.clone());
    Ok(html(HomePage { c, org, title, figures, news }.render()?))
}

#[derive(Template)]
#[template(path = "portal_article.html")]
struct ArticlePage {
    c: Chrome,
    org: OrgRecord,
    a: ArticleRecord,
    day: String,
}

impl ArticlePage {
    fn paragraphs(&self) -> Vec<&str> {
        ArticleFields::paragraphs(&self.a.body)
    }
}

async fn published(s: &AppState, org: &OrgRecord, id: &str) -> Result<ArticleRecord, AppError> {
    let a = s.store.article(path_id(id)?).await?;
    if a.tenant_id != org.tenant_id || a.published_at.is_none() {
        return Err(AppError::NotFound);
    }
    Ok(a)
}

/// `GET /portal/{t}/news/{id}`.
pub async fn article(
    State(s): State<AppState>,
    c: Chrome,
    peer: Peer,
    Path((t, id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    read_allowed(&s, &peer.address())?;
    let org = committee(&s, &t).await?;
    let a = published(&s, &org, &id).await?;
    let day = a.published_at.map(crate::pages::local_time).unwrap_or_default();
    Ok(html(ArticlePage { c, org, a, day }.render()?))
}

/// `GET /portal/{t}/images/{id}`: the image of a published article.
pub async fn image(
    State(s): State<AppState>,
    peer: Peer,
    Path((t, id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    read_allowed(&s, &peer.address())?;
    let org = committee(&s, &t).await?;
    let img = s.store.published_image(org.tenant_id, path_id(&id)?).await?;
    Ok((
        [(header::CONTENT_TYPE, img.kind.content_type()), (header::CACHE_CONTROL, "public, max-age=86400")],
        img.bytes,
    )
        .into_response())
}

fn rfc3339(ms: i64) -> String {
    jiff::Timestamp::from_millisecond(ms).map(|t| t.to_string()).unwrap_or_default()
}

/// `GET /portal/{t}/feed.atom`: the latest 20 published articles as an Atom feed.
pub async fn feed(
    State(s): State<AppState>,
    peer: Peer,
    headers: HeaderMap,
    Path(t): Path<String>,
) -> Result<Response, AppError> {
    read_allowed(&s, &peer.address())?;
    let org = committee(&s, &t).await?;
    let news = s.store.articles(org.tenant_id, false, 20).await?;
    let base = base_url(&s, &headers);
    let home = format!("{base}/portal/{}", org.id);
    let updated = news.iter().filter_map(|a| a.published_at).max().unwrap_or(0);
    let mut x = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\
         <id>urn:uuid:{}</id><title>{}</title><updated>{}</updated><link href=\"{home}\"/><link rel=\"self\" href=\"{home}/feed.atom\"/>\
         <author><name>{}</name></author>",
        org.id,
        crate::charts::esc(&org.fields.name),
        rfc3339(updated),
        crate::charts::esc(&org.fields.name)
    );
    for a in &news {
        x.push_str(&format!(
            "<entry><id>urn:uuid:{}</id><title>{}</title><updated>{}</updated><published>{}</published>\
             <link href=\"{home}/news/{}\"/><category term=\"{}\"/><summary>{}</summary></entry>",
            a.id,
            crate::charts::esc(&a.title),
            rfc3339(a.updated_at),
            rfc3339(a.published_at.unwrap_or(a.updated_at)),
            a.id,
            crate::charts::esc(&a.column),
            crate::charts::esc(
                a.summary
                    .as_deref()
                    .unwrap_or_else(|| ArticleFields::paragraphs(&a.body).first().copied().unwrap_or(""))
            )
        ));
    }
    x.push_str("</feed>");
    Ok(([(header::CONTENT_TYPE, "application/atom+xml; charset=utf-8")], x).into_response())
}

#[derive(Template)]
#[template(path = "portal_volunteer.html")]
struct VolunteerPage {
    c: Chrome,
    org: OrgRecord,
    teams: Vec<TeamRecord>,
    form: CitizenSignupInput,
    errors: FormErrors,
    done: bool,
}

impl VolunteerPage {
    fn term(&self, code: &str) -> String {
        crate::service::term(&self.c.t, code)
    }
}

/// `GET /portal/{t}/volunteer`.
pub async fn volunteer_form(
    State(s): State<AppState>,
    c: Chrome,
    peer: Peer,
    Path(t): Path<String>,
) -> Result<Response, AppError> {
    read_allowed(&s, &peer.address())?;
    let org = committee(&s, &t).await?;
    let teams = s.store.teams_in(org.tenant_id, &org.path).await?;
    Ok(html(
        VolunteerPage {
            c,
            org,
            teams,
            form: CitizenSignupInput::default(),
            errors: FormErrors::default(),
            done: false,
        }
        .render()?,
    ))
}

/// `POST /portal/{t}/volunteer`.
pub async fn volunteer(
    State(s): State<AppState>,
    c: Chrome,
    peer: Peer,
    Path(t): Path<String>,
    Form(f): Form<CitizenSignupInput>,
) -> Result<Response, AppError> {
    let org = committee(&s, &t).await?;
    let teams = s.store.teams_in(org.tenant_id, &org.path).await?;
    let (status, errors, done) = match actions::citizen_signup(&s, &org, &f, &peer.address()).await {
        Ok(_) => (StatusCode::OK, FormErrors::default(), true),
        Err(AppError::Invalid(v)) => (StatusCode::UNPROCESSABLE_ENTITY, FormErrors::new(&v, &c.t), false),
        Err(AppError::TooManyRequests) => (
            StatusCode::TOO_MANY_REQUESTS,
            FormErrors(vec![(
                "name",
                c.t.l("提交过于频繁，请稍后再试", "too many sign-ups from here; try again later").to_owned(),
            )]),
            false,
        ),
        Err(e) => return Err(e),
    };
    let form = if done { CitizenSignupInput::default() } else { f };
    Ok(html_status(status, VolunteerPage { c, org, teams, form, errors, done }.render()?))
}

#[derive(Template)]
#[template(path = "portal_admin.html")]
struct AdminPage {
    c: Chrome,
    org: OrgRecord,
    settings: PortalSettings,
    all: Vec<(&'static str, &'static str, bool)>,
    articles: Vec<ArticleRecord>,
    errors: FormErrors,
}

async fn admin_page(
    s: &AppState,
    c: Chrome,
    org: OrgRecord,
    errors: FormErrors,
) -> Result<Response, AppError> {
    let settings = s.store.portal_settings(org.tenant_id, s.clock.today().year()).await?;
    let all = Figure::ALL.iter().map(|f| (f.code(), f.zh(), settings.figures.contains(f))).collect();
    let articles = s.store.articles(org.tenant_id, true, 100).await?;
    let status = if errors.any() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    Ok(html_status(status, AdminPage { c, org, settings, all, articles, errors }.render()?))
}

/// `GET /city/portal?org=ID`: what the portal publishes, and its articles.
pub async fn admin(
    State(s): State<AppState>,
    c: Chrome,
    who: Who,
    ApiQuery(q): ApiQuery<OrgQuery>,
) -> Result<Response, AppError> {
    let root = actions::publisher(&s, &who, &q).await?;
    admin_page(&s, c, root, FormErrors::default()).await
}

async fn after(
    s: &AppState,
    c: Chrome,
    root: OrgRecord,
    done: Result<(), AppError>,
) -> Result<Response, AppError> {
    match done {
        Ok(()) => Ok(Redirect::to(&format!("/city/portal?org={}", root.id)).into_response()),
        Err(AppError::Invalid(v)) => {
            let errors = FormErrors::new(&v, &c.t);
            admin_page(s, c, root, errors).await
        }
        Err(e) => Err(e),
    }
}

/// `POST /city/portal/settings?org=ID`.
pub async fn settings(
    State(s): State<AppState>,
    c: Chrome,
    who: Who,
    ApiQuery(q): ApiQuery<OrgQuery>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let root = actions::publisher(&s, &who, &q).await?;
    // The figures' checkboxes repeat their name (`figure`): the body is read as pairs.
    let mut input = PortalSettingsInput::default();
    let mut figures = Vec::new();
    for (k, v) in pairs {
        match k.as_str() {
            "title" => input.title = v,
            "since_year" => input.since_year = v,
            "figure" => figures.push(v),
            _ => {}
        }
    }
    input.figures = figures.join(",");
    let done = actions::set_settings(&s, &who, &root, &input).await.map(|_| ());
    after(&s, c, root, done).await
}

/// `POST /city/portal/articles?org=ID` (multipart: title, column, summary, body, image).
pub async fn draft(
    State(s): State<AppState>,
    c: Chrome,
    who: Who,
    ApiQuery(q): ApiQuery<OrgQuery>,
    form: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<Response, AppError> {
    let root = actions::publisher(&s, &who, &q).await?;
    let mut fields = super::form_fields(form).await?;
    let f = ArticleInput {
        title: super::text_field(&fields, "title"),
        column: super::text_field(&fields, "column"),
        summary: super::text_field(&fields, "summary"),
        body: super::text_field(&fields, "body"),
    };
    let image = fields.remove("image").flatten().unwrap_or_default();
    let done = actions::draft(&s, &who, &root, &f, Some(&image)).await.map(|_| ());
    after(&s, c, root, done).await
}

/// Publish or withdraw.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct ArticlePublish {
    /// True to publish, false to withdraw.
    #[serde(default, deserialize_with = "crate::forms::flag")]
    pub publish: bool,
}

/// `POST /city/portal/articles/{id}/publish`.
pub async fn publish(
    State(s): State<AppState>,
    who: Who,
    Path(id): Path<String>,
    Form(f): Form<ArticlePublish>,
) -> Result<Response, AppError> {
    let a = actions::publish(&s, &who, path_id(&id)?, f.publish).await?;
    Ok(Redirect::to(&format!("/city/portal?org={}", a.tenant_id)).into_response())
}

/// What a team did with a citizen's sign-up.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct OutcomeBody {
    /// `contacted` or `declined`.
    #[serde(default)]
    #[schema(required = true)]
    pub outcome: String,
}

/// `POST /service/citizens/{id}`.
pub async fn handle(
    State(s): State<AppState>,
    who: Who,
    Path(id): Path<String>,
    Form(f): Form<OutcomeBody>,
) -> Result<Response, AppError> {
    let team = actions::handle(&s, &who, path_id(&id)?, &f.outcome).await?;
    Ok(Redirect::to(&format!("/service/teams/{team}")).into_response())
}

/// A committee's portal (no account): its title, the figures it publishes (computed from
/// the statistics now) and its latest published news.
#[utoipa::path(get, path = "/api/v1/portal/{t}", params(("t" = uuid::Uuid, Path, description = "The committee")),
    responses((status = 200, body = Object), (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 429, body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn api_home(
    State(s): State<AppState>,
    peer: Peer,
    Path(t): Path<String>,
) -> Result<Json<serde_json::Value>, AppError> {
    read_allowed(&s, &peer.address())?;
    let org = committee(&s, &t).await?;
    let settings = s.store.portal_settings(org.tenant_id, s.clock.today().year()).await?;
    let figures = actions::figures(&s, &org, &settings).await?;
    let news = s.store.articles(org.tenant_id, false, 20).await?;
    let news: Vec<serde_json::Value> = news
        .iter()
        .map(|a| json!({ "id": a.id, "title": a.title, "column": a.column, "summary": a.summary, "published_at": a.published_at }))
        .collect();
    Ok(Json(
        json!({ "committee": org.id, "title": settings.title.unwrap_or(org.fields.name), "figures": figures, "news": news }),
    ))
}

/// A published article of the committee's portal (no account).
#[utoipa::path(get, path = "/api/v1/portal/{t}/news/{id}",
    params(("t" = uuid::Uuid, Path, description = "The committee"), ("id" = uuid::Uuid, Path, description = "The article")),
    responses((status = 200, body = Object), (status = 404, body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn api_article(
    State(s): State<AppState>,
    peer: Peer,
    Path((t, id)): Path<(String, String)>,
) -> Result<Json<ArticleRecord>, AppError> {
    read_allowed(&s, &peer.address())?;
    let org = committee(&s, &t).await?;
    Ok(Json(published(&s, &org, &id).await?))
}

/// A citizen offers to volunteer with one of the committee's teams (no account; limited
/// per address; the phone is sealed and shown only to the team).
#[utoipa::path(post, path = "/api/v1/portal/{t}/volunteer", params(("t" = uuid::Uuid, Path, description = "The committee")),
    request_body = CitizenSignupInput,
    responses((status = 201, body = Object), (status = 422, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 429, body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn api_volunteer(
    State(s): State<AppState>,
    peer: Peer,
    Path(t): Path<String>,
    crate::api::json::ApiJson(f): crate::api::json::ApiJson<CitizenSignupInput>,
) -> Result<Response, AppError> {
    let org = committee(&s, &t).await?;
    let id = actions::citizen_signup(&s, &org, &f, &peer.address()).await?;
    Ok((StatusCode::CREATED, Json(json!({ "id": id }))).into_response())
}

/// What the committee's portal publishes: its title, the figures (codes `new_members`,
/// `under_30_share`, `college_share`, `applications`, `volunteer_hours`) and since when.
#[utoipa::path(post, path = "/api/v1/portal/settings", params(OrgQuery), request_body = PortalSettingsInput,
    responses((status = 200, body = Object), (status = 422, body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn api_settings(
    State(s): State<AppState>,
    who: Who,
    ApiQuery(q): ApiQuery<OrgQuery>,
    crate::api::json::ApiJson(f): crate::api::json::ApiJson<PortalSettingsInput>,
) -> Result<Json<PortalSettings>, AppError> {
    let root = actions::publisher(&s, &who, &q).await?;
    Ok(Json(actions::set_settings(&s, &who, &root, &f).await?))
}

/// Drafts an article (plain text, paragraphs separated by blank lines; an image is added on
/// the page).
#[utoipa::path(post, path = "/api/v1/portal/articles", params(OrgQuery), request_body = ArticleInput,
    responses((status = 201, body = Object), (status = 422, body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn api_draft(
    State(s): State<AppState>,
    who: Who,
    ApiQuery(q): ApiQuery<OrgQuery>,
    crate::api::json::ApiJson(f): crate::api::json::ApiJson<ArticleInput>,
) -> Result<Response, AppError> {
    let root = actions::publisher(&s, &who, &q).await?;
    let id = actions::draft(&s, &who, &root, &f, None).await?;
    Ok((StatusCode::CREATED, Json(json!({ "id": id }))).into_response())
}

/// Publishes (or withdraws) an article.
#[utoipa::path(post, path = "/api/v1/portal/articles/{id}/publish", params(("id" = uuid::Uuid, Path, description = "The article")),
    request_body = ArticlePublish, responses((status = 200, body = Object)))]
pub async fn api_publish(
    State(s): State<AppState>,
    who: Who,
    Path(id): Path<String>,
    crate::api::json::ApiJson(f): crate::api::json::ApiJson<ArticlePublish>,
) -> Result<Json<ArticleRecord>, AppError> {
    Ok(Json(actions::publish(&s, &who, path_id(&id)?, f.publish).await?))
}

/// A team's queue of citizens who offered to volunteer, unhandled first.
#[utoipa::path(get, path = "/api/v1/service/teams/{id}/citizens", params(("id" = uuid::Uuid, Path, description = "The team")),
    responses((status = 200, body = Object)))]
pub async fn api_queue(
    State(s): State<AppState>,
    who: Who,
    Path(id): Path<String>,
) -> Result<Json<serde_json::Value>, AppError> {
    let (_, q) = actions::queue(&s, &who, path_id(&id)?).await?;
    Ok(Json(json!({ "citizens": q })))
}

/// Records what the team did with a citizen's offer (`contacted` or `declined`).
#[utoipa::path(post, path = "/api/v1/service/citizens/{id}", params(("id" = uuid::Uuid, Path, description = "The sign-up")),
    request_body = OutcomeBody,
    responses((status = 200, body = Object), (status = 422, body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn api_handle(
    State(s): State<AppState>,
    who: Who,
    Path(id): Path<String>,
    crate::api::json::ApiJson(f): crate::api::json::ApiJson<OutcomeBody>,
) -> Result<Json<serde_json::Value>, AppError> {
    let team = actions::handle(&s, &who, path_id(&id)?, &f.outcome).await?;
    Ok(Json(json!({ "team": team, "outcome": f.outcome.trim() })))
}
