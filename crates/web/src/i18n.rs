//! The interface language: Simplified Chinese by default, English on request (a `lang`
//! cookie set by `/lang/en`, or `Accept-Language: en` for the API).
//!
//! [`Tr`] is handed to every template; `t.s("key")` looks a phrase up in [`PHRASES`].

use axum::http::HeaderMap;
use axum::http::header;
use pioneer_domain::FieldError;
use pioneer_domain::orgs::OrgKind;
use pioneer_domain::people::age::AgeBand;
use pioneer_domain::people::departure::DepartureKind;
use pioneer_domain::people::{Education, Gender, Status, WorkerCategory};

/// A supported language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    /// Simplified Chinese.
    #[default]
    Zh,
    /// English.
    En,
}

impl Lang {
    /// The `lang` attribute / cookie value.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Zh => "zh-CN",
            Lang::En => "en",
        }
    }

    /// The page language: the `lang` cookie, else Chinese.
    pub fn from_cookies(headers: &HeaderMap) -> Self {
        let cookies = headers.get_all(header::COOKIE);
        for value in cookies.iter().filter_map(|v| v.to_str().ok()) {
            for part in value.split(';') {
                if let Some(v) = part.trim().strip_prefix("lang=") {
                    return if v == "en" { Lang::En } else { Lang::Zh };
                }
            }
        }
        Lang::Zh
    }

    /// The API language: English when `Accept-Language` prefers it, else Chinese.
    pub fn from_accept(headers: &HeaderMap) -> Self {
        let accept = headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).unwrap_or("");
        if accept.trim_start().to_ascii_lowercase().starts_with("en") { Lang::En } else { Lang::Zh }
    }
}

/// Translator handed to templates.
#[derive(Debug, Clone, Copy, Default)]
pub struct Tr {
    /// The language.
    pub lang: Lang,
}

