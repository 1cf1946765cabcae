//! Render: the validated site and the theme become the files of the output. Every page exists
//! in every language at the same path below `/<lang>/`, so the language switch and the hreflang
//! alternates are the same [`Route`] in another language; every URL and output path comes from
//! [`crate::routes`].
//!
//! A [`Renderer`] holds what every page shares, computed once: one Tera, the views of each
//! language, the context common to a language's pages and the list of pages. Files go to a sink
//! as soon as they are rendered (from any thread), so a build writes them while it renders and
//! never holds the whole site in memory; [`render`] collects them for the in-memory commands.

pub mod assets;
pub mod booklet;
pub mod charts;
pub mod deps;
pub mod figures;
pub mod format;
pub mod html_depth;
mod html_text;
mod incremental;
pub mod markdown;
pub mod meta;
mod pages;
pub mod rewrite;
pub mod search;
mod site_files;
pub mod theme;
pub mod views;

use std::collections::BTreeMap;
use std::sync::Mutex;

use rayon::prelude::*;
use serde_json::{json, Value};
use tera::{Context, Tera};

use crate::diagnostics::{Diagnostic, Diagnostics, Position};
use crate::model::Site;
use crate::output::{OutputFile, Sink};
pub use crate::routes::base_path;
use crate::routes::Route;
use format::Formats;
pub use incremental::{Affected, Change};
use pages::PageSpec;
use theme::Theme;
use views::LangViews;

/// A whole render in memory, files sorted by path.
pub struct Rendered {
    pub files: Vec<OutputFile>,
    /// Pages per language code.
    pub pages_per_language: BTreeMap<String, usize>,
    /// Number of booklets (HTML editions).
    pub booklets: usize,
}

/// What a render produced besides its files.
pub struct Summary {
    /// Pages per language code.
    pub pages_per_language: BTreeMap<String, usize>,
    /// Number of booklets (HTML editions).
    pub booklets: usize,
}

#[derive(Default, Clone)]
pub struct RenderOptions {
    /// Absolute, ends with `/`.
    pub base_url: String,
    /// Booklet folder URL → chapter id → printed page, from the PDF's first pass.
    pub page_numbers: BTreeMap<String, BTreeMap<String, u32>>,
    /// Booklet folder URLs whose PDF is written with this build, so pages link to it.
    pub pdfs: std::collections::BTreeSet<String>,
    /// Overrides `print.paper` of site.yaml.
    pub paper: Option<crate::model::Paper>,
}

/// The searchable part (`<main>`) of pages, by position, in position order.
type SearchParts = Vec<(usize, Vec<u8>)>;

/// What the pages of a render share.
struct Shared {
    tera: Tera,
    formats: BTreeMap<String, Formats>,
    strings: BTreeMap<String, BTreeMap<String, String>>,
    views: BTreeMap<String, LangViews>,
    /// The context common to every page of a language.
    bases: BTreeMap<String, Context>,
    /// Navigation (title, url) per language; each page marks its active entry.
    navs: BTreeMap<String, Vec<(String, Route)>>,
    booklets: Vec<booklet::BookletSpec>,
    options: RenderOptions,
    /// Each language's plans as Tera values, serialised once: most pages show their plan.
    plan_values: BTreeMap<String, BTreeMap<u32, tera::Value>>,
}

impl Shared {
    fn strings(&self, lang: &str) -> &BTreeMap<String, String> {
        &self.strings[lang]
    }

    /// The plan of `year` in `lang` as a Tera value (none if there is no such plan).
    fn plan_value(&self, lang: &str, year: u32) -> tera::Value {
        self.plan_values.get(lang).and_then(|p| p.get(&year)).cloned().unwrap_or_else(tera::Value::none)
    }
}

/// Every language's plans as Tera values (see [`Shared::plan_values`]).
fn plan_values(views: &BTreeMap<String, LangViews>) -> BTreeMap<String, BTreeMap<u32, tera::Value>> {
    views
        .iter()
        .map(|(lang, v)| (lang.clone(), v.plans.iter().map(|(year, (plan, _))| (*year, tera::Value::from_serializable(plan))).collect()))
        .collect()
}

pub struct Renderer {
    shared: Shared,
    specs: Vec<PageSpec>,
    static_files: Vec<OutputFile>,
    /// The searchable part of every page, by position, kept after a render when `serve` asks
    /// (see [`Renderer::keep_search_parts`]) so that a partial render can rebuild the index.
    search_parts: Option<Mutex<SearchParts>>,
    /// Which pages show each record, made by `serve`'s first partial render (see `deps.rs`).
    page_index: Option<deps::PageIndex>,
}

