//! The rule engine: [`evaluate`] walks a dossier and returns its stage, the steps allowed
//! next, deadlines (due / overdue) and findings — each with the rule id, status, severity,
//! rule-set version, message and citation. [`guard`] uses the same function to refuse a
//! new event that would break a hard rule. Pure: `today` is an argument.

use crate::development::dev_settings::DevSettings;
use crate::development::dossier::{Dossier, Event, Key, Kind, step as s};
use crate::development::periods::activist_year_complete;
use crate::development::procedure::Stage;
use crate::development::rules::{Certainty, RULES, Rule, Version, rule_by_id};
use crate::development::vote::{BallotMethod, VoteRecord, tally};
use jiff::civil::Date;
use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};

/// How bad a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Should be looked at (a local rule, a soft deadline).
    Warning,
    /// Breaks the rule.
    Violation,
}

/// One check the engine makes: which rule, which audit item, how bad.
#[derive(Debug, PartialEq, Eq)]
pub struct Check {
    /// Stable code of the check (`activist_year`).
    pub code: &'static str,
    /// The audit-catalogue item (`AUD-07`), or "" when the catalogue has none.
    pub audit: &'static str,
    /// The rule (`DEV-010`).
    pub rule: &'static str,
    /// How bad.
    pub severity: Severity,
    /// Recording an event that raises it is refused outside backfill mode.
    pub hard: bool,
    /// An unconfirmed item of the 2026 revision: applies only when switched on.
    pub only_2026: bool,
    /// The finding, in Chinese.
    pub zh: &'static str,
    /// The finding, in English.
    pub en: &'static str,
}

