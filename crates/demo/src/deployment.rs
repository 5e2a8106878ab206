//! The demo deployment of the source article (the Shenzhen internet-enterprise working
//! committee, its 7 enterprise party organisations and 1 industry party organisation) and
//! the synthetic generator behind `pioneer generate`.
//!
//! Everything is deterministic: ids and people come from fixed seeds, so loading the demo
//! twice adds nothing and a benchmark with the same seed sees the same data.

use jiff::ToSpan;
use jiff::civil::Date;
use pioneer_domain::orgs::{OrgFields, OrgKind};
use pioneer_domain::people::departure::{Departure, DepartureKind};
use pioneer_domain::people::id_card::IdCardNumber;
use pioneer_domain::people::phone::PhoneNumber;
use pioneer_domain::people::{Education, Gender, PersonFields, Status, StatusDates, WorkerCategory};
use pioneer_domain::rng::SplitMix64;
use std::collections::HashSet;
use uuid::Uuid;

/// 2021-01-01T00:00:00Z in milliseconds: the timestamp part of every demo id.
const DEMO_EPOCH_MS: u64 = 1_609_459_200_000;

/// A version-7 id with a fixed timestamp and counter, for deterministic data.
pub fn fixed_uuid(namespace: u16, n: u64) -> Uuid {
    let mut rand = [0u8; 10];
    rand[..2].copy_from_slice(&namespace.to_be_bytes());
    rand[2..].copy_from_slice(&n.to_be_bytes());
    uuid::Builder::from_unix_timestamp_millis(DEMO_EPOCH_MS + n, &rand).into_uuid()
}

/// An organisation to create, with its id and its parent's id.
#[derive(Debug, Clone)]
pub struct SeedOrg {
    /// Id.
    pub id: Uuid,
    /// Parent id (None = the top).
    pub parent: Option<Uuid>,
    /// Checked fields.
    pub fields: OrgFields,
    /// The worker category most of its people have.
    pub workers: WorkerCategory,
    /// How many people the demo puts in it.
    pub people: u32,
}

/// A person to create, with a fixed id.
#[derive(Debug, Clone)]
pub struct SeedPerson {
    /// Id.
    pub id: Uuid,
    /// Checked fields.
    pub fields: PersonFields,
}

/// Name of the demo's top organisation; its presence marks a database as demo data.
pub const DEMO_ROOT_NAME: &str = "中共深圳市委互联网企业工作委员会";

struct OrgSpec {
    key: u16,
    parent: Option<u16>,
    name: &'static str,
    kind: OrgKind,
    approval: bool,
    temporary: bool,
    enterprise: &'static str,
    station: &'static str,
    workers: WorkerCategory,
    people: u32,
}

#[rustfmt::skip]
#[expect(clippy::too_many_arguments, reason = "one row of the demo table")]
const fn spec(key: u16, parent: Option<u16>, name: &'static str, kind: OrgKind, approval: bool,
    enterprise: &'static str, station: &'static str, workers: WorkerCategory, people: u32) -> OrgSpec {
    OrgSpec { key, parent, name, kind, approval, temporary: false, enterprise, station, workers, people }
}

use OrgKind::{Branch, Committee, GeneralBranch, IndustryOrganization, MobileBranch, WorkingCommittee};
use WorkerCategory::{Courier, Other, PlatformStaff, RideHailingDriver, Rider, TruckDriver};