/// Renders the whole site in memory.
pub fn render(site: &Site, theme: &Theme, options: &RenderOptions) -> Result<Rendered, Diagnostics> {
    let renderer = Renderer::new(site, theme, options.clone())?;
    let files = Mutex::new(Vec::new());
    let summary = renderer.render_all(site, &|file| files.lock().expect("files lock").push(file))?;
    let mut files = files.into_inner().expect("files lock");
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(Rendered { files, pages_per_language: summary.pages_per_language, booklets: summary.booklets })
}

impl Renderer {
    pub fn new(site: &Site, theme: &Theme, options: RenderOptions) -> Result<Renderer, Diagnostics> {
        let mut diags = Diagnostics::default();
        let formats: BTreeMap<String, Formats> = theme
            .strings
            .iter()
            .map(|(lang, t)| {
                let units_one = site.metrics.iter().filter_map(|m| {
                    let one = m.unit_one.as_ref()?.value.get(lang)?;
                    Some((m.unit.value.get(lang)?.clone(), one.clone()))
                });
                (lang.clone(), Formats::from_strings(t).with_units_one(units_one))
            })
            .collect();
        let Some(mut tera) = theme.tera(&formats, &mut diags) else {
            return Err(diags);
        };
        // Static files, CSS and JS fingerprinted: every template sees `assets` (name → {url, integrity}).
        let assets = assets::build(&theme.statics);
        tera.global_context().insert("assets", &assets.map);
        let languages = site.language_codes();
        let views: BTreeMap<String, LangViews> =
            languages.par_iter().map(|lang| (lang.to_string(), views::build(site, lang, &theme.strings[*lang], None))).collect();
        let mut specs = Vec::new();
        for lang in &languages {
            specs.extend(pages::specs(site, lang, &views[*lang], &theme.strings[*lang]));
        }
        let bases = languages
            .iter()
            .map(|lang| (lang.to_string(), base_context(site, lang, &views[*lang], &theme.strings[*lang], &options)))
            .collect();
        let navs = languages.iter().map(|lang| (lang.to_string(), nav(site, lang, &views[*lang], &theme.strings[*lang]))).collect();
        let plan_values = plan_values(&views);
        let shared = Shared {
            tera,
            formats,
            strings: theme.strings.clone(),
            views,
            bases,
            navs,
            booklets: booklet::specs(site),
            options,
            plan_values,
        };
        Ok(Renderer { shared, specs, static_files: assets.files, search_parts: None, page_index: None })
    }

    /// The root-relative URLs of the site's pages (not the booklets), in render order.
    pub fn page_urls(&self) -> impl Iterator<Item = &str> {
        self.specs.iter().map(|s| s.route.url())
    }

    /// Renders the one page at `url` (root-relative, as [`Renderer::page_urls`] gives it), or
    /// `None` if the site has no such page: for tools and benchmarks.
    pub fn render_page_at(&self, site: &Site, url: &str) -> Option<Result<OutputFile, Diagnostic>> {
        let spec = self.specs.iter().find(|s| s.route.url() == url)?;
        Some(pages::render_page(&self.shared, site, spec))
    }

    /// The HTML files a full render writes: the pages, the booklets, the search pages, the
    /// language chooser and the 404 page (for a progress bar).
    pub fn html_files(&self) -> usize {
        self.specs.len() + self.shared.booklets.len() + self.shared.views.len() + 2
    }

    /// Renders every file of the site into `sink`. On an error, some files may already have
    /// been given to the sink; the caller discards them.
    pub fn render_all(&self, site: &Site, sink: &Sink) -> Result<Summary, Diagnostics> {
        let shared = &self.shared;
        let keep = self.search_parts.is_some();
        // Pages in parallel; each page is indexed for search as it is rendered, then handed
        // over, so its HTML is not kept.
        let pages = self
            .specs
            .par_iter()
            .enumerate()
            .fold(Gathered::default, |mut g, (position, spec)| {
                match pages::render_page(shared, site, spec) {
                    Ok(file) => {
                        let page = search::Page {
                            url: spec.route.url(),
                            title: &spec.title,
                            html: &file.bytes,
                            boost: search::boost(spec.route.kind()),
                        };
                        g.collectors.entry(spec.lang.clone()).or_default().add(position, &page);
                        *g.counts.entry(spec.lang.clone()).or_default() += 1;
                        if keep {
                            g.kept.push((position, search::main_part(&file.bytes).to_vec()));
                        }
                        sink(file);
                    }
                    Err(d) => g.errors.push(d),
                }
                g
            })
            .reduce(Gathered::default, Gathered::merge);
        let Gathered { collectors, counts: pages_per_language, mut kept, errors } = pages;
        let mut diags = Diagnostics::default();
        for d in errors {
            diags.push(d);
        }
        if let Some(parts) = &self.search_parts {
            kept.sort_unstable_by_key(|(position, _)| *position);
            *parts.lock().expect("search parts lock") = kept;
        }
        let all: Vec<&booklet::BookletSpec> = shared.booklets.iter().collect();
        let indexes = || collectors.into_par_iter().map(|(lang, c)| (lang.clone(), c.finish(&lang))).collect();
        self.render_after_pages(site, indexes, &all, sink).into_iter().for_each(|d| diags.push(d));
        self.static_files.iter().cloned().for_each(sink);
        if diags.has_errors() {
            return Err(diags);
        }
        Ok(Summary { pages_per_language, booklets: shared.booklets.len() })
    }
}

