//! The form for every step and record of a dossier, built from the procedure's field table:
//! shown with what the system will fill in, checked by the rule engine when sent (refused
//! with the rule's id, the typed values kept), and for votes a "check the count" button
//! that shows quorum and majority as the server computes them.

use crate::AppState;
use crate::api::query::ApiQuery;
use crate::auth::Who;
use crate::development;
use crate::development::dossiers::vote_line;
use crate::error::AppError;
use crate::forms::FormErrors;
use crate::i18n::Tr;
use crate::pages::{Chrome, html, html_status};
use crate::scope::path_id;
use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use jiff::civil::Date;
use pioneer_domain::development::dossier::{Event, FieldSpec, Kind, Source, Ty, choice_label, parse_fields};
use pioneer_domain::development::vote;
use pioneer_domain::{Reason, ValidationErrors};
use pioneer_store::development::dossiers::{DossierRecord, NewEvent};
use std::collections::HashMap;

/// One input of the form.
pub struct Input {
    /// Field code.
    pub name: &'static str,
    /// Label.
    pub label: &'static str,
    /// `date`, `number`, `text`, `textarea`, `checkbox` or `select`.
    pub widget: &'static str,
    /// Required.
    pub required: bool,
    /// Current value.
    pub value: String,
    /// Options of a select: (value, label).
    pub options: Vec<(String, String)>,
    /// Bounds of a number.
    pub min: i64,
    /// Upper bound.
    pub max: i64,
    /// Refusal shown beside it.
    pub error: Option<String>,
}

#[derive(Template)]
#[template(path = "dossier_record.html")]
struct RecordPage {
    c: Chrome,
    d: DossierRecord,
    kind_code: &'static str,
    kind_name: &'static str,
    inputs: Vec<Input>,
    on: String,
    backfill: bool,
    corrects: String,
    errors: FormErrors,
    vote: bool,
    full_members: Option<i64>,
    count: Option<String>,
    classes: Vec<(uuid::Uuid, String)>,
}

fn kind_of(code: &str) -> Result<Kind, AppError> {
    Kind::from_code(code).ok_or(AppError::NotFound)
}

/// The filing event a filing's answer answers (its `filing` field), for the scope check.
fn filing_of(values: &HashMap<String, String>) -> Option<u32> {
    values.get("filing").and_then(|v| v.trim().parse().ok())
}

async fn inputs(
    s: &AppState,
    t: &Tr,
    d: &DossierRecord,
    kind: Kind,
    values: &HashMap<String, String>,
    errors: &FormErrors,
) -> Result<Vec<Input>, AppError> {
    let members = if kind.fields().iter().any(|f| f.key.ty() == Ty::Person) {
        let scope = d.org_path.split('/').filter(|x| !x.is_empty()).take(1).map(|x| format!("/{x}/")).next();
        s.store.member_choices(scope.as_deref().unwrap_or(&d.org_path), 500).await?
    } else {
        Vec::new()
    };
    let upper = {
        let here = s.store.org(d.org_id).await?;
        let mut v = s.store.ancestors(&here).await?;
        v.push(here);
        v
    };
    let mut out = Vec::new();
    for FieldSpec { key, source } in kind.fields() {
        if *source == Source::Captured {
            continue;
        }
        let name = key.code();
        let value = values.get(name).cloned().unwrap_or_default();
        let (widget, options, min, max) = match key.ty() {
            Ty::Date => ("date", Vec::new(), 0, 0),
            Ty::Int(lo, hi) => ("number", Vec::new(), lo, hi),
            Ty::Text(n) if n > 200 => ("textarea", Vec::new(), 0, 0),
            Ty::Text(_) => ("text", Vec::new(), 0, 0),
            Ty::Bool => ("checkbox", Vec::new(), 0, 0),
            Ty::Choice(codes) => (
                "select",
                codes
                    .iter()
                    .map(|c| {
                        let (zh, en) = choice_label(c);
                        ((*c).to_owned(), t.l(zh, en).to_owned())
                    })
                    .collect(),
                0,
                0,
            ),
            Ty::Person => (
                "select",
                members
                    .iter()
                    .map(|(id, n, status)| {
                        let tag = if status == "full_member" {
                            ""
                        } else {
                            t.l("（预备党员）", " (probationary)")
                        };
                        (id.to_string(), format!("{n}{tag}"))
                    })
                    .collect(),
                0,
                0,
            ),
            Ty::Org => {
                ("select", upper.iter().map(|o| (o.id.to_string(), o.fields.name.clone())).collect(), 0, 0)
            }
        };
        out.push(Input {
            name,
            label: t.l(key.zh(), key.en()),
            widget,
            required: *source == Source::Required && key.ty() != Ty::Bool,
            value,
            options,
            min,
            max,
            error: errors.get(name).map(str::to_owned),
        });
    }
    Ok(out)
}

#[expect(clippy::too_many_arguments, reason = "one page's parts")]
async fn page(
    s: &AppState,
    c: Chrome,
    d: DossierRecord,
    kind: Kind,
    values: &HashMap<String, String>,
    errors: FormErrors,
    count: Option<String>,
    today: Date,
) -> Result<RecordPage, AppError> {
    let vote = matches!(kind, Kind::Step(15 | 23));
    let classes = if kind == Kind::Step(11) {
        s.store
            .attendance_of_person(d.person_id)
            .await?
            .into_iter()
            .map(|a| (a.class.id, format!("{}（{}）", a.class.class.title, a.class.class.starts_on)))
            .collect()
    } else {
        Vec::new()
    };
    let full_members = if vote { Some(s.store.count_full_members(d.org_id, today).await?) } else { None };
    let mut values = values.clone();
    if let (Some(n), None) = (full_members, values.get("expected")) {
        values.insert("expected".into(), n.to_string());
    }
    Ok(RecordPage {
        inputs: inputs(s, &c.t, &d, kind, &values, &errors).await?,
        kind_code: kind.code(),
        kind_name: c.t.l(kind.zh(), kind.en()),
        on: values.get("on").cloned().unwrap_or_else(|| today.to_string()),
        backfill: values.get("backfill").is_some_and(|v| !v.is_empty()),
        corrects: values.get("corrects").cloned().unwrap_or_default(),
        errors,
        vote,
        full_members,
        count,
        classes,
        d,
        c,
    })
}

