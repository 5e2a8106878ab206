//! The demo's city side: the schematic of Shenzhen's districts (drawn by us, labelled as a
//! schematic), stations, service centres, pioneer posts, communities, testing and supply
//! points, the welfare institutions the 2022 campaign served and its control zones (valid
//! in March 2022); the phone directory; party badges for the demo riders and 先锋岗
//! stickers for the drivers' branch; and the portal, with the source article as its first
//! news item and the figures the committee publishes.

use pioneer_domain::city::badges::{BadgeFields, BadgeInput};
use pioneer_domain::city::directory::{EntryFields, EntryInput};
use pioneer_domain::city::geo::Bounds;
use pioneer_domain::city::places::{PlaceFields, PlaceInput};
use pioneer_domain::city::portal::{ArticleFields, ArticleInput, PortalSettings, PortalSettingsInput};
use pioneer_store::{Act, Store, StoreError};

/// The article the portal's first news item carries.
const ARTICLE: &str = include_str!("../data/source-article.txt");

/// A place: kind, name, latitude, longitude, district, address, phone, hours, note,
/// control level, period.
type DemoPlace = (
    &'static str,
    &'static str,
    f64,
    f64,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
);

const PLACES: &[DemoPlace] = &[
    (
        "station",
        "美团骑手驿站（南山科技园）",
        22.5405,
        113.9525,
        "南山区",
        "科技园南区科苑路",
        "0755-86001001",
        "全天",
        "充电、饮水、休息、学习角",
        "",
        "",
        "",
    ),
    (
        "station",
        "美团骑手驿站（福田车公庙）",
        22.5355,
        114.0250,
        "福田区",
        "车公庙天安数码城",
        "0755-86001002",
        "7:00-23:00",
        "充电、饮水、休息",
        "",
        "",
        "",
    ),
    (
        "rest_point",
        "骑手暖心休息点（罗湖东门）",
        22.5460,
        114.1200,
        "罗湖区",
        "东门步行街北口",
        "",
        "10:00-22:00",
        "饮水、微波炉、卫生间",
        "",
        "",
        "",
    ),
    (
        "rest_point",
        "货车司机之家（平湖物流园）",
        22.6900,
        114.1300,
        "龙岗区",
        "平湖物流园综合楼一楼",
        "0755-86001003",
        "全天",
        "停车休息、淋浴、洗衣",
        "",
        "",
        "",
    ),
    (
        "service_centre",
        "新就业群体党群服务中心（南山）",
        22.5330,
        113.9300,
        "南山区",
        "南山大道党群服务中心二楼",
        "0755-86001004",
        "9:00-21:00",
        "学习、议事、法律咨询、入党咨询",
        "",
        "",
        "",
    ),
    (
        "service_centre",
        "新就业群体党群服务中心（福田）",
        22.5430,
        114.0550,
        "福田区",
        "福华路党群服务中心",
        "0755-86001005",
        "9:00-21:00",
        "学习、议事、心理咨询",
        "",
        "",
        "",
    ),
    (
        "pioneer_post",
        "党员先锋岗（腾讯滨海大厦）",
        22.5225,
        113.9355,
        "南山区",
        "海天二路33号",
        "",
        "工作日",
        "党员示范岗位",
        "",
        "",
        "",
    ),
    (
        "pioneer_post",
        "党员先锋岗（货拉拉调度中心）",
        22.5480,
        114.0600,
        "福田区",
        "福田区某大厦",
        "",
        "全天",
        "应急运输调度",
        "",
        "",
        "",
    ),
    (
        "community",
        "粤海街道高新社区",
        22.5460,
        113.9460,
        "南山区",
        "高新社区工作站",
        "0755-86001006",
        "9:00-18:00",
        "",
        "",
        "",
        "",
    ),
    (
        "community",
        "桃源街道",
        22.5750,
        113.9600,
        "南山区",
        "桃源街道办事处",
        "0755-86001007",
        "9:00-18:00",
        "",
        "",
        "",
        "",
    ),
    (
        "control_zone",
        "香蜜湖街道某小区（2022年3月封控）",
        22.5480,
        114.0280,
        "福田区",
        "香蜜湖街道",
        "",
        "",
        "2022年抗疫专项行动期间的封控区域",
        "sealed",
        "2022-03-13",
        "2022-03-27",
    ),
    (
        "control_zone",
        "粤海街道某片区（2022年3月管控）",
        22.5380,
        113.9420,
        "南山区",
        "粤海街道",
        "",
        "",
        "2022年抗疫专项行动期间的管控区域",
        "controlled",
        "2022-03-12",
        "2022-03-24",
    ),
    (
        "control_zone",
        "东门街道（2022年3月防范）",
        22.5480,
        114.1180,
        "罗湖区",
        "东门街道",
        "",
        "",
        "2022年抗疫专项行动期间的防范区域",
        "precaution",
        "2022-03-10",
        "2022-03-31",
    ),
    (
        "testing_point",
        "南山区粤海街道高新社区",
        22.5470,
        113.9470,
        "南山区",
        "高新社区核酸检测点",
        "",
        "8:00-20:00",
        "腾讯青年战疫突击队值守（2022年3月）",
        "",
        "",
        "",
    ),
    (
        "supply_point",
        "罗湖区东门街道",
        22.5450,
        114.1170,
        "罗湖区",
        "东门街道办事处",
        "",
        "",
        "防疫物资中转（2022年3月）",
        "",
        "",
        "",
    ),
    (
        "institution",
        "南山区桃源街道福利院",
        22.5770,
        113.9620,
        "南山区",
        "桃源街道福利院",
        "0755-86001008",
        "",
        "2022年由美团南山骑手配送队送餐",
        "",
        "",
        "",
    ),
    (
        "institution",
        "深圳市第二人民医院",
        22.5630,
        114.0870,
        "福田区",
        "笋岗西路3002号",
        "0755-83366388",
        "全天",
        "2022年美团医护接驳车队接送医护人员",
        "",
        "",
        "",
    ),
    (
        "institution",
        "南山区招商街道社区",
        22.4900,
        113.9150,
        "南山区",
        "招商街道某社区",
        "",
        "",
        "2022年南山快递小哥志愿队送餐",
        "",
        "",
        "",
    ),
    (
        "institution",
        "宝安区人民医院",
        22.5700,
        113.8850,
        "宝安区",
        "宝安区人民医院",
        "0755-27788311",
        "全天",
        "2022年网约车司机接驳车队接送医护人员",
        "",
        "",
        "",
    ),
];

