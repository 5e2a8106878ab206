//! 组织生活 cadence (RULES.md ORG-001…008, FIRST-003): which meetings an organisation must
//! hold in each month, quarter or year, and whether each committee, general and group
//! meeting opened with its 第一议题 item. `calendar` gives, for a span of time, every period
//! of every required kind as held, due (the period is running and none yet) or missing
//! (the period has ended without one). Cadences and the 第一议题 check are settings per
//! organisation (`OrgLifeSettings`); attendance is marked present, absent, on leave or online.

use jiff::ToSpan;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// A kind of meeting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MeetingKind {
    /// 支部党员大会 (ORG-001: quarterly).
    BranchGeneralMeeting,
    /// 支部委员会会议 (ORG-002: monthly).
    CommitteeMeeting,
    /// 党小组会 (ORG-003: monthly).
    GroupMeeting,
    /// 党课 (ORG-005: quarterly by local practice).
    PartyLecture,
    /// 主题党日 (ORG-006: monthly).
    ThemeDay,
    /// 组织生活会 (ORG-007: yearly).
    LifeMeeting,
    /// 民主评议党员 (ORG-008: yearly).
    DemocraticAppraisal,
    /// 党委（理论学习中心组）集中学习.
    ConcentratedStudy,
    /// 与经营管理层联学.
    JointStudy,
    /// 交流会.
    Exchange,
}

impl MeetingKind {
    /// Every kind.
    pub const ALL: [MeetingKind; 10] = [
        MeetingKind::BranchGeneralMeeting,
        MeetingKind::CommitteeMeeting,
        MeetingKind::GroupMeeting,
        MeetingKind::PartyLecture,
        MeetingKind::ThemeDay,
        MeetingKind::LifeMeeting,
        MeetingKind::DemocraticAppraisal,
        MeetingKind::ConcentratedStudy,
        MeetingKind::JointStudy,
        MeetingKind::Exchange,
    ];

    /// The code used in storage, forms and JSON.
    pub fn code(self) -> &'static str {
        match self {
            MeetingKind::BranchGeneralMeeting => "general_meeting",
            MeetingKind::CommitteeMeeting => "committee_meeting",
            MeetingKind::GroupMeeting => "group_meeting",
            MeetingKind::PartyLecture => "party_lecture",
            MeetingKind::ThemeDay => "theme_day",
            MeetingKind::LifeMeeting => "life_meeting",
            MeetingKind::DemocraticAppraisal => "democratic_appraisal",
            MeetingKind::ConcentratedStudy => "concentrated_study",
            MeetingKind::JointStudy => "joint_study",
            MeetingKind::Exchange => "exchange",
        }
    }

    /// Parses a code.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }

    /// The Chinese name.
    pub fn zh(self) -> &'static str {
        match self {
            MeetingKind::BranchGeneralMeeting => "支部党员大会",
            MeetingKind::CommitteeMeeting => "支部委员会会议",
            MeetingKind::GroupMeeting => "党小组会",
            MeetingKind::PartyLecture => "党课",
            MeetingKind::ThemeDay => "主题党日",
            MeetingKind::LifeMeeting => "组织生活会",
            MeetingKind::DemocraticAppraisal => "民主评议党员",
            MeetingKind::ConcentratedStudy => "集中学习",
            MeetingKind::JointStudy => "与经营管理层联学",
            MeetingKind::Exchange => "交流会",
        }
    }

    /// The English name.
    pub fn en(self) -> &'static str {
        match self {
            MeetingKind::BranchGeneralMeeting => "Branch general meeting",
            MeetingKind::CommitteeMeeting => "Branch committee meeting",
            MeetingKind::GroupMeeting => "Party group meeting",
            MeetingKind::PartyLecture => "Party lecture",
            MeetingKind::ThemeDay => "Theme party day",
            MeetingKind::LifeMeeting => "Organisational life meeting",
            MeetingKind::DemocraticAppraisal => "Democratic appraisal",
            MeetingKind::ConcentratedStudy => "Concentrated study",
            MeetingKind::JointStudy => "Joint study with management",
            MeetingKind::Exchange => "Exchange meeting",
        }
    }
}

