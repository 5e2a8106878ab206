//! 关怀 for an organisation admin: the care-benefit catalogue of the organisation's subtree
//! with stock and budget, the redemptions of those benefits to fulfil (each with the
//! member's station and phone, the phone always masked: a list shows no full number, and one
//! who may unmask does so on the person's page, journaled), the organisation's own credit
//! rules (amounts and caps per source, within what the organisations above allow) and
//! crediting volunteer service.

use crate::AppState;
use crate::api::query::ApiQuery;
use crate::auth::Who;
use crate::error::AppError;
use crate::forms::FormErrors;
use crate::pages::{Chrome, html, html_status};
use crate::scope::path_id;
use crate::scope::{OrgQuery, scope_org};
use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use pioneer_domain::accounts::access::Permission;
use pioneer_domain::care::ledger::{CreditRules, Source};
use pioneer_store::StoreError;
use pioneer_store::care::credits::{CareBenefit, CreditRequest, NewCareBenefit, Redemption};
use pioneer_store::orgs::OrgRecord;
use serde::Deserialize;
use uuid::Uuid;

/// The new-benefit form.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct BenefitForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    cost: String,
    #[serde(default)]
    stock: String,
    #[serde(default)]
    price: String,
    #[serde(default)]
    budget: String,
}

