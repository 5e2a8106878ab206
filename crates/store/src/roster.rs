//! The roster in storage: every person of a subtree for the export (journaled: it carries
//! full ID numbers), and the import — planned first (each row matched by ID number within
//! the deployment: new, changed or unchanged), then applied in one transaction with one
//! journal entry, so an import lands whole or not at all and a second import of the same
//! file changes nothing.

use crate::db::BeginWrite;
use crate::error::StoreError;
use crate::journal::{Act, Change, journal_append};
use crate::people::{INSERT_PERSON, PersonRecord, bind_person};
use crate::{Store, on_db};
use pioneer_domain::org;
use pioneer_domain::person::PersonFields;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use uuid::Uuid;

/// What an import would do.
#[derive(Debug, Clone, Default)]
pub struct RosterPlan {
    /// New people.
    pub create: Vec<PersonFields>,
    /// People whose record changes: id, before, after.
    pub update: Vec<(Uuid, PersonFields, PersonFields)>,
    /// Rows that match their record exactly.
    pub unchanged: u64,
}

const UPDATE_PERSON: &str = "UPDATE people SET org_id = $2, org_path = $3, name = $4, gender = $5, birth_date = $6, \
    ethnicity = $7, education = $8, worker_category = $9, employer = $10, station = $11, phone_enc = $12, \
    phone_idx = $13, status = $14, is_mobile = $15, home_organization = $16, is_backbone = $17, \
    is_key_position = $18, applied_on = $19, activist_on = $20, target_on = $21, admitted_on = $22, \
    full_member_on = $23, updated_at = $24 WHERE id = $1";

impl Store {
    /// Every person of the subtree at `org_path`, by organisation, page by page to `each`
    /// (so a large export never holds everyone at once); returns how many. The export is
    /// journaled (who, how many).
    pub async fn roster_pages(
        &self,
        org_path: &str,
        act: &Act,
        mut each: impl FnMut(&[PersonRecord]) -> Result<(), StoreError>,
    ) -> Result<u64, StoreError> {
        let tenant = *org::ancestors(org_path).first().ok_or(StoreError::NotFound)?;
        let mut after = None;
        let mut n = 0u64;
        loop {
            let page = self.people_page(org_path, after.clone(), 5_000).await?;
            let Some(last) = page.last() else { break };
            after = Some((last.org_path.clone(), last.id));
            n += page.len() as u64;
            each(&page)?;
        }
        let change = Change {
            tenant_id: tenant,
            entity: "roster_export",
            entity_id: None,
            change: serde_json::json!({ "org_path": org_path, "people": n }),
        };
        on_db!(self.db(), pool => {
            let mut tx = pool.begin_write().await?;
            journal_append!(tx, act, &change)?;
            tx.commit().await?;
        });
        Ok(n)
    }

    /// Every person of the subtree at `org_path`, by organisation (see `roster_pages`).
    pub async fn roster(&self, org_path: &str, act: &Act) -> Result<Vec<PersonRecord>, StoreError> {
        let mut all = Vec::new();
        self.roster_pages(org_path, act, |page| {
            all.extend_from_slice(page);
            Ok(())
        })
        .await?;
        Ok(all)
    }

    /// Matches each row by ID number within the deployment: new, changed or unchanged.
    /// Every organisation named must be open and in the deployment.
    /// `progress` hears how many rows are matched, every thousand.
    pub async fn plan_roster(
        &self,
        tenant: Uuid,
        rows: Vec<PersonFields>,
        mut progress: impl FnMut(usize),
    ) -> Result<RosterPlan, StoreError> {
        let mut plan = RosterPlan::default();
        let mut orgs: HashMap<Uuid, bool> = HashMap::new();
        for f in &rows {
            if let std::collections::hash_map::Entry::Vacant(slot) = orgs.entry(f.org_id) {
                let ok = self.placement(f.org_id).await.is_ok_and(|o| o.tenant_id == tenant);
                slot.insert(ok);
            }
            if !orgs[&f.org_id] {
                return Err(pioneer_domain::FieldError::new(
                    "org_id",
                    pioneer_domain::Reason::UnknownOrganization,
                )
                .into());
            }
        }
        let mut known: HashMap<String, PersonRecord> = HashMap::with_capacity(rows.len());
        for (i, chunk) in rows.chunks(1000).enumerate() {
            progress(i * 1000);
            let ids: Vec<&str> = chunk.iter().map(|f| f.id_card.as_str()).collect();
            for p in self.people_by_id_cards(tenant, &ids).await? {
                known.insert(p.fields.id_card.as_str().to_owned(), p);
            }
        }
        for f in rows {
            match known.remove(f.id_card.as_str()) {
                None => plan.create.push(f),
                Some(p) if p.fields == f => plan.unchanged += 1,
                Some(p) => plan.update.push((p.id, p.fields, f)),
            }
        }
        Ok(plan)
    }