/// Untrusted meeting fields, as typed in a form.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct MeetingInput {
    /// Kind code.
    #[serde(default)]
    pub kind: String,
    /// Day held (YYYY-MM-DD).
    #[serde(default)]
    pub held_on: String,
    /// Topic.
    #[serde(default)]
    pub topic: String,
    /// The 第一议题 item (what was studied first), if any.
    #[serde(default)]
    pub first_topic: String,
    /// Speaker (a party lecture's lecturer, the leader of the study).
    #[serde(default)]
    pub speaker: String,
    /// Minutes.
    #[serde(default)]
    pub minutes: String,
}

/// Checked meeting fields.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MeetingFields {
    /// Kind.
    pub kind: MeetingKind,
    /// Day held.
    pub held_on: Date,
    /// Topic.
    pub topic: String,
    /// The 第一议题 item.
    pub first_topic: Option<String>,
    /// Speaker.
    pub speaker: Option<String>,
    /// Minutes.
    pub minutes: String,
}

impl MeetingFields {
    /// Checks the input as of `today`; every refusal is reported.
    pub fn parse(i: &MeetingInput, today: Date) -> Result<MeetingFields, crate::ValidationErrors> {
        use crate::{Reason, text};
        let mut e = crate::ValidationErrors::default();
        let kind = MeetingKind::from_code(i.kind.trim());
        if kind.is_none() {
            e.push("kind", Reason::UnknownChoice);
        }
        let held_on = e.take(text::required_date("held_on", &i.held_on));
        if held_on.is_some_and(|d| d > today) {
            e.push("held_on", Reason::DateInFuture);
        }
        let topic = e.take(text::required("topic", &i.topic, 200));
        let first_topic = e.take(text::optional("first_topic", &i.first_topic, 200)).flatten();
        let speaker = e.take(text::optional("speaker", &i.speaker, 50)).flatten();
        let minutes = e.take(text::required("minutes", &i.minutes, 5000));
        e.into_result()?;
        match (kind, held_on, topic, minutes) {
            (Some(kind), Some(held_on), Some(topic), Some(minutes)) => {
                Ok(MeetingFields { kind, held_on, topic, first_topic, speaker, minutes })
            }
            _ => Err(crate::ValidationErrors::default()),
        }
    }
}

/// A cadence period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Period {
    /// A calendar month.
    Month,
    /// A calendar quarter.
    Quarter,
    /// A calendar year.
    Year,
}

impl Period {
    fn months(self) -> i8 {
        match self {
            Period::Month => 1,
            Period::Quarter => 3,
            Period::Year => 12,
        }
    }

    /// The period containing `d`: its first and last day.
    pub fn around(self, d: Date) -> (Date, Date) {
        let m = self.months();
        let first_month = (d.month() - 1) / m * m + 1;
        let start = Date::new(d.year(), first_month, 1).unwrap_or(d);
        let end = start.checked_add(i64::from(m).months()).and_then(|x| x.checked_sub(1.day())).unwrap_or(d);
        (start, end)
    }
}

/// A required cadence: a kind, how often, the rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cadence {
    /// The kind.
    pub kind: MeetingKind,
    /// At least one per this period.
    pub every: Period,
    /// The rule id.
    pub rule: &'static str,
}

