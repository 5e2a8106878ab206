//! Loading the demo deployment and generating synthetic data at scale.
//!
//! Both are idempotent: rows have fixed ids and inserts skip existing ones, so a second
//! run adds nothing.

use crate::db::BeginWrite;
use crate::error::StoreError;
use crate::journal::{Act, Change, journal_append};
use crate::people::{INSERT_PERSON, bind_person};
use crate::{Store, on_db};
use jiff::civil::Date;
use pioneer_domain::demo::{self, SeedOrg, Synth};
use pioneer_domain::people::PersonFields;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
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

/// One member in this many of the demo has left (出党, or died), so the figures show some.
const DEMO_LEAVING: u64 = 25;
/// One member in this many of generated people has left.
const GENERATED_LEAVING: u64 = 101;

impl Store {
    async fn insert_seed_orgs(
        &self,
        orgs: &[SeedOrg],
        is_demo: bool,
        act: &Act,
    ) -> Result<(u64, HashMap<Uuid, crate::orgs::OrgRecord>), StoreError> {
        let mut added = 0;
        let mut known: HashMap<Uuid, crate::orgs::OrgRecord> = HashMap::new();
        for o in orgs {
            let parent = match o.parent {
                Some(p) => match known.get(&p) {
                    Some(r) => Some(r.clone()),
                    None => Some(self.org(p).await?),
                },
                None => None,
            };
            // The record just written, or (already there) the stored one.
            let rec = match self.insert_org(o.id, &o.fields, parent.as_ref(), is_demo, act).await? {
                Some(rec) => {
                    added += 1;
                    rec
                }
                None => self.org(o.id).await?,
            };
            known.insert(o.id, rec);
        }
        Ok((added, known))
    }

    /// Loads the demo deployment of the source article; a second load adds nothing.
    pub async fn load_demo(&self, today: Date, act: &Act) -> Result<Loaded, StoreError> {
        let orgs = demo::demo_orgs();
        let (added_orgs, known) = self.insert_seed_orgs(&orgs, true, act).await?;
        let people = demo::demo_people(&orgs, today);
        let mut added_people = 0;
        for chunk in people.chunks(500) {
            let batch: Vec<(Uuid, &PersonFields)> = chunk.iter().map(|p| (p.id, &p.fields)).collect();
            added_people += self.insert_people_batch(&batch, &known, true, act).await?;
        }
        if added_people > 0 {
            for (i, p) in people.iter().enumerate() {
                if let Some(d) = demo::leaving(i as u64, DEMO_LEAVING, &p.fields, today) {
                    self.record_departure(p.id, p.fields.status, &d, act).await?;
                }
            }
        }
        let dossiers = self.load_demo_dossiers(today, act).await?;
        self.set_meta("demo", "shenzhen-internet-enterprise-working-committee").await?;
        self.analyze().await?;
        Ok(Loaded { orgs: added_orgs, people: added_people, dossiers })
    }

    /// Generates `count` synthetic people (and a tree to hold them) from `seed`, reporting
    /// progress after each batch. Re-running with the same seed adds nothing.
    pub async fn generate(
        &self,
        count: u64,
        seed: u64,
        today: Date,
        act: &Act,
        mut progress: impl FnMut(u64),
    ) -> Result<Loaded, StoreError> {
        let orgs = demo::generated_orgs(count, seed);
        let (added_orgs, known) = self.insert_seed_orgs(&orgs, false, act).await?;
        let branches: Vec<&SeedOrg> = orgs.iter().filter(|o| o.fields.kind.is_branch()).collect();
        let mut synth = Synth::new(seed, today);
        let mut added = 0u64;
        let mut done = 0u64;
        const BATCH: u64 = 2_000;
        while done < count {
            let n = BATCH.min(count - done);
            let batch: Vec<(Uuid, PersonFields)> = (done..done + n)
                .map(|i| {
                    let org = branches[usize::try_from(i % branches.len() as u64).unwrap_or(0)];
                    let f = synth.person(org.id, org.workers, org.fields.kind, None, None);
                    (demo::fixed_uuid(4, (seed << 40) ^ i), f)
                })
                .collect();
            let refs: Vec<(Uuid, &PersonFields)> = batch.iter().map(|(id, f)| (*id, f)).collect();
            let fresh = self.insert_people_batch(&refs, &known, false, act).await?;
            if fresh == n {
                for (i, (id, f)) in (done..).zip(&batch) {
                    if let Some(d) = demo::leaving(i, GENERATED_LEAVING, f, today) {
                        self.record_departure(*id, f.status, &d, act).await?;
                    }
                }
            }
            added += fresh;
            done += n;
            progress(done);
        }
        self.analyze().await?;
        Ok(Loaded { orgs: added_orgs, people: added, dossiers: 0 })
    }

    /// Inserts a batch of people in one transaction with one journal entry for the batch
    /// (its size and a hash of its ids), rather than one entry each.
    async fn insert_people_batch(
        &self,
        batch: &[(Uuid, &PersonFields)],
        known: &HashMap<Uuid, crate::orgs::OrgRecord>,
        is_demo: bool,
        act: &Act,
    ) -> Result<u64, StoreError> {
        let Some((_, first)) = batch.first() else { return Ok(0) };
        let tenant = known.get(&first.org_id).ok_or(StoreError::NotFound)?.tenant_id;
        let mut ids = Sha256::new();
        for (id, _) in batch {
            ids.update(id.as_bytes());
        }
        let now = act.at;
        on_db!(self.db(), pool => {
            let mut tx = pool.begin_write().await?;
            let mut added = 0;
            for (id, f) in batch {
                let sealed = self.seal_person(f);
                let org = known.get(&f.org_id).ok_or(StoreError::NotFound)?;
                added += bind_person!(sqlx::query(INSERT_PERSON), *id, org, *f, &sealed, is_demo, now)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
            }
            if added > 0 {
                let change = Change {
                    tenant_id: tenant,
                    entity: "people_batch",
                    entity_id: None,
                    change: serde_json::json!({
                        "inserted": added,
                        "offered": batch.len(),
                        "ids_sha256": hex::encode(ids.finalize()),
                    }),
                };
                journal_append!(tx, act, &change)?;
            }
            tx.commit().await?;
            Ok(added)
        })
    }

    /// Refreshes the planner's statistics after a bulk load; on PostgreSQL also the
    /// visibility map, so the covering indexes serve index-only scans at once.
    pub async fn analyze(&self) -> Result<(), StoreError> {
        match self.db() {
            crate::Db::Sqlite(pool) => {
                sqlx::query("ANALYZE").execute(pool).await?;
            }
            crate::Db::Pg(pool) => {
                sqlx::query("VACUUM ANALYZE").execute(pool).await?;
            }
        }
        Ok(())
    }
}
