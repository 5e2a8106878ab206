//! Pure domain of pioneer: organisations, people and their validation rules.
//!
//! Nothing here does IO, reads a clock or knows about HTTP or SQL: time enters as a
//! `today: jiff::civil::Date` argument so every rule is testable. Reach for
//! [`org::NewOrganization`] and [`person::PersonInput`] to turn untrusted input into
//! checked values, and for [`error::FieldError`] to report what was wrong.

pub mod access;
pub mod age;
pub mod calendar;
pub mod contacts;
pub mod demo;
pub mod departure;
pub mod dev_settings;
pub mod dossier;
pub mod dossier_gen;
pub mod dossier_import;
pub mod engine;
pub mod error;
pub mod ethnicity;
pub mod id_card;
pub mod ledger;
pub mod org;
pub mod orglife;
pub mod password;
pub mod periods;
pub mod person;
pub mod phone;
pub mod procedure;
pub mod quiz;
pub mod rng;
pub mod roster;
pub mod rules;
pub mod screening;
pub mod stats;
pub mod study;
pub mod text;
pub mod training;
pub mod vote;

pub use error::{FieldError, Reason, ValidationErrors};
