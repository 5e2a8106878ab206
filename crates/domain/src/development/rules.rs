//! The rules as data (RULES.md §2 and the audit catalogue §8): each rule's id, status
//! (C/T/L/U), text and citation, and the versioned rule sets — the 2014 细则 and its 2026
//! revision — with the date each came into force. The engine judges every dated act by the
//! set in force on that date.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// How certain a rule is (RULES.md §0).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Certainty {
    /// Confirmed: the official text and article number are quoted.
    C,
    /// The text is confirmed, the article number is not.
    T,
    /// Local practice: configurable per organisation.
    L,
    /// Unconfirmed: configurable and shown as such.
    U,
}

/// A rule set: the procedure as in force from a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Version {
    /// Before the 2014 细则 (the 1990 试行): rules new in 2014 do not apply.
    #[serde(rename = "1990")]
    V1990,
    /// 《中国共产党发展党员工作细则》, 中办发〔2014〕33号, from 2014-05-28.
    #[serde(rename = "2014")]
    V2014,
    /// The 2026 revision (its effective date and new items are unconfirmed: settings).
    #[serde(rename = "2026")]
    V2026,
}

/// The day the 2014 细则 was issued.
pub const RULES_2014_FROM: Date = Date::constant(2014, 5, 28);
/// The reported issue date of the 2026 revision (RULES.md §1, **U**): the default of the
/// per-organisation setting.
pub const RULES_2026_FROM: Date = Date::constant(2026, 5, 11);

impl Version {
    /// The code (`2014`).
    pub fn code(self) -> &'static str {
        match self {
            Version::V1990 => "1990",
            Version::V2014 => "2014",
            Version::V2026 => "2026",
        }
    }

    /// The set in force on `day`, given when the 2026 revision took effect.
    pub fn on(day: Date, revision_2026_from: Date) -> Version {
        if day >= revision_2026_from {
            Version::V2026
        } else if day >= RULES_2014_FROM {
            Version::V2014
        } else {
            Version::V1990
        }
    }

    /// The Chinese title.
    pub fn zh(self) -> &'static str {
        match self {
            Version::V1990 => "1990年《发展党员工作细则（试行）》（2014年新增规则不适用）",
            Version::V2014 => "2014年《中国共产党发展党员工作细则》",
            Version::V2026 => "2026年新修订《中国共产党发展党员工作细则》（新增条款待核实）",
        }
    }

    /// The English title.
    pub fn en(self) -> &'static str {
        match self {
            Version::V1990 => "1990 provisional rules (rules new in 2014 not applied)",
            Version::V2014 => "2014 Detailed Rules on Recruiting Party Members",
            Version::V2026 => "2026 revision of the Detailed Rules (new items unconfirmed)",
        }
    }
}

/// One rule of RULES.md.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    /// `DEV-010`.
    pub id: &'static str,
    /// Status in the 2014 set.
    pub status: Certainty,
    /// New in 2014: not applied to acts before the 2014 细则.
    pub new_in_2014: bool,
    /// What the rule says, in Chinese.
    pub zh: &'static str,
    /// What the rule says, in English.
    pub en: &'static str,
    /// Where it comes from.
    pub citation: &'static str,
}

impl Rule {
    /// Whether the rule applies to an act judged by `version`.
    pub fn applies(&self, version: Version) -> bool {
        version != Version::V1990 || !self.new_in_2014
    }
}

const fn rule(
    id: &'static str,
    status: Certainty,
    zh: &'static str,
    en: &'static str,
    citation: &'static str,
) -> Rule {
    Rule { id, status, new_in_2014: false, zh, en, citation }
}

const fn new_2014(r: Rule) -> Rule {
    Rule { new_in_2014: true, ..r }
}

use Certainty::{C, L, T};