/// The cadences of RULES.md §3 (ORG-005 is local practice; all are settings).
pub const DEFAULT_CADENCES: [Cadence; 7] = [
    Cadence { kind: MeetingKind::BranchGeneralMeeting, every: Period::Quarter, rule: "ORG-001" },
    Cadence { kind: MeetingKind::CommitteeMeeting, every: Period::Month, rule: "ORG-002" },
    Cadence { kind: MeetingKind::GroupMeeting, every: Period::Month, rule: "ORG-003" },
    Cadence { kind: MeetingKind::PartyLecture, every: Period::Quarter, rule: "ORG-005" },
    Cadence { kind: MeetingKind::ThemeDay, every: Period::Month, rule: "ORG-006" },
    Cadence { kind: MeetingKind::LifeMeeting, every: Period::Year, rule: "ORG-007" },
    Cadence { kind: MeetingKind::DemocraticAppraisal, every: Period::Year, rule: "ORG-008" },
];

/// A meeting as the cadence sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Meeting {
    /// Kind.
    pub kind: MeetingKind,
    /// Day held.
    pub on: Date,
    /// Opened with a 第一议题 item.
    pub first_topic: bool,
}

/// Where a period stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PeriodState {
    /// At least one held.
    Held,
    /// Running, none yet.
    Due,
    /// Ended without one.
    Missing,
}

/// One period of one cadence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct PeriodLine {
    /// The kind.
    pub kind: MeetingKind,
    /// The rule.
    pub rule: &'static str,
    /// First day.
    pub start: Date,
    /// Last day.
    pub end: Date,
    /// Meetings held in it.
    pub held: usize,
    /// Where it stands on `today`.
    pub state: PeriodState,
}

/// The meetings that must open with 第一议题 when FIRST-003 is on.
pub fn needs_first_topic(kind: MeetingKind) -> bool {
    matches!(
        kind,
        MeetingKind::BranchGeneralMeeting | MeetingKind::CommitteeMeeting | MeetingKind::GroupMeeting
    )
}

/// Every period of every cadence from `from` to `today`, in order.
pub fn calendar(meetings: &[Meeting], cadences: &[Cadence], from: Date, today: Date) -> Vec<PeriodLine> {
    let mut out = Vec::new();
    for c in cadences {
        let (mut start, mut end) = c.every.around(from);
        while start <= today {
            let held = meetings.iter().filter(|m| m.kind == c.kind && m.on >= start && m.on <= end).count();
            let state = if held > 0 {
                PeriodState::Held
            } else if end < today {
                PeriodState::Missing
            } else {
                PeriodState::Due
            };
            out.push(PeriodLine { kind: c.kind, rule: c.rule, start, end, held, state });
            let Ok(next) = end.tomorrow() else { break };
            (start, end) = c.every.around(next);
        }
    }
    out
}

/// The meetings (their indices) that lacked a required 第一议题 item (FIRST-003).
pub fn without_first_topic(meetings: &[Meeting]) -> Vec<usize> {
    meetings
        .iter()
        .enumerate()
        .filter(|(_, m)| needs_first_topic(m.kind) && !m.first_topic)
        .map(|(i, _)| i)
        .collect()
}

/// How a person attended a meeting (mobile members attend online or at another branch).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Attendance {
    /// 出席.
    Present,
    /// 缺席.
    Absent,
    /// 请假.
    Leave,
    /// 线上参加.
    Online,
}

impl Attendance {
    /// Every mark.
    pub const ALL: [Attendance; 4] =
        [Attendance::Present, Attendance::Online, Attendance::Leave, Attendance::Absent];

    /// The stored code.
    pub fn code(self) -> &'static str {
        match self {
            Attendance::Present => "present",
            Attendance::Absent => "absent",
            Attendance::Leave => "leave",
            Attendance::Online => "online",
        }
    }

    /// From a stored code.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.code() == code)
    }

    /// Chinese name.
    pub fn zh(self) -> &'static str {
        match self {
            Attendance::Present => "出席",
            Attendance::Absent => "缺席",
            Attendance::Leave => "请假",
            Attendance::Online => "线上参加",
        }
    }

    /// English name.
    pub fn en(self) -> &'static str {
        match self {
            Attendance::Present => "present",
            Attendance::Absent => "absent",
            Attendance::Leave => "on leave",
            Attendance::Online => "online",
        }
    }

    /// Took part (in the room or online): earns meeting credits.
    pub fn attended(self) -> bool {
        matches!(self, Attendance::Present | Attendance::Online)
    }
}

