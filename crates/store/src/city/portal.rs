//! The portal in storage: news articles (drafted, then published), what the committee
//! publishes (its title, the figures and since when), and citizens' volunteer sign-ups,
//! which land in a team's queue.

use crate::error::StoreError;
use crate::journal::{Act, Change, journal_append};
use crate::{Store, db::BeginWrite, on_db};
use pioneer_domain::city::portal::{ArticleFields, CitizenSignupFields, Figure, PortalSettings};
use pioneer_domain::{FieldError, Reason};
use serde::Serialize;
use uuid::Uuid;

/// A news article.
#[derive(Debug, Clone, Serialize)]
pub struct ArticleRecord {
    /// Id.
    pub id: Uuid,
    /// Tenant.
    pub tenant_id: Uuid,
    /// Column.
    pub column: String,
    /// Title.
    pub title: String,
    /// Summary.
    pub summary: Option<String>,
    /// Body.
    pub body: String,
    /// Its image.
    pub image_id: Option<Uuid>,
    /// Published (ms), None while a draft.
    pub published_at: Option<i64>,
    /// Last changed (ms).
    pub updated_at: i64,
}

/// A citizen's sign-up in a team's queue.
#[derive(Debug, Clone, Serialize)]
pub struct CitizenSignup {
    /// Id.
    pub id: Uuid,
    /// Team.
    pub team_id: Uuid,
    /// Name.
    pub name: String,
    /// Phone, opened for the team.
    pub phone: String,
    /// District.
    pub district: Option<String>,
    /// Skills.
    pub skills: Option<String>,
    /// Availability.
    pub availability: Option<String>,
    /// Received (ms).
    pub received_at: i64,
    /// `contacted` or `declined` once handled.
    pub outcome: Option<String>,
}

type ARow = (Uuid, Uuid, String, String, Option<String>, String, Option<Uuid>, Option<i64>, i64);
const A_COLUMNS: &str =
    "id, tenant_id, column_name, title, summary, body, image_id, published_at, updated_at";

fn article(r: ARow) -> ArticleRecord {
    let (id, tenant_id, column, title, summary, body, image_id, published_at, updated_at) = r;
    ArticleRecord { id, tenant_id, column, title, summary, body, image_id, published_at, updated_at }
}

impl Store {
    /// Drafts an article of the tenant of `org_id`, with its image if any.
    pub async fn create_article(
        &self,
        org_id: Uuid,
        f: &ArticleFields,
        image: Option<Uuid>,
        act: &Act,
    ) -> Result<Uuid, StoreError> {
        let org =
            self.org(org_id).await.map_err(|_| FieldError::new("org_id", Reason::UnknownOrganization))?;
        let id = Uuid::now_v7();
        let at = act.at.as_millisecond();
        let change = Change::new(
            org.tenant_id,
            "news_article",
            Some(id),
            serde_json::json!({ "title": f.title, "column": f.column, "summary": f.summary, "body": f.body, "image_id": image }),
        );
        on_db!(self.db(), pool => {
            let mut tx = pool.begin_write().await?;
            sqlx::query(
                "INSERT INTO news_articles (tenant_id, id, org_id, column_name, title, summary, body, image_id, author, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10)",
            )
            .bind(org.tenant_id).bind(id).bind(org.id).bind(&f.column).bind(&f.title).bind(&f.summary).bind(&f.body).bind(image)
            .bind(&act.actor).bind(at)
            .execute(&mut *tx).await?;
            journal_append!(tx, self, act, &change)?;
            tx.commit().await?;
        });
        Ok(id)
    }