/// A credit-rule field: its name, its value in force, and the most allowed from above.
type RuleField = (&'static str, i64, Option<i64>);

#[derive(Template)]
#[template(path = "care_admin.html")]
struct CarePage {
    c: Chrome,
    org: OrgRecord,
    benefits: Vec<CareBenefit>,
    redemptions: Vec<Redemption>,
    /// Per source: name, then (field, value, the most allowed from above) for amount,
    /// daily cap, weekly cap.
    rules: Vec<(&'static str, [RuleField; 3])>,
    /// Whether the organisation has rules of its own (else those above apply).
    own_rules: bool,
    /// Whether the organisation is its deployment's root (its rules are the defaults).
    root: bool,
    members: Vec<(Uuid, String, String)>,
    form: BenefitForm,
    key: Uuid,
    errors: FormErrors,
}

async fn page(
    s: &AppState,
    c: Chrome,
    org: OrgRecord,
    form: BenefitForm,
    errors: FormErrors,
) -> Result<CarePage, AppError> {
    let benefits = s.store.benefits_offered_in(org.tenant_id, &org.path).await?;
    let redemptions = s.store.redemptions(org.tenant_id, &org.path).await?;
    let tree = s.store.rules_tree(org.tenant_id).await?;
    let (r, above) = (tree.at(&org.path), tree.above(org.id, &org.path));
    let rules = Source::ALL
        .iter()
        .map(|src| {
            let (rule, max) = (r.rule(*src), above.map(|a| a.rule(*src)));
            let [a, d, w] = CreditRules::fields(*src);
            let fields = [
                (a, rule.amount, max.map(|m| m.amount)),
                (d, rule.daily_cap, max.map(|m| m.daily_cap)),
                (w, rule.weekly_cap, max.map(|m| m.weekly_cap)),
            ];
            (c.t.l(src.zh(), src.en()), fields)
        })
        .collect();
    let members = s.store.member_choices(&org.path, 500).await?;
    let (own_rules, root) = (tree.own(org.id).is_some(), above.is_none());
    Ok(CarePage {
        c,
        org,
        benefits,
        redemptions,
        rules,
        own_rules,
        root,
        members,
        form,
        key: Uuid::now_v7(),
        errors,
    })
}

async fn scope(s: &AppState, who: &Who, q: &OrgQuery) -> Result<OrgRecord, AppError> {
    scope_org(s, who, Permission::ManageCare, q.org.as_deref()).await?.ok_or(AppError::NotFound)
}

async fn refused(
    s: &AppState,
    c: Chrome,
    org: OrgRecord,
    form: BenefitForm,
    e: StoreError,
) -> Result<Response, AppError> {
    match AppError::from(e) {
        AppError::Invalid(v) => {
            let errors = FormErrors::new(&v, &c.t);
            Ok(html_status(StatusCode::UNPROCESSABLE_ENTITY, page(s, c, org, form, errors).await?.render()?))
        }
        other => Err(other),
    }
}

fn back(org: &OrgRecord) -> Response {
    Redirect::to(&format!("/admin/care?org={}", org.id)).into_response()
}

/// `GET /admin/care?org=ID`.
pub async fn show(
    State(s): State<AppState>,
    c: Chrome,
    who: Who,
    ApiQuery(q): ApiQuery<OrgQuery>,
) -> Result<Response, AppError> {
    let org = scope(&s, &who, &q).await?;
    Ok(html(page(&s, c, org, BenefitForm::default(), FormErrors::default()).await?.render()?))
}

fn number(field: &'static str, raw: &str, min: i64, max: i64) -> Result<i64, StoreError> {
    raw.trim().parse::<i64>().ok().filter(|n| (min..=max).contains(n)).ok_or_else(|| {
        pioneer_domain::FieldError::new(field, pioneer_domain::Reason::NumberOutOfRange { min, max }).into()
    })
}

/// `POST /admin/care/benefits?org=ID`: adds a benefit to the catalogue.
pub async fn add_benefit(
    State(s): State<AppState>,
    c: Chrome,
    who: Who,
    ApiQuery(q): ApiQuery<OrgQuery>,
    Form(f): Form<BenefitForm>,
) -> Result<Response, AppError> {
    let org = scope(&s, &who, &q).await?;
    let parsed = (|| {
        Ok::<_, StoreError>(NewCareBenefit {
            name: &f.name,
            cost: number("cost", &f.cost, 1, 100_000)?,
            stock: number("stock", &f.stock, 0, 1_000_000)?,
            price: number("price", if f.price.trim().is_empty() { "0" } else { &f.price }, 0, 1_000_000)?,
            budget: number(
                "budget",
                if f.budget.trim().is_empty() { "0" } else { &f.budget },
                0,
                100_000_000,
            )?,
        })
    })();
    let result = match parsed {
        Ok(b) => s.store.create_benefit(org.id, &b, &who.act).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(_) => Ok(back(&org)),
        Err(e) => refused(&s, c, org, f, e).await,
    }
}

/// `POST /admin/care/redemptions/{id}?org=ID`: marks a redemption fulfilled.
pub async fn fulfil(
    State(s): State<AppState>,
    who: Who,
    Path(id): Path<String>,
    ApiQuery(q): ApiQuery<OrgQuery>,
) -> Result<Response, AppError> {
    let org = scope(&s, &who, &q).await?;
    let id = path_id(&id)?;
    s.store.fulfil_redemption(org.tenant_id, &org.path, id, &who.act).await?;
    Ok(back(&org))
}

/// `POST /admin/care/rules?org=ID`: sets the organisation's own credit rules (within those
/// above it), or with `inherit=1` removes them so those above apply.
pub async fn save_rules(
    State(s): State<AppState>,
    c: Chrome,
    who: Who,
    ApiQuery(q): ApiQuery<OrgQuery>,
    Form(f): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let org = scope(&s, &who, &q).await?;
    if f.iter().any(|(k, v)| k == "inherit" && v == "1") {
        s.store.clear_credit_rules(org.id, &who.act).await?;
        return Ok(back(&org));
    }
    let result = match CreditRules::from_form(&f) {
        Ok(r) => s.store.set_credit_rules(org.id, &r, &who.act).await,
        Err(e) => Err(StoreError::Invalid(e)),
    };
    match result {
        Ok(()) => Ok(back(&org)),
        Err(e) => refused(&s, c, org, BenefitForm::default(), e).await,
    }
}

/// The volunteer-service form: who, and the form's own key (a resent form credits once).
#[derive(Debug, Deserialize)]
pub struct VolunteerForm {
    #[serde(default)]
    person_id: String,
    #[serde(default)]
    key: String,
}

/// `POST /admin/care/volunteer?org=ID`: credits volunteer service under the rules.
pub async fn volunteer(
    State(s): State<AppState>,
    c: Chrome,
    who: Who,
    ApiQuery(q): ApiQuery<OrgQuery>,
    Form(f): Form<VolunteerForm>,
) -> Result<Response, AppError> {
    let org = scope(&s, &who, &q).await?;
    let person = Uuid::try_parse(f.person_id.trim()).ok();
    let place = match person {
        Some(p) => s.store.person_place(p).await.ok(),
        None => None,
    };
    let (Some(person), Some((_, path))) = (person, place) else {
        let e = pioneer_domain::FieldError::new("person_id", pioneer_domain::Reason::UnknownPerson);
        return refused(&s, c, org, BenefitForm::default(), e.into()).await;
    };
    if !path.starts_with(&org.path) {
        return Err(AppError::NotFound);
    }
    let key = f.key.trim();
    if !super::form_key_ok(key) {
        let e = pioneer_domain::FieldError::new("key", pioneer_domain::Reason::Required);
        return refused(&s, c, org, BenefitForm::default(), e.into()).await;
    }
    let rule = s.store.credit_rules_at(org.tenant_id, &path).await?.volunteer;
    match s
        .store
        .credit(person, &format!("volunteer-{key}"), &CreditRequest::Earn(rule), s.clock.today(), &who.act)
        .await
    {
        Ok(_) => Ok(back(&org)),
        Err(e) => refused(&s, c, org, BenefitForm::default(), e).await,
    }
}
