//! The OpenAPI document of `/api/v1`, generated from the handlers' annotations.

use crate::api::views;
use crate::development::api as dossiers;
use crate::error::{Problem, ProblemField};
use crate::orgs::api as orgs;
use crate::people::api as people;
use crate::people::departures_api as departures;
use crate::stats::api as stats;
use axum::Json;
use utoipa::OpenApi;

/// The API description.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "pioneer API",
        description = "Organisations, people and member-development dossiers of a party-building working committee. Errors are application/problem+json; send Accept-Language: en for English messages. Sign in as a browser does (POST /login with the form fields username and password sets the session cookie); every request but GET and HEAD also sends the session's CSRF token as X-CSRF-Token (the csrf field of any signed-in page's form, e.g. /account/password)."
    ),
    paths(
        orgs::list,
        orgs::create,
        orgs::show,
        orgs::children,
        orgs::update,
        orgs::move_to,
        orgs::close,
        people::list,
        people::create,
        people::show,
        people::update,
        people::unmasked,
        departures::show,
        departures::record,
        departures::withdraw,
        crate::people::discipline::list,
        crate::people::discipline::create,
        dossiers::list,
        dossiers::open,
        crate::development::dossier_import::api_upload,
        crate::people::roster::api_upload,
        dossiers::show,
        dossiers::record,
        dossiers::work_queue,
        dossiers::screening,
        dossiers::notices,
        dossiers::rules,
        stats::stats,
        crate::development::notices::api_object,
        crate::development::objections::api_list,
        crate::development::applications::api_show,
        crate::development::applications::api_submit,
        crate::development::applications::api_waiting,
        crate::development::applications::api_accept,
        crate::development::applications::api_decline,
        crate::study::reflections::api_write,
        crate::study::reflections::api_read,
        crate::study::reflections::api_waiting,
        crate::study::reflections::api_approve,
        crate::study::reflections::api_return,
        crate::development::objections::api_accept,
        crate::development::objections::api_dismiss,
        crate::study::images::api_upload,
        crate::care::api::show,
        crate::care::api::add_benefit,
        crate::care::api::set_rules,
        crate::care::api::clear_rules,
        crate::care::api::fulfil,
        crate::care::api::mine,
        crate::care::api::redeem,
        crate::journal::api,
        crate::journal::check_api,
        crate::study::api::courses,
        crate::study::api::course,
        crate::study::api::complete,
        crate::study::api::quizzes,
        crate::study::api::quiz,
        crate::study::api::start,
        crate::study::api::submit,
        crate::orglife::api::list,
        crate::orglife::api::record,
        crate::people::roster::export,
        crate::development::work_api::classes,
        crate::development::work_api::create_class,
        crate::development::work_api::class,
        crate::development::work_api::attend,
        crate::development::work_api::links,
        crate::development::work_api::assign,
        crate::development::work_api::visit,
        crate::development::work_api::filings,
        crate::service::api::mine,
        crate::service::api::certificate,
        crate::service::api::sign_up,
        crate::service::api::check_in,
        crate::service::api::check_out,
        crate::service::api::overview,
        crate::service::api::create_team,
        crate::service::api::team,
        crate::service::api::add_volunteer,
        crate::service::api::create_request,
        crate::service::api::request,
        crate::service::api::add_shift,
        crate::service::api::confirm_request,
        crate::service::api::assign,
        crate::service::api::attendance,
        crate::service::api::confirm_hours,
        crate::service::api::create_campaign,
        crate::service::api::campaign,
        crate::service::api::record_donation,
        crate::service::api::distribute,
        crate::service::api::publish,
        crate::service::api::summary,
        crate::city::portal::api_home,
        crate::city::portal::api_article,
        crate::city::portal::api_volunteer,
        crate::city::portal::api_settings,
        crate::city::portal::api_draft,
        crate::city::portal::api_publish,
        crate::city::portal::api_queue,
        crate::city::portal::api_handle,
        crate::city::map::api_places,
        crate::city::map::api_add_place,
        crate::city::map::api_import_districts,
        crate::city::directory::api_search,
        crate::city::directory::api_list,
        crate::city::directory::api_add,
        crate::city::directory::api_verify,
        crate::city::directory::api_import,
        crate::city::badges::api_verify,
        crate::city::badges::api_send_feedback,
        crate::city::badges::api_list,
        crate::city::badges::api_issue,
        crate::city::badges::api_show,
        crate::city::badges::api_end,
        crate::city::badges::api_feedback,
        crate::city::badges::api_handled,
        crate::dues::api::sheet,
        crate::dues::api::set_profile,
        crate::dues::api::pay,
        crate::dues::api::excuse,
        crate::dues::api::remit,
        crate::dues::api::person,
        crate::dues::api::mine,
        crate::dues::api::pay_online,
        crate::dues::api::confirm,
        crate::orgs::officers::api_terms,
        crate::orgs::officers::api_committee,
        crate::orgs::officers::api_appoint,
        crate::orgs::officers::api_end,
        crate::orgs::officers::api_elect,
        crate::orgs::officers::api_postpone,
        crate::people::staff_list::api_show,
        crate::people::staff_list::api_import,
        crate::people::staff_list::api_keep,
        crate::people::staff_list::api_decide
    ),
    components(schemas(
        views::OrgView,
        crate::forms::OrgForm,
        views::MoveBody,
        views::CloseBody,
        views::PersonView,
        crate::forms::PersonForm,
        views::PeoplePageView,
        views::Created,
        views::ImportRefusal,
        views::ImportProblem,
        people::Unmasked,
        departures::DepartureView,
        departures::DepartureBody,
        crate::people::DisciplineBody,
        crate::people::discipline::DisciplineView,
        dossiers::OpenBody,
        dossiers::EventBody,
        crate::development::objections::ObjectionBody,
        crate::development::objections::DismissBody,
        crate::care::api::BenefitBody,
        crate::care::api::RuleBody,
        crate::care::api::RulesBody,
        crate::care::api::RedeemBody,
        crate::study::api::AnswerBody,
        crate::study::api::SheetBody,
        crate::orglife::api::MarkBody,
        crate::orglife::api::MeetingBody,
        crate::development::work_api::ClassBody,
        crate::development::work_api::AttendanceBody,
        crate::development::work_api::AssignBody,
        crate::development::work_api::VisitBody,
        crate::service::actions::ShiftVolunteer,
        crate::service::actions::ShiftAttendance,
        crate::service::admin::PublishBody,
        pioneer_domain::service::teams::TeamInput,
        pioneer_domain::city::places::PlaceInput,
        pioneer_domain::city::directory::EntryInput,
        pioneer_domain::city::badges::BadgeInput,
        pioneer_domain::city::badges::FeedbackInput,
        pioneer_domain::city::portal::ArticleInput,
        pioneer_domain::city::portal::PortalSettingsInput,
        pioneer_domain::city::portal::CitizenSignupInput,
        crate::city::badges::EndBody,
        crate::city::portal::ArticlePublish,
        crate::city::portal::OutcomeBody,
        crate::city::portal::Published,
        pioneer_domain::service::teams::VolunteerInput,
        pioneer_domain::service::requests::RequestInput,
        pioneer_domain::service::shifts::ShiftInput,
        pioneer_domain::service::donations::CampaignInput,
        pioneer_domain::service::donations::DonationInput,
        pioneer_domain::service::donations::DistributionInput,
        pioneer_domain::dues::profile::DuesBaseInput,
        pioneer_domain::dues::payment::PaymentInput,
        pioneer_domain::dues::payment::ExcusalInput,
        pioneer_domain::dues::payment::RemittanceInput,
        crate::dues::pages::OnlineInput,
        pioneer_domain::orgs::officers::OfficerInput,
        pioneer_domain::orgs::officers::ElectionInput,
        pioneer_domain::orgs::officers::PostponementInput,
        crate::orgs::officers::EndInput,
        crate::people::staff_list::DecisionInput,
        crate::people::staff_list::KeepInput,
        Problem,
        ProblemField
    )),
    modifiers(&ProblemResponses)
)]
pub struct ApiDoc;

