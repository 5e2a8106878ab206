//! The screening page: every dossier in an organisation's subtree judged by the rules as of
//! a chosen day, the findings grouped by rule, each group listing its cases (name, branch,
//! stage, severity) with a link to the dossier; filters by rule, branch and severity; the
//! same rows as xlsx or CSV.
//!
//! One action, one function: [`screening`] reads the query, checks the scope, screens and
//! looks up the kept cases' names; the page, the API (`development::api::screening`) and the
//! downloads all call it and differ only in how they show [`Screening`].

use crate::AppState;
use crate::api::query::ApiQuery;
use crate::auth::Who;
use crate::development::{self, Reach};
use crate::error::AppError;
use crate::forms::FormErrors;
use crate::i18n::Tr;
use crate::pages::{Chrome, html, html_status};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use jiff::civil::Date;
use pioneer_domain::development::engine::{CHECKS, Severity};
use pioneer_domain::development::screening::{ScreenFilter, ScreenReport};
use pioneer_domain::{FieldError, Reason, ValidationErrors};
use pioneer_store::development::screening::ScreenedCase;
use pioneer_store::orgs::OrgRecord;
use serde::Deserialize;
use std::collections::HashMap;
use uuid::Uuid;

/// Cases listed per rule on the page and in the API (the group's count is the whole).
pub const PAGE_KEEP: usize = 50;
/// Cases listed per rule in a download.
pub const DOWNLOAD_KEEP: usize = 10_000;
/// Organisations offered in the branch filter (deeper or further ones by `?branch=ID`).
const BRANCH_CHOICES: usize = 500;

/// `?org=ID&branch=ID&rule=DEV-003&severity=violation&as_of=YYYY-MM-DD&format=xlsx|csv`.
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ScreenQuery {
    /// The organisation whose subtree is screened (default: the account's first scope).
    pub org: Option<String>,
    /// Only this organisation's subtree (a branch within the account's reach).
    pub branch: Option<String>,
    /// Only findings of this rule id (`DEV-003`) or check code (`talk_missing`).
    pub rule: Option<String>,
    /// Only `violation` or `warning` findings.
    pub severity: Option<String>,
    /// Judge as of this day (YYYY-MM-DD; default today).
    pub as_of: Option<String>,
    /// The page only: `xlsx` or `csv` for a download of the rows.
    #[serde(default)]
    #[param(ignore)]
    pub format: String,
}

