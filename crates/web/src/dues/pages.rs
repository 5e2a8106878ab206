//! The dues pages: an organisation's monthly collection sheet (`/dues`) with the forms of a
//! secretary (profile, payment, excused month, remittance), a member's dues as their
//! secretary sees them (`/dues/people/{id}`) and as they see them (`/me/dues`, with online
//! payment), and a receipt (`/dues/receipts/{id}`).

use super::actions::{self, MemberDues};
use super::{SheetQuery, month_of, term};
use crate::AppState;
use crate::api::query::ApiQuery;
use crate::auth::Who;
use crate::error::AppError;
use crate::forms::FormErrors;
use crate::pages::{Chrome, html_status};
use crate::scope::{OrgQuery, path_id};
use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use pioneer_domain::accounts::access::Permission;
use pioneer_domain::dues::payment::{ExcusalInput, PaymentInput, RemittanceInput};
use pioneer_domain::dues::profile::DuesBaseInput;
use pioneer_domain::dues::{Month, yuan};
use pioneer_store::dues::run::{DuesLine, DuesTotals};
use pioneer_store::dues::{PaymentRecord, RemittanceRecord};
use pioneer_store::orgs::OrgRecord;
use serde::Deserialize;
use std::collections::HashMap;
use uuid::Uuid;

/// Lines shown on the page (flagged and unpaid first); the totals count everyone.
const PAGE_LINES: usize = 300;

#[derive(Template)]
#[template(path = "dues.html")]
struct SheetPage {
    c: Chrome,
    org: OrgRecord,
    month: String,
    totals: DuesTotals,
    lines: Vec<DuesLine>,
    more: usize,
    org_names: HashMap<Uuid, String>,
    payments: Vec<PaymentRecord>,
    collected: i64,
    remitted: i64,
    remittances: Vec<RemittanceRecord>,
    year: Vec<(String, i64, i64, i64)>,
    members: Vec<(Uuid, String)>,
    errors: FormErrors,
    can_write: bool,
}

impl SheetPage {
    fn y(&self, fen: &i64) -> String {
        yuan(*fen)
    }
    fn term(&self, code: &str) -> String {
        term(&self.c.t, code)
    }
    fn finding(&self, f: &pioneer_domain::dues::arrears::Finding) -> String {
        let (zh, en) = f.words();
        self.c.t.l(zh, en).to_owned()
    }
    fn org_name(&self, id: &Uuid) -> String {
        self.org_names.get(id).cloned().unwrap_or_default()
    }
}

async fn sheet_page(
    s: &AppState,
    c: Chrome,
    who: &Who,
    org: OrgRecord,
    month: Month,
    errors: FormErrors,
) -> Result<Response, AppError> {
    let (mut lines, totals) = actions::run(s, &org, month).await?;
    lines.sort_by_key(|l| (l.standing.findings.is_empty(), l.standing.unpaid_months == 0, l.has_profile));
    lines.truncate(PAGE_LINES);
    let more = totals.members.saturating_sub(lines.len());
    let org_names =
        s.store.subtree_of(&org.path, 100).await?.into_iter().map(|o| (o.id, o.fields.name)).collect();
    let payments = s.store.dues_payments_in(org.tenant_id, &org.path, month).await?;
    let (collected, remitted) = s.store.dues_collected(org.tenant_id, org.id, &org.path, month).await?;
    let remittances = s.store.dues_remittances(org.tenant_id, org.id).await?;
    let year = s.store.dues_year(org.tenant_id, org.id, &org.path, month.year()).await?;
    let members = lines.iter().map(|l| (l.person_id, l.name.clone())).collect();
    let can_write = AppState::in_scope(who, Permission::WritePeople, &org.path);
    let status = if errors.any() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    let page = SheetPage {
        c,
        org,
        month: month.to_string(),
        totals,
        lines,
        more,
        org_names,
        payments,
        collected,
        remitted,
        remittances,
        year,
        members,
        errors,
        can_write,
    };
    Ok(html_status(status, page.render()?))
}

