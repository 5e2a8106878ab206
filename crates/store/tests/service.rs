//! Volunteer service in storage, on every database: a request becomes shifts; volunteers
//! (members and not) sign up within capacity and without overlap; the last place goes to
//! exactly one of many at the same instant; hours are checked in and out, confirmed once,
//! and earn credits once; everything stays clean for `pioneer check`.

#![expect(clippy::unwrap_used, reason = "a test fails loudly at the first surprise")]

use jiff::Timestamp;
use jiff::civil::Date;
use pioneer_domain::Reason;
use pioneer_domain::orgs::{OrgFields, OrgInput};
use pioneer_domain::people::id_card::IdCardNumber;
use pioneer_domain::people::{PersonFields, PersonInput};
use pioneer_domain::service::donations::{
    CampaignFields, CampaignInput, DistributionFields, DistributionInput, DonationFields, DonationInput,
};
use pioneer_domain::service::requests::{RequestFields, RequestInput, RequestStatus};
use pioneer_domain::service::shifts::{ShiftFields, ShiftInput};
use pioneer_domain::service::teams::{TeamFields, TeamInput, VolunteerFields, VolunteerInput};
use pioneer_store::service::requests::RequestLinks;
use pioneer_store::service::teams::TeamLinks;
use pioneer_store::testing::TestDb;
use pioneer_store::{Act, Backend, Store, StoreError};
use uuid::Uuid;

const TODAY: Date = Date::constant(2022, 3, 15);

fn act() -> Act {
    Act::new("leader", "service test", Timestamp::from_second(1_647_300_000).unwrap())
}

pioneer_store::on_both!(
    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    a_request_is_staffed_served_and_its_hours_confirmed_once,
    the_last_place_goes_to_exactly_one_of_many,
    donations_are_handed_out_never_beyond_what_was_received,
);

fn reason(e: StoreError) -> Reason {
    match e {
        StoreError::Invalid(v) => v.0[0].reason.clone(),
        other => panic!("not a refusal: {other}"),
    }
}

async fn setup(store: &Store, volunteers: u32) -> (Uuid, Vec<Uuid>) {
    let f = |name: &str, kind: &str| {
        OrgFields::parse(&OrgInput { name: name.into(), kind: kind.into(), ..Default::default() }).unwrap()
    };
    let root = store.create_org(&f("工委", "working_committee"), None, &act()).await.unwrap();
    let branch = store.create_org(&f("骑手流动党支部", "mobile_branch"), Some(root), &act()).await.unwrap();
    let mut ids = Vec::new();
    for i in 0..volunteers {
        // Every other volunteer is not a party member.
        let member = i % 2 == 0;
        let p = PersonFields::parse(
            &PersonInput {
                name: format!("骑手{i}"),
                ethnicity: "汉族".into(),
                education: "bachelor".into(),
                worker_category: "rider".into(),
                id_card: IdCardNumber::compose(440305, Date::constant(1995, 5, 5), 500 + i)
                    .as_str()
                    .to_owned(),
                status: if member { "full_member" } else { "non_member" }.into(),
                admitted_on: if member { "2014-07-01" } else { "" }.into(),
                full_member_on: if member { "2015-07-01" } else { "" }.into(),
                org_id: branch.to_string(),
                ..Default::default()
            },
            TODAY,
        )
        .unwrap();
        ids.push(store.create_person(&p, &act()).await.unwrap());
    }
    (branch, ids)
}

fn request() -> RequestFields {
    RequestFields::parse(&RequestInput {
        requester: "桃源街道福利院".into(),
        requester_kind: "welfare_institution".into(),
        contact_name: "李主任".into(),
        contact_phone: "13912345678".into(),
        kind: "meal_delivery".into(),
        address: "南山区桃源街道".into(),
        district: "南山区".into(),
        starts_at: "2022-03-15T08:00".into(),
        ends_at: "2022-03-15T20:00".into(),
        quantity: "120".into(),
        urgency: "urgent".into(),
        ..Default::default()
    })
    .unwrap()
}

fn shift(from: &str, to: &str, capacity: i64) -> ShiftFields {
    ShiftFields::parse(&ShiftInput {
        starts_at: format!("2022-03-15T{from}"),
        ends_at: format!("2022-03-15T{to}"),
        capacity: capacity.to_string(),
        task: "送餐到各楼".into(),
    })
    .unwrap()
}

