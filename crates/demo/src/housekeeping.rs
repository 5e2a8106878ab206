//! The demo's branch housekeeping: officers and terms of every elected organisation (the
//! Tencent committee's election due within six months, a riders' branch overdue, the drivers'
//! branch postponed with approval), party dues of the demo riders' branch and a Tencent branch
//! through November (one rider six months unpaid, a mobile member paying quarterly, the
//! branch's remittances), and two staff lists of the Tencent committee (September and
//! November) whose reconciliation opens the to-dos.

use jiff::civil::Date;
use pioneer_domain::dues::Month;
use pioneer_domain::dues::amount::{BaseKind, DuesBase};
use pioneer_domain::dues::payment::{Method, PaymentFields, RemittanceFields};
use pioneer_domain::orgs::officers::{OfficerPost, term_years};
use pioneer_domain::people::id_card::IdCardNumber;
use pioneer_domain::people::staff_list::StaffRow;
use pioneer_store::orgs::OrgRecord;
use pioneer_store::people::staff_list::StaffImport;
use pioneer_store::{Act, Store, StoreError};

/// Elections: organisation, day (None: not recorded), postponed to.
const ELECTIONS: &[(&str, Option<&str>, Option<&str>)] = &[
    ("中共腾讯公司委员会", Some("2021-12-28"), None),
    ("美团骑手流动党支部（南山科技园站）", Some("2023-03-15"), None),
    ("货拉拉货车司机流动党支部", Some("2023-05-10"), Some("2027-03-10")),
    ("中共美团（深圳）公司委员会", Some("2024-04-18"), None),
    ("腾讯数据平台部第三党支部", Some("2024-09-06"), None),
    ("快递员流动党支部（南山片区）", None, None),
];

fn day(s: &str) -> Date {
    s.parse().unwrap_or(jiff::civil::date(2024, 1, 1))
}

fn wage(from: Month, base_kind: BaseKind, base_fen: i64, quarterly: bool) -> DuesBase {
    DuesBase {
        from,
        base: base_kind,
        base_fen,
        fixed: None,
        fixed_fen: None,
        relief: None,
        relief_fen: None,
        decision: None,
        decision_on: None,
        quarterly,
    }
}

/// Seeds it all once (nothing when officers are recorded already).
pub async fn seed_demo_housekeeping(store: &Store, today: Date, act: &Act) -> Result<(), StoreError> {
    let orgs = store.orgs(None).await?;
    let Some(root) = orgs.iter().find(|o| o.fields.name == crate::DEMO_ROOT_NAME) else { return Ok(()) };
    let find = |name: &str| orgs.iter().find(|o| o.fields.name == name);
    if let Some(first) = find(ELECTIONS[0].0)
        && store.latest_term(root.tenant_id, first.id).await?.is_some()
    {
        return Ok(());
    }
    // Officers: the first members of each elected organisation's subtree, by name.
    for o in orgs.iter().filter(|o| o.tenant_id == root.tenant_id && term_years(o.fields.kind).is_some()) {
        let mut members = Vec::new();
        for m in store.member_choices(&o.path, 6).await? {
            if store.departure(m.0).await?.is_none() && members.len() < 3 {
                members.push(m);
            }
        }
        for ((id, _, status), post) in members.iter().zip([
            OfficerPost::Secretary,
            OfficerPost::DeputySecretary,
            OfficerPost::CommitteeMember,
        ]) {
            if status == "full_member" {
                store.appoint_officer(o.id, *id, post, day("2024-01-15"), act).await?;
            }
        }
    }
    for &(name, on, postponed) in ELECTIONS {
        let (Some(o), Some(on)) = (find(name), on) else { continue };
        store.record_election(o.id, day(on), Some("党员大会选举，上级党委批复"), act).await?;
        if let Some(to) = postponed {
            store.postpone_term(o.id, day(to), "深互联网工委〔2026〕7号批复", act).await?;
        }
    }
    seed_dues(store, &orgs, today, act).await?;
    if let Some(tencent) = find("中共腾讯公司委员会") {
        seed_staff_lists(store, tencent, today, act).await?;
    }
    Ok(())
}

