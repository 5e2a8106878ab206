//! The auditor's page: the journal verified end to end, its chain heads to keep elsewhere,
//! and its entries in plain columns (time, account, role, action, object, result) filtered by
//! date, account, action and object, paged with the total, and downloaded as xlsx or CSV.
//! Sensitive values appear only as keyed hashes; an auditor scoped below the whole
//! deployment reads only the chains of their own committees.

use crate::AppState;
use crate::api::query::ApiQuery;
use crate::auth::Who;
use crate::error::AppError;
use crate::forms::FormErrors;
use crate::i18n::Tr;
use crate::pages::{Chrome, html_status};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use jiff::civil::Date;
use pioneer_domain::accounts::access::Permission;
use pioneer_domain::{FieldError, Reason, ValidationErrors};
use pioneer_store::journal::{Entry, JournalFilter};
use std::collections::HashMap;
use uuid::Uuid;

/// Entries a page shows.
const PER_PAGE: u32 = 50;
/// Entries a download holds at most.
const DOWNLOAD_MOST: u32 = 50_000;

/// `?from=YYYY-MM-DD&to=YYYY-MM-DD&actor=NAME&verb=view|create|change|delete|command|refused
/// &entity=KIND&page=N&format=xlsx|csv`, every part optional.
#[derive(Debug, Default, Clone, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct JournalQuery {
    /// First day (China time), inclusive.
    pub from: Option<String>,
    /// Last day (China time), inclusive.
    pub to: Option<String>,
    /// An account's name exactly, or `cli` for commands.
    pub actor: Option<String>,
    /// What was done: view, create, change, delete, command or refused.
    pub verb: Option<String>,
    /// The kind of object (`person`, `meeting`, …).
    pub entity: Option<String>,
    /// Page, from 1.
    pub page: Option<u32>,
    /// The page only: `xlsx` or `csv` for a download of every matching entry.
    #[serde(default)]
    #[param(ignore)]
    pub format: String,
}

/// The kinds of action an auditor filters by: code, Chinese, English, the routes' prefixes
/// (a command is any action that is not a route; a refusal is its own kind of object).
const VERBS: [(&str, &str, &str, &[&str]); 6] = [
    ("view", "查看", "viewed", &["GET "]),
    ("create", "新增/提交", "created or submitted", &["POST "]),
    ("change", "修改", "changed", &["PUT ", "PATCH "]),
    ("delete", "删除", "deleted", &["DELETE "]),
    ("command", "系统命令", "command", &[]),
    ("refused", "越权访问（已拒绝）", "refused access", &[]),
];

/// How a route's action begins (`GET /people`): everything else is a command.
const ROUTE_PREFIXES: [&str; 6] = ["GET ", "HEAD ", "POST ", "PUT ", "PATCH ", "DELETE "];

