//! Request and response bodies of the API, with their OpenAPI schemas.

use pioneer_store::orgs::OrgRecord;
use pioneer_store::people::PersonRecord;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

/// An organisation.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct OrgView {
    /// Id.
    pub id: Uuid,
    /// Parent id (null for a top organisation).
    #[schema(required = true)]
    pub parent_id: Option<Uuid>,
    /// Top organisation of its deployment.
    pub tenant_id: Uuid,
    /// Depth in the tree (0 = top).
    pub depth: i64,
    /// Name.
    pub name: String,
    /// Kind: working_committee, committee, industry_organization, general_branch, branch, mobile_branch.
    pub kind: String,
    /// May approve probationary members.
    pub approval_authority: bool,
    /// Temporary organisation.
    pub temporary: bool,
    /// Enterprise.
    #[schema(required = true)]
    pub enterprise: Option<String>,
    /// Station.
    #[schema(required = true)]
    pub station: Option<String>,
    /// Address.
    #[schema(required = true)]
    pub address: Option<String>,
    /// Closing date (YYYY-MM-DD), if closed.
    #[schema(required = true, format = Date)]
    pub closed_on: Option<String>,
}

impl From<&OrgRecord> for OrgView {
    fn from(o: &OrgRecord) -> Self {
        Self {
            id: o.id,
            parent_id: o.parent_id,
            tenant_id: o.tenant_id,
            depth: o.depth,
            name: o.fields.name.clone(),
            kind: o.fields.kind.code().to_owned(),
            approval_authority: o.fields.approval_authority,
            temporary: o.fields.temporary,
            enterprise: o.fields.enterprise.clone(),
            station: o.fields.station.clone(),
            address: o.fields.address.clone(),
            closed_on: o.closed_on.map(|d| d.to_string()),
        }
    }
}

/// Where to move an organisation.
#[derive(Debug, Deserialize, ToSchema)]
pub struct MoveBody {
    /// The new parent's id.
    pub parent_id: String,
}

/// When an organisation closes.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct CloseBody {
    /// Closing date (YYYY-MM-DD); today when absent.
    #[serde(default)]
    pub closed_on: Option<String>,
}

/// A person, with ID and phone numbers masked.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct PersonView {
    /// Id.
    pub id: Uuid,
    /// Name.
    pub name: String,
    /// male or female.
    pub gender: String,
    /// YYYY-MM-DD.
    #[schema(format = Date)]
    pub birth_date: String,
    /// Ethnic group (Chinese name).
    pub ethnicity: String,
    /// Education code.
    pub education: String,
    /// 大专及以上 (STAT-002).
    pub college_or_above: bool,
    /// Worker category code.
    pub worker_category: String,
    /// Employer.
    #[schema(required = true)]
    pub employer: Option<String>,
    /// Station.
    #[schema(required = true)]
    pub station: Option<String>,
    /// Phone, masked (138****5678).
    #[schema(required = true)]
    pub phone_masked: Option<String>,
    /// ID number, masked (first 4 and last 4).
    pub id_card_masked: String,
    /// Status code.
    pub status: String,
    /// Organisation id.
    pub org_id: Uuid,
    /// Organisation name.
    pub org_name: String,
    /// Mobile member.
    pub is_mobile: bool,
    /// Home organisation of a mobile member.
    #[schema(required = true)]
    pub home_organization: Option<String>,
    /// Backbone flag.
    pub is_backbone: bool,
    /// Key-position flag.
    pub is_key_position: bool,
    /// Application date.
    #[schema(required = true, format = Date)]
    pub applied_on: Option<String>,
    /// Activist date.
    #[schema(required = true, format = Date)]
    pub activist_on: Option<String>,
    /// Development-target date.
    #[schema(required = true, format = Date)]
    pub target_on: Option<String>,
    /// Admission date.
    #[schema(required = true, format = Date)]
    pub admitted_on: Option<String>,
    /// Full-membership date.
    #[schema(required = true, format = Date)]
    pub full_member_on: Option<String>,
}

impl From<&PersonRecord> for PersonView {
    fn from(p: &PersonRecord) -> Self {
        let f = &p.fields;
        let d = |x: Option<jiff::civil::Date>| x.map(|d| d.to_string());
        Self {
            id: p.id,
            name: f.name.clone(),
            gender: f.gender.code().into(),
            birth_date: f.birth_date.to_string(),
            ethnicity: f.ethnicity.clone(),
            education: f.education.code().into(),
            college_or_above: f.education.is_college_or_above(),
            worker_category: f.worker_category.code().into(),
            employer: f.employer.clone(),
            station: f.station.clone(),
            phone_masked: f.phone.as_ref().map(|p| p.masked()),
            id_card_masked: f.id_card.masked(),
            status: f.status.code().into(),
            org_id: f.org_id,
            org_name: p.org_name.clone(),
            is_mobile: f.is_mobile,
            home_organization: f.home_organization.clone(),
            is_backbone: f.is_backbone,
            is_key_position: f.is_key_position,
            applied_on: d(f.dates.applied_on),
            activist_on: d(f.dates.activist_on),
            target_on: d(f.dates.target_on),
            admitted_on: d(f.dates.admitted_on),
            full_member_on: d(f.dates.full_member_on),
        }
    }
}