impl Renderer {
    /// What follows the pages, side by side so that neither core waits: each language's search
    /// index (as `indexes` makes it) with its search page and Atom feed, the `booklets`, and the
    /// sitemap and robots.txt. Returns the errors.
    fn render_after_pages(
        &self,
        site: &Site,
        indexes: impl FnOnce() -> Vec<(String, Vec<u8>)> + Send,
        booklets: &[&booklet::BookletSpec],
        sink: &Sink,
    ) -> Vec<Diagnostic> {
        let shared = &self.shared;
        let (mut errors, (booklet_errors, site_files)) = rayon::join(
            || self.language_files(site, indexes(), sink),
            || rayon::join(|| booklet::render_all(shared, site, booklets, sink), || site_files::site_files(shared, site, &self.specs)),
        );
        errors.extend(booklet_errors);
        match site_files {
            Ok(files) => files.into_iter().for_each(sink),
            Err(d) => errors.push(d),
        }
        errors
    }

    /// Per language: the search index (given), the search page and the Atom feed; the errors.
    fn language_files(&self, site: &Site, indexes: Vec<(String, Vec<u8>)>, sink: &Sink) -> Vec<Diagnostic> {
        let shared = &self.shared;
        indexes
            .into_par_iter()
            .map(|(lang, index)| -> Result<(), Diagnostic> {
                sink(OutputFile { path: Route::search_index(&lang).output_path(), bytes: index, is_html: false });
                sink(pages::render_page(shared, site, &pages::search_spec(&lang, shared.strings(&lang)))?);
                sink(site_files::atom_feed(shared, site, &lang)?);
                Ok(())
            })
            .filter_map(Result::err)
            .collect()
    }

    /// The search index of each language from kept page parts (for `serve`).
    fn indexes_from_parts(&self, site: &Site, parts: &[(usize, Vec<u8>)]) -> Vec<(String, Vec<u8>)> {
        site.language_codes()
            .into_par_iter()
            .map(|lang| {
                let pages: Vec<search::Page> = parts
                    .iter()
                    .map(|(position, html)| (&self.specs[*position], html))
                    .filter(|(spec, _)| spec.lang == lang)
                    .map(|(spec, html)| search::Page {
                        url: spec.route.url(),
                        title: &spec.title,
                        html,
                        boost: search::boost(spec.route.kind()),
                    })
                    .collect();
                (lang.to_owned(), search::build_index(lang, &pages))
            })
            .collect()
    }
}

/// What the parallel page render gathers besides the files: each language's search entries and
/// page count, the searchable part of each page if `serve` keeps them, and the errors.
#[derive(Default)]
struct Gathered {
    collectors: BTreeMap<String, search::Collector>,
    counts: BTreeMap<String, usize>,
    kept: SearchParts,
    errors: Vec<Diagnostic>,
}

impl Gathered {
    fn merge(mut self, other: Gathered) -> Gathered {
        for (lang, c) in other.collectors {
            let mine = self.collectors.remove(&lang).unwrap_or_default();
            self.collectors.insert(lang, mine.merge(c));
        }
        for (lang, n) in other.counts {
            *self.counts.entry(lang).or_default() += n;
        }
        self.kept.extend(other.kept);
        self.errors.extend(other.errors);
        self
    }
}

fn t<'a>(strings: &'a BTreeMap<String, String>, key: &'a str) -> &'a str {
    strings.get(key).map(String::as_str).unwrap_or(key)
}

