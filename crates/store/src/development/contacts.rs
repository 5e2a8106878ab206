//! One-to-one contacts in storage: assign a committee member to a key staff member,
//! record contacts, and list an organisation's assignments with who is overdue.

use crate::db::BeginWrite;
use crate::error::StoreError;
use crate::journal::{Act, Change, journal_append};
use crate::orgs::parse_date;
use crate::{Store, on_db};
use jiff::civil::Date;
use pioneer_domain::development::contacts;
use pioneer_domain::orgs;
use pioneer_domain::{FieldError, Reason};
use uuid::Uuid;

/// An assignment as listed.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ContactLink {
    /// Id.
    pub id: Uuid,
    /// The key staff member.
    pub person_id: Uuid,
    /// Their name.
    pub person_name: String,
    /// The committee member who keeps in touch.
    pub member_id: Uuid,
    /// Their name.
    pub member_name: String,
    /// Organisation.
    pub org_id: Uuid,
    /// Its path (scope checks).
    pub org_path: String,
    /// Days between contacts.
    pub cadence_days: u32,
    /// Assigned on.
    pub since: Date,
    /// The last contact recorded.
    pub last_contact: Option<Date>,
    /// When the next is due.
    pub next_due: Date,
}

type LinkRow = (Uuid, Uuid, String, Uuid, String, Uuid, String, i64, String, Option<String>);

fn link_from(r: LinkRow) -> Result<ContactLink, StoreError> {
    let (id, person_id, person_name, member_id, member_name, org_id, org_path, cadence, since, last) = r;
    let since = parse_date("since", Some(since))?.ok_or(StoreError::Corrupt("contact_links.since"))?;
    let last_contact = parse_date("last_contact", last)?;
    let cadence_days =
        u32::try_from(cadence).map_err(|_| StoreError::Corrupt("contact_links.cadence_days"))?;
    Ok(ContactLink {
        id,
        person_id,
        person_name,
        member_id,
        member_name,
        org_id,
        org_path,
        cadence_days,
        since,
        last_contact,
        next_due: contacts::next_due(since, last_contact, cadence_days),
    })
}

const LINK_SELECT: &str = "SELECT l.id, l.person_id, p.name, l.member_id, m.name, l.org_id, l.org_path, l.cadence_days, \
    l.since, l.last_contact FROM contact_links l JOIN people p ON p.tenant_id = l.tenant_id AND p.id = l.person_id JOIN people m ON m.tenant_id = l.tenant_id AND m.id = l.member_id";

impl Store {
    /// Assigns `member_id` (a full member) to keep in touch with `person_id` every
    /// `cadence_days` from `since`.
    pub async fn assign_contact(
        &self,
        person_id: Uuid,
        member_id: Uuid,
        cadence_days: u32,
        since: Date,
        act: &Act,
    ) -> Result<Uuid, StoreError> {
        let unknown = |f: &'static str| StoreError::from(FieldError::new(f, Reason::UnknownPerson));
        let person = self.person(person_id).await.map_err(|_| unknown("person_id"))?;
        let member = self.person(member_id).await.map_err(|_| unknown("member_id"))?;
        if member.tenant_id != person.tenant_id
            || member.fields.status != pioneer_domain::people::Status::FullMember
        {
            return Err(FieldError::new(
                "member_id",
                Reason::Broken {
                    rule: "DEV-006",
                    zh: "联系人须为本单位正式党员",
                    en: "The contact must be a full member of the same deployment",
                },
            )
            .into());
        }
        let id = Uuid::now_v7();
        let change = Change {
            tenant_id: person.tenant_id,
            entity: "contact_link",
            entity_id: Some(id),
            change: serde_json::json!({ "person_id": person_id, "member_id": member_id, "cadence_days": cadence_days, "since": since.to_string() }),
            rows: Vec::new(),
        };
        let at = act.at.as_millisecond();
        let inserted = on_db!(self.db(), pool => {
            let mut tx = pool.begin_write().await?;
            let n = sqlx::query(
                "INSERT INTO contact_links (id, tenant_id, org_id, org_path, person_id, member_id, cadence_days, since, last_contact, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, NULL, $9) ON CONFLICT DO NOTHING",
            )
            .bind(id)
            .bind(person.tenant_id)
            .bind(person.fields.org_id)
            .bind(&person.org_path)
            .bind(person_id)
            .bind(member_id)
            .bind(i64::from(cadence_days))
            .bind(since.to_string())
            .bind(at)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if n == 1 {
                journal_append!(tx, self, act, &change)?;
            }
            tx.commit().await?;
            n
        });
        if inserted != 1 {
            return Err(FieldError::new("person_id", Reason::AlreadyExists).into());
        }
        Ok(id)
    }

