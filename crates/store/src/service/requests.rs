//! Service requests and their shifts: a request is accepted by an organisation (the
//! contact's phone sealed), then becomes shifts with a capacity.

use crate::error::StoreError;
use crate::journal::{Act, Change, journal_append};
use crate::{Store, db::BeginWrite, on_db};
use pioneer_domain::service::requests::{RequestFields, RequestStatus};
use pioneer_domain::service::shifts::ShiftFields;
use pioneer_domain::{FieldError, Reason};
use uuid::Uuid;

/// A request as stored (the contact's phone opened for those who may read it).
#[derive(Debug, Clone, serde::Serialize)]
pub struct RequestRecord {
    /// Id.
    pub id: Uuid,
    /// The tenant.
    pub tenant_id: Uuid,
    /// The accepting organisation.
    pub org_id: Uuid,
    /// Its path.
    pub org_path: String,
    /// Who asks.
    pub requester: String,
    /// Their kind code.
    pub requester_kind: String,
    /// The contact person.
    pub contact_name: String,
    /// The contact's phone.
    pub contact_phone: String,
    /// What is needed (code).
    pub kind: String,
    /// District.
    pub district: String,
    /// From (local, `YYYY-MM-DDTHH:MM:SS`).
    pub starts_at: String,
    /// Until.
    pub ends_at: String,
    /// How much.
    pub quantity: i64,
    /// Where it stands.
    pub status: RequestStatus,
    /// The team that staffs it.
    pub team_id: Option<Uuid>,
    /// The campaign it belongs to.
    pub campaign_id: Option<Uuid>,
    /// Address.
    pub address: String,
    /// How urgent (code).
    pub urgency: String,
}

/// What a request is tied to: the team that staffs it and the campaign it belongs to.
#[derive(Debug, Clone, Copy, Default)]
pub struct RequestLinks {
    /// The team that staffs it.
    pub team: Option<Uuid>,
    /// The campaign (专项行动).
    pub campaign: Option<Uuid>,
}

/// A shift's window and places: (start, end, capacity, taken).
type ShiftRow = (String, String, i64, i64);

impl Store {
    /// Records a request accepted by organisation `org_id`, staffed by a team and part of a
    /// campaign if given (each of the organisation's tenant, else refused by field).
    pub async fn create_request(
        &self,
        org_id: Uuid,
        f: &RequestFields,
        links: RequestLinks,
        act: &Act,
    ) -> Result<Uuid, StoreError> {
        let org =
            self.org(org_id).await.map_err(|_| FieldError::new("org_id", Reason::UnknownOrganization))?;
        if let Some(t) = links.team {
            match self.team(t).await {
                Ok(team) if team.tenant_id == org.tenant_id => {}
                _ => return Err(FieldError::new("team_id", Reason::UnknownChoice).into()),
            }
        }
        if let Some(c) = links.campaign {
            self.campaign_in(org.tenant_id, c).await?;
        }
        let id = Uuid::now_v7();
        let phone = self.vault().seal("contact_phone", f.contact_phone.as_str());
        let phone_hash = hex::encode(&self.vault().index("phone", f.contact_phone.as_str())[..16]);
        let change = Change::new(
            org.tenant_id,
            "service_request",
            Some(id),
            serde_json::json!({
                "org_id": org_id, "requester": f.requester, "kind": f.kind.code(), "district": f.district,
                "starts_at": f.window.start.to_string(), "ends_at": f.window.end.to_string(), "quantity": f.quantity,
                "urgency": f.urgency.code(), "contact_phone_hash": phone_hash,
                "team_id": links.team, "campaign_id": links.campaign,
            }),
        );
        on_db!(self.db(), pool => {
            let mut tx = pool.begin_write().await?;
            sqlx::query(
                "INSERT INTO service_requests (tenant_id, id, org_id, org_path, requester, requester_kind, contact_name, \
                 contact_phone_enc, kind, address, district, starts_at, ends_at, quantity, urgency, note, created_at, team_id, campaign_id) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)",
            )
            .bind(org.tenant_id).bind(id).bind(org.id).bind(&org.path).bind(&f.requester).bind(f.requester_kind.code())
            .bind(&f.contact_name).bind(&phone).bind(f.kind.code()).bind(&f.address).bind(&f.district)
            .bind(f.window.start.to_string()).bind(f.window.end.to_string()).bind(f.quantity).bind(f.urgency.code())
            .bind(&f.note).bind(act.at.as_millisecond()).bind(links.team).bind(links.campaign)
            .execute(&mut *tx).await?;
            journal_append!(tx, self, act, &change)?;
            tx.commit().await?;
        });
        Ok(id)
    }