/// The navigation of one language: (title, url, section).
fn nav_items(site: &Site, lang: &str, v: &LangViews, strings: &BTreeMap<String, String>) -> Vec<(String, Route, String)> {
    let year = site.current_year();
    let mut nav = vec![(t(strings, "home").to_owned(), Route::home(lang), "home".to_owned())];
    if let Some(y) = year {
        nav.push((t(strings, "plan").to_owned(), Route::plan(lang, y), "plan".to_owned()));
    }
    nav.push((t(strings, "partners").to_owned(), Route::partners(lang), "partners".to_owned()));
    if let Some(y) = year.filter(|y| site.plans.contains_key(y)) {
        nav.push((t(strings, "results").to_owned(), Route::results(lang, y), "results".to_owned()));
    }
    for doc in &v.pages {
        nav.push((doc.title.clone(), Route::page(lang, &doc.slug), doc.slug.clone()));
    }
    nav
}

fn nav(site: &Site, lang: &str, v: &LangViews, strings: &BTreeMap<String, String>) -> Vec<(String, Route)> {
    nav_items(site, lang, v, strings).into_iter().map(|(title, route, _)| (title, route)).collect()
}

/// The part of the context shared by every page of one language.
fn base_context(site: &Site, lang: &str, v: &LangViews, strings: &BTreeMap<String, String>, options: &RenderOptions) -> Context {
    let language = site.config.languages.iter().find(|l| l.code.value == lang).expect("language of the site");
    let text = |t: &crate::model::Text| t.value.get(lang).or_else(|| t.value.get(site.default_language())).cloned().unwrap_or_default();
    let mut c = Context::new();
    c.insert("lang_code", lang);
    c.insert("lang", &json!({"code": lang, "name": language.name, "tag": language.tag, "dir": language.dir.as_str()}));
    c.insert("languages", &languages_json(site));
    c.insert(
        "site",
        &json!({
            "title": text(&site.config.title),
            "description": text(&site.config.description),
            "organisation": text(&site.config.organisation),
            "base_url": options.base_url,
            "default_language": site.default_language(),
        }),
    );
    c.insert("t", strings);
    c.insert(
        "social",
        &json!({
            "og_locale": meta::og_locale(&language.tag),
            "og_locale_alternates": site.config.languages.iter().filter(|l| l.code.value != lang).map(|l| meta::og_locale(&l.tag)).collect::<Vec<_>>(),
            "feed_url": Route::feed(lang).url(),
            "search_url": Route::search(lang).url(),
            "search_index_url": Route::search_index(lang).url(),
        }),
    );
    c.insert("illustrative_note", t(strings, "illustrative"));
    let year = site.current_year();
    c.insert("year", &year);
    c.insert("years", &site.plans.keys().collect::<Vec<_>>());
    let nav: Vec<Value> = nav_items(site, lang, v, strings)
        .into_iter()
        .map(|(title, route, section)| json!({"title": title, "url": route.url(), "section": section}))
        .collect();
    c.insert("nav", &nav);
    c
}

fn languages_json(site: &Site) -> Value {
    Value::Array(
        site.config
            .languages
            .iter()
            .map(
                |l| json!({"code": l.code.value, "name": l.name, "tag": l.tag, "dir": l.dir.as_str(), "url": Route::home(&l.code.value).url()}),
            )
            .collect(),
    )
}

/// One `hreflang` alternate of a page: the language tag (or `x-default`) and the absolute URL.
#[derive(serde::Serialize)]
struct Alternate<'a> {
    tag: &'a str,
    href: String,
}

/// The `hreflang` alternates of the page at `route` (one of each language's pages).
fn alternates<'a>(site: &'a Site, route: &Route, base_url: &str) -> Vec<Alternate<'a>> {
    let mut out: Vec<Alternate> = site
        .config
        .languages
        .iter()
        .map(|l| Alternate { tag: &l.tag, href: route.in_language(&l.code.value).absolute(base_url) })
        .collect();
    out.push(Alternate { tag: "x-default", href: route.in_language(site.default_language()).absolute(base_url) });
    out
}

fn template_error(template: &str, err: &tera::Error) -> Diagnostic {
    Diagnostic::error(
        "E-template",
        std::path::Path::new(&format!("themes/<theme>/templates/{template}")),
        Position::file(),
        format!("cannot render {template}:\n{err}"),
    )
    .help("the message above names the template line; check variable names against docs/templates.md")
    .zh(
        format!("无法渲染模板 {template}（原文：\n{err}）"),
        Some("上面的信息指出了出错的模板行；请对照 docs/templates.md 检查变量名".to_owned()),
    )
}
