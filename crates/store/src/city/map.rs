//! The service map in storage: a tenant's district outlines (replaced as a whole by an
//! import), its places, the region places must lie in (the outlines' bounds, Shenzhen's
//! until any are imported), the district a point falls in, and the places with a volunteer
//! shift under way.

use crate::error::StoreError;
use crate::journal::{Act, Change, journal_append};
use crate::{Store, db::BeginWrite, on_db};
use pioneer_domain::city::geo::{Bounds, Point, outline_contains};
use pioneer_domain::city::places::{PlaceFields, PlaceKind};
use pioneer_domain::{FieldError, Reason};
use serde::Serialize;
use uuid::Uuid;

/// An outline: polygons, each its outer ring then holes.
pub type Outline = Vec<Vec<Vec<Point>>>;

/// A district's outline.
#[derive(Debug, Clone, Serialize)]
pub struct District {
    /// Name.
    pub name: String,
    /// Polygons.
    pub outline: Outline,
    /// Whether it is a schematic drawn by hand, not a survey.
    pub schematic: bool,
}

/// A place as stored.
#[derive(Debug, Clone, Serialize)]
pub struct PlaceRecord {
    /// Id.
    pub id: Uuid,
    /// Tenant.
    pub tenant_id: Uuid,
    /// The owning organisation.
    pub org_id: Uuid,
    /// Its path.
    pub org_path: String,
    /// Kind code.
    pub kind: String,
    /// Name.
    pub name: String,
    /// District.
    pub district: String,
    /// Where.
    pub point: Point,
    /// Address.
    pub address: Option<String>,
    /// Contact.
    pub contact: Option<String>,
    /// Phone.
    pub phone: Option<String>,
    /// Hours.
    pub hours: Option<String>,
    /// Note.
    pub note: Option<String>,
    /// Control level code.
    pub control_level: Option<String>,
    /// Control period start.
    pub valid_from: Option<String>,
    /// Control period end.
    pub valid_until: Option<String>,
}

type Row = (
    Uuid,
    Uuid,
    Uuid,
    String,
    String,
    String,
    String,
    i64,
    i64,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
);

const COLUMNS: &str = "id, tenant_id, org_id, org_path, kind, name, district, lat_e6, lng_e6, address, contact, phone, hours, note, \
    control_level, valid_from || '/' || COALESCE(valid_until, '')";

fn record(r: Row) -> PlaceRecord {
    let (
        id,
        tenant_id,
        org_id,
        org_path,
        kind,
        name,
        district,
        lat_e6,
        lng_e6,
        address,
        contact,
        phone,
        hours,
        note,
        control_level,
        period,
    ) = r;
    let (valid_from, valid_until) = match period.as_deref().and_then(|p| p.split_once('/')) {
        Some((a, b)) => (Some(a.to_owned()), (!b.is_empty()).then(|| b.to_owned())),
        None => (None, None),
    };
    PlaceRecord {
        id,
        tenant_id,
        org_id,
        org_path,
        kind,
        name,
        district,
        point: Point { lat_e6, lng_e6 },
        address,
        contact,
        phone,
        hours,
        note,
        control_level,
        valid_from,
        valid_until,
    }
}

fn outline_json(o: &Outline) -> String {
    let v: Vec<Vec<Vec<[i64; 2]>>> = o
        .iter()
        .map(|poly| poly.iter().map(|ring| ring.iter().map(|p| [p.lng_e6, p.lat_e6]).collect()).collect())
        .collect();
    serde_json::to_string(&v).unwrap_or_default()
}

fn outline_of(text: &str) -> Outline {
    let v: Vec<Vec<Vec<[i64; 2]>>> = serde_json::from_str(text).unwrap_or_default();
    v.into_iter()
        .map(|poly| {
            poly.into_iter()
                .map(|ring| ring.into_iter().map(|[lng_e6, lat_e6]| Point { lat_e6, lng_e6 }).collect())
                .collect()
        })
        .collect()
}

/// What a map shows: kinds and a district to keep (empty: all).
#[derive(Debug, Clone, Default)]
pub struct MapFilter {
    /// Kinds.
    pub kinds: Vec<PlaceKind>,
    /// District.
    pub district: Option<String>,
}

