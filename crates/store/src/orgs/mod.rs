//! Organisations in storage: create, edit, move (with the whole subtree's paths), close,
//! and tree queries that are one index range on the materialised path.

pub mod officers;

use crate::db::BeginWrite;
use crate::error::StoreError;
use crate::journal::{Act, Change, journal_append, org_change};
use crate::{Store, on_db};
use jiff::civil::Date;
use pioneer_domain::orgs::{self, OrgFields, OrgKind, TreeNode};
use pioneer_domain::{FieldError, Reason};
use sqlx::Row;
use uuid::Uuid;

/// An organisation as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrgRecord {
    /// Id.
    pub id: Uuid,
    /// Top organisation of its deployment.
    pub tenant_id: Uuid,
    /// Parent (None for a top organisation).
    pub parent_id: Option<Uuid>,
    /// Materialised path.
    pub path: String,
    /// Depth (0 = top).
    pub depth: i64,
    /// Checked fields.
    pub fields: OrgFields,
    /// Closed on.
    pub closed_on: Option<Date>,
    /// Part of the demo deployment.
    pub is_demo: bool,
}

impl OrgRecord {
    /// The tree facts the domain rules need.
    pub fn node(&self) -> TreeNode {
        TreeNode {
            id: self.id,
            tenant_id: self.tenant_id,
            path: self.path.clone(),
            kind: self.fields.kind,
            closed_on: self.closed_on,
        }
    }
}

pub(crate) const ORG_COLUMNS: &str = "id, tenant_id, parent_id, path, depth, name, kind, approval_authority, \
    temporary, enterprise, station, address, closed_on, is_demo";

pub(crate) fn parse_date(column: &'static str, s: Option<String>) -> Result<Option<Date>, StoreError> {
    s.map(|s| s.parse::<Date>().map_err(|_| StoreError::Corrupt(column))).transpose()
}

macro_rules! org_from_row {
    ($row:expr) => {{
        let row = $row;
        let kind: String = row.try_get("kind")?;
        OrgRecord {
            id: row.try_get("id")?,
            tenant_id: row.try_get("tenant_id")?,
            parent_id: row.try_get("parent_id")?,
            path: row.try_get("path")?,
            depth: row.try_get("depth")?,
            fields: OrgFields {
                name: row.try_get("name")?,
                kind: OrgKind::from_code(&kind).ok_or(StoreError::Corrupt("organizations.kind"))?,
                approval_authority: row.try_get("approval_authority")?,
                temporary: row.try_get("temporary")?,
                enterprise: row.try_get("enterprise")?,
                station: row.try_get("station")?,
                address: row.try_get("address")?,
            },
            closed_on: parse_date("organizations.closed_on", row.try_get("closed_on")?)?,
            is_demo: row.try_get("is_demo")?,
        }
    }};
}

/// Counts that decide whether an organisation can change.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct OrgOccupancy {
    /// Open direct sub-organisations.
    pub open_children: u64,
    /// People whose organisation it is.
    pub people: u64,
}

impl Store {
    /// One organisation.
    pub async fn org(&self, id: Uuid) -> Result<OrgRecord, StoreError> {
        let sql = format!("SELECT {ORG_COLUMNS} FROM organizations WHERE id = $1");
        on_db!(self.db(), pool => {
            let row = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(pool).await?;
            match row {
                Some(r) => Ok(org_from_row!(&r)),
                None => Err(StoreError::NotFound),
            }
        })
    }

    /// Every organisation up to `max_depth` (None = all), in path order (a depth-first walk).
    pub async fn orgs(&self, max_depth: Option<i64>) -> Result<Vec<OrgRecord>, StoreError> {
        let sql = format!("SELECT {ORG_COLUMNS} FROM organizations WHERE depth <= $1 ORDER BY path");
        self.org_query(sql, vec![max_depth.unwrap_or(i64::MAX)]).await
    }

