//! People in storage: create, edit, fetch and search, with ID and phone numbers sealed
//! by the [`Vault`](crate::Vault) and found through their keyed hashes.

pub mod departures;
pub mod discipline;
pub mod roster;
pub mod staff_list;

use crate::db::BeginWrite;
use crate::error::StoreError;
use crate::journal::{Act, Change, journal_append, person_change};
use crate::orgs::parse_date;
use crate::{Store, on_db};
use jiff::civil::Date;
use pioneer_domain::people::age::AgeBand;
use pioneer_domain::people::id_card::IdCardNumber;
use pioneer_domain::people::phone::PhoneNumber;
use pioneer_domain::people::{Education, Gender, PersonFields, Status, StatusDates, WorkerCategory};
use pioneer_domain::{FieldError, Reason};
use sqlx::Row;
use uuid::Uuid;

/// A person as stored, with sensitive values opened (show them masked).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonRecord {
    /// Id.
    pub id: Uuid,
    /// Top organisation of their deployment.
    pub tenant_id: Uuid,
    /// Fields.
    pub fields: PersonFields,
    /// Name of their organisation.
    pub org_name: String,
    /// Path of their organisation (for scope checks).
    pub org_path: String,
    /// Part of the demo deployment.
    pub is_demo: bool,
}

/// Filters of the people list; every one optional.
#[derive(Debug, Clone, Default)]
pub struct PeopleFilter {
    /// Only people in this organisation's subtree.
    pub org: Option<Uuid>,
    /// Free text: an ID number, a phone number or the start of a name.
    pub q: Option<String>,
    /// Status.
    pub status: Option<Status>,
    /// Worker category.
    pub worker_category: Option<WorkerCategory>,
    /// Education.
    pub education: Option<Education>,
    /// Only 大专及以上 (true) or only below (false).
    pub college: Option<bool>,
    /// Age band at `today`.
    pub age_band: Option<AgeBand>,
    /// Mobile members only (true) or non-mobile only (false).
    pub is_mobile: Option<bool>,
    /// Gender.
    pub gender: Option<Gender>,
    /// The order.
    pub sort: PeopleSort,
    /// The order reversed.
    pub descending: bool,
}

/// What a people list is ordered by.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum PeopleSort {
    /// The most recently registered first (descending: the earliest first).
    #[default]
    Newest,
    /// The name.
    Name,
    /// The age, youngest first.
    Age,
}

/// One page of people.
#[derive(Debug, Clone)]
pub struct PeoplePage {
    /// The people on this page.
    pub people: Vec<PersonRecord>,
    /// Matches, counted up to [`COUNT_CAP`] (a larger number shows as "10000+").
    pub total: u64,
    /// Whether `total` hit the cap.
    pub total_capped: bool,
}

/// Counting stops here so a list over a million people stays fast.
pub const COUNT_CAP: u64 = 10_000;

enum Param {
    Uuid(Uuid),
    Text(String),
    Bytes(Vec<u8>),
    Bool(bool),
}

/// The columns of `people p` a [`PersonRecord`] is read from, before its organisation's name.
macro_rules! person_fields {
    () => {
        "p.id, p.tenant_id, p.org_id, p.name, p.gender, p.birth_date, p.ethnicity, \
         p.education, p.worker_category, p.employer, p.station, p.phone_enc, p.id_card_enc, p.status, \
         p.is_mobile, p.home_organization, p.is_backbone, p.is_key_position, p.applied_on, p.activist_on, \
         p.target_on, p.admitted_on, p.full_member_on, p.is_demo, p.org_path"
    };
}
const PERSON_COLUMNS: &str = concat!(person_fields!(), ", o.name AS org_name");
/// [`PERSON_COLUMNS`] without the organisation's name (`org_name` empty, no join): the
/// roster names each organisation by its label, and a join per row is a tenth of a long
/// export's time.
const PERSON_COLUMNS_UNNAMED: &str = concat!(person_fields!(), ", '' AS org_name");

fn code<T>(column: &'static str, raw: &str, parse: impl Fn(&str) -> Option<T>) -> Result<T, StoreError> {
    parse(raw).ok_or(StoreError::Corrupt(column))
}

