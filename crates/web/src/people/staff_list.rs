//! The employer's staff list on pages and the API: an enterprise committee imports its HR
//! export (xlsx or CSV, UTF-8 or GBK, in the template's columns) checked whole, as a dry run
//! first; pioneer matches staff to people by ID number and lists the differences as to-dos,
//! each decided by a person (make a member mobile, move them to another branch, mark done
//! with what was done, or dismiss); nothing changes otherwise. The list is kept as long as
//! the committee's setting says. Pages and API twins share [`actions`].

use crate::AppState;
use crate::api::json::ApiJson;
use crate::api::query::ApiQuery;
use crate::auth::Who;
use crate::development::dossier_import::{ProblemLine, read_form};
use crate::error::AppError;
use crate::forms::FormErrors;
use crate::pages::{Chrome, html_status};
use crate::scope::{OrgQuery, path_id, scope_org};
use crate::tables::{IMPORT_LIMITS, Oversized, read_table};
use askama::Template;
use axum::extract::{Multipart, Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Form, Json};
use jiff::ToSpan;
use pioneer_domain::Reason;
use pioneer_domain::accounts::access::Permission;
use pioneer_domain::people::staff_list::{COLUMNS, Difference, StaffRow, read};
use pioneer_store::orgs::OrgRecord;
use pioneer_store::people::staff_list::{StaffListRecord, StaffOutcome, TodoRecord};
use serde::Deserialize;
use serde_json::json;
use sha2::{Digest, Sha256};
use uuid::Uuid;

/// A decision on a to-do.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct DecisionInput {
    /// `mark_mobile` (a member who left), `move_branch` (with `org_id`), `done` (with a
    /// note of what was done: a transfer started, a contact assigned) or `dismissed`.
    #[schema(required = true)]
    pub action: String,
    /// The branch to move to (`move_branch`).
    pub org_id: String,
    /// What was done or why it is dismissed.
    pub note: String,
}

/// The retention setting.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct KeepInput {
    /// Days the staff list is kept after its import (30–1825).
    #[schema(required = true)]
    pub keep_days: String,
}

/// One function per action, for the pages and the API alike.
pub mod actions {
    use super::*;

    /// The committee a staff list belongs to (read: `ReadPeople`).
    pub async fn committee(s: &AppState, who: &Who, org: Option<&str>) -> Result<OrgRecord, AppError> {
        let org = scope_org(s, who, Permission::ReadPeople, org).await?.ok_or(AppError::NotFound)?;
        s.store.purge_staff_lists(org.tenant_id, s.clock.today()).await?;
        Ok(org)
    }

    /// The file's rows, or every problem.
    pub fn check(
        header: &[String],
        rows: &[Vec<String>],
    ) -> Result<Vec<StaffRow>, Vec<pioneer_domain::development::dossier_import::Problem>> {
        read(header, rows)
    }

    /// Reconciles a checked file; writes it (and its to-dos) only with `apply`.
    pub async fn import(
        s: &AppState,
        who: &Who,
        org: &OrgRecord,
        rows: &[StaffRow],
        bytes_sha: &str,
        apply: bool,
    ) -> Result<StaffOutcome, AppError> {
        s.allow(who, Permission::WritePeople, &org.path).await?;
        let today = s.clock.today();
        let keep = s.store.staff_keep_days(org).await?;
        let until = today.checked_add(keep.days()).unwrap_or(today);
        let how = pioneer_store::people::staff_list::StaffImport {
            sha: bytes_sha,
            keep_until: until,
            apply,
            today,
        };
        Ok(s.store.import_staff_list(org, rows, &how, &who.act).await?)
    }

    /// Sets the retention.
    pub async fn keep(s: &AppState, who: &Who, org: &OrgRecord, f: &KeepInput) -> Result<(), AppError> {
        s.allow(who, Permission::WritePeople, &org.path).await?;
        let days: i64 = match f.keep_days.trim().parse() {
            Ok(d) if (30..=1825).contains(&d) => d,
            _ => return Err(AppError::field("keep_days", Reason::NumberOutOfRange { min: 30, max: 1825 })),
        };
        let from = match s.store.staff_list(org).await? {
            Some(l) => jiff::Timestamp::from_millisecond(l.imported_at)
                .map(|t| t.to_zoned(crate::clock::china()).date())
                .unwrap_or(s.clock.today()),
            None => s.clock.today(),
        };
        let until = from.checked_add(days.days()).unwrap_or(from);
        Ok(s.store.set_staff_keep_days(org, days, until, &who.act).await?)
    }

