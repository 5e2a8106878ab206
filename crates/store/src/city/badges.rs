//! The register of party badges and 先锋岗 stickers: issued to a member of an organisation,
//! ended when returned or revoked; a verification that is valid only while the badge is not
//! ended and its member is still a member of the organisation it was issued in (leaving or
//! a transfer ends it at once, with no write); and citizens' praise and complaints, which
//! reach the organisation.

use crate::error::StoreError;
use crate::journal::{Act, Change, journal_append};
use crate::{Store, db::BeginWrite, on_db};
use pioneer_domain::city::badges::{BadgeFields, EndReason, FeedbackFields, masked_name, masked_plate};
use pioneer_domain::{FieldError, Reason};
use serde::Serialize;
use uuid::Uuid;

/// A badge or sticker in the register.
#[derive(Debug, Clone, Serialize)]
pub struct BadgeRecord {
    /// Id.
    pub id: Uuid,
    /// Tenant.
    pub tenant_id: Uuid,
    /// `badge` or `sticker`.
    pub kind: String,
    /// Its number.
    pub number: String,
    /// The member.
    pub person_id: Uuid,
    /// The member's name.
    pub person_name: String,
    /// The organisation it was issued in.
    pub org_id: Uuid,
    /// Its path.
    pub org_path: String,
    /// Its name.
    pub org_name: String,
    /// Station.
    pub station: Option<String>,
    /// A sticker's plate, masked (粤B***45).
    pub plate_masked: Option<String>,
    /// Issued on.
    pub issued_on: String,
    /// Ended on.
    pub ended_on: Option<String>,
    /// Why it ended.
    pub end_reason: Option<String>,
    /// Why it is not valid now (`returned`, `revoked`, `left`, `transferred`,
    /// `not_member`), None when valid.
    pub invalid: Option<String>,
}

/// What a citizen's verification shows: never the member's full name or plate.
#[derive(Debug, Clone, Serialize)]
pub struct Verification {
    /// `badge` or `sticker`.
    pub kind: String,
    /// The number printed on it.
    pub number: String,
    /// The member, masked (张某).
    pub member: String,
    /// The organisation it was issued in.
    pub organisation: String,
    /// A sticker's plate, masked.
    pub plate: Option<String>,
    /// Valid since.
    pub issued_on: String,
    /// Whether it is valid now.
    pub valid: bool,
    /// Why not (see [`BadgeRecord::invalid`]).
    pub invalid: Option<String>,
    /// When it stopped being valid, when known.
    pub ended_on: Option<String>,
}

/// A citizen's praise or complaint.
#[derive(Debug, Clone, Serialize)]
pub struct FeedbackRecord {
    /// Id.
    pub id: Uuid,
    /// The badge.
    pub badge_id: Uuid,
    /// Its number.
    pub number: String,
    /// The member's name.
    pub person_name: String,
    /// `praise` or `complaint`.
    pub kind: String,
    /// What happened.
    pub body: String,
    /// The citizen's name.
    pub name: Option<String>,
    /// Their phone, opened for the organisation.
    pub phone: Option<String>,
    /// Received (ms).
    pub received_at: i64,
    /// Handled (ms).
    pub handled_at: Option<i64>,
}

/// Row: id, tenant, kind, number, person, name, org, path, org name, station, plate_enc,
/// issued, ended, reason, why it is not valid now.
type Row = (
    Uuid,
    Uuid,
    String,
    String,
    Uuid,
    String,
    Uuid,
    String,
    String,
    Option<String>,
    Option<Vec<u8>>,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
);

const COLUMNS: &str = "b.id, b.tenant_id, b.kind, b.number, b.person_id, p.name, b.org_id, b.org_path, o.name, b.station, \
    b.plate_enc, b.issued_on, b.ended_on, b.end_reason, \
    CASE WHEN b.end_reason IS NOT NULL THEN b.end_reason \
    WHEN d.person_id IS NOT NULL THEN 'left' \
    WHEN p.status NOT IN ('probationary_member', 'full_member') THEN 'not_member' \
    WHEN p.org_id <> b.org_id THEN 'transferred' END";
const FROM: &str = "FROM badges b JOIN people p ON p.tenant_id = b.tenant_id AND p.id = b.person_id \
    JOIN organizations o ON o.id = b.org_id \
    LEFT JOIN departures d ON d.tenant_id = b.tenant_id AND d.person_id = b.person_id";

