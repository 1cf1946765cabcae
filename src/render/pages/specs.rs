//! The [`PageSpec`]s of one language, in the order of the sitemap and the search index: one
//! function per part of the site (home, a year's plan and tasks, its results, the partners,
//! the free pages). A spec holds the keys of what its title, description, crumbs and flags were
//! taken from; the page's data is keyed when it renders (see `deps.rs`).

use std::collections::BTreeMap;

use super::{paging, site_description, Crumb, PageData, PageSpec};
use crate::model::Site;
use crate::render::meta;
use crate::render::shared::t;
use crate::render::views::{DocView, LangViews, PlanView, ResultView, TaskView};
use crate::routes::Route;

/// What every spec of one language is made with.
struct Specs<'a> {
    lang: &'a str,
    s: &'a BTreeMap<String, String>,
    /// The crumb to home, first of every page's but home's.
    home: Crumb,
    /// Entries a page of a long list (`page_size`).
    page_size: usize,
}

/// The pages of one language, in the order of the sitemap and the search index.
pub(in crate::render) fn specs(site: &Site, lang: &str, v: &LangViews, s: &BTreeMap<String, String>) -> Vec<PageSpec> {
    let home = Crumb { title: t(s, "home").to_owned(), url: Route::home(lang).into_url() };
    let specs = Specs { lang, s, home, page_size: site.config.page_size() };
    let mut out = vec![specs.home(site, v)];
    out.extend(specs.year_indexes(v));
    for (year, (plan, tasks)) in &v.plans {
        out.extend(specs.plan(plan, tasks));
        out.extend(specs.results(*year, v.results.get(year).map_or(&[], Vec::as_slice)));
    }
    out.extend(specs.partners(v));
    out.extend(specs.docs(v));
    out.extend(specs.periods(site));
    out.push(specs.data());
    out
}

/// A sitemap `lastmod`: a date, if there is one.
fn non_empty(d: &str) -> Option<String> {
    Some(d.to_owned()).filter(|d| !d.is_empty())
}

