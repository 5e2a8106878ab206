//! The phone directory (手机黄页): the public search on the portal (a member of the
//! committee signed in also sees members-only entries), and the owner's page (add, re-verify,
//! stale entries first, import and export as xlsx: a file is checked whole and written all
//! or nothing). Pages and API twins share [`actions`].

use super::{MaybeUser, committee, read_allowed, term};
use crate::AppState;
use crate::api::query::ApiQuery;
use crate::auth::Who;
use crate::auth::handlers::Peer;
use crate::development::dossier_import::{ProblemLine, read_form};
use crate::error::AppError;
use crate::forms::FormErrors;
use crate::pages::{Chrome, html_status};
use crate::scope::{OrgQuery, path_id, scope_org};
use crate::tables::{IMPORT_LIMITS, Oversized, Table, read_table};
use askama::Template;
use axum::Form;
use axum::Json;
use axum::extract::{Multipart, Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use pioneer_domain::FieldError;
use pioneer_domain::accounts::access::Permission;
use pioneer_domain::city::directory::{Category, EntryFields, EntryInput, STALE_AFTER_DAYS, stale};
use pioneer_domain::development::dossier_import::Problem;
use pioneer_store::city::directory::{DirectoryQuery, EntryRecord};
use pioneer_store::orgs::OrgRecord;
use serde::Deserialize;
use serde_json::json;
use uuid::Uuid;

/// The columns of the directory's spreadsheet: (code, Chinese header).
pub const COLUMNS: &[(&str, &str)] = &[
    ("name", "名称"),
    ("category", "类别"),
    ("district", "所在区"),
    ("address", "地址"),
    ("hours", "服务时间"),
    ("phone", "电话"),
    ("audience", "公开范围"),
    ("verified_on", "核实日期"),
];

/// The most entries a search answers (narrow it for more).
pub const LISTED: i64 = 50;

/// The search of a directory.
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchQuery {
    /// Part of the name.
    pub q: Option<String>,
    /// Category code.
    pub category: Option<String>,
    /// District.
    pub district: Option<String>,
}

/// One function per action, for the pages and the API alike.
pub mod actions {
    use super::*;

    /// The directory's entries a visitor may see.
    pub async fn search(
        s: &AppState,
        tenant: Uuid,
        q: &SearchQuery,
        members: bool,
    ) -> Result<Vec<EntryRecord>, AppError> {
        let category = match q.category.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
            Some(c) => Some(
                Category::from_code(c)
                    .ok_or(AppError::field("category", pioneer_domain::Reason::UnknownChoice))?,
            ),
            None => None,
        };
        let dq = DirectoryQuery { q: q.q.clone(), category, district: q.district.clone(), members };
        Ok(s.store.search_entries(tenant, &dq, LISTED).await?)
    }

    /// The organisation whose entries `who` keeps (`ManageService`).
    pub async fn owner(s: &AppState, who: &Who, q: &OrgQuery) -> Result<OrgRecord, AppError> {
        scope_org(s, who, Permission::ManageService, q.org.as_deref()).await?.ok_or(AppError::NotFound)
    }

    /// Adds one entry.
    pub async fn add(s: &AppState, who: &Who, org: &OrgRecord, f: &EntryInput) -> Result<Uuid, AppError> {
        let fields = EntryFields::parse(f, s.clock.today())?;
        Ok(s.store.create_entry(org.id, &fields, &who.act).await?)
    }

    /// Re-verifies an entry today.
    pub async fn verify(s: &AppState, who: &Who, id: Uuid) -> Result<EntryRecord, AppError> {
        let e = s.store.entry(id).await?;
        s.allow(who, Permission::ManageService, &e.org_path).await?;
        s.store.verify_entry(id, s.clock.today(), &who.act).await?;
        Ok(s.store.entry(id).await?)
    }

    /// Checks a whole table; every problem by line and column, or the entries to write.
    pub fn check_table(t: &Table, today: jiff::civil::Date) -> Result<Vec<EntryFields>, Vec<Problem>> {
        let mut index = Vec::new();
        let mut problems = Vec::new();
        for (code, zh) in COLUMNS {
            index.push(t.header.iter().position(|h| h.trim() == *code || h.trim() == *zh));
        }
        for (i, required) in [(0, "名称"), (1, "类别"), (2, "所在区"), (5, "电话")] {
            if index[i].is_none() {
                problems.push(Problem {
                    line: 1,
                    column: required.to_owned(),
                    reason: pioneer_domain::Reason::Required,
                });
            }
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        let cell =
            |row: &Vec<String>, i: usize| index[i].and_then(|c| row.get(c)).cloned().unwrap_or_default();
        let mut out = Vec::new();
        for (n, row) in t.rows.iter().enumerate() {
            let input = EntryInput {
                name: cell(row, 0),
                category: cell(row, 1),
                district: cell(row, 2),
                address: cell(row, 3),
                hours: cell(row, 4),
                phone: cell(row, 5),
                audience: cell(row, 6),
                verified_on: cell(row, 7),
            };
            match EntryFields::parse(&input, today) {
                Ok(f) => out.push(f),
                Err(v) => problems.extend(v.0.into_iter().map(|FieldError { field, reason }| Problem {
                    line: n + 2,
                    column: COLUMNS.iter().find(|(c, _)| *c == field).map_or(field, |(_, zh)| *zh).to_owned(),
                    reason,
                })),
            }
        }
        if out.is_empty() && problems.is_empty() {
            problems.push(Problem {
                line: 2,
                column: "名称".into(),
                reason: pioneer_domain::Reason::Required,
            });
        }
        if problems.is_empty() { Ok(out) } else { Err(problems) }
    }

    /// The owner's entries as an xlsx in the import's layout.
    pub async fn export(s: &AppState, org: &OrgRecord) -> Result<Vec<u8>, AppError> {
        let entries = s.store.entries_in(org.tenant_id, &org.path, 1_000_000).await?;
        let header: Vec<String> = COLUMNS.iter().map(|(_, zh)| (*zh).to_owned()).collect();
        let rows: Vec<Vec<String>> = entries
            .into_iter()
            .map(|e| {
                vec![
                    e.name,
                    Category::from_code(&e.category).map_or(e.category.clone(), |c| c.zh().to_owned()),
                    e.district,
                    e.address.unwrap_or_default(),
                    e.hours.unwrap_or_default(),
                    e.phone,
                    if e.audience == "members" { "仅党员" } else { "公开" }.to_owned(),
                    e.verified_on,
                ]
            })
            .collect();
        crate::sheets::table_xlsx("手机黄页", &header, &rows).map_err(|_| AppError::Internal)
    }
}

#[derive(Template)]
#[template(path = "city_directory.html")]
struct PublicPage {
    c: Chrome,
    org: OrgRecord,
    q: SearchQuery,
    entries: Vec<EntryRecord>,
    districts: Vec<String>,
    categories: Vec<(&'static str, &'static str)>,
    members: bool,
    error: Option<String>,
}

impl PublicPage {
    fn term(&self, code: &str) -> String {
        term(&self.c.t, code)
    }
    fn chosen(&self, which: &str, value: &str) -> bool {
        match which {
            "category" => self.q.category.as_deref() == Some(value),
            _ => self.q.district.as_deref() == Some(value),
        }
    }
}

/// `GET /portal/{t}/directory?q=&category=&district=`.
pub async fn public(
    State(s): State<AppState>,
    c: Chrome,
    peer: Peer,
    me: MaybeUser,
    Path(t): Path<String>,
    ApiQuery(q): ApiQuery<SearchQuery>,
) -> Result<Response, AppError> {
    read_allowed(&s, &peer.address())?;
    let org = committee(&s, &t).await?;
    let members = me.inside(org.tenant_id);
    let (entries, error) = match actions::search(&s, org.tenant_id, &q, members).await {
        Ok(e) => (e, None),
        Err(AppError::Invalid(v)) => {
            (Vec::new(), Some(FormErrors::new(&v, &c.t).0.into_iter().map(|(_, m)| m).collect()))
        }
        Err(e) => return Err(e),
    };
    let districts = s.store.entry_districts(org.tenant_id).await?;
    let categories = Category::ALL.iter().map(|c| (c.code(), c.zh())).collect();
    let status = if error.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    Ok(html_status(
        status,
        PublicPage { c, org, q, entries, districts, categories, members, error }.render()?,
    ))
}

#[derive(Template)]
#[template(path = "city_directory_admin.html")]
struct AdminPage {
    c: Chrome,
    org: OrgRecord,
    entries: Vec<(EntryRecord, bool)>,
    stale_count: usize,
    errors: FormErrors,
    problems: Vec<ProblemLine>,
    problem_total: usize,
    file_error: Option<String>,
    imported: Option<usize>,
}

impl AdminPage {
    fn term(&self, code: &str) -> String {
        term(&self.c.t, code)
    }
}

async fn admin_page(
    s: &AppState,
    c: Chrome,
    org: OrgRecord,
    errors: FormErrors,
) -> Result<AdminPage, AppError> {
    let today = s.clock.today();
    let entries: Vec<(EntryRecord, bool)> = s
        .store
        .entries_in(org.tenant_id, &org.path, 500)
        .await?
        .into_iter()
        .map(|e| {
            let old = e.verified_on.parse().is_ok_and(|d| stale(d, today, STALE_AFTER_DAYS));
            (e, old)
        })
        .collect();
    let stale_count = entries.iter().filter(|(_, s)| *s).count();
    Ok(AdminPage {
        c,
        org,
        entries,
        stale_count,
        errors,
        problems: Vec::new(),
        problem_total: 0,
        file_error: None,
        imported: None,
    })
}

fn render(page: AdminPage) -> Result<Response, AppError> {
    let status = if page.errors.any() || page.problem_total > 0 {
        StatusCode::UNPROCESSABLE_ENTITY
    } else if page.file_error.is_some() {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    Ok(html_status(status, page.render()?))
}

/// `GET /city/directory?org=ID`: the owner's entries, stale ones first.
pub async fn admin(
    State(s): State<AppState>,
    c: Chrome,
    who: Who,
    ApiQuery(q): ApiQuery<OrgQuery>,
) -> Result<Response, AppError> {
    let org = actions::owner(&s, &who, &q).await?;
    render(admin_page(&s, c, org, FormErrors::default()).await?)
}

/// `POST /city/directory?org=ID`: adds one entry.
pub async fn add(
    State(s): State<AppState>,
    c: Chrome,
    who: Who,
    ApiQuery(q): ApiQuery<OrgQuery>,
    Form(f): Form<EntryInput>,
) -> Result<Response, AppError> {
    let org = actions::owner(&s, &who, &q).await?;
    match actions::add(&s, &who, &org, &f).await {
        Ok(_) => Ok(Redirect::to(&format!("/city/directory?org={}", org.id)).into_response()),
        Err(AppError::Invalid(v)) => {
            let errors = FormErrors::new(&v, &c.t);
            render(admin_page(&s, c, org, errors).await?)
        }
        Err(e) => Err(e),
    }
}

/// `POST /city/directory/{id}/verify`.
pub async fn verify(
    State(s): State<AppState>,
    who: Who,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let e = actions::verify(&s, &who, path_id(&id)?).await?;
    Ok(Redirect::to(&format!("/city/directory?org={}", e.org_id)).into_response())
}

/// `POST /city/directory/import?org=ID` (multipart `file`): checked whole, all or nothing.
pub async fn import(
    State(s): State<AppState>,
    c: Chrome,
    who: Who,
    ApiQuery(q): ApiQuery<OrgQuery>,
    oversized: Option<axum::Extension<Oversized>>,
    form: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<Response, AppError> {
    let org = actions::owner(&s, &who, &q).await?;
    let (file, _) = read_form(form, oversized).await?;
    let turn = s.imports.turn().await?;
    let table =
        crate::imports::off_workers(move || file.and_then(|f| read_table(&f, &IMPORT_LIMITS))).await?;
    drop(turn);
    let mut page = admin_page(&s, c, org.clone(), FormErrors::default()).await?;
    let table = match table {
        Ok(t) => t,
        Err(e) => {
            page.file_error =
                Some(if page.c.t.is_en() { e.en(&IMPORT_LIMITS) } else { e.zh(&IMPORT_LIMITS) });
            return render(page);
        }
    };
    match actions::check_table(&table, s.clock.today()) {
        Err(problems) => {
            page.problem_total = problems.len();
            page.problems = problems
                .into_iter()
                .take(crate::imports::LISTED)
                .map(|p| ProblemLine::of(p, &page.c.t))
                .collect();
            render(page)
        }
        Ok(rows) => {
            s.store.import_entries(org.id, &rows, &who.act).await?;
            let mut page = admin_page(&s, page.c, org, FormErrors::default()).await?;
            page.imported = Some(rows.len());
            render(page)
        }
    }
}

/// `GET /city/directory/export?org=ID`: the owner's entries as xlsx.
pub async fn export(
    State(s): State<AppState>,
    who: Who,
    ApiQuery(q): ApiQuery<OrgQuery>,
) -> Result<Response, AppError> {
    let org = actions::owner(&s, &who, &q).await?;
    let bytes = actions::export(&s, &org).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
            (header::CONTENT_DISPOSITION, "attachment; filename=\"directory.xlsx\""),
        ],
        bytes,
    )
        .into_response())
}

