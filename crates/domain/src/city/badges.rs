//! Party badges (党员徽章) worn by riders at work and 党员先锋岗 stickers on members'
//! vehicles: the register's fields, a vehicle plate, what a verification page may show, and
//! a citizen's praise or complaint.

use crate::codes::coded_enum;
use crate::text;
use crate::{FieldError, Reason, ValidationErrors};
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

coded_enum! {
    /// What was issued.
    BadgeKind {
        /// A party badge, worn.
        Badge = "badge", "党员徽章", "party badge";
        /// A 党员先锋岗 sticker, on a vehicle.
        Sticker = "sticker", "党员先锋岗车贴", "pioneer sticker";
    }
}

coded_enum! {
    /// Why a badge or sticker stopped being valid.
    EndReason {
        /// Handed back.
        Returned = "returned", "已交回", "returned";
        /// Revoked by the branch.
        Revoked = "revoked", "已撤销", "revoked";
    }
}

coded_enum! {
    /// A citizen's message about a member they met.
    FeedbackKind {
        /// 表扬.
        Praise = "praise", "表扬", "praise";
        /// 投诉.
        Complaint = "complaint", "投诉", "complaint";
    }
}

/// The provinces' one-character abbreviations a plate begins with.
const PROVINCES: &str = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼";

/// A mainland vehicle plate (粤B12345, or 粤BD12345 for a new-energy vehicle), upper case,
/// without separators. Sealed like an ID number wherever it is stored.
#[derive(Clone, PartialEq, Eq)]
pub struct Plate(String);

impl Plate {
    /// Parses a plate; spaces, `·` and hyphens are removed, letters upper-cased.
    pub fn parse(field: &'static str, raw: &str) -> Result<Self, FieldError> {
        let t: String = raw
            .trim()
            .chars()
            .filter(|c| !matches!(c, ' ' | '·' | '-' | '•'))
            .flat_map(char::to_uppercase)
            .collect();
        if t.is_empty() {
            return Err(FieldError::new(field, Reason::Required));
        }
        let mut cs = t.chars();
        let ok = cs.next().is_some_and(|c| PROVINCES.contains(c))
            && cs.next().is_some_and(|c| c.is_ascii_uppercase())
            && {
                let rest: Vec<char> = cs.collect();
                (5..=6).contains(&rest.len())
                    && rest.iter().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
            };
        if ok {
            Ok(Self(t))
        } else {
            Err(FieldError::new(
                field,
                Reason::Refused {
                    zh: "车牌号格式不对（如 粤B12345 或 粤BD12345）",
                    en: "not a plate number (粤B12345 or 粤BD12345)",
                },
            ))
        }
    }

    /// The plate, for sealing and keyed hashing only.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// As a verification page shows it: the province, the city letter and the last two
    /// characters (粤B***45).
    pub fn masked(&self) -> String {
        masked_plate(&self.0)
    }
}

/// A plate as a verification page shows it (粤B***45).
pub fn masked_plate(plate: &str) -> String {
    let cs: Vec<char> = plate.chars().collect();
    if cs.len() < 4 {
        return "***".into();
    }
    let head: String = cs[..2].iter().collect();
    let tail: String = cs[cs.len() - 2..].iter().collect();
    format!("{head}***{tail}")
}

impl std::fmt::Debug for Plate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Plate({})", self.masked())
    }
}

/// A name as a verification page shows it: the surname and 某 (张某).
pub fn masked_name(name: &str) -> String {
    name.chars().next().map_or_else(String::new, |c| format!("{c}某"))
}

/// A badge or sticker as typed.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct BadgeInput {
    /// `badge` or `sticker`.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub kind: String,
    /// The number printed on it (a sticker's is given by pioneer when empty).
    pub number: String,
    /// The member (a person's id).
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub person_id: String,
    /// Where a badge is worn (station, 驿站).
    pub station: String,
    /// A sticker's vehicle plate.
    pub plate: String,
    /// Issued on (`YYYY-MM-DD`; today when empty).
    pub issued_on: String,
}

/// A badge's or sticker's checked fields (the member is checked by the store).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadgeFields {
    /// Kind.
    pub kind: BadgeKind,
    /// Its number, when typed.
    pub number: Option<String>,
    /// Station.
    pub station: Option<String>,
    /// A sticker's plate.
    pub plate: Option<Plate>,
    /// Issued on.
    pub issued_on: Date,
}