/// The kinds of object entries concern: code, Chinese, English.
const ENTITIES: [(&str, &str, &str); 67] = [
    ("access_denied", "越权访问", "refused access"),
    ("application", "入党申请书", "application"),
    ("badge", "党员徽章/车贴", "badge or sticker"),
    ("badge_feedback", "群众表扬与投诉", "citizen feedback"),
    ("bench_riders", "压测账号", "benchmark riders"),
    ("campaign", "专项行动", "campaign"),
    ("campaign_published", "专项行动公开", "campaign publication"),
    ("care_benefit", "关怀项目", "care benefit"),
    ("care_redemption", "积分兑换", "redemption"),
    ("citizen_signup", "群众志愿报名", "citizen's offer"),
    ("contact_link", "入党联系人", "contact"),
    ("contact_visit", "联系人谈话", "contact visit"),
    ("course", "学习内容", "course"),
    ("course_reach", "学习记录", "study record"),
    ("credit_entry", "积分记录", "credit entry"),
    ("credit_rules", "积分规则", "credit rules"),
    ("departure", "党员离开", "departure"),
    ("dev_settings", "发展党员设置", "development settings"),
    ("directory_entry", "手机黄页条目", "directory entry"),
    ("discipline", "党纪处分", "discipline"),
    ("distribution", "捐赠发放", "distribution"),
    ("donation", "捐赠", "donation"),
    ("dossier", "发展党员档案", "dossier"),
    ("dossier_event", "发展步骤", "dossier step"),
    ("dossiers_batch", "档案批量导入", "dossier import"),
    ("dues_batch", "党费批量生成", "generated dues"),
    ("dues_excusal", "党费未交理由", "dues month excused"),
    ("dues_order", "党费线上支付单", "online dues order"),
    ("dues_payment", "党费交纳", "dues payment"),
    ("dues_profile", "党费基数", "dues profile"),
    ("dues_remittance", "党费上缴", "dues remittance"),
    ("grant", "角色授权", "role grant"),
    ("image", "图片", "image"),
    ("key_rotation", "密钥轮换", "key rotation"),
    ("map_districts", "地图区界", "map districts"),
    ("meeting", "会议", "meeting"),
    ("news_article", "门户新闻", "portal article"),
    ("objection", "公示异议", "objection"),
    ("officer", "班子成员任职", "officer's post"),
    ("organization", "党组织", "organisation"),
    ("orglife_settings", "会议周期设置", "meeting cadence"),
    ("people_batch", "人员批量导入", "people import"),
    ("person", "人员", "person"),
    ("place", "地图地点", "map place"),
    ("portal_settings", "门户设置", "portal settings"),
    ("quiz", "测试", "quiz"),
    ("quiz_batch", "答题批次", "quiz batch"),
    ("quiz_question", "试题", "question"),
    ("reflection", "心得体会", "reflection"),
    ("roster_export", "花名册导出", "roster export"),
    ("roster_import", "花名册导入", "roster import"),
    ("service_request", "服务需求", "service request"),
    ("service_request_confirmed", "服务需求确认", "request confirmed"),
    ("shift", "服务班次", "shift"),
    ("shift_check_in", "班次签到", "shift check-in"),
    ("shift_check_out", "班次签退", "shift check-out"),
    ("shift_hours", "服务时长确认", "hours confirmed"),
    ("shift_signup", "班次报名", "shift sign-up"),
    ("staff_list", "人力花名册", "staff list"),
    ("staff_settings", "花名册保留期限", "staff list retention"),
    ("staff_todo", "花名册比对待办", "staff-list to-do"),
    ("term", "换届", "term of office"),
    ("training_attendance", "培训出勤", "training attendance"),
    ("training_class", "培训班", "training class"),
    ("user", "账号", "account"),
    ("volunteer", "志愿者", "volunteer"),
    ("volunteer_team", "志愿服务队", "volunteer team"),
];

/// The areas of the product a route belongs to (its first segment): segment, Chinese, English.
const AREAS: [(&str, &str, &str); 45] = [
    ("account", "本人账号", "own account"),
    ("applications", "入党申请书", "applications"),
    ("admin", "系统管理", "administration"),
    ("care", "关怀", "care"),
    ("contacts", "入党联系人", "contacts"),
    ("courses", "学习内容", "courses"),
    ("credits", "积分", "credits"),
    ("dossiers", "发展党员", "dossiers"),
    ("filings", "报备", "filings"),
    ("images", "图片", "images"),
    ("journal", "操作日志", "journal"),
    ("login", "登录", "sign-in"),
    ("logout", "退出", "sign-out"),
    ("me", "本人信息", "own record"),
    ("meetings", "组织生活", "meetings"),
    ("notices", "公示", "notices"),
    ("objections", "公示异议", "objections"),
    ("organizations", "党组织", "organisations"),
    ("orgs", "党组织", "organisations"),
    ("people", "人员", "people"),
    ("quiz", "测试", "quiz"),
    ("quizzes", "测试题库", "quiz bank"),
    ("reflections", "心得体会", "reflections"),
    ("rules", "规则", "rules"),
    ("screening", "排查", "screening"),
    ("service", "志愿服务", "volunteer service"),
    ("campaigns", "专项行动", "campaigns"),
    ("stats", "统计", "statistics"),
    ("study", "学习", "study"),
    ("training", "培训", "training"),
    ("work-queue", "工作队列", "work queue"),
    ("portal", "门户", "portal"),
    ("city", "城市服务", "city services"),
    ("v", "徽章核验", "badge verification"),
    ("verify", "徽章核验", "badge verification"),
    ("badges", "徽章与车贴", "badges"),
    ("badge-feedback", "群众表扬与投诉", "citizen feedback"),
    ("directory", "手机黄页", "directory"),
    ("places", "服务地图", "map"),
    ("districts", "地图区界", "map districts"),
    ("", "首页", "home"),
    ("dues", "党费", "dues"),
    ("staff", "人力花名册", "staff list"),
    ("terms", "换届", "terms"),
    ("officers", "班子", "officers"),
];

