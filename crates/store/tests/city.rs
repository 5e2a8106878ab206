//! The city side in storage, on every database: a badge verifies only while its member is
//! a member of the organisation it was issued in (a transfer, leaving or a revocation ends
//! it at once); numbers and plates are not issued twice; a sticker needs a member; the
//! directory imports and searches (members-only entries hidden from the public); places
//! must lie in the region and find their district; the portal's settings and queues.

#![expect(clippy::unwrap_used, reason = "a test fails loudly at the first surprise")]

use jiff::Timestamp;
use jiff::civil::Date;
use pioneer_domain::city::badges::{BadgeFields, BadgeInput, EndReason, FeedbackFields, FeedbackInput};
use pioneer_domain::city::directory::{EntryFields, EntryInput};
use pioneer_domain::city::geo::{Bounds, Point};
use pioneer_domain::city::places::{PlaceFields, PlaceInput};
use pioneer_domain::city::portal::{
    CitizenSignupFields, CitizenSignupInput, PortalSettings, PortalSettingsInput,
};
use pioneer_domain::orgs::{OrgFields, OrgInput};
use pioneer_domain::people::departure::Departure;
use pioneer_domain::people::id_card::IdCardNumber;
use pioneer_domain::people::{PersonFields, PersonInput, Status};
use pioneer_domain::service::teams::{TeamFields, TeamInput};
use pioneer_store::city::directory::DirectoryQuery;
use pioneer_store::city::map::District;
use pioneer_store::service::teams::TeamLinks;
use pioneer_store::testing::TestDb;
use pioneer_store::{Act, Backend, Store, StoreError};
use uuid::Uuid;

const TODAY: Date = Date::constant(2026, 11, 29);

fn act() -> Act {
    Act::new("secretary", "city test", Timestamp::from_second(1_764_400_000).unwrap())
}

pioneer_store::on_both!(
    #[tokio::test]
    a_badge_verifies_only_while_its_member_is_a_member_where_it_was_issued,
    the_directory_imports_all_or_nothing_and_hides_members_only_entries,
    places_lie_in_the_region_and_find_their_district,
    the_portal_keeps_its_settings_and_a_teams_queue_of_citizens,
);

fn field(e: StoreError) -> &'static str {
    match e {
        StoreError::Invalid(v) => v.0[0].field,
        other => panic!("not a refusal: {other}"),
    }
}

async fn orgs(store: &Store) -> (Uuid, Uuid, Uuid) {
    let f = |name: &str, kind: &str| {
        OrgFields::parse(&OrgInput { name: name.into(), kind: kind.into(), ..Default::default() }).unwrap()
    };
    let root = store.create_org(&f("工委", "working_committee"), None, &act()).await.unwrap();
    let a = store.create_org(&f("骑手流动党支部", "mobile_branch"), Some(root), &act()).await.unwrap();
    let b = store.create_org(&f("货车司机党支部", "branch"), Some(root), &act()).await.unwrap();
    (root, a, b)
}

fn person(org: Uuid, i: u32, status: &str) -> PersonFields {
    let member = status == "full_member";
    PersonFields::parse(
        &PersonInput {
            name: format!("张骑手{i}"),
            ethnicity: "汉族".into(),
            education: "bachelor".into(),
            worker_category: "rider".into(),
            id_card: IdCardNumber::compose(440305, Date::constant(1995, 5, 5), 700 + i).as_str().to_owned(),
            status: status.into(),
            admitted_on: if member { "2014-07-01" } else { "" }.into(),
            full_member_on: if member { "2015-07-01" } else { "" }.into(),
            org_id: org.to_string(),
            ..Default::default()
        },
        TODAY,
    )
    .unwrap()
}

fn badge(kind: &str, number: &str, plate: &str) -> BadgeFields {
    BadgeFields::parse(
        &BadgeInput { kind: kind.into(), number: number.into(), plate: plate.into(), ..Default::default() },
        TODAY,
    )
    .unwrap()
}

