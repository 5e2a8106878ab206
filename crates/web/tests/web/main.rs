//! In-process tests of the router (pages and API), one module per capability, each
//! scenario on a fresh SQLite database and, when PIONEER_TEST_POSTGRES_URL is set, on a fresh
//! PostgreSQL database (registered with `pioneer_store::on_both!`). The harness and its
//! request helpers live in `support`.

#![expect(clippy::unwrap_used, clippy::expect_used, reason = "a test fails loudly at the first surprise")]

mod support;

mod accounts;
mod api;
mod auth;
mod care;
mod development;
mod i18n;
mod orglife;
mod orgs;
mod people;
mod stats;
mod study;