fn given(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// The day and filter a query asks for, or what is wrong with them (field by field).
pub fn read_query(q: &ScreenQuery, today: Date) -> Result<(Date, ScreenFilter), ValidationErrors> {
    let mut errors = Vec::new();
    let as_of = match given(&q.as_of) {
        None => Some(today),
        Some(raw) => match raw.parse::<Date>() {
            Ok(d) if d.year() < 1921 => {
                errors.push(FieldError::new("as_of", Reason::NumberOutOfRange { min: 1921, max: 9999 }));
                None
            }
            Ok(d) => Some(d),
            Err(_) => {
                errors.push(FieldError::new("as_of", Reason::BadDate));
                None
            }
        },
    };
    let filter = match ScreenFilter::parse(given(&q.rule).unwrap_or(""), given(&q.severity).unwrap_or("")) {
        Ok(f) => Some(f),
        Err(e) => {
            errors.push(e);
            None
        }
    };
    match (as_of, filter) {
        (Some(d), Some(f)) => Ok((d, f)),
        _ => Err(ValidationErrors(errors)),
    }
}

/// A screening run as the page, the API and the downloads show it.
pub struct Screening {
    /// The subtree asked for (the page's context).
    pub reach: Reach,
    /// The branch filtered to, if one.
    pub branch: Option<OrgRecord>,
    /// The day judged.
    pub as_of: Date,
    /// The rule and severity kept.
    pub filter: ScreenFilter,
    /// The findings.
    pub report: ScreenReport,
    /// Names of the kept cases.
    pub cases: HashMap<Uuid, ScreenedCase>,
    /// How long the screening took.
    pub took_ms: u128,
    /// Members flagged by AUD-31 (dues) as of the day's month: how many, and the first.
    pub dues: Option<(usize, Vec<DuesFlag>)>,
}

/// A member the dues run flags under AUD-31.
#[derive(Debug, Clone, serde::Serialize)]
pub struct DuesFlag {
    /// The person.
    pub person_id: Uuid,
    /// Name.
    pub name: String,
    /// Consecutive unpaid months (the longest run).
    pub longest_run: u32,
    /// Back payments more than six months late.
    pub late_back_payments: u32,
}

/// Screens what `q` asks for, keeping `keep` cases per rule: the organisation and the branch
/// must be within the account's reach for reading dossiers (403; unknown 404); a bad day,
/// rule or severity is refused field by field (422).
pub async fn screening(s: &AppState, who: &Who, q: &ScreenQuery, keep: usize) -> Result<Screening, AppError> {
    let reach = development::reach(s, who, q.org.as_deref()).await?;
    let branch = match given(&q.branch) {
        Some(b) => development::reach(s, who, Some(b)).await?.into_org(),
        None => None,
    };
    let (as_of, filter) = read_query(q, s.clock.today())?;
    let path = branch.as_ref().map_or(reach.path(), |b| b.path.as_str());
    let started = std::time::Instant::now();
    let report = s.store.screen(path, as_of, keep, filter).await?;
    let took_ms = started.elapsed().as_millis();
    let ids: Vec<Uuid> = report.groups.iter().flat_map(|g| g.cases.iter().map(|c| c.id)).collect();
    let cases = s.store.screened_cases(&ids).await?;
    let dues_org = branch.as_ref().or(reach.org());
    let dues = match dues_org {
        Some(o) if filter.rule().is_empty() => {
            let (lines, totals) =
                s.store.dues_run(o.tenant_id, &o.path, pioneer_domain::dues::Month::of(as_of), keep).await?;
            let rows = lines
                .into_iter()
                .filter(|l| !l.standing.findings.is_empty())
                .take(keep)
                .map(|l| DuesFlag {
                    person_id: l.person_id,
                    name: l.name,
                    longest_run: l.standing.longest_run,
                    late_back_payments: l.standing.late_back_payments,
                })
                .collect();
            Some((totals.flagged, rows))
        }
        _ => None,
    };
    Ok(Screening { reach, branch, as_of, filter, report, cases, took_ms, dues })
}

/// One case of a rule group, ready to show.
pub struct CaseRow {
    /// The dossier.
    pub id: Uuid,
    /// The person's name.
    pub name: String,
    /// The branch's name.
    pub branch: String,
    /// The stage on the day judged, in the reader's language.
    pub stage: &'static str,
}

/// One rule's findings, ready to show.
pub struct GroupView {
    /// Rule id.
    pub rule: &'static str,
    /// Check code.
    pub code: &'static str,
    /// Audit item ("" when none).
    pub audit: &'static str,
    /// C/T/L/U.
    pub status: String,
    /// A violation (else a warning).
    pub violation: bool,
    /// The finding, in the reader's language.
    pub message: &'static str,
    /// Where the rule comes from.
    pub citation: &'static str,
    /// Dossiers with this finding.
    pub count: u64,
    /// The first of them.
    pub rows: Vec<CaseRow>,
}

/// The groups of `report` with their cases named from `cases`, in the reader's language.
pub fn group_views(report: &ScreenReport, cases: &HashMap<Uuid, ScreenedCase>, t: &Tr) -> Vec<GroupView> {
    report
        .groups
        .iter()
        .map(|g| GroupView {
            rule: g.check.rule,
            code: g.check.code,
            audit: g.check.audit,
            status: format!("{:?}", g.check.status()),
            violation: g.check.severity == Severity::Violation,
            message: t.l(g.check.zh, g.check.en),
            citation: g.check.rule().citation,
            count: g.count,
            rows: g
                .cases
                .iter()
                .map(|c| {
                    let named = cases.get(&c.id);
                    CaseRow {
                        id: c.id,
                        name: named.map(|n| n.person_name.clone()).unwrap_or_default(),
                        branch: named.map(|n| n.org_name.clone()).unwrap_or_default(),
                        stage: t.l(c.stage.zh(), c.stage.en()),
                    }
                })
                .collect(),
        })
        .collect()
}

/// The download's header, in the reader's language.
pub fn download_header(t: &Tr) -> Vec<String> {
    [
        ("姓名", "Name"),
        ("所在党组织", "Branch"),
        ("阶段", "Stage"),
        ("规则", "Rule"),
        ("审计项", "Audit item"),
        ("性质", "Severity"),
        ("问题", "Finding"),
        ("排查日期", "As of"),
        ("档案编号", "Dossier"),
    ]
    .iter()
    .map(|&(zh, en)| t.l(zh, en).to_owned())
    .collect()
}

/// The download's rows: one per (case, finding), in the page's order (rule groups, the most
/// frequent first; cases in the order screened).
pub fn download_rows(
    report: &ScreenReport,
    cases: &HashMap<Uuid, ScreenedCase>,
    as_of: Date,
    t: &Tr,
) -> Vec<Vec<String>> {
    let as_of = as_of.to_string();
    let mut out = Vec::new();
    for g in group_views(report, cases, t) {
        let severity = if g.violation { t.s("violation") } else { t.s("warning") };
        for r in g.rows {
            out.push(vec![
                r.name,
                r.branch,
                r.stage.to_owned(),
                g.rule.to_owned(),
                g.audit.to_owned(),
                severity.to_owned(),
                g.message.to_owned(),
                as_of.clone(),
                r.id.to_string(),
            ]);
        }
    }
    out
}

#[derive(Template)]
#[template(path = "screening.html")]
struct ScreenPage {
    c: Chrome,
    org: Option<OrgRecord>,
    /// What was asked, as typed (kept when refused).
    as_of: String,
    branch: String,
    rule: String,
    severity: String,
    branches: Vec<(Uuid, String)>,
    rules: Vec<(String, String)>,
    errors: FormErrors,
    report: Option<ScreenReport>,
    groups: Vec<GroupView>,
    /// The query of the downloads (the same day and filters).
    query: Vec<(&'static str, String)>,
    took_ms: u128,
    /// AUD-31: members flagged by the dues run, how many and the first.
    dues: Option<(usize, Vec<DuesFlag>)>,
}

/// The organisations the branch filter offers: the subtree of the page's organisation, a
/// few levels deep, at most [`BRANCH_CHOICES`].
/// Each is labelled with its name, indented by its depth below the page's organisation.
pub(crate) async fn branch_choices(
    s: &AppState,
    org: Option<&OrgRecord>,
) -> Result<Vec<(Uuid, String)>, AppError> {
    let (path, depth) = org.map_or(("/", 0), |o| (o.path.as_str(), o.depth));
    let mut orgs = s.store.subtree_of(path, depth + 3).await?;
    orgs.truncate(BRANCH_CHOICES);
    let indent = |d: i64| "\u{3000}".repeat(usize::try_from(d - depth).unwrap_or(0));
    Ok(orgs.into_iter().map(|o| (o.id, format!("{}{}", indent(o.depth), o.fields.name))).collect())
}

/// The rule filter's choices, `(value, label)`: every check of the catalogue (its code,
/// labelled with its rule id and finding), and the rule id asked for if one was.
fn rule_choices(t: &Tr, asked: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    if !asked.is_empty() && !CHECKS.iter().any(|c| c.code == asked) {
        out.push((asked.to_owned(), asked.to_owned()));
    }
    let mut checks: Vec<_> = CHECKS.iter().collect();
    checks.sort_by_key(|c| (c.rule, c.code));
    out.extend(checks.into_iter().map(|c| (c.code.to_owned(), format!("{} · {}", c.rule, t.l(c.zh, c.en)))));
    out
}

/// The query of the downloads: the page's day and filters, as `(name, value)` pairs.
fn query_pairs(sc: &Screening) -> Vec<(&'static str, String)> {
    let mut q = vec![("as_of", sc.as_of.to_string())];
    if let Some(o) = sc.reach.org() {
        q.push(("org", o.id.to_string()));
    }
    if let Some(b) = &sc.branch {
        q.push(("branch", b.id.to_string()));
    }
    if !sc.filter.rule().is_empty() {
        q.push(("rule", sc.filter.rule().to_owned()));
    }
    match sc.filter.severity() {
        Some(Severity::Violation) => q.push(("severity", "violation".to_owned())),
        Some(Severity::Warning) => q.push(("severity", "warning".to_owned())),
        None => {}
    }
    q
}

/// `GET /screening[?org=ID&branch=ID&rule=&severity=&as_of=][&format=xlsx|csv]`.
pub async fn show(
    State(s): State<AppState>,
    c: Chrome,
    who: Who,
    ApiQuery(q): ApiQuery<ScreenQuery>,
) -> Result<Response, AppError> {
    let download = matches!(q.format.as_str(), "xlsx" | "csv");
    let keep = if download { DOWNLOAD_KEEP } else { PAGE_KEEP };
    let sc = match screening(&s, &who, &q, keep).await {
        Ok(sc) => sc,
        Err(AppError::Invalid(e)) if !download => {
            let org = development::reach(&s, &who, q.org.as_deref()).await?.into_org();
            let page = ScreenPage {
                branches: branch_choices(&s, org.as_ref()).await?,
                org,
                as_of: q.as_of.clone().unwrap_or_default(),
                branch: q.branch.clone().unwrap_or_default(),
                rule: q.rule.clone().unwrap_or_default(),
                severity: q.severity.clone().unwrap_or_default(),
                rules: rule_choices(&c.t, q.rule.as_deref().unwrap_or("").trim()),
                errors: FormErrors::new(&e, &c.t),
                report: None,
                groups: Vec::new(),
                query: Vec::new(),
                took_ms: 0,
                dues: None,
                c,
            };
            return Ok(html_status(StatusCode::UNPROCESSABLE_ENTITY, page.render()?));
        }
        Err(e) => return Err(e),
    };
    if download {
        return crate::pages::table_download(
            &q.format,
            "排查结果",
            ["screening.csv", "screening.xlsx"],
            &download_header(&c.t),
            &download_rows(&sc.report, &sc.cases, sc.as_of, &c.t),
        );
    }
    let page = ScreenPage {
        branches: branch_choices(&s, sc.reach.org()).await?,
        as_of: sc.as_of.to_string(),
        branch: sc.branch.as_ref().map(|b| b.id.to_string()).unwrap_or_default(),
        rule: sc.filter.rule().to_owned(),
        severity: match sc.filter.severity() {
            Some(Severity::Violation) => "violation".to_owned(),
            Some(Severity::Warning) => "warning".to_owned(),
            None => String::new(),
        },
        rules: rule_choices(&c.t, sc.filter.rule()),
        errors: FormErrors::default(),
        groups: group_views(&sc.report, &sc.cases, &c.t),
        query: query_pairs(&sc),
        took_ms: sc.took_ms,
        dues: sc.dues,
        report: Some(sc.report),
        org: sc.reach.into_org(),
        c,
    };
    Ok(html(page.render()?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn ask(as_of: &str, rule: &str, severity: &str) -> Result<(Date, ScreenFilter), Vec<&'static str>> {
        let q = ScreenQuery {
            as_of: Some(as_of.into()),
            rule: Some(rule.into()),
            severity: Some(severity.into()),
            ..Default::default()
        };
        read_query(&q, date(2026, 11, 29)).map_err(|e| e.0.iter().map(|f| f.field).collect())
    }

    #[test]
    fn the_query_gives_a_day_and_a_filter_or_names_each_bad_field() {
        assert_eq!(ask("", "", "").map(|r| r.0), Ok(date(2026, 11, 29)), "today by default");
        assert_eq!(ask(" 2027-01-15 ", "", "").map(|r| r.0), Ok(date(2027, 1, 15)), "a later day too");
        assert_eq!(ask("", "talk_missing", "violation").map(|r| r.1.rule()), Ok("talk_missing"));
        assert_eq!(ask("2026-02-30", "", ""), Err(vec!["as_of"]));
        assert_eq!(ask("1900-01-01", "", ""), Err(vec!["as_of"]));
        assert_eq!(ask("29/11/2026", "DEV-999", ""), Err(vec!["as_of", "rule"]));
        assert_eq!(ask("", "", "grave"), Err(vec!["severity"]));
    }
}
