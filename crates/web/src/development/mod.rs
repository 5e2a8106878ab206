//! Member development: the work queue and case pages, the step forms, imports, the notice
//! board, the rule catalogue and settings, screening, training and contacts (pages) and
//! `/api/v1/dossiers`, `/work-queue`, `/screening`, `/notices`, `/rules` (API).
//!
//! The work the pages and the API share lives here, once: which subtree a list covers
//! ([`reach`]), opening a dossier ([`open`]), a case as the rules see it today ([`case`]),
//! and recording an event ([`recordable`], then [`record`]). The pages read forms and
//! answer with pages, the API reads and answers JSON.

pub mod api;
pub mod applications;
pub mod contacts;
pub mod dossier_form;
pub mod dossier_import;
pub mod dossiers;
pub mod notices;
pub mod objections;
pub mod rules;
pub mod screening;
pub mod training;
pub mod work_api;

use crate::AppState;
use crate::auth::Who;
use crate::error::AppError;
use crate::scope::scope_org;
use jiff::ToSpan;
use pioneer_domain::Reason;
use pioneer_domain::accounts::access::Permission;
use pioneer_domain::development::dossier::{Key, Kind};
use pioneer_domain::development::engine::{self, Evaluation};
use pioneer_store::StoreError;
use pioneer_store::development::dossiers::{DossierRecord, DossierSummary, NewEvent};
use pioneer_store::orgs::OrgRecord;
use uuid::Uuid;

/// The organisation subtree a list of dossiers covers; only [`reach`] makes one.
#[derive(Debug)]
pub struct Reach {
    org: Option<OrgRecord>,
    path: String,
}

impl Reach {
    /// The organisation, or none for an account that reaches every deployment.
    pub fn org(&self) -> Option<&OrgRecord> {
        self.org.as_ref()
    }

    /// The subtree's path (`/` for everything).
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The organisation, for a page to show.
    pub fn into_org(self) -> Option<OrgRecord> {
        self.org
    }
}

/// The subtree a dossier list covers: the organisation asked for, which must be in the
/// account's scope for reading dossiers (else 403; unknown is 404), or else the account's
/// first scope (403 without one).
pub async fn reach(s: &AppState, who: &Who, org: Option<&str>) -> Result<Reach, AppError> {
    let org = scope_org(s, who, Permission::ReadDossiers, org).await?;
    let path = org.as_ref().map_or("/".to_owned(), |o| o.path.clone());
    Ok(Reach { org, path })
}

/// The work queue of the subtree: open cases with a step due within a week, overdue ones
/// first, at most `limit`.
pub async fn work_queue(s: &AppState, reach: &Reach, limit: i64) -> Result<Vec<DossierSummary>, AppError> {
    let today = s.clock.today();
    let week = today.checked_add(7.days()).unwrap_or(today);
    Ok(s.store.due_dossiers(reach.path(), week, limit).await?)
}

/// What [`open`] does when the person already has a dossier.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Existing {
    /// Refuse: a person has one dossier (the API).
    Refuse,
    /// Answer with the one they have (the page goes there).
    Reuse,
}

/// Opens a member-development dossier for the person `person_id` (as typed) and returns
/// its id. Refuses a malformed or unknown person (422) and one out of the account's scope
/// for writing dossiers (403); a person who has a dossier is refused (422) or answered
/// with it, as `existing` says.
pub async fn open(s: &AppState, who: &Who, person_id: &str, existing: Existing) -> Result<Uuid, AppError> {
    let unknown = || AppError::field("person_id", Reason::UnknownPerson);
    let person_id = Uuid::try_parse(person_id.trim()).map_err(|_| unknown())?;
    let p = match s.store.person(person_id).await {
        Ok(p) => p,
        Err(StoreError::NotFound) => return Err(unknown()),
        Err(e) => return Err(e.into()),
    };
    s.allow(who, Permission::WriteDossiers, &p.org_path).await?;
    if existing == Existing::Reuse
        && let Some(id) = s.store.dossier_of_person(person_id).await?
    {
        return Ok(id);
    }
    Ok(s.store.open_dossier(person_id, &who.act).await?)
}

/// The dossier `id` and what the rules say about it today (its organisation's settings
/// applied). Unknown is 404; out of the account's scope for reading dossiers, 403.
pub async fn case(s: &AppState, who: &Who, id: Uuid) -> Result<(DossierRecord, Evaluation), AppError> {
    let d = s.store.dossier(id).await?;
    s.allow(who, Permission::ReadDossiers, &d.org_path).await?;
    let settings = s.store.dev_settings_for(&d.org_path).await?;
    let e = engine::evaluate(&s.store.rule_book().await?, &d.dossier, &settings, s.clock.today());
    Ok((d, e))
}

/// A dossier `who` may record on, for the kind of event [`recordable`] was asked about.
/// Only [`recordable`] makes one, so [`record`] cannot be reached without the scope check.
#[derive(Debug)]
pub struct RecordableDossier(DossierRecord);

impl RecordableDossier {
    /// The record, for showing it again.
    pub fn into_record(self) -> DossierRecord {
        self.0
    }
}

impl std::ops::Deref for RecordableDossier {
    type Target = DossierRecord;

    fn deref(&self) -> &DossierRecord {
        &self.0
    }
}

/// The dossier `id`, when `who` may record `kind` on it (none: a kind not known yet, to
/// be refused when the event is read). A filing's answer (`filing_ack`, `filing_return`,
/// answering the filing event `filing`) belongs to the organisation filed with and to no
/// one else: the organisation that filed cannot acknowledge its own filing. Everything
/// else belongs to the dossier's organisation. Unknown is 404; out of scope, 403.
pub async fn recordable(
    s: &AppState,
    who: &Who,
    id: Uuid,
    kind: Option<Kind>,
    filing: Option<u32>,
) -> Result<RecordableDossier, AppError> {
    let d = s.store.dossier(id).await?;
    if matches!(kind, Some(Kind::FilingAck | Kind::FilingReturn)) {
        let filed = d.dossier.events.iter().find(|e| Some(e.seq) == filing);
        if let Some(to) = filed.and_then(|e| e.id(Key::ToOrg)) {
            let o = s.store.org(to).await?;
            s.allow(who, Permission::WriteDossiers, &o.path).await?;
            return Ok(RecordableDossier(d));
        }
    }
    s.allow(who, Permission::WriteDossiers, &d.org_path).await?;
    Ok(RecordableDossier(d))
}

/// Records `new` on the dossier, checked by the rule engine in the store (a step that
/// breaks a hard rule is refused with the rule id, 422, unless recorded as backfill), and
/// returns what the rules say after it.
pub async fn record(
    s: &AppState,
    who: &Who,
    d: &RecordableDossier,
    new: NewEvent,
) -> Result<Evaluation, AppError> {
    Ok(s.store.record_event(d.id, new, s.clock.today(), &who.act).await?)
}
