//! Views: the site localised to one language, the data templates see. Built once per language
//! and shared by every page of it. Strings fall back to the default language, and each view
//! records whether it did, so the page can say "not yet translated".

use std::collections::BTreeMap;

use rayon::prelude::*;
use serde::Serialize;

use super::deps::{Key, Record};
use crate::model::{MarkdownDoc, PartnerRole, Site};
use crate::routes::Route;
use crate::url_policy;

mod keys;
mod localise;

pub use keys::Shows;
use localise::{body_html, Localiser};
pub use localise::{localise, localised_string, Fallback, LangMark, Localised, Translation};

#[derive(Debug, Clone, Serialize)]
pub struct MetricView {
    pub id: String,
    pub name: String,
    pub unit: String,
    pub kind: &'static str,
    /// Its record, `None` for a metric the site does not define.
    #[serde(skip)]
    pub record: Option<Record>,
}

#[derive(Debug, Clone, Serialize)]
pub struct TaskRef {
    pub number: u32,
    pub slug: String,
    pub title: String,
    pub url: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct PartnerRef {
    pub id: String,
    pub name: String,
    pub url: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ResultRef {
    pub slug: String,
    pub title: String,
    pub date: String,
    pub url: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ActionView {
    pub id: String,
    pub kind: &'static str,
    pub kind_label: String,
    pub name: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct TargetView {
    pub metric: MetricView,
    pub value: f64,
    pub note: String,
    /// Sum of the values of this metric in the results that advance this task, if any.
    pub achieved: Option<f64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct TaskView {
    pub number: u32,
    pub slug: String,
    pub url: String,
    pub title: String,
    pub body_html: String,
    pub lead_bodies: Vec<String>,
    pub actions: Vec<ActionView>,
    pub targets: Vec<TargetView>,
    pub partners: Vec<PartnerRef>,
    pub results: Vec<ResultRef>,
    pub untranslated: bool,
    #[serde(flatten)]
    pub translation: Translation,
    /// The keys of the records this view copies, its body excepted (see `deps.rs`).
    #[serde(skip)]
    pub deps: Vec<Key>,
    #[serde(skip)]
    pub record: Record,
}

#[derive(Debug, Clone, Serialize)]
pub struct RecipientView {
    pub name: String,
    pub prefecture: String,
    pub xpcc: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct PartnerView {
    pub id: String,
    pub url: String,
    pub name: String,
    pub role: &'static str,
    pub order: u32,
    pub recipients: Vec<RecipientView>,
    pub sources: Vec<String>,
    pub note: String,
    pub body_html: String,
    pub tasks: Vec<TaskRef>,
    pub results: Vec<ResultRef>,
    pub untranslated: bool,
    #[serde(flatten)]
    pub translation: Translation,
    /// The keys of what it copies, its body and its results excepted (a summary's keys).
    #[serde(skip)]
    pub deps: Vec<Key>,
    /// The keys of its results.
    #[serde(skip)]
    pub results_deps: Vec<Key>,
    #[serde(skip)]
    pub record: Record,
}

/// A partner as lists show it (home, the partner index, the plan booklet): its view without its
/// results (a site of many years gives each partner thousands) and its body.
#[derive(Serialize)]
pub struct PartnerSummary<'a> {
    pub id: &'a str,
    pub url: &'a str,
    pub name: &'a str,
    pub role: &'static str,
    pub order: u32,
    pub recipients: &'a [RecipientView],
    pub sources: &'a [String],
    pub note: &'a str,
    pub tasks: &'a [TaskRef],
    pub untranslated: bool,
    /// The keys of what it shows.
    #[serde(skip)]
    pub deps: &'a [Key],
}

impl<'a> From<&'a PartnerView> for PartnerSummary<'a> {
    fn from(p: &'a PartnerView) -> Self {
        PartnerSummary {
            id: &p.id,
            url: &p.url,
            name: &p.name,
            role: p.role,
            order: p.order,
            recipients: &p.recipients,
            sources: &p.sources,
            note: &p.note,
            tasks: &p.tasks,
            untranslated: p.untranslated,
            deps: &p.deps,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct ValueView {
    pub metric: MetricView,
    pub value: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct ResultView {
    pub slug: String,
    pub year: u32,
    pub url: String,
    pub date: String,
    pub title: String,
    pub body_html: String,
    pub illustrative: bool,
    pub tasks: Vec<TaskRef>,
    pub partners: Vec<PartnerRef>,
    pub values: Vec<ValueView>,
    pub untranslated: bool,
    #[serde(flatten)]
    pub translation: Translation,
    /// The keys of the records this view copies, its body excepted (see `deps.rs`).
    #[serde(skip)]
    pub deps: Vec<Key>,
    #[serde(skip)]
    pub record: Record,
}

/// A result as the year's list shows it: its view without the body.
#[derive(Serialize)]
pub struct ResultRow<'a> {
    pub slug: &'a str,
    pub year: u32,
    pub url: &'a str,
    pub date: &'a str,
    pub title: &'a str,
    pub illustrative: bool,
    pub tasks: &'a [TaskRef],
    pub partners: &'a [PartnerRef],
    pub values: &'a [ValueView],
    pub untranslated: bool,
    /// The keys of what it shows.
    #[serde(skip)]
    pub deps: &'a [Key],
}

impl<'a> From<&'a ResultView> for ResultRow<'a> {
    fn from(r: &'a ResultView) -> Self {
        ResultRow {
            slug: &r.slug,
            year: r.year,
            url: &r.url,
            date: &r.date,
            title: &r.title,
            illustrative: r.illustrative,
            tasks: &r.tasks,
            partners: &r.partners,
            values: &r.values,
            untranslated: r.untranslated,
            deps: &r.deps,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct PlanView {
    pub year: u32,
    pub url: String,
    pub title: String,
    pub issuer: String,
    pub date: String,
    pub source_url: String,
    pub source_note: String,
    pub context: String,
    pub guided_by: Vec<String>,
    pub focuses: Vec<String>,
    pub preamble_html: String,
    pub untranslated: bool,
    #[serde(flatten)]
    pub translation: Translation,
    #[serde(skip)]
    pub record: Record,
}

#[derive(Debug, Clone, Serialize)]
pub struct DocView {
    pub slug: String,
    pub url: String,
    pub title: String,
    pub description: String,
    pub body_html: String,
    pub untranslated: bool,
    #[serde(flatten)]
    pub translation: Translation,
    #[serde(skip)]
    pub record: Record,
}

/// The whole site in one language.
pub struct LangViews {
    pub plans: BTreeMap<u32, (PlanView, Vec<TaskView>)>,
    pub partners: Vec<PartnerView>,
    pub results: BTreeMap<u32, Vec<ResultView>>,
    pub pages: Vec<DocView>,
    /// In the order of metrics.yaml.
    pub metrics: Vec<MetricView>,
}

/// After a result's Markdown changed (and nothing else): its text in `lang`'s views.
pub fn refresh_result_body(site: &Site, lang: &str, views: &mut LangViews, year: u32, index: usize) {
    let l = Localiser::new(site, lang);
    let (Some(result), Some(view)) =
        (site.results.get(&year).and_then(|r| r.get(index)), views.results.get_mut(&year).and_then(|r| r.get_mut(index)))
    else {
        return;
    };
    l.text(&result.data.title);
    view.body_html = body_html(site, lang, l.body(&result.bodies));
    view.translation = l.translation(Some(&result.file), l.text_mark(&result.data.title), &result.bodies);
    view.untranslated = l.take();
}

/// After a partner's Markdown changed (and nothing else): its text in `lang`'s views.
pub fn refresh_partner_body(site: &Site, lang: &str, views: &mut LangViews, index: usize) {
    let l = Localiser::new(site, lang);
    let (Some(partner), Some(view)) = (site.partners.get(index), views.partners.get_mut(index)) else { return };
    let p = &partner.data;
    l.text(&p.name);
    for r in &p.recipients {
        l.text(&r.name);
        l.opt(r.prefecture.as_ref());
    }
    l.opt(p.note.as_ref());
    view.body_html = body_html(site, lang, l.body(&partner.bodies));
    view.translation = l.translation(Some(&partner.file), l.text_mark(&p.name), &partner.bodies);
    view.untranslated = l.take();
}

/// The views of one language. `previous`, the views before a change that left every Markdown
/// body as it was (a record's YAML), gives up its results' HTML instead of rendering it again.
pub fn build(site: &Site, lang: &str, strings: &BTreeMap<String, String>, mut previous: Option<&mut LangViews>) -> LangViews {
    let l = Localiser::new(site, lang);
    let html = |doc: Option<&MarkdownDoc>| body_html(site, lang, doc);

    let metrics: BTreeMap<String, MetricView> = site
        .metrics
        .iter()
        .enumerate()
        .map(|(index, m)| {
            let view = MetricView {
                id: m.id.value.clone(),
                name: l.text(&m.name),
                unit: l.text(&m.unit),
                kind: m.kind.as_str(),
                record: Some(Record::Metric { index }),
            };
            (m.id.value.clone(), view)
        })
        .collect();
    l.take();
    let metric = |id: &str| {
        metrics.get(id).cloned().unwrap_or_else(|| MetricView {
            id: id.to_owned(),
            name: id.to_owned(),
            unit: String::new(),
            kind: "count",
            record: None,
        })
    };

    // Each reference with the key of the record it copies.
    let partner_refs: BTreeMap<&str, (PartnerRef, Key)> = site
        .partners
        .iter()
        .enumerate()
        .map(|(index, p)| {
            let r = PartnerRef {
                id: p.data.id.value.clone(),
                name: l.text(&p.data.name),
                url: Route::partner(lang, &p.data.id.value).into_url(),
            };
            (p.data.id.value.as_str(), (r, Record::Partner { index }.yaml()))
        })
        .collect();
    let mut task_refs: BTreeMap<(u32, &str), (TaskRef, Key)> = BTreeMap::new();
    for (year, plan) in &site.plans {
        for (index, t) in plan.tasks.iter().enumerate() {
            let r = TaskRef {
                number: t.data.number.value,
                slug: t.data.slug.value.clone(),
                title: l.text(&t.data.title),
                url: Route::task(lang, *year, &t.data.slug.value).into_url(),
            };
            task_refs.insert((*year, t.data.slug.value.as_str()), (r, Record::Task { year: *year, index }.yaml()));
        }
    }
    let mut result_refs: BTreeMap<(u32, &str), (ResultRef, Key)> = BTreeMap::new();
    for (year, results) in &site.results {
        for (index, r) in results.iter().enumerate() {
            let rr = ResultRef {
                slug: r.data.slug.value.clone(),
                title: l.text(&r.data.title),
                date: r.data.date.value.clone(),
                url: Route::result(lang, *year, &r.data.slug.value).into_url(),
            };
            result_refs.insert((*year, r.data.slug.value.as_str()), (rr, Record::Result { year: *year, index }.yaml()));
        }
    }
    l.take();

    // Reverse references, each computed once: task → results, partner → tasks/results.
    let mut results_of_task: BTreeMap<(u32, &str), Vec<(ResultRef, Key)>> = BTreeMap::new();
    let mut results_of_partner: BTreeMap<&str, Vec<(ResultRef, Key)>> = BTreeMap::new();
    let mut achieved: BTreeMap<(u32, &str, &str), f64> = BTreeMap::new();
    for (year, results) in &site.results {
        for r in results {
            let rr = &result_refs[&(*year, r.data.slug.value.as_str())];
            for t in &r.data.tasks {
                results_of_task.entry((*year, t.value.as_str())).or_default().push(rr.clone());
                for v in &r.data.values {
                    *achieved.entry((*year, t.value.as_str(), v.metric.value.as_str())).or_default() += v.value.value.get();
                }
            }
            for p in &r.data.partners {
                results_of_partner.entry(p.value.as_str()).or_default().push(rr.clone());
            }
        }
    }
    let mut tasks_of_partner: BTreeMap<&str, Vec<(TaskRef, Key)>> = BTreeMap::new();
    for (year, plan) in &site.plans {
        for t in &plan.tasks {
            for p in &t.data.partners {
                if let Some(tr) = task_refs.get(&(*year, t.data.slug.value.as_str())) {
                    tasks_of_partner.entry(p.value.as_str()).or_default().push(tr.clone());
                }
            }
        }
    }

    let mut plans = BTreeMap::new();
    for (year, plan) in &site.plans {
        let p = &plan.record.data;
        let view = PlanView {
            year: *year,
            url: Route::plan(lang, *year).into_url(),
            title: l.text(&p.title),
            issuer: l.text(&p.issuer),
            date: p.date.value.clone(),
            // A refused URL (validation reports it) is never emitted, whatever called the renderer.
            source_url: p.source.as_ref().map(|s| &s.url.value).filter(|u| url_policy::permitted(u)).cloned().unwrap_or_default(),
            source_note: l.opt(p.source.as_ref().and_then(|s| s.note.as_ref())),
            context: l.opt(p.context.as_ref()),
            guided_by: p.guided_by.iter().map(|t| l.text(t)).collect(),
            focuses: p.focuses.iter().map(|t| l.text(t)).collect(),
            preamble_html: html(l.body(&plan.record.bodies)),
            untranslated: false,
            translation: l.translation(Some(&plan.record.file), l.text_mark(&p.title), &plan.record.bodies),
            record: Record::Plan { year: *year },
        };
        let view = PlanView { untranslated: l.take(), ..view };
        let tasks = plan
            .tasks
            .iter()
            .enumerate()
            .map(|(index, task)| {
                let t = &task.data;
                let slug = t.slug.value.as_str();
                let record = Record::Task { year: *year, index };
                let (partners, partner_keys) = unzip(t.partners.iter().filter_map(|p| partner_refs.get(p.value.as_str())));
                // The results that advance the task: listed, and summed in `achieved`.
                let (results, result_keys) = unzip(results_of_task.get(&(*year, slug)).into_iter().flatten());
                let view = TaskView {
                    number: t.number.value,
                    slug: slug.to_owned(),
                    url: Route::task(lang, *year, slug).into_url(),
                    title: l.text(&t.title),
                    body_html: html(l.body(&task.bodies)),
                    lead_bodies: t.lead_bodies.iter().map(|b| l.text(b)).collect(),
                    actions: t
                        .actions
                        .iter()
                        .map(|a| ActionView {
                            id: a.id.value.clone(),
                            kind: a.kind.as_str(),
                            kind_label: strings
                                .get(&format!("kind_{}", a.kind.as_str()))
                                .cloned()
                                .unwrap_or_else(|| a.kind.as_str().to_owned()),
                            name: l.text(&a.name),
                        })
                        .collect(),
                    targets: t
                        .targets
                        .iter()
                        .map(|x| TargetView {
                            metric: metric(&x.metric.value),
                            value: x.value.value.get(),
                            note: l.opt(x.note.as_ref()),
                            achieved: achieved.get(&(*year, slug, x.metric.value.as_str())).copied(),
                        })
                        .collect(),
                    partners,
                    results,
                    untranslated: false,
                    translation: l.translation(Some(&task.file), l.text_mark(&t.title), &task.bodies),
                    deps: Vec::new(),
                    record,
                };
                let metric_keys = view.targets.iter().filter_map(|x| x.metric.record.map(Record::yaml));
                let deps = [record.yaml()].into_iter().chain(metric_keys).chain(partner_keys).chain(result_keys).collect();
                TaskView { untranslated: l.take(), deps, ..view }
            })
            .collect();
        plans.insert(*year, (view, tasks));
    }

    let partners = site
        .partners
        .iter()
        .enumerate()
        .map(|(index, partner)| {
            let p = &partner.data;
            let id = p.id.value.as_str();
            let record = Record::Partner { index };
            let (tasks, task_keys) = unzip(tasks_of_partner.get(id).into_iter().flatten());
            let (results, results_deps) = unzip(results_of_partner.get(id).into_iter().flatten());
            let view = PartnerView {
                id: id.to_owned(),
                url: Route::partner(lang, id).into_url(),
                name: l.text(&p.name),
                role: p.role.as_str(),
                order: p.order,
                recipients: p
                    .recipients
                    .iter()
                    .map(|r| RecipientView { name: l.text(&r.name), prefecture: l.opt(r.prefecture.as_ref()), xpcc: r.xpcc })
                    .collect(),
                sources: p.sources.iter().map(|s| &s.value).filter(|u| url_policy::permitted(u)).cloned().collect(),
                note: l.opt(p.note.as_ref()),
                body_html: html(l.body(&partner.bodies)),
                tasks,
                results,
                untranslated: false,
                translation: l.translation(Some(&partner.file), l.text_mark(&p.name), &partner.bodies),
                deps: [record.yaml()].into_iter().chain(task_keys).collect(),
                results_deps,
                record,
            };
            PartnerView { untranslated: l.take(), ..view }
        })
        .collect();

    let mut results = BTreeMap::new();
    for (year, list) in &site.results {
        // The bodies are most of the work, rendered in parallel (a Localiser per thread; the
        // loop below asks it again for the fallback flag), or taken from the previous views.
        let kept = previous.as_mut().and_then(|p| p.results.get_mut(year)).filter(|old| old.len() == list.len());
        let bodies: Vec<String> = match kept {
            Some(old) => old.iter_mut().map(|v| std::mem::take(&mut v.body_html)).collect(),
            None => list
                .par_iter()
                .map(|result| {
                    let l = Localiser::new(site, lang);
                    html(l.body(&result.bodies))
                })
                .collect(),
        };
        let views = list
            .iter()
            .zip(bodies)
            .enumerate()
            .map(|(index, (result, body_html))| {
                let r = &result.data;
                let record = Record::Result { year: *year, index };
                let (tasks, task_keys) = unzip(r.tasks.iter().filter_map(|t| task_refs.get(&(*year, t.value.as_str()))));
                let (partners, partner_keys) = unzip(r.partners.iter().filter_map(|p| partner_refs.get(p.value.as_str())));
                let view = ResultView {
                    slug: r.slug.value.clone(),
                    year: *year,
                    url: Route::result(lang, *year, &r.slug.value).into_url(),
                    date: r.date.value.clone(),
                    title: l.text(&r.title),
                    body_html: {
                        l.body(&result.bodies);
                        body_html
                    },
                    illustrative: r.illustrative,
                    tasks,
                    partners,
                    values: r.values.iter().map(|v| ValueView { metric: metric(&v.metric.value), value: v.value.value.get() }).collect(),
                    untranslated: false,
                    translation: l.translation(Some(&result.file), l.text_mark(&r.title), &result.bodies),
                    deps: Vec::new(),
                    record,
                };
                let metric_keys = view.values.iter().filter_map(|v| v.metric.record.map(Record::yaml));
                let deps = [record.yaml()].into_iter().chain(task_keys).chain(partner_keys).chain(metric_keys).collect();
                ResultView { untranslated: l.take(), deps, ..view }
            })
            .collect();
        results.insert(*year, views);
    }

    let pages = site
        .pages
        .iter()
        .enumerate()
        .map(|(index, page)| {
            let doc = l.body(&page.docs);
            let view = DocView {
                slug: page.slug.clone(),
                url: Route::page(lang, &page.slug).into_url(),
                title: doc.and_then(|d| d.front.title.clone()).unwrap_or_else(|| page.slug.clone()),
                description: doc.and_then(|d| d.front.description.clone()).unwrap_or_default(),
                body_html: html(doc),
                untranslated: false,
                // A free page's title is in its Markdown file: one language for both.
                translation: l.translation(None, l.body_mark(&page.docs), &page.docs),
                record: Record::Page { index },
            };
            DocView { untranslated: l.take(), ..view }
        })
        .collect();

    let metrics = site.metrics.iter().filter_map(|m| metrics.get(&m.id.value).cloned()).collect();
    LangViews { plans, partners, results, pages, metrics }
}

/// References and the keys of the records they copy, apart.
fn unzip<'r, T: Clone + 'r>(refs: impl Iterator<Item = &'r (T, Key)>) -> (Vec<T>, Vec<Key>) {
    refs.map(|(r, k)| (r.clone(), *k)).unzip()
}

impl LangViews {
    /// The partners (of one role, or all) as lists show them, in order.
    pub fn partner_summaries(&self, role: Option<PartnerRole>) -> Vec<PartnerSummary<'_>> {
        self.partners.iter().filter(|p| role.is_none_or(|r| p.role == r.as_str())).map(PartnerSummary::from).collect()
    }

    pub fn supporters(&self) -> Vec<&PartnerView> {
        self.partners.iter().filter(|p| p.role == PartnerRole::Supporter.as_str()).collect()
    }

    pub fn coordinators(&self) -> Vec<&PartnerView> {
        self.partners.iter().filter(|p| p.role == PartnerRole::Coordinator.as_str()).collect()
    }
}