/// An organisation's organisational-life settings: for each required kind of RULES.md §3 its
/// period (or none: off for this organisation), and whether FIRST-003 (第一议题 first at
/// committee, general and group meetings) is checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrgLifeSettings {
    /// Per required kind: its period, or `None` when switched off.
    pub periods: Vec<(MeetingKind, Option<Period>)>,
    /// FIRST-003 is checked.
    pub first_topic: bool,
}

impl Default for OrgLifeSettings {
    fn default() -> Self {
        Self {
            periods: DEFAULT_CADENCES.iter().map(|c| (c.kind, Some(c.every))).collect(),
            first_topic: true,
        }
    }
}

impl Period {
    /// Every period.
    pub const ALL: [Period; 3] = [Period::Month, Period::Quarter, Period::Year];

    /// The code used in forms.
    pub fn code(self) -> &'static str {
        match self {
            Period::Month => "month",
            Period::Quarter => "quarter",
            Period::Year => "year",
        }
    }

    /// From a form code.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.code() == code)
    }
}

impl OrgLifeSettings {
    /// The cadences in force: each default cadence with this organisation's period, those
    /// switched off left out.
    pub fn cadences(&self) -> Vec<Cadence> {
        DEFAULT_CADENCES
            .iter()
            .filter_map(|c| match self.periods.iter().find(|(k, _)| *k == c.kind) {
                Some((_, Some(every))) => Some(Cadence { every: *every, ..*c }),
                Some((_, None)) => None,
                None => Some(*c),
            })
            .collect()
    }

    /// From a form: `period_<kind code>` = month | quarter | year | off, `first_topic` = on.
    pub fn from_form(form: &[(String, String)]) -> Result<Self, crate::ValidationErrors> {
        let mut e = crate::ValidationErrors::default();
        let mut periods = Vec::new();
        for c in DEFAULT_CADENCES {
            let field = format!("period_{}", c.kind.code());
            let v = form.iter().find(|(k, _)| *k == field).map_or("", |(_, v)| v.as_str());
            match v {
                "off" => periods.push((c.kind, None)),
                _ => match Period::from_code(v) {
                    Some(p) => periods.push((c.kind, Some(p))),
                    None => e.push(period_field(c.kind), crate::Reason::UnknownChoice),
                },
            }
        }
        e.into_result()?;
        let first_topic = form.iter().any(|(k, v)| k == "first_topic" && v == "on");
        Ok(Self { periods, first_topic })
    }
}

/// The form field of a required kind's period.
fn period_field(kind: MeetingKind) -> &'static str {
    match kind {
        MeetingKind::BranchGeneralMeeting => "period_general_meeting",
        MeetingKind::CommitteeMeeting => "period_committee_meeting",
        MeetingKind::GroupMeeting => "period_group_meeting",
        MeetingKind::PartyLecture => "period_party_lecture",
        MeetingKind::ThemeDay => "period_theme_day",
        MeetingKind::LifeMeeting => "period_life_meeting",
        MeetingKind::DemocraticAppraisal => "period_democratic_appraisal",
        _ => "period",
    }
}

