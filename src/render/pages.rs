//! The pages of the website: what each one is (a [`PageSpec`], cheap, made up front for the
//! sitemap and for `serve` to know what depends on what; listed by `pages/specs.rs`) and how it
//! renders. A page's data is taken from the language's views only when the page renders, so no
//! page's data is held longer than its render.

mod paging;
mod specs;
mod years;

pub(super) use specs::specs;

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::{json, Value};
use tera::Context;

use super::booklet::BookletSpec;
pub(super) use super::context::Crumb;
use super::context::{alternates, translations, PageKind, PageMeta};
use super::deps::{Key, Keys, Record};
use super::figures;
use super::shared::{t, template_error, Shared};
use super::views::{self, Shows};
use super::{identity, meta, OutputFile, Print};
use crate::diagnostics::Diagnostic;
use crate::model::{PartnerRole, Site};
use crate::routes::{BookletKind, Kind as RouteKind, Route};

/// Which record of the views a page shows (indices into the language's views).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum PageData {
    Home,
    /// `<lang>/plan/`: every year's plan.
    PlanIndex,
    /// `<lang>/results/`: every year's results.
    ResultsIndex,
    Plan {
        year: u32,
    },
    Task {
        year: u32,
        index: usize,
    },
    /// Page `page` (from 1) of a year's results.
    Results {
        year: u32,
        page: usize,
    },
    Result {
        year: u32,
        index: usize,
    },
    Partners,
    /// Page `page` (from 1) of a partner's results; the first also has its tasks.
    Partner {
        index: usize,
        page: usize,
    },
    Doc {
        index: usize,
    },
    Search,
    Period {
        index: usize,
    },
    /// `<lang>/data/`: the open-data downloads.
    Data,
}

/// What one page is, before the common parts are added.
pub(super) struct PageSpec {
    pub lang: String,
    /// Where it is; its kind is the page's kind (`page.kind` in templates, the search boost).
    pub route: Route,
    pub template: &'static str,
    pub title: String,
    /// The title's language when it fell back.
    pub title_mark: Option<views::LangMark>,
    pub description: String,
    pub crumbs: Vec<Crumb>,
    pub untranslated: bool,
    /// The publication date of what the page shows (and its sitemap `lastmod` unless `updated`).
    pub lastmod: Option<String>,
    /// When what it shows last changed (`updated:` of the record), if later.
    pub updated: Option<String>,
    pub data: PageData,
    /// The keys of what its title, description, crumbs and flags were taken from.
    pub keys: Vec<Key>,
}

pub(super) fn site_description(site: &Site, lang: &str) -> String {
    views::localised_string(&site.config.description, lang, site.default_language())
}

/// The search page of one language (`/<lang>/search/`): rendered like a page but not counted,
/// not indexed and not in the sitemap.
pub(super) fn search_spec(lang: &str, s: &BTreeMap<String, String>) -> PageSpec {
    PageSpec {
        lang: lang.to_owned(),
        route: Route::search(lang),
        template: "search.html",
        title: t(s, "search_title").to_owned(),
        title_mark: None,
        description: t(s, "search_description").to_owned(),
        crumbs: vec![Crumb { title: t(s, "home").to_owned(), url: Route::home(lang).into_url() }],
        untranslated: false,
        lastmod: None,
        updated: None,
        data: PageData::Search,
        keys: Vec::new(),
    }
}

