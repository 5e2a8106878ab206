//! Organisations: the tree and its forms (pages) and `/api/v1/organizations` (API).

pub mod api;
pub mod pages;
