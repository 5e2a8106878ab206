//! Officers and terms in storage: posts held in an organisation (appointed, ended), the
//! elections that open terms (an election dated before the current term began is refused
//! inside the transaction), postponements, and each organisation's latest term for the
//! reminder list and the statistics.

use crate::db::BeginWrite;
use crate::error::StoreError;
use crate::journal::{Act, Change, journal_append};
use crate::{Store, on_db};
use jiff::civil::Date;
use pioneer_domain::orgs::officers::{OfficerPost, term_end, term_years};
use pioneer_domain::{FieldError, Reason};
use serde::Serialize;
use uuid::Uuid;

/// A post held.
#[derive(Debug, Clone, Serialize)]
pub struct OfficerRecord {
    /// Id.
    pub id: Uuid,
    /// The organisation.
    pub org_id: Uuid,
    /// The person.
    pub person_id: Uuid,
    /// Their name.
    pub name: String,
    /// `secretary`, `deputy_secretary`, `committee_member`.
    pub post: String,
    /// Since.
    pub since: String,
    /// Until (None: holds it now).
    pub until: Option<String>,
}

/// An organisation's latest term.
#[derive(Debug, Clone, Serialize)]
pub struct TermRecord {
    /// The organisation.
    pub org_id: Uuid,
    /// Elected on.
    pub elected_on: Date,
    /// End of term (ORG-012).
    pub ends_on: Date,
    /// Postponed to, with approval (ORG-013).
    pub postponed_to: Option<Date>,
    /// The approval.
    pub decision: Option<String>,
    /// Note.
    pub note: Option<String>,
}

type TermRow = (Uuid, String, String, Option<String>, Option<String>, Option<String>);

fn term_of(r: TermRow) -> Option<TermRecord> {
    Some(TermRecord {
        org_id: r.0,
        elected_on: r.1.parse().ok()?,
        ends_on: r.2.parse().ok()?,
        postponed_to: r.3.and_then(|d| d.parse().ok()),
        decision: r.4,
        note: r.5,
    })
}

