//! Credits and care: the member's balance and redemptions, and the organisation admin's
//! catalogue, fulfilment and credit rules.

pub mod admin;
pub mod api;
pub mod credits;

/// Whether a form's own key (its idempotency key: a resent form applies once) is usable:
/// 1–80 letters, digits or '-'.
pub fn form_key_ok(key: &str) -> bool {
    !key.is_empty() && key.len() <= 80 && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
}