/// `GET /dossiers/{id}/record/{kind}`.
pub async fn form(
    State(s): State<AppState>,
    c: Chrome,
    who: Who,
    Path((id, kind)): Path<(String, String)>,
    ApiQuery(prefill): ApiQuery<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let kind = kind_of(&kind)?;
    let d = development::recordable(&s, &who, path_id(&id)?, Some(kind), filing_of(&prefill)).await?;
    let today = s.clock.today();
    let mut prefill = prefill;
    // The training step takes the days and hours the person completed in a class.
    if let Some(class) = prefill.get("from_class").and_then(|c| uuid::Uuid::try_parse(c).ok()) {
        let attended = s.store.attendance_of_person(d.person_id).await?;
        if let Some(a) = attended.iter().find(|a| a.class.id == class) {
            let (title, starts, ends, days, hours, passed) =
                pioneer_store::development::training::training_step_values(a);
            for (k, v) in [
                ("class", title),
                ("started_on", starts.to_string()),
                ("on", ends.to_string()),
                ("days", days.to_string()),
                ("hours", hours.to_string()),
                ("passed", if passed { "1" } else { "0" }.to_owned()),
            ] {
                prefill.insert(k.to_owned(), v);
            }
        }
    }
    let d = d.into_record();
    Ok(html(page(&s, c, d, kind, &prefill, FormErrors::default(), None, today).await?.render()?))
}

/// Reads the form into a new event, or every refusal.
fn read(kind: Kind, v: &HashMap<String, String>) -> Result<NewEvent, ValidationErrors> {
    let mut errs = ValidationErrors::default();
    let on = match v.get("on").map(|x| x.trim()).unwrap_or("") {
        "" => {
            errs.push("on", Reason::Required);
            None
        }
        x => x.parse::<Date>().map_err(|_| errs.push("on", Reason::BadDate)).ok(),
    };
    let corrects = match v.get("corrects").map(|x| x.trim()).unwrap_or("") {
        "" => None,
        x => x
            .parse::<u32>()
            .map_err(|_| errs.push("corrects", Reason::NumberOutOfRange { min: 1, max: 100_000 }))
            .ok(),
    };
    let fields = match parse_fields(kind, |k| v.get(k).map(String::as_str)) {
        Ok(f) => Some(f),
        Err(e) => {
            errs.0.extend(e.0);
            None
        }
    };
    let backfill = v.get("backfill").is_some_and(|x| !x.is_empty());
    errs.into_result()?;
    match (on, fields) {
        (Some(on), Some(fields)) => Ok(NewEvent { kind, on, fields, corrects, backfill }),
        _ => Err(ValidationErrors::default()),
    }
}

/// A vote's count as the server computes it, and whether the page stops before
/// recording: for a preview, or when the expected voters are refused (DEV-026).
async fn vote_check(
    s: &AppState,
    t: &Tr,
    d: &DossierRecord,
    new: &NewEvent,
    preview: bool,
) -> Result<Option<(FormErrors, Option<String>)>, AppError> {
    if !vote::is_vote(new.kind) {
        return Ok(None);
    }
    let full = s.store.count_full_members(d.org_id, new.on).await?;
    let ev = Event {
        seq: 0,
        kind: new.kind,
        on: new.on,
        corrects: None,
        backfill: new.backfill,
        fields: new.fields.clone(),
    };
    let checked = vote::check_expected_voters(&ev, full);
    if !preview && checked.is_ok() {
        return Ok(None);
    }
    let errors = checked.err().map(|e| FormErrors::new(&e.into(), t)).unwrap_or_default();
    Ok(Some((errors, vote_line(t, &ev))))
}

/// `POST /dossiers/{id}/record/{kind}`: records it, or shows the form again with the
/// refusals (422); `preview` shows the computed count without recording.
pub async fn record(
    State(s): State<AppState>,
    c: Chrome,
    who: Who,
    Path((id, kind)): Path<(String, String)>,
    Form(values): Form<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let kind = kind_of(&kind)?;
    let d = development::recordable(&s, &who, path_id(&id)?, Some(kind), filing_of(&values)).await?;
    let refused = |e: &ValidationErrors| (StatusCode::UNPROCESSABLE_ENTITY, FormErrors::new(e, &c.t), None);
    let (status, errors, count) = match read(kind, &values) {
        Err(e) => refused(&e),
        Ok(new) => match vote_check(&s, &c.t, &d, &new, values.contains_key("preview")).await? {
            Some((errors, count)) if errors.any() => (StatusCode::UNPROCESSABLE_ENTITY, errors, count),
            Some((errors, count)) => (StatusCode::OK, errors, count),
            None => match development::record(&s, &who, &d, new).await {
                Ok(_) => return Ok(Redirect::to(&format!("/dossiers/{}#e-latest", d.id)).into_response()),
                Err(AppError::Invalid(e)) => refused(&e),
                Err(e) => return Err(e),
            },
        },
    };
    let p = page(&s, c, d.into_record(), kind, &values, errors, count, s.clock.today()).await?;
    Ok(html_status(status, p.render()?))
}