/// One entry as the auditor reads it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Line {
    /// When, China time.
    pub at: String,
    /// The account, or the command line's marker.
    pub actor: String,
    /// The account's roles.
    pub role: String,
    /// What was done, in words.
    pub action: String,
    /// What it was done to, in words.
    pub object: String,
    /// Done or refused.
    pub result: &'static str,
    /// The route or command as recorded.
    pub route: String,
    /// The chain and place.
    pub chain: String,
    /// The object's id.
    pub object_id: String,
}

/// The filter read from the query, or each bad field.
fn read_filter(q: &JournalQuery, who: &Who) -> Result<JournalFilter, ValidationErrors> {
    let mut errors = Vec::new();
    let day = |field: &'static str, raw: &Option<String>, errors: &mut Vec<FieldError>| -> Option<Date> {
        let raw = raw.as_deref().map(str::trim).filter(|r| !r.is_empty())?;
        match raw.parse::<Date>() {
            Ok(d) if d.year() >= 2000 => Some(d),
            _ => {
                errors.push(FieldError::new(field, Reason::BadDate));
                None
            }
        }
    };
    let ms = |d: Date| d.to_zoned(crate::clock::china()).map(|z| z.timestamp().as_millisecond()).ok();
    let from = day("from", &q.from, &mut errors);
    let to = day("to", &q.to, &mut errors);
    let mut f = JournalFilter {
        from_ms: from.and_then(ms),
        until_ms: to.and_then(|d| d.tomorrow().ok()).and_then(ms),
        actor: q.actor.as_deref().map(str::trim).filter(|a| !a.is_empty()).map(str::to_owned),
        ..JournalFilter::default()
    };
    match q.verb.as_deref().map(str::trim).unwrap_or_default() {
        "" => {}
        "refused" => f.entity = Some("access_denied".into()),
        "command" => f.not_action_prefixes = ROUTE_PREFIXES.iter().map(|p| (*p).to_owned()).collect(),
        v => match VERBS.iter().find(|(code, ..)| *code == v) {
            Some((.., prefixes)) => f.action_prefixes = prefixes.iter().map(|p| (*p).to_owned()).collect(),
            None => errors.push(FieldError::new("verb", Reason::UnknownChoice)),
        },
    }
    match q.entity.as_deref().map(str::trim).unwrap_or_default() {
        "" => {}
        e if ENTITIES.iter().any(|(code, ..)| *code == e) => {
            if f.entity.as_deref().is_some_and(|x| x != e) {
                errors.push(FieldError::new("entity", Reason::UnknownChoice));
            }
            f.entity = Some(e.to_owned());
        }
        _ => errors.push(FieldError::new("entity", Reason::UnknownChoice)),
    }
    // An auditor below the whole deployment reads the chains of their own committees only.
    let scopes = who.user.scopes(Permission::ReadJournal);
    if !scopes.contains(&"/") {
        let tenants =
            scopes.iter().filter_map(|p| pioneer_domain::orgs::ancestors(p).first().copied()).collect();
        f.tenants = Some(tenants);
    }
    if errors.is_empty() { Ok(f) } else { Err(ValidationErrors(errors)) }
}

/// What was done, in words: the kind of action and the area (`查看 · 学习`), or the command.
fn action_words(t: &Tr, e: &Entry) -> String {
    if e.entity == "access_denied" {
        return t.l("越权访问", "access outside scope").to_owned();
    }
    let Some((method, path)) =
        e.action.split_once(' ').filter(|(m, _)| m.chars().all(|c| c.is_ascii_uppercase()))
    else {
        return t.l("系统命令", "command").to_owned();
    };
    let verb = VERBS
        .iter()
        .find(|(.., prefixes)| prefixes.iter().any(|p| p.trim() == method))
        .map_or(method, |(_, zh, en, _)| t.l(zh, en));
    let segment = path.trim_start_matches("/api/v1").trim_start_matches('/').split(['/', '.', '?']).next();
    let area = AREAS.iter().find(|(s, ..)| Some(*s) == segment).map_or("", |(_, zh, en)| t.l(zh, en));
    if area.is_empty() { verb.to_owned() } else { format!("{verb} · {area}") }
}

