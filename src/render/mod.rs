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
pub mod context;
pub mod data;
pub mod deps;
pub mod figures;
pub mod format;
pub mod html_depth;
mod html_text;
mod identity;
mod incremental;
pub mod markdown;
pub mod meta;
mod outputs;
mod pages;
pub mod period;
pub mod punctuation;
mod review;
pub mod rewrite;
pub mod search;
mod shared;
mod site_files;
pub mod theme;
mod toc;
pub mod views;

use std::collections::BTreeMap;
use std::sync::Mutex;

use rayon::prelude::*;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::Site;
use crate::output::{OutputFile, Sink};
pub use crate::routes::base_path;
use crate::routes::Route;
pub use incremental::{Affected, Change, Step};
use outputs::{Booklets, Gathered, OpenData, Output, SearchParts, SitePages};
use pages::PageSpec;
use shared::Shared;
use theme::Theme;

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

/// What every render needs besides the site and the theme (`build`, `serve`, `check`, `pdf`).
#[derive(Default, Clone)]
pub struct RenderOptions {
    /// Absolute, ends with `/`.
    pub base_url: String,
    /// A preview marks every page not approved with its state and is not indexed.
    pub publication: crate::publish::Publication,
}

/// What `planpress pdf` tells the renderer about the print it is making, and only it: a
/// website build has `Print::default()` (no page numbers, no PDFs, site.yaml's paper).
#[derive(Default, Clone)]
pub struct Print {
    /// Booklet folder URL → chapter id → printed page, from the PDF's first pass.
    pub page_numbers: BTreeMap<String, BTreeMap<String, u32>>,
    /// Booklet folder URLs whose PDF is written with this build, so pages link to it.
    pub pdfs: std::collections::BTreeSet<String>,
    /// Overrides `print.paper` of site.yaml.
    pub paper: Option<crate::model::Paper>,
    /// Overrides `print.profile` of site.yaml.
    pub profile: Option<crate::model::PrintProfile>,
    /// Booklet folder URL → what the first pass's pages asked to mend (`pdf`'s repair).
    pub repairs: BTreeMap<String, booklet::Repairs>,
    /// `pdf --prepress`: the cover printed with 3 mm bleed on every side.
    pub prepress: bool,
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
    render_printed(site, theme, options, Print::default())
}

/// Renders the whole site in memory for a print (`planpress pdf`).
pub fn render_printed(site: &Site, theme: &Theme, options: &RenderOptions, print: Print) -> Result<Rendered, Diagnostics> {
    let renderer = Renderer::new(site, theme, options.clone())?.with_print(print);
    let files = Mutex::new(Vec::new());
    let summary = renderer.render_all(site, &|file| files.lock().expect("files lock").push(file))?;
    let mut files = files.into_inner().expect("files lock");
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(Rendered { files, pages_per_language: summary.pages_per_language, booklets: summary.booklets })
}

impl Renderer {
    pub fn new(site: &Site, theme: &Theme, options: RenderOptions) -> Result<Renderer, Diagnostics> {
        let (shared, static_files) = Shared::new(site, theme, options)?;
        let specs =
            site.language_codes().iter().flat_map(|lang| pages::specs(site, lang, &shared.views[*lang], shared.strings(lang))).collect();
        Ok(Renderer { shared, specs, static_files, search_parts: None, page_index: None })
    }

    /// The same renderer for a print: its booklets get `print`'s page numbers and paper, and
    /// pages link to its PDFs.
    pub fn with_print(mut self, print: Print) -> Renderer {
        self.shared.print = print;
        self
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

    /// The root-relative URLs of the pages that show `key` (whose context was built from it),
    /// as `serve` finds them: for tests and tools.
    pub fn page_urls_showing(&self, site: &Site, key: deps::Key) -> Vec<&str> {
        self.specs.iter().filter(|spec| pages::keys(&self.shared, site, spec).contains(&key)).map(|s| s.route.url()).collect()
    }

    /// The HTML files a full render writes: the pages, the booklets, the search pages, the
    /// language chooser and the 404 page (for a progress bar).
    pub fn html_files(&self) -> usize {
        self.specs.len() + self.shared.booklets.len() + self.shared.views.len() + 2
    }

    /// Renders every file of the site into `sink`. On an error, some files may already have
    /// been given to the sink; the caller discards them.
    pub fn render_all(&self, site: &Site, sink: &Sink) -> Result<Summary, Diagnostics> {
        let pages = SitePages { index: true, keep_parts: self.search_parts.is_some() };
        let all: Vec<(usize, &PageSpec)> = self.specs.iter().enumerate().collect();
        let (gathered, errors) = pages.render(&self.shared, site, &all, sink);
        let Gathered { collectors, counts: pages_per_language, kept, .. } = gathered;
        let mut diags = Diagnostics::default();
        errors.into_iter().for_each(|d| diags.push(d));
        if let Some(parts) = &self.search_parts {
            *parts.lock().expect("search parts lock") = kept;
        }
        let booklets: Vec<(usize, &booklet::BookletSpec)> = self.shared.booklets.iter().enumerate().collect();
        let indexes = || collectors.into_par_iter().map(|(lang, c)| (lang.clone(), c.finish(&lang))).collect();
        self.render_after_pages(site, indexes, &booklets, sink).into_iter().for_each(|d| diags.push(d));
        self.static_files.iter().cloned().for_each(sink);
        if diags.has_errors() {
            return Err(diags);
        }
        Ok(Summary { pages_per_language, booklets: self.shared.booklets.len() })
    }
}

impl Renderer {
    /// What follows the pages, side by side so that neither core waits: each language's search
    /// index (as `indexes` makes it) with its search page and Atom feed, the `booklets`, and the
    /// sitemap and robots.txt; then the open-data downloads. Returns the errors.
    fn render_after_pages(
        &self,
        site: &Site,
        indexes: impl FnOnce() -> Vec<(String, Vec<u8>)> + Send,
        booklets: &[(usize, &booklet::BookletSpec)],
        sink: &Sink,
    ) -> Vec<Diagnostic> {
        let shared = &self.shared;
        let (mut errors, (booklet_errors, site_files)) = rayon::join(
            || self.language_files(site, indexes(), sink),
            || rayon::join(|| Booklets.render(shared, site, booklets, sink).1, || site_files::site_files(shared, site, &self.specs)),
        );
        errors.extend(booklet_errors);
        let data: Vec<(usize, &data::DataFile)> = shared.data.iter().enumerate().collect();
        errors.extend(OpenData.render(shared, site, &data, sink).1);
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
                    .filter(|(spec, _)| spec.lang == lang && spec.route.kind() != crate::routes::Kind::DataPage)
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