/// Searches a committee's phone directory by name, category and district (no account:
/// public entries; a member of the committee signed in: members-only entries too).
#[utoipa::path(get, path = "/api/v1/portal/{t}/directory", params(("t" = uuid::Uuid, Path, description = "The committee"), SearchQuery),
    responses((status = 200, body = Object), (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 429, body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn api_search(
    State(s): State<AppState>,
    peer: Peer,
    me: MaybeUser,
    Path(t): Path<String>,
    ApiQuery(q): ApiQuery<SearchQuery>,
) -> Result<Json<serde_json::Value>, AppError> {
    read_allowed(&s, &peer.address())?;
    let org = committee(&s, &t).await?;
    let entries = actions::search(&s, org.tenant_id, &q, me.inside(org.tenant_id)).await?;
    Ok(Json(json!({ "entries": entries })))
}

/// The entries an organisation keeps, least recently verified first, each flagged `stale`
/// when not verified in 180 days.
#[utoipa::path(get, path = "/api/v1/directory", params(OrgQuery), responses((status = 200, body = Object)))]
pub async fn api_list(
    State(s): State<AppState>,
    who: Who,
    ApiQuery(q): ApiQuery<OrgQuery>,
) -> Result<Json<serde_json::Value>, AppError> {
    let org = actions::owner(&s, &who, &q).await?;
    let today = s.clock.today();
    let entries: Vec<serde_json::Value> = s
        .store
        .entries_in(org.tenant_id, &org.path, 10_000)
        .await?
        .into_iter()
        .map(|e| {
            let old = e.verified_on.parse().is_ok_and(|d| stale(d, today, STALE_AFTER_DAYS));
            json!({ "entry": e, "stale": old })
        })
        .collect();
    Ok(Json(json!({ "stale_after_days": STALE_AFTER_DAYS, "entries": entries })))
}

/// Adds a directory entry (a phone is required and must be a real number format).
#[utoipa::path(post, path = "/api/v1/directory", params(OrgQuery), request_body = EntryInput,
    responses((status = 201, body = Object), (status = 422, body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn api_add(
    State(s): State<AppState>,
    who: Who,
    ApiQuery(q): ApiQuery<OrgQuery>,
    crate::api::json::ApiJson(f): crate::api::json::ApiJson<EntryInput>,
) -> Result<Response, AppError> {
    let org = actions::owner(&s, &who, &q).await?;
    let id = actions::add(&s, &who, &org, &f).await?;
    Ok((StatusCode::CREATED, Json(json!({ "id": id }))).into_response())
}

/// Records that the entry was checked today.
#[utoipa::path(post, path = "/api/v1/directory/{id}/verify", params(("id" = uuid::Uuid, Path, description = "The entry")),
    responses((status = 200, body = Object)))]
pub async fn api_verify(
    State(s): State<AppState>,
    who: Who,
    Path(id): Path<String>,
) -> Result<Json<EntryRecord>, AppError> {
    Ok(Json(actions::verify(&s, &who, path_id(&id)?).await?))
}

/// Imports entries from an xlsx or CSV (the body is the file; columns 名称, 类别, 所在区,
/// 地址, 服务时间, 电话, 公开范围, 核实日期, as the export writes them): checked whole; 422
/// lists every problem by line and column and nothing is written.
#[utoipa::path(post, path = "/api/v1/directory/import", params(OrgQuery),
    request_body(content = Vec<u8>, content_type = "application/octet-stream"),
    responses((status = 201, body = Object),
        (status = 413, body = crate::api::views::ImportRefusal, content_type = "application/problem+json"),
        (status = 422, body = crate::api::views::ImportRefusal, content_type = "application/problem+json")))]
pub async fn api_import(
    State(s): State<AppState>,
    who: Who,
    ApiQuery(q): ApiQuery<OrgQuery>,
    body: Result<axum::body::Bytes, axum::extract::rejection::BytesRejection>,
) -> Result<Response, AppError> {
    let org = actions::owner(&s, &who, &q).await?;
    let table = match crate::tables::body_table(body)? {
        Ok(t) => t,
        Err(r) => return Ok(r),
    };
    match actions::check_table(&table, s.clock.today()) {
        Err(problems) => Ok(crate::tables::problems_response(&problems)),
        Ok(rows) => {
            let ids = s.store.import_entries(org.id, &rows, &who.act).await?;
            Ok((StatusCode::CREATED, Json(json!({ "imported": ids.len() }))).into_response())
        }
    }
}
