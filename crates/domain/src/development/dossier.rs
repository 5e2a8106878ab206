//! The dossier (发展党员档案): a list of immutable, dated events — one per step of the
//! 25-step procedure, plus notices, objections, filing receipts and transfers. A correction
//! is a new event that points at the one it corrects; nothing is edited in place.
//!
//! Which fields each kind of event carries is data ([`Kind::fields`]), so forms, JSON, the
//! import template and the storage encoding all come from one table.

use crate::development::procedure::{STEPS, Step};
use crate::error::{Reason, ValidationErrors};
use jiff::civil::Date;
use serde::ser::{Serialize, SerializeMap, Serializer};
use uuid::Uuid;

/// The type of a field's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ty {
    /// A date (YYYY-MM-DD).
    Date,
    /// A whole number within bounds.
    Int(i64, i64),
    /// Free text of at most this many characters.
    Text(usize),
    /// Yes or no.
    Bool,
    /// A person's id.
    Person,
    /// An organisation's id.
    Org,
    /// One of these codes.
    Choice(&'static [&'static str]),
}

/// Longest free-text field, in characters.
pub const TEXT_MAX: usize = 200;
/// Largest head count of a meeting.
pub const COUNT_MAX: i64 = 100_000;

const RESULT: &[&str] = &["pass", "fail"];
const DECIDED_BY: &[&str] = &["branch_committee", "branch_meeting", "secretary", "oral"];
const MEMBER_STATUS: &[&str] = &["full", "probationary", "disciplined", "not_member"];
const ORG_KINDS: &[&str] =
    &["working_committee", "committee", "industry_organization", "general_branch", "branch", "mobile_branch"];

macro_rules! keys {
    ($($variant:ident = $code:literal, $num:literal, $ty:expr, $zh:literal, $en:literal;)+) => {
        /// A field of an event.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Key { $(#[doc = $zh] $variant,)+ }

        impl Key {
            /// Every key.
            pub const ALL: &'static [Key] = &[$(Key::$variant,)+];
            /// The code used in forms, JSON and storage.
            pub fn code(self) -> &'static str { match self { $(Key::$variant => $code,)+ } }
            /// Parses a code.
            pub fn from_code(code: &str) -> Option<Key> { match code { $($code => Some(Key::$variant),)+ _ => None } }
            /// Its number in the stored form (stable: new keys take new numbers).
            pub fn num(self) -> u16 { match self { $(Key::$variant => $num,)+ } }
            /// A key by its stored number.
            pub fn from_num(n: u16) -> Option<Key> { match n { $($num => Some(Key::$variant),)+ _ => None } }
            /// The type of its value.
            pub fn ty(self) -> Ty { match self { $(Key::$variant => $ty,)+ } }
            /// The Chinese label.
            pub fn zh(self) -> &'static str { match self { $(Key::$variant => $zh,)+ } }
            /// The English label.
            pub fn en(self) -> &'static str { match self { $(Key::$variant => $en,)+ } }
        }
    };
}

