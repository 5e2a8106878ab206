//! Charts drawn on the server as SVG: horizontal bars with their labels and values, sized
//! for a phone and printable (no script, no colour needed to read them).
//!
//! [`bars`] draws one [`Bars`] chart: a visible title, the category axis named above the
//! labels, the value axis named below the bars beside a swatch of the series' colour (one
//! series, so that name is its legend), and `<title>`/`<desc>` for screen readers. Every
//! text is escaped. The SVG scales with the page: [`MIN_FONT`] is the smallest font size
//! that stays at least 12 px on a 390-pixel phone (358 px of content).

use crate::i18n::Tr;

/// The viewBox width.
const W: u32 = 360;
/// The content width of a 390-pixel phone (1 rem of padding either side).
pub const PHONE_WIDTH: u32 = 358;
/// The smallest font size drawn: 12 px once scaled from `W` down to [`PHONE_WIDTH`].
pub const MIN_FONT: u32 = (12 * W).div_ceil(PHONE_WIDTH);
/// The title's font size.
const TITLE_FONT: u32 = MIN_FONT + 3;

/// Escapes text for SVG and XML (the service map, badge sheets and the Atom feed use it too).
pub(crate) fn esc(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// What a bar chart says about itself.
#[derive(Debug, Clone, Copy)]
pub struct Bars<'a> {
    /// Unique on the page; the ids of the title and description derive from it.
    pub id: &'static str,
    /// The chart's title, shown and read out.
    pub title: &'a str,
    /// What the rows are (the category axis): "age band", "year".
    pub category: &'a str,
    /// What the values count (the value axis), which names the one series.
    pub series: &'a str,
}

