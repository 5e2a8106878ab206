//! Volunteer service (志愿服务): the volunteer's phone flow (open shifts near them, sign up,
//! check in and out, their hours and certificate), the team leader's (staff a request,
//! record attendance, confirm hours) and the organiser's (teams, requests, campaigns,
//! donations), as pages and their `/api/v1` twins, both through [`actions`]; the outbox
//! sender in [`outbox`].

pub mod actions;
pub mod admin;
pub mod api;
pub mod outbox;
pub mod volunteer;

use crate::AppState;
use crate::auth::Who;
use crate::error::AppError;
use pioneer_domain::accounts::access::Permission;
use pioneer_store::service::requests::RequestRecord;
use pioneer_store::service::teams::TeamRecord;

/// The local time now (China), as shifts are written.
pub fn local_now(s: &AppState) -> jiff::civil::DateTime {
    s.clock.now().to_zoned(crate::clock::china()).datetime()
}

/// Refuses unless `who` manages volunteer service where `org_path` lies.
pub async fn manage(s: &AppState, who: &Who, org_path: &str) -> Result<(), AppError> {
    s.allow(who, Permission::ManageService, org_path).await
}

/// Whether `who` is the team's leader.
pub fn leads(who: &Who, team: &TeamRecord) -> bool {
    who.user.person_id.is_some() && team.leader_id == who.user.person_id
}

/// Refuses unless `who` leads the team or manages its organisation.
pub async fn lead_team(s: &AppState, who: &Who, team: &TeamRecord) -> Result<(), AppError> {
    if leads(who, team) {
        return Ok(());
    }
    manage(s, who, &team.org_path).await
}

/// Refuses unless `who` leads the team that staffs the request or manages the organisation
/// that accepted it.
pub async fn lead_request(s: &AppState, who: &Who, r: &RequestRecord) -> Result<(), AppError> {
    if let Some(team) = r.team_id
        && let Ok(team) = s.store.team(team).await
        && leads(who, &team)
    {
        return Ok(());
    }
    manage(s, who, &r.org_path).await
}

/// The term of a volunteer-service code (team, vehicle, requester and request kinds,
/// urgency, donation kind, request status) in the page's language; an unknown code as is.
pub fn term(t: &crate::i18n::Tr, code: &str) -> String {
    use pioneer_domain::service::donations::DonationKind;
    use pioneer_domain::service::requests::{RequestKind, RequestStatus, RequesterKind, Urgency};
    use pioneer_domain::service::teams::{TeamKind, Vehicle};
    macro_rules! try_enum {
        ($($e:ty),+) => {
            $(if let Some(v) = <$e>::from_code(code) {
                return t.l(v.zh(), v.en()).to_owned();
            })+
        };
    }
    try_enum!(TeamKind, Vehicle, RequesterKind, RequestKind, Urgency, RequestStatus, DonationKind);
    code.to_owned()
}
