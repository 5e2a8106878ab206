//! The route tables: every page and every `/api/v1` call, and the handler each one calls.
//! A route missing from the permission table (`auth/routes.rs`) is refused.

use crate::AppState;
use axum::Router;
use axum::routing::{get, post};

/// The page routes.
pub fn pages() -> Router<AppState> {
    Router::new()
        .route("/", get(crate::home::show))
        .route("/login", get(crate::auth::handlers::login_form).post(crate::auth::handlers::login))
        .route("/logout", post(crate::auth::handlers::logout))
        .route(
            "/login/totp",
            get(crate::auth::second_factor::code_form).post(crate::auth::second_factor::code),
        )
        .route(
            "/account/totp",
            get(crate::auth::second_factor::enrol_form).post(crate::auth::second_factor::enrol),
        )
        .route(
            "/account/password",
            get(crate::auth::handlers::password_form).post(crate::auth::handlers::change_password),
        )
        .route("/lang/{code}", get(crate::pages::switch_language))
        .route("/banner/off", get(crate::pages::hide_banner))
        .route("/more", get(crate::pages::more))
        .route("/orgs", get(crate::orgs::pages::tree).post(crate::orgs::pages::create))
        .route("/orgs/new", get(crate::orgs::pages::new_form))
        .route("/orgs/{id}", get(crate::orgs::pages::show))
        .route("/orgs/{id}/edit", get(crate::orgs::pages::edit_form).post(crate::orgs::pages::update))
        .route("/orgs/{id}/move", post(crate::orgs::pages::move_to))
        .route("/orgs/{id}/close", post(crate::orgs::pages::close))
        .route("/people", get(crate::people::pages::list).post(crate::people::pages::create))
        .route("/people/new", get(crate::people::pages::new_form))
        .route("/people/roster", get(crate::people::roster::export))
        .route("/people/roster/template", get(crate::people::roster::template))
        .route(
            "/people/import",
            get(crate::people::roster::form).post(crate::people::roster::upload).layer(
                axum::extract::DefaultBodyLimit::max(crate::tables::IMPORT_LIMITS.file_bytes + 64 * 1024),
            ),
        )
        .route("/people/{id}", get(crate::people::pages::show))
        .route("/people/{id}/edit", get(crate::people::pages::edit_form).post(crate::people::pages::update))
        .route("/people/{id}/unmask", post(crate::people::pages::unmask))
        .route("/people/{id}/departure", post(crate::people::departures::record))
        .route("/people/{id}/departure/withdraw", post(crate::people::departures::withdraw))
        .route("/people/{id}/discipline", post(crate::people::discipline::record))
        .route("/me", get(crate::people::me::show).post(crate::people::me::update))
        .route("/me/credits", get(crate::care::credits::show).post(crate::care::credits::redeem))
        .route("/journal", get(crate::journal::show))
        .route("/journal/check", post(crate::journal::check_page))
        .route("/admin/users", get(crate::accounts::admin::list).post(crate::accounts::admin::add))
        .route("/admin/users/grants", post(crate::accounts::admin::grant))
        .route(
            "/admin/calendar",
            get(crate::development::rules::calendar_form).post(crate::development::rules::save_calendar),
        )
        .route("/dossiers", get(crate::development::dossiers::list).post(crate::development::dossiers::open))
        .route(
            "/dossiers/import",
            get(crate::development::dossier_import::form)
                .post(crate::development::dossier_import::upload)
                .layer(axum::extract::DefaultBodyLimit::max(
                    crate::tables::IMPORT_LIMITS.file_bytes + 64 * 1024,
                )),
        )
        .route("/dossiers/import/template", get(crate::development::dossier_import::template))
        .route("/dossiers/{id}", get(crate::development::dossiers::show))
        .route(
            "/dossiers/{id}/record/{kind}",
            get(crate::development::dossier_form::form).post(crate::development::dossier_form::record),
        )
        .route("/filings", get(crate::development::dossiers::filings))
        .route("/screening", get(crate::development::screening::show))
        .route("/stats", get(crate::stats::pages::show))
        .route("/stats.xlsx", get(crate::stats::pages::workbook))
        .route("/stats/annual.xlsx", get(crate::stats::pages::annual))
        .route("/stats/people", get(crate::stats::pages::people))
        .route("/notices", get(crate::development::notices::board))
        .route(
            "/notices/{notice}/objection",
            get(crate::development::notices::objection_form).post(crate::development::notices::object),
        )
        .route("/objections", get(crate::development::objections::show))
        .route("/objections/{id}/accept", post(crate::development::objections::accept_page))
        .route("/objections/{id}/dismiss", post(crate::development::objections::dismiss_page))
        .route("/rules", get(crate::development::rules::catalogue))
        .route(
            "/training",
            get(crate::development::training::list).post(crate::development::training::create),
        )
        .route(
            "/training/{id}",
            get(crate::development::training::show).post(crate::development::training::attend),
        )
        .route(
            "/contacts",
            get(crate::development::contacts::list).post(crate::development::contacts::assign),
        )
        .route("/contacts/{id}/visits", post(crate::development::contacts::visit))
        .route(
            "/me/progress",
            get(crate::development::applications::show)
                .post(crate::development::applications::submit)
                .layer(axum::extract::DefaultBodyLimit::max(crate::development::applications::BODY_LIMIT)),
        )
        .route("/applications/{id}", get(crate::development::applications::view))
        .route("/applications/{id}/scan", get(crate::development::applications::scan))
        .route("/applications/{id}/accept", post(crate::development::applications::accept_page))
        .route("/applications/{id}/decline", post(crate::development::applications::decline_page))
        .route("/meetings", get(crate::orglife::meetings::show).post(crate::orglife::meetings::record))
        .route("/meetings/settings", post(crate::orglife::meetings::save_settings))
        .route("/quiz", get(crate::study::quiz::list))
        .route("/quiz/{id}", get(crate::study::quiz::show).post(crate::study::quiz::submit))
        .route("/quiz/{id}/start", post(crate::study::quiz::start))
        .route("/study", get(crate::study::courses::list))
        .route("/study/{id}", get(crate::study::courses::show).post(crate::study::courses::complete))
        .route("/study/{id}/reflections", post(crate::study::courses::reflect))
        .route("/reflections/{id}/approve", post(crate::study::reflections::approve_page))
        .route("/reflections/{id}/return", post(crate::study::reflections::return_page))
        .route("/admin/quiz", get(crate::study::quiz_admin::show).post(crate::study::quiz_admin::publish))
        .route("/admin/quiz/questions", post(crate::study::quiz_admin::add_question))
        .route("/admin/quiz/{id}", get(crate::study::quiz_admin::participation))
        .route("/admin/study", get(crate::study::courses::admin).post(crate::study::courses::publish))
        .route("/admin/study/{id}", get(crate::study::courses::reach))
        .route(
            "/admin/images",
            post(crate::study::images::upload)
                .layer(axum::extract::DefaultBodyLimit::max(crate::study::images::BODY_LIMIT)),
        )
        .route("/images/{id}", get(crate::study::images::serve))
        .route("/admin/care", get(crate::care::admin::show))
        .route("/admin/care/benefits", post(crate::care::admin::add_benefit))
        .route("/admin/care/redemptions/{id}", post(crate::care::admin::fulfil))
        .route("/admin/care/rules", post(crate::care::admin::save_rules))
        .route("/admin/care/volunteer", post(crate::care::admin::volunteer))
        .route("/service", get(crate::service::volunteer::show))
        .route("/service/certificate", get(crate::service::volunteer::certificate_page))
        .route("/service/shifts/{id}/signup", post(crate::service::volunteer::sign_up))
        .route("/service/shifts/{id}/check-in", post(crate::service::volunteer::check_in))
        .route("/service/shifts/{id}/check-out", post(crate::service::volunteer::check_out))
        .route("/service/shifts/{id}/assign", post(crate::service::admin::assign))
        .route("/service/shifts/{id}/attendance", post(crate::service::admin::attendance))
        .route("/service/shifts/{id}/hours", post(crate::service::admin::confirm_hours))
        .route("/service/admin", get(crate::service::admin::show))
        .route("/service/teams", post(crate::service::admin::create_team))
        .route("/service/teams/{id}", get(crate::service::admin::team))
        .route("/service/teams/{id}/volunteers", post(crate::service::admin::add_volunteer))
        .route("/service/requests", post(crate::service::admin::create_request))
        .route("/service/requests/{id}", get(crate::service::admin::request))
        .route("/service/requests/{id}/shifts", post(crate::service::admin::add_shift))
        .route("/service/requests/{id}/confirm", post(crate::service::admin::confirm_request))
        .route("/service/campaigns", post(crate::service::admin::create_campaign))
        .route("/service/campaigns/{id}", get(crate::service::admin::campaign))
        .route("/service/campaigns/{id}/donations", post(crate::service::admin::record_donation))
        .route("/service/campaigns/{id}/publish", post(crate::service::admin::publish))
        .route("/service/donations/{id}/distributions", post(crate::service::admin::distribute))
        .route("/campaigns/{id}", get(crate::service::admin::summary))
        .route("/service/citizens/{id}", post(crate::city::portal::handle))
        .route("/portal", get(crate::city::portal::index))
        .route("/portal/{t}", get(crate::city::portal::home))
        .route("/portal/{t}/news/{id}", get(crate::city::portal::article))
        .route("/portal/{t}/images/{id}", get(crate::city::portal::image))
        .route("/portal/{t}/feed.atom", get(crate::city::portal::feed))
        .route(
            "/portal/{t}/volunteer",
            get(crate::city::portal::volunteer_form).post(crate::city::portal::volunteer),
        )
        .route("/portal/{t}/map", get(crate::city::map::public))
        .route("/portal/{t}/places/{id}", get(crate::city::map::place))
        .route("/portal/{t}/directory", get(crate::city::directory::public))
        .route("/v/{code}", get(crate::city::badges::verify_page).post(crate::city::badges::feedback_form))
        .route("/staff", get(crate::people::staff_list::page))
        .route("/staff/template", get(crate::people::staff_list::template))
        .route("/staff/settings", post(crate::people::staff_list::keep))
        .route("/staff/todos/{id}", post(crate::people::staff_list::decide))
        .route("/terms", get(crate::orgs::officers::terms))
        .route("/orgs/{id}/officers", get(crate::orgs::officers::page).post(crate::orgs::officers::appoint))
        .route("/orgs/officers/{id}/end", post(crate::orgs::officers::end))
        .route("/orgs/{id}/elections", post(crate::orgs::officers::elect))
        .route("/orgs/{id}/postponement", post(crate::orgs::officers::postpone))
        .route("/dues", get(crate::dues::pages::sheet))
        .route("/dues/profiles", post(crate::dues::pages::set_profile))
        .route("/dues/payments", post(crate::dues::pages::pay))
        .route("/dues/excusals", post(crate::dues::pages::excuse))
        .route("/dues/remittances", post(crate::dues::pages::remit))
        .route("/dues/people/{id}", get(crate::dues::pages::person))
        .route("/dues/receipts/{id}", get(crate::dues::pages::receipt))
        .route("/me/dues", get(crate::dues::pages::mine))
        .route("/me/dues/receipts/{id}", get(crate::dues::pages::my_receipt))
        .route("/me/dues/online", post(crate::dues::pages::pay_online))
        .route("/city/badges", get(crate::city::badges::register).post(crate::city::badges::issue))
        .route("/city/badges/sheet", get(crate::city::badges::print_sheet))
        .route("/city/badges/{id}/end", post(crate::city::badges::end))
        .route("/city/feedback/{id}/handled", post(crate::city::badges::handled))
        .route("/city/directory", get(crate::city::directory::admin).post(crate::city::directory::add))
        .route("/city/directory/{id}/verify", post(crate::city::directory::verify))
        .route(
            "/city/directory/import",
            post(crate::city::directory::import).layer(axum::extract::DefaultBodyLimit::max(
                crate::tables::IMPORT_LIMITS.file_bytes + 64 * 1024,
            )),
        )
        .route("/city/directory/export", get(crate::city::directory::export))
        .route(
            "/staff/import",
            post(crate::people::staff_list::import).layer(axum::extract::DefaultBodyLimit::max(
                crate::tables::IMPORT_LIMITS.file_bytes + 64 * 1024,
            )),
        )
        .route("/city/map", get(crate::city::map::admin))
        .route("/city/places", post(crate::city::map::add_place))
        .route(
            "/city/districts",
            post(crate::city::map::import_districts)
                .layer(axum::extract::DefaultBodyLimit::max(crate::city::map::GEOJSON_MAX_BYTES + 64 * 1024)),
        )
        .route("/city/portal", get(crate::city::portal::admin))
        .route("/city/portal/settings", post(crate::city::portal::settings))
        .route(
            "/city/portal/articles",
            post(crate::city::portal::draft).layer(axum::extract::DefaultBodyLimit::max(
                pioneer_domain::study::images::MAX_BYTES + 256 * 1024,
            )),
        )
        .route("/city/portal/articles/{id}/publish", post(crate::city::portal::publish))
        .route(
            "/rules/settings",
            get(crate::development::rules::settings_form).post(crate::development::rules::save_settings),
        )
}