// Each key's number is how it is stored: never renumber, only append.
keys! {
    Talker = "talker", 1, Ty::Text(50), "谈话人", "talked with by";
    Route = "route", 2, Ty::Choice(&["member_recommendation", "mass_org_recommendation"]), "推荐方式", "recommended through";
    RecommendedBy = "recommended_by", 3, Ty::Text(100), "推荐人/推荐组织", "recommended by";
    RecommendedOn = "recommended_on", 4, Ty::Date, "推荐日期", "recommended on";
    DecidedBy = "decided_by", 5, Ty::Choice(DECIDED_BY), "决定方式", "decided by";
    ToOrg = "to_org", 6, Ty::Org, "报送党组织", "filed with";
    Contact1 = "contact1", 7, Ty::Person, "培养联系人一", "first contact";
    Contact1Status = "contact1_status", 8, Ty::Choice(MEMBER_STATUS), "联系人一身份", "first contact's standing";
    Contact2 = "contact2", 9, Ty::Person, "培养联系人二", "second contact";
    Contact2Status = "contact2_status", 10, Ty::Choice(MEMBER_STATUS), "联系人二身份", "second contact's standing";
    Result = "result", 11, Ty::Text(TEXT_MAX), "考察意见", "assessment";
    OpinionsHeardOn = "opinions_heard_on", 12, Ty::Date, "听取意见日期", "opinions heard on";
    Introducer1 = "introducer1", 13, Ty::Person, "入党介绍人一", "first introducer";
    Introducer1Status = "introducer1_status", 14, Ty::Choice(MEMBER_STATUS), "介绍人一身份", "first introducer's standing";
    Introducer2 = "introducer2", 15, Ty::Person, "入党介绍人二", "second introducer";
    Introducer2Status = "introducer2_status", 16, Ty::Choice(MEMBER_STATUS), "介绍人二身份", "second introducer's standing";
    Conclusion = "conclusion", 17, Ty::Choice(RESULT), "审查结论", "conclusion";
    HukouOpinion = "hukou_opinion", 18, Ty::Bool, "已征求户籍地党组织意见", "registered-residence organisation asked";
    ResidenceOpinion = "residence_opinion", 19, Ty::Bool, "已征求居住地党组织意见", "place-of-residence organisation asked";
    Class = "class", 20, Ty::Text(100), "培训班", "training class";
    StartedOn = "started_on", 21, Ty::Date, "培训开始日期", "training started on";
    Days = "days", 22, Ty::Int(0, 365), "培训天数", "days";
    Hours = "hours", 23, Ty::Int(0, 2000), "培训学时", "class hours";
    Passed = "passed", 24, Ty::Bool, "结业合格", "passed";
    ExpectedDeparture = "expected_departure", 25, Ty::Date, "预计离开单位日期", "expected to leave the unit on";
    ReviewResult = "review_result", 26, Ty::Choice(RESULT), "审查结果", "result";
    IntroducerOpinions = "introducer_opinions", 27, Ty::Bool, "介绍人已填写意见", "introducers wrote their opinions";
    Expected = "expected", 28, Ty::Int(0, COUNT_MAX), "应到会有表决权人数", "voting members expected";
    Present = "present", 29, Ty::Int(0, COUNT_MAX), "实到会有表决权人数", "voting members present";
    For = "for", 30, Ty::Int(0, COUNT_MAX), "赞成票", "in favour";
    Against = "against", 31, Ty::Int(0, COUNT_MAX), "反对票", "against";
    Abstain = "abstain", 32, Ty::Int(0, COUNT_MAX), "弃权票", "abstentions";
    WrittenFor = "written_for", 33, Ty::Int(0, COUNT_MAX), "书面赞成票", "written votes in favour";
    WrittenAgainst = "written_against", 34, Ty::Int(0, COUNT_MAX), "书面反对票", "written votes against";
    WrittenAbstain = "written_abstain", 35, Ty::Int(0, COUNT_MAX), "书面弃权票", "written abstentions";
    Method = "method", 36, Ty::Choice(&["secret_ballot", "show_of_hands"]), "表决方式", "ballot";
    Candidates = "candidates", 37, Ty::Int(1, 100), "本次表决对象人数", "candidates in this vote";
    ExclusionReason = "exclusion_reason", 38, Ty::Text(TEXT_MAX), "不计入应到人数的原因", "why members were not counted";
    Approver = "approver", 39, Ty::Org, "审批党组织", "approved by";
    ApproverKind = "approver_kind", 40, Ty::Choice(ORG_KINDS), "审批组织类型", "approver's kind";
    ApproverAuthority = "approver_authority", 41, Ty::Bool, "审批组织有审批权限", "approver holds approval authority";
    ApproverTemporary = "approver_temporary", 42, Ty::Bool, "审批组织为临时党组织", "approver is temporary";
    Decision = "decision", 43, Ty::Choice(&["approved", "rejected"]), "审批结果", "decision";
    Group = "group", 44, Ty::Text(100), "编入党小组", "party group";
    GroupOpinionOn = "group_opinion_on", 45, Ty::Date, "党小组意见日期", "party group's opinion on";
    PublicOpinionOn = "public_opinion_on", 46, Ty::Date, "征求党员群众意见日期", "members' and public opinion on";
    CommitteeReviewOn = "committee_review_on", 47, Ty::Date, "支委会审查日期", "branch committee review on";
    Outcome = "outcome", 48, Ty::Choice(&["convert", "extend", "cancel"]), "决议", "resolution";
    ExtendMonths = "extend_months", 49, Ty::Int(1, 24), "延长预备期（月）", "extension in months";
    ConvertedOn = "converted_on", 50, Ty::Date, "转正日期", "full member from";
    HasApplicationLetter = "has_application_letter", 51, Ty::Bool, "入党申请书", "application letter";
    HasApplicationForm = "has_application_form", 52, Ty::Bool, "入党志愿书", "application form";
    HasPoliticalReview = "has_political_review", 53, Ty::Bool, "政治审查材料", "political review";
    HasConversionApplication = "has_conversion_application", 54, Ty::Bool, "转正申请书", "conversion application";
    HasCultivationRecords = "has_cultivation_records", 55, Ty::Bool, "培养教育考察材料", "cultivation records";
    Point = "point", 56, Ty::Choice(&["activist", "target", "admission", "conversion"]), "公示环节", "notice before";
    WorkingDays = "working_days", 57, Ty::Int(1, 30), "公示工作日数", "working days";
    EndsOn = "ends_on", 58, Ty::Date, "公示截止日期", "notice ends on";
    Notice = "notice", 59, Ty::Int(1, 100_000), "公示编号", "notice";
    Objection = "objection", 60, Ty::Int(1, 100_000), "异议编号", "objection";
    Text = "text", 61, Ty::Text(1000), "内容", "text";
    Resolution = "resolution", 62, Ty::Text(1000), "处理结果", "resolution";
    Filing = "filing", 63, Ty::Int(1, 100_000), "备案编号", "filing";
    Receipt = "receipt", 64, Ty::Text(50), "备案回执号", "receipt number";
    ReturnReason = "return_reason", 65, Ty::Text(TEXT_MAX), "退回原因", "returned because";
    FromOrg = "from_org", 66, Ty::Org, "转出党组织", "from";
    MaterialsComplete = "materials_complete", 67, Ty::Bool, "培养材料齐全", "cultivation materials complete";
    PostponeMonths = "postpone_months", 68, Ty::Int(0, 6), "推迟讨论转正（月）", "conversion postponed (months)";
    Declared = "declared", 69, Ty::Text(TEXT_MAX), "据文件申报（部署外人员或组织）", "as declared by the file (outside the deployment)";
    Introducer1On = "introducer1_on", 70, Ty::Date, "介绍人一确定日期", "first introducer appointed on";
    Introducer2On = "introducer2_on", 71, Ty::Date, "介绍人二确定日期", "second introducer appointed on";
    Introducer1Opinion = "introducer1_opinion", 72, Ty::Bool, "介绍人一已填写意见", "first introducer wrote an opinion";
    Introducer2Opinion = "introducer2_opinion", 73, Ty::Bool, "介绍人二已填写意见", "second introducer wrote an opinion";
}

