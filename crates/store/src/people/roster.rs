//! The roster in storage: every person of a subtree for the export (journaled: it carries
//! full ID numbers), a plan of an import (each row matched by ID number within the
//! deployment: new, changed or unchanged, with the record before), and the import itself,
//! in chunks within one transaction with one journal entry, so an import lands whole or not
//! at all and a second import of the same file changes nothing.

use crate::db::BeginWrite;
use crate::error::StoreError;
use crate::journal::{Act, Change, journal_append};
use crate::people::{PersonRecord, PersonRow, bind_person, insert_people_sql, sealed_rows};
use crate::{Store, on_db};
use pioneer_domain::orgs;
use pioneer_domain::people::PersonFields;
use pioneer_domain::people::roster::OrgNames;
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

/// The most row digests one journal entry of an import carries.
const ROW_DIGESTS_PER_ENTRY: usize = 10_000;

const UPDATE_PERSON: &str = "UPDATE people SET org_id = $2, org_path = $3, name = $4, gender = $5, birth_date = $6, \
    ethnicity = $7, education = $8, worker_category = $9, employer = $10, station = $11, phone_enc = $12, \
    phone_idx = $13, status = $14, is_mobile = $15, home_organization = $16, is_backbone = $17, \
    is_key_position = $18, applied_on = $19, activist_on = $20, target_on = $21, admitted_on = $22, \
    full_member_on = $23, updated_at = $24 WHERE id = $1";

impl Store {
    /// Every person of the subtree at `org_path`, by organisation, page by page to `each`
    /// (so a large export never holds everyone at once; an error from `each` stops it);
    /// returns how many. The export is journaled as it begins (who, which subtree, how many
    /// people it holds), so one cut short is on record too.
    pub async fn roster_pages(
        &self,
        org_path: &str,
        act: &Act,
        mut each: impl FnMut(&[PersonRecord]) -> Result<(), StoreError>,
    ) -> Result<u64, StoreError> {
        let (pages, mut paged) = tokio::sync::mpsc::channel::<Vec<PersonRecord>>(1);
        // An error from `each` drops the receiving end, which stops the reading.
        let using = async move {
            while let Some(page) = paged.recv().await {
                each(&page)?;
            }
            Ok::<(), StoreError>(())
        };
        let (read, used) = tokio::join!(self.roster_to(org_path, act, pages), using);
        used?;
        read
    }

    /// Every person of the subtree, each page sent to `pages` (a download written as it is
    /// read; see `roster_pages`); stops when the receiving end is gone.
    pub async fn roster_to(
        &self,
        org_path: &str,
        act: &Act,
        pages: tokio::sync::mpsc::Sender<Vec<PersonRecord>>,
    ) -> Result<u64, StoreError> {
        self.journal_roster_export(org_path, act).await?;
        let mut after = None;
        let mut n = 0u64;
        loop {
            let page = self.people_page(org_path, after.clone(), ROSTER_PAGE).await?;
            let Some(last) = page.last() else { break };
            after = Some((last.org_path.clone(), last.id));
            n += page.len() as u64;
            pages
                .send(page)
                .await
                .map_err(|_| StoreError::Corrupt("the receiving end of the roster is gone"))?;
        }
        Ok(n)
    }

    /// The people of the subtree at `org_path`.
    pub async fn subtree_people(&self, org_path: &str) -> Result<u64, StoreError> {
        let end = orgs::subtree_end(org_path);
        let n: i64 = on_db!(self.db(), pool => {
            sqlx::query_scalar("SELECT COUNT(*) FROM people WHERE org_path >= $1 AND org_path < $2")
                .bind(org_path).bind(&end).fetch_one(pool).await?
        });
        Ok(u64::try_from(n).unwrap_or(0))
    }

