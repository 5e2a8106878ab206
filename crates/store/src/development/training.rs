//! Training classes in storage: create a class in an organisation, record who attended and
//! how many hours they completed, list the classes of a subtree and a person's record.

use crate::db::BeginWrite;
use crate::error::StoreError;
use crate::journal::{Act, Change, journal_append};
use crate::orgs::parse_date;
use crate::{Store, on_db};
use jiff::civil::Date;
use pioneer_domain::development::training::{ClassKind, TrainingClass};
use pioneer_domain::orgs;
use pioneer_domain::{FieldError, Reason};
use uuid::Uuid;

/// A class as stored.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ClassRecord {
    /// Id.
    pub id: Uuid,
    /// Organisation that runs it.
    pub org_id: Uuid,
    /// Its path (scope checks).
    pub org_path: String,
    /// The class.
    pub class: TrainingClass,
    /// People recorded as attending.
    pub attendees: i64,
}

/// One attendance: the class, and what the person completed.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Attendance {
    /// The class.
    pub class: ClassRecord,
    /// Person.
    pub person_id: Uuid,
    /// Their name.
    pub person_name: String,
    /// Hours attended.
    pub hours: u32,
    /// Passed the class.
    pub passed: bool,
}

type ClassRow = (Uuid, Uuid, String, String, String, String, String, i64, i64, i64);

fn class_from(r: ClassRow) -> Result<ClassRecord, StoreError> {
    let (id, org_id, org_path, kind, title, starts, ends, days, hours, attendees) = r;
    let date = |c, v| parse_date(c, Some(v)).and_then(|d| d.ok_or(StoreError::Corrupt(c)));
    Ok(ClassRecord {
        id,
        org_id,
        org_path,
        class: TrainingClass {
            kind: ClassKind::from_code(&kind).ok_or(StoreError::Corrupt("training_classes.kind"))?,
            title,
            starts_on: date("starts_on", starts)?,
            ends_on: date("ends_on", ends)?,
            days: u32::try_from(days).map_err(|_| StoreError::Corrupt("training_classes.days"))?,
            hours: u32::try_from(hours).map_err(|_| StoreError::Corrupt("training_classes.hours"))?,
        },
        attendees,
    })
}

const CLASS_COLUMNS: &str = "c.id, c.org_id, c.org_path, c.kind, c.title, c.starts_on, c.ends_on, c.days, c.hours, \
    (SELECT COUNT(*) FROM training_attendance a WHERE a.tenant_id = c.tenant_id AND a.class_id = c.id) AS attendees";

impl Store {
    /// Creates a class run by `org_id`.
    pub async fn create_class(
        &self,
        org_id: Uuid,
        class: &TrainingClass,
        act: &Act,
    ) -> Result<Uuid, StoreError> {
        let o = self.placement(org_id).await?;
        let id = Uuid::now_v7();
        let change = Change {
            tenant_id: o.tenant_id,
            entity: "training_class",
            entity_id: Some(id),
            change: serde_json::json!({ "created": class, "org_id": org_id }),
            rows: Vec::new(),
        };
        let at = act.at.as_millisecond();
        on_db!(self.db(), pool => {
            let mut tx = pool.begin_write().await?;
            sqlx::query(
                "INSERT INTO training_classes (id, tenant_id, org_id, org_path, kind, title, starts_on, ends_on, days, hours, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
            )
            .bind(id)
            .bind(o.tenant_id)
            .bind(o.id)
            .bind(&o.path)
            .bind(class.kind.code())
            .bind(&class.title)
            .bind(class.starts_on.to_string())
            .bind(class.ends_on.to_string())
            .bind(i64::from(class.days))
            .bind(i64::from(class.hours))
            .bind(at)
            .execute(&mut *tx)
            .await?;
            journal_append!(tx, self, act, &change)?;
            tx.commit().await?;
        });
        Ok(id)
    }

    /// One class.
    pub async fn class(&self, id: Uuid) -> Result<ClassRecord, StoreError> {
        let sql = format!(
            "SELECT {CLASS_COLUMNS} FROM training_classes c WHERE c.id = $1{}",
            crate::tenancy::and_tenant("c.tenant_id", 2)
        );
        let row: Option<ClassRow> = on_db!(self.db(), pool => {
            crate::tenancy::bind_tenant!(sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(id)).fetch_optional(pool).await?
        });
        class_from(row.ok_or(StoreError::NotFound)?)
    }