#[rustfmt::skip]
const DEMO_ORGS: &[OrgSpec] = &[
    spec(1, None, DEMO_ROOT_NAME, WorkingCommittee, true, "", "", PlatformStaff, 4),
    // Tencent: second-level committees, general branches and branches.
    spec(10, Some(1), "中共腾讯公司委员会", Committee, true, "腾讯", "", PlatformStaff, 6),
    spec(11, Some(10), "中共腾讯技术工程事业群委员会", Committee, false, "腾讯", "", PlatformStaff, 0),
    spec(12, Some(11), "腾讯数据平台部党总支", GeneralBranch, false, "腾讯", "", PlatformStaff, 0),
    spec(13, Some(12), "腾讯数据平台部第一党支部", Branch, false, "腾讯", "", PlatformStaff, 22),
    spec(14, Some(12), "腾讯数据平台部第二党支部", Branch, false, "腾讯", "", PlatformStaff, 20),
    spec(15, Some(12), "腾讯数据平台部第三党支部", Branch, false, "腾讯", "", PlatformStaff, 24),
    spec(16, Some(11), "腾讯基础架构部党支部", Branch, false, "腾讯", "", PlatformStaff, 18),
    spec(17, Some(10), "中共腾讯微信事业群委员会", Committee, false, "腾讯", "", PlatformStaff, 0),
    spec(18, Some(17), "腾讯微信产品部党支部", Branch, false, "腾讯", "", PlatformStaff, 20),
    spec(19, Some(10), "腾讯党群工作部党支部", Branch, false, "腾讯", "", PlatformStaff, 12),
    // Meituan (Shenzhen): riders' mobile branches attached to delivery stations.
    spec(20, Some(1), "中共美团（深圳）公司委员会", Committee, true, "美团（深圳）", "", PlatformStaff, 4),
    spec(21, Some(20), "美团骑手流动党支部（南山科技园站）", MobileBranch, false, "美团（深圳）", "南山科技园配送站", Rider, 36),
    spec(22, Some(20), "美团骑手流动党支部（福田车公庙站）", MobileBranch, false, "美团（深圳）", "福田车公庙配送站", Rider, 30),
    spec(23, Some(20), "美团（深圳）职能部门党支部", Branch, false, "美团（深圳）", "", PlatformStaff, 16),
    // Huolala: a drivers' branch.
    spec(30, Some(1), "中共货拉拉公司委员会", Committee, true, "货拉拉", "", PlatformStaff, 4),
    spec(31, Some(30), "货拉拉货车司机流动党支部", MobileBranch, false, "货拉拉", "龙岗平湖物流园", TruckDriver, 30),
    spec(32, Some(30), "货拉拉总部员工党支部", Branch, false, "货拉拉", "", PlatformStaff, 16),
    // Four more enterprise party organisations (generic names: demo data).
    spec(40, Some(1), "中共某跨境电商平台公司委员会", Committee, false, "某跨境电商平台", "", PlatformStaff, 3),
    spec(41, Some(40), "某跨境电商平台运营党支部", Branch, false, "某跨境电商平台", "", PlatformStaff, 14),
    spec(42, Some(40), "某跨境电商平台仓储党支部", Branch, false, "某跨境电商平台", "宝安福永仓", Other, 14),
    spec(50, Some(1), "某网约车平台公司党总支", GeneralBranch, false, "某网约车平台", "", PlatformStaff, 2),
    spec(51, Some(50), "某网约车平台司机流动党支部", MobileBranch, false, "某网约车平台", "", RideHailingDriver, 20),
    spec(52, Some(50), "某网约车平台运营党支部", Branch, false, "某网约车平台", "", PlatformStaff, 10),
    spec(60, Some(1), "某同城即时配送公司党支部", Branch, false, "某同城即时配送", "罗湖东门站", Rider, 14),
    spec(70, Some(1), "某直播电商公司党支部", Branch, false, "某直播电商", "", Other, 12),
    // The industry party organisation.
    spec(80, Some(1), "中共深圳市快递行业委员会", IndustryOrganization, true, "", "", Courier, 3),
    spec(81, Some(80), "快递员流动党支部（南山片区）", MobileBranch, false, "", "南山快递驿站", Courier, 24),
    spec(82, Some(80), "快递员流动党支部（宝安片区）", MobileBranch, false, "", "宝安快递驿站", Courier, 20),
];

