//! Drawing a [`Chart`] as SVG, in two layouts: `Wide` (labels in a column left of the bars:
//! desktop and print) and `Narrow` (each label on its own lines above its bars: phones, shown
//! below 40em by the stylesheet). Text is 12 units high in both; the viewBox widths are chosen
//! so that it prints at 7 pt or more on A5 and shows at 12 px or more on a 390 px phone
//! (docs/templates.md, "Charts"). Colours are the theme's, through classes.

use std::fmt::Write as _;

use super::metrics::for_fonts;
use super::{Chart, Text};

#[derive(Clone, Copy, PartialEq)]
pub enum Layout {
    Wide,
    Narrow,
}

const SIZE: f64 = 12.0;
const LINE: f64 = 15.0;
const BAR: f64 = 12.0;
const BAR_STEP: f64 = 14.0;
const ROW_GAP: f64 = 8.0;
const SWATCH: f64 = 12.0;
/// Space kept clear inside the left edge (a glyph's side bearing may reach out of its advance).
const INSET: f64 = 2.0;

impl Layout {
    fn width(self) -> f64 {
        match self {
            Layout::Wide => 480.0,
            Layout::Narrow => 300.0,
        }
    }
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// A line of text with the language and font it is set in.
struct Line<'a> {
    text: String,
    of: &'a Text,
}

/// Every text wrapped to `max`, each language starting a new line.
fn lines<'a>(texts: &'a [Text], max: f64) -> Vec<Line<'a>> {
    texts.iter().flat_map(|t| for_fonts(&t.font).wrap(&t.text, SIZE, max).into_iter().map(move |text| Line { text, of: t })).collect()
}

fn widest(texts: &[Text]) -> f64 {
    texts.iter().map(|t| for_fonts(&t.font).width(&t.text, SIZE)).fold(0.0, f64::max)
}

/// The smallest round number (1, 1.5, 2, 2.5, 3, 4, 5, 6, 8 × 10ⁿ) at or above `max`: the
/// end of a group's axis.
fn nice_max(max: f64) -> f64 {
    if max <= 0.0 {
        return 1.0;
    }
    let step = 10f64.powf(max.log10().floor());
    [1.0, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0].iter().map(|m| m * step).find(|v| *v >= max * (1.0 - 1e-9)).unwrap_or(10.0 * step)
}

struct Svg<'a> {
    out: String,
    root_lang: &'a str,
    root_font: &'a str,
    /// The id of this drawing's hatch pattern (each drawing its own: a pattern in the hidden
    /// drawing of a page does not paint the shown one).
    hatch: String,
}