    /// The direct children of an organisation, by name.
    pub async fn children(&self, id: Uuid) -> Result<Vec<OrgRecord>, StoreError> {
        let sql = format!(
            "SELECT {ORG_COLUMNS} FROM organizations WHERE parent_id = $1 ORDER BY closed_on IS NOT NULL, name"
        );
        on_db!(self.db(), pool => {
            let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id).fetch_all(pool).await?;
            rows.iter().map(|r| Ok(org_from_row!(r))).collect()
        })
    }

    /// The whole subtree of an organisation (itself included), in path order.
    pub async fn subtree(&self, root: &OrgRecord) -> Result<Vec<OrgRecord>, StoreError> {
        self.subtree_of(&root.path, i64::MAX).await
    }

    /// The organisations whose path starts with `path` (`/` = all), down to `max_depth`, in
    /// path order: one index range.
    pub async fn subtree_of(&self, path: &str, max_depth: i64) -> Result<Vec<OrgRecord>, StoreError> {
        let sql = format!(
            "SELECT {ORG_COLUMNS} FROM organizations WHERE path >= $1 AND path < $2 AND depth <= $3 ORDER BY path"
        );
        on_db!(self.db(), pool => {
            let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
                .bind(path)
                .bind(orgs::subtree_end(path))
                .bind(max_depth)
                .fetch_all(pool)
                .await?;
            rows.iter().map(|r| Ok(org_from_row!(r))).collect()
        })
    }

    /// The ancestors of an organisation, top first (itself excluded).
    pub async fn ancestors(&self, of: &OrgRecord) -> Result<Vec<OrgRecord>, StoreError> {
        let mut out = Vec::new();
        for id in orgs::ancestors(&of.path) {
            if id != of.id {
                out.push(self.org(id).await?);
            }
        }
        Ok(out)
    }

    async fn org_query(&self, sql: String, ints: Vec<i64>) -> Result<Vec<OrgRecord>, StoreError> {
        on_db!(self.db(), pool => {
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
            for i in ints {
                q = q.bind(i);
            }
            let rows = q.fetch_all(pool).await?;
            rows.iter().map(|r| Ok(org_from_row!(r))).collect()
        })
    }

    /// Open children and people of an organisation.
    pub async fn occupancy(&self, id: Uuid) -> Result<OrgOccupancy, StoreError> {
        on_db!(self.db(), pool => {
            let children: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM organizations WHERE parent_id = $1 AND closed_on IS NULL",
            )
            .bind(id)
            .fetch_one(pool)
            .await?;
            let people: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM people WHERE org_id = $1")
                .bind(id)
                .fetch_one(pool)
                .await?;
            Ok(OrgOccupancy {
                open_children: u64::try_from(children).unwrap_or(0),
                people: u64::try_from(people).unwrap_or(0),
            })
        })
    }

    /// Looks up the parent named in a form, as a `parent_id` field error when missing.
    async fn parent_node(&self, parent_id: Option<Uuid>) -> Result<Option<OrgRecord>, StoreError> {
        match parent_id {
            None => Ok(None),
            Some(id) => match self.org(id).await {
                Ok(p) => Ok(Some(p)),
                Err(StoreError::NotFound) => {
                    Err(FieldError::new("parent_id", Reason::UnknownOrganization).into())
                }
                Err(e) => Err(e),
            },
        }
    }

    /// Creates an organisation under `parent_id`; returns its id.
    pub async fn create_org(
        &self,
        fields: &OrgFields,
        parent_id: Option<Uuid>,
        act: &Act,
    ) -> Result<Uuid, StoreError> {
        let parent = self.parent_node(parent_id).await?;
        orgs::check_placement(fields.kind, parent.as_ref().map(OrgRecord::node).as_ref())?;
        let id = Uuid::now_v7();
        self.insert_org(id, fields, parent.as_ref(), false, act).await?;
        Ok(id)
    }

    /// Inserts an organisation with a known id and journals it; returns the stored record,
    /// or `None` when the id already exists and nothing was written (demo loads).
    pub(crate) async fn insert_org(
        &self,
        id: Uuid,
        fields: &OrgFields,
        parent: Option<&OrgRecord>,
        is_demo: bool,
        act: &Act,
    ) -> Result<Option<OrgRecord>, StoreError> {
        let path = orgs::path_for(parent.map(|p| p.path.as_str()), id);
        let tenant = parent.map_or(id, |p| p.tenant_id);
        let depth = i64::try_from(orgs::depth(&path)).unwrap_or(0);
        let ms = act.at.as_millisecond();
        let change = Change {
            tenant_id: tenant,
            entity: "organization",
            entity_id: Some(id),
            change: serde_json::json!({ "created": org_change(fields), "parent_id": parent.map(|p| p.id) }),
            rows: vec![("organizations", id)],
        };
        let done = on_db!(self.db(), pool => {
            let mut tx = pool.begin_write().await?;
            let n = sqlx::query(
                "INSERT INTO organizations (id, tenant_id, parent_id, path, depth, name, kind, approval_authority, \
                 temporary, enterprise, station, address, closed_on, is_demo, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, NULL, $13, $14, $14) \
                 ON CONFLICT (id) DO NOTHING",
            )
            .bind(id)
            .bind(tenant)
            .bind(parent.map(|p| p.id))
            .bind(&path)
            .bind(depth)
            .bind(&fields.name)
            .bind(fields.kind.code())
            .bind(fields.approval_authority)
            .bind(fields.temporary)
            .bind(&fields.enterprise)
            .bind(&fields.station)
            .bind(&fields.address)
            .bind(is_demo)
            .bind(ms)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if n == 1 {
                journal_append!(tx, self, act, &change)?;
            }
            tx.commit().await?;
            n
        });
        Ok((done == 1).then(|| OrgRecord {
            id,
            tenant_id: tenant,
            parent_id: parent.map(|p| p.id),
            path,
            depth,
            fields: fields.clone(),
            closed_on: None,
            is_demo,
        }))
    }

    /// Changes the fields (name, kind, flags, enterprise, station, address) of an organisation.
    pub async fn update_org(&self, id: Uuid, fields: &OrgFields, act: &Act) -> Result<(), StoreError> {
        let current = self.org(id).await?;
        if current.closed_on.is_some() {
            return Err(FieldError::new("name", Reason::AlreadyClosed).into());
        }
        if fields.kind != current.fields.kind {
            let occ = self.occupancy(id).await?;
            orgs::check_kind_change(fields.kind, current.parent_id.is_some(), occ.open_children)?;
        }
        let change = Change {
            tenant_id: current.tenant_id,
            entity: "organization",
            entity_id: Some(id),
            change: serde_json::json!({ "before": org_change(&current.fields), "after": org_change(fields) }),
            rows: vec![("organizations", id)],
        };
        on_db!(self.db(), pool => {
            let mut tx = pool.begin_write().await?;
            sqlx::query(
                "UPDATE organizations SET name = $2, kind = $3, approval_authority = $4, temporary = $5, \
                 enterprise = $6, station = $7, address = $8, updated_at = $9 WHERE id = $1",
            )
            .bind(id)
            .bind(&fields.name)
            .bind(fields.kind.code())
            .bind(fields.approval_authority)
            .bind(fields.temporary)
            .bind(&fields.enterprise)
            .bind(&fields.station)
            .bind(&fields.address)
            .bind(act.at.as_millisecond())
            .execute(&mut *tx)
            .await?;
            journal_append!(tx, self, act, &change)?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// Moves an organisation and its whole subtree under `new_parent`, in one transaction.
    pub async fn move_org(&self, id: Uuid, new_parent: Uuid, act: &Act) -> Result<(), StoreError> {
        let node = self.org(id).await?;
        let parent = self.parent_node(Some(new_parent)).await?.ok_or(StoreError::NotFound)?;
        orgs::check_move(&node.node(), &parent.node())?;
        let new_path = orgs::path_for(Some(&parent.path), id);
        // i32, not i64: PostgreSQL has substr(text, integer) only.
        let old_len = i32::try_from(node.path.chars().count()).unwrap_or(0);
        let depth_shift = parent.depth + 1 - node.depth;
        let change = Change {
            tenant_id: node.tenant_id,
            entity: "organization",
            entity_id: Some(id),
            change: serde_json::json!({ "moved_from": node.parent_id, "moved_to": new_parent }),
            rows: Vec::new(),
        };
        let mut change = change;
        on_db!(self.db(), pool => {
            let mut tx = pool.begin_write().await?;
            let moved: Vec<Uuid> = sqlx::query_scalar("SELECT id FROM organizations WHERE path >= $1 AND path < $2")
                .bind(&node.path)
                .bind(orgs::subtree_end(&node.path))
                .fetch_all(&mut *tx)
                .await?;
            change.rows.extend(moved.into_iter().map(|o| ("organizations", o)));
            sqlx::query(
                "UPDATE organizations SET path = $1 || substr(path, $2), depth = depth + $3, updated_at = $6 \
                 WHERE path >= $4 AND path < $5",
            )
            .bind(&new_path)
            .bind(old_len + 1)
            .bind(depth_shift)
            .bind(&node.path)
            .bind(orgs::subtree_end(&node.path))
            .bind(act.at.as_millisecond())
            .execute(&mut *tx)
            .await?;
            sqlx::query(
                "UPDATE people SET org_path = $1 || substr(org_path, $2) WHERE org_path >= $3 AND org_path < $4",
            )
            .bind(&new_path)
            .bind(old_len + 1)
            .bind(&node.path)
            .bind(orgs::subtree_end(&node.path))
            .execute(&mut *tx)
            .await?;
            sqlx::query("UPDATE organizations SET parent_id = $2 WHERE id = $1")
                .bind(id)
                .bind(new_parent)
                .execute(&mut *tx)
                .await?;
            journal_append!(tx, self, act, &change)?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// Closes an empty organisation on `on`.
    pub async fn close_org(&self, id: Uuid, on: Date, today: Date, act: &Act) -> Result<(), StoreError> {
        let node = self.org(id).await?;
        let occ = self.occupancy(id).await?;
        orgs::check_close(&node.node(), occ.open_children, occ.people, on, today)?;
        let change = Change {
            tenant_id: node.tenant_id,
            entity: "organization",
            entity_id: Some(id),
            change: serde_json::json!({ "closed_on": on.to_string() }),
            rows: vec![("organizations", id)],
        };
        on_db!(self.db(), pool => {
            let mut tx = pool.begin_write().await?;
            sqlx::query("UPDATE organizations SET closed_on = $2, updated_at = $3 WHERE id = $1")
                .bind(id)
                .bind(on.to_string())
                .bind(act.at.as_millisecond())
                .execute(&mut *tx)
                .await?;
            journal_append!(tx, self, act, &change)?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// Open organisations whose path starts with `path` (`/` = all).
    pub async fn count_open_orgs(&self, path: &str) -> Result<i64, StoreError> {
        Ok(on_db!(self.db(), pool => {
            sqlx::query_scalar("SELECT COUNT(*) FROM organizations WHERE path >= $1 AND path < $2 AND closed_on IS NULL")
                .bind(path)
                .bind(orgs::subtree_end(path))
                .fetch_one(pool)
                .await?
        }))
    }
}
