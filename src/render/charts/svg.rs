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

use crate::render::theme::escape_text as escape;

/// A CSS font list for a `style` attribute: the font the text was measured in must win over
/// the stylesheets' rules by `lang` (print.css sets a Song body face on every `[lang]`), and a
/// presentation attribute would lose to them. Only the characters of family names pass.
fn css_font(list: &str) -> String {
    let list: String = list.chars().filter(|c| c.is_alphanumeric() || matches!(c, ' ' | ',' | '-' | '_' | '\'')).collect();
    escape(&list)
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
            // A line with a `lang` of its own sets its font too: the stylesheets' `[lang]` rules
            // would replace the inherited one.
            if line.of.font != self.root_font || line.of.lang != self.root_lang {
                let _ = write!(self.out, r#" style="font-family:{}""#, css_font(&line.of.font));
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

/// Where things go in one drawing.
struct Frame {
    layout: Layout,
    width: f64,
    /// The label column's width (the whole width, stacked).
    label_w: f64,
    /// Where the bars start, and how long the longest may be.
    x0: f64,
    plot_w: f64,
    series: usize,
}

impl Frame {
    fn of(chart: &Chart, layout: Layout, root_font: &str) -> Frame {
        let width = layout.width();
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
        Frame { layout, width, label_w, x0, plot_w: width - x0 - value_w - 4.0, series: chart.series.len().max(1) }
    }
}

impl Svg<'_> {
    /// A swatch and the name of each series, wrapped into rows; returns the next free `y`.
    fn legend(&mut self, chart: &Chart, f: &Frame, mut y: f64) -> f64 {
        if chart.series.len() < 2 {
            return y;
        }
        let mut x = INSET;
        let mut row_h: f64 = 0.0;
        for (j, name) in chart.series.iter().enumerate() {
            let name_lines = lines(name, f.width - INSET - SWATCH - 6.0);
            let w = SWATCH + 6.0 + name_lines.iter().map(|l| for_fonts(&l.of.font).width(&l.text, SIZE)).fold(0.0, f64::max);
            if x > INSET && x + w > f.width {
                x = INSET;
                y += row_h + 4.0;
                row_h = 0.0;
            }
            self.bar(j, x, y + 1.0, SWATCH, SWATCH);
            self.text("legend", x + SWATCH + 6.0, y + SIZE - 1.0, "start", &name_lines);
            row_h = row_h.max(name_lines.len() as f64 * LINE);
            x += w + 16.0;
        }
        y + row_h + 8.0
    }

    /// One unit group from `y`: its axis label, its rows, its axis; returns the next free `y`.
    /// A group of one value draws no bar: alone in its unit it has nothing to be compared
    /// with, and a full bar would look as large as any other group's largest.
    fn group(&mut self, chart: &Chart, group: &super::Group, f: &Frame, mut y: f64) -> f64 {
        let anchor_text = chart.title.first().unwrap_or(&group.axis[0]);
        let axis = lines(&group.axis, f.width - f.x0);
        self.text("axis", f.x0, y + SIZE - 1.0, "start", &axis);
        y += axis.len() as f64 * LINE + 2.0;
        let values = || group.rows.iter().flat_map(|r| r.values.iter().flatten().copied());
        let bars = values().count() > 1;
        let max = nice_max(values().fold(0.0, f64::max));
        let top = y;
        for row in &group.rows {
            let label = lines(&row.label, f.label_w);
            let label_h = label.len() as f64 * LINE;
            let bars_h = f.series as f64 * BAR_STEP;
            let (label_y, bars_y, row_h) = match f.layout {
                // The label beside its bars, centred on them.
                Layout::Wide => {
                    let h = label_h.max(bars_h);
                    (y + (h - label_h) / 2.0 + SIZE - 1.0, y + (h - bars_h) / 2.0, h)
                }
                Layout::Narrow => (y + SIZE - 1.0, y + label_h + 2.0, label_h + 2.0 + bars_h),
            };
            match f.layout {
                Layout::Wide => self.text("label", INSET + f.label_w, label_y, "end", &label),
                Layout::Narrow => self.text("label", INSET, label_y, "start", &label),
            }
            for (j, value) in row.values.iter().enumerate() {
                let by = bars_y + BAR_STEP * j as f64;
                let w = match value {
                    Some(v) if bars => (v.max(0.0) / max * f.plot_w).max(if *v > 0.0 { 1.0 } else { 0.0 }),
                    _ => 0.0,
                };
                if value.is_some() && bars {
                    self.bar(j, f.x0, by, w, BAR);
                }
                let text = row.value_labels.get(j).map(String::as_str).unwrap_or("");
                self.text("value", f.x0 + w + 4.0, by + BAR - 2.0, "start", &[Line { text: text.to_owned(), of: anchor_text }]);
            }
            y += row_h + ROW_GAP;
        }
        let bottom = y - ROW_GAP + 2.0;
        if !bars {
            return bottom + 6.0;
        }
        // The group's axis: its zero line and the end of its scale.
        let (x0, x1) = (f.x0, f.x0 + f.plot_w);
        let _ = write!(self.out, r#"<line class="axis-line" x1="{x0:.1}" x2="{x0:.1}" y1="{:.1}" y2="{bottom:.1}"/>"#, top - 2.0);
        let _ = write!(self.out, r#"<line class="axis-line" x1="{x0:.1}" x2="{x1:.1}" y1="{bottom:.1}" y2="{bottom:.1}"/>"#);
        self.text("tick", x0, bottom + SIZE + 1.0, "start", &[Line { text: format_tick(0.0), of: anchor_text }]);
        self.text("tick", x1, bottom + SIZE + 1.0, "end", &[Line { text: format_tick(max), of: anchor_text }]);
        bottom + LINE + 6.0
    }
}

/// The chart as an SVG element in `layout`.
pub fn draw(chart: &Chart, layout: Layout) -> String {
    let first = chart.title.first();
    let (root_lang, root_font) = first.map_or(("", ""), |t| (t.lang.as_str(), t.font.as_str()));
    let f = Frame::of(chart, layout, root_font);
    let width = f.width;
    let kind = if layout == Layout::Wide { "wide" } else { "narrow" };
    let mut s = Svg { out: String::new(), root_lang, root_font, hatch: format!("{}-{kind}-hatch", escape(&chart.id)) };
    let mut y = s.legend(chart, &f, 4.0);
    for (gi, group) in chart.groups.iter().enumerate() {
        if gi > 0 {
            let _ = write!(s.out, r#"<line class="scale-rule" x1="0" x2="{width}" y1="{y:.1}" y2="{y:.1}"/>"#);
            y += 8.0;
        }
        y = s.group(chart, group, &f, y);
    }
    let height = y.ceil();
    let title: Vec<&str> = chart.title.iter().map(|t| t.text.as_str()).collect();
    let desc: Vec<&str> = chart.description.iter().map(|t| t.text.as_str()).collect();
    format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" role="img" class="chart chart-{kind}" lang="{lang}" viewBox="0 0 {width} {height}" width="{width}" height="{height}" style="font-family:{font};font-size:{SIZE}px"><title>{title}</title><desc>{desc}</desc><defs><pattern id="{hatch}" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect class="hatch-line" width="2" height="6"/></pattern></defs>{body}</svg>"#,
        lang = escape(root_lang),
        font = css_font(root_font),
        title = escape(&title.join(" / ")),
        desc = escape(&desc.join(" / ")),
        hatch = s.hatch,
        body = s.out,
    )
}

/// The height of a drawing, from its `viewBox`.
pub fn height(svg: &str) -> f64 {
    svg.split("viewBox=\"0 0 ").nth(1).and_then(|v| v.split(['"', ' ']).nth(1)).and_then(|h| h.parse().ok()).unwrap_or(0.0)
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