/// The kind of object in words.
fn entity_words(t: &Tr, entity: &str) -> String {
    ENTITIES
        .iter()
        .find(|(code, ..)| *code == entity)
        .map_or(entity.to_owned(), |(_, zh, en)| t.l(zh, en).to_owned())
}

/// The entries `q` asks for (a page, or up to [`DOWNLOAD_MOST`] for a download) in plain
/// words, with the total matching: what the page, its download and the API show.
async fn lines(
    s: &AppState,
    t: &Tr,
    filter: &JournalFilter,
    page: u32,
    per_page: u32,
) -> Result<(Vec<Line>, u64, bool), AppError> {
    let found = s.store.journal_page(filter, page, per_page).await?;
    let mut roles: HashMap<String, String> = HashMap::new();
    let mut names: HashMap<Uuid, String> = HashMap::new();
    let mut out = Vec::with_capacity(found.entries.len());
    for e in found.entries {
        if !roles.contains_key(&e.actor) {
            let role = match s.store.user_by_name(&e.actor).await? {
                Some(u) => {
                    let mut r: Vec<_> = s.store.grants_of(u.id).await?.into_iter().map(|g| g.role).collect();
                    r.sort();
                    r.dedup();
                    r.iter().map(|r| t.l(r.zh(), r.en())).collect::<Vec<_>>().join("、")
                }
                None if e.actor == "cli" => t.l("系统命令", "command line").to_owned(),
                None => "—".to_owned(),
            };
            roles.insert(e.actor.clone(), role);
        }
        let mut object = entity_words(t, &e.entity);
        if let Some(id) = e.entity_id {
            if let std::collections::hash_map::Entry::Vacant(slot) = names.entry(id) {
                let name = match e.entity.as_str() {
                    "person" | "departure" | "discipline" => {
                        s.store.person(id).await.ok().map(|p| p.fields.name)
                    }
                    "organization" => s.store.org(id).await.ok().map(|o| o.fields.name),
                    _ => None,
                };
                let short = id.simple().to_string();
                slot.insert(name.unwrap_or_else(|| short[short.len() - 8..].to_uppercase()));
            }
            object = format!("{object} {}", names[&id]);
        }
        let at = jiff::Timestamp::from_millisecond(e.at)
            .map(|ts| ts.to_zoned(crate::clock::china()).strftime("%Y-%m-%d %H:%M:%S").to_string())
            .unwrap_or_default();
        out.push(Line {
            at,
            role: roles[&e.actor].clone(),
            action: action_words(t, &e),
            object,
            result: if e.entity == "access_denied" {
                t.l("已拒绝", "refused")
            } else {
                t.l("已完成", "done")
            },
            chain: format!("{}:{}", e.tenant_id, e.seq),
            object_id: e.entity_id.map(|i| i.to_string()).unwrap_or_default(),
            route: e.action,
            actor: e.actor,
        });
    }
    Ok((out, found.total, found.total_capped))
}

#[derive(Template)]
#[template(path = "journal.html")]
struct JournalPage {
    c: Chrome,
    entries: u64,
    chains: u64,
    broken: Option<String>,
    /// What the signed checkpoints vouch for, in words.
    checkpoint: String,
    /// No checkpoint yet: a cut tail would not be seen.
    unprotected: bool,
    heads: Vec<String>,
    q: JournalQuery,
    errors: FormErrors,
    verbs: Vec<(&'static str, &'static str)>,
    entities: Vec<(String, String)>,
    lines: Vec<Line>,
    total: u64,
    capped: bool,
    page: u32,
    has_next: bool,
    /// The filter as a query string (without the page), for the pager and the downloads.
    query: String,
}

/// The filter's parts as a query string, without the page and format.
fn query_string(q: &JournalQuery) -> String {
    let parts =
        [("from", &q.from), ("to", &q.to), ("actor", &q.actor), ("verb", &q.verb), ("entity", &q.entity)];
    parts
        .iter()
        .filter_map(|(k, v)| {
            v.as_deref().filter(|v| !v.is_empty()).map(|v| format!("{k}={}", crate::forms::encode(v)))
        })
        .collect::<Vec<_>>()
        .join("&")
}

