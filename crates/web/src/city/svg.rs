//! Pictures drawn on the server, with no outside request: the service map (district
//! outlines and places as SVG, in an equirectangular projection scaled at the region's
//! middle latitude) and the printable A4 sheets of badge cards and 先锋岗 stickers with
//! their QR codes.

use crate::charts::esc;
use pioneer_domain::city::geo::{Bounds, Point};
use pioneer_store::city::map::{District, PlaceRecord};
use std::fmt::Write;

/// The map's width in SVG units.
const WIDTH: f64 = 1000.0;

/// Where points land on the drawing.
struct Projection {
    min: Point,
    scale_x: f64,
    scale_y: f64,
    height: f64,
}

impl Projection {
    fn new(b: &Bounds) -> Self {
        let mid = ((b.min.lat() + b.max.lat()) / 2.0).to_radians().cos();
        let w = ((b.max.lng_e6 - b.min.lng_e6) as f64 * mid).max(1.0);
        let h = ((b.max.lat_e6 - b.min.lat_e6) as f64).max(1.0);
        let scale = WIDTH / w;
        Self { min: b.min, scale_x: scale * mid, scale_y: scale, height: (h * scale).ceil() }
    }

    fn xy(&self, p: Point) -> (f64, f64) {
        let x = (p.lng_e6 - self.min.lng_e6) as f64 * self.scale_x;
        let y = self.height - (p.lat_e6 - self.min.lat_e6) as f64 * self.scale_y;
        (x, y)
    }
}

/// The colour class of a place kind (`k0`…`k8`, in `PlaceKind::ALL` order).
pub fn kind_class(kind: &str) -> usize {
    pioneer_domain::city::places::PlaceKind::ALL.iter().position(|k| k.code() == kind).unwrap_or(0)
}

/// The map: outlines, their names, and each place as a dot linking to `{link}{id}` (a
/// place with a shift under way drawn larger). Labels come from `title_of`.
pub fn map(
    districts: &[District],
    places: &[PlaceRecord],
    busy: &[uuid::Uuid],
    link: &str,
    caption: &str,
) -> String {
    let region = pioneer_store::Store::region_of(districts);
    let pad = Bounds {
        min: Point { lat_e6: region.min.lat_e6 - 5_000, lng_e6: region.min.lng_e6 - 5_000 },
        max: Point { lat_e6: region.max.lat_e6 + 5_000, lng_e6: region.max.lng_e6 + 5_000 },
    };
    let pr = Projection::new(&pad);
    let mut s = String::with_capacity(64 * places.len() + 4096);
    let _ = write!(
        s,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {WIDTH} {h}\" class=\"map\" role=\"img\" aria-label=\"{caption}\">",
        h = pr.height,
        caption = esc(caption)
    );
    for d in districts {
        s.push_str("<path class=\"district\" d=\"");
        for ring in d.outline.iter().flatten() {
            for (i, p) in ring.iter().enumerate() {
                let (x, y) = pr.xy(*p);
                let _ = write!(s, "{}{x:.1} {y:.1}", if i == 0 { "M" } else { "L" });
            }
            s.push('Z');
        }
        s.push_str("\"/>");
    }
    for d in districts {
        if let Some(c) = centroid(d) {
            let (x, y) = pr.xy(c);
            let _ = write!(s, "<text class=\"dname\" x=\"{x:.0}\" y=\"{y:.0}\">{}</text>", esc(&d.name));
        }
    }
    for p in places {
        let (x, y) = pr.xy(p.point);
        let r = if busy.contains(&p.id) { 11 } else { 7 };
        let _ = write!(
            s,
            "<a href=\"{link}{id}\"><circle cx=\"{x:.0}\" cy=\"{y:.0}\" r=\"{r}\" class=\"k{k}\"><title>{name}</title></circle></a>",
            id = p.id,
            k = kind_class(&p.kind),
            name = esc(&p.name)
        );
    }
    s.push_str("</svg>");
    s
}

/// The middle of a district's largest outer ring's bounds (where its name is written).
fn centroid(d: &District) -> Option<Point> {
    let ring = d.outline.iter().filter_map(|poly| poly.first()).max_by_key(|r| r.len())?;
    let b = Bounds::around(ring.iter())?;
    Some(Point { lat_e6: (b.min.lat_e6 + b.max.lat_e6) / 2, lng_e6: (b.min.lng_e6 + b.max.lng_e6) / 2 })
}

/// A QR code of `text` as one SVG path at (`x`, `y`), `size` mm square (quiet zone inside).
fn qr_path(text: &str, x: f64, y: f64, size: f64) -> String {
    let Ok(code) = qrcode::QrCode::new(text.as_bytes()) else { return String::new() };
    let width = code.width();
    let colors = code.to_colors();
    let cell = size / (width as f64 + 8.0);
    let mut d = String::new();
    for (i, c) in colors.iter().enumerate() {
        if *c == qrcode::Color::Dark {
            let (col, row) = ((i % width) as f64 + 4.0, (i / width) as f64 + 4.0);
            let _ = write!(d, "M{:.2} {:.2}h{cell:.2}v{cell:.2}h-{cell:.2}z", x + col * cell, y + row * cell);
        }
    }
    format!(
        "<rect x=\"{x}\" y=\"{y}\" width=\"{size}\" height=\"{size}\" fill=\"#fff\"/><path d=\"{d}\" fill=\"#000\"/>"
    )
}