macro_rules! checks {
    ($($name:ident = $code:literal, $audit:literal, $rule:literal, $sev:ident, $hard:literal, $u:literal, $zh:literal, $en:literal;)+) => {
        $(#[doc = $zh] pub const $name: Check = Check { code: $code, audit: $audit, rule: $rule, severity: Severity::$sev, hard: $hard, only_2026: $u, zh: $zh, en: $en };)+
        /// Every check.
        pub const CHECKS: &[&Check] = &[$(&$name,)+];
    };
}

checks! {
    UNDER_AGE = "under_age", "AUD-01", "DEV-001", Violation, true, false, "递交申请时未满十八岁", "Applied before turning 18";
    TALK_LATE = "talk_late", "AUD-02", "DEV-003", Violation, false, false, "谈话晚于收到申请书后一个月", "The talk came more than a month after the application";
    TALK_MISSING = "talk_missing", "AUD-02", "DEV-003", Violation, false, false, "收到申请书已满一个月仍无谈话记录", "A month has passed since the application without a talk";
    ACTIVIST_DECIDED = "activist_decided", "AUD-03", "DEV-004", Violation, true, false, "入党积极分子未经支委会（或支部大会）研究决定", "The activist was not decided by the branch committee or general meeting";
    ACTIVIST_EARLY = "activist_early", "", "DEV-004a", Warning, false, false, "申请入党至确定积极分子未满本组织规定的最短期限", "Made an activist sooner after applying than this organisation's minimum";
    ACTIVIST_NOT_FILED = "activist_not_filed", "AUD-04", "DEV-005", Violation, true, false, "入党积极分子未报上级党委备案", "The activist was not filed with the higher committee";
    CONTACTS_MISSING = "contacts_missing", "AUD-05", "DEV-006", Violation, true, false, "未指定培养联系人", "No cultivation contact was assigned";
    CONTACT_NOT_FULL = "contact_not_full", "AUD-05", "DEV-006", Violation, true, false, "培养联系人在指定之日不是正式党员", "A cultivation contact was not a full member on the day assigned";
    ASSESSMENT_GAP = "assessment_gap", "AUD-06", "DEV-007", Violation, false, false, "入党积极分子考察间隔超过半年", "More than half a year passed without an assessment of the activist";
    ACTIVIST_YEAR = "activist_year", "AUD-07", "DEV-010", Violation, true, false, "确定为发展对象时培养考察不满一年", "Made a development target before a full year as an activist";
    OPINIONS = "opinions", "AUD-08", "DEV-011", Violation, true, false, "确定发展对象前未听取党小组、培养联系人、党员和群众意见", "The opinions were not heard before the decision";
    TARGET_NOT_FILED = "target_not_filed", "AUD-08", "DEV-012", Violation, true, false, "发展对象未报上级党委备案", "The development target was not filed with the higher committee";
    INTRODUCERS_COUNT = "introducers_count", "AUD-09", "DEV-013", Violation, true, false, "入党介绍人不是两名", "There are not two introducers";
    INTRODUCER_NOT_FULL = "introducer_not_full", "AUD-09", "DEV-014", Violation, true, false, "入党介绍人在确定之日不是正式党员（预备党员或受留党察看处分者不能作介绍人）", "An introducer was not a full member in good standing on that day";
    INTRODUCER_OPINIONS = "introducer_opinions", "AUD-09", "DEV-015", Violation, true, false, "入党志愿书中缺少入党介绍人意见", "The introducers' opinions are missing from the application form";
    REVIEW_MISSING = "review_missing", "AUD-10", "DEV-018", Violation, true, false, "支委会审查前没有政治审查结论", "No political-review conclusion before the branch committee review";
    REVIEW_FAILED = "review_failed", "AUD-10", "DEV-018", Violation, true, false, "政治审查结论不合格", "The political review did not pass";
    REVIEW_LATE = "review_late", "AUD-10", "DEV-018", Violation, true, false, "政治审查结论晚于支委会审查", "The political review is dated after the branch committee review";
    MOBILE_OPINIONS = "mobile_opinions", "AUD-10", "DEV-017", Violation, true, false, "流动人员政治审查未征求户籍地和居住地党组织意见", "A mobile person's review lacks the opinions of both home organisations";
    REVIEW_STALE = "review_stale", "", "DEV-019", Warning, false, false, "支部大会距政治审查已超过有效期", "The meeting came after the political review had expired";
    TRAINING_MISSING = "training_missing", "AUD-11", "DEV-020", Violation, true, false, "支部大会前未完成集中培训或培训不合格", "No passed concentrated training before the meeting";
    TRAINING_SHORT = "training_short", "AUD-11", "DEV-020", Violation, true, false, "集中培训不足规定天数或学时", "The training was shorter than the minimum days or hours";
    TRAINING_EARLY = "training_early", "AUD-11", "DEV-020", Violation, true, false, "集中培训早于确定为发展对象", "The training began before the person was a development target";
    TRAINING_LATE = "training_late", "AUD-11", "DEV-020", Violation, true, false, "集中培训晚于支部大会", "The training is dated after the meeting";
    COMMITTEE_REVIEW_FAILED = "committee_review_failed", "", "DEV-021", Violation, true, false, "支委会审查不合格仍报预审", "Sent to preliminary review although the branch committee did not pass it";
    PREREVIEW_MISSING = "prereview_missing", "AUD-12", "DEV-022", Violation, true, false, "未经上级党委预审合格即发放入党志愿书", "The application form was issued without a passed preliminary review";
    FORM_BEFORE_PREREVIEW = "form_before_prereview", "AUD-12", "DEV-024", Violation, true, false, "入党志愿书填写日期早于预审（时间倒置）", "The application form is dated before the preliminary review";
    LEAVING_SOON = "leaving_soon", "AUD-13", "DEV-023", Warning, false, false, "发展对象将在支部大会后三个月内离开单位", "The target leaves the unit within three months of the meeting";
    MEETING_NOT_PREREVIEWED = "meeting_not_prereviewed", "", "DEV-025", Violation, true, false, "发展对象未经预审合格即提交支部大会", "The meeting discussed a target without a passed preliminary review";
    MEETING_SLOW = "meeting_slow", "", "DEV-023a", Warning, false, false, "预审合格后未在规定期限内召开支部大会", "The meeting came later after the preliminary review than this organisation allows";
    QUORUM = "quorum", "AUD-14", "DEV-026", Violation, true, false, "到会有表决权人数未超过应到会有表决权人数的半数", "Not more than half of the expected voting members were present";
    MAJORITY = "majority", "AUD-15", "DEV-029", Violation, true, false, "赞成人数未超过应到会有表决权正式党员的半数", "Not more than half of the expected voting members voted in favour";
    BALLOT = "ballot", "AUD-16", "DEV-028", Violation, true, false, "未采用无记名投票表决", "The vote was not by secret ballot";
    ONE_AT_A_TIME = "one_at_a_time", "AUD-16", "DEV-030", Violation, true, false, "多名发展对象一并表决，未逐个表决", "Several candidates were voted on together";
    HIGHER_TALK_MISSING = "higher_talk_missing", "AUD-17", "DEV-031", Violation, true, false, "审批前上级党委未派人谈话", "No talk by the higher committee before approval";
    HIGHER_TALK_WINDOW = "higher_talk_window", "AUD-17", "DEV-031", Violation, true, false, "上级党委谈话不在支部大会与审批之间", "The higher committee's talk is not between the meeting and the approval";
    APPROVAL_SLOW = "approval_slow", "AUD-18", "DEV-033", Warning, false, false, "支部大会后超过三个月才审批", "Approved more than three months after the meeting";
    APPROVAL_LATE = "approval_late", "AUD-18", "DEV-033", Violation, false, false, "支部大会后超过六个月才审批（或仍未审批）", "Approval more than six months after the meeting (or still none)";
    APPROVER = "approver", "AUD-19", "DEV-034", Violation, true, false, "审批组织无审批权限（党总支、临时党组织或无权限党委）", "Approved by an organisation without approval authority";
    APPROVAL_NOT_FILED = "approval_not_filed", "AUD-20", "DEV-036", Violation, true, false, "审批后未报上级组织部门备案", "Not filed with the organisation department after approval";
    OATH_EARLY = "oath_early", "AUD-21", "DEV-038", Violation, true, false, "入党宣誓早于审批", "The oath came before the approval";
    OATH_MISSING = "oath_missing", "AUD-21", "DEV-038", Violation, true, false, "讨论转正前未进行入党宣誓", "No oath before the conversion meeting";
    OATH_LATE = "oath_late", "AUD-21", "DEV-038", Warning, false, true, "批准后一个月内未组织入党宣誓（2026年修订稿，待核实）", "No oath within a month of approval (2026 revision, unconfirmed)";
    CONVERSION_EARLY = "conversion_early", "AUD-22", "DEV-040", Violation, true, false, "预备期未满即讨论转正", "Conversion discussed before probation ended";
    CONVERTED_ON = "converted_on", "AUD-22", "DEV-045", Violation, true, false, "转正日期不是预备期满之日", "The full-member date is not the end of probation";
    EXTENSIONS = "extensions", "AUD-23", "DEV-041", Violation, true, false, "预备期延长超过一次", "Probation was extended more than once";
    EXTENSION_LENGTH = "extension_length", "AUD-23", "DEV-041", Violation, true, false, "延长预备期少于半年或超过一年", "The extension is shorter than six or longer than twelve months";
    CONVERSION_NO_APPLICATION = "conversion_no_application", "AUD-24", "DEV-042", Violation, true, false, "讨论转正前没有本人书面转正申请", "No written conversion application before the meeting";
    CONVERSION_ORDER = "conversion_order", "AUD-24", "DEV-042", Violation, true, false, "转正程序顺序不符（申请、党小组意见、征求意见、支委会审查、支部大会）", "The conversion steps are out of order";
    CONVERSION_MEETING_SLOW = "conversion_meeting_slow", "", "DEV-043", Warning, false, false, "转正申请后未在规定期限内召开支部大会", "The conversion meeting came later than this organisation allows";
    CONVERSION_APPROVAL_LATE = "conversion_approval_late", "AUD-25", "DEV-044", Violation, false, false, "转正决议超过三个月未审批", "The conversion was not approved within three months";
    ARCHIVE_INCOMPLETE = "archive_incomplete", "AUD-29", "DEV-046", Violation, false, false, "归档材料不全", "The archived dossier is incomplete";
    NOTICE_MISSING = "notice_missing", "AUD-30", "DEV-050", Violation, true, false, "未按本组织规定进行公示或公示期不足", "No public notice of the required length before this step";
    NOTICE_2026 = "notice_2026", "AUD-30", "DEV-050", Violation, true, true, "列为发展对象前未公示五个工作日（2026年修订稿，待核实）", "No five-working-day notice before becoming a development target (2026 revision, unconfirmed)";
    OBJECTION_OPEN = "objection_open", "AUD-30", "DEV-050", Violation, true, false, "公示异议尚未处理即进入下一环节", "Moved on while an objection to the notice was unresolved";
    ORDER = "order", "AUD-26", "AUD-26", Violation, true, false, "环节日期顺序倒置", "A step is dated before a step it must follow";
}

impl Check {
    /// The rule it checks (every check names one of [`RULES`]; a test holds it to that).
    pub fn rule(&self) -> &'static Rule {
        rule_by_id(self.rule).unwrap_or(&RULES[0])
    }

    /// The rule's status as this check applies it (a 2026-only item is unconfirmed).
    pub fn status(&self) -> Certainty {
        if self.only_2026 { Certainty::U } else { self.rule().status }
    }
}

