//! Pure domain of pioneer: organisations, people and their validation rules.
//!
//! Nothing here does IO, reads a clock or knows about HTTP or SQL: time enters as a
//! `today: jiff::civil::Date` argument so every rule is testable. Reach for
//! [`org::NewOrganization`] and [`person::PersonInput`] to turn untrusted input into
//! checked values, and for [`error::FieldError`] to report what was wrong.

pub mod accounts;
pub mod calendar;
pub mod care;
pub mod city;
pub mod codes;
pub mod development;
pub mod dues;
pub mod error;
pub mod orglife;
pub mod orgs;
pub mod people;
pub mod rng;
pub mod service;
pub mod stats;
pub mod study;
pub mod text;
pub mod words;

pub use error::{FieldError, Reason, ValidationErrors};
