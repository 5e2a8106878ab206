//! Member-development pages: the work queue and case list of an organisation, opening a
//! dossier for a person, the case page (the 25 steps as a timeline with what is done,
//! what may come next, deadlines and findings, and the record), and the filing queue of
//! an upper organisation.

use crate::AppState;
use crate::api::query::ApiQuery;
use crate::auth::Who;
use crate::development::{self, Existing};
use crate::error::AppError;
use crate::forms::FormErrors;
use crate::i18n::Tr;
use crate::pages::{Chrome, html, html_status};
use crate::scope::path_id;
use crate::scope::{OrgQuery, scope_org};
use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use jiff::civil::Date;
use pioneer_domain::accounts::access::Permission;
use pioneer_domain::development::dossier::{Dossier, Event, Kind, Value, choice_label};
use pioneer_domain::development::engine::{self, DeadlineKind, Evaluation, Finding, Severity};
use pioneer_domain::development::procedure::STEPS;
use pioneer_domain::development::vote::tally;
use pioneer_domain::{FieldError, Reason, ValidationErrors};
use pioneer_store::development::dossiers::{
    DossierFilter, DossierPage, DossierRecord, DossierSort, DossierSummary, FilingItem,
};
use pioneer_store::orgs::OrgRecord;
use serde::Deserialize;
use std::collections::HashMap;
use uuid::Uuid;

/// One line of a case list, ready to show.
pub struct CaseLine {
    id: Uuid,
    person: String,
    org: String,
    stage: &'static str,
    due: String,
    overdue: bool,
    violations: i64,
    warnings: i64,
}

pub(crate) fn stage_label(t: &Tr, code: &str) -> &'static str {
    use pioneer_domain::development::procedure::Stage::*;
    let st = match code {
        "activist" => Activist,
        "development_target" => DevelopmentTarget,
        "admission" => Admission,
        "probation" => Probation,
        _ => Application,
    };
    t.l(st.zh(), st.en())
}

fn line(t: &Tr, d: &DossierSummary, today: Date) -> CaseLine {
    let step = d.next_due_step.and_then(|n| STEPS.get(usize::from(n).saturating_sub(1)));
    CaseLine {
        id: d.id,
        person: d.person_name.clone(),
        org: d.org_name.clone(),
        stage: stage_label(t, &d.stage),
        due: match (d.next_due, step) {
            (Some(due), Some(st)) => format!("{} {due}", t.l(st.zh, st.en)),
            (Some(due), None) => due.to_string(),
            _ => String::new(),
        },
        overdue: d.state == "open" && d.next_due.is_some_and(|x| x < today),
        violations: d.violations,
        warnings: d.warnings,
    }
}

#[derive(Template)]
#[template(path = "dossiers.html")]
struct ListPage {
    c: Chrome,
    org: Option<OrgRecord>,
    due: Vec<CaseLine>,
    all: Vec<CaseLine>,
    transfers: Vec<(Uuid, String, Date, String, bool)>,
    /// Applications sent online, waiting for the branch.
    applications: Vec<pioneer_store::development::applications::ApplicationRecord>,
    /// Filings returned from above and not yet sent again: dossier, day, name.
    returned: Vec<(Uuid, Date, String)>,
    q: CasesQuery,
    errors: FormErrors,
    stages: Vec<(&'static str, &'static str)>,
    branches: Vec<(Uuid, String)>,
    /// The column heads: label, sort code, the order shown (`ascending`, `descending` or
    /// empty) and the link that sorts by it.
    heads: Vec<(&'static str, &'static str, &'static str, String)>,
    total: u64,
    capped: bool,
    page: u32,
    has_next: bool,
    /// The filter and order as a query string, without the page.
    query: String,
}

/// `?org=ID&branch=ID&q=NAME&stage=CODE&overdue=1&sort=due|name|org|stage|findings&dir=asc|desc&page=N`.
#[derive(Debug, Default, Clone, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CasesQuery {
    /// The organisation (default: the account's first scope).
    pub org: Option<String>,
    /// Only this organisation's subtree (within the account's reach).
    pub branch: Option<String>,
    /// Part of the person's name.
    pub q: Option<String>,
    /// One stage: application, activist, development_target, admission, probation.
    pub stage: Option<String>,
    /// `1`: only open cases with a step overdue.
    pub overdue: Option<String>,
    /// The order: due (default), name, org, stage or findings.
    pub sort: Option<String>,
    /// asc (default) or desc.
    pub dir: Option<String>,
    /// Page, from 1.
    pub page: Option<u32>,
    /// Cases a page, 1 to 200 (default 50).
    pub per_page: Option<u32>,
}

