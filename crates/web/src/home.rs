//! The home page, one per role: a member's week (the quiz, the study to continue, the
//! credits, their own membership progress), a secretary's and an organiser's work due (cases
//! with a step due this week, filings waiting, meetings), an auditor's journal, and the
//! people figures for those who may read people. Every tile leads where the role may go.

use crate::AppState;
use crate::auth::Who;
use crate::error::AppError;
use crate::pages::{Chrome, html};
use askama::Template;
use axum::extract::State;
use axum::response::Response;
use pioneer_domain::accounts::access::Permission;
use pioneer_domain::people::Status;

/// One tile: a heading, the figure or title it shows, a line under it, and where it leads.
struct Tile {
    heading: &'static str,
    value: String,
    note: String,
    href: String,
}

/// Open organisations, people, and people by status.
type PeopleFigures = (i64, i64, Vec<(Status, i64)>);

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    c: Chrome,
    tiles: Vec<Tile>,
    people: Option<PeopleFigures>,
    may_orgs: bool,
}

/// `GET /`.
pub async fn show(State(s): State<AppState>, c: Chrome, who: Who) -> Result<Response, AppError> {
    let mut tiles = Vec::new();
    if who.user.person_id.is_some() && who.user.can(Permission::ReadSelf) {
        member_tiles(&s, &c, &who, &mut tiles).await?;
    }
    if who.user.can(Permission::WriteDossiers) || who.user.can(Permission::ReadDossiers) {
        work_tiles(&s, &c, &who, &mut tiles).await?;
    }
    if who.user.can(Permission::ReadJournal) {
        tiles.push(Tile {
            heading: c.t.l("操作日志", "Journal"),
            value: c.t.l("查看与核验", "Read and verify").to_owned(),
            note: c
                .t
                .l("每一次写入的记录，按时间、账号和对象筛选", "Every write, by time, account and object")
                .to_owned(),
            href: "/journal".into(),
        });
    }
    let people = if who.user.can(Permission::ReadPeople) {
        let by_status = s.store.count_by_status(who.user.home_org(Permission::ReadPeople)).await?;
        let total = by_status.iter().map(|(_, n)| n).sum();
        let mut orgs = 0;
        for scope in who.user.scopes(Permission::ReadOrgs) {
            orgs += s.store.count_open_orgs(scope).await?;
        }
        Some((orgs, total, by_status))
    } else {
        None
    };
    let may_orgs = who.user.can(Permission::ReadOrgs);
    Ok(html(HomePage { c, tiles, people, may_orgs }.render()?))
}

/// A member's week: the quiz open now, the first course not finished, the credits, and
/// where their own membership stands.
async fn member_tiles(s: &AppState, c: &Chrome, who: &Who, tiles: &mut Vec<Tile>) -> Result<(), AppError> {
    let (me, tenant, path) = who.member()?;
    let now = s.clock.now().as_millisecond();
    let mut quiz = None;
    for q in s.store.quizzes_for(tenant, &path).await? {
        if q.window.opens_at <= now && now <= q.window.closes_at {
            let used = s.store.attempts(q.id, me).await?.len();
            quiz = Some((q, used));
            break;
        }
    }
    tiles.push(match quiz {
        Some((q, used)) => Tile {
            heading: c.t.l("本周测验", "This week's quiz"),
            value: q.title.clone(),
            note: format!("{} {used}/{}", c.t.l("已作答次数", "attempts used"), q.window.attempts),
            href: format!("/quiz/{}", q.id),
        },
        None => Tile {
            heading: c.t.l("本周测验", "This week's quiz"),
            value: c.t.l("暂无进行中的测验", "No quiz open now").to_owned(),
            note: c.t.l("查看以往测验", "See earlier quizzes").to_owned(),
            href: "/quiz".into(),
        },
    });
    let courses = s.store.courses_for(tenant, me, &path).await?;
    let next = courses.iter().find(|(_, (_, done))| done.is_none());
    tiles.push(match next {
        Some((course, _)) => Tile {
            heading: c.t.l("继续学习", "Continue studying"),
            value: course.fields.title.clone(),
            note: format!("{} · {}", course.fields.series, course.fields.column),
            href: format!("/study/{}", course.id),
        },
        None => Tile {
            heading: c.t.l("继续学习", "Continue studying"),
            value: c.t.l("已全部学完", "All done").to_owned(),
            note: format!("{} {}", courses.len(), c.t.l("门课程", "courses")),
            href: "/study".into(),
        },
    });
    tiles.push(Tile {
        heading: c.t.l("我的学分", "My credits"),
        value: s.store.credit_balance(me).await?.to_string(),
        note: c.t.l("兑换关爱礼包", "Redeem care benefits").to_owned(),
        href: "/me/credits".into(),
    });
    // Volunteer service: the first open shift near them; a campaign's comes first of all.
    let open = s.store.open_shifts_for(me, crate::service::local_now(s), 1).await?;
    let tile = match open.first() {
        Some(shift) => Tile {
            heading: c.t.l("志愿服务", "Volunteer service"),
            value: shift.task.clone(),
            note: format!(
                "{}{} · {}",
                shift.campaign.as_deref().map(|n| format!("{n} · ")).unwrap_or_default(),
                shift.starts_at.replace('T', " "),
                shift.requester
            ),
            href: "/service".into(),
        },
        None => Tile {
            heading: c.t.l("志愿服务", "Volunteer service"),
            value: c.t.l("暂无待报名的班次", "No open shifts").to_owned(),
            note: c.t.l("我的班次与服务时长", "My shifts and hours").to_owned(),
            href: "/service".into(),
        },
    };
    if open.first().is_some_and(|s| s.campaign.is_some()) {
        tiles.insert(0, tile);
    } else {
        tiles.push(tile);
    }
    let person = s.store.person(me).await?;
    let stage = s.store.dossier_stage_of_person(me).await?;
    let stage = stage.map(|code| crate::development::dossiers::stage_label(&c.t, &code));
    tiles.push(Tile {
        heading: c.t.l("我的入党进程", "My membership"),
        value: c.t.status(&person.fields.status).to_owned(),
        note: match stage {
            Some(st) => format!("{}{st}", c.t.l("当前阶段：", "Stage: ")),
            None if person.fields.status == pioneer_domain::people::Status::NonMember => {
                c.t.l("网上递交入党申请书", "Apply online").to_owned()
            }
            None => person.org_name.clone(),
        },
        href: "/me/progress".into(),
    });
    Ok(())
}

