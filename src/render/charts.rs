//! Charts as inline SVG, drawn at build time from the data: exact in print, no script, and
//! readable by screen readers (`<title>`, `<desc>`, `role="img"`). One chart model serves the
//! website and every booklet: `partials/chart.html` draws the figure (a wide SVG, a stacked
//! one for phones) and the table of the same numbers from it, and the `chart` filter merges
//! the editions of a bilingual booklet into one chart with both languages' labels.
//!
//! Rows are in unit groups: each group has its own scale and an axis label naming the unit,
//! so bars of different units are never drawn against each other and rows of one unit always
//! share a scale. Text widths come from the chart font's metrics (`metrics.rs`): labels wrap,
//! nothing is cut.

mod metrics;
mod svg;

use serde::{Deserialize, Serialize};

pub use metrics::{for_fonts, Metrics};

/// A piece of chart text in one language, with the CSS font list it is set in.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Text {
    pub text: String,
    /// The BCP 47 tag (`zh-Hans`, `en`).
    pub lang: String,
    pub font: String,
    /// `ltr`/`rtl` where the text fell back to a language of another direction than the
    /// page's (empty: the page's).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub dir: String,
}

/// Texts of one language make a monolingual chart; a bilingual chart has one per language.
pub type Texts = Vec<Text>;

/// One group of bars: a label and one value per series (`None`: nothing to draw, shown `—`).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Row {
    pub label: Texts,
    pub values: Vec<Option<f64>>,
    /// Each value as written at the end of its bar and in the table (already localised; the
    /// unit is the group's axis label).
    pub value_labels: Vec<String>,
}

/// Rows of one unit, drawn to one scale.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Group {
    /// Names the unit (`单位：人次`).
    pub axis: Texts,
    pub rows: Vec<Row>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Chart {
    /// Unique in its page: the SVGs' pattern ids derive from it.
    pub id: String,
    pub title: Texts,
    pub description: Texts,
    /// The head of the table's first column (what the rows are: indicator, partner, year).
    pub label_header: Texts,
    /// The summary of the table's `<details>` (`图表数据`).
    pub data_label: Texts,
    pub series: Vec<Texts>,
    pub groups: Vec<Group>,
}

/// What a template gets: the chart's data (for the table) and its two drawings.
#[derive(Serialize)]
struct Drawn<'a> {
    #[serde(flatten)]
    chart: &'a Chart,
    svg: String,
    svg_narrow: String,
}

impl Chart {
    /// One text of the chart's language.
    pub fn text(text: impl Into<String>, lang: &str, font: &str) -> Texts {
        vec![Text { text: text.into(), lang: lang.to_owned(), font: font.to_owned(), dir: String::new() }]
    }

    pub fn is_empty(&self) -> bool {
        self.groups.iter().all(|g| g.rows.is_empty())
    }

    /// The chart for templates: its data with the wide and the narrow SVG.
    pub fn to_value(&self) -> serde_json::Value {
        let drawn = Drawn { chart: self, svg: svg::draw(self, svg::Layout::Wide), svg_narrow: svg::draw(self, svg::Layout::Narrow) };
        serde_json::to_value(drawn).unwrap_or_default()
    }

    /// The chart in parts of whole unit groups, each part (with its legend) at most `budget`
    /// units tall in the wide drawing where a group allows: a booklet prints each part as its
    /// own figure, which may go to the next page, instead of shrinking one tall chart below a
    /// readable size (A5). The parts' ids are the chart's with `-1`, `-2`, … after the first.
    pub fn split(&self, budget: f64) -> Vec<Chart> {
        let part = |groups: &[Group], k: usize| Chart {
            id: if k == 0 { self.id.clone() } else { format!("{}-{}", self.id, k + 1) },
            groups: groups.to_vec(),
            ..self.clone()
        };
        let mut parts: Vec<Chart> = Vec::new();
        let mut start = 0;
        for end in 1..=self.groups.len() {
            // The groups start..end as one part; past the budget, end-1 closes the part before.
            if end - start > 1 && svg::height(&svg::draw(&part(&self.groups[start..end], 0), svg::Layout::Wide)) > budget {
                parts.push(part(&self.groups[start..end - 1], parts.len()));
                start = end - 1;
            }
        }
        if start < self.groups.len() || parts.is_empty() {
            parts.push(part(&self.groups[start..], parts.len()));
        }
        parts
    }

    /// The charts of the editions of a bilingual booklet as one: every text in each language,
    /// the numbers of the first (the editions are drawn from one model, row for row).
    pub fn merge(charts: &[Chart]) -> Option<Chart> {
        let (first, rest) = charts.split_first()?;
        let mut merged = first.clone();
        for other in rest {
            let join = |a: &mut Texts, b: &Texts| a.extend(b.iter().cloned());
            join(&mut merged.title, &other.title);
            join(&mut merged.description, &other.description);
            join(&mut merged.label_header, &other.label_header);
            join(&mut merged.data_label, &other.data_label);
            for (a, b) in merged.series.iter_mut().zip(&other.series) {
                join(a, b);
            }
            for (ga, gb) in merged.groups.iter_mut().zip(&other.groups) {
                join(&mut ga.axis, &gb.axis);
                for (ra, rb) in ga.rows.iter_mut().zip(&gb.rows) {
                    join(&mut ra.label, &rb.label);
                }
            }
        }
        Some(merged)
    }
}