/// The column heads of the table and the download.
fn header(t: &Tr) -> Vec<String> {
    [
        ("时间", "Time"),
        ("账号", "Account"),
        ("角色", "Role"),
        ("操作", "Action"),
        ("对象", "Object"),
        ("结果", "Result"),
        ("路由或命令", "Route or command"),
        ("链与序号", "Chain and place"),
        ("对象编号", "Object id"),
    ]
    .iter()
    .map(|(zh, en)| t.l(zh, en).to_owned())
    .collect()
}

/// `GET /journal[?from=&to=&actor=&verb=&entity=&page=][&format=xlsx|csv]`.
pub async fn show(
    State(s): State<AppState>,
    c: Chrome,
    who: Who,
    ApiQuery(q): ApiQuery<JournalQuery>,
) -> Result<Response, AppError> {
    let download = matches!(q.format.as_str(), "xlsx" | "csv");
    let (filter, errors) = match read_filter(&q, &who) {
        Ok(f) => (f, FormErrors::default()),
        Err(e) if !download => {
            (JournalFilter { tenants: Some(Vec::new()), ..Default::default() }, FormErrors::new(&e, &c.t))
        }
        Err(e) => return Err(AppError::Invalid(e)),
    };
    if download {
        let (rows, ..) = lines(&s, &c.t, &filter, 1, DOWNLOAD_MOST).await?;
        let rows: Vec<Vec<String>> = rows
            .into_iter()
            .map(|l| {
                vec![
                    l.at,
                    l.actor,
                    l.role,
                    l.action,
                    l.object,
                    l.result.to_owned(),
                    l.route,
                    l.chain,
                    l.object_id,
                ]
            })
            .collect();
        return crate::pages::table_download(
            &q.format,
            "操作日志",
            ["journal.csv", "journal.xlsx"],
            &header(&c.t),
            &rows,
        );
    }
    let audit = s.store.audit_journal(None).await?;
    let checkpoint = checkpoint_words(&c.t, &audit);
    let verified = audit.verification;
    let heads = s
        .store
        .journal_heads()
        .await?
        .iter()
        .map(|h| format!("{}:{}:{}", h.tenant_id, h.seq, h.hash))
        .collect();
    let page = q.page.unwrap_or(1).max(1);
    let (lines, total, capped) = lines(&s, &c.t, &filter, page, PER_PAGE).await?;
    let mut entities: Vec<(String, String)> =
        s.store.journal_entities().await?.into_iter().map(|e| (entity_words(&c.t, &e), e)).collect();
    entities.sort();
    let p = JournalPage {
        entries: verified.entries,
        chains: verified.chains,
        broken: verified.broken.map(|b| b.to_string()),
        checkpoint,
        unprotected: audit.unprotected,
        heads,
        verbs: VERBS.iter().map(|(code, zh, en, _)| (*code, c.t.l(zh, en))).collect(),
        entities,
        has_next: u64::from(page) * u64::from(PER_PAGE) < total,
        total,
        capped,
        page,
        query: query_string(&q),
        lines,
        q,
        c,
        errors,
    };
    let status = if p.errors.any() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    Ok(html_status(status, p.render()?))
}

