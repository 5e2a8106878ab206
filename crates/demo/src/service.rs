//! The demo's volunteer service: the article's 2022 campaign (专项行动) — Tencent's youth
//! strike team and eight volunteer service teams of Meituan, Huolala and others; requests
//! from communities, a hospital and welfare institutions; shifts served and confirmed; the
//! rapid-test kits and cycling cards donated and handed out — and this week's requests
//! of the demo rider's team, open for signing up.

use jiff::civil::{Date, DateTime};
use pioneer_domain::service::donations::{
    CampaignFields, CampaignInput, DistributionFields, DistributionInput, DonationFields, DonationInput,
};
use pioneer_domain::service::requests::{RequestFields, RequestInput};
use pioneer_domain::service::shifts::{ShiftFields, ShiftInput};
use pioneer_domain::service::teams::{TeamFields, TeamInput, VolunteerFields, VolunteerInput};
use pioneer_store::orgs::OrgRecord;
use pioneer_store::service::requests::RequestLinks;
use pioneer_store::service::teams::TeamLinks;
use pioneer_store::{Act, Store, StoreError};
use uuid::Uuid;

/// The campaign's name.
pub const DEMO_CAMPAIGN: &str = "2022年抗疫专项行动";

/// A team of the campaign: organisation, name, kind, districts.
const TEAMS: &[(&str, &str, &str, &str)] = &[
    ("腾讯党群工作部党支部", "腾讯青年战疫突击队", "strike_team", "南山区"),
    ("美团骑手流动党支部（南山科技园站）", "美团南山骑手配送队", "delivery_team", "南山区"),
    ("美团骑手流动党支部（福田车公庙站）", "美团福田骑手配送队", "delivery_team", "福田区"),
    ("美团（深圳）职能部门党支部", "美团医护接驳车队", "shuttle_fleet", "福田区、罗湖区"),
    ("货拉拉货车司机流动党支部", "货拉拉应急运输车队", "transport_fleet", "龙岗区、香港"),
    ("货拉拉总部员工党支部", "货拉拉香港援助志愿队", "community_shifts", "香港"),
    ("某同城即时配送公司党支部", "罗湖即时配送志愿队", "delivery_team", "罗湖区"),
    ("快递员流动党支部（南山片区）", "南山快递小哥志愿队", "delivery_team", "南山区"),
    ("某网约车平台司机流动党支部", "网约车司机接驳车队", "shuttle_fleet", "宝安区"),
];

/// A request of the campaign: team (index), requester, its kind, what, district, address,
/// day in March 2022, quantity.
type DemoRequest = (usize, &'static str, &'static str, &'static str, &'static str, &'static str, i8, i64);

const REQUESTS: &[DemoRequest] = &[
    (0, "南山区粤海街道高新社区", "community", "community_shift", "南山区", "高新社区核酸检测点", 14, 600),
    (1, "南山区桃源街道福利院", "welfare_institution", "meal_delivery", "南山区", "桃源街道福利院", 15, 120),
    (2, "福田区香蜜湖街道封控小区", "community", "meal_delivery", "福田区", "香蜜湖街道某小区", 16, 300),
    (3, "深圳市第二人民医院", "hospital", "medical_shuttle", "福田区", "笋岗西路3002号", 17, 40),
    (4, "香港某安老院", "welfare_institution", "supply_transport", "香港", "新界某安老院", 18, 20),
    (5, "香港某护养院", "welfare_institution", "welfare_help", "香港", "九龙某护养院", 19, 1),
    (6, "罗湖区东门街道", "street_office", "supply_transport", "罗湖区", "东门街道办事处", 20, 15),
    (7, "南山区招商街道社区", "community", "meal_delivery", "南山区", "招商街道某社区", 21, 200),
    (8, "宝安区人民医院", "hospital", "medical_shuttle", "宝安区", "宝安区人民医院", 22, 30),
];

fn dt(day: i8, hour: i8) -> DateTime {
    jiff::civil::date(2022, 3, day).at(hour, 0, 0, 0)
}

fn org<'a>(orgs: &'a [OrgRecord], name: &str) -> Option<&'a OrgRecord> {
    orgs.iter().find(|o| o.fields.name == name)
}

fn invalid(e: pioneer_domain::ValidationErrors) -> StoreError {
    StoreError::Invalid(e)
}

