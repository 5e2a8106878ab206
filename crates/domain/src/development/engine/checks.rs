//! The check table: every check the engine makes ([`CHECKS`]), each with its rule id, audit
//! item, severity and both languages on one line; [`check_by_code`] finds one, [`field_of`]
//! says which form field its finding belongs beside.

use crate::development::rules::{Certainty, RULES, Rule, rule_by_id};
use serde::Serialize;

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
    ACTIVIST_NOT_RECOMMENDED = "activist_not_recommended", "AUD-03", "DEV-004", Violation, true, false, "入党积极分子未经党员推荐或群团组织推优产生", "The activist was not recommended by members or a mass organisation";
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
    EXTENSION_NOT_APPROVED = "extension_not_approved", "AUD-23", "DEV-041", Violation, true, false, "延长预备期的决议未经上级党委审批", "The extension of probation was never approved by the higher committee";
    CONVERSION_NO_APPLICATION = "conversion_no_application", "AUD-24", "DEV-042", Violation, true, false, "讨论转正前没有本人书面转正申请", "No written conversion application before the meeting";
    CONVERSION_ORDER = "conversion_order", "AUD-24", "DEV-042", Violation, true, false, "转正程序顺序不符（申请、党小组意见、征求意见、支委会审查、支部大会）", "The conversion steps are out of order";
    CONVERSION_STEP_MISSING = "conversion_step_missing", "AUD-24", "DEV-042", Violation, true, false, "讨论转正前缺少党小组意见、党员和群众意见或支委会审查", "The group's opinion, the members' and public opinion or the committee review is missing before the conversion meeting";
    CONVERSION_QUORUM = "conversion_quorum", "AUD-24", "DEV-042", Violation, true, false, "转正表决时到会有表决权人数未超过应到会人数的半数", "At the conversion vote not more than half of the expected voting members were present";
    CONVERSION_MAJORITY = "conversion_majority", "AUD-24", "DEV-042", Violation, true, false, "转正表决赞成人数未超过应到会有表决权正式党员的半数", "At the conversion vote not more than half of the expected voting members voted in favour";
    CONVERSION_WITHOUT_MEETING = "conversion_without_meeting", "AUD-24", "DEV-042", Violation, true, false, "未经支部大会讨论表决即批准转正", "Full membership was approved without a conversion meeting and vote";
    CONVERSION_MEETING_SLOW = "conversion_meeting_slow", "", "DEV-043", Warning, false, false, "转正申请后未在规定期限内召开支部大会", "The conversion meeting came later than this organisation allows";
    CONVERSION_APPROVAL_LATE = "conversion_approval_late", "AUD-25", "DEV-044", Violation, false, false, "转正决议超过三个月未审批", "The conversion was not approved within three months";
    ARCHIVE_INCOMPLETE = "archive_incomplete", "AUD-29", "DEV-046", Violation, false, false, "归档材料不全", "The archived dossier is incomplete";
    NOTICE_MISSING = "notice_missing", "AUD-30", "DEV-050", Violation, true, false, "未按本组织规定进行公示或公示期不足", "No public notice of the required length before this step";
    NOTICE_2026 = "notice_2026", "AUD-30", "DEV-050", Violation, true, true, "列为发展对象前未公示五个工作日（2026年修订稿，待核实）", "No five-working-day notice before becoming a development target (2026 revision, unconfirmed)";
    OBJECTION_OPEN = "objection_open", "AUD-30", "DEV-050", Violation, true, false, "公示异议尚未处理即进入下一环节", "Moved on while an objection to the notice was unresolved";
    MIN_INTERVALS = "min_intervals", "AUD-28", "AUD-28", Warning, false, false, "每个环节都按最短间隔完成（突击发展迹象）", "The minimum interval was taken at every step (a sign of a rushed case)";
    RUSHED_BATCH = "rushed_batch", "AUD-28", "AUD-28", Warning, false, false, "同一次会议或短期内集中接收多名预备党员（突击发展迹象）", "Many admissions at one meeting or within a short span for the branch's size (a sign of a rushed batch)";
    REST_DAY_MEETING = "rest_day_meeting", "AUD-27", "AUD-27", Warning, false, false, "会议日期是休息日（按工作日历）", "A meeting is dated on a rest day of the working calendar";
    DATE_CORRECTED = "date_corrected", "AUD-27", "AUD-27", Warning, false, false, "已报上级备案的环节日期事后被更改", "The date of a step already filed with the higher committee was changed afterwards";
    SAME_TEXT = "same_text", "AUD-27", "AUD-27", Warning, false, false, "与其他档案的文字完全相同", "The same text appears word for word in another dossier";
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
        "extension_length" | "extensions" | "extension_not_approved" => "extend_months",
        "converted_on" => "converted_on",
        "opinions" => "opinions_heard_on",
        "activist_decided" => "decided_by",
        "activist_not_recommended" => "route",
        "conversion_order" | "conversion_step_missing" => "group_opinion_on",
        "conversion_quorum" => "present",
        "conversion_majority" => "for",
        "introducer_opinions" => "introducer_opinions",
        "archive_incomplete" => "has_political_review",
        _ => "on",
    }
}
