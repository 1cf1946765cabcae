//! The period booklet's data: the period's figures (`render/period.rs`) and, for the chapter of
//! each of its years, that year's plan, tasks and results.

use std::collections::BTreeMap;

use serde::Serialize;

use super::{BookletSpec, Pair, PlanTask};
use crate::model::Site;
use crate::render::context::LangMeta;
use crate::render::format::Formats;
use crate::render::views::{LangViews, PlanView, ResultView};

#[derive(Serialize)]
struct PeriodEdition<'a> {
    lang: LangMeta<'a>,
    t: &'a BTreeMap<String, String>,
    pair_title: String,
    period: crate::render::period::PeriodView,
    /// `y2011` → that year's plan, tasks and results (a key Tera paths can name).
    by_year: BTreeMap<String, PeriodYearEdition<'a>>,
}

#[derive(Serialize)]
struct PeriodYearEdition<'a> {
    year: u32,
    plan: Option<&'a PlanView>,
    tasks: Vec<PlanTask<'a>>,
    /// With their bodies, rendered for the booklet.
    results: Vec<ResultView>,
}

/// One language's edition of a period booklet: the period's figures, and each year's plan, tasks
/// and results.
pub(super) fn period_edition(
    site: &Site,
    id: &str,
    lang: &str,
    views: &LangViews,
    strings: &BTreeMap<String, String>,
    formats: &Formats,
) -> tera::Value {
    let Some(p) = site.periods.iter().find(|p| p.data.id.value == id) else {
        return tera::Value::from(BTreeMap::<String, tera::Value>::new());
    };
    let figures = crate::render::period::PeriodContext { site, lang, views, strings, formats };
    let by_year = (p.data.first_year.value..=p.data.last_year.value)
        .map(|year| {
            let plan = views.plans.get(&year);
            let edition = PeriodYearEdition {
                year,
                plan: plan.map(|(p, _)| p),
                tasks: plan.map(|(_, ts)| ts.iter().map(PlanTask::from).collect()).unwrap_or_default(),
                results: views.results.get(&year).into_iter().flatten().map(|r| r.with_body(site, lang)).collect(),
            };
            (format!("y{year}"), edition)
        })
        .collect();
    tera::Value::from_serializable(&PeriodEdition {
        lang: LangMeta::of(site, lang),
        t: strings,
        pair_title: Pair::of(site).map(|p| p.title(strings)).unwrap_or_default(),
        period: figures.view(p),
        by_year,
    })
}

/// A period booklet's title: the period's, in the page's language.
pub(super) fn period_title(site: &Site, spec: &BookletSpec, lang: &str) -> String {
    let period = site.periods.iter().find(|p| Some(&p.data.id.value) == spec.period.as_ref());
    period.map(|p| crate::render::views::localised_string(&p.data.title, lang, site.default_language())).unwrap_or_default()
}
