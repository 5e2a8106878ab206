//! Importing existing dossiers to be screened: the template (xlsx or CSV, one row per
//! event), the upload (checked whole first: every problem by line, column and reason),
//! a dry run that shows what would be imported and what the rules would find, and the
//! import itself, all or nothing, as historic (backfill) records.

use crate::AppState;
use crate::api::query::ApiQuery;
use crate::auth::Who;
use crate::error::AppError;
use crate::pages::{Chrome, html, html_status};
use crate::scope::{OrgQuery, scope_org};
use crate::tables::{IMPORT_LIMITS, Oversized, TableError, read_table};
use askama::Template;
use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use axum::response::Response;
use pioneer_domain::accounts::access::Permission;
use pioneer_domain::development::dossier::{Dossier, Ty, Value};
use pioneer_domain::development::dossier_import::{Problem, Row, example_rows, read_rows, template_header};
use pioneer_domain::development::engine::{RuleBook, evaluate};
use pioneer_domain::development::screening::Screener;
use pioneer_domain::{FieldError, Reason};
use pioneer_store::orgs::OrgRecord;
use pioneer_store::people::PersonRecord;
use serde::Deserialize;

/// `?format=csv`.
#[derive(Debug, Deserialize)]
pub struct TemplateQuery {
    #[serde(default)]
    format: String,
}

/// `GET /dossiers/import/template[?format=csv]`: the empty template with two example rows.
pub async fn template(ApiQuery(q): ApiQuery<TemplateQuery>) -> Result<Response, AppError> {
    let header = template_header();
    let rows = example_rows();
    crate::pages::table_download(
        &q.format,
        "导入模板",
        ["dossier-import-template.csv", "dossier-import-template.xlsx"],
        &header,
        &rows,
    )
}

/// A problem, ready to show.
pub struct ProblemLine {
    pub(crate) line: usize,
    pub(crate) column: String,
    pub(crate) reason: String,
}

impl ProblemLine {
    /// A problem with its reason in the reader's language.
    pub fn of(p: Problem, t: &crate::i18n::Tr) -> Self {
        Self { line: p.line, reason: t.reason(&FieldError::new("x", p.reason)), column: p.column }
    }
}

#[derive(Template)]
#[template(path = "dossier_import.html")]
struct ImportPage {
    c: Chrome,
    org: Option<OrgRecord>,
    problems: Vec<ProblemLine>,
    file_error: Option<String>,
    dossiers: usize,
    events: usize,
    applied: bool,
    findings: Vec<(&'static str, &'static str, u64)>,
}

fn empty_page(c: Chrome, org: Option<OrgRecord>) -> ImportPage {
    ImportPage {
        c,
        org,
        problems: Vec::new(),
        file_error: None,
        dossiers: 0,
        events: 0,
        applied: false,
        findings: Vec::new(),
    }
}

/// `GET /dossiers/import[?org=ID]`.
pub async fn form(
    State(s): State<AppState>,
    c: Chrome,
    who: Who,
    ApiQuery(q): ApiQuery<OrgQuery>,
) -> Result<Response, AppError> {
    let org = scope_org(&s, &who, Permission::WriteDossiers, q.org.as_deref()).await?;
    Ok(html(empty_page(c, org).render()?))
}

/// Resolves the rows' people and references and assembles one dossier per person.
async fn assemble(
    s: &AppState,
    who: &Who,
    tenant: uuid::Uuid,
    rows: Vec<Row>,
) -> Result<(Vec<(PersonRecord, Dossier)>, Vec<Problem>), AppError> {
    let mut problems = Vec::new();
    let mut out: Vec<(PersonRecord, Dossier)> = Vec::new();
    let names = s.store.org_names(tenant).await?.closed_too();
    for row in rows {
        let bad =
            |column: &str, reason: Reason| Problem { line: row.line, column: column.to_owned(), reason };
        let person = match out.iter().position(|(p, _)| p.fields.id_card.as_str() == row.id_card.trim()) {
            Some(i) => i,
            None => {
                let Some(p) = s.store.person_by_id_card(tenant, &row.id_card).await? else {
                    problems.push(bad("id_card", Reason::UnknownPerson));
                    continue;
                };
                if !AppState::in_scope(who, Permission::WriteDossiers, &p.org_path) {
                    problems.push(bad("id_card", Reason::UnknownPerson));
                    continue;
                }
                if s.store.dossier_of_person(p.id).await?.is_some() {
                    problems.push(bad("id_card", Reason::AlreadyExists));
                    continue;
                }
                let d = Dossier {
                    birth_date: Some(p.fields.birth_date),
                    mobile: p.fields.is_mobile,
                    events: Vec::new(),
                };
                out.push((p, d));
                out.len() - 1
            }
        };
        let mut event = row.event.clone();
        for (key, text) in &row.refs {
            let id = match key.ty() {
                Ty::Person => s
                    .store
                    .person_by_id_card(tenant, text)
                    .await?
                    .map(|p| p.id)
                    .or_else(|| uuid::Uuid::try_parse(text).ok()),
                // By name, qualified name or id, as the roster names them (a bare name two
                // organisations share is refused with both).
                _ => match names.resolve(text) {
                    Ok(id) => Some(id),
                    Err(reason) => {
                        problems.push(bad(key.code(), reason));
                        continue;
                    }
                },
            };
            match id {
                Some(id) => event.set(*key, Value::Id(id)),
                None => problems.push(bad(key.code(), Reason::UnknownPerson)),
            }
        }
        let d = &mut out[person].1;
        event.seq = d.next_seq();
        d.events.push(event);
    }
    Ok((out, problems))
}