/// A check by its code.
pub fn check_by_code(code: &str) -> Option<&'static Check> {
    CHECKS.iter().copied().find(|c| c.code == code)
}

/// One finding about a dossier.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Finding {
    /// What was checked.
    pub check: &'static Check,
    /// The rule set the act was judged by.
    pub version: Version,
    /// The event the finding is about, if any (none for something missing by now).
    pub event: Option<u32>,
}

impl Finding {
    /// The rule.
    pub fn rule(&self) -> &'static Rule {
        self.check.rule()
    }

    /// The rule's status (a 2026-only item is unconfirmed).
    pub fn status(&self) -> Certainty {
        self.check.status()
    }
}

impl Serialize for Finding {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let rule = self.rule();
        let mut m = s.serialize_map(Some(11))?;
        m.serialize_entry("check", self.check.code)?;
        m.serialize_entry("rule", rule.id)?;
        m.serialize_entry("audit", self.check.audit)?;
        m.serialize_entry("status", &self.status())?;
        m.serialize_entry("severity", &self.check.severity)?;
        m.serialize_entry("version", &self.version)?;
        m.serialize_entry("message_zh", self.check.zh)?;
        m.serialize_entry("message_en", self.check.en)?;
        m.serialize_entry("rule_zh", rule.zh)?;
        m.serialize_entry("citation", rule.citation)?;
        m.serialize_entry("event", &self.event)?;
        m.end()
    }
}

/// Where a case stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CaseState {
    /// In progress.
    Open,
    /// Admission not approved.
    Rejected,
    /// Probationary membership cancelled.
    Cancelled,
    /// A full member.
    Converted,
    /// Archived.
    Archived,
}

/// What a deadline is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DeadlineKind {
    /// The step is due by this day.
    Due,
    /// The step may not be taken before this day.
    NotBefore,
    /// A public notice runs until this day.
    NoticeEnds,
}

/// A date the next steps are held to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Deadline {
    /// The step it concerns.
    pub step: u8,
    /// The rule that sets it.
    pub rule: &'static str,
    /// The day.
    pub due: Date,
    /// What kind of date.
    pub kind: DeadlineKind,
    /// A due date already passed.
    pub overdue: bool,
}

/// What [`evaluate`] says about a dossier.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Evaluation {
    /// The stage reached.
    pub stage: Stage,
    /// Open, or how it ended.
    pub state: CaseState,
    /// Steps done (bit `n` for step `n`).
    pub done: u32,
    /// Steps that may be recorded next (bit `n` for step `n`).
    pub next: u32,
    /// Deadlines of the open steps.
    pub deadlines: Vec<Deadline>,
    /// Findings.
    pub findings: Vec<Finding>,
}

impl Evaluation {
    /// Whether step `n` is done.
    pub fn is_done(&self, n: u8) -> bool {
        self.done & (1 << n) != 0
    }

    /// Whether step `n` may be recorded next.
    pub fn allows(&self, n: u8) -> bool {
        self.next & (1 << n) != 0
    }

    /// Whether any finding is a violation.
    pub fn has_violation(&self) -> bool {
        self.findings.iter().any(|f| f.check.severity == Severity::Violation)
    }
}

/// The versioned rule sets (the rules themselves are [`RULES`]).
#[derive(Debug, Clone, Copy, Default)]
pub struct RuleBook;

impl RuleBook {
    /// The rule sets pioneer ships: 1990 (older acts), 2014, 2026.
    pub fn standard() -> Self {
        RuleBook
    }

    /// The set in force on `day`.
    pub fn version_on(&self, day: Date, settings: &DevSettings) -> Version {
        Version::on(day, settings.revision_2026_from)
    }
}

fn plus_months(d: Date, m: i64) -> Date {
    crate::development::periods::add_months(d, m)
}

/// Step prerequisites: bits of the steps that must be done first.
const fn bits(steps: &[u8]) -> u32 {
    let mut b = 0;
    let mut i = 0;
    while i < steps.len() {
        b |= 1 << steps[i];
        i += 1;
    }
    b
}

const PREREQUISITES: [u32; 26] = [
    0,
    0,
    bits(&[s::APPLICATION]),
    bits(&[s::APPLICATION]),
    bits(&[s::ACTIVIST]),
    bits(&[s::ACTIVIST]),
    bits(&[s::ACTIVIST]),
    bits(&[s::ACTIVIST, s::ACTIVIST_FILED, s::CONTACTS]),
    bits(&[s::TARGET]),
    bits(&[s::TARGET]),
    bits(&[s::TARGET]),
    bits(&[s::TARGET]),
    bits(&[s::TARGET_FILED, s::INTRODUCERS, s::POLITICAL_REVIEW, s::TRAINING]),
    bits(&[s::COMMITTEE_REVIEW]),
    bits(&[s::PRELIMINARY_REVIEW]),
    bits(&[s::APPLICATION_FORM]),
    bits(&[s::ADMISSION_MEETING]),
    bits(&[s::ADMISSION_MEETING, s::HIGHER_TALK]),
    bits(&[s::APPROVAL]),
    bits(&[s::APPROVAL]),
    bits(&[s::APPROVAL]),
    bits(&[s::APPROVAL]),
    bits(&[s::APPROVAL, s::OATH]),
    bits(&[s::CONVERSION_APPLICATION]),
    bits(&[s::CONVERSION_MEETING]),
    bits(&[s::CONVERSION_APPROVAL]),
];

