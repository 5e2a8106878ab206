//! People: the list, a person's page and forms, the roster import and export, leaving,
//! self-service (pages) and `/api/v1/people` (API).
//!
//! The work of each action lives here, once, and both sides call it: the pages read a
//! form and answer with a page or a redirect, the API reads JSON and answers with JSON;
//! what is loaded, who is allowed and what reaches the store is the same. Changing a
//! person starts with [`writable`], whose [`WritablePerson`] the change functions take.

pub mod api;
pub mod departures;
pub mod departures_api;
pub mod discipline;
pub mod me;
pub mod pages;
pub mod roster;
pub mod staff_list;

use crate::AppState;
use crate::auth::Who;
use crate::error::AppError;
use crate::forms::PersonForm;
use crate::scope::{allow_org, scope_filter};
use pioneer_domain::accounts::access::Permission;
use pioneer_domain::people::departure::Departure;
use pioneer_domain::people::{PersonFields, PersonInput};
use pioneer_store::people::{PeopleFilter, PeoplePage, PersonRecord};
use uuid::Uuid;

/// Page size of the people list.
pub const PER_PAGE: u32 = 50;

/// An edit leaves the ID and phone fields empty to keep the stored numbers (they are
/// never sent back to the browser in full).
pub fn keep_sealed(mut input: PersonInput, before: &pioneer_store::people::PersonRecord) -> PersonInput {
    if input.id_card.trim().is_empty() {
        input.id_card = before.fields.id_card.as_str().to_owned();
    }
    if input.phone.trim().is_empty()
        && let Some(p) = &before.fields.phone
    {
        input.phone = p.as_str().to_owned();
    }
    input
}

/// Records that `who` saw `p`'s full numbers.
pub async fn journal_unmask(
    s: &AppState,
    who: &Who,
    p: &pioneer_store::people::PersonRecord,
) -> Result<(), AppError> {
    let change = pioneer_store::journal::Change {
        tenant_id: p.tenant_id,
        entity: "person",
        entity_id: Some(p.id),
        change: serde_json::json!({ "viewed": "unmasked id_card and phone" }),
        rows: Vec::new(),
    };
    s.store.journal_event(&change, &who.act).await?;
    Ok(())
}

/// Page `page` of the people `filter` matches ([`PER_PAGE`] a page, newest first). A
/// filter without an organisation is narrowed to the account's own scope (written back
/// into `filter`); one naming an organisation out of scope is refused (403), an unknown
/// one is a refused field (422).
pub async fn search(
    s: &AppState,
    who: &Who,
    filter: &mut PeopleFilter,
    page: u32,
) -> Result<PeoplePage, AppError> {
    scope_filter(s, who, Some(&mut *filter)).await?;
    Ok(s.store.search_people(filter, s.clock.today(), page, PER_PAGE).await?)
}

/// Registers the person `form` describes and returns their id. Refuses an organisation
/// out of scope (403) and fields the rules forbid (422).
pub async fn create(s: &AppState, who: &Who, form: &PersonForm) -> Result<Uuid, AppError> {
    allow_org(s, who, &form.org_id).await?;
    let fields = PersonFields::parse(&form.input(), s.clock.today())?;
    Ok(s.store.create_person(&fields, &who.act).await?)
}

/// The person `id`, when `who` may read them: unknown is 404, out of scope 403.
pub async fn readable(s: &AppState, who: &Who, id: Uuid) -> Result<PersonRecord, AppError> {
    let p = s.store.person(id).await?;
    s.allow(who, Permission::ReadPeople, &p.org_path).await?;
    Ok(p)
}

/// The person `id` for showing their full ID and phone numbers: needs the unmask
/// permission in scope (else 403), and the viewing is journaled before anything is shown.
pub async fn unmasked(s: &AppState, who: &Who, id: Uuid) -> Result<PersonRecord, AppError> {
    let p = s.store.person(id).await?;
    s.allow(who, Permission::Unmask, &p.org_path).await?;
    journal_unmask(s, who, &p).await?;
    Ok(p)
}

