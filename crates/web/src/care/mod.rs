//! Credits and care: the member's balance and redemptions, and the organisation admin's
//! catalogue, fulfilment and credit rules.

pub mod admin;
pub mod api;
pub mod credits;