/// Steps that are recorded more than once.
const REPEATABLE: u32 =
    bits(&[s::CULTIVATION, s::PROBATION_ASSESSMENT, s::CONVERSION_MEETING, s::CONVERSION_APPROVAL]);

/// Steps whose date must not precede another's (AUD-26), where no narrower check covers it.
const ORDER_PAIRS: [(u8, u8); 16] = [
    (s::APPLICATION, s::TALK),
    (s::APPLICATION, s::ACTIVIST),
    (s::TALK, s::ACTIVIST),
    (s::ACTIVIST, s::ACTIVIST_FILED),
    (s::ACTIVIST, s::CONTACTS),
    (s::TARGET, s::TARGET_FILED),
    (s::TARGET, s::INTRODUCERS),
    (s::TARGET, s::POLITICAL_REVIEW),
    (s::INTRODUCERS, s::COMMITTEE_REVIEW),
    (s::TRAINING, s::COMMITTEE_REVIEW),
    (s::COMMITTEE_REVIEW, s::PRELIMINARY_REVIEW),
    (s::APPLICATION_FORM, s::ADMISSION_MEETING),
    (s::APPROVAL, s::APPROVAL_FILED),
    (s::APPROVAL, s::PLACEMENT),
    (s::CONVERSION_APPROVAL, s::ARCHIVING),
    (s::APPROVAL, s::CONVERSION_APPLICATION),
];

struct Walk<'a> {
    book: &'a RuleBook,
    settings: &'a DevSettings,
    findings: Vec<Finding>,
    deadlines: Vec<Deadline>,
    today: Date,
}

impl Walk<'_> {
    /// Records a finding about an act on `day` if its rule applies in the set in force then.
    fn find(&mut self, check: &'static Check, day: Date, event: Option<u32>) {
        let version = self.book.version_on(day, self.settings);
        if check.only_2026 && !(version == Version::V2026 && self.settings.apply_2026_unconfirmed) {
            return;
        }
        if let Some(rule) = rule_by_id(check.rule)
            && !rule.applies(version)
        {
            return;
        }
        self.findings.push(Finding { check, version, event });
    }

    fn due(&mut self, step: u8, rule: &'static str, due: Date) {
        let overdue = self.today > due;
        self.deadlines.push(Deadline { step, rule, due, kind: DeadlineKind::Due, overdue });
    }
}

/// The vote a meeting record holds (admission or conversion meeting).
pub fn vote_record(e: &Event) -> VoteRecord {
    let n = |k| u32::try_from(e.int(k)).unwrap_or(u32::MAX);
    VoteRecord {
        held_on: e.on,
        expected: n(Key::Expected),
        present: n(Key::Present),
        for_: n(Key::For),
        against: n(Key::Against),
        abstain: n(Key::Abstain),
        written_for: n(Key::WrittenFor),
        written_against: n(Key::WrittenAgainst),
        written_abstain: n(Key::WrittenAbstain),
        method: if e.code(Key::Method) == Some("show_of_hands") {
            BallotMethod::ShowOfHands
        } else {
            BallotMethod::SecretBallot
        },
        candidates: n(Key::Candidates),
    }
}

fn check_vote(w: &mut Walk<'_>, e: &Event) -> bool {
    match tally(&vote_record(e)) {
        Ok(t) => {
            for id in &t.broken {
                let check = match *id {
                    "DEV-026" => &QUORUM,
                    "DEV-028" => &BALLOT,
                    "DEV-030" => &ONE_AT_A_TIME,
                    _ => &MAJORITY,
                };
                w.find(check, e.on, Some(e.seq));
            }
            t.passed
        }
        Err(_) => {
            w.find(&MAJORITY, e.on, Some(e.seq));
            false
        }
    }
}

fn approver_ok(e: &Event) -> bool {
    e.flag(Key::ApproverAuthority)
        && !e.flag(Key::ApproverTemporary)
        && matches!(
            e.code(Key::ApproverKind),
            Some("working_committee" | "committee" | "industry_organization")
        )
}

