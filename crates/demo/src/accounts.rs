//! The demo's accounts, one per role that runs the system, and the demo rider with his
//! credits, study and quiz (their second factor waived: demo only).

use pioneer_domain::accounts::access::Role;
use pioneer_store::accounts::NewUser;
use pioneer_store::{Act, Store, StoreError};

/// The password of every demo account (printed at start; demo data only).
pub const DEMO_PASSWORD: &str = "Demo@Shenzhen2026";

/// One demo account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoAccount {
    /// Login name.
    pub username: &'static str,
    /// Name shown.
    pub display_name: &'static str,
    /// Role.
    pub role: Role,
    /// Where (None = the whole deployment).
    pub org_name: Option<&'static str>,
}

/// The demo's accounts: one per role that runs the system.
pub const DEMO_ACCOUNTS: &[DemoAccount] = &[
    DemoAccount {
        username: "admin", display_name: "系统管理员", role: Role::SystemAdmin, org_name: None
    },
    DemoAccount {
        username: "security",
        display_name: "安全管理员",
        role: Role::SecurityAdmin,
        org_name: None,
    },
    DemoAccount { username: "auditor", display_name: "审计员", role: Role::Auditor, org_name: None },
    DemoAccount {
        username: "organiser",
        display_name: "何桂胜（组织员）",
        role: Role::Organiser,
        org_name: Some(crate::DEMO_ROOT_NAME),
    },
    DemoAccount {
        username: "committee.admin",
        display_name: "工委组织管理员",
        role: Role::OrgAdmin,
        org_name: Some(crate::DEMO_ROOT_NAME),
    },
    DemoAccount {
        username: "tencent.admin",
        display_name: "腾讯党委组织管理员",
        role: Role::OrgAdmin,
        org_name: Some("中共腾讯公司委员会"),
    },
    DemoAccount {
        username: "tencent.secretary",
        display_name: "赵重庆（书记）",
        role: Role::Secretary,
        org_name: Some("腾讯数据平台部第三党支部"),
    },
    DemoAccount {
        username: "meituan.secretary",
        display_name: "美团骑手支部书记",
        role: Role::Secretary,
        org_name: Some(DEMO_RIDER_BRANCH),
    },
];

/// The demo rider's login name (a member who sees only himself).
pub const DEMO_RIDER: &str = "rider";

/// The demo applicant's login name (a rider, not a member, who may apply online).
pub const DEMO_APPLICANT: &str = "applicant";

/// The letter a demo rider sent online.
const DEMO_LETTER: &str = "敬爱的党组织：我是美团南山科技园站的一名骑手。在站点的“暖蜂驿站”里，我看到党员骑手总是冲在前面，\
帮助新人、参加志愿服务。我志愿加入中国共产党，拥护党的纲领，遵守党的章程，履行党员义务，请党组织在实践中考验我。";

/// The riders' mobile branch the demo rider belongs to.
pub const DEMO_RIDER_BRANCH: &str = "美团骑手流动党支部（南山科技园站）";

