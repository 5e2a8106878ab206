//! Validation errors that name the field, the reason and (where one applies) the rule.
//!
//! Every reason carries its own message in Simplified Chinese and in English, so the web
//! layer can answer in the user's language without guessing.

use serde::Serialize;

/// Why a field was refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum Reason {
    /// The field is required but empty.
    Required,
    /// The text is longer than allowed.
    TooLong {
        /// Maximum number of characters.
        max: usize,
    },
    /// The value is not one of the allowed choices.
    UnknownChoice,
    /// A date could not be read (expected YYYY-MM-DD).
    BadDate,
    /// A date lies after today.
    DateInFuture,
    /// A date lies before an earlier step it must follow.
    DateBefore {
        /// The field this date must not precede.
        other: &'static str,
    },
    /// A date is given for a status the person has not reached.
    DateForLaterStatus,
    /// The ID number is not 18 characters of digits (last may be X).
    IdCardFormat,
    /// The ID number's GB 11643 check digit is wrong.
    IdCardChecksum,
    /// The birth date inside the ID number is not a real date.
    IdCardBirthDate,
    /// The birth date disagrees with the one in the ID number.
    BirthDateMismatch,
    /// The gender disagrees with the one in the ID number.
    GenderMismatch,
    /// The phone number is not a mainland mobile number.
    PhoneFormat,
    /// The organisation does not exist.
    UnknownOrganization,
    /// The organisation is closed.
    OrganizationClosed,
    /// Moving the organisation would put it under itself or its own descendant.
    MoveIntoOwnSubtree,
    /// A branch cannot contain other organisations.
    ParentIsBranch,
    /// A working committee is the root of a deployment and has no parent.
    WorkingCommitteeHasParent,
    /// Every organisation other than a working committee needs a parent.
    ParentRequired,
    /// Moving between deployments (top organisations) is not supported.
    CrossTenantMove,
    /// A branch cannot keep sub-organisations: its kind cannot become a branch.
    BranchWithChildren,
    /// Only a non-temporary party committee may hold approval authority (DEV-034).
    ApprovalAuthorityNotAllowed,
    /// An organisation with open sub-organisations or people cannot be closed.
    CloseNotEmpty,
    /// The organisation is already closed.
    AlreadyClosed,
    /// A mobile member needs the organisation that holds their relationship.
    HomeOrganizationRequired,
    /// Only party members (probationary or full) can be mobile members.
    MobileRequiresMember,
    /// Another person already has this ID number.
    DuplicateIdCard,
    /// Another account already has this login name.
    UsernameTaken,
    /// A login name must be 3–40 letters, digits, `.`, `_` or `-`.
    BadUsername,
    /// The current password is wrong.
    WrongPassword,
    /// The one-time code or recovery code is wrong or used.
    WrongCode,
    /// A count is larger than the count it is part of.
    CountExceeds {
        /// The field it may not exceed.
        limit: &'static str,
    },
    /// System administrators and auditors are granted on the whole deployment.
    DeploymentWideRole,
    /// A role may be granted only by someone who holds all its permissions there.
    RoleBeyondOwn,
    /// The two new passwords differ.
    PasswordsDiffer,
    /// The password breaks the password policy.
    WeakPassword {
        /// Why, in Chinese.
        zh: String,
        /// Why, in English.
        en: String,
    },
    /// A number is not a whole number within the allowed range.
    NumberOutOfRange {
        /// Smallest allowed.
        min: i64,
        /// Largest allowed.
        max: i64,
    },
    /// The person does not exist.
    UnknownPerson,
    /// The record already exists (one per person).
    AlreadyExists,
    /// Someone else changed the record meanwhile; nothing was written.
    ChangedMeanwhile,
    /// Refused for a reason that is not a rule of RULES.md (credits, stock).
    Refused {
        /// Why, in Chinese.
        zh: &'static str,
        /// Why, in English.
        en: &'static str,
    },
    /// Recording this would break a rule of the procedure.
    Broken {
        /// Rule id (`DEV-010`).
        rule: &'static str,
        /// What is wrong, in Chinese.
        zh: &'static str,
        /// What is wrong, in English.
        en: &'static str,
    },
    /// The request body could not be read.
    MalformedBody {
        /// What the parser said, without internals.
        detail: String,
    },
}

