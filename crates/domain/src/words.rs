//! Every user-facing word of the domain's refusals, both languages on one line (the way the
//! rule engine's check table holds them): why a field was refused, the ledger's and the
//! store's refusals, and the label of every field a message may name.

use crate::care::ledger::LedgerError;
use crate::development::dossier::Key;
use crate::error::Reason;
use crate::study::quiz::QuizError;

impl Reason {
    /// The message in Simplified Chinese and in English.
    pub fn words(&self) -> (String, String) {
        let w = |zh: &str, en: &str| (zh.to_owned(), en.to_owned());
        match self {
            Reason::Required => w("必填", "is required"),
            Reason::NumberOutOfRange { min, max } => (
                format!("应为 {min} 到 {max} 之间的整数"),
                format!("must be a whole number from {min} to {max}"),
            ),
            Reason::UnknownPerson => w("人员不存在", "no such person"),
            Reason::WiderThanAbove { limit } => (
                format!("不能超过上级党组织的设置（最多 {limit}；0 表示不设上限，上级已设上限时不可用）"),
                format!(
                    "must not exceed what the organisations above allow (at most {limit}; 0, no cap, is not allowed once they set one)"
                ),
            ),
            Reason::OutsideOrganization => w(
                "该人员属于本组织以外的党组织，不能在此导入",
                "belongs to an organisation outside this one and cannot be imported here",
            ),
            Reason::TwoPeopleInOneDossier => w(
                "同一档案编号的记录写了两个不同的身份证号",
                "rows with this dossier number name two different ID numbers",
            ),
            Reason::StandingNotDeclared => w(
                "系统中没有此人员或党组织；部署以外的须在对应的身份或类型列中申报",
                "is not in the deployment; for someone outside it, declare the standing (or the organisation's kind) in its column",
            ),
            Reason::AlreadyExists => w("已经存在，不能重复建立", "already exists"),
            Reason::BadDateTime => {
                w("时间格式应为 年-月-日T时:分", "expected a date and time, YYYY-MM-DDTHH:MM")
            }
            Reason::EndsBeforeStart => w("结束时间须晚于开始时间", "must be later than the start"),
            Reason::MoreThanADay => w("同一天的服务时长不能超过 24 小时", "more than 24 hours in one day"),
            Reason::ShiftFull => w("该班次已满员", "the shift is full"),
            Reason::ShiftOverlaps => w("与您已报名的班次时间重叠", "overlaps a shift you already have"),
            Reason::AlreadyRecorded => w("已经记录过，未重复记录", "already recorded; nothing changed"),
            Reason::NotYetDone => {
                w("尚未完成：全部班次结束后才能确认", "not done yet: confirm once every shift has ended")
            }
            Reason::ChangedMeanwhile => w(
                "记录刚被他人更新，未保存；请刷新后重试",
                "someone else changed it just now; nothing was saved: reload and try again",
            ),
            Reason::Refused { en, zh } => ((*zh).into(), (*en).into()),
            Reason::Broken { en, rule, zh } => (format!("{zh}（{rule}）"), format!("{en} ({rule})")),
            Reason::TooLong { max } => {
                (format!("不能超过 {max} 个字符"), format!("must be at most {max} characters"))
            }
            Reason::UnknownChoice => w("不是可选的值", "is not one of the allowed values"),
            Reason::BadDate => w(
                "日期格式应为 YYYY-MM-DD（如 2024-03-01）",
                "must be a date as YYYY-MM-DD (e.g. 2024-03-01)",
            ),
            Reason::DateInFuture => w("不能晚于今天", "must not be after today"),
            Reason::DateBefore { other } => {
                (format!("不能早于{}", field_zh(other)), format!("must not be before {}", field_en(other)))
            }
            Reason::DateForLaterStatus => w(
                "当前政治面貌尚未到达此阶段，不应填写此日期",
                "belongs to a status the person has not reached",
            ),
            Reason::IdCardFormat => w(
                "身份证号应为18位：17位数字加1位校验码（数字或X）",
                "must be 18 characters: 17 digits and a check character (digit or X)",
            ),
            Reason::IdCardChecksum => {
                w("身份证号校验码错误（GB 11643）", "has a wrong check digit (GB 11643)")
            }
            Reason::IdCardBirthDate => w("身份证号中的出生日期无效", "contains an impossible birth date"),
            Reason::BirthDateMismatch => {
                w("出生日期与身份证号不一致", "disagrees with the birth date in the ID number")
            }
            Reason::GenderMismatch => w("性别与身份证号不一致", "disagrees with the gender in the ID number"),
            Reason::PhoneFormat => w(
                "手机号应为11位中国大陆手机号（1开头）",
                "must be an 11-digit mainland mobile number starting with 1",
            ),
            Reason::UnknownOrganization => w("党组织不存在", "names an organisation that does not exist"),
            Reason::NoSuchDate => w("日期不存在", "the date does not exist"),
            Reason::AmbiguousOrganization { name, candidates } => (
                format!(
                    "有 {} 个党组织名为「{name}」：{}；请写上级名称",
                    candidates.len(),
                    candidates.join("、")
                ),
                format!(
                    "{} organisations are named “{name}”: {}; write the parent's name too",
                    candidates.len(),
                    candidates.join("; ")
                ),
            ),
            Reason::OrganizationClosed => w("党组织已撤销", "names an organisation that is closed"),
            Reason::MoveIntoOwnSubtree => w(
                "不能移到自身或其下级组织之下",
                "cannot be the organisation itself or one of its descendants",
            ),
            Reason::ParentIsBranch => {
                w("党支部之下不能再设党组织", "is a branch, and a branch cannot contain organisations")
            }
            Reason::WorkingCommitteeHasParent => {
                w("工委是顶层组织，不能有上级", "must be empty: a working committee is a top organisation")
            }
            Reason::ParentRequired => {
                w("须选择上级党组织", "is required for every organisation but a working committee")
            }
            Reason::CrossTenantMove => {
                w("不支持跨工委（顶层组织）移动", "must stay under the same top organisation")
            }
            Reason::CrossTenantTransfer => w(
                "不能直接改到其他工委（顶层组织）的党组织：请在本工委办理转出，由对方工委录入",
                "must stay under the same top organisation: transfer the person out here and have the other working committee enter them",
            ),
            Reason::BranchWithChildren => w(
                "该组织下设有党组织，不能改为党支部",
                "cannot become a branch while it contains organisations",
            ),
            Reason::ApprovalAuthorityNotAllowed => w(
                "只有非临时的党委才能具有审批预备党员权限（DEV-034）",
                "only a non-temporary party committee may hold approval authority (DEV-034)",
            ),
            Reason::CloseNotEmpty => w(
                "该组织下仍有未撤销的下级组织或人员，不能撤销",
                "cannot close: open sub-organisations or people remain",
            ),
            Reason::AlreadyClosed => w("该组织已撤销", "is already closed"),
            Reason::HomeOrganizationRequired => w(
                "流动党员须填写组织关系所在党组织",
                "is required for a mobile member (where the relationship is held)",
            ),
            Reason::MobileRequiresMember => w(
                "群众不能登记为流动人员：只有党员和入党申请人、积极分子、发展对象可以",
                "only members and applicants, activists or development targets can be registered as mobile",
            ),
            Reason::DuplicateIdCard => w("已有人员使用此身份证号", "is already used by another person"),
            Reason::UsernameTaken => w("该账号名已被使用", "is already taken"),
            Reason::WrongPassword => w("当前密码不正确", "is not the current password"),
            Reason::WrongCode => w(
                "验证码不正确或已过期（恢复码只能用一次）",
                "is wrong or expired (a recovery code works once)",
            ),
            Reason::CountExceeds { limit } => (
                format!("不能多于{}", field_zh(limit)),
                format!("cannot be more than the {}", field_en(limit)),
            ),
            Reason::DeploymentWideRole => w(
                "系统管理员、安全管理员和审计员须授予整个部署，不选党组织",
                "must be empty: system, security and audit administrators cover the whole deployment",
            ),
            Reason::RoleBeyondOwn => w(
                "只能授予自己在该范围内也拥有其全部权限的角色",
                "can only be a role whose permissions you hold there yourself",
            ),
            Reason::SeparatedAdministrator => w(
                "系统管理员、安全管理员和审计员（三员）只能在服务器命令行上设立",
                "system, security and audit administrators are set up on the server's command line only",
            ),
            Reason::NoGrantHere => w(
                "你无权在此授予角色；账号已可创建，角色由安全管理员授予",
                "you cannot grant roles here; create the account and the security administrator grants its role",
            ),
            Reason::PasswordsDiffer => w("两次输入的新密码不一致", "does not match the new password"),
            Reason::BadUsername => {
                w("账号名须为3至40个字母、数字或 . _ -", "must be 3–40 letters, digits, '.', '_' or '-'")
            }
            Reason::WeakPassword { en, zh } => (zh.clone(), en.clone()),
            Reason::MalformedBody { detail } => {
                (format!("请求内容无法解析：{detail}"), format!("the request body cannot be read: {detail}"))
            }
        }
    }