fn at(s: &str) -> jiff::civil::DateTime {
    format!("2022-03-15T{s}").parse().unwrap()
}

async fn a_request_is_staffed_served_and_its_hours_confirmed_once(backend: Backend) {
    let Some(db) = TestDb::new(backend).await else { return };
    let store = db.store().await.unwrap();
    let (branch, people) = setup(&store, 3).await;
    let team = store
        .create_team(
            branch,
            &TeamFields::parse(&TeamInput {
                name: "美团配送队".into(),
                kind: "delivery_team".into(),
                districts: "南山区".into(),
                ..Default::default()
            })
            .unwrap(),
            TeamLinks { leader: Some(people[0]), campaign: None },
            &act(),
        )
        .await
        .unwrap();
    for p in &people {
        let v = VolunteerFields::parse(&VolunteerInput { vehicle: "e_bike".into(), ..Default::default() })
            .unwrap();
        store.add_volunteer(team, *p, &v, &act()).await.unwrap();
    }
    assert_eq!(store.team(team).await.unwrap().volunteers, 3, "members and non-members alike");
    let req = store
        .create_request(branch, &request(), RequestLinks { team: Some(team), campaign: None }, &act())
        .await
        .unwrap();
    let r = store.service_request(req, at("07:00")).await.unwrap();
    assert_eq!((r.status, r.contact_phone.as_str()), (RequestStatus::Open, "13912345678"));
    let morning = store.add_shift(req, &shift("08:00", "12:00", 2), &act()).await.unwrap();
    let overlapping = store.add_shift(req, &shift("11:00", "13:00", 5), &act()).await.unwrap();
    let (a, b, c) = (people[0], people[1], people[2]);
    // Each volunteer of the staffing team was told of both shifts, once each.
    for p in &people {
        let told = store.messages_for(*p, 10).await.unwrap();
        assert_eq!(told.iter().filter(|m| m.kind == "new_shift").count(), 2, "{told:?}");
    }
    assert_eq!(store.teams_led_by(store.org(branch).await.unwrap().tenant_id, a).await.unwrap().len(), 1);
    // Open to them before 08:00, the earliest first; none once taken by them.
    let open = store.open_shifts_for(a, at("07:00"), 10).await.unwrap();
    assert_eq!(open.iter().map(|s| s.id).collect::<Vec<_>>(), [morning, overlapping]);
    store.sign_up(morning, a, &act()).await.unwrap();
    assert_eq!(
        store.open_shifts_for(a, at("07:00"), 10).await.unwrap().len(),
        1,
        "taken shifts leave the list"
    );
    assert_eq!(store.my_shifts(a, TODAY, 10).await.unwrap()[0].id, morning);
    assert_eq!(reason(store.sign_up(morning, a, &act()).await.unwrap_err()), Reason::ShiftOverlaps, "twice");
    assert_eq!(reason(store.sign_up(overlapping, a, &act()).await.unwrap_err()), Reason::ShiftOverlaps);
    store.sign_up(morning, b, &act()).await.unwrap();
    assert_eq!(reason(store.sign_up(morning, c, &act()).await.unwrap_err()), Reason::ShiftFull);
    assert_eq!(store.shift(morning).await.unwrap().taken, 2, "a refusal takes no place");
    store.sign_up(overlapping, c, &act()).await.unwrap();
    assert_eq!(store.service_request(req, at("07:00")).await.unwrap().status, RequestStatus::Open);
    assert_eq!(store.service_request(req, at("09:00")).await.unwrap().status, RequestStatus::UnderWay);

    // Hours: out before in refused; confirmed once; credits once.
    assert_eq!(reason(store.check_out(morning, a, at("12:00"), &act()).await.unwrap_err()), Reason::Required);
    store.check_in(morning, a, at("08:05"), &act()).await.unwrap();
    assert_eq!(
        reason(store.check_in(morning, a, at("08:06"), &act()).await.unwrap_err()),
        Reason::AlreadyRecorded
    );
    assert_eq!(
        reason(store.check_out(morning, a, at("08:00"), &act()).await.unwrap_err()),
        Reason::EndsBeforeStart
    );
    assert_eq!(store.check_out(morning, a, at("12:05"), &act()).await.unwrap(), 240);
    let credited = store.confirm_hours(morning, a, Some("认真负责"), TODAY, &act()).await.unwrap();
    assert!(store.messages_for(a, 10).await.unwrap().iter().any(|m| m.kind == "hours_confirmed"));
    let signups = store.request_signups(store.org(branch).await.unwrap().tenant_id, req).await.unwrap();
    assert_eq!(signups.len(), 3);
    assert!(signups.iter().any(|g| g.person_id == a && g.confirmed && g.minutes == Some(240)));
    assert!(credited.is_some_and(|e| e.amount > 0), "confirmed hours earn credits");
    let balance = store.credit_balance(a).await.unwrap();
    assert_eq!(
        reason(store.confirm_hours(morning, a, None, TODAY, &act()).await.unwrap_err()),
        Reason::AlreadyRecorded
    );
    assert_eq!(store.credit_balance(a).await.unwrap(), balance, "hours confirmed twice earn nothing twice");
    // The certificate over the day: one confirmed service; b's unconfirmed shift is not in theirs.
    let cert = store.service_certificate(a, TODAY, TODAY).await.unwrap();
    assert_eq!((cert.records.len(), cert.minutes), (1, 240));
    let r = &cert.records[0];
    assert_eq!(
        (r.requester.as_str(), r.evaluation.as_deref(), r.confirmed_by.as_str()),
        ("桃源街道福利院", Some("认真负责"), "leader")
    );
    assert!(store.service_certificate(b, TODAY, TODAY).await.unwrap().records.is_empty());
    let before = Date::constant(2022, 3, 14);
    assert!(
        store.service_certificate(a, before, before).await.unwrap().records.is_empty(),
        "outside the period"
    );
    // The year's figures of the branch: one team of three (two members), two shifts, the
    // confirmed four hours, one institution served.
    let path = store.org(branch).await.unwrap().path;
    let f = store.service_figures(&path, 2022).await.unwrap();
    assert_eq!(
        (f.teams, f.volunteers, f.member_volunteers, f.shifts, f.minutes, f.requesters_served),
        (1, 3, 2, 2, 240, 1),
        "{f:?}"
    );
    assert_eq!(store.service_figures(&path, 2021).await.unwrap().shifts, 0);
    // Confirming the request: refused while shifts have not ended, then once.
    assert_eq!(
        reason(store.confirm_request(req, at("12:30"), &act()).await.unwrap_err()),
        Reason::NotYetDone
    );
    store.confirm_request(req, at("21:00"), &act()).await.unwrap();
    assert_eq!(
        reason(store.confirm_request(req, at("21:00"), &act()).await.unwrap_err()),
        Reason::AlreadyRecorded
    );
    let listed = store
        .requests_in(store.org(branch).await.unwrap().tenant_id, &path, None, None, at("21:00"), 10)
        .await
        .unwrap();
    assert_eq!(
        (listed.len(), listed[0].status, listed[0].capacity, listed[0].taken),
        (1, RequestStatus::Confirmed, 7, 3)
    );
    let report = store.check().await.unwrap();
    assert!(report.clean(), "{:?}", report.differences);
    // The board reads the shifts' running figures: a counter changed behind the store's
    // back is reported by the check.
    pioneer_store::on_db!(store.db(), pool => {
        sqlx::query("UPDATE shifts SET minutes_confirmed = minutes_confirmed + 60 WHERE id = $1")
            .bind(morning).execute(pool).await.unwrap();
    });
    let report = store.check().await.unwrap();
    assert!(
        report.differences.iter().any(|d| d.table == "shifts" && d.id == morning),
        "{:?}",
        report.differences
    );
}