impl Reason {
    /// The rule id this reason enforces, when it comes from RULES.md.
    pub fn rule(&self) -> Option<&'static str> {
        match self {
            Reason::ApprovalAuthorityNotAllowed => Some("DEV-034"),
            Reason::Broken { rule, .. } => Some(rule),
            _ => None,
        }
    }

    /// The message in Simplified Chinese.
    pub fn zh(&self) -> String {
        match self {
            Reason::Required => "必填".into(),
            Reason::NumberOutOfRange { min, max } => format!("应为 {min} 到 {max} 之间的整数"),
            Reason::UnknownPerson => "人员不存在".into(),
            Reason::AlreadyExists => "已经存在，不能重复建立".into(),
            Reason::ChangedMeanwhile => "记录刚被他人更新，未保存；请刷新后重试".into(),
            Reason::Refused { zh, .. } => (*zh).into(),
            Reason::Broken { rule, zh, .. } => format!("{zh}（{rule}）"),
            Reason::TooLong { max } => format!("不能超过 {max} 个字符"),
            Reason::UnknownChoice => "不是可选的值".into(),
            Reason::BadDate => "日期格式应为 YYYY-MM-DD（如 2024-03-01）".into(),
            Reason::DateInFuture => "不能晚于今天".into(),
            Reason::DateBefore { other } => format!("不能早于{}", field_zh(other)),
            Reason::DateForLaterStatus => "当前政治面貌尚未到达此阶段，不应填写此日期".into(),
            Reason::IdCardFormat => "身份证号应为18位：17位数字加1位校验码（数字或X）".into(),
            Reason::IdCardChecksum => "身份证号校验码错误（GB 11643）".into(),
            Reason::IdCardBirthDate => "身份证号中的出生日期无效".into(),
            Reason::BirthDateMismatch => "出生日期与身份证号不一致".into(),
            Reason::GenderMismatch => "性别与身份证号不一致".into(),
            Reason::PhoneFormat => "手机号应为11位中国大陆手机号（1开头）".into(),
            Reason::UnknownOrganization => "党组织不存在".into(),
            Reason::OrganizationClosed => "党组织已撤销".into(),
            Reason::MoveIntoOwnSubtree => "不能移到自身或其下级组织之下".into(),
            Reason::ParentIsBranch => "党支部之下不能再设党组织".into(),
            Reason::WorkingCommitteeHasParent => "工委是顶层组织，不能有上级".into(),
            Reason::ParentRequired => "须选择上级党组织".into(),
            Reason::CrossTenantMove => "不支持跨工委（顶层组织）移动".into(),
            Reason::BranchWithChildren => "该组织下设有党组织，不能改为党支部".into(),
            Reason::ApprovalAuthorityNotAllowed => {
                "只有非临时的党委才能具有审批预备党员权限（DEV-034）".into()
            }
            Reason::CloseNotEmpty => "该组织下仍有未撤销的下级组织或人员，不能撤销".into(),
            Reason::AlreadyClosed => "该组织已撤销".into(),
            Reason::HomeOrganizationRequired => "流动党员须填写组织关系所在党组织".into(),
            Reason::MobileRequiresMember => "只有党员（预备或正式）才能登记为流动党员".into(),
            Reason::DuplicateIdCard => "已有人员使用此身份证号".into(),
            Reason::UsernameTaken => "该账号名已被使用".into(),
            Reason::WrongPassword => "当前密码不正确".into(),
            Reason::WrongCode => "验证码不正确或已过期（恢复码只能用一次）".into(),
            Reason::CountExceeds { limit } => format!("不能多于{}", field_zh(limit)),
            Reason::DeploymentWideRole => "系统管理员和审计员须授予整个部署，不选党组织".into(),
            Reason::RoleBeyondOwn => {
                "只能授予自己在该范围内也拥有其全部权限的角色（审计员须在命令行创建）".into()
            }
            Reason::PasswordsDiffer => "两次输入的新密码不一致".into(),
            Reason::BadUsername => "账号名须为3至40个字母、数字或 . _ -".into(),
            Reason::WeakPassword { zh, .. } => zh.clone(),
            Reason::MalformedBody { detail } => format!("请求内容无法解析：{detail}"),
        }
    }

    /// The message in English.
    pub fn en(&self) -> String {
        match self {
            Reason::Required => "is required".into(),
            Reason::NumberOutOfRange { min, max } => format!("must be a whole number from {min} to {max}"),
            Reason::UnknownPerson => "no such person".into(),
            Reason::AlreadyExists => "already exists".into(),
            Reason::ChangedMeanwhile => "someone else changed it just now; nothing was saved: reload and try again".into(),
            Reason::Refused { en, .. } => (*en).into(),
            Reason::Broken { rule, en, .. } => format!("{en} ({rule})"),
            Reason::TooLong { max } => format!("must be at most {max} characters"),
            Reason::UnknownChoice => "is not one of the allowed values".into(),
            Reason::BadDate => "must be a date as YYYY-MM-DD (e.g. 2024-03-01)".into(),
            Reason::DateInFuture => "must not be after today".into(),
            Reason::DateBefore { other } => format!("must not be before {}", field_en(other)),
            Reason::DateForLaterStatus => "belongs to a status the person has not reached".into(),
            Reason::IdCardFormat => {
                "must be 18 characters: 17 digits and a check character (digit or X)".into()
            }
            Reason::IdCardChecksum => "has a wrong check digit (GB 11643)".into(),
            Reason::IdCardBirthDate => "contains an impossible birth date".into(),
            Reason::BirthDateMismatch => "disagrees with the birth date in the ID number".into(),
            Reason::GenderMismatch => "disagrees with the gender in the ID number".into(),
            Reason::PhoneFormat => "must be an 11-digit mainland mobile number starting with 1".into(),
            Reason::UnknownOrganization => "names an organisation that does not exist".into(),
            Reason::OrganizationClosed => "names an organisation that is closed".into(),
            Reason::MoveIntoOwnSubtree => {
                "cannot be the organisation itself or one of its descendants".into()
            }
            Reason::ParentIsBranch => "is a branch, and a branch cannot contain organisations".into(),
            Reason::WorkingCommitteeHasParent => {
                "must be empty: a working committee is a top organisation".into()
            }
            Reason::ParentRequired => "is required for every organisation but a working committee".into(),
            Reason::CrossTenantMove => "must stay under the same top organisation".into(),
            Reason::BranchWithChildren => "cannot become a branch while it contains organisations".into(),
            Reason::ApprovalAuthorityNotAllowed => {
                "only a non-temporary party committee may hold approval authority (DEV-034)".into()
            }
            Reason::CloseNotEmpty => "cannot close: open sub-organisations or people remain".into(),
            Reason::AlreadyClosed => "is already closed".into(),
            Reason::HomeOrganizationRequired => {
                "is required for a mobile member (where the relationship is held)".into()
            }
            Reason::MobileRequiresMember => {
                "only members (probationary or full) can be mobile members".into()
            }
            Reason::DuplicateIdCard => "is already used by another person".into(),
            Reason::UsernameTaken => "is already taken".into(),
            Reason::WrongPassword => "is not the current password".into(),
            Reason::WrongCode => "is wrong or expired (a recovery code works once)".into(),
            Reason::CountExceeds { limit } => format!("cannot be more than the {}", field_en(limit)),
            Reason::DeploymentWideRole => {
                "must be empty: system administrators and auditors cover the whole deployment".into()
            }
            Reason::RoleBeyondOwn => {
                "can only be a role whose permissions you hold there yourself (auditors are created on the command line)"
                    .into()
            }
            Reason::PasswordsDiffer => "does not match the new password".into(),
            Reason::BadUsername => "must be 3–40 letters, digits, '.', '_' or '-'".into(),
            Reason::WeakPassword { en, .. } => en.clone(),
            Reason::MalformedBody { detail } => format!("the request body cannot be read: {detail}"),
        }
    }
}