/// Every rule the engine checks, by id.
#[rustfmt::skip]
pub const RULES: &[Rule] = &[
    rule("DEV-001", C, "入党申请人须年满十八岁", "An applicant must be at least 18 full years old", "《细则》第五条；党章第一条"),
    new_2014(rule("DEV-003", C, "党组织收到入党申请书后，应当在一个月内派人同入党申请人谈话", "The organisation sends someone to talk with the applicant within one month of receiving the letter", "《细则》第七条")),
    rule("DEV-004", C, "采取党员推荐、群团组织推优等方式产生人选，由支部委员会（不设支委会的由支部大会）研究决定", "Activists are put forward by member recommendation or mass-organisation 推优 and decided by the branch committee (or the branch general meeting)", "《细则》第八条"),
    rule("DEV-004a", L, "申请入党至确定为入党积极分子的最短间隔（地方规定）", "Minimum months from application to activist (local rule)", "地方实施办法（3个月或6个月）"),
    rule("DEV-005", C, "入党积极分子报上级党委备案", "The activist list is filed with the higher committee", "《细则》第八条"),
    rule("DEV-006", T, "指定一至两名正式党员作培养联系人", "One or two full members are assigned as cultivation contacts", "《细则》第九条（条号待核实）"),
    rule("DEV-007", C, "党支部每半年对入党积极分子进行一次考察", "The branch assesses each activist every half year", "《细则》第十一条"),
    rule("DEV-009", T, "工作、学习单位变动的，原党组织及时转交培养教育材料，接收党组织审查后继续培养", "On a change of unit the old organisation hands over the cultivation materials and the new one continues", "《细则》第十二条"),
    rule("DEV-010", C, "经过一年以上培养教育和考察、基本具备党员条件的入党积极分子，方可列为发展对象", "Only an activist cultivated and assessed for more than a year may become a development target", "《细则》第十三条"),
    rule("DEV-011", T, "确定发展对象前，应听取党小组、培养联系人、党员和群众意见", "Before the decision the opinions of the party group, contacts, members and the public are heard", "《细则》第十三条"),
    new_2014(rule("DEV-012", C, "发展对象报上级党委备案", "The development target is filed with the higher committee", "《细则》第十三条")),
    rule("DEV-013", T, "发展对象应当有两名正式党员作入党介绍人", "A development target has two full members as introducers", "《细则》第十四条"),
    rule("DEV-014", T, "预备党员、受留党察看处分尚未恢复党员权利的党员不能作入党介绍人", "A probationary member or a member under probation within the party cannot be an introducer", "《细则》第十四条；党支部工作手册"),
    rule("DEV-015", T, "入党介绍人应在入党志愿书上填写意见", "The introducers write their opinions in the application form", "旗帜网"),
    rule("DEV-017", T, "对流动人员中的发展对象进行政治审查时，还应征求其户籍所在地和居住地基层党组织的意见", "For a mobile person the political review also asks the organisations of the registered residence and the place of residence", "党支部工作手册173"),
    rule("DEV-018", T, "政治审查应形成结论性材料；未经政治审查或政治审查不合格的，不能发展入党", "The political review ends in a written conclusion; without a passed review no one is admitted", "《细则》第十五、十六条（条号待核实）"),
    rule("DEV-019", L, "除特殊情况外，政治审查结果在一年内有效", "A political review is valid for one year except in special cases", "北京《支部生活》（地方指导）"),
    rule("DEV-020", C, "对发展对象进行短期集中培训，一般不少于三天或二十四个学时；未经培训的不能发展入党", "Development targets attend concentrated training of at least 3 days or 24 class hours before admission", "《细则》第十七条"),
    rule("DEV-021", C, "支部委员会对发展对象严格审查，经集体讨论认为合格后，报基层党委预审", "The branch committee reviews the target and, if it finds them qualified, sends the case for preliminary review", "《细则》第十九条"),
    rule("DEV-022", C, "基层党委预审，审查结果以书面形式通知党支部", "The committee's preliminary review is notified in writing", "《细则》第十九条"),
    rule("DEV-023", C, "发展对象未来三个月内将离开工作、学习单位的，一般不办理接收预备党员的手续", "A target leaving the unit within three months is normally not admitted", "《细则》第十九条"),
    rule("DEV-023a", L, "预审合格后，党支部一般在一个月内提交支部大会讨论", "After a passed preliminary review the branch general meeting is held within one month", "地方实施办法；2026年修订稿据称第十九条（待核实）"),
    rule("DEV-024", C, "向审查合格的发展对象发放《中国共产党入党志愿书》", "The application form is issued only after a passed preliminary review", "《细则》第十九条"),
    rule("DEV-025", C, "经基层党委预审合格的发展对象，由支部委员会提交支部大会讨论", "Only a target who passed the preliminary review goes to the branch general meeting", "《细则》第二十条"),
    rule("DEV-026", C, "有表决权的到会人数必须超过应到会有表决权人数的半数", "Voting members present must be more than half of those expected", "《细则》第二十条"),
    new_2014(rule("DEV-028", C, "采取无记名投票方式进行表决", "The vote is by secret ballot", "《细则》第二十一条")),
    rule("DEV-029", C, "赞成人数超过应到会有表决权的正式党员的半数，才能通过决议；会前书面意见计入票数", "More than half of the expected voting members must vote in favour; written votes handed in before the meeting count", "《细则》第二十一条"),
    rule("DEV-030", C, "讨论两个以上的发展对象入党时，必须逐个讨论和表决", "Several candidates are discussed and voted on one at a time", "《细则》第二十一条"),
    rule("DEV-031", T, "上级党委审批前，指派党委委员或组织员同发展对象谈话", "Before approval a committee member or organiser talks with the target", "《细则》第二十三条（条号待核实）；党章第五条"),
    rule("DEV-033", T, "党委应当在三个月内审批；特殊情况可适当延长，但不得超过六个月", "The committee approves within three months, never beyond six", "《细则》第二十五条（条号待核实）"),
    new_2014(rule("DEV-034", C, "只有具有审批权限的基层党委才能审批预备党员；党总支、临时党组织不能审批", "Only a committee with approval authority may approve; general branches and temporary organisations may not", "共产党员网 2017-07-24")),
    new_2014(rule("DEV-036", C, "审批后报上级党委组织部门备案", "After approval the case is filed with the organisation department above", "《细则》（2014年新增）")),
    rule("DEV-038", C, "预备党员必须面向党旗进行入党宣誓（审批后进行）", "The probationary member takes the oath before the party flag, after approval", "党章第六条"),
    rule("DEV-039a", T, "转入的预备党员可推迟讨论其转正问题，推迟时间不超过六个月", "For a transferred probationary member the conversion may be postponed by at most six months", "旗帜网（据党章、《细则》整理）"),
    rule("DEV-040", C, "预备党员的预备期为一年，从支部大会通过之日算起", "Probation lasts one year from the day the branch general meeting admitted", "《细则》第三十二条"),
    rule("DEV-041", C, "可以延长一次预备期，延长时间不能少于半年，最长不超过一年", "Probation may be extended once, by six to twelve months", "《细则》第三十二条"),
    rule("DEV-042", C, "转正：本人书面申请、党小组意见、征求党员和群众意见、支委会审查、支部大会讨论表决、上级党委审批", "Conversion: written application, group opinion, members' and public opinion, committee review, meeting vote, approval — in that order", "《细则》第三十三条"),
    rule("DEV-043", L, "转正申请后及时召开支部大会讨论（一般一个月内，最长三个月）", "The conversion meeting follows the application promptly (local limit)", "地方规定"),
    rule("DEV-044", T, "党委对预备党员转正的决议，应当在三个月内审批", "The committee approves a conversion within three months", "《细则》第三十四条（条号待核实）"),
    rule("DEV-045", C, "党龄从预备期满转为正式党员之日算起", "Membership counts from the end of probation", "党章第七条"),
    rule("DEV-046", T, "入党志愿书、入党申请书、政治审查材料、转正申请书和培养教育考察材料归档", "The form, letter, political review, conversion application and cultivation records are archived", "《细则》（条号待核实）"),
    rule("DEV-050", L, "确定入党积极分子、发展对象、接收预备党员、预备党员转正前公示（默认不少于五个工作日）；公示期间的异议须处理", "Public notice before the configured steps (default at least 5 working days); objections are resolved first", "地方规定；2026年修订稿据称第十三条（待核实）"),
    rule("AUD-26", C, "各环节须按程序顺序进行，不得时间倒置", "Steps follow the procedure's order; no later step is dated before an earlier one", "《中国共产党发展党员工作细则》（2014）发展党员的五个阶段、二十五个步骤的先后顺序"),
    rule("AUD-27", T, "伪造迹象：休息日召开会议、已报备环节的日期事后更改、不同档案出现相同文字", "Signs of forgery: meetings on rest days, dates of filed steps changed afterwards, identical text in different dossiers", "各地组织部门通报的发展党员违规违纪案例"),
    rule("AUD-28", T, "突击发展迹象：一次会议或短期内集中接收多名预备党员、每个环节都按最短间隔完成", "Signs of a rushed batch: many admissions at one meeting or in a short span, or the minimum interval taken at every step", "《中国共产党发展党员工作细则》第三条（禁止突击发展）"),
];

