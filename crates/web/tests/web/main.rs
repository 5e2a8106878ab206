//! In-process tests of the router (pages and API), one module per capability, each
//! scenario on a fresh SQLite database and, when PIONEER_TEST_POSTGRES_URL is set, on a fresh
//! PostgreSQL database.
//!
//! To add a test: write `async fn what_it_shows(app: TestApp)` in the capability's module
//! and add its name to that module's `pioneer_store::on_both!` list. `support` holds the
//! harness (`TestApp`, which is also a signed-in `Client`) and the builders for a test's own
//! fixtures: `app.branch("三支部")`, then `.secretary()` for a signed-in client of its own,
//! `.member("王骑手")` for a person with a valid ID number. Prefer them to the demo's names.

#![expect(clippy::unwrap_used, clippy::expect_used, reason = "a test fails loudly at the first surprise")]

mod support;

mod accounts;
mod api;
mod applications;
mod auth;
mod care;
mod city;
mod development;
mod faults;
mod faulty_history;
mod housekeeping;
mod i18n;
mod imports;
mod openapi;
mod orglife;
mod orgs;
mod pages;
mod people;
mod reflections;
mod scale;
mod screening;
mod service;
mod stats;
mod study;