/// Links to the booklets of one kind and year that a reader of `lang` can use.
fn booklet_links(
    site: &Site,
    booklets: &[BookletSpec],
    kind: BookletKind,
    year: u32,
    lang: &str,
    s: &BTreeMap<String, String>,
    print: &Print,
) -> Vec<Value> {
    booklets
        .iter()
        .filter(|b| b.kind == kind && b.year == year && b.lang.as_deref().is_none_or(|l| l == lang))
        .map(|b| {
            // A summary with its own front matter is linked by its title.
            let own = (kind == BookletKind::Summary).then(|| site.summaries.get(&year)).flatten();
            let name = match (own, kind) {
                (Some(summary), _) => views::localised_string(&summary.data.title, lang, site.default_language()),
                (None, BookletKind::Plan) => t(s, "booklet_plan").to_owned(),
                (None, BookletKind::Summary) => t(s, "booklet_summary").to_owned(),
                (None, BookletKind::Period) => t(s, "booklet_period").to_owned(),
            };
            let title = if b.lang.is_some() { name } else { format!("{name} · {}", b.pair_title(s)) };
            let pdf_url = if print.pdfs.contains(b.route.url()) { b.pdf_route().into_url() } else { String::new() };
            // `edition`: the bilingual pair's name alone ("中英对照版"), for the action bar.
            let edition = if b.lang.is_none() { b.pair_title(s) } else { String::new() };
            json!({"title": title, "url": b.route.url(), "pdf_url": pdf_url, "bilingual": b.lang.is_none(), "edition": edition})
        })
        .collect()
}

/// Links to the booklets of the period `id` that a reader of `lang` can use.
fn period_booklet_links(booklets: &[BookletSpec], id: &str, lang: &str, s: &BTreeMap<String, String>, print: &Print) -> Vec<Value> {
    booklets
        .iter()
        .filter(|b| b.period.as_deref() == Some(id) && b.lang.as_deref().is_none_or(|l| l == lang))
        .map(|b| {
            let title = match &b.lang {
                Some(_) => t(s, "booklet_period").to_owned(),
                None => format!("{} · {}", t(s, "booklet_period"), b.pair_title(s)),
            };
            let pdf_url = if print.pdfs.contains(b.route.url()) { b.pdf_route().into_url() } else { String::new() };
            // `edition`: the bilingual pair's name alone ("中英对照版"), for the action bar.
            let edition = if b.lang.is_none() { b.pair_title(s) } else { String::new() };
            json!({"title": title, "url": b.route.url(), "pdf_url": pdf_url, "bilingual": b.lang.is_none(), "edition": edition})
        })
        .collect()
}

/// Where a page's data goes: into its context when it renders, or only the keys of the records
/// it was built from when `serve` asks what the page shows (see `deps.rs`). One function picks
/// the pieces for both, so the keys cannot drift from what templates see.
enum Out<'c> {
    Context(&'c mut Context),
    Keys(&'c mut Keys),
}

impl Out<'_> {
    /// Adds one piece of the views, which knows the keys of what it shows.
    fn show<T: Serialize + Shows>(&mut self, name: &'static str, value: T) {
        match self {
            Out::Context(c) => c.insert(name, &value),
            Out::Keys(k) => value.add_keys(k),
        }
    }

    /// Adds a piece made from several records (totals, charts, counts) or from none: `value`
    /// is made only for a context, `keys` (those records) are read only for keys.
    fn put<T: Serialize>(&mut self, name: &'static str, value: impl FnOnce() -> T, keys: impl IntoIterator<Item = Key>) {
        match self {
            Out::Context(c) => c.insert(name, &value()),
            Out::Keys(k) => k.extend(keys),
        }
    }

    fn put_value(&mut self, name: &'static str, value: impl FnOnce() -> tera::Value, keys: impl IntoIterator<Item = Key>) {
        match self {
            Out::Context(c) => c.insert_value(name, value()),
            Out::Keys(k) => k.extend(keys),
        }
    }
}

/// The keys of every record `spec`'s page shows, whatever its template prints of its context.
pub(super) fn keys(shared: &Shared, site: &Site, spec: &PageSpec) -> Keys {
    let mut keys: Keys = spec.keys.iter().copied().collect();
    insert_data(&mut Out::Keys(&mut keys), shared, site, spec);
    keys
}