/// `GET /dues?org=ID&month=YYYY-MM`: the collection sheet.
pub async fn sheet(
    State(s): State<AppState>,
    c: Chrome,
    who: Who,
    ApiQuery(q): ApiQuery<SheetQuery>,
) -> Result<Response, AppError> {
    let org = actions::sheet_org(&s, &who, q.org.as_deref()).await?;
    let month = month_of(q.month.as_deref(), s.clock.today())?;
    sheet_page(&s, c, &who, org, month, FormErrors::default()).await
}

async fn after(
    s: &AppState,
    c: Chrome,
    who: &Who,
    org: OrgRecord,
    month: &str,
    done: Result<(), AppError>,
) -> Result<Response, AppError> {
    let month = Month::parse("month", month).unwrap_or_else(|_| Month::of(s.clock.today()));
    match done {
        Ok(()) => Ok(Redirect::to(&format!("/dues?org={}&month={month}", org.id)).into_response()),
        Err(AppError::Invalid(v)) => {
            let errors = FormErrors::new(&v, &c.t);
            sheet_page(s, c, who, org, month, errors).await
        }
        Err(e) => Err(e),
    }
}

/// `POST /dues/profiles?org=ID`: sets a member's profile.
pub async fn set_profile(
    State(s): State<AppState>,
    c: Chrome,
    who: Who,
    ApiQuery(q): ApiQuery<OrgQuery>,
    Form(f): Form<DuesBaseInput>,
) -> Result<Response, AppError> {
    let org = actions::write_org(&s, &who, &q).await?;
    let done = actions::set_profile(&s, &who, &org, &f).await;
    let month = if f.from_month.trim().is_empty() {
        Month::of(s.clock.today()).to_string()
    } else {
        f.from_month.clone()
    };
    after(&s, c, &who, org, &month, done).await
}

/// `POST /dues/payments?org=ID`: records a payment.
pub async fn pay(
    State(s): State<AppState>,
    c: Chrome,
    who: Who,
    ApiQuery(q): ApiQuery<OrgQuery>,
    Form(f): Form<PaymentInput>,
) -> Result<Response, AppError> {
    let org = actions::write_org(&s, &who, &q).await?;
    let done = actions::pay(&s, &who, &org, &f).await.map(|_| ());
    after(&s, c, &who, org, &f.month, done).await
}

/// `POST /dues/excusals?org=ID`: a month excused with a reason.
pub async fn excuse(
    State(s): State<AppState>,
    c: Chrome,
    who: Who,
    ApiQuery(q): ApiQuery<OrgQuery>,
    Form(f): Form<ExcusalInput>,
) -> Result<Response, AppError> {
    let org = actions::write_org(&s, &who, &q).await?;
    let done = actions::excuse(&s, &who, &org, &f).await;
    after(&s, c, &who, org, &f.month, done).await
}

/// `POST /dues/remittances?org=ID`: a remittance upwards.
pub async fn remit(
    State(s): State<AppState>,
    c: Chrome,
    who: Who,
    ApiQuery(q): ApiQuery<OrgQuery>,
    Form(f): Form<RemittanceInput>,
) -> Result<Response, AppError> {
    let org = actions::write_org(&s, &who, &q).await?;
    let done = actions::remit(&s, &who, &org, &f).await.map(|_| ());
    after(&s, c, &who, org, &f.month, done).await
}

#[derive(Template)]
#[template(path = "dues_person.html")]
struct PersonPage {
    c: Chrome,
    /// Where the receipts are (`/me/dues/receipts/` or `/dues/receipts/`).
    receipts: &'static str,
    name: String,
    d: MemberDues,
    own: bool,
    online: bool,
    errors: FormErrors,
}

impl PersonPage {
    fn y(&self, fen: &i64) -> String {
        yuan(*fen)
    }
    fn term(&self, code: &str) -> String {
        term(&self.c.t, code)
    }
    fn finding(&self, f: &pioneer_domain::dues::arrears::Finding) -> String {
        let (zh, en) = f.words();
        self.c.t.l(zh, en).to_owned()
    }
}

/// `GET /dues/people/{id}`: a member's dues as their secretary sees them.
pub async fn person(
    State(s): State<AppState>,
    c: Chrome,
    who: Who,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let p = s.store.person(path_id(&id)?).await?;
    s.allow(&who, Permission::ReadPeople, &p.org_path).await?;
    let d = actions::member(&s, p.tenant_id, p.id).await?;
    let page = PersonPage {
        c,
        receipts: "/dues/receipts/",
        name: p.fields.name,
        d,
        own: false,
        online: false,
        errors: FormErrors::default(),
    };
    Ok(html_status(StatusCode::OK, page.render()?))
}

