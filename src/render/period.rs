//! A plan period's figures, for its page and its booklet: per target, the result year by year
//! against the target and the straight path to it, with a chart (drawn by `charts.rs`, so it
//! looks like the year charts) and the same numbers as a table.
//!
//! How a year's result adds up depends on the target's measure (`PeriodTarget::measure_for`):
//! a `total` sums the year's result values for the metric and runs a cumulative sum whose path
//! goes straight from 0 before the first year to the target at the last; a `level` (a share, a
//! ratio) is never summed: a year shows the value of its latest result, and the path goes from
//! the first reported value to the target, or there is only the target when nothing is reported.

use std::collections::BTreeMap;

use serde::Serialize;

use super::charts::{Chart, Group, Row};
use super::deps::{Key, Keys, Record};
use super::figures::{marked, unit_axis};
use super::format::Formats;
use super::shared::t;
use super::views::{localise, LangMark};
use super::views::{LangViews, MetricView, ResultView};
use crate::model::{Measure, MetricKind, PeriodFile, Record as ModelRecord, Site, Text};
use crate::routes::Route;
use crate::url_policy;

/// One period as its page and booklet show it.
#[derive(Debug, Serialize)]
pub struct PeriodView {
    pub id: String,
    pub url: String,
    pub title: String,
    /// Set when the title is in another language than the page.
    pub title_lang: Option<LangMark>,
    pub first_year: u32,
    pub last_year: u32,
    /// Empty when there is none or it is refused by the URL policy.
    pub source_url: String,
    pub source_note: String,
    pub source_note_lang: Option<LangMark>,
    /// The period's text (`content/periods/<id>.<lang>.md`), empty without one.
    pub body_html: String,
    /// Set when the text is in another language than the page.
    pub body_lang: Option<LangMark>,
    pub targets: Vec<TargetFigures>,
    pub years: Vec<PeriodYear>,
    /// A target or a result shown is illustrative.
    pub illustrative: bool,
}

/// What the site has for one year of the period.
#[derive(Debug, Serialize)]
pub struct PeriodYear {
    pub year: u32,
    /// The plan's title and page, when the year has a plan.
    pub plan: Option<Link>,
    /// The results page, when the year has results.
    pub results: Option<Link>,
    /// The year-end summary's title and its booklet, when there is one.
    pub summary: Option<Link>,
}

#[derive(Debug, Serialize)]
pub struct Link {
    pub title: String,
    /// Set when the title is in another language than the page.
    pub mark: Option<LangMark>,
    pub url: String,
}

/// One target with its figures year by year.
#[derive(Debug, Serialize)]
pub struct TargetFigures {
    pub metric: MetricView,
    /// `total` or `level`.
    pub measure: &'static str,
    pub value: f64,
    pub value_label: String,
    pub illustrative: bool,
    pub note: String,
    pub note_lang: Option<LangMark>,
    pub source_url: String,
    pub milestones: Vec<Point>,
    pub rows: Vec<TargetRow>,
    /// The years of the period without a result for the metric.
    pub missing: Vec<u32>,
    /// No year has a result for the metric.
    pub unreported: bool,
    /// The chart (`Chart::to_value`: its data and SVGs).
    pub chart: serde_json::Value,
}

#[derive(Debug, Serialize)]
pub struct Point {
    pub year: u32,
    pub value: f64,
    pub label: String,
}

/// One year of a target. Labels are formatted for the page's language; `None` is shown as "—".
#[derive(Debug, Serialize)]
pub struct TargetRow {
    pub year: u32,
    /// The year's own figure: the sum of its results (total) or the latest (level).
    pub result: Option<String>,
    /// The running sum up to this year (totals only, up to the last year reported).
    pub cumulative: Option<String>,
    /// Where the straight path to the target is at the end of the year.
    pub path: Option<String>,
    pub milestone: Option<String>,
    /// One of the year's results for the metric is illustrative.
    pub illustrative: bool,
}

/// The figures of one target, as numbers, before they are labelled.
#[derive(Debug, Clone, PartialEq)]
pub struct YearFigure {
    pub year: u32,
    pub result: Option<f64>,
    pub cumulative: Option<f64>,
    pub path: Option<f64>,
    pub milestone: Option<f64>,
    pub illustrative: bool,
}

