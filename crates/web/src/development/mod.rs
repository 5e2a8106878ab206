//! Member development: the work queue and case pages, the step forms, imports, the notice
//! board, the rule catalogue and settings, screening, training and contacts (pages) and
//! `/api/v1/dossiers`, `/work-queue`, `/screening`, `/notices`, `/rules` (API).

pub mod api;
pub mod contacts;
pub mod dossier_form;
pub mod dossier_import;
pub mod dossiers;
pub mod notices;
pub mod rules;
pub mod screening;
pub mod training;
