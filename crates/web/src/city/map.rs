//! The service map (服务地图): the committee's places drawn over its district outlines as
//! SVG by the server (no tile service, no script needed), filterable by kind and district,
//! with a list beside it for phones; each place's page (contact, hours, control level, the
//! volunteers on shift there now); the organiser's page to add places and import district
//! outlines from GeoJSON. Coordinates are stored in CGCS2000; GCJ-02 is converted at the
//! edge (`crs=gcj02` on input and output).

use super::{committee, read_allowed, svg, term};
use crate::AppState;
use crate::api::query::ApiQuery;
use crate::auth::Who;
use crate::auth::handlers::Peer;
use crate::error::AppError;
use crate::forms::FormErrors;
use crate::pages::{Chrome, html_status};
use crate::scope::{OrgQuery, path_id, scope_org};
use askama::Template;
use axum::Form;
use axum::Json;
use axum::extract::{Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use pioneer_domain::Reason;
use pioneer_domain::accounts::access::Permission;
use pioneer_domain::city::geo::{Crs, Point, to_crs};
use pioneer_domain::city::places::{PlaceFields, PlaceInput, PlaceKind};
use pioneer_store::city::map::{District, MapFilter, PlaceRecord};
use pioneer_store::orgs::OrgRecord;
use serde::Deserialize;
use serde_json::json;
use uuid::Uuid;

/// The largest GeoJSON file accepted, in bytes.
pub const GEOJSON_MAX_BYTES: usize = 4 * 1024 * 1024;
/// The most districts in one file.
pub const DISTRICTS_MAX: usize = 100;
/// The most points in one file.
pub const POINTS_MAX: usize = 200_000;
/// The most places listed beside the map (the map draws them all).
pub const LISTED: usize = 200;

/// What a map shows.
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MapQuery {
    /// Kind codes, separated by commas (empty: all).
    pub kind: Option<String>,
    /// District.
    pub district: Option<String>,
    /// Coordinates of the answer: `cgcs2000` (default) or `gcj02`.
    pub crs: Option<String>,
    /// The day whose control zones are shown (`YYYY-MM-DD`; default today).
    pub on: Option<String>,
}

/// One function per action, for the pages and the API alike.
pub mod actions {
    use super::*;

    /// The filter a query asks for (an unknown kind refused by field).
    pub fn filter(q: &MapQuery) -> Result<MapFilter, AppError> {
        let mut kinds = Vec::new();
        for k in q.kind.as_deref().unwrap_or("").split(',').map(str::trim).filter(|k| !k.is_empty()) {
            kinds.push(PlaceKind::from_code(k).ok_or(AppError::field("kind", Reason::UnknownChoice))?);
        }
        Ok(MapFilter { kinds, district: q.district.clone().filter(|d| !d.trim().is_empty()) })
    }

    /// The day a query's control zones are shown for (default today).
    pub fn day(s: &AppState, q: &MapQuery) -> Result<jiff::civil::Date, AppError> {
        let on = pioneer_domain::text::optional_date("on", q.on.as_deref().unwrap_or(""))
            .map_err(|e| AppError::Invalid(e.into()))?;
        Ok(on.unwrap_or_else(|| s.clock.today()))
    }

    /// The organisation whose places `who` keeps (`ManageService`).
    pub async fn owner(s: &AppState, who: &Who, q: &OrgQuery) -> Result<OrgRecord, AppError> {
        scope_org(s, who, Permission::ManageService, q.org.as_deref()).await?.ok_or(AppError::NotFound)
    }

    /// Adds a place of `org` (the point in the committee's region).
    pub async fn add_place(
        s: &AppState,
        who: &Who,
        org: &OrgRecord,
        f: &PlaceInput,
    ) -> Result<Uuid, AppError> {
        let region = pioneer_store::Store::region_of(&s.store.districts(org.tenant_id).await?);
        let fields = PlaceFields::parse(f, &region)?;
        Ok(s.store.create_place(org.id, &fields, &who.act).await?)
    }

    /// Refuses unless `who` manages the whole committee `org` belongs to (the outlines are
    /// the committee's).
    pub async fn committee_manager(s: &AppState, who: &Who, org: &OrgRecord) -> Result<(), AppError> {
        let root = s.store.org(org.tenant_id).await?;
        s.allow(who, Permission::ManageService, &root.path).await
    }

    /// Replaces the committee's district outlines with a GeoJSON file's (only an account
    /// managing the whole committee may).
    pub async fn import_districts(
        s: &AppState,
        who: &Who,
        org: &OrgRecord,
        bytes: &[u8],
        crs: Crs,
    ) -> Result<usize, AppError> {
        committee_manager(s, who, org).await?;
        let districts = parse_geojson(bytes, crs)?;
        s.store.replace_districts(org.tenant_id, &districts, &who.act).await?;
        Ok(districts.len())
    }
}

fn geo_refusal(zh: &'static str, en: &'static str) -> AppError {
    AppError::field("file", Reason::Refused { zh, en })
}

/// The refusal of a GeoJSON file over [`GEOJSON_MAX_BYTES`].
fn too_large() -> AppError {
    geo_refusal("GeoJSON 文件超过 4 MB 的上限", "the GeoJSON file is over the 4 MB limit")
}

/// District outlines from a GeoJSON FeatureCollection of Polygon and MultiPolygon features,
/// each named by `properties.name` (or `名称`); positions `[lng, lat]` in `crs`.
pub fn parse_geojson(bytes: &[u8], crs: Crs) -> Result<Vec<District>, AppError> {
    if bytes.len() > GEOJSON_MAX_BYTES {
        return Err(too_large());
    }
    let v: serde_json::Value = serde_json::from_slice(bytes).map_err(|_| {
        geo_refusal("不是有效的 GeoJSON（JSON 格式错误）", "not valid GeoJSON (the JSON does not parse)")
    })?;
    let features =
        match (v.get("type").and_then(|t| t.as_str()), v.get("features").and_then(|f| f.as_array())) {
            (Some("FeatureCollection"), Some(f)) => f,
            _ => {
                return Err(geo_refusal(
                    "GeoJSON 应为 FeatureCollection",
                    "GeoJSON must be a FeatureCollection",
                ));
            }
        };
    if features.is_empty() || features.len() > DISTRICTS_MAX {
        return Err(geo_refusal("GeoJSON 应含 1 到 100 个区域", "GeoJSON must hold 1 to 100 districts"));
    }
    let mut points = 0usize;
    let mut out: Vec<District> = Vec::new();
    for f in features {
        let d = district(f, crs, &mut points)?;
        if out.iter().any(|o| o.name == d.name) {
            return Err(geo_refusal("区域名称重复", "two districts have the same name"));
        }
        out.push(d);
    }
    Ok(out)
}

/// One feature's district: its name, its polygons (counting their positions into `points`)
/// and whether it is marked a schematic.
fn district(f: &serde_json::Value, crs: Crs, points: &mut usize) -> Result<District, AppError> {
    let props = f.get("properties");
    let name = props
        .and_then(|p| p.get("name").or_else(|| p.get("名称")))
        .and_then(|n| n.as_str())
        .map(str::trim)
        .filter(|n| !n.is_empty() && n.chars().count() <= 20)
        .ok_or(geo_refusal(
            "每个区域须有名称（properties.name，不超过 20 字）",
            "every district needs a name (properties.name, at most 20 characters)",
        ))?;
    let geometry = f.get("geometry").ok_or(geo_refusal("区域缺少 geometry", "a district has no geometry"))?;
    let polygons: Vec<&serde_json::Value> =
        match (geometry.get("type").and_then(|t| t.as_str()), geometry.get("coordinates")) {
            (Some("Polygon"), Some(c)) => vec![c],
            (Some("MultiPolygon"), Some(serde_json::Value::Array(ps))) => ps.iter().collect(),
            _ => {
                return Err(geo_refusal(
                    "区域的 geometry 须为 Polygon 或 MultiPolygon",
                    "a district's geometry must be a Polygon or a MultiPolygon",
                ));
            }
        };
    let malformed = || geo_refusal("多边形格式错误", "a polygon is malformed");
    let outline = polygons
        .into_iter()
        .map(|poly| poly.as_array().ok_or_else(malformed)?.iter().map(|r| ring(r, crs, points)).collect())
        .collect::<Result<Vec<_>, AppError>>()?;
    let schematic =
        props.and_then(|p| p.get("schematic")).and_then(serde_json::Value::as_bool).unwrap_or(false);
    Ok(District { name: name.to_owned(), outline, schematic })
}

/// A polygon's ring: at least 4 positions, the file's total within [`POINTS_MAX`].
fn ring(r: &serde_json::Value, crs: Crs, points: &mut usize) -> Result<Vec<Point>, AppError> {
    let pos = r.as_array().ok_or(geo_refusal("多边形格式错误", "a polygon is malformed"))?;
    if pos.len() < 4 {
        return Err(geo_refusal("多边形的环至少要有 4 个点", "a polygon's ring needs at least 4 positions"));
    }
    *points += pos.len();
    if *points > POINTS_MAX {
        return Err(geo_refusal(
            "GeoJSON 的点数超过 200000 的上限",
            "the GeoJSON has more than 200,000 points",
        ));
    }
    pos.iter().map(|p| position(p, crs)).collect()
}

/// A `[longitude, latitude]` position in `crs`, as stored.
fn position(p: &serde_json::Value, crs: Crs) -> Result<Point, AppError> {
    let (lng, lat) = match p.as_array().map(Vec::as_slice) {
        Some([a, b, ..]) => (a.as_f64(), b.as_f64()),
        _ => (None, None),
    };
    let (Some(lng), Some(lat)) = (lng, lat) else {
        return Err(geo_refusal(
            "坐标应为 [经度, 纬度] 数字",
            "a position must be [longitude, latitude] numbers",
        ));
    };
    if !(lng.is_finite() && lat.is_finite() && lng.abs() <= 180.0 && lat.abs() <= 90.0) {
        return Err(geo_refusal("坐标超出经纬度范围", "a position is outside longitude and latitude ranges"));
    }
    Ok(Point::from_crs(lat, lng, crs))
}

#[derive(Template)]
#[template(path = "city_map.html")]
struct MapPage {
    c: Chrome,
    org: OrgRecord,
    svg: String,
    list: Vec<PlaceRecord>,
    total: usize,
    busy: Vec<(Uuid, i64)>,
    kinds: Vec<&'static str>,
    districts: Vec<String>,
    q: MapQuery,
    schematic: bool,
    day: String,
}

impl MapPage {
    fn term(&self, code: &str) -> String {
        term(&self.c.t, code)
    }
    fn on_shift(&self, id: &Uuid) -> Option<i64> {
        self.busy.iter().find(|(p, _)| p == id).map(|(_, n)| *n)
    }
    fn class(&self, kind: &str) -> usize {
        svg::kind_class(kind)
    }
    fn chosen(&self, which: &str, value: &str) -> bool {
        match which {
            "kind" => self.q.kind.as_deref() == Some(value),
            _ => self.q.district.as_deref() == Some(value),
        }
    }
}

/// `GET /portal/{t}/map?kind=&district=`.
pub async fn public(
    State(s): State<AppState>,
    c: Chrome,
    peer: Peer,
    Path(t): Path<String>,
    ApiQuery(q): ApiQuery<MapQuery>,
) -> Result<Response, AppError> {
    read_allowed(&s, &peer.address())?;
    let org = committee(&s, &t).await?;
    let filter = actions::filter(&q)?;
    let day = actions::day(&s, &q)?;
    let districts = s.store.districts(org.tenant_id).await?;
    let places = s.store.places(org.tenant_id, &filter, day, 20_000).await?;
    let busy = s.store.places_with_shifts(org.tenant_id, crate::service::local_now(&s)).await?;
    let busy_ids: Vec<Uuid> = busy.iter().map(|(id, _)| *id).collect();
    let caption = c.t.l("服务地图", "Service map").to_owned();
    let svg = svg::map(&districts, &places, &busy_ids, &format!("/portal/{}/places/", org.id), &caption);
    let total = places.len();
    let list = places.into_iter().take(LISTED).collect();
    let schematic = districts.iter().any(|d| d.schematic);
    let names = districts.iter().map(|d| d.name.clone()).collect();
    let kinds = PlaceKind::ALL.iter().map(|k| k.code()).collect();
    let page = MapPage {
        c,
        org,
        svg,
        list,
        total,
        busy,
        kinds,
        districts: names,
        q,
        schematic,
        day: day.to_string(),
    };
    Ok(html_status(StatusCode::OK, page.render()?))
}

#[derive(Template)]
#[template(path = "city_place.html")]
struct PlacePage {
    c: Chrome,
    org: OrgRecord,
    p: PlaceRecord,
    activity: Vec<(Uuid, String, String, i64)>,
    gcj: (f64, f64),
}

impl PlacePage {
    fn term(&self, code: &str) -> String {
        term(&self.c.t, code)
    }
    fn service_term(&self, code: &str) -> String {
        crate::service::term(&self.c.t, code)
    }
}

/// `GET /portal/{t}/places/{id}`.
pub async fn place(
    State(s): State<AppState>,
    c: Chrome,
    peer: Peer,
    Path((t, id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    read_allowed(&s, &peer.address())?;
    let org = committee(&s, &t).await?;
    let p = s.store.place_of(org.tenant_id, path_id(&id)?).await?;
    let activity = s.store.place_activity(org.tenant_id, p.id, crate::service::local_now(&s)).await?;
    let gcj = to_crs(p.point, Crs::Gcj02);
    Ok(html_status(StatusCode::OK, PlacePage { c, org, p, activity, gcj }.render()?))
}

#[derive(Template)]
#[template(path = "city_map_admin.html")]
struct AdminPage {
    c: Chrome,
    org: OrgRecord,
    places: Vec<PlaceRecord>,
    districts: Vec<String>,
    errors: FormErrors,
    imported: Option<usize>,
}

impl AdminPage {
    fn term(&self, code: &str) -> String {
        term(&self.c.t, code)
    }
}

async fn admin_page(
    s: &AppState,
    c: Chrome,
    org: OrgRecord,
    errors: FormErrors,
    imported: Option<usize>,
) -> Result<Response, AppError> {
    let places = s
        .store
        .places(org.tenant_id, &MapFilter::default(), s.clock.today(), 20_000)
        .await?
        .into_iter()
        .filter(|p| p.org_path.starts_with(&org.path))
        .take(500)
        .collect();
    let districts = s.store.districts(org.tenant_id).await?.into_iter().map(|d| d.name).collect();
    let status = if errors.any() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    Ok(html_status(status, AdminPage { c, org, places, districts, errors, imported }.render()?))
}

/// `GET /city/map?org=ID`: the organisation's places and the forms.
pub async fn admin(
    State(s): State<AppState>,
    c: Chrome,
    who: Who,
    ApiQuery(q): ApiQuery<OrgQuery>,
) -> Result<Response, AppError> {
    let org = actions::owner(&s, &who, &q).await?;
    admin_page(&s, c, org, FormErrors::default(), None).await
}

/// `POST /city/places?org=ID`.
pub async fn add_place(
    State(s): State<AppState>,
    c: Chrome,
    who: Who,
    ApiQuery(q): ApiQuery<OrgQuery>,
    Form(f): Form<PlaceInput>,
) -> Result<Response, AppError> {
    let org = actions::owner(&s, &who, &q).await?;
    match actions::add_place(&s, &who, &org, &f).await {
        Ok(_) => Ok(Redirect::to(&format!("/city/map?org={}", org.id)).into_response()),
        Err(AppError::Invalid(v)) => {
            let errors = FormErrors::new(&v, &c.t);
            admin_page(&s, c, org, errors, None).await
        }
        Err(e) => Err(e),
    }
}

/// `POST /city/districts?org=ID` (multipart `file`, and `crs`).
pub async fn import_districts(
    State(s): State<AppState>,
    c: Chrome,
    who: Who,
    ApiQuery(q): ApiQuery<OrgQuery>,
    form: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<Response, AppError> {
    let org = actions::owner(&s, &who, &q).await?;
    actions::committee_manager(&s, &who, &org).await?;
    let mut fields = super::form_fields(form).await?;
    let done = match (Crs::parse("crs", &super::text_field(&fields, "crs")), fields.remove("file")) {
        (Err(e), _) => Err(AppError::Invalid(e.into())),
        (Ok(_), Some(None)) => Err(too_large()),
        (Ok(crs), file) => {
            actions::import_districts(&s, &who, &org, &file.flatten().unwrap_or_default(), crs).await
        }
    };
    match done {
        Ok(n) => admin_page(&s, c, org, FormErrors::default(), Some(n)).await,
        Err(AppError::Invalid(v)) => {
            let errors = FormErrors::new(&v, &c.t);
            admin_page(&s, c, org, errors, None).await
        }
        Err(e) => Err(e),
    }
}

fn place_json(p: &PlaceRecord, crs: Crs) -> serde_json::Value {
    let (lat, lng) = to_crs(p.point, crs);
    json!({ "id": p.id, "kind": p.kind, "name": p.name, "district": p.district, "lat": lat, "lng": lng,
        "address": p.address, "contact": p.contact, "phone": p.phone, "hours": p.hours, "note": p.note,
        "control_level": p.control_level, "valid_from": p.valid_from, "valid_until": p.valid_until })
}

/// A committee's places (no account), filtered by kind and district, coordinates in the
/// asked system (`crs=gcj02` for 高德/腾讯 maps; CGCS2000 by default), with the volunteers on
/// shift at each place now.
#[utoipa::path(get, path = "/api/v1/portal/{t}/places", params(("t" = uuid::Uuid, Path, description = "The committee"), MapQuery),
    responses((status = 200, body = Object), (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 429, body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn api_places(
    State(s): State<AppState>,
    peer: Peer,
    Path(t): Path<String>,
    ApiQuery(q): ApiQuery<MapQuery>,
) -> Result<Json<serde_json::Value>, AppError> {
    read_allowed(&s, &peer.address())?;
    let org = committee(&s, &t).await?;
    let crs = Crs::parse("crs", q.crs.as_deref().unwrap_or("")).map_err(|e| AppError::Invalid(e.into()))?;
    let places = s.store.places(org.tenant_id, &actions::filter(&q)?, actions::day(&s, &q)?, 20_000).await?;
    let busy = s.store.places_with_shifts(org.tenant_id, crate::service::local_now(&s)).await?;
    let out: Vec<serde_json::Value> = places
        .iter()
        .map(|p| {
            let mut v = place_json(p, crs);
            v["on_shift"] = json!(busy.iter().find(|(id, _)| *id == p.id).map_or(0, |(_, n)| *n));
            v
        })
        .collect();
    Ok(Json(json!({ "crs": if crs == Crs::Gcj02 { "gcj02" } else { "cgcs2000" }, "places": out })))
}

/// Adds a place on the map (the point must lie in the committee's region; `crs=gcj02` for a
/// point read off 高德 or 腾讯; the district is found from the outlines when not given).
#[utoipa::path(post, path = "/api/v1/places", params(OrgQuery), request_body = PlaceInput,
    responses((status = 201, body = Object), (status = 422, body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn api_add_place(
    State(s): State<AppState>,
    who: Who,
    ApiQuery(q): ApiQuery<OrgQuery>,
    crate::api::json::ApiJson(f): crate::api::json::ApiJson<PlaceInput>,
) -> Result<Response, AppError> {
    let org = actions::owner(&s, &who, &q).await?;
    let id = actions::add_place(&s, &who, &org, &f).await?;
    Ok((StatusCode::CREATED, Json(json!({ "id": id }))).into_response())
}

/// `?org=&crs=` of a district import.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DistrictParams {
    /// An organisation of the committee (default: the caller's own).
    pub org: Option<String>,
    /// The file's coordinates: `cgcs2000` (default, also `wgs84`) or `gcj02`.
    pub crs: Option<String>,
}

/// Replaces the committee's district outlines (the body is a GeoJSON FeatureCollection of
/// Polygon/MultiPolygon features named by `properties.name`; at most 4 MB, 100 districts,
/// 200,000 points). Refused whole when anything is wrong.
#[utoipa::path(post, path = "/api/v1/districts", params(DistrictParams),
    request_body(content = Object, content_type = "application/geo+json"),
    responses((status = 201, body = Object), (status = 422, body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn api_import_districts(
    State(s): State<AppState>,
    who: Who,
    ApiQuery(q): ApiQuery<DistrictParams>,
    body: Result<axum::body::Bytes, axum::extract::rejection::BytesRejection>,
) -> Result<Response, AppError> {
    let org = actions::owner(&s, &who, &OrgQuery { org: q.org.clone() }).await?;
    let crs = Crs::parse("crs", q.crs.as_deref().unwrap_or("")).map_err(|e| AppError::Invalid(e.into()))?;
    let bytes = match body {
        Ok(b) => b.to_vec(),
        Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => return Err(too_large()),
        Err(e) => return Err(AppError::BadBody { status: StatusCode::BAD_REQUEST, detail: e.body_text() }),
    };
    let n = actions::import_districts(&s, &who, &org, &bytes, crs).await?;
    Ok((StatusCode::CREATED, Json(json!({ "districts": n }))).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refusal(bytes: &str) -> String {
        match parse_geojson(bytes.as_bytes(), Crs::Cgcs2000) {
            Err(AppError::Invalid(v)) => v.0[0].reason.words().1,
            other => panic!("accepted: {:?}", other.map(|d| d.len()).ok()),
        }
    }

    #[test]
    fn geojson_is_checked_whole() {
        let ok = r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"南山区"},
            "geometry":{"type":"Polygon","coordinates":[[[113.9,22.5],[114.0,22.5],[114.0,22.6],[113.9,22.5]]]}}]}"#;
        let d = parse_geojson(ok.as_bytes(), Crs::Cgcs2000).unwrap();
        assert_eq!((d[0].name.as_str(), d[0].outline[0][0].len()), ("南山区", 4));
        assert!(refusal("{").contains("does not parse"));
        assert!(refusal(r#"{"type":"Feature"}"#).contains("FeatureCollection"));
        assert!(refusal(&ok.replace("\"name\":\"南山区\"", "\"x\":1")).contains("name"));
        assert!(refusal(&ok.replace("[113.9,22.5],[114.0,22.5]", "[113.9,22.5]")).contains("4 positions"));
        assert!(refusal(&ok.replace("113.9,22.5],[114.0", "213.9,22.5],[114.0")).contains("outside"));
        assert!(refusal(&" ".repeat(GEOJSON_MAX_BYTES + 1)).contains("4 MB"));
        let two = ok.replace("]}}]}", "]}},") + &ok[ok.find("{\"type\":\"Feature\"").unwrap()..];
        assert!(refusal(&two).contains("same name"));
        // The schematic is valid input for the same checks.
        assert_eq!(pioneer_store::city::map::shenzhen_schematic().len(), 10);
    }
}
