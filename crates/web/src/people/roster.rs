//! The roster (花名册) in and out: the template and the export (xlsx or CSV, the columns of
//! `domain::roster`; the export carries full ID numbers, so it needs the permission to see
//! them and is journaled), and the import — the whole file checked first, every problem by
//! line, column and reason; a dry run shows who would be added or changed; applying is all
//! or nothing, and importing the same file again changes nothing (people are matched by ID
//! number).

use crate::AppState;
use crate::api::query::ApiQuery;
use crate::auth::Who;
use crate::development::dossier_import::ProblemLine;
use crate::error::AppError;
use crate::imports::{LISTED as LISTED_PROBLEMS, off_workers};
use crate::pages::{Chrome, html, html_status};
use crate::scope::{OrgQuery, scope_org};
use crate::tables::{IMPORT_LIMITS, read_table};
use askama::Template;
use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use axum::response::Response;
use pioneer_domain::accounts::access::Permission;
use pioneer_domain::development::dossier_import::Problem;
use pioneer_domain::people::roster::{self, OrgNames};
use pioneer_domain::{FieldError, Reason};
use pioneer_store::orgs::OrgRecord;
use pioneer_store::people::PersonRecord;
use pioneer_store::people::roster::RosterPlan;
use serde::Deserialize;
use std::collections::HashMap;

/// `?org=ID&format=csv|xlsx`.
#[derive(Debug, Deserialize)]
pub struct ExportQuery {
    org: Option<String>,
    #[serde(default)]
    format: String,
}

/// `GET /people/roster/template[?format=csv]`: the empty roster with one example row.
pub async fn template(ApiQuery(q): ApiQuery<ExportQuery>) -> Result<Response, AppError> {
    crate::pages::table_download(
        &q.format,
        "花名册",
        ["roster-template.csv", "roster-template.xlsx"],
        &roster::header(),
        &[roster::example_row()],
    )
}

/// The most people an xlsx roster download holds (the whole sheet is built in memory,
/// about 6 KB a person); a larger subtree is downloaded as CSV, which is streamed.
pub const XLSX_MOST: u64 = 50_000;

