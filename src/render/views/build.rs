//! Building one language's views from the model, along its seams: the references every view
//! copies (each with the key of the record it comes from) are localised once in [`Refs`], then
//! each kind of view is made from them. Every view records the keys of what it copies (see
//! `deps.rs`), its body's key naming the language the body is written in.

use std::collections::BTreeMap;

use super::localise::{body_html, Localiser};
use super::{
    ActionView, DocView, LangViews, MetricView, PartnerRef, PartnerView, PlanView, RecipientView, ResultRef, ResultView, TargetView,
    TaskRef, TaskView, ValueView,
};
use crate::model::{MarkdownDoc, MetricKind, Plan, Site};
use crate::render::deps::{Key, Lang, Record};
use crate::routes::Route;
use crate::url_policy;

/// What every view of one language is built with.
struct Build<'s> {
    site: &'s Site,
    lang: &'s str,
    strings: &'s BTreeMap<String, String>,
    l: Localiser<'s>,
}

/// The model's references in one language, each with the key of the record it copies, and the
/// reverse references (task → results, partner → tasks and results), each computed once.
#[derive(Default)]
struct Refs<'s> {
    metrics: BTreeMap<String, MetricView>,
    partners: BTreeMap<&'s str, (PartnerRef, Key)>,
    tasks: BTreeMap<(u32, &'s str), (TaskRef, Key)>,
    results_of_task: BTreeMap<(u32, &'s str), Vec<(ResultRef, Key)>>,
    results_of_partner: BTreeMap<&'s str, Vec<(ResultRef, Key)>>,
    tasks_of_partner: BTreeMap<&'s str, Vec<(TaskRef, Key)>>,
    /// (year, task, metric) → the sum of the values of the results that advance the task.
    achieved: BTreeMap<(u32, &'s str, &'s str), f64>,
}

/// The views of one language. `previous`, the views before a change that left every Markdown
/// body as it was (a record's YAML), gives up its forewords' HTML instead of rendering it again.
pub fn build(site: &Site, lang: &str, strings: &BTreeMap<String, String>, previous: Option<&mut LangViews>) -> LangViews {
    let b = Build { site, lang, strings, l: Localiser::new(site, lang) };
    let refs = b.refs();
    let plans = site.plans.iter().map(|(year, plan)| (*year, b.plan(*year, plan, &refs))).collect();
    let partners = b.partners(&refs);
    // A change that left every body as it was keeps the forewords already rendered.
    let mut previous = previous;
    let forewords = match previous.as_mut() {
        Some(p) => std::mem::take(&mut p.forewords),
        None => b.forewords(),
    };
    let results = b.results(&refs);
    let pages = b.docs();
    let metrics = site.metrics.iter().filter_map(|m| refs.metrics.get(&m.id.value).cloned()).collect();
    // A period's text, rendered here like every body but the results'.
    let period_bodies = site
        .periods
        .iter()
        .map(|p| {
            let html = body_html(site, lang, b.l.body(&p.bodies));
            b.l.take();
            (html, b.l.body_mark(&p.bodies))
        })
        .collect();
    LangViews { plans, partners, results, pages, metrics, period_bodies, forewords }
}

/// The key of the body `doc` that the localiser picked from `bodies`: in the language it is
/// written in, which is the page's own or, after a fallback, another's. Found by identity, so
/// it follows whatever the localiser picks.
fn body_key(site: &Site, record: Record, bodies: &BTreeMap<String, MarkdownDoc>, doc: Option<&MarkdownDoc>) -> Option<Key> {
    let doc = doc?;
    let (code, _) = bodies.iter().find(|(_, b)| std::ptr::eq(*b, doc))?;
    Some(record.body(Lang::of(site, code)))
}

/// References and the keys of the records they copy, apart.
fn unzip<'r, T: Clone + 'r>(refs: impl Iterator<Item = &'r (T, Key)>) -> (Vec<T>, Vec<Key>) {
    refs.map(|(r, k)| (r.clone(), *k)).unzip()
}

impl<'s> Build<'s> {
    fn html(&self, doc: Option<&MarkdownDoc>) -> String {
        body_html(self.site, self.lang, doc)
    }

    fn refs(&self) -> Refs<'s> {
        let (site, lang, l) = (self.site, self.lang, &self.l);
        let mut refs = Refs::default();
        for (index, m) in site.metrics.iter().enumerate() {
            let (name, mark) = l.marked(&m.name);
            let (unit, unit_mark) = l.marked(&m.unit);
            let view =
                MetricView { id: m.id.value.clone(), name, mark, unit, unit_mark, kind: m.kind, record: Some(Record::Metric { index }) };
            refs.metrics.insert(m.id.value.clone(), view);
        }
        for (index, p) in site.partners.iter().enumerate() {
            let id = p.data.id.value.as_str();
            let (name, mark) = l.marked(&p.data.name);
            let r = PartnerRef { id: id.to_owned(), name, mark, url: Route::partner(lang, id).into_url() };
            refs.partners.insert(id, (r, Record::Partner { index }.yaml()));
        }
        for (year, plan) in &site.plans {
            for (index, t) in plan.tasks.iter().enumerate() {
                let slug = t.data.slug.value.as_str();
                let (title, mark) = l.marked(&t.data.title);
                let r = TaskRef {
                    year: *year,
                    number: t.data.number.value,
                    slug: slug.to_owned(),
                    title,
                    mark,
                    url: Route::task(lang, *year, slug).into_url(),
                };
                let r = (r, Record::Task { year: *year, index }.yaml());
                for p in &t.data.partners {
                    refs.tasks_of_partner.entry(p.value.as_str()).or_default().push(r.clone());
                }
                refs.tasks.insert((*year, slug), r);
            }
        }
        self.result_refs(&mut refs);
        // References are not views: a fallback in them marks no view untranslated.
        l.take();
        refs
    }

    /// The year-end summaries' forewords (see [`LangViews::forewords`]).
    fn forewords(&self) -> BTreeMap<u32, (String, String)> {
        let default = self.site.default_language();
        let foreword = |s: &'s crate::model::Record<crate::model::SummaryFile>| {
            let found = super::localise::localise_by(&s.bodies, self.lang, default, |_| true)?;
            Some((body_html(self.site, self.lang, Some(found.text)), found.lang.to_owned()))
        };
        self.site.summaries.iter().filter_map(|(year, s)| Some((*year, foreword(s)?))).collect()
    }

    /// The results as references, from each task and partner they name, and what they achieve.
    fn result_refs(&self, refs: &mut Refs<'s>) {
        for (year, results) in &self.site.results {
            for (index, r) in results.iter().enumerate() {
                let d = &r.data;
                let (title, mark) = self.l.marked(&d.title);
                let rr = ResultRef {
                    year: *year,
                    slug: d.slug.value.clone(),
                    title,
                    mark,
                    date: d.date.value.clone(),
                    url: Route::result(self.lang, *year, &d.slug.value).into_url(),
                };
                let rr = (rr, Record::Result { year: *year, index }.yaml());
                for t in &d.tasks {
                    refs.results_of_task.entry((*year, t.value.as_str())).or_default().push(rr.clone());
                    for v in &d.values {
                        *refs.achieved.entry((*year, t.value.as_str(), v.metric.value.as_str())).or_default() += v.value.value.get();
                    }
                }
                for p in &d.partners {
                    refs.results_of_partner.entry(p.value.as_str()).or_default().push(rr.clone());
                }
            }
        }
    }

    fn plan(&self, year: u32, plan: &Plan, refs: &Refs) -> (PlanView, Vec<TaskView>) {
        let (l, p) = (&self.l, &plan.record.data);
        let record = Record::Plan { year };
        let doc = l.body(&plan.record.bodies);
        let (context, context_mark) = l.opt_marked(p.context.as_ref());
        let (issuer, issuer_mark) = l.marked(&p.issuer);
        let (source_note, source_note_mark) = l.opt_marked(p.source.as_ref().and_then(|s| s.note.as_ref()));
        let (guided_by, guided_by_marks) = p.guided_by.iter().map(|t| l.marked(t)).unzip();
        let (focuses, focus_marks) = p.focuses.iter().map(|t| l.marked(t)).unzip();
        let view = PlanView {
            year,
            url: Route::plan(self.lang, year).into_url(),
            title: l.text(&p.title),
            issuer,
            date: p.date.value.clone(),
            // A refused URL (validation reports it) is never emitted, whatever called the renderer.
            source_url: p.source.as_ref().map(|s| &s.url.value).filter(|u| url_policy::permitted(u)).cloned().unwrap_or_default(),
            source_note,
            context,
            guided_by,
            focuses,
            context_mark,
            issuer_mark,
            source_note_mark,
            guided_by_marks,
            focus_marks,
            preamble_html: self.html(doc),
            untranslated: false,
            translation: l.translation(Some(&plan.record.file), l.text_mark(&p.title), &plan.record.bodies),
            body_key: body_key(self.site, record, &plan.record.bodies, doc),
            record,
        };
        let view = PlanView { untranslated: l.take(), ..view };
        let tasks = plan.tasks.iter().enumerate().map(|(index, task)| self.task(year, index, task, refs)).collect();
        (view, tasks)
    }

    fn task(&self, year: u32, index: usize, task: &crate::model::Record<crate::model::TaskFile>, refs: &Refs) -> TaskView {
        let (l, t) = (&self.l, &task.data);
        let slug = t.slug.value.as_str();
        let record = Record::Task { year, index };
        let (partners, partner_keys) = unzip(t.partners.iter().filter_map(|p| refs.partners.get(p.value.as_str())));
        // The results that advance the task: listed, and summed in `achieved`.
        let (results, result_keys) = unzip(refs.results_of_task.get(&(year, slug)).into_iter().flatten());
        let doc = l.body(&task.bodies);
        let (lead_bodies, lead_body_marks) = t.lead_bodies.iter().map(|b| l.marked(b)).unzip();
        let view = TaskView {
            updated: t.updated.as_ref().map(|d| d.value.clone()),
            number: t.number.value,
            slug: slug.to_owned(),
            url: Route::task(self.lang, year, slug).into_url(),
            title: l.text(&t.title),
            body_html: self.html(doc),
            lead_bodies,
            lead_body_marks,
            actions: t.actions.iter().map(|a| self.action(a)).collect(),
            targets: t
                .targets
                .iter()
                .map(|x| {
                    let (note, note_mark) = l.opt_marked(x.note.as_ref());
                    TargetView {
                        metric: refs.metric(&x.metric.value),
                        value: x.value.value.get(),
                        note,
                        note_mark,
                        achieved: refs.achieved.get(&(year, slug, x.metric.value.as_str())).copied(),
                    }
                })
                .collect(),
            partners,
            results,
            untranslated: false,
            translation: l.translation(Some(&task.file), l.text_mark(&t.title), &task.bodies),
            deps: Vec::new(),
            body_key: body_key(self.site, record, &task.bodies, doc),
            record,
        };
        let metric_keys = view.targets.iter().filter_map(|x| x.metric.record.map(Record::yaml));
        let deps = [record.yaml()].into_iter().chain(metric_keys).chain(partner_keys).chain(result_keys).collect();
        TaskView { untranslated: l.take(), deps, ..view }
    }

    fn action(&self, a: &crate::model::Action) -> ActionView {
        let kind = a.kind.as_str();
        // The label is the theme's `kind_<kind>` string, the kind itself where the theme has none.
        let kind_label = self.strings.get(&format!("kind_{kind}")).cloned().unwrap_or_else(|| kind.to_owned());
        let (name, mark) = self.l.marked(&a.name);
        ActionView { id: a.id.value.clone(), kind: a.kind, kind_label, name, mark }
    }

    fn partners(&self, refs: &Refs) -> Vec<PartnerView> {
        let l = &self.l;
        let partner = |(index, partner): (usize, &crate::model::Record<crate::model::PartnerFile>)| {
            let p = &partner.data;
            let id = p.id.value.as_str();
            let record = Record::Partner { index };
            let (tasks, task_keys) = unzip(refs.tasks_of_partner.get(id).into_iter().flatten());
            let (results, results_deps) = unzip(refs.results_of_partner.get(id).into_iter().flatten());
            let doc = l.body(&partner.bodies);
            let (note, note_mark) = l.opt_marked(p.note.as_ref());
            let view = PartnerView {
                updated: p.updated.as_ref().map(|d| d.value.clone()),
                id: id.to_owned(),
                url: Route::partner(self.lang, id).into_url(),
                name: l.text(&p.name),
                role: p.role,
                order: p.order,
                recipients: p
                    .recipients
                    .iter()
                    .map(|r| {
                        let (name, mark) = l.marked(&r.name);
                        RecipientView { name, mark, prefecture: l.opt(r.prefecture.as_ref()), xpcc: r.xpcc }
                    })
                    .collect(),
                sources: p.sources.iter().map(|s| &s.value).filter(|u| url_policy::permitted(u)).cloned().collect(),
                note,
                note_mark,
                body_html: self.html(doc),
                tasks,
                results,
                untranslated: false,
                translation: l.translation(Some(&partner.file), l.text_mark(&p.name), &partner.bodies),
                deps: [record.yaml()].into_iter().chain(task_keys).collect(),
                results_deps,
                body_key: body_key(self.site, record, &partner.bodies, doc),
                record,
            };
            PartnerView { untranslated: l.take(), ..view }
        };
        self.site.partners.iter().enumerate().map(partner).collect()
    }

    /// The results without their bodies, which are rendered when shown (see
    /// [`ResultView::with_body`]).
    fn results(&self, refs: &Refs) -> BTreeMap<u32, Vec<ResultView>> {
        let (site, lang, l) = (self.site, self.lang, &self.l);
        let mut out = BTreeMap::new();
        for (year, list) in &site.results {
            let views = list
                .iter()
                .enumerate()
                .map(|(index, result)| {
                    let r = &result.data;
                    let record = Record::Result { year: *year, index };
                    let (tasks, task_keys) = unzip(r.tasks.iter().filter_map(|t| refs.tasks.get(&(*year, t.value.as_str()))));
                    let (partners, partner_keys) = unzip(r.partners.iter().filter_map(|p| refs.partners.get(p.value.as_str())));
                    let title = l.text(&r.title);
                    let doc = l.body(&result.bodies);
                    let view = ResultView {
                        updated: r.updated.as_ref().map(|d| d.value.clone()),
                        slug: r.slug.value.clone(),
                        year: *year,
                        url: Route::result(lang, *year, &r.slug.value).into_url(),
                        date: r.date.value.clone(),
                        title,
                        body_html: String::new(),
                        feed_summary: Default::default(),
                        illustrative: r.illustrative,
                        tasks,
                        partners,
                        values: r
                            .values
                            .iter()
                            .map(|v| ValueView { metric: refs.metric(&v.metric.value), value: v.value.value.get() })
                            .collect(),
                        untranslated: false,
                        translation: l.translation(Some(&result.file), l.text_mark(&r.title), &result.bodies),
                        deps: Vec::new(),
                        body_key: body_key(site, record, &result.bodies, doc),
                        record,
                    };
                    let metric_keys = view.values.iter().filter_map(|v| v.metric.record.map(Record::yaml));
                    let deps = [record.yaml()].into_iter().chain(task_keys).chain(partner_keys).chain(metric_keys).collect();
                    ResultView { untranslated: l.take(), deps, ..view }
                })
                .collect();
            out.insert(*year, views);
        }
        out
    }

    /// The free pages (`content/pages/`): only a body, its front matter giving title and description.
    fn docs(&self) -> Vec<DocView> {
        let l = &self.l;
        let doc_view = |(index, page): (usize, &crate::model::Page)| {
            let record = Record::Page { index };
            let doc = l.body(&page.docs);
            let view = DocView {
                date: doc.and_then(|d| d.front.date.clone()),
                updated: doc.and_then(|d| d.front.updated.clone()),
                slug: page.slug.clone(),
                url: Route::page(self.lang, &page.slug).into_url(),
                title: doc.and_then(|d| d.front.title.clone()).unwrap_or_else(|| page.slug.clone()),
                description: doc.and_then(|d| d.front.description.clone()).unwrap_or_default(),
                body_html: self.html(doc),
                untranslated: false,
                // A free page's title is in its Markdown file: one language for both.
                translation: l.translation(None, l.body_mark(&page.docs), &page.docs),
                body_key: body_key(self.site, record, &page.docs, doc),
                record,
            };
            DocView { untranslated: l.take(), ..view }
        };
        self.site.pages.iter().enumerate().map(doc_view).collect()
    }
}

impl Refs<'_> {
    /// The metric `id` as views show it; a metric the site does not define shows its id.
    fn metric(&self, id: &str) -> MetricView {
        self.metrics.get(id).cloned().unwrap_or_else(|| MetricView {
            id: id.to_owned(),
            name: id.to_owned(),
            mark: None,
            unit: String::new(),
            unit_mark: None,
            kind: MetricKind::Count,
            record: None,
        })
    }
}