/// A secretary's or an organiser's work: cases with a step due within a week (overdue ones
/// included), filings waiting for their organisation, and the meetings page.
async fn work_tiles(s: &AppState, c: &Chrome, who: &Who, tiles: &mut Vec<Tile>) -> Result<(), AppError> {
    let today = s.clock.today();
    if who.user.can(Permission::ReadDossiers) {
        let mut due = 0;
        let mut overdue = 0;
        for scope in who.user.scopes(Permission::ReadDossiers) {
            for d in s.store.due_dossiers(scope, today.saturating_add(jiff::Span::new().days(7)), 500).await?
            {
                due += 1;
                if d.next_due.is_some_and(|n| n < today) {
                    overdue += 1;
                }
            }
        }
        tiles.push(Tile {
            heading: c.t.l("本周到期的发展步骤", "Steps due this week"),
            value: due.to_string(),
            note: format!("{} {overdue}", c.t.l("其中已逾期", "overdue:")),
            href: "/dossiers".into(),
        });
        let mut letters = 0;
        for scope in who.user.scopes(Permission::ReadDossiers) {
            letters += s.store.waiting_applications(scope, 500).await?.len();
        }
        tiles.push(Tile {
            heading: c.t.l("待接收的入党申请书", "Applications waiting"),
            value: letters.to_string(),
            note: c.t.l("网上递交，接收后建档", "Sent online; accepting opens the dossier").to_owned(),
            href: "/dossiers#applications".into(),
        });
    }
    if who.user.can(Permission::WriteDossiers)
        && let Some(org) = who.user.home_org(Permission::WriteDossiers)
    {
        let waiting = s.store.filing_queue(org).await?.len();
        tiles.push(Tile {
            heading: c.t.l("待处理的备案", "Filings waiting"),
            value: waiting.to_string(),
            note: c
                .t
                .l("下级报来的备案，待确认或退回", "Sent up for filing, to acknowledge or return")
                .to_owned(),
            href: "/filings".into(),
        });
    }
    if who.user.can(Permission::ManageStudy)
        && let Some(org) = who.user.home_org(Permission::ManageStudy)
    {
        let o = s.store.org(org).await?;
        let waiting = s.store.waiting_reflections(&o.path, 500).await?.len();
        tiles.push(Tile {
            heading: c.t.l("待审核的心得体会", "Reflections waiting"),
            value: waiting.to_string(),
            note: c.t.l("审核通过后支部党员可见", "Your branch reads them once approved").to_owned(),
            href: format!("/admin/study?org={org}#reflections"),
        });
    }
    if who.user.can(Permission::WriteDossiers)
        && let Some(org) = who.user.home_org(Permission::WriteDossiers)
    {
        let o = s.store.org(org).await?;
        let returned = s.store.returned_filings(&o.path).await?.len();
        tiles.push(Tile {
            heading: c.t.l("被退回的备案", "Filings returned"),
            value: returned.to_string(),
            note: c.t.l("上级退回，补正后重新报备", "Returned from above: correct and file again").to_owned(),
            href: "/dossiers#returned".into(),
        });
    }
    if who.user.can(Permission::ManageMeetings) {
        match who.user.home_org(Permission::ManageMeetings) {
            Some(org) => {
                let (due, missing) = meetings_due(s, org, today).await?;
                tiles.push(Tile {
                    heading: c.t.l("本期应开的会议", "Meetings due this period"),
                    value: due.to_string(),
                    note: format!("{} {missing}", c.t.l("今年应开未开", "missed this year:")),
                    href: format!("/meetings?org={org}"),
                });
            }
            None => tiles.push(Tile {
                heading: c.t.l("组织生活", "Organisational life"),
                value: c.t.l("三会一课", "Meetings and lectures").to_owned(),
                note: c.t.l("记录会议，查看应开未开", "Record meetings, see what is due").to_owned(),
                href: "/meetings".into(),
            }),
        }
    }
    Ok(())
}

/// An organisation's required meetings this year: periods still open (due) and periods
/// passed without one (missing), as its cadence settings say.
async fn meetings_due(
    s: &AppState,
    org: uuid::Uuid,
    today: jiff::civil::Date,
) -> Result<(usize, usize), AppError> {
    use pioneer_domain::orglife::{PeriodState, calendar};
    let from = jiff::civil::Date::new(today.year(), 1, 1).unwrap_or(today);
    let settings = s.store.orglife_settings(org).await?;
    let held = crate::orglife::meetings::as_held(&s.store.meetings_of(org, from, today).await?);
    let periods = calendar(&held, &settings.cadences(), from, today);
    let count = |st: PeriodState| periods.iter().filter(|p| p.state == st).count();
    Ok((count(PeriodState::Due), count(PeriodState::Missing)))
}