    /// Decides a to-do: the person's change (when the action makes one) and the to-do's
    /// closing, each refused by field when it does not fit.
    pub async fn decide(s: &AppState, who: &Who, id: Uuid, f: &DecisionInput) -> Result<OrgRecord, AppError> {
        let (_, path, t) = s.store.staff_todo(id).await?;
        s.allow(who, Permission::WritePeople, &path).await?;
        let org = s.store.org(t.org_id).await?;
        let note =
            pioneer_domain::text::optional("note", &f.note, 200).map_err(|e| AppError::Invalid(e.into()))?;
        let person = || {
            t.person_id.ok_or_else(|| {
                AppError::field(
                    "action",
                    Reason::Refused {
                        zh: "该事项没有对应的在册人员",
                        en: "no person on the register for this to-do",
                    },
                )
            })
        };
        let (status, decision) = match f.action.trim() {
            "mark_mobile" => {
                if Difference::from_code(&t.kind) != Some(Difference::MemberLeft)
                    && Difference::from_code(&t.kind) != Some(Difference::MemberNotListed)
                {
                    return Err(AppError::field("action", Reason::UnknownChoice));
                }
                let p = s.store.person(person()?).await?;
                let mut fields = p.fields.clone();
                fields.is_mobile = true;
                fields.home_organization = Some(org.fields.name.clone());
                s.store.update_person(p.id, &fields, &who.act).await?;
                ("done", "mark_mobile".to_owned())
            }
            "move_branch" => {
                let p = s.store.person(person()?).await?;
                let target = Uuid::try_parse(f.org_id.trim())
                    .map_err(|_| AppError::field("org_id", Reason::UnknownOrganization))?;
                let to = s
                    .store
                    .org(target)
                    .await
                    .map_err(|_| AppError::field("org_id", Reason::UnknownOrganization))?;
                if !to.path.starts_with(&org.path) || to.closed_on.is_some() {
                    return Err(AppError::field("org_id", Reason::UnknownOrganization));
                }
                s.allow(who, Permission::WritePeople, &to.path).await?;
                let mut fields = p.fields.clone();
                fields.org_id = target;
                s.store.update_person(p.id, &fields, &who.act).await?;
                ("done", format!("move_branch:{}", to.fields.name))
            }
            "done" => {
                let Some(n) = note else { return Err(AppError::field("note", Reason::Required)) };
                ("done", n)
            }
            "dismissed" => ("dismissed", note.unwrap_or_default()),
            _ => return Err(AppError::field("action", Reason::UnknownChoice)),
        };
        s.store.decide_staff_todo(id, status, &decision, &who.act).await?;
        Ok(org)
    }

    /// The import template as xlsx, with an example row.
    pub fn template() -> Result<Vec<u8>, AppError> {
        let header: Vec<String> = COLUMNS.iter().map(|(_, zh, _)| (*zh).to_owned()).collect();
        let example: Vec<String> = [
            "T00001",
            "张伟",
            "11010519491231002X",
            "微信事业群",
            "后台开发",
            "是",
            "2020-07-01",
            "",
            "中共党员",
        ]
        .map(str::to_owned)
        .to_vec();
        crate::sheets::table_xlsx("人力花名册", &header, &[example]).map_err(|_| AppError::Internal)
    }
}

/// The to-do's kind in the page's language.
fn kind_words(t: &crate::i18n::Tr, code: &str) -> String {
    Difference::from_code(code).map_or(code.to_owned(), |d| {
        let (zh, en) = d.words();
        t.l(zh, en).to_owned()
    })
}

#[derive(Template)]
#[template(path = "staff_list.html")]
struct StaffPage {
    c: Chrome,
    org: OrgRecord,
    list: Option<StaffListRecord>,
    /// The subtree's committees with a list on record.
    lists: Vec<(Uuid, String, i64)>,
    keep_days: i64,
    todos: Vec<TodoRecord>,
    branches: Vec<(Uuid, String)>,
    outcome: Option<StaffOutcome>,
    problems: Vec<ProblemLine>,
    problem_total: usize,
    file_error: Option<String>,
    errors: FormErrors,
    can_write: bool,
}

impl StaffPage {
    fn kind(&self, code: &str) -> String {
        kind_words(&self.c.t, code)
    }
    fn when(&self, ms: &i64) -> String {
        crate::pages::local_time(*ms)
    }
}