/// One page of people.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct PeoplePageView {
    /// Matches, counted up to 10,000.
    pub total: u64,
    /// True when there are more than `total`.
    pub total_capped: bool,
    /// This page (from 1).
    pub page: u32,
    /// Page size.
    pub per_page: u32,
    /// The people.
    pub items: Vec<PersonView>,
}

/// The id of a created record.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct Created {
    /// Id.
    pub id: Uuid,
}

/// The `{id}` of an organisation's path. The handlers read it as text: an id that is not a
/// UUID names no record (404).
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Path)]
pub struct OrgId {
    /// The organisation's id.
    pub id: Uuid,
}

/// The `{id}` of a person's path (an id that is not a UUID: 404).
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Path)]
pub struct PersonId {
    /// The person's id.
    pub id: Uuid,
}

/// The `{id}` of a dossier's path (an id that is not a UUID: 404).
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Path)]
pub struct DossierId {
    /// The dossier's id.
    pub id: Uuid,
}

/// What an API import answers when it refuses the file: too large (413), not a table it can
/// read (422, `title_zh` beside `title`), or rows with problems (422, `problems`; nothing
/// was imported). A refusal of the writing itself (422) is a `Problem`, which this schema
/// also admits.
#[derive(Debug, Serialize, ToSchema)]
pub struct ImportRefusal {
    /// `about:blank`.
    #[serde(rename = "type")]
    pub kind: String,
    /// What is wrong, in English.
    pub title: String,
    /// What is wrong, in Chinese (a file refused whole).
    pub title_zh: Option<String>,
    /// The HTTP status.
    pub status: u16,
    /// Every problem by line and column (rows refused).
    pub problems: Option<Vec<ImportProblem>>,
}

/// One problem of an imported file.
#[derive(Debug, Serialize, ToSchema)]
pub struct ImportProblem {
    /// The line of the file.
    pub line: u64,
    /// The column's name as in the header.
    pub column: String,
    /// The reason in Chinese.
    pub reason_zh: String,
    /// The reason in English.
    pub reason_en: String,
}

/// How certain a rule is (RULES.md §0): confirmed, text confirmed, local practice, unconfirmed.
#[derive(Debug, ToSchema)]
pub enum RuleCertainty {
    /// Confirmed: the official text and article number are quoted.
    C,
    /// The text is confirmed, the article number is not.
    T,
    /// Local practice: configurable per organisation.
    L,
    /// Unconfirmed: configurable and shown as such.
    U,
}

/// How bad a finding is.
#[derive(Debug, ToSchema)]
#[schema(rename_all = "snake_case")]
pub enum FindingSeverity {
    /// Should be looked at (a local rule, a soft deadline).
    Warning,
    /// Breaks the rule.
    Violation,
}

/// `GET /api/v1/rules`: every rule and every check the engine makes.
#[derive(Debug, ToSchema)]
pub struct RuleCatalogue {
    /// The rules.
    pub rules: Vec<RuleView>,
    /// The checks.
    pub checks: Vec<CheckView>,
}

/// One rule.
#[derive(Debug, ToSchema)]
pub struct RuleView {
    /// `DEV-010`.
    pub id: String,
    /// Status in the 2014 set.
    pub status: RuleCertainty,
    /// New in 2014: not applied to acts before the 2014 细则.
    pub new_in_2014: bool,
    /// What the rule says, in Chinese.
    pub zh: String,
    /// What the rule says, in English.
    pub en: String,
    /// Where it comes from.
    pub citation: String,
}

/// One check of the rule engine.
#[derive(Debug, ToSchema)]
pub struct CheckView {
    /// Code (`talk_missing`).
    pub code: String,
    /// The audit item (`AUD-01`).
    pub audit: String,
    /// The rule (`DEV-003`).
    pub rule: String,
    /// How bad.
    pub severity: FindingSeverity,
    /// A hard rule: a step that breaks it is refused unless backfilled.
    pub hard: bool,
    /// Only under the 2026 rule set.
    pub only_2026: bool,
    /// The finding, in Chinese.
    pub zh: String,
    /// The finding, in English.
    pub en: String,
}

/// `GET /api/v1/notices`: the notices running today.
#[derive(Debug, ToSchema)]
pub struct NoticeBoard {
    /// The notices.
    pub items: Vec<NoticeView>,
}