    /// Classes of a subtree, newest first (at most 200).
    pub async fn classes_in(&self, org_path: &str) -> Result<Vec<ClassRecord>, StoreError> {
        let end = orgs::subtree_end(org_path);
        let sql = format!(
            "SELECT {CLASS_COLUMNS} FROM training_classes c WHERE c.org_path >= $1 AND c.org_path < $2 \
             ORDER BY c.starts_on DESC, c.id LIMIT 200"
        );
        let rows: Vec<ClassRow> = on_db!(self.db(), pool => {
            sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(org_path).bind(&end).fetch_all(pool).await?
        });
        rows.into_iter().map(class_from).collect()
    }

    /// Records (or replaces) a person's attendance of a class.
    pub async fn record_attendance(
        &self,
        class_id: Uuid,
        person_id: Uuid,
        hours: u32,
        passed: bool,
        act: &Act,
    ) -> Result<(), StoreError> {
        let class = self.class(class_id).await?;
        let person = match self.person(person_id).await {
            Ok(p) => p,
            Err(StoreError::NotFound) => {
                return Err(FieldError::new("person_id", Reason::UnknownPerson).into());
            }
            Err(e) => return Err(e),
        };
        let tenant = orgs::ancestors(&class.org_path).first().copied();
        if orgs::ancestors(&person.org_path).first().copied() != tenant {
            return Err(FieldError::new("person_id", Reason::UnknownPerson).into());
        }
        if hours > class.class.hours {
            return Err(FieldError::new("hours", Reason::CountExceeds { limit: "class_hours" }).into());
        }
        let change = Change {
            tenant_id: person.tenant_id,
            entity: "training_attendance",
            entity_id: Some(class_id),
            change: serde_json::json!({ "person_id": person_id, "hours": hours, "passed": passed }),
            rows: Vec::new(),
        };
        let at = act.at.as_millisecond();
        on_db!(self.db(), pool => {
            let mut tx = pool.begin_write().await?;
            sqlx::query(
                "INSERT INTO training_attendance (class_id, person_id, hours, passed, recorded_at, tenant_id) \
                 VALUES ($1, $2, $3, $4, $5, $6) \
                 ON CONFLICT (tenant_id, class_id, person_id) DO UPDATE SET hours = excluded.hours, passed = excluded.passed, \
                 recorded_at = excluded.recorded_at",
            )
            .bind(class_id)
            .bind(person_id)
            .bind(i64::from(hours))
            .bind(passed)
            .bind(at)
            .bind(person.tenant_id)
            .execute(&mut *tx)
            .await?;
            journal_append!(tx, self, act, &change)?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// Who attended a class.
    pub async fn attendance_of_class(&self, class_id: Uuid) -> Result<Vec<Attendance>, StoreError> {
        let class = self.class(class_id).await?;
        let rows: Vec<(Uuid, String, i64, bool)> = on_db!(self.db(), pool => {
            sqlx::query_as(
                "SELECT a.person_id, p.name, a.hours, a.passed FROM training_attendance a JOIN people p ON p.tenant_id = a.tenant_id AND p.id = a.person_id \
                 WHERE a.class_id = $1 ORDER BY p.name, a.person_id",
            )
            .bind(class_id)
            .fetch_all(pool)
            .await?
        });
        Ok(rows
            .into_iter()
            .map(|(person_id, person_name, hours, passed)| Attendance {
                class: class.clone(),
                person_id,
                person_name,
                hours: u32::try_from(hours).unwrap_or(0),
                passed,
            })
            .collect())
    }

    /// The classes a person attended, newest first.
    pub async fn attendance_of_person(&self, person_id: Uuid) -> Result<Vec<Attendance>, StoreError> {
        let rows: Vec<(Uuid, String, i64, bool)> = on_db!(self.db(), pool => {
            sqlx::query_as(
                "SELECT a.class_id, p.name, a.hours, a.passed FROM training_attendance a JOIN people p ON p.tenant_id = a.tenant_id AND p.id = a.person_id \
                 WHERE a.person_id = $1",
            )
            .bind(person_id)
            .fetch_all(pool)
            .await?
        });
        let mut out = Vec::new();
        for (class_id, person_name, hours, passed) in rows {
            let class = self.class(class_id).await?;
            out.push(Attendance {
                class,
                person_id,
                person_name,
                hours: u32::try_from(hours).unwrap_or(0),
                passed,
            });
        }
        out.sort_by_key(|a| std::cmp::Reverse(a.class.class.starts_on));
        Ok(out)
    }
}

/// The values a training step takes from an attendance: class title, start, end (the
/// step's date), days and hours completed, passed.
pub fn training_step_values(a: &Attendance) -> (String, Date, Date, u32, u32, bool) {
    let (days, hours) = a.class.class.completed(a.hours);
    (a.class.class.title.clone(), a.class.class.starts_on, a.class.class.ends_on, days, hours, a.passed)
}