/// The year-by-year figures of a target of `measure` reaching `target` over `years`, from each
/// year's `(value, illustrative)` results for its metric in date order.
pub fn year_figures(
    measure: Measure,
    target: f64,
    years: &[u32],
    reported: &BTreeMap<u32, Vec<(f64, bool)>>,
    milestones: &BTreeMap<u32, f64>,
) -> Vec<YearFigure> {
    let n = years.len().max(1) as f64;
    let own = |year: &u32| {
        let values = reported.get(year).filter(|v| !v.is_empty())?;
        let value = match measure {
            Measure::Total => values.iter().map(|(v, _)| v).sum(),
            Measure::Level => values.last().map_or(0.0, |(v, _)| *v),
        };
        Some((value, values.iter().any(|(_, illustrative)| *illustrative)))
    };
    let last_reported = years.iter().rposition(|y| own(y).is_some());
    let first_level = years.iter().enumerate().find_map(|(i, y)| own(y).map(|(v, _)| (i, v)));
    let mut running = 0.0;
    years
        .iter()
        .enumerate()
        .map(|(i, year)| {
            let mine = own(year);
            running += mine.map_or(0.0, |(v, _)| v);
            let (cumulative, path) = match measure {
                Measure::Total => (last_reported.filter(|last| i <= *last).map(|_| running), Some(target * (i + 1) as f64 / n)),
                Measure::Level => (None, level_path(first_level, i, years.len(), target)),
            };
            YearFigure {
                year: *year,
                result: mine.map(|(v, _)| v),
                cumulative,
                path,
                milestone: milestones.get(year).copied(),
                illustrative: mine.is_some_and(|(_, il)| il),
            }
        })
        .collect()
}

/// The path of a level: straight from the first reported value (at its year) to the target at
/// the last year; none before the first report, nor at all without one.
fn level_path(first: Option<(usize, f64)>, i: usize, len: usize, target: f64) -> Option<f64> {
    let (start, from) = first?;
    if i < start {
        return None;
    }
    let span = (len - 1).saturating_sub(start);
    if span == 0 {
        return Some(target);
    }
    Some(from + (target - from) * (i - start) as f64 / span as f64)
}

/// The metric's values reported in each year of `years`, in date order, with whether the result
/// that reports it is illustrative.
fn reported(views: &LangViews, metric: &str, years: &[u32]) -> BTreeMap<u32, Vec<(f64, bool)>> {
    years
        .iter()
        .map(|y| {
            let results: &[ResultView] = views.results.get(y).map_or(&[], Vec::as_slice);
            let values =
                results.iter().flat_map(|r| r.values.iter().filter(|v| v.metric.id == metric).map(|v| (v.value, r.illustrative))).collect();
            (*y, values)
        })
        .collect()
}

/// What one view of a period is made with.
pub struct PeriodContext<'a> {
    pub site: &'a Site,
    pub lang: &'a str,
    pub views: &'a LangViews,
    pub strings: &'a BTreeMap<String, String>,
    pub formats: &'a Formats,
}