/// Judges a dossier as of `today`.
pub fn evaluate(book: &RuleBook, dossier: &Dossier, settings: &DevSettings, today: Date) -> Evaluation {
    // The events in force, in date order (stable: same-day events keep their order). Most
    // dossiers have no corrections and fit on the stack, which spares an allocation.
    let mut heap;
    let mut stack: [&Event; 48];
    let ev: &mut [&Event] = match dossier.events.first() {
        Some(head) if dossier.events.len() <= 48 && dossier.events.iter().all(|e| e.corrects.is_none()) => {
            stack = [head; 48];
            for (slot, e) in stack.iter_mut().zip(&dossier.events) {
                *slot = e;
            }
            &mut stack[..dossier.events.len()]
        }
        _ => {
            heap = dossier.effective();
            &mut heap
        }
    };
    // Insertion sort: stable, and linear for the nearly sorted lists dossiers are.
    for i in 1..ev.len() {
        let mut j = i;
        while j > 0 && ev[j - 1].on > ev[j].on {
            ev.swap(j - 1, j);
            j -= 1;
        }
    }
    let mut first: [Option<&Event>; 26] = [None; 26];
    let mut done = 0u32;
    let (mut any_return, mut any_transfer, mut any_objection, mut any_notice) = (false, false, false, false);
    for e in ev.iter() {
        match e.kind {
            Kind::Step(n) => {
                first[usize::from(n)].get_or_insert(e);
                done |= 1 << n;
            }
            Kind::FilingReturn => any_return = true,
            Kind::Transfer => any_transfer = true,
            Kind::Objection => any_objection = true,
            Kind::PublicNotice => any_notice = true,
            _ => {}
        }
    }
    let ev = &*ev;
    let at = |n: u8| first[usize::from(n)];
    let mut w = Walk { book, settings, findings: Vec::new(), deadlines: Vec::new(), today };
    let returned = |filing: u32| {
        any_return
            && ev.iter().any(|e| e.kind == Kind::FilingReturn && e.int(Key::Filing) == i64::from(filing))
    };
    let filed = |n: u8| done & (1 << n) != 0 && ev.iter().any(|e| e.is_step(n) && !returned(e.seq));

    // Stage 1: application and talk.
    let app = at(s::APPLICATION);
    if let (Some(a), Some(birth)) = (app, dossier.birth_date)
        && a.on < plus_months(birth, 18 * 12)
    {
        w.find(&UNDER_AGE, a.on, Some(a.seq));
    }
    if let Some(a) = app {
        let due = plus_months(a.on, 1);
        match at(s::TALK) {
            Some(t) if t.on > due => w.find(&TALK_LATE, t.on, Some(t.seq)),
            Some(_) => {}
            None => {
                w.due(s::TALK, "DEV-003", due);
                if today > due {
                    w.find(&TALK_MISSING, due, None);
                }
            }
        }
    }

    // Stage 2: activist.
    let activist = at(s::ACTIVIST);
    let target = at(s::TARGET);
    if let Some(act) = activist {
        if matches!(act.code(Key::DecidedBy), Some("secretary" | "oral")) {
            w.find(&ACTIVIST_DECIDED, act.on, Some(act.seq));
        }
        if let Some(a) = app
            && settings.min_months_before_activist > 0
            && act.on < plus_months(a.on, i64::from(settings.min_months_before_activist))
        {
            w.find(&ACTIVIST_EARLY, act.on, Some(act.seq));
        }
        // DEV-009: a transfer without complete materials restarts the cultivation period.
        let restart = ev
            .iter()
            .filter(|_| any_transfer)
            .filter(|e| {
                e.kind == Kind::Transfer
                    && !e.flag(Key::MaterialsComplete)
                    && e.on >= act.on
                    && target.is_none_or(|t| e.on <= t.on)
            })
            .map(|e| e.on)
            .max();
        let start = restart.map_or(act.on, |r| r.max(act.on));
        // DEV-007: an assessment at least every half year until the target decision.
        let end = target.map(|t| t.on);
        let mut last = start;
        let mut gap = false;
        let points = ev.iter().filter(|e| e.is_step(s::CULTIVATION));
        for p in points.filter(|p| p.on >= start && end.is_none_or(|t| p.on <= t)) {
            if p.on > plus_months(last, 6) && !gap {
                w.find(&ASSESSMENT_GAP, p.on, Some(p.seq));
                gap = true;
            }
            last = last.max(p.on);
        }
        let next_due = plus_months(last, 6);
        match end {
            Some(t) if t > next_due && !gap => w.find(&ASSESSMENT_GAP, t, target.map(|x| x.seq)),
            Some(_) => {}
            None => {
                w.due(s::CULTIVATION, "DEV-007", next_due);
                if today > next_due && !gap {
                    w.find(&ASSESSMENT_GAP, next_due, None);
                }
                let ready =
                    crate::development::periods::complete_after_months(start, 12, settings.anniversary);
                w.deadlines.push(Deadline {
                    step: s::TARGET,
                    rule: "DEV-010",
                    due: ready,
                    kind: DeadlineKind::NotBefore,
                    overdue: false,
                });
            }
        }
        if let Some(t) = target {
            if !activist_year_complete(start, t.on, settings.anniversary) {
                w.find(&ACTIVIST_YEAR, t.on, Some(t.seq));
            }
            if !filed(s::ACTIVIST_FILED) {
                w.find(&ACTIVIST_NOT_FILED, t.on, Some(t.seq));
            }
            if at(s::CONTACTS).is_none() {
                w.find(&CONTACTS_MISSING, t.on, Some(t.seq));
            }
        }
    }
    if let Some(c) = at(s::CONTACTS) {
        let bad = |k| c.get(k).is_some() && c.code(k) != Some("full");
        if bad(Key::Contact1Status) || bad(Key::Contact2Status) {
            w.find(&CONTACT_NOT_FULL, c.on, Some(c.seq));
        }
    }

    // Stage 3: development target.
    if let Some(t) = target {
        let heard = t.date(Key::OpinionsHeardOn);
        if heard.is_none_or(|h| h > t.on || activist.is_some_and(|a| h < a.on)) {
            w.find(&OPINIONS, t.on, Some(t.seq));
        }
        if matches!(t.code(Key::DecidedBy), Some("secretary" | "oral")) {
            w.find(&ACTIVIST_DECIDED, t.on, Some(t.seq));
        }
    }
    let review = at(s::COMMITTEE_REVIEW);
    let meeting = at(s::ADMISSION_MEETING);
    if let Some(r) = review
        && target.is_some()
        && !filed(s::TARGET_FILED)
    {
        w.find(&TARGET_NOT_FILED, r.on, Some(r.seq));
    }
    let intro = at(s::INTRODUCERS);
    if let Some(i) = intro {
        let two = i.id(Key::Introducer2).is_some() && i.id(Key::Introducer1) != i.id(Key::Introducer2);
        if !two {
            w.find(&INTRODUCERS_COUNT, i.on, Some(i.seq));
        }
        let bad = |k| i.get(k).is_some() && i.code(k) != Some("full");
        if bad(Key::Introducer1Status) || bad(Key::Introducer2Status) {
            w.find(&INTRODUCER_NOT_FULL, i.on, Some(i.seq));
        }
    } else if let Some(gate) = review.or(meeting) {
        w.find(&INTRODUCERS_COUNT, gate.on, Some(gate.seq));
    }
    let politics = at(s::POLITICAL_REVIEW);
    if let Some(gate) = review.or(meeting) {
        match politics {
            None => w.find(&REVIEW_MISSING, gate.on, Some(gate.seq)),
            Some(p) => {
                if p.code(Key::Conclusion) != Some("pass") {
                    w.find(&REVIEW_FAILED, p.on, Some(p.seq));
                }
                if p.on > gate.on {
                    w.find(&REVIEW_LATE, p.on, Some(p.seq));
                }
            }
        }
    }
    if let Some(p) = politics
        && dossier.mobile
        && !(p.flag(Key::HukouOpinion) && p.flag(Key::ResidenceOpinion))
    {
        w.find(&MOBILE_OPINIONS, p.on, Some(p.seq));
    }
    let training = at(s::TRAINING);
    if let Some(tr) = training {
        let days = tr.int(Key::Days);
        let hours = tr.int(Key::Hours);
        if days < i64::from(settings.training_min_days) && hours < i64::from(settings.training_min_hours) {
            w.find(&TRAINING_SHORT, tr.on, Some(tr.seq));
        }
        if let (Some(started), Some(t)) = (tr.date(Key::StartedOn), target)
            && started < t.on
        {
            w.find(&TRAINING_EARLY, tr.on, Some(tr.seq));
        }
    }

    // Stage 4: admission.
    if let Some(r) = review
        && let Some(p) = at(s::PRELIMINARY_REVIEW)
        && r.code(Key::ReviewResult) != Some("pass")
    {
        w.find(&COMMITTEE_REVIEW_FAILED, p.on, Some(p.seq));
    }
    let prereview = at(s::PRELIMINARY_REVIEW);
    let prereview_passed = prereview.filter(|p| p.code(Key::ReviewResult) == Some("pass"));
    if let Some(f) = at(s::APPLICATION_FORM) {
        match prereview_passed {
            None => w.find(&PREREVIEW_MISSING, f.on, Some(f.seq)),
            Some(p) if f.on < p.on => w.find(&FORM_BEFORE_PREREVIEW, f.on, Some(f.seq)),
            Some(_) => {}
        }
        if !f.flag(Key::IntroducerOpinions) {
            w.find(&INTRODUCER_OPINIONS, f.on, Some(f.seq));
        }
    }
    let approval = at(s::APPROVAL);
    let mut admitted = false;
    if let Some(m) = meeting {
        if prereview_passed.is_none() {
            w.find(&MEETING_NOT_PREREVIEWED, m.on, Some(m.seq));
        }
        match training {
            Some(tr) if !tr.flag(Key::Passed) => w.find(&TRAINING_MISSING, m.on, Some(m.seq)),
            Some(tr) if tr.on > m.on => w.find(&TRAINING_LATE, tr.on, Some(tr.seq)),
            Some(_) => {}
            None => w.find(&TRAINING_MISSING, m.on, Some(m.seq)),
        }
        if let Some(p) = politics
            && settings.political_review_valid_months > 0
            && m.on > plus_months(p.on, i64::from(settings.political_review_valid_months))
        {
            w.find(&REVIEW_STALE, m.on, Some(m.seq));
        }
        if let Some(leaving) = review.and_then(|r| r.date(Key::ExpectedDeparture))
            && leaving >= m.on
            && leaving < plus_months(m.on, 3)
        {
            w.find(&LEAVING_SOON, m.on, Some(m.seq));
        }
        if let Some(p) = prereview_passed
            && settings.meeting_after_prereview_months > 0
            && m.on > plus_months(p.on, i64::from(settings.meeting_after_prereview_months))
        {
            w.find(&MEETING_SLOW, m.on, Some(m.seq));
        }
        check_vote(&mut w, m);
        let soft = plus_months(m.on, 3);
        let hard = plus_months(m.on, 6);
        match approval {
            Some(a) => {
                if a.on > hard {
                    w.find(&APPROVAL_LATE, a.on, Some(a.seq));
                } else if a.on > soft {
                    w.find(&APPROVAL_SLOW, a.on, Some(a.seq));
                }
                match at(s::HIGHER_TALK) {
                    None => w.find(&HIGHER_TALK_MISSING, a.on, Some(a.seq)),
                    Some(t) if t.on < m.on || t.on > a.on => w.find(&HIGHER_TALK_WINDOW, t.on, Some(t.seq)),
                    Some(_) => {}
                }
                if !approver_ok(a) {
                    w.find(&APPROVER, a.on, Some(a.seq));
                }
                admitted = a.code(Key::Decision) == Some("approved");
            }
            None => {
                w.due(s::APPROVAL, "DEV-033", soft);
                if today > hard {
                    w.find(&APPROVAL_LATE, hard, None);
                } else if today > soft {
                    w.find(&APPROVAL_SLOW, soft, None);
                }
            }
        }
    }

    // Stage 5: probation and conversion.
    let mut state = CaseState::Open;
    if approval.is_some() && !admitted {
        state = CaseState::Rejected;
    }
    let mut pending_meeting = false;
    let mut may_meet_again = false;
    if let (Some(m), Some(a)) = (meeting, approval.filter(|_| admitted)) {
        let oath = at(s::OATH);
        if let Some(o) = oath {
            if o.on < a.on {
                w.find(&OATH_EARLY, o.on, Some(o.seq));
            } else if o.on > plus_months(a.on, 1) {
                w.find(&OATH_LATE, o.on, Some(o.seq));
            }
        }
        let application = at(s::CONVERSION_APPLICATION);
        if let Some(ca) = application
            && !filed(s::APPROVAL_FILED)
        {
            w.find(&APPROVAL_NOT_FILED, ca.on, Some(ca.seq));
        }
        let mut probation_end = plus_months(m.on, 12);
        let postpone: i64 = if any_transfer {
            ev.iter().filter(|e| e.kind == Kind::Transfer).map(|e| e.int(Key::PostponeMonths)).sum()
        } else {
            0
        };
        let meetings = || ev.iter().filter(|e| e.is_step(s::CONVERSION_MEETING));
        let approvals = || ev.iter().filter(|e| e.is_step(s::CONVERSION_APPROVAL));
        let count = meetings().count();
        let mut extensions = 0;
        for (i, cm) in meetings().enumerate() {
            let next_meeting = meetings().nth(i + 1);
            if oath.is_none() && i == 0 {
                w.find(&OATH_MISSING, cm.on, Some(cm.seq));
            }
            match application {
                None if i == 0 => w.find(&CONVERSION_NO_APPLICATION, cm.on, Some(cm.seq)),
                Some(ca) if i == 0 => {
                    let chain = [
                        Some(ca.on),
                        cm.date(Key::GroupOpinionOn),
                        cm.date(Key::PublicOpinionOn),
                        cm.date(Key::CommitteeReviewOn),
                        Some(cm.on),
                    ];
                    if chain.windows(2).any(|p| match (p[0], p[1]) {
                        (Some(x), Some(y)) => y < x,
                        _ => true,
                    }) {
                        w.find(&CONVERSION_ORDER, cm.on, Some(cm.seq));
                    }
                    if settings.conversion_meeting_months > 0
                        && cm.on
                            > plus_months(ca.on, i64::from(settings.conversion_meeting_months) + postpone)
                    {
                        w.find(&CONVERSION_MEETING_SLOW, cm.on, Some(cm.seq));
                    }
                }
                _ => {}
            }
            let passed = check_vote(&mut w, cm);
            let outcome = cm.code(Key::Outcome);
            if outcome == Some("convert") && cm.on < probation_end {
                w.find(&CONVERSION_EARLY, cm.on, Some(cm.seq));
            }
            let decision =
                approvals().find(|ap| ap.on >= cm.on && next_meeting.is_none_or(|nx| ap.on < nx.on));
            if outcome == Some("extend") {
                extensions += 1;
                if extensions > 1 {
                    w.find(&EXTENSIONS, cm.on, Some(cm.seq));
                }
                let months = cm.int(Key::ExtendMonths);
                if !(6..=12).contains(&months) {
                    w.find(&EXTENSION_LENGTH, cm.on, Some(cm.seq));
                }
                if decision.is_some_and(|d| d.code(Key::Decision) == Some("approved")) {
                    probation_end = plus_months(probation_end, months);
                }
            }
            match decision {
                Some(d) => {
                    if d.on > plus_months(cm.on, 3) {
                        w.find(&CONVERSION_APPROVAL_LATE, d.on, Some(d.seq));
                    }
                    if !approver_ok(d) {
                        w.find(&APPROVER, d.on, Some(d.seq));
                    }
                    let approved = d.code(Key::Decision) == Some("approved");
                    match outcome {
                        Some("convert") if approved && passed => {
                            if d.date(Key::ConvertedOn) != Some(probation_end) {
                                w.find(&CONVERTED_ON, d.on, Some(d.seq));
                            }
                            state = CaseState::Converted;
                        }
                        Some("cancel") if approved => state = CaseState::Cancelled,
                        _ => may_meet_again = i + 1 == count,
                    }
                }
                None if i + 1 == count => {
                    pending_meeting = true;
                    let due = plus_months(cm.on, 3);
                    w.due(s::CONVERSION_APPROVAL, "DEV-044", due);
                    if today > due {
                        w.find(&CONVERSION_APPROVAL_LATE, due, None);
                    }
                }
                None => {}
            }
        }
        if count == 0 {
            w.due(s::CONVERSION_MEETING, "DEV-040", plus_months(probation_end, postpone));
            w.deadlines.push(Deadline {
                step: s::CONVERSION_MEETING,
                rule: "DEV-040",
                due: probation_end,
                kind: DeadlineKind::NotBefore,
                overdue: false,
            });
        }
    }
    if let Some(ar) = at(s::ARCHIVING) {
        let all = [
            Key::HasApplicationLetter,
            Key::HasApplicationForm,
            Key::HasPoliticalReview,
            Key::HasConversionApplication,
            Key::HasCultivationRecords,
        ];
        if !all.iter().all(|k| ar.flag(*k)) {
            w.find(&ARCHIVE_INCOMPLETE, ar.on, Some(ar.seq));
        }
        state = CaseState::Archived;
    }

    // 公示 (DEV-050): before each configured step, a notice of the required length that
    // ended before it, and no objection left open.
    let points = settings.notice_points;
    for (point, n, wanted) in [
        ("activist", s::ACTIVIST, points.activist),
        ("target", s::TARGET, points.target),
        ("admission", s::ADMISSION_MEETING, points.admission),
        ("conversion", s::CONVERSION_MEETING, points.conversion),
    ] {
        // Nothing to check: no notice at all, and the step is not reached or needs none.
        if !any_notice && at(n).is_none_or(|_| !wanted && point != "target") {
            continue;
        }
        let notices = || {
            ev.iter().filter(move |e| {
                any_notice && e.kind == Kind::PublicNotice && e.code(Key::Point) == Some(point)
            })
        };
        for nt in notices() {
            if let Some(end) = nt.date(Key::EndsOn)
                && end >= today
                && at(n).is_none()
            {
                w.deadlines.push(Deadline {
                    step: n,
                    rule: "DEV-050",
                    due: end,
                    kind: DeadlineKind::NoticeEnds,
                    overdue: false,
                });
            }
        }
        let Some(gate) = at(n) else { continue };
        let good = notices().any(|nt| {
            nt.on <= gate.on
                && nt.date(Key::EndsOn).is_some_and(|end| end < gate.on)
                && nt.int(Key::WorkingDays) >= i64::from(settings.notice_working_days)
        });
        if wanted && !good {
            w.find(&NOTICE_MISSING, gate.on, Some(gate.seq));
        } else if !wanted
            && point == "target"
            && !notices()
                .any(|nt| nt.int(Key::WorkingDays) >= 5 && nt.date(Key::EndsOn).is_some_and(|e| e < gate.on))
        {
            w.find(&NOTICE_2026, gate.on, Some(gate.seq));
        }
        let open = any_objection
            && ev.iter().any(|o| {
                o.kind == Kind::Objection
                    && o.on <= gate.on
                    && notices().any(|nt| i64::from(nt.seq) == o.int(Key::Notice))
                    && !ev.iter().any(|r| {
                        r.kind == Kind::ObjectionResolved
                            && r.int(Key::Objection) == i64::from(o.seq)
                            && r.on <= gate.on
                    })
            });
        if open {
            w.find(&OBJECTION_OPEN, gate.on, Some(gate.seq));
        }
    }

    // AUD-26: the order of the steps.
    for (a, b) in ORDER_PAIRS {
        if let (Some(x), Some(y)) = (at(a), at(b))
            && y.on < x.on
        {
            w.find(&ORDER, y.on, Some(y.seq));
        }
    }

    // What may come next.
    let mut next = 0u32;
    if state == CaseState::Open {
        for n in 1..=24u8 {
            let needs = PREREQUISITES[usize::from(n)];
            let repeat = REPEATABLE & (1 << n) != 0;
            if done & needs != needs || (done & (1 << n) != 0 && !repeat) {
                continue;
            }
            let ok = match n {
                s::CULTIVATION => target.is_none(),
                s::APPLICATION_FORM => prereview_passed.is_some(),
                18..=22 => admitted,
                s::CONVERSION_MEETING => admitted && (done & (1 << n) == 0 || may_meet_again),
                s::CONVERSION_APPROVAL => pending_meeting,
                _ => true,
            };
            if ok {
                next |= 1 << n;
            }
        }
    } else if state == CaseState::Converted || state == CaseState::Cancelled {
        next |= 1 << s::ARCHIVING;
    }
    let highest = (1..=25u8).rev().find(|n| done & (1 << n) != 0).unwrap_or(1);
    let stage = Kind::Step(highest).step().map_or(Stage::Application, |st| st.stage);
    Evaluation { stage, state, done, next, deadlines: w.deadlines, findings: w.findings }
}

