//! Dossiers of the demo deployment: every demo person in the pipeline (applicants,
//! activists, development targets, probationary members) gets a dossier that reaches the
//! step their status implies, a few with a planted fault so screening has something to
//! show, a notice running today on the board, and filings waiting in upper queues; and a
//! training class and one-to-one contacts at Tencent's committee.

use crate::dossier_gen::{DossierGen, FAULTS};
use jiff::ToSpan;
use jiff::civil::Date;
use pioneer_domain::development::dev_settings::DevSettings;
use pioneer_domain::development::dossier::{Event, Key, Kind, Value, step as s};
use pioneer_domain::development::engine::{self, RuleBook};
use pioneer_domain::orgs;
use pioneer_store::Act;
use pioneer_store::Store;
use pioneer_store::StoreError;
use pioneer_store::development::dossier_batch::prepare;
use uuid::Uuid;

/// Adds the demo dossiers (idempotent: people who have one are skipped).
pub async fn load_demo_dossiers(store: &Store, today: Date, act: &Act) -> Result<u64, StoreError> {
    let people = store.demo_pipeline_without_dossier().await?;
    if people.is_empty() {
        return Ok(0);
    }
    let calendar = store.work_calendar().await?;
    let mut g = DossierGen::new(2026, today, &calendar);
    let book = RuleBook::standard();
    let settings = DevSettings::default();
    let orgs = store.orgs(None).await?;
    let mut batch = Vec::new();
    let mut notices = 0;
    let mut members_of: std::collections::HashMap<Uuid, Vec<Uuid>> = std::collections::HashMap::new();
    for (i, (person_id, tenant_id, org_id, org_path, status, birth)) in people.into_iter().enumerate() {
        // The nearest committee with approval authority above the person approves and
        // receives filings; full members of the tenant serve as contacts and introducers.
        let approver = orgs::ancestors(&org_path)
            .iter()
            .rev()
            .filter_map(|id| orgs.iter().find(|o| o.id == *id))
            .find(|o| o.fields.approval_authority)
            .map_or(tenant_id, |o| o.id);
        if let std::collections::hash_map::Entry::Vacant(slot) = members_of.entry(tenant_id) {
            let found = store.first_full_members(tenant_id, 3).await?;
            slot.insert(found);
        }
        let members = &members_of[&tenant_id];
        let reach = match (status.as_str(), i % 4) {
            ("applicant", n) => 1 + (n % 2) as u8,
            ("activist", n) => [3, 5, 6, 6][n],
            ("development_target", n) => [7, 9, 11, 14][n],
            (_, n) => [17, 20, 21, 21][n],
        };
        let fault = if i % 5 == 3 {
            let fits: Vec<_> =
                FAULTS.iter().filter(|(c, min)| *min <= reach && c.code != "under_age").collect();
            fits.get(i % fits.len().max(1)).map(|f| f.0)
        } else {
            None
        };
        let mut d = g.make(reach, fault).dossier;
        d.birth_date = birth.parse().ok();
        for e in &mut d.events {
            for key in [Key::ToOrg, Key::Approver] {
                if e.id(key).is_some() {
                    e.set(key, Value::Id(approver));
                }
            }
            for (slot, key) in
                [Key::Contact1, Key::Contact2, Key::Introducer1, Key::Introducer2].iter().enumerate()
            {
                if e.id(*key).is_some()
                    && let Some(m) = members.get(slot % members.len().max(1))
                {
                    e.set(*key, Value::Id(*m));
                }
            }
        }
        // Two activists ready for the decision get a notice running today.
        let ready = reach == s::CULTIVATION && fault.is_none() && notices < 2;
        if ready {
            let posted = today.checked_sub(1.day()).unwrap_or(today);
            let ends = calendar.nth_workday(posted, 5);
            let seq = d.next_seq();
            d.events.push(
                Event::new(seq, Kind::PublicNotice, posted)
                    .with(Key::Point, Value::Code("target"))
                    .with(Key::WorkingDays, Value::Int(5))
                    .with(Key::EndsOn, Value::Date(ends)),
            );
            notices += 1;
        }
        let eval = engine::evaluate(&book, &d, &settings, today);
        let (st, dates) = engine::status_reached(&d);
        store.set_status_reached(person_id, st, &dates, act).await?;
        batch.push(prepare((person_id, tenant_id, org_id, org_path), d, &eval));
    }
    let n = batch.len() as u64;
    for chunk in batch.chunks(200) {
        store.insert_dossier_batch(chunk, act).await?;
    }
    load_demo_training_and_contacts(store, today, act).await?;
    Ok(n)
}

/// A development-target class at Tencent's committee attended by its development
/// targets, and its key staff paired with full members (some contacted, some overdue).
async fn load_demo_training_and_contacts(store: &Store, today: Date, act: &Act) -> Result<(), StoreError> {
    let orgs = store.orgs(None).await?;
    let Some(tencent) = orgs.iter().find(|o| o.fields.name == "中共腾讯公司委员会" && o.is_demo)
    else {
        return Ok(());
    };
    if !store.classes_in(&tencent.path).await?.is_empty() {
        return Ok(());
    }
    let starts = today.checked_sub(60.days()).unwrap_or(today);
    let class = pioneer_domain::development::training::TrainingClass {
        kind: pioneer_domain::development::training::ClassKind::Target,
        title: "2026年第二期发展对象集中培训班".into(),
        starts_on: starts,
        ends_on: starts.checked_add(2.days()).unwrap_or(starts),
        days: 3,
        hours: 24,
    };
    let class_id = store.create_class(tencent.id, &class, act).await?;
    let people = store.demo_people_in(&tencent.path).await?;
    for (i, (id, _, _)) in people.iter().filter(|p| p.1 == "development_target").take(8).enumerate() {
        store.record_attendance(class_id, *id, if i % 4 == 3 { 16 } else { 24 }, true, act).await?;
    }
    let members: Vec<Uuid> = people.iter().filter(|p| p.1 == "full_member").map(|p| p.0).take(3).collect();
    let backbone =
        people.iter().filter(|p| p.2 && !matches!(p.1.as_str(), "full_member" | "probationary_member"));
    let since = today.checked_sub(45.days()).unwrap_or(today);
    for (i, (id, _, _)) in backbone.take(6).enumerate() {
        let Some(member) = members.get(i % members.len().max(1)) else { break };
        let link = store.assign_contact(*id, *member, 30, since, act).await?;
        if i % 2 == 0 {
            let on = today.checked_sub(10.days()).unwrap_or(today);
            store.record_contact(link, on, "了解工作和思想情况", today, act).await?;
        }
    }
    Ok(())
}