macro_rules! person_from_row {
    ($store:expr, $row:expr) => {{
        let row = $row;
        let vault = $store.vault();
        let id_sealed: Vec<u8> = row.try_get("id_card_enc")?;
        let id_plain =
            vault.open("id_card", &id_sealed).map_err(|_| StoreError::Corrupt("people.id_card"))?;
        let id_card =
            IdCardNumber::parse("id_card", &id_plain).map_err(|_| StoreError::Corrupt("people.id_card"))?;
        let phone_sealed: Option<Vec<u8>> = row.try_get("phone_enc")?;
        let phone = match phone_sealed {
            Some(s) => {
                let plain = vault.open("phone", &s).map_err(|_| StoreError::Corrupt("people.phone"))?;
                Some(PhoneNumber::parse("phone", &plain).map_err(|_| StoreError::Corrupt("people.phone"))?)
            }
            None => None,
        };
        let birth: String = row.try_get("birth_date")?;
        PersonRecord {
            id: row.try_get("id")?,
            tenant_id: row.try_get("tenant_id")?,
            org_name: row.try_get("org_name")?,
            org_path: row.try_get("org_path")?,
            is_demo: row.try_get("is_demo")?,
            fields: PersonFields {
                name: row.try_get("name")?,
                gender: code("people.gender", &row.try_get::<String, _>("gender")?, Gender::from_code)?,
                birth_date: birth.parse::<Date>().map_err(|_| StoreError::Corrupt("people.birth_date"))?,
                ethnicity: row.try_get("ethnicity")?,
                education: code(
                    "people.education",
                    &row.try_get::<String, _>("education")?,
                    Education::from_code,
                )?,
                worker_category: code(
                    "people.worker_category",
                    &row.try_get::<String, _>("worker_category")?,
                    WorkerCategory::from_code,
                )?,
                employer: row.try_get("employer")?,
                station: row.try_get("station")?,
                phone,
                id_card,
                status: code("people.status", &row.try_get::<String, _>("status")?, Status::from_code)?,
                org_id: row.try_get("org_id")?,
                is_mobile: row.try_get("is_mobile")?,
                home_organization: row.try_get("home_organization")?,
                is_backbone: row.try_get("is_backbone")?,
                is_key_position: row.try_get("is_key_position")?,
                dates: StatusDates {
                    applied_on: parse_date("people.applied_on", row.try_get("applied_on")?)?,
                    activist_on: parse_date("people.activist_on", row.try_get("activist_on")?)?,
                    target_on: parse_date("people.target_on", row.try_get("target_on")?)?,
                    admitted_on: parse_date("people.admitted_on", row.try_get("admitted_on")?)?,
                    full_member_on: parse_date("people.full_member_on", row.try_get("full_member_on")?)?,
                },
            },
        }
    }};
}

/// The columns a new person is written with, in the order [`bind_person`] binds them; the
/// time it binds stands for both `created_at` and `updated_at`.
macro_rules! person_columns {
    () => {
        "id, tenant_id, org_id, name, gender, birth_date, ethnicity, education, worker_category, employer, \
         station, phone_enc, phone_idx, id_card_enc, id_card_idx, status, is_mobile, home_organization, \
         is_backbone, is_key_position, applied_on, activist_on, target_on, admitted_on, full_member_on, \
         is_demo, created_at, org_path, updated_at"
    };
}

/// Inserts one person; a clash on the id or the ID number inserts nothing.
pub(crate) const INSERT_PERSON: &str = concat!(
    "INSERT INTO people (",
    person_columns!(),
    ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, \
     $20, $21, $22, $23, $24, $25, $26, $27, $28, $27) ON CONFLICT DO NOTHING"
);

/// Inserts `rows` people: per row the values [`bind_person`] binds, then the time again
/// (SQLite's `?` cannot name a value twice); a clash on the ID number inserts fewer rows.
pub(crate) fn insert_people_sql(sqlite: bool, rows: usize) -> String {
    format!(
        "INSERT INTO people ({}) VALUES {} ON CONFLICT DO NOTHING",
        person_columns!(),
        crate::db::value_rows(sqlite, 29, rows)
    )
}

