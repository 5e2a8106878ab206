//! Coordinates as stored (CGCS2000, which 天地图 uses and which agrees with WGS-84 to a few
//! centimetres, in millionths of a degree), the GCJ-02 offset most commercial Chinese maps
//! use (converted only at the edge), a region's bounds and point-in-outline.

use crate::{FieldError, Reason};
use serde::Serialize;

/// A point in millionths of a degree (about 0.1 m), CGCS2000.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Point {
    /// Latitude × 10⁶.
    pub lat_e6: i64,
    /// Longitude × 10⁶.
    pub lng_e6: i64,
}

impl Point {
    /// From degrees (rounded to a millionth).
    pub fn from_degrees(lat: f64, lng: f64) -> Self {
        Self { lat_e6: (lat * 1e6).round() as i64, lng_e6: (lng * 1e6).round() as i64 }
    }

    /// From degrees in `crs`, as stored (GCJ-02 converted to CGCS2000).
    pub fn from_crs(lat: f64, lng: f64, crs: Crs) -> Self {
        match crs {
            Crs::Cgcs2000 => Self::from_degrees(lat, lng),
            Crs::Gcj02 => {
                let (a, b) = gcj02_to_wgs84(lat, lng);
                Self::from_degrees(a, b)
            }
        }
    }

    /// Latitude in degrees.
    pub fn lat(self) -> f64 {
        self.lat_e6 as f64 / 1e6
    }

    /// Longitude in degrees.
    pub fn lng(self) -> f64 {
        self.lng_e6 as f64 / 1e6
    }
}

/// The coordinate system a value was given or is wanted in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Crs {
    /// CGCS2000 / WGS-84: what pioneer stores and 天地图 draws.
    Cgcs2000,
    /// GCJ-02: 高德, 腾讯 and most commercial maps.
    Gcj02,
}

impl Crs {
    /// Parses `cgcs2000` (also `wgs84`, or empty) or `gcj02`.
    pub fn parse(field: &'static str, raw: &str) -> Result<Self, FieldError> {
        match raw.trim().to_ascii_lowercase().as_str() {
            "" | "cgcs2000" | "wgs84" => Ok(Crs::Cgcs2000),
            "gcj02" => Ok(Crs::Gcj02),
            _ => Err(FieldError::new(field, Reason::UnknownChoice)),
        }
    }
}

/// Parses a latitude and a longitude typed in decimal degrees in `crs`; the point as stored.
pub fn parse_point(lat: &str, lng: &str, crs: Crs) -> Result<Point, Vec<FieldError>> {
    let la = degrees("lat", lat, 90.0);
    let ln = degrees("lng", lng, 180.0);
    match (la, ln) {
        (Ok(la), Ok(ln)) => Ok(Point::from_crs(la, ln, crs)),
        (a, b) => Err([a.err(), b.err()].into_iter().flatten().collect()),
    }
}

fn degrees(field: &'static str, raw: &str, limit: f64) -> Result<f64, FieldError> {
    let t = raw.trim();
    if t.is_empty() {
        return Err(FieldError::new(field, Reason::Required));
    }
    match t.parse::<f64>() {
        Ok(v) if v.is_finite() && v.abs() <= limit => Ok(v),
        _ => Err(FieldError::new(
            field,
            Reason::Refused { zh: "应为十进制度数", en: "must be decimal degrees" },
        )),
    }
}

/// The point in `crs` (degrees), for a map or an export that wants it.
pub fn to_crs(p: Point, crs: Crs) -> (f64, f64) {
    match crs {
        Crs::Cgcs2000 => (p.lat(), p.lng()),
        Crs::Gcj02 => wgs84_to_gcj02(p.lat(), p.lng()),
    }
}

/// The semi-major axis of the Krasovsky 1940 ellipsoid the GCJ-02 offset is computed on.
const A: f64 = 6_378_245.0;
/// Its first eccentricity squared.
const EE: f64 = 0.006_693_421_622_965_943;

/// Whether the point lies where GCJ-02 applies (roughly mainland China's bounding box; the
/// offset is not applied outside it).
fn in_china(lat: f64, lng: f64) -> bool {
    (72.004..=137.8347).contains(&lng) && (0.8293..=55.8271).contains(&lat)
}