/// One public notice, as a 公示 shows it: no internal id.
#[derive(Debug, ToSchema)]
pub struct NoticeView {
    /// The notice's public reference (GS-…), for its objection form.
    pub code: String,
    /// Before which step (`target`).
    pub point: String,
    /// Posted on.
    #[schema(format = Date)]
    pub on: String,
    /// Runs until.
    #[schema(format = Date)]
    pub ends_on: String,
    /// Whose: the name.
    pub person_name: String,
    /// Gender (`male`, `female`).
    pub gender: String,
    /// Year and month of birth (1995-03).
    pub born: String,
    /// Education code.
    pub education: String,
    /// The organisation.
    pub org_name: String,
    /// Where objections may also be brought in person (null when not recorded).
    #[schema(required = true)]
    pub org_address: Option<String>,
}

/// `GET /api/v1/dossiers`: the cases, the most urgent first.
#[derive(Debug, ToSchema)]
pub struct DossierList {
    /// The cases.
    pub items: Vec<DossierItem>,
    /// Matches, counted up to 10,000.
    pub total: u64,
    /// More than 10,000 match.
    pub total_capped: bool,
    /// The page.
    pub page: u32,
}

/// One case in a list.
#[derive(Debug, ToSchema)]
pub struct DossierItem {
    /// Id.
    pub id: Uuid,
    /// Whose.
    pub person_id: Uuid,
    /// Their name.
    pub person_name: String,
    /// The organisation.
    pub org_id: Uuid,
    /// Its name.
    pub org_name: String,
    /// Stage code.
    pub stage: String,
    /// State code.
    pub state: String,
    /// The earliest open due date.
    #[schema(required = true, format = Date)]
    pub next_due: Option<String>,
    /// The step it concerns (1–25).
    #[schema(required = true)]
    pub next_due_step: Option<u8>,
    /// Violations when last written.
    pub violations: i64,
    /// Warnings when last written.
    pub warnings: i64,
}

/// `GET /api/v1/work-queue`: open cases with a step due within a week, overdue ones first.
#[derive(Debug, ToSchema)]
pub struct WorkQueue {
    /// The day judged.
    #[schema(format = Date)]
    pub today: String,
    /// The cases.
    pub items: Vec<WorkQueueItem>,
}

/// One case in the work queue: a [`DossierItem`] with whether it is overdue and the step's code.
#[derive(Debug, ToSchema)]
pub struct WorkQueueItem {
    /// Id.
    pub id: Uuid,
    /// Whose.
    pub person_id: Uuid,
    /// Their name.
    pub person_name: String,
    /// The organisation.
    pub org_id: Uuid,
    /// Its name.
    pub org_name: String,
    /// Stage code.
    pub stage: String,
    /// State code.
    pub state: String,
    /// The earliest open due date.
    #[schema(required = true, format = Date)]
    pub next_due: Option<String>,
    /// The step it concerns (1–25).
    #[schema(required = true)]
    pub next_due_step: Option<u8>,
    /// Violations when last written.
    pub violations: i64,
    /// Warnings when last written.
    pub warnings: i64,
    /// The due date has passed.
    pub overdue: bool,
    /// The code of the step due (`target_chosen`).
    #[schema(required = true)]
    pub step: Option<String>,
}

/// `GET /api/v1/dossiers/{id}`: a case, its events and what the rules say about it today.
#[derive(Debug, ToSchema)]
pub struct DossierView {
    /// Id.
    pub id: Uuid,
    /// Whose.
    pub person_id: Uuid,
    /// Their name.
    pub person_name: String,
    /// The organisation.
    pub org_id: Uuid,
    /// Its name.
    pub org_name: String,
    /// Recorded as found (imported or backfilled), with its findings.
    pub backfill: bool,
    /// The events, in the order recorded.
    pub events: Vec<EventView>,
    /// What the rules say.
    pub evaluation: EvaluationView,
}

/// One recorded event of a dossier.
#[derive(Debug, ToSchema)]
pub struct EventView {
    /// Its number in the dossier.
    pub seq: u32,
    /// Kind code (a step's code, or `notice`, `objection`, …).
    pub kind: String,
    /// The step's number (1–25; 0 for an event that is no step).
    pub step: u8,
    /// Date of the act.
    #[schema(format = Date)]
    pub on: String,
    /// The event it corrects.
    #[schema(required = true)]
    pub corrects: Option<u32>,
    /// Recorded as found.
    pub backfill: bool,
    /// The kind's fields by code.
    #[schema(value_type = Object)]
    pub fields: serde_json::Value,
}

/// What the rule engine says about a dossier (also the answer to a recorded event).
#[derive(Debug, ToSchema)]
pub struct EvaluationView {
    /// The stage reached.
    pub stage: String,
    /// Open, or how it ended.
    pub state: String,
    /// The codes of the steps done.
    pub done: Vec<String>,
    /// The codes of the steps that may be recorded next.
    pub next_steps: Vec<String>,
    /// The deadlines running.
    pub deadlines: Vec<DeadlineView>,
    /// What breaks a rule or should be looked at.
    pub findings: Vec<FindingView>,
}