/// One refused field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("{field}: {}", reason.en())]
pub struct FieldError {
    /// The field's code name, as in forms and JSON.
    pub field: &'static str,
    /// Why it was refused.
    pub reason: Reason,
}

impl FieldError {
    /// Builds a field error.
    pub fn new(field: &'static str, reason: Reason) -> Self {
        Self { field, reason }
    }
}

/// All refused fields of one input, in form order.
#[derive(Debug, Clone, Default, PartialEq, Eq, thiserror::Error)]
#[error("{} field(s) refused", .0.len())]
pub struct ValidationErrors(pub Vec<FieldError>);

impl ValidationErrors {
    /// Adds a refusal.
    pub fn push(&mut self, field: &'static str, reason: Reason) {
        self.0.push(FieldError::new(field, reason));
    }

    /// Keeps the value of a parse, or records its error and returns `None`.
    pub fn take<T>(&mut self, result: Result<T, FieldError>) -> Option<T> {
        match result {
            Ok(v) => Some(v),
            Err(e) => {
                self.0.push(e);
                None
            }
        }
    }

    /// `Ok(())` when nothing was refused.
    pub fn into_result(self) -> Result<(), ValidationErrors> {
        if self.0.is_empty() { Ok(()) } else { Err(self) }
    }

    /// The first refusal for a field, if any.
    pub fn for_field(&self, field: &str) -> Option<&FieldError> {
        self.0.iter().find(|e| e.field == field)
    }
}

