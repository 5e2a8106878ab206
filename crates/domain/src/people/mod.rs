//! People (人员): riders, drivers, couriers and platform staff, with their political
//! status (政治面貌) and the dates they reached each status.
//!
//! [`PersonInput`] is what a form or JSON body sends; [`PersonFields::parse`] turns it into
//! checked fields or reports every refused field at once.

pub mod age;
pub mod departure;
pub mod discipline;
pub mod ethnicity;
pub mod gender;
pub mod id_card;
pub mod phone;
pub mod roster;
pub mod staff_list;

use crate::codes::coded_enum;
use crate::error::{FieldError, Reason, ValidationErrors};
pub use crate::people::gender::Gender;
use crate::people::id_card::IdCardNumber;
use crate::people::phone::PhoneNumber;
use crate::text;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Longest personal name, in characters.
pub const NAME_MAX: usize = 50;
/// Longest employer, station or home-organisation text, in characters.
pub const TEXT_MAX: usize = 100;

coded_enum!(
    /// Highest education (学历).
    Education {
        /// 小学及以下.
        Primary = "primary", "小学及以下", "Primary or less";
        /// 初中.
        JuniorSecondary = "junior_secondary", "初中", "Junior secondary";
        /// 高中、中专、中技.
        SeniorSecondary = "senior_secondary", "高中/中专", "Senior secondary or vocational";
        /// 大专.
        JuniorCollege = "junior_college", "大专", "Junior college";
        /// 大学本科.
        Bachelor = "bachelor", "大学本科", "Bachelor";
        /// 硕士研究生.
        Master = "master", "硕士研究生", "Master";
        /// 博士研究生.
        Doctor = "doctor", "博士研究生", "Doctorate";
    }
);

impl Education {
    /// 大专及以上学历 = 大专 + 大学本科 + 研究生 (RULES.md STAT-002).
    pub fn is_college_or_above(self) -> bool {
        self >= Education::JuniorCollege
    }
}

coded_enum!(
    /// Category of the new employment groups (新就业群体).
    WorkerCategory {
        /// 外卖骑手.
        Rider = "rider", "外卖骑手", "Delivery rider";
        /// 快递员.
        Courier = "courier", "快递员", "Courier";
        /// 货车司机.
        TruckDriver = "truck_driver", "货车司机", "Truck driver";
        /// 网约车司机.
        RideHailingDriver = "ride_hailing_driver", "网约车司机", "Ride-hailing driver";
        /// 平台员工.
        PlatformStaff = "platform_staff", "平台员工", "Platform staff";
        /// 其他.
        Other = "other", "其他", "Other";
    }
);

coded_enum!(
    /// Political status (政治面貌) along the development procedure.
    Status {
        /// 群众.
        NonMember = "non_member", "群众", "Non-member";
        /// 入党申请人.
        Applicant = "applicant", "入党申请人", "Applicant";
        /// 入党积极分子.
        Activist = "activist", "入党积极分子", "Activist";
        /// 发展对象.
        DevelopmentTarget = "development_target", "发展对象", "Development target";
        /// 预备党员.
        ProbationaryMember = "probationary_member", "预备党员", "Probationary member";
        /// 正式党员.
        FullMember = "full_member", "正式党员", "Full member";
    }
);

impl Status {
    /// A party member (probationary or full).
    pub fn is_member(self) -> bool {
        matches!(self, Status::ProbationaryMember | Status::FullMember)
    }
}

/// The dates a person reached each status.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusDates {
    /// Application letter received (递交入党申请书).
    pub applied_on: Option<Date>,
    /// Made an activist (确定为入党积极分子).
    pub activist_on: Option<Date>,
    /// Made a development target (确定为发展对象).
    pub target_on: Option<Date>,
    /// Admitted as probationary member (接收为预备党员).
    pub admitted_on: Option<Date>,
    /// Became a full member (转为正式党员).
    pub full_member_on: Option<Date>,
}