impl Specs<'_> {
    /// A spec with no flags, keys or `lastmod` yet.
    fn page(
        &self,
        route: Route,
        template: &'static str,
        title: String,
        description: String,
        crumbs: Vec<Crumb>,
        data: PageData,
    ) -> PageSpec {
        PageSpec {
            lang: self.lang.to_owned(),
            route,
            template,
            title,
            title_mark: None,
            description,
            crumbs,
            untranslated: false,
            lastmod: None,
            updated: None,
            data,
            keys: Vec::new(),
        }
    }

    fn home(&self, site: &Site, v: &LangViews) -> PageSpec {
        let current = site.current_year().and_then(|y| v.plans.get(&y));
        let title = t(self.s, "home").to_owned();
        let page = self.page(Route::home(self.lang), "home.html", title, site_description(site, self.lang), vec![], PageData::Home);
        PageSpec {
            untranslated: current.is_some_and(|(p, _)| p.untranslated),
            keys: current.map(|(p, _)| p.keys().collect()).unwrap_or_default(),
            ..page
        }
    }

    /// The crumbs of every page of `year`'s plan or results (`index` the section's index):
    /// home, the section, the year (linked to `year_url`).
    fn year_crumbs(&self, index: Route, section: &str, year: u32, year_url: &str) -> Vec<Crumb> {
        let year_title = t(self.s, "years_year").replace("{year}", &year.to_string());
        vec![
            self.home.clone(),
            Crumb { title: t(self.s, section).to_owned(), url: index.into_url() },
            Crumb { title: year_title, url: year_url.to_owned() },
        ]
    }

    /// `<lang>/plan/` and `<lang>/results/`: every year, newest first. Keyed by what they list
    /// when they render.
    fn year_indexes(&self, v: &LangViews) -> Vec<PageSpec> {
        if v.plans.is_empty() {
            return Vec::new();
        }
        let (lang, s) = (self.lang, self.s);
        let index = |route: Route, title: &str, description: &str, data: PageData| {
            let crumbs = vec![self.home.clone()];
            self.page(route, "years.html", t(s, title).to_owned(), t(s, description).to_owned(), crumbs, data)
        };
        vec![
            index(Route::plan_index(lang), "years_plans_title", "years_plans_description", PageData::PlanIndex),
            index(Route::results_index(lang), "years_results_title", "years_results_description", PageData::ResultsIndex),
        ]
    }

    /// A year's plan and its tasks, dated by the plan.
    fn plan(&self, plan: &PlanView, tasks: &[TaskView]) -> Vec<PageSpec> {
        let (lang, year) = (self.lang, plan.year);
        let crumbs = self.year_crumbs(Route::plan_index(lang), "plan", year, &plan.url);
        let page =
            self.page(Route::plan(lang, year), "plan.html", plan.title.clone(), plan.context.clone(), crumbs, PageData::Plan { year });
        let title_mark = plan.translation.fallback.title.clone();
        let mut out = vec![PageSpec {
            untranslated: plan.untranslated,
            title_mark,
            lastmod: non_empty(&plan.date),
            keys: plan.keys().collect(),
            ..page
        }];
        for (index, task) in tasks.iter().enumerate() {
            let crumbs = self.year_crumbs(Route::plan_index(lang), "plan", year, &plan.url);
            let description = format!("{} · {}", plan.title, task.title);
            let data = PageData::Task { year, index };
            // The year in the title: a continued task has the same title every year.
            let title = meta::with_year(self.s, &task.title, year);
            let page = self.page(Route::task(lang, year, &task.slug), "task.html", title, description, crumbs, data);
            let keys = vec![plan.record.yaml(), task.record.yaml()];
            let title_mark = task.translation.fallback.title.clone();
            let (lastmod, updated) = (non_empty(&plan.date), task.updated.clone());
            out.push(PageSpec { untranslated: task.untranslated, title_mark, lastmod, updated, keys, ..page });
        }
        out
    }

    /// A year's results page, dated by its latest result, and each result's page.
    fn results(&self, year: u32, results: &[ResultView]) -> Vec<PageSpec> {
        let (lang, s) = (self.lang, self.s);
        // Year first in Chinese ("2011年年终成果"), as the language writes it: the string places it.
        let title = t(s, "results_year").replace("{year}", &year.to_string());
        let crumbs = self.year_crumbs(Route::results_index(lang), "results", year, Route::results(lang, year).url());
        let description = t(s, "illustrative").to_owned();
        let mut out = Vec::with_capacity(results.len() + 1);
        for page in 1..=paging::page_count(results.len(), self.page_size) {
            let shown = paging::slice(results, page, self.page_size);
            let title = self.paged_title(&title, page);
            let data = PageData::Results { year, page };
            let page = self.page(Route::results_page(lang, year, page), "results.html", title, description.clone(), crumbs.clone(), data);
            out.push(PageSpec {
                untranslated: shown.iter().any(|r| r.untranslated),
                lastmod: shown.iter().map(|r| r.date.as_str()).max().and_then(non_empty),
                keys: shown.iter().map(|r| r.record.yaml()).collect(),
                ..page
            });
        }
        for (index, r) in results.iter().enumerate() {
            let crumbs = crumbs.clone();
            let data = PageData::Result { year, index };
            let title = meta::with_year(s, &r.title, year);
            let page = self.page(Route::result(lang, year, &r.slug), "result.html", title, description.clone(), crumbs, data);
            let title_mark = r.translation.fallback.title.clone();
            out.push(PageSpec {
                untranslated: r.untranslated,
                title_mark,
                lastmod: Some(r.date.clone()),
                updated: r.updated.clone(),
                keys: vec![r.record.yaml()],
                ..page
            });
        }
        out
    }

    /// The partner list and each partner's page.
    fn partners(&self, v: &LangViews) -> Vec<PageSpec> {
        let (lang, s) = (self.lang, self.s);
        let title = t(s, "partners").to_owned();
        let description = t(s, "partners_description").to_owned();
        let page =
            self.page(Route::partners(lang), "partners.html", title.clone(), description, vec![self.home.clone()], PageData::Partners);
        let keys = v.partners.iter().map(|p| p.record.yaml()).collect();
        let mut out = vec![PageSpec { untranslated: v.partners.iter().any(|p| p.untranslated), keys, ..page }];
        let partners_crumb = Crumb { title, url: Route::partners(lang).into_url() };
        for (index, p) in v.partners.iter().enumerate() {
            for page in 1..=paging::page_count(p.results.len(), self.page_size) {
                let crumbs = vec![self.home.clone(), partners_crumb.clone()];
                let data = PageData::Partner { index, page };
                let route = Route::partner_page(lang, &p.id, page);
                let page = self.page(route, "partner.html", self.paged_title(&p.name, page), p.note.clone(), crumbs, data);
                let title_mark = p.translation.fallback.title.clone();
                let updated = p.updated.clone();
                out.push(PageSpec { untranslated: p.untranslated, title_mark, updated, keys: vec![p.record.yaml()], ..page });
            }
        }
        out
    }

    /// The title of page `page` of a list: the list's own for the first, "… (page 2)" after.
    fn paged_title(&self, title: &str, page: usize) -> String {
        match page {
            1 => title.to_owned(),
            n => t(self.s, "title_page").replace("{title}", title).replace("{n}", &n.to_string()),
        }
    }

    /// A page per plan period.
    fn periods(&self, site: &Site) -> Vec<PageSpec> {
        site.periods
            .iter()
            .enumerate()
            .map(|(index, p)| {
                let (title, title_mark) = crate::render::views::marked_string(site, &p.data.title, self.lang);
                let description = t(self.s, "period_description").replace("{title}", &title);
                let route = Route::period(self.lang, &p.data.id.value);
                let data = PageData::Period { index };
                let page = self.page(route, "period.html", title, description, vec![self.home.clone()], data);
                PageSpec { title_mark, keys: vec![crate::render::period::period_key(index)], ..page }
            })
            .collect()
    }

    /// The open-data downloads.
    fn data(&self) -> PageSpec {
        let (title, description) = (t(self.s, "data_title").to_owned(), t(self.s, "data_description").to_owned());
        self.page(Route::data_page(self.lang), "data.html", title, description, vec![self.home.clone()], PageData::Data)
    }

    /// The free pages.
    fn docs(&self, v: &LangViews) -> Vec<PageSpec> {
        let doc_spec = |(index, doc): (usize, &DocView)| {
            let route = Route::page(self.lang, &doc.slug);
            let data = PageData::Doc { index };
            let page = self.page(route, "page.html", doc.title.clone(), doc.description.clone(), vec![self.home.clone()], data);
            PageSpec {
                untranslated: doc.untranslated,
                title_mark: doc.translation.fallback.title.clone(),
                lastmod: doc.date.clone(),
                updated: doc.updated.clone(),
                keys: doc.body_key.into_iter().collect(),
                ..page
            }
        };
        v.pages.iter().enumerate().map(doc_spec).collect()
    }
}