fn offset_lat(x: f64, y: f64) -> f64 {
    use std::f64::consts::PI;
    let mut r = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * x.abs().sqrt();
    r += (20.0 * (6.0 * x * PI).sin() + 20.0 * (2.0 * x * PI).sin()) * 2.0 / 3.0;
    r += (20.0 * (y * PI).sin() + 40.0 * (y / 3.0 * PI).sin()) * 2.0 / 3.0;
    r += (160.0 * (y / 12.0 * PI).sin() + 320.0 * (y * PI / 30.0).sin()) * 2.0 / 3.0;
    r
}

fn offset_lng(x: f64, y: f64) -> f64 {
    use std::f64::consts::PI;
    let mut r = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * x.abs().sqrt();
    r += (20.0 * (6.0 * x * PI).sin() + 20.0 * (2.0 * x * PI).sin()) * 2.0 / 3.0;
    r += (20.0 * (x * PI).sin() + 40.0 * (x / 3.0 * PI).sin()) * 2.0 / 3.0;
    r += (150.0 * (x / 12.0 * PI).sin() + 300.0 * (x / 30.0 * PI).sin()) * 2.0 / 3.0;
    r
}

/// The GCJ-02 offset at a WGS-84 point, in degrees (latitude, longitude).
fn delta(lat: f64, lng: f64) -> (f64, f64) {
    use std::f64::consts::PI;
    let d_lat = offset_lat(lng - 105.0, lat - 35.0);
    let d_lng = offset_lng(lng - 105.0, lat - 35.0);
    let rad = lat / 180.0 * PI;
    let magic = 1.0 - EE * rad.sin() * rad.sin();
    let sqrt_magic = magic.sqrt();
    let d_lat = (d_lat * 180.0) / ((A * (1.0 - EE)) / (magic * sqrt_magic) * PI);
    let d_lng = (d_lng * 180.0) / (A / sqrt_magic * rad.cos() * PI);
    (d_lat, d_lng)
}

/// WGS-84 / CGCS2000 to GCJ-02 (degrees).
pub fn wgs84_to_gcj02(lat: f64, lng: f64) -> (f64, f64) {
    if !in_china(lat, lng) {
        return (lat, lng);
    }
    let (d_lat, d_lng) = delta(lat, lng);
    (lat + d_lat, lng + d_lng)
}

/// GCJ-02 to WGS-84 / CGCS2000 (degrees), by fixed-point iteration to well under a
/// centimetre (the offset has no closed inverse).
pub fn gcj02_to_wgs84(lat: f64, lng: f64) -> (f64, f64) {
    if !in_china(lat, lng) {
        return (lat, lng);
    }
    let (mut w_lat, mut w_lng) = (lat, lng);
    for _ in 0..30 {
        let (g_lat, g_lng) = wgs84_to_gcj02(w_lat, w_lng);
        let (e_lat, e_lng) = (g_lat - lat, g_lng - lng);
        w_lat -= e_lat;
        w_lng -= e_lng;
        if e_lat.abs() < 1e-10 && e_lng.abs() < 1e-10 {
            break;
        }
    }
    (w_lat, w_lng)
}

/// A rectangle of the map: the region places must lie in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Bounds {
    /// South-west corner.
    pub min: Point,
    /// North-east corner.
    pub max: Point,
}

impl Bounds {
    /// Shenzhen's bounds, the region until districts are imported.
    pub const SHENZHEN: Bounds = Bounds {
        min: Point { lat_e6: 22_390_000, lng_e6: 113_740_000 },
        max: Point { lat_e6: 22_870_000, lng_e6: 114_650_000 },
    };

    /// The smallest rectangle holding every point (None for none).
    pub fn around<'a>(points: impl IntoIterator<Item = &'a Point>) -> Option<Bounds> {
        let mut it = points.into_iter();
        let first = *it.next()?;
        Some(it.fold(Bounds { min: first, max: first }, |b, p| Bounds {
            min: Point { lat_e6: b.min.lat_e6.min(p.lat_e6), lng_e6: b.min.lng_e6.min(p.lng_e6) },
            max: Point { lat_e6: b.max.lat_e6.max(p.lat_e6), lng_e6: b.max.lng_e6.max(p.lng_e6) },
        }))
    }

    /// Whether `p` lies inside (edges included).
    pub fn contains(&self, p: Point) -> bool {
        (self.min.lat_e6..=self.max.lat_e6).contains(&p.lat_e6)
            && (self.min.lng_e6..=self.max.lng_e6).contains(&p.lng_e6)
    }

    /// Refuses a point outside the region, against the `lat` field.
    pub fn check(&self, p: Point) -> Result<(), FieldError> {
        if self.contains(p) {
            Ok(())
        } else {
            Err(FieldError::new(
                "lat",
                Reason::Refused {
                    zh: "坐标不在本地图的范围内（请检查经纬度是否写反、坐标系是否正确）",
                    en: "the point lies outside this map's region (check latitude and longitude, and the coordinate system)",
                },
            ))
        }
    }
}