/// The form field a finding is best shown beside.
pub fn field_of(check: &Check) -> &'static str {
    match check.code {
        "quorum" => "present",
        "majority" => "for",
        "ballot" => "method",
        "one_at_a_time" => "candidates",
        "approver" => "approver",
        "introducer_not_full" => "introducer1",
        "introducers_count" => "introducer2",
        "contact_not_full" | "contacts_missing" => "contact1",
        "training_short" => "days",
        "training_early" => "started_on",
        "review_failed" => "conclusion",
        "mobile_opinions" => "residence_opinion",
        "extension_length" | "extensions" => "extend_months",
        "converted_on" => "converted_on",
        "opinions" => "opinions_heard_on",
        "activist_decided" => "decided_by",
        "conversion_order" => "group_opinion_on",
        "introducer_opinions" => "introducer_opinions",
        "archive_incomplete" => "has_political_review",
        _ => "on",
    }
}

/// The political status and dates a dossier has reached (the people record follows it).
pub fn status_reached(dossier: &Dossier) -> (crate::people::Status, crate::people::StatusDates) {
    use crate::people::{Status, StatusDates};
    let ev = dossier.effective();
    let first = |n: u8| ev.iter().filter(|e| e.is_step(n)).map(|e| e.on).min();
    let approved = ev.iter().any(|e| e.is_step(s::APPROVAL) && e.code(Key::Decision) == Some("approved"));
    let converted = ev
        .iter()
        .filter(|e| e.is_step(s::CONVERSION_APPROVAL) && e.code(Key::Decision) == Some("approved"))
        .find_map(|e| e.date(Key::ConvertedOn));
    let dates = StatusDates {
        applied_on: first(s::APPLICATION),
        activist_on: first(s::ACTIVIST),
        target_on: first(s::TARGET),
        admitted_on: if approved { first(s::ADMISSION_MEETING) } else { None },
        full_member_on: converted,
    };
    let status = if dates.full_member_on.is_some() {
        Status::FullMember
    } else if dates.admitted_on.is_some() {
        Status::ProbationaryMember
    } else if dates.target_on.is_some() {
        Status::DevelopmentTarget
    } else if dates.activist_on.is_some() {
        Status::Activist
    } else if dates.applied_on.is_some() {
        Status::Applicant
    } else {
        Status::NonMember
    };
    (status, dates)
}

