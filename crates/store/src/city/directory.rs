//! The phone directory in storage: entries of an organisation, searched by name, category
//! and district (members-only entries only for members), imported from a checked file in
//! one transaction, re-verified by their owner, and the stale ones listed for them.

use crate::error::StoreError;
use crate::journal::{Act, Change, journal_append};
use crate::{Store, db::BeginWrite, on_db};
use pioneer_domain::city::directory::{Category, EntryFields};
use pioneer_domain::{FieldError, Reason};
use serde::Serialize;
use uuid::Uuid;

/// A directory entry as stored.
#[derive(Debug, Clone, Serialize)]
pub struct EntryRecord {
    /// Id.
    pub id: Uuid,
    /// Tenant.
    pub tenant_id: Uuid,
    /// The owning organisation.
    pub org_id: Uuid,
    /// Its path.
    pub org_path: String,
    /// Its name (the entry's source).
    pub org_name: String,
    /// Category code.
    pub category: String,
    /// Name.
    pub name: String,
    /// District.
    pub district: String,
    /// Address.
    pub address: Option<String>,
    /// Hours.
    pub hours: Option<String>,
    /// Phone, as dialled.
    pub phone: String,
    /// `public` or `members`.
    pub audience: String,
    /// Last verified.
    pub verified_on: String,
}

/// What a directory search asks.
#[derive(Debug, Clone, Default)]
pub struct DirectoryQuery {
    /// Part of the name.
    pub q: Option<String>,
    /// Category.
    pub category: Option<Category>,
    /// District.
    pub district: Option<String>,
    /// Whether members-only entries are included (a signed-in member of the tenant).
    pub members: bool,
}

type Row = (
    Uuid,
    Uuid,
    Uuid,
    String,
    String,
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    String,
    String,
    String,
);

const COLUMNS: &str = "e.id, e.tenant_id, e.org_id, e.org_path, o.name, e.category, e.name, e.district, e.address, e.hours, \
    e.phone, e.audience, e.verified_on";

fn record(r: Row) -> EntryRecord {
    let (
        id,
        tenant_id,
        org_id,
        org_path,
        org_name,
        category,
        name,
        district,
        address,
        hours,
        phone,
        audience,
        verified_on,
    ) = r;
    EntryRecord {
        id,
        tenant_id,
        org_id,
        org_path,
        org_name,
        category,
        name,
        district,
        address,
        hours,
        phone,
        audience,
        verified_on,
    }
}

/// `text` as a LIKE pattern matching it anywhere (its `%`, `_` and `\` escaped).
fn contains_pattern(text: &str) -> String {
    let mut p = String::from("%");
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            p.push('\\');
        }
        p.push(c);
    }
    p.push('%');
    p
}

impl Store {
    /// Adds an entry of organisation `org_id`.
    pub async fn create_entry(&self, org_id: Uuid, f: &EntryFields, act: &Act) -> Result<Uuid, StoreError> {
        let ids = self.import_entries(org_id, std::slice::from_ref(f), act).await?;
        ids.into_iter().next().ok_or(StoreError::NotFound)
    }

    /// Adds every entry to organisation `org_id` in one transaction with one journal entry
    /// (all or none).
    pub async fn import_entries(
        &self,
        org_id: Uuid,
        rows: &[EntryFields],
        act: &Act,
    ) -> Result<Vec<Uuid>, StoreError> {
        let org =
            self.org(org_id).await.map_err(|_| FieldError::new("org_id", Reason::UnknownOrganization))?;
        let ids: Vec<Uuid> = rows.iter().map(|_| Uuid::now_v7()).collect();
        let at = act.at.as_millisecond();
        let change = Change::new(
            org.tenant_id,
            "directory_entry",
            (ids.len() == 1).then(|| ids[0]),
            serde_json::json!({ "org_id": org_id, "entries": rows.iter().zip(&ids).map(|(f, id)| serde_json::json!({
                "id": id, "name": f.name, "category": f.category.code(), "district": f.district, "phone": f.phone.as_str(),
                "audience": f.audience.code(), "verified_on": f.verified_on.to_string() })).collect::<Vec<_>>() }),
        );
        on_db!(self.db(), pool => {
            let mut tx = pool.begin_write().await?;
            for (f, id) in rows.iter().zip(&ids) {
                sqlx::query(
                    "INSERT INTO directory_entries (tenant_id, id, org_id, org_path, category, name, district, address, hours, phone, \
                     audience, verified_on, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13)",
                )
                .bind(org.tenant_id).bind(id).bind(org.id).bind(&org.path).bind(f.category.code()).bind(&f.name).bind(&f.district)
                .bind(&f.address).bind(&f.hours).bind(f.phone.as_str()).bind(f.audience.code()).bind(f.verified_on.to_string()).bind(at)
                .execute(&mut *tx).await?;
            }
            journal_append!(tx, self, act, &change)?;
            tx.commit().await?;
        });
        Ok(ids)
    }

    /// An entry (of the request's tenant, when one is set).
    pub async fn entry(&self, id: Uuid) -> Result<EntryRecord, StoreError> {
        let sql = format!(
            "SELECT {COLUMNS} FROM directory_entries e JOIN organizations o ON o.id = e.org_id WHERE e.id = $1{}",
            crate::tenancy::and_tenant("e.tenant_id", 2)
        );
        let row: Option<Row> = on_db!(self.db(), pool => {
            crate::tenancy::bind_tenant!(sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(id)).fetch_optional(pool).await?
        });
        row.map(record).ok_or(StoreError::NotFound)
    }

