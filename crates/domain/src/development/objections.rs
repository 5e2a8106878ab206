//! Objections to a public notice (公示异议), as real 公示 practice takes them: in the
//! objector's real name with a phone number to reach them; received first, blocking nothing
//! until the organisation accepts one for investigation (it then enters the dossier and
//! holds the next step until resolved) or dismisses it with a reason.

use crate::people::phone::PhoneNumber;
use crate::{FieldError, Reason, ValidationErrors, text};

/// How many objections one phone number may file against one notice.
pub const PER_PHONE_PER_NOTICE: i64 = 2;
/// How many objections one notice takes a day from everyone; beyond it, the form points to
/// the organisation's own address.
pub const PER_NOTICE_PER_DAY: i64 = 20;
/// How many objections one network address may file per 15 minutes, all notices together.
pub const PER_ADDRESS: usize = 5;

/// The public form as sent.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct ObjectionInput {
    /// The objector's real name.
    #[serde(default)]
    pub name: String,
    /// A phone number to reach them (sealed like every phone number).
    #[serde(default)]
    pub phone: String,
    /// The objection.
    #[serde(default)]
    pub text: String,
}

/// A checked objection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObjectionFields {
    /// Name, 1–30 characters.
    pub name: String,
    /// Phone.
    pub phone: PhoneNumber,
    /// Text, 1–1000 characters.
    pub text: String,
}

impl ObjectionInput {
    /// Checks every field, reporting each refusal.
    pub fn parse(&self) -> Result<ObjectionFields, ValidationErrors> {
        let mut e = ValidationErrors::default();
        let name = text::required("name", &self.name, 30).map_err(|x| e.0.push(x)).ok();
        let phone = PhoneNumber::parse("phone", &self.phone).map_err(|x| e.0.push(x)).ok();
        let body = text::required("text", &self.text, 1000).map_err(|x| e.0.push(x)).ok();
        match (name, phone, body) {
            (Some(name), Some(phone), Some(text)) => Ok(ObjectionFields { name, phone, text }),
            _ => Err(e),
        }
    }
}

/// Where an objection stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ObjectionStatus {
    /// Received; blocks nothing yet.
    Received,
    /// Accepted for investigation: recorded in the dossier, holding the next step.
    Accepted,
    /// Dismissed with a reason.
    Dismissed,
}

impl ObjectionStatus {
    /// The code used in storage.
    pub fn code(self) -> &'static str {
        match self {
            ObjectionStatus::Received => "received",
            ObjectionStatus::Accepted => "accepted",
            ObjectionStatus::Dismissed => "dismissed",
        }
    }

    /// From a stored code.
    pub fn from_code(code: &str) -> Option<Self> {
        [ObjectionStatus::Received, ObjectionStatus::Accepted, ObjectionStatus::Dismissed]
            .into_iter()
            .find(|s| s.code() == code)
    }

    /// Chinese and English names.
    pub fn words(self) -> (&'static str, &'static str) {
        match self {
            ObjectionStatus::Received => ("已收到，待处理", "received"),
            ObjectionStatus::Accepted => ("已受理调查", "accepted for investigation"),
            ObjectionStatus::Dismissed => ("不予受理", "dismissed"),
        }
    }
}

/// Whether one more objection may be received, given how many this phone filed against the
/// notice and how many the notice took today.
pub fn may_receive(from_phone: i64, notice_today: i64) -> Result<(), FieldError> {
    if from_phone >= PER_PHONE_PER_NOTICE {
        return Err(FieldError::new(
            "phone",
            Reason::Refused {
                zh: "此手机号对本公示已提出过异议，请等待党组织联系",
                en: "this phone number has already objected to this notice; the organisation will contact you",
            },
        ));
    }
    if notice_today >= PER_NOTICE_PER_DAY {
        return Err(FieldError::new(
            "text",
            Reason::Refused {
                zh: "本公示今日收到的异议已达上限，请直接向公示的党组织当面或书面反映",
                en: "this notice has taken as many objections as it can today; please contact the organisation directly",
            },
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_objection_needs_a_real_name_a_phone_and_a_text() {
        let e = ObjectionInput::default().parse().unwrap_err();
        let fields: Vec<&str> = e.0.iter().map(|f| f.field).collect();
        assert_eq!(fields, ["name", "phone", "text"]);
        let bad_phone = ObjectionInput { name: "张三".into(), phone: "12345".into(), text: "x".into() };
        assert_eq!(bad_phone.parse().unwrap_err().0[0].field, "phone");
        let ok =
            ObjectionInput {
                name: " 张三 ".into(), phone: "13800138000".into(), text: "不符合条件".into()
            };
        let f = ok.parse().unwrap();
        assert_eq!((f.name.as_str(), f.phone.as_str()), ("张三", "13800138000"));
    }

    #[test]
    fn the_limits_are_per_phone_and_per_notice() {
        assert!(may_receive(0, 0).is_ok() && may_receive(1, 19).is_ok());
        assert_eq!(may_receive(2, 0).unwrap_err().field, "phone");
        assert_eq!(may_receive(0, 20).unwrap_err().field, "text");
    }
}