    /// One assignment.
    pub async fn contact_link(&self, id: Uuid) -> Result<ContactLink, StoreError> {
        let sql = format!("{LINK_SELECT} WHERE l.id = $1");
        let row: Option<LinkRow> = on_db!(self.db(), pool => {
            sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(pool).await?
        });
        link_from(row.ok_or(StoreError::NotFound)?)
    }

    /// The assignments of a subtree, the most overdue first (at most 500).
    pub async fn contact_links(&self, org_path: &str) -> Result<Vec<ContactLink>, StoreError> {
        let end = orgs::subtree_end(org_path);
        let sql = format!("{LINK_SELECT} WHERE l.org_path >= $1 AND l.org_path < $2 LIMIT 500");
        let rows: Vec<LinkRow> = on_db!(self.db(), pool => {
            sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(org_path).bind(&end).fetch_all(pool).await?
        });
        let mut links = rows.into_iter().map(link_from).collect::<Result<Vec<_>, _>>()?;
        links.sort_by_key(|l| (l.next_due, l.id));
        Ok(links)
    }

    /// Records a contact on `on` with a note.
    pub async fn record_contact(
        &self,
        link_id: Uuid,
        on: Date,
        note: &str,
        today: Date,
        act: &Act,
    ) -> Result<(), StoreError> {
        let link = self.contact_link(link_id).await?;
        if on > today {
            return Err(FieldError::new("on", Reason::DateInFuture).into());
        }
        if on < link.since {
            return Err(FieldError::new("on", Reason::DateBefore { other: "since" }).into());
        }
        let note = pioneer_domain::text::required("note", note, 500)?;
        let tenant = orgs::ancestors(&link.org_path).first().copied().unwrap_or(link.org_id);
        let change = Change {
            tenant_id: tenant,
            entity: "contact_visit",
            entity_id: Some(link_id),
            change: serde_json::json!({ "on": on.to_string(), "note": note }),
            rows: Vec::new(),
        };
        let at = act.at.as_millisecond();
        on_db!(self.db(), pool => {
            let mut tx = pool.begin_write().await?;
            sqlx::query(
                "INSERT INTO contact_visits (id, link_id, happened_on, note, recorded_by, recorded_at, tenant_id) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(Uuid::now_v7())
            .bind(link_id)
            .bind(on.to_string())
            .bind(&note)
            .bind(&act.actor)
            .bind(at)
            .bind(tenant)
            .execute(&mut *tx)
            .await?;
            sqlx::query(
                "UPDATE contact_links SET last_contact = $2 WHERE tenant_id = $3 AND id = $1 \
                 AND (last_contact IS NULL OR last_contact < $2)",
            )
            .bind(link_id)
            .bind(on.to_string())
            .bind(tenant)
            .execute(&mut *tx)
            .await?;
            journal_append!(tx, self, act, &change)?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// The contacts recorded for an assignment, newest first.
    pub async fn contact_visits(&self, link_id: Uuid) -> Result<Vec<(Date, String, String)>, StoreError> {
        let rows: Vec<(String, String, String)> = on_db!(self.db(), pool => {
            sqlx::query_as(
                "SELECT happened_on, note, recorded_by FROM contact_visits WHERE link_id = $1 ORDER BY happened_on DESC, id DESC",
            )
            .bind(link_id)
            .fetch_all(pool)
            .await?
        });
        rows.into_iter()
            .map(|(on, note, by)| {
                Ok((on.parse().map_err(|_| StoreError::Corrupt("contact_visits.happened_on"))?, note, by))
            })
            .collect()
    }
}