/// Dues of the riders' branch (quarter's income, FEE-004) and of a Tencent branch (wages),
/// January to the month before `today`.
async fn seed_dues(store: &Store, orgs: &[OrgRecord], today: Date, act: &Act) -> Result<(), StoreError> {
    let jan = Month::new(today.year(), 1);
    let now = Month::of(today);
    for (branch, kind, base) in [
        (crate::accounts::DEMO_RIDER_BRANCH, BaseKind::NoMonthlyIncome, 620_000),
        ("腾讯数据平台部第三党支部", BaseKind::Wage, 2_480_000),
    ] {
        let Some(b) = orgs.iter().find(|o| o.fields.name == branch) else { continue };
        let mut members = Vec::new();
        for m in store.member_choices(&b.path, 60).await? {
            if store.departure(m.0).await?.is_none() {
                members.push(m);
            }
        }
        for (i, (id, _, _)) in members.iter().enumerate() {
            let quarterly = kind == BaseKind::NoMonthlyIncome && i == 1;
            let p = wage(jan, kind, base + i64::try_from(i).unwrap_or(0) * 13_700, quarterly);
            store.set_dues_profile(*id, &p, act).await?;
            // The third rider stopped paying in May: six closed months by November (AUD-31).
            let stop =
                if kind == BaseKind::NoMonthlyIncome && i == 2 { Month::new(today.year(), 5) } else { now };
            let mut m = jan;
            while m < stop {
                let paid_on = if quarterly {
                    m.quarter_end().first_day()
                } else {
                    m.first_day().saturating_add(jiff::Span::new().days(9))
                };
                if paid_on <= today {
                    let f = PaymentFields {
                        month: m,
                        amount_fen: None,
                        extra_fen: 0,
                        method: Method::Transfer,
                        paid_on,
                    };
                    store.record_dues_payment(*id, &f, None, act).await?;
                }
                m = m.plus(1);
            }
        }
        let mut m = jan;
        while m < now.plus(-1) {
            let (collected, remitted) = store.dues_collected(b.tenant_id, b.id, &b.path, m).await?;
            if collected > remitted {
                let f = RemittanceFields {
                    month: m,
                    amount_fen: collected - remitted,
                    remitted_on: m.plus(1).first_day().saturating_add(jiff::Span::new().days(14)),
                };
                store.remit_dues(b.id, &f, act).await?;
            }
            m = m.plus(1);
        }
    }
    Ok(())
}

/// Two staff lists of the Tencent committee: in September everyone in their department; in
/// November a member has left, one moved department, a new hire says they are a member
/// elsewhere, and two non-members hold key posts.
async fn seed_staff_lists(
    store: &Store,
    tencent: &OrgRecord,
    today: Date,
    act: &Act,
) -> Result<(), StoreError> {
    let mut people = Vec::new();
    for (id, _, _) in store.people_choices(&tencent.path, 500).await? {
        let p = store.person(id).await?;
        let dept = p
            .org_name
            .trim_start_matches("中共")
            .replace("委员会", "")
            .replace("党支部", "")
            .replace("党总支", "");
        people.push((p, dept));
    }
    let row = |i: usize, p: &pioneer_store::people::PersonRecord, dept: &str, left: Option<Date>| StaffRow {
        employee_no: format!("T{:05}", 10_001 + i),
        name: p.fields.name.clone(),
        id_card: p.fields.id_card.clone(),
        department: dept.to_owned(),
        post: Some("工程师".to_owned()),
        key_post: !p.fields.status.is_member() && i.is_multiple_of(7),
        hired_on: Some(jiff::civil::date(2019, 7, 1)),
        left_on: left,
        says_member: p.fields.status.is_member(),
    };
    let september: Vec<StaffRow> =
        people.iter().enumerate().map(|(i, (p, org))| row(i, p, org, None)).collect();
    let keep = today.saturating_add(jiff::Span::new().days(365));
    let how = |sha, today| StaffImport { sha, keep_until: keep, apply: true, today };
    store
        .import_staff_list(tencent, &september, &how("demo-2026-09", jiff::civil::date(2026, 9, 30)), act)
        .await?;
    let first_member = people.iter().position(|(p, _)| p.fields.status.is_member());
    let second_member =
        people.iter().enumerate().filter(|(_, (p, _))| p.fields.status.is_member()).nth(1).map(|(i, _)| i);
    let mut november: Vec<StaffRow> = people
        .iter()
        .enumerate()
        .map(|(i, (p, org))| {
            if Some(i) == first_member {
                row(i, p, org, Some(jiff::civil::date(2026, 10, 31)))
            } else if Some(i) == second_member {
                row(i, p, "腾讯微信产品部", None)
            } else {
                row(i, p, org, None)
            }
        })
        .collect();
    november.push(StaffRow {
        employee_no: "T20001".into(),
        name: "新入职员工".into(),
        id_card: IdCardNumber::compose(440_305, jiff::civil::date(1998, 3, 12), 771),
        department: "腾讯微信产品部".into(),
        post: Some("产品经理".into()),
        key_post: false,
        hired_on: Some(jiff::civil::date(2026, 11, 2)),
        left_on: None,
        says_member: true,
    });
    store.import_staff_list(tencent, &november, &how("demo-2026-11", today), act).await?;
    Ok(())
}

