//! Charts drawn on the server as SVG: horizontal bars with their labels and values, sized
//! for a 360-pixel-wide phone and printable (no script, no colour needed to read them).

/// Escapes text for SVG.
fn esc(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// A horizontal bar chart of `(label, value)` rows; `title` names it for screen readers.
pub fn bars(title: &str, rows: &[(String, u64)]) -> String {
    const W: u32 = 360;
    const ROW: u32 = 26;
    const LABEL: u32 = 120;
    const VALUE: u32 = 56;
    let max = rows.iter().map(|r| r.1).max().unwrap_or(0).max(1);
    let height = ROW * rows.len() as u32 + 4;
    let mut svg = format!(
        "<svg class=\"chart\" viewBox=\"0 0 {W} {height}\" width=\"100%\" role=\"img\" aria-label=\"{t}\" xmlns=\"http://www.w3.org/2000/svg\"><title>{t}</title>",
        t = esc(title)
    );
    for (i, (label, value)) in rows.iter().enumerate() {
        let y = i as u32 * ROW + 2;
        let width = ((W - LABEL - VALUE) as u64 * value / max) as u32;
        svg.push_str(&format!(
            "<text x=\"{lx}\" y=\"{ty}\" text-anchor=\"end\" font-size=\"13\">{l}</text>\
             <rect x=\"{LABEL}\" y=\"{ry}\" width=\"{width}\" height=\"{h}\" fill=\"#b71c1c\"/>\
             <text x=\"{vx}\" y=\"{ty}\" font-size=\"13\">{value}</text>",
            lx = LABEL - 6,
            ty = y + 17,
            l = esc(label),
            ry = y + 4,
            h = ROW - 8,
            vx = LABEL + width + 4,
        ));
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_scale_to_the_largest_value_and_escape_labels() {
        let svg = bars("年龄", &[("30岁及以下".into(), 40), ("<b>".into(), 10), ("零".into(), 0)]);
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        assert!(svg.contains("width=\"184\""), "the largest bar takes the whole width");
        assert!(svg.contains("width=\"46\""));
        assert!(svg.contains("&lt;b&gt;") && !svg.contains("<b>"));
        assert!(bars("空", &[]).contains("viewBox=\"0 0 360 4\""));
    }
}