/// `(key, Chinese, English)` of every phrase of the interface.
pub const PHRASES: &[(&str, &str, &str)] = &[
    ("app", "先锋", "Pioneer"),
    (
        "app_long",
        "新业态新就业群体党建工作平台",
        "Party-building platform for new business forms and new employment groups",
    ),
    (
        "demo_banner",
        "演示数据：本系统当前载入的是演示部署，人员均为虚构，身份证号与手机号为生成的测试号码。",
        "Demo data: this deployment holds the demo; all people are fictional, with generated test ID and phone numbers.",
    ),
    ("nav_home", "首页", "Home"),
    ("nav_more", "更多", "More"),
    ("banner_off", "不再显示", "Hide"),
    ("more_title", "全部功能", "Everything"),
    ("nav_orgs", "党组织", "Organisations"),
    ("nav_people", "人员", "People"),
    ("lang_switch", "English", "中文"),
    ("home_title", "工作台", "Overview"),
    ("orgs_open", "党组织（未撤销）", "Organisations (open)"),
    ("people_total", "人员总数", "People"),
    ("by_status", "按政治面貌", "By status"),
    ("quick_links", "常用", "Shortcuts"),
    ("tree_title", "党组织架构", "Organisation tree"),
    (
        "tree_hint",
        "显示前三级；点击组织查看下级。",
        "The top three levels; open an organisation to see the rest.",
    ),
    ("new_org", "新建党组织", "New organisation"),
    ("new_sub_org", "新建下级组织", "New sub-organisation"),
    ("edit", "编辑", "Edit"),
    ("save", "保存", "Save"),
    ("create", "创建", "Create"),
    ("cancel", "返回", "Back"),
    ("search", "查询", "Search"),
    ("reset", "清除条件", "Clear"),
    ("children", "下级组织", "Sub-organisations"),
    ("no_children", "没有下级组织。", "No sub-organisations."),
    ("people_here", "本组织及下级人员", "People in this organisation and below"),
    ("view_people", "查看人员名单", "View the people"),
    ("add_person", "登记人员", "Add a person"),
    ("closed", "已撤销", "Closed"),
    ("temporary_tag", "临时", "Temporary"),
    ("approval_tag", "有审批权", "Approves"),
    ("move_title", "调整隶属关系", "Move under another organisation"),
    ("move", "移动", "Move"),
    ("close_title", "撤销组织", "Close the organisation"),
    (
        "close_hint",
        "只有没有下级组织和人员的组织才能撤销。",
        "Only an organisation without sub-organisations or people can be closed.",
    ),
    ("close", "撤销", "Close"),
    ("f_name", "名称", "Name"),
    ("f_person_name", "姓名", "Name"),
    ("f_kind", "组织类型", "Kind"),
    ("f_parent", "上级党组织", "Parent organisation"),
    (
        "f_approval",
        "具有审批预备党员权限（仅限非临时党委）",
        "Approval authority (only a permanent party committee)",
    ),
    ("f_temporary", "临时党组织", "Temporary organisation"),
    ("f_enterprise", "所在企业", "Enterprise"),
    ("f_station", "站点/场所", "Station or depot"),
    ("f_address", "地址", "Address"),
    ("f_closed_on", "撤销日期", "Closing date"),
    ("f_gender", "性别", "Gender"),
    ("f_gender_auto", "按身份证号", "From the ID number"),
    ("f_birth", "出生日期", "Birth date"),
    ("f_birth_hint", "可留空，按身份证号填写", "May be left empty: taken from the ID number"),
    ("f_ethnicity", "民族", "Ethnicity"),
    ("f_education", "学历", "Education"),
    ("f_category", "就业类别", "Worker category"),
    ("f_employer", "工作单位", "Employer"),
    ("f_phone", "手机号", "Mobile phone"),
    ("f_id_card", "身份证号", "ID card number"),
    ("f_keep_hint", "留空则保持原号码不变", "Leave empty to keep the stored number"),
    ("f_status", "政治面貌", "Status"),
    ("f_org", "所在党组织", "Organisation"),
    ("f_org_id_hint", "填写党组织编号（组织详情页可见）", "Enter the organisation id (shown on its page)"),
    ("f_mobile", "流动党员", "Mobile member"),
    ("f_home_org", "组织关系所在党组织", "Home organisation (holds the relationship)"),
    ("f_backbone", "业务骨干", "Business backbone"),
    ("f_key_position", "关键岗位", "Key position"),
    ("f_dates", "发展阶段日期", "Dates of each stage"),
    ("f_applied_on", "递交入党申请日期", "Application date"),
    ("f_activist_on", "确定为入党积极分子日期", "Made an activist on"),
    ("f_target_on", "确定为发展对象日期", "Made a development target on"),
    ("f_admitted_on", "接收为预备党员日期", "Admitted as probationary member on"),
    ("f_full_member_on", "转为正式党员日期", "Full member since"),
    ("f_q", "姓名开头、手机号或身份证号", "Start of a name, phone or ID number"),
    ("f_age_band", "年龄段", "Age band"),
    ("f_college", "学历层次", "Education level"),
    ("college_yes", "大专及以上", "Junior college or above"),
    ("college_no", "大专以下", "Below junior college"),
    ("mobile_yes", "仅流动党员", "Mobile members only"),
    ("mobile_no", "非流动党员", "Not mobile"),
    ("any", "不限", "Any"),
    ("choose", "请选择", "Choose"),
    ("yes", "是", "Yes"),
    ("no", "否", "No"),
    ("people_title", "人员名单", "People"),
    ("results", "条结果", "results"),
    ("no_results", "没有符合条件的人员。", "Nobody matches."),
    ("prev", "上一页", "Previous"),
    ("next", "下一页", "Next"),
    ("page", "第{}页", "Page {}"),
    ("age", "年龄", "Age"),
    ("person_title", "人员信息", "Person"),
    ("form_errors", "请修改标出的项目后再提交。", "Please correct the marked fields."),
    ("not_found", "找不到该页面或记录。", "That page or record does not exist."),
    (
        "server_error",
        "服务器出错了，请稍后重试。错误已记录。",
        "Something went wrong on the server. It has been logged; please try again.",
    ),
    (
        "unavailable",
        "服务暂时中断，请稍后重试；如果答卷已经记分，重新打开测试即可看到结果。",
        "The server was interrupted for a moment; please try again. If your answers were scored, reopening the quiz shows the result.",
    ),
    (
        "masked_note",
        "身份证号与手机号已加密存储，仅显示部分号码。",
        "ID and phone numbers are encrypted at rest and shown masked.",
    ),
    ("org_id", "组织编号", "Organisation number"),
    ("filter_in", "范围", "Within"),
    ("all_orgs", "全部组织", "All organisations"),
    ("breadcrumbs", "位置", "Location"),
    ("status_dates", "发展阶段", "Stages"),
    ("flags", "标记", "Flags"),
    ("need_login", "请先登录。", "Please sign in first."),
    (
        "forbidden",
        "您的角色或管辖范围不包括此页面或记录。",
        "Your role or scope does not include this page or record.",
    ),
    (
        "csrf_refused",
        "请求来源无法确认（可能是过期的页面），请返回刷新后重试。",
        "The request's origin could not be confirmed (perhaps an old page): go back, reload and try again.",
    ),
    (
        "method_not_allowed",
        "此地址不接受这种请求方法；响应头 Allow 列出了它接受的方法。",
        "This address does not take that method; the Allow header lists the ones it takes.",
    ),
    (
        "bad_query",
        "地址中的查询参数无法解析，未执行任何操作。",
        "The query string cannot be read; nothing was done.",
    ),
    (
        "bad_query_parameter",
        "地址中的查询参数 {} 无法解析，未执行任何操作。",
        "The query parameter {} cannot be read; nothing was done.",
    ),
    ("cannot_read", "无法解析：", "cannot be read: "),
    ("login_title", "登录", "Sign in"),
    ("users_title", "账号管理", "Accounts"),
    ("user_add", "新建账号", "Add an account"),
    ("users_list", "管辖范围内的账号", "Accounts in your scope"),
    (
        "user_created",
        "账号已创建。一次性密码（只显示这一次，首次登录须修改）：",
        "Account created. One-time password (shown only now; to be changed at first sign-in):",
    ),
    ("f_role", "角色", "Role"),
    ("everywhere", "全部（整个部署）", "Everywhere (the whole deployment)"),
    ("nav_users", "账号", "Accounts"),
    ("me_title", "我的信息", "My record"),
    ("me_edit", "我可以修改的信息", "What I may change"),
    ("me_none", "此账号没有关联的人员信息。", "This account is not linked to a person."),
    ("journal_title", "操作日志（防篡改）", "Journal (tamper-evident)"),
    ("journal_ok", "校验通过：条目数 / 链数", "Verified: entries / chains"),
    ("journal_broken", "日志校验失败：", "The journal does not verify:"),
    ("journal_heads", "各链链头（请另行保存）", "Chain heads (keep them elsewhere)"),
    ("journal_latest", "最近的条目", "Latest entries"),
    ("nav_journal", "日志", "Journal"),
    ("nav_me", "我的", "Me"),
    ("unmask", "查看完整号码（将记录在日志中）", "Show full numbers (journaled)"),
    ("departure_title", "出党与党员减少", "Leaving the Party"),
    ("discipline_title", "留党察看", "Probation within the Party"),
    (
        "discipline_hint",
        "留党察看期间不能作入党介绍人或培养联系人；在此期间确定的介绍人、联系人会被判为不合规（DEV-006、DEV-014）。",
        "During the period the member may not introduce or cultivate anyone; introducers and contacts appointed then are found faulty (DEV-006, DEV-014).",
    ),
    ("discipline_record", "登记留党察看", "Record the period"),
    ("discipline_none", "无留党察看记录。", "No period recorded."),
    ("departure_record", "登记出党", "Record leaving"),
    (
        "departure_hint",
        "登记后此人政治面貌改为群众，自出党日期起不再计入党员统计；在年报“出党情况”中由本组织统计（STAT-004）。",
        "Once recorded the person is a non-member and not counted as a member from that day; the annual report counts it for this organisation (STAT-004).",
    ),
    ("departure_recorded", "已登记出党", "Recorded as having left"),
    ("departure_before", "出党前政治面貌", "Status before leaving"),
    ("departure_by", "登记人", "Recorded by"),
    (
        "departure_withdraw",
        "撤销出党记录（登记有误或恢复党籍）",
        "Withdraw (a mistake, or membership restored)",
    ),
    (
        "unmasked_note",
        "完整号码的查看已记入操作日志。",
        "This viewing of the full numbers has been journaled.",
    ),
    ("totp_title", "双因素认证", "Second factor"),
    ("totp_enrolled", "双因素认证已启用。", "The second factor is set up."),
    (
        "totp_scan",
        "您的角色须使用双因素认证。请用身份验证器应用扫描下面的二维码，然后输入它显示的6位验证码。",
        "Your role needs a second factor. Scan this QR code with an authenticator app, then enter the 6-digit code it shows.",
    ),
    ("totp_manual", "无法扫码时，手动输入密钥：", "If you cannot scan, enter this key by hand:"),
    ("recovery_title", "恢复码", "Recovery codes"),
    (
        "recovery_hint",
        "请妥善保存以下恢复码（只显示这一次）。手机丢失时，每个恢复码可代替验证码使用一次。",
        "Keep these recovery codes safe (shown only now). If you lose your phone, each works once instead of a code.",
    ),
    ("totp_login_title", "输入验证码", "Enter your code"),
    (
        "totp_login_hint",
        "请输入身份验证器应用显示的6位验证码，或一个恢复码。",
        "Enter the 6-digit code from your authenticator app, or a recovery code.",
    ),
    ("f_code", "验证码", "Code"),
    ("f_code_or_recovery", "验证码或恢复码", "Code or recovery code"),
    ("confirm", "确认", "Confirm"),
    (
        "demo_no_second_factor",
        "演示部署已免除双因素认证（仅限演示）。",
        "The demo waives the second factor (demo only).",
    ),
    ("login", "登录", "Sign in"),
    ("logout", "退出", "Sign out"),
    ("f_username", "账号", "User name"),
    ("f_password", "密码", "Password"),
    (
        "login_failed",
        "账号或密码不正确。连续多次失败的账号会被临时锁定。",
        "Wrong user name or password. Accounts are locked for a while after repeated failures.",
    ),
    (
        "login_throttled",
        "此地址尝试登录次数过多，请稍后再试。",
        "Too many sign-in attempts from this address; try again later.",
    ),
    ("password_title", "修改密码", "Change password"),
    (
        "password_forced",
        "首次登录或密码已过期：请先设置新密码。",
        "First sign-in or expired password: please choose a new one.",
    ),
    ("password_done", "密码已修改。", "Your password has been changed."),
    ("f_current", "当前密码", "Current password"),
    ("f_new", "新密码", "New password"),
    ("f_again", "再次输入新密码", "New password again"),
    (
        "password_hint",
        "至少8位，含小写字母、大写字母、数字、符号中的三类（等保三级策略）。",
        "At least 8 characters of three kinds: lower case, upper case, digits, symbols (MLPS level 3 policy).",
    ),
    ("more_filters", "更多筛选条件", "More filters"),
    ("nav_dossiers", "发展党员", "Member development"),
    ("nav_screening", "排查", "Screening"),
    ("nav_notices", "公示", "Notices"),
    ("dossiers_title", "发展党员工作台", "Member development"),
    ("due_title", "本周到期和已逾期", "Due this week and overdue"),
    ("all_cases", "全部档案", "All dossiers"),
    ("no_cases", "暂无档案。", "No dossiers yet."),
    ("f_person", "人员", "Person"),
    ("f_stage", "阶段", "Stage"),
    ("f_next_due", "下一期限", "Next deadline"),
    ("f_findings", "问题", "Findings"),
    ("overdue", "已逾期", "overdue"),
    ("open_dossier", "建立发展党员档案", "Open a member-development dossier"),
    ("dossier", "发展党员档案", "Member-development dossier"),
    ("steps_title", "五个阶段二十五个步骤", "The 5 stages and 25 steps"),
    ("step_done", "已完成", "done"),
    ("step_next", "可办理", "open"),
    ("record", "记录", "Record"),
    ("events_title", "记录（不可修改，更正另作记录）", "Record (never edited; corrections are new entries)"),
    ("no_findings", "未发现问题。", "No findings."),
    ("findings_title", "规则检查", "Rule checks"),
    ("deadlines_title", "期限", "Deadlines"),
    ("not_before", "不早于", "not before"),
    ("due_by", "应于此前办理", "due by"),
    ("notice_ends", "公示截止", "notice ends"),
    ("f_on", "日期", "Date"),
    (
        "f_backfill",
        "补录历史档案（按原样记录并标注问题）",
        "Backfill a historic dossier (record as found, with its findings)",
    ),
    ("f_corrects", "更正第几条记录（可选）", "Corrects record no. (optional)"),
    ("backfill_tag", "补录", "backfill"),
    ("correction_of", "更正第", "corrects no."),
    ("recorded_under", "记录时所在组织", "recorded under"),
    ("vote_result", "票决结果（服务器计算）", "Vote result (computed by the server)"),
    ("quorum_needed", "法定到会人数（超过应到半数）", "Quorum (more than half of those expected)"),
    (
        "majority_needed",
        "通过所需赞成票（超过应到半数）",
        "Votes in favour needed (more than half of those expected)",
    ),
    ("in_favour", "赞成票（含会前书面意见）", "In favour (written votes included)"),
    ("vote_passed", "决议通过", "Resolution passed"),
    ("vote_failed", "决议未通过", "Resolution not passed"),
    ("preview", "核算", "Check the count"),
    (
        "full_members_hint",
        "本组织现有正式党员（应到会有表决权人数的默认值；如有不计入者请说明原因）",
        "Full members of this organisation now (the default of voting members expected; give a reason for any exclusion)",
    ),
    (
        "exclusion_needed",
        "应到人数与正式党员人数不同，须说明原因",
        "The expected number differs from the full members: give the reason",
    ),
    ("screening_title", "发展党员排查", "Screening of member development"),
    ("screened", "已排查档案", "Dossiers screened"),
    ("with_violations", "有违规的档案", "With violations"),
    ("warnings_only", "仅有提醒的档案", "Warnings only"),
    ("download_xlsx", "下载 Excel", "Download Excel"),
    ("download_csv", "下载 CSV", "Download CSV"),
    ("screen_as_of", "排查日期", "As of"),
    ("screen_branch", "党组织", "Branch"),
    ("screen_severity", "性质", "Severity"),
    ("screen_any", "全部", "All"),
    ("screen_run", "排查", "Screen"),
    ("screen_reset", "清除筛选", "Clear filters"),
    ("screen_judged_on", "判断日期", "Judged as of"),
    ("screen_cases_n", "份档案", "dossiers"),
    ("screen_first", "列出前", "listing the first"),
    ("f_rule", "规则", "Rule"),
    ("f_audit", "审计项", "Audit item"),
    ("f_certainty", "确定性", "Status"),
    ("f_count", "档案数", "Dossiers"),
    ("f_cases", "档案", "Cases"),
    ("violation", "违规", "violation"),
    ("warning", "提醒", "warning"),
    ("filings_title", "待备案", "Filings to acknowledge"),
    ("no_filings", "没有待处理的备案。", "No filings waiting."),
    ("acknowledge", "确认备案", "Acknowledge"),
    ("return_filing", "退回", "Return"),
    ("notices_title", "公示", "Public notices"),
    ("no_notices", "目前没有公示。", "No notices are running."),
    ("notice_period", "公示期", "Notice period"),
    (
        "three_admins",
        "三员分立：系统管理员创建账号，安全管理员授予角色，审计员查阅日志；三员均不能查看人员和档案，只能在服务器命令行上设立。",
        "Separated administrators: the system administrator creates accounts, the security administrator grants roles, the auditor reads the journal; none of them sees people or dossiers, and they are set up on the server's command line only.",
    ),
    ("grant_role", "授予角色", "Grant a role"),
    ("grant", "授予", "Grant"),
    (
        "import_queued",
        "导入较多，本次排队等候了前面的 {} 个导入。",
        "Imports were busy: this one waited for the {} ahead of it.",
    ),
    ("problems_listed", "共 {n} 个问题，列出前 {k} 个。", "{n} problems in all; the first {k} are listed."),
    ("too_many_requests", "请求过于频繁，请稍后再试。", "Too many requests; try again later."),
    ("objection_name", "真实姓名", "Your real name"),
    (
        "objection_phone",
        "联系电话（仅党组织可见，用于核实）",
        "Phone number (seen only by the organisation, to verify)",
    ),
    (
        "objection_real_name",
        "异议须实名提出。党组织受理后才会暂停下一环节；不予受理的会说明理由。",
        "Objections are made in your real name. The next step waits only once the organisation accepts an objection for investigation; a dismissal gives its reason.",
    ),
    ("notice_code", "公示编号", "Notice reference"),
    ("notice_born", "出生年月", "Born"),
    ("notice_address", "也可到党组织当面反映", "You may also object in person at"),
    ("objections_title", "公示异议", "Objections to notices"),
    ("no_objections", "没有异议。", "No objections."),
    ("objection_accept", "受理调查", "Accept for investigation"),
    ("objection_dismiss", "不予受理", "Dismiss"),
    ("objection_reason", "不予受理的理由", "Reason for dismissal"),
    ("objection", "提出异议", "Raise an objection"),
    (
        "objection_hint",
        "请写明具体事实。党组织会逐条核实；受理调查的异议处理完毕前，不进入下一环节。",
        "State the facts. The organisation reviews each objection; one it accepts holds the next step until resolved.",
    ),
    (
        "objection_done",
        "异议已收到，党组织将核实处理，并通过您留下的电话联系您。",
        "Your objection has been received; the organisation will look into it and call you on the number you gave.",
    ),
    ("rules_title", "规则", "Rules"),
    (
        "settings_title",
        "本组织规则设置（地方规定和待核实条款）",
        "Rule settings of this organisation (local and unconfirmed rules)",
    ),
    ("saved", "已保存。", "Saved."),
    ("optional", "选填", "optional"),
    ("correct", "更正", "Correct"),
    ("f_receipt", "备案回执号", "Receipt number"),
    ("f_return_reason", "退回原因", "Reason for returning"),
    (
        "rules_intro",
        "规则引擎检查的每条规则：编号、确定性（C已确认，T文本确认，L地方规定，U待核实）、内容和依据。",
        "Every rule the engine checks: id, status (C confirmed, T text confirmed, L local practice, U unconfirmed), text and source.",
    ),
    ("versions_title", "规则版本", "Rule-set versions"),
    (
        "calendar_hint",
        "每行一条：日期（或 起..止）、“放假”或“上班”、说明。保存前会整体校验。",
        "One line each: a date (or FROM..TO), 放假 (holiday) or 上班 (workday), a note. The whole table is checked before it is saved.",
    ),
    ("training_title", "培训班", "Training classes"),
    ("no_classes", "暂无培训班。", "No classes yet."),
    ("new_class", "新建培训班", "New class"),
    ("days_unit", "天", "days"),
    ("hours_unit", "学时", "class hours"),
    ("attendees", "参训人员", "attendees"),
    ("no_attendance", "尚无参训记录。", "No attendance recorded."),
    ("record_attendance", "记录参训情况", "Record attendance"),
    ("hours_attended", "完成学时", "Class hours completed"),
    ("f_passed", "结业合格", "Passed"),
    ("f_starts_on", "开始日期", "First day"),
    ("f_ends_on", "结束日期", "Last day"),
    ("from_class", "按培训班记录填写", "Fill in from a training class"),
    ("contacts_title", "一对一联系培养", "One-to-one cultivation"),
    (
        "contacts_hint",
        "党委委员与业务骨干结对，按周期联系并记录。",
        "Committee members paired with key staff, in touch at a set cadence.",
    ),
    ("no_contacts", "尚未安排联系人。", "No contacts assigned yet."),
    ("every", "每", "every"),
    ("last_contact", "上次联系", "last contact"),
    ("f_note", "联系情况", "What was discussed"),
    ("assign_contact", "安排联系人", "Assign a contact"),
    ("f_backbone_person", "业务骨干", "Key staff member"),
    ("f_contact_member", "联系人（正式党员）", "Contact (a full member)"),
    ("f_cadence", "联系周期（天）", "Cadence (days)"),
    ("nav_training", "培训", "Training"),
    ("nav_contacts", "一对一联系", "One-to-one"),
    ("import_title", "导入已有发展党员档案", "Import existing dossiers"),
    (
        "import_hint",
        "按模板每行一条记录（身份证号、环节、日期及该环节的字段）；整份文件先全部校验，按原样作为补录记录导入后即可排查。程序上的缺漏（无推荐、未听取意见、无表决记录等）照实导入，由排查发现；只有无法读取或自相矛盾的数据会被拒绝。联系人、介绍人的身份和审批组织的类型由系统按当日记录得出，身份列只用于本系统以外的人员和组织。",
        "One row per record (ID number, step, date and the step's fields) as in the template; the whole file is checked first, then imported as historic (backfill) records to be screened. Procedural faults (no recommendation, no opinions heard, no vote record…) are imported as they are, for the screening to find; only unreadable or self-contradictory data is refused. The standing of contacts and introducers and the kind of the approving organisation come from the records on the day; their columns are only for people and organisations outside this system.",
    ),
    ("import_as_of", "评估日期", "Judged as of"),
    ("import_cases", "逐份档案", "Dossier by dossier"),
    ("import_records", "将记录", "Records"),
    ("import_will_find", "排查将发现", "The screening will find"),
    ("declared_tag", "据申报", "as declared"),
    ("f_branch", "所在支部", "Branch"),
    ("template_xlsx", "下载模板（Excel）", "Template (Excel)"),
    ("template_csv", "下载模板（CSV）", "Template (CSV)"),
    (
        "import_refused",
        "文件有以下问题，未导入任何数据：",
        "The file has these problems; nothing was imported:",
    ),
    ("f_line", "行", "Line"),
    ("f_column", "列", "Column"),
    ("f_reason", "原因", "Reason"),
    ("import_done", "已导入（档案数 / 记录数）", "Imported (dossiers / records)"),
    (
        "import_dry_run",
        "校验通过，尚未导入（档案数 / 记录数）",
        "Checked, not yet imported (dossiers / records)",
    ),
    ("import_file", "文件（xlsx 或 CSV，UTF-8 或 GBK）", "File (xlsx or CSV, UTF-8 or GBK)"),
    (
        "import_apply",
        "校验通过后立即导入（不勾选则只校验）",
        "Import when the check passes (unticked: check only)",
    ),
    ("import_check", "上传并校验", "Upload and check"),
    ("transfers_title", "组织转接", "Hand-overs"),
    ("transfer_out", "转出", "handed over"),
    ("transfer_in", "转入", "received"),
    (
        "objection_throttled",
        "此地址提交异议过于频繁，请稍后再试。",
        "Too many objections from this address; try again later.",
    ),
    ("meetings_title", "组织生活", "Organisational life"),
    ("cadence_title", "今年以来应开会议", "Meetings due this year so far"),
    ("f_period", "周期", "Period"),
    ("meetings_held", "已开会议", "Meetings held"),
    ("no_meetings", "今年尚无会议记录。", "No meetings recorded this year."),
    ("no_first_topic", "未安排第一议题", "no first-topic item"),
    ("record_meeting", "记录会议", "Record a meeting"),
    ("f_topic", "议题", "Topic"),
    ("f_first_topic", "第一议题", "First topic"),
    ("f_speaker", "主讲人/领学人", "Speaker or study leader"),
    ("f_minutes", "会议记录", "Minutes"),
    ("nav_meetings", "组织生活", "Meetings"),
    ("credits_title", "学分送关怀", "Credits for care"),
    ("balance", "学分余额", "Balance"),
    ("benefits_title", "可兑换的关怀", "Care benefits"),
    ("credits_unit", "学分", "credits"),
    ("stock", "剩余", "left"),
    ("redeem", "兑换", "Redeem"),
    ("history", "学分记录", "History"),
    ("redeem_confirm_title", "确认兑换", "Confirm the redemption"),
    ("redeem_confirm", "确认兑换", "Confirm"),
    ("redeem_cancel", "返回", "Back"),
    ("redeem_cost", "所需学分", "Cost"),
    ("balance_now", "现有学分", "Balance now"),
    ("balance_after", "兑换后余额", "Balance after"),
    ("pickup", "领取方式", "Pickup"),
    (
        "pickup_contact",
        "支部书记会联系你，约定领取时间和地点。",
        "The branch secretary will contact you to arrange when and where to pick it up.",
    ),
    ("shortfall_before", "还差", "Short by"),
    ("out_of_stock", "已兑完", "None left"),
    ("nav_credits", "学分", "Credits"),
    ("nav_service", "志愿服务", "Volunteering"),
    ("nav_stats", "统计", "Statistics"),
    ("nav_study", "学习", "Study"),
    ("nav_quiz", "小测试", "Quiz"),
    ("nav_study_admin", "学习内容", "Study content"),
    ("nav_quiz_admin", "测试题库", "Quiz bank"),
    ("quiz_questions", "道题", "questions"),
    ("quiz_minutes", "分钟限时", "minutes"),
    ("quiz_credits", "学分", "credits"),
    ("quiz_credits_earns", "完成即得学分，每个测试只计一次", "credits for completing it, once per quiz"),
    ("quiz_credits_earned", "学分已经得到，每个测试只计一次", "credits earned already: once per quiz"),
    (
        "quiz_credits_capped",
        "本周测试学分已达上限，完成也不再加分",
        "this week's quiz credits are used up: completing it earns none",
    ),
    ("quiz_attempts", "已作答", "attempts"),
    ("quiz_closes", "截止", "closes"),
    ("quiz_start", "开始答题", "Start"),
    ("quiz_again", "再答一次", "Try again"),
    ("quiz_submit_before", "请在此时间前提交", "Submit before"),
    (
        "quiz_scoring",
        "每题 2 分，多选题选对部分且没有选错得 1 分",
        "each question 2 points; part of a multiple choice with nothing wrong earns 1",
    ),
    ("quiz_multiple", "（多选）", " (choose all that apply)"),
    ("quiz_submit", "提交答卷", "Submit"),
    ("quiz_points_of", "得分，满分", "points out of"),
    ("quiz_pt", "分", "pt"),
    ("quiz_chosen_right", "你的选择，正确", "your answer, right"),
    ("quiz_chosen_wrong", "你的选择，错误", "your answer, wrong"),
    ("quiz_missed", "正确答案，你没选", "right answer, not chosen"),
    ("quiz_why", "解析：", "Why: "),
    ("quiz_all", "全部测试", "All quizzes"),
    ("quiz_my_credits", "我的学分", "My credits"),
    ("nav_care_admin", "关怀管理", "Care"),
    ("nav_service_admin", "志愿服务管理", "Volunteer service"),
    ("nav_city", "地图与黄页", "Map and directory"),
    ("nav_badges", "徽章与车贴", "Badges and stickers"),
    ("nav_dues", "党费收缴", "Party dues"),
    ("nav_my_dues", "我的党费", "My dues"),
    ("nav_terms", "班子与换届", "Officers and terms"),
    ("nav_staff", "人力花名册比对", "Staff list"),
    ("nav_portal", "门户", "Portal"),
    ("calendar_title", "工作日历（法定节假日和调休）", "Working-day calendar (holidays and make-up days)"),
    ("back_home", "返回首页", "Back to the home page"),
    (
        "forbidden_where",
        "此页面属于其他组织或其他角色。如确需查看，请联系本组织的管理员为您的账号授权。",
        "This page belongs to another organisation or another role. If you need it, ask your organisation's administrator to give your account access.",
    ),
    (
        "not_found_where",
        "地址可能有误，或记录已被移走。请从首页或上方菜单重新进入。",
        "The address may be wrong, or the record has moved. Start again from the home page or the menu above.",
    ),
];

