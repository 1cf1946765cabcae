//! Partial renders for `serve`: after one record changed, only the pages that show it. A changed
//! Markdown body patches the views in place; a changed YAML record rebuilds them (records show
//! each other's names and figures) but still renders only its dependants. Which pages those are
//! follows the data: each page's keys (`deps.rs`) are the records its context was built from,
//! whatever its template prints, so a theme that shows more is never served stale. Booklets, feeds, the
//! search index and the sitemap take longest at scale, so they are a second step
//! ([`Renderer::render_rest`]) after the pages are served.

use rayon::prelude::*;

use super::booklet::{BookletKind, BookletSpec};
use super::deps::{Key, Keys, Lang, PageIndex, Record};
use super::outputs::{Output, SitePages};
use super::pages::{self, PageData};
use super::theme::Theme;
use super::views::{LangViews, Shows};
use super::{views, Diagnostics, Renderer, Sink, Site};

/// One record that changed, by its position in the site model.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    /// A Markdown file of a result, in the language it is written in.
    ResultBody { year: u32, index: usize, lang: Lang },
    /// A result's YAML (same slug and date, so it keeps its place).
    Result { year: u32, index: usize },
    /// A Markdown file of a partner, in the language it is written in.
    PartnerBody { index: usize, lang: Lang },
    /// A partner's YAML (same id and order).
    Partner { index: usize },
    /// A period's YAML (same id, title and years, which other pages name): its targets, source
    /// and notes, which only its page and booklets show, figured from the site as they render.
    Period { index: usize },
}

impl Change {
    /// Whether `page` is the changed record's own page (a partner's first page, which has its
    /// name and tasks; its later pages list results like any dependant).
    fn is_page_of(self, page: PageData) -> bool {
        match (self, page) {
            (Change::ResultBody { year, index, .. } | Change::Result { year, index }, PageData::Result { year: y, index: i }) => {
                (year, index) == (y, i)
            }
            (Change::PartnerBody { index, .. } | Change::Partner { index }, PageData::Partner { index: i, page: 1 }) => index == i,
            (Change::Period { index }, PageData::Period { index: i }) => index == i,
            _ => false,
        }
    }

    /// The part of the site model that changed.
    pub fn key(self) -> Key {
        match self {
            Change::ResultBody { year, index, lang } => Record::Result { year, index }.body(lang),
            Change::Result { year, index } => Record::Result { year, index }.yaml(),
            Change::PartnerBody { index, lang } => Record::Partner { index }.body(lang),
            Change::Partner { index } => Record::Partner { index }.yaml(),
            Change::Period { index } => Record::Period { index }.yaml(),
        }
    }
}

/// What a change makes stale: pages by position, booklets by position. The changed record's
/// own pages (`first`) are kept apart from the pages that show it among others, so that `serve`
/// renders and serves the page being edited before its dependants (at scale a partner or a
/// year's list shows hundreds of results, and the editor is looking at the result).
pub struct Affected {
    first: Vec<usize>,
    pages: Vec<usize>,
    booklets: Vec<usize>,
}

/// Which of the affected pages to render.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// The changed record's own pages, in every language that shows the change.
    Own,
    /// Every other page that shows it.
    Dependants,
}

impl Affected {
    /// All the pages to render again, the record's own and its dependants.
    pub fn pages(&self) -> usize {
        self.first.len() + self.pages.len()
    }

    /// The pages of one step.
    pub fn step(&self, step: Step) -> usize {
        self.positions(step).len()
    }

    fn positions(&self, step: Step) -> &[usize] {
        match step {
            Step::Own => &self.first,
            Step::Dependants => &self.pages,
        }
    }

    /// Splits `pages` into the record's own pages and the rest.
    fn new(renderer: &Renderer, change: Change, pages: Vec<usize>, booklets: Vec<usize>) -> Affected {
        let (first, pages) = pages.into_iter().partition(|&p| change.is_page_of(renderer.specs[p].data));
        Affected { first, pages, booklets }
    }

    pub fn booklets(&self) -> usize {
        self.booklets.len()
    }
}

impl Renderer {
    /// Keeps the searchable part of every page after [`Renderer::render_all`], so that
    /// [`Renderer::render_rest`] can rebuild the search index without rendering every page.
    pub fn keep_search_parts(&mut self) {
        self.search_parts = Some(std::sync::Mutex::new(Vec::new()));
    }

    /// The number of pages of a full render.
    pub fn page_total(&self) -> usize {
        self.specs.len()
    }

