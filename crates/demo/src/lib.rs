//! The demo deployment of the source article and generated data at scale, for
//! `pioneer serve --demo`, `pioneer demo`, `pioneer generate`, the tests and the benches.
//!
//! Nothing in the production crates depends on this one (CI checks it). The content lives
//! here ([`deployment`], [`dossier_gen`]); the store's [`pioneer_store::bulk`] writes it.
//! Every load is idempotent: rows have fixed ids, so a second run adds nothing.

pub mod accounts;
pub mod city;
pub mod deployment;
pub mod dossier_gen;
pub mod dossiers;
pub mod housekeeping;
pub mod load;
pub mod quiz_riders;
pub mod service;
pub mod study;

pub use deployment::DEMO_ROOT_NAME;
pub use load::{Loaded, generate, generate_dossiers, load_demo};