/// Adds the page's own data (`plan`, `task`, `results`, …), serialised straight from the views,
/// with the keys of the records each piece copies.
fn insert_data(c: &mut Out, shared: &Shared, site: &Site, spec: &PageSpec) {
    let lang = spec.lang.as_str();
    let v = &shared.views[lang];
    let s = shared.strings(lang);
    let plan_of = |year: u32| shared.plan_value(lang, year);
    let plan_keys = |year: u32| v.plans.get(&year).into_iter().flat_map(|(p, _)| p.keys());
    let year_keys = |year: u32| year_keys(v, year);
    // Lists of partners leave out each partner's results and body (see PartnerSummary).
    match spec.data {
        PageData::Home => home_data(c, shared, site, lang),
        PageData::PlanIndex => years::index_rows(c, v, lang, false),
        PageData::ResultsIndex => years::index_rows(c, v, lang, true),
        PageData::Plan { year } => {
            years::switcher(c, site, v, lang, year, years::Switch::Plan);
            years::plan_continuity(c, site, v, year);
            c.put_value("plan", || plan_of(year), plan_keys(year));
            c.show("tasks", v.plans.get(&year).map(|(_, t)| t));
            c.put("booklets", || booklet_links(site, &shared.booklets, BookletKind::Plan, year, lang, s, &shared.print), []);
        }
        PageData::Task { year, index } => {
            let tasks = v.plans.get(&year).map_or(&[][..], |(_, t)| t.as_slice());
            let as_ref = |t: &views::TaskView| json!({"number": t.number, "slug": t.slug, "title": t.title, "mark": t.translation.fallback.title, "url": t.url});
            let prev = index.checked_sub(1).map(|j| &tasks[j]);
            let next = tasks.get(index + 1);
            c.put_value("plan", || plan_of(year), plan_keys(year));
            years::switcher(c, site, v, lang, year, years::Switch::Task(&tasks[index].slug));
            years::task_lineage(c, site, v, year, &tasks[index].slug);
            c.show("task", &tasks[index]);
            c.put("prev", || prev.map(as_ref), prev.map(|t| t.record.yaml()));
            c.put("next", || next.map(as_ref), next.map(|t| t.record.yaml()));
            c.put("year", || year, []);
        }
        PageData::Results { year, page } => {
            let all: &[views::ResultView] = v.results.get(&year).map_or(&[], Vec::as_slice);
            let size = site.config.page_size();
            let results = paging::slice(all, page, size);
            let formats = &shared.formats[lang];
            c.put_value("plan", || plan_of(year), plan_keys(year));
            years::switcher(c, site, v, lang, year, years::Switch::Results);
            c.show("results", results.iter().map(views::ResultRow::from).collect::<Vec<_>>());
            c.put("pagination", || paging::Pagination::new(page, all.len(), size, |n| Route::results_page(lang, year, n).into_url()), []);
            c.put("year", || year, []);
            c.put("booklets", || booklet_links(site, &shared.booklets, BookletKind::Summary, year, lang, s, &shared.print), []);
            c.put("data_csv", || Route::data_file(&super::data::Dataset::Results(year).file_name(site)).into_url(), []);
            // The year's sums and charts: on its first page, drawn from every result of the year.
            if page == 1 {
                c.put("totals", || figures::totals_json(&figures::year_totals(v, year)), all.iter().flat_map(|r| r.deps.iter().copied()));
                c.put("charts", || figures::site_charts(site, year, lang, v, s, formats), year_keys(year));
            }
        }
        PageData::Result { year, index } => {
            // No year switcher: a result has no counterpart in another year, and its breadcrumbs
            // lead to its year's results, which switch years (and a site's pages are mostly results).
            c.put_value("plan", || plan_of(year), plan_keys(year));
            let result = &v.results[&year][index];
            c.put("result", || result.with_body(site, lang), result.keys());
        }
        PageData::Partners => {
            c.show("supporters", v.partner_summaries(Some(PartnerRole::Supporter)));
            c.show("coordinators", v.partner_summaries(Some(PartnerRole::Coordinator)));
        }
        PageData::Partner { index, page } => {
            let partner = &v.partners[index];
            let size = site.config.page_size();
            c.put("partner", || partner.on_page(page_results(partner, page, size)), partner.keys());
            // The same records as `partner`, regrouped: no keys of their own.
            c.put("partner_years", || partner_years(partner, lang, page, size), []);
            let pages = |n: usize| Route::partner_page(lang, &partner.id, n).into_url();
            c.put("pagination", || paging::Pagination::new(page, partner.results.len(), size, pages), []);
        }
        PageData::Doc { index } => c.show("doc", &v.pages[index]),
        PageData::Search => c.put("index_url", || Route::search_index(lang).into_url(), []),
        // Made from every record; its figures are the files', made afresh on every render.
        PageData::Data => {
            // Its sizes and rows change with any record serve reloads alone.
            let results = site.results.iter().flat_map(|(y, rs)| (0..rs.len()).map(move |index| Record::Result { year: *y, index }.yaml()));
            let partners = (0..site.partners.len()).map(|index| Record::Partner { index }.yaml());
            let periods = (0..site.periods.len()).map(super::period::period_key);
            c.put("downloads", || downloads(shared, site, lang), results.chain(partners).chain(periods));
            c.put("catalog_url", || Route::data_file("catalog.json").into_url(), []);
            let catalog = || meta::script_json(&super::data::catalog(site, &shared.data, &shared.options.base_url));
            c.put("jsonld", catalog, []);
        }
        PageData::Period { index } => {
            let figures = super::period::PeriodContext { site, lang, views: v, strings: s, formats: &shared.formats[lang] };
            c.put("period", || figures.view(&site.periods[index]), super::period::keys(site, index, v));
            let id = site.periods[index].data.id.value.as_str();
            c.put("booklets", || period_booklet_links(&shared.booklets, id, lang, s, &shared.print), []);
        }
    }
}

