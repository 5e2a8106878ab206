//! The city side (城市服务): the committee's public portal with its news, figures, map,
//! phone directory and citizens' volunteer form ([`portal`], [`map`], [`directory`]); the
//! badge and sticker register with the public verification page ([`badges`]); each as pages
//! and `/api/v1` twins through one function per action. Public reads are limited per address
//! ([`limiter`]); public forms spend the same per-address budget as a notice's objection
//! (`AppState::spend_public_form`).

pub mod badges;
pub mod directory;
pub mod limiter;
pub mod map;
pub mod portal;
pub mod svg;

use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::AppError;
use pioneer_store::orgs::OrgRecord;

/// The signed-in account, if any (public pages show more to a member of their tenant).
pub struct MaybeUser(pub Option<CurrentUser>);

impl axum::extract::FromRequestParts<AppState> for MaybeUser {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        _state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        Ok(Self(parts.extensions.get::<CurrentUser>().cloned()))
    }
}

impl MaybeUser {
    /// Whether the account belongs to `tenant` (its members-only entries are shown).
    pub fn inside(&self, tenant: uuid::Uuid) -> bool {
        self.0.as_ref().is_some_and(|u| u.tenant() == Some(tenant))
    }
}

/// The committee (a top organisation) whose portal `raw` names; unknown or not a top
/// organisation: not found.
pub async fn committee(s: &AppState, raw: &str) -> Result<OrgRecord, AppError> {
    let id = crate::scope::path_id(raw)?;
    match s.store.org(id).await {
        Ok(o) if o.parent_id.is_none() && o.closed_on.is_none() => Ok(o),
        _ => Err(AppError::NotFound),
    }
}

/// A multipart form's fields by name: each one's bytes, or None when it could not be read
/// whole (over the route's body limit). A body that is not multipart is refused (415).
pub async fn form_fields(
    form: Result<axum::extract::Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<std::collections::HashMap<String, Option<Vec<u8>>>, AppError> {
    let mut form = form.map_err(|e| AppError::BadBody {
        status: axum::http::StatusCode::UNSUPPORTED_MEDIA_TYPE,
        detail: e.body_text(),
    })?;
    let mut fields = std::collections::HashMap::new();
    while let Ok(Some(field)) = form.next_field().await {
        let name = field.name().unwrap_or("").to_owned();
        fields.insert(name, field.bytes().await.ok().map(|b| b.to_vec()));
    }
    Ok(fields)
}

/// A text field of [`form_fields`] (empty when missing or unreadable).
pub fn text_field(fields: &std::collections::HashMap<String, Option<Vec<u8>>>, name: &str) -> String {
    fields
        .get(name)
        .and_then(|v| v.as_deref())
        .map(|b| String::from_utf8_lossy(b).into_owned())
        .unwrap_or_default()
}

/// Spends one public read of `address`; refused (429) beyond the per-minute limit.
pub fn read_allowed(s: &AppState, address: &str) -> Result<(), AppError> {
    let now = s.clock.now().as_millisecond();
    if s.public_reads.allow(address, now) { Ok(()) } else { Err(AppError::TooManyRequests) }
}

/// The term of a city-side code (place kind, control level, directory category, audience,
/// badge kind, end reason, feedback kind, invalidity) in the page's language.
pub fn term(t: &crate::i18n::Tr, code: &str) -> String {
    use pioneer_domain::city::badges::{BadgeKind, EndReason, FeedbackKind};
    use pioneer_domain::city::directory::{Audience, Category};
    use pioneer_domain::city::places::{ControlLevel, PlaceKind};
    let pair = PlaceKind::from_code(code)
        .map(|v| (v.zh(), v.en()))
        .or_else(|| ControlLevel::from_code(code).map(|v| (v.zh(), v.en())))
        .or_else(|| Category::from_code(code).map(|v| (v.zh(), v.en())))
        .or_else(|| Audience::from_code(code).map(|v| (v.zh(), v.en())))
        .or_else(|| BadgeKind::from_code(code).map(|v| (v.zh(), v.en())))
        .or_else(|| EndReason::from_code(code).map(|v| (v.zh(), v.en())))
        .or_else(|| FeedbackKind::from_code(code).map(|v| (v.zh(), v.en())))
        .or(match code {
            "left" => Some(("已离开党组织", "left the party organisation")),
            "transferred" => Some(("已转出原党组织", "transferred out of the organisation")),
            "not_member" => Some(("不是党员", "not a party member")),
            _ => None,
        });
    match pair {
        Some((zh, en)) => t.l(zh, en).to_owned(),
        None => code.to_owned(),
    }
}