impl From<FieldError> for ValidationErrors {
    fn from(e: FieldError) -> Self {
        ValidationErrors(vec![e])
    }
}

/// The Chinese label of a field, for messages that name another field.
pub fn field_zh(field: &str) -> &'static str {
    match field {
        "name" => "名称/姓名",
        "kind" => "类型",
        "parent_id" => "上级党组织",
        "enterprise" => "所在企业",
        "station" => "站点",
        "address" => "地址",
        "closed_on" => "撤销日期",
        "gender" => "性别",
        "birth_date" => "出生日期",
        "ethnicity" => "民族",
        "education" => "学历",
        "worker_category" => "就业类别",
        "employer" => "工作单位",
        "phone" => "手机号",
        "id_card" => "身份证号",
        "status" => "政治面貌",
        "org_id" => "所在党组织",
        "is_mobile" => "流动党员",
        "home_organization" => "组织关系所在党组织",
        "applied_on" => "递交入党申请日期",
        "activist_on" => "确定为积极分子日期",
        "target_on" => "确定为发展对象日期",
        "admitted_on" => "接收为预备党员日期",
        "full_member_on" => "转为正式党员日期",
        "approval_authority" => "审批权限",
        "temporary" => "临时组织",
        "body" => "请求内容",
        "username" => "账号",
        "current" => "当前密码",
        "code" => "验证码",
        "expected" => "应到会有表决权人数",
        "present" => "实到会有表决权人数",
        "absent" => "缺席人数",
        "for" => "赞成票",
        "written_for" => "书面赞成票",
        "candidates" => "表决对象人数",
        "new" => "新密码",
        "again" => "再次输入新密码",
        "password" => "密码",
        "role" => "角色",
        "org" => "党组织",
        "class_hours" => "本期课时",
        "title" => "名称",
        "starts_on" => "开始日期",
        "ends_on" => "结束日期",
        "person_id" => "人员",
        "member_id" => "联系人",
        "cadence_days" => "联系周期（天）",
        "note" => "联系情况",
        "since" => "确定联系之日",
        "on" => "日期",
        "departure_kind" => "出党方式",
        "left_on" => "出党日期",
        "departure_note" => "依据及文号",
        "record" => "记录",
        "benefit" => "关怀项目",
        "amount" => "学分",
        "opens" => "开始时间",
        "closes" => "截止时间",
        "minutes" => "答题时限（分钟）",
        "attempts" => "作答次数",
        "plan" => "抽题方案",
        "tag" => "类别",
        "text" => "题目",
        "choices" => "选项",
        "correct" => "正确答案",
        "explanation" => "解析",
        "answers" => "答卷",
        "series" => "系列",
        "column" => "专栏",
        "items" => "学习内容",
        "cost" => "所需学分",
        "stock" => "库存",
        "price" => "单价（元）",
        "budget" => "预算（元）",
        "attendance" => "出席情况",
        "topic" => "议题",
        "held_on" => "会议日期",
        "first_topic" => "第一议题",
        other => crate::development::dossier::Key::from_code(other).map_or("字段", |k| k.zh()),
    }
}