    /// The message in Simplified Chinese.
    pub fn zh(&self) -> String {
        self.words().0
    }

    /// The message in English.
    pub fn en(&self) -> String {
        self.words().1
    }
}

impl LedgerError {
    /// Why the ledger refused, in Simplified Chinese and in English.
    pub fn words(&self) -> (&'static str, &'static str) {
        match self {
            LedgerError::NotPositive => ("数额须为正数", "the amount must be positive"),
            LedgerError::Insufficient { .. } => ("学分余额不足", "not enough credits"),
            LedgerError::CapReached => ("已达到该来源的学分上限", "the cap of this source is reached"),
            LedgerError::NotReversible => ("没有可冲正的记录", "nothing to reverse"),
            LedgerError::KeyReused => {
                ("请求编号已用于其他请求", "the request key was used for another request")
            }
        }
    }
}

impl QuizError {
    /// Why, in Chinese and in English, for the member.
    pub fn words(&self) -> (&'static str, &'static str) {
        match self {
            QuizError::Malformed(_) => ("题目不完整或选项不对", "the question is malformed"),
            QuizError::NotInQuiz(_) => (
                "答了不在本次测试中的题目，未记分",
                "an answer to a question not in your quiz; nothing was scored",
            ),
            QuizError::Twice(_) => {
                ("同一题答了两次，未记分", "one question answered twice; nothing was scored")
            }
            QuizError::BadOption(_) => (
                "选了不存在的选项，或单选题选了多项",
                "an option that does not exist, or several for a single-choice question",
            ),
            QuizError::NotOpen => ("本周测试尚未开始", "this week's quiz has not opened yet"),
            QuizError::Closed => {
                ("本周测试已截止，答卷未记分", "this week's quiz has closed; the answers were not scored")
            }
            QuizError::TimeUp => {
                ("已超过答题时限，答卷未记分", "the time limit has passed; the answers were not scored")
            }
            QuizError::NoAttemptsLeft => {
                ("本周测试的作答次数已用完", "every attempt allowed for this quiz is used")
            }
            QuizError::AlreadySubmitted => ("这份答卷已经提交过", "this attempt was submitted already"),
            QuizError::NoAttempt => (
                "没有找到正在进行的答题，请从本周测试重新开始",
                "no attempt in progress was found: start this week's quiz again",
            ),
        }
    }
}

