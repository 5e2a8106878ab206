//! The officers-and-terms actions shared by the pages and the API: read and write an
//! organisation's committee, its elections and postponements (ORG-012, ORG-013), and the
//! reminder list of a subtree's terms.

use crate::AppState;
use crate::auth::Who;
use crate::error::AppError;
use jiff::civil::Date;
use pioneer_domain::accounts::access::Permission;
use pioneer_domain::orgs::officers::{
    ElectionInput, OfficerInput, PostponementInput, TermState, parse_election, parse_officer,
    parse_postponement, term_state, term_years,
};
use pioneer_store::orgs::OrgRecord;
use pioneer_store::orgs::officers::{OfficerRecord, TermRecord};
use serde::Serialize;
use uuid::Uuid;

/// An organisation's place in the reminder list.
#[derive(Debug, Clone, Serialize)]
pub struct TermLine {
    /// The organisation.
    pub org_id: Uuid,
    /// Its name.
    pub name: String,
    /// Its kind's code.
    pub kind: String,
    /// Term length in years.
    pub years: i16,
    /// The latest term.
    pub term: Option<TermRecord>,
    /// Where it stands.
    pub state: TermState,
}

/// An organisation readable with `ReadPeople` (officers are people).
pub async fn readable(s: &AppState, who: &Who, id: Uuid) -> Result<OrgRecord, AppError> {
    let org = s.store.org(id).await?;
    s.allow(who, Permission::ReadPeople, &org.path).await?;
    Ok(org)
}

/// An organisation writable with `WritePeople`.
pub async fn writable(s: &AppState, who: &Who, id: Uuid) -> Result<OrgRecord, AppError> {
    let org = s.store.org(id).await?;
    s.allow(who, Permission::WritePeople, &org.path).await?;
    Ok(org)
}

/// An organisation's current officers, latest term and its state.
pub async fn committee(
    s: &AppState,
    org: &OrgRecord,
) -> Result<(Vec<OfficerRecord>, Option<TermRecord>, TermState), AppError> {
    let officers = s.store.officers_of(org.tenant_id, org.id, true).await?;
    let term = s.store.latest_term(org.tenant_id, org.id).await?;
    let state = term_state(term.as_ref().map(|t| (t.ends_on, t.postponed_to)), s.clock.today());
    Ok((officers, term, state))
}

/// Appoints a member of the organisation's subtree to a post.
pub async fn appoint(s: &AppState, who: &Who, org: &OrgRecord, f: &OfficerInput) -> Result<Uuid, AppError> {
    let person = Uuid::try_parse(f.person_id.trim()).map_err(|_| {
        AppError::field(
            "person_id",
            if f.person_id.trim().is_empty() {
                pioneer_domain::Reason::Required
            } else {
                pioneer_domain::Reason::UnknownPerson
            },
        )
    });
    let fields = parse_officer(f, s.clock.today());
    let ((post, since), person) = match (fields, person) {
        (Ok(f), Ok(p)) => (f, p),
        (Err(mut v), Err(AppError::Invalid(e))) => {
            v.0.extend(e.0);
            return Err(AppError::Invalid(v));
        }
        (Err(v), _) => return Err(AppError::Invalid(v)),
        (_, Err(e)) => return Err(e),
    };
    Ok(s.store.appoint_officer(org.id, person, post, since, &who.act).await?)
}

/// Ends a post on `until` (today when empty).
pub async fn end(s: &AppState, who: &Who, id: Uuid, until: &str) -> Result<OrgRecord, AppError> {
    let (_, path, o) = s.store.officer(id).await?;
    s.allow(who, Permission::WritePeople, &path).await?;
    let until =
        match pioneer_domain::text::optional_date("until", until).map_err(|e| AppError::Invalid(e.into()))? {
            Some(d) if d > s.clock.today() => {
                return Err(AppError::field("until", pioneer_domain::Reason::DateInFuture));
            }
            d => d.unwrap_or(s.clock.today()),
        };
    s.store.end_officer(id, until, &who.act).await?;
    Ok(s.store.org(o.org_id).await?)
}

/// Records an election (a new term).
pub async fn elect(s: &AppState, who: &Who, org: &OrgRecord, f: &ElectionInput) -> Result<Uuid, AppError> {
    let previous = s.store.latest_term(org.tenant_id, org.id).await?.map(|t| t.elected_on);
    let (on, note) = parse_election(f, previous, s.clock.today())?;
    Ok(s.store.record_election(org.id, on, note.as_deref(), &who.act).await?)
}

/// Postpones the current term with approval (at most a year, ORG-013).
pub async fn postpone(
    s: &AppState,
    who: &Who,
    org: &OrgRecord,
    f: &PostponementInput,
) -> Result<(), AppError> {
    let term = s.store.latest_term(org.tenant_id, org.id).await?.ok_or_else(|| {
        AppError::field(
            "postponed_to",
            pioneer_domain::Reason::Refused {
                zh: "尚未录入本届换届信息", en: "no election recorded yet"
            },
        )
    })?;
    let (to, decision) = parse_postponement(f, term.ends_on)?;
    Ok(s.store.postpone_term(org.id, to, &decision, &who.act).await?)
}

/// The reminder list of a subtree: every organisation that is elected, expired first,
/// then due soon, unknown, running.
pub async fn reminders(s: &AppState, org: &OrgRecord, today: Date) -> Result<Vec<TermLine>, AppError> {
    let orgs = s.store.subtree_of(&org.path, 100).await?;
    let terms = s.store.latest_terms_in(org.tenant_id, &org.path).await?;
    let mut lines: Vec<TermLine> = orgs
        .into_iter()
        .filter(|o| o.closed_on.is_none())
        .filter_map(|o| {
            let years = term_years(o.fields.kind)?;
            let term = terms.iter().find(|t| t.org_id == o.id).cloned();
            let state = term_state(term.as_ref().map(|t| (t.ends_on, t.postponed_to)), today);
            Some(TermLine {
                org_id: o.id,
                name: o.fields.name,
                kind: o.fields.kind.code().to_owned(),
                years,
                term,
                state,
            })
        })
        .collect();
    let rank = |s: &TermState| match s {
        TermState::Expired { .. } => 0,
        TermState::DueSoon { .. } => 1,
        TermState::Unknown => 2,
        TermState::Running { .. } => 3,
    };
    lines.sort_by_key(|l| rank(&l.state));
    Ok(lines)
}
