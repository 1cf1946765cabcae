//! Charts as inline SVG, drawn at build time from the data: exact in print, no script, and
//! readable by screen readers (`<title>`, `<desc>`, `role="img"`). Every chart's numbers are
//! also given in a table by the templates.

use std::fmt::Write as _;

/// One horizontal bar group: a label and one value per series.
pub struct Row {
    pub label: String,
    pub values: Vec<f64>,
    /// Text written at the end of each bar (already localised).
    pub value_labels: Vec<String>,
    /// Rows with the same key share a scale (e.g. one unit of measure); values in different
    /// units are never drawn against each other. `None` rows share one common scale.
    pub scale: Option<String>,
}

pub struct BarChart<'a> {
    pub title: &'a str,
    pub description: &'a str,
    pub series: Vec<String>,
    pub rows: Vec<Row>,
    /// CSS font-family list, set as an attribute so print engines use it.
    pub font_family: &'a str,
    /// `lang` of the chart text.
    pub lang: &'a str,
}

/// Series are coloured by class (`series-0`…), from the theme's palette (`--chart-1`… in
/// style.css and print.css), so a theme recolours its charts with its pages; three, then again.
const SERIES_CLASSES: usize = 3;

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// Rough width of a label in px at 12px: CJK characters are square, Latin about half.
fn label_width(s: &str) -> f64 {
    s.chars().map(|c| if crate::render::markdown::is_cjk(c) { 12.0 } else { 6.6 }).sum()
}

impl BarChart<'_> {
    pub fn to_svg(&self) -> String {
        let width = 640.0;
        let label_w = self.rows.iter().map(|r| label_width(&r.label)).fold(60.0_f64, f64::max).min(260.0) + 8.0;
        let bar_h = 14.0;
        let gap = 10.0;
        let series = self.series.len().max(1) as f64;
        let group_h = bar_h * series + gap;
        let legend_h = if self.series.len() > 1 { 24.0 } else { 0.0 };
        let height = legend_h + group_h * self.rows.len() as f64 + 8.0;
        let max_of = |scale: &Option<String>| {
            self.rows.iter().filter(|r| &r.scale == scale).flat_map(|r| r.values.iter().copied()).fold(0.0_f64, f64::max).max(1e-9)
        };
        let plot_w = width - label_w - 90.0;
        let mut svg = String::new();
        let _ = write!(
            svg,
            r##"<svg xmlns="http://www.w3.org/2000/svg" role="img" class="chart" lang="{lang}" viewBox="0 0 {width} {height}" width="100%" font-family="{font}" font-size="12"><title>{title}</title><desc>{desc}</desc>"##,
            lang = escape(self.lang),
            font = escape(self.font_family),
            title = escape(self.title),
            desc = escape(self.description),
        );
        if self.series.len() > 1 {
            let mut x = label_w;
            for (i, name) in self.series.iter().enumerate() {
                let _ = write!(
                    svg,
                    r##"<rect x="{x}" y="4" width="12" height="12" class="series-{}"/><text x="{}" y="14">{}</text>"##,
                    i % SERIES_CLASSES,
                    x + 16.0,
                    escape(name)
                );
                x += 28.0 + label_width(name);
            }
        }
        for (i, row) in self.rows.iter().enumerate() {
            let y0 = legend_h + group_h * i as f64;
            let max = max_of(&row.scale);
            if i > 0 && row.scale.is_some() && self.rows[i - 1].scale != row.scale {
                // A rule between scales, so that bars of different units are not compared.
                let _ = write!(
                    svg,
                    r##"<line x1="0" x2="{width}" y1="{y}" y2="{y}" class="scale-rule" stroke-width="0.6"/>"##,
                    y = y0 - gap / 2.0
                );
            }
            let _ = write!(
                svg,
                r##"<text x="{}" y="{}" text-anchor="end">{}</text>"##,
                label_w - 8.0,
                y0 + bar_h * series / 2.0 + 4.0,
                escape(&truncate(&row.label, 24))
            );
            for (j, value) in row.values.iter().enumerate() {
                let y = y0 + bar_h * j as f64;
                let w = (value / max * plot_w).max(if *value > 0.0 { 1.0 } else { 0.0 });
                let label = row.value_labels.get(j).map(String::as_str).unwrap_or("");
                let _ = write!(
                    svg,
                    r##"<rect x="{label_w}" y="{y}" width="{w:.1}" height="{}" class="series-{}"/><text x="{:.1}" y="{}">{}</text>"##,
                    bar_h - 2.0,
                    j % SERIES_CLASSES,
                    label_w + w + 4.0,
                    y + bar_h - 4.0,
                    escape(label)
                );
            }
        }
        svg.push_str("</svg>");
        svg
    }
}

fn truncate(s: &str, max_chars: usize) -> String {
    if s.chars().count() <= max_chars {
        s.to_owned()
    } else {
        let mut t: String = s.chars().take(max_chars - 1).collect();
        t.push('…');
        t
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn svg_has_title_desc_font_and_bars() {
        let chart = BarChart {
            title: "目标与完成",
            description: "按任务",
            series: vec!["目标".into(), "完成".into()],
            rows: vec![Row {
                label: "任务一 <b>".into(), values: vec![1.0, 2.0], value_labels: vec!["1".into(), "2".into()], scale: None
            }],
            font_family: "WenQuanYi Zen Hei, sans-serif",
            lang: "zh-Hans",
        }
        .to_svg();
        assert!(chart.starts_with("<svg") && chart.ends_with("</svg>"));
        assert!(chart.contains("<title>目标与完成</title><desc>按任务</desc>"));
        assert!(chart.contains("font-family=\"WenQuanYi Zen Hei, sans-serif\""));
        assert!(chart.contains("任务一 &lt;b&gt;"));
        assert_eq!(chart.matches("<rect").count(), 2 + 2, "two legend swatches, two bars");
        // Colours come from the theme's palette through classes, never from here.
        assert_eq!(chart.matches("class=\"series-0\"").count(), 2, "target swatch and bar");
        assert_eq!(chart.matches("class=\"series-1\"").count(), 2, "achieved swatch and bar");
        assert!(!chart.contains('#') && !chart.contains("fill="), "a raw colour in the chart: {chart}");
    }
}