/// Binds the parameters of [`INSERT_PERSON`].
macro_rules! bind_person {
    ($query:expr, $id:expr, $org:expr, $f:expr, $sealed:expr, $is_demo:expr, $now:expr) => {{
        let org: &$crate::orgs::OrgRecord = $org;
        let f = $f;
        let sealed = $sealed;
        let d = |x: Option<jiff::civil::Date>| x.map(|d| d.to_string());
        $query
            .bind($id)
            .bind(org.tenant_id)
            .bind(f.org_id)
            .bind(f.name.clone())
            .bind(f.gender.code())
            .bind(f.birth_date.to_string())
            .bind(f.ethnicity.clone())
            .bind(f.education.code())
            .bind(f.worker_category.code())
            .bind(f.employer.clone())
            .bind(f.station.clone())
            .bind(sealed.phone_enc.clone())
            .bind(sealed.phone_idx.clone())
            .bind(sealed.id_card_enc.clone())
            .bind(sealed.id_card_idx.clone())
            .bind(f.status.code())
            .bind(f.is_mobile)
            .bind(f.home_organization.clone())
            .bind(f.is_backbone)
            .bind(f.is_key_position)
            .bind(d(f.dates.applied_on))
            .bind(d(f.dates.activist_on))
            .bind(d(f.dates.target_on))
            .bind(d(f.dates.admitted_on))
            .bind(d(f.dates.full_member_on))
            .bind($is_demo)
            .bind($now.as_millisecond())
            .bind(org.path.clone())
    }};
}
pub(crate) use bind_person;

/// The values written for one person, sealed and indexed.
pub(crate) struct PersonRow {
    pub(crate) id_card_enc: Vec<u8>,
    pub(crate) id_card_idx: Vec<u8>,
    pub(crate) phone_enc: Option<Vec<u8>>,
    pub(crate) phone_idx: Option<Vec<u8>>,
}

/// Why a person recorded as having left cannot be made a member again by an edit.
pub(crate) const LEFT: Reason = Reason::Broken {
    rule: "STAT-004",
    zh: "此人已登记出党，政治面貌只能是群众；如登记有误或已恢复党籍，请先撤销出党记录",
    en: "This person is recorded as having left: the status can only be non-member; withdraw the departure first if it was a mistake or membership was restored",
};

/// The sealed columns of a person.
fn sealed_row(v: &crate::vault::Vault, f: &PersonFields) -> PersonRow {
    PersonRow {
        id_card_enc: v.seal("id_card", f.id_card.as_str()),
        id_card_idx: v.index("id_card", f.id_card.as_str()),
        phone_enc: f.phone.as_ref().map(|p| v.seal("phone", p.as_str())),
        phone_idx: f.phone.as_ref().map(|p| v.index("phone", p.as_str())),
    }
}

/// New people with their ids and sealed columns, ready to insert (run off the async thread).
pub(crate) fn sealed_rows(
    v: &crate::vault::Vault,
    rows: Vec<PersonFields>,
) -> Vec<(Uuid, PersonFields, PersonRow)> {
    rows.into_iter()
        .map(|f| {
            let sealed = sealed_row(v, &f);
            (Uuid::now_v7(), f, sealed)
        })
        .collect()
}

impl Store {
    pub(crate) fn seal_person(&self, f: &PersonFields) -> PersonRow {
        sealed_row(self.vault(), f)
    }

    /// The people of a deployment with these ID numbers (any order; unknown ones are left
    /// out), read in chunks.
    pub(crate) async fn people_by_id_cards(
        &self,
        tenant: Uuid,
        id_cards: &[&str],
    ) -> Result<Vec<PersonRecord>, StoreError> {
        let mut out = Vec::with_capacity(id_cards.len());
        for chunk in id_cards.chunks(500) {
            let idx: Vec<Vec<u8>> = chunk.iter().map(|c| self.vault().index("id_card", c)).collect();
            let sqlite = self.db().backend() == crate::Backend::Sqlite;
            let (first, list) =
                (crate::db::placeholders(sqlite, 1, 1), crate::db::placeholders(sqlite, 2, idx.len()));
            let sql = format!(
                "SELECT {PERSON_COLUMNS} FROM people p JOIN organizations o ON o.id = p.org_id \
                 WHERE p.tenant_id = {first} AND p.id_card_idx IN ({list})"
            );
            let found: Vec<PersonRecord> = on_db!(self.db(), pool => {
                let mut q = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(tenant);
                for i in &idx {
                    q = q.bind(i);
                }
                let rows = q.fetch_all(pool).await?;
                rows.iter().map(|r| Ok(person_from_row!(self, r))).collect::<Result<Vec<_>, StoreError>>()?
            });
            out.extend(found);
        }
        Ok(out)
    }