/// A person `who` may change. Only [`writable`] makes one, so the change functions below
/// cannot be reached without the scope check.
#[derive(Debug)]
pub struct WritablePerson(PersonRecord);

impl WritablePerson {
    /// The record, for showing it again.
    pub fn into_record(self) -> PersonRecord {
        self.0
    }
}

impl std::ops::Deref for WritablePerson {
    type Target = PersonRecord;

    fn deref(&self) -> &PersonRecord {
        &self.0
    }
}

/// The person `id`, when `who` may change them: unknown is 404, out of scope 403.
pub async fn writable(s: &AppState, who: &Who, id: Uuid) -> Result<WritablePerson, AppError> {
    let p = s.store.person(id).await?;
    s.allow(who, Permission::WritePeople, &p.org_path).await?;
    Ok(WritablePerson(p))
}

/// Replaces the person's fields with `form`'s, keeping the stored ID and phone numbers
/// where the form leaves them empty. Refuses a new organisation out of scope (403) and
/// fields the rules forbid (422).
pub async fn update(
    s: &AppState,
    who: &Who,
    before: &WritablePerson,
    form: &PersonForm,
) -> Result<(), AppError> {
    allow_org(s, who, &form.org_id).await?;
    let input = keep_sealed(form.input(), before);
    let fields = PersonFields::parse(&input, s.clock.today())?;
    Ok(s.store.update_person(before.id, &fields, &who.act).await?)
}

/// What recording a departure sends, from the person's page or as JSON.
#[derive(Debug, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct DepartureBody {
    /// How (see `DepartureView::kind`).
    #[schema(required = true)]
    pub departure_kind: String,
    /// The day (YYYY-MM-DD), not in the future nor before admission.
    #[schema(required = true, format = Date)]
    pub left_on: String,
    /// The decision and its document number (optional, at most 200 characters).
    pub departure_note: String,
}

/// Records that the member left: they become a non-member from that day. Refuses (422)
/// what the departure rules forbid (someone not a member, a probation cancelled for a
/// full member, a day in the future or before admission), a status changed meanwhile,
/// and a second record.
pub async fn record_departure(
    s: &AppState,
    who: &Who,
    p: &WritablePerson,
    body: &DepartureBody,
) -> Result<(), AppError> {
    let status = p.fields.status;
    let d = Departure::parse(
        &body.departure_kind,
        &body.left_on,
        &body.departure_note,
        status,
        &p.fields.dates,
        s.clock.today(),
    )?;
    Ok(s.store.record_departure(p.id, status, &d, &who.act).await?)
}

/// Withdraws the departure recorded for the person (a mistake, or 恢复党籍): the earlier
/// status comes back. Refuses (422) when none is recorded.
pub async fn withdraw_departure(s: &AppState, who: &Who, p: &WritablePerson) -> Result<(), AppError> {
    Ok(s.store.withdraw_departure(p.id, &who.act).await?)
}

/// A period of 留党察看, as the form and the API send it.
#[derive(Debug, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct DisciplineBody {
    /// The first day (YYYY-MM-DD), not in the future.
    #[schema(required = true, format = Date)]
    pub discipline_from: String,
    /// The last day (YYYY-MM-DD), at most two years on.
    #[schema(required = true, format = Date)]
    pub discipline_until: String,
    /// The decision and its document number (at most 200 characters).
    #[schema(required = true)]
    pub discipline_decision: String,
}

/// Records a period of 留党察看 for a member: from then until its last day the member's
/// standing is "disciplined", so they may not introduce or cultivate (DEV-006, DEV-014).
/// Refuses (422) someone not a member, a start to come, a period over two years, no decision.
pub async fn record_discipline(
    s: &AppState,
    who: &Who,
    p: &WritablePerson,
    body: &DisciplineBody,
) -> Result<(), AppError> {
    let d = pioneer_domain::people::discipline::DisciplinaryProbation::parse(
        &body.discipline_from,
        &body.discipline_until,
        &body.discipline_decision,
        p.fields.status,
        s.clock.today(),
    )?;
    Ok(s.store.record_discipline(p.id, &d, &who.act).await?)
}