    /// Brings the views up to date with `site` after `change` and says what to render again.
    pub fn apply(&mut self, site: &Site, theme: &Theme, change: Change) -> Affected {
        // The pages that showed the record before the change (a YAML edit may take it off some)
        // and, below, those that show it after (or put it on others).
        let key = change.key();
        // Made on the first partial render, so that a full build does not pay for it.
        let before = match self.page_index.take() {
            Some(before) => before,
            None => self.index_pages(site),
        };
        let mut pages = before.pages(key).to_vec();
        let mut booklets = self.booklets_showing(site, key);
        match change {
            Change::ResultBody { year, index, .. } => {
                for (lang, v) in &mut self.shared.views {
                    views::refresh_result_body(site, lang, v, year, index);
                }
            }
            Change::PartnerBody { index, .. } => {
                for (lang, v) in &mut self.shared.views {
                    views::refresh_partner_body(site, lang, v, index);
                }
            }
            // The views hold nothing of a period, and what shows what is the same; the
            // downloads hold its targets.
            Change::Period { .. } => self.shared.data = super::data::files(site, &self.shared.options.base_url),
            Change::Result { .. } | Change::Partner { .. } => {
                // The downloads hold its figures; `render_rest` writes them again.
                self.shared.data = super::data::files(site, &self.shared.options.base_url);
                // The YAML changed, not the Markdown: the results' HTML is taken over.
                let mut previous = std::mem::take(&mut self.shared.views);
                self.shared.views = previous
                    .par_iter_mut()
                    .map(|(lang, old)| (lang.clone(), views::build(site, lang, &theme.strings[lang], Some(old))))
                    .collect();
                self.shared.plan_values = super::shared::plan_values(&self.shared.views);
                let languages = site.language_codes();
                self.specs =
                    languages.iter().flat_map(|lang| pages::specs(site, lang, &self.shared.views[*lang], &theme.strings[*lang])).collect();
                // What shows what may have changed. Positions are kept (a moved record is a
                // full rebuild), so the two lists are of the same pages.
                let after = self.index_pages(site);
                pages.extend(after.pages(key));
                pages.sort_unstable();
                pages.dedup();
                self.page_index = Some(after);
                booklets.extend(self.booklets_showing(site, key));
                booklets.sort_unstable();
                booklets.dedup();
                return Affected::new(self, change, pages, booklets);
            }
        }
        // A body changes no page's keys.
        self.page_index = Some(before);
        Affected::new(self, change, pages, booklets)
    }

    /// Which pages show each key, as the views are now.
    fn index_pages(&self, site: &Site) -> PageIndex {
        let keys: Vec<_> = self.specs.par_iter().map(|spec| pages::keys(&self.shared, site, spec)).collect();
        PageIndex::new(keys)
    }

    /// The booklets that show `key`, as the views are now. Few enough to key on demand.
    fn booklets_showing(&self, site: &Site, key: Key) -> Vec<usize> {
        let shown = |spec: &BookletSpec| booklet_keys(&self.shared.views, site, spec).contains(&key);
        self.shared.booklets.par_iter().enumerate().filter(|(_, spec)| shown(spec)).map(|(i, _)| i).collect()
    }

    /// Renders the pages of one step of `affected` into `sink`, keeping their searchable parts
    /// if asked.
    pub fn render_pages(&self, site: &Site, affected: &Affected, step: Step, sink: &Sink) -> Result<(), Diagnostics> {
        // The index is rebuilt from the kept parts in the second step, not collected here.
        let pages = SitePages { index: false, keep_parts: self.search_parts.is_some() };
        let items: Vec<(usize, &pages::PageSpec)> =
            affected.positions(step).iter().map(|&position| (position, &self.specs[position])).collect();
        let (gathered, errors) = pages.render(&self.shared, site, &items, sink);
        if let Some(parts) = &self.search_parts {
            let mut parts = parts.lock().expect("search parts lock");
            for (position, part) in gathered.kept {
                match parts.binary_search_by_key(&position, |(p, _)| *p) {
                    Ok(i) => parts[i].1 = part,
                    Err(i) => parts.insert(i, (position, part)),
                }
            }
        }
        into_result(errors)
    }

    /// The second step: the booklets of `affected`, the feeds, the search index and the sitemap.
    pub fn render_rest(&self, site: &Site, affected: &Affected, sink: &Sink) -> Result<(), Diagnostics> {
        let shared = &self.shared;
        let specs: Vec<(usize, &BookletSpec)> = affected.booklets.iter().map(|&i| (i, &shared.booklets[i])).collect();
        let indexes = || {
            let parts = self.search_parts.as_ref().map(|p| p.lock().expect("search parts lock"));
            self.indexes_from_parts(site, parts.as_deref().map_or(&[], |p| p.as_slice()))
        };
        let errors = self.render_after_pages(site, indexes, &specs, sink);
        into_result(errors)
    }
}

fn into_result(errors: Vec<crate::diagnostics::Diagnostic>) -> Result<(), Diagnostics> {
    if errors.is_empty() {
        return Ok(());
    }
    let mut diags = Diagnostics::default();
    for d in errors {
        diags.push(d);
    }
    Err(diags)
}

/// The keys of every record a booklet shows: those of each of its editions (see
/// [`edition_keys`]); its page around them takes the plan's title and date and the results'
/// dates, which the editions' keys hold.
pub(super) fn booklet_keys(views: &std::collections::BTreeMap<String, LangViews>, site: &Site, spec: &BookletSpec) -> Keys {
    let mut keys = Keys::new();
    let period = site.periods.iter().position(|p| Some(&p.data.id.value) == spec.period.as_ref());
    for lang in spec.edition_langs(site) {
        match period {
            // Its figures, and each year's plan, tasks and results, by title and figures.
            Some(index) => keys.extend(super::period::keys(site, index, &views[lang])),
            None => edition_keys(spec.kind, spec.year, &views[lang], &mut keys),
        }
    }
    keys
}

/// The keys of one language's edition of a booklet, from the recorded keys of the view pieces
/// `booklet::edition` takes: the plan booklet shows the plan, its tasks (with what the results
/// achieve against their targets, and their bodies) and the partners as lists show them; the
/// summary shows the plan, the tasks, every result of the year with its body, and totals and
/// charts drawn from the year's records.
fn edition_keys(kind: BookletKind, year: u32, v: &LangViews, out: &mut Keys) {
    let Some((plan, tasks)) = v.plans.get(&year) else { return };
    out.extend(plan.keys());
    tasks.add_keys(out);
    match kind {
        BookletKind::Plan => v.partner_summaries(None).add_keys(out),
        BookletKind::Summary => {
            v.results.get(&year).add_keys(out);
            v.year_keys(year, out);
        }
        BookletKind::Period => {}
    }
}