/// Why a new event is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// Dated after today.
    InFuture,
    /// The step is not open yet (a prerequisite is missing) or already done.
    NotNext {
        /// The steps open now.
        open: u32,
    },
    /// The record it refers to (notice, objection, filing) does not exist or is settled.
    NoSuchRecord,
    /// It would break these hard rules.
    Breaks(Vec<Finding>),
}

/// Checks a new event against the dossier: refused if it is dated in the future, is not a
/// step open now, or raises a finding of a hard rule that was not there before. In backfill
/// mode only the date is checked: the event is recorded, flagged, with its findings.
pub fn guard(
    book: &RuleBook,
    dossier: &Dossier,
    event: &Event,
    settings: &DevSettings,
    today: Date,
) -> Result<Evaluation, Refusal> {
    if event.on > today {
        return Err(Refusal::InFuture);
    }
    let before = evaluate(book, dossier, settings, today);
    let eff = dossier.effective();
    let exists = |kind: Kind, seq: i64| eff.iter().any(|e| e.kind == kind && i64::from(e.seq) == seq);
    let corrects_ok = event.corrects.is_none_or(|c| eff.iter().any(|e| e.seq == c && e.kind == event.kind));
    if !corrects_ok {
        return Err(Refusal::NoSuchRecord);
    }
    if !event.backfill && event.corrects.is_none() {
        match event.kind {
            Kind::Step(n) if !before.allows(n) => return Err(Refusal::NotNext { open: before.next }),
            Kind::Objection if !exists(Kind::PublicNotice, event.int(Key::Notice)) => {
                return Err(Refusal::NoSuchRecord);
            }
            Kind::ObjectionResolved => {
                let o = event.int(Key::Objection);
                let settled =
                    eff.iter().any(|e| e.kind == Kind::ObjectionResolved && e.int(Key::Objection) == o);
                if !exists(Kind::Objection, o) || settled {
                    return Err(Refusal::NoSuchRecord);
                }
            }
            Kind::FilingAck | Kind::FilingReturn => {
                let f = event.int(Key::Filing);
                let is_filing = eff.iter().any(|e| {
                    i64::from(e.seq) == f
                        && matches!(
                            e.kind,
                            Kind::Step(s::ACTIVIST_FILED | s::TARGET_FILED | s::APPROVAL_FILED)
                        )
                });
                let settled = eff.iter().any(|e| {
                    matches!(e.kind, Kind::FilingAck | Kind::FilingReturn) && e.int(Key::Filing) == f
                });
                if !is_filing || settled {
                    return Err(Refusal::NoSuchRecord);
                }
            }
            _ => {}
        }
    }
    let mut with = dossier.clone();
    with.events.push(event.clone());
    let after = evaluate(book, &with, settings, today);
    if event.backfill {
        return Ok(after);
    }
    let new: Vec<Finding> = after
        .findings
        .iter()
        .filter(|f| f.check.hard && f.check.severity == Severity::Violation)
        .filter(|f| !before.findings.iter().any(|b| b.check.code == f.check.code && b.event == f.event))
        .copied()
        .collect();
    if new.is_empty() { Ok(after) } else { Err(Refusal::Breaks(new)) }
}

#[cfg(test)]
mod tests;