impl Store {
    fn badge_record(&self, r: Row) -> BadgeRecord {
        let (
            id,
            tenant_id,
            kind,
            number,
            person_id,
            person_name,
            org_id,
            org_path,
            org_name,
            station,
            plate,
            issued_on,
            ended_on,
            end_reason,
            invalid,
        ) = r;
        let plate_masked =
            plate.and_then(|p| self.vault().open("badges.plate", &p).ok()).map(|p| masked_plate(&p));
        BadgeRecord {
            id,
            tenant_id,
            kind,
            number,
            person_id,
            person_name,
            org_id,
            org_path,
            org_name,
            station,
            plate_masked,
            issued_on,
            ended_on,
            end_reason,
            invalid,
        }
    }

    /// Issues a badge or sticker to `person_id`, a party member of the tenant (not one who
    /// left), in the member's organisation now. Refused by field: not a member, a number
    /// already issued (of this kind), a plate that already carries a valid sticker.
    pub async fn issue_badge(&self, person_id: Uuid, f: &BadgeFields, act: &Act) -> Result<Uuid, StoreError> {
        let p =
            self.person(person_id).await.map_err(|_| FieldError::new("person_id", Reason::UnknownPerson))?;
        if !p.fields.status.is_member() || self.departure(person_id).await?.is_some() {
            return Err(FieldError::new(
                "person_id",
                Reason::Refused {
                    zh: "只能为在册党员发放党员徽章或先锋岗车贴",
                    en: "badges and stickers are issued to party members only",
                },
            )
            .into());
        }
        let id = Uuid::now_v7();
        let kind = f.kind.code();
        let number = f.number.clone().unwrap_or_else(|| {
            let s = id.simple().to_string().to_uppercase();
            format!("XFG-{}", &s[s.len() - 8..])
        });
        let plate_enc = f.plate.as_ref().map(|pl| self.vault().seal("badges.plate", pl.as_str()));
        let plate_hash = f.plate.as_ref().map(|pl| self.vault().index("badges.plate", pl.as_str()));
        let tenant = p.tenant_id;
        let change = Change::new(
            tenant,
            "badge",
            Some(id),
            serde_json::json!({ "kind": kind, "number": number, "person_id": person_id, "org_id": p.fields.org_id,
                "station": f.station, "plate_hash": plate_hash.as_ref().map(hex::encode), "issued_on": f.issued_on.to_string() }),
        )
        .row("badges", id);
        let taken = |field: &'static str| StoreError::from(FieldError::new(field, Reason::AlreadyExists));
        on_db!(self.db(), pool => {
            let mut tx = pool.begin_write().await?;
            let dup: Option<Uuid> = sqlx::query_scalar("SELECT id FROM badges WHERE tenant_id = $1 AND kind = $2 AND number = $3")
                .bind(tenant).bind(kind).bind(&number).fetch_optional(&mut *tx).await?;
            if dup.is_some() {
                tx.rollback().await?;
                return Err(taken("number"));
            }
            if let Some(h) = &plate_hash {
                let dup: Option<Uuid> = sqlx::query_scalar("SELECT id FROM badges WHERE tenant_id = $1 AND plate_hash = $2 AND ended_on IS NULL")
                    .bind(tenant).bind(h).fetch_optional(&mut *tx).await?;
                if dup.is_some() {
                    tx.rollback().await?;
                    return Err(taken("plate"));
                }
            }
            let done = sqlx::query(
                "INSERT INTO badges (tenant_id, id, kind, number, person_id, org_id, org_path, station, plate_enc, plate_hash, issued_on, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
            )
            .bind(tenant).bind(id).bind(kind).bind(&number).bind(person_id).bind(p.fields.org_id).bind(&p.org_path)
            .bind(&f.station).bind(&plate_enc).bind(&plate_hash).bind(f.issued_on.to_string()).bind(act.at.as_millisecond())
            .execute(&mut *tx).await;
            match done {
                Err(sqlx::Error::Database(d)) if d.is_unique_violation() => {
                    tx.rollback().await?;
                    return Err(taken("number"));
                }
                other => { other?; }
            }
            journal_append!(tx, self, act, &change)?;
            tx.commit().await?;
        });
        Ok(id)
    }