async fn a_badge_verifies_only_while_its_member_is_a_member_where_it_was_issued(backend: Backend) {
    let Some(db) = TestDb::new(backend).await else { return };
    let store = &db.store().await.unwrap();
    let (_, a, b) = orgs(store).await;
    let m1 = store.create_person(&person(a, 1, "full_member"), &act()).await.unwrap();
    let m2 = store.create_person(&person(a, 2, "full_member"), &act()).await.unwrap();
    let m3 = store.create_person(&person(a, 3, "full_member"), &act()).await.unwrap();
    let outsider = store.create_person(&person(a, 4, "non_member"), &act()).await.unwrap();

    let b1 = store.issue_badge(m1, &badge("badge", "SZ-0001", ""), &act()).await.unwrap();
    let s2 = store.issue_badge(m2, &badge("sticker", "", "粤B12345"), &act()).await.unwrap();
    let b3 = store.issue_badge(m3, &badge("badge", "SZ-0003", ""), &act()).await.unwrap();
    let tenant = store.badge(b1).await.unwrap().tenant_id;

    // Bad input: nothing written.
    assert_eq!(
        field(store.issue_badge(m2, &badge("badge", "SZ-0001", ""), &act()).await.unwrap_err()),
        "number"
    );
    assert_eq!(
        field(store.issue_badge(m3, &badge("sticker", "", "粤B 12345"), &act()).await.unwrap_err()),
        "plate"
    );
    assert_eq!(
        field(store.issue_badge(outsider, &badge("sticker", "", "粤B99999"), &act()).await.unwrap_err()),
        "person_id"
    );
    assert_eq!(store.badges_in(tenant, &store.org(a).await.unwrap().path, 100).await.unwrap().len(), 3);

    let v = store.verify_badge(tenant, s2).await.unwrap();
    assert!(v.valid);
    assert_eq!(
        (v.member.as_str(), v.plate.as_deref(), v.organisation.as_str()),
        ("张某", Some("粤B***45"), "骑手流动党支部")
    );
    assert!(store.badge(s2).await.unwrap().number.starts_with("XFG-"));

    // A transfer to another branch ends badge 1 at once.
    let mut moved = person(b, 1, "full_member");
    moved.org_id = b;
    store.update_person(m1, &moved, &act()).await.unwrap();
    let v = store.verify_badge(tenant, b1).await.unwrap();
    assert_eq!((v.valid, v.invalid.as_deref()), (false, Some("transferred")));

    // Leaving ends badge 3.
    let p3 = store.person(m3).await.unwrap();
    let d =
        Departure::parse("withdrew", "2026-11-01", "", Status::FullMember, &p3.fields.dates, TODAY).unwrap();
    store.record_departure(m3, Status::FullMember, &d, &act()).await.unwrap();
    assert_eq!(store.verify_badge(tenant, b3).await.unwrap().invalid.as_deref(), Some("left"));

    // A revocation ends the sticker; a second end is refused; the plate may carry a new one.
    store.end_badge(s2, EndReason::Revoked, TODAY, &act()).await.unwrap();
    assert_eq!(store.verify_badge(tenant, s2).await.unwrap().invalid.as_deref(), Some("revoked"));
    assert!(store.end_badge(s2, EndReason::Returned, TODAY, &act()).await.is_err());
    store.issue_badge(m2, &badge("sticker", "", "粤B12345"), &act()).await.unwrap();

    // A citizen's complaint reaches the branch; its phone is opened only for the branch.
    let f = FeedbackFields::parse(&FeedbackInput {
        kind: "complaint".into(),
        body: "闯红灯".into(),
        phone: "13800138000".into(),
        ..Default::default()
    })
    .unwrap();
    store.receive_feedback(tenant, b1, &f, &act()).await.unwrap();
    let fb = store.feedback_in(tenant, &store.org(a).await.unwrap().path, 10).await.unwrap();
    assert_eq!((fb.len(), fb[0].phone.as_deref()), (1, Some("13800138000")));
    store.handle_feedback(tenant, fb[0].id, &act()).await.unwrap();
    assert!(store.handle_feedback(tenant, fb[0].id, &act()).await.is_err());
    assert!(store.check().await.unwrap().clean(), "badges are covered rows: every write named them");
}

fn entry(name: &str, category: &str, phone: &str, audience: &str) -> EntryFields {
    EntryFields::parse(
        &EntryInput {
            name: name.into(),
            category: category.into(),
            district: "南山区".into(),
            phone: phone.into(),
            audience: audience.into(),
            ..Default::default()
        },
        TODAY,
    )
    .unwrap()
}

async fn the_directory_imports_all_or_nothing_and_hides_members_only_entries(backend: Backend) {
    let Some(db) = TestDb::new(backend).await else { return };
    let store = &db.store().await.unwrap();
    let (root, a, _) = orgs(store).await;
    let rows = vec![
        entry("南山区人民医院", "hospital", "0755-26553111", ""),
        entry("桃源街道核酸检测点_50%", "testing_site", "0755-86001234", ""),
        entry("骑手之家内部热线", "hotline", "13800138000", "members"),
    ];
    store.import_entries(a, &rows, &act()).await.unwrap();
    let tenant = store.org(root).await.unwrap().tenant_id;
    let public = DirectoryQuery { q: Some("_50%".into()), ..Default::default() };
    let found = store.search_entries(tenant, &public, 20).await.unwrap();
    assert_eq!(found.len(), 1, "wildcards are searched as text");
    let all = store.search_entries(tenant, &DirectoryQuery::default(), 20).await.unwrap();
    assert_eq!(all.len(), 2, "the members-only hotline is hidden from the public");
    let members = store
        .search_entries(tenant, &DirectoryQuery { members: true, ..Default::default() }, 20)
        .await
        .unwrap();
    assert_eq!(members.len(), 3);
    assert_eq!(members.iter().find(|e| e.category == "hotline").unwrap().org_name, "骑手流动党支部");
    let id = all[0].id;
    store.verify_entry(id, TODAY, &act()).await.unwrap();
    assert_eq!(store.entry(id).await.unwrap().verified_on, "2026-11-29");
}

