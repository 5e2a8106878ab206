//! Member development in storage: dossiers and their events, batched dossier writes,
//! screening, training classes and one-to-one contact.

pub mod applications;
pub mod contacts;
pub mod dossier_batch;
pub mod dossiers;
pub mod objections;
pub mod screening;
pub mod training;