/// The Chinese and English label of a choice code.
pub fn choice_label(code: &str) -> (&'static str, &'static str) {
    match code {
        "pass" => ("合格", "passed"),
        "fail" => ("不合格", "not passed"),
        "branch_committee" => ("支部委员会研究决定", "branch committee decision"),
        "branch_meeting" => ("支部大会研究决定", "branch general meeting decision"),
        "secretary" => ("书记个人决定", "the secretary alone"),
        "oral" => ("口头确定", "an oral decision"),
        "full" => ("正式党员", "full member"),
        "probationary" => ("预备党员", "probationary member"),
        "disciplined" => ("受留党察看处分", "under probation within the party"),
        "not_member" => ("非党员", "not a member"),
        "member_recommendation" => ("党员推荐", "recommended by a member"),
        "mass_org_recommendation" => ("群团组织推优", "recommended by a mass organisation (推优)"),
        "secret_ballot" => ("无记名投票", "secret ballot"),
        "show_of_hands" => ("举手表决", "show of hands"),
        "approved" => ("批准", "approved"),
        "rejected" => ("不批准", "not approved"),
        "convert" => ("按期转正", "convert on time"),
        "extend" => ("延长预备期", "extend probation"),
        "cancel" => ("取消预备党员资格", "cancel probationary membership"),
        "activist" => ("确定入党积极分子前", "before becoming an activist"),
        "target" => ("确定发展对象前", "before becoming a development target"),
        "admission" => ("接收预备党员前", "before admission"),
        "conversion" => ("预备党员转正前", "before conversion"),
        "working_committee" => ("工委", "working committee"),
        "committee" => ("党委", "party committee"),
        "industry_organization" => ("行业党委", "industry organisation"),
        "general_branch" => ("党总支", "general branch"),
        "branch" => ("党支部", "branch"),
        "mobile_branch" => ("流动党支部", "mobile branch"),
        _ => ("", ""),
    }
}

/// Where a field's value comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// Typed by the user; required.
    Required,
    /// Typed by the user; optional.
    Optional,
    /// Filled by the system from the records on the event's date (a person's standing, an
    /// approver's kind), never typed.
    Captured,
}

/// One field of a kind of event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldSpec {
    /// The key.
    pub key: Key,
    /// Where its value comes from.
    pub source: Source,
}

const fn req(key: Key) -> FieldSpec {
    FieldSpec { key, source: Source::Required }
}
const fn opt(key: Key) -> FieldSpec {
    FieldSpec { key, source: Source::Optional }
}
const fn cap(key: Key) -> FieldSpec {
    FieldSpec { key, source: Source::Captured }
}

const VOTE: [FieldSpec; 11] = [
    req(Key::Expected),
    req(Key::Present),
    req(Key::For),
    req(Key::Against),
    req(Key::Abstain),
    opt(Key::WrittenFor),
    opt(Key::WrittenAgainst),
    opt(Key::WrittenAbstain),
    req(Key::Method),
    req(Key::Candidates),
    opt(Key::ExclusionReason),
];

/// A kind of event: a step of the procedure (1–25) or one of the records around them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    /// A step, by number 1–25 (see [`STEPS`]).
    Step(u8),
    /// 公示 posted.
    PublicNotice,
    /// An objection to a notice.
    Objection,
    /// An objection resolved.
    ObjectionResolved,
    /// The upper organisation acknowledged a filing with a receipt number.
    FilingAck,
    /// The upper organisation returned a filing.
    FilingReturn,
    /// The person moved to another organisation, dossier and all.
    Transfer,
}

/// Step numbers by name, for readable code.
pub mod step {
    #![allow(missing_docs)]
    pub const APPLICATION: u8 = 1;
    pub const TALK: u8 = 2;
    pub const ACTIVIST: u8 = 3;
    pub const ACTIVIST_FILED: u8 = 4;
    pub const CONTACTS: u8 = 5;
    pub const CULTIVATION: u8 = 6;
    pub const TARGET: u8 = 7;
    pub const TARGET_FILED: u8 = 8;
    pub const INTRODUCERS: u8 = 9;
    pub const POLITICAL_REVIEW: u8 = 10;
    pub const TRAINING: u8 = 11;
    pub const COMMITTEE_REVIEW: u8 = 12;
    pub const PRELIMINARY_REVIEW: u8 = 13;
    pub const APPLICATION_FORM: u8 = 14;
    pub const ADMISSION_MEETING: u8 = 15;
    pub const HIGHER_TALK: u8 = 16;
    pub const APPROVAL: u8 = 17;
    pub const APPROVAL_FILED: u8 = 18;
    pub const PLACEMENT: u8 = 19;
    pub const OATH: u8 = 20;
    pub const PROBATION_ASSESSMENT: u8 = 21;
    pub const CONVERSION_APPLICATION: u8 = 22;
    pub const CONVERSION_MEETING: u8 = 23;
    pub const CONVERSION_APPROVAL: u8 = 24;
    pub const ARCHIVING: u8 = 25;
}

