//! The member-development procedure as data: 5 stages and 25 steps (RULES.md §2.1, the
//! 2014 practice numbering), each with the rule ids that constrain it. The rule engine of
//! issue 4 walks a dossier against this table.

use serde::Serialize;

/// A stage of the procedure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// 一、申请入党.
    Application,
    /// 二、入党积极分子的确定和培养教育.
    Activist,
    /// 三、发展对象的确定和考察.
    DevelopmentTarget,
    /// 四、预备党员的接收.
    Admission,
    /// 五、预备党员的教育考察和转正.
    Probation,
}

impl Stage {
    /// The Chinese name.
    pub fn zh(self) -> &'static str {
        match self {
            Stage::Application => "申请入党",
            Stage::Activist => "入党积极分子的确定和培养教育",
            Stage::DevelopmentTarget => "发展对象的确定和考察",
            Stage::Admission => "预备党员的接收",
            Stage::Probation => "预备党员的教育考察和转正",
        }
    }

    /// The English name.
    pub fn en(self) -> &'static str {
        match self {
            Stage::Application => "Application",
            Stage::Activist => "Activists: selection and cultivation",
            Stage::DevelopmentTarget => "Development targets: selection and examination",
            Stage::Admission => "Admission of probationary members",
            Stage::Probation => "Probation and conversion",
        }
    }
}

/// One step of the procedure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Step {
    /// 1–25.
    pub number: u8,
    /// Code name (used in events, URLs and JSON).
    pub code: &'static str,
    /// Stage.
    pub stage: Stage,
    /// The Chinese name.
    pub zh: &'static str,
    /// The English name.
    pub en: &'static str,
    /// Rule ids of RULES.md that constrain it.
    pub rules: &'static [&'static str],
}

const fn step(
    number: u8,
    code: &'static str,
    stage: Stage,
    zh: &'static str,
    en: &'static str,
    rules: &'static [&'static str],
) -> Step {
    Step { number, code, stage, zh, en, rules }
}

use Stage::{Activist, Admission, Application, DevelopmentTarget, Probation};

/// The 25 steps, in order.
#[rustfmt::skip]
pub const STEPS: [Step; 25] = [
    step(1, "application_letter", Application, "递交入党申请书", "Application letter handed in", &["DEV-001", "DEV-002"]),
    step(2, "talk", Application, "党组织派人谈话", "Talk with a person the organisation sends", &["DEV-003"]),
    step(3, "activist_chosen", Activist, "推荐和确定入党积极分子", "Recommended and made an activist", &["DEV-004"]),
    step(4, "activist_filed", Activist, "上级党委备案", "Activist filed with the higher committee", &["DEV-005"]),
    step(5, "cultivation_contacts", Activist, "指定培养联系人", "Cultivation contacts assigned", &["DEV-006"]),
    step(6, "cultivation", Activist, "培养教育考察", "Cultivation and assessment", &["DEV-007", "DEV-008"]),
    step(7, "target_chosen", DevelopmentTarget, "确定发展对象", "Made a development target", &["DEV-010", "DEV-011"]),
    step(8, "target_filed", DevelopmentTarget, "报上级党委备案", "Target filed with the higher committee", &["DEV-012"]),
    step(9, "introducers", DevelopmentTarget, "确定入党介绍人", "Introducers named", &["DEV-013", "DEV-014", "DEV-015"]),
    step(10, "political_review", DevelopmentTarget, "进行政治审查", "Political review", &["DEV-016", "DEV-017", "DEV-018", "DEV-019"]),
    step(11, "training", DevelopmentTarget, "开展集中培训", "Concentrated training", &["DEV-020"]),
    step(12, "committee_review", Admission, "支部委员会审查", "Branch committee review", &["DEV-021"]),
    step(13, "preliminary_review", Admission, "上级党委预审", "Preliminary review by the higher committee", &["DEV-022", "DEV-023"]),
    step(14, "application_form", Admission, "填写入党志愿书", "Application form filled in", &["DEV-024"]),
    step(15, "admission_meeting", Admission, "支部大会讨论", "Branch general meeting votes on admission", &["DEV-025", "DEV-026", "DEV-027", "DEV-028", "DEV-029", "DEV-030"]),
    step(16, "higher_talk", Admission, "上级党委派人谈话", "Talk by the higher committee", &["DEV-031"]),
    step(17, "approval", Admission, "上级党委审批", "Approval by the higher committee", &["DEV-032", "DEV-033", "DEV-034", "DEV-035"]),
    step(18, "approval_filed", Admission, "再上一级党委组织部门备案", "Filed with the organisation department above", &["DEV-036"]),
    step(19, "placement", Probation, "编入党支部和党小组", "Placed in a branch and party group", &["DEV-037"]),
    step(20, "oath", Probation, "入党宣誓", "Oath", &["DEV-038"]),
    step(21, "probation_assessment", Probation, "继续教育考察", "Probation assessments", &["DEV-039"]),
    step(22, "conversion_application", Probation, "提出转正申请", "Conversion application", &["DEV-040"]),
    step(23, "conversion_meeting", Probation, "支部大会讨论", "Branch general meeting votes on conversion", &["DEV-041", "DEV-042", "DEV-043"]),
    step(24, "conversion_approval", Probation, "上级党委审批", "Conversion approved by the higher committee", &["DEV-044", "DEV-045"]),
    step(25, "archiving", Probation, "材料归档", "Dossier archived", &["DEV-046"]),
];

/// A step by its code.
pub fn step_by_code(code: &str) -> Option<&'static Step> {
    STEPS.iter().find(|s| s.code == code)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn twenty_five_steps_in_five_ordered_stages() {
        for (i, s) in STEPS.iter().enumerate() {
            assert_eq!(usize::from(s.number), i + 1);
            assert!(!s.rules.is_empty(), "step {} names its rules", s.number);
        }
        assert!(STEPS.windows(2).all(|w| w[0].stage <= w[1].stage), "stages never go back");
        let per_stage: Vec<usize> = [Application, Activist, DevelopmentTarget, Admission, Probation]
            .iter()
            .map(|st| STEPS.iter().filter(|s| s.stage == *st).count())
            .collect();
        assert_eq!(per_stage, vec![2, 4, 5, 7, 7]);
        let codes: HashSet<_> = STEPS.iter().map(|s| s.code).collect();
        assert_eq!(codes.len(), 25);
        assert_eq!(step_by_code("admission_meeting").map(|s| s.number), Some(15));
    }

    #[test]
    fn the_rule_ids_follow_the_procedure() {
        let ids: Vec<u32> = STEPS
            .iter()
            .flat_map(|s| s.rules.iter())
            .map(|r| r.trim_start_matches("DEV-").parse().unwrap())
            .collect();
        assert!(ids.windows(2).all(|w| w[0] < w[1]), "{ids:?}");
    }
}