impl Svg<'_> {
    /// `<text>` of `lines` from baseline `y`, one `<tspan>` a line; a line in another
    /// language or font than the chart's says so.
    fn text(&mut self, class: &str, x: f64, y: f64, anchor: &str, lines: &[Line]) {
        let _ = write!(self.out, r#"<text class="{class}" x="{x:.1}" y="{y:.1}" text-anchor="{anchor}">"#);
        for (i, line) in lines.iter().enumerate() {
            let dy = if i == 0 { 0.0 } else { LINE };
            let _ = write!(self.out, r#"<tspan x="{x:.1}" dy="{dy}""#);
            if line.of.lang != self.root_lang {
                let _ = write!(self.out, r#" lang="{}""#, escape(&line.of.lang));
            }
            if line.of.font != self.root_font {
                let _ = write!(self.out, r#" font-family="{}""#, escape(&line.of.font));
            }
            let _ = write!(self.out, ">{}</tspan>", escape(&line.text));
        }
        self.out.push_str("</text>");
    }

    /// A bar (or legend swatch) of series `j`: solid, hatched, outlined, so that no series is
    /// told by colour alone.
    fn bar(&mut self, j: usize, x: f64, y: f64, w: f64, h: f64) {
        let _ = write!(self.out, r#"<rect class="bar series-{}" x="{x:.1}" y="{y:.1}" width="{w:.1}" height="{h:.1}"/>"#, j % 3);
        if j % 3 == 1 && w > 0.0 {
            let _ = write!(
                self.out,
                r#"<rect class="hatch" x="{x:.1}" y="{y:.1}" width="{w:.1}" height="{h:.1}" fill="url(#{})"/>"#,
                self.hatch
            );
        }
    }
}

/// The chart as an SVG element in `layout`.
pub fn draw(chart: &Chart, layout: Layout) -> String {
    let width = layout.width();
    let first = chart.title.first();
    let (root_lang, root_font) = first.map_or(("", ""), |t| (t.lang.as_str(), t.font.as_str()));
    let series = chart.series.len().max(1);
    // Label column (wide): as wide as the widest label, at most 40 % of the chart.
    let all_labels = chart.groups.iter().flat_map(|g| &g.rows).map(|r| widest(&r.label)).fold(0.0, f64::max);
    let label_w = match layout {
        Layout::Wide => all_labels.min(width * 0.4).max(40.0),
        Layout::Narrow => width - 2.0 * INSET,
    };
    let value_w = chart
        .groups
        .iter()
        .flat_map(|g| &g.rows)
        .flat_map(|r| &r.value_labels)
        .map(|v| for_fonts(root_font).width(v, SIZE))
        .fold(SIZE * 2.0, f64::max)
        + 4.0;
    let x0 = match layout {
        Layout::Wide => INSET + label_w + 10.0,
        Layout::Narrow => INSET,
    };
    let plot_w = width - x0 - value_w - 4.0;

    let kind = if layout == Layout::Wide { "wide" } else { "narrow" };
    let mut s = Svg { out: String::new(), root_lang, root_font, hatch: format!("{}-{kind}-hatch", escape(&chart.id)) };
    let mut y = 4.0;
    // Legend: a swatch and the name of each series, wrapped into rows.
    if chart.series.len() > 1 {
        let mut x = INSET;
        let mut row_h: f64 = 0.0;
        for (j, name) in chart.series.iter().enumerate() {
            let name_lines = lines(name, width - INSET - SWATCH - 6.0);
            let w = SWATCH + 6.0 + name_lines.iter().map(|l| for_fonts(&l.of.font).width(&l.text, SIZE)).fold(0.0, f64::max);
            if x > INSET && x + w > width {
                x = INSET;
                y += row_h + 4.0;
                row_h = 0.0;
            }
            s.bar(j, x, y + 1.0, SWATCH, SWATCH);
            s.text("legend", x + SWATCH + 6.0, y + SIZE - 1.0, "start", &name_lines);
            row_h = row_h.max(name_lines.len() as f64 * LINE);
            x += w + 16.0;
        }
        y += row_h + 8.0;
    }
    for (gi, group) in chart.groups.iter().enumerate() {
        if gi > 0 {
            let _ = write!(s.out, r#"<line class="scale-rule" x1="0" x2="{width}" y1="{y:.1}" y2="{y:.1}"/>"#);
            y += 8.0;
        }
        let axis = lines(&group.axis, width - x0);
        s.text("axis", x0, y + SIZE - 1.0, "start", &axis);
        y += axis.len() as f64 * LINE + 2.0;
        let max = nice_max(group.rows.iter().flat_map(|r| r.values.iter().flatten().copied()).fold(0.0, f64::max));
        let top = y;
        for row in &group.rows {
            let label = lines(&row.label, label_w);
            let label_h = label.len() as f64 * LINE;
            let bars_h = series as f64 * BAR_STEP;
            let (label_y, bars_y, row_h) = match layout {
                // The label beside its bars, centred on them.
                Layout::Wide => {
                    let h = label_h.max(bars_h);
                    (y + (h - label_h) / 2.0 + SIZE - 1.0, y + (h - bars_h) / 2.0, h)
                }
                Layout::Narrow => (y + SIZE - 1.0, y + label_h + 2.0, label_h + 2.0 + bars_h),
            };
            match layout {
                Layout::Wide => s.text("label", INSET + label_w, label_y, "end", &label),
                Layout::Narrow => s.text("label", INSET, label_y, "start", &label),
            }
            for (j, value) in row.values.iter().enumerate() {
                let by = bars_y + BAR_STEP * j as f64;
                let w = value.map_or(0.0, |v| (v.max(0.0) / max * plot_w).max(if v > 0.0 { 1.0 } else { 0.0 }));
                if value.is_some() {
                    s.bar(j, x0, by, w, BAR);
                }
                let text = row.value_labels.get(j).map(String::as_str).unwrap_or("");
                let value_line = [Line { text: text.to_owned(), of: chart.title.first().unwrap_or(&row.label[0]) }];
                s.text("value", x0 + w + 4.0, by + BAR - 2.0, "start", &value_line);
            }
            y += row_h + ROW_GAP;
        }
        // The group's axis: its zero line and the end of its scale.
        let bottom = y - ROW_GAP + 2.0;
        let _ = write!(s.out, r#"<line class="axis-line" x1="{x0:.1}" x2="{x0:.1}" y1="{:.1}" y2="{bottom:.1}"/>"#, top - 2.0);
        let _ = write!(s.out, r#"<line class="axis-line" x1="{x0:.1}" x2="{:.1}" y1="{bottom:.1}" y2="{bottom:.1}"/>"#, x0 + plot_w);
        let fmt = |v: f64| format_tick(v);
        let ticks = [Line { text: fmt(0.0), of: first.unwrap_or(&group.axis[0]) }];
        s.text("tick", x0, bottom + SIZE + 1.0, "start", &ticks);
        let end = [Line { text: fmt(max), of: first.unwrap_or(&group.axis[0]) }];
        s.text("tick", x0 + plot_w, bottom + SIZE + 1.0, "end", &end);
        y = bottom + LINE + 6.0;
    }
    let height = y.ceil();
    let title: Vec<&str> = chart.title.iter().map(|t| t.text.as_str()).collect();
    let desc: Vec<&str> = chart.description.iter().map(|t| t.text.as_str()).collect();
    format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" role="img" class="chart chart-{kind}" lang="{lang}" viewBox="0 0 {width} {height}" width="{width}" height="{height}" font-family="{font}" font-size="{SIZE}"><title>{title}</title><desc>{desc}</desc><defs><pattern id="{hatch}" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect class="hatch-line" width="2" height="6"/></pattern></defs>{body}</svg>"#,
        lang = escape(root_lang),
        font = escape(root_font),
        title = escape(&title.join(" / ")),
        desc = escape(&desc.join(" / ")),
        hatch = s.hatch,
        body = s.out,
    )
}

/// An axis end: a plain number with thousands grouped (`40,000`), the same in every language.
fn format_tick(v: f64) -> String {
    let int = format!("{}", v.round() as i64);
    if v.fract().abs() > 1e-9 {
        return format!("{v}");
    }
    let mut out = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn axis_ends_are_round() {
        assert_eq!(nice_max(38_400.0), 40_000.0);
        assert_eq!(nice_max(1.0), 1.0);
        assert_eq!(nice_max(12.0), 15.0);
        assert_eq!(nice_max(85.0), 100.0);
        assert_eq!(nice_max(2.2), 2.5);
        assert_eq!(nice_max(0.0), 1.0);
        assert_eq!(format_tick(40_000.0), "40,000");
        assert_eq!(format_tick(2.5), "2.5");
    }
}