    /// A page of the people of the subtree at `org_path` after `after` (organisation path
    /// and id), in that order: the path index reads it without sorting.
    pub(crate) async fn people_page(
        &self,
        org_path: &str,
        after: Option<(String, Uuid)>,
        limit: i64,
    ) -> Result<Vec<PersonRecord>, StoreError> {
        let end = pioneer_domain::orgs::subtree_end(org_path);
        let (from, id) = after.unwrap_or_else(|| (org_path.to_owned(), Uuid::nil()));
        let sql = format!(
            "SELECT {PERSON_COLUMNS_UNNAMED} FROM people p \
             WHERE (p.org_path > $1 OR (p.org_path = $1 AND p.id > $2)) AND p.org_path < $3 \
             ORDER BY p.org_path, p.id LIMIT $4"
        );
        // Each row is opened as it arrives, while SQLite reads the next ones on its thread.
        on_db!(self.reader(), pool => {
            let mut rows = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(&from).bind(id).bind(&end).bind(limit).fetch(pool);
            let mut page = Vec::with_capacity(usize::try_from(limit).unwrap_or(0).min(10_000));
            while let Some(r) = futures_util::TryStreamExt::try_next(&mut rows).await? {
                page.push(person_from_row!(self, &r));
            }
            Ok(page)
        })
    }