    /// A badge or sticker (of the request's tenant, when one is set).
    pub async fn badge(&self, id: Uuid) -> Result<BadgeRecord, StoreError> {
        let sql = format!(
            "SELECT {COLUMNS} {FROM} WHERE b.id = $1{}",
            crate::tenancy::and_tenant("b.tenant_id", 2)
        );
        let row: Option<Row> = on_db!(self.db(), pool => {
            crate::tenancy::bind_tenant!(sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(id)).fetch_optional(pool).await?
        });
        row.map(|r| self.badge_record(r)).ok_or(StoreError::NotFound)
    }

    /// The badges and stickers issued in `path`'s subtree (of `tenant`), latest first.
    pub async fn badges_in(
        &self,
        tenant: Uuid,
        path: &str,
        limit: i64,
    ) -> Result<Vec<BadgeRecord>, StoreError> {
        let end = pioneer_domain::orgs::subtree_end(path);
        let sql = format!(
            "SELECT {COLUMNS} {FROM} WHERE b.tenant_id = $1 AND b.org_path >= $2 AND b.org_path < $3 \
             ORDER BY b.created_at DESC LIMIT $4"
        );
        let rows: Vec<Row> = on_db!(self.db(), pool => {
            sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(tenant).bind(path).bind(&end).bind(limit).fetch_all(pool).await?
        });
        Ok(rows.into_iter().map(|r| self.badge_record(r)).collect())
    }

