//! Scope: the organisation a page or an API call works on, checked against the account's
//! grants (a role reaches the subtree of the organisation it is granted on). Pages and
//! their API twins call these same functions, so both refuse alike.

use crate::AppState;
use crate::auth::Who;
use crate::error::AppError;
use pioneer_domain::accounts::access::Permission;
use pioneer_store::orgs::OrgRecord;
use serde::Deserialize;

/// Parses an id from a path segment; a malformed id is simply not found.
pub fn path_id(raw: &str) -> Result<uuid::Uuid, crate::error::AppError> {
    uuid::Uuid::try_parse(raw).map_err(|_| crate::error::AppError::NotFound)
}

/// `?org=ID`.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OrgQuery {
    /// The organisation (default: the account's first scope).
    pub org: Option<String>,
}

/// The organisation a list is for: the one asked for (in scope), else the account's
/// first scope for `perm`.
pub async fn scope_org(
    s: &AppState,
    who: &Who,
    perm: Permission,
    org: Option<&str>,
) -> Result<Option<OrgRecord>, AppError> {
    match org.filter(|o| !o.is_empty()) {
        Some(id) => {
            let o = s.store.org(path_id(id)?).await?;
            s.allow(who, perm, &o.path).await?;
            Ok(Some(o))
        }
        None => {
            let first = who.user.scopes(perm).first().map(|p| (*p).to_owned());
            match first {
                Some(p) if p != "/" => {
                    let id = pioneer_domain::orgs::ancestors(&p).last().copied().ok_or(AppError::NotFound)?;
                    Ok(Some(s.store.org(id).await?))
                }
                Some(_) => Ok(None),
                None => Err(AppError::Forbidden),
            }
        }
    }
}

/// The organisation asked for (in scope), else the account's first; an account that
/// reaches everything gets the first deployment's top organisation.
pub async fn stats_org(s: &AppState, who: &Who, org: Option<&str>) -> Result<OrgRecord, AppError> {
    match scope_org(s, who, Permission::ReadPeople, org).await? {
        Some(o) => Ok(o),
        None => s.store.orgs(Some(0)).await?.into_iter().next().ok_or(AppError::NotFound),
    }
}

/// A list without an organisation shows the account's own scope; a list of another
/// organisation needs that organisation in scope.
pub async fn scope_filter(
    s: &AppState,
    who: &Who,
    filter: Option<&mut pioneer_store::people::PeopleFilter>,
) -> Result<(), AppError> {
    let Some(f) = filter else { return Ok(()) };
    match f.org {
        Some(id) => {
            let org = s
                .store
                .org(id)
                .await
                .map_err(|_| AppError::field("org", pioneer_domain::Reason::UnknownOrganization))?;
            s.allow(who, Permission::ReadPeople, &org.path).await
        }
        None => {
            f.org = who.user.home_org(Permission::ReadPeople);
            Ok(())
        }
    }
}

/// Writing people into an organisation needs that organisation in scope (an unknown or
/// malformed id is left for the field check to report).
pub async fn allow_org(s: &AppState, who: &Who, raw: &str) -> Result<(), AppError> {
    if let Ok(id) = uuid::Uuid::try_parse(raw.trim())
        && let Ok(org) = s.store.org(id).await
    {
        s.allow(who, Permission::WritePeople, &org.path).await?;
    }
    Ok(())
}

/// Whether a publication to the organisation at `published_to` is one that `org`'s people
/// may see: made to `org`'s own subtree or from above it, never to a sibling's.
pub fn published_around(org: &OrgRecord, tenant_id: uuid::Uuid, published_to: &str) -> bool {
    tenant_id == org.tenant_id && (published_to.starts_with(&org.path) || org.path.starts_with(published_to))
}
