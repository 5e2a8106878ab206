//! Accounts in the web layer: login and logout, the session cookie, the signed-in user
//! ([`CurrentUser`]) and who is acting for the journal ([`Acting`]: the account or
//! `anonymous`, and the method and route), CSRF defence, the sign-in limits
//! ([`throttle`]), the permission every route needs ([`routes`]), and the scope check
//! whose refusals are journaled, repeated ones folded into a count ([`refusals`]).

pub mod csrf;
pub mod handlers;
pub mod last_seen;
pub mod password;
pub mod refusals;
pub mod routes;
pub mod second_factor;
pub mod session;
pub mod setup;
pub mod throttle;
pub mod totp;

use crate::AppState;
use crate::error::AppError;
use axum::extract::{FromRequestParts, MatchedPath};
use axum::http::request::Parts;
use pioneer_domain::accounts::access::{self, Grant, Permission, Role, Target};
use pioneer_store::Act;
use std::convert::Infallible;
use uuid::Uuid;

/// The signed-in account of a request.
#[derive(Debug, Clone)]
pub struct CurrentUser {
    /// Account id.
    pub id: Uuid,
    /// Login name.
    pub username: String,
    /// Name shown.
    pub display_name: String,
    /// Roles and where.
    pub grants: Vec<Grant>,
    /// The person the account is (members, applicants).
    pub person_id: Option<Uuid>,
    /// That person's deployment and organisation path (read with the session).
    pub person_place: Option<(Uuid, String)>,
    /// This session's CSRF token.
    pub csrf: String,
    /// The SHA-256 of the session cookie value.
    pub session_hash: String,
    /// Must choose a new password before anything else.
    pub must_change_password: bool,
    /// Signed in with the password only; the second factor is still due.
    pub second_factor_pending: bool,
    /// Has no confirmed second factor yet.
    pub needs_enrolment: bool,
}

impl CurrentUser {
    /// Whether any grant carries `permission` (for lists, narrowed later to the scopes).
    pub fn can(&self, permission: Permission) -> bool {
        access::allows(&self.grants, permission, Target::Anywhere)
    }

    /// The subtrees in which the account has `permission`.
    pub fn scopes(&self, permission: Permission) -> Vec<&str> {
        access::scopes(&self.grants, permission)
    }

    /// The organisation whose subtree a list shows by default: the first scope's.
    pub fn home_org(&self, permission: Permission) -> Option<Uuid> {
        let scope = *self.scopes(permission).first()?;
        if scope == "/" {
            return None;
        }
        self.grants.iter().find(|g| g.org_path == scope).and_then(|g| g.org_id)
    }

    /// The one tenant (top organisation) every grant and the account's person lie in;
    /// None when a grant reaches the whole deployment or the grants span tenants.
    pub fn tenant(&self) -> Option<Uuid> {
        let mut tenants = self
            .grants
            .iter()
            .map(|g| pioneer_domain::orgs::ancestors(&g.org_path).first().copied())
            .chain(self.person_place.iter().map(|(t, _)| Some(*t)));
        let first = tenants.next()??;
        tenants.all(|t| t == Some(first)).then_some(first)
    }

    /// The roles held, for the header.
    pub fn roles(&self) -> Vec<Role> {
        let mut r: Vec<Role> = self.grants.iter().map(|g| g.role).collect();
        r.sort();
        r.dedup();
        r
    }
}

impl AppState {
    /// This deployment's sign-in limits: `PIONEER_LOGIN_ATTEMPTS` failures per address, and
    /// the password policy's lockout count per account and address over its lock period.
    pub fn sign_in_limits(&self) -> throttle::Limits {
        throttle::Limits {
            per_address: self.login_attempts_per_window,
            per_account_address: usize::try_from(self.policy.lockout_after()).unwrap_or(usize::MAX),
            lock_ms: self.policy.lockout_minutes() * 60_000,
        }
    }

    /// Spends one use of public form `form` (a notice's objection, a badge's praise or
    /// complaint, a citizen's volunteer offer) from `address`: refused (429) once the address
    /// has sent as many in the window as the objection form allows (`PER_ADDRESS`). Every
    /// attempt counts, accepted or not.
    pub fn spend_public_form(&self, form: &str, address: &str) -> Result<(), crate::error::AppError> {
        let now = self.clock.now().as_millisecond();
        let limits = throttle::Limits {
            per_address: pioneer_domain::development::objections::PER_ADDRESS,
            ..self.sign_in_limits()
        };
        if self.throttle.with(|t| t.spend(form, address, &limits, now)) {
            Ok(())
        } else {
            Err(crate::error::AppError::TooManyRequests)
        }
    }

