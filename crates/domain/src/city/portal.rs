//! The committee's public portal: news articles in columns, the figures the committee
//! chooses to publish (always computed from the statistics, never typed) and a citizen's
//! volunteer sign-up.

use crate::codes::coded_enum;
use crate::text;
use crate::{Reason, ValidationErrors};
use serde::{Deserialize, Serialize};

coded_enum! {
    /// A figure the portal may publish.
    Figure {
        /// New members since the chosen year.
        NewMembers = "new_members", "新发展党员", "new members";
        /// Of them, the share under 30.
        Under30Share = "under_30_share", "其中30岁及以下占比", "share aged 30 and under";
        /// Of them, the share with college education or more (大专及以上).
        CollegeShare = "college_share", "其中大专及以上学历占比", "share with college education";
        /// Applications this year and their growth on last year.
        Applications = "applications", "入党申请及增长", "applications and growth";
        /// Volunteer hours confirmed this year.
        VolunteerHours = "volunteer_hours", "志愿服务时长", "volunteer hours";
    }
}

/// An article as typed.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct ArticleInput {
    /// Title.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub title: String,
    /// Column (栏目): 工作动态, 先锋风采, …
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub column: String,
    /// One-paragraph summary (the feed's and the list's).
    pub summary: String,
    /// Body: paragraphs separated by blank lines (plain text; no markup is kept).
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub body: String,
}

/// An article's checked fields.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ArticleFields {
    /// Title.
    pub title: String,
    /// Column.
    pub column: String,
    /// Summary.
    pub summary: Option<String>,
    /// Body.
    pub body: String,
}

/// The longest article body, in characters.
pub const BODY_MAX: usize = 20_000;

impl ArticleFields {
    /// Checks every field; all refusals at once.
    pub fn parse(i: &ArticleInput) -> Result<Self, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let title = errors.take(text::required("title", &i.title, 80));
        let column = errors.take(text::required("column", &i.column, 20));
        let summary = errors.take(text::optional("summary", &i.summary, 300));
        let body = i.body.replace("\r\n", "\n");
        let body = body.trim();
        if body.is_empty() {
            errors.push("body", Reason::Required);
        } else if body.chars().count() > BODY_MAX {
            errors.push("body", Reason::TooLong { max: BODY_MAX });
        } else if body.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
            errors.push("body", Reason::UnknownChoice);
        }
        errors.into_result()?;
        match (title, column, summary) {
            (Some(title), Some(column), Some(summary)) => {
                Ok(Self { title, column, summary, body: body.to_owned() })
            }
            _ => Err(ValidationErrors::default()),
        }
    }

    /// The body's paragraphs.
    pub fn paragraphs(body: &str) -> Vec<&str> {
        body.split("\n\n").map(str::trim).filter(|p| !p.is_empty()).collect()
    }
}

/// What the portal publishes, as typed by the committee.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct PortalSettingsInput {
    /// The portal's title.
    pub title: String,
    /// Figure codes, separated by commas.
    pub figures: String,
    /// New members are counted since 1 January of this year.
    pub since_year: String,
}

/// What the portal publishes, checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PortalSettings {
    /// Title.
    pub title: Option<String>,
    /// Figures, in the committee's order.
    pub figures: Vec<Figure>,
    /// Since which year new members are counted.
    pub since_year: i16,
}

impl PortalSettings {
    /// Checks the settings against `this_year`; all refusals at once.
    pub fn parse(i: &PortalSettingsInput, this_year: i16) -> Result<Self, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let title = errors.take(text::optional("title", &i.title, 60));
        let mut figures = Vec::new();
        for code in i.figures.split([',', '，']).map(str::trim).filter(|c| !c.is_empty()) {
            match Figure::from_code(code) {
                Some(f) if !figures.contains(&f) => figures.push(f),
                Some(_) => {}
                None => errors.push("figures", Reason::UnknownChoice),
            }
        }
        let since_year = match i.since_year.trim() {
            "" => Some(this_year),
            y => match y.parse::<i16>() {
                Ok(y) if (1921..=this_year).contains(&y) => Some(y),
                _ => {
                    errors.push(
                        "since_year",
                        Reason::NumberOutOfRange { min: 1921, max: i64::from(this_year) },
                    );
                    None
                }
            },
        };
        errors.into_result()?;
        match (title, since_year) {
            (Some(title), Some(since_year)) => Ok(Self { title, figures, since_year }),
            _ => Err(ValidationErrors::default()),
        }
    }
}

/// A citizen's volunteer sign-up from the portal, as typed.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct CitizenSignupInput {
    /// The team they want to join (an id from the portal's list).
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub team_id: String,
    /// Name.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub name: String,
    /// Mobile number (sealed; the team leader calls back).
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub phone: String,
    /// District they live in.
    pub district: String,
    /// Skills and vehicle (free text).
    pub skills: String,
    /// When they can serve.
    pub availability: String,
}

/// A citizen's sign-up, checked (the team is checked by the store).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CitizenSignupFields {
    /// Name.
    pub name: String,
    /// Phone.
    pub phone: crate::people::phone::PhoneNumber,
    /// District.
    pub district: Option<String>,
    /// Skills.
    pub skills: Option<String>,
    /// Availability.
    pub availability: Option<String>,
}

impl CitizenSignupFields {
    /// Checks every field; all refusals at once.
    pub fn parse(i: &CitizenSignupInput) -> Result<Self, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let name = errors.take(text::required("name", &i.name, 40));
        let phone = errors.take(crate::people::phone::PhoneNumber::parse("phone", &i.phone));
        let district = errors.take(text::optional("district", &i.district, 20));
        let skills = errors.take(text::optional("skills", &i.skills, 200));
        let availability = errors.take(text::optional("availability", &i.availability, 200));
        errors.into_result()?;
        match (name, phone, district, skills, availability) {
            (Some(name), Some(phone), Some(district), Some(skills), Some(availability)) => {
                Ok(Self { name, phone, district, skills, availability })
            }
            _ => Err(ValidationErrors::default()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_and_articles_are_checked() {
        let s = PortalSettings::parse(
            &PortalSettingsInput {
                figures: "new_members, college_share,new_members".into(),
                ..Default::default()
            },
            2026,
        )
        .unwrap();
        assert_eq!((s.figures, s.since_year), (vec![Figure::NewMembers, Figure::CollegeShare], 2026));
        let e = PortalSettings::parse(
            &PortalSettingsInput {
                figures: "typed_number".into(),
                since_year: "2030".into(),
                ..Default::default()
            },
            2026,
        )
        .unwrap_err();
        assert_eq!(e.0.iter().map(|e| e.field).collect::<Vec<_>>(), vec!["figures", "since_year"]);
        let a = ArticleFields::parse(&ArticleInput {
            title: "t".into(),
            column: "工作动态".into(),
            body: "一\r\n\r\n二\n".into(),
            ..Default::default()
        })
        .unwrap();
        assert_eq!(ArticleFields::paragraphs(&a.body), vec!["一", "二"]);
        let e = CitizenSignupFields::parse(&CitizenSignupInput { phone: "123".into(), ..Default::default() })
            .unwrap_err();
        assert_eq!(e.0.iter().map(|e| e.field).collect::<Vec<_>>(), vec!["name", "phone"]);
    }
}