/// The API routes, relative to `/api/v1`.
pub fn api() -> Router<AppState> {
    Router::new()
        .route("/openapi.json", get(crate::openapi::document))
        .route("/portal/{t}", get(crate::city::portal::api_home))
        .route("/portal/{t}/news/{id}", get(crate::city::portal::api_article))
        .route("/portal/{t}/volunteer", post(crate::city::portal::api_volunteer))
        .route("/portal/{t}/places", get(crate::city::map::api_places))
        .route("/portal/{t}/directory", get(crate::city::directory::api_search))
        .route("/portal/settings", post(crate::city::portal::api_settings))
        .route("/portal/articles", post(crate::city::portal::api_draft))
        .route("/portal/articles/{id}/publish", post(crate::city::portal::api_publish))
        .route("/service/teams/{id}/citizens", get(crate::city::portal::api_queue))
        .route("/service/citizens/{id}", post(crate::city::portal::api_handle))
        .route("/staff", get(crate::people::staff_list::api_show))
        .route("/staff/settings", post(crate::people::staff_list::api_keep))
        .route("/staff/todos/{id}", post(crate::people::staff_list::api_decide))
        .route("/terms", get(crate::orgs::officers::api_terms))
        .route(
            "/orgs/{id}/officers",
            get(crate::orgs::officers::api_committee).post(crate::orgs::officers::api_appoint),
        )
        .route("/officers/{id}/end", post(crate::orgs::officers::api_end))
        .route("/orgs/{id}/elections", post(crate::orgs::officers::api_elect))
        .route("/orgs/{id}/postponement", post(crate::orgs::officers::api_postpone))
        .route("/dues", get(crate::dues::api::sheet))
        .route("/dues/profiles", post(crate::dues::api::set_profile))
        .route("/dues/payments", post(crate::dues::api::pay))
        .route("/dues/excusals", post(crate::dues::api::excuse))
        .route("/dues/remittances", post(crate::dues::api::remit))
        .route("/dues/people/{id}", get(crate::dues::api::person))
        .route("/dues/orders/{tenant}/{id}/confirm", post(crate::dues::api::confirm))
        .route("/me/dues", get(crate::dues::api::mine))
        .route("/me/dues/online", post(crate::dues::api::pay_online))
        .route("/verify/{code}", get(crate::city::badges::api_verify))
        .route("/verify/{code}/feedback", post(crate::city::badges::api_send_feedback))
        .route("/badges", get(crate::city::badges::api_list).post(crate::city::badges::api_issue))
        .route("/badges/{id}", get(crate::city::badges::api_show))
        .route("/badges/{id}/end", post(crate::city::badges::api_end))
        .route("/badge-feedback", get(crate::city::badges::api_feedback))
        .route("/badge-feedback/{id}/handled", post(crate::city::badges::api_handled))
        .route("/directory", get(crate::city::directory::api_list).post(crate::city::directory::api_add))
        .route("/directory/{id}/verify", post(crate::city::directory::api_verify))
        .route(
            "/directory/import",
            post(crate::city::directory::api_import).layer(axum::extract::DefaultBodyLimit::max(
                crate::tables::IMPORT_LIMITS.file_bytes + 64 * 1024,
            )),
        )
        .route(
            "/staff/import",
            post(crate::people::staff_list::api_import).layer(axum::extract::DefaultBodyLimit::max(
                crate::tables::IMPORT_LIMITS.file_bytes + 64 * 1024,
            )),
        )
        .route("/places", post(crate::city::map::api_add_place))
        .route(
            "/districts",
            post(crate::city::map::api_import_districts)
                .layer(axum::extract::DefaultBodyLimit::max(crate::city::map::GEOJSON_MAX_BYTES + 64 * 1024)),
        )
        .route("/organizations", get(crate::orgs::api::list).post(crate::orgs::api::create))
        .route("/organizations/{id}", get(crate::orgs::api::show).put(crate::orgs::api::update))
        .route("/organizations/{id}/children", get(crate::orgs::api::children))
        .route("/organizations/{id}/move", post(crate::orgs::api::move_to))
        .route("/organizations/{id}/close", post(crate::orgs::api::close))
        .route("/people", get(crate::people::api::list).post(crate::people::api::create))
        .route(
            "/people/import",
            post(crate::people::roster::api_upload).layer(axum::extract::DefaultBodyLimit::max(
                crate::tables::IMPORT_LIMITS.file_bytes + 64 * 1024,
            )),
        )
        .route("/people/{id}", get(crate::people::api::show).put(crate::people::api::update))
        .route("/people/{id}/unmasked", get(crate::people::api::unmasked))
        .route(
            "/people/{id}/discipline",
            get(crate::people::discipline::list).post(crate::people::discipline::create),
        )
        .route(
            "/people/{id}/departure",
            get(crate::people::departures_api::show)
                .post(crate::people::departures_api::record)
                .delete(crate::people::departures_api::withdraw),
        )
        .route("/dossiers", get(crate::development::api::list).post(crate::development::api::open))
        .route(
            "/dossiers/import",
            post(crate::development::dossier_import::api_upload).layer(axum::extract::DefaultBodyLimit::max(
                crate::tables::IMPORT_LIMITS.file_bytes + 64 * 1024,
            )),
        )
        .route("/dossiers/{id}", get(crate::development::api::show))
        .route("/dossiers/{id}/events", post(crate::development::api::record))
        .route("/work-queue", get(crate::development::api::work_queue))
        .route("/screening", get(crate::development::api::screening))
        .route("/stats", get(crate::stats::api::stats))
        .route("/notices", get(crate::development::api::notices))
        .route("/notices/{notice}/objections", post(crate::development::notices::api_object))
        .route("/objections", get(crate::development::objections::api_list))
        .route("/me/progress", get(crate::development::applications::api_show))
        .route(
            "/me/application",
            post(crate::development::applications::api_submit)
                .layer(axum::extract::DefaultBodyLimit::max(crate::development::applications::BODY_LIMIT)),
        )
        .route("/applications", get(crate::development::applications::api_waiting))
        .route("/applications/{id}/accept", post(crate::development::applications::api_accept))
        .route("/applications/{id}/decline", post(crate::development::applications::api_decline))
        .route("/objections/{id}/accept", post(crate::development::objections::api_accept))
        .route("/objections/{id}/dismiss", post(crate::development::objections::api_dismiss))
        .route("/rules", get(crate::development::api::rules))
        .route("/journal", get(crate::journal::api))
        .route("/journal/check", post(crate::journal::check_api))
        .route(
            "/training",
            get(crate::development::work_api::classes).post(crate::development::work_api::create_class),
        )
        .route("/training/{id}", get(crate::development::work_api::class))
        .route("/training/{id}/attendance", post(crate::development::work_api::attend))
        .route(
            "/contacts",
            get(crate::development::work_api::links).post(crate::development::work_api::assign),
        )
        .route("/contacts/{id}/visits", post(crate::development::work_api::visit))
        .route("/filings", get(crate::development::work_api::filings))
        .route("/meetings", get(crate::orglife::api::list).post(crate::orglife::api::record))
        .route("/people/roster", get(crate::people::roster::export))
        .route("/courses", get(crate::study::api::courses))
        .route("/courses/{id}", get(crate::study::api::course))
        .route("/courses/{id}/complete", post(crate::study::api::complete))
        .route(
            "/courses/{id}/reflections",
            get(crate::study::reflections::api_read).post(crate::study::reflections::api_write),
        )
        .route("/reflections", get(crate::study::reflections::api_waiting))
        .route("/reflections/{id}/approve", post(crate::study::reflections::api_approve))
        .route("/reflections/{id}/return", post(crate::study::reflections::api_return))
        .route("/quizzes", get(crate::study::api::quizzes))
        .route("/quizzes/{id}", get(crate::study::api::quiz))
        .route("/quizzes/{id}/start", post(crate::study::api::start))
        .route("/quizzes/{id}/submit", post(crate::study::api::submit))
        .route("/care", get(crate::care::api::show))
        .route("/care/benefits", post(crate::care::api::add_benefit))
        .route(
            "/care/rules",
            axum::routing::put(crate::care::api::set_rules).delete(crate::care::api::clear_rules),
        )
        .route("/care/redemptions/{id}/fulfil", post(crate::care::api::fulfil))
        .route("/me/credits", get(crate::care::api::mine))
        .route("/me/credits/redeem", post(crate::care::api::redeem))
        .route("/me/service", get(crate::service::api::mine))
        .route("/me/service/certificate", get(crate::service::api::certificate))
        .route("/me/service/shifts/{id}/signup", post(crate::service::api::sign_up))
        .route("/me/service/shifts/{id}/check-in", post(crate::service::api::check_in))
        .route("/me/service/shifts/{id}/check-out", post(crate::service::api::check_out))
        .route("/service", get(crate::service::api::overview))
        .route("/service/teams", post(crate::service::api::create_team))
        .route("/service/teams/{id}", get(crate::service::api::team))
        .route("/service/teams/{id}/volunteers", post(crate::service::api::add_volunteer))
        .route("/service/requests", post(crate::service::api::create_request))
        .route("/service/requests/{id}", get(crate::service::api::request))
        .route("/service/requests/{id}/shifts", post(crate::service::api::add_shift))
        .route("/service/requests/{id}/confirm", post(crate::service::api::confirm_request))
        .route("/service/shifts/{id}/assign", post(crate::service::api::assign))
        .route("/service/shifts/{id}/attendance", post(crate::service::api::attendance))
        .route("/service/shifts/{id}/hours", post(crate::service::api::confirm_hours))
        .route("/service/campaigns", post(crate::service::api::create_campaign))
        .route("/service/campaigns/{id}", get(crate::service::api::campaign))
        .route("/service/campaigns/{id}/donations", post(crate::service::api::record_donation))
        .route("/service/campaigns/{id}/publish", post(crate::service::api::publish))
        .route("/service/donations/{id}/distributions", post(crate::service::api::distribute))
        .route("/campaigns/{id}/summary", get(crate::service::api::summary))
        .route(
            "/images",
            post(crate::study::images::api_upload)
                .layer(axum::extract::DefaultBodyLimit::max(crate::study::images::BODY_LIMIT)),
        )
}