/// A horizontal bar chart of `(label, value)` rows in `t`'s language.
pub fn bars(t: Tr, chart: &Bars<'_>, rows: &[(String, u64)]) -> String {
    const ROW: u32 = 26;
    const LABEL: u32 = 140;
    const VALUE: u32 = 56;
    const TOP: u32 = 48;
    const BOTTOM: u32 = 30;
    let max = rows.iter().map(|r| r.1).max().unwrap_or(0).max(1);
    let height = TOP + ROW * rows.len() as u32 + BOTTOM;
    let (id, title, category, series) = (chart.id, esc(chart.title), esc(chart.category), esc(chart.series));
    let (colon, sep, open, close) =
        if t.is_en() { (": ", "; ", " (", ")") } else { ("：", "；", "（", "）") };
    let listed: Vec<String> = rows.iter().map(|(l, v)| format!("{}{colon}{v}", esc(l))).collect();
    let desc = if rows.is_empty() {
        format!("{series}{colon}{}", t.l("无数据", "no data"))
    } else {
        format!("{series}{open}{category}{close}{colon}{}", listed.join(sep))
    };
    let mut svg = format!(
        "<svg class=\"chart\" id=\"{id}\" viewBox=\"0 0 {W} {height}\" width=\"100%\" role=\"img\" \
         aria-labelledby=\"{id}-title\" aria-describedby=\"{id}-desc\" xmlns=\"http://www.w3.org/2000/svg\">\
         <title id=\"{id}-title\">{title}</title><desc id=\"{id}-desc\">{desc}</desc>\
         <text x=\"0\" y=\"18\" font-size=\"{TITLE_FONT}\" font-weight=\"700\">{title}</text>\
         <text x=\"{lx}\" y=\"{ay}\" text-anchor=\"end\" font-size=\"{MIN_FONT}\" fill=\"#444\">{category}</text>\
         <line x1=\"{LABEL}\" y1=\"{ly1}\" x2=\"{LABEL}\" y2=\"{ly2}\" stroke=\"#767676\"/>",
        lx = LABEL - 6,
        ay = TOP - 8,
        ly1 = TOP - 2,
        ly2 = height - BOTTOM + 2,
    );
    for (i, (label, value)) in rows.iter().enumerate() {
        let y = TOP + i as u32 * ROW;
        let width = ((W - LABEL - VALUE) as u64 * value / max) as u32;
        svg.push_str(&format!(
            "<text x=\"{lx}\" y=\"{ty}\" text-anchor=\"end\" font-size=\"{MIN_FONT}\">{l}</text>\
             <rect x=\"{LABEL}\" y=\"{ry}\" width=\"{width}\" height=\"{h}\" fill=\"#b71c1c\"/>\
             <text x=\"{vx}\" y=\"{ty}\" font-size=\"{MIN_FONT}\">{value}</text>",
            lx = LABEL - 6,
            ty = y + 17,
            l = esc(label),
            ry = y + 4,
            h = ROW - 8,
            vx = LABEL + width + 4,
        ));
    }
    let base = height - BOTTOM;
    svg.push_str(&format!(
        "<rect x=\"{LABEL}\" y=\"{sy}\" width=\"12\" height=\"12\" fill=\"#b71c1c\"/>\
         <text x=\"{tx}\" y=\"{ty}\" font-size=\"{MIN_FONT}\" fill=\"#444\">{series}</text></svg>",
        sy = base + 10,
        tx = LABEL + 18,
        ty = base + 21,
    ));
    svg
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    const AGE: Bars<'static> =
        Bars { id: "age", title: "年龄", category: "年龄段", series: "党员人数" };

    /// Every `font-size` of the SVG.
    fn font_sizes(svg: &str) -> Vec<u32> {
        svg.split("font-size=\"").skip(1).map(|s| s[..s.find('"').unwrap()].parse().unwrap()).collect()
    }

    /// The viewBox width of the SVG.
    fn view_width(svg: &str) -> u32 {
        let v = svg.split("viewBox=\"0 0 ").nth(1).unwrap();
        v[..v.find(' ').unwrap()].parse().unwrap()
    }

    #[test]
    fn bars_scale_to_the_largest_value_and_escape_labels() {
        let t = Tr::new(Lang::Zh);
        let svg = bars(t, &AGE, &[("30岁及以下".into(), 40), ("<b>".into(), 10), ("零".into(), 0)]);
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        assert!(svg.contains("width=\"164\""), "the largest bar takes the whole width");
        assert!(svg.contains("width=\"41\""));
        assert!(svg.contains("&lt;b&gt;") && !svg.contains("<b>"));
        assert!(bars(t, &AGE, &[]).contains("viewBox=\"0 0 360 78\""));
    }

    #[test]
    fn a_chart_has_a_title_a_description_and_named_axes_all_escaped() {
        let chart = Bars { id: "x", title: "A <b>&</b>", category: "Year \"y\"", series: "<i>n</i>" };
        for t in [Tr::new(Lang::Zh), Tr::new(Lang::En)] {
            let svg = bars(t, &chart, &[("2025 <s>".into(), 3)]);
            assert!(svg.contains("role=\"img\"") && svg.contains("aria-labelledby=\"x-title\""), "{svg}");
            assert!(svg.contains("aria-describedby=\"x-desc\""), "{svg}");
            assert!(svg.contains("<title id=\"x-title\">A &lt;b&gt;&amp;&lt;/b&gt;</title>"), "{svg}");
            let desc = svg.split("<desc id=\"x-desc\">").nth(1).unwrap().split("</desc>").next().unwrap();
            assert!(desc.contains("&lt;i&gt;n&lt;/i&gt;") && desc.contains("2025 &lt;s&gt;"), "{desc}");
            assert!(desc.contains('3') && desc.contains("Year &quot;y&quot;"), "{desc}");
            // Shown too: the title, both axes' names (the value axis naming the one series).
            assert_eq!(svg.matches("A &lt;b&gt;&amp;&lt;/b&gt;</text>").count(), 1, "{svg}");
            assert!(
                svg.contains(">Year &quot;y&quot;</text>") && svg.contains(">&lt;i&gt;n&lt;/i&gt;</text>")
            );
            for raw in ["<b>", "<i>", "<s>", "\"y\""] {
                assert!(!svg.contains(raw), "{raw} unescaped: {svg}");
            }
        }
    }

    #[test]
    fn every_text_is_at_least_12_px_on_a_390_pixel_phone() {
        let svg = bars(Tr::new(Lang::En), &AGE, &[("2025".into(), 3), ("2026".into(), 7)]);
        let sizes = font_sizes(&svg);
        assert_eq!(sizes.len(), 2 * 2 + 3, "two texts a row, the title and two axis names");
        let width = view_width(&svg);
        for size in sizes {
            // Drawn at PHONE_WIDTH pixels for `width` units.
            let px = f64::from(size) * f64::from(PHONE_WIDTH) / f64::from(width);
            assert!(px >= 12.0, "{size} in a {width}-wide viewBox is {px:.2} px on the phone");
        }
        assert_eq!(MIN_FONT, 13, "12 px × 360 / 358 rounds up to 13");
    }
}