/// The organisations of the demo deployment, parents first.
pub fn demo_orgs() -> Vec<SeedOrg> {
    let mut out: Vec<SeedOrg> = DEMO_ORGS
        .iter()
        .map(|s| SeedOrg {
            id: fixed_uuid(1, u64::from(s.key)),
            parent: s.parent.map(|p| fixed_uuid(1, u64::from(p))),
            fields: OrgFields {
                name: s.name.to_owned(),
                kind: s.kind,
                approval_authority: s.approval,
                temporary: s.temporary,
                enterprise: (!s.enterprise.is_empty()).then(|| s.enterprise.to_owned()),
                station: (!s.station.is_empty()).then(|| s.station.to_owned()),
                address: Some("广东省深圳市".to_owned()),
            },
            workers: s.workers,
            people: s.people,
        })
        .collect();
    // A temporary branch for the peak season shows the temporary flag.
    out.push(SeedOrg {
        id: fixed_uuid(1, 83),
        parent: Some(fixed_uuid(1, 80)),
        fields: OrgFields {
            name: "快递行业“双十一”临时党支部".to_owned(),
            kind: Branch,
            approval_authority: false,
            temporary: true,
            enterprise: None,
            station: Some("龙华分拨中心".to_owned()),
            address: Some("广东省深圳市龙华区".to_owned()),
        },
        workers: Courier,
        people: 6,
    });
    out
}

/// The people of the demo deployment (at least 300, every status and category).
pub fn demo_people(orgs: &[SeedOrg], today: Date) -> Vec<SeedPerson> {
    let mut synth = Synth::new(20_221_016, today);
    let mut out = Vec::new();
    let mut n = 0u64;
    for org in orgs {
        for _ in 0..org.people {
            let fields = synth.person(
                org.id,
                org.workers,
                org.fields.kind,
                org.fields.enterprise.as_deref(),
                org.fields.station.as_deref(),
            );
            out.push(SeedPerson { id: fixed_uuid(2, n), fields });
            n += 1;
        }
    }
    out
}

/// Whether the `i`-th seeded person left, one member in `every`: how, and on the day
/// halfway between admission and `today`. The ways take turns; a full member is never
/// given a cancelled probation.
pub fn leaving(i: u64, every: u64, f: &PersonFields, today: Date) -> Option<Departure> {
    let admitted = f.dates.admitted_on.filter(|_| f.status.is_member() && i % every == every / 2)?;
    let kinds = DepartureKind::ALL;
    let kind = match kinds[usize::try_from((i / every) % kinds.len() as u64).unwrap_or(0)] {
        DepartureKind::ProbationCancelled if f.status == Status::FullMember => DepartureKind::Removed,
        k => k,
    };
    let half = (today - admitted).get_days() / 2;
    let left_on = admitted.checked_add(half.days()).ok()?.min(today);
    Some(Departure { kind, left_on, note: Some("示例数据".into()) })
}

/// Makes realistic people: ages, education, gender and status dates that depend on the
/// kind of work, all consistent with the ID number and with each other.
pub struct Synth {
    rng: SplitMix64,
    today: Date,
    used_ids: HashSet<String>,
}

const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭", "何",
    "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹", "彭", "曾", "肖", "田",
    "董", "袁", "潘", "蒋", "蔡", "余", "杜", "叶", "程", "苏", "魏", "吕", "丁", "任", "沈", "姚", "卢",
    "钟", "谭", "陆", "汪", "范", "廖", "欧阳", "覃", "韦",
];
const GIVEN: &[&str] = &[
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超",
    "秀", "霞", "平", "刚", "华", "玉", "萍", "红", "玲", "丹", "飞", "鹏", "辉", "宇", "浩", "凯", "健",
    "俊", "帆", "旭", "宁", "龙", "林", "欣", "佳", "雪", "婷", "晨", "阳", "思", "颖", "昊", "子", "轩",
    "梓", "涵", "诺", "嘉", "博", "文", "雨", "泽", "睿", "重", "庆", "海", "鸥", "桂", "胜",
];
/// Region codes of places many riders and drivers come from, and of Shenzhen.
const REGIONS: &[u32] = &[
    440305, 440304, 440306, 440307, 441602, 441402, 411602, 411302, 430521, 431102, 450102, 450902, 510104,
    511502, 360102, 362102, 420102, 421002, 520102, 350102,
];
const HOME_ORGS: &[&str] = &[
    "中共河南省周口市某镇某村支部委员会",
    "中共湖南省邵阳市某街道某社区委员会",
    "中共广西壮族自治区玉林市某镇委员会",
    "中共四川省宜宾市某乡某村支部委员会",
    "中共江西省赣州市某镇委员会",
    "中共湖北省荆州市某街道工作委员会",
];

