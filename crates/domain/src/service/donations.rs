//! Campaigns (专项行动) and donations (捐赠): a campaign groups requests, teams and donations
//! under one name and period; a donation of money (in fen) or goods (kits, packs, cycling
//! cards) is received once and handed out in distributions to recipients, never more than
//! was received.

use crate::codes::coded_enum;
use crate::text;
use crate::{FieldError, Reason, ValidationErrors};
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

coded_enum! {
    /// Money or goods.
    DonationKind {
        /// Money, counted in fen.
        Money = "money", "资金", "money";
        /// Goods, counted in their unit.
        Goods = "goods", "物资", "goods";
    }
}

/// The most one donation counts (units, or fen).
pub const QUANTITY_MAX: i64 = 1_000_000_000_000;

fn quantity(errors: &mut ValidationErrors, field: &'static str, raw: &str) -> Option<i64> {
    match raw.trim().parse::<i64>() {
        Ok(n) if (1..=QUANTITY_MAX).contains(&n) => Some(n),
        _ => {
            errors.push(field, Reason::NumberOutOfRange { min: 1, max: QUANTITY_MAX });
            None
        }
    }
}

/// A campaign as typed.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct CampaignInput {
    /// Name (2022年抗疫专项行动).
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub name: String,
    /// First day.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub starts_on: String,
    /// Last day (empty: still on).
    pub ends_on: String,
}

/// A campaign's checked fields.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CampaignFields {
    /// Name.
    pub name: String,
    /// First day.
    pub starts_on: Date,
    /// Last day, if over.
    pub ends_on: Option<Date>,
}

impl CampaignFields {
    /// Checks every field; the last day is not before the first.
    pub fn parse(i: &CampaignInput) -> Result<Self, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let name = errors.take(text::required("name", &i.name, 80));
        let starts_on = errors.take(text::required_date("starts_on", &i.starts_on));
        let ends_on = errors.take(text::optional_date("ends_on", &i.ends_on)).flatten();
        if let (Some(s), Some(e)) = (starts_on, ends_on)
            && e < s
        {
            errors.push("ends_on", Reason::EndsBeforeStart);
        }
        errors.into_result()?;
        match (name, starts_on) {
            (Some(name), Some(starts_on)) => Ok(Self { name, starts_on, ends_on }),
            _ => Err(ValidationErrors(vec![FieldError::new("name", Reason::Required)])),
        }
    }
}

/// A donation as typed.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct DonationInput {
    /// Who gave (an enterprise, an organisation, members).
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub donor: String,
    /// Money or goods (code).
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub kind: String,
    /// What (抗原检测试剂盒; for money, its purpose).
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub item: String,
    /// The unit (盒, 张; 分 for money).
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub unit: String,
    /// How many (fen for money).
    pub quantity: String,
    /// Received on.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub received_on: String,
}

/// A donation's checked fields.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DonationFields {
    /// Who gave.
    pub donor: String,
    /// Money or goods.
    pub kind: DonationKind,
    /// What.
    pub item: String,
    /// The unit (`分` for money).
    pub unit: String,
    /// How many.
    pub quantity: i64,
    /// Received on.
    pub received_on: Date,
}

impl DonationFields {
    /// Checks every field; money is counted in fen (its unit is always 分).
    pub fn parse(i: &DonationInput) -> Result<Self, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let donor = errors.take(text::required("donor", &i.donor, 80));
        let kind = DonationKind::from_code(i.kind.trim());
        if kind.is_none() {
            errors.push(
                "kind",
                if i.kind.trim().is_empty() { Reason::Required } else { Reason::UnknownChoice },
            );
        }
        let item = errors.take(text::required("item", &i.item, 80));
        let unit = match kind {
            Some(DonationKind::Money) => Some("分".to_owned()),
            _ => errors.take(text::required("unit", &i.unit, 10)),
        };
        let quantity = quantity(&mut errors, "quantity", &i.quantity);
        let received_on = errors.take(text::required_date("received_on", &i.received_on));
        errors.into_result()?;
        match (donor, kind, item, unit, quantity, received_on) {
            (Some(donor), Some(kind), Some(item), Some(unit), Some(quantity), Some(received_on)) => {
                Ok(Self { donor, kind, item, unit, quantity, received_on })
            }
            _ => Err(ValidationErrors(vec![FieldError::new("donor", Reason::Required)])),
        }
    }
}

/// A distribution as typed.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct DistributionInput {
    /// To whom (which institution or community).
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub recipient: String,
    /// How many.
    pub quantity: String,
    /// On.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub on: String,
    /// The receipt (who signed, its number).
    pub receipt: String,
}

/// A distribution's checked fields (the stock is checked by the store).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DistributionFields {
    /// To whom.
    pub recipient: String,
    /// How many.
    pub quantity: i64,
    /// On.
    pub on: Date,
    /// The receipt.
    pub receipt: Option<String>,
}

impl DistributionFields {
    /// Checks every field.
    pub fn parse(i: &DistributionInput) -> Result<Self, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let recipient = errors.take(text::required("recipient", &i.recipient, 80));
        let quantity = quantity(&mut errors, "quantity", &i.quantity);
        let on = errors.take(text::required_date("on", &i.on));
        let receipt = errors.take(text::optional("receipt", &i.receipt, 100)).flatten();
        errors.into_result()?;
        match (recipient, quantity, on) {
            (Some(recipient), Some(quantity), Some(on)) => Ok(Self { recipient, quantity, on, receipt }),
            _ => Err(ValidationErrors(vec![FieldError::new("recipient", Reason::Required)])),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_is_counted_in_fen_and_every_field_is_checked() {
        let d = DonationFields::parse(&DonationInput {
            donor: "美团".into(),
            kind: "money".into(),
            item: "骑手关爱".into(),
            unit: "元".into(),
            quantity: "100000".into(),
            received_on: "2022-03-20".into(),
        })
        .unwrap();
        assert_eq!((d.unit.as_str(), d.quantity), ("分", 100_000));
        let e = DonationFields::parse(&DonationInput {
            kind: "goods".into(),
            quantity: "0".into(),
            ..Default::default()
        })
        .unwrap_err();
        let fields: Vec<&str> = e.0.iter().map(|f| f.field).collect();
        assert_eq!(fields, vec!["donor", "item", "unit", "quantity", "received_on"]);
        let c = CampaignFields::parse(&CampaignInput {
            name: "抗疫".into(),
            starts_on: "2022-03-14".into(),
            ends_on: "2022-03-01".into(),
        });
        assert_eq!(c.unwrap_err().0[0].reason, Reason::EndsBeforeStart);
    }
}