/// The journal verified end to end (entries, chains, the first broken link if any), the
/// chain heads to keep elsewhere, and a page of entries (newest first, 50 a page) filtered
/// by date, account, kind of action and object, each in plain words beside the route
/// recorded, with the total matching: what the auditor's page shows. A bad filter is
/// refused by field (422).
#[utoipa::path(get, path = "/api/v1/journal", params(JournalQuery),
    responses((status = 200, body = Object), (status = 401, body = crate::error::Problem, content_type = "application/problem+json"), (status = 403, body = crate::error::Problem, content_type = "application/problem+json"), (status = 422, body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn api(
    State(s): State<AppState>,
    c: Chrome,
    who: Who,
    ApiQuery(q): ApiQuery<JournalQuery>,
) -> Result<axum::Json<serde_json::Value>, AppError> {
    let filter = read_filter(&q, &who).map_err(AppError::Invalid)?;
    let audit = s.store.audit_journal(None).await?;
    let checkpoint = checkpoint_words(&c.t, &audit);
    let verified = audit.verification;
    let heads: Vec<serde_json::Value> = s
        .store
        .journal_heads()
        .await?
        .iter()
        .map(|h| serde_json::json!({ "tenant_id": h.tenant_id, "seq": h.seq, "hash": h.hash }))
        .collect();
    let page = q.page.unwrap_or(1).max(1);
    let (lines, total, capped) = lines(&s, &c.t, &filter, page, PER_PAGE).await?;
    Ok(axum::Json(serde_json::json!({
        "entries": verified.entries, "chains": verified.chains, "broken": verified.broken.map(|b| b.to_string()),
        "heads": heads, "page": page, "total": total, "total_capped": capped, "latest": lines,
        "checkpoints": audit.checkpoints, "latest_checkpoint_ms": audit.latest_at, "unprotected": audit.unprotected,
        "checkpoint": checkpoint,
    })))
}

/// What the signed checkpoints vouch for, in the reader's language.
fn checkpoint_words(t: &Tr, a: &pioneer_store::checkpoint::Audit) -> String {
    match a.latest_at.and_then(|ms| jiff::Timestamp::from_millisecond(ms).ok()) {
        Some(at) => {
            let at = at.to_zoned(jiff::tz::TimeZone::fixed(jiff::tz::offset(8))).strftime("%Y-%m-%d %H:%M").to_string();
            match t.lang {
                crate::i18n::Lang::Zh => format!("已对照最新签名检查点（{at}，共 {} 个）核对：之后写入的条目由其认证码保护", a.checkpoints),
                crate::i18n::Lang::En => format!(
                    "Checked against the latest signed checkpoint ({at}, {} in all): entries written after it are protected by their authentication codes",
                    a.checkpoints
                ),
            }
        }
        None => t
            .l(
                "尚无签名检查点：从链尾删去的条目无法发现。服务运行时会定期写入，也可由管理员在命令行立即写入。",
                "No signed checkpoint yet: entries cut from the end of a chain would not be seen. The server writes them periodically; or run pioneer journal checkpoint.",
            )
            .to_owned(),
    }
}

/// Every business row reconciled with the journal and the invariants checked (one
/// function for the page and the API).
pub async fn run_check(s: &AppState) -> Result<pioneer_store::check::CheckReport, AppError> {
    Ok(s.store.check().await?)
}

#[derive(Template)]
#[template(path = "journal_check.html")]
struct CheckPage {
    c: Chrome,
    report: pioneer_store::check::CheckReport,
    /// (table in words, id, the difference in words).
    rows: Vec<(&'static str, String, String)>,
}

/// A covered table in the reader's words.
fn table_words(t: &Tr, table: &str) -> &'static str {
    let (zh, en) = match table {
        "organizations" => ("党组织", "organisation"),
        "people" => ("人员", "person"),
        "dossiers" => ("发展档案", "dossier"),
        "dossier_events" => ("档案事件", "dossier event"),
        "credit_accounts" => ("积分账户", "credit account"),
        "credit_entries" => ("积分账目", "credit entry"),
        "care_benefits" => ("关爱物品", "care benefit"),
        "care_redemptions" => ("兑换记录", "redemption"),
        "meetings" => ("会议", "meeting"),
        "departures" => ("离开记录", "departure"),
        "party_discipline" => ("党纪处分", "discipline"),
        _ => ("其他", "other"),
    };
    t.l(zh, en)
}

/// `POST /journal/check`: the auditor's button; the differences listed by table and id.
pub async fn check_page(State(s): State<AppState>, c: Chrome) -> Result<Response, AppError> {
    let report = run_check(&s).await?;
    let rows = report
        .differences
        .iter()
        .map(|d| {
            let what = if c.t.lang == crate::i18n::Lang::Zh { d.zh.clone() } else { d.what.clone() };
            (table_words(&c.t, &d.table), d.id.to_string(), what)
        })
        .collect();
    Ok(html_status(StatusCode::OK, CheckPage { c, report, rows }.render()?))
}

/// Reconciles every business row with the last state the journal wrote for it, and checks
/// the invariants (credit balances and their ledgers, stock and redemptions, dossiers and
/// their events, statuses and departures): every difference by table and id (the first
/// 1,000 listed, all counted).
#[utoipa::path(post, path = "/api/v1/journal/check",
    responses((status = 200, body = Object), (status = 401, body = crate::error::Problem, content_type = "application/problem+json"), (status = 403, body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn check_api(
    State(s): State<AppState>,
) -> Result<axum::Json<pioneer_store::check::CheckReport>, AppError> {
    Ok(axum::Json(run_check(&s).await?))
}