/// Meetings counted by kind: `(kind, count)` for each kind with at least one.
pub fn counts_by_kind(meetings: &[Meeting]) -> Vec<(MeetingKind, usize)> {
    MeetingKind::ALL
        .iter()
        .map(|k| (*k, meetings.iter().filter(|m| m.kind == *k).count()))
        .filter(|(_, n)| *n > 0)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i16, m: i8, day: i8) -> Date {
        Date::new(y, m, day).unwrap()
    }

    fn meeting(kind: MeetingKind, on: Date) -> Meeting {
        Meeting { kind, on, first_topic: true }
    }

    #[test]
    fn kinds_round_trip() {
        for k in MeetingKind::ALL {
            assert_eq!(MeetingKind::from_code(k.code()), Some(k));
        }
    }

    #[test]
    fn periods_are_calendar_months_quarters_and_years() {
        assert_eq!(Period::Quarter.around(d(2026, 5, 20)), (d(2026, 4, 1), d(2026, 6, 30)));
        assert_eq!(Period::Month.around(d(2024, 2, 10)), (d(2024, 2, 1), d(2024, 2, 29)));
        assert_eq!(Period::Year.around(d(2026, 11, 29)), (d(2026, 1, 1), d(2026, 12, 31)));
    }

    #[test]
    fn a_quarter_without_a_general_meeting_is_missing() {
        let general =
            [Cadence { kind: MeetingKind::BranchGeneralMeeting, every: Period::Quarter, rule: "ORG-001" }];
        let held = [
            meeting(MeetingKind::BranchGeneralMeeting, d(2026, 2, 10)),
            meeting(MeetingKind::BranchGeneralMeeting, d(2026, 8, 1)),
        ];
        let cal = calendar(&held, &general, d(2026, 1, 1), d(2026, 11, 29));
        let states: Vec<PeriodState> = cal.iter().map(|p| p.state).collect();
        assert_eq!(
            states,
            vec![PeriodState::Held, PeriodState::Missing, PeriodState::Held, PeriodState::Due]
        );
        assert_eq!((cal[1].start, cal[1].end, cal[1].rule), (d(2026, 4, 1), d(2026, 6, 30), "ORG-001"));
    }

    #[test]
    fn a_committee_meeting_without_its_first_topic_is_named() {
        let mut m = vec![
            meeting(MeetingKind::CommitteeMeeting, d(2026, 11, 3)),
            meeting(MeetingKind::ThemeDay, d(2026, 11, 5)),
        ];
        m[1].first_topic = false;
        assert!(without_first_topic(&m).is_empty(), "a theme day needs none");
        m[0].first_topic = false;
        assert_eq!(without_first_topic(&m), vec![0]);
        let monthly = calendar(&m, &DEFAULT_CADENCES, d(2026, 11, 1), d(2026, 11, 29));
        let theme = monthly.iter().find(|p| p.kind == MeetingKind::ThemeDay).unwrap();
        assert_eq!(theme.state, PeriodState::Held);
        let group = monthly.iter().find(|p| p.kind == MeetingKind::GroupMeeting).unwrap();
        assert_eq!(group.state, PeriodState::Due);
    }

    #[test]
    fn settings_change_a_period_switch_one_off_and_the_first_topic_check() {
        assert_eq!(OrgLifeSettings::default().cadences(), DEFAULT_CADENCES.to_vec());
        let mut form: Vec<(String, String)> = DEFAULT_CADENCES
            .iter()
            .map(|c| (format!("period_{}", c.kind.code()), c.every.code().to_owned()))
            .collect();
        form[0].1 = "month".into();
        form[1].1 = "off".into();
        let s = OrgLifeSettings::from_form(&form).unwrap();
        assert!(!s.first_topic);
        let c = s.cadences();
        assert_eq!(c.len(), DEFAULT_CADENCES.len() - 1);
        assert_eq!(
            (c[0].kind, c[0].every, c[0].rule),
            (MeetingKind::BranchGeneralMeeting, Period::Month, "ORG-001")
        );
        assert!(c.iter().all(|x| x.kind != MeetingKind::CommitteeMeeting));
        form[2].1 = "weekly".into();
        let e = OrgLifeSettings::from_form(&form).unwrap_err();
        assert_eq!(e.0[0].field, "period_group_meeting");
    }

    #[test]
    fn attendance_marks_round_trip_and_online_counts_as_attending() {
        for a in Attendance::ALL {
            assert_eq!(Attendance::from_code(a.code()), Some(a));
        }
        assert!(Attendance::Online.attended() && !Attendance::Leave.attended());
    }
}