/// A rule by id.
pub fn rule_by_id(id: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_by_date() {
        assert_eq!(Version::on(Date::constant(2014, 5, 27), RULES_2026_FROM), Version::V1990);
        assert_eq!(Version::on(Date::constant(2014, 5, 28), RULES_2026_FROM), Version::V2014);
        assert_eq!(Version::on(Date::constant(2026, 5, 11), RULES_2026_FROM), Version::V2026);
    }

    #[test]
    fn rules_new_in_2014_skip_older_acts() {
        let talk = rule_by_id("DEV-003").unwrap();
        assert!(!talk.applies(Version::V1990));
        assert!(talk.applies(Version::V2014));
        assert!(rule_by_id("DEV-010").unwrap().applies(Version::V1990));
        let ids: std::collections::HashSet<_> = RULES.iter().map(|r| r.id).collect();
        assert_eq!(ids.len(), RULES.len());
    }

    /// Every rule cites its source document, never our own specification's file (issue 17,
    /// item 11: /rules read "RULES.md §8").
    #[test]
    fn every_citation_names_a_source_not_our_specification() {
        for r in RULES {
            assert!(!r.citation.is_empty(), "{} cites nothing", r.id);
            assert!(
                !r.citation.contains("RULES.md") && !r.citation.contains('§'),
                "{}: {}",
                r.id,
                r.citation
            );
        }
    }
}
