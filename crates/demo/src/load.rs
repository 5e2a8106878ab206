//! Loading the demo deployment and generating synthetic data at scale: organisations,
//! people (a few of whom have left) and dossiers with a known share of planted faults.
//!
//! Both are idempotent: rows have fixed ids and inserts skip existing ones, so a second
//! run adds nothing.

use crate::deployment::{self, SeedOrg, Synth};
use crate::dossier_gen::DossierGen;
use jiff::civil::Date;
use pioneer_domain::development::dev_settings::DevSettings;
use pioneer_domain::development::dossier::{self, Key};
use pioneer_domain::development::engine::{self, RuleBook};
use pioneer_domain::people::PersonFields;
use pioneer_store::bulk::OrgRow;
use pioneer_store::development::dossier_batch::{BATCH, prepare};
use pioneer_store::{Act, Store, StoreError};
use std::collections::BTreeMap;
use uuid::Uuid;

/// What a load added.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Loaded {
    /// Organisations added.
    pub orgs: u64,
    /// People added.
    pub people: u64,
    /// Dossiers added.
    pub dossiers: u64,
}

/// What a generation of dossiers made.
#[derive(Debug, Clone, Default)]
pub struct GeneratedDossiers {
    /// Dossiers written.
    pub dossiers: u64,
    /// Events written.
    pub events: u64,
    /// Planted faults by check code.
    pub planted: BTreeMap<&'static str, u64>,
}

/// One member in this many of the demo has left (出党, or died), so the figures show some.
const DEMO_LEAVING: u64 = 25;
/// One member in this many of generated people has left.
const GENERATED_LEAVING: u64 = 101;

fn org_rows(orgs: &[SeedOrg]) -> Vec<OrgRow<'_>> {
    orgs.iter().map(|o| OrgRow { id: o.id, parent: o.parent, fields: &o.fields }).collect()
}

/// Loads the demo deployment of the source article; a second load adds nothing.
pub async fn load_demo(store: &Store, today: Date, act: &Act) -> Result<Loaded, StoreError> {
    let orgs = deployment::demo_orgs();
    let (added_orgs, known) = store.insert_orgs_if_absent(&org_rows(&orgs), true, act).await?;
    let people = deployment::demo_people(&orgs, today);
    let mut added_people = 0;
    for chunk in people.chunks(500) {
        let batch: Vec<(Uuid, &PersonFields)> = chunk.iter().map(|p| (p.id, &p.fields)).collect();
        added_people += store.insert_people_if_absent(&batch, &known, true, act).await?;
    }
    if added_people > 0 {
        for (i, p) in people.iter().enumerate() {
            if let Some(d) = deployment::leaving(i as u64, DEMO_LEAVING, &p.fields, today) {
                store.record_departure(p.id, p.fields.status, &d, act).await?;
            }
        }
    }
    let dossiers = crate::dossiers::load_demo_dossiers(store, today, act).await?;
    store.set_meta("demo", "shenzhen-internet-enterprise-working-committee").await?;
    store.analyze().await?;
    Ok(Loaded { orgs: added_orgs, people: added_people, dossiers })
}

/// Generates `count` synthetic people (and a tree to hold them) from `seed`, reporting
/// progress after each batch. Re-running with the same seed adds nothing.
pub async fn generate(
    store: &Store,
    count: u64,
    seed: u64,
    today: Date,
    act: &Act,
    mut progress: impl FnMut(u64),
) -> Result<Loaded, StoreError> {
    let orgs = deployment::generated_orgs(count, seed);
    let (added_orgs, known) = store.insert_orgs_if_absent(&org_rows(&orgs), false, act).await?;
    let branches: Vec<&SeedOrg> = orgs.iter().filter(|o| o.fields.kind.is_branch()).collect();
    let mut synth = Synth::new(seed, today);
    let mut added = 0u64;
    let mut done = 0u64;
    const PEOPLE_BATCH: u64 = 2_000;
    while done < count {
        let n = PEOPLE_BATCH.min(count - done);
        let batch: Vec<(Uuid, PersonFields)> = (done..done + n)
            .map(|i| {
                let org = branches[usize::try_from(i % branches.len() as u64).unwrap_or(0)];
                let f = synth.person(org.id, org.workers, org.fields.kind, None, None);
                (deployment::fixed_uuid(4, (seed << 40) ^ i), f)
            })
            .collect();
        let refs: Vec<(Uuid, &PersonFields)> = batch.iter().map(|(id, f)| (*id, f)).collect();
        let fresh = store.insert_people_if_absent(&refs, &known, false, act).await?;
        if fresh == n {
            for (i, (id, f)) in (done..).zip(&batch) {
                if let Some(d) = deployment::leaving(i, GENERATED_LEAVING, f, today) {
                    store.record_departure(*id, f.status, &d, act).await?;
                }
            }
        }
        added += fresh;
        done += n;
        progress(done);
    }
    store.analyze().await?;
    Ok(Loaded { orgs: added_orgs, people: added, dossiers: 0 })
}

/// Generates up to `count` dossiers for people who have none, as of `today`;
/// `fault_percent` of them carry one planted fault.
pub async fn generate_dossiers(
    store: &Store,
    count: u64,
    seed: u64,
    fault_percent: u64,
    today: Date,
    act: &Act,
    mut progress: impl FnMut(u64),
) -> Result<GeneratedDossiers, StoreError> {
    let calendar = store.work_calendar().await?;
    let mut g = DossierGen::new(seed, today, &calendar);
    g.fault_percent = fault_percent;
    let book = RuleBook::standard();
    let settings = DevSettings::default();
    let mut out = GeneratedDossiers::default();
    let mut after = Uuid::nil();
    while out.dossiers < count {
        let want = (count - out.dossiers).min(BATCH as u64) as i64;
        let people = store.people_without_dossier(after, want).await?;
        let Some(last) = people.last() else { break };
        after = last.0;
        let mut batch = Vec::with_capacity(people.len());
        for (person_id, tenant_id, org_id, org_path) in people {
            let made = g.next_dossier();
            if let Some(f) = made.fault {
                *out.planted.entry(f.code).or_default() += 1;
            }
            let mut d = made.dossier;
            // Filings and approvals name the tenant's top organisation.
            for e in &mut d.events {
                for key in [Key::ToOrg, Key::Approver] {
                    if e.id(key).is_some() {
                        e.set(key, dossier::Value::Id(tenant_id));
                    }
                }
            }
            let eval = engine::evaluate(&book, &d, &settings, today);
            batch.push(prepare((person_id, tenant_id, org_id, org_path), d, &eval));
        }
        out.events += store.insert_dossier_batch(&batch, act).await?;
        out.dossiers += batch.len() as u64;
        progress(out.dossiers);
    }
    store.analyze().await?;
    Ok(out)
}