/// The English label of a field.
pub fn field_en(field: &str) -> &'static str {
    match field {
        "name" => "name",
        "kind" => "kind",
        "parent_id" => "parent organisation",
        "enterprise" => "enterprise",
        "station" => "station",
        "address" => "address",
        "closed_on" => "closing date",
        "gender" => "gender",
        "birth_date" => "birth date",
        "ethnicity" => "ethnicity",
        "education" => "education",
        "worker_category" => "worker category",
        "employer" => "employer",
        "phone" => "phone",
        "id_card" => "ID card number",
        "status" => "status",
        "org_id" => "organisation",
        "is_mobile" => "mobile member",
        "home_organization" => "home organisation",
        "applied_on" => "application date",
        "activist_on" => "activist date",
        "target_on" => "development-target date",
        "admitted_on" => "admission date",
        "full_member_on" => "full-membership date",
        "approval_authority" => "approval authority",
        "temporary" => "temporary",
        "body" => "request body",
        "username" => "user name",
        "current" => "current password",
        "code" => "code",
        "expected" => "expected voting members",
        "present" => "voting members present",
        "absent" => "absent members",
        "for" => "votes in favour",
        "written_for" => "written votes in favour",
        "candidates" => "candidates",
        "new" => "new password",
        "again" => "new password again",
        "password" => "password",
        "role" => "role",
        "org" => "organisation",
        "class_hours" => "class hours of the class",
        "title" => "title",
        "starts_on" => "first day",
        "ends_on" => "last day",
        "person_id" => "person",
        "member_id" => "contact",
        "cadence_days" => "cadence (days)",
        "note" => "what was discussed",
        "since" => "assignment date",
        "on" => "date",
        "departure_kind" => "how the member left",
        "left_on" => "date of leaving",
        "departure_note" => "decision and document number",
        "record" => "record",
        "benefit" => "benefit",
        "amount" => "credits",
        "opens" => "opens",
        "closes" => "closes",
        "minutes" => "time limit (minutes)",
        "attempts" => "attempts",
        "plan" => "plan",
        "tag" => "category",
        "text" => "question",
        "choices" => "options",
        "correct" => "right options",
        "explanation" => "explanation",
        "answers" => "answers",
        "series" => "series",
        "column" => "column",
        "items" => "items",
        "cost" => "credits needed",
        "stock" => "stock",
        "price" => "unit price (yuan)",
        "budget" => "budget (yuan)",
        "attendance" => "attendance",
        "topic" => "topic",
        "held_on" => "date held",
        "first_topic" => "first topic",
        other => crate::development::dossier::Key::from_code(other).map_or("field", |k| k.en()),
    }
}