    /// Journals an export of the subtree as it begins, with how many people it holds.
    async fn journal_roster_export(&self, org_path: &str, act: &Act) -> Result<(), StoreError> {
        let tenant = *orgs::ancestors(org_path).first().ok_or(StoreError::NotFound)?;
        let n = self.subtree_people(org_path).await?;
        let change = Change {
            tenant_id: tenant,
            entity: "roster_export",
            entity_id: None,
            change: serde_json::json!({ "org_path": org_path, "people": n }),
            rows: Vec::new(),
        };
        on_db!(self.db(), pool => {
            let mut tx = pool.begin_write().await?;
            journal_append!(tx, self, act, &change)?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// Every person of the subtree at `org_path`, by organisation (see `roster_pages`), or
    /// `None` when there are more than `most` (nothing is read, nothing journaled).
    pub async fn roster(
        &self,
        org_path: &str,
        most: u64,
        act: &Act,
    ) -> Result<Option<Vec<PersonRecord>>, StoreError> {
        if self.subtree_people(org_path).await? > most {
            return Ok(None);
        }
        let mut all = Vec::new();
        self.roster_pages(org_path, act, |page| {
            all.extend_from_slice(page);
            Ok(())
        })
        .await?;
        Ok(Some(all))
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

    /// Every organisation of a deployment, for the roster's organisation column: the names
    /// it reads (an unambiguous name, a qualified name, an id) and the labels the export
    /// writes; a closed organisation keeps its label but may not be named.
    pub async fn org_names(&self, tenant: Uuid) -> Result<OrgNames, StoreError> {
        let rows: Vec<(Uuid, Option<Uuid>, String, Option<String>)> = on_db!(self.db(), pool => {
            sqlx::query_as("SELECT id, parent_id, name, closed_on FROM organizations WHERE tenant_id = $1")
                .bind(tenant).fetch_all(pool).await?
        });
        Ok(OrgNames::new(
            rows.into_iter().map(|(id, parent, name, closed)| (id, parent, name, closed.is_none())),
        ))
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
    /// Indexes set aside and built again (a large import of mostly new people, SQLite).
    pub indexes_rebuilt: usize,
}

/// What separates the fields of a signature: a control character, which no stored text
/// may hold, so two different records never make the same line.
const SEP: char = '\u{1f}';

/// A person's text, choices, flags and dates as one comparable line, in the order of
/// [`signature_sql`]; the organisation and the phone are compared apart (by id and by keyed
/// hash, so a stored record is compared without opening its sealed numbers).
fn signature(f: &PersonFields) -> String {
    let d = |x: Option<jiff::civil::Date>| x.map(|d| d.to_string()).unwrap_or_default();
    let b = |x: bool| if x { "1" } else { "0" };
    [
        f.name.clone(),
        f.gender.code().to_owned(),
        f.birth_date.to_string(),
        f.ethnicity.clone(),
        f.education.code().to_owned(),
        f.worker_category.code().to_owned(),
        f.employer.clone().unwrap_or_default(),
        f.station.clone().unwrap_or_default(),
        f.status.code().to_owned(),
        b(f.is_mobile).to_owned(),
        f.home_organization.clone().unwrap_or_default(),
        b(f.is_backbone).to_owned(),
        b(f.is_key_position).to_owned(),
        d(f.dates.applied_on),
        d(f.dates.activist_on),
        d(f.dates.target_on),
        d(f.dates.admitted_on),
        d(f.dates.full_member_on),
    ]
    .join(&SEP.to_string())
}

/// The same line computed by the database (the same SQL on SQLite and PostgreSQL), so the
/// database compares a stored person with a row and only the differing rows come back.
fn signature_sql() -> String {
    let text = |c: &str| format!("COALESCE({c}, '')");
    let flag = |c: &str| format!("CASE WHEN {c} THEN '1' ELSE '0' END");
    let parts = [
        "name".to_owned(),
        "gender".into(),
        "birth_date".into(),
        "ethnicity".into(),
        "education".into(),
        "worker_category".into(),
        text("employer"),
        text("station"),
        "status".into(),
        flag("is_mobile"),
        text("home_organization"),
        flag("is_backbone"),
        flag("is_key_position"),
        text("applied_on"),
        text("activist_on"),
        text("target_on"),
        text("admitted_on"),
        text("full_member_on"),
    ];
    parts.join(&format!(" || '{SEP}' || "))
}

/// A row as the database compares it: keyed ID hash, organisation, phone hash, signature.
type Compared = (Vec<u8>, Uuid, Option<Vec<u8>>, String);

/// People read by one page of a roster export.
const ROSTER_PAGE: i64 = 5_000;

/// Rows compared by one statement.
const MATCH_ROWS: usize = 500;

/// The statement that compares `rows` rows (keyed ID hash, organisation, phone hash,
/// signature; then the deployment) with the stored people and returns the rows that
/// differ: new ones without an id, changed ones with theirs.
fn differing_sql(sqlite: bool, rows: usize) -> String {
    format!(
        "WITH f (k, org, phone, sig) AS (VALUES {}) \
         SELECT f.k, p.id FROM f LEFT JOIN people p ON p.id_card_idx = f.k AND p.tenant_id = {} \
         WHERE p.id IS NULL OR p.org_id <> f.org OR p.phone_idx IS DISTINCT FROM f.phone OR {} <> f.sig",
        crate::db::value_rows(sqlite, 4, rows),
        crate::db::placeholders(sqlite, 4 * rows + 1, 1),
        signature_sql(),
    )
}

/// New people written by one statement (29 values each).
const INSERT_ROWS: usize = 500;

/// Fewest rows for which an import may set the people indexes aside (see `BULK_INDEXES`).
const BULK_MIN: u64 = 50_000;

/// The indexes of `people` an import mostly of new rows sets aside and builds again after
/// the last row (SQLite): one sorted build each is far cheaper than a million scattered
/// inserts into each. The ID-number index stays while rows are matched by it, and in a dry
/// run (`$1` false); otherwise, into a deployment without people, it goes too, and its
/// unique build at the end is what refuses a repeated ID number.
const BULK_INDEXES: &str = "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'people' \
    AND sql IS NOT NULL AND (name <> 'people_id_card' OR $1) ORDER BY name";

impl Store {
    /// Imports a roster arriving in chunks (a large file read as it goes) in one
    /// transaction: each row matched by the keyed hash of its ID number, added, changed or
    /// left; with `apply` false everything is counted and rolled back (a dry run). A chunk
    /// that is an error ends the import with nothing written.
    /// `expected` is about how many rows will come: on SQLite, when the first chunk is
    /// mostly new people and at least `BULK_MIN` rows are expected, no fewer than the people
    /// already stored, the secondary indexes are dropped and built again at the end, inside
    /// the same transaction (a rollback brings them back as they were).
    /// `progress` hears the rows done after each chunk.
    pub async fn import_roster_chunks(
        &self,
        tenant: Uuid,
        chunks: impl Iterator<Item = Result<Vec<PersonFields>, StoreError>>,
        expected: u64,
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
        let full = differing_sql(sqlite, MATCH_ROWS);
        let full_insert = insert_people_sql(sqlite, INSERT_ROWS);
        // Decided at the first chunk: the indexes set aside, as (name, definition).
        let mut set_aside: Option<Vec<(String, String)>> = None;
        let root = self.org(tenant).await?.path;
        // New people sealed and waiting to be written: (id, fields, sealed columns).
        let mut waiting: Vec<(Uuid, PersonFields, PersonRow)> = Vec::new();
        // Everyone created or changed, whose rows the journal fingerprints.
        let mut touched: Vec<Uuid> = Vec::new();
        // Writes `$rows` many to a statement; a clash on the ID number inserts fewer.
        macro_rules! insert_new {
            ($tx:ident, $rows:expr) => {
                for part in $rows.chunks(INSERT_ROWS) {
                    let sql = if part.len() == INSERT_ROWS {
                        full_insert.clone()
                    } else {
                        insert_people_sql(sqlite, part.len())
                    };
                    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
                    for (id, f, sealed) in part {
                        hash.update(id.as_bytes());
                        touched.push(*id);
                        q = bind_person!(q, *id, &known[&f.org_id], f, sealed, false, now)
                            .bind(now.as_millisecond());
                    }
                    if q.execute(&mut *$tx).await?.rows_affected() != part.len() as u64 {
                        return Err(pioneer_domain::FieldError::new(
                            "id_card",
                            pioneer_domain::Reason::DuplicateIdCard,
                        )
                        .into());
                    }
                    counts.created += part.len() as u64;
                }
            };
        }
        on_db!(self.db(), pool => {
            let mut tx = pool.begin_write().await?;
            // A deployment without people yet (a first import): every row is new, so none
            // is compared; a repeated ID number still meets the unique index.
            let anyone: Option<Uuid> = sqlx::query_scalar("SELECT id FROM people WHERE org_path >= $1 AND org_path < $2 LIMIT 1")
                .bind(&root)
                .bind(orgs::subtree_end(&root))
                .fetch_optional(&mut *tx)
                .await?;
            let compare = anyone.is_some();
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
                let wanted: Vec<Compared> = chunk
                    .iter()
                    .filter(|_| compare)
                    .map(|f| {
                        let phone = f.phone.as_ref().map(|p| self.vault().index("phone", p.as_str()));
                        (self.vault().index("id_card", f.id_card.as_str()), f.org_id, phone, signature(f))
                    })
                    .collect();
                // Only the rows that differ come back: new (no id) or changed (their id).
                let mut differ: HashMap<Vec<u8>, Option<Uuid>> = HashMap::new();
                for part in wanted.chunks(MATCH_ROWS) {
                    let sql = if part.len() == MATCH_ROWS { full.clone() } else { differing_sql(sqlite, part.len()) };
                    let mut q = sqlx::query_as::<_, (Vec<u8>, Option<Uuid>)>(sqlx::AssertSqlSafe(sql));
                    for (k, org, phone, sig) in part {
                        q = q.bind(k).bind(org).bind(phone).bind(sig);
                    }
                    differ.extend(q.bind(tenant).fetch_all(&mut *tx).await?);
                }
                // Each row is new, changed (written at once) or unchanged.
                let mut is_new = vec![false; chunk.len()];
                for (i, f) in chunk.iter().enumerate() {
                    let stored = match wanted.get(i) {
                        None => &None,
                        Some((key, ..)) => match differ.get(key) {
                            Some(stored) => stored,
                            None => {
                                counts.unchanged += 1;
                                continue;
                            }
                        },
                    };
                    let Some(id) = stored else {
                        is_new[i] = true;
                        continue;
                    };
                    let org = &known[&f.org_id];
                    if f.status != pioneer_domain::people::Status::NonMember {
                        let left: Option<String> = sqlx::query_scalar("SELECT kind FROM departures WHERE person_id = $1")
                            .bind(id)
                            .fetch_optional(&mut *tx)
                            .await?;
                        if left.is_some() {
                            return Err(pioneer_domain::FieldError::new("status", crate::people::LEFT).into());
                        }
                    }
                    let sealed = self.seal_person(f);
                    hash.update(id.as_bytes());
                    touched.push(*id);
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
                let fresh = is_new.iter().filter(|n| **n).count();
                if set_aside.is_none() {
                    let mut aside = Vec::new();
                    if sqlite && expected >= BULK_MIN && fresh * 2 >= chunk.len() {
                        let stored: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM people").fetch_one(&mut *tx).await?;
                        if expected >= u64::try_from(stored).unwrap_or(u64::MAX) {
                            aside = sqlx::query_as(BULK_INDEXES).bind(!compare && apply).fetch_all(&mut *tx).await?;
                            for (name, _) in &aside {
                                sqlx::query(sqlx::AssertSqlSafe(format!("DROP INDEX \"{name}\""))).execute(&mut *tx).await?;
                            }
                        }
                    }
                    set_aside = Some(aside);
                }
                // This chunk's new people are sealed on another thread while the chunk
                // before's are written.
                let news: Vec<PersonFields> = chunk.into_iter().zip(is_new).filter_map(|(f, n)| n.then_some(f)).collect();
                let vault = self.vault().clone();
                let sealing = tokio::task::spawn_blocking(move || sealed_rows(&vault, news));
                insert_new!(tx, waiting);
                waiting = sealing.await.map_err(|_| StoreError::Corrupt("the sealing thread stopped"))?;
                progress(counts.created + counts.updated + counts.unchanged);
            }
            insert_new!(tx, waiting);
            progress(counts.created + counts.updated + counts.unchanged);
            if !apply {
                tx.rollback().await?;
                return Ok(counts);
            }
            // Built with their sorts in temporary files, not in memory (which would hold a
            // whole index at once), sorted by two threads, then the connection's settings are
            // put back.
            let aside = set_aside.unwrap_or_default();
            if !aside.is_empty() {
                // SQLite refuses to change where temporary storage goes inside a transaction
                // once the connection has opened its temporary database (a pooled connection
                // may have, e.g. for a large sort or a table rebuild): the indexes are then
                // built with the connection's setting (memory) rather than the import failing.
                let spilled = sqlx::query("PRAGMA temp_store = FILE").execute(&mut *tx).await.is_ok();
                sqlx::query("PRAGMA threads = 2").execute(&mut *tx).await?;
                // A repeated ID number meets the unique index as it is built.
                let duplicate = |e: sqlx::Error| match &e {
                    sqlx::Error::Database(d) if d.is_unique_violation() => {
                        pioneer_domain::FieldError::new("id_card", pioneer_domain::Reason::DuplicateIdCard).into()
                    }
                    _ => StoreError::from(e),
                };
                let built = async {
                    for (_, sql) in &aside {
                        sqlx::query(sqlx::AssertSqlSafe(sql.clone())).execute(&mut *tx).await.map_err(duplicate)?;
                        counts.indexes_rebuilt += 1;
                    }
                    Ok::<(), StoreError>(())
                }
                .await;
                sqlx::query("PRAGMA threads = 0").execute(&mut *tx).await?;
                if spilled {
                    sqlx::query("PRAGMA temp_store = MEMORY").execute(&mut *tx).await?;
                }
                built?;
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
                }), rows: Vec::new() };
            // The rows' digests go in entries of their own, a bounded number each.
            for (part, ids) in touched.chunks(ROW_DIGESTS_PER_ENTRY).enumerate() {
                let rows = Change::new(tenant, "roster_import_rows", None, serde_json::json!({ "part": part + 1, "rows": ids.len() }));
                let rows = Change { rows: ids.iter().map(|id| ("people", *id)).collect(), ..rows };
                journal_append!(tx, self, act, &rows)?;
            }
            journal_append!(tx, self, act, &change)?;
            tx.commit().await?;
            Ok(counts)
        })
    }
}
