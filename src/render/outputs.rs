//! The renderers over one model and one set of views, in the shape of mdBook's `Renderer`
//! trait: the website's pages ([`SitePages`]), the booklets ([`Booklets`]) and the open-data
//! downloads ([`OpenData`]). Each turns some
//! of its items into files from the one [`Shared`] context and says what it gathered besides;
//! [`super::Renderer`] drives both, over all items for a build and over the items a change made
//! stale for `serve`. Neither imports the other: what they share is in `shared.rs`.

use std::collections::BTreeMap;

use rayon::prelude::*;

use super::booklet::{self, BookletSpec};
use super::data::DataFile;
use super::pages::{self, PageSpec};
use super::search;
use super::shared::Shared;
use crate::diagnostics::Diagnostic;
use crate::model::Site;
use crate::output::{OutputFile, Sink};

/// One kind of output made from the shared views.
pub(super) trait Output: Sync {
    /// What one of its files is made from.
    type Item: Sync;
    /// What a render gathers besides its files and errors.
    type Gathered: Send;

    /// Renders `items`, each with its position among all of this output's items, into `sink`:
    /// what it gathered, and the errors. A file may reach the sink from any thread.
    fn render(&self, shared: &Shared, site: &Site, items: &[(usize, &Self::Item)], sink: &Sink) -> (Self::Gathered, Vec<Diagnostic>);
}

/// The searchable part (`<main>`) of pages, by position, in position order.
pub(super) type SearchParts = Vec<(usize, Vec<u8>)>;

/// The website's pages. A full build indexes each page for search as it renders it (so no
/// page's HTML is kept); `serve` also keeps each page's searchable part, so that a partial
/// render can rebuild the index without rendering every page.
pub(super) struct SitePages {
    /// Collect each language's search entries (a full render).
    pub index: bool,
    /// Keep each page's searchable part (`serve`).
    pub keep_parts: bool,
}

/// What rendering pages gathers: each language's search entries (if indexed) and page count,
/// and the searchable part of each page (if kept).
#[derive(Default)]
pub(super) struct Gathered {
    pub collectors: BTreeMap<String, search::Collector>,
    pub counts: BTreeMap<String, usize>,
    pub kept: SearchParts,
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

impl Output for SitePages {
    type Item = PageSpec;
    type Gathered = Gathered;

    fn render(&self, shared: &Shared, site: &Site, items: &[(usize, &PageSpec)], sink: &Sink) -> (Gathered, Vec<Diagnostic>) {
        // Pages in parallel, each folded into its thread's gatherings, then handed over.
        let mut gathered = items
            .par_iter()
            .fold(Gathered::default, |mut g, &(position, spec)| {
                match pages::render_page(shared, site, spec) {
                    Ok(file) => {
                        // The data page lists files: nothing to search for.
                        if self.index && spec.route.kind() != crate::routes::Kind::DataPage {
                            let page = search::Page {
                                url: spec.route.url(),
                                title: &spec.title,
                                html: &file.bytes,
                                boost: search::boost(spec.route.kind()),
                            };
                            g.collectors.entry(spec.lang.clone()).or_default().add(position, &page);
                        }
                        *g.counts.entry(spec.lang.clone()).or_default() += 1;
                        if self.keep_parts {
                            g.kept.push((position, search::main_part(&file.bytes).to_vec()));
                        }
                        sink(file);
                    }
                    Err(d) => g.errors.push(d),
                }
                g
            })
            .reduce(Gathered::default, Gathered::merge);
        gathered.kept.sort_unstable_by_key(|(position, _)| *position);
        let errors = std::mem::take(&mut gathered.errors);
        (gathered, errors)
    }
}

/// The booklets: every edition of a booklet group is serialised once and shared by the
/// booklets that show it (see `booklet::render_all`).
pub(super) struct Booklets;

impl Output for Booklets {
    type Item = BookletSpec;
    type Gathered = ();

    fn render(&self, shared: &Shared, site: &Site, items: &[(usize, &BookletSpec)], sink: &Sink) -> ((), Vec<Diagnostic>) {
        let specs: Vec<&BookletSpec> = items.iter().map(|(_, spec)| *spec).collect();
        ((), booklet::render_all(shared, site, &specs, sink))
    }
}

/// The open-data downloads under `data/`: made from the model once per render (`data.rs`; the
/// data pages list their sizes), written here.
pub(super) struct OpenData;

impl Output for OpenData {
    type Item = DataFile;
    type Gathered = ();

    fn render(&self, _shared: &Shared, _site: &Site, items: &[(usize, &DataFile)], sink: &Sink) -> ((), Vec<Diagnostic>) {
        for (_, file) in items {
            sink(OutputFile { path: file.route().output_path(), bytes: file.bytes.clone(), is_html: false });
        }
        ((), Vec::new())
    }
}