/// A partner's tasks and results grouped by year, newest year first, each year with the link to
/// its results page: a partner's page never lists two years' tasks as one. Page `page` of them:
/// its share of the results (newest year first), and the tasks on the first page only.
fn partner_years(partner: &views::PartnerView, lang: &str, page: usize, size: usize) -> Vec<Value> {
    let results = page_results(partner, page, size);
    let tasks: &[views::TaskRef] = if page == 1 { &partner.tasks } else { &[] };
    let mut years: Vec<u32> = tasks.iter().map(|t| t.year).chain(results.iter().map(|r| r.year)).collect();
    years.sort_unstable_by(|a, b| b.cmp(a));
    years.dedup();
    years
        .into_iter()
        .map(|year| {
            let tasks: Vec<&views::TaskRef> = tasks.iter().filter(|t| t.year == year).collect();
            let results: Vec<&views::ResultRef> = results.iter().copied().filter(|r| r.year == year).collect();
            json!({"year": year, "tasks": tasks, "results": results, "results_url": Route::results(lang, year).url()})
        })
        .collect()
}

/// Page `page` of a partner's results, the newest year first.
fn page_results(partner: &views::PartnerView, page: usize, size: usize) -> Vec<&views::ResultRef> {
    let mut ordered: Vec<&views::ResultRef> = partner.results.iter().collect();
    ordered.sort_by_key(|r| std::cmp::Reverse(r.year));
    paging::slice(&ordered, page, size).to_vec()
}

/// The keys of what a year's totals and charts are drawn from.
fn year_keys(v: &views::LangViews, year: u32) -> Keys {
    let mut k = Keys::new();
    v.year_keys(year, &mut k);
    k
}