/// A care benefit with no stock left.
pub const OUT_OF_STOCK: (&str, &str) = ("该关怀项目已无库存", "no stock of this benefit is left");
/// A care benefit whose budget is spent.
pub const OVER_BUDGET: (&str, &str) = ("该关怀项目的预算已用完", "the budget of this benefit is spent");

/// Field labels: `(code, Chinese, English)`; a dossier field not listed here is labelled by
/// its [`Key`].
pub const FIELDS: &[(&str, &str, &str)] = &[
    ("name", "名称/姓名", "name"),
    ("kind", "类型", "kind"),
    ("parent_id", "上级党组织", "parent organisation"),
    ("enterprise", "所在企业", "enterprise"),
    ("station", "站点", "station"),
    ("address", "地址", "address"),
    ("closed_on", "撤销日期", "closing date"),
    ("gender", "性别", "gender"),
    ("birth_date", "出生日期", "birth date"),
    ("ethnicity", "民族", "ethnicity"),
    ("education", "学历", "education"),
    ("worker_category", "就业类别", "worker category"),
    ("employer", "工作单位", "employer"),
    ("phone", "手机号", "phone"),
    ("id_card", "身份证号", "ID card number"),
    ("status", "政治面貌", "status"),
    ("org_id", "所在党组织", "organisation"),
    ("is_mobile", "流动党员", "mobile member"),
    ("home_organization", "组织关系所在党组织", "home organisation"),
    ("applied_on", "递交入党申请日期", "application date"),
    ("activist_on", "确定为积极分子日期", "activist date"),
    ("target_on", "确定为发展对象日期", "development-target date"),
    ("admitted_on", "接收为预备党员日期", "admission date"),
    ("full_member_on", "转为正式党员日期", "full-membership date"),
    ("approval_authority", "审批权限", "approval authority"),
    ("temporary", "临时组织", "temporary"),
    ("body", "请求内容", "request body"),
    ("username", "账号", "user name"),
    ("current", "当前密码", "current password"),
    ("code", "验证码", "code"),
    ("expected", "应到会有表决权人数", "expected voting members"),
    ("present", "实到会有表决权人数", "voting members present"),
    ("absent", "缺席人数", "absent members"),
    ("for", "赞成票", "votes in favour"),
    ("written_for", "书面赞成票", "written votes in favour"),
    ("candidates", "表决对象人数", "candidates"),
    ("new", "新密码", "new password"),
    ("again", "再次输入新密码", "new password again"),
    ("password", "密码", "password"),
    ("role", "角色", "role"),
    ("org", "党组织", "organisation"),
    ("class_hours", "本期课时", "class hours of the class"),
    ("title", "名称", "title"),
    ("starts_on", "开始日期", "first day"),
    ("ends_on", "结束日期", "last day"),
    ("person_id", "人员", "person"),
    ("member_id", "联系人", "contact"),
    ("cadence_days", "联系周期（天）", "cadence (days)"),
    ("note", "联系情况", "what was discussed"),
    ("since", "确定联系之日", "assignment date"),
    ("on", "日期", "date"),
    ("departure_kind", "出党方式", "how the member left"),
    ("left_on", "出党日期", "date of leaving"),
    ("departure_note", "依据及文号", "decision and document number"),
    ("discipline_from", "留党察看起始日", "probation within the party from"),
    ("discipline_until", "留党察看截止日", "probation within the party until"),
    ("discipline_decision", "处分决定及文号", "decision and document number"),
    ("record", "记录", "record"),
    ("benefit", "关怀项目", "benefit"),
    ("amount", "学分", "credits"),
    ("opens", "开始时间", "opens"),
    ("closes", "截止时间", "closes"),
    ("minutes", "答题时限（分钟）", "time limit (minutes)"),
    ("attempts", "作答次数", "attempts"),
    ("plan", "抽题方案", "plan"),
    ("tag", "类别", "category"),
    ("text", "题目", "question"),
    ("choices", "选项", "options"),
    ("correct", "正确答案", "right options"),
    ("explanation", "解析", "explanation"),
    ("answers", "答卷", "answers"),
    ("series", "系列", "series"),
    ("column", "专栏", "column"),
    ("items", "学习内容", "items"),
    ("cost", "所需学分", "credits needed"),
    ("stock", "库存", "stock"),
    ("price", "单价（元）", "unit price (yuan)"),
    ("budget", "预算（元）", "budget (yuan)"),
    ("attendance", "出席情况", "attendance"),
    ("topic", "议题", "topic"),
    ("held_on", "会议日期", "date held"),
    ("first_topic", "第一议题", "first topic"),
    ("study_amount", "学习每次学分", "study: credits each"),
    ("study_daily_cap", "学习每日上限", "study: daily cap"),
    ("study_weekly_cap", "学习每周上限", "study: weekly cap"),
    ("quiz_amount", "每周小测试每次学分", "weekly quiz: credits each"),
    ("quiz_daily_cap", "每周小测试每日上限", "weekly quiz: daily cap"),
    ("quiz_weekly_cap", "每周小测试每周上限", "weekly quiz: weekly cap"),
    ("meeting_amount", "组织生活每次学分", "meetings: credits each"),
    ("meeting_daily_cap", "组织生活每日上限", "meetings: daily cap"),
    ("meeting_weekly_cap", "组织生活每周上限", "meetings: weekly cap"),
    ("volunteer_amount", "志愿服务每次学分", "volunteer service: credits each"),
    ("volunteer_daily_cap", "志愿服务每日上限", "volunteer service: daily cap"),
    ("volunteer_weekly_cap", "志愿服务每周上限", "volunteer service: weekly cap"),
    ("reason", "理由", "reason"),
    ("file", "文件", "file"),
    ("key", "表单编号", "form key"),
];

fn field(code: &str) -> Option<&'static (&'static str, &'static str, &'static str)> {
    FIELDS.iter().find(|(c, _, _)| *c == code)
}

/// The Chinese label of a field, for messages that name another field.
pub fn field_zh(code: &str) -> &'static str {
    field(code).map(|f| f.1).or_else(|| Key::from_code(code).map(|k| k.zh())).unwrap_or("字段")
}

/// The English label of a field.
pub fn field_en(code: &str) -> &'static str {
    field(code).map(|f| f.2).or_else(|| Key::from_code(code).map(|k| k.en())).unwrap_or("field")
}