impl StatusDates {
    /// `(field, date, status reached with it)`, in procedure order.
    pub fn steps(&self) -> [(&'static str, Option<Date>, Status); 5] {
        [
            ("applied_on", self.applied_on, Status::Applicant),
            ("activist_on", self.activist_on, Status::Activist),
            ("target_on", self.target_on, Status::DevelopmentTarget),
            ("admitted_on", self.admitted_on, Status::ProbationaryMember),
            ("full_member_on", self.full_member_on, Status::FullMember),
        ]
    }

    /// The date the person reached `status` (None for non-members or unknown).
    pub fn date_of(&self, status: Status) -> Option<Date> {
        self.steps().into_iter().find(|(_, _, s)| *s == status).and_then(|(_, d, _)| d)
    }
}

/// Untrusted person fields, as typed in a form or sent as JSON.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct PersonInput {
    /// Name.
    #[serde(default)]
    pub name: String,
    /// Gender code; empty = from the ID number.
    #[serde(default)]
    pub gender: String,
    /// Birth date; empty = from the ID number.
    #[serde(default)]
    pub birth_date: String,
    /// Ethnic group, by its Chinese name.
    #[serde(default)]
    pub ethnicity: String,
    /// Education code.
    #[serde(default)]
    pub education: String,
    /// Worker category code.
    #[serde(default)]
    pub worker_category: String,
    /// Employer.
    #[serde(default)]
    pub employer: String,
    /// Station.
    #[serde(default)]
    pub station: String,
    /// Mobile phone.
    #[serde(default)]
    pub phone: String,
    /// ID card number.
    #[serde(default)]
    pub id_card: String,
    /// Status code.
    #[serde(default)]
    pub status: String,
    /// Organisation id.
    #[serde(default)]
    pub org_id: String,
    /// Mobile member (流动党员).
    #[serde(default)]
    pub is_mobile: bool,
    /// Where the mobile member's relationship is held.
    #[serde(default)]
    pub home_organization: String,
    /// Business backbone (业务骨干).
    #[serde(default)]
    pub is_backbone: bool,
    /// Key position (关键岗位).
    #[serde(default)]
    pub is_key_position: bool,
    /// Application date.
    #[serde(default)]
    pub applied_on: String,
    /// Activist date.
    #[serde(default)]
    pub activist_on: String,
    /// Development-target date.
    #[serde(default)]
    pub target_on: String,
    /// Admission date.
    #[serde(default)]
    pub admitted_on: String,
    /// Full-membership date.
    #[serde(default)]
    pub full_member_on: String,
}

impl PersonFields {
    /// The form fields (their codes) whose values differ between `self` and `other`, in form
    /// order: what an import would change.
    pub fn changed_fields(&self, other: &PersonFields) -> Vec<&'static str> {
        let (a, b) = (&self.dates, &other.dates);
        let pairs: [(&'static str, bool); 20] = [
            ("name", self.name != other.name),
            ("gender", self.gender != other.gender),
            ("birth_date", self.birth_date != other.birth_date),
            ("ethnicity", self.ethnicity != other.ethnicity),
            ("education", self.education != other.education),
            ("worker_category", self.worker_category != other.worker_category),
            ("employer", self.employer != other.employer),
            ("station", self.station != other.station),
            ("phone", self.phone != other.phone),
            ("status", self.status != other.status),
            ("org_id", self.org_id != other.org_id),
            ("is_mobile", self.is_mobile != other.is_mobile),
            ("home_organization", self.home_organization != other.home_organization),
            ("is_backbone", self.is_backbone != other.is_backbone),
            ("is_key_position", self.is_key_position != other.is_key_position),
            ("applied_on", a.applied_on != b.applied_on),
            ("activist_on", a.activist_on != b.activist_on),
            ("target_on", a.target_on != b.target_on),
            ("admitted_on", a.admitted_on != b.admitted_on),
            ("full_member_on", a.full_member_on != b.full_member_on),
        ];
        pairs.into_iter().filter(|(_, d)| *d).map(|(f, _)| f).collect()
    }
}