const EXTRA: [(Kind, &str, &str, &str, &str); 6] = [
    (Kind::PublicNotice, "notice", "公示", "Public notice", "N"),
    (Kind::Objection, "objection", "公示异议", "Objection to a notice", "O"),
    (Kind::ObjectionResolved, "objection_resolved", "异议处理", "Objection resolved", "R"),
    (Kind::FilingAck, "filing_ack", "备案回执", "Filing acknowledged", "A"),
    (Kind::FilingReturn, "filing_return", "备案退回", "Filing returned", "X"),
    (Kind::Transfer, "transfer", "组织转接", "Transfer to another organisation", "T"),
];

impl Kind {
    /// Every kind: the 25 steps, then the others.
    pub fn all() -> impl Iterator<Item = Kind> {
        (1..=25).map(Kind::Step).chain(EXTRA.iter().map(|e| e.0))
    }

    /// The step it records, if it is one.
    pub fn step(self) -> Option<&'static Step> {
        match self {
            Kind::Step(n) => STEPS.get(usize::from(n).checked_sub(1)?),
            _ => None,
        }
    }

    /// The step number, or 0.
    pub fn number(self) -> u8 {
        if let Kind::Step(n) = self { n } else { 0 }
    }

    /// The code used in URLs, JSON and storage.
    pub fn code(self) -> &'static str {
        match self.step() {
            Some(s) => s.code,
            None => EXTRA.iter().find(|e| e.0 == self).map_or("", |e| e.1),
        }
    }

    /// Parses a code.
    pub fn from_code(code: &str) -> Option<Kind> {
        if let Some(s) = STEPS.iter().find(|s| s.code == code) {
            return Some(Kind::Step(s.number));
        }
        EXTRA.iter().find(|e| e.1 == code).map(|e| e.0)
    }

    /// The short code of the stored form: the step number, or a letter.
    fn short(self) -> String {
        match self {
            Kind::Step(n) => n.to_string(),
            other => EXTRA.iter().find(|e| e.0 == other).map_or("", |e| e.4).to_owned(),
        }
    }

    /// Reads a short code.
    fn from_short(code: &str) -> Option<Kind> {
        match code.parse::<u8>() {
            Ok(n) if (1..=25).contains(&n) => Some(Kind::Step(n)),
            Ok(_) => None,
            Err(_) => EXTRA.iter().find(|e| e.4 == code).map(|e| e.0),
        }
    }

    /// The Chinese name.
    pub fn zh(self) -> &'static str {
        match self.step() {
            Some(s) => s.zh,
            None => EXTRA.iter().find(|e| e.0 == self).map_or("", |e| e.2),
        }
    }

    /// The English name.
    pub fn en(self) -> &'static str {
        match self.step() {
            Some(s) => s.en,
            None => EXTRA.iter().find(|e| e.0 == self).map_or("", |e| e.3),
        }
    }

    /// The fields this kind of event carries.
    pub fn fields(self) -> &'static [FieldSpec] {
        use Key as K;
        use step as s;
        match self {
            Kind::Step(s::TALK) | Kind::Step(s::HIGHER_TALK) => {
                const F: &[FieldSpec] = &[req(K::Talker)];
                F
            }
            Kind::Step(s::ACTIVIST) => {
                const F: &[FieldSpec] =
                    &[req(K::Route), req(K::RecommendedBy), opt(K::RecommendedOn), req(K::DecidedBy)];
                F
            }
            Kind::Step(s::ACTIVIST_FILED) | Kind::Step(s::TARGET_FILED) | Kind::Step(s::APPROVAL_FILED) => {
                const F: &[FieldSpec] = &[req(K::ToOrg)];
                F
            }
            Kind::Step(s::CONTACTS) => {
                const F: &[FieldSpec] = &[
                    req(K::Contact1),
                    cap(K::Contact1Status),
                    opt(K::Contact2),
                    cap(K::Contact2Status),
                    cap(K::Declared),
                ];
                F
            }
            Kind::Step(s::CULTIVATION) | Kind::Step(s::PROBATION_ASSESSMENT) => {
                const F: &[FieldSpec] = &[req(K::Result)];
                F
            }
            Kind::Step(s::TARGET) => {
                const F: &[FieldSpec] = &[req(K::OpinionsHeardOn), req(K::DecidedBy)];
                F
            }
            Kind::Step(s::INTRODUCERS) => {
                const F: &[FieldSpec] = &[
                    req(K::Introducer1),
                    cap(K::Introducer1Status),
                    opt(K::Introducer1On),
                    opt(K::Introducer2),
                    cap(K::Introducer2Status),
                    opt(K::Introducer2On),
                    cap(K::Declared),
                ];
                F
            }
            Kind::Step(s::POLITICAL_REVIEW) => {
                const F: &[FieldSpec] = &[req(K::Conclusion), opt(K::HukouOpinion), opt(K::ResidenceOpinion)];
                F
            }
            Kind::Step(s::TRAINING) => {
                const F: &[FieldSpec] =
                    &[req(K::Class), req(K::StartedOn), req(K::Days), req(K::Hours), req(K::Passed)];
                F
            }
            Kind::Step(s::COMMITTEE_REVIEW) => {
                const F: &[FieldSpec] = &[req(K::ReviewResult), opt(K::ExpectedDeparture)];
                F
            }
            Kind::Step(s::PRELIMINARY_REVIEW) => {
                const F: &[FieldSpec] = &[req(K::ReviewResult)];
                F
            }
            Kind::Step(s::APPLICATION_FORM) => {
                const F: &[FieldSpec] =
                    &[req(K::IntroducerOpinions), opt(K::Introducer1Opinion), opt(K::Introducer2Opinion)];
                F
            }
            Kind::Step(s::ADMISSION_MEETING) => &VOTE,
            Kind::Step(s::APPROVAL) => {
                const F: &[FieldSpec] = &[
                    req(K::Approver),
                    cap(K::ApproverKind),
                    cap(K::ApproverAuthority),
                    cap(K::ApproverTemporary),
                    req(K::Decision),
                    cap(K::Declared),
                ];
                F
            }
            Kind::Step(s::PLACEMENT) => {
                const F: &[FieldSpec] = &[req(K::Group)];
                F
            }
            Kind::Step(s::CONVERSION_MEETING) => {
                const F: &[FieldSpec] = &[
                    req(K::GroupOpinionOn),
                    req(K::PublicOpinionOn),
                    req(K::CommitteeReviewOn),
                    req(K::Expected),
                    req(K::Present),
                    req(K::For),
                    req(K::Against),
                    req(K::Abstain),
                    opt(K::WrittenFor),
                    opt(K::WrittenAgainst),
                    opt(K::WrittenAbstain),
                    req(K::Method),
                    req(K::Candidates),
                    opt(K::ExclusionReason),
                    req(K::Outcome),
                    opt(K::ExtendMonths),
                ];
                F
            }
            Kind::Step(s::CONVERSION_APPROVAL) => {
                const F: &[FieldSpec] = &[
                    req(K::Approver),
                    cap(K::ApproverKind),
                    cap(K::ApproverAuthority),
                    cap(K::ApproverTemporary),
                    req(K::Decision),
                    opt(K::ConvertedOn),
                    cap(K::Declared),
                ];
                F
            }
            Kind::Step(s::ARCHIVING) => {
                const F: &[FieldSpec] = &[
                    req(K::HasApplicationLetter),
                    req(K::HasApplicationForm),
                    req(K::HasPoliticalReview),
                    req(K::HasConversionApplication),
                    req(K::HasCultivationRecords),
                ];
                F
            }
            Kind::PublicNotice => {
                const F: &[FieldSpec] = &[req(K::Point), req(K::WorkingDays), cap(K::EndsOn)];
                F
            }
            Kind::Objection => {
                const F: &[FieldSpec] = &[req(K::Notice), req(K::Text)];
                F
            }
            Kind::ObjectionResolved => {
                const F: &[FieldSpec] = &[req(K::Objection), req(K::Resolution)];
                F
            }
            Kind::FilingAck => {
                const F: &[FieldSpec] = &[req(K::Filing), req(K::Receipt)];
                F
            }
            Kind::FilingReturn => {
                const F: &[FieldSpec] = &[req(K::Filing), req(K::ReturnReason)];
                F
            }
            Kind::Transfer => {
                const F: &[FieldSpec] =
                    &[cap(K::FromOrg), req(K::ToOrg), req(K::MaterialsComplete), opt(K::PostponeMonths)];
                F
            }
            Kind::Step(_) => &[],
        }
    }
}