impl Store {
    /// Replaces the tenant's district outlines with `districts` (one transaction).
    pub async fn replace_districts(
        &self,
        tenant: Uuid,
        districts: &[District],
        act: &Act,
    ) -> Result<(), StoreError> {
        let at = act.at.as_millisecond();
        let change = Change::new(
            tenant,
            "map_districts",
            None,
            serde_json::json!({ "districts": districts.iter().map(|d| serde_json::json!({ "name": d.name,
                "polygons": d.outline.len(), "points": d.outline.iter().flatten().map(Vec::len).sum::<usize>(), "schematic": d.schematic })).collect::<Vec<_>>() }),
        );
        on_db!(self.db(), pool => {
            let mut tx = pool.begin_write().await?;
            sqlx::query("DELETE FROM map_districts WHERE tenant_id = $1").bind(tenant).execute(&mut *tx).await?;
            for d in districts {
                sqlx::query("INSERT INTO map_districts (tenant_id, id, name, outline, schematic, imported_at) VALUES ($1, $2, $3, $4, $5, $6)")
                    .bind(tenant).bind(Uuid::now_v7()).bind(&d.name).bind(outline_json(&d.outline)).bind(d.schematic).bind(at)
                    .execute(&mut *tx).await?;
            }
            journal_append!(tx, self, act, &change)?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// The tenant's district outlines, by name.
    pub async fn districts(&self, tenant: Uuid) -> Result<Vec<District>, StoreError> {
        let rows: Vec<(String, String, bool)> = on_db!(self.db(), pool => {
            sqlx::query_as("SELECT name, outline, schematic FROM map_districts WHERE tenant_id = $1 ORDER BY name")
                .bind(tenant).fetch_all(pool).await?
        });
        Ok(rows
            .into_iter()
            .map(|(name, o, schematic)| District { name, outline: outline_of(&o), schematic })
            .collect())
    }

    /// The region the tenant's places must lie in: its outlines' bounds, or Shenzhen's.
    pub fn region_of(districts: &[District]) -> Bounds {
        Bounds::around(districts.iter().flat_map(|d| d.outline.iter().flatten().flatten()))
            .unwrap_or(Bounds::SHENZHEN)
    }

    /// Adds a place of organisation `org_id`: the point must lie in the tenant's region; the
    /// district, when not typed, is the outline the point falls in (refused when none).
    pub async fn create_place(&self, org_id: Uuid, f: &PlaceFields, act: &Act) -> Result<Uuid, StoreError> {
        let org =
            self.org(org_id).await.map_err(|_| FieldError::new("org_id", Reason::UnknownOrganization))?;
        let districts = self.districts(org.tenant_id).await?;
        Self::region_of(&districts).check(f.point)?;
        let district = match &f.district {
            Some(d) => d.clone(),
            None => districts
                .iter()
                .find(|d| outline_contains(&d.outline, f.point))
                .map(|d| d.name.clone())
                .ok_or(FieldError::new("district", Reason::Required))?,
        };
        let id = Uuid::now_v7();
        let at = act.at.as_millisecond();
        let (level, from, until) = match f.control {
            Some((l, a, b)) => (Some(l.code()), Some(a.to_string()), b.map(|b| b.to_string())),
            None => (None, None, None),
        };
        let change = Change::new(
            org.tenant_id,
            "place",
            Some(id),
            serde_json::json!({ "org_id": org.id, "kind": f.kind.code(), "name": f.name, "district": district,
                "lat_e6": f.point.lat_e6, "lng_e6": f.point.lng_e6, "control_level": level, "valid_from": from, "valid_until": until }),
        );
        on_db!(self.db(), pool => {
            let mut tx = pool.begin_write().await?;
            sqlx::query(
                "INSERT INTO places (tenant_id, id, org_id, org_path, kind, name, district, lat_e6, lng_e6, address, contact, phone, hours, note, \
                 control_level, valid_from, valid_until, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $18)",
            )
            .bind(org.tenant_id).bind(id).bind(org.id).bind(&org.path).bind(f.kind.code()).bind(&f.name).bind(&district)
            .bind(f.point.lat_e6).bind(f.point.lng_e6).bind(&f.address).bind(&f.contact).bind(f.phone.as_ref().map(|p| p.as_str()))
            .bind(&f.hours).bind(&f.note).bind(level).bind(&from).bind(&until).bind(at)
            .execute(&mut *tx).await?;
            journal_append!(tx, self, act, &change)?;
            tx.commit().await?;
        });
        Ok(id)
    }

    /// A place (of the request's tenant, when one is set).
    pub async fn place(&self, id: Uuid) -> Result<PlaceRecord, StoreError> {
        let sql = format!(
            "SELECT {COLUMNS} FROM places WHERE id = $1{}",
            crate::tenancy::and_tenant("tenant_id", 2)
        );
        let row: Option<Row> = on_db!(self.db(), pool => {
            crate::tenancy::bind_tenant!(sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(id)).fetch_optional(pool).await?
        });
        row.map(record).ok_or(StoreError::NotFound)
    }

    /// A place of `tenant` (for a public page, which has no tenant of its own).
    pub async fn place_of(&self, tenant: Uuid, id: Uuid) -> Result<PlaceRecord, StoreError> {
        let sql = format!("SELECT {COLUMNS} FROM places WHERE tenant_id = $1 AND id = $2");
        let row: Option<Row> = on_db!(self.db(), pool => {
            sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(tenant).bind(id).fetch_optional(pool).await?
        });
        row.map(record).ok_or(StoreError::NotFound)
    }

    /// The tenant's places the filter keeps (control zones only while their period runs on
    /// `today`), by name, at most `limit`.
    pub async fn places(
        &self,
        tenant: Uuid,
        filter: &MapFilter,
        today: jiff::civil::Date,
        limit: i64,
    ) -> Result<Vec<PlaceRecord>, StoreError> {
        let mut sql = format!(
            "SELECT {COLUMNS} FROM places WHERE tenant_id = $1 AND (kind <> 'control_zone' OR (valid_from <= $2 AND (valid_until IS NULL OR valid_until >= $2)))"
        );
        let mut texts: Vec<String> = vec![today.to_string()];
        if !filter.kinds.is_empty() {
            let marks: Vec<String> =
                filter.kinds.iter().enumerate().map(|(i, _)| format!("${}", i + 3)).collect();
            sql.push_str(&format!(" AND kind IN ({})", marks.join(", ")));
            texts.extend(filter.kinds.iter().map(|k| k.code().to_owned()));
        }
        if let Some(d) = filter.district.as_deref().filter(|d| !d.is_empty()) {
            texts.push(d.to_owned());
            sql.push_str(&format!(" AND district = ${}", texts.len() + 1));
        }
        sql.push_str(&format!(" ORDER BY name LIMIT {}", limit.clamp(1, 20_000)));
        let rows: Vec<Row> = on_db!(self.db(), pool => {
            let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(tenant);
            for t in &texts {
                q = q.bind(t);
            }
            q.fetch_all(pool).await?
        });
        Ok(rows.into_iter().map(record).collect())
    }

    /// The tenant's places with a volunteer shift under way at `now` (local time), and how
    /// many volunteers are on shift there.
    pub async fn places_with_shifts(
        &self,
        tenant: Uuid,
        now: jiff::civil::DateTime,
    ) -> Result<Vec<(Uuid, i64)>, StoreError> {
        let now = now.strftime("%Y-%m-%dT%H:%M").to_string();
        let rows: Vec<(Uuid, i64)> = on_db!(self.db(), pool => {
            sqlx::query_as(
                "SELECT r.place_id, SUM(s.on_shift) FROM service_requests r JOIN shifts s ON s.tenant_id = r.tenant_id AND s.request_id = r.id \
                 WHERE r.tenant_id = $1 AND r.place_id IS NOT NULL AND s.starts_at <= $2 AND s.ends_at > $2 GROUP BY r.place_id",
            )
            .bind(tenant).bind(&now).fetch_all(pool).await?
        });
        Ok(rows)
    }

    /// Ties a service request to a place of its tenant (its shifts then show there).
    pub async fn set_request_place(
        &self,
        request: Uuid,
        place: Option<Uuid>,
        act: &Act,
    ) -> Result<(), StoreError> {
        let (tenant, _, _) = self.request_place(request).await?;
        if let Some(p) = place {
            self.place_of(tenant, p).await.map_err(|_| FieldError::new("place_id", Reason::UnknownChoice))?;
        }
        let change =
            Change::new(tenant, "service_request", Some(request), serde_json::json!({ "place_id": place }));
        on_db!(self.db(), pool => {
            let mut tx = pool.begin_write().await?;
            sqlx::query("UPDATE service_requests SET place_id = $1 WHERE tenant_id = $2 AND id = $3")
                .bind(place).bind(tenant).bind(request).execute(&mut *tx).await?;
            journal_append!(tx, self, act, &change)?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// The requests tied to a place, with their shifts under way at `now` (request id,
    /// requester, kind, volunteers on shift).
    pub async fn place_activity(
        &self,
        tenant: Uuid,
        place: Uuid,
        now: jiff::civil::DateTime,
    ) -> Result<Vec<(Uuid, String, String, i64)>, StoreError> {
        let now = now.strftime("%Y-%m-%dT%H:%M").to_string();
        let rows: Vec<(Uuid, String, String, i64)> = on_db!(self.db(), pool => {
            sqlx::query_as(
                "SELECT r.id, r.requester, r.kind, COALESCE(SUM(CASE WHEN s.starts_at <= $3 AND s.ends_at > $3 THEN s.on_shift ELSE 0 END), 0) \
                 FROM service_requests r LEFT JOIN shifts s ON s.tenant_id = r.tenant_id AND s.request_id = r.id \
                 WHERE r.tenant_id = $1 AND r.place_id = $2 AND r.ends_at > $3 GROUP BY r.id, r.requester, r.kind ORDER BY r.requester",
            )
            .bind(tenant).bind(place).bind(&now).fetch_all(pool).await?
        });
        Ok(rows)
    }
}

/// The schematic outline of Shenzhen's districts the demo ships: hand-drawn by us, not a
/// survey (each polygon is marked `schematic`).
pub fn shenzhen_schematic() -> Vec<District> {
    // (name, [(lng, lat), ...]) — rough shapes around each district's real position.
    const SHAPES: &[(&str, &[(f64, f64)])] = &[
        (
            "宝安区",
            &[
                (113.76, 22.56),
                (113.90, 22.55),
                (113.93, 22.66),
                (113.90, 22.80),
                (113.78, 22.82),
                (113.75, 22.70),
            ],
        ),
        ("光明区", &[(113.90, 22.72), (114.00, 22.70), (114.02, 22.80), (113.95, 22.86), (113.90, 22.80)]),
        (
            "南山区",
            &[
                (113.86, 22.48),
                (113.97, 22.47),
                (114.00, 22.52),
                (113.99, 22.60),
                (113.93, 22.66),
                (113.90, 22.55),
            ],
        ),
        ("福田区", &[(113.99, 22.52), (114.09, 22.51), (114.10, 22.56), (114.08, 22.60), (114.00, 22.59)]),
        (
            "罗湖区",
            &[
                (114.09, 22.53),
                (114.18, 22.54),
                (114.19, 22.62),
                (114.10, 22.64),
                (114.08, 22.60),
                (114.10, 22.56),
            ],
        ),
        (
            "龙华区",
            &[
                (113.99, 22.60),
                (114.08, 22.60),
                (114.10, 22.64),
                (114.09, 22.74),
                (114.02, 22.78),
                (114.00, 22.70),
                (113.93, 22.66),
            ],
        ),
        ("盐田区", &[(114.18, 22.54), (114.30, 22.56), (114.32, 22.61), (114.22, 22.63), (114.19, 22.62)]),
        (
            "龙岗区",
            &[
                (114.10, 22.64),
                (114.19, 22.62),
                (114.22, 22.63),
                (114.32, 22.61),
                (114.36, 22.66),
                (114.32, 22.78),
                (114.18, 22.80),
                (114.09, 22.74),
            ],
        ),
        ("坪山区", &[(114.32, 22.64), (114.42, 22.64), (114.44, 22.72), (114.36, 22.76), (114.32, 22.72)]),
        (
            "大鹏新区",
            &[
                (114.36, 22.54),
                (114.52, 22.48),
                (114.63, 22.52),
                (114.60, 22.64),
                (114.44, 22.66),
                (114.36, 22.60),
            ],
        ),
    ];
    SHAPES
        .iter()
        .map(|(name, pts)| {
            let mut ring: Vec<Point> = pts.iter().map(|(lng, lat)| Point::from_degrees(*lat, *lng)).collect();
            ring.push(ring[0]);
            District { name: (*name).to_owned(), outline: vec![vec![ring]], schematic: true }
        })
        .collect()
}
