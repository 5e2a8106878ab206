//! A campaign's board (专项行动看板): open needs, teams deployed, volunteers on shift now,
//! confirmed hours, deliveries and institutions served, per organisation; its donations
//! with what is left; and publishing its public summary.

use crate::error::StoreError;
use crate::journal::{Act, Change, journal_append};
use crate::service::lists::CampaignRecord;
use crate::{Store, db::BeginWrite, on_db};
use uuid::Uuid;

/// One organisation's part in a campaign.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct BoardRow {
    /// The organisation that accepted the requests.
    pub org_name: String,
    /// Requests accepted.
    pub requests: i64,
    /// Of which not yet done (open needs).
    pub open: i64,
    /// Volunteers who signed up.
    pub volunteers: i64,
    /// On shift now (checked in, not out).
    pub on_shift: i64,
    /// Confirmed minutes.
    pub minutes: i64,
    /// Deliveries done: the quantity of delivery and transport requests whose shifts have
    /// all ended.
    pub deliveries: i64,
    /// Distinct requesters (communities, institutions) whose requests were served.
    pub served: i64,
}

/// A campaign's board.
#[derive(Debug, Clone, serde::Serialize)]
pub struct CampaignBoard {
    /// The campaign.
    pub campaign: CampaignRecord,
    /// Teams formed for it.
    pub teams: i64,
    /// Per organisation.
    pub rows: Vec<BoardRow>,
    /// The whole campaign.
    pub total: BoardRow,
}

/// A donation of a campaign, with what is left.
#[derive(Debug, Clone, serde::Serialize)]
pub struct DonationRow {
    /// Id.
    pub id: Uuid,
    /// Who gave it.
    pub donor: String,
    /// Money or goods (code).
    pub kind: String,
    /// What.
    pub item: String,
    /// Unit.
    pub unit: String,
    /// Received.
    pub quantity: i64,
    /// Handed out.
    pub distributed: i64,
    /// Received on.
    pub received_on: String,
}

impl Store {
    /// The board of campaign `id` as at `now` (local time): the campaign's requests and
    /// their shifts' running figures (places taken, on shift, minutes confirmed, kept by
    /// each write), folded per organisation.
    pub async fn campaign_board(
        &self,
        id: Uuid,
        now: jiff::civil::DateTime,
    ) -> Result<CampaignBoard, StoreError> {
        use std::collections::HashMap;
        let campaign = self.campaign(id).await?;
        let (t, now) = (campaign.tenant_id, now.to_string());
        type RequestRow = (Uuid, String, String, i64, String);
        type ShiftAgg = (Uuid, i64, i64);
        type SignupAgg = (Uuid, i64, i64, i64);
        let (teams, requests, shifts, signups): (i64, Vec<RequestRow>, Vec<ShiftAgg>, Vec<SignupAgg>) = on_db!(self.db(), pool => {
            let teams = sqlx::query_scalar("SELECT COUNT(*) FROM volunteer_teams WHERE tenant_id = $1 AND campaign_id = $2")
                .bind(t).bind(id).fetch_one(pool).await?;
            let requests = sqlx::query_as(
                "SELECT r.id, o.name, r.kind, r.quantity, r.requester FROM service_requests r \
                 JOIN organizations o ON o.tenant_id = r.tenant_id AND o.id = r.org_id WHERE r.tenant_id = $1 AND r.campaign_id = $2",
            )
            .bind(t).bind(id).fetch_all(pool).await?;
            let shifts = sqlx::query_as(
                "SELECT s.request_id, COUNT(*), CAST(SUM(CASE WHEN s.ends_at <= $3 THEN 1 ELSE 0 END) AS BIGINT) FROM shifts s \
                 JOIN service_requests r ON r.tenant_id = s.tenant_id AND r.id = s.request_id \
                 WHERE r.tenant_id = $1 AND r.campaign_id = $2 GROUP BY s.request_id",
            )
            .bind(t).bind(id).bind(&now).fetch_all(pool).await?;
            // The shifts' running figures: places taken, on shift now, minutes confirmed.
            let signups = sqlx::query_as(
                "SELECT s.request_id, CAST(SUM(s.taken) AS BIGINT), CAST(SUM(s.on_shift) AS BIGINT), \
                 CAST(SUM(s.minutes_confirmed) AS BIGINT) FROM service_requests r \
                 JOIN shifts s ON s.tenant_id = r.tenant_id AND s.request_id = r.id \
                 WHERE r.tenant_id = $1 AND r.campaign_id = $2 GROUP BY s.request_id",
            )
            .bind(t).bind(id).fetch_all(pool).await?;
            (teams, requests, shifts, signups)
        });
        let shifts: HashMap<Uuid, (i64, i64)> =
            shifts.into_iter().map(|(r, n, ended)| (r, (n, ended))).collect();
        let signups: HashMap<Uuid, (i64, i64, i64)> =
            signups.into_iter().map(|(r, n, on, minutes)| (r, (n, on, minutes))).collect();
        let mut by_org: std::collections::BTreeMap<String, (BoardRow, std::collections::BTreeSet<String>)> =
            std::collections::BTreeMap::new();
        for (request, org_name, kind, quantity, requester) in requests {
            let (n, ended) = shifts.get(&request).copied().unwrap_or_default();
            let (volunteers, on_shift, minutes) = signups.get(&request).copied().unwrap_or_default();
            let done = n > 0 && ended == n;
            let (row, served) = by_org.entry(org_name.clone()).or_default();
            row.org_name = org_name;
            row.requests += 1;
            row.open += i64::from(!done);
            row.volunteers += volunteers;
            row.on_shift += on_shift;
            row.minutes += minutes;
            if done && matches!(kind.as_str(), "meal_delivery" | "supply_transport") {
                row.deliveries += quantity;
            }
            if done {
                served.insert(requester);
            }
        }
        let rows: Vec<BoardRow> = by_org
            .into_values()
            .map(|(mut row, served)| {
                row.served = served.len() as i64;
                row
            })
            .collect();
        let total = rows.iter().fold(BoardRow::default(), |mut t, r| {
            t.requests += r.requests;
            t.open += r.open;
            t.volunteers += r.volunteers;
            t.on_shift += r.on_shift;
            t.minutes += r.minutes;
            t.deliveries += r.deliveries;
            // A requester served by two organisations counts once per organisation here.
            t.served += r.served;
            t
        });
        Ok(CampaignBoard { campaign, teams, rows, total })
    }