/// A field's value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    /// A date.
    Date(Date),
    /// A whole number.
    Int(i64),
    /// Free text.
    Text(Box<str>),
    /// Yes or no.
    Bool(bool),
    /// A person's or organisation's id.
    Id(Uuid),
    /// One of the key's choices.
    Code(&'static str),
}

impl Value {
    /// Reads a value of type `ty` from text (forms, imports, storage).
    pub fn parse(ty: Ty, raw: &str) -> Result<Value, Reason> {
        let t = raw.trim();
        match ty {
            Ty::Date => t.parse::<Date>().map(Value::Date).map_err(|_| Reason::BadDate),
            Ty::Int(min, max) => match t.parse::<i64>() {
                Ok(n) if (min..=max).contains(&n) => Ok(Value::Int(n)),
                _ => Err(Reason::NumberOutOfRange { min, max }),
            },
            Ty::Text(max) => {
                if t.chars().count() > max {
                    Err(Reason::TooLong { max })
                } else if t.chars().any(|c| c.is_control() && c != '\n') {
                    Err(Reason::UnknownChoice)
                } else {
                    Ok(Value::Text(t.into()))
                }
            }
            Ty::Bool => match t {
                "1" | "true" | "on" | "yes" | "是" => Ok(Value::Bool(true)),
                "0" | "false" | "off" | "no" | "否" => Ok(Value::Bool(false)),
                _ => Err(Reason::UnknownChoice),
            },
            Ty::Person | Ty::Org => t.parse::<Uuid>().map(Value::Id).map_err(|_| Reason::UnknownChoice),
            Ty::Choice(codes) => {
                codes.iter().find(|c| **c == t).map(|c| Value::Code(c)).ok_or(Reason::UnknownChoice)
            }
        }
    }