    /// A request with its status from its shifts as at `now` (local time).
    pub async fn service_request(
        &self,
        id: Uuid,
        now: jiff::civil::DateTime,
    ) -> Result<RequestRecord, StoreError> {
        type Row = (
            Uuid,
            Uuid,
            Uuid,
            String,
            String,
            String,
            String,
            Vec<u8>,
            String,
            String,
            String,
            String,
            i64,
            Option<i64>,
        );
        type Extra = (Option<Uuid>, Option<Uuid>, String, String);
        let (row, extra, shifts): (Option<Row>, Option<Extra>, Vec<ShiftRow>) = on_db!(self.db(), pool => {
            let sql = format!(
                "SELECT id, tenant_id, org_id, org_path, requester, requester_kind, contact_name, contact_phone_enc, kind, \
                 district, starts_at, ends_at, quantity, confirmed_at FROM service_requests WHERE id = $1{}",
                crate::tenancy::and_tenant("tenant_id", 2)
            );
            let row: Option<Row> = crate::tenancy::bind_tenant!(sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(id)).fetch_optional(pool).await?;
            let (extra, shifts): (Option<Extra>, Vec<ShiftRow>) = match &row {
                Some(r) => (
                    sqlx::query_as("SELECT team_id, campaign_id, address, urgency FROM service_requests WHERE tenant_id = $1 AND id = $2")
                        .bind(r.1).bind(id).fetch_optional(pool).await?,
                    sqlx::query_as("SELECT starts_at, ends_at, capacity, taken FROM shifts WHERE tenant_id = $1 AND request_id = $2")
                        .bind(r.1).bind(id).fetch_all(pool).await?,
                ),
                None => (None, Vec::new()),
            };
            (row, extra, shifts)
        });
        let (
            id,
            tenant_id,
            org_id,
            org_path,
            requester,
            requester_kind,
            contact_name,
            phone,
            kind,
            district,
            starts_at,
            ends_at,
            quantity,
            confirmed,
        ) = row.ok_or(StoreError::NotFound)?;
        let (team_id, campaign_id, address, urgency) = extra.ok_or(StoreError::NotFound)?;
        let now_text = now.to_string();
        let full = shifts.iter().filter(|s| s.3 >= s.2).count();
        let begun = shifts.iter().filter(|s| s.0 <= now_text).count();
        let ended = shifts.iter().filter(|s| s.1 <= now_text).count();
        Ok(RequestRecord {
            id,
            tenant_id,
            org_id,
            org_path,
            requester,
            requester_kind,
            contact_name,
            contact_phone: self
                .vault()
                .open("contact_phone", &phone)
                .map_err(|_| StoreError::Corrupt("service_requests.contact_phone_enc"))?,
            kind,
            district,
            starts_at,
            ends_at,
            quantity,
            status: RequestStatus::of(confirmed.is_some(), shifts.len(), full, begun, ended),
            team_id,
            campaign_id,
            address,
            urgency,
        })
    }

