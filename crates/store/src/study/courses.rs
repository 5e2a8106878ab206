//! Study content in storage: courses published to an organisation subtree (journaled),
//! the courses a member sees (published to their organisation or above it), opening and
//! completing one (completing earns study credits once per course, within the caps), and
//! each publication's reach per sub-organisation and per member.

use crate::db::BeginWrite;
use crate::error::StoreError;
use crate::journal::{Act, Change, journal_append};
use crate::{Store, on_db};
use jiff::civil::Date;
use pioneer_domain::care::ledger::Entry;
use pioneer_domain::orgs::subtree_end;
use pioneer_domain::study::courses::{CourseFields, Item, Reach};
use uuid::Uuid;

/// A published course.
#[derive(Debug, Clone, serde::Serialize)]
pub struct CourseRecord {
    /// Id.
    pub id: Uuid,
    /// Deployment.
    pub tenant_id: Uuid,
    /// The organisation it was published to.
    pub org_id: Uuid,
    /// That organisation's path.
    pub org_path: String,
    /// Series, column, title and items.
    pub fields: CourseFields,
    /// Published on.
    pub published_on: Date,
}

/// A member's progress on a course: opened, completed (ms).
pub type Progress = (Option<i64>, Option<i64>);

type Row = (Uuid, Uuid, Uuid, String, String, String, String, String, String);

const COLUMNS: &str = "id, tenant_id, org_id, org_path, series, column_name, title, items, published_on";

fn course_from(r: Row) -> Result<CourseRecord, StoreError> {
    let (id, tenant_id, org_id, org_path, series, column, title, items, published_on) = r;
    let items: Vec<Item> = serde_json::from_str(&items).map_err(|_| StoreError::Corrupt("courses.items"))?;
    Ok(CourseRecord {
        id,
        tenant_id,
        org_id,
        org_path,
        fields: CourseFields { series, column, title, items },
        published_on: published_on.parse().map_err(|_| StoreError::Corrupt("courses.published_on"))?,
    })
}

/// Party members only: the people a publication is delivered to.
const MEMBERS: &str = "status IN ('full_member', 'probationary_member')";

impl Store {
    /// Publishes a course to the subtree of `org_id` on `on` (journaled).
    pub async fn publish_course(
        &self,
        org_id: Uuid,
        c: &CourseFields,
        on: Date,
        act: &Act,
    ) -> Result<Uuid, StoreError> {
        let o = self.placement(org_id).await?;
        let id = Uuid::now_v7();
        let items = serde_json::to_string(&c.items).map_err(|_| StoreError::Corrupt("courses.items"))?;
        let change = Change {
            tenant_id: o.tenant_id,
            entity: "course",
            entity_id: Some(id),
            change: serde_json::json!({ "org_id": org_id, "course": c }),
            rows: Vec::new(),
        };
        let at = act.at.as_millisecond();
        on_db!(self.db(), pool => {
            let mut tx = pool.begin_write().await?;
            sqlx::query("INSERT INTO courses (id, tenant_id, org_id, org_path, series, column_name, title, items, published_on, created_at) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)")
                .bind(id).bind(o.tenant_id).bind(o.id).bind(&o.path).bind(&c.series).bind(&c.column).bind(&c.title)
                .bind(&items).bind(on.to_string()).bind(at)
                .execute(&mut *tx).await?;
            journal_append!(tx, self, act, &change)?;
            tx.commit().await?;
        });
        Ok(id)
    }

