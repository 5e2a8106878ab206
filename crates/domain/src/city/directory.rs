//! The phone directory (手机黄页): entries with a category, district, address, hours and a
//! public phone number (a mobile, a landline with its area code, a 400/800 number or a
//! short hotline), public or for members only, and the day someone last checked them.

use crate::codes::coded_enum;
use crate::text;
use crate::{FieldError, Reason, ValidationErrors};
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

coded_enum! {
    /// What an entry is.
    Category {
        /// 社区工作站 / 居委会.
        CommunityOffice = "community_office", "社区工作站", "community office";
        /// 医院.
        Hospital = "hospital", "医院", "hospital";
        /// 核酸检测点.
        TestingSite = "testing_site", "检测点", "testing site";
        /// 党群服务中心.
        ServiceCentre = "service_centre", "党群服务中心", "service centre";
        /// 骑手驿站.
        Station = "station", "骑手驿站", "rider station";
        /// 福利机构.
        WelfareInstitution = "welfare_institution", "福利机构", "welfare institution";
        /// 热线.
        Hotline = "hotline", "服务热线", "hotline";
    }
}

coded_enum! {
    /// Who may see an entry.
    Audience {
        /// Anyone, on the public portal.
        Public = "public", "公开", "public";
        /// Signed-in members only.
        Members = "members", "仅党员", "members only";
    }
}

/// A public phone number as dialled: digits, and one hyphen after a landline's area code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ContactPhone(String);

impl ContactPhone {
    /// Parses a mobile (11 digits from 13…19), a landline (0 and a 2–3 digit area code, then
    /// 7–8 digits), a 400/800 number (10 digits) or a hotline (3–6 digits: 110, 12345,
    /// 95598). Spaces, hyphens, brackets and a +86 prefix are accepted and removed.
    pub fn parse(field: &'static str, raw: &str) -> Result<Self, FieldError> {
        let t = raw.trim();
        if t.is_empty() {
            return Err(FieldError::new(field, Reason::Required));
        }
        let mut d: String = t.chars().filter(|c| !matches!(c, ' ' | '-' | '(' | ')' | '（' | '）')).collect();
        if let Some(rest) = d.strip_prefix("+86") {
            d = rest.to_owned();
        }
        let b = d.as_bytes();
        if !b.iter().all(u8::is_ascii_digit) {
            return Err(FieldError::new(field, Reason::PhoneFormat));
        }
        let n = b.len();
        let ok = |s: String| Ok(Self(s));
        if n == 11 && b[0] == b'1' && b[1] >= b'3' {
            return ok(d);
        }
        if n == 10 && (d.starts_with("400") || d.starts_with("800")) {
            return ok(d);
        }
        if (3..=6).contains(&n) && b[0] != b'0' {
            return ok(d);
        }
        if b.first() == Some(&b'0') {
            // Area codes: 010 and 02X are three digits, the rest four.
            let area = if b.get(1) == Some(&b'1') || b.get(1) == Some(&b'2') { 3 } else { 4 };
            let local = n.saturating_sub(area);
            if n > area && (7..=8).contains(&local) && b[area] != b'0' {
                return ok(format!("{}-{}", &d[..area], &d[area..]));
            }
        }
        Err(FieldError::new(field, Reason::PhoneFormat))
    }

    /// As shown and dialled (`0755-12345678`).
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Takes a number already checked (read back from storage).
    pub fn stored(s: String) -> Self {
        Self(s)
    }
}

/// An entry as typed into the form, the API or a row of the xlsx file.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct EntryInput {
    /// Name.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub name: String,
    /// Category code (or its Chinese name, as a spreadsheet has it).
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub category: String,
    /// District.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub district: String,
    /// Address.
    pub address: String,
    /// Hours.
    pub hours: String,
    /// Phone.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub phone: String,
    /// `public` (default) or `members` (also 公开 / 仅党员).
    pub audience: String,
    /// The day it was last checked (`YYYY-MM-DD`; today when empty).
    pub verified_on: String,
}

/// An entry's checked fields.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EntryFields {
    /// Name.
    pub name: String,
    /// Category.
    pub category: Category,
    /// District.
    pub district: String,
    /// Address.
    pub address: Option<String>,
    /// Hours.
    pub hours: Option<String>,
    /// Phone.
    pub phone: ContactPhone,
    /// Who may see it.
    pub audience: Audience,
    /// Last checked.
    pub verified_on: Date,
}