    /// Adds a shift to request `request_id`.
    pub async fn add_shift(&self, request_id: Uuid, f: &ShiftFields, act: &Act) -> Result<Uuid, StoreError> {
        let tenant: Uuid = on_db!(self.db(), pool => {
            let sql = format!("SELECT tenant_id FROM service_requests WHERE id = $1{}", crate::tenancy::and_tenant("tenant_id", 2));
            crate::tenancy::bind_tenant!(sqlx::query_scalar(sqlx::AssertSqlSafe(sql)).bind(request_id)).fetch_optional(pool).await?
        })
        .ok_or(StoreError::NotFound)?;
        let id = Uuid::now_v7();
        let change = Change::new(
            tenant,
            "shift",
            Some(id),
            serde_json::json!({
                "request_id": request_id, "starts_at": f.window.start.to_string(), "ends_at": f.window.end.to_string(),
                "capacity": f.capacity, "task": f.task,
            }),
        );
        on_db!(self.db(), pool => {
            let mut tx = pool.begin_write().await?;
            sqlx::query(
                "INSERT INTO shifts (tenant_id, id, request_id, starts_at, ends_at, capacity, taken, task) \
                 VALUES ($1, $2, $3, $4, $5, $6, 0, $7)",
            )
            .bind(tenant).bind(id).bind(request_id).bind(f.window.start.to_string()).bind(f.window.end.to_string())
            .bind(f.capacity).bind(&f.task)
            .execute(&mut *tx).await?;
            journal_append!(tx, self, act, &change)?;
            tx.commit().await?;
        });
        // The volunteers who may take it are told (unless it is already over, as when past
        // service is recorded); a failure here leaves the shift in place.
        let over =
            f.window.end.date() < act.at.to_zoned(jiff::tz::TimeZone::fixed(jiff::tz::offset(8))).date();
        let body = format!(
            "新的志愿服务班次：{}，{}–{}，{} 个名额",
            f.task,
            f.window.start.strftime("%m月%d日 %H:%M"),
            f.window.end.strftime("%H:%M"),
            f.capacity
        );
        let told = match self.shift_audience(tenant, request_id).await {
            Ok(_) if over => Ok(0),
            Ok(to) => {
                self.queue_messages(
                    tenant,
                    &to,
                    super::messages::MessageKind::NewShift,
                    id,
                    &body,
                    act.at.as_millisecond(),
                )
                .await
            }
            Err(e) => Err(e),
        };
        if let Err(e) = told {
            tracing::warn!(error = %e, shift = %id, "the new shift's messages were not queued");
        }
        Ok(id)
    }

    /// The requester or the team leader confirms a request done, once: refused until every
    /// shift has ended (status done), and a second time.
    pub async fn confirm_request(
        &self,
        id: Uuid,
        now: jiff::civil::DateTime,
        act: &Act,
    ) -> Result<(), StoreError> {
        let r = self.service_request(id, now).await?;
        match r.status {
            RequestStatus::Confirmed => {
                return Err(FieldError::new("confirmed", Reason::AlreadyRecorded).into());
            }
            RequestStatus::Done => {}
            _ => return Err(FieldError::new("status", Reason::NotYetDone).into()),
        }
        let change = Change::new(r.tenant_id, "service_request_confirmed", Some(id), serde_json::json!({}));
        on_db!(self.db(), pool => {
            let mut tx = pool.begin_write().await?;
            let n = sqlx::query(
                "UPDATE service_requests SET confirmed_at = $3, confirmed_by = $4 WHERE tenant_id = $1 AND id = $2 AND confirmed_at IS NULL",
            )
            .bind(r.tenant_id).bind(id).bind(act.at.as_millisecond()).bind(&act.actor)
            .execute(&mut *tx).await?.rows_affected();
            if n != 1 {
                return Err(FieldError::new("confirmed", Reason::AlreadyRecorded).into());
            }
            journal_append!(tx, self, act, &change)?;
            tx.commit().await?;
        });
        Ok(())
    }
}