/// A directory entry: category, name, district, address, hours, phone, audience.
const ENTRIES: &[(&str, &str, &str, &str, &str, &str, &str)] = &[
    ("hotline", "深圳市民服务热线", "全市", "", "全天", "12345", "public"),
    ("hotline", "深圳市卫生健康咨询热线", "全市", "", "全天", "12320", "public"),
    ("hospital", "深圳市第二人民医院", "福田区", "笋岗西路3002号", "全天", "0755-83366388", "public"),
    ("hospital", "宝安区人民医院", "宝安区", "宝安区龙井二路118号", "全天", "0755-27788311", "public"),
    ("hospital", "南山区人民医院", "南山区", "桃园路89号", "全天", "0755-26553111", "public"),
    (
        "community_office",
        "粤海街道高新社区工作站",
        "南山区",
        "高新社区",
        "9:00-18:00",
        "0755-86001006",
        "public",
    ),
    ("community_office", "桃源街道办事处", "南山区", "桃源街道", "9:00-18:00", "0755-86001007", "public"),
    ("community_office", "香蜜湖街道办事处", "福田区", "香蜜湖街道", "9:00-18:00", "0755-86001009", "public"),
    ("testing_site", "高新社区核酸检测点", "南山区", "高新社区", "8:00-20:00", "0755-86001010", "public"),
    (
        "service_centre",
        "新就业群体党群服务中心（南山）",
        "南山区",
        "南山大道",
        "9:00-21:00",
        "0755-86001004",
        "public",
    ),
    (
        "service_centre",
        "新就业群体党群服务中心（福田）",
        "福田区",
        "福华路",
        "9:00-21:00",
        "0755-86001005",
        "public",
    ),
    ("station", "美团骑手驿站（南山科技园）", "南山区", "科苑路", "全天", "0755-86001001", "public"),
    (
        "station",
        "美团骑手驿站（福田车公庙）",
        "福田区",
        "天安数码城",
        "7:00-23:00",
        "0755-86001002",
        "public",
    ),
    (
        "welfare_institution",
        "南山区桃源街道福利院",
        "南山区",
        "桃源街道",
        "9:00-17:00",
        "0755-86001008",
        "public",
    ),
    ("hotline", "骑手流动党支部书记值班电话", "南山区", "", "9:00-21:00", "13800138001", "members"),
    ("hotline", "货车司机流动党支部应急调度", "龙岗区", "", "全天", "13800138002", "members"),
];