    /// Publishes a draft (or withdraws a published article: `publish` false).
    pub async fn publish_article(&self, id: Uuid, publish: bool, act: &Act) -> Result<(), StoreError> {
        let a = self.article(id).await?;
        let at = act.at.as_millisecond();
        let change =
            Change::new(a.tenant_id, "news_article", Some(id), serde_json::json!({ "published": publish }));
        on_db!(self.db(), pool => {
            let mut tx = pool.begin_write().await?;
            sqlx::query("UPDATE news_articles SET published_at = $1, updated_at = $2 WHERE tenant_id = $3 AND id = $4")
                .bind(publish.then_some(at)).bind(at).bind(a.tenant_id).bind(id).execute(&mut *tx).await?;
            journal_append!(tx, self, act, &change)?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// An article (of the request's tenant, when one is set).
    pub async fn article(&self, id: Uuid) -> Result<ArticleRecord, StoreError> {
        let sql = format!(
            "SELECT {A_COLUMNS} FROM news_articles WHERE id = $1{}",
            crate::tenancy::and_tenant("tenant_id", 2)
        );
        let row: Option<ARow> = on_db!(self.db(), pool => {
            crate::tenancy::bind_tenant!(sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(id)).fetch_optional(pool).await?
        });
        row.map(article).ok_or(StoreError::NotFound)
    }

    /// The tenant's articles, latest first: published ones only, or drafts too.
    pub async fn articles(
        &self,
        tenant: Uuid,
        drafts: bool,
        limit: i64,
    ) -> Result<Vec<ArticleRecord>, StoreError> {
        let cond = if drafts { "" } else { " AND published_at IS NOT NULL" };
        let sql = format!(
            "SELECT {A_COLUMNS} FROM news_articles WHERE tenant_id = $1{cond} ORDER BY COALESCE(published_at, updated_at) DESC LIMIT $2"
        );
        let rows: Vec<ARow> = on_db!(self.db(), pool => {
            sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(tenant).bind(limit).fetch_all(pool).await?
        });
        Ok(rows.into_iter().map(article).collect())
    }

    /// What the tenant's portal publishes (nothing chosen yet: no figures, this year).
    pub async fn portal_settings(&self, tenant: Uuid, this_year: i16) -> Result<PortalSettings, StoreError> {
        let row: Option<(Option<String>, String, i64)> = on_db!(self.db(), pool => {
            sqlx::query_as("SELECT title, figures, since_year FROM portal_settings WHERE tenant_id = $1").bind(tenant).fetch_optional(pool).await?
        });
        Ok(match row {
            Some((title, figures, since)) => PortalSettings {
                title,
                figures: figures.split(',').filter_map(Figure::from_code).collect(),
                since_year: i16::try_from(since).unwrap_or(this_year),
            },
            None => PortalSettings { title: None, figures: Vec::new(), since_year: this_year },
        })
    }

    /// Sets what the tenant's portal publishes.
    pub async fn set_portal_settings(
        &self,
        tenant: Uuid,
        s: &PortalSettings,
        act: &Act,
    ) -> Result<(), StoreError> {
        let figures = s.figures.iter().map(|f| f.code()).collect::<Vec<_>>().join(",");
        let change = Change::new(
            tenant,
            "portal_settings",
            None,
            serde_json::json!({ "title": s.title, "figures": figures, "since_year": s.since_year }),
        );
        on_db!(self.db(), pool => {
            let mut tx = pool.begin_write().await?;
            sqlx::query("DELETE FROM portal_settings WHERE tenant_id = $1").bind(tenant).execute(&mut *tx).await?;
            sqlx::query("INSERT INTO portal_settings (tenant_id, title, figures, since_year, updated_at) VALUES ($1, $2, $3, $4, $5)")
                .bind(tenant).bind(&s.title).bind(&figures).bind(i64::from(s.since_year)).bind(act.at.as_millisecond())
                .execute(&mut *tx).await?;
            journal_append!(tx, self, act, &change)?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// Puts a citizen's sign-up in the queue of `team` (a team of `tenant`); the phone is
    /// sealed.
    pub async fn receive_citizen_signup(
        &self,
        tenant: Uuid,
        team: Uuid,
        f: &CitizenSignupFields,
        act: &Act,
    ) -> Result<Uuid, StoreError> {
        let exists: Option<Uuid> = on_db!(self.db(), pool => {
            sqlx::query_scalar("SELECT id FROM volunteer_teams WHERE tenant_id = $1 AND id = $2").bind(tenant).bind(team).fetch_optional(pool).await?
        });
        if exists.is_none() {
            return Err(FieldError::new("team_id", Reason::UnknownChoice).into());
        }
        let id = Uuid::now_v7();
        let phone = self.vault().seal("citizen_signups.phone", f.phone.as_str());
        let change = Change::new(
            tenant,
            "citizen_signup",
            Some(id),
            serde_json::json!({ "team_id": team, "district": f.district }),
        );
        on_db!(self.db(), pool => {
            let mut tx = pool.begin_write().await?;
            sqlx::query(
                "INSERT INTO citizen_signups (tenant_id, id, team_id, name, phone_enc, district, skills, availability, received_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            )
            .bind(tenant).bind(id).bind(team).bind(&f.name).bind(&phone).bind(&f.district).bind(&f.skills).bind(&f.availability)
            .bind(act.at.as_millisecond())
            .execute(&mut *tx).await?;
            journal_append!(tx, self, act, &change)?;
            tx.commit().await?;
        });
        Ok(id)
    }

    /// A team's queue of citizens' sign-ups, unhandled first.
    pub async fn citizen_signups(&self, tenant: Uuid, team: Uuid) -> Result<Vec<CitizenSignup>, StoreError> {
        type Row = (
            Uuid,
            Uuid,
            String,
            Vec<u8>,
            Option<String>,
            Option<String>,
            Option<String>,
            i64,
            Option<String>,
        );
        let rows: Vec<Row> = on_db!(self.db(), pool => {
            sqlx::query_as(
                "SELECT id, team_id, name, phone_enc, district, skills, availability, received_at, outcome FROM citizen_signups \
                 WHERE tenant_id = $1 AND team_id = $2 ORDER BY (CASE WHEN outcome IS NULL THEN 0 ELSE 1 END), received_at DESC LIMIT 200",
            )
            .bind(tenant).bind(team).fetch_all(pool).await?
        });
        Ok(rows
            .into_iter()
            .map(|(id, team_id, name, phone, district, skills, availability, received_at, outcome)| {
                CitizenSignup {
                    id,
                    team_id,
                    name,
                    phone: self.vault().open("citizen_signups.phone", &phone).unwrap_or_default(),
                    district,
                    skills,
                    availability,
                    received_at,
                    outcome,
                }
            })
            .collect())
    }

    /// Records what the team did with a citizen's sign-up (`contacted` or `declined`).
    pub async fn handle_citizen_signup(
        &self,
        tenant: Uuid,
        id: Uuid,
        outcome: &str,
        act: &Act,
    ) -> Result<(), StoreError> {
        if !matches!(outcome, "contacted" | "declined") {
            return Err(FieldError::new("outcome", Reason::UnknownChoice).into());
        }
        let change =
            Change::new(tenant, "citizen_signup", Some(id), serde_json::json!({ "outcome": outcome }));
        on_db!(self.db(), pool => {
            let mut tx = pool.begin_write().await?;
            let n = sqlx::query("UPDATE citizen_signups SET outcome = $1, handled_at = $2, handled_by = $3 WHERE tenant_id = $4 AND id = $5 AND outcome IS NULL")
                .bind(outcome).bind(act.at.as_millisecond()).bind(&act.actor).bind(tenant).bind(id).execute(&mut *tx).await?.rows_affected();
            if n == 0 {
                tx.rollback().await?;
                return Err(FieldError::new("outcome", Reason::AlreadyRecorded).into());
            }
            journal_append!(tx, self, act, &change)?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// The team a citizen's sign-up is queued for (of the request's tenant, when set).
    pub async fn citizen_signup_team(&self, id: Uuid) -> Result<Uuid, StoreError> {
        let sql = format!(
            "SELECT team_id FROM citizen_signups WHERE id = $1{}",
            crate::tenancy::and_tenant("tenant_id", 2)
        );
        let row: Option<Uuid> = on_db!(self.db(), pool => {
            crate::tenancy::bind_tenant!(sqlx::query_scalar(sqlx::AssertSqlSafe(sql)).bind(id)).fetch_optional(pool).await?
        });
        row.ok_or(StoreError::NotFound)
    }

    /// The image of a published article of `tenant` (anything else: not found).
    pub async fn published_image(
        &self,
        tenant: Uuid,
        image: Uuid,
    ) -> Result<crate::study::images::StoredImage, StoreError> {
        let n: i64 = on_db!(self.db(), pool => {
            sqlx::query_scalar("SELECT COUNT(*) FROM news_articles WHERE tenant_id = $1 AND image_id = $2 AND published_at IS NOT NULL")
                .bind(tenant).bind(image).fetch_one(pool).await?
        });
        if n == 0 {
            return Err(StoreError::NotFound);
        }
        let img = self.image(image).await?;
        if img.tenant_id != tenant {
            return Err(StoreError::NotFound);
        }
        Ok(img)
    }

    /// The open top organisations (committees), each with a public portal: (id, name).
    pub async fn committees(&self) -> Result<Vec<(Uuid, String)>, StoreError> {
        let rows: Vec<(Uuid, String)> = on_db!(self.db(), pool => {
            sqlx::query_as("SELECT id, name FROM organizations WHERE parent_id IS NULL AND closed_on IS NULL ORDER BY name")
                .fetch_all(pool).await?
        });
        Ok(rows)
    }
}
