//! Organisations: the tree and its forms (pages) and `/api/v1/organizations` (API).

pub mod api;
pub mod pages;

use crate::error::AppError;
use pioneer_domain::Reason;

/// The parent id as typed: empty is none, anything but an id is an unknown organisation.
pub fn parent(raw: Option<&str>) -> Result<Option<uuid::Uuid>, AppError> {
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => uuid::Uuid::try_parse(s)
            .map(Some)
            .map_err(|_| AppError::field("parent_id", Reason::UnknownOrganization)),
    }
}