/// Home's data: the current plan and its tasks, the partners, the latest results, the year's
/// charts, counts, and the organisation as JSON-LD.
fn home_data(c: &mut Out, shared: &Shared, site: &Site, lang: &str) {
    let v = &shared.views[lang];
    let s = shared.strings(lang);
    let current_year = site.current_year();
    let current = current_year.and_then(|y| v.plans.get(&y));
    let latest: Vec<&views::ResultView> = v.results.values().flatten().rev().take(5).collect();
    let recipients: usize = v.partners.iter().map(|p| p.recipients.len()).sum();
    c.show("plan", current.map(|(p, _)| p));
    c.show("tasks", current.map(|(_, t)| t));
    c.show("supporters", v.partner_summaries(Some(PartnerRole::Supporter)));
    c.show("coordinators", v.partner_summaries(Some(PartnerRole::Coordinator)));
    c.show("partners", v.partner_summaries(None));
    c.put("results", || latest.iter().map(|r| r.with_body(site, lang)).collect::<Vec<_>>(), latest.iter().flat_map(|r| r.keys()));
    c.put("year", || current_year, []);
    // The year's targets against results, drawn as on the results page.
    if let Some(year) = current_year.filter(|y| v.results.get(y).is_some_and(|r| !r.is_empty())) {
        c.put("charts", || figures::site_charts(site, year, lang, v, s, &shared.formats[lang]), year_keys(v, year));
    }
    let stats = || {
        json!({
            "tasks": current.map_or(0, |(_, t)| t.len()),
            "actions": current.map_or(0, |(_, t)| t.iter().map(|t| t.actions.len()).sum::<usize>()),
            "partners": v.partners.len(),
            "supporters": v.supporters().len(),
            "coordinators": v.coordinators().len(),
            "recipients": recipients,
            // Only the current year's results: the tasks beside them are that year's.
            "results": current_year.and_then(|y| v.results.get(&y)).map_or(0, Vec::len),
            "year": current_year,
        })
    };
    // Counts of records are structural (a new record is a full rebuild); actions and
    // recipients are in their records' YAML.
    let stats_keys = current.into_iter().flat_map(|(_, t)| t.iter().map(|t| t.record.yaml()));
    c.put("stats", stats, stats_keys.chain(v.partners.iter().map(|p| p.record.yaml())));
    // The organisation's own site describes the organisation (JSON-LD `GovernmentOrganization`);
    // any other site describes itself as a `WebSite`, its publisher the sponsor if it names one.
    let jsonld = || {
        let base_url = &shared.options.base_url;
        let home = Route::home(lang).absolute(base_url);
        let description = site_description(site, lang);
        if !site.config.identity.official {
            let title = views::localised_string(&site.config.title, lang, site.default_language());
            return meta::website(&title, &home, &description, &identity::publisher(site, lang));
        }
        let text = |t: &crate::model::Text, l: &str| t.value.get(l).cloned().unwrap_or_default();
        let name = text(&site.config.organisation, lang);
        let name = if name.is_empty() { text(&site.config.organisation, site.default_language()) } else { name };
        let others: Vec<String> =
            site.language_codes().iter().filter(|l| **l != lang).map(|l| text(&site.config.organisation, l)).collect();
        meta::organisation(&name, &others, &home, base_url, &description)
    };
    c.put("jsonld", jsonld, []);
}

/// The menu entry a page of `kind` belongs to (the kind of that entry's route).
fn section(kind: RouteKind) -> Option<RouteKind> {
    match kind {
        RouteKind::Home => Some(RouteKind::Home),
        RouteKind::PlanIndex | RouteKind::Plan | RouteKind::Task => Some(RouteKind::Plan),
        RouteKind::ResultsIndex | RouteKind::Results | RouteKind::ResultsPage | RouteKind::Result => Some(RouteKind::Results),
        RouteKind::Partners | RouteKind::Partner | RouteKind::PartnerPage => Some(RouteKind::Partners),
        _ => None,
    }
}

