//! The permission every route needs, in one table: the authorisation middleware refuses
//! any route missing from it, and the matrix test walks it role by role and scope by scope.
//! Entity-level scope (which organisation, which person) is checked in the handlers.

use super::CurrentUser;
use crate::error::AppError;
use crate::forms::encode;
use axum::extract::{MatchedPath, Request};
use axum::http::Method;
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use pioneer_domain::accounts::access::Permission::{self, *};

/// What a route needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    /// Anyone, signed in or not.
    Public,
    /// Any signed-in account.
    Login,
    /// A signed-in account with this permission somewhere (the handler narrows the scope).
    Perm(Permission),
    /// A signed-in account with either permission somewhere (the account list: those who
    /// create accounts and those who grant roles, 三员分立).
    Either(Permission, Permission),
}

use Need::{Either, Login, Perm, Public};

/// Every route: method, path as routed, need.
pub const ROUTES: &[(&str, &str, Need)] = &[
    ("GET", "/healthz", Public),
    ("GET", "/readyz", Public),
    ("GET", "/static/{file}", Public),
    ("GET", "/lang/{code}", Public),
    ("GET", "/banner/off", Public),
    ("GET", "/more", Login),
    ("GET", "/login", Public),
    ("POST", "/login", Public),
    ("POST", "/logout", Login),
    ("GET", "/login/totp", Login),
    ("POST", "/login/totp", Login),
    ("GET", "/account/totp", Login),
    ("POST", "/account/totp", Login),
    ("GET", "/account/password", Login),
    ("POST", "/account/password", Login),
    ("GET", "/", Login),
    ("GET", "/orgs", Perm(ReadOrgs)),
    ("POST", "/orgs", Perm(WriteOrgs)),
    ("GET", "/orgs/new", Perm(WriteOrgs)),
    ("GET", "/orgs/{id}", Perm(ReadOrgs)),
    ("GET", "/orgs/{id}/edit", Perm(WriteOrgs)),
    ("POST", "/orgs/{id}/edit", Perm(WriteOrgs)),
    ("POST", "/orgs/{id}/move", Perm(WriteOrgs)),
    ("POST", "/orgs/{id}/close", Perm(WriteOrgs)),
    ("GET", "/people", Perm(ReadPeople)),
    ("POST", "/people", Perm(WritePeople)),
    ("GET", "/people/new", Perm(WritePeople)),
    ("GET", "/people/roster", Perm(Unmask)),
    ("GET", "/people/roster/template", Login),
    ("GET", "/people/import", Perm(WritePeople)),
    ("POST", "/people/import", Perm(WritePeople)),
    ("GET", "/people/{id}", Perm(ReadPeople)),
    ("GET", "/people/{id}/edit", Perm(WritePeople)),
    ("POST", "/people/{id}/edit", Perm(WritePeople)),
    ("POST", "/people/{id}/unmask", Perm(Unmask)),
    ("POST", "/people/{id}/departure", Perm(WritePeople)),
    ("POST", "/people/{id}/departure/withdraw", Perm(WritePeople)),
    ("POST", "/people/{id}/discipline", Perm(WritePeople)),
    ("GET", "/me", Perm(ReadSelf)),
    ("POST", "/me", Perm(WriteSelf)),
    ("GET", "/me/progress", Perm(ReadSelf)),
    ("POST", "/me/progress", Perm(WriteSelf)),
    ("GET", "/applications/{id}", Perm(WriteDossiers)),
    ("GET", "/applications/{id}/scan", Perm(WriteDossiers)),
    ("POST", "/applications/{id}/accept", Perm(WriteDossiers)),
    ("POST", "/applications/{id}/decline", Perm(WriteDossiers)),
    ("GET", "/me/credits", Perm(ReadSelf)),
    ("POST", "/me/credits", Perm(WriteSelf)),
    ("GET", "/journal", Perm(ReadJournal)),
    ("POST", "/journal/check", Perm(ReadJournal)),
    ("GET", "/admin/users", Either(ManageUsers, GrantRoles)),
    ("POST", "/admin/users", Perm(ManageUsers)),
    ("POST", "/admin/users/grants", Perm(GrantRoles)),
    ("GET", "/admin/calendar", Perm(ManageRules)),
    ("POST", "/admin/calendar", Perm(ManageRules)),
    ("GET", "/dossiers", Perm(ReadDossiers)),
    ("POST", "/dossiers", Perm(WriteDossiers)),
    ("GET", "/dossiers/import", Perm(WriteDossiers)),
    ("POST", "/dossiers/import", Perm(WriteDossiers)),
    ("GET", "/dossiers/import/template", Perm(WriteDossiers)),
    ("GET", "/dossiers/{id}", Perm(ReadDossiers)),
    ("GET", "/dossiers/{id}/record/{kind}", Perm(WriteDossiers)),
    ("POST", "/dossiers/{id}/record/{kind}", Perm(WriteDossiers)),
    ("GET", "/filings", Perm(WriteDossiers)),
    ("GET", "/screening", Perm(ReadDossiers)),
    ("GET", "/stats", Perm(ReadPeople)),
    ("GET", "/stats/people", Perm(ReadPeople)),
    ("GET", "/stats.xlsx", Perm(ReadPeople)),
    ("GET", "/stats/annual.xlsx", Perm(ReadPeople)),
    ("GET", "/api/v1/stats", Perm(ReadPeople)),
    ("GET", "/notices", Public),
    ("GET", "/notices/{notice}/objection", Public),
    ("POST", "/notices/{notice}/objection", Public),
    ("GET", "/objections", Perm(ReadDossiers)),
    ("POST", "/objections/{id}/accept", Perm(WriteDossiers)),
    ("POST", "/objections/{id}/dismiss", Perm(WriteDossiers)),
    ("GET", "/rules", Public),
    ("GET", "/training", Perm(WriteDossiers)),
    ("POST", "/training", Perm(WriteDossiers)),
    ("GET", "/training/{id}", Perm(WriteDossiers)),
    ("POST", "/training/{id}", Perm(WriteDossiers)),
    ("GET", "/contacts", Perm(WriteDossiers)),
    ("POST", "/contacts", Perm(WriteDossiers)),
    ("POST", "/contacts/{id}/visits", Perm(WriteDossiers)),
    ("GET", "/meetings", Perm(ManageMeetings)),
    ("POST", "/meetings", Perm(ManageMeetings)),
    ("POST", "/meetings/settings", Perm(ManageMeetings)),
    ("GET", "/quiz", Perm(ReadSelf)),
    ("GET", "/quiz/{id}", Perm(ReadSelf)),
    ("POST", "/quiz/{id}", Perm(WriteSelf)),
    ("POST", "/quiz/{id}/start", Perm(WriteSelf)),
    ("GET", "/study", Perm(ReadSelf)),
    ("GET", "/study/{id}", Perm(ReadSelf)),
    ("POST", "/study/{id}", Perm(WriteSelf)),
    ("POST", "/study/{id}/reflections", Perm(WriteSelf)),
    ("POST", "/reflections/{id}/approve", Perm(ManageStudy)),
    ("POST", "/reflections/{id}/return", Perm(ManageStudy)),
    ("GET", "/admin/quiz", Perm(ManageStudy)),
    ("POST", "/admin/quiz", Perm(ManageStudy)),
    ("POST", "/admin/quiz/questions", Perm(ManageStudy)),
    ("GET", "/admin/quiz/{id}", Perm(ManageStudy)),
    ("GET", "/admin/study", Perm(ManageStudy)),
    ("POST", "/admin/study", Perm(ManageStudy)),
    ("GET", "/admin/study/{id}", Perm(ManageStudy)),
    ("POST", "/admin/images", Perm(ManageStudy)),
    ("GET", "/images/{id}", Login),
    ("POST", "/api/v1/images", Perm(ManageStudy)),
    ("GET", "/api/v1/journal", Perm(ReadJournal)),
    ("POST", "/api/v1/journal/check", Perm(ReadJournal)),
    ("GET", "/api/v1/training", Perm(WriteDossiers)),
    ("POST", "/api/v1/training", Perm(WriteDossiers)),
    ("GET", "/api/v1/training/{id}", Perm(WriteDossiers)),
    ("POST", "/api/v1/training/{id}/attendance", Perm(WriteDossiers)),
    ("GET", "/api/v1/contacts", Perm(WriteDossiers)),
    ("POST", "/api/v1/contacts", Perm(WriteDossiers)),
    ("POST", "/api/v1/contacts/{id}/visits", Perm(WriteDossiers)),
    ("GET", "/api/v1/filings", Perm(WriteDossiers)),
    ("GET", "/api/v1/meetings", Perm(ManageMeetings)),
    ("POST", "/api/v1/meetings", Perm(ManageMeetings)),
    ("GET", "/api/v1/people/roster", Perm(Unmask)),
    ("GET", "/api/v1/courses", Perm(ReadSelf)),
    ("GET", "/api/v1/courses/{id}", Perm(ReadSelf)),
    ("POST", "/api/v1/courses/{id}/complete", Perm(WriteSelf)),
    ("GET", "/api/v1/courses/{id}/reflections", Perm(ReadSelf)),
    ("POST", "/api/v1/courses/{id}/reflections", Perm(WriteSelf)),
    ("GET", "/api/v1/reflections", Perm(ManageStudy)),
    ("POST", "/api/v1/reflections/{id}/approve", Perm(ManageStudy)),
    ("POST", "/api/v1/reflections/{id}/return", Perm(ManageStudy)),
    ("GET", "/api/v1/quizzes", Perm(ReadSelf)),
    ("GET", "/api/v1/quizzes/{id}", Perm(ReadSelf)),
    ("POST", "/api/v1/quizzes/{id}/start", Perm(WriteSelf)),
    ("POST", "/api/v1/quizzes/{id}/submit", Perm(WriteSelf)),
    ("GET", "/api/v1/care", Perm(ManageCare)),
    ("POST", "/api/v1/care/benefits", Perm(ManageCare)),
    ("PUT", "/api/v1/care/rules", Perm(ManageCare)),
    ("DELETE", "/api/v1/care/rules", Perm(ManageCare)),
    ("POST", "/api/v1/care/redemptions/{id}/fulfil", Perm(ManageCare)),
    ("GET", "/api/v1/me/credits", Perm(ReadSelf)),
    ("POST", "/api/v1/me/credits/redeem", Perm(WriteSelf)),
    ("GET", "/admin/care", Perm(ManageCare)),
    ("POST", "/admin/care/benefits", Perm(ManageCare)),
    ("POST", "/admin/care/redemptions/{id}", Perm(ManageCare)),
    ("POST", "/admin/care/rules", Perm(ManageCare)),
    ("POST", "/admin/care/volunteer", Perm(ManageCare)),
    ("GET", "/service", Perm(ReadSelf)),
    ("GET", "/service/certificate", Perm(ReadSelf)),
    ("POST", "/service/shifts/{id}/signup", Perm(WriteSelf)),
    ("POST", "/service/shifts/{id}/check-in", Perm(WriteSelf)),
    ("POST", "/service/shifts/{id}/check-out", Perm(WriteSelf)),
    // A team's leader is a volunteer (a member's account, or a non-member's self-service
    // one); the handlers admit the leader of the team concerned or a manager in scope.
    ("POST", "/service/shifts/{id}/assign", Either(ManageService, WriteSelf)),
    ("POST", "/service/shifts/{id}/attendance", Either(ManageService, WriteSelf)),
    ("POST", "/service/shifts/{id}/hours", Either(ManageService, WriteSelf)),
    ("GET", "/service/admin", Perm(ManageService)),
    ("POST", "/service/teams", Perm(ManageService)),
    ("GET", "/service/teams/{id}", Either(ManageService, ReadSelf)),
    ("POST", "/service/teams/{id}/volunteers", Either(ManageService, WriteSelf)),
    ("POST", "/service/requests", Perm(ManageService)),
    ("GET", "/service/requests/{id}", Either(ManageService, ReadSelf)),
    ("POST", "/service/requests/{id}/shifts", Either(ManageService, WriteSelf)),
    ("POST", "/service/requests/{id}/confirm", Either(ManageService, WriteSelf)),
    ("POST", "/service/campaigns", Perm(ManageService)),
    ("GET", "/service/campaigns/{id}", Perm(ManageService)),
    ("POST", "/service/campaigns/{id}/donations", Perm(ManageService)),
    ("POST", "/service/campaigns/{id}/publish", Perm(ManageService)),
    ("POST", "/service/donations/{id}/distributions", Perm(ManageService)),
    ("GET", "/campaigns/{id}", Public),
    ("POST", "/service/citizens/{id}", Either(ManageService, WriteSelf)),
    ("GET", "/portal", Public),
    ("GET", "/portal/{t}", Public),
    ("GET", "/portal/{t}/news/{id}", Public),
    ("GET", "/portal/{t}/images/{id}", Public),
    ("GET", "/portal/{t}/feed.atom", Public),
    ("GET", "/portal/{t}/volunteer", Public),
    ("POST", "/portal/{t}/volunteer", Public),
    ("GET", "/portal/{t}/map", Public),
    ("GET", "/portal/{t}/places/{id}", Public),
    ("GET", "/portal/{t}/directory", Public),
    ("GET", "/staff", Perm(ReadPeople)),
    ("POST", "/staff/import", Perm(WritePeople)),
    ("GET", "/staff/template", Perm(ReadPeople)),
    ("POST", "/staff/settings", Perm(WritePeople)),
    ("POST", "/staff/todos/{id}", Perm(WritePeople)),
    ("GET", "/api/v1/staff", Perm(ReadPeople)),
    ("POST", "/api/v1/staff/import", Perm(WritePeople)),
    ("POST", "/api/v1/staff/settings", Perm(WritePeople)),
    ("POST", "/api/v1/staff/todos/{id}", Perm(WritePeople)),
    ("GET", "/terms", Perm(ReadPeople)),
    ("GET", "/orgs/{id}/officers", Perm(ReadPeople)),
    ("POST", "/orgs/{id}/officers", Perm(WritePeople)),
    ("POST", "/orgs/officers/{id}/end", Perm(WritePeople)),
    ("POST", "/orgs/{id}/elections", Perm(WritePeople)),
    ("POST", "/orgs/{id}/postponement", Perm(WritePeople)),
    ("GET", "/api/v1/terms", Perm(ReadPeople)),
    ("GET", "/api/v1/orgs/{id}/officers", Perm(ReadPeople)),
    ("POST", "/api/v1/orgs/{id}/officers", Perm(WritePeople)),
    ("POST", "/api/v1/officers/{id}/end", Perm(WritePeople)),
    ("POST", "/api/v1/orgs/{id}/elections", Perm(WritePeople)),
    ("POST", "/api/v1/orgs/{id}/postponement", Perm(WritePeople)),
    ("GET", "/dues", Perm(ReadPeople)),
    ("POST", "/dues/profiles", Perm(WritePeople)),
    ("POST", "/dues/payments", Perm(WritePeople)),
    ("POST", "/dues/excusals", Perm(WritePeople)),
    ("POST", "/dues/remittances", Perm(WritePeople)),
    ("GET", "/dues/people/{id}", Perm(ReadPeople)),
    ("GET", "/dues/receipts/{id}", Perm(ReadPeople)),
    ("GET", "/me/dues/receipts/{id}", Perm(ReadSelf)),
    ("GET", "/me/dues", Perm(ReadSelf)),
    ("POST", "/me/dues/online", Perm(WriteSelf)),
    ("GET", "/api/v1/dues", Perm(ReadPeople)),
    ("POST", "/api/v1/dues/profiles", Perm(WritePeople)),
    ("POST", "/api/v1/dues/payments", Perm(WritePeople)),
    ("POST", "/api/v1/dues/excusals", Perm(WritePeople)),
    ("POST", "/api/v1/dues/remittances", Perm(WritePeople)),
    ("GET", "/api/v1/dues/people/{id}", Perm(ReadPeople)),
    ("POST", "/api/v1/dues/orders/{tenant}/{id}/confirm", Public),
    ("GET", "/api/v1/me/dues", Perm(ReadSelf)),
    ("POST", "/api/v1/me/dues/online", Perm(WriteSelf)),
    ("GET", "/v/{code}", Public),
    ("POST", "/v/{code}", Public),
    ("GET", "/city/badges", Perm(ReadPeople)),
    ("POST", "/city/badges", Perm(WritePeople)),
    ("GET", "/city/badges/sheet", Perm(ReadPeople)),
    ("POST", "/city/badges/{id}/end", Perm(WritePeople)),
    ("POST", "/city/feedback/{id}/handled", Perm(WritePeople)),
    ("GET", "/city/directory", Perm(ManageService)),
    ("POST", "/city/directory", Perm(ManageService)),
    ("POST", "/city/directory/{id}/verify", Perm(ManageService)),
    ("POST", "/city/directory/import", Perm(ManageService)),
    ("GET", "/city/directory/export", Perm(ManageService)),
    ("GET", "/city/map", Perm(ManageService)),
    ("POST", "/city/places", Perm(ManageService)),
    ("POST", "/city/districts", Perm(ManageService)),
    ("GET", "/city/portal", Perm(ManageService)),
    ("POST", "/city/portal/settings", Perm(ManageService)),
    ("POST", "/city/portal/articles", Perm(ManageService)),
    ("POST", "/city/portal/articles/{id}/publish", Perm(ManageService)),
    ("GET", "/api/v1/portal/{t}", Public),
    ("GET", "/api/v1/portal/{t}/news/{id}", Public),
    ("POST", "/api/v1/portal/{t}/volunteer", Public),
    ("GET", "/api/v1/portal/{t}/places", Public),
    ("GET", "/api/v1/portal/{t}/directory", Public),
    ("POST", "/api/v1/portal/settings", Perm(ManageService)),
    ("POST", "/api/v1/portal/articles", Perm(ManageService)),
    ("POST", "/api/v1/portal/articles/{id}/publish", Perm(ManageService)),
    ("GET", "/api/v1/service/teams/{id}/citizens", Either(ManageService, ReadSelf)),
    ("POST", "/api/v1/service/citizens/{id}", Either(ManageService, WriteSelf)),
    ("GET", "/api/v1/verify/{code}", Public),
    ("POST", "/api/v1/verify/{code}/feedback", Public),
    ("GET", "/api/v1/badges", Perm(ReadPeople)),
    ("POST", "/api/v1/badges", Perm(WritePeople)),
    ("GET", "/api/v1/badges/{id}", Perm(ReadPeople)),
    ("POST", "/api/v1/badges/{id}/end", Perm(WritePeople)),
    ("GET", "/api/v1/badge-feedback", Perm(ReadPeople)),
    ("POST", "/api/v1/badge-feedback/{id}/handled", Perm(WritePeople)),
    ("GET", "/api/v1/directory", Perm(ManageService)),
    ("POST", "/api/v1/directory", Perm(ManageService)),
    ("POST", "/api/v1/directory/{id}/verify", Perm(ManageService)),
    ("POST", "/api/v1/directory/import", Perm(ManageService)),
    ("POST", "/api/v1/places", Perm(ManageService)),
    ("POST", "/api/v1/districts", Perm(ManageService)),
    ("GET", "/api/v1/me/service", Perm(ReadSelf)),
    ("GET", "/api/v1/me/service/certificate", Perm(ReadSelf)),
    ("POST", "/api/v1/me/service/shifts/{id}/signup", Perm(WriteSelf)),
    ("POST", "/api/v1/me/service/shifts/{id}/check-in", Perm(WriteSelf)),
    ("POST", "/api/v1/me/service/shifts/{id}/check-out", Perm(WriteSelf)),
    ("GET", "/api/v1/service", Perm(ManageService)),
    ("POST", "/api/v1/service/teams", Perm(ManageService)),
    ("GET", "/api/v1/service/teams/{id}", Either(ManageService, ReadSelf)),
    ("POST", "/api/v1/service/teams/{id}/volunteers", Either(ManageService, WriteSelf)),
    ("POST", "/api/v1/service/requests", Perm(ManageService)),
    ("GET", "/api/v1/service/requests/{id}", Either(ManageService, ReadSelf)),
    ("POST", "/api/v1/service/requests/{id}/shifts", Either(ManageService, WriteSelf)),
    ("POST", "/api/v1/service/requests/{id}/confirm", Either(ManageService, WriteSelf)),
    ("POST", "/api/v1/service/shifts/{id}/assign", Either(ManageService, WriteSelf)),
    ("POST", "/api/v1/service/shifts/{id}/attendance", Either(ManageService, WriteSelf)),
    ("POST", "/api/v1/service/shifts/{id}/hours", Either(ManageService, WriteSelf)),
    ("POST", "/api/v1/service/campaigns", Perm(ManageService)),
    ("GET", "/api/v1/service/campaigns/{id}", Perm(ManageService)),
    ("POST", "/api/v1/service/campaigns/{id}/donations", Perm(ManageService)),
    ("POST", "/api/v1/service/campaigns/{id}/publish", Perm(ManageService)),
    ("POST", "/api/v1/service/donations/{id}/distributions", Perm(ManageService)),
    ("GET", "/api/v1/campaigns/{id}/summary", Public),
    ("GET", "/rules/settings", Perm(ManageRules)),
    ("POST", "/rules/settings", Perm(ManageRules)),
    ("GET", "/api/v1/openapi.json", Public),
    ("GET", "/api/v1/organizations", Perm(ReadOrgs)),
    ("POST", "/api/v1/organizations", Perm(WriteOrgs)),
    ("GET", "/api/v1/organizations/{id}", Perm(ReadOrgs)),
    ("PUT", "/api/v1/organizations/{id}", Perm(WriteOrgs)),
    ("GET", "/api/v1/organizations/{id}/children", Perm(ReadOrgs)),
    ("POST", "/api/v1/organizations/{id}/move", Perm(WriteOrgs)),
    ("POST", "/api/v1/organizations/{id}/close", Perm(WriteOrgs)),
    ("GET", "/api/v1/people", Perm(ReadPeople)),
    ("POST", "/api/v1/people", Perm(WritePeople)),
    ("GET", "/api/v1/people/{id}", Perm(ReadPeople)),
    ("PUT", "/api/v1/people/{id}", Perm(WritePeople)),
    ("GET", "/api/v1/people/{id}/unmasked", Perm(Unmask)),
    ("GET", "/api/v1/people/{id}/departure", Perm(ReadPeople)),
    ("GET", "/api/v1/people/{id}/discipline", Perm(ReadPeople)),
    ("POST", "/api/v1/people/{id}/discipline", Perm(WritePeople)),
    ("POST", "/api/v1/people/{id}/departure", Perm(WritePeople)),
    ("DELETE", "/api/v1/people/{id}/departure", Perm(WritePeople)),
    ("GET", "/api/v1/me/progress", Perm(ReadSelf)),
    ("POST", "/api/v1/me/application", Perm(WriteSelf)),
    ("GET", "/api/v1/applications", Perm(ReadDossiers)),
    ("POST", "/api/v1/applications/{id}/accept", Perm(WriteDossiers)),
    ("POST", "/api/v1/applications/{id}/decline", Perm(WriteDossiers)),
    ("GET", "/api/v1/dossiers", Perm(ReadDossiers)),
    ("POST", "/api/v1/dossiers", Perm(WriteDossiers)),
    ("POST", "/api/v1/dossiers/import", Perm(WriteDossiers)),
    ("POST", "/api/v1/people/import", Perm(WritePeople)),
    ("GET", "/api/v1/dossiers/{id}", Perm(ReadDossiers)),
    ("POST", "/api/v1/dossiers/{id}/events", Perm(WriteDossiers)),
    ("GET", "/api/v1/work-queue", Perm(ReadDossiers)),
    ("GET", "/api/v1/screening", Perm(ReadDossiers)),
    ("GET", "/api/v1/notices", Public),
    ("POST", "/api/v1/notices/{notice}/objections", Public),
    ("GET", "/api/v1/objections", Perm(ReadDossiers)),
    ("POST", "/api/v1/objections/{id}/accept", Perm(WriteDossiers)),
    ("POST", "/api/v1/objections/{id}/dismiss", Perm(WriteDossiers)),
    ("GET", "/api/v1/rules", Public),
];