/// Generates dues for every party member of the deployment, for the benchmarks: a wage
/// profile from `months` months before `today` (wages spread over the four brackets) and a
/// payment for each closed month; one member in fifty stopped paying after the third month
/// (AUD-31 by now when `months` > 9) and one in a hundred paid a month eight months late.
/// Written 2,000 members to a transaction; `progress` hears the members done.
pub async fn generate_bench_dues(
    store: &Store,
    months: i32,
    today: Date,
    act: &Act,
    mut progress: impl FnMut(u64),
) -> Result<(u64, u64), StoreError> {
    use pioneer_domain::dues::amount::monthly;
    use pioneer_store::bulk::BenchDues;
    let now = Month::of(today);
    let from = now.plus(-months);
    let (mut members, mut payments) = (0u64, 0u64);
    let mut after = uuid::Uuid::nil();
    loop {
        let page = store.members_placed_after(after, 2000).await?;
        let Some(last) = page.last() else { break };
        after = last.0;
        let mut by_tenant: std::collections::BTreeMap<uuid::Uuid, Vec<BenchDues>> = Default::default();
        for placed in page {
            // Generated ids count up: mix them so the one-in-fifty picks are spread.
            let n = u64::try_from(placed.0.as_u128().wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 64).unwrap_or(0);
            let base_fen = 200_000 + i64::try_from(n % 1_300_000).unwrap_or(0);
            let amount_fen = monthly(&wage(from, BaseKind::Wage, base_fen, false)).fen;
            let stops = n % 50 == 7;
            let late = n % 100 == 13;
            let paid = (0..months)
                .map(|k| from.plus(k))
                .filter(|m| !(stops && *m >= from.plus(3)))
                .map(|m| {
                    let on = if late && m == from { m.plus(8) } else { m.plus(1) };
                    (m.to_string(), on.first_day().saturating_add(jiff::Span::new().days(9)).to_string())
                })
                .collect();
            by_tenant.entry(placed.1).or_default().push(BenchDues {
                placed,
                from: from.to_string(),
                base_fen,
                amount_fen,
                paid,
            });
        }
        for (tenant, batch) in by_tenant {
            members += batch.len() as u64;
            payments += store.insert_bench_dues(tenant, &batch, act).await?;
        }
        progress(members);
    }
    Ok((members, payments))
}

/// Writes a staff list of the first `rows` people of the organisation at `path` as a CSV in
/// the template's columns, for the reconciliation benchmark: one in a hundred has left, and
/// one row in a hundred more is a new hire who says they are a member (an ID number nobody
/// has).
pub async fn bench_staff_csv(store: &Store, path: &str, rows: usize) -> Result<String, StoreError> {
    // Rows in all: the people, and one in a hundred new hires.
    let people = store.bench_staff_sample(path, i64::try_from(rows - rows / 100).unwrap_or(i64::MAX)).await?;
    let mut out = String::from("工号,姓名,身份证号,部门,岗位,关键岗位,入职日期,离职日期,政治面貌\n");
    for (i, (name, id, dept, member)) in people.iter().enumerate() {
        let left = if i % 100 == 42 { "2026-10-31" } else { "" };
        let key = if i % 37 == 0 { "是" } else { "否" };
        let status = if *member { "中共党员" } else { "群众" };
        out.push_str(&format!("E{:07},{name},{id},{dept},员工,{key},2020-03-01,{left},{status}\n", i + 1));
    }
    for k in 0..rows / 100 {
        let id = IdCardNumber::compose(
            659_001,
            jiff::civil::date(1995, 1, 1),
            u32::try_from(k % 999).unwrap_or(0) + 1,
        );
        // Distinct numbers: the region code steps every 999.
        let id = if k >= 999 {
            IdCardNumber::compose(
                659_001 + u32::try_from(k / 999).unwrap_or(0),
                jiff::civil::date(1995, 1, 1),
                u32::try_from(k % 999).unwrap_or(0) + 1,
            )
        } else {
            id
        };
        out.push_str(&format!(
            "N{:07},新员工{k},{},新部门,员工,否,2026-11-01,,中共党员\n",
            k + 1,
            id.as_str()
        ));
    }
    Ok(out)
}