/// Seeds the demo's volunteer service; `rider` (the demo rider) joins the Meituan team and
/// finds this week's shifts open. Runs once, with the demo accounts.
pub async fn seed_demo_service(store: &Store, rider: Uuid, today: Date, act: &Act) -> Result<(), StoreError> {
    let orgs = store.orgs(None).await?;
    let Some(root) = org(&orgs, crate::DEMO_ROOT_NAME) else { return Ok(()) };
    let campaign = CampaignFields::parse(&CampaignInput {
        name: DEMO_CAMPAIGN.into(),
        starts_on: "2022-03-01".into(),
        ends_on: "2022-05-31".into(),
    })
    .map_err(invalid)?;
    let campaign = store.create_campaign(root.id, &campaign, act).await?;
    let mut teams = Vec::new();
    for (org_name, name, kind, districts) in TEAMS {
        let Some(o) = org(&orgs, org_name) else { continue };
        let people = store.people_choices(&o.path, 4).await?;
        let fields = TeamFields::parse(&TeamInput {
            name: (*name).into(),
            kind: (*kind).into(),
            districts: (*districts).into(),
            ..Default::default()
        })
        .map_err(invalid)?;
        let leader = people.first().map(|p| p.0);
        let team =
            store.create_team(o.id, &fields, TeamLinks { leader, campaign: Some(campaign) }, act).await?;
        let vehicle = match *kind {
            "transport_fleet" => "truck",
            "shuttle_fleet" => "van",
            "delivery_team" => "e_bike",
            _ => "none",
        };
        let mut volunteers: Vec<Uuid> = people.iter().map(|p| p.0).collect();
        if o.path.starts_with(
            &org(&orgs, "美团骑手流动党支部（南山科技园站）").map_or(String::new(), |b| b.path.clone()),
        ) && !volunteers.contains(&rider)
        {
            volunteers.push(rider);
        }
        for v in &volunteers {
            let f = VolunteerFields::parse(&VolunteerInput {
                vehicle: vehicle.into(),
                load_kg: if vehicle == "truck" { "4200".into() } else { String::new() },
                skills: if vehicle == "van" { "C1驾照".into() } else { String::new() },
                availability: "每周末".into(),
                ..Default::default()
            })
            .map_err(invalid)?;
            store.add_volunteer(team, *v, &f, act).await?;
        }
        teams.push((team, o.clone(), volunteers));
    }
    for &(t, requester, requester_kind, kind, district, address, day, quantity) in REQUESTS {
        let Some((team, o, volunteers)) = teams.get(t) else { continue };
        let fields = RequestFields::parse(&RequestInput {
            requester: requester.into(),
            requester_kind: requester_kind.into(),
            contact_name: "值班负责人".into(),
            contact_phone: format!("1391234{:04}", 5600 + i64::from(day)),
            kind: kind.into(),
            address: address.into(),
            district: district.into(),
            starts_at: dt(day, 8).to_string(),
            ends_at: dt(day, 18).to_string(),
            quantity: quantity.to_string(),
            urgency: "urgent".into(),
            ..Default::default()
        })
        .map_err(invalid)?;
        let links = RequestLinks { team: Some(*team), campaign: Some(campaign) };
        let request = store.create_request(o.id, &fields, links, act).await?;
        let shift = ShiftFields::parse(&ShiftInput {
            starts_at: dt(day, 8).to_string(),
            ends_at: dt(day, 12).to_string(),
            capacity: volunteers.len().max(1).to_string(),
            task: format!(
                "{address}：{}",
                if kind == "medical_shuttle" { "接送医护人员" } else { "配送与值守" }
            ),
        })
        .map_err(invalid)?;
        let shift = store.add_shift(request, &shift, act).await?;
        for v in volunteers.iter().filter(|v| **v != rider) {
            store.sign_up(shift, *v, act).await?;
            store.check_in(shift, *v, dt(day, 8), act).await?;
            store.check_out(shift, *v, dt(day, 12), act).await?;
            store
                .confirm_hours(shift, *v, Some("服务认真，群众满意"), jiff::civil::date(2022, 3, day), act)
                .await?;
        }
        store.confirm_request(request, dt(day, 20), act).await?;
    }
    donations(store, &orgs, campaign, act).await?;
    store.publish_campaign(campaign, true, act).await?;
    this_week(store, &teams, rider, today, act).await
}

/// A donation: receiving organisation, donor, item, unit, quantity, and to whom how many.
type Gift = (&'static str, &'static str, &'static str, &'static str, i64, &'static [(&'static str, i64)]);