/// A deadline of a dossier.
#[derive(Debug, ToSchema)]
pub struct DeadlineView {
    /// The step's code.
    #[schema(required = true)]
    pub step: Option<String>,
    /// The rule that sets it.
    pub rule: String,
    /// The day.
    #[schema(format = Date)]
    pub due: String,
    /// What kind of deadline (`due`, …).
    pub kind: String,
    /// The day has passed.
    pub overdue: bool,
}

/// A finding of the rule engine on a dossier.
#[derive(Debug, ToSchema)]
pub struct FindingView {
    /// The check's code.
    pub check: String,
    /// The rule.
    pub rule: String,
    /// The audit item.
    pub audit: String,
    /// How certain the rule is.
    pub status: RuleCertainty,
    /// How bad.
    pub severity: FindingSeverity,
    /// The rule set the act was judged by (`1990`, `2014`, `2026`).
    pub version: String,
    /// The finding, in Chinese.
    pub message_zh: String,
    /// The finding, in English.
    pub message_en: String,
    /// The rule's text, in Chinese.
    pub rule_zh: String,
    /// Where the rule comes from.
    pub citation: String,
    /// The event it concerns.
    #[schema(required = true)]
    pub event: Option<u32>,
}

/// `GET /api/v1/screening`: every dossier in scope judged as of a day, findings by rule.
#[derive(Debug, ToSchema)]
pub struct ScreeningView {
    /// The day judged.
    #[schema(format = Date)]
    pub as_of: String,
    /// The organisation screened (null: every dossier the account reaches).
    #[schema(required = true)]
    pub org: Option<Uuid>,
    /// The branch the screening was narrowed to.
    #[schema(required = true)]
    pub branch: Option<Uuid>,
    /// The rule or check the findings were narrowed to.
    #[schema(required = true)]
    pub rule: Option<String>,
    /// The severity the findings were narrowed to.
    #[schema(required = true)]
    pub severity: Option<FindingSeverity>,
    /// Dossiers screened.
    pub dossiers: u64,
    /// Dossiers with at least one violation.
    pub with_violations: u64,
    /// Dossiers with warnings only.
    pub with_warnings_only: u64,
    /// Findings by rule, the most frequent first.
    pub groups: Vec<ScreeningGroup>,
}

/// One check's findings across the dossiers screened.
#[derive(Debug, ToSchema)]
pub struct ScreeningGroup {
    /// The check.
    pub check: ScreenedCheck,
    /// Dossiers with this finding.
    pub count: u64,
    /// The first of them.
    pub cases: Vec<ScreenedCase>,
}

/// The check of a screening group.
#[derive(Debug, ToSchema)]
pub struct ScreenedCheck {
    /// Code.
    pub code: String,
    /// The rule.
    pub rule: String,
    /// The audit item.
    pub audit: String,
    /// How bad.
    pub severity: FindingSeverity,
    /// How certain the rule is.
    pub status: RuleCertainty,
    /// The finding, in Chinese.
    pub message_zh: String,
    /// The finding, in English.
    pub message_en: String,
    /// Where the rule comes from.
    pub citation: String,
}

/// A dossier with a finding.
#[derive(Debug, ToSchema)]
pub struct ScreenedCase {
    /// The dossier.
    pub id: Uuid,
    /// Whose (null if the name could not be looked up).
    #[schema(required = true)]
    pub name: Option<String>,
    /// The organisation.
    #[schema(required = true)]
    pub org_id: Option<Uuid>,
    /// Its name.
    #[schema(required = true)]
    pub branch: Option<String>,
    /// Its stage on the day screened (code).
    pub stage: String,
    /// The stage in Chinese.
    pub stage_zh: String,
    /// The stage in English.
    pub stage_en: String,
}

/// What `POST /api/v1/people/import` answers for a file it can take: the counts and who
/// would be added or changed (written when `apply=true`).
#[derive(Debug, ToSchema)]
pub struct RosterImportView {
    /// Written (`apply=true`), or a dry run.
    pub applied: bool,
    /// People added.
    pub new: u64,
    /// People changed.
    pub changed: u64,
    /// People the file names as they are.
    pub unchanged: u64,
    /// Who is added or changed.
    pub people: Vec<RosterChangeView>,
}

/// A person a roster import adds or changes.
#[derive(Debug, ToSchema)]
pub struct RosterChangeView {
    /// Name.
    pub name: String,
    /// ID number, masked.
    pub id_card: String,
    /// Added (not on the roster yet).
    pub new: bool,
    /// The fields that change (codes).
    pub changed: Vec<String>,
}