    /// Reads a stored value: text is taken as it is (it was checked when recorded), and
    /// dates and numbers take a fast path (screening decodes millions of them).
    pub fn from_stored(ty: Ty, raw: &str) -> Result<Value, Reason> {
        match ty {
            Ty::Text(_) => Ok(Value::Text(raw.into())),
            Ty::Date => iso_date(raw).map(Value::Date).ok_or(Reason::BadDate),
            Ty::Int(..) => {
                raw.parse().map(Value::Int).map_err(|_| Reason::NumberOutOfRange { min: 0, max: 0 })
            }
            _ => Value::parse(ty, raw),
        }
    }

    /// The value as text (the inverse of [`Value::parse`]).
    pub fn to_text(&self) -> String {
        match self {
            Value::Date(d) => d.to_string(),
            Value::Int(n) => n.to_string(),
            Value::Text(t) => t.to_string(),
            Value::Bool(b) => if *b { "1" } else { "0" }.to_owned(),
            Value::Id(u) => u.to_string(),
            Value::Code(c) => (*c).to_owned(),
        }
    }
}

impl Serialize for Value {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Value::Date(d) => s.collect_str(d),
            Value::Int(n) => s.serialize_i64(*n),
            Value::Text(t) => s.serialize_str(t),
            Value::Bool(b) => s.serialize_bool(*b),
            Value::Id(u) => s.collect_str(u),
            Value::Code(c) => s.serialize_str(c),
        }
    }
}

/// One immutable, dated event of a dossier.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    /// Its number within the dossier, from 1.
    pub seq: u32,
    /// What it records.
    pub kind: Kind,
    /// The day the act took place.
    pub on: Date,
    /// The event it corrects (replaces), if it is a correction.
    pub corrects: Option<u32>,
    /// Entered in backfill mode: recorded as found, findings and all.
    pub backfill: bool,
    /// Its fields.
    pub fields: Vec<(Key, Value)>,
}

impl Event {
    /// A new event without fields.
    pub fn new(seq: u32, kind: Kind, on: Date) -> Self {
        Self { seq, kind, on, corrects: None, backfill: false, fields: Vec::new() }
    }

    /// Adds a field (builder style).
    pub fn with(mut self, key: Key, value: Value) -> Self {
        self.set(key, value);
        self
    }

    /// Sets a field.
    pub fn set(&mut self, key: Key, value: Value) {
        match self.fields.iter_mut().find(|(k, _)| *k == key) {
            Some(slot) => slot.1 = value,
            None => self.fields.push((key, value)),
        }
    }

    /// A field's value.
    pub fn get(&self, key: Key) -> Option<&Value> {
        self.fields.iter().find(|(k, _)| *k == key).map(|(_, v)| v)
    }

    /// A date field.
    pub fn date(&self, key: Key) -> Option<Date> {
        match self.get(key) {
            Some(Value::Date(d)) => Some(*d),
            _ => None,
        }
    }

    /// A number field (0 when absent).
    pub fn int(&self, key: Key) -> i64 {
        match self.get(key) {
            Some(Value::Int(n)) => *n,
            _ => 0,
        }
    }

    /// A yes/no field (no when absent).
    pub fn flag(&self, key: Key) -> bool {
        matches!(self.get(key), Some(Value::Bool(true)))
    }

    /// A choice field.
    pub fn code(&self, key: Key) -> Option<&'static str> {
        match self.get(key) {
            Some(Value::Code(c)) => Some(c),
            _ => None,
        }
    }

    /// A text field.
    pub fn text(&self, key: Key) -> Option<&str> {
        match self.get(key) {
            Some(Value::Text(t)) => Some(t),
            _ => None,
        }
    }

    /// The people and organisations outside the deployment this historic record names, as
    /// `(key, name written)`: their standing is as the file declared it.
    pub fn declared(&self) -> impl Iterator<Item = (Key, &str)> {
        self.text(Key::Declared).into_iter().flat_map(|t| t.split('；')).filter_map(|d| {
            let (code, name) = d.split_once('=')?;
            Some((Key::from_code(code)?, name))
        })
    }

    /// An id field.
    pub fn id(&self, key: Key) -> Option<Uuid> {
        match self.get(key) {
            Some(Value::Id(u)) => Some(*u),
            _ => None,
        }
    }

    /// Whether the event is step `n`.
    pub fn is_step(&self, n: u8) -> bool {
        self.kind == Kind::Step(n)
    }
}