/// Huolala's rapid-test kits to Hong Kong's welfare institutions, Meituan's cycling cards
/// to front-line medical staff, Tencent's anti-epidemic packs to citizens.
async fn donations(store: &Store, orgs: &[OrgRecord], campaign: Uuid, act: &Act) -> Result<(), StoreError> {
    let gifts: &[Gift] = &[
        (
            "中共货拉拉公司委员会",
            "货拉拉",
            "新冠抗原检测试剂盒",
            "盒",
            10_200,
            &[("香港某安老院", 4_000), ("香港某护养院", 3_000), ("香港某残疾人士院舍", 2_000)],
        ),
        (
            "中共美团（深圳）公司委员会",
            "美团",
            "骑行卡（30天）",
            "张",
            7_200,
            &[("深圳市第二人民医院", 3_000), ("宝安区人民医院", 2_500)],
        ),
        ("中共腾讯公司委员会", "腾讯", "防疫包", "份", 5_000, &[("南山区粤海街道高新社区", 3_000)]),
    ];
    for (org_name, donor, item, unit, quantity, given) in gifts {
        let Some(o) = org(orgs, org_name) else { continue };
        let f = DonationFields::parse(&DonationInput {
            donor: (*donor).into(),
            kind: "goods".into(),
            item: (*item).into(),
            unit: (*unit).into(),
            quantity: quantity.to_string(),
            received_on: "2022-03-12".into(),
        })
        .map_err(invalid)?;
        let donation = store.record_donation(o.id, Some(campaign), &f, act).await?;
        for (recipient, n) in *given {
            let f = DistributionFields::parse(&DistributionInput {
                recipient: (*recipient).into(),
                quantity: n.to_string(),
                on: "2022-03-18".into(),
                receipt: "签收单".into(),
            })
            .map_err(invalid)?;
            store.distribute(donation, &f, act).await?;
        }
    }
    Ok(())
}

/// This week: the Meituan team's meal deliveries for the elderly, open for signing up.
async fn this_week(
    store: &Store,
    teams: &[(Uuid, OrgRecord, Vec<Uuid>)],
    rider: Uuid,
    today: Date,
    act: &Act,
) -> Result<(), StoreError> {
    let Some((team, o, _)) = teams.iter().find(|(_, _, v)| v.contains(&rider)) else { return Ok(()) };
    for (days, what) in [(1i64, "助老送餐"), (2, "社区防疫值守")] {
        let day = today.checked_add(jiff::Span::new().days(days)).unwrap_or(today);
        let fields = RequestFields::parse(&RequestInput {
            requester: "南山区粤海街道高新社区".into(),
            requester_kind: "community".into(),
            contact_name: "社区网格员".into(),
            contact_phone: "13912345699".into(),
            kind: if days == 1 { "meal_delivery" } else { "community_shift" }.into(),
            address: "高新社区党群服务中心".into(),
            district: "南山区".into(),
            starts_at: day.at(11, 0, 0, 0).to_string(),
            ends_at: day.at(13, 0, 0, 0).to_string(),
            quantity: "40".into(),
            urgency: "normal".into(),
            ..Default::default()
        })
        .map_err(invalid)?;
        let links = RequestLinks { team: Some(*team), campaign: None };
        let request = store.create_request(o.id, &fields, links, act).await?;
        let shift = ShiftFields::parse(&ShiftInput {
            starts_at: day.at(11, 0, 0, 0).to_string(),
            ends_at: day.at(13, 0, 0, 0).to_string(),
            capacity: "4".into(),
            task: what.into(),
        })
        .map_err(invalid)?;
        store.add_shift(request, &shift, act).await?;
    }
    Ok(())
}

/// Shifts for the sign-up benchmark: a campaign of the first deployment's top organisation
/// with one request and `n` shifts of `capacity` places each, all tomorrow 09:00–12:00 (so a
/// volunteer can take one of them). Returns the shifts' ids.
pub async fn generate_bench_shifts(
    store: &Store,
    n: usize,
    capacity: usize,
    tomorrow: Date,
    act: &Act,
) -> Result<Vec<Uuid>, StoreError> {
    let root = store.orgs(Some(0)).await?.into_iter().next().ok_or(StoreError::NotFound)?;
    let campaign = CampaignFields::parse(&CampaignInput {
        name: "报名压测专项行动".into(),
        starts_on: tomorrow.to_string(),
        ..Default::default()
    })
    .map_err(invalid)?;
    let campaign = store.create_campaign(root.id, &campaign, act).await?;
    let (from, until) = (tomorrow.at(9, 0, 0, 0).to_string(), tomorrow.at(12, 0, 0, 0).to_string());
    let request = RequestFields::parse(&RequestInput {
        requester: "压测社区".into(),
        requester_kind: "community".into(),
        contact_name: "压测联系人".into(),
        contact_phone: "13912345678".into(),
        kind: "community_shift".into(),
        address: "压测地址".into(),
        district: "压测区".into(),
        starts_at: from.clone(),
        ends_at: until.clone(),
        quantity: "1".into(),
        urgency: "urgent".into(),
        ..Default::default()
    })
    .map_err(invalid)?;
    let links = RequestLinks { team: None, campaign: Some(campaign) };
    let request = store.create_request(root.id, &request, links, act).await?;
    let mut shifts = Vec::with_capacity(n);
    for i in 0..n {
        let f = ShiftFields::parse(&ShiftInput {
            starts_at: from.clone(),
            ends_at: until.clone(),
            capacity: capacity.to_string(),
            task: format!("值守点 {i}"),
        })
        .map_err(invalid)?;
        shifts.push(store.add_shift(request, &f, act).await?);
    }
    Ok(shifts)
}