    /// Applies a plan in one transaction with one journal entry (counts and a hash of the
    /// people touched); returns (created, updated).
    pub async fn apply_roster(
        &self,
        tenant: Uuid,
        plan: &RosterPlan,
        act: &Act,
    ) -> Result<(u64, u64), StoreError> {
        let mut known = HashMap::new();
        for f in plan.create.iter().chain(plan.update.iter().map(|(_, _, f)| f)) {
            if let std::collections::hash_map::Entry::Vacant(slot) = known.entry(f.org_id) {
                slot.insert(self.placement(f.org_id).await?);
            }
        }
        let now = act.at;
        let mut hash = Sha256::new();
        on_db!(self.db(), pool => {
            let mut tx = pool.begin_write().await?;
            let mut created = 0;
            for f in &plan.create {
                let id = Uuid::now_v7();
                hash.update(id.as_bytes());
                let sealed = self.seal_person(f);
                let org = &known[&f.org_id];
                let n = bind_person!(sqlx::query(INSERT_PERSON), id, org, f, &sealed, false, now)
                    .execute(&mut *tx).await?.rows_affected();
                if n != 1 {
                    return Err(pioneer_domain::FieldError::new("id_card", pioneer_domain::Reason::DuplicateIdCard).into());
                }
                created += 1;
            }
            let d = |x: Option<jiff::civil::Date>| x.map(|d| d.to_string());
            for (id, _, f) in &plan.update {
                hash.update(id.as_bytes());
                let sealed = self.seal_person(f);
                let org = &known[&f.org_id];
                sqlx::query(UPDATE_PERSON)
                    .bind(id).bind(f.org_id).bind(&org.path).bind(&f.name).bind(f.gender.code())
                    .bind(f.birth_date.to_string()).bind(&f.ethnicity).bind(f.education.code())
                    .bind(f.worker_category.code()).bind(&f.employer).bind(&f.station)
                    .bind(&sealed.phone_enc).bind(&sealed.phone_idx).bind(f.status.code()).bind(f.is_mobile)
                    .bind(&f.home_organization).bind(f.is_backbone).bind(f.is_key_position)
                    .bind(d(f.dates.applied_on)).bind(d(f.dates.activist_on)).bind(d(f.dates.target_on))
                    .bind(d(f.dates.admitted_on)).bind(d(f.dates.full_member_on)).bind(now.as_millisecond())
                    .execute(&mut *tx).await?;
            }
            let change = Change {
                tenant_id: tenant,
                entity: "roster_import",
                entity_id: None,
                change: serde_json::json!({
                    "created": created,
                    "updated": plan.update.len(),
                    "unchanged": plan.unchanged,
                    "ids_sha256": hex::encode(hash.finalize()),
                }),
            };
            journal_append!(tx, act, &change)?;
            tx.commit().await?;
            Ok((created, plan.update.len() as u64))
        })
    }

    /// The open organisations of a deployment by name (a name used twice maps to none of
    /// them: the roster must then name it unambiguously).
    pub async fn org_names(&self, tenant: Uuid) -> Result<HashMap<String, Uuid>, StoreError> {
        let rows: Vec<(Uuid, String)> = on_db!(self.db(), pool => {
            sqlx::query_as("SELECT id, name FROM organizations WHERE tenant_id = $1 AND closed_on IS NULL")
                .bind(tenant).fetch_all(pool).await?
        });
        let mut out: HashMap<String, Option<Uuid>> = HashMap::new();
        for (id, name) in rows {
            out.entry(name).and_modify(|v| *v = None).or_insert(Some(id));
        }
        Ok(out.into_iter().filter_map(|(k, v)| v.map(|v| (k, v))).collect())
    }
}
