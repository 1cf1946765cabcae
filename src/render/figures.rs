//! Totals and charts of a year's results, one module for the website's pages (home, results)
//! and the booklets alike, so that both always show the same numbers and bars.

use std::collections::BTreeMap;

use serde_json::{json, Value};

use super::charts::{Chart, Group, Row, Texts};
use super::format::Formats;
use super::shared::t;
use super::views::{LangMark, LangViews, MetricView, PartnerView, ResultView};
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

/// One text of the language being drawn.
struct Lang<'a> {
    tag: &'a str,
    font: &'a str,
}

impl Lang<'_> {
    fn text(&self, text: impl Into<String>) -> Texts {
        Chart::text(text, self.tag, self.font)
    }

    /// A text that may have fallen back to another language (`mark`): it says which.
    fn marked(&self, text: impl Into<String>, mark: &Option<LangMark>) -> Texts {
        marked(Chart::text(text, self.tag, self.font), mark)
    }
}

/// `texts` (one language) as fallen back to `mark`'s language, if it did.
pub fn marked(mut texts: Texts, mark: &Option<LangMark>) -> Texts {
    if let Some(m) = mark {
        for t in &mut texts {
            t.lang = m.lang.clone();
            t.dir = m.dir.to_owned();
        }
    }
    texts
}

/// The axis label naming a unit: `单位：人次` / `Unit: person-times`.
pub fn unit_axis(strings: &BTreeMap<String, String>, unit: &str) -> String {
    t(strings, "chart_unit").replace("{unit}", unit)
}

/// Rows in unit groups, in order of first appearance: `key` is the unit of the site's default
/// language (so every edition groups alike) and `axis` names it in this one.
fn grouped<T>(items: Vec<T>, key: impl Fn(&T) -> String, axis: impl Fn(&T) -> Texts, row: impl Fn(&T) -> Row) -> Vec<Group> {
    let mut keys: Vec<String> = Vec::new();
    let mut groups: Vec<Group> = Vec::new();
    for item in &items {
        let k = key(item);
        match keys.iter().position(|x| *x == k) {
            Some(i) => groups[i].rows.push(row(item)),
            None => {
                keys.push(k);
                groups.push(Group { axis: axis(item), rows: vec![row(item)] });
            }
        }
    }
    groups
}

/// The charts of a year's summary (booklet and results page of the website): targets against
/// results, results per partner, count totals; each as `Chart::to_value`, `null` when empty.
pub fn site_charts(site: &Site, year: u32, lang: &str, views: &LangViews, strings: &BTreeMap<String, String>, formats: &Formats) -> Value {
    match year_charts(site, year, lang, views, strings, formats) {
        Some(charts) => {
            let drawn = |c: &Chart| if c.is_empty() { Value::Null } else { c.to_value() };
            json!({"targets": drawn(&charts[0]), "partners": drawn(&charts[1]), "totals": drawn(&charts[2])})
        }
        None => Value::Null,
    }
}

/// [targets, partners, totals] of `year` in `lang`.
fn year_charts(
    site: &Site,
    year: u32,
    lang: &str,
    views: &LangViews,
    strings: &BTreeMap<String, String>,
    formats: &Formats,
) -> Option<[Chart; 3]> {
    let (_, tasks) = views.plans.get(&year)?;
    let language = site.config.languages.iter().find(|l| l.code.value == lang).expect("site language");
    let l = Lang { tag: &language.tag, font: t(strings, "chart_font") };
    let results: &[ResultView] = views.results.get(&year).map_or(&[], Vec::as_slice);
    let totals = year_totals(views, year);
    // A unit is the metric's kind and its unit in every language (`件` may be "applications"
    // in one metric and "documents" in another), so every edition draws the same groups in
    // the same order (a bilingual booklet merges them row by row).
    let unit_key = |m: &MetricView| {
        let units = site.metrics.iter().find(|x| x.id.value == m.id).map(|x| &x.unit.value);
        format!("{:?}:{units:?}", m.kind)
    };
    let axis = |m: &MetricView| l.marked(unit_axis(strings, &formats.unit_name(m.kind, &m.unit)), &m.unit_mark);
    let chart = |id: &str, key: &str, header: &str, series: Vec<Texts>, groups: Vec<Group>| Chart {
        id: format!("chart-{id}"),
        title: l.text(t(strings, &format!("chart_{key}_title"))),
        description: l.text(t(strings, &format!("chart_{key}_desc"))),
        label_header: l.text(t(strings, header)),
        data_label: l.text(t(strings, "booklet_chart_data")),
        series,
        groups,
    };
    let partner_rows: Vec<Row> = partner_results(views, results)
        .into_iter()
        .map(|(p, own)| Row {
            label: l.marked(p.name.clone(), &p.translation.fallback.title),
            values: vec![Some(own.len() as f64)],
            value_labels: vec![formats.number(own.len() as f64)],
        })
        .collect();
    let partners = vec![Group { axis: l.text(unit_axis(strings, t(strings, "chart_results_unit"))), rows: partner_rows }];
    let targets: Vec<(u32, &super::views::TargetView)> =
        tasks.iter().flat_map(|task| task.targets.iter().map(move |x| (task.number, x))).collect();
    let targets = grouped(
        targets,
        |(_, x)| unit_key(&x.metric),
        |(_, x)| axis(&x.metric),
        |(number, x)| Row {
            label: l.marked(format!("{number} · {}", x.metric.name), &x.metric.mark),
            values: vec![Some(x.value), x.achieved],
            value_labels: vec![
                formats.short(x.value, x.metric.kind),
                x.achieved.map_or_else(|| "—".to_owned(), |a| formats.short(a, x.metric.kind)),
            ],
        },
    );
    let counts: Vec<&YearTotal> = totals.iter().filter(|x| x.metric.kind == MetricKind::Count).collect();
    let counts = grouped(
        counts,
        |x| unit_key(x.metric),
        |x| axis(x.metric),
        |x| Row {
            label: l.marked(x.metric.name.clone(), &x.metric.mark),
            values: vec![Some(x.value)],
            value_labels: vec![formats.short(x.value, x.metric.kind)],
        },
    );
    let series = |keys: &[&str]| keys.iter().map(|k| l.text(t(strings, k))).collect::<Vec<_>>();
    Some([
        chart("targets", "targets", "metric", series(&["chart_legend_target", "chart_legend_achieved"]), targets),
        chart("partners", "partners", "partner", series(&["booklet_result_count"]), partners),
        chart("totals", "totals", "metric", series(&["value"]), counts),
    ])
}