impl Synth {
    /// A generator from a seed, dating everything up to `today`.
    pub fn new(seed: u64, today: Date) -> Self {
        Self { rng: SplitMix64::new(seed), today, used_ids: HashSet::new() }
    }

    /// Access to the random stream (for callers that shape trees).
    pub fn rng(&mut self) -> &mut SplitMix64 {
        &mut self.rng
    }

    fn days_before(&mut self, d: Date, lo: i64, hi: i64) -> Date {
        let n = lo + self.rng.below(u64::try_from(hi - lo + 1).unwrap_or(1)) as i64;
        d.checked_sub(n.days()).unwrap_or(d)
    }

    /// One person in `org_id`, mostly of `workers`.
    pub fn person(
        &mut self,
        org_id: Uuid,
        workers: WorkerCategory,
        org_kind: OrgKind,
        enterprise: Option<&str>,
        station: Option<&str>,
    ) -> PersonFields {
        let rng = &mut self.rng;
        let category = if rng.chance(90) { workers } else { *rng.pick(WorkerCategory::ALL) };
        let frontline = matches!(category, Rider | Courier | TruckDriver | RideHailingDriver);
        let status = rng.weighted(&[
            (Status::FullMember, 45),
            (Status::ProbationaryMember, 8),
            (Status::DevelopmentTarget, 7),
            (Status::Activist, 12),
            (Status::Applicant, 13),
            (Status::NonMember, 15),
        ]);
        let male_share = match category {
            Rider | TruckDriver | RideHailingDriver => 92,
            Courier => 85,
            _ => 58,
        };
        let gender = if rng.chance(male_share) { Gender::Male } else { Gender::Female };
        let education = if frontline {
            rng.weighted(&[
                (Education::Primary, 3),
                (Education::JuniorSecondary, 30),
                (Education::SeniorSecondary, 40),
                (Education::JuniorCollege, 20),
                (Education::Bachelor, 7),
            ])
        } else {
            rng.weighted(&[
                (Education::SeniorSecondary, 2),
                (Education::JuniorCollege, 6),
                (Education::Bachelor, 55),
                (Education::Master, 33),
                (Education::Doctor, 4),
            ])
        };
        // Age at today: young for riders and staff, older for drivers; members older.
        let (min_age, max_age) = match (frontline, status.is_member()) {
            (true, true) => (24, 52),
            (true, false) => (20, 45),
            (false, true) => (25, 50),
            (false, false) => (22, 38),
        };
        let age = min_age + rng.below(u64::try_from(max_age - min_age + 1).unwrap_or(1)) as i64;
        let dates = self.status_dates(status, age);
        let latest_birth =
            dates.applied_on.and_then(|a| a.checked_sub(18.years()).ok()).unwrap_or(self.today);
        let mut birth = self.days_before(self.today, age * 365, age * 365 + 364);
        if birth > latest_birth {
            birth = self.days_before(latest_birth, 0, 700);
        }
        let id_card = self.unique_id(birth, gender);
        let rng = &mut self.rng;
        let name = format!(
            "{}{}{}",
            rng.pick(SURNAMES),
            rng.pick(GIVEN),
            if rng.chance(70) { *rng.pick(GIVEN) } else { "" }
        );
        let phone_digits = format!("1{}{:09}", 3 + rng.below(7), rng.below(1_000_000_000));
        let phone = PhoneNumber::parse("phone", &phone_digits).ok();
        let ethnicity = rng.weighted(&[
            ("汉族", 90),
            ("壮族", 3),
            ("土家族", 2),
            ("苗族", 2),
            ("回族", 1),
            ("瑶族", 1),
            ("满族", 1),
        ]);
        let is_mobile = org_kind == OrgKind::MobileBranch && status.is_member() && rng.chance(60);
        let home_organization = is_mobile.then(|| (*rng.pick(HOME_ORGS)).to_owned());
        PersonFields {
            name,
            gender,
            birth_date: birth,
            ethnicity: ethnicity.to_owned(),
            education,
            worker_category: category,
            employer: enterprise.map(str::to_owned),
            station: station.map(str::to_owned),
            phone,
            id_card,
            status,
            org_id,
            is_mobile,
            home_organization,
            is_backbone: !frontline && rng.chance(25),
            is_key_position: rng.chance(10),
            dates,
        }
    }