fn invalid(e: pioneer_domain::ValidationErrors) -> StoreError {
    StoreError::Invalid(e)
}

/// Seeds the city side once (skipped when the committee already has districts).
pub async fn seed_demo_city(store: &Store, today: jiff::civil::Date, act: &Act) -> Result<(), StoreError> {
    let orgs = store.orgs(None).await?;
    let Some(root) = orgs.iter().find(|o| o.fields.name == crate::DEMO_ROOT_NAME) else { return Ok(()) };
    let tenant = root.tenant_id;
    if !store.districts(tenant).await?.is_empty() {
        return Ok(());
    }
    let districts = pioneer_store::city::map::shenzhen_schematic();
    store.replace_districts(tenant, &districts, act).await?;
    let region: Bounds = Store::region_of(&districts);
    let mut place_ids = Vec::new();
    for &(kind, name, lat, lng, district, address, phone, hours, note, level, from, until) in PLACES {
        let f = PlaceFields::parse(
            &PlaceInput {
                name: name.into(),
                kind: kind.into(),
                lat: lat.to_string(),
                lng: lng.to_string(),
                district: district.into(),
                address: address.into(),
                phone: phone.into(),
                hours: hours.into(),
                note: note.into(),
                control_level: level.into(),
                valid_from: from.into(),
                valid_until: until.into(),
                ..Default::default()
            },
            &region,
        )
        .map_err(invalid)?;
        place_ids.push((name, store.create_place(root.id, &f, act).await?));
    }
    // The campaign's requests happen at the places of the same name.
    let now = today.at(12, 0, 0, 0);
    for r in store.requests_in(tenant, &root.path, None, None, now, 1000).await? {
        if let Some((_, place)) = place_ids.iter().find(|(n, _)| *n == r.requester) {
            store.set_request_place(r.id, Some(*place), act).await?;
        }
    }
    let entries = ENTRIES
        .iter()
        .map(|&(category, name, district, address, hours, phone, audience)| {
            EntryFields::parse(
                &EntryInput {
                    name: name.into(),
                    category: category.into(),
                    district: district.into(),
                    address: address.into(),
                    hours: hours.into(),
                    phone: phone.into(),
                    audience: audience.into(),
                    verified_on: if name.contains("疫情") { "2022-06-01".into() } else { String::new() },
                },
                today,
            )
        })
        .collect::<Result<Vec<_>, _>>()
        .map_err(invalid)?;
    store.import_entries(root.id, &entries, act).await?;
    seed_badges(store, &orgs, today, act).await?;
    let settings = PortalSettings::parse(
        &PortalSettingsInput {
            title: "深圳市互联网企业党建工作门户（演示）".into(),
            figures: "new_members,under_30_share,college_share,applications,volunteer_hours".into(),
            since_year: "2022".into(),
        },
        today.year(),
    )
    .map_err(invalid)?;
    store.set_portal_settings(tenant, &settings, act).await?;
    let (title, body) = ARTICLE.split_once('\n').unwrap_or(("", ARTICLE));
    let article = ArticleFields::parse(&ArticleInput {
        title: title.trim().chars().take(80).collect(),
        column: "工作动态".into(),
        summary: "深圳持续深化新业态新就业群体党建工作：抗疫志愿服务、学习答题、学分送关怀与发展党员。"
            .into(),
        body: body.trim().replace('\n', "\n\n"),
    })
    .map_err(invalid)?;
    let id = store.create_article(root.id, &article, None, act).await?;
    store.publish_article(id, true, act).await?;
    Ok(())
}

/// Badges for the demo riders' branch members, stickers for the drivers' branch members.
async fn seed_badges(
    store: &Store,
    orgs: &[pioneer_store::orgs::OrgRecord],
    today: jiff::civil::Date,
    act: &Act,
) -> Result<(), StoreError> {
    for (branch, kind, station) in [
        (crate::accounts::DEMO_RIDER_BRANCH, "badge", "南山科技园站"),
        ("货拉拉货车司机流动党支部", "sticker", ""),
    ] {
        let Some(b) = orgs.iter().find(|o| o.fields.name == branch) else { continue };
        for (i, (id, _, _)) in store.member_choices(&b.path, 12).await?.into_iter().enumerate() {
            let f = BadgeFields::parse(
                &BadgeInput {
                    kind: kind.into(),
                    number: if kind == "badge" { format!("SZMT-{:04}", i + 1) } else { String::new() },
                    person_id: id.to_string(),
                    station: station.into(),
                    plate: if kind == "sticker" { format!("粤BD{:05}", 10_001 + i) } else { String::new() },
                    issued_on: "2023-07-01".into(),
                },
                today,
            )
            .map_err(invalid)?;
            store.issue_badge(id, &f, act).await?;
        }
    }
    Ok(())
}