/// Registers `chart`: `[e.charts.targets for e in editions] | chart` is one chart of every
/// edition's (a bilingual booklet draws one bilingual chart), ready for `partials/chart.html`.
/// `| chart(split=H)` gives the parts of [`Chart::split`] instead, a list.
pub fn register_filters(tera: &mut tera::Tera) {
    tera.register_filter("chart", |value: &tera::Value, kwargs: tera::Kwargs, _: &tera::State| -> tera::TeraResult<tera::Value> {
        let split: Option<f64> = kwargs.get("split")?;
        let json = serde_json::to_value(value).map_err(|e| tera::Error::message(e.to_string()))?;
        let list = match json {
            serde_json::Value::Array(list) => list,
            one => vec![one],
        };
        let charts: Vec<Chart> = list
            .into_iter()
            .filter(|v| !v.is_null())
            .map(serde_json::from_value)
            .collect::<Result<_, _>>()
            .map_err(|e| tera::Error::message(format!("chart: not a chart ({e})")))?;
        Ok(match (Chart::merge(&charts), split) {
            (Some(chart), None) => tera::Value::from_serializable(&chart.to_value()),
            (Some(chart), Some(budget)) => {
                tera::Value::from_serializable(&chart.split(budget).iter().map(Chart::to_value).collect::<Vec<_>>())
            }
            (None, None) => tera::Value::none(),
            (None, Some(_)) => tera::Value::from_serializable(&Vec::<serde_json::Value>::new()),
        })
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(lang: &str, font: &str, label: &str) -> Chart {
        let t = |s: &str| Chart::text(s, lang, font);
        Chart {
            id: "chart-x".into(),
            title: t("目标与完成"),
            description: t("按任务"),
            label_header: t("指标"),
            data_label: t("图表数据"),
            series: vec![t("目标"), t("完成")],
            groups: vec![
                Group {
                    axis: t("单位：人次"),
                    rows: vec![Row {
                        label: t(label),
                        values: vec![Some(38_400.0), Some(20_000.0)],
                        value_labels: vec!["38,400".into(), "20,000".into()],
                    }],
                },
                Group {
                    axis: t("单位：次"),
                    rows: vec![Row { label: t("会议"), values: vec![Some(1.0), None], value_labels: vec!["1".into(), "—".into()] }],
                },
            ],
        }
    }

    #[test]
    fn svg_has_title_desc_font_classes_and_no_raw_colour() {
        let v = sample("zh-Hans", "WenQuanYi Zen Hei, sans-serif", "任务一 <b>").to_value();
        let chart = v["svg"].as_str().unwrap();
        assert!(chart.starts_with("<svg") && chart.ends_with("</svg>"));
        assert!(chart.contains("<title>目标与完成</title><desc>按任务</desc>"));
        assert!(chart.contains("style=\"font-family:WenQuanYi Zen Hei, sans-serif;font-size:12px\""), "{chart}");
        assert!(chart.contains("任务一 &lt;b&gt;"));
        assert!(chart.contains("单位：人次") && chart.contains("单位：次"), "an axis label per unit");
        // Colours come from the theme's palette through classes, never from here.
        assert!(chart.contains("class=\"bar series-0\"") && chart.contains("class=\"bar series-1\""));
        assert!(!chart.contains("fill=\"#") && !chart.contains("stroke=\"#") && !chart.contains("rgb("), "a raw colour: {chart}");
        assert!(v["svg_narrow"].as_str().unwrap().contains("viewBox=\"0 0 300 "));
    }

    #[test]
    fn a_unit_group_is_its_own_scale() {
        let svg = sample("en", "DejaVu Sans, sans-serif", "People trained").to_value()["svg"].as_str().unwrap().to_owned();
        let widths: Vec<f64> = svg
            .split("class=\"bar series-0\"")
            .skip(2) // the legend's swatch
            .map(|s| s.split("width=\"").nth(1).unwrap().split('"').next().unwrap().parse().unwrap())
            .collect();
        // 38,400 人次 on its axis to 40,000 (with 20,000 of its unit); 1 次, alone in its unit,
        // has no bar at all: nothing to compare it with, and a full bar would look like 38,400's.
        assert_eq!(widths.len(), 1, "{svg}");
        assert!(svg.contains(">40,000</tspan>"), "{svg}");
        let lone = svg.split("单位：次").nth(1).unwrap();
        assert!(!lone.contains("<rect") && lone.contains(">1</tspan>"), "{lone}");
    }

    #[test]
    fn a_tall_chart_splits_into_parts_of_whole_unit_groups() {
        let chart = sample("en", "DejaVu Sans, sans-serif", "People trained");
        let whole = svg::height(&svg::draw(&chart, svg::Layout::Wide));
        assert_eq!(chart.split(whole).len(), 1, "it fits: one part");
        let parts = chart.split(whole - 1.0);
        assert_eq!(parts.iter().map(|p| p.groups.len()).collect::<Vec<_>>(), [1, 1]);
        assert_eq!(parts.iter().map(|p| p.id.as_str()).collect::<Vec<_>>(), ["chart-x", "chart-x-2"]);
        for part in &parts {
            assert!(svg::height(&svg::draw(part, svg::Layout::Wide)) < whole);
        }
        // A group taller than the budget is a part of its own, never cut.
        assert_eq!(chart.split(1.0).len(), 2);
    }

    #[test]
    fn editions_merge_into_one_bilingual_chart() {
        let zh = sample("zh-Hans", "WenQuanYi Zen Hei, sans-serif", "培训人次");
        let en = sample("en", "DejaVu Sans, sans-serif", "People trained");
        let merged = Chart::merge(&[zh, en]).unwrap();
        assert_eq!(merged.groups[0].rows[0].label.len(), 2);
        let svg = merged.to_value()["svg"].as_str().unwrap().to_owned();
        assert!(svg.contains("培训人次") && svg.contains("People trained"));
        assert!(svg.contains("<tspan") && svg.contains("lang=\"en\""), "the English line has its lang: {svg}");
    }
}