/// A code or its name in either language.
fn choice<T: Copy>(
    all: &[T],
    raw: &str,
    code: fn(T) -> &'static str,
    zh: fn(T) -> &'static str,
) -> Option<T> {
    let t = raw.trim();
    all.iter().copied().find(|v| code(*v) == t || zh(*v) == t)
}

impl EntryFields {
    /// Checks every field (`today` for an empty or future verification day). All refusals at
    /// once.
    pub fn parse(i: &EntryInput, today: Date) -> Result<Self, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let name = errors.take(text::required("name", &i.name, 80));
        let category = choice(Category::ALL, &i.category, Category::code, Category::zh);
        if category.is_none() {
            errors.push(
                "category",
                if i.category.trim().is_empty() { Reason::Required } else { Reason::UnknownChoice },
            );
        }
        let district = errors.take(text::required("district", &i.district, 20));
        let address = errors.take(text::optional("address", &i.address, 120));
        let hours = errors.take(text::optional("hours", &i.hours, 60));
        let phone = errors.take(ContactPhone::parse("phone", &i.phone));
        let audience = if i.audience.trim().is_empty() {
            Some(Audience::Public)
        } else {
            choice(Audience::ALL, &i.audience, Audience::code, Audience::zh)
        };
        if audience.is_none() {
            errors.push("audience", Reason::UnknownChoice);
        }
        let verified_on = match errors.take(text::optional_date("verified_on", &i.verified_on)) {
            Some(Some(d)) if d > today => {
                errors.push("verified_on", Reason::DateInFuture);
                None
            }
            Some(d) => Some(d.unwrap_or(today)),
            None => None,
        };
        errors.into_result()?;
        match (name, category, district, address, hours, phone, audience, verified_on) {
            (
                Some(name),
                Some(category),
                Some(district),
                Some(address),
                Some(hours),
                Some(phone),
                Some(audience),
                Some(verified_on),
            ) => Ok(Self { name, category, district, address, hours, phone, audience, verified_on }),
            _ => Err(ValidationErrors::default()),
        }
    }
}

/// Whether an entry last checked on `verified_on` is stale on `today` after `days`.
pub fn stale(verified_on: Date, today: Date, days: i64) -> bool {
    verified_on.checked_add(jiff::Span::new().days(days)).is_ok_and(|due| due < today)
}

/// Days after which an entry is flagged to its owner to be checked again, by default.
pub const STALE_AFTER_DAYS: i64 = 180;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phones_people_write_are_accepted_and_normalised() {
        let p = |s: &str| ContactPhone::parse("phone", s).map(|p| p.as_str().to_owned());
        assert_eq!(p("0755 8888 1234").unwrap(), "0755-88881234");
        assert_eq!(p("(010)12345678").unwrap(), "010-12345678");
        assert_eq!(p("+86 138 0013 8000").unwrap(), "13800138000");
        assert_eq!(p("12345").unwrap(), "12345");
        assert_eq!(p("400-820-8820").unwrap(), "4008208820");
        for bad in ["", "0755-123", "abc", "12", "0755-0123456", "1234567890123"] {
            assert!(p(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_row_without_a_phone_or_with_an_unknown_category_is_refused() {
        let today = jiff::civil::date(2026, 12, 1);
        let ok = EntryInput {
            name: "南山区疾控中心".into(),
            category: "医院".into(),
            district: "南山区".into(),
            phone: "0755-26601234".into(),
            ..Default::default()
        };
        let e = EntryFields::parse(&ok, today).unwrap();
        assert_eq!((e.category, e.audience, e.verified_on), (Category::Hospital, Audience::Public, today));
        let e = EntryFields::parse(
            &EntryInput { phone: String::new(), category: "x".into(), ..ok.clone() },
            today,
        )
        .unwrap_err();
        assert_eq!(e.0.iter().map(|e| e.field).collect::<Vec<_>>(), vec!["category", "phone"]);
        assert!(stale(jiff::civil::date(2026, 1, 1), today, 180));
        assert!(!stale(jiff::civil::date(2026, 11, 1), today, 180));
    }
}