#[derive(Serialize)]
struct NavItem<'a> {
    title: &'a str,
    mark: &'a Option<views::LangMark>,
    url: &'a str,
    active: bool,
}

pub(super) fn render_page(shared: &Shared, site: &Site, spec: &PageSpec) -> Result<OutputFile, Diagnostic> {
    let root = spec.route.root();
    let base = &shared.bases[spec.lang.as_str()];
    let mut context = base.clone();
    let nav_active: Vec<NavItem> = shared.navs[spec.lang.as_str()]
        .iter()
        .map(|(title, route, mark)| {
            // By section, not URL: the entry links the current year's plan, and lights up on
            // every page of every year's plan (and likewise results).
            let active = match route.kind() {
                RouteKind::Page => spec.route == *route,
                kind => section(spec.route.kind()) == Some(kind),
            };
            NavItem { title, mark, url: route.url(), active }
        })
        .collect();
    context.insert("nav", &nav_active);
    context.insert("root", &root);
    let base_url = &shared.options.base_url;
    let page = PageMeta {
        untranslated: spec.untranslated,
        title_mark: spec.title_mark.as_ref(),
        breadcrumbs: &spec.crumbs,
        translations: translations(site, Some(&spec.lang), |code| spec.route.in_language(code).into_url()),
        alternates: alternates(site, &spec.route, base_url),
        review: super::review::mark(shared, &[spec.lang.as_str()], super::review::page_state(site, &spec.data)),
        date: spec.lastmod.as_deref(),
        updated: spec.updated.as_deref().filter(|u| spec.lastmod.as_deref().is_none_or(|d| *u > d)),
        ..PageMeta::at(&spec.route, PageKind::Route(spec.route.kind()), &spec.title, &spec.description, base_url)
    };
    context.insert("page", &page);
    insert_data(&mut Out::Context(&mut context), shared, site, spec);
    let html = shared.tera.render(spec.template, &context).map_err(|err| template_error(spec.template, &err))?;
    let html = super::toc::fill(&html).unwrap_or(html);
    Ok(OutputFile {
        path: spec.route.output_path(),
        bytes: super::rewrite::finish_page(html, &root, site.config.typography.normalise_punctuation),
        is_html: true,
    })
}

/// The rows of a data page: each download with its name in `lang`, format, size, rows, newest
/// date and the file describing it.
fn downloads(shared: &Shared, site: &Site, lang: &str) -> Vec<Value> {
    let s = shared.strings(lang);
    shared
        .data
        .iter()
        .filter_map(|f| Some((f, f.dataset?)))
        .map(|(f, d)| {
            // A period's title may fall back to another language: marked, apart from the words around it.
            let (period, period_mark) = match d {
                super::data::Dataset::Period(i) => views::marked_string(site, &site.periods[i].data.title, lang),
                _ => (String::new(), None),
            };
            let title = t(s, d.title_key()).replace("{year}", &d.year().map(|y| y.to_string()).unwrap_or_default());
            let (before, after) = title.split_once("{title}").unwrap_or((&title, ""));
            json!({
                "title": title.replace("{title}", &period),
                "before": before,
                "period": period,
                "period_mark": period_mark,
                "after": after,
                "url": f.route().into_url(),
                "name": f.name,
                "format": d.format(),
                "format_name": d.format().name(),
                "bytes": f.bytes.len(),
                "size": size(f.bytes.len()),
                "rows": f.rows,
                "modified": f.modified,
                "described_by": d.described_by().map(|n| Route::data_file(n).into_url()),
                "year": d.year(),
            })
        })
        .collect()
}

/// A file size for people: `812 B`, `12.3 KB`, `1.4 MB`.
fn size(bytes: usize) -> String {
    match bytes {
        0..1024 => format!("{bytes} B"),
        1024..1_048_576 => format!("{:.1} KB", bytes as f64 / 1024.0),
        _ => format!("{:.1} MB", bytes as f64 / 1_048_576.0),
    }
}