fn square(lat: f64, lng: f64, half: f64) -> Vec<Vec<Vec<Point>>> {
    vec![vec![vec![
        Point::from_degrees(lat - half, lng - half),
        Point::from_degrees(lat - half, lng + half),
        Point::from_degrees(lat + half, lng + half),
        Point::from_degrees(lat + half, lng - half),
    ]]]
}

async fn places_lie_in_the_region_and_find_their_district(backend: Backend) {
    let Some(db) = TestDb::new(backend).await else { return };
    let store = &db.store().await.unwrap();
    let (root, a, _) = orgs(store).await;
    let tenant = store.org(root).await.unwrap().tenant_id;
    let place = |lat: &str, lng: &str, district: &str| PlaceInput {
        name: "科技园骑手驿站".into(),
        kind: "station".into(),
        lat: lat.into(),
        lng: lng.into(),
        district: district.into(),
        ..Default::default()
    };
    let region = Store::region_of(&store.districts(tenant).await.unwrap());
    assert_eq!(region, Bounds::SHENZHEN);
    store
        .replace_districts(
            tenant,
            &[
                District { name: "南山区".into(), outline: square(22.53, 113.93, 0.05), schematic: true },
                District { name: "福田区".into(), outline: square(22.54, 114.05, 0.05), schematic: true },
            ],
            &act(),
        )
        .await
        .unwrap();
    let region = Store::region_of(&store.districts(tenant).await.unwrap());
    let f = PlaceFields::parse(&place("22.54", "113.94", ""), &region).unwrap();
    let id = store.create_place(a, &f, &act()).await.unwrap();
    assert_eq!(store.place(id).await.unwrap().district, "南山区");
    // Inside Shenzhen but outside the imported districts' bounds: refused by the store too.
    let far = PlaceFields::parse(&place("22.80", "114.50", ""), &Bounds::SHENZHEN).unwrap();
    assert_eq!(field(store.create_place(a, &far, &act()).await.unwrap_err()), "lat");
    // In the bounds but in no district, and none typed.
    let gap = PlaceFields::parse(&place("22.58", "113.99", ""), &region).unwrap();
    assert_eq!(field(store.create_place(a, &gap, &act()).await.unwrap_err()), "district");
    let gap = PlaceFields::parse(&place("22.58", "113.99", "南山区"), &region).unwrap();
    store.create_place(a, &gap, &act()).await.unwrap();
    let all = store.places(tenant, &Default::default(), TODAY, 100).await.unwrap();
    assert_eq!(all.len(), 2);
}

async fn the_portal_keeps_its_settings_and_a_teams_queue_of_citizens(backend: Backend) {
    let Some(db) = TestDb::new(backend).await else { return };
    let store = &db.store().await.unwrap();
    let (root, a, _) = orgs(store).await;
    let tenant = store.org(root).await.unwrap().tenant_id;
    assert!(store.portal_settings(tenant, 2026).await.unwrap().figures.is_empty());
    let s = PortalSettings::parse(
        &PortalSettingsInput {
            figures: "new_members,college_share".into(),
            since_year: "2022".into(),
            ..Default::default()
        },
        2026,
    )
    .unwrap();
    store.set_portal_settings(tenant, &s, &act()).await.unwrap();
    assert_eq!(store.portal_settings(tenant, 2026).await.unwrap(), s);
    let team = TeamFields::parse(&TeamInput {
        name: "青年突击队".into(),
        kind: "strike_team".into(),
        ..Default::default()
    })
    .unwrap();
    let team = store.create_team(a, &team, TeamLinks::default(), &act()).await.unwrap();
    let f = CitizenSignupFields::parse(&CitizenSignupInput {
        name: "王市民".into(),
        phone: "13912345678".into(),
        ..Default::default()
    })
    .unwrap();
    assert_eq!(
        field(store.receive_citizen_signup(tenant, Uuid::now_v7(), &f, &act()).await.unwrap_err()),
        "team_id"
    );
    let id = store.receive_citizen_signup(tenant, team, &f, &act()).await.unwrap();
    let q = store.citizen_signups(tenant, team).await.unwrap();
    assert_eq!((q.len(), q[0].phone.as_str()), (1, "13912345678"));
    store.handle_citizen_signup(tenant, id, "contacted", &act()).await.unwrap();
    assert!(store.handle_citizen_signup(tenant, id, "declined", &act()).await.is_err());
}
