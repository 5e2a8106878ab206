//! Volunteer teams (志愿服务队): kind, districts served, and each volunteer's skills,
//! vehicle (a truck with its load) and availability. A volunteer is any person record,
//! a party member or not.

use crate::codes::coded_enum;
use crate::text;
use crate::{FieldError, Reason, ValidationErrors};
use serde::{Deserialize, Serialize};

coded_enum! {
    /// What a team does.
    TeamKind {
        /// 青年突击队: epidemic control and emergencies.
        StrikeTeam = "strike_team", "突击队", "strike team";
        /// Meal and supply deliveries.
        DeliveryTeam = "delivery_team", "配送队", "delivery team";
        /// Emergency transport of supplies.
        TransportFleet = "transport_fleet", "运输车队", "transport fleet";
        /// Free rides for front-line staff.
        ShuttleFleet = "shuttle_fleet", "接驳车队", "shuttle fleet";
        /// Community shifts (checkpoints, testing sites).
        CommunityShifts = "community_shifts", "社区值守队", "community shifts";
    }
}

coded_enum! {
    /// The vehicle a volunteer brings.
    Vehicle {
        /// None.
        NoVehicle = "none", "无", "none";
        /// An e-bike (most riders).
        EBike = "e_bike", "电动自行车", "e-bike";
        /// A van.
        Van = "van", "面包车", "van";
        /// A truck, with its load.
        Truck = "truck", "货车", "truck";
    }
}

/// The longest team name.
pub const NAME_MAX: usize = 60;
/// The most districts a team lists.
pub const DISTRICTS_MAX: usize = 20;

/// A team as typed into a form or the API.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct TeamInput {
    /// Name.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub name: String,
    /// Kind code.
    pub kind: String,
    /// Districts served, separated by commas or 、.
    pub districts: String,
    /// The leader (a person's id, or empty; checked where people are known).
    pub leader_id: String,
    /// The campaign it serves (an id, or empty).
    pub campaign_id: String,
}

/// A team's checked fields.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TeamFields {
    /// Name.
    pub name: String,
    /// Kind.
    pub kind: TeamKind,
    /// Districts served.
    pub districts: Vec<String>,
}

impl TeamFields {
    /// Checks every field; all refusals at once.
    pub fn parse(i: &TeamInput) -> Result<Self, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let name = errors.take(text::required("name", &i.name, NAME_MAX));
        let kind = TeamKind::from_code(i.kind.trim());
        if kind.is_none() {
            errors.push("kind", Reason::UnknownChoice);
        }
        let districts = errors.take(districts("districts", &i.districts));
        errors.into_result()?;
        match (name, kind, districts) {
            (Some(name), Some(kind), Some(districts)) => Ok(Self { name, kind, districts }),
            _ => Err(ValidationErrors::default()),
        }
    }
}

/// A list of district names separated by commas or 、 (each at most 20 characters).
pub fn districts(field: &'static str, raw: &str) -> Result<Vec<String>, FieldError> {
    let mut out: Vec<String> = Vec::new();
    for d in raw.split([',', '，', '、']).map(str::trim).filter(|d| !d.is_empty()) {
        let d = text::required(field, d, 20)?;
        if !out.contains(&d) {
            out.push(d);
        }
    }
    if out.len() > DISTRICTS_MAX {
        return Err(FieldError::new(field, Reason::TooLong { max: DISTRICTS_MAX }));
    }
    Ok(out)
}

/// A volunteer's details as typed.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct VolunteerInput {
    /// The person (an id).
    pub person_id: String,
    /// Skills (free text: first aid, driving licence C1, …).
    pub skills: String,
    /// Vehicle code.
    pub vehicle: String,
    /// A truck's load in kilograms.
    pub load_kg: String,
    /// When they can serve (free text: weekday evenings, …).
    pub availability: String,
}

/// A volunteer's checked details (the person is checked by the store).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VolunteerFields {
    /// Skills.
    pub skills: Option<String>,
    /// Vehicle.
    pub vehicle: Vehicle,
    /// A truck's load in kilograms (required for a truck, none otherwise).
    pub load_kg: Option<i64>,
    /// Availability.
    pub availability: Option<String>,
}

/// The heaviest load accepted, in kilograms.
pub const LOAD_MAX_KG: i64 = 50_000;

impl VolunteerFields {
    /// Checks every field; all refusals at once.
    pub fn parse(i: &VolunteerInput) -> Result<Self, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let skills = errors.take(text::optional("skills", &i.skills, 200));
        let availability = errors.take(text::optional("availability", &i.availability, 200));
        let vehicle = if i.vehicle.trim().is_empty() {
            Some(Vehicle::NoVehicle)
        } else {
            Vehicle::from_code(i.vehicle.trim())
        };
        if vehicle.is_none() {
            errors.push("vehicle", Reason::UnknownChoice);
        }
        let load = i.load_kg.trim();
        let load_kg = match (vehicle, load.is_empty()) {
            (Some(Vehicle::Truck), true) => {
                errors.push("load_kg", Reason::Required);
                None
            }
            (_, true) => None,
            (_, false) => match load.parse::<i64>() {
                Ok(n) if (1..=LOAD_MAX_KG).contains(&n) => Some(n),
                _ => {
                    errors.push("load_kg", Reason::NumberOutOfRange { min: 1, max: LOAD_MAX_KG });
                    None
                }
            },
        };
        errors.into_result()?;
        Ok(Self {
            skills: skills.flatten(),
            vehicle: vehicle.unwrap_or(Vehicle::NoVehicle),
            load_kg,
            availability: availability.flatten(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_truck_needs_its_load_and_districts_are_split() {
        let t = TeamFields::parse(&TeamInput {
            name: "货拉拉运输车队".into(),
            kind: "transport_fleet".into(),
            districts: "南山区、福田区, 南山区".into(),
            ..Default::default()
        })
        .unwrap();
        assert_eq!(t.districts, vec!["南山区", "福田区"]);
        let e = VolunteerFields::parse(&VolunteerInput { vehicle: "truck".into(), ..Default::default() })
            .unwrap_err();
        assert_eq!(e.0[0].field, "load_kg");
        let v = VolunteerFields::parse(&VolunteerInput {
            vehicle: "truck".into(),
            load_kg: "4200".into(),
            ..Default::default()
        })
        .unwrap();
        assert_eq!(v.load_kg, Some(4200));
        assert!(TeamFields::parse(&TeamInput { kind: "army".into(), ..Default::default() }).is_err());
    }
}
