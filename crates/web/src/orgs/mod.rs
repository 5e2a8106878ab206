//! Organisations: the tree and its forms (pages) and `/api/v1/organizations` (API).
//!
//! The work of each action lives here, once, and both sides call it: the pages read a
//! form and answer with a page or a redirect, the API reads JSON and answers with JSON;
//! what is loaded, who is allowed and what reaches the store is the same. Changing an
//! organisation starts with [`writable`], whose [`WritableOrg`] the change functions take.

pub mod api;
pub mod officers;
pub mod pages;

use crate::AppState;
use crate::auth::Who;
use crate::error::AppError;
use crate::forms::OrgForm;
use jiff::civil::Date;
use pioneer_domain::Reason;
use pioneer_domain::accounts::access::Permission;
use pioneer_domain::orgs::OrgFields;
use pioneer_store::orgs::OrgRecord;
use uuid::Uuid;

/// The parent id as typed: empty is none, anything but an id is an unknown organisation.
pub fn parent(raw: Option<&str>) -> Result<Option<uuid::Uuid>, AppError> {
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => uuid::Uuid::try_parse(s)
            .map(Some)
            .map_err(|_| AppError::field("parent_id", Reason::UnknownOrganization)),
    }
}

/// Creating under a parent needs the parent in scope; a top organisation needs a
/// deployment-wide grant. An unknown parent is left for the field check to report.
pub async fn allow_parent(s: &AppState, who: &Who, parent: Option<Uuid>) -> Result<(), AppError> {
    match parent {
        Some(p) => match s.store.org(p).await {
            Ok(o) => s.allow(who, Permission::WriteOrgs, &o.path).await,
            Err(_) => Ok(()),
        },
        None => s.allow(who, Permission::WriteOrgs, "/").await,
    }
}

/// Creates the organisation `form` describes and returns its id. Refuses a malformed
/// parent id (422), a parent out of scope or, without a parent, an account without a
/// deployment-wide grant (403), and fields or a place in the tree the rules forbid (422).
pub async fn create(s: &AppState, who: &Who, form: &OrgForm) -> Result<Uuid, AppError> {
    let parent_id = parent(form.parent_id.as_deref())?;
    allow_parent(s, who, parent_id).await?;
    let fields = OrgFields::parse(&form.input())?;
    Ok(s.store.create_org(&fields, parent_id, &who.act).await?)
}

/// The organisation `id`, when `who` may read it: unknown is 404, out of scope 403.
pub async fn readable(s: &AppState, who: &Who, id: Uuid) -> Result<OrgRecord, AppError> {
    let org = s.store.org(id).await?;
    s.allow(who, Permission::ReadOrgs, &org.path).await?;
    Ok(org)
}

/// An organisation `who` may change. Only [`writable`] makes one, so the change
/// functions below cannot be reached without the scope check.
#[derive(Debug)]
pub struct WritableOrg(OrgRecord);

impl std::ops::Deref for WritableOrg {
    type Target = OrgRecord;

    fn deref(&self) -> &OrgRecord {
        &self.0
    }
}

/// The organisation `id`, when `who` may change it: unknown is 404, out of scope 403.
pub async fn writable(s: &AppState, who: &Who, id: Uuid) -> Result<WritableOrg, AppError> {
    let org = s.store.org(id).await?;
    s.allow(who, Permission::WriteOrgs, &org.path).await?;
    Ok(WritableOrg(org))
}

/// Replaces the organisation's fields with `form`'s (its parent stays: see [`move_to`]).
/// Refuses fields the rules forbid (422).
pub async fn update(s: &AppState, who: &Who, org: &WritableOrg, form: &OrgForm) -> Result<(), AppError> {
    let fields = OrgFields::parse(&form.input())?;
    Ok(s.store.update_org(org.id, &fields, &who.act).await?)
}

/// Moves the organisation, with its subtree, under `new_parent`. Refuses a new parent out
/// of scope (403), and a move into its own subtree, to another deployment or to a place
/// the tree's rules forbid (422); an unknown new parent is the store's refusal.
pub async fn move_to(s: &AppState, who: &Who, org: &WritableOrg, new_parent: Uuid) -> Result<(), AppError> {
    if let Ok(target) = s.store.org(new_parent).await {
        s.allow(who, Permission::WriteOrgs, &target.path).await?;
    }
    Ok(s.store.move_org(org.id, new_parent, &who.act).await?)
}

/// Closes the organisation on `on`. Refuses (422) one already closed, a date in the
/// future, and while it has open sub-organisations or people.
pub async fn close(s: &AppState, who: &Who, org: &WritableOrg, on: Date) -> Result<(), AppError> {
    Ok(s.store.close_org(org.id, on, s.clock.today(), &who.act).await?)
}
