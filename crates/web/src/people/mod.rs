//! People: the list, a person's page and forms, the roster import and export, leaving,
//! self-service (pages) and `/api/v1/people` (API).

pub mod api;
pub mod departures;
pub mod departures_api;
pub mod me;
pub mod pages;
pub mod roster;