/// The need of a routed request.
pub fn need(method: &Method, path: &str) -> Option<Need> {
    let method = if *method == Method::HEAD { "GET" } else { method.as_str() };
    ROUTES.iter().find(|(m, p, _)| *m == method && *p == path).map(|(_, _, n)| *n)
}

/// Routes a signed-in account may use while it must change its password.
const WHILE_CHANGING_PASSWORD: &[&str] =
    &["/account/password", "/logout", "/login", "/login/totp", "/account/totp"];
/// Routes a signed-in account may use before giving its second factor.
const BEFORE_SECOND_FACTOR: &[&str] = &["/logout", "/login", "/login/totp", "/account/totp"];

/// Refuses what the route's need does not allow.
pub async fn authorize(req: Request, next: Next) -> Response {
    let path = req.extensions().get::<MatchedPath>().map(|m| m.as_str().to_owned()).unwrap_or_default();
    let is_api = path.starts_with("/api/");
    let Some(need) = need(req.method(), &path) else {
        tracing::error!(method = %req.method(), %path, "route missing from the permission table: refused");
        return AppError::Forbidden.into_response();
    };
    if need == Public {
        return next.run(req).await;
    }
    let Some(user) = req.extensions().get::<CurrentUser>() else {
        if is_api {
            return AppError::Unauthorized.into_response();
        }
        let here = req.uri().path_and_query().map_or("/", |p| p.as_str());
        return Redirect::to(&format!("/login?next={}", encode(here))).into_response();
    };
    if user.second_factor_pending && !BEFORE_SECOND_FACTOR.contains(&path.as_str()) {
        if is_api {
            return AppError::Unauthorized.into_response();
        }
        let to = if user.needs_enrolment { "/account/totp" } else { "/login/totp" };
        return Redirect::to(to).into_response();
    }
    if user.must_change_password && !WHILE_CHANGING_PASSWORD.contains(&path.as_str()) {
        return if is_api {
            AppError::Forbidden.into_response()
        } else {
            Redirect::to("/account/password").into_response()
        };
    }
    let allowed = match need {
        Perm(p) => user.can(p),
        Either(a, b) => user.can(a) || user.can(b),
        Public | Login => true,
    };
    if !allowed {
        return AppError::Forbidden.into_response();
    }
    next.run(req).await
}