    /// A course.
    pub async fn course(&self, id: Uuid) -> Result<CourseRecord, StoreError> {
        let row: Option<Row> = on_db!(self.db(), pool => {
            crate::tenancy::bind_tenant!(sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "SELECT {COLUMNS} FROM courses WHERE id = $1{}", crate::tenancy::and_tenant("tenant_id", 2))))
                .bind(id)).fetch_optional(pool).await?
        });
        course_from(row.ok_or(StoreError::NotFound)?)
    }

    /// The courses a member at `member_path` sees, newest first (100), with their progress.
    pub async fn courses_for(
        &self,
        tenant_id: Uuid,
        member_id: Uuid,
        member_path: &str,
    ) -> Result<Vec<(CourseRecord, Progress)>, StoreError> {
        type R = (Uuid, Uuid, Uuid, String, String, String, String, String, String, Option<i64>, Option<i64>);
        let rows: Vec<R> = on_db!(self.db(), pool => {
            sqlx::query_as(
                "SELECT c.id, c.tenant_id, c.org_id, c.org_path, c.series, c.column_name, c.title, c.items, c.published_on, r.opened_at, r.completed_at \
                 FROM courses c LEFT JOIN course_reach r ON r.tenant_id = c.tenant_id AND r.course_id = c.id AND r.member_id = $3 \
                 WHERE c.tenant_id = $1 AND substr($2, 1, length(c.org_path)) = c.org_path \
                 ORDER BY c.published_on DESC, c.id DESC LIMIT 100")
            .bind(tenant_id).bind(member_path).bind(member_id).fetch_all(pool).await?
        });
        rows.into_iter()
            .map(|(a, b, c, d, e, f, g, h, i, opened, completed)| {
                Ok((course_from((a, b, c, d, e, f, g, h, i))?, (opened, completed)))
            })
            .collect()
    }

    /// The courses published in the subtree of an organisation or above it, newest first (100).
    pub async fn courses_around(&self, org_id: Uuid) -> Result<Vec<CourseRecord>, StoreError> {
        let o = self.org(org_id).await?;
        let rows: Vec<Row> = on_db!(self.db(), pool => {
            sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "SELECT {COLUMNS} FROM courses WHERE tenant_id = $1 AND ((org_path >= $2 AND org_path < $3) \
                 OR substr($2, 1, length(org_path)) = org_path) ORDER BY published_on DESC, id DESC LIMIT 100")))
            .bind(o.tenant_id).bind(&o.path).bind(subtree_end(&o.path)).fetch_all(pool).await?
        });
        rows.into_iter().map(course_from).collect()
    }

    /// Records that a member opened a course (the first time counts; journaled then).
    pub async fn open_course(
        &self,
        course: &CourseRecord,
        member_id: Uuid,
        member_path: &str,
        act: &Act,
    ) -> Result<(), StoreError> {
        if !member_path.starts_with(&course.org_path) {
            return Err(StoreError::NotFound);
        }
        let at = act.at.as_millisecond();
        let change = Change {
            tenant_id: course.tenant_id,
            entity: "course_reach",
            entity_id: Some(course.id),
            change: serde_json::json!({ "member": member_id, "opened_at": at }),
            rows: Vec::new(),
        };
        on_db!(self.db(), pool => {
            let mut tx = pool.begin_write().await?;
            let n = sqlx::query("INSERT INTO course_reach (course_id, member_id, org_path, opened_at, tenant_id) VALUES ($1, $2, $3, $4, $5) \
                         ON CONFLICT DO NOTHING")
                .bind(course.id).bind(member_id).bind(member_path).bind(at).bind(course.tenant_id).execute(&mut *tx).await?.rows_affected();
            if n == 1 {
                journal_append!(tx, self, act, &change)?;
            }
            tx.commit().await?;
        });
        Ok(())
    }

    /// Records that a member completed a course: earns the study credits once per course
    /// (within the caps). Completing again changes nothing.
    pub async fn complete_course(
        &self,
        course: &CourseRecord,
        member_id: Uuid,
        member_path: &str,
        on: Date,
        act: &Act,
    ) -> Result<Option<Entry>, StoreError> {
        if !member_path.starts_with(&course.org_path) {
            return Err(StoreError::NotFound);
        }
        let rule = self.credit_rules_at(course.tenant_id, member_path).await?.study;
        let at = act.at.as_millisecond();
        let key = format!("study-{}", course.id);
        on_db!(self.db(), pool => {
            let mut tx = pool.begin_write().await?;
            sqlx::query("INSERT INTO course_reach (course_id, member_id, org_path, opened_at, tenant_id) VALUES ($1, $2, $3, $4, $5) \
                         ON CONFLICT DO NOTHING")
                .bind(course.id).bind(member_id).bind(member_path).bind(at).bind(course.tenant_id).execute(&mut *tx).await?;
            let n = sqlx::query("UPDATE course_reach SET completed_at = $3 WHERE tenant_id = $4 AND course_id = $1 AND member_id = $2 \
                         AND completed_at IS NULL")
                .bind(course.id).bind(member_id).bind(at).bind(course.tenant_id).execute(&mut *tx).await?.rows_affected();
            if n == 0 {
                tx.commit().await?;
                return Ok(None);
            }
            let credited = crate::care::credits::earn_in_tx!(tx, member_id, course.tenant_id, &key, &rule, on, at);
            let mut rows = vec![("credit_accounts", member_id)];
            rows.extend(credited.as_ref().map(|(_, id)| ("credit_entries", *id)));
            let credited = credited.map(|(e, _)| e);
            let change = Change { tenant_id: course.tenant_id, entity: "course_reach", entity_id: Some(course.id),
                change: serde_json::json!({ "member": member_id, "completed_at": at, "credits": credited.as_ref().map(|e| e.amount) }), rows };
            journal_append!(tx, self, act, &change)?;
            tx.commit().await?;
            Ok(credited)
        })
    }

    /// A course's reach in the subtree at `path`.
    async fn reach_under(&self, course_id: Uuid, path: &str) -> Result<Reach, StoreError> {
        let end = subtree_end(path);
        let (delivered, opened, completed, reflections): (i64, i64, i64, i64) = on_db!(self.db(), pool => {
            let delivered: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
                "SELECT COUNT(*) FROM people WHERE org_path >= $1 AND org_path < $2 AND {MEMBERS}")))
                .bind(path).bind(&end).fetch_one(pool).await?;
            let (opened, completed): (i64, i64) = sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "SELECT COUNT(*), COUNT(r.completed_at) FROM course_reach r JOIN people p ON p.tenant_id = r.tenant_id AND p.id = r.member_id \
                 WHERE r.course_id = $1 AND r.org_path >= $2 AND r.org_path < $3 AND p.{MEMBERS}")))
                .bind(course_id).bind(path).bind(&end).fetch_one(pool).await?;
            let reflections: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM reflections WHERE course_id = $1 AND org_path >= $2 AND org_path < $3 AND status = 'approved'")
                .bind(course_id).bind(path).bind(&end).fetch_one(pool).await?;
            (delivered, opened, completed, reflections)
        });
        Ok(Reach {
            delivered: delivered as u64,
            opened: opened as u64,
            completed: completed as u64,
            reflections: reflections as u64,
        })
    }

    /// A course's reach in `org_id`'s whole subtree (first) and in each direct
    /// sub-organisation: `(organisation id, name, reach)`.
    pub async fn course_reach(
        &self,
        course_id: Uuid,
        org_id: Uuid,
    ) -> Result<Vec<(Uuid, String, Reach)>, StoreError> {
        let o = self.org(org_id).await?;
        let mut out = vec![(o.id, o.fields.name.clone(), self.reach_under(course_id, &o.path).await?)];
        for c in self.children(org_id).await?.into_iter().filter(|c| c.closed_on.is_none()) {
            out.push((c.id, c.fields.name, self.reach_under(course_id, &c.path).await?));
        }
        Ok(out)
    }

    /// The members of `org_id`'s subtree with their progress on a course (at most 500).
    pub async fn course_reach_members(
        &self,
        course_id: Uuid,
        org_id: Uuid,
    ) -> Result<Vec<(Uuid, String, Progress)>, StoreError> {
        let o = self.org(org_id).await?;
        let rows: Vec<(Uuid, String, Option<i64>, Option<i64>)> = on_db!(self.db(), pool => {
            sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "SELECT p.id, p.name, r.opened_at, r.completed_at FROM people p \
                 LEFT JOIN course_reach r ON r.tenant_id = p.tenant_id AND r.member_id = p.id AND r.course_id = $1 \
                 WHERE p.org_path >= $2 AND p.org_path < $3 AND p.{MEMBERS} ORDER BY p.name, p.id LIMIT 500")))
            .bind(course_id).bind(&o.path).bind(subtree_end(&o.path)).fetch_all(pool).await?
        });
        Ok(rows.into_iter().map(|(id, name, o, c)| (id, name, (o, c))).collect())
    }
}
