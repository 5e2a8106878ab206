//! Service requests (服务需求) from those who need help — a community or street office, a
//! hospital, a welfare institution — with a contact person and phone (sealed like every
//! phone), what is needed, where, when, how much and how urgently; and how a request moves:
//! open → staffed → under way → done → confirmed.

use super::Window;
use crate::codes::coded_enum;
use crate::people::phone::PhoneNumber;
use crate::text;
use crate::{FieldError, Reason, ValidationErrors};
use serde::{Deserialize, Serialize};

coded_enum! {
    /// Who asks.
    RequesterKind {
        /// A residents' community (社区).
        Community = "community", "社区", "community";
        /// A street office (街道办).
        StreetOffice = "street_office", "街道办", "street office";
        /// A hospital.
        Hospital = "hospital", "医院", "hospital";
        /// A welfare institution (福利机构).
        WelfareInstitution = "welfare_institution", "福利机构", "welfare institution";
        /// Anyone else.
        Other = "other", "其他", "other";
    }
}

coded_enum! {
    /// What is needed.
    RequestKind {
        /// Meals delivered.
        MealDelivery = "meal_delivery", "送餐", "meal delivery";
        /// Supplies carried in an emergency.
        SupplyTransport = "supply_transport", "物资运输", "supply transport";
        /// Front-line staff driven to work.
        MedicalShuttle = "medical_shuttle", "医护接送", "medical shuttle";
        /// Help at a welfare institution.
        WelfareHelp = "welfare_help", "福利机构帮扶", "welfare help";
        /// A community shift (checkpoint, testing site).
        CommunityShift = "community_shift", "社区值守", "community shift";
    }
}

coded_enum! {
    /// How urgent.
    Urgency {
        /// Within days.
        Normal = "normal", "一般", "normal";
        /// Within a day.
        Urgent = "urgent", "紧急", "urgent";
        /// Now.
        Critical = "critical", "特急", "critical";
    }
}

coded_enum! {
    /// Where a request stands.
    RequestStatus {
        /// Accepted, shifts not yet full.
        Open = "open", "待认领", "open";
        /// Every shift full.
        Staffed = "staffed", "已满员", "staffed";
        /// A shift has begun.
        UnderWay = "under_way", "进行中", "under way";
        /// Every shift ended.
        Done = "done", "已完成", "done";
        /// Confirmed by the requester or the team leader.
        Confirmed = "confirmed", "已确认", "confirmed";
    }
}

impl RequestStatus {
    /// The status a request has, from its shifts: none or some with places left and none
    /// begun (open), all full (staffed), one begun (under way), all ended (done); confirmed
    /// stays confirmed.
    pub fn of(confirmed: bool, shifts: usize, full: usize, begun: usize, ended: usize) -> Self {
        if confirmed {
            RequestStatus::Confirmed
        } else if shifts > 0 && ended == shifts {
            RequestStatus::Done
        } else if begun > 0 {
            RequestStatus::UnderWay
        } else if shifts > 0 && full == shifts {
            RequestStatus::Staffed
        } else {
            RequestStatus::Open
        }
    }
}

/// The longest free texts.
pub const NAME_MAX: usize = 80;

/// A request as typed.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct RequestInput {
    /// Who asks (the community, hospital, institution).
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub requester: String,
    /// Their kind code.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub requester_kind: String,
    /// The contact person.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub contact_name: String,
    /// The contact's phone.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub contact_phone: String,
    /// What is needed (kind code).
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub kind: String,
    /// Address.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub address: String,
    /// District.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub district: String,
    /// From (`YYYY-MM-DDTHH:MM`).
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub starts_at: String,
    /// Until.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub ends_at: String,
    /// How much (meals, trips, people).
    pub quantity: String,
    /// Urgency code.
    pub urgency: String,
    /// Anything else.
    pub note: String,
    /// The team that staffs it (an id, or empty; checked where teams are known).
    pub team_id: String,
    /// The campaign it belongs to (an id, or empty).
    pub campaign_id: String,
}

/// A request's checked fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestFields {
    /// Who asks.
    pub requester: String,
    /// Their kind.
    pub requester_kind: RequesterKind,
    /// The contact person.
    pub contact_name: String,
    /// The contact's phone.
    pub contact_phone: PhoneNumber,
    /// What is needed.
    pub kind: RequestKind,
    /// Address.
    pub address: String,
    /// District.
    pub district: String,
    /// When.
    pub window: Window,
    /// How much.
    pub quantity: i64,
    /// Urgency.
    pub urgency: Urgency,
    /// Anything else.
    pub note: Option<String>,
}

/// The most a request asks for.
pub const QUANTITY_MAX: i64 = 1_000_000;