/// Twenty volunteers take the last place of a shift at once: exactly one has it.
async fn the_last_place_goes_to_exactly_one_of_many(backend: Backend) {
    let Some(db) = TestDb::new(backend).await else { return };
    let store = db.store().await.unwrap();
    let (branch, people) = setup(&store, 20).await;
    let req = store.create_request(branch, &request(), RequestLinks::default(), &act()).await.unwrap();
    let last = store.add_shift(req, &shift("14:00", "16:00", 1), &act()).await.unwrap();
    let mut tasks = Vec::new();
    for p in people {
        let store = store.clone();
        tasks.push(tokio::spawn(async move { store.sign_up(last, p, &act()).await }));
    }
    let mut won = 0;
    for t in tasks {
        match t.await.unwrap() {
            Ok(()) => won += 1,
            Err(e) => assert_eq!(reason(e), Reason::ShiftFull),
        }
    }
    assert_eq!(won, 1);
    assert_eq!(store.shift(last).await.unwrap().taken, 1);
}

/// Ten thousand test kits for a campaign: handed out to institutions, never beyond what was
/// received — also when eight distributions of the rest are recorded at once.
async fn donations_are_handed_out_never_beyond_what_was_received(backend: Backend) {
    let Some(db) = TestDb::new(backend).await else { return };
    let store = db.store().await.unwrap();
    let (branch, people) = setup(&store, 1).await;
    let tenant = store.org(branch).await.unwrap().tenant_id;
    let campaign = store
        .create_campaign(
            branch,
            &CampaignFields::parse(&CampaignInput {
                name: "2022年抗疫专项行动".into(),
                starts_on: "2022-03-14".into(),
                ..Default::default()
            })
            .unwrap(),
            &act(),
        )
        .await
        .unwrap();
    let kits = DonationFields::parse(&DonationInput {
        donor: "货拉拉".into(),
        kind: "goods".into(),
        item: "抗原检测试剂盒".into(),
        unit: "盒".into(),
        quantity: "10000".into(),
        received_on: "2022-03-15".into(),
    })
    .unwrap();
    let donation = store.record_donation(branch, Some(campaign), &kits, &act()).await.unwrap();
    let give = |recipient: &str, n: i64| {
        DistributionFields::parse(&DistributionInput {
            recipient: recipient.into(),
            quantity: n.to_string(),
            on: "2022-03-16".into(),
            receipt: "签收单 001".into(),
        })
        .unwrap()
    };
    store.distribute(donation, &give("香港某安老院", 6000), &act()).await.unwrap();
    let refused = store.distribute(donation, &give("香港某安老院", 4001), &act()).await.unwrap_err();
    assert_eq!(reason(refused), Reason::NumberOutOfRange { min: 1, max: 4000 });
    assert_eq!(store.donation_left(donation).await.unwrap(), 4000, "a refusal takes nothing");
    let mut tasks = Vec::new();
    for i in 0..8 {
        let store = store.clone();
        let f = give(&format!("福利机构{i}"), 1000);
        tasks.push(tokio::spawn(async move { store.distribute(donation, &f, &act()).await }));
    }
    let mut given = 0;
    for t in tasks {
        if t.await.unwrap().is_ok() {
            given += 1;
        }
    }
    assert_eq!((given, store.donation_left(donation).await.unwrap()), (4, 0), "exactly the 4,000 left");
    let summary = store.campaign_donations(tenant, campaign).await.unwrap();
    assert_eq!(summary.len(), 1);
    assert_eq!((summary[0].received, summary[0].distributed, summary[0].recipients), (10_000, 10_000, 5));
    let path = store.org(branch).await.unwrap().path;
    assert_eq!(store.service_figures(&path, 2022).await.unwrap().goods_distributed, 10_000);

    // The board: a request of the campaign with one shift, a volunteer on it.
    let links = RequestLinks { team: None, campaign: Some(campaign) };
    let req = store.create_request(branch, &request(), links, &act()).await.unwrap();
    let morning = store.add_shift(req, &shift("08:00", "12:00", 2), &act()).await.unwrap();
    let v = people[0];
    assert_eq!(
        store.open_shifts_for(v, at("07:00"), 5).await.unwrap()[0].campaign.as_deref(),
        Some("2022年抗疫专项行动")
    );
    store.sign_up(morning, v, &act()).await.unwrap();
    store.check_in(morning, v, at("08:00"), &act()).await.unwrap();
    let b = store.campaign_board(campaign, at("09:00")).await.unwrap();
    assert_eq!(
        (b.total.requests, b.total.open, b.total.volunteers, b.total.on_shift, b.total.deliveries),
        (1, 1, 1, 1, 0)
    );
    store.check_out(morning, v, at("12:00"), &act()).await.unwrap();
    store.confirm_hours(morning, v, None, TODAY, &act()).await.unwrap();
    let b = store.campaign_board(campaign, at("13:00")).await.unwrap();
    assert_eq!(
        (b.total.open, b.total.on_shift, b.total.minutes, b.total.deliveries, b.total.served),
        (0, 0, 240, 120, 1),
        "{b:?}"
    );
    assert_eq!(b.rows.len(), 1);
    assert!(!store.campaign(campaign).await.unwrap().published);
    store.publish_campaign(campaign, true, &act()).await.unwrap();
    assert!(store.campaign(campaign).await.unwrap().published);
    assert_eq!(store.campaigns_around(tenant, &path).await.unwrap().len(), 1);
    assert!(store.check().await.unwrap().clean());
}