/// `POST /dossiers/import[?org=ID]` (multipart: `file`, and `apply` to import; without it a
/// dry run).
pub async fn upload(
    State(s): State<AppState>,
    c: Chrome,
    who: Who,
    ApiQuery(q): ApiQuery<OrgQuery>,
    oversized: Option<axum::Extension<Oversized>>,
    form: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<Response, AppError> {
    let org = scope_org(&s, &who, Permission::WriteDossiers, q.org.as_deref()).await?;
    let (file, apply) = read_form(form, oversized).await?;
    let mut page = empty_page(c, org.clone());
    let table = match file.and_then(|f| read_table(&f, &IMPORT_LIMITS)) {
        Ok(t) => t,
        Err(e) => {
            page.file_error =
                Some(if page.c.t.is_en() { e.en(&IMPORT_LIMITS) } else { e.zh(&IMPORT_LIMITS) });
            return Ok(html_status(e.status(), page.render()?));
        }
    };
    let tenant = match &org {
        Some(o) => o.tenant_id,
        None => s.store.orgs(Some(0)).await?.first().map(|o| o.tenant_id).ok_or(AppError::NotFound)?,
    };
    let (rows, mut problems) = read_rows(&table.header, &table.rows);
    let (dossiers, more) = assemble(&s, &who, tenant, rows).await?;
    problems.extend(more);
    problems.sort_by_key(|p| p.line);
    if !problems.is_empty() {
        let t = &page.c.t;
        page.problems = problems.into_iter().map(|p| ProblemLine::of(p, t)).collect();
        return Ok(html_status(StatusCode::UNPROCESSABLE_ENTITY, page.render()?));
    }
    let today = s.clock.today();
    let report = dry_run(&s, &dossiers, today).await?;
    page.dossiers = dossiers.len();
    page.events = dossiers.iter().map(|(_, d)| d.events.len()).sum();
    page.findings =
        report.groups.iter().map(|g| (g.check.rule, page.c.t.l(g.check.zh, g.check.en), g.count)).collect();
    if apply {
        s.store.import_dossiers(dossiers, today, &who.act).await?;
        page.applied = true;
    }
    Ok(html(page.render()?))
}

/// The uploaded file and whether to apply it (shared with the roster import).
pub async fn read_form(
    form: Result<Multipart, axum::extract::multipart::MultipartRejection>,
    oversized: Option<axum::Extension<Oversized>>,
) -> Result<(Result<Vec<u8>, TableError>, bool), AppError> {
    let mut form = form.map_err(|e| AppError::BadBody {
        status: StatusCode::UNSUPPORTED_MEDIA_TYPE,
        detail: e.body_text(),
    })?;
    if oversized.is_some() {
        return Ok((Err(TableError::TooLarge), false));
    }
    let mut file = Ok(Vec::new());
    let mut apply = false;
    while let Ok(Some(field)) = form.next_field().await {
        match field.name() {
            Some("file") => {
                file = match field.bytes().await {
                    Ok(b) => Ok(b.to_vec()),
                    // Over the route's body limit: answered with the limit, like a file
                    // read whole and found too large.
                    Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => Err(TableError::TooLarge),
                    Err(e) => {
                        return Err(AppError::BadBody {
                            status: StatusCode::BAD_REQUEST,
                            detail: e.body_text(),
                        });
                    }
                }
            }
            Some("apply") => apply = true,
            _ => {}
        }
    }
    Ok((file, apply))
}

/// What the rules would find in the dossiers read, each under its organisation's settings.
async fn dry_run(
    s: &AppState,
    dossiers: &[(PersonRecord, Dossier)],
    today: jiff::civil::Date,
) -> Result<pioneer_domain::development::screening::ScreenReport, AppError> {
    let own = s.store.all_dev_settings().await?;
    let mut screener = Screener::new(0);
    for (i, (p, d)) in dossiers.iter().enumerate() {
        let settings = pioneer_store::development::dossiers::settings_along(&own, &p.org_path);
        screener.add(uuid::Uuid::from_u128(i as u128), &evaluate(&RuleBook::standard(), d, &settings, today));
    }
    Ok(screener.finish())
}