impl Tr {
    /// A translator for `lang`.
    pub fn new(lang: Lang) -> Self {
        Self { lang }
    }

    /// A phrase by key (the key itself when missing, which a test forbids).
    pub fn s(&self, key: &str) -> &'static str {
        PHRASES
            .iter()
            .find(|(k, _, _)| *k == key)
            .map_or("?", |(_, zh, en)| if self.lang == Lang::En { en } else { zh })
    }

    /// The `lang` attribute value.
    pub fn code(&self) -> &'static str {
        self.lang.code()
    }

    /// Whether the page is in English.
    pub fn is_en(&self) -> bool {
        self.lang == Lang::En
    }

    fn pick(&self, zh: &'static str, en: &'static str) -> &'static str {
        if self.lang == Lang::En { en } else { zh }
    }

    /// One of two texts that come in both languages (rule texts, step names).
    pub fn l(&self, zh: &'static str, en: &'static str) -> &'static str {
        self.pick(zh, en)
    }

    /// An organisation kind.
    pub fn kind(&self, k: &OrgKind) -> &'static str {
        self.pick(k.zh(), k.en())
    }

    /// A status.
    pub fn status(&self, s: &Status) -> &'static str {
        self.pick(s.zh(), s.en())
    }

    /// How a member left.
    pub fn departure(&self, k: &DepartureKind) -> &'static str {
        self.pick(k.zh(), k.en())
    }

    /// A worker category.
    pub fn category(&self, c: &WorkerCategory) -> &'static str {
        self.pick(c.zh(), c.en())
    }

    /// An education level.
    pub fn education(&self, e: &Education) -> &'static str {
        self.pick(e.zh(), e.en())
    }

    /// A gender.
    pub fn gender(&self, g: &Gender) -> &'static str {
        self.pick(g.zh(), g.en())
    }

    /// An age band.
    pub fn band(&self, b: &AgeBand) -> &'static str {
        self.pick(b.zh(), b.en())
    }

    /// An ethnic group's name.
    pub fn ethnicity<'a>(&self, zh: &'a str) -> &'a str {
        if self.lang == Lang::En { pioneer_domain::people::ethnicity::english(zh) } else { zh }
    }

    /// A field's label.
    pub fn field(&self, field: &str) -> &'static str {
        self.pick(pioneer_domain::words::field_zh(field), pioneer_domain::words::field_en(field))
    }

    /// A refusal: the reason in this language, with its rule id when it has one.
    pub fn reason(&self, e: &FieldError) -> String {
        if self.lang == Lang::En { e.reason.en() } else { e.reason.zh() }
    }

    /// "Page n".
    pub fn page(&self, n: &u32) -> String {
        self.s("page").replace("{}", &n.to_string())
    }

    /// A yes/no.
    pub fn yes_no(&self, b: &bool) -> &'static str {
        if *b { self.s("yes") } else { self.s("no") }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phrase_keys_are_unique_and_translated() {
        for (i, (k, zh, en)) in PHRASES.iter().enumerate() {
            assert!(PHRASES[i + 1..].iter().all(|(k2, _, _)| k2 != k), "duplicate key {k}");
            assert!(!zh.is_empty() && !en.is_empty(), "{k}");
        }
    }

    #[test]
    fn language_comes_from_the_cookie_or_accept_language() {
        let mut h = HeaderMap::new();
        assert_eq!(Lang::from_cookies(&h), Lang::Zh);
        h.insert(header::COOKIE, "a=b; lang=en".parse().unwrap());
        assert_eq!(Lang::from_cookies(&h), Lang::En);
        h.insert(header::ACCEPT_LANGUAGE, "en-GB,en;q=0.9".parse().unwrap());
        assert_eq!(Lang::from_accept(&h), Lang::En);
        h.insert(header::ACCEPT_LANGUAGE, "zh-CN".parse().unwrap());
        assert_eq!(Lang::from_accept(&h), Lang::Zh);
    }
}