/// Makes `places` map places spread over the committee's region (kinds in turn) and
/// `entries` directory entries (names numbered, categories and districts in turn, one in
/// ten members-only), for the city benchmarks, and a badge for a member of the top
/// organisation's subtree; entries are written 2,000 to a transaction. Returns the places,
/// the entries and the badge's verification code.
pub async fn generate_bench_city(
    store: &Store,
    places: usize,
    entries: usize,
    today: jiff::civil::Date,
    act: &Act,
) -> Result<(usize, usize, Option<String>), StoreError> {
    use pioneer_domain::city::directory::Category;
    use pioneer_domain::city::geo::{Point, outline_contains};
    use pioneer_domain::city::places::PlaceKind;
    let root = store.orgs(Some(0)).await?.into_iter().next().ok_or(StoreError::NotFound)?;
    let mut districts = store.districts(root.tenant_id).await?;
    if districts.is_empty() {
        districts = pioneer_store::city::map::shenzhen_schematic();
        store.replace_districts(root.tenant_id, &districts, act).await?;
    }
    let region = Store::region_of(&districts);
    let kinds: Vec<PlaceKind> =
        PlaceKind::ALL.iter().copied().filter(|k| *k != PlaceKind::ControlZone).collect();
    // The points of a grid over the region that lie in a district (three times as many as
    // asked, as a good part of the rectangle is in none), then `places` of them evenly spread.
    let side = ((places * 3) as f64).sqrt().ceil().max(1.0) as i64;
    let (h, w) = (region.max.lat_e6 - region.min.lat_e6, region.max.lng_e6 - region.min.lng_e6);
    let mut inside: Vec<(Point, String)> = Vec::new();
    for i in 0..side * side {
        let (r, c) = (i / side, i % side);
        let p = Point {
            lat_e6: region.min.lat_e6 + h * (2 * r + 1) / (2 * side),
            lng_e6: region.min.lng_e6 + w * (2 * c + 1 + r % 2) / (2 * side + 1),
        };
        if let Some(d) = districts.iter().find(|d| outline_contains(&d.outline, p)) {
            inside.push((p, d.name.clone()));
        }
    }
    let made = places.min(inside.len());
    for n in 0..made {
        let (p, district) = &inside[n * inside.len() / made.max(1)];
        let f = PlaceFields::parse(
            &PlaceInput {
                name: format!("压测地点{n:05}"),
                kind: kinds[n % kinds.len()].code().into(),
                lat: p.lat().to_string(),
                lng: p.lng().to_string(),
                district: district.clone(),
                hours: "全天".into(),
                ..Default::default()
            },
            &region,
        )
        .map_err(invalid)?;
        store.create_place(root.id, &f, act).await?;
    }
    let names: Vec<String> = districts.iter().map(|d| d.name.clone()).collect();
    let mut written = 0;
    while written < entries {
        let batch: Vec<EntryFields> = (written..entries.min(written + 2_000))
            .map(|n| {
                EntryFields::parse(
                    &EntryInput {
                        name: format!("压测{}第{n:06}号", Category::ALL[n % Category::ALL.len()].zh()),
                        category: Category::ALL[n % Category::ALL.len()].code().into(),
                        district: names[n % names.len()].clone(),
                        phone: format!("0755-{:08}", 20_000_000 + n),
                        audience: if n % 10 == 0 { "members" } else { "public" }.into(),
                        ..Default::default()
                    },
                    today,
                )
            })
            .collect::<Result<_, _>>()
            .map_err(invalid)?;
        written += batch.len();
        store.import_entries(root.id, &batch, act).await?;
    }
    let mut code = None;
    if let Some((member, _, _)) = store.member_choices(&root.path, 1).await?.into_iter().next() {
        let f = BadgeFields::parse(
            &BadgeInput { kind: "badge".into(), number: "BENCH-0001".into(), ..Default::default() },
            today,
        )
        .map_err(invalid)?;
        let badge = store.issue_badge(member, &f, act).await?;
        code = Some(pioneer_store::city::codes::encode(store.vault(), root.tenant_id, badge));
    }
    Ok((made, written, code))
}