async fn staff_page(s: &AppState, c: Chrome, who: &Who, org: OrgRecord) -> Result<StaffPage, AppError> {
    let list = s.store.staff_list(&org).await?;
    let mut lists = s.store.staff_lists_in(&org).await?;
    lists.retain(|(id, ..)| *id != org.id);
    let keep_days = s.store.staff_keep_days(&org).await?;
    let todos = s.store.staff_todos(&org, false, 1000).await?;
    let branches = s
        .store
        .subtree_of(&org.path, 100)
        .await?
        .into_iter()
        .filter(|o| o.fields.kind.is_branch() && o.closed_on.is_none())
        .map(|o| (o.id, o.fields.name))
        .collect();
    let can_write = AppState::in_scope(who, Permission::WritePeople, &org.path);
    Ok(StaffPage {
        c,
        org,
        list,
        lists,
        keep_days,
        todos,
        branches,
        outcome: None,
        problems: Vec::new(),
        problem_total: 0,
        file_error: None,
        errors: FormErrors::default(),
        can_write,
    })
}

fn render(page: StaffPage) -> Result<Response, AppError> {
    let status = if page.errors.any() || page.file_error.is_some() || page.problem_total > 0 {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok(html_status(status, page.render()?))
}

/// `GET /staff?org=ID`: the list on record, the import and the to-dos.
pub async fn page(
    State(s): State<AppState>,
    c: Chrome,
    who: Who,
    ApiQuery(q): ApiQuery<OrgQuery>,
) -> Result<Response, AppError> {
    let org = actions::committee(&s, &who, q.org.as_deref()).await?;
    render(staff_page(&s, c, &who, org).await?)
}

/// `POST /staff/import?org=ID` (multipart `file`, `apply` to write): a dry run unless
/// `apply` is given.
pub async fn import(
    State(s): State<AppState>,
    c: Chrome,
    who: Who,
    ApiQuery(q): ApiQuery<OrgQuery>,
    oversized: Option<axum::Extension<Oversized>>,
    form: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<Response, AppError> {
    let org = actions::committee(&s, &who, q.org.as_deref()).await?;
    s.allow(&who, Permission::WritePeople, &org.path).await?;
    let (file, apply) = read_form(form, oversized).await?;
    let sha = file.as_ref().map(|b| hex::encode(Sha256::digest(b))).unwrap_or_default();
    let turn = s.imports.turn().await?;
    let table =
        crate::imports::off_workers(move || file.and_then(|f| read_table(&f, &IMPORT_LIMITS))).await?;
    drop(turn);
    let mut page = staff_page(&s, c, &who, org.clone()).await?;
    let table = match table {
        Ok(t) => t,
        Err(e) => {
            page.file_error =
                Some(if page.c.t.is_en() { e.en(&IMPORT_LIMITS) } else { e.zh(&IMPORT_LIMITS) });
            return render(page);
        }
    };
    match actions::check(&table.header, &table.rows) {
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
            let outcome = actions::import(&s, &who, &org, &rows, &sha, apply).await?;
            let mut page = staff_page(&s, page.c, &who, org).await?;
            page.outcome = Some(outcome);
            render(page)
        }
    }
}

/// `GET /staff/template`: the import template (xlsx).
pub async fn template() -> Result<Response, AppError> {
    let bytes = actions::template()?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
            (header::CONTENT_DISPOSITION, "attachment; filename=\"staff-list-template.xlsx\""),
        ],
        bytes,
    )
        .into_response())
}

/// `POST /staff/settings?org=ID`: the retention.
pub async fn keep(
    State(s): State<AppState>,
    c: Chrome,
    who: Who,
    ApiQuery(q): ApiQuery<OrgQuery>,
    Form(f): Form<KeepInput>,
) -> Result<Response, AppError> {
    let org = actions::committee(&s, &who, q.org.as_deref()).await?;
    match actions::keep(&s, &who, &org, &f).await {
        Ok(()) => Ok(Redirect::to(&format!("/staff?org={}", org.id)).into_response()),
        Err(AppError::Invalid(v)) => {
            let mut page = staff_page(&s, c, &who, org).await?;
            page.errors = FormErrors::new(&v, &page.c.t);
            render(page)
        }
        Err(e) => Err(e),
    }
}

/// `POST /staff/todos/{id}`: decides a to-do.
pub async fn decide(
    State(s): State<AppState>,
    c: Chrome,
    who: Who,
    Path(id): Path<String>,
    Form(f): Form<DecisionInput>,
) -> Result<Response, AppError> {
    let id = path_id(&id)?;
    match actions::decide(&s, &who, id, &f).await {
        Ok(org) => Ok(Redirect::to(&format!("/staff?org={}", org.id)).into_response()),
        Err(AppError::Invalid(v)) => {
            let (_, _, t) = s.store.staff_todo(id).await?;
            let org = s.store.org(t.org_id).await?;
            let mut page = staff_page(&s, c, &who, org).await?;
            page.errors = FormErrors::new(&v, &page.c.t);
            render(page)
        }
        Err(e) => Err(e),
    }
}

