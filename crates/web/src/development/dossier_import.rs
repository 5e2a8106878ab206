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
use pioneer_domain::development::dossier::{Dossier, Key, Ty, Value};
use pioneer_domain::development::dossier_import::{Problem, Row, example_rows, read_rows, template_header};
use pioneer_domain::development::engine::{Check, evaluate};
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
    /// All the problems found (the first `imports::LISTED` are listed).
    problem_total: usize,
    /// Imports ahead of this one in the queue when it was sent.
    ahead: usize,
    file_error: Option<String>,
    dossiers: usize,
    events: usize,
    applied: bool,
    findings: Vec<(&'static str, &'static str, u64)>,
    cases: Vec<CaseLine>,
    as_of: String,
}

fn empty_page(c: Chrome, org: Option<OrgRecord>) -> ImportPage {
    ImportPage {
        c,
        org,
        problems: Vec::new(),
        problem_total: 0,
        ahead: 0,
        file_error: None,
        dossiers: 0,
        events: 0,
        applied: false,
        findings: Vec::new(),
        cases: Vec::new(),
        as_of: String::new(),
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
    // The dossier of each ID number read so far, and the people the rows name.
    let mut index: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    let mut named = Lookups::default();
    let mut cache = pioneer_store::development::dossiers::CaptureCache::default();
    let names = s.store.org_names(tenant).await?.closed_too();
    for row in rows {
        let bad =
            |column: &str, reason: Reason| Problem { line: row.line, column: column.to_owned(), reason };
        let person = match index.get(row.id_card.trim()) {
            Some(i) => *i,
            None => {
                let Some(p) = s.store.person_by_id_card(tenant, &row.id_card).await? else {
                    problems.push(bad("id_card", Reason::UnknownPerson));
                    continue;
                };
                if !AppState::in_scope(who, Permission::WriteDossiers, &p.org_path) {
                    problems.push(bad("id_card", Reason::OutsideOrganization));
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
                index.insert(row.id_card.trim().to_owned(), out.len() - 1);
                out.len() - 1
            }
        };
        let mut event = row.event.clone();
        let mut declared: Vec<String> = Vec::new();
        for (key, text) in &row.refs {
            match resolve(s, tenant, &names, &mut named, &event, *key, text).await? {
                Ok(Resolved::Inside(id)) => event.set(*key, Value::Id(id)),
                Ok(Resolved::Outside) => {
                    event.set(*key, Value::Id(outsider_id(text)));
                    declared.push(format!("{}={}", key.code(), text.replace(['；', '='], " ")));
                }
                Err(reason) => problems.push(bad(key.code(), reason)),
            }
        }
        if !declared.is_empty() {
            event.set(Key::Declared, Value::Text(declared.join("；").into()));
        }
        // The standing of the people and the kind of the organisations inside the deployment
        // come from its records on the day, whatever the file says.
        let (p, d) = &mut out[person];
        if let Err(e) = s.store.capture_with(&mut cache, tenant, p.fields.org_id, &mut event).await {
            match e {
                pioneer_store::StoreError::Invalid(v) => {
                    problems.extend(v.0.into_iter().map(|f| bad(f.field, f.reason)));
                }
                other => return Err(other.into()),
            }
        }
        event.seq = d.next_seq();
        d.events.push(event);
    }
    Ok((out, problems))
}

/// The people the rows of one file name, by the text written (an ID number or an id).
#[derive(Default)]
struct Lookups {
    people: std::collections::HashMap<String, Option<uuid::Uuid>>,
}

/// Where a reference of a historic record points.
enum Resolved {
    /// A person or organisation of the deployment.
    Inside(uuid::Uuid),
    /// Someone outside it, whose standing the file declares.
    Outside,
}

/// The status column that declares the standing of the person in `key`.
fn standing_key(key: Key) -> Option<Key> {
    match key {
        Key::Contact1 => Some(Key::Contact1Status),
        Key::Contact2 => Some(Key::Contact2Status),
        Key::Introducer1 => Some(Key::Introducer1Status),
        Key::Introducer2 => Some(Key::Introducer2Status),
        _ => None,
    }
}

/// Resolves a person (by ID number, or id) or an organisation (by path, code, unique name or
/// id) named in a row. One outside the deployment is accepted only with its standing declared
/// (an approver with its kind); an organisation a filing went to needs nothing declared.
async fn resolve(
    s: &AppState,
    tenant: uuid::Uuid,
    names: &pioneer_domain::people::roster::OrgNames,
    named: &mut Lookups,
    event: &pioneer_domain::development::dossier::Event,
    key: Key,
    text: &str,
) -> Result<Result<Resolved, Reason>, AppError> {
    if key.ty() == Ty::Person {
        let found = match named.people.get(text) {
            Some(found) => *found,
            None => {
                let found = match s.store.person_by_id_card(tenant, text).await? {
                    Some(p) => Some(p.id),
                    None => match uuid::Uuid::try_parse(text) {
                        Ok(id) => {
                            s.store.person(id).await.ok().filter(|p| p.tenant_id == tenant).map(|p| p.id)
                        }
                        Err(_) => None,
                    },
                };
                named.people.insert(text.to_owned(), found);
                found
            }
        };
        return Ok(match (found, standing_key(key).and_then(|k| event.get(k))) {
            (Some(id), _) => Ok(Resolved::Inside(id)),
            (None, Some(_)) => Ok(Resolved::Outside),
            (None, None) => Err(Reason::StandingNotDeclared),
        });
    }
    Ok(match names.resolve(text) {
        Ok(id) => Ok(Resolved::Inside(id)),
        Err(Reason::UnknownOrganization) if key == Key::ToOrg => Ok(Resolved::Outside),
        Err(Reason::UnknownOrganization) if key == Key::Approver => {
            if event.get(Key::ApproverKind).is_some() {
                Ok(Resolved::Outside)
            } else {
                Err(Reason::StandingNotDeclared)
            }
        }
        Err(reason) => Err(reason),
    })
}

/// A stable id for someone outside the deployment, from the name or number the file gives
/// (the same text gives the same id, so one outsider named twice is one person).
fn outsider_id(text: &str) -> uuid::Uuid {
    use sha2::{Digest, Sha256};
    let hash = Sha256::digest(format!("pioneer-outsider:{}", text.trim()).as_bytes());
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&hash[..16]);
    uuid::Builder::from_custom_bytes(bytes).into_uuid()
}

/// One dossier of a file as it will be recorded: whose, where, its events and what the
/// screening will find in it.
pub struct CaseReport {
    pub(crate) name: String,
    pub(crate) branch: String,
    pub(crate) events: Vec<pioneer_domain::development::dossier::Event>,
    pub(crate) findings: Vec<&'static Check>,
}

/// What an upload came to: the problems that refuse it, or each dossier and the findings by
/// rule, judged as of `as_of`; written when `applied`.
pub struct ImportOutcome {
    pub(crate) problems: Vec<Problem>,
    pub(crate) cases: Vec<CaseReport>,
    pub(crate) groups: Vec<(&'static Check, u64)>,
    pub(crate) as_of: jiff::civil::Date,
    pub(crate) applied: bool,
}

/// Checks an uploaded table whole and, when `apply` and nothing is refused, imports it (all
/// or nothing). The page and the API both call this.
pub async fn run_import(
    s: &AppState,
    who: &Who,
    org: Option<&OrgRecord>,
    table: crate::tables::Table,
    apply: bool,
) -> Result<ImportOutcome, AppError> {
    let tenant = match org {
        Some(o) => o.tenant_id,
        None => s.store.orgs(Some(0)).await?.first().map(|o| o.tenant_id).ok_or(AppError::NotFound)?,
    };
    let as_of = s.clock.today();
    let (rows, mut problems) =
        crate::imports::off_workers(move || read_rows(&table.header, &table.rows)).await?;
    let (dossiers, more) = assemble(s, who, tenant, rows).await?;
    problems.extend(more);
    problems.sort_by_key(|p| p.line);
    let mut out = ImportOutcome { problems, cases: Vec::new(), groups: Vec::new(), as_of, applied: false };
    if !out.problems.is_empty() {
        return Ok(out);
    }
    let own = s.store.all_dev_settings().await?;
    let book = s.store.rule_book().await?;
    let mut screener = Screener::new(0);
    let mut branches: std::collections::HashMap<uuid::Uuid, String> = std::collections::HashMap::new();
    for (i, (p, d)) in dossiers.iter().enumerate() {
        let settings = pioneer_store::development::dossiers::settings_along(&own, &p.org_path);
        let eval = evaluate(&book, d, &settings, as_of);
        screener.add(uuid::Uuid::from_u128(i as u128), &eval);
        let branch = match branches.get(&p.fields.org_id) {
            Some(n) => n.clone(),
            None => {
                let n = s.store.org(p.fields.org_id).await.map(|o| o.fields.name).unwrap_or_default();
                branches.insert(p.fields.org_id, n.clone());
                n
            }
        };
        let mut findings: Vec<&'static Check> = Vec::new();
        for f in &eval.findings {
            if !findings.iter().any(|c| c.code == f.check.code) {
                findings.push(f.check);
            }
        }
        out.cases.push(CaseReport {
            name: p.fields.name.clone(),
            branch,
            events: d.events.clone(),
            findings,
        });
    }
    out.groups = screener.finish().groups.iter().map(|g| (g.check, g.count)).collect();
    if apply {
        s.store.import_dossiers(dossiers, as_of, &who.act).await?;
        out.applied = true;
    }
    Ok(out)
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
    let turn = s.imports.turn().await?;
    let mut page = empty_page(c, org.clone());
    page.ahead = turn.ahead;
    let table =
        match crate::imports::off_workers(move || file.and_then(|f| read_table(&f, &IMPORT_LIMITS))).await? {
            Ok(t) => t,
            Err(e) => {
                page.file_error =
                    Some(if page.c.t.is_en() { e.en(&IMPORT_LIMITS) } else { e.zh(&IMPORT_LIMITS) });
                return Ok(html_status(e.status(), page.render()?));
            }
        };
    let outcome = run_import(&s, &who, org.as_ref(), table, apply).await?;
    let t = &page.c.t;
    if !outcome.problems.is_empty() {
        page.problem_total = outcome.problems.len();
        page.problems = outcome
            .problems
            .into_iter()
            .take(crate::imports::LISTED)
            .map(|p| ProblemLine::of(p, t))
            .collect();
        return Ok(html_status(StatusCode::UNPROCESSABLE_ENTITY, page.render()?));
    }
    page.dossiers = outcome.cases.len();
    page.events = outcome.cases.iter().map(|c| c.events.len()).sum();
    page.findings =
        outcome.groups.iter().map(|(check, n)| (check.rule, t.l(check.zh, check.en), *n)).collect();
    page.cases = outcome.cases.iter().map(|c| CaseLine::of(c, t)).collect();
    page.as_of = outcome.as_of.to_string();
    page.applied = outcome.applied;
    Ok(html(page.render()?))
}

/// A dossier of the dry run, ready to show.
pub struct CaseLine {
    pub(crate) name: String,
    pub(crate) branch: String,
    pub(crate) events: Vec<(String, String, bool)>,
    pub(crate) findings: Vec<(&'static str, &'static str, String)>,
}

impl CaseLine {
    fn of(c: &CaseReport, t: &crate::i18n::Tr) -> Self {
        let mut events: Vec<&pioneer_domain::development::dossier::Event> = c.events.iter().collect();
        events.sort_by_key(|e| e.on);
        Self {
            name: c.name.clone(),
            branch: c.branch.clone(),
            events: events
                .iter()
                .map(|e| {
                    (
                        e.on.to_string(),
                        t.l(e.kind.zh(), e.kind.en()).to_owned(),
                        e.declared().next().is_some(),
                    )
                })
                .collect(),
            findings: c.findings.iter().map(|f| (f.rule, f.audit, t.l(f.zh, f.en).to_owned())).collect(),
        }
    }
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

/// Imports existing dossiers (the body is the file, CSV or xlsx, as the template): checked
/// whole; 422 lists every problem by line, column and reason (nothing written); otherwise
/// each dossier with the findings the screening will report, judged as of today, and
/// written when `apply=true`. The page `/dossiers/import` does the same.
#[utoipa::path(post, path = "/api/v1/dossiers/import", params(crate::tables::ImportParams),
    request_body(content = String, content_type = "text/csv"),
    responses((status = 200, body = Object),
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
    let org = scope_org(&s, &who, Permission::WriteDossiers, q.org.as_deref()).await?;
    let _turn = s.imports.turn().await?;
    let table = match crate::imports::off_workers(move || crate::tables::body_table(body)).await?? {
        Ok(t) => t,
        Err(refusal) => return Ok(refusal),
    };
    let out = run_import(&s, &who, org.as_ref(), table, q.apply).await?;
    if !out.problems.is_empty() {
        return Ok(crate::tables::problems_response(&out.problems));
    }
    let check = |c: &Check| json!({"check": c.code, "rule": c.rule, "audit": c.audit, "message_zh": c.zh, "message_en": c.en});
    let cases: Vec<serde_json::Value> = out
        .cases
        .iter()
        .map(|k| {
            let events: Vec<serde_json::Value> = k
                .events
                .iter()
                .map(|e| json!({"on": e.on.to_string(), "kind": e.kind.code(), "declared": e.declared().map(|(key, name)| json!({"field": key.code(), "name": name})).collect::<Vec<_>>()}))
                .collect();
            json!({"name": k.name, "branch": k.branch, "events": events,
                "findings": k.findings.iter().map(|c| check(c)).collect::<Vec<_>>()})
        })
        .collect();
    let groups: Vec<serde_json::Value> = out
        .groups
        .iter()
        .map(|(c, n)| json!({"check": c.code, "rule": c.rule, "audit": c.audit, "count": n}))
        .collect();
    Ok(axum::Json(json!({"as_of": out.as_of.to_string(), "applied": out.applied, "dossiers": out.cases.len(),
        "events": out.cases.iter().map(|c| c.events.len()).sum::<usize>(), "findings": groups, "cases": cases}))
    .into_response())
}