    /// One person.
    pub async fn person(&self, id: Uuid) -> Result<PersonRecord, StoreError> {
        let sql = format!(
            "SELECT {PERSON_COLUMNS} FROM people p JOIN organizations o ON o.id = p.org_id WHERE p.id = $1{}",
            crate::tenancy::and_tenant("p.tenant_id", 2)
        );
        on_db!(self.db(), pool => {
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id);
            if let Some(t) = crate::tenancy::current() {
                q = q.bind(t);
            }
            let row = q.fetch_optional(pool).await?;
            match row {
                Some(r) => Ok(person_from_row!(self, &r)),
                None => Err(StoreError::NotFound),
            }
        })
    }

    /// The organisation a person is placed in: it must exist and be open.
    pub(crate) async fn placement(&self, org_id: Uuid) -> Result<crate::orgs::OrgRecord, StoreError> {
        match self.org(org_id).await {
            Ok(o) if o.closed_on.is_some() => {
                Err(FieldError::new("org_id", Reason::OrganizationClosed).into())
            }
            Ok(o) => Ok(o),
            Err(StoreError::NotFound) => Err(FieldError::new("org_id", Reason::UnknownOrganization).into()),
            Err(e) => Err(e),
        }
    }

    /// Creates a person; returns the id.
    pub async fn create_person(&self, f: &PersonFields, act: &Act) -> Result<Uuid, StoreError> {
        let org = self.placement(f.org_id).await?;
        let id = Uuid::now_v7();
        let inserted = self.insert_person(id, &org, f, false, act).await?;
        if !inserted {
            return Err(FieldError::new("id_card", Reason::DuplicateIdCard).into());
        }
        Ok(id)
    }

    /// Inserts a person with a known id and journals it. Returns false when the id or the
    /// ID number is already there (nothing written).
    pub(crate) async fn insert_person(
        &self,
        id: Uuid,
        org: &crate::orgs::OrgRecord,
        f: &PersonFields,
        is_demo: bool,
        act: &Act,
    ) -> Result<bool, StoreError> {
        let sealed = self.seal_person(f);
        let change = Change {
            tenant_id: org.tenant_id,
            entity: "person",
            entity_id: Some(id),
            change: serde_json::json!({ "created": person_change(f, self.vault()) }),
            rows: vec![("people", id)],
        };
        let now = act.at;
        let n = on_db!(self.db(), pool => {
            let mut tx = pool.begin_write().await?;
            let n = bind_person!(sqlx::query(INSERT_PERSON), id, org, f, &sealed, is_demo, now)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if n == 1 {
                journal_append!(tx, self, act, &change)?;
            }
            tx.commit().await?;
            n
        });
        Ok(n == 1)
    }

    /// Replaces a person's fields.
    pub async fn update_person(&self, id: Uuid, f: &PersonFields, act: &Act) -> Result<(), StoreError> {
        let before = self.person(id).await?;
        let org = self.placement(f.org_id).await?;
        // A person's rows live with their tenant (on Citus, on its shards): a move to
        // another top organisation is a transfer, refused here.
        if org.tenant_id != before.tenant_id {
            return Err(FieldError::new("org_id", Reason::CrossTenantTransfer).into());
        }
        let sealed = self.seal_person(f);
        let d = |x: Option<Date>| x.map(|d| d.to_string());
        let change = Change {
            tenant_id: org.tenant_id,
            entity: "person",
            entity_id: Some(id),
            change: serde_json::json!({
                "before": person_change(&before.fields, self.vault()),
                "after": person_change(f, self.vault()),
            }),
            rows: vec![("people", id)],
        };
        let lock = if self.db().backend() == crate::Backend::Sqlite { "" } else { " FOR UPDATE" };
        let lock_person = format!("SELECT id FROM people WHERE tenant_id = $2 AND id = $1{lock}");
        on_db!(self.db(), pool => {
            let mut tx = pool.begin_write().await?;
            let clash: Option<Uuid> = sqlx::query_scalar(
                "SELECT id FROM people WHERE tenant_id = $1 AND id_card_idx = $2 AND id <> $3",
            )
            .bind(org.tenant_id)
            .bind(&sealed.id_card_idx)
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?;
            if clash.is_some() {
                return Err(FieldError::new("id_card", Reason::DuplicateIdCard).into());
            }
            // The person's row first (locked on PostgreSQL), then whether they left: a
            // departure recorded meanwhile waits for this edit, or this edit sees it.
            let _: Option<Uuid> = sqlx::query_scalar(sqlx::AssertSqlSafe(lock_person.clone()))
                .bind(id)
                .bind(org.tenant_id)
                .fetch_optional(&mut *tx)
                .await?;
            let left: Option<String> =
                sqlx::query_scalar("SELECT kind FROM departures WHERE tenant_id = $2 AND person_id = $1")
                .bind(id)
                .bind(org.tenant_id)
                .fetch_optional(&mut *tx)
                .await?;
            if left.is_some() && f.status != Status::NonMember {
                return Err(FieldError::new("status", LEFT).into());
            }
            // Keep the stored ciphertext when the value did not change, so an edit of the
            // name does not rewrite sealed columns.
            let keep_id = before.fields.id_card == f.id_card;
            let keep_phone = before.fields.phone == f.phone;
            sqlx::query(
                "UPDATE people SET org_id = $3, org_path = $29, name = $4, gender = $5, birth_date = $6, \
                 ethnicity = $7, education = $8, worker_category = $9, employer = $10, station = $11, \
                 phone_enc = CASE WHEN $12 THEN phone_enc ELSE $13 END, phone_idx = $14, \
                 id_card_enc = CASE WHEN $15 THEN id_card_enc ELSE $16 END, id_card_idx = $17, status = $18, \
                 is_mobile = $19, home_organization = $20, is_backbone = $21, is_key_position = $22, \
                 applied_on = $23, activist_on = $24, target_on = $25, admitted_on = $26, full_member_on = $27, \
                 updated_at = $28 WHERE tenant_id = $2 AND id = $1",
            )
            .bind(id)
            .bind(org.tenant_id)
            .bind(f.org_id)
            .bind(&f.name)
            .bind(f.gender.code())
            .bind(f.birth_date.to_string())
            .bind(&f.ethnicity)
            .bind(f.education.code())
            .bind(f.worker_category.code())
            .bind(&f.employer)
            .bind(&f.station)
            .bind(keep_phone)
            .bind(&sealed.phone_enc)
            .bind(&sealed.phone_idx)
            .bind(keep_id)
            .bind(&sealed.id_card_enc)
            .bind(&sealed.id_card_idx)
            .bind(f.status.code())
            .bind(f.is_mobile)
            .bind(&f.home_organization)
            .bind(f.is_backbone)
            .bind(f.is_key_position)
            .bind(d(f.dates.applied_on))
            .bind(d(f.dates.activist_on))
            .bind(d(f.dates.target_on))
            .bind(d(f.dates.admitted_on))
            .bind(d(f.dates.full_member_on))
            .bind(act.at.as_millisecond())
            .bind(&org.path)
            .execute(&mut *tx)
            .await?;
            // A member-development dossier reads the person's mobility (DEV-017).
            sqlx::query("UPDATE dossiers SET mobile = $2 WHERE tenant_id = $3 AND person_id = $1")
                .bind(id)
                .bind(f.is_mobile)
                .bind(org.tenant_id)
                .execute(&mut *tx)
                .await?;
            let dossiers: Vec<Uuid> = sqlx::query_scalar("SELECT id FROM dossiers WHERE tenant_id = $2 AND person_id = $1")
                .bind(id)
                .bind(org.tenant_id)
                .fetch_all(&mut *tx)
                .await?;
            let mut change = change.clone();
            change.rows.extend(dossiers.into_iter().map(|d| ("dossiers", d)));
            journal_append!(tx, self, act, &change)?;
            tx.commit().await?;
            Ok(())
        })
    }

    /// A page (1-based) of people matching `filter`, newest first, `today` fixing ages.
    pub async fn search_people(
        &self,
        filter: &PeopleFilter,
        today: Date,
        page: u32,
        per_page: u32,
    ) -> Result<PeoplePage, StoreError> {
        let mut cond: Vec<String> = Vec::new();
        let mut params: Vec<Param> = Vec::new();
        let mut add = |sql: &str, p: Param, cond: &mut Vec<String>| {
            params.push(p);
            cond.push(sql.replace('?', &format!("${}", params.len())));
        };
        if let Some(org_id) = filter.org {
            let org = self.org(org_id).await?;
            if org.parent_id.is_none() {
                // A whole deployment: no index leads with tenant_id, so the planner keeps
                // walking the other filters' indexes in id order and stops after one page.
                add("p.tenant_id = ?", Param::Uuid(org.tenant_id), &mut cond);
            } else {
                add("p.org_path >= ?", Param::Text(org.path.clone()), &mut cond);
                add("p.org_path < ?", Param::Text(pioneer_domain::orgs::subtree_end(&org.path)), &mut cond);
            }
        }
        if let Some(q) = filter.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
            if let Ok(id) = IdCardNumber::parse("q", q) {
                add("p.id_card_idx = ?", Param::Bytes(self.vault().index("id_card", id.as_str())), &mut cond);
            } else if let Ok(phone) = PhoneNumber::parse("q", q) {
                add("p.phone_idx = ?", Param::Bytes(self.vault().index("phone", phone.as_str())), &mut cond);
            } else {
                // Name prefix: an index range, so it stays fast on a million people.
                add("p.name >= ?", Param::Text(q.to_owned()), &mut cond);
                add("p.name < ?", Param::Text(format!("{q}\u{10FFFF}")), &mut cond);
            }
        }
        if let Some(s) = filter.status {
            add("p.status = ?", Param::Text(s.code().into()), &mut cond);
        }
        if let Some(c) = filter.worker_category {
            add("p.worker_category = ?", Param::Text(c.code().into()), &mut cond);
        }
        if let Some(e) = filter.education {
            add("p.education = ?", Param::Text(e.code().into()), &mut cond);
        }
        if let Some(college) = filter.college {
            let list = Education::ALL
                .iter()
                .filter(|e| e.is_college_or_above() == college)
                .map(|e| format!("'{}'", e.code()))
                .collect::<Vec<_>>()
                .join(", ");
            cond.push(format!("p.education IN ({list})"));
        }
        if let Some(g) = filter.gender {
            add("p.gender = ?", Param::Text(g.code().into()), &mut cond);
        }
        if let Some(m) = filter.is_mobile {
            add("p.is_mobile = ?", Param::Bool(m), &mut cond);
        }
        if let Some(band) = filter.age_band {
            let (after, up_to) = band.birth_range(today);
            add("p.birth_date <= ?", Param::Text(up_to.to_string()), &mut cond);
            if let Some(a) = after {
                add("p.birth_date > ?", Param::Text(a.to_string()), &mut cond);
            }
        }
        let where_sql = if cond.is_empty() { String::new() } else { format!("WHERE {}", cond.join(" AND ")) };
        let per_page = per_page.clamp(1, 200);
        let offset = i64::from(page.max(1) - 1) * i64::from(per_page);
        // Two steps: pick the page's ids (often from an index alone), then read those rows.
        // Sorting thousands of ids is cheap; sorting thousands of whole rows is not.
        let (asc, desc) = if filter.descending { ("DESC", "ASC") } else { ("ASC", "DESC") };
        let order = match filter.sort {
            PeopleSort::Newest => format!("p.id {desc}"),
            PeopleSort::Name => format!("p.name {asc}, p.id {asc}"),
            PeopleSort::Age => format!("p.birth_date {desc}, p.id {asc}"),
        };
        let list_sql = format!(
            "SELECT {PERSON_COLUMNS} FROM people p JOIN organizations o ON o.id = p.org_id \
             WHERE p.id IN (SELECT p.id FROM people p {where_sql} ORDER BY {order} LIMIT {per_page} OFFSET {offset}) \
             ORDER BY {order}"
        );
        // Every condition is on `people`: the count needs no join.
        let count_sql =
            format!("SELECT COUNT(*) FROM (SELECT 1 FROM people p {where_sql} LIMIT {}) AS c", COUNT_CAP + 1);
        on_db!(self.db(), pool => {
            let mut q = sqlx::query(sqlx::AssertSqlSafe(list_sql));
            let mut c = sqlx::query_scalar::<_, i64>(sqlx::AssertSqlSafe(count_sql));
            for p in &params {
                match p {
                    Param::Text(s) => { q = q.bind(s.clone()); c = c.bind(s.clone()); }
                    Param::Bytes(b) => { q = q.bind(b.clone()); c = c.bind(b.clone()); }
                    Param::Bool(b) => { q = q.bind(*b); c = c.bind(*b); }
                    Param::Uuid(u) => { q = q.bind(*u); c = c.bind(*u); }
                }
            }
            let rows = q.fetch_all(pool).await?;
            let people = rows.iter().map(|r| Ok(person_from_row!(self, r))).collect::<Result<Vec<_>, StoreError>>()?;
            let total = u64::try_from(c.fetch_one(pool).await?).unwrap_or(0);
            Ok(PeoplePage { people, total: total.min(COUNT_CAP), total_capped: total > COUNT_CAP })
        })
    }

    /// People counted by status (across everything, or one subtree).
    pub async fn count_by_status(&self, org: Option<Uuid>) -> Result<Vec<(Status, i64)>, StoreError> {
        let (sql, path) = match org {
            Some(id) => {
                let o = self.org(id).await?;
                (
                    "SELECT status, COUNT(*) FROM people WHERE org_path >= $1 AND org_path < $2 GROUP BY status",
                    Some(o.path),
                )
            }
            None => ("SELECT status, COUNT(*) FROM people GROUP BY status", None),
        };
        let rows: Vec<(String, i64)> = on_db!(self.db(), pool => {
            let mut q = sqlx::query_as(sql);
            if let Some(p) = &path {
                q = q.bind(p.clone()).bind(pioneer_domain::orgs::subtree_end(p));
            }
            q.fetch_all(pool).await?
        });
        let mut out: Vec<(Status, i64)> = Status::ALL
            .iter()
            .map(|s| (*s, rows.iter().find(|(c, _)| c == s.code()).map_or(0, |r| r.1)))
            .collect();
        out.sort_by_key(|(s, _)| std::cmp::Reverse(*s));
        Ok(out)
    }
}