impl BadgeFields {
    /// Checks every field: a badge needs its number, a sticker its plate; neither is issued
    /// in the future. All refusals at once.
    pub fn parse(i: &BadgeInput, today: Date) -> Result<Self, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let kind = BadgeKind::from_code(i.kind.trim());
        if kind.is_none() {
            errors.push("kind", Reason::UnknownChoice);
        }
        let number = match errors.take(text::optional("number", &i.number, 20)) {
            Some(None) if kind == Some(BadgeKind::Badge) => {
                errors.push("number", Reason::Required);
                None
            }
            Some(Some(n)) if !n.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') => {
                errors.push(
                    "number",
                    Reason::Refused {
                        zh: "编号只能含字母、数字和连字符",
                        en: "letters, digits and hyphens only",
                    },
                );
                None
            }
            n => n,
        };
        let station = errors.take(text::optional("station", &i.station, 60));
        let plate = match kind {
            Some(BadgeKind::Sticker) => errors.take(Plate::parse("plate", &i.plate).map(Some)),
            _ if !i.plate.trim().is_empty() => {
                errors.push(
                    "plate",
                    Reason::Refused { zh: "只有车贴登记车牌", en: "only a sticker has a plate" },
                );
                None
            }
            _ => Some(None),
        };
        let issued_on = match errors.take(text::optional_date("issued_on", &i.issued_on)) {
            Some(Some(d)) if d > today => {
                errors.push("issued_on", Reason::DateInFuture);
                None
            }
            Some(d) => Some(d.unwrap_or(today)),
            None => None,
        };
        errors.into_result()?;
        match (kind, number, station, plate, issued_on) {
            (Some(kind), Some(number), Some(station), Some(plate), Some(issued_on)) => {
                Ok(Self { kind, number, station, plate, issued_on })
            }
            _ => Err(ValidationErrors::default()),
        }
    }
}

/// A citizen's praise or complaint as typed on the verification page.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct FeedbackInput {
    /// `praise` or `complaint`.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub kind: String,
    /// What happened.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub body: String,
    /// Their name (optional).
    pub name: String,
    /// A mobile number to answer them (optional; sealed).
    pub phone: String,
}

/// A praise or complaint, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedbackFields {
    /// Kind.
    pub kind: FeedbackKind,
    /// What happened.
    pub body: String,
    /// Name.
    pub name: Option<String>,
    /// Phone to answer.
    pub phone: Option<crate::people::phone::PhoneNumber>,
}

impl FeedbackFields {
    /// Checks every field; all refusals at once.
    pub fn parse(i: &FeedbackInput) -> Result<Self, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let kind = FeedbackKind::from_code(i.kind.trim());
        if kind.is_none() {
            errors.push("kind", Reason::UnknownChoice);
        }
        let body = errors.take(text::required("body", &i.body, 500));
        let name = errors.take(text::optional("name", &i.name, 40));
        let phone = match i.phone.trim() {
            "" => Some(None),
            p => errors.take(crate::people::phone::PhoneNumber::parse("phone", p).map(Some)),
        };
        errors.into_result()?;
        match (kind, body, name, phone) {
            (Some(kind), Some(body), Some(name), Some(phone)) => Ok(Self { kind, body, name, phone }),
            _ => Err(ValidationErrors::default()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plates_are_normalised_and_masked() {
        assert_eq!(Plate::parse("plate", "粤b·12345").unwrap().as_str(), "粤B12345");
        assert_eq!(Plate::parse("plate", "粤BD12345").unwrap().masked(), "粤B***45");
        for bad in ["", "B12345", "粤B123", "粤B1234567", "X粤12345"] {
            assert!(Plate::parse("plate", bad).is_err(), "{bad}");
        }
        assert_eq!(masked_name("张伟"), "张某");
    }

    #[test]
    fn a_badge_needs_its_number_and_a_sticker_its_plate() {
        let today = jiff::civil::date(2026, 12, 1);
        let e = BadgeFields::parse(&BadgeInput { kind: "badge".into(), ..Default::default() }, today)
            .unwrap_err();
        assert_eq!(e.0[0].field, "number");
        let e = BadgeFields::parse(&BadgeInput { kind: "sticker".into(), ..Default::default() }, today)
            .unwrap_err();
        assert_eq!(e.0[0].field, "plate");
        let s = BadgeFields::parse(
            &BadgeInput { kind: "sticker".into(), plate: "粤B12345".into(), ..Default::default() },
            today,
        )
        .unwrap();
        assert_eq!((s.number, s.issued_on), (None, today));
        let e = BadgeFields::parse(
            &BadgeInput {
                kind: "badge".into(),
                number: "SZ-001".into(),
                issued_on: "2027-01-01".into(),
                ..Default::default()
            },
            today,
        )
        .unwrap_err();
        assert_eq!(e.0[0].field, "issued_on");
    }
}