/// Cases a page lists.
pub const CASES_PER_PAGE: u32 = 50;

const STAGES: [&str; 5] = ["application", "activist", "development_target", "admission", "probation"];
const SORTS: [(&str, DossierSort); 5] = [
    ("due", DossierSort::Due),
    ("name", DossierSort::Name),
    ("org", DossierSort::Org),
    ("stage", DossierSort::Stage),
    ("findings", DossierSort::Findings),
];

fn given(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

/// A page of the cases `q` asks for: the organisation and the branch must be within the
/// account's reach for reading dossiers (403; unknown 404); a bad stage, order or overdue
/// flag is refused field by field (422). The page and the API both list with this.
pub async fn cases(
    s: &AppState,
    who: &Who,
    q: &CasesQuery,
) -> Result<(development::Reach, Option<OrgRecord>, DossierPage), AppError> {
    let reach = development::reach(s, who, q.org.as_deref()).await?;
    let branch = match given(&q.branch) {
        Some(b) => development::reach(s, who, Some(b)).await?.into_org(),
        None => None,
    };
    let mut errors = Vec::new();
    let stage = given(&q.stage).map(str::to_owned);
    if stage.as_deref().is_some_and(|st| !STAGES.contains(&st)) {
        errors.push(FieldError::new("stage", Reason::UnknownChoice));
    }
    let sort = match given(&q.sort) {
        None => DossierSort::Due,
        Some(code) => SORTS.iter().find(|(c, _)| *c == code).map(|(_, s)| *s).unwrap_or_else(|| {
            errors.push(FieldError::new("sort", Reason::UnknownChoice));
            DossierSort::Due
        }),
    };
    let descending = match given(&q.dir) {
        None | Some("asc") => false,
        Some("desc") => true,
        Some(_) => {
            errors.push(FieldError::new("dir", Reason::UnknownChoice));
            false
        }
    };
    let overdue = match given(&q.overdue) {
        None | Some("0") => false,
        Some("1") => true,
        Some(_) => {
            errors.push(FieldError::new("overdue", Reason::UnknownChoice));
            false
        }
    };
    let per_page = q.per_page.unwrap_or(CASES_PER_PAGE);
    if !(1..=200).contains(&per_page) {
        errors.push(FieldError::new("per_page", Reason::UnknownChoice));
    }
    if !errors.is_empty() {
        return Err(AppError::Invalid(ValidationErrors(errors)));
    }
    let filter = DossierFilter {
        org_path: branch.as_ref().map_or(reach.path(), |b| b.path.as_str()).to_owned(),
        q: given(&q.q).map(str::to_owned),
        stage,
        overdue_on: overdue.then(|| s.clock.today()),
        sort,
        descending,
    };
    let found = s.store.search_dossiers(&filter, q.page.unwrap_or(1).max(1), per_page).await?;
    Ok((reach, branch, found))
}

/// The filter and order of `q` as a query string, without the page (and without the order
/// when `order` is false, for the column heads to add their own).
fn cases_query(q: &CasesQuery, order: bool) -> String {
    let mut parts = vec![
        ("org", &q.org),
        ("branch", &q.branch),
        ("q", &q.q),
        ("stage", &q.stage),
        ("overdue", &q.overdue),
    ];
    if order {
        parts.extend([("sort", &q.sort), ("dir", &q.dir)]);
    }
    parts
        .iter()
        .filter_map(|(k, v)| given(v).map(|v| format!("{k}={}", crate::forms::encode(v))))
        .collect::<Vec<_>>()
        .join("&")
}

/// The column heads with their sort links: a head sorts ascending, or descending when it is
/// the order already shown ascending.
fn heads(t: &Tr, q: &CasesQuery) -> Vec<(&'static str, &'static str, &'static str, String)> {
    let base = cases_query(q, false);
    let now = given(&q.sort).unwrap_or("due");
    let desc = given(&q.dir) == Some("desc");
    [
        (t.s("f_person"), "name"),
        (t.l("党组织", "Organisation"), "org"),
        (t.s("f_stage"), "stage"),
        (t.s("f_next_due"), "due"),
        (t.s("f_findings"), "findings"),
    ]
    .into_iter()
    .map(|(label, code)| {
        let shown = if code != now {
            ""
        } else if desc {
            "descending"
        } else {
            "ascending"
        };
        let dir = if shown == "ascending" { "desc" } else { "asc" };
        let sep = if base.is_empty() { "" } else { "&" };
        (label, code, shown, format!("/dossiers?{base}{sep}sort={code}&dir={dir}"))
    })
    .collect()
}

/// `GET /dossiers[?org=ID&branch=ID&q=&stage=&overdue=1&sort=&dir=&page=]`: the work queue
/// (due this week and overdue) and the cases, searched, filtered, sorted and paged.
pub async fn list(
    State(s): State<AppState>,
    c: Chrome,
    who: Who,
    ApiQuery(q): ApiQuery<CasesQuery>,
) -> Result<Response, AppError> {
    let today = s.clock.today();
    let (reach, errors, found) = match cases(&s, &who, &q).await {
        Ok((reach, _, found)) => (reach, FormErrors::default(), found),
        Err(AppError::Invalid(e)) => {
            let reach = development::reach(&s, &who, q.org.as_deref()).await?;
            let empty = DossierPage { items: Vec::new(), total: 0, total_capped: false };
            (reach, FormErrors::new(&e, &c.t), empty)
        }
        Err(e) => return Err(e),
    };
    let due = development::work_queue(&s, &reach, 200).await?;
    let applications = s.store.waiting_applications(reach.path(), 200).await?;
    let returned = s.store.returned_filings(reach.path()).await?;
    let transfers = match reach.org() {
        Some(o) => s.store.transfers_of(o.id).await?,
        None => Vec::new(),
    };
    let page = q.page.unwrap_or(1).max(1);
    let p = ListPage {
        transfers,
        applications,
        returned,
        due: due.iter().map(|d| line(&c.t, d, today)).collect(),
        all: found.items.iter().map(|d| line(&c.t, d, today)).collect(),
        stages: STAGES.iter().map(|code| (*code, stage_label(&c.t, code))).collect(),
        branches: crate::development::screening::branch_choices(&s, reach.org()).await?,
        heads: heads(&c.t, &q),
        has_next: u64::from(page) * u64::from(q.per_page.unwrap_or(CASES_PER_PAGE)) < found.total,
        total: found.total,
        capped: found.total_capped,
        page,
        query: cases_query(&q, true),
        org: reach.into_org(),
        q,
        c,
        errors,
    };
    let status = if p.errors.any() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    Ok(html_status(status, p.render()?))
}

/// The form that opens a dossier.
#[derive(Debug, Deserialize)]
pub struct OpenForm {
    #[serde(default)]
    person_id: String,
}

/// `POST /dossiers`: opens a dossier for a person (or goes to the one they have).
pub async fn open(
    State(s): State<AppState>,
    who: Who,
    Form(f): Form<OpenForm>,
) -> Result<Response, AppError> {
    let id = development::open(&s, &who, &f.person_id, Existing::Reuse).await?;
    Ok(Redirect::to(&format!("/dossiers/{id}")).into_response())
}

/// A finding, ready to show.
pub struct FindingView {
    /// Rule id.
    pub rule: &'static str,
    /// Audit item.
    pub audit: &'static str,
    /// C/T/L/U.
    pub status: String,
    /// A violation (else a warning).
    pub violation: bool,
    /// The finding.
    pub message: &'static str,
    /// What the rule says.
    pub rule_text: &'static str,
    /// Where it comes from.
    pub citation: &'static str,
    /// Rule-set version.
    pub version: &'static str,
    /// The record it is about.
    pub event: Option<u32>,
    /// The generic order rule (AUD-26) that reports the same date as this narrower one: one
    /// problem, both rule ids.
    pub also: Option<&'static str>,
}

/// The findings of one record as problems: where the generic order (AUD-26) and a narrower
/// rule report the same record, they are shown as one problem with both rule ids (the
/// screening counts the case under each).
pub fn problems(t: &Tr, findings: &[&Finding]) -> Vec<FindingView> {
    let order = |f: &&Finding| f.check.code == engine::ORDER.code;
    let mut out: Vec<FindingView> = Vec::new();
    for f in findings.iter().filter(|f| !order(f)) {
        let mut v = finding_view(t, f);
        if findings.iter().any(|o| order(o) && o.event == f.event && o.event.is_some())
            && !out.iter().any(|x| x.also.is_some() && x.event == f.event)
        {
            v.also = Some(engine::ORDER.rule);
        }
        out.push(v);
    }
    for f in findings.iter().filter(|f| order(f)) {
        if !out.iter().any(|x| x.also.is_some() && x.event == f.event) {
            out.push(finding_view(t, f));
        }
    }
    out
}

/// Translates a finding.
pub fn finding_view(t: &Tr, f: &Finding) -> FindingView {
    let rule = f.rule();
    FindingView {
        rule: rule.id,
        audit: f.check.audit,
        status: format!("{:?}", f.status()),
        violation: f.check.severity == Severity::Violation,
        message: t.l(f.check.zh, f.check.en),
        rule_text: t.l(rule.zh, rule.en),
        citation: rule.citation,
        version: f.version.code(),
        event: f.event,
        also: None,
    }
}

struct StepRow {
    number: u8,
    code: &'static str,
    name: &'static str,
    stage: &'static str,
    new_stage: bool,
    done: Option<Date>,
    times: usize,
    open: bool,
    due: Option<String>,
    overdue: bool,
    findings: Vec<FindingView>,
}

struct EventView {
    seq: u32,
    kind: &'static str,
    kind_code: &'static str,
    on: Date,
    fields: Vec<(&'static str, String)>,
    corrects: Option<u32>,
    backfill: bool,
    under: String,
    vote: Option<String>,
    findings: Vec<FindingView>,
}

#[derive(Template)]
#[template(path = "dossier.html")]
struct CasePage {
    c: Chrome,
    d: DossierRecord,
    state: &'static str,
    stage: &'static str,
    steps: Vec<StepRow>,
    events: Vec<EventView>,
    general: Vec<FindingView>,
    extras: Vec<(&'static str, &'static str)>,
    can_write: bool,
}

/// Names for the ids a dossier's record holds: people and organisations in its fields, and
/// the organisations each event was recorded under.
async fn names(s: &AppState, d: &DossierRecord) -> Result<HashMap<Uuid, String>, AppError> {
    let mut out = HashMap::new();
    let fields = d.dossier.events.iter().flat_map(|e| e.fields.iter());
    let ids = fields
        .filter_map(|(k, v)| match v {
            Value::Id(id) => Some((*id, k.ty() == pioneer_domain::development::dossier::Ty::Person)),
            _ => None,
        })
        .chain(d.recorded_under.iter().map(|(_, o)| (*o, false)));
    for (id, person) in ids {
        if out.contains_key(&id) {
            continue;
        }
        let name = if person {
            s.store.person(id).await.map(|p| p.fields.name)
        } else {
            s.store.org(id).await.map(|o| o.fields.name)
        };
        out.insert(id, name.unwrap_or_else(|_| id.to_string()));
    }
    Ok(out)
}

/// The record, each event with its fields for people to read, its vote count and findings.
fn event_views(
    t: &Tr,
    d: &DossierRecord,
    eval: &Evaluation,
    names: &HashMap<Uuid, String>,
) -> Vec<EventView> {
    d.dossier
        .events
        .iter()
        .map(|e| EventView {
            seq: e.seq,
            kind: t.l(e.kind.zh(), e.kind.en()),
            kind_code: e.kind.code(),
            on: e.on,
            fields: e.fields.iter().map(|(k, v)| (t.l(k.zh(), k.en()), show_value(t, v, names))).collect(),
            corrects: e.corrects,
            backfill: e.backfill,
            under: d
                .recorded_under
                .iter()
                .find(|(seq, _)| *seq == e.seq)
                .and_then(|(_, o)| names.get(o).cloned())
                .unwrap_or_default(),
            vote: vote_line(t, e),
            findings: problems(
                t,
                &eval.findings.iter().filter(|f| f.event == Some(e.seq)).collect::<Vec<_>>(),
            ),
        })
        .collect()
}

/// A field's value for people to read.
pub fn show_value(t: &Tr, v: &Value, names: &HashMap<Uuid, String>) -> String {
    match v {
        Value::Date(d) => d.to_string(),
        Value::Int(n) => n.to_string(),
        Value::Text(x) => x.to_string(),
        Value::Bool(b) => t.yes_no(b).to_owned(),
        Value::Id(id) => names.get(id).cloned().unwrap_or_else(|| id.to_string()),
        Value::Code(c) => {
            let (zh, en) = choice_label(c);
            t.l(zh, en).to_owned()
        }
    }
}

/// The vote of a meeting record, counted by the server, as one line.
pub fn vote_line(t: &Tr, e: &Event) -> Option<String> {
    if !matches!(e.kind, Kind::Step(15 | 23)) {
        return None;
    }
    let r = engine::vote_record(e);
    let out = tally(&r).ok()?;
    Some(format!(
        "{}：{} {}/{}；{} {}/{}；{}",
        t.s("vote_result"),
        t.s("quorum_needed"),
        r.present,
        out.quorum_needed,
        t.s("in_favour"),
        out.in_favour,
        out.needed,
        if out.passed { t.s("vote_passed") } else { t.s("vote_failed") }
    ))
}

/// `GET /dossiers/{id}`: the case page.
pub async fn show(
    State(s): State<AppState>,
    c: Chrome,
    who: Who,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let (d, eval) = development::case(&s, &who, path_id(&id)?).await?;
    let names = names(&s, &d).await?;
    let page = CasePage {
        state: state_label(&c.t, &eval),
        stage: c.t.l(eval.stage.zh(), eval.stage.en()),
        steps: step_rows(&c.t, &d.dossier, &eval),
        events: event_views(&c.t, &d, &eval, &names),
        general: eval.findings.iter().filter(|f| f.event.is_none()).map(|f| finding_view(&c.t, f)).collect(),
        extras: [Kind::PublicNotice, Kind::Transfer]
            .iter()
            .map(|k| (k.code(), c.t.l(k.zh(), k.en())))
            .collect(),
        can_write: AppState::in_scope(&who, Permission::WriteDossiers, &d.org_path)
            && eval.state == engine::CaseState::Open,
        d,
        c,
    };
    Ok(html(page.render()?))
}

fn state_label(t: &Tr, e: &Evaluation) -> &'static str {
    use engine::CaseState::*;
    match e.state {
        Open => t.l("进行中", "in progress"),
        Rejected => t.l("未被批准", "not approved"),
        Cancelled => t.l("已取消预备党员资格", "probationary membership cancelled"),
        Converted => t.l("已转为正式党员", "converted to full member"),
        Archived => t.l("已归档", "archived"),
    }
}

fn step_rows(t: &Tr, d: &Dossier, e: &Evaluation) -> Vec<StepRow> {
    let eff = d.effective();
    let mut last_stage = None;
    STEPS
        .iter()
        .map(|st| {
            let mine: Vec<&&Event> = eff.iter().filter(|x| x.kind == Kind::Step(st.number)).collect();
            let deadline = e.deadlines.iter().find(|x| x.step == st.number);
            let due = deadline.map(|x| {
                let what = match x.kind {
                    DeadlineKind::Due => t.s("due_by"),
                    DeadlineKind::NotBefore => t.s("not_before"),
                    DeadlineKind::NoticeEnds => t.s("notice_ends"),
                };
                format!("{what} {}", x.due)
            });
            let new_stage = last_stage != Some(st.stage);
            last_stage = Some(st.stage);
            StepRow {
                number: st.number,
                code: st.code,
                name: t.l(st.zh, st.en),
                stage: t.l(st.stage.zh(), st.stage.en()),
                new_stage,
                done: mine.iter().map(|x| x.on).min(),
                times: mine.len(),
                open: e.allows(st.number),
                due,
                overdue: deadline.is_some_and(|x| x.overdue),
                findings: problems(
                    t,
                    &e.findings
                        .iter()
                        .filter(|f| f.event.is_some_and(|seq| mine.iter().any(|x| x.seq == seq)))
                        .collect::<Vec<_>>(),
                ),
            }
        })
        .collect()
}

#[derive(Template)]
#[template(path = "filings.html")]
struct FilingsPage {
    c: Chrome,
    org: OrgRecord,
    items: Vec<(FilingItem, &'static str)>,
    today: Date,
}

/// `GET /filings?org=ID`: filings sent to an organisation, to acknowledge or return.
pub async fn filings(
    State(s): State<AppState>,
    c: Chrome,
    who: Who,
    ApiQuery(q): ApiQuery<OrgQuery>,
) -> Result<Response, AppError> {
    let org =
        scope_org(&s, &who, Permission::WriteDossiers, q.org.as_deref()).await?.ok_or(AppError::NotFound)?;
    let items = s.store.filing_queue(org.id).await?;
    let items = items
        .into_iter()
        .map(|i| {
            let k = Kind::from_code(&i.kind).unwrap_or(Kind::Step(4));
            let name = c.t.l(k.zh(), k.en());
            (i, name)
        })
        .collect();
    Ok(html(FilingsPage { today: s.clock.today(), c, org, items }.render()?))
}