/// Whether `p` lies inside the polygon `ring` (even-odd rule; the ring need not be closed).
pub fn ring_contains(ring: &[Point], p: Point) -> bool {
    let mut inside = false;
    let n = ring.len();
    if n < 3 {
        return false;
    }
    let (x, y) = (p.lng_e6 as f64, p.lat_e6 as f64);
    let mut j = n - 1;
    for i in 0..n {
        let (xi, yi) = (ring[i].lng_e6 as f64, ring[i].lat_e6 as f64);
        let (xj, yj) = (ring[j].lng_e6 as f64, ring[j].lat_e6 as f64);
        if (yi > y) != (yj > y) && x < (xj - xi) * (y - yi) / (yj - yi) + xi {
            inside = !inside;
        }
        j = i;
    }
    inside
}

/// Whether `p` lies in an outline made of polygons (each its outer ring first, then holes).
pub fn outline_contains(polygons: &[Vec<Vec<Point>>], p: Point) -> bool {
    polygons.iter().any(|rings| match rings.split_first() {
        Some((outer, holes)) => ring_contains(outer, p) && !holes.iter().any(|h| ring_contains(h, p)),
        None => false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Published reference pairs (WGS-84 → GCJ-02) from the eviltransform project's tests:
    /// Shanghai, Shenzhen, Beijing; and coordtransform's 116.404, 39.915.
    const REFERENCE: &[(f64, f64, f64, f64)] = &[
        (31.1774276, 121.5272106, 31.17530398364597, 121.531541859215),
        (22.543847, 113.912316, 22.540796131694766, 113.9171764808363),
        (39.911954, 116.377817, 39.91334545536069, 116.38404722455657),
        (39.915, 116.404, 39.91640428150164, 116.41024449916938),
    ];

    #[test]
    fn the_offset_matches_published_reference_points_both_ways() {
        for &(w_lat, w_lng, g_lat, g_lng) in REFERENCE {
            let (a, b) = wgs84_to_gcj02(w_lat, w_lng);
            assert!((a - g_lat).abs() < 1e-9 && (b - g_lng).abs() < 1e-9, "{a},{b} vs {g_lat},{g_lng}");
            let (c, d) = gcj02_to_wgs84(g_lat, g_lng);
            // Back within a millionth of a degree (about 0.1 m), which is what is stored.
            assert!((c - w_lat).abs() < 1e-7 && (d - w_lng).abs() < 1e-7, "{c},{d} vs {w_lat},{w_lng}");
        }
        // Outside China no offset applies.
        assert_eq!(wgs84_to_gcj02(51.5, -0.12), (51.5, -0.12));
    }

    #[test]
    fn a_point_typed_in_gcj02_is_stored_in_cgcs2000() {
        let p = parse_point("22.540796131694766", "113.9171764808363", Crs::Gcj02).unwrap();
        assert_eq!(p, Point { lat_e6: 22_543_847, lng_e6: 113_912_316 });
        let e = parse_point("", "abc", Crs::Cgcs2000).unwrap_err();
        assert_eq!(e.iter().map(|e| e.field).collect::<Vec<_>>(), vec!["lat", "lng"]);
        assert!(Bounds::SHENZHEN.check(Point::from_degrees(113.9, 22.5)).is_err(), "swapped");
        assert!(Bounds::SHENZHEN.check(p).is_ok());
    }

    #[test]
    fn points_inside_and_outside_an_outline_with_a_hole() {
        let sq = |a: i64, b: i64| {
            vec![
                Point { lat_e6: a, lng_e6: a },
                Point { lat_e6: a, lng_e6: b },
                Point { lat_e6: b, lng_e6: b },
                Point { lat_e6: b, lng_e6: a },
            ]
        };
        let poly = vec![vec![sq(0, 100), sq(40, 60)]];
        assert!(outline_contains(&poly, Point { lat_e6: 10, lng_e6: 10 }));
        assert!(!outline_contains(&poly, Point { lat_e6: 50, lng_e6: 50 }));
        assert!(!outline_contains(&poly, Point { lat_e6: 150, lng_e6: 10 }));
    }
}