/// `GET /people/roster?org=ID[&format=csv]` (and its API twin, the same function): everyone
/// of the subtree, full numbers, journaled. The CSV is sent page by page as it is read; the
/// xlsx is refused above `XLSX_MOST` people.
#[utoipa::path(get, path = "/api/v1/people/roster",
    params(("org" = Option<String>, Query, description = "The organisation (default: the account's first scope)"),
        ("format" = Option<String>, Query, description = "csv (streamed) or xlsx (default)")),
    responses((status = 200, description = "The roster as CSV or xlsx", content_type = "text/csv"),
        (status = 401, body = crate::error::Problem, content_type = "application/problem+json"), (status = 403, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn export(
    State(s): State<AppState>,
    who: Who,
    ApiQuery(q): ApiQuery<ExportQuery>,
) -> Result<Response, AppError> {
    let org = scope_org(&s, &who, Permission::Unmask, q.org.as_deref()).await?.ok_or(AppError::NotFound)?;
    if q.format == "csv" {
        let names = s.store.org_names(org.tenant_id).await?;
        return Ok(stream_csv(s.store.clone(), org.path, names, who.act));
    }
    let Some(people) = s.store.roster(&org.path, XLSX_MOST, &who.act).await? else {
        let refused = Reason::Refused {
            zh: "人数超过 50,000，Excel 花名册过大；请导出 CSV（format=csv）",
            en: "More than 50,000 people: too large for an Excel roster; download the CSV (format=csv)",
        };
        return Err(AppError::Invalid(FieldError::new("format", refused).into()));
    };
    let names = s.store.org_names(org.tenant_id).await?;
    let rows: Vec<Vec<String>> =
        people.iter().map(|p| roster::row(&p.fields, &names.label(p.fields.org_id))).collect();
    crate::pages::table_download(&q.format, "花名册", ["roster.csv", "roster.xlsx"], &roster::header(), &rows)
}

/// The roster as a CSV response written while the subtree is read, a page at a time; a
/// failure midway breaks the download rather than ending it short.
fn stream_csv(
    store: pioneer_store::Store,
    path: String,
    names: OrgNames,
    act: pioneer_store::Act,
) -> Response {
    let (send, receive) = tokio::sync::mpsc::channel::<std::io::Result<Vec<u8>>>(2);
    let (pages, mut paged) = tokio::sync::mpsc::channel(1);
    let finished = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let done = finished.clone();
    tokio::spawn(async move {
        let reading = store.roster_to(&path, &act, pages);
        // Owns the pages' receiving end: when the client goes, it is dropped and the
        // reading stops.
        let out = send.clone();
        let writing = async move {
            if out.send(crate::sheets::table_csv(&roster::header(), &[])).await.is_err() {
                return;
            }
            while let Some(page) = paged.recv().await {
                let rows: Vec<_> = page
                    .iter()
                    .map(|p: &PersonRecord| roster::cells(&p.fields, names.label_of(p.fields.org_id)))
                    .collect();
                if out.send(crate::sheets::csv_rows(&rows)).await.is_err() {
                    return;
                }
            }
        };
        let (read, ()) = tokio::join!(reading, writing);
        match read {
            Ok(_) => done.store(true, std::sync::atomic::Ordering::Release),
            Err(e) => {
                let _ = send.send(Err(std::io::Error::other(e.to_string()))).await;
            }
        }
    });
    let body = axum::body::Body::from_stream(Received { pieces: receive, finished, ended: false });
    let mut res = crate::pages::download("text/csv; charset=utf-8", "roster.csv", Vec::new());
    *res.body_mut() = body;
    res
}

/// The pieces of a streamed download, as they come. If the writing ends before it said it
/// finished (a panic, a shutdown), the stream ends in an error, so the download breaks
/// instead of looking complete.
struct Received {
    pieces: tokio::sync::mpsc::Receiver<std::io::Result<Vec<u8>>>,
    finished: std::sync::Arc<std::sync::atomic::AtomicBool>,
    ended: bool,
}

impl futures_core::Stream for Received {
    type Item = std::io::Result<Vec<u8>>;

    fn poll_next(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Self::Item>> {
        use std::task::Poll;
        if self.ended {
            return Poll::Ready(None);
        }
        match self.pieces.poll_recv(cx) {
            Poll::Ready(None) if !self.finished.load(std::sync::atomic::Ordering::Acquire) => {
                self.ended = true;
                Poll::Ready(Some(Err(std::io::Error::other("the roster stopped before its end"))))
            }
            other => other,
        }
    }
}

#[derive(Template)]
#[template(path = "roster_import.html")]
struct ImportPage {
    c: Chrome,
    org: OrgRecord,
    problems: Vec<ProblemLine>,
    /// All the problems found (the first `imports::LISTED` are listed).
    problem_total: usize,
    /// Imports ahead of this one in the queue when it was sent.
    ahead: usize,
    file_error: Option<String>,
    counts: Option<(usize, usize, u64)>,
    applied: bool,
    /// Who would be added (no changes listed) or changed (the fields), the first
    /// [`LISTED`] of them.
    changes: Vec<(String, String, Vec<&'static str>)>,
}

/// People a dry run lists by name (the counts cover the rest).
const LISTED: usize = 200;

/// `GET /people/import?org=ID`.
pub async fn form(
    State(s): State<AppState>,
    c: Chrome,
    who: Who,
    ApiQuery(q): ApiQuery<OrgQuery>,
) -> Result<Response, AppError> {
    let org =
        scope_org(&s, &who, Permission::WritePeople, q.org.as_deref()).await?.ok_or(AppError::NotFound)?;
    Ok(html(
        ImportPage {
            c,
            org,
            problems: vec![],
            problem_total: 0,
            ahead: 0,
            file_error: None,
            counts: None,
            applied: false,
            changes: vec![],
        }
        .render()?,
    ))
}

/// `POST /people/import?org=ID` (multipart: `file`, and `apply` to import; without it a
/// dry run). Rows may name organisations within the account's scope only.
pub async fn upload(
    State(s): State<AppState>,
    c: Chrome,
    who: Who,
    ApiQuery(q): ApiQuery<OrgQuery>,
    oversized: Option<axum::Extension<crate::tables::Oversized>>,
    form: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<Response, AppError> {
    let org =
        scope_org(&s, &who, Permission::WritePeople, q.org.as_deref()).await?.ok_or(AppError::NotFound)?;
    let (file, apply) = crate::development::dossier_import::read_form(form, oversized).await?;
    let turn = s.imports.turn().await?;
    let mut page = ImportPage {
        c,
        org: org.clone(),
        problems: vec![],
        problem_total: 0,
        ahead: turn.ahead,
        file_error: None,
        counts: None,
        applied: false,
        changes: vec![],
    };
    let table = match off_workers(move || file.and_then(|f| read_table(&f, &IMPORT_LIMITS))).await? {
        Ok(t) => t,
        Err(e) => {
            page.file_error =
                Some(if page.c.t.is_en() { e.en(&IMPORT_LIMITS) } else { e.zh(&IMPORT_LIMITS) });
            return Ok(html_status(e.status(), page.render()?));
        }
    };
    let out = run_roster_import(&s, &who, &org, table, apply).await?;
    let t = &page.c.t;
    if !out.problems.is_empty() {
        page.problem_total = out.problems.len();
        page.problems =
            out.problems.into_iter().take(LISTED_PROBLEMS).map(|p| ProblemLine::of(p, t)).collect();
        return Ok(html_status(StatusCode::UNPROCESSABLE_ENTITY, page.render()?));
    }
    page.counts = Some(out.counts);
    page.changes = out
        .changes
        .into_iter()
        .map(|(name, id, fields)| (name, id, fields.into_iter().map(|f| t.field(f)).collect()))
        .collect();
    page.applied = out.applied;
    Ok(html(page.render()?))
}

/// What a roster upload came to: the problems that refuse it, or the counts (new, changed,
/// unchanged), who would be added (no fields) or changed (the fields' codes), the first
/// [`LISTED`]; written when `applied`.
pub struct RosterOutcome {
    problems: Vec<Problem>,
    counts: (usize, usize, u64),
    changes: Vec<(String, String, Vec<&'static str>)>,
    applied: bool,
}

/// Checks a roster table whole and, when `apply` and nothing is refused, writes what changes
/// (all or nothing). The page and the API both call this.
pub async fn run_roster_import(
    s: &AppState,
    who: &Who,
    org: &OrgRecord,
    table: crate::tables::Table,
    apply: bool,
) -> Result<RosterOutcome, AppError> {
    let all = s.store.orgs(None).await?;
    let names = writable_names(s, who, org, &all).await?;
    let today = s.clock.today();
    let (people, mut problems) =
        off_workers(move || roster::read(&table.header, &table.rows, &names, today)).await?;
    let line_of: HashMap<String, usize> =
        people.iter().map(|(l, p)| (p.id_card.as_str().to_owned(), *l)).collect();
    let plan = s.store.plan_roster(org.tenant_id, people.into_iter().map(|(_, p)| p).collect()).await?;
    problems.extend(outside_scope(who, &plan, &all, &line_of));
    let mut out = RosterOutcome { problems, counts: (0, 0, 0), changes: Vec::new(), applied: false };
    if !out.problems.is_empty() {
        out.problems.sort_by_key(|p| p.line);
        return Ok(out);
    }
    out.counts = (plan.create.len(), plan.update.len(), plan.unchanged);
    out.changes = plan
        .create
        .iter()
        .map(|p| (p.name.clone(), p.id_card.masked(), Vec::new()))
        .chain(plan.update.iter().map(|(_, before, after)| {
            (after.name.clone(), after.id_card.masked(), before.changed_fields(after))
        }))
        .take(LISTED)
        .collect();
    if apply {
        // Only what changes is written; the store matches the rows again inside its transaction.
        let rows: Vec<_> =
            plan.create.into_iter().chain(plan.update.into_iter().map(|(_, _, after)| after)).collect();
        let n = rows.len() as u64;
        s.store
            .import_roster_chunks(org.tenant_id, std::iter::once(Ok(rows)), n, true, &who.act, |_| {})
            .await?;
        out.applied = true;
    }
    Ok(out)
}

/// Imports a roster (the body is the file, CSV or xlsx, as the template): checked whole; 422
/// lists every problem by line, column and reason (nothing written); otherwise the counts and
/// who would be added or changed (which fields), written when `apply=true`. The page
/// `/people/import` does the same.
#[utoipa::path(post, path = "/api/v1/people/import", params(crate::tables::ImportParams),
    request_body(content = String, content_type = "text/csv"),
    responses((status = 200, body = crate::api::views::RosterImportView),
        (status = 413, body = crate::api::views::ImportRefusal, content_type = "application/problem+json"),
        (status = 422, body = crate::api::views::ImportRefusal, content_type = "application/problem+json")))]
pub async fn api_upload(
    State(s): State<AppState>,
    who: Who,
    ApiQuery(q): ApiQuery<crate::tables::ImportParams>,
    body: Result<axum::body::Bytes, axum::extract::rejection::BytesRejection>,
) -> Result<Response, AppError> {
    use axum::response::IntoResponse;
    use serde_json::json;
    let org =
        scope_org(&s, &who, Permission::WritePeople, q.org.as_deref()).await?.ok_or(AppError::NotFound)?;
    let _turn = s.imports.turn().await?;
    let table = match off_workers(move || crate::tables::body_table(body)).await?? {
        Ok(t) => t,
        Err(refusal) => return Ok(refusal),
    };
    let out = run_roster_import(&s, &who, &org, table, q.apply).await?;
    if !out.problems.is_empty() {
        return Ok(crate::tables::problems_response(&out.problems));
    }
    let changes: Vec<serde_json::Value> = out
        .changes
        .iter()
        .map(|(name, id, fields)| json!({"name": name, "id_card": id, "new": fields.is_empty(), "changed": fields}))
        .collect();
    let (new, changed, unchanged) = out.counts;
    Ok(axum::Json(json!({"applied": out.applied, "new": new, "changed": changed, "unchanged": unchanged,
        "people": changes}))
    .into_response())
}

/// The organisations of the deployment that this account may write to: the only ones a
/// roster row may name (by name, qualified name or id).
async fn writable_names(
    s: &AppState,
    who: &Who,
    org: &OrgRecord,
    all: &[OrgRecord],
) -> Result<OrgNames, AppError> {
    let mut names = s.store.org_names(org.tenant_id).await?;
    names.only(|id| {
        all.iter().any(|o| o.id == id && AppState::in_scope(who, Permission::WritePeople, &o.path))
    });
    Ok(names)
}

/// Changing someone outside the account's scope is refused like an unknown person.
fn outside_scope(
    who: &Who,
    plan: &RosterPlan,
    all: &[OrgRecord],
    line_of: &HashMap<String, usize>,
) -> Vec<Problem> {
    plan.update
        .iter()
        .filter(|(_, before, _)| {
            let path = all.iter().find(|o| o.id == before.org_id).map_or("", |o| o.path.as_str());
            !AppState::in_scope(who, Permission::WritePeople, path)
        })
        .map(|(_, _, after)| Problem {
            line: line_of.get(after.id_card.as_str()).copied().unwrap_or(0),
            column: "身份证号 id_card".into(),
            reason: Reason::UnknownPerson,
        })
        .collect()
}