    /// Whether an account must give a second factor: always for the privileged roles, and
    /// for anyone who chose to enrol; never on the demo.
    pub fn second_factor_needed(&self, grants: &[Grant], enrolled: bool) -> bool {
        !self.waive_second_factor && (grants.iter().any(|g| g.role.needs_second_factor()) || enrolled)
    }

    /// Refuses (403) unless `user` has `permission` where `org_path` lies; a refusal for
    /// a real target is journaled, since it means someone reached outside their scope. The
    /// same refusal repeated within a minute is counted instead, and the key's next entry
    /// says how many were folded (`repeated`; see [`refusals`]), so a client refused in a
    /// loop cannot flood the journal. The time is the act's, read from `AppState::clock`.
    pub async fn authorize(
        &self,
        user: &CurrentUser,
        permission: Permission,
        org_path: &str,
        act: &Act,
    ) -> Result<(), AppError> {
        if access::allows(&user.grants, permission, Target::Org(org_path)) {
            return Ok(());
        }
        let permission = format!("{permission:?}");
        let key =
            refusals::Key { account: user.id, action: act.action.clone(), permission: permission.clone() };
        let Some(repeated) = self.refusals.refuse(key, act.at.as_millisecond()) else {
            tracing::debug!(user = %user.username, action = %act.action, "access outside scope refused again (folded)");
            return Err(AppError::Forbidden);
        };
        let what = serde_json::json!({ "permission": permission, "route": act.action, "repeated": repeated });
        if let Err(e) = self.store.journal_denial(Some(user.id), what, act).await {
            tracing::error!(error = %e, "could not journal a denial");
        }
        tracing::warn!(user = %user.username, action = %act.action, repeated, "access outside scope refused");
        Err(AppError::Forbidden)
    }
}

/// The signed-in account and the act of this request, for handlers that check scope.
#[derive(Debug, Clone)]
pub struct Who {
    /// The account.
    pub user: CurrentUser,
    /// The act (who, route, when) for the journal.
    pub act: Act,
}

impl Who {
    /// The signed-in member of the self-service pages (study, quiz): person id,
    /// deployment and organisation path. An account without a member record (an
    /// organiser's) has nothing to take or read there.
    pub fn member(&self) -> Result<(Uuid, Uuid, String), AppError> {
        if !self.user.can(Permission::ReadSelf) {
            return Err(AppError::Forbidden);
        }
        let id = self.user.person_id.ok_or_else(|| {
            AppError::Invalid(
                pioneer_domain::FieldError::new("person_id", pioneer_domain::Reason::UnknownPerson).into(),
            )
        })?;
        let (tenant, path) = self.user.person_place.clone().ok_or(AppError::NotFound)?;
        Ok((id, tenant, path))
    }
}

impl axum::extract::FromRequestParts<AppState> for Who {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let user = parts.extensions.get::<CurrentUser>().cloned().ok_or(AppError::Unauthorized)?;
        let Acting(mut act) = Acting::from_request_parts(parts, state).await.unwrap_or_else(|e| match e {});
        act.actor = user.username.clone();
        Ok(Who { user, act })
    }
}

impl AppState {
    /// [`AppState::authorize`] for a [`Who`].
    pub async fn allow(&self, who: &Who, permission: Permission, org_path: &str) -> Result<(), AppError> {
        self.authorize(&who.user, permission, org_path, &who.act).await
    }

    /// Whether `path` lies in one of `who`'s scopes for `permission` (no journal entry:
    /// for filtering lists).
    pub fn in_scope(who: &Who, permission: Permission, path: &str) -> bool {
        access::allows(&who.user.grants, permission, Target::Org(path))
    }
}

/// The [`Act`] of the current request.
#[derive(Debug, Clone)]
pub struct Acting(pub Act);

impl FromRequestParts<AppState> for Acting {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let route = parts
            .extensions
            .get::<MatchedPath>()
            .map_or_else(|| parts.uri.path().to_owned(), |m| m.as_str().to_owned());
        let actor = parts
            .extensions
            .get::<CurrentUser>()
            .map_or_else(|| "anonymous".to_owned(), |u| u.username.clone());
        Ok(Acting(Act::new(actor, format!("{} {route}", parts.method), state.clock.now())))
    }
}