/// Adds to each operation the refusals the layers around its handler give, unless the
/// handler's annotation already describes them (all `application/problem+json`, the
/// `Problem` schema):
///
/// - 405 everywhere: a method the path does not take (the `Allow` header lists those it does);
/// - 400 where a query string or a body is read: one that cannot be read;
/// - 415 where the body is JSON: another content type;
/// - 404 where the operation names a record (a path `{id}`, or `?org=`/`?branch=`): no such
///   record, or an id that is not one;
/// - 401 and 403 where the route is not public (`auth::routes`): not signed in (or the second
///   factor still owed); outside the account's permissions or scope, a password to change
///   first, or a write without the session's CSRF token.
///
/// It also declares how a signed-in client authenticates: the session cookie, and for writes
/// the session's CSRF token in `X-CSRF-Token`; and gives `POST /api/v1/people` the schema
/// `NewPerson`, which is `PersonForm` with the ID number required.
struct ProblemResponses;

/// The session cookie's security scheme.
const SESSION: &str = "session";
/// The CSRF header's security scheme.
const CSRF: &str = "csrf";
/// The schema of `POST /api/v1/people`'s body.
const NEW_PERSON: &str = "NewPerson";

impl utoipa::Modify for ProblemResponses {
    fn modify(&self, doc: &mut utoipa::openapi::OpenApi) {
        use crate::auth::routes::{Need, need};
        use axum::http::Method;
        use utoipa::openapi::path::ParameterIn;
        use utoipa::openapi::security::{ApiKey, ApiKeyValue, SecurityRequirement, SecurityScheme};
        use utoipa::openapi::{ContentBuilder, Ref, RefOr, ResponseBuilder, Schema};
        let problem = |what: &str| {
            let content = ContentBuilder::new().schema(Some(Ref::from_schema_name("Problem"))).build();
            ResponseBuilder::new().description(what).content("application/problem+json", content).build()
        };
        let components = doc.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            SESSION,
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
                crate::auth::session::COOKIE,
                "The session cookie that POST /login sets.",
            ))),
        );
        components.add_security_scheme(
            CSRF,
            SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::with_description(
                "X-CSRF-Token",
                "The session's CSRF token (the `csrf` field of any signed-in page's form); every \
                 request but GET and HEAD sends it.",
            ))),
        );
        // A new person needs an ID number; an edit may leave it empty to keep the stored one.
        if let Some(RefOr::T(Schema::Object(form))) = components.schemas.get("PersonForm") {
            let mut new = form.clone();
            new.required.push("id_card".into());
            new.description = Some("A new person: the fields of PersonForm, the ID number required.".into());
            components.schemas.insert(NEW_PERSON.into(), RefOr::T(Schema::Object(new)));
        }
        if let Some(body) = doc
            .paths
            .paths
            .get_mut("/api/v1/people")
            .and_then(|item| item.post.as_mut())
            .and_then(|op| op.request_body.as_mut())
            .and_then(|body| body.content.get_mut("application/json"))
        {
            body.schema = Some(RefOr::Ref(Ref::from_schema_name(NEW_PERSON)));
        }
        for (path, item) in doc.paths.paths.iter_mut() {
            let operations = [
                (Method::GET, &mut item.get),
                (Method::PUT, &mut item.put),
                (Method::POST, &mut item.post),
                (Method::DELETE, &mut item.delete),
                (Method::PATCH, &mut item.patch),
            ];
            for (method, op) in operations {
                let Some(op) = op else { continue };
                let params = op.parameters.iter().flatten();
                let takes_query = params.clone().any(|p| matches!(p.parameter_in, ParameterIn::Query));
                let names_record = path.contains('{')
                    || params.clone().any(|p| {
                        matches!(p.parameter_in, ParameterIn::Query)
                            && matches!(p.name.as_str(), "org" | "branch")
                    });
                let body = op.request_body.as_ref();
                let takes_json = body.is_some_and(|b| b.content.contains_key("application/json"));
                let signed_in = need(&method, path).is_some_and(|n| n != Need::Public);
                let responses = &mut op.responses.responses;
                let mut add = |status: &str, what: &str| {
                    responses.entry(status.into()).or_insert_with(|| problem(what).into());
                };
                add("405", "Method not allowed; the Allow header lists the path's methods");
                if takes_query || body.is_some() {
                    add("400", "The query string or the body cannot be read");
                }
                if takes_json {
                    add("415", "The body is not sent as Content-Type: application/json");
                }
                if names_record {
                    add("404", "No such record (or an id that is not one)");
                }
                if signed_in {
                    add("401", "Not signed in, or the second factor is still owed");
                    add(
                        "403",
                        "Outside the account's permissions or scope, a password that must be changed \
                         first, or a write without the session's CSRF token",
                    );
                    let mut schemes = vec![SESSION];
                    if method != Method::GET {
                        schemes.push(CSRF);
                    }
                    let requirement = schemes
                        .into_iter()
                        .fold(SecurityRequirement::default(), |r, s| r.add::<&str, [&str; 0], &str>(s, []));
                    op.security = Some(vec![requirement]);
                }
            }
        }
    }
}

/// `GET /api/v1/openapi.json`.
pub async fn document() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
