//! Places on the service map: what kind, where (a point in the region), contact and hours,
//! and for a community or zone under epidemic control its level and validity period.

use super::geo::{Bounds, Crs, Point, parse_point};
use crate::codes::coded_enum;
use crate::text;
use crate::{FieldError, Reason, ValidationErrors};
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

coded_enum! {
    /// What a place is.
    PlaceKind {
        /// 骑手驿站: a rider station.
        Station = "station", "骑手驿站", "rider station";
        /// 休息点: a rest point (water, charging, toilets).
        RestPoint = "rest_point", "休息点", "rest point";
        /// 党群服务中心: a party-mass service centre.
        ServiceCentre = "service_centre", "党群服务中心", "party-mass service centre";
        /// 党员先锋岗: a pioneer post.
        PioneerPost = "pioneer_post", "党员先锋岗", "pioneer post";
        /// 社区: a community.
        Community = "community", "社区", "community";
        /// 管控区域: a zone under epidemic control.
        ControlZone = "control_zone", "管控区域", "control zone";
        /// 核酸检测点: a testing point.
        TestingPoint = "testing_point", "检测点", "testing point";
        /// 物资保供点: a supply point.
        SupplyPoint = "supply_point", "保供点", "supply point";
        /// 福利机构: a welfare institution served.
        Institution = "institution", "福利机构", "welfare institution";
    }
}

coded_enum! {
    /// An epidemic-control level (of a community or zone).
    ControlLevel {
        /// 封控区.
        Sealed = "sealed", "封控区", "sealed area";
        /// 管控区.
        Controlled = "controlled", "管控区", "controlled area";
        /// 防范区.
        Precaution = "precaution", "防范区", "precaution area";
    }
}

/// A place as typed into the form or the API.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct PlaceInput {
    /// Name.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub name: String,
    /// Kind code.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub kind: String,
    /// Latitude, decimal degrees.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub lat: String,
    /// Longitude, decimal degrees.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub lng: String,
    /// The coordinate system typed: `cgcs2000` (default, also `wgs84`) or `gcj02` (高德, 腾讯).
    pub crs: String,
    /// District (found from the district outlines when empty).
    pub district: String,
    /// Address.
    pub address: String,
    /// Contact person or desk.
    pub contact: String,
    /// Phone (a public number: landline, mobile or hotline).
    pub phone: String,
    /// Opening hours (free text).
    pub hours: String,
    /// What it offers or what is happening there.
    pub note: String,
    /// Control level code (a community or control zone only).
    pub control_level: String,
    /// First day of the control level.
    pub valid_from: String,
    /// Last day of the control level.
    pub valid_until: String,
}

/// A place's checked fields.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlaceFields {
    /// Name.
    pub name: String,
    /// Kind.
    pub kind: PlaceKind,
    /// Where, as stored.
    pub point: Point,
    /// District, when typed.
    pub district: Option<String>,
    /// Address.
    pub address: Option<String>,
    /// Contact.
    pub contact: Option<String>,
    /// Phone.
    pub phone: Option<super::directory::ContactPhone>,
    /// Hours.
    pub hours: Option<String>,
    /// Note.
    pub note: Option<String>,
    /// Control level with its period.
    pub control: Option<(ControlLevel, Date, Option<Date>)>,
}