async fn own_page(s: &AppState, c: Chrome, who: &Who, errors: FormErrors) -> Result<Response, AppError> {
    let (id, tenant, _) = who.member()?;
    let p = s.store.person(id).await?;
    let d = actions::member(s, tenant, id).await?;
    let status = if errors.any() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    let page = PersonPage {
        c,
        receipts: "/me/dues/receipts/",
        name: p.fields.name,
        d,
        own: true,
        online: s.dues_provider.is_some(),
        errors,
    };
    Ok(html_status(status, page.render()?))
}

/// `GET /me/dues`: the member's own dues.
pub async fn mine(State(s): State<AppState>, c: Chrome, who: Who) -> Result<Response, AppError> {
    own_page(&s, c, &who, FormErrors::default()).await
}

/// An online payment as asked on the member's page.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct OnlineInput {
    /// The month (`YYYY-MM`; this month when empty).
    pub month: String,
    /// A voluntary extra in yuan.
    pub extra: String,
}

/// Reads an online payment's month and extra.
pub fn online_fields(f: &OnlineInput, today: jiff::civil::Date) -> Result<(Month, i64), AppError> {
    let mut e = pioneer_domain::ValidationErrors::default();
    let month = if f.month.trim().is_empty() {
        Some(Month::of(today))
    } else {
        e.take(Month::parse("month", &f.month))
    };
    let extra = if f.extra.trim().is_empty() {
        Some(0)
    } else {
        e.take(pioneer_domain::dues::parse_yuan("extra", &f.extra))
    };
    e.into_result()?;
    match (month, extra) {
        (Some(m), Some(x)) => Ok((m, x)),
        _ => Err(AppError::Internal),
    }
}

/// `POST /me/dues/online`: opens an online payment and sends the member to the provider.
pub async fn pay_online(
    State(s): State<AppState>,
    c: Chrome,
    who: Who,
    Form(f): Form<OnlineInput>,
) -> Result<Response, AppError> {
    let (id, _, _) = who.member()?;
    let started = match online_fields(&f, s.clock.today()) {
        Ok((month, extra)) => actions::start_online(&s, &who, id, month, extra).await,
        Err(e) => Err(e),
    };
    match started {
        Ok(order) => Ok(Redirect::to(order.pay_url.as_deref().unwrap_or("/me/dues")).into_response()),
        Err(AppError::Invalid(v)) => {
            let errors = FormErrors::new(&v, &c.t);
            own_page(&s, c, &who, errors).await
        }
        Err(e) => Err(e),
    }
}

#[derive(Template)]
#[template(path = "dues_receipt.html")]
struct ReceiptPage {
    c: Chrome,
    p: PaymentRecord,
    org: String,
}

impl ReceiptPage {
    fn y(&self, fen: &i64) -> String {
        yuan(*fen)
    }
    fn term(&self, code: &str) -> String {
        term(&self.c.t, code)
    }
}

/// `GET /dues/receipts/{id}`: a receipt, for the member's secretary.
pub async fn receipt(
    State(s): State<AppState>,
    c: Chrome,
    who: Who,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let (_, p) = s.store.dues_payment(path_id(&id)?).await?;
    let person = s.store.person(p.person_id).await?;
    s.allow(&who, Permission::ReadPeople, &person.org_path).await?;
    let org = s.store.org(p.org_id).await?.fields.name;
    Ok(html_status(StatusCode::OK, ReceiptPage { c, p, org }.render()?))
}

/// `GET /me/dues/receipts/{id}`: one of the member's own receipts.
pub async fn my_receipt(
    State(s): State<AppState>,
    c: Chrome,
    who: Who,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let (me, _, _) = who.member()?;
    let (_, p) = s.store.dues_payment(path_id(&id)?).await?;
    if p.person_id != me {
        return Err(AppError::NotFound);
    }
    let org = s.store.org(p.org_id).await?.fields.name;
    Ok(html_status(StatusCode::OK, ReceiptPage { c, p, org }.render()?))
}