/// Creates the demo accounts that do not exist yet, each with `password_hash` (the hash of
/// [`DEMO_PASSWORD`]); returns those created.
pub async fn ensure_demo_accounts(
    store: &Store,
    password_hash: &str,
    act: &Act,
) -> Result<Vec<DemoAccount>, StoreError> {
    let orgs = store.orgs(None).await?;
    let hash = password_hash.to_owned();
    let mut created = Vec::new();
    for a in DEMO_ACCOUNTS {
        if store.user_by_name(a.username).await?.is_some() {
            continue;
        }
        let org = match a.org_name {
            Some(name) => match orgs.iter().find(|o| o.fields.name == name) {
                Some(o) => Some(o.id),
                None => continue,
            },
            None => None,
        };
        let new = NewUser {
            username: a.username,
            display_name: a.display_name,
            password_hash: &hash,
            must_change_password: false,
            grants: &[(a.role, org)],
            person_id: None,
        };
        store.create_user(&new, act).await?;
        created.push(a.clone());
    }
    // A rider of the Meituan mobile branch signs in as himself (self-service).
    if store.user_by_name(DEMO_RIDER).await?.is_none()
        && let Some(branch) = orgs.iter().find(|o| o.fields.name == DEMO_RIDER_BRANCH)
    {
        let filter = pioneer_store::people::PeopleFilter {
            org: Some(branch.id),
            status: Some(pioneer_domain::people::Status::FullMember),
            ..Default::default()
        };
        let today = act.at.to_zoned(jiff::tz::TimeZone::fixed(jiff::tz::Offset::constant(8))).date();
        if let Some(p) = store.search_people(&filter, today, 1, 1).await?.people.first() {
            let new = NewUser {
                username: DEMO_RIDER,
                display_name: &p.fields.name,
                password_hash: &hash,
                must_change_password: false,
                grants: &[(Role::Member, Some(branch.id))],
                person_id: Some(p.id),
            };
            store.create_user(&new, act).await?;
            demo_credits(store, p.id, p.tenant_id, today, act).await?;
            // The demo rider first, then the other members of the branch.
            let members: Vec<uuid::Uuid> = std::iter::once(p.id)
                .chain(store.member_choices(&branch.path, 40).await?.into_iter().map(|(id, _, _)| id))
                .filter({
                    let mut seen = std::collections::HashSet::new();
                    move |id| seen.insert(*id)
                })
                .collect();
            crate::study::seed_demo_study(store, p.tenant_id, branch.id, &members, act.at, today, act)
                .await?;
            crate::service::seed_demo_service(store, p.id, today, act).await?;
            crate::city::seed_demo_city(store, today, act).await?;
            crate::housekeeping::seed_demo_housekeeping(store, today, act).await?;
        }
    }
    // A rider of the same branch, not a member and not in the procedure, applies online.
    if store.user_by_name(DEMO_APPLICANT).await?.is_none()
        && let Some(branch) = orgs.iter().find(|o| o.fields.name == DEMO_RIDER_BRANCH)
    {
        let filter = pioneer_store::people::PeopleFilter {
            org: Some(branch.id),
            status: Some(pioneer_domain::people::Status::NonMember),
            ..Default::default()
        };
        let today = act.at.to_zoned(jiff::tz::TimeZone::fixed(jiff::tz::Offset::constant(8))).date();
        let mut applicant = None;
        for p in store.search_people(&filter, today, 1, 50).await?.people {
            if store.dossier_of_person(p.id).await?.is_some() {
                continue;
            }
            // The first such rider has sent a letter online the week before: it waits for
            // the branch; the next one is the demo applicant, who has not applied yet.
            if applicant.is_none() {
                let letter = pioneer_domain::development::application::parse(DEMO_LETTER, b"")
                    .map_err(StoreError::Invalid)?;
                let sent = today.checked_sub(jiff::Span::new().days(5)).unwrap_or(today);
                store.submit_application(p.id, &letter, sent, act).await?;
                applicant = Some(p.id);
                continue;
            }
            let new = NewUser {
                username: DEMO_APPLICANT,
                display_name: &p.fields.name,
                password_hash: &hash,
                must_change_password: false,
                grants: &[(Role::Applicant, Some(branch.id))],
                person_id: Some(p.id),
            };
            store.create_user(&new, act).await?;
            break;
        }
    }
    Ok(created)
}

/// The demo rider's credits: three weekly quizzes, and two care benefits to spend them on.
async fn demo_credits(
    store: &Store,
    rider: uuid::Uuid,
    tenant: uuid::Uuid,
    today: jiff::civil::Date,
    act: &Act,
) -> Result<(), StoreError> {
    use pioneer_domain::care::ledger::{EarnRule, Source};
    use pioneer_store::care::credits::CreditRequest;
    use pioneer_store::care::credits::NewCareBenefit;
    let insurance =
        NewCareBenefit { name: "骑手意外险（一年）", cost: 50, stock: 5, price: 60, budget: 3000 };
    store.create_benefit(tenant, &insurance, act).await?;
    let pack = NewCareBenefit { name: "暖心关爱包", cost: 20, stock: 30, price: 30, budget: 900 };
    store.create_benefit(tenant, &pack, act).await?;
    let card =
        NewCareBenefit {
            name: "城市通勤乘车卡（50元）", cost: 30, stock: 20, price: 50, budget: 1000
        };
    store.create_benefit(tenant, &card, act).await?;
    let quiz = EarnRule { source: Source::Quiz, amount: 10, daily_cap: 10, weekly_cap: 10 };
    for weeks in [3i64, 2, 1] {
        let on = today.checked_sub(jiff::Span::new().weeks(weeks)).unwrap_or(today);
        store.credit(rider, &format!("demo-quiz-{weeks}"), &CreditRequest::Earn(quiz), on, act).await?;
    }
    Ok(())
}