impl Serialize for Event {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        struct Fields<'a>(&'a [(Key, Value)]);
        impl Serialize for Fields<'_> {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                let mut m = s.serialize_map(Some(self.0.len()))?;
                for (k, v) in self.0 {
                    m.serialize_entry(k.code(), v)?;
                }
                m.end()
            }
        }
        let mut m = s.serialize_map(Some(7))?;
        m.serialize_entry("seq", &self.seq)?;
        m.serialize_entry("kind", self.kind.code())?;
        m.serialize_entry("step", &self.kind.number())?;
        m.serialize_entry("on", &self.on.to_string())?;
        m.serialize_entry("corrects", &self.corrects)?;
        m.serialize_entry("backfill", &self.backfill)?;
        m.serialize_entry("fields", &Fields(&self.fields))?;
        m.end()
    }
}

/// Reads the typed fields of `kind` from text values (`get` answers a field's code): every
/// refused field is reported. Captured fields are skipped: the system fills them.
pub fn parse_fields<'a>(
    kind: Kind,
    get: impl Fn(&str) -> Option<&'a str>,
) -> Result<Vec<(Key, Value)>, ValidationErrors> {
    let mut errs = ValidationErrors::default();
    let mut out = Vec::new();
    for spec in kind.fields() {
        if spec.source == Source::Captured {
            continue;
        }
        let raw = get(spec.key.code()).map(str::trim).unwrap_or("");
        if raw.is_empty() {
            if spec.source == Source::Required {
                if spec.key.ty() == Ty::Bool {
                    out.push((spec.key, Value::Bool(false)));
                } else {
                    errs.push(spec.key.code(), Reason::Required);
                }
            }
            continue;
        }
        match Value::parse(spec.key.ty(), raw) {
            Ok(v) => out.push((spec.key, v)),
            Err(r) => errs.push(spec.key.code(), r),
        }
    }
    errs.into_result().map(|()| out)
}

/// The dossier: the facts about the person the rules need, and the events.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Dossier {
    /// Birth date (DEV-001), when known.
    pub birth_date: Option<Date>,
    /// A mobile person (流动人员): the political review asks two more organisations (DEV-017).
    pub mobile: bool,
    /// The events, in the order they were recorded.
    pub events: Vec<Event>,
}

impl Dossier {
    /// The next event number.
    pub fn next_seq(&self) -> u32 {
        self.events.iter().map(|e| e.seq).max().unwrap_or(0) + 1
    }

    /// The events in force: each correction takes the place of what it corrects.
    pub fn effective(&self) -> Vec<&Event> {
        let mut out: Vec<&Event> = Vec::with_capacity(self.events.len());
        for e in &self.events {
            match e.corrects {
                // The slot holds the corrected event, or an earlier correction of it.
                Some(t) => match out.iter_mut().find(|x| x.seq == t || x.corrects == Some(t)) {
                    Some(slot) => *slot = e,
                    None => out.push(e),
                },
                None => out.push(e),
            }
        }
        out
    }
}

/// Reads `YYYY-MM-DD` without the general parser (dates are stored in this one form).
pub fn iso_date(s: &str) -> Option<Date> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return s.parse().ok();
    }
    let num = |r: std::ops::Range<usize>| -> Option<i32> {
        b[r].iter().try_fold(0i32, |acc, c| c.is_ascii_digit().then(|| acc * 10 + i32::from(c - b'0')))
    };
    let (y, m, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    Date::new(i16::try_from(y).ok()?, i8::try_from(m).ok()?, i8::try_from(d).ok()?).ok()
}

/// The compact text form a dossier's events are kept in for screening: one line per event,
/// tab-separated `seq kind date fields…`, the kind as its step number or a letter, each
/// field as `number=value` (text escaped), `c=N` for a correction of event N, `b` for
/// backfill.
pub fn encode(events: &[Event]) -> String {
    use std::fmt::Write;
    let mut s = String::with_capacity(events.len() * 40);
    for e in events {
        let _ = write!(s, "{}\t{}\t{}", e.seq, e.kind.short(), e.on);
        if let Some(c) = e.corrects {
            let _ = write!(s, "\tc={c}");
        }
        if e.backfill {
            s.push_str("\tb");
        }
        for (k, v) in &e.fields {
            let _ = write!(s, "\t{}=", k.num());
            match v {
                Value::Id(u) => {
                    let _ = write!(s, "{}", u.simple());
                }
                Value::Text(t) => escape_into(&mut s, t),
                other => s.push_str(&other.to_text()),
            }
        }
        s.push('\n');
    }
    s
}

fn escape_into(out: &mut String, t: &str) {
    for c in t.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
}

fn unescape(t: &str) -> String {
    let mut out = String::with_capacity(t.len());
    let mut chars = t.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('t') => out.push('\t'),
                Some('n') => out.push('\n'),
                Some(o) => out.push(o),
                None => {}
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Why stored events could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("event line {line}: {what}")]
pub struct DecodeError {
    /// 1-based line.
    pub line: usize,
    /// What was wrong.
    pub what: &'static str,
}

