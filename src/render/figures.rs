//! Totals and charts of a year's results, one module for the website's pages (home, results)
//! and the booklets alike, so that both always show the same numbers and bars.

use std::collections::BTreeMap;

use serde_json::{json, Value};

use super::charts::{BarChart, Row};
use super::format::Formats;
use super::shared::t;
use super::views::{LangViews, MetricView, PartnerView, ResultView};
use crate::model::{MetricKind, Site};

pub struct YearTotal<'a> {
    pub metric: &'a MetricView,
    pub value: f64,
}

/// Year totals per metric: counts and money add up; a percentage keeps its latest value.
pub fn year_totals<'a>(views: &'a LangViews, year: u32) -> Vec<YearTotal<'a>> {
    let mut totals: BTreeMap<&str, f64> = BTreeMap::new();
    for r in views.results.get(&year).into_iter().flatten() {
        for v in &r.values {
            let entry = totals.entry(v.metric.id.as_str()).or_default();
            if v.metric.kind == MetricKind::Percent {
                *entry = v.value;
            } else {
                *entry += v.value;
            }
        }
    }
    views.metrics.iter().filter_map(|m| totals.get(m.id.as_str()).map(|value| YearTotal { metric: m, value: *value })).collect()
}

pub fn totals_json(totals: &[YearTotal]) -> Vec<Value> {
    totals.iter().map(|t| json!({"metric": t.metric, "value": t.value})).collect()
}

/// The partners with results in `results`, each with its own, in partner order.
pub fn partner_results<'a>(views: &'a LangViews, results: &'a [ResultView]) -> Vec<(&'a PartnerView, Vec<&'a ResultView>)> {
    views
        .partners
        .iter()
        .map(|p| (p, results.iter().filter(|r| r.partners.iter().any(|x| x.id == p.id)).collect::<Vec<_>>()))
        .filter(|(_, own)| !own.is_empty())
        .collect()
}

/// The charts of a year's summary (booklet and results page of the website): targets against
/// results, results per partner, count totals.
pub fn site_charts(site: &Site, year: u32, lang: &str, views: &LangViews, strings: &BTreeMap<String, String>, formats: &Formats) -> Value {
    let Some((_, tasks)) = views.plans.get(&year) else { return Value::Null };
    let language = site.config.languages.iter().find(|l| l.code.value == lang).expect("site language");
    let results: &[ResultView] = views.results.get(&year).map_or(&[], Vec::as_slice);
    let totals = year_totals(views, year);
    let font = t(strings, "chart_font");
    let partner_chart: Vec<Row> = partner_results(views, results)
        .into_iter()
        .map(|(p, own)| Row {
            label: p.name.clone(),
            values: vec![own.len() as f64],
            value_labels: vec![formats.number(own.len() as f64)],
            scale: None,
        })
        .collect();
    let target_rows: Vec<Row> = tasks
        .iter()
        .flat_map(|task| {
            task.targets.iter().map(move |x| Row {
                label: format!("{} · {}", task.number, x.metric.name),
                values: vec![x.value, x.achieved.unwrap_or(0.0)],
                value_labels: vec![
                    formats.measure(x.value, x.metric.kind, &x.metric.unit),
                    x.achieved.map(|a| formats.measure(a, x.metric.kind, &x.metric.unit)).unwrap_or_else(|| "—".to_owned()),
                ],
                // Each target is drawn against its own scale: the bar of the target is full length.
                scale: Some(format!("{}-{}", task.number, x.metric.id)),
            })
        })
        .collect();
    // Grouped by unit of the default language (so every edition draws the same bars),
    // each unit on its own scale, in order of first appearance.
    let unit_key = |id: &str| {
        site.metrics.iter().find(|m| m.id.value == id).and_then(|m| m.unit.value.get(site.default_language()).cloned()).unwrap_or_default()
    };
    let mut units: Vec<String> = Vec::new();
    for x in totals.iter().filter(|x| x.metric.kind == MetricKind::Count) {
        let unit = unit_key(&x.metric.id);
        if !units.contains(&unit) {
            units.push(unit);
        }
    }
    let count_totals: Vec<Row> = units
        .iter()
        .flat_map(|unit| totals.iter().filter(|x| x.metric.kind == MetricKind::Count && unit_key(&x.metric.id) == *unit))
        .map(|x| Row {
            label: x.metric.name.clone(),
            values: vec![x.value],
            value_labels: vec![formats.measure(x.value, x.metric.kind, &x.metric.unit)],
            scale: Some(unit_key(&x.metric.id)),
        })
        .collect();
    let chart = |title_key: &str, desc_key: &str, series: Vec<String>, rows: Vec<Row>| {
        BarChart { title: t(strings, title_key), description: t(strings, desc_key), series, rows, font_family: font, lang: &language.tag }
            .to_svg()
    };
    json!({
        "targets": chart("chart_targets_title", "chart_targets_desc", vec![t(strings, "chart_legend_target").to_owned(), t(strings, "chart_legend_achieved").to_owned()], target_rows),
        "partners": chart("chart_partners_title", "chart_partners_desc", vec![t(strings, "results").to_owned()], partner_chart),
        "totals": chart("chart_totals_title", "chart_totals_desc", vec![t(strings, "value").to_owned()], count_totals),
    })
}