/// `?org=ID&apply=true&open=true`.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TodoQuery {
    /// The committee (default: the caller's own).
    pub org: Option<String>,
    /// Only open to-dos.
    #[serde(default)]
    pub open: bool,
}

/// A committee's staff list on record and its to-dos (open first).
#[utoipa::path(get, path = "/api/v1/staff", params(TodoQuery), responses((status = 200, body = Object)))]
pub async fn api_show(
    State(s): State<AppState>,
    who: Who,
    ApiQuery(q): ApiQuery<TodoQuery>,
) -> Result<Json<serde_json::Value>, AppError> {
    let org = actions::committee(&s, &who, q.org.as_deref()).await?;
    let list = s.store.staff_list(&org).await?;
    let todos = s.store.staff_todos(&org, q.open, 10_000).await?;
    Ok(Json(
        json!({ "org": org.id, "list": list, "keep_days": s.store.staff_keep_days(&org).await?, "todos": todos }),
    ))
}

/// Imports the HR export (the body is the xlsx or CSV file, UTF-8 or GBK; columns 工号, 姓名,
/// 身份证号, 部门, 岗位, 关键岗位, 入职日期, 离职日期, 政治面貌): checked whole (a repeated employee
/// number or ID number, an invalid ID number: 422 by line and column, nothing written);
/// without `apply=true` a dry run that only counts the differences. The same file twice
/// changes nothing.
#[utoipa::path(post, path = "/api/v1/staff/import", params(crate::tables::ImportParams),
    request_body(content = Vec<u8>, content_type = "application/octet-stream"),
    responses((status = 200, body = Object), (status = 201, body = Object),
        (status = 413, body = crate::api::views::ImportRefusal, content_type = "application/problem+json"),
        (status = 422, body = crate::api::views::ImportRefusal, content_type = "application/problem+json")))]
pub async fn api_import(
    State(s): State<AppState>,
    who: Who,
    ApiQuery(q): ApiQuery<crate::tables::ImportParams>,
    body: Result<axum::body::Bytes, axum::extract::rejection::BytesRejection>,
) -> Result<Response, AppError> {
    let org = actions::committee(&s, &who, q.org.as_deref()).await?;
    s.allow(&who, Permission::WritePeople, &org.path).await?;
    let sha = body.as_ref().map(|b| hex::encode(Sha256::digest(b))).unwrap_or_default();
    let table = match crate::tables::body_table(body)? {
        Ok(t) => t,
        Err(r) => return Ok(r),
    };
    match actions::check(&table.header, &table.rows) {
        Err(problems) => Ok(crate::tables::problems_response(&problems)),
        Ok(rows) => {
            let outcome = actions::import(&s, &who, &org, &rows, &sha, q.apply).await?;
            let status = if outcome.applied { StatusCode::CREATED } else { StatusCode::OK };
            Ok((status, Json(outcome)).into_response())
        }
    }
}

/// Sets how many days the staff list is kept (30–1825).
#[utoipa::path(post, path = "/api/v1/staff/settings", params(OrgQuery), request_body = KeepInput,
    responses((status = 200, body = Object), (status = 422, body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn api_keep(
    State(s): State<AppState>,
    who: Who,
    ApiQuery(q): ApiQuery<OrgQuery>,
    ApiJson(f): ApiJson<KeepInput>,
) -> Result<Json<serde_json::Value>, AppError> {
    let org = actions::committee(&s, &who, q.org.as_deref()).await?;
    actions::keep(&s, &who, &org, &f).await?;
    Ok(Json(json!({ "keep_days": s.store.staff_keep_days(&org).await? })))
}

/// Decides a to-do: `mark_mobile`, `move_branch` (with `org_id`), `done` (with a note) or
/// `dismissed`.
#[utoipa::path(post, path = "/api/v1/staff/todos/{id}", params(("id" = uuid::Uuid, Path, description = "The to-do")),
    request_body = DecisionInput,
    responses((status = 200, body = Object), (status = 422, body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn api_decide(
    State(s): State<AppState>,
    who: Who,
    Path(id): Path<String>,
    ApiJson(f): ApiJson<DecisionInput>,
) -> Result<Json<serde_json::Value>, AppError> {
    let id = path_id(&id)?;
    actions::decide(&s, &who, id, &f).await?;
    let (_, _, t) = s.store.staff_todo(id).await?;
    Ok(Json(json!({ "todo": t })))
}