    /// Replaces an entry's fields.
    pub async fn update_entry(&self, id: Uuid, f: &EntryFields, act: &Act) -> Result<(), StoreError> {
        let e = self.entry(id).await?;
        let change = Change::new(
            e.tenant_id,
            "directory_entry",
            Some(id),
            serde_json::json!({ "name": f.name, "category": f.category.code(), "district": f.district, "phone": f.phone.as_str(),
                "audience": f.audience.code(), "verified_on": f.verified_on.to_string() }),
        );
        on_db!(self.db(), pool => {
            let mut tx = pool.begin_write().await?;
            sqlx::query(
                "UPDATE directory_entries SET category = $1, name = $2, district = $3, address = $4, hours = $5, phone = $6, \
                 audience = $7, verified_on = $8, updated_at = $9 WHERE tenant_id = $10 AND id = $11",
            )
            .bind(f.category.code()).bind(&f.name).bind(&f.district).bind(&f.address).bind(&f.hours).bind(f.phone.as_str())
            .bind(f.audience.code()).bind(f.verified_on.to_string()).bind(act.at.as_millisecond()).bind(e.tenant_id).bind(id)
            .execute(&mut *tx).await?;
            journal_append!(tx, self, act, &change)?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// Records that the owner checked an entry on `today`.
    pub async fn verify_entry(
        &self,
        id: Uuid,
        today: jiff::civil::Date,
        act: &Act,
    ) -> Result<(), StoreError> {
        let e = self.entry(id).await?;
        let change = Change::new(
            e.tenant_id,
            "directory_entry",
            Some(id),
            serde_json::json!({ "verified_on": today.to_string() }),
        );
        on_db!(self.db(), pool => {
            let mut tx = pool.begin_write().await?;
            sqlx::query("UPDATE directory_entries SET verified_on = $1, updated_at = $2 WHERE tenant_id = $3 AND id = $4")
                .bind(today.to_string()).bind(act.at.as_millisecond()).bind(e.tenant_id).bind(id).execute(&mut *tx).await?;
            journal_append!(tx, self, act, &change)?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// Entries of `tenant` matching the query, by name (at most `limit`).
    pub async fn search_entries(
        &self,
        tenant: Uuid,
        q: &DirectoryQuery,
        limit: i64,
    ) -> Result<Vec<EntryRecord>, StoreError> {
        // The matches in name order (an index walk that stops at `limit`), then their
        // organisations' names.
        let mut sql = String::from("SELECT * FROM directory_entries e WHERE e.tenant_id = $1");
        let mut texts: Vec<String> = Vec::new();
        let mut n = 1;
        let mut add = |cond: &str, v: String, sql: &mut String| {
            n += 1;
            sql.push_str(&cond.replace('?', &format!("${n}")));
            texts.push(v);
        };
        if let Some(t) = q.q.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
            add(" AND e.name LIKE ? ESCAPE '\\'", contains_pattern(t), &mut sql);
        }
        if let Some(c) = q.category {
            add(" AND e.category = ?", c.code().to_owned(), &mut sql);
        }
        if let Some(d) = q.district.as_deref().map(str::trim).filter(|d| !d.is_empty()) {
            add(" AND e.district = ?", d.to_owned(), &mut sql);
        }
        if !q.members {
            add(" AND e.audience = ?", "public".to_owned(), &mut sql);
        }
        sql.push_str(&format!(" ORDER BY e.name LIMIT {}", limit.clamp(1, 1000)));
        let sql = format!(
            "SELECT {COLUMNS} FROM ({sql}) e JOIN organizations o ON o.id = e.org_id ORDER BY e.name"
        );
        let rows: Vec<Row> = on_db!(self.db(), pool => {
            let mut query = sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(tenant);
            for t in &texts {
                query = query.bind(t);
            }
            query.fetch_all(pool).await?
        });
        Ok(rows.into_iter().map(record).collect())
    }

    /// The entries an organisation's subtree owns, least recently verified first.
    pub async fn entries_in(
        &self,
        tenant: Uuid,
        path: &str,
        limit: i64,
    ) -> Result<Vec<EntryRecord>, StoreError> {
        let end = pioneer_domain::orgs::subtree_end(path);
        let sql = format!(
            "SELECT {COLUMNS} FROM directory_entries e JOIN organizations o ON o.id = e.org_id \
             WHERE e.tenant_id = $1 AND e.org_path >= $2 AND e.org_path < $3 ORDER BY e.verified_on, e.name LIMIT $4"
        );
        let rows: Vec<Row> = on_db!(self.db(), pool => {
            sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(tenant).bind(path).bind(&end).bind(limit).fetch_all(pool).await?
        });
        Ok(rows.into_iter().map(record).collect())
    }

    /// The districts the tenant's entries name, in order.
    pub async fn entry_districts(&self, tenant: Uuid) -> Result<Vec<String>, StoreError> {
        let rows: Vec<String> = on_db!(self.db(), pool => {
            sqlx::query_scalar("SELECT DISTINCT district FROM directory_entries WHERE tenant_id = $1 ORDER BY district")
                .bind(tenant).fetch_all(pool).await?
        });
        Ok(rows)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn like_wildcards_are_escaped() {
        assert_eq!(super::contains_pattern("50%_a\\"), "%50\\%\\_a\\\\%");
    }
}