impl PeriodContext<'_> {
    fn text(&self, text: &Text) -> (String, Option<LangMark>) {
        match localise(text, self.lang, self.site.default_language()) {
            Some(l) => (l.text.to_owned(), self.mark(l.lang)),
            None => (String::new(), None),
        }
    }

    fn mark(&self, from: &str) -> Option<LangMark> {
        if from == self.lang {
            return None;
        }
        let language = self.site.config.languages.iter().find(|l| l.code.value == from);
        Some(LangMark {
            lang: language.map_or_else(|| from.to_owned(), |l| l.tag.clone()),
            dir: language.map_or("ltr", |l| l.dir.as_str()),
        })
    }

    /// The view of the period `record`.
    pub fn view(&self, record: &ModelRecord<PeriodFile>) -> PeriodView {
        let p = &record.data;
        let index = self.site.periods.iter().position(|x| std::ptr::eq(x, record));
        let (body_html, body_lang) = index.and_then(|i| self.views.period_bodies.get(i)).cloned().unwrap_or_default();
        let years: Vec<u32> = (p.first_year.value..=p.last_year.value).collect();
        let (title, title_lang) = self.text(&p.title);
        let (source_note, source_note_lang) = p.source.as_ref().and_then(|s| s.note.as_ref()).map(|n| self.text(n)).unwrap_or_default();
        let targets: Vec<TargetFigures> = p.targets.iter().map(|x| self.target(x, &years)).collect();
        let illustrative = targets.iter().any(|x| x.illustrative || x.rows.iter().any(|r| r.illustrative));
        PeriodView {
            id: p.id.value.clone(),
            url: Route::period(self.lang, &p.id.value).into_url(),
            title,
            title_lang,
            first_year: p.first_year.value,
            last_year: p.last_year.value,
            source_url: permitted(p.source.as_ref().map(|s| s.url.value.as_str())),
            source_note,
            source_note_lang,
            body_html,
            body_lang,
            targets,
            years: years.iter().map(|y| self.year(*y)).collect(),
            illustrative,
        }
    }

    fn year(&self, year: u32) -> PeriodYear {
        let plan = self.views.plans.get(&year).map(|(p, _)| Link {
            title: p.title.clone(),
            mark: p.translation.fallback.title.clone(),
            url: p.url.clone(),
        });
        let results = self.views.results.get(&year).filter(|r| !r.is_empty()).map(|_| Link {
            title: t(self.strings, "results_year").replace("{year}", &year.to_string()),
            mark: None,
            url: Route::results(self.lang, year).into_url(),
        });
        // The summary booklet exists for every plan year; a summary without a plan has no page.
        let summary = self.site.summaries.get(&year).map(|s| {
            let (title, mark) = self.text(&s.data.title);
            Link {
                title,
                mark,
                url: if plan.is_some() {
                    Route::booklet(crate::routes::BookletKind::Summary, year, crate::routes::Edition::Language(self.lang)).into_url()
                } else {
                    String::new()
                },
            }
        });
        PeriodYear { year, plan, results, summary }
    }

    fn target(&self, x: &crate::model::PeriodTarget, years: &[u32]) -> TargetFigures {
        let (note, note_lang) = x.note.as_ref().map(|n| self.text(n)).unwrap_or_default();
        let metric = self.views.metrics.iter().find(|m| m.id == x.metric.value).cloned().unwrap_or_else(|| MetricView {
            id: x.metric.value.clone(),
            name: x.metric.value.clone(),
            mark: None,
            unit: String::new(),
            unit_mark: None,
            kind: MetricKind::Count,
            record: None,
        });
        let measure = x.measure_for(metric.kind);
        let label = |v: f64| self.formats.measure(v, metric.kind, &metric.unit);
        let milestones: BTreeMap<u32, f64> = x.milestones.iter().map(|m| (m.year.value, m.value.value.value)).collect();
        let figures = year_figures(measure, x.value.value.value, years, &reported(self.views, &metric.id, years), &milestones);
        let rows = figures
            .iter()
            .map(|f| TargetRow {
                year: f.year,
                result: f.result.map(label),
                cumulative: f.cumulative.map(label),
                path: f.path.map(label),
                milestone: f.milestone.map(label),
                illustrative: f.illustrative,
            })
            .collect();
        let chart = self.chart(&metric, measure, x.value.value.value, &figures, !milestones.is_empty());
        TargetFigures {
            measure: if measure == Measure::Total { "total" } else { "level" },
            value: x.value.value.value,
            value_label: label(x.value.value.value),
            illustrative: x.illustrative,
            note,
            note_lang,
            source_url: permitted(x.source.as_ref().map(|s| s.url.value.as_str())),
            milestones: milestones.iter().map(|(y, v)| Point { year: *y, value: *v, label: label(*v) }).collect(),
            missing: figures.iter().filter(|f| f.result.is_none()).map(|f| f.year).collect(),
            unreported: figures.iter().all(|f| f.result.is_none()),
            chart,
            rows,
            metric,
        }
    }

    /// One group of bars a year: the path (or, for a level nothing reports, the target), the
    /// result (cumulative for a total), and the milestone when the target has any.
    fn chart(&self, metric: &MetricView, measure: Measure, target: f64, figures: &[YearFigure], milestones: bool) -> serde_json::Value {
        let s = self.strings;
        let label = |v: Option<f64>| v.map_or_else(|| "—".to_owned(), |v| self.formats.measure(v, metric.kind, &metric.unit));
        let (result_key, path_key) = match measure {
            Measure::Total => ("period_cumulative", "period_path"),
            Measure::Level if figures.iter().any(|f| f.path.is_some()) => ("period_level", "period_path"),
            Measure::Level => ("period_level", "target"),
        };
        let language = self.site.config.languages.iter().find(|l| l.code.value == self.lang);
        let tag = language.map_or(self.lang, |l| l.tag.as_str());
        let text = |x: String| Chart::text(x, tag, t(s, "chart_font"));
        let mut series = vec![t(s, path_key).to_owned(), t(s, result_key).to_owned()];
        if milestones {
            series.push(t(s, "period_milestone").to_owned());
        }
        let rows = figures
            .iter()
            .map(|f| {
                let path = if path_key == "target" { Some(target) } else { f.path };
                let result = if measure == Measure::Total { f.cumulative } else { f.result };
                let mut values = vec![path, result];
                if milestones {
                    values.push(f.milestone);
                }
                Row {
                    label: text(t(s, "period_year").replace("{year}", &f.year.to_string())),
                    value_labels: values.iter().map(|v| v.map_or_else(|| "—".to_owned(), |v| self.formats.short(v, metric.kind))).collect(),
                    values,
                }
            })
            .collect();
        Chart {
            id: format!("chart-{}-{}", self.lang, metric.id),
            title: text(t(s, "period_chart_title").replace("{metric}", &metric.name)),
            description: text(t(s, "period_chart_desc").replace("{target}", &label(Some(target)))),
            label_header: text(t(s, "period_year_col").to_owned()),
            data_label: text(t(s, "booklet_chart_data").to_owned()),
            series: series.into_iter().map(text).collect(),
            groups: vec![Group {
                axis: marked(text(unit_axis(s, &self.formats.unit_name(metric.kind, &metric.unit))), &metric.unit_mark),
                rows,
            }],
        }
        .to_value()
    }
}