/// Reads what [`encode`] wrote.
pub fn decode(text: &str) -> Result<Vec<Event>, DecodeError> {
    let mut events = Vec::with_capacity(text.len() / 48 + 1);
    for (i, line) in text.split_terminator('\n').enumerate() {
        let err = |what| DecodeError { line: i + 1, what };
        let mut parts = line.split('\t');
        let seq = parts.next().and_then(|p| p.parse().ok()).ok_or(err("sequence number"))?;
        let kind = parts.next().and_then(Kind::from_short).ok_or(err("kind"))?;
        let on = parts.next().and_then(iso_date).ok_or(err("date"))?;
        let mut event =
            Event { seq, kind, on, corrects: None, backfill: false, fields: Vec::with_capacity(4) };
        for p in parts {
            if p == "b" {
                event.backfill = true;
                continue;
            }
            let (k, v) = p.split_once('=').ok_or(err("field"))?;
            if k == "c" {
                event.corrects = Some(v.parse().map_err(|_| err("corrects"))?);
                continue;
            }
            let key = k.parse().ok().and_then(Key::from_num).ok_or(err("field name"))?;
            let value = if v.contains('\\') {
                Value::from_stored(key.ty(), &unescape(v))
            } else {
                Value::from_stored(key.ty(), v)
            };
            event.fields.push((key, value.map_err(|_| err("field value"))?));
        }
        events.push(event);
    }
    Ok(events)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_a_unique_code_and_round_trips() {
        let kinds: Vec<Kind> = Kind::all().collect();
        assert_eq!(kinds.len(), 31);
        for k in &kinds {
            assert_eq!(Kind::from_code(k.code()), Some(*k), "{k:?}");
            assert!(!k.zh().is_empty() && !k.en().is_empty());
        }
        let mut nums = std::collections::HashSet::new();
        for key in Key::ALL {
            assert_eq!(Key::from_code(key.code()), Some(*key));
            assert_eq!(Key::from_num(key.num()), Some(*key));
            assert!(nums.insert(key.num()));
        }
        for k in &kinds {
            assert_eq!(Kind::from_short(&k.short()), Some(*k));
        }
    }

    #[test]
    fn every_choice_has_labels() {
        for key in Key::ALL {
            if let Ty::Choice(codes) = key.ty() {
                for c in codes {
                    assert!(!choice_label(c).0.is_empty(), "{c}");
                }
            }
        }
    }

    #[test]
    fn encode_then_decode_gives_back_the_events() {
        let mut e = Event::new(3, Kind::Step(step::ACTIVIST), Date::constant(2024, 3, 1))
            .with(Key::Route, Value::Code("mass_org_recommendation"))
            .with(Key::RecommendedBy, Value::Text("共青团\t支部\\2\n".into()))
            .with(Key::DecidedBy, Value::Code("branch_committee"));
        e.corrects = Some(2);
        e.backfill = true;
        let vote = Event::new(4, Kind::Step(step::ADMISSION_MEETING), Date::constant(2025, 5, 1))
            .with(Key::Expected, Value::Int(9))
            .with(Key::Method, Value::Code("secret_ballot"))
            .with(Key::Approver, Value::Id(Uuid::from_u128(7)))
            .with(Key::Passed, Value::Bool(true));
        let events = vec![e, vote];
        assert_eq!(decode(&encode(&events)).unwrap(), events);
        assert_eq!(decode("1\tnope\t2024-01-01").unwrap_err().what, "kind");
        assert_eq!(decode("1\t2\t2024-02-30").unwrap_err().what, "date");
        assert_eq!(decode("1\t2\t2024-02-03\t999=x").unwrap_err().what, "field name");
        assert_eq!(iso_date("2024-02-29"), Some(Date::constant(2024, 2, 29)));
        assert_eq!(iso_date("2024-2-9"), None);
    }

    #[test]
    fn parsing_fields_reports_each_refusal() {
        let form = |k: &str| match k {
            "expected" => Some("9"),
            "present" => Some("ten"),
            "method" => Some("by_acclaim"),
            _ => None,
        };
        let e = parse_fields(Kind::Step(step::ADMISSION_MEETING), form).unwrap_err();
        let fields: Vec<&str> = e.0.iter().map(|f| f.field).collect();
        assert_eq!(fields, vec!["present", "for", "against", "abstain", "method", "candidates"]);
    }

    proptest::proptest! {
        #[test]
        fn decoding_any_text_never_panics(text in "\\PC{0,200}", tabs in proptest::collection::vec("[0-9a-zA-Z=\\t\\\\-]{0,30}", 0..8)) {
            let _ = decode(&text);
            let _ = decode(&tabs.join("\t"));
            let _ = decode(&format!("1\t2\t2024-01-01\t{}", tabs.join("\t")));
        }
    }

    #[test]
    fn a_correction_takes_the_place_of_what_it_corrects() {
        let d = Date::constant(2024, 1, 1);
        let mut c = Event::new(3, Kind::Step(step::TALK), Date::constant(2024, 1, 9));
        c.corrects = Some(2);
        let mut c2 = Event::new(4, Kind::Step(step::TALK), Date::constant(2024, 1, 10));
        c2.corrects = Some(3);
        let dossier = Dossier {
            events: vec![Event::new(1, Kind::Step(1), d), Event::new(2, Kind::Step(step::TALK), d), c, c2],
            ..Dossier::default()
        };
        let eff: Vec<u32> = dossier.effective().iter().map(|e| e.seq).collect();
        assert_eq!(eff, vec![1, 4]);
    }
}