    fn status_dates(&mut self, status: Status, age: i64) -> StatusDates {
        let today = self.today;
        let mut d = StatusDates::default();
        // The latest step first, then each earlier step a realistic gap before it.
        let years_as_adult = (age - 19).max(1) * 365;
        let latest = match status {
            Status::NonMember => return d,
            Status::Applicant => self.days_before(today, 5, 300),
            Status::Activist => self.days_before(today, 10, 700),
            Status::DevelopmentTarget => self.days_before(today, 10, 200),
            Status::ProbationaryMember => self.days_before(today, 10, 360),
            Status::FullMember => self.days_before(today, 10, (years_as_adult - 800).max(20)),
        };
        let mut next = latest;
        if status == Status::FullMember {
            d.full_member_on = Some(next);
            next = next.checked_sub(1.year()).unwrap_or(next);
        }
        if status >= Status::ProbationaryMember {
            d.admitted_on = Some(next);
            next = self.days_before(next, 60, 240);
        }
        if status >= Status::DevelopmentTarget {
            d.target_on = Some(next);
            next = self.days_before(next, 366, 600);
        }
        if status >= Status::Activist {
            d.activist_on = Some(next);
            next = self.days_before(next, 30, 200);
        }
        d.applied_on = Some(next);
        d
    }

    fn unique_id(&mut self, birth: Date, gender: Gender) -> IdCardNumber {
        let region = *self.rng.pick(REGIONS);
        let mut seq = (self.rng.below(500) * 2) as u32 + u32::from(gender == Gender::Male);
        for _ in 0..500 {
            let id = IdCardNumber::compose(region, birth, seq);
            if self.used_ids.insert(id.as_str().to_owned()) {
                return id;
            }
            seq = (seq + 2) % 1000;
        }
        // All 500 sequence numbers of this region and day are taken: use another region.
        let id = IdCardNumber::compose(region + 1, birth, seq);
        self.used_ids.insert(id.as_str().to_owned());
        id
    }
}

