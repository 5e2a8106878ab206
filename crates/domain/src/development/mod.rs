//! Member development (发展党员): the 25 steps as data, dossiers of dated events, the rule
//! engine that guides and screens them, the five controls, training and one-to-one contact.

pub mod application;
pub mod batches;
pub mod contacts;
pub mod dev_settings;
pub mod dossier;
pub mod dossier_import;
pub mod engine;
pub mod objections;
pub mod periods;
pub mod procedure;
pub mod rules;
pub mod screening;
pub mod training;
pub mod vote;