/// Checked person fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonFields {
    /// Name.
    pub name: String,
    /// Gender (agrees with the ID number).
    pub gender: Gender,
    /// Birth date (agrees with the ID number).
    pub birth_date: Date,
    /// Ethnic group (Chinese name).
    pub ethnicity: String,
    /// Education.
    pub education: Education,
    /// Worker category.
    pub worker_category: WorkerCategory,
    /// Employer.
    pub employer: Option<String>,
    /// Station.
    pub station: Option<String>,
    /// Phone.
    pub phone: Option<PhoneNumber>,
    /// ID card number.
    pub id_card: IdCardNumber,
    /// Status.
    pub status: Status,
    /// Organisation.
    pub org_id: Uuid,
    /// Mobile member.
    pub is_mobile: bool,
    /// Home organisation of a mobile member.
    pub home_organization: Option<String>,
    /// Backbone flag.
    pub is_backbone: bool,
    /// Key-position flag.
    pub is_key_position: bool,
    /// Status dates.
    pub dates: StatusDates,
}

fn choice<T>(
    errs: &mut ValidationErrors,
    field: &'static str,
    raw: &str,
    parse: impl Fn(&str) -> Option<T>,
) -> Option<T> {
    let t = raw.trim();
    if t.is_empty() {
        errs.push(field, Reason::Required);
        return None;
    }
    let v = parse(t);
    if v.is_none() {
        errs.push(field, Reason::UnknownChoice);
    }
    v
}

impl PersonFields {
    /// Checks every field against each other and `today`, reporting all refusals.
    pub fn parse(input: &PersonInput, today: Date) -> Result<Self, ValidationErrors> {
        let mut e = ValidationErrors::default();
        let name = e.take(text::required("name", &input.name, NAME_MAX));
        let id_card = e.take(IdCardNumber::parse("id_card", &input.id_card));
        if let Some(id) = &id_card
            && id.birth_date() > today
        {
            e.push("id_card", Reason::IdCardBirthDate);
        }
        let birth_date = match e.take(text::optional_date("birth_date", &input.birth_date)) {
            Some(Some(d)) if d > today => {
                e.push("birth_date", Reason::DateInFuture);
                None
            }
            Some(Some(d)) => match &id_card {
                Some(id) if id.birth_date() != d => {
                    e.push("birth_date", Reason::BirthDateMismatch);
                    None
                }
                _ => Some(d),
            },
            Some(None) => id_card.as_ref().map(IdCardNumber::birth_date),
            None => None,
        };
        let gender = if input.gender.trim().is_empty() {
            id_card.as_ref().map(IdCardNumber::gender)
        } else {
            let g = choice(&mut e, "gender", &input.gender, Gender::from_code);
            match (g, &id_card) {
                (Some(g), Some(id)) if id.gender() != g => {
                    e.push("gender", Reason::GenderMismatch);
                    None
                }
                (g, _) => g,
            }
        };
        let ethnicity =
            choice(&mut e, "ethnicity", &input.ethnicity, |s| ethnicity::is_known(s).then(|| s.to_owned()));
        let education = choice(&mut e, "education", &input.education, Education::from_code);
        let worker_category =
            choice(&mut e, "worker_category", &input.worker_category, WorkerCategory::from_code);
        let employer = e.take(text::optional("employer", &input.employer, TEXT_MAX));
        let station = e.take(text::optional("station", &input.station, TEXT_MAX));
        let phone = if input.phone.trim().is_empty() {
            Some(None)
        } else {
            e.take(PhoneNumber::parse("phone", &input.phone)).map(Some)
        };
        let status = choice(&mut e, "status", &input.status, Status::from_code);
        let org_id = if input.org_id.trim().is_empty() {
            e.push("org_id", Reason::Required);
            None
        } else {
            let id = Uuid::try_parse(input.org_id.trim()).ok();
            if id.is_none() {
                e.push("org_id", Reason::UnknownOrganization);
            }
            id
        };
        let home_organization =
            e.take(text::optional("home_organization", &input.home_organization, TEXT_MAX));
        if input.is_mobile {
            // Members, and people on the way to membership (MOB-010: a mobile applicant's
            // political review asks both home organisations, DEV-017).
            if status.is_some_and(|s| s == Status::NonMember) {
                e.push("is_mobile", Reason::MobileRequiresMember);
            }
            if home_organization.as_ref().is_some_and(Option::is_none) {
                e.push("home_organization", Reason::HomeOrganizationRequired);
            }
        }
        let dates = Self::parse_dates(&mut e, input, status, birth_date, today);
        if !e.0.is_empty() {
            return Err(e);
        }
        match (name, gender, birth_date, ethnicity, education, worker_category) {
            (
                Some(name),
                Some(gender),
                Some(birth_date),
                Some(ethnicity),
                Some(education),
                Some(worker_category),
            ) => Ok(Self {
                name,
                gender,
                birth_date,
                ethnicity,
                education,
                worker_category,
                employer: employer.flatten(),
                station: station.flatten(),
                phone: phone.flatten(),
                id_card: id_card
                    .ok_or_else(|| ValidationErrors::from(FieldError::new("id_card", Reason::Required)))?,
                status: status
                    .ok_or_else(|| ValidationErrors::from(FieldError::new("status", Reason::Required)))?,
                org_id: org_id
                    .ok_or_else(|| ValidationErrors::from(FieldError::new("org_id", Reason::Required)))?,
                is_mobile: input.is_mobile,
                home_organization: if input.is_mobile { home_organization.flatten() } else { None },
                is_backbone: input.is_backbone,
                is_key_position: input.is_key_position,
                dates,
            }),
            _ => Err(e),
        }
    }