/// The shape of a generated deployment for `people` people: one working committee,
/// one enterprise committee per 10,000 people, each with 4 second-level committees of
/// 5 general branches of 10 branches (about 50 people a branch).
pub fn generated_orgs(people: u64, seed: u64) -> Vec<SeedOrg> {
    let enterprises = people.div_ceil(10_000).max(1);
    let mut rng = SplitMix64::new(seed ^ 0x6f72_6773);
    let mut n = 0u64;
    let mut next_id = || {
        n += 1;
        fixed_uuid(3, (seed << 32) ^ n)
    };
    let org = |id, parent, name: String, kind, approval, workers| SeedOrg {
        id,
        parent,
        fields: OrgFields {
            name,
            kind,
            approval_authority: approval,
            temporary: false,
            enterprise: None,
            station: None,
            address: None,
        },
        workers,
        people: 0,
    };
    let root = next_id();
    let mut out =
        vec![org(root, None, format!("生成数据工委（种子 {seed}）"), WorkingCommittee, true, PlatformStaff)];
    for e in 0..enterprises {
        let eid = next_id();
        out.push(org(eid, Some(root), format!("生成企业{e}党委"), Committee, true, PlatformStaff));
        for c in 0..4 {
            let cid = next_id();
            out.push(org(
                cid,
                Some(eid),
                format!("生成企业{e}第{c}二级党委"),
                Committee,
                false,
                PlatformStaff,
            ));
            for g in 0..5 {
                let gid = next_id();
                out.push(org(
                    gid,
                    Some(cid),
                    format!("生成企业{e}-{c}-{g}党总支"),
                    GeneralBranch,
                    false,
                    PlatformStaff,
                ));
                for b in 0..10 {
                    let workers =
                        *rng.pick(&[Rider, Rider, Courier, TruckDriver, RideHailingDriver, PlatformStaff]);
                    let kind = if workers == PlatformStaff { Branch } else { MobileBranch };
                    out.push(org(
                        next_id(),
                        Some(gid),
                        format!("生成企业{e}-{c}-{g}-{b}党支部"),
                        kind,
                        false,
                        workers,
                    ));
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use pioneer_domain::people::PersonInput;

    const TODAY: Date = Date::constant(2026, 11, 29);

    #[test]
    fn the_demo_has_the_articles_organisations() {
        let orgs = demo_orgs();
        let top: Vec<_> = orgs.iter().filter(|o| o.parent == Some(orgs[0].id)).collect();
        let enterprise = top.iter().filter(|o| o.fields.kind != IndustryOrganization).count();
        let industry = top.iter().filter(|o| o.fields.kind == IndustryOrganization).count();
        assert_eq!((enterprise, industry), (7, 1));
        assert!(orgs.iter().any(|o| o.fields.name == "腾讯数据平台部第三党支部"));
        assert!(orgs.iter().any(|o| o.fields.kind == MobileBranch && o.fields.station.is_some()));
    }

    #[test]
    fn demo_people_cover_every_status_and_category_and_pass_validation() {
        let orgs = demo_orgs();
        let people = demo_people(&orgs, TODAY);
        assert!(people.len() >= 300, "{}", people.len());
        for s in Status::ALL {
            assert!(people.iter().any(|p| p.fields.status == *s), "{s:?}");
        }
        for c in WorkerCategory::ALL {
            assert!(people.iter().any(|p| p.fields.worker_category == *c), "{c:?}");
        }
        // Every generated person is accepted by the same checks a form goes through.
        for p in &people {
            let f = &p.fields;
            let d = |x: Option<Date>| x.map(|d| d.to_string()).unwrap_or_default();
            let input = PersonInput {
                name: f.name.clone(),
                gender: f.gender.code().into(),
                birth_date: f.birth_date.to_string(),
                ethnicity: f.ethnicity.clone(),
                education: f.education.code().into(),
                worker_category: f.worker_category.code().into(),
                employer: f.employer.clone().unwrap_or_default(),
                station: f.station.clone().unwrap_or_default(),
                phone: f.phone.as_ref().map(|p| p.as_str().to_owned()).unwrap_or_default(),
                id_card: f.id_card.as_str().into(),
                status: f.status.code().into(),
                org_id: f.org_id.to_string(),
                is_mobile: f.is_mobile,
                home_organization: f.home_organization.clone().unwrap_or_default(),
                is_backbone: f.is_backbone,
                is_key_position: f.is_key_position,
                applied_on: d(f.dates.applied_on),
                activist_on: d(f.dates.activist_on),
                target_on: d(f.dates.target_on),
                admitted_on: d(f.dates.admitted_on),
                full_member_on: d(f.dates.full_member_on),
            };
            let parsed = PersonFields::parse(&input, TODAY);
            assert_eq!(parsed.as_ref().ok(), Some(f), "{:?}", parsed.as_ref().err());
        }
    }

    #[test]
    fn the_demo_is_the_same_every_time() {
        let a = demo_people(&demo_orgs(), TODAY);
        let b = demo_people(&demo_orgs(), TODAY);
        assert_eq!(a.len(), b.len());
        assert!(a.iter().zip(&b).all(|(x, y)| x.id == y.id && x.fields == y.fields));
    }

    #[test]
    fn some_seeded_members_leave_after_admission() {
        let today = Date::constant(2026, 11, 29);
        let orgs = demo_orgs();
        let people = demo_people(&orgs, today);
        let left: Vec<(&SeedPerson, Departure)> = people
            .iter()
            .enumerate()
            .filter_map(|(i, p)| leaving(i as u64, 25, &p.fields, today).map(|d| (p, d)))
            .collect();
        assert!(left.len() >= 3, "{}", left.len());
        for (p, d) in &left {
            let checked = Departure::parse(
                d.kind.code(),
                &d.left_on.to_string(),
                "",
                p.fields.status,
                &p.fields.dates,
                today,
            );
            assert_eq!(checked.map(|c| c.kind), Ok(d.kind), "{:?}", p.fields.dates);
        }
    }

    #[test]
    fn generated_trees_scale_with_people() {
        let orgs = generated_orgs(20_000, 1);
        assert_eq!(orgs.len(), 1 + 2 * (1 + 4 + 20 + 200));
        let ids: HashSet<_> = orgs.iter().map(|o| o.id).collect();
        assert_eq!(ids.len(), orgs.len());
    }
}
