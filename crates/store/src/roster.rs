//! The roster in storage: every person of a subtree for the export (journaled: it carries
//! full ID numbers), a plan of an import (each row matched by ID number within the
//! deployment: new, changed or unchanged, with the record before), and the import itself,
//! in chunks within one transaction with one journal entry, so an import lands whole or not
//! at all and a second import of the same file changes nothing.

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
    pub async fn plan_roster(&self, tenant: Uuid, rows: Vec<PersonFields>) -> Result<RosterPlan, StoreError> {
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
        for chunk in rows.chunks(1000) {
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

/// What a streamed import did (or, for a dry run, would do).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RosterCounts {
    /// People added.
    pub created: u64,
    /// People changed.
    pub updated: u64,
    /// Rows equal to their record.
    pub unchanged: u64,
}

/// A person's fields as one comparable line; the phone by its keyed hash, so a stored
/// record is compared without opening its sealed numbers.
fn signature(f: &PersonFields, phone_idx: Option<&[u8]>) -> String {
    let d = |x: Option<jiff::civil::Date>| x.map(|d| d.to_string()).unwrap_or_default();
    format!(
        "{}|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}",
        f.org_id,
        f.name,
        f.gender.code(),
        f.birth_date,
        f.ethnicity,
        f.education.code(),
        f.worker_category.code(),
        f.employer.as_deref().unwrap_or(""),
        f.station.as_deref().unwrap_or(""),
        phone_idx.map(hex::encode).unwrap_or_default(),
        f.status.code(),
        f.is_mobile,
        f.home_organization.as_deref().unwrap_or(""),
        f.is_backbone,
        f.is_key_position,
        d(f.dates.applied_on),
        d(f.dates.activist_on),
        d(f.dates.target_on),
        d(f.dates.admitted_on),
        d(f.dates.full_member_on),
    )
}

const MATCH_COLUMNS: &str = "id, id_card_idx, org_id, name, gender, birth_date, ethnicity, education, \
    worker_category, employer, station, phone_idx, status, is_mobile, home_organization, is_backbone, \
    is_key_position, applied_on, activist_on, target_on, admitted_on, full_member_on";

impl Store {
    /// Imports a roster arriving in chunks (a large file read as it goes) in one
    /// transaction: each row matched by the keyed hash of its ID number, added, changed or
    /// left; with `apply` false everything is counted and rolled back (a dry run). A chunk
    /// that is an error ends the import with nothing written.
    /// `progress` hears the rows done after each chunk.
    pub async fn import_roster_chunks(
        &self,
        tenant: Uuid,
        chunks: impl Iterator<Item = Result<Vec<PersonFields>, StoreError>>,
        apply: bool,
        act: &Act,
        mut progress: impl FnMut(u64),
    ) -> Result<RosterCounts, StoreError> {
        let sqlite = self.db().backend() == crate::Backend::Sqlite;
        let now = act.at;
        let mut counts = RosterCounts::default();
        let mut hash = Sha256::new();
        let mut known: HashMap<Uuid, crate::orgs::OrgRecord> = HashMap::new();
        let d = |x: Option<jiff::civil::Date>| x.map(|d| d.to_string());
        on_db!(self.db(), pool => {
            let mut tx = pool.begin_write().await?;
            for chunk in chunks {
                // A chunk that no longer reads (the file changed) ends the import; nothing is kept.
                let chunk = chunk?;
                for f in &chunk {
                    if let std::collections::hash_map::Entry::Vacant(slot) = known.entry(f.org_id) {
                        let o = self.placement(f.org_id).await?;
                        if o.tenant_id != tenant {
                            return Err(pioneer_domain::FieldError::new("org_id", pioneer_domain::Reason::UnknownOrganization).into());
                        }
                        slot.insert(o);
                    }
                }
                let idx: Vec<Vec<u8>> = chunk.iter().map(|f| self.vault().index("id_card", f.id_card.as_str())).collect();
                let mut stored: HashMap<Vec<u8>, (Uuid, String)> = HashMap::with_capacity(chunk.len());
                for part in idx.chunks(500) {
                    let (first, list) = (crate::db::placeholders(sqlite, 1, 1), crate::db::placeholders(sqlite, 2, part.len()));
                    let sql = format!("SELECT {MATCH_COLUMNS} FROM people WHERE tenant_id = {first} AND id_card_idx IN ({list})");
                    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(tenant);
                    for i in part {
                        q = q.bind(i);
                    }
                    for r in q.fetch_all(&mut *tx).await? {
                        use sqlx::Row;
                        let date = |i: usize| -> Result<Option<jiff::civil::Date>, StoreError> {
                            let v: Option<String> = r.try_get(i)?;
                            v.map(|s| s.parse().map_err(|_| StoreError::Corrupt("people dates"))).transpose()
                        };
                        let corrupt = |c| StoreError::Corrupt(c);
                        let f = PersonFields {
                            org_id: r.try_get(2)?,
                            name: r.try_get(3)?,
                            gender: pioneer_domain::person::Gender::from_code(&r.try_get::<String, _>(4)?).ok_or(corrupt("people.gender"))?,
                            birth_date: r.try_get::<String, _>(5)?.parse().map_err(|_| corrupt("people.birth_date"))?,
                            ethnicity: r.try_get(6)?,
                            education: pioneer_domain::person::Education::from_code(&r.try_get::<String, _>(7)?).ok_or(corrupt("people.education"))?,
                            worker_category: pioneer_domain::person::WorkerCategory::from_code(&r.try_get::<String, _>(8)?).ok_or(corrupt("people.worker_category"))?,
                            employer: r.try_get(9)?,
                            station: r.try_get(10)?,
                            phone: None,
                            id_card: chunk[0].id_card.clone(),
                            status: pioneer_domain::person::Status::from_code(&r.try_get::<String, _>(12)?).ok_or(corrupt("people.status"))?,
                            is_mobile: r.try_get(13)?,
                            home_organization: r.try_get(14)?,
                            is_backbone: r.try_get(15)?,
                            is_key_position: r.try_get(16)?,
                            dates: pioneer_domain::person::StatusDates {
                                applied_on: date(17)?,
                                activist_on: date(18)?,
                                target_on: date(19)?,
                                admitted_on: date(20)?,
                                full_member_on: date(21)?,
                            },
                        };
                        let phone_idx: Option<Vec<u8>> = r.try_get(11)?;
                        stored.insert(r.try_get(1)?, (r.try_get(0)?, signature(&f, phone_idx.as_deref())));
                    }
                }
                for (f, key) in chunk.iter().zip(&idx) {
                    let org = &known[&f.org_id];
                    let phone_idx = f.phone.as_ref().map(|p| self.vault().index("phone", p.as_str()));
                    if stored.get(key).is_some_and(|(_, sig)| *sig == signature(f, phone_idx.as_deref())) {
                        counts.unchanged += 1;
                        continue;
                    }
                    // Sealed only when written.
                    let sealed = self.seal_person(f);
                    match stored.get(key) {
                        None => {
                            let id = Uuid::now_v7();
                            hash.update(id.as_bytes());
                            let n = bind_person!(sqlx::query(INSERT_PERSON), id, org, f, &sealed, false, now)
                                .execute(&mut *tx).await?.rows_affected();
                            if n != 1 {
                                return Err(pioneer_domain::FieldError::new("id_card", pioneer_domain::Reason::DuplicateIdCard).into());
                            }
                            counts.created += 1;
                        }
                        Some((id, _)) => {
                            hash.update(id.as_bytes());
                            sqlx::query(UPDATE_PERSON)
                                .bind(id).bind(f.org_id).bind(&org.path).bind(&f.name).bind(f.gender.code())
                                .bind(f.birth_date.to_string()).bind(&f.ethnicity).bind(f.education.code())
                                .bind(f.worker_category.code()).bind(&f.employer).bind(&f.station)
                                .bind(&sealed.phone_enc).bind(&sealed.phone_idx).bind(f.status.code()).bind(f.is_mobile)
                                .bind(&f.home_organization).bind(f.is_backbone).bind(f.is_key_position)
                                .bind(d(f.dates.applied_on)).bind(d(f.dates.activist_on)).bind(d(f.dates.target_on))
                                .bind(d(f.dates.admitted_on)).bind(d(f.dates.full_member_on)).bind(now.as_millisecond())
                                .execute(&mut *tx).await?;
                            counts.updated += 1;
                        }
                    }
                }
                progress(counts.created + counts.updated + counts.unchanged);
            }
            if !apply {
                tx.rollback().await?;
                return Ok(counts);
            }
            let change = Change {
                tenant_id: tenant,
                entity: "roster_import",
                entity_id: None,
                change: serde_json::json!({
                    "created": counts.created,
                    "updated": counts.updated,
                    "unchanged": counts.unchanged,
                    "ids_sha256": hex::encode(hash.finalize()),
                }),
            };
            journal_append!(tx, act, &change)?;
            tx.commit().await?;
            Ok(counts)
        })
    }
}