impl Store {
    /// Appoints a person of the organisation's subtree to a post from `since`.
    pub async fn appoint_officer(
        &self,
        org_id: Uuid,
        person_id: Uuid,
        post: OfficerPost,
        since: Date,
        act: &Act,
    ) -> Result<Uuid, StoreError> {
        let org = self.org(org_id).await?;
        let p =
            self.person(person_id).await.map_err(|_| FieldError::new("person_id", Reason::UnknownPerson))?;
        if p.tenant_id != org.tenant_id || !p.org_path.starts_with(&org.path) || !p.fields.status.is_member()
        {
            return Err(FieldError::new(
                "person_id",
                Reason::Refused {
                    zh: "只能由本组织的党员担任",
                    en: "a post is held by a party member of the organisation",
                },
            )
            .into());
        }
        let id = Uuid::now_v7();
        let change = Change::new(
            org.tenant_id,
            "officer",
            Some(id),
            serde_json::json!({ "org_id": org_id, "person_id": person_id, "post": post.code(), "since": since.to_string() }),
        );
        on_db!(self.db(), pool => {
            let mut tx = pool.begin_write().await?;
            if post == OfficerPost::Secretary {
                let held: Option<Uuid> = sqlx::query_scalar(
                    "SELECT id FROM officer_posts WHERE tenant_id = $1 AND org_id = $2 AND post = 'secretary' AND until IS NULL",
                )
                .bind(org.tenant_id).bind(org_id).fetch_optional(&mut *tx).await?;
                if held.is_some() {
                    tx.rollback().await?;
                    return Err(FieldError::new(
                        "post",
                        Reason::Refused { zh: "该组织已有书记，请先结束其任职", en: "the organisation has a secretary: end that post first" },
                    )
                    .into());
                }
            }
            sqlx::query(
                "INSERT INTO officer_posts (tenant_id, id, org_id, org_path, person_id, post, since, recorded_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            )
            .bind(org.tenant_id).bind(id).bind(org_id).bind(&org.path).bind(person_id).bind(post.code()).bind(since.to_string())
            .bind(act.at.as_millisecond())
            .execute(&mut *tx).await?;
            journal_append!(tx, self, act, &change)?;
            tx.commit().await?;
        });
        Ok(id)
    }

    /// A post (of the request's tenant when one is set).
    pub async fn officer(&self, id: Uuid) -> Result<(Uuid, String, OfficerRecord), StoreError> {
        let sql = format!(
            "SELECT x.tenant_id, x.org_path, x.id, x.org_id, x.person_id, p.name, x.post, x.since, x.until FROM officer_posts x \
             JOIN people p ON p.tenant_id = x.tenant_id AND p.id = x.person_id WHERE x.id = $1{}",
            crate::tenancy::and_tenant("x.tenant_id", 2)
        );
        type Row = (Uuid, String, Uuid, Uuid, Uuid, String, String, String, Option<String>);
        let r: Option<Row> = on_db!(self.db(), pool => {
            crate::tenancy::bind_tenant!(sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(id)).fetch_optional(pool).await?
        });
        let r = r.ok_or(StoreError::NotFound)?;
        Ok((
            r.0,
            r.1,
            OfficerRecord {
                id: r.2,
                org_id: r.3,
                person_id: r.4,
                name: r.5,
                post: r.6,
                since: r.7,
                until: r.8,
            },
        ))
    }

    /// Ends a post on `until` (not before it began).
    pub async fn end_officer(&self, id: Uuid, until: Date, act: &Act) -> Result<(), StoreError> {
        let (tenant, _, o) = self.officer(id).await?;
        if o.until.is_some() {
            return Err(FieldError::new(
                "until",
                Reason::Refused { zh: "该任职已结束", en: "the post has ended already" },
            )
            .into());
        }
        if until.to_string() < o.since {
            return Err(FieldError::new(
                "until",
                Reason::Refused { zh: "离任日期早于任职日期", en: "ends before it began" },
            )
            .into());
        }
        let change =
            Change::new(tenant, "officer", Some(id), serde_json::json!({ "until": until.to_string() }));
        on_db!(self.db(), pool => {
            let mut tx = pool.begin_write().await?;
            sqlx::query("UPDATE officer_posts SET until = $1 WHERE tenant_id = $2 AND id = $3")
                .bind(until.to_string()).bind(tenant).bind(id).execute(&mut *tx).await?;
            journal_append!(tx, self, act, &change)?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// The posts of one organisation (only those held now, or all), by post and date.
    pub async fn officers_of(
        &self,
        tenant: Uuid,
        org_id: Uuid,
        current_only: bool,
    ) -> Result<Vec<OfficerRecord>, StoreError> {
        let sql = format!(
            "SELECT x.id, x.org_id, x.person_id, p.name, x.post, x.since, x.until FROM officer_posts x \
             JOIN people p ON p.tenant_id = x.tenant_id AND p.id = x.person_id \
             WHERE x.tenant_id = $1 AND x.org_id = $2{} \
             ORDER BY CASE x.post WHEN 'secretary' THEN 0 WHEN 'deputy_secretary' THEN 1 ELSE 2 END, x.since",
            if current_only { " AND x.until IS NULL" } else { "" }
        );
        type Row = (Uuid, Uuid, Uuid, String, String, String, Option<String>);
        let rows: Vec<Row> = on_db!(self.db(), pool => {
            sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(tenant).bind(org_id).fetch_all(pool).await?
        });
        Ok(rows
            .into_iter()
            .map(|r| OfficerRecord {
                id: r.0,
                org_id: r.1,
                person_id: r.2,
                name: r.3,
                post: r.4,
                since: r.5,
                until: r.6,
            })
            .collect())
    }

    /// Records an election of an organisation on `on`: a new term of the length its kind
    /// has (ORG-012).
    pub async fn record_election(
        &self,
        org_id: Uuid,
        on: Date,
        note: Option<&str>,
        act: &Act,
    ) -> Result<Uuid, StoreError> {
        let org = self.org(org_id).await?;
        let Some(years) = term_years(org.fields.kind) else {
            return Err(FieldError::new(
                "elected_on",
                Reason::Refused {
                    zh: "工委由上级党委任命，不设换届",
                    en: "a working committee is appointed, not elected",
                },
            )
            .into());
        };
        let ends = term_end(on, years);
        let id = Uuid::now_v7();
        let change = Change::new(
            org.tenant_id,
            "term",
            Some(id),
            serde_json::json!({ "org_id": org_id, "elected_on": on.to_string(), "ends_on": ends.to_string(), "note": note }),
        );
        on_db!(self.db(), pool => {
            let mut tx = pool.begin_write().await?;
            let last: Option<String> = sqlx::query_scalar("SELECT MAX(elected_on) FROM org_terms WHERE tenant_id = $1 AND org_id = $2")
                .bind(org.tenant_id).bind(org_id).fetch_one(&mut *tx).await?;
            if last.is_some_and(|l| on.to_string() <= l) {
                tx.rollback().await?;
                return Err(FieldError::new(
                    "elected_on",
                    Reason::Refused { zh: "换届日期早于本届任期开始的日期", en: "the election is dated before the current term began" },
                )
                .into());
            }
            sqlx::query(
                "INSERT INTO org_terms (tenant_id, id, org_id, org_path, elected_on, ends_on, note, recorded_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            )
            .bind(org.tenant_id).bind(id).bind(org_id).bind(&org.path).bind(on.to_string()).bind(ends.to_string()).bind(note)
            .bind(act.at.as_millisecond())
            .execute(&mut *tx).await?;
            journal_append!(tx, self, act, &change)?;
            tx.commit().await?;
        });
        Ok(id)
    }

    /// Postpones the organisation's current term to `to` with the approval `decision`.
    pub async fn postpone_term(
        &self,
        org_id: Uuid,
        to: Date,
        decision: &str,
        act: &Act,
    ) -> Result<(), StoreError> {
        let org = self.org(org_id).await?;
        let term = self.latest_term(org.tenant_id, org_id).await?.ok_or_else(|| {
            FieldError::new(
                "postponed_to",
                Reason::Refused { zh: "尚未录入本届换届信息", en: "no election recorded yet" },
            )
        })?;
        let change = Change::new(
            org.tenant_id,
            "term",
            Some(org_id),
            serde_json::json!({ "elected_on": term.elected_on.to_string(), "postponed_to": to.to_string(), "decision": decision }),
        );
        on_db!(self.db(), pool => {
            let mut tx = pool.begin_write().await?;
            sqlx::query("UPDATE org_terms SET postponed_to = $1, decision = $2 WHERE tenant_id = $3 AND org_id = $4 AND elected_on = $5")
                .bind(to.to_string()).bind(decision).bind(org.tenant_id).bind(org_id).bind(term.elected_on.to_string())
                .execute(&mut *tx).await?;
            journal_append!(tx, self, act, &change)?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// An organisation's latest term.
    pub async fn latest_term(&self, tenant: Uuid, org_id: Uuid) -> Result<Option<TermRecord>, StoreError> {
        let r: Option<TermRow> = on_db!(self.db(), pool => {
            sqlx::query_as(
                "SELECT org_id, elected_on, ends_on, postponed_to, decision, note FROM org_terms \
                 WHERE tenant_id = $1 AND org_id = $2 ORDER BY elected_on DESC LIMIT 1",
            )
            .bind(tenant).bind(org_id).fetch_optional(pool).await?
        });
        Ok(r.and_then(term_of))
    }

    /// The latest term of every organisation of a subtree that has one.
    pub async fn latest_terms_in(&self, tenant: Uuid, path: &str) -> Result<Vec<TermRecord>, StoreError> {
        let end = pioneer_domain::orgs::subtree_end(path);
        let rows: Vec<TermRow> = on_db!(self.db(), pool => {
            sqlx::query_as(
                "SELECT t.org_id, t.elected_on, t.ends_on, t.postponed_to, t.decision, t.note FROM org_terms t \
                 WHERE t.tenant_id = $1 AND t.org_path >= $2 AND t.org_path < $3 AND t.elected_on = \
                 (SELECT MAX(u.elected_on) FROM org_terms u WHERE u.tenant_id = t.tenant_id AND u.org_id = t.org_id)",
            )
            .bind(tenant).bind(path).bind(&end).fetch_all(pool).await?
        });
        Ok(rows.into_iter().filter_map(term_of).collect())
    }
}