impl PlaceFields {
    /// Checks every field; the point must lie in `region`. All refusals at once.
    pub fn parse(i: &PlaceInput, region: &Bounds) -> Result<Self, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let name = errors.take(text::required("name", &i.name, 80));
        let kind = PlaceKind::from_code(i.kind.trim());
        if kind.is_none() {
            errors.push("kind", Reason::UnknownChoice);
        }
        let point = match Crs::parse("crs", &i.crs)
            .map_err(|e| vec![e])
            .and_then(|crs| parse_point(&i.lat, &i.lng, crs))
        {
            Ok(p) => errors.take(region.check(p).map(|()| p)),
            Err(es) => {
                for e in es {
                    errors.push(e.field, e.reason);
                }
                None
            }
        };
        let district = errors.take(text::optional("district", &i.district, 20));
        let address = errors.take(text::optional("address", &i.address, 120));
        let contact = errors.take(text::optional("contact", &i.contact, 40));
        let phone = match i.phone.trim() {
            "" => Some(None),
            p => errors.take(super::directory::ContactPhone::parse("phone", p).map(Some)),
        };
        let hours = errors.take(text::optional("hours", &i.hours, 60));
        let note = errors.take(text::optional("note", &i.note, 300));
        let control = errors.take(control(kind, i));
        errors.into_result()?;
        match (name, kind, point, district, address, contact, phone, hours, note, control) {
            (
                Some(name),
                Some(kind),
                Some(point),
                Some(district),
                Some(address),
                Some(contact),
                Some(phone),
                Some(hours),
                Some(note),
                Some(control),
            ) => Ok(Self { name, kind, point, district, address, contact, phone, hours, note, control }),
            _ => Err(ValidationErrors::default()),
        }
    }
}

/// The control level and period: only for a community or a control zone (a control zone
/// must have one), the period not ending before it starts.
fn control(
    kind: Option<PlaceKind>,
    i: &PlaceInput,
) -> Result<Option<(ControlLevel, Date, Option<Date>)>, FieldError> {
    let level = i.control_level.trim();
    let may = matches!(kind, Some(PlaceKind::Community | PlaceKind::ControlZone));
    if level.is_empty() {
        return if kind == Some(PlaceKind::ControlZone) {
            Err(FieldError::new("control_level", Reason::Required))
        } else {
            Ok(None)
        };
    }
    if !may {
        return Err(FieldError::new(
            "control_level",
            Reason::Refused {
                zh: "只有社区或管控区域才有管控等级",
                en: "only a community or a control zone has a control level",
            },
        ));
    }
    let level =
        ControlLevel::from_code(level).ok_or(FieldError::new("control_level", Reason::UnknownChoice))?;
    let from = text::required_date("valid_from", &i.valid_from)?;
    let until = text::optional_date("valid_until", &i.valid_until)?;
    if until.is_some_and(|u| u < from) {
        return Err(FieldError::new("valid_until", Reason::EndsBeforeStart));
    }
    Ok(Some((level, from, until)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn zone() -> PlaceInput {
        PlaceInput {
            name: "桂园街道封控区".into(),
            kind: "control_zone".into(),
            lat: "22.5455".into(),
            lng: "114.1120".into(),
            control_level: "sealed".into(),
            valid_from: "2022-03-01".into(),
            valid_until: "2022-03-14".into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_zone_needs_its_level_and_a_period_in_order() {
        let z = PlaceFields::parse(&zone(), &Bounds::SHENZHEN).unwrap();
        assert_eq!(z.control.unwrap().0, ControlLevel::Sealed);
        let e = PlaceFields::parse(&PlaceInput { control_level: String::new(), ..zone() }, &Bounds::SHENZHEN)
            .unwrap_err();
        assert_eq!(e.0[0].field, "control_level");
        let e =
            PlaceFields::parse(&PlaceInput { valid_until: "2022-02-01".into(), ..zone() }, &Bounds::SHENZHEN)
                .unwrap_err();
        assert_eq!(e.0[0].field, "valid_until");
        let e = PlaceFields::parse(&PlaceInput { kind: "station".into(), ..zone() }, &Bounds::SHENZHEN)
            .unwrap_err();
        assert_eq!(e.0[0].field, "control_level");
    }

    #[test]
    fn a_point_outside_the_region_or_a_bad_phone_is_refused() {
        let e = PlaceFields::parse(
            &PlaceInput { lat: "39.9".into(), lng: "116.4".into(), ..zone() },
            &Bounds::SHENZHEN,
        )
        .unwrap_err();
        assert_eq!(e.0[0].field, "lat");
        let e =
            PlaceFields::parse(&PlaceInput { phone: "12".into(), ..zone() }, &Bounds::SHENZHEN).unwrap_err();
        assert_eq!(e.0[0].field, "phone");
    }
}