/// One card or sticker to print: its title lines, number and verification address.
pub struct Printable {
    /// The lines under the emblem (organisation, station or plate).
    pub lines: Vec<String>,
    /// The number.
    pub number: String,
    /// The verification address the QR code carries.
    pub url: String,
}

/// An A4 page (210 × 297 mm) of badge cards (85.6 × 54 mm, 2 × 5) or stickers (90 × 90
/// mm, 2 × 3), with cutting outlines.
pub fn sheet(items: &[Printable], sticker: bool, heading: &str) -> String {
    let (w, h, cols, rows) = if sticker { (90.0, 90.0, 2, 3) } else { (85.6, 54.0, 2, 5) };
    let gap_x = (210.0 - w * cols as f64) / (cols as f64 + 1.0);
    let gap_y = (297.0 - 12.0 - h * rows as f64) / (rows as f64 + 1.0);
    let mut s = String::from(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"210mm\" height=\"297mm\" viewBox=\"0 0 210 297\" \
         font-family=\"WenQuanYi Micro Hei, Noto Sans CJK SC, sans-serif\">",
    );
    let _ = write!(
        s,
        "<text x=\"105\" y=\"8\" font-size=\"4\" text-anchor=\"middle\" fill=\"#666\">{}</text>",
        esc(heading)
    );
    for (i, it) in items.iter().take(cols * rows).enumerate() {
        let (c, r) = (i % cols, i / cols);
        let x = gap_x + c as f64 * (w + gap_x);
        let y = 12.0 + gap_y + r as f64 * (h + gap_y);
        let _ = write!(
            s,
            "<rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{w}\" height=\"{h}\" rx=\"3\" fill=\"#fff\" stroke=\"#c00\" stroke-width=\"0.6\" stroke-dasharray=\"2 1\"/>"
        );
        let title = if sticker { "党员先锋岗" } else { "共产党员" };
        let (ty, fs) = if sticker { (y + 16.0, 11.0) } else { (y + 11.0, 7.0) };
        let _ = write!(
            s,
            "<rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{w}\" height=\"{hh:.1}\" rx=\"3\" fill=\"#c00\"/>\
             <text x=\"{cx:.1}\" y=\"{ty:.1}\" font-size=\"{fs}\" fill=\"#ffd700\" text-anchor=\"middle\" font-weight=\"bold\">{title}</text>",
            hh = if sticker { 22.0 } else { 15.0 },
            cx = x + w / 2.0
        );
        let qr = if sticker { 46.0 } else { 34.0 };
        let (qx, qy) = if sticker { (x + (w - qr) / 2.0, y + 26.0) } else { (x + w - qr - 2.0, y + 17.0) };
        s.push_str(&qr_path(&it.url, qx, qy, qr));
        let (lx, mut ly, anchor) =
            if sticker { (x + w / 2.0, y + 78.0, "middle") } else { (x + 4.0, y + 24.0, "start") };
        for line in &it.lines {
            let _ = write!(
                s,
                "<text x=\"{lx:.1}\" y=\"{ly:.1}\" font-size=\"3.6\" text-anchor=\"{anchor}\">{}</text>",
                esc(line)
            );
            ly += 5.0;
        }
        let _ = write!(
            s,
            "<text x=\"{lx:.1}\" y=\"{ny:.1}\" font-size=\"3.2\" text-anchor=\"{anchor}\" fill=\"#444\">No. {}</text>",
            esc(&it.number),
            ny = if sticker { y + h - 4.0 } else { y + h - 5.0 }
        );
        if !sticker {
            let _ = write!(
                s,
                "<text x=\"{lx:.1}\" y=\"{:.1}\" font-size=\"2.6\" fill=\"#666\">扫码核验 · scan to verify</text>",
                y + h - 10.0
            );
        }
    }
    s.push_str("</svg>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sheet_holds_its_cards_and_their_codes() {
        let items: Vec<Printable> = (0..12)
            .map(|i| Printable {
                lines: vec!["骑手流动党支部".into()],
                number: format!("SZ-{i}"),
                url: "http://x/v/abc".into(),
            })
            .collect();
        let s = sheet(&items, false, "<页>");
        assert_eq!(s.matches("No. SZ-").count(), 10, "2 × 5 cards fit an A4 page");
        assert!(s.contains("&lt;页&gt;") && s.contains("<path d=\"M"));
        assert_eq!(sheet(&items, true, "").matches("No. ").count(), 6);
    }
}