    /// Dates must be real, not in the future, after birth, in procedure order, present
    /// for the current status and absent for statuses not reached (a non-member's are
    /// history, and any may be given).
    fn parse_dates(
        e: &mut ValidationErrors,
        input: &PersonInput,
        status: Option<Status>,
        birth: Option<Date>,
        today: Date,
    ) -> StatusDates {
        let raw = [
            ("applied_on", &input.applied_on),
            ("activist_on", &input.activist_on),
            ("target_on", &input.target_on),
            ("admitted_on", &input.admitted_on),
            ("full_member_on", &input.full_member_on),
        ];
        let mut parsed: [Option<Date>; 5] = [None; 5];
        let mut previous: Option<(&'static str, Date)> = birth.map(|b| ("birth_date", b));
        for (i, (field, value)) in raw.into_iter().enumerate() {
            let Some(Some(d)) = e.take(text::optional_date(field, value)) else { continue };
            let step_status = StatusDates::default().steps()[i].2;
            // A non-member may carry the dates of an earlier application or membership:
            // someone who left (出党) or whose case was closed (DEV-051).
            if status.is_some_and(|s| s != Status::NonMember && s < step_status) {
                e.push(field, Reason::DateForLaterStatus);
                continue;
            }
            if d > today {
                e.push(field, Reason::DateInFuture);
                continue;
            }
            if let Some((pf, pd)) = previous
                && d < pd
            {
                e.push(field, Reason::DateBefore { other: pf });
                continue;
            }
            previous = Some((field, d));
            parsed[i] = Some(d);
        }
        if let Some(s) = status
            && let Some((field, raw_value, _)) = raw
                .iter()
                .zip(StatusDates::default().steps())
                .find(|(_, (_, _, st))| *st == s)
                .map(|((f, v), step)| (f, v, step))
            && raw_value.trim().is_empty()
        {
            e.push(field, Reason::Required);
        }
        StatusDates {
            applied_on: parsed[0],
            activist_on: parsed[1],
            target_on: parsed[2],
            admitted_on: parsed[3],
            full_member_on: parsed[4],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TODAY: Date = Date::constant(2026, 11, 29);

    fn valid() -> PersonInput {
        PersonInput {
            name: "王小明".into(),
            ethnicity: "汉族".into(),
            education: "junior_college".into(),
            worker_category: "rider".into(),
            id_card: "11010519491231002X".into(),
            status: "activist".into(),
            org_id: Uuid::from_u128(7).to_string(),
            applied_on: "2024-03-01".into(),
            activist_on: "2024-09-01".into(),
            ..Default::default()
        }
    }

    fn reasons(input: &PersonInput) -> Vec<(&'static str, Reason)> {
        PersonFields::parse(input, TODAY)
            .map(|_| vec![])
            .unwrap_or_else(|e| e.0.into_iter().map(|f| (f.field, f.reason)).collect())
    }

    #[test]
    fn a_valid_person_takes_birth_date_and_gender_from_the_id_number() {
        let p = PersonFields::parse(&valid(), TODAY).unwrap();
        assert_eq!(p.birth_date, Date::constant(1949, 12, 31));
        assert_eq!(p.gender, Gender::Female);
        assert_eq!(p.dates.activist_on, Some(Date::constant(2024, 9, 1)));
    }

    #[test]
    fn cross_checks_refuse_disagreement_with_the_id_number() {
        let mut i = valid();
        i.birth_date = "1949-12-30".into();
        i.gender = "male".into();
        assert_eq!(
            reasons(&i),
            vec![("birth_date", Reason::BirthDateMismatch), ("gender", Reason::GenderMismatch)]
        );
        i.birth_date = "2027-01-01".into();
        assert_eq!(reasons(&i)[0], ("birth_date", Reason::DateInFuture));
    }

    #[test]
    fn status_dates_follow_the_procedure() {
        let mut i = valid();
        i.activist_on = "2024-01-01".into();
        assert_eq!(reasons(&i), vec![("activist_on", Reason::DateBefore { other: "applied_on" })]);
        let mut i = valid();
        i.admitted_on = "2025-01-01".into();
        assert_eq!(reasons(&i), vec![("admitted_on", Reason::DateForLaterStatus)]);
        let mut i = valid();
        (i.status, i.admitted_on) = ("non_member".into(), "2025-01-01".into());
        assert_eq!(reasons(&i), vec![], "someone who left keeps the dates of their membership");
        let mut i = valid();
        i.activist_on = String::new();
        assert_eq!(reasons(&i), vec![("activist_on", Reason::Required)]);
        let mut i = valid();
        i.applied_on = "2027-01-01".into();
        assert!(reasons(&i).contains(&("applied_on", Reason::DateInFuture)));
        let mut i = valid();
        i.applied_on = "1940-01-01".into();
        assert_eq!(reasons(&i), vec![("applied_on", Reason::DateBefore { other: "birth_date" })]);
    }

    #[test]
    fn a_mobile_person_is_on_the_way_to_membership_or_a_member_with_a_home_organisation() {
        let mut i = valid();
        i.status = "non_member".into();
        i.is_mobile = true;
        assert_eq!(
            reasons(&i),
            vec![
                ("is_mobile", Reason::MobileRequiresMember),
                ("home_organization", Reason::HomeOrganizationRequired)
            ]
        );
        // A mobile activist (MOB-010) with the organisation at home.
        let mut i = valid();
        i.is_mobile = true;
        i.home_organization = "湖南省某县某村党支部".into();
        assert_eq!(reasons(&i), vec![]);
    }

    #[test]
    fn unknown_choices_and_missing_fields_are_named() {
        let i = PersonInput { education: "phd".into(), ethnicity: "火星族".into(), ..Default::default() };
        let r = reasons(&i);
        for f in ["name", "id_card", "ethnicity", "education", "worker_category", "status", "org_id"] {
            assert!(r.iter().any(|(field, _)| *field == f), "{f} missing in {r:?}");
        }
        assert!(r.contains(&("education", Reason::UnknownChoice)));
    }

    #[test]
    fn college_or_above_is_junior_college_and_up() {
        let yes: Vec<_> =
            Education::ALL.iter().filter(|e| e.is_college_or_above()).map(|e| e.code()).collect();
        assert_eq!(yes, ["junior_college", "bachelor", "master", "doctor"]);
    }
}