    /// The donations of a campaign, oldest first.
    pub async fn campaign_donation_rows(
        &self,
        tenant: Uuid,
        campaign: Uuid,
    ) -> Result<Vec<DonationRow>, StoreError> {
        type Row = (Uuid, String, String, String, String, i64, i64, String);
        let rows: Vec<Row> = on_db!(self.db(), pool => {
            sqlx::query_as(
                "SELECT id, donor, kind, item, unit, quantity, distributed, received_on FROM donations \
                 WHERE tenant_id = $1 AND campaign_id = $2 ORDER BY received_on, recorded_at",
            )
            .bind(tenant).bind(campaign).fetch_all(pool).await?
        });
        Ok(rows
            .into_iter()
            .map(|(id, donor, kind, item, unit, quantity, distributed, received_on)| DonationRow {
                id,
                donor,
                kind,
                item,
                unit,
                quantity,
                distributed,
                received_on,
            })
            .collect())
    }

    /// The campaign a donation belongs to, with the donation's tenant.
    pub async fn donation_campaign(&self, donation: Uuid) -> Result<(Uuid, Option<Uuid>), StoreError> {
        let row: Option<(Uuid, Option<Uuid>)> = on_db!(self.db(), pool => {
            let sql = format!("SELECT tenant_id, campaign_id FROM donations WHERE id = $1{}", crate::tenancy::and_tenant("tenant_id", 2));
            crate::tenancy::bind_tenant!(sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(donation)).fetch_optional(pool).await?
        });
        row.ok_or(StoreError::NotFound)
    }

    /// Publishes (or withdraws) a campaign's public summary: what was received and handed
    /// out per item and the board's totals, nothing personal.
    pub async fn publish_campaign(&self, id: Uuid, publish: bool, act: &Act) -> Result<(), StoreError> {
        let c = self.campaign(id).await?;
        let change = Change::new(
            c.tenant_id,
            "campaign_published",
            Some(id),
            serde_json::json!({ "published": publish }),
        );
        let at = publish.then(|| act.at.as_millisecond());
        on_db!(self.db(), pool => {
            let mut tx = pool.begin_write().await?;
            sqlx::query("UPDATE campaigns SET published_at = $3 WHERE tenant_id = $1 AND id = $2")
                .bind(c.tenant_id).bind(id).bind(at).execute(&mut *tx).await?;
            journal_append!(tx, self, act, &change)?;
            tx.commit().await?;
        });
        Ok(())
    }
}