    /// Ends a badge or sticker on `on` (returned, or revoked by the organisation); a second
    /// time is refused (`AlreadyRecorded`).
    pub async fn end_badge(
        &self,
        id: Uuid,
        reason: EndReason,
        on: jiff::civil::Date,
        act: &Act,
    ) -> Result<(), StoreError> {
        let b = self.badge(id).await?;
        if b.ended_on.is_some() {
            return Err(FieldError::new("end_reason", Reason::AlreadyRecorded).into());
        }
        let change = Change::new(
            b.tenant_id,
            "badge",
            Some(id),
            serde_json::json!({ "ended_on": on.to_string(), "end_reason": reason.code() }),
        )
        .row("badges", id);
        on_db!(self.db(), pool => {
            let mut tx = pool.begin_write().await?;
            let n = sqlx::query("UPDATE badges SET ended_on = $1, end_reason = $2 WHERE tenant_id = $3 AND id = $4 AND ended_on IS NULL")
                .bind(on.to_string()).bind(reason.code()).bind(b.tenant_id).bind(id).execute(&mut *tx).await?.rows_affected();
            if n == 0 {
                tx.rollback().await?;
                return Err(FieldError::new("end_reason", Reason::AlreadyRecorded).into());
            }
            journal_append!(tx, self, act, &change)?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// What a citizen's scan of badge `id` of `tenant` shows (one shard's statement).
    pub async fn verify_badge(&self, tenant: Uuid, id: Uuid) -> Result<Verification, StoreError> {
        let sql = format!("SELECT {COLUMNS} {FROM} WHERE b.tenant_id = $1 AND b.id = $2");
        let row: Option<Row> = on_db!(self.db(), pool => {
            sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(tenant).bind(id).fetch_optional(pool).await?
        });
        let b = row.map(|r| self.badge_record(r)).ok_or(StoreError::NotFound)?;
        Ok(Verification {
            kind: b.kind,
            number: b.number,
            member: masked_name(&b.person_name),
            organisation: b.org_name,
            plate: b.plate_masked,
            issued_on: b.issued_on,
            valid: b.invalid.is_none(),
            invalid: b.invalid,
            ended_on: b.ended_on,
        })
    }

    /// Records a citizen's praise or complaint about badge `id` of `tenant`; it reaches the
    /// organisation the badge was issued in. The phone is sealed.
    pub async fn receive_feedback(
        &self,
        tenant: Uuid,
        badge: Uuid,
        f: &FeedbackFields,
        act: &Act,
    ) -> Result<Uuid, StoreError> {
        let path: Option<String> = on_db!(self.db(), pool => {
            sqlx::query_scalar("SELECT org_path FROM badges WHERE tenant_id = $1 AND id = $2").bind(tenant).bind(badge).fetch_optional(pool).await?
        });
        let path = path.ok_or(StoreError::NotFound)?;
        let id = Uuid::now_v7();
        let phone = f.phone.as_ref().map(|p| self.vault().seal("badge_feedback.phone", p.as_str()));
        let change = Change::new(
            tenant,
            "badge_feedback",
            Some(id),
            serde_json::json!({ "badge_id": badge, "kind": f.kind.code() }),
        );
        on_db!(self.db(), pool => {
            let mut tx = pool.begin_write().await?;
            sqlx::query(
                "INSERT INTO badge_feedback (tenant_id, id, badge_id, org_path, kind, body, name, phone_enc, received_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            )
            .bind(tenant).bind(id).bind(badge).bind(&path).bind(f.kind.code()).bind(&f.body).bind(&f.name).bind(&phone)
            .bind(act.at.as_millisecond())
            .execute(&mut *tx).await?;
            journal_append!(tx, self, act, &change)?;
            tx.commit().await?;
        });
        Ok(id)
    }

    /// The praise and complaints about badges of `path`'s subtree, unhandled first.
    pub async fn feedback_in(
        &self,
        tenant: Uuid,
        path: &str,
        limit: i64,
    ) -> Result<Vec<FeedbackRecord>, StoreError> {
        let end = pioneer_domain::orgs::subtree_end(path);
        type FRow =
            (Uuid, Uuid, String, String, String, String, Option<String>, Option<Vec<u8>>, i64, Option<i64>);
        let rows: Vec<FRow> = on_db!(self.db(), pool => {
            sqlx::query_as(
                "SELECT f.id, f.badge_id, b.number, p.name, f.kind, f.body, f.name, f.phone_enc, f.received_at, f.handled_at \
                 FROM badge_feedback f JOIN badges b ON b.tenant_id = f.tenant_id AND b.id = f.badge_id \
                 JOIN people p ON p.tenant_id = b.tenant_id AND p.id = b.person_id \
                 WHERE f.tenant_id = $1 AND f.org_path >= $2 AND f.org_path < $3 \
                 ORDER BY (CASE WHEN f.handled_at IS NULL THEN 0 ELSE 1 END), f.received_at DESC LIMIT $4",
            )
            .bind(tenant).bind(path).bind(&end).bind(limit).fetch_all(pool).await?
        });
        Ok(rows
            .into_iter()
            .map(|(id, badge_id, number, person_name, kind, body, name, phone, received_at, handled_at)| {
                FeedbackRecord {
                    id,
                    badge_id,
                    number,
                    person_name,
                    kind,
                    body,
                    name,
                    phone: phone.and_then(|p| self.vault().open("badge_feedback.phone", &p).ok()),
                    received_at,
                    handled_at,
                }
            })
            .collect())
    }

    /// Marks a praise or complaint handled; returns the path of the organisation it reached
    /// (checked by the caller before: see `feedback_path`).
    pub async fn handle_feedback(&self, tenant: Uuid, id: Uuid, act: &Act) -> Result<(), StoreError> {
        let change = Change::new(tenant, "badge_feedback", Some(id), serde_json::json!({ "handled": true }));
        on_db!(self.db(), pool => {
            let mut tx = pool.begin_write().await?;
            let n = sqlx::query("UPDATE badge_feedback SET handled_at = $1, handled_by = $2 WHERE tenant_id = $3 AND id = $4 AND handled_at IS NULL")
                .bind(act.at.as_millisecond()).bind(&act.actor).bind(tenant).bind(id).execute(&mut *tx).await?.rows_affected();
            if n == 0 {
                tx.rollback().await?;
                return Err(FieldError::new("id", Reason::AlreadyRecorded).into());
            }
            journal_append!(tx, self, act, &change)?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// The tenant and organisation path a praise or complaint reached (of the request's
    /// tenant, when one is set).
    pub async fn feedback_path(&self, id: Uuid) -> Result<(Uuid, String), StoreError> {
        let sql = format!(
            "SELECT tenant_id, org_path FROM badge_feedback WHERE id = $1{}",
            crate::tenancy::and_tenant("tenant_id", 2)
        );
        let row: Option<(Uuid, String)> = on_db!(self.db(), pool => {
            crate::tenancy::bind_tenant!(sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(id)).fetch_optional(pool).await?
        });
        row.ok_or(StoreError::NotFound)
    }
}