fn choice<T>(
    errors: &mut ValidationErrors,
    field: &'static str,
    raw: &str,
    parse: fn(&str) -> Option<T>,
) -> Option<T> {
    let v = parse(raw.trim());
    if v.is_none() {
        errors.push(field, if raw.trim().is_empty() { Reason::Required } else { Reason::UnknownChoice });
    }
    v
}

impl RequestFields {
    /// Checks every field; all refusals at once. A request without a contact person and
    /// phone is refused.
    pub fn parse(i: &RequestInput) -> Result<Self, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let requester = errors.take(text::required("requester", &i.requester, NAME_MAX));
        let requester_kind =
            choice(&mut errors, "requester_kind", &i.requester_kind, RequesterKind::from_code);
        let contact_name = errors.take(text::required("contact_name", &i.contact_name, 30));
        let contact_phone = if i.contact_phone.trim().is_empty() {
            errors.push("contact_phone", Reason::Required);
            None
        } else {
            errors.take(PhoneNumber::parse("contact_phone", &i.contact_phone))
        };
        let kind = choice(&mut errors, "kind", &i.kind, RequestKind::from_code);
        let address = errors.take(text::required("address", &i.address, 200));
        let district = errors.take(text::required("district", &i.district, 20));
        let window = match Window::parse("starts_at", &i.starts_at, "ends_at", &i.ends_at) {
            Ok(w) => Some(w),
            Err(es) => {
                errors.0.extend(es);
                None
            }
        };
        let quantity = match i.quantity.trim().parse::<i64>() {
            Ok(n) if (1..=QUANTITY_MAX).contains(&n) => Some(n),
            _ => {
                errors.push("quantity", Reason::NumberOutOfRange { min: 1, max: QUANTITY_MAX });
                None
            }
        };
        let urgency = if i.urgency.trim().is_empty() {
            Some(Urgency::Normal)
        } else {
            choice(&mut errors, "urgency", &i.urgency, Urgency::from_code)
        };
        let note = errors.take(text::optional("note", &i.note, 1000));
        errors.into_result()?;
        match (
            requester,
            requester_kind,
            contact_name,
            contact_phone,
            kind,
            address,
            district,
            window,
            quantity,
            urgency,
            note,
        ) {
            (
                Some(requester),
                Some(requester_kind),
                Some(contact_name),
                Some(contact_phone),
                Some(kind),
                Some(address),
                Some(district),
                Some(window),
                Some(quantity),
                Some(urgency),
                Some(note),
            ) => Ok(Self {
                requester,
                requester_kind,
                contact_name,
                contact_phone,
                kind,
                address,
                district,
                window,
                quantity,
                urgency,
                note,
            }),
            _ => Err(ValidationErrors(vec![FieldError::new("requester", Reason::Required)])),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> RequestInput {
        RequestInput {
            requester: "桃源街道福利院".into(),
            requester_kind: "welfare_institution".into(),
            contact_name: "李主任".into(),
            contact_phone: "13912345678".into(),
            kind: "meal_delivery".into(),
            address: "南山区桃源街道".into(),
            district: "南山区".into(),
            starts_at: "2022-03-15T10:00".into(),
            ends_at: "2022-03-15T13:00".into(),
            quantity: "120".into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_request_needs_a_contact_and_a_window_that_ends_after_it_starts() {
        let r = RequestFields::parse(&input()).unwrap();
        assert_eq!((r.quantity, r.urgency, r.window.minutes()), (120, Urgency::Normal, 180));
        let e = RequestFields::parse(&RequestInput {
            contact_phone: String::new(),
            contact_name: " ".into(),
            ..input()
        })
        .unwrap_err();
        let fields: Vec<&str> = e.0.iter().map(|f| f.field).collect();
        assert_eq!(fields, vec!["contact_name", "contact_phone"]);
        let e = RequestFields::parse(&RequestInput { ends_at: "2022-03-15T09:00".into(), ..input() })
            .unwrap_err();
        assert_eq!((e.0[0].field, &e.0[0].reason), ("ends_at", &Reason::EndsBeforeStart));
    }

    #[test]
    fn the_status_follows_the_shifts() {
        assert_eq!(RequestStatus::of(false, 0, 0, 0, 0), RequestStatus::Open);
        assert_eq!(RequestStatus::of(false, 2, 1, 0, 0), RequestStatus::Open);
        assert_eq!(RequestStatus::of(false, 2, 2, 0, 0), RequestStatus::Staffed);
        assert_eq!(RequestStatus::of(false, 2, 2, 1, 0), RequestStatus::UnderWay);
        assert_eq!(RequestStatus::of(false, 2, 2, 2, 2), RequestStatus::Done);
        assert_eq!(RequestStatus::of(true, 2, 2, 2, 2), RequestStatus::Confirmed);
    }
}
