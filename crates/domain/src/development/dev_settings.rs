//! Per-organisation settings of the member-development rules that are local practice (L)
//! or unconfirmed (U) in RULES.md: 公示 length and points, minimum months before activist,
//! political-review validity, meeting windows, training minimums, the 2026 revision's date
//! and whether its unconfirmed items apply.

use crate::development::periods::Anniversary;
use crate::development::rules::RULES_2026_FROM;
use crate::error::{Reason, ValidationErrors};
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// Which steps need a public notice first (DEV-050, L).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoticePoints {
    /// Before 确定入党积极分子.
    pub activist: bool,
    /// Before 确定发展对象.
    pub target: bool,
    /// Before the admission meeting (接收预备党员).
    pub admission: bool,
    /// Before the conversion meeting (预备党员转正).
    pub conversion: bool,
}

/// The settings; [`Default`] is what an organisation gets until it changes them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct DevSettings {
    /// DEV-010 boundary: whether the anniversary day completes "一年以上" (U).
    pub anniversary: Anniversary,
    /// DEV-004a (L): minimum months from application to activist; 0 = no minimum.
    pub min_months_before_activist: u32,
    /// DEV-050 (L): working days a notice runs.
    pub notice_working_days: u32,
    /// DEV-050 (L): where notices are required.
    pub notice_points: NoticePoints,
    /// DEV-019 (L/T): months a political review stays valid; 0 = not checked.
    pub political_review_valid_months: u32,
    /// DEV-023a (L): months from a passed preliminary review to the meeting; 0 = not checked.
    pub meeting_after_prereview_months: u32,
    /// DEV-043 (L): months from the conversion application to the meeting; 0 = not checked.
    pub conversion_meeting_months: u32,
    /// DEV-020 (C, local rules may raise it): training days.
    pub training_min_days: u32,
    /// DEV-020: training class hours (either minimum suffices).
    pub training_min_hours: u32,
    /// The day the 2026 revision took effect (U).
    pub revision_2026_from: Date,
    /// AUD-28 (T): days over the minimum within which every bounded interval of a case counts
    /// as taken at its minimum; 0 = not checked.
    pub rushed_slack_days: u32,
    /// AUD-28 (T): admissions of one branch at one meeting or within [`Self::rushed_span_days`]
    /// that make a batch worth a look, at least this many…
    pub rushed_batch_min: u32,
    /// …and at least this share (per cent) of the branch's members.
    pub rushed_batch_percent: u32,
    /// AUD-28 (T): the span of days admissions are counted in; 0 = one meeting only.
    pub rushed_span_days: u32,
    /// AUD-27 (T): the shortest free text compared across dossiers, in characters; 0 = not
    /// compared.
    pub same_text_min_chars: u32,
    /// Apply the 2026 revision's unconfirmed items (U) to acts from that day.
    pub apply_2026_unconfirmed: bool,
}

impl Default for DevSettings {
    fn default() -> Self {
        Self {
            anniversary: Anniversary::Inclusive,
            min_months_before_activist: 0,
            notice_working_days: 5,
            notice_points: NoticePoints {
                activist: false,
                target: true,
                admission: false,
                conversion: false,
            },
            political_review_valid_months: 12,
            meeting_after_prereview_months: 0,
            conversion_meeting_months: 3,
            training_min_days: 3,
            training_min_hours: 24,
            revision_2026_from: RULES_2026_FROM,
            apply_2026_unconfirmed: false,
            rushed_slack_days: 7,
            rushed_batch_min: 5,
            rushed_batch_percent: 30,
            rushed_span_days: 30,
            same_text_min_chars: 20,
        }
    }
}

impl DevSettings {
    /// Refuses settings that would weaken a confirmed rule or make no sense.
    pub fn check(&self) -> Result<(), ValidationErrors> {
        let mut e = ValidationErrors::default();
        let mut range = |field: &'static str, v: u32, min: i64, max: i64| {
            if !(min..=max).contains(&i64::from(v)) {
                e.push(field, Reason::NumberOutOfRange { min, max });
            }
        };
        range("min_months_before_activist", self.min_months_before_activist, 0, 24);
        range("notice_working_days", self.notice_working_days, 1, 30);
        range("political_review_valid_months", self.political_review_valid_months, 0, 36);
        range("meeting_after_prereview_months", self.meeting_after_prereview_months, 0, 12);
        range("conversion_meeting_months", self.conversion_meeting_months, 0, 12);
        // DEV-020 is confirmed: a local rule may ask for more, never for less.
        range("training_min_days", self.training_min_days, 3, 30);
        range("training_min_hours", self.training_min_hours, 24, 240);
        range("rushed_slack_days", self.rushed_slack_days, 0, 60);
        range("rushed_batch_min", self.rushed_batch_min, 2, 100);
        range("rushed_batch_percent", self.rushed_batch_percent, 1, 100);
        range("rushed_span_days", self.rushed_span_days, 0, 365);
        range("same_text_min_chars", self.same_text_min_chars, 0, 200);
        if self.revision_2026_from < Date::constant(2026, 1, 1) {
            e.push("revision_2026_from", Reason::DateBefore { other: "revision_2026_earliest" });
        }
        e.into_result()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_pass_and_weakening_a_confirmed_rule_does_not() {
        assert!(DevSettings::default().check().is_ok());
        let s = DevSettings { training_min_hours: 16, notice_working_days: 0, ..DevSettings::default() };
        let e = s.check().unwrap_err();
        let fields: Vec<_> = e.0.iter().map(|f| f.field).collect();
        assert_eq!(fields, vec!["notice_working_days", "training_min_hours"]);
    }

    #[test]
    fn settings_read_from_partial_json() {
        let s: DevSettings = serde_json::from_str(r#"{"notice_working_days": 7}"#).unwrap();
        assert_eq!(s.notice_working_days, 7);
        assert_eq!(s.training_min_days, 3);
    }
}