fn permitted(url: Option<&str>) -> String {
    url.filter(|u| url_policy::permitted(u)).map(str::to_owned).unwrap_or_default()
}

/// The keys of what a period's page and booklet show: its own YAML and text, the metrics' names
/// and, of its years, the plans' titles, the tasks' titles and targets and the results' titles,
/// dates and values (never a body of theirs; a summary's title is structural). A YAML key each.
pub fn keys(site: &Site, index: usize, views: &LangViews) -> Keys {
    let mut keys = Keys::new();
    keys.insert(Record::Period { index }.yaml());
    let Some(p) = site.periods.get(index) else { return keys };
    keys.extend(p.bodies.keys().map(|l| Record::Period { index }.body(super::deps::Lang::of(site, l))));
    for year in p.data.first_year.value..=p.data.last_year.value {
        if let Some((plan, tasks)) = views.plans.get(&year) {
            keys.insert(plan.record.yaml());
            keys.extend(tasks.iter().map(|t| t.record.yaml()));
        }
        keys.extend(views.results.get(&year).into_iter().flatten().map(|r| r.record.yaml()));
    }
    keys.extend(views.metrics.iter().filter_map(|m| m.record.map(Record::yaml)));
    keys
}

/// The key of a period's YAML.
pub fn period_key(index: usize) -> Key {
    Record::Period { index }.yaml()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn totals_run_a_cumulative_sum_against_a_straight_path_from_zero() {
        let reported = BTreeMap::from([(2011, vec![(1.0, false), (2.0, true)]), (2012, vec![(4.0, false)]), (2013, vec![])]);
        let milestones = BTreeMap::from([(2012, 8.0)]);
        let f = year_figures(Measure::Total, 30.0, &[2011, 2012, 2013], &reported, &milestones);
        assert_eq!(f.iter().map(|f| f.result).collect::<Vec<_>>(), [Some(3.0), Some(4.0), None]);
        assert_eq!(f.iter().map(|f| f.cumulative).collect::<Vec<_>>(), [Some(3.0), Some(7.0), None], "none after the last report");
        assert_eq!(f.iter().map(|f| f.path).collect::<Vec<_>>(), [Some(10.0), Some(20.0), Some(30.0)]);
        assert_eq!(f[1].milestone, Some(8.0));
        assert!(f[0].illustrative && !f[1].illustrative);
    }

    #[test]
    fn levels_take_the_latest_value_and_start_their_path_at_the_first() {
        let reported = BTreeMap::from([(2012, vec![(1.0, false), (1.2, false)]), (2013, vec![(1.4, false)])]);
        let f = year_figures(Measure::Level, 1.8, &[2011, 2012, 2013, 2014], &reported, &BTreeMap::new());
        assert_eq!(f.iter().map(|f| f.result).collect::<Vec<_>>(), [None, Some(1.2), Some(1.4), None], "never summed");
        assert_eq!(f[0].path, None);
        assert_eq!(f[1].path, Some(1.2));
        assert!((f[2].path.unwrap() - 1.5).abs() < 1e-9);
        assert_eq!(f[3].path, Some(1.8));
        assert!(f.iter().all(|f| f.cumulative.is_none()));
        let none = year_figures(Measure::Level, 1.8, &[2011, 2012], &BTreeMap::new(), &BTreeMap::new());
        assert!(none.iter().all(|f| f.path.is_none() && f.result.is_none()), "only the target line without a report");
    }
}
